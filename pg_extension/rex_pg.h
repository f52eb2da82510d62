/*
 * rex_pg.h
 *		Shared declarations of the PostgreSQL glue.
 *
 * struct rex_engine is the engine handle of one SQL function call: the
 * memory context the core allocates in, and the stack of internal
 * subtransactions opened by rex_engine_savepoint().
 */
#ifndef REX_PG_H
#define REX_PG_H

#include "postgres.h"

#include "utils/resowner.h"

#include "rex.h"

#define REX_PG_MAX_SAVEPOINTS 16

struct rex_engine
{
	MemoryContext call_cxt;		/* where the core's memory lives */
	int			depth;			/* open rex subtransactions */
	ResourceOwner owners[REX_PG_MAX_SAVEPOINTS + 1];	/* owner before each */
	bool		aborted[REX_PG_MAX_SAVEPOINTS + 1];	/* rolled back by an error */
	const char *caller_path;	/* the caller's search_path, for user SQL, or NULL */
	bool		latest_snapshot;	/* queries see what committed before they ran,
									 * in any isolation level (changes_since) */
};

/* Settings (GUCs), read by the glue for each call. */
extern char *rex_pg_table_schema;
extern int	rex_pg_log_level;		/* rex.log_level: 0 off, 1 info, 2 debug */

/* Sets up jansson to allocate with palloc (host_pg.c). */
extern void rex_pg_init_json(void);

/* Settings and callbacks of the change feed (changes_pg.c, notify_pg.c). */
extern void rex_pg_changes_init(void);

#endif							/* REX_PG_H */
