/*
 * Suricata EVE JSON, one object per line (also behind a syslog envelope).
 * kind by event_type: alert -> ids; flow -> flow; dns -> dns; http, tls
 * and fileinfo over HTTP -> proxy; stats -> skipped (counters, not
 * events); anything else (smb, krb5, ssh, anomaly, ...) -> net with the
 * event type in msg.  lognorm.1 lists every field.
 */
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "tm.h"
#include "util.h"

static const char *
sev_of(long long s)
{
	switch (s) {
	case 1:
		return "high";
	case 2:
		return "medium";
	case 3:
		return "low";
	default:
		return s >= 4 ? "info" : NULL;
	}
}

static int
str_is(json_t *v, const char *lit)
{
	return v != NULL && json_is_string(v) &&
	    strcmp(json_string_value(v), lit) == 0;
}

/* eve_http: the http object's fields, shared by http, alert, fileinfo. */
static void
eve_http(struct ev *e, json_t *h)
{
	if (h == NULL)
		return;
	jx_text(e, RC_HOST, json_object_get(h, "hostname"));
	jx_text(e, RC_URL, json_object_get(h, "url"));
	jx_text(e, RC_METHOD, json_object_get(h, "http_method"));
	jx_text(e, RC_STATUS, json_object_get(h, "status"));
	if (!ev_has(e, RC_MIME))
		jx_text(e, RC_MIME, json_object_get(h, "http_content_type"));
}

static void
eve_alert(struct ev *e, json_t *root)
{
	json_t *a = json_object_get(root, "alert");
	json_t *act;
	long long sev, gid = 1, sid = 0, rev = 0;
	const char *cat = "";

	ev_setz(e, RC_KIND, "ids");
	act = json_object_get(a, "action");
	if (str_is(act, "blocked"))
		ev_setz(e, RC_ACTION, "block");
	else
		ev_setz(e, RC_ACTION, "alert");
	jx_text(e, RC_SIG, json_object_get(a, "signature"));
	if (jx_int(json_object_get(a, "severity"), &sev) == 0 &&
	    sev_of(sev) != NULL)
		ev_setz(e, RC_SEV, sev_of(sev));
	jx_int(json_object_get(a, "gid"), &gid);
	jx_int(json_object_get(a, "signature_id"), &sid);
	jx_int(json_object_get(a, "rev"), &rev);
	if (json_is_string(json_object_get(a, "category")))
		cat = json_string_value(json_object_get(a, "category"));
	ev_printf(e, RC_MSG, "%lld:%lld:%lld%s%s", gid, sid, rev,
	    *cat ? " " : "", cat);
	eve_http(e, json_object_get(root, "http"));
	if (!ev_has(e, RC_HOST))
		jx_text(e, RC_HOST, jx_get(root, "tls.sni"));
}

static void
eve_flow(struct ev *e, json_t *root)
{
	json_t *fl = json_object_get(root, "flow");
	long long a = 0, b = 0, pc = -1;
	int64_t t0, t1;
	json_t *app;
	int ha, hb;

	ev_setz(e, RC_KIND, "flow");

	ha = jx_int(json_object_get(fl, "bytes_toserver"), &a) == 0;
	hb = jx_int(json_object_get(fl, "bytes_toclient"), &b) == 0;
	if (ha || hb)
		ev_printf(e, RC_BYTES, "%lld", a + b);
	if (jx_time(json_object_get(fl, "start"), &t0) == 0 &&
	    jx_time(json_object_get(fl, "end"), &t1) == 0 && t1 >= t0)
		ev_dur_ms(e, RC_DUR, t1 - t0);
	/* An IPS verdict wins; otherwise a TCP flow the server never
	 * answered is the sensor's view of a dropped attempt. */
	if (str_is(json_object_get(fl, "action"), "drop"))
		ev_setz(e, RC_ACTION, "drop");
	else if (jx_int(json_object_get(fl, "pkts_toclient"), &pc) == 0) {
		if (pc > 0)
			ev_setz(e, RC_ACTION, "allow");
		else if (e->f[RC_PROTO].n == 3 &&
		    memcmp(e->f[RC_PROTO].p, "tcp", 3) == 0)
			ev_setz(e, RC_ACTION, "drop");
	}
	app = json_object_get(root, "app_proto");
	if (json_is_string(app))
		ev_printf(e, RC_MSG, "flow %s", json_string_value(app));
	else
		ev_setz(e, RC_MSG, "flow");
}

