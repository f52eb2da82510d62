/*
 * rex_pg.c
 *		Module magic, settings and the SQL-callable functions of the
 *		PostgreSQL extension.
 *
 * SQL functions (schema rex, declared in sql/rex_orm--0.1.0.sql):
 *	 rex.version() -> text
 *	 rex.define_entity(name text, definition jsonb) -> jsonb
 *	 rex.entity(name text) -> jsonb, rex.entities() -> jsonb
 *	 rex.drop_entity(name text) -> jsonb
 *	 rex.plan() -> jsonb
 *	 rex.migrate(options jsonb default '{}') -> jsonb
 *	 rex.migration_status() -> jsonb
 *	 rex.validate(entity text, data jsonb) -> jsonb
 *	 rex.explain_constraint(name text) -> jsonb
 *	 rex.register_validator(name text, function text, message text) -> jsonb
 *	 rex.on(entity text, event text, function text) -> jsonb
 *	 rex.off(entity text, event text, function text) -> jsonb
 *	 rex.json_schema(entity text default null) -> jsonb
 *	 rex.graphql_schema() -> text, rex.typescript() -> text
 *	 (rex.hook_trigger() is in hooks_pg.c)
 *
 * Each wrapper connects to SPI, builds a rex_ctx whose memory lives in
 * the call's memory context, calls the core (common/rex_api.h), and turns
 * its status into a jsonb result or an ereport with the status's
 * SQLSTATE.  The functions are SECURITY INVOKER: the core's SQL runs with
 * the caller's rights.
 *
 * Settings: rex.schema -- the schema new entities' tables go to (default
 * public); it is recorded with each entity when it is defined.
 */
#include "rex_pg.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"

#include "rex_api.h"

PG_MODULE_MAGIC;

char	   *rex_pg_table_schema = NULL;

void		_PG_init(void);

void
_PG_init(void)
{
	rex_pg_init_json();
	DefineCustomStringVariable("rex.schema",
							   "Schema in which rex_orm creates the tables of new entities.",
							   "Recorded with each entity when define_entity() first sees it.",
							   &rex_pg_table_schema,
							   "public",
							   PGC_USERSET,
							   0,
							   NULL, NULL, NULL);
	MarkGUCPrefixReserved("rex");
}

/* One call: engine handle and core context. */
typedef struct pg_call
{
	struct rex_engine engine;
	rex_ctx    *ctx;
} pg_call;

static void
call_begin(pg_call *call)
{
	MemoryContext cxt = CurrentMemoryContext;

	memset(call, 0, sizeof(*call));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MemoryContextSwitchTo(cxt);
	call->engine.call_cxt = cxt;
	call->ctx = rex_ctx_new(&call->engine, &rex_dialect_pg);
	if (call->ctx == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	call->ctx->table_schema = rex_pg_table_schema;
}

/* Raises the core's error with its SQLSTATE. */
static void
raise_error(rex_ctx *ctx)
{
	const char *s = rex_error_sqlstate(ctx);

	ereport(ERROR,
			(errcode(MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4])),
			 errmsg("%s", ctx->err.message),
			 ctx->err.detail ? errdetail("%s", ctx->err.detail) : 0,
			 ctx->err.hint ? errhint("%s", ctx->err.hint) : 0));
}

/* Finishes a call that answers JSON: jsonb, or the error raised. */
static Datum
call_end_jsonb(pg_call *call, rex_status st, const char *out)
{
	Datum		result;

	if (st != REX_OK)
		raise_error(call->ctx);
	SPI_finish();
	result = DirectFunctionCall1(jsonb_in, CStringGetDatum(out));
	rex_ctx_free(call->ctx);
	return result;
}

/* A required text argument. */
static char *
arg_text(FunctionCallInfo fcinfo, int i, const char *what)
{
	if (PG_ARGISNULL(i))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", what)));
	return text_to_cstring(PG_GETARG_TEXT_PP(i));
}

/* A jsonb argument as JSON text; NULL when SQL NULL and not required. */
static char *
arg_json(FunctionCallInfo fcinfo, int i, const char *what,
		 bool required)
{
	Jsonb	   *jb;

	if (PG_ARGISNULL(i))
	{
		if (required)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be null", what)));
		return NULL;
	}
	jb = PG_GETARG_JSONB_P(i);
	return JsonbToCString(NULL, &jb->root, VARSIZE(jb));
}

