/*
 * filerank internals: interned users and files, path patterns, the
 * per-report tallies and the copy inference window.
 *
 *   filerank.c  main(), options, the lists read from files, the input loop
 *   pathglob.c  path normalisation and the path pattern matcher (pg_)
 *   report.c    per-report tallies, ranking and output (rk_)
 *   copy.c      copy inference over an event-time window (cp_)
 *   lists.c     the files options name: patterns, accounts, holidays,
 *               departments (ls_)
 */
#ifndef FILERANK_H
#define FILERANK_H

#include <stddef.h>
#include <stdint.h>

#include "map.h"
#include "rec.h"
#include "tm.h"

#define FR_NONE UINT32_MAX	/* no id: the key did not fit under the cap */

/* A file as seen in the file column; the map key is its escaped text. */
struct fr_file {
	uint32_t	 id;
	uint32_t	 base;		/* interned base name, folded when Windows */
	uint32_t	 dir;		/* interned directory, folded likewise */
	uint8_t		 confidential;	/* matched a --confidential pattern */
	uint8_t		 windows;	/* Windows-style path */
};

/* A user as seen in the user column; the map key is its escaped text. */
struct fr_user {
	uint32_t	 id;
	uint8_t		 left_out;	/* 0, or LEFT_COMPUTER / LEFT_LISTED */
	const char	*dept;		/* escaped, from --users, or NULL */
	size_t		 deptlen;
};
enum { LEFT_NONE, LEFT_COMPUTER, LEFT_LISTED };

enum { R_NIGHT, R_WEEKEND, R_CONFIDENTIAL, R_DELETERS, R_COPIERS, R_N };
extern const char *const fr_report_names[R_N];

/* Lookups the report and copy code need from the interned tables. */
const char *fr_user_name(uint32_t uid, size_t *len);
const struct fr_user *fr_user_get(uint32_t uid);
const char *fr_file_name(uint32_t fid, size_t *len);
size_t fr_file_count(void);

/* ---- pathglob.c ---- */

struct pg_pattern;

/*
 * pg_compile: compile one pattern line (raw text).  Backslash and slash
 * are both separators; "*" and "?" stay within a path component, "**"
 * crosses them, "[...]" is a class.  Returns NULL and sets *why on a bad
 * pattern.  Free with pg_free.
 */
struct pg_pattern *pg_compile(const char *s, size_t n, const char **why);
void pg_free(struct pg_pattern *p);

/* A path made ready for matching: code points, separators as '/'. */
struct pg_path {
	uint32_t	*cp;
	size_t		 n, cap;
	int		 windows;	/* backslash or drive letter seen */
};

/* pg_path_set: decode raw bytes s[0..n) into p (buffer reused). */
void pg_path_set(struct pg_path *p, const char *s, size_t n);

/* pg_match: 1 when the whole path (or its last component, for a pattern
 * without separators) matches; case-insensitive for Windows paths. */
int pg_match(struct pg_pattern *pat, const struct pg_path *path);

/* pg_is_windows: raw path bytes look like a Windows path. */
int pg_is_windows(const char *s, size_t n);

/* ---- report.c ---- */

struct rk_set;

/* rk_new: empty tallies for the R_N reports, sharing at most maxpairs
 * user-file pairs. */
struct rk_set *rk_new(size_t maxpairs);
void rk_free(struct rk_set *set);

/* rk_add: one event of user uid on file fid (FR_NONE: counted, but not
 * as a distinct file) at event time ts, in each report of mask (bit r for
 * report r). */
void rk_add(struct rk_set *set, unsigned mask, uint32_t uid, uint32_t fid,
    int64_t ts);

/* rk_done: frees what rk_write keeps for all reports. */
void rk_done(void);

/* rk_capped: report r lost pairs to the cap. */
int rk_capped(const struct rk_set *set, int r);

/* rk_pairs: distinct user-file pairs held. */
size_t rk_pairs(const struct rk_set *set);

/* rk_events: events counted in report r. */
uint64_t rk_events(const struct rk_set *set, int r);

/*
 * rk_write: rank the users of report r and write it to w (header
 * included).  with_dept adds the dept column; top > 0 keeps ranks <= top.
 * Returns the number of rows written.
 */
unsigned long rk_write(struct rk_set *set, int r, struct rec_writer *w,
    int with_dept, long long top);

/* ---- copy.c ---- */

struct cp_window;

typedef void cp_found_fn(void *ctx, uint32_t uid, uint32_t src,
    uint32_t dst, int64_t ts);

/*
 * cp_new: a copy detector pairing reads with writes of the same base name
 * in another directory within window ms (event time); entries further
 * than window + lateness from the current event are expired; at most
 * maxpending events are held.  found is called once per inferred copy.
 */
struct cp_window *cp_new(int64_t window, int64_t lateness,
    size_t maxpending, cp_found_fn *found, void *ctx);
void cp_free(struct cp_window *c);

enum { CP_READ, CP_WRITE };
/* cp_event: one read or write of file f by user uid at ts. */
void cp_event(struct cp_window *c, uint32_t uid, const struct fr_file *f,
    int kind, int64_t ts);

/* cp_dropped: events pushed out early because maxpending was reached. */
uint64_t cp_dropped(const struct cp_window *c);

/* ---- act.c ---- */

struct act_set;

/* act_new: acts are records of one user, file and op within window ms of
 * the act's first record (0: every record is an act of its own); at most
 * maxacts recent acts are held.  Free with act_free. */
struct act_set *act_new(int64_t window, int64_t lateness, size_t maxacts);
void act_free(struct act_set *a);

/* act_repeat: 1 when the record (user uid, file fid, op text) belongs to an
 * act already seen, 0 when it starts one (fid FR_NONE always starts one). */
int act_repeat(struct act_set *a, uint32_t uid, uint32_t fid, const char *op,
    size_t oplen, int64_t ts);

/* act_repeats: records merged into earlier acts; act_dropped: acts
 * forgotten early because maxacts was reached. */
uint64_t act_repeats(const struct act_set *a);
uint64_t act_dropped(const struct act_set *a);

/* ---- lists.c ---- */

/* Each reader exits 2 with "filerank: file:line: message" on a bad file. */
void ls_confidential(const char *path);
void ls_exclude(const char *path);
void ls_holidays(const char *path);
void ls_users(char *path);

/* ls_confidential_match: the path matches a --confidential pattern. */
int ls_confidential_match(const struct pg_path *p);
/* ls_excluded: the account (escaped text) is listed by --exclude. */
int ls_excluded(const char *s, size_t n);
/* ls_holiday: the day (days since 1970-01-01) is a --holidays date. */
int ls_holiday(int64_t day);
/* ls_have_users / ls_dept: --users was given; the dept of an account
 * (escaped, owned by the list) or NULL. */
int ls_have_users(void);
const char *ls_dept(const char *s, size_t n);

/* ls_parse_date: exactly "YYYY-MM-DD", a real date, to p; 0 or -1. */
int ls_parse_date(const char *s, size_t n, struct tm_parts *p);
/* ls_lower: ASCII lowercase in place. */
void ls_lower(char *s, size_t n);
/* ls_free: frees every list. */
void ls_free(void);

#endif
