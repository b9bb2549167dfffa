/*
 * ip: addresses in one 16-byte form.  IPv4 text is parsed by hand (the
 * hot path of every detector); IPv6 goes through inet_pton and inet_ntop,
 * whose output glibc already gives in RFC 5952 form.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "map.h"
#include "util.h"

static const uint8_t v4prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
    0xff };

int
ip_is4(const struct ip_addr *a)
{
	return memcmp(a->b, v4prefix, 12) == 0;
}

/* parse4: strict dotted quad (no leading zeros: "010" is ambiguous). */
static int
parse4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t start = i;

		while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return -1;
		out[part] = (uint8_t)v;
		if (part < 3) {
			if (i >= n || s[i] != '.')
				return -1;
			i++;
		}
	}
	return i == n ? 0 : -1;
}

int
ip_parse(const char *s, size_t n, struct ip_addr *a)
{
	char tmp[IP_STRLEN + 2];
	const char *pct;

	if (n >= 7 && n <= 15 && parse4(s, n, a->b + 12) == 0) {
		memcpy(a->b, v4prefix, 12);
		return 0;
	}
	/* Longer than any address with brackets and a zone: not one.  (A
	 * parser may try many spans; this keeps each try short.) */
	if (n > IP_STRLEN + 2 + 64)
		return -1;
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if ((pct = memchr(s, '%', n)) != NULL)
		n = (size_t)(pct - s);	/* drop a zone index */
	if (n < 2 || n > IP_STRLEN - 1 || memchr(s, ':', n) == NULL)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return inet_pton(AF_INET6, tmp, a->b) == 1 ? 0 : -1;
}

size_t
ip_format(const struct ip_addr *a, char *buf)
{
	if (ip_is4(a)) {
		char *p = buf;

		for (int i = 12; i < 16; i++) {
			unsigned v = a->b[i];

			if (v >= 100)
				*p++ = (char)('0' + v / 100);
			if (v >= 10)
				*p++ = (char)('0' + v / 10 % 10);
			*p++ = (char)('0' + v % 10);
			if (i < 15)
				*p++ = '.';
		}
		*p = '\0';
		return (size_t)(p - buf);
	}
	if (inet_ntop(AF_INET6, a->b, buf, IP_STRLEN) == NULL) {
		buf[0] = '\0';
		return 0;
	}
	return strlen(buf);
}

size_t
ip_canon(const char *s, size_t n, char *buf)
{
	struct ip_addr a;

	if (ip_parse(s, n, &a) != 0)
		return 0;
	return ip_format(&a, buf);
}

/* abs_plen: prefix length counted over all 128 bits. */
static int
abs_plen(const struct ip_addr *a, int plen)
{
	return ip_is4(a) ? plen + 96 : plen;
}

/* mask_abs: keep the first bits of the 128, two words at a time. */
static void
mask_abs(struct ip_addr *a, int bits)
{
	uint64_t w[2], m[2];

	for (int i = 0; i < 2; i++) {
		int k = bits - 64 * i;

		m[i] = k >= 64 ? ~0ULL : k <= 0 ? 0 : ~0ULL << (64 - k);
		/* The address is in network order: mask in the same. */
		m[i] = __builtin_bswap64(m[i]);
	}
	memcpy(w, a->b, 16);
	w[0] &= m[0];
	w[1] &= m[1];
	memcpy(a->b, w, 16);
}

void
ip_mask(struct ip_addr *a, int plen)
{
	mask_abs(a, abs_plen(a, plen));
}

int
ip_net_parse(const char *s, size_t n, struct ip_net *net)
{
	const char *slash = memchr(s, '/', n);
	struct ip_addr m;
	long long plen;
	int max;

	if (ip_parse(s, slash ? (size_t)(slash - s) : n, &net->addr) != 0)
		return -1;
	max = ip_is4(&net->addr) ? 32 : 128;
	if (slash == NULL) {
		net->plen = max;
		return 0;
	}
	if (parse_num_span(slash + 1, n - (size_t)(slash + 1 - s), 0, max,
	    &plen) != 0)
		return -1;
	net->plen = (int)plen;
	m = net->addr;
	ip_mask(&m, net->plen);
	if (memcmp(&m, &net->addr, sizeof m) != 0)
		return -1;	/* host bits set: probably a typo */
	return 0;
}

