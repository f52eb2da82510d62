/*
 * entity_ops.c
 *		Operations of entity migrations (see entity_ops.h).
 */
#include "entity_ops.h"
#include "alter.h"
#include "catalog.h"
#include "clock.h"
#include "history.h"
#include "json_util.h"
#include "rex_buf.h"
#include "rex_engine.h"
#include "sqltpl.h"

#include <string.h>

static const char *
op_name(json_t *op)
{
	const char *s = json_string_value(json_object_get(op, "op"));

	return s ? s : "";
}

static const char *
op_entity(json_t *op)
{
	const char *s = json_string_value(json_object_get(op, "entity"));

	return s ? s : "";
}

const char *
rex_entities_migration_name(rex_ctx *ctx, json_t *ops)
{
	rex_buf		b;
	const char *verb = NULL;
	size_t		i;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "entities:");
	for (i = 0; i < json_array_size(ops); i++)
	{
		json_t	   *op = json_array_get(ops, i);
		const char *o = op_name(op);
		const char *v = strcmp(o, "drop_entity") == 0 ? "drop" :
			strcmp(o, "alter_entity") == 0 ? "alter" :
			strcmp(o, "baseline_entity") == 0 ? "baseline" : "create";

		if (verb == NULL || strcmp(verb, v) != 0)
			rex_buf_printf(&b, "%s %s ", verb ? ";" : "", v);
		else
			rex_buf_append(&b, ", ");
		rex_buf_append(&b, op_entity(op));
		verb = v;
	}
	return rex_buf_ok(&b) ? b.data : NULL;
}

const char *
rex_entities_checksum(rex_ctx *ctx, json_t *ops)
{
	json_t	   *content = rex_json_own(ctx, json_object());

	if (content == NULL)
		return NULL;
	json_object_set_new(content, "kind", json_string("entities"));
	json_object_set(content, "ops", ops);
	return rex_history_checksum(ctx, content);
}

rex_status
rex_entities_after_apply(rex_ctx *ctx, void *arg)
{
	json_t	   *ops = arg;
	size_t		i;
	rex_status	st;

	for (i = 0; i < json_array_size(ops); i++)
	{
		json_t	   *op = json_array_get(ops, i);

		if (strcmp(op_name(op), "drop_entity") == 0)
			st = rex_catalog_delete_entity(ctx, op_entity(op));
		else
			st = rex_catalog_mark_applied(ctx, op_entity(op));
		if (st != REX_OK)
			return st;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* rollback */

/* The PostgreSQL schema of an entity's table (NULL on SQLite or when gone). */
static rex_status
entity_schema(rex_ctx *ctx, const char *name, const char **schema)
{
	rex_entity_row *row;
	rex_status	st = rex_catalog_entity(ctx, name, &row);

	*schema = st == REX_OK && row ? row->schema : ctx->table_schema;
	return st;
}

/* Inverse of alter_entity(from, to): to -> from with the renames reversed. */
static rex_status
inverse_alter(rex_ctx *ctx, json_t *op, const char *schema, rex_plan *plan)
{
	const char *name = op_entity(op);
	rex_entity *from;
	rex_entity *to;
	rex_renames fwd,
				back;
	rex_status	st;

	if ((st = rex_definition_from_json(ctx, name, json_object_get(op, "from"), &from)) != REX_OK ||
		(st = rex_definition_from_json(ctx, name, json_object_get(op, "to"), &to)) != REX_OK ||
		(st = rex_diff_renames(ctx, from, to, &fwd)) != REX_OK ||
		(st = rex_diff_renames_reversed(ctx, &fwd, &back)) != REX_OK)
		return st;
	/* going back, "renamed_from" of the old definition must not apply */
	return rex_alter_entity(ctx, schema, to, from, &back, plan);
}

rex_status
rex_entities_plan_inverse(rex_ctx *ctx, json_t *ops, rex_plan *plan)
{
	size_t		i;
	rex_status	st;

	memset(plan, 0, sizeof(*plan));
	plan->ops = rex_json_own(ctx, json_array());
	if (plan->ops == NULL)
		return ctx->err.status;
	for (i = json_array_size(ops); i-- > 0;)
	{
		json_t	   *op = json_array_get(ops, i);
		const char *kind = op_name(op);
		const char *schema;
		rex_entity *e;

		if ((st = entity_schema(ctx, op_entity(op), &schema)) != REX_OK)
			return st;
		if (strcmp(kind, "create_entity") == 0)
		{
			if ((st = rex_definition_from_json(ctx, op_entity(op), json_object_get(op, "definition"),
											   &e)) != REX_OK ||
				(st = rex_ddl_drop_entity(ctx, schema, e, plan)) != REX_OK)
				return st;
		}
		else if (strcmp(kind, "alter_entity") == 0)
		{
			if ((st = inverse_alter(ctx, op, schema, plan)) != REX_OK)
				return st;
		}
		else if (strcmp(kind, "baseline_entity") != 0)
		{
			rex_error_set(ctx, REX_ERR_STATE, "dropping entity \"%s\" cannot be rolled back",
						  op_entity(op));
			rex_error_detail(ctx, "Its table and rows are gone.");
			return REX_ERR_STATE;
		}
	}
	return REX_OK;
}

/* Runs a catalog template. */
static rex_status
run(rex_ctx *ctx, const char *tpl, int n, const rex_value *p)
{
	const char *sql = rex_sql(ctx, tpl);

	return sql ? rex_engine_query(ctx, sql, n, p, NULL) : ctx->err.status;
}

/*
 * Restores an altered entity: applied = from; the desired definition too
 * when it is still the one that was migrated (a newer pending definition
 * is kept and will be planned against the restored state).
 */
static rex_status
restore_entity(rex_ctx *ctx, json_t *op)
{
	json_t	   *from = json_object_get(op, "from");
	const char *from_text = rex_json_text(ctx, from, REX_JSON_CANONICAL);
	const char *to_text = rex_json_text(ctx, json_object_get(op, "to"), REX_JSON_CANONICAL);
	const char *table = json_string_value(json_object_get(from, "table"));
	rex_value	p[5];

	if (from_text == NULL || to_text == NULL)
		return ctx->err.status;
	p[0] = rex_val_text(op_entity(op));
	p[1] = rex_val_text(from_text);
	p[2] = rex_val_text(to_text);
	p[3] = rex_val_text(table ? table : op_entity(op));
	p[4] = rex_val_text(rex_clock_text(ctx));
	return run(ctx, "UPDATE {entities} SET applied = $2::jsonb, "
			   "table_name = CASE WHEN definition = $3::jsonb THEN $4 ELSE table_name END, "
			   "version = CASE WHEN definition = $3::jsonb THEN version + 1 ELSE version END, "
			   "definition = CASE WHEN definition = $3::jsonb THEN $2::jsonb ELSE definition END, "
			   "migrated_at = $5::timestamptz, updated_at = $5::timestamptz WHERE name = $1",
			   5, p);
}

rex_status
rex_entities_after_rollback(rex_ctx *ctx, void *arg)
{
	json_t	   *ops = arg;
	size_t		i;
	rex_status	st;

	for (i = json_array_size(ops); i-- > 0;)
	{
		json_t	   *op = json_array_get(ops, i);
		const char *kind = op_name(op);

		if (strcmp(kind, "alter_entity") == 0)
			st = restore_entity(ctx, op);
		else
			st = rex_catalog_delete_entity(ctx, op_entity(op));
		if (st != REX_OK)
			return st;
	}
	return REX_OK;
}
