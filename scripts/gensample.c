/*
 * gensample: write a synthetic but realistic period of raw device logs for
 * a fictional organisation of 300 people (Kazamidori Trading, corp.example),
 * with a documented set of incidents hidden in the normal traffic, plus the
 * site inventory.  It feeds the demo, the end-to-end tests and the
 * benchmarks: deterministic for a given --seed, sized by --scale.
 *
 * Lines are produced session by session into 10-minute buckets (a session
 * may write lines into later buckets: a teardown, a squid completion); a
 * bucket is sorted and written once every session that starts in it has
 * been generated, so memory is one bucket plus what spills forward.
 *
 * The organisation's clocks run on UTC: office hours, syslog stamps and
 * the incident times below are all UTC.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "opt.h"
#include "util.h"

#define MIN_MS		60000LL
#define HOUR_MS		(60 * MIN_MS)
#define DAY_MS		(24 * HOUR_MS)
#define BUCKET_MS	(10 * MIN_MS)

/* Output files, one per device. */
enum {
	F_FW, F_ASA, F_SQUID, F_DNS, F_MAIL, F_EVE, F_WIN, F_NFILES
};
static const char *const file_names[F_NFILES] = {
	"fw.log", "asa.log", "squid/access.log", "named/query.log",
	"maillog", "eve.json", "fileserver-security.xml"
};

/* ---- random numbers: xoshiro256**, seeded through splitmix64 ---- */

struct rng {
	uint64_t	s[4];
};

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s, res, t;

	res = s[1] * 5;
	res = ((res << 7) | (res >> 57)) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return res;
}

/* uniform in [0, n) */
static uint32_t
rnd(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32) : 0;
}

/* uniform in [0, 1) */
static double
rndf(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* skewed index in [0, n): small indexes much more likely (Zipf-like) */
static uint32_t
rnd_skew(struct rng *r, uint32_t n, double power)
{
	uint32_t i = (uint32_t)(pow(rndf(r), power) * n);

	return i < n ? i : n - 1;
}

/* ---- the organisation ---- */

struct dept {
	const char	*name;
	const char	*share;
	int		 size;
	int		 net;	/* third octet of 10.1.N.0/24 */
	int		 importance;
};
static const struct dept depts[] = {
	{ "sales", "Sales", 80, 1, 2 },
	{ "engineering", "Eng", 90, 2, 3 },
	{ "finance", "Finance", 30, 3, 4 },
	{ "hr", "HR", 20, 4, 4 },
	{ "it", "IT", 30, 5, 3 },
	{ "production", "Prod", 50, 6, 2 },
};
#define NDEPT	(int)(sizeof depts / sizeof depts[0])
#define NUSER	300

struct user {
	char		 name[24];
	uint32_t	 ip;
	int		 dept;
	double		 weight;	/* how busy */
	int		 rid;		/* relative id of its Windows SID */
};

/* Fixed addresses (host order). */
#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))
#define IP_CACHE	IP4(10, 0, 0, 9)
#define IP_MAILSTORE	IP4(10, 0, 0, 25)
#define IP_FS1		IP4(10, 0, 0, 30)
#define IP_BACKUP	IP4(10, 0, 0, 40)
#define IP_SCANNER	IP4(10, 0, 0, 60)
#define IP_NTP		IP4(10, 0, 0, 123)
#define IP_PROXY	IP4(172, 16, 10, 8)
#define IP_WEB		IP4(172, 16, 10, 10)
#define IP_MX		IP4(172, 16, 10, 25)
#define IP_NS		IP4(172, 16, 10, 53)
#define IP_PUB_NAT	IP4(203, 0, 113, 2)
#define IP_PUB_PROXY	IP4(203, 0, 113, 8)
#define IP_PUB_WEB	IP4(203, 0, 113, 10)
#define IP_PUB_MX	IP4(203, 0, 113, 25)
#define IP_PUB_NS	IP4(203, 0, 113, 53)

/* Hosts of the incidents (department, index in it). */
#define U_IRC		(80 + 47)	/* engineering, 10.1.2.57 */
#define U_WORM		23		/* sales, 10.1.1.33 */
#define U_NIGHT		(170 + 11)	/* finance, 10.1.3.21 */
#define U_TUNNEL	(200 + 2)	/* hr, 10.1.4.12 */
#define U_EXE		(250 + 34)	/* production, 10.1.6.44 */
#define U_DELETER	67		/* sales, 10.1.1.77 */
#define U_DIRECTOR	170		/* finance, 10.1.3.10 */

/* Well-known-looking invented sites, most visited first. */
static const char *const popular_sites[] = {
	"www.search.example", "mail.webmail.example", "cdn.static-assets.example",
	"update.os-vendor.example", "office.cloudsuite.example",
	"news.daily-wire.example", "video.streamtube.example",
	"api.cloudsuite.example", "docs.cloudsuite.example",
	"www.example.com", "www.example.net", "www.example.org",
	"maps.search.example", "img.static-assets.example",
	"chat.teamtalk.example", "weather.skyinfo.example",
	"shop.bigmarket.example", "www.bank-of-nowhere.example",
	"crm.salesdesk.example", "partner-portal.supplier.example",
	"travel.bookit.example", "translate.search.example",
	"www.techforum.example", "repo.codehub.example",
	"pkg.codehub.example", "social.friendline.example",
	"ads.adnet.example", "telemetry.os-vendor.example",
	"fonts.static-assets.example", "www.gov-portal.example",
	"jobs.careerlink.example", "www.lunch-delivery.example",
	"ocsp.trustca.example", "crl.trustca.example",
	"www.kyoto-news.example", "sports.daily-wire.example",
	"finance.marketwatch.example", "learn.elearn.example",
	"support.printerco.example", "drivers.printerco.example",
};
#define NPOPULAR (int)(sizeof popular_sites / sizeof popular_sites[0])
#define NTAIL	2500

static const char *const tlds[] = {
	"example", "test", "example.com", "example.net", "example.org"
};
static const char *const syl[] = {
	"ka", "mi", "to", "ra", "no", "su", "ha", "ya", "shi", "ta", "ko",
	"ri", "mo", "e", "a", "u", "na", "ki", "se", "wa", "de", "lo", "ben",
	"tor", "vil", "gar", "pen", "quo", "zen", "dor"
};
#define NSYL (int)(sizeof syl / sizeof syl[0])

/* Varied public first octets for synthetic external addresses. */
static const int pub_octets[] = {
	23, 31, 37, 45, 46, 52, 62, 77, 78, 81, 85, 89, 91, 94, 104, 109,
	141, 151, 154, 163, 176, 178, 185, 188, 193, 195, 202, 210, 212, 217
};
#define NPUB (int)(sizeof pub_octets / sizeof pub_octets[0])

/* A stable external address for a name. */
static uint32_t
ext_addr(const char *name)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *p;
	uint32_t a;

	for (p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h ^= h >> 29;
	a = IP4(pub_octets[h % NPUB], (h >> 8) & 0xff, (h >> 16) & 0xff,
	    1 + ((h >> 24) % 253));
	return a;
}

/* ---- buckets of lines waiting to be sorted and written ---- */

struct line {
	int64_t		 ts;
	uint64_t	 seq;
	size_t		 off;
	uint32_t	 len;
	uint8_t		 file;
};

struct bucket {
	struct line	*v;
	size_t		 n, cap;
	char		*text;
	size_t		 tlen, tcap;
};

struct gen {
	struct rng	 r;
	double		 scale;
	int64_t		 start;		/* ms, 00:00 of the first day */
	int		 days;
	int		 nbuckets;
	struct bucket	*b;
	int		 cur;		/* first bucket not yet written */
	uint64_t	 seq;
	FILE		*out[F_NFILES];
	char		*path[F_NFILES];
	struct user	 u[NUSER];
	uint16_t	 present[NUSER];	/* today's order of arrival */
	uint64_t	 seed;
	char		*tail[NTAIL];
	unsigned long	 connid;
	unsigned long	 eventrec;
	unsigned long	 flowid;
	unsigned long	 queueid;
	unsigned long	 lines[F_NFILES];
};

static void __attribute__((format(printf, 4, 5)))
emit(struct gen *g, int file, int64_t ts, const char *fmt, ...)
{
	struct bucket *b;
	struct line *l;
	va_list ap;
	int64_t idx;
	int n;

	idx = (ts - g->start) / BUCKET_MS;
	if (idx < g->cur)	/* never into a bucket already written */
		idx = g->cur;
	if (idx >= g->nbuckets)
		idx = g->nbuckets - 1;
	b = &g->b[idx];
	if (b->text == NULL) {
		b->tcap = 1 << 16;
		b->text = xmalloc(b->tcap);
	}
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->text + b->tlen, b->tcap - b->tlen, fmt, ap);
		va_end(ap);
		if (n < 0)
			errx(EXIT_ERROR, "formatting failed");
		if ((size_t)n < b->tcap - b->tlen)
			break;
		b->tcap = b->tcap * 2 + (size_t)n + 4096;
		b->text = xrealloc(b->text, b->tcap);
	}
	if (b->n == b->cap) {
		b->cap = b->cap * 2 + 256;
		b->v = xreallocarray(b->v, b->cap, sizeof *b->v);
	}
	l = &b->v[b->n++];
	l->ts = ts;
	l->seq = g->seq++;
	l->off = b->tlen;
	l->len = (uint32_t)n;
	l->file = (uint8_t)file;
	b->tlen += (size_t)n;
}

