/*
 * tm: event time.  Times are int64_t milliseconds since the Unix epoch,
 * UTC.  The record format writes them as RFC 3339 with milliseconds and
 * "Z" (2026-11-21T04:12:09.250Z).  Local time (night, weekend, hour of day)
 * uses one IANA zone per process, chosen with tm_zone_set().
 */
#ifndef KZ_TM_H
#define KZ_TM_H

#include <stddef.h>
#include <stdint.h>

#define TM_STRLEN 25	/* "YYYY-MM-DDTHH:MM:SS.mmmZ" plus NUL */
#define TM_NONE INT64_MIN	/* "no time" */

/* Broken-down time; all fields plain numbers, month 1-12, wday 0=Sunday. */
struct tm_parts {
	int	year, mon, day, hour, min, sec, msec;
	int	wday;		/* 0 = Sunday, filled by tm_split/tm_local */
	int	yday;		/* 0-365, filled by tm_split/tm_local */
	int	utcoff;		/* seconds east of UTC, filled by tm_local */
};

/* days since 1970-01-01 of a proleptic Gregorian date (any year). */
int64_t tm_days_from_civil(int year, int mon, int day);

/* tm_make: UTC parts (year..msec) to ms; no range check beyond arithmetic. */
int64_t tm_make(const struct tm_parts *p);

/* tm_split: ms to UTC parts (wday, yday filled, utcoff 0). */
void tm_split(int64_t ms, struct tm_parts *p);

/*
 * tm_parse: RFC 3339 / ISO 8601 "YYYY-MM-DD[T ]HH:MM[:SS[.frac]][Z|+hh[:]mm]"
 * from a span.  Without an offset the time is read as UTC, unless
 * local is non-zero, when it is read in the tm_zone_set() zone.  Fractions
 * beyond milliseconds are truncated.  Returns 0 and sets *ms, -1 if s is
 * not such a time or a field is out of range.
 */
int tm_parse(const char *s, size_t n, int local, int64_t *ms);

/* tm_format: write the canonical form into buf (TM_STRLEN bytes); returns
 * its length (24).  Years outside 0000-9999 are clamped. */
size_t tm_format(int64_t ms, char *buf);

/*
 * tm_zone_set: use IANA zone name (NULL or "" means $TZ, else the system
 * zone) for local time in this process.  Returns 0, or -1 when the zone
 * is unknown (glibc would silently fall back to UTC; we refuse).
 */
int tm_zone_set(const char *name);

/* tm_local: ms to local parts in the chosen zone (cached per 15 minutes). */
void tm_local(int64_t ms, struct tm_parts *p);

/* tm_from_local: local wall-clock parts (year..msec) in the chosen zone to
 * ms.  In a DST gap or overlap the earlier offset wins. */
int64_t tm_from_local(const struct tm_parts *p);

/*
 * tm_bin_start: start of the bin of width ms that holds t.  Widths that
 * divide a day are aligned to local midnight (so 1h bins are local hours
 * and 1d bins local days); others to the epoch.
 */
int64_t tm_bin_start(int64_t t, int64_t width);

/* tm_month_abbr: "Jan".."Dec" -> 1..12, 0 if none (case-insensitive). */
int tm_month_abbr(const char *s);

#endif
