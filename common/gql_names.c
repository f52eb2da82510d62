/*
 * gql_names.c
 *		The names that entities, columns and enum values take in the
 *		generated APIs (GraphQL SDL, JSON Schema $defs, TypeScript), and
 *		define_entity's check that they are valid and distinct (see
 *		gql_schema.h).
 *
 * Rules (documented in the README, "Names in the generated APIs"):
 *	 - type names are the PascalCase of the entity name; root fields its
 *	   camelCase and the camelCase of its plural ("plural", or the English
 *	   rule of rex_gql_english_plural);
 *	 - column and relation names are field names as they are, so they may
 *	   not start with "__" (GraphQL keeps those for introspection), and no
 *	   column may be named and, or, not (the combinators of <Entity>Where);
 *	 - every generated type name must differ from the reserved ones (Query,
 *	   Mutation, the scalars, the shared filter inputs, TypeScript's
 *	   RexJson...) and from every other entity's; so must the root fields.
 *	   Names are compared exactly (GraphQL and TypeScript are case
 *	   sensitive), so "blogPost" and "blog_post" collide (both BlogPost).
 * TypeScript reserved words need no rule: type names are PascalCase and
 * TypeScript's keywords are lower case, and columns are property names,
 * where every word is allowed.
 */
#include "catalog.h"
#include "gql_schema.h"

#include <string.h>

/* Type names the schemas and the TypeScript module define themselves. */
static const char *const reserved_types[] = {
	"Query", "Mutation", "Subscription",
	"ID", "String", "Int", "Float", "Boolean",
	"BigInt", "Decimal", "DateTime", "Date", "JSON", "UUID", "Bytes",
	"SortDirection",
	"IDFilter", "StringFilter", "IntFilter", "FloatFilter", "BooleanFilter",
	"BigIntFilter", "DecimalFilter", "DateTimeFilter", "DateFilter",
	"JSONFilter", "UUIDFilter", "BytesFilter",
	"RexJson", "RexChangeOp", "RexChangeEvent",
	NULL
};

/* Column names taken by <Entity>Where's combinators. */
static const char *const reserved_fields[] = {"and", "or", "not", NULL};

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

const char *
rex_gql_pascal(rex_ctx *ctx, const char *ident)
{
	rex_buf		b;
	bool		start = true;
	const char *p;

	rex_buf_init(&b, ctx);
	for (p = ident; *p; p++)
	{
		if (*p == '_')
		{
			start = true;
			continue;
		}
		if (b.len == 0 && is_digit(*p))
			rex_buf_append_char(&b, '_');
		rex_buf_append_char(&b, (char) (start && is_lower(*p) ? *p - 'a' + 'A' : *p));
		start = false;
	}
	if (!rex_buf_ok(&b) || b.len == 0)
		return NULL;
	return b.data;
}

const char *
rex_gql_camel(rex_ctx *ctx, const char *ident)
{
	char	   *s = (char *) rex_gql_pascal(ctx, ident);

	if (s && is_upper(s[0]))
		s[0] = (char) (s[0] - 'A' + 'a');
	return s;
}

static bool
ends_with_ci(const char *s, const char *suffix)
{
	size_t		n = strlen(s),
				k = strlen(suffix),
				i;

	if (k > n)
		return false;
	for (i = 0; i < k; i++)
	{
		char		c = s[n - k + i];

		if (is_upper(c))
			c = (char) (c - 'A' + 'a');
		if (c != suffix[i])
			return false;
	}
	return true;
}

const char *
rex_gql_english_plural(rex_ctx *ctx, const char *ident)
{
	size_t		n = strlen(ident);
	char		last = n ? ident[n - 1] : '\0';
	char		before = n > 1 ? ident[n - 2] : '\0';

	if (ends_with_ci(ident, "s") || ends_with_ci(ident, "x") || ends_with_ci(ident, "z") ||
		ends_with_ci(ident, "ch") || ends_with_ci(ident, "sh"))
		return rex_psprintf(ctx, "%s%s", ident, is_upper(last) ? "ES" : "es");
	if ((last == 'y' || last == 'Y') && n > 1 && strchr("aeiouAEIOU_", before) == NULL &&
		!is_digit(before))
		return rex_psprintf(ctx, "%.*s%s", (int) (n - 1), ident, last == 'Y' ? "IES" : "ies");
	return rex_psprintf(ctx, "%s%s", ident, is_upper(last) ? "S" : "s");
}

