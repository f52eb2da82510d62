/*
 * baseline.c
 *		baseline(): registers existing tables that rex did not create as
 *		entities, read from the live schema.
 *
 * SQL function defined here (through rex_api.h):
 *	 baseline(options jsonb default '{}') -> jsonb
 *		options: {"tables": ["a", "b"]} (default: every table of the
 *		schema -- rex.schema on PostgreSQL, main on SQLite -- that no
 *		entity uses).  Answers {"status", "version", "entities": [...],
 *		"skipped": [...]}: each entity with its definition, the relations
 *		its foreign keys imply and warnings; each skipped table with the
 *		reason.  The entities are recorded as already migrated (applied =
 *		definition) in one history row of kind "baseline"; later changes
 *		go through plan()/migrate() like any other.  Rolling the baseline
 *		back forgets the entities and changes no table.
 *
 * A table is registered only when its definition says everything rex
 * needs to change it safely later; otherwise it is skipped, named, with
 * the reason -- never half-represented:
 *	 types: PostgreSQL bigint (an identity or bigserial primary key
 *	   becomes "id"), integer, uuid, varchar(n), text, double precision,
 *	   numeric(p,s), boolean, timestamptz, date, jsonb, bytea; SQLite by
 *	   type affinity: INTEGER (an INTEGER PRIMARY KEY becomes "id"), TEXT,
 *	   REAL, BLOB.  Any other type (smallint, timestamp without time
 *	   zone, NUMERIC affinity, no declared type...) skips the table.
 *	 defaults: constants, now()/CURRENT_TIMESTAMP/CURRENT_DATE for
 *	   timestamp and date, gen_random_uuid() for a uuid key; any other
 *	   expression skips the table.
 *	 generated columns, partitioned, inherited, virtual and WITHOUT ROWID
 *	   tables, and (SQLite) CHECK constraints -- a rebuild would lose
 *	   them -- skip the table.  PostgreSQL keeps its CHECK constraints
 *	   through every ALTER: registered, with a warning.
 *	 indexes: plain and unique ones become "indexes" (keeping their
 *	   names); SQLite UNIQUE constraints become "unique"; indexes on
 *	   expressions and partial ones stay as they are, outside the
 *	   definition (a SQLite rebuild recreates them), with a warning.
 *	 foreign keys: reported as relations in the DESIGN format
 *	   ({"kind": "belongs_to", "entity", "foreign_key", "on_delete"}) but
 *	   not recorded -- definitions do not accept "relations" until that
 *	   feature is merged; on SQLite a change that needs a rebuild of such
 *	   a table is refused until then.
 */
#include "catalog.h"
#include "defparse.h"
#include "entity_ops.h"
#include "history.h"
#include "ident.h"
#include "introspect.h"
#include "json_util.h"
#include "relations.h"
#include "rex_api.h"
#include "rex_dialect.h"
#include "runner.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BASELINE_LOCK_TIMEOUT_MS 10000

/* A table that can be registered. */
typedef struct candidate
{
	rex_live_table t;
	json_t	   *def;			/* its definition, relations added later */
	json_t	   *warnings;
	rex_entity *e;				/* parsed, without relations */
} candidate;

typedef struct baseline_call
{
	json_t	   *tables;			/* requested names, or NULL for all */
	json_t	   *entities;		/* answer: registered */
	json_t	   *skipped;		/* answer: skipped, with reasons */
	json_t	   *ops;
	json_t	   *migrations;
	const char *version;
	candidate  *cands;
	int			ncands;
	rex_entity_row *rows;		/* the entities there are already */
	int			nrows;
} baseline_call;

/* ---------------------------------------------------------------- */
/* types */

static bool
is_sole_pk(const rex_live_table *t, const rex_live_column *c)
{
	int			i,
				n = 0;

	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].pk)
			n++;
	return c->pk == 1 && n == 1;
}

