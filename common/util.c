/* util: x-wrappers, number and duration parsing, checked stream close. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void __attribute__((noreturn))
oom(void)
{
	errx(EXIT_ERROR, "out of memory");
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		oom();
	return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
parse_num_span(const char *s, size_t n, long long min, long long max,
    long long *out)
{
	unsigned long long v = 0, lim;
	size_t i = 0;
	int neg = 0;

	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return -1;
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		if (v > (lim - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	long long r = neg ? (long long)(0 - v) : (long long)v;
	if (r < min || r > max)
		return -1;
	*out = r;
	return 0;
}

int
parse_num(const char *s, long long min, long long max, long long *out,
    const char **errstr)
{
	char *end;
	long long v;

	*errstr = NULL;
	if (s == NULL || *s == '\0' || strspn(s, " \t") > 0) {
		*errstr = "invalid";
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0') {
		*errstr = "invalid";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*errstr = "too small";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		*errstr = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

int
parse_duration(const char *s, int64_t *ms, const char **errstr)
{
	static const struct { const char *sfx; int64_t mul; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
		{ "d", 86400000 }, { "w", 604800000 }, { "", 1000 },
	};
	const int64_t maxms = (int64_t)100 * 366 * 86400000;
	size_t digits, i;
	long long v;

	*errstr = "invalid";
	if (s == NULL)
		return -1;
	digits = strspn(s, "0123456789");
	if (digits == 0 || digits > 15)
		return -1;
	if (parse_num_span(s, digits, 0, LLONG_MAX, &v) != 0)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(s + digits, units[i].sfx) != 0)
			continue;
		if (v > maxms / units[i].mul) {
			*errstr = "too large";
			return -1;
		}
		*ms = (int64_t)v * units[i].mul;
		*errstr = NULL;
		return 0;
	}
	return -1;
}

long long
opt_num(const char *optname, const char *arg, long long min, long long max)
{
	const char *e;
	long long v;

	if (parse_num(arg, min, max, &v, &e) != 0)
		errx(EXIT_ERROR, "--%s: %s: %s (expected %lld to %lld)",
		    optname, arg, e, min, max);
	return v;
}

int64_t
opt_duration(const char *optname, const char *arg)
{
	const char *e;
	int64_t ms;

	if (parse_duration(arg, &ms, &e) != 0)
		errx(EXIT_ERROR, "--%s: %s: %s duration (use e.g. 90s, 10m, "
		    "1h, 7d)", optname, arg, e);
	return ms;
}

int
fshut(FILE *fp, const char *name)
{
	int bad = 0;

	if (fflush(fp) != 0 || ferror(fp))
		bad = 1;
	if (fp != stdin && fp != stdout && fp != stderr) {
		if (fclose(fp) != 0)
			bad = 1;
	}
	if (bad) {
		warn("%s", name);
		return -1;
	}
	return 0;
}

int
span_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

int
strv_has(const char *const *v, const char *s, size_t n)
{
	for (; *v != NULL; v++)
		if (span_is(s, n, *v))
			return 1;
	return 0;
}

int
hexdigit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char **
strv_split(const char *s, int c, size_t *countp)
{
	size_t n = 1, i = 0;
	const char *p, *q;
	char **v;

	for (p = s; *p; p++)
		if (*p == c)
			n++;
	v = xcalloc(n + 1, sizeof *v);
	for (p = s;; p = q + 1) {
		q = strchr(p, c);
		if (q == NULL) {
			v[i++] = xstrdup(p);
			break;
		}
		v[i++] = xstrndup(p, (size_t)(q - p));
	}
	if (countp)
		*countp = i;
	return v;
}

void
strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}
