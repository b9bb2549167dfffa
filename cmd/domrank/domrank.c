/* domrank: rank web destinations by registrable domain. */
#include <err.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "domrank.h"
#include "line.h"
#include "map.h"
#include "opt.h"
#include "rec.h"
#include "tm.h"
#include "util.h"

#define SYNOPSIS "[-eHhMPuV] [-a FILE] [-C N] [-c N] [-K FILE] [-k KINDS] " \
	"[-m MODE] [-n N] [-p FILE] [-R N] [-r N] [-s KEY] [-w FILE] [-x N] " \
	"[FILE ...]"

static const struct optdef opts[] = {
	{ "assets", 'a', required_argument, "FILE",
	    "site inventory; role proxy is left out (default $KAZAMI_ASSETS)" },
	{ "max-clients", 'C', required_argument, "N",
	    "rare: at most N distinct clients (1-32, default 2)" },
	{ "min-count", 'c', required_argument, "N",
	    "users: at least N watch-list requests (default 3)" },
	{ "exit-status", 'e', no_argument, NULL,
	    "exit 1 when a rare or users row was written" },
	{ "host", 'H', no_argument, NULL,
	    "rank full host names, not registrable domains" },
	OPT_HELP,
	{ "known", 'K', required_argument, "FILE",
	    "known sites (one name a line) left out of the watch list" },
	{ "kind", 'k', required_argument, "KINDS",
	    "record kinds counted (default proxy,web; 'any' for all)" },
	{ "merge", 'M', no_argument, NULL,
	    "read --partial outputs and merge them exactly" },
	{ "mode", 'm', required_argument, "MODE",
	    "rank (default), rare (watch list) or users (alerts)" },
	{ "top", 'n', required_argument, "N",
	    "write only the first N rows (default all)" },
	{ "partial", 'P', no_argument, NULL,
	    "write every row with its client set, for --merge" },
	{ "psl", 'p', required_argument, "FILE",
	    "public suffix list (default $KAZAMI_PSL, Debian's list)" },
	{ "max-requests", 'R', required_argument, "N",
	    "rare: at most N requests (default 10)" },
	{ "min-repeat", 'r', required_argument, "N",
	    "users: at least N of them to one domain (default 2)" },
	{ "sort", 's', required_argument, "KEY",
	    "rank by requests (default), clients or bytes" },
	OPT_LINEBUF,
	OPT_VERSION,
	{ "watchlist", 'w', required_argument, "FILE",
	    "only the domains of this watch list (domrank --mode rare)" },
	{ "max-keys", 'x', required_argument, "N",
	    "at most N distinct names held (default 1000000)" },
	{ NULL, 0, 0, NULL, NULL }
};

#define PSL_DAT "/usr/share/publicsuffix/public_suffix_list.dat"

/* users mode: requests of one client to one watch-list candidate. */
struct pairkey {
	uint32_t	 client;
	uint32_t	 dom;		/* index into dv[] */
};
struct pairval {
	uint64_t	 req;
	int64_t		 first, last;
};

enum { MODE_RANK, MODE_RARE, MODE_USERS };
enum { SORT_REQ, SORT_CLIENTS, SORT_BYTES };

static int mode = MODE_RANK, sortkey = SORT_REQ, merge_mode;
static int partial;
static unsigned long long max_req = 10, top;
/* users: "often" is at least 3 requests, 2 of them to one domain. */
static unsigned long long min_count = 3, min_repeat = 2;
static unsigned max_clients = 2;
static char **kinds;
static struct map *pairs;	/* users mode: pairkey -> pairval */
static unsigned long long over_keys, no_names, left_proxy;

static void
span_time(int64_t t, int64_t *first, int64_t *last)
{
	if (t == TM_NONE)
		return;
	if (*first == TM_NONE || t < *first)
		*first = t;
	if (*last == TM_NONE || t > *last)
		*last = t;
}

static uint64_t
span_u64(const char *s, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > UINT64_MAX / 16)
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return v;
}

static int64_t
span_ts(const char *s, size_t n)
{
	int64_t t;

	if (n == 0 || tm_parse(s, n, 0, &t) != 0)
		return TM_NONE;
	return t;
}

/*
 * ts_memo: the last "...SS.mmmZ" time parsed in full, less its
 * milliseconds.  Records come in time order, about a hundred a second on a
 * busy proxy, so most times differ from the last only in their last three
 * digits and need no full parse.  A longer time than the memo holds is
 * simply parsed every time.
 */
