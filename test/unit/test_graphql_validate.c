/*
 * test_graphql_validate.c
 *		Unit tests of the GraphQL validation rules that need no schema
 *		(graphql_validate.c, graphql_walk.c), each with documents that pass
 *		and documents that fail, messages and locations; the request limits;
 *		GetOperation.
 */
#include "test_frontend.h"
#include "graphql_validate.h"

#include <stdio.h>

typedef struct vcase
{
	const char *rule;
	const char *doc;
	const char *want;			/* gql_errors_brief: "" when valid */
} vcase;

static const vcase cases[] = {
	/* 5.2.1.1 Operation Name Uniqueness */
	{"operation names", "query A { a } query B { a }", ""},
	{"operation names", "query A { a } query A { b }",
	 "There can be only one operation named \"A\". @1:7 @1:21"},
	{"operation names", "query A { a } mutation A { b }",
	 "There can be only one operation named \"A\". @1:7 @1:24"},
	{"operation names", "query A { ...A } fragment A on T { a }", ""},
	{"operation names", "query A { a } query A { b } query A { c }",
	 "There can be only one operation named \"A\". @1:7 @1:21\n"
	 "There can be only one operation named \"A\". @1:7 @1:35"},
	/* 5.2.2.1 Lone Anonymous Operation */
	{"lone anonymous", "{ a }", ""},
	{"lone anonymous", "query { a }", ""},
	{"lone anonymous", "{ a } query B { b }",
	 "This anonymous operation must be the only defined operation. @1:1"},
	{"lone anonymous", "{ a }\n{ b }",
	 "This anonymous operation must be the only defined operation. @1:1\n"
	 "This anonymous operation must be the only defined operation. @2:1"},
	{"lone anonymous", "{ a } fragment F on T { b } query { ...F }",
	 "This anonymous operation must be the only defined operation. @1:1\n"
	 "This anonymous operation must be the only defined operation. @1:29"},
	/* 5.5.1.1 Fragment Name Uniqueness */
	{"fragment names", "{ ...A ...B } fragment A on T { a } fragment B on T { b }", ""},
	{"fragment names", "{ ...A } fragment A on T { a } fragment A on T { b }",
	 "There can be only one fragment named \"A\". @1:19 @1:41"},
	/* 5.5.2.1 Fragment spread target defined */
	{"known fragments", "{ ...A ... on T { ...B } } fragment A on T { a } fragment B on T { b }", ""},
	{"known fragments", "{ ...A a { ...B } }",
	 "Unknown fragment \"A\". @1:6\nUnknown fragment \"B\". @1:15"},
	{"known fragments", "{ ...A } fragment A on T { ...Missing }",
	 "Unknown fragment \"Missing\". @1:31"},
	/* 5.5.1.4 Fragments Must Be Used */
	{"fragments used", "{ a } fragment A on T { a }", "Fragment \"A\" is never used. @1:7"},
	{"fragments used", "{ ...A } fragment A on T { ...B } fragment B on T { a }", ""},
	{"fragments used", "{ a } fragment A on T { ...B } fragment B on T { a }",
	 "Fragment \"A\" is never used. @1:7\nFragment \"B\" is never used. @1:32"},
	{"fragments used", "query Q { ...A } query R { x { ... on T { ...B } } } "
	 "fragment A on T { a } fragment B on T { b }", ""},
	/* 5.5.2.2 Fragment spreads must not form cycles */
	{"fragment cycles", "{ ...A } fragment A on T { ...A }",
	 "Cannot spread fragment \"A\" within itself. @1:28"},
	{"fragment cycles", "{ ...A } fragment A on T { ...B } fragment B on T { ...A }",
	 "Cannot spread fragment \"A\" within itself via \"B\". @1:28 @1:53"},
	{"fragment cycles", "{ ...A } fragment A on T { ...B } fragment B on T { ...C } "
	 "fragment C on T { ...A }",
	 "Cannot spread fragment \"A\" within itself via \"B\", \"C\". @1:28 @1:53 @1:78"},
	{"fragment cycles", "{ ...A } fragment A on T { x { y { ...A } } }",
	 "Cannot spread fragment \"A\" within itself. @1:36"},
	{"fragment cycles", "{ ...A } fragment A on T { ...B } fragment B on T { ...C } "
	 "fragment C on T { ...B }",
	 "Cannot spread fragment \"B\" within itself via \"C\". @1:53 @1:78"},
	{"fragment cycles", "{ ...A } fragment A on T { ...B ...C } fragment B on T { ...A } "
	 "fragment C on T { ...A }",
	 "Cannot spread fragment \"A\" within itself via \"B\". @1:28 @1:58\n"
	 "Cannot spread fragment \"A\" within itself via \"C\". @1:33 @1:83"},
	{"fragment cycles", "{ ...A } fragment A on T { ...B ...B } fragment B on T { a }", ""},
	/* 5.8.1 Variable Uniqueness */
	{"variable names", "query ($a: Int, $b: Int) { f(x: $a, y: $b) }", ""},
	{"variable names", "query ($a: Int, $a: Int) { f(x: $a) }",
	 "There can be only one variable named \"$a\". @1:9 @1:18"},
	{"variable names", "query A($a: Int) { f(x: $a) } query B($a: Int) { f(x: $a) }", ""},
	{"variable names", "query ($a: Int, $b: Int, $a: Int, $ a: Int) { f(x: $a, y: $b) }",
	 "There can be only one variable named \"$a\". @1:9 @1:27 @1:37"},
	/* 5.8.3 All Variable Uses Defined */
	{"variables defined", "query Q($a: Int) { f(x: $a) }", ""},
	{"variables defined", "query Q { f(x: $a) }",
	 "Variable \"$a\" is not defined by operation \"Q\". @1:16 @1:1"},
	{"variables defined", "{ f(x: $a) }", "Variable \"$a\" is not defined. @1:8 @1:1"},
	{"variables defined", "query Q { ...F } fragment F on T { f(x: $a) }",
	 "Variable \"$a\" is not defined by operation \"Q\". @1:41 @1:1"},
	{"variables defined", "query A($a: Int) { ...F } query B { ...F } fragment F on T { f(x: $a) }",
	 "Variable \"$a\" is not defined by operation \"B\". @1:67 @1:27"},
	{"variables defined", "query Q { f @include(if: $c) }",
	 "Variable \"$c\" is not defined by operation \"Q\". @1:26 @1:1"},
	{"variables defined", "query Q { f(x: {a: [1, $v]}) }",
	 "Variable \"$v\" is not defined by operation \"Q\". @1:24 @1:1"},
	{"variables defined", "query Q { f(x: $a, y: $a) }",
	 "Variable \"$a\" is not defined by operation \"Q\". @1:16 @1:1\n"
	 "Variable \"$a\" is not defined by operation \"Q\". @1:23 @1:1"},
	{"variables defined", "query Q($a: Int) { ...F } fragment F on T { ...G } fragment G on T { f(x: $a) }", ""},
	/* 5.8.4 All Variables Used */
	{"variables used", "query Q($a: Int) { f }",
	 "Variable \"$a\" is never used in operation \"Q\". @1:9"},
	{"variables used", "query ($a: Int, $b: Int) { f(x: $b) }", "Variable \"$a\" is never used. @1:8"},
	{"variables used", "query Q($a: Int) { ...F } fragment F on T { f(x: $a) }", ""},
	{"variables used", "query A($a: Int) { ...F } query B($a: Int) { g } fragment F on T { f(x: $a) }",
	 "Variable \"$a\" is never used in operation \"B\". @1:35"},
	{"variables used", "query Q($a: Boolean!) { f @skip(if: $a) }", ""},
	{"variables used", "query Q($a: Int = 1) { f }",
	 "Variable \"$a\" is never used in operation \"Q\". @1:9"},
	/* 5.4.2 Argument Uniqueness */
	{"argument names", "{ f(a: 1, b: 2) g(a: 1) }", ""},
	{"argument names", "{ f(a: 1, a: 2) }", "There can be only one argument named \"a\". @1:5 @1:11"},
	{"argument names", "{ f @d(a: 1, a: 2) }", "There can be only one argument named \"a\". @1:8 @1:14"},
	{"argument names", "{ f(a: 1, a: 2, a: 3, b: 1, b: 2) }",
	 "There can be only one argument named \"a\". @1:5 @1:11 @1:17\n"
	 "There can be only one argument named \"b\". @1:23 @1:29"},
	/* 5.6.3 Input Object Field Uniqueness */
	{"input field names", "{ f(x: {a: 1, b: {a: 2}}) }", ""},
	{"input field names", "{ f(x: {a: 1, a: 2}) }",
	 "There can be only one input field named \"a\". @1:9 @1:15"},
	{"input field names", "{ f(x: [{a: 1}, {b: {c: 1, c: 2}}]) }",
	 "There can be only one input field named \"c\". @1:22 @1:28"},
	{"input field names", "query ($v: In = {a: 1, a: 2}) { f(x: $v) }",
	 "There can be only one input field named \"a\". @1:18 @1:24"},
	/* @include and @skip: 5.7.1-5.7.3, 5.4.2.1, 5.6.1, 5.8.5 */
	{"include/skip", "{ f @include(if: true) @skip(if: false) ...F @skip(if: true) "
	 "... @include(if: false) { g } } fragment F on T { h }", ""},
	{"include/skip", "query @include(if: true) { f }",
	 "Directive \"@include\" may not be used on QUERY. @1:7"},
	{"include/skip", "mutation @skip(if: true) { f }",
	 "Directive \"@skip\" may not be used on MUTATION. @1:10"},
	{"include/skip", "{ ...F } fragment F on T @include(if: true) { a }",
	 "Directive \"@include\" may not be used on FRAGMENT_DEFINITION. @1:26"},
	{"include/skip", "query ($a: Int @skip(if: true)) { f(a: $a) }",
	 "Directive \"@skip\" may not be used on VARIABLE_DEFINITION. @1:16"},
	{"include/skip", "{ f @skip(if: true) @skip(if: false) }",
	 "The directive \"@skip\" can only be used once at this location. @1:5 @1:21"},
	{"include/skip", "{ f @include }",
	 "Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was not provided. @1:5"},
	{"include/skip", "{ f @include(if: true, unless: 1) }",
	 "Unknown argument \"unless\" on directive \"@include\". @1:24"},
	{"include/skip", "{ f @include(if: 1) }",
	 "Boolean cannot represent a non boolean value: 1 @1:18"},
	{"include/skip", "{ f @include(if: \"true\") }",
	 "Boolean cannot represent a non boolean value: \"true\" @1:18"},
	{"include/skip", "{ f @include(if: TRUE) }",
	 "Boolean cannot represent a non boolean value: TRUE @1:18"},
	{"include/skip", "{ f @include(if: null) }",
	 "Expected value of type \"Boolean!\", found null. @1:18"},
	{"include/skip", "{ f @include(if: [true]) }",
	 "Boolean cannot represent a non boolean value: [true] @1:18"},
	{"include/skip", "query ($c: Boolean!) { f @include(if: $c) }", ""},
	{"include/skip", "query ($c: Boolean = true) { f @include(if: $c) }", ""},
	{"include/skip", "query ($c: Boolean) { f @include(if: $c) }",
	 "Variable \"$c\" of type \"Boolean\" used in position expecting type \"Boolean!\". @1:8 @1:38"},
	{"include/skip", "query ($c: Boolean = null) { f @include(if: $c) }",
	 "Variable \"$c\" of type \"Boolean\" used in position expecting type \"Boolean!\". @1:8 @1:45"},
	{"include/skip", "query ($c: Int!) { f @skip(if: $c) }",
	 "Variable \"$c\" of type \"Int!\" used in position expecting type \"Boolean!\". @1:8 @1:32"},
	{"include/skip", "query ($c: [Boolean!]!) { f @skip(if: $c) }",
	 "Variable \"$c\" of type \"[Boolean!]!\" used in position expecting type \"Boolean!\". @1:8 @1:39"},
	{"include/skip", "query Q($c: Boolean) { ...F } fragment F on T { a @skip(if: $c) }",
	 "Variable \"$c\" of type \"Boolean\" used in position expecting type \"Boolean!\". @1:9 @1:61"},
	/* without a schema, other directives are not checked */
	{"unknown directives", "query @q { f @whatever(x: 1) @whatever(x: 2) }", ""},
	/* 5.6.1 for defaults of built-in scalar types */
	{"default values", "query ($a: Int = 1, $b: Float = 1, $c: String = \"s\", $d: Boolean = false, "
	 "$e: ID = 1, $f: ID = \"x\", $g: [Int] = [1, 2], $h: [Int] = 3, $i: Int = null) "
	 "{ f(a: $a, b: $b, c: $c, d: $d, e: $e, f: $f, g: $g, h: $h, i: $i) }", ""},
	{"default values", "query ($a: Int = \"x\") { f(a: $a) }",
	 "Int cannot represent non-integer value: \"x\" @1:18"},
	{"default values", "query ($a: Int = 1.5) { f(a: $a) }",
	 "Int cannot represent non-integer value: 1.5 @1:18"},
	{"default values", "query ($a: Int = 2147483648) { f(a: $a) }",
	 "Int cannot represent non 32-bit signed integer value: 2147483648 @1:18"},
	{"default values", "query ($a: Int = -2147483648) { f(a: $a) }", ""},
	{"default values", "query ($a: [Int] = [1, \"x\"]) { f(a: $a) }",
	 "Int cannot represent non-integer value: \"x\" @1:24"},
	{"default values", "query ($a: Int! = null) { f(a: $a) }",
	 "Expected value of type \"Int!\", found null. @1:19"},
	{"default values", "query ($a: [Int!] = [null]) { f(a: $a) }",
	 "Expected value of type \"Int!\", found null. @1:22"},
	{"default values", "query ($a: Float = true, $b: String = 1, $c: ID = 1.5) { f(a: $a, b: $b, c: $c) }",
	 "Float cannot represent non numeric value: true @1:20\n"
	 "String cannot represent a non string value: 1 @1:39\n"
	 "ID cannot represent a non-string and non-integer value: 1.5 @1:51"},
	{"default values", "query ($a: String = {x: 1}) { f(a: $a) }",
	 "String cannot represent a non string value: {x: 1} @1:21"},
	{"default values", "query ($a: Custom = {x: 1, x: 2}) { f(a: $a) }",
	 "There can be only one input field named \"x\". @1:22 @1:28"},
};

