/*
 * test_graphql_parse.c
 *		Unit tests of the GraphQL parser (graphql_parse.c) and printer
 *		(graphql_print.c): the executable grammar, the tree and its
 *		locations, syntax errors with their locations, the depth, size and
 *		token limits, and printing round trips.
 */
#include "test_frontend.h"

#include <stdio.h>
#include <stdlib.h>

/* graphql-js's getIntrospectionQuery() (descriptions on, as its default) */
static const char introspection_query[] =
	"\n    query IntrospectionQuery {\n      __schema {\n        \n        queryType { name }\n"
	"        mutationType { name }\n        subscriptionType { name }\n        types {\n"
	"          ...FullType\n        }\n        directives {\n          name\n"
	"          description\n          \n          locations\n          args {\n"
	"            ...InputValue\n          }\n        }\n      }\n    }\n\n"
	"    fragment FullType on __Type {\n      kind\n      name\n      description\n      \n"
	"      fields(includeDeprecated: true) {\n        name\n        description\n"
	"        args {\n          ...InputValue\n        }\n        type {\n          ...TypeRef\n"
	"        }\n        isDeprecated\n        deprecationReason\n      }\n      inputFields {\n"
	"        ...InputValue\n      }\n      interfaces {\n        ...TypeRef\n      }\n"
	"      enumValues(includeDeprecated: true) {\n        name\n        description\n"
	"        isDeprecated\n        deprecationReason\n      }\n      possibleTypes {\n"
	"        ...TypeRef\n      }\n    }\n\n    fragment InputValue on __InputValue {\n"
	"      name\n      description\n      type { ...TypeRef }\n      defaultValue\n      \n"
	"      \n    }\n\n    fragment TypeRef on __Type {\n      kind\n      name\n"
	"      ofType {\n        kind\n        name\n        ofType {\n          kind\n"
	"          name\n          ofType {\n            kind\n            name\n"
	"            ofType {\n              kind\n              name\n              ofType {\n"
	"                kind\n                name\n                ofType {\n"
	"                  kind\n                  name\n                  ofType {\n"
	"                    kind\n                    name\n                  }\n"
	"                }\n              }\n            }\n          }\n        }\n      }\n    }\n  ";

/* Prints a parsed document; must parse. */
static const char *
reprint(rex_ctx *ctx, const char *text)
{
	return rex_gql_print(ctx, parse_gql_ok(ctx, text));
}

/* The standard introspection query parses, with its structure. */
static void
test_introspection_query(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *doc = parse_gql_ok(ctx, introspection_query);

	assert_int_equal(doc->nops, 1);
	assert_int_equal(doc->nfrags, 3);
	assert_string_equal(doc->ops[0].name, "IntrospectionQuery");
	assert_int_equal(doc->ops[0].loc.line, 2);
	assert_int_equal(doc->ops[0].loc.column, 5);
	assert_string_equal(doc->frags[0].name, "FullType");
	assert_string_equal(doc->frags[0].type_condition, "__Type");
	assert_string_equal(doc->frags[2].name, "TypeRef");
	assert_int_equal(doc->frags[2].index, 2);
	assert_string_equal(rex_gql_print(ctx, doc),
						"query IntrospectionQuery { __schema { queryType { name } mutationType { name } subscriptionType { name } types { ...FullType } directives { name description locations args { ...InputValue } } } }\n"
						"fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } }\n"
						"fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }\n"
						"fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }\n");
	/* and the tree validates without a schema */
	assert_string_equal(gql_validate_text(ctx, introspection_query, NULL, NULL, NULL), "");
}

