/*
 * line: read lines of any length from a file, stdin or a gzip file
 * (detected by its magic bytes, so rotated .gz archives read directly).
 * No fixed-size buffers: the buffer grows to the longest line up to a
 * limit; a longer line is reported as such and skipped whole, never split.
 */
#ifndef KZ_LINE_H
#define KZ_LINE_H

#include <stddef.h>

#define LINE_MAX_DEFAULT (64u << 20)	/* 64 MiB */

struct line_reader;

/*
 * line_open: path NULL or "-" reads stdin.  On failure prints
 * "tool: path: strerror" and returns NULL.  max is the longest line
 * accepted (0 for LINE_MAX_DEFAULT).
 */
struct line_reader *line_open(const char *path, size_t max);

enum {
	LINE_OK = 1,	/* *line, *len: one line without LF (or CR) */
	LINE_EOF = 0,
	LINE_ERR = -1,	/* read or decompression error, already reported */
	LINE_LONG = -2	/* a line longer than max was skipped; *len is its
			   length (saturating) and *line its first max bytes */
};

/* line_next: the next line; the span is valid until the next call.  A
 * final line without LF is still a line.  A trailing CR is removed. */
int line_next(struct line_reader *lr, const char **line, size_t *len);

/* line_number: 1-based number of the line last returned. */
unsigned long line_number(const struct line_reader *lr);

/* line_name: the path as given, "-" or "(stdin)" shown as "stdin". */
const char *line_name(const struct line_reader *lr);

/* line_close: frees the reader; closes the file unless it is stdin. */
void line_close(struct line_reader *lr);

#endif
