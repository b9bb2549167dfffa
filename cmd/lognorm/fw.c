/*
 * Format table of the fw family (see lognorm.h for who owns what), and the
 * helpers its parsers share: verdict words, protocols, severities, ports,
 * key=value, structured-data and CSV splitting.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "fw.h"

const struct ln_format fw_formats[] = {
	{ "netfilter", "Linux netfilter/iptables/nftables LOG lines (also "
	    "UFW, firewalld, Shorewall, Proxmox)", -1, 1, fw_netfilter,
	    NULL, NULL },
	{ "asa", "Cisco ASA, PIX and FTD %ASA-n-NNNNNN messages", 0, 1,
	    fw_asa, NULL, fw_asa_fini },
	{ "fortigate", "Fortinet FortiGate (and FortiMail, FortiDDoS) "
	    "key=value logs", -1, 1, fw_fortinet, NULL, NULL },
	{ "panos", "Palo Alto PAN-OS CSV logs (TRAFFIC, THREAT, others)", -1, 1,
	    fw_panos, NULL, NULL },
	{ "filterlog", "pfSense/OPNsense filterlog CSV", -1, 1, fw_filterlog,
	    NULL, NULL },
	{ "srx", "Juniper SRX RT_FLOW session logs (structured and text)", -1,
	    1, fw_srx, NULL, NULL },
	{ "sonicwall", "SonicWall SonicOS key=value logs", -1, 1,
	    fw_sonicwall, NULL, NULL },
	{ "checkpoint", "Check Point Log Exporter syslog (RFC 5424)", -1, 1,
	    fw_checkpoint, NULL, NULL },
	{ "pf", "OpenBSD pf log as printed by tcpdump -e -r pflog", -1, 0,
	    fw_pf, NULL, NULL },
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};

struct word {
	const char	*from;
	const char	*to;
};

static const char *
lookup(const struct word *t, struct span s)
{
	for (; t->from != NULL; t++)
		if (span_ieq(s, t->from))
			return t->to;
	return NULL;
}

void
fw_lower(struct ev *ev, int col, struct span s)
{
	size_t i;
	char *p;

	for (i = 0; i < s.n; i++)
		if (s.p[i] >= 'A' && s.p[i] <= 'Z')
			break;
	if (i == s.n) {
		ev_sets(ev, col, s);
		return;
	}
	p = ev_alloc(ev, s.n);
	for (i = 0; i < s.n; i++)
		p[i] = (s.p[i] >= 'A' && s.p[i] <= 'Z') ? s.p[i] | 0x20 :
		    s.p[i];
	ev_set(ev, col, p, s.n);
}

void
fw_proto(struct ev *ev, struct span s)
{
	static const struct word names[] = {
		{ "1", "icmp" }, { "2", "igmp" }, { "6", "tcp" },
		{ "17", "udp" }, { "41", "ipv6" }, { "47", "gre" },
		{ "50", "esp" }, { "51", "ah" }, { "58", "ipv6-icmp" },
		{ "89", "ospf" }, { "103", "pim" }, { "112", "vrrp" },
		{ "132", "sctp" }, { "icmpv6", "ipv6-icmp" },
		{ "icmp6", "ipv6-icmp" }, { "ipv6-icmp", "ipv6-icmp" },
		{ NULL, NULL },
	};
	const char *w;

	if (s.n == 0)
		return;
	/* the common three without a table walk */
	if (s.n == 3 && (s.p[0] | 0x20) == 't' && (s.p[1] | 0x20) == 'c' &&
	    (s.p[2] | 0x20) == 'p') {
		FW_LIT(ev, RC_PROTO, "tcp");
		return;
	}
	if (s.n == 3 && (s.p[0] | 0x20) == 'u' && (s.p[1] | 0x20) == 'd' &&
	    (s.p[2] | 0x20) == 'p') {
		FW_LIT(ev, RC_PROTO, "udp");
		return;
	}
	if ((w = lookup(names, s)) != NULL)
		ev_setz(ev, RC_PROTO, w);
	else
		fw_lower(ev, RC_PROTO, s);
}

