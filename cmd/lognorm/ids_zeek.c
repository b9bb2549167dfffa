/*
 * Zeek logs: TSV (the #separator/#fields/#types header, kept per input
 * file in state slot SLOT_ZEEK, replaced whenever a new header starts) and
 * JSON (one object per line, ts as epoch seconds or ISO 8601).
 *
 * Every log path becomes records: the connection 4-tuple and time always;
 * conn, dns, http, files, ssl and notice logs map more columns (lognorm.1).
 * Each column of a header is turned into a code once, so a data line costs
 * one pass over its fields.
 */
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "ip.h"
#include "tm.h"
#include "util.h"

enum zc {
	ZC_NONE, ZC_TS, ZC_SRC, ZC_SPORT, ZC_DST, ZC_DPORT, ZC_PROTO,
	ZC_DUR, ZC_OBYTES, ZC_RBYTES, ZC_STATE, ZC_HOST, ZC_URL, ZC_METHOD,
	ZC_STATUS, ZC_BYTES, ZC_QTYPE, ZC_MIME, ZC_SETMIME, ZC_FILE, ZC_TX,
	ZC_RX, ZC_SOURCE, ZC_SIG, ZC_MSG, ZC_USER, ZC_DETAIL, ZC_SADDR,
	ZC_DADDR
};

/* What a log path is, for kind and msg. */
enum zpath { ZP_OTHER, ZP_CONN, ZP_DNS, ZP_HTTP, ZP_FILES, ZP_SSL,
	ZP_NOTICE };

struct zeek_hdr {
	char		 sep;
	char		 setsep;
	char		*path;		/* from #path, or NULL */
	int		 ncol;
	unsigned char	*code;		/* ncol codes from #fields */
};

/* Values collected from one line before kind/action are decided. */
struct zeek_acc {
	long long	 obytes, rbytes;
	struct span	 state, source, detail, path;
	int		 has_src;
};

static enum zpath
zeek_path(const char *p, size_t n)
{
	struct span s = { p, n };

	if (span_eq(s, "conn"))
		return ZP_CONN;
	if (span_eq(s, "dns"))
		return ZP_DNS;
	if (span_eq(s, "http"))
		return ZP_HTTP;
	if (span_eq(s, "files"))
		return ZP_FILES;
	if (span_eq(s, "ssl"))
		return ZP_SSL;
	if (span_eq(s, "notice"))
		return ZP_NOTICE;
	return ZP_OTHER;
}

