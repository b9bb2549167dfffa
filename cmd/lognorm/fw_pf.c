/*
 * pf: OpenBSD pf packet logs as tcpdump prints them from pflog(4)
 * (tcpdump -n -e -ttt -r /var/log/pflog):
 *   Mmm dd hh:mm:ss.ffffff rule 11/(match) block in on em1: 10.0.0.11.59299 >
 *   239.255.255.250.1900: udp 132 (DF) [ttl 1]
 * also with -tttt stamps (yyyy-mm-dd hh:mm:ss.ffffff), anchors
 * ("rule 1.anchor.2/(match)") and the older "rule 0/0(match):".  Not
 * syslog: tried on the whole line.
 */
#include <string.h>

#include "ip.h"
#include "fw.h"

static struct span
word(const char **pp, const char *end)
{
	struct span s;
	const char *p = *pp;

	while (p < end && *p == ' ')
		p++;
	s.p = p;
	while (p < end && *p != ' ')
		p++;
	s.n = (size_t)(p - s.p);
	*pp = p;
	return s;
}

/* endpoint: tcpdump's "addr.port" (v4 or v6) or a bare address, maybe
 * with a trailing ':' or ":service". */
static void
endpoint(struct ev *ev, int ipcol, int portcol, struct span t)
{
	struct ip_addr a;
	const char *dot = NULL, *q;
	size_t i;

	for (i = t.n; i > 0; i--)
		if (t.p[i - 1] == '.') {
			dot = t.p + i - 1;
			break;
		}
	if (dot != NULL) {
		for (q = dot + 1; q < t.p + t.n && *q >= '0' && *q <= '9'; q++)
			;
		if (q > dot + 1 && (q == t.p + t.n || *q == ':') &&
		    ip_parse(t.p, (size_t)(dot - t.p), &a) == 0) {
			ev_set(ev, ipcol, t.p, (size_t)(dot - t.p));
			ev_set(ev, portcol, dot + 1, (size_t)(q - dot - 1));
			return;
		}
	}
	if (ip_parse(t.p, t.n, &a) != 0 && t.n > 0 && t.p[t.n - 1] == ':')
		t.n--;		/* "ff02::16:" before the payload */
	if (ip_parse(t.p, t.n, &a) == 0)
		ev_sets(ev, ipcol, t);
}

/* guess_proto: what tcpdump printed after the addresses. */
static void
guess_proto(struct ev *ev, struct span r)
{
	static const struct {
		const char	*lead, *proto;
	} t[] = {
		{ "udp", "udp" }, { "tcp", "tcp" }, { "icmp6", "ipv6-icmp" },
		{ "[|icmp6]", "ipv6-icmp" }, { "HBH icmp6", "ipv6-icmp" },
		{ "icmp", "icmp" }, { "[|icmp]", "icmp" }, { "igmp", "igmp" },
		{ "Flags [", "tcp" }, { "S ", "tcp" }, { "S. ", "tcp" },
		{ "P ", "tcp" }, { "F ", "tcp" }, { "R ", "tcp" },
		{ ". ack", "tcp" }, { "FP ", "tcp" }, { "esp", "esp" },
		{ "gre", "gre" },
		{ NULL, NULL },
	};
	int i;

	for (i = 0; t[i].lead != NULL; i++)
		if (span_starts(r, t[i].lead)) {
			ev_setz(ev, RC_PROTO, t[i].proto);
			return;
		}
}

int
fw_pf(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	const char *p = msg, *end = msg + n, *rule, *m;
	struct span w, act, dir, src, gt, dst;
	size_t used;

	(void)env;

	if (n < 30)
		return LN_NO;
	if ((used = syslog_stamp3164(f, p, n, &ev->ts)) == 0 &&
	    n > 26 && p[4] == '-' && p[10] == ' ' && p[13] == ':') {
		const char *q = p + 19;

		while (q < end && (*q == '.' || (*q >= '0' && *q <= '9')))
			q++;
		/* yyyy-mm-dd hh:mm:ss.ffffff in the local zone */
		if (tm_parse(p, (size_t)(q - p), 1, &ev->ts) == 0)
			used = (size_t)(q - p);
	}
	p += used;
	while (p < end && *p == ' ')
		p++;
	if (end - p < 10 || memcmp(p, "rule ", 5) != 0)
		return LN_NO;
	rule = p + 5;
	if ((m = memmem_lit(rule, (size_t)(end - rule), "(match)")) == NULL ||
	    m - rule > 64)
		return LN_NO;
	p = m + 7;
	if (p < end && *p == ':')
		p++;
	/* the rule number: up to '/' (drops the "/0" and "/") */
	w.p = rule;
	for (w.n = 0; rule + w.n < m && rule[w.n] != '/'; w.n++)
		;
	ev_printf(ev, RC_SIG, "rule %.*s", (int)w.n, w.p);
	ev_setz(ev, RC_KIND, "fw");
	act = word(&p, end);
	dir = word(&p, end);
	if (act.n == 0 || !(span_eq(dir, "in") || span_eq(dir, "out"))) {
		*why = "pf log line without action and direction";
		return LN_BAD;
	}
	fw_action(ev, act);
	/* "on IFC:" then "SRC > DST: rest" */
	w = word(&p, end);
	if (span_eq(w, "on"))
		word(&p, end);
	src = word(&p, end);
	gt = word(&p, end);
	dst = word(&p, end);
	if (!span_eq(gt, ">")) {
		*why = "pf log line without 'source > destination'";
		return LN_BAD;
	}
	endpoint(ev, RC_SRC, RC_SPORT, src);
	endpoint(ev, RC_DST, RC_DPORT, dst);
	while (p < end && *p == ' ')
		p++;
	guess_proto(ev, (struct span){ p, (size_t)(end - p) });
	ev_set(ev, RC_MSG, p, (size_t)(end - p));
	return LN_OK;
}
