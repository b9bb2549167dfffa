/*
 * Windows Security (and Sysmon) events, whatever tool exported them: this
 * file holds the event model every reader fills (named values, the
 * rendered message as a fallback), the mapping to records, and the JSON
 * (PowerShell, NXLog, Winlogbeat, Wazuh, evtx_dump) and Snare readers.
 * XML and CSV, which span lines, are in file_winxml.c.
 *
 * Mapping (lognorm.1 has the table): 4656/4663/4660/4658/4670 on files,
 * 5140/5145 and Sysmon file events are kind=file with user (the account
 * name without its domain: the other file sources log bare names too),
 * file and op; logon events are kind=auth; any other event is kind=sys
 * with the event id and the message's first sentence in msg.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "file.h"
#include "ip.h"
#include "tm.h"
#include "util.h"

static const struct {
	const char	*name;
	int		 slot;
} win_names[] = {
	{ "EventID", W_EVENTID }, { "EventId", W_EVENTID },
	{ "event_id", W_EVENTID }, { "Id", W_EVENTID },
	{ "TimeCreated", W_TIMEZ }, { "SystemTime", W_TIMEZ },
	{ "@timestamp", W_TIMEZ }, { "EventTime", W_TIMELOCAL },
	{ "UtcTime", W_TIMEUTC },
	{ "Computer", W_COMPUTER }, { "Hostname", W_COMPUTER },
	{ "MachineName", W_COMPUTER }, { "computer_name", W_COMPUTER },
	{ "Keywords", W_KEYWORDS }, { "KeywordsDisplayNames", W_OUTCOME },
	{ "EventType", W_OUTCOME }, { "outcome", W_OUTCOME },
	{ "Keyword", W_OUTCOME },
	{ "ProviderName", W_PROVIDER }, { "SourceName", W_PROVIDER },
	{ "provider_name", W_PROVIDER },
	{ "SubjectUserName", W_SUBJ_USER },
	{ "SubjectDomainName", W_SUBJ_DOMAIN },
	{ "TargetUserName", W_TGT_USER },
	{ "TargetDomainName", W_TGT_DOMAIN },
	{ "ObjectType", W_OBJ_TYPE }, { "ObjectName", W_OBJ_NAME },
	{ "ShareName", W_SHARE_NAME }, { "ShareLocalPath", W_SHARE_PATH },
	{ "RelativeTargetName", W_REL_TARGET },
	{ "AccessMask", W_ACCESS_MASK }, { "AccessList", W_ACCESS_LIST },
	{ "IpAddress", W_IP }, { "IpPort", W_PORT },
	{ "HandleId", W_HANDLE }, { "ProcessId", W_PID },
	{ "ProcessName", W_PROC_NAME }, { "LogonType", W_LOGON_TYPE },
	{ "Status", W_STATUS }, { "TargetFilename", W_TARGET_FILE },
	{ "User", W_USER }, { "Message", W_MESSAGE }, { "Image", W_IMAGE },
	{ "NewProcessName", W_NEW_PROC },
	{ "WorkstationName", W_WORKSTATION },
};

int
win_slot_of(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(win_names) / sizeof(win_names[0]); i++)
		if (strlen(win_names[i].name) == n &&
		    strncasecmp(win_names[i].name, name, n) == 0)
			return win_names[i].slot;
	return -1;
}

void
win_put(struct ev *e, struct winev *w, int s, const char *val, size_t n)
{
	char *d;

	if (s < 0 || s >= W_NSLOT || w->v[s].n > 0)
		return;
	while (n > 0 && (val[n - 1] == ' ' || val[n - 1] == '\t' ||
	    val[n - 1] == '\r' || val[n - 1] == '\n'))
		n--;
	while (n > 0 && (val[0] == ' ' || val[0] == '\t'))
		val++, n--;
	if (n == 0 || (n == 1 && val[0] == '-'))
		return;
	d = ev_alloc(e, n);
	memcpy(d, val, n);
	w->v[s].p = d;
	w->v[s].n = n;
}

/* ---- the rendered message ---- */

/* msg_value: the value after "label:" found at or after from; the value
 * ends at a line or tab break or at two spaces (Snare flattens the
 * message's line breaks into runs of spaces). */
static int
msg_value(const char *s, size_t n, size_t from, const char *label,
    struct span *v, size_t *end)
{
	const char *p;
	size_t i, j, k = strlen(label);

	for (;;) {
		if (from >= n || (p = memmem_lit(s + from, n - from, label)) ==
		    NULL)
			return 0;
		i = (size_t)(p - s) + k;
		/* A label is followed by ':' and starts a line or follows
		 * whitespace, so "Account Name" does not match inside
		 * "Network Account Name". */
		if (i < n && s[i] == ':' && (p == s || p[-1] == '\t' ||
		    p[-1] == '\n' || p[-1] == ' '))
			break;
		from = (size_t)(p - s) + 1;
	}
	i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (j = i; j < n; j++) {
		if (s[j] == '\r' || s[j] == '\n' || s[j] == '\t')
			break;
		if (s[j] == ' ' && j + 1 < n && s[j + 1] == ' ')
			break;
	}
	v->p = s + i;
	v->n = j - i;
	*end = j;
	return 1;
}