/* The executable part of graphql-js's kitchen sink. */
static const char kitchen_sink[] =
	"query queryName($foo: ComplexType, $site: Site = MOBILE) @onQuery {\n"
	"  whoever123is: node(id: [123, 456]) {\n"
	"    id ,\n"
	"    ... on User @onInlineFragment {\n"
	"      field2 {\n"
	"        id ,\n"
	"        alias: field1(first:10, after:$foo,) @include(if: $foo) {\n"
	"          id,\n"
	"          ...frag @onFragmentSpread\n"
	"        }\n"
	"      }\n"
	"    }\n"
	"    ... @skip(unless: $foo) {\n"
	"      id\n"
	"    }\n"
	"    ... {\n"
	"      id\n"
	"    }\n"
	"  }\n"
	"}\n"
	"\n"
	"mutation likeStory @onMutation {\n"
	"  like(story: 123) @onField {\n"
	"    story {\n"
	"      id @onField\n"
	"    }\n"
	"  }\n"
	"}\n"
	"\n"
	"subscription StoryLikeSubscription(\n"
	"  $input: StoryLikeSubscribeInput @onVariableDefinition\n"
	")\n"
	"  @onSubscription {\n"
	"  storyLikeSubscribe(input: $input) {\n"
	"    story {\n"
	"      likers {\n"
	"        count\n"
	"      }\n"
	"      likeSentence {\n"
	"        text\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"}\n"
	"\n"
	"fragment frag on Friend @onFragmentDefinition {\n"
	"  foo(\n"
	"    size: $size\n"
	"    bar: $b\n"
	"    obj: {key: \"value\", block: \"\"\"\n"
	"      block string uses \\\"\"\"\n"
	"    \"\"\"}\n"
	"  )\n"
	"}\n"
	"\n"
	"{\n"
	"  unnamed(truthy: true, falsy: false, nullish: null),\n"
	"  query\n"
	"}\n"
	"\n"
	"query { __typename }\n";

static void
test_kitchen_sink(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *doc = parse_gql_ok(ctx, kitchen_sink);
	const rex_gql_selection *node;
	const rex_gql_selection *alias;

	assert_int_equal(doc->nops, 5);
	assert_int_equal(doc->nfrags, 1);
	assert_int_equal(doc->ops[0].kind, REX_GQL_QUERY);
	assert_int_equal(doc->ops[1].kind, REX_GQL_MUTATION);
	assert_int_equal(doc->ops[2].kind, REX_GQL_SUBSCRIPTION);
	assert_null(doc->ops[3].name);
	assert_null(doc->ops[4].name);
	/* whoever123is: node(id: [123, 456]) */
	node = &doc->ops[0].selection_set->items[0];
	assert_int_equal(node->kind, REX_GQL_FIELD);
	assert_string_equal(node->alias, "whoever123is");
	assert_string_equal(node->name, "node");
	assert_int_equal(node->loc.line, 2);
	assert_int_equal(node->loc.column, 3);
	assert_int_equal(node->name_loc.column, 17);
	assert_int_equal(node->nargs, 1);
	assert_int_equal(node->args[0].value->kind, REX_GQL_LIST);
	assert_int_equal(node->args[0].value->nitems, 2);
	assert_string_equal(node->args[0].value->items[1]->text, "456");
	assert_int_equal(node->selection_set->nitems, 4);
	assert_int_equal(node->selection_set->items[1].kind, REX_GQL_INLINE_FRAGMENT);
	assert_string_equal(node->selection_set->items[1].type_condition, "User");
	assert_int_equal(node->selection_set->items[2].kind, REX_GQL_INLINE_FRAGMENT);
	assert_null(node->selection_set->items[2].type_condition);
	assert_string_equal(node->selection_set->items[2].directives[0].name, "skip");
	/* alias: field1(first:10, after:$foo,) @include(if: $foo) */
	alias = &node->selection_set->items[1].selection_set->items[0].selection_set->items[1];
	assert_string_equal(alias->alias, "alias");
	assert_int_equal(alias->nargs, 2);
	assert_int_equal(alias->args[1].value->kind, REX_GQL_VARIABLE);
	assert_string_equal(alias->args[1].value->text, "foo");
	assert_int_equal(alias->args[1].value->loc.line, 7);
	assert_int_equal(alias->args[1].value->loc.column, 39);
	assert_int_equal(alias->ndirectives, 1);
	assert_int_equal(alias->directives[0].loc.column, 46);
	assert_int_equal(alias->selection_set->items[1].kind, REX_GQL_FRAGMENT_SPREAD);
	assert_string_equal(alias->selection_set->items[1].name, "frag");
	/* variable definitions with defaults and directives */
	assert_int_equal(doc->ops[0].nvars, 2);
	assert_string_equal(doc->ops[0].vars[1].name, "site");
	assert_int_equal(doc->ops[0].vars[1].default_value->kind, REX_GQL_ENUM);
	assert_string_equal(doc->ops[2].vars[0].directives[0].name, "onVariableDefinition");
	/* the block string inside an object value */
	assert_string_equal(doc->frags[0].selection_set->items[0].args[2].value->fields[1].value->text,
						"block string uses \"\"\"");
	/* "query" is a field name too */
	assert_string_equal(doc->ops[3].selection_set->items[1].name, "query");
	assert_string_equal(rex_gql_print(ctx, doc),
						"query queryName($foo: ComplexType $site: Site = MOBILE) @onQuery { whoever123is: node(id: [123 456]) { id ... on User @onInlineFragment { field2 { id alias: field1(first: 10 after: $foo) @include(if: $foo) { id ...frag @onFragmentSpread } } } ... @skip(unless: $foo) { id } ... { id } } }\n"
						"mutation likeStory @onMutation { like(story: 123) @onField { story { id @onField } } }\n"
						"subscription StoryLikeSubscription($input: StoryLikeSubscribeInput @onVariableDefinition) @onSubscription { storyLikeSubscribe(input: $input) { story { likers { count } likeSentence { text } } } }\n"
						"query { unnamed(truthy: true falsy: false nullish: null) query }\n"
						"query { __typename }\n"
						"fragment frag on Friend @onFragmentDefinition { foo(size: $size bar: $b obj: {key: \"value\" block: \"block string uses \\\"\\\"\\\"\"}) }\n");
}

