/*
 * rec: the record stream (kazami.7).  Reading: one line is one record;
 * lines without a double quote and with only printable ASCII are split
 * on commas in place (the fast path, most of any real stream), every
 * other line goes through libcsv, which also stitches together a quoted
 * field that a foreign writer broke over lines.  Fields keep kazami's
 * escapes; only bytes no record may hold (control bytes, invalid UTF-8)
 * are escaped on the way in, so the one-record-per-line rule holds for
 * whatever we write next.
 */
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "line.h"
#include "rec.h"
#include "util.h"

const char *const rec_core_names[RC_NCORE] = {
	"ts", "sensor", "kind", "action", "proto", "src", "sport", "dst",
	"dport", "user", "host", "url", "method", "status", "bytes", "dur",
	"qtype", "mime", "sig", "sev", "file", "op", "msg",
};

/* ---- escaping ---- */

/* utf8_len: length of the valid UTF-8 sequence at s (n bytes left), or 0
 * when s[0] does not start one (RFC 3629: no overlongs, no surrogates). */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = 0x80, hi = 0xbf;

		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		return n >= 3 && s[1] >= lo && s[1] <= hi &&
		    (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = 0x80, hi = 0xbf;

		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		return n >= 4 && s[1] >= lo && s[1] <= hi &&
		    (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

static void
grow(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	*buf = xrealloc(*buf, c);
	*cap = c;
}

/*
 * escape_into: append s[0..n) to *buf escaped; the backslash itself is
 * escaped only for raw text (backslash set), not for text already in
 * stream form.
 */
static void
escape_into(char **buf, size_t *len, size_t *cap, const char *s, size_t n,
    int backslash)
{
	static const char hex[] = "0123456789abcdef";
	/* Bytes that pass as they are: printable ASCII, and the backslash
	 * too when the text is already in stream form. */
	static const unsigned char plain[2][256] = {
		{ [0x20 ... 0x7e] = 1 },
		{ [0x20 ... 0x5b] = 1, [0x5d ... 0x7e] = 1 },
	};
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *ok = plain[backslash != 0];
	size_t i = 0;

	grow(buf, cap, *len + n + 1);
	while (i < n) {
		unsigned char c;
		size_t k, j = i;

		while (j < n && ok[p[j]])
			j++;
		if (j > i) {
			/* A run of plain bytes: one copy. */
			grow(buf, cap, *len + (j - i) + 1);
			memcpy(*buf + *len, p + i, j - i);
			*len += j - i;
			i = j;
			continue;
		}
		c = p[i];
		grow(buf, cap, *len + 5);
		if (c >= 0x80 && (k = utf8_len(p + i, n - i)) > 0) {
			grow(buf, cap, *len + k + 1);
			memcpy(*buf + *len, p + i, k);
			*len += k;
			i += k;
			continue;
		}
		(*buf)[(*len)++] = '\\';
		switch (c) {
		case '\\':
			(*buf)[(*len)++] = '\\';
			break;
		case '\t':
			(*buf)[(*len)++] = 't';
			break;
		case '\n':
			(*buf)[(*len)++] = 'n';
			break;
		case '\r':
			(*buf)[(*len)++] = 'r';
			break;
		default:
			(*buf)[(*len)++] = 'x';
			(*buf)[(*len)++] = hex[c >> 4];
			(*buf)[(*len)++] = hex[c & 15];
		}
		i++;
	}
}

void
rec_escape(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	escape_into(buf, len, cap, s, n, 1);
}

int
rec_needs_escape(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		unsigned char c = p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80 && (k = utf8_len(p + i, n - i)) > 0) {
			i += k;
			continue;
		}
		return 1;
	}
	return 0;
}


