/*
 * names: the ranked names.  A host becomes its registrable domain through
 * libpsl, a cache of recent hosts and a shortcut for hosts under a domain
 * already held; the names live in a compact table.
 */
#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "domrank.h"
#include "ip.h"
#include "line.h"
#include "map.h"
#include "tm.h"
#include "util.h"

int host_mode;
unsigned long long max_keys = 1000000;
psl_ctx_t *psl;
/*
 * Every public suffix rule's name and all its parent names (from the list
 * in text form).  A host under a registrable domain R that is not in this
 * set has R as its own registrable domain (no rule lies at or below R), so
 * it needs no second libpsl lookup: most hosts are found with a probe.
 */
struct map *psl_anc;
struct map *known, *watch;	/* names, values unused */
/*
 * The ranked names: a dense array of struct dom, their names NUL-ended in
 * one arena, and an open-addressing index of 8-byte slots (32 bits of the
 * name's hash, index + 1) kept at most 3/4 full.  About 56 + 11 to 21
 * bytes per name plus the name, against some 110 in a general map.
 */
struct dom *dv;
size_t dn;
char *names;
struct cslot *cache;
static size_t dcap, names_len, names_cap;
static uint64_t *dix;
static size_t dix_mask;

static struct dom *dom_find(const char *, size_t);

/* suffix_in: name or one of its parent domains (at a label boundary)
 * is in set. */
int
suffix_in(const struct map *set, const char *s, size_t n)
{
	const char *dot;

	if (set == NULL)
		return 0;
	for (;;) {
		if (map_get(set, s, n))
			return 1;
		dot = memchr(s, '.', n);
		if (dot == NULL)
			return 0;
		n -= (size_t)(dot + 1 - s);
		s = dot + 1;
	}
}

/* known_reg: a registrable domain we already hold that h[0..n) (lower
 * case ASCII, not an IDN) lies under, if the rules allow the shortcut:
 * its length, its entry in *found. */
static size_t
known_reg(const char *h, size_t n, struct dom **found)
{
	const char *dot;
	const struct dom *d;
	size_t left = n;

	*found = NULL;

	if (psl_anc == NULL || memmem(h, n, "xn--", 4) != NULL)
		return 0;
	for (;;) {
		dot = memchr(h, '.', left);
		if (dot == NULL)
			return 0;
		left -= (size_t)(dot + 1 - h);
		h = dot + 1;
		if (memchr(h, '.', left) == NULL)
			return 0;
		d = dom_find(h, left);
		if (d && (d->flags & D_REG) && map_get(psl_anc, h, left) ==
		    NULL) {
			*found = (struct dom *)d;
			return left;
		}
	}
}

static int
is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/*
 * name_of: the ranked name of raw host text s[0..n) into *buf: lowercase,
 * without a port or trailing dot; IP literals canonical; otherwise the
 * registrable domain (eTLD+1) unless --host.  A name that is itself a
 * public suffix or has none (localhost) stays as it is.  *isreg says
 * whether the name is a registrable domain; *found is its entry when
 * the name was found among those held on the way.
 */
static size_t
name_of(const char *s, size_t n, char **buf, size_t *cap, int *isreg,
    struct dom **found)
{
	char ipbuf[IP_STRLEN];
	const char *colon, *reg;
	size_t len, i;

