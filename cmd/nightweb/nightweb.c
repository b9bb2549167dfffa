/* nightweb: web use by internal clients at night and on days off. */
#include <err.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "ip.h"
#include "line.h"
#include "map.h"
#include "opt.h"
#include "rec.h"
#include "site.h"
#include "tm.h"
#include "util.h"

#define SYNOPSIS "[-ehruVW] [-A FILE] [-a FILE] [-f HH:MM] [-g DUR] " \
	"[-H FILE] [-k KINDS] [-L DUR] [-n N] [-t HH:MM] [-z ZONE] [FILE ...]"
#define PURPOSE "Find web use by internal clients at night and on days off."

static const struct optdef opts[] = {
	{ "allow", 'A', required_argument, "FILE",
	    "clients (address, CIDR) and hosts to leave out" },
	DET_OPT_ASSETS,
	DET_OPT_EXIT,
	{ "from", 'f', required_argument, "HH:MM",
	    "the night starts at HH:MM local time (default 01:00)" },
	{ "gap", 'g', required_argument, "DUR",
	    "end an episode after DUR without night requests (default 6h)" },
	{ "holidays", 'H', required_argument, "FILE",
	    "dates (YYYY-MM-DD) that count whole as off hours" },
	DET_OPT_HELP,
	{ "kind", 'k', required_argument, "KINDS",
	    "record kinds counted (default proxy,web; 'any' for all)" },
	DET_OPT_LATENESS,
	{ "min-requests", 'n', required_argument, "N",
	    "alert when a client makes N requests in one night (default 10)" },
	{ "report", 'r', no_argument, NULL,
	    "list every night-active client instead of alerting" },
	{ "to", 't', required_argument, "HH:MM",
	    "the night ends at HH:MM local time (default 06:00)" },
	DET_OPT_LINEBUF,
	DET_OPT_VERSION,
	{ "weekend", 'W', no_argument, NULL,
	    "Saturdays and Sundays count whole as off hours" },
	DET_OPT_TZ,
	{ NULL, 0, 0, NULL, NULL }
};

#define GAP_DEFAULT (6 * 3600 * 1000LL)	/* longer than a night, shorter
					   than a day: one episode a night */
#define CLIENTS_MAX 1000000
#define PAIRS_MAX 2000000		/* report: (client, host) pairs */
#define TOP_HOSTS 3

enum { LEFT_CACHE = 1, LEFT_PROXY = 2, LEFT_ALLOW = 4 };

/* One night request, as handed to the reorder buffer. */
struct nev {
	struct ip_addr	 src;
	char		*host;		/* escaped, lowercased; owned */
	char		*user;		/* escaped; owned, may be NULL */
	uint64_t	 bytes;
	int64_t		 period;	/* local day number of the night */
	int		 offday;	/* 0 night, 1 weekend, 2 holiday */
};

/* Alert mode: a client's requests in its current night. */
struct cstate {
	int64_t		 period;
	uint64_t	 count;
	uint64_t	 bytes;
	int64_t		 first;
	int64_t		 last;
};

/* Episode data: bytes, for the closed record's detail. */
struct epdata {
	uint64_t	 bytes;
	int		 offday;
};

/* Report mode: a client's night activity over the whole input. */
struct rstate {
	uint64_t	 req, bytes, hosts, left;
	int64_t		 first, last;
	int		 why;		/* LEFT_* seen */
	struct {
		const char	*host;	/* pair map key, not NUL-terminated */
		size_t		 len;
		uint64_t	 req;
	} top[TOP_HOSTS];
};

static int night_from = 60, night_to = 360;	/* minutes of the day */
static int weekend, report;
static unsigned long long min_requests = 10;
static char **kinds;
static struct map *holidays;		/* int64 day -> nothing */
static struct ip_set *allow_nets;
static struct map *allow_hosts;
static struct map *clients;		/* ip_addr -> cstate / rstate */
static struct map *pairs;		/* report: ip_addr + host -> count */
static struct det_check *chk;
static const struct site *site;
static unsigned long long lost_pairs, lost_clients;
static char zone_text[64] = "local time";

static int
parse_hhmm(const char *s)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' ||
	    s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '9' ||
	    s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

