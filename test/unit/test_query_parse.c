/*
 * test_query_parse.c
 *		Unit tests of the JSON query language (query_parse.c, query_json.c):
 *		every operator on the types it applies to, canonical values, and/or/
 *		not, order_by, limit, offset, select, include through a relation
 *		resolver, the limits, and every error with its path and hint.
 */
#include "test_frontend.h"
#include "query_ast.h"

static const char user_def[] =
	"{\"columns\": {"
	"\"id\": {\"type\": \"id\"},"
	"\"name\": {\"type\": \"string\", \"max_length\": 120, \"nullable\": false},"
	"\"email\": {\"type\": \"string\"},"
	"\"age\": {\"type\": \"integer\"},"
	"\"big\": {\"type\": \"bigint\"},"
	"\"score\": {\"type\": \"float\"},"
	"\"balance\": {\"type\": \"decimal\", \"precision\": 10, \"scale\": 2},"
	"\"active\": {\"type\": \"boolean\"},"
	"\"uid\": {\"type\": \"uuid\"},"
	"\"bio\": {\"type\": \"text\"},"
	"\"created_at\": {\"type\": \"timestamp\"},"
	"\"birthday\": {\"type\": \"date\"},"
	"\"meta\": {\"type\": \"json\"},"
	"\"avatar\": {\"type\": \"bytes\"},"
	"\"role\": {\"type\": \"enum\", \"values\": [\"admin\", \"member\"]}}}";

static const char post_def[] =
	"{\"columns\": {\"id\": {\"type\": \"id\"}, \"title\": {\"type\": \"string\"},"
	"\"author_id\": {\"type\": \"bigint\"}}}";

typedef struct entities
{
	rex_entity *user;
	rex_entity *post;
} entities;

/* user.posts (has_many), post.author (belongs_to user) */
static rex_status
test_relation(void *arg, rex_ctx *ctx, const rex_entity *e, const char *name,
			  rex_qrelation *out, bool *found)
{
	entities   *es = arg;

	(void) ctx;
	*found = false;
	if (e == es->user && strcmp(name, "posts") == 0)
	{
		out->name = "posts";
		out->target = es->post;
		out->to_many = true;
		*found = true;
	}
	else if (e == es->post && strcmp(name, "author") == 0)
	{
		out->name = "author";
		out->target = es->user;
		out->to_many = false;
		*found = true;
	}
	return REX_OK;
}

static const char *
test_relation_names(void *arg, rex_ctx *ctx, const rex_entity *e)
{
	entities   *es = arg;

	(void) ctx;
	return e == es->user ? "posts" : "author";
}

/* Parses the two entities into ctx; the resolver points at them. */
static void
setup(rex_ctx *ctx, entities *es, rex_query_resolver *res)
{
	json_t	   *canon;

	assert_int_equal(rex_definition_parse(ctx, "user", user_def, &es->user, &canon), REX_OK);
	assert_int_equal(rex_definition_parse(ctx, "post", post_def, &es->post, &canon), REX_OK);
	res->arg = es;
	res->relation = test_relation;
	res->names = test_relation_names;
}

typedef struct qcase
{
	const char *query;
	const char *want;			/* canonical JSON of the query */
} qcase;