	*isreg = 0;
	*found = NULL;
	if ((len = ip_canon(s, n, ipbuf)) > 0)
		goto literal;
	if (n > 2 && s[0] == '[' && (colon = memchr(s, ']', n)) != NULL &&
	    (len = ip_canon(s + 1, (size_t)(colon - s - 1), ipbuf)) > 0)
		goto literal;
	colon = memchr(s, ':', n);
	if (colon && memchr(colon + 1, ':', n - (size_t)(colon + 1 - s)) ==
	    NULL)
		n = (size_t)(colon - s);
	while (n > 0 && s[n - 1] == '.')
		n--;
	if (n + 1 > *cap) {
		*cap = n + 64;
		*buf = xrealloc(*buf, *cap);
	}
	for (i = 0; i < n; i++) {
		char c = s[i];

		(*buf)[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	(*buf)[n] = '\0';
	if ((len = ip_canon(*buf, n, ipbuf)) > 0)
		goto literal;
	if (host_mode || n == 0)
		return n;
	if (is_ascii(*buf, n) && (len = known_reg(*buf, n, found)) > 0) {
		memmove(*buf, *buf + n - len, len + 1);
		*isreg = 1;
		return len;
	}
	reg = psl_registrable_domain(psl, *buf);
	if (reg == NULL)
		return n;
	*isreg = 1;
	if (reg == *buf)
		return n;
	len = n - (size_t)(reg - *buf);
	memmove(*buf, reg, len + 1);
	return len;
literal:
	if (len + 1 > *cap) {
		*cap = len + 64;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf, ipbuf, len + 1);
	return len;
}

/*
 * load_rules: the names of the public suffix list's rules and their
 * parents (see psl_anc); NULL when the file is not the text form (a
 * DAFSA file works with libpsl but every host then costs a lookup).
 */
struct map *
load_rules(const char *path)
{
	struct line_reader *lr = line_open(path, 0);
	struct map *set;
	const char *s;
	size_t n;
	int rc;

	if (lr == NULL)
		exit(EXIT_ERROR);
	set = map_new(0);
	while ((rc = line_next(lr, &s, &n)) == LINE_OK) {
		const char *sp;

		if (line_number(lr) == 1 && n >= 6 &&
		    memcmp(s, ".DAFSA", 6) == 0)
			break;
		if (n == 0 || (n >= 2 && s[0] == '/' && s[1] == '/'))
			continue;
		if ((sp = memchr(s, ' ', n)) != NULL)
			n = (size_t)(sp - s);
		if ((sp = memchr(s, '\t', n)) != NULL)
			n = (size_t)(sp - s);
		if (n && s[0] == '!')
			s++, n--;
		if (n >= 2 && s[0] == '*' && s[1] == '.')
			s += 2, n -= 2;
		while (n > 0) {
			map_put(set, s, n, NULL);
			sp = memchr(s, '.', n);
			if (sp == NULL)
				break;
			n -= (size_t)(sp + 1 - s);
			s = sp + 1;
		}
	}
	if (rc != LINE_OK && rc != LINE_EOF) {
		line_close(lr);
		map_free(set);
		errx(EXIT_ERROR, "%s: cannot read the public suffix list",
		    path);
	}
	if (rc == LINE_OK) {	/* DAFSA */
		line_close(lr);
		map_free(set);
		return NULL;
	}
	line_close(lr);
	return set;
}

/* dom_get: the entry of ranked name s[0..n), created when new; NULL when
 * the table is full.  The pointer is good until the next insertion. */
static struct dom *
dom_get(const char *s, size_t n, int isreg)
{
	uint64_t h = hash_bytes(s, n);
	uint32_t h32 = (uint32_t)(h >> 32);
	size_t i = h32 & dix_mask;
	struct dom *d;

	for (; dix[i] != 0; i = (i + 1) & dix_mask) {
		d = &dv[(uint32_t)dix[i] - 1];
		if ((uint32_t)(dix[i] >> 32) == h32 && d->name_len == n &&
		    memcmp(names + d->name_off, s, n) == 0)
			return d;
	}
	if (dn >= max_keys || n >= UINT32_MAX - names_len)
		return NULL;
	if (dn == dcap) {
		dcap = dcap ? dcap + dcap / 2 : 1024;
		dv = xreallocarray(dv, dcap, sizeof *dv);
	}
	if (names_len + n + 1 > names_cap) {
		while (names_len + n + 1 > names_cap)
			names_cap = names_cap ? 2 * names_cap : 65536;
		names = xrealloc(names, names_cap);
	}
	d = &dv[dn];
	memset(d, 0, sizeof *d);
	d->name_off = (uint32_t)names_len;
	d->name_len = (uint32_t)n;
	memcpy(names + names_len, s, n);
	names[names_len + n] = '\0';
	names_len += n + 1;
	d->first = TM_NONE;
	d->last = TM_NONE;
	if (suffix_in(known, s, n))
		d->flags |= D_KNOWN;
	if (suffix_in(watch, s, n))
		d->flags |= D_WATCH;
	if (isreg)
		d->flags |= D_REG;
	dix[i] = (uint64_t)h32 << 32 | (uint32_t)(dn + 1);
	dn++;
	if (dn * 4 > (dix_mask + 1) * 3) {
		/* grow the index: re-place every slot by its stored hash */
		size_t nm = 2 * (dix_mask + 1) - 1, j;
		uint64_t *nx = xcalloc(nm + 1, sizeof *nx);

		for (j = 0; j <= dix_mask; j++) {
			size_t k;

			if (dix[j] == 0)
				continue;
			for (k = (dix[j] >> 32) & nm; nx[k]; k = (k + 1) & nm)
				;
			nx[k] = dix[j];
		}
		free(dix);
		dix = nx;
		dix_mask = nm;
	}
	return d;
}

/* dom_find: the entry of name s[0..n), or NULL. */
static struct dom *
dom_find(const char *s, size_t n)
{
	uint32_t h32 = (uint32_t)(hash_bytes(s, n) >> 32);
	size_t i = h32 & dix_mask;

	for (; dix[i] != 0; i = (i + 1) & dix_mask) {
		struct dom *d = &dv[(uint32_t)dix[i] - 1];

		if ((uint32_t)(dix[i] >> 32) == h32 && d->name_len == n &&
		    memcmp(names + d->name_off, s, n) == 0)
			return d;
	}
	return NULL;
}

/* tail_is: name is the tail of raw host s[0..n) (ignoring ASCII case, a
 * port and trailing dots), starting at a label boundary. */
static int
tail_is(const char *s, size_t n, const char *name, size_t nn)
{
	size_t i;

	while (n > 0 && (s[n - 1] == '.' || (s[n - 1] >= '0' &&
	    s[n - 1] <= '9' && memchr(s, ':', n) != NULL &&
	    memchr(s, ':', n) == memrchr(s, ':', n))))
		n--;
	if (n > 0 && s[n - 1] == ':')
		n--;
	if (nn > n || (nn < n && s[n - nn - 1] != '.'))
		return 0;
	s += n - nn;
	for (i = 0; i < nn; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != name[i])
			return 0;
	}
	return 1;
}

/*
 * A host the cache does not know is most often under a registrable domain
 * already held, one label up: known_reg then reads that name's index slot,
 * its counters and its public suffix ancestry, three cold cache lines.
 * miss_prefetch0 hashes that parent and starts loading the index slot and
 * the ancestry slot; miss_prefetch1, some records later, the counters and
 * the ancestry entry.  Only hints: a wrong guess costs a hash.
 */
uint64_t
miss_prefetch0(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);
	uint64_t h;