PG_FUNCTION_INFO_V1(rex_pg_version);
Datum
rex_pg_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(rex_api_version()));
}

PG_FUNCTION_INFO_V1(rex_pg_define_entity);
Datum
rex_pg_define_entity(PG_FUNCTION_ARGS)
{
	char	   *name = arg_text(fcinfo, 0, "name");
	char	   *def = arg_json(fcinfo, 1, "definition", true);
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_define_entity(call.ctx, name, def, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_entity);
Datum
rex_pg_entity(PG_FUNCTION_ARGS)
{
	char	   *name = arg_text(fcinfo, 0, "name");
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_entity(call.ctx, name, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_entities);
Datum
rex_pg_entities(PG_FUNCTION_ARGS)
{
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_entities(call.ctx, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_drop_entity);
Datum
rex_pg_drop_entity(PG_FUNCTION_ARGS)
{
	char	   *name = arg_text(fcinfo, 0, "name");
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_drop_entity(call.ctx, name, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_plan);
Datum
rex_pg_plan(PG_FUNCTION_ARGS)
{
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_plan(call.ctx, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_migrate);
Datum
rex_pg_migrate(PG_FUNCTION_ARGS)
{
	char	   *opts = arg_json(fcinfo, 0, "options", false);
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_migrate(call.ctx, opts, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_migration_status);
Datum
rex_pg_migration_status(PG_FUNCTION_ARGS)
{
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_migration_status(call.ctx, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_validate);
Datum
rex_pg_validate(PG_FUNCTION_ARGS)
{
	char	   *entity = arg_text(fcinfo, 0, "entity");
	char	   *data = arg_json(fcinfo, 1, "data", true);
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_validate(call.ctx, entity, data, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_explain_constraint);
Datum
rex_pg_explain_constraint(PG_FUNCTION_ARGS)
{
	char	   *name = arg_text(fcinfo, 0, "name");
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_explain_constraint(call.ctx, name, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_register_validator);
Datum
rex_pg_register_validator(PG_FUNCTION_ARGS)
{
	char	   *name = arg_text(fcinfo, 0, "name");
	char	   *function = arg_text(fcinfo, 1, "function");
	char	   *message = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_register_validator(call.ctx, name, function, message, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

/* rex.on / rex.off */
static Datum
hook_call(FunctionCallInfo fcinfo, bool on)
{
	char	   *entity = arg_text(fcinfo, 0, "entity");
	char	   *event = arg_text(fcinfo, 1, "event");
	char	   *function = arg_text(fcinfo, 2, "function");
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = on ? rex_api_on(call.ctx, entity, event, function, &out)
		: rex_api_off(call.ctx, entity, event, function, &out);
	return call_end_jsonb(&call, st, out);
}

PG_FUNCTION_INFO_V1(rex_pg_on);
Datum
rex_pg_on(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(hook_call(fcinfo, true));
}

PG_FUNCTION_INFO_V1(rex_pg_off);
Datum
rex_pg_off(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(hook_call(fcinfo, false));
}

/*
 * Generated schemas: rex.json_schema(entity text default null) -> jsonb,
 * rex.graphql_schema() -> text, rex.typescript() -> text.
 */
static Datum
call_end_text(pg_call *call, rex_status st, const char *out)
{
	text	   *result;

	if (st != REX_OK)
		raise_error(call->ctx);
	SPI_finish();
	result = cstring_to_text(out);
	rex_ctx_free(call->ctx);
	return PointerGetDatum(result);
}

PG_FUNCTION_INFO_V1(rex_pg_json_schema);
Datum
rex_pg_json_schema(PG_FUNCTION_ARGS)
{
	char	   *entity = PG_ARGISNULL(0) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(0));
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_json_schema(call.ctx, entity, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_graphql_schema);
Datum
rex_pg_graphql_schema(PG_FUNCTION_ARGS)
{
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_graphql_schema(call.ctx, &out);
	PG_RETURN_DATUM(call_end_text(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_typescript);
Datum
rex_pg_typescript(PG_FUNCTION_ARGS)
{
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_typescript(call.ctx, &out);
	PG_RETURN_DATUM(call_end_text(&call, st, out));
}
