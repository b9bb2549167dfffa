/*
 * lognorm internals: the event being built from a raw line, the syslog
 * envelope, per-input state and the table of format parsers.
 *
 * Ownership of the files of cmd/lognorm/ (each family in its own file):
 *   lognorm.c   main(), options, reading the inputs
 *   driver.c    per line: envelope, auto-detection, rejects, --stats,
 *               --raw, record output (kept out of lognorm.c so the fuzz
 *               harnesses run exactly this code)
 *   ev.c        struct ev helpers, kv_find, span helpers
 *   syslog.c    RFC 3164 / RFC 5424 / ISO-8601 envelopes, the generic
 *               "syslog" format
 *   fw.c, fw.h  the fw table and helpers shared by the fw_*.c parsers
 *   fw_*.c      firewalls          web_*.c  proxy and web servers
 *   dns_*.c     DNS servers        mail_*.c mail servers, auth_*.c sshd
 *   ids_*.c     IDS/sensors (fast.log, EVE, Zeek)
 *   file_*.c    file-access audit (Windows, Samba, auditd)
 */
#ifndef LOGNORM_H
#define LOGNORM_H

#include <stddef.h>
#include <stdint.h>

#include "rec.h"
#include "tm.h"

/* Raw text of one output field: a span into the input line or into the
 * event's scratch arena; escaping happens once, on output. */
struct span {
	const char	*p;
	size_t		 n;
};

/* A chunked arena: allocations never move until ev_reset. */
struct arena_chunk;

struct ev {
	struct span	 f[RC_NCORE];	/* all empty after ev_reset */
	int64_t		 ts;		/* TM_NONE until a parser or the
					   envelope sets it */
	struct arena_chunk *chunks;
	size_t		 used;
};

