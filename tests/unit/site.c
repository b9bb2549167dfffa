/* Unit tests: common/site.c, the site inventory. */
#include <stdlib.h>
#include <unistd.h>

#include "site.h"
#include "tap.h"

static char path[64];

static const char *
write_file(const char *data)
{
	strcpy(path, "/tmp/kz-site-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, data, strlen(data)) != (ssize_t)strlen(data))
		abort();
	close(fd);
	return path;
}

static struct ip_addr
A(const char *s)
{
	struct ip_addr a;

	memset(&a, 0, sizeof a);
	ip_parse(s, strlen(s), &a);
	return a;
}

int
main(void)
{
	struct site *s;
	struct ip_addr a;
	const struct site_asset *as;

	s = site_load(write_file(
	    "name,net,zone,role,importance,extra\n"
	    "office,10.0.0.0/8,internal,,2,x\n"
	    "cfo-pc,10.1.0.10,Internal,,5,x\n"
	    "mx1,192.0.2.2,dmz,\"mailrelay, dns\",4,x\n"
	    "partner,10.200.0.0/16,partner,,,x\n"
	    "v6,2001:db8:10::/48,internal,cache|proxy,,x\n"));
	unlink(path);
	ok(s != NULL && !site_empty(s), "site: loads, columns by name");
	a = A("10.1.0.10");
	as = site_lookup(s, &a);
	ok(as && strcmp(as->name, "cfo-pc") == 0 && as->importance == 5,
	    "site: the host line wins over its network");
	a = A("10.1.0.11");
	as = site_lookup(s, &a);
	ok(as && strcmp(as->name, "office") == 0, "site: the network line");
	ok(site_is_ours(s, &a), "site: zone internal is ours");
	a = A("192.0.2.2");
	ok(site_is_ours(s, &a) && site_zone_is(s, &a, "DMZ"),
	    "site: dmz is ours, zone compared without case");
	ok(site_has_role(s, &a, "mailrelay") && site_has_role(s, &a, "DNS") &&
	    !site_has_role(s, &a, "mail"), "site: roles are whole words");
	a = A("10.200.1.1");
	ok(!site_is_ours(s, &a), "site: a private net of another zone is outside");
	a = A("172.16.0.1");
	ok(site_is_ours(s, &a), "site: private space not listed is inside");
	a = A("198.51.100.1");
	ok(!site_is_ours(s, &a), "site: public space not listed is outside");
	a = A("2001:db8:10::5");
	ok(site_has_role(s, &a, "proxy") && site_is_ours(s, &a), "site: IPv6 net");
	site_free(s);

	ok(site_load(write_file("net,name\n10.0.0.1/8,bad\n")) == NULL,
	    "site: host bits set is an error");
	unlink(path);
	ok(site_load(write_file("net,importance\n10.0.0.0/8,9\n")) == NULL,
	    "site: importance out of 1-5 is an error");
	unlink(path);
	ok(site_load(write_file("name,zone\nx,internal\n")) == NULL,
	    "site: no net column is an error");
	unlink(path);

	unsetenv("KAZAMI_ASSETS");
	s = site_load(NULL);
	ok(s != NULL && site_empty(s), "site: no inventory is an empty one");
	a = A("192.168.1.1");
	ok(site_is_ours(s, &a), "site: without inventory RFC 1918 is inside");
	site_free(s);
	setenv("KAZAMI_ASSETS", write_file("net,zone\n203.0.113.0/24,dmz\n"), 1);
	s = site_load(NULL);
	a = A("203.0.113.7");
	ok(s != NULL && site_is_ours(s, &a), "site: $KAZAMI_ASSETS is read");
	site_free(s);
	unlink(path);
	return tap_done();
}
