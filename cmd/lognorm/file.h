/*
 * Private interface of the file-audit family (file_*.c): the parse
 * functions of file.c's table and the Windows event model that the XML,
 * JSON, CSV and Snare readers of Windows events share.
 */
#ifndef LOGNORM_FILE_H
#define LOGNORM_FILE_H

#include "ids.h"

/* Named values of one Windows event, as raw text in the event arena. */
enum win_slot {
	W_EVENTID, W_TIMEZ, W_TIMELOCAL, W_TIMEUTC, W_COMPUTER, W_KEYWORDS,
	W_OUTCOME, W_PROVIDER, W_SUBJ_USER, W_SUBJ_DOMAIN, W_TGT_USER,
	W_TGT_DOMAIN, W_OBJ_TYPE, W_OBJ_NAME, W_SHARE_NAME, W_SHARE_PATH,
	W_REL_TARGET, W_ACCESS_MASK, W_ACCESS_LIST, W_IP, W_PORT, W_HANDLE,
	W_PID, W_PROC_NAME, W_LOGON_TYPE, W_STATUS, W_TARGET_FILE, W_USER,
	W_MESSAGE, W_IMAGE, W_NEW_PROC, W_WORKSTATION, W_NSLOT
};

struct winev {
	struct span	 v[W_NSLOT];
};

/* win_slot_of: the slot a field name (EventData name, JSON key, any
 * case) fills, or -1. */
int win_slot_of(const char *name, size_t n);
/* win_put: set slot s to a copy of val unless it is already set; "-"
 * and empty values are ignored. */
void win_put(struct ev *e, struct winev *w, int s, const char *val,
    size_t n);
/* win_from_message: fill unset slots from the rendered message text
 * (Windows "Label:\t\tvalue" lines, or Snare's space-flattened form). */
void win_from_message(struct ev *e, struct winev *w, const char *s,
    size_t n);
/* win_finish: the record for a collected event; LN_OK or LN_BAD. */
int win_finish(struct ln_file *f, struct ev *e, struct winev *w,
    const char **why);
/* win_local_time: "M/D/YYYY h:mm:ss AM", "DD.MM.YYYY HH:MM:SS",
 * "YYYY/MM/DD HH:MM:SS" or ISO without zone, in the --tz zone. */
int win_local_time(const char *s, size_t n, int64_t *ms);
void win_fini(struct ln_file *f);

/* file_win.c */
int file_winjson_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
int file_winjson_flush(struct ln_file *, struct ev *);
void file_winjson_fini(struct ln_file *);
int file_snare_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
/* file_winxml.c */
int file_winxml_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
int file_winxml_flush(struct ln_file *, struct ev *);
void file_winxml_fini(struct ln_file *);
int file_wincsv_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
int file_wincsv_flush(struct ln_file *, struct ev *);
void file_wincsv_fini(struct ln_file *);
/* file_samba.c */
int file_samba_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
int file_sambaauth_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
/* file_auditd.c */
int file_auditd_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);
int file_auditd_flush(struct ln_file *, struct ev *);
void file_auditd_fini(struct ln_file *);
int file_laurel_parse(struct ln_file *, const struct syslog_env *,
    const char *, size_t, struct ev *, const char **);

/* Longest multi-line event held (XML, quoted CSV rows). */
#define FILE_HOLD_MAX	(1u << 20)

#endif
