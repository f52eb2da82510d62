/*
 * test_migrations.c
 *		Unit tests of the migration core, with no database: the differ,
 *		the type conversions, the alter planners of both dialects, the
 *		SQLite rebuild SQL, the script lexer and version order.
 *
 * Each test makes contexts on a scripted engine (stub.c): answers to the
 * lint and live-schema queries are given per test, everything else gets
 * no rows.  Output is TAP with CMOCKA_MESSAGE_OUTPUT=TAP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "alter.h"
#include "convert.h"
#include "diff.h"
#include "history.h"
#include "json_util.h"
#include "plan.h"
#include "rebuild.h"
#include "rex_dialect.h"
#include "runner.h"
#include "scripts.h"
#include "stub.h"

/* ---------------------------------------------------------------- */
/* fixture */

typedef struct fixture
{
	rex_engine *engine;
	rex_ctx    *pg;
	rex_ctx    *sqlite;
} fixture;

static int
setup(void **state)
{
	fixture    *f = calloc(1, sizeof(fixture));

	f->engine = stub_new();
	f->pg = rex_ctx_new(f->engine, &rex_dialect_pg);
	f->sqlite = rex_ctx_new(f->engine, &rex_dialect_sqlite);
	f->pg->table_schema = "public";
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fixture    *f = *state;

	rex_ctx_free(f->pg);
	rex_ctx_free(f->sqlite);
	stub_free(f->engine);
	free(f);
	return 0;
}

#define F(state) ((fixture *) *(state))

static void
check_ok(rex_ctx *ctx, rex_status st, const char *what)
{
	if (st != REX_OK)
		fail_msg("%s: status %d: %s (%s)", what, st, ctx->err.message ? ctx->err.message : "",
				 ctx->err.hint ? ctx->err.hint : "");
}

static rex_entity *
entity(rex_ctx *ctx, const char *name, const char *json)
{
	rex_entity *e = NULL;
	json_t	   *canon;

	check_ok(ctx, rex_definition_parse(ctx, name, json, &e, &canon), json);
	return e;
}

/* Plans from -> to (renames from "renamed_from") into plan; returns the status. */
static rex_status
alter(rex_ctx *ctx, const char *from_json, const char *to_json, rex_plan *plan)
{
	rex_entity *from = entity(ctx, "user", from_json);
	rex_entity *to = entity(ctx, "user", to_json);
	rex_renames r;
	rex_status	st;

	memset(plan, 0, sizeof(*plan));
	plan->ops = rex_json_own(ctx, json_array());
	if ((st = rex_diff_renames(ctx, from, to, &r)) != REX_OK)
		return st;
	return rex_alter_entity(ctx, ctx->table_schema, from, to, &r, plan);
}

/* The kinds of the steps, joined with spaces. */
static const char *
kinds(rex_ctx *ctx, const rex_plan *plan)
{
	char	   *s = rex_alloc0(ctx, 4096);
	int			i;

	for (i = 0; i < plan->nsteps; i++)
	{
		if (i)
			strcat(s, " ");
		strcat(s, plan->steps[i].kind);
	}
	return s;
}

static void
assert_has(const char *hay, const char *needle)
{
	if (hay == NULL || strstr(hay, needle) == NULL)
		fail_msg("expected\n  %s\nin\n  %s", needle, hay ? hay : "(null)");
}

static void
assert_lacks(const char *hay, const char *needle)
{
	if (hay && strstr(hay, needle))
		fail_msg("did not expect\n  %s\nin\n  %s", needle, hay);
}

/* Text of step i's warnings. */
static const char *
warnings(rex_ctx *ctx, const rex_step *s)
{
	return rex_json_text(ctx, s->warnings, REX_JSON_CANONICAL);
}

#define BASE "{\"table\": \"users\", \"columns\": {\"id\": {\"type\": \"id\"}, " \
	"\"name\": {\"type\": \"string\", \"max_length\": 50}, \"email\": {\"type\": \"string\", \"unique\": true}, " \
	"\"age\": {\"type\": \"integer\"}, \"old\": {\"type\": \"text\"}}}"

/* ---------------------------------------------------------------- */
/* differ */

