/*
 * report: the daily report.  Reads the day's alert records and the tallies
 * and rankings the daily pipeline made, and writes one self-contained HTML
 * page (inline CSS and SVG charts, no script, nothing fetched), a plain-text
 * summary fit for mail and, on request, the alert table as a CSV file safe
 * to open in a spreadsheet.
 *
 * Every value comes from a log an attacker may have written, so all of it
 * goes through html_text() on its way into the page, and the page forbids
 * scripts with a Content-Security-Policy as a second line of defence.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "opt.h"
#include "rec.h"
#include "util.h"

/* ---- inputs: what each file of a day holds, known by its name ---- */

enum role {
	R_ALERTS, R_TRAFFIC, R_PORTS, R_DEST, R_RARE, R_NIGHT, R_DMZ,
	R_FNIGHT, R_FWEEKEND, R_FCONF, R_FDEL, R_FCOPY, R_NROLES
};

static const struct {
	const char	*file;		/* the name the daily pipeline writes */
	const char	*title;
	const char	*what;		/* how it is made */
} roles[R_NROLES] = {
	{ "alerts.csv", "Alerts", "detector alert records" },
	{ "traffic.csv", "Traffic and denies by hour",
	    "tally -k kind,action --bin 1h" },
	{ "ports.csv", "Top denied ports", "tally -k action,proto,dport" },
	{ "destinations.csv", "Top destinations", "domrank --mode rank" },
	{ "rare.csv", "The rare end: the watch list", "domrank --mode rare" },
	{ "night.csv", "Late-night web activity", "nightweb --report" },
	{ "dmz.csv", "DMZ egress beyond policy",
	    "dmzegress --report --violations" },
	{ "files-night.csv", "File access at night", "filerank -r night" },
	{ "files-weekend.csv", "File access at the weekend",
	    "filerank -r weekend" },
	{ "files-confidential.csv", "Confidential-file accessors",
	    "filerank -r confidential" },
	{ "files-deleters.csv", "File deleters", "filerank -r deleters" },
	{ "files-copiers.csv", "File copiers", "filerank -r copiers" },
};

/* A record file held in memory: cells in their escaped record form. */
struct table {
	char		*path;
	int		 ncols;
	char		**cols;
	size_t		 nrows;
	size_t		*off;		/* nrows * ncols offsets into text */
	size_t		 offcap;
	char		*text;
	size_t		 tlen, tcap;
};

static const char *
cell(const struct table *t, size_t row, int col)
{
	if (col < 0 || col >= t->ncols)
		return "";
	return t->text + t->off[row * (size_t)t->ncols + (size_t)col];
}

static int
colidx(const struct table *t, const char *name)
{
	int i;

	for (i = 0; t && i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return i;
	return -1;
}

static void
text_add(struct table *t, const char *s, size_t n)
{
	if (t->tlen + n + 1 > t->tcap) {
		t->tcap = (t->tlen + n + 1) * 2 + 4096;
		t->text = xrealloc(t->text, t->tcap);
	}
	memcpy(t->text + t->tlen, s, n);
	t->text[t->tlen + n] = '\0';
	t->tlen += n + 1;
}

/*
 * table_add: append the records of path to t; the first file fixes the
 * columns, the columns of a later one are matched by name.  Returns 0, or
 * 2 after reporting an unreadable file or a malformed record.
 */
static int
table_add(struct table *t, const char *path)
{
	char *paths[1];
	struct rec_reader *r;
	int *map, i, n, st;

	paths[0] = (char *)path;
	if ((r = rec_open(paths, 1)) == NULL)
		return EXIT_ERROR;
	n = rec_ncols(r);
	if (t->cols == NULL) {
		t->ncols = n;
		t->cols = xcalloc((size_t)n, sizeof *t->cols);
		for (i = 0; i < n; i++)
			t->cols[i] = xstrdup(rec_colname(r, i));
		t->path = xstrdup(path);
	}
	map = xcalloc((size_t)t->ncols, sizeof *map);
	for (i = 0; i < t->ncols; i++)
		map[i] = rec_col(r, t->cols[i]);
	while ((st = rec_next(r)) == 1) {
		if ((t->nrows + 1) * (size_t)t->ncols > t->offcap) {
			t->offcap = (t->nrows + 1) * (size_t)t->ncols * 2 + 64;
			t->off = xreallocarray(t->off, t->offcap,
			    sizeof *t->off);
		}
		for (i = 0; i < t->ncols; i++) {
			size_t len;
			const char *v = rec_get(r, map[i], &len);

			t->off[t->nrows * (size_t)t->ncols + (size_t)i] =
			    t->tlen;
			text_add(t, v, len);
		}
		t->nrows++;
	}
	st = st < 0 ? EXIT_ERROR : rec_status(r);
	rec_close(r);
	free(map);
	return st;
}

static void
table_free(struct table *t)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->cols);
	free(t->off);
	free(t->text);
	free(t->path);
	memset(t, 0, sizeof *t);
}

/* ---- small helpers ---- */

static long long
num(const char *s)
{
	long long v;

	if (parse_num(s, 0, INT64_MAX, &v, &(const char *){ NULL }) != 0)
		return 0;
	return v;
}

/* sum of two counts, stopping at the largest one rather than wrapping
 * (the counts come from files anyone could have edited) */
