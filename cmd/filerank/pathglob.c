/*
 * pathglob: the --confidential path patterns.  One matcher for Windows and
 * POSIX paths: both separators count as '/', and a Windows path (one with a
 * backslash or a drive letter) is matched without regard to ASCII case, as
 * NTFS and SMB shares treat names.  fnmatch(3) cannot do this (backslash is
 * its escape character and it has no "**"), so patterns are compiled into
 * a small automaton run once over the path: time is pattern length times
 * path length whatever the path holds, since paths are attacker-written.
 */
#include <stdlib.h>
#include <string.h>

#include "filerank.h"
#include "util.h"

#define PG_MAXTOK 4096		/* longest pattern, in tokens */

enum {
	T_LIT,		/* one code point */
	T_ANY,		/* ?: one code point, not a separator */
	T_CLASS,	/* [...]: one code point of a set, not a separator */
	T_STAR,		/* *: any run within a component */
	T_DSTAR,	/* **: any run, separators included */
	T_DSTARSL	/* ** then a separator: zero or more directories */
};

struct pg_tok {
	uint8_t		 type;
	uint8_t		 neg;		/* T_CLASS: [!...] */
	uint32_t	 c;		/* T_LIT: the code point */
	uint32_t	 lo, nrange;	/* T_CLASS: ranges[lo .. lo+nrange) */
};

struct pg_pattern {
	struct pg_tok	*tok;
	size_t		 ntok;
	uint32_t	*range;		/* pairs: first, last */
	size_t		 nrange;
	int		 base_only;	/* no separator: match the last component */
	size_t		 nlit;		/* leading T_LIT tokens: compared
					   directly before the automaton runs */
	uint8_t		*cur, *next;	/* ntok + 1 states each */
};

/* Decode one code point; an invalid byte becomes 0xDC00 + byte so that it
 * still matches itself and nothing else. */
