/*
 * W3C extended log files (IIS and others): "#Fields:" names the columns
 * of the data lines that follow, so the parser keeps the column map of
 * each input file in its state slot.  "#Date:" supplies the date when the
 * lines only carry a time; "#GMT-Offset:" says the times are local.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "util.h"

enum w3c_field {
	WF_OTHER, WF_DATE, WF_TIME, WF_LDATE, WF_LTIME, WF_CIP, WF_SIP,
	WF_SPORT, WF_CPORT, WF_USER, WF_METHOD, WF_STEM, WF_QUERY, WF_URI,
	WF_STATUS, WF_BYTES, WF_TTMS, WF_HOST, WF_UA, WF_ACTION
};

static const struct {
	const char	*name;
	unsigned char	 id;
} w3c_names[] = {
	{ "date", WF_DATE }, { "time", WF_TIME },
	{ "date-local", WF_LDATE }, { "time-local", WF_LTIME },
	{ "c-ip", WF_CIP }, { "s-ip", WF_SIP }, { "s-port", WF_SPORT },
	{ "c-port", WF_CPORT }, { "cs-username", WF_USER },
	{ "c-auth-id", WF_USER }, { "cs-method", WF_METHOD },
	{ "cs-uri-stem", WF_STEM }, { "cs-uri-query", WF_QUERY },
	{ "cs-uri", WF_URI }, { "sc-status", WF_STATUS },
	{ "sc-bytes", WF_BYTES }, { "bytes", WF_BYTES },
	{ "time-taken", WF_TTMS }, { "timetakenms", WF_TTMS },
	{ "cs-host", WF_HOST }, { "cs(host)", WF_HOST },
	{ "cs(user-agent)", WF_UA }, { "sc-action", WF_ACTION },
};

struct w3c_state {
	unsigned char	*id;		/* column -> enum w3c_field */
	size_t		 nf, cap;
	int		 year, mon, day; /* from #Date:, 0 if none */
	int		 off;		/* #GMT-Offset in minutes */
	int		 have_off;
};

static struct w3c_state *
state(struct ln_file *f)
{
	if (f->state[SLOT_W3C] == NULL)
		f->state[SLOT_W3C] = xcalloc(1, sizeof(struct w3c_state));
	return f->state[SLOT_W3C];
}

void
w3c_fini(struct ln_file *f)
{
	struct w3c_state *st = f->state[SLOT_W3C];

	if (st != NULL) {
		free(st->id);
		free(st);
		f->state[SLOT_W3C] = NULL;
	}
}

static int
name_id(struct span w)
{
	size_t i, k;

	for (i = 0; i < sizeof(w3c_names) / sizeof(w3c_names[0]); i++) {
		const char *nm = w3c_names[i].name;

		if (strlen(nm) != w.n)
			continue;
		for (k = 0; k < w.n; k++)
			if ((c_isupper((unsigned char)w.p[k]) ?
			    w.p[k] | 0x20 : w.p[k]) != nm[k])
				break;
		if (k == w.n)
			return w3c_names[i].id;
	}
	return WF_OTHER;
}

/* ymd: "YYYY-MM-DD" at s (n bytes, at least 10). */
static int
ymd(const char *s, size_t n, int *y, int *m, int *d)
{
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	*y = dig4(s);
	*m = dig2(s + 5);
	*d = dig2(s + 8);
	return date_ok(*y, *m, *d) ? 0 : -1;
}