/* zeek_code: the code of column name in a log of kind zp. */
static enum zc
zeek_code(enum zpath zp, const char *path, size_t pathlen, const char *nm,
    size_t n)
{
	struct span s = { nm, n }, p = { path, pathlen };

	if (span_eq(s, "ts"))
		return ZC_TS;
	if (span_eq(s, "id.orig_h"))
		return ZC_SRC;
	if (span_eq(s, "id.orig_p"))
		return ZC_SPORT;
	if (span_eq(s, "id.resp_h"))
		return ZC_DST;
	if (span_eq(s, "id.resp_p"))
		return ZC_DPORT;
	if (span_eq(s, "proto"))
		return ZC_PROTO;
	if (span_eq(s, "user") || span_eq(s, "username"))
		return ZC_USER;
	switch (zp) {
	case ZP_CONN:
		if (span_eq(s, "duration"))
			return ZC_DUR;
		if (span_eq(s, "orig_bytes"))
			return ZC_OBYTES;
		if (span_eq(s, "resp_bytes"))
			return ZC_RBYTES;
		if (span_eq(s, "conn_state"))
			return ZC_STATE;
		if (span_eq(s, "service"))
			return ZC_DETAIL;
		break;
	case ZP_DNS:
		if (span_eq(s, "query"))
			return ZC_HOST;
		if (span_eq(s, "qtype_name"))
			return ZC_QTYPE;
		if (span_eq(s, "rcode_name"))
			return ZC_STATUS;
		if (span_eq(s, "answers"))
			return ZC_MSG;
		break;
	case ZP_HTTP:
		if (span_eq(s, "host"))
			return ZC_HOST;
		if (span_eq(s, "uri"))
			return ZC_URL;
		if (span_eq(s, "method"))
			return ZC_METHOD;
		if (span_eq(s, "status_code"))
			return ZC_STATUS;
		if (span_eq(s, "response_body_len"))
			return ZC_BYTES;
		if (span_eq(s, "resp_mime_types"))
			return ZC_SETMIME;
		if (span_eq(s, "user_agent"))
			return ZC_MSG;
		break;
	case ZP_FILES:
		if (span_eq(s, "mime_type"))
			return ZC_MIME;
		if (span_eq(s, "filename"))
			return ZC_FILE;
		if (span_eq(s, "tx_hosts"))
			return ZC_TX;
		if (span_eq(s, "rx_hosts"))
			return ZC_RX;
		if (span_eq(s, "seen_bytes"))
			return ZC_BYTES;
		if (span_eq(s, "source"))
			return ZC_SOURCE;
		if (span_eq(s, "duration"))
			return ZC_DUR;
		break;
	case ZP_SSL:
		if (span_eq(s, "server_name"))
			return ZC_HOST;
		if (span_eq(s, "version"))
			return ZC_DETAIL;
		break;
	case ZP_NOTICE:
		if (span_eq(s, "note"))
			return ZC_SIG;
		if (span_eq(s, "msg"))
			return ZC_MSG;
		if (span_eq(s, "src"))
			return ZC_SADDR;
		if (span_eq(s, "dst"))
			return ZC_DADDR;
		if (span_eq(s, "p"))
			return ZC_DPORT;
		break;
	default:
		if (span_eq(p, "weird") && span_eq(s, "name"))
			return ZC_DETAIL;
		if (span_eq(p, "smb_files") && span_eq(s, "name"))
			return ZC_FILE;
		if (span_eq(p, "smb_files") && span_eq(s, "action"))
			return ZC_DETAIL;
		if (span_eq(p, "smb_mapping") && span_eq(s, "path"))
			return ZC_FILE;
		if (span_eq(p, "ftp") && span_eq(s, "command"))
			return ZC_DETAIL;
		if (span_eq(p, "kerberos") && span_eq(s, "client"))
			return ZC_USER;
		if (span_eq(p, "software") && span_eq(s, "host"))
			return ZC_SADDR;
		if (span_eq(p, "software") && span_eq(s, "name"))
			return ZC_DETAIL;
		if (span_eq(p, "dce_rpc") && span_eq(s, "operation"))
			return ZC_DETAIL;
		break;
	}
	return ZC_NONE;
}

/* epoch_ms: "1268758221.268121" (seconds, optional fraction). */
static int
epoch_ms(const char *s, size_t n, int64_t *ms)
{
	int64_t sec = 0;
	size_t i = 0;
	int frac = 0, scale = 100;

	if (n == 0 || n > 40)
		return -1;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (sec > 253402300799LL)
			return -1;
		sec = sec * 10 + (s[i++] - '0');
	}
	if (i == 0)
		return -1;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			frac += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (i != n || sec > 253402300799LL)
		return -1;
	*ms = sec * 1000 + frac;
	return 0;
}

/* first_item: the first element of a set value. */
static size_t
first_item(const char *s, size_t n, char setsep)
{
	const char *c = memchr(s, setsep, n);

	return c == NULL ? n : (size_t)(c - s);
}

static void
set_ip(struct ev *e, int col, const char *s, size_t n)
{
	char buf[IP_STRLEN];
	size_t len;

	if ((len = ip_canon(s, n, buf)) != 0)
		ev_copy(e, col, buf, len);
}

