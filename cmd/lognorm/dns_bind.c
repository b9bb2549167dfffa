/*
 * BIND (named) client lines: the query log
 *   client @0x7f.. 192.0.2.1#53211 (www.example.com): query: www.example.com IN A +E(0)K (198.51.100.53)
 * and the security messages about a client
 *   client 192.0.2.1#53211 (example.com): zone transfer 'example.com/AXFR/IN' denied
 * either through syslog (tag "named") or in a log file of its own with
 * print-time ("19-Oct-2022 05:34:02.425") and maybe category/severity.
 */
#include <stddef.h>
#include <string.h>

#include "app.h"

/* bind_stamp: "DD-Mon-YYYY HH:MM:SS[.mmm]" (local time); moves the
 * cursor past it and its blank. */
static int
bind_stamp(struct cur *c, int64_t *ms)
{
	struct tm_parts t;
	const char *p = c->p;

	if (cur_left(c) < 21 || p[2] != '-' || p[6] != '-' || p[11] != ' ')
		return -1;
	memset(&t, 0, sizeof(t));
	t.day = dig2(p);
	t.mon = month3(p + 3);
	t.year = dig4(p + 7);
	if (t.day < 0 || t.mon == 0 || t.year < 0 || hms(p + 12, &t) < 0 ||
	    !date_ok(t.year, t.mon, t.day))
		return -1;
	p += 20;
	t.msec = frac_ms(&p, c->e);
	c->p = p;
	*ms = tm_from_local(&t);
	return 0;
}

/* bind_client: the message after the stamp: "[cat: [sev: ]]client ..." */
static int
bind_client(struct cur *c, struct ev *ev, const char **why)
{
	struct span w, addr, port, rest, name;
	const char *hash, *q;
	int i;

	for (i = 0; i < 3; i++) {
		cur_skipsp(c);
		if (cur_lit(c, "client "))
			break;
		w = cur_word(c);
		if (w.n < 2 || w.p[w.n - 1] != ':')
			return LN_NO;
	}
	if (i == 3)
		return LN_NO;
	w = cur_word(c);
	if (w.n > 1 && w.p[0] == '@')
		w = cur_word(c);
	if (w.n && w.p[w.n - 1] == ':')
		w.n--;
	hash = NULL;
	for (q = w.p + w.n; q > w.p; q--)
		if (q[-1] == '#') {
			hash = q - 1;
			break;
		}
	if (hash == NULL)
		return LN_NO;
	addr = sp(w.p, (size_t)(hash - w.p));
	port = sp(hash + 1, (size_t)(w.p + w.n - hash - 1));
	if (!sp_ipish(addr) || !sp_port(port)) {
		*why = "bind: client is not ADDRESS#PORT";
		return LN_BAD;
	}
	/* skip " (name)" and the ':' that ends the client part */
	cur_skipsp(c);
	if (c->p < c->e && *c->p == '(') {
		q = memchr(c->p, ')', cur_left(c));
		if (q == NULL) {
			*why = "bind: client name not closed";
			return LN_BAD;
		}
		c->p = q + 1;
	}
	cur_lit(c, ":");
	cur_skipsp(c);
	rest = sp(c->p, cur_left(c));

	ev_setz(ev, RC_KIND, "dns");
	ev_set(ev, RC_SRC, addr.p, addr.n);
	ev_set(ev, RC_SPORT, port.p, port.n);
	if (cur_lit(c, "query: ")) {
		struct span cls, type, flags, srv;

		name = cur_word(c);
		cls = cur_word(c);
		type = cur_word(c);
		flags = cur_word(c);
		if (name.n == 0 || cls.n == 0 || type.n == 0) {
			*why = "bind: query line without name, class and type";
			return LN_BAD;
		}
		ev_set(ev, RC_HOST, name.p, name.n);
		ev_set(ev, RC_QTYPE, type.p, type.n);
		/* 'T' among the flags means the query came over TCP */
		ev_setz(ev, RC_PROTO, memchr(flags.p, 'T', flags.n) ? "tcp" :
		    "udp");
		srv = cur_word(c);
		if (srv.n > 2 && srv.p[0] == '(' && srv.p[srv.n - 1] == ')' &&
		    sp_ipish(sp(srv.p + 1, srv.n - 2)))
			ev_set(ev, RC_DST, srv.p + 1, srv.n - 2);
		return LN_OK;
	}
	/* 'name/TYPE/CLASS' in refusals and transfer messages */
	q = memchr(rest.p, '\'', rest.n);
	if (q != NULL) {
		const char *e = memchr(q + 1, '\'', (size_t)(rest.p + rest.n -
		    q - 1));

		if (e != NULL) {
			const char *s1 = memchr(q + 1, '/', (size_t)(e - q - 1));

			if (s1 != NULL) {
				const char *s2 = memchr(s1 + 1, '/',
				    (size_t)(e - s1 - 1));

				ev_set(ev, RC_HOST, q + 1, (size_t)(s1 - q - 1));
				/* 'name/CLASS' carries no type */
				if (s2 != NULL)
					ev_set(ev, RC_QTYPE, s1 + 1,
					    (size_t)(s2 - s1 - 1));
			}
		}
	}
	rest = sp_strip(rest);
	if (rest.n >= 6 && memcmp(rest.p + rest.n - 6, "denied", 6) == 0)
		ev_setz(ev, RC_ACTION, "deny");
	else if (sp_find(rest.p, rest.n, "REFUSED") != NULL ||
	    sp_find(rest.p, rest.n, "refused") != NULL)
		ev_setz(ev, RC_ACTION, "reject");
	if (rest.n)
		ev_set(ev, RC_MSG, rest.p, rest.n);
	return LN_OK;
}

static int
bind_msg(const char *msg, size_t n, struct ev *ev, const char **why)
{
	struct cur c;
	int64_t ms = TM_NONE;
	int r;

	cur_init(&c, msg, n);
	(void)bind_stamp(&c, &ms);	/* print-time is optional */
	r = bind_client(&c, ev, why);
	if (r == LN_OK && ms != TM_NONE)
		ev->ts = ms;
	return r;
}

int
bind_parse(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	struct span m;

	(void)f;
	if (env != NULL && !sp_prefix(env->tag, "named"))
		return LN_NO;
	if (env == NULL && bare_tag(msg, n, "named", &m))
		return bind_msg(m.p, m.n, ev, why);
	return bind_msg(msg, n, ev, why);
}