static int
directive(struct ln_file *f, const char *s, size_t n, const char **why)
{
	struct cur c;
	struct span w;
	struct w3c_state *st;
	static const char *const meta[] = { "#Version:", "#Software:",
	    "#Start-Date:", "#End-Date:", "#Remark:" };
	size_t i;

	cur_init(&c, s, n);
	if (cur_lit(&c, "#Fields:")) {
		st = state(f);
		st->nf = 0;
		for (;;) {
			w = cur_word(&c);
			if (w.n == 0)
				break;
			if (st->nf == st->cap) {
				st->cap = st->cap ? st->cap * 2 : 32;
				st->id = xrealloc(st->id, st->cap);
			}
			st->id[st->nf++] = (unsigned char)name_id(w);
		}
		if (st->nf == 0) {
			*why = "w3c: #Fields: names no field";
			return LN_BAD;
		}
		return LN_SKIP;
	}
	if (cur_lit(&c, "#Date:")) {
		st = state(f);
		w = cur_word(&c);
		if (ymd(w.p, w.n, &st->year, &st->mon, &st->day) < 0)
			st->year = st->mon = st->day = 0;
		return LN_SKIP;
	}
	if (cur_lit(&c, "#GMT-Offset:")) {
		st = state(f);
		w = cur_word(&c);
		if (w.n == 5 && (w.p[0] == '+' || w.p[0] == '-') &&
		    dig2(w.p + 1) >= 0 && dig2(w.p + 3) >= 0) {
			st->off = (dig2(w.p + 1) * 60 + dig2(w.p + 3)) *
			    (w.p[0] == '-' ? -1 : 1);
			st->have_off = 1;
		}
		return LN_SKIP;
	}
	for (i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		if (cur_lit(&c, meta[i]))
			return LN_SKIP;
	return LN_NO;
}

/* w3c_value: the next field; a quoted one ends at a quote not doubled,
 * and its doubled quotes are undoubled into the event's arena. */
static int
w3c_value(struct cur *c, struct span *v, struct ev *ev)
{
	cur_skipsp(c);
	if (c->p >= c->e)
		return 0;
	if (*c->p == '"') {
		const char *q = c->p + 1;

		while (q < c->e) {
			if (*q == '"') {
				if (q + 1 < c->e && q[1] == '"') {
					q += 2;
					continue;
				}
				break;
			}
			q++;
		}
		*v = sp(c->p + 1, (size_t)(q - c->p - 1));
		c->p = q < c->e ? q + 1 : q;
		if (memchr(v->p, '"', v->n) != NULL) {
			char *u = ev_alloc(ev, v->n);
			size_t i, k = 0;

			for (i = 0; i < v->n; i++) {
				u[k++] = v->p[i];
				if (v->p[i] == '"' && i + 1 < v->n &&
				    v->p[i + 1] == '"')
					i++;
			}
			*v = sp(u, k);
		}
		return 1;
	}
	*v = cur_word(c);
	return 1;
}

int
w3c_parse(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	struct w3c_state *st = f->state[SLOT_W3C];
	struct cur c;
	struct span v, stem = { NULL, 0 }, query = { NULL, 0 };
	struct tm_parts t;
	int have_date = 0, have_time = 0, local = 0;
	size_t i;

	(void)env;
	if (n > 0 && msg[0] == '#')
		return directive(f, msg, n, why);
	if (st == NULL || st->nf == 0)
		return LN_NO;
	memset(&t, 0, sizeof(t));
	if (st->year) {
		t.year = st->year;
		t.mon = st->mon;
		t.day = st->day;
		have_date = 1;
	}
	cur_init(&c, msg, n);
	for (i = 0; w3c_value(&c, &v, ev); i++) {
		if (i >= st->nf) {
			*why = "w3c: more fields than #Fields: names";
			return LN_BAD;
		}
		switch (st->id[i]) {
		case WF_LDATE:
			local = 1;
			/* FALLTHROUGH */
		case WF_DATE:
			if (v.n != 10 ||
			    ymd(v.p, v.n, &t.year, &t.mon, &t.day) < 0) {
				*why = "w3c: date field is not YYYY-MM-DD";
				return LN_BAD;
			}
			have_date = 1;
			break;
		case WF_LTIME:
			local = 1;
			/* FALLTHROUGH */
		case WF_TIME: {
			const char *p;

			if (v.n < 8 || hms(v.p, &t) < 0 || (p = v.p + 8,
			    t.msec = frac_ms(&p, v.p + v.n), p != v.p + v.n)) {
				*why = "w3c: time field is not HH:MM:SS";
				return LN_BAD;
			}
			have_time = 1;
			break;
		}
		case WF_CIP:
			ev_dash(ev, RC_SRC, v);
			break;
		case WF_SIP:
			ev_dash(ev, RC_DST, v);
			break;
		case WF_SPORT:
			if (sp_port(v))
				ev_set(ev, RC_DPORT, v.p, v.n);
			break;
		case WF_CPORT:
			if (sp_port(v))
				ev_set(ev, RC_SPORT, v.p, v.n);
			break;
		case WF_USER:
			ev_dash(ev, RC_USER, v);
			break;
		case WF_METHOD:
			ev_dash(ev, RC_METHOD, v);
			break;
		case WF_STEM:
			stem = v;
			break;
		case WF_QUERY:
			query = v;
			break;
		case WF_URI:
			ev_dash(ev, RC_URL, v);
			break;
		case WF_STATUS:
			if (sp_digits(v, 3))
				ev_set(ev, RC_STATUS, v.p, v.n);
			break;
		case WF_BYTES:
			if (sp_digits(v, 20))
				ev_set(ev, RC_BYTES, v.p, v.n);
			break;
		case WF_TTMS:
			if (sp_digits(v, 15))
				ev_secs(ev, RC_DUR, sp_uint(v));
			break;
		case WF_HOST:
			ev_dash(ev, RC_HOST, v);
			break;
		case WF_UA:
			ev_dash(ev, RC_MSG, v);
			break;
		case WF_ACTION:
			ev_dash(ev, RC_ACTION, v);
			break;
		}
	}
	if (i == 0)
		return LN_NO;
	if (stem.n && !(stem.n == 1 && stem.p[0] == '-')) {
		if (query.n && !(query.n == 1 && query.p[0] == '-')) {
			char *u = ev_alloc(ev, stem.n + 1 + query.n);

			memcpy(u, stem.p, stem.n);
			u[stem.n] = '?';
			memcpy(u + stem.n + 1, query.p, query.n);
			ev_set(ev, RC_URL, u, stem.n + 1 + query.n);
		} else
			ev_set(ev, RC_URL, stem.p, stem.n);
	}
	if (have_date && have_time && date_ok(t.year, t.mon, t.day)) {
		if (local)
			ev->ts = tm_from_local(&t);
		else
			ev->ts = tm_make(&t) - (st->have_off ?
			    (int64_t)st->off * 60000 : 0);
	}
	ev_setz(ev, RC_KIND, "web");
	return LN_OK;
}
