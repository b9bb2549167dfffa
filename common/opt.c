/* opt: getopt_long and --help from one table per tool. */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"
#include "util.h"

static struct option *longopts;
static char *shortopts;
static const struct optdef *built_for;

static void
build(const struct optdef *defs)
{
	size_t n = 0, i, k = 0;

	for (n = 0; defs[n].lname; n++)
		;
	longopts = xcalloc(n + 1, sizeof *longopts);
	shortopts = xmalloc(2 * n + 2);
	shortopts[k++] = ':';	/* report a missing argument as ':' */
	for (i = 0; i < n; i++) {
		longopts[i].name = defs[i].lname;
		longopts[i].has_arg = defs[i].has_arg;
		longopts[i].val = defs[i].sname;
		if (defs[i].sname > 0 && defs[i].sname < 256) {
			shortopts[k++] = (char)defs[i].sname;
			if (defs[i].has_arg == required_argument)
				shortopts[k++] = ':';
		}
	}
	shortopts[k] = '\0';
	built_for = defs;
}

int
opt_next(int argc, char *const argv[], const struct optdef *defs)
{
	int c;

	if (built_for != defs)
		build(defs);
	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == '?') {
		if (optopt && optopt < 256)
			warnx("unknown option -- '%c'", optopt);
		else
			warnx("unknown option '%s'", argv[optind - 1]);
		return '?';
	}
	if (c == ':') {
		warnx("option '%s' needs an argument", argv[optind - 1]);
		return '?';
	}
	return c;
}

void
opt_help(FILE *fp, const char *synopsis, const char *purpose,
    const struct optdef *defs)
{
	extern const char *__progname;
	const struct optdef *d;

	fprintf(fp, "usage: %s %s\n", __progname, synopsis);
	if (purpose)
		fprintf(fp, "%s\n", purpose);
	fprintf(fp, "\noptions:\n");
	for (d = defs; d->lname; d++) {
		char left[80];

		if (d->sname > 0 && d->sname < 256)
			snprintf(left, sizeof left, "-%c, --%s%s%s", d->sname,
			    d->lname, d->argname ? " " : "",
			    d->argname ? d->argname : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", d->lname,
			    d->argname ? " " : "",
			    d->argname ? d->argname : "");
		fprintf(fp, "  %-26s %s\n", left, d->help);
	}
}

void
opt_version(void)
{
	extern const char *__progname;

	printf("%s (kazami) %s\n", __progname, KZ_VERSION);
}

void
opt_usage_error(const char *synopsis)
{
	extern const char *__progname;

	fprintf(stderr, "usage: %s %s\n", __progname, synopsis);
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    __progname);
	exit(EXIT_ERROR);
}
