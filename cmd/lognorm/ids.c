/* Format table of the ids family (see lognorm.h for who owns what). */
#include <stddef.h>

#include "ids.h"

const struct ln_format ids_formats[] = {
	{ "fastlog", "Snort/Suricata fast.log alerts", -1, 0,
	    ids_fastlog_parse, NULL, NULL },
	{ "snort-syslog", "Snort/Suricata alerts sent to syslog", -1, 1,
	    ids_fastsys_parse, NULL, NULL },
	{ "eve",
	    "Suricata EVE JSON (alert, flow, dns, http, tls, fileinfo, ...)", -1, 1, ids_eve_parse, NULL, NULL },
	{ "zeek", "Zeek logs in TSV with #fields header (any path)",
	    SLOT_ZEEK, 0, ids_zeek_parse, NULL, ids_zeek_fini },
	{ "zeek-json", "Zeek logs in JSON, one object per line (any path)",
	    -1, 0, ids_zeekjson_parse, NULL, NULL },
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};
