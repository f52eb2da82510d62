/*
 * test_ident.c
 *		Unit tests of ident.c (identifier rules, generated names) and of
 *		the quoting helpers of dialect.c.
 *
 * Expected hashes of shortened names were computed independently
 * (Python hashlib: the first 54 bytes, '_', 8 hex digits of SHA-256).
 */
#include "unit.h"
#include "ident.h"
#include "rex_dialect.h"

#define S63 "a23456789012345678901234567890123456789012345678901234567890123"
#define S64 S63 "4"

static void
test_ident_accepted(void **state)
{
	static const char *const ok[] = {
		"a", "A", "_", "_x", "users", "Users", "user_2", "x1", "ABC_def_123", S63,
		"select", "order", "rexy", "pgx", "sqlitex", NULL
	};
	int			i,
				k;

	(void) state;
	for (i = 0; ok[i]; i++)
		for (k = REX_IDENT_ENTITY; k <= REX_IDENT_INDEX; k++)
			if (rex_ident_problem(ok[i], (rex_ident_kind) k) != NULL)
				unit_fail("\"%s\" (kind %d) refused: %s", ok[i], k,
						 rex_ident_problem(ok[i], (rex_ident_kind) k));
}

static void
test_ident_refused(void **state)
{
	static const struct
	{
		const char *name;
		const char *problem;
	}			bad[] = {
		{"", "empty"},
		{S64, "longer than 63"},
		{"1abc", "starts with a digit"},
		{"9", "starts with a digit"},
		{"caf\xc3\xa9", "other than an ASCII letter"},
		{"a b", "other than an ASCII letter"},
		{"a-b", "other than an ASCII letter"},
		{"a.b", "other than an ASCII letter"},
		{"x\"; DROP TABLE t; --", "other than an ASCII letter"},
		{"x'", "other than an ASCII letter"},
		{"a\nb", "other than an ASCII letter"},
		{"$1", "other than an ASCII letter"},
	};
	size_t		i;
	int			k;

	(void) state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (k = REX_IDENT_ENTITY; k <= REX_IDENT_INDEX; k++)
		{
			const char *p = rex_ident_problem(bad[i].name, (rex_ident_kind) k);

			if (p == NULL)
				unit_fail("\"%s\" (kind %d) accepted", bad[i].name, k);
			assert_contains(p, bad[i].problem);
		}
}

/* Reserved prefixes apply to tables, entities and indexes, not columns. */
static void
test_ident_reserved_prefixes(void **state)
{
	static const char *const names[] = {
		"rex_users", "REX_users", "Rex_x", "sqlite_stat", "SQLITE_x", "pg_class",
		"Pg_x", "rex_", "pg_", NULL
	};
	int			i;

	(void) state;
	for (i = 0; names[i]; i++)
	{
		assert_contains(rex_ident_problem(names[i], REX_IDENT_TABLE), "reserved");
		assert_contains(rex_ident_problem(names[i], REX_IDENT_ENTITY), "reserved");
		assert_contains(rex_ident_problem(names[i], REX_IDENT_INDEX), "reserved");
		assert_null(rex_ident_problem(names[i], REX_IDENT_COLUMN));
	}
}

/* System columns of either engine are refused as column names only. */
static void
test_ident_system_columns(void **state)
{
	static const char *const names[] = {
		"rowid", "ROWID", "oid", "_rowid_", "ctid", "xmin", "XMAX", "cmin", "cmax",
		"tableoid", NULL
	};
	int			i;

	(void) state;
	for (i = 0; names[i]; i++)
	{
		assert_contains(rex_ident_problem(names[i], REX_IDENT_COLUMN), "system column");
		assert_null(rex_ident_problem(names[i], REX_IDENT_TABLE));
	}
	assert_null(rex_ident_problem("xmin2", REX_IDENT_COLUMN));
	assert_null(rex_ident_problem("rowids", REX_IDENT_COLUMN));
	assert_contains(rex_ident_rule(), "63");
}

static void
test_ident_equal(void **state)
{
	(void) state;
	assert_true(rex_ident_equal("Users", "users"));
	assert_true(rex_ident_equal("ABC_1", "abc_1"));
	assert_true(rex_ident_equal("", ""));
	assert_false(rex_ident_equal("user", "users"));
	assert_false(rex_ident_equal("users", "user"));
	assert_false(rex_ident_equal("a_b", "a-b"));
}

