/* Unit tests: common/rec.c escaping and reading, common/line.c. */
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "line.h"
#include "rec.h"
#include "tap.h"

static const char *
esc(const char *s, size_t n)
{
	static char *buf;
	size_t len = 0, cap = 0;

	free(buf);
	buf = NULL;
	rec_escape(&buf, &len, &cap, s, n);
	buf = realloc(buf, len + 1);
	buf[len] = '\0';
	return buf;
}

static char *
tmpfile_with(const char *data, size_t n, int gz)
{
	static char path[64];
	strcpy(path, "/tmp/kz-unit-XXXXXX");
	int fd = mkstemp(path);

	if (gz) {
		gzFile g = gzdopen(fd, "wb");
		gzwrite(g, data, (unsigned)n);
		gzclose(g);
	} else {
		if (write(fd, data, n) != (ssize_t)n)
			abort();
		close(fd);
	}
	return path;
}

int
main(void)
{
	size_t n;
	char *u;

	is_str(esc("plain text", 10), "plain text", "rec: printable ASCII unchanged");
	is_str(esc("a\\b", 3), "a\\\\b", "rec: backslash doubled");
	is_str(esc("a\nb\tc\rd", 7), "a\\nb\\tc\\rd", "rec: LF TAB CR escaped");
	is_str(esc("a\0b", 3), "a\\x00b", "rec: NUL escaped");
	is_str(esc("\x1b[31m\x7f", 6), "\\x1b[31m\\x7f", "rec: ESC and DEL escaped");
	is_str(esc("caf\xc3\xa9", 5), "caf\xc3\xa9", "rec: valid UTF-8 kept");
	is_str(esc("\xe6\x97\xa5\xf0\x9f\x98\x80", 7), "\xe6\x97\xa5\xf0\x9f\x98\x80",
	    "rec: 3- and 4-byte UTF-8 kept");
	is_str(esc("\xc3", 1), "\\xc3", "rec: truncated sequence escaped");
	is_str(esc("\xc0\xaf", 2), "\\xc0\\xaf", "rec: overlong form escaped");
	is_str(esc("\xed\xa0\x80", 3), "\\xed\\xa0\\x80", "rec: surrogate escaped");
	is_str(esc("\xff", 1), "\\xff", "rec: 0xff escaped");
	ok(!rec_needs_escape("ok, fine", 8) && rec_needs_escape("a\\", 2),
	    "rec: needs_escape");
	{
		const char raw[] = "x\\y\n\x01\xff\xc3\xa9\"z";
		const char *e = esc(raw, sizeof raw - 1);
		u = rec_unescape(e, strlen(e), &n);
		ok(n == sizeof raw - 1 && memcmp(u, raw, n) == 0,
		    "rec: unescape inverts escape");
		free(u);
	}
	u = rec_unescape("\\q\\x4", 5, &n);
	is_str(u, "\\q\\x4", "rec: unknown and short escapes kept");
	free(u);

	/* Reading: quoted fields, the fast path, bad records. */
	{
		const char data[] =
		    "a,b,c\n"
		    "1,2,3\n"
		    "\"x,y\",\"he said \"\"hi\"\"\",\n"
		    "\n"
		    "a,b,c\n"
		    "only,two\n"
		    "\"multi\nline\",q,\x01\n";
		char *p = tmpfile_with(data, sizeof data - 1, 0);
		char *paths[] = { p };
		struct rec_reader *r = rec_open(paths, 1);

		ok(r != NULL && rec_ncols(r) == 3, "rec: header of 3 columns");
		ok(rec_col(r, "b") == 1 && rec_col(r, "z") == -1, "rec: rec_col");
		ok(rec_next(r) == 1, "rec: first record");
		is_str(rec_get(r, 2, NULL), "3", "rec: fast path field");
		ok(rec_next(r) == 1, "rec: quoted record");
		is_str(rec_get(r, 0, NULL), "x,y", "rec: comma inside quotes");
		is_str(rec_get(r, 1, NULL), "he said \"hi\"", "rec: doubled quotes");
		is_str(rec_get(r, 2, &n), "", "rec: empty last field");
		ok(rec_next(r) == 1, "rec: blank line and repeated header skipped, "
		    "bad record rejected");
		is_str(rec_get(r, 0, NULL), "multi\\nline",
		    "rec: a quoted line end becomes \\n");
		is_str(rec_get(r, 2, NULL), "\\x01", "rec: control byte escaped on input");
		ok(rec_next(r) == 0 && rec_rejects(r) == 1 && rec_status(r) == 2,
		    "rec: end, one reject counted, status 2");
		rec_close(r);
		unlink(p);
	}
	{
		const char data[] = "ts,n\n2026-01-01T00:00:00.000Z,1\n";
		char *p = tmpfile_with(data, sizeof data - 1, 1);
		char *paths[] = { p };
		struct rec_reader *r = rec_open(paths, 1);

		ok(r != NULL && rec_next(r) == 1 &&
		    strcmp(rec_get(r, 1, NULL), "1") == 0 && rec_next(r) == 0,
		    "rec: gzip input read directly");
		rec_close(r);
		unlink(p);
	}
	{
		char *p = tmpfile_with("", 0, 0);
		char *paths[] = { p };

		ok(rec_open(paths, 1) == NULL, "rec: zero-byte input is an error");
		unlink(p);
	}
	/* line: a line over the limit is reported whole, not split. */
	{
		size_t big = 300000;
		char *data = malloc(big + 10);
		struct line_reader *lr;
		const char *l;
		size_t len;

		memset(data, 'x', big);
		memcpy(data + big, "\nok\nend", 7);
		char *p = tmpfile_with(data, big + 7, 0);
		lr = line_open(p, 1000);
		ok(line_next(lr, &l, &len) == LINE_LONG && len == big,
		    "line: long line skipped whole with its length");
		ok(line_next(lr, &l, &len) == LINE_OK && len == 2 &&
		    memcmp(l, "ok", 2) == 0 && line_number(lr) == 2,
		    "line: next line intact, numbered 2");
		ok(line_next(lr, &l, &len) == LINE_OK && len == 3,
		    "line: last line without LF");
		ok(line_next(lr, &l, &len) == LINE_EOF, "line: EOF");
		line_close(lr);
		unlink(p);
		free(data);
	}
	return tap_done();
}
