/*
 * test_schemas.c
 *		Unit tests of the generated schemas: names (gql_names.c), the
 *		GraphQL model (gql_schema.c) and its SDL (gql_print.c), the JSON
 *		Schema regular expressions (jsonschema_regex.c) checked against
 *		PCRE2 and exact decimal arithmetic, json_schema() and typescript()
 *		on the fake engine.
 */
#include "unit.h"
#include "gql_schema.h"
#include "rex_api.h"
#include "rules.h"
#include "schemagen.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- */
/* names */

typedef struct name_case
{
	const char *ident;
	const char *pascal;
	const char *camel;
	const char *plural;
} name_case;

static const name_case name_cases[] = {
	{"user", "User", "user", "users"},
	{"blog_post", "BlogPost", "blogPost", "blog_posts"},
	{"blogPost", "BlogPost", "blogPost", "blogPosts"},
	{"category", "Category", "category", "categories"},
	{"day", "Day", "day", "days"},
	{"box", "Box", "box", "boxes"},
	{"match", "Match", "match", "matches"},
	{"dish", "Dish", "dish", "dishes"},
	{"status", "Status", "status", "statuses"},
	{"quiz", "Quiz", "quiz", "quizes"},
	{"_1x", "_1x", "_1x", "_1xes"},
	{"a_1_b", "A1B", "a1B", "a_1_bs"},
	{"URL", "URL", "uRL", "URLS"},
	{"city_y", "CityY", "cityY", "city_ys"},
};

static void
test_names(void **state)
{
	const name_case *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->sqlite;

	assert_string_equal(rex_gql_pascal(ctx, c->ident), c->pascal);
	assert_string_equal(rex_gql_camel(ctx, c->ident), c->camel);
	assert_string_equal(rex_gql_english_plural(ctx, c->ident), c->plural);
}

static void
test_entity_names(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	rex_gql_names n;

	assert_ok(ctx, rex_gql_entity_names(ctx, "blog_post", NULL, &n));
	assert_string_equal(n.type, "BlogPost");
	assert_string_equal(n.where, "BlogPostWhere");
	assert_string_equal(n.order_by, "BlogPostOrderBy");
	assert_string_equal(n.create_input, "BlogPostCreateInput");
	assert_string_equal(n.update_input, "BlogPostUpdateInput");
	assert_string_equal(n.get, "blogPost");
	assert_string_equal(n.list, "blogPosts");
	assert_string_equal(n.count, "blogPostsCount");
	assert_string_equal(n.create, "createBlogPost");
	assert_string_equal(n.create_many, "createBlogPosts");
	assert_string_equal(n.update, "updateBlogPost");
	assert_string_equal(n.delete, "deleteBlogPost");
	assert_string_equal(n.ts_with, "BlogPostWith");
	assert_ok(ctx, rex_gql_entity_names(ctx, "person", "people", &n));
	assert_string_equal(n.list, "people");
	assert_string_equal(n.create_many, "createPeople");
	assert_status(ctx, rex_gql_entity_names(ctx, "__", NULL, &n), REX_ERR_DEFINITION);
	assert_contains(ctx->err.message, "gives no GraphQL or TypeScript name");
}

typedef struct enum_case
{
	const char *value;
	const char *name;			/* NULL: not mappable */
} enum_case;

static const enum_case enum_cases[] = {
	{"admin", "admin"},
	{"in review", "in_review"},
	{"2fa", "_2fa"},
	{"a.b-c", "a_b_c"},
	{"true", "true_"},
	{"null", "null_"},
	{"\xe6\x97\xa5\xe6\x9c\xac", "__"},	/* two multibyte characters: "__" */
	{"_x", "_x"},
	{" x", "_x"},
	{"  x", NULL},
	{"__typename", NULL},
};

static void
test_enum_value_names(void **state)
{
	const enum_case *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	const char *got = rex_gql_enum_value_name(ctx, c->value);

	if (c->name == NULL || strncmp(c->name, "__", 2) == 0)
		assert_null(got);
	else
	{
		assert_non_null(got);
		assert_string_equal(got, c->name);
	}
}

/* ---------------------------------------------------------------- */
/* the model, built from parsed definitions */

