/*
 * test_regressions.c
 *		Tests of bugs found in common/ and fixed: each asserts the behaviour
 *		the design asks for, and failed before its fix.
 *
 * The rex_buf tests run the call in a child process: before the fix it
 * crashed or hung the process that made it.
 */
#include "unit.h"
#include "rex_api.h"
#include "rex_buf.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Bug 1 (definition.c, json_util.h): canonical JSON text is written with
 * JSON_REAL_PRECISION(15), so a float default that needs 16 or 17
 * significant digits (pi, 0.1 + 0.2...) changes when the definition goes
 * through the catalog as text.  The table then gets a rounded default,
 * and defining the same entity again after migrate() is refused as a
 * change ("changing entity ... after it was migrated is not supported").
 */
static void
test_float_default_round_trip(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	json_t	   *c1;
	json_t	   *c2;
	const char *def = "{\"columns\": {\"id\": {\"type\": \"id\"}, "
	"\"pi\": {\"type\": \"float\", \"default\": 3.141592653589793}}}";
	double		pi;

	parse_ok(ctx, "circle", def, &c1);
	pi = json_real_value(json_object_get(json_object_get(json_object_get(c1, "columns"), "pi"), "default"));
	assert_true(pi == 3.141592653589793);
	parse_ok(ctx, "circle", rex_json_text(ctx, c1, REX_JSON_CANONICAL), &c2);
	/* fails: the canonical text says 3.14159265358979 */
	assert_true(json_real_value(json_object_get(json_object_get(json_object_get(c2, "columns"), "pi"),
												"default")) == pi);
}

/* The same bug seen through the API: the identical definition is refused. */
static void
test_float_default_redefine(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_ctx    *c2 = unit_ctx(state, &rex_dialect_pg);
	const char *def = "{\"columns\": {\"id\": {\"type\": \"id\"}, "
	"\"pi\": {\"type\": \"float\", \"default\": 3.141592653589793}}}";
	const char *out = NULL;
	int			create;

	assert_ok(ctx, rex_api_define_entity(ctx, "circle", def, &out));
	assert_ok(ctx, rex_api_migrate(ctx, NULL, &out));
	create = fake_find(ctx->engine, "CREATE TABLE", 0);
	assert_true(create >= 0);
	/* fails: the table was created with DEFAULT '3.1415926535897900'... */
	assert_contains(fake_log_sql(ctx->engine, create), "DEFAULT '3.1415926535897931'::double precision");
	/* fails: REX_ERR_UNSUPPORTED */
	assert_ok(c2, rex_api_define_entity(c2, "circle", def, &out));
}

/*
 * Bug 2 (definition.c parse_indexes, entity.c check_collisions): an
 * index may be named like a table -- its own entity's or another
 * pending entity's.  Tables and indexes share one namespace on both
 * engines, so the definition is accepted and migrate() then fails with
 * "relation already exists".  (On PostgreSQL the implicit identity
 * sequence "<table>_<column>_seq" is in the same namespace too.)
 */
static void
test_index_named_like_its_table(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_entity *e = NULL;
	rex_status	st;

	st = rex_definition_parse(ctx, "t", "{\"columns\": {\"id\": {\"type\": \"id\"}, "
							  "\"a\": {\"type\": \"text\"}}, "
							  "\"indexes\": [{\"columns\": [\"a\"], \"name\": \"T\"}]}", &e, NULL);
	/* fails: REX_OK */
	assert_status(ctx, st, REX_ERR_DEFINITION);
}

static void
test_index_named_like_other_table(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	rex_ctx    *c2 = unit_ctx(state, &rex_dialect_sqlite);
	const char *out = NULL;
	rex_status	st;

	assert_ok(ctx, rex_api_define_entity(ctx, "user", "{\"columns\": {\"id\": {\"type\": \"id\"}}}", &out));
	st = rex_api_define_entity(c2, "post", "{\"columns\": {\"id\": {\"type\": \"id\"}, "
							   "\"a\": {\"type\": \"text\"}}, "
							   "\"indexes\": [{\"columns\": [\"a\"], \"name\": \"user\"}]}", &out);
	/* fails: REX_OK; migrate() then fails on CREATE INDEX "user" */
	assert_status(c2, st, REX_ERR_DEFINITION);
}

