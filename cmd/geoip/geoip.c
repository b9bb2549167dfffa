/* geoip: country and AS columns for the src and dst of every record. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "map.h"
#include "opt.h"
#include "rec.h"
#include "util.h"

#define SYNOPSIS "[-huV] [-d DB]... [FILE...]"

/*
 * Output cells are cached per address text: logs repeat the same few
 * thousand addresses, and a parse, a tree walk and the escaping of the
 * answer cost far more than one hash probe.  The cache (and the arena of
 * its cells) is emptied when it reaches this many entries, so a flood of
 * distinct addresses costs time, never unbounded memory.
 */
#define CACHE_MAX 262144

/* Where distributions and geoipupdate put the files, searched in order. */
static const char *const default_dirs[] = {
	"/usr/share/GeoIP", "/var/lib/GeoIP", NULL
};

static const struct optdef opts[] = {
	{ "db", 'd', required_argument, "DB",
	  "MaxMind DB file (Country, City or ASN; repeatable)" },
	OPT_HELP,
	OPT_LINEBUF,
	OPT_VERSION,
	{ NULL, 0, 0, NULL, NULL }
};

enum db_kind { DB_COUNTRY, DB_ASN };

struct db {
	MMDB_s		 mmdb;
	const char	*path;
	char		*owned;		/* path, when we allocated it */
	enum db_kind	 kind;
};

/* One address's answer; the strings point into the mapped databases,
 * which stay open until exit. */
struct answer {
	const char	*cc;
	const char	*org;
	uint32_t	 cclen, orglen;
	uint32_t	 asn;
	int		 has_asn;
};

static struct db *dbs;
static size_t ndbs;
static int have_country, have_asn;

/* A cached cell: escaped text at arena[off..off+len). */
struct cell {
	uint32_t	 off, len;
};

/* The cached output of one address; none: no cells at all. */
struct cached {
	int		 none;
	struct cell	 cc, asn, org;
};

static char *arena;
static size_t arena_len, arena_cap;
static int lookup_failed;
static char **envv;		/* $KAZAMI_GEOIP split; dbs point into it */

/*
 * db_kind_of: the kind of database from its metadata type, as written by
 * MaxMind ("GeoLite2-Country", "GeoIP2-City", "GeoLite2-ASN") and DB-IP
 * ("DBIP-Country-Lite", "DBIP-City-Lite", "DBIP-ASN-Lite").  Returns -1
 * for a type we cannot use (Anonymous-IP, Connection-Type, ...).
 */
static int
db_kind_of(const char *type)
{
	if (type == NULL)
		return -1;
	if (strcasestr(type, "ASN") != NULL || strcasestr(type, "ISP") != NULL)
		return DB_ASN;
	if (strcasestr(type, "Country") != NULL ||
	    strcasestr(type, "City") != NULL ||
	    strcasestr(type, "Enterprise") != NULL)
		return DB_COUNTRY;
	return -1;
}

/*
 * db_add: open path and append it.  A file that cannot be opened or read
 * is always an error (exit 2); one of an unusable type is an error when
 * the user named it (strict), and skipped when found by the search.
 */
static void
db_add(const char *path, char *owned, int strict)
{
	struct db *d;
	int status, kind;

	dbs = xreallocarray(dbs, ndbs + 1, sizeof *dbs);
	d = &dbs[ndbs];
	memset(d, 0, sizeof *d);
	errno = 0;
	status = MMDB_open(path, MMDB_MODE_MMAP, &d->mmdb);
	if (status != MMDB_SUCCESS) {
		if (status == MMDB_IO_ERROR || status == MMDB_FILE_OPEN_ERROR)
			errx(EXIT_ERROR, "%s: %s%s%s", path,
			    MMDB_strerror(status), errno ? ": " : "",
			    errno ? strerror(errno) : "");
		errx(EXIT_ERROR, "%s: not a usable MaxMind DB: %s", path,
		    MMDB_strerror(status));
	}
	kind = db_kind_of(d->mmdb.metadata.database_type);
	if (kind < 0) {
		if (strict)
			errx(EXIT_ERROR, "%s: unsupported database type '%s' "
			    "(need a Country, City or ASN database)", path,
			    d->mmdb.metadata.database_type ?
			    d->mmdb.metadata.database_type : "");
		MMDB_close(&d->mmdb);
		free(owned);
		return;
	}
	d->path = path;
	d->owned = owned;
	d->kind = kind;
	if (kind == DB_ASN)
		have_asn = 1;
	else
		have_country = 1;
	ndbs++;
}

static int
is_mmdb_name(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 5 && strcmp(de->d_name + n - 5, ".mmdb") == 0;
}

/* db_search: every *.mmdb in the default directories, in name order. */
static void
db_search(void)
{
	const char *const *dir;

	for (dir = default_dirs; *dir != NULL; dir++) {
		struct dirent **names;
		int i, n;

		n = scandir(*dir, &names, is_mmdb_name, alphasort);
		if (n < 0)
			continue;
		for (i = 0; i < n; i++) {
			char *path;

			if (asprintf(&path, "%s/%s", *dir, names[i]->d_name)
			    < 0)
				errx(EXIT_ERROR, "out of memory");
			db_add(path, path, 0);
			free(names[i]);
		}
		free(names);
	}
}

