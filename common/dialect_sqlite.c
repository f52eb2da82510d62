/*
 * dialect_sqlite.c
 *		SQL as SQLite spells it.
 *
 * Tables are STRICT, so each column has one of INTEGER, REAL, TEXT or
 * BLOB, and what STRICT cannot say is a named CHECK in built-in SQL (no
 * rex function), so that writers that never loaded the extension keep to
 * the same rules: uuid, string length, integer range, decimal, boolean,
 * timestamp, date, json and enum.  CHECKs use IS, not =, so that NULL is
 * left to NOT NULL; dates and timestamps pass only in the canonical form
 * that SQLite's own date functions give back for them.
 */
#include "rex_dialect.h"
#include "alter.h"
#include "introspect.h"
#include "json_util.h"

#include <stdio.h>
#include <string.h>

/* Text of the current time in rex's timestamp form. */
#define SQLITE_NOW "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

/* A random version-4 UUID in built-in SQL. */
#define SQLITE_UUID_EXPR \
	"lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || " \
	"substr(hex(randomblob(2)), 2) || '-' || " \
	"substr('89ab', 1 + (abs(random()) % 4), 1) || " \
	"substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"

static void
sqlite_param(rex_buf *b, int n, const char *pg_type)
{
	(void) pg_type;
	rex_buf_printf(b, "?%d", n);
}

static void
sqlite_table(rex_buf *b, const char *schema, const char *table)
{
	(void) schema;
	rex_sql_ident(b, table);
}

static const char *
sqlite_storage(rex_type t)
{
	switch (t)
	{
		case REX_T_ID:
		case REX_T_INTEGER:
		case REX_T_BIGINT:
		case REX_T_BOOLEAN:
			return "INTEGER";
		case REX_T_FLOAT:
			return "REAL";
		case REX_T_BYTES:
			return "BLOB";
		default:
			return "TEXT";
	}
}

/* Starts a named CHECK for column c: CONSTRAINT "t_c_suffix" CHECK ( */
static void
check_open(rex_buf *b, const rex_entity *e, const rex_column *c, const char *suffix)
{
	rex_buf_append(b, " CONSTRAINT ");
	rex_sql_constraint_name(b, e->table, c->name, suffix);
	rex_buf_append(b, " CHECK (");
}

/* Appends "col" n times joined by 'sep' -- used for GLOB classes. */
static void
repeat(rex_buf *b, const char *s, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		rex_buf_append(b, s);
}

/*
 * CHECK for a canonical decimal: optional '-', digits without leading
 * zeros, exactly 'scale' fractional digits (any when unconstrained).
 * u is the value without its sign: substr(c, 1 + (c GLOB '-*')).
 */
static void
decimal_check(rex_buf *b, const rex_column *c)
{
	rex_buf		u;

	rex_buf_init(&u, b->ctx);
	rex_buf_append(&u, "substr(");
	rex_sql_ident(&u, c->name);
	rex_buf_append(&u, ", 1 + (");
	rex_sql_ident(&u, c->name);
	rex_buf_append(&u, " GLOB '-*'))");

	rex_buf_append(b, "(");
	rex_sql_ident(b, c->name);
	rex_buf_append(b, " IS NULL OR (");
	/* zero has no sign: "-0", "-0.00" are not canonical */
	rex_buf_printf(b, "NOT (");
	rex_sql_ident(b, c->name);
	rex_buf_printf(b, " GLOB '-*' AND ltrim(%s, '0.') = '') AND ", u.data);
	if (c->precision && c->scale > 0)
	{
		rex_buf_printf(b, "%s GLOB '[0-9]*.", u.data);
		repeat(b, "[0-9]", c->scale);
		rex_buf_printf(b, "' AND %s NOT GLOB '*[^0-9.]*' AND %s NOT GLOB '*.*.*'"
					   " AND %s NOT GLOB '0[0-9]*' AND length(%s) <= %d",
					   u.data, u.data, u.data, u.data, c->precision + 1);
	}
	else if (c->precision)
		rex_buf_printf(b, "%s GLOB '[0-9]*' AND %s NOT GLOB '*[^0-9]*'"
					   " AND %s NOT GLOB '0?*' AND length(%s) <= %d",
					   u.data, u.data, u.data, u.data, c->precision);
	else
		rex_buf_printf(b, "%s GLOB '[0-9]*' AND %s NOT GLOB '*[^0-9.]*'"
					   " AND %s NOT GLOB '*.*.*' AND %s NOT GLOB '*.'"
					   " AND %s NOT GLOB '0[0-9]*'",
					   u.data, u.data, u.data, u.data, u.data);
	rex_buf_append(b, "))");
}

