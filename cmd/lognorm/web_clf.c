/*
 * Apache/nginx access logs: the Common Log Format and what grew from it:
 *   client ident user [10/Oct/2000:13:55:36 -0700] "GET /x HTTP/1.0" 200 2326
 * combined adds "referer" "user-agent"; vhost_combined puts "vhost:port"
 * first; some sites log the vhost after the time, or more counters between
 * the size and the quoted strings (lighttpd, mod_logio); all are read here.
 */
#include <stddef.h>
#include <string.h>

#include "app.h"

/* clf_time: "dd/Mon/yyyy:HH:MM:SS[ +hhmm]" up to ']' (exclusive end e)
 * into ms UTC; without an offset the time is local (--tz).  -1 if not. */
static int
clf_time(const char *p, const char *e, int64_t *ms)
{
	struct tm_parts t;
	int off = 0, have_off = 0, sign;

	memset(&t, 0, sizeof(t));
	if (e - p < 19)
		return -1;
	if (p[1] == '/') {		/* "1/Apr/2014": a one-digit day */
		if (!c_isdigit((unsigned char)p[0]))
			return -1;
		t.day = p[0] - '0';
		p += 2;
	} else {
		if ((t.day = dig2(p)) < 0 || p[2] != '/')
			return -1;
		p += 3;
	}
	if (e - p < 17 || (t.mon = month3(p)) == 0 || p[3] != '/' ||
	    (t.year = dig4(p + 4)) < 0 || p[8] != ':' || hms(p + 9, &t) < 0)
		return -1;
	p += 17;
	t.msec = frac_ms(&p, e);
	while (p < e && *p == ' ')
		p++;
	if (p < e) {
		if (e - p != 5 || (*p != '+' && *p != '-'))
			return -1;
		sign = *p == '-' ? -1 : 1;
		if (dig2(p + 1) < 0 || dig2(p + 3) < 0)
			return -1;
		off = sign * (dig2(p + 1) * 60 + dig2(p + 3));
		have_off = 1;
	}
	if (!date_ok(t.year, t.mon, t.day))
		return -1;
	if (have_off)
		*ms = tm_make(&t) - (int64_t)off * 60000;
	else
		*ms = tm_from_local(&t);
	return 0;
}

/* quoted: the string starting after the opening quote at *pp; apache
 * escapes '"' as \" so a quote after an odd run of backslashes does not
 * end it.  An unterminated string runs to the end of the line (*closed 0). */
static struct span
quoted(const char **pp, const char *e, int *closed)
{
	const char *s = *pp, *q = s;
	size_t bs;

	*closed = 0;
	while ((q = memchr(q, '"', (size_t)(e - q))) != NULL) {
		const char *b = q;

		for (bs = 0; b > s && b[-1] == '\\'; b--)
			bs++;
		if (bs % 2 == 0) {
			*pp = q + 1;
			*closed = 1;
			return sp(s, (size_t)(q - s));
		}
		q++;
	}
	*pp = e;
	return sp(s, (size_t)(e - s));
}

/* request: "METHOD target[ HTTP/x.y]" to method and url; anything else
 * (TLS handshakes sent to a plain port, binary probes) is kept whole in
 * url with no method. */
static void
request(struct ev *ev, struct span r)
{
	const char *sp1, *sp2;
	size_t i;

	if (r.n == 0 || (r.n == 1 && r.p[0] == '-'))
		return;
	sp1 = memchr(r.p, ' ', r.n);
	if (sp1 != NULL && sp1 > r.p && sp1 - r.p <= 24) {
		for (i = 0; r.p + i < sp1; i++)
			if (!c_isupper((unsigned char)r.p[i]) && r.p[i] != '_' &&
			    r.p[i] != '-')
				break;
		if (r.p + i == sp1) {
			const char *e = r.p + r.n;
			struct span t;

			sp2 = NULL;
			for (const char *q = e; q > sp1 + 1; q--)
				if (q[-1] == ' ') {
					sp2 = q - 1;
					break;
				}
			if (sp2 != NULL && sp_prefix(sp(sp2 + 1,
			    (size_t)(e - sp2 - 1)), "HTTP/"))
				t = sp(sp1 + 1, (size_t)(sp2 - sp1 - 1));
			else
				t = sp(sp1 + 1, (size_t)(e - sp1 - 1));
			ev_set(ev, RC_METHOD, r.p, (size_t)(sp1 - r.p));
			if (t.n)
				ev_set(ev, RC_URL, t.p, t.n);
			return;
		}
	}
	ev_set(ev, RC_URL, r.p, r.n);
}

