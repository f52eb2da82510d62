/*
 * test_api.c
 *		The SQL-callable functions of rex_api.h end to end, against the
 *		fake engine (engine_fake.h): define_entity, entity, entities, plan,
 *		migrate (applied, failed step, strict, dry run, data loss, lock),
 *		drop_entity and migration_status.
 *
 * Each test runs once per dialect (its parameter): the fake emulates the
 * catalog from the statements each dialect writes, and logs every
 * statement, so the tests assert what ran and in what order.
 */
#include "unit.h"
#include "rex_api.h"
#include "rex_dialect.h"

#include <stdio.h>

#define USER_DEF \
	"{'table': 'users', 'columns': {'id': {'type': 'id'}," \
	"'email': {'type': 'string', 'unique': true, 'nullable': false}," \
	"'name': {'type': 'text'}}}"
#define POST_DEF \
	"{'columns': {'id': {'type': 'id'}, 'title': {'type': 'text'}}," \
	"'indexes': [{'columns': ['title']}]}"

/* The context of the dialect this test runs for. */
static rex_ctx *
api_ctx(void **state)
{
	const rex_dialect *d = unit_param(state);

	return d == &rex_dialect_pg ? unit_fix(state)->pg : unit_fix(state)->sqlite;
}

/* Catalog table name in the test's dialect: "rex.entities" or "rex_entities". */
static const char *
cat(rex_ctx *ctx, const char *table)
{
	return rex_psprintf(ctx, "%s%s", ctx->dialect->catalog_prefix, table);
}

/* Parses an answer (owned by ctx). */
static json_t *
answer_json(rex_ctx *ctx, const char *text)
{
	json_t	   *v;

	assert_non_null(text);
	v = rex_json_parse(ctx, text, "answer");
	if (v == NULL)
		unit_fail("answer is not JSON: %s", text);
	return v;
}

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_int_t
num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* Defines an entity that must be accepted; returns the answer. */
static json_t *
define_ok(rex_ctx *ctx, const char *name, const char *def)
{
	const char *out = NULL;

	assert_ok(ctx, rex_api_define_entity(ctx, name, unit_q(ctx, def), &out));
	return answer_json(ctx, out);
}

/* Migrates with options that must be accepted; returns the answer. */
static json_t *
migrate_ok(rex_ctx *ctx, const char *options)
{
	const char *out = NULL;

	assert_ok(ctx, rex_api_migrate(ctx, options, &out));
	return answer_json(ctx, out);
}

/* Asserts that statement a ran before statement b (by substrings). */
#define assert_before(fe, a, b) \
	do { \
		int _ia = fake_find((fe), (a), 0); \
		int _ib = fake_find((fe), (b), 0); \
		if (_ia < 0 || _ib < 0 || _ia >= _ib) \
			unit_fail("expected \"%s\" before \"%s\" in the log:\n%s", (a), (b), \
					 fake_log_text(fe)); \
	} while (0)

/* ---------------------------------------------------------------- */

