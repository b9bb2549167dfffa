/* Unit tests: common/det.c (reorder buffer, episodes, alerts, det_win). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "det.h"
#include "ip.h"
#include "tap.h"
#include "tm.h"

static const struct optdef defs[] = {
	DET_STD_OPTIONS,
	{ NULL, 0, 0, NULL, NULL }
};

/* The events of these tests: a time and a tag saying which one it was. */
struct tev {
	int	tag;
	int	key;	/* for episode tests: which key it counts toward */
	int	holds;	/* the condition holds at this event */
};

static int order[64], norder;
static struct det_check *chk_a, *chk_b;

static void
record_order(struct det *d, void *ev, int64_t t, void *arg)
{
	struct tev *e = ev;

	(void)d;
	(void)t;
	(void)arg;

	if (norder < 64)
		order[norder++] = e->tag;
}

/* Stand-in detector: every event contributes to its key's episode. */
static void
episodic(struct det *d, void *ev, int64_t t, void *arg)
{
	struct tev *e = ev;
	struct det_check *c = e->tag >= 100 ? chk_b : chk_a;
	unsigned char key = (unsigned char)e->key;
	struct ip_addr src;
	struct det_alert a = { 0 };
	char det[64];

	(void)d;
	(void)arg;

	if (det_ep_touch(c, &key, 1, t) != NULL || !e->holds)
		return;
	ip_parse("192.0.2.10", 10, &src);
	a.src = &src;
	a.dport = 445;
	snprintf(det, sizeof det, "key %d, a comma", e->key);
	a.detail = det;
	det_ep_open(c, &key, 1, t, 3, t - 1000, &a);
}

static int64_t
T(const char *s)
{
	int64_t t = 0;

	tm_parse(s, strlen(s), 0, &t);
	return t;
}

/* Output capture: alerts go to fd 1, TAP lines to stdio; keep them apart. */
static int saved_fd[3] = { -1, -1, -1 };
static char capfile[3][32];
static char *captured_err;

static void
capture_fd(int which)
{
	int fd;

	strcpy(capfile[which], "/tmp/kz-det-unit-XXXXXX");
	fd = mkstemp(capfile[which]);
	saved_fd[which] = dup(which);
	dup2(fd, which);
	close(fd);
}

static char *
uncapture_fd(int which)
{
	FILE *fp;
	char *buf;
	long n;

	dup2(saved_fd[which], which);
	close(saved_fd[which]);
	fp = fopen(capfile[which], "r");
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		buf[0] = '\0';
	fclose(fp);
	unlink(capfile[which]);
	return buf;
}

/* capture_start / capture_end: the alert stream (fd 1) into a string;
 * stderr goes to captured_err so warnings cannot split TAP lines. */
static void
capture_start(void)
{
	fflush(stdout);
	fflush(stderr);
	capture_fd(1);
	capture_fd(2);
}

static char *
capture_end(void)
{
	free(captured_err);
	fflush(stderr);
	captured_err = uncapture_fd(2);
	return uncapture_fd(1);
}

