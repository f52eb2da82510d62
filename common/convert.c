/*
 * convert.c
 *		Column type changes: which are supported and the expressions that
 *		convert stored values on each engine (see convert.h).
 */
#include "convert.h"
#include "rex_dialect.h"

#include <string.h>

/* Families of types that convert among themselves. */
typedef enum family
{
	F_TEXT,						/* string, text, enum */
	F_UUID,
	F_INT,						/* integer, bigint */
	F_FLOAT,
	F_DECIMAL,
	F_BOOL,
	F_TIMESTAMP,
	F_DATE,
	F_OTHER						/* id, json, bytes */
} family;

static family
family_of(rex_type t)
{
	switch (t)
	{
		case REX_T_STRING:
		case REX_T_TEXT:
		case REX_T_ENUM:
			return F_TEXT;
		case REX_T_UUID:
			return F_UUID;
		case REX_T_INTEGER:
		case REX_T_BIGINT:
			return F_INT;
		case REX_T_FLOAT:
			return F_FLOAT;
		case REX_T_DECIMAL:
			return F_DECIMAL;
		case REX_T_BOOLEAN:
			return F_BOOL;
		case REX_T_TIMESTAMP:
			return F_TIMESTAMP;
		case REX_T_DATE:
			return F_DATE;
		default:
			return F_OTHER;
	}
}

/* True when every value of enum 'a' is a value of enum 'b'. */
static bool
enum_subset(const rex_column *a, const rex_column *b)
{
	int			i,
				j;

	for (i = 0; i < a->n_enum_values; i++)
	{
		for (j = 0; j < b->n_enum_values; j++)
			if (strcmp(a->enum_values[i], b->enum_values[j]) == 0)
				break;
		if (j == b->n_enum_values)
			return false;
	}
	return true;
}

/* Whether a value of 'from' (text-like) may not fit the text type 'to'. */
static bool
text_can_fail(const rex_column *from, const rex_column *to)
{
	if (to->type == REX_T_ENUM)
		return from->type != REX_T_ENUM || !enum_subset(from, to);
	if (to->type == REX_T_STRING && to->max_length > 0)
	{
		if (from->type == REX_T_STRING && from->max_length > 0)
			return from->max_length > to->max_length;
		if (from->type == REX_T_UUID)
			return to->max_length < 36;
		return true;
	}
	return false;
}

/* Digits before the point that a decimal column holds (0: unlimited). */
static int
decimal_int_digits(const rex_column *c)
{
	return c->precision ? c->precision - c->scale : 0;
}

rex_conversion
rex_convert_classify(const rex_column *from, const rex_column *to)
{
	rex_conversion r;
	family		f = family_of(from->type);
	family		t = family_of(to->type);

	memset(&r, 0, sizeof(r));
	r.supported = true;
	if (f == F_OTHER || t == F_OTHER)
	{
		r.supported = false;
		r.why = "id, json and bytes columns keep their type";
		return r;
	}
	if (t == F_TEXT)
	{
		if (f == F_FLOAT)
		{
			r.supported = false;
			r.why = "the engines write floating-point numbers as text differently";
			return r;
		}
		r.can_fail = f == F_TEXT ? text_can_fail(from, to)
			: (to->type == REX_T_ENUM || (to->type == REX_T_STRING && to->max_length > 0));
		if (f == F_UUID && to->type == REX_T_STRING)
			r.can_fail = to->max_length > 0 && to->max_length < 36;
		return r;
	}
	switch (f)
	{
		case F_TEXT:
			if (t == F_UUID)
			{
				r.can_fail = true;
				return r;
			}
			break;
		case F_UUID:
			break;
		case F_INT:
			if (t == F_INT)
			{
				r.can_fail = from->type == REX_T_BIGINT && to->type == REX_T_INTEGER;
				return r;
			}
			if (t == F_FLOAT)
			{
				r.lossy = from->type == REX_T_BIGINT;
				if (r.lossy)
					r.why = "bigint values beyond 2^53 lose precision as float";
				return r;
			}
			if (t == F_DECIMAL)
			{
				int			digits = decimal_int_digits(to);

				r.can_fail = digits > 0 && digits < (from->type == REX_T_INTEGER ? 10 : 19);
				return r;
			}
			if (t == F_BOOL)
			{
				r.can_fail = true;
				return r;
			}
			break;
		case F_FLOAT:
			if (t == F_INT)
			{
				r.can_fail = true;
				return r;
			}
			if (t == F_DECIMAL)
			{
				r.supported = false;
				r.why = "the engines round floating-point numbers to decimals differently";
				return r;
			}
			break;
		case F_DECIMAL:
			if (t == F_INT)
			{
				r.can_fail = true;
				return r;
			}
			if (t == F_FLOAT)
			{
				r.lossy = true;
				r.why = "decimals with more than 15 significant digits lose precision as float";
				return r;
			}
			if (t == F_DECIMAL)
			{
				if (to->precision == 0)
					return r;
				if (from->precision == 0 || to->scale < from->scale)
				{
					r.supported = false;
					r.why = from->precision == 0
						? "values of an unconstrained decimal would have to be rounded"
						: "reducing the scale would round the stored values";
					return r;
				}
				r.can_fail = decimal_int_digits(to) < decimal_int_digits(from);
				return r;
			}
			break;
		case F_BOOL:
			if (t == F_INT)
				return r;
			break;
		case F_DATE:
			if (t == F_TIMESTAMP)
				return r;
			break;
		case F_TIMESTAMP:
			if (t == F_DATE)
			{
				r.lossy = true;
				r.why = "the time of day is dropped";
				return r;
			}
			break;
		default:
			break;
	}
	r.supported = false;
	r.why = NULL;
	return r;
}

