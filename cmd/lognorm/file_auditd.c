/*
 * Linux audit (raw audit.log, optionally "node=X " first, also behind a
 * syslog envelope from audisp-syslog): the records of one event share
 * "msg=audit(SECONDS.MS:SERIAL)" and are combined into one record.
 *
 * Lines are held (LN_HOLD) under their serial in per-file state, at most
 * AUD_OPEN events at a time.  An event is complete on its EOE record, when
 * a second SYSCALL arrives for the same serial, or at once when it is a
 * user-space message (USER_*, CRED_*, LOGIN, DAEMON_*, ...) with nothing
 * before it.  Each line that is taken returns at most one record: a
 * complete event if there is one, else the oldest open event when more
 * than AUD_OPEN are open or it is more than AUD_AGE_MS older than the
 * line; whatever is still open at the end of the file comes out through
 * the flush hook.  So the line that completes an event counts as that
 * event's record and its other lines count as held (skipped); an event
 * never yields more than one record.
 *
 * File ops (as Samba's and Windows's): open/openat/creat by their flags
 * (O_CREAT with a CREATE path item -> create, O_WRONLY/O_RDWR/O_TRUNC ->
 * write, else read); unlink*, rmdir -> delete; rename* -> rename (file is
 * the old path, msg names the new); mkdir*, link*, symlink*, mknod ->
 * create; truncate -> write; execve* -> exec; chmod*, chown* -> perm;
 * *xattr, utime* -> attr.  Relative names are joined with the CWD record.
 */
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "ip.h"
#include "tm.h"
#include "util.h"

#define AUD_OPEN	16		/* events open at once */
#define AUD_AGE_MS	2000		/* records of one event are
					   written together; older open
					   events are complete */
#define AUD_MAXREC	256		/* records kept per event */
#define AUD_MAXPATH	8		/* PATH items kept per event */

struct aud_path {
	char	*name;
	char	*nametype;
};

struct aud_ev {
	unsigned long long serial;
	int64_t		 ts;
	char		*node;
	char		*type;		/* type of the first record */
	int		 has_syscall, complete, nrec;
	size_t		 bytes;
	char		*arch, *syscall, *sysname, *success;
	char		*a[4];
	char		*auid, *uid, *AUID, *UID;
	char		*exe, *comm, *key;
	char		*acct, *addr, *res, *op, *cmd;
	char		*cwd;
	struct aud_path	 path[AUD_MAXPATH];
	int		 npath;
};

struct aud_state {
	struct aud_ev	*ev[AUD_OPEN + 2];
	int		 n;		/* oldest first */
};

/* ---- record fields ---- */

/* field: value of key in body (key at the start or after ' ', '\'' or
 * 0x1d, the separator of enriched fields).  Quoted values lose their
 * quotes; *quoted says whether they had them. */
static int
field(const char *s, size_t n, const char *key, struct span *v, int *quoted)
{
	size_t k = strlen(key), i, j;
	const char *p;

	for (i = 0; i < n; i = (size_t)(p - s) + 1) {
		if ((p = memmem_lit(s + i, n - i, key)) == NULL)
			return 0;
		j = (size_t)(p - s);
		if (j > 0 && s[j - 1] != ' ' && s[j - 1] != '\'' &&
		    s[j - 1] != '\x1d')
			continue;
		if (j + k >= n || s[j + k] != '=')
			continue;
		j += k + 1;
		*quoted = 0;
		if (j < n && (s[j] == '"' || s[j] == '\'')) {
			char q = s[j++];
			size_t e = j;

			while (e < n && s[e] != q)
				e++;
			v->p = s + j;
			v->n = e - j;
			*quoted = 1;
			return 1;
		}
		v->p = s + j;
		for (v->n = 0; j + v->n < n && s[j + v->n] != ' ' &&
		    s[j + v->n] != '\x1d' && s[j + v->n] != '\''; v->n++)
			;
		return 1;
	}
	return 0;
}


/* take: a copy of key's value; unquoted string fields are hex-encoded by
 * auditd when they hold spaces or odd bytes, NULs (argument breaks in
 * proctitle) become spaces. */
static char *
take(struct aud_ev *a, const char *s, size_t n, const char *key, int strf)
{
	struct span v;
	int q;
	size_t i;
	char *d;

	if (!field(s, n, key, &v, &q) || v.n == 0)
		return NULL;
	if (a->bytes + v.n > FILE_HOLD_MAX)
		return NULL;
	a->bytes += v.n;
	if (strf && !q && v.n % 2 == 0 && !(v.n == 6 &&
	    memcmp(v.p, "(null)", 6) == 0)) {
		for (i = 0; i < v.n && hexdigit((unsigned char)v.p[i]) >= 0; i++)
			;
		if (i == v.n) {
			d = xmalloc(v.n / 2 + 1);
			for (i = 0; i < v.n / 2; i++) {
				d[i] = (char)(hexdigit(v.p[2 * i]) << 4 |
				    hexdigit(v.p[2 * i + 1]));
				if (d[i] == '\0')
					d[i] = ' ';
			}
			d[v.n / 2] = '\0';
			return d;
		}
	}
	return xstrndup(v.p, v.n);
}

