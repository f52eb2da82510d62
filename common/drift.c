/*
 * drift.c
 *		Out-of-band changes to rex-managed tables (see drift.h).
 *
 * For every migrated entity, the live table (introspect.h) is compared
 * with what its applied definition implies: the table exists; every
 * column exists with the type the engine would have given it
 * (PostgreSQL: the same format_type(); SQLite: the same storage class)
 * and the same nullability; no column is there that the definition does
 * not have; every index of the definition exists by name with the same
 * columns and uniqueness, and no other plain index was added.  Indexes
 * on expressions or partial ones cannot be part of a definition and are
 * not compared; on SQLite a UNIQUE constraint of the table itself (an
 * sqlite_autoindex) counts as the unique index it stands for.  Nothing
 * here changes the database.
 */
#include "drift.h"
#include "ident.h"
#include "introspect.h"
#include "json_util.h"

#include <string.h>

static void
add(json_t *out, const char *entity, const char *table, const char *object, const char *name,
	const char *problem, const char *expected, const char *found)
{
	json_t	   *o = json_object();

	json_object_set_new(o, "entity", json_string(entity));
	json_object_set_new(o, "table", json_string(table));
	json_object_set_new(o, "object", json_string(object));
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "problem", json_string(problem));
	json_object_set_new(o, "expected", expected ? json_string(expected) : json_null());
	json_object_set_new(o, "found", found ? json_string(found) : json_null());
	json_array_append_new(out, o);
}

static const rex_live_column *
live_column(const rex_live_table *t, const char *name)
{
	int			i;

	for (i = 0; i < t->ncolumns; i++)
		if (rex_ident_equal(t->columns[i].name, name))
			return &t->columns[i];
	return NULL;
}

static bool
is_pk(const rex_entity *e, const char *name)
{
	int			i;

	for (i = 0; i < e->npk; i++)
		if (strcmp(e->primary_key[i], name) == 0)
			return true;
	return false;
}

static void
columns(rex_ctx *ctx, const rex_entity *e, const rex_live_table *t, json_t *out)
{
	int			i;

	for (i = 0; i < e->ncolumns; i++)
	{
		const rex_column *c = &e->columns[i];
		const rex_live_column *l = live_column(t, c->name);
		const char *expected = NULL;

		if (l == NULL)
		{
			add(out, e->name, e->table, "column", c->name, "missing", NULL, NULL);
			continue;
		}
		if (!rex_live_type_matches(ctx, c, l->type, &expected))
			add(out, e->name, e->table, "column", c->name, "type", expected, l->type ? l->type : "");
		/* key columns: SQLite may not mark them NOT NULL (they cannot be NULL in rex's tables) */
		if (!is_pk(e, c->name) && c->nullable == l->notnull)
			add(out, e->name, e->table, "column", c->name, "nullable",
				c->nullable ? "null" : "not null", l->notnull ? "not null" : "null");
	}
	for (i = 0; i < t->ncolumns; i++)
		if (rex_entity_column(e, t->columns[i].name) == NULL)
		{
			int			k;
			bool		known = false;

			for (k = 0; k < e->ncolumns; k++)
				known = known || rex_ident_equal(e->columns[k].name, t->columns[i].name);
			if (!known)
				add(out, e->name, e->table, "column", t->columns[i].name, "unexpected", NULL,
					t->columns[i].type);
		}
}

static bool
same_columns(const rex_index *x, const rex_live_index *l)
{
	int			i;

	if (x->ncolumns != l->ncolumns || x->unique != l->unique)
		return false;
	for (i = 0; i < x->ncolumns; i++)
		if (!rex_ident_equal(x->columns[i], l->columns[i]))
			return false;
	return true;
}

static const char *
columns_text(rex_ctx *ctx, const char **cols, int n, bool unique)
{
	json_t	   *a = rex_json_own(ctx, json_array());
	int			i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(cols[i]));
	return rex_psprintf(ctx, "%s%s", unique ? "unique " : "",
						a ? rex_json_text(ctx, a, REX_JSON_OUTPUT) : "");
}

static void
indexes(rex_ctx *ctx, const rex_entity *e, const rex_live_table *t, json_t *out)
{
	bool	   *used = rex_alloc0(ctx, sizeof(bool) * (size_t) (t->nindexes + 1));
	int			i,
				k;

	if (used == NULL)
		return;
	for (i = 0; i < e->nindexes; i++)
	{
		const rex_index *x = &e->indexes[i];
		int			found = -1;

		for (k = 0; k < t->nindexes; k++)
			if (rex_ident_equal(t->indexes[k].name, x->name))
				found = k;
		if (found < 0)
			for (k = 0; k < t->nindexes; k++)
				if (!used[k] && t->indexes[k].constraint && !t->indexes[k].primary &&
					strncmp(t->indexes[k].name, "sqlite_autoindex_", 17) == 0 &&
					same_columns(x, &t->indexes[k]))
					found = k;
		if (found < 0)
		{
			add(out, e->name, e->table, "index", x->name, "missing",
				columns_text(ctx, x->columns, x->ncolumns, x->unique), NULL);
			continue;
		}
		used[found] = true;
		if (!same_columns(x, &t->indexes[found]))
			add(out, e->name, e->table, "index", x->name, "definition",
				columns_text(ctx, x->columns, x->ncolumns, x->unique),
				columns_text(ctx, t->indexes[found].columns, t->indexes[found].ncolumns,
							 t->indexes[found].unique));
	}
	for (k = 0; k < t->nindexes; k++)
	{
		const rex_live_index *l = &t->indexes[k];

		if (used[k] || l->primary || l->expression)
			continue;
		add(out, e->name, e->table, "index", l->name, "unexpected", NULL,
			columns_text(ctx, l->columns, l->ncolumns, l->unique));
	}
}

rex_status
rex_drift(rex_ctx *ctx, rex_entity_row *rows, int n, json_t **out)
{
	int			i;
	rex_status	st;

	*out = rex_json_own(ctx, json_array());
	if (*out == NULL)
		return ctx->err.status;
	for (i = 0; i < n; i++)
	{
		rex_entity *e;
		rex_live_table t;
		bool		exists;

		if (rows[i].applied == NULL)
			continue;
		if ((st = rex_definition_from_json(ctx, rows[i].name, rows[i].applied, &e)) != REX_OK ||
			(st = rex_live_read(ctx, rows[i].schema, e->table, &t, &exists)) != REX_OK)
			return st;
		if (!exists)
		{
			add(*out, e->name, e->table, "table", e->table, "missing", NULL, NULL);
			continue;
		}
		columns(ctx, e, &t, *out);
		indexes(ctx, e, &t, *out);
	}
	return REX_OK;
}
