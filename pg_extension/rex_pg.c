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
 *	 rex.add_migration(version text, up text, down text default null) -> jsonb
 *	 rex.rollback(to_version text default null) -> jsonb
 *	 rex.repair(version text default null) -> jsonb
 *	 rex.baseline(options jsonb default '{}') -> jsonb
 *
 * Settings: rex.schema -- the schema new entities' tables go to (default
 * public); it is recorded with each entity when it is defined.
 * rex.log_level -- off (default), info (the SQL of every migration step
 * goes to the server log) or debug (every statement rex runs).
 */
#include "rex_pg.h"

#include "catalog/namespace.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"

#include "rex_api.h"

PG_MODULE_MAGIC;

char	   *rex_pg_table_schema = NULL;
int			rex_pg_log_level = 0;

static const struct config_enum_entry log_levels[] = {
	{"off", 0, false},
	{"info", 1, false},
	{"debug", 2, false},
	{NULL, 0, false}
};

void		_PG_init(void);

void
_PG_init(void)
{
	rex_pg_init_json();
	rex_pg_changes_init();
	DefineCustomStringVariable("rex.schema",
							   "Schema in which rex_orm creates the tables of new entities.",
							   "Recorded with each entity when define_entity() first sees it.",
							   &rex_pg_table_schema,
							   "public",
							   PGC_USERSET,
							   0,
							   NULL, NULL, NULL);
	DefineCustomEnumVariable("rex.log_level",
							 "Sends the SQL rex_orm runs to the server log.",
							 "off, info (the SQL of every migration step) or debug (every statement).",
							 &rex_pg_log_level,
							 0,
							 log_levels,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
	MarkGUCPrefixReserved("rex");
}

/* One call: engine handle and core context. */
typedef struct pg_call
{
	struct rex_engine engine;
	rex_ctx    *ctx;
	int			guc_nest;		/* > 0 when pin_search_path pinned it */
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
	call->ctx->log_level = rex_pg_log_level;
}

/*
 * migrate() and rollback() run the user's versioned scripts, which must
 * see the caller's search_path; so these two are declared without
 * "SET search_path" and pin it here instead, as fmgr would (a GUC nest
 * level, undone at the end of the call or by the error that ends it),
 * after keeping the caller's value for the scripts (engine_spi.c).
 */
static void
pin_search_path(pg_call *call)
{
	call->engine.caller_path = pstrdup(namespace_search_path);
	call->guc_nest = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
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
	if (call->guc_nest > 0)
		AtEOXact_GUC(true, call->guc_nest);
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
	pin_search_path(&call);
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

/* An optional text argument: NULL when SQL NULL. */
static char *
arg_text_opt(FunctionCallInfo fcinfo, int i)
{
	if (PG_NARGS() <= i || PG_ARGISNULL(i))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(i));
}

PG_FUNCTION_INFO_V1(rex_pg_add_migration);
Datum
rex_pg_add_migration(PG_FUNCTION_ARGS)
{
	char	   *version = arg_text(fcinfo, 0, "version");
	char	   *up = arg_text(fcinfo, 1, "up");
	char	   *down = arg_text_opt(fcinfo, 2);
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_add_migration(call.ctx, version, up, down, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_rollback);
Datum
rex_pg_rollback(PG_FUNCTION_ARGS)
{
	char	   *to = arg_text_opt(fcinfo, 0);
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	pin_search_path(&call);
	st = rex_api_rollback(call.ctx, to, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_repair);
Datum
rex_pg_repair(PG_FUNCTION_ARGS)
{
	char	   *version = arg_text_opt(fcinfo, 0);
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_repair(call.ctx, version, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
}

PG_FUNCTION_INFO_V1(rex_pg_baseline);
Datum
rex_pg_baseline(PG_FUNCTION_ARGS)
{
	char	   *opts = arg_json(fcinfo, 0, "options", false);
	const char *out = NULL;
	pg_call		call;
	rex_status	st;

	call_begin(&call);
	st = rex_api_baseline(call.ctx, opts, &out);
	PG_RETURN_DATUM(call_end_jsonb(&call, st, out));
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
