/* portwatch: outbound traffic to ports an organisation should not see. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "det.h"
#include "portwatch.h"
#include "ip.h"
#include "map.h"
#include "opt.h"
#include "rec.h"
#include "tm.h"
#include "util.h"

#define SYNOPSIS "[-ehuV] [-a FILE] [-b FILE] [-c LIST] [-d DB] " \
	"[-f FILE] [-g DUR] [-H DUR] [-i LIST] [-L DUR] [-n N] [-p LIST] " \
	"[-W DUR] [-w COND]... [-x ROLES] [-z ZONE] [FILE...]"
#define PURPOSE "Alert on outbound traffic to watched, rare or " \
	"unwanted ports."

#define GAP_DEFAULT	(60 * 60 * 1000LL)		/* 1h */
#define HORIZON_DEFAULT	(7 * 24 * 60 * 60 * 1000LL)	/* 7d */
#define RARE_HOSTS_DEFAULT 2
/* Ports are learned per protocol: 3 protocols of 65536 ports. */
#define RARE_MAXKEYS	(3 * 65536)
/* Hosts remembered in all for the rare check (16 bytes each plus the
 * window's bookkeeping): with the default 2 hosts every port fits. */
#define RARE_MAXVALS	(1u << 20)
/* Outside hosts counted per rare episode: a scan of a /16 on a rare port
 * stays one alert; its count of hosts is exact up to this many. */
#define RARE_DST_SETCAP	4096
#define RARE_DST_MAXKEYS 65536

static const struct optdef opts[] = {
	DET_OPT_ASSETS,
	{ "baseline", 'b', required_argument, "FILE",
	  "tally -k dport,proto --distinct src output of earlier days" },
	{ "common", 'c', required_argument, "LIST",
	  "ports never rare (default: the common services)" },
	{ "db", 'd', required_argument, "DB",
	  "country database for --where cc= (instead of dst_cc)" },
	DET_OPT_EXIT,
	{ "ports-file", 'f', required_argument, "FILE",
	  "watched ports from a CSV file (port,proto,rule,reason)" },
	DET_OPT_GAP,
	{ "horizon", 'H', required_argument, "DUR",
	  "how long a host's use of a port counts (default 7d)" },
	DET_OPT_HELP,
	{ "irc-ports", 'i', required_argument, "LIST",
	  "IRC ports (default 6660-6669,6697,7000/tcp)" },
	DET_OPT_LATENESS,
	{ "rare-hosts", 'n', required_argument, "N",
	  "a port used by at most N inside hosts is rare (default 2; 0 off)" },
	{ "ports", 'p', required_argument, "LIST",
	  "watched backdoor and bot ports (default: see the man page)" },
	DET_OPT_LINEBUF,
	DET_OPT_VERSION,
	{ "warmup", 'W', required_argument, "DUR",
	  "learn ports but raise no rare alert for DUR (default 0)" },
	{ "where", 'w', required_argument, "COND",
	  "alert on 'dport=LIST proto=P cc=LIST' (repeatable)" },
	{ "exempt", 'x', required_argument, "ROLES",
	  "sources with these roles are not checked (default scanner)" },
	DET_OPT_TZ,
	{ NULL, 0, 0, NULL, NULL }
};


/* ---- the country database for --where cc= with -d ---- */

static MMDB_s geodb;
static int have_geodb;

static void
geodb_open(const char *path)
{
	int status;

	errno = 0;
	status = MMDB_open(path, MMDB_MODE_MMAP, &geodb);
	if (status != MMDB_SUCCESS)
		errx(EXIT_ERROR, "%s: %s%s%s", path, MMDB_strerror(status),
		    errno ? ": " : "", errno ? strerror(errno) : "");
	if (geodb.metadata.database_type == NULL ||
	    (strcasestr(geodb.metadata.database_type, "Country") == NULL &&
	    strcasestr(geodb.metadata.database_type, "City") == NULL))
		errx(EXIT_ERROR, "%s: not a Country or City database", path);
	have_geodb = 1;
}