/* define_entity records the definition and answers the plan; no DDL. */
static void
test_define(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	rex_engine *fe = ctx->engine;
	json_t	   *a = define_ok(ctx, "user", USER_DEF);
	json_t	   *steps = json_object_get(a, "steps");
	json_t	   *ent;
	json_t	   *canon;
	json_t	   *stored;
	int			ins;

	assert_string_equal(str(a, "entity"), "user");
	assert_int_equal(num(a, "version"), 1);
	assert_string_equal(str(a, "status"), "pending");
	assert_int_equal(json_array_size(steps), 2);
	assert_string_equal(str(json_array_get(steps, 0), "kind"), "create_table");
	assert_string_equal(str(json_array_get(steps, 0), "entity"), "user");
	assert_true(strncmp(str(json_array_get(steps, 0), "sql"), "CREATE TABLE \"users\" (", 22) == 0);
	assert_string_equal(str(json_array_get(steps, 1), "sql"),
						"CREATE UNIQUE INDEX \"users_email_key\" ON \"users\" (\"email\")");
	/* the catalog was created, then written; nothing else changed */
	assert_true(fake_find(fe, "<catalog create>", 0) == 0);
	ins = fake_find(fe, rex_psprintf(ctx, "INSERT INTO %s ", cat(ctx, "entities")), 0);
	assert_true(ins > 0);
	assert_string_equal(json_string_value(json_array_get(fake_log_params(fe, ins), 0)), "user");
	assert_string_equal(json_string_value(json_array_get(fake_log_params(fe, ins), 1)), "users");
	assert_int_equal(fake_count(fe, "CREATE "), 0);
	assert_int_equal(fake_count(fe, "<savepoint>"), 0);
	assert_false(fake_has_relation(fe, "users"));
	assert_int_equal(fake_unhandled(fe), 0);
	/* the stored definition is the canonical JSON text */
	ent = json_object_get(fake_entities(fe), "user");
	assert_non_null(ent);
	parse_ok(ctx, "user", unit_q(ctx, USER_DEF), &canon);
	assert_string_equal(str(ent, "definition"), unit_canon_text(ctx, canon));
	assert_true(json_is_null(json_object_get(ent, "applied")));
	/* the live schema was asked about the table and its index */
	assert_int_equal(fake_count(fe, ctx->dialect->relation_exists_sql), 2);
	/* entity() answers the canonical definition */
	{
		const char *out = NULL;

		assert_ok(ctx, rex_api_entity(ctx, "user", &out));
		stored = answer_json(ctx, out);
		assert_true(json_equal(stored, canon));
	}
}

/* A refused definition writes nothing and touches no engine. */
static void
test_define_refused(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	const char *out = NULL;

	const char *bad = unit_q(ctx, "{'columns': {'id': {'type': 'idd'}}}");

	assert_status(ctx, rex_api_define_entity(ctx, "user", bad, &out), REX_ERR_DEFINITION);
	assert_null(out);
	assert_string_equal(ctx->err.message, "entity \"user\": columns.id.type: unknown type \"idd\"");
	assert_string_equal(rex_error_sqlstate(ctx), "22023");
	assert_int_equal(fake_log_count(ctx->engine), 0);
	assert_int_equal(json_object_size(fake_entities(ctx->engine)), 0);
}

/* The same definition again keeps the version; a new one bumps it. */
static void
test_define_versions(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	rex_engine *fe = ctx->engine;
	json_t	   *a;

	define_ok(ctx, "user", USER_DEF);
	/* the same definition, keys in another order */
	a = define_ok(ctx, "user",
				  "{'columns': {'name': {'type': 'text'}, 'email': {'nullable': false, 'unique': true, "
				  "'type': 'string'}, 'id': {'type': 'id'}}, 'table': 'users'}");
	assert_int_equal(num(a, "version"), 1);
	assert_int_equal(fake_count(fe, rex_psprintf(ctx, "UPDATE %s ", cat(ctx, "entities"))), 0);
	a = define_ok(ctx, "user", "{'table': 'users', 'columns': {'id': {'type': 'id'}, 'nick': {'type': 'text'}}}");
	assert_int_equal(num(a, "version"), 2);
	assert_string_equal(str(a, "status"), "pending");
	assert_int_equal(fake_count(fe, rex_psprintf(ctx, "UPDATE %s SET table_name", cat(ctx, "entities"))), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(fake_entities(fe), "user"),
														"version")), 2);
	assert_int_equal(json_array_size(json_object_get(a, "steps")), 1);
}

