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
 * sqlite_autoindex) counts as the unique index it stands for.  The
 * applied definitions are resolved together (relations.h), so the
 * foreign-key columns, indexes and constraints that relations imply are
 * expected too, and join tables are compared like entities' tables (their
 * differences belong to the entity that declares them): every foreign key
 * exists on its column, to the same table with the same ON DELETE, and no
 * other is there.  Nothing here changes the database.
 */
#include "drift.h"
#include "ident.h"
#include "introspect.h"
#include "json_util.h"
#include "relations.h"
#include "rex_buf.h"

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
columns(rex_ctx *ctx, const char *entity, const rex_entity *e, const rex_live_table *t,
		json_t *out)
{
	int			i;

	for (i = 0; i < e->ncolumns; i++)
	{
		const rex_column *c = &e->columns[i];
		const rex_live_column *l = live_column(t, c->name);
		const char *expected = NULL;

		if (l == NULL)
		{
			add(out, entity, e->table, "column", c->name, "missing", NULL, NULL);
			continue;
		}
		if (!rex_live_type_matches(ctx, c, l->type, &expected))
			add(out, entity, e->table, "column", c->name, "type", expected, l->type ? l->type : "");
		/* key columns: SQLite may not mark them NOT NULL (they cannot be NULL in rex's tables) */
		if (!is_pk(e, c->name) && c->nullable == l->notnull)
			add(out, entity, e->table, "column", c->name, "nullable",
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
				add(out, entity, e->table, "column", t->columns[i].name, "unexpected", NULL,
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
indexes(rex_ctx *ctx, const char *entity, const rex_entity *e, const rex_live_table *t,
		json_t *out)
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
			add(out, entity, e->table, "index", x->name, "missing",
				columns_text(ctx, x->columns, x->ncolumns, x->unique), NULL);
			continue;
		}
		used[found] = true;
		if (!same_columns(x, &t->indexes[found]))
			add(out, entity, e->table, "index", x->name, "definition",
				columns_text(ctx, x->columns, x->ncolumns, x->unique),
				columns_text(ctx, t->indexes[found].columns, t->indexes[found].ncolumns,
							 t->indexes[found].unique));
	}
	for (k = 0; k < t->nindexes; k++)
	{
		const rex_live_index *l = &t->indexes[k];

		if (used[k] || l->primary || l->expression)
			continue;
		add(out, entity, e->table, "index", l->name, "unexpected", NULL,
			columns_text(ctx, l->columns, l->ncolumns, l->unique));
	}
}

/* "a" or "a, b" */
static const char *
column_list(rex_ctx *ctx, const char **cols, int n)
{
	rex_buf		b;
	int			i;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "");
	for (i = 0; i < n; i++)
		rex_buf_printf(&b, "%s%s", i ? ", " : "", cols[i]);
	return rex_buf_ok(&b) ? b.data : "";
}

static const char *
fk_text(rex_ctx *ctx, const char *column, const char *table, const char *on_delete)
{
	return rex_psprintf(ctx, "%s -> %s on delete %s", column, table, on_delete);
}

static void
foreign_keys(rex_ctx *ctx, const char *entity, const rex_entity *e, const rex_live_table *t,
			 json_t *out)
{
	bool	   *used = rex_alloc0(ctx, sizeof(bool) * (size_t) (t->nfks + 1));
	int			i,
				k;

	if (used == NULL)
		return;
	for (i = 0; i < e->nfkeys; i++)
	{
		const rex_foreign_key *fk = &e->fkeys[i];
		const char *want = fk_text(ctx, fk->column, fk->ref_table, rex_fk_action_names[fk->on_delete]);
		int			found = -1;

		for (k = 0; k < t->nfks && found < 0; k++)
			if (!used[k] && t->fks[k].ncolumns == 1 && rex_ident_equal(t->fks[k].columns[0], fk->column))
				found = k;
		if (found < 0)
		{
			add(out, entity, e->table, "foreign_key", fk->name, "missing", want, NULL);
			continue;
		}
		used[found] = true;
		if (!rex_ident_equal(t->fks[found].ref_table, fk->ref_table) ||
			strcmp(t->fks[found].on_delete, rex_fk_action_names[fk->on_delete]) != 0)
			add(out, entity, e->table, "foreign_key", fk->name, "definition", want,
				fk_text(ctx, fk->column, t->fks[found].ref_table, t->fks[found].on_delete));
	}
	for (k = 0; k < t->nfks; k++)
	{
		const rex_live_fk *l = &t->fks[k];
		const char *cols = column_list(ctx, l->columns, l->ncolumns);

		if (used[k])
			continue;
		add(out, entity, e->table, "foreign_key", l->name ? l->name : cols, "unexpected", NULL,
			fk_text(ctx, cols, l->ref_table, l->on_delete));
	}
}

/* Compares entity e (or a join table of 'entity') with its live table. */
static rex_status
compare(rex_ctx *ctx, const char *entity, const rex_entity *e, json_t *out)
{
	rex_live_table t;
	bool		exists;
	rex_status	st;

	if ((st = rex_live_read(ctx, e->schema, e->table, &t, &exists)) != REX_OK)
		return st;
	if (!exists)
	{
		add(out, entity, e->table, "table", e->table, "missing", NULL, NULL);
		return REX_OK;
	}
	columns(ctx, entity, e, &t, out);
	indexes(ctx, entity, e, &t, out);
	foreign_keys(ctx, entity, e, &t, out);
	return REX_OK;
}

rex_status
rex_drift(rex_ctx *ctx, rex_entity_row *rows, int n, json_t **out)
{
	rex_schema	s;
	int			i;
	rex_status	st;

	*out = rex_json_own(ctx, json_array());
	if (*out == NULL)
		return ctx->err.status;
	memset(&s, 0, sizeof(s));
	s.entities = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) (n + 1));
	s.applied = rex_alloc0(ctx, sizeof(bool) * (size_t) (n + 1));
	if (s.entities == NULL || s.applied == NULL)
		return rex_error_nomem(ctx);
	s.lenient = true;
	for (i = 0; i < n; i++)
	{
		rex_entity *e;

		if (rows[i].applied == NULL)
			continue;
		if ((st = rex_definition_from_json(ctx, rows[i].name, rows[i].applied, &e)) != REX_OK)
			return st;
		e->schema = rows[i].schema;
		s.applied[s.n] = true;
		s.entities[s.n++] = e;
	}
	if ((st = rex_schema_resolve(ctx, &s)) != REX_OK)
		return st;
	for (i = 0; i < s.n; i++)
		if ((st = compare(ctx, s.entities[i]->name, s.entities[i], *out)) != REX_OK)
			return st;
	for (i = 0; i < s.njoins; i++)
		if ((st = compare(ctx, rex_strndup(ctx, s.joins[i]->join_of,
										   strcspn(s.joins[i]->join_of, ".")),
						  s.joins[i], *out)) != REX_OK)
			return st;
	return REX_OK;
}
