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
#include "relations.h"
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
	int			seen[REX_CH_ADD_CHECK + 1] = {0};

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
	stub_answer(f->engine, "pragma_foreign_key_list", "[[\"age\", \"ages\", \"id\", 1]]");
	assert_int_equal(alter(f->sqlite, BASE,
						   "{\"table\": \"users\", \"columns\": {\"id\": {\"type\": \"id\"}, "
						   "\"name\": {\"type\": \"string\", \"max_length\": 10}, \"email\": {\"type\": \"string\", \"unique\": true}, "
						   "\"age\": {\"type\": \"integer\"}, \"old\": {\"type\": \"text\"}}}", &plan),
					 REX_ERR_UNSUPPORTED);
	assert_has(f->sqlite->err.message,
			   "table \"users\" has a foreign key (age to \"ages\") that the entity does not declare");
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


/* ---------------------------------------------------------------- */
/* relations and rules of migrated entities (resolved models) */

/* The text with single quotes made double, for readable definitions. */
static const char *
q(rex_ctx *ctx, const char *text)
{
	char	   *s = rex_strdup(ctx, text);
	char	   *p;

	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

/* Definitions (name, def, ..., NULL) resolved together; entity 'name'. */
static rex_entity *
resolved(rex_ctx *ctx, const char *const *defs, const char *name)
{
	rex_schema	s;
	int			n = 0,
				i;

	memset(&s, 0, sizeof(s));
	while (defs[2 * n])
		n++;
	s.entities = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) (n + 1));
	s.applied = rex_alloc0(ctx, sizeof(bool) * (size_t) (n + 1));
	for (i = 0; i < n; i++)
	{
		rex_entity *e = entity(ctx, defs[2 * i], q(ctx, defs[2 * i + 1]));

		e->schema = ctx->table_schema;
		s.applied[s.n] = true;
		s.entities[s.n++] = e;
	}
	check_ok(ctx, rex_schema_resolve(ctx, &s), "resolve");
	return rex_schema_entity(&s, name);
}

/* Prepares the alteration of entity 'name' between two resolved states. */
static rex_status
prepare_rel(rex_ctx *ctx, const char *const *from_defs, const char *const *to_defs,
			const char *name, const rex_diff_env *env, rex_alter *a)
{
	rex_entity *from = resolved(ctx, from_defs, name);
	rex_entity *to = resolved(ctx, to_defs, name);
	rex_renames r;
	rex_status	st;

	if ((st = rex_diff_renames(ctx, from, to, &r)) != REX_OK)
		return st;
	return rex_alter_prepare(ctx, ctx->table_schema, from, to, &r, env, a);
}

/* Plans every phase of that alteration. */
static rex_status
alter_rel(rex_ctx *ctx, const char *const *from_defs, const char *const *to_defs,
		  const char *name, rex_plan *plan)
{
	rex_alter	a;
	rex_status	st;

	memset(plan, 0, sizeof(*plan));
	plan->ops = rex_json_own(ctx, json_array());
	if ((st = prepare_rel(ctx, from_defs, to_defs, name, NULL, &a)) != REX_OK)
		return st;
	return rex_alter_plan(ctx, &a, REX_ALTER_ALL, plan);
}

#define USER "{'columns': {'id': {'type': 'id'}, 'name': {'type': 'text'}}}"
#define POST "{'columns': {'id': {'type': 'id'}, 'title': {'type': 'text'}}}"
#define POST_AUTHOR(on_delete) "{'columns': {'id': {'type': 'id'}, 'title': {'type': 'text'}}, " \
	"'relations': {'author': {'kind': 'belongs_to', 'entity': 'user', 'on_delete': '" on_delete "'}}}"

static const char *const plain[] = {"user", USER, "post", POST, NULL};
static const char *const with_author[] = {"user", USER, "post", POST_AUTHOR("cascade"), NULL};
static const char *const with_author_set_null[] = {"user", USER, "post", POST_AUTHOR("set_null"), NULL};