static void
test_case(void **state)
{
	const vcase *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_status	st;
	const char *got = gql_validate_text(ctx, c->doc, NULL, NULL, &st);

	assert_string_equal(got, c->want);
	assert_int_equal(st, *c->want ? REX_ERR_DEFINITION : REX_OK);
	/* request errors never touch the context's error */
	assert_int_equal(ctx->err.status, REX_OK);
}

/* Spreads resolve to their fragment. */
static void
test_spreads_resolved(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *doc = parse_gql_ok(ctx, "{ a { ...F } } fragment F on T { b }");
	rex_gql_errors errs;

	rex_gql_errors_init(&errs, 0);
	assert_null(doc->ops[0].selection_set->items[0].selection_set->items[0].fragment);
	assert_int_equal(rex_gql_validate(ctx, doc, NULL, NULL, &errs), REX_OK);
	assert_ptr_equal(doc->ops[0].selection_set->items[0].selection_set->items[0].fragment,
					 &doc->frags[0]);
}

/* Builds n fragments F0..F(n-1), F(i) spreading F(i+1); the last spreads 'last'. */
static char *
fragment_chain(rex_ctx *ctx, int n, const char *last)
{
	size_t		cap = (size_t) n * 48 + 64;
	char	   *s = rex_alloc(ctx, cap);
	size_t		len;
	int			i;

	len = (size_t) snprintf(s, cap, "{ ...F0 }\n");
	for (i = 0; i < n - 1; i++)
		len += (size_t) snprintf(s + len, cap - len, "fragment F%d on T { ...F%d }\n", i, i + 1);
	snprintf(s + len, cap - len, "fragment F%d on T { %s }\n", n - 1, last);
	return s;
}

