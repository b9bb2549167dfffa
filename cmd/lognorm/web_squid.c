/*
 * Squid native access.log:
 *   time elapsed client code/status bytes method URL user hier/peer type
 * and the extended variant some sites configure (client port after the
 * client, extra byte counters before the method, the HTTP version after
 * the URL, the server port after the peer).  The line carries its own
 * epoch stamp, so it arrives without a syslog envelope.
 */
#include <stddef.h>
#include <string.h>

#include "app.h"

/* url_host: host and port of an absolute URL, or of CONNECT's
 * "host:port" authority (brackets around an IPv6 literal removed). */
static void
url_host(struct span u, int authority, struct span *host, struct span *port,
    int *defport)
{
	const char *p = u.p, *e = u.p + u.n, *q, *h;

	host->n = port->n = 0;
	*defport = 0;
	if (!authority) {
		q = sp_find(p, u.n, "://");
		if (q == NULL)
			return;
		if (q - p == 4 && memcmp(p, "http", 4) == 0)
			*defport = 80;
		else if (q - p == 5 && memcmp(p, "https", 5) == 0)
			*defport = 443;
		else if (q - p == 3 && memcmp(p, "ftp", 3) == 0)
			*defport = 21;
		p = q + 3;
		for (q = p; q < e && *q != '/' && *q != '?' && *q != '#'; q++)
			;
		e = q;
		/* userinfo@ is not part of the host */
		if ((q = memchr(p, '@', (size_t)(e - p))) != NULL)
			p = q + 1;
	}
	if (p < e && *p == '[') {
		q = memchr(p, ']', (size_t)(e - p));
		if (q == NULL)
			return;
		*host = sp(p + 1, (size_t)(q - p - 1));
		if (q + 1 < e && q[1] == ':')
			*port = sp(q + 2, (size_t)(e - q - 2));
	} else {
		h = p;
		q = memchr(p, ':', (size_t)(e - p));
		/* an unbracketed IPv6 authority: the port is after the last
		 * colon */
		if (authority && q != NULL && memchr(q + 1, ':',
		    (size_t)(e - q - 1)) != NULL) {
			for (q = e; q[-1] != ':'; q--)
				;
			q--;
		}
		*host = sp(h, (size_t)((q ? q : e) - h));
		if (q != NULL)
			*port = sp(q + 1, (size_t)(e - q - 1));
	}
	if (port->n && !sp_port(*port))
		port->n = 0;
}

/* is_method: an HTTP method word: upper-case letters, '_' or '-'. */
static int
is_method(struct span w)
{
	size_t i;

	if (w.n < 3 || w.n > 24)
		return 0;
	for (i = 0; i < w.n; i++)
		if (!c_isupper((unsigned char)w.p[i]) && w.p[i] != '_' &&
		    w.p[i] != '-')
			return 0;
	return 1;
}

