/*
 * Samba: vfs_full_audit lines ("prefix|op|ok|args", the prefix as
 * configured with full_audit:prefix, by default %u|%I and often
 * %u|%I|%m|%S), and smbd's authentication audit ("Auth: [...] user
 * [DOM]\[name] ... status [NT_STATUS_...] remote host [ipv4:a:p]") with
 * the other access denials smbd logs.
 *
 * full_audit ops map to the op vocabulary of the other file sources:
 * openat/open by the logged r/w flag -> read/write; pread/read -> read;
 * pwrite/write -> write; unlinkat/unlink/rmdir -> delete;
 * renameat/rename -> rename (file is the old name, msg the new);
 * mkdirat/mkdir -> create; create_file -> create when the disposition
 * makes a file, else open; connect -> connect (file is the share); any
 * other op is written as Samba names it.
 */
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "ip.h"
#include "tm.h"
#include "util.h"

#define SMB_MAXF 32

static const char *const vfs_ops[] = {
	"connect", "disconnect", "openat", "open", "create_file", "close",
	"pread", "pread_send", "pread_recv", "read", "pwrite", "pwrite_send",
	"pwrite_recv", "write", "unlinkat", "unlink", "rmdir", "renameat",
	"rename", "mkdirat", "mkdir", "chdir", "fchmod", "chmod", "fchown",
	"chown", "lchown", "fntimes", "ntimes", "ftruncate", "fstatat",
	"stat", "lstat", "fstat", "linkat", "symlinkat", "readlinkat",
	"mknodat", "realpath", "fdopendir", "opendir", "readdir", "closedir",
	"get_nt_acl_at", "fget_nt_acl", "fset_nt_acl", "sendfile",
	"recvfile", "lseek", "fsync", "fsync_send", "fsync_recv",
	"disk_free", "get_quota", "set_quota", "get_shadow_copy_data",
	"statvfs", "fs_capabilities", "brl_lock_windows", "kernel_flock",
	"linux_setlease", "getlock", "fsetxattr", "fgetxattr",
	"flistxattr", "fremovexattr", "streaminfo", "fstreaminfo",
	"translate_name", "offload_read_send", "offload_write_send",
	"fget_dos_attributes", "fset_dos_attributes", "fchflags",
	"file_id_create", "fs_file_id", "openat_fn", "connectpath",
	"parent_pathname", "freaddir_attr", "read_dfs_pathat",
	"create_dfs_pathat", "snap_check_path", "snap_create",
	"snap_delete", "audit_file", "getxattrat_send", "strict_lock_check",
	"durable_cookie", "durable_disconnect", "durable_reconnect",
};

static int
is_vfs_op(struct span s)
{
	size_t i;

	for (i = 0; i < sizeof(vfs_ops) / sizeof(vfs_ops[0]); i++)
		if (span_eq(s, vfs_ops[i]))
			return 1;
	return 0;
}

static int
is_result(struct span s)
{
	return span_eq(s, "ok") || span_starts(s, "fail");
}

/* bare: "DOMAIN\user" -> "user". */
static struct span
bare(struct span u)
{
	size_t i;

	for (i = u.n; i > 0; i--)
		if (u.p[i - 1] == '\\') {
			u.p += i;
			u.n -= i;
			break;
		}
	return u;
}

