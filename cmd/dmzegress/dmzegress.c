/* dmzegress: DMZ servers talking to the outside beyond their role. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "det.h"
#include "ip.h"
#include "map.h"
#include "opt.h"
#include "rec.h"
#include "site.h"
#include "tm.h"
#include "util.h"

#define SYNOPSIS "[-ehnruV] [-a FILE] [-g DUR] [-L DUR] [-p FILE] " \
	"[-z ZONE] [FILE...]"
#define PURPOSE "Alert on DMZ servers' outbound traffic beyond their role."

#define GAP_DEFAULT	(60 * 60 * 1000LL)	/* 1h */
/* --report rows held at once; past it the run fails (exit 2) rather than
 * print a report that quietly lacks rows. */
#define REPORT_MAX	1000000

static const struct optdef opts[] = {
	DET_OPT_ASSETS,
	DET_OPT_EXIT,
	DET_OPT_GAP,
	DET_OPT_HELP,
	DET_OPT_LATENESS,
	{ "violations", 'n', no_argument, NULL,
	  "with --report, only rows the policy does not allow" },
	{ "policy", 'p', required_argument, "FILE",
	  "egress policy CSV (net,proto,dport,dst) replacing the defaults" },
	{ "report", 'r', no_argument, NULL,
	  "aggregate DMZ egress per server, proto, dport and dst" },
	DET_OPT_LINEBUF,
	DET_OPT_VERSION,
	DET_OPT_TZ,
	{ NULL, 0, 0, NULL, NULL }
};

enum { P_OTHER, P_TCP, P_UDP };
#define PM_TCP	(1u << P_TCP)
#define PM_UDP	(1u << P_UDP)
#define PM_ANY	(PM_TCP | PM_UDP | (1u << P_OTHER))

/* One policy line: which DMZ hosts may reach which ports where. */
struct rule {
	int		 any_src;	/* every DMZ host */
	struct ip_net	 src;		/* else this network ... */
	char		*role;		/* ... or hosts with this role */
	unsigned	 pmask;
	unsigned	 lo, hi;	/* ports */
	int		 any_dst;
	struct ip_net	 dst;
};

/*
 * The default policy (man page, POLICY): a DMZ serves inbound requests;
 * outward it needs only what its role implies, and every host may keep
 * its clock.
 */
static const char *const default_policy[][4] = {
	/* net, proto, dport, dst */
	{ "role:proxy", "tcp", "80", "" },
	{ "role:proxy", "tcp", "443", "" },
	{ "role:proxy", "tcp", "21", "" },
	{ "role:dns", "udp", "53", "" },
	{ "role:dns", "tcp", "53", "" },
	{ "role:mailrelay", "tcp", "25", "" },
	{ "", "udp", "123", "" },
};

static struct rule *rules;
static size_t nrules;

/* An event as det orders it: only violations are pushed. */
struct dev {
	struct ip_addr	 src, dst;
	uint16_t	 dport;
	uint8_t		 proto;
	uint8_t		 blocked;
	char		*host, *user;
};

struct dep {
	uint64_t	 blocked;
};

/* The report's row key; the protocol text follows, any length. */
struct rkey {
	uint8_t		 src[16], dst[16];
	uint8_t		 port[2];
};
struct rrow {
	uint64_t	 count, blocked;
	int64_t		 first, last;
	int		 allowed;
};

struct dz {
	struct det	*det;
	const struct site *site;
	struct det_check *c_egress;
};

static const char *const proto_name[] = { "", "tcp", "udp" };

static unsigned
proto_code(const char *s, size_t n)
{
	if (n == 3 && strncasecmp(s, "tcp", 3) == 0)
		return P_TCP;
	if (n == 3 && strncasecmp(s, "udp", 3) == 0)
		return P_UDP;
	return P_OTHER;
}

static int
is_any(const char *s)
{
	return *s == '\0' || strcmp(s, "*") == 0;
}

/* rule_add: one policy line; where names the line in messages.  Returns
 * -1 after a message on a bad field. */
