/*
 * test_graphql_schema_rules.c
 *		Unit tests of the GraphQL validation rules that need a schema,
 *		through the rex_gql_schema callbacks (graphql_walk.c), against the
 *		blog-like test schema of test_graphql_util.c.
 */
#include "test_frontend.h"
#include "graphql_validate.h"

#include <stdio.h>

typedef struct scase
{
	const char *rule;
	const char *doc;
	const char *want;			/* gql_errors_brief: "" when valid */
} scase;

static const scase cases[] = {
	/* documents that use every part of the schema correctly */
	{"valid", "{ user(id: 1) { id name posts(limit: 5) { title author { id } } } }", ""},
	{"valid", "query ($w: UserWhere) { users(where: $w, orderBy: [{name: ASC}], limit: 10) "
	 "{ name role } usersCount }", ""},
	{"valid", "{ node(id: \"1\") { id __typename ... on User { name } ... on Post { title } } }", ""},
	{"valid", "{ search(text: \"x\") { __typename ... on User { name } ... on Post { title } "
	 "... on Node { id } } }", ""},
	{"valid", "mutation { createUser(data: {name: \"a\", role: ADMIN}) { id } }", ""},
	{"valid", "{ users(where: {age: {gt: 18}, or: [{name: {like: \"A%\"}}, {role: ADMIN}]}) { id } }", ""},
	{"valid", "{ users(where: {and: {age: {gt: 1}}, age: {in: 3}}) { id } }", ""},
	{"valid", "{ __typename hello h2: hello(name: null) }", ""},
	{"valid", "query @cached(ttl: 60) { hello @tag(name: \"a\") @tag(name: \"b\") @cached(ttl: 1) }", ""},
	{"valid", "query ($d: DateTime = \"2026-01-01T00:00:00Z\") { users(where: {createdAt: $d}) { id } }", ""},
	{"valid", "{ users(where: {createdAt: \"2026-01-01T00:00:00Z\"}) { score } }", ""},
	{"valid", "{ user(id: 1) { ...U } } fragment U on User { id ... on Node { id } }", ""},
	{"valid", "{ node(id: 1) { ...N } } fragment N on Node { ... on User { name } }", ""},
	/* 5.3.1 Field Selections */
	{"fields", "{ nope }", "Cannot query field \"nope\" on type \"Query\". @1:3"},
	{"fields", "{ user(id: 1) { nope } }", "Cannot query field \"nope\" on type \"User\". @1:17"},
	{"fields", "{ search(text: \"x\") { id } }",
	 "Cannot query field \"id\" on type \"SearchResult\". @1:23"},
	{"fields", "{ node(id: 1) { name } }", "Cannot query field \"name\" on type \"Node\". @1:17"},
	{"fields", "{ post(id: 1) { ...F } } fragment F on Post { name }",
	 "Cannot query field \"name\" on type \"Post\". @1:47"},
	{"fields", "{ user(id: 1) { posts { nope { deeper } } } }",
	 "Cannot query field \"nope\" on type \"Post\". @1:25"},
	/* 5.3.3 Leaf Field Selections */
	{"leafs", "{ user(id: 1) }",
	 "Field \"user\" of type \"User\" must have a selection of subfields. Did you mean \"user { ... }\"? @1:3"},
	{"leafs", "{ users }",
	 "Field \"users\" of type \"[User!]!\" must have a selection of subfields. Did you mean \"users { ... }\"? @1:3"},
	{"leafs", "{ hello { x } }",
	 "Field \"hello\" must not have a selection since type \"String\" has no subfields. @1:9"},
	{"leafs", "{ users { role { x } } }",
	 "Field \"role\" must not have a selection since type \"Role!\" has no subfields. @1:16"},
	{"leafs", "{ __typename { x } }",
	 "Field \"__typename\" must not have a selection since type \"String!\" has no subfields. @1:14"},
	/* 5.4.1 Argument Names, 5.4.2.1 Required Arguments */
	{"arguments", "{ user(id: 1, x: 2) { id } }", "Unknown argument \"x\" on field \"Query.user\". @1:15"},
	{"arguments", "{ user { id } }",
	 "Field \"user\" argument \"id\" of type \"ID!\" is required, but it was not provided. @1:3"},
	{"arguments", "{ user(id: null) { id } }", "Expected value of type \"ID!\", found null. @1:12"},
	{"arguments", "{ __typename(x: 1) }", "Unknown argument \"x\" on field \"Query.__typename\". @1:14"},
	{"arguments", "{ nope(x: $v) }",
	 "Cannot query field \"nope\" on type \"Query\". @1:3\n"
	 "Variable \"$v\" is not defined. @1:11 @1:1"},
	/* 5.6.1 Values of Correct Type, 5.6.2, 5.6.4 */
	{"values", "{ user(id: true) { id } }",
	 "ID cannot represent a non-string and non-integer value: true @1:12"},
	{"values", "{ users(limit: \"10\") { id } }", "Int cannot represent non-integer value: \"10\" @1:16"},
	{"values", "{ users(where: {age: {gt: \"x\"}}) { id } }",
	 "Int cannot represent non-integer value: \"x\" @1:27"},
	{"values", "{ users(where: {age: {in: [1, \"x\"]}}) { id } }",
	 "Int cannot represent non-integer value: \"x\" @1:31"},
	{"values", "{ users(where: {age: {in: [null]}}) { id } }",
	 "Expected value of type \"Int!\", found null. @1:28"},
	{"values", "{ users(where: {nope: 1}) { id } }",
	 "Field \"nope\" is not defined by type \"UserWhere\". @1:17"},
	{"values", "mutation { createUser(data: {email: \"x\"}) { id } }",
	 "Field \"UserCreateInput.name\" of required type \"String!\" was not provided. @1:29"},
	{"values", "mutation { createUser(data: {name: null}) { id } }",
	 "Expected value of type \"String!\", found null. @1:36"},
	{"values", "{ users(where: {role: SUPER}) { id } }",
	 "Value \"SUPER\" does not exist in \"Role\" enum. @1:23"},
	{"values", "{ users(where: {role: \"ADMIN\"}) { id } }",
	 "Enum \"Role\" cannot represent non-enum value: \"ADMIN\". @1:23"},
	{"values", "{ users(where: 1) { id } }", "Expected value of type \"UserWhere\", found 1. @1:16"},
	{"values", "{ users(where: [{age: {gt: 1}}]) { id } }",
	 "Expected value of type \"UserWhere\", found [{age: {gt: 1}}]. @1:16"},
	{"values", "{ users(orderBy: [{name: UP}]) { id } }",
	 "Value \"UP\" does not exist in \"SortDirection\" enum. @1:26"},
	{"values", "{ users(where: {createdAt: \"yesterday\"}) { id } }",
	 "Expected value of type \"DateTime\", found \"yesterday\"; Expected a date-time such as "
	 "\"2026-01-31T12:00:00Z\". @1:28"},
	{"values", "query ($r: Role = SUPER) { users(where: {role: $r}) { id } }",
	 "Value \"SUPER\" does not exist in \"Role\" enum. @1:19"},
	{"values", "query ($w: UserWhere = {age: {gt: \"x\"}}) { users(where: $w) { id } }",
	 "Int cannot represent non-integer value: \"x\" @1:35"},
	{"values", "{ users(where: {age: {gt: 1, gt: 2}}) { id } }",
	 "There can be only one input field named \"gt\". @1:23 @1:30"},
	/* 5.7 Directives */
	{"directives", "{ hello @nope }", "Unknown directive \"@nope\". @1:9"},
	{"directives", "{ hello @cached }",
	 "Directive \"@cached\" argument \"ttl\" of type \"Int!\" is required, but it was not provided. @1:9"},
	{"directives", "mutation @cached(ttl: 1) { deleteUser(id: 1) { id } }",
	 "Directive \"@cached\" may not be used on MUTATION. @1:10"},
	{"directives", "{ hello @cached(ttl: 1) @cached(ttl: 2) }",
	 "The directive \"@cached\" can only be used once at this location. @1:9 @1:25"},
	{"directives", "{ hello @cached(ttl: \"1\") }", "Int cannot represent non-integer value: \"1\" @1:22"},
	{"directives", "query ($n: String @tag(name: \"x\")) { hello(name: $n) }", ""},
	{"directives", "query ($n: String @cached(ttl: 1)) { hello(name: $n) }",
	 "Directive \"@cached\" may not be used on VARIABLE_DEFINITION. @1:19"},
	/* 5.5.1.2, 5.5.1.3, 5.8.2: types */
	{"types", "query ($a: Nope) { hello(name: $a) }", "Unknown type \"Nope\". @1:12"},
	{"types", "query ($a: [Nope!]) { hello }",
	 "Unknown type \"Nope\". @1:13\nVariable \"$a\" is never used. @1:8"},
	{"types", "query ($u: User) { hello }",
	 "Variable \"$u\" cannot be non-input type \"User\". @1:12\nVariable \"$u\" is never used. @1:8"},
	{"types", "query ($u: [Node!]) { hello }",
	 "Variable \"$u\" cannot be non-input type \"[Node!]\". @1:12\nVariable \"$u\" is never used. @1:8"},
	{"types", "{ ...F } fragment F on Nope { a }", "Unknown type \"Nope\". @1:24"},
	{"types", "{ ...F } fragment F on Role { a }",
	 "Fragment \"F\" cannot condition on non composite type \"Role\". @1:24"},
	{"types", "{ ... on String { a } }",
	 "Fragment cannot condition on non composite type \"String\". @1:10"},
	{"types", "{ ... on Nope { a } }", "Unknown type \"Nope\". @1:10"},
	/* 5.5.2.3 Fragment spread is possible */
	{"spreads", "{ user(id: 1) { ... on Post { title } } }",
	 "Fragment cannot be spread here as objects of type \"User\" can never be of type \"Post\". @1:17"},
	{"spreads", "{ user(id: 1) { ...P } } fragment P on Post { title }",
	 "Fragment \"P\" cannot be spread here as objects of type \"User\" can never be of type \"Post\". @1:17"},
	{"spreads", "{ node(id: 1) { ... on User { name } } }", ""},
	{"spreads", "{ user(id: 1) { ... on Node { id } } }", ""},
	{"spreads", "{ search(text: \"a\") { ... on Node { id } } }", ""},
	{"spreads", "{ user(id: 1) { ... on SearchResult { __typename } } }", ""},
	{"spreads", "{ ... on User { id } }",
	 "Fragment cannot be spread here as objects of type \"Query\" can never be of type \"User\". @1:3"},
	/* 5.8.5 All Variable Usages Are Allowed */
	{"variable positions", "query ($l: Int!) { users(limit: $l) { id } }", ""},
	{"variable positions", "query ($l: Int) { user(id: $l) { id } }",
	 "Variable \"$l\" of type \"Int\" used in position expecting type \"ID!\". @1:8 @1:28"},
	{"variable positions", "query ($i: ID) { user(id: $i) { id } }",
	 "Variable \"$i\" of type \"ID\" used in position expecting type \"ID!\". @1:8 @1:27"},
	{"variable positions", "query ($i: ID = 1) { user(id: $i) { id } }", ""},
	{"variable positions", "query ($ids: [Int]) { users(where: {age: {in: $ids}}) { id } }",
	 "Variable \"$ids\" of type \"[Int]\" used in position expecting type \"[Int!]\". @1:8 @1:47"},
	{"variable positions", "query ($ids: [Int!]!) { users(where: {age: {in: $ids}}) { id } }", ""},
	{"variable positions", "query ($n: Int) { users(offset: $n) { posts(limit: $n) { id } } }", ""},
	{"variable positions", "query ($s: String!) { users(where: {name: {in: [$s, \"b\"]}}) { id } }", ""},
	{"variable positions", "query ($s: String) { users(where: {name: {in: [$s]}}) { id } }",
	 "Variable \"$s\" of type \"String\" used in position expecting type \"String!\". @1:8 @1:48"},
	{"variable positions", "query ($w: UserWhere!) { users(where: {and: [$w]}) { id } }", ""},
	{"variable positions", "query ($r: Role) { users(where: {name: {eq: $r}}) { id } }",
	 "Variable \"$r\" of type \"Role\" used in position expecting type \"String\". @1:8 @1:45"},
	/*
	 * 5.3.2 Field Selection Merging: the outputs below are graphql-js's
	 * (checked with graphql-js 16.15 against the same schema), except
	 * that arguments are compared by value, so "a" and """a""" agree.
	 */
	{"overlap", "{ user(id: 1) { a: name a: name } }",
	 ""},
	{"overlap", "{ user(id: 1) { a: name a: email } }",
	 "Fields \"a\" conflict because \"name\" and \"email\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:17 @1:25"},
	{"overlap", "{ user(id: 1) { name name } }",
	 ""},
	{"overlap", "{ users(limit: 1) { id } users(limit: 2) { id } }",
	 "Fields \"users\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @1:3 @1:26"},
	{"overlap", "{ users(limit: 1) { id } users(limit: 1) { name } }",
	 ""},
	{"overlap", "{ user(id: 1) { ...A ...B } } fragment A on User { x: name } fragment B on User { x: email }",
	 "Fields \"x\" conflict because \"name\" and \"email\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:52 @1:83"},
	{"overlap", "{ node(id: 1) { ... on User { x: name } ... on Post { x: title } } }",
	 ""},
	{"overlap", "{ node(id: 1) { ... on User { x: age } ... on Post { x: title } } }",
	 "Fields \"x\" conflict because they return conflicting types \"Int\" and \"String!\". Use different aliases on the fields to fetch both if this was intentional. @1:31 @1:54"},
	{"overlap", "{ node(id: 1) { ... on User { x: email } ... on Post { x: title } } }",
	 "Fields \"x\" conflict because they return conflicting types \"String\" and \"String!\". Use different aliases on the fields to fetch both if this was intentional. @1:31 @1:56"},
	{"overlap", "{ node(id: 1) { id ... on Node { id } } }",
	 ""},
	{"overlap", "{ node(id: 1) { x: id ... on User { x: name } } }",
	 "Fields \"x\" conflict because \"id\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:17 @1:37"},
	{"overlap", "{ user(id: 1) { posts { t: title } posts { t: id } } }",
	 "Fields \"posts\" conflict because subfields \"t\" conflict because \"title\" and \"id\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:17 @1:25 @1:36 @1:44"},
	{"overlap", "{ user(id: 1) { posts { author { n: name } } posts { author { n: email } } } }",
	 "Fields \"posts\" conflict because subfields \"author\" conflict because subfields \"n\" conflict because \"name\" and \"email\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:17 @1:25 @1:34 @1:46 @1:54 @1:63"},
	{"overlap", "{ user(id: 1) { posts { ...P } posts { ...Q } } } fragment P on Post { x: title } fragment Q on Post { x: id }",
	 "Fields \"posts\" conflict because subfields \"x\" conflict because \"title\" and \"id\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:17 @1:72 @1:32 @1:104"},
	{"overlap", "{ user(id: 1) { posts { a: title b: id } posts { a: id b: title } } }",
	 "Fields \"posts\" conflict because subfields \"a\" conflict because \"title\" and \"id\" are different fields and subfields \"b\" conflict because \"id\" and \"title\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:17 @1:25 @1:34 @1:42 @1:50 @1:56"},
	{"overlap", "query ($a: Int, $b: Int) { users(limit: $a) { id } users(limit: $b) { id } }",
	 "Fields \"users\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @1:28 @1:52"},
	{"overlap", "{ users(where: {age: {gt: 1}, role: ADMIN}) { id } users(where: {role: ADMIN, age: {gt: 1}}) { id } }",
	 ""},
	{"overlap", "{ __typename __typename: hello }",
	 "Fields \"__typename\" conflict because \"__typename\" and \"hello\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:3 @1:14"},
	{"overlap", "{ search(text: \"a\") { ... on User { x: id } ... on Post { x: id } } }",
	 ""},
	{"overlap", "{ node(id: 1) { ... on User { p: posts { id } } ... on Post { p: author { id } } } }",
	 "Fields \"p\" conflict because they return conflicting types \"[Post!]!\" and \"User!\". Use different aliases on the fields to fetch both if this was intentional. @1:31 @1:63"},
	{"overlap", "{ ...A ...B } fragment A on Query { hello } fragment B on Query { hello: usersCount }",
	 "Fields \"hello\" conflict because \"hello\" and \"usersCount\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:37 @1:67"},
	{"overlap", "{ ...A } fragment A on Query { ...B hello } fragment B on Query { hello: usersCount }",
	 "Fields \"hello\" conflict because \"hello\" and \"usersCount\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:37 @1:67"},
	{"overlap", "{ ...A ...A } fragment A on Query { hello }",
	 ""},
	{"overlap", "{ ... { h: hello } h: usersCount }",
	 "Fields \"h\" conflict because \"hello\" and \"usersCount\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:9 @1:20"},
	{"overlap", "{ hello @skip(if: true) hello @include(if: false) }",
	 ""},
	{"overlap", "{ node(id: 1) { ... on User { posts { x: title } } ... on Post { author { x: name } } } }",
	 ""},
	{"overlap", "{ node(id: 1) { ... on User { k: posts { x: title } } ... on Post { k: author { x: email } } } }",
	 "Fields \"k\" conflict because they return conflicting types \"[Post!]!\" and \"User!\". Use different aliases on the fields to fetch both if this was intentional. @1:31 @1:69"},
	{"overlap", "{ node(id: 1) { ... on User { s: score } ... on User { s: age } } }",
	 "Fields \"s\" conflict because \"score\" and \"age\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:31 @1:56"},
	{"overlap", "{ user(id: 1) { ...U posts { title } } } fragment U on User { posts { title: id } }",
	 "Fields \"posts\" conflict because subfields \"title\" conflict because \"title\" and \"id\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:22 @1:30 @1:63 @1:71"},
	{"overlap", "{ user(id: 1) { ...U } user(id: 1) { ...V } } fragment U on User { n: name } fragment V on User { n: email }",
	 "Fields \"user\" conflict because subfields \"n\" conflict because \"name\" and \"email\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:3 @1:68 @1:24 @1:99"},
	{"overlap", "{ a: user(id: 1) { id } a: user(id: 2) { id } a: user(id: 1) { name } }",
	 "Fields \"a\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @1:3 @1:25\nFields \"a\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @1:25 @1:47"},
	{"overlap", "{ users { posts(limit: 1) { id } posts(limit: 2) { id } } }",
	 "Fields \"posts\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @1:11 @1:34"},
	{"overlap", "{ user(id: 1) { posts { author { posts { t: title } } } posts { author { posts { t: id } } } } }",
	 "Fields \"posts\" conflict because subfields \"author\" conflict because subfields \"posts\" conflict because subfields \"t\" conflict because \"title\" and \"id\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:17 @1:25 @1:34 @1:42 @1:57 @1:65 @1:74 @1:82"},
	{"overlap", "{ hello(name: \"a\") hello(name: \"\"\"a\"\"\") }",
	 ""},
	{"overlap", "{ hello(name: null) hello }",
	 "Fields \"hello\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @1:3 @1:21"},
	{"overlap", "{ user(id: 1) { ...A } } fragment A on User { ...B x: name } fragment B on User { ...C } fragment C on User { x: email }",
	 "Fields \"x\" conflict because \"name\" and \"email\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:52 @1:111"},
	{"overlap", "query { user(id: 1) { id } } query Q { user(id: 1) { id: name } }",
	 "This anonymous operation must be the only defined operation. @1:1"},
	{"overlap", "{ search(text: \"a\") { ... on User { n: name } ... on Node { n: id } } }",
	 "Fields \"n\" conflict because \"name\" and \"id\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:37 @1:61"},
	{"overlap", "{ search(text: \"a\") { ... on Node { k: id } ... on Post { k: title } } }",
	 "Fields \"k\" conflict because \"id\" and \"title\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:37 @1:59"},
	/* operation roots */
	{"roots", "subscription { x }", "Schema is not configured to execute subscription operation. @1:1"},
	{"roots", "mutation { deleteUser(id: 1) { id } }", ""},
	{"roots", "mutation { hello }", "Cannot query field \"hello\" on type \"Mutation\". @1:12"},
};

