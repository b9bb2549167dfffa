/* Format table of the auth family (see lognorm.h for who owns what). */
#include <stddef.h>

#include "app.h"

const struct ln_format auth_formats[] = {
	{ "sshd", "OpenSSH sshd via syslog: logins, failures, disconnects",
	    -1, 1, sshd_parse, NULL, NULL },
	{ "dropbear", "Dropbear SSH server via syslog",
	    -1, 1, dropbear_parse, NULL, NULL },
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};
