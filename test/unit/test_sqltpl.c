/*
 * test_sqltpl.c
 *		Unit tests of sqltpl.c: rex's internal SQL templates expanded for
 *		both dialects, and the catalog statements they become.
 */
#include "unit.h"
#include "sqltpl.h"

#define PG_TS(col) \
	"pg_catalog.to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
#define PG_NOW PG_TS("pg_catalog.now()")
#define SQLITE_NOW "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

static const char *const every_marker =
"SELECT $1, $2::jsonb, $10::int4 FROM {entities} JOIN {migrations} m "
"WHERE at < {now} AND who = {user} AND e = {engine} "
"ORDER BY name {binary}, {ts:created_at}";

static void
test_pg(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_string_equal(rex_sql(ctx, every_marker),
						"SELECT $1, $2::jsonb, $10::int4 FROM rex.entities JOIN rex.migrations m "
						"WHERE at < " PG_NOW " AND who = current_user::text AND e = 'postgresql' "
						"ORDER BY name COLLATE \"C\", " PG_TS("created_at"));
}

static void
test_sqlite(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;

	assert_string_equal(rex_sql(ctx, every_marker),
						"SELECT ?1, ?2, ?10 FROM rex_entities JOIN rex_migrations m "
						"WHERE at < " SQLITE_NOW " AND who = NULL AND e = 'sqlite' "
						"ORDER BY name COLLATE BINARY, created_at");
}

/* Text without markers passes through; '$' without a digit is text. */
static void
test_plain_text(void **state)
{
	unit_fixture *f = unit_fix(state);
	const char *plain = "SELECT 'a$b', x::text, 1 FROM t WHERE y = '$'";

	assert_string_equal(rex_sql(f->pg, plain), plain);
	assert_string_equal(rex_sql(f->sqlite, plain), plain);
	assert_string_equal(rex_sql(f->pg, ""), "");
	/* a cast right after a parameter stays on PostgreSQL only */
	assert_string_equal(rex_sql(f->pg, "$1::timestamptz)"), "$1::timestamptz)");
	assert_string_equal(rex_sql(f->sqlite, "$1::timestamptz)"), "?1)");
}

static void
test_malformed(void **state)
{
	unit_fixture *f = unit_fix(state);

	assert_null(rex_sql(f->pg, "SELECT * FROM {entities"));
	assert_int_equal(f->pg->err.status, REX_ERR_INTERNAL);
	assert_string_equal(f->pg->err.message, "malformed internal SQL template");
	assert_string_equal(rex_error_sqlstate(f->pg), "XX000");
	assert_null(rex_sql(f->sqlite, "{"));
	assert_int_equal(f->sqlite->err.status, REX_ERR_INTERNAL);
}

void
unit_register_sqltpl(unit_suite *s)
{
	unit_add(s, "sqltpl: every marker expanded for PostgreSQL", test_pg, NULL);
	unit_add(s, "sqltpl: every marker expanded for SQLite", test_sqlite, NULL);
	unit_add(s, "sqltpl: plain text and casts", test_plain_text, NULL);
	unit_add(s, "sqltpl: an unterminated marker is an internal error", test_malformed, NULL);
}
