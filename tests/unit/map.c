/* Unit tests: common/map.c, including deletion's backward shift. */
#include <stdint.h>
#include <stdlib.h>

#include "map.h"
#include "tap.h"

int
main(void)
{
	struct map *m = map_new(sizeof(uint64_t));
	uint64_t *v;
	char key[32];
	int isnew, bad = 0;
	size_t it, seen = 0;

	v = map_put(m, "a", 1, &isnew);
	ok(isnew && *v == 0, "map: new value zeroed");
	*v = 7;
	v = map_put(m, "a", 1, &isnew);
	ok(!isnew && *v == 7, "map: same key same value");
	ok(map_get(m, "b", 1) == NULL, "map: miss");
	ok(map_get(m, "", 0) == NULL, "map: empty key miss");
	map_put(m, "", 0, NULL);
	ok(map_get(m, "", 0) != NULL, "map: empty key is a key");

	/* Stability of value pointers across growth. */
	v = map_get(m, "a", 1);
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof key, "key%d", i);
		uint64_t *x = map_put(m, key, (size_t)n, NULL);
		*x = (uint64_t)i;
	}
	ok(map_get(m, "a", 1) == v && *v == 7, "map: pointer stable after growth");
	ok(map_count(m) == 100002, "map: count");
	for (int i = 0; i < 100000; i += 2) {
		int n = snprintf(key, sizeof key, "key%d", i);
		if (!map_del(m, key, (size_t)n))
			bad++;
	}
	ok(bad == 0 && map_count(m) == 50002, "map: delete half");
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof key, "key%d", i);
		uint64_t *x = map_get(m, key, (size_t)n);
		if ((i % 2 == 0) != (x == NULL) || (x && *x != (uint64_t)i))
			bad++;
	}
	ok(bad == 0, "map: every survivor found after backward shifts");
	ok(map_del(m, "nope", 4) == 0, "map: deleting a missing key");
	it = 0;
	while ((v = map_next(m, &it)) != NULL) {
		size_t kl;
		const char *k = map_key(m, v, &kl);
		if (kl > 3 && memcmp(k, "key", 3) == 0 && *v % 2 == 0)
			bad++;
		seen++;
	}
	ok(bad == 0 && seen == 50002, "map: iteration sees every entry once");
	ok(map_bytes(m) > 50002 * 16, "map: bytes accounts for entries");
	map_clear(m);
	ok(map_count(m) == 0 && map_get(m, "a", 1) == NULL, "map: clear");
	map_free(m);
	ok(hash_bytes("abc", 3) == hash_bytes("abc", 3) &&
	    hash_bytes("abc", 3) != hash_bytes("abd", 3) &&
	    hash_bytes("abc", 3) != hash_bytes("abc\0", 4),
	    "map: hash distinguishes bytes and lengths");
	return tap_done();
}
