/*
 * test_fake.c
 *		Unit tests of the fake engine itself (engine_fake.c): scripted
 *		answers and errors, the log, savepoints and the live schema.
 */
#include "unit.h"
#include "rex_api.h"
#include "rex_dialect.h"
#include "rex_engine.h"

/* Canned rows are matched by substring, used 'times' times, in order. */
static void
test_answers(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	rex_engine *fe = ctx->engine;
	rex_result *res = NULL;
	rex_value	p[3];

	fake_answer(fe, "FROM things", "[[1, \"a\", null], [2, \"b\", 2.5]]", 1);
	fake_answer(fe, "FROM things", "[[true]]", FAKE_ALWAYS);
	p[0] = rex_val_text("x");
	p[1] = rex_val_int(7);
	p[2] = rex_val_null();
	assert_ok(ctx, rex_engine_query(ctx, "SELECT * FROM things WHERE a = ?1", 3, p, &res));
	assert_int_equal(res->nrows, 2);
	assert_int_equal(res->ncols, 3);
	assert_string_equal(res->colnames[1], "c2");
	assert_int_equal(rex_result_int(res, 1, 0), 2);
	assert_string_equal(rex_result_text(res, 0, 1), "a");
	assert_null(rex_result_text(res, 0, 2));
	assert_int_equal(rex_result_cell(res, 0, 2)->type, REX_V_NULL);
	assert_true(rex_result_cell(res, 1, 2)->r == 2.5);
	assert_null(rex_result_cell(res, 2, 0));
	/* the first rule is used up; the second answers from now on */
	assert_ok(ctx, rex_engine_query(ctx, "SELECT * FROM things", 0, NULL, &res));
	assert_int_equal(rex_result_cell(res, 0, 0)->type, REX_V_BOOL);
	assert_ok(ctx, rex_engine_query(ctx, "SELECT 1 FROM things", 0, NULL, &res));
	assert_int_equal(res->nrows, 1);
	/* unknown statements answer no rows and are counted */
	assert_ok(ctx, rex_engine_query(ctx, "SELECT 1 FROM elsewhere", 0, NULL, &res));
	assert_int_equal(res->nrows, 0);
	assert_int_equal(fake_unhandled(fe), 1);
	/* the log keeps statements and parameters */
	assert_int_equal(fake_log_count(fe), 4);
	assert_string_equal(fake_log_sql(fe, 0), "SELECT * FROM things WHERE a = ?1");
	assert_string_equal(rex_json_text(ctx, fake_log_params(fe, 0), REX_JSON_CANONICAL),
						"[\"x\",7,null]");
	assert_int_equal(fake_find(fe, "elsewhere", 0), 3);
	assert_int_equal(fake_find(fe, "things", 1), 1);
	assert_int_equal(fake_find(fe, "nowhere", 0), -1);
	assert_int_equal(fake_count(fe, "things"), 3);
	assert_null(fake_log_sql(fe, 4));
	fake_clear_log(fe);
	assert_int_equal(fake_log_count(fe), 0);
}

/* Scripted errors carry the message and the SQLSTATE. */
static void
test_errors(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_engine *fe = ctx->engine;

	fake_error(fe, "INSERT", "23505", "duplicate key value violates unique constraint", 1);
	assert_status(ctx, rex_engine_query(ctx, "INSERT INTO t VALUES (1)", 0, NULL, NULL),
				  REX_ERR_ENGINE);
	assert_string_equal(ctx->err.message, "duplicate key value violates unique constraint");
	assert_string_equal(rex_error_sqlstate(ctx), "23505");
	assert_int_equal(fake_log_status(fe, 0), REX_ERR_ENGINE);
	rex_error_clear(ctx);
	assert_ok(ctx, rex_engine_query(ctx, "INSERT INTO t VALUES (1)", 0, NULL, NULL));
	fake_status(fe, "<savepoint>", REX_ERR_NOMEM, "out of memory", 1);
	assert_status(ctx, rex_engine_savepoint(ctx), REX_ERR_NOMEM);
	assert_int_equal(fake_depth(fe), 0);
}

