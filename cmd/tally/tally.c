/*
 * tally: group-by counting over any record stream.  It answers the first
 * question of every log review -- how much of what, by port, protocol,
 * network or hour -- and its partial outputs merge exactly, so tallies of
 * many files or machines combine into the answer of one run.
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "map.h"
#include "opt.h"
#include "rec.h"
#include "tm.h"
#include "util.h"

static const char synopsis[] =
    "[-ehmpuV] [-k COLS] [-b DUR] [-z ZONE] [-d COL] [-s COL] [-t N | -B N]\n"
    "             [-o count|key] [-M N] [FILE...]";

static const struct optdef opts[] = {
	{ "bin", 'b', required_argument, "DUR",
	    "add a time bucket column 'bin' of this width (15m, 1h, 1d)" },
	{ "bottom", 'B', required_argument, "N",
	    "only the N keys with the lowest counts" },
	{ "distinct", 'd', required_argument, "COL",
	    "count distinct values of COL per key (repeatable)" },
	{ "exit-status", 'e', no_argument, NULL,
	    "exit 1 when at least one row was written" },
	OPT_HELP,
	{ "key", 'k', required_argument, "COLS",
	    "group by these columns; COL/N[/M] groups addresses into networks" },
	{ "merge", 'm', no_argument, NULL,
	    "combine earlier tally outputs instead of counting records" },
	{ "max-keys", 'M', required_argument, "N",
	    "refuse to hold more than N keys and distinct values "
	    "(default 20000000)" },
	{ "order", 'o', required_argument, "WHAT",
	    "sort rows by count (default, largest first) or by key" },
	{ "partial", 'p', no_argument, NULL,
	    "carry distinct values along (values_COL) for a later --merge" },
	{ "sum", 's', required_argument, "COL",
	    "sum the numbers in COL per key (repeatable)" },
	{ "top", 't', required_argument, "N",
	    "only the N keys with the highest counts" },
	OPT_LINEBUF,
	OPT_VERSION,
	{ "tz", 'z', required_argument, "ZONE",
	    "time zone of --bin buckets (default $TZ, else the system zone)" },
	{ NULL, 0, 0, NULL, NULL },
};

/* One key column: an input column, maybe grouped into networks. */
struct keycol {
	char	*name;		/* input column */
	char	*outname;	/* output column: name, or name_net */
	int	 col;		/* input index */
	int	 plen4, plen6;	/* prefix lengths, -1 when not grouping */
};

/* Sums are kept in millionths in 128 bits: exact for decimals such as
 * durations, and never overflowing on byte counts. */
#define SUM_SCALE 1000000

/* The value kept per key in the map: fixed part, then nsum sums, then
 * ndistinct counters. */
struct agg {
	uint64_t	count;
	int64_t		first, last;	/* TM_NONE when unknown */
	uint32_t	id;		/* order of first appearance */
	uint32_t	pad;
	/* __int128 sums[nsum]; uint64_t distinct[ndistinct]; */
};

struct tally {
	struct keycol	*keys;
	int		 nkeys;
	int64_t		 bin;		/* ms, 0 when not binning */
	char		**sumcols;
	int		 nsum;
	char		**distcols;
	int		 ndist;
	int		 merge;
	int		 partial;
	int		 by_key;
	long long	 top, bottom;
	long long	 max_keys;

	struct map	*keysmap;	/* key bytes -> struct agg + ... */
	struct map	*values;	/* (agg id, distinct index, value) */
	struct agg	**byid;		/* id -> agg */
	size_t		 nids;
	size_t		 sumoff, distoff;

	char		*kbuf;		/* the key being built */
	size_t		 klen, kcap;
	unsigned long	 bad_ts, bad_num;
	int		 status;
};

/* Map values are only 8-byte aligned, so sums are copied in and out. */
static __int128
sum_get(struct tally *t, struct agg *a, int i)
{
	__int128 v;

	memcpy(&v, (char *)a + t->sumoff + (size_t)i * sizeof v, sizeof v);
	return v;
}

static void
sum_add(struct tally *t, struct agg *a, int i, __int128 add)
{
	__int128 v = sum_get(t, a, i) + add;

	memcpy((char *)a + t->sumoff + (size_t)i * sizeof v, &v, sizeof v);
}

static uint64_t *
agg_dist(struct tally *t, struct agg *a)
{
	return (uint64_t *)((char *)a + t->distoff);
}