/* zeek_apply: one column value (raw text; unset values never get here). */
static void
zeek_apply(struct ev *e, struct zeek_acc *a, enum zc c, const char *s,
    size_t n, char setsep)
{
	int64_t ms;
	long long v;

	switch (c) {
	case ZC_TS:
		if (epoch_ms(s, n, &ms) == 0 || tm_parse(s, n, 0, &ms) == 0)
			e->ts = ms;
		break;
	case ZC_SRC:
		set_ip(e, RC_SRC, s, n);
		a->has_src = 1;
		break;
	case ZC_DST:
		set_ip(e, RC_DST, s, n);
		break;
	case ZC_SADDR:
		if (!ev_has(e, RC_SRC))
			set_ip(e, RC_SRC, s, n);
		break;
	case ZC_DADDR:
		if (!ev_has(e, RC_DST))
			set_ip(e, RC_DST, s, n);
		break;
	case ZC_SPORT:
		ev_copy(e, RC_SPORT, s, n);
		break;
	case ZC_DPORT:
		ev_copy(e, RC_DPORT, s, n);
		break;
	case ZC_PROTO:
		ev_lower(e, RC_PROTO, s, n);
		break;
	case ZC_DUR:
		if (epoch_ms(s, n, &ms) == 0)
			ev_dur_ms(e, RC_DUR, ms);
		break;
	case ZC_OBYTES:
		if (parse_num_span(s, n, 0, INT64_MAX / 2, &v) == 0)
			a->obytes = v;
		break;
	case ZC_RBYTES:
		if (parse_num_span(s, n, 0, INT64_MAX / 2, &v) == 0)
			a->rbytes = v;
		break;
	case ZC_STATE:
		a->state.p = ev_alloc(e, n);
		memcpy((char *)a->state.p, s, n);
		a->state.n = n;
		break;
	case ZC_SOURCE:
		a->source.p = ev_alloc(e, n);
		memcpy((char *)a->source.p, s, n);
		a->source.n = n;
		break;
	case ZC_DETAIL:
		a->detail.p = ev_alloc(e, n);
		memcpy((char *)a->detail.p, s, n);
		a->detail.n = n;
		break;
	case ZC_HOST:
		ev_copy(e, RC_HOST, s, n);
		break;
	case ZC_URL:
		ev_copy(e, RC_URL, s, n);
		break;
	case ZC_METHOD:
		ev_copy(e, RC_METHOD, s, n);
		break;
	case ZC_STATUS:
		ev_copy(e, RC_STATUS, s, n);
		break;
	case ZC_BYTES:
		ev_copy(e, RC_BYTES, s, n);
		break;
	case ZC_QTYPE:
		ev_copy(e, RC_QTYPE, s, n);
		break;
	case ZC_MIME:
		ev_copy(e, RC_MIME, s, n);
		break;
	case ZC_SETMIME:
		ev_copy(e, RC_MIME, s, first_item(s, n, setsep));
		break;
	case ZC_FILE:
		ev_copy(e, RC_FILE, s, n);
		break;
	case ZC_TX:
		set_ip(e, RC_SRC, s, first_item(s, n, setsep));
		break;
	case ZC_RX:
		set_ip(e, RC_DST, s, first_item(s, n, setsep));
		break;
	case ZC_SIG:
		ev_copy(e, RC_SIG, s, n);
		break;
	case ZC_MSG:
		ev_copy(e, RC_MSG, s, n);
		break;
	case ZC_USER:
		ev_copy(e, RC_USER, s, n);
		break;
	case ZC_NONE:
		break;
	}
}

/* zeek_finish: kind, action and msg from what the line held. */
static void
zeek_finish(struct ev *e, struct zeek_acc *a, enum zpath zp)
{
	struct span st = a->state;

	switch (zp) {
	case ZP_CONN:
		ev_setz(e, RC_KIND, "flow");
		if (a->obytes >= 0 || a->rbytes >= 0)
			ev_printf(e, RC_BYTES, "%lld",
			    (a->obytes > 0 ? a->obytes : 0) +
			    (a->rbytes > 0 ? a->rbytes : 0));
		/* conn_state as an action hint: REJ was refused, S0 never
		 * answered; states with a completed handshake passed. */
		if (span_eq(st, "REJ"))
			ev_setz(e, RC_ACTION, "reject");
		else if (span_eq(st, "S0"))
			ev_setz(e, RC_ACTION, "drop");
		else if (span_eq(st, "SF") || span_eq(st, "S1") ||
		    span_eq(st, "S2") || span_eq(st, "S3") ||
		    span_eq(st, "RSTO") || span_eq(st, "RSTR"))
			ev_setz(e, RC_ACTION, "allow");
		ev_printf(e, RC_MSG, "conn %.*s%s%.*s", (int)st.n, st.p,
		    a->detail.n ? " " : "", (int)a->detail.n, a->detail.p);
		return;
	case ZP_DNS:
		ev_setz(e, RC_KIND, "dns");
		return;
	case ZP_HTTP:
		ev_setz(e, RC_KIND, "proxy");
		return;
	case ZP_FILES:
		ev_setz(e, RC_KIND, span_eq(a->source, "HTTP") ? "proxy" :
		    "net");
		ev_printf(e, RC_MSG, "files %.*s", (int)a->source.n,
		    a->source.p);
		return;
	case ZP_SSL:
		ev_setz(e, RC_KIND, "proxy");
		ev_printf(e, RC_MSG, "ssl%s%.*s", a->detail.n ? " " : "",
		    (int)a->detail.n, a->detail.p);
		return;
	case ZP_NOTICE:
		ev_setz(e, RC_KIND, "ids");
		ev_setz(e, RC_ACTION, "alert");
		return;
	default:
		ev_setz(e, RC_KIND, "net");
		if (a->path.n == 0)
			ev_setz(e, RC_MSG, "zeek");
		else
			ev_printf(e, RC_MSG, "%.*s%s%.*s", (int)a->path.n,
			    a->path.p, a->detail.n ? " " : "",
			    (int)a->detail.n, a->detail.p);
		return;
	}
}

