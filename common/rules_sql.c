/*
 * rules_sql.c
 *		CHECK constraints for validation rules, in each dialect's built-in
 *		SQL (rex_dialect.rule_check).
 *
 * Every expression is "col IS NULL OR (...)" -- rules other than required
 * leave NULL to nullability, as validate() does -- and accepts exactly
 * what rules.c and formats.c accept.  PostgreSQL has regular expressions
 * (~), so pattern and every format are CHECKs there; SQLite has no REGEXP
 * built in, so formats are written with GLOB, length(), instr() and
 * date(), and pattern and custom validators are left to validate() (plan
 * warns).  Templates use \001 where the quoted column goes.
 */
#include "rules.h"
#include "rex_dialect.h"

#include <string.h>

/* Appends 'tpl' with every \001 replaced by 'col'. */
static void
expand(rex_buf *b, const char *tpl, const char *col)
{
	for (; *tpl; tpl++)
	{
		if (*tpl == '\001')
			rex_buf_append(b, col);
		else
			rex_buf_append_char(b, *tpl);
	}
}

static void
number_literal(rex_buf *b, const json_t *v)
{
	if (json_is_integer(v))
		rex_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else
	{
		char		num[40];

		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		rex_buf_append(b, num);
		if (strpbrk(num, ".eEn") == NULL)
			rex_buf_append(b, ".0");
	}
}

static void
enum_list(rex_buf *b, const rex_dialect *d, const json_t *values)
{
	size_t		i;

	rex_buf_append(b, " IN (");
	for (i = 0; i < json_array_size(values); i++)
	{
		json_t	   *x = json_array_get(values, i);

		if (i)
			rex_buf_append(b, ", ");
		if (json_is_string(x))
			d->quote_literal(b, json_string_value(x));
		else
			number_literal(b, x);
	}
	rex_buf_append(b, ")");
}

/* ---------------------------------------------------------------- */
/* PostgreSQL */

/* A real calendar date in the 10 characters of expression X (\001). */
#define PG_DATE_OK \
	"CASE WHEN \001 ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' " \
	"AND \001 !~ '^0000' THEN substr(\001, 9, 2)::integer <= " \
	"CASE substr(\001, 6, 2) WHEN '02' THEN CASE WHEN (substr(\001, 1, 4)::integer % 4 = 0 " \
	"AND substr(\001, 1, 4)::integer % 100 <> 0) OR substr(\001, 1, 4)::integer % 400 = 0 " \
	"THEN 29 ELSE 28 END WHEN '04' THEN 30 WHEN '06' THEN 30 WHEN '09' THEN 30 " \
	"WHEN '11' THEN 30 ELSE 31 END ELSE false END"

#define PG_EMAIL \
	"char_length(\001) <= 254 AND char_length(split_part(\001, '@', 1)) <= 64 AND \001 ~ " \
	"'^[A-Za-z0-9!#$%&''*+/=?^_`{|}~-]+([.][A-Za-z0-9!#$%&''*+/=?^_`{|}~-]+)*" \
	"@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?([.][A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$'"

#define PG_UUID \
	"\001 ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'"

#define PG_URL "\001 ~ '^https?://[^/?#]' AND \001 ~ '^[!-~]+$'"

#define PG_DATE_TIME_RE \
	"'^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]" \
	"([.][0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$'"

static void
pg_format(rex_buf *b, rex_format f, const char *col)
{
	rex_buf		prefix;

	switch (f)
	{
		case REX_FORMAT_EMAIL:
			expand(b, PG_EMAIL, col);
			break;
		case REX_FORMAT_UUID:
			expand(b, PG_UUID, col);
			break;
		case REX_FORMAT_URL:
			expand(b, PG_URL, col);
			break;
		case REX_FORMAT_DATE:
			expand(b, PG_DATE_OK, col);
			break;
		case REX_FORMAT_DATE_TIME:
			rex_buf_init(&prefix, b->ctx);
			rex_buf_printf(&prefix, "substr(%s, 1, 10)", col);
			expand(b, "CASE WHEN \001 ~ " PG_DATE_TIME_RE " THEN (", col);
			expand(b, PG_DATE_OK, prefix.data);
			rex_buf_append(b, ") ELSE false END");
			break;
	}
}