static long long
sat_add(long long a, long long b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static int
is_num(const char *s)
{
	long long v;
	const char *e;

	return parse_num(s, 0, INT64_MAX, &v, &e) == 0;
}

/* severity order; unknown severities sort last */
static int
sev_rank(const char *s)
{
	static const char *const sevs[] = { "critical", "high", "medium",
	    "low", "info" };
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(s, sevs[i]) == 0)
			return 5 - i;
	return 0;
}

static int
deny_like(const char *action)
{
	return strcmp(action, "deny") == 0 || strcmp(action, "drop") == 0 ||
	    strcmp(action, "reject") == 0 || strcmp(action, "block") == 0;
}

/* ---- HTML output ---- */

static FILE *html;

/* html_text: s with & < > " ' as entities: safe in text and in quoted
 * attribute values, SVG included. */
static void
html_text(FILE *fp, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			putc(*s, fp);
		}
}

/* html_short: like html_text, cut to about max bytes at a UTF-8
 * character boundary, with an ellipsis. */
static void
html_short(FILE *fp, const char *s, size_t max)
{
	size_t n = strlen(s);
	char *cut;

	if (n <= max) {
		html_text(fp, s);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	cut = xstrndup(s, max);
	html_text(fp, cut);
	fputs("\xe2\x80\xa6", fp);
	free(cut);
}

static const char css[] =
    "body{font:14px/1.4 sans-serif;margin:1.5em auto;max-width:80em;"
    "color:#222;padding:0 1em}\n"
    "h1{font-size:1.6em;margin-bottom:0}h2{border-bottom:1px solid #ccc;"
    "margin-top:2em}\n"
    "table{border-collapse:collapse;font-size:12px;margin:.5em 0}\n"
    "td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;"
    "vertical-align:top;max-width:40em;overflow-wrap:break-word}\n"
    "th{background:#f2f2f2}td.n{text-align:right}\n"
    ".sev-critical{background:#f8c4c4}.sev-high{background:#fbdcc0}"
    ".sev-medium{background:#fcf3c4}\n"
    ".note{color:#666;font-size:12px}.box{display:inline-block;"
    "border:1px solid #ccc;padding:.4em .8em;margin:.2em;min-width:6em}\n"
    ".box b{display:block;font-size:1.5em}.wide{overflow-x:auto}\n"
    "summary{cursor:pointer;margin:.5em 0}\n"
    "svg text{font:11px sans-serif;fill:#333}svg .b{fill:#4a78b0}"
    "svg .d{fill:#c0392b}svg .a{stroke:#999}\n";

static void
html_head(const char *title, const char *period)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>", html);
	html_text(html, title);
	fprintf(html, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
	    css);
	html_text(html, title);
	fputs("</h1>\n<p class=\"note\">", html);
	html_text(html, period);
	fputs("</p>\n", html);
}

/* A horizontal bar chart of up to n (label, value) pairs. */
struct bar {
	const char	*label;
	long long	 value;
	const char	*cls;		/* "b" or "d" */
};

static void
svg_bars(const char *title, const struct bar *bars, size_t n)
{
	long long max = 1;
	size_t i;
	int h = 20 * (int)n + 10;

	for (i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	fprintf(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart bars\" width=\"760\" height=\"%d\" "
	    "viewBox=\"0 0 760 %d\" role=\"img\" aria-label=\"", h, h);
	html_text(html, title);
	fputs("\">\n<title>", html);
	html_text(html, title);
	fputs("</title>\n", html);
	for (i = 0; i < n; i++) {
		int y = 5 + 20 * (int)i;
		int w = (int)(440.0 * (double)bars[i].value / (double)max);

		fprintf(html, "<text x=\"0\" y=\"%d\">", y + 12);
		html_short(html, bars[i].label, 44);
		fprintf(html, "</text><rect class=\"%s\" x=\"250\" y=\"%d\" "
		    "width=\"%d\" height=\"15\"><title>", bars[i].cls, y,
		    w > 0 ? w : 1);
		html_text(html, bars[i].label);
		fprintf(html, ": %lld</title></rect><text x=\"%d\" y=\"%d\">"
		    "%lld</text>\n", bars[i].value, 256 + w, y + 12,
		    bars[i].value);
	}
	fputs("</svg>\n", html);
}

/* Stacked columns over time bins: total with its denied part. */
struct tbin {
	const char	*bin;
	long long	 all, denied;
};

static void
svg_timeline(const struct tbin *b, size_t n)
{
	long long max = 1;
	size_t i;
	double w;
	const int x0 = 60, pw = 690, ph = 170, y0 = 10;

	for (i = 0; i < n; i++)
		if (b[i].all > max)
			max = b[i].all;
	w = (double)pw / (double)(n ? n : 1);
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart "
	    "timeline\" width=\"760\" height=\"220\" viewBox=\"0 0 760 220\" "
	    "role=\"img\" aria-label=\"Events and denies per hour\">\n"
	    "<title>Events and denies per hour</title>\n", html);
	fprintf(html, "<line class=\"a\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>\n<text x=\"0\" y=\"%d\">%lld</text>\n"
	    "<text x=\"0\" y=\"%d\">0</text>\n", x0, y0 + ph, x0 + pw, y0 + ph,
	    y0 + 10, max, y0 + ph);
	for (i = 0; i < n; i++) {
		double x = x0 + w * (double)i;
		double ha = (double)ph * (double)b[i].all / (double)max;
		double hd = (double)ph * (double)b[i].denied / (double)max;
		size_t bl = strlen(b[i].bin);

		fprintf(html, "<rect class=\"b\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"><title>", x,
		    y0 + ph - ha, w * 0.85, ha);
		html_text(html, b[i].bin);
		fprintf(html, ": %lld events, %lld denied</title></rect>",
		    b[i].all, b[i].denied);
		if (b[i].denied)
			fprintf(html, "<rect class=\"d\" x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\"/>", x,
			    y0 + ph - hd, w * 0.85, hd);
		/* label the hours of a bin text "YYYY-MM-DDTHH:..." */
		if (bl >= 13 && (n <= 24 || (i % 3) == 0)) {
			char hh[3] = { b[i].bin[11], b[i].bin[12], '\0' };

			fprintf(html, "<text x=\"%.1f\" y=\"%d\">", x,
			    y0 + ph + 14);
			html_text(html, hh);
			fputs("</text>", html);
			if (strcmp(hh, "00") == 0 || i == 0) {
				char day[6];

				memcpy(day, b[i].bin + 5, 5);
				day[5] = '\0';
				fprintf(html, "<text x=\"%.1f\" y=\"%d\">", x,
				    y0 + ph + 28);
				html_text(html, day);
				fputs("</text>", html);
			}
		}
		putc('\n', html);
	}
	fputs("</svg>\n<p class=\"note\">Blue: all events in the hour; red: "
	    "denied, dropped, rejected or blocked.</p>\n", html);
}