static void
test_case(void **state)
{
	const scase *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_status	st;
	const char *got = gql_validate_text(ctx, c->doc, test_schema(ctx), NULL, &st);

	assert_string_equal(got, c->want);
	assert_int_equal(st, *c->want ? REX_ERR_DEFINITION : REX_OK);
	assert_int_equal(ctx->err.status, REX_OK);
}

/* The schema-free rules still run with a schema. */
static void
test_schema_free_rules_too(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_string_equal(gql_validate_text(ctx, "query A { hello } query A { hello } "
										  "fragment F on User { id }", test_schema(ctx), NULL, NULL),
						"There can be only one operation named \"A\". @1:7 @1:25\n"
						"Fragment \"F\" is never used. @1:37");
}

/* Field merging runs only on documents that passed every other rule. */
static void
test_merging_runs_last(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_string_equal(gql_validate_text(ctx, "{ a: hello a: usersCount nope }",
										  test_schema(ctx), NULL, NULL),
						"Cannot query field \"nope\" on type \"Query\". @1:26");
	/* and not without a schema */
	assert_string_equal(gql_validate_text(ctx, "{ a: hello a: usersCount }", NULL, NULL, NULL), "");
}

/* The work of field merging is bounded; conflicts stop at the error limit. */
static void
test_merging_bounds(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_limits lim = rex_gql_limits_default();
	char	   *text = rex_alloc(ctx, 200000);
	size_t		len;
	rex_gql_errors errs;
	rex_gql_document *doc;
	int			i;

	/* 9999 identical plain fields: gathered once, no comparison at all */
	len = (size_t) snprintf(text, 200000, "{");
	for (i = 0; i < 9999; i++)
		len += (size_t) snprintf(text + len, 200000 - len, " hello");
	snprintf(text + len, 200000 - len, " }");
	lim.max_merge_checks = 10;
	assert_string_equal(gql_validate_text(ctx, text, test_schema(ctx), &lim, NULL), "");
	/* 30 fields with arguments: 435 pairs, over a bound of 100 */
	len = (size_t) snprintf(text, 200000, "{");
	for (i = 0; i < 30; i++)
		len += (size_t) snprintf(text + len, 200000 - len, " users(limit: 1) { id }");
	snprintf(text + len, 200000 - len, " }");
	lim.max_merge_checks = 100;
	assert_string_equal(gql_validate_text(ctx, text, test_schema(ctx), &lim, NULL),
						"The document has too many fields and fragments to check that same-named "
						"fields can be merged (more than 100 comparisons); split it or give the "
						"fields different aliases.");
	lim.max_merge_checks = 1000;
	assert_string_equal(gql_validate_text(ctx, text, test_schema(ctx), &lim, NULL), "");
	/* 500 conflicting fields: the list stops at the error limit */
	len = (size_t) snprintf(text, 200000, "{");
	for (i = 0; i < 500; i++)
		len += (size_t) snprintf(text + len, 200000 - len, " a: hello(name: \"%d\")", i);
	snprintf(text + len, 200000 - len, " }");
	doc = parse_gql_ok(ctx, text);
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_validate(ctx, doc, test_schema(ctx), NULL, &errs), REX_ERR_DEFINITION);
	assert_int_equal(errs.count, 101);
	assert_string_equal(errs.last->message,
						"Too many errors, error limit reached. Validation aborted.");
}

void
unit_register_graphql_schema_rules(unit_suite *s)
{
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		unit_add(s, tname("graphql schema rules: %s %zu %s", cases[i].rule, i,
						  *cases[i].want ? "fails" : "passes"),
				 test_case, &cases[i]);
	unit_add(s, "graphql schema rules: document rules run with a schema too",
			 test_schema_free_rules_too, NULL);
	unit_add(s, "graphql schema rules: field merging runs last, and with a schema",
			 test_merging_runs_last, NULL);
	unit_add(s, "graphql schema rules: field merging is bounded", test_merging_bounds, NULL);
}
