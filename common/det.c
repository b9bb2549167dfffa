/* det: options, reorder buffer, episodes and alerts shared by detectors. */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "map.h"
#include "tm.h"
#include "util.h"

/* ---- standard options ---- */

void
det_opts_init(struct det_opts *o, const char *synopsis, const char *purpose,
    const struct optdef *defs)
{
	memset(o, 0, sizeof *o);
	o->synopsis = synopsis;
	o->purpose = purpose;
	o->defs = defs;
	o->lateness = DET_LATENESS_DEFAULT;
	o->lateness_text = "60s";
	o->gap = -1;
}

void
det_usage(const struct det_opts *o)
{
	opt_usage_error(o->synopsis);
}

int
det_opt(struct det_opts *o, int c, const char *arg)
{
	switch (c) {
	case '?':
		det_usage(o);
	case 'a':
		o->assets = arg;
		return 1;
	case 'e':
		o->exit_status = 1;
		return 1;
	case 'g':
		o->gap = opt_duration("gap", arg);
		return 1;
	case 'h':
		opt_help(stdout, o->synopsis, o->purpose, o->defs);
		if (fshut(stdout, "stdout") != 0)
			exit(EXIT_ERROR);
		exit(EXIT_DONE);
	case 'L':
		o->lateness = opt_duration("lateness", arg);
		o->lateness_text = arg;
		return 1;
	case 'u':
		o->line_buffered = 1;
		return 1;
	case 'V':
		opt_version();
		if (fshut(stdout, "stdout") != 0)
			exit(EXIT_ERROR);
		exit(EXIT_DONE);
	case 'z':
		o->tz = arg;
		return 1;
	}
	return 0;
}

/* ---- the detector ---- */

/*
 * The reorder buffer keeps in-order arrivals, by far the common case, in a
 * FIFO ring (O(1)) and only events that arrive behind the ring's newest in
 * a binary heap.  Every slot is a header followed by the event's bytes.
 */
struct slot_hdr {
	int64_t		 t;
	uint64_t	 seq;
};

struct det_check {
	struct det	*d;
	const char	*rule;
	const char	*sev;
	int64_t		 gap;
	size_t		 udsize;
	size_t		 maxeps;
	struct map	*eps;		/* key -> struct det_ep + udata */
	struct det_ep	*head, *tail;	/* ordered by last event */
	void		(*on_close)(struct det_ep *, void *);
	void		*on_close_arg;
	struct det_check *next;
};

struct det_ep {
	struct det_check *c;
	struct det_ep	*prev, *next;
	uint64_t	 count;
	int64_t		 first, last;
	struct ip_addr	 src, dst;
	int		 has_src, has_dst;
	int		 dport;
	char		*host, *user, *detail;
	const char	*sev;
};

/* udata follows the episode, aligned for any scalar. */
#define EP_SIZE ((sizeof(struct det_ep) + 15) & ~(size_t)15)

struct det {
	struct det_opts	 o;
	struct site	*site;
	struct rec_writer *w;
	int		 header_done;
	det_event_fn	*fn;
	void		*arg;

	size_t		 evsize, stride;
	unsigned char	*ring;		/* FIFO of in-order events */
	size_t		 rcap, rhead, rlen;
	unsigned char	*heap;		/* min-heap of out-of-order ones */
	size_t		 hcap, hlen;
	unsigned char	*out;		/* the event being processed */
	uint64_t	 seq;
	int64_t		 newest;
	int64_t		 now;
	unsigned long long late;

	struct det_check *checks;
	int		 bad_input;
	int		 alerts;
	unsigned long long no_ts;	/* events with an empty ts */
	unsigned long long bad_ts;	/* events with an unreadable ts */
};

static const char *const alert_cols[] = {
	"ts", "rule", "sev", "src", "dst", "dport", "host", "user", "count",
	"first", "last", "detail", "state"
};
enum { AC_TS, AC_RULE, AC_SEV, AC_SRC, AC_DST, AC_DPORT, AC_HOST, AC_USER,
	AC_COUNT, AC_FIRST, AC_LAST, AC_DETAIL, AC_STATE, AC_N };

