/*
 * libFuzzer harness for lognorm's application-log parsers (web, dns, mail,
 * auth families).  The input is split into lines; each line is copied into
 * a buffer of exactly its length (so ASan sees any read past the span) and
 * offered to every format of the four families directly, to the syslog
 * formats once more on the envelope's message when syslog_parse accepts
 * the line, and finally to the driver in auto mode, which canonicalises
 * and escapes the fields as main() does.  One ln_file lives across the
 * lines of an input, so stateful formats (W3C #Fields) keep their state.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lognorm.h"

static const struct ln_format *const *
tables(void)
{
	static const struct ln_format *const t[] = { web_formats,
	    dns_formats, mail_formats, auth_formats, NULL };

	return t;
}

static void
one_line(struct ln_driver *d, struct ln_file *direct, struct ln_file *auto_f,
    const char *line, size_t n)
{
	const struct ln_format *const *t;
	const struct ln_format *F;
	struct syslog_env env;
	const char *why;
	int have_env;
	char *buf = malloc(n ? n : 1);

	if (buf == NULL)
		return;
	memcpy(buf, line, n);
	have_env = syslog_parse(direct, buf, n, &env) == 0;
	for (t = tables(); *t != NULL; t++)
		for (F = *t; F->name != NULL; F++) {
			ev_reset(&d->ev);
			why = NULL;
			(void)F->parse(direct, NULL, buf, n, &d->ev, &why);
			if (F->syslog && have_env) {
				ev_reset(&d->ev);
				(void)F->parse(direct, &env, env.msg.p,
				    env.msg.n, &d->ev, &why);
			}
		}
	auto_f->lineno++;
	ln_line(d, auto_f, buf, n);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ln_driver d;
	static int ready;
	struct ln_file direct, auto_f;
	const char *p = (const char *)data, *e = p + size, *nl;
	const struct ln_format *const *t;
	const struct ln_format *F;

	if (!ready) {
		ln_init(&d);
		d.year = 2025;
		ready = 1;
	}
	memset(&direct, 0, sizeof(direct));
	direct.year = 2025;
	ln_file_begin(&d, &auto_f, "fuzz");
	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		one_line(&d, &direct, &auto_f, p, (size_t)((nl ? nl : e) - p));
		p = nl ? nl + 1 : e;
	}
	for (t = tables(); *t != NULL; t++)
		for (F = *t; F->name != NULL; F++)
			if (F->fini != NULL)
				F->fini(&direct);
	ln_file_end(&d, &auto_f);
	return 0;
}