static int
rule_add(const char *where, const char *net, const char *proto,
    const char *dport, const char *dst)
{
	struct rule ru;
	long long lo, hi;

	memset(&ru, 0, sizeof ru);
	if (is_any(net))
		ru.any_src = 1;
	else if (strncmp(net, "role:", 5) == 0 && net[5] != '\0')
		ru.role = xstrdup(net + 5);
	else if (ip_net_parse(net, strlen(net), &ru.src) != 0) {
		warnx("%s: net '%s': want an address, a network, role:NAME "
		    "or * for every DMZ host", where, net);
		return -1;
	}
	if (is_any(proto))
		ru.pmask = PM_ANY;
	else if (strcasecmp(proto, "tcp") == 0)
		ru.pmask = PM_TCP;
	else if (strcasecmp(proto, "udp") == 0)
		ru.pmask = PM_UDP;
	else {
		warnx("%s: proto '%s': want tcp, udp or * for both", where,
		    proto);
		free(ru.role);
		return -1;
	}
	if (is_any(dport)) {
		ru.lo = 0;
		ru.hi = 65535;
	} else {
		const char *dash = strchr(dport, '-');
		size_t n1 = dash ? (size_t)(dash - dport) : strlen(dport);

		if (parse_num_span(dport, n1, 0, 65535, &lo) != 0 ||
		    parse_num_span(dash ? dash + 1 : dport,
		    dash ? strlen(dash + 1) : n1, 0, 65535, &hi) != 0 ||
		    hi < lo) {
			warnx("%s: dport '%s': want a port, a range N-M or "
			    "* for any", where, dport);
			free(ru.role);
			return -1;
		}
		ru.lo = (unsigned)lo;
		ru.hi = (unsigned)hi;
	}
	if (is_any(dst))
		ru.any_dst = 1;
	else if (ip_net_parse(dst, strlen(dst), &ru.dst) != 0) {
		warnx("%s: dst '%s': want an address, a network or * for "
		    "anywhere", where, dst);
		free(ru.role);
		return -1;
	}
	rules = xreallocarray(rules, nrules + 1, sizeof *rules);
	rules[nrules++] = ru;
	return 0;
}

/* policy_load: --policy FILE, a CSV with a header naming net, proto,
 * dport and dst (a missing column means any). */
static void
policy_load(const char *path)
{
	char *paths[1] = { (char *)path };
	struct rec_reader *r;
	int cnet, cproto, cport, cdst, rc, bad = 0;

	if ((r = rec_open(paths, 1)) == NULL)
		exit(EXIT_ERROR);
	cnet = rec_col(r, "net");
	cproto = rec_col(r, "proto");
	cport = rec_col(r, "dport");
	cdst = rec_col(r, "dst");
	if (cnet < 0 && cproto < 0 && cport < 0 && cdst < 0)
		errx(EXIT_ERROR, "%s: no column of net, proto, dport, dst",
		    path);
	while ((rc = rec_next(r)) == 1) {
		char where[64];

		snprintf(where, sizeof where, "%s:%lu", path, rec_line(r));
		if (rule_add(where, rec_get(r, cnet, NULL),
		    rec_get(r, cproto, NULL), rec_get(r, cport, NULL),
		    rec_get(r, cdst, NULL)) != 0)
			bad = 1;
	}
	if (rc < 0 || rec_status(r) != 0)
		bad = 1;
	rec_close(r);
	if (bad)
		exit(EXIT_ERROR);
}

/* allowed: some policy line lets the DMZ host src (asset as) reach
 * dst:port. */
static int
allowed(const struct site_asset *as, const struct ip_addr *src,
    const struct ip_addr *dst, unsigned port, unsigned proto)
{
	for (size_t i = 0; i < nrules; i++) {
		const struct rule *ru = &rules[i];

		if (!(ru->pmask & (1u << proto)) || port < ru->lo ||
		    port > ru->hi)
			continue;
		if (!ru->any_dst && !ip_net_contains(&ru->dst, dst))
			continue;
		if (ru->role != NULL) {
			if (!site_asset_has_role(as, ru->role))
				continue;
		} else if (!ru->any_src && !ip_net_contains(&ru->src, src))
			continue;
		return 1;
	}
	return 0;
}


/* service: a name for the ports an operator reads at a glance. */
static const char *
service(unsigned port)
{
	switch (port) {
	case 21: return "ftp";
	case 22: return "ssh";
	case 23: return "telnet";
	case 25: return "smtp";
	case 53: return "dns";
	case 80: return "http";
	case 123: return "ntp";
	case 443: return "https";
	case 445: return "smb";
	case 3389: return "rdp";
	default: return NULL;
	}
}