/* A table of the given rows and columns of t. */
static void
html_table(const struct table *t, const size_t *rows, size_t n,
    const int *cols, int ncols, int sevcol)
{
	size_t i;
	int j;

	fputs("<table>\n<tr>", html);
	for (j = 0; j < ncols; j++) {
		fputs("<th>", html);
		html_text(html, cols[j] >= 0 ? t->cols[cols[j]] : "");
		fputs("</th>", html);
	}
	fputs("</tr>\n", html);
	for (i = 0; i < n; i++) {
		size_t r = rows ? rows[i] : i;

		if (sevcol >= 0 && sev_rank(cell(t, r, sevcol)) >= 3) {
			fputs("<tr class=\"sev-", html);
			html_text(html, cell(t, r, sevcol));
			fputs("\">", html);
		} else
			fputs("<tr>", html);
		for (j = 0; j < ncols; j++) {
			const char *v = cell(t, r, cols[j]);

			fputs(is_num(v) ? "<td class=\"n\">" : "<td>", html);
			html_short(html, v, 300);
			fputs("</td>", html);
		}
		fputs("</tr>\n", html);
	}
	fputs("</table>\n", html);
}

static void
section(enum role ro, const struct table *t)
{
	fprintf(html, "<h2 id=\"%s\">%s</h2>\n<p class=\"note\">From ",
	    roles[ro].file, roles[ro].title);
	if (t && t->path)
		html_text(html, t->path);
	else
		fputs(roles[ro].file, html);
	fprintf(html, " (%s).</p>\n", roles[ro].what);
}

/* ---- generic rankings: label columns, then a count ---- */

/* The column that holds a ranking's number: count, else requests. */
static int
value_col(const struct table *t)
{
	int c = colidx(t, "count");

	return c >= 0 ? c : colidx(t, "requests");
}

static const struct table *sort_t;
static int sort_col;

static int
by_value(const void *a, const void *b)
{
	long long x = num(cell(sort_t, *(const size_t *)a, sort_col));
	long long y = num(cell(sort_t, *(const size_t *)b, sort_col));

	if (x != y)
		return x > y ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* label of row r: the columns before the value column but rank, joined */
static char *
row_label(const struct table *t, size_t r, int vcol)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);
	int j, any = 0;

	if (fp == NULL)
		err(EXIT_ERROR, "open_memstream");
	for (j = 0; j < vcol; j++) {
		if (strcmp(t->cols[j], "rank") == 0)
			continue;
		fprintf(fp, "%s%s", any ? " " : "", cell(t, r, j));
		any = 1;
	}
	if (!any)
		fputs(cell(t, r, 0), fp);
	fclose(fp);
	return s;
}

static int top_n = 15;

static void
ranking(enum role ro, const struct table *t, const char *empty)
{
	int vcol, *cols, j, nc = 0;
	size_t *order, n, i;
	struct bar *bars;
	char **labels;

	section(ro, t);
	if (t == NULL) {
		fputs("<p>Not part of this report (no such input).</p>\n", html);
		return;
	}
	if (t->nrows == 0) {
		fprintf(html, "<p>%s</p>\n", empty);
		return;
	}
	vcol = value_col(t);
	order = xcalloc(t->nrows, sizeof *order);
	for (i = 0; i < t->nrows; i++)
		order[i] = i;
	if (vcol >= 0 && colidx(t, "rank") < 0) {
		sort_t = t;
		sort_col = vcol;
		qsort(order, t->nrows, sizeof *order, by_value);
	}
	n = t->nrows < (size_t)top_n ? t->nrows : (size_t)top_n;
	if (vcol >= 0) {
		bars = xcalloc(n, sizeof *bars);
		labels = xcalloc(n, sizeof *labels);
		for (i = 0; i < n; i++) {
			labels[i] = row_label(t, order[i], vcol);
			bars[i].label = labels[i];
			bars[i].value = num(cell(t, order[i], vcol));
			bars[i].cls = "b";
		}
		svg_bars(roles[ro].title, bars, n);
		for (i = 0; i < n; i++)
			free(labels[i]);
		free(labels);
		free(bars);
	}
	/* the table: every column but the bulky client sets */
	cols = xcalloc((size_t)t->ncols, sizeof *cols);
	for (j = 0; j < t->ncols; j++)
		if (strcmp(t->cols[j], "clientset") != 0 &&
		    strncmp(t->cols[j], "values_", 7) != 0)
			cols[nc++] = j;
	html_table(t, order, n, cols, nc, -1);
	if (t->nrows > n)
		fprintf(html, "<p class=\"note\">%zu more rows not shown.</p>\n",
		    t->nrows - n);
	free(cols);
	free(order);
}

