/*
 * opt: one table per tool gives both the getopt_long option array and the
 * --help text, so the two cannot drift (toybox and SiLK keep one source).
 */
#ifndef KZ_OPT_H
#define KZ_OPT_H

#include <getopt.h>
#include <stdio.h>

struct optdef {
	const char	*lname;		/* long name, without "--" */
	int		 sname;		/* short letter, or a value >= 256 for
					   long-only internal ids (avoid: every
					   option should have a short form) */
	int		 has_arg;	/* no_argument / required_argument */
	const char	*argname;	/* "FILE", "N", ... or NULL */
	const char	*help;		/* one line */
};

/* The entries every tool has, spelled once. */
#define OPT_HELP { "help", 'h', no_argument, NULL, \
	"print this help and exit" }
#define OPT_VERSION { "version", 'V', no_argument, NULL, \
	"print the version and exit" }
#define OPT_LINEBUF { "line-buffered", 'u', no_argument, NULL, \
	"flush output after every record (live use)" }

/*
 * opt_next: getopt_long over defs (terminated by an entry with lname NULL).
 * Returns the short letter as getopt does, '?' on a bad option (after
 * printing the usage hint), -1 at the end.
 */
int opt_next(int argc, char *const argv[], const struct optdef *defs);

/*
 * opt_help: print "usage: SYNOPSIS" then one line per option to fp.
 * synopsis is the rest of the usage line after the tool name.
 */
void opt_help(FILE *fp, const char *synopsis, const char *purpose,
    const struct optdef *defs);

/* opt_version: print "tool kazami VERSION" to stdout. */
void opt_version(void);

/* opt_usage_error: print "usage: ..." hint to stderr and exit 2. */
void opt_usage_error(const char *synopsis) __attribute__((noreturn));

#endif
