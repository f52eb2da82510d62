/*
 * host_std.c
 *		The host seam (rex_host.h) for unit tests: malloc, free and stderr.
 *
 * rex_host_log() writes "rex: <level>: <message>" to stderr only when the
 * environment variable REX_UNIT_LOG is set (to anything), so that a test
 * run stays quiet unless someone asks to see what the core logs.
 */
#include "rex_host.h"

#include <stdio.h>
#include <stdlib.h>

void *
rex_host_alloc(size_t size)
{
	/* malloc(0) may return NULL, which the core would take for OOM */
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
	if (getenv("REX_UNIT_LOG") == NULL)
		return;
	fprintf(stderr, "rex: %s: %s\n", level == REX_LOG_DEBUG ? "debug" : "info",
			message);
}
