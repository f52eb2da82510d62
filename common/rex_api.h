/*
 * rex_api.h
 *		The SQL-callable functions of rex_orm, engine-neutral.
 *
 * Each function here is one SQL function on both engines (rex.X on
 * PostgreSQL, rex_X on SQLite).  Arguments arrive as C strings (JSON as
 * text); on success *out receives the JSON text of the answer, in the
 * context's arena.  On failure the context holds the error, and nothing
 * the call wrote is left behind (a failed migration excepted: its history
 * row is the answer).
 */
#ifndef REX_API_H
#define REX_API_H

#include "rex.h"

extern rex_status rex_api_define_entity(rex_ctx *ctx, const char *name,
										const char *definition, const char **out);
extern rex_status rex_api_entity(rex_ctx *ctx, const char *name, const char **out);
extern rex_status rex_api_entities(rex_ctx *ctx, const char **out);
extern rex_status rex_api_drop_entity(rex_ctx *ctx, const char *name, const char **out);
extern rex_status rex_api_plan(rex_ctx *ctx, const char **out);
extern rex_status rex_api_migrate(rex_ctx *ctx, const char *options, const char **out);
extern rex_status rex_api_migration_status(rex_ctx *ctx, const char **out);
extern const char *rex_api_version(void);

/* Relations, rules, validators and hooks (validate.c, validators.c, hooks.c). */
extern rex_status rex_api_validate(rex_ctx *ctx, const char *entity, const char *data,
								   const char **out);
extern rex_status rex_api_explain_constraint(rex_ctx *ctx, const char *name,
											 const char **out);
extern rex_status rex_api_register_validator(rex_ctx *ctx, const char *name,
											 const char *function, const char *message,
											 const char **out);
extern rex_status rex_api_on(rex_ctx *ctx, const char *entity, const char *event,
							 const char *function, const char **out);
extern rex_status rex_api_off(rex_ctx *ctx, const char *entity, const char *event,
							  const char *function, const char **out);
/* Versioned migrations, rollback, repair, baseline (issue 3). */
extern rex_status rex_api_add_migration(rex_ctx *ctx, const char *version, const char *up,
										const char *down, const char **out);
extern rex_status rex_api_rollback(rex_ctx *ctx, const char *to_version, const char **out);
extern rex_status rex_api_repair(rex_ctx *ctx, const char *version, const char **out);
extern rex_status rex_api_baseline(rex_ctx *ctx, const char *options, const char **out);

/* Generated schemas (gql_print.c, jsonschema.c, typescript.c): pure reads
 * of the catalog; the same text (JSON value) on both engines. */
extern rex_status rex_api_graphql_schema(rex_ctx *ctx, const char **out);
extern rex_status rex_api_json_schema(rex_ctx *ctx, const char *entity, const char **out);
extern rex_status rex_api_typescript(rex_ctx *ctx, const char **out);

#endif							/* REX_API_H */