/* ---- TSV ---- */

static void
hdr_free(struct zeek_hdr *h)
{
	if (h == NULL)
		return;
	free(h->path);
	free(h->code);
	free(h);
}

void
ids_zeek_fini(struct ln_file *f)
{
	hdr_free(f->state[SLOT_ZEEK]);
	f->state[SLOT_ZEEK] = NULL;
}

/* hex_byte: "\xHH" at s (n bytes available) into *c; 0 or -1. */
static int
hex_byte(const char *s, size_t n, char *c)
{
	int v = 0, i;

	if (n < 4 || s[0] != '\\' || s[1] != 'x')
		return -1;
	for (i = 2; i < 4; i++) {
		v <<= 4;
		if (s[i] >= '0' && s[i] <= '9')
			v |= s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			v |= s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			v |= s[i] - 'A' + 10;
		else
			return -1;
	}
	*c = (char)v;
	return 0;
}

static struct zeek_hdr *
hdr_get(struct ln_file *f)
{
	struct zeek_hdr *h = f->state[SLOT_ZEEK];

	if (h == NULL) {
		h = xcalloc(1, sizeof(*h));
		h->sep = '\t';
		h->setsep = ',';
		f->state[SLOT_ZEEK] = h;
	}
	return h;
}

/* zeek_meta: a "#..." header line; LN_SKIP, or LN_NO if not Zeek's. */
static int
zeek_meta(struct ln_file *f, const char *s, size_t n)
{
	struct zeek_hdr *h;
	size_t i, j, k;
	int col;
	char c;

	if (n >= 11 && memcmp(s, "#separator ", 11) == 0) {
		/* A new header block starts: forget the old columns. */
		h = hdr_get(f);
		if (hex_byte(s + 11, n - 11, &c) == 0)
			h->sep = c;
		else if (n > 11)
			h->sep = s[11];
		free(h->code);
		h->code = NULL;
		h->ncol = 0;
		return LN_SKIP;
	}
	if (n >= 16 && memcmp(s, "#set_separator", 14) == 0) {
		h = hdr_get(f);
		if (hex_byte(s + 15, n - 15, &c) == 0)
			h->setsep = c;
		else
			h->setsep = s[15];
		return LN_SKIP;
	}
	if (n >= 5 && memcmp(s, "#path", 5) == 0) {
		h = hdr_get(f);
		free(h->path);
		h->path = NULL;
		if (n > 6)
			h->path = xstrndup(s + 6, n - 6);
		return LN_SKIP;
	}
	if (n >= 7 && memcmp(s, "#fields", 7) == 0) {
		enum zpath zp;
		size_t plen;

		h = hdr_get(f);
		plen = h->path ? strlen(h->path) : 0;
		zp = h->path ? zeek_path(h->path, plen) : ZP_OTHER;
		free(h->code);
		h->ncol = 0;
		for (i = 7; i < n; i++)
			if (s[i] == h->sep)
				h->ncol++;
		h->code = xcalloc(h->ncol ? h->ncol : 1, 1);
		col = 0;
		for (i = 8; i <= n && col < h->ncol; i = j + 1) {
			for (j = i; j < n && s[j] != h->sep; j++)
				;
			h->code[col++] = zeek_code(zp, h->path, plen, s + i,
			    j - i);
		}
		return LN_SKIP;
	}
	static const char *const other[] = { "#empty_field", "#unset_field",
	    "#open", "#close", "#types" };
	for (k = 0; k < sizeof(other) / sizeof(other[0]); k++) {
		j = strlen(other[k]);
		if (n >= j && memcmp(s, other[k], j) == 0 &&
		    (n == j || s[j] == '\t' || s[j] == ' '))
			return LN_SKIP;
	}
	return LN_NO;
}

