/*
 * sonicwall: SonicOS key=value logs
 *   id=firewall sn=SERIAL time="yyyy-mm-dd hh:mm:ss[ UTC]" fw=ADDR pri=6
 *   c=1024 m=537 msg="Connection Closed" src=ADDR:PORT:IFC[:NAME]
 *   dst=ADDR:PORT:IFC proto=tcp/dns sent=N rcvd=N [fw_action="drop"]
 * with or without a syslog envelope (some send "<134>" alone).
 */
#include <string.h>

#include "ip.h"
#include "fw.h"

/* endpoint: "addr:port:ifc[:name]"; IPv6 addresses are not split. */
static void
endpoint(struct ev *ev, int ipcol, int portcol, struct span v)
{
	struct ip_addr a;
	const char *c1, *c2, *end = v.p + v.n;

	if (ip_parse(v.p, v.n, &a) == 0) {
		ev_sets(ev, ipcol, v);
		return;
	}
	if ((c1 = memchr(v.p, ':', v.n)) == NULL)
		return;
	ev_set(ev, ipcol, v.p, (size_t)(c1 - v.p));
	c1++;
	c2 = memchr(c1, ':', (size_t)(end - c1));
	fw_num(ev, portcol, (struct span){ c1, (size_t)((c2 ? c2 : end) -
	    c1) });
}

static const char *
verdict(struct span m)
{
	static const struct {
		const char	*word, *action;
	} t[] = {
		{ "dropped", "drop" }, { "Dropped", "drop" },
		{ "denied", "deny" }, { "blocked", "block" },
		{ "Blocked", "block" }, { "Prevention", "block" },
		{ "Detection", "alert" }, { "Connection Opened", "allow" },
		{ "Connection Closed", "close" }, { "Web site hit", "allow" },
		{ NULL, NULL },
	};
	int i;

	for (i = 0; t[i].word != NULL; i++)
		if (memmem_lit(m.p, m.n, t[i].word) != NULL)
			return t[i].action;
	return NULL;
}

int
fw_sonicwall(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	const char *p = msg, *end = msg + n, *act;
	struct span k, v, time = { NULL, 0 }, m = { NULL, 0 }, fwact = { NULL,
	    0 }, proto = { NULL, 0 }, sent = { NULL, 0 }, rcvd = { NULL, 0 };
	int seen = 0;
	long long a, b;

	(void)f;
	(void)env;
	(void)why;

	/* a bare "<PRI>" without a stamp */
	if (p < end && *p == '<') {
		while (p < end && *p != '>')
			p++;
		if (p < end)
			p++;
	}
	while (p < end && *p == ' ')
		p++;
	if (end - p > 3 && memcmp(p, "id=", 3) != 0) {
		/* a bare host before the fields */
		const char *q = memchr(p, ' ', (size_t)(end - p));

		if (q == NULL || q - p > 64)
			return LN_NO;
		ev_set(ev, RC_SENSOR, p, (size_t)(q - p));
		for (p = q; p < end && *p == ' '; p++)
			;
	}
	if (end - p < 12 || memcmp(p, "id=", 3) != 0)
		return LN_NO;
	while (fw_kv_next(&p, end, &k, &v)) {
		if (span_eq(k, "sn") || span_eq(k, "fw") || span_eq(k, "pri"))
			seen++;
		if (span_eq(k, "m"))
			ev_sets(ev, RC_SIG, v);
		else if (span_eq(k, "time"))
			time = v;
		else if (span_eq(k, "msg"))
			m = v;
		else if (span_eq(k, "pri") && v.n == 1)
			fw_sev_level(ev, v.p[0] - '0');
		else if (span_eq(k, "src"))
			endpoint(ev, RC_SRC, RC_SPORT, v);
		else if (span_eq(k, "dst"))
			endpoint(ev, RC_DST, RC_DPORT, v);
		else if (span_eq(k, "proto"))
			proto = v;
		else if (span_eq(k, "sent"))
			sent = v;
		else if (span_eq(k, "rcvd"))
			rcvd = v;
		else if (span_eq(k, "fw_action"))
			fwact = v;
		else if ((span_eq(k, "usr") || span_eq(k, "user")) &&
		    v.n > 0 && !ev_has(ev, RC_USER))
			ev_sets(ev, RC_USER, v);
		else if (span_eq(k, "dstname"))
			ev_sets(ev, RC_HOST, v);
		else if (span_eq(k, "arg") && v.n > 0 && v.p[0] == '/')
			ev_sets(ev, RC_URL, v);
	}
	if (seen < 2)
		return LN_NO;
	ev_setz(ev, RC_KIND, "fw");
	ev_sets(ev, RC_MSG, m);
	if (time.n >= 19) {
		int64_t ms;
		char buf[20];

		memcpy(buf, time.p, 19);
		buf[10] = 'T';
		/* "... UTC" is UTC; otherwise the appliance's local time */
		if (tm_parse(buf, 19, !(time.n == 23 &&
		    memcmp(time.p + 19, " UTC", 4) == 0), &ms) == 0)
			ev->ts = ms;
	}
	if (proto.n > 0) {
		const char *sl = memchr(proto.p, '/', proto.n);

		fw_proto(ev, (struct span){ proto.p, sl ? (size_t)(sl -
		    proto.p) : proto.n });
	}
	if (span_num(sent, &a) && span_num(rcvd, &b))
		ev_printf(ev, RC_BYTES, "%lld", a + b);
	if (fwact.n > 0 && !span_eq(fwact, "NA"))
		fw_action(ev, span_eq(fwact, "forward") ?
		    (struct span){ "allow", 5 } : fwact);
	else if ((act = verdict(m)) != NULL)
		ev_setz(ev, RC_ACTION, act);
	if (memmem_lit(m.p, m.n, "IPS ") != NULL ||
	    memmem_lit(m.p, m.n, "Intrusion") != NULL)
		ev_setz(ev, RC_KIND, "ids");
	return LN_OK;
}
