/*
 * app: the parse entry points of the application-log families (web_*.c,
 * dns_*.c, mail_*.c, auth_*.c) for their format tables, and span scanning
 * they share.  Everything works on (pointer, length) spans that are not
 * NUL-terminated and never reads past their end; the helpers are static
 * inline so the hot paths make no calls.
 */
#ifndef LN_APP_H
#define LN_APP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lognorm.h"

/* Parsers: the ln_format.parse signature (lognorm.h). */
#define LN_PARSE_FN(name) int name(struct ln_file *, \
    const struct syslog_env *, const char *, size_t, struct ev *, \
    const char **)
LN_PARSE_FN(squid_parse);
LN_PARSE_FN(clf_parse);
LN_PARSE_FN(clfsys_parse);
LN_PARSE_FN(npm_parse);
LN_PARSE_FN(proxifier_parse);
LN_PARSE_FN(w3c_parse);
LN_PARSE_FN(bind_parse);
LN_PARSE_FN(dnsmasq_parse);
LN_PARSE_FN(unbound_parse);
LN_PARSE_FN(nsd_parse);
LN_PARSE_FN(postfix_parse);
LN_PARSE_FN(sendmail_parse);
LN_PARSE_FN(exim_parse);
LN_PARSE_FN(dovecot_parse);
LN_PARSE_FN(sshd_parse);
LN_PARSE_FN(dropbear_parse);
void w3c_fini(struct ln_file *);

/* State slots of ln_file.state[] owned by these families. */
enum { SLOT_W3C = 10 };

/* A cursor over one line: p moves towards e, never beyond. */
struct cur {
	const char	*p;
	const char	*e;
};

