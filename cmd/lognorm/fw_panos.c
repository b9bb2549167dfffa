/*
 * panos: Palo Alto PAN-OS syslog in its CSV form
 *   FUTURE,receive time,serial,TYPE,subtype,FUTURE,generated time,src,dst,
 *   natsrc,natdst,rule,srcuser,dstuser,app,vsys,from,to,inif,outif,
 *   logaction,FUTURE,session,repeat,sport,dport,natsport,natdport,flags,
 *   proto,action, ...
 * TRAFFIC continues bytes,sent,received,packets,start,elapsed,...; THREAT
 * continues misc (URL or file),threat name(id),category,severity,
 * direction,...  Other log types (SYSTEM, CONFIG, GLOBALPROTECT, ...) are
 * kept as records with their time, type and text.
 */
#include <string.h>

#include "fw.h"

#define PAN_MAX 128

enum {
	P_RECV = 1, P_SERIAL, P_TYPE, P_SUBTYPE, P_GEN = 6, P_SRC, P_DST,
	P_RULE = 11, P_SRCUSER, P_APP = 14, P_SPORT = 24, P_DPORT,
	P_PROTO = 29, P_ACTION,
	P_BYTES = 31, P_ELAPSED = 36,
	P_MISC = 31, P_THREAT, P_CATEGORY, P_SEVERITY,
	P_SYS_EVENTID = 8, P_SYS_SEVERITY = 13, P_SYS_DESC
};

/* pan_time: "yyyy/mm/dd hh:mm:ss", the firewall's local time. */
static int
pan_time(struct span s, int64_t *ms)
{
	char buf[20];

	if (s.n != 19 || s.p[4] != '/' || s.p[7] != '/' || s.p[10] != ' ')
		return 0;
	memcpy(buf, s.p, 19);
	buf[4] = buf[7] = '-';
	buf[10] = 'T';
	return tm_parse(buf, 19, 1, ms) == 0;
}

static int
upper_word(struct span s)
{
	size_t i;

	if (s.n < 3 || s.n > 20)
		return 0;
	for (i = 0; i < s.n; i++)
		if (!((s.p[i] >= 'A' && s.p[i] <= 'Z') || s.p[i] == '-' ||
		    s.p[i] == '_'))
			return 0;
	return 1;
}

int
fw_panos(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	struct span fl[PAN_MAX];
	int nf, min, hostless = 0;
	int64_t ms;

	(void)f;

	/* An envelope without a host makes the CSV's first field look
	 * like one: start from there instead. */
	if (env != NULL && env->host.n > 0 &&
	    memchr(env->host.p, ',', env->host.n) != NULL) {
		msg = env->host.p;
		n = (size_t)(env->line.p + env->line.n - msg);
		hostless = 1;
	}
	if (n < 30 || msg[0] < '0' || msg[0] > '9')
		return LN_NO;
	nf = fw_csv(msg, n, fl, PAN_MAX);
	if (nf < 4 || !pan_time(fl[P_RECV], &ms) || !upper_word(fl[P_TYPE]))
		return LN_NO;
	ev_setz(ev, RC_KIND, "fw");
	if (hostless)
		ev_sets(ev, RC_SENSOR, fl[P_SERIAL]);
	if (span_eq(fl[P_TYPE], "TRAFFIC"))
		min = P_ELAPSED + 1;
	else if (span_eq(fl[P_TYPE], "THREAT"))
		min = P_SEVERITY + 1;
	else if (span_eq(fl[P_TYPE], "SYSTEM"))
		min = P_SYS_DESC + 1;
	else
		min = P_GEN + 1;
	if (nf < min) {
		*why = "truncated PAN-OS record (too few fields for its type)";
		return LN_BAD;
	}
	if (!pan_time(fl[P_GEN], &ev->ts))
		ev->ts = ms;
	if (span_eq(fl[P_TYPE], "SYSTEM")) {
		ev_sets(ev, RC_SIG, fl[P_SYS_EVENTID]);
		fw_sev_word(ev, fl[P_SYS_SEVERITY]);
		ev_sets(ev, RC_MSG, fl[P_SYS_DESC]);
		return LN_OK;
	}
	if (!span_eq(fl[P_TYPE], "TRAFFIC") && !span_eq(fl[P_TYPE], "THREAT")) {
		/* the type, then the rest of the record as text */
		const char *rest = fl[P_GEN].p + fl[P_GEN].n;

		ev_printf(ev, RC_SIG, "%.*s/%.*s", (int)fl[P_TYPE].n,
		    fl[P_TYPE].p, (int)fl[P_SUBTYPE].n, fl[P_SUBTYPE].p);
		if (rest < msg + n && *rest == ',')
			rest++;
		ev_set(ev, RC_MSG, rest, (size_t)(msg + n - rest));
		return LN_OK;
	}
	ev_sets(ev, RC_SRC, fl[P_SRC]);
	ev_sets(ev, RC_DST, fl[P_DST]);
	fw_port(ev, RC_SPORT, fl[P_SPORT]);
	fw_port(ev, RC_DPORT, fl[P_DPORT]);
	fw_proto(ev, fl[P_PROTO]);
	if (fl[P_SRCUSER].n > 0)
		ev_sets(ev, RC_USER, fl[P_SRCUSER]);
	if (span_eq(fl[P_TYPE], "TRAFFIC")) {
		long long v;

		fw_action(ev, fl[P_ACTION]);
		ev_sets(ev, RC_SIG, fl[P_RULE]);
		ev_sets(ev, RC_MSG, fl[P_APP]);
		if (span_num(fl[P_BYTES], &v))
			ev_sets(ev, RC_BYTES, fl[P_BYTES]);
		if (span_num(fl[P_ELAPSED], &v))
			ev_sets(ev, RC_DUR, fl[P_ELAPSED]);
		return LN_OK;
	}
	/* THREAT */
	fw_sev_word(ev, fl[P_SEVERITY]);
	if (span_eq(fl[P_SUBTYPE], "url")) {
		/* URL filtering: the firewall as a web proxy; "alert" means
		 * let through and logged. */
		ev_setz(ev, RC_KIND, "proxy");
		ev_sets(ev, RC_URL, fl[P_MISC]);
		if (span_eq(fl[P_ACTION], "alert") ||
		    span_eq(fl[P_ACTION], "continue") ||
		    span_eq(fl[P_ACTION], "override"))
			ev_setz(ev, RC_ACTION, "allow");
		else
			fw_action(ev, fl[P_ACTION]);
		ev_sets(ev, RC_SIG, fl[P_CATEGORY]);
		ev_sets(ev, RC_MSG, fl[P_APP]);
		return LN_OK;
	}
	ev_setz(ev, RC_KIND, "ids");
	fw_action(ev, fl[P_ACTION]);
	ev_sets(ev, RC_SIG, fl[P_THREAT]);
	if (fl[P_MISC].n > 0) {
		/* misc names the file for file and virus logs, the URL
		 * (or host/path) otherwise */
		if (span_eq(fl[P_SUBTYPE], "file") ||
		    span_eq(fl[P_SUBTYPE], "virus") ||
		    span_starts(fl[P_SUBTYPE], "wildfire"))
			ev_sets(ev, RC_FILE, fl[P_MISC]);
		else
			ev_sets(ev, RC_URL, fl[P_MISC]);
	}
	ev_sets(ev, RC_MSG, fl[P_SUBTYPE]);
	return LN_OK;
}
