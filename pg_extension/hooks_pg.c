/*
 * hooks_pg.c
 *		rex.hook_trigger(): the C trigger function behind lifecycle hooks
 *		on PostgreSQL (see common/hooks.c for the contract).
 *
 * SQL function defined: rex.hook_trigger() RETURNS trigger.  Its trigger
 * arguments are the hook functions' signatures (regprocedure text, e.g.
 * 'public.slugify(jsonb)'), called in order.  For each: the row (NEW for
 * insert and update, OLD for delete) goes in as jsonb in rex's value
 * forms (booleans, numbers, decimals as strings, timestamps as UTC
 * "YYYY-MM-DDTHH:MM:SS.mmmZ", dates "YYYY-MM-DD", bytea as "\\x<hex>",
 * jsonb as JSON); the function returns jsonb or NULL.  {"$error": msg}
 * rejects the write (SQLSTATE 09000, triggered action exception); in a
 * BEFORE INSERT/UPDATE trigger the other keys of a returned object change
 * those columns of the row, through each column type's input function.
 * The next hook sees the changed row.
 *
 * The functions run with the writer's rights and search_path: this
 * function pins nothing, so hooks behave as if the writer called them.
 */
#include "rex_pg.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(rex_pg_hook_trigger);

/* Appends one non-null value of type 'typid' as JSON. */
static void
value_json(StringInfo s, Datum d, Oid typid)
{
	Oid			out;
	bool		varlena;
	char	   *text;

	switch (typid)
	{
		case BOOLOID:
			appendStringInfoString(s, DatumGetBool(d) ? "true" : "false");
			return;
		case INT2OID:
		case INT4OID:
		case INT8OID:
			getTypeOutputInfo(typid, &out, &varlena);
			appendStringInfoString(s, OidOutputFunctionCall(out, d));
			return;
		case FLOAT4OID:
		case FLOAT8OID:
			{
				double		f = typid == FLOAT4OID ? DatumGetFloat4(d) : DatumGetFloat8(d);

				if (isfinite(f))
					appendStringInfo(s, "%.17g", f);
				else
					appendStringInfoString(s, "null");
				return;
			}
		case TIMESTAMPTZOID:
			{
				TimestampTz ts = DatumGetTimestampTz(d);
				struct pg_tm tm;
				fsec_t		fsec;

				if (TIMESTAMP_NOT_FINITE(ts) || timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
					break;
				appendStringInfo(s, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"", tm.tm_year, tm.tm_mon,
								 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) (fsec / 1000));
				return;
			}
		case DATEOID:
			{
				DateADT		date = DatumGetDateADT(d);
				int			y,
							m,
							dd;

				if (DATE_NOT_FINITE(date))
					break;
				j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
				appendStringInfo(s, "\"%04d-%02d-%02d\"", y, m, dd);
				return;
			}
		case JSONBOID:
			{
				Jsonb	   *jb = DatumGetJsonbP(d);

				appendStringInfoString(s, JsonbToCString(NULL, &jb->root, VARSIZE(jb)));
				return;
			}
		case BYTEAOID:
			{
				bytea	   *b = DatumGetByteaPP(d);
				const unsigned char *p = (const unsigned char *) VARDATA_ANY(b);
				Size		i;

				appendStringInfoString(s, "\"\\\\x");
				for (i = 0; i < VARSIZE_ANY_EXHDR(b); i++)
					appendStringInfo(s, "%02x", p[i]);
				appendStringInfoChar(s, '"');
				return;
			}
		default:
			break;
	}
	getTypeOutputInfo(typid, &out, &varlena);
	text = OidOutputFunctionCall(out, d);
	escape_json(s, text);
}

/* The row as jsonb. */
static Jsonb *
row_jsonb(HeapTuple tuple, TupleDesc desc)
{
	StringInfoData s;
	bool		first = true;
	int			i;

	initStringInfo(&s);
	appendStringInfoChar(&s, '{');
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		bool		isnull;
		Datum		d;

		if (att->attisdropped)
			continue;
		if (!first)
			appendStringInfoChar(&s, ',');
		first = false;
		escape_json(&s, NameStr(att->attname));
		appendStringInfoChar(&s, ':');
		d = heap_getattr(tuple, i + 1, desc, &isnull);
		if (isnull)
			appendStringInfoString(&s, "null");
		else
			value_json(&s, d, att->atttypid);
	}
	appendStringInfoChar(&s, '}');
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}

