/* mxspike: mass-mailing worms in firewall, flow and DNS records. */
#include <err.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "det.h"
#include "ip.h"
#include "map.h"
#include "opt.h"
#include "rec.h"
#include "tm.h"
#include "util.h"

#define SYNOPSIS "[-ehuV] [-a FILE] [-g DUR] [-L DUR] [-M N] [-m N] " \
	"[-n N] [-q N] [-r N] [-w DUR] [FILE...]"
#define PURPOSE "Report direct SMTP from hosts that are not mail relays, " \
	"mail bursts and MX query spikes."

#define SERVERS_DEFAULT	10
#define QUERIES_DEFAULT	20
#define MINQ_DEFAULT	10
#define RATE_DEFAULT	5
#define WINDOW_DEFAULT	(10 * 60000)
#define MAXKEYS_DEFAULT	100000
#define SETCAP_MIN	1024	/* distinct servers kept per host */
#define VALS_PER_KEY	8
#define HISTORY		6	/* windows of history before the rate test */
#define EWMA_WEIGHT	0.125	/* weight of the newest window in the baseline */

static const struct optdef defs[] = {
	DET_OPT_ASSETS,
	DET_OPT_EXIT,
	DET_OPT_GAP,
	DET_OPT_HELP,
	DET_OPT_LATENESS,
	{ "max-keys", 'M', required_argument, "N",
	  "hosts and DNS clients kept (default 100000)" },
	{ "servers", 'm', required_argument, "N",
	  "outside mail servers that make a burst (default 10)" },
	{ "min-queries", 'n', required_argument, "N",
	  "fewest MX queries for the rate test (default 10)" },
	{ "queries", 'q', required_argument, "N",
	  "MX queries in the window that make a spike (default 20)" },
	{ "rate", 'r', required_argument, "N",
	  "times a client's usual MX rate that make a spike (default 5)" },
	DET_OPT_LINEBUF,
	DET_OPT_VERSION,
	{ "window", 'w', required_argument, "DUR",
	  "sliding window and baseline step (default 10m)" },
	{ NULL, 0, 0, NULL, NULL }
};

/* One event of interest, as kept in the reorder buffer. */
enum { EV_SMTP, EV_MXQUERY };
struct mxev {
	struct ip_addr	 src, dst;
	uint8_t		 type;
	uint8_t		 has_dst;
};

/*
 * A DNS client's MX history: the baseline, an EWMA of its MX queries per
 * window over fixed windows of event time, and the times of its latest
 * queries (a ring of ringcap) for the count in the sliding window.
 */
struct client {
	struct client	*prev, *next;	/* LRU, least recently active first */
	int64_t		 bucket;	/* current fixed window: t / window */
	uint64_t	 bcount;	/* queries in it so far */
	double		 ewma;		/* queries per window before it */
	uint32_t	 history;	/* windows folded into ewma (saturating) */
	uint32_t	 rpos, rlen;
	int64_t		 ring[];	/* ringcap times, oldest at rpos */
};

/* What an episode remembers for its closing sentence. */
struct mx_ep {
	size_t		 peak;
	double		 usual;		/* mxquery: baseline at the open */
	int		 by_rate;
};

struct mx {
	struct det	*d;
	int64_t		 window;
	const char	*window_text;
	size_t		 servers, queries, minq, ringcap, setcap;
	long long	 rate;
	size_t		 maxkeys;
	struct det_win	*servers_win;	/* host -> outside servers */
	struct map	*clients;
	struct client	*chead, *ctail;
	unsigned long long cevicted;
	struct det_check *direct, *burst, *mxquery;
};

static void
peak_text(char *buf, size_t size, size_t peak, size_t cap)
{
	snprintf(buf, size, "%zu%s", peak, peak >= cap ? " or more" : "");
}

static void
direct_closing(struct det_ep *ep, void *arg)
{
	const struct mx *m = arg;
	const struct mx_ep *u = det_ep_udata(ep);
	char peak[32];

	peak_text(peak, sizeof peak, u->peak, m->setcap);
	det_ep_detail(ep, "direct SMTP from a host that is not a mail relay: "
	    "peak %s outside server%s within %s", peak, u->peak == 1 ? "" :
	    "s", m->window_text);
}

