/*
 * host_fuzz.c
 *		The host seam (rex_host.h) for the fuzz targets: malloc and free,
 *		so that AddressSanitizer sees every allocation; the log is dropped.
 */
#include "rex_host.h"

#include <stdlib.h>

void *
rex_host_alloc(size_t size)
{
	return malloc(size ? size : 1);
}

void
rex_host_free(void *ptr)
{
	free(ptr);
}

void
rex_host_log(int level, const char *message)
{
	(void) level;
	(void) message;
}
