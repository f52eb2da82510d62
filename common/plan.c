/*
 * plan.c
 *		Planning entity changes (see plan.h).
 *
 * Order: drops first (a new entity may reuse a dropped table's name),
 * then changes of migrated entities (alter.c; a renamed table frees its
 * old name), then creations, parents before children (plan_create.c).
 * Changes to the relations or validation rules of a migrated entity are
 * refused as not supported yet: nothing is planned for them rather than a
 * wrong plan.
 */
#include "plan.h"
#include "alter.h"
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

/* The engine-neutral operation for a changed entity: both definitions. */
static rex_status
add_alter_op(rex_ctx *ctx, rex_plan *plan, const char *entity, json_t *from, json_t *to)
{
	json_t	   *o = json_object();

	if (o == NULL)
		return rex_error_nomem(ctx);
	json_object_set_new(o, "op", json_string("alter_entity"));
	json_object_set_new(o, "entity", json_string(entity));
	json_object_set(o, "from", from);
	json_object_set(o, "to", to);
	json_array_append_new(plan->ops, o);
	return REX_OK;
}

/* Refuses renaming a table to a name taken in the database. */
static rex_status
check_rename_target(rex_ctx *ctx, const rex_entity_row *row, const rex_entity *from,
					const rex_entity *to, const char **dropping, int ndropping)
{
	bool		exists;
	rex_status	st;
	int			i;

	if (strcmp(from->table, to->table) == 0 || rex_ident_equal(from->table, to->table))
		return REX_OK;
	for (i = 0; i < ndropping; i++)
		if (rex_ident_equal(dropping[i], to->table))
			return REX_OK;
	if ((st = live_exists(ctx, ctx->dialect->relation_exists_sql, row->schema, to->table,
						  &exists)) != REX_OK)
		return st;
	if (!exists)
		return REX_OK;
	rex_error_set(ctx, REX_ERR_DUPLICATE, "entity \"%s\": cannot rename table \"%s\" to \"%s\": "
				  "the name is taken", to->name, from->table, to->table);
	rex_error_hint(ctx, "Choose another \"table\" for the entity.");
	return REX_ERR_DUPLICATE;
}

/* Plans the change of a migrated entity from its applied definition. */
static rex_status
plan_alter(rex_ctx *ctx, rex_entity_row *r, const char **dropping, int ndropping,
		   rex_plan *plan)
{
	rex_entity *from;
	rex_entity *to;
	rex_renames renames;
	rex_status	st;

	if ((st = rex_definition_from_json(ctx, r->name, r->applied, &from)) != REX_OK ||
		(st = rex_definition_from_json(ctx, r->name, r->definition, &to)) != REX_OK ||
		(st = rex_diff_renames(ctx, from, to, &renames)) != REX_OK ||
		(st = check_rename_target(ctx, r, from, to, dropping, ndropping)) != REX_OK ||
		(st = rex_alter_entity(ctx, r->schema, from, to, &renames, plan)) != REX_OK)
		return st;
	return add_alter_op(ctx, plan, r->name, r->applied, r->definition);
}

/* A column's "validate" in a canonical definition (either form), or NULL. */
static json_t *
column_rules(json_t *def, const char *name)
{
	json_t	   *cols = json_object_get(def, "columns");
	size_t		i;

	if (json_is_object(cols))
		return json_object_get(json_object_get(cols, name), "validate");
	for (i = 0; i < json_array_size(cols); i++)
	{
		json_t	   *c = json_array_get(cols, i);

		if (json_is_string(json_object_get(c, "name")) &&
			strcmp(json_string_value(json_object_get(c, "name")), name) == 0)
			return json_object_get(c, "validate");
	}
	return NULL;
}

/* True when a canonical definition has a column of that name. */
static bool
column_exists(json_t *def, const char *name)
{
	json_t	   *cols = json_object_get(def, "columns");
	size_t		i;

	if (json_is_object(cols))
		return json_object_get(cols, name) != NULL;
	for (i = 0; i < json_array_size(cols); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(cols, i), "name")), name) == 0)
			return true;
	return false;
}

/* Compares the rules of one column in two definitions (NULL = none). */
static bool
same_rules(json_t *a, json_t *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return json_equal(a, b) != 0;
}

/*
 * The differ (alter.c) plans columns, indexes and the table; it does not
 * yet add, change or drop foreign keys or the CHECKs of validation rules
 * on a table that exists.  Rather than a plan that would leave them as
 * they were, such a change is refused.
 */
static rex_status
refuse_relation_changes(rex_ctx *ctx, const rex_entity_row *r)
{
	json_t	   *from = json_object_get(r->applied, "relations");
	json_t	   *to = json_object_get(r->definition, "relations");
	const char *what = NULL;
	int			side;

	if (!((from == NULL && to == NULL) || (from && to && json_equal(from, to))))
		what = "relations";
	from = json_object_get(r->applied, "changes");
	to = json_object_get(r->definition, "changes");
	if (what == NULL && !((from == NULL && to == NULL) || (from && to && json_equal(from, to))))
		what = "change capture (\"changes\")";
	/* a column kept (same name) whose rules differ; new columns may have rules */
	for (side = 0; what == NULL && side < 2; side++)
	{
		json_t	   *def = side == 0 ? r->definition : r->applied;
		json_t	   *other = side == 0 ? r->applied : r->definition;
		json_t	   *cols = json_object_get(def, "columns");
		void	   *it = json_is_object(cols) ? json_object_iter(cols) : NULL;
		size_t		i;

		for (i = 0; what == NULL && i < (json_is_object(cols) ? json_object_size(cols) : json_array_size(cols)); i++)
		{
			const char *name = json_is_object(cols) ? json_object_iter_key(it) :
				json_string_value(json_object_get(json_array_get(cols, i), "name"));

			if (it)
				it = json_object_iter_next(cols, it);
			if (name && column_exists(other, name) &&
				!same_rules(column_rules(def, name), column_rules(other, name)))
				what = "validation rules";
		}
	}
	if (what == NULL)
		return REX_OK;
	rex_error_set(ctx, REX_ERR_UNSUPPORTED,
				  "entity \"%s\": changing the %s of a migrated entity is not supported yet",
				  r->name, what);
	rex_error_hint(ctx, "Columns, indexes and the table can change; relations and rules are "
				   "created with their table in this version.");
	return REX_ERR_UNSUPPORTED;
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
	/* pass 2: changes of migrated entities */
	for (i = 0; i < nrows; i++)
	{
		rex_entity_row *r = &rows[i];

		if (r->dropped || r->applied == NULL || (only && strcmp(only, r->name) != 0) ||
			rex_plan_same_definition(r->applied, r->definition))
			continue;
		if ((st = refuse_relation_changes(ctx, r)) != REX_OK ||
			(st = plan_alter(ctx, r, dropping, ndropping, plan)) != REX_OK)
			return st;
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
		json_object_set_new(o, "entity", s->entity ? json_string(s->entity) : json_null());
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
