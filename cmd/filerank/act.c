/*
 * act: one act of a user on a file, however many records the audit
 * source writes for it.  A Windows file server logs one deletion over a
 * share as 5145 (the share access check asking for DELETE), 4663 (DELETE
 * used on the handle) and 4660 (the object deleted), within milliseconds;
 * a read is 5145 and 4663 alike.  Records of the same user, file and op
 * within the window of the first record of an act are that act again.
 * Recent acts wait in a FIFO (arrival order) and in a map keyed by (user,
 * file, op); they leave once the current record is more than window +
 * lateness away from them in either direction, so memory follows the
 * window, not the input.
 */
#include <stdlib.h>
#include <string.h>

#include "filerank.h"
#include "util.h"

/* Ops longer than this are keyed by their first ACT_OPLEN bytes; 23 makes
 * the key 32 bytes with no padding, so copies of it compare equal. */
#define ACT_OPLEN 23

struct act_key {
	uint32_t	 uid, fid;
	uint8_t		 oplen;
	char		 op[ACT_OPLEN];	/* lower case, zero-filled */
};

struct act_ent {
	int64_t		 ts;
	struct act_key	 key;
};

struct act_set {
	struct act_ent	*ring;
	size_t		 cap, max;
	uint64_t	 head, tail;	/* ring[seq % cap]; head == tail empty */
	struct map	*open;		/* act_key -> int64_t first ts */
	int64_t		 window, lateness;
	uint64_t	 repeats, dropped;
};

struct act_set *
act_new(int64_t window, int64_t lateness, size_t maxacts)
{
	struct act_set *a = xcalloc(1, sizeof *a);

	a->cap = 1024;
	a->max = maxacts < 16 ? 16 : maxacts;
	a->ring = xreallocarray(NULL, a->cap, sizeof *a->ring);
	a->open = map_new(sizeof(int64_t));
	a->window = window;
	a->lateness = lateness;
	return a;
}

void
act_free(struct act_set *a)
{
	if (a == NULL)
		return;
	free(a->ring);
	map_free(a->open);
	free(a);
}

/* forget the oldest act; its map entry goes unless a newer act of the
 * same key replaced it */
static void
pop(struct act_set *a)
{
	struct act_ent *e = &a->ring[a->head % a->cap];
	int64_t *v = map_get(a->open, &e->key, sizeof e->key);

	if (v != NULL && *v == e->ts)
		map_del(a->open, &e->key, sizeof e->key);
	a->head++;
}

static void
push(struct act_set *a, const struct act_key *k, int64_t ts)
{
	if (a->tail - a->head == a->max) {
		pop(a);
		a->dropped++;
	}
	if (a->tail - a->head == a->cap) {
		size_t ncap = a->cap * 2 > a->max ? a->max : a->cap * 2;
		struct act_ent *nr = xreallocarray(NULL, ncap, sizeof *nr);

		for (uint64_t s = a->head; s < a->tail; s++)
			nr[s % ncap] = a->ring[s % a->cap];
		free(a->ring);
		a->ring = nr;
		a->cap = ncap;
	}
	a->ring[a->tail % a->cap] = (struct act_ent){ ts, *k };
	a->tail++;
}

int
act_repeat(struct act_set *a, uint32_t uid, uint32_t fid, const char *op,
    size_t oplen, int64_t ts)
{
	struct act_key k;
	int64_t *v, keep = a->window + a->lateness;
	int isnew;

	if (a->window <= 0 || fid == FR_NONE)
		return 0;
	while (a->head != a->tail) {
		int64_t d = ts - a->ring[a->head % a->cap].ts;

		if (d <= keep && d >= -keep)
			break;
		pop(a);
	}
	memset(&k, 0, sizeof k);
	k.uid = uid;
	k.fid = fid;
	k.oplen = (uint8_t)(oplen > ACT_OPLEN ? ACT_OPLEN : oplen);
	for (size_t i = 0; i < k.oplen; i++)
		k.op[i] = (char)(op[i] >= 'A' && op[i] <= 'Z' ? op[i] + 32 :
		    op[i]);
	v = map_put(a->open, &k, sizeof k, &isnew);
	if (!isnew && ts - *v <= a->window && *v - ts <= a->window) {
		a->repeats++;
		return 1;
	}
	*v = ts;
	push(a, &k, ts);
	return 0;
}

uint64_t
act_repeats(const struct act_set *a)
{
	return a->repeats;
}

uint64_t
act_dropped(const struct act_set *a)
{
	return a->dropped;
}