struct ts_memo {
	char		 text[40];
	size_t		 n;		/* 0: nothing held */
	int64_t		 base;
};

/* ms_tail: the milliseconds of a time ending ".mmmZ", or -1. */
static int
ms_tail(const char *s, size_t n)
{
	const char *m = s + n - 4;

	if (n < 6 || s[n - 1] != 'Z' || s[n - 5] != '.' || m[0] < '0' ||
	    m[0] > '9' || m[1] < '0' || m[1] > '9' || m[2] < '0' || m[2] > '9')
		return -1;
	return (m[0] - '0') * 100 + (m[1] - '0') * 10 + (m[2] - '0');
}

static int64_t
span_ts_memo(struct ts_memo *tm, const char *s, size_t n)
{
	int64_t t;
	int ms = ms_tail(s, n);

	if (ms >= 0 && n == tm->n && memcmp(s, tm->text, n - 4) == 0)
		return tm->base + ms;
	t = span_ts(s, n);
	tm->n = 0;
	if (t != TM_NONE && ms >= 0 && n <= sizeof tm->text) {
		memcpy(tm->text, s, n);
		tm->n = n;
		tm->base = t - ms;
	}
	return t;
}

/*
 * candidate: users mode without a watch list: d may still end on the
 * watch list (it stays rare).  A name that stops being rare never becomes
 * rare again, so its per-client pairs can go.
 */
static int
candidate(const struct dom *d)
{
	if (watch)
		return d->flags & D_WATCH;
	if (d->flags & (D_KNOWN | D_GONE))
		return 0;
	return d->req <= max_req || dom_clients(d) <= max_clients;
}

static void
drop_pairs(struct dom *d)
{
	struct pairkey k;
	uint32_t i;

	d->flags |= D_GONE;
	memset(&k, 0, sizeof k);
	k.dom = (uint32_t)(d - dv);
	if (d->set_cap == SET_HLL)
		return;	/* bounded anyway: at most --max-requests pairs */
	for (i = 0; i < d->nclients; i++) {
		k.client = set_ids(d)[i];
		map_del(pairs, &k, sizeof k);
	}
}

static int
kind_counts(const char *s, size_t n)
{
	return kinds == NULL || strv_has((const char *const *)kinds, s, n);
}

/*
 * read_events: count event records.  Most of the time goes to waiting
 * for memory (the host cache, the client table, the name's counters and
 * its client set are scattered over tens of megabytes), so records pass
 * through a short pipeline, STAGE_* records after they were read: the host
 * cache slot and the client's index slot are prefetched when a record is
 * read, the client's entry at STAGE_CLIENT, the client is looked up and
 * the counters prefetched at STAGE_DOM, the name and the line of the
 * client set this client falls in at STAGE_SET, and the record is counted
 * RING records after it was read.  Every stage before the count only
 * hints the memory system, save the client lookup, which is done in input
 * order; records are counted in input order.
 */
#define RING 32
#define STAGE_CLIENT 5
#define STAGE_DOM 10
#define STAGE_SET 21

struct pending {
	char		*host;		/* copy of host (or dst) */
	size_t		 hn, hcap;
	uint64_t	 h;		/* its cache hash */
	char		*src;		/* copy of src, ' ' as '_' */
	size_t		 sn, scap;
	uint64_t	 hc;		/* its client map hash */
	uint64_t	 bytes;
	int64_t		 t;
	uint32_t	 idx;		/* dv[] index the cache named, or
					   UINT32_MAX */
	uint64_t	 hm;		/* not in the cache: miss_prefetch0 */
	uint32_t	 id;		/* client id, UINT32_MAX if none */
	int		 proxy;		/* from a proxy: left out */
};

/* prefetch_dom: d's name and the part of its client set that client id
 * touches. */
static inline void
prefetch_dom(const struct dom *d, uint32_t id)
{
	__builtin_prefetch(names + d->name_off);
	if (d->set_cap == SET_HLL) {
		if (id != UINT32_MAX)
			__builtin_prefetch(d->set.hll + (cl[id].hash >>
			    (64 - HLL_P)));
	} else if (d->set_cap != 0) {
		__builtin_prefetch(d->set.ids);
		if (d->set_cap > 16)
			__builtin_prefetch(d->set.ids + 16);
	}
}

/* stage_dom: look the client up (a proxy is left out) and start loading
 * the counters the host cache names. */
