/*
 * copy: infer file copies, which no audit source logs as such.  A copy
 * shows as a read of a file and, shortly after in event time, a write or
 * create of a file with the same base name in another directory by the
 * same user.  Recent reads and writes wait in a FIFO (arrival order) and
 * in per-(user, base name) chains, so a write finds its read and a read
 * that arrives late finds the write already seen.  Entries leave the FIFO
 * once the current event is more than window + lateness away from them
 * in either direction, so memory follows the window, not the input, and
 * concatenated archives in any order do not pin old entries.
 */
#include <stdlib.h>
#include <string.h>

#include "filerank.h"
#include "util.h"

#define CP_SCAN 256		/* chain entries looked at per event */

enum { P_READ = CP_READ, P_WRITE = CP_WRITE, P_COPY };

struct pend {
	int64_t		 ts;
	uint64_t	 newer, older;	/* chain links as sequence numbers;
					   0 = none */
	uint32_t	 uid, fid, base, dir;
	uint32_t	 src;		/* P_COPY: the source file */
	uint8_t		 kind;
	uint8_t		 paired;	/* P_WRITE: already made a copy, so a
					   late read cannot claim it again */
};

struct chain {
	uint64_t	 newest, oldest;
};

struct cp_window {
	struct pend	*ring;
	size_t		 cap, max;
	uint64_t	 head, tail;	/* sequence numbers, from 1 */
	struct map	*chains;	/* (uid, base) -> struct chain */
	int64_t		 window, lateness;
	uint64_t	 dropped;
	cp_found_fn	*found;
	void		*ctx;
};

struct cp_window *
cp_new(int64_t window, int64_t lateness, size_t maxpending,
    cp_found_fn *found, void *ctx)
{
	struct cp_window *c = xcalloc(1, sizeof *c);

	c->cap = 1024;
	c->max = maxpending < 16 ? 16 : maxpending;
	c->ring = xreallocarray(NULL, c->cap, sizeof *c->ring);
	c->head = c->tail = 1;
	c->chains = map_new(sizeof(struct chain));
	c->window = window;
	c->lateness = lateness;
	c->found = found;
	c->ctx = ctx;
	return c;
}

void
cp_free(struct cp_window *c)
{
	if (c == NULL)
		return;
	free(c->ring);
	map_free(c->chains);
	free(c);
}

uint64_t
cp_dropped(const struct cp_window *c)
{
	return c->dropped;
}

static inline struct pend *
at(const struct cp_window *c, uint64_t seq)
{
	return &c->ring[seq % c->cap];
}

/* The oldest entry of the FIFO is also the oldest of its chain. */
static void
pop(struct cp_window *c)
{
	struct pend *e = at(c, c->head);
	uint32_t key[2] = { e->uid, e->base };
	struct chain *ch = map_get(c->chains, key, sizeof key);

	if (ch != NULL) {
		ch->oldest = e->newer;
		if (e->newer)
			at(c, e->newer)->older = 0;
		else
			map_del(c->chains, key, sizeof key);
	}
	c->head++;
}

static void
grow(struct cp_window *c)
{
	size_t ncap = c->cap * 2;
	struct pend *nr;

	if (ncap > c->max)
		ncap = c->max;
	nr = xreallocarray(NULL, ncap, sizeof *nr);
	for (uint64_t s = c->head; s < c->tail; s++)
		nr[s % ncap] = c->ring[s % c->cap];
	free(c->ring);
	c->ring = nr;
	c->cap = ncap;
}

/*
 * push: append p to the FIFO and to the chain of key.  When the FIFO is at
 * its cap the oldest entry goes first, and that may empty and free the
 * very chain we are adding to, so the chain is looked up again: callers
 * must use the pointer returned.
 */
