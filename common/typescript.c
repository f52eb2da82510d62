/*
 * typescript.c
 *		TypeScript declarations of the entities: typescript().
 *
 * SQL function (both engines, the same text):
 *	 typescript() -> text
 *
 * A module of exported declarations describing the JSON of rex's
 * functions (rows, validate()'s input, the change feed), for entity
 * "user" (names shared with GraphQL and JSON Schema, gql_names.c):
 *	 interface User             a row: every column, null where it may be
 *	 type UserRole              a union of an enum column's values
 *	 interface UserCreateInput  what validate() accepts: optional where a
 *	                            default or null will do
 *	 interface UserUpdateInput  a patch: every column but the key, optional
 *	 interface UserKey          the primary key (a change event's pk)
 *	 interface UserRelations    each relation's value when included
 *	 type UserWith<K>           a row with some relations included:
 *	                            UserWith<"posts" | "team">
 *	 interface UserChangeEvent  an event of the change feed (DESIGN.md 6)
 * and, once: RexJson (json columns), RexChangeOp, RexChangeEvent (the
 * union of every entity's events).  Numbers are JSON numbers (bigint
 * values beyond 2^53 lose precision in JavaScript); decimals are strings
 * in rows and strings or numbers in inputs; timestamps, dates, uuids and
 * bytes (base64) are strings.  The module uses no global type, so an
 * entity named like one (Date, Array) cannot break it; it compiles with
 * tsc --strict.
 */
#include "rex_api.h"
#include "schemagen.h"

#include <string.h>

typedef enum variant
{
	V_ROW,
	V_CREATE,
	V_UPDATE
} variant;

static bool
has_rule(const rex_column *c, rex_rule_kind kind)
{
	int			i;

	for (i = 0; i < c->nrules; i++)
		if (c->rules[i].kind == kind)
			return true;
	return false;
}

static bool
allows_null(const rex_column *c, variant v)
{
	if (v == V_CREATE && c->type == REX_T_ID)
		return true;
	return c->nullable && !has_rule(c, REX_RULE_REQUIRED);
}

static bool
create_needs(const rex_column *c)
{
	return c->default_kind == REX_DEFAULT_NONE && c->type != REX_T_ID &&
		(!c->nullable || has_rule(c, REX_RULE_REQUIRED));
}

static bool
in_key(const rex_entity *e, const rex_column *c)
{
	int			i;

	for (i = 0; i < e->npk; i++)
		if (strcmp(e->primary_key[i], c->name) == 0)
			return true;
	return false;
}

/* A string literal (JSON's escaping is valid TypeScript). */
static void
ts_string(rex_buf *b, const char *s)
{
	json_t	   *j = json_string(s);
	const char *text = j ? rex_json_text(b->ctx, j, REX_JSON_OUTPUT) : NULL;

	json_decref(j);
	rex_buf_append(b, text ? text : "\"\"");
}

/* A doc comment (at 'indent'), with any end of comment broken up. */
static void
ts_doc(rex_buf *b, const char *indent, const char *text)
{
	const char *p;

	if (text == NULL)
		return;
	rex_buf_printf(b, "%s/** ", indent);
	for (p = text; *p; p++)
	{
		if (p[0] == '*' && p[1] == '/')
			rex_buf_append(b, "*\\");
		else if (*p == '\n')
			rex_buf_printf(b, "\n%s * ", indent);
		else if (*p != '\r')
			rex_buf_append_char(b, *p);
	}
	rex_buf_append(b, " */\n");
}

/* The union of an enum column's values. */
static void
ts_union(rex_buf *b, const rex_column *c)
{
	int			i;

	for (i = 0; i < c->n_enum_values; i++)
	{
		if (i)
			rex_buf_append(b, " | ");
		ts_string(b, c->enum_values[i]);
	}
}