/* Long chains of fragments: explicit stacks, no deep recursion. */
static void
test_long_chains(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_limits lim = rex_gql_limits_default();
	rex_gql_errors errs;
	rex_gql_document *doc;
	const char *text;

	lim.max_bytes = 0;
	lim.max_tokens = 0;
	/* 50000 fragments in a chain: valid */
	text = fragment_chain(ctx, 50000, "a");
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_parse(ctx, text, strlen(text), &lim, &doc, &errs), REX_OK);
	assert_int_equal(rex_gql_validate(ctx, doc, NULL, &lim, &errs), REX_OK);
	/* closed into a cycle: one error, its message shortened */
	text = fragment_chain(ctx, 50000, "...F0");
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_parse(ctx, text, strlen(text), &lim, &doc, &errs), REX_OK);
	assert_int_equal(rex_gql_validate(ctx, doc, NULL, &lim, &errs), REX_ERR_DEFINITION);
	assert_int_equal(errs.count, 1);
	assert_string_equal(errs.first->message,
						"Cannot spread fragment \"F0\" within itself via \"F1\", \"F2\", \"F3\", "
						"\"F4\", \"F5\", \"F6\", \"F7\", \"F8\", \"F9\", \"F10\" and 49989 more.");
	assert_int_equal(errs.first->nlocations, 50000);
	assert_int_equal(errs.first->locations[49999].line, 50001);
}