static void
keep(char **slot, char *v)
{
	if (*slot == NULL)
		*slot = v;
	else
		free(v);
}

static void
aud_free(struct aud_ev *a)
{
	int i;

	if (a == NULL)
		return;
	free(a->node);
	free(a->type);
	free(a->arch);
	free(a->syscall);
	free(a->sysname);
	free(a->success);
	for (i = 0; i < 4; i++)
		free(a->a[i]);
	free(a->auid);
	free(a->uid);
	free(a->AUID);
	free(a->UID);
	free(a->exe);
	free(a->comm);
	free(a->key);
	free(a->acct);
	free(a->addr);
	free(a->res);
	free(a->op);
	free(a->cmd);
	free(a->cwd);
	for (i = 0; i < a->npath; i++) {
		free(a->path[i].name);
		free(a->path[i].nametype);
	}
	free(a);
}

/* aud_add: the fields one record contributes to its event. */
static void
aud_add(struct aud_ev *a, struct span type, const char *s, size_t n)
{
	static const char *const args[4] = { "a0", "a1", "a2", "a3" };
	int i;

	if (a->nrec >= AUD_MAXREC)
		return;
	a->nrec++;
	if (span_eq(type, "SYSCALL")) {
		a->has_syscall = 1;
		keep(&a->arch, take(a, s, n, "arch", 0));
		keep(&a->syscall, take(a, s, n, "syscall", 0));
		keep(&a->sysname, take(a, s, n, "SYSCALL", 0));
		keep(&a->success, take(a, s, n, "success", 0));
		for (i = 0; i < 4; i++)
			keep(&a->a[i], take(a, s, n, args[i], 0));
		keep(&a->exe, take(a, s, n, "exe", 1));
		keep(&a->comm, take(a, s, n, "comm", 1));
		keep(&a->key, take(a, s, n, "key", 1));
	} else if (span_eq(type, "PATH")) {
		char *nm, *nt;

		if (a->npath >= AUD_MAXPATH)
			return;
		nm = take(a, s, n, "name", 1);
		nt = take(a, s, n, "nametype", 0);
		if (nt == NULL)
			nt = take(a, s, n, "objtype", 0);
		a->path[a->npath].name = nm;
		a->path[a->npath].nametype = nt;
		a->npath++;
		return;
	} else if (span_eq(type, "CWD")) {
		keep(&a->cwd, take(a, s, n, "cwd", 1));
		return;
	} else if (span_eq(type, "AVC")) {
		keep(&a->comm, take(a, s, n, "comm", 1));
		if (a->npath < AUD_MAXPATH) {
			char *nm = take(a, s, n, "name", 1);

			if (nm == NULL)
				nm = take(a, s, n, "path", 1);
			if (nm != NULL) {
				a->path[a->npath].name = nm;
				a->path[a->npath].nametype = NULL;
				a->npath++;
			}
		}
		return;
	} else if (span_eq(type, "EXECVE") || span_eq(type, "PROCTITLE") ||
	    span_eq(type, "SOCKADDR"))
		return;
	keep(&a->auid, take(a, s, n, "auid", 0));
	keep(&a->uid, take(a, s, n, "uid", 0));
	keep(&a->AUID, take(a, s, n, "AUID", 1));
	keep(&a->UID, take(a, s, n, "UID", 1));
	if (!a->has_syscall) {
		keep(&a->acct, take(a, s, n, "acct", 1));
		keep(&a->addr, take(a, s, n, "addr", 0));
		keep(&a->res, take(a, s, n, "res", 0));
		keep(&a->op, take(a, s, n, "op", 1));
		keep(&a->cmd, take(a, s, n, "cmd", 1));
		keep(&a->exe, take(a, s, n, "exe", 1));
		keep(&a->key, take(a, s, n, "key", 1));
	}
}

/* ---- syscalls ---- */

enum aop { O_NONE, O_OPEN, O_CREAT, O_READ, O_WRITE, O_DELETE, O_RENAME,
	O_MKDIR, O_EXEC, O_TRUNC, O_PERM, O_ATTR, O_LINK, O_STAT };

