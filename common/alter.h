/*
 * alter.h
 *		Planning the DDL that changes a migrated entity's table.
 *
 * rex_alter_entity() diffs the applied and desired entities (diff.c) and
 * hands the change list to the dialect (rex_dialect.alter_entity:
 * alter_pg.c, alter_sqlite.c), which appends steps to the plan.  What the
 * dialects share lives here: the attached objects to drop and create
 * again, and the lint that every step gets whatever the engine --
 * destructive changes, and data-dependent ones checked against the live
 * rows (NOT NULL over NULLs or on a table with rows, UNIQUE over
 * duplicates, casts that can fail).  The engine-specific warnings (locks
 * and rewrites on PostgreSQL, rebuilds on SQLite) come from the dialect.
 *
 * Step order for one entity: attached objects that change are dropped,
 * then indexes that go, the table and columns renamed (constraints whose
 * generated names follow them too), CHECKs that go dropped, columns
 * dropped, added and altered, indexes created, CHECKs added, comments,
 * attached objects created; foreign keys are dropped before and added
 * after (see rex_alter_phase).
 * Each step carries its inverse, computed by planning the change the
 * other way round; a step that cannot be undone has reversible = false.
 */
#ifndef REX_ALTER_H
#define REX_ALTER_H

#include "attached.h"
#include "diff.h"
#include "plan.h"

/*
 * A plan that changes several tables runs each table's steps in up to
 * three places, so that foreign keys never point at a missing table:
 *	 before the plan drops tables: PostgreSQL drops the foreign keys that
 *	   go (a dropped parent must have no key left pointing at it); SQLite
 *	   rebuilds, at this point, a table that loses a foreign key to a
 *	   table being dropped (dropping a parent with enforcement on would
 *	   fire the child's ON DELETE actions);
 *	 main (after the drops, before the creations): everything else;
 *	 after the plan creates tables: PostgreSQL adds the new foreign keys
 *	   (their parent may be a table just created), NOT VALID, then
 *	   validates each in a step of its own.
 */
typedef enum rex_alter_phase
{
	REX_ALTER_ALL,				/* every step: a plan of this one table */
	REX_ALTER_BEFORE_DROPS,
	REX_ALTER_MAIN,
	REX_ALTER_AFTER_CREATES
} rex_alter_phase;

typedef struct rex_alter
{
	const char *schema;			/* PostgreSQL schema of the table, or NULL */
	rex_diff	diff;			/* from (applied) -> to (desired) */
	rex_attached_list from_objs;	/* attached objects of the applied entity */
	rex_attached_list to_objs;	/* ... of the desired entity */
	rex_alter_phase phase;		/* which steps the dialect plans now */
	bool		fk_to_dropped;	/* drops a foreign key to a table the plan drops */
} rex_alter;

/*
 * Appends the steps that change the table of entity 'from' (as applied)
 * into 'to', with the given column renames (every phase at once).
 */
extern rex_status rex_alter_entity(rex_ctx *ctx, const char *schema,
								   const rex_entity *from, const rex_entity *to,
								   const rex_renames *renames, rex_plan *plan);

/*
 * The same in two parts, for plans of several tables: the diff and the
 * attached objects once, then the steps of each phase where they go.
 * 'env' tells about the other tables of the plan (may be NULL).
 */
extern rex_status rex_alter_prepare(rex_ctx *ctx, const char *schema,
									const rex_entity *from, const rex_entity *to,
									const rex_renames *renames, const rex_diff_env *env,
									rex_alter *out);
extern rex_status rex_alter_plan(rex_ctx *ctx, rex_alter *a, rex_alter_phase phase,
								 rex_plan *plan);

/* True when the alteration changes nothing. */
extern bool rex_alter_empty(const rex_alter *a);

/* ---- helpers for the dialects ---- */

/* A new step for the altered entity. */
extern rex_step *rex_alter_step(rex_ctx *ctx, rex_plan *plan, const rex_alter *a,
								const char *kind);
/* Adds a warning (printf-style) to a step. */
extern void rex_alter_warn(rex_ctx *ctx, rex_step *s, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
/* Marks a step destructive (and the plan), with a warning. */
extern void rex_alter_destructive(rex_ctx *ctx, rex_plan *plan, rex_step *s,
								  const char *fmt,...)
			__attribute__((format(printf, 4, 5)));

/*
 * The data-dependent and destructive lint for one change, added to the
 * step that carries it: counts rows of the live table (by its applied
 * name) where that tells whether the step will fail -- including rows
 * that a new foreign key or rule CHECK would refuse.
 */
extern rex_status rex_alter_lint(rex_ctx *ctx, rex_plan *plan, const rex_alter *a,
								 const rex_change *c, rex_step *s);

/*
 * Steps dropping the attached objects that change or go; with
 * 'triggers_too', every trigger of the applied entity (a SQLite rebuild
 * drops them with the table).  rex_alter_attached_create is the other
 * half: objects that are new or changed, or every trigger.
 */
extern rex_status rex_alter_attached_drop(rex_ctx *ctx, rex_plan *plan,
										  const rex_alter *a, bool triggers_too);
extern rex_status rex_alter_attached_create(rex_ctx *ctx, rex_plan *plan,
											const rex_alter *a, bool triggers_too);

/*
 * Runs a one-number query (a lint count) inside a savepoint, so that a
 * table missing from the live schema makes the answer -1 rather than an
 * error.
 */
extern int64_t rex_alter_count(rex_ctx *ctx, const char *sql);

/* The dialects' planners (rex_dialect.alter_entity). */
extern rex_status rex_alter_pg(rex_ctx *ctx, const rex_alter *a, rex_plan *plan);
extern rex_status rex_alter_sqlite(rex_ctx *ctx, const rex_alter *a, rex_plan *plan);

#endif							/* REX_ALTER_H */