static void
msg_put(struct ev *e, struct winev *w, int slot, const char *s, size_t n,
    size_t from, const char *label)
{
	struct span v;
	size_t end;

	if (w->v[slot].n == 0 && msg_value(s, n, from, label, &v, &end))
		win_put(e, w, slot, v.p, v.n);
}

void
win_from_message(struct ev *e, struct winev *w, const char *s, size_t n)
{
	const char *p;
	size_t sub = 0, tgt;

	if ((p = memmem_lit(s, n, "Subject:")) != NULL)
		sub = (size_t)(p - s);
	msg_put(e, w, W_SUBJ_USER, s, n, sub, "Account Name");
	msg_put(e, w, W_SUBJ_DOMAIN, s, n, sub, "Account Domain");
	/* The logged-on (or failed) account has its own section. */
	if ((p = memmem_lit(s, n, "New Logon:")) != NULL ||
	    (p = memmem_lit(s, n, "Account For Which Logon Failed:")) !=
	    NULL) {
		tgt = (size_t)(p - s);
		msg_put(e, w, W_TGT_USER, s, n, tgt, "Account Name");
		msg_put(e, w, W_TGT_DOMAIN, s, n, tgt, "Account Domain");
	}
	msg_put(e, w, W_OBJ_TYPE, s, n, 0, "Object Type");
	msg_put(e, w, W_OBJ_NAME, s, n, 0, "Object Name");
	msg_put(e, w, W_SHARE_NAME, s, n, 0, "Share Name");
	msg_put(e, w, W_SHARE_PATH, s, n, 0, "Share Path");
	msg_put(e, w, W_REL_TARGET, s, n, 0, "Relative Target Name");
	msg_put(e, w, W_ACCESS_MASK, s, n, 0, "Access Mask");
	msg_put(e, w, W_ACCESS_LIST, s, n, 0, "Accesses");
	msg_put(e, w, W_IP, s, n, 0, "Source Network Address");
	msg_put(e, w, W_IP, s, n, 0, "Source Address");
	msg_put(e, w, W_IP, s, n, 0, "Client Address");
	msg_put(e, w, W_PORT, s, n, 0, "Source Port");
	msg_put(e, w, W_HANDLE, s, n, 0, "Handle ID");
	msg_put(e, w, W_PID, s, n, 0, "Process ID");
	msg_put(e, w, W_PROC_NAME, s, n, 0, "Process Name");
	msg_put(e, w, W_LOGON_TYPE, s, n, 0, "Logon Type");
	msg_put(e, w, W_WORKSTATION, s, n, 0, "Workstation Name");
}

/* ---- access masks ---- */

enum {
	A_READ = 0x1, A_WRITE = 0x2, A_APPEND = 0x4, A_READEA = 0x8,
	A_WRITEEA = 0x10, A_EXEC = 0x20, A_DELCHILD = 0x40,
	A_READATTR = 0x80, A_WRITEATTR = 0x100, A_DELETE = 0x10000,
	A_READCTL = 0x20000, A_WRITEDAC = 0x40000, A_WRITEOWN = 0x80000,
	A_SYNC = 0x100000, A_SYSSEC = 0x1000000
};

static const struct {
	const char	*code;		/* message id in AccessList */
	const char	*name;		/* the English rendering */
	unsigned long	 bit;
} access_tab[] = {
	{ "%%1537", "DELETE", A_DELETE },
	{ "%%1538", "READ_CONTROL", A_READCTL },
	{ "%%1539", "WRITE_DAC", A_WRITEDAC },
	{ "%%1540", "WRITE_OWNER", A_WRITEOWN },
	{ "%%1541", "SYNCHRONIZE", A_SYNC },
	{ "%%1542", "ACCESS_SYS_SEC", A_SYSSEC },
	{ "%%4416", "ReadData", A_READ },
	{ "%%4417", "WriteData", A_WRITE },
	{ "%%4418", "AppendData", A_APPEND },
	{ "%%4419", "ReadEA", A_READEA },
	{ "%%4420", "WriteEA", A_WRITEEA },
	{ "%%4421", "Execute", A_EXEC },
	{ "%%4422", "DeleteChild", A_DELCHILD },
	{ "%%4423", "ReadAttributes", A_READATTR },
	{ "%%4424", "WriteAttributes", A_WRITEATTR },
};

/* access_bits: the mask from AccessMask ("0x1", decimal) or else from
 * the AccessList codes or names. */
static unsigned long
access_bits(const struct winev *w)
{
	const struct span *m = &w->v[W_ACCESS_MASK];
	const struct span *l = &w->v[W_ACCESS_LIST];
	unsigned long bits = 0;
	size_t i;
	int ok = 0;

	if (m->n > 2 && m->p[0] == '0' && (m->p[1] == 'x' || m->p[1] == 'X')) {
		for (i = 2; i < m->n && i < 18; i++) {
			char c = m->p[i];
			int d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				break;
			bits = bits << 4 | (unsigned long)d;
			ok = 1;
		}
	} else if (m->n > 0) {
		long long v;

		if (parse_num_span(m->p, m->n, 0, 0xffffffffLL, &v) == 0) {
			bits = (unsigned long)v;
			ok = 1;
		}
	}
	if (ok)
		return bits;
	for (i = 0; i < sizeof(access_tab) / sizeof(access_tab[0]); i++)
		if (memmem_lit(l->p, l->n, access_tab[i].code) != NULL ||
		    memmem_lit(l->p, l->n, access_tab[i].name) != NULL)
			bits |= access_tab[i].bit;
	return bits;
}

