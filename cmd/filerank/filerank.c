/*
 * filerank: the five monthly file-access rankings a manager reviews, from
 * file-audit records (kind "file", with user, file and op): late-night
 * access, weekend access, confidential-file access, deleters and copiers.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filerank.h"
#include "opt.h"
#include "tm.h"
#include "util.h"

#define MAXKEYS_DEFAULT 1000000
#define KEYBYTES_PER_KEY 256	/* string budget: max-keys times this */
#define MAXFILELEN 32768	/* longest path kept (Windows' own limit) */
#define MAXWARN 10		/* bad-time messages before going quiet */

const char *const fr_report_names[R_N] = {
	"night", "weekend", "confidential", "deleters", "copiers"
};

static const char synopsis[] =
    "[-aesuV] [-C FILE] [-c DUR] [-D FILE] [-F HH:MM] [-H FILE] [-L DUR] "
    "[-M YYYY-MM] [-m N] [-n N] [-o DIR] [-r NAME] [-S TIME] [-T HH:MM] "
    "[-U TIME] [-w DUR] [-x FILE] [-z ZONE] [FILE ...]";

static const struct optdef opts[] = {
	{ "all-accounts", 'a', no_argument, NULL,
	  "keep computer accounts (names ending in $)" },
	{ "confidential", 'C', required_argument, "FILE",
	  "path patterns of confidential files, one a line" },
	{ "copy-window", 'c', required_argument, "DUR",
	  "read-to-write time that makes a copy (default 30s)" },
	{ "users", 'D', required_argument, "FILE",
	  "CSV with user and dept columns: adds dept" },
	{ "exit-status", 'e', no_argument, NULL,
	  "exit 1 when a report has a row" },
	{ "from", 'F', required_argument, "HH:MM",
	  "night starts, local time (default 22:00)" },
	{ "holidays", 'H', required_argument, "FILE",
	  "dates (YYYY-MM-DD) that count as weekend" },
	OPT_HELP,
	{ "lateness", 'L', required_argument, "DUR",
	  "input disorder tolerated by copy inference (default 1m)" },
	{ "month", 'M', required_argument, "YYYY-MM",
	  "period: that local calendar month" },
	{ "max-keys", 'm', required_argument, "N",
	  "cap on users, files and user-file pairs (default 1000000)" },
	{ "top", 'n', required_argument, "N",
	  "rows with rank N or better (default all)" },
	{ "outdir", 'o', required_argument, "DIR",
	  "write every report to DIR/NAME.csv" },
	{ "report", 'r', required_argument, "NAME",
	  "night, weekend, confidential, deleters or copiers" },
	{ "since", 'S', required_argument, "TIME",
	  "period start, inclusive (RFC 3339 or YYYY-MM-DD)" },
	{ "stats", 's', no_argument, NULL, "counts on standard error" },
	{ "to", 'T', required_argument, "HH:MM",
	  "night ends, local time (default 06:00)" },
	{ "until", 'U', required_argument, "TIME",
	  "period end, exclusive (RFC 3339 or YYYY-MM-DD)" },
	OPT_LINEBUF,
	OPT_VERSION,
	{ "act-window", 'w', required_argument, "DUR",
	  "records of one user, file and op within DUR are one act "
	  "(default 2s; 0 counts every record)" },
	{ "exclude", 'x', required_argument, "FILE",
	  "accounts to leave out, one name or pattern a line" },
	{ "tz", 'z', required_argument, "ZONE",
	  "IANA zone for night and weekend (default $TZ)" },
	{ NULL, 0, 0, NULL, NULL }
};

/* What was read, and why records did not count. */
static struct {
	unsigned long long records, used, notfile, nouser, notime, badtime,
	    period, computer, listed, usercap, filecap, notes;
} st;

/* Windows writes the records of one act within milliseconds; 2s leaves
 * room for a busy server's stamps and is shorter than a person takes to
 * do the same thing to the same file again (filerank(1), ACTS). */
#define ACT_WINDOW_DEFAULT 2000

static struct map *users;	/* escaped name -> struct fr_user */
static struct fr_user **userv;
static size_t nuser, userv_cap;
static struct map *files;	/* escaped path -> struct fr_file */
static struct fr_file **filev;
static size_t nfile, filev_cap;
static struct map *names;	/* folded dir or base name -> uint32_t id */
static size_t maxkeys = MAXKEYS_DEFAULT, keybytes, maxkeybytes;

