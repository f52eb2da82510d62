/*
 * test_graphql_coerce.c
 *		Unit tests of GraphQL input coercion (graphql_coerce.c): variables
 *		(CoerceVariableValues) for built-in scalars, lists, non-null,
 *		defaults, enums, input objects and custom scalars; literals with and
 *		without types; arguments (CoerceArgumentValues).
 */
#include "test_frontend.h"
#include "graphql_validate.h"

typedef struct ccase
{
	const char *doc;			/* an operation with variable definitions */
	const char *vars;			/* the JSON the request supplies, or NULL */
	bool		schema;			/* coerce with the test schema */
	const char *want;			/* coerced JSON (sorted), or "ERR " + errors */
} ccase;

static const ccase cases[] = {
	/* built-in scalars */
	{"query ($a: Int) { f }", "{\"a\": 1}", false, "{\"a\":1}"},
	{"query ($a: Int) { f }", "{\"a\": -2147483648}", false, "{\"a\":-2147483648}"},
	{"query ($a: Int) { f }", "{\"a\": 2.0}", false, "{\"a\":2}"},
	{"query ($a: Int) { f }", "{\"a\": 1.5}", false,
	 "ERR Variable \"$a\" got invalid value 1.5; Int cannot represent non-integer value: 1.5 @1:8"},
	{"query ($a: Int) { f }", "{\"a\": 2147483648}", false,
	 "ERR Variable \"$a\" got invalid value 2147483648; Int cannot represent non 32-bit signed integer value: 2147483648 @1:8"},
	{"query ($a: Int) { f }", "{\"a\": 1e10}", false,
	 "ERR Variable \"$a\" got invalid value 10000000000; Int cannot represent non 32-bit signed integer value: 10000000000 @1:8"},
	{"query ($a: Int) { f }", "{\"a\": \"1\"}", false,
	 "ERR Variable \"$a\" got invalid value \"1\"; Int cannot represent non-integer value: \"1\" @1:8"},
	{"query ($a: Float) { f }", "{\"a\": 1}", false, "{\"a\":1.0}"},
	{"query ($a: Float) { f }", "{\"a\": 0.25}", false, "{\"a\":0.25}"},
	{"query ($a: Float) { f }", "{\"a\": \"x\"}", false,
	 "ERR Variable \"$a\" got invalid value \"x\"; Float cannot represent non numeric value: \"x\" @1:8"},
	{"query ($a: String) { f }", "{\"a\": \"\\u00e9\"}", false, "{\"a\":\"\xC3\xA9\"}"},
	{"query ($a: String) { f }", "{\"a\": 1}", false,
	 "ERR Variable \"$a\" got invalid value 1; String cannot represent a non string value: 1 @1:8"},
	{"query ($a: Boolean) { f }", "{\"a\": false}", false, "{\"a\":false}"},
	{"query ($a: Boolean) { f }", "{\"a\": \"true\"}", false,
	 "ERR Variable \"$a\" got invalid value \"true\"; Boolean cannot represent a non boolean value: \"true\" @1:8"},
	{"query ($a: ID, $b: ID) { f }", "{\"a\": 5, \"b\": \"x\"}", false, "{\"a\":\"5\",\"b\":\"x\"}"},
	{"query ($a: ID) { f }", "{\"a\": true}", false,
	 "ERR Variable \"$a\" got invalid value true; ID cannot represent value: true @1:8"},
	{"query ($a: ID) { f }", "{\"a\": 1.5}", false,
	 "ERR Variable \"$a\" got invalid value 1.5; ID cannot represent value: 1.5 @1:8"},
	/* null, absence, non-null, defaults */
	{"query ($a: Int) { f }", "{\"a\": null}", false, "{\"a\":null}"},
	{"query ($a: Int) { f }", "{}", false, "{}"},
	{"query ($a: Int) { f }", NULL, false, "{}"},
	{"query ($a: Int!) { f }", "{}", false,
	 "ERR Variable \"$a\" of required type \"Int!\" was not provided. @1:8"},
	{"query ($a: Int!) { f }", "{\"a\": null}", false,
	 "ERR Variable \"$a\" of non-null type \"Int!\" must not be null. @1:8"},
	{"query ($a: Int = 5) { f }", "{}", false, "{\"a\":5}"},
	{"query ($a: Int = 5) { f }", "{\"a\": null}", false, "{\"a\":null}"},
	{"query ($a: Int = 5) { f }", "{\"a\": 7}", false, "{\"a\":7}"},
	{"query ($a: Int! = 5) { f }", "{}", false, "{\"a\":5}"},
	{"query ($a: [Int] = [1, null], $b: String = \"\"\"  x\"\"\") { f }", NULL, false,
	 "{\"a\":[1,null],\"b\":\"  x\"}"},
	{"query ($a: Float = 1) { f }", NULL, false, "{\"a\":1.0}"},
	{"query ($a: Int, $b: Int!) { f }", "{\"a\": \"x\"}", false,
	 "ERR Variable \"$a\" got invalid value \"x\"; Int cannot represent non-integer value: \"x\" @1:8\n"
	 "Variable \"$b\" of required type \"Int!\" was not provided. @1:17"},
	{"query ($a: Int) { f }", "{\"a\": 1, \"unknown\": [1]}", false, "{\"a\":1}"},
	{"query ($a: Int) { f }", "[1]", false,
	 "ERR Variables must be provided as a JSON object, not an array."},
	{"query ($a: Int) { f }", "3", false,
	 "ERR Variables must be provided as a JSON object, not a scalar."},
	/* lists */
	{"query ($a: [Int]) { f }", "{\"a\": [1, 2]}", false, "{\"a\":[1,2]}"},
	{"query ($a: [Int]) { f }", "{\"a\": 1}", false, "{\"a\":[1]}"},
	{"query ($a: [Int]) { f }", "{\"a\": []}", false, "{\"a\":[]}"},
	{"query ($a: [Int]) { f }", "{\"a\": [1, null]}", false, "{\"a\":[1,null]}"},
	{"query ($a: [Int!]) { f }", "{\"a\": [1, null]}", false,
	 "ERR Variable \"$a\" got invalid value [1,null] at \"a[1]\"; Expected non-nullable type \"Int!\" not to be null. @1:8"},
	{"query ($a: [Int]) { f }", "{\"a\": [1, \"x\"]}", false,
	 "ERR Variable \"$a\" got invalid value [1,\"x\"] at \"a[1]\"; Int cannot represent non-integer value: \"x\" @1:8"},
	{"query ($a: [[Int]]) { f }", "{\"a\": [[1], 2, [3, 4]]}", false, "{\"a\":[[1],[2],[3,4]]}"},
	{"query ($a: [[Int]]) { f }", "{\"a\": 7}", false, "{\"a\":[[7]]}"},
	{"query ($a: [Int]!) { f }", "{\"a\": null}", false,
	 "ERR Variable \"$a\" of non-null type \"[Int]!\" must not be null. @1:8"},
	/* enums, input objects, custom scalars: through the schema */
	{"query ($r: Role) { f }", "{\"r\": \"ADMIN\"}", true, "{\"r\":\"ADMIN\"}"},
	{"query ($r: Role) { f }", "{\"r\": \"SUPER\"}", true,
	 "ERR Variable \"$r\" got invalid value \"SUPER\"; Value \"SUPER\" does not exist in \"Role\" enum. @1:8"},
	{"query ($r: Role) { f }", "{\"r\": 1}", true,
	 "ERR Variable \"$r\" got invalid value 1; Enum \"Role\" cannot represent non-string value: 1. @1:8"},
	{"query ($r: Role = MEMBER) { f }", NULL, true, "{\"r\":\"MEMBER\"}"},
	{"query ($d: UserCreateInput) { f }", "{\"d\": {\"name\": \"a\"}}", true,
	 "{\"d\":{\"name\":\"a\",\"role\":\"MEMBER\"}}"},
	{"query ($d: UserCreateInput) { f }", "{\"d\": {\"name\": \"a\", \"age\": null, \"role\": \"ADMIN\"}}", true,
	 "{\"d\":{\"age\":null,\"name\":\"a\",\"role\":\"ADMIN\"}}"},
	{"query ($d: UserCreateInput) { f }", "{\"d\": {\"email\": \"a\"}}", true,
	 "ERR Variable \"$d\" got invalid value {\"email\":\"a\"}; Field \"name\" of required type \"String!\" was not provided. @1:8"},
	{"query ($d: UserCreateInput) { f }", "{\"d\": {\"name\": \"a\", \"x\": 1}}", true,
	 "ERR Variable \"$d\" got invalid value {\"name\":\"a\",\"x\":1}; Field \"x\" is not defined by type \"UserCreateInput\". @1:8"},
	{"query ($d: UserCreateInput) { f }", "{\"d\": [1]}", true,
	 "ERR Variable \"$d\" got invalid value [1]; Expected type \"UserCreateInput\" to be an object. @1:8"},
	{"query ($d: UserCreateInput) { f }", "{\"d\": {\"name\": \"a\", \"age\": \"x\"}}", true,
	 "ERR Variable \"$d\" got invalid value {\"name\":\"a\",\"age\":\"x\"} at \"d.age\"; Int cannot represent non-integer value: \"x\" @1:8"},
	{"query ($w: UserWhere) { f }", "{\"w\": {\"and\": [{\"age\": {\"gt\": 1}}, {\"age\": {\"gt\": \"x\"}}]}}", true,
	 "ERR Variable \"$w\" got invalid value {\"and\":[{\"age\":{\"gt\":1}},{\"age\":{\"gt\":\"x\"}}]} at \"w.and[1].age.gt\"; Int cannot represent non-integer value: \"x\" @1:8"},
	{"query ($w: UserWhere) { f }", "{\"w\": {\"not\": {\"age\": {\"in\": 3}}, \"and\": {\"role\": \"ADMIN\"}}}", true,
	 "{\"w\":{\"and\":[{\"role\":\"ADMIN\"}],\"not\":{\"age\":{\"in\":[3]}}}}"},
	{"query ($t: DateTime) { f }", "{\"t\": \"2026-01-31T12:00:00Z\"}", true,
	 "{\"t\":\"2026-01-31T12:00:00Z\"}"},
	{"query ($t: DateTime) { f }", "{\"t\": \"tomorrow\"}", true,
	 "ERR Variable \"$t\" got invalid value \"tomorrow\"; Expected type \"DateTime\". Expected a date-time such as \"2026-01-31T12:00:00Z\". @1:8"},
	{"query ($t: DateTime) { f }", "{\"t\": \"x\"}", false,
	 "ERR Variable \"$t\" expected value of type \"DateTime\" which cannot be used as an input type. @1:8"},
	{"query ($u: User) { f }", "{\"u\": {}}", true,
	 "ERR Variable \"$u\" got invalid value {}; Type \"User\" is not an input type. @1:8"},
};