/* Depth through fragments, and fields once fragments are expanded. */
static void
test_limits(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_limits lim = rex_gql_limits_default();
	char	   *text;
	size_t		len;
	int			i;

	lim.max_depth = 3;
	assert_string_equal(gql_validate_text(ctx, "{ a { b { c } } }", NULL, &lim, NULL), "");
	assert_string_equal(gql_validate_text(ctx, "{ a { ...F } } fragment F on T { b { c { d } } }",
										  NULL, &lim, NULL),
						"The operation is nested 4 levels deep; the limit is 3. @1:1");
	assert_string_equal(gql_validate_text(ctx, "query Q { ... on T { a { ...F } } } "
										  "fragment F on T { ...G } fragment G on T { b { c } }",
										  NULL, &lim, NULL),
						"");
	lim = rex_gql_limits_default();
	lim.max_fields = 6;
	assert_string_equal(gql_validate_text(ctx, "{ a b ...F ...F } fragment F on T { c d }",
										  NULL, &lim, NULL), "");
	assert_string_equal(gql_validate_text(ctx, "query Q { a b ...F ...F ...F } fragment F on T { c d }",
										  NULL, &lim, NULL),
						"Operation \"Q\" selects 8 fields once its fragments are expanded; the limit is 6. @1:1");
	/* fragments that double at each step: 2^40 fields, counted without expanding */
	text = rex_alloc(ctx, 4096);
	len = (size_t) snprintf(text, 4096, "{ ...F0 }\n");
	for (i = 0; i < 40; i++)
		len += (size_t) snprintf(text + len, 4096 - len,
								 "fragment F%d on T { ...F%d ...F%d }\n", i, i + 1, i + 1);
	snprintf(text + len, 4096 - len, "fragment F40 on T { a }\n");
	assert_string_equal(gql_validate_text(ctx, text, NULL, NULL, NULL),
						"The operation selects more than 2147483647 fields once its fragments are expanded; the limit is 10000. @1:1");
}