/* Every kind of value, as parsed and as printed. */
static void
test_values(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *doc =
		parse_gql_ok(ctx, "{ f(a: -1, b: 1.5e-3, c: \"s\\n\", d: true, e: false, f: null, "
					 "g: RED, h: [], i: {}, j: [[1], {x: [$v]}], k: \"\"\"b\"\"\", l: $v) }");
	const rex_gql_argument *args = doc->ops[0].selection_set->items[0].args;

	assert_int_equal(args[0].value->kind, REX_GQL_INT);
	assert_string_equal(args[0].value->text, "-1");
	assert_int_equal(args[1].value->kind, REX_GQL_FLOAT);
	assert_string_equal(args[1].value->text, "1.5e-3");
	assert_int_equal(args[2].value->kind, REX_GQL_STRING);
	assert_string_equal(args[2].value->text, "s\n");
	assert_false(args[2].value->block);
	assert_int_equal(args[3].value->kind, REX_GQL_BOOLEAN);
	assert_true(args[3].value->boolean);
	assert_false(args[4].value->boolean);
	assert_int_equal(args[5].value->kind, REX_GQL_NULL);
	assert_int_equal(args[6].value->kind, REX_GQL_ENUM);
	assert_string_equal(args[6].value->text, "RED");
	assert_int_equal(args[7].value->kind, REX_GQL_LIST);
	assert_int_equal(args[7].value->nitems, 0);
	assert_int_equal(args[8].value->kind, REX_GQL_OBJECT);
	assert_int_equal(args[8].value->nfields, 0);
	assert_int_equal(args[9].value->items[1]->fields[0].value->items[0]->kind, REX_GQL_VARIABLE);
	assert_true(args[10].value->block);
	assert_string_equal(args[11].value->text, "v");
	assert_int_equal(args[11].value->loc.column, 119);
	assert_string_equal(rex_gql_value_text(ctx, args[9].value), "[[1], {x: [$v]}]");
	assert_string_equal(rex_gql_print(ctx, doc),
						"query { f(a: -1 b: 1.5e-3 c: \"s\\n\" d: true e: false f: null g: RED h: [] i: {} j: [[1] {x: [$v]}] k: \"b\" l: $v) }\n");
}

