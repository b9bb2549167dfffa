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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "lognorm.h"
#include "rec.h"
#include "tm.h"
#include "util.h"

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
ln_header(struct ln_driver *d)
{
	const char *names[RC_NCORE + 1];
	int i;

	for (i = 0; i < RC_NCORE; i++)
		names[i] = rec_core_names[i];
	names[RC_NCORE] = "raw";
	rec_header(d->w, names, RC_NCORE + (d->raw ? 1 : 0));
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
 * put: one field.  Addresses are canonicalised here and nowhere else; a
 * span that is no address leaves the column empty (the text stays in msg
 * where the parser put it there).  Without a writer (fuzzing) the same
 * work is done into a scratch buffer.
 */
static void
put(struct ln_driver *d, int col, const char *s, size_t n)
{
	static char *scratch;
	static size_t slen, scap;
	char buf[IP_STRLEN];
	size_t len;

	if (col == RC_SRC || col == RC_DST) {
		if ((len = ip_canon(s, n, buf)) == 0)
			return;
		if (d->w != NULL)
			rec_set_copy(d->w, col, buf, len);
		return;
	}
	if (d->w != NULL)
		rec_set_text(d->w, col, s, n);
	else {
		slen = 0;
		rec_escape(&scratch, &slen, &scap, s, n);
		if (scap > (1u << 20)) {
			free(scratch);
			scratch = NULL;
			slen = scap = 0;
		}
	}
}

static void
emit(struct ln_driver *d, const struct syslog_env *env, const char *line,
    size_t n)
{
	struct ev *ev = &d->ev;
	char tbuf[TM_STRLEN];
	size_t len;
	int i;

	if (ev->ts == TM_NONE && env != NULL)
		ev->ts = env->ts;
	if (ev->f[RC_SENSOR].n == 0 && env != NULL)
		ev->f[RC_SENSOR] = env->host;
	if (ev->ts != TM_NONE) {
		len = tm_format(ev->ts, tbuf);
		if (d->w != NULL)
			rec_set_copy(d->w, RC_TS, tbuf, len);
	}
	for (i = 1; i < RC_NCORE; i++)
		if (ev->f[i].n > 0)
			put(d, i, ev->f[i].p, ev->f[i].n);
	if (d->raw && n > 0)
		put(d, RC_NCORE, line, n);
	if (d->w != NULL)
		rec_emit(d->w);
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