/* A resolved schema of the given definitions (name, definition pairs). */
static rex_schema *
schema_of(rex_ctx *ctx, const char *const *defs, int n)
{
	rex_schema *s = rex_alloc0(ctx, sizeof(rex_schema));
	int			i;

	s->entities = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) n);
	s->applied = rex_alloc0(ctx, sizeof(bool) * (size_t) n);
	for (i = 0; i < n; i++)
		s->entities[s->n++] = parse_ok(ctx, defs[2 * i], unit_q(ctx, defs[2 * i + 1]), NULL);
	s->lenient = true;
	assert_ok(ctx, rex_schema_resolve(ctx, s));
	return s;
}

static const char *const blog[] = {
	"author", "{'plural': 'people', 'description': 'Writes \\\"posts\\\"', 'columns': {'id': {'type': 'id'},"
	" 'name': {'type': 'string', 'nullable': false},"
	" 'email': {'type': 'text', 'validate': {'required': true}},"
	" 'role': {'type': 'enum', 'values': ['admin', 'in review'], 'nullable': false, 'default': 'admin'}},"
	" 'relations': {'posts': {'kind': 'has_many', 'entity': 'post', 'foreign_key': 'author_id',"
	" 'description': 'What they wrote'}}}",
	"post", "{'columns': {'id': {'type': 'id'}, 'title': {'type': 'text', 'nullable': false},"
	" 'at': {'type': 'timestamp', 'default': 'now'}, 'meta': {'type': 'json'}},"
	" 'relations': {'author': {'kind': 'belongs_to', 'entity': 'author', 'nullable': false},"
	" 'tags': {'kind': 'many_to_many', 'entity': 'tag'}, 'ghost': {'kind': 'belongs_to', 'entity': 'nobody'}}}",
	"tag", "{'columns': {'label': {'type': 'string', 'primary_key': true}}}",
	"code", "{'primary_key': ['lang'], 'columns': {'lang': {'type': 'enum', 'values': ['en', 'fr']}}}",
};

