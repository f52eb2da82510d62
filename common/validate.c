/*
 * validate.c
 *		validate(entity, data) and explain_constraint(name).
 *
 * validate() checks a row given as a JSON object against the entity's
 * defined model (its desired definition, with the foreign-key columns
 * relations add): every column's type, nullability and rules, custom
 * validators included, and every key that is not a column.  It answers
 * [] or every violation at once, as {"path", "rule", "message"}, in
 * column order, unknown keys last in key order -- the same JSON on both
 * engines.  It does not look at other rows: uniqueness and references are
 * checked by the database when the row is written, and explain_constraint
 * words those errors.
 *
 * explain_constraint() takes a constraint name -- or a whole error
 * message of either engine, from which it picks the name -- and answers
 * {"constraint", "entity", "table", "field", "rule", "message"}.
 */
#include "catalog.h"
#include "relations.h"
#include "rex_api.h"
#include "rex_dialect.h"
#include "rules.h"
#include "validators.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every defined entity (not being dropped), as desired or, with
 * 'applied', every migrated entity as applied; resolved together,
 * leniently.
 */
static rex_status
load_schema(rex_ctx *ctx, rex_schema *s, bool applied)
{
	rex_entity_row *rows = NULL;
	bool		exists = true;
	int			n = 0,
				i;
	rex_status	st;

	memset(s, 0, sizeof(*s));
	if ((st = rex_catalog_open(ctx, false, &exists)) != REX_OK)
		return st;
	if (exists && (st = rex_catalog_entities(ctx, &rows, &n)) != REX_OK)
		return st;
	s->entities = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) (n + 1));
	s->applied = rex_alloc0(ctx, sizeof(bool) * (size_t) (n + 1));
	if (s->entities == NULL || s->applied == NULL)
		return rex_error_nomem(ctx);
	s->lenient = true;
	for (i = 0; i < n; i++)
	{
		json_t	   *def = applied ? rows[i].applied : rows[i].definition;
		rex_entity *e;

		if (applied ? def == NULL : rows[i].dropped)
			continue;
		if ((st = rex_definition_from_json(ctx, rows[i].name, def, &e)) != REX_OK)
			return st;
		e->schema = rows[i].schema;
		s->applied[s->n] = true;	/* nothing is created here */
		s->entities[s->n++] = e;
	}
	return rex_schema_resolve(ctx, s);
}

rex_status
rex_schema_load(rex_ctx *ctx, rex_schema *s)
{
	return load_schema(ctx, s, false);
}

rex_status
rex_schema_load_applied(rex_ctx *ctx, rex_schema *s)
{
	return load_schema(ctx, s, true);
}

static rex_status
unknown_entity(rex_ctx *ctx, const char *name)
{
	rex_error_set(ctx, REX_ERR_NOT_FOUND, "entity \"%s\" does not exist", rex_shorten(ctx, name, 64));
	rex_error_hint(ctx, "Define it first with define_entity(); entities() lists the defined ones.");
	return REX_ERR_NOT_FOUND;
}

/* Sorts keys for the "unknown field" violations. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Violations of keys of 'data' that are not columns of e. */
static rex_status
unknown_keys(rex_ctx *ctx, const rex_entity *e, json_t *data, json_t *out)
{
	const char **keys = rex_alloc0(ctx, sizeof(char *) * (json_object_size(data) + 1));
	const char *key;
	json_t	   *v;
	size_t		n = 0,
				i;
	rex_status	st;

	if (keys == NULL)
		return rex_error_nomem(ctx);
	json_object_foreach(data, key, v)
		if (rex_entity_column(e, key) == NULL || strcmp(rex_entity_column(e, key)->name, key) != 0)
			keys[n++] = key;
	qsort(keys, n, sizeof(char *), cmp_str);
	for (i = 0; i < n; i++)
	{
		const rex_relation *r = rex_entity_relation(e, keys[i]);
		const char *msg;

		if (r == NULL || strcmp(r->name, keys[i]) != 0)
			msg = rex_psprintf(ctx, "is not a field of %s", e->name);
		else if (r->kind == REX_REL_BELONGS_TO)
			msg = rex_psprintf(ctx, "is a relation: set \"%s\" instead", r->foreign_key);
		else if (r->kind == REX_REL_MANY_TO_MANY)
			msg = rex_psprintf(ctx, "is a relation: its links are rows of the join table \"%s\"",
							   r->through);
		else
			msg = rex_psprintf(ctx, "is a relation: set \"%s\" on the %s instead", r->foreign_key,
							   r->entity);

		if ((st = rex_violation(ctx, out, keys[i], "unknown", msg)) != REX_OK)
			return st;
	}
	return REX_OK;
}