int
ip_net_contains(const struct ip_net *net, const struct ip_addr *a)
{
	struct ip_addr m = *a;

	if (ip_is4(&net->addr) != ip_is4(a))
		return 0;
	ip_mask(&m, net->plen);
	return memcmp(&m, &net->addr, sizeof m) == 0;
}

int
ip_is_private(const struct ip_addr *a)
{
	const uint8_t *b = a->b;
	static const uint8_t lo6[16] = { [15] = 1 };

	if (ip_is4(a)) {
		return b[12] == 10 || b[12] == 127 ||
		    (b[12] == 172 && (b[13] & 0xf0) == 16) ||
		    (b[12] == 192 && b[13] == 168) ||
		    (b[12] == 169 && b[13] == 254);
	}
	return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe &&
	    (b[1] & 0xc0) == 0x80) || memcmp(b, lo6, 16) == 0;
}

/* ---- prefix sets: one exact-match table per prefix length ---- */

/*
 * Logs name the same few addresses over and over, so each set keeps a
 * direct-mapped cache of recent answers in front of the tables.
 */
#define CACHE_SLOTS 4096

struct cache_slot {
	struct ip_addr	 addr;
	void		*val;
	int		 used;
};

struct ip_set {
	struct map	*bylen[129];	/* absolute prefix length */
	int		 lens[129];	/* distinct lengths, longest first */
	int		 nlens;
	size_t		 count;
	struct cache_slot *cache;	/* CACHE_SLOTS, or NULL until used */
};

static size_t
cache_index(const struct ip_addr *a)
{
	uint64_t x, y;

	memcpy(&x, a->b, 8);
	memcpy(&y, a->b + 8, 8);
	x ^= y * 0x9e3779b97f4a7c15ULL;
	return (size_t)((x * 0xff51afd7ed558ccdULL) >> 52) & (CACHE_SLOTS - 1);
}

struct ip_set *
ip_set_new(void)
{
	return xcalloc(1, sizeof(struct ip_set));
}

void
ip_set_free(struct ip_set *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i <= 128; i++)
		map_free(s->bylen[i]);
	free(s->cache);
	free(s);
}

void *
ip_set_add(struct ip_set *s, const struct ip_net *net, void *val)
{
	int len = abs_plen(&net->addr, net->plen), isnew;
	void **slot, *old;

	if (s->bylen[len] == NULL) {
		int i;

		s->bylen[len] = map_new(sizeof(void *));
		for (i = s->nlens; i > 0 && s->lens[i - 1] < len; i--)
			s->lens[i] = s->lens[i - 1];
		s->lens[i] = len;
		s->nlens++;
	}
	slot = map_put(s->bylen[len], net->addr.b, 16, &isnew);
	old = isnew ? NULL : *slot;
	if (s->cache != NULL)
		memset(s->cache, 0, CACHE_SLOTS * sizeof *s->cache);
	*slot = val;
	if (isnew)
		s->count++;
	return old;
}

void *
ip_set_lookup(const struct ip_set *cs, const struct ip_addr *a)
{
	/* The cache changes, the answers do not: const to the caller. */
	struct ip_set *s = (struct ip_set *)cs;
	struct cache_slot *c;
	void *val = NULL;

	if (s->nlens == 0)
		return NULL;
	if (s->cache == NULL)
		s->cache = xcalloc(CACHE_SLOTS, sizeof *s->cache);
	c = &s->cache[cache_index(a)];
	if (c->used && memcmp(&c->addr, a, sizeof *a) == 0)
		return c->val;
	for (int i = 0; i < s->nlens; i++) {
		struct ip_addr m = *a;
		void **slot;

		mask_abs(&m, s->lens[i]);
		slot = map_get(s->bylen[s->lens[i]], m.b, 16);
		if (slot != NULL) {
			val = *slot;
			break;
		}
	}
	c->addr = *a;
	c->val = val;
	c->used = 1;
	return val;
}

size_t
ip_set_count(const struct ip_set *s)
{
	return s->count;
}
