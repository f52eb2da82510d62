/*
 * entity.c
 *		define_entity, entity, entities, drop_entity and plan.
 *
 * define_entity records the desired state of one entity (after checking
 * it whole) and answers with the steps migrate() would take for it; no
 * user table changes until migrate().  drop_entity records a removal.
 */
#include "catalog.h"
#include "gql_schema.h"
#include "ident.h"
#include "json_util.h"
#include "plan.h"
#include "rex_api.h"
#include "validators.h"

#include <string.h>

/* Loads the catalog for reading; an absent SQLite catalog is empty. */
static rex_status
load_rows(rex_ctx *ctx, bool create, rex_entity_row **rows, int *n)
{
	bool		exists = true;
	rex_status	st;

	*rows = NULL;
	*n = 0;
	if ((st = rex_catalog_open(ctx, create, &exists)) != REX_OK || !exists)
		return st;
	return rex_catalog_entities(ctx, rows, n);
}

/*
 * Adds a row just written to the catalog to the rows read before, in
 * name order (as rex_catalog_entities gives them): cheaper than reading
 * and parsing the whole catalog again.
 */
static rex_status
insert_row(rex_ctx *ctx, rex_entity_row **rows, int *n, const rex_entity_row *row)
{
	rex_entity_row *all = rex_alloc0(ctx, sizeof(rex_entity_row) * (size_t) (*n + 2));
	int			i = 0,
				k;

	if (all == NULL)
		return rex_error_nomem(ctx);
	while (i < *n && strcmp((*rows)[i].name, row->name) < 0)
		i++;
	for (k = 0; k < i; k++)
		all[k] = (*rows)[k];
	all[i] = *row;
	for (k = i; k < *n; k++)
		all[k + 1] = (*rows)[k];
	*rows = all;
	(*n)++;
	return REX_OK;
}

static rex_entity_row *
find_row(rex_entity_row *rows, int n, const char *name)
{
	int			i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	return NULL;
}

/*
 * Refuses a definition whose entity name, table or index names collide
 * (without regard to case) with another entity's.
 */
static rex_status
check_collisions(rex_ctx *ctx, rex_entity_row *rows, int n, const rex_entity *e)
{
	int			i,
				k,
				j;

	for (i = 0; i < n; i++)
	{
		rex_entity *o;
		rex_status	st;
		const char **mine;
		const char **theirs;
		int			nmine,
					ntheirs;

		if (strcmp(rows[i].name, e->name) == 0)
			continue;
		if (rex_ident_equal(rows[i].name, e->name))
			return rex_error_set(ctx, REX_ERR_DEFINITION,
								 "entity \"%s\": the name differs only in case from entity \"%s\"",
								 e->name, rows[i].name);
		if ((st = rex_definition_from_json(ctx, rows[i].name, rows[i].definition, &o)) != REX_OK)
			return st;
		if (rex_ident_equal(o->table, e->table))
			return rex_error_set(ctx, REX_ERR_DEFINITION,
								 "entity \"%s\": table \"%s\" is already used by entity \"%s\"",
								 e->name, e->table, o->name);
		if ((mine = rex_entity_relation_names(ctx, e, &nmine)) == NULL ||
			(theirs = rex_entity_relation_names(ctx, o, &ntheirs)) == NULL)
			return rex_error_nomem(ctx);
		for (k = 0; k < nmine; k++)
			for (j = 0; j < ntheirs; j++)
				if (rex_ident_equal(mine[k], theirs[j]))
				{
					rex_error_set(ctx, REX_ERR_DEFINITION,
								  "entity \"%s\": name \"%s\" is already taken by entity \"%s\"",
								  e->name, mine[k], o->name);
					rex_error_hint(ctx, "Tables, indexes and sequences share one namespace; "
								   "rename the table or give the index another \"name\".");
					return REX_ERR_DEFINITION;
				}
	}
	return REX_OK;
}