static const struct {
	const char	*name;
	enum aop	 op;
	signed char	 flagarg;	/* argument holding open flags */
} sys_names[] = {
	{ "open", O_OPEN, 1 }, { "openat", O_OPEN, 2 },
	{ "openat2", O_OPEN, -1 }, { "creat", O_CREAT, -1 },
	{ "open_by_handle_at", O_OPEN, 2 },
	{ "read", O_READ, -1 }, { "pread64", O_READ, -1 },
	{ "readv", O_READ, -1 }, { "write", O_WRITE, -1 },
	{ "pwrite64", O_WRITE, -1 }, { "writev", O_WRITE, -1 },
	{ "unlink", O_DELETE, -1 }, { "unlinkat", O_DELETE, -1 },
	{ "rmdir", O_DELETE, -1 }, { "rename", O_RENAME, -1 },
	{ "renameat", O_RENAME, -1 }, { "renameat2", O_RENAME, -1 },
	{ "mkdir", O_MKDIR, -1 }, { "mkdirat", O_MKDIR, -1 },
	{ "mknod", O_MKDIR, -1 }, { "mknodat", O_MKDIR, -1 },
	{ "execve", O_EXEC, -1 }, { "execveat", O_EXEC, -1 },
	{ "truncate", O_TRUNC, -1 }, { "ftruncate", O_TRUNC, -1 },
	{ "chmod", O_PERM, -1 }, { "fchmod", O_PERM, -1 },
	{ "fchmodat", O_PERM, -1 }, { "chown", O_PERM, -1 },
	{ "fchown", O_PERM, -1 }, { "lchown", O_PERM, -1 },
	{ "fchownat", O_PERM, -1 }, { "setxattr", O_ATTR, -1 },
	{ "lsetxattr", O_ATTR, -1 }, { "fsetxattr", O_ATTR, -1 },
	{ "removexattr", O_ATTR, -1 }, { "lremovexattr", O_ATTR, -1 },
	{ "fremovexattr", O_ATTR, -1 }, { "utime", O_ATTR, -1 },
	{ "utimes", O_ATTR, -1 }, { "futimesat", O_ATTR, -1 },
	{ "utimensat", O_ATTR, -1 }, { "link", O_LINK, -1 },
	{ "linkat", O_LINK, -1 }, { "symlink", O_LINK, -1 },
	{ "symlinkat", O_LINK, -1 }, { "stat", O_STAT, -1 },
	{ "lstat", O_STAT, -1 }, { "newfstatat", O_STAT, -1 },
	{ "statx", O_STAT, -1 }, { "access", O_STAT, -1 },
	{ "faccessat", O_STAT, -1 }, { "faccessat2", O_STAT, -1 },
};

/* Syscall numbers of the architectures audit logs most: x86_64, i386
 * and aarch64 (which uses the generic table). */
static const struct {
	int		 nr;
	const char	*name;
} sys_x86_64[] = {
	{ 0, "read" }, { 1, "write" }, { 2, "open" }, { 4, "stat" },
	{ 6, "lstat" }, { 17, "pread64" }, { 18, "pwrite64" },
	{ 19, "readv" }, { 20, "writev" }, { 21, "access" },
	{ 42, "connect" }, { 43, "accept" }, { 49, "bind" },
	{ 59, "execve" }, { 62, "kill" }, { 76, "truncate" },
	{ 77, "ftruncate" }, { 82, "rename" }, { 83, "mkdir" },
	{ 84, "rmdir" }, { 85, "creat" }, { 86, "link" }, { 87, "unlink" },
	{ 88, "symlink" }, { 90, "chmod" }, { 91, "fchmod" },
	{ 92, "chown" }, { 93, "fchown" }, { 94, "lchown" },
	{ 101, "ptrace" }, { 105, "setuid" }, { 132, "utime" },
	{ 133, "mknod" }, { 159, "adjtimex" }, { 165, "mount" },
	{ 166, "umount2" }, { 188, "setxattr" }, { 189, "lsetxattr" },
	{ 190, "fsetxattr" }, { 197, "removexattr" },
	{ 198, "lremovexattr" }, { 199, "fremovexattr" },
	{ 227, "clock_settime" }, { 235, "utimes" }, { 257, "openat" },
	{ 258, "mkdirat" }, { 259, "mknodat" }, { 260, "fchownat" },
	{ 261, "futimesat" }, { 262, "newfstatat" }, { 263, "unlinkat" },
	{ 264, "renameat" }, { 265, "linkat" }, { 266, "symlinkat" },
	{ 268, "fchmodat" }, { 269, "faccessat" }, { 280, "utimensat" },
	{ 288, "accept4" }, { 304, "open_by_handle_at" },
	{ 316, "renameat2" }, { 322, "execveat" }, { 332, "statx" },
	{ 437, "openat2" }, { 439, "faccessat2" },
}, sys_i386[] = {
	{ 3, "read" }, { 4, "write" }, { 5, "open" }, { 8, "creat" },
	{ 9, "link" }, { 10, "unlink" }, { 11, "execve" }, { 14, "mknod" },
	{ 15, "chmod" }, { 38, "rename" }, { 39, "mkdir" }, { 40, "rmdir" },
	{ 83, "symlink" }, { 92, "truncate" }, { 93, "ftruncate" },
	{ 94, "fchmod" }, { 182, "chown" }, { 295, "openat" },
	{ 296, "mkdirat" }, { 298, "fchownat" }, { 301, "unlinkat" },
	{ 302, "renameat" }, { 303, "linkat" }, { 304, "symlinkat" },
	{ 306, "fchmodat" }, { 353, "renameat2" }, { 358, "execveat" },
}, sys_generic[] = {
	{ 5, "setxattr" }, { 33, "mknodat" }, { 34, "mkdirat" },
	{ 35, "unlinkat" }, { 36, "symlinkat" }, { 37, "linkat" },
	{ 38, "renameat" }, { 45, "truncate" }, { 46, "ftruncate" },
	{ 52, "fchmod" }, { 53, "fchmodat" }, { 54, "fchownat" },
	{ 55, "fchown" }, { 56, "openat" }, { 63, "read" }, { 64, "write" },
	{ 79, "newfstatat" }, { 88, "utimensat" }, { 200, "bind" },
	{ 203, "connect" }, { 221, "execve" }, { 276, "renameat2" },
	{ 281, "execveat" }, { 437, "openat2" },
};

