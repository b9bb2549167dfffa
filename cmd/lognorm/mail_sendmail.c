/*
 * Sendmail through syslog (tag "sendmail", "sm-mta", "sm-msp-queue" or
 * another "sm-" name).  Lines naming a queue ID ("s5T68YTv003569: ...")
 * or a peer ("relay=name [192.0.2.1]", "name [192.0.2.1]: possible SMTP
 * attack") are events; daemon start-up and other lines are skipped.
 * from= lines are the client side (src), to= lines the next hop (dst).
 */
#include <stddef.h>
#include <string.h>

#include "app.h"

/* sm_qid: sendmail queue IDs are 8-20 letters and digits with a digit. */
static int
sm_qid(struct span w)
{
	size_t i;
	int digit = 0;

	if (sp_lit(w, "NOQUEUE"))
		return 1;
	if (w.n < 8 || w.n > 20)
		return 0;
	for (i = 0; i < w.n; i++) {
		if (c_isdigit((unsigned char)w.p[i]))
			digit = 1;
		else if (!c_isalpha((unsigned char)w.p[i]))
			return 0;
	}
	return digit;
}

/* sm_kv: "key=value" after ", " (or at the start), value up to ", ". */
static int
sm_kv(struct span s, const char *key, struct span *v)
{
	size_t kl = strlen(key);
	const char *p = s.p, *e = s.p + s.n, *q, *c;

	while ((q = sp_find(p, (size_t)(e - p), key)) != NULL) {
		if ((q == s.p || q[-1] == ' ') && (size_t)(e - q) > kl &&
		    q[kl] == '=') {
			const char *b = q + kl + 1;

			c = sp_find(b, (size_t)(e - b), ", ");
			*v = sp(b, (size_t)((c ? c : e) - b));
			return 1;
		}
		p = q + 1;
	}
	return 0;
}

int
sendmail_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	struct span rest = sp(msg, n), w, v, addr, name, port, code;
	const char *colon;
	int qid = 0, peer, to;

	(void)f;
	(void)why;
	if (env == NULL || !(sp_lit(env->tag, "sendmail") ||
	    sp_prefix(env->tag, "sm-")))
		return LN_NO;
	colon = memchr(msg, ':', n < 24 ? n : 24);
	if (colon != NULL && colon + 1 < msg + n && colon[1] == ' ' &&
	    sm_qid(sp(msg, (size_t)(colon - msg)))) {
		qid = 1;
		rest = sp(colon + 2, (size_t)(msg + n - colon - 2));
	}
	peer = bracket_addr(rest.p, rest.n, &addr, &name, &port);
	if (!qid && !peer)
		return LN_SKIP;
	ev_setz(ev, RC_KIND, "mail");
	ev_set(ev, RC_MSG, msg, n);
	to = sp_prefix(rest, "to=");
	if (sm_kv(rest, "relay", &v)) {
		struct span ra, rn, rp;

		/* "relay=name [addr]" or "relay=[addr] [addr]" */
		if (bracket_addr(v.p, v.n, &ra, &rn, &rp)) {
			addr = ra;
			peer = 1;
			w = sp(v.p, v.n);
			{
				const char *b = memchr(w.p, ' ', w.n);

				name = sp(w.p, b ? (size_t)(b - w.p) : w.n);
				if (name.n && name.p[0] == '[')
					name.n = 0;
				if (name.n && name.p[name.n - 1] == '.')
					name.n--;
			}
		} else {
			peer = 0;
			if (!to && v.n)
				ev_set(ev, RC_HOST, v.p, v.n);
		}
	} else if (peer) {
		/* "name [addr]: ..." */
		name = sp(rest.p, (size_t)(addr.p - 1 - rest.p));
		name = sp_strip(name);
		if (name.n == 0 || memchr(name.p, ' ', name.n) != NULL)
			name.n = 0;
	}
	if (peer) {
		ev_setz(ev, RC_PROTO, "tcp");
		ev_set(ev, to ? RC_DST : RC_SRC, addr.p, addr.n);
		if (name.n)
			ev_set(ev, RC_HOST, name.p, name.n);
		if (to && sm_kv(rest, "mailer", &v) && (sp_lit(v, "esmtp") ||
		    sp_lit(v, "smtp") || sp_lit(v, "relay")))
			ev_setz(ev, RC_DPORT, "25");
	}
	if (sm_kv(rest, "stat", &v)) {
		if (sp_prefix(v, "Sent"))
			ev_setz(ev, RC_ACTION, "deliver");
		else if (sp_prefix(v, "Deferred"))
			ev_setz(ev, RC_ACTION, "defer");
		else
			ev_setz(ev, RC_ACTION, "bounce");
	}
	if (sm_kv(rest, "reject", &v)) {
		ev_setz(ev, RC_ACTION, "reject");
		if (v.n >= 3 && sp_digits(sp(v.p, 3), 3)) {
			code = sp(v.p, 3);
			ev_set(ev, RC_STATUS, code.p, code.n);
		}
	}
	if (sm_kv(rest, "size", &v) && sp_digits(v, 20))
		ev_set(ev, RC_BYTES, v.p, v.n);
	if (sm_kv(rest, "authid", &v) && v.n)
		ev_set(ev, RC_USER, v.p, v.n);
	return LN_OK;
}
