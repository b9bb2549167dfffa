/*
 * lognorm: the front door of every kazami pipeline.  It reads the raw logs
 * of firewalls, proxies, web, DNS and mail servers, IDS sensors and file
 * servers (plain or .gz) and writes one kazami.7 event record per event.
 * Every input line ends as a record, a skipped meta line or a visible
 * reject; nothing is dropped silently.
 */
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "line.h"
#include "lognorm.h"
#include "opt.h"
#include "rec.h"
#include "tm.h"
#include "util.h"

static const char synopsis[] = "[-eRsu] [-f format] [-m bytes] "
    "[-r file] [-y year] [-z zone] [file ...]";

static const struct optdef opts[] = {
	{ "exit-status", 'e', no_argument, NULL,
	    "exit 1 when any line was rejected" },
	{ "format", 'f', required_argument, "NAME",
	    "parse every line as format NAME (default auto)" },
	OPT_HELP,
	{ "list-formats", 'l', no_argument, NULL,
	    "list the formats and exit" },
	{ "max-line", 'm', required_argument, "BYTES",
	    "reject lines longer than BYTES (K, M, G suffixes; default 64M)" },
	{ "rejects", 'r', required_argument, "FILE",
	    "write rejected lines to FILE as FILE:LINE: REASON<TAB>line" },
	{ "raw", 'R', no_argument, NULL,
	    "append a raw column holding the original line" },
	{ "stats", 's', no_argument, NULL,
	    "print per-format line counts to standard error" },
	OPT_LINEBUF,
	OPT_VERSION,
	{ "year", 'y', required_argument, "YEAR",
	    "year of RFC 3164 stamps at the start of each file" },
	{ "tz", 'z', required_argument, "ZONE",
	    "zone of stamps without one (default $TZ, else the system zone)" },
	{ NULL, 0, 0, NULL, NULL },
};

/* max_line: a byte count with an optional K, M or G suffix. */
static size_t
max_line(const char *arg)
{
	unsigned long long mul = 1;
	size_t n = strlen(arg);
	long long v;
	char *num;

	if (n > 0 && strchr("kKmMgG", arg[n - 1]) != NULL) {
		switch (arg[n - 1] | 0x20) {
		case 'k':
			mul = 1ull << 10;
			break;
		case 'm':
			mul = 1ull << 20;
			break;
		default:
			mul = 1ull << 30;
			break;
		}
		n--;
	}
	num = xstrndup(arg, n);
	v = opt_num("max-line", num, 1, (4ll << 30) / (long long)mul);
	free(num);
	return (size_t)v * mul;
}

static void
list_formats(const struct ln_driver *d)
{
	int i;

	for (i = 0; i < d->nfmt; i++)
		printf("%-14s %s\n", d->fmt[i]->name, d->fmt[i]->desc);
}

int
main(int argc, char *argv[])
{
	static struct ln_driver d;
	struct ln_stat total;
	struct ln_file f;
	struct line_reader *lr;
	const char *format = "auto", *zone = NULL, *line;
	char *stdin_only[] = { "-", NULL }, **files;
	size_t maxlen = LINE_MAX_DEFAULT, n;
	int c, exit_status = 0, list = 0, stats = 0, linebuf = 0, status = 0;
	int r, nfiles;

	signal(SIGPIPE, SIG_DFL);
	ln_init(&d);
	while ((c = opt_next(argc, argv, opts)) != -1) {
		switch (c) {
		case 'e':
			exit_status = 1;
			break;
		case 'f':
			format = optarg;
			break;
		case 'h':
			opt_help(stdout, synopsis, "Turn raw device logs into "
			    "kazami event records.", opts);
			return fshut(stdout, "stdout") == 0 ? 0 : EXIT_ERROR;
		case 'l':
			list = 1;
			break;
		case 'm':
			maxlen = max_line(optarg);
			break;
		case 'r':
			d.rejects_name = optarg;
			break;
		case 'R':
			d.raw = 1;
			break;
		case 's':
			stats = 1;
			break;
		case 'u':
			linebuf = 1;
			break;
		case 'V':
			opt_version();
			return fshut(stdout, "stdout") == 0 ? 0 : EXIT_ERROR;
		case 'y':
			d.year = (int)opt_num("year", optarg, 1, 9999);
			break;
		case 'z':
			zone = optarg;
			break;
		default:
			opt_usage_error(synopsis);
		}
	}
	argc -= optind;
	argv += optind;
	if (list) {
		list_formats(&d);
		return fshut(stdout, "stdout") == 0 ? 0 : EXIT_ERROR;
	}
	if (strcmp(format, "auto") != 0 &&
	    (d.forced = ln_format_index(&d, format)) < 0)
		errx(EXIT_ERROR, "--format: %s: unknown format (see "
		    "--list-formats)", format);
	if (tm_zone_set(zone) != 0)
		errx(EXIT_ERROR, "--tz: %s: unknown time zone",
		    zone ? zone : getenv("TZ") ? getenv("TZ") : "");
	if (d.rejects_name != NULL &&
	    (d.rejects = fopen(d.rejects_name, "w")) == NULL)
		err(EXIT_ERROR, "%s", d.rejects_name);

	d.out = stdout;
	d.line_buffered = linebuf;
	ln_header(&d);
	files = argc > 0 ? argv : stdin_only;
	nfiles = argc > 0 ? argc : 1;
	for (int i = 0; i < nfiles; i++) {
		if ((lr = line_open(files[i], maxlen)) == NULL) {
			status = EXIT_ERROR;
			continue;
		}
		ln_file_begin(&d, &f, line_name(lr));
		while ((r = line_next(lr, &line, &n)) != LINE_EOF) {
			f.lineno = line_number(lr);
			if (r == LINE_ERR) {
				status = EXIT_ERROR;
				break;
			}
			if (r == LINE_LONG)
				ln_line_long(&d, &f, line, n > maxlen ?
				    maxlen : n, n);
			else
				ln_line(&d, &f, line, n);
		}
		ln_file_end(&d, &f);
		line_close(lr);
	}
	if (ln_out_close(&d) != 0)
		status = EXIT_ERROR;
	if (d.rejects != NULL && fshut(d.rejects, d.rejects_name) != 0)
		status = EXIT_ERROR;
	total = ln_total(&d);
	if (stats)
		ln_stats_print(&d, stderr);
	if (total.rejected > 0)
		warnx("%llu of %llu lines rejected%s", total.rejected,
		    total.lines, d.rejects ? "" : " (see --rejects)");
	ln_fini(&d);
	if (status == 0 && exit_status && total.rejected > 0)
		status = EXIT_FOUND;
	return status;
}
