/*
 * Windows events in the two exports that span lines: XML (wevtutil qe
 * /f:xml, one <Event> per line or pretty-printed over many) and CSV (Event
 * Viewer's "Save as CSV" and PowerShell's Export-Csv, whose Message column
 * holds quoted line breaks).  Lines of an open event are held (LN_HOLD) in
 * per-file state, at most FILE_HOLD_MAX bytes; the record comes out on the
 * line that closes the event.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "file.h"
#include "util.h"

struct hold {
	char	*buf;
	size_t	 len, cap;
};

static void
hold_add(struct hold *h, const char *s, size_t n)
{
	if (h->len + n + 1 > h->cap) {
		h->cap = (h->len + n + 1) * 2;
		h->buf = xrealloc(h->buf, h->cap);
	}
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len++] = '\n';
}

/* ---- XML ---- */

/* xml_text: s[0..n) with the five entities and &#N; / &#xH; decoded, in
 * the arena (or s itself when there is nothing to decode). */
static struct span
xml_text(struct ev *e, const char *s, size_t n)
{
	struct span r = { s, n };
	char *d;
	size_t i, k = 0, j;
	unsigned long cp;

	if (memchr(s, '&', n) == NULL)
		return r;
	d = ev_alloc(e, n);
	for (i = 0; i < n; i++) {
		if (s[i] != '&') {
			d[k++] = s[i];
			continue;
		}
		for (j = i + 1; j < n && j < i + 12 && s[j] != ';'; j++)
			;
		if (j >= n || s[j] != ';') {
			d[k++] = s[i];
			continue;
		}
		struct span ent = { s + i + 1, j - i - 1 };

		if (span_eq(ent, "lt"))
			d[k++] = '<';
		else if (span_eq(ent, "gt"))
			d[k++] = '>';
		else if (span_eq(ent, "amp"))
			d[k++] = '&';
		else if (span_eq(ent, "quot"))
			d[k++] = '"';
		else if (span_eq(ent, "apos"))
			d[k++] = '\'';
		else if (ent.n > 1 && ent.p[0] == '#') {
			char *end;
			char num[12];

			memcpy(num, ent.p + 1, ent.n - 1);
			num[ent.n - 1] = '\0';
			if (num[0] == 'x' || num[0] == 'X')
				cp = strtoul(num + 1, &end, 16);
			else
				cp = strtoul(num, &end, 10);
			/* Only ASCII is decoded: a larger code point would
			 * need more bytes than the entity took. */
			if (*end != '\0' || cp == 0 || cp > 0x7f) {
				memcpy(d + k, s + i, j - i + 1);
				k += j - i + 1;
			} else
				d[k++] = (char)cp;
		} else {
			memcpy(d + k, s + i, j - i + 1);
			k += j - i + 1;
		}
		i = j;
	}
	r.p = d;
	r.n = k;
	return r;
}

/* xml_attr: value of attribute name inside the tag s[0..n). */
static int
xml_attr(const char *s, size_t n, const char *name, struct span *v)
{
	const char *p;
	size_t k = strlen(name), i;
	char q;

	for (i = 0; i < n; i = (size_t)(p - s) + 1) {
		if ((p = memmem_lit(s + i, n - i, name)) == NULL)
			return 0;
		if (p == s || (p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n'))
			continue;
		i = (size_t)(p - s) + k;
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n || s[i] != '=')
			continue;
		i++;
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n || (s[i] != '\'' && s[i] != '"'))
			continue;
		q = s[i++];
		v->p = s + i;
		while (i < n && s[i] != q)
			i++;
		v->n = (size_t)(s + i - v->p);
		return 1;
	}
	return 0;
}

/* xml_elem: the text of the first <tag ...>text</ (from pos), and the
 * tag's attribute part; returns the position after it or 0. */
static size_t
xml_elem(const char *s, size_t n, size_t pos, const char *tag,
    struct span *attrs, struct span *text)
{
	const char *p;
	size_t k = strlen(tag), i, j;

