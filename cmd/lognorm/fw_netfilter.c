/*
 * netfilter: the kernel's LOG/NFLOG target text, as iptables, nftables,
 * UFW, firewalld, SuSEfirewall, Shorewall and Proxmox write it:
 *
 *   [ 341.399450] PREFIX IN=eth0 OUT= MAC=.. SRC=a DST=b LEN=60 .. PROTO=TCP
 *   SPT=1 DPT=2 ..
 *
 * The log prefix is free text set by the rule; it goes to sig and, when it
 * names a verdict (DROP, REJECT, BLOCK, DENY, ACCEPT, ALLOW, ACC), to
 * action.  This is the hottest parser (the benchmark's input): one pass
 * over the fields, no allocation.
 */
#include <stdint.h>
#include <string.h>

#include "fw.h"

/* key_at: p starts a field key (start of message, or after ' ', ':' or
 * ']'; Shorewall glues "DROP:IN=" together). */
static int
key_at(const char *msg, const char *p)
{
	return p == msg || p[-1] == ' ' || p[-1] == ':' || p[-1] == ']' ||
	    p[-1] == ')';
}

/*
 * find_eq: the next '=' in [p, end), eight bytes at a time (no call, no
 * byte loop: fields are short, so memchr's set-up would dominate).
 */
static const char *
find_eq(const char *p, const char *end)
{
	const uint64_t ones = 0x0101010101010101ULL, eqs = ones * '=';
	uint64_t w, x;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		x = w ^ eqs;
		x = (x - ones) & ~x & (ones << 7);
		if (x != 0)
			return p + (__builtin_ctzll(x) >> 3);
		p += 8;
	}
	for (; p < end; p++)
		if (*p == '=')
			return p;
	return NULL;
}

/* find_sp: the next space in [p, end), or end; as find_eq. */
static inline const char *
find_sp(const char *p, const char *end)
{
	const uint64_t ones = 0x0101010101010101ULL, sps = ones * ' ';
	uint64_t w, x;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		x = w ^ sps;
		x = (x - ones) & ~x & (ones << 7);
		if (x != 0)
			return p + (__builtin_ctzll(x) >> 3);
		p += 8;
	}
	while (p < end && *p != ' ')
		p++;
	return p;
}

/* key_len: the key before the '=' at q has n letters: a space (or the
 * start of the fields) precedes them. */
static inline int
key_len(const char *start, const char *q, size_t n)
{
	return (size_t)(q - start) >= n && (q - n == start || q[-(long)n - 1] == ' ');
}

/* find_key: the field key (kl bytes with its '=') at a key start; found
 * by memchr on '=', much faster than memmem for such short needles. */
static const char *
find_key(const char *msg, const char *end, const char *key, size_t kl)
{
	const char *q = msg + kl - 1;

	while (q < end && (q = memchr(q, '=', (size_t)(end - q))) != NULL) {
		const char *k = q + 1 - kl;

		if (memcmp(k, key, kl - 1) == 0 && key_at(msg, k))
			return k;
		q++;
	}
	return NULL;
}

/* word_at: s at i starts the upper-case word w, any case. */
static int
word_at(struct span s, size_t i, const char *w, size_t wl)
{
	size_t j;

	if (i + wl > s.n)
		return 0;
	for (j = 0; j < wl; j++)
		if ((s.p[i + j] & ~0x20) != w[j])
			return 0;
	return 1;
}

/*
 * verdict: the strongest verdict word in the prefix (REJECT, DROP, BLOCK,
 * DENY/DENIED, then ACCEPT/ALLOW/ACC/PASS), in one pass over it.
 */
static const char *
verdict(struct span s)
{
	static const char *const names[] = { "reject", "drop", "block",
	    "deny", "allow" };
	size_t i;
	int best = 5;

	for (i = 0; i < s.n; i++) {
		switch (s.p[i] & ~0x20) {
		case 'R':
			if (word_at(s, i, "REJECT", 6))
				best = 0;
			break;
		case 'D':
			if (best > 1 && word_at(s, i, "DROP", 4))
				best = 1;
			else if (best > 3 && (word_at(s, i, "DENY", 4) ||
			    word_at(s, i, "DENIED", 6)))
				best = 3;
			break;
		case 'B':
			if (best > 2 && word_at(s, i, "BLOCK", 5))
				best = 2;
			break;
		case 'A':
			if (best > 4 && word_at(s, i, "ACC", 3))
				best = 4;	/* ACCEPT, SuSE's ACC */
			else if (best > 4 && word_at(s, i, "ALLOW", 5))
				best = 4;
			break;
		case 'P':
			if (best > 4 && word_at(s, i, "PASS", 4))
				best = 4;
			break;
		}
	}
	return best < 5 ? names[best] : NULL;
}

/*
 * proxmox: pve-firewall writes "VMID LEVEL CHAIN dd/Mon/yyyy:hh:mm:ss
 * +zzzz PREFIX:" before the fields.  Takes the stamp into ev->ts and
 * leaves "CHAIN PREFIX" in *sig.
 */