static void
test_model_types(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	rex_gql_schema *g;
	const rex_gql_type *t;
	const rex_gql_field *f;

	assert_ok(ctx, rex_gql_schema_build(ctx, schema_of(ctx, blog, 4), &g));
	/* lookups by name and sorted index */
	assert_non_null(rex_gql_type_find(g, "Author"));
	assert_non_null(rex_gql_type_find(g, "AuthorWhere"));
	assert_non_null(rex_gql_type_find(g, "AuthorRole"));
	assert_non_null(rex_gql_type_find(g, "AuthorRoleFilter"));
	assert_non_null(rex_gql_type_find(g, "SortDirection"));
	assert_non_null(rex_gql_type_find(g, "DateTimeFilter"));
	assert_non_null(rex_gql_type_find(g, "String"));
	assert_true(rex_gql_type_find(g, "String")->builtin);
	assert_null(rex_gql_type_find(g, "UUID"));	/* unused scalars are left out */
	assert_null(rex_gql_type_find(g, "Nobody"));
	/* a key-only entity has no update input (an input needs a field) */
	assert_non_null(rex_gql_type_find(g, "TagCreateInput"));
	assert_null(rex_gql_type_find(g, "TagUpdateInput"));
	assert_null(rex_gql_field_find(g->mutation, "updateTag"));
	assert_non_null(rex_gql_field_find(g->mutation, "deleteTag"));
	assert_ptr_equal(rex_gql_entity_type(g, "post"), rex_gql_type_find(g, "Post"));
	/* the row type */
	t = rex_gql_type_find(g, "Author");
	assert_int_equal(t->role, REX_GQL_T_ENTITY);
	assert_string_equal(t->description, "Writes \"posts\"");
	f = rex_gql_field_find(t, "email");
	assert_int_equal(f->role, REX_GQL_F_COLUMN);
	assert_string_equal(rex_gql_typeref_text(ctx, &f->type), "String!");	/* required rule */
	f = rex_gql_field_find(t, "posts");
	assert_int_equal(f->role, REX_GQL_F_RELATION);
	assert_string_equal(rex_gql_typeref_text(ctx, &f->type), "[Post!]!");
	assert_int_equal(f->nargs, 4);
	assert_int_equal(rex_gql_arg_find(f, "orderBy")->role, REX_GQL_F_ARG_ORDER_BY);
	assert_string_equal(rex_gql_typeref_text(ctx, &rex_gql_arg_find(f, "orderBy")->type), "[PostOrderBy!]");
	assert_string_equal(f->target->name, "post");
	f = rex_gql_field_find(t, "postsCount");
	assert_int_equal(f->role, REX_GQL_F_RELATION_COUNT);
	assert_string_equal(rex_gql_typeref_text(ctx, &f->type), "Int!");
	/* belongs_to with a NOT NULL key; the key column is an ID; a missing target is left out */
	t = rex_gql_type_find(g, "Post");
	assert_string_equal(rex_gql_typeref_text(ctx, &rex_gql_field_find(t, "author")->type), "Author!");
	assert_string_equal(rex_gql_typeref_text(ctx, &rex_gql_field_find(t, "author_id")->type), "ID!");
	assert_string_equal(rex_gql_typeref_text(ctx, &rex_gql_field_find(t, "tags")->type), "[Tag!]!");
	assert_null(rex_gql_field_find(t, "ghost"));
	assert_null(rex_gql_field_find(t, "ghost_id"));	/* planned once "nobody" exists */
	/* inputs */
	t = rex_gql_type_find(g, "PostCreateInput");
	assert_string_equal(rex_gql_typeref_text(ctx, &rex_gql_field_find(t, "title")->type), "String!");
	assert_string_equal(rex_gql_typeref_text(ctx, &rex_gql_field_find(t, "at")->type), "DateTime");
	assert_string_equal(rex_gql_typeref_text(ctx, &rex_gql_field_find(t, "id")->type), "ID");
	t = rex_gql_type_find(g, "PostOrderBy");
	assert_null(rex_gql_field_find(t, "meta"));	/* json is not orderable */
	t = rex_gql_type_find(g, "PostWhere");
	assert_int_equal(rex_gql_field_find(t, "and")->role, REX_GQL_F_AND);
	assert_string_equal(rex_gql_typeref_text(ctx, &rex_gql_field_find(t, "meta")->type), "JSONFilter");
	t = rex_gql_type_find(g, "JSONFilter");
	assert_int_equal(t->nfields, 1);
	assert_int_equal(t->fields[0].op, REX_GQL_OP_IS_NULL);
	t = rex_gql_type_find(g, "StringFilter");
	assert_int_equal(t->nfields, REX_GQL_OP_COUNT);
	assert_string_equal(rex_gql_typeref_text(ctx, &rex_gql_field_find(t, "in")->type), "[String!]");
	/* root fields */
	f = rex_gql_field_find(g->query, "people");
	assert_int_equal(f->role, REX_GQL_F_LIST);
	assert_string_equal(f->entity->name, "author");
	f = rex_gql_field_find(g->query, "code");
	assert_int_equal(f->role, REX_GQL_F_GET);
	assert_int_equal(f->args[0].role, REX_GQL_F_ARG_KEY);
	assert_string_equal(rex_gql_typeref_text(ctx, &f->args[0].type), "CodeLang!");
	f = rex_gql_field_find(g->mutation, "updateAuthor");
	assert_int_equal(f->nargs, 2);
	assert_int_equal(f->args[1].role, REX_GQL_F_ARG_DATA);
	assert_non_null(rex_gql_field_find(g->query, "peopleCount"));
	assert_non_null(rex_gql_field_find(g->mutation, "createPeople"));
}