/* PostgreSQL: fills col with "type" (and options); NULL or why not. */
static const char *
type_pg(rex_ctx *ctx, const rex_live_table *t, const rex_live_column *c, json_t *col,
		json_t *warnings)
{
	const char *ty = c->type ? c->type : "";
	int			p,
				s;
	char		tail;
	static const char *const simple[][2] = {
		{"integer", "integer"}, {"bigint", "bigint"}, {"uuid", "uuid"}, {"text", "text"},
		{"character varying", "string"}, {"double precision", "float"}, {"numeric", "decimal"},
		{"boolean", "boolean"}, {"timestamp with time zone", "timestamp"}, {"date", "date"},
		{"jsonb", "json"}, {"bytea", "bytes"}, {NULL, NULL}
	};
	int			i;

	if (strcmp(ty, "bigint") == 0 && is_sole_pk(t, c) &&
		(c->identity || (c->default_sql && strncmp(c->default_sql, "nextval(", 8) == 0)))
	{
		json_object_set_new(col, "type", json_string("id"));
		if (!c->identity)
			json_array_append_new(warnings, json_string(rex_psprintf(ctx,
																	 "column \"%s\": a bigserial key is registered as id; new ids still come from its sequence", c->name)));
		return NULL;
	}
	if (sscanf(ty, "character varying(%d)%c", &p, &tail) == 1)
	{
		json_object_set_new(col, "type", json_string("string"));
		json_object_set_new(col, "max_length", json_integer(p));
		return NULL;
	}
	if (sscanf(ty, "numeric(%d,%d)%c", &p, &s, &tail) == 2)
	{
		json_object_set_new(col, "type", json_string("decimal"));
		json_object_set_new(col, "precision", json_integer(p));
		json_object_set_new(col, "scale", json_integer(s));
		return NULL;
	}
	for (i = 0; simple[i][0]; i++)
		if (strcmp(ty, simple[i][0]) == 0)
		{
			json_object_set_new(col, "type", json_string(simple[i][1]));
			return NULL;
		}
	return rex_psprintf(ctx, "column \"%s\" has type %s, which has no rex type", c->name, ty);
}

/* SQLite: by type affinity. */
static const char *
type_sqlite(rex_ctx *ctx, const rex_live_table *t, const rex_live_column *c, json_t *col,
			json_t *warnings)
{
	const char *ty = c->type ? c->type : "";

	switch (rex_sqlite_affinity(ty))
	{
		case 'I':
			if (strcasecmp(ty, "INTEGER") == 0 && is_sole_pk(t, c))
			{
				json_object_set_new(col, "type", json_string("id"));
				if (!t->autoincrement)
					json_array_append_new(warnings, json_string(rex_psprintf(ctx,
																			 "column \"%s\": an INTEGER PRIMARY KEY without AUTOINCREMENT is registered as id; "
																			 "a rebuild adds AUTOINCREMENT (ids are then never reused)", c->name)));
				return NULL;
			}
			json_object_set_new(col, "type", json_string("bigint"));
			return NULL;
		case 'T':
			json_object_set_new(col, "type", json_string("text"));
			return NULL;
		case 'R':
			json_object_set_new(col, "type", json_string("float"));
			return NULL;
		case 'B':
			if (*ty)
			{
				json_object_set_new(col, "type", json_string("bytes"));
				return NULL;
			}
			return rex_psprintf(ctx, "column \"%s\" has no declared type", c->name);
		default:
			return rex_psprintf(ctx, "column \"%s\" has type %s (NUMERIC affinity: its values may be "
								"numbers or text), which has no rex type", c->name, ty);
	}
}

/* ---------------------------------------------------------------- */
/* defaults */

/* Reads a leading 'quoted' literal; *rest points after it. NULL if none. */
static char *
quoted_literal(rex_ctx *ctx, const char *s, const char **rest)
{
	char	   *out = rex_alloc(ctx, strlen(s) + 1);
	size_t		n = 0;

	if (out == NULL || *s != '\'')
		return NULL;
	for (s++; *s; s++)
	{
		if (*s == '\'' && s[1] == '\'')
		{
			out[n++] = '\'';
			s++;
		}
		else if (*s == '\'')
		{
			out[n] = '\0';
			*rest = s + 1;
			return out;
		}
		else
			out[n++] = *s;
	}
	return NULL;
}

/* The JSON default for a literal of a rex type, or NULL. */
static json_t *
literal_default(const char *type, const char *text, bool was_quoted)
{
	char	   *end;

	if (strcmp(type, "integer") == 0 || strcmp(type, "bigint") == 0)
	{
		long long	v = strtoll(text, &end, 10);

		if (*text && *end == '\0')
			return json_integer(v);
		if (!was_quoted && (strcasecmp(text, "true") == 0 || strcasecmp(text, "false") == 0))
			return json_integer(strcasecmp(text, "true") == 0);
		return NULL;
	}
	if (strcmp(type, "float") == 0)
	{
		double		v = strtod(text, &end);

		return *text && *end == '\0' ? json_real(v) : NULL;
	}
	if (strcmp(type, "decimal") == 0)
		return json_string(text);
	if (strcmp(type, "boolean") == 0)
		return strcmp(text, "true") == 0 ? json_true() :
			strcmp(text, "false") == 0 ? json_false() : NULL;
	if (strcmp(type, "json") == 0)
		return was_quoted ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	if (strcmp(type, "text") == 0 || strcmp(type, "string") == 0 ||
		strcmp(type, "uuid") == 0 || strcmp(type, "date") == 0)
		return was_quoted ? json_string(text) : NULL;
	return NULL;
}