#define WORKTIME INT64_MIN

/* night_period: the night or day off that local time t falls in, as a
 * local day number; WORKTIME when t is working time.  *offday says
 * which. */
static int64_t
night_period(int64_t t, int *offday)
{
	struct tm_parts p;
	int64_t day;
	int m;

	tm_local(t, &p);
	day = tm_days_from_civil(p.year, p.mon, p.day);
	*offday = 0;
	if (weekend && (p.wday == 0 || p.wday == 6)) {
		*offday = 1;
		return day;
	}
	if (holidays && map_get(holidays, &day, sizeof day)) {
		*offday = 2;
		return day;
	}
	m = p.hour * 60 + p.min;
	if (night_from < night_to)
		return m >= night_from && m < night_to ? day : WORKTIME;
	/* across midnight: the night belongs to the day it started on */
	if (m >= night_from)
		return day;
	return m < night_to ? day - 1 : WORKTIME;
}

/* norm_host: lower case, no port, no trailing dot, into *buf. */
static size_t
norm_host(const char *s, size_t n, char **buf, size_t *cap)
{
	const char *colon = memchr(s, ':', n);
	size_t i;

	if (colon && memchr(colon + 1, ':', n - (size_t)(colon + 1 - s)) ==
	    NULL && s[0] != '[')
		n = (size_t)(colon - s);
	while (n > 0 && s[n - 1] == '.')
		n--;
	if (n + 1 > *cap) {
		*cap = n + 64;
		*buf = xrealloc(*buf, *cap);
	}
	for (i = 0; i < n; i++)
		(*buf)[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
	(*buf)[n] = '\0';
	return n;
}

static int
host_allowed(const char *s, size_t n)
{
	const char *dot;

	if (allow_hosts == NULL)
		return 0;
	for (;;) {
		if (map_get(allow_hosts, s, n))
			return 1;
		if ((dot = memchr(s, '.', n)) == NULL)
			return 0;
		n -= (size_t)(dot + 1 - s);
		s = dot + 1;
	}
}

static const char *
offday_text(int offday)
{
	return offday == 1 ? "on a weekend day" : offday == 2 ?
	    "on a holiday" : "at night";
}

static void
on_close(struct det_ep *ep, void *arg)
{
	struct epdata *ed = det_ep_udata(ep);

	(void)arg;
	det_ep_detail(ep, "%llu web requests, %llu bytes %s (%s)",
	    (unsigned long long)det_ep_count(ep),
	    (unsigned long long)ed->bytes, offday_text(ed->offday),
	    zone_text);
}

/* alert_event: one night request, in event-time order. */
static void
alert_event(struct det *d, void *evp, int64_t t, void *arg)
{
	struct nev *ev = evp;
	struct cstate *cs;
	struct det_ep *ep;
	int isnew;

	(void)arg;
	cs = map_get(clients, &ev->src, sizeof ev->src);
	if (cs == NULL) {
		if (map_count(clients) >= CLIENTS_MAX) {
			/* forget clients not seen for a day */
			size_t it = 0;
			struct cstate *o;

			while ((o = map_next(clients, &it)) != NULL)
				if (o->last < t - 24 * 3600 * 1000LL) {
					size_t kl;
					const void *k = map_key(clients, o,
					    &kl);

					map_del(clients, k, kl);
				}
		}
		if (map_count(clients) >= CLIENTS_MAX) {
			lost_clients++;
			goto out;
		}
		cs = map_put(clients, &ev->src, sizeof ev->src, &isnew);
		cs->period = WORKTIME;
	}
	if (cs->period != ev->period) {
		cs->period = ev->period;
		cs->count = 0;
		cs->bytes = 0;
		cs->first = t;
	}
	cs->count++;
	cs->bytes += ev->bytes;
	cs->last = t;
	ep = det_ep_touch(chk, &ev->src, sizeof ev->src, t);
	if (ep == NULL && cs->count >= min_requests) {
		struct det_alert a;
		char detail[160];

		memset(&a, 0, sizeof a);
		a.src = &ev->src;
		a.dport = -1;
		a.host = ev->host;
		a.user = ev->user;
		snprintf(detail, sizeof detail, "%llu web requests %s (%s)",
		    (unsigned long long)cs->count, offday_text(ev->offday),
		    zone_text);
		a.detail = detail;
		ep = det_ep_open(chk, &ev->src, sizeof ev->src, t, cs->count,
		    cs->first, &a);
		((struct epdata *)det_ep_udata(ep))->bytes = cs->bytes;
		((struct epdata *)det_ep_udata(ep))->offday = ev->offday;
		if (cs->count >= 10 * min_requests)
			det_ep_sev(ep, "medium");
	} else if (ep) {
		((struct epdata *)det_ep_udata(ep))->bytes += ev->bytes;
		if (det_ep_count(ep) >= 10 * min_requests)
			det_ep_sev(ep, "medium");
	}
out:
	free(ev->host);
	free(ev->user);
	(void)d;
}

/* report_event: one night request into the report (any order). */
static void
report_event(const struct nev *ev, int64_t t, int left)
{
	struct rstate *rs;
	int isnew;

	rs = map_get(clients, &ev->src, sizeof ev->src);
	if (rs == NULL) {
		if (map_count(clients) >= CLIENTS_MAX) {
			lost_clients++;
			return;
		}
		rs = map_put(clients, &ev->src, sizeof ev->src, &isnew);
		rs->first = rs->last = t;
	}
	if (t < rs->first)
		rs->first = t;
	if (t > rs->last)
		rs->last = t;
	if (left) {
		rs->left++;
		rs->why |= left;
		return;
	}
	rs->req++;
	rs->bytes += ev->bytes;
	if (ev->host[0] != '\0') {
		static char *key;
		static size_t cap;
		size_t hl = strlen(ev->host), kl = sizeof ev->src + hl;
		uint64_t *cnt;

		if (kl > cap)
			key = xrealloc(key, cap = kl + 64);
		memcpy(key, &ev->src, sizeof ev->src);
		memcpy(key + sizeof ev->src, ev->host, hl);
		cnt = map_get(pairs, key, kl);
		if (cnt == NULL) {
			if (map_count(pairs) >= PAIRS_MAX) {
				lost_pairs++;
				return;
			}
			cnt = map_put(pairs, key, kl, &isnew);
			rs->hosts++;
		}
		(*cnt)++;
	}
}

static int
kind_counts(const char *s, size_t n)
{
	return kinds == NULL || strv_has((const char *const *)kinds, s, n);
}

/* date_digits: "YYYY-MM-DD" at s (10 bytes) into its parts. */
static int
date_digits(const char *s, int *y, int *mo, int *d)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return 0;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	*mo = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return *mo >= 1 && *mo <= 12 && *d >= 1 && *d <= 31;
}

