/*
 * asa: Cisco ASA, PIX, FWSM and FTD messages "%ASA-L-NNNNNN: text".
 * Every such message is a record (sig, sev and msg at least); the
 * connection messages operators count also give addresses, ports,
 * protocol, verdict and, for teardowns, duration and bytes.
 */
#include <string.h>

#include "ip.h"
#include "map.h"
#include "fw.h"

/* after: the token after the word w in t (w includes its spaces), or an
 * empty span. */
static struct span
after(struct span t, const char *w)
{
	struct span r = { NULL, 0 };
	const char *p = memmem_lit(t.p, t.n, w), *end = t.p + t.n;

	if (p == NULL)
		return r;
	p += strlen(w);
	while (p < end && *p == ' ')
		p++;
	r.p = p;
	while (p < end && *p != ' ')
		p++;
	r.n = (size_t)(p - r.p);
	return r;
}

/*
 * endpoint: "ifc:addr/port", "addr/port", "ifc:addr", "ifc/addr(port)"
 * into address and port spans.  Trailing punctuation and a glued
 * "(type" are cut first.
 */
static void
endpoint(struct span t, struct span *ip, struct span *port)
{
	struct ip_addr a;
	const char *p, *slash = NULL, *lp;
	size_t i;

	ip->n = port->n = 0;
	ip->p = port->p = t.p;
	while (t.n > 0 && strchr(",.;:", t.p[t.n - 1]) != NULL)
		t.n--;
	/* "ifc/addr(port)" of 106100 */
	if (t.n > 2 && t.p[t.n - 1] == ')' &&
	    (lp = memchr(t.p, '(', t.n)) != NULL) {
		port->p = lp + 1;
		port->n = (size_t)(t.p + t.n - 1 - port->p);
		t.n = (size_t)(lp - t.p);
		if ((p = memchr(t.p, '/', t.n)) != NULL) {
			t.n -= (size_t)(p + 1 - t.p);
			t.p = p + 1;
		}
		*ip = t;
		return;
	}
	if ((lp = memchr(t.p, '(', t.n)) != NULL)
		t.n = (size_t)(lp - t.p);
	for (i = t.n; i > 0; i--)
		if (t.p[i - 1] == '/') {
			slash = t.p + i - 1;
			break;
		}
	if (slash != NULL) {
		port->p = slash + 1;
		port->n = (size_t)(t.p + t.n - port->p);
		t.n = (size_t)(slash - t.p);
	}
	/* drop an interface name: try the span, then after each colon;
	 * only the last IP_STRLEN bytes can hold an address, which keeps
	 * a hostile token of colons linear */
	for (p = t.n > IP_STRLEN ? t.p + t.n - IP_STRLEN : t.p;
	    p < t.p + t.n; p++) {
		struct span s = { p, (size_t)(t.p + t.n - p) };

		if (p == t.p || p[-1] == ':') {
			if (ip_parse(s.p, s.n, &a) == 0) {
				*ip = s;
				return;
			}
		}
	}
	*ip = t;	/* a name: the driver leaves the column empty */
}

static void
pair(struct ev *ev, struct span a, struct span b)
{
	struct span ip, port;

	if (a.n > 0) {
		endpoint(a, &ip, &port);
		ev_sets(ev, RC_SRC, ip);
		fw_port(ev, RC_SPORT, port);
	}
	if (b.n > 0) {
		endpoint(b, &ip, &port);
		ev_sets(ev, RC_DST, ip);
		fw_port(ev, RC_DPORT, port);
	}
}

/* proto_word: the first protocol word of the text (or "protocol N"). */
static void
proto_word(struct ev *ev, struct span t)
{
	static const char *const names[] = { "tcp", "udp", "icmp", "gre",
	    "esp", "sctp", "icmp6", NULL };
	const char *p = t.p, *end = t.p + t.n;
	struct span w;
	int i, k = 0;

	while (p < end && k++ < 12) {
		while (p < end && *p == ' ')
			p++;
		w.p = p;
		while (p < end && *p != ' ')
			p++;
		w.n = (size_t)(p - w.p);
		if (span_ieq(w, "protocol")) {
			struct span num = after((struct span){ p, (size_t)(end -
			    p) }, "");
			long long v;

			if (span_num(num, &v))
				fw_proto(ev, num);
			return;
		}
		for (i = 0; names[i] != NULL; i++)
			if (span_ieq(w, names[i])) {
				fw_proto(ev, w);
				return;
			}
	}
}