#define LOOKUP(tab, nr) do { \
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) \
		if (tab[i].nr == (nr)) \
			return tab[i].name; \
} while (0)

/* sys_name: the syscall's name from the enriched SYSCALL= field or the
 * architecture's number, or NULL. */
static const char *
sys_name(const struct aud_ev *a)
{
	long long nr;
	size_t i;

	if (a->sysname != NULL)
		return a->sysname;
	if (a->syscall == NULL || parse_num_span(a->syscall,
	    strlen(a->syscall), 0, 100000, &nr) < 0)
		return NULL;
	if (a->arch == NULL || strcmp(a->arch, "c000003e") == 0)
		LOOKUP(sys_x86_64, nr);
	else if (strcmp(a->arch, "40000003") == 0)
		LOOKUP(sys_i386, nr);
	else if (strcmp(a->arch, "c00000b7") == 0 ||
	    strcmp(a->arch, "c00000f3") == 0)
		LOOKUP(sys_generic, nr);
	return NULL;
}

static enum aop
sys_op(const char *name, int *flagarg)
{
	size_t i;

	*flagarg = -1;
	if (name == NULL)
		return O_NONE;
	for (i = 0; i < sizeof(sys_names) / sizeof(sys_names[0]); i++)
		if (strcmp(sys_names[i].name, name) == 0) {
			*flagarg = sys_names[i].flagarg;
			return sys_names[i].op;
		}
	return O_NONE;
}

static int
is_type(const char *t, const char *lit)
{
	return t != NULL && strcmp(t, lit) == 0;
}

/* pick: the PATH item the op is about: one of the wanted name type, else
 * the last one that is not the parent directory. */
static const struct aud_path *
pick(const struct aud_ev *a, const char *want)
{
	const struct aud_path *best = NULL;
	int i;

	for (i = 0; i < a->npath; i++)
		if (want != NULL && is_type(a->path[i].nametype, want) &&
		    a->path[i].name != NULL)
			return &a->path[i];
	for (i = 0; i < a->npath; i++)
		if (a->path[i].name != NULL &&
		    !is_type(a->path[i].nametype, "PARENT"))
			best = &a->path[i];
	return best;
}

/* set_path: file = name, joined with cwd when relative. */
static void
set_path(struct ev *e, const struct aud_ev *a, int col, const char *name)
{
	size_t cl;

	if (name[0] != '/' && a->cwd != NULL && a->cwd[0] == '/') {
		cl = strlen(a->cwd);
		ev_printf(e, col, "%s%s%s", a->cwd,
		    cl > 0 && a->cwd[cl - 1] == '/' ? "" : "/",
		    name[0] == '.' && name[1] == '/' ? name + 2 : name);
	} else
		ev_copy(e, col, name, strlen(name));
}

static void
set_user(struct ev *e, const struct aud_ev *a)
{
	/* The login user (auid) follows a person through su and sudo;
	 * the uid is used for daemons that never logged in. */
	if (a->AUID != NULL && strcmp(a->AUID, "unset") != 0)
		ev_copy(e, RC_USER, a->AUID, strlen(a->AUID));
	else if (a->auid != NULL && strcmp(a->auid, "4294967295") != 0 &&
	    strcmp(a->auid, "-1") != 0 && a->AUID == NULL)
		ev_copy(e, RC_USER, a->auid, strlen(a->auid));
	else if (a->UID != NULL)
		ev_copy(e, RC_USER, a->UID, strlen(a->UID));
	else if (a->uid != NULL)
		ev_copy(e, RC_USER, a->uid, strlen(a->uid));
}

static unsigned long long
hexarg(const char *s)
{
	return s == NULL ? 0 : strtoull(s, NULL, 16);
}

static int
is_auth_type(const char *t)
{
	return strncmp(t, "USER_", 5) == 0 || strncmp(t, "CRED_", 5) == 0 ||
	    strcmp(t, "LOGIN") == 0 || strncmp(t, "ANOM_LOGIN", 10) == 0 ||
	    strcmp(t, "GRP_AUTH") == 0;
}

