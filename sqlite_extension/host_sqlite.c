/*
 * host_sqlite.c
 *		The host seam on SQLite: sqlite3_malloc64 and sqlite3_log.
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "rex_host.h"

void *
rex_host_alloc(size_t size)
{
	return sqlite3_malloc64(size ? size : 1);
}

void
rex_host_free(void *ptr)
{
	sqlite3_free(ptr);
}

void
rex_host_log(int level, const char *message)
{
	(void) level;
	sqlite3_log(SQLITE_NOTICE, "rex: %s", message);
}
