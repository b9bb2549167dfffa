/*
 * domrank internals shared by its files:
 *   domrank.c   main(), options, reading events and partials, output
 *   names.c     the ranked names: host to registrable domain (libpsl and
 *               a host cache), the name table
 *   sets.c      clients and the distinct-client sets and sketches
 */
#ifndef DOMRANK_H
#define DOMRANK_H

#include <stddef.h>
#include <stdint.h>

#include <libpsl.h>

#include "map.h"
#include "site.h"

/*
 * Distinct clients per name: an exact sorted array of client ids while
 * there are at most EXACT_MAX, then a HyperLogLog sketch of HLL_M one-byte
 * registers.  Both are functions of the set alone (the sketch hashes the
 * client's text with an unseeded hash), so merging partial results gives
 * exactly what one run over all the input gives.
 */
#define EXACT_MAX 32
#define HLL_P 9
#define HLL_M (1u << HLL_P)
#define HLL_TAG "hll9:"	/* the sketch's form in --partial output */
#define HLL_TAGLEN 5
#define SET_HLL 0xffff		/* set_cap value of a name in sketch mode */

#define CACHE_BITS 19		/* raw host -> name cache: 2^19 slots, 4 MiB */
#define CLIENTS_MAX (1u << 20)	/* distinct clients held */

/* D_REG: the name is a registrable domain (libpsl said so). */
enum { D_WATCH = 1, D_KNOWN = 2, D_GONE = 4, D_REG = 8 };

/* One ranked name: 56 bytes in a dense array, its name in an arena. */
struct dom {
	uint64_t	 req;
	uint64_t	 bytes;
	int64_t		 first, last;
	uint32_t	 nclients;	/* exact count (sketch: set by
					   finish_counts) */
	uint16_t	 set_cap;	/* 0: inline ids; SET_HLL: sketch */
	uint16_t	 flags;
	union {
		uint32_t	 two[2];	/* up to two clients, set_cap 0 */
		uint32_t	*ids;	/* sorted ids, set_cap slots */
		uint8_t		*hll;	/* HLL_M registers */
	} set;
	uint32_t	 name_off;	/* into names[] */
	uint32_t	 name_len;
};

/* A client, by id: its text (the map's key), its unseeded hash and
 * whether the inventory calls it a proxy. */
struct client {
	const char	*name;		/* not NUL-terminated */
	uint32_t	 len;
	uint32_t	 proxy;		/* inventory role "proxy" */
	uint64_t	 hash;		/* for sketches */
};

/*
 * The host cache spares most records the public suffix lookup (about a
 * microsecond) and the name table's probes: a direct-mapped array of
 * slots keyed by the seeded hash of the raw host text (its top CACHE_BITS
 * pick the slot, its low 32 bits are the tag; never 0, so an empty slot
 * matches nothing).  A slot is only trusted when its name is also the
 * host's own tail, so a collision cannot credit the wrong name.
 */
struct cslot {
	uint32_t	 tag;
	uint32_t	 idx;		/* into dv[] */
};
#define CSLOT(h) (&cache[(h) >> (64 - CACHE_BITS)])
#define CTAG(h) ((uint32_t)(h))

/* names.c */
extern int host_mode;			/* -H */
extern unsigned long long max_keys;	/* -x */
extern psl_ctx_t *psl;
extern struct map *psl_anc, *known, *watch;
extern struct dom *dv;			/* the names, dn of them */
extern size_t dn;
extern char *names;			/* their text, NUL-ended */
extern struct cslot *cache;

/* names_init / names_free: the empty table and cache; everything. */
void names_init(void);
void names_free(void);
/* load_rules: the rule set psl_anc from the list file, or NULL when it
 * is not the text form. */
struct map *load_rules(const char *path);
/* suffix_in: s[0..n) or one of its parent names is in set. */
int suffix_in(const struct map *set, const char *s, size_t n);
/* dom_of_host: the counters for raw host text s[0..n) of cache hash h
 * (hash_bytes | 1), created when new; NULL past --max-keys, or with
 * *noname set when nothing of the text is a name ("..", ":80").  The
 * pointer is good until the next name is added. */
struct dom *dom_of_host(const char *s, size_t n, uint64_t h, int *noname);
/* miss_prefetch0: start loading what resolving raw host s[0..n) past
 * the cache will read first; the hash for miss_prefetch1, or 0. */
uint64_t miss_prefetch0(const char *s, size_t n);
/* miss_prefetch1: the next lines, once those of miss_prefetch0 are in. */
void miss_prefetch1(uint64_t h);
/* dom_name: d's name and its length. */
const char *dom_name(const struct dom *d, size_t *n);
/* cmp_name: d's names in byte order. */
int cmp_name(const struct dom *a, const struct dom *b);

/* sets.c */
extern const struct site *site;		/* -a: the inventory */
extern struct map *clients;		/* client text -> uint32_t id */
extern struct client *cl;		/* id -> client */
extern unsigned long long over_clients;

/* is_proxy: client text s[0..n) is an address whose inventory role is
 * "proxy". */
int is_proxy(const char *s, size_t n);
/* client_id: the id of client text s[0..n), interned; UINT32_MAX when
 * the client table is full (counted in over_clients). */
uint32_t client_id(const char *s, size_t n);
/* client_id_hashed: the same, for s's hash_bytes h (see map_prefetch). */
uint32_t client_id_hashed(const char *s, size_t n, uint64_t h);
/* cmp_client: two clients' text in byte order. */
int cmp_client(uint32_t a, uint32_t b);
/* set_add: add client id to d's set; 1 when the exact set grew. */
int set_add(struct dom *d, uint32_t id);
/* set_ids: the exact set's sorted ids (d->nclients of them). */
const uint32_t *set_ids(const struct dom *d);
/* set_merge_sketch: fold registers reg[0..HLL_M) into d's set. */
void set_merge_sketch(struct dom *d, const uint8_t *reg);
/* dom_clients: distinct clients, exact or estimated (never below
 * EXACT_MAX + 1 for a sketch). */
uint64_t dom_clients(const struct dom *d);
/* finish_counts: every sketch's estimate into nclients, once reading is
 * over. */
void finish_counts(void);
/* sets_free: the clients and every set. */
void sets_free(void);

#endif