static void
test_case(void **state)
{
	const ccase *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *doc = parse_gql_ok(ctx, c->doc);
	json_t	   *vars = c->vars ? rex_json_parse(ctx, c->vars, "variables") : NULL;
	json_t	   *out = NULL;
	rex_gql_errors errs;
	rex_status	st;

	rex_gql_errors_init(&errs, 0);
	st = rex_gql_coerce_variables(ctx, c->schema ? test_schema(ctx) : NULL, &doc->ops[0],
								  vars, &out, &errs);
	if (strncmp(c->want, "ERR ", 4) == 0)
	{
		assert_int_equal(st, REX_ERR_DEFINITION);
		assert_null(out);
		assert_string_equal(gql_errors_brief(ctx, &errs), c->want + 4);
	}
	else
	{
		if (st != REX_OK)
			print_error("%s\n", gql_errors_brief(ctx, &errs));
		assert_int_equal(st, REX_OK);
		assert_string_equal(rex_json_text(ctx, out, REX_JSON_CANONICAL), c->want);
	}
	assert_int_equal(ctx->err.status, REX_OK);
}

/* A JSON value nested deeper than the coercion follows. */
static void
test_deep_json(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_document *doc = parse_gql_ok(ctx, "query ($w: UserWhere) { f }");
	char	   *text = rex_alloc(ctx, 4096);
	json_t	   *out;
	rex_gql_errors errs;
	int			i;

	strcpy(text, "{\"w\": ");
	for (i = 0; i < 100; i++)
		strcat(text, "{\"not\": ");
	strcat(text, "{}");
	for (i = 0; i < 101; i++)
		strcat(text, "}");
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_coerce_variables(ctx, test_schema(ctx), &doc->ops[0],
											  rex_json_parse(ctx, text, "variables"), &out,
											  &errs), REX_ERR_DEFINITION);
	assert_contains(errs.first->message, "; The value is nested more than 64 levels deep.");
}