static void
stage_dom(struct pending *q)
{
	const struct cslot *cs = CSLOT(q->h);

	q->id = UINT32_MAX;
	q->proxy = 0;
	if (q->sn > 0) {
		q->id = client_id_hashed(q->src, q->sn, q->hc);
		/* a proxy relays requests its own log names */
		q->proxy = q->id != UINT32_MAX ? cl[q->id].proxy != 0 :
		    is_proxy(q->src, q->sn);
	}
	q->idx = UINT32_MAX;
	q->hm = 0;
	if (q->proxy)
		return;
	if (cs->tag == CTAG(q->h) && cs->idx < dn) {
		q->idx = cs->idx;
		__builtin_prefetch(&dv[q->idx]);
		__builtin_prefetch((char *)&dv[q->idx + 1] - 1);
	} else if (!host_mode)
		q->hm = miss_prefetch0(q->host, q->hn);
}

static void
count_one(struct pending *p)
{
	struct dom *d;
	int noname;

	if (p->proxy) {
		left_proxy++;
		return;
	}
	if ((d = dom_of_host(p->host, p->hn, p->h, &noname)) == NULL) {
		if (noname)
			no_names++;
		else
			over_keys++;
		return;
	}
	d->req++;
	d->bytes += p->bytes;
	span_time(p->t, &d->first, &d->last);
	if (p->sn == 0)
		return;
	set_add(d, p->id);
	if (pairs && !(d->flags & D_GONE)) {
		if (candidate(d)) {
			struct pairkey k;
			struct pairval *pv;
			int isnew;

			if (p->id == UINT32_MAX)
				return;
			memset(&k, 0, sizeof k);
			k.client = p->id;
			k.dom = (uint32_t)(d - dv);
			pv = map_put(pairs, &k, sizeof k, &isnew);
			if (isnew)
				pv->first = pv->last = TM_NONE;
			pv->req++;
			span_time(p->t, &pv->first, &pv->last);
		} else if (!watch)
			drop_pairs(d);
	}
}

/* copy_src: src[0..sn) into p, spaces as '_' (clients are joined by
 * spaces in --partial output); its hash, reused from prev when equal. */
static void
copy_src(struct pending *p, const struct pending *prev, const char *src,
    size_t sn)
{
	size_t i;

	if (sn > p->scap)
		p->src = xrealloc(p->src, p->scap = sn + 32);
	p->sn = sn;
	if (sn == 0)
		return;
	memcpy(p->src, src, sn);
	if (memchr(src, ' ', sn))
		for (i = 0; i < sn; i++)
			if (p->src[i] == ' ')
				p->src[i] = '_';
	if (prev && prev->sn == sn && memcmp(prev->src, p->src, sn) == 0)
		p->hc = prev->hc;
	else
		p->hc = hash_bytes(p->src, sn);
	map_prefetch(clients, p->hc, 0);
}

static int
read_events(struct rec_reader *r)
{
	int c_kind = rec_col(r, "kind"), c_host = rec_need(r, "host");
	int c_src = rec_need(r, "src"), c_dst = rec_col(r, "dst");
	int c_bytes = rec_col(r, "bytes"), c_ts = rec_need(r, "ts");
	size_t head = 0, n = 0, i;
	struct pending ring[RING], *prev = NULL;
	struct ts_memo tsm;
	int rc;

	memset(ring, 0, sizeof ring);
	memset(&tsm, 0, sizeof tsm);
	if (c_kind < 0)
		kinds = NULL;	/* no kind column: every record is web use */
	while ((rc = rec_next(r)) == 1) {
		const char *host, *src, *v;
		size_t hn, sn, vn;
		struct pending *p;

		if (kinds) {
			v = rec_get(r, c_kind, &vn);
			if (!kind_counts(v, vn))
				continue;
		}
		host = rec_get(r, c_host, &hn);
		if (hn == 0)
			host = rec_get(r, c_dst, &hn);
		if (hn == 0)
			continue;
		if (n == RING) {	/* the oldest is due */
			count_one(&ring[head]);
			head = (head + 1) % RING;
			n--;
		}
		p = &ring[(head + n) % RING];
		if (hn > p->hcap)
			p->host = xrealloc(p->host, p->hcap = hn + 32);
		memcpy(p->host, host, hn);
		p->hn = hn;
		p->h = hash_bytes(host, hn) | 1;
		__builtin_prefetch(CSLOT(p->h));
		src = rec_get(r, c_src, &sn);
		copy_src(p, prev, src, sn);
		v = rec_get(r, c_bytes, &vn);
		p->bytes = span_u64(v, vn);
		v = rec_get(r, c_ts, &vn);
		p->t = span_ts_memo(&tsm, v, vn);
		prev = p;
		n++;
		if (n > STAGE_CLIENT) {
			struct pending *q = &ring[(head + n - 1 -
			    STAGE_CLIENT) % RING];

			if (q->sn)
				map_prefetch(clients, q->hc, 1);
		}
		if (n > STAGE_DOM)
			stage_dom(&ring[(head + n - 1 - STAGE_DOM) % RING]);
		if (n > STAGE_SET) {
			struct pending *q = &ring[(head + n - 1 - STAGE_SET) %
			    RING];

			if (q->idx != UINT32_MAX && q->idx < dn)
				prefetch_dom(&dv[q->idx], q->id);
			else if (q->hm)
				miss_prefetch1(q->hm);
		}
	}
	/* the last records: their client lookups, in order, then counts */
	for (i = n > STAGE_DOM ? n - STAGE_DOM : 0; i < n; i++)
		stage_dom(&ring[(head + i) % RING]);
	for (i = 0; i < n; i++)
		count_one(&ring[(head + i) % RING]);
	for (i = 0; i < RING; i++) {
		free(ring[i].host);
		free(ring[i].src);
	}
	return rc;
}

