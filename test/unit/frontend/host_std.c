/*
 * host_std.c (test/unit/frontend/)
 *		The host seam (rex_host.h) for the stand-in runner: malloc and
 *		free; the log is dropped.
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
