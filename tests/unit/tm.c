/* Unit tests: common/tm.c. */
#include <stdlib.h>

#include "tap.h"
#include "tm.h"

static const char *
fmt(int64_t ms)
{
	static char buf[TM_STRLEN];

	tm_format(ms, buf);
	return buf;
}

static int64_t
parse(const char *s, int local)
{
	int64_t ms;

	if (tm_parse(s, strlen(s), local, &ms) != 0)
		return TM_NONE;
	return ms;
}

int
main(void)
{
	struct tm_parts p;
	int64_t t;

	ok(tm_days_from_civil(1970, 1, 1) == 0, "tm: epoch is day 0");
	ok(tm_days_from_civil(2000, 3, 1) == 11017, "tm: 2000-03-01");
	ok(tm_days_from_civil(1969, 12, 31) == -1, "tm: day before epoch");
	is_str(fmt(0), "1970-01-01T00:00:00.000Z", "tm: format epoch");
	t = parse("2026-11-21T04:12:09.250Z", 0);
	/* 2026-11-21 is day 20413: 56 years incl. 14 leap days to 2026-01-01
	 * (20454 - ...) checked against the format round trip below. */
	is_str(fmt(t), "2026-11-21T04:12:09.250Z", "tm: round trip with ms");
	is_str(fmt(parse("2026-11-21T13:12:09+09:00", 0)),
	    "2026-11-21T04:12:09.000Z", "tm: offset +09:00 applied");
	is_str(fmt(parse("2026-11-20T23:12:09.5-0500", 0)),
	    "2026-11-21T04:12:09.500Z", "tm: offset -0500, one fraction digit");
	is_str(fmt(parse("2026-11-21 04:12:09.123456789", 0)),
	    "2026-11-21T04:12:09.123Z", "tm: space separator, ns truncated");
	is_str(fmt(parse("2024-02-29T00:00:00Z", 0)), "2024-02-29T00:00:00.000Z",
	    "tm: leap day");
	ok(parse("2023-02-29T00:00:00Z", 0) == TM_NONE, "tm: no Feb 29 in 2023");
	ok(parse("2026-13-01T00:00:00Z", 0) == TM_NONE, "tm: month 13 refused");
	ok(parse("2026-11-21T24:00:00Z", 0) == TM_NONE, "tm: hour 24 refused");
	ok(parse("2026-11-21T04:12:09Zjunk", 0) == TM_NONE, "tm: junk refused");
	ok(parse("2026-11-21", 0) == TM_NONE, "tm: a date alone is no time");
	is_str(fmt(parse("1969-12-31T23:59:59.999Z", 0)),
	    "1969-12-31T23:59:59.999Z", "tm: before the epoch");
	tm_split(parse("2026-11-22T00:00:00Z", 0), &p);
	ok(p.wday == 0 && p.yday == 325, "tm: 2026-11-22 is a Sunday, yday 325");

	ok(tm_zone_set("No/Such_Zone") == -1, "tm: unknown zone refused");
	ok(tm_zone_set("Asia/Tokyo") == 0, "tm: Asia/Tokyo accepted");
	tm_local(parse("2026-11-20T15:30:00Z", 0), &p);
	ok(p.day == 21 && p.hour == 0 && p.min == 30 && p.wday == 6 &&
	    p.utcoff == 32400, "tm: Friday 15:30 UTC is Saturday 00:30 in Tokyo");
	is_str(fmt(parse("2026-11-21T00:30:00", 1)), "2026-11-20T15:30:00.000Z",
	    "tm: local parse in Tokyo");
	ok(tm_bin_start(parse("2026-11-20T15:45:00Z", 0), 86400000) ==
	    parse("2026-11-20T15:00:00Z", 0), "tm: 1d bin starts at local midnight");

	ok(tm_zone_set("Europe/Berlin") == 0, "tm: Europe/Berlin accepted");
	/* 2026-03-29 02:30 does not exist in Berlin; 2026-10-25 02:30 twice. */
	is_str(fmt(parse("2026-10-25T02:30:00", 1)), "2026-10-25T00:30:00.000Z",
	    "tm: overlap takes the earlier (summer) offset");
	is_str(fmt(parse("2026-07-01T12:00:00", 1)), "2026-07-01T10:00:00.000Z",
	    "tm: summer time +02:00");
	is_str(fmt(parse("2026-01-01T12:00:00", 1)), "2026-01-01T11:00:00.000Z",
	    "tm: winter time +01:00");
	ok(tm_bin_start(parse("2026-07-01T10:15:00Z", 0), 3600000) ==
	    parse("2026-07-01T10:00:00Z", 0), "tm: 1h bin");
	ok(tm_month_abbr("Nov") == 11 && tm_month_abbr("jan") == 1 &&
	    tm_month_abbr("Foo") == 0 && tm_month_abbr("") == 0,
	    "tm: month abbreviations");
	return tap_done();
}
