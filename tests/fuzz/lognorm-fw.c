/*
 * libFuzzer harness: every firewall parser forced (-f NAME) on every line
 * of the input, so each sees inputs auto-detection would have given to
 * another format first.  The first byte picks the --year (0 = clock).
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
	static int ready, nfw;
	struct ln_file f;
	const char *p, *end, *nl;
	char *line;
	size_t n;
	int i;

	if (!ready) {
		tm_zone_set("America/New_York");
		ln_init(&d);
		for (nfw = 0; fw_formats[nfw].name != NULL; nfw++)
			;
		ready = 1;
	}
	if (size == 0)
		return 0;
	d.year = data[0] ? 1900 + data[0] : 0;
	for (i = 0; i < nfw; i++) {
		d.forced = ln_format_index(&d, fw_formats[i].name);
		ln_file_begin(&d, &f, "fuzz");
		for (p = (const char *)data + 1, end = (const char *)data + size;
		    p < end; p += n + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			n = (size_t)((nl ? nl : end) - p);
			line = malloc(n ? n : 1);
			memcpy(line, p, n);
			f.lineno++;
			ln_line(&d, &f, line, n);
			free(line);
		}
		ln_file_end(&d, &f);
	}
	d.forced = -1;
	return 0;
}