/* eve_answers: "rcode a,b,c" from answer records, both EVE versions. */
static void
eve_dns_answers(struct ev *e, json_t *d)
{
	json_t *ans = json_object_get(d, "answers"), *x;
	char *buf = NULL;
	size_t len = 0, cap = 0, i, n;
	const char *s;

	if (json_is_array(ans)) {
		json_array_foreach(ans, i, x) {
			json_t *rd = json_object_get(x, "rdata");

			if (!json_is_string(rd))
				continue;
			s = json_string_value(rd);
			n = json_string_length(rd);
			if (len + n + 2 > cap) {
				cap = (len + n + 2) * 2;
				buf = xrealloc(buf, cap);
			}
			if (len)
				buf[len++] = ',';
			memcpy(buf + len, s, n);
			len += n;
		}
	} else if (json_is_string(json_object_get(d, "rdata"))) {
		jx_text(e, RC_MSG, json_object_get(d, "rdata"));
		return;
	}
	if (len)
		ev_copy(e, RC_MSG, buf, len);
	free(buf);
}

static void
eve_dns(struct ev *e, json_t *root)
{
	json_t *d = json_object_get(root, "dns"), *q;

	ev_setz(e, RC_KIND, "dns");
	/* EVE version 3 nests the question in queries[]. */
	q = json_object_get(d, "queries");
	if (json_is_array(q) && json_array_size(q) > 0)
		q = json_array_get(q, 0);
	else
		q = d;
	jx_text(e, RC_HOST, json_object_get(q, "rrname"));
	jx_text(e, RC_QTYPE, json_object_get(q, "rrtype"));
	if (str_is(json_object_get(d, "type"), "answer")) {
		/* Suricata logs the answer as its own event: mark it so a
		 * count of queries can leave answers out. */
		ev_setz(e, RC_ACTION, "answer");
		jx_text(e, RC_STATUS, json_object_get(d, "rcode"));
		eve_dns_answers(e, d);
	} else if (json_is_string(json_object_get(d, "rcode"))) {
		/* Version 2 "detailed" or v3 with one record per query. */
		jx_text(e, RC_STATUS, json_object_get(d, "rcode"));
		eve_dns_answers(e, d);
	}
}

static void
eve_tls(struct ev *e, json_t *root)
{
	json_t *t = json_object_get(root, "tls"), *v;

	ev_setz(e, RC_KIND, "proxy");
	jx_text(e, RC_HOST, json_object_get(t, "sni"));
	v = json_object_get(t, "version");
	if (json_is_string(v))
		ev_printf(e, RC_MSG, "tls %s", json_string_value(v));
	else
		ev_setz(e, RC_MSG, "tls");
}

static void
eve_fileinfo(struct ev *e, json_t *root)
{
	json_t *fi = json_object_get(root, "fileinfo"), *m;
	json_t *app = json_object_get(root, "app_proto");
	const char *mime;

	if (str_is(app, "http") || json_object_get(root, "http") != NULL)
		ev_setz(e, RC_KIND, "proxy");
	else
		ev_setz(e, RC_KIND, "net");
	jx_text(e, RC_FILE, json_object_get(fi, "filename"));
	jx_text(e, RC_BYTES, json_object_get(fi, "size"));
	jx_text(e, RC_MIME, json_object_get(fi, "mimetype"));
	m = json_object_get(fi, "magic");
	if (json_is_string(m)) {
		if (!ev_has(e, RC_MIME) && (mime = magic_mime(
		    json_string_value(m), json_string_length(m))) != NULL)
			ev_setz(e, RC_MIME, mime);
		ev_printf(e, RC_MSG, "fileinfo %s", json_string_value(m));
	} else
		ev_setz(e, RC_MSG, "fileinfo");
	eve_http(e, json_object_get(root, "http"));
	if (!ev_has(e, RC_HOST))
		jx_text(e, RC_HOST, jx_get(root, "tls.sni"));
}