static void
test_model_enums(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	rex_gql_schema *g;
	const rex_gql_type *t;
	static const char *const defs[] = {
		"t", "{'columns': {'id': {'type': 'id'},"
		" 'a': {'type': 'enum', 'values': ['x y', '1', 'true']},"
		" 'b': {'type': 'enum', 'values': ['a b', 'a-b']},"
		" 'c': {'type': 'enum', 'values': ['ok', '  no']}}}",
	};

	assert_ok(ctx, rex_gql_schema_build(ctx, schema_of(ctx, defs, 1), &g));
	t = rex_gql_type_find(g, "TA");
	assert_non_null(t);
	assert_int_equal(t->nvalues, 3);
	assert_string_equal(rex_gql_enum_by_value(t, "x y")->name, "x_y");
	assert_string_equal(rex_gql_enum_by_name(t, "_1")->value, "1");
	assert_string_equal(rex_gql_enum_by_name(t, "true_")->value, "true");
	/* two values with one name, or a name starting with __: a String */
	assert_null(rex_gql_type_find(g, "TB"));
	assert_null(rex_gql_type_find(g, "TC"));
	assert_string_equal(rex_gql_field_find(rex_gql_type_find(g, "T"), "b")->type.type->name, "String");
}

static void
test_model_empty(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	rex_gql_schema *g;
	const char *sdl;

	assert_ok(ctx, rex_gql_schema_build(ctx, schema_of(ctx, NULL, 0), &g));
	assert_null(g->mutation);
	assert_int_equal(g->query->nfields, 1);
	assert_int_equal(g->query->fields[0].role, REX_GQL_F_PLACEHOLDER);
	assert_ok(ctx, rex_gql_print_sdl(ctx, g, &sdl));
	assert_string_equal(sdl, "type Query {\n  \"No entity is defined yet; this field always answers null.\"\n"
						"  _empty: Boolean\n}\n");
}

static void
test_sdl_text(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	rex_gql_schema *g;
	const char *sdl;
	static const char *const defs[] = {
		"t", "{'description': 'say \\\"hi\\\"\\nback\\\\slash', 'columns': {'id': {'type': 'id'}}}",
	};

	assert_ok(ctx, rex_gql_schema_build(ctx, schema_of(ctx, defs, 1), &g));
	assert_ok(ctx, rex_gql_print_sdl(ctx, g, &sdl));
	assert_contains(sdl, "\"say \\\"hi\\\"\\nback\\\\slash\"\ntype T {\n  id: ID!\n}\n");
	assert_contains(sdl, "  ts(where: TWhere, orderBy: [TOrderBy!], limit: Int, offset: Int): [T!]!\n");
	assert_contains(sdl, "  deleteT(id: ID!): T\n}\n");
	assert_not_contains(sdl, " \n");
	/* Query and Mutation come last, in that order */
	assert_true(unit_pos(sdl, "type Query {") > unit_pos(sdl, "input TCreateInput {"));
	assert_true(unit_pos(sdl, "type Mutation {") > unit_pos(sdl, "type Query {"));
}

static void
test_model_duplicate_type(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	rex_gql_schema *g;
	static const char *const defs[] = {
		"blog_post", "{'columns': {'id': {'type': 'id'}}}",
		"blogPost", "{'table': 'bp2', 'columns': {'id': {'type': 'id'}}}",
	};

	/* define_entity refuses this; the builder refuses it too */
	assert_status(ctx, rex_gql_schema_build(ctx, schema_of(ctx, defs, 2), &g), REX_ERR_DEFINITION);
	assert_contains(ctx->err.message, "two types named \"BlogPost\"");
}

/* ---------------------------------------------------------------- */
/* define-time name checks, through define_entity on the fake engine */

typedef struct define_case
{
	const char *what;
	const char *first;			/* entity defined first, or NULL */
	const char *first_def;
	const char *name;
	const char *def;
	const char *message;		/* NULL: accepted */
} define_case;

