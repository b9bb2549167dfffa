/*
 * syslog: the envelopes devices wrap their messages in.
 *
 *   RFC 3164   [<PRI>]Mmm dd hh:mm:ss[.frac] [host] [tag[pid]:] msg
 *              (also Cisco's "Mmm dd yyyy hh:mm:ss:" with a year)
 *   RFC 5424   <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD [msg]
 *   ISO 8601   [<PRI>]yyyy-mm-ddThh:mm:ss[.frac][zone] host [tag:] msg
 *              (rsyslog's high-precision templates)
 *
 * RFC 3164 stamps carry neither year nor zone: they are read in the --tz
 * zone, the year is --year or the clock's, and it steps forward when a
 * file runs from December into January.
 */
#include <string.h>
#include <time.h>

#include "lognorm.h"

static int
month3(const char *s)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char m[3];
	int i;

	for (i = 0; i < 3; i++)
		m[i] = (char)(s[i] | 0x20);
	for (i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, m, 3) == 0)
			return i + 1;
	return 0;
}

static int
digits(const char *p, const char *end, int n, int *v)
{
	int r = 0, i;

	if (end - p < n)
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		r = r * 10 + (p[i] - '0');
	}
	*v = r;
	return 1;
}

/*
 * syslog_year: the year of an RFC 3164 stamp of month mon.  Without
 * --year the first stamp of a file takes the clock's year, or the year
 * before when its month lies more than a month ahead of the clock's (a
 * December log read in January).  Then December followed by January
 * steps the year.
 */
static int
syslog_year(struct ln_file *f, int mon)
{
	if (f->year == 0) {
		struct tm_parts now;

		tm_split((int64_t)time(NULL) * 1000, &now);
		f->year = now.year;
		if (mon > now.mon + 1)
			f->year--;
	} else if (f->last_mon != 0 && mon < f->last_mon &&
	    f->last_mon - mon >= 6)
		f->year++;
	f->last_mon = mon;
	return f->year;
}

/*
 * syslog_stamp3164: "Mmm dd hh:mm:ss[.frac]" or "Mmm dd yyyy hh:mm:ss"
 * at s.  Returns the bytes used (0 if none) and sets *ts (local time).
 */
/*
 * local_minute: the start of the stamp's minute in ms.  Converting local
 * time costs more than the rest of the envelope, and a log's lines share
 * their minute by the thousand; no zone changes offset inside a minute.
 */
static int64_t
local_minute(const struct tm_parts *t)
{
	static struct tm_parts last;
	static int64_t last_ms;
	static int valid;
	struct tm_parts m;

	if (valid && t->min == last.min && t->hour == last.hour &&
	    t->day == last.day && t->mon == last.mon && t->year == last.year)
		return last_ms;
	m = *t;
	m.sec = m.msec = 0;
	last_ms = tm_from_local(&m);
	last = m;
	valid = 1;
	return last_ms;
}

static size_t stamp3164_any(struct ln_file *, const char *, size_t,
    int64_t *);

static size_t
stamp3164(struct ln_file *f, const char *s, size_t n, int64_t *ts, int year)
{
	const char *p = s, *end = s + n;
	struct tm_parts t;

	memset(&t, 0, sizeof t);
	if (n < 15 || (t.mon = month3(p)) == 0 || p[3] != ' ')
		return 0;
	p += 4;
	if (*p == ' ')
		p++;
	if (digits(p, end, 2, &t.day))
		p += 2;
	else if (digits(p, end, 1, &t.day))
		p += 1;
	else
		return 0;
	if (p >= end || *p++ != ' ')
		return 0;
	if (year == 0 && end - p > 5 && p[4] == ' ' &&
	    digits(p, end, 4, &year))
		p += 5;
	if (!digits(p, end, 2, &t.hour) || end - p < 8 || p[2] != ':' ||
	    !digits(p + 3, end, 2, &t.min) || p[5] != ':' ||
	    !digits(p + 6, end, 2, &t.sec))
		return 0;
	p += 8;
	if (p < end && *p == '.') {
		int k = 0;

		for (p++; p < end && *p >= '0' && *p <= '9'; p++, k++)
			if (k < 3)
				t.msec = t.msec * 10 + (*p - '0');
		if (k == 0)
			return 0;
		for (; k < 3; k++)
			t.msec *= 10;
	}
	if (t.day < 1 || t.day > 31 || t.hour > 23 || t.min > 59 ||
	    t.sec > 60)
		return 0;
	if (t.sec == 60)
		t.sec = 59;
	t.year = year ? year : syslog_year(f, t.mon);
	*ts = local_minute(&t) + t.sec * 1000 + t.msec;
	return (size_t)(p - s);
}