struct det *
det_new(const struct det_opts *o, size_t evsize, det_event_fn *fn,
    void *arg)
{
	struct det *d;

	if (o->tz != NULL && tm_zone_set(o->tz) != 0)
		errx(EXIT_ERROR, "--tz: %s: unknown time zone", o->tz);
	if (o->tz == NULL)
		(void)tm_zone_set(NULL);
	d = xcalloc(1, sizeof *d);
	d->o = *o;
	d->site = site_load(o->assets);
	if (d->site == NULL)
		exit(EXIT_ERROR);
	d->fn = fn;
	d->arg = arg;
	d->evsize = evsize;
	d->stride = (sizeof(struct slot_hdr) + evsize + 7) & ~(size_t)7;
	d->out = xmalloc(d->stride);
	d->newest = TM_NONE;
	d->now = TM_NONE;
	d->w = rec_wopen(o->line_buffered);
	return d;
}

const struct site *
det_site(const struct det *d)
{
	return d->site;
}

int
det_inside(const struct det *d, const struct ip_addr *a)
{
	return site_is_ours(d->site, a);
}

int
det_role(const struct det *d, const struct ip_addr *a, const char *role)
{
	return site_has_role(d->site, a, role);
}

int
det_ts(struct det *d, const struct rec_reader *r, int col, int64_t *t)
{
	size_t n;
	const char *s = rec_get(r, col, &n);

	if (tm_parse(s, n, 0, t) == 0)
		return 0;
	/*
	 * An empty ts is lognorm's "unknown" (a device that logs no time):
	 * such an event cannot be placed in event time, which is no input
	 * error; it is counted and reported once at the end.  A ts that is
	 * there but unreadable is an error: the first few are named.
	 */
	if (n == 0) {
		d->no_ts++;
		return -1;
	}
	if (++d->bad_ts <= 5)
		warnx("%s:%lu: invalid ts '%.*s'%s", rec_file(r), rec_line(r),
		    n > 64 ? 64 : (int)n, s, d->bad_ts == 5 ?
		    " (further ones are only counted)" : "");
	d->bad_input = 1;
	return -1;
}

int
det_refused(const char *s, size_t n)
{
	static const char *const verbs[] = { "deny", "drop", "reject",
	    "block", NULL };

	return strv_has(verbs, s, n);
}

int
det_addr(const struct rec_reader *r, int col, struct ip_addr *a)
{
	size_t n;
	const char *s = rec_get(r, col, &n);

	if (n == 0)
		return -1;
	return ip_parse(s, n, a);
}

int
det_port(const struct rec_reader *r, int col)
{
	size_t n;
	const char *s = rec_get(r, col, &n);
	long long v;

	if (n == 0 || n > 5 || parse_num_span(s, n, 0, 65535, &v) != 0)
		return -1;
	return (int)v;
}