static void
test_diff_kinds(void **state)
{
	rex_ctx    *ctx = F(state)->pg;
	rex_entity *from = entity(ctx, "user", BASE);
	rex_entity *to = entity(ctx, "user",
							"{\"table\": \"people\", \"columns\": {\"id\": {\"type\": \"id\"}, "
							"\"name\": {\"type\": \"string\", \"max_length\": 80, \"nullable\": false}, "
							"\"mail\": {\"type\": \"string\", \"unique\": true, \"renamed_from\": \"email\"}, "
							"\"age\": {\"type\": \"bigint\", \"default\": 0}, \"extra\": {\"type\": \"text\"}}}");
	rex_renames r;
	rex_diff	d;
	int			i;
	int			seen[REX_CH_CREATE_INDEX + 1] = {0};

	check_ok(ctx, rex_diff_renames(ctx, from, to, &r), "renames");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.items[0].from, "email");
	assert_string_equal(r.items[0].to, "mail");
	check_ok(ctx, rex_diff_entity(ctx, from, to, &r, &d), "diff");
	for (i = 0; i < d.n; i++)
	{
		seen[d.changes[i].kind]++;
		if (i > 0)
			assert_true(d.changes[i - 1].kind <= d.changes[i].kind);
		if (d.changes[i].kind == REX_CH_ALTER_COLUMN && strcmp(d.changes[i].to->name, "age") == 0)
			assert_int_equal(d.changes[i].what, REX_ALTER_TYPE | REX_ALTER_DEFAULT);
		if (d.changes[i].kind == REX_CH_ALTER_COLUMN && strcmp(d.changes[i].to->name, "name") == 0)
			assert_int_equal(d.changes[i].what, REX_ALTER_TYPE | REX_ALTER_NULLABLE);
	}
	assert_int_equal(seen[REX_CH_RENAME_TABLE], 1);
	assert_int_equal(seen[REX_CH_RENAME_COLUMN], 1);
	assert_int_equal(seen[REX_CH_DROP_COLUMN], 1);	/* old */
	assert_int_equal(seen[REX_CH_ADD_COLUMN], 1);	/* extra */
	assert_int_equal(seen[REX_CH_ALTER_COLUMN], 2);
	/* users_email_key on email follows the renames: people_mail_key */
	assert_int_equal(seen[REX_CH_RENAME_INDEX], 1);
	assert_int_equal(seen[REX_CH_DROP_INDEX], 0);
	assert_int_equal(seen[REX_CH_CREATE_INDEX], 0);
	assert_string_equal(rex_diff_new_name(&d, "email"), "mail");
	assert_string_equal(rex_diff_old_name(&d, "mail"), "email");
}

static void
test_diff_never_guesses_renames(void **state)
{
	rex_ctx    *ctx = F(state)->pg;
	rex_plan	plan;

	/* same type, one column gone and one new: a drop and an add, not a rename */
	check_ok(ctx, alter(ctx, BASE,
						"{\"table\": \"users\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						"\"name\": {\"type\": \"string\", \"max_length\": 50}, \"email\": {\"type\": \"string\", \"unique\": true}, "
						"\"age\": {\"type\": \"integer\"}, \"older\": {\"type\": \"text\"}}}", &plan), "plan");
	assert_string_equal(kinds(ctx, &plan), "drop_column add_column");
	assert_true(plan.destructive);
}

static void
test_diff_renamed_from_unknown(void **state)
{
	rex_ctx    *ctx = F(state)->sqlite;
	rex_plan	plan;

	assert_int_equal(alter(ctx, BASE,
						   "{\"table\": \"users\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						   "\"mail\": {\"type\": \"string\", \"renamed_from\": \"emial\"}}}", &plan),
					 REX_ERR_DEFINITION);
	assert_has(ctx->err.message, "columns.mail.renamed_from: the migrated entity has no column \"emial\"");
}

static void
test_diff_refusals(void **state)
{
	fixture    *f = F(state);
	rex_plan	plan;

	assert_int_equal(alter(f->pg, BASE,
						   "{\"table\": \"users\", \"columns\": {\"id\": {\"type\": \"id\"}, \"old\": {\"type\": \"json\"}}}",
						   &plan), REX_ERR_UNSUPPORTED);
	assert_has(f->pg->err.message, "column \"old\": changing the type from text to json is not supported");
	assert_has(f->pg->err.hint, "add_migration");
	assert_int_equal(alter(f->sqlite, BASE,
						   "{\"table\": \"users\", \"primary_key\": [\"email\"], \"columns\": {"
						   "\"email\": {\"type\": \"string\"}}}", &plan), REX_ERR_UNSUPPORTED);
	assert_has(f->sqlite->err.message, "changing the primary key");
}

static void
test_renamed_from_validation(void **state)
{
	rex_ctx    *ctx = F(state)->pg;
	rex_entity *e;
	json_t	   *canon;

	assert_int_equal(rex_definition_parse(ctx, "user",
										  "{\"columns\": {\"id\": {\"type\": \"id\"}, \"a\": {\"type\": \"text\"}, "
										  "\"b\": {\"type\": \"text\", \"renamed_from\": \"a\"}}}", &e, &canon),
					 REX_ERR_DEFINITION);
	assert_has(ctx->err.message, "columns.b.renamed_from: column \"a\" is still in the definition");
}

/* ---------------------------------------------------------------- */
/* conversions */

static rex_column
col(rex_type t, int max_length, int precision, int scale)
{
	rex_column	c;

	memset(&c, 0, sizeof(c));
	c.name = "c";
	c.type = t;
	c.max_length = max_length;
	c.precision = precision;
	c.scale = scale;
	c.nullable = true;
	return c;
}