rex_status
rex_gql_entity_names(rex_ctx *ctx, const char *name, const char *plural, rex_gql_names *out)
{
	const char *t = rex_gql_pascal(ctx, name);
	const char *pl = plural ? plural : rex_gql_english_plural(ctx, name);
	const char *tp = pl ? rex_gql_pascal(ctx, pl) : NULL;

	memset(out, 0, sizeof(*out));
	if (t == NULL || tp == NULL)
	{
		rex_error_set(ctx, REX_ERR_DEFINITION,
					  "entity \"%s\": the name gives no GraphQL or TypeScript name", name);
		rex_error_hint(ctx, "Use a name with at least one letter or digit.");
		return REX_ERR_DEFINITION;
	}
	out->type = t;
	out->where = rex_psprintf(ctx, "%sWhere", t);
	out->order_by = rex_psprintf(ctx, "%sOrderBy", t);
	out->create_input = rex_psprintf(ctx, "%sCreateInput", t);
	out->update_input = rex_psprintf(ctx, "%sUpdateInput", t);
	out->ts_relations = rex_psprintf(ctx, "%sRelations", t);
	out->ts_with = rex_psprintf(ctx, "%sWith", t);
	out->ts_key = rex_psprintf(ctx, "%sKey", t);
	out->ts_change = rex_psprintf(ctx, "%sChangeEvent", t);
	out->get = rex_gql_camel(ctx, name);
	out->list = rex_gql_camel(ctx, pl);
	out->count = rex_psprintf(ctx, "%sCount", out->list);
	out->create = rex_psprintf(ctx, "create%s", t);
	out->create_many = rex_psprintf(ctx, "create%s", tp);
	out->update = rex_psprintf(ctx, "update%s", t);
	out->delete = rex_psprintf(ctx, "delete%s", t);
	if (out->delete == NULL)
		return rex_error_nomem(ctx);
	return REX_OK;
}

const char *
rex_gql_enum_type_name(rex_ctx *ctx, const char *entity, const char *column)
{
	const char *a = rex_gql_pascal(ctx, entity);
	const char *b = rex_gql_pascal(ctx, column);

	return rex_psprintf(ctx, "%s%s", a ? a : "", b ? b : "");
}

static bool
is_name_char(char c, bool first)
{
	return c == '_' || is_upper(c) || is_lower(c) || (!first && is_digit(c));
}

const char *
rex_gql_enum_value_name(rex_ctx *ctx, const char *value)
{
	rex_buf		b;
	const char *p;

	rex_buf_init(&b, ctx);
	if (is_digit(value[0]))
		rex_buf_append_char(&b, '_');
	for (p = value; *p; p++)
	{
		unsigned char c = (unsigned char) *p;

		if ((c & 0xC0) == 0x80)
			continue;			/* one '_' per multibyte character */
		rex_buf_append_char(&b, is_name_char(*p, false) ? *p : '_');
	}
	if (strcmp(b.data, "true") == 0 || strcmp(b.data, "false") == 0 ||
		strcmp(b.data, "null") == 0)
		rex_buf_append_char(&b, '_');
	if (!rex_buf_ok(&b) || strncmp(b.data, "__", 2) == 0)
		return NULL;
	return b.data;
}

/* ---------------------------------------------------------------- */
/* define_entity's check */

/* One generated name and where it comes from. */
typedef struct named
{
	char		space;			/* 'T' type, 'Q' query field, 'M' mutation field */
	const char *name;
	const char *what;			/* "the GraphQL type", for messages */
} named;

typedef struct nameset
{
	named	   *items;
	int			n;
	int			cap;
} nameset;

