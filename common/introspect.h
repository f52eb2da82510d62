/*
 * introspect.h
 *		The live schema of one table, read from the database: what
 *		baseline() turns into an entity and what drift detection compares
 *		with the applied definitions.
 *
 * Each dialect reads its own catalog (rex_dialect.live_table and
 * live_tables): PostgreSQL pg_class, pg_attribute, pg_attrdef, pg_index
 * and pg_constraint (introspect_pg.c); SQLite pragma_table_xinfo,
 * pragma_index_list/xinfo, pragma_foreign_key_list and sqlite_schema
 * (introspect_sqlite.c).  Strings live in the context's arena.
 */
#ifndef REX_INTROSPECT_H
#define REX_INTROSPECT_H

#include "model.h"

typedef struct rex_live_column
{
	const char *name;
	const char *type;			/* PostgreSQL format_type(); SQLite declared type */
	bool		notnull;
	const char *default_sql;	/* the default expression as the engine prints it, or NULL */
	bool		identity;		/* PostgreSQL identity column */
	bool		generated;		/* a generated (computed) column */
	int			pk;				/* position in the primary key, 0 when not in it */
} rex_live_column;

typedef struct rex_live_index
{
	const char *name;
	const char **columns;
	int			ncolumns;
	bool		unique;
	bool		primary;		/* the primary key's index */
	bool		expression;		/* on expressions, or partial: not representable */
	bool		constraint;		/* backs a UNIQUE constraint (not a plain CREATE INDEX) */
} rex_live_index;

typedef struct rex_live_fk
{
	const char *name;			/* PostgreSQL constraint name; NULL on SQLite */
	const char **columns;
	int			ncolumns;
	const char *ref_schema;		/* PostgreSQL schema of ref_table; NULL on SQLite */
	const char *ref_table;
	const char **ref_columns;	/* NULL entries: the primary key (SQLite, unnamed) */
	const char *on_delete;		/* no_action, restrict, cascade, set_null, set_default */
	const char *on_update;		/* the same */
} rex_live_fk;

typedef struct rex_live_table
{
	const char *name;
	rex_live_column *columns;
	int			ncolumns;
	rex_live_index *indexes;
	int			nindexes;
	rex_live_fk *fks;
	int			nfks;
	int			nchecks;		/* CHECK constraints (PostgreSQL: not counting rex's enum CHECKs) */
	bool		autoincrement;	/* SQLite AUTOINCREMENT */
	const char *unsupported;	/* why rex cannot manage the table, or NULL */
} rex_live_table;

/*
 * Reads table 'name' of 'schema' (PostgreSQL; ignored on SQLite).
 * *exists = false when there is no such table.
 */
extern rex_status rex_live_read(rex_ctx *ctx, const char *schema, const char *name,
								rex_live_table *out, bool *exists);

/* The names of the user tables of 'schema' (rex's and the engine's own left out). */
extern rex_status rex_live_list(rex_ctx *ctx, const char *schema, const char ***names, int *n);

/* The dialects' readers (rex_dialect.live_table / live_tables). */
extern rex_status rex_live_read_pg(rex_ctx *ctx, const char *schema, const char *name,
								   rex_live_table *out, bool *exists);
extern rex_status rex_live_list_pg(rex_ctx *ctx, const char *schema, const char ***names, int *n);
extern rex_status rex_live_read_sqlite(rex_ctx *ctx, const char *schema, const char *name,
									   rex_live_table *out, bool *exists);
extern rex_status rex_live_list_sqlite(rex_ctx *ctx, const char *schema, const char ***names, int *n);

/*
 * Whether a live column's type is what the engine would have for rex
 * column c: PostgreSQL compares format_type() text, SQLite the type
 * affinity of the declared type (its storage class).  *expected gets the
 * engine's name for c's type.
 */
extern bool rex_live_type_matches(rex_ctx *ctx, const rex_column *c, const char *live_type,
								  const char **expected);
extern bool rex_live_type_matches_pg(rex_ctx *ctx, const rex_column *c, const char *live_type,
									 const char **expected);
extern bool rex_live_type_matches_sqlite(rex_ctx *ctx, const rex_column *c, const char *live_type,
										 const char **expected);

/* SQLite's type affinity of a declared type: 'I', 'T', 'B', 'R' or 'N'. */
extern char rex_sqlite_affinity(const char *declared);

/* Splits a JSON array of strings (query output) into an arena array. */
extern rex_status rex_live_names(rex_ctx *ctx, const char *json, const char ***out, int *n);

#endif							/* REX_INTROSPECT_H */