/* ---- the special sections ---- */

struct port {
	char		*label;
	long long	 count;
};

static int
by_port_count(const void *a, const void *b)
{
	const struct port *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->label, y->label);
}

static int
by_port_label(const void *a, const void *b)
{
	return strcmp(((const struct port *)a)->label,
	    ((const struct port *)b)->label);
}

static int
by_bin(const void *a, const void *b)
{
	return strcmp(((const struct tbin *)a)->bin,
	    ((const struct tbin *)b)->bin);
}

/* merge_ports: sum the counts of equal labels of p[0..n), largest first;
 * returns how many are left */
static size_t
merge_ports(struct port *p, size_t n)
{
	size_t i, k = 0;

	qsort(p, n, sizeof *p, by_port_label);
	for (i = 0; i < n; i++) {
		if (k > 0 && strcmp(p[k - 1].label, p[i].label) == 0) {
			p[k - 1].count = sat_add(p[k - 1].count, p[i].count);
			free(p[i].label);
			continue;
		}
		p[k++] = p[i];
	}
	qsort(p, k, sizeof *p, by_port_count);
	return k;
}

/* Events by kind (fw, proxy, dns, ...), when the tally kept the kind. */
static void
kinds(const struct table *t, int ckind, int ccount)
{
	struct port *p = xcalloc(t->nrows + 1, sizeof *p);
	struct bar *bars;
	size_t n, i;

	for (i = 0; i < t->nrows; i++) {
		const char *k = cell(t, i, ckind);

		p[i].label = xstrdup(*k ? k : "(none)");
		p[i].count = num(cell(t, i, ccount));
	}
	n = merge_ports(p, t->nrows);
	bars = xcalloc(n + 1, sizeof *bars);
	for (i = 0; i < n; i++) {
		bars[i].label = p[i].label;
		bars[i].value = p[i].count;
		bars[i].cls = "b";
	}
	svg_bars("Events by kind", bars, n);
	for (i = 0; i < n; i++)
		free(p[i].label);
	free(p);
	free(bars);
}

static void
traffic(const struct table *t)
{
	int cbin = colidx(t, "bin"), cact = colidx(t, "action");
	int ccount = colidx(t, "count"), ckind = colidx(t, "kind");
	struct tbin *b;
	size_t nb = 0, i, k;

	section(R_TRAFFIC, t);
	if (t == NULL || t->nrows == 0) {
		fputs(t ? "<p>No events.</p>\n" :
		    "<p>Not part of this report (no such input).</p>\n", html);
		return;
	}
	if (cbin < 0 || ccount < 0) {
		fputs("<p>The input has no bin and count columns.</p>\n", html);
		return;
	}
	b = xcalloc(t->nrows, sizeof *b);
	for (i = 0; i < t->nrows; i++)
		b[i].bin = cell(t, i, cbin);
	/* distinct bins in order, then the counts of each */
	qsort(b, t->nrows, sizeof *b, by_bin);
	for (i = 0; i < t->nrows; i++)
		if (nb == 0 || strcmp(b[nb - 1].bin, b[i].bin) != 0)
			b[nb++].bin = b[i].bin;
	for (i = 0; i < nb; i++)
		b[i].all = b[i].denied = 0;
	for (i = 0; i < t->nrows; i++) {
		struct tbin key = { cell(t, i, cbin), 0, 0 };
		struct tbin *p = bsearch(&key, b, nb, sizeof *b, by_bin);
		long long c = num(cell(t, i, ccount));

		p->all = sat_add(p->all, c);
		if (deny_like(cell(t, i, cact)))
			p->denied = sat_add(p->denied, c);
	}
	svg_timeline(b, nb);
	fprintf(html, "<details><summary>%zu hours as a table</summary>\n"
	    "<table>\n<tr><th>hour</th><th>events</th><th>denied</th></tr>\n",
	    nb);
	for (k = 0; k < nb; k++) {
		fputs("<tr><td>", html);
		html_text(html, b[k].bin);
		fprintf(html, "</td><td class=\"n\">%lld</td><td class=\"n\">"
		    "%lld</td></tr>\n", b[k].all, b[k].denied);
	}
	fputs("</table></details>\n", html);
	free(b);
	if (ckind >= 0)
		kinds(t, ckind, ccount);
}

/* denied ports: the ports tally's deny-like rows summed by dport/proto */
static size_t
denied_ports(const struct table *t, struct port **out)
{
	int cact = colidx(t, "action"), cport = colidx(t, "dport");
	int cproto = colidx(t, "proto"), ccount = colidx(t, "count");
	struct port *p = xcalloc(t->nrows + 1, sizeof *p);
	size_t n = 0, i;

	for (i = 0; i < t->nrows; i++) {
		if (cact >= 0 && !deny_like(cell(t, i, cact)))
			continue;
		if (asprintf(&p[n].label, "%s/%s", cell(t, i, cport),
		    cproto >= 0 ? cell(t, i, cproto) : "") < 0)
			errx(EXIT_ERROR, "out of memory");
		p[n++].count = num(cell(t, i, ccount));
	}
	*out = p;
	return merge_ports(p, n);
}

