/*
 * util: allocation wrappers that never return NULL, range-checked number
 * and duration parsing, and checked close of output streams.
 */
#ifndef KZ_UTIL_H
#define KZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KZ_VERSION "0.1.0"

/* Exit status of every tool (kazami.7). */
enum { EXIT_DONE = 0, EXIT_FOUND = 1, EXIT_ERROR = 2 };

/* Allocation: on failure print "tool: out of memory" and exit 2. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);	/* always NUL-terminates */

/*
 * parse_num: the whole of s must be a decimal integer within [min, max].
 * Returns 0 and stores into *out, or -1 with *errstr set to a static
 * message ("invalid", "too small", "too large"), as OpenBSD strtonum.
 */
int parse_num(const char *s, long long min, long long max, long long *out,
    const char **errstr);

/* parse_num over a span that need not be NUL-terminated. */
int parse_num_span(const char *s, size_t n, long long min, long long max,
    long long *out);

/*
 * parse_duration: "250ms", "90s", "10m", "1h", "7d", "2w" or a bare number
 * of seconds; fractions are not accepted.  Stores milliseconds into *ms.
 * Returns 0, or -1 with *errstr set.  Range: 0 .. 100 years.
 */
int parse_duration(const char *s, int64_t *ms, const char **errstr);

/*
 * Option-argument helpers for main(): on a bad value they print
 * "tool: --opt: VALUE: reason" and exit 2.
 */
long long opt_num(const char *optname, const char *arg, long long min,
    long long max);
int64_t opt_duration(const char *optname, const char *arg);

/*
 * fshut: flush and close fp (unless it is stdin/stdout/stderr, which are
 * only flushed) and report a write error as "tool: name: error".
 * Returns 0 when all output reached the kernel, -1 otherwise.
 */
int fshut(FILE *fp, const char *name);

/* span_is: s[0..n) is exactly the string lit. */
int span_is(const char *s, size_t n, const char *lit);

/* strv_has: the NULL-terminated list v holds s[0..n) as one of its items. */
int strv_has(const char *const *v, const char *s, size_t n);

/* hexdigit: the value of hex digit c (either case), or -1. */
int hexdigit(int c);

/* Split s on c into a NULL-terminated array of fresh strings (caller frees
 * with strv_free).  Empty items are kept. */
char **strv_split(const char *s, int c, size_t *countp);
void strv_free(char **v);

#endif