	if (dot == NULL || psl_anc == NULL)
		return 0;
	n -= (size_t)(dot + 1 - s);
	s = dot + 1;
	if (memchr(s, '.', n) == NULL)
		return 0;
	h = hash_bytes(s, n);
	__builtin_prefetch(&dix[(uint32_t)(h >> 32) & dix_mask]);
	map_prefetch(psl_anc, h, 0);
	return h;
}

void
miss_prefetch1(uint64_t h)
{
	uint64_t slot = dix[(uint32_t)(h >> 32) & dix_mask];

	if (slot != 0 && (uint32_t)slot - 1 < dn)
		__builtin_prefetch(&dv[(uint32_t)slot - 1]);
	map_prefetch(psl_anc, h, 1);
}

/* dom_of_host: the entry for raw host text, through the cache. */
struct dom *
dom_of_host(const char *s, size_t n, uint64_t h, int *noname)
{
	static char *buf;
	static size_t cap;
	struct cslot *slot;
	struct dom *d;
	size_t len;
	int isreg;

	slot = CSLOT(h);
	if (slot->tag == CTAG(h)) {
		d = &dv[slot->idx];
		if (tail_is(s, n, names + d->name_off, d->name_len))
			return d;
	}
	*noname = 0;
	len = name_of(s, n, &buf, &cap, &isreg, &d);
	if (len == 0) {
		*noname = 1;
		return NULL;
	}
	if (d == NULL)
		d = dom_get(buf, len, isreg);
	if (d == NULL)
		return NULL;
	slot->tag = CTAG(h);
	slot->idx = (uint32_t)(d - dv);
	return d;
}

const char *
dom_name(const struct dom *d, size_t *n)
{
	*n = d->name_len;
	return names + d->name_off;
}

int
cmp_name(const struct dom *a, const struct dom *b)
{
	size_t an, bn;
	const char *as = dom_name(a, &an), *bs = dom_name(b, &bn);
	int c = memcmp(as, bs, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

void
names_init(void)
{
	dix_mask = 1023;
	dix = xcalloc(dix_mask + 1, sizeof *dix);
	cache = xcalloc((size_t)1 << CACHE_BITS, sizeof *cache);
}

void
names_free(void)
{
	free(dv);
	free(names);
	free(dix);
	free(cache);
	if (known)
		map_free(known);
	if (watch)
		map_free(watch);
	psl_free(psl);
	if (psl_anc)
		map_free(psl_anc);
}
