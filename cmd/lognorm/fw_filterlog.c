/*
 * filterlog: pfSense and OPNsense packet-filter logs, one CSV record per
 * packet after the "filterlog[pid]:" tag:
 *   rule,subrule,anchor,tracker,ifc,reason,action,dir,ipver, then
 *   IPv4: tos,ecn,ttl,id,offset,flags,protoid,proto,length,src,dst
 *   IPv6: class,flowlabel,hoplimit,proto,protoid,length,src,dst
 *   then for tcp and udp: sport,dport,datalen[,tcp details]
 */
#include <string.h>

#include "fw.h"

#define FL_MAX 40

int
fw_filterlog(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	struct span fl[FL_MAX], proto;
	int nf, tagged, b;

	(void)f;

	tagged = env != NULL && span_eq(env->tag, "filterlog");
	if (!tagged && (n < 20 || msg[0] < '0' || msg[0] > '9'))
		return LN_NO;
	nf = fw_csv(msg, n, fl, FL_MAX);
	if (nf < 9 || !(span_eq(fl[6], "pass") || span_eq(fl[6], "block") ||
	    span_eq(fl[6], "reject")) || !(span_eq(fl[7], "in") ||
	    span_eq(fl[7], "out")) || !(span_eq(fl[8], "4") ||
	    span_eq(fl[8], "6"))) {
		if (!tagged)
			return LN_NO;
		*why = "filterlog record without rule,...,action,dir,ipver";
		return LN_BAD;
	}
	if (span_eq(fl[8], "4")) {
		if (nf < 20) {
			*why = "truncated filterlog IPv4 record";
			return LN_BAD;
		}
		proto = fl[16];
		fw_num(ev, RC_BYTES, fl[17]);
		b = 18;
	} else {
		if (nf < 17) {
			*why = "truncated filterlog IPv6 record";
			return LN_BAD;
		}
		proto = fl[12];
		fw_num(ev, RC_BYTES, fl[14]);
		b = 15;
	}
	ev_setz(ev, RC_KIND, "fw");
	fw_action(ev, fl[6]);
	fw_proto(ev, proto);
	ev_sets(ev, RC_SRC, fl[b]);
	ev_sets(ev, RC_DST, fl[b + 1]);
	if ((span_ieq(proto, "tcp") || span_ieq(proto, "udp")) && nf > b + 3) {
		fw_port(ev, RC_SPORT, fl[b + 2]);
		fw_port(ev, RC_DPORT, fl[b + 3]);
	}
	/* the tracker identifies the rule across reloads; the rule
	 * number does not */
	ev_sets(ev, RC_SIG, fl[3].n > 0 ? fl[3] : fl[0]);
	return LN_OK;
}
