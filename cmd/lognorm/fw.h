/*
 * fw: helpers shared by the firewall parsers (fw.c) and their entry
 * points (fw_*.c).  Every parser hands raw address text to the driver,
 * which canonicalises it.
 */
#ifndef LOGNORM_FW_H
#define LOGNORM_FW_H

#include "lognorm.h"

/* FW_LIT: field col = a string literal, without strlen. */
#define FW_LIT(ev, col, lit) ev_set((ev), (col), (lit), sizeof(lit) - 1)

/* fw_proto: an IANA protocol number or name as the lower-case keyword
 * (tcp, udp, icmp, ipv6-icmp, gre, esp, ...); unknown numbers stay as
 * digits.  Sets RC_PROTO (from a static string or the arena). */
void fw_proto(struct ev *ev, struct span s);

/* fw_action: a device's verdict word normalised (allow, deny, drop,
 * reject, block, alert, close, ...); unknown words lower-cased. */
void fw_action(struct ev *ev, struct span s);

/* fw_sev_level: a syslog level 0-7 into RC_SEV. */
void fw_sev_level(struct ev *ev, int level);

/* fw_sev_word: a severity word (critical, high, emergency, error,
 * warning, notice, informational, ...) into RC_SEV; 0 if unknown. */
int fw_sev_word(struct ev *ev, struct span s);

/* fw_lower: RC col = s lower-cased (copied only when needed). */
void fw_lower(struct ev *ev, int col, struct span s);

/* fw_port: a port span: digits are kept, well-known service names
 * (ssh, http, domain, ...) become their number; others leave it empty. */
void fw_port(struct ev *ev, int col, struct span s);

/* fw_num: RC col = s when s is all digits; otherwise left empty. */
void fw_num(struct ev *ev, int col, struct span s);

/* fw_epoch: seconds, milliseconds, microseconds or nanoseconds since
 * the epoch (told apart by size) to ms; 0 if s is not such a number. */
int fw_epoch(struct span s, int64_t *ms);

/*
 * fw_kv_next: the next key=value pair of a space-separated list at *pp
 * (values may be "quoted"; the span excludes the quotes).  Tokens without
 * '=' are skipped.  Returns 0 at the end.
 */
int fw_kv_next(const char **pp, const char *end, struct span *k,
    struct span *v);

/*
 * fw_sd_next: the next parameter of RFC 5424 structured data, either
 * key="value" or Check Point's key:"value"; (escapes kept in the span).
 * Returns 0 at the end of the element.
 */
int fw_sd_next(const char **pp, const char *end, struct span *k,
    struct span *v);

/* fw_csv: split a CSV line (double-quoted fields allowed) into up to max
 * fields (quotes stripped, doubled quotes kept); returns the count. */
int fw_csv(const char *s, size_t n, struct span *f, int max);

/* fw_trim: s without leading and trailing spaces. */
struct span fw_trim(struct span s);

/* The parsers. */
int fw_netfilter(struct ln_file *, const struct syslog_env *, const char *,
    size_t, struct ev *, const char **);
int fw_asa(struct ln_file *, const struct syslog_env *, const char *,
    size_t, struct ev *, const char **);
void fw_asa_fini(struct ln_file *);
int fw_fortinet(struct ln_file *, const struct syslog_env *, const char *,
    size_t, struct ev *, const char **);
int fw_panos(struct ln_file *, const struct syslog_env *, const char *,
    size_t, struct ev *, const char **);
int fw_filterlog(struct ln_file *, const struct syslog_env *, const char *,
    size_t, struct ev *, const char **);
int fw_pf(struct ln_file *, const struct syslog_env *, const char *,
    size_t, struct ev *, const char **);
int fw_srx(struct ln_file *, const struct syslog_env *, const char *,
    size_t, struct ev *, const char **);
int fw_sonicwall(struct ln_file *, const struct syslog_env *, const char *,
    size_t, struct ev *, const char **);
int fw_checkpoint(struct ln_file *, const struct syslog_env *, const char *,
    size_t, struct ev *, const char **);

#endif
