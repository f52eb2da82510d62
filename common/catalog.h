/*
 * catalog.h
 *		rex's catalog: entities (desired and applied definitions),
 *		migration history and log, read and written through the engine.
 *
 * The same tables exist on both engines (rex.entities, rex.migrations,
 * rex.log on PostgreSQL; rex_entities, rex_migrations, rex_log on
 * SQLite) with the same columns; see sql/rex_orm--0.1.0.sql and
 * sqlite_extension/catalog_sqlite.c.
 */
#ifndef REX_CATALOG_H
#define REX_CATALOG_H

#include "model.h"

/* One row of the entities table. */
typedef struct rex_entity_row
{
	const char *name;
	const char *table;
	const char *schema;			/* PostgreSQL schema of the table, or NULL */
	json_t	   *definition;		/* desired state, canonical */
	json_t	   *applied;		/* state as last migrated, or NULL */
	bool		dropped;		/* drop requested, applied at next migrate */
	int			version;		/* bumped by each definition that changes it */
	const char *created_at;
	const char *updated_at;
	const char *migrated_at;
	bool		reverse_renames;	/* planning a rollback: "renamed_from" of
									 * 'applied' names the columns to rename back */
} rex_entity_row;

/* A finished migration, as written to the history. */
typedef struct rex_history_row
{
	const char *version;
	const char *name;
	const char *kind;
	const char *plan;			/* JSON text */
	const char *sql_up;
	const char *sql_down;
	bool		reversible;
	const char *checksum;
	const char *chain_hash;		/* NULL for failed migrations */
	const char *state;			/* applied | failed | rolled_back */
	const char *error;
	int			error_step;		/* 0 when none */
	int			total_steps;
	int			applied_steps;
	double		duration_ms;
	const char *started_at;		/* rex timestamp text */
	const char *ops;			/* JSON text of the engine-neutral ops, or NULL */
} rex_history_row;

/* One line of the migration log. */
typedef struct rex_log_row
{
	int			step;
	const char *kind;
	const char *sql;
	double		duration_ms;
	const char *message;
} rex_log_row;

/*
 * Makes sure the catalog is there.  For read-only calls (create=false) a
 * missing SQLite catalog gives *exists = false; the caller then answers
 * as for an empty catalog.
 */
extern rex_status rex_catalog_open(rex_ctx *ctx, bool create, bool *exists);

/* All entity rows, ordered by name. */
extern rex_status rex_catalog_entities(rex_ctx *ctx, rex_entity_row **rows, int *n);
/* One row, or *row = NULL when there is none. */
extern rex_status rex_catalog_entity(rex_ctx *ctx, const char *name, rex_entity_row **row);

extern rex_status rex_catalog_insert_entity(rex_ctx *ctx, const rex_entity_row *row);
extern rex_status rex_catalog_update_definition(rex_ctx *ctx, const char *name,
												const char *table, json_t *definition,
												bool dropped, int version);
extern rex_status rex_catalog_set_dropped(rex_ctx *ctx, const char *name, bool dropped);
extern rex_status rex_catalog_delete_entity(rex_ctx *ctx, const char *name);
/* Records that the entity's desired definition is now live. */
extern rex_status rex_catalog_mark_applied(rex_ctx *ctx, const char *name);

/* The chain hash of the latest chained row, applied or rolled back ("" when none). */
extern rex_status rex_catalog_last_chain(rex_ctx *ctx, const char **chain);
/* Counts rows of the history with the given kind and state. */
extern rex_status rex_catalog_count_history(rex_ctx *ctx, const char *kind,
											const char *state, int64_t *count);
/* Appends a history row; *id receives its id. */
extern rex_status rex_catalog_insert_history(rex_ctx *ctx, const rex_history_row *h,
											 int64_t *id);
extern rex_status rex_catalog_insert_log(rex_ctx *ctx, int64_t migration_id,
										 const rex_log_row *log);
/* The latest history row as JSON, or JSON null. */
extern rex_status rex_catalog_last_history(rex_ctx *ctx, json_t **out);

#endif							/* REX_CATALOG_H */