/* Queries that are accepted, with their canonical form. */
static const qcase ok_cases[] = {
	{"null", "{\"where\":null,\"order_by\":[],\"limit\":null,\"offset\":0,\"select\":null,\"include\":{}}"},
	{"{}", "{\"where\":null,\"order_by\":[],\"limit\":null,\"offset\":0,\"select\":null,\"include\":{}}"},
	{"{\"where\": {}, \"limit\": null, \"order_by\": null}",
	 "{\"where\":null,\"order_by\":[],\"limit\":null,\"offset\":0,\"select\":null,\"include\":{}}"},
	/* every operator on a type it applies to */
	{"{\"where\": {\"age\": {\"eq\": 30}}}", "\"where\":{\"age\":{\"eq\":30}}"},
	{"{\"where\": {\"age\": 30}}", "\"where\":{\"age\":{\"eq\":30}}"},
	{"{\"where\": {\"age\": null}}", "\"where\":{\"age\":{\"isNull\":true}}"},
	{"{\"where\": {\"age\": {\"neq\": -1}}}", "\"where\":{\"age\":{\"neq\":-1}}"},
	{"{\"where\": {\"age\": {\"gt\": 1, \"lte\": 9}}}",
	 "\"where\":{\"and\":[{\"age\":{\"gt\":1}},{\"age\":{\"lte\":9}}]}"},
	{"{\"where\": {\"age\": {\"lt\": 5, \"gte\": 2}}}",
	 "\"where\":{\"and\":[{\"age\":{\"gte\":2}},{\"age\":{\"lt\":5}}]}"},
	{"{\"where\": {\"age\": {\"in\": [1, 2, 3]}}}", "\"where\":{\"age\":{\"in\":[1,2,3]}}"},
	{"{\"where\": {\"age\": {\"nin\": []}}}", "\"where\":{\"age\":{\"nin\":[]}}"},
	{"{\"where\": {\"name\": {\"like\": \"A%\"}, \"bio\": {\"ilike\": \"%x_\"}}}",
	 "\"where\":{\"and\":[{\"bio\":{\"ilike\":\"%x_\"}},{\"name\":{\"like\":\"A%\"}}]}"},
	{"{\"where\": {\"email\": {\"isNull\": false}}}", "\"where\":{\"email\":{\"isNull\":false}}"},
	{"{\"where\": {\"meta\": {\"isNull\": true}}}", "\"where\":{\"meta\":{\"isNull\":true}}"},
	{"{\"where\": {\"active\": true}}", "\"where\":{\"active\":{\"eq\":true}}"},
	{"{\"where\": {\"role\": {\"in\": [\"admin\"]}, \"id\": {\"gt\": 9007199254740993}}}",
	 "\"where\":{\"and\":[{\"id\":{\"gt\":9007199254740993}},{\"role\":{\"in\":[\"admin\"]}}]}"},
	{"{\"where\": {\"big\": -9223372036854775808, \"score\": {\"gt\": 1}}}",
	 "\"where\":{\"and\":[{\"big\":{\"eq\":-9223372036854775808}},{\"score\":{\"gt\":1}}]}"},
	{"{\"where\": {\"avatar\": \"AAEC\"}}", "\"where\":{\"avatar\":{\"eq\":\"AAEC\"}}"},
	/* canonical values */
	{"{\"where\": {\"uid\": \"123E4567-E89B-12D3-A456-426614174000\"}}",
	 "\"where\":{\"uid\":{\"eq\":\"123e4567-e89b-12d3-a456-426614174000\"}}"},
	{"{\"where\": {\"uid\": {\"gt\": \"00000000-0000-0000-0000-00000000000A\"}}}",
	 "\"where\":{\"uid\":{\"gt\":\"00000000-0000-0000-0000-00000000000a\"}}"},
	{"{\"where\": {\"created_at\": {\"gte\": \"2026-01-31T12:00:00Z\", \"lt\": \"2026-02-01T00:00:00.5Z\"}}}",
	 "\"where\":{\"and\":[{\"created_at\":{\"gte\":\"2026-01-31T12:00:00.000Z\"}},{\"created_at\":{\"lt\":\"2026-02-01T00:00:00.500Z\"}}]}"},
	{"{\"where\": {\"birthday\": {\"lt\": \"2000-02-29\"}}}", "\"where\":{\"birthday\":{\"lt\":\"2000-02-29\"}}"},
	{"{\"where\": {\"balance\": {\"in\": [\"12.5\", 3, \"-0.10\", \"007\", \"1.234\"]}}}",
	 "\"where\":{\"balance\":{\"in\":[\"12.50\",\"3.00\",\"-0.10\",\"7.00\",\"1.234\"]}}"},
	/* and, or, not */
	{"{\"where\": {\"or\": [{\"age\": 1}, {\"name\": \"x\"}]}}",
	 "\"where\":{\"or\":[{\"age\":{\"eq\":1}},{\"name\":{\"eq\":\"x\"}}]}"},
	{"{\"where\": {\"and\": [], \"or\": []}}", "\"where\":{\"and\":[{\"and\":[]},{\"or\":[]}]}"},
	{"{\"where\": {\"not\": {\"age\": {\"in\": [1]}}}}", "\"where\":{\"not\":{\"age\":{\"in\":[1]}}}"},
	{"{\"where\": {\"not\": {}}}", "\"where\":{\"or\":[]}"},
	{"{\"where\": {\"or\": [{}, {\"age\": 1}]}}", "\"where\":{\"or\":[{\"and\":[]},{\"age\":{\"eq\":1}}]}"},
	{"{\"where\": {\"age\": 1, \"or\": [{\"not\": {\"and\": [{\"name\": \"a\"}, {\"email\": null}]}}]}}",
	 "\"where\":{\"and\":[{\"age\":{\"eq\":1}},{\"or\":[{\"not\":{\"and\":[{\"name\":{\"eq\":\"a\"}},{\"email\":{\"isNull\":true}}]}}]}]}"},
	/* order_by */
	{"{\"order_by\": \"name\"}", "\"order_by\":[{\"name\":\"asc_nulls_last\"}]"},
	{"{\"order_by\": {\"age\": \"desc\"}}", "\"order_by\":[{\"age\":\"desc_nulls_first\"}]"},
	{"{\"order_by\": [{\"age\": \"asc_nulls_first\"}, {\"name\": \"desc_nulls_last\"}, \"id\", {\"email\": \"asc\"}]}",
	 "\"order_by\":[{\"age\":\"asc_nulls_first\"},{\"name\":\"desc_nulls_last\"},{\"id\":\"asc_nulls_last\"},{\"email\":\"asc_nulls_last\"}]"},
	{"{\"order_by\": [], \"limit\": 0, \"offset\": 100}",
	 "\"order_by\":[],\"limit\":0,\"offset\":100"},
	/* select */
	{"{\"select\": [\"name\", \"id\"]}", "\"select\":[\"name\",\"id\"]"},
	/* include */
	{"{\"include\": {\"posts\": true}}",
	 "\"include\":{\"posts\":{\"where\":null,\"order_by\":[],\"limit\":null,\"offset\":0,\"select\":null,\"include\":{}}}"},
	{"{\"include\": {\"posts\": false}}", "\"include\":{}"},
	{"{\"include\": {\"posts\": {\"where\": {\"title\": {\"like\": \"%x%\"}}, \"order_by\": \"id\", \"limit\": 5, "
	 "\"select\": [\"title\"], \"include\": {\"author\": {\"select\": [\"name\"]}}}}}",
	 "\"include\":{\"posts\":{\"where\":{\"title\":{\"like\":\"%x%\"}},\"order_by\":[{\"id\":\"asc_nulls_last\"}],\"limit\":5,\"offset\":0,\"select\":[\"title\"],"
	 "\"include\":{\"author\":{\"select\":[\"name\"],\"include\":{}}}}}"},
};