int
file_samba_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	struct span fld[SMB_MAXF], op, path;
	char buf[IP_STRLEN];
	size_t i, j;
	int nf = 0, k, opi = -1, nargs;
	const char *o;

	(void)f;
	(void)env;

	if (n < 6 || memchr(msg, '|', n) == NULL)
		return LN_NO;
	for (i = 0; i <= n && nf < SMB_MAXF; i = j + 1) {
		for (j = i; j < n && msg[j] != '|'; j++)
			;
		/* The last field keeps any further '|': paths may hold one. */
		if (nf == SMB_MAXF - 1)
			j = n;
		fld[nf].p = msg + i;
		fld[nf].n = j - i;
		nf++;
	}
	for (k = 1; k + 1 < nf && k < 8; k++)
		if (is_vfs_op(fld[k]) && is_result(fld[k + 1])) {
			opi = k;
			break;
		}
	if (opi < 0)
		return LN_NO;
	op = fld[opi];
	nargs = nf - opi - 2;

	ev_setz(e, RC_KIND, "file");
	if (fld[0].n > 0)
		ev_sets(e, RC_USER, bare(fld[0]));
	for (k = 1; k < opi; k++)
		if (ip_canon(fld[k].p, fld[k].n, buf) != 0) {
			ev_sets(e, RC_SRC, fld[k]);
			break;
		}
	ev_setz(e, RC_ACTION, span_eq(fld[opi + 1], "ok") ? "allow" : "deny");
	path.p = NULL;
	path.n = 0;
	if (nargs > 0)
		path = fld[nf - 1];

	o = NULL;
	if (span_eq(op, "openat") || span_eq(op, "open")) {
		if (nargs >= 2 && span_eq(fld[opi + 2], "w"))
			o = "write";
		else if (nargs >= 2 && span_eq(fld[opi + 2], "r"))
			o = "read";
		else
			o = "open";
	} else if (span_starts(op, "pread") || span_eq(op, "read"))
		o = "read";
	else if (span_starts(op, "pwrite") || span_eq(op, "write"))
		o = "write";
	else if (span_eq(op, "unlinkat") || span_eq(op, "unlink") ||
	    span_eq(op, "rmdir"))
		o = "delete";
	else if (span_eq(op, "mkdirat") || span_eq(op, "mkdir"))
		o = "create";
	else if (span_eq(op, "renameat") || span_eq(op, "rename")) {
		o = "rename";
		if (nargs >= 2) {
			path = fld[opi + 2];
			ev_printf(e, RC_MSG, "renameat to %.*s",
			    (int)fld[nf - 1].n, fld[nf - 1].p);
		}
	} else if (span_eq(op, "create_file")) {
		/* mask|file-or-dir|disposition|path */
		struct span d = { "", 0 };

		if (nargs >= 4)
			d = fld[opi + 4];

		o = span_eq(d, "create") || span_eq(d, "supersede") ||
		    span_eq(d, "overwrite") || span_eq(d, "overwrite_if") ?
		    "create" : "open";
	} else if (span_eq(op, "connect") || span_eq(op, "disconnect"))
		o = span_eq(op, "connect") ? "connect" : "disconnect";
	if (o != NULL)
		ev_setz(e, RC_OP, o);
	else
		ev_sets(e, RC_OP, op);
	if (path.n > 0)
		ev_sets(e, RC_FILE, path);
	if (!ev_has(e, RC_MSG)) {
		if (opi >= 3)
			ev_printf(e, RC_MSG, "%.*s %.*s", (int)op.n, op.p,
			    (int)fld[opi - 1].n, fld[opi - 1].p);
		else
			ev_sets(e, RC_MSG, op);
	}
	if (span_starts(fld[opi + 1], "fail"))
		ev_printf(e, RC_MSG, "%.*s %.*s", (int)op.n, op.p,
		    (int)fld[opi + 1].n, fld[opi + 1].p);
	(void)why;
	return LN_OK;
}

/* bracket: the text of the "[...]" that follows lit, or 0. */
static int
bracket(const char *s, size_t n, const char *lit, struct span *v)
{
	const char *p = memmem_lit(s, n, lit), *q;
	size_t k = strlen(lit);

	if (p == NULL || (size_t)(p - s) + k >= n || p[k] != '[')
		return 0;
	p += k + 1;
	q = memchr(p, ']', n - (size_t)(p - s));
	if (q == NULL)
		return 0;
	v->p = p;
	v->n = (size_t)(q - p);
	return 1;
}

/* host_port: "ipv4:192.0.2.1:445" or "ipv6:2001:db8::1:445". */
static void
host_port(struct ev *e, struct span v, int acol, int pcol)
{
	size_t i;

	if (span_starts(v, "ipv4:") || span_starts(v, "ipv6:")) {
		v.p += 5;
		v.n -= 5;
	}
	for (i = v.n; i > 0 && v.p[i - 1] != ':'; i--)
		;
	if (i > 1) {
		ev_set(e, acol, v.p, i - 1);
		ev_set(e, pcol, v.p + i, v.n - i);
	} else
		ev_sets(e, acol, v);
}