static int
hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* read_partials: merge --partial outputs. */
static int
read_partials(struct rec_reader *r)
{
	int c_name, c_req = rec_need(r, "requests");
	int c_bytes = rec_need(r, "bytes"), c_first = rec_need(r, "first");
	int c_last = rec_need(r, "last"), c_set = rec_need(r, "clientset");
	int rc, noname;

	c_name = rec_col(r, "host");
	if (c_name < 0) {
		if (host_mode)
			errx(EXIT_ERROR, "%s: --host needs partials made with "
			    "--host (column 'host')", rec_file(r));
		c_name = rec_need(r, "domain");
	}
	while ((rc = rec_next(r)) == 1) {
		const char *s, *v;
		size_t n, vn;
		struct dom *d;

		s = rec_get(r, c_name, &n);
		if (n == 0)
			continue;
		if ((d = dom_of_host(s, n, hash_bytes(s, n) | 1, &noname)) ==
		    NULL) {
			if (noname)
				no_names++;
			else
				over_keys++;
			continue;
		}
		v = rec_get(r, c_req, &vn);
		d->req += span_u64(v, vn);
		v = rec_get(r, c_bytes, &vn);
		d->bytes += span_u64(v, vn);
		v = rec_get(r, c_first, &vn);
		span_time(span_ts(v, vn), &d->first, &d->last);
		v = rec_get(r, c_last, &vn);
		span_time(span_ts(v, vn), &d->first, &d->last);
		v = rec_get(r, c_set, &vn);
		if (vn > HLL_TAGLEN && memcmp(v, HLL_TAG, HLL_TAGLEN) == 0) {
			uint8_t reg[HLL_M];
			uint32_t i;

			if (vn != HLL_TAGLEN + 2 * HLL_M) {
				warnx("%s:%lu: bad client sketch", rec_file(r),
				    rec_line(r));
				return -1;
			}
			for (i = 0; i < HLL_M; i++) {
				int hi = hexv(v[HLL_TAGLEN + 2 * i]);
				int lo = hexv(v[HLL_TAGLEN + 1 + 2 * i]);

				if (hi < 0 || lo < 0) {
					warnx("%s:%lu: bad client sketch",
					    rec_file(r), rec_line(r));
					return -1;
				}
				reg[i] = (uint8_t)(hi * 16 + lo);
			}
			set_merge_sketch(d, reg);
			continue;
		}
		while (vn > 0) {
			const char *sp = memchr(v, ' ', vn);
			size_t len = sp ? (size_t)(sp - v) : vn;

			if (len)
				set_add(d, client_id(v, len));
			if (sp == NULL)
				break;
			vn -= len + 1;
			v = sp + 1;
		}
	}
	return rc;
}

#define CMP_DESC(x, y) do { if ((x) != (y)) return (x) < (y) ? 1 : -1; } \
	while (0)
#define CMP_ASC(x, y) do { if ((x) != (y)) return (x) < (y) ? -1 : 1; } \
	while (0)

/*
 * Output sorts 4-byte indices into dv[]; by then each sketch's estimate
 * sits in nclients (see finish_counts), so sorting does not re-estimate.
 */