static void
test_ok_case(void **state)
{
	const qcase *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->pg;
	entities	es;
	rex_query_resolver res;
	rex_query  *q = NULL;
	rex_status	st;
	const char *got;

	setup(ctx, &es, &res);
	st = rex_query_parse_text(ctx, es.user, c->query, &res, NULL, &q);
	if (st != REX_OK)
		print_error("%s\n%s\n", ctx->err.message, ctx->err.hint ? ctx->err.hint : "");
	assert_int_equal(st, REX_OK);
	assert_non_null(q);
	got = rex_json_text(ctx, rex_query_to_json(ctx, q), REX_JSON_OUTPUT);
	assert_contains(got, c->want);
}

typedef struct ecase
{
	const char *query;
	rex_status	status;
	const char *message;		/* exact */
	const char *hint;			/* contained in the hint, or NULL for none */
} ecase;

#define E REX_ERR_DEFINITION

static const ecase err_cases[] = {
	{"[]", E, "entity \"user\": expected a query object, got an array", "Accepted keys: where, order_by, limit, offset, select, include."},
	{"{\"wher\": {}}", E, "entity \"user\": wher: unknown key \"wher\"", "Accepted keys: where, order_by, limit, offset, select, include."},
	{"{\"where\": []}", E, "entity \"user\": where: expected an object, got an array", "A filter is an object"},
	{"{\"where\": {\"age\": {\"gtt\": 1}}}", E, "entity \"user\": where.age.gtt: unknown operator \"gtt\"",
	 "Accepted operators for integer columns: eq, neq, gt, gte, lt, lte, in, nin, isNull; and, or and not combine filters."},
	{"{\"where\": {\"age\": {\"gt\": 1, \"gtt\": 1}}}", E, "entity \"user\": where.age.gtt: unknown operator \"gtt\"", "Accepted operators for integer columns"},
	{"{\"where\": {\"agee\": 1}}", E, "entity \"user\": where.agee: unknown column \"agee\"",
	 "Columns of user: id, active, age, avatar, balance, big, bio, birthday, created_at, email, meta, name, role, score, uid. Relations: posts."},
	{"{\"where\": {\"Age\": 1}}", E, "entity \"user\": where.Age: unknown column \"Age\"", "Did you mean \"age\"?"},
	{"{\"where\": {\"age\": {}}}", E, "entity \"user\": where.age: expected at least one operator", "Accepted operators for integer columns"},
	{"{\"where\": {\"age\": [1, 2]}}", E, "entity \"user\": where.age: expected a value or an object of operators, got an array", "{\"in\": [...]}"},
	{"{\"where\": {\"active\": {\"gt\": true}}}", E, "entity \"user\": where.active.gt: operator \"gt\" does not apply to column active (boolean)",
	 "Accepted operators for boolean columns: eq, neq, in, nin, isNull;"},
	{"{\"where\": {\"age\": {\"like\": \"1%\"}}}", E, "entity \"user\": where.age.like: operator \"like\" does not apply to column age (integer)", NULL},
	{"{\"where\": {\"meta\": {\"eq\": \"x\"}}}", E, "entity \"user\": where.meta.eq: operator \"eq\" does not apply to column meta (json)",
	 "Accepted operators for json columns: isNull;"},
	{"{\"where\": {\"meta\": {\"a\": 1}}}", E, "entity \"user\": where.meta.a: unknown operator \"a\"", NULL},
	{"{\"where\": {\"role\": {\"lt\": \"b\"}}}", E, "entity \"user\": where.role.lt: operator \"lt\" does not apply to column role (enum)", NULL},
	{"{\"where\": {\"avatar\": {\"gt\": \"AA==\"}}}", E, "entity \"user\": where.avatar.gt: operator \"gt\" does not apply to column avatar (bytes)", NULL},
	{"{\"where\": {\"age\": \"30\"}}", E, "entity \"user\": where.age: expected an integer from -2147483648 to 2147483647 for column age (integer), got a string \"30\"", NULL},
	{"{\"where\": {\"age\": 2147483648}}", E, "entity \"user\": where.age: expected an integer from -2147483648 to 2147483647 for column age (integer), got a number", NULL},
	{"{\"where\": {\"age\": 1.5}}", E, "entity \"user\": where.age: expected an integer from -2147483648 to 2147483647 for column age (integer), got a number", NULL},
	{"{\"where\": {\"id\": \"7\"}}", E, "entity \"user\": where.id: expected an integer for column id (id), got a string \"7\"", NULL},
	{"{\"where\": {\"score\": {\"gt\": \"1\"}}}", E, "entity \"user\": where.score.gt: expected a number for column score (float), got a string \"1\"", NULL},
	{"{\"where\": {\"active\": 1}}", E, "entity \"user\": where.active: expected true or false for column active (boolean), got a number", NULL},
	{"{\"where\": {\"name\": 5}}", E, "entity \"user\": where.name: expected a string for column name (string), got a number", NULL},
	{"{\"where\": {\"role\": \"owner\"}}", E, "entity \"user\": where.role: \"owner\" is not a value of role", "Accepted values: \"admin\", \"member\"."},
	{"{\"where\": {\"role\": 1}}", E, "entity \"user\": where.role: expected one of the enum's values for column role (enum), got a number", NULL},
	{"{\"where\": {\"uid\": \"not-a-uuid\"}}", E, "entity \"user\": where.uid: expected a UUID string such as \"123e4567-e89b-12d3-a456-426614174000\" for column uid (uuid), got a string \"not-a-uuid\"", NULL},
	{"{\"where\": {\"created_at\": \"2026-01-31 12:00\"}}", E, "entity \"user\": where.created_at: expected a UTC timestamp string such as \"2026-01-31T12:00:00Z\" for column created_at (timestamp), got a string \"2026-01-31 12:00\"", NULL},
	{"{\"where\": {\"birthday\": \"2001-02-29\"}}", E, "entity \"user\": where.birthday: expected a date string such as \"2026-01-31\" for column birthday (date), got a string \"2001-02-29\"", NULL},
	{"{\"where\": {\"avatar\": \"abc\"}}", E, "entity \"user\": where.avatar: expected a base64 string for column avatar (bytes), got a string \"abc\"", NULL},
	{"{\"where\": {\"balance\": 1.5}}", E, "entity \"user\": where.balance: expected a decimal as a string (\"12.50\") or an integer for column balance (decimal), got a number", NULL},
	{"{\"where\": {\"balance\": \"1e3\"}}", E, "entity \"user\": where.balance: invalid decimal \"1e3\": a decimal is written as digits with an optional sign and fraction, without exponent",
	 "Write decimals as strings such as \"12.50\"."},
	{"{\"where\": {\"age\": {\"eq\": null}}}", E, "entity \"user\": where.age.eq: null cannot be compared with", "Use {\"isNull\": true} to find missing values."},
	{"{\"where\": {\"age\": {\"isNull\": 1}}}", E, "entity \"user\": where.age.isNull: expected true or false, got a number", NULL},
	{"{\"where\": {\"age\": {\"in\": 1}}}", E, "entity \"user\": where.age.in: expected an array, got a number", "Give a list of values"},
	{"{\"where\": {\"age\": {\"in\": [1, \"2\"]}}}", E, "entity \"user\": where.age.in[1]: expected an integer from -2147483648 to 2147483647 for column age (integer), got a string \"2\"", NULL},
	{"{\"where\": {\"age\": {\"nin\": [null]}}}", E, "entity \"user\": where.age.nin[0]: null cannot be compared with", NULL},
	{"{\"where\": {\"name\": {\"like\": 1}}}", E, "entity \"user\": where.name.like: expected a pattern string, got a number", NULL},
	{"{\"where\": {\"or\": {\"age\": 1}}}", E, "entity \"user\": where.or: expected an array of filters, got an object", NULL},
	{"{\"where\": {\"and\": [1]}}", E, "entity \"user\": where.and[0]: expected an object, got a number", NULL},
	{"{\"where\": {\"not\": []}}", E, "entity \"user\": where.not: expected an object, got an array", NULL},
	{"{\"where\": {\"or\": [{\"and\": [{\"agee\": 1}]}]}}", E, "entity \"user\": where.or[0].and[0].agee: unknown column \"agee\"", NULL},
	{"{\"where\": {\"posts\": {\"title\": \"x\"}}}", REX_ERR_UNSUPPORTED, "entity \"user\": where.posts: filtering on relation \"posts\" is not supported yet", NULL},
	/* order_by */
	{"{\"order_by\": {\"age\": \"down\"}}", E, "entity \"user\": order_by.age: unknown direction \"down\"",
	 "Accepted directions: asc, desc, asc_nulls_first, asc_nulls_last, desc_nulls_first, desc_nulls_last."},
	{"{\"order_by\": {\"age\": \"asc\", \"id\": \"desc\"}}", E, "entity \"user\": order_by: expected an object with one column, got 2 keys", "in an array to order by several"},
	{"{\"order_by\": [\"age\", 1]}", E, "entity \"user\": order_by[1]: expected a column name or an object, got a number", NULL},
	{"{\"order_by\": [{\"age\": 1}]}", E, "entity \"user\": order_by[0].age: expected a direction string, got a number", NULL},
	{"{\"order_by\": [\"age\", {\"age\": \"desc\"}]}", E, "entity \"user\": order_by[1].age: column age is already in order_by", NULL},
	{"{\"order_by\": \"meta\"}", E, "entity \"user\": order_by: cannot order by column meta: json values have no order", NULL},
	{"{\"order_by\": \"nope\"}", E, "entity \"user\": order_by: unknown column \"nope\"", "Columns of user:"},
	{"{\"order_by\": \"posts\"}", REX_ERR_UNSUPPORTED, "entity \"user\": order_by: ordering by relation \"posts\" is not supported yet", NULL},
	/* limit, offset */
	{"{\"limit\": -1}", E, "entity \"user\": limit: expected an integer from 0, got a negative number", NULL},
	{"{\"limit\": \"10\"}", E, "entity \"user\": limit: expected an integer from 0, got a string", NULL},
	{"{\"offset\": 1.5}", E, "entity \"user\": offset: expected an integer from 0, got a number", NULL},
	/* select */
	{"{\"select\": []}", E, "entity \"user\": select: expected a non-empty array of column names, got an empty array", NULL},
	{"{\"select\": \"name\"}", E, "entity \"user\": select: expected a non-empty array of column names, got a string", NULL},
	{"{\"select\": [\"name\", 1]}", E, "entity \"user\": select[1]: expected a column name, got a number", NULL},
	{"{\"select\": [\"name\", \"name\"]}", E, "entity \"user\": select[1]: column name is selected twice", NULL},
	{"{\"select\": [\"nme\"]}", E, "entity \"user\": select[0]: unknown column \"nme\"", NULL},
	{"{\"select\": [\"posts\"]}", E, "entity \"user\": select[0]: \"posts\" is a relation, not a column", "Use \"include\" to return related rows."},
	/* include */
	{"{\"include\": [\"posts\"]}", E, "entity \"user\": include: expected an object, got an array", NULL},
	{"{\"include\": {\"comments\": true}}", E, "entity \"user\": include.comments: unknown relation \"comments\"", "Relations: posts."},
	{"{\"include\": {\"name\": true}}", E, "entity \"user\": include.name: \"name\" is a column, not a relation", NULL},
	{"{\"include\": {\"posts\": 1}}", E, "entity \"user\": include.posts: expected a query object, got a number", NULL},
	{"{\"include\": {\"posts\": {\"where\": {\"nope\": 1}}}}", E, "entity \"user\": include.posts.where.nope: unknown column \"nope\"", "Columns of post: id, author_id, title. Relations: author."},
	{"{\"include\": {\"posts\": {\"include\": {\"author\": {\"limit\": 1}}}}}", E, "entity \"user\": include.posts.include.author.limit: unknown key \"limit\"",
	 "A relation to one row takes select and include."},
};

