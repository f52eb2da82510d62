/*
 * gql_test_schema.c
 *		A blog-like GraphQL schema behind the rex_gql_schema callbacks, for
 *		the unit tests and the fuzz targets (no test framework here).
 *
 * The schema is written as tables of text; the types of fields and
 * arguments are made by parsing "query ($x: TYPE = DEFAULT) { a }" with the
 * front end itself.  Everything lives in the arena of the context given.
 */
#include "gql_test_schema.h"

#include <string.h>

/* Parses a document that is known to be valid; NULL if not. */
static rex_gql_document *
parse_or_null(rex_ctx *ctx, const char *text)
{
	rex_gql_errors errs;
	rex_gql_document *doc = NULL;

	if (text == NULL)
		return NULL;
	rex_gql_errors_init(&errs, 0);
	if (rex_gql_parse(ctx, text, strlen(text), NULL, &doc, &errs) != REX_OK)
		return NULL;
	return doc;
}


#define MAXF 12

typedef struct tfield
{
	const char *name;
	const char *type;
	const char *args;			/* "name: Type = default, ..." or NULL */
} tfield;

typedef struct ttype
{
	const char *name;
	rex_gql_kind kind;
	tfield		fields[MAXF];	/* object, interface, input object */
	const char *values[MAXF];	/* enum values; possible types */
} ttype;

/*
 * The schema, written as tables of text; rex_gql_type values are made by
 * parsing "query ($x: TYPE = DEFAULT) { a }" with the front end itself.
 */
static const ttype test_types[] = {
	{"Query", REX_GQL_KIND_OBJECT, {
			{"user", "User", "$id: ID!"},
			{"users", "[User!]!", "$where: UserWhere, $orderBy: [UserOrderBy!], $limit: Int, $offset: Int = 0"},
			{"usersCount", "Int!", "$where: UserWhere"},
			{"node", "Node", "$id: ID!"},
			{"search", "[SearchResult!]!", "$text: String!"},
			{"hello", "String", "$name: String = \"world\""},
			{"post", "Post", "$id: ID!"},
	}, {NULL}},
	{"Mutation", REX_GQL_KIND_OBJECT, {
			{"createUser", "User!", "$data: UserCreateInput!"},
			{"deleteUser", "User", "$id: ID!"},
	}, {NULL}},
	{"User", REX_GQL_KIND_OBJECT, {
			{"id", "ID!", NULL},
			{"name", "String!", NULL},
			{"email", "String", NULL},
			{"age", "Int", NULL},
			{"role", "Role!", NULL},
			{"createdAt", "DateTime", NULL},
			{"score", "Float", NULL},
			{"posts", "[Post!]!", "$where: PostWhere, $limit: Int = 10"},
	}, {"Node", NULL}},
	{"Post", REX_GQL_KIND_OBJECT, {
			{"id", "ID!", NULL},
			{"title", "String!", NULL},
			{"author", "User!", NULL},
	}, {"Node", NULL}},
	{"Node", REX_GQL_KIND_INTERFACE, {{"id", "ID!", NULL}}, {"User", "Post", NULL}},
	{"SearchResult", REX_GQL_KIND_UNION, {{NULL, NULL, NULL}}, {"User", "Post", NULL}},
	{"Role", REX_GQL_KIND_ENUM, {{NULL, NULL, NULL}}, {"ADMIN", "MEMBER", NULL}},
	{"SortDirection", REX_GQL_KIND_ENUM, {{NULL, NULL, NULL}}, {"ASC", "DESC", NULL}},
	{"DateTime", REX_GQL_KIND_SCALAR, {{NULL, NULL, NULL}}, {NULL}},
	{"UserWhere", REX_GQL_KIND_INPUT_OBJECT, {
			{"name", "StringFilter", NULL},
			{"age", "IntFilter", NULL},
			{"role", "Role", NULL},
			{"createdAt", "DateTime", NULL},
			{"and", "[UserWhere!]", NULL},
			{"or", "[UserWhere!]", NULL},
			{"not", "UserWhere", NULL},
	}, {NULL}},
	{"StringFilter", REX_GQL_KIND_INPUT_OBJECT, {
			{"eq", "String", NULL},
			{"like", "String", NULL},
			{"in", "[String!]", NULL},
	}, {NULL}},
	{"IntFilter", REX_GQL_KIND_INPUT_OBJECT, {
			{"eq", "Int", NULL},
			{"gt", "Int", NULL},
			{"gte", "Int", NULL},
			{"lt", "Int", NULL},
			{"in", "[Int!]", NULL},
			{"isNull", "Boolean", NULL},
	}, {NULL}},
	{"UserOrderBy", REX_GQL_KIND_INPUT_OBJECT, {
			{"name", "SortDirection", NULL},
			{"age", "SortDirection", NULL},
	}, {NULL}},
	{"UserCreateInput", REX_GQL_KIND_INPUT_OBJECT, {
			{"name", "String!", NULL},
			{"email", "String", NULL},
			{"age", "Int", NULL},
			{"role", "Role", "= MEMBER"},
			{"createdAt", "DateTime", NULL},
	}, {NULL}},
	{"PostWhere", REX_GQL_KIND_INPUT_OBJECT, {{"title", "StringFilter", NULL}}, {NULL}},
};

