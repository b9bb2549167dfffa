/*
 * driver: one raw line in, one record, skip or reject out.  Kept apart
 * from main() so the fuzz harnesses drive exactly the code main() does.
 *
 * Auto-detection, per line: a line with a syslog envelope is offered to
 * the syslog formats (on the envelope's message), then to the others (on
 * the whole line), then to the generic "syslog" format; a line without
 * one is offered to every format on the whole line.  The format that
 * matched the previous line is tried first: files are nearly always of
 * one format, so most lines cost one parse.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "lognorm.h"
#include "rec.h"
#include "tm.h"
#include "util.h"

static void fclass_init(void);

static const struct ln_format *const families[] = {
	fw_formats, web_formats, dns_formats, mail_formats, auth_formats,
	ids_formats, file_formats,
};

void
ln_init(struct ln_driver *d)
{
	size_t i;
	int n = 0;
	const struct ln_format *t;

	memset(d, 0, sizeof *d);
	for (i = 0; i < sizeof families / sizeof families[0]; i++)
		for (t = families[i]; t->name != NULL; t++)
			n++;
	d->fmt = xcalloc((size_t)n + 1, sizeof *d->fmt);
	n = 0;
	for (i = 0; i < sizeof families / sizeof families[0]; i++)
		for (t = families[i]; t->name != NULL; t++)
			d->fmt[n++] = t;
	d->fmt[n++] = &syslog_generic;
	d->nfmt = n;
	d->forced = -1;
	d->st = xcalloc((size_t)n + 1, sizeof *d->st);
	ev_reset(&d->ev);
	fclass_init();
}

void
ln_fini(struct ln_driver *d)
{
	ev_free(&d->ev);
	free(d->fmt);
	free(d->st);
	d->fmt = NULL;
	d->st = NULL;
}

int
ln_format_index(const struct ln_driver *d, const char *name)
{
	int i;

	for (i = 0; i < d->nfmt; i++)
		if (strcmp(d->fmt[i]->name, name) == 0)
			return i;
	return -1;
}

void
ln_file_begin(struct ln_driver *d, struct ln_file *f, const char *name)
{
	memset(f, 0, sizeof *f);
	f->name = name;
	f->year = d->year;
	f->last_fmt = -1;
}

/*
 * Output.  lognorm writes the record format itself rather than through
 * rec_writer: it is the one tool whose speed is bound by writing, and
 * most of its fields need neither escaping nor quoting, which one scan
 * tells.  Escaping is still rec_escape's (kazami.7), quoting RFC 4180's.
 */
static void
oflush(struct ln_driver *d)
{
	if (d->out != NULL && d->olen > 0 &&
	    fwrite(d->obuf, 1, d->olen, d->out) != d->olen)
		d->out_err = 1;
	d->olen = 0;
}

static void
oput(struct ln_driver *d, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (d->ocap - d->olen < n) {
		oflush(d);
		if (d->ocap < n) {
			d->ocap = n > (1u << 18) ? n : (1u << 18);
			d->obuf = xrealloc(d->obuf, d->ocap);
		}
	}
	memcpy(d->obuf + d->olen, s, n);
	d->olen += n;
}

/* oreserve: room for n more bytes without flushing mid-record checks. */
static void
oreserve(struct ln_driver *d, size_t n)
{
	if (d->ocap - d->olen < n) {
		oflush(d);
		if (d->ocap < n) {
			d->ocap = n > (1u << 18) ? n : (1u << 18);
			d->obuf = xrealloc(d->obuf, d->ocap);
		}
	}
}

/* byte classes for field(): 0 plain, 1 needs quoting, 2 needs escaping
 * (control bytes, DEL, backslash, and bytes of UTF-8 to be checked) */
static unsigned char fclass[256];

static void
fclass_init(void)
{
	int c;

	for (c = 0; c < 256; c++)
		fclass[c] = (c < 0x20 || c >= 0x7f || c == '\\') ? 2 :
		    (c == ',' || c == '"') ? 1 : 0;
}