/* geodb_cc: the country of a (private addresses have none). */
static void
geodb_cc(const struct ip_addr *a, char cc[3])
{
	struct sockaddr_storage ss;
	MMDB_lookup_result_s res;
	MMDB_entry_data_s ed;
	int status;

	cc[0] = '\0';
	if (ip_is_private(a))
		return;
	memset(&ss, 0, sizeof ss);
	if (ip_is4(a)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a->b + 12, 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a->b, 16);
	}
	res = MMDB_lookup_sockaddr(&geodb, (struct sockaddr *)&ss, &status);
	if (status != MMDB_SUCCESS || !res.found_entry)
		return;
	if ((MMDB_get_value(&res.entry, &ed, "country", "iso_code", NULL) !=
	    MMDB_SUCCESS || !ed.has_data) &&
	    (MMDB_get_value(&res.entry, &ed, "registered_country",
	    "iso_code", NULL) != MMDB_SUCCESS || !ed.has_data))
		return;
	if (ed.type == MMDB_DATA_TYPE_UTF8_STRING && ed.data_size == 2) {
		cc[0] = ed.utf8_string[0];
		cc[1] = ed.utf8_string[1];
		cc[2] = '\0';
	}
}

/* ---- the checks ---- */

/*
 * A record without a protocol (a proxy or web log that does not say) is
 * judged by its port alone: its port is watched if it is watched for any
 * protocol, and common or in the baseline if it is so for any protocol.
 * Guessing tcp would miss a udp-only watch; treating it as a protocol of
 * its own would make 80 and 443 rare on every proxy log.  A named protocol
 * other than tcp and udp (sctp, gre) stays a protocol of its own.
 */
static uint16_t
watch_of(const struct pw *pw, unsigned proto, int noproto, unsigned port)
{
	uint16_t wi = pw->watch[proto][port];

	if (wi == 0 && noproto)
		wi = pw->watch[P_TCP][port] != 0 ? pw->watch[P_TCP][port] :
		    pw->watch[P_UDP][port];
	return wi;
}

static int
never_rare(const struct pw *pw, unsigned proto, int noproto, unsigned port)
{
	if (pw->common[proto][port] || pw->baseline[proto][port])
		return 1;
	if (!noproto)
		return 0;
	for (unsigned p = 0; p < P_N; p++)
		if (pw->common[p][port] || pw->baseline[p][port])
			return 1;
	return 0;
}

static void
make_key(struct pkey *k, const struct pev *e)
{
	memcpy(k->src, e->src.b, 16);
	memcpy(k->dst, e->dst.b, 16);
	k->port[0] = (uint8_t)(e->dport >> 8);
	k->port[1] = (uint8_t)e->dport;
	k->proto = e->proto;
}

static void
port_text(char *buf, size_t n, unsigned port, unsigned proto)
{
	snprintf(buf, n, "%u%s%s", port, proto != P_OTHER ? "/" : "",
	    proto_name[proto]);
}

/* describe: the episode's sentence; count and blocked as of now. */
static char *
describe(struct pw *pw, struct det_check *c, const struct pkey *k,
    const struct pep *u, uint64_t count)
{
	char port[16], dst[IP_STRLEN], *s, *what = NULL;
	struct ip_addr a;
	unsigned p = ((unsigned)k->port[0] << 8) | k->port[1];
	int rc;

	memcpy(a.b, k->dst, 16);
	ip_format(&a, dst);
	port_text(port, sizeof port, p, k->proto);
	if (c == pw->c_irc || c == pw->c_watched) {
		const char *reason = pw->watches[u->what].reason;

		rc = asprintf(&what, "%s port %s%s%s%s to",
		    c == pw->c_irc ? "IRC" : "watched", port,
		    *reason ? " (" : "", reason, *reason ? ")" : "");
	} else if (c == pw->c_rare) {
		/* A rare episode is keyed without its destination: name the
		 * first one and say how many there were. */
		memcpy(a.b, u->dst, 16);
		ip_format(&a, dst);
		if (u->dsts > 1)
			rc = asprintf(&what, "rare port %s (%u inside host%s)"
			    " to %u outside hosts, first", port, u->hosts,
			    u->hosts == 1 ? "" : "s", u->dsts);
		else
			rc = asprintf(&what, "rare port %s (%u inside host%s)"
			    " to", port, u->hosts, u->hosts == 1 ? "" : "s");
	} else
		rc = asprintf(&what, "port %s matches where '%s' to", port,
		    pw->wheres[u->what].text);
	if (rc < 0)
		errx(EXIT_ERROR, "out of memory");
	rc = asprintf(&s, "%s %s%s%s%s; %llu of %llu blocked", what, dst,
	    u->cc[0] ? " (" : "", u->cc, u->cc[0] ? ")" : "",
	    (unsigned long long)u->blocked, (unsigned long long)count);
	if (rc < 0)
		errx(EXIT_ERROR, "out of memory");
	free(what);
	return s;
}

struct close_arg {
	struct pw		*pw;
	struct det_check	*c;
};

