/* longconn: HTTP and HTTPS connections held open for an hour or more. */
#include <err.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "ip.h"
#include "map.h"
#include "opt.h"
#include "rec.h"
#include "tm.h"
#include "util.h"

#define SYNOPSIS "[-ehuV] [-a FILE] [-g DUR] [-L DUR] [-m DUR] " \
	"[-p PORTS] [FILE ...]"
#define PURPOSE "Find HTTP and HTTPS connections held open for an hour " \
	"or more."

static const struct optdef opts[] = {
	DET_OPT_ASSETS,
	DET_OPT_EXIT,
	{ "gap", 'g', required_argument, "DUR",
	    "end an episode after DUR without long connections (default 1h)" },
	DET_OPT_HELP,
	DET_OPT_LATENESS,
	{ "min", 'm', required_argument, "DUR",
	    "shortest connection reported (default 1h)" },
	{ "ports", 'p', required_argument, "PORTS",
	    "web ports of firewall records (default 80,443,8080,8443)" },
	DET_OPT_LINEBUF,
	DET_OPT_VERSION,
	{ NULL, 0, 0, NULL, NULL }
};

#define OPEN_MAX 1000000	/* connections held between start and end */

enum { EV_TICK, EV_DUR, EV_START, EV_END };

/* One record, as handed to the reorder buffer. */
struct lev {
	int		 type;
	int		 web;		/* kind proxy/web: any port is web */
	struct ip_addr	 src, dst;
	int		 has_src, has_dst;
	int		 sport, dport;
	int64_t		 dur;		/* ms, -1 unknown */
	long long	 bytes;		/* -1 unknown */
	char		*conn;		/* connection key (START/END); owned */
	size_t		 connlen;
	char		*host, *user;	/* escaped; owned, may be NULL */
};

/* A connection seen starting and not yet seen ending. */
struct conn {
	struct conn	*prev, *next;	/* by start time, oldest first */
	int64_t		 start;
	struct ip_addr	 src, dst;
	int		 has_dst, dport;
	char		*host, *user;
	int		 reported;
};

/* Episode data, for the closed record's detail. */
struct epdata {
	int64_t		 longest;
	long long	 bytes;
	int		 open;		/* reported while still open */
};

static int64_t min_dur = 3600 * 1000LL;
static unsigned char web_port[65536];
static struct det *det;
static struct det_check *chk;
static struct map *conns;		/* connection key -> struct conn * */
static struct conn *pend_head, *pend_tail;	/* not yet reported */
static struct conn *rep_head, *rep_tail;	/* reported, still open */
static unsigned long long evicted;

static void
fmt_dur(char *buf, size_t n, int64_t ms)
{
	long long s = ms / 1000;

	snprintf(buf, n, "%lldh%02lldm%02llds", s / 3600, s / 60 % 60, s % 60);
}

static void
list_unlink(struct conn **head, struct conn **tail, struct conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		*head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		*tail = c->prev;
	c->prev = c->next = NULL;
}

static void
list_append(struct conn **head, struct conn **tail, struct conn *c)
{
	c->prev = *tail;
	c->next = NULL;
	if (*tail)
		(*tail)->next = c;
	else
		*head = c;
	*tail = c;
}

/* ep_key: the episode key: client, server, port and host. */
static size_t
ep_key(char **buf, size_t *cap, const struct ip_addr *src,
    const struct ip_addr *dst, int dport, const char *host)
{
	size_t hl = host ? strlen(host) : 0, n = 2 * sizeof *src + 4 + hl;
	uint32_t p = (uint32_t)dport;

	if (n > *cap)
		*buf = xrealloc(*buf, *cap = n + 64);
	memcpy(*buf, src, sizeof *src);
	if (dst)
		memcpy(*buf + sizeof *src, dst, sizeof *dst);
	else
		memset(*buf + sizeof *src, 0, sizeof *dst);
	memcpy(*buf + 2 * sizeof *src, &p, 4);
	if (hl)
		memcpy(*buf + 2 * sizeof *src + 4, host, hl);
	return n;
}

