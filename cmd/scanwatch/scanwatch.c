/* scanwatch: horizontal and vertical port scans in firewall and flows. */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "ip.h"
#include "opt.h"
#include "rec.h"
#include "tm.h"
#include "util.h"

#define SYNOPSIS "[-ehuV] [-A LIST] [-a FILE] [-g DUR] [-H N] [-L DUR] " \
	"[-M N] [-P N] [-w DUR] [FILE...]"
#define PURPOSE "Report hosts that probe many hosts on one port or many " \
	"ports on one host."

#define HOSTS_DEFAULT	25
#define PORTS_DEFAULT	15
#define WINDOW_DEFAULT	(5 * 60000)
#define MAXKEYS_DEFAULT	100000
#define SETCAP_MIN	1024	/* distinct values kept per key */
#define VALS_PER_KEY	8	/* value budget: this many per key on average */

static const struct optdef defs[] = {
	{ "actions", 'A', required_argument, "LIST",
	  "actions that count as attempts (default deny,drop,reject,block)" },
	DET_OPT_ASSETS,
	DET_OPT_EXIT,
	DET_OPT_GAP,
	DET_OPT_HELP,
	{ "hosts", 'H', required_argument, "N",
	  "hosts on one port that make a horizontal scan (default 25)" },
	DET_OPT_LATENESS,
	{ "max-keys", 'M', required_argument, "N",
	  "keys kept per check (default 100000)" },
	{ "ports", 'P', required_argument, "N",
	  "ports on one host that make a vertical scan (default 15)" },
	DET_OPT_LINEBUF,
	DET_OPT_VERSION,
	{ "window", 'w', required_argument, "DUR",
	  "sliding window (default 5m)" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Protocols by a small number, so keys stay fixed-size bytes. */
enum { P_NONE, P_TCP, P_UDP, P_SCTP, P_ICMP, P_ICMP6, P_OTHER };
static const char *const proto_name[] = {
	"", "tcp", "udp", "sctp", "icmp", "icmp6", "other"
};

/* One counted attempt, as kept in the reorder buffer. */
struct attempt {
	struct ip_addr	 src, dst;
	uint16_t	 dport;
	uint8_t		 has_port;
	uint8_t		 proto;
};

/* Horizontal keys: src, proto, has_port, dport (big-endian). */
#define HKEY_LEN 20
/* Vertical keys: src, dst; values: proto, 0, dport. */
#define VKEY_LEN 32

/* What an episode remembers for its closing sentence. */
struct scan_ep {
	size_t		 peak;
	int		 inside;
	uint16_t	 dport;
	uint8_t		 has_port, proto;
};

struct scan {
	struct det	*d;
	size_t		 hosts, ports, setcap;
	const char	*window_text;
	struct det_win	*hwin, *vwin;
	struct det_check *hchk, *vchk;
};

static int
proto_id(const char *s, size_t n)
{
	static const struct { const char *name; size_t len; int id; } tab[] = {
		{ "tcp", 3, P_TCP }, { "udp", 3, P_UDP }, { "sctp", 4, P_SCTP },
		{ "icmp", 4, P_ICMP }, { "icmp6", 5, P_ICMP6 },
		{ "ipv6-icmp", 9, P_ICMP6 }, { "icmpv6", 6, P_ICMP6 },
	};
	size_t i;

	if (n == 0)
		return P_NONE;
	for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (tab[i].len == n && memcmp(tab[i].name, s, n) == 0)
			return tab[i].id;
	return P_OTHER;
}

/* port_text: "445/tcp", "445", "by icmp" or "" for the detail. */
static void
port_text(char *buf, size_t size, int has_port, int dport, int proto)
{
	if (has_port && proto != P_NONE)
		snprintf(buf, size, " on %d/%s", dport, proto_name[proto]);
	else if (has_port)
		snprintf(buf, size, " on port %d", dport);
	else if (proto != P_NONE)
		snprintf(buf, size, " by %s", proto_name[proto]);
	else
		buf[0] = '\0';
}

/* peak_text: the peak count, "1024 or more" once it reached the cap. */
static void
peak_text(char *buf, size_t size, size_t peak, size_t cap)
{
	snprintf(buf, size, "%zu%s", peak, peak >= cap ? " or more" : "");
}

static void
horizontal_closing(struct det_ep *ep, void *arg)
{
	const struct scan *s = arg;
	const struct scan_ep *u = det_ep_udata(ep);
	char ports[64], peak[32];

	port_text(ports, sizeof ports, u->has_port, u->dport, u->proto);
	peak_text(peak, sizeof peak, u->peak, s->setcap);
	det_ep_detail(ep, "horizontal scan from %s: peak %s hosts%s "
	    "within %s", u->inside ? "inside" : "outside", peak, ports,
	    s->window_text);
}

static void
vertical_closing(struct det_ep *ep, void *arg)
{
	const struct scan *s = arg;
	const struct scan_ep *u = det_ep_udata(ep);
	char peak[32];

	peak_text(peak, sizeof peak, u->peak, s->setcap);
	det_ep_detail(ep, "vertical scan from %s: peak %s ports on one host "
	    "within %s", u->inside ? "inside" : "outside", peak,
	    s->window_text);
}

/* open_scan: the condition just held for key: start its episode. */
static void
open_scan(struct scan *s, struct det_check *chk, struct det_win *win,
    const unsigned char *key, size_t klen, const struct attempt *a,
    int64_t t, const struct det_win_stat *st, int vertical)
{
	struct det_alert al = { 0 };
	struct det_ep *ep;
	struct scan_ep *u;
	char detail[160], ports[64];
	int inside = det_inside(s->d, &a->src);

	al.src = &a->src;
	al.sev = inside ? "high" : "low";
	if (vertical) {
		al.dst = &a->dst;
		al.dport = -1;
		snprintf(detail, sizeof detail, "vertical scan from %s: %zu "
		    "ports on one host within %s", inside ? "inside" :
		    "outside", st->distinct, s->window_text);
	} else {
		al.dport = a->has_port ? a->dport : -1;
		port_text(ports, sizeof ports, a->has_port, a->dport,
		    a->proto);
		snprintf(detail, sizeof detail, "horizontal scan from %s: %zu "
		    "hosts%s within %s", inside ? "inside" : "outside",
		    st->distinct, ports, s->window_text);
	}
	al.detail = detail;
	ep = det_ep_open(chk, key, klen, t, st->hits, det_win_first(win, key),
	    &al);
	u = det_ep_udata(ep);
	u->peak = st->distinct;
	u->inside = inside;
	u->dport = a->dport;
	u->has_port = a->has_port;
	u->proto = a->proto;
}

/* check_key: count one attempt toward one check's key. */
static void
check_key(struct scan *s, struct det_check *chk, struct det_win *win,
    const unsigned char *key, size_t klen, const void *val,
    const struct attempt *a, int64_t t, size_t threshold, int vertical)
{
	struct det_win_stat st;
	struct det_ep *ep;

	det_win_add(win, key, val, t, &st);
	if ((ep = det_ep_touch(chk, key, klen, t)) != NULL) {
		struct scan_ep *u = det_ep_udata(ep);

		if (st.distinct > u->peak)
			u->peak = st.distinct;
	} else if (st.distinct >= threshold)
		open_scan(s, chk, win, key, klen, a, t, &st, vertical);
}

static void
scan_event(struct det *d, void *ev, int64_t t, void *arg)
{
	struct scan *s = arg;
	const struct attempt *a = ev;
	unsigned char hk[HKEY_LEN], vk[VKEY_LEN], vv[4];

	(void)d;

	memcpy(hk, &a->src, 16);
	hk[16] = a->proto;
	hk[17] = a->has_port;
	hk[18] = (unsigned char)(a->dport >> 8);
	hk[19] = (unsigned char)a->dport;
	check_key(s, s->hchk, s->hwin, hk, sizeof hk, &a->dst, a, t,
	    s->hosts, 0);
	/* Without a port (ICMP) there is nothing to scan vertically. */
	if (!a->has_port)
		return;
	memcpy(vk, &a->src, 16);
	memcpy(vk + 16, &a->dst, 16);
	vv[0] = a->proto;
	vv[1] = 0;
	vv[2] = (unsigned char)(a->dport >> 8);
	vv[3] = (unsigned char)a->dport;
	check_key(s, s->vchk, s->vwin, vk, sizeof vk, vv, a, t, s->ports, 1);
}

/* Which actions count; NULL list means every action. */
struct actions {
	char	**v;
	size_t	 n;
};

static void
actions_parse(struct actions *ac, const char *arg)
{
	size_t i;

	strv_free(ac->v);
	ac->v = NULL;
	ac->n = 0;
	if (strcmp(arg, "any") == 0)
		return;
	ac->v = strv_split(arg, ',', &ac->n);
	for (i = 0; i < ac->n; i++)
		if (ac->v[i][0] == '\0')
			errx(EXIT_ERROR, "--actions: %s: empty action in list",
			    arg);
}

static int
action_counts(const struct actions *ac, const char *s, size_t n)
{
	size_t i;

	if (ac->v == NULL)
		return 1;
	for (i = 0; i < ac->n; i++)
		if (strlen(ac->v[i]) == n && memcmp(ac->v[i], s, n) == 0)
			return 1;
	return 0;
}

/*
 * scanwatch finds port scans in firewall and flow records: one source
 * probing many hosts on one port (horizontal, a worm looking for its next
 * victim) or many ports on one host (vertical, reconnaissance), within a
 * sliding window of event time.  Scans from inside matter most: the first
 * sign of a worm spreading is an infected PC sweeping the network.
 */
int
main(int argc, char *argv[])
{
	struct det_opts o;
	struct actions ac = { NULL, 0 };
	struct scan s;
	struct rec_reader *r;
	struct attempt a;
	int64_t window = WINDOW_DEFAULT, t;
	long long maxkeys = MAXKEYS_DEFAULT;
	int c, rc, cts, ckind, caction, cproto, csrc, cdst, cdport, status;
	unsigned long long evicted;

	memset(&s, 0, sizeof s);
	s.hosts = HOSTS_DEFAULT;
	s.ports = PORTS_DEFAULT;
	s.window_text = "5m";
	actions_parse(&ac, "deny,drop,reject,block");
	det_opts_init(&o, SYNOPSIS, PURPOSE, defs);
	while ((c = opt_next(argc, argv, defs)) != -1) {
		if (det_opt(&o, c, optarg))
			continue;
		switch (c) {
		case 'A':
			actions_parse(&ac, optarg);
			break;
		case 'H':
			s.hosts = (size_t)opt_num("hosts", optarg, 1, 65536);
			break;
		case 'M':
			maxkeys = opt_num("max-keys", optarg, 1, 100000000);
			break;
		case 'P':
			s.ports = (size_t)opt_num("ports", optarg, 1, 65536);
			break;
		case 'w':
			window = opt_duration("window", optarg);
			if (window <= 0)
				errx(EXIT_ERROR, "--window: %s: must be more "
				    "than 0", optarg);
			s.window_text = optarg;
			break;
		default:
			det_usage(&o);
		}
	}
	argc -= optind;
	argv += optind;

	if ((r = rec_open(argv, argc)) == NULL) {
		strv_free(ac.v);
		return EXIT_ERROR;
	}
	cts = rec_need(r, "ts");
	ckind = rec_need(r, "kind");
	caction = rec_need(r, "action");
	cproto = rec_need(r, "proto");
	csrc = rec_need(r, "src");
	cdst = rec_need(r, "dst");
	cdport = rec_need(r, "dport");

	s.d = det_new(&o, sizeof a, scan_event, &s);
	s.setcap = s.hosts > s.ports ? s.hosts : s.ports;
	if (s.setcap < SETCAP_MIN)
		s.setcap = SETCAP_MIN;
	s.hwin = det_win_new(HKEY_LEN, sizeof(struct ip_addr), window,
	    s.setcap, (size_t)maxkeys, (size_t)maxkeys * VALS_PER_KEY);
	s.vwin = det_win_new(VKEY_LEN, 4, window, s.setcap, (size_t)maxkeys,
	    (size_t)maxkeys * VALS_PER_KEY);
	s.hchk = det_check(s.d, "scanwatch.horizontal", "high", window,
	    sizeof(struct scan_ep));
	s.vchk = det_check(s.d, "scanwatch.vertical", "high", window,
	    sizeof(struct scan_ep));
	det_check_max(s.hchk, (size_t)maxkeys);
	det_check_max(s.vchk, (size_t)maxkeys);
	det_check_on_close(s.hchk, horizontal_closing, &s);
	det_check_on_close(s.vchk, vertical_closing, &s);

	memset(&a, 0, sizeof a);
	while ((rc = rec_next(r)) == 1) {
		const char *p;
		size_t n;
		int port;

		if (!det_field_is(r, ckind, "fw") &&
		    !det_field_is(r, ckind, "flow"))
			continue;
		p = rec_get(r, caction, &n);
		if (!action_counts(&ac, p, n))
			continue;
		if (det_addr(r, csrc, &a.src) != 0 ||
		    det_addr(r, cdst, &a.dst) != 0)
			continue;
		if (det_role(s.d, &a.src, "scanner"))
			continue;
		if (det_ts(s.d, r, cts, &t) != 0)
			continue;
		p = rec_get(r, cproto, &n);
		a.proto = (uint8_t)proto_id(p, n);
		port = det_port(r, cdport);
		a.has_port = port >= 0;
		a.dport = port >= 0 ? (uint16_t)port : 0;
		det_push(s.d, t, &a);
	}
	evicted = 0;
	status = det_finish(s.d, rc < 0 ? EXIT_ERROR : rec_status(r));
	evicted = det_win_evicted(s.hwin) + det_win_evicted(s.vwin);
	if (evicted)
		warnx("%llu keys were forgotten early to stay within "
		    "--max-keys %lld", evicted, maxkeys);
	det_win_free(s.hwin);
	det_win_free(s.vwin);
	rec_close(r);
	strv_free(ac.v);
	return status;
}