/* Collisions with other entities are refused. */
static void
test_define_collisions(void **state)
{
	static const char same_table[] = "{'table': 'USERS', 'columns': {'id': {'type': 'id'}}}";
	static const char other_table[] = "{'table': 'others', 'columns': {'id': {'type': 'id'}}}";
	static const char same_index[] =
	"{'columns': {'id': {'type': 'id'}, 'e': {'type': 'text'}},"
	"'indexes': [{'columns': 'e', 'name': 'users_email_key'}]}";
	rex_ctx    *ctx = api_ctx(state);
	rex_ctx    *c2 = unit_ctx(state, ctx->dialect);
	rex_ctx    *c3 = unit_ctx(state, ctx->dialect);
	rex_ctx    *c4 = unit_ctx(state, ctx->dialect);
	const char *out = NULL;

	define_ok(ctx, "user", USER_DEF);
	assert_status(c2, rex_api_define_entity(c2, "person", unit_q(c2, same_table), &out),
				  REX_ERR_DEFINITION);
	assert_string_equal(c2->err.message,
						"entity \"person\": table \"USERS\" is already used by entity \"user\"");
	assert_status(c3, rex_api_define_entity(c3, "User", unit_q(c3, other_table), &out),
				  REX_ERR_DEFINITION);
	assert_contains(c3->err.message, "differs only in case from entity \"user\"");
	assert_status(c4, rex_api_define_entity(c4, "person", unit_q(c4, same_index), &out),
				  REX_ERR_DEFINITION);
	assert_contains(c4->err.message, "name \"users_email_key\" is already taken by entity \"user\"");
	assert_int_equal(json_object_size(fake_entities(ctx->engine)), 1);
}

/* A table that already exists in the database is not planned over. */
static void
test_define_live_table(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	const char *out = NULL;

	fake_add_relation(ctx->engine, "Users");
	assert_status(ctx, rex_api_define_entity(ctx, "user", unit_q(ctx, USER_DEF), &out),
				  REX_ERR_DUPLICATE);
	assert_string_equal(ctx->err.message, "entity \"user\": table \"users\" already exists");
	assert_string_equal(rex_error_sqlstate(ctx), "42P07");
}

/* plan() lists every pending entity's steps, entities by name. */
static void
test_plan(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	const char *out = NULL;
	json_t	   *steps;

	define_ok(ctx, "user", USER_DEF);
	define_ok(ctx, "post", POST_DEF);
	fake_clear_log(ctx->engine);
	assert_ok(ctx, rex_api_plan(ctx, &out));
	steps = answer_json(ctx, out);
	assert_int_equal(json_array_size(steps), 4);
	assert_string_equal(str(json_array_get(steps, 0), "entity"), "post");
	assert_string_equal(str(json_array_get(steps, 1), "entity"), "post");
	assert_string_equal(str(json_array_get(steps, 1), "sql"),
						"CREATE INDEX \"post_title_idx\" ON \"post\" (\"title\")");
	assert_string_equal(str(json_array_get(steps, 2), "entity"), "user");
	assert_int_equal(num(json_array_get(steps, 3), "step"), 4);
	/* plan() is read-only: nothing but reads */
	assert_string_equal(fake_log_sql(ctx->engine, 0), "<catalog>");
	assert_int_equal(fake_count(ctx->engine, "INSERT"), 0);
	assert_int_equal(fake_count(ctx->engine, "UPDATE"), 0);
	assert_int_equal(fake_count(ctx->engine, "CREATE"), 0);
}

/* Without a catalog, read-only calls answer as for an empty one. */
static void
test_no_catalog(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	const char *out = NULL;
	json_t	   *st;

	fake_set_catalog_exists(ctx->engine, false);
	assert_ok(ctx, rex_api_plan(ctx, &out));
	assert_string_equal(out, "[]");
	assert_ok(ctx, rex_api_entities(ctx, &out));
	assert_string_equal(out, "[]");
	assert_ok(ctx, rex_api_migration_status(ctx, &out));
	st = answer_json(ctx, out);
	assert_int_equal(num(st, "entities"), 0);
	assert_true(json_is_true(json_object_get(st, "up_to_date")));
	assert_true(json_is_null(json_object_get(st, "last_migration")));
	/* only the catalog checks ran */
	assert_int_equal(fake_log_count(ctx->engine), 3);
	assert_int_equal(fake_count(ctx->engine, "<catalog>"), 3);
	/* entity() says the entity does not exist */
	assert_status(ctx, rex_api_entity(ctx, "user", &out), REX_ERR_NOT_FOUND);
	assert_string_equal(ctx->err.message, "entity \"user\" does not exist");
}

