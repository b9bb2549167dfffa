/*
 * Exim main log: "YYYY-MM-DD HH:MM:SS[.mmm] [+zone] [[pid]] [msgid] text",
 * in its own file, or the same text through syslog (tag "exim").
 *
 * Lines with a message ID (arrivals "<=", deliveries "=>" and "->",
 * deferrals "==", bounces "**", "Completed", freezes) and lines naming a
 * peer "[192.0.2.1]" (rejections, authenticator failures, connections)
 * are events.  Daemon start, queue runs and "cwd=" lines are skipped.
 */
#include <stddef.h>
#include <string.h>

#include "app.h"

/* exim_id: "1cIm8w-0000yI-6V" (6-6-2) or the 4.97 form (6-11-4). */
static int
exim_id(struct span w)
{
	size_t i, part = 0, len = 0;
	static const size_t lo[] = { 6, 6, 2 }, hi[] = { 6, 11, 4 };

	for (i = 0; i <= w.n; i++) {
		if (i == w.n || w.p[i] == '-') {
			if (part > 2 || len < lo[part] || len > hi[part])
				return 0;
			part++;
			len = 0;
		} else if (c_isalpha((unsigned char)w.p[i]) ||
		    c_isdigit((unsigned char)w.p[i]))
			len++;
		else
			return 0;
	}
	return part == 3;
}

/* exim_stamp: the stamp and its optional zone; local time without one. */
static int
exim_stamp(struct cur *c, int64_t *ms)
{
	struct tm_parts t;
	const char *p = c->p;
	int y, m, d;

	if (cur_left(c) < 20 || p[4] != '-' || p[7] != '-' || p[10] != ' ')
		return -1;
	memset(&t, 0, sizeof(t));
	y = dig4(p);
	m = dig2(p + 5);
	d = dig2(p + 8);
	if (y < 0 || m < 0 || d < 0 || !date_ok(y, m, d) ||
	    hms(p + 11, &t) < 0)
		return -1;
	t.year = y;
	t.mon = m;
	t.day = d;
	p += 19;
	t.msec = frac_ms(&p, c->e);
	if (p >= c->e || *p != ' ')
		return -1;
	p++;
	if (c->e - p >= 6 && (p[0] == '+' || p[0] == '-') &&
	    dig2(p + 1) >= 0 && dig2(p + 3) >= 0 && p[5] == ' ') {
		int off = dig2(p + 1) * 60 + dig2(p + 3);

		*ms = tm_make(&t) - (int64_t)(p[0] == '-' ? -off : off) *
		    60000;
		p += 6;
	} else
		*ms = tm_from_local(&t);
	c->p = p;
	return 0;
}

/* exim_kv: " K=value" (value up to the next blank), e.g. " S=5678". */
static int
exim_kv(struct span s, const char *key, struct span *v)
{
	size_t kl = strlen(key);
	const char *p = s.p, *e = s.p + s.n, *q, *b;

	while ((q = sp_find(p, (size_t)(e - p), key)) != NULL) {
		if ((q == s.p || q[-1] == ' ') && (size_t)(e - q) > kl &&
		    q[kl] == '=') {
			b = q + kl + 1;
			q = b;
			while (q < e && *q != ' ')
				q++;
			*v = sp(b, (size_t)(q - b));
			return 1;
		}
		p = q + 1;
	}
	return 0;
}

/*
 * exim_meta: the daemon's own lines that name no message and no peer.  An
 * untagged line must be one of these to be skipped: other programs also
 * start lines with "YYYY-MM-DD HH:MM:SS".
 */
