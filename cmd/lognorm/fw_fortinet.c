/*
 * fortigate: Fortinet key=value logs ("date=2026-11-21 time=04:12:09
 * logid=.. type=traffic subtype=forward ... srcip=.. dstip=.."), from
 * FortiGate (traffic, utm, event) and, sharing the shape, FortiMail and
 * FortiDDoS.  One pass over the pairs; each key seen once is kept.
 */
#include <string.h>

#include "fw.h"

struct forti {
	struct span	date, time, tz, eventtime, devname, devid, type,
			subtype, level, severity, action, status, logid,
			logdesc, attack, virus, sentbyte, rcvdbyte, proto;
	int		 has_id, logid_underscore;
};

/* kv keys that map straight to a column */
static const struct {
	const char	*key;
	int		 col;
} direct[] = {
	{ "srcip", RC_SRC }, { "dstip", RC_DST }, { "srcport", RC_SPORT },
	{ "dstport", RC_DPORT }, { "sip", RC_SRC }, { "dip", RC_DST },
	{ "client_ip", RC_SRC }, { "dst_ip", RC_DST }, { "remip", RC_SRC },
	{ "hostname", RC_HOST }, { "url", RC_URL }, { "msg", RC_MSG },
	{ "duration", RC_DUR }, { "filename", RC_FILE },
	{ NULL, 0 },
};

static void
keep(struct forti *x, struct ev *ev, struct span k, struct span v)
{
	int i;

#define K(name) if (span_eq(k, #name)) { if (x->name.n == 0) x->name = v; \
	return; }
	K(date) K(time) K(tz) K(eventtime) K(devname) K(type) K(subtype)
	K(level) K(severity) K(action) K(status) K(logdesc) K(attack)
	K(virus) K(sentbyte) K(rcvdbyte) K(proto) K(devid)
#undef K
	if (span_eq(k, "logid") || span_eq(k, "log_id")) {
		x->logid = v;
		x->has_id = 1;
		x->logid_underscore = k.n == 6;
		return;
	}
	if (span_eq(k, "device_id")) {
		x->devid = v;
		x->has_id = 1;
		return;
	}
	if (span_eq(k, "protocol")) {
		if (x->proto.n == 0)
			x->proto = v;
		return;
	}
	if (span_eq(k, "user")) {
		if (v.n > 0 && !span_eq(v, "N/A") && !ev_has(ev, RC_USER))
			ev_sets(ev, RC_USER, v);
		return;
	}
	for (i = 0; direct[i].key != NULL; i++)
		if (span_eq(k, direct[i].key)) {
			if (!ev_has(ev, direct[i].col))
				ev_sets(ev, direct[i].col, v);
			return;
		}
}

/* stamp: date + time (+ tz as +hhmm, else the --tz zone). */
static void
stamp(struct forti *x, struct ev *ev)
{
	char buf[48];
	size_t n;
	int64_t ms;

	if (x->eventtime.n > 0 && fw_epoch(x->eventtime, &ms)) {
		ev->ts = ms;
		return;
	}
	if (x->date.n != 10 || x->time.n < 8 || x->time.n > 15)
		return;
	memcpy(buf, x->date.p, 10);
	buf[10] = 'T';
	memcpy(buf + 11, x->time.p, x->time.n);
	n = 11 + x->time.n;
	if (x->tz.n == 5 && (x->tz.p[0] == '+' || x->tz.p[0] == '-')) {
		memcpy(buf + n, x->tz.p, 5);
		n += 5;
	}
	if (tm_parse(buf, n, 1, &ms) == 0)
		ev->ts = ms;
}

static const char *
kind(const struct forti *x)
{
	if (span_eq(x->type, "traffic"))
		return "fw";
	if (span_eq(x->type, "utm")) {
		if (span_eq(x->subtype, "webfilter"))
			return "proxy";
		if (span_eq(x->subtype, "dns"))
			return "dns";
		if (span_eq(x->subtype, "app-ctrl"))
			return "fw";
		return "ids";
	}
	if (span_eq(x->type, "attack"))
		return "ids";
	if (x->logid_underscore && span_eq(x->type, "statistics"))
		return "mail";
	if (span_eq(x->subtype, "vpn") || span_eq(x->subtype, "user") ||
	    memmem_lit(x->logdesc.p, x->logdesc.n, "login") != NULL ||
	    span_eq(x->action, "login") || span_eq(x->action, "logout"))
		return "auth";
	return "fw";
}

int
fw_fortinet(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	struct forti x;
	struct span k, v;
	const char *p = msg, *end = msg + n;
	long long a, b;

	(void)f;
	(void)why;

	/* "Mmm dd hh:mm:ss date=..." : the envelope took date= for a host */
	if (env != NULL && env->host.n > 0 &&
	    memchr(env->host.p, '=', env->host.n) != NULL) {
		msg = env->host.p;
		n = (size_t)(env->line.p + env->line.n - msg);
		end = msg + n;
		p = msg;
	}
	if (n < 10 || memmem_lit(msg, n, "date=") == NULL)
		return LN_NO;
	memset(&x, 0, sizeof x);
	while (fw_kv_next(&p, end, &k, &v))
		keep(&x, ev, k, v);
	if (x.date.n == 0 || !(x.has_id || x.devid.n > 0) || x.type.n == 0)
		return LN_NO;
	stamp(&x, ev);
	if (x.devname.n > 0)
		ev_sets(ev, RC_SENSOR, x.devname);
	else if (x.devid.n > 0 && env == NULL)
		ev_sets(ev, RC_SENSOR, x.devid);
	ev_setz(ev, RC_KIND, kind(&x));
	if (span_eq(x.type, "traffic") && (span_eq(x.action, "close") ||
	    span_eq(x.action, "timeout") || span_eq(x.action, "server-rst") ||
	    span_eq(x.action, "client-rst")))
		/* one log per session, written at its end: it was let
		 * through */
		ev_setz(ev, RC_ACTION, "allow");
	else
		fw_action(ev, x.action);
	if (x.proto.n > 0)
		fw_proto(ev, x.proto);
	if (span_num(x.sentbyte, &a) && span_num(x.rcvdbyte, &b))
		ev_printf(ev, RC_BYTES, "%lld", a + b);
	else if (span_num(x.sentbyte, &a))
		ev_sets(ev, RC_BYTES, x.sentbyte);
	if (x.attack.n > 0)
		ev_sets(ev, RC_SIG, x.attack);
	else if (x.virus.n > 0)
		ev_sets(ev, RC_SIG, x.virus);
	else if (x.logdesc.n > 0)
		ev_sets(ev, RC_SIG, x.logdesc);
	else if (x.logid.n > 0)
		ev_sets(ev, RC_SIG, x.logid);
	if (!(x.severity.n > 0 && fw_sev_word(ev, x.severity)) &&
	    x.level.n > 0)
		fw_sev_word(ev, x.level);
	if (ev_has(ev, RC_DUR)) {
		long long d;

		if (!span_num(ev->f[RC_DUR], &d))
			ev_set(ev, RC_DUR, NULL, 0);
	}
	return LN_OK;
}