/* migrate() applies every step in one savepoint and records it. */
static void
test_migrate(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	rex_engine *fe = ctx->engine;
	json_t	   *a;
	json_t	   *m;
	json_t	   *hist;
	json_t	   *log;
	const char *out = NULL;
	size_t		i;

	define_ok(ctx, "user", USER_DEF);
	define_ok(ctx, "post", POST_DEF);
	fake_clear_log(fe);
	a = migrate_ok(ctx, NULL);
	assert_string_equal(str(a, "status"), "applied");
	assert_true(json_is_false(json_object_get(a, "dry_run")));
	assert_true(json_is_false(json_object_get(a, "destructive")));
	assert_int_equal(json_array_size(json_object_get(a, "steps")), 4);
	assert_int_equal(json_array_size(json_object_get(a, "migrations")), 1);
	m = json_array_get(json_object_get(a, "migrations"), 0);
	assert_string_equal(str(m, "version"), "entities_0001");
	assert_string_equal(str(m, "name"), "entities: create post, user");
	assert_string_equal(str(m, "kind"), "entities");
	assert_string_equal(str(m, "state"), "applied");
	assert_int_equal(num(m, "steps"), 4);
	assert_int_equal(num(m, "applied_steps"), 4);
	assert_true(json_is_null(json_object_get(m, "error")));
	assert_int_equal(strlen(str(m, "checksum")), 64);

	/* the order of what ran */
	assert_string_equal(fake_log_sql(fe, 0), "<catalog create>");
	assert_before(fe, "<lock>", "<savepoint>");
	assert_before(fe, "<savepoint>", "CREATE TABLE \"post\"");
	assert_before(fe, "CREATE TABLE \"post\"", "CREATE INDEX \"post_title_idx\"");
	assert_before(fe, "CREATE INDEX \"post_title_idx\"", "CREATE TABLE \"users\"");
	assert_before(fe, "CREATE TABLE \"users\"", "CREATE UNIQUE INDEX \"users_email_key\"");
	/* the catalog is updated inside the migration's savepoint, the history after it */
	assert_before(fe, "CREATE UNIQUE INDEX \"users_email_key\"", "SET applied = definition");
	assert_before(fe, "SET applied = definition", "<release>");
	assert_before(fe, "<release>", rex_psprintf(ctx, "INSERT INTO %s ", cat(ctx, "migrations")));
	assert_before(fe, rex_psprintf(ctx, "INSERT INTO %s ", cat(ctx, "migrations")),
				  rex_psprintf(ctx, "INSERT INTO %s ", cat(ctx, "log")));
	assert_string_equal(fake_log_sql(fe, fake_log_count(fe) - 1), "<unlock commit>");
	assert_int_equal(fake_count(fe, "<rollback_to>"), 0);
	assert_int_equal(fake_count(fe, rex_psprintf(ctx, "INSERT INTO %s ", cat(ctx, "log"))), 4);
	assert_int_equal(fake_depth(fe), 0);
	assert_int_equal(fake_unhandled(fe), 0);
	for (i = 0; i < (size_t) fake_log_count(fe); i++)
		assert_int_equal(fake_log_status(fe, (int) i), REX_OK);

	/* the database and the catalog */
	assert_true(fake_has_relation(fe, "users"));
	assert_true(fake_has_relation(fe, "post"));
	assert_true(fake_has_relation(fe, "users_email_key"));
	assert_true(json_is_string(json_object_get(json_object_get(fake_entities(fe), "user"), "applied")));
	hist = json_array_get(fake_migrations(fe), 0);
	assert_string_equal(str(hist, "state"), "applied");
	assert_string_equal(str(hist, "checksum"), str(m, "checksum"));
	assert_int_equal(strlen(str(hist, "chain_hash")), 64);
	assert_true(json_is_true(json_object_get(hist, "reversible")));
	assert_contains(str(hist, "sql_up"), "CREATE TABLE \"post\"");
	/* the inverse drops in reverse order: the user's index first */
	assert_true(strncmp(str(hist, "sql_down"), "DROP INDEX ", 11) == 0);
	assert_contains(str(hist, "sql_down"), "users_email_key");
	log = fake_migration_log(fe);
	assert_int_equal(json_array_size(log), 4);
	assert_string_equal(str(json_array_get(log, 0), "message"), "ok");
	assert_string_equal(str(json_array_get(log, 3), "kind"), "create_index");

	/* nothing left to do */
	assert_ok(ctx, rex_api_plan(ctx, &out));
	assert_string_equal(out, "[]");
	fake_clear_log(fe);
	a = migrate_ok(ctx, "{}");
	assert_string_equal(str(a, "status"), "up_to_date");
	assert_int_equal(json_array_size(json_object_get(a, "migrations")), 0);
	assert_int_equal(fake_count(fe, "<savepoint>"), 0);
	assert_int_equal(fake_count(fe, "INSERT"), 0);

	/* the status and the entities list agree */
	assert_ok(ctx, rex_api_migration_status(ctx, &out));
	a = answer_json(ctx, out);
	assert_int_equal(num(a, "entities"), 2);
	assert_int_equal(num(a, "pending_entities"), 0);
	assert_int_equal(num(a, "applied_migrations"), 1);
	assert_int_equal(num(a, "failed_migrations"), 0);
	assert_true(json_is_true(json_object_get(a, "up_to_date")));
	assert_string_equal(str(json_object_get(a, "last_migration"), "version"), "entities_0001");
	assert_ok(ctx, rex_api_entities(ctx, &out));
	a = answer_json(ctx, out);
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(str(json_array_get(a, 0), "name"), "post");
	assert_string_equal(str(json_array_get(a, 1), "status"), "applied");
	assert_string_equal(str(json_array_get(a, 1), "table"), "users");
}