static void
burst_closing(struct det_ep *ep, void *arg)
{
	const struct mx *m = arg;
	const struct mx_ep *u = det_ep_udata(ep);
	char peak[32];

	peak_text(peak, sizeof peak, u->peak, m->setcap);
	det_ep_detail(ep, "mail burst: peak %s outside mail servers within "
	    "%s", peak, m->window_text);
}

static void
mxquery_closing(struct det_ep *ep, void *arg)
{
	const struct mx *m = arg;
	const struct mx_ep *u = det_ep_udata(ep);
	char peak[32];

	peak_text(peak, sizeof peak, u->peak, m->ringcap);
	if (u->by_rate)
		det_ep_detail(ep, "peak %s MX queries within %s, usually "
		    "%.1f", peak, m->window_text, u->usual);
	else
		det_ep_detail(ep, "peak %s MX queries within %s", peak,
		    m->window_text);
}

/* smtp_event: an inside host that is not a relay reached outside port 25. */
static void
smtp_event(struct mx *m, const struct mxev *e, int64_t t)
{
	struct det_win_stat st;
	struct det_alert al = { 0 };
	struct det_ep *ep;
	struct mx_ep *u;
	char detail[128];

	det_win_add(m->servers_win, &e->src, &e->dst, t, &st);

	if ((ep = det_ep_touch(m->direct, &e->src, 16, t)) != NULL) {
		u = det_ep_udata(ep);
		if (st.distinct > u->peak)
			u->peak = st.distinct;
	} else {
		al.src = &e->src;
		al.dst = &e->dst;
		al.dport = 25;
		al.detail = "direct SMTP to an outside server from a host that "
		    "is not a mail relay";
		ep = det_ep_open(m->direct, &e->src, 16, t, 1, t, &al);
		u = det_ep_udata(ep);
		u->peak = st.distinct;
	}

	if ((ep = det_ep_touch(m->burst, &e->src, 16, t)) != NULL) {
		u = det_ep_udata(ep);
		if (st.distinct > u->peak)
			u->peak = st.distinct;
	} else if (st.distinct >= m->servers) {
		al.src = &e->src;
		al.dst = NULL;
		al.dport = 25;
		snprintf(detail, sizeof detail, "mail burst: %zu outside mail "
		    "servers within %s", st.distinct, m->window_text);
		al.detail = detail;
		ep = det_ep_open(m->burst, &e->src, 16, t, st.hits,
		    det_win_first(m->servers_win, &e->src), &al);
		u = det_ep_udata(ep);
		u->peak = st.distinct;
	}
}

static void
client_unlink(struct mx *m, struct client *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		m->chead = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		m->ctail = c->prev;
	c->prev = c->next = NULL;
}

static void
client_append(struct mx *m, struct client *c)
{
	c->prev = m->ctail;
	c->next = NULL;
	if (m->ctail)
		m->ctail->next = c;
	else
		m->chead = c;
	m->ctail = c;
}

/* client_get: the client's state, created (and the least recently active
 * client forgotten past --max-keys) when new; made most recent. */
static struct client *
client_get(struct mx *m, const struct ip_addr *a, int64_t bucket)
{
	struct client *c;
	int isnew;

	c = map_put(m->clients, a, sizeof *a, &isnew);
	if (isnew) {
		c->bucket = bucket;
		client_append(m, c);
		while (map_count(m->clients) > m->maxkeys) {
			struct client *old = m->chead;
			const void *k;
			size_t kl;

			client_unlink(m, old);
			k = map_key(m->clients, old, &kl);
			map_del(m->clients, k, kl);
			m->cevicted++;
		}
	} else if (m->ctail != c) {
		client_unlink(m, c);
		client_append(m, c);
	}
	return c;
}

/* baseline_advance: fold the finished fixed windows into the EWMA. */
static void
baseline_advance(struct client *c, int64_t bucket)
{
	int64_t empty;

	if (bucket <= c->bucket)
		return;
	c->ewma = EWMA_WEIGHT * (double)c->bcount +
	    (1 - EWMA_WEIGHT) * c->ewma;
	empty = bucket - c->bucket - 1;
	/* Windows without a query each decay the baseline. */
	if (empty > 0)
		c->ewma = empty > 400 ? 0 :
		    c->ewma * pow(1 - EWMA_WEIGHT, (double)empty);
	if (empty > UINT32_MAX || c->history + (uint64_t)empty + 1 >
	    UINT32_MAX)
		c->history = UINT32_MAX;
	else
		c->history += (uint32_t)empty + 1;
	c->bucket = bucket;
	c->bcount = 0;
}