/* Types of variables: named, list, non-null, nested. */
static void
test_types(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *doc =
		parse_gql_ok(ctx, "query ($a: Int, $b: Int!, $c: [Int], $d: [Int!]!, $e: [[String!]]!) { f }");
	const rex_gql_variable_def *v = doc->ops[0].vars;

	assert_int_equal(doc->ops[0].nvars, 5);
	assert_int_equal(v[0].type->kind, REX_GQL_TYPE_NAMED);
	assert_int_equal(v[1].type->kind, REX_GQL_TYPE_NON_NULL);
	assert_int_equal(v[1].type->of->kind, REX_GQL_TYPE_NAMED);
	assert_int_equal(v[3].type->kind, REX_GQL_TYPE_NON_NULL);
	assert_int_equal(v[3].type->of->kind, REX_GQL_TYPE_LIST);
	assert_int_equal(v[3].type->of->of->kind, REX_GQL_TYPE_NON_NULL);
	assert_string_equal(v[3].type->of->of->of->name, "Int");
	assert_string_equal(rex_gql_type_text(ctx, v[4].type), "[[String!]]!");
	assert_string_equal(rex_gql_type_base(v[4].type), "String");
	assert_int_equal(v[4].loc.column, 51);
	assert_int_equal(v[4].type->loc.column, 55);
}

typedef struct err_case
{
	const char *text;
	const char *message;
	int			line;
	int			column;
} err_case;

