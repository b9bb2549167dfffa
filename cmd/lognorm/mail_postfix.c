/*
 * Postfix through syslog (tag "postfix/DAEMON", or "postfix/SERVICE/DAEMON"
 * for submission and smtps services).
 *
 * A line is an event when it names a message (a queue ID, or NOQUEUE for
 * a refusal before one was assigned) or a peer ("name[address]"): smtpd
 * connections, client= and SASL lines, rejects, smtp deliveries with
 * relay= and status=, qmgr from=, postscreen verdicts.  The rest (daemon
 * start and reload, verbose tracing, anvil statistics, configuration
 * warnings) names neither and is skipped as meta lines.
 */
#include <stddef.h>
#include <string.h>

#include "app.h"

/*
 * queue_id: w is a Postfix queue ID: short IDs are 6-12 upper-case hex
 * digits; long IDs (enable_long_queue_ids) are 10-20 letters and digits
 * from an alphabet without vowels, which keeps words like "warning" out.
 */
static int
queue_id(struct span w)
{
	size_t i;
	int hex = 1;

	if (w.n < 6 || w.n > 20)
		return 0;
	for (i = 0; i < w.n; i++) {
		unsigned char c = (unsigned char)w.p[i];

		if (!c_isdigit(c) && !(c >= 'A' && c <= 'F'))
			hex = 0;
		if (!c_isdigit(c) && !c_isalpha(c))
			return 0;
		if (strchr("AEIOUaeiou", c) != NULL && !(c == 'A' ||
		    c == 'E'))
			return 0;
	}
	if (hex && w.n <= 12)
		return 1;
	for (i = 0; i < w.n; i++)
		if (w.p[i] == 'A' || w.p[i] == 'E')
			return 0;
	return w.n >= 10;
}

/* kv: value of "key=" in s that starts the text or follows ' ' or ','
 * and runs to ',' or the end (values hold blanks: status=sent (250 ok)). */
static int
kv(const char *s, size_t n, const char *key, struct span *v)
{
	size_t kl = strlen(key);
	const char *p = s, *e = s + n, *q;

	while ((q = sp_find(p, (size_t)(e - p), key)) != NULL) {
		if ((q == s || q[-1] == ' ' || q[-1] == ',') &&
		    (size_t)(e - q) > kl && q[kl] == '=') {
			const char *b = q + kl + 1, *c = b;

			while (c < e && *c != ',')
				c++;
			*v = sp(b, (size_t)(c - b));
			return 1;
		}
		p = q + 1;
	}
	return 0;
}

/* delay: seconds with a fraction ("0.41", "12") as dur. */
static void
set_delay(struct ev *ev, struct span v)
{
	const char *d = memchr(v.p, '.', v.n), *p;
	struct span ip = sp(v.p, d ? (size_t)(d - v.p) : v.n);
	int ms;

	if (!sp_digits(ip, 9))
		return;
	p = d ? d : v.p + v.n;
	ms = frac_ms(&p, v.p + v.n);
	if (p == v.p + v.n)
		ev_secs(ev, RC_DUR, sp_uint(ip) * 1000 + ms);
}

/* service_port: the port smtpd serves, from the tag's service part. */
static const char *
service_port(struct span tag)
{
	if (sp_find(tag.p, tag.n, "submission") != NULL)
		return "587";
	if (sp_find(tag.p, tag.n, "smtps") != NULL)
		return "465";
	return "25";
}