static const define_case define_cases[] = {
	{"reserved type Query", NULL, NULL, "query", "{'columns': {'id': {'type': 'id'}}}",
	"the type would be named \"Query\""},
	{"reserved TypeScript name", NULL, NULL, "RexJson", "{'columns': {'id': {'type': 'id'}}}",
	"\"RexJson\""},
	{"reserved scalar Date", NULL, NULL, "date", "{'columns': {'id': {'type': 'id'}}}",
	"\"Date\""},
	{"column __x", NULL, NULL, "t", "{'columns': {'id': {'type': 'id'}, '__x': {'type': 'text'}}}",
	"columns.__x: a column name cannot start with \"__\""},
	{"column or", NULL, NULL, "t", "{'columns': {'id': {'type': 'id'}, 'or': {'type': 'text'}}}",
	"columns.or: a column cannot be named \"or\""},
	{"column OR is fine", NULL, NULL, "t", "{'columns': {'id': {'type': 'id'}, 'OR': {'type': 'text'}}}",
	NULL},
	{"column class is fine", NULL, NULL, "class", "{'columns': {'id': {'type': 'id'}, 'class': {'type': 'text'}}}",
	NULL},
	{"foreign key __x", NULL, NULL, "t", "{'columns': {'id': {'type': 'id'}}, 'relations': {'up': "
	"{'kind': 'belongs_to', 'entity': 't', 'foreign_key': '__up'}}}",
	"the foreign key column \"__up\""},
	{"plural equal to the name", NULL, NULL, "fish", "{'plural': 'fish', 'columns': {'id': {'type': 'id'}}}",
	"plural: the plural \"fish\" gives the same GraphQL name"},
	{"enum type colliding with an input", NULL, NULL, "u", "{'columns': {'id': {'type': 'id'}, "
	"'create_input': {'type': 'enum', 'values': ['a']}}}", "would both be the type \"UCreateInput\""},
	{"type of another entity", "blog_post", "{'columns': {'id': {'type': 'id'}}}", "blogPost",
	"{'table': 'bp', 'columns': {'id': {'type': 'id'}}}",
	"entity \"blogPost\": the type would be the type \"BlogPost\", which is already the type of entity \"blog_post\""},
	{"plural of another entity", "user", "{'columns': {'id': {'type': 'id'}}}", "users",
	"{'columns': {'id': {'type': 'id'}}}",
	"the query of one row would be the Query field \"users\", which is already the query of a list of entity \"user\""},
	{"bulk create of another entity", "box", "{'plural': 'box_list', 'columns': {'id': {'type': 'id'}}}",
	"box_list_item", "{'plural': 'box_list', 'columns': {'id': {'type': 'id'}}}",
	"Query field \"boxList\", which is already the query of a list of entity \"box\""},
	{"enum type of another entity", "user", "{'columns': {'id': {'type': 'id'}, 'role': {'type': 'enum', "
	"'values': ['a']}}}", "user_role", "{'columns': {'id': {'type': 'id'}}}",
	"which is already the enum type of column \"role\" of entity \"user\""},
	{"distinct names", "user", "{'columns': {'id': {'type': 'id'}}}", "user_group",
	"{'columns': {'id': {'type': 'id'}}}", NULL},
};

static void
test_define_names(void **state)
{
	const define_case *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	const char *out;
	rex_status	st;

	if (c->first)
		assert_ok(ctx, rex_api_define_entity(ctx, c->first, unit_q(ctx, c->first_def), &out));
	st = rex_api_define_entity(ctx, c->name, unit_q(ctx, c->def), &out);
	if (c->message == NULL)
		assert_ok(ctx, st);
	else
	{
		assert_status(ctx, st, REX_ERR_DEFINITION);
		assert_contains(ctx->err.message, c->message);
		assert_non_null(ctx->err.hint);
	}
}

/* ---------------------------------------------------------------- */
/* regular expressions of the JSON Schema */

typedef struct ecma_case
{
	const char *pattern;		/* as written in a definition */
	const char *ecma;
} ecma_case;

static const ecma_case ecma_cases[] = {
	{"^[a-z]+$", "^[a-z]+$"},
	{"a.b", "a[\\s\\S]b"},
	{"[.]", "[.]"},
	{"\\d\\s\\w", "[0-9][ \\t\\n\\r\\f][A-Za-z0-9_]"},
	{"\\-\\@\\#\\.", "\\x2D\\x40\\x23\\."},
	{"[\\-\\@]", "[\\-\\x40]"},
	{"\\/\\{\\}", "\\/\\{\\}"},
	{"(?:ab){2,3}?", "(?:ab){2,3}?"},
	{"\\n\\t", "\\n\\t"},
	{"[^\\]x]", "[^\\]x]"},
	{"\xe6\x97\xa5.", "\xe6\x97\xa5[\\s\\S]"},
};

static void
test_regex_ecma(void **state)
{
	const ecma_case *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	const char *why = NULL;
	const char *portable = rex_regex_portable(ctx, c->pattern, &why);

	assert_non_null(portable);
	assert_string_equal(rex_regex_ecma(ctx, portable), c->ecma);
}