static void
test_reorder(void)
{
	struct det_opts o;
	struct det *d;
	struct tev e = { 0 };
	int rc, late;
	char *out;

	det_opts_init(&o, "[FILE...]", NULL, defs);
	det_opt(&o, 'L', "10s");
	capture_start();
	d = det_new(&o, sizeof e, record_order, NULL);
	norder = 0;
	e.tag = 1; det_push(d, T("2026-11-21T00:00:05Z"), &e);
	e.tag = 2; det_push(d, T("2026-11-21T00:00:03Z"), &e);
	e.tag = 3; det_push(d, T("2026-11-21T00:00:05Z"), &e);
	e.tag = 4; det_push(d, T("2026-11-21T00:00:01Z"), &e);
	ok(norder == 0, "det: nothing released within the lateness");
	/* 00:00:11 makes 00:00:01 releasable (11 - 10), nothing else. */
	e.tag = 5; det_push(d, T("2026-11-21T00:00:11Z"), &e);
	ok(norder == 1 && order[0] == 4,
	    "det: an event is released once newest - lateness reaches it");
	/* exactly LATENESS behind the newest is not late */
	e.tag = 6; late = det_push(d, T("2026-11-21T00:00:01Z"), &e);
	ok(late == 0 && norder == 2 && order[1] == 6,
	    "det: an event exactly LATENESS behind is placed, not dropped");
	e.tag = 7; late = det_push(d, T("2026-11-21T00:00:00.999Z"), &e);
	ok(late == -1 && det_late(d) == 1,
	    "det: an event more than LATENESS behind is counted as late");
	e.tag = 8; det_push(d, T("2026-11-21T00:00:04Z"), &e);
	rc = det_finish(d, 0);
	out = capture_end();
	ok(norder == 7 && order[2] == 2 && order[3] == 8 && order[4] == 1 &&
	    order[5] == 3 && order[6] == 5,
	    "det: released in time order, ties in arrival order, rest at end");
	is_str(out, "ts,rule,sev,src,dst,dport,host,user,count,first,last,"
	    "detail,state\n", "det: header-only output without alerts");
	ok(rc == 0, "det: exit 0 without alerts");
	is_str(captured_err, "det: 1 event arrived more than 10s late and "
	    "was not processed\n", "det: one warning line counts late events");
	free(out);
}

/* Random disorder within the lateness: the release order must be
 * (t, arrival) whatever the mix of ring and heap. */
struct seqev {
	int64_t	t;
	int	seq;
};
static int64_t last_t;
static int last_seq, misordered, released;

static void
check_order(struct det *d, void *ev, int64_t t, void *arg)
{
	struct seqev *e = ev;

	(void)d;
	(void)arg;

	if (e->t != t || t < last_t || (t == last_t && e->seq < last_seq))
		misordered++;
	last_t = t;
	last_seq = e->seq;
	released++;
}

static void
test_reorder_random(void)
{
	struct det_opts o;
	struct det *d;
	struct seqev e;
	int64_t base = 1000000000000, newest = 0;
	unsigned seed = 777;
	int i, late = 0, rc;
	char *out;

	det_opts_init(&o, "[FILE...]", NULL, defs);
	det_opt(&o, 'L', "2s");
	capture_start();
	d = det_new(&o, sizeof e, check_order, NULL);
	last_t = INT64_MIN;
	for (i = 0; i < 100000; i++) {
		seed = seed * 1103515245 + 12345;
		/* mostly forward, often up to 2.5s back: some are late */
		e.t = base + i * 10 - (int64_t)((seed >> 16) % 2500) *
		    ((seed >> 8) % 3 == 0);
		e.seq = i;
		if (e.t > newest)
			newest = e.t;
		if (e.t < newest - 2000)
			late++;
		det_push(d, e.t, &e);
	}
	ok(det_late(d) == (unsigned long long)late,
	    "det: late events are exactly those more than LATENESS behind");
	rc = det_finish(d, 0);
	out = capture_end();
	ok(misordered == 0 && released == 100000 - late && rc == 0,
	    "det: %d events released in (t, arrival) order, %d late",
	    released, late);
	free(out);
}

