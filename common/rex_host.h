/*
 * rex_host.h
 *		The host seam: how the core gets raw memory and writes to the log.
 *
 * Each build links exactly one implementation:
 *	 pg_extension/host_pg.c			palloc in CurrentMemoryContext, elog
 *	 sqlite_extension/host_sqlite.c	sqlite3_malloc64, sqlite3_log
 *	 test/unit/host_std.c			malloc, stderr
 *
 * The core calls these only through ctx.c (the arena) and rex_buf.c; no
 * other file allocates raw memory.  rex_host_alloc() returns NULL when out
 * of memory and never throws.  On PostgreSQL the memory belongs to the
 * memory context that is current during the call, so an error that jumps
 * over core frames leaks nothing.
 */
#ifndef REX_HOST_H
#define REX_HOST_H

#include <stddef.h>

extern void *rex_host_alloc(size_t size);
extern void rex_host_free(void *ptr);

/* Log levels for rex_host_log; matching the rex.log_level setting. */
#define REX_LOG_DEBUG	1
#define REX_LOG_INFO	2

/* Sends one line to the server log (PostgreSQL) or sqlite3_log (SQLite). */
extern void rex_host_log(int level, const char *message);

#endif							/* REX_HOST_H */