static void
kput(struct tally *t, const char *s, size_t n)
{
	if (t->klen + n + 1 > t->kcap) {
		t->kcap = (t->klen + n + 1) * 2;
		t->kbuf = xrealloc(t->kbuf, t->kcap);
	}
	memcpy(t->kbuf + t->klen, s, n);
	t->klen += n;
	/* NUL separates key parts: no stream field holds one. */
	t->kbuf[t->klen++] = '\0';
}

/* parse_keys: "dst,dport,src/24/64" into key columns. */
static void
parse_keys(struct tally *t, const char *spec)
{
	size_t n;
	char **v = strv_split(spec, ',', &n);

	for (size_t i = 0; i < n; i++) {
		struct keycol *k;
		char *slash = strchr(v[i], '/');

		if (v[i][0] == '\0' || v[i][0] == '/')
			errx(EXIT_ERROR, "--key: empty column name in '%s'",
			    spec);
		t->keys = xreallocarray(t->keys, (size_t)t->nkeys + 1,
		    sizeof *t->keys);
		k = &t->keys[t->nkeys++];
		k->plen4 = k->plen6 = -1;
		if (slash != NULL) {
			char *s2 = strchr(slash + 1, '/');
			long long a, b;

			*slash = '\0';
			if (s2 != NULL)
				*s2 = '\0';
			a = opt_num("key", slash + 1, 0, 128);
			if (s2 != NULL) {
				b = opt_num("key", s2 + 1, 0, 128);
				if (a > 32)
					errx(EXIT_ERROR, "--key: %s/%lld/%lld: "
					    "the IPv4 prefix is at most 32",
					    v[i], a, b);
			} else
				b = a > 32 ? a : 64;
			k->plen4 = a > 32 ? 32 : (int)a;
			k->plen6 = (int)b;
			if (asprintf(&k->outname, "%s_net", v[i]) < 0)
				errx(EXIT_ERROR, "out of memory");
		} else
			k->outname = xstrdup(v[i]);
		k->name = xstrdup(v[i]);
	}
	strv_free(v);
}