/* access_op: the one op a mask stands for, strongest first. */
static const char *
access_op(unsigned long b)
{
	if (b & A_DELETE)
		return "delete";
	if (b & (A_WRITE | A_APPEND))
		return "write";
	if (b & A_READ)
		return "read";
	if (b & A_EXEC)
		return "exec";
	if (b & (A_WRITEDAC | A_WRITEOWN))
		return "perm";
	if (b & (A_WRITEATTR | A_WRITEEA))
		return "attr";
	if (b & A_DELCHILD)
		return "delete";
	if (b & (A_READATTR | A_READEA | A_READCTL))
		return "stat";
	return "open";
}

/* access_names: "ReadData,WriteData" for msg. */
static void
access_names(struct ev *e, unsigned long b, const char *prefix)
{
	char buf[256];
	size_t i, len;

	len = (size_t)snprintf(buf, sizeof(buf), "%s", prefix);
	for (i = 0; i < sizeof(access_tab) / sizeof(access_tab[0]); i++) {
		if (!(b & access_tab[i].bit) || access_tab[i].bit == A_SYNC)
			continue;
		if (len + strlen(access_tab[i].name) + 2 >= sizeof(buf))
			break;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    len > strlen(prefix) ? "," : " ", access_tab[i].name);
	}
	ev_copy(e, RC_MSG, buf, len);
}

/* ---- handle names, for 4660 and 4658 that log only a handle ---- */

#define HANDLE_CAP 1024

struct handle_map {
	char	*key[HANDLE_CAP];	/* "computer|pid|handle" */
	char	*name[HANDLE_CAP];
	size_t	 next;			/* ring: the oldest goes */
};

static char *
handle_key(const struct winev *w)
{
	const struct span *c = &w->v[W_COMPUTER], *p = &w->v[W_PID];
	const struct span *h = &w->v[W_HANDLE];
	char *k;

	if (h->n == 0)
		return NULL;
	k = xmalloc(c->n + p->n + h->n + 3);
	/* Unset slots have a NULL pointer: copy only what is there. */
	if (c->n > 0)
		memcpy(k, c->p, c->n);
	k[c->n] = '|';
	if (p->n > 0)
		memcpy(k + c->n + 1, p->p, p->n);
	k[c->n + 1 + p->n] = '|';
	memcpy(k + c->n + p->n + 2, h->p, h->n);
	k[c->n + p->n + h->n + 2] = '\0';
	return k;
}

static void
handle_remember(struct ln_file *f, const struct winev *w)
{
	struct handle_map *m = f->state[SLOT_WINHANDLE];
	char *k;

	if (w->v[W_OBJ_NAME].n == 0 || (k = handle_key(w)) == NULL)
		return;
	if (m == NULL)
		m = f->state[SLOT_WINHANDLE] = xcalloc(1, sizeof(*m));
	free(m->key[m->next]);
	free(m->name[m->next]);
	m->key[m->next] = k;
	m->name[m->next] = xstrndup(w->v[W_OBJ_NAME].p, w->v[W_OBJ_NAME].n);
	m->next = (m->next + 1) % HANDLE_CAP;
}

static const char *
handle_lookup(struct ln_file *f, const struct winev *w)
{
	struct handle_map *m = f->state[SLOT_WINHANDLE];
	const char *found = NULL;
	size_t i, j;
	char *k;

	if (m == NULL || (k = handle_key(w)) == NULL)
		return NULL;
	/* Newest first: handle values are reused. */
	for (i = 0; i < HANDLE_CAP && found == NULL; i++) {
		j = (m->next + HANDLE_CAP - 1 - i) % HANDLE_CAP;
		if (m->key[j] != NULL && strcmp(m->key[j], k) == 0)
			found = m->name[j];
	}
	free(k);
	return found;
}

void
win_fini(struct ln_file *f)
{
	struct handle_map *m = f->state[SLOT_WINHANDLE];
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < HANDLE_CAP; i++) {
		free(m->key[i]);
		free(m->name[i]);
	}
	free(m);
	f->state[SLOT_WINHANDLE] = NULL;
}

/* ---- time ---- */