	while (pos < n && (p = memmem_lit(s + pos, n - pos, tag)) != NULL) {
		i = (size_t)(p - s) + k;
		pos = i;
		if (p == s || p[-1] != '<' || i >= n || (s[i] != '>' &&
		    s[i] != ' ' && s[i] != '/' && s[i] != '\t' && s[i] != '\n'))
			continue;
		for (j = i; j < n && s[j] != '>'; j++)
			;
		if (j >= n)
			return 0;
		attrs->p = s + i;
		attrs->n = j - i;
		if (s[j - 1] == '/') {		/* <Data Name='x'/> */
			attrs->n--;
			text->p = s + j;
			text->n = 0;
			return j + 1;
		}
		i = j + 1;
		for (j = i; j < n && s[j] != '<'; j++)
			;
		text->p = s + i;
		text->n = j - i;
		return j;
	}
	return 0;
}

static int
xml_event(struct ln_file *f, struct ev *e, const char *s, size_t n,
    const char **why)
{
	struct winev w;
	struct span a, t, v;
	size_t pos;
	int slot;

	memset(&w, 0, sizeof(w));
	if (xml_elem(s, n, 0, "EventID", &a, &t))
		win_put(e, &w, W_EVENTID, t.p, t.n);
	if (xml_elem(s, n, 0, "Provider", &a, &t) && xml_attr(a.p, a.n, "Name",
	    &v))
		win_put(e, &w, W_PROVIDER, v.p, v.n);
	if (xml_elem(s, n, 0, "TimeCreated", &a, &t) && xml_attr(a.p, a.n,
	    "SystemTime", &v))
		win_put(e, &w, W_TIMEZ, v.p, v.n);
	if (xml_elem(s, n, 0, "Computer", &a, &t)) {
		v = xml_text(e, t.p, t.n);
		win_put(e, &w, W_COMPUTER, v.p, v.n);
	}
	if (xml_elem(s, n, 0, "Keywords", &a, &t))
		win_put(e, &w, W_KEYWORDS, t.p, t.n);
	if (xml_elem(s, n, 0, "Keyword", &a, &t))
		win_put(e, &w, W_OUTCOME, t.p, t.n);
	if (xml_elem(s, n, 0, "Message", &a, &t)) {
		v = xml_text(e, t.p, t.n);
		win_put(e, &w, W_MESSAGE, v.p, v.n);
	}
	for (pos = 0; (pos = xml_elem(s, n, pos, "Data", &a, &t)) != 0;) {
		if (!xml_attr(a.p, a.n, "Name", &v))
			continue;
		if ((slot = win_slot_of(v.p, v.n)) < 0)
			continue;
		v = xml_text(e, t.p, t.n);
		win_put(e, &w, slot, v.p, v.n);
	}
	if (w.v[W_EVENTID].n == 0) {
		*why = "XML event without an EventID";
		return LN_BAD;
	}
	return win_finish(f, e, &w, why);
}

static int
event_open_at(const char *s, size_t n)
{
	const char *p = memmem_lit(s, n, "<Event");

	return p != NULL && (size_t)(p - s) + 6 < n &&
	    (p[6] == ' ' || p[6] == '>');
}

/* event_start: offset of the first "<Event " or "<Event>" in s, or n. */
static size_t
event_start(const char *s, size_t n)
{
	const char *p;
	size_t i = 0;

	while (i < n && (p = memmem_lit(s + i, n - i, "<Event")) != NULL) {
		i = (size_t)(p - s);
		if (i + 6 < n && (p[6] == ' ' || p[6] == '>'))
			return i;
		i++;
	}
	return n;
}

/*
 * XML state: the open (unclosed) event, and a queue of complete events
 * not yet turned into records.  wevtutil may write many events on one
 * line; each call returns one record, so the others wait in the queue
 * and come out on the lines that follow or at the end of the file.
 */
struct winxml {
	struct hold	 open;		/* lines of the event still open */
	char		*q;		/* queued events: length, then text */
	size_t		 qhead, qlen, qcap;
};

#define XML_QUEUE_MAX	(16u << 20)

static int
queue_push(struct winxml *x, const char *a, size_t an, const char *b,
    size_t bn)
{
	size_t need = sizeof(size_t) + an + bn;

	if (x->qlen - x->qhead + need > XML_QUEUE_MAX)
		return -1;
	if (x->qlen + need > x->qcap) {
		x->qcap = (x->qlen + need) * 2;
		x->q = xrealloc(x->q, x->qcap);
	}
	memcpy(x->q + x->qlen, &need, sizeof(size_t));
	if (an > 0)
		memcpy(x->q + x->qlen + sizeof(size_t), a, an);
	if (bn > 0)
		memcpy(x->q + x->qlen + sizeof(size_t) + an, b, bn);
	x->qlen += need;
	return 0;
}

