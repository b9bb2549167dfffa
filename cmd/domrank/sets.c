/* sets: clients and the distinct clients of each ranked name. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domrank.h"
#include "ip.h"
#include "map.h"
#include "site.h"
#include "util.h"

const struct site *site;
struct map *clients;
struct client *cl;
unsigned long long over_clients;
static size_t cl_cap;
static int counts_final;

/* hash64: an unseeded 64-bit hash (FNV-1a, then a murmur3 finaliser);
 * sketches must agree across runs and machines. */
static uint64_t
hash64(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static void
hll_add(uint8_t *reg, uint64_t h)
{
	uint32_t idx = (uint32_t)(h >> (64 - HLL_P));
	uint64_t w = h << HLL_P;
	uint8_t rho = w ? (uint8_t)(__builtin_clzll(w) + 1) : 64 - HLL_P + 1;

	if (reg[idx] < rho)
		reg[idx] = rho;
}

/* hll_count: the HyperLogLog estimate with linear counting for small
 * sets (Flajolet et al. 2007). */
static uint64_t
hll_count(const uint8_t *reg)
{
	double sum = 0, m = HLL_M, e;
	unsigned zeros = 0, i;

	for (i = 0; i < HLL_M; i++) {
		sum += ldexp(1.0, -reg[i]);
		zeros += reg[i] == 0;
	}
	e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (e <= 2.5 * m && zeros)
		e = m * log(m / zeros);
	return (uint64_t)(e + 0.5);
}

/* dom_clients: distinct clients, exact or estimated; an estimate is
 * never below what the exact set holds at most. */
uint64_t
dom_clients(const struct dom *d)
{
	uint64_t e;

	if (d->set_cap != SET_HLL || counts_final)
		return d->nclients;
	e = hll_count(d->set.hll);
	return e <= EXACT_MAX ? EXACT_MAX + 1 : e;
}

int
is_proxy(const char *s, size_t n)
{
	struct ip_addr a;

	return site && !site_empty(site) && ip_parse(s, n, &a) == 0 &&
	    site_has_role(site, &a, "proxy");
}

/* client_id: the id of client text s[0..n), interned; UINT32_MAX when
 * the client table is full.  The inventory is asked once per client. */
uint32_t
client_id(const char *s, size_t n)
{
	return client_id_hashed(s, n, hash_bytes(s, n));
}

uint32_t
client_id_hashed(const char *s, size_t n, uint64_t h)
{
	uint32_t *id, next = (uint32_t)map_count(clients);
	int isnew;

	if (next >= CLIENTS_MAX || n > UINT32_MAX) {
		if ((id = map_get(clients, s, n)) != NULL)
			return *id;
		over_clients++;
		return UINT32_MAX;
	}
	id = map_put_hashed(clients, s, n, h, &isnew);
	if (!isnew)
		return *id;
	*id = next;
	if (next >= cl_cap) {
		cl_cap = cl_cap ? cl_cap * 2 : 1024;
		cl = xreallocarray(cl, cl_cap, sizeof *cl);
	}
	cl[next].name = map_key(clients, id, &n);
	cl[next].len = (uint32_t)n;
	cl[next].hash = hash64(s, n);
	cl[next].proxy = (uint32_t)is_proxy(s, n);
	return next;
}

int
cmp_client(uint32_t a, uint32_t b)
{
	uint32_t an = cl[a].len, bn = cl[b].len;
	int c = memcmp(cl[a].name, cl[b].name, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

/* set_ids: the exact set's sorted ids (nclients of them). */
const uint32_t *
set_ids(const struct dom *d)
{
	return d->set_cap == 0 ? d->set.two : d->set.ids;
}

static void
to_sketch(struct dom *d)
{
	uint8_t *reg = xcalloc(HLL_M, 1);
	const uint32_t *a = set_ids(d);
	uint32_t i;

	for (i = 0; i < d->nclients; i++)
		hll_add(reg, cl[a[i]].hash);
	if (d->set_cap != 0)
		free(d->set.ids);
	d->set.hll = reg;
	d->set_cap = SET_HLL;
}

/* set_add: add client id to d's set; returns 1 if it was new (exact
 * mode) so callers can track candidacy. */
int
set_add(struct dom *d, uint32_t id)
{
	uint32_t lo, hi, *a;

	if (id == UINT32_MAX)
		return 0;
	if (d->set_cap == SET_HLL) {
		hll_add(d->set.hll, cl[id].hash);
		return 0;
	}
	a = d->set_cap == 0 ? d->set.two : d->set.ids;
	lo = 0;
	hi = d->nclients;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (a[mid] < id)
			lo = mid + 1;
		else if (a[mid] > id)
			hi = mid;
		else
			return 0;
	}
	if (d->nclients == EXACT_MAX) {
		to_sketch(d);
		set_add(d, id);
		return 1;
	}
	if (d->set_cap == 0 && d->nclients == 2) {
		a = xmalloc(4 * sizeof *a);
		memcpy(a, d->set.two, sizeof d->set.two);
		d->set.ids = a;
		d->set_cap = 4;
	} else if (d->set_cap != 0 && d->nclients == d->set_cap) {
		d->set_cap *= 2;
		a = d->set.ids = xreallocarray(a, d->set_cap, sizeof *a);
	}
	memmove(a + lo + 1, a + lo, (d->nclients - lo) * sizeof *a);
	a[lo] = id;
	d->nclients++;
	return 1;
}

/* finish_counts: every sketch's estimate into nclients, once reading is
 * over (dom_clients then answers from it). */
void
finish_counts(void)
{
	size_t i;

	for (i = 0; i < dn; i++)
		if (dv[i].set_cap == SET_HLL) {
			uint64_t e = hll_count(dv[i].set.hll);

			/* a sketch holds more than the exact set could */
			if (e <= EXACT_MAX)
				e = EXACT_MAX + 1;
			dv[i].nclients = e > UINT32_MAX ? UINT32_MAX :
			    (uint32_t)e;
		}
	counts_final = 1;
}

void
set_merge_sketch(struct dom *d, const uint8_t *reg)
{
	uint32_t i;

	if (d->set_cap != SET_HLL)
		to_sketch(d);
	for (i = 0; i < HLL_M; i++)
		if (d->set.hll[i] < reg[i])
			d->set.hll[i] = reg[i];
}

void
sets_free(void)
{
	size_t i;

	for (i = 0; i < dn; i++)
		if (dv[i].set_cap == SET_HLL)
			free(dv[i].set.hll);
		else if (dv[i].set_cap)
			free(dv[i].set.ids);
	map_free(clients);
	free(cl);
}