static int
num_at(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
	int v = 0, k = 0;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9' && k < 5) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	if (k == 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
win_local_time(const char *s, size_t n, int64_t *ms)
{
	struct tm_parts p;
	size_t i = 0;
	int a, b, c;

	if (tm_parse(s, n, 1, ms) == 0)
		return 0;
	memset(&p, 0, sizeof(p));
	if (num_at(s, n, &i, 0, 9999, &a) < 0 || i >= n)
		return -1;
	if (s[i] == '/' && a > 31) {		/* YYYY/MM/DD */
		i++;
		if (num_at(s, n, &i, 1, 12, &b) < 0 || i >= n ||
		    s[i++] != '/' ||
		    num_at(s, n, &i, 1, 31, &c) < 0)
			return -1;
		p.year = a, p.mon = b, p.day = c;
	} else if (s[i] == '/' || s[i] == '.') {	/* M/D/Y, D.M.Y */
		char sep = s[i++];

		if (num_at(s, n, &i, 1, 31, &b) < 0 || i >= n ||
		    s[i++] != sep || num_at(s, n, &i, 1970, 9999, &c) < 0)
			return -1;
		p.year = c;
		if (sep == '/')
			p.mon = a, p.day = b;
		else
			p.day = a, p.mon = b;
		if (p.mon < 1 || p.mon > 12 || p.day < 1 || p.day > 31)
			return -1;
	} else
		return -1;
	while (i < n && s[i] == ' ')
		i++;
	if (num_at(s, n, &i, 0, 23, &p.hour) < 0 || i >= n || s[i++] != ':' ||
	    num_at(s, n, &i, 0, 59, &p.min) < 0)
		return -1;
	if (i < n && s[i] == ':') {
		i++;
		if (num_at(s, n, &i, 0, 60, &p.sec) < 0)
			return -1;
	}
	while (i < n && s[i] == ' ')
		i++;
	if (n - i >= 2 && (s[i] == 'P' || s[i] == 'p') &&
	    (s[i + 1] == 'M' || s[i + 1] == 'm')) {
		if (p.hour < 12)
			p.hour += 12;
	} else if (n - i >= 2 && (s[i] == 'A' || s[i] == 'a') &&
	    (s[i + 1] == 'M' || s[i + 1] == 'm')) {
		if (p.hour == 12)
			p.hour = 0;
	}
	*ms = tm_from_local(&p);
	return 0;
}

/* ---- the record ---- */

/* zoned_time: an ISO 8601 stamp with its offset, or PowerShell's
 * "/Date(ms)/" (ConvertTo-Json's form of a DateTime, always UTC). */
static int
zoned_time(struct span t, int64_t *ms)
{
	long long v;
	size_t i;

	if (t.n > 8 && memcmp(t.p, "/Date(", 6) == 0) {
		for (i = 6; i < t.n && (t.p[i] == '-' || (t.p[i] >= '0' &&
		    t.p[i] <= '9')); i++)
			;
		if (parse_num_span(t.p + 6, i - 6, -62135596800000LL,
		    253402300799999LL, &v) < 0)
			return -1;
		*ms = v;
		return 0;
	}
	return tm_parse(t.p, t.n, 0, ms);
}

static int
id_of(const struct winev *w, long long *id)
{
	return parse_num_span(w->v[W_EVENTID].p, w->v[W_EVENTID].n, 0, 65535,
	    id);
}

/* bare_user: "DOMAIN\user" -> "user". */
static struct span
bare_user(struct span u)
{
	size_t i;

	for (i = u.n; i > 0; i--)
		if (u.p[i - 1] == '\\') {
			u.p += i;
			u.n -= i;
			break;
		}
	return u;
}

/* outcome: 1 success, 0 failure, -1 unknown. */
static int
outcome(const struct winev *w)
{
	const struct span *k = &w->v[W_KEYWORDS], *o = &w->v[W_OUTCOME];
	unsigned long long bits = 0;
	size_t i;

	if (o->n > 0) {
		if (memmem_lit(o->p, o->n, "ailure") != NULL ||
		    memmem_lit(o->p, o->n, "AILURE") != NULL)
			return 0;
		if (memmem_lit(o->p, o->n, "uccess") != NULL ||
		    memmem_lit(o->p, o->n, "UCCESS") != NULL)
			return 1;
	}
	if (k->n > 2 && k->p[0] == '0' && (k->p[1] == 'x' || k->p[1] == 'X')) {
		for (i = 2; i < k->n && i < 18; i++) {
			char c = k->p[i];

			bits <<= 4;
			if (c >= '0' && c <= '9')
				bits |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				bits |= (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				bits |= (unsigned)(c - 'A' + 10);
		}
	} else if (k->n > 0) {
		long long v;

		/* NXLog writes the keywords as a signed 64-bit number. */
		if (parse_num_span(k->p, k->n, INT64_MIN, INT64_MAX, &v) == 0)
			bits = (unsigned long long)v;
		else if (k->n > 1 && k->p[0] == '-' && parse_num_span(k->p + 1,
		    k->n - 1, 0, INT64_MAX, &v) == 0)
			bits = (unsigned long long)(-v);
	}
	if (bits & (1ULL << 53))
		return 1;
	if (bits & (1ULL << 52))
		return 0;
	return -1;
}

/* first_sentence: the message's first line, for msg of other events. */
static void
first_sentence(struct ev *e, long long id, const struct span *m)
{
	size_t i, k = 0;

	/* Wazuh keeps the quotes PowerShell put around the message. */
	while (k < m->n && (m->p[k] == '"' || m->p[k] == ' '))
		k++;
	for (i = k; i < m->n && i < 200; i++)
		if (m->p[i] == '\r' || m->p[i] == '\n' || m->p[i] == '\t' ||
		    (m->p[i] == '.' && (i + 1 == m->n || m->p[i + 1] == ' ' ||
		    m->p[i + 1] == '\r' || m->p[i + 1] == '\n')))
			break;
	if (i > k)
		ev_printf(e, RC_MSG, "%lld %.*s", id, (int)(i - k), m->p + k);
	else
		ev_printf(e, RC_MSG, "%lld", id);
}

static int
is_file_object(const struct winev *w)
{
	const struct span *t = &w->v[W_OBJ_TYPE];

	return t->n == 0 || span_eq(*t, "File");
}

/* share_path: 5145's target as the server's local path when logged
 * ("\??\C:\Shares\Sales" + "q3\plan.xlsx"), so it matches what 4663
 * logs for the same file; else the share name and relative target. */
static void
share_path(struct ev *e, const struct winev *w)
{
	struct span base = w->v[W_SHARE_PATH], rel = w->v[W_REL_TARGET];
	char *d;
	size_t n;

	if (base.n >= 4 && memcmp(base.p, "\\??\\", 4) == 0) {
		base.p += 4;
		base.n -= 4;
	}
	if (base.n == 0)
		base = w->v[W_SHARE_NAME];
	while (rel.n > 0 && rel.p[0] == '\\') {
		rel.p++;
		rel.n--;
	}
	if (rel.n == 0) {
		ev_set(e, RC_FILE, base.p, base.n);
		return;
	}
	while (base.n > 0 && base.p[base.n - 1] == '\\')
		base.n--;
	n = base.n + 1 + rel.n;
	d = ev_alloc(e, n);
	if (base.n > 0)
		memcpy(d, base.p, base.n);
	d[base.n] = '\\';
	memcpy(d + base.n + 1, rel.p, rel.n);
	ev_set(e, RC_FILE, d, n);
}

static void
set_user(struct ev *e, struct span u)
{
	u = bare_user(u);
	if (u.n > 0 && !(u.n == 1 && u.p[0] == '-'))
		ev_set(e, RC_USER, u.p, u.n);
}

int
win_finish(struct ln_file *f, struct ev *e, struct winev *w,
    const char **why)
{
	long long id;
	unsigned long bits;
	int64_t ms;
	int ok;
	const char *name;
	struct span *prov = &w->v[W_PROVIDER];
	int sysmon = memmem_lit(prov->p, prov->n, "Sysmon") != NULL;

	if (id_of(w, &id) < 0) {
		*why = "Windows event without a numeric event id";
		return LN_BAD;
	}
	if (w->v[W_MESSAGE].n > 0)
		win_from_message(e, w, w->v[W_MESSAGE].p, w->v[W_MESSAGE].n);
	if ((w->v[W_TIMEZ].n > 0 && (zoned_time(w->v[W_TIMEZ], &ms) == 0 ||
	    win_local_time(w->v[W_TIMEZ].p,
	    w->v[W_TIMEZ].n, &ms) == 0)) ||
	    (w->v[W_TIMELOCAL].n > 0 && win_local_time(w->v[W_TIMELOCAL].p,
	    w->v[W_TIMELOCAL].n, &ms) == 0) ||
	    (w->v[W_TIMEUTC].n > 0 && tm_parse(w->v[W_TIMEUTC].p,
	    w->v[W_TIMEUTC].n, 0, &ms) == 0))
		e->ts = ms;
	if (w->v[W_COMPUTER].n > 0)
		ev_sets(e, RC_SENSOR, w->v[W_COMPUTER]);
	ok = outcome(w);
	if (ok >= 0)
		ev_setz(e, RC_ACTION, ok ? "allow" : "deny");
	if (w->v[W_IP].n > 0)
		ev_sets(e, RC_SRC, w->v[W_IP]);
	if (w->v[W_PORT].n > 0 && !span_eq(w->v[W_PORT], "0"))
		ev_sets(e, RC_SPORT, w->v[W_PORT]);
	set_user(e, w->v[W_SUBJ_USER]);

	if (sysmon) {
		switch (id) {
		case 11: case 15: case 23: case 26: case 2: case 29:
			ev_setz(e, RC_KIND, "file");
			ev_sets(e, RC_FILE, w->v[W_TARGET_FILE]);
			ev_setz(e, RC_OP, id == 23 || id == 26 ? "delete" :
			    id == 2 ? "attr" : "create");
			set_user(e, w->v[W_USER]);
			ev_printf(e, RC_MSG, "sysmon %lld %.*s", id,
			    (int)w->v[W_IMAGE].n, w->v[W_IMAGE].p);
			return LN_OK;
		default:
			ev_setz(e, RC_KIND, "sys");
			set_user(e, w->v[W_USER]);
			ev_printf(e, RC_MSG, "sysmon %lld %.*s", id,
			    (int)w->v[W_IMAGE].n, w->v[W_IMAGE].p);
			return LN_OK;
		}
	}
	switch (id) {
	case 4656:
	case 4663:
	case 4670:
		ev_setz(e, RC_KIND, is_file_object(w) ? "file" : "sys");
		ev_sets(e, RC_FILE, w->v[W_OBJ_NAME]);
		bits = access_bits(w);
		/* 4656 is the request for a handle, 4663 the access made
		 * with it: only 4663 says what was done. */
		ev_setz(e, RC_OP, id == 4656 ? "open" : id == 4670 ? "perm" :
		    access_op(bits));
		access_names(e, bits, id == 4656 ? "4656" : id == 4663 ?
		    "4663" : "4670");
		if (id != 4670)
			handle_remember(f, w);
		return LN_OK;
	case 4660:
	case 4658:
		name = handle_lookup(f, w);
		if (name != NULL)
			ev_copy(e, RC_FILE, name, strlen(name));
		ev_setz(e, RC_KIND, "file");
		/* 4660 confirms the deletion the 4663 with DELETE logged:
		 * a distinct op, so deletions are not counted twice. */
		ev_setz(e, RC_OP, id == 4660 ? "deleted" : "close");
		ev_printf(e, RC_MSG, "%lld", id);
		return LN_OK;
	case 5140:
	case 5145:
		ev_setz(e, RC_KIND, "file");
		bits = access_bits(w);
		if (id == 5140) {
			ev_sets(e, RC_FILE, w->v[W_SHARE_NAME]);
			ev_setz(e, RC_OP, "connect");
		} else {
			share_path(e, w);
			ev_setz(e, RC_OP, access_op(bits));
		}
		access_names(e, bits, id == 5140 ? "5140" : "5145");
		return LN_OK;
	case 4624: case 4625: case 4634: case 4647: case 4648:
	case 4768: case 4769: case 4771: case 4776: case 4740: case 4778:
	case 4779:
		ev_setz(e, RC_KIND, "auth");
		if (w->v[W_TGT_USER].n > 0) {
			e->f[RC_USER].n = 0;
			set_user(e, w->v[W_TGT_USER]);
		}
		if (id == 4625 || id == 4771)
			ev_setz(e, RC_ACTION, "deny");
		if (w->v[W_LOGON_TYPE].n > 0)
			ev_printf(e, RC_MSG, "%lld logon type %.*s", id,
			    (int)w->v[W_LOGON_TYPE].n, w->v[W_LOGON_TYPE].p);
		else
			first_sentence(e, id, &w->v[W_MESSAGE]);
		return LN_OK;
	case 4688:
		ev_setz(e, RC_KIND, "sys");
		ev_sets(e, RC_FILE, w->v[W_NEW_PROC]);
		ev_setz(e, RC_OP, "exec");
		first_sentence(e, id, &w->v[W_MESSAGE]);
		return LN_OK;
	default:
		ev_setz(e, RC_KIND, "sys");
		if (e->f[RC_USER].n == 0)
			set_user(e, w->v[W_TGT_USER]);
		first_sentence(e, id, &w->v[W_MESSAGE]);
		return LN_OK;
	}
}

/* ---- JSON ---- */

/* PowerShell's Properties[] are positional: the EventData order of the
 * event's template. */
static const struct {
	int		 id;
	signed char	 slot[22];
} ps_props[] = {
	{ 4663, { -1, W_SUBJ_USER, W_SUBJ_DOMAIN, -1, -1, W_OBJ_TYPE,
	    W_OBJ_NAME, W_HANDLE, W_ACCESS_LIST, W_ACCESS_MASK, W_PID,
	    W_PROC_NAME, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 } },
	{ 4656, { -1, W_SUBJ_USER, W_SUBJ_DOMAIN, -1, -1, W_OBJ_TYPE,
	    W_OBJ_NAME, W_HANDLE, -1, W_ACCESS_LIST, -1, W_ACCESS_MASK, -1,
	    -1, W_PID, W_PROC_NAME, -1, -1, -1, -1, -1, -1 } },
	{ 4660, { -1, W_SUBJ_USER, W_SUBJ_DOMAIN, -1, -1, W_HANDLE, W_PID,
	    W_PROC_NAME, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	    -1 } },
	{ 5140, { -1, W_SUBJ_USER, W_SUBJ_DOMAIN, -1, W_OBJ_TYPE, W_IP,
	    W_PORT, W_SHARE_NAME, W_SHARE_PATH, W_ACCESS_MASK, W_ACCESS_LIST,
	    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 } },
	{ 5145, { -1, W_SUBJ_USER, W_SUBJ_DOMAIN, -1, W_OBJ_TYPE, W_IP,
	    W_PORT, W_SHARE_NAME, W_SHARE_PATH, W_REL_TARGET, W_ACCESS_MASK,
	    W_ACCESS_LIST, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 } },
	{ 4624, { -1, W_SUBJ_USER, W_SUBJ_DOMAIN, -1, -1, W_TGT_USER,
	    W_TGT_DOMAIN, -1, W_LOGON_TYPE, -1, -1, W_WORKSTATION, -1, -1,
	    -1, -1, W_PID, W_PROC_NAME, W_IP, W_PORT, -1, -1 } },
	{ 4625, { -1, W_SUBJ_USER, W_SUBJ_DOMAIN, -1, -1, W_TGT_USER,
	    W_TGT_DOMAIN, W_STATUS, -1, -1, W_LOGON_TYPE, -1, -1,
	    W_WORKSTATION, -1, -1, -1, W_PID, W_PROC_NAME, W_IP, W_PORT,
	    -1 } },
};

/* json_put: a scalar JSON value into slot s. */
static void
json_put(struct ev *e, struct winev *w, int s, json_t *v)
{
	char buf[32];
	int n;

	if (s < 0 || v == NULL)
		return;
	if (json_is_object(v)) {
		/* evtx_dump: {"#text": 4663, "#attributes": {...}} */
		json_put(e, w, s, json_object_get(v, "#text"));
		return;
	}
	if (json_is_array(v)) {
		/* Winlogbeat keywords ["Audit Success"]. */
		if (json_array_size(v) > 0)
			json_put(e, w, s, json_array_get(v, 0));
		return;
	}
	if (json_is_string(v))
		win_put(e, w, s, json_string_value(v), json_string_length(v));
	else if (json_is_integer(v)) {
		n = snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		win_put(e, w, s, buf, (size_t)n);
	}
}

/* json_walk: every member of o whose name is known, scalars before the
 * nested objects so top-level values win; depth bounded. */
static void
json_walk(struct ev *e, struct winev *w, json_t *o, int depth)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		if (!json_is_object(v) || json_object_get(v, "#text") != NULL)
			json_put(e, w, win_slot_of(k, strlen(k)), v);
		/* evtx_dump: "Provider": {"#attributes": {"Name": ...}} */
		else if (strcmp(k, "Provider") == 0)
			json_put(e, w, W_PROVIDER,
			    jx_get(v, "#attributes.Name"));
	}
	if (depth >= 4)
		return;
	json_object_foreach(o, k, v)
		if (json_is_object(v))
			json_walk(e, w, v, depth + 1);
}