/*
 * field: one text field at o, escaped and quoted as needed, into room the
 * caller reserved (4n + 3 bytes cover the worst case: every byte escaped
 * as \xHH, or every byte a doubled quote, plus the two quotes); returns
 * the new end.  Plain fields, nearly all of them, are copied while they
 * are checked.
 */
static char *
field(struct ln_driver *d, char *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char *start = o;
	size_t i, j;
	int k = 0, esc = 0;

	for (i = 0; i < n; i++) {
		if ((k = fclass[p[i]]) != 0)
			break;
		*o++ = (char)p[i];
	}
	if (i == n)
		return o;
	o = start;
	for (j = i; j < n && !esc; j++)
		esc = fclass[p[j]] == 2;
	if (esc) {
		d->elen = 0;
		rec_escape(&d->ebuf, &d->elen, &d->ecap, s, n);
		s = d->ebuf;
		n = d->elen;
		if (memchr(s, ',', n) == NULL && memchr(s, '"', n) == NULL) {
			memcpy(o, s, n);
			return o + n;
		}
	}
	*o++ = '"';
	for (;;) {
		const char *q = memchr(s, '"', n);

		if (q == NULL)
			break;
		memcpy(o, s, (size_t)(q - s) + 1);
		o += (q - s) + 1;
		*o++ = '"';
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	memcpy(o, s, n);
	o += n;
	*o++ = '"';
	return o;
}

void
ln_header(struct ln_driver *d)
{
	oput(d, REC_CORE_COLUMNS, sizeof REC_CORE_COLUMNS - 1);
	if (d->raw)
		oput(d, ",raw", 4);
	oput(d, "\n", 1);
	if (d->line_buffered) {
		oflush(d);
		if (d->out != NULL && fflush(d->out) != 0)
			d->out_err = 1;
	}
}

int
ln_out_close(struct ln_driver *d)
{
	oflush(d);
	free(d->obuf);
	free(d->ebuf);
	d->obuf = d->ebuf = NULL;
	d->olen = d->ocap = d->elen = d->ecap = 0;
	if (d->out == NULL)
		return 0;
	if (fshut(d->out, "stdout") != 0)
		return -1;
	if (d->out_err) {
		warnx("stdout: write error");
		return -1;
	}
	return 0;
}

/* canon4: s is a dotted quad already in canonical form (no leading
 * zeros, each part 0-255), the common case worth not re-formatting. */
static int
canon4(const char *s, size_t n)
{
	size_t i = 0;
	int parts = 0;

	while (parts < 4) {
		size_t st = i;
		int v = 0;

		while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 3)
			v = v * 10 + (s[i++] - '0');
		if (i == st || v > 255 || (s[st] == '0' && i - st > 1))
			return 0;
		if (++parts < 4) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
	}
	return i == n;
}

/* ts_text: the canonical time; one tm_format per day of input, the time
 * of day by arithmetic. */
static void
ts_text(int64_t ts, char *buf)
{
	static int64_t lastday = INT64_MIN;
	static char last[TM_STRLEN];
	int64_t day = ts >= 0 ? ts / 86400000 : -((-ts + 86399999) / 86400000);
	int64_t ms = ts - day * 86400000;
	int sod = (int)(ms / 1000), h = sod / 3600, m = sod / 60 % 60,
	    s = sod % 60, f = (int)(ms % 1000);

	if (day != lastday) {
		if (tm_format(ts, buf) != 24 || buf[19] != '.') {
			lastday = INT64_MIN;
			return;		/* a clamped year: as tm_format says */
		}
		memcpy(last, buf, TM_STRLEN);
		lastday = day;
	}
	memcpy(buf, last, TM_STRLEN);
	buf[11] = (char)('0' + h / 10);
	buf[12] = (char)('0' + h % 10);
	buf[14] = (char)('0' + m / 10);
	buf[15] = (char)('0' + m % 10);
	buf[17] = (char)('0' + s / 10);
	buf[18] = (char)('0' + s % 10);
	buf[20] = (char)('0' + f / 100);
	buf[21] = (char)('0' + f / 10 % 10);
	buf[22] = (char)('0' + f % 10);
}

/*
 * emit: one record.  Addresses are canonicalised here and nowhere else;
 * a span that is no address leaves the column empty (parsers keep such
 * text in msg where it matters).
 */