static int
line_cmp(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
bucket_flush(struct gen *g, int idx)
{
	struct bucket *b = &g->b[idx];
	size_t i;

	if (b->n > 0)	/* an empty bucket has no array at all */
		qsort(b->v, b->n, sizeof *b->v, line_cmp);
	for (i = 0; i < b->n; i++) {
		FILE *fp = g->out[b->v[i].file];
		const char *p = b->text + b->v[i].off, *id;
		size_t len = b->v[i].len;

		/* the Security log numbers its events in the order written,
		 * so the number goes in only now, in time order */
		if (b->v[i].file == F_WIN &&
		    (id = memmem(p, len, "<EventRecordID>", 15)) != NULL) {
			id += 15;
			fwrite(p, 1, (size_t)(id - p), fp);
			fprintf(fp, "%lu", ++g->eventrec);
			len -= (size_t)(id - p);
			p = id;
		}
		fwrite(p, 1, len, fp);
		putc('\n', fp);
		g->lines[b->v[i].file]++;
	}
	for (i = 0; i < F_NFILES; i++)
		if (ferror(g->out[i]))
			err(EXIT_ERROR, "%s", g->path[i]);
	free(b->v);
	free(b->text);
	memset(b, 0, sizeof *b);
	g->cur = idx + 1;
}

/* ---- formatting helpers (rotating static buffers: a generator's
 * lines use a handful of them at once) ---- */

static const char *
ip(uint32_t a)
{
	static char buf[16][16];
	static int k;
	char *p = buf[k++ & 15];

	snprintf(p, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
	return p;
}

static const char *const mon[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

static void
split(int64_t ms, struct tm *tm)
{
	time_t t = (time_t)(ms / 1000);

	gmtime_r(&t, tm);
}

/* "Nov 20 09:01:02" as RFC 3164 writes it */
static const char *
ts_syslog(int64_t ms)
{
	static char buf[8][24];
	static int k;
	char *p = buf[k++ & 7];
	struct tm tm;

	split(ms, &tm);
	snprintf(p, 24, "%s %2d %02d:%02d:%02d", mon[tm.tm_mon], tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	return p;
}

/* ISO 8601 with a given number of fraction digits and suffix */
static const char *
ts_iso(int64_t ms, int extra, const char *suffix)
{
	static char buf[8][48];
	static int k;
	char *p = buf[k++ & 7];
	struct tm tm;

	split(ms, &tm);
	/* extra digits: the sources write micro- or 100-ns fractions */
	snprintf(p, 48, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%.*s%s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000), extra, "0000", suffix);
	return p;
}

/* "%H:%M:%S" duration as the ASA writes it */
static const char *
asa_dur(int64_t ms)
{
	static char buf[4][24];
	static int k;
	char *p = buf[k++ & 3];
	long long s = ms / 1000;

	snprintf(p, 24, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	return p;
}

/* ---- device line writers ---- */

static void
fw_line(struct gen *g, int64_t ts, const char *verdict, uint32_t src,
    uint32_t dst, int tcp, int sport, int dport)
{
	const char *in = (src >> 24) == 10 ? "eth1" : "eth2";
	const char *out = (dst >> 24) == 10 ? "eth1" : "eth0";
	int64_t up = ts - g->start + 3456789012LL;

	if ((src >> 24) == 10 && (dst >> 24) == 10)
		in = "eth1", out = "eth3";
	if (tcp)
		emit(g, F_FW, ts, "%s fw1 kernel: [%lld.%06lld] FW %s IN=%s "
		    "OUT=%s MAC=00:16:3e:4a:11:0%d:00:16:3e:2b:7c:91:08:00 "
		    "SRC=%s DST=%s LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=%u DF "
		    "PROTO=TCP SPT=%d DPT=%d WINDOW=64240 RES=0x00 SYN URGP=0",
		    ts_syslog(ts), (long long)(up / 1000),
		    (long long)(up % 1000) * 1000 + rnd(&g->r, 1000), verdict,
		    in, out, in[3] - '0', ip(src), ip(dst),
		    rnd(&g->r, 65535), sport, dport);
	else
		emit(g, F_FW, ts, "%s fw1 kernel: [%lld.%06lld] FW %s IN=%s "
		    "OUT=%s MAC=00:16:3e:4a:11:0%d:00:16:3e:2b:7c:91:08:00 "
		    "SRC=%s DST=%s LEN=76 TOS=0x00 PREC=0x00 TTL=63 ID=%u "
		    "PROTO=UDP SPT=%d DPT=%d LEN=56",
		    ts_syslog(ts), (long long)(up / 1000),
		    (long long)(up % 1000) * 1000 + rnd(&g->r, 1000), verdict,
		    in, out, in[3] - '0', ip(src), ip(dst),
		    rnd(&g->r, 65535), sport, dport);
}

static const char *
asa_if(uint32_t a)
{
	if ((a >> 24) == 10)
		return "inside";
	if ((a >> 16) == IP4(172, 16, 0, 0) >> 16)
		return "dmz";
	return "outside";
}

static uint32_t
nat_of(uint32_t a)
{
	switch (a) {
	case IP_PROXY:
		return IP_PUB_PROXY;
	case IP_WEB:
		return IP_PUB_WEB;
	case IP_MX:
		return IP_PUB_MX;
	case IP_NS:
		return IP_PUB_NS;
	}
	return (a >> 24) == 10 ? IP_PUB_NAT : a;
}

/*
 * asa_conn: a connection through the edge ASA, built at ts and torn down
 * after dur ms.  Outbound when the inside (src) is ours.
 */
static void
asa_conn(struct gen *g, int64_t ts, int tcp, uint32_t src, int sport,
    uint32_t dst, int dport, int64_t dur, long long bytes)
{
	unsigned long id = ++g->connid;
	int outbound = strcmp(asa_if(src), "outside") != 0;

	if (outbound)
		emit(g, F_ASA, ts, "%s asa1 %%ASA-6-%s: Built outbound %s "
		    "connection %lu for outside:%s/%d (%s/%d) to %s:%s/%d "
		    "(%s/%d)", ts_syslog(ts), tcp ? "302013" : "302015",
		    tcp ? "TCP" : "UDP", id, ip(dst), dport, ip(dst), dport,
		    asa_if(src), ip(src), sport, ip(nat_of(src)), sport);
	else
		emit(g, F_ASA, ts, "%s asa1 %%ASA-6-%s: Built inbound %s "
		    "connection %lu for outside:%s/%d (%s/%d) to %s:%s/%d "
		    "(%s/%d)", ts_syslog(ts), tcp ? "302013" : "302015",
		    tcp ? "TCP" : "UDP", id, ip(src), sport, ip(src), sport,
		    asa_if(dst), ip(dst), dport, ip(nat_of(dst)), dport);
	ts += dur;
	if (outbound)
		emit(g, F_ASA, ts, "%s asa1 %%ASA-6-%s: Teardown %s connection "
		    "%lu for outside:%s/%d to %s:%s/%d duration %s bytes %lld%s",
		    ts_syslog(ts), tcp ? "302014" : "302016",
		    tcp ? "TCP" : "UDP", id, ip(dst), dport, asa_if(src),
		    ip(src), sport, asa_dur(dur), bytes,
		    tcp ? " TCP FINs" : "");
	else
		emit(g, F_ASA, ts, "%s asa1 %%ASA-6-%s: Teardown %s connection "
		    "%lu for outside:%s/%d to %s:%s/%d duration %s bytes %lld%s",
		    ts_syslog(ts), tcp ? "302014" : "302016",
		    tcp ? "TCP" : "UDP", id, ip(src), sport, asa_if(dst),
		    ip(dst), dport, asa_dur(dur), bytes,
		    tcp ? " TCP FINs" : "");
}

static void
asa_deny(struct gen *g, int64_t ts, int tcp, uint32_t src, int sport,
    uint32_t dst, int dport)
{
	emit(g, F_ASA, ts, "%s asa1 %%ASA-4-106023: Deny %s src outside:%s/%d "
	    "dst dmz:%s/%d by access-group \"outside_in\" [0x0, 0x0]",
	    ts_syslog(ts), tcp ? "tcp" : "udp", ip(src), sport, ip(dst), dport);
}

static int
eph(struct gen *g)
{
	return 32768 + (int)rnd(&g->r, 28000);
}

/* A BIND 9 query log line of the resolver ns1. */
static void
dns_query(struct gen *g, int64_t ts, uint32_t client, const char *name,
    const char *qtype)
{
	struct tm tm;

	split(ts, &tm);
	emit(g, F_DNS, ts, "%02d-%s-%04d %02d:%02d:%02d.%03d queries: info: "
	    "client @0x7f%08x %s#%d (%s): query: %s IN %s +E(0)K (%s)",
	    tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ts % 1000),
	    (unsigned)(rng_next(&g->r) & 0xfffffff0), ip(client), eph(g), name,
	    name, qtype, ip(IP_NS));
}

static void
eve_common(struct gen *g, char *buf, size_t n, int64_t ts, const char *type,
    uint32_t src, int sport, uint32_t dst, int dport, const char *proto)
{
	snprintf(buf, n, "{\"timestamp\":\"%s\",\"flow_id\":%lu,"
	    "\"in_iface\":\"eth0\",\"event_type\":\"%s\",\"src_ip\":\"%s\","
	    "\"src_port\":%d,\"dest_ip\":\"%s\",\"dest_port\":%d,"
	    "\"proto\":\"%s\"", ts_iso(ts, 3, "+0000"),
	    1000000000000UL + ++g->flowid * 7919, type, ip(src), sport,
	    ip(dst), dport, proto);
}

static void
eve_alert(struct gen *g, int64_t ts, uint32_t src, int sport, uint32_t dst,
    int dport, const char *proto, unsigned sid, const char *sig,
    const char *cat, int sev, const char *action)
{
	char head[400];

	eve_common(g, head, sizeof head, ts, "alert", src, sport, dst, dport,
	    proto);
	emit(g, F_EVE, ts, "%s,\"alert\":{\"action\":\"%s\",\"gid\":1,"
	    "\"signature_id\":%u,\"rev\":2,\"signature\":\"%s\","
	    "\"category\":\"%s\",\"severity\":%d}}", head, action, sid, sig,
	    cat, sev);
}

static void
eve_tls(struct gen *g, int64_t ts, uint32_t src, int sport, uint32_t dst,
    const char *sni)
{
	char head[400];

	eve_common(g, head, sizeof head, ts, "tls", src, sport, dst, 443,
	    "TCP");
	emit(g, F_EVE, ts, "%s,\"tls\":{\"sni\":\"%s\",\"version\":\"TLS 1.3\"}}",
	    head, sni);
}

static void
eve_http(struct gen *g, int64_t ts, uint32_t src, int sport, uint32_t dst,
    const char *host, const char *path, const char *mime, int status,
    long long len, const char *magic)
{
	char head[400];

	eve_common(g, head, sizeof head, ts, "http", src, sport, dst, 80, "TCP");
	emit(g, F_EVE, ts, "%s,\"http\":{\"hostname\":\"%s\",\"url\":\"%s\","
	    "\"http_user_agent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\","
	    "\"http_content_type\":\"%s\",\"http_method\":\"GET\","
	    "\"protocol\":\"HTTP/1.1\",\"status\":%d,\"length\":%lld}}",
	    head, host, path, mime, status, len);
	if (magic == NULL)
		return;
	eve_common(g, head, sizeof head, ts + 3, "fileinfo", src, sport, dst,
	    80, "TCP");
	emit(g, F_EVE, ts + 3, "%s,\"http\":{\"hostname\":\"%s\",\"url\":\"%s\","
	    "\"http_content_type\":\"%s\",\"http_method\":\"GET\","
	    "\"status\":%d},\"fileinfo\":{\"filename\":\"%s\",\"magic\":\"%s\","
	    "\"state\":\"CLOSED\",\"stored\":false,\"size\":%lld,\"tx_id\":0}}",
	    head, host, path, mime, status, path, magic, len);
}

/* ---- the web: squid access.log with what else a request leaves ---- */

static const char *const paths[] = {
	"/", "/index.html", "/news/today", "/search?q=quarterly+report",
	"/assets/app.js", "/assets/site.css", "/img/logo.png", "/api/v2/items",
	"/login", "/inbox", "/docs/view?id=4471", "/watch?v=k3Xa9",
	"/products/list", "/favicon.ico", "/static/font.woff2"
};
#define NPATHS (int)(sizeof paths / sizeof paths[0])

static const char *
mime_of(const char *path)
{
	if (strstr(path, ".js"))
		return "application/javascript";
	if (strstr(path, ".css"))
		return "text/css";
	if (strstr(path, ".png") || strstr(path, ".ico"))
		return "image/png";
	if (strstr(path, ".woff2"))
		return "font/woff2";
	if (strstr(path, "/api/"))
		return "application/json";
	return "text/html";
}

/*
 * web: one request by client through the proxy, ending ts+elapsed.
 * https requests appear as CONNECT tunnels.  mime NULL picks one from the
 * path; magic (file type) makes the edge sensor log a fileinfo event.
 */
static void
web(struct gen *g, int64_t ts, uint32_t client, const char *user,
    const char *host, int https, const char *path, const char *mime,
    long long bytes, int64_t elapsed, const char *magic)
{
	uint32_t dst = ext_addr(host);
	int hit = !https && rnd(&g->r, 100) < 12;
	int sport = eph(g);
	int64_t end = ts + elapsed;
	const char *code;

	if (rnd(&g->r, 100) < 25)
		fw_line(g, ts, "ACCEPT", client, IP_PROXY, 1, eph(g), 3128);
	if (!hit && rnd(&g->r, 100) < 15)
		dns_query(g, ts + 1, IP_PROXY, host, "A");
	if (mime == NULL)
		mime = https ? "-" : mime_of(path);
	if (https) {
		code = "TCP_TUNNEL/200";
		emit(g, F_SQUID, end, "%lld.%03lld %6lld %s %s %lld CONNECT "
		    "%s:443 %s HIER_DIRECT/%s -", (long long)(end / 1000),
		    (long long)(end % 1000), (long long)elapsed, ip(client),
		    code, bytes, host, user, ip(dst));
	} else {
		code = hit ? "TCP_MEM_HIT/200" : "TCP_MISS/200";
		emit(g, F_SQUID, end, "%lld.%03lld %6lld %s %s %lld GET "
		    "http://%s%s %s %s/%s %s", (long long)(end / 1000),
		    (long long)(end % 1000), (long long)elapsed, ip(client),
		    code, bytes, host, path, user,
		    hit ? "HIER_NONE" : "HIER_DIRECT", hit ? "-" : ip(dst),
		    mime);
	}
	if (hit)
		return;
	asa_conn(g, ts + 4, 1, IP_PROXY, sport, dst, https ? 443 : 80,
	    elapsed > 8 ? elapsed - 6 : 2, bytes + 600);
	if (https && rnd(&g->r, 100) < 20)
		eve_tls(g, ts + 30, IP_PROXY, sport, dst, host);
	else if (!https && (magic || rnd(&g->r, 100) < 40))
		eve_http(g, ts + elapsed / 2, IP_PROXY, sport, dst, host, path,
		    mime, 200, bytes, magic);
}

/* A browsing request to a usual site by a user. */
static void
browse(struct gen *g, int64_t ts, const struct user *u)
{
	const char *host;
	int https = rnd(&g->r, 100) < 78;
	const char *path = paths[rnd_skew(&g->r, NPATHS, 1.6)];
	long long bytes;

	if (rnd(&g->r, 1000) < 985)
		host = popular_sites[rnd_skew(&g->r, NPOPULAR, 2.2)];
	else
		host = g->tail[rnd_skew(&g->r, NTAIL, 1.3)];
	bytes = 400 + (long long)(pow(rndf(&g->r), 3) * 900000);
	web(g, ts, u->ip, u->name, host, https, path, NULL, bytes,
	    20 + rnd(&g->r, 900) + (https ? rnd(&g->r, 30000) : 0), NULL);
}

/* ---- mail ---- */

static const char *
qid(struct gen *g)
{
	static char buf[4][16];
	static int k;
	char *p = buf[k++ & 3];

	snprintf(p, 16, "%010lX", 0x4A10000000UL + ++g->queueid * 104729);
	return p;
}

static void
mail_in(struct gen *g, int64_t ts, const struct user *u)
{
	char sender[64];
	const char *dom = g->tail[rnd(&g->r, 400)];
	uint32_t mta = ext_addr(dom) ^ 0x0101;
	int sport = eph(g), pid = 2000 + (int)rnd(&g->r, 8000);
	const char *q = qid(g);
	long long size = 2000 + rnd(&g->r, 400000);

	if (rnd(&g->r, 3) == 0)
		dom = popular_sites[rnd(&g->r, NPOPULAR)];
	snprintf(sender, sizeof sender, "%s@%s", syl[rnd(&g->r, NSYL)], dom);
	asa_conn(g, ts, 1, mta, sport, IP_MX, 25, 1200 + rnd(&g->r, 3000),
	    size + 900);
	emit(g, F_MAIL, ts + 5, "%s mx1 postfix/smtpd[%d]: connect from "
	    "mail.%s[%s]", ts_syslog(ts + 5), pid, dom, ip(mta));
	emit(g, F_MAIL, ts + 300, "%s mx1 postfix/smtpd[%d]: %s: client="
	    "mail.%s[%s]", ts_syslog(ts + 300), pid, q, dom, ip(mta));
	emit(g, F_MAIL, ts + 400, "%s mx1 postfix/cleanup[%d]: %s: "
	    "message-id=<%lu.%s>", ts_syslog(ts + 400), pid + 3, q,
	    g->queueid, sender);
	emit(g, F_MAIL, ts + 500, "%s mx1 postfix/qmgr[1187]: %s: from=<%s>, "
	    "size=%lld, nrcpt=1 (queue active)", ts_syslog(ts + 500), q,
	    sender, size);
	emit(g, F_MAIL, ts + 900, "%s mx1 postfix/smtpd[%d]: disconnect from "
	    "mail.%s[%s] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
	    ts_syslog(ts + 900), pid, dom, ip(mta));
	fw_line(g, ts + 950, "ACCEPT", IP_MX, IP_MAILSTORE, 1, eph(g), 25);
	emit(g, F_MAIL, ts + 1100, "%s mx1 postfix/smtp[%d]: %s: to=<%s@"
	    "corp.example>, relay=mail.corp.example[%s]:25, delay=1.1, "
	    "delays=0.5/0/0.2/0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok: "
	    "queued as %llX)", ts_syslog(ts + 1100), pid + 7, q, u->name,
	    ip(IP_MAILSTORE), size);
	emit(g, F_MAIL, ts + 1101, "%s mx1 postfix/qmgr[1187]: %s: removed",
	    ts_syslog(ts + 1101), q);
}

static void
mail_out(struct gen *g, int64_t ts, const struct user *u)
{
	const char *dom = g->tail[rnd(&g->r, 400)];
	char mxname[96];
	uint32_t mxip;
	int pid = 2000 + (int)rnd(&g->r, 8000);
	const char *q = qid(g);
	long long size = 1500 + rnd(&g->r, 200000);

	if (rnd(&g->r, 3) == 0)
		dom = popular_sites[rnd(&g->r, NPOPULAR)];
	snprintf(mxname, sizeof mxname, "mx.%s", dom);
	mxip = ext_addr(mxname);
	fw_line(g, ts, "ACCEPT", IP_MAILSTORE, IP_MX, 1, eph(g), 25);
	emit(g, F_MAIL, ts + 10, "%s mx1 postfix/smtpd[%d]: connect from "
	    "mail.corp.example[%s]", ts_syslog(ts + 10), pid, ip(IP_MAILSTORE));
	emit(g, F_MAIL, ts + 200, "%s mx1 postfix/smtpd[%d]: %s: client="
	    "mail.corp.example[%s]", ts_syslog(ts + 200), pid, q,
	    ip(IP_MAILSTORE));
	emit(g, F_MAIL, ts + 300, "%s mx1 postfix/qmgr[1187]: %s: from=<%s@"
	    "corp.example>, size=%lld, nrcpt=1 (queue active)",
	    ts_syslog(ts + 300), q, u->name, size);
	dns_query(g, ts + 320, IP_MX, dom, "MX");
	asa_conn(g, ts + 400, 1, IP_MX, eph(g), mxip, 25,
	    800 + rnd(&g->r, 2500), size + 700);
	emit(g, F_MAIL, ts + 2100, "%s mx1 postfix/smtp[%d]: %s: to=<%s@%s>, "
	    "relay=%s[%s]:25, delay=1.8, delays=0.1/0/0.9/0.8, dsn=2.0.0, "
	    "status=sent (250 2.0.0 accepted)", ts_syslog(ts + 2100), pid + 5,
	    q, syl[rnd(&g->r, NSYL)], dom, mxname, ip(mxip));
	emit(g, F_MAIL, ts + 2101, "%s mx1 postfix/qmgr[1187]: %s: removed",
	    ts_syslog(ts + 2101), q);
}

/* ---- the file server's audit log (wevtutil XML, one event a line) ---- */

enum { OP_READ, OP_WRITE, OP_DELETE };

static void
win_event(struct gen *g, int64_t ts, int id, const struct user *u,
    const char *share, const char *file, int op, unsigned long handle)
{
	static const char *const mask[] = { "0x1", "0x2", "0x10000" };
	static const char *const list[] = { "%%4416", "%%4417", "%%1537" };
	char sys[640];

	snprintf(sys, sizeof sys, "<Event xmlns='http://schemas.microsoft.com/"
	    "win/2004/08/events/event'><System><Provider Name='Microsoft-"
	    "Windows-Security-Auditing' Guid='{54849625-5478-4994-a5ba-"
	    "3e3b0328c30d}'/><EventID>%d</EventID><Version>%d</Version>"
	    "<Level>0</Level><Task>%d</Task><Opcode>0</Opcode><Keywords>"
	    "0x8020000000000000</Keywords><TimeCreated SystemTime='%s'/>"
	    "<EventRecordID></EventRecordID><Correlation/><Execution "
	    "ProcessID='4' ThreadID='%u'/><Channel>Security</Channel>"
	    "<Computer>FS1.corp.example</Computer><Security/></System>",
	    id, id == 4663 ? 1 : 0, id == 5145 ? 12811 : 12800,
	    ts_iso(ts, 4, "Z"), 5000 + rnd(&g->r, 3000));
	if (id == 5145)
		emit(g, F_WIN, ts, "%s<EventData><Data Name='SubjectUserSid'>"
		    "S-1-5-21-3623811015-3361044348-30300820-%d</Data><Data "
		    "Name='SubjectUserName'>%s</Data><Data Name="
		    "'SubjectDomainName'>CORP</Data><Data Name='SubjectLogonId'>"
		    "0x%lx</Data><Data Name='ObjectType'>File</Data><Data Name="
		    "'IpAddress'>%s</Data><Data Name='IpPort'>%d</Data><Data "
		    "Name='ShareName'>\\\\*\\%s</Data><Data Name='ShareLocalPath'>"
		    "\\??\\D:\\Shares\\%s</Data><Data Name='RelativeTargetName'>"
		    "%s</Data><Data Name='AccessMask'>%s</Data><Data Name="
		    "'AccessList'>%s </Data><Data Name='AccessReason'>-</Data>"
		    "</EventData></Event>", sys, u->rid, u->name,
		    0x3e7000UL + (unsigned long)u->rid, ip(u->ip), eph(g),
		    share, share, file, mask[op], list[op]);
	else if (id == 4663)
		emit(g, F_WIN, ts, "%s<EventData><Data Name='SubjectUserSid'>"
		    "S-1-5-21-3623811015-3361044348-30300820-%d</Data><Data "
		    "Name='SubjectUserName'>%s</Data><Data Name="
		    "'SubjectDomainName'>CORP</Data><Data Name='SubjectLogonId'>"
		    "0x%lx</Data><Data Name='ObjectServer'>Security</Data><Data "
		    "Name='ObjectType'>File</Data><Data Name='ObjectName'>"
		    "D:\\Shares\\%s\\%s</Data><Data Name='HandleId'>0x%lx</Data>"
		    "<Data Name='AccessList'>%s </Data><Data Name='AccessMask'>"
		    "%s</Data><Data Name='ProcessId'>0x4</Data><Data Name="
		    "'ProcessName'></Data><Data Name='ResourceAttributes'>"
		    "</Data></EventData></Event>", sys, u->rid,
		    u->name, 0x3e7000UL + (unsigned long)u->rid, share, file,
		    handle, list[op], mask[op]);
	else
		emit(g, F_WIN, ts, "%s<EventData><Data Name='SubjectUserSid'>"
		    "S-1-5-21-3623811015-3361044348-30300820-%d</Data><Data "
		    "Name='SubjectUserName'>%s</Data><Data Name="
		    "'SubjectDomainName'>CORP</Data><Data Name='SubjectLogonId'>"
		    "0x%lx</Data><Data Name='ObjectServer'>Security</Data><Data "
		    "Name='HandleId'>0x%lx</Data><Data Name='ProcessId'>0x4"
		    "</Data><Data Name='ProcessName'></Data><Data Name="
		    "'TransactionId'>{00000000-0000-0000-0000-000000000000}"
		    "</Data></EventData></Event>", sys, u->rid,
		    u->name, 0x3e7000UL + (unsigned long)u->rid, handle);
}

static const char *const docs[] = {
	"report", "minutes", "budget", "plan", "contract", "invoice",
	"forecast", "design", "spec", "memo", "price-list", "roster"
};
static const char *const exts[] = { "docx", "xlsx", "pdf", "pptx", "txt" };

/* A file access by u on its department's share (or Common), the way
 * Windows audits it: the share check, then the object access. */
static void
file_access(struct gen *g, int64_t ts, const struct user *u, int op)
{
	const struct dept *d = &depts[u->dept];
	const char *share = rnd(&g->r, 4) ? d->share : "Common";
	char file[160], dir[64];
	unsigned long h = 0x1000 + rnd(&g->r, 0xf000);

	if (u->dept == 2 && rnd(&g->r, 5) == 0)
		snprintf(dir, sizeof dir, "Confidential\\%d",
		    2024 + (int)rnd(&g->r, 3));
	else
		snprintf(dir, sizeof dir, "%s", syl[rnd(&g->r, NSYL)]);
	snprintf(file, sizeof file, "%s\\%s-%03u.%s", dir,
	    docs[rnd(&g->r, 12)], rnd(&g->r, 400), exts[rnd(&g->r, 5)]);
	win_event(g, ts, 5145, u, share, file, op, 0);
	win_event(g, ts + 2, 4663, u, share, file, op, h);
	if (op == OP_DELETE)
		win_event(g, ts + 3, 4660, u, share, file, op, h);
	/* a copy to another folder: read here, write of the same name
	 * there a few seconds later (what filerank infers copies from) */
	if (op == OP_READ && rnd(&g->r, 100) < 3) {
		char *base = strrchr(file, '\\') + 1;
		char copy[200];

		snprintf(copy, sizeof copy, "Users\\%s\\%s", u->name, base);
		win_event(g, ts + 2500, 4663, u, "Common", copy, OP_WRITE,
		    h + 4);
	}
}

/* ---- the day's normal traffic ---- */

/* Share of staff at work by hour (UTC, the site's zone), weekdays. */
static const double office[24] = {
	0, 0, 0, 0, 0, 0, 0, 0.04, 0.45, 0.95, 1.0, 0.95,
	0.45, 0.9, 1.0, 0.95, 0.9, 0.7, 0.35, 0.15, 0.06, 0.03, 0.01, 0
};
static const double weekend[24] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0.02, 0.04, 0.04,
	0.03, 0.04, 0.04, 0.03, 0.02, 0.01, 0, 0, 0, 0, 0, 0
};

/* n events expected in a bucket, as an integer with random rounding */
static long
count(struct gen *g, double expect)
{
	double c = expect * g->scale;
	long n = (long)c;

	if (rndf(&g->r) < c - (double)n)
		n++;
	return n;
}

static const struct user *
pick_user(struct gen *g)
{
	const struct user *u;

	do
		u = &g->u[rnd(&g->r, NUSER)];
	while (rndf(&g->r) > u->weight);
	return u;
}

/*
 * pick_present: someone at work when a share act of the staff is in.
 * Who is in is a prefix of the day's order of arrival, so the people at
 * work on a Saturday or at 22:00 are a handful doing many things each,
 * not hundreds doing one thing each (which would fill the weekend and
 * late-night file rankings with the whole company).
 */
static const struct user *
pick_present(struct gen *g, double act)
{
	const struct user *u;
	uint32_t k = (uint32_t)ceil(NUSER * act);

	if (k < 1)
		k = 1;
	if (k > NUSER)
		k = NUSER;
	do
		u = &g->u[g->present[rnd(&g->r, k)]];
	while (rndf(&g->r) > u->weight);
	return u;
}

/* day_order: shuffle who comes in first on day d, from a stream of its
 * own so the rest of the day does not depend on it. */
static void
day_order(struct gen *g, int d)
{
	struct rng r;

	rng_seed(&r, g->seed ^ (0x70726573656e74ULL + (uint64_t)d));
	for (int i = 0; i < NUSER; i++)
		g->present[i] = (uint16_t)i;
	for (int i = NUSER - 1; i > 0; i--) {
		uint32_t j = rnd(&r, (uint32_t)i + 1);
		uint16_t t = g->present[i];

		g->present[i] = g->present[j];
		g->present[j] = t;
	}
}

static const int noise_ports[] = {
	23, 22, 445, 3389, 1433, 8080, 5900, 21, 25, 80, 443, 3306, 6379,
	2323, 5060, 8443, 9200, 11211, 53, 161
};

static void
normal_bucket(struct gen *g, int64_t b0, int weekday)
{
	int hour = (int)((b0 - g->start) % DAY_MS / HOUR_MS);
	int minute = (int)((b0 - g->start) % HOUR_MS / MIN_MS);
	double act = weekday ? office[hour] : weekend[hour];
	long i, n;

	/* people browsing: about 12 requests per active person per hour */
	n = count(g, NUSER * act * 12 / 6);
	for (i = 0; i < n; i++) {
		const struct user *u = pick_present(g, act);

		/* nobody browses between 01:00 and 06:00 but the incident */
		browse(g, b0 + rnd(&g->r, BUCKET_MS), u);
		if (rnd(&g->r, 100) < 20)
			dns_query(g, b0 + rnd(&g->r, BUCKET_MS), u->ip,
			    rnd(&g->r, 2) ? "fs1.corp.example" :
			    "intranet.corp.example", rnd(&g->r, 4) ? "A" :
			    "AAAA");
	}
	/* file server: about 5 accesses per active person per hour */
	n = count(g, NUSER * act * 5 / 6);
	for (i = 0; i < n; i++) {
		int r = (int)rnd(&g->r, 100);

		file_access(g, b0 + rnd(&g->r, BUCKET_MS), pick_present(g, act),
		    r < 78 ? OP_READ : r < 98 ? OP_WRITE : OP_DELETE);
	}
	/* mail in, all day (less at night), and out during work */
	n = count(g, (act * 0.8 + 0.1) * NUSER * 3 / 144);
	for (i = 0; i < n; i++)
		mail_in(g, b0 + rnd(&g->r, BUCKET_MS), pick_user(g));
	n = count(g, act * NUSER * 1.5 * 24 / 144 / 8);
	for (i = 0; i < n; i++)
		mail_out(g, b0 + rnd(&g->r, BUCKET_MS), pick_present(g, act));
	/* the public web server */
	n = count(g, 10 + 50 * (weekday ? office[hour] : 0.2));
	for (i = 0; i < n; i++) {
		int64_t t = b0 + rnd(&g->r, BUCKET_MS);
		uint32_t c = ext_addr(g->tail[rnd(&g->r, NTAIL)]) + rnd(&g->r, 7);

		asa_conn(g, t, 1, c, eph(g), IP_WEB, 443, 200 + rnd(&g->r, 20000),
		    2000 + rnd(&g->r, 300000));
	}
	/* the resolver's own lookups out */
	n = count(g, 10 + 60 * act);
	for (i = 0; i < n; i++)
		asa_conn(g, b0 + rnd(&g->r, BUCKET_MS), 0, IP_NS, eph(g),
		    ext_addr(g->tail[rnd(&g->r, 60)]) | 1, 53, 30 + rnd(&g->r, 200),
		    120 + rnd(&g->r, 400));
	/* internet background: probes denied at the edge, a few each */
	n = count(g, 25);
	for (i = 0; i < n; i++) {
		int64_t t = b0 + rnd(&g->r, BUCKET_MS);
		uint32_t s = ext_addr(g->tail[rnd(&g->r, NTAIL)]) ^
		    (rnd(&g->r, 255) << 8);
		int port = noise_ports[rnd_skew(&g->r, 20, 1.5)];
		uint32_t d = IP4(203, 0, 113, 1 + rnd(&g->r, 30));
		int k, probes = 1 + (int)rnd(&g->r, 3);

		for (k = 0; k < probes; k++)
			asa_deny(g, t + k * 3000, port != 53 && port != 161,
			    s, eph(g), d, port);
		if (rnd(&g->r, 6) == 0)
			eve_alert(g, t + 1, s, eph(g), d, port, "TCP",
			    9100000 + port, "KZ-LOCAL SCAN inbound probe "
			    "of a service port", "Attempted Information Leak",
			    3, "blocked");
	}
	/* ntp: the site's time server and the DMZ hosts, every 17 minutes */
	if (minute == 0 || minute == 20 || minute == 40) {
		int k;

		for (k = 0; k < 4; k++) {
			uint32_t srv = IP4(pub_octets[k + 3], 120 + k, 7, 123);

			fw_line(g, b0 + k * 1000, "ACCEPT", IP_NTP, srv, 0, 123,
			    123);
			asa_conn(g, b0 + k * 1000 + 2, 0, IP_NTP, 123, srv, 123,
			    40, 96);
		}
		asa_conn(g, b0 + 5000, 0, IP_MX, 123,
		    IP4(pub_octets[3], 120, 7, 123), 123, 40, 96);
		asa_conn(g, b0 + 5100, 0, IP_WEB, 123,
		    IP4(pub_octets[4], 121, 7, 123), 123, 40, 96);
	}
	/* the cache server's scheduled crawl, 01:00-05:00 every day */
	if (hour >= 1 && hour < 5) {
		n = count(g, 70);
		for (i = 0; i < n; i++) {
			const char *host = popular_sites[rnd(&g->r, NPOPULAR)];

			web(g, b0 + rnd(&g->r, BUCKET_MS), IP_CACHE, "-", host, 0,
			    paths[rnd(&g->r, NPATHS)], NULL,
			    300 + rnd(&g->r, 200000), 40 + rnd(&g->r, 500), NULL);
		}
	}
	/* the backup window, 22:00-02:00: the backup account reads the
	 * shares; the off-site copy leaves in 20-minute uploads */
	if (hour >= 22 || hour < 2) {
		static struct user backup = { "svc_backup", IP_BACKUP, 4, 1, 500 };

		n = count(g, 120);
		for (i = 0; i < n; i++) {
			const struct dept *d = &depts[rnd(&g->r, NDEPT)];
			char file[160];

			snprintf(file, sizeof file, "%s\\%s-%03u.%s",
			    syl[rnd(&g->r, NSYL)], docs[rnd(&g->r, 12)],
			    rnd(&g->r, 400), exts[rnd(&g->r, 5)]);
			win_event(g, b0 + rnd(&g->r, BUCKET_MS), 4663, &backup,
			    d->share, file, OP_READ, 0x2000 + i);
		}
		if (minute % 20 == 0) {
			fw_line(g, b0 + 100, "ACCEPT", IP_BACKUP,
			    ext_addr("vault.offsite-backup.example"), 1, eph(g),
			    443);
			asa_conn(g, b0 + 102, 1, IP_BACKUP, eph(g),
			    ext_addr("vault.offsite-backup.example"), 443,
			    19 * MIN_MS + rnd(&g->r, 30000),
			    800000000LL + rnd(&g->r, 100000000));
		}
	}
}

/* The weekly vulnerability scan of the DMZ (role scanner): Fridays. */
static void
scanner_run(struct gen *g, int64_t t0)
{
	static const uint32_t targets[] = { IP_PROXY, IP_WEB, IP_MX, IP_NS };
	int i, port;

	for (i = 0; i < 4; i++)
		for (port = 1; port <= 1024; port += 3) {
			int open = (port == 25 && targets[i] == IP_MX) ||
			    (port == 53 && targets[i] == IP_NS) ||
			    (port == 22);

			fw_line(g, t0 + i * 120000 + port * 90, open ? "ACCEPT" :
			    "DROP", IP_SCANNER, targets[i], 1, 40000 + port,
			    port);
		}
}

/* ---- the incidents ---- */

struct incident {
	const char	*id;
	int64_t		 first;
	uint32_t	 src;
	const char	*who;
	const char	*rules;
	const char	*what;
};

static FILE *inc_fp;

static void
incident(struct gen *g, const char *id, int64_t first, uint32_t src,
    const char *who, const char *rules, const char *what)
{
	(void)g;
	fprintf(inc_fp, "%s\t%s\t%s\t%s\t%s\t%s\n", id,
	    ts_iso(first, 0, "Z"), ip(src), who, rules, what);
}

static void
seed_irc_bot(struct gen *g, int64_t day)
{
	const struct user *u = &g->u[U_IRC];
	int64_t t = day + 9 * HOUR_MS + 12 * MIN_MS + 3000;
	uint32_t irc = IP4(185, 212, 47, 19);
	const char *site = "free-codecs.example";
	int i, k;

	incident(g, "irc-bot", t, u->ip, u->name,
	    "domrank.users,dlwatch.exe,portwatch.irc,scanwatch.horizontal",
	    "visit to a rare site, bot download, IRC to 6667/tcp, then a "
	    "445/tcp scan of internal and external hosts");
	/* the rare site and the dropper */
	web(g, t, u->ip, u->name, site, 0, "/player/index.html", "text/html",
	    18234, 310, NULL);
	web(g, t + 4000, u->ip, u->name, site, 0, "/player/style.css",
	    "text/css", 2210, 80, NULL);
	web(g, t + 9000, u->ip, u->name, site, 0,
	    "/dl/codec-pack-2.1.exe", "application/x-msdownload", 482304,
	    2900, "PE32 executable (GUI) Intel 80386, for MS Windows");
	/* IRC: the bot connects, stays, reconnects */
	t += 2 * MIN_MS;
	dns_query(g, t - 200, u->ip, "irc.darkrelay.test", "A");
	for (k = 0; k < 4; k++) {
		int64_t c = t + k * 40 * MIN_MS;
		int sp = eph(g);

		fw_line(g, c, "ACCEPT", u->ip, irc, 1, sp, 6667);
		asa_conn(g, c + 3, 1, u->ip, sp, irc, 6667,
		    38 * MIN_MS + rnd(&g->r, 60000), 18000 + rnd(&g->r, 9000));
		eve_alert(g, c + 900, u->ip, sp, irc, 6667, "TCP", 9100101,
		    "KZ-LOCAL IRC NICK command to an outside server",
		    "Potential Corporate Privacy Violation", 2, "allowed");
	}
	/* 10:05: the bot scans for 445/tcp, inside then out */
	t = day + 10 * HOUR_MS + 5 * MIN_MS;
	for (i = 0; i < 60; i++)
		fw_line(g, t + i * 1500, "DROP", u->ip,
		    IP4(10, 1, 1 + (i % 5 == 1 ? 2 : i % 5), 10 + i), 1,
		    eph(g), 445);
	for (i = 0; i < 80; i++) {
		uint32_t d = IP4(pub_octets[i % NPUB], 40 + i, 3 * i % 251,
		    1 + i);

		fw_line(g, t + 100000 + i * 1200, "DROP", u->ip, d, 1, eph(g),
		    445);
	}
	eve_alert(g, t + 120000, u->ip, eph(g), IP4(pub_octets[2], 42, 6, 3),
	    445, "TCP", 9100202, "KZ-LOCAL SMB scan from an inside host",
	    "Attempted Information Leak", 2, "allowed");
}

static void
seed_worm(struct gen *g, int64_t day)
{
	const struct user *u = &g->u[U_WORM];
	int64_t t = day + 14 * HOUR_MS + 5 * MIN_MS + 7000;
	int i;

	incident(g, "mass-mailer", t, u->ip, u->name,
	    "mxspike.mxquery,mxspike.direct,mxspike.burst",
	    "a worm sending mail directly to 45 outside mail servers on "
	    "25/tcp within 20 minutes after 180 MX lookups");
	for (i = 0; i < 180; i++) {
		char dom[64];

		snprintf(dom, sizeof dom, "%s%s.%s", syl[i % NSYL],
		    syl[(i / NSYL + 3) % NSYL], tlds[i % 5]);
		dns_query(g, t + i * 2500, u->ip, dom, "MX");
		if (i % 4 == 0 && i / 4 < 45) {
			char mx[80];
			uint32_t d;
			int sp = eph(g);

			snprintf(mx, sizeof mx, "mx.%s", dom);
			d = ext_addr(mx);
			fw_line(g, t + i * 2500 + 300, "ACCEPT", u->ip, d, 1, sp,
			    25);
			asa_conn(g, t + i * 2500 + 303, 1, u->ip, sp, d, 25,
			    1500 + rnd(&g->r, 3000), 9000 + rnd(&g->r, 4000));
		}
	}
}

static void
seed_dmz(struct gen *g, int64_t day)
{
	int64_t t = day + 11 * HOUR_MS + 41 * MIN_MS + 12000;
	uint32_t c2 = IP4(91, 203, 145, 77), ssh = IP4(77, 88, 21, 140);
	int k;

	incident(g, "dmz-egress", t, IP_WEB, "www1",
	    "dmzegress.egress,portwatch.watched",
	    "the DMZ web server connecting out to 4444/tcp and 22/tcp");
	for (k = 0; k < 6; k++)
		asa_conn(g, t + k * 7 * MIN_MS, 1, IP_WEB, eph(g), c2, 4444,
		    90000 + rnd(&g->r, 60000), 4000 + rnd(&g->r, 90000));
	asa_conn(g, t + 50 * MIN_MS, 1, IP_WEB, eph(g), ssh, 22,
	    12 * MIN_MS, 2300000);
}

static void
seed_night(struct gen *g, int64_t day)
{
	const struct user *u = &g->u[U_NIGHT];
	int64_t t = day + 2 * HOUR_MS + 6 * MIN_MS + 41000;
	int i;

	incident(g, "late-night-web", t, u->ip, u->name, "nightweb.offhours",
	    "a finance PC browsing between 02:06 and 03:50");
	for (i = 0; i < 90; i++) {
		const char *host = i % 3 ? "video.streamtube.example" :
		    i % 2 ? "shop.bigmarket.example" : "casino-royale.test";

		web(g, t + i * 70000 + rnd(&g->r, 20000), u->ip, u->name, host,
		    i % 4 != 0, paths[rnd(&g->r, NPATHS)], NULL,
		    3000 + rnd(&g->r, 800000), 100 + rnd(&g->r, 4000), NULL);
	}
}

static void
seed_tunnel(struct gen *g, int64_t day)
{
	const struct user *u = &g->u[U_TUNNEL];
	int64_t t = day + 10 * HOUR_MS + 30 * MIN_MS + 4400;
	int64_t el = 4 * HOUR_MS + 12 * MIN_MS + 31000;

	incident(g, "https-tunnel", t, u->ip, u->name, "longconn.long",
	    "a CONNECT tunnel to vpn-gate.test:443 held open for 4h12m");
	web(g, t, u->ip, u->name, "vpn-gate.test", 1, "/", NULL, 381442311LL,
	    el, NULL);
}

static void
seed_exe(struct gen *g, int64_t day)
{
	const struct user *u = &g->u[U_EXE];
	int64_t t = day + 15 * HOUR_MS + 20 * MIN_MS + 9000;

	incident(g, "exe-download", t, u->ip, u->name, "dlwatch.exe",
	    "setup_tool_v2.exe downloaded from dl.freeware-hub.example");
	web(g, t - 8000, u->ip, u->name, "dl.freeware-hub.example", 0,
	    "/files/", "text/html", 9120, 240, NULL);
	web(g, t, u->ip, u->name, "dl.freeware-hub.example", 0,
	    "/files/setup_tool_v2.exe", "application/x-msdownload", 2318336,
	    5200, "PE32+ executable (GUI) x86-64, for MS Windows");
}

static void
seed_deletes(struct gen *g, int64_t day)
{
	const struct user *u = &g->u[U_DELETER];
	int64_t t = day + 23 * HOUR_MS + 14 * MIN_MS + 52000;
	int i;

	incident(g, "saturday-deletes", t, u->ip, u->name,
	    "filerank.deleters,filerank.weekend,filerank.night,"
	    "filerank.confidential",
	    "48 confidential finance files deleted on Saturday night");
	for (i = 0; i < 48; i++) {
		char file[160];
		unsigned long h = 0x9000 + i * 4;
		int64_t ti = t + i * 19000 + rnd(&g->r, 5000);

		snprintf(file, sizeof file, "Confidential\\%d\\%s-%03d.%s",
		    2024 + i % 3, docs[i % 12], i, exts[i % 3]);
		win_event(g, ti, 5145, u, "Finance", file, OP_DELETE, 0);
		win_event(g, ti + 2, 4663, u, "Finance", file, OP_DELETE, h);
		win_event(g, ti + 3, 4660, u, "Finance", file, OP_DELETE, h);
	}
}

/* ---- the organisation and its inventory ---- */

static void
make_org(struct gen *g)
{
	struct rng r;
	int d, i, k = 0, j;

	/* the organisation is the same for every --seed */
	rng_seed(&r, 0x6b617a616d69ULL);
	for (d = 0; d < NDEPT; d++)
		for (i = 0; i < depts[d].size; i++, k++) {
			struct user *u = &g->u[k];
			int ns = 2 + (int)rnd(&r, 2), n;

			n = snprintf(u->name, sizeof u->name, "%c",
			    'a' + (int)rnd(&r, 26));
			for (j = 0; j < ns; j++)
				n += snprintf(u->name + n, sizeof u->name - n,
				    "%s", syl[rnd(&r, NSYL)]);
			/* make names unique by a digit where needed */
			for (j = 0; j < k; j++)
				if (strcmp(g->u[j].name, u->name) == 0) {
					snprintf(u->name + n, sizeof u->name - n,
					    "%d", k % 10);
					break;
				}
			u->ip = IP4(10, 1, depts[d].net, 10 + i);
			u->dept = d;
			u->weight = 0.3 + 0.7 * rndf(&r);
			u->rid = 1100 + k;
		}
	for (i = 0; i < NTAIL; i++) {
		char buf[64];
		int n = 0, ns = 2 + (int)rnd(&r, 3);

		for (j = 0; j < ns; j++)
			n += snprintf(buf + n, sizeof buf - n, "%s",
			    syl[rnd(&r, NSYL)]);
		snprintf(buf + n, sizeof buf - n, "%s%d.%s",
		    rnd(&r, 3) ? "" : "-", i, tlds[rnd(&r, 5)]);
		g->tail[i] = xstrdup(buf);
	}
}

static int
write_assets(const char *dir, const struct gen *g)
{
	char *path;
	FILE *fp;
	int d, rc;

	if (asprintf(&path, "%s/assets.csv", dir) < 0)
		errx(EXIT_ERROR, "out of memory");
	if ((fp = fopen(path, "w")) == NULL)
		err(EXIT_ERROR, "%s", path);
	fprintf(fp, "net,name,zone,role,dept,owner,importance\n");
	fprintf(fp, "10.0.0.0/8,corp-lan,internal,,,it-ops,2\n");
	fprintf(fp, "10.0.0.0/24,servers,internal,server,it,it-ops,4\n");
	fprintf(fp, "10.0.0.9,cache1,internal,cache,it,it-ops,2\n");
	fprintf(fp, "10.0.0.25,mail,internal,mailrelay,it,it-ops,4\n");
	fprintf(fp, "10.0.0.30,fs1,internal,fileserver,it,it-ops,5\n");
	fprintf(fp, "10.0.0.40,backup1,internal,backup,it,it-ops,4\n");
	fprintf(fp, "10.0.0.60,vscan1,internal,scanner,it,secops,3\n");
	fprintf(fp, "10.0.0.123,ntp1,internal,ntp,it,it-ops,3\n");
	for (d = 0; d < NDEPT; d++)
		fprintf(fp, "10.1.%d.0/24,%s-pcs,internal,client,%s,%s,%d\n",
		    depts[d].net, depts[d].name, depts[d].name,
		    depts[d].name, depts[d].importance);
	fprintf(fp, "%s,fin-director-pc,internal,client,finance,%s,5\n",
	    ip(g->u[U_DIRECTOR].ip), g->u[U_DIRECTOR].name);
	fprintf(fp, "172.16.10.0/24,dmz,dmz,server,it,it-ops,4\n");
	fprintf(fp, "172.16.10.8,proxy1,dmz,proxy,it,it-ops,4\n");
	fprintf(fp, "172.16.10.10,www1,dmz,web,it,web-team,4\n");
	fprintf(fp, "172.16.10.25,mx1,dmz,mailrelay,it,it-ops,4\n");
	fprintf(fp, "172.16.10.53,ns1,dmz,dns,it,it-ops,4\n");
	fprintf(fp, "203.0.113.0/27,public-nat,dmz,nat,it,it-ops,3\n");
	rc = fshut(fp, path);
	free(path);
	return rc;
}

/* The patterns of confidential files and the service accounts, for
 * filerank -C and -x. */
static int
write_lists(const char *dir)
{
	char *path;
	FILE *fp;
	int rc = 0;

	if (asprintf(&path, "%s/confidential.txt", dir) < 0)
		errx(EXIT_ERROR, "out of memory");
	if ((fp = fopen(path, "w")) == NULL)
		err(EXIT_ERROR, "%s", path);
	fprintf(fp, "# Confidential folders on fs1 (filerank -C)\n"
	    "**\\Finance\\Confidential\\**\n"
	    "**\\HR\\Personnel\\**\n");
	rc |= fshut(fp, path);
	free(path);
	if (asprintf(&path, "%s/service-accounts.txt", dir) < 0)
		errx(EXIT_ERROR, "out of memory");
	if ((fp = fopen(path, "w")) == NULL)
		err(EXIT_ERROR, "%s", path);
	fprintf(fp, "# Service accounts (filerank -x)\nsvc_backup\n");
	rc |= fshut(fp, path);
	free(path);
	return rc;
}

/* ---- main ---- */

static const struct optdef opts[] = {
	{ "date", 'd', required_argument, "YYYY-MM-DD",
	    "first day (default 2026-11-20, a Friday)" },
	{ "days", 'n', required_argument, "N",
	    "days to generate (default 2: Friday and Saturday)" },
	OPT_HELP,
	{ "output", 'o', required_argument, "DIR",
	    "directory to write into (default sample)" },
	{ "scale", 's', required_argument, "X",
	    "traffic volume factor, 0.001-1000 (default 1)" },
	{ "seed", 'S', required_argument, "N", "random seed (default 1)" },
	OPT_VERSION,
	{ NULL, 0, 0, NULL, NULL }
};
static const char synopsis[] = "[-d YYYY-MM-DD] [-n N] [-o DIR] [-s X] "
    "[-S N]";

static void
mkdir_p(const char *dir)
{
	char *p = xstrdup(dir), *s;

	for (s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0777) == -1 && errno != EEXIST)
				err(EXIT_ERROR, "%s", p);
			*s = '/';
		}
	if (mkdir(p, 0777) == -1 && errno != EEXIST)
		err(EXIT_ERROR, "%s", p);
	free(p);
}