static void
test_err_case(void **state)
{
	const ecase *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->pg;
	entities	es;
	rex_query_resolver res;
	rex_query  *q = (rex_query *) 1;

	setup(ctx, &es, &res);
	assert_status(ctx, rex_query_parse_text(ctx, es.user, c->query, &res, NULL, &q), c->status);
	assert_null(q);
	assert_string_equal(ctx->err.message, c->message);
	if (c->hint)
		assert_contains(ctx->err.hint, c->hint);
}

/* Without a resolver, relation names are unknown columns. */
static void
test_no_resolver(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	entities	es;
	rex_query_resolver res;
	rex_query  *q;

	setup(ctx, &es, &res);
	assert_status(ctx, rex_query_parse_text(ctx, es.user, "{\"include\": {\"posts\": true}}",
											NULL, NULL, &q), REX_ERR_DEFINITION);
	assert_string_equal(ctx->err.message, "entity \"user\": include.posts: unknown relation \"posts\"");
	assert_not_contains(ctx->err.hint, "Relations");
}

/* The limits: depth of filters and includes, list sizes, nodes, limit. */
static void
test_limits(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_ctx    *c2 = unit_ctx(state, &rex_dialect_pg);
	rex_ctx    *c3 = unit_ctx(state, &rex_dialect_pg);
	rex_ctx    *c4 = unit_ctx(state, &rex_dialect_pg);
	rex_ctx    *c5 = unit_ctx(state, &rex_dialect_pg);
	entities	es;
	rex_query_resolver res;
	rex_query_limits lim = rex_query_limits_default();
	rex_query  *q;
	char	   *text = rex_alloc(ctx, 100000);
	int			i;

	setup(ctx, &es, &res);
	/* 16 levels of not: accepted; 17: refused */
	strcpy(text, "{\"where\": ");
	for (i = 0; i < 16; i++)
		strcat(text, "{\"not\": ");
	strcat(text, "{\"age\": 1}");
	for (i = 0; i < 17; i++)
		strcat(text, "}");
	assert_int_equal(rex_query_parse_text(ctx, es.user, text, &res, NULL, &q), REX_OK);
	strcpy(text, "{\"where\": ");
	for (i = 0; i < 17; i++)
		strcat(text, "{\"not\": ");
	strcat(text, "{\"age\": 1}");
	for (i = 0; i < 18; i++)
		strcat(text, "}");
	assert_status(ctx, rex_query_parse_text(ctx, es.user, text, &res, NULL, &q), REX_ERR_DEFINITION);
	assert_contains(ctx->err.message, "the filter is nested more than 16 levels deep");
	/* list size */
	lim.max_list = 3;
	assert_status(c2, rex_query_parse_text(c2, es.user, "{\"where\": {\"age\": {\"in\": [1, 2, 3, 4]}}}",
										   &res, &lim, &q), REX_ERR_DEFINITION);
	assert_string_equal(c2->err.message, "entity \"user\": where.age.in: the list has 4 items; the limit is 3");
	/* nodes */
	lim = rex_query_limits_default();
	lim.max_nodes = 3;
	assert_status(c3, rex_query_parse_text(c3, es.user, "{\"where\": {\"or\": [{\"age\": 1}, {\"age\": 2}, {\"age\": 3}]}}",
										   &res, &lim, &q), REX_ERR_DEFINITION);
	assert_string_equal(c3->err.message, "entity \"user\": where.or[2].age: the filter has more than 3 conditions");
	/* maximum limit */
	lim = rex_query_limits_default();
	lim.max_limit = 1000;
	assert_int_equal(rex_query_parse_text(c4, es.user, "{\"limit\": 1000}", &res, &lim, &q), REX_OK);
	assert_status(c4, rex_query_parse_text(c4, es.user, "{\"limit\": 1001}", &res, &lim, &q),
				  REX_ERR_DEFINITION);
	assert_string_equal(c4->err.message, "entity \"user\": limit: 1001 is more than the maximum of 1000");
	/* include depth: user.posts.author.posts... */
	lim = rex_query_limits_default();
	lim.max_depth = 2;
	assert_status(c5, rex_query_parse_text(c5, es.user,
										   "{\"include\": {\"posts\": {\"include\": {\"author\": {\"include\": {\"posts\": true}}}}}}",
										   &res, &lim, &q), REX_ERR_DEFINITION);
	assert_string_equal(c5->err.message,
						"entity \"user\": include.posts.include.author.include: includes are nested more than 2 levels deep");
}