/* aud_record: the record of a complete event. */
static void
aud_record(struct ev *e, const struct aud_ev *a)
{
	const struct aud_path *p = NULL, *q;
	const char *name, *op = NULL;
	enum aop o;
	int flagarg;
	unsigned long long fl;

	e->ts = a->ts;
	if (a->node != NULL)
		ev_copy(e, RC_SENSOR, a->node, strlen(a->node));
	set_user(e, a);
	if (a->has_syscall) {
		name = sys_name(a);
		o = sys_op(name, &flagarg);
		if (a->success != NULL)
			ev_setz(e, RC_ACTION, strcmp(a->success, "yes") == 0 ?
			    "allow" : "deny");
		switch (o) {
		case O_OPEN:
			p = pick(a, "CREATE");
			fl = flagarg >= 0 ? hexarg(a->a[flagarg]) : 0;
			/* O_CREAT 0100, O_WRONLY 01, O_RDWR 02, O_TRUNC
			 * 01000 */
			if ((fl & 0100) && p != NULL &&
			    is_type(p->nametype, "CREATE"))
				op = "create";
			else if (fl & 03 || fl & 01000)
				op = "write";
			else
				op = flagarg >= 0 ? "read" : "open";
			break;
		case O_CREAT:
			p = pick(a, "CREATE");
			op = p != NULL && is_type(p->nametype, "CREATE") ?
			    "create" : "write";
			break;
		case O_READ:
			op = "read";
			p = pick(a, NULL);
			break;
		case O_WRITE:
		case O_TRUNC:
			op = "write";
			p = pick(a, NULL);
			break;
		case O_DELETE:
			op = "delete";
			p = pick(a, "DELETE");
			break;
		case O_RENAME:
			op = "rename";
			p = pick(a, "DELETE");
			if ((q = pick(a, "CREATE")) != NULL && q != p) {
				set_path(e, a, RC_MSG, q->name);
				ev_printf(e, RC_MSG, "%s to %.*s", name,
				    (int)e->f[RC_MSG].n, e->f[RC_MSG].p);
			}
			break;
		case O_MKDIR:
		case O_LINK:
			op = "create";
			p = pick(a, "CREATE");
			break;
		case O_EXEC:
			op = "exec";
			p = a->npath > 0 && a->path[0].name != NULL ?
			    &a->path[0] : NULL;
			break;
		case O_PERM:
			op = "perm";
			p = pick(a, NULL);
			break;
		case O_ATTR:
			op = "attr";
			p = pick(a, NULL);
			break;
		case O_STAT:
			op = "stat";
			p = pick(a, NULL);
			break;
		case O_NONE:
			break;
		}
		if (p != NULL && op != NULL) {
			ev_setz(e, RC_KIND, "file");
			ev_setz(e, RC_OP, op);
			set_path(e, a, RC_FILE, p->name);
		} else {
			ev_setz(e, RC_KIND, "sys");
			if (name != NULL)
				ev_copy(e, RC_OP, name, strlen(name));
			if (p == NULL && a->npath > 0 && (p = pick(a, NULL)) !=
			    NULL)
				set_path(e, a, RC_FILE, p->name);
		}
		if (!ev_has(e, RC_MSG))
			ev_printf(e, RC_MSG, "%s %s%s%s", name != NULL ? name :
			    a->syscall != NULL ? a->syscall : "syscall",
			    a->exe != NULL ? a->exe : a->comm != NULL ?
			    a->comm : "", a->key != NULL &&
			    strcmp(a->key, "(null)") != 0 ? " key=" : "",
			    a->key != NULL && strcmp(a->key, "(null)") != 0 ?
			    a->key : "");
		return;
	}
	/* Records without a syscall: user-space messages and the rest. */
	if (is_auth_type(a->type)) {
		ev_setz(e, RC_KIND, "auth");
		if (a->acct != NULL && strcmp(a->acct, "?") != 0) {
			e->f[RC_USER].n = 0;
			ev_copy(e, RC_USER, a->acct, strlen(a->acct));
		}
		if (a->addr != NULL)
			ev_copy(e, RC_SRC, a->addr, strlen(a->addr));
	} else
		ev_setz(e, RC_KIND, "sys");
	if (a->res != NULL) {
		if (strcmp(a->res, "success") == 0 || strcmp(a->res, "1") == 0)
			ev_setz(e, RC_ACTION, "allow");
		else if (strcmp(a->res, "failed") == 0 ||
		    strcmp(a->res, "0") == 0)
			ev_setz(e, RC_ACTION, "deny");
	}
	if (is_type(a->type, "AVC")) {
		ev_setz(e, RC_ACTION, "deny");
		if ((p = pick(a, NULL)) != NULL)
			ev_copy(e, RC_FILE, p->name, strlen(p->name));
	}
	if (a->cmd != NULL)
		ev_printf(e, RC_MSG, "%s %s", a->type, a->cmd);
	else if (a->op != NULL)
		ev_printf(e, RC_MSG, "%s %s", a->type, a->op);
	else if (a->comm != NULL)
		ev_printf(e, RC_MSG, "%s %s", a->type, a->comm);
	else
		ev_copy(e, RC_MSG, a->type, strlen(a->type));
}

