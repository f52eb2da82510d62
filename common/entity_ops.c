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

/* The row of entity 'name' in rows, or NULL. */
static rex_entity_row *
find_row(rex_entity_row *rows, int n, const char *name)
{
	int			i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	return NULL;
}

/* Rolling a baseline back drops the indexes it created for foreign keys. */
static rex_status
baseline_inverse(rex_ctx *ctx, json_t *ops, rex_plan *plan)
{
	size_t		i,
				k;
	rex_status	st;

	for (i = json_array_size(ops); i-- > 0;)
	{
		json_t	   *op = json_array_get(ops, i);
		json_t	   *names = json_object_get(op, "created_indexes");
		rex_entity_row *row;

		if (strcmp(op_name(op), "baseline_entity") != 0 || json_array_size(names) == 0)
			continue;
		if ((st = rex_catalog_entity(ctx, op_entity(op), &row)) != REX_OK)
			return st;
		for (k = 0; k < json_array_size(names); k++)
		{
			rex_index	ix;
			rex_step   *s = rex_plan_add(ctx, plan, op_entity(op), "drop_index");

			if (s == NULL)
				return ctx->err.status;
			memset(&ix, 0, sizeof(ix));
			ix.name = json_string_value(json_array_get(names, k));
			s->sql = rex_ddl_drop_index(ctx, row ? row->schema : ctx->table_schema, &ix);
			s->reversible = true;
			if (s->sql == NULL)
				return rex_error_nomem(ctx);
		}
	}
	return REX_OK;
}

/*
 * Plans the inverse as a plan from one state to another (plan.c): every
 * migrated entity as applied now is the state to leave; the state to go
 * back to has the created entities dropped and the altered ones as they
 * were ("from"), with their renames reversed.  Relations are resolved in
 * both states, so foreign keys, foreign-key columns and join tables that
 * the migration added or removed are dropped or added again; a rebuilt
 * SQLite table keeps indexes and triggers added since.
 */
rex_status
rex_entities_plan_inverse(rex_ctx *ctx, json_t *ops, rex_plan *plan)
{
	rex_entity_row *all;
	rex_entity_row *rows;
	int			nall,
				n = 0,
				i;
	size_t		k;
	rex_status	st;

	memset(plan, 0, sizeof(*plan));
	if ((st = rex_catalog_entities(ctx, &all, &nall)) != REX_OK)
		return st;
	if ((rows = rex_alloc0(ctx, sizeof(rex_entity_row) * (size_t) (nall + 1))) == NULL)
		return ctx->err.status;
	for (i = 0; i < nall; i++)
		if (all[i].applied)
		{
			rows[n] = all[i];
			rows[n].definition = all[i].applied;
			rows[n].dropped = false;
			n++;
		}
	for (k = 0; k < json_array_size(ops); k++)
	{
		json_t	   *op = json_array_get(ops, k);
		const char *kind = op_name(op);
		rex_entity_row *r = find_row(rows, n, op_entity(op));

		if (strcmp(kind, "drop_entity") == 0)
		{
			rex_error_set(ctx, REX_ERR_STATE, "dropping entity \"%s\" cannot be rolled back",
						  op_entity(op));
			rex_error_detail(ctx, "Its table and rows are gone.");
			return REX_ERR_STATE;
		}
		if (r == NULL)
			continue;			/* forgotten since */
		if (strcmp(kind, "create_entity") == 0)
			r->dropped = true;
		else if (strcmp(kind, "alter_entity") == 0)
		{
			r->definition = json_object_get(op, "from");
			r->reverse_renames = true;
		}
	}
	if ((st = rex_plan_entities(ctx, rows, n, NULL, plan)) != REX_OK)
		return st;
	return baseline_inverse(ctx, ops, plan);
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
