/*
 * dnsmasq (and Pi-hole's FTL, which logs the same lines) and Unbound
 * query logging, both through syslog.
 *
 * dnsmasq writes one line per step of a lookup: "query[A] name from
 * 192.0.2.10" is the client's question and becomes the record; the
 * forwarded/reply/cached/config lines that follow describe the answer
 * without naming the client, so they are skipped as meta lines, except
 * the lines saying a blocklist answered, which become action=block
 * records (the evidence an operator wants).  Unbound's "log-queries"
 * line "192.0.2.10 www.example.com. A IN" and its "log-replies" line
 * (with rcode, time and size) both become records; its other messages
 * (statistics, service start) are skipped.
 */
#include <stddef.h>
#include <string.h>

#include "app.h"

/* strip_dot: a fully qualified name without its final dot. */
static struct span
strip_dot(struct span s)
{
	if (s.n > 1 && s.p[s.n - 1] == '.')
		s.n--;
	return s;
}

static int
dnsmasq_tag(const struct syslog_env *env)
{
	return sp_prefix(env->tag, "dnsmasq") ||
	    sp_prefix(env->tag, "pihole-FTL");
}

int
dnsmasq_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	struct cur c;
	struct span w, type, name, from, addr, port = { NULL, 0 };
	const char *rb, *sl;

	(void)f;
	if (env != NULL && !dnsmasq_tag(env))
		return LN_NO;
	cur_init(&c, msg, n);
	/* log-queries=extra: "SERIAL ADDR/PORT " before the text */
	w = cur_word(&c);
	if (sp_digits(w, 12)) {
		w = cur_word(&c);
		sl = memchr(w.p, '/', w.n);
		if (sl != NULL) {
			port = sp(sl + 1, (size_t)(w.p + w.n - sl - 1));
			if (!sp_port(port))
				port.n = 0;
		}
		w = cur_word(&c);
	}
	if (sp_prefix(w, "query[")) {
		rb = memchr(w.p, ']', w.n);
		if (rb == NULL || rb + 1 != w.p + w.n) {
			*why = "dnsmasq: query type not closed";
			return LN_BAD;
		}
		type = sp(w.p + 6, (size_t)(rb - w.p - 6));
		name = cur_word(&c);
		from = cur_word(&c);
		addr = cur_word(&c);
		if (name.n == 0 || !sp_lit(from, "from") || addr.n == 0) {
			*why = "dnsmasq: query line is not 'query[T] NAME from ADDR'";
			return LN_BAD;
		}
		ev_setz(ev, RC_KIND, "dns");
		ev_set(ev, RC_SRC, addr.p, addr.n);
		if (port.n)
			ev_set(ev, RC_SPORT, port.p, port.n);
		ev_set(ev, RC_HOST, name.p, name.n);
		if (type.n)
			ev_set(ev, RC_QTYPE, type.p, type.n);
		return LN_OK;
	}
	if (env == NULL)
		return LN_NO;	/* the rest is too generic to claim untagged */
	/* a blocklist answered: "gravity blocked NAME is 0.0.0.0",
	 * "regex blacklisted NAME is ..." */
	{
		struct span rest = sp(w.p, (size_t)(c.e - w.p));
		const char *k = sp_find(rest.p, rest.n, " is ");

		if (k != NULL && (sp_find(rest.p, (size_t)(k - rest.p),
		    "blocked") != NULL || sp_find(rest.p, (size_t)(k -
		    rest.p), "blacklisted") != NULL)) {
			const char *b = k;

			while (b > rest.p && b[-1] != ' ')
				b--;
			ev_setz(ev, RC_KIND, "dns");
			ev_setz(ev, RC_ACTION, "block");
			ev_set(ev, RC_HOST, b, (size_t)(k - b));
			ev_set(ev, RC_MSG, rest.p, rest.n);
			return LN_OK;
		}
	}
	return LN_SKIP;
}