static void
test_convert_matrix(void **state)
{
	struct
	{
		rex_column	from,
					to;
		bool		supported,
					can_fail,
					lossy;
	}			cases[] = {
		{col(REX_T_STRING, 10, 0, 0), col(REX_T_STRING, 20, 0, 0), true, false, false},
		{col(REX_T_STRING, 20, 0, 0), col(REX_T_STRING, 10, 0, 0), true, true, false},
		{col(REX_T_TEXT, 0, 0, 0), col(REX_T_STRING, 0, 0, 0), true, false, false},
		{col(REX_T_INTEGER, 0, 0, 0), col(REX_T_BIGINT, 0, 0, 0), true, false, false},
		{col(REX_T_BIGINT, 0, 0, 0), col(REX_T_INTEGER, 0, 0, 0), true, true, false},
		{col(REX_T_BIGINT, 0, 0, 0), col(REX_T_FLOAT, 0, 0, 0), true, false, true},
		{col(REX_T_INTEGER, 0, 0, 0), col(REX_T_DECIMAL, 0, 12, 2), true, false, false},
		{col(REX_T_INTEGER, 0, 0, 0), col(REX_T_DECIMAL, 0, 5, 2), true, true, false},
		{col(REX_T_FLOAT, 0, 0, 0), col(REX_T_INTEGER, 0, 0, 0), true, true, false},
		{col(REX_T_FLOAT, 0, 0, 0), col(REX_T_DECIMAL, 0, 10, 2), false, false, false},
		{col(REX_T_DECIMAL, 0, 10, 2), col(REX_T_DECIMAL, 0, 12, 4), true, false, false},
		{col(REX_T_DECIMAL, 0, 10, 4), col(REX_T_DECIMAL, 0, 12, 2), false, false, false},
		{col(REX_T_DECIMAL, 0, 0, 0), col(REX_T_DECIMAL, 0, 12, 2), false, false, false},
		{col(REX_T_DECIMAL, 0, 10, 2), col(REX_T_FLOAT, 0, 0, 0), true, false, true},
		{col(REX_T_BOOLEAN, 0, 0, 0), col(REX_T_INTEGER, 0, 0, 0), true, false, false},
		{col(REX_T_INTEGER, 0, 0, 0), col(REX_T_BOOLEAN, 0, 0, 0), true, true, false},
		{col(REX_T_TIMESTAMP, 0, 0, 0), col(REX_T_DATE, 0, 0, 0), true, false, true},
		{col(REX_T_DATE, 0, 0, 0), col(REX_T_TIMESTAMP, 0, 0, 0), true, false, false},
		{col(REX_T_UUID, 0, 0, 0), col(REX_T_TEXT, 0, 0, 0), true, false, false},
		{col(REX_T_TEXT, 0, 0, 0), col(REX_T_UUID, 0, 0, 0), true, true, false},
		{col(REX_T_FLOAT, 0, 0, 0), col(REX_T_TEXT, 0, 0, 0), false, false, false},
		{col(REX_T_TEXT, 0, 0, 0), col(REX_T_INTEGER, 0, 0, 0), false, false, false},
		{col(REX_T_JSON, 0, 0, 0), col(REX_T_TEXT, 0, 0, 0), false, false, false},
		{col(REX_T_INTEGER, 0, 0, 0), col(REX_T_STRING, 5, 0, 0), true, true, false},
	};
	size_t		i;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		rex_conversion c = rex_convert_classify(&cases[i].from, &cases[i].to);

		if (c.supported != cases[i].supported ||
			(c.supported && (c.can_fail != cases[i].can_fail || c.lossy != cases[i].lossy)))
			fail_msg("case %zu: %s -> %s: supported %d can_fail %d lossy %d", i,
					 rex_type_names[cases[i].from.type], rex_type_names[cases[i].to.type],
					 c.supported, c.can_fail, c.lossy);
	}
}