/* The tree itself: columns point into the entity, values are canonical. */
static void
test_tree(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	entities	es;
	rex_query_resolver res;
	rex_query  *q;

	setup(ctx, &es, &res);
	assert_int_equal(rex_query_parse_text(ctx, es.user,
										  "{\"where\": {\"age\": {\"gte\": 18}}, \"order_by\": {\"name\": \"desc\"}, "
										  "\"limit\": 10, \"select\": [\"id\"], \"include\": {\"posts\": {\"limit\": 2}}}",
										  &res, NULL, &q), REX_OK);
	assert_ptr_equal(q->entity, es.user);
	assert_int_equal(q->where->kind, REX_QF_COMPARE);
	assert_ptr_equal(q->where->column, rex_entity_column(es.user, "age"));
	assert_int_equal(q->where->op, REX_QOP_GTE);
	assert_int_equal(json_integer_value(q->where->value), 18);
	assert_string_equal(q->where->path, "where.age.gte");
	assert_int_equal(q->norder_by, 1);
	assert_true(q->order_by[0].descending);
	assert_true(q->order_by[0].nulls_first);
	assert_int_equal(q->limit, 10);
	assert_int_equal(q->offset, 0);
	assert_int_equal(q->nselect, 1);
	assert_string_equal(q->select[0]->name, "id");
	assert_int_equal(q->ninclude, 1);
	assert_true(q->include[0].relation.to_many);
	assert_ptr_equal(q->include[0].query->entity, es.post);
	assert_int_equal(q->include[0].query->limit, 2);
	assert_string_equal(q->include[0].path, "include.posts");
}