static uint32_t
utf8_next(const unsigned char *s, size_t n, size_t *i)
{
	unsigned char b = s[*i];
	uint32_t c;
	size_t k, need;

	if (b < 0x80) {
		(*i)++;
		return b;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		need = 1;
		c = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		need = 2;
		c = b & 0x0f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		need = 3;
		c = b & 0x07;
	} else {
		(*i)++;
		return 0xdc00 + b;
	}
	if (*i + need >= n) {	/* truncated sequence */
		(*i)++;
		return 0xdc00 + b;
	}
	for (k = 1; k <= need; k++) {
		if ((s[*i + k] & 0xc0) != 0x80) {
			(*i)++;
			return 0xdc00 + b;
		}
		c = (c << 6) | (s[*i + k] & 0x3f);
	}
	/* overlong or surrogate or beyond U+10FFFF: treat the lead as bad */
	if ((need == 2 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (need == 3 && (c < 0x10000 || c > 0x10ffff))) {
		(*i)++;
		return 0xdc00 + b;
	}
	*i += need + 1;
	return c;
}

static inline uint32_t
fold(uint32_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int
pg_is_windows(const char *s, size_t n)
{
	if (n >= 2 && s[1] == ':' && ((s[0] >= 'A' && s[0] <= 'Z') ||
	    (s[0] >= 'a' && s[0] <= 'z')))
		return 1;
	return memchr(s, '\\', n) != NULL;
}

void
pg_path_set(struct pg_path *p, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	p->n = 0;
	p->windows = pg_is_windows(s, n);
	if (p->cap < n + 1) {
		p->cap = n + 1;
		p->cp = xreallocarray(p->cp, p->cap, sizeof *p->cp);
	}
	while (i < n) {
		uint32_t c = utf8_next(u, n, &i);

		p->cp[p->n++] = c == '\\' ? '/' : c;
	}
}

static void
add_tok(struct pg_pattern *p, size_t *cap, struct pg_tok t)
{
	if (p->ntok == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		p->tok = xreallocarray(p->tok, *cap, sizeof *p->tok);
	}
	p->tok[p->ntok++] = t;
}

static void
add_range(struct pg_pattern *p, size_t *cap, uint32_t a, uint32_t b)
{
	if (p->nrange + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 16;
		p->range = xreallocarray(p->range, *cap, sizeof *p->range);
	}
	p->range[p->nrange++] = a;
	p->range[p->nrange++] = b;
}

struct pg_pattern *
pg_compile(const char *s, size_t n, const char **why)
{
	const unsigned char *u = (const unsigned char *)s;
	struct pg_pattern *p = xcalloc(1, sizeof *p);
	size_t i = 0, tcap = 0, rcap = 0;
	uint32_t c;

	p->base_only = 1;
	while (i < n) {
		struct pg_tok t = { 0 };

		if (p->ntok >= PG_MAXTOK) {
			*why = "pattern too long";
			goto bad;
		}
		c = utf8_next(u, n, &i);
		if (c == '\\')
			c = '/';
		if (c == '*' && i < n && u[i] == '*') {
			i++;
			while (i < n && u[i] == '*')
				i++;
			if (i < n && (u[i] == '/' || u[i] == '\\')) {
				i++;
				t.type = T_DSTARSL;
				p->base_only = 0;
			} else
				t.type = T_DSTAR;
		} else if (c == '*') {
			t.type = T_STAR;
		} else if (c == '?') {
			t.type = T_ANY;
		} else if (c == '[') {
			size_t j = i;
			int first = 1;

			t.type = T_CLASS;
			t.lo = (uint32_t)p->nrange;
			if (j < n && (u[j] == '!' || u[j] == '^')) {
				t.neg = 1;
				j++;
			}
			for (;;) {
				uint32_t a, b;

				if (j >= n) {
					*why = "unterminated [";
					goto bad;
				}
				if (u[j] == ']' && !first) {
					j++;
					break;
				}
				first = 0;
				a = b = utf8_next(u, n, &j);
				if (j + 1 < n && u[j] == '-' && u[j + 1] != ']') {
					j++;
					b = utf8_next(u, n, &j);
					if (b < a) {
						*why = "bad range in [...]";
						goto bad;
					}
				}
				add_range(p, &rcap, a, b);
			}
			t.nrange = (uint32_t)(p->nrange - t.lo) / 2;
			i = j;
		} else {
			t.type = T_LIT;
			t.c = c;
			if (c == '/')
				p->base_only = 0;
		}
		add_tok(p, &tcap, t);
	}
	if (p->ntok == 0) {
		*why = "empty pattern";
		goto bad;
	}
	while (p->nlit < p->ntok && p->tok[p->nlit].type == T_LIT)
		p->nlit++;
	p->cur = xmalloc(p->ntok + 1);
	p->next = xmalloc(p->ntok + 1);
	return p;
bad:
	pg_free(p);
	return NULL;
}

void
pg_free(struct pg_pattern *p)
{
	if (p == NULL)
		return;
	free(p->tok);
	free(p->range);
	free(p->cur);
	free(p->next);
	free(p);
}

static int
in_class(const struct pg_pattern *p, const struct pg_tok *t, uint32_t c,
    int ci)
{
	int hit = 0;

	for (uint32_t k = 0; k < t->nrange && !hit; k++) {
		uint32_t a = p->range[t->lo + 2 * k], b = p->range[t->lo + 2 * k
		    + 1];

		if (c >= a && c <= b)
			hit = 1;
		else if (ci && c < 0x80) {
			/* either case of an ASCII letter may be in the set */
			uint32_t lc = fold(c), uc = lc >= 'a' && lc <= 'z' ?
			    lc - ('a' - 'A') : lc;

			hit = (lc >= a && lc <= b) || (uc >= a && uc <= b);
		}
	}
	return hit != t->neg;
}

/*
 * Epsilon moves: a star may match nothing, so its successor is live too.
 * They only go forward, so one pass in order over the live range [*lo,
 * *hi] is the closure; *hi may grow.  Returns 0 when nothing is live.
 */
static int
closure(const struct pg_pattern *p, uint8_t *st, size_t *lo, size_t *hi)
{
	size_t i, first = SIZE_MAX, last = 0;

	for (i = *lo; i <= *hi; i++) {
		if (!st[i])
			continue;
		if (first == SIZE_MAX)
			first = i;
		last = i;
		if (i < p->ntok && (p->tok[i].type == T_STAR ||
		    p->tok[i].type == T_DSTAR || p->tok[i].type == T_DSTARSL)) {
			st[i + 1] = 1;
			if (*hi < i + 1)
				*hi = i + 1;
		}
	}
	if (first == SIZE_MAX)
		return 0;
	*lo = first;
	*hi = last;
	return 1;
}

int
pg_match(struct pg_pattern *p, const struct pg_path *path)
{
	size_t start = 0, nt = p->ntok, lo = 0, hi = 0;
	int ci = path->windows;

	if (p->base_only) {
		for (size_t k = 0; k < path->n; k++)
			if (path->cp[k] == '/')
				start = k + 1;
	}
	/* Most patterns start with a fixed directory: compare that part
	 * plainly, and start the automaton after it. */
	if (path->n - start < p->nlit)
		return 0;
	for (size_t i = 0; i < p->nlit; i++) {
		uint32_t c = path->cp[start + i], t = p->tok[i].c;

		if (c != t && !(ci && fold(c) == fold(t)))
			return 0;
	}
	start += p->nlit;
	lo = hi = p->nlit;
	memset(p->cur, 0, nt + 1);
	memset(p->next, 0, nt + 1);
	p->cur[lo] = 1;
	closure(p, p->cur, &lo, &hi);
	for (size_t k = start; k < path->n; k++) {
		uint32_t c = path->cp[k];
		size_t nlo = SIZE_MAX, nhi = 0;
		uint8_t *tmp;

		for (size_t i = lo; i <= hi && i < nt; i++) {
			const struct pg_tok *t = &p->tok[i];
			size_t to = SIZE_MAX;

			if (!p->cur[i])
				continue;
			switch (t->type) {
			case T_LIT:
				if (c == t->c || (ci && fold(c) == fold(t->c)))
					to = i + 1;
				break;
			case T_ANY:
				if (c != '/')
					to = i + 1;
				break;
			case T_CLASS:
				if (c != '/' && in_class(p, t, c, ci))
					to = i + 1;
				break;
			case T_STAR:
				if (c != '/')
					to = i;
				break;
			case T_DSTAR:
				to = i;
				break;
			case T_DSTARSL:
				to = i;
				if (c == '/') {
					p->next[i + 1] = 1;
					nhi = nhi > i + 1 ? nhi : i + 1;
				}
				break;
			}
			if (to != SIZE_MAX) {
				p->next[to] = 1;
				if (to < nlo)
					nlo = to;
				if (to > nhi)
					nhi = to;
			}
		}
		/* the old states are dead: clear them for the next swap */
		memset(p->cur + lo, 0, hi - lo + 1);
		if (nlo == SIZE_MAX) {
			/* only a DSTARSL successor can be live without nlo */
			nlo = nhi;
			if (!p->next[nhi])
				return 0;
		}
		if (!closure(p, p->next, &nlo, &nhi))
			return 0;
		tmp = p->cur;
		p->cur = p->next;
		p->next = tmp;
		lo = nlo;
		hi = nhi;
	}
	return p->cur[nt];
}