static void
test_convert_expressions(void **state)
{
	rex_ctx    *ctx = F(state)->pg;
	rex_column	f = col(REX_T_FLOAT, 0, 0, 0);
	rex_column	i = col(REX_T_INTEGER, 0, 0, 0);
	rex_column	b = col(REX_T_BOOLEAN, 0, 0, 0);
	rex_column	t = col(REX_T_TEXT, 0, 0, 0);
	rex_column	ts = col(REX_T_TIMESTAMP, 0, 0, 0);
	rex_column	d = col(REX_T_DATE, 0, 0, 0);
	rex_column	dec = col(REX_T_DECIMAL, 0, 10, 2);
	rex_buf		x;

	rex_buf_init(&x, ctx);
	assert_true(rex_convert_pg_using(&x, &f, &i, "\"c\""));
	assert_has(x.data, "pg_catalog.trunc(\"c\")");	/* no rounding: fractions fail */
	assert_has(x.data, "\"c\"::pg_catalog.text::integer");
	rex_buf_init(&x, ctx);
	assert_true(rex_convert_pg_using(&x, &i, &b, "\"c\""));
	assert_string_equal(x.data, "\"c\"::pg_catalog.text::pg_catalog.bool");
	rex_buf_init(&x, ctx);
	assert_true(rex_convert_pg_using(&x, &ts, &t, "\"c\""));
	assert_has(x.data, "AT TIME ZONE 'UTC'");
	rex_buf_init(&x, ctx);
	assert_false(rex_convert_pg_using(&x, &t, &t, "\"c\""));
	/* SQLite: the same results */
	rex_buf_init(&x, ctx);
	rex_convert_sqlite_expr(&x, &b, &t, "\"c\"");
	assert_string_equal(x.data, "CASE \"c\" WHEN 1 THEN 'true' WHEN 0 THEN 'false' END");
	rex_buf_init(&x, ctx);
	rex_convert_sqlite_expr(&x, &i, &dec, "\"c\"");
	assert_string_equal(x.data, "CAST(\"c\" AS TEXT) || '.00'");
	rex_buf_init(&x, ctx);
	rex_convert_sqlite_expr(&x, &d, &ts, "\"c\"");
	assert_string_equal(x.data, "\"c\" || 'T00:00:00.000Z'");
	rex_buf_init(&x, ctx);
	rex_convert_sqlite_expr(&x, &f, &i, "\"c\"");
	assert_string_equal(x.data, "\"c\"");	/* STRICT refuses fractions */
}

/* ---------------------------------------------------------------- */
/* PostgreSQL planner */

static void
test_pg_alter_steps(void **state)
{
	rex_ctx    *ctx = F(state)->pg;
	rex_plan	plan;
	int			i;

	check_ok(ctx, alter(ctx, BASE,
						"{\"table\": \"people\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						"\"name\": {\"type\": \"string\", \"max_length\": 80, \"nullable\": false}, "
						"\"mail\": {\"type\": \"string\", \"unique\": true, \"renamed_from\": \"email\"}, "
						"\"age\": {\"type\": \"bigint\", \"default\": 0}, \"extra\": {\"type\": \"text\"}}}",
						&plan), "plan");
	assert_string_equal(kinds(ctx, &plan),
						"rename_table rename_column rename_index drop_column add_column "
						"alter_column_type alter_column_type set_not_null");
	assert_string_equal(plan.steps[0].sql, "ALTER TABLE \"public\".\"users\" RENAME TO \"people\"");
	assert_string_equal(plan.steps[0].sql_down, "ALTER TABLE \"public\".\"people\" RENAME TO \"users\"");
	assert_string_equal(plan.steps[2].sql, "ALTER INDEX \"public\".\"users_email_key\" RENAME TO \"people_mail_key\"");
	assert_null(plan.steps[3].sql_down);
	assert_false(plan.steps[3].reversible);
	assert_true(plan.steps[3].destructive);
	assert_true(plan.destructive);
	for (i = 0; i < plan.nsteps; i++)
		if (strcmp(plan.steps[i].kind, "alter_column_type") == 0 && strstr(plan.steps[i].sql, "\"age\""))
		{
			/* the type changes, then the new default is set */
			assert_has(plan.steps[i].sql, "ALTER COLUMN \"age\" TYPE bigint USING \"age\"::bigint");
			assert_true(strstr(plan.steps[i].sql, "TYPE") < strstr(plan.steps[i].sql, "SET DEFAULT 0"));
			assert_has(plan.steps[i].sql_down, "ALTER COLUMN \"age\" DROP DEFAULT");
			assert_has(plan.steps[i].sql_down, "TYPE integer USING \"age\"::integer");
			assert_true(plan.steps[i].rewrites_table);
			assert_has(warnings(ctx, &plan.steps[i]), "ACCESS EXCLUSIVE");
		}
		else if (strcmp(plan.steps[i].kind, "alter_column_type") == 0)
		{
			/* varchar(50) -> varchar(80) does not rewrite */
			assert_has(plan.steps[i].sql, "ALTER COLUMN \"name\" TYPE varchar(80)");
			assert_false(plan.steps[i].rewrites_table);
		}
}