static const err_case syntax_errors[] = {
	{"", "Syntax Error: Unexpected <EOF>.", 1, 1},
	{"{", "Syntax Error: Expected Name, found <EOF>.", 1, 2},
	{"{}", "Syntax Error: Expected Name, found \"}\".", 1, 2},
	{"{ a", "Syntax Error: Expected Name, found <EOF>.", 1, 4},
	{"{ a { } }", "Syntax Error: Expected Name, found \"}\".", 1, 7},
	{"{ a() }", "Syntax Error: Expected Name, found \")\".", 1, 5},
	{"{ a(b) }", "Syntax Error: Expected \":\", found \")\".", 1, 6},
	{"{ a(b:) }", "Syntax Error: Unexpected \")\".", 1, 7},
	{"{ a: }", "Syntax Error: Expected Name, found \"}\".", 1, 6},
	{"{ ...on }", "Syntax Error: Expected Name, found \"}\".", 1, 9},
	{"{ ... }", "Syntax Error: Expected \"{\", found \"}\".", 1, 7},
	{"{ ... @ }", "Syntax Error: Expected Name, found \"}\".", 1, 9},
	{"{ a @ }", "Syntax Error: Expected Name, found \"}\".", 1, 7},
	{"notanoperation Foo { field }", "Syntax Error: Unexpected Name \"notanoperation\".", 1, 1},
	{"...", "Syntax Error: Unexpected \"...\".", 1, 1},
	{"{ ...MissingOn }\nfragment MissingOn Type", "Syntax Error: Expected \"on\", found Name \"Type\".", 2, 20},
	{"{ field: {} }", "Syntax Error: Expected Name, found \"{\".", 1, 10},
	{"fragment on on on { on }", "Syntax Error: Unexpected Name \"on\".", 1, 10},
	{"{ ...on on }", "Syntax Error: Expected \"{\", found \"}\".", 1, 12},
	{"query Foo($x: Complex = { a: { b: [ $var ] } }) { field }",
	 "Syntax Error: Unexpected variable \"$var\" in constant value.", 1, 37},
	{"query Foo($x: Int = $) { field }", "Syntax Error: Unexpected \"$\" in constant value.", 1, 21},
	{"query Foo($x) { a }", "Syntax Error: Expected \":\", found \")\".", 1, 13},
	{"query Foo($x: ) { a }", "Syntax Error: Expected Name, found \")\".", 1, 15},
	{"query Foo() { a }", "Syntax Error: Expected \"$\", found \")\".", 1, 11},
	{"query Foo(x: Int) { a }", "Syntax Error: Expected \"$\", found Name \"x\".", 1, 11},
	{"query Foo($x: [Int) { a }", "Syntax Error: Expected \"]\", found \")\".", 1, 19},
	{"query Foo($x: Int!!) { a }", "Syntax Error: Expected \"$\", found \"!\".", 1, 19},
	{"query Foo($x: Int @dir(a: $y)) { a }",
	 "Syntax Error: Unexpected variable \"$y\" in constant value.", 1, 27},
	{"query Foo { a } extra", "Syntax Error: Unexpected Name \"extra\".", 1, 17},
	{"query { a } }", "Syntax Error: Unexpected \"}\".", 1, 13},
	{"query", "Syntax Error: Expected \"{\", found <EOF>.", 1, 6},
	{"query Foo", "Syntax Error: Expected \"{\", found <EOF>.", 1, 10},
	{"mutation", "Syntax Error: Expected \"{\", found <EOF>.", 1, 9},
	{"fragment", "Syntax Error: Expected Name, found <EOF>.", 1, 9},
	{"fragment F on", "Syntax Error: Expected Name, found <EOF>.", 1, 14},
	{"fragment F on T", "Syntax Error: Expected \"{\", found <EOF>.", 1, 16},
	{"fragment F($x: Int) on T { a }", "Syntax Error: Expected \"on\", found \"(\".", 1, 11},
	{"{ a(x: [1, 2) }", "Syntax Error: Unexpected \")\".", 1, 13},
	{"{ a(x: {b: 1) }", "Syntax Error: Expected Name, found \")\".", 1, 13},
	{"{ a(x: {b 1}) }", "Syntax Error: Expected \":\", found Int \"1\".", 1, 11},
	{"{ a(x: {\"b\": 1}) }", "Syntax Error: Expected Name, found String \"b\".", 1, 9},
	{"\"description\" query { a }", "Syntax Error: Unexpected String \"description\".", 1, 1},
	{"type Query { a: Int }", "Syntax Error: Unexpected Name \"type\".", 1, 1},
	{"schema { query: Q }", "Syntax Error: Unexpected Name \"schema\".", 1, 1},
	{"extend type Q { a: Int }", "Syntax Error: Unexpected Name \"extend\".", 1, 1},
	{"directive @a on FIELD", "Syntax Error: Unexpected Name \"directive\".", 1, 1},
	{"{ a(x: 1.5.5) }", "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 11},
	{"{ a(x: \"\n\") }", "Syntax Error: Unterminated string.", 1, 9},
	{"{ a }\n\n  # comment\n   %", "Syntax Error: Unexpected character: \"%\".", 4, 4},
	{"query Q @ { a }", "Syntax Error: Expected Name, found \"{\".", 1, 11},
	{"{ a(x: $) }", "Syntax Error: Expected Name, found \")\".", 1, 9},
	{"{ a(x: $ 1) }", "Syntax Error: Expected Name, found Int \"1\".", 1, 10},
	{"{ a(x: &) }", "Syntax Error: Unexpected \"&\".", 1, 8},
	{"{ a | b }", "Syntax Error: Expected Name, found \"|\".", 1, 5},
	{"{ a(x: =) }", "Syntax Error: Unexpected \"=\".", 1, 8},
	{"{ a(x: 1 2) }", "Syntax Error: Expected Name, found Int \"2\".", 1, 10},
};

static void
test_syntax_error(void **state)
{
	const err_case *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_errors errs;
	rex_gql_document *doc;

	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_parse(ctx, c->text, strlen(c->text), NULL, &doc, &errs),
					 REX_ERR_DEFINITION);
	assert_int_equal(errs.count, 1);
	assert_string_equal(errs.first->message, c->message);
	assert_int_equal(errs.first->nlocations, 1);
	assert_int_equal(errs.first->locations[0].line, c->line);
	assert_int_equal(errs.first->locations[0].column, c->column);
}

