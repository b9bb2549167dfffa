/* Format table of the dns family (see lognorm.h for who owns what). */
#include <stddef.h>

#include "app.h"

const struct ln_format dns_formats[] = {
	/* syslog 1 serves both: enveloped lines give the message, a query
	 * log file of its own (print-time stamp, no envelope) the line */
	{ "bind", "BIND client lines (queries, denials): syslog or query log",
	    -1, 1, bind_parse, NULL, NULL },
	{ "dnsmasq", "dnsmasq / Pi-hole FTL query log via syslog",
	    -1, 1, dnsmasq_parse, NULL, NULL },
	{ "unbound", "Unbound log-queries and log-replies via syslog",
	    -1, 1, unbound_parse, NULL, NULL },
	/* syslog 1 serves both: its own log file ("[stamp] nsd[pid]: ...")
	 * and syslog */
	{ "nsd", "NSD refused transfers and rate-limit blocks",
	    -1, 1, nsd_parse, NULL, NULL },
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};