static void
add_str(char ***v, int *n, const char *s)
{
	*v = xreallocarray(*v, (size_t)*n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

/*
 * parse_sum: a decimal number ("1234", "-5", "0.250") in millionths.
 * Returns 0, or -1 for anything else (more than six decimals included).
 */
static int
parse_sum(const char *s, size_t n, __int128 *out)
{
	__int128 v = 0;
	size_t i = 0;
	int neg = 0, frac = -1;

	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i++;
	}
	if (i == n || n - i > 30)
		return -1;
	for (; i < n; i++) {
		if (s[i] == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || frac >= 6)
			return -1;
		v = v * 10 + (s[i] - '0');
		if (frac >= 0)
			frac++;
	}
	if (frac == 0)
		return -1;	/* "5." */
	for (int k = frac < 0 ? 0 : frac; k < 6; k++)
		v *= 10;
	*out = neg ? -v : v;
	return 0;
}

/* format_sum: millionths back to the shortest exact decimal. */
static void
format_sum(__int128 v, char *buf)
{
	char tmp[64];
	unsigned __int128 u = v < 0 ? (unsigned __int128)(-v) :
	    (unsigned __int128)v;
	unsigned __int128 ip = u / SUM_SCALE;
	unsigned long fp = (unsigned long)(u % SUM_SCALE);
	int n = 0;

	do {
		tmp[n++] = (char)('0' + (int)(ip % 10));
		ip /= 10;
	} while (ip > 0);
	if (v < 0)
		*buf++ = '-';
	while (n > 0)
		*buf++ = tmp[--n];
	if (fp != 0) {
		char f[8];
		int len = 6;

		snprintf(f, sizeof f, "%06lu", fp);
		while (len > 0 && f[len - 1] == '0')
			len--;
		*buf++ = '.';
		memcpy(buf, f, (size_t)len);
		buf += len;
	}
	*buf = '\0';
}

static void
too_many(struct tally *t)
{
	errx(EXIT_ERROR, "more than %lld keys and distinct values held; "
	    "raise --max-keys or use a coarser key", t->max_keys);
}

/* lookup: the aggregate for the key in kbuf, created when new. */
static struct agg *
lookup(struct tally *t)
{
	int isnew;
	struct agg *a = map_put(t->keysmap, t->kbuf, t->klen, &isnew);

	if (isnew) {
		if ((long long)(map_count(t->keysmap) +
		    (t->values ? map_count(t->values) : 0)) > t->max_keys)
			too_many(t);
		a->first = a->last = TM_NONE;
		a->id = (uint32_t)t->nids;
		t->byid = xreallocarray(t->byid, t->nids + 1, sizeof *t->byid);
		t->byid[t->nids++] = a;
	}
	return a;
}

/* add_distinct: note value v of distinct column d for a; returns 1 when
 * it was new. */
static int
add_distinct(struct tally *t, struct agg *a, int d, const char *v, size_t n)
{
	char stackbuf[256];
	char *key = n + 8 <= sizeof stackbuf ? stackbuf : xmalloc(n + 8);
	int isnew;

	memcpy(key, &a->id, 4);
	memcpy(key + 4, &d, 4);
	memcpy(key + 8, v, n);
	map_put(t->values, key, n + 8, &isnew);
	if (key != stackbuf)
		free(key);
	if (isnew && (long long)(map_count(t->keysmap) +
	    map_count(t->values)) > t->max_keys)
		too_many(t);
	return isnew;
}

static void
update_time(struct agg *a, int64_t first, int64_t last)
{
	if (first != TM_NONE && (a->first == TM_NONE || first < a->first))
		a->first = first;
	if (last != TM_NONE && (a->last == TM_NONE || last > a->last))
		a->last = last;
}

/* bin_text: the bin's start in local time with its offset (RFC 3339). */
static size_t
bin_text(int64_t start, char *buf)
{
	struct tm_parts p;
	int off, n;

	tm_local(start, &p);
	off = p.utcoff < 0 ? -p.utcoff : p.utcoff;
	n = snprintf(buf, 40, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    p.year, p.mon, p.day, p.hour, p.min, p.sec,
	    p.utcoff < 0 ? '-' : '+', off / 3600, off / 60 % 60);
	return (size_t)n;
}

static void
warn_rec(struct tally *t, struct rec_reader *r, unsigned long nth,
    const char *what, const char *val)
{
	if (nth <= 5)
		warnx("%s:%lu: %s '%s'%s", rec_file(r), rec_line(r), what, val,
		    nth == 5 ? " (further ones are only counted)" : "");
	t->status = EXIT_ERROR;
}

/*
 * A record read but not yet counted.  Records go through a short
 * pipeline: read and hashed, then their index slot is fetched, then their
 * entry, then they are counted, so the cache misses of several records
 * overlap.  (On a day of firewall logs the key table outgrows the cache,
 * and those misses are most of the time spent.)
 */
#define PIPE 8

struct pending {
	char		*key;
	size_t		 klen, kcap;
	uint64_t	 h;
	int64_t		 ts;
	__int128	*sums;
	unsigned char	*hassum;
	char		**dval;		/* copies of the distinct values */
	size_t		*dlen, *dcap;
};

static void
pend_init(struct tally *t, struct pending *p)
{
	memset(p, 0, sizeof *p);
	p->sums = xcalloc((size_t)t->nsum + 1, sizeof *p->sums);
	p->hassum = xcalloc((size_t)t->nsum + 1, 1);
	p->dval = xcalloc((size_t)t->ndist + 1, sizeof *p->dval);
	p->dlen = xcalloc((size_t)t->ndist + 1, sizeof *p->dlen);
	p->dcap = xcalloc((size_t)t->ndist + 1, sizeof *p->dcap);
}

static void
pend_free(struct tally *t, struct pending *p)
{
	for (int i = 0; i < t->ndist; i++)
		free(p->dval[i]);
	free(p->key);
	free(p->sums);
	free(p->hassum);
	free(p->dval);
	free(p->dlen);
	free(p->dcap);
}

/* take_record: fill p from the reader's record; 0 when the record is to
 * be left out (already reported). */
static int
take_record(struct tally *t, struct rec_reader *r, int cts, const int *sumc,
    const int *distc, struct pending *p)
{
	const char *s;
	size_t n;

	t->klen = 0;
	p->ts = TM_NONE;
	if (cts >= 0) {
		s = rec_get(r, cts, &n);
		if (n > 0 && tm_parse(s, n, 0, &p->ts) != 0) {
			p->ts = TM_NONE;
			if (t->bin) {
				warn_rec(t, r, ++t->bad_ts, "bad ts", s);
				return 0;
			}
		}
		if (t->bin && p->ts == TM_NONE) {
			warn_rec(t, r, ++t->bad_ts, "no ts", s);
			return 0;
		}
	}
	if (t->bin) {
		char b[48];

		kput(t, b, bin_text(tm_bin_start(p->ts, t->bin), b));
	}
	for (int i = 0; i < t->nkeys; i++) {
		struct keycol *k = &t->keys[i];
		struct ip_addr addr;

		s = rec_get(r, k->col, &n);
		if (k->plen4 >= 0 && ip_parse(s, n, &addr) == 0) {
			char buf[IP_STRLEN + 8];
			int pl = ip_is4(&addr) ? k->plen4 : k->plen6;
			size_t m;

			ip_mask(&addr, pl);
			m = ip_format(&addr, buf);
			m += (size_t)snprintf(buf + m, 8, "/%d", pl);
			kput(t, buf, m);
		} else
			kput(t, s, n);
	}
	for (int i = 0; i < t->nsum; i++) {
		s = rec_get(r, sumc[i], &n);
		p->hassum[i] = 0;
		if (n == 0 || (n == 1 && s[0] == '-'))
			continue;	/* unknown, as logs write it */
		if (parse_sum(s, n, &p->sums[i]) != 0) {
			warn_rec(t, r, ++t->bad_num, "not a number", s);
			continue;
		}
		p->hassum[i] = 1;
	}
	for (int i = 0; i < t->ndist; i++) {
		s = rec_get(r, distc[i], &n);
		if (n + 1 > p->dcap[i]) {
			p->dcap[i] = (n + 1) * 2;
			p->dval[i] = xrealloc(p->dval[i], p->dcap[i]);
		}
		memcpy(p->dval[i], s, n);
		p->dlen[i] = n;
	}
	/* Swap the key buffer into the pending record. */
	char *kb = p->key;
	size_t kc = p->kcap;
	p->key = t->kbuf;
	p->kcap = t->kcap;
	p->klen = t->klen;
	t->kbuf = kb;
	t->kcap = kc;
	p->h = hash_bytes(p->key, p->klen);
	return 1;
}

/* count_pending: add the record to its group. */
static void
count_pending(struct tally *t, struct pending *p)
{
	int isnew;
	struct agg *a = map_put_hashed(t->keysmap, p->key, p->klen, p->h,
	    &isnew);

	if (isnew) {
		if ((long long)(map_count(t->keysmap) +
		    map_count(t->values)) > t->max_keys)
			too_many(t);
		a->first = a->last = TM_NONE;
		a->id = (uint32_t)t->nids;
		t->byid = xreallocarray(t->byid, t->nids + 1, sizeof *t->byid);
		t->byid[t->nids++] = a;
	}
	a->count++;
	update_time(a, p->ts, p->ts);
	for (int i = 0; i < t->nsum; i++)
		if (p->hassum[i])
			sum_add(t, a, i, p->sums[i]);
	for (int i = 0; i < t->ndist; i++)
		if (add_distinct(t, a, i, p->dval[i], p->dlen[i]))
			agg_dist(t, a)[i]++;
}

/* count_records: the normal mode, over records. */
static void
count_records(struct tally *t, struct rec_reader *r)
{
	int cts = rec_col(r, "ts");
	int *sumc = xcalloc((size_t)t->nsum + 1, sizeof *sumc);
	int *distc = xcalloc((size_t)t->ndist + 1, sizeof *distc);
	struct pending pipe[PIPE];
	unsigned long in = 0, out = 0;	/* records taken, counted */
	int got;

	if (t->bin && cts < 0)
		errx(EXIT_ERROR, "%s: missing column 'ts' (needed by --bin)",
		    rec_file(r));
	for (int i = 0; i < t->nkeys; i++)
		t->keys[i].col = rec_need(r, t->keys[i].name);
	for (int i = 0; i < t->nsum; i++)
		sumc[i] = rec_need(r, t->sumcols[i]);
	for (int i = 0; i < t->ndist; i++)
		distc[i] = rec_need(r, t->distcols[i]);
	for (int i = 0; i < PIPE; i++)
		pend_init(t, &pipe[i]);

	while ((got = rec_next(r)) == 1) {
		struct pending *p = &pipe[in % PIPE];

		if (!take_record(t, r, cts, sumc, distc, p))
			continue;
		map_prefetch(t->keysmap, p->h, 0);
		in++;
		if (in - out >= 4)
			map_prefetch(t->keysmap, pipe[(in - 4) % PIPE].h, 1);
		if (in - out >= 7)
			count_pending(t, &pipe[out++ % PIPE]);
	}
	while (out < in)
		count_pending(t, &pipe[out++ % PIPE]);
	if (got < 0 || rec_status(r) != 0)
		t->status = EXIT_ERROR;
	for (int i = 0; i < PIPE; i++)
		pend_free(t, &pipe[i]);
	free(sumc);
	free(distc);
}

/* unhide_bars: a values_ item with its "\x7c" turned back into '|'
 * (a "\\" is an escaped backslash and stays as it is). */
static char *
unhide_bars(const char *s, size_t n, size_t *outlen)
{
	char *u = xmalloc(n + 1);
	size_t i = 0, o = 0;

	while (i < n) {
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\\') {
			u[o++] = s[i++];
			u[o++] = s[i++];
		} else if (n - i >= 4 && memcmp(s + i, "\\x7c", 4) == 0) {
			u[o++] = '|';
			i += 4;
		} else
			u[o++] = s[i++];
	}
	u[o] = '\0';
	*outlen = o;
	return u;
}

