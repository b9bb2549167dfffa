/*
 * Snort and Suricata alert lines: the fast.log file format
 *   MM/DD[/YYYY]-HH:MM:SS.ffffff  [Drop] [**] [g:s:r] msg [**]
 *       [Classification: c] [Priority: n] {PROTO} src[:port] -> dst[:port]
 * and the same alert sent through syslog, without stamp and [**] marks:
 *   snort[1]: [g:s:r] msg [Classification: c] [Priority: n]: {TCP} a -> b
 * sig is the rule message alone (stable across rule revisions, so a
 * monthly top-10 does not split when a rule is updated); msg carries
 * "gid:sid:rev classification".
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ids.h"
#include "ip.h"
#include "tm.h"
#include "util.h"

/* fast_sev: Snort/Suricata priority to sev; 0 (no priority) is unknown. */
static const char *
fast_sev(long long prio)
{
	switch (prio) {
	case 1:
		return "high";
	case 2:
		return "medium";
	case 3:
		return "low";
	case 0:
		return NULL;
	default:
		return "info";
	}
}

static int
digits(const char *s, size_t n, int *out)
{
	int v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * fast_stamp: "MM/DD-HH:MM:SS[.frac]" or "MM/DD/YYYY-HH:MM:SS[.frac]";
 * returns the length taken, 0 if s is not such a stamp.  The stamp is
 * local time of the sensor (--tz).
 */
static size_t
fast_stamp(struct ln_file *f, const char *s, size_t n, int64_t *ms)
{
	struct tm_parts p;
	size_t i = 0;
	int frac = 0, scale = 100;

	memset(&p, 0, sizeof(p));
	if (n < 14 || digits(s, 2, &p.mon) || s[2] != '/' ||
	    digits(s + 3, 2, &p.day))
		return 0;
	i = 5;
	if (s[i] == '/') {
		if (n < i + 5 + 9 || digits(s + i + 1, 4, &p.year))
			return 0;
		i += 5;
	} else {
		if (f->year > 0)
			p.year = f->year;
		else {
			/* No --year and nothing inferred yet: the driver's
			 * default is this year, as for RFC 3164 stamps. */
			struct tm_parts now;

			tm_split((int64_t)time(NULL) * 1000, &now);
			p.year = now.year;
		}
	}
	if (n < i + 9 || s[i] != '-' || digits(s + i + 1, 2, &p.hour) ||
	    s[i + 3] != ':' || digits(s + i + 4, 2, &p.min) ||
	    s[i + 6] != ':' || digits(s + i + 7, 2, &p.sec))
		return 0;
	i += 9;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (scale > 0) {
				frac += (s[i] - '0') * scale;
				scale /= 10;
			}
			i++;
		}
	}
	if (p.mon < 1 || p.mon > 12 || p.day < 1 || p.day > 31 ||
	    p.hour > 23 || p.min > 59 || p.sec > 60)
		return 0;
	p.msec = frac;
	*ms = tm_from_local(&p);
	return i;
}

/* set_addr: "addr", "addr:port", "[v6]:port" into the address and port
 * columns.  An IPv6 address with a port appended ("2001:db8::1:80", as
 * Suricata writes it) is split at the last colon when the protocol has
 * ports. */
static int
set_addr(struct ev *e, int acol, int pcol, const char *s, size_t n,
    int has_ports)
{
	char buf[IP_STRLEN];
	const char *c;
	size_t len;
	long long port;

	if (n > 0 && s[0] == '[') {
		c = memchr(s, ']', n);
		if (c == NULL)
			return -1;
		if ((len = ip_canon(s + 1, c - s - 1, buf)) == 0)
			return -1;
		ev_copy(e, acol, buf, len);
		if ((size_t)(c - s) + 2 < n && c[1] == ':' &&
		    parse_num_span(c + 2, n - (c - s) - 2, 0, 65535,
		    &port) == 0)
			ev_set(e, pcol, c + 2, n - (c - s) - 2);
		return 0;
	}
	c = NULL;
	for (len = n; len > 0; len--)
		if (s[len - 1] == ':') {
			c = s + len - 1;
			break;
		}
	if (c != NULL && (has_ports || memchr(s, ':', c - s) == NULL) &&
	    parse_num_span(c + 1, n - (c - s) - 1, 0, 65535, &port) == 0 &&
	    (len = ip_canon(s, c - s, buf)) != 0) {
		ev_copy(e, acol, buf, len);
		ev_set(e, pcol, c + 1, n - (c - s) - 1);
		return 0;
	}
	if ((len = ip_canon(s, n, buf)) == 0)
		return -1;
	ev_copy(e, acol, buf, len);
	return 0;
}

static void
lower_copy(struct ev *e, int col, const char *s, size_t n)
{
	char *d = ev_alloc(e, n);
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
	ev_set(e, col, d, n);
}

/* span_find: first occurrence of lit in s[from..n), or n. */
static size_t
span_find(const char *s, size_t n, size_t from, const char *lit)
{
	const char *p;

	if (from >= n)
		return n;
	p = memmem_lit(s + from, n - from, lit);
	return p == NULL ? n : (size_t)(p - s);
}

/*
 * fast_body: everything after the stamp (and for syslog, the whole
 * message).  Returns LN_OK, LN_NO or LN_BAD.
 */