static void
on_close(struct det_ep *ep, void *arg)
{
	struct close_arg *ca = arg;
	size_t klen;
	const struct pkey *k = det_ep_key(ep, &klen);
	char *s = describe(ca->pw, ca->c, k, det_ep_udata(ep),
	    det_ep_count(ep));

	det_ep_detail(ep, "%s", s);
	free(s);
}

/* contribute: one event of an episode of check c for e; opens it when
 * none is open. */
static void
contribute(struct pw *pw, struct det_check *c, const struct pev *e,
    int64_t t, uint32_t what, uint32_t hosts, uint32_t dsts)
{
	struct pkey k;
	struct det_ep *ep;
	struct pep *u;

	make_key(&k, e);
	if (c == pw->c_rare)
		memset(k.dst, 0, sizeof k.dst);
	if ((ep = det_ep_touch(c, &k, PKEY_LEN, t)) == NULL) {
		struct pep tmp;
		struct det_alert al = { 0 };
		char *detail;

		memset(&tmp, 0, sizeof tmp);
		tmp.what = what;
		tmp.hosts = hosts;
		tmp.dsts = dsts;
		memcpy(tmp.dst, e->dst.b, 16);
		tmp.blocked = e->blocked;
		memcpy(tmp.cc, e->cc, sizeof tmp.cc);
		detail = describe(pw, c, &k, &tmp, 1);
		al.src = &e->src;
		al.dst = &e->dst;
		al.dport = e->dport;
		al.host = e->host;
		al.user = e->user;
		al.detail = detail;
		ep = det_ep_open(c, &k, PKEY_LEN, t, 1, t, &al);
		free(detail);
		u = det_ep_udata(ep);
		*u = tmp;
		return;
	}
	u = det_ep_udata(ep);
	u->blocked += e->blocked;
	if (hosts > u->hosts)
		u->hosts = hosts;
	if (dsts > u->dsts)
		u->dsts = dsts;
	if (u->cc[0] == '\0')
		memcpy(u->cc, e->cc, sizeof u->cc);
}

static void
process(struct det *d, void *evp, int64_t t, void *arg)
{
	struct pw *pw = arg;
	struct pev *e = evp;
	uint16_t wi;

	(void)d;
	if (pw->t0 == TM_NONE)
		pw->t0 = t;
	wi = watch_of(pw, e->proto, e->noproto, e->dport);
	if (wi != 0)
		contribute(pw, pw->watches[wi - 1].irc ? pw->c_irc :
		    pw->c_watched, e, t, wi - 1, 0, 0);
	for (size_t i = 0; i < pw->nwheres; i++)
		if (where_match(&pw->wheres[i], e)) {
			contribute(pw, pw->c_where, e, t, (uint32_t)i, 0, 0);
			break;
		}
	/*
	 * Rare: the port's inside users within the horizon, this host
	 * included.  Watched and common ports have their own answer.
	 */
	if (pw->rare != NULL && wi == 0 &&
	    !never_rare(pw, e->proto, e->noproto, e->dport)) {
		uint8_t key[3] = { e->proto, (uint8_t)(e->dport >> 8),
		    (uint8_t)e->dport };
		size_t hosts = det_win_add(pw->rare, key, e->src.b, t, NULL);

		if ((long long)hosts <= pw->rare_hosts &&
		    t - pw->t0 >= pw->warmup) {
			uint8_t dk[19];
			size_t dsts;

			memcpy(dk, key, 3);
			memcpy(dk + 3, e->src.b, 16);
			dsts = det_win_add(pw->rare_dst, dk, e->dst.b, t, NULL);
			contribute(pw, pw->c_rare, e, t, 0, (uint32_t)hosts,
			    (uint32_t)dsts);
		}
	}
	free(e->host);
	free(e->user);
}

/*
 * candidate_port: a record to this port could contribute to some check
 * (before its addresses are known); candidate: the event could.  Only
 * candidates enter the reorder buffer: web and mail, the bulk of a log,
 * cost a port parse here and nothing more.  What the checks see is still
 * decided by event time alone, so replay equals live.
 */
static int
candidate_port(const struct pw *pw, unsigned proto, int noproto,
    unsigned port)
{
	if (watch_of(pw, proto, noproto, port) != 0)
		return 1;
	for (size_t i = 0; i < pw->nwheres; i++) {
		const struct where *w = &pw->wheres[i];

		if ((w->ports == NULL || w->ports[port]) &&
		    (w->pmask & (1u << proto)))
			return 1;
	}
	return pw->rare != NULL && !never_rare(pw, proto, noproto, port);
}