/* Builds 'n' nested copies of open + close around 'inner'. */
static char *
nest(rex_ctx *ctx, const char *prefix, const char *open, const char *inner,
	 const char *close, const char *suffix, int n)
{
	size_t		lo = strlen(open),
				lc = strlen(close);
	size_t		len = strlen(prefix) + strlen(suffix) + strlen(inner) +
		(size_t) n * (lo + lc) + 1;
	char	   *s = rex_alloc(ctx, len);
	char	   *p = s;
	int			i;

	p = stpcpy(p, prefix);
	for (i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	p = stpcpy(p, inner);
	for (i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	strcpy(p, suffix);
	return s;
}

/* Nesting stops at max_depth, whatever nests: no unbounded recursion. */
static void
test_depth_limit(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_limits lim = rex_gql_limits_default();
	rex_gql_errors errs;
	rex_gql_document *doc;
	const char *deep;

	/* 64 selection sets: accepted; 65: refused */
	parse_gql_ok(ctx, nest(ctx, "", "{ a ", "b", " }", "", 63));
	assert_contains(parse_gql_fail(ctx, nest(ctx, "", "{ a ", "b", " }", "", 65)),
					"Syntax Error: Document is nested too deeply (the limit is 64 levels).");
	/* lists, objects, list types */
	assert_contains(parse_gql_fail(ctx, nest(ctx, "{ f(x: ", "[", "1", "]", ") }", 100)),
					"nested too deeply");
	assert_contains(parse_gql_fail(ctx, nest(ctx, "{ f(x: ", "{a: ", "1", "}", ") }", 100)),
					"nested too deeply");
	assert_contains(parse_gql_fail(ctx, nest(ctx, "query ($x: ", "[", "Int", "]", ") { a }", 100)),
					"nested too deeply");
	/* a million brackets: refused at the limit, not by the stack */
	deep = nest(ctx, "{ f(x: ", "[", "", "", "", 1000000);
	rex_gql_errors_init(&errs, 0);
	lim.max_bytes = 0;
	lim.max_tokens = 0;
	assert_int_equal(rex_gql_parse(ctx, deep, strlen(deep), &lim, &doc, &errs),
					 REX_ERR_DEFINITION);
	/* the selection set is the first level: the 64th bracket is refused */
	assert_contains(gql_errors_text(ctx, &errs), "\"column\":71}");
	/* the limit is a setting */
	lim = rex_gql_limits_default();
	lim.max_depth = 3;
	rex_gql_errors_init(&errs, 0);
	deep = "{ a { b { c { d } } } }";
	assert_int_equal(rex_gql_parse(ctx, deep, strlen(deep), &lim, &doc, &errs),
					 REX_ERR_DEFINITION);
	assert_string_equal(gql_errors_text(ctx, &errs),
						"[{\"message\":\"Syntax Error: Document is nested too deeply (the limit is 3 levels).\",\"locations\":[{\"line\":1,\"column\":13}]}]");
}

/* Size and token limits. */
static void
test_size_limits(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_limits lim = rex_gql_limits_default();
	rex_gql_errors errs;
	rex_gql_document *doc;
	char	   *big;
	size_t		n = REX_GQL_DEFAULT_MAX_BYTES + 1;

	big = rex_alloc(ctx, n + 1);
	memset(big, ' ', n);
	memcpy(big, "{ a }", 5);
	big[n] = '\0';
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_parse(ctx, big, n, NULL, &doc, &errs), REX_ERR_DEFINITION);
	assert_null(doc);
	assert_string_equal(gql_errors_text(ctx, &errs),
						"[{\"message\":\"Syntax Error: Document is 262145 bytes long; the limit is 262144 bytes.\"}]");
	/* exactly at the limit: accepted */
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_parse(ctx, big, n - 1, NULL, &doc, &errs), REX_OK);
	/* tokens */
	lim.max_tokens = 5;
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_parse(ctx, "{ a b c }", 9, &lim, &doc, &errs), REX_OK);
	assert_int_equal(doc->ntokens, 5);
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_parse(ctx, "{ a b c d }", 11, &lim, &doc, &errs),
					 REX_ERR_DEFINITION);
	assert_contains(gql_errors_text(ctx, &errs), "Document contains more than 5 tokens.");
	/* comments do not count */
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_parse(ctx, "# x y z\n{ a b c } # q r s", 25, &lim, &doc, &errs),
					 REX_OK);
}