static void
ports(const struct table *t)
{
	struct port *p;
	struct bar *bars;
	size_t n, i, shown;

	section(R_PORTS, t);
	if (t == NULL) {
		fputs("<p>Not part of this report (no such input).</p>\n", html);
		return;
	}
	if (colidx(t, "dport") < 0 || colidx(t, "count") < 0) {
		fputs("<p>The input has no dport and count columns.</p>\n", html);
		return;
	}
	n = denied_ports(t, &p);
	if (n == 0)
		fputs("<p>Nothing was denied.</p>\n", html);
	shown = n < (size_t)top_n ? n : (size_t)top_n;
	bars = xcalloc(shown + 1, sizeof *bars);
	for (i = 0; i < shown; i++) {
		bars[i].label = p[i].label;
		bars[i].value = p[i].count;
		bars[i].cls = "d";
	}
	if (shown)
		svg_bars("Top denied ports", bars, shown);
	for (i = 0; i < n; i++)
		free(p[i].label);
	free(p);
	free(bars);
}

/* ---- alerts ---- */

struct alerts {
	struct table	 t;
	int		 c[13];		/* the alert columns, by name */
	size_t		*rows;		/* the closed episodes, ordered */
	size_t		 n;
};

enum { A_TS, A_RULE, A_SEV, A_SRC, A_DST, A_DPORT, A_HOST, A_USER, A_COUNT,
	A_FIRST, A_LAST, A_DETAIL, A_STATE };
static const char *const alert_cols[13] = { "ts", "rule", "sev", "src",
	"dst", "dport", "host", "user", "count", "first", "last", "detail",
	"state" };

static const struct alerts *sort_a;

static int
by_severity(const void *a, const void *b)
{
	const struct table *t = &sort_a->t;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int sx = sev_rank(cell(t, x, sort_a->c[A_SEV]));
	int sy = sev_rank(cell(t, y, sort_a->c[A_SEV]));
	int c;

	if (sx != sy)
		return sx > sy ? -1 : 1;
	c = strcmp(cell(t, x, sort_a->c[A_FIRST]),
	    cell(t, y, sort_a->c[A_FIRST]));
	if (c)
		return c;
	c = strcmp(cell(t, x, sort_a->c[A_RULE]),
	    cell(t, y, sort_a->c[A_RULE]));
	if (c)
		return c;
	return x < y ? -1 : 1;
}

/* The episodes to report: closed records (an open one is only the early
 * notice of an episode whose closed record follows), or every record of an
 * input that has no state column. */
static void
alerts_prepare(struct alerts *a)
{
	size_t i;
	int j;

	for (j = 0; j < 13; j++)
		a->c[j] = colidx(&a->t, alert_cols[j]);
	a->rows = xcalloc(a->t.nrows + 1, sizeof *a->rows);
	for (i = 0; i < a->t.nrows; i++)
		if (a->c[A_STATE] < 0 ||
		    strcmp(cell(&a->t, i, a->c[A_STATE]), "open") != 0)
			a->rows[a->n++] = i;
	sort_a = a;
	qsort(a->rows, a->n, sizeof *a->rows, by_severity);
}

struct kc {
	const char	*key;
	long long	 n;
};

static int
by_key(const void *a, const void *b)
{
	return strcmp(((const struct kc *)a)->key, ((const struct kc *)b)->key);
}