static int
cmp_rank(const void *pa, const void *pb)
{
	const struct dom *a = &dv[*(const uint32_t *)pa];
	const struct dom *b = &dv[*(const uint32_t *)pb];

	if (sortkey == SORT_CLIENTS)
		CMP_DESC(a->nclients, b->nclients);
	else if (sortkey == SORT_BYTES)
		CMP_DESC(a->bytes, b->bytes);
	CMP_DESC(a->req, b->req);
	CMP_DESC(a->nclients, b->nclients);
	CMP_DESC(a->bytes, b->bytes);
	return cmp_name(a, b);
}

static int
cmp_rare(const void *pa, const void *pb)
{
	const struct dom *a = &dv[*(const uint32_t *)pa];
	const struct dom *b = &dv[*(const uint32_t *)pb];

	CMP_ASC(a->req, b->req);
	CMP_ASC(a->nclients, b->nclients);
	CMP_ASC(a->bytes, b->bytes);
	return cmp_name(a, b);
}

static int
is_rare(const struct dom *d)
{
	if (d->flags & D_KNOWN)
		return 0;
	if (watch && !(d->flags & D_WATCH))
		return 0;
	return d->req <= max_req || dom_clients(d) <= max_clients;
}

static void
set_time(struct rec_writer *w, int i, int64_t t)
{
	char buf[TM_STRLEN];

	if (t != TM_NONE)
		rec_set_copy(w, i, buf, tm_format(t, buf));
}

static int
cmp_id(const void *a, const void *b)
{
	return cmp_client(*(const uint32_t *)a, *(const uint32_t *)b);
}

/* put_clientset: the client set in --partial form: the clients sorted
 * and joined by spaces, or the sketch as "hll9:" and its registers in hex. */
static void
put_clientset(struct rec_writer *w, int col, const struct dom *d)
{
	static char *buf;
	static size_t cap;
	size_t len = 0, need, i;

	if (d->set_cap == SET_HLL) {
		static const char hex[] = "0123456789abcdef";

		need = HLL_TAGLEN + 2 * HLL_M;
		if (need > cap)
			buf = xrealloc(buf, cap = need);
		memcpy(buf, HLL_TAG, HLL_TAGLEN);
		for (i = 0; i < HLL_M; i++) {
			buf[HLL_TAGLEN + 2 * i] = hex[d->set.hll[i] >> 4];
			buf[HLL_TAGLEN + 2 * i + 1] = hex[d->set.hll[i] & 15];
		}
		rec_set_copy(w, col, buf, need);
		return;
	}
	uint32_t ids[EXACT_MAX];

	for (i = 0; i < d->nclients; i++)
		ids[i] = set_ids(d)[i];
	qsort(ids, d->nclients, sizeof *ids, cmp_id);
	for (i = 0; i < d->nclients; i++) {
		size_t n = cl[ids[i]].len;

		if (len + n + 2 > cap)
			buf = xrealloc(buf, cap = 2 * (len + n + 2));
		if (i)
			buf[len++] = ' ';
		memcpy(buf + len, cl[ids[i]].name, n);
		len += n;
	}
	rec_set_copy(w, col, buf ? buf : "", len);
}

static unsigned long long
write_ranking(struct rec_writer *w, uint32_t *rows, size_t nrows)
{
	const char *hdr[] = { host_mode ? "host" : "domain", "requests",
	    "clients", "bytes", "first", "last", "clientset" };
	unsigned long long out = 0;
	size_t i;

	rec_header(w, hdr, partial ? 7 : 6);
	qsort(rows, nrows, sizeof *rows, mode == MODE_RARE ? cmp_rare :
	    cmp_rank);
	for (i = 0; i < nrows; i++) {
		struct dom *d = &dv[rows[i]];
		const char *name;
		size_t n;

		if (mode == MODE_RARE && !is_rare(d))
			continue;
		if (mode == MODE_RANK && watch && !(d->flags & D_WATCH))
			continue;
		if (top && out >= top && !partial)
			break;
		name = dom_name(d, &n);
		rec_set(w, 0, name, n);
		rec_set_num(w, 1, (long long)d->req);
		rec_set_num(w, 2, (long long)d->nclients);
		rec_set_num(w, 3, (long long)d->bytes);
		set_time(w, 4, d->first);
		set_time(w, 5, d->last);
		if (partial)
			put_clientset(w, 6, d);
		rec_emit(w);
		out++;
	}
	return out;
}

/* Users mode: per client, its requests to watch-list names. */
struct user {
	uint32_t	 id;
	uint32_t	 ndoms;
	uint64_t	 req;
	int64_t		 first, last;
	struct {
		const struct dom	*d;
		uint64_t		 req;
	} top[3];
};