static void
test_episodes(void)
{
	struct det_opts o;
	struct det *d;
	struct tev e = { 0 };
	char *out;
	int rc;

	det_opts_init(&o, "[FILE...]", NULL, defs);
	det_opt(&o, 'L', "0s");
	det_opt(&o, 'e', NULL);
	capture_start();
	d = det_new(&o, sizeof e, episodic, NULL);
	chk_a = det_check(d, "unit.a", "high", 10000, 0);
	chk_b = det_check(d, "unit.b", "low", 10000, 0);
	ok(det_check_gap(chk_a) == 10000, "det: a check keeps its own gap");
	/* key 1: holds at :00, extended at :05 and :15 (exactly gap),
	 * ends when :26 arrives (> :15 + 10s). */
	e.tag = 1; e.key = 1; e.holds = 0;
	det_push(d, T("2026-11-21T00:00:00Z"), &e);
	e.holds = 1;
	det_push(d, T("2026-11-21T00:00:01Z"), &e);
	e.holds = 0;
	det_push(d, T("2026-11-21T00:00:05Z"), &e);
	det_push(d, T("2026-11-21T00:00:15Z"), &e);
	/* key 2 on check a and key 0 on check b both end at :20 + gap */
	e.key = 2; e.holds = 1;
	det_push(d, T("2026-11-21T00:00:20Z"), &e);
	e.tag = 100; e.key = 0;
	det_push(d, T("2026-11-21T00:00:20Z"), &e);
	e.tag = 1; e.key = 3; e.holds = 1;
	det_push(d, T("2026-11-21T00:00:26Z"), &e);
	/* :31 ends key 2 and key b/0 (ended at :30): rule order a, b */
	e.key = 4; e.holds = 0;
	det_push(d, T("2026-11-21T00:00:31Z"), &e);
	rc = det_finish(d, 0);
	out = capture_end();
	is_str(out,
	    "ts,rule,sev,src,dst,dport,host,user,count,first,last,detail,state\n"
	    "2026-11-21T00:00:01.000Z,unit.a,high,192.0.2.10,,445,,,3,"
	    "2026-11-21T00:00:00.000Z,2026-11-21T00:00:01.000Z,"
	    "\"key 1, a comma\",open\n"
	    "2026-11-21T00:00:20.000Z,unit.a,high,192.0.2.10,,445,,,3,"
	    "2026-11-21T00:00:19.000Z,2026-11-21T00:00:20.000Z,"
	    "\"key 2, a comma\",open\n"
	    "2026-11-21T00:00:20.000Z,unit.b,low,192.0.2.10,,445,,,3,"
	    "2026-11-21T00:00:19.000Z,2026-11-21T00:00:20.000Z,"
	    "\"key 0, a comma\",open\n"
	    "2026-11-21T00:00:15.000Z,unit.a,high,192.0.2.10,,445,,,5,"
	    "2026-11-21T00:00:00.000Z,2026-11-21T00:00:15.000Z,"
	    "\"key 1, a comma\",closed\n"
	    "2026-11-21T00:00:26.000Z,unit.a,high,192.0.2.10,,445,,,3,"
	    "2026-11-21T00:00:25.000Z,2026-11-21T00:00:26.000Z,"
	    "\"key 3, a comma\",open\n"
	    "2026-11-21T00:00:20.000Z,unit.a,high,192.0.2.10,,445,,,3,"
	    "2026-11-21T00:00:19.000Z,2026-11-21T00:00:20.000Z,"
	    "\"key 2, a comma\",closed\n"
	    "2026-11-21T00:00:20.000Z,unit.b,low,192.0.2.10,,445,,,3,"
	    "2026-11-21T00:00:19.000Z,2026-11-21T00:00:20.000Z,"
	    "\"key 0, a comma\",closed\n"
	    "2026-11-21T00:00:26.000Z,unit.a,high,192.0.2.10,,445,,,3,"
	    "2026-11-21T00:00:25.000Z,2026-11-21T00:00:26.000Z,"
	    "\"key 3, a comma\",closed\n",
	    "det: open at once, extend silently, close after the gap, "
	    "ties by rule");
	ok(rc == 1, "det: -e makes det_finish return 1 after alerts");
	free(out);
}

static void
set_detail_at_close(struct det_ep *ep, void *arg)
{
	int *calls = arg;

	(*calls)++;
	det_ep_detail(ep, "final %llu", (unsigned long long)det_ep_count(ep));
	det_ep_sev(ep, "critical");
}

static int udata_seen;