/*
 * Bug 3 (definition.c parse_column): "default": null on an id column
 * resets default_kind from REX_DEFAULT_GENERATED to REX_DEFAULT_NONE,
 * so the model differs from that of the same definition without the
 * key (and from that of its own canonical JSON).  No DDL depends on it
 * today; code that asks "is this column generated?" would be misled.
 */
static void
test_id_default_null(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_entity *e = parse_ok(ctx, "t", "{\"columns\": {\"id\": {\"type\": \"id\", \"default\": null}}}", NULL);

	/* fails: REX_DEFAULT_NONE */
	assert_int_equal(e->columns[0].default_kind, REX_DEFAULT_GENERATED);
}

/*
 * Bug 6 (definition.c parse_default): the article is chosen by the first
 * letter of the type name, so the message says "an uuid column needs a
 * UUID string ..." (a "you" sound takes "a").  Cosmetic.
 */
static void
test_uuid_article(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_entity *e = NULL;

	assert_status(ctx, rex_definition_parse(ctx, "t", "{\"columns\": {\"id\": {\"type\": \"id\"}, "
											"\"u\": {\"type\": \"uuid\", \"default\": 1}}}", &e, NULL),
				  REX_ERR_DEFINITION);
	/* fails: "an uuid column" */
	assert_contains(ctx->err.message, "columns.u.default: a uuid column needs");
}

/* Runs fn in a child; true when the child exited with status 0 in time. */
static bool
child_ok(void (*fn) (rex_ctx *ctx))
{
	pid_t		pid;
	int			status = 0;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
	{
		rex_ctx    *ctx = rex_ctx_new(NULL, &rex_dialect_sqlite);

		alarm(5);				/* a hang counts as a failure */
		fn(ctx);
		rex_ctx_free(ctx);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * Bug 4 (rex_buf.c buf_reserve): the size_t overflow test comes after
 * "need <= cap", so an append whose length makes len + n + 1 wrap
 * around is taken as fitting and memcpy'd far out of bounds.
 */
static void
append_wrapping(rex_ctx *ctx)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "abc");
	rex_buf_append_len(&b, "x", SIZE_MAX - 2);
	if (rex_buf_ok(&b) || ctx->err.status != REX_ERR_NOMEM)
		_exit(1);
}

static void
test_buf_wraparound(void **state)
{
	(void) state;
	/* fails: the child dies of SIGSEGV */
	assert_true(child_ok(append_wrapping));
}

/*
 * Bug 5 (rex_buf.c buf_reserve): "while (cap < need) cap *= 2" wraps cap
 * to 0 when need is above SIZE_MAX / 2, and then loops for ever.
 */
static void
append_huge(rex_ctx *ctx)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_buf_append_len(&b, "x", SIZE_MAX / 2 + 10);
	if (rex_buf_ok(&b) || ctx->err.status != REX_ERR_NOMEM)
		_exit(1);
}

static void
test_buf_doubling(void **state)
{
	(void) state;
	/* fails: the child hangs and is killed by SIGALRM */
	assert_true(child_ok(append_huge));
}

void
unit_register_regressions(unit_suite *s)
{
	unit_add(s, "regression 1: a float default keeps its value through canonical text",
			 test_float_default_round_trip, NULL);
	unit_add(s, "regression 1: a float default survives migrate and the same define again",
			 test_float_default_redefine, NULL);
	unit_add(s, "regression 2: an index named like its own table is refused",
			 test_index_named_like_its_table, NULL);
	unit_add(s, "regression 2: an index named like another entity's table is refused",
			 test_index_named_like_other_table, NULL);
	unit_add(s, "regression 3: an id column with default null is still generated",
			 test_id_default_null, NULL);
	unit_add(s, "regression 6: the message says a uuid column, not an uuid column",
			 test_uuid_article, NULL);
	unit_add(s, "regression 4: rex_buf refuses an append whose size wraps around",
			 test_buf_wraparound, NULL);
	unit_add(s, "regression 5: rex_buf refuses an append above SIZE_MAX / 2",
			 test_buf_doubling, NULL);
}