static int
candidate(const struct pw *pw, const struct pev *e)
{
	if (watch_of(pw, e->proto, e->noproto, e->dport) != 0)
		return 1;
	for (size_t i = 0; i < pw->nwheres; i++)
		if (where_match(&pw->wheres[i], e))
			return 1;
	return pw->rare != NULL &&
	    !never_rare(pw, e->proto, e->noproto, e->dport);
}


static int
exempt(const struct pw *pw, const struct ip_addr *a)
{
	for (char **r = pw->exempt; *r != NULL; r++)
		if (**r != '\0' && det_role(pw->det, a, *r))
			return 1;
	return 0;
}

static void
pw_free(struct pw *pw)
{
	if (pw->rare != NULL)
		det_win_free(pw->rare);
	if (pw->rare_dst != NULL)
		det_win_free(pw->rare_dst);
	for (unsigned p = 0; p < P_N; p++) {
		free(pw->watch[p]);
		free(pw->common[p]);
		free(pw->baseline[p]);
	}
	for (size_t i = 0; i < pw->nwatches; i++)
		free(pw->watches[i].reason);
	free(pw->watches);
	for (size_t i = 0; i < pw->nwheres; i++) {
		free(pw->wheres[i].text);
		free(pw->wheres[i].ports);
		free(pw->wheres[i].cc);
	}
	free(pw->wheres);
	strv_free(pw->exempt);
	if (have_geodb)
		MMDB_close(&geodb);
}

/*
 * portwatch watches outbound traffic from inside hosts to the outside
 * for what an organisation should not see: IRC and known backdoor and bot
 * ports, ports few inside hosts ever use, and operator conditions such as
 * "8080/tcp to CN or KR".  One alert per episode of (src, dst, dport);
 * a rare port's episode is (src, dport) whatever the destination, so a
 * scan on a rare port is one alert, not one per host scanned.
 */