/* to_sockaddr: a plain IPv4 socket address for IPv4, so that IPv4-only
 * databases answer too. */
static const struct sockaddr *
to_sockaddr(const struct ip_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (ip_is4(a)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a->b + 12, 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a->b, 16);
	}
	return (const struct sockaddr *)ss;
}

static void
lookup_error(const struct db *d, int status)
{
	if (!lookup_failed)
		warnx("%s: lookup failed: %s", d->path, MMDB_strerror(status));
	lookup_failed = 1;
}

/* string_at: a UTF-8 string at path under entry, or 0. */
static int
string_at(const struct db *d, MMDB_entry_s *entry, const char **s,
    uint32_t *len, const char *k1, const char *k2)
{
	MMDB_entry_data_s ed;
	int status;

	status = MMDB_get_value(entry, &ed, k1, k2, NULL);
	if (status != MMDB_SUCCESS) {
		if (status != MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR)
			lookup_error(d, status);
		return 0;
	}
	if (!ed.has_data || ed.type != MMDB_DATA_TYPE_UTF8_STRING ||
	    ed.data_size == 0)
		return 0;
	*s = ed.utf8_string;
	*len = ed.data_size;
	return 1;
}

/*
 * resolve: ask each database in turn; for each column the first database
 * with an answer wins, so a v4-only file can be backed by another.  The
 * country is where the address is used (country), else where the network
 * is registered (registered_country: anycast and satellite ranges).
 */
static void
resolve(const struct ip_addr *a, struct answer *ans)
{
	struct sockaddr_storage ss;
	const struct sockaddr *sa = to_sockaddr(a, &ss);
	size_t i;

	memset(ans, 0, sizeof *ans);
	for (i = 0; i < ndbs; i++) {
		struct db *d = &dbs[i];
		MMDB_lookup_result_s res;
		int status;

		if (d->kind == DB_COUNTRY ? ans->cc != NULL : ans->has_asn)
			continue;
		res = MMDB_lookup_sockaddr(&d->mmdb, sa, &status);
		if (status == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR)
			continue;
		if (status != MMDB_SUCCESS) {
			lookup_error(d, status);
			continue;
		}
		if (!res.found_entry)
			continue;
		if (d->kind == DB_COUNTRY) {
			if (!string_at(d, &res.entry, &ans->cc, &ans->cclen,
			    "country", "iso_code"))
				(void)string_at(d, &res.entry, &ans->cc,
				    &ans->cclen, "registered_country",
				    "iso_code");
		} else {
			MMDB_entry_data_s ed;

			status = MMDB_get_value(&res.entry, &ed,
			    "autonomous_system_number", NULL);
			if (status == MMDB_SUCCESS && ed.has_data &&
			    ed.type == MMDB_DATA_TYPE_UINT32) {
				ans->asn = ed.uint32;
				ans->has_asn = 1;
			} else if (status != MMDB_SUCCESS && status !=
			    MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR)
				lookup_error(d, status);
			if (ans->has_asn)
				(void)string_at(d, &res.entry, &ans->org,
				    &ans->orglen,
				    "autonomous_system_organization", NULL);
		}
	}
}

static struct cell
arena_add(const char *s, size_t n)
{
	struct cell c;

	c.off = (uint32_t)arena_len;
	rec_escape(&arena, &arena_len, &arena_cap, s, n);
	c.len = (uint32_t)(arena_len - c.off);
	return c;
}

/* lookup: the cached cells for the address text s[0..n), or NULL for an
 * empty, unparsable or private address. */
static const struct cached *
lookup(struct map *cache, const char *s, size_t n)
{
	struct ip_addr a;
	struct answer ans;
	struct cached *c;
	int isnew;

	if (n == 0)
		return NULL;
	if ((c = map_get(cache, s, n)) != NULL)
		return c->none ? NULL : c;
	c = map_put(cache, s, n, &isnew);
	if (ip_parse(s, n, &a) != 0 || ip_is_private(&a)) {
		c->none = 1;
		return NULL;
	}
	resolve(&a, &ans);
	if (ans.cc != NULL)
		c->cc = arena_add(ans.cc, ans.cclen);
	if (ans.has_asn) {
		char num[16];
		int k = snprintf(num, sizeof num, "%u", (unsigned)ans.asn);

		c->asn = arena_add(num, (size_t)k);
		if (ans.org != NULL)
			c->org = arena_add(ans.org, ans.orglen);
	}
	return c;
}

/* Output slots of the added columns; -1 when that kind is not loaded. */
enum { S_SRC_CC, S_DST_CC, S_SRC_ASN, S_SRC_ASORG, S_DST_ASN, S_DST_ASORG,
	S_N };

static void
put_cell(struct rec_writer *w, int slot, struct cell c)
{
	if (slot >= 0)
		rec_set(w, slot, arena + c.off, c.len);
}