rex_status
rex_api_validate(rex_ctx *ctx, const char *entity, const char *data, const char **out)
{
	rex_schema	s;
	rex_entity *e;
	json_t	   *d;
	json_t	   *v = rex_json_own(ctx, json_array());
	rex_status	st;
	int			i;

	if (v == NULL)
		return ctx->err.status;
	if ((d = rex_json_parse(ctx, data, "data")) == NULL)
		return ctx->err.status;
	if ((st = rex_schema_load(ctx, &s)) != REX_OK)
		return st;
	if ((e = rex_schema_entity(&s, entity)) == NULL)
		return unknown_entity(ctx, entity);
	if (!json_is_object(d))
		st = rex_violation(ctx, v, "", "type", rex_psprintf(ctx, "a %s is a JSON object of fields",
															 e->name));
	else
	{
		for (i = 0; i < e->ncolumns && st == REX_OK; i++)
		{
			const rex_column *c = &e->columns[i];
			json_t	   *x = json_object_get(d, c->name);
			size_t		before = json_array_size(v);

			st = rex_rules_check_value(ctx, e, c, x, v);
			if (st == REX_OK && x && !json_is_null(x) && json_array_size(v) == before)
				st = rex_validators_run(ctx, e, c, x, v);
		}
		if (st == REX_OK)
			st = unknown_keys(ctx, e, d, v);
	}
	if (st != REX_OK)
		return st;
	*out = rex_json_text(ctx, v, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}

/* ---------------------------------------------------------------- */
/* explain_constraint */

typedef struct explained
{
	const char *constraint;
	const char *entity;
	const char *table;
	const char *field;
	const char *rule;
	const char *message;
} explained;

/* The entity a table belongs to (join tables: their owner). */
static const char *
entity_of(rex_ctx *ctx, const rex_entity *e)
{
	const char *dot = e->join_of ? strchr(e->join_of, '.') : NULL;

	return dot ? rex_strndup(ctx, e->join_of, (size_t) (dot - e->join_of)) : e->name;
}

static bool
set(explained *x, const char *entity, const char *table, const char *field,
	const char *rule, const char *message)
{
	x->entity = entity;
	x->table = table;
	x->field = field;
	x->rule = rule;
	x->message = message;
	return true;
}

/* The CHECKs the SQLite dialect adds for a column's type. */
static bool
type_check(rex_ctx *ctx, const rex_entity *e, const rex_column *c, const char *name,
		   explained *x)
{
	static const char *const suffixes[] = {"type", "enum", "max_length"};
	json_t	   *probe = rex_json_own(ctx, json_array());
	size_t		i;

	for (i = 0; i < 3; i++)
	{
		const char *full = rex_psprintf(ctx, "%s_%s_%s", e->table, c->name, suffixes[i]);

		if (full && rex_ident_equal(rex_name_fit(ctx, full), name))
		{
			/* a value of the wrong type gives the type's own message */
			json_t	   *bad;

			if (c->type == REX_T_STRING)
				return set(x, entity_of(ctx, e), e->table, c->name, "max_length",
						   rex_psprintf(ctx, "must be at most %d characters long", c->max_length));
			bad = json_object();
			if (bad == NULL || probe == NULL)
				return false;
			rex_rules_check_value(ctx, e, c, bad, probe);
			json_decref(bad);
			return set(x, entity_of(ctx, e), e->table, c->name, suffixes[i],
					   json_array_size(probe) ?
					   json_string_value(json_object_get(json_array_get(probe, 0), "message")) :
					   "has a value of the wrong type");
		}
	}
	return false;
}

/* Looks for constraint 'name' in entity e. */
static bool
explain_in_inner(rex_ctx *ctx, const rex_entity *e, const char *name, explained *x)
{
	int			i,
				k;

	for (i = 0; i < e->ncolumns; i++)
	{
		const rex_column *c = &e->columns[i];

		for (k = 0; k < c->nrules; k++)
			if (rex_ident_equal(rex_rule_constraint_name(ctx, e->table, c, &c->rules[k]), name))
				return set(x, entity_of(ctx, e), e->table, c->name,
						   rex_rule_names[c->rules[k].kind], rex_validator_message(ctx, c, &c->rules[k]));
		if (type_check(ctx, e, c, name, x))
			return true;
	}
	for (i = 0; i < e->nfkeys; i++)
		if (rex_ident_equal(e->fkeys[i].name, name))
			return set(x, entity_of(ctx, e), e->table, e->fkeys[i].column, "relation",
					   rex_psprintf(ctx, "must refer to an existing %s (and a %s that other rows "
									"still refer to cannot be removed)", e->fkeys[i].ref_entity,
									e->fkeys[i].ref_entity));
	for (i = 0; i < e->nindexes; i++)
		if (e->indexes[i].unique && rex_ident_equal(e->indexes[i].name, name))
		{
			rex_buf		b;

			rex_buf_init(&b, ctx);
			for (k = 0; k < e->indexes[i].ncolumns; k++)
				rex_buf_printf(&b, "%s%s", k ? ", " : "", e->indexes[i].columns[k]);
			return set(x, entity_of(ctx, e), e->table, b.data, "unique",
					   e->indexes[i].ncolumns == 1 ? "is already taken" :
					   rex_psprintf(ctx, "this combination of %s is already taken", b.data));
		}
	if (e->npk && rex_ident_equal(rex_psprintf(ctx, "%s_pkey", e->table), name))
		return set(x, entity_of(ctx, e), e->table, e->primary_key[0], "unique", "is already taken");
	return false;
}

/* Looks for constraint 'name' in entity e; the answer names it. */
static bool
explain_in(rex_ctx *ctx, const rex_entity *e, const char *name, explained *x)
{
	if (!explain_in_inner(ctx, e, name, x))
		return false;
	x->constraint = name;
	return true;
}

/* SQLite names the columns, not the index: "UNIQUE constraint failed: t.a, t.b". */
static bool
explain_columns(rex_ctx *ctx, rex_schema *s, const char *what, const char *list,
				explained *x)
{
	int			i,
				k;

	for (i = 0; i < s->n + s->njoins; i++)
	{
		const rex_entity *e = i < s->n ? s->entities[i] : s->joins[i - s->n];
		size_t		tl = strlen(e->table);

		if (strncmp(list, e->table, tl) != 0 || list[tl] != '.')
			continue;
		if (strcmp(what, "NOT NULL") == 0)
		{
			const rex_column *c = rex_entity_column(e, list + tl + 1);

			if (c)
				return set(x, entity_of(ctx, e), e->table, c->name, "required", "is required");
		}
		for (k = 0; k < e->nindexes; k++)
		{
			rex_buf		b;
			int			j;

			rex_buf_init(&b, ctx);
			for (j = 0; j < e->indexes[k].ncolumns; j++)
				rex_buf_printf(&b, "%s%s.%s", j ? ", " : "", e->table, e->indexes[k].columns[j]);
			if (e->indexes[k].unique && strcmp(b.data, list) == 0)
				return explain_in(ctx, e, e->indexes[k].name, x);
		}
		if (e->npk == 1 && strcmp(list + tl + 1, e->primary_key[0]) == 0)
		{
			x->constraint = rex_psprintf(ctx, "%s_pkey", e->table);
			return set(x, entity_of(ctx, e), e->table, e->primary_key[0], "unique", "is already taken");
		}
	}
	return false;
}

/* 's' up to the first character that cannot be in 'allowed' names. */
static const char *
cut(rex_ctx *ctx, const char *s, bool list)
{
	size_t		n = 0;

	while (s[n] && (isalnum((unsigned char) s[n]) || s[n] == '_' ||
					(list && (s[n] == '.' || (s[n] == ',' && s[n + 1] == ' ') ||
							  (s[n] == ' ' && n > 0 && s[n - 1] == ',')))))
		n++;
	return rex_strndup(ctx, s, n);
}

/* Picks the constraint name out of an error message, if it is one. */
static const char *
name_from_message(rex_ctx *ctx, const char *msg, const char **what)
{
	const char *p;

	*what = NULL;
	if ((p = strstr(msg, "constraint \"")) != NULL)
	{
		const char *end = strchr(p + 12, '"');

		return end ? rex_strndup(ctx, p + 12, (size_t) (end - p - 12)) : NULL;
	}
	if ((p = strstr(msg, "CHECK constraint failed: ")) != NULL)
		return cut(ctx, p + 25, false);
	if ((p = strstr(msg, "UNIQUE constraint failed: ")) != NULL)
	{
		*what = "UNIQUE";
		return cut(ctx, p + 26, true);
	}
	if ((p = strstr(msg, "NOT NULL constraint failed: ")) != NULL)
	{
		*what = "NOT NULL";
		return cut(ctx, p + 28, true);
	}
	if (strstr(msg, "FOREIGN KEY constraint failed"))
	{
		*what = "FOREIGN KEY";
		return rex_strdup(ctx, msg);
	}
	return rex_strdup(ctx, msg);
}

rex_status
rex_api_explain_constraint(rex_ctx *ctx, const char *text, const char **out)
{
	rex_schema	s;
	explained	x;
	const char *what;
	const char *name = name_from_message(ctx, text, &what);
	bool		found = false;
	json_t	   *o;
	rex_status	st;
	int			i;

	memset(&x, 0, sizeof(x));
	if ((st = rex_schema_load(ctx, &s)) != REX_OK)
		return st;
	if (what && strcmp(what, "FOREIGN KEY") == 0)
		found = set(&x, NULL, NULL, NULL, "relation",
					"refers to a row that does not exist, or removes a row that others still refer to");
	else if (what)
		found = explain_columns(ctx, &s, what, name, &x);
	for (i = 0; !found && i < s.n + s.njoins; i++)
		found = explain_in(ctx, i < s.n ? s.entities[i] : s.joins[i - s.n], name, &x);
	if (!found)
	{
		rex_error_set(ctx, REX_ERR_NOT_FOUND, "constraint \"%s\" is not one rex_orm created",
					  rex_shorten(ctx, name, 128));
		rex_error_hint(ctx, "Give the constraint name from the error (for example "
					   "users_email_format), or the whole error message.");
		return REX_ERR_NOT_FOUND;
	}
	if ((o = rex_json_own(ctx, json_object())) == NULL)
		return ctx->err.status;
	json_object_set_new(o, "constraint", x.constraint ? json_string(x.constraint) : json_null());
	json_object_set_new(o, "entity", x.entity ? json_string(x.entity) : json_null());
	json_object_set_new(o, "table", x.table ? json_string(x.table) : json_null());
	json_object_set_new(o, "field", x.field ? json_string(x.field) : json_null());
	json_object_set_new(o, "rule", json_string(x.rule));
	json_object_set_new(o, "message", json_string(x.message));
	*out = rex_json_text(ctx, o, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}
