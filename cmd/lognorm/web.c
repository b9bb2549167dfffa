/* Format table of the web family (see lognorm.h for who owns what). */
#include <stddef.h>

#include "app.h"

const struct ln_format web_formats[] = {
	{ "squid", "Squid native access.log (and its extended variant)",
	    -1, 0, squid_parse, NULL, NULL },
	{ "clf", "Apache/nginx access log: common, combined, vhost variants",
	    -1, 0, clf_parse, NULL, NULL },
	{ "clf-syslog", "Apache/nginx access log lines sent through syslog",
	    -1, 1, clfsys_parse, NULL, NULL },
	{ "npm", "nginx lines that start with [time] (Nginx Proxy Manager)",
	    -1, 0, npm_parse, NULL, NULL },
	{ "w3c", "W3C extended log (IIS), columns from #Fields:",
	    SLOT_W3C, 0, w3c_parse, NULL, w3c_fini },
	{ "proxifier", "Proxifier client proxy log",
	    -1, 0, proxifier_parse, NULL, NULL },
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};