/* The type of column c of e in a variant, without "| null". */
static void
ts_column_type(rex_buf *b, const rex_entity *e, const rex_column *c, variant v)
{
	switch (c->type)
	{
		case REX_T_ID:
		case REX_T_INTEGER:
		case REX_T_BIGINT:
		case REX_T_FLOAT:
			rex_buf_append(b, "number");
			break;
		case REX_T_DECIMAL:
			rex_buf_append(b, v == V_ROW ? "string" : "string | number");
			break;
		case REX_T_BOOLEAN:
			rex_buf_append(b, "boolean");
			break;
		case REX_T_JSON:
			rex_buf_append(b, "RexJson");
			break;
		case REX_T_ENUM:
			if (c->relation)
				ts_union(b, c);	/* a foreign key to an enum key */
			else
				rex_buf_append(b, rex_gql_enum_type_name(b->ctx, e->name, c->name));
			break;
		default:
			rex_buf_append(b, "string");
			break;
	}
}

static void
ts_member(rex_buf *b, const rex_entity *e, const rex_column *c, variant v)
{
	bool		optional = v == V_UPDATE || (v == V_CREATE && !create_needs(c));

	ts_doc(b, "  ", c->description);
	rex_buf_printf(b, "  %s%s: ", c->name, optional ? "?" : "");
	ts_column_type(b, e, c, v);
	if (allows_null(c, v) && c->type != REX_T_JSON)
		rex_buf_append(b, " | null");
	rex_buf_append(b, ";\n");
}

static void
ts_interface(rex_buf *b, const rex_entity *e, const char *name, variant v, const char *doc)
{
	int			i;

	ts_doc(b, "", doc);
	rex_buf_printf(b, "export interface %s {\n", name);
	for (i = 0; i < e->ncolumns; i++)
		if (v != V_UPDATE || !in_key(e, &e->columns[i]))
			ts_member(b, e, &e->columns[i], v);
	rex_buf_append(b, "}\n\n");
}

static void
ts_relations(rex_buf *b, const rex_schema *s, const rex_entity *e, const rex_gql_names *nm)
{
	int			i;

	rex_buf_printf(b, "/** The relations of a %s, as included in a row. */\n", e->name);
	rex_buf_printf(b, "export interface %s {\n", nm->ts_relations);
	for (i = 0; i < e->nrelations; i++)
	{
		const rex_relation *r = &e->relations[i];
		const char *t = rex_gql_pascal(b->ctx, r->entity);
		const rex_column *fk = rex_entity_column(e, r->foreign_key);

		if (rex_schema_entity(s, r->entity) == NULL)
			continue;
		ts_doc(b, "  ", r->description);
		if (r->kind == REX_REL_HAS_MANY || r->kind == REX_REL_MANY_TO_MANY)
			rex_buf_printf(b, "  %s: %s[];\n", r->name, t);
		else if (r->kind == REX_REL_BELONGS_TO && fk && !allows_null(fk, V_ROW))
			rex_buf_printf(b, "  %s: %s;\n", r->name, t);
		else
			rex_buf_printf(b, "  %s: %s | null;\n", r->name, t);
	}
	rex_buf_append(b, "}\n\n");
	rex_buf_printf(b, "/** A %s with the relations named in K included. */\n", e->name);
	rex_buf_printf(b, "export type %s<K extends keyof %s> = %s & { [P in K]: %s[P] };\n\n",
				   nm->ts_with, nm->ts_relations, nm->type, nm->ts_relations);
}

static void
ts_change(rex_buf *b, const rex_entity *e, const rex_gql_names *nm)
{
	rex_buf_printf(b, "/** An event of the change feed of %s (new is null for deletes, "
				   "old unless \"old\" is on; changed lists the changed columns of updates). */\n",
				   e->name);
	rex_buf_printf(b, "export interface %s {\n", nm->ts_change);
	rex_buf_append(b, "  id: number;\n");
	rex_buf_append(b, "  entity: ");
	ts_string(b, e->name);
	rex_buf_append(b, ";\n  op: RexChangeOp;\n");
	rex_buf_printf(b, "  pk: %s | null;\n", nm->ts_key);
	rex_buf_printf(b, "  new: { [P in keyof %s]?: %s[P] } | null;\n", nm->type, nm->type);
	rex_buf_printf(b, "  old: { [P in keyof %s]?: %s[P] } | null;\n", nm->type, nm->type);
	rex_buf_printf(b, "  changed: (keyof %s)[] | null;\n", nm->type);
	rex_buf_append(b, "  tx: number | null;\n  at: string;\n}\n\n");
}