static int night_from = 22 * 60, night_to = 6 * 60;
static int keep_computers;
static struct rk_set *tally;
static struct pg_path pgp;

const char *
fr_user_name(uint32_t uid, size_t *len)
{
	return map_key(users, userv[uid], len);
}

const struct fr_user *
fr_user_get(uint32_t uid)
{
	return userv[uid];
}

const char *
fr_file_name(uint32_t fid, size_t *len)
{
	return map_key(files, filev[fid], len);
}

size_t
fr_file_count(void)
{
	return nfile;
}

/* user_intern: the user's entry, NULL when the user cap is reached. */
static struct fr_user *
user_intern(const char *s, size_t n)
{
	struct fr_user *u = map_get(users, s, n);

	if (u != NULL)
		return u;
	if (nuser >= maxkeys || keybytes + n > maxkeybytes)
		return NULL;
	u = map_put(users, s, n, NULL);
	keybytes += n;
	u->id = (uint32_t)nuser;
	if (!keep_computers && s[n - 1] == '$')
		u->left_out = LEFT_COMPUTER;
	else if (ls_excluded(s, n))
		u->left_out = LEFT_LISTED;
	if ((u->dept = ls_dept(s, n)) != NULL)
		u->deptlen = strlen(u->dept);
	if (nuser == userv_cap) {
		userv_cap = userv_cap ? userv_cap * 2 : 1024;
		userv = xreallocarray(userv, userv_cap, sizeof *userv);
	}
	userv[nuser++] = u;
	return u;
}

static uint32_t
name_intern(const char *s, size_t n)
{
	uint32_t *id = map_get(names, s, n);
	int isnew;

	if (id != NULL)
		return *id;
	if (map_count(names) >= maxkeys || keybytes + n > maxkeybytes)
		return FR_NONE;
	id = map_put(names, s, n, &isnew);
	keybytes += n;
	*id = (uint32_t)map_count(names) - 1;
	return *id;
}

/* describe: what filerank needs to know of a path, worked out once. */
static void
describe(struct fr_file *f, const char *s, size_t n, int intern)
{
	size_t rn, k, slash = 0;
	char *raw = rec_unescape(s, n, &rn);
	int sl = 0;

	pg_path_set(&pgp, raw, rn);
	f->windows = (uint8_t)pgp.windows;
	f->confidential = (uint8_t)ls_confidential_match(&pgp);
	f->base = f->dir = FR_NONE;
	if (intern) {
		/* separators as '/', Windows names folded, then split */
		for (k = 0; k < rn; k++) {
			if (raw[k] == '\\')
				raw[k] = '/';
			if (raw[k] == '/') {
				slash = k;
				sl = 1;
			}
		}
		if (f->windows)
			ls_lower(raw, rn);
		if (sl) {
			f->dir = name_intern(raw, slash);
			f->base = name_intern(raw + slash + 1, rn - slash - 1);
		} else {
			f->dir = name_intern("", 0);
			f->base = name_intern(raw, rn);
		}
	}
	free(raw);
}

/* file_intern: the file's entry; over the cap, *tmp is filled instead and
 * returned with id FR_NONE. */
static const struct fr_file *
file_intern(const char *s, size_t n, struct fr_file *tmp)
{
	struct fr_file *f = map_get(files, s, n);

	if (f != NULL)
		return f;
	if (nfile >= maxkeys || keybytes + n > maxkeybytes) {
		st.filecap++;
		describe(tmp, s, n, 0);
		tmp->id = FR_NONE;
		return tmp;
	}
	f = map_put(files, s, n, NULL);
	keybytes += n;
	f->id = (uint32_t)nfile;
	describe(f, s, n, 1);
	if (nfile == filev_cap) {
		filev_cap = filev_cap ? filev_cap * 2 : 1024;
		filev = xreallocarray(filev, filev_cap, sizeof *filev);
	}
	filev[nfile++] = f;
	return f;
}

/* same_key: the interned entry val of m has the key s[0..n). */
static int
same_key(const struct map *m, const void *val, const char *s, size_t n)
{
	size_t klen;
	const char *k = map_key(m, val, &klen);

	return klen == n && memcmp(k, s, n) == 0;
}

#define LOCAL_REPORTS (1u << R_NIGHT | 1u << R_WEEKEND)

enum { OP_OTHER, OP_READ, OP_WRITE, OP_DELETE, OP_NOTE };

