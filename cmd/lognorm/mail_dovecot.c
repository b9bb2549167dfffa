/*
 * Dovecot (IMAP/POP3 server) through syslog, tag "dovecot" or
 * "dovecot-auth", or untagged lines naming "dovecot:" / "dovecot-auth:".
 *
 * Login and authentication lines that name a user or a remote address are
 * events: "imap-login: Login: user=<u>, method=PLAIN, rip=A, lip=B"
 * (allow), "... (auth failed, 2 attempts ...): user=<u>, rip=A" and the
 * auth workers' "pam(user,A): unknown user" or PAM failures (deny), other
 * disconnects (no verdict).  Start-up and statistics lines are skipped.
 */
#include <stddef.h>
#include <string.h>

#include "app.h"

/* dv_kv: "key=value" after ", " or a blank, up to ',' or the end; the
 * value loses its <angle brackets>. */
static struct span
dv_kv(struct span s, const char *key)
{
	size_t kl = strlen(key);
	const char *p = s.p, *e = s.p + s.n, *q, *b, *c;

	while ((q = sp_find(p, (size_t)(e - p), key)) != NULL) {
		if ((q == s.p || q[-1] == ' ' || q[-1] == ',') &&
		    (size_t)(e - q) > kl && q[kl] == '=') {
			b = q + kl + 1;
			for (c = b; c < e && *c != ',' && *c != ' '; c++)
				;
			if (c - b >= 2 && *b == '<' && c[-1] == '>')
				return sp(b + 1, (size_t)(c - b - 2));
			return sp(b, (size_t)(c - b));
		}
		p = q + 1;
	}
	return sp(s.p, 0);
}

/*
 * own_log: a line of Dovecot's own log file (log_path): an optional
 * "YYYY-MM-DD HH:MM:SS " stamp (local time) or daemontools' "@4000..."
 * TAI64N label (not converted: ts stays empty), then a Dovecot process
 * name ("imap-login:", "auth-worker(...):", "auth:").
 */
static int
own_log(const char *msg, size_t n, struct span *m, int64_t *ms)
{
	static const char *const procs[] = { "imap-login: ", "pop3-login: ",
	    "managesieve-login: ", "submission-login: ", "lmtp(",
	    "auth-worker(", "auth: ", "auth(" };
	struct cur c;
	struct span w;
	size_t i;

	cur_init(&c, msg, n);
	if (n > 25 && msg[0] == '@' && msg[25] == ' ') {
		c.p += 26;
	} else if (n > 20 && msg[4] == '-' && msg[10] == ' ' &&
	    tm_parse(msg, 19, 1, ms) == 0) {
		c.p += 20;
	}
	w = sp(c.p, cur_left(&c));
	for (i = 0; i < sizeof(procs) / sizeof(procs[0]); i++)
		if (sp_prefix(w, procs[i])) {
			*m = w;
			return 1;
		}
	*ms = TM_NONE;
	return 0;
}

int
dovecot_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	struct span s = sp(msg, n), user, addr, local;
	const char *q;
	int64_t ms = TM_NONE;

	(void)f;
	(void)why;
	if (env != NULL) {
		if (!sp_prefix(env->tag, "dovecot"))
			return LN_NO;
	} else if (!bare_tag(msg, n, "dovecot", &s) &&
	    !bare_tag(msg, n, "dovecot-auth", &s) &&
	    !own_log(msg, n, &s, &ms))
		return LN_NO;
	user = dv_kv(s, "user");
	addr = dv_kv(s, "rip");
	if (addr.n == 0)
		addr = dv_kv(s, "rhost");
	local = dv_kv(s, "lip");
	/* auth workers: "pam(user,192.0.2.1[,<session>]): ..." and
	 * "passwd-file(user,192.0.2.1): ..." */
	if (user.n == 0 && addr.n == 0 && (q = memchr(s.p, '(', s.n)) != NULL) {
		const char *e = s.p + s.n, *c, *r;

		for (;;) {
			r = memchr(q, ')', (size_t)(e - q));
			c = memchr(q, ',', (size_t)(e - q));
			if (r != NULL && c != NULL && c < r) {
				const char *a = c + 1, *ae = a;

				while (ae < r && *ae != ',')
					ae++;
				if (sp_ipish(sp(a, (size_t)(ae - a)))) {
					user = sp(q + 1, (size_t)(c - q - 1));
					addr = sp(a, (size_t)(ae - a));
					break;
				}
			}
			q = memchr(q + 1, '(', (size_t)(e - q - 1));
			if (q == NULL)
				break;
		}
	}
	if (user.n == 0 && !sp_ipish(addr))
		return LN_SKIP;
	ev_setz(ev, RC_KIND, "mail");
	ev_set(ev, RC_MSG, s.p, s.n);
	if (ms != TM_NONE)
		ev->ts = ms;
	if (user.n)
		ev_set(ev, RC_USER, user.p, user.n);
	if (sp_ipish(addr)) {
		ev_setz(ev, RC_PROTO, "tcp");
		ev_set(ev, RC_SRC, addr.p, addr.n);
	}
	if (sp_ipish(local))
		ev_set(ev, RC_DST, local.p, local.n);
	if (sp_find(s.p, s.n, "Login: ") != NULL)
		ev_setz(ev, RC_ACTION, "allow");
	else if (sp_find(s.p, s.n, "auth failed") != NULL ||
	    sp_find(s.p, s.n, "unknown user") != NULL ||
	    sp_find(s.p, s.n, "authentication failure") != NULL ||
	    sp_find(s.p, s.n, "Password mismatch") != NULL ||
	    sp_find(s.p, s.n, "pam_authenticate() failed") != NULL)
		ev_setz(ev, RC_ACTION, "deny");
	return LN_OK;
}
