/* portwatch: the port lists, --ports-file, --where and --baseline. */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "portwatch.h"
#include "rec.h"
#include "util.h"

const char *const proto_name[P_N] = { "", "tcp", "udp" };

/*
 * The default watch list (man page, WATCHED PORTS): ports that well-known
 * backdoors, worms and DDoS kits listen on or call home to.  Ports also
 * used by ordinary software (3128, 5900, 8080) are left out on purpose:
 * they belong in --where conditions or the rare check.
 */
static const struct {
	const char *ports, *reason;
} default_watch[] = {
	{ "1243/tcp", "SubSeven backdoor" },
	{ "1524/tcp", "ingreslock root shell left by worms and exploits" },
	{ "2745/tcp", "Bagle worm backdoor" },
	{ "3127/tcp", "MyDoom worm backdoor" },
	{ "3410/tcp", "OptixPro backdoor" },
	{ "4444/tcp", "Blaster worm shell and Metasploit reverse shell" },
	{ "5554/tcp", "Sasser worm FTP server" },
	{ "8866/tcp", "Bagle.B worm backdoor" },
	{ "9898/tcp", "Dabber worm backdoor" },
	{ "9996/tcp", "Sasser worm remote shell" },
	{ "12345-12346/tcp", "NetBus backdoor" },
	{ "16660/tcp", "Stacheldraht DDoS handler" },
	{ "20034/tcp", "NetBus 2 Pro backdoor" },
	{ "27374/tcp", "SubSeven backdoor" },
	{ "27444/udp", "Trin00 DDoS agent" },
	{ "27665/tcp", "Trin00 DDoS master" },
	{ "31335/udp", "Trin00 DDoS agent to master" },
	{ "31337/tcp,31337/udp", "Back Orifice backdoor" },
	{ "54320-54321/tcp", "Back Orifice 2000 backdoor" },
	{ "65000/tcp", "Stacheldraht DDoS agent" },
};
uint8_t *
port_flags(void)
{
	return xcalloc(65536, 1);
}

unsigned
proto_code(const char *s, size_t n)
{
	if (n == 3 && strncasecmp(s, "tcp", 3) == 0)
		return P_TCP;
	if (n == 3 && strncasecmp(s, "udp", 3) == 0)
		return P_UDP;
	return P_OTHER;
}

/*
 * parse_ports: "PORT[-PORT][/PROTO]" items separated by commas; fn is
 * called for each port range and protocol mask.  Returns -1 on a bad item
 * (the message names it).
 */
int
parse_ports(const char *what, const char *list,
    void (*fn)(void *, unsigned, unsigned, unsigned), void *arg)
{
	char **items = strv_split(list, ',', NULL);
	int bad = 0;

	for (char **it = items; *it != NULL && !bad; it++) {
		char *item = *it, *slash, *dash;
		long long lo, hi;
		unsigned pmask = PM_ANY;

		if (*item == '\0')
			continue;
		if ((slash = strchr(item, '/')) != NULL) {
			*slash++ = '\0';
			if (strcasecmp(slash, "tcp") == 0)
				pmask = PM_TCP;
			else if (strcasecmp(slash, "udp") == 0)
				pmask = PM_UDP;
			else {
				warnx("%s: '%s': protocol must be tcp or udp",
				    what, slash);
				bad = 1;
				break;
			}
		}
		if ((dash = strchr(item, '-')) != NULL)
			*dash++ = '\0';
		if (parse_num_span(item, strlen(item), 0, 65535, &lo) != 0 ||
		    parse_num_span(dash ? dash : item, strlen(dash ? dash :
		    item), 0, 65535, &hi) != 0 ||
		    hi < lo) {
			warnx("%s: '%s%s%s': not a port or port range", what,
			    item, dash ? "-" : "", dash ? dash : "");
			bad = 1;
			break;
		}
		fn(arg, (unsigned)lo, (unsigned)hi, pmask);
	}
	strv_free(items);
	return bad ? -1 : 0;
}

struct watch_add {
	struct pw	*pw;
	int		 irc;
	const char	*reason;
	int		 done;		/* the watches entry exists */
};

static void
watch_range(void *arg, unsigned lo, unsigned hi, unsigned pmask)
{
	struct watch_add *wa = arg;
	struct pw *pw = wa->pw;

	if (!wa->done) {
		if (pw->nwatches >= 65535)
			errx(EXIT_ERROR, "too many watched port entries");
		pw->watches = xreallocarray(pw->watches, pw->nwatches + 1,
		    sizeof *pw->watches);
		pw->watches[pw->nwatches].irc = wa->irc;
		pw->watches[pw->nwatches].reason = xstrdup(wa->reason);
		pw->nwatches++;
		wa->done = 1;
	}
	for (unsigned p = 0; p < P_N; p++) {
		if (!(pmask & (1u << p)))
			continue;
		for (unsigned port = lo; port <= hi; port++)
			pw->watch[p][port] = (uint16_t)pw->nwatches;
	}
}

