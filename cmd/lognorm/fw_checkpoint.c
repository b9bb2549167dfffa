/*
 * checkpoint: Check Point Log Exporter in RFC 5424 syslog, the fields in
 * the structured data either as [action:"Accept"; src:"a"; ...] (app
 * "CheckPoint") or as [Fields@1.3.6.1.4.1.2620 src="a" ...].
 */
#include <string.h>

#include "fw.h"

/* ids_product: the blades whose logs are threat detections. */
static int
ids_product(struct span p)
{
	static const char *const names[] = { "IPS", "Anti-Bot",
	    "Anti Malware", "Anti-Virus", "Threat Emulation",
	    "Threat Extraction", "Anti Spam", "SmartDefense", NULL };
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (span_eq(p, names[i]))
			return 1;
	return 0;
}

int
fw_checkpoint(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	const char *p, *end;
	struct span k, v, product = { NULL, 0 }, sev = { NULL, 0 },
	    svc = { NULL, 0 }, user = { NULL, 0 }, rule = { NULL, 0 },
	    prot = { NULL, 0 }, act = { NULL, 0 };
	long long x, in = -1, out = -1;
	int64_t ms;

	(void)f;
	(void)msg;
	(void)n;
	(void)why;

	if (env == NULL || env->sd.n < 4 ||
	    !(span_eq(env->tag, "CheckPoint") ||
	    span_starts(env->sd, "[Fields@1.3.6.1.4.1.2620")))
		return LN_NO;
	p = env->sd.p + 1;
	end = env->sd.p + env->sd.n;
	while (fw_sd_next(&p, end, &k, &v)) {
		if (v.n == 0)
			continue;
		if (span_eq(k, "action"))
			act = v;
		else if (span_eq(k, "src"))
			ev_sets(ev, RC_SRC, v);
		else if (span_eq(k, "dst"))
			ev_sets(ev, RC_DST, v);
		else if (span_eq(k, "s_port") || span_eq(k, "sport_svc"))
			fw_num(ev, RC_SPORT, v);
		else if (span_eq(k, "service") || span_eq(k, "svc"))
			svc = v;
		else if (span_eq(k, "proto"))
			fw_proto(ev, v);
		else if (span_eq(k, "time") && fw_epoch(v, &ms))
			ev->ts = ms;
		else if (span_eq(k, "product"))
			product = v;
		else if (span_eq(k, "severity"))
			sev = v;
		else if (span_eq(k, "protection_name"))
			prot = v;
		else if (span_eq(k, "rule_name"))
			rule = v;
		else if ((span_eq(k, "src_user_name") || span_eq(k, "user")) &&
		    user.n == 0)
			user = v;
		else if (span_eq(k, "bytes"))
			fw_num(ev, RC_BYTES, v);
		else if (span_eq(k, "client_inbound_bytes") && span_num(v, &x))
			in = x;
		else if (span_eq(k, "client_outbound_bytes") &&
		    span_num(v, &x))
			out = x;
		else if (span_eq(k, "duration") || span_eq(k, "elapsed"))
			fw_num(ev, RC_DUR, v);
		else if (span_eq(k, "resource") || span_eq(k, "url"))
			ev_sets(ev, RC_URL, v);
		else if (span_eq(k, "file_name"))
			ev_sets(ev, RC_FILE, v);
		else if (span_eq(k, "description") || span_eq(k, "msg"))
			ev_sets(ev, RC_MSG, v);
	}
	ev_setz(ev, RC_KIND, ids_product(product) ? "ids" : "fw");
	fw_action(ev, act);
	if (svc.n > 0)
		fw_port(ev, RC_DPORT, svc);
	if (!ev_has(ev, RC_BYTES) && (in >= 0 || out >= 0))
		ev_printf(ev, RC_BYTES, "%lld", (in > 0 ? in : 0) +
		    (out > 0 ? out : 0));
	if (user.n > 0)
		ev_sets(ev, RC_USER, user);
	if (prot.n > 0)
		ev_sets(ev, RC_SIG, prot);
	else if (rule.n > 0)
		ev_sets(ev, RC_SIG, rule);
	/* severity is a word or 0-4 (none, low, medium, high, critical) */
	if (sev.n == 1 && sev.p[0] >= '0' && sev.p[0] <= '4') {
		static const char *const w[] = { "info", "low", "medium",
		    "high", "critical" };

		ev_setz(ev, RC_SEV, w[sev.p[0] - '0']);
	} else if (sev.n > 0)
		fw_sev_word(ev, sev);
	if (!ev_has(ev, RC_MSG) && product.n > 0)
		ev_sets(ev, RC_MSG, product);
	return LN_OK;
}