/*
 * Write a period of logs of the fictional organisation into a directory,
 * one file per device, with the inventory and incidents.txt, the list of
 * what was hidden in it and which rules should find it.
 */
int
main(int argc, char *argv[])
{
	struct gen *g;
	const char *dir = "sample", *date = "2026-11-20";
	unsigned long long seed = 1;
	char *end, *incpath;
	struct tm tm;
	int c, i, d, rc = 0, saturday = -1, days = 2;
	unsigned long total = 0;
	double scale = 1;

	while ((c = opt_next(argc, argv, opts)) != -1) {
		switch (c) {
		case 'S':
			seed = (unsigned long long)opt_num("--seed", optarg, 0,
			    INT64_MAX);
			break;
		case 'V':
			opt_version();
			return 0;
		case 'd':
			date = optarg;
			break;
		case 'h':
			opt_help(stdout, synopsis, "Write a sample period of "
			    "raw device logs with seeded incidents.", opts);
			return fshut(stdout, "stdout") ? EXIT_ERROR : 0;
		case 'n':
			days = (int)opt_num("--days", optarg, 1, 366);
			break;
		case 'o':
			dir = optarg;
			break;
		case 's':
			errno = 0;
			scale = strtod(optarg, &end);
			if (errno || end == optarg || *end != '\0' ||
			    !(scale >= 0.001 && scale <= 1000))
				errx(EXIT_ERROR, "--scale: %s: not a number in "
				    "0.001-1000", optarg);
			break;
		default:
			opt_usage_error(synopsis);
		}
	}
	if (optind != argc)
		opt_usage_error(synopsis);
	memset(&tm, 0, sizeof tm);
	end = strptime(date, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0' || strlen(date) != 10)
		errx(EXIT_ERROR, "--date: %s: not a YYYY-MM-DD date", date);
	g = xcalloc(1, sizeof *g);
	g->scale = scale;
	g->days = days;
	g->start = (int64_t)timegm(&tm) * 1000;

	rng_seed(&g->r, seed);
	g->seed = seed;
	make_org(g);
	mkdir_p(dir);
	for (i = 0; i < F_NFILES; i++) {
		if (asprintf(&g->path[i], "%s/%s", dir, file_names[i]) < 0)
			errx(EXIT_ERROR, "out of memory");
		if (strchr(file_names[i], '/')) {
			char *sub = xstrdup(g->path[i]);

			*strrchr(sub, '/') = '\0';
			mkdir_p(sub);
			free(sub);
		}
		if ((g->out[i] = fopen(g->path[i], "w")) == NULL)
			err(EXIT_ERROR, "%s", g->path[i]);
		setvbuf(g->out[i], NULL, _IOFBF, 1 << 16);
	}
	if (asprintf(&incpath, "%s/incidents.txt", dir) < 0)
		errx(EXIT_ERROR, "out of memory");
	if ((inc_fp = fopen(incpath, "w")) == NULL)
		err(EXIT_ERROR, "%s", incpath);
	fprintf(inc_fp, "# Incidents seeded by gensample --seed %llu --date %s "
	    "--days %d --scale %g (times UTC).\n# id\tfirst\tsrc\twho\t"
	    "expected rules\twhat\n", seed, date, g->days, g->scale);

	g->nbuckets = g->days * (int)(DAY_MS / BUCKET_MS);
	g->b = xcalloc((size_t)g->nbuckets, sizeof *g->b);
	for (d = 0; d < g->days; d++) {
		int64_t day = g->start + d * DAY_MS;
		int wday, bk;
		struct tm dt;

		split(day, &dt);
		wday = dt.tm_wday;
		day_order(g, d);
		if (wday == 6 && saturday < 0)
			saturday = d;
		for (bk = 0; bk < (int)(DAY_MS / BUCKET_MS); bk++) {
			int64_t b0 = day + bk * BUCKET_MS;

			normal_bucket(g, b0, wday >= 1 && wday <= 5);
			if (wday == 5 && bk == 3 * 6)
				scanner_run(g, b0 + 60000);
			if (d == 0) {
				if (bk == 2 * 6)
					seed_night(g, day);
				if (bk == 9 * 6 + 1)
					seed_irc_bot(g, day);
				if (bk == 10 * 6 + 3)
					seed_tunnel(g, day);
				if (bk == 11 * 6 + 4)
					seed_dmz(g, day);
				if (bk == 14 * 6)
					seed_worm(g, day);
				if (bk == 15 * 6 + 2)
					seed_exe(g, day);
			}
			if (d == saturday && bk == 23 * 6 + 1)
				seed_deletes(g, day);
			bucket_flush(g, d * (int)(DAY_MS / BUCKET_MS) + bk);
		}
	}
	if (saturday < 0)
		fprintf(inc_fp, "# saturday-deletes not seeded: the period "
		    "holds no Saturday\n");
	for (i = 0; i < F_NFILES; i++) {
		if (fshut(g->out[i], g->path[i]) != 0)
			rc = EXIT_ERROR;
		total += g->lines[i];
		free(g->path[i]);
	}
	if (fshut(inc_fp, incpath) != 0)
		rc = EXIT_ERROR;
	if (write_assets(dir, g) != 0 || write_lists(dir) != 0)
		rc = EXIT_ERROR;
	fprintf(stderr, "gensample: %lu lines in %s\n", total, dir);
	for (i = 0; i < NTAIL; i++)
		free(g->tail[i]);
	free(incpath);
	free(g->b);
	free(g);
	return rc;
}