/* A failing step undoes the whole migration; the failure is recorded. */
static void
test_migrate_failed_step(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	rex_engine *fe = ctx->engine;
	json_t	   *a;
	json_t	   *m;
	json_t	   *hist;
	json_t	   *log;
	int			fail_at;

	define_ok(ctx, "user", USER_DEF);
	fake_error(fe, "CREATE UNIQUE INDEX", "42P07", "relation \"users_email_key\" already exists", 1);
	fake_clear_log(fe);
	a = migrate_ok(ctx, NULL);
	assert_string_equal(str(a, "status"), "failed");
	m = json_array_get(json_object_get(a, "migrations"), 0);
	assert_string_equal(str(m, "state"), "failed");
	assert_int_equal(num(m, "error_step"), 2);
	assert_int_equal(num(m, "applied_steps"), 0);
	assert_string_equal(str(m, "error"), "relation \"users_email_key\" already exists");

	/* what ran: the failing step, then the rollback, then the record */
	fail_at = fake_find(fe, "CREATE UNIQUE INDEX", 0);
	assert_true(fail_at > 0);
	assert_int_equal(fake_log_status(fe, fail_at), REX_ERR_ENGINE);
	assert_string_equal(fake_log_sql(fe, fail_at + 1), "<rollback_to>");
	assert_int_equal(fake_count(fe, "<release>"), 0);
	assert_before(fe, "<rollback_to>", rex_psprintf(ctx, "INSERT INTO %s ", cat(ctx, "migrations")));
	assert_int_equal(fake_count(fe, "SET applied = definition"), 0);
	assert_string_equal(fake_log_sql(fe, fake_log_count(fe) - 1), "<unlock commit>");
	assert_int_equal(fake_depth(fe), 0);
	assert_int_equal(ctx->err.status, REX_OK);

	/* no partial schema; the entity is still pending */
	assert_false(fake_has_relation(fe, "users"));
	assert_true(json_is_null(json_object_get(json_object_get(fake_entities(fe), "user"), "applied")));
	hist = json_array_get(fake_migrations(fe), 0);
	assert_string_equal(str(hist, "state"), "failed");
	assert_true(json_is_null(json_object_get(hist, "chain_hash")));
	assert_int_equal(num(hist, "error_step"), 2);
	assert_int_equal(num(hist, "applied_steps"), 0);
	assert_int_equal(num(hist, "total_steps"), 2);
	log = fake_migration_log(fe);
	assert_int_equal(json_array_size(log), 2);
	assert_string_equal(str(json_array_get(log, 0), "message"), "ok");
	assert_string_equal(str(json_array_get(log, 1), "message"), "relation \"users_email_key\" already exists");

	/* the next attempt (the error was scripted once) applies it */
	a = migrate_ok(ctx, NULL);
	assert_string_equal(str(a, "status"), "applied");
	m = json_array_get(json_object_get(a, "migrations"), 0);
	assert_string_equal(str(m, "version"), "entities_0001");
	assert_true(fake_has_relation(fe, "users_email_key"));
	assert_int_equal(json_array_size(fake_migrations(fe)), 2);
}