static void
emit(struct ln_driver *d, const struct syslog_env *env, const char *line,
    size_t n)
{
	struct ev *ev = &d->ev;
	char *o;
	int i;

	if (ev->ts == TM_NONE && env != NULL)
		ev->ts = env->ts;
	if (ev->f[RC_SENSOR].n == 0 && env != NULL)
		ev->f[RC_SENSOR] = env->host;
	/* room for the stamp and every comma; each field reserves its own.
	 * A local end pointer: stores through d would be reloaded after
	 * every memcpy. */
	oreserve(d, 32 + RC_NCORE + 1);
	o = d->obuf + d->olen;
	if (ev->ts != TM_NONE) {
		ts_text(ev->ts, o);
		o += 24;
	}
	for (i = 1; i < RC_NCORE; i++) {
		const char *s = ev->f[i].p;
		size_t fn = ev->f[i].n;

		*o++ = ',';
		if (fn == 0)
			continue;
		if ((size_t)(d->obuf + d->ocap - o) <
		    4 * fn + IP_STRLEN + RC_NCORE + 2) {
			d->olen = (size_t)(o - d->obuf);
			oreserve(d, 4 * fn + IP_STRLEN + RC_NCORE + 2);
			o = d->obuf + d->olen;
		}
		if (i == RC_SRC || i == RC_DST) {
			if (canon4(s, fn)) {
				memcpy(o, s, fn);
				o += fn;
			} else
				o += ip_canon(s, fn, o);
			continue;
		}
		o = field(d, o, s, fn);
	}
	if (d->raw) {
		d->olen = (size_t)(o - d->obuf);
		oreserve(d, 4 * n + 8);
		o = d->obuf + d->olen;
		*o++ = ',';
		if (n > 0)
			o = field(d, o, line, n);
	}
	*o++ = '\n';
	d->olen = (size_t)(o - d->obuf);
	if (d->line_buffered) {
		oflush(d);
		if (d->out != NULL && fflush(d->out) != 0)
			d->out_err = 1;
	} else if (d->out == NULL)
		d->olen = 0;	/* fuzzing: formatted, then dropped */
}

static void
reject(struct ln_driver *d, struct ln_file *f, int idx, const char *why,
    const char *line, size_t n)
{
	d->st[idx].rejected++;
	if (d->rejects == NULL)
		return;
	fprintf(d->rejects, "%s:%lu: %s\t", f->name, f->lineno, why);
	fwrite(line, 1, n, d->rejects);
	putc('\n', d->rejects);
}

/* try: offer the line to format i; the event is fresh for each try. */
static int
try(struct ln_driver *d, struct ln_file *f, int i,
    const struct syslog_env *env, const char *line, size_t n,
    const char **why)
{
	const struct ln_format *F = d->fmt[i];

	ev_reset(&d->ev);
	*why = NULL;
	if (F->syslog && env != NULL)
		return F->parse(f, env, env->msg.p, env->msg.n, &d->ev, why);
	return F->parse(f, NULL, line, n, &d->ev, why);
}