/* Depth counts fields: fragments and inline fragments add no level. */
static void
test_depth_counting(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_limits lim = rex_gql_limits_default();

	lim.max_depth = 2;
	assert_string_equal(gql_validate_text(ctx, "query Q { ... on T { a { ...F } } } "
										  "fragment F on T { ... { b } }", NULL, &lim, NULL), "");
	assert_string_equal(gql_validate_text(ctx, "query Q { ... on T { a { ...F } } } "
										  "fragment F on T { ... { b { c } } }", NULL, &lim, NULL),
						"Operation \"Q\" is nested 3 levels deep; the limit is 2. @1:1");
}

/* Too many errors: the list ends with a note. */
static void
test_error_limit(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	char	   *text = rex_alloc(ctx, 8192);
	size_t		len;
	rex_gql_errors errs;
	rex_gql_document *doc;
	int			i;

	len = (size_t) snprintf(text, 8192, "{");
	for (i = 0; i < 150; i++)
		len += (size_t) snprintf(text + len, 8192 - len, " ...F%d", i);
	snprintf(text + len, 8192 - len, " }");
	doc = parse_gql_ok(ctx, text);
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_validate(ctx, doc, NULL, NULL, &errs), REX_ERR_DEFINITION);
	assert_int_equal(errs.count, 101);
	assert_string_equal(errs.last->message,
						"Too many errors, error limit reached. Validation aborted.");
}