static void
eve_other(struct ev *e, json_t *root, const char *type)
{
	json_t *v = NULL;
	const char *detail = NULL;

	ev_setz(e, RC_KIND, "net");
	if (strcmp(type, "anomaly") == 0)
		v = jx_get(root, "anomaly.event");
	else if (strcmp(type, "smb") == 0) {
		v = jx_get(root, "smb.filename");
		if (v == NULL)
			v = jx_get(root, "smb.command");
	} else if (strcmp(type, "ssh") == 0)
		v = jx_get(root, "ssh.client.software_version");
	else if (strcmp(type, "krb5") == 0) {
		v = jx_get(root, "krb5.cname");
		jx_text(e, RC_USER, v);
		v = jx_get(root, "krb5.sname");
	} else if (strcmp(type, "smtp") == 0)
		v = jx_get(root, "smtp.helo");
	else if (strcmp(type, "drop") == 0) {
		ev_setz(e, RC_KIND, "ids");
		ev_setz(e, RC_ACTION, "drop");
	}
	if (v != NULL && json_is_string(v))
		detail = json_string_value(v);
	if (detail != NULL && *detail)
		ev_printf(e, RC_MSG, "%s %s", type, detail);
	else
		ev_copy(e, RC_MSG, type, strlen(type));
}

int
ids_eve_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	json_t *root, *v;
	json_error_t err;
	const char *type;
	int64_t ms;
	int rc = LN_OK;

	(void)f;
	(void)env;

	if (!jx_looks(msg, n, "\"event_type\""))
		return LN_NO;
	root = json_loadb(msg, n, 0, &err);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		*why = "EVE line that is not a well-formed JSON object";
		return LN_BAD;
	}
	v = json_object_get(root, "event_type");
	if (!json_is_string(v)) {
		*why = "EVE record whose event_type is not a string";
		rc = LN_BAD;
		goto out;
	}
	type = json_string_value(v);
	if (strcmp(type, "stats") == 0) {
		rc = LN_SKIP;
		goto out;
	}
	if (jx_time(json_object_get(root, "timestamp"), &ms) < 0) {
		*why = "EVE record without a usable timestamp";
		rc = LN_BAD;
		goto out;
	}
	e->ts = ms;
	jx_text(e, RC_SENSOR, json_object_get(root, "host"));
	v = json_object_get(root, "proto");
	if (json_is_string(v))
		ev_lower(e, RC_PROTO, json_string_value(v),
		    json_string_length(v));
	jx_addr(e, RC_SRC, json_object_get(root, "src_ip"));
	jx_text(e, RC_SPORT, json_object_get(root, "src_port"));
	jx_addr(e, RC_DST, json_object_get(root, "dest_ip"));
	jx_text(e, RC_DPORT, json_object_get(root, "dest_port"));

	if (strcmp(type, "alert") == 0)
		eve_alert(e, root);
	else if (strcmp(type, "flow") == 0 || strcmp(type, "netflow") == 0)
		eve_flow(e, root);
	else if (strcmp(type, "dns") == 0)
		eve_dns(e, root);
	else if (strcmp(type, "http") == 0) {
		ev_setz(e, RC_KIND, "proxy");
		eve_http(e, json_object_get(root, "http"));
		jx_text(e, RC_BYTES, jx_get(root, "http.length"));
		jx_text(e, RC_MSG, jx_get(root, "http.http_user_agent"));
	} else if (strcmp(type, "tls") == 0)
		eve_tls(e, root);
	else if (strcmp(type, "fileinfo") == 0)
		eve_fileinfo(e, root);
	else
		eve_other(e, root, type);
out:
	json_decref(root);
	return rc;
}