/* Sets col.default from the engine's default expression, or says why not. */
static const char *
map_default(rex_ctx *ctx, const rex_live_table *t, const rex_live_column *c, json_t *col)
{
	const char *type = json_string_value(json_object_get(col, "type"));
	const char *sql = c->default_sql;
	bool		is_pg = strcmp(ctx->dialect->name, "postgresql") == 0;
	const char *rest = "";
	const char *text;
	const char *cast;
	char	   *lit;
	json_t	   *v = NULL;

	if (sql == NULL || strcmp(type, "id") == 0 || strcasecmp(sql, "NULL") == 0)
		return NULL;
	/* SQLite's CURRENT_TIMESTAMP is not rex's text form, and it has no timestamp type */
	if (is_pg && ((strcmp(type, "timestamp") == 0 && strcmp(sql, "now()") == 0) ||
				  (strcmp(type, "date") == 0 && strcmp(sql, "CURRENT_DATE") == 0)))
	{
		json_object_set_new(col, "default", json_string("now"));
		return NULL;
	}
	if (strcmp(type, "uuid") == 0 && strcmp(sql, "gen_random_uuid()") == 0 && is_sole_pk(t, c))
		return NULL;			/* rex gives a uuid key this default itself */
	/* a constant, quoted or not, with PostgreSQL's cast after it: '12'::integer */
	if ((lit = quoted_literal(ctx, sql, &rest)) != NULL)
		v = *rest == '\0' || strncmp(rest, "::", 2) == 0 ? literal_default(type, lit, true) : NULL;
	else
	{
		cast = strstr(sql, "::");
		text = cast ? rex_strndup(ctx, sql, (size_t) (cast - sql)) : sql;
		v = text && strchr(text, '(') == NULL ? literal_default(type, text, false) : NULL;
	}
	if (v == NULL)
		return rex_psprintf(ctx, "column \"%s\" has the default %s, which a definition cannot express",
							c->name, sql);
	json_object_set_new(col, "default", v);
	return NULL;
}

/* ---------------------------------------------------------------- */
/* one table */

static json_t *
names_array(const char **names, int n)
{
	json_t	   *a = json_array();
	int			i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(names[i]));
	return a;
}