static void
put_answer(struct rec_writer *w, const int *slot, int cc, int asn, int org,
    const struct cached *c)
{
	if (c == NULL)
		return;
	put_cell(w, slot[cc], c->cc);
	put_cell(w, slot[asn], c->asn);
	put_cell(w, slot[org], c->org);
}

/*
 * geoip adds the country (src_cc, dst_cc) and, given an ASN database, the
 * autonomous system (src_asn, src_asorg, dst_asn, dst_asorg) of each
 * record's addresses, so that detectors and reports can ask "8080/tcp to
 * which countries?" without every tool opening the databases itself.
 */
int
main(int argc, char *argv[])
{
	const char *names[S_N];
	int slot[S_N], nnames = 0, i, c, rc, status = EXIT_DONE;
	int line_buffered = 0, isrc, idst, replacing = 0;
	char **dbargs;
	size_t ndbargs = 0;
	struct rec_reader *r;
	struct rec_writer *w;
	struct map *cache;
	const char *env;

	dbargs = xcalloc(argc, sizeof *dbargs);
	while ((c = opt_next(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd':
			dbargs[ndbargs++] = optarg;
			break;
		case 'h':
			opt_help(stdout, SYNOPSIS, "Add country and AS columns "
			    "for src and dst.", opts);
			free(dbargs);
			return fshut(stdout, "stdout") ? EXIT_ERROR : EXIT_DONE;
		case 'u':
			line_buffered = 1;
			break;
		case 'V':
			opt_version();
			free(dbargs);
			return fshut(stdout, "stdout") ? EXIT_ERROR : EXIT_DONE;
		default:
			opt_usage_error(SYNOPSIS);
		}
	}
	argc -= optind;
	argv += optind;

	if (ndbargs > 0) {
		for (size_t k = 0; k < ndbargs; k++)
			db_add(dbargs[k], NULL, 1);
	} else if ((env = getenv("KAZAMI_GEOIP")) != NULL && *env != '\0') {
		/* A colon-separated list, like PATH. */
		envv = strv_split(env, ':', NULL);
		for (char **p = envv; *p != NULL; p++)
			if (**p != '\0')
				db_add(*p, NULL, 1);
	} else
		db_search();
	free(dbargs);
	if (ndbs == 0)
		errx(EXIT_ERROR, "no GeoIP database: give -d DB or set "
		    "KAZAMI_GEOIP (none found in /usr/share/GeoIP or "
		    "/var/lib/GeoIP)");

	if ((r = rec_open(argv, argc)) == NULL) {
		status = EXIT_ERROR;
		goto out;
	}
	isrc = rec_need(r, "src");
	idst = rec_need(r, "dst");

	for (i = 0; i < S_N; i++)
		slot[i] = -1;
	if (have_country) {
		names[nnames++] = "src_cc";
		names[nnames++] = "dst_cc";
	}
	if (have_asn) {
		names[nnames++] = "src_asn";
		names[nnames++] = "src_asorg";
		names[nnames++] = "dst_asn";
		names[nnames++] = "dst_asorg";
	}
	{
		int got[S_N], k = 0;

		w = rec_wopen(line_buffered);
		rec_header_like(w, r, names, nnames, got);
		if (have_country) {
			slot[S_SRC_CC] = got[k++];
			slot[S_DST_CC] = got[k++];
		}
		if (have_asn) {
			slot[S_SRC_ASN] = got[k++];
			slot[S_SRC_ASORG] = got[k++];
			slot[S_DST_ASN] = got[k++];
			slot[S_DST_ASORG] = got[k++];
		}
	}

	for (i = 0; i < S_N; i++)
		replacing |= slot[i] >= 0 && slot[i] < rec_ncols(r);
	cache = map_new(sizeof(struct cached));
	while ((rc = rec_next(r)) == 1) {
		const struct cached *src, *dst;
		const char *s;
		size_t n;

		/* Emptied between records only: the cells of both
		 * addresses must stay until rec_emit. */
		if (map_count(cache) >= CACHE_MAX) {
			map_clear(cache);
			arena_len = 0;
		}
		s = rec_get(r, isrc, &n);
		src = lookup(cache, s, n);
		s = rec_get(r, idst, &n);
		dst = lookup(cache, s, n);
		rec_set_from(w, r);
		/* A column of the same name from an earlier run is
		 * replaced, not left stale. */
		if (replacing)
			for (i = 0; i < S_N; i++)
				rec_set(w, slot[i], "", 0);
		put_answer(w, slot, S_SRC_CC, S_SRC_ASN, S_SRC_ASORG, src);
		put_answer(w, slot, S_DST_CC, S_DST_ASN, S_DST_ASORG, dst);
		rec_emit(w);
	}
	if (rc < 0 || rec_status(r) != 0 || lookup_failed)
		status = EXIT_ERROR;
	if (rec_wclose(w) != 0)
		status = EXIT_ERROR;
	rec_close(r);
	map_free(cache);
	free(arena);
out:
	for (size_t k = 0; k < ndbs; k++) {
		MMDB_close(&dbs[k].mmdb);
		free(dbs[k].owned);
	}
	free(dbs);
	if (envv != NULL)
		strv_free(envv);
	return status;
}