/* merge_records: combine earlier tally outputs. */
static void
merge_records(struct tally *t, struct rec_reader *r)
{
	int ccount = rec_need(r, "count");
	int cfirst = rec_col(r, "first"), clast = rec_col(r, "last");
	int nc = rec_ncols(r), got;
	int *keyc = xcalloc((size_t)nc, sizeof *keyc);
	int nk = 0;

	/*
	 * The key columns are those before count; what follows is named
	 * by tally itself: sum_X, distinct_X, values_X, first, last.
	 */
	for (int i = 0; i < ccount; i++)
		keyc[nk++] = i;
	if (nk == 0)
		errx(EXIT_ERROR, "%s: no key columns before 'count': not a "
		    "tally output", rec_file(r));
	t->nkeys = nk;
	t->keys = xcalloc((size_t)nk, sizeof *t->keys);
	for (int i = 0; i < nk; i++) {
		t->keys[i].name = xstrdup(rec_colname(r, keyc[i]));
		t->keys[i].outname = xstrdup(rec_colname(r, keyc[i]));
		t->keys[i].col = keyc[i];
		t->keys[i].plen4 = t->keys[i].plen6 = -1;
	}
	int *sumc = NULL, *distc = NULL, *valc = NULL;
	for (int i = ccount + 1; i < nc; i++) {
		const char *name = rec_colname(r, i);

		if (strncmp(name, "sum_", 4) == 0) {
			add_str(&t->sumcols, &t->nsum, name + 4);
			sumc = xreallocarray(sumc, (size_t)t->nsum,
			    sizeof *sumc);
			sumc[t->nsum - 1] = i;
		} else if (strncmp(name, "distinct_", 9) == 0) {
			char vname[512];

			add_str(&t->distcols, &t->ndist, name + 9);
			distc = xreallocarray(distc, (size_t)t->ndist,
			    sizeof *distc);
			valc = xreallocarray(valc, (size_t)t->ndist,
			    sizeof *valc);
			distc[t->ndist - 1] = i;
			snprintf(vname, sizeof vname, "values_%s", name + 9);
			valc[t->ndist - 1] = rec_col(r, vname);
			if (valc[t->ndist - 1] < 0)
				errx(EXIT_ERROR, "%s: column '%s' has no '%s' "
				    "beside it: distinct counts merge exactly "
				    "only from tallies made with --partial",
				    rec_file(r), name, vname);
		} else if (strncmp(name, "values_", 7) != 0 &&
		    strcmp(name, "first") != 0 && strcmp(name, "last") != 0)
			errx(EXIT_ERROR, "%s: column '%s' after 'count' is not "
			    "one tally writes", rec_file(r), name);
	}
	t->sumoff = sizeof(struct agg);
	t->distoff = t->sumoff + (size_t)t->nsum * sizeof(__int128);
	t->keysmap = map_new(t->distoff + (size_t)t->ndist *
	    sizeof(uint64_t));
	t->values = map_new(0);

	while ((got = rec_next(r)) == 1) {
		struct agg *a;
		const char *s;
		size_t n;
		long long cnt;
		int64_t f = TM_NONE, l = TM_NONE;

		t->klen = 0;
		for (int i = 0; i < nk; i++) {
			s = rec_get(r, keyc[i], &n);
			kput(t, s, n);
		}
		s = rec_get(r, ccount, &n);
		if (parse_num_span(s, n, 0, INT64_MAX, &cnt) != 0) {
			warn_rec(t, r, ++t->bad_num, "bad count", s);
			continue;
		}
		s = rec_get(r, cfirst, &n);
		if (n > 0 && tm_parse(s, n, 0, &f) != 0) {
			warn_rec(t, r, ++t->bad_ts, "bad first", s);
			continue;
		}
		s = rec_get(r, clast, &n);
		if (n > 0 && tm_parse(s, n, 0, &l) != 0) {
			warn_rec(t, r, ++t->bad_ts, "bad last", s);
			continue;
		}
		a = lookup(t);
		a->count += (uint64_t)cnt;
		update_time(a, f, l);
		for (int i = 0; i < t->nsum; i++) {
			__int128 v;

			s = rec_get(r, sumc[i], &n);
			if (n == 0)
				continue;
			if (parse_sum(s, n, &v) != 0) {
				warn_rec(t, r, ++t->bad_num, "not a number",
				    s);
				continue;
			}
			sum_add(t, a, i, v);
		}
		for (int i = 0; i < t->ndist; i++) {
			const char *p, *end;

			s = rec_get(r, valc[i], &n);
			if (n == 0) {
				/* One empty value, or none at all: the
				 * distinct count tells which. */
				const char *dc = rec_get(r, distc[i], NULL);

				if (strcmp(dc, "0") != 0 &&
				    add_distinct(t, a, i, "", 0))
					agg_dist(t, a)[i]++;
				continue;
			}
			for (p = s, end = s + n;; p++) {
				const char *bar = memchr(p, '|',
				    (size_t)(end - p));
				size_t len = bar ? (size_t)(bar - p) :
				    (size_t)(end - p);
				char *u = unhide_bars(p, len, &len);

				if (add_distinct(t, a, i, u, len))
					agg_dist(t, a)[i]++;
				free(u);
				if (bar == NULL)
					break;
				p = bar;
			}
		}
	}
	if (got < 0 || rec_status(r) != 0)
		t->status = EXIT_ERROR;
	free(keyc);
	free(sumc);
	free(distc);
	free(valc);
}