static int
queue_pop(struct ln_file *f, struct winxml *x, struct ev *e,
    const char **why)
{
	size_t need;
	int rc;

	memcpy(&need, x->q + x->qhead, sizeof(size_t));
	rc = xml_event(f, e, x->q + x->qhead + sizeof(size_t),
	    need - sizeof(size_t), why);
	x->qhead += need;
	if (x->qhead == x->qlen)
		x->qhead = x->qlen = 0;
	return rc;
}

/* take_events: the events that start and end in s[0..n) go to the
 * queue, an event left open at the end to x->open.  Returns -1 when the
 * queue or the open event would pass its limit. */
static int
take_events(struct winxml *x, const char *s, size_t n)
{
	const char *p;
	size_t i = 0, end;

	for (;;) {
		i += event_start(s + i, n - i);
		if (i >= n)
			return 0;
		p = memmem_lit(s + i, n - i, "</Event>");
		if (p == NULL) {
			if (n - i + 1 > FILE_HOLD_MAX)
				return -1;
			hold_add(&x->open, s + i, n - i);
			return 0;
		}
		end = (size_t)(p - s) + 8;
		if (queue_push(x, s + i, end - i, NULL, 0) < 0)
			return -1;
		i = end;
	}
}

int
file_winxml_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	struct winxml *x = f->state[SLOT_WINXML];
	const char *p;
	size_t i = 0, end;

	(void)env;

	if (x != NULL && x->open.len > 0) {
		p = memmem_lit(msg, n, "</Event>");
		if (event_open_at(msg, p != NULL ? (size_t)(p - msg) : n)) {
			/* The open event never closed: say so on this line
			 * and start over with the new event. */
			x->open.len = 0;
			if (take_events(x, msg, n) < 0)
				x->open.len = 0;
			*why = "an XML event was not closed before the next "
			    "<Event> (its lines are lost)";
			return LN_BAD;
		}
		if (p == NULL) {
			if (x->open.len + n + 1 > FILE_HOLD_MAX) {
				x->open.len = 0;
				*why = "XML event longer than 1 MiB";
				return LN_BAD;
			}
			hold_add(&x->open, msg, n);
		} else {
			end = (size_t)(p - msg) + 8;
			if (queue_push(x, x->open.buf, x->open.len, msg,
			    end) < 0 || take_events(x, msg + end, n - end) < 0) {
				x->open.len = 0;
				*why = "too many XML events held at once";
				return LN_BAD;
			}
			x->open.len = 0;
		}
	} else {
		while (i < n && (msg[i] == ' ' || msg[i] == '\t'))
			i++;
		if (i >= n || msg[i] != '<')
			return LN_NO;
		if (!event_open_at(msg + i, n - i)) {
			struct span s = { msg + i, n - i };

			if (span_starts(s, "<?xml") ||
			    span_starts(s, "<Events>") ||
			    span_starts(s, "</Events>"))
				return x != NULL && x->qlen > x->qhead ?
				    queue_pop(f, x, e, why) : LN_SKIP;
			return LN_NO;
		}
		/* The common case, one whole event on the line and nothing
		 * waiting: no copy. */
		p = memmem_lit(msg, n, "</Event>");
		if (p != NULL && (x == NULL || x->qlen == x->qhead) &&
		    event_start(p, n - (size_t)(p - msg)) == n -
		    (size_t)(p - msg))
			return xml_event(f, e, msg, n, why);
		if (x == NULL)
			x = f->state[SLOT_WINXML] = xcalloc(1, sizeof(*x));
		if (take_events(x, msg, n) < 0) {
			x->open.len = 0;
			*why = p == NULL ? "XML event longer than 1 MiB" :
			    "too many XML events held at once";
			return LN_BAD;
		}
	}
	if (x->qlen > x->qhead)
		return queue_pop(f, x, e, why);
	return LN_HOLD;
}

/* At the end of the file: the queued events, then an event cut off by
 * the end, which still says what it can. */