/* The definition JSON of a live table; *why says why it cannot be one. */
static json_t *
definition(rex_ctx *ctx, const rex_live_table *t, json_t *warnings, const char **why)
{
	json_t	   *def = json_object();
	json_t	   *cols = json_array();
	json_t	   *idx = json_array();
	json_t	   *pk = json_array();
	bool		is_pg = strcmp(ctx->dialect->name, "postgresql") == 0;
	int			i,
				k;

	json_object_set_new(def, "table", json_string(t->name));
	json_object_set_new(def, "columns", cols);
	*why = t->unsupported ? rex_psprintf(ctx, "it is %s", t->unsupported) : NULL;
	if (*why == NULL && t->nchecks > 0 && !is_pg)
		*why = "it has CHECK constraints, which a definition cannot express (a rebuild would lose them)";
	for (i = 0; *why == NULL && i < t->ncolumns; i++)
	{
		const rex_live_column *c = &t->columns[i];
		json_t	   *col = json_object();

		json_object_set_new(col, "name", json_string(c->name));
		json_array_append_new(cols, col);
		if (c->generated)
			*why = rex_psprintf(ctx, "column \"%s\" is generated", c->name);
		else if ((*why = is_pg ? type_pg(ctx, t, c, col, warnings)
				  : type_sqlite(ctx, t, c, col, warnings)) == NULL)
			*why = map_default(ctx, t, c, col);
		if (c->notnull && !c->pk)
			json_object_set_new(col, "nullable", json_false());
	}
	/* the key, in key order */
	for (k = 1; k <= t->ncolumns; k++)
		for (i = 0; i < t->ncolumns; i++)
			if (t->columns[i].pk == k)
				json_array_append_new(pk, json_string(t->columns[i].name));
	if (json_array_size(pk) == 0 && *why == NULL)
		*why = "it has no primary key (rex entities need one)";
	json_object_set_new(def, "primary_key", pk);
	if (is_pg && t->nchecks > 0)
		json_array_append_new(warnings, json_string(rex_psprintf(ctx,
																 "%d CHECK constraint%s stay%s in the table but not in the definition",
																 t->nchecks, t->nchecks == 1 ? "" : "s", t->nchecks == 1 ? "s" : "")));
	for (i = 0; i < t->nindexes; i++)
	{
		const rex_live_index *x = &t->indexes[i];
		json_t	   *o;

		if (x->primary)
			continue;
		if (x->expression)
		{
			json_array_append_new(warnings, json_string(rex_psprintf(ctx,
																	 "index \"%s\" (on expressions, or partial) is left as it is, outside the definition", x->name)));
			continue;
		}
		if (x->constraint && strncmp(x->name, "sqlite_autoindex_", 17) == 0 && x->ncolumns == 1)
		{
			for (k = 0; k < (int) json_array_size(cols); k++)
			{
				json_t	   *col = json_array_get(cols, (size_t) k);

				if (strcmp(json_string_value(json_object_get(col, "name")), x->columns[0]) == 0)
					json_object_set_new(col, "unique", json_true());
			}
			continue;
		}
		o = json_object();
		if (strncmp(x->name, "sqlite_autoindex_", 17) != 0)
			json_object_set_new(o, "name", json_string(x->name));
		json_object_set_new(o, "columns", names_array(x->columns, x->ncolumns));
		json_object_set_new(o, "unique", json_boolean(x->unique));
		json_array_append_new(idx, o);
	}
	json_object_set_new(def, "indexes", idx);
	return rex_json_own(ctx, def);
}

/* Whether some entity already uses the table (or the name). */
static bool
managed(rex_entity_row *rows, int n, const char *table)
{
	int			i;

	for (i = 0; i < n; i++)
		if (rex_ident_equal(rows[i].table, table) || rex_ident_equal(rows[i].name, table))
			return true;
	return false;
}

static void
skip(baseline_call *bc, const char *table, const char *reason)
{
	json_t	   *o = json_object();

	json_object_set_new(o, "table", json_string(table));
	json_object_set_new(o, "reason", json_string(reason));
	json_array_append_new(bc->skipped, o);
}

