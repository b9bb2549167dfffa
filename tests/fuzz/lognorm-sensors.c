/*
 * libFuzzer harness for lognorm's sensor (ids_*.c) and file-audit
 * (file_*.c) parsers.  The input is cut into lines; every line goes, in a
 * buffer of exactly its length so ASan catches a read past the span, to
 * each format of the two families with one ln_file whose state lives
 * across the lines of the input (Zeek headers, held XML and CSV events,
 * open auditd events, the handle map), and syslog formats get the
 * envelope's message too.  At the end each format's flush hook is drained
 * and its fini run, as the driver does at the end of a file; the driver in
 * auto mode gets the same lines, so escaping and canonical addresses of
 * whatever comes out are exercised as well.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lognorm.h"

static const struct ln_format *const families[] = { ids_formats,
    file_formats, NULL };

static void
offer(struct ln_driver *d, struct ln_file *f, const char *buf, size_t n)
{
	const struct ln_format *const *t;
	const struct ln_format *F;
	struct syslog_env env;
	const char *why;
	int have_env;

	have_env = syslog_parse(f, buf, n, &env) == 0;
	for (t = families; *t != NULL; t++)
		for (F = *t; F->name != NULL; F++) {
			ev_reset(&d->ev);
			why = NULL;
			(void)F->parse(f, NULL, buf, n, &d->ev, &why);
			if (F->syslog && have_env) {
				ev_reset(&d->ev);
				(void)F->parse(f, &env, env.msg.p, env.msg.n,
				    &d->ev, &why);
			}
		}
}

static void
finish(struct ln_driver *d, struct ln_file *f)
{
	const struct ln_format *const *t;
	const struct ln_format *F;
	int guard;

	for (t = families; *t != NULL; t++)
		for (F = *t; F->name != NULL; F++) {
			if (F->flush == NULL)
				continue;
			/* A flush hook must run dry: bound it so a hook that
			 * never says LN_NO shows up as a timeout. */
			for (guard = 0; guard < 1000000; guard++) {
				ev_reset(&d->ev);
				if (F->flush(f, &d->ev) != LN_OK)
					break;
			}
		}
	for (t = families; *t != NULL; t++)
		for (F = *t; F->name != NULL; F++)
			if (F->fini != NULL)
				F->fini(f);
	ev_reset(&d->ev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ln_driver d;
	static int ready;
	struct ln_file direct, auto_f;
	const char *p = (const char *)data, *e = p + size, *nl;
	size_t n;
	char *buf;

	if (!ready) {
		ln_init(&d);
		d.year = 2026;
		ready = 1;
	}
	ln_file_begin(&d, &direct, "fuzz-direct");
	ln_file_begin(&d, &auto_f, "fuzz");
	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		n = (size_t)((nl ? nl : e) - p);
		if ((buf = malloc(n ? n : 1)) == NULL)
			break;
		memcpy(buf, p, n);
		direct.lineno++;
		offer(&d, &direct, buf, n);
		auto_f.lineno++;
		ln_line(&d, &auto_f, buf, n);
		free(buf);
		p = nl ? nl + 1 : e;
	}
	finish(&d, &direct);
	ln_file_end(&d, &auto_f);
	return 0;
}
