/*
 * validators.h
 *		Custom validators: register_validator(), the checks at define
 *		time, and running them in validate() (validators.c).
 *
 * A validator is a name bound to a SQL function that takes the value and
 * returns true when it is valid.  PostgreSQL: the function is checked when
 * it is registered (one argument, returns boolean) and when a definition
 * uses it (the column's type must pass to the argument implicitly); the
 * rule becomes CHECK (schema.function(column)).  SQLite: the function
 * belongs to the application, which registers it on each connection
 * (sqlite3_create_function); rex records its name, has no CHECK for it,
 * and validate() says clearly when the function is missing.
 */
#ifndef REX_VALIDATORS_H
#define REX_VALIDATORS_H

#include "model.h"

/* Refuses a definition whose custom rules name unknown validators or
 * (PostgreSQL) functions the column's type cannot be passed to. */
extern rex_status rex_validators_check(rex_ctx *ctx, const rex_entity *e);

/* Fills rule->validator_sql of e's custom rules (PostgreSQL) for DDL. */
extern rex_status rex_validators_resolve(rex_ctx *ctx, rex_entity *e);

/* Runs the custom validators of column c on non-null 'value'; appends
 * violations to 'out'. */
extern rex_status rex_validators_run(rex_ctx *ctx, const rex_entity *e,
									 const rex_column *c, json_t *value, json_t *out);

/* A rule's message, a custom rule's from its registration. */
extern const char *rex_validator_message(rex_ctx *ctx, const rex_column *c, const rex_rule *r);

/* The PostgreSQL type of a column, as format_type() writes it. */
extern const char *rex_pg_base_type_name(rex_ctx *ctx, const rex_column *c);

#endif							/* REX_VALIDATORS_H */
