/*
 * map: open addressing with linear probing over an index of (hash, entry)
 * slots; entries are separate allocations so value pointers never move.
 * Deletion shifts later slots back (no tombstones), so long-running
 * detectors that expire keys keep probe lengths short.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "map.h"
#include "util.h"

struct entry {
	uint32_t	klen;
	uint32_t	cls;		/* size class in the pool, or BIG */
	/* value (valsize bytes, 8-aligned), then the key bytes */
};

/*
 * Entries up to POOL_MAX bytes come from 2 MiB chunks (on huge pages when
 * the kernel allows), with a free list per 16-byte size class: no malloc
 * header per entry, and entries made together sit together.
 */
#define POOL_CHUNK	(2u << 20)
#define POOL_MAX	512
#define NCLASS		(POOL_MAX / 16)
#define BIG		UINT32_MAX

struct chunk {
	struct chunk	*next;
	size_t		 used;
	/* bytes follow, 16-aligned */
};

struct freeent {
	struct freeent	*next;
};

struct slot {
	uint64_t	 hash;		/* 0 means empty */
	struct entry	*e;
};

struct map {
	struct slot	*slots;
	size_t		 mask;		/* slots - 1, a power of two less one */
	size_t		 count;
	size_t		 valsize;	/* rounded up to 8 */
	size_t		 keybytes;	/* sum of key lengths, for map_bytes */
	size_t		 entbytes;	/* bytes of entries in use */
	struct chunk	*chunks;
	struct freeent	*freelist[NCLASS];
};

static void *
chunk_new(void)
{
	void *p;

	if (posix_memalign(&p, POOL_CHUNK, POOL_CHUNK) != 0)
		p = xmalloc(POOL_CHUNK);
	else
		madvise(p, POOL_CHUNK, MADV_HUGEPAGE);
	return p;
}

static struct entry *
entry_alloc(struct map *m, size_t size)
{
	size_t cls, rounded = (size + 15) & ~(size_t)15;
	struct entry *e;

	if (rounded > POOL_MAX) {
		e = xmalloc(size);
		e->cls = BIG;
		m->entbytes += size + 16;
		return e;
	}
	cls = rounded / 16 - 1;
	if (m->freelist[cls] != NULL) {
		e = (struct entry *)m->freelist[cls];
		m->freelist[cls] = m->freelist[cls]->next;
	} else {
		struct chunk *c = m->chunks;
		size_t hdr = (sizeof *c + 15) & ~(size_t)15;

		if (c == NULL || c->used + rounded > POOL_CHUNK) {
			c = chunk_new();
			c->next = m->chunks;
			c->used = hdr;
			m->chunks = c;
		}
		e = (struct entry *)((char *)c + c->used);
		c->used += rounded;
	}
	e->cls = (uint32_t)cls;
	m->entbytes += rounded;
	return e;
}

static void
entry_free(struct map *m, struct entry *e)
{
	struct freeent *f;

	if (e->cls == BIG) {
		m->entbytes -= sizeof *e + m->valsize + e->klen + 16;
		free(e);
		return;
	}
	m->entbytes -= (e->cls + 1) * 16;
	f = (struct freeent *)e;
	f->next = m->freelist[e->cls];
	m->freelist[e->cls] = f;
}

static uint64_t seed0, seed1;

static void
seed_init(void)
{
	uint64_t s[2];

	if (getrandom(s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s) {
		s[0] = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL;
		s[1] = (uint64_t)getpid() * 0xc2b2ae3d27d4eb4fULL;
	}
	seed0 = s[0] | 1;
	seed1 = s[1];
}

static inline uint64_t
mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/*
 * hash_bytes: 8 bytes at a time through a 64x64->128 multiply, folded,
 * with a per-process random seed: fast on short keys (addresses, ports,
 * host names) and not predictable by whoever wrote the log line.
 */
uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h, a, b;

	if (seed0 == 0)
		seed_init();
	h = seed1 ^ mix(n + seed0, 0x9e3779b97f4a7c15ULL);
	while (n >= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		h = mix(a ^ seed0 ^ h, b ^ 0xa0761d6478bd642fULL);
		s += 16;
		n -= 16;
	}
	a = b = 0;
	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else if (n > 0) {
		/* Pack up to 7 bytes; lengths differ through the seed mix. */
		memcpy(&a, s, n);
	}
	h = mix(a ^ seed0 ^ h, b ^ 0xe7037ed1a0b428dbULL);
	h = mix(h, 0x8ebc6af09c88c6e3ULL);
	return h ? h : 1;	/* 0 marks an empty slot */
}

/*
 * slots_alloc: a zeroed index.  Big ones are asked for on huge pages:
 * lookups land at random places, and with 4 KiB pages most of them would
 * also miss the TLB.
 */
static struct slot *
slots_alloc(size_t n)
{
	size_t bytes = n * sizeof(struct slot);
	const size_t huge = 2u << 20;
	void *p;

	if (bytes < huge)
		return xcalloc(n, sizeof(struct slot));
	if (posix_memalign(&p, huge, bytes) != 0)
		return xcalloc(n, sizeof(struct slot));
	madvise(p, bytes, MADV_HUGEPAGE);
	memset(p, 0, bytes);
	return p;
}