/* floor division, so times before 1970 bucket correctly */
static int64_t
bucket_of(int64_t t, int64_t w)
{
	int64_t b = t / w;

	return (t % w != 0 && t < 0) ? b - 1 : b;
}

static void
mxquery_event(struct mx *m, const struct mxev *e, int64_t t)
{
	struct client *c = client_get(m, &e->src, bucket_of(t, m->window));
	struct det_alert al = { 0 };
	struct det_ep *ep;
	struct mx_ep *u;
	size_t n, i;
	int64_t first = t;
	char detail[160];
	int by_rate = 0, holds;
	double usual;

	baseline_advance(c, bucket_of(t, m->window));
	c->bcount++;
	/* ring: drop the oldest when full */
	if (c->rlen == m->ringcap) {
		c->rpos = (uint32_t)((c->rpos + 1) % m->ringcap);
		c->rlen--;
	}
	c->ring[(c->rpos + c->rlen) % m->ringcap] = t;
	c->rlen++;
	/* queries in (t - window, t], newest backwards */
	for (n = 0, i = c->rlen; i-- > 0; n++) {
		int64_t q = c->ring[(c->rpos + i) % m->ringcap];

		if (q <= t - m->window)
			break;
		first = q;
	}
	usual = c->ewma;

	if ((ep = det_ep_touch(m->mxquery, &e->src, 16, t)) != NULL) {
		u = det_ep_udata(ep);
		if (n > u->peak)
			u->peak = n;
		return;
	}
	holds = n >= m->queries;
	if (!holds && c->history >= HISTORY && n >= m->minq &&
	    (double)n >= (double)m->rate * usual)
		holds = by_rate = 1;
	if (!holds)
		return;
	al.src = &e->src;
	al.dst = e->has_dst ? &e->dst : NULL;
	al.dport = -1;
	if (by_rate)
		snprintf(detail, sizeof detail, "%zu MX queries within %s, "
		    "usually %.1f", n, m->window_text, usual);
	else
		snprintf(detail, sizeof detail, "%zu MX queries within %s",
		    n, m->window_text);
	al.detail = detail;
	ep = det_ep_open(m->mxquery, &e->src, 16, t, n, first, &al);
	u = det_ep_udata(ep);
	u->peak = n;
	u->usual = usual;
	u->by_rate = by_rate;
}

static void
mx_event(struct det *d, void *ev, int64_t t, void *arg)
{
	struct mx *m = arg;
	const struct mxev *e = ev;

	(void)d;

	if (e->type == EV_SMTP)
		smtp_event(m, e, t);
	else
		mxquery_event(m, e, t);
}

static int
field_ci(const struct rec_reader *r, int col, const char *lit)
{
	size_t n;
	const char *s = rec_get(r, col, &n);

	return n == strlen(lit) && strncasecmp(s, lit, n) == 0;
}

/*
 * mxspike looks for the marks of a mass-mailing worm: a PC that is not the
 * company's mail relay talking SMTP to the internet itself (a policy
 * breach even when blocked), the same PC reaching many outside mail
 * servers in a short time (an outbreak), and a client's DNS MX lookups
 * jumping, in absolute terms or against its own usual rate.
 */