int
file_winxml_flush(struct ln_file *f, struct ev *e)
{
	struct winxml *x = f->state[SLOT_WINXML];
	const char *why;
	int rc;

	if (x == NULL)
		return LN_NO;
	while (x->qlen > x->qhead) {
		ev_reset(e);
		if (queue_pop(f, x, e, &why) == LN_OK)
			return LN_OK;
	}
	if (x->open.len == 0)
		return LN_NO;
	ev_reset(e);
	rc = xml_event(f, e, x->open.buf, x->open.len, &why);
	x->open.len = 0;
	if (rc == LN_OK)
		ev_setz(e, RC_MSG, "truncated XML event at end of input");
	return rc == LN_OK ? LN_OK : LN_NO;
}

void
file_winxml_fini(struct ln_file *f)
{
	struct winxml *x = f->state[SLOT_WINXML];

	if (x != NULL) {
		free(x->open.buf);
		free(x->q);
		free(x);
	}
	f->state[SLOT_WINXML] = NULL;
	win_fini(f);
}

/* ---- CSV ---- */

#define CSV_MAXCOLS 64

struct wincsv {
	int		 ncols;
	int		 c_id, c_time, c_computer, c_msg;
	int		 c_keywords, c_provider;
	struct hold	 row;
};

/* csv_split: RFC 4180 fields of s[0..n) into fld (decoded into the arena
 * when quoted); returns the number of fields (at most max). */
static int
csv_split(struct ev *e, const char *s, size_t n, struct span *fld, int max)
{
	size_t i = 0, k;
	int nf = 0;
	char *d;

	while (nf < max) {
		if (i < n && s[i] == '"') {
			d = ev_alloc(e, n - i);
			k = 0;
			for (i++; i < n; i++) {
				if (s[i] == '"') {
					if (i + 1 < n && s[i + 1] == '"')
						d[k++] = s[i++];
					else {
						i++;
						break;
					}
				} else
					d[k++] = s[i];
			}
			fld[nf].p = d;
			fld[nf].n = k;
			while (i < n && s[i] != ',')
				i++;
		} else {
			fld[nf].p = s + i;
			while (i < n && s[i] != ',')
				i++;
			fld[nf].n = (size_t)(s + i - fld[nf].p);
		}
		nf++;
		if (i >= n)
			break;
		i++;			/* the comma */
	}
	return nf;
}

static int
col_is(struct span s, const char *a)
{
	return span_ieq(s, a);
}

/* csv_header: a header of a Windows event export, or 0. */
static int
csv_header(struct ln_file *f, struct ev *e, const char *s, size_t n)
{
	struct span fld[CSV_MAXCOLS];
	struct wincsv *c;
	int nf, i;

	/* Cheap first: Event Viewer's header starts with its first column
	 * name, Export-Csv's with a quote. */
	if (n < 9 || !(s[0] == '"' || memcmp(s, "Level,", 6) == 0 ||
	    memcmp(s, "Keywords,", 9) == 0))
		return 0;
	if (!((memmem_lit(s, n, "Event ID") && memmem_lit(s, n,
	    "Date and Time")) || (memmem_lit(s, n, "TimeCreated") &&
	    memmem_lit(s, n, "Id") && memmem_lit(s, n, "Message"))))
		return 0;
	nf = csv_split(e, s, n, fld, CSV_MAXCOLS);
	c = f->state[SLOT_WINCSV];
	if (c == NULL)
		c = f->state[SLOT_WINCSV] = xcalloc(1, sizeof(*c));
	c->ncols = nf;
	c->c_id = c->c_time = c->c_computer = c->c_msg = c->c_keywords =
	    c->c_provider = -1;
	for (i = 0; i < nf; i++) {
		if (col_is(fld[i], "Event ID") || col_is(fld[i], "Id") ||
		    col_is(fld[i], "EventID"))
			c->c_id = i;
		else if (col_is(fld[i], "Date and Time") ||
		    col_is(fld[i], "TimeCreated"))
			c->c_time = i;
		else if (col_is(fld[i], "MachineName") ||
		    col_is(fld[i], "Computer"))
			c->c_computer = i;
		else if (col_is(fld[i], "Message") ||
		    col_is(fld[i], "Description"))
			c->c_msg = i;
		else if (col_is(fld[i], "Keywords"))
			c->c_keywords = i;
		else if (col_is(fld[i], "Source") ||
		    col_is(fld[i], "ProviderName"))
			c->c_provider = i;
	}
	/* Event Viewer leaves the description column without a name. */
	if (c->c_msg < 0)
		c->c_msg = nf;
	c->row.len = 0;
	return c->c_id >= 0;
}