static char *
describe(const struct dz *dz, const struct ip_addr *src,
    const struct ip_addr *dst, unsigned port, const char *proto,
    uint64_t blocked, uint64_t count)
{
	const struct site_asset *as = site_lookup(dz->site, src);
	const char *svc = service(port);
	char dtext[IP_STRLEN], *s;

	ip_format(dst, dtext);
	if (asprintf(&s, "%u%s%s%s%s%s from DMZ host%s%s to %s not allowed "
	    "by the egress policy; %llu of %llu blocked", port,
	    *proto ? "/" : "", proto, svc ? " (" : "", svc ? svc : "",
	    svc ? ")" : "", as && *as->name ? " " : "",
	    as && *as->name ? as->name : "", dtext,
	    (unsigned long long)blocked, (unsigned long long)count) < 0)
		errx(EXIT_ERROR, "out of memory");
	return s;
}

/* Episode key: (src, dst, dport) and the protocol. */
static size_t
make_key(uint8_t *k, const struct dev *e)
{
	memcpy(k, e->src.b, 16);
	memcpy(k + 16, e->dst.b, 16);
	k[32] = (uint8_t)(e->dport >> 8);
	k[33] = (uint8_t)e->dport;
	k[34] = e->proto;
	return 35;
}

static void
process(struct det *d, void *evp, int64_t t, void *arg)
{
	struct dz *dz = arg;
	struct dev *e = evp;
	uint8_t key[35];
	size_t klen = make_key(key, e);
	struct det_ep *ep;

	(void)d;
	if ((ep = det_ep_touch(dz->c_egress, key, klen, t)) == NULL) {
		struct det_alert al = { 0 };
		char *detail = describe(dz, &e->src, &e->dst, e->dport,
		    proto_name[e->proto], e->blocked, 1);

		al.src = &e->src;
		al.dst = &e->dst;
		al.dport = e->dport;
		al.host = e->host;
		al.user = e->user;
		al.detail = detail;
		ep = det_ep_open(dz->c_egress, key, klen, t, 1, t, &al);
		free(detail);
		((struct dep *)det_ep_udata(ep))->blocked = e->blocked;
	} else
		((struct dep *)det_ep_udata(ep))->blocked += e->blocked;
	free(e->host);
	free(e->user);
}

static void
on_close(struct det_ep *ep, void *arg)
{
	struct dz *dz = arg;
	size_t klen;
	const uint8_t *k = det_ep_key(ep, &klen);
	struct ip_addr src, dst;
	char *s;

	memcpy(src.b, k, 16);
	memcpy(dst.b, k + 16, 16);
	s = describe(dz, &src, &dst, ((unsigned)k[32] << 8) | k[33],
	    proto_name[k[34]],
	    ((struct dep *)det_ep_udata(ep))->blocked, det_ep_count(ep));
	det_ep_detail(ep, "%s", s);
	free(s);
}

/* ---- --report ---- */

struct rsort {
	const uint8_t	*key;
	size_t		 klen;
	struct rrow	*row;
};

static int
row_cmp(const void *pa, const void *pb)
{
	const struct rsort *a = pa, *b = pb;
	int r;

	/* server, then protocol, port and destination */
	if ((r = memcmp(a->key, b->key, 16)) != 0)
		return r;
	if ((r = strcmp((const char *)a->key + 34,
	    (const char *)b->key + 34)) != 0)
		return r;
	if ((r = memcmp(a->key + 32, b->key + 32, 2)) != 0)
		return r;
	return memcmp(a->key + 16, b->key + 16, 16);
}

static const char *const report_cols[] = { "src", "src_name", "proto",
	"dport", "dst", "verdict", "count", "blocked", "first", "last" };
#define NREPORT_COLS 10

/*
 * report: one row per (server, proto, dport, dst) of everything that the
 * run saw, in a fixed order, so two runs over the same day compare with
 * diff.  Returns the exit status.
 */
