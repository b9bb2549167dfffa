/*
 * det: what every detector shares (kazami.7, ALERTS).
 *
 *   - the standard options and start-up (-a -e -g -h -L -u -V -z), from one
 *     optdef fragment, so every detector spells them the same way;
 *   - a reorder buffer: events may arrive up to --lateness out of order and
 *     are handed to the detector in event-time order (ties in arrival
 *     order); events later than that are counted and reported in one
 *     warning at the end, never processed;
 *   - episodes: per check and key, one "open" alert record as soon as the
 *     check's condition holds, one "closed" record with the full count,
 *     first and last when no contributing event came for the gap;
 *   - the alert writer (header REC_ALERT_COLUMNS);
 *   - det_win: per key, the distinct values seen in a sliding window of
 *     event time, with bounded memory (scans, bursts, fan-out).
 *
 * A detector's main() looks like this:
 *
 *	static const struct optdef defs[] = {
 *		DET_OPT_ASSETS, DET_OPT_EXIT, DET_OPT_GAP, DET_OPT_HELP,
 *		{ "hosts", 'H', required_argument, "N", "..." },
 *		DET_OPT_LATENESS, DET_OPT_LINEBUF, DET_OPT_VERSION, DET_OPT_TZ,
 *		{ NULL, 0, 0, NULL, NULL }
 *	};
 *	det_opts_init(&o, SYNOPSIS, PURPOSE, defs);
 *	while ((c = opt_next(argc, argv, defs)) != -1)
 *		if (!det_opt(&o, c, optarg))
 *			switch (c) { case 'H': ...; default: det_usage(&o); }
 *	r = rec_open(argv + optind, argc - optind);	(NULL: exit 2)
 *	cts = rec_need(r, "ts"); ...
 *	d = det_new(&o, sizeof(struct myev), process, &state);
 *	chk = det_check(d, "tool.check", "high", window, 0);
 *	while ((rc = rec_next(r)) == 1) {
 *		if (det_ts(d, r, cts, &t) != 0 || !extract(r, &ev))
 *			continue;
 *		det_push(d, t, &ev);
 *	}
 *	return det_finish(d, rc < 0 ? 2 : rec_status(r));
 *
 * and process() is called once per event, in event-time order, after the
 * episodes that the event's time has ended were closed:
 *
 *	if (det_ep_touch(chk, key, klen, t) == NULL && condition holds)
 *		det_ep_open(chk, key, klen, t, count, first, &alert);
 *
 * Everything runs on event time; nothing here reads the wall clock, so a
 * day's archive replayed in one go and the same records fed line by line
 * give byte-identical output.
 */
#ifndef KZ_DET_H
#define KZ_DET_H

#include <stddef.h>
#include <stdint.h>

#include "ip.h"
#include "opt.h"
#include "rec.h"
#include "site.h"

#define DET_LATENESS_DEFAULT	60000		/* ms: --lateness 60s */
#define DET_MAX_EPISODES	100000		/* open episodes per check */

/* ---- standard options ---- */

/*
 * optdef entries for the standard options; put the ones you use into the
 * tool's table (sorted by letter in the help reads best).  det_opt()
 * handles all of them.  DET_STD_OPTIONS is every one, in letter order.
 * Leave DET_OPT_TZ out of a tool that uses no local time (night, hour of
 * day): an option that changes nothing would mislead its users.
 */
#define DET_OPT_ASSETS { "assets", 'a', required_argument, "FILE", \
	"site inventory (default $KAZAMI_ASSETS)" }
#define DET_OPT_EXIT { "exit-status", 'e', no_argument, NULL, \
	"exit 1 when an alert was written" }
#define DET_OPT_GAP { "gap", 'g', required_argument, "DUR", \
	"end an episode after DUR without events (default: window)" }
#define DET_OPT_HELP OPT_HELP
#define DET_OPT_LATENESS { "lateness", 'L', required_argument, "DUR", \
	"accept events up to DUR out of order (default 60s)" }
#define DET_OPT_LINEBUF OPT_LINEBUF
#define DET_OPT_VERSION OPT_VERSION
#define DET_OPT_TZ { "tz", 'z', required_argument, "ZONE", \
	"time zone for local time (default $TZ)" }
#define DET_STD_OPTIONS DET_OPT_ASSETS, DET_OPT_EXIT, DET_OPT_GAP, \
	DET_OPT_HELP, DET_OPT_LATENESS, DET_OPT_LINEBUF, DET_OPT_VERSION, \
	DET_OPT_TZ

struct det_opts {
	const char	*synopsis;	/* usage line after the tool name */
	const char	*purpose;	/* one line for --help */
	const struct optdef *defs;	/* the tool's whole table */
	const char	*assets;	/* -a, NULL: $KAZAMI_ASSETS */
	const char	*tz;		/* -z, NULL: $TZ or the system zone */
	int64_t		 lateness;	/* -L, ms */
	const char	*lateness_text;	/* -L as written, for the warning */
	int64_t		 gap;		/* -g, ms; -1: each check's own */
	int		 exit_status;	/* -e */
	int		 line_buffered;	/* -u */
};