static void
test_pg_enum_follows_renames(void **state)
{
	rex_ctx    *ctx = F(state)->pg;
	rex_plan	plan;

	check_ok(ctx, alter(ctx,
						"{\"table\": \"t\", \"columns\": {\"id\": {\"type\": \"id\"}, \"s\": {\"type\": \"enum\", \"values\": [\"a\", \"b\"]}}}",
						"{\"table\": \"u\", \"columns\": {\"id\": {\"type\": \"id\"}, \"st\": {\"type\": \"enum\", \"values\": [\"a\"], \"renamed_from\": \"s\"}}}",
						&plan), "plan");
	assert_string_equal(kinds(ctx, &plan), "rename_table rename_column rename_constraint alter_column_type");
	assert_string_equal(plan.steps[2].sql,
						"ALTER TABLE \"public\".\"u\" RENAME CONSTRAINT \"t_s_enum\" TO \"u_st_enum\"");
	assert_has(plan.steps[3].sql, "DROP CONSTRAINT \"u_st_enum\"");
	assert_has(plan.steps[3].sql, "ADD CONSTRAINT \"u_st_enum\" CHECK (\"st\" IN ('a'))");
	assert_has(plan.steps[3].sql_down, "CHECK (\"st\" IN ('a', 'b'))");
	/* the lint counts rows holding a removed value (none: the stub answers no rows) */
	assert_int_equal(stub_count(F(state)->engine, "NOT IN ('a')"), 1);
}

static void
test_pg_lint_counts(void **state)
{
	fixture    *f = F(state);
	rex_ctx    *ctx = f->pg;
	rex_plan	plan;

	stub_answer(f->engine, "\"age\" IS NULL", "[[3]]");
	stub_answer(f->engine, "LIMIT 1) AS t", "[[1]]");
	stub_answer(f->engine, "HAVING count(*) > 1", "[[2]]");
	check_ok(ctx, alter(ctx, BASE,
						"{\"table\": \"users\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						"\"name\": {\"type\": \"string\", \"max_length\": 50, \"unique\": true}, "
						"\"email\": {\"type\": \"string\", \"unique\": true}, "
						"\"age\": {\"type\": \"integer\", \"nullable\": false}, \"old\": {\"type\": \"text\"}, "
						"\"req\": {\"type\": \"text\", \"nullable\": false}}}", &plan), "plan");
	assert_string_equal(kinds(ctx, &plan), "add_column set_not_null create_index");
	assert_has(warnings(ctx, &plan.steps[0]), "table \\\"users\\\" has rows: adding NOT NULL column \\\"req\\\" without a default fails");
	assert_has(warnings(ctx, &plan.steps[1]), "column \\\"age\\\" has 3 NULL values");
	assert_has(warnings(ctx, &plan.steps[2]), "2 values of the unique index \\\"users_name_key\\\" occur more than once");
	assert_false(plan.destructive);
}

static void
test_pg_noop_type_change(void **state)
{
	rex_ctx    *ctx = F(state)->pg;
	rex_plan	plan;

	/* text and string without max_length are both text: no step at all */
	check_ok(ctx, alter(ctx, BASE,
						"{\"table\": \"users\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						"\"name\": {\"type\": \"string\", \"max_length\": 50}, \"email\": {\"type\": \"string\", \"unique\": true}, "
						"\"age\": {\"type\": \"integer\"}, \"old\": {\"type\": \"string\"}}}", &plan), "plan");
	assert_int_equal(plan.nsteps, 0);
}

/* ---------------------------------------------------------------- */
/* SQLite planner and rebuilds */

/* The live table has the columns of BASE and no foreign keys. */
static void
live_base(rex_engine *e)
{
	stub_answer(e, "pragma_table_xinfo", "[[\"id\"], [\"name\"], [\"email\"], [\"age\"], [\"old\"]]");
}

static void
test_sqlite_native_steps(void **state)
{
	rex_ctx    *ctx = F(state)->sqlite;
	rex_plan	plan;

	/* rename, drop, constant-default add: no rebuild */
	check_ok(ctx, alter(ctx, BASE,
						"{\"table\": \"people\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						"\"name\": {\"type\": \"string\", \"max_length\": 50}, "
						"\"mail\": {\"type\": \"string\", \"unique\": true, \"renamed_from\": \"email\"}, "
						"\"age\": {\"type\": \"integer\"}, \"flag\": {\"type\": \"boolean\", \"nullable\": false, \"default\": true}}}",
						&plan), "plan");
	assert_string_equal(kinds(ctx, &plan),
						"drop_index rename_table rename_column drop_column add_column create_index");
	assert_string_equal(plan.steps[3].sql, "ALTER TABLE \"people\" DROP COLUMN \"old\"");
	assert_has(plan.steps[4].sql, "ALTER TABLE \"people\" ADD COLUMN \"flag\" INTEGER NOT NULL DEFAULT 1");
	assert_string_equal(plan.steps[5].sql, "CREATE UNIQUE INDEX \"people_mail_key\" ON \"people\" (\"mail\")");
	assert_string_equal(plan.steps[0].sql_down, "CREATE UNIQUE INDEX \"users_email_key\" ON \"users\" (\"email\")");
	assert_int_equal(stub_count(F(state)->engine, "sqlite_schema"), 0);	/* no rebuild facts read */
}