static int
report(const struct det_opts *o, struct rec_reader *r, const struct site *site,
    int violations_only, int cts, int csrc, int cdst, int cdport,
    int cproto, int caction)
{
	struct map *rows = map_new(sizeof(struct rrow));
	struct rec_writer *w;
	struct rsort *v;
	size_t n = 0, it = 0, cap = 0;
	uint8_t *key = NULL;
	unsigned long long overflow = 0, badts = 0;
	int rc, status = EXIT_DONE, found = 0;
	struct rrow *row;

	while ((rc = rec_next(r)) == 1) {
		struct ip_addr src, dst;
		const char *s, *proto;
		size_t len, plen;
		int port, isnew;
		int64_t t;

		const struct site_asset *as;

		if (det_addr(r, csrc, &src) != 0 ||
		    (as = site_lookup(site, &src)) == NULL ||
		    strcmp(as->zone, "dmz") != 0)
			continue;
		if ((port = det_port(r, cdport)) < 0 ||
		    det_addr(r, cdst, &dst) != 0 || site_is_ours(site, &dst))
			continue;
		s = rec_get(r, cts, &len);
		if (tm_parse(s, len, 0, &t) != 0) {
			warnx("%s:%lu: invalid ts '%s'", rec_file(r),
			    rec_line(r), s);
			badts++;
			continue;
		}
		proto = rec_get(r, cproto, &plen);
		if (cap < 35 + plen) {
			cap = 35 + plen;
			key = xrealloc(key, cap);
		}
		memcpy(key, src.b, 16);
		memcpy(key + 16, dst.b, 16);
		key[32] = (uint8_t)(port >> 8);
		key[33] = (uint8_t)port;
		memcpy(key + 34, proto, plen);
		key[34 + plen] = '\0';
		if ((row = map_get(rows, key, 35 + plen)) == NULL) {
			if (map_count(rows) >= REPORT_MAX) {
				overflow++;
				continue;
			}
			row = map_put(rows, key, 35 + plen, &isnew);
			row->first = row->last = t;
			row->allowed = allowed(as, &src, &dst,
			    (unsigned)port, proto_code(proto, plen));
		}
		row->count++;
		s = rec_get(r, caction, &len);
		row->blocked += det_refused(s, len);
		if (t < row->first)
			row->first = t;
		if (t > row->last)
			row->last = t;
	}
	free(key);
	if (rc < 0 || rec_status(r) != 0 || badts > 0)
		status = EXIT_ERROR;
	if (overflow > 0) {
		warnx("--report: more than %d rows; %llu events of further "
		    "rows were not counted", REPORT_MAX, overflow);
		status = EXIT_ERROR;
	}

	v = xreallocarray(NULL, map_count(rows) + 1, sizeof *v);
	while ((row = map_next(rows, &it)) != NULL) {
		v[n].key = map_key(rows, row, &v[n].klen);
		v[n].row = row;
		n++;
	}
	qsort(v, n, sizeof *v, row_cmp);
	w = rec_wopen(o->line_buffered);
	rec_header(w, report_cols, NREPORT_COLS);
	for (size_t i = 0; i < n; i++) {
		struct ip_addr src, dst;
		const struct site_asset *as;
		char sbuf[IP_STRLEN], dbuf[IP_STRLEN];
		char tf[TM_STRLEN], tl[TM_STRLEN];
		const uint8_t *k = v[i].key;

		row = v[i].row;
		if (violations_only && row->allowed)
			continue;
		found |= !row->allowed;
		memcpy(src.b, k, 16);
		memcpy(dst.b, k + 16, 16);
		as = site_lookup(site, &src);
		rec_set_copy(w, 0, sbuf, ip_format(&src, sbuf));
		if (as != NULL)
			rec_set_str(w, 1, as->name);
		rec_set_str(w, 2, (const char *)k + 34);
		rec_set_num(w, 3, ((long long)k[32] << 8) | k[33]);
		rec_set_copy(w, 4, dbuf, ip_format(&dst, dbuf));
		rec_set_str(w, 5, row->allowed ? "allowed" : "violation");
		rec_set_num(w, 6, (long long)row->count);
		rec_set_num(w, 7, (long long)row->blocked);
		rec_set_copy(w, 8, tf, tm_format(row->first, tf));
		rec_set_copy(w, 9, tl, tm_format(row->last, tl));
		rec_emit(w);
	}
	if (rec_wclose(w) != 0)
		status = EXIT_ERROR;
	free(v);
	map_free(rows);
	if (status == EXIT_DONE && o->exit_status && found)
		status = EXIT_FOUND;
	return status;
}

/*
 * dmzegress watches the DMZ's servers talking to the outside.  They exist
 * to answer inbound requests; outward each needs only what its role
 * implies (the proxy the web, the DNS server DNS, the relay mail, every
 * host NTP).  Anything else, ssh included, suggests a hijacked server.
 * --report gives the daily "suspicious outbound from DMZ" table.
 */