char *
rec_unescape(const char *s, size_t n, size_t *outlen)
{
	char *out = xmalloc(n + 1);
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			out[o++] = s[i];
			continue;
		}
		switch (s[i + 1]) {
		case '\\':
			out[o++] = '\\';
			i++;
			break;
		case 't':
			out[o++] = '\t';
			i++;
			break;
		case 'n':
			out[o++] = '\n';
			i++;
			break;
		case 'r':
			out[o++] = '\r';
			i++;
			break;
		case 'x':
			if (i + 3 < n + 0 && hexdigit(s[i + 2]) >= 0 &&
			    hexdigit(s[i + 3]) >= 0) {
				out[o++] = (char)(hexdigit(s[i + 2]) * 16 +
				    hexdigit(s[i + 3]));
				i += 3;
				break;
			}
			/* FALLTHROUGH */
		default:
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

/* ---- reading ---- */

struct rec_reader {
	char		**paths;
	int		 npaths;
	int		 pi;		/* index of the open path */
	struct line_reader *lr;
	char		*name;		/* of the file being read */
	size_t		 max;

	char		**cols;		/* header names */
	int		 ncols;
	char		*hdr;		/* first header line, raw */
	size_t		 hdrlen;

	/* The current record: fields live in fbuf, NUL-terminated. */
	char		*fbuf;
	size_t		 flen, fcap;
	size_t		*off;
	size_t		*len;
	int		 nf;		/* fields seen in the record */
	int		 toomany;
	unsigned long	 line;		/* first line of the record */
	const char	*raw;		/* the line, when it is the record's */
	size_t		 rawlen;	/* exact CSV (fast path), else NULL */

	struct csv_parser csv;
	int		 csv_done;	/* libcsv ended a record */

	unsigned long	 rejects;
	int		 told;		/* the reject total was printed */
	int		 status;
};

static const char *
cur_name(const struct rec_reader *r)
{
	return r->name ? r->name : "stdin";
}

/* Field and record callbacks for libcsv: append into fbuf. */
static void
csv_field(void *s, size_t n, void *data)
{
	struct rec_reader *r = data;

	if (r->nf >= r->ncols && r->ncols > 0) {
		r->toomany = 1;
		r->nf++;
		return;
	}
	if (r->ncols == 0) {
		/* Reading the header: columns grow as found. */
		r->off = xreallocarray(r->off, (size_t)r->nf + 1,
		    sizeof *r->off);
		r->len = xreallocarray(r->len, (size_t)r->nf + 1,
		    sizeof *r->len);
	}
	r->off[r->nf] = r->flen;
	escape_into(&r->fbuf, &r->flen, &r->fcap, s, n, 0);
	r->len[r->nf] = r->flen - r->off[r->nf];
	grow(&r->fbuf, &r->fcap, r->flen + 1);
	r->fbuf[r->flen++] = '\0';
	r->nf++;
}

static void
csv_record(int c, void *data)
{
	struct rec_reader *r = data;

	(void)c;
	r->csv_done = 1;
}

/*
 * The fast path looks at eight bytes at a time: a word with no comma and
 * no byte that needs libcsv (quote, control, DEL, non-ASCII) is skipped
 * whole.  zero_bytes() marks, exactly, the bytes of a word that are zero.
 */
#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL
#define LOW7	0x7f7f7f7f7f7f7f7fULL

static inline uint64_t
zero_bytes(uint64_t w)
{
	return ~(((w & LOW7) + LOW7) | w | LOW7);
}

/* special_bytes: non-zero when the word holds a byte libcsv must see. */
static inline uint64_t
special_bytes(uint64_t w)
{
	return (w & HIGHS) | zero_bytes(w ^ (ONES * '"')) |
	    zero_bytes(w ^ (ONES * 0x7f)) |
	    ((w - ONES * 0x20) & ~w & HIGHS);	/* a byte below 0x20 */
}

/* mark_comma: field boundary at offset i of the copy in fbuf. */
static inline void
mark_comma(struct rec_reader *r, size_t i, size_t *start, int *nf)
{
	if (*nf < r->ncols) {
		r->off[*nf] = *start;
		r->len[*nf] = i - *start;
	}
	(*nf)++;
	r->fbuf[i] = '\0';
	*start = i + 1;
}

/*
 * split_fast: the common case, a line of printable ASCII without quotes,
 * split on commas over a copy of the line.  Returns 0, or -1 when the
 * line needs libcsv after all.
 */
static int
split_fast(struct rec_reader *r, const char *p, size_t n)
{
	size_t i = 0, start = 0;
	int nf = 0;
	char *s;

	grow(&r->fbuf, &r->fcap, n + 8);
	s = r->fbuf;
	memcpy(s, p, n);
	s[n] = '\0';
	for (; i + 8 <= n; i += 8) {
		uint64_t w, commas;

		memcpy(&w, s + i, 8);
		if (special_bytes(w))
			return -1;
		commas = zero_bytes(w ^ (ONES * ','));
		while (commas) {
			mark_comma(r, i + (size_t)(__builtin_ctzll(commas) >> 3),
			    &start, &nf);
			commas &= commas - 1;
		}
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '"')
			return -1;
		if (c == ',')
			mark_comma(r, i, &start, &nf);
	}
	if (nf < r->ncols) {
		r->off[nf] = start;
		r->len[nf] = n - start;
	}
	r->flen = n + 1;
	r->nf = nf + 1;
	r->toomany = r->nf > r->ncols;
	r->raw = p;
	r->rawlen = n;
	return 0;
}