/* Locations of operations, fragments and their names. */
static void
test_locations(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *doc =
		parse_gql_ok(ctx, "\r\n  query Q($a: Int) { f }\r\n\tfragment F on T { g }\n{ h }");

	assert_int_equal(doc->ops[0].loc.line, 2);
	assert_int_equal(doc->ops[0].loc.column, 3);
	assert_int_equal(doc->ops[0].name_loc.column, 9);
	assert_int_equal(doc->ops[0].vars[0].loc.column, 11);
	assert_int_equal(doc->ops[0].selection_set->loc.column, 20);
	assert_int_equal(doc->ops[0].selection_set->items[0].loc.column, 22);
	assert_int_equal(doc->frags[0].loc.line, 3);
	assert_int_equal(doc->frags[0].loc.column, 2);
	assert_int_equal(doc->frags[0].name_loc.column, 11);
	assert_int_equal(doc->frags[0].type_condition_loc.column, 16);
	assert_int_equal(doc->ops[1].loc.line, 4);
	assert_int_equal(doc->ops[1].loc.column, 1);
}

/* Printing then parsing gives the same text (strings with escapes). */
static void
test_print_round_trip(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	static const char *const docs[] = {
		"{ a(s: \"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u0001\\u007F\\u00e9\\u{1F600}\") }",
		"{ a(s: \"\\u0000\") }",
		"{ a(s: \"\"\"\n   block \\\"\"\" \"quoted\"\n     indented\n\"\"\") }",
		"query Q($a: [[Int!]!] = [[1]] @d(x: 1), $b: E = A) @q { ...F @s ... on T @t { x } }\nfragment F on T @f { y }",
		"subscription { s }",
		"{ a { b { c { d(e: {f: [{g: null}]}) } } } }",
	};
	size_t		i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
	{
		const char *once = reprint(ctx, docs[i]);

		assert_string_equal(reprint(ctx, once), once);
	}
	assert_string_equal(reprint(ctx, docs[0]),
						"query { a(s: \"q\\\"b\\\\s/\\u0008\\u000C\\n\\r\\t\\u0001\\u007F\xC3\xA9\xF0\x9F\x98\x80\") }\n");
	assert_string_equal(reprint(ctx, docs[1]), "query { a(s: \"\\u0000\") }\n");
	assert_string_equal(reprint(ctx, docs[2]),
						"query { a(s: \"block \\\"\\\"\\\" \\\"quoted\\\"\\n  indented\") }\n");
}