static void
load_holidays(const char *path)
{
	struct line_reader *lr = line_open(path, 0);
	const char *s;
	size_t n;
	int rc;

	if (lr == NULL)
		exit(EXIT_ERROR);
	holidays = map_new(0);
	while ((rc = line_next(lr, &s, &n)) == LINE_OK) {
		int64_t day;
		size_t i = 0;
		int y, mo, dd;

		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n || s[i] == '#')
			continue;
		/* the line is a span, not a C string: parse by hand */
		if (n - i < 10 || !date_digits(s + i, &y, &mo, &dd) ||
		    (n - i > 10 && s[i + 10] != ' ' && s[i + 10] != '\t' &&
		    s[i + 10] != ',' && s[i + 10] != '#'))
			errx(EXIT_ERROR, "%s:%lu: not a date (YYYY-MM-DD)",
			    line_name(lr), line_number(lr));
		day = tm_days_from_civil(y, mo, dd);
		map_put(holidays, &day, sizeof day, NULL);
	}
	if (rc != LINE_EOF)
		exit(EXIT_ERROR);
	line_close(lr);
}

static void
load_allow(const char *path)
{
	struct line_reader *lr = line_open(path, 0);
	const char *s;
	size_t n;
	int rc;
	static int mark = 1;

	if (lr == NULL)
		exit(EXIT_ERROR);
	allow_nets = ip_set_new();
	allow_hosts = map_new(0);
	while ((rc = line_next(lr, &s, &n)) == LINE_OK) {
		struct ip_net net;
		char *buf = NULL;
		size_t cap = 0, len;
		const char *hash = memchr(s, '#', n);

		if (hash)
			n = (size_t)(hash - s);
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0)
			continue;
		if (ip_net_parse(s, n, &net) == 0) {
			ip_set_add(allow_nets, &net, &mark);
			continue;
		}
		if (n >= 2 && s[0] == '*' && s[1] == '.')
			s += 2, n -= 2;
		len = norm_host(s, n, &buf, &cap);
		if (len)
			map_put(allow_hosts, buf, len, NULL);
		free(buf);
	}
	if (rc != LINE_EOF)
		exit(EXIT_ERROR);
	line_close(lr);
}

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct rstate *a = *(struct rstate *const *)pa;
	const struct rstate *b = *(struct rstate *const *)pb;
	size_t kl;

	if (a->req != b->req)
		return a->req < b->req ? 1 : -1;
	if (a->left != b->left)
		return a->left < b->left ? 1 : -1;
	return memcmp(map_key(clients, a, &kl), map_key(clients, b, &kl),
	    sizeof(struct ip_addr));
}