static void
proxmox(struct span *pre, struct ev *ev)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = pre->p, *end = pre->p + pre->n, *t;
	char iso[32];
	int i, mon;
	int64_t ms;

	/* the stamp: a token with "/Mmm/" in it */
	for (t = p; t + 26 <= end; t++) {
		if (t[2] != '/' || t[6] != '/' || t[11] != ':' ||
		    (t != p && t[-1] != ' ') || t[20] != ' ' ||
		    (t[21] != '+' && t[21] != '-'))
			continue;
		mon = 0;
		for (i = 0; i < 12; i++)
			if (memcmp(months + 3 * i, t + 3, 3) == 0)
				mon = i + 1;
		if (mon == 0)
			continue;
		/* yyyy-mm-ddThh:mm:ss+hhmm */
		memcpy(iso, t + 7, 4);
		iso[4] = '-';
		iso[5] = (char)('0' + mon / 10);
		iso[6] = (char)('0' + mon % 10);
		iso[7] = '-';
		memcpy(iso + 8, t, 2);
		iso[10] = 'T';
		memcpy(iso + 11, t + 12, 8);
		memcpy(iso + 19, t + 21, 5);
		if (tm_parse(iso, 24, 1, &ms) == 0)
			ev->ts = ms;
		/* sig: the chain (the token before the stamp) and what
		 * follows the stamp */
		{
			const char *c = t - 1, *cs;
			size_t n1, n2;
			char *s;

			while (c > p && c[-1] == ' ')
				c--;
			cs = c;
			while (cs > p && cs[-1] != ' ')
				cs--;
			n1 = (size_t)(c - cs);
			t += 26;
			while (t < end && *t == ' ')
				t++;
			n2 = (size_t)(end - t);
			s = ev_alloc(ev, n1 + n2 + 1);
			memcpy(s, cs, n1);
			s[n1] = ' ';
			memcpy(s + n1 + 1, t, n2);
			pre->p = s;
			pre->n = n1 + 1 + n2;
		}
		return;
	}
}

int
fw_netfilter(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	const char *end = msg + n, *start, *p, *q, *k, *v;
	struct span pre;
	const char *act;
	size_t kl;
	int have_in = 0, have_out = 0, have_ip = 0, have_len = 0;

	(void)f;
	(void)why;

	if ((start = find_key(msg, end, "IN=", 3)) == NULL &&
	    (start = find_key(msg, end, "OUT=", 4)) == NULL)
		return LN_NO;
	/*
	 * One pass from '=' to '=' (flag words such as DF and SYN have
	 * none and are passed over), stopping after DPT=.
	 */
	p = start;
	while (p < end && (q = find_eq(p, end)) != NULL) {
		/* only keys of 2, 3 and 5 letters matter: test those
		 * lengths rather than walk back to the space */
		if (q - start > 6)
			kl = q[-3] == ' ' ? 2 : q[-4] == ' ' ? 3 :
			    q[-6] == ' ' ? 5 : 0;
		else if (key_len(start, q, 2))
			kl = 2;
		else if (key_len(start, q, 3))
			kl = 3;
		else if (key_len(start, q, 5))
			kl = 5;
		else
			kl = 0;
		k = q - kl;
		v = p = q + 1;
		if (kl == 0 || (kl == 3 && k[0] == 'M')) {
			if (kl == 3 && k[1] == 'A' && k[2] == 'C')
				have_ip = 1;
			continue;	/* find_eq passes over the value */
		}
		if (kl == 2) {
			if (k[0] == 'I' && k[1] == 'N')
				have_in = 1;
			continue;
		}
		p = find_sp(p, end);
/* direct stores: this loop is the benchmark's inner loop */
#define VAL v, (size_t)(p - v)
#define SET(col) do { ev->f[col].p = v; ev->f[col].n = (size_t)(p - v); } \
	while (0)
		switch (kl) {
		case 3:
			if (memcmp(k, "OUT", 3) == 0)
				have_out = 1;
			else if (memcmp(k, "SRC", 3) == 0) {
				SET(RC_SRC);
				have_ip = 1;
			} else if (memcmp(k, "DST", 3) == 0) {
				SET(RC_DST);
				have_ip = 1;
			} else if (memcmp(k, "SPT", 3) == 0)
				SET(RC_SPORT);
			else if (memcmp(k, "DPT", 3) == 0) {
				SET(RC_DPORT);
				p = end;	/* nothing wanted after it */
			} else if (memcmp(k, "LEN", 3) == 0 && !have_len) {
				/* the first LEN is the IP packet's */
				SET(RC_BYTES);
				have_len = 1;
			}
			break;
		case 5:
			if (memcmp(k, "PROTO", 5) == 0) {
				struct span s = { v, (size_t)(p - v) };

				if (s.n == 3 && memcmp(v, "TCP", 3) == 0)
					FW_LIT(ev, RC_PROTO, "tcp");
				else if (s.n == 3 && memcmp(v, "UDP", 3) == 0)
					FW_LIT(ev, RC_PROTO, "udp");
				else
					fw_proto(ev, s);
			}
			break;
		}
#undef VAL
#undef SET
	}
	if (!(have_in && have_out) && !have_ip)
		return LN_NO;
	FW_LIT(ev, RC_KIND, "fw");

	/* The prefix: what precedes the fields, less the kernel's uptime
	 * stamp, brackets and trailing colons. */
	pre.p = msg;
	pre.n = (size_t)(start - msg);
	if (pre.n > 0 && pre.p[0] == '[') {
		const char *rb = memchr(pre.p, ']', pre.n);

		if (rb != NULL && rb - pre.p < 24 &&
		    strspn(pre.p + 1, " 0123456789.") ==
		    (size_t)(rb - pre.p - 1)) {
			pre.n -= (size_t)(rb + 1 - pre.p);
			pre.p = rb + 1;
		}
	}
	pre = fw_trim(pre);
	while (pre.n > 0 && (pre.p[pre.n - 1] == ':' ||
	    pre.p[pre.n - 1] == ' '))
		pre.n--;
	if (pre.n > 1 && pre.p[0] == '[' && pre.p[pre.n - 1] == ']') {
		pre.p++;
		pre.n -= 2;
	}
	if (env == NULL && pre.n > 26)
		proxmox(&pre, ev);
	if (pre.n > 0) {
		ev_sets(ev, RC_SIG, pre);
		if ((act = verdict(pre)) != NULL)
			ev_setz(ev, RC_ACTION, act);
	}
	return LN_OK;
}
