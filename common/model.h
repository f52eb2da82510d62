/*
 * model.h
 *		The entity model: a validated definition in C structures.
 *
 * definition.c builds a rex_entity from definition JSON (refusing a bad
 * definition whole, with the JSON path of the first problem) and writes
 * its canonical JSON; ddl.c turns a rex_entity into DDL for a dialect.
 * Every string and array lives in the arena of the context that built the
 * entity; default values point into JSON owned by that context.
 */
#ifndef REX_MODEL_H
#define REX_MODEL_H

#include "rex.h"

#include "json_util.h"

#define REX_MAX_IDENT 63		/* PostgreSQL's NAMEDATALEN - 1 */
#define REX_MAX_VARCHAR 10485760	/* PostgreSQL's varchar limit */
#define REX_MAX_NUMERIC_PRECISION 1000

typedef enum rex_type
{
	REX_T_ID,
	REX_T_UUID,
	REX_T_STRING,
	REX_T_TEXT,
	REX_T_INTEGER,
	REX_T_BIGINT,
	REX_T_FLOAT,
	REX_T_DECIMAL,
	REX_T_BOOLEAN,
	REX_T_TIMESTAMP,
	REX_T_DATE,
	REX_T_JSON,
	REX_T_BYTES,
	REX_T_ENUM
} rex_type;

#define REX_T_COUNT (REX_T_ENUM + 1)

typedef enum rex_default_kind
{
	REX_DEFAULT_NONE = 0,
	REX_DEFAULT_VALUE,			/* a constant, in default_value */
	REX_DEFAULT_NOW,			/* "now" for timestamp and date */
	REX_DEFAULT_GENERATED		/* id identity, uuid primary key */
} rex_default_kind;

typedef struct rex_column
{
	const char *name;
	rex_type	type;
	bool		nullable;
	bool		unique;
	bool		primary_key;
	int			max_length;		/* string: 0 means unlimited */
	int			precision;		/* decimal: 0 means unconstrained */
	int			scale;
	const char **enum_values;
	int			n_enum_values;
	rex_default_kind default_kind;
	json_t	   *default_value;	/* canonical constant for REX_DEFAULT_VALUE */
	const char *description;
} rex_column;

typedef struct rex_index
{
	const char *name;
	const char **columns;
	int			ncolumns;
	bool		unique;
	bool		from_column;	/* made for a column's "unique": true */
} rex_index;

typedef struct rex_entity
{
	const char *name;
	const char *table;
	const char *description;
	rex_column *columns;		/* in table order */
	int			ncolumns;
	const char **primary_key;	/* column names, in key order */
	int			npk;
	rex_index  *indexes;		/* unique columns first, then "indexes" */
	int			nindexes;
	bool		columns_as_array;	/* definition gave "columns" as an array */
	struct rex_changes_opts *changes;	/* change capture (changes.h), or NULL */
} rex_entity;

/* Portable type names, indexed by rex_type. */
extern const char *const rex_type_names[REX_T_COUNT];

/*
 * Parses and validates a definition.  'name' is the entity name,
 * 'definition' the JSON text.  On success *out is the entity and
 * *canonical its canonical JSON (owned by ctx).  On failure the error
 * names the entity and the JSON path of the problem; nothing is kept.
 */
extern rex_status rex_definition_parse(rex_ctx *ctx, const char *name,
									   const char *definition,
									   rex_entity **out, json_t **canonical);

/* Rebuilds an entity from canonical JSON read back from the catalog. */
extern rex_status rex_definition_from_json(rex_ctx *ctx, const char *name,
										   json_t *canonical,
										   rex_entity **out);

/* Looks up a column by name; NULL when absent. */
extern const rex_column *rex_entity_column(const rex_entity *e, const char *name);

#endif							/* REX_MODEL_H */