/* det_opts_init: defaults (lateness 60s, gap -1, the rest off). */
void det_opts_init(struct det_opts *o, const char *synopsis,
    const char *purpose, const struct optdef *defs);

/*
 * det_opt: handle c if it is a standard option (a e g h L u V z) or '?'.
 * -h prints the help to stdout and exits 0, -V the version; '?' and bad
 * values print the usage error and exit 2.  Returns 1 when c was handled,
 * 0 when it is the tool's own.
 */
int det_opt(struct det_opts *o, int c, const char *arg);

/* det_usage: print the usage hint to stderr and exit 2. */
void det_usage(const struct det_opts *o) __attribute__((noreturn));

/* ---- the detector ---- */

struct det;

/*
 * The function det calls for each event, in event-time order.  ev is the
 * detector's own struct as given to det_push (a copy owned by det, valid
 * during the call; the detector frees any pointers it put inside).
 */
typedef void det_event_fn(struct det *d, void *ev, int64_t t, void *arg);

/*
 * det_new: set the --tz zone and load the --assets inventory (on failure
 * print the error and exit 2), prepare the reorder buffer for events of
 * evsize bytes and the alert writer on stdout.  The alert header is
 * written with the first alert or by det_finish, so an input that cannot
 * be opened gives no output at all.
 */
struct det *det_new(const struct det_opts *o, size_t evsize,
    det_event_fn *fn, void *arg);

/* det_site: the inventory (never NULL; possibly empty). */
const struct site *det_site(const struct det *d);

/* det_inside: a is ours (site_is_ours: zones internal and dmz; with no
 * matching asset RFC 1918 / RFC 4193 / loopback / link-local). */
int det_inside(const struct det *d, const struct ip_addr *a);

/* det_role: a's asset has role (site_has_role). */
int det_role(const struct det *d, const struct ip_addr *a,
    const char *role);

/*
 * det_ts: parse the ts field (column col) of r's current record.  Returns
 * 0 and sets *t, or -1 when the record must be skipped: an empty ts (an
 * event of unknown time) is counted and reported once by det_finish; an
 * invalid one is reported as "tool: file:line: invalid ts '...'" (the
 * first five) and makes det_finish return 2.
 */
int det_ts(struct det *d, const struct rec_reader *r, int col, int64_t *t);

/* det_addr: the address in column col, 0, or -1 when empty or not an
 * address (no message: an unknown address is not an input error). */
int det_addr(const struct rec_reader *r, int col, struct ip_addr *a);

/* det_port: the port number 0-65535 in column col, or -1 when empty or
 * not a port. */
int det_port(const struct rec_reader *r, int col);

/* det_refused: the action s[0..n) is one of the refusals kazami.7 names
 * (deny, drop, reject, block): the device stopped the attempt. */
int det_refused(const char *s, size_t n);

/* det_field_is: column col equals lit exactly. */
int det_field_is(const struct rec_reader *r, int col, const char *lit);

/*
 * det_push: hand one event (evsize bytes at ev, copied) of time t to the
 * reorder buffer.  Every event that becomes ready (t <= newest seen -
 * lateness) is passed to the event function now, in (t, arrival) order.
 * Returns 0, or -1 when the event was more than --lateness older than the
 * newest seen: it is counted for the end-of-input warning and dropped
 * (free whatever it owns yourself in that case).
 */
int det_push(struct det *d, int64_t t, const void *ev);

/*
 * det_finish: release every buffered event, close every open episode (in
 * the order of last event + gap, then rule, then key), warn "tool: N
 * events arrived more than LATENESS late and were not processed" if any,
 * write the header if nothing was written, close the writer and free d.
 * status is the input's status (0, or 2 when reading failed).  Returns the
 * exit status: 2 on any error (status, invalid ts, write error), else 1
 * when -e was given and an alert was written, else 0.
 */
int det_finish(struct det *d, int status);

/* det_late: events dropped as too late so far. */
unsigned long long det_late(const struct det *d);

/* det_now: time of the event being processed (event time, never the
 * wall clock); TM_NONE before the first. */
int64_t det_now(const struct det *d);

/* ---- episodes and alerts ---- */

/*
 * The fields of an alert other than rule, count, first, last, state and
 * ts.  All are borrowed and copied by det_ep_open.  Text is in the record
 * format's escaped form (as rec_get returns it); detail is one short
 * sentence built by the detector (snprintf of escaped values is fine).
 */
struct det_alert {
	const struct ip_addr	*src;		/* NULL: empty */
	const struct ip_addr	*dst;		/* NULL: empty */
	int			 dport;		/* -1: empty */
	const char		*host;		/* NULL or "": empty */
	const char		*user;		/* NULL or "": empty */
	const char		*sev;		/* NULL: the check's default */
	const char		*detail;	/* NULL: empty */
};