bool
rex_rule_check_pg(rex_buf *b, const rex_column *c, const rex_rule *r,
				  const char *validator_sql)
{
	const rex_dialect *d = &rex_dialect_pg;
	rex_buf		q;
	const char *col;

	rex_buf_init(&q, b->ctx);
	rex_sql_ident(&q, c->name);
	col = q.data;
	if (r->kind == REX_RULE_CUSTOM && validator_sql == NULL)
		return false;
	if (r->kind == REX_RULE_REQUIRED)
	{
		rex_buf_printf(b, "%s IS NOT NULL", col);
		if (c->type == REX_T_STRING || c->type == REX_T_TEXT)
			rex_buf_printf(b, " AND %s <> ''", col);
		return true;
	}
	rex_buf_printf(b, "%s IS NULL OR (", col);
	switch (r->kind)
	{
		case REX_RULE_MIN_LENGTH:
			rex_buf_printf(b, "char_length(%s) >= %lld", col, (long long) r->length);
			break;
		case REX_RULE_MAX_LENGTH:
			rex_buf_printf(b, "char_length(%s) <= %lld", col, (long long) r->length);
			break;
		case REX_RULE_MIN:
		case REX_RULE_MAX:
			rex_buf_printf(b, "%s %s ", col, r->kind == REX_RULE_MIN ? ">=" : "<=");
			number_literal(b, r->number);
			break;
		case REX_RULE_PATTERN:
			rex_buf_printf(b, "%s ~ ", col);
			d->quote_literal(b, r->pattern_sql);
			break;
		case REX_RULE_FORMAT:
			pg_format(b, r->format, col);
			break;
		case REX_RULE_ENUM:
			rex_buf_append(b, col);
			enum_list(b, d, r->values);
			break;
		case REX_RULE_CUSTOM:
			rex_buf_printf(b, "%s(%s)", validator_sql, col);
			break;
		default:
			break;
	}
	rex_buf_append(b, ")");
	return true;
}

/* ---------------------------------------------------------------- */
/* SQLite */

/*
 * email without substr(): with exactly one '@', patterns over the whole
 * value say the same as patterns over each part ('*@[.-]*' is "the
 * domain starts with . or -", '*.@*' "the local part ends with .").
 */
#define SQ_EMAIL \
	"length(\001) <= 254 AND instr(\001, '@') BETWEEN 2 AND 65 AND \001 NOT GLOB '*@*@*' " \
	"AND \001 NOT GLOB '*[^A-Za-z0-9!#$%&''*+/=?^_`{|}~.@-]*' AND \001 NOT GLOB '*@*[^A-Za-z0-9.-]*' " \
	"AND \001 GLOB '*@?*.*' AND \001 NOT GLOB '.*' AND \001 NOT GLOB '*.@*' AND \001 NOT GLOB '*..*' " \
	"AND \001 NOT GLOB '*@[.-]*' AND \001 NOT GLOB '*[.-]' AND \001 NOT GLOB '*@*.-*' " \
	"AND \001 NOT GLOB '*@*-.*'"

#define SQ_HEX4 "[0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
#define SQ_UUID \
	"lower(\001) GLOB '" SQ_HEX4 SQ_HEX4 "-" SQ_HEX4 "-" SQ_HEX4 "-" SQ_HEX4 "-" \
	SQ_HEX4 SQ_HEX4 SQ_HEX4 "'"

#define SQ_URL \
	"(\001 GLOB 'http://*' OR \001 GLOB 'https://*') AND \001 NOT GLOB '*[^!-~]*' " \
	"AND substr(\001, instr(\001, '://') + 3, 1) NOT IN ('', '/', '?', '#')"

#define SQ_DATE_OK "date(\001, '+0 days') IS \001 AND \001 NOT GLOB '0000*'"

#define SQ_OFFSET \
	"(\001 IN ('Z', 'z') OR \001 GLOB '[+-][01][0-9]:[0-5][0-9]' " \
	"OR \001 GLOB '[+-]2[0-3]:[0-5][0-9]')"

