/*
 * Proxifier (a client-side proxy redirector) log lines:
 *   [10.30 16:49:06] chrome.exe - www.example.com:443 open through proxy p.example.com:5070 HTTPS
 *   [10.30 16:49:08] chrome.exe *64 - www.example.com:443 close, 1190 bytes (1.16 KB) sent, 1671 bytes received, lifetime 00:02
 *   [10.30 16:49:09] chrome.exe - www.example.com:443 error : Could not connect through proxy ...
 * The stamp has neither year nor zone: it is read like an RFC 3164
 * envelope stamp (--year or the inferred year, --tz).
 */
#include <stddef.h>
#include <string.h>

#include "app.h"

/* lifetime: "mm:ss", "hh:mm:ss" or "<1 sec" (as 0) in milliseconds; -1
 * if it is none of these. */
static long long
lifetime(struct span w)
{
	long long t = 0, part = 0;
	size_t i;
	int digits = 0;

	if (sp_prefix(w, "<"))
		return 0;
	for (i = 0; i < w.n; i++) {
		if (c_isdigit((unsigned char)w.p[i])) {
			if (++digits > 6)
				return -1;
			part = part * 10 + (w.p[i] - '0');
		} else if (w.p[i] == ':' && digits) {
			t = t * 60 + part;
			part = 0;
			digits = 0;
		} else
			return -1;
	}
	return digits ? (t * 60 + part) * 1000 : -1;
}

/* bytes_of: N of the "N bytes ... WHAT" part of a close line. */
static int
bytes_of(struct span s, const char *what, unsigned long long *v)
{
	const char *q = sp_find(s.p, s.n, what), *b;

	if (q == NULL)
		return 0;
	/* "N bytes (1.2 KB) sent": back up to the "N bytes" of this part */
	b = q;
	while (b > s.p && b[-1] != ',')
		b--;
	while (b < q && *b == ' ')
		b++;
	if (b >= q || !c_isdigit((unsigned char)*b))
		return 0;
	*v = 0;
	while (b < q && c_isdigit((unsigned char)*b) && *v < 1000000000000000ULL)
		*v = *v * 10 + (unsigned long long)(*b++ - '0');
	return 1;
}

int
proxifier_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char stamp[15];
	const char *dash, *colon, *e = msg + n;
	struct cur c;
	struct span target, rest, w;
	int m, d;
	int64_t ts;

	(void)env;
	/* "[MM.DD HH:MM:SS] " */
	if (n < 18 || msg[0] != '[' || msg[3] != '.' || msg[6] != ' ' ||
	    msg[15] != ']' || msg[16] != ' ')
		return LN_NO;
	m = dig2(msg + 1);
	d = dig2(msg + 4);
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return LN_NO;
	/* the stamp as an RFC 3164 one, to share its year and zone rules */
	memcpy(stamp, mon + 3 * (m - 1), 3);
	stamp[3] = ' ';
	stamp[4] = (char)('0' + d / 10);
	stamp[5] = (char)('0' + d % 10);
	stamp[6] = ' ';
	memcpy(stamp + 7, msg + 7, 8);
	if (syslog_stamp3164(f, stamp, sizeof(stamp), &ts) == 0)
		return LN_NO;
	rest = sp(msg + 17, n - 17);
	dash = sp_find(rest.p, rest.n, " - ");
	if (dash == NULL) {
		*why = "proxifier: no ' - ' before the target";
		return LN_BAD;
	}
	cur_init(&c, dash + 3, (size_t)(e - dash - 3));
	target = cur_word(&c);
	colon = NULL;
	for (const char *q = target.p + target.n; q > target.p; q--)
		if (q[-1] == ':') {
			colon = q - 1;
			break;
		}
	if (colon == NULL || !sp_port(sp(colon + 1,
	    (size_t)(target.p + target.n - colon - 1)))) {
		*why = "proxifier: target is not HOST:PORT";
		return LN_BAD;
	}
	ev->ts = ts;
	ev_setz(ev, RC_KIND, "proxy");
	ev_set(ev, RC_HOST, target.p, (size_t)(colon - target.p));
	ev_set(ev, RC_DPORT, colon + 1, (size_t)(target.p + target.n -
	    colon - 1));
	ev_set(ev, RC_MSG, rest.p, rest.n);
	w = sp(c.p, cur_left(&c));
	w = sp_strip(w);
	if (sp_prefix(w, "open through proxy "))
		ev_setz(ev, RC_ACTION, "allow");
	else if (sp_prefix(w, "close,")) {
		unsigned long long sent = 0, recv = 0;
		const char *lt = sp_find(w.p, w.n, "lifetime ");

		if (bytes_of(w, " sent", &sent) &&
		    bytes_of(w, " received", &recv))
			ev_printf(ev, RC_BYTES, "%llu", sent + recv);
		if (lt != NULL) {
			long long ms = lifetime(sp(lt + 9,
			    (size_t)(w.p + w.n - lt - 9)));

			if (ms >= 0)
				ev_secs(ev, RC_DUR, ms);
		}
	}
	return LN_OK;
}