static int
by_n(const void *a, const void *b)
{
	const struct kc *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* count the reported alerts by one column; returns distinct keys */
static size_t
alerts_by(const struct alerts *a, int col, struct kc **out)
{
	struct kc *k = xcalloc(a->n + 1, sizeof *k);
	size_t i, n = 0;

	for (i = 0; i < a->n; i++)
		k[i].key = cell(&a->t, a->rows[i], col);
	qsort(k, a->n, sizeof *k, by_key);
	for (i = 0; i < a->n; i++) {
		if (n > 0 && strcmp(k[n - 1].key, k[i].key) == 0) {
			k[n - 1].n++;
			continue;
		}
		k[n].key = k[i].key;
		k[n++].n = 1;
	}
	qsort(k, n, sizeof *k, by_n);
	*out = k;
	return n;
}

static long long sev_count[6];

static void
alerts_section(const struct alerts *a, size_t max_rows)
{
	static const char *const sevs[] = { "critical", "high", "medium",
	    "low", "info" };
	struct bar bars[5];
	struct bar *rb;
	struct kc *k;
	size_t n, i, major;
	int cols[11] = { A_FIRST, A_LAST, A_RULE, A_SEV, A_SRC, A_DST,
	    A_DPORT, A_HOST, A_USER, A_COUNT, A_DETAIL };
	int tc[11];

	fputs("<h2 id=\"alerts\">Alerts by rule and severity</h2>\n", html);
	if (a->n == 0) {
		fputs("<p>No alerts.</p>\n", html);
		return;
	}
	for (i = 0; i < 5; i++) {
		bars[i].label = sevs[i];
		bars[i].value = sev_count[5 - i];
		bars[i].cls = i < 2 ? "d" : "b";
	}
	svg_bars("Alerts by severity", bars, 5);
	n = alerts_by(a, a->c[A_RULE], &k);
	rb = xcalloc(n + 1, sizeof *rb);
	for (i = 0; i < n; i++) {
		rb[i].label = k[i].key;
		rb[i].value = k[i].n;
		rb[i].cls = "b";
	}
	svg_bars("Alerts by rule", rb, n);
	free(rb);
	free(k);

	fputs("<h2 id=\"alert-table\">Alert table</h2>\n", html);
	for (i = 0; i < 11; i++)
		tc[i] = a->c[cols[i]];
	n = a->n < max_rows ? a->n : max_rows;
	/* medium and worse in view; low and info folded away (a details
	 * element needs no script), as they can run to hundreds of rows */
	for (major = 0; major < n; major++)
		if (sev_rank(cell(&a->t, a->rows[major], a->c[A_SEV])) < 3)
			break;
	if (major > 0) {
		fputs("<div class=\"wide\">\n", html);
		html_table(&a->t, a->rows, major, tc, 11, a->c[A_SEV]);
		fputs("</div>\n", html);
	} else
		fputs("<p>No medium, high or critical alerts.</p>\n", html);
	if (n > major) {
		fprintf(html, "<details><summary>%zu low, info and unrated "
		    "alerts</summary>\n<div class=\"wide\">\n", n - major);
		html_table(&a->t, a->rows + major, n - major, tc, 11,
		    a->c[A_SEV]);
		fputs("</div></details>\n", html);
	}
	if (a->n > n)
		fprintf(html, "<p class=\"note\">%zu more alerts not shown "
		    "(see --max-rows).</p>\n", a->n - n);
}

/* ---- the spreadsheet CSV ---- */

/*
 * csv_cell: one cell for a spreadsheet.  A cell that starts with = + - @
 * (or TAB or CR) would be taken for a formula, so it gets a leading single
 * quote (OWASP's advice); quoting per RFC 4180 where needed.
 */
static void
csv_cell(FILE *fp, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	int defuse = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';

	if (quote)
		putc('"', fp);
	if (defuse)
		putc('\'', fp);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	if (quote)
		putc('"', fp);
}

static int
write_csv(const char *path, const struct alerts *a)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	size_t i;
	int j, first;

	if (fp == NULL) {
		warn("%s", path);
		return -1;
	}
	for (j = 0; j < 13; j++)
		fprintf(fp, "%s%s", j ? "," : "", alert_cols[j]);
	putc('\n', fp);
	for (i = 0; i < a->n; i++) {
		first = 1;
		for (j = 0; j < 13; j++) {
			if (!first)
				putc(',', fp);
			first = 0;
			csv_cell(fp, cell(&a->t, a->rows[i], a->c[j]));
		}
		putc('\n', fp);
	}
	return fshut(fp, path);
}

/* ---- the plain-text summary ---- */

static void
text_summary(FILE *fp, const char *title, const char *period,
    const struct alerts *a, struct table *tabs[], size_t max_rows)
{
	struct kc *k;
	size_t n, i;

	fprintf(fp, "%s\n%s\n\n", title, period);
	fprintf(fp, "Alerts: %zu (critical %lld, high %lld, medium %lld, "
	    "low %lld, info %lld)\n", a->n, sev_count[5], sev_count[4],
	    sev_count[3], sev_count[2], sev_count[1]);
	n = alerts_by(a, a->c[A_RULE], &k);
	for (i = 0; i < n; i++)
		fprintf(fp, "  %-28s %lld\n", k[i].key, k[i].n);
	free(k);
	if (a->n)
		fputs("\nMost severe first:\n", fp);
	for (i = 0; i < a->n && i < max_rows; i++) {
		size_t r = a->rows[i];
		const struct table *t = &a->t;

		const char *dst = cell(t, r, a->c[A_DST]);
		const char *dport = cell(t, r, a->c[A_DPORT]);

		fprintf(fp, "  %-8s %-24s %s", cell(t, r, a->c[A_SEV]),
		    cell(t, r, a->c[A_RULE]), cell(t, r, a->c[A_FIRST]));
		/* only the fields the alert has, so a line stays short */
		if (*cell(t, r, a->c[A_SRC]))
			fprintf(fp, " src=%s", cell(t, r, a->c[A_SRC]));
		if (*dst || *dport)
			fprintf(fp, " dst=%s%s%s", *dst ? dst : "*",
			    *dport ? ":" : "", dport);
		if (*cell(t, r, a->c[A_HOST]))
			fprintf(fp, " host=%s", cell(t, r, a->c[A_HOST]));
		if (*cell(t, r, a->c[A_USER]))
			fprintf(fp, " user=%s", cell(t, r, a->c[A_USER]));
		fprintf(fp, " count=%s: %s\n", cell(t, r, a->c[A_COUNT]),
		    cell(t, r, a->c[A_DETAIL]));
	}
	if (a->n > max_rows)
		fprintf(fp, "  ... %zu more\n", a->n - max_rows);
	fputs("\nRankings (top entry):\n", fp);
	for (i = R_TRAFFIC; i < R_NROLES; i++) {
		struct table *t = tabs[i];
		struct port *p;
		size_t np, j;
		int vcol;

		if (t == NULL)
			continue;
		fprintf(fp, "  %-30s ", roles[i].title);
		if (i == R_TRAFFIC) {
			long long all = 0, den = 0;
			int cc = colidx(t, "count"), ca = colidx(t, "action");

			for (j = 0; j < t->nrows; j++) {
				all = sat_add(all, num(cell(t, j, cc)));
				if (deny_like(cell(t, j, ca)))
					den = sat_add(den,
					    num(cell(t, j, cc)));
			}
			fprintf(fp, "%lld events, %lld denied\n", all, den);
			continue;
		}
		if (i == R_PORTS) {
			np = colidx(t, "dport") >= 0 ?
			    denied_ports(t, &p) : 0;
			if (np)
				fprintf(fp, "%s (%lld denied)\n", p[0].label,
				    p[0].count);
			else
				fputs("nothing denied\n", fp);
			for (j = 0; np && j < np; j++)
				free(p[j].label);
			if (colidx(t, "dport") >= 0)
				free(p);
			continue;
		}
		if (t->nrows == 0) {
			fputs(i == R_DMZ ? "no rows (the safe state)\n" :
			    "no rows\n", fp);
			continue;
		}
		vcol = value_col(t);
		{
			size_t *order = xcalloc(t->nrows, sizeof *order);
			char *label;

			for (j = 0; j < t->nrows; j++)
				order[j] = j;
			if (vcol >= 0 && colidx(t, "rank") < 0) {
				sort_t = t;
				sort_col = vcol;
				qsort(order, t->nrows, sizeof *order, by_value);
			}
			label = row_label(t, order[0], vcol >= 0 ? vcol : 1);
			fprintf(fp, "%s (%s), %zu rows\n", label,
			    vcol >= 0 ? cell(t, order[0], vcol) : "-",
			    t->nrows);
			free(label);
			free(order);
		}
	}
}