int
main(int argc, char *argv[])
{
	struct det_opts o;
	struct pw pw;
	struct rec_reader *r;
	const char *baseline = NULL, *ports = NULL, *irc = NULL;
	const char *common = COMMON_DEFAULT, *ports_file = NULL;
	const char *geopath = NULL, *exempt_roles = "scanner";
	char **wheres;
	size_t nwheres = 0;
	int c, rc, cts, csrc, cdst, cdport, cproto, caction, chost, cuser;
	int ccc;
	struct close_arg ca[4];

	memset(&pw, 0, sizeof pw);
	pw.rare_hosts = RARE_HOSTS_DEFAULT;
	pw.horizon = HORIZON_DEFAULT;
	pw.t0 = TM_NONE;
	wheres = xcalloc(argc, sizeof *wheres);
	det_opts_init(&o, SYNOPSIS, PURPOSE, opts);
	while ((c = opt_next(argc, argv, opts)) != -1) {
		if (det_opt(&o, c, optarg))
			continue;
		switch (c) {
		case 'b':
			baseline = optarg;
			break;
		case 'c':
			common = optarg;
			break;
		case 'd':
			geopath = optarg;
			break;
		case 'f':
			ports_file = optarg;
			break;
		case 'H':
			pw.horizon = opt_duration("--horizon", optarg);
			if (pw.horizon <= 0)
				errx(EXIT_ERROR, "--horizon: %s: must be "
				    "positive", optarg);
			break;
		case 'i':
			irc = optarg;
			break;
		case 'n':
			pw.rare_hosts = opt_num("--rare-hosts", optarg, 0,
			    1000);
			break;
		case 'p':
			ports = optarg;
			break;
		case 'W':
			pw.warmup = opt_duration("--warmup", optarg);
			break;
		case 'w':
			wheres[nwheres++] = optarg;
			break;
		case 'x':
			exempt_roles = optarg;
			break;
		default:
			det_usage(&o);
		}
	}

	for (unsigned p = 0; p < P_N; p++) {
		pw.watch[p] = xcalloc(65536, sizeof *pw.watch[p]);
		pw.common[p] = port_flags();
		pw.baseline[p] = port_flags();
	}
	if (ports_file != NULL)
		watch_file(&pw, ports_file);
	else {
		watch_defaults(&pw);
	}
	if (ports != NULL) {
		watch_clear(&pw, 0);
		watch_list(&pw, "--ports", ports, 0, "");
	}
	if (irc != NULL) {
		watch_clear(&pw, 1);
		watch_list(&pw, "--irc-ports", irc, 1, "");
	}
	if (parse_ports("--common", common, flag_range, pw.common) != 0)
		exit(EXIT_ERROR);
	for (size_t i = 0; i < nwheres; i++)
		where_parse(&pw, wheres[i]);
	free(wheres);
	if (baseline != NULL)
		baseline_load(&pw, baseline);
	if (geopath != NULL)
		geodb_open(geopath);
	pw.exempt = strv_split(exempt_roles, ',', NULL);

	if ((r = rec_open(argv + optind, argc - optind)) == NULL) {
		pw_free(&pw);
		return EXIT_ERROR;
	}
	cts = rec_need(r, "ts");
	csrc = rec_need(r, "src");
	cdst = rec_need(r, "dst");
	cdport = rec_need(r, "dport");
	cproto = rec_col(r, "proto");
	caction = rec_col(r, "action");
	chost = rec_col(r, "host");
	cuser = rec_col(r, "user");
	ccc = rec_col(r, "dst_cc");
	if (!have_geodb && ccc < 0)
		for (size_t i = 0; i < pw.nwheres; i++)
			if (pw.wheres[i].cc != NULL)
				errx(EXIT_ERROR, "%s: --where cc= needs a "
				    "dst_cc column (run geoip first) or -d DB",
				    rec_file(r));

	pw.det = det_new(&o, sizeof(struct pev), process, &pw);
	pw.c_irc = det_check(pw.det, "portwatch.irc", "high", GAP_DEFAULT,
	    sizeof(struct pep));
	pw.c_watched = det_check(pw.det, "portwatch.watched", "high",
	    GAP_DEFAULT, sizeof(struct pep));
	pw.c_rare = det_check(pw.det, "portwatch.rare", "low", GAP_DEFAULT,
	    sizeof(struct pep));
	pw.c_where = det_check(pw.det, "portwatch.where", "medium",
	    GAP_DEFAULT, sizeof(struct pep));
	ca[0] = (struct close_arg){ &pw, pw.c_irc };
	ca[1] = (struct close_arg){ &pw, pw.c_watched };
	ca[2] = (struct close_arg){ &pw, pw.c_rare };
	ca[3] = (struct close_arg){ &pw, pw.c_where };
	for (int i = 0; i < 4; i++)
		det_check_on_close(ca[i].c, on_close, &ca[i]);
	if (pw.rare_hosts > 0) {
		pw.rare = det_win_new(3, 16, pw.horizon,
		    (size_t)pw.rare_hosts + 1, RARE_MAXKEYS, RARE_MAXVALS);
		pw.rare_dst = det_win_new(19, 16,
		    det_check_gap(pw.c_rare), RARE_DST_SETCAP,
		    RARE_DST_MAXKEYS, RARE_MAXVALS);
	}

	while ((rc = rec_next(r)) == 1) {
		struct pev e;
		int64_t t;
		int port;
		size_t n;
		const char *s;

		/* The warm-up counts from the first record, whatever it is. */
		if (pw.t0 == TM_NONE && pw.warmup > 0) {
			s = rec_get(r, cts, &n);
			if (tm_parse(s, n, 0, &t) == 0)
				pw.t0 = t;
		}
		/* The port first: most records go to common services and
		 * can be dropped before any address is parsed. */
		if ((port = det_port(r, cdport)) < 0)
			continue;
		e.dport = (uint16_t)port;
		s = rec_get(r, cproto, &n);
		e.proto = (uint8_t)proto_code(s, n);
		e.noproto = n == 0;
		if (!candidate_port(&pw, e.proto, e.noproto, e.dport))
			continue;
		if (det_addr(r, csrc, &e.src) != 0 ||
		    det_addr(r, cdst, &e.dst) != 0)
			continue;
		/* Outbound only: inside to outside. */
		if (!det_inside(pw.det, &e.src) || det_inside(pw.det, &e.dst))
			continue;
		if (exempt(&pw, &e.src))
			continue;
		e.cc[0] = '\0';
		if (have_geodb)
			geodb_cc(&e.dst, e.cc);
		else if (ccc >= 0) {
			s = rec_get(r, ccc, &n);
			if (n == 2) {
				memcpy(e.cc, s, 2);
				e.cc[2] = '\0';
			}
		}
		if (!candidate(&pw, &e))
			continue;
		if (det_ts(pw.det, r, cts, &t) != 0)
			continue;
		s = rec_get(r, caction, &n);
		e.blocked = (uint8_t)det_refused(s, n);
		s = rec_get(r, chost, &n);
		e.host = n ? xstrndup(s, n) : NULL;
		s = rec_get(r, cuser, &n);
		e.user = n ? xstrndup(s, n) : NULL;
		if (det_push(pw.det, t, &e) != 0) {
			free(e.host);
			free(e.user);
		}
	}
	rc = det_finish(pw.det, rc < 0 ? EXIT_ERROR : rec_status(r));
	rec_close(r);
	pw_free(&pw);
	return rc;
}