/* The filter alone, for update, delete and count. */
static void
test_where_alone(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	entities	es;
	rex_query_resolver res;
	rex_qfilter *f = (rex_qfilter *) 1;
	json_t	   *w;

	setup(ctx, &es, &res);
	assert_int_equal(rex_query_parse_where(ctx, es.user, NULL, NULL, &res, NULL, &f), REX_OK);
	assert_null(f);
	assert_int_equal(rex_query_parse_where(ctx, es.user, json_null(), NULL, &res, NULL, &f), REX_OK);
	assert_null(f);
	w = rex_json_parse(ctx, "{\"name\": \"a\", \"age\": {\"lt\": 3}}", "where");
	assert_int_equal(rex_query_parse_where(ctx, es.user, w, "where", &res, NULL, &f), REX_OK);
	assert_string_equal(rex_json_text(ctx, rex_qfilter_to_json(ctx, f), REX_JSON_OUTPUT),
						"{\"and\":[{\"age\":{\"lt\":3}},{\"name\":{\"eq\":\"a\"}}]}");
	w = rex_json_parse(ctx, "{\"nme\": 1}", "where");
	assert_status(ctx, rex_query_parse_where(ctx, es.user, w, "where", &res, NULL, &f),
				  REX_ERR_DEFINITION);
	assert_null(f);
	assert_string_equal(ctx->err.message, "entity \"user\": where.nme: unknown column \"nme\"");
	assert_string_equal(rex_error_sqlstate(ctx), "22023");
}