size_t
syslog_stamp3164(struct ln_file *f, const char *s, size_t n, int64_t *ts)
{
	/* the stamp of the previous line, when its text and year context
	 * repeat: busy logs write thousands of lines per second */
	static char last[32];
	static size_t lastlen;
	static int lastyear;
	static int64_t lastts;
	size_t used;

	if (lastlen > 0 && f->year != 0 && f->year == lastyear &&
	    f->last_mon != 0 &&
	    n > lastlen && memcmp(s, last, lastlen) == 0 &&
	    s[lastlen] != '.' && (s[lastlen] < '0' || s[lastlen] > '9')) {
		*ts = lastts;
		return lastlen;
	}
	used = stamp3164_any(f, s, n, ts);
	if (used > 0 && used <= sizeof last && f->year != 0) {
		memcpy(last, s, used);
		lastlen = used;
		lastyear = f->year;
		lastts = *ts;
	} else
		lastlen = 0;
	return used;
}

/* stamp3164_any: both stamp layouts, uncached. */
static size_t
stamp3164_any(struct ln_file *f, const char *s, size_t n, int64_t *ts)
{
	int year = 0;

	/* "yyyy Mmm dd hh:mm:ss", as some daemons write it */
	if (n > 20 && s[4] == ' ' && digits(s, s + n, 4, &year) &&
	    month3(s + 5) != 0) {
		size_t used = stamp3164(f, s + 5, n - 5, ts, year);

		return used ? used + 5 : 0;
	}
	return stamp3164(f, s, n, ts, 0);
}

/* tok: the next space-delimited token at *pp; moves *pp past it and one
 * space. */
static struct span
tok(const char **pp, const char *end)
{
	struct span s;
	const char *p = *pp;

	s.p = p;
	while (p < end && *p != ' ')
		p++;
	s.n = (size_t)(p - s.p);
	if (p < end)
		p++;
	*pp = p;
	return s;
}

/*
 * is_tag: a token "name:" or "name[pid]:" (the colon may be the last
 * byte of the token only).  Cisco mnemonics ("%ASA-6-302013:") are not
 * program names and are left in the message.
 */
static int
is_tag(struct span t, struct span *name, struct span *pid)
{
	const char *p = t.p, *end = t.p + t.n, *lb = NULL;

	if (t.n < 2 || t.p[t.n - 1] != ':' || *p == '%' || *p == '[')
		return 0;
	for (; p < end - 1; p++) {
		if (*p == ':' || *p == '=')
			return 0;
		if (*p == '[' && lb == NULL)
			lb = p;
	}
	if (lb != NULL) {
		if (end[-2] != ']')
			return 0;
		name->p = t.p;
		name->n = (size_t)(lb - t.p);
		pid->p = lb + 1;
		pid->n = (size_t)(end - 2 - (lb + 1));
	} else {
		name->p = t.p;
		name->n = t.n - 1;
		pid->p = end;
		pid->n = 0;
	}
	return name->n > 0;
}

static void
set_msg(struct syslog_env *env, const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	env->msg.p = p;
	env->msg.n = (size_t)(end - p);
}

/* host_tag_msg: the RFC 3164 / ISO tail "[host] [tag:] msg". */
static void
host_tag_msg(struct syslog_env *env, const char *p, const char *end,
    int want_host)
{
	const char *save;
	struct span t, t2, name, pid;

	while (p < end && *p == ' ')
		p++;
	save = p;
	t = tok(&p, end);
	if (t.n == 0) {
		set_msg(env, save, end);
		return;
	}
	if (t.p[0] == '%') {
		/* "<pri>stamp: %FAC-n-MNEMONIC: ..." has no host. */
		set_msg(env, save, end);
		return;
	}
	if (is_tag(t, &name, &pid)) {
		/* "stamp tag: msg" without a host, unless a Cisco-style
		 * "host: %ASA-..." follows. */
		if (p < end && *p == '%' && pid.n == 0) {
			env->host = name;
			set_msg(env, p, end);
			return;
		}
		env->tag = name;
		env->pid = pid;
		set_msg(env, p, end);
		return;
	}
	if (want_host)
		env->host = t;
	save = p;
	t2 = tok(&p, end);
	if (is_tag(t2, &name, &pid)) {
		env->tag = name;
		env->pid = pid;
		set_msg(env, p, end);
	} else
		set_msg(env, save, end);
}

