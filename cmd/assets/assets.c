/* assets: inventory columns for the src and dst of every record. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "opt.h"
#include "rec.h"
#include "site.h"
#include "util.h"

#define SYNOPSIS "[-huV] [-a FILE] [FILE...]"

static const struct optdef opts[] = {
	{ "assets", 'a', required_argument, "FILE",
	  "site inventory (default $KAZAMI_ASSETS)" },
	OPT_HELP,
	OPT_LINEBUF,
	OPT_VERSION,
	{ NULL, 0, 0, NULL, NULL }
};

/* The columns added for each side, in output order. */
enum { F_NAME, F_ZONE, F_ROLE, F_DEPT, F_IMPORTANCE, F_N };
static const char *const added[2 * F_N] = {
	"src_name", "src_zone", "src_role", "src_dept", "src_importance",
	"dst_name", "dst_zone", "dst_role", "dst_dept", "dst_importance",
};

/* put_asset: the five cells of one side; nothing for an address no
 * inventory entry covers (or no address at all). */
static void
put_asset(struct rec_writer *w, const int *slot, const struct site *site,
    const char *s, size_t n)
{
	const struct site_asset *as;
	struct ip_addr a;

	if (n == 0 || ip_parse(s, n, &a) != 0 ||
	    (as = site_lookup(site, &a)) == NULL)
		return;
	/* The inventory keeps its text escaped as read: no second escape. */
	rec_set_str(w, slot[F_NAME], as->name);
	rec_set_str(w, slot[F_ZONE], as->zone);
	rec_set_str(w, slot[F_ROLE], as->role);
	rec_set_str(w, slot[F_DEPT], as->dept);
	if (as->importance > 0)
		rec_set_num(w, slot[F_IMPORTANCE], as->importance);
}

/*
 * assets adds what the site inventory knows about each record's source
 * and destination (name, zone, role, department, importance), by longest
 * prefix, so that an analyst or a report sees "finance PC, importance 5"
 * next to an address without a join of their own.
 */
int
main(int argc, char *argv[])
{
	const char *path = NULL;
	int slot[2 * F_N], i, c, rc, line_buffered = 0, isrc, idst;
	int status = EXIT_DONE, replacing = 0;
	struct rec_reader *r;
	struct rec_writer *w;
	struct site *site;

	while ((c = opt_next(argc, argv, opts)) != -1) {
		switch (c) {
		case 'a':
			path = optarg;
			break;
		case 'h':
			opt_help(stdout, SYNOPSIS, "Add site inventory columns "
			    "for src and dst.", opts);
			return fshut(stdout, "stdout") ? EXIT_ERROR : EXIT_DONE;
		case 'u':
			line_buffered = 1;
			break;
		case 'V':
			opt_version();
			return fshut(stdout, "stdout") ? EXIT_ERROR : EXIT_DONE;
		default:
			opt_usage_error(SYNOPSIS);
		}
	}
	argc -= optind;
	argv += optind;

	if ((site = site_load(path)) == NULL)
		return EXIT_ERROR;
	/* Without an inventory this tool would only add empty columns,
	 * which looks like "nothing known" when the truth is a typo. */
	if (site_empty(site))
		errx(EXIT_ERROR, "no site inventory: give -a FILE or set "
		    "KAZAMI_ASSETS");

	if ((r = rec_open(argv, argc)) == NULL) {
		site_free(site);
		return EXIT_ERROR;
	}
	isrc = rec_need(r, "src");
	idst = rec_need(r, "dst");
	w = rec_wopen(line_buffered);
	rec_header_like(w, r, added, 2 * F_N, slot);
	for (i = 0; i < 2 * F_N; i++)
		replacing |= slot[i] < rec_ncols(r);

	while ((rc = rec_next(r)) == 1) {
		const char *s;
		size_t n;

		rec_set_from(w, r);
		/* Columns of the same name from an earlier run are
		 * replaced, not left stale. */
		if (replacing)
			for (i = 0; i < 2 * F_N; i++)
				rec_set(w, slot[i], "", 0);
		s = rec_get(r, isrc, &n);
		put_asset(w, slot, site, s, n);
		s = rec_get(r, idst, &n);
		put_asset(w, slot + F_N, site, s, n);
		rec_emit(w);
	}
	if (rc < 0 || rec_status(r) != 0)
		status = EXIT_ERROR;
	if (rec_wclose(w) != 0)
		status = EXIT_ERROR;
	rec_close(r);
	site_free(site);
	return status;
}