static int
clf_line(const char *msg, size_t n, struct ev *ev, const char **why)
{
	struct cur c;
	struct span w[4], vhost = { NULL, 0 }, client, user, req, status;
	struct span bytes, ref, ua;
	const char *lb, *rb;
	int nw = 0, closed;
	int64_t ms;

	cur_init(&c, msg, n);
	/* up to four words before the bracketed time */
	for (;;) {
		cur_skipsp(&c);
		if (c.p >= c.e)
			return LN_NO;
		if (*c.p == '[')
			break;
		if (nw == 4)
			return LN_NO;
		w[nw++] = cur_word(&c);
	}
	if (nw < 3)
		return LN_NO;
	lb = c.p;
	rb = memchr(lb, ']', (size_t)(c.e - lb));
	if (rb == NULL || clf_time(lb + 1, rb, &ms) < 0)
		return LN_NO;
	c.p = rb + 1;
	if (nw == 4 && sp_ipish(w[1]) && !sp_ipish(w[0])) {
		/* vhost_combined: "vhost:port client ident user" */
		const char *colon = memchr(w[0].p, ':', w[0].n);

		vhost = w[0];
		if (colon != NULL) {
			struct span port = sp(colon + 1,
			    (size_t)(w[0].p + w[0].n - colon - 1));

			vhost.n = (size_t)(colon - w[0].p);
			if (sp_port(port))
				ev_set(ev, RC_DPORT, port.p, port.n);
		}
		client = w[1];
	} else
		client = w[0];
	user = w[nw - 1];
	/* the line is a CLF line from here on: failures are rejects */
	cur_skipsp(&c);
	if (c.p < c.e && *c.p != '"') {
		vhost = cur_word(&c);	/* "%t %v \"%r\"" layouts */
		cur_skipsp(&c);
	}
	if (c.p >= c.e || *c.p != '"') {
		*why = "access log: no quoted request after the time";
		return LN_BAD;
	}
	c.p++;
	req = quoted(&c.p, c.e, &closed);
	if (!closed) {
		*why = "access log: request string not closed";
		return LN_BAD;
	}
	status = cur_word(&c);
	if (!(sp_digits(status, 3) && status.n == 3) && !sp_lit(status, "-")) {
		*why = "access log: status is not a number";
		return LN_BAD;
	}
	bytes = cur_word(&c);
	if (bytes.n && !sp_digits(bytes, 20) && !sp_lit(bytes, "-")) {
		*why = "access log: size is not a number";
		return LN_BAD;
	}
	/* referer and user agent: the next two quoted strings, if any */
	ref.n = ua.n = 0;
	while (c.p < c.e && *c.p != '"')
		c.p++;
	if (c.p < c.e) {
		c.p++;
		ref = quoted(&c.p, c.e, &closed);
		cur_skipsp(&c);
		if (closed && c.p < c.e && *c.p == '"') {
			c.p++;
			ua = quoted(&c.p, c.e, &closed);
		}
	}
	(void)ref;

	ev->ts = ms;
	ev_setz(ev, RC_KIND, "web");
	ev_set(ev, RC_SRC, client.p, client.n);
	ev_dash(ev, RC_USER, user);
	if (vhost.n)
		ev_dash(ev, RC_HOST, vhost);
	request(ev, req);
	ev_dash(ev, RC_STATUS, status);
	ev_dash(ev, RC_BYTES, bytes);
	ev_dash(ev, RC_MSG, ua);
	return LN_OK;
}

int
clf_parse(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	(void)f;
	(void)env;
	return clf_line(msg, n, ev, why);
}

/* clfsys_parse: the same lines sent through syslog (nginx's
 * access_log syslog:, apache piped to logger); only enveloped lines. */
int
clfsys_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	(void)f;
	if (env == NULL)
		return LN_NO;
	return clf_line(msg, n, ev, why);
}

/* secs_span: "0.227" (seconds with a fraction) as dur. */
static int
secs_span(struct ev *ev, struct span w)
{
	const char *d = memchr(w.p, '.', w.n), *p;
	struct span ip = sp(w.p, d ? (size_t)(d - w.p) : w.n);
	int ms;

	if (!sp_digits(ip, 9))
		return 0;
	p = d ? d : w.p + w.n;
	ms = frac_ms(&p, w.p + w.n);
	if (p != w.p + w.n)
		return 0;
	ev_secs(ev, RC_DUR, sp_uint(ip) * 1000 + ms);
	return 1;
}

