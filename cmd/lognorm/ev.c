/*
 * ev: the event being built from one line, its scratch arena, and the
 * span helpers every parser family uses.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lognorm.h"
#include "util.h"

/*
 * Chunks are chained newest first.  ev_reset keeps only the oldest one
 * (grown to the largest total seen), so a steady stream of lines makes no
 * allocation at all after the first few.
 */
struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 cap;
	char			 data[];
};

#define ARENA_MIN 4096

void
ev_reset(struct ev *e)
{
	struct arena_chunk *c, *next;
	size_t total = 0;

	memset(e->f, 0, sizeof e->f);
	e->ts = TM_NONE;
	if (e->chunks != NULL && e->chunks->next != NULL) {
		/* More than one chunk: replace them by one that holds all. */
		for (c = e->chunks; c != NULL; c = next) {
			next = c->next;
			total += c->cap;
			free(c);
		}
		e->chunks = xmalloc(sizeof *e->chunks + total);
		e->chunks->next = NULL;
		e->chunks->cap = total;
	}
	e->used = 0;
}

void
ev_free(struct ev *e)
{
	struct arena_chunk *c, *next;

	for (c = e->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	e->chunks = NULL;
	e->used = 0;
}

char *
ev_alloc(struct ev *e, size_t n)
{
	struct arena_chunk *c = e->chunks;
	size_t cap;
	char *p;

	n = (n + 7) & ~(size_t)7;
	if (c == NULL || c->cap - e->used < n) {
		cap = n > ARENA_MIN ? n : ARENA_MIN;
		if (c != NULL && cap < 2 * c->cap)
			cap = 2 * c->cap;
		c = xmalloc(sizeof *c + cap);
		c->cap = cap;
		c->next = e->chunks;
		e->chunks = c;
		e->used = 0;
	}
	p = c->data + e->used;
	e->used += n;
	return p;
}

void
ev_set(struct ev *e, int col, const char *s, size_t n)
{
	e->f[col].p = s;
	e->f[col].n = n;
}

void
ev_sets(struct ev *e, int col, struct span s)
{
	e->f[col] = s;
}

void
ev_setz(struct ev *e, int col, const char *s)
{
	e->f[col].p = s;
	e->f[col].n = strlen(s);
}

void
ev_copy(struct ev *e, int col, const char *s, size_t n)
{
	char *p = ev_alloc(e, n ? n : 1);

	memcpy(p, s, n);
	ev_set(e, col, p, n);
}

void
ev_printf(struct ev *e, int col, const char *fmt, ...)
{
	va_list ap;
	char small[128], *p;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	p = ev_alloc(e, (size_t)len + 1);
	if ((size_t)len < sizeof small)
		memcpy(p, small, (size_t)len + 1);
	else {
		va_start(ap, fmt);
		vsnprintf(p, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	ev_set(e, col, p, (size_t)len);
}

int
ev_has(const struct ev *e, int col)
{
	return e->f[col].n > 0;
}

const char *
memmem_lit(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	if (n < l || l == 0)
		return l == 0 ? s : NULL;
	return memmem(s, n, lit, l);
}

int
span_eq(struct span s, const char *lit)
{
	size_t l = strlen(lit);

	return s.n == l && memcmp(s.p, lit, l) == 0;
}

int
span_ieq(struct span s, const char *lit)
{
	size_t l = strlen(lit);

	return s.n == l && strncasecmp(s.p, lit, l) == 0;
}

int
span_starts(struct span s, const char *lit)
{
	size_t l = strlen(lit);

	return s.n >= l && memcmp(s.p, lit, l) == 0;
}

int
span_num(struct span s, long long *v)
{
	unsigned long long r = 0;
	size_t i;

	if (s.n == 0 || s.n > 19)
		return 0;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return 0;
		r = r * 10 + (unsigned)(s.p[i] - '0');
	}
	if (r > (unsigned long long)LLONG_MAX)
		return 0;
	*v = (long long)r;
	return 1;
}

/*
 * kv_find: a key counts only at the start or after a space, so "dstip="
 * is not found inside "nat-dstip=".  A quoted value ends at the first
 * unescaped closing quote; the span excludes the quotes (escapes stay).
 */
int
kv_find(const char *s, size_t n, const char *key, struct span *v)
{
	size_t kl = strlen(key), i = 0;
	const char *p, *end = s + n;

	while (i + kl < n) {
		p = memmem(s + i, n - i, key, kl);
		if (p == NULL || (size_t)(end - p) <= kl)
			return 0;
		if (p[kl] != '=' || (p != s && p[-1] != ' ')) {
			i = (size_t)(p - s) + 1;
			continue;
		}
		p += kl + 1;
		if (p < end && *p == '"') {
			const char *q = ++p;

			while (q < end && *q != '"') {
				if (*q == '\\' && q + 1 < end)
					q++;
				q++;
			}
			v->p = p;
			v->n = (size_t)((q < end ? q : end) - p);
			return 1;
		}
		v->p = p;
		while (p < end && *p != ' ')
			p++;
		v->n = (size_t)(p - v->p);
		return 1;
	}
	return 0;
}