int
postfix_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	struct span daemon, w, rest, v, addr, name, port, code;
	const char *sl;
	int qid = 0, peer;

	(void)f;
	(void)why;
	if (env == NULL || !sp_prefix(env->tag, "postfix"))
		return LN_NO;
	daemon = env->tag;
	while ((sl = memchr(daemon.p, '/', daemon.n)) != NULL)
		daemon = sp(sl + 1, (size_t)(daemon.p + daemon.n - sl - 1));
	rest = sp(msg, n);
	/* "QUEUEID: " or "NOQUEUE: " */
	sl = memchr(msg, ':', n < 24 ? n : 24);
	if (sl != NULL && sl + 1 < msg + n && sl[1] == ' ') {
		w = sp(msg, (size_t)(sl - msg));
		if (queue_id(w) || sp_lit(w, "NOQUEUE")) {
			qid = 1;
			rest = sp(sl + 2, (size_t)(msg + n - sl - 2));
		}
	}
	peer = bracket_addr(rest.p, rest.n, &addr, &name, &port);
	if (!qid && !peer) {
		/* "warning: hostname NAME does not resolve to address ADDR" */
		const char *q = sp_find(rest.p, rest.n,
		    "does not resolve to address ");
		struct cur c;

		if (q == NULL)
			return LN_SKIP;
		cur_init(&c, q + 28, (size_t)(rest.p + rest.n - q - 28));
		addr = cur_word(&c);
		if (addr.n && addr.p[addr.n - 1] == ':')
			addr.n--;
		if (!sp_ipish(addr))
			return LN_SKIP;
		name.n = port.n = 0;
		peer = 1;
	}

	ev_setz(ev, RC_KIND, "mail");
	ev_set(ev, RC_MSG, msg, n);
	if (kv(rest.p, rest.n, "sasl_username", &v) && v.n)
		ev_set(ev, RC_USER, v.p, v.n);
	if (kv(rest.p, rest.n, "relay", &v)) {
		/* an outgoing delivery: relay=name[addr]:port or none */
		struct span ra, rn, rp;

		if (bracket_addr(v.p, v.n, &ra, &rn, &rp)) {
			ev_setz(ev, RC_PROTO, "tcp");
			ev_set(ev, RC_DST, ra.p, ra.n);
			if (rp.n)
				ev_set(ev, RC_DPORT, rp.p, rp.n);
			if (rn.n && !sp_lit(rn, "unknown"))
				ev_set(ev, RC_HOST, rn.p, rn.n);
		}
		peer = 0;
	}
	if (kv(rest.p, rest.n, "status", &v)) {
		if (sp_prefix(v, "sent"))
			ev_setz(ev, RC_ACTION, "deliver");
		else if (sp_prefix(v, "deferred"))
			ev_setz(ev, RC_ACTION, "defer");
		else if (sp_prefix(v, "bounced") || sp_prefix(v, "expired"))
			ev_setz(ev, RC_ACTION, "bounce");
		if (reply_code(v, &code))
			ev_set(ev, RC_STATUS, code.p, code.n);
	}
	if (kv(rest.p, rest.n, "delay", &v))
		set_delay(ev, v);
	if (kv(rest.p, rest.n, "size", &v) && sp_digits(v, 20))
		ev_set(ev, RC_BYTES, v.p, v.n);
	if (sp_prefix(rest, "reject:") || sp_prefix(rest, "milter-reject:")) {
		ev_setz(ev, RC_ACTION, "reject");
		if (reply_code(rest, &code))
			ev_set(ev, RC_STATUS, code.p, code.n);
	} else if (sp_prefix(rest, "discard:"))
		ev_setz(ev, RC_ACTION, "drop");
	else if (sp_prefix(rest, "hold:"))
		ev_setz(ev, RC_ACTION, "hold");
	else if (sp_find(rest.p, rest.n, "authentication failed") != NULL)
		ev_setz(ev, RC_ACTION, "deny");
	if (!peer)
		return LN_OK;
	ev_setz(ev, RC_PROTO, "tcp");
	if (sp_lit(daemon, "smtp") || sp_lit(daemon, "lmtp")) {
		/* "connect to name[addr]:25: Connection timed out" */
		ev_set(ev, RC_DST, addr.p, addr.n);
		if (port.n)
			ev_set(ev, RC_DPORT, port.p, port.n);
		if (name.n && !sp_lit(name, "unknown"))
			ev_set(ev, RC_HOST, name.p, name.n);
		return LN_OK;
	}
	/* smtpd, postscreen, anvil...: the peer is the client */
	ev_set(ev, RC_SRC, addr.p, addr.n);
	if (port.n)
		ev_set(ev, RC_SPORT, port.p, port.n);
	if (name.n && !sp_lit(name, "unknown"))
		ev_set(ev, RC_HOST, name.p, name.n);
	if (sp_lit(daemon, "postscreen") || sp_lit(daemon, "smtpd")) {
		struct span da, dn, dp;
		const char *to = sp_find(rest.p, rest.n, " to [");

		/* postscreen's "CONNECT from [a]:p to [b]:25" */
		if (to != NULL && bracket_addr(to, (size_t)(rest.p + rest.n -
		    to), &da, &dn, &dp)) {
			ev_set(ev, RC_DST, da.p, da.n);
			if (dp.n)
				ev_set(ev, RC_DPORT, dp.p, dp.n);
		} else
			ev_setz(ev, RC_DPORT, service_port(env->tag));
	}
	return LN_OK;
}