static int
quotes_balanced(const char *s, size_t n)
{
	size_t i, q = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '"')
			q++;
	return q % 2 == 0;
}

static int
csv_row(struct ln_file *f, struct wincsv *c, struct ev *e, const char *s,
    size_t n, const char **why)
{
	struct span fld[CSV_MAXCOLS];
	struct winev w;
	struct span k;
	int nf, rc;

	nf = csv_split(e, s, n, fld, CSV_MAXCOLS);
	if (nf <= c->c_id) {
		*why = "CSV row with fewer columns than its header";
		return LN_BAD;
	}
	memset(&w, 0, sizeof(w));
	win_put(e, &w, W_EVENTID, fld[c->c_id].p, fld[c->c_id].n);
	if (c->c_time >= 0 && c->c_time < nf)
		win_put(e, &w, W_TIMELOCAL, fld[c->c_time].p,
		    fld[c->c_time].n);
	if (c->c_computer >= 0 && c->c_computer < nf)
		win_put(e, &w, W_COMPUTER, fld[c->c_computer].p,
		    fld[c->c_computer].n);
	if (c->c_provider >= 0 && c->c_provider < nf)
		win_put(e, &w, W_PROVIDER, fld[c->c_provider].p,
		    fld[c->c_provider].n);
	if (c->c_keywords >= 0 && c->c_keywords < nf) {
		k = fld[c->c_keywords];
		/* Export-Csv writes the number, Event Viewer the words. */
		win_put(e, &w, k.n > 0 && (k.p[0] == '-' || (k.p[0] >= '0' &&
		    k.p[0] <= '9')) ? W_KEYWORDS : W_OUTCOME, k.p, k.n);
	}
	if (c->c_msg < nf)
		win_put(e, &w, W_MESSAGE, fld[c->c_msg].p, fld[c->c_msg].n);
	rc = win_finish(f, e, &w, why);
	if (rc == LN_OK && e->ts == TM_NONE) {
		*why = "CSV row without a usable time";
		return LN_BAD;
	}
	return rc;
}

int
file_wincsv_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	struct wincsv *c = f->state[SLOT_WINCSV];
	int rc;

	(void)env;

	if (n >= 6 && memcmp(msg, "#TYPE ", 6) == 0)
		return LN_SKIP;
	if (c == NULL || c->row.len == 0) {
		if (csv_header(f, e, msg, n))
			return LN_SKIP;
		c = f->state[SLOT_WINCSV];
		if (c == NULL || c->c_id < 0)
			return LN_NO;
	}
	if (c->row.len > 0) {
		if (c->row.len + n + 1 > FILE_HOLD_MAX) {
			c->row.len = 0;
			*why = "CSV row longer than 1 MiB";
			return LN_BAD;
		}
		hold_add(&c->row, msg, n);
		if (!quotes_balanced(c->row.buf, c->row.len))
			return LN_HOLD;
		rc = csv_row(f, c, e, c->row.buf, c->row.len - 1, why);
		c->row.len = 0;
		return rc;
	}
	if (!quotes_balanced(msg, n)) {
		/* A quoted field holds line breaks: wait for its end. */
		if (n + 1 > FILE_HOLD_MAX) {
			*why = "CSV row longer than 1 MiB";
			return LN_BAD;
		}
		hold_add(&c->row, msg, n);
		return LN_HOLD;
	}
	return csv_row(f, c, e, msg, n, why);
}

int
file_wincsv_flush(struct ln_file *f, struct ev *e)
{
	struct wincsv *c = f->state[SLOT_WINCSV];
	const char *why;
	int rc;

	if (c == NULL || c->row.len == 0)
		return LN_NO;
	rc = csv_row(f, c, e, c->row.buf, c->row.len - 1, &why);
	c->row.len = 0;
	return rc == LN_OK ? LN_OK : LN_NO;
}

void
file_wincsv_fini(struct ln_file *f)
{
	struct wincsv *c = f->state[SLOT_WINCSV];

	if (c != NULL) {
		free(c->row.buf);
		free(c);
	}
	f->state[SLOT_WINCSV] = NULL;
}