static void
json_props(struct ev *e, struct winev *w, json_t *root)
{
	json_t *pr = json_object_get(root, "Properties"), *x;
	long long id;
	size_t i, k;

	if (!json_is_array(pr) || id_of(w, &id) < 0)
		return;
	for (k = 0; k < sizeof(ps_props) / sizeof(ps_props[0]); k++) {
		if (ps_props[k].id != id)
			continue;
		json_array_foreach(pr, i, x) {
			if (i >= sizeof(ps_props[k].slot))
				break;
			if (json_is_object(x))
				x = json_object_get(x, "Value");
			json_put(e, w, ps_props[k].slot[i], x);
		}
	}
}

/* winjson_obj: the record of one JSON object s[0..n) (a trailing comma,
 * as between the elements of an array, is allowed). */
static int
winjson_obj(struct ln_file *f, struct ev *e, const char *s, size_t n,
    const char **why)
{
	struct winev w;
	json_error_t err;
	json_t *root;
	int rc;

	root = json_loadb(s, n, JSON_DISABLE_EOF_CHECK, &err);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		*why = "Windows event JSON that is not a well-formed object";
		return LN_BAD;
	}
	memset(&w, 0, sizeof(w));
	json_walk(e, &w, root, 0);
	json_props(e, &w, root);
	json_decref(root);
	if (w.v[W_EVENTID].n == 0) {
		*why = "JSON without a Windows event id";
		return LN_BAD;
	}
	rc = win_finish(f, e, &w, why);
	if (rc == LN_OK && e->ts == TM_NONE) {
		*why = "Windows event JSON without a usable time";
		return LN_BAD;
	}
	return rc;
}