static rex_status
add_name(rex_ctx *ctx, nameset *ns, char space, const char *name, const char *what)
{
	if (name == NULL)
		return rex_error_nomem(ctx);
	if (ns->n == ns->cap)
	{
		int			cap = ns->cap ? ns->cap * 2 : 32;
		named	   *items = rex_alloc(ctx, sizeof(named) * (size_t) cap);

		if (items == NULL)
			return ctx->err.status;
		if (ns->n)
			memcpy(items, ns->items, sizeof(named) * (size_t) ns->n);
		ns->items = items;
		ns->cap = cap;
	}
	ns->items[ns->n].space = space;
	ns->items[ns->n].name = name;
	ns->items[ns->n].what = what;
	ns->n++;
	return REX_OK;
}

/*
 * The generated names of entity 'name' ('plural' may be NULL) whose enum
 * columns are 'enums' (n_enums of them).
 */
static rex_status
entity_nameset(rex_ctx *ctx, const char *name, const char *plural,
			   const char **enums, int n_enums, nameset *ns)
{
	rex_gql_names nm;
	rex_status	st;
	int			i;

	memset(ns, 0, sizeof(*ns));
	if ((st = rex_gql_entity_names(ctx, name, plural, &nm)) != REX_OK)
		return st;
	if ((st = add_name(ctx, ns, 'T', nm.type, "the type")) != REX_OK ||
		(st = add_name(ctx, ns, 'T', nm.where, "the filter input")) != REX_OK ||
		(st = add_name(ctx, ns, 'T', nm.order_by, "the order input")) != REX_OK ||
		(st = add_name(ctx, ns, 'T', nm.create_input, "the create input")) != REX_OK ||
		(st = add_name(ctx, ns, 'T', nm.update_input, "the update input")) != REX_OK ||
		(st = add_name(ctx, ns, 'T', nm.ts_relations, "the TypeScript relations type")) != REX_OK ||
		(st = add_name(ctx, ns, 'T', nm.ts_with, "the TypeScript type with relations")) != REX_OK ||
		(st = add_name(ctx, ns, 'T', nm.ts_key, "the TypeScript key type")) != REX_OK ||
		(st = add_name(ctx, ns, 'T', nm.ts_change, "the TypeScript change event type")) != REX_OK ||
		(st = add_name(ctx, ns, 'Q', nm.get, "the query of one row")) != REX_OK ||
		(st = add_name(ctx, ns, 'Q', nm.list, "the query of a list")) != REX_OK ||
		(st = add_name(ctx, ns, 'Q', nm.count, "the count query")) != REX_OK ||
		(st = add_name(ctx, ns, 'M', nm.create, "the create mutation")) != REX_OK ||
		(st = add_name(ctx, ns, 'M', nm.create_many, "the bulk create mutation")) != REX_OK ||
		(st = add_name(ctx, ns, 'M', nm.update, "the update mutation")) != REX_OK ||
		(st = add_name(ctx, ns, 'M', nm.delete, "the delete mutation")) != REX_OK)
		return st;
	for (i = 0; i < n_enums; i++)
	{
		const char *t = rex_gql_enum_type_name(ctx, name, enums[i]);
		const char *what = rex_psprintf(ctx, "the enum type of column \"%s\"", enums[i]);

		if ((st = add_name(ctx, ns, 'T', t, what)) != REX_OK ||
			(st = add_name(ctx, ns, 'T', rex_psprintf(ctx, "%sFilter", t),
						   rex_psprintf(ctx, "the filter input of column \"%s\"", enums[i]))) != REX_OK)
			return st;
	}
	return REX_OK;
}

static const char *
space_word(char space)
{
	return space == 'T' ? "type" : space == 'Q' ? "Query field" : "Mutation field";
}

/* True when column JSON c is of type enum. */
static bool
json_is_enum_column(json_t *c)
{
	const char *t = json_string_value(json_object_get(c, "type"));

	return t && strcmp(t, "enum") == 0;
}

/* Names of the enum columns of a canonical definition (object or array). */
static const char **
json_enum_columns(rex_ctx *ctx, json_t *def, int *n)
{
	json_t	   *cols = json_object_get(def, "columns");
	size_t		size = json_is_array(cols) ? json_array_size(cols) : json_object_size(cols);
	const char **out = rex_alloc0(ctx, sizeof(char *) * (size + 1));
	const char *key;
	json_t	   *c;
	size_t		i;

	*n = 0;
	if (out == NULL)
		return NULL;
	if (json_is_array(cols))
	{
		json_array_foreach(cols, i, c)
			if (json_is_enum_column(c))
			out[(*n)++] = json_string_value(json_object_get(c, "name"));
	}
	else
	{
		json_object_foreach(cols, key, c)
			if (json_is_enum_column(c))
			out[(*n)++] = key;
	}
	return out;
}

