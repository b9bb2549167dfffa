/*
 * line: a line reader for inputs of any size.  Bytes come from read(2)
 * into one growing buffer; gzip input (magic 1f 8b, from a file or a
 * pipe) is inflated on the way with zlib, members concatenated as gzip(1)
 * does.  A line longer than the limit is skipped whole and reported, so
 * it can never be split into two records.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "line.h"
#include "util.h"

#define CHUNK (256u << 10)

struct line_reader {
	char		*name;
	int		 fd;
	int		 probed;	/* first bytes looked at */
	int		 gz;		/* input is gzip */
	z_stream	 zs;
	unsigned char	*zin;		/* compressed bytes not yet inflated */
	int		 zeof;		/* no more compressed bytes */
	char		*buf;
	size_t		 cap;
	size_t		 start;		/* first unread byte */
	size_t		 end;		/* one past the last byte read */
	size_t		 max;
	unsigned long	 lineno;
	int		 eof;
};

struct line_reader *
line_open(const char *path, size_t max)
{
	struct line_reader *lr;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		path = "stdin";
	} else if ((fd = open(path, O_RDONLY)) == -1) {
		warn("%s", path);
		return NULL;
	}
	lr = xcalloc(1, sizeof *lr);
	lr->name = xstrdup(path);
	lr->fd = fd;
	lr->max = max ? max : LINE_MAX_DEFAULT;
	lr->cap = CHUNK;
	lr->buf = xmalloc(lr->cap + 1);
	return lr;
}

static ssize_t
xread(struct line_reader *lr, void *p, size_t n)
{
	ssize_t r;

	do
		r = read(lr->fd, p, n);
	while (r == -1 && errno == EINTR);
	if (r == -1)
		warn("%s", lr->name);
	return r;
}

/* inflate_more: inflate into buf[end..cap); returns bytes produced, 0 at
 * the end of the compressed input, -1 on error. */
static ssize_t
inflate_more(struct line_reader *lr)
{
	for (;;) {
		size_t before = lr->end;
		int zr;

		if (lr->zs.avail_in == 0 && !lr->zeof) {
			ssize_t r = xread(lr, lr->zin, CHUNK);

			if (r < 0)
				return -1;
			if (r == 0)
				lr->zeof = 1;
			lr->zs.next_in = lr->zin;
			lr->zs.avail_in = (uInt)r;
		}
		if (lr->zs.avail_in == 0 && lr->zeof)
			return 0;
		lr->zs.next_out = (unsigned char *)lr->buf + lr->end;
		lr->zs.avail_out = (uInt)(lr->cap - lr->end > (1u << 30) ?
		    (1u << 30) : lr->cap - lr->end);
		zr = inflate(&lr->zs, Z_NO_FLUSH);
		lr->end = (size_t)((char *)lr->zs.next_out - lr->buf);
		if (zr == Z_STREAM_END) {
			/* Another gzip member may follow (cat a.gz b.gz). */
			inflateReset(&lr->zs);
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			warnx("%s: corrupt gzip data: %s", lr->name,
			    lr->zs.msg ? lr->zs.msg : "inflate error");
			return -1;
		} else if (zr == Z_BUF_ERROR && lr->zs.avail_in == 0 &&
		    lr->zeof) {
			warnx("%s: truncated gzip data", lr->name);
			return -1;
		}
		if (lr->end > before)
			return (ssize_t)(lr->end - before);
	}
}

/* fill: make room and read more bytes after end; returns bytes added,
 * 0 at EOF, -1 on error. */
static ssize_t
fill(struct line_reader *lr)
{
	ssize_t n;

	if (lr->start == lr->end)
		lr->start = lr->end = 0;
	if (lr->end == lr->cap) {
		if (lr->start > 0) {
			memmove(lr->buf, lr->buf + lr->start,
			    lr->end - lr->start);
			lr->end -= lr->start;
			lr->start = 0;
		} else {
			lr->cap *= 2;
			lr->buf = xrealloc(lr->buf, lr->cap + 1);
		}
	}
	if (lr->gz)
		return inflate_more(lr);
	n = xread(lr, lr->buf + lr->end, lr->cap - lr->end);
	if (n <= 0)
		return n;
	if (!lr->probed) {
		lr->probed = 1;
		if (n >= 2 && (unsigned char)lr->buf[lr->end] == 0x1f &&
		    (unsigned char)lr->buf[lr->end + 1] == 0x8b) {
			/* Move the bytes just read over to zlib's side. */
			lr->gz = 1;
			lr->zin = xmalloc(CHUNK);
			memcpy(lr->zin, lr->buf + lr->end, (size_t)n);
			if (inflateInit2(&lr->zs, 15 + 16) != Z_OK)
				errx(EXIT_ERROR, "%s: zlib init failed",
				    lr->name);
			lr->zs.next_in = lr->zin;
			lr->zs.avail_in = (uInt)n;
			return inflate_more(lr);
		}
	}
	lr->end += (size_t)n;
	return n;
}

int
line_next(struct line_reader *lr, const char **line, size_t *len)
{
	size_t scanned = 0;	/* bytes after start known to hold no LF */
	size_t dropped = 0;	/* bytes of an over-long line thrown away */
	size_t n;
	char *nl;

	if (lr->eof)
		return LINE_EOF;
	for (;;) {
		nl = memchr(lr->buf + lr->start + scanned, '\n',
		    lr->end - lr->start - scanned);
		if (nl != NULL)
			break;
		scanned = lr->end - lr->start;
		if (scanned > lr->max) {
			/* Too long: keep the first max bytes for the
			 * caller's message, drop the rest as it comes. */
			dropped += scanned - lr->max;
			lr->end = lr->start + lr->max;
			scanned = lr->max;
		}
		/* fill() may move the data; scanned stays relative. */
		ssize_t r = fill(lr);
		if (r < 0) {
			lr->eof = 1;
			return LINE_ERR;
		}
		if (r == 0) {
			lr->eof = 1;
			if (lr->end == lr->start && dropped == 0)
				return LINE_EOF;
			nl = lr->buf + lr->end;	/* last line, no LF */
			break;
		}
	}
	lr->lineno++;
	*line = lr->buf + lr->start;
	n = (size_t)(nl - (lr->buf + lr->start));
	lr->start = (size_t)(nl - lr->buf) + (nl < lr->buf + lr->end);
	if (dropped > 0 || n > lr->max) {
		*len = n + dropped;
		return LINE_LONG;
	}
	if (n > 0 && (*line)[n - 1] == '\r')
		n--;
	*len = n;
	return LINE_OK;
}

unsigned long
line_number(const struct line_reader *lr)
{
	return lr->lineno;
}

const char *
line_name(const struct line_reader *lr)
{
	return lr->name;
}

void
line_close(struct line_reader *lr)
{
	if (lr == NULL)
		return;
	if (lr->gz)
		inflateEnd(&lr->zs);
	if (lr->fd != STDIN_FILENO)
		close(lr->fd);
	free(lr->zin);
	free(lr->buf);
	free(lr->name);
	free(lr);
}