/* ---- the line ---- */

struct aud_line {
	struct span	 node, type, body;
	unsigned long long serial;
	int64_t		 ts;
};

/* The kernel's own log (dmesg, kern.log, journald) numbers the types:
 * "audit: type=1300 audit(...)". */
static const struct {
	int		 nr;
	const char	*name;
} aud_types[] = {
	{ 1006, "LOGIN" }, { 1100, "USER_AUTH" }, { 1101, "USER_ACCT" },
	{ 1103, "CRED_ACQ" }, { 1104, "CRED_DISP" }, { 1105, "USER_START" },
	{ 1106, "USER_END" }, { 1112, "USER_LOGIN" }, { 1113, "USER_LOGOUT" },
	{ 1123, "USER_CMD" }, { 1300, "SYSCALL" }, { 1302, "PATH" },
	{ 1305, "CONFIG_CHANGE" }, { 1306, "SOCKADDR" }, { 1307, "CWD" },
	{ 1309, "EXECVE" }, { 1320, "EOE" }, { 1325, "NETFILTER_CFG" },
	{ 1326, "SECCOMP" }, { 1327, "PROCTITLE" }, { 1400, "AVC" },
	{ 1701, "ANOM_ABEND" },
};

/* aud_head: "[node=X ]type=T msg=audit(S.MS:N): body", or the kernel's
 * "[audit: ]type=NNNN audit(S.MS:N): body"; 1, 0 (not audit) or -1 (an
 * audit line without a usable audit(...) stamp). */