/* Refuses a name of entity 'who' that is reserved or repeated in 'ns'. */
static rex_status
check_own(rex_ctx *ctx, const char *who, const nameset *ns)
{
	int			i,
				k;

	for (i = 0; i < ns->n; i++)
	{
		const named *a = &ns->items[i];

		if (a->space == 'T')
			for (k = 0; reserved_types[k]; k++)
				if (strcmp(a->name, reserved_types[k]) == 0)
				{
					rex_error_set(ctx, REX_ERR_DEFINITION,
								  "entity \"%s\": %s would be named \"%s\", a name the generated "
								  "schemas keep for themselves", who, a->what, a->name);
					rex_error_hint(ctx, "Rename the entity (or the column). Reserved type names: "
								   "Query, Mutation, Subscription, the scalars (ID, String, Int, "
								   "Float, Boolean, BigInt, Decimal, DateTime, Date, JSON, UUID, "
								   "Bytes), SortDirection, their <Scalar>Filter inputs, RexJson, "
								   "RexChangeOp, RexChangeEvent.");
					return REX_ERR_DEFINITION;
				}
		for (k = 0; k < i; k++)
			if (ns->items[k].space == a->space && strcmp(ns->items[k].name, a->name) == 0)
			{
				rex_error_set(ctx, REX_ERR_DEFINITION,
							  "entity \"%s\": %s and %s would both be the %s \"%s\"",
							  who, ns->items[k].what, a->what, space_word(a->space), a->name);
				rex_error_hint(ctx, a->space == 'T' ?
							   "Rename the column." :
							   "Give the entity a \"plural\" that differs from its name.");
				return REX_ERR_DEFINITION;
			}
	}
	return REX_OK;
}

/* A field name problem of entity e, with the path of the definition. */
static rex_status
field_fail(rex_ctx *ctx, const rex_entity *e, const char *path, const char *hint,
		   const char *what)
{
	rex_error_set(ctx, REX_ERR_DEFINITION, "entity \"%s\": %s: %s", e->name, path, what);
	rex_error_hint(ctx, "%s", hint);
	return REX_ERR_DEFINITION;
}

/* Column and relation names as GraphQL fields. */
static rex_status
check_fields(rex_ctx *ctx, const rex_entity *e)
{
	int			i,
				k;

	for (i = 0; i < e->ncolumns; i++)
	{
		const char *c = e->columns[i].name;

		if (strncmp(c, "__", 2) == 0)
			return field_fail(ctx, e, rex_psprintf(ctx, "columns.%s", c),
							  "Rename the column: names starting with \"__\" are GraphQL's own.",
							  "a column name cannot start with \"__\"");
		for (k = 0; reserved_fields[k]; k++)
			if (strcmp(c, reserved_fields[k]) == 0)
				return field_fail(ctx, e, rex_psprintf(ctx, "columns.%s", c),
								  "Rename the column: and, or and not combine filters in GraphQL's "
								  "<Entity>Where input.",
								  rex_psprintf(ctx, "a column cannot be named \"%s\"", c));
	}
	for (i = 0; i < e->nrelations; i++)
	{
		const rex_relation *r = &e->relations[i];
		const char *count = rex_psprintf(ctx, "%sCount", r->name);

		if (strncmp(r->name, "__", 2) == 0)
			return field_fail(ctx, e, rex_psprintf(ctx, "relations.%s", r->name),
							  "Rename the relation: names starting with \"__\" are GraphQL's own.",
							  "a relation name cannot start with \"__\"");
		for (k = 0; reserved_fields[k]; k++)
			if (strncmp(r->foreign_key, "__", 2) == 0 || strcmp(r->foreign_key, reserved_fields[k]) == 0)
				return field_fail(ctx, e, rex_psprintf(ctx, "relations.%s", r->name),
								  "Name the foreign key with \"foreign_key\": the column it makes "
								  "is a GraphQL field, which cannot start with \"__\" or be "
								  "and, or, not.",
								  rex_psprintf(ctx, "the foreign key column \"%s\" would not be a "
											   "usable GraphQL field name", r->foreign_key));
		if (r->kind != REX_REL_HAS_MANY && r->kind != REX_REL_MANY_TO_MANY)
			continue;
		if (rex_entity_column(e, count) && strcmp(rex_entity_column(e, count)->name, count) == 0)
			return field_fail(ctx, e, rex_psprintf(ctx, "relations.%s", r->name),
							  "Rename the relation or the column.",
							  rex_psprintf(ctx, "its GraphQL count field \"%s\" is also a column", count));
		if (rex_entity_relation(e, count) && strcmp(rex_entity_relation(e, count)->name, count) == 0)
			return field_fail(ctx, e, rex_psprintf(ctx, "relations.%s", r->name),
							  "Rename one of the relations.",
							  rex_psprintf(ctx, "its GraphQL count field \"%s\" is also a relation", count));
	}
	return REX_OK;
}