static int
op_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* The op vocabulary of lognorm(1) (see filerank(1), COPIES). */
static int
op_class(const char *s, size_t n)
{
	if (op_eq(s, n, "read"))
		return OP_READ;
	if (op_eq(s, n, "write") || op_eq(s, n, "create"))
		return OP_WRITE;
	if (op_eq(s, n, "delete") || op_eq(s, n, "unlink") ||
	    op_eq(s, n, "rmdir"))
		return OP_DELETE;
	/* a handle closed, or Windows 4660 confirming the delete its 4663
	 * already logged: bookkeeping, not another access */
	if (op_eq(s, n, "close") || op_eq(s, n, "deleted"))
		return OP_NOTE;
	return OP_OTHER;
}

static int
is_night(const struct tm_parts *lp)
{
	int m = lp->hour * 60 + lp->min;

	if (night_from < night_to)
		return m >= night_from && m < night_to;
	return m >= night_from || m < night_to;
}

static int
is_weekend(const struct tm_parts *lp)
{
	int64_t day;

	if (lp->wday == 0 || lp->wday == 6)
		return 1;
	day = tm_days_from_civil(lp->year, lp->mon, lp->day);
	return ls_holiday(day);
}

static void
on_copy(void *ctx, uint32_t uid, uint32_t src, uint32_t dst, int64_t ts)
{
	(void)ctx;
	(void)dst;
	rk_add(tally, 1u << R_COPIERS, uid, src, ts);
}

/* parse_hhmm: "HH:MM" to minutes of the day; "24:00" only when end. */
static int
parse_hhmm(const char *opt, const char *s, int end)
{
	long long h, m;
	const char *colon = strchr(s, ':');

	if (colon == NULL || colon == s || colon - s > 2 ||
	    parse_num_span(s, (size_t)(colon - s), 0, 24, &h) != 0 ||
	    strlen(colon + 1) != 2 ||
	    parse_num_span(colon + 1, 2, 0, 59, &m) != 0 ||
	    (h == 24 && (m != 0 || !end)))
		errx(EXIT_ERROR, "--%s: %s: not a time of day (HH:MM)", opt, s);
	return (int)(h * 60 + m);
}

/* parse_when: RFC 3339, or a date meaning local midnight; without an
 * offset a time is local (--tz) too. */
static int64_t
parse_when(const char *opt, const char *s)
{
	struct tm_parts p;
	int64_t ms;

	if (ls_parse_date(s, strlen(s), &p) == 0)
		return tm_from_local(&p);
	if (tm_parse(s, strlen(s), 1, &ms) != 0)
		errx(EXIT_ERROR, "--%s: %s: not a time (RFC 3339 or "
		    "YYYY-MM-DD)", opt, s);
	return ms;
}

static void
parse_month(const char *s, int64_t *since, int64_t *until)
{
	struct tm_parts p;
	char buf[16];

	if (strlen(s) != 7 || (snprintf(buf, sizeof buf, "%s-01", s),
	    ls_parse_date(buf, 10, &p) != 0))
		errx(EXIT_ERROR, "--month: %s: not a month (YYYY-MM)", s);
	*since = tm_from_local(&p);
	if (++p.mon > 12) {
		p.mon = 1;
		p.year++;
	}
	*until = tm_from_local(&p);
}

static int
report_index(const char *s)
{
	for (int i = 0; i < R_N; i++)
		if (strcmp(s, fr_report_names[i]) == 0)
			return i;
	errx(EXIT_ERROR, "--report: %s: unknown report (night, weekend, "
	    "confidential, deleters, copiers)", s);
}

/* mkdirs: mkdir -p, so a cron job can name this month's directory. */
static int
mkdirs(const char *dir)
{
	char *p = xstrdup(dir);

	for (char *q = p + 1;; q++) {
		if (*q == '/' || *q == '\0') {
			char c = *q;

			*q = '\0';
			if (mkdir(p, 0777) == -1 && errno != EEXIST) {
				warn("%s", p);
				free(p);
				return -1;
			}
			if (c == '\0')
				break;
			*q = c;
		}
	}
	free(p);
	return 0;
}

/*
 * write_file: write report r to dir/NAME.csv through a temporary file
 * renamed into place, so a reader never sees half a report.  The record
 * writer writes to descriptor 1, so the file is put there for the time.
 */
