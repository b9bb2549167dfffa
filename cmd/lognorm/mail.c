/* Format table of the mail family (see lognorm.h for who owns what). */
#include <stddef.h>

#include "lognorm.h"

const struct ln_format mail_formats[] = {
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};