/* Literals with variables, typed and untyped. */
static void
test_literals(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	const rex_gql_schema *schema = test_schema(ctx);
	rex_gql_document *doc =
		parse_gql_ok(ctx, "query ($min: Int, $none: Int) { f(a: {age: {gt: $min, lt: $none}, role: ADMIN}, "
					 "b: [1, $none, 3], c: {x: [1.5, \"s\", true, null, E, 12345678901234567890]}, "
					 "d: 3, e: $none, f: 2147483648) }");
	const rex_gql_argument *args = doc->ops[0].selection_set->items[0].args;
	json_t	   *vars = rex_json_parse(ctx, "{\"min\": 18}", "variables");
	const rex_gql_type *where = NULL;
	const rex_gql_type *ints = NULL;
	const rex_gql_type *flt = NULL;
	const rex_gql_type *in = NULL;
	rex_gql_document *types = parse_gql_ok(ctx, "query ($a: UserWhere, $b: [Int], $c: Float, $d: Int) { f }");
	rex_gql_errors errs;
	json_t	   *out;

	where = types->ops[0].vars[0].type;
	ints = types->ops[0].vars[1].type;
	flt = types->ops[0].vars[2].type;
	in = types->ops[0].vars[3].type;
	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_coerce_literal(ctx, schema, where, args[0].value, vars, &out, &errs),
					 REX_OK);
	assert_string_equal(rex_json_text(ctx, out, REX_JSON_CANONICAL),
						"{\"age\":{\"gt\":18},\"role\":\"ADMIN\"}");
	assert_int_equal(rex_gql_coerce_literal(ctx, schema, ints, args[1].value, vars, &out, &errs),
					 REX_OK);
	assert_string_equal(rex_json_text(ctx, out, REX_JSON_CANONICAL), "[1,null,3]");
	/* untyped: every kind of literal */
	assert_int_equal(rex_gql_coerce_literal(ctx, NULL, NULL, args[2].value, vars, &out, &errs),
					 REX_OK);
	assert_string_equal(rex_json_text(ctx, out, REX_JSON_CANONICAL),
						"{\"x\":[1.5,\"s\",true,null,\"E\",12345678901234567000.0]}");
	assert_int_equal(rex_gql_coerce_literal(ctx, schema, flt, args[3].value, vars, &out, &errs),
					 REX_OK);
	assert_string_equal(rex_json_text(ctx, out, REX_JSON_CANONICAL), "3.0");
	/* a variable without a value: NULL, the caller decides */
	out = (json_t *) 1;
	assert_int_equal(rex_gql_coerce_literal(ctx, schema, in, args[4].value, vars, &out, &errs),
					 REX_OK);
	assert_null(out);
	assert_int_equal(errs.count, 0);
	/* an Int literal out of range */
	assert_int_equal(rex_gql_coerce_literal(ctx, schema, in, args[5].value, vars, &out, &errs),
					 REX_ERR_DEFINITION);
	assert_string_equal(gql_errors_brief(ctx, &errs),
						"Expected value of type \"Int\", found 2147483648; Int cannot represent non 32-bit signed integer value. @1:175");
}