/* ---- inputs ---- */

static int
role_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;
	int i;

	base = base ? base + 1 : path;
	for (i = 0; i < R_NROLES; i++)
		if (strcmp(base, roles[i].file) == 0)
			return i;
	/* any NAME.alerts.csv or alerts-NAME.csv holds alerts too */
	n = strlen(base);
	if ((n > 11 && strcmp(base + n - 11, ".alerts.csv") == 0) ||
	    (n > 11 && strncmp(base, "alerts-", 7) == 0 &&
	    strcmp(base + n - 4, ".csv") == 0))
		return R_ALERTS;
	return -1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
add_input(struct table *tabs[], struct alerts *al, const char *path,
    int role)
{
	int st;

	if (role == R_ALERTS) {
		st = table_add(&al->t, path);
		if (st == 0 && al->t.cols && (colidx(&al->t, "rule") < 0 ||
		    colidx(&al->t, "sev") < 0)) {
			warnx("%s: missing column '%s'", path,
			    colidx(&al->t, "rule") < 0 ? "rule" : "sev");
			st = EXIT_ERROR;
		}
		return st;
	}
	if (tabs[role] == NULL)
		tabs[role] = xcalloc(1, sizeof *tabs[role]);
	return table_add(tabs[role], path);
}

/* A directory: every file in it with a name report knows, in name order. */
static int
add_dir(struct table *tabs[], struct alerts *al, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	int st = 0;

	if (d == NULL) {
		warn("%s", dir);
		return EXIT_ERROR;
	}
	while ((e = readdir(d)) != NULL) {
		if (role_of(e->d_name) < 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		if (asprintf(&names[n++], "%s/%s", dir, e->d_name) < 0)
			errx(EXIT_ERROR, "out of memory");
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		if (add_input(tabs, al, names[i], role_of(names[i])) != 0)
			st = EXIT_ERROR;
		free(names[i]);
	}
	free(names);
	return st;
}

/* The period: the earliest and latest event times the alerts name. */
static char *
period_text(const struct alerts *a, const char *given)
{
	const char *lo = NULL, *hi = NULL;
	char *s;
	size_t i;

	if (given)
		return xstrdup(given);
	for (i = 0; i < a->n; i++) {
		const char *f = cell(&a->t, a->rows[i], a->c[A_FIRST]);
		const char *l = cell(&a->t, a->rows[i], a->c[A_LAST]);

		if (*f && (lo == NULL || strcmp(f, lo) < 0))
			lo = f;
		if (*l && (hi == NULL || strcmp(l, hi) > 0))
			hi = l;
	}
	if (lo == NULL)
		return xstrdup("Period: no alerts to date it.");
	if (asprintf(&s, "Alerts from %s to %s.", lo, hi ? hi : lo) < 0)
		errx(EXIT_ERROR, "out of memory");
	return s;
}

static const struct optdef opts[] = {
	{ "csv", 'c', required_argument, "FILE",
	    "also write the alert table as spreadsheet-safe CSV" },
	{ "exit-status", 'e', no_argument, NULL,
	    "exit 1 when the report holds at least one alert" },
	{ "help", 'h', no_argument, NULL, "show this help and exit" },
	{ "max-rows", 'm', required_argument, "N",
	    "alerts listed in the table and summary (default 1000)" },
	{ "top", 'n', required_argument, "N",
	    "rows of each ranking and chart (default 15)" },
	{ "output", 'o', required_argument, "FILE",
	    "write the HTML page to FILE (default report.html)" },
	{ "period", 'p', required_argument, "TEXT",
	    "the period line under the title (default: from the alerts)" },
	{ "text", 't', required_argument, "FILE",
	    "write the plain-text summary to FILE (- for stdout)" },
	{ "title", 'T', required_argument, "TEXT",
	    "title of the report (default \"kazami daily report\")" },
	{ "version", 'V', no_argument, NULL, "show the version and exit" },
	{ NULL, 0, 0, NULL, NULL }
};
static const char synopsis[] = "[-ehV] [-c FILE] [-m N] [-n N] [-o FILE] "
    "[-p TEXT] [-t FILE] [-T TITLE] [DIR | FILE ...]";

/*
 * Read the day's alerts, tallies and rankings (a directory of them, or
 * files known by name; stdin and "-" are alert records) and write the
 * HTML report, and on request the text summary and spreadsheet CSV.
 */
int
main(int argc, char *argv[])
{
	const char *out = "report.html", *textout = NULL, *csvout = NULL;
	const char *title = "kazami daily report", *period_opt = NULL;
	struct table *tabs[R_NROLES] = { NULL };
	struct alerts al;
	size_t max_rows = 1000, i;
	int c, st = 0, exit_status = 0;
	char *period;
	FILE *tfp = NULL;

	memset(&al, 0, sizeof al);
	while ((c = opt_next(argc, argv, opts)) != -1) {
		switch (c) {
		case 'T':
			title = optarg;
			break;
		case 'V':
			opt_version();
			return fshut(stdout, "stdout") ? EXIT_ERROR : 0;
		case 'c':
			csvout = optarg;
			break;
		case 'e':
			exit_status = 1;
			break;
		case 'h':
			opt_help(stdout, synopsis, "Write the daily report: one "
			    "HTML page with charts, and a text summary.", opts);
			return fshut(stdout, "stdout") ? EXIT_ERROR : 0;
		case 'm':
			max_rows = (size_t)opt_num("--max-rows", optarg, 0,
			    100000000);
			break;
		case 'n':
			top_n = (int)opt_num("--top", optarg, 1, 10000);
			break;
		case 'o':
			out = optarg;
			break;
		case 'p':
			period_opt = optarg;
			break;
		case 't':
			textout = optarg;
			break;
		default:
			opt_usage_error(synopsis);
		}
	}
	if (optind == argc) {
		st |= add_input(tabs, &al, "-", R_ALERTS);
	} else {
		for (c = optind; c < argc; c++) {
			struct stat sb;
			int ro;

			if (strcmp(argv[c], "-") != 0 &&
			    stat(argv[c], &sb) == 0 && S_ISDIR(sb.st_mode)) {
				st |= add_dir(tabs, &al, argv[c]);
				continue;
			}
			ro = strcmp(argv[c], "-") == 0 ? R_ALERTS :
			    role_of(argv[c]);
			if (ro < 0) {
				warnx("%s: not a file report knows (alerts.csv, "
				    "*.alerts.csv, traffic.csv, ...)", argv[c]);
				st = EXIT_ERROR;
				continue;
			}
			st |= add_input(tabs, &al, argv[c], ro);
		}
	}
	if (st != 0) {
		st = EXIT_ERROR;
		goto done;
	}
	alerts_prepare(&al);
	for (i = 0; i < al.n; i++)
		sev_count[sev_rank(cell(&al.t, al.rows[i], al.c[A_SEV]))]++;
	period = period_text(&al, period_opt);

	if (strcmp(out, "-") == 0)
		html = stdout;
	else if ((html = fopen(out, "w")) == NULL)
		err(EXIT_ERROR, "%s", out);
	html_head(title, period);
	fputs("<div>", html);
	fprintf(html, "<span class=\"box\"><b>%zu</b>alerts</span>", al.n);
	fprintf(html, "<span class=\"box sev-critical\"><b>%lld</b>critical"
	    "</span><span class=\"box sev-high\"><b>%lld</b>high</span>"
	    "<span class=\"box sev-medium\"><b>%lld</b>medium</span>"
	    "<span class=\"box\"><b>%lld</b>low</span>"
	    "<span class=\"box\"><b>%lld</b>info</span></div>\n",
	    sev_count[5], sev_count[4], sev_count[3], sev_count[2],
	    sev_count[1]);
	alerts_section(&al, max_rows);
	traffic(tabs[R_TRAFFIC]);
	ports(tabs[R_PORTS]);
	ranking(R_DEST, tabs[R_DEST], "No web destinations.");
	ranking(R_RARE, tabs[R_RARE], "No rare destinations.");
	ranking(R_NIGHT, tabs[R_NIGHT], "Nobody browsed at night.");
	ranking(R_DMZ, tabs[R_DMZ], "No DMZ egress: the safe state.");
	for (i = R_FNIGHT; i <= R_FCOPY; i++)
		ranking((enum role)i, tabs[i], "No one.");
	fputs("<p class=\"note\">Made by kazami report " KZ_VERSION
	    ".</p>\n</body>\n</html>\n", html);
	if (fshut(html, out) != 0)
		st = EXIT_ERROR;

	if (textout) {
		if (strcmp(textout, "-") == 0)
			tfp = stdout;
		else if ((tfp = fopen(textout, "w")) == NULL) {
			warn("%s", textout);
			st = EXIT_ERROR;
		}
		if (tfp) {
			text_summary(tfp, title, period, &al, tabs, max_rows);
			if (fshut(tfp, textout) != 0)
				st = EXIT_ERROR;
		}
	}
	if (csvout && write_csv(csvout, &al) != 0)
		st = EXIT_ERROR;

	free(period);
done:
	free(al.rows);
	table_free(&al.t);
	for (i = 0; i < R_NROLES; i++)
		if (tabs[i]) {
			table_free(tabs[i]);
			free(tabs[i]);
		}
	if (st == 0 && exit_status && al.n > 0)
		return EXIT_FOUND;
	return st;
}