static void
test_relation_added_pg(void **state)
{
	rex_ctx    *ctx = F(state)->pg;
	rex_plan	plan;

	check_ok(ctx, alter_rel(ctx, plain, with_author, "post", &plan), "plan");
	/* the column and its index, then the key NOT VALID and its validation */
	assert_string_equal(kinds(ctx, &plan), "add_column create_index add_foreign_key validate_constraint");
	assert_string_equal(plan.steps[0].sql, "ALTER TABLE \"public\".\"post\" ADD COLUMN \"author_id\" bigint");
	assert_string_equal(plan.steps[2].sql,
						"ALTER TABLE \"public\".\"post\" ADD CONSTRAINT \"post_author_id_fkey\" FOREIGN KEY "
						"(\"author_id\") REFERENCES \"public\".\"user\" (\"id\") ON DELETE CASCADE ON UPDATE "
						"NO ACTION NOT VALID");
	assert_string_equal(plan.steps[2].sql_down,
						"ALTER TABLE \"public\".\"post\" DROP CONSTRAINT \"post_author_id_fkey\"");
	assert_string_equal(plan.steps[3].sql,
						"ALTER TABLE \"public\".\"post\" VALIDATE CONSTRAINT \"post_author_id_fkey\"");
	assert_null(plan.steps[3].sql_down);
	assert_true(plan.steps[3].reversible);
	assert_has(warnings(ctx, &plan.steps[3]), "SHARE UPDATE EXCLUSIVE");
	assert_false(plan.destructive);
	/* a new column has nothing to count */
	assert_int_equal(stub_count(F(state)->engine, "NOT EXISTS"), 0);
}

static void
test_relation_added_lint(void **state)
{
	fixture    *f = F(state);
	static const char *const from[] = {"user", USER, "post",
		"{'columns': {'id': {'type': 'id'}, 'author_id': {'type': 'bigint'}}}", NULL};
	static const char *const to[] = {"user", USER, "post",
		"{'columns': {'id': {'type': 'id'}, 'author_id': {'type': 'bigint'}}, "
		"'relations': {'author': {'kind': 'belongs_to', 'entity': 'user'}}}", NULL};
	rex_plan	plan;

	/* the rows whose author_id refers to no user are counted */
	stub_answer(f->engine, "NOT EXISTS (SELECT 1 FROM", "[[3]]");
	check_ok(f->pg, alter_rel(f->pg, from, to, "post", &plan), "plan");
	assert_string_equal(kinds(f->pg, &plan), "create_index add_foreign_key validate_constraint");
	assert_has(warnings(f->pg, &plan.steps[2]), "data-dependent: 3 rows of \\\"post\\\" hold a \\\"author_id\\\" "
			   "that refers to no row of \\\"user\\\": adding foreign key \\\"post_author_id_fkey\\\" fails");
	assert_has(stub_log(f->engine), "SELECT count(*) FROM \"public\".\"post\" AS rex_c WHERE rex_c.\"author_id\" "
			   "IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"public\".\"user\" AS rex_p WHERE rex_p.\"id\" = "
			   "rex_c.\"author_id\")");
	/* SQLite: one rebuild, with the same count */
	stub_answer(f->engine, "pragma_table_xinfo", "[[\"id\"], [\"author_id\"]]");
	check_ok(f->sqlite, alter_rel(f->sqlite, from, to, "post", &plan), "plan");
	assert_string_equal(kinds(f->sqlite, &plan), "rebuild_table");
	assert_has(plan.steps[0].sql, "CONSTRAINT \"post_author_id_fkey\" FOREIGN KEY (\"author_id\") "
			   "REFERENCES \"user\" (\"id\") ON DELETE NO ACTION ON UPDATE NO ACTION");
	assert_has(warnings(f->sqlite, &plan.steps[0]), "rebuild: SQLite cannot add foreign key \\\"post_author_id_fkey\\\"");
	assert_has(warnings(f->sqlite, &plan.steps[0]), "data-dependent: 3 rows of \\\"post\\\"");
	/* the key was already in the table, undeclared: declaring it lets the rebuild keep it */
	stub_answer_once(f->engine, "pragma_foreign_key_list", "[[\"author_id\", \"user\", \"id\", 1]]");
	check_ok(f->sqlite, alter_rel(f->sqlite, from, to, "post", &plan), "plan");
	assert_string_equal(kinds(f->sqlite, &plan), "rebuild_table");
	/* but not a key the new table would not have */
	stub_answer_once(f->engine, "pragma_foreign_key_list", "[[\"author_id\", \"people\", \"id\", 1]]");
	assert_int_equal(alter_rel(f->sqlite, from, to, "post", &plan), REX_ERR_UNSUPPORTED);
}

