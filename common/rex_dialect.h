/*
 * rex_dialect.h
 *		The dialect seam: how SQL is spelled for each engine.
 *
 * A dialect is a const struct of constants and functions that write SQL
 * text into a rex_buf.  Both dialects are compiled into every build, so
 * DDL and query generation are unit-tested without a database; the glue
 * picks its own at run time (rex_dialect_pg or rex_dialect_sqlite).
 *
 * Identifiers reaching a dialect have been validated (ident.h) and are
 * always written double-quoted; literals in DDL (defaults, enum values in
 * CHECKs, where the engines take no parameters) go through quote_literal;
 * every other value is a bound parameter written by param().
 */
#ifndef REX_DIALECT_H
#define REX_DIALECT_H

#include "model.h"
#include "rex_buf.h"

struct rex_alter;
struct rex_plan;
struct rex_live_table;

struct rex_dialect
{
	const char *name;			/* "postgresql" or "sqlite" */
	const char *catalog_prefix;	/* "rex." or "rex_" */

	/* "quoted" identifier, doubling embedded quotes */
	void		(*quote_ident) (rex_buf *b, const char *ident);
	/* 'quoted' string literal in the engine's own syntax */
	void		(*quote_literal) (rex_buf *b, const char *s);
	/* parameter number n (1-based); pg_type is the cast PostgreSQL needs */
	void		(*param) (rex_buf *b, int n, const char *pg_type);
	/* a user table, schema-qualified where the engine has schemas */
	void		(*table) (rex_buf *b, const char *schema, const char *table);
	/* one column of CREATE TABLE: name, type, constraints, default */
	void		(*column_def) (rex_buf *b, const rex_entity *e, const rex_column *c,
							   bool inline_pk);
	/* true when a single-column key is declared inside its column */
	bool		(*inline_pk) (const rex_entity *e);
	/* words after CREATE TABLE's closing parenthesis, e.g. " STRICT" */
	const char *table_suffix;
	/* DROP INDEX for an index of a table in 'schema' */
	void		(*drop_index) (rex_buf *b, const char *schema, const char *index);
	/* COMMENT statements for descriptions, each preceded by ";\n" */
	void		(*comments) (rex_buf *b, const char *schema, const rex_entity *e);
	/* text timestamp of the current time, UTC ISO-8601 */
	const char *now_text;
	/* printf format turning a catalog timestamp column into that text */
	const char *ts_text;
	/* COLLATE clause ordering text byte by byte */
	const char *collate_binary;
	/* the current user as text, or NULL */
	const char *current_user;
	/* SQL: does a table or view exist?  params: schema, name */
	const char *relation_exists_sql;
	/* SQL: does an index exist?  params: schema, name */
	const char *index_exists_sql;
	/* CHECK expression of a validation rule; false when not expressible */
	bool		(*rule_check) (rex_buf *b, const rex_column *c, const rex_rule *r,
							   const char *validator_sql);

	/* --- migrations of migrated entities (alter.h) --- */
	/* appends the steps altering one entity's table */
	rex_status	(*alter_entity) (rex_ctx *ctx, const struct rex_alter *alter,
								 struct rex_plan *plan);
	/* the pragma switching foreign-key enforcement (SQLite), or NULL */
	const char *foreign_keys_pragma;
	/* reads one live table / lists the user tables (introspect.h) */
	rex_status	(*live_table) (rex_ctx *ctx, const char *schema, const char *name,
							   struct rex_live_table *out, bool *exists);
	rex_status	(*live_tables) (rex_ctx *ctx, const char *schema, const char ***names, int *n);
	/* does a live column type match rex column c (drift)? */
	bool		(*live_type_matches) (rex_ctx *ctx, const rex_column *c, const char *live_type,
									  const char **expected);
};

/* Rule CHECKs of each dialect (rules_sql.c). */
extern bool rex_rule_check_pg(rex_buf *b, const rex_column *c, const rex_rule *r,
							  const char *validator_sql);
extern bool rex_rule_check_sqlite(rex_buf *b, const rex_column *c, const rex_rule *r,
								  const char *validator_sql);

/* Helpers shared by the dialects. */
extern void rex_sql_ident(rex_buf *b, const char *ident);
extern void rex_sql_literal(rex_buf *b, const char *s);
/* A generated constraint name: table_column_suffix, shortened like indexes. */
extern void rex_sql_constraint_name(rex_buf *b, const char *table,
									const char *column, const char *suffix);
/* Hex digits of a base64 string (the bytes of a bytes default). */
extern bool rex_base64_to_hex(rex_buf *b, const char *base64);
/* PostgreSQL: the type of a column; its DEFAULT expression (false: none). */
extern void rex_pg_type_name(rex_buf *b, const rex_column *c);
extern bool rex_pg_default_expr(rex_buf *b, const rex_column *c);

#endif							/* REX_DIALECT_H */