/*
 * PowerShell's ConvertTo-Json without -Compress writes an array of
 * indented objects over many lines.  Such an object is held from its "{"
 * line until its braces balance (strings and escapes are followed, so a
 * brace in a message does not count), at most FILE_HOLD_MAX bytes.
 */
struct jhold {
	char	*buf;
	size_t	 len, cap;
	int	 depth, instr, esc;
};

static void
jhold_scan(struct jhold *h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (h->instr) {
			if (h->esc)
				h->esc = 0;
			else if (s[i] == '\\')
				h->esc = 1;
			else if (s[i] == '"')
				h->instr = 0;
		} else if (s[i] == '"')
			h->instr = 1;
		else if (s[i] == '{' || s[i] == '[')
			h->depth++;
		else if (s[i] == '}' || s[i] == ']')
			h->depth--;
	}
}

static void
jhold_add(struct jhold *h, const char *s, size_t n)
{
	if (h->len + n + 1 > h->cap) {
		h->cap = (h->len + n + 1) * 2;
		h->buf = xrealloc(h->buf, h->cap);
	}
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len++] = '\n';
	jhold_scan(h, s, n);
}

/* trimmed: s without blanks around it is exactly lit. */
static int
trimmed(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	while (n > 0 && (s[0] == ' ' || s[0] == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == ','))
		n--;
	return n == k && memcmp(s, lit, k) == 0;
}