int
unbound_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	struct cur c;
	struct span w, addr, name, type, cls, rcode, tm;


	(void)f;
	(void)why;
	if (env != NULL && !sp_prefix(env->tag, "unbound"))
		return LN_NO;
	cur_init(&c, msg, n);
	/* "[pid:thread] level: " */
	w = cur_word(&c);
	if (w.n < 3 || w.p[0] != '[' || w.p[w.n - 1] != ']' ||
	    memchr(w.p, ':', w.n) == NULL)
		return LN_NO;
	w = cur_word(&c);
	if (w.n < 2 || w.p[w.n - 1] != ':')
		return LN_NO;
	if (!sp_lit(w, "info:"))
		return LN_SKIP;
	addr = cur_word(&c);
	name = cur_word(&c);
	type = cur_word(&c);
	cls = cur_word(&c);
	if (!sp_ipish(addr) || name.n == 0 || name.p[name.n - 1] != '.' ||
	    type.n == 0 || cls.n == 0)
		return LN_SKIP;	/* statistics, service start and stop */
	ev_setz(ev, RC_KIND, "dns");
	ev_set(ev, RC_SRC, addr.p, addr.n);
	name = strip_dot(name);
	ev_set(ev, RC_HOST, name.p, name.n);
	ev_set(ev, RC_QTYPE, type.p, type.n);
	rcode = cur_word(&c);
	if (rcode.n) {
		ev_set(ev, RC_STATUS, rcode.p, rcode.n);
		tm = cur_word(&c);
		/* seconds with microseconds: keep milliseconds */
		if (tm.n) {
			const char *d = memchr(tm.p, '.', tm.n), *p;
			int ms;

			if (d != NULL && sp_digits(sp(tm.p,
			    (size_t)(d - tm.p)), 9)) {
				p = d;
				ms = frac_ms(&p, tm.p + tm.n);
				if (p == tm.p + tm.n)
					ev_secs(ev, RC_DUR, sp_uint(sp(tm.p,
					    (size_t)(d - tm.p))) * 1000 + ms);
			}
			cur_word(&c);	/* served from cache: 0 or 1 */
			w = cur_word(&c);
			if (sp_digits(w, 10))
				ev_set(ev, RC_BYTES, w.p, w.n);
		}
	}
	return LN_OK;
}

/*
 * NSD's own log file: "[STAMP] nsd[pid]: level: text", STAMP epoch seconds
 * or "YYYY-MM-DD HH:MM:SS.mmm" (local time).  Refused transfers and
 * rate-limit blocks name a client and become records; the rest is skipped.
 */
int
nsd_parse(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	const char *rb, *q;
	struct span st, m, w, name = { NULL, 0 }, addr = { NULL, 0 };
	struct cur c;
	int64_t ms = TM_NONE;

	(void)f;
	(void)why;
	if (env != NULL) {
		if (!sp_prefix(env->tag, "nsd"))
			return LN_NO;
		m = sp(msg, n);
	} else {
		if (n < 12 || msg[0] != '[')
			return LN_NO;
		rb = memchr(msg, ']', n < 40 ? n : 40);
		if (rb == NULL)
			return LN_NO;
		st = sp(msg + 1, (size_t)(rb - msg - 1));
		if (sp_digits(st, 12))
			ms = sp_uint(st) * 1000;
		else if (tm_parse(st.p, st.n, 1, &ms) < 0)
			return LN_NO;
		if (!bare_tag(rb + 1, (size_t)(msg + n - rb - 1), "nsd", &m))
			return LN_NO;
	}
	cur_init(&c, m.p, m.n);
	w = cur_word(&c);		/* "info:", "error:", when logged */
	if (w.n >= 2 && w.p[w.n - 1] == ':')
		m = sp(c.p, cur_left(&c));
	m = sp_strip(m);
	if (sp_prefix(m, "ratelimit block ")) {
		cur_init(&c, m.p + 16, m.n - 16);
		name = cur_word(&c);
		if ((q = sp_find(m.p, m.n, " query ")) != NULL) {
			cur_init(&c, q + 7, (size_t)(m.p + m.n - q - 7));
			addr = cur_word(&c);
		}
		ev_setz(ev, RC_ACTION, "block");
	} else if (sp_prefix(m, "axfr for ")) {
		cur_init(&c, m.p + 9, m.n - 9);
		name = cur_word(&c);
		if (sp_lit(name, "zone"))
			name = cur_word(&c);
		if ((q = sp_find(m.p, m.n, " from ")) != NULL) {
			cur_init(&c, q + 6, (size_t)(m.p + m.n - q - 6));
			addr = cur_word(&c);
			if (sp_lit(addr, "client"))
				addr = cur_word(&c);
		}
		ev_setz(ev, RC_QTYPE, "AXFR");
		if (sp_find(m.p, m.n, "refused") != NULL)
			ev_setz(ev, RC_ACTION, "reject");
	} else
		return LN_SKIP;
	if (!sp_ipish(addr))
		return LN_SKIP;
	ev_setz(ev, RC_KIND, "dns");
	ev_set(ev, RC_SRC, addr.p, addr.n);
	name = strip_dot(name);
	if (name.n)
		ev_set(ev, RC_HOST, name.p, name.n);
	ev_set(ev, RC_MSG, m.p, m.n);
	if (ms != TM_NONE)
		ev->ts = ms;
	return LN_OK;
}
