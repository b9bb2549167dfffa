/*
 * ip: IPv4 and IPv6 addresses in one 16-byte form (IPv4 as ::ffff:a.b.c.d),
 * canonical text (dotted quad, RFC 5952), prefixes and prefix sets with
 * longest-prefix match.
 */
#ifndef KZ_IP_H
#define KZ_IP_H

#include <stddef.h>
#include <stdint.h>

#define IP_STRLEN 46	/* INET6_ADDRSTRLEN */

struct ip_addr {
	uint8_t	b[16];	/* network order; IPv4 is mapped into ::ffff:0:0/96 */
};

/* ip_is4: the address is an IPv4 address (mapped form). */
int ip_is4(const struct ip_addr *a);

/*
 * ip_parse: an IPv4 dotted quad or an IPv6 address (an IPv6 zone "%eth0" is
 * dropped; brackets are accepted) from a span.  Returns 0, or -1 if the
 * span is not an address.
 */
int ip_parse(const char *s, size_t n, struct ip_addr *a);

/* ip_format: canonical text into buf (IP_STRLEN bytes); returns length. */
size_t ip_format(const struct ip_addr *a, char *buf);

/*
 * ip_canon: rewrite an address span in canonical text into buf
 * (IP_STRLEN); returns the length, or 0 if the span is not an address.
 */
size_t ip_canon(const char *s, size_t n, char *buf);

/* ip_mask: keep the first plen bits (plen counted in the address family:
 * 0-32 for IPv4, 0-128 for IPv6), clear the rest. */
void ip_mask(struct ip_addr *a, int plen);

struct ip_net {
	struct ip_addr	addr;	/* already masked */
	int		plen;	/* in the family's own bits: v4 0-32, v6 0-128 */
};

/* ip_net_parse: "a.b.c.d", "a.b.c.d/n", "v6", "v6/n".  A bare address is a
 * host prefix.  Host bits set are an error.  Returns 0 or -1. */
int ip_net_parse(const char *s, size_t n, struct ip_net *net);

/* ip_net_contains: net holds a. */
int ip_net_contains(const struct ip_net *net, const struct ip_addr *a);

/* ip_is_private: RFC 1918, RFC 4193 (fc00::/7), loopback, link-local
 * (169.254/16, fe80::/10), the default notion of "internal". */
int ip_is_private(const struct ip_addr *a);

/*
 * A prefix set with longest-prefix match.  Values are opaque pointers the
 * caller owns.  Lookups are one hash probe per distinct prefix length.
 */
struct ip_set;
struct ip_set *ip_set_new(void);
void ip_set_free(struct ip_set *s);	/* does not free the values */
/* ip_set_add: returns the previous value for that exact prefix, or NULL. */
void *ip_set_add(struct ip_set *s, const struct ip_net *net, void *val);
/* ip_set_lookup: value of the longest prefix holding a, or NULL. */
void *ip_set_lookup(const struct ip_set *s, const struct ip_addr *a);
size_t ip_set_count(const struct ip_set *s);

#endif