int
det_field_is(const struct rec_reader *r, int col, const char *lit)
{
	size_t n;
	const char *s = rec_get(r, col, &n);

	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

unsigned long long
det_late(const struct det *d)
{
	return d->late;
}

int64_t
det_now(const struct det *d)
{
	return d->now;
}

/* ---- alert output ---- */

static void
write_header(struct det *d)
{
	if (d->header_done)
		return;
	rec_header(d->w, alert_cols, AC_N);
	d->header_done = 1;
}

static void
set_time(struct rec_writer *w, int col, int64_t t)
{
	char buf[TM_STRLEN];
	size_t n = tm_format(t, buf);

	rec_set_copy(w, col, buf, n);
}

static void
set_addr(struct rec_writer *w, int col, const struct ip_addr *a)
{
	char buf[IP_STRLEN];
	size_t n = ip_format(a, buf);

	rec_set_copy(w, col, buf, n);
}

static void
write_alert(struct det *d, const struct det_ep *ep, int64_t ts,
    const char *state)
{
	struct rec_writer *w = d->w;
	const char *sev = ep->sev ? ep->sev : ep->c->sev;

	write_header(d);
	set_time(w, AC_TS, ts);
	rec_set_str(w, AC_RULE, ep->c->rule);
	rec_set_str(w, AC_SEV, sev);
	if (ep->has_src)
		set_addr(w, AC_SRC, &ep->src);
	if (ep->has_dst)
		set_addr(w, AC_DST, &ep->dst);
	if (ep->dport >= 0)
		rec_set_num(w, AC_DPORT, ep->dport);
	if (ep->host)
		rec_set_str(w, AC_HOST, ep->host);
	if (ep->user)
		rec_set_str(w, AC_USER, ep->user);
	rec_set_num(w, AC_COUNT, (long long)ep->count);
	set_time(w, AC_FIRST, ep->first);
	set_time(w, AC_LAST, ep->last);
	if (ep->detail)
		rec_set_str(w, AC_DETAIL, ep->detail);
	rec_set_str(w, AC_STATE, state);
	rec_emit(w);
	d->alerts = 1;
}

/* ---- episodes ---- */

struct det_check *
det_check(struct det *d, const char *rule, const char *sev, int64_t gap,
    size_t udsize)
{
	struct det_check *c = xcalloc(1, sizeof *c), **pp;

	c->d = d;
	c->rule = rule;
	c->sev = sev;
	c->gap = d->o.gap >= 0 ? d->o.gap : gap;
	c->udsize = udsize;
	c->maxeps = DET_MAX_EPISODES;
	c->eps = map_new(EP_SIZE + udsize);
	/* Keep declaration order: it is the order checks are visited. */
	for (pp = &d->checks; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	return c;
}

int64_t
det_check_gap(const struct det_check *c)
{
	return c->gap;
}

void
det_check_max(struct det_check *c, size_t n)
{
	c->maxeps = n ? n : 1;
}

void
det_check_on_close(struct det_check *c,
    void (*fn)(struct det_ep *ep, void *arg), void *arg)
{
	c->on_close = fn;
	c->on_close_arg = arg;
}

static void
ep_unlink(struct det_check *c, struct det_ep *ep)
{
	if (ep->prev)
		ep->prev->next = ep->next;
	else
		c->head = ep->next;
	if (ep->next)
		ep->next->prev = ep->prev;
	else
		c->tail = ep->prev;
	ep->prev = ep->next = NULL;
}

static void
ep_append(struct det_check *c, struct det_ep *ep)
{
	ep->prev = c->tail;
	ep->next = NULL;
	if (c->tail)
		c->tail->next = ep;
	else
		c->head = ep;
	c->tail = ep;
}

static void
ep_close(struct det_check *c, struct det_ep *ep)
{
	const void *key;
	size_t klen;

	if (c->on_close)
		c->on_close(ep, c->on_close_arg);
	write_alert(c->d, ep, ep->last, "closed");
	ep_unlink(c, ep);
	free(ep->host);
	free(ep->user);
	free(ep->detail);
	key = map_key(c->eps, ep, &klen);
	map_del(c->eps, key, klen);
}

struct det_ep *
det_ep_find(struct det_check *c, const void *key, size_t klen)
{
	return map_get(c->eps, key, klen);
}

struct det_ep *
det_ep_touch(struct det_check *c, const void *key, size_t klen, int64_t t)
{
	struct det_ep *ep;

	/* Most events meet no open episode at all: skip the hashing. */
	if (c->head == NULL || (ep = map_get(c->eps, key, klen)) == NULL)
		return NULL;
	ep->count++;
	if (t > ep->last)
		ep->last = t;
	if (c->tail != ep) {
		ep_unlink(c, ep);
		ep_append(c, ep);
	}
	return ep;
}

static char *
dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

struct det_ep *
det_ep_open(struct det_check *c, const void *key, size_t klen, int64_t t,
    uint64_t count, int64_t first, const struct det_alert *a)
{
	struct det_ep *ep;
	int isnew;

	ep = map_put(c->eps, key, klen, &isnew);
	if (!isnew)	/* a caller bug; keep the episode, count the event */
		return det_ep_touch(c, key, klen, t);
	ep->c = c;
	ep->count = count ? count : 1;
	ep->first = first != TM_NONE && first <= t ? first : t;
	ep->last = t;
	ep->dport = -1;
	if (a) {
		if (a->src) {
			ep->src = *a->src;
			ep->has_src = 1;
		}
		if (a->dst) {
			ep->dst = *a->dst;
			ep->has_dst = 1;
		}
		ep->dport = a->dport;
		ep->host = dup_or_null(a->host);
		ep->user = dup_or_null(a->user);
		ep->sev = a->sev;
		ep->detail = dup_or_null(a->detail);
	}
	ep_append(c, ep);
	write_alert(c->d, ep, t, "open");
	/* Bound memory: close the episode extended longest ago early. */
	while (map_count(c->eps) > c->maxeps && c->head != ep)
		ep_close(c, c->head);
	return ep;
}

void
det_ep_detail(struct det_ep *ep, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		errx(EXIT_ERROR, "out of memory");
	va_end(ap);
	free(ep->detail);
	ep->detail = s;
}

void
det_ep_sev(struct det_ep *ep, const char *sev)
{
	ep->sev = sev;
}

void *
det_ep_udata(struct det_ep *ep)
{
	return (unsigned char *)ep + EP_SIZE;
}

uint64_t
det_ep_count(const struct det_ep *ep)
{
	return ep->count;
}

int64_t
det_ep_first(const struct det_ep *ep)
{
	return ep->first;
}

int64_t
det_ep_last(const struct det_ep *ep)
{
	return ep->last;
}

const void *
det_ep_key(const struct det_ep *ep, size_t *klen)
{
	return map_key(ep->c->eps, ep, klen);
}

/* Ties of end time are written by rule, then key, whatever the order the
 * episodes were extended in. */
static int
ep_cmp(const void *pa, const void *pb)
{
	const struct det_ep *a = *(struct det_ep *const *)pa;
	const struct det_ep *b = *(struct det_ep *const *)pb;
	const void *ka, *kb;
	size_t la, lb;
	int r;

	if ((r = strcmp(a->c->rule, b->c->rule)) != 0)
		return r;
	ka = map_key(a->c->eps, a, &la);
	kb = map_key(b->c->eps, b, &lb);
	if ((r = memcmp(ka, kb, la < lb ? la : lb)) != 0)
		return r;
	return (la > lb) - (la < lb);
}

/*
 * close_until: close, in order of end time (last + gap), every episode
 * that ended before t; all of them when all is set.
 */
static void
close_until(struct det *d, int64_t t, int all)
{
	struct det_ep **batch = NULL;
	size_t nb, cap = 0, i;
	struct det_check *c;

	for (;;) {
		int64_t end = 0;
		int found = 0;

		for (c = d->checks; c; c = c->next) {
			int64_t e;

			if (c->head == NULL)
				continue;
			e = c->head->last + c->gap;
			if ((all || e < t) && (!found || e < end)) {
				end = e;
				found = 1;
			}
		}
		if (!found)
			break;
		nb = 0;
		for (c = d->checks; c; c = c->next) {
			struct det_ep *ep;

			for (ep = c->head; ep && ep->last + c->gap == end;
			    ep = ep->next) {
				if (nb == cap) {
					cap = cap ? 2 * cap : 16;
					batch = xreallocarray(batch, cap,
					    sizeof *batch);
				}
				batch[nb++] = ep;
			}
		}
		if (nb > 1)
			qsort(batch, nb, sizeof *batch, ep_cmp);
		for (i = 0; i < nb; i++)
			ep_close(batch[i]->c, batch[i]);
	}
	free(batch);
}

/* ---- the reorder buffer ---- */

static struct slot_hdr *
slot_at(unsigned char *base, size_t stride, size_t i)
{
	return (struct slot_hdr *)(base + i * stride);
}

/* (t, seq) order: event time, then arrival. */
static int
slot_less(const struct slot_hdr *a, const struct slot_hdr *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void
ring_push(struct det *d, const struct slot_hdr *h, const void *ev)
{
	struct slot_hdr *s;

	if (d->rlen == d->rcap) {
		size_t ncap = d->rcap ? 2 * d->rcap : 64, i;
		unsigned char *n = xreallocarray(NULL, ncap, d->stride);

		for (i = 0; i < d->rlen; i++)
			memcpy(n + i * d->stride, d->ring + ((d->rhead + i) %
			    d->rcap) * d->stride, d->stride);
		free(d->ring);
		d->ring = n;
		d->rcap = ncap;
		d->rhead = 0;
	}
	s = slot_at(d->ring, d->stride, (d->rhead + d->rlen) % d->rcap);
	*s = *h;
	memcpy(s + 1, ev, d->evsize);
	d->rlen++;
}

/*
 * heap_push / heap_pop move a hole instead of swapping, so each level
 * costs one copy of a slot rather than three.
 */
static void
heap_push(struct det *d, const struct slot_hdr *h, const void *ev)
{
	struct slot_hdr *s;
	size_t i;

	if (d->hlen == d->hcap) {
		d->hcap = d->hcap ? 2 * d->hcap : 64;
		d->heap = xreallocarray(d->heap, d->hcap, d->stride);
	}
	i = d->hlen++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		const struct slot_hdr *ps = slot_at(d->heap, d->stride, p);

		if (!slot_less(h, ps))
			break;
		memcpy(d->heap + i * d->stride, ps, d->stride);
		i = p;
	}
	s = slot_at(d->heap, d->stride, i);
	*s = *h;
	memcpy(s + 1, ev, d->evsize);
}

/* heap_pop: move the heap's minimum into d->out. */
static void
heap_pop(struct det *d)
{
	const struct slot_hdr *last;
	size_t i = 0, n;

	memcpy(d->out, d->heap, d->stride);
	n = --d->hlen;
	if (n == 0)
		return;
	last = slot_at(d->heap, d->stride, n);
	for (;;) {
		size_t l = 2 * i + 1, m;

		if (l >= n)
			break;
		m = l;
		if (l + 1 < n && slot_less(slot_at(d->heap, d->stride, l + 1),
		    slot_at(d->heap, d->stride, l)))
			m = l + 1;
		if (!slot_less(slot_at(d->heap, d->stride, m), last))
			break;
		memcpy(d->heap + i * d->stride, d->heap + m * d->stride,
		    d->stride);
		i = m;
	}
	/* The last slot sits beyond the live heap now, so it cannot have
	 * been overwritten by the moves above. */
	memcpy(d->heap + i * d->stride, last, d->stride);
}

/* next_ready: the smallest buffered slot, or NULL. */
static const struct slot_hdr *
next_ready(struct det *d, int *from_heap)
{
	const struct slot_hdr *r = NULL, *h = NULL;

	if (d->rlen)
		r = slot_at(d->ring, d->stride, d->rhead);
	if (d->hlen)
		h = slot_at(d->heap, d->stride, 0);
	if (h && (r == NULL || slot_less(h, r))) {
		*from_heap = 1;
		return h;
	}
	*from_heap = 0;
	return r;
}

static void
process(struct det *d, int64_t t)
{
	close_until(d, t, 0);
	d->now = t;
	d->fn(d, (unsigned char *)d->out + sizeof(struct slot_hdr), t,
	    d->arg);
}

/* release: hand every event with t <= limit to the detector; all of them
 * when all is set. */
static void
release(struct det *d, int64_t limit, int all)
{
	const struct slot_hdr *s;
	int from_heap;

	while ((s = next_ready(d, &from_heap)) != NULL) {
		int64_t t = s->t;

		if (!all && t > limit)
			break;
		if (from_heap)
			heap_pop(d);
		else {
			memcpy(d->out, s, d->stride);
			d->rhead = (d->rhead + 1) % d->rcap;
			d->rlen--;
		}
		process(d, t);
	}
}

int
det_push(struct det *d, int64_t t, const void *ev)
{
	struct slot_hdr h;

	if (d->newest != TM_NONE && t < d->newest - d->o.lateness) {
		d->late++;
		return -1;
	}
	if (d->newest == TM_NONE || t > d->newest)
		d->newest = t;
	h.t = t;
	h.seq = d->seq++;
	if (d->rlen == 0 || t >= slot_at(d->ring, d->stride, (d->rhead +
	    d->rlen - 1) % d->rcap)->t)
		ring_push(d, &h, ev);
	else
		heap_push(d, &h, ev);
	release(d, d->newest - d->o.lateness, 0);
	return 0;
}

int
det_finish(struct det *d, int status)
{
	extern const char *__progname;
	struct det_check *c, *next;
	int rc;

	release(d, 0, 1);
	close_until(d, 0, 1);
	if (d->no_ts)
		fprintf(stderr, "%s: %llu event%s without a time (empty ts) "
		    "could not be placed and %s not processed\n", __progname,
		    d->no_ts, d->no_ts == 1 ? "" : "s",
		    d->no_ts == 1 ? "was" : "were");
	if (d->bad_ts > 5)
		fprintf(stderr, "%s: %llu events with an invalid ts in all\n",
		    __progname, d->bad_ts);
	if (d->late)
		fprintf(stderr, "%s: %llu event%s arrived more than %s late "
		    "and %s not processed\n", __progname, d->late,
		    d->late == 1 ? "" : "s", d->o.lateness_text,
		    d->late == 1 ? "was" : "were");
	write_header(d);
	rc = rec_wclose(d->w) != 0 ? EXIT_ERROR : EXIT_DONE;
	if (status != 0 || d->bad_input)
		rc = EXIT_ERROR;
	if (rc == EXIT_DONE && d->alerts && d->o.exit_status)
		rc = EXIT_FOUND;
	for (c = d->checks; c; c = next) {
		next = c->next;
		map_free(c->eps);
		free(c);
	}
	site_free(d->site);
	free(d->ring);
	free(d->heap);
	free(d->out);
	free(d);
	return rc;
}

/* ---- det_win ---- */

#define NIL UINT32_MAX
#define WIN_LINEAR 8	/* sets up to this size are searched linearly */
#define WIN_INLINE 2	/* entries stored in the key itself: most keys
			   of a flood have one or two values, and need no
			   allocation of their own */

struct went {
	int64_t		 first, last;
	uint32_t	 hits, prev, next, hash;
};

struct wkey {
	struct wkey	*prev, *next;	/* key LRU, oldest first */
	int64_t		 last;
	uint64_t	 hits;		/* events of the live values */
	uint32_t	 n, cap;	/* live values, allocated entries */
	uint32_t	 head, tail;	/* value LRU, oldest first */
	uint32_t	 freel;
	uint32_t	 nslot;		/* 0: linear search */
	unsigned char	*ent;
	uint32_t	*slot;		/* entry index + 1, 0 empty */
};

struct det_win {
	size_t		 klen, vsize, stride;
	int64_t		 window;
	size_t		 setcap, maxkeys, maxvals;
	struct map	*m;
	struct wkey	*head, *tail;
	size_t		 nvals;
	unsigned long long evicted;
};

struct det_win *
det_win_new(size_t klen, size_t vsize, int64_t window, size_t setcap,
    size_t maxkeys, size_t maxvals)
{
	struct det_win *w = xcalloc(1, sizeof *w);

	w->klen = klen;
	w->vsize = vsize;
	w->stride = (sizeof(struct went) + vsize + 7) & ~(size_t)7;
	w->window = window;
	if (setcap < 1)
		setcap = 1;
	if (setcap > (size_t)1 << 24)
		setcap = (size_t)1 << 24;
	w->setcap = setcap;
	w->maxkeys = maxkeys ? maxkeys : 1;
	w->maxvals = maxvals < setcap ? setcap : maxvals;
	w->m = map_new(sizeof(struct wkey) + WIN_INLINE * w->stride);
	return w;
}

/* inline_ent: the entries stored right after the key's struct. */
static unsigned char *
inline_ent(struct wkey *k)
{
	return (unsigned char *)(k + 1);
}

static struct went *
went_at(const struct det_win *w, const struct wkey *k, uint32_t i)
{
	return (struct went *)(k->ent + (size_t)i * w->stride);
}

static void
key_unlink(struct det_win *w, struct wkey *k)
{
	if (k->prev)
		k->prev->next = k->next;
	else
		w->head = k->next;
	if (k->next)
		k->next->prev = k->prev;
	else
		w->tail = k->prev;
	k->prev = k->next = NULL;
}

static void
key_append(struct det_win *w, struct wkey *k)
{
	k->prev = w->tail;
	k->next = NULL;
	if (w->tail)
		w->tail->next = k;
	else
		w->head = k;
	w->tail = k;
}

static void
key_free(struct det_win *w, struct wkey *k)
{
	const void *key;
	size_t klen;

	key_unlink(w, k);
	w->nvals -= k->n;
	if (k->ent != inline_ent(k))
		free(k->ent);
	free(k->slot);
	key = map_key(w->m, k, &klen);
	map_del(w->m, key, klen);
}

void
det_win_free(struct det_win *w)
{
	struct wkey *k, *next;

	if (w == NULL)
		return;
	for (k = w->head; k; k = next) {
		next = k->next;
		if (k->ent != inline_ent(k))
			free(k->ent);
		free(k->slot);
	}
	map_free(w->m);
	free(w);
}

static uint32_t
value_hash(const struct det_win *w, const void *v)
{
	return (uint32_t)hash_bytes(v, w->vsize);
}

static void
slot_insert(const struct det_win *w, struct wkey *k, uint32_t i)
{
	uint32_t mask = k->nslot - 1, j = went_at(w, k, i)->hash & mask;

	while (k->slot[j] != 0)
		j = (j + 1) & mask;
	k->slot[j] = i + 1;
}

/* slot_remove: delete entry i from the index by backward shifting, so no
 * tombstones pile up under churn. */
static void
slot_remove(const struct det_win *w, struct wkey *k, uint32_t i)
{
	uint32_t mask = k->nslot - 1, j, h;

	j = went_at(w, k, i)->hash & mask;
	while (k->slot[j] != i + 1)
		j = (j + 1) & mask;
	for (;;) {
		uint32_t nx = j;

		for (;;) {
			nx = (nx + 1) & mask;
			if (k->slot[nx] == 0) {
				k->slot[j] = 0;
				return;
			}
			h = went_at(w, k, k->slot[nx] - 1)->hash & mask;
			/* Move it back unless its home lies cyclically in
			 * (j, nx]. */
			if (j <= nx ? (h <= j || h > nx) : (h <= j && h > nx))
				break;
		}
		k->slot[j] = k->slot[nx];
		j = nx;
	}
}

static void
value_remove(struct det_win *w, struct wkey *k, uint32_t i)
{
	struct went *e = went_at(w, k, i);

	if (k->nslot)
		slot_remove(w, k, i);
	if (e->prev != NIL)
		went_at(w, k, e->prev)->next = e->next;
	else
		k->head = e->next;
	if (e->next != NIL)
		went_at(w, k, e->next)->prev = e->prev;
	else
		k->tail = e->prev;
	k->hits -= e->hits;
	k->n--;
	w->nvals--;
	e->next = k->freel;
	k->freel = i;
}

static void
value_append(const struct det_win *w, struct wkey *k, uint32_t i)
{
	struct went *e = went_at(w, k, i);

	e->prev = k->tail;
	e->next = NIL;
	if (k->tail != NIL)
		went_at(w, k, k->tail)->next = i;
	else
		k->head = i;
	k->tail = i;
}

static uint32_t
value_find(const struct det_win *w, const struct wkey *k, const void *v,
    uint32_t hash)
{
	uint32_t i;

	if (k->nslot == 0) {
		/* Newest first: repeats are usually recent. */
		for (i = k->tail; i != NIL; i = went_at(w, k, i)->prev)
			if (memcmp(went_at(w, k, i) + 1, v, w->vsize) == 0)
				return i;
		return NIL;
	}
	for (uint32_t mask = k->nslot - 1, j = hash & mask;
	    k->slot[j] != 0; j = (j + 1) & mask) {
		struct went *e = went_at(w, k, k->slot[j] - 1);

		if (e->hash == hash && memcmp(e + 1, v, w->vsize) == 0)
			return k->slot[j] - 1;
	}
	return NIL;
}

/* grow: room for one more entry, up to setcap (the caller made room). */
static uint32_t
entry_alloc(struct det_win *w, struct wkey *k)
{
	uint32_t i, ncap;

	if (k->freel != NIL) {
		i = k->freel;
		k->freel = went_at(w, k, i)->next;
		return i;
	}
	if (k->cap == 0 || (k->n == k->cap)) {
		ncap = k->cap ? 2 * k->cap : WIN_INLINE;
		if (ncap > w->setcap)
			ncap = (uint32_t)w->setcap;
		if (k->cap == 0)
			k->ent = inline_ent(k);
		else if (k->ent == inline_ent(k)) {
			k->ent = xreallocarray(NULL, ncap, w->stride);
			memcpy(k->ent, inline_ent(k), k->cap * w->stride);
		} else
			k->ent = xreallocarray(k->ent, ncap, w->stride);
		/* Past the linear size, (re)build a hash index at load
		 * at most 1/2. */
		if (ncap > WIN_LINEAR) {
			uint32_t j;

			free(k->slot);
			/* Small sets never hashed their values. */
			if (k->nslot == 0)
				for (j = k->head; j != NIL;
				    j = went_at(w, k, j)->next)
					went_at(w, k, j)->hash = value_hash(w,
					    went_at(w, k, j) + 1);
			k->nslot = 16;
			while (k->nslot < 2 * ncap)
				k->nslot *= 2;
			k->slot = xcalloc(k->nslot, sizeof *k->slot);
			for (j = k->head; j != NIL; j = went_at(w, k, j)->next)
				slot_insert(w, k, j);
		}
		i = k->cap;
		k->cap = ncap;
		/* The new entries beyond i go on the free list. */
		for (uint32_t j = ncap; j-- > i + 1;) {
			went_at(w, k, j)->next = k->freel;
			k->freel = j;
		}
		return i;
	}
	/* n < cap and no free entry cannot happen; be safe. */
	errx(EXIT_ERROR, "det_win: entry accounting");
}

size_t
det_win_add(struct det_win *w, const void *kb, const void *v, int64_t t,
    struct det_win_stat *st)
{
	int64_t horizon = t - w->window;
	struct wkey *k;
	uint32_t i, hash;
	struct went *e;
	int isnew;

	/* Keys whose newest value left the window are gone whole. */
	while (w->head && w->head->last <= horizon)
		key_free(w, w->head);
	k = map_put(w->m, kb, w->klen, &isnew);
	if (isnew) {
		k->head = k->tail = k->freel = NIL;
		key_append(w, k);
	} else if (w->tail != k) {
		key_unlink(w, k);
		key_append(w, k);
	}
	while (k->head != NIL && went_at(w, k, k->head)->last <= horizon)
		value_remove(w, k, k->head);
	/* Sets searched linearly need no hash (most keys have a few
	 * values); the index is built with hashes when a set grows. */
	hash = k->nslot ? value_hash(w, v) : 0;
	i = value_find(w, k, v, hash);
	if (i != NIL) {
		e = went_at(w, k, i);
		e->hits++;
		e->last = t;
		if (k->tail != i) {
			/* unlink and append, without touching the index */
			if (e->prev != NIL)
				went_at(w, k, e->prev)->next = e->next;
			else
				k->head = e->next;
			went_at(w, k, e->next)->prev = e->prev;
			value_append(w, k, i);
		}
		isnew = 0;
	} else {
		if (k->n >= w->setcap)
			value_remove(w, k, k->head);
		i = entry_alloc(w, k);
		e = went_at(w, k, i);
		e->first = e->last = t;
		e->hits = 1;
		memcpy(e + 1, v, w->vsize);
		/* entry_alloc may just have built the index: hash now. */
		e->hash = k->nslot ? (hash ? hash : value_hash(w, v)) : 0;
		value_append(w, k, i);
		if (k->nslot)
			slot_insert(w, k, i);
		k->n++;
		w->nvals++;
		isnew = 1;
	}
	k->hits++;
	k->last = t;
	while ((map_count(w->m) > w->maxkeys || w->nvals > w->maxvals) &&
	    w->head != k) {
		key_free(w, w->head);
		w->evicted++;
	}
	if (st) {
		st->distinct = k->n;
		st->hits = k->hits;
		st->isnew = isnew;
	}
	return k->n;
}

int64_t
det_win_first(const struct det_win *w, const void *kb)
{
	const struct wkey *k = map_get(w->m, kb, w->klen);
	int64_t first = TM_NONE;
	uint32_t i;

	if (k == NULL)
		return TM_NONE;
	for (i = k->head; i != NIL; i = went_at(w, k, i)->next) {
		const struct went *e = went_at(w, k, i);

		if (first == TM_NONE || e->first < first)
			first = e->first;
	}
	return first;
}

size_t
det_win_keys(const struct det_win *w)
{
	return map_count(w->m);
}

size_t
det_win_vals(const struct det_win *w)
{
	return w->nvals;
}

unsigned long long
det_win_evicted(const struct det_win *w)
{
	return w->evicted;
}