int
squid_parse(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	struct cur c;
	struct span w, el, client, code, status, meth, url, user, hier, peer;
	struct span host, port, sport = { NULL, 0 };
	const char *p, *slash;
	long long sec;
	int ms, defport, ext = 0;
	char *m;

	(void)f;
	(void)env;
	cur_init(&c, msg, n);
	/* time: epoch seconds with a fraction: the cheap test for squid */
	w = cur_sword(&c);
	if (w.n < 3 || w.n > 20 || !c_isdigit((unsigned char)w.p[0]))
		return LN_NO;
	p = memchr(w.p, '.', w.n);
	if (p == NULL || !sp_digits(sp(w.p, (size_t)(p - w.p)), 12))
		return LN_NO;
	sec = sp_uint(sp(w.p, (size_t)(p - w.p)));
	{
		const char *fp = p;

		ms = frac_ms(&fp, w.p + w.n);
		if (fp != w.p + w.n)
			return LN_NO;
	}
	el = cur_sword(&c);
	if (!sp_digits(el, 12))
		return LN_NO;
	client = cur_sword(&c);
	if (client.n == 0)
		return LN_NO;
	code = cur_sword(&c);
	if (sp_port(code)) {
		sport = code;
		code = cur_sword(&c);
		ext = 1;
	}
	slash = memchr(code.p, '/', code.n);
	if (slash == NULL)
		return LN_NO;
	/* from here on the line is squid's: failures are rejects */
	status = sp(slash + 1, (size_t)(code.p + code.n - slash - 1));
	code.n = (size_t)(slash - code.p);
	if (!sp_digits(status, 3) || code.n == 0) {
		*why = "squid: result code is not CODE/STATUS";
		return LN_BAD;
	}
	w = cur_sword(&c);
	if (!sp_digits(w, 20)) {
		*why = "squid: size is not a number";
		return LN_BAD;
	}
	ev_set(ev, RC_BYTES, w.p, w.n);
	/* extended formats put more counters before the method */
	meth = cur_sword(&c);
	while (meth.n && (sp_digits(meth, 20) || sp_lit(meth, "-"))) {
		struct cur look = c;
		struct span nx = cur_sword(&look);

		if (sp_lit(meth, "-") && !is_method(nx))
			break;
		meth = cur_sword(&c);
	}
	url = cur_sword(&c);
	if (meth.n == 0 || url.n == 0) {
		*why = "squid: line ends before the URL";
		return LN_BAD;
	}
	user = cur_sword(&c);
	/* an HTTP version ("1.1") after the URL, when hier/peer follows */
	if (user.n == 3 && c_isdigit((unsigned char)user.p[0]) &&
	    user.p[1] == '.' && c_isdigit((unsigned char)user.p[2])) {
		struct cur look = c;

		cur_sword(&look);
		w = cur_sword(&look);
		if (memchr(w.p, '/', w.n) != NULL) {
			user = cur_sword(&c);
			ext = 1;
		}
	}
	hier = cur_sword(&c);
	slash = memchr(hier.p, '/', hier.n);
	if (slash == NULL) {
		*why = "squid: no hierarchy code/peer";
		return LN_BAD;
	}
	peer = sp(slash + 1, (size_t)(hier.p + hier.n - slash - 1));
	hier.n = (size_t)(slash - hier.p);
	w = cur_sword(&c);
	if (ext && (sp_port(w) || sp_lit(w, "-"))) {
		/* the extended format logs the server port before the type */
		if (sp_port(w) && sp_ipish(peer))
			ev_set(ev, RC_DPORT, w.p, w.n);
		w = cur_sword(&c);
	}
	ev_dash(ev, RC_MIME, w);

	ev->ts = (sec * 1000 + ms);
	ev_setz(ev, RC_KIND, "proxy");
	/* NONE codes mean no transaction took place: no verdict */
	if (sp_find(code.p, code.n, "DENIED") != NULL)
		ev_setz(ev, RC_ACTION, "deny");
	else if (sp_prefix(code, "TCP_") || sp_prefix(code, "UDP_"))
		ev_setz(ev, RC_ACTION, "allow");
	/*
	 * Squid speaks HTTP, HTTPS, FTP and CONNECT tunnels over TCP, to the
	 * client and to the server alike; only ICP (UDP_ result codes) is
	 * UDP.  Saying so lets port checks see 80/tcp and 443/tcp.
	 */
	ev_setz(ev, RC_PROTO, sp_prefix(code, "UDP_") ? "udp" : "tcp");
	ev_set(ev, RC_SRC, client.p, client.n);
	if (sport.n)
		ev_set(ev, RC_SPORT, sport.p, sport.n);
	if (sp_ipish(peer))
		ev_set(ev, RC_DST, peer.p, peer.n);
	ev_dash(ev, RC_USER, user);
	ev_dash(ev, RC_METHOD, meth);
	ev_set(ev, RC_STATUS, status.p, status.n);
	ev_secs(ev, RC_DUR, sp_uint(el));
	if (sp_lit(meth, "CONNECT")) {
		url_host(url, 1, &host, &port, &defport);
		if (host.n == 0)
			ev_set(ev, RC_URL, url.p, url.n);
	} else {
		ev_set(ev, RC_URL, url.p, url.n);
		url_host(url, 0, &host, &port, &defport);
	}
	if (host.n)
		ev_set(ev, RC_HOST, host.p, host.n);
	if (!ev_has(ev, RC_DPORT)) {
		if (port.n)
			ev_set(ev, RC_DPORT, port.p, port.n);
		else if (defport == 80)
			ev_setz(ev, RC_DPORT, "80");
		else if (defport == 443)
			ev_setz(ev, RC_DPORT, "443");
		else if (defport == 21)
			ev_setz(ev, RC_DPORT, "21");
	}
	/* msg keeps squid's cache result and hierarchy codes */
	m = ev_alloc(ev, code.n + 1 + hier.n);
	memcpy(m, code.p, code.n);
	m[code.n] = ' ';
	memcpy(m + code.n + 1, hier.p, hier.n);
	ev_set(ev, RC_MSG, m, code.n + 1 + hier.n);
	return LN_OK;
}
