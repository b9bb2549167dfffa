/*
 * Private interface of the sensor and file-audit parser families
 * (ids_*.c, file_*.c): the parse functions their tables in ids.c and
 * file.c list, and small jansson helpers both families use.
 */
#ifndef LOGNORM_IDS_H
#define LOGNORM_IDS_H

#include <jansson.h>

#include "lognorm.h"

/* State slots (ln_file.state[]) owned by these families. */
enum {
	SLOT_ZEEK = 19,		/* ids_zeek.c: #fields header of a log */
	SLOT_WINXML = 24,	/* file_win.c: held lines of an XML event */
	SLOT_WINCSV = 25,	/* file_win.c: header of a CSV export */
	SLOT_WINHANDLE = 26,	/* file_win.c: handle id -> object name */
	SLOT_AUDITD = 27,	/* file_auditd.c: open multi-record events */
	SLOT_WINJSON = 28	/* file_win.c: held lines of a JSON object */
};

/* ids_fast.c */
int ids_fastlog_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
int ids_fastsys_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
/* ids_eve.c */
int ids_eve_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
/* ids_zeek.c */
int ids_zeek_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
int ids_zeekjson_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
void ids_zeek_fini(struct ln_file *);

/* ids_json.c: jansson helpers.  Strings are copied into the event's
 * arena, so the JSON tree may be freed right after. */
/* jx_get: value at a dotted path ("alert.signature"), or NULL.  Keys
 * that themselves hold dots ("id.orig_h") are tried whole first. */
json_t *jx_get(json_t *o, const char *path);
/* jx_getci: member key of object o, ignoring ASCII case, or NULL. */
json_t *jx_getci(json_t *o, const char *key);
/* jx_text: string, number or boolean value as text into col; returns 1
 * when something non-empty was set.  "", "-" and "(empty)" count as
 * unset (Windows and Zeek write "-" for "no value"). */
int jx_text(struct ev *e, int col, json_t *v);
/* jx_int: integer value (a number or a decimal string); 0 or -1. */
int jx_int(json_t *v, long long *out);
/* jx_time: ISO 8601 string, epoch seconds number, or "/Date(ms)/" into
 * *ms; 0 or -1. */
int jx_time(json_t *v, int64_t *ms);
/* jx_addr: an address value in canonical text into col; 0 or -1. */
int jx_addr(struct ev *e, int col, json_t *v);
/* jx_looks: s[0..n) starts (after blanks) with '{' and holds lit. */
int jx_looks(const char *s, size_t n, const char *lit);
/* ev_lower: a lower-cased copy of s[0..n) into col. */
void ev_lower(struct ev *e, int col, const char *s, size_t n);
/* ev_dur_ms: a duration in milliseconds as seconds text into col. */
void ev_dur_ms(struct ev *e, int col, int64_t ms);
/* magic_mime: a MIME type for libmagic's description text, or NULL. */
const char *magic_mime(const char *s, size_t n);

#endif
