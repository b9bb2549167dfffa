/*
 * libFuzzer harness: lognorm's whole per-line path (envelopes,
 * auto-detection over every format, the generic syslog format, record
 * formatting with escaping and address canonicalisation, end-of-file
 * flushing) over arbitrary bytes split into lines as the line reader
 * would.  Lines are handed over without a terminating NUL, as in the
 * tool, so a parser reading past its span is caught.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lognorm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ln_driver d;
	static int ready;
	struct ln_file f;
	const char *p = (const char *)data, *end = p + size, *nl;
	char *line;
	size_t n;

	if (!ready) {
		tm_zone_set("Europe/Berlin");	/* exercise local time */
		ln_init(&d);
		d.raw = 1;
		ready = 1;
	}
	ln_file_begin(&d, &f, "fuzz");
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		/* a copy of exactly n bytes: ASan sees any overread */
		line = malloc(n ? n : 1);
		memcpy(line, p, n);
		f.lineno++;
		ln_line(&d, &f, line, n);
		free(line);
		p += n + 1;
	}
	ln_file_end(&d, &f);
	return 0;
}
