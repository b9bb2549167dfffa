/*
 * lists: the files options name, read once at start: confidential path
 * patterns, accounts to leave out, holidays, and user departments.  Each
 * is a plain list, one entry a line, except the users file, which is
 * records (kazami.7) so an HR export converts with ordinary tools.
 */
#include <err.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "filerank.h"
#include "line.h"
#include "util.h"

static struct pg_pattern **conf;
static size_t nconf;
static char **excl;
static size_t nexcl;
static struct map *depts;	/* lowercased escaped user -> char * */
static int64_t *holidays;
static size_t nholiday;

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' ||
	    (*s)[*n - 1] == '\r'))
		(*n)--;
}

/*
 * read_list: call fn for every line of path that is not blank and does
 * not start with '#', trimmed.  fn returns NULL or an error message,
 * reported as "filerank: path:line: message" with exit 2.
 */
static void
read_list(const char *path, const char *(*fn)(const char *, size_t))
{
	struct line_reader *lr = line_open(path, 0);
	const char *s, *why;
	size_t n;
	int rc;

	if (lr == NULL)
		exit(EXIT_ERROR);
	while ((rc = line_next(lr, &s, &n)) != LINE_EOF) {
		if (rc == LINE_ERR)
			exit(EXIT_ERROR);
		if (rc == LINE_LONG)
			errx(EXIT_ERROR, "%s:%lu: line too long", path,
			    line_number(lr));
		trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		if ((why = fn(s, n)) != NULL)
			errx(EXIT_ERROR, "%s:%lu: %s", path, line_number(lr),
			    why);
	}
	line_close(lr);
}

static const char *
add_conf(const char *s, size_t n)
{
	const char *why = NULL;
	struct pg_pattern *p = pg_compile(s, n, &why);

	if (p == NULL)
		return why;
	conf = xreallocarray(conf, nconf + 1, sizeof *conf);
	conf[nconf++] = p;
	return NULL;
}

static const char *
add_excl(const char *s, size_t n)
{
	excl = xreallocarray(excl, nexcl + 1, sizeof *excl);
	excl[nexcl++] = xstrndup(s, n);
	return NULL;
}

/* parse_date: "YYYY-MM-DD" exactly, to parts; 0 or -1. */
int
ls_parse_date(const char *s, size_t n, struct tm_parts *p)
{
	long long y, m, d;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	memset(p, 0, sizeof *p);
	if (n != 10 || s[4] != '-' || s[7] != '-' ||
	    parse_num_span(s, 4, 0, 9999, &y) != 0 ||
	    parse_num_span(s + 5, 2, 1, 12, &m) != 0 ||
	    parse_num_span(s + 8, 2, 1, 31, &d) != 0 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return -1;
	p->year = (int)y;
	p->mon = (int)m;
	p->day = (int)d;
	return 0;
}

static const char *
add_holiday(const char *s, size_t n)
{
	struct tm_parts p;
	size_t k;

	/* the date, then anything (a name) after a blank or comma */
	for (k = 0; k < n && s[k] != ' ' && s[k] != '\t' && s[k] != ','; k++)
		;
	if (ls_parse_date(s, k, &p) != 0)
		return "not a date (YYYY-MM-DD)";
	holidays = xreallocarray(holidays, nholiday + 1, sizeof *holidays);
	holidays[nholiday++] = tm_days_from_civil(p.year, p.mon, p.day);
	return NULL;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

void
ls_lower(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] += 'a' - 'A';
}

/* load_users: user -> dept from a CSV with a header (kazami records). */
void
ls_users(char *path)
{
	char *paths[1] = { path };
	struct rec_reader *r = rec_open(paths, 1);
	int cu, cd, rc;

	if (r == NULL)
		exit(EXIT_ERROR);
	cu = rec_need(r, "user");
	cd = rec_need(r, "dept");
	depts = map_new(sizeof(char *));
	while ((rc = rec_next(r)) == 1) {
		size_t ul, dl;
		const char *u = rec_get(r, cu, &ul);
		const char *d = rec_get(r, cd, &dl);
		char *key, **val;
		int isnew;

		if (ul == 0)
			continue;
		key = xstrndup(u, ul);
		ls_lower(key, ul);
		val = map_put(depts, key, ul, &isnew);
		if (isnew)	/* the first line for a user wins */
			*val = xstrndup(d, dl);
		free(key);
	}
	if (rc < 0 || rec_status(r) != 0)
		exit(EXIT_ERROR);
	rec_close(r);
}

/* The short form of an account name: "CORP\alice" and "alice@corp" both
 * give "alice" (in escaped text the backslash is doubled: same result). */
static void
short_name(const char *s, size_t n, const char **p, size_t *len)
{
	const char *bs = memrchr(s, '\\', n), *at;

	if (bs != NULL) {
		n -= (size_t)(bs + 1 - s);
		s = bs + 1;
	}
	at = memchr(s, '@', n);
	if (at != NULL)
		n = (size_t)(at - s);
	*p = s;
	*len = n;
}

const char *
ls_dept(const char *s, size_t n)
{
	char *key, **d;
	const char *sp;
	size_t sn;

	if (depts == NULL)
		return NULL;
	key = xstrndup(s, n);
	ls_lower(key, n);
	d = map_get(depts, key, n);
	if (d == NULL) {
		short_name(key, n, &sp, &sn);
		d = map_get(depts, sp, sn);
	}
	free(key);
	return d ? *d : NULL;
}

int
ls_have_users(void)
{
	return depts != NULL;
}

int
ls_excluded(const char *s, size_t n)
{
	size_t rn;
	char *raw = rec_unescape(s, n, &rn), *name = xstrndup(raw, rn);
	const char *sp;
	size_t sn;
	char *sh;
	int hit = 0;

	if (nexcl == 0) {
		free(name);
		free(raw);
		return 0;
	}
	short_name(name, strlen(name), &sp, &sn);
	sh = xstrndup(sp, sn);
	for (size_t i = 0; i < nexcl && !hit; i++)
		hit = fnmatch(excl[i], name, FNM_CASEFOLD | FNM_NOESCAPE) ==
		    0 || fnmatch(excl[i], sh, FNM_CASEFOLD | FNM_NOESCAPE) == 0;
	free(sh);
	free(name);
	free(raw);
	return hit;
}


void
ls_confidential(const char *path)
{
	read_list(path, add_conf);
}

int
ls_confidential_match(const struct pg_path *p)
{
	for (size_t i = 0; i < nconf; i++)
		if (pg_match(conf[i], p))
			return 1;
	return 0;
}

void
ls_exclude(const char *path)
{
	read_list(path, add_excl);
}

void
ls_holidays(const char *path)
{
	read_list(path, add_holiday);
	if (nholiday > 0)
		qsort(holidays, nholiday, sizeof *holidays, cmp_i64);
}

int
ls_holiday(int64_t day)
{
	if (nholiday == 0)
		return 0;
	return bsearch(&day, holidays, nholiday, sizeof *holidays,
	    cmp_i64) != NULL;
}

void
ls_free(void)
{
	for (size_t i = 0; i < nconf; i++)
		pg_free(conf[i]);
	free(conf);
	for (size_t i = 0; i < nexcl; i++)
		free(excl[i]);
	free(excl);
	free(holidays);
	if (depts != NULL) {
		size_t it = 0;
		char **d;

		while ((d = map_next(depts, &it)) != NULL)
			free(*d);
		map_free(depts);
	}
}
