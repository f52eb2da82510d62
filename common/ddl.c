/*
 * ddl.c
 *		DDL for entities, for any dialect.
 *
 * The statement shapes live here; the dialect spells types, constraints,
 * defaults and names.  Every identifier has been validated by
 * definition.c and is quoted by the dialect.
 */
#include "attached.h"
#include "plan.h"
#include "relations.h"
#include "rex_dialect.h"

#include <string.h>

/* CREATE TABLE for e, with PG comments appended. */
static const char *
create_table_sql(rex_ctx *ctx, const char *schema, const rex_entity *e)
{
	const rex_dialect *d = ctx->dialect;
	bool		inline_pk = d->inline_pk(e);
	rex_buf		b;
	int			i;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "CREATE TABLE ");
	d->table(&b, schema, e->table);
	rex_buf_append(&b, " (");
	for (i = 0; i < e->ncolumns; i++)
	{
		const rex_column *c = &e->columns[i];

		rex_buf_append(&b, i ? ",\n  " : "\n  ");
		d->column_def(&b, e, c, inline_pk && strcmp(c->name, e->primary_key[0]) == 0);
	}
	if (!inline_pk)
	{
		rex_buf_append(&b, ",\n  PRIMARY KEY (");
		for (i = 0; i < e->npk; i++)
		{
			if (i)
				rex_buf_append(&b, ", ");
			d->quote_ident(&b, e->primary_key[i]);
		}
		rex_buf_append(&b, ")");
	}
	if (rex_table_constraints(ctx, &b, e) != REX_OK)
		return NULL;
	rex_buf_append(&b, "\n)");
	rex_buf_append(&b, d->table_suffix);
	if (d->comments)
		d->comments(&b, schema, e);
	return rex_buf_ok(&b) ? b.data : NULL;
}

static const char *
drop_table_sql(rex_ctx *ctx, const char *schema, const rex_entity *e)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "DROP TABLE ");
	ctx->dialect->table(&b, schema, e->table);
	return rex_buf_ok(&b) ? b.data : NULL;
}

static const char *
create_index_sql(rex_ctx *ctx, const char *schema, const rex_entity *e,
				 const rex_index *ix)
{
	const rex_dialect *d = ctx->dialect;
	rex_buf		b;
	int			i;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	d->quote_ident(&b, ix->name);
	rex_buf_append(&b, " ON ");
	d->table(&b, schema, e->table);
	rex_buf_append(&b, " (");
	for (i = 0; i < ix->ncolumns; i++)
	{
		if (i)
			rex_buf_append(&b, ", ");
		d->quote_ident(&b, ix->columns[i]);
	}
	rex_buf_append(&b, ")");
	return rex_buf_ok(&b) ? b.data : NULL;
}

static const char *
drop_index_sql(rex_ctx *ctx, const char *schema, const rex_index *ix)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	ctx->dialect->drop_index(&b, schema, ix->name);
	return rex_buf_ok(&b) ? b.data : NULL;
}

/* Steps creating every attached object of a new entity. */
static rex_status
create_attached(rex_ctx *ctx, const char *schema, const rex_entity *e, rex_plan *plan)
{
	rex_attached_list objs;
	rex_status	st;
	int			i;

	if ((st = rex_attached_objects(ctx, schema, e, &objs)) != REX_OK)
		return st;
	for (i = 0; i < objs.n; i++)
	{
		rex_step   *s = rex_plan_add(ctx, plan, e->name,
									 rex_psprintf(ctx, "create_%s", objs.items[i].kind));

		if (s == NULL)
			return ctx->err.status;
		s->sql = objs.items[i].create_sql;
		s->sql_down = objs.items[i].drop_sql;
		s->reversible = true;
	}
	return REX_OK;
}

rex_status
rex_ddl_create_entity(rex_ctx *ctx, const char *schema, const rex_entity *e,
					  rex_plan *plan)
{
	rex_step   *s = rex_plan_add(ctx, plan, e->name, "create_table");
	int			i;

	if (s == NULL)
		return ctx->err.status;
	s->sql = create_table_sql(ctx, schema, e);
	s->sql_down = drop_table_sql(ctx, schema, e);
	s->reversible = true;
	if (s->sql == NULL || s->sql_down == NULL)
		return rex_error_nomem(ctx);
	for (i = 0; i < e->nindexes; i++)
	{
		s = rex_plan_add(ctx, plan, e->name, "create_index");
		if (s == NULL)
			return ctx->err.status;
		s->sql = create_index_sql(ctx, schema, e, &e->indexes[i]);
		s->sql_down = drop_index_sql(ctx, schema, &e->indexes[i]);
		s->reversible = true;
		if (s->sql == NULL || s->sql_down == NULL)
			return rex_error_nomem(ctx);
	}
	return create_attached(ctx, schema, e, plan);
}

rex_status
rex_ddl_drop_entity(rex_ctx *ctx, const char *schema, const rex_entity *e,
					rex_plan *plan)
{
	rex_step   *s = rex_plan_add(ctx, plan, e->name, "drop_table");
	const char *w;

	if (s == NULL)
		return ctx->err.status;
	s->sql = drop_table_sql(ctx, schema, e);
	s->sql_down = NULL;
	s->destructive = true;
	s->reversible = false;
	w = rex_psprintf(ctx, "drops table \"%s\" and every row in it", e->table);
	if (s->sql == NULL || w == NULL)
		return rex_error_nomem(ctx);
	json_array_append_new(s->warnings, json_string(w));
	plan->destructive = true;
	return REX_OK;
}

const char *
rex_ddl_create_table(rex_ctx *ctx, const char *schema, const rex_entity *e)
{
	return create_table_sql(ctx, schema, e);
}

const char *
rex_ddl_create_index(rex_ctx *ctx, const char *schema, const rex_entity *e,
					 const rex_index *ix)
{
	return create_index_sql(ctx, schema, e, ix);
}

const char *
rex_ddl_drop_index(rex_ctx *ctx, const char *schema, const rex_index *ix)
{
	return drop_index_sql(ctx, schema, ix);
}
