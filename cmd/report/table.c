/* report: record files held in memory, and the small value tests. */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "util.h"
#include "report.h"

const char *
cell(const struct table *t, size_t row, int col)
{
	if (col < 0 || col >= t->ncols)
		return "";
	return t->text + t->off[row * (size_t)t->ncols + (size_t)col];
}

int
colidx(const struct table *t, const char *name)
{
	int i;

	for (i = 0; t && i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return i;
	return -1;
}

static void
text_add(struct table *t, const char *s, size_t n)
{
	if (t->tlen + n + 1 > t->tcap) {
		t->tcap = (t->tlen + n + 1) * 2 + 4096;
		t->text = xrealloc(t->text, t->tcap);
	}
	memcpy(t->text + t->tlen, s, n);
	t->text[t->tlen + n] = '\0';
	t->tlen += n + 1;
}

/*
 * table_add: append the records of path to t; the first file fixes the
 * columns, the columns of a later one are matched by name.  Returns 0, or
 * 2 after reporting an unreadable file or a malformed record.
 */
int
table_add(struct table *t, const char *path)
{
	char *paths[1];
	struct rec_reader *r;
	int *map, i, n, st;

	paths[0] = (char *)path;
	if ((r = rec_open(paths, 1)) == NULL)
		return EXIT_ERROR;
	n = rec_ncols(r);
	if (t->cols == NULL) {
		t->ncols = n;
		t->cols = xcalloc((size_t)n, sizeof *t->cols);
		for (i = 0; i < n; i++)
			t->cols[i] = xstrdup(rec_colname(r, i));
		t->path = xstrdup(path);
	}
	map = xcalloc((size_t)t->ncols, sizeof *map);
	for (i = 0; i < t->ncols; i++)
		map[i] = rec_col(r, t->cols[i]);
	while ((st = rec_next(r)) == 1) {
		if ((t->nrows + 1) * (size_t)t->ncols > t->offcap) {
			t->offcap = (t->nrows + 1) * (size_t)t->ncols * 2 + 64;
			t->off = xreallocarray(t->off, t->offcap,
			    sizeof *t->off);
		}
		for (i = 0; i < t->ncols; i++) {
			size_t len;
			const char *v = rec_get(r, map[i], &len);

			t->off[t->nrows * (size_t)t->ncols + (size_t)i] =
			    t->tlen;
			text_add(t, v, len);
		}
		t->nrows++;
	}
	st = st < 0 ? EXIT_ERROR : rec_status(r);
	rec_close(r);
	free(map);
	return st;
}

void
table_free(struct table *t)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->cols);
	free(t->off);
	free(t->text);
	free(t->path);
	memset(t, 0, sizeof *t);
}

/* ---- small helpers ---- */

long long
num(const char *s)
{
	long long v;

	if (parse_num(s, 0, INT64_MAX, &v, &(const char *){ NULL }) != 0)
		return 0;
	return v;
}

/* sum of two counts, stopping at the largest one rather than wrapping
 * (the counts come from files anyone could have edited) */
long long
sat_add(long long a, long long b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

int
is_num(const char *s)
{
	long long v;
	const char *e;

	return parse_num(s, 0, INT64_MAX, &v, &e) == 0;
}

/* severity order; unknown severities sort last */
int
sev_rank(const char *s)
{
	static const char *const sevs[] = { "critical", "high", "medium",
	    "low", "info" };
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(s, sevs[i]) == 0)
			return 5 - i;
	return 0;
}

int
deny_like(const char *action)
{
	return strcmp(action, "deny") == 0 || strcmp(action, "drop") == 0 ||
	    strcmp(action, "reject") == 0 || strcmp(action, "block") == 0;
}