/* CoerceArgumentValues on fields of the test schema. */
static void
test_arguments(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	const rex_gql_schema *schema = test_schema(ctx);
	const rex_gql_field_def *users = schema->field(schema->arg, "Query", "users");
	const rex_gql_field_def *user = schema->field(schema->arg, "Query", "user");
	const rex_gql_field_def *hello = schema->field(schema->arg, "Query", "hello");
	rex_gql_document *doc =
		parse_gql_ok(ctx, "query ($i: ID, $n: String, $w: UserWhere) { users(limit: 10, where: $w) { id } "
					 "a: user { id } b: user(id: $i) { id } c: user(id: null) { id } "
					 "h1: hello(name: null) h2: hello(name: $n) h3: hello "
					 "u2: users(where: {age: {gt: 3}}, orderBy: {name: DESC}) { id } }");
	const rex_gql_selection *s = doc->ops[0].selection_set->items;
	json_t	   *vars = rex_json_parse(ctx, "{\"w\": {\"role\": \"ADMIN\"}}", "variables");
	json_t	   *none = rex_json_parse(ctx, "{\"i\": null}", "variables");
	rex_gql_errors errs;
	json_t	   *out;

	rex_gql_errors_init(&errs, 0);
	assert_int_equal(rex_gql_coerce_arguments(ctx, schema, users->args, users->nargs, s[0].args,
											  s[0].nargs, vars, s[0].loc, &out, &errs), REX_OK);
	assert_string_equal(rex_json_text(ctx, out, REX_JSON_CANONICAL),
						"{\"limit\":10,\"offset\":0,\"where\":{\"role\":\"ADMIN\"}}");
	assert_int_equal(rex_gql_coerce_arguments(ctx, schema, users->args, users->nargs, s[7].args,
											  s[7].nargs, vars, s[7].loc, &out, &errs), REX_OK);
	assert_string_equal(rex_json_text(ctx, out, REX_JSON_CANONICAL),
						"{\"offset\":0,\"orderBy\":[{\"name\":\"DESC\"}],\"where\":{\"age\":{\"gt\":3}}}");
	/* defaults and nulls */
	assert_int_equal(rex_gql_coerce_arguments(ctx, schema, hello->args, hello->nargs, s[4].args,
											  s[4].nargs, vars, s[4].loc, &out, &errs), REX_OK);
	assert_string_equal(rex_json_text(ctx, out, REX_JSON_CANONICAL), "{\"name\":null}");
	assert_int_equal(rex_gql_coerce_arguments(ctx, schema, hello->args, hello->nargs, s[5].args,
											  s[5].nargs, vars, s[5].loc, &out, &errs), REX_OK);
	assert_string_equal(rex_json_text(ctx, out, REX_JSON_CANONICAL), "{\"name\":\"world\"}");
	assert_int_equal(rex_gql_coerce_arguments(ctx, schema, hello->args, hello->nargs, s[6].args,
											  s[6].nargs, vars, s[6].loc, &out, &errs), REX_OK);
	assert_string_equal(rex_json_text(ctx, out, REX_JSON_CANONICAL), "{\"name\":\"world\"}");
	/* required arguments */
	assert_int_equal(errs.count, 0);
	assert_int_equal(rex_gql_coerce_arguments(ctx, schema, user->args, user->nargs, s[1].args,
											  s[1].nargs, vars, s[1].loc, &out, &errs),
					 REX_ERR_DEFINITION);
	assert_int_equal(rex_gql_coerce_arguments(ctx, schema, user->args, user->nargs, s[2].args,
											  s[2].nargs, vars, s[2].loc, &out, &errs),
					 REX_ERR_DEFINITION);
	assert_int_equal(rex_gql_coerce_arguments(ctx, schema, user->args, user->nargs, s[2].args,
											  s[2].nargs, none, s[2].loc, &out, &errs),
					 REX_ERR_DEFINITION);
	assert_int_equal(rex_gql_coerce_arguments(ctx, schema, user->args, user->nargs, s[3].args,
											  s[3].nargs, vars, s[3].loc, &out, &errs),
					 REX_ERR_DEFINITION);
	assert_string_equal(gql_errors_brief(ctx, &errs),
						"Argument \"id\" of required type \"ID!\" was not provided. @1:80\n"
						"Argument \"id\" of required type \"ID!\" was provided the variable \"$i\" which was not provided a runtime value. @1:103\n"
						"Argument \"id\" of non-null type \"ID!\" must not be null. @1:103\n"
						"Argument \"id\" of non-null type \"ID!\" must not be null. @1:126");
}

void
unit_register_graphql_coerce(unit_suite *s)
{
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		unit_add(s, tname("graphql coerce variables %zu: %s %s", i, cases[i].doc,
						  cases[i].vars ? cases[i].vars : "(none)"),
				 test_case, &cases[i]);
	unit_add(s, "graphql coerce: JSON nested too deeply", test_deep_json, NULL);
	unit_add(s, "graphql coerce: literals with variables, typed and untyped", test_literals, NULL);
	unit_add(s, "graphql coerce: arguments with defaults, nulls, required", test_arguments, NULL);
}