static void
on_close(struct det_ep *ep, void *arg)
{
	struct epdata *ed = det_ep_udata(ep);
	char dur[48], bytes[48] = "";

	(void)arg;
	fmt_dur(dur, sizeof dur, ed->longest);
	if (ed->bytes >= 0)
		snprintf(bytes, sizeof bytes, ", %lld bytes", ed->bytes);
	det_ep_detail(ep, "%llu connection%s of up to %s%s%s",
	    (unsigned long long)det_ep_count(ep),
	    det_ep_count(ep) == 1 ? "" : "s", dur,
	    ed->open ? " (still open when seen)" : "", bytes);
}

/* report: one long connection of client src to dst:dport that started at
 * start, seen at t (its end, or the time it was found still open). */
static void
report(int64_t t, int64_t start, const struct ip_addr *src,
    const struct ip_addr *dst, int dport, const char *host,
    const char *user, long long bytes, int still_open)
{
	static char *key;
	static size_t cap;
	struct det_ep *ep;
	struct epdata *ed;
	size_t kl = ep_key(&key, &cap, src, dst, dport, host);
	int64_t dur = t - start;

	ep = det_ep_touch(chk, key, kl, t);
	if (ep == NULL) {
		struct det_alert a;
		char detail[128], d[48];

		memset(&a, 0, sizeof a);
		a.src = src;
		a.dst = dst;
		a.dport = dport;
		a.host = host;
		a.user = user;
		fmt_dur(d, sizeof d, dur);
		snprintf(detail, sizeof detail, still_open ?
		    "connection open for %s and still open" :
		    "connection open for %s", d);
		a.detail = detail;
		ep = det_ep_open(chk, key, kl, t, 1, start, &a);
		ed = det_ep_udata(ep);
		ed->bytes = -1;
	} else
		ed = det_ep_udata(ep);
	if (dur > ed->longest)
		ed->longest = dur;
	if (bytes >= 0)
		ed->bytes = (ed->bytes < 0 ? 0 : ed->bytes) + bytes;
	if (still_open)
		ed->open = 1;
}

static void
conn_free(struct conn *c)
{
	free(c->host);
	free(c->user);
	free(c);
}

/* scan: report connections that have been open for the minimum by now. */
static void
scan(int64_t now)
{
	struct conn *c;

	while ((c = pend_head) != NULL && now - c->start >= min_dur) {
		report(now, c->start, &c->src, c->has_dst ? &c->dst : NULL,
		    c->dport, c->host, c->user, -1, 1);
		c->reported = 1;
		list_unlink(&pend_head, &pend_tail, c);
		list_append(&rep_head, &rep_tail, c);
	}
}

static void
conn_start(struct lev *ev, int64_t t)
{
	struct conn **slot, *c;
	int isnew;

	if (map_count(conns) >= OPEN_MAX) {
		/* flooded with starts that never end: forget the oldest */
		struct conn *old = rep_head ? rep_head : pend_head;
		struct conn **os;
		char *k = NULL;
		size_t it = 0, kl;

		evicted++;
		while ((os = map_next(conns, &it)) != NULL)
			if (*os == old) {
				k = (char *)map_key(conns, os, &kl);
				break;
			}
		if (old->reported)
			list_unlink(&rep_head, &rep_tail, old);
		else
			list_unlink(&pend_head, &pend_tail, old);
		if (k)
			map_del(conns, k, kl);
		conn_free(old);
	}
	slot = map_put(conns, ev->conn, ev->connlen, &isnew);
	if (!isnew) {	/* the id was reused: the old one ended unseen */
		c = *slot;
		if (c->reported)
			list_unlink(&rep_head, &rep_tail, c);
		else
			list_unlink(&pend_head, &pend_tail, c);
		conn_free(c);
	}
	c = *slot = xcalloc(1, sizeof *c);
	c->start = t;
	c->src = ev->src;
	c->dst = ev->dst;
	c->has_dst = ev->has_dst;
	c->dport = ev->dport;
	c->host = ev->host;
	c->user = ev->user;
	ev->host = ev->user = NULL;
	list_append(&pend_head, &pend_tail, c);
}