#define NTYPES ((int) (sizeof(test_types) / sizeof(test_types[0])))

typedef struct tschema
{
	rex_ctx    *ctx;
	rex_gql_field_def fields[NTYPES][MAXF];
	int			nfields[NTYPES];
	rex_gql_input_def inputs[NTYPES][MAXF];
	rex_gql_directive_def dirs[2];
	const char *possible[NTYPES][MAXF];
	int			npossible[NTYPES];
	rex_gql_schema api;
} tschema;

static int
tindex(const char *name)
{
	int			i;

	for (i = 0; i < NTYPES; i++)
		if (strcmp(test_types[i].name, name) == 0)
			return i;
	return -1;
}

static rex_gql_kind
t_type_kind(void *arg, const char *type)
{
	int			i = tindex(type);

	(void) arg;
	return i < 0 ? REX_GQL_KIND_NONE : test_types[i].kind;
}

static const char *
t_root_type(void *arg, rex_gql_op_kind kind)
{
	(void) arg;
	return kind == REX_GQL_QUERY ? "Query" : kind == REX_GQL_MUTATION ? "Mutation" : NULL;
}

static const rex_gql_field_def *
t_field(void *arg, const char *type, const char *name)
{
	tschema    *s = arg;
	int			i = tindex(type),
				j;

	if (i < 0)
		return NULL;
	for (j = 0; j < s->nfields[i]; j++)
		if (strcmp(s->fields[i][j].name, name) == 0)
			return &s->fields[i][j];
	return NULL;
}

static int
t_input_fields(void *arg, const char *type, const rex_gql_input_def **out)
{
	tschema    *s = arg;
	int			i = tindex(type);

	if (i < 0 || test_types[i].kind != REX_GQL_KIND_INPUT_OBJECT)
		return 0;
	*out = s->inputs[i];
	return s->nfields[i];
}

static bool
t_enum_value(void *arg, const char *type, const char *value)
{
	int			i = tindex(type),
				j;

	(void) arg;
	if (i < 0 || test_types[i].kind != REX_GQL_KIND_ENUM)
		return false;
	for (j = 0; test_types[i].values[j]; j++)
		if (strcmp(test_types[i].values[j], value) == 0)
			return true;
	return false;
}

static int
t_possible_types(void *arg, const char *type, const char *const **out)
{
	tschema    *s = arg;
	int			i = tindex(type);

	if (i < 0)
		return 0;
	*out = s->possible[i];
	return s->npossible[i];
}