int
main(int argc, char *argv[])
{
	struct det_opts o;
	struct dz dz;
	struct rec_reader *r;
	struct site *site = NULL;
	const char *policy = NULL;
	int c, rc, do_report = 0, violations_only = 0;
	int cts, csrc, cdst, cdport, cproto, caction, chost, cuser;

	memset(&dz, 0, sizeof dz);
	det_opts_init(&o, SYNOPSIS, PURPOSE, opts);
	while ((c = opt_next(argc, argv, opts)) != -1) {
		if (det_opt(&o, c, optarg))
			continue;
		switch (c) {
		case 'n':
			violations_only = 1;
			break;
		case 'p':
			policy = optarg;
			break;
		case 'r':
			do_report = 1;
			break;
		default:
			det_usage(&o);
		}
	}
	if (violations_only && !do_report)
		errx(EXIT_ERROR, "--violations goes with --report");
	if (policy != NULL)
		policy_load(policy);
	else
		for (size_t i = 0; i < sizeof default_policy /
		    sizeof default_policy[0]; i++)
			(void)rule_add("default policy", default_policy[i][0],
			    default_policy[i][1], default_policy[i][2],
			    default_policy[i][3]);

	/* The DMZ is known only from the inventory: without one there is
	 * nothing to watch, and silence would look like the safe state. */
	if ((site = site_load(o.assets)) == NULL)
		return EXIT_ERROR;
	if (site_empty(site))
		errx(EXIT_ERROR, "no site inventory: DMZ servers are known "
		    "only from it (give -a FILE or set KAZAMI_ASSETS)");

	if ((r = rec_open(argv + optind, argc - optind)) == NULL) {
		site_free(site);
		rc = EXIT_ERROR;
		goto out;
	}
	cts = rec_need(r, "ts");
	csrc = rec_need(r, "src");
	cdst = rec_need(r, "dst");
	cdport = rec_need(r, "dport");
	cproto = rec_col(r, "proto");
	caction = rec_col(r, "action");
	chost = rec_col(r, "host");
	cuser = rec_col(r, "user");

	if (do_report) {
		rc = report(&o, r, site, violations_only, cts, csrc, cdst,
		    cdport, cproto, caction);
		rec_close(r);
		site_free(site);
		goto out;
	}
	site_free(site);

	dz.det = det_new(&o, sizeof(struct dev), process, &dz);
	dz.site = det_site(dz.det);
	dz.c_egress = det_check(dz.det, "dmzegress.egress", "high",
	    GAP_DEFAULT, sizeof(struct dep));
	det_check_on_close(dz.c_egress, on_close, &dz);

	while ((rc = rec_next(r)) == 1) {
		struct dev e;
		const struct site_asset *as;
		int64_t t;
		int port;
		size_t n;
		const char *s;

		/* The source first: most records are not from the DMZ and
		 * cost one parse and one look-up. */
		if (det_addr(r, csrc, &e.src) != 0 ||
		    (as = site_lookup(dz.site, &e.src)) == NULL ||
		    strcmp(as->zone, "dmz") != 0)
			continue;
		if ((port = det_port(r, cdport)) < 0 ||
		    det_addr(r, cdst, &e.dst) != 0 ||
		    det_inside(dz.det, &e.dst))
			continue;
		e.dport = (uint16_t)port;
		s = rec_get(r, cproto, &n);
		e.proto = (uint8_t)proto_code(s, n);
		/* Allowed traffic never enters the buffer: the policy is a
		 * function of the event alone. */
		if (allowed(as, &e.src, &e.dst, e.dport, e.proto))
			continue;
		if (det_ts(dz.det, r, cts, &t) != 0)
			continue;
		s = rec_get(r, caction, &n);
		e.blocked = (uint8_t)det_refused(s, n);
		s = rec_get(r, chost, &n);
		e.host = n ? xstrndup(s, n) : NULL;
		s = rec_get(r, cuser, &n);
		e.user = n ? xstrndup(s, n) : NULL;
		if (det_push(dz.det, t, &e) != 0) {
			free(e.host);
			free(e.user);
		}
	}
	rc = det_finish(dz.det, rc < 0 ? EXIT_ERROR : rec_status(r));
	rec_close(r);
out:
	for (size_t i = 0; i < nrules; i++)
		free(rules[i].role);
	free(rules);
	return rc;
}
