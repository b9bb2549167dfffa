/* Format table of the auth family (see lognorm.h for who owns what). */
#include <stddef.h>

#include "lognorm.h"

const struct ln_format auth_formats[] = {
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};