/* DateTime: a UTC ISO-8601 string, given back as it is */
static bool
t_coerce_scalar(void *arg, rex_ctx *ctx, const char *type, json_t *in, json_t **out,
				const char **why)
{
	const char *s;

	(void) arg;
	(void) ctx;
	if (strcmp(type, "DateTime") != 0)
	{
		*out = in;
		return true;
	}
	s = json_is_string(in) ? json_string_value(in) : NULL;
	if (s == NULL || strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z')
	{
		*why = "Expected a date-time such as \"2026-01-31T12:00:00Z\".";
		return false;
	}
	*out = in;
	return true;
}

static const rex_gql_directive_def *
t_directive(void *arg, const char *name)
{
	tschema    *s = arg;

	if (strcmp(name, "cached") == 0)
		return &s->dirs[0];
	if (strcmp(name, "tag") == 0)
		return &s->dirs[1];
	return NULL;
}

/* Parses "query ($x: TYPE[ = DEFAULT]) { a }" to get a type and default. */
static bool
parse_typed(rex_ctx *ctx, const char *type, const char *dflt, const rex_gql_type **t,
			const json_t **d)
{
	const char *text = rex_psprintf(ctx, "query ($x: %s%s%s) { a }", type,
									dflt ? " " : "", dflt ? dflt : "");
	rex_gql_document *doc = parse_or_null(ctx, text);
	rex_gql_errors errs;
	json_t	   *j = NULL;

	if (doc == NULL)
		return false;
	*t = doc->ops[0].vars[0].type;
	*d = NULL;
	if (doc->ops[0].vars[0].default_value)
	{
		rex_gql_errors_init(&errs, 0);
		/* untyped: enum defaults would need the schema being built */
		if (rex_gql_coerce_literal(ctx, NULL, NULL, doc->ops[0].vars[0].default_value,
								   NULL, &j, &errs) != REX_OK)
			return false;
		*d = j;
	}
	return true;
}

/* Parses "$a: T = d, $b: U" into input definitions. */
static int
parse_args(rex_ctx *ctx, const char *args, rex_gql_input_def **out)
{
	rex_gql_document *doc;
	rex_gql_input_def *defs;
	int			i;

	*out = NULL;
	if (args == NULL)
		return 0;
	/* the table writes arguments as variable definitions: "$a: T = d" */
	doc = parse_or_null(ctx, rex_psprintf(ctx, "query (%s) { a }", args));
	if (doc == NULL)
		return -1;
	defs = rex_alloc0(ctx, sizeof(rex_gql_input_def) * (size_t) doc->ops[0].nvars);
	if (defs == NULL)
		return -1;
	for (i = 0; i < doc->ops[0].nvars; i++)
	{
		rex_gql_errors errs;
		json_t	   *j = NULL;

		defs[i].name = doc->ops[0].vars[i].name;
		defs[i].type = doc->ops[0].vars[i].type;
		if (doc->ops[0].vars[i].default_value)
		{
			rex_gql_errors_init(&errs, 0);
			if (rex_gql_coerce_literal(ctx, NULL, NULL, doc->ops[0].vars[i].default_value,
									   NULL, &j, &errs) != REX_OK)
				return -1;
			defs[i].default_value = j;
		}
	}
	*out = defs;
	return doc->ops[0].nvars;
}

const rex_gql_schema *
gql_test_schema(rex_ctx *ctx)
{
	tschema    *s = rex_alloc0(ctx, sizeof(tschema));
	rex_gql_input_def *args;
	int			i,
				j;

	if (s == NULL)
		return NULL;
	s->ctx = ctx;
	for (i = 0; i < NTYPES; i++)
	{
		const ttype *t = &test_types[i];

		for (j = 0; j < MAXF && t->fields[j].name; j++)
		{
			if (t->kind == REX_GQL_KIND_INPUT_OBJECT)
			{
				s->inputs[i][j].name = t->fields[j].name;
				if (!parse_typed(ctx, t->fields[j].type, t->fields[j].args,
								 &s->inputs[i][j].type, &s->inputs[i][j].default_value))
					return NULL;
			}
			else
			{
				const json_t *unused;

				s->fields[i][j].name = t->fields[j].name;
				if (!parse_typed(ctx, t->fields[j].type, NULL, &s->fields[i][j].type, &unused))
					return NULL;
				s->fields[i][j].nargs = parse_args(ctx, t->fields[j].args, &args);
				if (s->fields[i][j].nargs < 0)
					return NULL;
				s->fields[i][j].args = args;
			}
		}
		s->nfields[i] = j;
		if (t->kind == REX_GQL_KIND_OBJECT)
		{
			s->possible[i][0] = t->name;
			s->npossible[i] = 1;
		}
		else if (t->kind == REX_GQL_KIND_INTERFACE || t->kind == REX_GQL_KIND_UNION)
			for (j = 0; t->values[j]; j++)
				s->possible[i][s->npossible[i]++] = t->values[j];
	}
	s->dirs[0].name = "cached";
	s->dirs[0].locations = REX_GQL_DL_QUERY | REX_GQL_DL_FIELD;
	if ((s->dirs[0].nargs = parse_args(ctx, "$ttl: Int!", &args)) < 0)
		return NULL;
	s->dirs[0].args = args;
	s->dirs[1].name = "tag";
	s->dirs[1].locations = REX_GQL_DL_FIELD | REX_GQL_DL_VARIABLE_DEFINITION;
	if ((s->dirs[1].nargs = parse_args(ctx, "$name: String", &args)) < 0)
		return NULL;
	s->dirs[1].args = args;
	s->dirs[1].repeatable = true;
	s->api.arg = s;
	s->api.type_kind = t_type_kind;
	s->api.root_type = t_root_type;
	s->api.field = t_field;
	s->api.input_fields = t_input_fields;
	s->api.enum_value = t_enum_value;
	s->api.possible_types = t_possible_types;
	s->api.coerce_scalar = t_coerce_scalar;
	s->api.directive = t_directive;
	return &s->api;
}