static inline int
c_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int
c_ishex(int c)
{
	return c_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline int
c_isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static inline int
c_isalpha(int c)
{
	return c_isupper(c) || (c >= 'a' && c <= 'z');
}

static inline void
cur_init(struct cur *c, const char *s, size_t n)
{
	c->p = s;
	c->e = s + n;
}

static inline size_t
cur_left(const struct cur *c)
{
	return (size_t)(c->e - c->p);
}

/* cur_skipsp: skip blanks (spaces and tabs); returns how many. */
static inline size_t
cur_skipsp(struct cur *c)
{
	const char *s = c->p;

	while (c->p < c->e && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
	return (size_t)(c->p - s);
}

/* cur_word: the next run of non-blank bytes (after blanks); empty at end. */
static inline struct span
cur_word(struct cur *c)
{
	struct span w;

	cur_skipsp(c);
	w.p = c->p;
	while (c->p < c->e && *c->p != ' ' && *c->p != '\t')
		c->p++;
	w.n = (size_t)(c->p - w.p);
	return w;
}

/* cur_sword: as cur_word for formats that separate fields by spaces only
 * (squid): memchr finds the end of long words (URLs) fast. */
static inline struct span
cur_sword(struct cur *c)
{
	struct span w;
	const char *q;

	while (c->p < c->e && *c->p == ' ')
		c->p++;
	w.p = c->p;
	q = memchr(c->p, ' ', (size_t)(c->e - c->p));
	c->p = q ? q : c->e;
	w.n = (size_t)(c->p - w.p);
	return w;
}

/* cur_lit: the cursor is at literal lit; consume it and return 1. */
static inline int
cur_lit(struct cur *c, const char *lit)
{
	size_t n = strlen(lit);

	if (cur_left(c) < n || memcmp(c->p, lit, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

static inline struct span
sp(const char *p, size_t n)
{
	struct span s = { p, n };

	return s;
}

static inline int
sp_lit(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static inline int
sp_prefix(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

/* sp_find: first occurrence of lit in s, or NULL (memchr on its first
 * byte, then compare). */
static inline const char *
sp_find(const char *s, size_t n, const char *lit)
{
	size_t ln = strlen(lit);
	const char *e = s + n, *q;

	if (ln == 0 || ln > n)
		return NULL;
	while ((q = memchr(s, lit[0], (size_t)(e - s) - ln + 1)) != NULL) {
		if (memcmp(q, lit, ln) == 0)
			return q;
		s = q + 1;
		if ((size_t)(e - s) < ln)
			break;
	}
	return NULL;
}

/* sp_digits: s is 1..maxlen decimal digits. */
static inline int
sp_digits(struct span s, size_t maxlen)
{
	size_t i;

	if (s.n == 0 || s.n > maxlen)
		return 0;
	for (i = 0; i < s.n; i++)
		if (!c_isdigit((unsigned char)s.p[i]))
			return 0;
	return 1;
}

/* sp_uint: value of a digit span (caller bounded its length). */
static inline long long
sp_uint(struct span s)
{
	long long v = 0;
	size_t i;

	for (i = 0; i < s.n; i++)
		v = v * 10 + (s.p[i] - '0');
	return v;
}

/* sp_port: s is a port number 0-65535. */
static inline int
sp_port(struct span s)
{
	return sp_digits(s, 5) && sp_uint(s) <= 65535;
}

/*
 * sp_ipish: s looks like an IPv4 or IPv6 address (only hex digits, dots
 * and colons, at least one dot or two colons).  A cheap pre-check; the
 * driver canonicalises and validates the text.
 */
static inline int
sp_ipish(struct span s)
{
	size_t i, dots = 0, colons = 0;

	if (s.n < 2 || s.n > 45)
		return 0;
	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c == '.')
			dots++;
		else if (c == ':')
			colons++;
		else if (!c_ishex(c))
			return 0;
	}
	if (colons == 0)
		return dots == 3 && c_isdigit((unsigned char)s.p[0]);
	return colons >= 2;
}

/* sp_strip: s without leading and trailing blanks. */
static inline struct span
sp_strip(struct span s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.n--;
	}
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
		s.n--;
	return s;
}

/* dig2/dig4: fixed-width decimal fields; -1 if not digits. */
static inline int
dig2(const char *p)
{
	if (!c_isdigit((unsigned char)p[0]) || !c_isdigit((unsigned char)p[1]))
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

static inline int
dig4(const char *p)
{
	int a = dig2(p), b = dig2(p + 2);

	return a < 0 || b < 0 ? -1 : a * 100 + b;
}

/* month3: "Jan".."Dec" (exact case as logged, or all lower/upper) to
 * 1..12, 0 if none; reads exactly three bytes. */
static inline int
month3(const char *p)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char l[3];
	int i;

	for (i = 0; i < 3; i++)
		l[i] = (char)(p[i] | 0x20);
	for (i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, l, 3) == 0)
			return i + 1;
	return 0;
}

/* hms: "HH:MM:SS" at p (8 bytes) into parts; -1 when out of range. */
static inline int
hms(const char *p, struct tm_parts *t)
{
	t->hour = dig2(p);
	t->min = dig2(p + 3);
	t->sec = dig2(p + 6);
	if (p[2] != ':' || p[5] != ':' || t->hour < 0 || t->hour > 23 ||
	    t->min < 0 || t->min > 59 || t->sec < 0 || t->sec > 60)
		return -1;
	return 0;
}

/* frac_ms: optional ".ddd..." at *pp (before e) into milliseconds; the
 * cursor moves past all fraction digits. */
static inline int
frac_ms(const char **pp, const char *e)
{
	const char *p = *pp;
	int ms = 0, k = 0;

	if (p < e && *p == '.') {
		p++;
		while (p < e && c_isdigit((unsigned char)*p)) {
			if (k < 3) {
				ms = ms * 10 + (*p - '0');
				k++;
			}
			p++;
		}
		while (k > 0 && k < 3) {
			ms *= 10;
			k++;
		}
	}
	*pp = p;
	return ms;
}

/* date_ok: a plausible calendar date (month length checked). */
static inline int
date_ok(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return 0;
	return 1;
}

/*
 * bracket_addr: in s, the first "[ADDR]" whose ADDR looks like an address
 * (postfix "host[192.0.2.1]", exim "[192.0.2.1]:25", sendmail "[...]");
 * *name gets the text before '[' back to the previous blank, *port the
 * digits after "]:" (empty when none).  Returns 1 when found.
 */
static inline int
bracket_addr(const char *s, size_t n, struct span *addr, struct span *name,
    struct span *port)
{
	const char *e = s + n, *p = s, *lb, *rb;

	while ((lb = memchr(p, '[', (size_t)(e - p))) != NULL) {
		rb = memchr(lb + 1, ']', (size_t)(e - lb - 1));
		if (rb == NULL)
			return 0;
		*addr = sp(lb + 1, (size_t)(rb - lb - 1));
		if (sp_ipish(*addr)) {
			const char *q = lb;

			while (q > s && q[-1] != ' ' && q[-1] != '\t' &&
			    q[-1] != '(' && q[-1] != ',' && q[-1] != '=')
				q--;
			*name = sp(q, (size_t)(lb - q));
			port->p = rb + 1;
			port->n = 0;
			if (rb + 1 < e && rb[1] == ':') {
				const char *d = rb + 2;

				while (d < e && c_isdigit((unsigned char)*d))
					d++;
				*port = sp(rb + 2, (size_t)(d - rb - 2));
				if (!sp_port(*port))
					port->n = 0;
			}
			return 1;
		}
		p = lb + 1;
	}
	return 0;
}

/* reply_code: the first three-digit SMTP reply code ("250 ", "554 ")
 * in s, for the status column. */
static inline int
reply_code(struct span s, struct span *code)
{
	size_t i;

	for (i = 0; i + 3 <= s.n; i++) {
		if (s.p[i] >= '2' && s.p[i] <= '5' &&
		    c_isdigit((unsigned char)s.p[i + 1]) &&
		    c_isdigit((unsigned char)s.p[i + 2]) &&
		    (i + 3 == s.n || s.p[i + 3] == ' ' || s.p[i + 3] == '-') &&
		    (i == 0 || s.p[i - 1] == ' ' || s.p[i - 1] == '(')) {
			*code = sp(s.p + i, 3);
			return 1;
		}
	}
	return 0;
}

/*
 * bare_tag: for a line without a usable envelope (journal exports, odd
 * stamps: "host prog[pid]: msg", "STAMP [prog] msg"), the message after
 * "tag[pid]: " or "[tag] " when that starts the line or follows a blank
 * within its first 96 bytes.  Returns 1 and sets *msg.
 */
static inline int
bare_tag(const char *s, size_t n, const char *tag, struct span *msg)
{
	size_t tl = strlen(tag), k;
	const char *p = s, *e = s + n, *lim = s + (n < 96 ? n : 96), *q;

	for (; p < lim; p++) {
		if (p != s && p[-1] != ' ')
			continue;
		if (*p == '[' && (size_t)(e - p) > tl + 2 &&
		    memcmp(p + 1, tag, tl) == 0 && p[tl + 1] == ']' &&
		    p[tl + 2] == ' ') {
			*msg = sp(p + tl + 3, (size_t)(e - p - tl - 3));
			return 1;
		}
		if ((size_t)(e - p) <= tl || memcmp(p, tag, tl) != 0)
			continue;
		q = p + tl;
		if (*q == '[') {
			for (k = 1; q + k < e && c_isdigit((unsigned char)q[k]);
			    k++)
				;
			if (q + k >= e || q[k] != ']')
				continue;
			q += k + 1;
		}
		if (e - q >= 2 && q[0] == ':' && q[1] == ' ') {
			*msg = sp(q + 2, (size_t)(e - q - 2));
			return 1;
		}
	}
	return 0;
}

/* ev_secs: set field col to ms as seconds with three decimals ("1.250"),
 * formatted by hand into the arena (printf is too slow per line). */
static inline void
ev_secs(struct ev *ev, int col, long long ms)
{
	char tmp[24], *out;
	int n = 0, i;
	unsigned long long s;

	if (ms < 0)
		return;
	s = (unsigned long long)ms / 1000;
	tmp[n++] = (char)('0' + ms % 10);
	tmp[n++] = (char)('0' + ms / 10 % 10);
	tmp[n++] = (char)('0' + ms / 100 % 10);
	tmp[n++] = '.';
	do {
		tmp[n++] = (char)('0' + s % 10);
		s /= 10;
	} while (s);
	out = ev_alloc(ev, (size_t)n);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	ev_set(ev, col, out, (size_t)n);
}

/* ev_dash: set field col to s unless s is empty or "-" (the usual "no
 * value" of access logs). */
static inline void
ev_dash(struct ev *ev, int col, struct span s)
{
	if (s.n == 0 || (s.n == 1 && s.p[0] == '-'))
		return;
	ev_set(ev, col, s.p, s.n);
}

#endif
