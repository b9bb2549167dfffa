/*
 * site: the site inventory (kazami-assets.5), read with the record
 * reader, so it is a record stream like any other: columns by name,
 * quoting as RFC 4180, unknown columns ignored.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rec.h"
#include "site.h"
#include "util.h"

struct site {
	struct ip_set		*set;
	struct site_asset	**assets;
	size_t			 n;
};

static void
asset_free(struct site_asset *a)
{
	free(a->net_text);
	free(a->name);
	free(a->zone);
	free(a->role);
	free(a->dept);
	free(a->owner);
	free(a);
}

static char *
dup_col(struct rec_reader *r, int col)
{
	size_t n;
	const char *s = rec_get(r, col, &n);

	return xstrndup(s, n);
}

struct site *
site_load(const char *path)
{
	struct site *s = xcalloc(1, sizeof *s);
	struct rec_reader *r;
	char *paths[1];
	int cnet, cname, czone, crole, cdept, cowner, cimp, got, bad = 0;

	s->set = ip_set_new();
	if (path == NULL)
		path = getenv("KAZAMI_ASSETS");
	if (path == NULL || *path == '\0')
		return s;
	paths[0] = (char *)path;
	if ((r = rec_open(paths, 1)) == NULL) {
		site_free(s);
		return NULL;
	}
	if ((cnet = rec_col(r, "net")) < 0) {
		warnx("%s: missing column 'net'", path);
		rec_close(r);
		site_free(s);
		return NULL;
	}
	cname = rec_col(r, "name");
	czone = rec_col(r, "zone");
	crole = rec_col(r, "role");
	cdept = rec_col(r, "dept");
	cowner = rec_col(r, "owner");
	cimp = rec_col(r, "importance");
	while ((got = rec_next(r)) == 1) {
		struct site_asset *a;
		const char *net, *imp;
		size_t nn, ni;
		long long v = 0;

		net = rec_get(r, cnet, &nn);
		imp = rec_get(r, cimp, &ni);
		a = xcalloc(1, sizeof *a);
		if (ip_net_parse(net, nn, &a->net) != 0) {
			warnx("%s:%lu: bad net '%s' (want an address or "
			    "address/prefix with no host bits set)", path,
			    rec_line(r), net);
			free(a);
			bad = 1;
			continue;
		}
		if (ni > 0 && parse_num_span(imp, ni, 1, 5, &v) != 0) {
			warnx("%s:%lu: bad importance '%s' (want 1 to 5)",
			    path, rec_line(r), imp);
			free(a);
			bad = 1;
			continue;
		}
		a->importance = (int)v;
		a->net_text = dup_col(r, cnet);
		a->name = dup_col(r, cname);
		a->zone = dup_col(r, czone);
		a->role = dup_col(r, crole);
		a->dept = dup_col(r, cdept);
		a->owner = dup_col(r, cowner);
		s->assets = xreallocarray(s->assets, s->n + 1,
		    sizeof *s->assets);
		s->assets[s->n++] = a;
		/* A later line for the same net replaces the earlier. */
		struct site_asset *old = ip_set_add(s->set, &a->net, a);
		if (old != NULL)
			warnx("%s:%lu: net %s listed again; the later line "
			    "wins", path, rec_line(r), a->net_text);
	}
	if (got < 0 || rec_status(r) != 0)
		bad = 1;
	rec_close(r);
	if (bad) {
		site_free(s);
		return NULL;
	}
	return s;
}

void
site_free(struct site *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		asset_free(s->assets[i]);
	free(s->assets);
	ip_set_free(s->set);
	free(s);
}

int
site_empty(const struct site *s)
{
	return s->n == 0;
}

const struct site_asset *
site_lookup(const struct site *s, const struct ip_addr *a)
{
	return ip_set_lookup(s->set, a);
}

int
site_is_ours(const struct site *s, const struct ip_addr *a)
{
	const struct site_asset *as = site_lookup(s, a);

	if (as == NULL || as->zone[0] == '\0')
		return ip_is_private(a);
	return strcasecmp(as->zone, "internal") == 0 ||
	    strcasecmp(as->zone, "dmz") == 0;
}

int
site_zone_is(const struct site *s, const struct ip_addr *a,
    const char *zone)
{
	const struct site_asset *as = site_lookup(s, a);

	return as != NULL && strcasecmp(as->zone, zone) == 0;
}

int
site_asset_has_role(const struct site_asset *as, const char *role)
{
	size_t rl = strlen(role);
	const char *p;

	if (as == NULL || rl == 0)
		return 0;
	for (p = as->role; *p;) {
		size_t n = strcspn(p, " ,|;");

		if (n == rl && strncasecmp(p, role, rl) == 0)
			return 1;
		p += n;
		p += strspn(p, " ,|;");
	}
	return 0;
}

int
site_has_role(const struct site *s, const struct ip_addr *a,
    const char *role)
{
	return site_asset_has_role(site_lookup(s, a), role);
}
