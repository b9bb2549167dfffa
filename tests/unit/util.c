/* Unit tests: common/util.c number and duration parsing. */
#include <stdint.h>

#include "tap.h"
#include "util.h"

int
main(void)
{
	const char *e;
	long long v;
	int64_t ms;

	ok(parse_num("42", 0, 100, &v, &e) == 0 && v == 42, "util: 42 parses");
	ok(parse_num("101", 0, 100, &v, &e) == -1 && strcmp(e, "too large") == 0,
	    "util: above max is too large");
	ok(parse_num("-1", 0, 100, &v, &e) == -1 && strcmp(e, "too small") == 0,
	    "util: below min is too small");
	ok(parse_num("4x", 0, 100, &v, &e) == -1, "util: trailing junk refused");
	ok(parse_num("", 0, 100, &v, &e) == -1, "util: empty refused");
	ok(parse_num(" 4", 0, 100, &v, &e) == -1, "util: leading space refused");
	ok(parse_num_span("8080,", 4, 0, 65535, &v) == 0 && v == 8080,
	    "util: span stops at its length");
	ok(parse_num_span("99999999999999999999", 20, 0, INT64_MAX, &v) == -1,
	    "util: overflow refused");
	ok(parse_num_span("-9223372036854775808", 20, INT64_MIN, 0, &v) == 0 &&
	    v == INT64_MIN, "util: INT64_MIN parses");
	ok(parse_duration("90s", &ms, &e) == 0 && ms == 90000, "util: 90s");
	ok(parse_duration("10m", &ms, &e) == 0 && ms == 600000, "util: 10m");
	ok(parse_duration("1h", &ms, &e) == 0 && ms == 3600000, "util: 1h");
	ok(parse_duration("7d", &ms, &e) == 0 && ms == 604800000LL, "util: 7d");
	ok(parse_duration("250ms", &ms, &e) == 0 && ms == 250, "util: 250ms");
	ok(parse_duration("30", &ms, &e) == 0 && ms == 30000,
	    "util: bare number is seconds");
	ok(parse_duration("1.5h", &ms, &e) == -1, "util: fractions refused");
	ok(parse_duration("h", &ms, &e) == -1, "util: unit alone refused");
	ok(parse_duration("5y", &ms, &e) == -1, "util: unknown unit refused");
	ok(parse_duration("999999999999d", &ms, &e) == -1,
	    "util: absurd duration refused");
	size_t n;
	char **v2 = strv_split("a,,b", ',', &n);
	ok(n == 3 && strcmp(v2[0], "a") == 0 && v2[1][0] == '\0' &&
	    strcmp(v2[2], "b") == 0 && v2[3] == NULL, "util: strv_split keeps empties");
	strv_free(v2);
	return tap_done();
}
