/*
 * portwatch internals: the port tables (watched, IRC, common, baseline),
 * --where conditions and the detector state shared by portwatch.c (main
 * and the checks) and ports.c (parsing the lists and files).
 */
#ifndef PORTWATCH_H
#define PORTWATCH_H

#include <stddef.h>
#include <stdint.h>

#include "det.h"
#include "ip.h"

/* Protocols as the ports tables know them; a port entry names a set. */
enum { P_OTHER, P_TCP, P_UDP, P_N };
#define PM_TCP	(1u << P_TCP)
#define PM_UDP	(1u << P_UDP)
#define PM_ANY	(PM_TCP | PM_UDP | (1u << P_OTHER))

extern const char *const proto_name[P_N];

/* A watched port: the rule it raises and why it is watched. */
struct watch {
	int		 irc;		/* portwatch.irc, else .watched */
	char		*reason;	/* escaped text, may be "" */
};

#define IRC_DEFAULT	"6660-6669/tcp,6697/tcp,7000/tcp"
#define COMMON_DEFAULT	"20-22/tcp,25/tcp,53,80/tcp,110/tcp,123/udp," \
	"143/tcp,443,465/tcp,587/tcp,853/tcp,993/tcp,995/tcp"

/* A --where condition: every term given must hold. */
struct where {
	char		*text;		/* as given, escaped for the detail */
	uint8_t		*ports;		/* 65536 flags, NULL: any port */
	unsigned	 pmask;		/* protocols, PM_ANY if not given */
	char		(*cc)[3];	/* country codes, NULL: any */
	size_t		 ncc;
	int		 cc_not;	/* cc=!LIST: any known country but */
};

/* One event as det orders it. */
struct pev {
	struct ip_addr	 src, dst;
	uint16_t	 dport;
	uint8_t		 proto;		/* P_* */
	uint8_t		 blocked;	/* the device stopped it */
	uint8_t		 noproto;	/* the record named no protocol */
	char		 cc[3];		/* dst country, "" unknown */
	char		*host, *user;	/* NULL unless a candidate */
};

/* The episode key: (src, dst, dport) and the protocol, so 53/udp and
 * 53/tcp are separate episodes. */
struct pkey {
	uint8_t		 src[16], dst[16];
	uint8_t		 port[2];
	uint8_t		 proto;
};
#define PKEY_LEN	35

/* Per-episode data for the closed record's detail. */
struct pep {
	uint64_t	 blocked;
	uint32_t	 what;		/* watch index or where index */
	uint32_t	 hosts;		/* rare: inside hosts on the port */
	uint32_t	 dsts;		/* rare: peak outside hosts in a gap */
	uint8_t		 dst[16];	/* rare: the first outside host */
	char		 cc[3];
};

struct pw {
	struct det	*det;
	struct det_check *c_irc, *c_watched, *c_rare, *c_where;
	/* watch[proto][port]: index + 1 into watches, 0 none */
	uint16_t	*watch[P_N];
	struct watch	*watches;
	size_t		 nwatches;
	uint8_t		*common[P_N];	/* never rare */
	uint8_t		*baseline[P_N];	/* common according to --baseline */
	struct where	*wheres;
	size_t		 nwheres;
	char		**exempt;
	struct det_win	*rare;
	struct det_win	*rare_dst;	/* (src, proto, port): dsts */
	long long	 rare_hosts;
	int64_t		 horizon, warmup, t0;
};

/* ---- ports.c ---- */

/* proto_code: P_TCP, P_UDP or P_OTHER for a protocol span. */
unsigned proto_code(const char *s, size_t n);

/*
 * parse_ports: "PORT[-PORT][/PROTO]" items separated by commas; fn is
 * called for each port range and protocol mask.  Returns -1 after a
 * message naming the bad item (what prefixes it).
 */
int parse_ports(const char *what, const char *list,
    void (*fn)(void *, unsigned, unsigned, unsigned), void *arg);

/* port_flags: a fresh table of 65536 zero flags (caller frees). */
uint8_t *port_flags(void);

/* flag_range: parse_ports callback setting flags[proto][port] for an
 * array of P_N tables. */
void flag_range(void *arg, unsigned lo, unsigned hi, unsigned pmask);

/* watch_defaults: the documented backdoor and bot list and the IRC ports. */
void watch_defaults(struct pw *pw);
/* watch_list: add LIST (irc or watched ports); exits 2 on a bad list. */
void watch_list(struct pw *pw, const char *what, const char *list, int irc,
    const char *reason);
/* watch_clear: forget the IRC (irc 1) or the other (irc 0) watches. */
void watch_clear(struct pw *pw, int irc);
/* watch_file: --ports-file; exits 2 on a bad file. */
void watch_file(struct pw *pw, const char *path);

/* where_parse: add a --where condition; exits 2 on a bad one. */
void where_parse(struct pw *pw, const char *text);
/* where_match: the event meets every term of w. */
int where_match(const struct where *w, const struct pev *e);

/* baseline_load: --baseline; exits 2 on a bad file. */
void baseline_load(struct pw *pw, const char *path);

#endif