static int
cmp_user(const void *pa, const void *pb)
{
	const struct user *a = pa, *b = pb;

	CMP_DESC(a->req, b->req);
	CMP_DESC(a->ndoms, b->ndoms);
	return cmp_client(a->id, b->id);
}

static void
user_top(struct user *u, const struct dom *d, uint64_t req)
{
	int i, j;

	for (i = 0; i < 3; i++) {
		if (u->top[i].d == NULL || req > u->top[i].req ||
		    (req == u->top[i].req && cmp_name(d, u->top[i].d) < 0))
			break;
	}
	if (i == 3)
		return;
	for (j = 2; j > i; j--)
		u->top[j] = u->top[j - 1];
	u->top[i].d = d;
	u->top[i].req = req;
}

static unsigned long long
write_users(struct rec_writer *w)
{
	static const char *const cols[] = { "ts", "rule", "sev", "src",
	    "dst", "dport", "host", "user", "count", "first", "last",
	    "detail", "state" };
	struct user *users;
	size_t it = 0, i, nusers = 0, ncl = map_count(clients);
	struct pairval *pv;
	size_t kl;
	unsigned long long out = 0;
	uint32_t *slot;

	rec_header(w, cols, 13);
	users = xcalloc(ncl ? ncl : 1, sizeof *users);
	slot = xcalloc(ncl ? ncl : 1, sizeof *slot);
	while ((pv = map_next(pairs, &it)) != NULL) {
		const struct pairkey *k = map_key(pairs, pv, &kl);
		const struct dom *pd;
		struct user *u;

		pd = &dv[k->dom];
		if (!is_rare(pd) && !(watch && (pd->flags & D_WATCH)))
			continue;
		if (slot[k->client] == 0) {
			u = &users[nusers++];
			slot[k->client] = (uint32_t)nusers;
			u->id = k->client;
			u->first = u->last = TM_NONE;
		}
		u = &users[slot[k->client] - 1];
		u->req += pv->req;
		u->ndoms++;
		span_time(pv->first, &u->first, &u->last);
		span_time(pv->last, &u->first, &u->last);
		user_top(u, pd, pv->req);
	}
	qsort(users, nusers, sizeof *users, cmp_user);
	for (i = 0; i < nusers; i++) {
		struct user *u = &users[i];
		char *detail = NULL;
		size_t dlen = 0, dcap = 0, n;
		const char *name;
		int j;

		/* top[0] is the domain it requested most */
		if (u->req < min_count || u->top[0].req < min_repeat)
			continue;
		if (top && out >= top)
			break;
		set_time(w, 0, u->last);
		rec_set_str(w, 1, "domrank.users");
		rec_set_str(w, 2, u->ndoms >= 3 ? "medium" : "low");
		rec_set(w, 3, cl[u->id].name, cl[u->id].len);
		name = dom_name(u->top[0].d, &n);
		rec_set(w, 6, name, n);
		rec_set_num(w, 8, (long long)u->req);
		set_time(w, 9, u->first);
		set_time(w, 10, u->last);
		/* the escaped names stay escaped inside the sentence */
		for (j = -1; j < 3; j++) {
			char head[96];
			const char *s;
			size_t sl;

			if (j == -1) {
				snprintf(head, sizeof head, "%llu request%s to "
				    "%u watch-list domain%s:",
				    (unsigned long long)u->req,
				    u->req == 1 ? "" : "s", u->ndoms,
				    u->ndoms == 1 ? "" : "s");
				s = head;
				sl = strlen(head);
			} else if (u->top[j].d) {
				name = dom_name(u->top[j].d, &n);
				snprintf(head, sizeof head, " (%llu)",
				    (unsigned long long)u->top[j].req);
				sl = strlen(head);
				if (dlen + n + sl + 8 > dcap)
					detail = xrealloc(detail,
					    dcap = 2 * (dlen + n + sl + 8));
				memcpy(detail + dlen, j ? ", " : " ", 2);
				dlen += j ? 2 : 1;
				memcpy(detail + dlen, name, n);
				dlen += n;
				s = head;
			} else
				break;
			if (dlen + sl + 1 > dcap)
				detail = xrealloc(detail, dcap = 2 * (dlen +
				    sl + 1));
			memcpy(detail + dlen, s, sl);
			dlen += sl;
		}
		if (u->ndoms > 3) {
			if (dlen + 8 > dcap)
				detail = xrealloc(detail, dcap = dlen + 8);
			memcpy(detail + dlen, ", ...", 5);
			dlen += 5;
		}
		rec_set_copy(w, 11, detail, dlen);
		rec_set_str(w, 12, "closed");
		rec_emit(w);
		free(detail);
		out++;
	}
	free(users);
	free(slot);
	return out;
}

