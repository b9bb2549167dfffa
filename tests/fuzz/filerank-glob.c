/*
 * Fuzz filerank's two parts that see attacker-written bytes with state of
 * their own: the path pattern matcher (pattern lines are trusted, paths
 * are not, so both get arbitrary bytes) and the copy window (any order
 * and timing of reads and writes).  The first byte picks the part.
 *
 * Matcher: the input is "pattern\npath".  A pattern without
 * metacharacters must match itself.
 * Copy window: each 4 bytes are one event (user, base, dir, kind and a
 * time step that may go backwards), with a tiny cap so the FIFO wraps,
 * grows and overflows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filerank.h"

/* The report and list code link against these; this harness does not
 * call into them. */
const char *
fr_user_name(uint32_t uid, size_t *len)
{
	(void)uid;
	*len = 0;
	return "";
}

const struct fr_user *
fr_user_get(uint32_t uid)
{
	(void)uid;
	return NULL;
}

const char *
fr_file_name(uint32_t fid, size_t *len)
{
	(void)fid;
	*len = 0;
	return "";
}

size_t
fr_file_count(void)
{
	return 0;
}

static uint64_t copies;

static void
found(void *ctx, uint32_t uid, uint32_t src, uint32_t dst, int64_t ts)
{
	(void)ctx;
	(void)uid;
	(void)src;
	(void)dst;
	(void)ts;
	copies++;
}

static void
fuzz_glob(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n), *why = NULL;
	size_t pn = nl ? (size_t)(nl - s) : n;
	struct pg_pattern *p = pg_compile(s, pn, &why);
	struct pg_path path = { 0 };

	if (p == NULL) {
		if (why == NULL)
			abort();
		return;
	}
	if (nl != NULL) {
		pg_path_set(&path, nl + 1, n - pn - 1);
		(void)pg_match(p, &path);
	}
	/* literal patterns (no * ? [) match their own text */
	if (memchr(s, '*', pn) == NULL && memchr(s, '?', pn) == NULL &&
	    memchr(s, '[', pn) == NULL) {
		pg_path_set(&path, s, pn);
		if (!pg_match(p, &path))
			abort();
	}
	free(path.cp);
	pg_free(p);
}

static void
fuzz_copy(const uint8_t *d, size_t n)
{
	struct cp_window *c = cp_new(30000, 60000, 16, found, NULL);
	int64_t ts = 1793491200000;

	for (size_t i = 0; i + 4 <= n; i += 4) {
		struct fr_file f = { 0 };

		f.id = d[i] & 0x3f;
		f.base = d[i] & 0x07;
		f.dir = (d[i] >> 3) & 0x07;
		ts += ((int8_t)d[i + 2]) * 1000 + d[i + 3];
		cp_event(c, d[i + 1] & 0x03, &f, (d[i + 1] & 0x80) ?
		    CP_WRITE : CP_READ, ts);
	}
	cp_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_glob((const char *)data + 1, size - 1);
	else
		fuzz_copy(data + 1, size - 1);
	return 0;
}