static void
test_sqlite_rebuild_when_needed(void **state)
{
	fixture    *f = F(state);
	rex_ctx    *ctx = f->sqlite;
	rex_plan	plan;
	const char *sql;

	live_base(f->engine);
	stub_answer(f->engine, "type IN ('index', 'trigger')",
				"[[\"index\", \"users_email_key\", \"CREATE UNIQUE INDEX users_email_key ON users (email)\"], "
				"[\"index\", \"mine\", \"CREATE INDEX mine ON users (age)\"], "
				"[\"trigger\", \"tr\", \"CREATE TRIGGER tr AFTER INSERT ON users BEGIN SELECT 1; END\"]]");
	stub_answer(f->engine, "type = 'view'", "[[\"v\"]]");
	stub_answer(f->engine, "PRAGMA legacy_alter_table", "[[1]]");
	/* a NOT NULL column without a constant default and a type change: one rebuild */
	check_ok(ctx, alter(ctx, BASE,
						"{\"table\": \"people\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						"\"name\": {\"type\": \"string\", \"max_length\": 50}, "
						"\"mail\": {\"type\": \"string\", \"unique\": true, \"renamed_from\": \"email\"}, "
						"\"age\": {\"type\": \"bigint\"}, \"old\": {\"type\": \"text\"}, "
						"\"at\": {\"type\": \"timestamp\", \"default\": \"now\"}}}", &plan), "plan");
	assert_string_equal(kinds(ctx, &plan), "rebuild_table rename_table rename_column");
	assert_string_equal(plan.steps[0].rebuild_table, "users");
	assert_true(plan.steps[0].rewrites_table);
	assert_true(plan.steps[0].reversible);
	sql = plan.steps[0].sql;
	/* the new table, under the current names; rows and AUTOINCREMENT counter carried */
	assert_has(sql, "CREATE TABLE \"rex_new_users\" (");
	assert_has(sql, "INSERT INTO \"rex_new_users\" (\"id\", \"age\", \"email\", \"name\", \"old\") "
			   "SELECT \"id\", \"age\", \"email\", \"name\", \"old\" FROM \"users\"");
	assert_has(sql, "INSERT INTO sqlite_sequence (name, seq) SELECT 'rex_new_users', seq FROM sqlite_sequence WHERE name = 'users'");
	/* create, copy, drop, then rename with legacy_alter_table -- never rename first */
	assert_true(strstr(sql, "INSERT INTO \"rex_new_users\"") < strstr(sql, "DROP TABLE \"users\""));
	assert_true(strstr(sql, "DROP TABLE \"users\"") < strstr(sql, "PRAGMA legacy_alter_table = ON"));
	assert_has(sql, "ALTER TABLE \"rex_new_users\" RENAME TO \"users\";\nPRAGMA legacy_alter_table = ON");	/* restored as it was */
	/* the model's index under its new name, the user's own index and trigger, the view checked */
	assert_has(sql, "CREATE UNIQUE INDEX \"people_mail_key\" ON \"users\" (\"email\")");
	assert_has(sql, "CREATE INDEX mine ON users (age)");
	assert_has(sql, "CREATE TRIGGER tr AFTER INSERT ON users BEGIN SELECT 1; END");
	assert_lacks(sql, "CREATE UNIQUE INDEX users_email_key");
	assert_has(sql, "SELECT * FROM \"v\" LIMIT 0");
	assert_has(warnings(ctx, &plan.steps[0]), "rebuild: SQLite cannot");
	assert_string_equal(plan.steps[2].sql, "ALTER TABLE \"people\" RENAME COLUMN \"email\" TO \"mail\"");
}

static void
test_sqlite_rebuild_refuses_unknown_columns(void **state)
{
	fixture    *f = F(state);
	rex_plan	plan;

	stub_answer(f->engine, "pragma_table_xinfo",
				"[[\"id\"], [\"name\"], [\"email\"], [\"age\"], [\"old\"], [\"sneaky\"]]");
	assert_int_equal(alter(f->sqlite, BASE,
						   "{\"table\": \"users\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						   "\"name\": {\"type\": \"string\", \"max_length\": 10}, \"email\": {\"type\": \"string\", \"unique\": true}, "
						   "\"age\": {\"type\": \"integer\"}, \"old\": {\"type\": \"text\"}}}", &plan),
					 REX_ERR_STATE);
	assert_has(f->sqlite->err.message, "has a column \"sneaky\" that the entity does not define");
}

static void
test_sqlite_rebuild_refuses_foreign_keys(void **state)
{
	fixture    *f = F(state);
	rex_plan	plan;

	live_base(f->engine);
	stub_answer(f->engine, "pragma_foreign_key_list", "[[1]]");
	assert_int_equal(alter(f->sqlite, BASE,
						   "{\"table\": \"users\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						   "\"name\": {\"type\": \"string\", \"max_length\": 10}, \"email\": {\"type\": \"string\", \"unique\": true}, "
						   "\"age\": {\"type\": \"integer\"}, \"old\": {\"type\": \"text\"}}}", &plan),
					 REX_ERR_UNSUPPORTED);
	assert_has(f->sqlite->err.message, "has foreign keys that the entity does not declare");
}