/* hms: "h:mm:ss" (hours unbounded) to seconds into RC_DUR. */
static void
hms(struct ev *ev, struct span s)
{
	long long t = 0, v = 0;
	size_t i;
	int any = 0;

	while (s.n > 0 && s.p[s.n - 1] == '.')
		s.n--;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] >= '0' && s.p[i] <= '9') {
			v = v * 10 + (s.p[i] - '0');
			any = 1;
			if (v > 1000000000)
				return;
		} else if (s.p[i] == ':') {
			t = t * 60 + v;
			v = 0;
		} else
			return;
	}
	if (any)
		ev_printf(ev, RC_DUR, "%lld", t * 60 + v);
}

static void
user(struct ev *ev, struct span t)
{
	const char *p, *q, *end = t.p + t.n;

	if ((p = memmem_lit(t.p, t.n, "user \"")) != NULL ||
	    (p = memmem_lit(t.p, t.n, "User '")) != NULL ||
	    (p = memmem_lit(t.p, t.n, "user '")) != NULL) {
		char c = p[5];

		p += 6;
		if ((q = memchr(p, c, (size_t)(end - p))) != NULL && q > p)
			ev_set(ev, RC_USER, p, (size_t)(q - p));
		return;
	}
	if ((p = memmem_lit(t.p, t.n, "Uname: ")) != NULL) {
		p += 7;
		for (q = p; q < end && *q != ' '; q++)
			;
		if (q > p)
			ev_set(ev, RC_USER, p, (size_t)(q - p));
	}
}

/*
 * Connection direction, from Built to Teardown: the per-file state maps
 * a connection id to 1 (outbound) or 2 (inbound).  Bounded: past a
 * million open connections the table starts over (teardowns of the
 * forgotten ones keep the written order).
 */
#define ASA_SLOT 0
#define ASA_MAX_CONN (1u << 20)

static void
remember(struct ln_file *f, struct span id, int outbound)
{
	struct map *m = f->state[ASA_SLOT];
	long long v;
	unsigned char *dir;

	if (!span_num(id, &v))
		return;
	if (m == NULL)
		m = f->state[ASA_SLOT] = map_new(1);
	if (map_count(m) >= ASA_MAX_CONN)
		map_clear(m);
	dir = map_put(m, id.p, id.n, NULL);
	*dir = outbound ? 1 : 2;
}

/* recall: 1 outbound, 2 inbound, 0 unknown; forgets the connection. */
static int
recall(struct ln_file *f, struct span id)
{
	struct map *m = f->state[ASA_SLOT];
	unsigned char *dir;
	int r;

	if (m == NULL || id.n == 0 ||
	    (dir = map_get(m, id.p, id.n)) == NULL)
		return 0;
	r = *dir;
	map_del(m, id.p, id.n);
	return r;
}

void
fw_asa_fini(struct ln_file *f)
{
	map_free(f->state[ASA_SLOT]);
	f->state[ASA_SLOT] = NULL;
}

static int
starts(struct span t, const char *w)
{
	return span_starts(t, w);
}