/* Compares two non-negative decimal strings exactly: <0, 0, >0. */
static int
dec_cmp_abs(const char *a, const char *b)
{
	const char *ia = a,
			   *ib = b,
			   *da,
			   *db;
	size_t		la,
				lb;
	int			c;

	while (*ia == '0' && ia[1] && ia[1] != '.')
		ia++;
	while (*ib == '0' && ib[1] && ib[1] != '.')
		ib++;
	da = strchr(ia, '.');
	db = strchr(ib, '.');
	la = da ? (size_t) (da - ia) : strlen(ia);
	lb = db ? (size_t) (db - ib) : strlen(ib);
	if (la != lb)
		return la < lb ? -1 : 1;
	if ((c = strncmp(ia, ib, la)) != 0)
		return c;
	da = da ? da + 1 : "";
	db = db ? db + 1 : "";
	while (*da || *db)
	{
		char		x = *da ? *da++ : '0';
		char		y = *db ? *db++ : '0';

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

static bool
dec_is_zero(const char *s)
{
	return strspn(s, "0.") == strlen(s);
}

/* Exact comparison of signed decimal strings. */
static int
dec_cmp(const char *a, const char *b)
{
	bool		na = a[0] == '-' && !dec_is_zero(a + 1);
	bool		nb = b[0] == '-' && !dec_is_zero(b + 1);
	const char *ma = a[0] == '-' ? a + 1 : a;
	const char *mb = b[0] == '-' ? b + 1 : b;

	if (na != nb)
		return na ? -1 : 1;
	return na ? -dec_cmp_abs(ma, mb) : dec_cmp_abs(ma, mb);
}

/* Every bound against many decimal strings: the pattern says >= / <= as
 * exact decimal arithmetic does. */
static void
test_decimal_bounds(void **state)
{
	rex_ctx    *ctx = unit_ctx(state, &rex_dialect_sqlite);
	static const char *const bounds[] = {
		"0", "-0.0", "1", "-1", "10", "-10", "0.5", "-0.5", "99.95", "-2.5", "1000.5", "0.00001",
		"123", "-123.4", "0.1", "1e-07", "1.5e3", "100", "9", "-9.9"
	};
	static const char *const values[] = {
		"0", "-0", "00", "0.0", "-0.000", "1", "01", "1.0", "1.00001", "0.99999", "-1", "-1.0",
		"-0.99", "-1.01", "10", "9", "9.99", "10.000", "10.01", "11", "99", "100", "-10", "-9",
		"-10.5", "0.5", "0.50", "0.49", "0.51", "-0.5", "-0.49", "-0.51", "99.95", "99.949",
		"99.951", "100.0", "-2.5", "-2.50", "-2.49", "-2.51", "-3", "1000.5", "1000.49", "1000.51",
		"1001", "999", "0.00001", "0.000010", "0.000009", "0.0000101", "00.00001", "123", "122.99",
		"123.01", "0123", "-123.4", "-123.39", "-123.41", "-124", "0.1", "0.09", "0.10", "0.11",
		"0.0000001", "0.00000009", "0.00000011", "1500", "1499.9", "1500.01", "10000", "-9.9",
		"-9.90", "-9.89", "-9.91", "5", "55.5", "0000", "8"
	};
	size_t		i,
				j;

	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++)
	{
		json_t	   *b = rex_json_parse(ctx, bounds[i], "bound");
		const char *plain;
		const char *ge,
				   *le;

		assert_non_null(b);
		/* the exact value of the bound, for the reference comparison */
		plain = strcmp(bounds[i], "1e-07") == 0 ? "0.0000001" :
			strcmp(bounds[i], "1.5e3") == 0 ? "1500" : bounds[i];
		ge = rex_decimal_bound_regex(ctx, b, true);
		le = rex_decimal_bound_regex(ctx, b, false);
		assert_non_null(ge);
		assert_non_null(le);
		for (j = 0; j < sizeof(values) / sizeof(values[0]); j++)
		{
			bool		m_ge,
						m_le;
			int			cmp = dec_cmp(values[j], plain);

			assert_ok(ctx, rex_regex_match(ctx, ge, values[j], &m_ge));
			assert_ok(ctx, rex_regex_match(ctx, le, values[j], &m_le));
			if (m_ge != (cmp >= 0) || m_le != (cmp <= 0))
				unit_fail("bound %s, value %s: >= %d (want %d), <= %d (want %d)\n  ge: %s\n  le: %s",
						  bounds[i], values[j], m_ge, cmp >= 0, m_le, cmp <= 0, ge, le);
		}
	}
}

typedef struct pattern_case
{
	const char *const *pattern;
	const char *value;
	bool		matches;
} pattern_case;

static const pattern_case pattern_cases[] = {
	{&rex_re_date, "2024-02-29", true},
	{&rex_re_date, "2023-02-29", false},
	{&rex_re_date, "2000-02-29", true},
	{&rex_re_date, "1900-02-29", false},
	{&rex_re_date, "0000-01-01", false},
	{&rex_re_date, "0400-02-29", true},
	{&rex_re_date, "9999-12-31", true},
	{&rex_re_date, "2026-04-31", false},
	{&rex_re_timestamp, "2026-01-31T12:00:00.123Z", true},
	{&rex_re_timestamp, "2026-01-31T12:00:00.1234Z", false},
	{&rex_re_timestamp, "2026-01-31T24:00:00Z", false},
	{&rex_re_date_time, "2026-01-31t23:59:59.999999-23:59", true},
	{&rex_re_date_time, "2026-01-31T23:59:60Z", false},
	{&rex_re_base64, "", true},
	{&rex_re_base64, "AQ==", true},
	{&rex_re_base64, "A===", false},
	{&rex_re_uuid, "123E4567-e89b-12d3-a456-426614174000", true},
	{&rex_re_email, "a.b@c.de", true},
	{&rex_re_email, "a@b", false},
	{&rex_re_url, "http://a\"b", true},
	{&rex_re_url, "http://#x", false},
};

/* Each type's pattern against the C that validate() uses. */
static void
test_type_patterns(void **state)
{
	const pattern_case *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	bool		m;
	char		buf[37];
	bool		want = c->matches;

	assert_ok(ctx, rex_regex_match(ctx, *c->pattern, c->value, &m));
	assert_int_equal(m, want);
	/* and the C agrees */
	if (c->pattern == &rex_re_date)
		assert_int_equal(rex_date_valid(c->value), want);
	else if (c->pattern == &rex_re_uuid)
		assert_int_equal(rex_format_valid(REX_FORMAT_UUID, c->value), want);
	else if (c->pattern == &rex_re_email)
		assert_int_equal(rex_format_valid(REX_FORMAT_EMAIL, c->value), want);
	else if (c->pattern == &rex_re_url)
		assert_int_equal(rex_format_valid(REX_FORMAT_URL, c->value), want);
	else if (c->pattern == &rex_re_date_time)
		assert_int_equal(rex_format_valid(REX_FORMAT_DATE_TIME, c->value), want);
	(void) buf;
}

/* ---------------------------------------------------------------- */
/* json_schema() and typescript() on the fake engine */

static void
test_json_schema_api(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	const char *out;
	json_t	   *doc;
	json_t	   *p;

	assert_ok(ctx, rex_api_define_entity(ctx, "item", unit_q(ctx,
				"{'columns': {'id': {'type': 'id'}, 'price': {'type': 'decimal', 'precision': 6,"
				" 'scale': 2, 'validate': {'min': 0}},"
				" 'qty': {'type': 'integer', 'nullable': false, 'validate': {'max': 10}},"
				" 'sku': {'type': 'text', 'validate': {'pattern': 'a.c', 'required': true}}}}"), &out));
	assert_ok(ctx, rex_api_json_schema(ctx, "item", &out));
	doc = rex_json_parse(ctx, out, "answer");
	assert_string_equal(json_string_value(json_object_get(doc, "$ref")), "#/$defs/Item");
	p = json_object_get(json_object_get(json_object_get(json_object_get(doc, "$defs"),
																 "ItemCreateInput"), "properties"), "qty");
	assert_string_equal(unit_canon_text(ctx, p),
						"{\"maximum\":10,\"minimum\":-2147483648,\"type\":\"integer\"}");
	p = json_object_get(json_object_get(json_object_get(json_object_get(doc, "$defs"),
																 "ItemCreateInput"), "properties"), "sku");
	assert_string_equal(unit_canon_text(ctx, p),
						"{\"minLength\":1,\"pattern\":\"a[\\\\s\\\\S]c\",\"type\":\"string\"}");
	assert_contains(out, "\"required\":[\"qty\",\"sku\"]");
	assert_contains(out, "\"ItemUpdateInput\"");
	assert_status(ctx, rex_api_json_schema(ctx, "nothing", &out), REX_ERR_NOT_FOUND);
}

static void
test_typescript_api(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	const char *out;

	assert_ok(ctx, rex_api_define_entity(ctx, "item", unit_q(ctx,
				"{'description': 'ends a */ comment', 'columns': {'id': {'type': 'id'},"
				" 'price': {'type': 'decimal'}, 'kind': {'type': 'enum', 'values': ['a\\\"b', 'c']},"
				" 'doc': {'type': 'json', 'nullable': false}}}"), &out));
	assert_ok(ctx, rex_api_typescript(ctx, &out));
	assert_contains(out, "/** ends a *\\/ comment */\nexport interface Item {\n");
	assert_contains(out, "export type ItemKind = \"a\\\"b\" | \"c\";\n");
	assert_contains(out, "  price: string | null;\n");
	assert_contains(out, "  price?: string | number | null;\n");
	assert_contains(out, "  doc: RexJson;\n");
	assert_contains(out, "export type ItemWith<K extends keyof ItemRelations> = Item & "
					"{ [P in K]: ItemRelations[P] };\n");
	assert_contains(out, "export type RexChangeEvent =\n  | ItemChangeEvent;\n");
	assert_not_contains(out, "Partial<");
}

void
unit_register_schemas(unit_suite *s)
{
	size_t		i;
	char		name[160];

	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++)
	{
		snprintf(name, sizeof(name), "schemas: names of %s", name_cases[i].ident);
		unit_add(s, name, test_names, &name_cases[i]);
	}
	unit_add(s, "schemas: the names of an entity", test_entity_names, NULL);
	for (i = 0; i < sizeof(enum_cases) / sizeof(enum_cases[0]); i++)
	{
		snprintf(name, sizeof(name), "schemas: enum value name of '%s'", enum_cases[i].value);
		unit_add(s, name, test_enum_value_names, &enum_cases[i]);
	}
	unit_add(s, "schemas: model types, fields, roles and lookups", test_model_types, NULL);
	unit_add(s, "schemas: enum columns mapped or typed String", test_model_enums, NULL);
	unit_add(s, "schemas: an empty catalog", test_model_empty, NULL);
	unit_add(s, "schemas: SDL text and escapes", test_sdl_text, NULL);
	unit_add(s, "schemas: the builder refuses two types of one name", test_model_duplicate_type, NULL);
	for (i = 0; i < sizeof(define_cases) / sizeof(define_cases[0]); i++)
	{
		snprintf(name, sizeof(name), "schemas: define_entity names: %s", define_cases[i].what);
		unit_add(s, name, test_define_names, &define_cases[i]);
	}
	for (i = 0; i < sizeof(ecma_cases) / sizeof(ecma_cases[0]); i++)
	{
		snprintf(name, sizeof(name), "schemas: ECMA pattern of %s", ecma_cases[i].pattern);
		unit_add(s, name, test_regex_ecma, &ecma_cases[i]);
	}
	unit_add(s, "schemas: decimal bounds as patterns", test_decimal_bounds, NULL);
	for (i = 0; i < sizeof(pattern_cases) / sizeof(pattern_cases[0]); i++)
	{
		snprintf(name, sizeof(name), "schemas: type pattern %zu on '%s'", i, pattern_cases[i].value);
		unit_add(s, name, test_type_patterns, &pattern_cases[i]);
	}
	unit_add(s, "schemas: json_schema() on the fake engine", test_json_schema_api, NULL);
	unit_add(s, "schemas: typescript() on the fake engine", test_typescript_api, NULL);
}