/* load_known: one name a line; '#' starts a comment; "*.x" and ".x"
 * mean x and everything under it, as a bare x does. */
static struct map *
load_known(const char *path)
{
	struct line_reader *lr = line_open(path, 0);
	struct map *set = map_new(0);
	const char *s;
	size_t n;
	int rc;

	if (lr == NULL)
		exit(EXIT_ERROR);
	while ((rc = line_next(lr, &s, &n)) == LINE_OK || rc == LINE_LONG) {
		char *buf = NULL;
		size_t len, i;

		if (rc == LINE_LONG)
			continue;
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		if (n && memchr(s, '#', n))
			n = (size_t)((const char *)memchr(s, '#', n) - s);
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n >= 2 && s[0] == '*' && s[1] == '.')
			s += 2, n -= 2;
		else if (n >= 1 && s[0] == '.')
			s++, n--;
		if (n == 0)
			continue;
		/* written by hand: lowercase it, as names are */
		buf = xmalloc(n);
		for (i = 0; i < n; i++)
			buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
		len = n;
		while (len && buf[len - 1] == '.')
			len--;
		if (len)
			map_put(set, buf, len, NULL);
		free(buf);
	}
	line_close(lr);
	if (rc == LINE_ERR)
		exit(EXIT_ERROR);
	return set;
}

/* load_watch: the domain (or host) column of an earlier --mode rare. */
static struct map *
load_watch(char *path)
{
	struct rec_reader *r = rec_open(&path, 1);
	struct map *set;
	int col, rc;

	if (r == NULL)
		exit(EXIT_ERROR);
	col = rec_col(r, "domain");
	if (col < 0)
		col = rec_col(r, "host");
	if (col < 0) {
		rec_close(r);
		errx(EXIT_ERROR, "%s: watch list has no column 'domain' or "
		    "'host'", path);
	}
	set = map_new(0);
	while ((rc = rec_next(r)) == 1) {
		const char *s;
		size_t n;

		s = rec_get(r, col, &n);
		if (n)
			map_put(set, s, n, NULL);
	}
	if (rc < 0 || rec_status(r))
		exit(EXIT_ERROR);
	rec_close(r);
	return set;
}

static void
free_all(void)
{
	sets_free();
	names_free();
	if (pairs)
		map_free(pairs);
	strv_free(kinds);
}

/*
 * domrank ranks the destinations of web use (proxy and web server
 * records) by requests, distinct clients and bytes, grouped by
 * registrable domain, to find the unknown sites that matter: the bottom of
 * the ranking, minus the sites the organisation knows, is the watch list,
 * and the clients that visit watch-list domains are the users to watch.
 */