static void
conn_end(struct lev *ev, int64_t t)
{
	struct conn **slot, *c;
	int64_t dur;

	slot = map_get(conns, ev->conn, ev->connlen);
	if (slot == NULL) {
		/* the start was before our input: judge by the duration */
		if (ev->dur >= min_dur)
			report(t, t - ev->dur, &ev->src, ev->has_dst ?
			    &ev->dst : NULL, ev->dport, ev->host, ev->user,
			    ev->bytes, 0);
		return;
	}
	c = *slot;
	dur = ev->dur >= 0 ? ev->dur : t - c->start;
	if (c->reported) {
		static char *key;
		static size_t cap;
		size_t kl = ep_key(&key, &cap, &c->src, c->has_dst ?
		    &c->dst : NULL, c->dport, c->host);
		struct det_ep *ep = det_ep_find(chk, key, kl);

		if (ep) {
			struct epdata *ed = det_ep_udata(ep);

			if (dur > ed->longest)
				ed->longest = dur;
			if (ev->bytes >= 0)
				ed->bytes = (ed->bytes < 0 ? 0 : ed->bytes) +
				    ev->bytes;
		}
		list_unlink(&rep_head, &rep_tail, c);
	} else {
		if (dur >= min_dur)
			report(t, t - dur, &c->src, c->has_dst ? &c->dst :
			    NULL, c->dport, c->host, c->user, ev->bytes, 0);
		list_unlink(&pend_head, &pend_tail, c);
	}
	map_del(conns, ev->conn, ev->connlen);
	conn_free(c);
}

static void
process(struct det *d, void *evp, int64_t t, void *arg)
{
	struct lev *ev = evp;

	(void)d;
	(void)arg;
	switch (ev->type) {
	case EV_DUR:
		if (ev->dur >= min_dur)
			report(t, t - ev->dur, &ev->src, ev->has_dst ?
			    &ev->dst : NULL, ev->dport, ev->host, ev->user,
			    ev->bytes, 0);
		break;
	case EV_START:
		conn_start(ev, t);
		break;
	case EV_END:
		conn_end(ev, t);
		break;
	}
	scan(t);
	free(ev->conn);
	free(ev->host);
	free(ev->user);
}