static struct chain *
push(struct cp_window *c, const uint32_t key[2], struct chain *ch,
    const struct pend *p)
{
	uint64_t seq;
	struct pend *e;

	if (c->tail - c->head == c->cap) {
		if (c->cap < c->max)
			grow(c);
		else {
			const struct pend *old = at(c, c->head);
			int same = old->uid == key[0] && old->base == key[1];

			pop(c);
			c->dropped++;
			if (same)
				ch = map_put(c->chains, key, 2 * sizeof key[0],
				    NULL);
		}
	}
	seq = c->tail++;
	e = at(c, seq);
	*e = *p;
	e->newer = 0;
	e->older = ch->newest;
	if (ch->newest)
		at(c, ch->newest)->newer = seq;
	else
		ch->oldest = seq;
	ch->newest = seq;
	return ch;
}

static int
far(const struct cp_window *c, int64_t a, int64_t b)
{
	int64_t d = a > b ? a - b : b - a;

	return d > c->window + c->lateness;
}

/* Count a copy unless the same src -> dst was counted within the window:
 * one copy shows as several reads and writes in most audit sources. */
static struct chain *
copied(struct cp_window *c, const uint32_t key[2], struct chain *ch,
    uint32_t src, uint32_t dst, uint32_t dstdir, int64_t ts)
{
	struct pend p = { 0 };
	uint64_t s = ch->newest;

	for (int k = 0; s && k < CP_SCAN; k++, s = at(c, s)->older) {
		const struct pend *e = at(c, s);

		if (e->kind == P_COPY && e->src == src && e->fid == dst &&
		    (e->ts > ts ? e->ts - ts : ts - e->ts) <= c->window)
			return ch;
	}
	c->found(c->ctx, key[0], src, dst, ts);
	p.ts = ts;
	p.uid = key[0];
	p.fid = dst;
	p.base = key[1];
	p.dir = dstdir;
	p.src = src;
	p.kind = P_COPY;
	return push(c, key, ch, &p);
}

void
cp_event(struct cp_window *c, uint32_t uid, const struct fr_file *f,
    int kind, int64_t ts)
{
	uint32_t key[2] = { uid, f->base };
	struct chain *ch;
	struct pend p = { 0 };
	uint64_t s;
	int k;

	while (c->head < c->tail && far(c, at(c, c->head)->ts, ts))
		pop(c);
	ch = map_put(c->chains, key, sizeof key, NULL);
	if (kind == CP_WRITE) {
		/* the newest read that can be this write's source */
		for (k = 0, s = ch->newest; s && k < CP_SCAN;
		    k++, s = at(c, s)->older) {
			const struct pend *e = at(c, s);

			if (e->kind == P_READ && e->dir != f->dir &&
			    e->ts <= ts && ts - e->ts <= c->window) {
				ch = copied(c, key, ch, e->fid, f->id, f->dir,
				    ts);
				p.paired = 1;
				break;
			}
		}
	} else {
		/* writes seen before their read (out of order input) */
		uint32_t dst[CP_SCAN];
		int64_t dts[CP_SCAN];
		uint32_t ddir[CP_SCAN];
		int nd = 0;

		for (k = 0, s = ch->newest; s && k < CP_SCAN;
		    k++, s = at(c, s)->older) {
			struct pend *e = at(c, s);

			if (e->kind == P_WRITE && !e->paired &&
			    e->dir != f->dir && e->ts >= ts &&
			    e->ts - ts <= c->window) {
				e->paired = 1;
				dst[nd] = e->fid;
				dts[nd] = e->ts;
				ddir[nd++] = e->dir;
			}
		}
		/* copied() may push, so call it after the walk */
		for (k = nd - 1; k >= 0; k--)
			ch = copied(c, key, ch, f->id, dst[k], ddir[k],
			    dts[k]);
	}
	p.ts = ts;
	p.uid = uid;
	p.fid = f->id;
	p.base = f->base;
	p.dir = f->dir;
	p.kind = (uint8_t)kind;
	push(c, key, ch, &p);	/* p.paired was set above */
}