struct map *
map_new(size_t valsize)
{
	struct map *m = xcalloc(1, sizeof *m);

	m->valsize = (valsize + 7) & ~(size_t)7;
	m->mask = 15;
	m->slots = slots_alloc(m->mask + 1);
	return m;
}

static inline void *
entry_val(struct entry *e)
{
	return e + 1;
}

static inline unsigned char *
entry_key(const struct map *m, struct entry *e)
{
	return (unsigned char *)(e + 1) + m->valsize;
}

void
map_clear(struct map *m)
{
	for (size_t i = 0; i <= m->mask; i++) {
		if (m->slots[i].hash && m->slots[i].e->cls == BIG)
			free(m->slots[i].e);
		m->slots[i].e = NULL;
		m->slots[i].hash = 0;
	}
	while (m->chunks != NULL) {
		struct chunk *c = m->chunks;

		m->chunks = c->next;
		free(c);
	}
	memset(m->freelist, 0, sizeof m->freelist);
	m->count = 0;
	m->keybytes = 0;
	m->entbytes = 0;
}

void
map_free(struct map *m)
{
	if (m == NULL)
		return;
	map_clear(m);
	free(m->slots);
	free(m);
}

static struct slot *
find(const struct map *m, const void *key, size_t klen, uint64_t h)
{
	size_t i = h & m->mask;

	for (;; i = (i + 1) & m->mask) {
		struct slot *s = &m->slots[i];

		if (s->hash == 0)
			return s;
		if (s->hash == h && s->e->klen == klen &&
		    memcmp(entry_key(m, s->e), key, klen) == 0)
			return s;
	}
}

void *
map_get(const struct map *m, const void *key, size_t klen)
{
	struct slot *s = find(m, key, klen, hash_bytes(key, klen));

	return s->hash ? entry_val(s->e) : NULL;
}

static void
rehash(struct map *m)
{
	size_t oldn = m->mask + 1;
	struct slot *old = m->slots;

	m->mask = oldn * 2 - 1;
	m->slots = slots_alloc(m->mask + 1);
	for (size_t i = 0; i < oldn; i++) {
		size_t j;

		if (old[i].hash == 0)
			continue;
		for (j = old[i].hash & m->mask; m->slots[j].hash;
		    j = (j + 1) & m->mask)
			;
		m->slots[j] = old[i];
	}
	free(old);
}

void
map_prefetch(const struct map *m, uint64_t h, int stage)
{
	size_t i = h & m->mask;

	if (stage == 0) {
		__builtin_prefetch(&m->slots[i]);
		return;
	}
	/* Most keys sit at or just after their home slot. */
	for (int k = 0; k < 4 && m->slots[i].hash != 0; k++) {
		if (m->slots[i].hash == h) {
			__builtin_prefetch(m->slots[i].e);
			return;
		}
		i = (i + 1) & m->mask;
	}
}

void *
map_put(struct map *m, const void *key, size_t klen, int *isnew)
{
	return map_put_hashed(m, key, klen, hash_bytes(key, klen), isnew);
}

void *
map_put_hashed(struct map *m, const void *key, size_t klen, uint64_t h,
    int *isnew)
{
	struct slot *s = find(m, key, klen, h);
	struct entry *e;

	if (s->hash) {
		if (isnew)
			*isnew = 0;
		return entry_val(s->e);
	}
	if (klen > UINT32_MAX)
		klen = UINT32_MAX;	/* keys are never that long */
	if ((m->count + 1) * 4 > (m->mask + 1) * 3) {
		rehash(m);
		s = find(m, key, klen, h);
	}
	e = entry_alloc(m, sizeof *e + m->valsize + klen);
	e->klen = (uint32_t)klen;
	memset(entry_val(e), 0, m->valsize);
	memcpy(entry_key(m, e), key, klen);
	s->hash = h;
	s->e = e;
	m->count++;
	m->keybytes += klen;
	if (isnew)
		*isnew = 1;
	return entry_val(e);
}

int
map_del(struct map *m, const void *key, size_t klen)
{
	uint64_t h = hash_bytes(key, klen);
	struct slot *s = find(m, key, klen, h);
	size_t i, j;

	if (s->hash == 0)
		return 0;
	m->keybytes -= s->e->klen;
	entry_free(m, s->e);
	m->count--;
	/* Backward-shift: move later members of the run into the hole. */
	i = (size_t)(s - m->slots);
	for (j = (i + 1) & m->mask; m->slots[j].hash; j = (j + 1) & m->mask) {
		size_t home = m->slots[j].hash & m->mask;

		/* Move j to i unless its home lies cyclically in (i, j]. */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].hash = 0;
	m->slots[i].e = NULL;
	return 1;
}

size_t
map_count(const struct map *m)
{
	return m->count;
}

size_t
map_bytes(const struct map *m)
{
	return (m->mask + 1) * sizeof(struct slot) + m->entbytes;
}

void *
map_next(const struct map *m, size_t *it)
{
	while (*it <= m->mask) {
		struct slot *s = &m->slots[(*it)++];

		if (s->hash)
			return entry_val(s->e);
	}
	return NULL;
}

const void *
map_key(const struct map *m, const void *val, size_t *klen)
{
	struct entry *e = (struct entry *)val - 1;

	*klen = e->klen;
	return entry_key(m, e);
}
