/*
 * srx: Juniper SRX session logs.  Structured (RFC 5424, MSGID
 * RT_FLOW_SESSION_CREATE/CLOSE/DENY or APPTRACK_SESSION_*, parameters in
 * [junos@2636.. source-address="..." ...]) or as text:
 *   RT_FLOW_SESSION_CLOSE: session closed REASON: s/p->d/p service nat
 *   srcnatrule dstnatrule proto policy fromzone tozone id pk(bytes)
 *   pk(bytes) elapsed ...
 *   RT_FLOW_SESSION_DENY: session denied s/p->d/p service proto(icmp)
 *   policy ...
 */
#include <string.h>

#include "fw.h"

static void
event_action(struct ev *ev, struct span name)
{
	if (memmem_lit(name.p, name.n, "SESSION_CREATE") != NULL)
		ev_setz(ev, RC_ACTION, "allow");
	else if (memmem_lit(name.p, name.n, "SESSION_CLOSE") != NULL)
		ev_setz(ev, RC_ACTION, "close");
	else if (memmem_lit(name.p, name.n, "SESSION_DENY") != NULL)
		ev_setz(ev, RC_ACTION, "deny");
}

static int
structured(const struct syslog_env *env, struct ev *ev)
{
	const char *p = env->sd.p, *end = env->sd.p + env->sd.n;
	struct span k, v;
	long long bc = -1, bs = -1, x;

	if (p < end && *p == '[')
		p++;
	while (fw_sd_next(&p, end, &k, &v)) {
		if (span_eq(k, "source-address"))
			ev_sets(ev, RC_SRC, v);
		else if (span_eq(k, "destination-address"))
			ev_sets(ev, RC_DST, v);
		else if (span_eq(k, "source-port"))
			fw_num(ev, RC_SPORT, v);
		else if (span_eq(k, "destination-port"))
			fw_num(ev, RC_DPORT, v);
		else if (span_eq(k, "protocol-id"))
			fw_proto(ev, v);
		else if (span_eq(k, "policy-name"))
			ev_sets(ev, RC_SIG, v);
		else if (span_eq(k, "username") && v.n > 0 &&
		    !span_eq(v, "N/A"))
			ev_sets(ev, RC_USER, v);
		else if (span_eq(k, "elapsed-time"))
			fw_num(ev, RC_DUR, v);
		else if (span_eq(k, "bytes-from-client") && span_num(v, &x))
			bc = x;
		else if (span_eq(k, "bytes-from-server") && span_num(v, &x))
			bs = x;
	}
	if (bc >= 0 || bs >= 0)
		ev_printf(ev, RC_BYTES, "%lld", (bc > 0 ? bc : 0) +
		    (bs > 0 ? bs : 0));
	return LN_OK;
}

/* arrow: "s/p->d/p" into the four columns; 0 if t is not one. */
static int
arrow(struct ev *ev, struct span t)
{
	const char *a = memmem_lit(t.p, t.n, "->"), *end = t.p + t.n, *s;

	if (a == NULL)
		return 0;
	if ((s = memchr(t.p, '/', (size_t)(a - t.p))) == NULL)
		return 0;
	ev_set(ev, RC_SRC, t.p, (size_t)(s - t.p));
	fw_num(ev, RC_SPORT, (struct span){ s + 1, (size_t)(a - s - 1) });
	a += 2;
	if ((s = memchr(a, '/', (size_t)(end - a))) == NULL)
		return 0;
	ev_set(ev, RC_DST, a, (size_t)(s - a));
	fw_num(ev, RC_DPORT, (struct span){ s + 1, (size_t)(end - s - 1) });
	return 1;
}

/* pkbytes: "N(M)" gives M. */
static int
pkbytes(struct span t, long long *m)
{
	const char *lp = memchr(t.p, '(', t.n);

	if (lp == NULL || t.n < 4 || t.p[t.n - 1] != ')')
		return 0;
	return span_num((struct span){ lp + 1, (size_t)(t.p + t.n - 1 - lp -
	    1) }, m);
}

static int
text(struct span name, const char *p, const char *end, struct ev *ev)
{
	struct span w[24];
	long long a, b, v;
	int nw = 0, i, ar = -1;

	while (p < end && nw < 24) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		w[nw].p = p;
		while (p < end && *p != ' ')
			p++;
		w[nw].n = (size_t)(p - w[nw].p);
		if (ar < 0 && memmem_lit(w[nw].p, w[nw].n, "->") != NULL)
			ar = nw;
		nw++;
	}
	if (ar < 0 || !arrow(ev, w[ar]))
		return 0;
	if (memmem_lit(name.p, name.n, "DENY") != NULL) {
		/* service proto(icmp-type) policy */
		if (ar + 3 < nw) {
			struct span pr = w[ar + 2];
			const char *lp = memchr(pr.p, '(', pr.n);

			if (lp != NULL)
				pr.n = (size_t)(lp - pr.p);
			if (span_num(pr, &v))
				fw_proto(ev, pr);
			ev_sets(ev, RC_SIG, w[ar + 3]);
		}
		return 1;
	}
	/* service nat-arrow srcnatrule dstnatrule proto policy ... */
	if (ar + 6 < nw && span_num(w[ar + 5], &v)) {
		fw_proto(ev, w[ar + 5]);
		ev_sets(ev, RC_SIG, w[ar + 6]);
	}
	for (i = ar + 1; i + 2 < nw; i++)
		if (pkbytes(w[i], &a) && pkbytes(w[i + 1], &b)) {
			ev_printf(ev, RC_BYTES, "%lld", a + b);
			fw_num(ev, RC_DUR, w[i + 2]);
			break;
		}
	return 1;
}

int
fw_srx(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	const char *p, *end = msg + n;
	struct span name;

	(void)f;

	if (env != NULL && env->sd.n > 0 &&
	    (span_starts(env->msgid, "RT_FLOW_SESSION_") ||
	    span_starts(env->msgid, "APPTRACK_SESSION_"))) {
		ev_setz(ev, RC_KIND, "fw");
		event_action(ev, env->msgid);
		ev_sets(ev, RC_MSG, env->msgid);
		return structured(env, ev);
	}
	if (n < 20 || (memcmp(msg, "RT_FLOW_SESSION_", 16) != 0 &&
	    memcmp(msg, "APPTRACK_SESSION_", 17) != 0))
		return LN_NO;
	for (p = msg; p < end && *p != ':' && *p != ' '; p++)
		;
	name.p = msg;
	name.n = (size_t)(p - msg);
	if (p < end && *p == ':')
		p++;
	ev_setz(ev, RC_KIND, "fw");
	event_action(ev, name);
	ev_sets(ev, RC_MSG, name);
	if (!text(name, p, end, ev)) {
		*why = "SRX session log without source->destination";
		return LN_BAD;
	}
	return LN_OK;
}