static int
write_file(int r, const char *dir, int with_dept, long long top,
    unsigned long *rows)
{
	char *path, *tmp;
	struct rec_writer *w;
	int fd, saved, bad = 0;
	mode_t um = umask(0);

	(void)with_dept;

	umask(um);
	if (asprintf(&path, "%s/%s.csv", dir, fr_report_names[r]) < 0 ||
	    asprintf(&tmp, "%s/.%s.csv.XXXXXX", dir, fr_report_names[r]) < 0)
		errx(EXIT_ERROR, "out of memory");
	if ((fd = mkstemp(tmp)) == -1) {
		warn("%s", tmp);
		free(path);
		free(tmp);
		return -1;
	}
	(void)fchmod(fd, 0666 & ~um);
	saved = dup(STDOUT_FILENO);
	if (saved == -1 || dup2(fd, STDOUT_FILENO) == -1)
		err(EXIT_ERROR, "dup");
	close(fd);
	w = rec_wopen(0);
	*rows += rk_write(tally, r, w, ls_have_users(), top);
	if (rec_wclose(w) != 0)
		bad = 1;
	else if (fsync(STDOUT_FILENO) == -1 && errno != EINVAL) {
		warn("%s", tmp);
		bad = 1;
	}
	if (dup2(saved, STDOUT_FILENO) == -1)
		err(EXIT_ERROR, "dup");
	close(saved);
	if (!bad && rename(tmp, path) == -1) {
		warn("%s", path);
		bad = 1;
	}
	if (bad) {
		warnx("%s: not written", path);
		(void)unlink(tmp);
	}
	free(path);
	free(tmp);
	return bad ? -1 : 0;
}

static void
print_stats(unsigned long copies_dropped, const struct act_set *acts,
    unsigned want)
{
	fprintf(stderr, "filerank: stats: records=%llu used=%llu "
	    "same_act=%llu acts_dropped=%llu "
	    "not_file=%llu bookkeeping=%llu no_user=%llu no_time=%llu bad_time=%llu "
	    "outside_period=%llu computer_accounts=%llu "
	    "listed_accounts=%llu over_user_cap=%llu over_file_cap=%llu "
	    "users=%zu files=%zu pairs=%zu copy_window_dropped=%lu\n",
	    st.records, st.used, (unsigned long long)act_repeats(acts),
	    (unsigned long long)act_dropped(acts), st.notfile, st.notes, st.nouser, st.notime,
	    st.badtime, st.period, st.computer, st.listed, st.usercap,
	    st.filecap, nuser, nfile, rk_pairs(tally), copies_dropped);
	for (int i = 0; i < R_N; i++)
		if (want & 1u << i)
			fprintf(stderr, "filerank: stats: report=%s "
			    "events=%llu%s\n",
			    fr_report_names[i],
			    (unsigned long long)rk_events(tally, i),
			    rk_capped(tally, i) ? " pairs_capped=1" : "");
}

/*
 * filerank reads file-audit records (lognorm output) and writes the
 * rankings a manager reviews each month, as records: who works on files
 * at night and on weekends, who opens confidential files, who deletes
 * and who copies.  Copies are inferred, since no audit source logs one.
 */
