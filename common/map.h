/*
 * map: hash tables keyed by byte strings (addresses are keyed by their
 * 16 bytes), with a fixed-size value per table stored beside the key.
 * Value pointers stay valid until the entry is deleted or the map freed,
 * whatever else is inserted.  Values are 8-byte aligned (not 16: copy
 * __int128 and long double members in and out with memcpy).  The hash is seeded per process so an
 * attacker who writes log lines cannot aim collisions at us.
 *
 * Memory per entry: one 16-byte slot in the index (kept under 3/4 full),
 * plus 8 + valsize + klen bytes rounded up to 16 from a pool of 2 MiB
 * chunks (entries over 512 bytes come from malloc).
 */
#ifndef KZ_MAP_H
#define KZ_MAP_H

#include <stddef.h>
#include <stdint.h>

struct map;

/* map_new: empty map whose values are valsize bytes (may be 0). */
struct map *map_new(size_t valsize);
/* map_free: frees the map, its keys and values. */
void map_free(struct map *m);

/* map_get: the value stored under key, or NULL. */
void *map_get(const struct map *m, const void *key, size_t klen);

/* map_put: the value under key, inserting a zero-filled one if absent;
 * *isnew (if not NULL) says which.  The key is copied. */
void *map_put(struct map *m, const void *key, size_t klen, int *isnew);

/*
 * For loops that look up many keys at random: hash a key ahead of use,
 * map_prefetch(m, h, 0) to start loading its index slot, later
 * map_prefetch(m, h, 1) to start loading its entry (once the slot is in
 * cache), and finally map_put_hashed with the same hash.  The cache
 * misses of several keys then overlap instead of adding up.
 */
void map_prefetch(const struct map *m, uint64_t h, int stage);
void *map_put_hashed(struct map *m, const void *key, size_t klen,
    uint64_t h, int *isnew);

/* map_del: remove key; returns 1 if it was there. */
int map_del(struct map *m, const void *key, size_t klen);

/* map_count: number of entries. */
size_t map_count(const struct map *m);

/* map_bytes: approximate heap bytes held (index + entries). */
size_t map_bytes(const struct map *m);

/* map_clear: remove every entry, keep the index size. */
void map_clear(struct map *m);

/*
 * Iteration in unspecified order: start with it = 0, call until it
 * returns NULL.  Neither inserting nor deleting during iteration is
 * allowed: a deletion moves later entries back (collect keys first).
 */
void *map_next(const struct map *m, size_t *it);

/* map_key: the key of a value pointer returned by this map (not
 * NUL-terminated; its length goes to *klen). */
const void *map_key(const struct map *m, const void *val, size_t *klen);

/* hash_bytes: the seeded 64-bit hash used by maps. */
uint64_t hash_bytes(const void *p, size_t n);

#endif