/* ---- output ---- */

/* A row to sort: the count and key beside each other, so sorting does not
 * chase pointers into the map. */
struct row {
	uint64_t	 count;
	uint64_t	 prefix[2];	/* first 16 key bytes, big-endian */
	const char	*key;
	size_t		 klen;
	struct agg	*a;
};

static int
cmp_key(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int c;

	/* Most ties are settled by the prefix, without touching the keys,
	 * which lie all over memory. */
	if (a->prefix[0] != b->prefix[0])
		return a->prefix[0] < b->prefix[0] ? -1 : 1;
	if (a->prefix[1] != b->prefix[1])
		return a->prefix[1] < b->prefix[1] ? -1 : 1;
	c = memcmp(a->key, b->key, a->klen < b->klen ? a->klen : b->klen);

	if (c != 0)
		return c;
	return a->klen < b->klen ? -1 : a->klen > b->klen;
}

static int
cmp_count_desc(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return cmp_key(pa, pb);
}

static int
cmp_count_asc(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count < b->count ? -1 : 1;
	return cmp_key(pa, pb);
}

struct dval {
	uint32_t	 id;
	int		 d;
	const char	*v;
	size_t		 n;
};

static int
cmp_dval(const void *pa, const void *pb)
{
	const struct dval *a = pa, *b = pb;
	int c;

	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	c = memcmp(a->v, b->v, a->n < b->n ? a->n : b->n);
	if (c != 0)
		return c;
	return a->n < b->n ? -1 : a->n > b->n;
}