#define REC_REJECTS_SHOWN 10	/* malformed records named one by one */

enum { GOT_REC = 1, GOT_EOF = 0, GOT_ERR = -1, GOT_BAD = -2, GOT_SKIP = -3 };

/*
 * read_record: read one record (one line, or more when a quoted field
 * runs over line ends) of the open file into the field arrays.
 */
static int
read_record(struct rec_reader *r, const char **why)
{
	const char *p;
	size_t n, total = 0;
	int lr;

	lr = line_next(r->lr, &p, &n);
	if (lr == LINE_EOF)
		return GOT_EOF;
	if (lr == LINE_ERR)
		return GOT_ERR;
	r->line = line_number(r->lr);
	if (lr == LINE_LONG) {
		*why = "record longer than the maximum record size";
		return GOT_BAD;
	}
	if (n == 0) {
		*why = NULL;
		return GOT_SKIP;	/* a blank line is no record */
	}
	if (r->hdr != NULL && n == r->hdrlen && memcmp(p, r->hdr, n) == 0) {
		*why = NULL;
		return GOT_SKIP;	/* the header again: cat a.csv b.csv */
	}
	r->nf = 0;
	r->toomany = 0;
	r->flen = 0;
	r->raw = NULL;
	if (r->ncols > 0 && split_fast(r, p, n) == 0)
		goto check;
	r->nf = 0;
	r->flen = 0;
	r->raw = NULL;
	csv_init(&r->csv, 0);
	r->csv_done = 0;
	for (;;) {
		total += n;
		if (csv_parse(&r->csv, p, n, csv_field, csv_record, r) != n) {
			csv_free(&r->csv);
			*why = "malformed CSV";
			return GOT_BAD;
		}
		if (r->csv_done)
			break;
		/* Still inside quotes: the record goes on with the next
		 * line; keep the line end as part of the field. */
		if (csv_parse(&r->csv, "\n", 1, csv_field, csv_record, r) != 1)
			break;
		if (r->csv_done)
			break;
		if (total > r->max) {
			csv_free(&r->csv);
			*why = "record longer than the maximum record size";
			return GOT_BAD;
		}
		lr = line_next(r->lr, &p, &n);
		if (lr == LINE_ERR) {
			csv_free(&r->csv);
			return GOT_ERR;
		}
		if (lr != LINE_OK) {
			csv_free(&r->csv);
			*why = lr == LINE_LONG ? "record longer than the maximum"
			    " record size" : "unterminated quoted field at "
			    "end of input";
			return GOT_BAD;
		}
	}
	csv_fini(&r->csv, csv_field, csv_record, r);
	csv_free(&r->csv);
check:
	if (r->ncols > 0 && r->nf != r->ncols) {
		static char msg[96];

		snprintf(msg, sizeof msg, "%d fields, the header has %d",
		    r->nf, r->ncols);
		*why = msg;
		return GOT_BAD;
	}
	return GOT_REC;
}

/* open_next: open paths[pi], reporting a failure; returns 0 or -1. */
static int
open_path(struct rec_reader *r)
{
	const char *path = r->npaths ? r->paths[r->pi] : "-";

	r->lr = line_open(path, r->max);
	free(r->name);
	r->name = xstrdup(strcmp(path, "-") == 0 ? "stdin" : path);
	if (r->lr == NULL) {
		r->status = EXIT_ERROR;
		return -1;
	}
	return 0;
}

/* read_header: read the open file's header; first says whether it sets
 * the stream's columns.  Returns 0, or -1 after reporting. */