static void
top_add(struct rstate *rs, const char *h, size_t hl, uint64_t req)
{
	int i, j;

	for (i = 0; i < TOP_HOSTS; i++) {
		if (rs->top[i].host == NULL || req > rs->top[i].req)
			break;
		if (req == rs->top[i].req) {
			size_t m = hl < rs->top[i].len ? hl : rs->top[i].len;
			int c = memcmp(h, rs->top[i].host, m);

			if (c < 0 || (c == 0 && hl < rs->top[i].len))
				break;
		}
	}
	if (i == TOP_HOSTS)
		return;
	for (j = TOP_HOSTS - 1; j > i; j--)
		rs->top[j] = rs->top[j - 1];
	rs->top[i].host = h;
	rs->top[i].len = hl;
	rs->top[i].req = req;
}

static void
set_time(struct rec_writer *w, int i, int64_t t)
{
	char buf[TM_STRLEN];

	rec_set_copy(w, i, buf, tm_format(t, buf));
}

/* The reason column: the LEFT_* bits as words, in bit order. */
static const char *const why_text[] = { "", "cache", "proxy",
	"cache proxy", "allow", "cache allow", "proxy allow",
	"cache proxy allow" };

/* write_report: one row per night-active client, busiest first; the
 * clients left out (cache or proxy role, allow list) are listed too, with
 * how many of their requests were left out and why. */
static int
write_report(int line_buffered)
{
	static const char *const cols[] = { "src", "requests", "bytes",
	    "hosts", "top_hosts", "first", "last", "left_out", "reason" };
	struct rec_writer *w = rec_wopen(line_buffered);
	struct rstate **rows, *rs;
	uint64_t *cnt;
	size_t it = 0, n = 0, i;
	char *buf = NULL;
	size_t cap = 0;

	while ((cnt = map_next(pairs, &it)) != NULL) {
		size_t kl;
		const char *k = map_key(pairs, cnt, &kl);

		rs = map_get(clients, k, sizeof(struct ip_addr));
		if (rs)
			top_add(rs, k + sizeof(struct ip_addr),
			    kl - sizeof(struct ip_addr), *cnt);
	}
	rows = xcalloc(map_count(clients) + 1, sizeof *rows);
	it = 0;
	while ((rs = map_next(clients, &it)) != NULL)
		rows[n++] = rs;
	qsort(rows, n, sizeof *rows, cmp_rows);
	rec_header(w, cols, 9);
	for (i = 0; i < n; i++) {
		char ab[IP_STRLEN];
		size_t kl, len = 0;
		const struct ip_addr *a;
		int j;

		rs = rows[i];
		a = map_key(clients, rs, &kl);
		rec_set_copy(w, 0, ab, ip_format(a, ab));
		rec_set_num(w, 1, (long long)rs->req);
		rec_set_num(w, 2, (long long)rs->bytes);
		rec_set_num(w, 3, (long long)rs->hosts);
		for (j = 0; j < TOP_HOSTS && rs->top[j].host; j++) {
			char num[32];
			int nl = snprintf(num, sizeof num, " (%llu)",
			    (unsigned long long)rs->top[j].req);

			if (len + rs->top[j].len + (size_t)nl + 3 > cap)
				buf = xrealloc(buf, cap = 2 * (len +
				    rs->top[j].len + (size_t)nl + 3));
			if (j) {
				memcpy(buf + len, "; ", 2);
				len += 2;
			}
			memcpy(buf + len, rs->top[j].host, rs->top[j].len);
			len += rs->top[j].len;
			memcpy(buf + len, num, (size_t)nl);
			len += (size_t)nl;
		}
		rec_set_copy(w, 4, buf ? buf : "", len);
		set_time(w, 5, rs->first);
		set_time(w, 6, rs->last);
		rec_set_num(w, 7, (long long)rs->left);
		rec_set_str(w, 8, why_text[rs->why]);
		rec_emit(w);
	}
	free(rows);
	free(buf);
	return rec_wclose(w);
}