/* The type CHECK STRICT cannot express, if the type needs one. */
static void
sqlite_type_check(rex_buf *b, const rex_entity *e, const rex_column *c)
{
	const char *n;
	rex_buf		q;
	int			i;

	rex_buf_init(&q, b->ctx);
	rex_sql_ident(&q, c->name);
	n = q.data;
	switch (c->type)
	{
		case REX_T_UUID:
			check_open(b, e, c, "type");
			rex_buf_printf(b, "%s GLOB '", n);
			repeat(b, "[0-9a-f]", 8);
			for (i = 0; i < 3; i++)
			{
				rex_buf_append_char(b, '-');
				repeat(b, "[0-9a-f]", 4);
			}
			rex_buf_append_char(b, '-');
			repeat(b, "[0-9a-f]", 12);
			rex_buf_append(b, "')");
			break;
		case REX_T_STRING:
			if (c->max_length)
			{
				check_open(b, e, c, "max_length");
				rex_buf_printf(b, "length(%s) <= %d)", n, c->max_length);
			}
			break;
		case REX_T_INTEGER:
			check_open(b, e, c, "type");
			rex_buf_printf(b, "%s BETWEEN -2147483648 AND 2147483647)", n);
			break;
		case REX_T_DECIMAL:
			check_open(b, e, c, "type");
			decimal_check(b, c);
			rex_buf_append(b, ")");
			break;
		case REX_T_BOOLEAN:
			check_open(b, e, c, "type");
			rex_buf_printf(b, "%s IN (0, 1))", n);
			break;
		case REX_T_TIMESTAMP:
			check_open(b, e, c, "type");
			/* '+0 days' makes SQLite normalise 02-30 to 03-02: no match */
			rex_buf_printf(b, "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', %s, '+0 days') IS %s"
						   " OR strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', %s, '+0 days') IS %s)",
						   n, n, n, n);
			break;
		case REX_T_DATE:
			check_open(b, e, c, "type");
			rex_buf_printf(b, "date(%s, '+0 days') IS %s)", n, n);
			break;
		case REX_T_JSON:
			check_open(b, e, c, "type");
			/* json_valid(NULL) is 0, not NULL */
			rex_buf_printf(b, "%s IS NULL OR json_valid(%s))", n, n);
			break;
		case REX_T_ENUM:
			check_open(b, e, c, "enum");
			rex_buf_printf(b, "%s IN (", n);
			for (i = 0; i < c->n_enum_values; i++)
			{
				if (i)
					rex_buf_append(b, ", ");
				rex_sql_literal(b, c->enum_values[i]);
			}
			rex_buf_append(b, "))");
			break;
		default:
			break;
	}
}

/* DEFAULT clause for a constant default. */
static void
sqlite_default_value(rex_buf *b, const rex_column *c)
{
	json_t	   *v = c->default_value;
	const char *dump;

	switch (c->type)
	{
		case REX_T_INTEGER:
		case REX_T_BIGINT:
			rex_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			break;
		case REX_T_FLOAT:
			{
				char		num[40];

				/* keep a REAL literal REAL: 2 would be stored as 2.0 anyway */
				snprintf(num, sizeof(num), "%.17g", json_number_value(v));
				rex_buf_append(b, num);
				if (strpbrk(num, ".e") == NULL)
					rex_buf_append(b, ".0");
				break;
			}
		case REX_T_BOOLEAN:
			rex_buf_append(b, json_is_true(v) ? "1" : "0");
			break;
		case REX_T_JSON:
			dump = rex_json_text(b->ctx, v, REX_JSON_CANONICAL);
			if (dump == NULL)
			{
				b->failed = true;
				return;
			}
			rex_sql_literal(b, dump);
			break;
		case REX_T_BYTES:
			rex_buf_append(b, "X'");
			if (!rex_base64_to_hex(b, json_string_value(v)))
				b->failed = true;
			rex_buf_append(b, "'");
			break;
		default:
			rex_sql_literal(b, json_string_value(v));
			break;
	}
}

static bool
sqlite_inline_pk(const rex_entity *e)
{
	return e->npk == 1;
}

static void
sqlite_column_def(rex_buf *b, const rex_entity *e, const rex_column *c,
				  bool inline_pk)
{
	rex_sql_ident(b, c->name);
	rex_buf_append_char(b, ' ');
	rex_buf_append(b, sqlite_storage(c->type));
	if (inline_pk)
		rex_buf_append(b, c->type == REX_T_ID ? " PRIMARY KEY AUTOINCREMENT" : " PRIMARY KEY");
	if (!c->nullable && c->type != REX_T_ID)
		rex_buf_append(b, " NOT NULL");
	if (c->default_kind == REX_DEFAULT_VALUE)
	{
		rex_buf_append(b, " DEFAULT ");
		sqlite_default_value(b, c);
	}
	else if (c->default_kind == REX_DEFAULT_NOW)
		rex_buf_append(b, c->type == REX_T_DATE ? " DEFAULT (date('now'))"
					   : " DEFAULT (" SQLITE_NOW ")");
	else if (c->default_kind == REX_DEFAULT_GENERATED && c->type == REX_T_UUID)
		rex_buf_append(b, " DEFAULT (" SQLITE_UUID_EXPR ")");
	sqlite_type_check(b, e, c);
}

static void
sqlite_drop_index(rex_buf *b, const char *schema, const char *index)
{
	(void) schema;
	rex_buf_append(b, "DROP INDEX ");
	rex_sql_ident(b, index);
}

const rex_dialect rex_dialect_sqlite = {
	.name = "sqlite",
	.catalog_prefix = "rex_",
	.quote_ident = rex_sql_ident,
	.quote_literal = rex_sql_literal,
	.param = sqlite_param,
	.table = sqlite_table,
	.column_def = sqlite_column_def,
	.inline_pk = sqlite_inline_pk,
	.table_suffix = " STRICT",
	.drop_index = sqlite_drop_index,
	.comments = NULL,
	.now_text = SQLITE_NOW,
	.ts_text = "%s",
	.collate_binary = "COLLATE BINARY",
	.current_user = "NULL",
	.relation_exists_sql =
	"SELECT 1 FROM main.sqlite_schema WHERE type IN ('table', 'view', 'index') "
	"AND name = ?2 COLLATE NOCASE",
	.index_exists_sql =
	"SELECT 1 FROM main.sqlite_schema WHERE type = 'index' AND name = ?2 COLLATE NOCASE",
	.rule_check = rex_rule_check_sqlite,
	.alter_entity = rex_alter_sqlite,
	.foreign_keys_pragma = "foreign_keys",
	.live_table = rex_live_read_sqlite,
	.live_tables = rex_live_list_sqlite,
	.live_type_matches = rex_live_type_matches_sqlite,
};
