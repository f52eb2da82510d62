/*
 * entity_ops.h
 *		The engine-neutral operations of an entity migration, and what
 *		applying or rolling one back changes in the catalog.
 *
 * An entity migration records its operations in the history's "ops":
 *	 {"op": "create_entity", "entity", "definition"}
 *	 {"op": "drop_entity", "entity", "definition"}
 *	 {"op": "alter_entity", "entity", "from", "to"}
 *	 {"op": "baseline_entity", "entity", "definition"}
 * with canonical definitions, so the checksum is the same on both engines
 * and a rollback can plan the inverse again from the definitions (with the
 * live schema as it is then), rather than replay SQL planned earlier.
 */
#ifndef REX_ENTITY_OPS_H
#define REX_ENTITY_OPS_H

#include "plan.h"

/* "entities: drop a; alter b, c; create d" */
extern const char *rex_entities_migration_name(rex_ctx *ctx, json_t *ops);

/* SHA-256 of {"kind": "entities", "ops": ops}. */
extern const char *rex_entities_checksum(rex_ctx *ctx, json_t *ops);

/* Catalog after applying 'ops' (a json_t *): entities migrated or forgotten. */
extern rex_status rex_entities_after_apply(rex_ctx *ctx, void *ops);

/*
 * Plans the inverse of 'ops' into 'plan': created entities dropped,
 * altered ones changed back (renames reversed); refuses dropped ones.
 */
extern rex_status rex_entities_plan_inverse(rex_ctx *ctx, json_t *ops, rex_plan *plan);

/* Catalog after rolling 'ops' (a json_t *) back. */
extern rex_status rex_entities_after_rollback(rex_ctx *ctx, void *ops);

#endif							/* REX_ENTITY_OPS_H */