static void
test_relation_action_changed(void **state)
{
	fixture    *f = F(state);
	rex_plan	plan;
	const char *sql;

	check_ok(f->pg, alter_rel(f->pg, with_author, with_author_set_null, "post", &plan), "plan");
	assert_string_equal(kinds(f->pg, &plan), "drop_foreign_key add_foreign_key validate_constraint");
	assert_has(plan.steps[0].sql_down, "ON DELETE CASCADE");
	assert_has(plan.steps[1].sql, "ON DELETE SET NULL");
	/* SQLite: a rebuild with the new clause, keeping the columns */
	stub_answer(f->engine, "pragma_table_xinfo", "[[\"id\"], [\"title\"], [\"author_id\"]]");
	stub_answer(f->engine, "pragma_foreign_key_list", "[[\"author_id\", \"user\", \"id\", 1]]");
	check_ok(f->sqlite, alter_rel(f->sqlite, with_author, with_author_set_null, "post", &plan), "plan");
	assert_string_equal(kinds(f->sqlite, &plan), "rebuild_table");
	sql = plan.steps[0].sql;
	assert_has(sql, "ON DELETE SET NULL");
	assert_has(sql, "INSERT INTO \"rex_new_post\" (\"id\", \"title\", \"author_id\") SELECT \"id\", \"title\", \"author_id\" FROM \"post\"");
	assert_has(sql, "CREATE INDEX \"post_author_id_idx\" ON \"post\" (\"author_id\")");
	assert_has(plan.steps[0].sql_down, "ON DELETE CASCADE");
	assert_true(plan.steps[0].reversible);
	assert_has(warnings(f->sqlite, &plan.steps[0]), "SQLite cannot change foreign key \\\"post_author_id_fkey\\\"");
}

static void
test_relation_removed(void **state)
{
	fixture    *f = F(state);
	rex_plan	plan;

	/* the key, its index and the column the relation added go; the column's data is lost */
	check_ok(f->pg, alter_rel(f->pg, with_author, plain, "post", &plan), "plan");
	assert_string_equal(kinds(f->pg, &plan), "drop_foreign_key drop_index drop_column");
	assert_true(plan.destructive);
	assert_false(plan.steps[2].reversible);
	/* a live foreign key the applied entity does not declare still refuses a rebuild */
	stub_answer(f->engine, "pragma_table_xinfo", "[[\"id\"], [\"title\"], [\"author_id\"]]");
	stub_answer(f->engine, "pragma_foreign_key_list", "[[\"author_id\", \"person\", \"id\", 1]]");
	assert_int_equal(alter_rel(f->sqlite, with_author, plain, "post", &plan), REX_ERR_UNSUPPORTED);
	assert_has(f->sqlite->err.message, "has a foreign key (author_id to \"person\") that the entity does not declare");
}

/* rex_diff_env that says "user" is dropped */
static const char *user_dropped[] = {"user"};

static void
test_relation_phases(void **state)
{
	fixture    *f = F(state);
	rex_diff_env env;
	rex_alter	a;
	rex_plan	plan;

	memset(&env, 0, sizeof(env));
	env.dropping = user_dropped;
	env.ndropping = 1;
	memset(&plan, 0, sizeof(plan));
	/* PostgreSQL: the key goes before the drops, the column after them */
	check_ok(f->pg, prepare_rel(f->pg, with_author, plain, "post", &env, &a), "prepare");
	assert_true(a.fk_to_dropped);
	check_ok(f->pg, rex_alter_plan(f->pg, &a, REX_ALTER_BEFORE_DROPS, &plan), "before");
	assert_string_equal(kinds(f->pg, &plan), "drop_foreign_key");
	check_ok(f->pg, rex_alter_plan(f->pg, &a, REX_ALTER_MAIN, &plan), "main");
	check_ok(f->pg, rex_alter_plan(f->pg, &a, REX_ALTER_AFTER_CREATES, &plan), "after");
	assert_string_equal(kinds(f->pg, &plan), "drop_foreign_key drop_index drop_column");
	/* ... and a new key after the creations */
	memset(&plan, 0, sizeof(plan));
	check_ok(f->pg, prepare_rel(f->pg, plain, with_author, "post", NULL, &a), "prepare");
	check_ok(f->pg, rex_alter_plan(f->pg, &a, REX_ALTER_BEFORE_DROPS, &plan), "before");
	check_ok(f->pg, rex_alter_plan(f->pg, &a, REX_ALTER_MAIN, &plan), "main");
	assert_string_equal(kinds(f->pg, &plan), "add_column create_index");
	check_ok(f->pg, rex_alter_plan(f->pg, &a, REX_ALTER_AFTER_CREATES, &plan), "after");
	assert_string_equal(kinds(f->pg, &plan), "add_column create_index add_foreign_key validate_constraint");
	/* SQLite: the whole rebuild before the parent is dropped */
	memset(&plan, 0, sizeof(plan));
	stub_answer(f->engine, "pragma_table_xinfo", "[[\"id\"], [\"title\"], [\"author_id\"]]");
	stub_answer(f->engine, "pragma_foreign_key_list", "[[\"author_id\", \"user\", \"id\", 1]]");
	check_ok(f->sqlite, prepare_rel(f->sqlite, with_author, plain, "post", &env, &a), "prepare");
	check_ok(f->sqlite, rex_alter_plan(f->sqlite, &a, REX_ALTER_BEFORE_DROPS, &plan), "before");
	assert_string_equal(kinds(f->sqlite, &plan), "rebuild_table");
	check_ok(f->sqlite, rex_alter_plan(f->sqlite, &a, REX_ALTER_MAIN, &plan), "main");
	check_ok(f->sqlite, rex_alter_plan(f->sqlite, &a, REX_ALTER_AFTER_CREATES, &plan), "after");
	assert_string_equal(kinds(f->sqlite, &plan), "rebuild_table");
	assert_lacks(plan.steps[0].sql, "FOREIGN KEY");
}