struct det_check;
struct det_ep;

/*
 * det_check: declare a check: rule "tool.check", default sev, and the gap
 * of event time without a contributing event that ends an episode (ms;
 * usually the check's window; -g overrides it for every check): an episode
 * whose last event was at L ends as soon as an event later than L + gap is
 * processed (an event at exactly L + gap still extends it), and its
 * closed record is written before that event is processed.  Each
 * episode carries udsize bytes of zero-filled detector data
 * (det_ep_udata).  The check belongs to d.
 */
struct det_check *det_check(struct det *d, const char *rule,
    const char *sev, int64_t gap, size_t udsize);

/* det_check_gap: the gap in force for the check (after -g). */
int64_t det_check_gap(const struct det_check *c);

/* det_check_max: at most n open episodes (default DET_MAX_EPISODES);
 * past it the episode extended longest ago is closed early (its closed
 * record is written then; a later event may open a new one). */
void det_check_max(struct det_check *c, size_t n);

/* det_check_on_close: call fn(ep, arg) just before an episode's closed
 * record is written (e.g. to set its final detail). */
void det_check_on_close(struct det_check *c,
    void (*fn)(struct det_ep *ep, void *arg), void *arg);

/*
 * det_ep_touch: if an episode of c is open for key, count one more
 * contributing event at t into it (count + 1, last = t) and return it;
 * otherwise return NULL and change nothing.  Call it for every
 * contributing event, then open an episode when it returned NULL and the
 * condition holds.
 */
struct det_ep *det_ep_touch(struct det_check *c, const void *key,
    size_t klen, int64_t t);

/* det_ep_find: the open episode of c for key, or NULL (no change). */
struct det_ep *det_ep_find(struct det_check *c, const void *key,
    size_t klen);

/*
 * det_ep_open: start an episode of c for key (none may be open) at the
 * event of time t that made the condition hold: write its open record now
 * (ts t, count, first, last t) and return it.  count is the number of
 * contributing events in the window so far (this one included), first the
 * time of the first of them.
 */
struct det_ep *det_ep_open(struct det_check *c, const void *key,
    size_t klen, int64_t t, uint64_t count, int64_t first,
    const struct det_alert *a);

/* det_ep_detail: replace the episode's detail (escaped text, printf
 * format); the closed record carries the last one set. */
void det_ep_detail(struct det_ep *ep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* det_ep_sev: replace the episode's sev (a static string). */
void det_ep_sev(struct det_ep *ep, const char *sev);

/* Read-only views of an episode. */
void *det_ep_udata(struct det_ep *ep);
uint64_t det_ep_count(const struct det_ep *ep);
int64_t det_ep_first(const struct det_ep *ep);
int64_t det_ep_last(const struct det_ep *ep);
const void *det_ep_key(const struct det_ep *ep, size_t *klen);

/* ---- det_win: distinct values per key in a sliding window ---- */

/*
 * For each key (klen bytes), the distinct values (vsize bytes) seen in the
 * window (t - window, t]: a value is live while it recurs within the
 * window.  Each live value remembers when it was first seen (since it last
 * became live) and how many events it had, so a check can report the
 * events behind its distinct count.  Times passed to det_win_add must not
 * decrease (call it from the event function).
 *
 * Memory is bounded three ways:
 *   - a key holds at most setcap live values; past it the value seen
 *     longest ago is forgotten (so counts are exact up to setcap; keep
 *     thresholds <= setcap);
 *   - a key whose values have all expired is freed;
 *   - at most maxkeys keys and maxvals values in all: past either, the key
 *     active longest ago is forgotten whole (det_win_evicted counts them).
 */
struct det_win;

struct det_win_stat {
	size_t		 distinct;	/* live values of the key */
	uint64_t	 hits;		/* events of those values */
	int		 isnew;		/* the value was not live before */
};

struct det_win *det_win_new(size_t klen, size_t vsize, int64_t window,
    size_t setcap, size_t maxkeys, size_t maxvals);
void det_win_free(struct det_win *w);

/* det_win_add: value v seen for key k at t; expires what left the window
 * and fills *st (may be NULL) for the key.  Returns st->distinct. */
size_t det_win_add(struct det_win *w, const void *k, const void *v,
    int64_t t, struct det_win_stat *st);

/* det_win_first: time of the first event of k's live values (O(live
 * values): call it when a check fires, not per event); TM_NONE when k
 * holds nothing. */
int64_t det_win_first(const struct det_win *w, const void *k);

/* det_win_keys / det_win_vals: keys and values held now. */
size_t det_win_keys(const struct det_win *w);
size_t det_win_vals(const struct det_win *w);

/* det_win_evicted: keys forgotten early because of maxkeys / maxvals. */
unsigned long long det_win_evicted(const struct det_win *w);

#endif