int
main(int argc, char *argv[])
{
	const char *psl_path = NULL, *known_path = NULL, *assets_path = NULL;
	struct site *inv;
	char *watch_path = NULL;
	struct rec_reader *r;
	struct rec_writer *w;
	int c, line_buffered = 0, exit_status = 0, rc, status;
	unsigned long long out;
	uint32_t *rows;
	size_t nrows;

	kinds = strv_split("proxy,web", ',', NULL);
	while ((c = opt_next(argc, argv, opts)) != -1) {
		switch (c) {
		case 'a':
			assets_path = optarg;
			break;
		case 'C':
			max_clients = (unsigned)opt_num("--max-clients",
			    optarg, 1, EXACT_MAX);
			break;
		case 'c':
			min_count = (unsigned long long)opt_num("--min-count",
			    optarg, 1, LLONG_MAX);
			break;
		case 'e':
			exit_status = 1;
			break;
		case 'H':
			host_mode = 1;
			break;
		case 'h':
			opt_help(stdout, SYNOPSIS, "Rank web destinations by "
			    "registrable domain; make and apply watch lists.",
			    opts);
			return fshut(stdout, "stdout") ? EXIT_ERROR : EXIT_DONE;
		case 'K':
			known_path = optarg;
			break;
		case 'k':
			strv_free(kinds);
			kinds = strcmp(optarg, "any") == 0 ? NULL :
			    strv_split(optarg, ',', NULL);
			break;
		case 'M':
			merge_mode = 1;
			break;
		case 'm':
			if (strcmp(optarg, "rank") == 0)
				mode = MODE_RANK;
			else if (strcmp(optarg, "rare") == 0)
				mode = MODE_RARE;
			else if (strcmp(optarg, "users") == 0)
				mode = MODE_USERS;
			else {
				warnx("--mode: %s: not rank, rare or users",
				    optarg);
				opt_usage_error(SYNOPSIS);
			}
			break;
		case 'n':
			top = (unsigned long long)opt_num("--top", optarg, 0,
			    LLONG_MAX);
			break;
		case 'P':
			partial = 1;
			break;
		case 'p':
			psl_path = optarg;
			break;
		case 'R':
			max_req = (unsigned long long)opt_num("--max-requests",
			    optarg, 0, LLONG_MAX);
			break;
		case 'r':
			min_repeat = (unsigned long long)opt_num(
			    "--min-repeat", optarg, 1, LLONG_MAX);
			break;
		case 's':
			if (strcmp(optarg, "requests") == 0)
				sortkey = SORT_REQ;
			else if (strcmp(optarg, "clients") == 0)
				sortkey = SORT_CLIENTS;
			else if (strcmp(optarg, "bytes") == 0)
				sortkey = SORT_BYTES;
			else {
				warnx("--sort: %s: not requests, clients or "
				    "bytes", optarg);
				opt_usage_error(SYNOPSIS);
			}
			break;
		case 'u':
			line_buffered = 1;
			break;
		case 'V':
			opt_version();
			return fshut(stdout, "stdout") ? EXIT_ERROR : EXIT_DONE;
		case 'w':
			watch_path = optarg;
			break;
		case 'x':
			max_keys = (unsigned long long)opt_num("--max-keys",
			    optarg, 1, LLONG_MAX);
			break;
		default:
			opt_usage_error(SYNOPSIS);
		}
	}
	argc -= optind;
	argv += optind;
	if (mode == MODE_USERS && (merge_mode || partial)) {
		warnx("--mode users needs events, not partial rankings");
		opt_usage_error(SYNOPSIS);
	}
	if (partial && mode != MODE_RANK) {
		warnx("--partial writes rankings only (--mode rank)");
		opt_usage_error(SYNOPSIS);
	}

	if (psl_path == NULL && (psl_path = getenv("KAZAMI_PSL")) != NULL &&
	    *psl_path == '\0')
		psl_path = NULL;
	if (psl_path == NULL)
		psl_path = PSL_DAT;
	if ((psl = psl_load_file(psl_path)) == NULL)
		errx(EXIT_ERROR, "%s: cannot load the public suffix list",
		    psl_path);
	if (!host_mode)
		psl_anc = load_rules(psl_path);
	if (known_path)
		known = load_known(known_path);
	if (watch_path)
		watch = load_watch(watch_path);
	if ((inv = site_load(assets_path)) == NULL)
		return EXIT_ERROR;
	site = inv;
	names_init();
	clients = map_new(sizeof(uint32_t));
	if (mode == MODE_USERS)
		pairs = map_new(sizeof(struct pairval));

	if ((r = rec_open(argv, argc)) == NULL)
		return EXIT_ERROR;
	rc = merge_mode ? read_partials(r) : read_events(r);
	status = rc < 0 ? EXIT_ERROR : rec_status(r);
	rec_close(r);
	if (left_proxy)
		warnx("%llu records from proxies (inventory role proxy) left "
		    "out: their clients are in the proxy's own log",
		    left_proxy);
	if (over_keys)
		warnx("%llu records for names beyond --max-keys %llu not "
		    "ranked", over_keys, max_keys);
	if (no_names)
		warnx("%llu records whose host is no name (\"..\", \":80\") "
		    "not ranked", no_names);
	if (over_clients)
		warnx("%llu records from clients beyond the first %u not "
		    "counted as distinct clients", over_clients, CLIENTS_MAX);

	finish_counts();
	w = rec_wopen(line_buffered);
	if (mode == MODE_USERS)
		out = write_users(w);
	else {
		rows = xcalloc(dn ? dn : 1, sizeof *rows);
		for (nrows = 0; nrows < dn; nrows++)
			rows[nrows] = (uint32_t)nrows;
		out = write_ranking(w, rows, nrows);
		free(rows);
	}
	if (rec_wclose(w) != 0)
		status = EXIT_ERROR;
	free_all();
	site_free(inv);
	if (status)
		return status;
	return exit_status && out && mode != MODE_RANK ? EXIT_FOUND :
	    EXIT_DONE;
}