/* Reads one table: a candidate, or skipped with the reason. */
static rex_status
one_table(rex_ctx *ctx, baseline_call *bc, const char *table)
{
	candidate  *c = &bc->cands[bc->ncands];
	json_t	   *canon;
	const char *why;
	const char *text;
	bool		exists;
	rex_status	st;

	memset(c, 0, sizeof(*c));
	if ((c->warnings = rex_json_own(ctx, json_array())) == NULL)
		return ctx->err.status;
	if ((st = rex_live_read(ctx, ctx->table_schema, table, &c->t, &exists)) != REX_OK)
		return st;
	if (!exists)
	{
		skip(bc, table, "no such table");
		return REX_OK;
	}
	if ((c->def = definition(ctx, &c->t, c->warnings, &why)) == NULL)
		return ctx->err.status;
	if (why)
	{
		skip(bc, table, why);
		return REX_OK;
	}
	if ((text = rex_json_text(ctx, c->def, REX_JSON_CANONICAL)) == NULL)
		return ctx->err.status;
	if ((st = rex_definition_parse(ctx, c->t.name, text, &c->e, &canon)) != REX_OK)
	{
		if (st != REX_ERR_DEFINITION && st != REX_ERR_UNSUPPORTED)
			return st;
		skip(bc, table, ctx->err.message);
		rex_error_clear(ctx);
		return REX_OK;
	}
	bc->ncands++;
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* foreign keys as relations */

/* The entity (already there, or registered now) whose table is 'table'. */
static const rex_entity *
entity_of_table(rex_ctx *ctx, baseline_call *bc, const char *schema, const char *table)
{
	int			i;

	if (schema && strcmp(schema, ctx->table_schema ? ctx->table_schema : "public") != 0)
		return NULL;
	for (i = 0; i < bc->ncands; i++)
		if (rex_ident_equal(bc->cands[i].e->table, table))
			return bc->cands[i].e;
	for (i = 0; i < bc->nrows; i++)
	{
		rex_entity *e;

		if (bc->rows[i].applied == NULL || bc->rows[i].dropped ||
			!rex_ident_equal(bc->rows[i].table, table) ||
			(schema && bc->rows[i].schema && strcmp(bc->rows[i].schema, schema) != 0))
			continue;
		if (rex_definition_from_json(ctx, bc->rows[i].name, bc->rows[i].applied, &e) != REX_OK)
		{
			rex_error_clear(ctx);
			return NULL;
		}
		return e;
	}
	return NULL;
}

/* True when column 'col' of e is its one-column key or unique. */
static bool
is_key(const rex_entity *e, const char *col)
{
	int			i;

	if (e->npk == 1 && rex_ident_equal(e->primary_key[0], col))
		return true;
	for (i = 0; i < e->nindexes; i++)
		if (e->indexes[i].unique && e->indexes[i].ncolumns == 1 &&
			rex_ident_equal(e->indexes[i].columns[0], col))
			return true;
	return false;
}

/* A relation name for foreign key column 'col' not taken in e: author_id -> author. */
static const char *
relation_name(rex_ctx *ctx, const rex_entity *e, json_t *rels, const char *col,
			  const char *target)
{
	size_t		len = strlen(col);
	const char *tries[3];
	int			i;
	const char *key;
	json_t	   *v;

	tries[0] = len > 3 && strcmp(col + len - 3, "_id") == 0 ? rex_strndup(ctx, col, len - 3) : NULL;
	tries[1] = target;
	tries[2] = rex_psprintf(ctx, "%s_ref", col);
	for (i = 0; i < 3; i++)
	{
		bool		taken = tries[i] == NULL || rex_entity_column(e, tries[i]) != NULL ||
			rex_ident_problem(tries[i], REX_IDENT_COLUMN) != NULL;

		json_object_foreach(rels, key, v)
			taken = taken || rex_ident_equal(key, tries[i]);
		if (!taken)
			return tries[i];
	}
	return NULL;
}

/* Why foreign key f of candidate c cannot be a relation, or NULL; fills *rel. */
static const char *
fk_relation(rex_ctx *ctx, baseline_call *bc, candidate *c, const rex_live_fk *f,
			json_t *rels, json_t **rel, const char **name)
{
	const rex_entity *target = entity_of_table(ctx, bc, f->ref_schema, f->ref_table);
	const rex_column *col;
	const rex_column *key;
	const char *ref;
	rex_type	want;

	*rel = NULL;
	if (f->ncolumns != 1)
		return rex_psprintf(ctx, "it spans %d columns", f->ncolumns);
	if (target == NULL)
		return rex_psprintf(ctx, "table \"%s\" is not an entity (baseline it too)", f->ref_table);
	col = rex_entity_column(c->e, f->columns[0]);
	ref = f->ref_columns && f->ref_columns[0] ? f->ref_columns[0] :
		target->npk == 1 ? target->primary_key[0] : NULL;
	key = ref ? rex_entity_column(target, ref) : NULL;
	if (col == NULL || key == NULL || !is_key(target, key->name))
		return rex_psprintf(ctx, "it does not refer to the primary key or a unique column of \"%s\"",
							f->ref_table);
	want = key->type == REX_T_ID ? REX_T_BIGINT : key->type;
	if (col->type == REX_T_ID)
		return rex_psprintf(ctx, "column \"%s\" is the table's own generated key", col->name);
	if (col->type != want || col->max_length != key->max_length ||
		col->precision != key->precision || col->scale != key->scale)
		return rex_psprintf(ctx, "column \"%s\" is %s, but \"%s.%s\" is %s", col->name,
							rex_type_names[col->type], target->table, key->name,
							rex_type_names[key->type]);
	if (strcmp(f->on_delete, "set_default") == 0 || strcmp(f->on_update, "set_default") == 0)
		return "rex has no set_default action";
	if (!col->nullable && (strcmp(f->on_delete, "set_null") == 0 || strcmp(f->on_update, "set_null") == 0))
		return rex_psprintf(ctx, "it sets NULL in column \"%s\", which is NOT NULL", col->name);
	if ((*name = relation_name(ctx, c->e, rels, col->name, target->name)) == NULL)
		return "no free relation name";
	*rel = json_object();
	json_object_set_new(*rel, "kind", json_string("belongs_to"));
	json_object_set_new(*rel, "entity", json_string(target->name));
	json_object_set_new(*rel, "foreign_key", json_string(col->name));
	if (target->npk != 1 || strcmp(target->primary_key[0], key->name) != 0)
		json_object_set_new(*rel, "references", json_string(key->name));
	json_object_set_new(*rel, "on_delete", json_string(f->on_delete));
	json_object_set_new(*rel, "on_update", json_string(f->on_update));
	return NULL;
}

/* The relations of candidate c's foreign keys, added to its definition. */
static rex_status
add_relations(rex_ctx *ctx, baseline_call *bc, candidate *c)
{
	bool		is_pg = strcmp(ctx->dialect->name, "postgresql") == 0;
	json_t	   *rels = json_object();
	int			i;

	if (rels == NULL)
		return rex_error_nomem(ctx);
	for (i = 0; i < c->t.nfks; i++)
	{
		const rex_live_fk *f = &c->t.fks[i];
		json_t	   *rel;
		const char *name = NULL;
		const char *why = fk_relation(ctx, bc, c, f, rels, &rel, &name);
		const char *rex_name;

		if (why)
		{
			json_array_append_new(c->warnings, json_string(rex_psprintf(ctx,
				"the foreign key of %s to \"%s\" stays in the table but not in the definition: %s%s",
				f->ncolumns == 1 ? f->columns[0] : "several columns", f->ref_table, why,
				is_pg ? "" : " (a change that needs a rebuild of the table is refused: it would lose the key)")));
			continue;
		}
		json_object_set_new(rels, name, rel);
		rex_name = rex_name_fit(ctx, rex_psprintf(ctx, "%s_%s_fkey", c->t.name, f->columns[0]));
		if (is_pg && f->name && rex_name && strcmp(f->name, rex_name) != 0)
			json_array_append_new(c->warnings, json_string(rex_psprintf(ctx,
				"relation \"%s\": the constraint is named \"%s\", not \"%s\" as rex names it: a later "
				"change of the relation fails until it is renamed (ALTER TABLE ... RENAME CONSTRAINT)",
				name, f->name, rex_name)));
	}
	if (json_object_size(rels))
		json_object_set_new(c->def, "relations", rels);
	else
		json_decref(rels);
	return REX_OK;
}

/*
 * The entities resolved together with those there are already: the
 * indexes their relations need that the tables do not have are created.
 */
static rex_status
fk_indexes(rex_ctx *ctx, baseline_call *bc, rex_entity **parsed, rex_plan *plan,
		   json_t **created)
{
	rex_schema	s;
	int			i,
				k;
	rex_status	st;

	memset(&s, 0, sizeof(s));
	s.entities = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) (bc->nrows + bc->ncands + 1));
	s.applied = rex_alloc0(ctx, sizeof(bool) * (size_t) (bc->nrows + bc->ncands + 1));
	if (s.entities == NULL || s.applied == NULL)
		return rex_error_nomem(ctx);
	for (i = 0; i < bc->nrows; i++)
	{
		rex_entity *e;

		if (bc->rows[i].applied == NULL)
			continue;
		if ((st = rex_definition_from_json(ctx, bc->rows[i].name, bc->rows[i].applied, &e)) != REX_OK)
			return st;
		e->schema = bc->rows[i].schema;
		s.applied[s.n] = true;
		s.entities[s.n++] = e;
	}
	for (i = 0; i < bc->ncands; i++)
		if (parsed[i])
		{
			parsed[i]->schema = ctx->table_schema;
			s.applied[s.n] = true;
			s.entities[s.n++] = parsed[i];
		}
	s.lenient = true;
	if ((st = rex_schema_resolve(ctx, &s)) != REX_OK)
		return st;
	for (i = 0; i < bc->ncands; i++)
	{
		const rex_entity *e = parsed[i];

		created[i] = NULL;
		for (k = 0; e && k < e->nindexes; k++)
		{
			const rex_index *ix = &e->indexes[k];
			bool		known = false;
			rex_step   *step;
			int			j;

			for (j = 0; j < bc->cands[i].e->nindexes; j++)
				known = known || rex_ident_equal(bc->cands[i].e->indexes[j].name, ix->name);
			if (known)
				continue;
			if ((step = rex_plan_add(ctx, plan, e->name, "create_index")) == NULL)
				return ctx->err.status;
			step->sql = rex_ddl_create_index(ctx, e->schema, e, ix);
			step->sql_down = rex_ddl_drop_index(ctx, e->schema, ix);
			step->reversible = true;
			if (step->sql == NULL || step->sql_down == NULL)
				return rex_error_nomem(ctx);
			if (created[i] == NULL && (created[i] = rex_json_own(ctx, json_array())) == NULL)
				return ctx->err.status;
			json_array_append_new(created[i], json_string(ix->name));
			json_array_append_new(bc->cands[i].warnings, json_string(rex_psprintf(ctx,
				"index \"%s\" is created: every foreign key of rex has an index", ix->name)));
		}
	}
	return REX_OK;
}