void
watch_clear(struct pw *pw, int irc)
{
	for (unsigned p = 0; p < P_N; p++)
		for (unsigned port = 0; port < 65536; port++) {
			uint16_t i = pw->watch[p][port];

			if (i != 0 && pw->watches[i - 1].irc == irc)
				pw->watch[p][port] = 0;
		}
}

void
watch_list(struct pw *pw, const char *what, const char *list, int irc,
    const char *reason)
{
	struct watch_add wa = { pw, irc, reason, 0 };

	if (parse_ports(what, list, watch_range, &wa) != 0)
		exit(EXIT_ERROR);
}

/*
 * watch_file: --ports-file, a CSV with a header: port (N or N-M, required),
 * proto (tcp, udp, empty for both), rule (irc or watched; empty watched),
 * reason (free text for the alert's detail).
 */
void
watch_file(struct pw *pw, const char *path)
{
	char *paths[1] = { (char *)path };
	struct rec_reader *r;
	int cport, cproto, crule, creason, rc, bad = 0;

	if ((r = rec_open(paths, 1)) == NULL)
		exit(EXIT_ERROR);
	if ((cport = rec_col(r, "port")) < 0)
		errx(EXIT_ERROR, "%s: missing column 'port'", path);
	cproto = rec_col(r, "proto");
	crule = rec_col(r, "rule");
	creason = rec_col(r, "reason");
	while ((rc = rec_next(r)) == 1) {
		const char *port = rec_get(r, cport, NULL);
		const char *proto = rec_get(r, cproto, NULL);
		const char *rule = rec_get(r, crule, NULL);
		char *item, where[64];
		int irc;

		if (*rule == '\0' || strcmp(rule, "watched") == 0)
			irc = 0;
		else if (strcmp(rule, "irc") == 0)
			irc = 1;
		else {
			warnx("%s:%lu: rule '%s' must be irc or watched", path,
			    rec_line(r), rule);
			bad = 1;
			continue;
		}
		if (strchr(port, ',') != NULL) {
			warnx("%s:%lu: one port or range per line", path,
			    rec_line(r));
			bad = 1;
			continue;
		}
		if (asprintf(&item, "%s%s%s", port, *proto ? "/" : "",
		    proto) < 0)
			errx(EXIT_ERROR, "out of memory");
		snprintf(where, sizeof where, "%s:%lu", path, rec_line(r));
		{
			struct watch_add wa = { pw, irc,
			    rec_get(r, creason, NULL), 0 };

			if (parse_ports(where, item, watch_range, &wa) != 0)
				bad = 1;
		}
		free(item);
	}
	if (rc < 0 || rec_status(r) != 0)
		bad = 1;
	rec_close(r);
	if (bad)
		exit(EXIT_ERROR);
}

void
flag_range(void *arg, unsigned lo, unsigned hi, unsigned pmask)
{
	uint8_t **flags = arg;

	for (unsigned p = 0; p < P_N; p++)
		if (pmask & (1u << p))
			for (unsigned port = lo; port <= hi; port++)
				flags[p][port] = 1;
}

static void
flag_one(void *arg, unsigned lo, unsigned hi, unsigned pmask)
{
	uint8_t *flags = arg;

	(void)pmask;
	for (unsigned port = lo; port <= hi; port++)
		flags[port] = 1;
}

/*
 * where_parse: "dport=LIST proto=P cc=LIST": terms separated by blanks,
 * each KEY=VALUE; cc=!LIST means any known country except those.
 */