int
file_winjson_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	struct jhold *h = f->state[SLOT_WINJSON];
	int rc;

	if (h != NULL && h->len > 0) {
		if (h->len + n + 1 > FILE_HOLD_MAX) {
			h->len = 0;
			*why = "JSON event longer than 1 MiB";
			return LN_BAD;
		}
		jhold_add(h, msg, n);
		if (h->depth > 0)
			return LN_HOLD;
		rc = winjson_obj(f, e, h->buf, h->len, why);
		h->len = 0;
		return rc;
	}
	if (env == NULL && (trimmed(msg, n, "[") || trimmed(msg, n, "]")))
		return LN_SKIP;
	if (env == NULL && trimmed(msg, n, "{")) {
		if (h == NULL)
			h = f->state[SLOT_WINJSON] = xcalloc(1, sizeof(*h));
		h->depth = h->instr = h->esc = 0;
		jhold_add(h, msg, n);
		return LN_HOLD;
	}
	if (!(jx_looks(msg, n, "EventID\"") || jx_looks(msg, n, "eventID\"") ||
	    jx_looks(msg, n, "\"event_id\"") || jx_looks(msg, n, "\"Id\":") ||
	    jx_looks(msg, n, "\"EventId\"")))
		return LN_NO;
	/* Other sensors' JSON that happens to hold such a key. */
	if (jx_looks(msg, n, "\"event_type\"") || jx_looks(msg, n, "\"_path\""))
		return LN_NO;
	return winjson_obj(f, e, msg, n, why);
}