#define RULES_FROM "{'table': 'users', 'columns': {'id': {'type': 'id'}, " \
	"'age': {'type': 'integer', 'validate': {'min': 0}}, " \
	"'name': {'type': 'text', 'validate': {'min_length': 1}}, 'email': {'type': 'text'}}}"
#define RULES_TO "{'table': 'users', 'columns': {'id': {'type': 'id'}, " \
	"'age': {'type': 'integer', 'validate': {'min': 18, 'messages': {'min': 'adults only'}}}, " \
	"'name': {'type': 'text'}, 'email': {'type': 'text', 'validate': {'format': 'email'}}}}"

static void
test_rules_changed_pg(void **state)
{
	fixture    *f = F(state);
	static const char *const from[] = {"user", RULES_FROM, NULL};
	static const char *const to[] = {"user", RULES_TO, NULL};
	rex_plan	plan;

	stub_answer(f->engine, "NOT (\"age\" IS NULL OR (\"age\" >= 18))", "[[2]]");
	check_ok(f->pg, alter_rel(f->pg, from, to, "user", &plan), "plan");
	/* changed min: dropped and added again; min_length gone; format new */
	assert_string_equal(kinds(f->pg, &plan),
						"drop_check drop_check add_check validate_constraint add_check validate_constraint");
	assert_string_equal(plan.steps[0].sql, "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT \"users_age_min\"");
	assert_string_equal(plan.steps[0].sql_down, "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_age_min\" "
						"CHECK (\"age\" IS NULL OR (\"age\" >= 0))");
	assert_string_equal(plan.steps[2].sql, "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_age_min\" "
						"CHECK (\"age\" IS NULL OR (\"age\" >= 18)) NOT VALID");
	assert_has(warnings(f->pg, &plan.steps[3]), "data-dependent: 2 rows of \\\"users\\\" break rule \\\"min\\\" "
			   "of column \\\"age\\\": adding CHECK \\\"users_age_min\\\" fails");
	assert_string_equal(plan.steps[5].sql, "ALTER TABLE \"public\".\"users\" VALIDATE CONSTRAINT \"users_email_format\"");
	assert_false(plan.destructive);
}

static void
test_rules_changed_sqlite(void **state)
{
	fixture    *f = F(state);
	static const char *const from[] = {"user", RULES_FROM, NULL};
	static const char *const to[] = {"user", RULES_TO, NULL};
	rex_plan	plan;
	const char *sql;

	stub_answer(f->engine, "pragma_table_xinfo", "[[\"id\"], [\"age\"], [\"name\"], [\"email\"]]");
	check_ok(f->sqlite, alter_rel(f->sqlite, from, to, "user", &plan), "plan");
	assert_string_equal(kinds(f->sqlite, &plan), "rebuild_table");
	sql = plan.steps[0].sql;
	assert_has(sql, "CONSTRAINT \"users_age_min\" CHECK (\"age\" IS NULL OR (\"age\" >= 18))");
	assert_has(sql, "CONSTRAINT \"users_email_format\" CHECK");
	assert_lacks(sql, "users_name_min_length");
	assert_has(plan.steps[0].sql_down, "users_name_min_length");
	assert_has(warnings(f->sqlite, &plan.steps[0]), "drop CHECK \\\"users_age_min\\\", drop CHECK "
			   "\\\"users_name_min_length\\\", add CHECK \\\"users_age_min\\\", add CHECK \\\"users_email_format\\\"");
	/* a message changes no CHECK: nothing to do */
	{
		static const char *const msg[] = {"user", "{'table': 'users', 'columns': {'id': {'type': 'id'}, "
			"'age': {'type': 'integer', 'validate': {'min': 0, 'messages': {'min': 'no'}}}, "
			"'name': {'type': 'text', 'validate': {'min_length': 1}}, 'email': {'type': 'text'}}}", NULL};

		check_ok(f->sqlite, alter_rel(f->sqlite, from, msg, "user", &plan), "plan");
		assert_int_equal(plan.nsteps, 0);
	}
}

