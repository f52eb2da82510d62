/*
 * compile.h
 *		The query compiler: a selection over the entity model, compiled to
 *		ONE SQL statement of the ctx's dialect that returns the whole JSON
 *		answer as a single value (one row, one column, JSON text).
 *
 * This is the contract between the JSON CRUD functions (crud.c: find,
 * get, count, insert, update, delete) and the GraphQL executor
 * (graphql_exec.c): both build a rex_select tree -- CRUD from the JSON
 * query AST (query_ast.h), GraphQL from a validated operation's fields,
 * with aliases, __typename and relation counts -- and hand it to the
 * functions below.  Nested relations become correlated subqueries with
 * JSON aggregation (PostgreSQL jsonb_build_object/jsonb_agg, SQLite
 * json_object/json_group_array): no N+1, whatever the depth.
 *
 * Every value is a bound parameter (out->params); every identifier comes
 * from the catalog and is quoted by the dialect.  Column values are
 * written in rex's JSON forms, the same on both engines (REX_JSON_ROWS)
 * or in the GraphQL serialisation of gql_schema.h (REX_JSON_GRAPHQL: id
 * columns and the keys referring to them as strings).
 *
 * Memory: everything in ctx's arena.
 */
#ifndef REX_COMPILE_H
#define REX_COMPILE_H

#include "query_ast.h"
#include "relations.h"
#include "rex_engine.h"

typedef enum rex_json_mode
{
	REX_JSON_ROWS,				/* CRUD: ids as numbers, decimals as strings... */
	REX_JSON_GRAPHQL			/* GraphQL: ID as string, see gql_schema.h */
} rex_json_mode;

typedef enum rex_out_kind
{
	REX_OUT_COLUMN,				/* a column's value */
	REX_OUT_RELATION,			/* a related row (to-one: object or null) or
								 * rows (to-many: array), per 'sub' */
	REX_OUT_COUNT,				/* the number of related rows matching 'where' */
	REX_OUT_CONST				/* a constant JSON value (__typename) */
} rex_out_kind;

typedef struct rex_select rex_select;

/* One key of the JSON object written for each row, in output order. */
typedef struct rex_out
{
	const char *name;			/* the key (a GraphQL alias, a column name...) */
	rex_out_kind kind;
	const rex_column *column;	/* COLUMN */
	const rex_relation *relation;	/* RELATION, COUNT: a relation of the row's entity */
	rex_select *sub;			/* RELATION: the related rows' selection;
								 * COUNT: its 'where' filters what is counted */
	json_t	   *constant;		/* CONST */
} rex_out;

/* What to read from one entity, and how to write each row. */
struct rex_select
{
	const rex_entity *entity;	/* resolved (rex_schema) */
	rex_out    *outs;
	int			nouts;
	const rex_qfilter *where;	/* NULL: every row */
	const rex_qorder *order_by; /* ties are always broken by the primary key */
	int			norder_by;
	int64_t		limit;			/* -1: none */
	int64_t		offset;
};

/* A compiled statement: run it with its parameters; it returns one row of
 * one column, the JSON text (never SQL NULL: "null" when nothing). */
typedef struct rex_compiled
{
	const char *sql;
	rex_value  *params;
	int			nparams;
	int			nstatements;	/* statements the request runs (1 for reads) */
} rex_compiled;

/* Rows as a JSON array. */
extern rex_status rex_compile_list(rex_ctx *ctx, const rex_schema *s, const rex_select *sel,
								   rex_json_mode mode, rex_compiled *out);
/* The row whose primary key is 'key' (values in key column order) as an
 * object, or JSON null. */
extern rex_status rex_compile_get(rex_ctx *ctx, const rex_schema *s, const rex_select *sel,
								  json_t *key, rex_json_mode mode, rex_compiled *out);
/* The number of rows matching 'where'. */
extern rex_status rex_compile_count(rex_ctx *ctx, const rex_schema *s, const rex_entity *e,
									const rex_qfilter *where, rex_compiled *out);

/*
 * Mutations.  Each writes and answers through 'returning' (the changed
 * rows as the selection writes them) in one atomic unit: on PostgreSQL
 * one statement (data-modifying CTE); on SQLite, which has no DML in
 * CTEs, the caller runs out->sql inside a savepoint (the compiled text
 * may then hold the DML with RETURNING and the projection; nstatements
 * says how many statements run).  Values are checked with validate()
 * before (validation failures: REX_ERR_VALIDATION with every violation).
 */
extern rex_status rex_compile_insert(rex_ctx *ctx, const rex_schema *s, const rex_entity *e,
									 json_t *rows, const rex_select *returning,
									 rex_json_mode mode, rex_compiled *out);
extern rex_status rex_compile_update(rex_ctx *ctx, const rex_schema *s, const rex_entity *e,
									 const rex_qfilter *where, json_t *patch,
									 const rex_select *returning, rex_json_mode mode,
									 rex_compiled *out);
extern rex_status rex_compile_delete(rex_ctx *ctx, const rex_schema *s, const rex_entity *e,
									 const rex_qfilter *where, const rex_select *returning,
									 rex_json_mode mode, rex_compiled *out);

#endif							/* REX_COMPILE_H */
