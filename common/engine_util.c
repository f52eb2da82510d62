/*
 * engine_util.c
 *		Engine-neutral helpers for values and results (rex_engine.h).
 */
#include "rex_engine.h"

#include <stdlib.h>
#include <string.h>

const rex_value *
rex_result_cell(const rex_result *res, int row, int col)
{
	if (res == NULL || row < 0 || row >= res->nrows || col < 0 || col >= res->ncols)
		return NULL;
	return &res->cells[row * res->ncols + col];
}

/* The cell as text; NULL for SQL NULL.  Numbers are not converted. */
const char *
rex_result_text(const rex_result *res, int row, int col)
{
	const rex_value *v = rex_result_cell(res, row, col);

	if (v == NULL || (v->type != REX_V_TEXT && v->type != REX_V_BLOB))
		return NULL;
	return v->s;
}

/* The cell as an integer (text is parsed; NULL gives 0). */
int64_t
rex_result_int(const rex_result *res, int row, int col)
{
	const rex_value *v = rex_result_cell(res, row, col);

	if (v == NULL)
		return 0;
	switch (v->type)
	{
		case REX_V_INT:
		case REX_V_BOOL:
			return v->i;
		case REX_V_REAL:
			return (int64_t) v->r;
		case REX_V_TEXT:
			return strtoll(v->s, NULL, 10);
		default:
			return 0;
	}
}

rex_value
rex_val_text(const char *s)
{
	rex_value	v;

	memset(&v, 0, sizeof(v));
	v.type = s ? REX_V_TEXT : REX_V_NULL;
	v.s = s;
	v.len = s ? strlen(s) : 0;
	return v;
}

rex_value
rex_val_int(int64_t i)
{
	rex_value	v;

	memset(&v, 0, sizeof(v));
	v.type = REX_V_INT;
	v.i = i;
	return v;
}

rex_value
rex_val_real(double r)
{
	rex_value	v;

	memset(&v, 0, sizeof(v));
	v.type = REX_V_REAL;
	v.r = r;
	return v;
}

rex_value
rex_val_bool(bool b)
{
	rex_value	v;

	memset(&v, 0, sizeof(v));
	v.type = REX_V_BOOL;
	v.i = b ? 1 : 0;
	return v;
}

rex_value
rex_val_null(void)
{
	rex_value	v;

	memset(&v, 0, sizeof(v));
	v.type = REX_V_NULL;
	return v;
}