/* A refused document leaves no tree and no context error. */
static void
test_refused_document(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_errors errs;
	rex_gql_document *doc = (rex_gql_document *) 1;

	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_parse(ctx, "{ a(", 4, NULL, &doc, &errs), REX_ERR_DEFINITION);
	assert_null(doc);
	assert_int_equal(ctx->err.status, REX_OK);
	assert_int_equal(errs.count, 1);
	/* the errors list as a response's "errors" */
	assert_string_equal(gql_errors_text(ctx, &errs),
						"[{\"message\":\"Syntax Error: Expected Name, found <EOF>.\",\"locations\":[{\"line\":1,\"column\":5}]}]");
}

/* Error lists: the limit and the closing message. */
static void
test_error_list(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_errors errs;
	rex_gql_loc l1 = {1, 2};
	rex_gql_loc l2 = {3, 4};
	rex_gql_error *e;
	json_t	   *path;
	int			i;

	rex_gql_errors_init(&errs, 3);
	for (i = 0; i < 5; i++)
		rex_gql_error_add(ctx, &errs, &l1, i == 0 ? &l2 : NULL, "error %d", i);
	assert_int_equal(errs.count, 4);
	assert_true(errs.full);
	assert_string_equal(gql_errors_text(ctx, &errs),
						"[{\"message\":\"error 0\",\"locations\":[{\"line\":1,\"column\":2},{\"line\":3,\"column\":4}]},"
						"{\"message\":\"error 1\",\"locations\":[{\"line\":1,\"column\":2}]},"
						"{\"message\":\"error 2\",\"locations\":[{\"line\":1,\"column\":2}]},"
						"{\"message\":\"Too many errors, error limit reached. Validation aborted.\"}]");
	/* a path and no location */
	rex_gql_errors_init(&errs, 0);
	e = rex_gql_error_add(ctx, &errs, NULL, NULL, "field error");
	path = json_pack("[sis]", "users", 0, "name");
	e->path = rex_ctx_own_json(ctx, path);
	assert_string_equal(gql_errors_text(ctx, &errs),
						"[{\"message\":\"field error\",\"path\":[\"users\",0,\"name\"]}]");
	/* an empty list is [] */
	rex_gql_errors_init(&errs, 0);
	assert_string_equal(gql_errors_text(ctx, &errs), "[]");
}

/* Subscriptions parse (the executor refuses them). */
static void
test_subscription_parses(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *doc = parse_gql_ok(ctx, "subscription S { changes { id } }");

	assert_int_equal(doc->ops[0].kind, REX_GQL_SUBSCRIPTION);
	assert_string_equal(rex_gql_op_kind_name(doc->ops[0].kind), "subscription");
}

void
unit_register_graphql_parse(unit_suite *s)
{
	size_t		i;

	unit_add(s, "graphql parse: graphql-js introspection query", test_introspection_query, NULL);
	unit_add(s, "graphql parse: kitchen sink (executable part)", test_kitchen_sink, NULL);
	unit_add(s, "graphql parse: every kind of value", test_values, NULL);
	unit_add(s, "graphql parse: types of variables", test_types, NULL);
	for (i = 0; i < sizeof(syntax_errors) / sizeof(syntax_errors[0]); i++)
		unit_add(s, tname("graphql parse: syntax error %zu: %s", i, syntax_errors[i].text),
				 test_syntax_error, &syntax_errors[i]);
	unit_add(s, "graphql parse: depth limit on selections, values and types",
			 test_depth_limit, NULL);
	unit_add(s, "graphql parse: size and token limits", test_size_limits, NULL);
	unit_add(s, "graphql parse: locations of definitions", test_locations, NULL);
	unit_add(s, "graphql parse: print and parse again gives the same text",
			 test_print_round_trip, NULL);
	unit_add(s, "graphql parse: a refused document leaves no tree", test_refused_document, NULL);
	unit_add(s, "graphql errors: limit, locations, path, JSON", test_error_list, NULL);
	unit_add(s, "graphql parse: subscriptions are parsed", test_subscription_parses, NULL);
}
