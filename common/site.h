/*
 * site: the site inventory (kazami-assets.5): which networks are ours and
 * what each asset is.  Longest prefix wins.
 */
#ifndef KZ_SITE_H
#define KZ_SITE_H

#include "ip.h"

struct site_asset {
	struct ip_net	 net;
	char		*net_text;	/* as written in the file */
	char		*name;
	char		*zone;		/* "internal", "dmz", other; "" unknown */
	char		*role;		/* free text, may list several: "proxy dns" */
	char		*dept;
	char		*owner;
	int		 importance;	/* 1-5, 0 when not given */
};

struct site;

/*
 * site_load: read an inventory CSV (columns by header name; net required).
 * path NULL means $KAZAMI_ASSETS; when that is unset or empty too, an empty
 * inventory is returned (everything is then judged by ip_is_private).
 * On a bad file prints "tool: file:line: message" and returns NULL.
 */
struct site *site_load(const char *path);
void site_free(struct site *s);

/* site_empty: no inventory was given. */
int site_empty(const struct site *s);

/* site_lookup: the asset whose net holds a (longest prefix), or NULL. */
const struct site_asset *site_lookup(const struct site *s,
    const struct ip_addr *a);

/*
 * site_is_ours: a is inside: its asset's zone is "internal" or "dmz"; with
 * no matching asset (or an empty inventory) an RFC 1918 / RFC 4193 /
 * loopback / link-local address is inside.  An asset with another zone
 * (e.g. "external", "partner") is outside even in private space.
 */
int site_is_ours(const struct site *s, const struct ip_addr *a);

/* site_zone_is: a's asset has this zone ("dmz", ...). */
int site_zone_is(const struct site *s, const struct ip_addr *a,
    const char *zone);

/* site_has_role: a's asset lists role among its roles (space, comma,
 * '|' or ';' separated, case-insensitive). */
int site_has_role(const struct site *s, const struct ip_addr *a,
    const char *role);

/* site_asset_has_role: the same test on an asset already looked up. */
int site_asset_has_role(const struct site_asset *as, const char *role);

#endif
