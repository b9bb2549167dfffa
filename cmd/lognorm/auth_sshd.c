/*
 * OpenSSH sshd and Dropbear through syslog.
 *
 * Every sshd line that names a peer address or a user is an event:
 * logins accepted (action allow) and failed (deny), invalid users (deny),
 * PAM authentication failures (deny), refused and dropped connections,
 * disconnects, sessions opened and closed.  Lines that name neither
 * (server listening, received signal, key generation) are skipped.
 * msg keeps sshd's text so nothing of the line is lost.
 */
#include <stddef.h>
#include <string.h>

#include "app.h"

/* word_after: the word following lit in s (up to a blank), or empty. */
static struct span
word_after(struct span s, const char *lit)
{
	const char *q = sp_find(s.p, s.n, lit), *b, *e = s.p + s.n;

	if (q == NULL)
		return sp(s.p, 0);
	b = q + strlen(lit);
	q = b;
	while (q < e && *q != ' ')
		q++;
	return sp(b, (size_t)(q - b));
}

/*
 * sshd_user: the user a line is about.  sshd writes user names between
 * fixed words ("for NAME from", "Invalid user NAME from", "user=NAME");
 * a name may be empty or hold blanks, so take the text up to " from ".
 */
static struct span
sshd_user(struct span s, int *found)
{
	static const char *const pre[] = { "for invalid user ",
	    "Invalid user ", "invalid user ", "for illegal user ",
	    "Illegal user ", "authenticating user ", "from user ",
	    "User ", "for user ", "for " };
	const char *q, *e = s.p + s.n, *end;
	size_t i;
	struct span u;

	/* PAM: "... rhost=192.0.2.1  user=root" */
	*found = 1;
	u = word_after(s, " user=");
	if (u.n)
		return u;
	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		q = sp_find(s.p, s.n, pre[i]);
		if (q == NULL)
			continue;
		q += strlen(pre[i]);
		end = sp_find(q, (size_t)(e - q), " from ");
		if (end == NULL) {
			/* "session opened for user root by (uid=0)",
			 * "User root not allowed because ...",
			 * "invalid user admin [preauth]" */
			end = q;
			while (end < e && *end != ' ')
				end++;
		} else if (memchr(q, ' ', (size_t)(end - q)) != NULL &&
		    i == sizeof(pre) / sizeof(pre[0]) - 1)
			continue;	/* "for" of other phrases */
		u = sp(q, (size_t)(end - q));
		/* "Timeout before authentication for 192.0.2.1 port 22" */
		if (sp_ipish(u))
			continue;
		/* "session opened for user root(uid=0) by (uid=0)" */
		if ((q = memchr(u.p, '(', u.n)) != NULL && q > u.p)
			u.n = (size_t)(q - u.p);
		return u;
	}
	*found = 0;
	return sp(s.p, 0);
}

/* addr_port: "ADDR port N" or "ADDR:N" after lit; fills *a and *p. */
static int
addr_port(struct span s, const char *lit, struct span *a, struct span *p)
{
	const char *q = sp_find(s.p, s.n, lit), *e = s.p + s.n, *b;

	if (q == NULL)
		return 0;
	b = q + strlen(lit);
	q = b;
	while (q < e && *q != ' ' && *q != ';' && *q != ',' && *q != ']' &&
	    *q != ')')
		q++;
	*a = sp(b, (size_t)(q - b));
	if (a->n && a->p[a->n - 1] == ':')
		a->n--;
	p->n = 0;
	if (!sp_ipish(*a)) {
		/* dropbear: "192.0.2.1:52100" */
		const char *c = NULL, *k;

		for (k = a->p + a->n; k > a->p; k--)
			if (k[-1] == ':') {
				c = k - 1;
				break;
			}
		if (c == NULL)
			return 0;
		*p = sp(c + 1, (size_t)(a->p + a->n - c - 1));
		a->n = (size_t)(c - a->p);
		if (a->n > 2 && a->p[0] == '[' && a->p[a->n - 1] == ']') {
			a->p++;
			a->n -= 2;
		}
		if (!sp_ipish(*a) || !sp_port(*p))
			return 0;
		return 1;
	}
	if ((size_t)(e - q) > 6 && memcmp(q, " port ", 6) == 0) {
		b = q + 6;
		q = b;
		while (q < e && c_isdigit((unsigned char)*q))
			q++;
		*p = sp(b, (size_t)(q - b));
		if (!sp_port(*p))
			p->n = 0;
	}
	return 1;
}