/* sd_end: past the RFC 5424 structured data at p ("-" or [..][..]),
 * honouring quotes and backslash escapes; NULL if malformed. */
static const char *
sd_end(const char *p, const char *end)
{
	if (p < end && *p == '-')
		return p + 1;
	if (p >= end || *p != '[')
		return NULL;
	while (p < end && *p == '[') {
		int q = 0;

		for (p++; p < end; p++) {
			if (*p == '\\' && p + 1 < end) {
				p++;
				continue;
			}
			if (*p == '"')
				q = !q;
			else if (*p == ']' && !q)
				break;
		}
		if (p >= end)
			return NULL;
		p++;
	}
	return p;
}

static int
rfc5424(const char *p, const char *end, struct syslog_env *env)
{
	struct span ts, host, app, procid, msgid;
	const char *sd;

	ts = tok(&p, end);
	host = tok(&p, end);
	app = tok(&p, end);
	procid = tok(&p, end);
	msgid = tok(&p, end);
	if (ts.n == 0 || host.n == 0 || app.n == 0 || procid.n == 0 ||
	    msgid.n == 0 || p >= end)
		return -1;
	if ((sd = sd_end(p, end)) == NULL)
		return -1;
	if (sd < end && *sd != ' ')
		return -1;
	if (!(ts.n == 1 && ts.p[0] == '-') &&
	    tm_parse(ts.p, ts.n, 1, &env->ts) != 0)
		env->ts = TM_NONE;
	if (!span_eq(host, "-"))
		env->host = host;
	if (!span_eq(app, "-"))
		env->tag = app;
	if (!span_eq(procid, "-"))
		env->pid = procid;
	if (!span_eq(msgid, "-"))
		env->msgid = msgid;
	if (*p != '-') {
		env->sd.p = p;
		env->sd.n = (size_t)(sd - p);
	}
	p = sd;
	if (p < end)
		p++;
	/* A UTF-8 byte order mark may open the message. */
	if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	set_msg(env, p, end);
	return 0;
}

int
syslog_parse(struct ln_file *f, const char *line, size_t n,
    struct syslog_env *env)
{
	const char *p = line, *end = line + n;
	size_t used;
	int v;

	memset(env, 0, sizeof *env);
	env->pri = -1;
	env->ts = TM_NONE;
	env->line.p = line;
	env->line.n = n;
	if (p < end && *p == '<') {
		int pri = 0, k = 0;

		for (p++; p < end && *p >= '0' && *p <= '9' && k < 4; p++, k++)
			pri = pri * 10 + (*p - '0');
		if (k == 0 || p >= end || *p != '>' || pri > 191)
			return -1;
		p++;
		env->pri = pri;
		if (end - p > 2 && p[0] == '1' && p[1] == ' ')
			return rfc5424(p + 2, end, env);
	}
	if (end - p >= 20 && digits(p, end, 4, &v) && p[4] == '-') {
		struct span ts = tok(&p, end);

		if (memchr(ts.p, 'T', ts.n) == NULL ||
		    tm_parse(ts.p, ts.n, 1, &env->ts) != 0)
			return -1;
		host_tag_msg(env, p, end, 1);
		return 0;
	}
	used = syslog_stamp3164(f, p, (size_t)(end - p), &env->ts);
	if (used == 0)
		return -1;
	p += used;
	if (p < end && *p == ':')
		p++;		/* Cisco "hh:mm:ss: %ASA-..." */
	if (p < end && *p != ' ')
		return -1;
	host_tag_msg(env, p, end, 1);
	return 0;
}

/*
 * The generic format: an enveloped line no other format claims keeps its
 * time, host and text.  kind is "syslog" so such records are easy to
 * tell from parsed ones.
 */
static int
generic_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	if (env == NULL)
		return LN_NO;
	ev_setz(ev, RC_KIND, "syslog");
	if (env->tag.n > 0) {
		const char *end = env->line.p + env->line.n;

	(void)f;
	(void)why;

		ev_set(ev, RC_MSG, env->tag.p, (size_t)(end - env->tag.p));
	} else
		ev_set(ev, RC_MSG, msg, n);
	return LN_OK;
}

const struct ln_format syslog_generic = {
	"syslog", "any syslog line (RFC 3164, RFC 5424, ISO 8601) no other "
	    "format claims", -1, 1, generic_parse, NULL, NULL
};