static void
test_rebuild_keeps_rowid(void **state)
{
	rex_ctx    *ctx = F(state)->sqlite;
	rex_entity *a = entity(ctx, "k", "{\"primary_key\": [\"code\"], \"columns\": {\"code\": {\"type\": \"string\"}, "
						   "\"n\": {\"type\": \"integer\"}, \"gone\": {\"type\": \"text\"}}}");
	rex_entity *b = entity(ctx, "k", "{\"primary_key\": [\"code\"], \"columns\": {\"code\": {\"type\": \"string\"}, "
						   "\"n\": {\"type\": \"decimal\", \"precision\": 12, \"scale\": 2}}}");
	rex_rebuild_facts facts;
	const char *sql;

	memset(&facts, 0, sizeof(facts));
	check_ok(ctx, rex_rebuild_sql(ctx, a, b, &facts, &sql), "rebuild");
	/* a table without INTEGER PRIMARY KEY keeps its rowids */
	assert_has(sql, "INSERT INTO \"rex_new_k\" (rowid, \"code\", \"n\") SELECT rowid, \"code\", CAST(\"n\" AS TEXT) || '.00' FROM \"k\"");
	assert_lacks(sql, "sqlite_sequence");
	assert_lacks(sql, "\"gone\"");
	assert_has(sql, "PRAGMA legacy_alter_table = OFF");
}

static void
test_sqlite_noop_changes(void **state)
{
	rex_ctx    *ctx = F(state)->sqlite;
	rex_plan	plan;

	/* text -> string without max_length and a description: the stored definition is the same */
	check_ok(ctx, alter(ctx, BASE,
						"{\"table\": \"users\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						"\"name\": {\"type\": \"string\", \"max_length\": 50, \"description\": \"who\"}, "
						"\"email\": {\"type\": \"string\", \"unique\": true}, "
						"\"age\": {\"type\": \"integer\"}, \"old\": {\"type\": \"string\"}}}", &plan), "plan");
	assert_int_equal(plan.nsteps, 0);
}

/* ---------------------------------------------------------------- */
/* scripts, versions, history */

static void
test_txn_control(void **state)
{
	(void) state;
	assert_string_equal(rex_sql_txn_control("create table a(x int); COMMIT;"), "COMMIT");
	assert_string_equal(rex_sql_txn_control("  begin; create table a(x int)"), "BEGIN");
	assert_string_equal(rex_sql_txn_control("select 1; savepoint x"), "SAVEPOINT");
	assert_null(rex_sql_txn_control("create table a (x int); insert into a values (1)"));
	/* trigger bodies, literals, comments and dollar quotes are not statements */
	assert_null(rex_sql_txn_control("CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); "
									"UPDATE b SET x = CASE WHEN x THEN 1 END; END; SELECT 1"));
	assert_null(rex_sql_txn_control("select 'x; commit;'; -- ; commit\n/* ; commit */ select 2"));
	assert_null(rex_sql_txn_control("create function f() returns int language plpgsql as $$ begin "
									"return 1; end $$; create table b (x int)"));
	assert_null(rex_sql_txn_control("select E'it\\'s; commit'"));
	assert_string_equal(rex_sql_txn_control("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; ROLLBACK"),
						"ROLLBACK");
	/* PostgreSQL triggers have no body: the next statement is seen */
	assert_string_equal(rex_sql_txn_control("CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW "
											"EXECUTE FUNCTION f(); COMMIT"), "COMMIT");
}

static void
test_version_order(void **state)
{
	(void) state;
	assert_true(rex_version_cmp("9", "10") < 0);
	assert_true(rex_version_cmp("1.2.9", "1.2.10") < 0);
	assert_true(rex_version_cmp("001", "1") == 0);
	assert_true(rex_version_cmp("2026_01_02", "2026_01_10") < 0);
	assert_true(rex_version_cmp("a", "b") < 0);
	assert_true(rex_version_cmp("1", "1a") < 0);
	assert_true(rex_version_cmp("10", "9") > 0);
}

static void
test_history_verify(void **state)
{
	fixture    *f = F(state);
	rex_ctx    *ctx = f->sqlite;
	const char *c1 = rex_history_chain(ctx, "", "aaa");
	const char *c2 = rex_history_chain(ctx, c1, "bbb");
	char		rows[2048];
	rex_history h;

	/* id, version, name, kind, state, checksum, chain, plan, ops, up, down, reversible */
	snprintf(rows, sizeof(rows),
			 "[[1, \"1\", \"script 1\", \"script\", \"applied\", \"aaa\", \"%s\", \"[]\", null, \"x\", null, 0], "
			 "[2, \"2\", \"script 2\", \"script\", \"applied\", \"bbx\", \"%s\", \"[]\", null, \"y\", null, 0]]",
			 c1, c2);
	stub_answer(f->engine, "FROM rex_migrations", rows);
	stub_answer(f->engine, "FROM rex_scripts", "[[\"1\", \"x\", null, \"aaa\"]]");
	check_ok(ctx, rex_history_load(ctx, &h), "load");
	assert_int_equal(h.napplied, 2);
	assert_int_equal(rex_history_verify(ctx, &h), REX_ERR_STATE);
	assert_string_equal(ctx->err.message, "the migration history was changed");
	assert_has(ctx->err.hint, "repair()");
}

