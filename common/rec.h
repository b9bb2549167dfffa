/*
 * rec: the record stream of kazami.7: CSV (RFC 4180) with a header row,
 * one record per line, fields escaped so no record ever spans lines.
 *
 * Reading hides libcsv's callbacks behind a pull API.  Lines without a
 * double quote are split on commas directly (the fast path); quoted lines
 * go through libcsv.  Field values are kept in their escaped form (see
 * rec_escape), so a value read and written again is byte-identical.
 */
#ifndef KZ_REC_H
#define KZ_REC_H

#include <stddef.h>
#include <stdio.h>

#define REC_MAX_DEFAULT (16u << 20)	/* longest record read: 16 MiB */

/* The core event columns, in lognorm's order. */
#define REC_CORE_COLUMNS "ts,sensor,kind,action,proto,src,sport,dst,dport," \
	"user,host,url,method,status,bytes,dur,qtype,mime,sig,sev,file,op,msg"
enum rec_core {
	RC_TS, RC_SENSOR, RC_KIND, RC_ACTION, RC_PROTO, RC_SRC, RC_SPORT,
	RC_DST, RC_DPORT, RC_USER, RC_HOST, RC_URL, RC_METHOD, RC_STATUS,
	RC_BYTES, RC_DUR, RC_QTYPE, RC_MIME, RC_SIG, RC_SEV, RC_FILE, RC_OP,
	RC_MSG, RC_NCORE
};
extern const char *const rec_core_names[RC_NCORE];

/*
 * The alert columns every detector writes, in this order.  state is "open"
 * for the record written as soon as an episode's condition holds and
 * "closed" for the one written when the episode ends, which carries the
 * episode's full count, first and last (kazami.7, ALERTS).
 */
#define REC_ALERT_COLUMNS "ts,rule,sev,src,dst,dport,host,user,count," \
	"first,last,detail,state"

/* ---- reading ---- */

struct rec_reader;

/*
 * rec_open: open a record stream over the files in paths[0..n-1] read one
 * after another (n == 0, or a path "-", reads stdin) and read the first
 * header.  Later files must have the same header; a file whose header
 * differs is reported and skipped (rec_status() then says 2).  A line equal
 * to the header inside a stream (cat a.csv b.csv) is skipped as a meta line.
 * Returns NULL after printing the error when the first header cannot be
 * read (a zero-byte input is an error).
 */
struct rec_reader *rec_open(char *const paths[], int n);

/* rec_set_max: longest record accepted (default REC_MAX_DEFAULT). */
void rec_set_max(struct rec_reader *r, size_t max);

/* rec_col: index of column name, or -1. */
int rec_col(const struct rec_reader *r, const char *name);

/* rec_need: index of column name; if missing prints "tool: file: missing
 * column 'name'" and exits 2. */
int rec_need(const struct rec_reader *r, const char *name);

/* rec_ncols / rec_colname: the header. */
int rec_ncols(const struct rec_reader *r);
const char *rec_colname(const struct rec_reader *r, int i);

/*
 * rec_next: read the next record.  Returns 1 for a record, 0 at the end of
 * the last input, -1 on an error that ends reading (already reported).
 * A malformed record (wrong number of fields, unterminated quote, too long)
 * is reported as "tool: file:line: ..." and skipped; it counts in
 * rec_rejects() and makes rec_status() 2.
 */
int rec_next(struct rec_reader *r);

/* rec_get: field i of the current record; *len its length (may be NULL).
 * The bytes are NUL-terminated and valid until the next rec_next.  A
 * column index of -1 gives "". */
const char *rec_get(const struct rec_reader *r, int i, size_t *len);

/* rec_file / rec_line: where the current record came from. */
const char *rec_file(const struct rec_reader *r);
unsigned long rec_line(const struct rec_reader *r);

/* rec_rejects: malformed records skipped so far. */
unsigned long rec_rejects(const struct rec_reader *r);

/* rec_status: 0, or 2 when some input could not be read or was skipped. */
int rec_status(const struct rec_reader *r);

/* rec_close: frees the reader. */
void rec_close(struct rec_reader *r);

/* ---- writing ---- */

struct rec_writer;

/* rec_wopen: a writer on stdout (buffered; line_buffered flushes after each
 * record).  name is used in write-error messages. */
struct rec_writer *rec_wopen(int line_buffered);

/* rec_header: write a header of ncols names; remembers ncols. */
void rec_header(struct rec_writer *w, const char *const names[], int ncols);

/* rec_header_like: header = the reader's columns, then extra[0..nextra-1];
 * a column that is already present is not added twice: *slots (if not
 * NULL) receives for each extra its output index. */
void rec_header_like(struct rec_writer *w, const struct rec_reader *r,
    const char *const extra[], int nextra, int *slots);

/*
 * Building a record: set fields (unset ones are empty), then rec_emit.
 * rec_set keeps the pointer (the bytes must live until rec_emit) and
 * expects escaped text (as read); rec_set_text copies and escapes raw text
 * (control bytes, invalid UTF-8, backslash); rec_set_copy copies escaped
 * text; rec_set_num copies a formatted number.
 */
void rec_set(struct rec_writer *w, int i, const char *s, size_t n);
void rec_set_copy(struct rec_writer *w, int i, const char *s, size_t n);
void rec_set_text(struct rec_writer *w, int i, const char *s, size_t n);
void rec_set_num(struct rec_writer *w, int i, long long v);
void rec_set_str(struct rec_writer *w, int i, const char *s); /* rec_set + strlen */

/* rec_set_from: copy every field of the reader's current record into the
 * same output positions (for a header made by rec_header_like). */
void rec_set_from(struct rec_writer *w, const struct rec_reader *r);

/* rec_emit: write the record built so far and clear it. */
void rec_emit(struct rec_writer *w);

/* rec_flush: push buffered output to the kernel. */
void rec_flush(struct rec_writer *w);

/* rec_wclose: flush, free; returns 0, or -1 after reporting a write error
 * (a full disk must not look like success). */
int rec_wclose(struct rec_writer *w);

/* rec_written: records emitted so far (not counting the header). */
unsigned long long rec_written(const struct rec_writer *w);

/* ---- escaping (kazami.7) ---- */

/*
 * rec_escape: append the escaped form of raw bytes s[0..n) to *buf
 * (a growing buffer of *cap bytes holding *len).  Backslash becomes "\\",
 * TAB "\t", LF "\n", CR "\r", other bytes below 0x20, DEL and bytes that
 * are not part of valid UTF-8 "\xHH".  Valid UTF-8 passes unchanged.
 */
void rec_escape(char **buf, size_t *len, size_t *cap, const char *s,
    size_t n);

/* rec_needs_escape: s[0..n) would change under rec_escape. */
int rec_needs_escape(const char *s, size_t n);

/* rec_unescape: the inverse, into a fresh buffer (caller frees); *outlen
 * receives its length.  Unknown escapes are kept as written. */
char *rec_unescape(const char *s, size_t n, size_t *outlen);

#endif