static void
one_key(struct det *d, void *ev, int64_t t, void *arg)
{
	struct tev *e = ev;
	struct det_ep *ep;
	unsigned char key = (unsigned char)e->key;
	struct det_alert a = { 0 };

	(void)d;
	(void)arg;

	a.dport = -1;
	a.host = "h\\x01st";
	a.user = "";
	ep = det_ep_touch(chk_a, &key, 1, t);
	if (ep == NULL)
		ep = det_ep_open(chk_a, &key, 1, t, 1, TM_NONE, &a);
	(*(int *)det_ep_udata(ep))++;
	udata_seen = *(int *)det_ep_udata(ep);
}

static void
test_close_hook_and_cap(void)
{
	struct det_opts o;
	struct det *d;
	struct tev e = { 0 };
	int calls = 0, rc;
	char *out;

	det_opts_init(&o, "[FILE...]", NULL, defs);
	det_opt(&o, 'g', "1m");
	capture_start();
	d = det_new(&o, sizeof e, one_key, NULL);
	chk_a = det_check(d, "unit.c", "low", 5000, sizeof(int));
	ok(det_check_gap(chk_a) == 60000, "det: -g overrides a check's gap");
	det_check_on_close(chk_a, set_detail_at_close, &calls);
	det_check_max(chk_a, 2);
	e.key = 1; det_push(d, T("2026-11-21T00:00:00Z"), &e);
	e.key = 2; det_push(d, T("2026-11-21T00:00:01Z"), &e);
	e.key = 1; det_push(d, T("2026-11-21T00:00:02Z"), &e);
	e.key = 3; det_push(d, T("2026-11-21T00:00:03Z"), &e);
	rc = det_finish(d, 2);
	out = capture_end();
	is_str(out,
	    "ts,rule,sev,src,dst,dport,host,user,count,first,last,detail,state\n"
	    "2026-11-21T00:00:00.000Z,unit.c,low,,,,h\\x01st,,1,"
	    "2026-11-21T00:00:00.000Z,2026-11-21T00:00:00.000Z,,open\n"
	    "2026-11-21T00:00:01.000Z,unit.c,low,,,,h\\x01st,,1,"
	    "2026-11-21T00:00:01.000Z,2026-11-21T00:00:01.000Z,,open\n"
	    "2026-11-21T00:00:03.000Z,unit.c,low,,,,h\\x01st,,1,"
	    "2026-11-21T00:00:03.000Z,2026-11-21T00:00:03.000Z,,open\n"
	    "2026-11-21T00:00:01.000Z,unit.c,critical,,,,h\\x01st,,1,"
	    "2026-11-21T00:00:01.000Z,2026-11-21T00:00:01.000Z,final 1,closed\n"
	    "2026-11-21T00:00:02.000Z,unit.c,critical,,,,h\\x01st,,2,"
	    "2026-11-21T00:00:00.000Z,2026-11-21T00:00:02.000Z,final 2,closed\n"
	    "2026-11-21T00:00:03.000Z,unit.c,critical,,,,h\\x01st,,1,"
	    "2026-11-21T00:00:03.000Z,2026-11-21T00:00:03.000Z,final 1,closed\n",
	    "det: past the episode cap the least recently extended closes "
	    "early; the close hook sets detail and sev");
	ok(calls == 3, "det: the close hook runs once per episode");
	ok(udata_seen == 1, "det: episode udata starts zeroed per episode");
	ok(rc == 2, "det: an input error makes det_finish return 2");
	is_str(captured_err, "", "det: no late warning when none was late");
	free(out);
}