void
where_parse(struct pw *pw, const char *text)
{
	struct where *w;
	char *copy = xstrdup(text), *save = NULL, *term;
	size_t len = 0, cap = 0;
	int nterms = 0;

	pw->wheres = xreallocarray(pw->wheres, pw->nwheres + 1,
	    sizeof *pw->wheres);
	w = &pw->wheres[pw->nwheres++];
	memset(w, 0, sizeof *w);
	w->pmask = PM_ANY;
	w->text = NULL;
	rec_escape(&w->text, &len, &cap, text, strlen(text));
	w->text = xrealloc(w->text, len + 1);
	w->text[len] = '\0';
	for (term = strtok_r(copy, " \t", &save); term != NULL;
	    term = strtok_r(NULL, " \t", &save)) {
		char *val = strchr(term, '=');

		if (val == NULL)
			errx(EXIT_ERROR, "--where: '%s': want KEY=VALUE", term);
		*val++ = '\0';
		nterms++;
		if (strcmp(term, "dport") == 0) {
			if (w->ports == NULL)
				w->ports = port_flags();
			if (parse_ports("--where dport", val, flag_one,
			    w->ports) != 0)
				exit(EXIT_ERROR);
		} else if (strcmp(term, "proto") == 0) {
			if (strcasecmp(val, "tcp") == 0)
				w->pmask = PM_TCP;
			else if (strcasecmp(val, "udp") == 0)
				w->pmask = PM_UDP;
			else
				errx(EXIT_ERROR, "--where: proto '%s': want "
				    "tcp or udp", val);
		} else if (strcmp(term, "cc") == 0) {
			char **v;
			size_t n;

			if (*val == '!') {
				w->cc_not = 1;
				val++;
			}
			v = strv_split(val, ',', &n);
			w->cc = xreallocarray(NULL, n, sizeof *w->cc);
			for (size_t i = 0; i < n; i++) {
				if (strlen(v[i]) != 2)
					errx(EXIT_ERROR, "--where: cc '%s': "
					    "want two-letter codes", v[i]);
				w->cc[i][0] = (char)(v[i][0] & ~0x20);
				w->cc[i][1] = (char)(v[i][1] & ~0x20);
				w->cc[i][2] = '\0';
			}
			w->ncc = n;
			strv_free(v);
		} else
			errx(EXIT_ERROR, "--where: unknown key '%s' (dport, "
			    "proto or cc)", term);
	}
	free(copy);
	if (nterms == 0)
		errx(EXIT_ERROR, "--where: empty condition");
}

int
where_match(const struct where *w, const struct pev *e)
{
	if (w->ports != NULL && !w->ports[e->dport])
		return 0;
	if (!(w->pmask & (1u << e->proto)))
		return 0;
	if (w->cc != NULL) {
		int in = 0;

		/* An unknown country never matches, negated or not: a
		 * condition on countries is about known ones. */
		if (e->cc[0] == '\0')
			return 0;
		for (size_t i = 0; i < w->ncc && !in; i++)
			in = strcmp(w->cc[i], e->cc) == 0;
		if (in == w->cc_not)
			return 0;
	}
	return 1;
}

/*
 * baseline_load: earlier `tally -k dport,proto --distinct src` output: a
 * port whose distinct_src is above the rare threshold is common from the
 * start.  Without a proto column a row covers every protocol.
 */
void
baseline_load(struct pw *pw, const char *path)
{
	char *paths[1] = { (char *)path };
	struct rec_reader *r;
	int cport, cproto, cdist, rc, bad = 0;

	if ((r = rec_open(paths, 1)) == NULL)
		exit(EXIT_ERROR);
	cport = rec_need(r, "dport");
	cdist = rec_need(r, "distinct_src");
	cproto = rec_col(r, "proto");
	while ((rc = rec_next(r)) == 1) {
		size_t n, pn;
		const char *port = rec_get(r, cport, &n);
		const char *dist;
		const char *proto = rec_get(r, cproto, &pn);
		long long p, d;

		if (parse_num_span(port, n, 0, 65535, &p) != 0)
			continue;	/* tally's empty-port row (ICMP) */
		dist = rec_get(r, cdist, &n);
		if (parse_num_span(dist, n, 0, LLONG_MAX, &d) != 0) {
			warnx("%s:%lu: bad distinct_src '%s'", path,
			    rec_line(r), dist);
			bad = 1;
			continue;
		}
		if (d <= pw->rare_hosts)
			continue;
		if (cproto < 0 || pn == 0) {
			for (unsigned k = 0; k < P_N; k++)
				pw->baseline[k][p] = 1;
		} else
			pw->baseline[proto_code(proto, pn)][p] = 1;
	}
	if (rc < 0 || rec_status(r) != 0)
		bad = 1;
	rec_close(r);
	if (bad)
		exit(EXIT_ERROR);
}


void
watch_defaults(struct pw *pw)
{
	for (size_t i = 0; i < sizeof default_watch / sizeof default_watch[0];
	    i++)
		watch_list(pw, "--ports", default_watch[i].ports, 0,
		    default_watch[i].reason);
	watch_list(pw, "--irc-ports", IRC_DEFAULT, 1, "");
}