/* DDL changes the live schema; a rollback to a savepoint undoes it. */
static void
test_savepoints(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_engine *fe = ctx->engine;
	bool		own = false;

	assert_ok(ctx, rex_engine_query(ctx, "CREATE TABLE \"s\".\"a\" (\n  \"x\" text\n)", 0, NULL, NULL));
	assert_true(fake_has_relation(fe, "a"));
	assert_ok(ctx, rex_engine_savepoint(ctx));
	assert_ok(ctx, rex_engine_query(ctx, "CREATE TABLE \"b\" (x)", 0, NULL, NULL));
	assert_ok(ctx, rex_engine_query(ctx, "CREATE UNIQUE INDEX \"b_x\" ON \"b\" (\"x\")", 0, NULL, NULL));
	assert_ok(ctx, rex_engine_savepoint(ctx));
	assert_int_equal(fake_depth(fe), 2);
	assert_ok(ctx, rex_engine_query(ctx, "DROP TABLE \"a\"", 0, NULL, NULL));
	assert_false(fake_has_relation(fe, "a"));
	assert_ok(ctx, rex_engine_rollback_to(ctx));
	assert_true(fake_has_relation(fe, "a"));
	assert_true(fake_has_relation(fe, "b_x"));
	assert_ok(ctx, rex_engine_rollback_to(ctx));
	assert_false(fake_has_relation(fe, "b"));
	assert_false(fake_has_relation(fe, "b_x"));
	assert_int_equal(fake_depth(fe), 0);
	/* engine errors a real database would raise */
	assert_status(ctx, rex_engine_query(ctx, "CREATE TABLE \"A\" (x)", 0, NULL, NULL), REX_ERR_ENGINE);
	assert_string_equal(rex_error_sqlstate(ctx), "42P07");
	rex_error_clear(ctx);
	assert_status(ctx, rex_engine_query(ctx, "DROP INDEX \"nope\"", 0, NULL, NULL), REX_ERR_ENGINE);
	rex_error_clear(ctx);
	/* dropping a table drops its indexes */
	assert_ok(ctx, rex_engine_query(ctx, "CREATE INDEX \"a_x\" ON \"s\".\"a\" (\"x\")", 0, NULL, NULL));
	assert_ok(ctx, rex_engine_query(ctx, "DROP TABLE \"s\".\"a\"", 0, NULL, NULL));
	assert_false(fake_has_relation(fe, "a_x"));
	/* the lock: a transaction of its own unless the caller has one */
	assert_ok(ctx, rex_engine_lock(ctx, 0, &own));
	assert_true(own);
	assert_ok(ctx, rex_engine_query(ctx, "CREATE TABLE \"c\" (x)", 0, NULL, NULL));
	assert_ok(ctx, rex_engine_unlock(ctx, own, false));
	assert_false(fake_has_relation(fe, "c"));
	fake_set_user_txn(fe, true);
	assert_true(rex_engine_in_user_txn(ctx));
	assert_ok(ctx, rex_engine_lock(ctx, 0, &own));
	assert_false(own);
	assert_ok(ctx, rex_engine_unlock(ctx, own, true));
}

/* A scripted answer beats the emulation (here: the table "exists"). */
static void
test_rule_over_emulation(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	const char *out = NULL;

	fake_answer(ctx->engine, "sqlite_schema", "[[1]]", FAKE_ALWAYS);
	assert_status(ctx, rex_api_define_entity(ctx, "user", "{\"columns\": {\"id\": {\"type\": \"id\"}}}", &out),
				  REX_ERR_DUPLICATE);
	assert_string_equal(ctx->err.message, "entity \"user\": table \"user\" already exists");
}

void
unit_register_fake(unit_suite *s)
{
	unit_add(s, "fake engine: canned rows by substring, times, the log", test_answers, NULL);
	unit_add(s, "fake engine: scripted errors and statuses", test_errors, NULL);
	unit_add(s, "fake engine: savepoints, lock and the live schema", test_savepoints, NULL);
	unit_add(s, "fake engine: a scripted answer beats the emulation", test_rule_over_emulation, NULL);
}