static void
test_win_basic(void)
{
	struct det_win *w = det_win_new(1, 4, 10000, 3, 100, 1000);
	struct det_win_stat st;
	uint32_t v;
	unsigned char k = 7;
	int64_t t0 = T("2026-11-21T00:00:00Z");

	v = 1; det_win_add(w, &k, &v, t0, &st);
	ok(st.distinct == 1 && st.hits == 1 && st.isnew, "det_win: first value");
	v = 1; det_win_add(w, &k, &v, t0 + 1000, &st);
	ok(st.distinct == 1 && st.hits == 2 && !st.isnew,
	    "det_win: a repeat is not distinct but is a hit");
	v = 2; det_win_add(w, &k, &v, t0 + 2000, &st);
	ok(st.distinct == 2 && st.hits == 3, "det_win: a second value");
	ok(det_win_first(w, &k) == t0, "det_win: first of the live values");
	/* at t0+11000, value 1 (last t0+1000) has left (t - 10s, t] */
	v = 3; det_win_add(w, &k, &v, t0 + 11000, &st);
	ok(st.distinct == 2 && st.hits == 2,
	    "det_win: a value last seen exactly a window ago has expired");
	ok(det_win_first(w, &k) == t0 + 2000, "det_win: first moves on");
	v = 4; det_win_add(w, &k, &v, t0 + 11500, &st);
	v = 5; det_win_add(w, &k, &v, t0 + 11600, &st);
	ok(st.distinct == 3 && det_win_vals(w) == 3,
	    "det_win: setcap bounds a key's values (oldest forgotten)");
	/* key 8 evicts nothing: maxkeys 100 */
	k = 8; v = 1; det_win_add(w, &k, &v, t0 + 12000, &st);
	ok(det_win_keys(w) == 2, "det_win: two keys");
	/* far later, both keys expire whole when a third is touched */
	k = 9; det_win_add(w, &k, &v, t0 + 60000, &st);
	ok(det_win_keys(w) == 1 && det_win_vals(w) == 1,
	    "det_win: keys whose values all expired are freed");
	ok(det_win_first(w, &k) == t0 + 60000 &&
	    det_win_first(w, (unsigned char[]){ 7 }) == TM_NONE,
	    "det_win: first of an unknown key is TM_NONE");
	det_win_free(w);

	w = det_win_new(1, 4, 10000, 10, 2, 1000);
	for (k = 0; k < 3; k++)
		det_win_add(w, &k, &v, t0 + k, NULL);
	ok(det_win_keys(w) == 2 && det_win_evicted(w) == 1 &&
	    det_win_first(w, (unsigned char[]){ 0 }) == TM_NONE,
	    "det_win: past maxkeys the key active longest ago is forgotten");
	det_win_free(w);
}

/*
 * Compare det_win with a brute-force model over random streams: values
 * drawn from a small range so they repeat, expire, and pass through the
 * hash index (sets over 8) and its deletions.
 */
static void
test_win_model(void)
{
	enum { NK = 5, NV = 200, N = 200000 };
	static int64_t last[NK][NV], first[NK][NV];
	static uint64_t hits[NK][NV];
	struct det_win *w = det_win_new(1, 4, 5000, 1u << 20, 1000, 1u << 20);
	struct det_win_stat st;
	int64_t t = 1000000;
	int bad = 0, badfirst = 0, i, j;
	unsigned seed = 12345;

	for (i = 0; i < NK; i++)
		for (j = 0; j < NV; j++)
			last[i][j] = INT64_MIN;
	for (i = 0; i < N && !bad; i++) {
		unsigned char k;
		uint32_t v;
		size_t want = 0;
		uint64_t wh = 0;
		int64_t wf = INT64_MAX;

		seed = seed * 1103515245 + 12345;
		t += (seed >> 16) % 40;
		seed = seed * 1103515245 + 12345;
		k = (unsigned char)((seed >> 16) % NK);
		seed = seed * 1103515245 + 12345;
		/* key k uses values 0 .. 20*(k+1) so set sizes differ */
		v = (seed >> 16) % (uint32_t)(40 * (k + 1));
		if (last[k][v] <= t - 5000) {
			first[k][v] = t;
			hits[k][v] = 0;
		}
		last[k][v] = t;
		hits[k][v]++;
		for (j = 0; j < NV; j++)
			if (last[k][j] > t - 5000) {
				want++;
				wh += hits[k][j];
				if (first[k][j] < wf)
					wf = first[k][j];
			}
		det_win_add(w, &k, &v, t, &st);
		if (st.distinct != want || st.hits != wh)
			bad = i + 1;
		if (i % 97 == 0 && det_win_first(w, &k) != wf)
			badfirst = i + 1;
	}
	ok(bad == 0, "det_win: distinct and hits match a brute-force model "
	    "over %d random events (first mismatch at %d)", N, bad);
	ok(badfirst == 0, "det_win: det_win_first matches the model");
	det_win_free(w);
}

