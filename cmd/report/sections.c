/* report: the sections of the page. */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "util.h"
#include "report.h"

/* The inputs, known by the names the daily pipeline gives them. */
const struct role_info roles[R_NROLES] = {
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

const char *const alert_cols[13] = { "ts", "rule", "sev", "src",
	"dst", "dport", "host", "user", "count", "first", "last", "detail",
	"state" };

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
int
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
char *
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

/* rank_order: the rows of t in ranking order: as written when the file
 * has a rank column, else by the value column vcol, largest first. */
size_t *
rank_order(const struct table *t, int vcol)
{
	size_t *order = xcalloc(t->nrows + 1, sizeof *order), i;

	for (i = 0; i < t->nrows; i++)
		order[i] = i;
	if (vcol >= 0 && colidx(t, "rank") < 0) {
		sort_t = t;
		sort_col = vcol;
		qsort(order, t->nrows, sizeof *order, by_value);
	}
	return order;
}

int top_n = 15;

void
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
	order = rank_order(t, vcol);
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

void
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
size_t
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

void
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
void
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
size_t
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

long long sev_count[6];

void
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
