/* Unit tests: common/ip.c. */
#include "ip.h"
#include "tap.h"

static const char *
canon(const char *s)
{
	static char buf[IP_STRLEN];

	if (ip_canon(s, strlen(s), buf) == 0)
		return "(bad)";
	return buf;
}

static struct ip_addr
A(const char *s)
{
	struct ip_addr a;

	memset(&a, 0, sizeof a);
	ip_parse(s, strlen(s), &a);
	return a;
}

static struct ip_net
N(const char *s)
{
	struct ip_net n;

	memset(&n, 0, sizeof n);
	ip_net_parse(s, strlen(s), &n);
	return n;
}

int
main(void)
{
	struct ip_addr a;
	struct ip_net n;

	is_str(canon("192.0.2.1"), "192.0.2.1", "ip: v4 as is");
	is_str(canon("2001:DB8:0:0:0:0:0:1"), "2001:db8::1",
	    "ip: v6 lower case and compressed (RFC 5952)");
	is_str(canon("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1",
	    "ip: a single zero field is not compressed");
	is_str(canon("[2001:db8::1]"), "2001:db8::1", "ip: brackets dropped");
	is_str(canon("fe80::1%eth0"), "fe80::1", "ip: zone index dropped");
	is_str(canon("192.0.2.01"), "(bad)", "ip: leading zero refused");
	is_str(canon("192.0.2.256"), "(bad)", "ip: octet over 255 refused");
	is_str(canon("192.0.2"), "(bad)", "ip: three octets refused");
	is_str(canon("192.0.2.1 "), "(bad)", "ip: trailing space refused");
	is_str(canon("example.com"), "(bad)", "ip: a name is no address");
	ok(ip_parse("", 0, &a) == -1, "ip: empty refused");

	ok(ip_net_parse("10.0.0.0/8", 10, &n) == 0 && n.plen == 8,
	    "ip: v4 prefix");
	ok(ip_net_parse("10.0.0.1/8", 10, &n) == -1, "ip: host bits refused");
	ok(ip_net_parse("10.0.0.0/33", 11, &n) == -1, "ip: /33 refused");
	ok(ip_net_parse("2001:db8::/32", 13, &n) == 0 && n.plen == 32,
	    "ip: v6 prefix");
	n = N("198.51.100.0/24");
	a = A("198.51.100.77");
	ok(ip_net_contains(&n, &a), "ip: /24 contains its host");
	a = A("198.51.101.77");
	ok(!ip_net_contains(&n, &a), "ip: /24 does not contain a neighbour");

	a = A("203.0.113.77");
	ip_mask(&a, 24);
	is_str(canon("203.0.113.0"), "203.0.113.0", "ip: masked /24");
	{
		char buf[IP_STRLEN];

		ip_format(&a, buf);
		is_str(buf, "203.0.113.0", "ip: ip_mask v4 /24");
		a = A("2001:db8:1234:5678::9");
		ip_mask(&a, 48);
		ip_format(&a, buf);
		is_str(buf, "2001:db8:1234::", "ip: ip_mask v6 /48");
	}

	a = A("10.1.2.3");
	ok(ip_is_private(&a), "ip: 10/8 private");
	a = A("172.31.255.255");
	ok(ip_is_private(&a), "ip: 172.16/12 private");
	a = A("172.32.0.1");
	ok(!ip_is_private(&a), "ip: 172.32 public");
	a = A("fd00::1");
	ok(ip_is_private(&a), "ip: fc00::/7 private");
	a = A("::1");
	ok(ip_is_private(&a), "ip: ::1 loopback");
	a = A("2001:db8::1");
	ok(!ip_is_private(&a), "ip: 2001:db8::1 not private");

	struct ip_set *s = ip_set_new();
	struct ip_net n8 = N("10.0.0.0/8"), n24 = N("10.1.2.0/24"),
	    n32 = N("10.1.2.3"), n6 = N("2001:db8::/32");
	ip_set_add(s, &n8, "eight");
	ip_set_add(s, &n24, "twentyfour");
	ip_set_add(s, &n32, "host");
	ip_set_add(s, &n6, "six");
	a = A("10.1.2.3");
	is_str(ip_set_lookup(s, &a), "host", "ip: set longest prefix /32");
	a = A("10.1.2.4");
	is_str(ip_set_lookup(s, &a), "twentyfour", "ip: set /24");
	a = A("10.200.0.1");
	is_str(ip_set_lookup(s, &a), "eight", "ip: set /8");
	a = A("11.0.0.1");
	ok(ip_set_lookup(s, &a) == NULL, "ip: set miss");
	a = A("2001:db8:ffff::1");
	is_str(ip_set_lookup(s, &a), "six", "ip: set v6");
	ok(ip_set_count(s) == 4, "ip: set count");
	ip_set_free(s);
	return tap_done();
}