int
main(int argc, char *argv[])
{
	struct det_opts o;
	struct mx m;
	struct rec_reader *r;
	struct mxev e;
	int64_t t;
	long long maxkeys = MAXKEYS_DEFAULT;
	int c, rc, cts, ckind, cproto, csrc, cdst, cdport, cqtype, status;

	memset(&m, 0, sizeof m);
	m.window = WINDOW_DEFAULT;
	m.window_text = "10m";
	m.servers = SERVERS_DEFAULT;
	m.queries = QUERIES_DEFAULT;
	m.minq = MINQ_DEFAULT;
	m.rate = RATE_DEFAULT;
	det_opts_init(&o, SYNOPSIS, PURPOSE, defs);
	while ((c = opt_next(argc, argv, defs)) != -1) {
		if (det_opt(&o, c, optarg))
			continue;
		switch (c) {
		case 'M':
			maxkeys = opt_num("max-keys", optarg, 1, 100000000);
			break;
		case 'm':
			m.servers = (size_t)opt_num("servers", optarg, 1,
			    1000000);
			break;
		case 'n':
			m.minq = (size_t)opt_num("min-queries", optarg, 1,
			    1000);
			break;
		case 'q':
			m.queries = (size_t)opt_num("queries", optarg, 1, 1000);
			break;
		case 'r':
			m.rate = opt_num("rate", optarg, 1, 1000);
			break;
		case 'w':
			m.window = opt_duration("window", optarg);
			if (m.window <= 0)
				errx(EXIT_ERROR, "--window: %s: must be more "
				    "than 0", optarg);
			m.window_text = optarg;
			break;
		default:
			det_usage(&o);
		}
	}
	argc -= optind;
	argv += optind;

	if ((r = rec_open(argv, argc)) == NULL)
		return EXIT_ERROR;
	cts = rec_need(r, "ts");
	ckind = rec_need(r, "kind");
	cproto = rec_need(r, "proto");
	csrc = rec_need(r, "src");
	cdst = rec_need(r, "dst");
	cdport = rec_need(r, "dport");
	cqtype = rec_need(r, "qtype");

	m.d = det_new(&o, sizeof e, mx_event, &m);
	m.maxkeys = (size_t)maxkeys;
	m.setcap = m.servers > SETCAP_MIN ? m.servers : SETCAP_MIN;
	/* Twice the spike threshold: room to tell how far past it a spike
	 * went, with a fixed size per client. */
	m.ringcap = 2 * (m.queries > m.minq ? m.queries : m.minq);
	m.servers_win = det_win_new(16, 16, m.window, m.setcap, m.maxkeys,
	    m.maxkeys * VALS_PER_KEY);
	m.clients = map_new(sizeof(struct client) + m.ringcap *
	    sizeof(int64_t));
	m.direct = det_check(m.d, "mxspike.direct", "low", m.window,
	    sizeof(struct mx_ep));
	m.burst = det_check(m.d, "mxspike.burst", "high", m.window,
	    sizeof(struct mx_ep));
	m.mxquery = det_check(m.d, "mxspike.mxquery", "medium", m.window,
	    sizeof(struct mx_ep));
	det_check_max(m.direct, m.maxkeys);
	det_check_max(m.burst, m.maxkeys);
	det_check_max(m.mxquery, m.maxkeys);
	det_check_on_close(m.direct, direct_closing, &m);
	det_check_on_close(m.burst, burst_closing, &m);
	det_check_on_close(m.mxquery, mxquery_closing, &m);

	memset(&e, 0, sizeof e);
	while ((rc = rec_next(r)) == 1) {
		if (det_field_is(r, ckind, "fw") ||
		    det_field_is(r, ckind, "flow")) {
			size_t n;

			if (det_port(r, cdport) != 25)
				continue;
			(void)rec_get(r, cproto, &n);
			if (n != 0 && !det_field_is(r, cproto, "tcp"))
				continue;
			if (det_addr(r, csrc, &e.src) != 0 ||
			    det_addr(r, cdst, &e.dst) != 0)
				continue;
			if (!det_inside(m.d, &e.src) ||
			    det_inside(m.d, &e.dst) ||
			    det_role(m.d, &e.src, "mailrelay"))
				continue;
			e.type = EV_SMTP;
			e.has_dst = 1;
		} else if (det_field_is(r, ckind, "dns")) {
			if (!field_ci(r, cqtype, "MX"))
				continue;
			if (det_addr(r, csrc, &e.src) != 0)
				continue;
			if (!det_inside(m.d, &e.src) ||
			    det_role(m.d, &e.src, "mailrelay") ||
			    det_role(m.d, &e.src, "dns"))
				continue;
			e.has_dst = det_addr(r, cdst, &e.dst) == 0;
			if (!e.has_dst)
				memset(&e.dst, 0, sizeof e.dst);
			e.type = EV_MXQUERY;
		} else
			continue;
		if (det_ts(m.d, r, cts, &t) != 0)
			continue;
		det_push(m.d, t, &e);
	}
	status = det_finish(m.d, rc < 0 ? EXIT_ERROR : rec_status(r));
	if (det_win_evicted(m.servers_win) + m.cevicted)
		warnx("%llu hosts or clients were forgotten early to stay "
		    "within --max-keys %lld", det_win_evicted(m.servers_win) +
		    m.cevicted, maxkeys);
	det_win_free(m.servers_win);
	map_free(m.clients);
	rec_close(r);
	return status;
}
