/*
 * plan.c
 *		Planning entity changes (see plan.h).
 *
 * Order: drops first (a new entity may reuse a dropped table's name),
 * then creations; plan_create.c orders each group by foreign keys.  Changing an entity that has
 * been migrated is refused as not supported by this version; nothing is
 * planned for it rather than a wrong plan.
 */
#include "plan.h"
#include "ident.h"
#include "json_util.h"
#include "rex_dialect.h"
#include "rex_engine.h"

#include <string.h>

rex_step *
rex_plan_add(rex_ctx *ctx, rex_plan *plan, const char *entity, const char *kind)
{
	rex_step   *s;

	if (plan->nsteps == plan->cap)
	{
		int			cap = plan->cap ? plan->cap * 2 : 8;
		rex_step   *steps = rex_alloc0(ctx, sizeof(rex_step) * (size_t) cap);

		if (steps == NULL)
			return NULL;
		if (plan->nsteps)
			memcpy(steps, plan->steps, sizeof(rex_step) * (size_t) plan->nsteps);
		plan->steps = steps;
		plan->cap = cap;
	}
	s = &plan->steps[plan->nsteps];
	memset(s, 0, sizeof(*s));
	s->entity = entity;
	s->kind = kind;
	s->warnings = rex_json_own(ctx, json_array());
	if (s->warnings == NULL)
		return NULL;
	plan->nsteps++;
	return s;
}

/* True when the live schema has a relation (or index) of that name. */
static rex_status
live_exists(rex_ctx *ctx, const char *sql, const char *schema, const char *name,
			bool *exists)
{
	rex_value	p[2];
	rex_result *res;
	rex_status	st;

	p[0] = schema ? rex_val_text(schema) : rex_val_text("main");
	p[1] = rex_val_text(name);
	st = rex_engine_query(ctx, sql, 2, p, &res);
	*exists = st == REX_OK && res->nrows > 0;
	return st;
}

/* Refuses to create a table or index whose name is taken in the database. */
rex_status
rex_plan_check_live_names(rex_ctx *ctx, const rex_entity_row *row, const rex_entity *e,
				 const char **dropping, int ndropping)
{
	const rex_dialect *d = ctx->dialect;
	bool		exists;
	rex_status	st;
	int			i;

	for (i = 0; i < ndropping; i++)
		if (rex_ident_equal(dropping[i], e->table))
			return REX_OK;		/* the old table goes first */
	if ((st = live_exists(ctx, d->relation_exists_sql, row->schema, e->table, &exists)) != REX_OK)
		return st;
	if (exists)
	{
		rex_error_set(ctx, REX_ERR_DUPLICATE, "entity \"%s\": table \"%s\" already exists",
					  e->name, e->table);
		rex_error_hint(ctx, "Choose another \"table\" for the entity, or drop or rename the existing table.");
		return REX_ERR_DUPLICATE;
	}
	for (i = 0; i < e->nindexes; i++)
	{
		if ((st = live_exists(ctx, d->relation_exists_sql, row->schema,
							  e->indexes[i].name, &exists)) != REX_OK)
			return st;
		if (exists)
		{
			rex_error_set(ctx, REX_ERR_DUPLICATE,
						  "entity \"%s\": index name \"%s\" is already used in the database",
						  e->name, e->indexes[i].name);
			rex_error_hint(ctx, "Give the index another \"name\" in \"indexes\".");
			return REX_ERR_DUPLICATE;
		}
	}
	return REX_OK;
}

/* An engine-neutral operation for the checksum. */
rex_status
rex_plan_add_op(rex_ctx *ctx, rex_plan *plan, const char *op, const char *entity, json_t *def)
{
	json_t	   *o = json_object();

	if (o == NULL)
		return rex_error_nomem(ctx);
	json_object_set_new(o, "op", json_string(op));
	json_object_set_new(o, "entity", json_string(entity));
	json_object_set(o, "definition", def);
	json_array_append_new(plan->ops, o);
	return REX_OK;
}

/* True when two canonical definitions are the same. */
bool
rex_plan_same_definition(const json_t *a, const json_t *b)
{
	return json_equal((json_t *) a, (json_t *) b) != 0;
}

rex_status
rex_plan_entities(rex_ctx *ctx, rex_entity_row *rows, int nrows, const char *only,
				  rex_plan *plan)
{
	const char **dropping = NULL;
	int			ndropping = 0;
	rex_status	st;
	int			i;

	memset(plan, 0, sizeof(*plan));
	plan->ops = rex_json_own(ctx, json_array());
	if (plan->ops == NULL)
		return rex_error_nomem(ctx);

	/* pass 1: drops, children before the tables they refer to */
	if ((st = rex_plan_drops(ctx, rows, nrows, only, plan, &dropping, &ndropping)) != REX_OK)
		return st;
	/* pass 2: refusal of changes this version cannot plan */
	for (i = 0; i < nrows; i++)
	{
		rex_entity_row *r = &rows[i];

		if (r->dropped || (only && strcmp(only, r->name) != 0) || r->applied == NULL)
			continue;
		if (rex_plan_same_definition(r->applied, r->definition))
			continue;
		rex_error_set(ctx, REX_ERR_UNSUPPORTED,
					  "changing entity \"%s\" after it was migrated is not supported yet",
					  r->name);
		rex_error_hint(ctx, "This version of rex_orm creates and drops tables; "
					   "it does not alter them.");
		return REX_ERR_UNSUPPORTED;
	}
	/* pass 3: creations, parents before children (plan_create.c) */
	return rex_plan_creates(ctx, rows, nrows, only, dropping, ndropping, plan);
}

json_t *
rex_plan_steps_json(rex_ctx *ctx, const rex_plan *plan)
{
	json_t	   *arr = rex_json_own(ctx, json_array());
	int			i;

	if (arr == NULL)
		return NULL;
	for (i = 0; i < plan->nsteps; i++)
	{
		const rex_step *s = &plan->steps[i];
		json_t	   *o = json_object();

		if (o == NULL)
		{
			rex_error_nomem(ctx);
			return NULL;
		}
		json_object_set_new(o, "step", json_integer(i + 1));
		json_object_set_new(o, "entity", json_string(s->entity));
		json_object_set_new(o, "kind", json_string(s->kind));
		json_object_set_new(o, "sql", json_string(s->sql));
		json_object_set_new(o, "sql_down", s->sql_down ? json_string(s->sql_down) : json_null());
		json_object_set_new(o, "destructive", json_boolean(s->destructive));
		json_object_set_new(o, "rewrites_table", json_boolean(s->rewrites_table));
		json_object_set_new(o, "reversible", json_boolean(s->reversible));
		json_object_set(o, "warnings", s->warnings);
		json_array_append_new(arr, o);
	}
	return arr;
}
