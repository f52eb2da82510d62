/*
 * plan.h
 *		Migration plans: the ordered steps that bring the live schema to
 *		the defined state.
 *
 * Each step is one unit of DDL (a statement, or a table's statement with
 * its comments) with its inverse and flags.  The plan also carries an
 * engine-neutral list of operations ("ops"), whose canonical JSON is what
 * a migration's checksum is taken over, so the same definitions give the
 * same checksum on both engines.
 */
#ifndef REX_PLAN_H
#define REX_PLAN_H

#include "catalog.h"

typedef struct rex_step
{
	const char *entity;
	const char *kind;			/* create_table, create_index, drop_table */
	const char *sql;
	const char *sql_down;		/* NULL when irreversible */
	bool		destructive;
	bool		rewrites_table;
	bool		reversible;
	json_t	   *warnings;		/* array of strings */
	const char *rebuild_table;	/* SQLite: the table this step rebuilds */
	bool		user_sql;		/* SQL a user wrote (runs with the caller's search_path) */
} rex_step;

typedef struct rex_plan
{
	rex_step   *steps;
	int			nsteps;
	int			cap;
	json_t	   *ops;			/* engine-neutral operations */
	bool		destructive;	/* some step loses data */
} rex_plan;

/*
 * Plans every pending entity change in 'rows'.  With 'only' set, plans
 * that entity alone (the answer of define_entity).  Checks the live
 * schema for tables and indexes that already exist.
 */
extern rex_status rex_plan_entities(rex_ctx *ctx, rex_entity_row *rows, int nrows,
									const char *only, rex_plan *plan);

/* The steps as a JSON array ({"step", "entity", "kind", "sql", ...}). */
extern json_t *rex_plan_steps_json(rex_ctx *ctx, const rex_plan *plan);

/* The steps for creating one entity's table and indexes (ddl.c). */
extern rex_status rex_ddl_create_entity(rex_ctx *ctx, const char *schema,
										const rex_entity *e, rex_plan *plan);
/* The step dropping one entity's table (ddl.c). */
extern rex_status rex_ddl_drop_entity(rex_ctx *ctx, const char *schema,
									  const rex_entity *e, rex_plan *plan);
/* DDL pieces for other planners (ddl.c); NULL when out of memory. */
extern const char *rex_ddl_create_table(rex_ctx *ctx, const char *schema,
										const rex_entity *e);
extern const char *rex_ddl_create_index(rex_ctx *ctx, const char *schema,
										const rex_entity *e, const rex_index *ix);
extern const char *rex_ddl_drop_index(rex_ctx *ctx, const char *schema,
									  const rex_index *ix);
/* Appends a step; returns it (zeroed but for entity and kind) or NULL. */
extern rex_step *rex_plan_add(rex_ctx *ctx, rex_plan *plan, const char *entity,
							  const char *kind);

/* Helpers of plan.c used by plan_create.c. */
extern rex_status rex_plan_check_live_names(rex_ctx *ctx, const rex_entity_row *row,
											const rex_entity *e, const char **dropping,
											int ndropping);
extern rex_status rex_plan_add_op(rex_ctx *ctx, rex_plan *plan, const char *op,
								  const char *entity, json_t *def);
extern bool rex_plan_same_definition(const json_t *a, const json_t *b);

/*
 * The drop and create passes (plan_create.c), on the two states plan.c
 * resolves (relations.h): 'applied' (the live tables; dropped[i] tells
 * whether applied->entities[i] is dropped) and 'desired'.  Tables are
 * ordered so that a table comes after those it refers to (and is dropped
 * before them).  *dropping receives the names of the tables dropped.
 */
struct rex_schema;
extern rex_status rex_plan_drops(rex_ctx *ctx, rex_entity_row *rows, int nrows,
								 const char *only, const struct rex_schema *applied,
								 const bool *dropped, const struct rex_schema *desired,
								 rex_plan *plan, const char ***dropping, int *ndropping);
extern rex_status rex_plan_creates(rex_ctx *ctx, rex_entity_row *rows, int nrows,
								   const char *only, struct rex_schema *desired,
								   const char **dropping, int ndropping, rex_plan *plan);
/* The entity a table's steps belong to: a join table's declaring entity. */
extern const char *rex_plan_owner(rex_ctx *ctx, const rex_entity *e);

#endif							/* REX_PLAN_H */
