/*
 * plan_create.c
 *		The drop and create passes of a plan, with relations resolved
 *		across entities (see plan.h and relations.h).
 *
 * Both passes work on the two states plan.c resolves (schema.c): the
 * applied definitions of every migrated entity (the live tables) and the
 * desired definitions of every entity not being dropped, so that foreign
 * keys, generated foreign-key columns and join tables are known.
 * Creations: the tables the desired state has and the live one has not
 * come parents first, each followed by its indexes and attached objects,
 * then join tables (of new many_to_many relations too), then
 * (PostgreSQL) the foreign keys that close a cycle of tables.  Drops: the
 * tables of dropped entities go children first, join tables (of removed
 * many_to_many relations too) before the entities they join.
 */
#include "attached.h"
#include "plan.h"
#include "relations.h"
#include "rex_dialect.h"
#include "validators.h"

#include <string.h>

static rex_entity_row *
row_of(rex_entity_row *rows, int nrows, const char *name)
{
	int			i;

	for (i = 0; i < nrows; i++)
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	return NULL;
}

/* The entity owning a join table ("post.tags" -> "post"). */
static const char *
owner_of(rex_ctx *ctx, const rex_entity *e)
{
	const char *dot;

	if (e->join_of == NULL)
		return e->name;
	dot = strchr(e->join_of, '.');
	return rex_strndup(ctx, e->join_of, (size_t) (dot - e->join_of));
}

/* True when planning for 'only' should include e. */
static bool
wanted(rex_ctx *ctx, const char *only, const rex_entity *e)
{
	return only == NULL || strcmp(only, owner_of(ctx, e)) == 0;
}

/* Sets the entity of steps [from, end) to 'owner' (join tables). */
static void
own_steps(rex_plan *plan, int from, const char *owner)
{
	int			i;

	for (i = from; i < plan->nsteps; i++)
		plan->steps[i].entity = owner;
}

/* ---------------------------------------------------------------- */
/* drops */

/* Emits the drop of dropped entity v after every dropped entity referring to it. */
static rex_status
drop_visit(rex_ctx *ctx, const rex_schema *s, const bool *dropped, char *mark, int v,
		   rex_entity **out, int *nout)
{
	int			i,
				k;
	rex_status	st;

	mark[v] = 1;
	for (i = 0; i < s->n; i++)
	{
		const rex_entity *c = s->entities[i];

		if (!dropped[i] || mark[i] || i == v)
			continue;
		for (k = 0; k < c->nfkeys; k++)
			if (strcmp(c->fkeys[k].ref_entity, s->entities[v]->name) == 0)
			{
				if ((st = drop_visit(ctx, s, dropped, mark, i, out, nout)) != REX_OK)
					return st;
				break;
			}
	}
	out[(*nout)++] = s->entities[v];
	return REX_OK;
}

/* True when join table j of the live state is not in the desired one. */
static bool
join_dropped(const rex_entity *j, const rex_schema *desired)
{
	return rex_schema_join(desired, j->table) == NULL;
}

/*
 * PostgreSQL: a table dropped after a table it refers to (tables that
 * refer to each other) first loses that foreign key, or DROP TABLE of the
 * other would fail.
 */
static rex_status
drop_cycle_fks(rex_ctx *ctx, rex_entity **out, int nout, const char *only, rex_plan *plan)
{
	int			i,
				j,
				k;

	if (strcmp(ctx->dialect->name, "postgresql") != 0)
		return REX_OK;
	for (i = 0; i < nout; i++)
	{
		rex_entity *e = out[i];

		if (!wanted(ctx, only, e))
			continue;
		for (k = 0; k < e->nfkeys; k++)
			for (j = 0; j < i; j++)
				if (out[j]->join_of == NULL && strcmp(e->fkeys[k].ref_entity, out[j]->name) == 0)
				{
					rex_step   *st = rex_plan_add(ctx, plan, owner_of(ctx, e), "drop_foreign_key");

					if (st == NULL)
						return ctx->err.status;
					st->sql = rex_fk_drop_sql(ctx, e->schema, e, &e->fkeys[k]);
					st->sql_down = rex_fk_add_sql(ctx, e->schema, e, &e->fkeys[k]);
					st->reversible = true;
					if (st->sql == NULL || st->sql_down == NULL)
						return rex_error_nomem(ctx);
				}
	}
	return REX_OK;
}

