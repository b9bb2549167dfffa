/*
 * Fuzz the small parsers of common/ on any bytes: times, addresses,
 * prefixes, numbers, durations, and the escape/unescape pair, which must
 * round-trip exactly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "rec.h"
#include "tm.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char buf[IP_STRLEN], tb[TM_STRLEN], *z, *esc = NULL, *back;
	struct ip_addr a;
	struct ip_net net;
	int64_t ms;
	long long v;
	size_t n, len = 0, cap = 0;
	const char *e;

	if (tm_parse(s, size, 0, &ms) == 0)
		tm_format(ms, tb);
	if (ip_parse(s, size, &a) == 0) {
		struct ip_addr b;

		n = ip_format(&a, buf);
		/* The canonical text must parse back to the same address. */
		if (ip_parse(buf, n, &b) != 0 || memcmp(&a, &b, sizeof a) != 0)
			abort();
	}
	ip_net_parse(s, size, &net);
	parse_num_span(s, size, INT64_MIN, INT64_MAX, &v);
	z = strndup(s, size);
	if (z != NULL) {
		parse_duration(z, &ms, &e);
		free(z);
	}
	rec_escape(&esc, &len, &cap, s, size);
	if (rec_needs_escape(esc, len) && memchr(esc, '\\', len) == NULL)
		abort();
	back = rec_unescape(esc, len, &n);
	if (n != size || memcmp(back, data, size) != 0)
		abort();	/* escaping must be reversible */
	free(back);
	free(esc);
	return 0;
}