static int
exim_meta(struct span s)
{
	static const char *const meta[] = { "exim ", "Start queue run",
	    "End queue run", "cwd=", "pid ", "daemon ", "Spool file ",
	    "SIGHUP", "Warning: ", "Tainted ", "DKIM: " };
	size_t i;

	for (i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		if (sp_prefix(s, meta[i]))
			return 1;
	return 0;
}

static int
exim_peer_line(struct span s)
{
	static const char *const start[] = { "H=", "SMTP connection from ",
	    "SMTP call from ", "SMTP protocol error", "SMTP command timeout",
	    "SMTP data timeout", "TLS error on connection from ",
	    "unexpected disconnection while reading SMTP command from ",
	    "no MAIL in SMTP connection from ", "rejected ", "Connection from ",
	    "no IP address found for host " };
	size_t i;

	if (sp_find(s.p, s.n, " H=") != NULL ||
	    sp_find(s.p, s.n, " authenticator failed for ") != NULL)
		return 1;
	for (i = 0; i < sizeof(start) / sizeof(start[0]); i++)
		if (sp_prefix(s, start[i]))
			return 1;
	return 0;
}

static int
exim_text(struct cur *c, int64_t ms, struct ev *ev, int tagged)
{
	struct span w, rest, v, addr, name, port, code;
	int id = 0, out = 0;
	struct cur look;
	const char *start;

	cur_skipsp(c);
	/* "[pid]" of log_selector +pid */
	if (c->p < c->e && *c->p == '[') {
		const char *q = memchr(c->p, ']', cur_left(c));

		if (q != NULL && q > c->p + 1 && sp_digits(sp(c->p + 1,
		    (size_t)(q - c->p - 1)), 10)) {
			c->p = q + 1;
			cur_skipsp(c);
		}
	}
	look = *c;
	start = c->p;
	w = cur_word(&look);
	if (exim_id(w)) {
		id = 1;
		*c = look;
		cur_skipsp(c);
	}
	rest = sp(c->p, cur_left(c));
	if (!id && sp_prefix(rest, "no host name found for IP address ")) {
		/* a connecting host without reverse DNS */
		w = sp(rest.p + 34, rest.n - 34);
		if (sp_ipish(w)) {
			ev->ts = ms;
			ev_setz(ev, RC_KIND, "mail");
			ev_set(ev, RC_SRC, w.p, w.n);
			ev_set(ev, RC_MSG, rest.p, rest.n);
			return LN_OK;
		}
	}
	if (!id) {
		/* an untagged line without a message ID must read like
		 * exim's: other mail servers also log "YYYY-MM-DD HH:MM:SS
		 * ... [address]" */
		if (!tagged && !exim_peer_line(rest))
			return exim_meta(rest) ? LN_SKIP : LN_NO;
		if (sp_prefix(rest, "exim ") ||
		    !bracket_addr(rest.p, rest.n, &addr, &name, &port))
			return LN_SKIP;
	}

	ev->ts = ms;
	ev_setz(ev, RC_KIND, "mail");
	ev_set(ev, RC_MSG, start, (size_t)(c->e - start));
	if (id) {
		w = cur_word(c);
		if (sp_lit(w, "=>") || sp_lit(w, "->")) {
			ev_setz(ev, RC_ACTION, "deliver");
			out = 1;
		} else if (sp_lit(w, "==")) {
			ev_setz(ev, RC_ACTION, "defer");
			out = 1;
		} else if (sp_lit(w, "**")) {
			ev_setz(ev, RC_ACTION, "bounce");
			out = 1;
		}
	}
	if (exim_kv(rest, "S", &v) && sp_digits(v, 20))
		ev_set(ev, RC_BYTES, v.p, v.n);
	if (exim_kv(rest, "A", &v)) {
		const char *colon = memchr(v.p, ':', v.n);

		if (colon != NULL && colon + 1 < v.p + v.n)
			ev_set(ev, RC_USER, colon + 1,
			    (size_t)(v.p + v.n - colon - 1));
	} else if (exim_kv(rest, "U", &v) && v.n)
		ev_set(ev, RC_USER, v.p, v.n);
	{
		/* "(set_id=user)" of authenticator failures */
		const char *q = sp_find(rest.p, rest.n, "(set_id=");

		if (q != NULL) {
			const char *b = q + 8, *e = memchr(b, ')',
			    (size_t)(rest.p + rest.n - b));

			if (e != NULL && e > b)
				ev_set(ev, RC_USER, b, (size_t)(e - b));
		}
	}
	if (sp_find(rest.p, rest.n, "authenticator failed") != NULL)
		ev_setz(ev, RC_ACTION, "deny");
	else if (sp_find(rest.p, rest.n, "rejected") != NULL)
		ev_setz(ev, RC_ACTION, "reject");
	if (reply_code(rest, &code))
		ev_set(ev, RC_STATUS, code.p, code.n);
	/* the peer: H=name [addr]:port, or a bare [addr] */
	{
		struct span h = rest;
		const char *hp = sp_find(rest.p, rest.n, "H=");

		if (hp != NULL)
			h = sp(hp, (size_t)(rest.p + rest.n - hp));
		if (bracket_addr(h.p, h.n, &addr, &name, &port)) {
			ev_setz(ev, RC_PROTO, "tcp");
			ev_set(ev, out ? RC_DST : RC_SRC, addr.p, addr.n);
			if (port.n)
				ev_set(ev, out ? RC_DPORT : RC_SPORT, port.p,
				    port.n);
			else if (out)
				ev_setz(ev, RC_DPORT, "25");
			if (hp != NULL) {
				struct span hn = sp(hp + 2, (size_t)(rest.p +
				    rest.n - hp - 2));
				const char *b = memchr(hn.p, ' ', hn.n);

				hn.n = b ? (size_t)(b - hn.p) : hn.n;
				if (hn.n && hn.p[0] != '(' && hn.p[0] != '[')
					ev_set(ev, RC_HOST, hn.p, hn.n);
			}
		}
	}
	/* I=[addr]:port: the local end of an incoming connection */
	if (!out && exim_kv(rest, "I", &v) &&
	    bracket_addr(v.p, v.n, &addr, &name, &port)) {
		ev_set(ev, RC_DST, addr.p, addr.n);
		if (port.n)
			ev_set(ev, RC_DPORT, port.p, port.n);
	}
	return LN_OK;
}

int
exim_parse(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	struct cur c;
	struct span m;
	int64_t ms = TM_NONE;
	int tagged = env != NULL;

	(void)f;
	(void)why;
	cur_init(&c, msg, n);
	if (env == NULL && bare_tag(msg, n, "exim", &m)) {
		cur_init(&c, m.p, m.n);
		(void)exim_stamp(&c, &ms);
		tagged = 1;
	} else if (env == NULL) {
		/* a main log file of its own: the stamp is required */
		if (exim_stamp(&c, &ms) < 0)
			return LN_NO;
	} else {
		if (!sp_prefix(env->tag, "exim"))
			return LN_NO;
		(void)exim_stamp(&c, &ms);
	}
	return exim_text(&c, ms, ev, tagged);
}