/* bracket_field: the value of "[Name value]" in s, or empty. */
static struct span
bracket_field(struct span s, const char *name)
{
	const char *q = sp_find(s.p, s.n, name), *e = s.p + s.n, *b, *r;

	if (q == NULL || q == s.p || q[-1] != '[')
		return sp(s.p, 0);
	b = q + strlen(name);
	r = memchr(b, ']', (size_t)(e - b));
	return r ? sp(b, (size_t)(r - b)) : sp(s.p, 0);
}

/*
 * npm_parse: nginx access lines that begin with the bracketed time, as
 * Nginx Proxy Manager writes them:
 *   [time] CACHE UPSTREAM STATUS - METHOD SCHEME HOST "URI" [Client A] [Length N] ... "UA" "REF"
 *   [time] STATUS - METHOD SCHEME HOST "URI" [Client A] [Length N] ... "UA" "REF"
 * and the "vhost client request-time" layout
 *   [time] HOST CLIENT SECONDS "REQUEST" STATUS BYTES ...
 */
int
npm_parse(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	struct cur c;
	struct span w[8], q, status = { NULL, 0 }, v;
	const char *rb;
	int nw = 0, closed, i;
	int64_t ms;

	(void)f;
	(void)env;
	if (n < 30 || msg[0] != '[')
		return LN_NO;
	rb = memchr(msg, ']', n < 40 ? n : 40);
	if (rb == NULL || clf_time(msg + 1, rb, &ms) < 0)
		return LN_NO;
	cur_init(&c, rb + 1, (size_t)(msg + n - rb - 1));
	for (;;) {
		cur_skipsp(&c);
		if (c.p >= c.e || *c.p == '"')
			break;
		if (nw == 8)
			return LN_NO;
		w[nw++] = cur_word(&c);
	}
	if (c.p >= c.e)
		return LN_NO;
	c.p++;
	if (nw == 3 && sp_ipish(w[1])) {
		/* HOST CLIENT SECONDS "REQUEST" STATUS BYTES */
		q = quoted(&c.p, c.e, &closed);
		status = cur_word(&c);
		if (!closed || !sp_digits(status, 3))
			return LN_NO;
		ev->ts = ms;
		ev_setz(ev, RC_KIND, "web");
		if (!sp_lit(w[0], "_"))
			ev_dash(ev, RC_HOST, w[0]);
		ev_set(ev, RC_SRC, w[1].p, w[1].n);
		secs_span(ev, w[2]);
		request(ev, q);
		ev_set(ev, RC_STATUS, status.p, status.n);
		v = cur_word(&c);
		if (sp_digits(v, 20))
			ev_set(ev, RC_BYTES, v.p, v.n);
		return LN_OK;
	}
	if (nw < 4 || (!sp_lit(w[nw - 2], "http") &&
	    !sp_lit(w[nw - 2], "https")))
		return LN_NO;
	for (i = nw - 4; i >= 0; i--) {
		if (sp_lit(w[i], "-"))
			continue;
		if (w[i].n == 3 && sp_digits(w[i], 3))
			status = w[i];
		break;
	}
	q = quoted(&c.p, c.e, &closed);
	if (!closed) {
		*why = "nginx proxy manager: URI not closed";
		return LN_BAD;
	}
	ev->ts = ms;
	ev_setz(ev, RC_KIND, "web");
	ev_set(ev, RC_METHOD, w[nw - 3].p, w[nw - 3].n);
	ev_set(ev, RC_HOST, w[nw - 1].p, w[nw - 1].n);
	if (q.n)
		ev_set(ev, RC_URL, q.p, q.n);
	if (status.n)
		ev_set(ev, RC_STATUS, status.p, status.n);
	v = bracket_field(sp(c.p, cur_left(&c)), "Client ");
	if (v.n)
		ev_set(ev, RC_SRC, v.p, v.n);
	v = bracket_field(sp(c.p, cur_left(&c)), "Length ");
	if (sp_digits(v, 20))
		ev_set(ev, RC_BYTES, v.p, v.n);
	/* the user agent: the first quoted string after the brackets */
	while (c.p < c.e && *c.p != '"')
		c.p++;
	if (c.p < c.e) {
		c.p++;
		v = quoted(&c.p, c.e, &closed);
		ev_dash(ev, RC_MSG, v);
	}
	return LN_OK;
}