static int
read_header(struct rec_reader *r, int first)
{
	const char *why = NULL;
	const char *p;
	size_t n;
	int lr, got;

	/* Peek at the raw line for the repeated-header check. */
	lr = line_next(r->lr, &p, &n);
	if (lr == LINE_ERR)
		return -1;
	if (lr == LINE_EOF) {
		warnx("%s: empty input: no header", cur_name(r));
		return -1;
	}
	if (lr == LINE_LONG || n == 0) {
		warnx("%s:1: bad header line", cur_name(r));
		return -1;
	}
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;		/* a UTF-8 byte order mark from a spreadsheet */
		n -= 3;
	}
	if (!first) {
		if (n == r->hdrlen && memcmp(p, r->hdr, n) == 0)
			return 0;
		warnx("%s: header differs from the first input's; file "
		    "skipped", cur_name(r));
		return -1;
	}
	r->hdr = xstrndup(p, n);
	r->hdrlen = n;
	/* Parse the saved copy with libcsv (header names may be quoted). */
	r->ncols = 0;
	r->nf = 0;
	r->flen = 0;
	csv_init(&r->csv, 0);
	r->csv_done = 0;
	got = csv_parse(&r->csv, r->hdr, n, csv_field, csv_record, r) == n;
	csv_fini(&r->csv, csv_field, csv_record, r);
	csv_free(&r->csv);
	(void)why;
	if (!got || r->nf == 0) {
		warnx("%s:1: malformed header", cur_name(r));
		return -1;
	}
	r->ncols = r->nf;
	r->cols = xcalloc((size_t)r->ncols, sizeof *r->cols);
	for (int i = 0; i < r->ncols; i++) {
		r->cols[i] = xstrdup(r->fbuf + r->off[i]);
		for (int j = 0; j < i; j++)
			if (strcmp(r->cols[i], r->cols[j]) == 0) {
				warnx("%s:1: column '%s' appears twice",
				    cur_name(r), r->cols[i]);
				return -1;
			}
	}
	return 0;
}

struct rec_reader *
rec_open(char *const paths[], int n)
{
	struct rec_reader *r = xcalloc(1, sizeof *r);

	r->paths = (char **)paths;
	r->npaths = n;
	r->max = REC_MAX_DEFAULT;
	/* The first input sets the columns: without its header, stop. */
	if (open_path(r) == 0 && read_header(r, 1) == 0)
		return r;
	rec_close(r);
	return NULL;
}

void
rec_set_max(struct rec_reader *r, size_t max)
{
	r->max = max;
}

int
rec_col(const struct rec_reader *r, const char *name)
{
	for (int i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i], name) == 0)
			return i;
	return -1;
}

int
rec_need(const struct rec_reader *r, const char *name)
{
	int i = rec_col(r, name);

	if (i < 0)
		errx(EXIT_ERROR, "%s: missing column '%s'", cur_name(r), name);
	return i;
}

int
rec_ncols(const struct rec_reader *r)
{
	return r->ncols;
}

const char *
rec_colname(const struct rec_reader *r, int i)
{
	return i >= 0 && i < r->ncols ? r->cols[i] : NULL;
}

int
rec_next(struct rec_reader *r)
{
	const char *why;
	int got;

	for (;;) {
		if (r->lr == NULL) {
			/* Move on to the next operand. */
			if (r->npaths == 0 || r->pi + 1 >= r->npaths) {
				if (r->rejects > REC_REJECTS_SHOWN &&
				    !r->told) {
					warnx("%lu malformed records skipped "
					    "in all", r->rejects);
					r->told = 1;
				}
				return 0;
			}
			r->pi++;
			if (open_path(r) != 0)
				continue;
			if (read_header(r, 0) != 0) {
				r->status = EXIT_ERROR;
				line_close(r->lr);
				r->lr = NULL;
				continue;
			}
		}
		got = read_record(r, &why);
		switch (got) {
		case GOT_REC:
			return 1;
		case GOT_SKIP:
			continue;
		case GOT_BAD:
			/* Name the first few; a file of garbage must not
			 * bury the terminal.  The total comes at the end. */
			if (++r->rejects <= REC_REJECTS_SHOWN)
				warnx("%s:%lu: %s; record skipped%s",
				    cur_name(r), r->line, why,
				    r->rejects == REC_REJECTS_SHOWN ?
				    " (further ones are only counted)" : "");
			r->status = EXIT_ERROR;
			continue;
		case GOT_ERR:
			r->status = EXIT_ERROR;
			/* FALLTHROUGH */
		case GOT_EOF:
			line_close(r->lr);
			r->lr = NULL;
			if (got == GOT_ERR && r->npaths <= 1)
				return -1;
			continue;
		}
	}
}

const char *
rec_get(const struct rec_reader *r, int i, size_t *len)
{
	if (i < 0 || i >= r->ncols) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = r->len[i];
	return r->fbuf + r->off[i];
}

const char *
rec_file(const struct rec_reader *r)
{
	return cur_name(r);
}

unsigned long
rec_line(const struct rec_reader *r)
{
	return r->line;
}

unsigned long
rec_rejects(const struct rec_reader *r)
{
	return r->rejects;
}

int
rec_status(const struct rec_reader *r)
{
	return r->status;
}