/* Relations, then the answer and the ops, for every candidate. */
static rex_status
register_candidates(rex_ctx *ctx, baseline_call *bc, rex_plan *plan)
{
	rex_entity **parsed = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) (bc->ncands + 1));
	json_t	  **canon = rex_alloc0(ctx, sizeof(json_t *) * (size_t) (bc->ncands + 1));
	json_t	  **created = rex_alloc0(ctx, sizeof(json_t *) * (size_t) (bc->ncands + 1));
	int			i;
	rex_status	st;

	if (parsed == NULL || canon == NULL || created == NULL)
		return rex_error_nomem(ctx);
	for (i = 0; i < bc->ncands; i++)
		if ((st = add_relations(ctx, bc, &bc->cands[i])) != REX_OK)
			return st;
	for (i = 0; i < bc->ncands; i++)
	{
		candidate  *c = &bc->cands[i];
		const char *text = rex_json_text(ctx, c->def, REX_JSON_CANONICAL);

		if (text == NULL)
			return ctx->err.status;
		if ((st = rex_definition_parse(ctx, c->t.name, text, &parsed[i], &canon[i])) != REX_OK)
			return st;
	}
	if ((st = fk_indexes(ctx, bc, parsed, plan, created)) != REX_OK)
		return st;
	for (i = 0; i < bc->ncands; i++)
	{
		candidate  *c = &bc->cands[i];
		json_t	   *rels = json_object_get(canon[i], "relations");
		json_t	   *o = json_object();

		json_object_set_new(o, "entity", json_string(c->e->name));
		json_object_set_new(o, "table", json_string(c->e->table));
		json_object_set(o, "definition", canon[i]);
		json_object_set_new(o, "relations", rels ? json_incref(rels) : json_object());
		json_object_set(o, "warnings", c->warnings);
		json_array_append_new(bc->entities, o);
		o = json_object();
		json_object_set_new(o, "op", json_string("baseline_entity"));
		json_object_set_new(o, "entity", json_string(c->e->name));
		json_object_set(o, "definition", canon[i]);
		if (created[i])
			json_object_set(o, "created_indexes", created[i]);
		json_array_append_new(bc->ops, o);
	}
	return REX_OK;
}