static int
aud_head(const char *s, size_t n, struct aud_line *l)
{
	size_t i = 0, j;
	const char *p;
	long long sec = 0, ser = 0, nr;
	int ms = 0, k;

	memset(l, 0, sizeof(*l));
	while (i < n && s[i] == ' ')
		i++;
	/* dmesg's "[ 1234.567890] " uptime stamp */
	if (i < n && s[i] == '[') {
		for (j = i + 1; j < n && ((s[j] >= '0' && s[j] <= '9') ||
		    s[j] == '.' || s[j] == ' '); j++)
			;
		if (j < n && s[j] == ']' && j + 1 < n && s[j + 1] == ' ')
			i = j + 2;
	}
	if (n - i > 7 && memcmp(s + i, "audit: ", 7) == 0)
		i += 7;
	if (n - i > 5 && memcmp(s + i, "node=", 5) == 0) {
		for (j = i + 5; j < n && s[j] != ' '; j++)
			;
		l->node.p = s + i + 5;
		l->node.n = j - i - 5;
		i = j + 1;
	}
	if (i >= n || n - i < 6 || memcmp(s + i, "type=", 5) != 0)
		return 0;
	for (j = i + 5; j < n && s[j] != ' '; j++)
		;
	l->type.p = s + i + 5;
	l->type.n = j - i - 5;
	if (parse_num_span(l->type.p, l->type.n, 1000, 9999, &nr) == 0) {
		for (k = 0; k < (int)(sizeof(aud_types) / sizeof(aud_types[0]));
		    k++)
			if (aud_types[k].nr == nr) {
				l->type.p = aud_types[k].name;
				l->type.n = strlen(aud_types[k].name);
				break;
			}
	}
	if (l->type.n == 0)
		return 0;
	p = memmem_lit(s + j, n - j, "audit(");
	if (p == NULL)
		return -1;
	i = (size_t)(p - s) + 6;
	for (k = 0; i < n && s[i] >= '0' && s[i] <= '9' && k < 12; i++, k++)
		sec = sec * 10 + (s[i] - '0');
	if (k == 0 || i >= n || s[i] != '.')
		return -1;
	for (i++, k = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
		if (k < 3)
			ms = ms * 10 + (s[i] - '0');
	while (k++ < 3)
		ms *= 10;
	if (i >= n || s[i] != ':')
		return -1;
	for (i++, k = 0; i < n && s[i] >= '0' && s[i] <= '9' && k < 18;
	    i++, k++)
		ser = ser * 10 + (s[i] - '0');
	if (k == 0 || i >= n || s[i] != ')')
		return -1;
	i++;
	if (i < n && s[i] == ':')
		i++;
	while (i < n && s[i] == ' ')
		i++;
	l->ts = (int64_t)sec * 1000 + ms;
	l->serial = (unsigned long long)ser;
	l->body.p = s + i;
	l->body.n = n - i;
	return 1;
}

static struct aud_ev *
aud_pop(struct aud_state *st, int idx)
{
	struct aud_ev *a = st->ev[idx];

	memmove(&st->ev[idx], &st->ev[idx + 1],
	    (size_t)(st->n - idx - 1) * sizeof(st->ev[0]));
	st->n--;
	return a;
}

static int
emit_pop(struct aud_state *st, int idx, struct ev *e)
{
	struct aud_ev *a = aud_pop(st, idx);

	aud_record(e, a);
	aud_free(a);
	return LN_OK;
}

static int
standalone(struct span t)
{
	return span_starts(t, "USER_") || span_starts(t, "CRED_") ||
	    span_eq(t, "LOGIN") || span_starts(t, "DAEMON_") ||
	    span_starts(t, "SERVICE_") || span_starts(t, "CRYPTO_") ||
	    span_starts(t, "ANOM_") || span_starts(t, "ADD_") ||
	    span_starts(t, "DEL_") || span_starts(t, "GRP_") ||
	    span_starts(t, "ROLE_") || span_starts(t, "SYSTEM_") ||
	    span_starts(t, "ACCT_") || span_starts(t, "CHGRP_") ||
	    span_starts(t, "CHUSER_") || span_starts(t, "TEST") ||
	    span_starts(t, "TRUSTED_") || span_starts(t, "USYS_") ||
	    span_eq(t, "TIME_ADJNTPVAL") || span_eq(t, "TIME_INJOFFSET") ||
	    span_eq(t, "CONFIG_CHANGE") || span_eq(t, "NETFILTER_CFG") ||
	    span_starts(t, "MAC_") || span_starts(t, "AVC_PATH") ||
	    span_starts(t, "SELINUX_ERR");
}

static int
same_node(const struct aud_ev *a, struct span node)
{
	if (node.n == 0)
		return 1;
	return a->node != NULL && strlen(a->node) == node.n &&
	    memcmp(a->node, node.p, node.n) == 0;
}

int
file_auditd_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	struct aud_state *st = f->state[SLOT_AUDITD];
	struct aud_line l;
	struct aud_ev *a = NULL;
	int i, r, fresh = 0;

	if ((r = aud_head(msg, n, &l)) == 0)
		return LN_NO;
	if (r < 0) {
		*why = "audit record without a "
		    "msg=audit(SECONDS.MS:SERIAL) stamp";
		return LN_BAD;
	}
	if (st == NULL)
		st = f->state[SLOT_AUDITD] = xcalloc(1, sizeof(*st));
	/* Serials are per host: an aggregated log needs node and serial. */
	for (i = st->n - 1; i >= 0; i--)
		if (st->ev[i]->serial == l.serial && !st->ev[i]->complete &&
		    same_node(st->ev[i], l.node)) {
			a = st->ev[i];
			break;
		}
	if (span_eq(l.type, "EOE")) {
		if (a == NULL)
			return LN_SKIP;
		a->complete = 1;
	} else {
		if (a != NULL && a->has_syscall && span_eq(l.type, "SYSCALL")) {
			a->complete = 1;
			a = NULL;
		}
		if (a == NULL) {
			a = xcalloc(1, sizeof(*a));
			a->serial = l.serial;
			a->ts = l.ts;
			a->type = xstrndup(l.type.p, l.type.n);
			if (l.node.n > 0)
				a->node = xstrndup(l.node.p, l.node.n);
			else if (env != NULL && env->host.n > 0)
				a->node = xstrndup(env->host.p, env->host.n);
			st->ev[st->n++] = a;
			fresh = 1;
		}
		aud_add(a, l.type, l.body.p, l.body.n);
		if (fresh && standalone(l.type))
			a->complete = 1;
	}
	for (i = 0; i < st->n; i++)
		if (st->ev[i]->complete)
			return emit_pop(st, i, e);
	if (st->n > AUD_OPEN || (st->n > 1 && st->ev[0]->ts < l.ts -
	    AUD_AGE_MS))
		return emit_pop(st, 0, e);
	return LN_HOLD;
}

int
file_auditd_flush(struct ln_file *f, struct ev *e)
{
	struct aud_state *st = f->state[SLOT_AUDITD];

	if (st == NULL || st->n == 0)
		return LN_NO;
	return emit_pop(st, 0, e);
}

void
file_auditd_fini(struct ln_file *f)
{
	struct aud_state *st = f->state[SLOT_AUDITD];
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < st->n; i++)
		aud_free(st->ev[i]);
	free(st);
	f->state[SLOT_AUDITD] = NULL;
}

/* ---- LAUREL: one JSON object per event ---- */

/* jdup: a JSON scalar as a fresh string (numbers in decimal), or NULL. */
static char *
jdup(struct aud_ev *a, json_t *v)
{
	char buf[32];

	if (v == NULL)
		return NULL;
	if (json_is_string(v)) {
		if (a->bytes + json_string_length(v) > FILE_HOLD_MAX)
			return NULL;
		a->bytes += json_string_length(v);
		return xstrndup(json_string_value(v), json_string_length(v));
	}
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return xstrdup(buf);
	}
	return NULL;
}

/* laurel_fields: the fields aud_add takes from a raw record, here from
 * one JSON object. */
