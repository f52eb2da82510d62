/*
 * rex_sqlite.h
 *		Shared declarations of the SQLite glue.
 *
 * One rex_sqlite_conn hangs off every function rex registers on a
 * connection (the user-data pointer), reference-counted so that it is
 * freed when the last of them goes.  struct rex_engine is what the core
 * receives as its engine handle for one call.
 */
#ifndef REX_SQLITE_H
#define REX_SQLITE_H

#include "sqlite3ext.h"

#include "rex.h"

typedef struct rex_sqlite_conn
{
	sqlite3    *db;
	int			refcount;		/* registered functions holding it */
	int			log_level;		/* rex_config('log_level'): 0 off, 1 info, 2 debug */
} rex_sqlite_conn;

struct rex_engine
{
	sqlite3    *db;
	rex_sqlite_conn *conn;
	int			savepoint_depth;
};

/* The module's entry point, found by ".load ./rex_orm". */
extern int	sqlite3_rexorm_init(sqlite3 *db, char **pzErrMsg,
								const sqlite3_api_routines *pApi);

/* Creates rex's catalog tables in the main database (catalog_sqlite.c). */
extern int rex_sqlite_create_catalog(sqlite3 *db, char **errmsg);
/* Reads the catalog version; 0 when there is no catalog. */
extern int rex_sqlite_catalog_version(sqlite3 *db, int *version);

/* Registers the change-feed functions (changes_sqlite.c). */
extern int rex_sqlite_changes_init(sqlite3 *db, char **pzErrMsg);

#endif							/* REX_SQLITE_H */