/* zeek_unescape: Zeek writes bytes it cannot print as \xHH. */
static const char *
zeek_unescape(struct ev *e, const char *s, size_t *n)
{
	char *d, c;
	size_t i, k = 0;

	if (memchr(s, '\\', *n) == NULL)
		return s;
	d = ev_alloc(e, *n);
	for (i = 0; i < *n; i++) {
		if (s[i] == '\\' && hex_byte(s + i, *n - i, &c) == 0) {
			d[k++] = c;
			i += 3;
		} else
			d[k++] = s[i];
	}
	*n = k;
	return d;
}

/* looks_zeek: the line starts like a Zeek data line ("1234567890.123456\t"). */
static int
looks_zeek(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i < 9 || i >= n || s[i] != '.')
		return 0;
	for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i < n && s[i] == '\t';
}

int
ids_zeek_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	struct zeek_hdr *h = f->state[SLOT_ZEEK];
	struct zeek_acc a;
	enum zpath zp;
	size_t i, j, cnt;
	const char *v;
	int col;

	(void)env;

	if (n > 0 && msg[0] == '#')
		return zeek_meta(f, msg, n);
	if (h == NULL || h->code == NULL) {
		if (looks_zeek(msg, n)) {
			*why = "Zeek TSV line without a #fields header "
			    "before it";
			return LN_BAD;
		}
		return LN_NO;
	}
	if (memchr(msg, h->sep, n) == NULL)
		return LN_NO;
	for (cnt = 1, i = 0; i < n; i++)
		if (msg[i] == h->sep)
			cnt++;
	if (cnt != (size_t)h->ncol) {
		*why = "Zeek TSV line whose field count differs from #fields";
		return LN_BAD;
	}
	memset(&a, 0, sizeof(a));
	a.state.p = a.source.p = a.detail.p = a.path.p = "";
	a.obytes = a.rbytes = -1;
	if (h->path != NULL) {
		a.path.p = h->path;
		a.path.n = strlen(h->path);
	}
	zp = zeek_path(a.path.p ? a.path.p : "", a.path.n);
	for (col = 0, i = 0; i <= n && col < h->ncol; i = j + 1, col++) {
		for (j = i; j < n && msg[j] != h->sep; j++)
			;
		if (h->code[col] == ZC_NONE)
			continue;
		v = msg + i;
		cnt = j - i;
		/* "-" is unset, "(empty)" an empty set or string. */
		if (cnt == 0 || (cnt == 1 && v[0] == '-') ||
		    (cnt == 7 && memcmp(v, "(empty)", 7) == 0))
			continue;
		v = zeek_unescape(e, v, &cnt);
		zeek_apply(e, &a, h->code[col], v, cnt, h->setsep);
	}
	if (e->ts == TM_NONE) {
		*why = "Zeek TSV line without a usable ts";
		return LN_BAD;
	}
	zeek_finish(e, &a, zp);
	return LN_OK;
}

/* ---- JSON ---- */

/* json_value_text: a scalar, or the elements of an array joined with ','
 * (first element only when first is set), as raw text in the arena. */
static const char *
json_value_text(struct ev *e, json_t *v, int first, size_t *n)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, i;
	json_t *x;
	const char *s;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			s = json_value_text(e, x, 0, n);
			if (s == NULL)
				continue;
			if (first) {
				free(buf);
				return s;
			}
			if (len + *n + 1 > cap) {
				cap = (len + *n + 1) * 2;
				buf = xrealloc(buf, cap);
			}
			if (len)
				buf[len++] = ',';
			memcpy(buf + len, s, *n);
			len += *n;
		}
		if (len == 0) {
			free(buf);
			return NULL;
		}
		s = ev_alloc(e, len);
		memcpy((char *)s, buf, len);
		free(buf);
		*n = len;
		return s;
	}
	if (json_is_string(v)) {
		*n = json_string_length(v);
		return *n ? json_string_value(v) : NULL;
	}
	if (json_is_integer(v)) {
		char *d = ev_alloc(e, 24);

		*n = (size_t)snprintf(d, 24, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return d;
	}
	if (json_is_real(v)) {
		char *d = ev_alloc(e, 32);

		*n = (size_t)snprintf(d, 32, "%.6f", json_real_value(v));
		return d;
	}
	if (json_is_true(v) || json_is_false(v)) {
		*n = json_is_true(v) ? 4 : 5;
		return json_is_true(v) ? "true" : "false";
	}
	return NULL;
}