void
fw_action(struct ev *ev, struct span s)
{
	static const struct word verbs[] = {
		{ "accept", "allow" }, { "accepted", "allow" },
		{ "allow", "allow" }, { "allowed", "allow" },
		{ "permit", "allow" }, { "permitted", "allow" },
		{ "pass", "allow" }, { "passed", "allow" },
		{ "est-allowed", "allow" }, { "start", "allow" },
		{ "deny", "deny" }, { "denied", "deny" },
		{ "drop", "drop" }, { "dropped", "drop" },
		{ "drop-all-packets", "drop" }, { "drop-icmp", "drop" },
		{ "discard", "drop" }, { "discarded", "drop" },
		{ "reject", "reject" }, { "rejected", "reject" },
		{ "reset-both", "reject" }, { "reset-client", "reject" },
		{ "reset-server", "reject" }, { "reset", "reject" },
		{ "block", "block" }, { "blocked", "block" },
		{ "block-url", "block" }, { "block-ip", "block" },
		{ "block-continue", "block" }, { "prevent", "block" },
		{ "alert", "alert" }, { "detected", "alert" },
		{ "detect", "alert" }, { "monitored", "alert" },
		{ "close", "close" }, { "closed", "close" },
		{ NULL, NULL },
	};
	const char *w;

	if (s.n == 0)
		return;
	if ((w = lookup(verbs, s)) != NULL)
		ev_setz(ev, RC_ACTION, w);
	else
		fw_lower(ev, RC_ACTION, s);
}

/*
 * Syslog levels to kazami severities: emergency, alert and critical are
 * critical; error high; warning medium; notice low; info and debug info.
 */
void
fw_sev_level(struct ev *ev, int level)
{
	static const char *const sev[8] = { "critical", "critical",
	    "critical", "high", "medium", "low", "info", "info" };

	if (level >= 0 && level <= 7)
		ev_setz(ev, RC_SEV, sev[level]);
}

int
fw_sev_word(struct ev *ev, struct span s)
{
	static const struct word words[] = {
		{ "critical", "critical" }, { "crit", "critical" },
		{ "emergency", "critical" }, { "emerg", "critical" },
		{ "alert", "critical" }, { "high", "high" },
		{ "error", "high" }, { "err", "high" },
		{ "medium", "medium" }, { "warning", "medium" },
		{ "warn", "medium" }, { "low", "low" }, { "notice", "low" },
		{ "informational", "info" }, { "information", "info" },
		{ "info", "info" }, { "debug", "info" },
		{ NULL, NULL },
	};
	const char *w;

	if ((w = lookup(words, s)) == NULL)
		return 0;
	ev_setz(ev, RC_SEV, w);
	return 1;
}

void
fw_port(struct ev *ev, int col, struct span s)
{
	static const struct word svc[] = {
		{ "ftp", "21" }, { "ssh", "22" }, { "telnet", "23" },
		{ "smtp", "25" }, { "domain", "53" }, { "dns", "53" },
		{ "bootps", "67" }, { "bootpc", "68" }, { "tftp", "69" },
		{ "http", "80" }, { "www", "80" }, { "pop3", "110" },
		{ "sunrpc", "111" }, { "ntp", "123" }, { "netbios-ns", "137" },
		{ "netbios-dgm", "138" }, { "netbios-ssn", "139" },
		{ "imap4", "143" }, { "imap", "143" }, { "snmp", "161" },
		{ "snmptrap", "162" }, { "ldap", "389" }, { "https", "443" },
		{ "isakmp", "500" }, { "syslog", "514" }, { "ldaps", "636" },
		{ "imaps", "993" }, { "pop3s", "995" }, { "sqlnet", "1521" },
		{ "rdp", "3389" },
		{ NULL, NULL },
	};
	const char *w;
	long long v;

	if (span_num(s, &v)) {
		if (v <= 65535)
			ev_sets(ev, col, s);
		return;
	}
	if ((w = lookup(svc, s)) != NULL)
		ev_setz(ev, col, w);
}