/* A pretty-printed object cut off by the end of the input. */
int
file_winjson_flush(struct ln_file *f, struct ev *e)
{
	struct jhold *h = f->state[SLOT_WINJSON];
	const char *why;
	int rc;

	if (h == NULL || h->len == 0)
		return LN_NO;
	/* A cut-off object is not JSON: say so in a record rather than
	 * drop the lines that were held. */
	rc = winjson_obj(f, e, h->buf, h->len, &why);
	h->len = 0;
	if (rc != LN_OK) {
		ev_reset(e);
		ev_setz(e, RC_KIND, "sys");
	}
	ev_setz(e, RC_MSG, "truncated Windows JSON event at end of input");
	return LN_OK;
}

void
file_winjson_fini(struct ln_file *f)
{
	struct jhold *h = f->state[SLOT_WINJSON];

	if (h != NULL) {
		free(h->buf);
		free(h);
	}
	f->state[SLOT_WINJSON] = NULL;
}

/* ---- Snare ---- */

/*
 * Snare's MSWinEventLog line: tab-separated criticality, log, record
 * number, "Fri Sep 17 16:37:25 2021" (local), event id, source, user,
 * SID type, event type ("Success Audit"), computer, category, data, the
 * message with its line breaks flattened, and a counter.
 */
int
file_snare_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	struct span fld[16];
	struct winev w;
	struct tm_parts p;
	size_t i, j, k;
	int nf = 0, rc;

	(void)env;

	if (n < 14 || memcmp(msg, "MSWinEventLog", 13) != 0)
		return LN_NO;
	for (i = 0; i <= n && nf < 16; i = j + 1) {
		for (j = i; j < n && msg[j] != '\t'; j++)
			;
		fld[nf].p = msg + i;
		fld[nf].n = j - i;
		nf++;
	}
	if (nf < 14) {
		*why = "Snare line with fewer than 14 tab-separated fields";
		return LN_BAD;
	}
	memset(&w, 0, sizeof(w));
	win_put(e, &w, W_EVENTID, fld[5].p, fld[5].n);
	win_put(e, &w, W_PROVIDER, fld[6].p, fld[6].n);
	win_put(e, &w, W_OUTCOME, fld[9].p, fld[9].n);
	win_put(e, &w, W_COMPUTER, fld[10].p, fld[10].n);
	win_put(e, &w, W_MESSAGE, fld[13].p, fld[13].n);
	if (!span_eq(fld[7], "N/A") && !span_eq(fld[7], "Unknown User"))
		win_put(e, &w, W_USER, fld[7].p, fld[7].n);
	rc = win_finish(f, e, &w, why);
	if (rc != LN_OK)
		return rc;
	/* "Fri Sep 17 16:37:25 2021": the sender's local time. */
	memset(&p, 0, sizeof(p));
	k = fld[4].n;
	if (k >= 24 && (p.mon = tm_month_abbr(fld[4].p + 4)) > 0) {
		const char *s = fld[4].p;
		size_t x = 8;

		if (s[x] == ' ')
			x++;
		if (num_at(s, k, &x, 1, 31, &p.day) == 0 && x < k &&
		    s[x++] == ' ' && num_at(s, k, &x, 0, 23, &p.hour) == 0 &&
		    x < k && s[x++] == ':' && num_at(s, k, &x, 0, 59,
		    &p.min) == 0 && x < k && s[x++] == ':' &&
		    num_at(s, k, &x, 0, 60, &p.sec) == 0 && x < k &&
		    s[x++] == ' ' && num_at(s, k, &x, 1970, 9999,
		    &p.year) == 0)
			e->ts = tm_from_local(&p);
	}
	if (e->f[RC_USER].n == 0 && w.v[W_USER].n > 0)
		set_user(e, w.v[W_USER]);
	return LN_OK;
}