rex_status
rex_plan_drops(rex_ctx *ctx, rex_entity_row *rows, int nrows, const char *only,
			   const rex_schema *applied, const bool *dropped, const rex_schema *desired,
			   rex_plan *plan, const char ***dropping, int *ndropping)
{
	const rex_schema *s = applied;
	char	   *mark;
	rex_entity **out;
	int			nout = 0;
	int			i;
	rex_status	st;

	mark = rex_alloc0(ctx, (size_t) s->n + 1);
	out = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) (s->n + s->njoins + 1));
	*dropping = rex_alloc0(ctx, sizeof(char *) * (size_t) (s->n + s->njoins + 1));
	if (mark == NULL || out == NULL || *dropping == NULL)
		return rex_error_nomem(ctx);
	*ndropping = 0;
	for (i = 0; i < s->njoins; i++)
		if (join_dropped(s->joins[i], desired))
			out[nout++] = s->joins[i];
	for (i = 0; i < s->n; i++)
		if (dropped[i] && !mark[i] &&
			(st = drop_visit(ctx, s, dropped, mark, i, out, &nout)) != REX_OK)
			return st;
	if ((st = drop_cycle_fks(ctx, out, nout, only, plan)) != REX_OK)
		return st;
	for (i = 0; i < nout; i++)
	{
		rex_entity *e = out[i];
		rex_entity_row *r = row_of(rows, nrows, e->name);
		int			from = plan->nsteps;

		(*dropping)[(*ndropping)++] = e->table;
		if (!wanted(ctx, only, e))
			continue;
		if ((st = rex_ddl_drop_entity(ctx, e->schema, e, plan)) != REX_OK)
			return st;
		if (e->join_of)
			own_steps(plan, from, owner_of(ctx, e));
		else if ((st = rex_plan_add_op(ctx, plan, "drop_entity", r->name, r->applied)) != REX_OK)
			return st;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* creations */

/* Plan warnings of e go to its first step. */
static rex_status
attach_warnings(rex_ctx *ctx, rex_plan *plan, int from, const rex_entity *e)
{
	size_t		i;

	if (from >= plan->nsteps)
		return REX_OK;
	if (e->warnings)
		for (i = 0; i < json_array_size(e->warnings); i++)
			json_array_append(plan->steps[from].warnings, json_array_get(e->warnings, i));
	return rex_rules_warnings(ctx, e, plan->steps[from].warnings);
}

/* Steps creating one table of the order. */
static rex_status
create_one(rex_ctx *ctx, rex_entity_row *rows, int nrows, rex_entity *e,
		   const char **dropping, int ndropping, rex_plan *plan)
{
	rex_entity_row *r = e->join_of ? NULL : row_of(rows, nrows, e->name);
	rex_entity_row fake;
	int			from = plan->nsteps;
	rex_status	st;

	if (r == NULL)
	{
		memset(&fake, 0, sizeof(fake));
		fake.name = e->name;
		fake.schema = e->schema;
	}
	if ((st = rex_plan_check_live_names(ctx, r ? r : &fake, e, dropping, ndropping)) != REX_OK ||
		(st = rex_validators_resolve(ctx, e)) != REX_OK ||
		(st = rex_ddl_create_entity(ctx, e->schema, e, plan)) != REX_OK ||
		(st = attach_warnings(ctx, plan, from, e)) != REX_OK)
		return st;
	if (e->join_of)
	{
		own_steps(plan, from, owner_of(ctx, e));
		return REX_OK;
	}
	return rex_plan_add_op(ctx, plan, "create_entity", r->name, r->definition);
}

/* PostgreSQL: foreign keys closing a cycle, once every table exists. */
static rex_status
deferred_fks(rex_ctx *ctx, rex_schema *s, const char *only, rex_plan *plan)
{
	int			i,
				k;

	if (strcmp(ctx->dialect->name, "postgresql") != 0)
		return REX_OK;
	for (i = 0; i < s->norder; i++)
	{
		rex_entity *e = s->order[i];

		if (!wanted(ctx, only, e))
			continue;
		for (k = 0; k < e->nfkeys; k++)
		{
			rex_step   *st;

			if (!e->fkeys[k].deferred_on_pg)
				continue;
			if ((st = rex_plan_add(ctx, plan, owner_of(ctx, e), "add_foreign_key")) == NULL)
				return ctx->err.status;
			st->sql = rex_fk_add_sql(ctx, e->schema, e, &e->fkeys[k]);
			st->sql_down = rex_fk_drop_sql(ctx, e->schema, e, &e->fkeys[k]);
			st->reversible = true;
			if (st->sql == NULL || st->sql_down == NULL)
				return rex_error_nomem(ctx);
		}
	}
	return REX_OK;
}

rex_status
rex_plan_creates(rex_ctx *ctx, rex_entity_row *rows, int nrows, const char *only,
				 rex_schema *desired, const char **dropping, int ndropping, rex_plan *plan)
{
	int			i;
	rex_status	st;

	for (i = 0; i < desired->norder; i++)
		if (wanted(ctx, only, desired->order[i]) &&
			(st = create_one(ctx, rows, nrows, desired->order[i], dropping, ndropping, plan)) != REX_OK)
			return st;
	return deferred_fks(ctx, desired, only, plan);
}

const char *
rex_plan_owner(rex_ctx *ctx, const rex_entity *e)
{
	return owner_of(ctx, e);
}