/* values_index: the distinct values sorted by (agg, column, value), and
 * for each agg id where its run starts, for --partial. */
static struct dval *
values_index(struct tally *t, size_t **startp)
{
	size_t n = map_count(t->values), i = 0, it = 0;
	struct dval *dv = xcalloc(n + 1, sizeof *dv);
	size_t *start = xcalloc(t->nids + 1, sizeof *start);
	void *v;

	while ((v = map_next(t->values, &it)) != NULL) {
		size_t kl;
		const char *k = map_key(t->values, v, &kl);

		memcpy(&dv[i].id, k, 4);
		memcpy(&dv[i].d, k + 4, 4);
		dv[i].v = k + 8;
		dv[i].n = kl - 8;
		i++;
	}
	qsort(dv, n, sizeof *dv, cmp_dval);
	for (size_t id = 0, j = 0; id <= t->nids; id++) {
		while (j < n && dv[j].id < id)
			j++;
		start[id] = j;
	}
	*startp = start;
	return dv;
}

static int
write_output(struct tally *t, int line_buffered)
{
	struct rec_writer *w = rec_wopen(line_buffered);
	size_t nrows = t->nids, show, ncols = 0;
	struct row *rows = xcalloc(nrows + 1, sizeof *rows);
	const char **names;
	struct dval *dv = NULL;
	size_t *dstart = NULL;
	char *vbuf = NULL;
	size_t vcap = 0;
	int rc;

	names = xcalloc((size_t)(t->nkeys + 4 + t->nsum + 2 * t->ndist),
	    sizeof *names);
	char **owned = xcalloc((size_t)(t->nsum + 2 * t->ndist) + 1,
	    sizeof *owned);
	int nowned = 0;
	if (t->bin)
		names[ncols++] = "bin";
	for (int i = 0; i < t->nkeys; i++)
		names[ncols++] = t->keys[i].outname;
	names[ncols++] = "count";
	for (int i = 0; i < t->nsum; i++) {
		if (asprintf(&owned[nowned], "sum_%s", t->sumcols[i]) < 0)
			errx(EXIT_ERROR, "out of memory");
		names[ncols++] = owned[nowned++];
	}
	for (int i = 0; i < t->ndist; i++) {
		if (asprintf(&owned[nowned], "distinct_%s", t->distcols[i]) < 0)
			errx(EXIT_ERROR, "out of memory");
		names[ncols++] = owned[nowned++];
		if (t->partial) {
			if (asprintf(&owned[nowned], "values_%s",
			    t->distcols[i]) < 0)
				errx(EXIT_ERROR, "out of memory");
			names[ncols++] = owned[nowned++];
		}
	}
	names[ncols++] = "first";
	names[ncols++] = "last";
	rec_header(w, names, (int)ncols);

	for (size_t i = 0; i < nrows; i++) {
		rows[i].a = t->byid[i];
		rows[i].count = t->byid[i]->count;
		rows[i].key = map_key(t->keysmap, t->byid[i], &rows[i].klen);
		rows[i].prefix[0] = rows[i].prefix[1] = 0;
		for (size_t b = 0; b < 16; b++)
			rows[i].prefix[b / 8] = rows[i].prefix[b / 8] << 8 |
			    (b < rows[i].klen ? (unsigned char)rows[i].key[b] :
			    0);
	}
	if (t->bottom > 0)
		qsort(rows, nrows, sizeof *rows, cmp_count_asc);
	else
		qsort(rows, nrows, sizeof *rows, t->by_key ? cmp_key :
		    cmp_count_desc);
	show = nrows;
	if (t->top > 0 && (size_t)t->top < show)
		show = (size_t)t->top;
	if (t->bottom > 0 && (size_t)t->bottom < show)
		show = (size_t)t->bottom;
	if (t->by_key && (t->top > 0 || t->bottom > 0)) {
		/* Pick by count, then show the pick in key order. */
		qsort(rows, show, sizeof *rows, cmp_key);
	}
	if (t->partial && t->ndist > 0)
		dv = values_index(t, &dstart);

	for (size_t i = 0; i < show; i++) {
		struct agg *a = rows[i].a;
		size_t off = 0;
		const char *k = rows[i].key;
		char first[TM_STRLEN], last[TM_STRLEN];
		char sums[64 * 8];
		int c = 0;

		/* The key parts, NUL-separated, one per key column. */
		for (int j = 0; j < t->nkeys + (t->bin != 0); j++) {
			size_t len = strlen(k + off);

			rec_set(w, c++, k + off, len);
			off += len + 1;
		}
		rec_set_num(w, c++, (long long)a->count);
		for (int j = 0; j < t->nsum; j++) {
			format_sum(sum_get(t, a, j), sums);
			rec_set_copy(w, c++, sums, strlen(sums));
		}
		for (int j = 0; j < t->ndist; j++) {
			rec_set_num(w, c++, (long long)agg_dist(t, a)[j]);
			if (!t->partial)
				continue;
			size_t vl = 0;
			for (size_t x = dstart[a->id]; x < dstart[a->id + 1];
			    x++) {
				if (dv[x].d != j)
					continue;
				if (vl + dv[x].n * 4 + 2 > vcap) {
					vcap = (vl + dv[x].n * 4 + 2) * 2;
					vbuf = xrealloc(vbuf, vcap);
				}
				if (vl > 0)
					vbuf[vl++] = '|';
				for (size_t y = 0; y < dv[x].n; y++) {
					if (dv[x].v[y] == '|') {
						memcpy(vbuf + vl, "\\x7c", 4);
						vl += 4;
					} else
						vbuf[vl++] = dv[x].v[y];
				}
			}
			rec_set_copy(w, c++, vbuf ? vbuf : "", vl);
		}
		if (a->first != TM_NONE)
			rec_set_copy(w, c, first, tm_format(a->first, first));
		c++;
		if (a->last != TM_NONE)
			rec_set_copy(w, c, last, tm_format(a->last, last));
		rec_emit(w);
	}
	rc = rec_wclose(w);
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	free(names);
	free(rows);
	free(dv);
	free(dstart);
	free(vbuf);
	if (rc != 0)
		return -1;
	return (int)show;
}