/*
 * nightweb finds web use by internal clients in the dead of night (01:00
 * to 06:00 local time by default) and, if asked, on weekends and
 * holidays: a PC browsing at 3 a.m. is either someone working late or
 * malware.  A cache server's scheduled crawl, the classic false alarm, is
 * left out by its inventory role, as is a proxy (it relays its clients),
 * and the report says how much was.
 */
int
main(int argc, char *argv[])
{
	struct det_opts o;
	struct rec_reader *r;
	struct det *d = NULL;
	struct site *rsite = NULL;
	int c, rc, status;
	int c_ts, c_src, c_host, c_kind, c_bytes, c_user;
	char *hbuf = NULL;
	size_t hcap = 0;
	const char *allow_path = NULL, *hol_path = NULL;

	kinds = strv_split("proxy,web", ',', NULL);
	det_opts_init(&o, SYNOPSIS, PURPOSE, opts);
	while ((c = opt_next(argc, argv, opts)) != -1) {
		if (det_opt(&o, c, optarg))
			continue;
		switch (c) {
		case 'A':
			allow_path = optarg;
			break;
		case 'f':
			if ((night_from = parse_hhmm(optarg)) < 0) {
				warnx("--from: %s: not HH:MM", optarg);
				det_usage(&o);
			}
			break;
		case 'H':
			hol_path = optarg;
			break;
		case 'k':
			strv_free(kinds);
			kinds = strcmp(optarg, "any") == 0 ? NULL :
			    strv_split(optarg, ',', NULL);
			break;
		case 'n':
			min_requests = (unsigned long long)opt_num(
			    "--min-requests", optarg, 1, LLONG_MAX);
			break;
		case 'r':
			report = 1;
			break;
		case 't':
			if ((night_to = parse_hhmm(optarg)) < 0) {
				warnx("--to: %s: not HH:MM", optarg);
				det_usage(&o);
			}
			break;
		case 'W':
			weekend = 1;
			break;
		default:
			det_usage(&o);
		}
	}
	if (night_from == night_to) {
		warnx("--from and --to are the same time");
		det_usage(&o);
	}
	if (o.gap < 0)
		o.gap = GAP_DEFAULT;
	if (hol_path)
		load_holidays(hol_path);
	if (allow_path)
		load_allow(allow_path);
	{
		const char *z = o.tz ? o.tz : getenv("TZ");

		snprintf(zone_text, sizeof zone_text, "%02d:%02d-%02d:%02d %s",
		    night_from / 60, night_from % 60, night_to / 60,
		    night_to % 60, z && *z ? z : "local time");
	}

	r = rec_open(argv + optind, argc - optind);
	if (r == NULL)
		return EXIT_ERROR;
	c_ts = rec_need(r, "ts");
	c_src = rec_need(r, "src");
	c_host = rec_need(r, "host");
	c_kind = rec_col(r, "kind");
	c_bytes = rec_col(r, "bytes");
	c_user = rec_col(r, "user");
	if (c_kind < 0) {
		strv_free(kinds);
		kinds = NULL;
	}

	if (report) {
		if (o.tz != NULL && tm_zone_set(o.tz) != 0)
			errx(EXIT_ERROR, "--tz: %s: unknown time zone", o.tz);
		if (o.tz == NULL)
			(void)tm_zone_set(NULL);
		if ((rsite = site_load(o.assets)) == NULL)
			return EXIT_ERROR;
		site = rsite;
		clients = map_new(sizeof(struct rstate));
		pairs = map_new(sizeof(uint64_t));
	} else {
		d = det_new(&o, sizeof(struct nev), alert_event, NULL);
		site = det_site(d);
		chk = det_check(d, "nightweb.offhours", "low", o.gap,
		    sizeof(struct epdata));
		det_check_on_close(chk, on_close, NULL);
		clients = map_new(sizeof(struct cstate));
	}

	status = 0;
	while ((rc = rec_next(r)) == 1) {
		struct nev ev;
		const struct site_asset *as;
		const char *s;
		size_t n, hl;
		int64_t t;
		int left = 0;

		if (kinds) {
			s = rec_get(r, c_kind, &n);
			if (!kind_counts(s, n))
				continue;
		}
		s = rec_get(r, c_ts, &n);
		if (d) {
			if (det_ts(d, r, c_ts, &t) != 0)
				continue;
		} else if (tm_parse(s, n, 0, &t) != 0) {
			warnx("%s:%lu: invalid ts '%.*s'", rec_file(r),
			    rec_line(r), (int)(n > 40 ? 40 : n), s);
			status = EXIT_ERROR;
			continue;
		}
		memset(&ev, 0, sizeof ev);
		if ((ev.period = night_period(t, &ev.offday)) == WORKTIME)
			continue;
		s = rec_get(r, c_src, &n);
		if (ip_parse(s, n, &ev.src) != 0 ||
		    !site_is_ours(site, &ev.src))
			continue;
		s = rec_get(r, c_host, &n);
		hl = norm_host(s, n, &hbuf, &hcap);
		as = site_lookup(site, &ev.src);
		if (site_asset_has_role(as, "cache"))
			left |= LEFT_CACHE;
		/* a proxy relays its clients, whom its own log names */
		if (site_asset_has_role(as, "proxy"))
			left |= LEFT_PROXY;
		if (allow_nets && (ip_set_lookup(allow_nets, &ev.src) ||
		    host_allowed(hbuf, hl)))
			left |= LEFT_ALLOW;
		s = rec_get(r, c_bytes, &n);
		{
			long long v;

			if (n && parse_num_span(s, n, 0, LLONG_MAX, &v) == 0)
				ev.bytes = (uint64_t)v;
		}
		if (report) {
			ev.host = hbuf;
			report_event(&ev, t, left);
			continue;
		}
		if (left)
			continue;
		ev.host = xstrndup(hbuf, hl);
		s = rec_get(r, c_user, &n);
		ev.user = n ? xstrndup(s, n) : NULL;
		if (det_push(d, t, &ev) != 0) {
			free(ev.host);
			free(ev.user);
		}
	}
	if (lost_clients)
		warnx("%llu night requests from clients beyond the first %d "
		    "not counted", lost_clients, CLIENTS_MAX);
	if (lost_pairs)
		warnx("%llu night requests to hosts beyond %d client-host "
		    "pairs not counted as distinct hosts", lost_pairs,
		    PAIRS_MAX);
	if (rc < 0 || rec_status(r))
		status = EXIT_ERROR;
	rec_close(r);
	free(hbuf);
	strv_free(kinds);
	if (report) {
		size_t n = 0, it = 0;
		struct rstate *rs;

		while ((rs = map_next(clients, &it)) != NULL)
			n += rs->req > 0;
		if (write_report(o.line_buffered) != 0)
			status = EXIT_ERROR;
		map_free(pairs);
		map_free(clients);
		site_free(rsite);
		if (status == 0 && o.exit_status && n > 0)
			status = EXIT_FOUND;
	} else {
		status = det_finish(d, status);
		map_free(clients);
	}
	if (holidays)
		map_free(holidays);
	if (allow_nets) {
		ip_set_free(allow_nets);
		map_free(allow_hosts);
	}
	return status;
}