/* {"strict": true} raises the failing step's error and records nothing. */
static void
test_migrate_strict(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	rex_engine *fe = ctx->engine;
	const char *out = NULL;

	define_ok(ctx, "user", USER_DEF);
	fake_error(fe, "CREATE UNIQUE INDEX", "23505", "could not create unique index", 1);
	assert_status(ctx, rex_api_migrate(ctx, "{\"strict\": true}", &out), REX_ERR_ENGINE);
	assert_null(out);
	assert_string_equal(ctx->err.message, "could not create unique index");
	assert_string_equal(rex_error_sqlstate(ctx), "23505");
	assert_string_equal(ctx->err.detail,
						"Migration entities_0001, step 2 (create_index of entity \"user\") failed; nothing was changed.");
	assert_string_equal(fake_log_sql(fe, fake_log_count(fe) - 1), "<unlock rollback>");
	assert_int_equal(json_array_size(fake_migrations(fe)), 0);
	assert_false(fake_has_relation(fe, "users"));
}

/* A dry run runs the steps and rolls them back. */
static void
test_migrate_dry_run(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	rex_engine *fe = ctx->engine;
	json_t	   *a;

	define_ok(ctx, "user", USER_DEF);
	fake_clear_log(fe);
	a = migrate_ok(ctx, "{\"dry_run\": true}");
	assert_string_equal(str(a, "status"), "ok");
	assert_true(json_is_true(json_object_get(a, "dry_run")));
	assert_string_equal(str(json_array_get(json_object_get(a, "migrations"), 0), "state"), "ok");
	assert_before(fe, "CREATE UNIQUE INDEX", "<rollback_to>");
	/* the migration's own savepoint is released inside the dry run's, rolled back */
	assert_int_equal(fake_count(fe, "<rollback_to>"), 1);
	assert_false(fake_has_relation(fe, "users"));
	assert_int_equal(json_array_size(fake_migrations(fe)), 0);
	assert_int_equal(fake_count(fe, "INSERT"), 0);
	assert_true(json_is_null(json_object_get(json_object_get(fake_entities(fe), "user"), "applied")));
}

/* Dropping a migrated entity needs allow_data_loss. */
static void
test_drop_entity(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	rex_ctx    *c2 = unit_ctx(state, ctx->dialect);
	rex_engine *fe = ctx->engine;
	const char *out = NULL;
	json_t	   *a;

	define_ok(ctx, "user", USER_DEF);
	migrate_ok(ctx, NULL);
	assert_ok(ctx, rex_api_drop_entity(ctx, "user", &out));
	a = answer_json(ctx, out);
	assert_string_equal(str(a, "status"), "dropping");
	assert_string_equal(str(json_array_get(json_object_get(a, "steps"), 0), "kind"), "drop_table");
	assert_true(fake_has_relation(fe, "users"));

	assert_status(c2, rex_api_migrate(c2, NULL, &out), REX_ERR_STATE);
	assert_string_equal(c2->err.message,
						"migration would lose data: step 1 (drop_table of entity \"user\")");
	assert_string_equal(c2->err.detail, "drops table \"users\" and every row in it.");
	assert_contains(c2->err.hint, "allow_data_loss");
	assert_string_equal(rex_error_sqlstate(c2), "55000");
	assert_true(fake_has_relation(fe, "users"));

	fake_clear_log(fe);
	a = migrate_ok(ctx, "{\"allow_data_loss\": true}");
	assert_string_equal(str(a, "status"), "applied");
	assert_true(json_is_true(json_object_get(a, "destructive")));
	assert_string_equal(str(json_array_get(json_object_get(a, "migrations"), 0), "name"),
						"entities: drop user");
	assert_true(fake_find(fe, "DROP TABLE \"", 0) >= 0);
	assert_false(fake_has_relation(fe, "users"));
	assert_false(fake_has_relation(fe, "users_email_key"));
	assert_null(json_object_get(fake_entities(fe), "user"));
	/* a drop cannot be undone from the history */
	assert_true(json_is_false(json_object_get(json_array_get(fake_migrations(fe), 1), "reversible")));
}