void
rec_close(struct rec_reader *r)
{
	if (r == NULL)
		return;
	line_close(r->lr);
	for (int i = 0; i < r->ncols; i++)
		free(r->cols[i]);
	free(r->cols);
	free(r->hdr);
	free(r->name);
	free(r->fbuf);
	free(r->off);
	free(r->len);
	free(r);
}

/* ---- writing ---- */

#define OBUF_SIZE (64u << 10)

struct rec_writer {
	int		 fd;
	int		 line_buffered;
	int		 failed;	/* a write error was reported */
	char		*obuf;
	size_t		 olen, ocap;
	int		 ncols;
	const char	**fp;		/* field pointer, or NULL: see foff */
	size_t		*fn;
	size_t		*foff;		/* offset into scratch when fp NULL */
	char		*scratch;
	size_t		 slen, scap;
	unsigned long long written;
	/* After rec_set_from on a record read by the fast path, the first
	 * pass_n fields are that line as it was: written as one span. */
	const char	*pass;
	size_t		 passlen;
	int		 pass_n;
	const struct rec_reader *from;	/* fields not yet set, see pass */
};

/* unpass: a passed-through field is about to change: set every field of
 * the record from the reader after all, and write them one by one. */
static void
unpass(struct rec_writer *w)
{
	const struct rec_reader *r = w->from;

	w->pass = NULL;
	w->from = NULL;
	for (int i = 0; i < w->pass_n; i++) {
		w->fp[i] = r->fbuf + r->off[i];
		w->fn[i] = r->len[i];
	}
	w->pass_n = 0;
}

struct rec_writer *
rec_wopen(int line_buffered)
{
	struct rec_writer *w = xcalloc(1, sizeof *w);

	w->fd = STDOUT_FILENO;
	w->line_buffered = line_buffered;
	w->ocap = OBUF_SIZE;
	w->obuf = xmalloc(w->ocap);
	return w;
}

static void
wflush(struct rec_writer *w)
{
	size_t done = 0;

	while (done < w->olen && !w->failed) {
		ssize_t n = write(w->fd, w->obuf + done, w->olen - done);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			warn("write error");
			w->failed = 1;
			break;
		}
		done += (size_t)n;
	}
	w->olen = 0;
}

static inline void
wputc(struct rec_writer *w, char c)
{
	if (w->olen == w->ocap)
		wflush(w);
	w->obuf[w->olen++] = c;
}

static void
wput(struct rec_writer *w, const char *s, size_t n)
{
	if (w->olen + n > w->ocap) {
		wflush(w);
		if (n > w->ocap) {
			w->ocap = n;
			w->obuf = xrealloc(w->obuf, w->ocap);
		}
	}
	memcpy(w->obuf + w->olen, s, n);
	w->olen += n;
}

/*
 * put_field: write one field, quoted when it holds a comma or a double
 * quote (RFC 4180).  Control bytes cannot be in a stream field; a caller
 * that passed some anyway gets them escaped here, so the one-record-per-
 * line rule cannot be broken from anywhere.
 */
