/* Format table of the ids family (see lognorm.h for who owns what). */
#include <stddef.h>

#include "lognorm.h"

const struct ln_format ids_formats[] = {
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};
