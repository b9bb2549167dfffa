/*
 * report: the tallies of the rankings.  Users are dense ids, so a user's
 * totals in each report sit in an array; the distinct files of a user are
 * the (user, file) pairs of one hash table, which also gives the per-file
 * counts for the top files at the end.  The pairs are the only part that
 * grows with the input, hence the cap.
 */
#include <stdlib.h>
#include <string.h>

#include "filerank.h"
#include "tm.h"
#include "util.h"

#define TOPFILES 3

struct ustat {
	uint64_t	 count;
	int64_t		 first, last;
	uint32_t	 nfiles;
	uint32_t	 top[TOPFILES];		/* file ids, FR_NONE when unused */
	uint64_t	 topn[TOPFILES];
};

struct report {
	struct ustat	*u;
	size_t		 nu;
	int		 capped;
	uint64_t	 events;
};

/*
 * One pairs table serves all five reports: an event usually counts in
 * more than one (a late-night Saturday read of a confidential file counts
 * in three), and one lookup then does for all of them.  The per-report
 * counts of a pair saturate at UINT32_MAX.
 */
struct rk_set {
	struct report	 r[R_N];
	struct map	*pairs;		/* (uid, fid) -> uint32_t[R_N] */
	size_t		 maxpairs;
};

struct rk_set *
rk_new(size_t maxpairs)
{
	struct rk_set *set = xcalloc(1, sizeof *set);

	set->pairs = map_new(R_N * sizeof(uint32_t));
	set->maxpairs = maxpairs;
	return set;
}

void
rk_free(struct rk_set *set)
{
	if (set == NULL)
		return;
	map_free(set->pairs);
	for (int i = 0; i < R_N; i++)
		free(set->r[i].u);
	free(set);
}

int
rk_capped(const struct rk_set *set, int r)
{
	return set->r[r].capped;
}

size_t
rk_pairs(const struct rk_set *set)
{
	return map_count(set->pairs);
}

uint64_t
rk_events(const struct rk_set *set, int r)
{
	return set->r[r].events;
}

static struct ustat *
ustat_of(struct report *rp, uint32_t uid)
{
	if (uid >= rp->nu) {
		size_t nu = rp->nu ? rp->nu * 2 : 64;

		while (nu <= uid)
			nu *= 2;
		rp->u = xreallocarray(rp->u, nu, sizeof *rp->u);
		memset(rp->u + rp->nu, 0, (nu - rp->nu) * sizeof *rp->u);
		rp->nu = nu;
	}
	return &rp->u[uid];
}

void
rk_add(struct rk_set *set, unsigned mask, uint32_t uid, uint32_t fid,
    int64_t ts)
{
	uint32_t key[2], *n = NULL;
	int i;

	if (mask == 0)
		return;
	if (fid != FR_NONE) {
		key[0] = uid;
		key[1] = fid;
		n = map_get(set->pairs, key, sizeof key);
		if (n == NULL && map_count(set->pairs) < set->maxpairs)
			n = map_put(set->pairs, key, sizeof key, NULL);
	}
	for (i = 0; i < R_N; i++) {
		struct report *rp = &set->r[i];
		struct ustat *s;

		if (!(mask & (1u << i)))
			continue;
		s = ustat_of(rp, uid);
		if (s->count == 0 || ts < s->first)
			s->first = ts;
		if (s->count == 0 || ts > s->last)
			s->last = ts;
		s->count++;
		rp->events++;
		if (fid == FR_NONE)
			continue;
		if (n == NULL) {
			rp->capped = 1;
			continue;
		}
		if (n[i] == 0)
			s->nfiles++;
		if (n[i] < UINT32_MAX)
			n[i]++;
	}
}

/* Byte order of the escaped text: the same on every machine and locale. */
static int
name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

/*
 * Files in path byte order, as ranks: ties among a user's top files are
 * broken by path, and comparing two numbers beats comparing two paths for
 * every pair of every report.  Made once, for all reports.
 */
static uint32_t *file_rank;

static int
fid_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const char *x, *y;
	size_t xn, yn;

	x = fr_file_name(a, &xn);
	y = fr_file_name(b, &yn);
	return name_cmp(x, xn, y, yn);
}

static void
rank_files(void)
{
	size_t n = fr_file_count();
	uint32_t *byname;

	if (file_rank != NULL)
		return;
	byname = xreallocarray(NULL, n ? n : 1, sizeof *byname);
	file_rank = xreallocarray(NULL, n ? n : 1, sizeof *file_rank);
	for (size_t i = 0; i < n; i++)
		byname[i] = (uint32_t)i;
	qsort(byname, n, sizeof *byname, fid_cmp);
	for (size_t i = 0; i < n; i++)
		file_rank[byname[i]] = (uint32_t)i;
	free(byname);
}

void
rk_done(void)
{
	free(file_rank);
	file_rank = NULL;
}