/* GetOperation */
static void
test_get_operation(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *one = parse_gql_ok(ctx, "{ a }");
	rex_gql_document *two = parse_gql_ok(ctx, "query A { a } query B { b }");
	const rex_gql_operation *op;
	rex_gql_errors errs;

	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_get_operation(ctx, one, NULL, &op, &errs), REX_OK);
	assert_ptr_equal(op, &one->ops[0]);
	assert_int_equal(rex_gql_get_operation(ctx, two, "B", &op, &errs), REX_OK);
	assert_ptr_equal(op, &two->ops[1]);
	assert_int_equal(rex_gql_get_operation(ctx, two, NULL, &op, &errs), REX_ERR_DEFINITION);
	assert_null(op);
	assert_int_equal(rex_gql_get_operation(ctx, two, "C", &op, &errs), REX_ERR_DEFINITION);
	assert_int_equal(rex_gql_get_operation(ctx, one, "A", &op, &errs), REX_ERR_DEFINITION);
	assert_string_equal(gql_errors_brief(ctx, &errs),
						"Must provide operation name if query contains multiple operations.\n"
						"Unknown operation named \"C\".\n"
						"Unknown operation named \"A\".");
	assert_int_equal(ctx->err.status, REX_OK);
}

/* rex_gql_selection_included: @skip and @include with literals and variables. */
static void
test_selection_included(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *doc =
		parse_gql_ok(ctx, "query ($t: Boolean!, $f: Boolean!) { a b @skip(if: true) c @skip(if: false) "
					 "d @include(if: true) e @include(if: false) f @skip(if: $t) g @include(if: $f) "
					 "h @include(if: $t) @skip(if: $f) i @include(if: $t) @skip(if: $t) j @include(if: $missing) }");
	json_t	   *vars = rex_json_own(ctx, json_pack("{sbsb}", "t", 1, "f", 0));
	const rex_gql_selection_set *set = doc->ops[0].selection_set;
	const char *want = "acdh";
	char		got[16];
	int			i,
				n = 0;

	for (i = 0; i < set->nitems; i++)
		if (rex_gql_selection_included(set->items[i].directives, set->items[i].ndirectives, vars))
			got[n++] = set->items[i].name[0];
	got[n] = '\0';
	assert_string_equal(got, want);
}

void
unit_register_graphql_validate(unit_suite *s)
{
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		unit_add(s, tname("graphql validate: %s %zu %s", cases[i].rule, i,
						  *cases[i].want ? "fails" : "passes"),
				 test_case, &cases[i]);
	unit_add(s, "graphql validate: spreads resolve to their fragments", test_spreads_resolved, NULL);
	unit_add(s, "graphql validate: 50000 chained fragments, with and without a cycle",
			 test_long_chains, NULL);
	unit_add(s, "graphql validate: depth and field limits through fragments", test_limits, NULL);
	unit_add(s, "graphql validate: depth counts fields only", test_depth_counting, NULL);
	unit_add(s, "graphql validate: error limit", test_error_limit, NULL);
	unit_add(s, "graphql get operation: by name, alone, ambiguous, unknown", test_get_operation, NULL);
	unit_add(s, "graphql: @skip and @include decide inclusion", test_selection_included, NULL);
}
