/* Format table of the file family (see lognorm.h for who owns what). */
#include <stddef.h>

#include "lognorm.h"

const struct ln_format file_formats[] = {
	{ NULL, NULL, -1, 0, NULL, NULL, NULL },
};