static void
laurel_fields(struct aud_ev *a, json_t *o, int syscall)
{
	static const char *const args[4] = { "a0", "a1", "a2", "a3" };
	json_t *argv = json_object_get(o, "ARGV");
	char *arch;
	int i;

	keep(&a->auid, jdup(a, json_object_get(o, "auid")));
	keep(&a->uid, jdup(a, json_object_get(o, "uid")));
	keep(&a->AUID, jdup(a, json_object_get(o, "AUID")));
	keep(&a->UID, jdup(a, json_object_get(o, "UID")));
	keep(&a->exe, jdup(a, json_object_get(o, "exe")));
	keep(&a->comm, jdup(a, json_object_get(o, "comm")));
	keep(&a->key, jdup(a, json_object_get(o, "key")));
	if (!syscall) {
		keep(&a->acct, jdup(a, json_object_get(o, "acct")));
		keep(&a->addr, jdup(a, json_object_get(o, "addr")));
		keep(&a->res, jdup(a, json_object_get(o, "res")));
		keep(&a->op, jdup(a, json_object_get(o, "op")));
		keep(&a->cmd, jdup(a, json_object_get(o, "cmd")));
		return;
	}
	a->has_syscall = 1;
	/* LAUREL writes "0xc000003e"; audit.log "c000003e". */
	arch = jdup(a, json_object_get(o, "arch"));
	if (arch != NULL && arch[0] == '0' && arch[1] == 'x')
		memmove(arch, arch + 2, strlen(arch + 2) + 1);
	keep(&a->arch, arch);
	keep(&a->syscall, jdup(a, json_object_get(o, "syscall")));
	keep(&a->sysname, jdup(a, json_object_get(o, "SYSCALL")));
	keep(&a->success, jdup(a, json_object_get(o, "success")));
	/* The syscall arguments are ARGV[0..3], in hex with 0x. */
	for (i = 0; i < 4; i++) {
		json_t *x = json_object_get(o, args[i]);

		if (x == NULL && json_is_array(argv))
			x = json_array_get(argv, (size_t)i);
		keep(&a->a[i], jdup(a, x));
	}
}

int
file_laurel_parse(struct ln_file *f, const struct syslog_env *env,
    const char *msg, size_t n, struct ev *e, const char **why)
{
	struct aud_ev *a;
	json_error_t err;
	json_t *root, *id, *v, *x;
	const char *k, *s;
	size_t i, len;
	long long sec = 0;
	int ms = 0, digits = 0;

	(void)f;

	if (!jx_looks(msg, n, "{\"ID\":\""))
		return LN_NO;
	root = json_loadb(msg, n, 0, &err);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		*why = "LAUREL line that is not a well-formed JSON object";
		return LN_BAD;
	}
	id = json_object_get(root, "ID");
	s = json_is_string(id) ? json_string_value(id) : "";
	len = json_is_string(id) ? json_string_length(id) : 0;
	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9' && i < 12; i++)
		sec = sec * 10 + (s[i] - '0');
	if (i == 0 || i >= len || s[i] != '.') {
		json_decref(root);
		*why = "LAUREL event without an ID of SECONDS.MS:SERIAL";
		return LN_BAD;
	}
	for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		if (digits++ < 3)
			ms = ms * 10 + (s[i] - '0');
	while (digits++ < 3)
		ms *= 10;
	a = xcalloc(1, sizeof(*a));
	a->ts = (int64_t)sec * 1000 + ms;
	if (env != NULL && env->host.n > 0)
		a->node = xstrndup(env->host.p, env->host.n);
	keep(&a->node, jdup(a, json_object_get(root, "NODE")));
	json_object_foreach(root, k, v) {
		if (strcmp(k, "ID") == 0 || strcmp(k, "NODE") == 0)
			continue;
		if (strcmp(k, "SYSCALL") == 0 && json_is_object(v))
			laurel_fields(a, v, 1);
		else if (strcmp(k, "CWD") == 0)
			keep(&a->cwd, jdup(a, json_object_get(v, "cwd")));
		else if (strcmp(k, "PATH") == 0 && json_is_array(v)) {
			json_array_foreach(v, i, x) {
				if (a->npath >= AUD_MAXPATH)
					break;
				a->path[a->npath].name = jdup(a,
				    json_object_get(x, "name"));
				a->path[a->npath].nametype = jdup(a,
				    json_object_get(x, "nametype"));
				a->npath++;
			}
		} else if (strcmp(k, "EXECVE") == 0 ||
		    strcmp(k, "PROCTITLE") == 0 || strcmp(k, "SOCKADDR") == 0 ||
		    strcmp(k, "PARENT_INFO") == 0)
			continue;
		else {
			/* A record type of its own (user-space messages,
			 * ANOM_*): LAUREL gives it as an object or a list. */
			if (a->type == NULL)
				a->type = xstrdup(k);
			x = json_is_array(v) ? json_array_get(v, 0) : v;
			if (json_is_object(x))
				laurel_fields(a, x, 0);
		}
	}
	json_decref(root);
	if (a->type == NULL)
		a->type = xstrdup(a->has_syscall ? "SYSCALL" : "UNKNOWN");
	aud_record(e, a);
	aud_free(a);
	return LN_OK;
}