/* The answer of define_entity and drop_entity. */
static rex_status
entity_answer(rex_ctx *ctx, const char *name, int version, const char *status,
			  rex_entity_row *rows, int n, const char **out)
{
	rex_plan	plan;
	json_t	   *o;
	json_t	   *steps;
	rex_status	st;

	if ((st = rex_plan_entities(ctx, rows, n, name, &plan)) != REX_OK)
		return st;
	steps = rex_plan_steps_json(ctx, &plan);
	o = rex_json_own(ctx, json_object());
	if (steps == NULL || o == NULL)
		return rex_error_nomem(ctx);
	json_object_set_new(o, "entity", json_string(name));
	json_object_set_new(o, "version", json_integer(version));
	json_object_set_new(o, "status", json_string(status));
	json_object_set(o, "steps", steps);
	*out = rex_json_text(ctx, o, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}

/*
 * "pending" (never migrated), "applied", "changed" (migrated, with a new
 * definition waiting for migrate()) or "dropping" for an entity row.
 */
static const char *
row_status(const rex_entity_row *r)
{
	if (r->dropped)
		return "dropping";
	if (r->applied == NULL)
		return "pending";
	return json_equal(r->applied, r->definition) ? "applied" : "changed";
}

rex_status
rex_api_define_entity(rex_ctx *ctx, const char *name, const char *definition,
					  const char **out)
{
	rex_entity *e;
	json_t	   *canon;
	rex_entity_row *rows;
	rex_entity_row *row;
	rex_entity_row fresh;
	int			n;
	rex_status	st;

	if ((st = rex_definition_parse(ctx, name, definition, &e, &canon)) != REX_OK ||
		(st = load_rows(ctx, true, &rows, &n)) != REX_OK ||
		(st = check_collisions(ctx, rows, n, e)) != REX_OK ||
		(st = rex_gql_check_names(ctx, rows, n, e)) != REX_OK ||
		(st = rex_validators_check(ctx, e)) != REX_OK)
		return st;
	row = find_row(rows, n, name);
	if (row == NULL)
	{
		memset(&fresh, 0, sizeof(fresh));
		fresh.name = name;
		fresh.table = e->table;
		fresh.schema = ctx->table_schema;
		fresh.definition = canon;
		fresh.version = 1;
		if ((st = rex_catalog_insert_entity(ctx, &fresh)) != REX_OK ||
			(st = insert_row(ctx, &rows, &n, &fresh)) != REX_OK)
			return st;
		return entity_answer(ctx, name, 1, "pending", rows, n, out);
	}
	if (!json_equal(row->definition, canon) || row->dropped)
	{
		int			version = json_equal(row->definition, canon) ? row->version : row->version + 1;

		if ((st = rex_catalog_update_definition(ctx, name, e->table, canon, false, version)) != REX_OK)
			return st;
		row->definition = canon;
		row->dropped = false;
		row->version = version;
		row->table = e->table;
	}
	return entity_answer(ctx, name, row->version, row_status(row),
						 rows, n, out);
}

/* Finds an entity's row or records "entity does not exist". */
static rex_status
require_row(rex_ctx *ctx, const char *name, rex_entity_row **row)
{
	bool		exists = true;
	rex_status	st;

	*row = NULL;
	if ((st = rex_catalog_open(ctx, false, &exists)) != REX_OK)
		return st;
	if (exists && (st = rex_catalog_entity(ctx, name, row)) != REX_OK)
		return st;
	if (*row == NULL)
	{
		rex_error_set(ctx, REX_ERR_NOT_FOUND, "entity \"%s\" does not exist",
					  rex_shorten(ctx, name, 64));
		rex_error_hint(ctx, "Define it first with define_entity(); entities() lists the defined ones.");
		return REX_ERR_NOT_FOUND;
	}
	return REX_OK;
}

rex_status
rex_api_entity(rex_ctx *ctx, const char *name, const char **out)
{
	rex_entity_row *row;
	rex_status	st;

	if ((st = require_row(ctx, name, &row)) != REX_OK)
		return st;
	*out = rex_json_text(ctx, row->definition, REX_JSON_OUTPUT | JSON_SORT_KEYS);
	return *out ? REX_OK : ctx->err.status;
}


static json_t *
text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

rex_status
rex_api_entities(rex_ctx *ctx, const char **out)
{
	rex_entity_row *rows;
	json_t	   *arr;
	int			n,
				i;
	rex_status	st;

	if ((st = load_rows(ctx, false, &rows, &n)) != REX_OK)
		return st;
	arr = rex_json_own(ctx, json_array());
	if (arr == NULL)
		return ctx->err.status;
	for (i = 0; i < n; i++)
	{
		json_t	   *o = json_object();

		if (o == NULL)
			return rex_error_nomem(ctx);
		json_object_set_new(o, "name", json_string(rows[i].name));
		json_object_set_new(o, "table", json_string(rows[i].table));
		json_object_set_new(o, "version", json_integer(rows[i].version));
		json_object_set_new(o, "status", json_string(row_status(&rows[i])));
		json_object_set_new(o, "created_at", text_or_null(rows[i].created_at));
		json_object_set_new(o, "updated_at", text_or_null(rows[i].updated_at));
		json_object_set_new(o, "migrated_at", text_or_null(rows[i].migrated_at));
		json_array_append_new(arr, o);
	}
	*out = rex_json_text(ctx, arr, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}

rex_status
rex_api_drop_entity(rex_ctx *ctx, const char *name, const char **out)
{
	rex_entity_row *row;
	rex_entity_row *rows;
	int			n;
	rex_status	st;

	if ((st = require_row(ctx, name, &row)) != REX_OK ||
		(st = rex_catalog_open(ctx, true, NULL)) != REX_OK)
		return st;
	if (row->applied == NULL)
	{
		/* never migrated: forget it */
		if ((st = rex_catalog_delete_entity(ctx, name)) != REX_OK)
			return st;
		return entity_answer(ctx, name, row->version, "removed", NULL, 0, out);
	}
	if (!row->dropped && (st = rex_catalog_set_dropped(ctx, name, true)) != REX_OK)
		return st;
	if ((st = load_rows(ctx, false, &rows, &n)) != REX_OK)
		return st;
	return entity_answer(ctx, name, row->version, "dropping", rows, n, out);
}

rex_status
rex_api_plan(rex_ctx *ctx, const char **out)
{
	rex_entity_row *rows;
	rex_plan	plan;
	json_t	   *steps;
	int			n;
	rex_status	st;

	if ((st = load_rows(ctx, false, &rows, &n)) != REX_OK ||
		(st = rex_plan_entities(ctx, rows, n, NULL, &plan)) != REX_OK)
		return st;
	steps = rex_plan_steps_json(ctx, &plan);
	if (steps == NULL)
		return ctx->err.status;
	*out = rex_json_text(ctx, steps, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}

const char *
rex_api_version(void)
{
	return REX_VERSION;
}