/* account: what format idx said of the line; 1 when it took it. */
static int
account(struct ln_driver *d, struct ln_file *f, int idx, int r,
    const struct syslog_env *env, const char *line, size_t n)
{
	struct ln_stat *st = &d->st[idx];

	(void)f;

	switch (r) {
	case LN_OK:
		st->lines++;
		st->records++;
		/* a format that parsed the whole line owns time and sensor */
		emit(d, d->fmt[idx]->syslog ? env : NULL, line, n);
		return 1;
	case LN_SKIP:
	case LN_HOLD:
		/* Held lines are counted as skipped: they make no record
		 * of their own; the event they belong to does. */
		st->lines++;
		st->skipped++;
		return 1;
	default:
		return 0;
	}
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

void
ln_line(struct ln_driver *d, struct ln_file *f, const char *line, size_t n)
{
	struct syslog_env envbuf, *env = NULL;
	const char *why, *badwhy = NULL;
	int i, r, last, bad = -1, generic = d->nfmt - 1, pass;

	if (blank(line, n)) {
		d->st[d->nfmt].lines++;
		d->st[d->nfmt].skipped++;
		return;
	}
	if (syslog_parse(f, line, n, &envbuf) == 0)
		env = &envbuf;
	if (d->forced >= 0) {
		i = d->forced;
		r = try(d, f, i, env, line, n, &why);
		if (account(d, f, i, r, env, line, n))
			return;
		d->st[i].lines++;
		reject(d, f, i, r == LN_BAD && why ? why :
		    "not a line of the chosen format", line, n);
		return;
	}
	last = f->last_fmt;
	if (last >= 0) {
		r = try(d, f, last, env, line, n, &why);
		if (account(d, f, last, r, env, line, n))
			return;
		if (r == LN_BAD) {
			bad = last;
			badwhy = why;
		}
	}
	/* Pass 0: syslog formats on the message (enveloped lines only);
	 * pass 1: the rest on the whole line (or everything, without an
	 * envelope). */
	for (pass = env != NULL ? 0 : 1; pass < 2; pass++) {
		for (i = 0; i < generic; i++) {
			if (i == last)
				continue;
			if (env != NULL && (pass == 0) != (d->fmt[i]->syslog != 0))
				continue;
			r = try(d, f, i, env, line, n, &why);
			if (account(d, f, i, r, env, line, n)) {
				f->last_fmt = i;
				return;
			}
			if (r == LN_BAD && bad < 0) {
				bad = i;
				badwhy = why;
			}
		}
	}
	if (bad >= 0) {
		d->st[bad].lines++;
		reject(d, f, bad, badwhy ? badwhy : "unusable line", line, n);
		return;
	}
	if (env != NULL) {
		r = try(d, f, generic, env, line, n, &why);
		if (account(d, f, generic, r, env, line, n))
			return;
	}
	d->st[d->nfmt].lines++;
	reject(d, f, d->nfmt, "no format recognises this line", line, n);
}

void
ln_line_long(struct ln_driver *d, struct ln_file *f, const char *kept,
    size_t keptlen, size_t total)
{
	char why[96];

	snprintf(why, sizeof why, "line too long (%zu bytes; first %zu kept)",
	    total, keptlen);
	d->st[d->nfmt].lines++;
	reject(d, f, d->nfmt, why, kept, keptlen);
}

void
ln_file_end(struct ln_driver *d, struct ln_file *f)
{
	int i;

	for (i = 0; i < d->nfmt; i++) {
		if (d->fmt[i]->flush == NULL)
			continue;
		for (;;) {
			ev_reset(&d->ev);
			if (d->fmt[i]->flush(f, &d->ev) != LN_OK)
				break;
			d->st[i].records++;
			emit(d, NULL, NULL, 0);
		}
	}
	for (i = 0; i < d->nfmt; i++)
		if (d->fmt[i]->fini != NULL)
			d->fmt[i]->fini(f);
	ev_reset(&d->ev);
}

struct ln_stat
ln_total(const struct ln_driver *d)
{
	struct ln_stat t = { 0, 0, 0, 0 };
	int i;

	for (i = 0; i <= d->nfmt; i++) {
		t.lines += d->st[i].lines;
		t.records += d->st[i].records;
		t.skipped += d->st[i].skipped;
		t.rejected += d->st[i].rejected;
	}
	return t;
}

static void
stat_line(FILE *fp, const char *name, const struct ln_stat *s)
{
	fprintf(fp, "lognorm: stats: %s lines=%llu records=%llu skipped=%llu "
	    "rejected=%llu\n", name, s->lines, s->records, s->skipped,
	    s->rejected);
}

void
ln_stats_print(const struct ln_driver *d, FILE *fp)
{
	struct ln_stat t = ln_total(d);
	int i;

	for (i = 0; i < d->nfmt; i++)
		if (d->st[i].lines > 0 || d->st[i].records > 0)
			stat_line(fp, d->fmt[i]->name, &d->st[i]);
	if (d->st[d->nfmt].lines > 0)
		stat_line(fp, "unknown", &d->st[d->nfmt]);
	stat_line(fp, "total", &t);
}