/* Names of e's own enum columns. */
static const char **
entity_enum_columns(rex_ctx *ctx, const rex_entity *e, int *n)
{
	const char **out = rex_alloc0(ctx, sizeof(char *) * (size_t) (e->ncolumns + 1));
	int			i;

	*n = 0;
	for (i = 0; out && i < e->ncolumns; i++)
		if (e->columns[i].type == REX_T_ENUM && e->columns[i].relation == NULL)
			out[(*n)++] = e->columns[i].name;
	return out;
}

rex_status
rex_gql_check_names(rex_ctx *ctx, const rex_entity_row *rows, int n, const rex_entity *e)
{
	nameset		mine;
	const char **enums;
	int			nenums,
				i,
				a,
				b;
	rex_status	st;

	if ((st = check_fields(ctx, e)) != REX_OK)
		return st;
	if (e->plural)
	{
		const char *c1 = rex_gql_camel(ctx, e->name);
		const char *c2 = rex_gql_camel(ctx, e->plural);

		if (c1 && c2 && strcmp(c1, c2) == 0)
			return field_fail(ctx, e, "plural", "Give a plural that differs from the name (\"people\" for \"person\").",
							  rex_psprintf(ctx, "the plural \"%s\" gives the same GraphQL name as the entity, "
										   "\"%s\"", e->plural, c1));
	}
	if ((enums = entity_enum_columns(ctx, e, &nenums)) == NULL)
		return ctx->err.status;
	if ((st = entity_nameset(ctx, e->name, e->plural, enums, nenums, &mine)) != REX_OK ||
		(st = check_own(ctx, e->name, &mine)) != REX_OK)
		return st;
	for (i = 0; i < n; i++)
	{
		nameset		theirs;
		const char **their_enums;
		int			ntheir;
		json_t	   *pl;

		if (rows[i].dropped || strcmp(rows[i].name, e->name) == 0)
			continue;
		pl = json_object_get(rows[i].definition, "plural");
		if ((their_enums = json_enum_columns(ctx, rows[i].definition, &ntheir)) == NULL)
			return ctx->err.status;
		if ((st = entity_nameset(ctx, rows[i].name, json_string_value(pl), their_enums, ntheir,
								 &theirs)) != REX_OK)
		{
			rex_error_clear(ctx);	/* an older definition: nothing to compare */
			continue;
		}
		for (a = 0; a < mine.n; a++)
			for (b = 0; b < theirs.n; b++)
				if (mine.items[a].space == theirs.items[b].space &&
					strcmp(mine.items[a].name, theirs.items[b].name) == 0)
				{
					rex_error_set(ctx, REX_ERR_DEFINITION,
								  "entity \"%s\": %s would be the %s \"%s\", which is already %s of "
								  "entity \"%s\"", e->name, mine.items[a].what,
								  space_word(mine.items[a].space), mine.items[a].name,
								  theirs.items[b].what, rows[i].name);
					rex_error_hint(ctx, mine.items[a].space == 'T' ?
								   "GraphQL and TypeScript names are the PascalCase of entity "
								   "names; rename one of the entities (or the column)." :
								   "Give one of the entities a \"plural\", or rename it.");
					return REX_ERR_DEFINITION;
				}
	}
	return REX_OK;
}