void ev_reset(struct ev *e);
void ev_free(struct ev *e);
/* ev_set: field col = s[0..n) (not copied: must outlive the line). */
void ev_set(struct ev *e, int col, const char *s, size_t n);
/* ev_setz: field col = NUL-terminated s (not copied). */
void ev_setz(struct ev *e, int col, const char *s);
/* ev_copy: field col = a copy of s[0..n) in the arena. */
void ev_copy(struct ev *e, int col, const char *s, size_t n);
/* ev_printf: field col = formatted text in the arena. */
void ev_printf(struct ev *e, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* ev_alloc: n bytes of arena memory, valid until ev_reset. */
char *ev_alloc(struct ev *e, size_t n);
/* ev_has: field col is non-empty. */
int ev_has(const struct ev *e, int col);

/* The syslog envelope, when the line has one. */
struct syslog_env {
	int		 pri;		/* -1 when absent */
	int64_t		 ts;		/* TM_NONE when the stamp was unusable */
	struct span	 host;		/* goes to sensor */
	struct span	 tag;		/* program name, "kernel", "postfix/smtpd" */
	struct span	 pid;
	struct span	 msg;		/* the message after "tag[pid]: " */
	struct span	 sd;		/* RFC 5424 structured data, or empty */
	struct span	 msgid;		/* RFC 5424 MSGID ("-" gives empty) */
	struct span	 line;		/* the whole raw line */
};

/* Per-input-file state shared by the parsers of one file. */
struct ln_file {
	const char	*name;
	unsigned long	 lineno;
	int		 year;		/* --year, or inferred for RFC 3164 */
	int		 last_mon;	/* for new-year inference */
	void		*state[32];	/* per-format state, indexed by the
					   format's slot; freed by its fini */
	int		 last_fmt;	/* driver: format that matched last,
					   tried first on the next line; -1 */
};

/* What a parser says of a line. */
enum {
	LN_NO = 0,	/* not this format: try the next */
	LN_OK = 1,	/* ev holds one record */
	LN_SKIP = 2,	/* a meta line of this format (header, comment) */
	LN_HOLD = 3,	/* line taken into a multi-line event still open */
	LN_BAD = -1	/* this format's line, but unusable: reject with
			   *why (a static string) */
};

struct ln_format {
	const char	*name;		/* for -f and --list-formats */
	const char	*desc;		/* one line for --list-formats */
	int		 slot;		/* index into ln_file.state, or -1 */
	/* Messages of syslog formats are tried on env->msg when the line
	 * has an envelope (and on the whole line when it has none). */
	int		 syslog;
	/* parse: fill ev from msg[0..n).  env is NULL when the line had no
	 * envelope (msg is then the whole line); otherwise env->line is the
	 * whole raw line.  Syslog formats are handed env->msg, the others
	 * the whole line with env NULL. */
	int		(*parse)(struct ln_file *f, const struct syslog_env *env,
			    const char *msg, size_t n, struct ev *ev,
			    const char **why);
	/* flush: at end of file, emit one held event per call into ev
	 * (LN_OK) until it returns LN_NO; NULL if the format holds none. */
	int		(*flush)(struct ln_file *f, struct ev *ev);
	/* fini: free the format's state in f->state[slot]. */
	void		(*fini)(struct ln_file *f);
};

/* Format tables, one per family file, each ending with a NULL name. */
extern const struct ln_format fw_formats[];
extern const struct ln_format web_formats[];
extern const struct ln_format dns_formats[];
extern const struct ln_format mail_formats[];
extern const struct ln_format auth_formats[];
extern const struct ln_format ids_formats[];
extern const struct ln_format file_formats[];

/* syslog_parse: split a line into envelope and message; 0, or -1 when the
 * line has no recognisable envelope.  Uses f->year/f->last_mon for RFC 3164
 * stamps (local time in the --tz zone). */
int syslog_parse(struct ln_file *f, const char *line, size_t n,
    struct syslog_env *env);

/* syslog_stamp3164: an RFC 3164 stamp "Mmm dd hh:mm:ss[.frac]" (or Cisco's
 * "Mmm dd yyyy hh:mm:ss") at s, read like an envelope's (year inference,
 * --tz); returns the bytes used, 0 if s does not start with one. */
size_t syslog_stamp3164(struct ln_file *f, const char *s, size_t n,
    int64_t *ts);

/* Small span helpers for parsers (lognorm.c). */
/* kv_find: value of "key=" in s (key at start or after a space); the value
 * runs to the next space (or is quoted with "..." when quoted is set).
 * Returns 1 and fills *v when found. */
int kv_find(const char *s, size_t n, const char *key, struct span *v);
/* span_eq / span_starts: compare with a NUL-terminated literal. */
int span_eq(struct span s, const char *lit);
int span_starts(struct span s, const char *lit);
/* memmem_lit: first occurrence of lit in s[0..n), or NULL. */
const char *memmem_lit(const char *s, size_t n, const char *lit);

/* span_num: s is all decimal digits (1-19, at most LLONG_MAX); 1 and *v,
 * else 0. */
int span_num(struct span s, long long *v);
/* span_ieq: s equals lit, ASCII case-insensitively. */
int span_ieq(struct span s, const char *lit);
/* ev_sets: field col = span s (not copied). */
void ev_sets(struct ev *e, int col, struct span s);

/*
 * The driver (driver.c): everything main() and the fuzz harnesses share.
 * Lines go in one at a time; records go to the writer (or nowhere when w
 * is NULL), rejects to the rejects file, counts to the stats.
 */
struct ln_stat {
	unsigned long long lines, records, skipped, rejected;
};

struct ln_driver {
	const struct ln_format **fmt;	/* every format, family order; the
					   last is the generic "syslog" */
	int		 nfmt;
	int		 forced;	/* -f: index into fmt, or -1 (auto) */
	int		 raw;		/* --raw: add the raw column */
	int		 year;		/* --year, or 0 */
	FILE		*out;		/* records go here; NULL: format them
					   and drop them (fuzzing) */
	int		 line_buffered;	/* flush after every record */
	int		 out_err;	/* a write failed */
	char		*obuf, *ebuf;	/* output buffer, escape scratch */
	size_t		 olen, ocap, elen, ecap;
	FILE		*rejects;	/* --rejects, or NULL */
	const char	*rejects_name;
	struct ln_stat	*st;		/* nfmt + 1: st[nfmt] is "unknown" */
	struct ev	 ev;
};

/* ln_init: all formats, auto mode, no writer; ln_fini frees. */
void ln_init(struct ln_driver *d);
void ln_fini(struct ln_driver *d);
/* ln_format_index: index of format name, or -1. */
int ln_format_index(const struct ln_driver *d, const char *name);
/* ln_header: write the output header (core columns, raw with --raw). */
void ln_header(struct ln_driver *d);
/* ln_out_close: flush the output; 0, or -1 after reporting a write
 * error. */
int ln_out_close(struct ln_driver *d);
/* ln_file_begin / ln_file_end: around the lines of one input; end emits
 * held events (flush) and frees per-format state. */
void ln_file_begin(struct ln_driver *d, struct ln_file *f, const char *name);
void ln_file_end(struct ln_driver *d, struct ln_file *f);
/* ln_line: one input line (f->lineno already set). */
void ln_line(struct ln_driver *d, struct ln_file *f, const char *line,
    size_t n);
/* ln_line_long: a line longer than the maximum: a reject.  kept is the
 * first part the reader holds, total the line's length. */
void ln_line_long(struct ln_driver *d, struct ln_file *f, const char *kept,
    size_t keptlen, size_t total);
/* ln_total: sum of all stats. */
struct ln_stat ln_total(const struct ln_driver *d);
/* ln_stats_print: the --stats lines to fp. */
void ln_stats_print(const struct ln_driver *d, FILE *fp);

/* The generic syslog format (syslog.c): any enveloped line, tried last. */
extern const struct ln_format syslog_generic;

#endif