int
fw_asa(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	const char *p = msg, *end = msg + n, *vend, *idp;
	struct span t, a, b, vendor, id;
	long long num;
	int level, out;

	(void)env;
	(void)why;

	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '%')
		p++;
	vendor.p = p;
	while (p < end && *p >= 'A' && *p <= 'Z')
		p++;
	vend = p;
	vendor.n = (size_t)(vend - vendor.p);
	if (!(span_eq(vendor, "ASA") || span_eq(vendor, "PIX") ||
	    span_eq(vendor, "FTD") || span_eq(vendor, "FWSM")))
		return LN_NO;
	if (end - p < 5 || p[0] != '-' || p[1] < '0' || p[1] > '7' ||
	    p[2] != '-')
		return LN_NO;
	level = p[1] - '0';
	idp = p += 3;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	id.p = idp;
	id.n = (size_t)(p - idp);
	if (id.n < 5 || id.n > 6 || (p < end && *p != ':' && *p != ' '))
		return LN_NO;
	if (p < end && *p == ':')
		p++;
	while (p < end && *p == ' ')
		p++;
	t.p = p;
	t.n = (size_t)(end - p);

	ev_setz(ev, RC_KIND, "fw");
	ev_printf(ev, RC_SIG, "%.*s-%.*s", (int)vendor.n, vendor.p,
	    (int)id.n, id.p);
	fw_sev_level(ev, level);
	ev_sets(ev, RC_MSG, t);
	span_num(id, &num);

	switch (num) {
	case 302013: case 302015: case 302017: case 302020:
		/* Built {inbound|outbound} P connection N for A (..) to B (..):
		 * outbound means B (the inside, local side) opened it. */
		ev_setz(ev, RC_ACTION, "allow");
		proto_word(ev, t);
		a = after(t, " for ");
		b = after(t, " to ");
		out = memmem_lit(t.p, t.n, "outbound") != NULL;
		remember(f, after(t, " connection "), out);
		if (out)
			pair(ev, b, a);
		else
			pair(ev, a, b);
		if (num == 302020) {
			/* "for faddr A/p gaddr G/p laddr L/p" */
			a = after(t, "faddr ");
			b = after(t, "laddr ");
			if (memmem_lit(t.p, t.n, "outbound") != NULL)
				pair(ev, b, a);
			else
				pair(ev, a, b);
		}
		return LN_OK;
	case 302014: case 302016: case 302018: case 302021:
		/* Teardown P connection N for A to B duration h:mm:ss bytes
		 * N: the end of a connection already logged as Built. */
		ev_setz(ev, RC_ACTION, "close");
		proto_word(ev, t);
		a = after(t, " for ");
		if (a.n == 0 || memmem_lit(t.p, t.n, " from ") != NULL)
			a = after(t, " from ");
		if (memmem_lit(t.p, t.n, "faddr ") != NULL) {
			a = after(t, "faddr ");
			b = after(t, "laddr ");
		} else
			b = after(t, " to ");
		/* the same order as the Built message: swap when that said
		 * outbound, so src is the side that opened the connection */
		if (recall(f, after(t, " connection ")) == 1)
			pair(ev, b, a);
		else
			pair(ev, a, b);
		hms(ev, after(t, " duration "));
		b = after(t, " bytes ");
		if (span_num(b, &num))
			ev_sets(ev, RC_BYTES, b);
		return LN_OK;
	case 106100: {
		/* access-list ACL {permitted|denied|est-allowed} P
		 * ifc/addr(port) [(user)] -> ifc/addr(port) hit-cnt N */
		struct span w[6];
		const char *q = t.p;
		int k;

		for (k = 0; k < 6; k++) {
			while (q < end && *q == ' ')
				q++;
			w[k].p = q;
			while (q < end && *q != ' ')
				q++;
			w[k].n = (size_t)(q - w[k].p);
		}
		if (span_eq(w[0], "access-list")) {
			fw_action(ev, w[2]);
			fw_proto(ev, w[3]);
			pair(ev, w[4], after(t, "-> "));
		}
		return LN_OK;
	}
	case 305011:
		/* Built {dynamic|static} P translation from A to B */
		ev_setz(ev, RC_ACTION, "nat");
		proto_word(ev, t);
		pair(ev, after(t, " from "), after(t, " to "));
		return LN_OK;
	case 733100:
		/* [ object] drop rate-N exceeded ...: threat detection */
		ev_setz(ev, RC_KIND, "ids");
		ev_setz(ev, RC_ACTION, "alert");
		if (t.n > 2 && t.p[0] == '[') {
			const char *rb = memchr(t.p, ']', t.n);
			struct ip_addr ad;

			if (rb != NULL && ip_parse(t.p + 1, (size_t)(rb - t.p -
			    1), &ad) == 0)
				ev_set(ev, RC_SRC, t.p + 1, (size_t)(rb - t.p -
				    1));
		}
		return LN_OK;
	case 710001: case 710002:
		ev_setz(ev, RC_ACTION, "allow");
		break;
	case 710003:
		ev_setz(ev, RC_ACTION, "deny");
		break;
	case 710005:
		ev_setz(ev, RC_ACTION, "drop");
		break;
	default:
		if (num >= 400000 && num <= 400999) {
			/* the built-in IDS signatures */
			ev_setz(ev, RC_KIND, "ids");
			ev_setz(ev, RC_ACTION, "alert");
		} else if (starts(t, "Deny") || starts(t, "Denied") ||
		    memmem_lit(t.p, t.n, " denied ") != NULL)
			ev_setz(ev, RC_ACTION, "deny");
		else if (starts(t, "Drop") || starts(t, "Discard") ||
		    memmem_lit(t.p, t.n, "requested to drop") != NULL)
			ev_setz(ev, RC_ACTION, "drop");
		break;
	}
	/* The common shapes: "from A to B" and "src A dst B". */
	proto_word(ev, t);
	if ((a = after(t, " src ")).n > 0 || starts(t, "src "))
		pair(ev, starts(t, "src ") ? after(t, "src ") : a,
		    after(t, " dst "));
	else if ((a = after(t, " from ")).n > 0)
		pair(ev, a, after(t, " to "));
	user(ev, t);
	return LN_OK;
}