/* Dropping an entity never migrated just forgets it. */
static void
test_drop_pending(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	rex_ctx    *c2 = unit_ctx(state, ctx->dialect);
	const char *out = NULL;
	json_t	   *a;

	define_ok(ctx, "user", USER_DEF);
	assert_ok(ctx, rex_api_drop_entity(ctx, "user", &out));
	a = answer_json(ctx, out);
	assert_string_equal(str(a, "status"), "removed");
	assert_int_equal(json_array_size(json_object_get(a, "steps")), 0);
	assert_int_equal(json_object_size(fake_entities(ctx->engine)), 0);
	assert_status(c2, rex_api_drop_entity(c2, "user", &out), REX_ERR_NOT_FOUND);
}

/* Changing a migrated entity plans the change of its table. */
static void
test_change_after_migrate(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	rex_ctx    *c2 = unit_ctx(state, ctx->dialect);
	const char *out = NULL;
	const char *other;
	json_t	   *a;

	define_ok(ctx, "user", USER_DEF);
	migrate_ok(ctx, NULL);
	a = define_ok(ctx, "user", USER_DEF);
	assert_string_equal(str(a, "status"), "applied");
	assert_int_equal(json_array_size(json_object_get(a, "steps")), 0);
	/* a primary-key change cannot be planned safely: refused, nothing recorded */
	other = unit_q(c2, "{'table': 'users', 'columns': {'code': {'type': 'text', 'primary_key': true}}}");
	assert_status(c2, rex_api_define_entity(c2, "user", other, &out), REX_ERR_UNSUPPORTED);
	assert_string_equal(rex_error_sqlstate(c2), "0A000");
}

/* Bad options are refused before anything runs. */
static void
test_migrate_options(void **state)
{
	static const struct
	{
		const char *options;
		rex_status	status;
		const char *message;
	}			cases[] = {
		{"{\"dryrun\": true}", REX_ERR_DEFINITION, "invalid migrate option \"dryrun\": unknown option"},
		{"{\"dry_run\": 1}", REX_ERR_DEFINITION, "invalid migrate option \"dry_run\": expected true or false"},
		{"{\"strict\": \"yes\"}", REX_ERR_DEFINITION, "invalid migrate option \"strict\""},
		{"{\"lock_timeout_ms\": -1}", REX_ERR_DEFINITION, "expected an integer from 0 to 3600000"},
		{"{\"lock_timeout_ms\": 3600001}", REX_ERR_DEFINITION, "expected an integer from 0 to 3600000"},
		{"[]", REX_ERR_DEFINITION, "options are a JSON object"},
		{"{", REX_ERR_JSON, "invalid JSON in migrate options"},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		rex_ctx    *ctx = rex_ctx_new(unit_fix(state)->fake, unit_param(state));
		const char *out = NULL;
		rex_status	st = rex_api_migrate(ctx, cases[i].options, &out);
		char		msg[256];

		snprintf(msg, sizeof(msg), "%s", ctx->err.message ? ctx->err.message : "");
		rex_ctx_free(ctx);
		if (st != cases[i].status || strstr(msg, cases[i].message) == NULL)
			unit_fail("migrate('%s'): status %d, message \"%s\"", cases[i].options, st, msg);
	}
	assert_int_equal(fake_log_count(unit_fix(state)->fake), 0);
	/* accepted options */
	migrate_ok(api_ctx(state), "{\"lock_timeout_ms\": 0, \"strict\": false, \"dry_run\": false, "
			   "\"allow_data_loss\": false}");
}