static rex_status
ts_entity(rex_buf *b, const rex_schema *s, const rex_entity *e, rex_gql_names *nm)
{
	int			i;
	rex_status	st;

	if ((st = rex_gql_entity_names(b->ctx, e->name, e->plural, nm)) != REX_OK)
		return st;
	rex_buf_printf(b, "/* ---- %s ---- */\n\n", e->name);
	for (i = 0; i < e->ncolumns; i++)
		if (e->columns[i].type == REX_T_ENUM && e->columns[i].relation == NULL)
		{
			rex_buf_printf(b, "export type %s = ",
						   rex_gql_enum_type_name(b->ctx, e->name, e->columns[i].name));
			ts_union(b, &e->columns[i]);
			rex_buf_append(b, ";\n\n");
		}
	ts_interface(b, e, nm->type, V_ROW, e->description ? e->description :
				 rex_psprintf(b->ctx, "A %s row.", e->name));
	ts_interface(b, e, nm->create_input, V_CREATE,
				 rex_psprintf(b->ctx, "A new %s, as validate() accepts it.", e->name));
	ts_interface(b, e, nm->update_input, V_UPDATE,
				 rex_psprintf(b->ctx, "Changes to a %s: only the fields given change.", e->name));
	rex_buf_printf(b, "/** The primary key of a %s. */\nexport interface %s {\n", e->name, nm->ts_key);
	for (i = 0; i < e->npk; i++)
	{
		const rex_column *c = rex_entity_column(e, e->primary_key[i]);

		rex_buf_printf(b, "  %s: ", c->name);
		ts_column_type(b, e, c, V_ROW);
		rex_buf_append(b, ";\n");
	}
	rex_buf_append(b, "}\n\n");
	ts_relations(b, s, e, nm);
	ts_change(b, e, nm);
	return REX_OK;
}

rex_status
rex_api_typescript(rex_ctx *ctx, const char **out)
{
	rex_schema	s;
	rex_buf		b;
	rex_gql_names *names;
	rex_status	st;
	int			i;

	if ((st = rex_schema_load(ctx, &s)) != REX_OK)
		return st;
	if ((names = rex_alloc0(ctx, sizeof(rex_gql_names) * (size_t) (s.n + 1))) == NULL)
		return ctx->err.status;
	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "/*\n * Types of the rex_orm entity catalog, generated by typescript() "
				   "(rex_orm " REX_VERSION ").\n"
				   " * Rows, inputs and change events as rex's JSON functions give and take "
				   "them.\n * Do not edit: generate again after changing an entity.\n */\n\n");
	rex_buf_append(&b, "/** Any JSON value (json columns). */\n"
				   "export type RexJson = string | number | boolean | null | RexJson[] | "
				   "{ [key: string]: RexJson };\n\n");
	rex_buf_append(&b, "/** The operations of the change feed. */\n"
				   "export type RexChangeOp = \"insert\" | \"update\" | \"delete\" | \"truncate\";\n\n");
	for (i = 0; i < s.n; i++)
		if ((st = ts_entity(&b, &s, s.entities[i], &names[i])) != REX_OK)
			return st;
	rex_buf_append(&b, "/** Any event of the change feed. */\nexport type RexChangeEvent =");
	if (s.n == 0)
		rex_buf_append(&b, " never");
	for (i = 0; i < s.n; i++)
		rex_buf_printf(&b, "\n  | %s", names[i].ts_change);
	rex_buf_append(&b, ";\n");
	if (!rex_buf_ok(&b))
		return ctx->err.status;
	*out = b.data;
	return REX_OK;
}