static int
fast_body(const char *s, size_t n, int stars, struct ev *e,
    const char **why)
{
	size_t i = 0, j, k, msg0, msg1, gsr0, gsr1;
	size_t cls0 = 0, cls1 = 0;
	long long prio = -1;
	const char *act = "alert";
	int has_ports;

	while (i < n && s[i] == ' ')
		i++;
	/* IPS verdicts come before the stars: [Drop], [wDrop], [Block]. */
	if (i < n && s[i] == '[' && (n - i < 4 || memcmp(s + i, "[**]", 4))) {
		j = i + 1;
		while (j < n && s[j] != ']' && s[j] != ' ' && s[j] != ':')
			j++;
		if (j < n && s[j] == ']') {
			struct span v = { s + i + 1, j - i - 1 };

			if (span_eq(v, "Drop") || span_eq(v, "wDrop"))
				act = "drop";
			else if (span_eq(v, "Block") || span_eq(v, "wBlock"))
				act = "block";
			else if (span_eq(v, "Reject"))
				act = "reject";
			i = j + 1;
			while (i < n && s[i] == ' ')
				i++;
		}
	}
	if (stars) {
		if (n - i < 5 || memcmp(s + i, "[**] ", 5))
			return LN_NO;
		i += 5;
	}
	/* [gid:sid:rev] */
	if (i >= n || s[i] != '[')
		return LN_NO;
	gsr0 = i + 1;
	for (j = gsr0; j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == ':');
	    j++)
		;
	if (j == gsr0 || j >= n || s[j] != ']')
		return LN_NO;
	gsr1 = j;
	i = j + 1;
	while (i < n && s[i] == ' ')
		i++;
	msg0 = i;
	/* The message runs to " [**]" (file) or " [Classification:" /
	 * " [Priority:" (syslog). */
	if (stars)
		msg1 = span_find(s, n, i, " [**]");
	else {
		msg1 = span_find(s, n, i, " [Classification:");
		k = span_find(s, n, i, " [Priority:");
		if (k < msg1)
			msg1 = k;
	}
	if (msg1 >= n) {
		*why = "alert without its [Priority:] part";
		return LN_BAD;
	}
	i = msg1 + (stars ? 5 : 0);
	k = span_find(s, n, i, "[Classification: ");
	if (k < n) {
		cls0 = k + 17;
		cls1 = cls0;
		while (cls1 < n && s[cls1] != ']')
			cls1++;
		i = cls1;
	}
	k = span_find(s, n, i, "[Priority: ");
	if (k < n) {
		j = k + 11;
		prio = 0;
		while (j < n && s[j] >= '0' && s[j] <= '9' && prio < 1000)
			prio = prio * 10 + (s[j++] - '0');
		i = j;
	}
	k = span_find(s, n, i, "{");
	if (k >= n) {
		*why = "alert without {PROTO} and addresses";
		return LN_BAD;
	}
	j = k + 1;
	while (j < n && s[j] != '}')
		j++;
	if (j >= n) {
		*why = "alert with an unterminated {PROTO}";
		return LN_BAD;
	}
	lower_copy(e, RC_PROTO, s + k + 1, j - k - 1);
	has_ports = (j - k - 1 == 3 && (!memcmp(s + k + 1, "TCP", 3) ||
	    !memcmp(s + k + 1, "UDP", 3))) || (j - k - 1 == 4 &&
	    !memcmp(s + k + 1, "SCTP", 4));
	i = j + 1;
	while (i < n && s[i] == ' ')
		i++;
	k = span_find(s, n, i, " -> ");
	if (k >= n) {
		*why = "alert without 'src -> dst'";
		return LN_BAD;
	}
	if (set_addr(e, RC_SRC, RC_SPORT, s + i, k - i, has_ports) < 0) {
		*why = "alert with an unparsable source address";
		return LN_BAD;
	}
	i = k + 4;
	j = i;
	while (j < n && s[j] != ' ')
		j++;
	if (set_addr(e, RC_DST, RC_DPORT, s + i, j - i, has_ports) < 0) {
		*why = "alert with an unparsable destination address";
		return LN_BAD;
	}

	/* Snort 3 quotes the message. */
	if (msg1 - msg0 >= 2 && s[msg0] == '"' && s[msg1 - 1] == '"') {
		msg0++;
		msg1--;
	}
	ev_setz(e, RC_KIND, "ids");
	ev_setz(e, RC_ACTION, act);
	ev_set(e, RC_SIG, s + msg0, msg1 - msg0);
	if (prio >= 0 && fast_sev(prio) != NULL)
		ev_setz(e, RC_SEV, fast_sev(prio));
	if (cls1 > cls0)
		ev_printf(e, RC_MSG, "%.*s %.*s", (int)(gsr1 - gsr0),
		    s + gsr0, (int)(cls1 - cls0), s + cls0);
	else
		ev_set(e, RC_MSG, s + gsr0, gsr1 - gsr0);
	return LN_OK;
}

int
ids_fastlog_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	int64_t ms;
	size_t k;
	int rc;

	(void)env;

	if (n < 20 || msg[2] != '/' || (k = fast_stamp(f, msg, n, &ms)) == 0)
		return LN_NO;
	rc = fast_body(msg + k, n - k, 1, e, why);
	if (rc == LN_OK)
		e->ts = ms;
	return rc;
}

/* The syslog form: the envelope gives time and sensor. */
int
ids_fastsys_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	(void)f;
	if (env == NULL || n < 8 || msg[0] != '[')
		return LN_NO;
	if (memmem_lit(msg, n, "] {") == NULL &&
	    memmem_lit(msg, n, "]: {") == NULL)
		return LN_NO;
	return fast_body(msg, n, 0, e, why);
}
