/* Format table of the mail family (see lognorm.h for who owns what). */
#include <stddef.h>

#include "app.h"

const struct ln_format mail_formats[] = {
	{ "postfix", "Postfix via syslog: smtpd, smtp, qmgr, cleanup, postscreen",
	    -1, 1, postfix_parse, NULL, NULL },
	{ "sendmail", "Sendmail via syslog: from=, to=, relay=, rejects",
	    -1, 1, sendmail_parse, NULL, NULL },
	/* syslog 1 serves both: the main log file (own stamp, no
	 * envelope) and the same lines sent through syslog */
	{ "exim", "Exim main log, own file or via syslog",
	    -1, 1, exim_parse, NULL, NULL },
	{ "dovecot", "Dovecot IMAP/POP3 logins and authentication failures",
	    -1, 1, dovecot_parse, NULL, NULL },
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};