static void
test_rules_follow_renames(void **state)
{
	fixture    *f = F(state);
	static const char *const from[] = {"user", RULES_FROM, NULL};
	static const char *const to[] = {"user", "{'table': 'people', 'columns': {'id': {'type': 'id'}, "
		"'years': {'type': 'integer', 'renamed_from': 'age', 'validate': {'min': 0}}, "
		"'name': {'type': 'text', 'validate': {'min_length': 1}}, 'email': {'type': 'text'}}}", NULL};
	rex_plan	plan;

	check_ok(f->pg, alter_rel(f->pg, from, to, "user", &plan), "plan");
	assert_string_equal(kinds(f->pg, &plan), "rename_table rename_column rename_constraint rename_constraint");
	assert_string_equal(plan.steps[2].sql, "ALTER TABLE \"public\".\"people\" RENAME CONSTRAINT \"users_age_min\" "
						"TO \"people_years_min\"");
	/* SQLite renames natively: the constraints keep their names, nothing is rebuilt */
	check_ok(f->sqlite, alter_rel(f->sqlite, from, to, "user", &plan), "plan");
	assert_string_equal(kinds(f->sqlite, &plan), "rename_table rename_column");
}

static void
test_join_table_changes(void **state)
{
	fixture    *f = F(state);
	static const char *const from[] = {"post", "{'columns': {'id': {'type': 'id'}}, 'relations': "
		"{'tags': {'kind': 'many_to_many', 'entity': 'tag'}}}", "tag", "{'columns': {'id': {'type': 'id'}}}", NULL};
	static const char *const to[] = {"post", "{'columns': {'id': {'type': 'id'}}, 'relations': "
		"{'tags': {'kind': 'many_to_many', 'entity': 'tag', 'columns': {'weight': {'type': 'integer', "
		"'validate': {'min': 1}}}}}}", "tag", "{'columns': {'id': {'type': 'id'}}}", NULL};
	rex_schema	a,
				d;
	rex_renames none;
	rex_alter	alt;
	rex_plan	plan;
	int			i;

	/* the join table is an entity of its own to the differ: a new column with its rule */
	memset(&a, 0, sizeof(a));
	memset(&d, 0, sizeof(d));
	memset(&none, 0, sizeof(none));
	memset(&plan, 0, sizeof(plan));
	(void) resolved(f->pg, from, "post");
	for (i = 0; i < 2; i++)
	{
		rex_schema *s = i ? &d : &a;
		const char *const *defs = i ? to : from;
		int			k;

		s->entities = rex_alloc0(f->pg, sizeof(rex_entity *) * 3);
		s->applied = rex_alloc0(f->pg, sizeof(bool) * 3);
		for (k = 0; k < 2; k++)
		{
			s->entities[k] = entity(f->pg, defs[2 * k], q(f->pg, defs[2 * k + 1]));
			s->entities[k]->schema = "public";
			s->applied[k] = true;
		}
		s->n = 2;
		check_ok(f->pg, rex_schema_resolve(f->pg, s), "resolve");
	}
	assert_int_equal(a.njoins, 1);
	d.live = &a;
	check_ok(f->pg, rex_schema_resolve(f->pg, &d), "resolve again");
	assert_true(d.join_exists[0]);	/* it exists: altered, not created */
	assert_int_equal(d.norder, 0);
	check_ok(f->pg, rex_alter_prepare(f->pg, "public", a.joins[0], d.joins[0], &none, NULL, &alt), "prepare");
	check_ok(f->pg, rex_alter_plan(f->pg, &alt, REX_ALTER_ALL, &plan), "plan");
	assert_string_equal(kinds(f->pg, &plan), "add_column add_check validate_constraint");
	assert_string_equal(plan.steps[0].sql, "ALTER TABLE \"public\".\"post_tag\" ADD COLUMN \"weight\" integer");
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
		cmocka_unit_test_setup_teardown(test_relation_added_pg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relation_added_lint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relation_action_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relation_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relation_phases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_changed_pg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_changed_sqlite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_follow_renames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_join_table_changes, setup, teardown),
	};

	return cmocka_run_group_tests_name("rex_unit_migrations", tests, NULL, NULL);
}
