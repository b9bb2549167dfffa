/* Format table of the file family (see lognorm.h for who owns what). */
#include <stddef.h>

#include "file.h"

const struct ln_format file_formats[] = {
	{ "auditd", "Linux audit.log records, one record per event",
	    SLOT_AUDITD, 1, file_auditd_parse, file_auditd_flush, file_auditd_fini },
	{ "laurel", "Linux audit events as LAUREL JSON, one object per event",
	    -1, 1, file_laurel_parse, NULL, NULL },
	{ "samba-audit", "Samba vfs_full_audit lines (user|ip|...|op|ok|path)",
	    -1, 1, file_samba_parse, NULL, NULL },
	{ "samba-auth", "Samba authentication audit and smbd denials", -1, 1,
	    file_sambaauth_parse, NULL, NULL },
	{ "winjson", "Windows events as JSON (PowerShell, NXLog, Winlogbeat, "
	    "evtx_dump), one object per line or pretty-printed",
	    SLOT_WINJSON, 1, file_winjson_parse, file_winjson_flush,
	    file_winjson_fini },
	{ "winxml", "Windows events as XML (wevtutil), one or many lines each",
	    SLOT_WINXML, 0, file_winxml_parse, file_winxml_flush,
	    file_winxml_fini },
	{ "wincsv", "Windows events as CSV (Event Viewer, Export-Csv)",
	    SLOT_WINCSV, 0, file_wincsv_parse, file_wincsv_flush,
	    file_wincsv_fini },
	{ "snare", "Windows events in Snare's MSWinEventLog form", -1, 1,
	    file_snare_parse, NULL, NULL },
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};