static void
test_history_rollback_and_repair(void **state)
{
	fixture    *f = F(state);
	rex_ctx    *ctx = f->sqlite;
	rex_history h;

	stub_answer(f->engine, "FROM rex_migrations",
				"[[1, \"1\", \"s\", \"script\", \"applied\", \"a\", null, \"[]\", null, \"x\", null, 0], "
				"[2, \"2\", \"s\", \"script\", \"applied\", \"b\", null, \"[]\", null, \"y\", null, 0], "
				"[3, \"2\", \"r\", \"rollback\", \"rolled_back\", \"c\", null, \"[]\", null, null, null, 0], "
				"[4, \"1\", \"r\", \"repair\", \"applied\", \"z\", null, \"[]\", null, null, null, 0], "
				"[5, \"3\", \"s\", \"script\", \"failed\", \"d\", null, \"[]\", null, \"y\", null, 0]]");
	stub_answer(f->engine, "FROM rex_scripts", "[[\"1\", \"x\", null, \"q\"]]");
	check_ok(ctx, rex_history_load(ctx, &h), "load");
	assert_int_equal(h.napplied, 1);
	assert_string_equal(h.applied[0].version, "1");
	assert_string_equal(h.applied[0].checksum, "z");	/* accepted by the repair row */
	assert_null(rex_history_find(&h, "2"));
	assert_null(rex_history_find(&h, "3"));
	assert_int_equal(rex_history_verify(ctx, &h), REX_ERR_STATE);
	assert_string_equal(ctx->err.message, "migration \"1\" was changed after it was applied");
	assert_has(ctx->err.hint, "repair('1')");
}

/* A rebuild that leaves a new foreign-key violation fails and is undone. */
static void
test_runner_fk_check(void **state)
{
	fixture    *f = F(state);
	rex_ctx    *ctx = f->sqlite;
	rex_plan	plan;
	rex_step   *s;
	rex_unit	u;
	json_t	   *migrations = rex_json_own(ctx, json_array());
	bool		failed = false;

	memset(&plan, 0, sizeof(plan));
	s = rex_plan_add(ctx, &plan, "p", "rebuild_table");
	s->sql = "CREATE TABLE rex_new_p (x)";
	s->rebuild_table = "p";
	memset(&u, 0, sizeof(u));
	u.version = "entities_0001";
	u.name = "entities: alter p";
	u.kind = "entities";
	u.plan = &plan;
	u.checksum = "c";
	u.state_ok = "applied";
	/* before: one known violation; after: that one and a new one */
	stub_answer_once(f->engine, "PRAGMA foreign_key_check", "[[\"kid\", 1, \"p\", 0]]");
	stub_answer_once(f->engine, "PRAGMA foreign_key_check", "[[\"kid\", 1, \"p\", 0], [\"kid\", 2, \"p\", 0]]");
	check_ok(ctx, rex_run_unit(ctx, &u, migrations, &failed), "run");
	assert_true(failed);
	assert_has(rex_json_text(ctx, migrations, REX_JSON_CANONICAL),
			   "foreign key violation after the rebuild: kid|2|p|0");
	assert_has(stub_log(f->engine), "<rollback_to>");
	assert_lacks(stub_log(f->engine), "<release>");
	/* the same violation before and after is not the rebuild's doing */
	stub_answer_once(f->engine, "PRAGMA foreign_key_check", "[[\"kid\", 1, \"p\", 0]]");
	stub_answer_once(f->engine, "PRAGMA foreign_key_check", "[[\"kid\", 1, \"p\", 0]]");
	check_ok(ctx, rex_run_unit(ctx, &u, migrations, &failed), "run");
	assert_false(failed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_diff_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diff_never_guesses_renames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diff_renamed_from_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diff_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renamed_from_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_convert_matrix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_convert_expressions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pg_alter_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pg_enum_follows_renames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pg_lint_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pg_noop_type_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_native_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_rebuild_when_needed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_rebuild_refuses_unknown_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_rebuild_refuses_foreign_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebuild_keeps_rowid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_noop_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_txn_control, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_rollback_and_repair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_fk_check, setup, teardown),
	};

	return cmocka_run_group_tests_name("rex_unit_migrations", tests, NULL, NULL);
}