/* auth_time: "Fri, 24 Sep 2021 10:04:52.030937 UTC". */
static int
auth_time(struct span v, int64_t *ms)
{
	struct tm_parts p;
	const char *s = v.p;
	size_t i = 0, n = v.n;
	int frac = 0, scale = 100;

	memset(&p, 0, sizeof(p));
	while (i < n && s[i] != ' ')
		i++;
	i++;
	if (i + 20 > n)
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		p.day = p.day * 10 + (s[i] - '0');
	if (i + 14 > n || s[i] != ' ' ||
	    (p.mon = tm_month_abbr(s + i + 1)) == 0)
		return -1;
	i += 5;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		p.year = p.year * 10 + (s[i] - '0');
	if (i + 9 > n || s[i] != ' ' || s[i + 3] != ':' || s[i + 6] != ':')
		return -1;
	p.hour = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
	p.min = (s[i + 4] - '0') * 10 + (s[i + 5] - '0');
	p.sec = (s[i + 7] - '0') * 10 + (s[i + 8] - '0');
	i += 9;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (scale > 0) {
				frac += (s[i] - '0') * scale;
				scale /= 10;
			}
	p.msec = frac;
	if (p.day < 1 || p.day > 31 || p.year < 1970 || p.hour > 23 ||
	    p.min > 59 || p.sec > 60)
		return -1;
	if (i + 4 <= n && (memcmp(s + i, " UTC", 4) == 0 ||
	    memcmp(s + i, " GMT", 4) == 0))
		*ms = tm_make(&p);
	else
		*ms = tm_from_local(&p);
	return 0;
}

int
file_sambaauth_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	struct span v, st, d, u;
	const char *p;
	int64_t ms;

	(void)f;

	if (n > 6 && memcmp(msg, "Auth: [", 7) == 0) {
		ev_setz(e, RC_KIND, "auth");
		if (bracket(msg, n, "]\\", &u) && u.n > 0)
			ev_sets(e, RC_USER, u);
		if (!bracket(msg, n, "status ", &st)) {
			*why = "Samba auth line without a status";
			return LN_BAD;
		}
		ev_setz(e, RC_ACTION, span_eq(st, "NT_STATUS_OK") ? "allow" :
		    "deny");
		if (bracket(msg, n, "remote host ", &v))
			host_port(e, v, RC_SRC, RC_SPORT);
		if (bracket(msg, n, "local host ", &v))
			host_port(e, v, RC_DST, RC_DPORT);
		if (bracket(msg, n, " at ", &v) && auth_time(v, &ms) == 0)
			e->ts = ms;
		if (bracket(msg, n, "with ", &d))
			ev_printf(e, RC_MSG, "%.*s %.*s", (int)d.n, d.p,
			    (int)st.n, st.p);
		else
			ev_sets(e, RC_MSG, st);
		return LN_OK;
	}
	/* Other smbd access denials, only behind smbd's own tag. */
	if (env == NULL || !(span_eq(env->tag, "smbd") ||
	    span_eq(env->tag, "samba")))
		return LN_NO;
	if (n > 23 && memcmp(msg, "Denied connection from ", 23) == 0) {
		ev_setz(e, RC_KIND, "auth");
		ev_setz(e, RC_ACTION, "deny");
		v.p = msg + 23;
		v.n = n - 23;
		if (v.n > 2 && v.p[0] == '(' && v.p[v.n - 1] == ')') {
			v.p++;
			v.n -= 2;
		}
		ev_sets(e, RC_SRC, v);
		ev_setz(e, RC_MSG, "denied connection");
		return LN_OK;
	}
	if (n > 17 && memcmp(msg, "Permission denied", 17) == 0) {
		ev_setz(e, RC_KIND, "sys");
		ev_setz(e, RC_ACTION, "deny");
		if ((p = memmem_lit(msg, n, "User name: ")) != NULL) {
			v.p = p + 11;
			for (v.n = 0; v.p + v.n < msg + n && v.p[v.n] != '.' &&
			    v.p[v.n] != ' '; v.n++)
				;
			ev_sets(e, RC_USER, v);
		}
		ev_setz(e, RC_MSG, "permission denied");
		return LN_OK;
	}
	return LN_NO;
}