/* File x with n events ranks above file y with m: more events, then path. */
static int
file_before(uint32_t x, uint64_t n, uint32_t y, uint64_t m)
{
	if (n != m)
		return n > m;
	return file_rank[x] < file_rank[y];
}

static void
top_files(struct rk_set *set, int r)
{
	struct report *rp = &set->r[r];
	size_t it = 0;
	uint32_t *cnt;

	rank_files();
	for (size_t i = 0; i < rp->nu; i++)
		for (int k = 0; k < TOPFILES; k++) {
			rp->u[i].top[k] = FR_NONE;
			rp->u[i].topn[k] = 0;
		}
	while ((cnt = map_next(set->pairs, &it)) != NULL) {
		size_t klen;
		const uint32_t *key = map_key(set->pairs, cnt, &klen);
		struct ustat *s;
		uint32_t fid = key[1];
		uint64_t nv = cnt[r], *n = &nv;
		int k;

		if (nv == 0)
			continue;
		s = &rp->u[key[0]];

		for (k = 0; k < TOPFILES; k++)
			if (s->top[k] == FR_NONE ||
			    file_before(fid, *n, s->top[k], s->topn[k]))
				break;
		if (k == TOPFILES)
			continue;
		memmove(&s->top[k + 1], &s->top[k],
		    (TOPFILES - 1 - k) * sizeof s->top[0]);
		memmove(&s->topn[k + 1], &s->topn[k],
		    (TOPFILES - 1 - k) * sizeof s->topn[0]);
		s->top[k] = fid;
		s->topn[k] = *n;
	}
}

static const struct report *sort_rp;

/* count desc, distinct files desc, user asc: the documented order. */
static int
rank_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const struct ustat *x = &sort_rp->u[a], *y = &sort_rp->u[b];
	const char *na, *nb;
	size_t la, lb;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->nfiles != y->nfiles)
		return x->nfiles > y->nfiles ? -1 : 1;
	na = fr_user_name(a, &la);
	nb = fr_user_name(b, &lb);
	return name_cmp(na, la, nb, lb);
}

static void
append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
}

unsigned long
rk_write(struct rk_set *set, int r, struct rec_writer *w, int with_dept,
    long long top)
{
	struct report *rp = &set->r[r];
	const char *cols[8];
	uint32_t *order;
	size_t n = 0, i;
	int nc = 0, c_dept = -1;
	long long rank = 0;
	unsigned long rows = 0;
	char *cell = NULL;
	size_t cap = 0;

	cols[nc++] = "rank";
	cols[nc++] = "user";
	if (with_dept)
		cols[c_dept = nc++] = "dept";
	cols[nc++] = "count";
	cols[nc++] = "files";
	cols[nc++] = "first";
	cols[nc++] = "last";
	cols[nc++] = "top_files";
	rec_header(w, cols, nc);

	top_files(set, r);
	order = xreallocarray(NULL, rp->nu ? rp->nu : 1, sizeof *order);
	for (i = 0; i < rp->nu; i++)
		if (rp->u[i].count > 0)
			order[n++] = (uint32_t)i;
	sort_rp = rp;
	qsort(order, n, sizeof *order, rank_cmp);

	for (i = 0; i < n; i++) {
		const struct ustat *s = &rp->u[order[i]];
		const struct fr_user *u = fr_user_get(order[i]);
		char tbuf[TM_STRLEN];
		const char *name;
		size_t len, clen = 0;
		int col = 0;

		/* competition ranking: equal count and files share a rank */
		if (i == 0 || s->count != rp->u[order[i - 1]].count ||
		    s->nfiles != rp->u[order[i - 1]].nfiles)
			rank = (long long)i + 1;
		if (top > 0 && rank > top)
			break;
		rec_set_num(w, col++, rank);
		name = fr_user_name(order[i], &len);
		rec_set(w, col++, name, len);
		if (c_dept >= 0) {
			if (u->dept)
				rec_set(w, col, u->dept, u->deptlen);
			col++;
		}
		rec_set_num(w, col++, (long long)s->count);
		rec_set_num(w, col++, (long long)s->nfiles);
		rec_set_copy(w, col++, tbuf, tm_format(s->first, tbuf));
		rec_set_copy(w, col++, tbuf, tm_format(s->last, tbuf));
		for (int k = 0; k < TOPFILES && s->top[k] != FR_NONE; k++) {
			char num[24];
			int nl = snprintf(num, sizeof num, "%llu ",
			    (unsigned long long)s->topn[k]);

			if (k > 0)
				append(&cell, &clen, &cap, " | ", 3);
			append(&cell, &clen, &cap, num, (size_t)nl);
			name = fr_file_name(s->top[k], &len);
			append(&cell, &clen, &cap, name, len);
		}
		if (clen > 0)
			rec_set_copy(w, col, cell, clen);
		rec_emit(w);
		rows++;
	}
	free(cell);
	free(order);
	return rows;
}