/* Text that is not JSON; duplicate keys. */
static void
test_bad_json(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_ctx    *c2 = unit_ctx(state, &rex_dialect_pg);
	entities	es;
	rex_query_resolver res;
	rex_query  *q;

	setup(ctx, &es, &res);
	assert_status(ctx, rex_query_parse_text(ctx, es.user, "{\"where\": ", &res, NULL, &q),
				  REX_ERR_JSON);
	assert_string_equal(ctx->err.message, "invalid JSON in query");
	assert_contains(ctx->err.detail, "line 1");
	assert_status(c2, rex_query_parse_text(c2, es.user, "{\"limit\": 1, \"limit\": 2}", &res, NULL, &q),
				  REX_ERR_JSON);
}

/* Which operators apply to which types. */
static void
test_op_matrix(void **state)
{
	(void) state;
	assert_true(rex_query_op_allowed(REX_QOP_LIKE, REX_T_TEXT));
	assert_false(rex_query_op_allowed(REX_QOP_LIKE, REX_T_ENUM));
	assert_false(rex_query_op_allowed(REX_QOP_ILIKE, REX_T_UUID));
	assert_true(rex_query_op_allowed(REX_QOP_GT, REX_T_UUID));
	assert_true(rex_query_op_allowed(REX_QOP_GT, REX_T_DATE));
	assert_true(rex_query_op_allowed(REX_QOP_LTE, REX_T_DECIMAL));
	assert_false(rex_query_op_allowed(REX_QOP_GT, REX_T_BOOLEAN));
	assert_true(rex_query_op_allowed(REX_QOP_IN, REX_T_ENUM));
	assert_true(rex_query_op_allowed(REX_QOP_EQ, REX_T_BYTES));
	assert_false(rex_query_op_allowed(REX_QOP_NEQ, REX_T_JSON));
	assert_true(rex_query_op_allowed(REX_QOP_IS_NULL, REX_T_JSON));
	assert_string_equal(rex_qop_names[REX_QOP_IS_NULL], "isNull");
}

void
unit_register_query_parse(unit_suite *s)
{
	size_t		i;

	for (i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++)
		unit_add(s, tname("query parse %zu: %s", i, ok_cases[i].query), test_ok_case, &ok_cases[i]);
	for (i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++)
		unit_add(s, tname("query error %zu: %s", i, err_cases[i].query), test_err_case, &err_cases[i]);
	unit_add(s, "query parse: relations need a resolver", test_no_resolver, NULL);
	unit_add(s, "query parse: depth, list, node and limit maximums", test_limits, NULL);
	unit_add(s, "query parse: the tree points into the entity", test_tree, NULL);
	unit_add(s, "query parse: a filter alone (update, delete, count)", test_where_alone, NULL);
	unit_add(s, "query parse: text that is not JSON", test_bad_json, NULL);
	unit_add(s, "query parse: operators per column type", test_op_matrix, NULL);
}