/* A busy lock is reported as such; nothing runs. */
static void
test_migrate_busy(void **state)
{
	rex_ctx    *ctx = api_ctx(state);
	rex_engine *fe = ctx->engine;
	const char *out = NULL;

	define_ok(ctx, "user", USER_DEF);
	fake_status(fe, "<lock>", REX_ERR_BUSY, "migration lock not available", 1);
	fake_clear_log(fe);
	assert_status(ctx, rex_api_migrate(ctx, NULL, &out), REX_ERR_BUSY);
	assert_string_equal(rex_error_sqlstate(ctx), "55P03");
	assert_int_equal(fake_count(fe, "<savepoint>"), 0);
	assert_int_equal(fake_count(fe, "CREATE"), 0);
	assert_false(fake_has_relation(fe, "users"));
}

/* The checksum depends on the definitions, not on the engine. */
static void
test_checksum_engine_neutral(void **state)
{
	rex_engine *fpg;
	rex_engine *fsq;
	rex_ctx    *pg = unit_ctx_engine(state, &rex_dialect_pg, &fpg);
	rex_ctx    *sq = unit_ctx_engine(state, &rex_dialect_sqlite, &fsq);
	json_t	   *a;
	json_t	   *b;

	(void) state;
	define_ok(pg, "user", USER_DEF);
	define_ok(pg, "post", POST_DEF);
	define_ok(sq, "post", POST_DEF);
	define_ok(sq, "user", USER_DEF);
	a = json_array_get(json_object_get(migrate_ok(pg, NULL), "migrations"), 0);
	b = json_array_get(json_object_get(migrate_ok(sq, NULL), "migrations"), 0);
	assert_string_equal(str(a, "checksum"), str(b, "checksum"));
	assert_string_equal(str(json_array_get(fake_migrations(fpg), 0), "chain_hash"),
						str(json_array_get(fake_migrations(fsq), 0), "chain_hash"));
	/* the SQL differs, of course */
	assert_string_not_equal(str(json_array_get(fake_migrations(fpg), 0), "sql_up"),
							str(json_array_get(fake_migrations(fsq), 0), "sql_up"));
}

void
unit_register_api(unit_suite *s)
{
	static const struct
	{
		const char *label;
		void		(*fn) (void **state);
	}			tests[] = {
		{"define_entity records the definition and answers its plan", test_define},
		{"define_entity refuses a bad definition and writes nothing", test_define_refused},
		{"define_entity keeps or bumps the version", test_define_versions},
		{"define_entity refuses names taken by another entity", test_define_collisions},
		{"define_entity refuses a table that exists in the database", test_define_live_table},
		{"plan lists pending steps by entity and changes nothing", test_plan},
		{"read-only calls work without a catalog", test_no_catalog},
		{"migrate applies every step in order and records it", test_migrate},
		{"migrate with a failing step leaves nothing and records the failure", test_migrate_failed_step},
		{"migrate strict raises the failing step's error", test_migrate_strict},
		{"migrate dry_run rolls back", test_migrate_dry_run},
		{"drop_entity needs allow_data_loss to drop a table", test_drop_entity},
		{"drop_entity forgets an entity never migrated", test_drop_pending},
		{"changing a migrated entity: a key change is refused", test_change_after_migrate},
		{"migrate refuses bad options before it runs anything", test_migrate_options},
		{"migrate reports a busy lock", test_migrate_busy},
	};
	static const rex_dialect *const dialects[] = {&rex_dialect_pg, &rex_dialect_sqlite};
	size_t		i,
				k;
	char		name[256];

	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		{
			snprintf(name, sizeof(name), "api (%s): %s", dialects[k]->name, tests[i].label);
			unit_add(s, name, tests[i].fn, dialects[k]);
		}
	unit_add(s, "api: migration checksums are the same on both engines",
			 test_checksum_engine_neutral, NULL);
}