void
fw_num(struct ev *ev, int col, struct span s)
{
	long long v;

	if (span_num(s, &v))
		ev_sets(ev, col, s);
}

int
fw_epoch(struct span s, int64_t *ms)
{
	long long v;

	if (!span_num(s, &v))
		return 0;
	if (v >= 100000000000000000LL)
		*ms = v / 1000000;		/* ns */
	else if (v >= 100000000000000LL)
		*ms = v / 1000;		/* us */
	else if (v >= 100000000000LL)
		*ms = v;		/* ms */
	else
		*ms = v * 1000;
	return 1;
}

struct span
fw_trim(struct span s)
{
	while (s.n > 0 && s.p[0] == ' ') {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && s.p[s.n - 1] == ' ')
		s.n--;
	return s;
}

/* quoted: past a "..." value starting at p (on the opening quote); the
 * span is the content. */
static const char *
quoted(const char *p, const char *end, struct span *v)
{
	const char *q = ++p;

	while (q < end && *q != '"') {
		if (*q == '\\' && q + 1 < end)
			q++;
		q++;
	}
	v->p = p;
	v->n = (size_t)((q < end ? q : end) - p);
	return q < end ? q + 1 : end;
}

int
fw_kv_next(const char **pp, const char *end, struct span *k,
    struct span *v)
{
	const char *p = *pp, *eq;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end) {
			*pp = p;
			return 0;
		}
		k->p = p;
		eq = NULL;
		while (p < end && *p != ' ' && *p != '=')
			p++;
		if (p < end && *p == '=')
			eq = p;
		if (eq == NULL) {
			/* a bare word: skip it */
			continue;
		}
		k->n = (size_t)(eq - k->p);
		p = eq + 1;
		if (p < end && *p == '"')
			p = quoted(p, end, v);
		else {
			v->p = p;
			while (p < end && *p != ' ')
				p++;
			v->n = (size_t)(p - v->p);
		}
		*pp = p;
		if (k->n > 0)
			return 1;
	}
}

int
fw_sd_next(const char **pp, const char *end, struct span *k,
    struct span *v)
{
	const char *p = *pp;

	for (;;) {
		while (p < end && (*p == ' ' || *p == ';'))
			p++;
		if (p >= end || *p == ']') {
			*pp = p;
			return 0;
		}
		k->p = p;
		while (p < end && *p != '=' && *p != ':' && *p != ' ' &&
		    *p != ']' && *p != '"')
			p++;
		k->n = (size_t)(p - k->p);
		if (p + 1 < end && (*p == '=' || *p == ':') && p[1] == '"') {
			p = quoted(p + 1, end, v);
			*pp = p;
			if (k->n > 0)
				return 1;
			continue;
		}
		/* not a parameter (the SD-ID, or junk): skip the token */
		while (p < end && *p != ' ' && *p != ']')
			p++;
	}
}

int
fw_csv(const char *s, size_t n, struct span *f, int max)
{
	const char *p = s, *end = s + n;
	int k = 0;

	while (k < max) {
		if (p < end && *p == '"') {
			const char *q = ++p;

			while (q < end) {
				if (*q == '"') {
					if (q + 1 < end && q[1] == '"') {
						q += 2;
						continue;
					}
					break;
				}
				q++;
			}
			f[k].p = p;
			f[k].n = (size_t)(q - p);
			k++;
			p = q < end ? q + 1 : end;
			while (p < end && *p != ',')
				p++;
		} else {
			f[k].p = p;
			while (p < end && *p != ',')
				p++;
			f[k].n = (size_t)(p - f[k].p);
			k++;
		}
		if (p >= end)
			break;
		p++;		/* the comma */
	}
	return k;
}