static void
sqlite_date_time(rex_buf *b, const char *col)
{
	rex_buf		x;

	rex_buf_init(&x, b->ctx);
	rex_buf_printf(&x, "substr(%s, 1, 10)", col);
	rex_buf_append(b, "substr(");
	rex_buf_append(b, col);
	rex_buf_append(b, ", 11, 1) IN ('T', 't') AND ");
	expand(b, SQ_DATE_OK, x.data);
	expand(b, " AND (substr(\001, 12, 8) GLOB '[01][0-9]:[0-5][0-9]:[0-5][0-9]' "
		   "OR substr(\001, 12, 8) GLOB '2[0-3]:[0-5][0-9]:[0-5][0-9]') "
		   "AND CASE WHEN substr(\001, 20) GLOB '.[0-9]*' THEN ", col);
	rex_buf_reset(&x);
	rex_buf_printf(&x, "ltrim(substr(%s, 21), '0123456789')", col);
	expand(b, SQ_OFFSET, x.data);
	rex_buf_append(b, " ELSE ");
	rex_buf_reset(&x);
	rex_buf_printf(&x, "substr(%s, 20)", col);
	expand(b, SQ_OFFSET, x.data);
	rex_buf_append(b, " END");
}

static void
sqlite_format(rex_buf *b, rex_format f, const char *col)
{
	switch (f)
	{
		case REX_FORMAT_EMAIL:
			expand(b, SQ_EMAIL, col);
			break;
		case REX_FORMAT_UUID:
			expand(b, SQ_UUID, col);
			break;
		case REX_FORMAT_URL:
			expand(b, SQ_URL, col);
			break;
		case REX_FORMAT_DATE:
			expand(b, SQ_DATE_OK, col);
			break;
		case REX_FORMAT_DATE_TIME:
			sqlite_date_time(b, col);
			break;
	}
}

bool
rex_rule_check_sqlite(rex_buf *b, const rex_column *c, const rex_rule *r,
					  const char *validator_sql)
{
	rex_buf		q;
	const char *col;

	(void) validator_sql;
	if (r->kind == REX_RULE_PATTERN || r->kind == REX_RULE_CUSTOM)
		return false;
	rex_buf_init(&q, b->ctx);
	rex_sql_ident(&q, c->name);
	col = q.data;
	if (r->kind == REX_RULE_REQUIRED)
	{
		rex_buf_printf(b, "%s IS NOT NULL", col);
		if (c->type == REX_T_STRING || c->type == REX_T_TEXT)
			rex_buf_printf(b, " AND %s <> ''", col);
		return true;
	}
	rex_buf_printf(b, "%s IS NULL OR (", col);
	switch (r->kind)
	{
		case REX_RULE_MIN_LENGTH:
			rex_buf_printf(b, "length(%s) >= %lld", col, (long long) r->length);
			break;
		case REX_RULE_MAX_LENGTH:
			rex_buf_printf(b, "length(%s) <= %lld", col, (long long) r->length);
			break;
		case REX_RULE_MIN:
		case REX_RULE_MAX:
			/* decimals are TEXT on SQLite: compare their value */
			if (c->type == REX_T_DECIMAL)
				rex_buf_printf(b, "CAST(%s AS REAL)", col);
			else
				rex_buf_append(b, col);
			rex_buf_append(b, r->kind == REX_RULE_MIN ? " >= " : " <= ");
			number_literal(b, r->number);
			break;
		case REX_RULE_FORMAT:
			sqlite_format(b, r->format, col);
			break;
		case REX_RULE_ENUM:
			rex_buf_append(b, col);
			enum_list(b, &rex_dialect_sqlite, r->values);
			break;
		default:
			break;
	}
	rex_buf_append(b, ")");
	return true;
}

bool
rex_rule_check_sql(rex_ctx *ctx, rex_buf *b, const rex_column *c, const rex_rule *r,
				   const char *validator_sql)
{
	return ctx->dialect->rule_check(b, c, r, validator_sql);
}

const char *
rex_rule_unchecked_reason(rex_ctx *ctx, const rex_entity *e, const rex_column *c,
						  const rex_rule *r)
{
	if (strcmp(ctx->dialect->name, "sqlite") != 0)
		return NULL;
	if (r->kind == REX_RULE_PATTERN)
		return rex_psprintf(ctx, "%s.%s: rule \"pattern\" has no CHECK on SQLite (it has no "
							"built-in REGEXP); validate() and rex's write functions enforce it, "
							"plain SQL writers are not held to it", e->name, c->name);
	if (r->kind == REX_RULE_CUSTOM)
		return rex_psprintf(ctx, "%s.%s: custom validator \"%s\" has no CHECK on SQLite (the "
							"function lives in the application); validate() and rex's write "
							"functions enforce it, plain SQL writers are not held to it",
							e->name, c->name, r->validator);
	return NULL;
}
