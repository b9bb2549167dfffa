/*
 * tm: event time as int64_t milliseconds since the epoch.  Calendar
 * arithmetic is done here in integers (days from a civil date and back,
 * for any year), because timegm/gmtime are slow and locale-free code is
 * easier to trust; the system's zone database is used only for local
 * time, through localtime_r with a small cache.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tm.h"
#include "util.h"

#define MS_PER_DAY 86400000LL

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
tm_days_from_civil(int year, int mon, int day)
{
	/* Count from 0000-03-01 so the leap day ends a year. */
	int64_t y = (int64_t)year - (mon <= 2);
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t mp = (mon + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *year, int *mon, int *day)
{
	int64_t era, doe, yoe, doy, mp, y;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(y + (*mon <= 2));
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

int64_t
tm_make(const struct tm_parts *p)
{
	return tm_days_from_civil(p->year, p->mon, p->day) * MS_PER_DAY +
	    ((int64_t)p->hour * 3600 + p->min * 60 + p->sec) * 1000 +
	    p->msec;
}

void
tm_split(int64_t ms, struct tm_parts *p)
{
	int64_t days = floor_div(ms, MS_PER_DAY);
	int64_t rem = ms - days * MS_PER_DAY;

	civil_from_days(days, &p->year, &p->mon, &p->day);
	p->hour = (int)(rem / 3600000);
	p->min = (int)(rem / 60000 % 60);
	p->sec = (int)(rem / 1000 % 60);
	p->msec = (int)(rem % 1000);
	p->wday = (int)((days % 7 + 11) % 7);	/* 1970-01-01 was Thursday */
	p->yday = (int)(days - tm_days_from_civil(p->year, 1, 1));
	p->utcoff = 0;
}

/* digits: n decimal digits at s into *v; returns 0 or -1. */
static int
digits(const char *s, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

int
tm_parse(const char *s, size_t n, int local, int64_t *ms)
{
	struct tm_parts p = { 0 };
	size_t i;
	int off = 0, have_off = 0;

	/* YYYY-MM-DD */
	if (n < 16 || digits(s, 4, &p.year) || s[4] != '-' ||
	    digits(s + 5, 2, &p.mon) || s[7] != '-' ||
	    digits(s + 8, 2, &p.day) || (s[10] != 'T' && s[10] != 't' &&
	    s[10] != ' ') || digits(s + 11, 2, &p.hour) || s[13] != ':' ||
	    digits(s + 14, 2, &p.min))
		return -1;
	i = 16;
	if (i < n && s[i] == ':') {
		if (i + 3 > n || digits(s + i + 1, 2, &p.sec))
			return -1;
		i += 3;
		if (i < n && (s[i] == '.' || s[i] == ',')) {
			int k = 0;

			i++;
			if (i >= n || s[i] < '0' || s[i] > '9')
				return -1;
			for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
				if (k < 3)
					p.msec = p.msec * 10 + (s[i] - '0');
			for (; k < 3; k++)
				p.msec *= 10;
		}
	}
	if (i < n) {
		int hh, mm = 0;

		if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
			have_off = 1;
		} else if (s[i] == '+' || s[i] == '-') {
			size_t rest = n - i - 1;

			if (rest == 5 && s[i + 3] == ':') {
				if (digits(s + i + 1, 2, &hh) ||
				    digits(s + i + 4, 2, &mm))
					return -1;
			} else if (rest == 4) {
				if (digits(s + i + 1, 2, &hh) ||
				    digits(s + i + 3, 2, &mm))
					return -1;
			} else if (rest == 2) {
				if (digits(s + i + 1, 2, &hh))
					return -1;
			} else
				return -1;
			if (hh > 23 || mm > 59)
				return -1;
			off = (hh * 60 + mm) * 60 * (s[i] == '-' ? -1 : 1);
			have_off = 1;
		} else
			return -1;
	}
	if (p.mon < 1 || p.mon > 12 || p.day < 1 ||
	    p.day > days_in_month(p.year, p.mon) || p.hour > 23 ||
	    p.min > 59 || p.sec > 60)
		return -1;
	if (p.sec == 60)
		p.sec = 59;	/* a leap second: keep it in its minute */
	if (!have_off && local) {
		*ms = tm_from_local(&p);
	} else {
		/* Records come in time order: most share the previous
		 * one's date, so remember its day number. */
		static int c_year = -1, c_mon, c_day;
		static int64_t c_days;

		if (p.year != c_year || p.mon != c_mon || p.day != c_day) {
			c_days = tm_days_from_civil(p.year, p.mon, p.day);
			c_year = p.year;
			c_mon = p.mon;
			c_day = p.day;
		}
		*ms = c_days * MS_PER_DAY + ((int64_t)p.hour * 3600 +
		    p.min * 60 + p.sec) * 1000 + p.msec -
		    (int64_t)off * 1000;
	}
	return 0;
}

size_t
tm_format(int64_t ms, char *buf)
{
	static int64_t c_day = INT64_MIN;	/* the last day formatted */
	static char c_date[11];
	struct tm_parts p;
	int64_t day = floor_div(ms, MS_PER_DAY);

	if (day == c_day) {
		/* Times of one day differ only in the clock: keep the date. */
		int64_t rem = ms - day * MS_PER_DAY;

		memcpy(buf, c_date, 10);
		p.hour = (int)(rem / 3600000);
		p.min = (int)(rem / 60000 % 60);
		p.sec = (int)(rem / 1000 % 60);
		p.msec = (int)(rem % 1000);
		goto clock;
	}
	tm_split(ms, &p);
	int cacheable = p.year >= 0 && p.year <= 9999;
	if (p.year < 0) {
		p = (struct tm_parts){ .year = 0, .mon = 1, .day = 1 };
	} else if (p.year > 9999) {
		p = (struct tm_parts){ .year = 9999, .mon = 12, .day = 31,
		    .hour = 23, .min = 59, .sec = 59, .msec = 999 };
	}
	buf[0] = (char)('0' + p.year / 1000);
	buf[1] = (char)('0' + p.year / 100 % 10);
	buf[2] = (char)('0' + p.year / 10 % 10);
	buf[3] = (char)('0' + p.year % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + p.mon / 10);
	buf[6] = (char)('0' + p.mon % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + p.day / 10);
	buf[9] = (char)('0' + p.day % 10);
	if (cacheable) {
		memcpy(c_date, buf, 10);
		c_day = day;
	}
clock:
	buf[10] = 'T';
	buf[11] = (char)('0' + p.hour / 10);
	buf[12] = (char)('0' + p.hour % 10);
	buf[13] = ':';
	buf[14] = (char)('0' + p.min / 10);
	buf[15] = (char)('0' + p.min % 10);
	buf[16] = ':';
	buf[17] = (char)('0' + p.sec / 10);
	buf[18] = (char)('0' + p.sec % 10);
	buf[19] = '.';
	buf[20] = (char)('0' + p.msec / 100);
	buf[21] = (char)('0' + p.msec / 10 % 10);
	buf[22] = (char)('0' + p.msec % 10);
	buf[23] = 'Z';
	buf[24] = '\0';
	return 24;
}

/* ---- local time ---- */

static int zone_ready;
static int64_t cache_slot = INT64_MIN;	/* 15-minute slot of the cache */
static int cache_off;			/* its UTC offset, seconds */

#define SLOT_MS (15 * 60 * 1000LL)

int
tm_zone_set(const char *name)
{
	if (name == NULL || *name == '\0')
		name = getenv("TZ");
	if (name != NULL && *name != '\0') {
		const char *file = name[0] == ':' ? name + 1 : name;
		struct stat st;
		char *path;

		/* glibc quietly treats an unknown zone as UTC; refuse it.
		 * POSIX TZ strings such as "UTC0" or "JST-9" are accepted
		 * as glibc reads them. */
		if (strcmp(file, "UTC") != 0 && strcmp(file, "GMT") != 0 &&
		    file[0] != '/' && strpbrk(file, "0123456789") == NULL) {
			const char *dir = getenv("TZDIR");

			if (dir == NULL || *dir == '\0')
				dir = "/usr/share/zoneinfo";
			if (asprintf(&path, "%s/%s", dir, file) < 0)
				errx(EXIT_ERROR, "out of memory");
			if (strstr(file, "..") != NULL ||
			    stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
				free(path);
				return -1;
			}
			free(path);
		} else if (file[0] == '/' && stat(file, &st) != 0) {
			return -1;
		}
		if (setenv("TZ", name, 1) != 0)
			return -1;
	}
	tzset();
	zone_ready = 1;
	cache_slot = INT64_MIN;
	return 0;
}

/* utc_offset: seconds east of UTC at ms in the chosen zone.  Offsets
 * change only at transitions, which fall on quarter hours. */
static int
utc_offset(int64_t ms)
{
	int64_t slot = floor_div(ms, SLOT_MS);
	struct tm tm;
	time_t t;

	if (slot == cache_slot)
		return cache_off;
	if (!zone_ready)
		tm_zone_set(NULL);
	t = (time_t)floor_div(ms, 1000);
	if (localtime_r(&t, &tm) == NULL)
		return 0;
	cache_slot = slot;
	cache_off = (int)tm.tm_gmtoff;
	return cache_off;
}

void
tm_local(int64_t ms, struct tm_parts *p)
{
	int off = utc_offset(ms);

	tm_split(ms + (int64_t)off * 1000, p);
	p->utcoff = off;
}

int64_t
tm_from_local(const struct tm_parts *p)
{
	int64_t wall = tm_make(p);
	int64_t guess;
	int off1, off2;

	/* Try the offset in force a day before and after the wall time
	 * read as UTC: one of them is right.  The earlier offset wins in
	 * an overlap; in a gap the wall time is moved forward. */
	off1 = utc_offset(wall - MS_PER_DAY);
	off2 = utc_offset(wall + MS_PER_DAY);
	guess = wall - (int64_t)off1 * 1000;
	if (utc_offset(guess) == off1)
		return guess;
	guess = wall - (int64_t)off2 * 1000;
	if (utc_offset(guess) == off2)
		return guess;
	return wall - (int64_t)off1 * 1000;
}

int64_t
tm_bin_start(int64_t t, int64_t width)
{
	if (width <= 0)
		return t;
	if (MS_PER_DAY % width == 0 || width % MS_PER_DAY == 0) {
		/* Align to local midnight: local hours and days. */
		int off = utc_offset(t);
		int64_t lt = t + (int64_t)off * 1000;
		int64_t b = floor_div(lt, width) * width;

		return b - (int64_t)utc_offset(b - (int64_t)off * 1000) * 1000;
	}
	return floor_div(t, width) * width;
}

int
tm_month_abbr(const char *s)
{
	static const char m[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char a[3];

	for (int i = 0; i < 3; i++) {
		if (s[i] == '\0')
			return 0;
		a[i] = (char)(s[i] | 0x20);
	}
	for (int i = 0; i < 12; i++)
		if (memcmp(m + 3 * i, a, 3) == 0)
			return i + 1;
	return 0;
}
