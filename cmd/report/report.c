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
#include "report.h"

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
			size_t *order = rank_order(t, vcol);
			char *label;

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
	OPT_HELP,
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
	OPT_VERSION,
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