/*
 * tally reads records (or, with --merge, earlier tally outputs), groups
 * them by the --key columns and the --bin bucket, and writes one record
 * per group: the keys, count, the requested sums and distinct counts,
 * and the event times of the first and last record counted.
 */
int
main(int argc, char *argv[])
{
	struct tally t = { .max_keys = 20000000 };
	const char *keyspec = NULL, *zone = NULL;
	int c, exit_status = 0, line_buffered = 0, rows = 0;
	struct rec_reader *r;

	while ((c = opt_next(argc, argv, opts)) != -1) {
		switch (c) {
		case 'b':
			t.bin = opt_duration("bin", optarg);
			if (t.bin < 1000)
				errx(EXIT_ERROR, "--bin: %s: at least 1s",
				    optarg);
			break;
		case 'B':
			t.bottom = opt_num("bottom", optarg, 1, INT32_MAX);
			break;
		case 'd':
			add_str(&t.distcols, &t.ndist, optarg);
			break;
		case 'e':
			exit_status = 1;
			break;
		case 'h':
			opt_help(stdout, synopsis, "Count records by key.",
			    opts);
			return EXIT_DONE;
		case 'k':
			keyspec = optarg;
			break;
		case 'm':
			t.merge = 1;
			break;
		case 'M':
			t.max_keys = opt_num("max-keys", optarg, 1, INT32_MAX);
			break;
		case 'o':
			if (strcmp(optarg, "key") == 0)
				t.by_key = 1;
			else if (strcmp(optarg, "count") != 0)
				errx(EXIT_ERROR, "--order: %s: use count or "
				    "key", optarg);
			break;
		case 'p':
			t.partial = 1;
			break;
		case 's':
			add_str(&t.sumcols, &t.nsum, optarg);
			break;
		case 't':
			t.top = opt_num("top", optarg, 1, INT32_MAX);
			break;
		case 'u':
			line_buffered = 1;
			break;
		case 'V':
			opt_version();
			return EXIT_DONE;
		case 'z':
			zone = optarg;
			break;
		default:
			opt_usage_error(synopsis);
		}
	}
	if (t.top > 0 && t.bottom > 0)
		errx(EXIT_ERROR, "--top and --bottom exclude each other");
	if (t.merge && (keyspec || t.bin || t.nsum || t.ndist))
		errx(EXIT_ERROR, "--merge takes keys and aggregates from its "
		    "input; drop --key, --bin, --sum and --distinct");
	if (!t.merge && keyspec == NULL && !t.bin)
		errx(EXIT_ERROR, "give --key COLS (or --bin, or --merge)");
	if (tm_zone_set(zone) != 0)
		errx(EXIT_ERROR, "--tz: %s: unknown time zone",
		    zone ? zone : getenv("TZ"));
	if (keyspec)
		parse_keys(&t, keyspec);

	argc -= optind;
	argv += optind;
	if ((r = rec_open(argv, argc)) == NULL) {
		t.status = EXIT_ERROR;
		goto out;
	}
	if (t.merge) {
		merge_records(&t, r);
	} else {
		t.sumoff = sizeof(struct agg);
		t.distoff = t.sumoff + (size_t)t.nsum * sizeof(__int128);
		t.keysmap = map_new(t.distoff + (size_t)t.ndist *
		    sizeof(uint64_t));
		t.values = map_new(0);
		count_records(&t, r);
	}
	if (t.bad_ts + t.bad_num > 0)
		warnx("%lu records with a bad time or number were not counted "
		    "in full", t.bad_ts + t.bad_num);
	if (rec_status(r) != 0)
		t.status = EXIT_ERROR;
	rec_close(r);
	rows = write_output(&t, line_buffered);
	if (rows < 0)
		t.status = EXIT_ERROR;
out:

	map_free(t.keysmap);
	map_free(t.values);
	free(t.byid);
	free(t.kbuf);
	for (int i = 0; i < t.nkeys; i++) {
		free(t.keys[i].name);
		free(t.keys[i].outname);
	}
	free(t.keys);
	for (int i = 0; i < t.nsum; i++)
		free(t.sumcols[i]);
	free(t.sumcols);
	for (int i = 0; i < t.ndist; i++)
		free(t.distcols[i]);
	free(t.distcols);
	if (t.status != 0)
		return EXIT_ERROR;
	return exit_status && rows > 0 ? EXIT_FOUND : EXIT_DONE;
}