/* zeek_json_path: _path, or the log a line without one must come from. */
static void
zeek_json_path(json_t *root, struct span *p)
{
	json_t *v = json_object_get(root, "_path");

	p->p = "";
	p->n = 0;
	if (json_is_string(v)) {
		p->p = json_string_value(v);
		p->n = json_string_length(v);
	} else if (json_object_get(root, "conn_state") != NULL)
		p->p = "conn";
	else if (json_object_get(root, "query") != NULL ||
	    json_object_get(root, "qtype_name") != NULL)
		p->p = "dns";
	else if (json_object_get(root, "method") != NULL ||
	    json_object_get(root, "uri") != NULL)
		p->p = "http";
	else if (json_object_get(root, "fuid") != NULL &&
	    json_object_get(root, "uid") == NULL)
		p->p = "files";
	else if (json_object_get(root, "cipher") != NULL ||
	    json_object_get(root, "server_name") != NULL ||
	    json_object_get(root, "ssl_history") != NULL)
		p->p = "ssl";
	else if (json_object_get(root, "note") != NULL)
		p->p = "notice";
	if (p->n == 0)
		p->n = strlen(p->p);
}

static void
zeek_json_member(struct ev *e, struct zeek_acc *a, enum zpath zp,
    const char *key, json_t *v)
{
	enum zc c;
	const char *s;
	size_t n;

	c = zeek_code(zp, a->path.p, a->path.n, key, strlen(key));
	if (c == ZC_NONE)
		return;
	if (c == ZC_TS && json_is_number(v)) {
		int64_t ms;

		if (jx_time(v, &ms) == 0)
			e->ts = ms;
		return;
	}
	s = json_value_text(e, v, c == ZC_TX || c == ZC_RX ||
	    c == ZC_SETMIME, &n);
	if (s == NULL || (n == 1 && s[0] == '-'))
		return;
	zeek_apply(e, a, c, s, n, ',');
}

int
ids_zeekjson_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	struct zeek_acc a;
	json_t *root, *v, *w;
	json_error_t err;
	const char *k, *k2;
	enum zpath zp;
	size_t i = 0;
	char key[64];

	(void)f;
	(void)env;

	while (i < n && (msg[i] == ' ' || msg[i] == '\t'))
		i++;
	if (n - i < 9 || msg[i] != '{' ||
	    (memcmp(msg + i + 1, "\"ts\":", 5) != 0 &&
	    memcmp(msg + i + 1, "\"_path\":", 8) != 0))
		return LN_NO;
	root = json_loadb(msg, n, 0, &err);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		*why = "Zeek JSON line that is not a well-formed JSON object";
		return LN_BAD;
	}
	memset(&a, 0, sizeof(a));
	a.state.p = a.source.p = a.detail.p = a.path.p = "";
	a.obytes = a.rbytes = -1;
	zeek_json_path(root, &a.path);
	zp = zeek_path(a.path.p, a.path.n);
	/* The path string lives in the tree: copy it before freeing. */
	if (a.path.n) {
		char *p = ev_alloc(e, a.path.n);

		memcpy(p, a.path.p, a.path.n);
		a.path.p = p;
	}
	json_object_foreach(root, k, v) {
		if (json_is_object(v)) {
			/* Nested records ({"id":{"orig_h":...}}). */
			json_object_foreach(v, k2, w) {
				if (snprintf(key, sizeof(key), "%s.%s", k, k2) <
				    (int)sizeof(key))
					zeek_json_member(e, &a, zp, key, w);
			}
		} else
			zeek_json_member(e, &a, zp, k, v);
	}
	json_decref(root);
	if (e->ts == TM_NONE) {
		*why = "Zeek JSON line without a usable ts";
		return LN_BAD;
	}
	zeek_finish(e, &a, zp);
	return LN_OK;
}