/* peer: the remote address of a sshd/dropbear line, and its port. */
static int
peer(struct span s, struct span *a, struct span *p)
{
	static const char *const pre[] = { " from ", "Connection from ",
	    "rhost=", "Connection closed by ", "Connection reset by ",
	    "Disconnected from ", "Received disconnect from ",
	    "Unable to negotiate with ", " by ", "connection from ",
	    "Timeout before authentication for ", " with ", "Address ",
	    " FROM ", "Closing connection to ", "remote host ", " (" };
	size_t i;

	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (addr_port(s, pre[i], a, p))
			return 1;
	return 0;
}

static int
any(struct span s, const char *const *lits, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sp_find(s.p, s.n, lits[i]) != NULL)
			return 1;
	return 0;
}

static int
auth_event(struct span s, struct span whole, struct ev *ev)
{
	/* the lines that decide a refusal; the disconnects that follow
	 * ("Connection closed by invalid user ...") carry no verdict, so a
	 * count of deny records counts attempts once */
	static const char *const deny[] = { "Failed ", "Invalid user",
	    "authentication failure", "authentication error", "not allowed",
	    "maximum authentication attempts", "Too many authentication",
	    "Bad password", "Bad PAM password", "nonexistent user",
	    "Illegal user", "Login attempt for", "refused connect",
	    "LOGIN REFUSED" };
	static const char *const allow[] = { "Accepted ", "auth succeeded" };
	struct span u, a, p;
	int has_peer, found;

	u = sshd_user(s, &found);
	has_peer = peer(s, &a, &p);
	/* "Disconnected from invalid user NAME ADDR port N" (NAME may be
	 * empty) */
	if (!has_peer && found)
		has_peer = addr_port(sp(u.p + u.n, (size_t)(s.p + s.n -
		    u.p - u.n)), " ", &a, &p);
	if (u.n == 0 && !has_peer)
		return LN_SKIP;
	ev_setz(ev, RC_KIND, "auth");
	ev_set(ev, RC_MSG, whole.p, whole.n);
	/* quotes around names: dropbear "for 'root' from" */
	if (u.n >= 2 && u.p[0] == '\'' && u.p[u.n - 1] == '\'') {
		u.p++;
		u.n -= 2;
	}
	if (u.n)
		ev_set(ev, RC_USER, u.p, u.n);
	if (has_peer) {
		ev_setz(ev, RC_PROTO, "tcp");
		ev_set(ev, RC_SRC, a.p, a.n);
		if (p.n)
			ev_set(ev, RC_SPORT, p.p, p.n);
		/* "Connection from A port N on B port M" */
		{
			struct span la, lp;

			if (addr_port(s, " on ", &la, &lp)) {
				ev_set(ev, RC_DST, la.p, la.n);
				if (lp.n)
					ev_set(ev, RC_DPORT, lp.p, lp.n);
			}
		}
	}
	if (any(s, deny, sizeof(deny) / sizeof(deny[0])))
		ev_setz(ev, RC_ACTION, "deny");
	else if (any(s, allow, sizeof(allow) / sizeof(allow[0])))
		ev_setz(ev, RC_ACTION, "allow");
	return LN_OK;
}

int
sshd_parse(struct ln_file *f, const struct syslog_env *env, const char *msg,
    size_t n, struct ev *ev, const char **why)
{
	struct span s = sp(msg, n), whole;

	(void)f;
	(void)why;
	if (env == NULL ? !bare_tag(msg, n, "sshd", &s) :
	    !sp_prefix(env->tag, "sshd"))
		return LN_NO;
	whole = s;
	/* "message repeated 5 times: [ Failed password ...]" */
	if (sp_prefix(s, "message repeated ")) {
		const char *lb = memchr(s.p, '[', s.n);

		if (lb != NULL) {
			s = sp(lb + 1, (size_t)(s.p + s.n - lb - 1));
			s = sp_strip(s);
			if (s.n && s.p[s.n - 1] == ']')
				s.n--;
		}
	}
	return auth_event(s, whole, ev);
}

int
dropbear_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *ev, const char **why)
{
	struct span s = sp(msg, n);

	(void)f;
	(void)why;
	if (env == NULL ? !bare_tag(msg, n, "dropbear", &s) :
	    !sp_prefix(env->tag, "dropbear"))
		return LN_NO;
	return auth_event(s, s, ev);
}