/*
 * The same with a small setcap, so values are forgotten for room while the
 * set is in hash mode: the model forgets the live value updated longest
 * ago, as det_win documents.
 */
static void
test_win_model_cap(void)
{
	enum { NV = 120, CAP = 40, N = 100000 };
	static int64_t last[NV], first[NV];
	static uint64_t hits[NV], useq[NV];
	static int live[NV];
	struct det_win *w = det_win_new(1, 4, 3000, CAP, 10, 1000);
	struct det_win_stat st;
	int64_t t = 5000000;
	uint64_t seq = 0;
	unsigned seed = 99;
	unsigned char k = 1;
	int bad = 0, badfirst = 0, i, j;

	for (i = 0; i < N && !bad; i++) {
		uint32_t v;
		size_t want = 0, nlive = 0;
		uint64_t wh = 0;
		int64_t wf = INT64_MAX;

		seed = seed * 1103515245 + 12345;
		t += (seed >> 16) % 30;
		seed = seed * 1103515245 + 12345;
		v = (seed >> 16) % NV;
		for (j = 0; j < NV; j++)
			if (live[j] && last[j] <= t - 3000)
				live[j] = 0;
		if (!live[v]) {
			for (j = 0; j < NV; j++)
				nlive += live[j];
			if (nlive == CAP) {
				int old = -1;

				for (j = 0; j < NV; j++)
					if (live[j] && (old < 0 ||
					    useq[j] < useq[old]))
						old = j;
				live[old] = 0;
			}
			live[v] = 1;
			first[v] = t;
			hits[v] = 0;
		}
		last[v] = t;
		useq[v] = ++seq;
		hits[v]++;
		for (j = 0; j < NV; j++)
			if (live[j]) {
				want++;
				wh += hits[j];
				if (first[j] < wf)
					wf = first[j];
			}
		det_win_add(w, &k, &v, t, &st);
		if (st.distinct != want || st.hits != wh)
			bad = i + 1;
		if (i % 53 == 0 && det_win_first(w, &k) != wf)
			badfirst = i + 1;
	}
	ok(bad == 0, "det_win: past setcap the value seen longest ago goes, "
	    "in hash mode too (first mismatch at %d)", bad);
	ok(badfirst == 0, "det_win: first after forgetting matches the model");
	ok(det_win_vals(w) <= CAP, "det_win: a key never holds more than "
	    "setcap values");
	det_win_free(w);
}

static void
test_opts(void)
{
	struct det_opts o;

	det_opts_init(&o, "[FILE...]", NULL, defs);
	ok(o.lateness == 60000 && o.gap == -1 && !o.exit_status &&
	    !o.line_buffered, "det: option defaults");
	ok(det_opt(&o, 'u', NULL) && o.line_buffered &&
	    det_opt(&o, 'a', "x.csv") && strcmp(o.assets, "x.csv") == 0 &&
	    det_opt(&o, 'z', "Asia/Tokyo") && strcmp(o.tz, "Asia/Tokyo") == 0 &&
	    det_opt(&o, 'L', "2m") && o.lateness == 120000 &&
	    strcmp(o.lateness_text, "2m") == 0,
	    "det: standard options are handled");
	ok(det_opt(&o, 'H', "3") == 0, "det: a tool's own option is left");
}

int
main(void)
{
	test_opts();
	test_reorder();
	test_reorder_random();
	test_episodes();
	test_close_hook_and_cap();
	test_win_basic();
	test_win_model();
	test_win_model_cap();
	free(captured_err);
	return tap_done();
}