int
main(int argc, char *argv[])
{
	const char *tz = NULL, *outdir = NULL, *from = NULL, *to = NULL;
	const char *since_s = NULL, *until_s = NULL, *month = NULL;
	char *conf_path = NULL, *users_path = NULL;
	int64_t window = 30000, lateness = 60000;
	int64_t act_window = ACT_WINDOW_DEFAULT;
	struct act_set *acts;
	int64_t since = INT64_MIN, until = INT64_MAX;
	int c, which = -1, lb = 0, exitst = 0, stats = 0, status = 0;
	long long top = 0;
	struct rec_reader *r;
	struct cp_window *cw;
	int ct, cu, cf, co, ck, rc;
	unsigned long rows = 0;
	unsigned long long left;
	struct fr_user *last_u = NULL;
	unsigned want, mask;
	const struct fr_file *last_f = NULL;

	signal(SIGPIPE, SIG_DFL);
	while ((c = opt_next(argc, argv, opts)) != -1) {
		switch (c) {
		case 'a':
			keep_computers = 1;
			break;
		case 'C':
			conf_path = optarg;
			break;
		case 'c':
			window = opt_duration("copy-window", optarg);
			break;
		case 'D':
			users_path = optarg;
			break;
		case 'e':
			exitst = 1;
			break;
		case 'F':
			from = optarg;
			break;
		case 'H':
			ls_holidays(optarg);
			break;
		case 'h':
			opt_help(stdout, synopsis, "Rank users by file "
			    "access at night, on weekends, to confidential "
			    "files, and by deletes and copies.", opts);
			return fshut(stdout, "stdout") ? EXIT_ERROR :
			    EXIT_DONE;
		case 'L':
			lateness = opt_duration("lateness", optarg);
			break;
		case 'M':
			month = optarg;
			break;
		case 'm':
			maxkeys = (size_t)opt_num("max-keys", optarg, 16,
			    100000000);
			break;
		case 'n':
			top = opt_num("top", optarg, 1, LLONG_MAX);
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'r':
			which = report_index(optarg);
			break;
		case 'S':
			since_s = optarg;
			break;
		case 's':
			stats = 1;
			break;
		case 'T':
			to = optarg;
			break;
		case 'U':
			until_s = optarg;
			break;
		case 'u':
			lb = 1;
			break;
		case 'w':
			act_window = opt_duration("act-window", optarg);
			break;
		case 'V':
			opt_version();
			return fshut(stdout, "stdout") ? EXIT_ERROR :
			    EXIT_DONE;
		case 'x':
			ls_exclude(optarg);
			break;
		case 'z':
			tz = optarg;
			break;
		default:
			opt_usage_error(synopsis);
		}
	}
	argc -= optind;
	argv += optind;

	if (which < 0 && outdir == NULL) {
		warnx("choose a report with -r NAME, or -o DIR for all");
		opt_usage_error(synopsis);
	}
	if (month != NULL && (since_s != NULL || until_s != NULL)) {
		warnx("--month cannot be combined with --since or --until");
		opt_usage_error(synopsis);
	}
	if (which == R_CONFIDENTIAL && conf_path == NULL)
		errx(EXIT_ERROR, "the confidential report needs "
		    "-C/--confidential FILE");
	if (tm_zone_set(tz) != 0)
		errx(EXIT_ERROR, "--tz: %s: unknown time zone",
		    tz ? tz : "$TZ");
	if (from != NULL)
		night_from = parse_hhmm("from", from, 0);
	if (to != NULL)
		night_to = parse_hhmm("to", to, 1);
	if (night_from == night_to % (24 * 60))
		errx(EXIT_ERROR, "--from and --to make an empty night");
	if (month != NULL)
		parse_month(month, &since, &until);
	if (since_s != NULL)
		since = parse_when("since", since_s);
	if (until_s != NULL)
		until = parse_when("until", until_s);
	if (conf_path != NULL)
		ls_confidential(conf_path);
	if (users_path != NULL)
		ls_users(users_path);
	maxkeybytes = maxkeys * KEYBYTES_PER_KEY;

	if ((r = rec_open(argv, argc)) == NULL)
		return EXIT_ERROR;
	ct = rec_need(r, "ts");
	cu = rec_need(r, "user");
	cf = rec_need(r, "file");
	co = rec_need(r, "op");
	ck = rec_col(r, "kind");
	users = map_new(sizeof(struct fr_user));
	files = map_new(sizeof(struct fr_file));
	names = map_new(sizeof(uint32_t));
	tally = rk_new(maxkeys);
	want = which >= 0 ? 1u << which : (1u << R_N) - 1;
	cw = cp_new(window, lateness, maxkeys, on_copy, NULL);
	acts = act_new(act_window, lateness, maxkeys);
	while ((rc = rec_next(r)) == 1) {
		const char *s, *user, *file;
		size_t n, ulen, flen;
		const struct fr_file *f;
		struct fr_file ftmp;
		struct fr_user *u;
		struct tm_parts lp;
		int64_t ts;
		int op;

		st.records++;
		s = rec_get(r, ck, &n);
		if (n > 0 && !(n == 4 && memcmp(s, "file", 4) == 0)) {
			st.notfile++;
			continue;
		}
		file = rec_get(r, cf, &flen);
		if (flen == 0 || flen > MAXFILELEN) {
			st.notfile++;
			continue;
		}
		user = rec_get(r, cu, &ulen);
		if (ulen == 0) {
			st.nouser++;
			continue;
		}
		s = rec_get(r, ct, &n);
		if (n == 0) {
			st.notime++;
			continue;
		}
		if (tm_parse(s, n, 0, &ts) != 0) {
			if (st.badtime++ < MAXWARN)
				warnx("%s:%lu: bad ts '%.*s'", rec_file(r),
				    rec_line(r), (int)(n > 64 ? 64 : n), s);
			status = EXIT_ERROR;
			continue;
		}
		if (ts < since || ts >= until) {
			st.period++;
			continue;
		}
		/* Audit sources log bursts (Windows: 4656, several 4663,
		 * 4658 for one opening), so the last user and file are
		 * likely the next ones: compare before hashing. */
		if (last_u != NULL && same_key(users, last_u, user, ulen))
			u = last_u;
		else if ((u = last_u = user_intern(user, ulen)) == NULL) {
			st.usercap++;
			continue;
		}
		if (u->left_out == LEFT_COMPUTER) {
			st.computer++;
			continue;
		}
		if (u->left_out == LEFT_LISTED) {
			st.listed++;
			continue;
		}
		s = rec_get(r, co, &n);
		if ((op = op_class(s, n)) == OP_NOTE) {
			st.notes++;
			continue;
		}
		if (last_f != NULL && same_key(files, last_f, file, flen))
			f = last_f;
		else {
			f = file_intern(file, flen, &ftmp);
			last_f = f == &ftmp ? NULL : f;
		}
		if (act_repeat(acts, u->id, f->id, s, n, ts))
			continue;
		st.used++;
		/* work only for the reports that will be written */
		mask = 0;
		if (want & LOCAL_REPORTS) {
			tm_local(ts, &lp);
			mask = (unsigned)is_night(&lp) << R_NIGHT |
			    (unsigned)is_weekend(&lp) << R_WEEKEND;
		}
		mask |= (unsigned)f->confidential << R_CONFIDENTIAL |
		    (unsigned)(op == OP_DELETE) << R_DELETERS;
		rk_add(tally, mask & want, u->id, f->id, ts);
		if ((want & 1u << R_COPIERS) &&
		    (op == OP_READ || op == OP_WRITE) && f->id != FR_NONE &&
		    f->base != FR_NONE && f->dir != FR_NONE)
			cp_event(cw, u->id, f, op == OP_READ ? CP_READ :
			    CP_WRITE, ts);
	}
	if (rc < 0 || rec_status(r) != 0)
		status = EXIT_ERROR;
	if (st.badtime > MAXWARN)
		warnx("%llu records with a bad ts in all", st.badtime);

	if (outdir != NULL) {
		if (mkdirs(outdir) != 0)
			status = EXIT_ERROR;
		else
			for (int i = 0; i < R_N; i++) {
				if (which >= 0 && i != which)
					continue;
				if (i == R_CONFIDENTIAL && conf_path == NULL) {
					warnx("no -C/--confidential patterns: "
					    "%s/confidential.csv not written",
					    outdir);
					continue;
				}
				if (write_file(i, outdir, ls_have_users(), top,
				    &rows) != 0)
					status = EXIT_ERROR;
			}
	} else {
		struct rec_writer *w = rec_wopen(lb);

		rows = rk_write(tally, which, w, ls_have_users(), top);
		if (rec_wclose(w) != 0)
			status = EXIT_ERROR;
	}

	left = st.computer + st.listed + st.usercap;
	if (left > 0 || st.period > 0)
		warnx("left out %llu events of accounts (%llu computer, %llu "
		    "listed, %llu over the user cap), %llu events outside the "
		    "period", left, st.computer, st.listed, st.usercap,
		    st.period);
	if (st.usercap > 0 || st.filecap > 0)
		warnx("more than %zu users or files: raise -m/--max-keys",
		    maxkeys);
	for (int i = 0; i < R_N; i++)
		if (rk_capped(tally, i))
			warnx("%s: more than %zu user-file pairs: files and "
			    "top_files are lower bounds", fr_report_names[i],
			    maxkeys);
	if (stats)
		print_stats((unsigned long)cp_dropped(cw), acts, want);

	rec_close(r);
	cp_free(cw);
	act_free(acts);
	rk_free(tally);
	rk_done();
	map_free(users);
	map_free(files);
	map_free(names);
	free(userv);
	free(filev);
	free(pgp.cp);
	ls_free();
	if (fshut(stderr, "stderr") != 0)
		status = EXIT_ERROR;
	if (status != 0)
		return status;
	return exitst && rows > 0 ? EXIT_FOUND : EXIT_DONE;
}