/* Catalog: the baselined entities, already migrated. */
static rex_status
record_entities(rex_ctx *ctx, void *arg)
{
	json_t	   *ops = arg;
	size_t		i;
	rex_status	st;

	for (i = 0; i < json_array_size(ops); i++)
	{
		json_t	   *op = json_array_get(ops, i);
		json_t	   *def = json_object_get(op, "definition");
		rex_entity_row row;

		memset(&row, 0, sizeof(row));
		row.name = json_string_value(json_object_get(op, "entity"));
		row.table = json_string_value(json_object_get(def, "table"));
		row.schema = ctx->table_schema;
		row.definition = def;
		row.version = 1;
		if ((st = rex_catalog_insert_entity(ctx, &row)) != REX_OK ||
			(st = rex_catalog_mark_applied(ctx, row.name)) != REX_OK)
			return st;
	}
	return REX_OK;
}

static rex_status
baseline_body(rex_ctx *ctx, rex_session *s, void *arg)
{
	baseline_call *bc = arg;
	rex_entity_row *rows;
	const char **tables;
	json_t	   *content;
	rex_plan	plan;
	rex_unit	u;
	bool		failed;
	int			n,
				ntables,
				i;
	rex_status	st;

	(void) s;
	bc->entities = rex_json_own(ctx, json_array());
	bc->skipped = rex_json_own(ctx, json_array());
	bc->ops = rex_json_own(ctx, json_array());
	bc->migrations = rex_json_own(ctx, json_array());
	if (bc->migrations == NULL)
		return ctx->err.status;
	if ((st = rex_catalog_entities(ctx, &rows, &n)) != REX_OK)
		return st;
	bc->rows = rows;
	bc->nrows = n;
	memset(&plan, 0, sizeof(plan));
	if (bc->tables)
	{
		ntables = (int) json_array_size(bc->tables);
		tables = rex_alloc0(ctx, sizeof(char *) * (size_t) (ntables + 1));
		if (tables == NULL)
			return ctx->err.status;
		for (i = 0; i < ntables; i++)
			tables[i] = json_string_value(json_array_get(bc->tables, (size_t) i));
	}
	else if ((st = rex_live_list(ctx, ctx->table_schema, &tables, &ntables)) != REX_OK)
		return st;
	if ((bc->cands = rex_alloc0(ctx, sizeof(candidate) * (size_t) (ntables + 1))) == NULL)
		return ctx->err.status;
	for (i = 0; i < ntables; i++)
	{
		if (managed(rows, n, tables[i]))
		{
			if (bc->tables)
				skip(bc, tables[i], "an entity already uses it");
			continue;
		}
		if ((st = one_table(ctx, bc, tables[i])) != REX_OK)
			return st;
	}
	if ((st = register_candidates(ctx, bc, &plan)) != REX_OK)
		return st;
	if (json_array_size(bc->ops) == 0)
		return REX_OK;
	if ((content = rex_json_own(ctx, json_object())) == NULL)
		return ctx->err.status;
	json_object_set_new(content, "kind", json_string("baseline"));
	json_object_set(content, "ops", bc->ops);
	memset(&u, 0, sizeof(u));
	if ((st = rex_next_version(ctx, "baseline", &u.version)) != REX_OK)
		return st;
	bc->version = u.version;
	u.name = rex_entities_migration_name(ctx, bc->ops);
	u.kind = "baseline";
	u.plan = &plan;
	u.checksum = rex_history_checksum(ctx, content);
	u.ops = bc->ops;
	u.down_from_steps = true;
	u.state_ok = "applied";
	u.record = true;
	u.strict = true;
	u.after = record_entities;
	u.after_arg = bc->ops;
	if (u.name == NULL || u.checksum == NULL)
		return ctx->err.status;
	return rex_run_unit(ctx, &u, bc->migrations, &failed);
}