/* Calls hook 'fn' with the row; NULL when it returned NULL. */
static Jsonb *
call_hook(Oid fn, Jsonb *row)
{
	FmgrInfo	flinfo;
	LOCAL_FCINFO(fc, 1);
	Datum		result;

	fmgr_info(fn, &flinfo);
	InitFunctionCallInfoData(*fc, &flinfo, 1, InvalidOid, NULL, NULL);
	fc->args[0].value = JsonbPGetDatum(row);
	fc->args[0].isnull = false;
	result = FunctionCallInvoke(fc);
	if (fc->isnull || get_func_rettype(fn) != JSONBOID)
		return NULL;
	return DatumGetJsonbP(result);
}

/* The value of 'key' in object jb, or NULL. */
static JsonbValue *
get_key(Jsonb *jb, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	return findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &k);
}

/* Text of a scalar JsonbValue for a type's input function. */
static char *
scalar_text(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvString:
			return pnstrdup(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
		case jbvBool:
			return pstrdup(v->val.boolean ? "true" : "false");
		default:
			return NULL;
	}
}

/* Refuses keys of the result that are not columns of the table. */
static void
check_keys(Jsonb *jb, TupleDesc desc, const char *fname)
{
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue	v;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *key;

		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		if (strcmp(key, "$error") != 0 && SPI_fnumber(desc, key) <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
					 errmsg("hook %s returned \"%s\", which is not a column", fname, key),
					 errhint("A before-hook returns an object of the columns to change.")));
	}
}

/* Applies a before-hook's result to the row; returns the new tuple. */
static HeapTuple
apply_result(HeapTuple tuple, TupleDesc desc, Jsonb *jb, const char *fname)
{
	Datum	   *values = palloc(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);
	bool	   *repl = palloc0(sizeof(bool) * desc->natts);
	int			i;

	check_keys(jb, desc, fname);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		JsonbValue *v;

		if (att->attisdropped || (v = get_key(jb, NameStr(att->attname))) == NULL)
			continue;
		repl[i] = true;
		nulls[i] = v->type == jbvNull;
		if (nulls[i])
			continue;
		if (att->atttypid == BYTEAOID)
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
					 errmsg("hook %s cannot change bytes column \"%s\"", fname, NameStr(att->attname))));
		if (att->atttypid == JSONBOID)
			values[i] = JsonbPGetDatum(JsonbValueToJsonb(v));
		else
		{
			Oid			in,
						ioparam;
			char	   *text = scalar_text(v);

			if (text == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
						 errmsg("hook %s returned an object or array for column \"%s\"",
								fname, NameStr(att->attname))));
			getTypeInputInfo(att->atttypid, &in, &ioparam);
			values[i] = OidInputFunctionCall(in, text, ioparam, att->atttypmod);
		}
	}
	return heap_modify_tuple(tuple, desc, values, nulls, repl);
}

/* Raises the hook's {"$error": msg}, if it gave one. */
static void
check_error(Jsonb *jb, const char *fname)
{
	JsonbValue *e;

	if (!JB_ROOT_IS_OBJECT(jb) || (e = get_key(jb, "$error")) == NULL)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
			 errmsg("%s", e->type == jbvString ? pnstrdup(e->val.string.val, e->val.string.len)
					: "rejected"),
			 errdetail("Rejected by hook %s.", fname)));
}

Datum
rex_pg_hook_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	row;
	bool		before,
				modifies;
	int			i;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("rex.hook_trigger: must be called as a row trigger")));
	desc = td->tg_relation->rd_att;
	row = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
	before = TRIGGER_FIRED_BEFORE(td->tg_event);
	modifies = before && !TRIGGER_FIRED_BY_DELETE(td->tg_event);
	for (i = 0; i < td->tg_trigger->tgnargs; i++)
	{
		const char *fname = td->tg_trigger->tgargs[i];
		Oid			fn = DatumGetObjectId(DirectFunctionCall1(regprocedurein, CStringGetDatum(fname)));
		Jsonb	   *result = call_hook(fn, row_jsonb(row, desc));

		if (result == NULL)
			continue;
		check_error(result, fname);
		if (modifies && JB_ROOT_IS_OBJECT(result))
			row = apply_result(row, desc, result, fname);
	}
	return PointerGetDatum(before ? row : NULL);
}