static void
put_field(struct rec_writer *w, const char *s, size_t n)
{
	/* 1: needs quotes, 2: a control byte; one table load per byte. */
	static const unsigned char cls[256] = {
		[0 ... 0x1f] = 2, [','] = 1, ['"'] = 1, [0x7f] = 2,
	};
	const unsigned char *p = (const unsigned char *)s;
	unsigned char k = 0;
	int quote, ctl;
	size_t i;

	for (i = 0; i < n; i++)
		k |= cls[p[i]];
	quote = k & 1;
	ctl = k & 2;
	if (ctl) {
		char *tmp = NULL;
		size_t tl = 0, tc = 0;

		escape_into(&tmp, &tl, &tc, s, n, 0);
		put_field(w, tmp, tl);
		free(tmp);
		return;
	}
	if (!quote) {
		wput(w, s, n);
		return;
	}
	wput(w, "\"", 1);
	for (;;) {
		const char *q = memchr(s, '"', n);

		if (q == NULL)
			break;
		wput(w, s, (size_t)(q - s) + 1);
		wput(w, "\"", 1);
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	wput(w, s, n);
	wput(w, "\"", 1);
}

static void
set_ncols(struct rec_writer *w, int ncols)
{
	w->ncols = ncols;
	w->fp = xcalloc((size_t)ncols + 1, sizeof *w->fp);
	w->fn = xcalloc((size_t)ncols + 1, sizeof *w->fn);
	w->foff = xcalloc((size_t)ncols + 1, sizeof *w->foff);
}

void
rec_header(struct rec_writer *w, const char *const names[], int ncols)
{
	for (int i = 0; i < ncols; i++) {
		if (i > 0)
			wput(w, ",", 1);
		put_field(w, names[i], strlen(names[i]));
	}
	wput(w, "\n", 1);
	set_ncols(w, ncols);
	if (w->line_buffered)
		wflush(w);
}

void
rec_header_like(struct rec_writer *w, const struct rec_reader *r,
    const char *const extra[], int nextra, int *slots)
{
	const char **names;
	int n = r->ncols;

	names = xcalloc((size_t)(r->ncols + nextra) + 1, sizeof *names);
	for (int i = 0; i < r->ncols; i++)
		names[i] = r->cols[i];
	for (int k = 0; k < nextra; k++) {
		int at = -1;

		for (int i = 0; i < n; i++)
			if (strcmp(names[i], extra[k]) == 0)
				at = i;
		if (at < 0) {
			at = n;
			names[n++] = extra[k];
		}
		if (slots)
			slots[k] = at;
	}
	rec_header(w, names, n);
	free(names);
}

void
rec_set(struct rec_writer *w, int i, const char *s, size_t n)
{
	if (i < 0 || i >= w->ncols)
		return;
	if (i < w->pass_n)
		unpass(w);	/* a passed-through field changes */
	w->fp[i] = s;
	w->fn[i] = n;
}

void
rec_set_str(struct rec_writer *w, int i, const char *s)
{
	rec_set(w, i, s, strlen(s));
}

/* set_scratch: field i is scratch[off..slen). */
static void
set_scratch(struct rec_writer *w, int i, size_t off)
{
	if (i < w->pass_n)
		unpass(w);
	w->fp[i] = NULL;
	w->foff[i] = off;
	w->fn[i] = w->slen - off;
}

void
rec_set_copy(struct rec_writer *w, int i, const char *s, size_t n)
{
	size_t off = w->slen;

	if (i < 0 || i >= w->ncols)
		return;
	grow(&w->scratch, &w->scap, w->slen + n + 1);
	memcpy(w->scratch + w->slen, s, n);
	w->slen += n;
	set_scratch(w, i, off);
}

void
rec_set_text(struct rec_writer *w, int i, const char *s, size_t n)
{
	size_t off = w->slen;

	if (i < 0 || i >= w->ncols)
		return;
	escape_into(&w->scratch, &w->slen, &w->scap, s, n, 1);
	set_scratch(w, i, off);
}

void
rec_set_num(struct rec_writer *w, int i, long long v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	/* Counts are written once per output row: no printf for them. */
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	rec_set_copy(w, i, p, (size_t)(tmp + sizeof tmp - p));
}

void
rec_set_from(struct rec_writer *w, const struct rec_reader *r)
{
	if (r->raw != NULL && r->ncols <= w->ncols) {
		/* The line itself will do, unless a field changes. */
		w->pass = r->raw;
		w->passlen = r->rawlen;
		w->pass_n = r->ncols;
		w->from = r;
		return;
	}
	for (int i = 0; i < r->ncols && i < w->ncols; i++)
		rec_set(w, i, r->fbuf + r->off[i], r->len[i]);
}

void
rec_emit(struct rec_writer *w)
{
	int i = 0;

	if (w->pass != NULL) {
		wput(w, w->pass, w->passlen);
		i = w->pass_n;
	}
	w->pass = NULL;
	w->from = NULL;
	w->pass_n = 0;
	for (; i < w->ncols; i++) {
		if (i > 0)
			wputc(w, ',');
		if (w->fn[i] > 0)
			put_field(w, w->fp[i] ? w->fp[i] :
			    w->scratch + w->foff[i], w->fn[i]);
		w->fp[i] = NULL;
		w->fn[i] = 0;
	}
	wputc(w, '\n');
	w->slen = 0;
	w->written++;
	if (w->line_buffered)
		wflush(w);
}

void
rec_flush(struct rec_writer *w)
{
	wflush(w);
}

unsigned long long
rec_written(const struct rec_writer *w)
{
	return w->written;
}

int
rec_wclose(struct rec_writer *w)
{
	int bad;

	if (w == NULL)
		return 0;
	wflush(w);
	bad = w->failed;
	free(w->obuf);
	free(w->fp);
	free(w->fn);
	free(w->foff);
	free(w->scratch);
	free(w);
	return bad ? -1 : 0;
}