/* Names up to 63 bytes are kept; longer ones get a hash suffix. */
static void
test_name_fit(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	const char *tc = "tttttttttttttttttttttttttttttttttttttttt_cccccccccccccccccccccccccccccc_idx";
	const char *a = rex_name_fit(ctx, S64);
	const char *b;
	char		x64[65];
	char		want[64];

	assert_string_equal(rex_name_fit(ctx, "short"), "short");
	assert_string_equal(rex_name_fit(ctx, S63), S63);
	memset(x64, 'x', 64);
	x64[64] = '\0';
	memset(want, 'x', 54);
	strcpy(want + 54, "_7ce10097");
	assert_string_equal(rex_name_fit(ctx, x64), want);
	b = rex_name_fit(ctx, tc);
	assert_string_equal(b, "tttttttttttttttttttttttttttttttttttttttt_ccccccccccccc_32c8bc26");
	assert_int_equal(strlen(a), 63);
	assert_int_equal(strlen(b), 63);
	/* distinct long names stay distinct, and the result is a valid name */
	assert_string_not_equal(rex_name_fit(ctx, S64), rex_name_fit(ctx, S63 "5"));
	assert_null(rex_ident_problem(a, REX_IDENT_INDEX));
	assert_string_equal(rex_name_fit(ctx, S64), a);
}

static void
test_quoting(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_sql_ident(&b, "we\"ird");
	assert_string_equal(b.data, "\"we\"\"ird\"");
	rex_buf_reset(&b);
	rex_sql_literal(&b, "it's");
	assert_string_equal(b.data, "'it''s'");
	rex_buf_reset(&b);
	rex_sql_literal(&b, "");
	assert_string_equal(b.data, "''");
	/* PostgreSQL: E'' with doubled backslashes when there is a backslash */
	rex_buf_reset(&b);
	rex_dialect_pg.quote_literal(&b, "a\\b'c");
	assert_string_equal(b.data, "E'a\\\\b''c'");
	rex_buf_reset(&b);
	rex_dialect_pg.quote_literal(&b, "plain");
	assert_string_equal(b.data, "'plain'");
	/* SQLite: backslash is an ordinary character */
	rex_buf_reset(&b);
	rex_dialect_sqlite.quote_literal(&b, "a\\b'c");
	assert_string_equal(b.data, "'a\\b''c'");
	rex_buf_reset(&b);
	rex_dialect_pg.table(&b, "app", "users");
	assert_string_equal(b.data, "\"app\".\"users\"");
	rex_buf_reset(&b);
	rex_dialect_pg.table(&b, NULL, "users");
	assert_string_equal(b.data, "\"users\"");
	rex_buf_reset(&b);
	rex_dialect_sqlite.table(&b, "app", "users");
	assert_string_equal(b.data, "\"users\"");
	rex_buf_reset(&b);
	rex_dialect_pg.param(&b, 3, "jsonb");
	rex_buf_append_char(&b, ' ');
	rex_dialect_pg.param(&b, 12, NULL);
	rex_buf_append_char(&b, ' ');
	rex_dialect_sqlite.param(&b, 3, "jsonb");
	assert_string_equal(b.data, "$3::jsonb $12 ?3");
	assert_true(rex_buf_ok(&b));
}

static void
test_constraint_name(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_sql_constraint_name(&b, "users", "role", "enum");
	assert_string_equal(b.data, "\"users_role_enum\"");
	rex_buf_reset(&b);
	rex_sql_constraint_name(&b, S63, "b23456789012345678901234567890123456789012345678901234567890123",
							"type");
	assert_string_equal(b.data, "\"a23456789012345678901234567890123456789012345678901234_a7e10cdb\"");
}

static void
test_base64_to_hex(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_buf		b;

	rex_buf_init(&b, ctx);
	assert_true(rex_base64_to_hex(&b, "AAEC/w=="));
	assert_string_equal(b.data, "000102ff");
	rex_buf_reset(&b);
	assert_true(rex_base64_to_hex(&b, "aGk="));
	assert_string_equal(b.data, "6869");
	rex_buf_reset(&b);
	assert_true(rex_base64_to_hex(&b, "aGVsbG8="));
	assert_string_equal(b.data, "68656c6c6f");
	rex_buf_reset(&b);
	assert_true(rex_base64_to_hex(&b, ""));
	assert_string_equal(b.data, "");
}

void
unit_register_ident(unit_suite *s)
{
	unit_add(s, "ident: valid names of every kind are accepted", test_ident_accepted, NULL);
	unit_add(s, "ident: empty, 64-byte, leading digit, non-ASCII, injection refused",
			 test_ident_refused, NULL);
	unit_add(s, "ident: rex_, sqlite_, pg_ prefixes reserved except for columns",
			 test_ident_reserved_prefixes, NULL);
	unit_add(s, "ident: system column names refused for columns", test_ident_system_columns, NULL);
	unit_add(s, "ident: names compare without regard to case", test_ident_equal, NULL);
	unit_add(s, "ident: long generated names shortened to 63 bytes with a hash", test_name_fit, NULL);
	unit_add(s, "dialect: identifier, literal, table and parameter spelling", test_quoting, NULL);
	unit_add(s, "dialect: constraint names shortened like index names", test_constraint_name, NULL);
	unit_add(s, "dialect: base64 to hex for bytes defaults", test_base64_to_hex, NULL);
}