/* ---------------------------------------------------------------- */
/* PostgreSQL */

/* The whole-number conversion that refuses fractions instead of rounding. */
static void
pg_whole_number(rex_buf *b, const rex_column *to, const char *col)
{
	const char *type = to->type == REX_T_INTEGER ? "integer" : "bigint";

	rex_buf_printf(b, "CASE WHEN %s OPERATOR(pg_catalog.=) pg_catalog.trunc(%s) "
				   "THEN %s::pg_catalog.numeric::%s ELSE %s::pg_catalog.text::%s END",
				   col, col, col, type, col, type);
}

bool
rex_convert_pg_using(rex_buf *b, const rex_column *from, const rex_column *to,
					 const char *col)
{
	family		f = family_of(from->type);
	family		t = family_of(to->type);

	if (t == F_TEXT)
	{
		if (f == F_TEXT)
			return false;		/* the assignment cast checks lengths */
		if (f == F_TIMESTAMP)
			rex_buf_printf(b, "pg_catalog.to_char(%s AT TIME ZONE 'UTC', "
						   "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')", col);
		else
			rex_buf_printf(b, "%s::pg_catalog.text", col);
		return true;
	}
	if ((f == F_FLOAT || f == F_DECIMAL) && t == F_INT)
	{
		pg_whole_number(b, to, col);
		return true;
	}
	if (f == F_INT && t == F_BOOL)
	{
		rex_buf_printf(b, "%s::pg_catalog.text::pg_catalog.bool", col);
		return true;
	}
	if (f == F_BOOL && t == F_INT)
	{
		rex_buf_printf(b, "%s::pg_catalog.int4%s", col,
					   to->type == REX_T_BIGINT ? "::pg_catalog.int8" : "");
		return true;
	}
	if (f == F_DATE && t == F_TIMESTAMP)
	{
		rex_buf_printf(b, "%s::pg_catalog.timestamp AT TIME ZONE 'UTC'", col);
		return true;
	}
	if (f == F_TIMESTAMP && t == F_DATE)
	{
		rex_buf_printf(b, "(%s AT TIME ZONE 'UTC')::pg_catalog.date", col);
		return true;
	}
	/* the others: an explicit cast to the new type */
	rex_buf_printf(b, "%s::", col);
	rex_pg_type_name(b, to);
	return true;
}

/* ---------------------------------------------------------------- */
/* SQLite */

static void
zeros(rex_buf *b, int n)
{
	while (n-- > 0)
		rex_buf_append_char(b, '0');
}

void
rex_convert_sqlite_expr(rex_buf *b, const rex_column *from, const rex_column *to,
						const char *col)
{
	family		f = family_of(from->type);
	family		t = family_of(to->type);

	if (t == F_TEXT && f == F_BOOL)
		rex_buf_printf(b, "CASE %s WHEN 1 THEN 'true' WHEN 0 THEN 'false' END", col);
	else if (t == F_TEXT && f == F_TIMESTAMP)
		rex_buf_printf(b, "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', %s)", col);
	else if (t == F_TEXT && f == F_INT)
		rex_buf_printf(b, "CAST(%s AS TEXT)", col);
	else if (f == F_TEXT && t == F_UUID)
		rex_buf_printf(b, "lower(%s)", col);
	else if ((f == F_INT || f == F_DECIMAL) && t == F_FLOAT)
		rex_buf_printf(b, "CAST(%s AS REAL)", col);
	else if (f == F_INT && t == F_DECIMAL)
	{
		rex_buf_printf(b, "CAST(%s AS TEXT)", col);
		if (to->precision && to->scale > 0)
		{
			rex_buf_append(b, " || '.");
			zeros(b, to->scale);
			rex_buf_append(b, "'");
		}
	}
	else if (f == F_DECIMAL && t == F_DECIMAL && to->precision && to->scale > from->scale)
	{
		rex_buf_printf(b, "%s || '%s", col, from->scale == 0 ? "." : "");
		zeros(b, to->scale - from->scale);
		rex_buf_append(b, "'");
	}
	else if (f == F_DATE && t == F_TIMESTAMP)
		rex_buf_printf(b, "%s || 'T00:00:00.000Z'", col);
	else if (f == F_TIMESTAMP && t == F_DATE)
		rex_buf_printf(b, "substr(%s, 1, 10)", col);
	else
		rex_buf_append(b, col);	/* STRICT and the CHECKs decide */
}