/* parse_dur: seconds with an optional fraction, or h:mm:ss, into ms. */
static int64_t
parse_dur(const char *s, size_t n)
{
	int64_t v = 0, frac = 0, scale = 100, acc = 0;
	size_t i = 0;
	int digits = 0;

	for (; i < n && s[i] != '.'; i++) {
		if (s[i] == ':') {
			acc = (acc + v) * 60;
			v = 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || v > INT64_MAX / 10000)
			return -1;
		v = v * 10 + (s[i] - '0');
		digits++;
	}
	if (i < n) {
		for (i++; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			frac += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (digits == 0 || acc + v > INT64_MAX / 1000 - 1)
		return -1;
	return (acc + v) * 1000 + frac;
}

/* asa_conn: the ASA/PIX/FTD message ids of connection starts (1) and
 * ends (2), from a sig such as "ASA-302013"; 0 for anything else. */
static int
asa_conn(const char *s, size_t n)
{
	static const char *const starts[] = { "302013", "302015", "302017",
	    "302020" };
	static const char *const ends[] = { "302014", "302016", "302018",
	    "302021" };
	size_t i;

	if (n < 7 || s[n - 7] != '-')
		return 0;
	for (i = 0; i < 4; i++) {
		if (memcmp(s + n - 6, starts[i], 6) == 0)
			return 1;
		if (memcmp(s + n - 6, ends[i], 6) == 0)
			return 2;
	}
	return 0;
}


/* conn_id: "connection N" in an ASA message, as a span. */
static int
conn_id(const char *msg, size_t n, const char **id, size_t *idn)
{
	const char *p = memmem(msg, n, "connection ", 11);
	size_t i;

	if (p == NULL)
		return 0;
	p += 11;
	for (i = 0; p + i < msg + n && p[i] >= '0' && p[i] <= '9'; i++)
		;
	if (i == 0)
		return 0;
	*id = p;
	*idn = i;
	return 1;
}

static int
parse_ports(const char *arg)
{
	char **v = strv_split(arg, ',', NULL), **p;

	memset(web_port, 0, sizeof web_port);
	for (p = v; *p; p++) {
		const char *dash = strchr(*p, '-');
		long long lo, hi;
		const char *e;

		if (dash) {
			char *a = xstrndup(*p, (size_t)(dash - *p));
			int bad = parse_num(a, 0, 65535, &lo, &e) != 0 ||
			    parse_num(dash + 1, 0, 65535, &hi, &e) != 0 ||
			    lo > hi;

			free(a);
			if (bad)
				goto bad;
		} else if (parse_num(*p, 0, 65535, &lo, &e) != 0)
			goto bad;
		else
			hi = lo;
		while (lo <= hi)
			web_port[lo++] = 1;
	}
	strv_free(v);
	return 0;
bad:
	strv_free(v);
	return -1;
}

/*
 * longconn finds web connections held open for an hour or more (a tunnel
 * through the proxy, a remote-control session, malware keeping its
 * channel up), from records that carry a duration and from sources that
 * log a connection's start and end apart (Cisco ASA Built and Teardown),
 * reporting a connection as soon as event time shows it has been open
 * that long, even if it never ends.
 */
int
main(int argc, char *argv[])
{
	struct det_opts o;
	struct rec_reader *r;
	int c, rc;
	int c_ts, c_src, c_dst, c_sport, c_dport, c_kind, c_dur, c_bytes;
	int c_host, c_user, c_sig, c_action, c_msg, c_sensor, c_proto;
	const struct site *site;

	parse_ports("80,443,8080,8443");
	det_opts_init(&o, SYNOPSIS, PURPOSE, opts);
	while ((c = opt_next(argc, argv, opts)) != -1) {
		if (det_opt(&o, c, optarg))
			continue;
		switch (c) {
		case 'm':
			min_dur = opt_duration("--min", optarg);
			if (min_dur <= 0) {
				warnx("--min: %s: must be more than 0", optarg);
				det_usage(&o);
			}
			break;
		case 'p':
			if (parse_ports(optarg) != 0) {
				warnx("--ports: %s: not a list of ports",
				    optarg);
				det_usage(&o);
			}
			break;
		default:
			det_usage(&o);
		}
	}
	if (o.gap < 0)
		o.gap = 3600 * 1000LL;

	r = rec_open(argv + optind, argc - optind);
	if (r == NULL)
		return EXIT_ERROR;
	c_ts = rec_need(r, "ts");
	c_src = rec_need(r, "src");
	c_dst = rec_need(r, "dst");
	c_dport = rec_need(r, "dport");
	c_dur = rec_need(r, "dur");
	c_sport = rec_col(r, "sport");
	c_kind = rec_col(r, "kind");
	c_bytes = rec_col(r, "bytes");
	c_host = rec_col(r, "host");
	c_user = rec_col(r, "user");
	c_sig = rec_col(r, "sig");
	c_action = rec_col(r, "action");
	c_msg = rec_col(r, "msg");
	c_sensor = rec_col(r, "sensor");
	c_proto = rec_col(r, "proto");

	det = det_new(&o, sizeof(struct lev), process, NULL);
	site = det_site(det);
	chk = det_check(det, "longconn.long", "medium", o.gap,
	    sizeof(struct epdata));
	det_check_on_close(chk, on_close, NULL);
	conns = map_new(sizeof(struct conn *));

	while ((rc = rec_next(r)) == 1) {
		struct lev ev;
		const char *s, *kind, *action;
		size_t n, kn, an;
		int64_t t;
		int asa;

		if (det_ts(det, r, c_ts, &t) != 0)
			continue;
		memset(&ev, 0, sizeof ev);
		ev.type = EV_TICK;
		ev.dur = -1;
		ev.bytes = -1;
		kind = rec_get(r, c_kind, &kn);
		ev.web = span_is(kind, kn, "proxy") || span_is(kind, kn,
		    "web");
		s = rec_get(r, c_sig, &n);
		asa = asa_conn(s, n);
		action = rec_get(r, c_action, &an);
		if (asa == 1 || span_is(action, an, "open") ||
		    span_is(action, an, "start"))
			ev.type = EV_START;
		else if (asa == 2 || span_is(action, an, "close") ||
		    span_is(action, an, "end") || span_is(action, an,
		    "teardown"))
			ev.type = EV_END;
		s = rec_get(r, c_dur, &n);
		if (n)
			ev.dur = parse_dur(s, n);
		if (ev.type == EV_TICK && ev.dur >= 0)
			ev.type = EV_DUR;
		if (ev.type != EV_TICK) {
			ev.has_src = det_addr(r, c_src, &ev.src) == 0;
			ev.has_dst = det_addr(r, c_dst, &ev.dst) == 0;
			ev.sport = det_port(r, c_sport);
			ev.dport = det_port(r, c_dport);
			/* the client is the inside end (ASA teardowns name
			 * the outside end first) */
			if (ev.has_src && ev.has_dst &&
			    !site_is_ours(site, &ev.src) &&
			    site_is_ours(site, &ev.dst)) {
				struct ip_addr a = ev.src;
				int p = ev.sport;

				ev.src = ev.dst;
				ev.dst = a;
				ev.sport = ev.dport;
				ev.dport = p;
			}
			if (!ev.has_src || !site_is_ours(site, &ev.src) ||
			    (ev.has_dst && site_is_ours(site, &ev.dst)) ||
			    site_has_role(site, &ev.src, "proxy") ||
			    (!ev.web && (ev.dport < 0 || !web_port[ev.dport])))
				ev.type = EV_TICK;
		}
		if (ev.type != EV_TICK) {
			long long v;

			s = rec_get(r, c_bytes, &n);
			if (n && parse_num_span(s, n, 0, LLONG_MAX, &v) == 0)
				ev.bytes = v;
			s = rec_get(r, c_host, &n);
			ev.host = n ? xstrndup(s, n) : NULL;
			s = rec_get(r, c_user, &n);
			ev.user = n ? xstrndup(s, n) : NULL;
		}
		if (ev.type == EV_START || ev.type == EV_END) {
			const char *id, *sensor;
			size_t idn, sn;
			char *k;

			sensor = rec_get(r, c_sensor, &sn);
			s = rec_get(r, c_msg, &n);
			if (conn_id(s, n, &id, &idn)) {
				k = xmalloc(sn + idn + 1);
				memcpy(k, sensor, sn);
				k[sn] = '#';
				memcpy(k + sn + 1, id, idn);
				ev.conn = k;
				ev.connlen = sn + idn + 1;
			} else {
				const char *proto = rec_get(r, c_proto, &n);
				size_t pn = n;

				/* no id: the oriented five-tuple names it */
				ev.connlen = sn + 1 + pn + 2 * 16 + 8;
				k = ev.conn = xcalloc(1, ev.connlen);
				memcpy(k, sensor, sn);
				k[sn] = '/';
				memcpy(k + sn + 1, proto, pn);
				memcpy(k + sn + 1 + pn, &ev.src, 16);
				memcpy(k + sn + 1 + pn + 16, &ev.dst, 16);
				memcpy(k + sn + 1 + pn + 32, &ev.sport, 4);
				memcpy(k + sn + 1 + pn + 36, &ev.dport, 4);
			}
		}
		if (det_push(det, t, &ev) != 0) {
			free(ev.conn);
			free(ev.host);
			free(ev.user);
		}
	}
	if (evicted)
		warnx("%llu connections that never ended were forgotten "
		    "beyond %d open at once", evicted, OPEN_MAX);
	rc = det_finish(det, rc < 0 ? EXIT_ERROR : rec_status(r));
	rec_close(r);
	{
		size_t it = 0;
		struct conn **cp;

		while ((cp = map_next(conns, &it)) != NULL)
			conn_free(*cp);
		map_free(conns);
	}
	return rc;
}