static rex_status
parse_options(rex_ctx *ctx, const char *text, baseline_call *bc)
{
	json_t	   *o;
	const char *key;
	json_t	   *v;
	size_t		i;

	if (text == NULL)
		return REX_OK;
	if ((o = rex_json_parse(ctx, text, "baseline options")) == NULL)
		return ctx->err.status;
	if (!json_is_object(o))
		return rex_error_set(ctx, REX_ERR_DEFINITION, "invalid baseline options: expected a JSON object");
	json_object_foreach(o, key, v)
	{
		if (strcmp(key, "tables") != 0)
		{
			rex_error_set(ctx, REX_ERR_DEFINITION, "invalid baseline option \"%s\": unknown option",
						  rex_shorten(ctx, key, 64));
			rex_error_hint(ctx, "Accepted options: tables (an array of table names).");
			return REX_ERR_DEFINITION;
		}
		for (i = 0; json_is_array(v) && i < json_array_size(v); i++)
			if (!json_is_string(json_array_get(v, i)))
				break;
		if (!json_is_array(v) || i < json_array_size(v))
			return rex_error_set(ctx, REX_ERR_DEFINITION,
								 "invalid baseline option \"tables\": expected an array of table names");
		bc->tables = v;
	}
	return REX_OK;
}

rex_status
rex_api_baseline(rex_ctx *ctx, const char *options, const char **out)
{
	baseline_call bc;
	json_t	   *answer;
	rex_status	st;

	memset(&bc, 0, sizeof(bc));
	if ((st = parse_options(ctx, options, &bc)) != REX_OK ||
		(st = rex_catalog_open(ctx, true, NULL)) != REX_OK ||
		(st = rex_session_run(ctx, BASELINE_LOCK_TIMEOUT_MS, baseline_body, &bc)) != REX_OK)
		return st;
	answer = rex_json_own(ctx, json_object());
	if (answer == NULL)
		return ctx->err.status;
	json_object_set_new(answer, "status", json_string(json_array_size(bc.ops) ? "baselined"
													  : "nothing_to_do"));
	json_object_set_new(answer, "version", bc.version ? json_string(bc.version) : json_null());
	json_object_set(answer, "entities", bc.entities);
	json_object_set(answer, "skipped", bc.skipped);
	*out = rex_json_text(ctx, answer, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}
