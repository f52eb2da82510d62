/*
 * rex_sqlite.c
 *		Entry point of the SQLite module and its SQL functions.
 *
 * Loaded with ".load ./rex_orm" (entry point sqlite3_rexorm_init: SQLite
 * keeps only the letters of the file name).  Registers, from one table:
 *
 *	 rex_version()								pure
 *	 rex_entity(name), rex_entities(),			read the catalog
 *	 rex_plan(), rex_migration_status()
 *	 rex_define_entity(name, definition),		write: SQLITE_DIRECTONLY,
 *	 rex_drop_entity(name),						so that no trigger or view
 *	 rex_migrate([options])						can run them
 *	 rex_validate(entity, data),				read the catalog; may call the
 *	 rex_explain_constraint(name)				application's validator functions
 *	 rex_register_validator(name, function [, message])	write: SQLITE_DIRECTONLY
 *	 rex_on(entity, event, function),			write: SQLITE_DIRECTONLY
 *	 rex_off(entity, event, function)
 *	 rex_add_migration(version, up[, down]),
 *	 rex_rollback([to_version]), rex_repair([version]),
 *	 rex_baseline([options])
 *	 rex_config(key[, value])					per-connection settings
 *												(log_level: off, info, debug)
 *	 rex_json_schema([entity]), rex_graphql_schema(),	read the catalog
 *	 rex_typescript()
 *
 * Each function is a thin wrapper: it makes a rex_ctx for the call, calls
 * the core (common/rex_api.h) and turns the status into a result or into
 * sqlite3_result_error + a result code.  JSON goes in and out as TEXT.
 * Nothing is written at load time; the catalog is created by the first
 * function that writes.
 */
#include "rex_sqlite.h"
SQLITE_EXTENSION_INIT1

#include "rex_api.h"

#include <string.h>

#define FLAGS_PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)
#define FLAGS_READ (SQLITE_UTF8)
#define FLAGS_WRITE (SQLITE_UTF8 | SQLITE_DIRECTONLY)

/* One call: the engine handle and the core context. */
typedef struct rex_call
{
	struct rex_engine engine;
	rex_ctx    *ctx;
	const char *fname;
	bool		atomic;			/* inside SAVEPOINT rex_call */
} rex_call;

static bool
call_begin(sqlite3_context *c, rex_call *call, const char *fname)
{
	rex_sqlite_conn *conn = sqlite3_user_data(c);

	memset(call, 0, sizeof(*call));
	call->engine.db = conn->db;
	call->engine.conn = conn;
	call->fname = fname;
	call->ctx = rex_ctx_new(&call->engine, &rex_dialect_sqlite);
	if (call->ctx == NULL)
	{
		sqlite3_result_error_nomem(c);
		return false;
	}
	call->ctx->log_level = conn->log_level;
	return true;
}

/*
 * Makes a writing call atomic, as every statement is on PostgreSQL: its
 * writes happen inside SAVEPOINT rex_call, released on success and rolled
 * back on error, so a refused call leaves nothing behind.  (migrate()
 * manages its own transaction and does not use this.)
 */
static bool
call_begin_atomic(sqlite3_context *c, rex_call *call, const char *fname)
{
	int			rc;

	if (!call_begin(c, call, fname))
		return false;
	rc = sqlite3_exec(call->engine.db, "SAVEPOINT rex_call", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
	{
		sqlite3_result_error(c, sqlite3_errmsg(call->engine.db), -1);
		sqlite3_result_error_code(c, rc);
		rex_ctx_free(call->ctx);
		return false;
	}
	call->atomic = true;
	return true;
}

/* The SQLite result code for a core status. */
static int
result_code(const rex_ctx *ctx)
{
	switch (ctx->err.status)
	{
		case REX_ERR_VALIDATION:
			return SQLITE_CONSTRAINT;
		case REX_ERR_BUSY:
			return SQLITE_BUSY;
		case REX_ERR_NOMEM:
			return SQLITE_NOMEM;
		case REX_ERR_ENGINE:
			return ctx->err.engine_code ? ctx->err.engine_code : SQLITE_ERROR;
		default:
			return SQLITE_ERROR;
	}
}

/* Sets the function's result from the core's answer and frees the call. */
static void
call_end(sqlite3_context *c, rex_call *call, rex_status st, const char *out)
{
	rex_ctx    *ctx = call->ctx;

	if (call->atomic)
		sqlite3_exec(call->engine.db, st == REX_OK ? "RELEASE rex_call" :
					 "ROLLBACK TO rex_call; RELEASE rex_call", NULL, NULL, NULL);
	if (st == REX_OK)
		sqlite3_result_text(c, out, -1, SQLITE_TRANSIENT);
	else if (st == REX_ERR_NOMEM)
		sqlite3_result_error_nomem(c);
	else
	{
		char	   *msg = sqlite3_mprintf("rex: %s%s%s%s%s", ctx->err.message,
										  ctx->err.detail ? "\nDETAIL: " : "",
										  ctx->err.detail ? ctx->err.detail : "",
										  ctx->err.hint ? "\nHINT: " : "",
										  ctx->err.hint ? ctx->err.hint : "");

		if (msg == NULL)
			sqlite3_result_error_nomem(c);
		else
		{
			sqlite3_result_error(c, msg, -1);
			sqlite3_result_error_code(c, result_code(ctx));
			sqlite3_free(msg);
		}
	}
	rex_ctx_free(ctx);
}

/*
 * Text of argument i; NULL (and an error result) when it is SQL NULL and
 * 'required' is set.
 */
static const char *
arg_text(sqlite3_context *c, rex_call *call, sqlite3_value **argv, int i,
		 const char *what, bool required)
{
	const char *s = (const char *) sqlite3_value_text(argv[i]);
	const char *problem = NULL;

	if (s == NULL && required)
		problem = "must not be null";
	else if (s && strlen(s) != (size_t) sqlite3_value_bytes(argv[i]))
		problem = "contains a NUL character";	/* PostgreSQL's text cannot */
	if (problem)
	{
		char	   *msg = sqlite3_mprintf("rex: %s %s", what, problem);

		sqlite3_result_error(c, msg ? msg : "rex: invalid argument", -1);
		sqlite3_free(msg);
		if (call->atomic)
			sqlite3_exec(call->engine.db, "RELEASE rex_call", NULL, NULL, NULL);
		rex_ctx_free(call->ctx);
		return NULL;
	}
	return s;
}

static void
fn_version(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void) argc;
	(void) argv;
	sqlite3_result_text(c, rex_api_version(), -1, SQLITE_STATIC);
}

static void
fn_define_entity(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *name,
			   *def,
			   *out = NULL;

	(void) argc;
	if (!call_begin_atomic(c, &call, "rex_define_entity") ||
		!(name = arg_text(c, &call, argv, 0, "name", true)) ||
		!(def = arg_text(c, &call, argv, 1, "definition", true)))
		return;
	st = rex_api_define_entity(call.ctx, name, def, &out);
	call_end(c, &call, st, out);
}

static void
fn_entity(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *name,
			   *out = NULL;

	(void) argc;
	if (!call_begin(c, &call, "rex_entity") ||
		!(name = arg_text(c, &call, argv, 0, "name", true)))
		return;
	st = rex_api_entity(call.ctx, name, &out);
	call_end(c, &call, st, out);
}

static void
fn_entities(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *out = NULL;

	(void) argc;
	(void) argv;
	if (!call_begin(c, &call, "rex_entities"))
		return;
	st = rex_api_entities(call.ctx, &out);
	call_end(c, &call, st, out);
}

static void
fn_drop_entity(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *name,
			   *out = NULL;

	(void) argc;
	if (!call_begin_atomic(c, &call, "rex_drop_entity") ||
		!(name = arg_text(c, &call, argv, 0, "name", true)))
		return;
	st = rex_api_drop_entity(call.ctx, name, &out);
	call_end(c, &call, st, out);
}

static void
fn_plan(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *out = NULL;

	(void) argc;
	(void) argv;
	if (!call_begin(c, &call, "rex_plan"))
		return;
	st = rex_api_plan(call.ctx, &out);
	call_end(c, &call, st, out);
}

static void
fn_migrate(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *opts = NULL,
			   *out = NULL;

	if (!call_begin(c, &call, "rex_migrate"))
		return;
	if (argc > 0 && sqlite3_value_type(argv[0]) != SQLITE_NULL &&
		!(opts = arg_text(c, &call, argv, 0, "options", false)))
		return;
	st = rex_api_migrate(call.ctx, opts, &out);
	call_end(c, &call, st, out);
}

static void
fn_migration_status(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *out = NULL;

	(void) argc;
	(void) argv;
	if (!call_begin(c, &call, "rex_migration_status"))
		return;
	st = rex_api_migration_status(call.ctx, &out);
	call_end(c, &call, st, out);
}

static void
fn_validate(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *entity,
			   *data,
			   *out = NULL;

	(void) argc;
	if (!call_begin(c, &call, "rex_validate") ||
		!(entity = arg_text(c, &call, argv, 0, "entity", true)) ||
		!(data = arg_text(c, &call, argv, 1, "data", true)))
		return;
	st = rex_api_validate(call.ctx, entity, data, &out);
	call_end(c, &call, st, out);
}

static void
fn_explain_constraint(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *name,
			   *out = NULL;

	(void) argc;
	if (!call_begin(c, &call, "rex_explain_constraint") ||
		!(name = arg_text(c, &call, argv, 0, "name", true)))
		return;
	st = rex_api_explain_constraint(call.ctx, name, &out);
	call_end(c, &call, st, out);
}

static void
fn_register_validator(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *name,
			   *function,
			   *message = NULL,
			   *out = NULL;

	if (!call_begin_atomic(c, &call, "rex_register_validator") ||
		!(name = arg_text(c, &call, argv, 0, "name", true)) ||
		!(function = arg_text(c, &call, argv, 1, "function", true)))
		return;
	if (argc > 2)
		message = arg_text(c, &call, argv, 2, "message", false);
	st = rex_api_register_validator(call.ctx, name, function, message, &out);
	call_end(c, &call, st, out);
}

/* rex_on / rex_off: the user data says which. */
static void
hook_call(sqlite3_context *c, sqlite3_value **argv, bool on)
{
	rex_call	call;
	rex_status	st;
	const char *entity,
			   *event,
			   *function,
			   *out = NULL;

	if (!call_begin_atomic(c, &call, on ? "rex_on" : "rex_off") ||
		!(entity = arg_text(c, &call, argv, 0, "entity", true)) ||
		!(event = arg_text(c, &call, argv, 1, "event", true)) ||
		!(function = arg_text(c, &call, argv, 2, "function", true)))
		return;
	st = on ? rex_api_on(call.ctx, entity, event, function, &out)
		: rex_api_off(call.ctx, entity, event, function, &out);
	call_end(c, &call, st, out);
}

static void
fn_on(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void) argc;
	hook_call(c, argv, true);
}

static void
fn_off(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void) argc;
	hook_call(c, argv, false);
}

static void
fn_add_migration(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *version,
			   *up,
			   *down = NULL,
			   *out = NULL;

	if (!call_begin_atomic(c, &call, "rex_add_migration") ||
		!(version = arg_text(c, &call, argv, 0, "version", true)) ||
		!(up = arg_text(c, &call, argv, 1, "up", true)))
		return;
	if (argc > 2)
		down = arg_text(c, &call, argv, 2, "down", false);
	st = rex_api_add_migration(call.ctx, version, up, down, &out);
	call_end(c, &call, st, out);
}

static void
fn_rollback(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *to = NULL,
			   *out = NULL;

	if (!call_begin(c, &call, "rex_rollback"))
		return;
	if (argc > 0)
		to = arg_text(c, &call, argv, 0, "to_version", false);
	st = rex_api_rollback(call.ctx, to, &out);
	call_end(c, &call, st, out);
}

static void
fn_repair(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *version = NULL,
			   *out = NULL;

	if (!call_begin(c, &call, "rex_repair"))
		return;
	if (argc > 0)
		version = arg_text(c, &call, argv, 0, "version", false);
	st = rex_api_repair(call.ctx, version, &out);
	call_end(c, &call, st, out);
}

static void
fn_baseline(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *opts = NULL,
			   *out = NULL;

	if (!call_begin(c, &call, "rex_baseline"))
		return;
	if (argc > 0)
		opts = arg_text(c, &call, argv, 0, "options", false);
	st = rex_api_baseline(call.ctx, opts, &out);
	call_end(c, &call, st, out);
}

/* Per-connection settings: rex_config('log_level'[, 'off'|'info'|'debug']). */
static void
fn_config(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	static const char *const levels[] = {"off", "info", "debug"};
	rex_sqlite_conn *conn = sqlite3_user_data(c);
	const char *key = (const char *) sqlite3_value_text(argv[0]);
	int			i;

	if (key == NULL || sqlite3_stricmp(key, "log_level") != 0)
	{
		char	   *msg = sqlite3_mprintf("rex: unknown setting \"%s\"\nHINT: Settings: log_level.",
										  key ? key : "(null)");

		sqlite3_result_error(c, msg ? msg : "rex: unknown setting", -1);
		sqlite3_free(msg);
		return;
	}
	if (argc > 1)
	{
		const char *v = (const char *) sqlite3_value_text(argv[1]);

		for (i = 0; i < 3; i++)
			if (v && sqlite3_stricmp(v, levels[i]) == 0)
				break;
		if (i == 3)
		{
			char	   *msg = sqlite3_mprintf("rex: invalid value for log_level: \"%s\"\n"
											  "HINT: Accepted values: off, info, debug.",
											  v ? v : "(null)");

			sqlite3_result_error(c, msg ? msg : "rex: invalid value", -1);
			sqlite3_free(msg);
			return;
		}
		conn->log_level = i;
	}
	sqlite3_result_text(c, levels[conn->log_level], -1, SQLITE_STATIC);
}

/* rex_json_schema([entity]) */
static void
fn_json_schema(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	rex_call	call;
	rex_status	st;
	const char *entity = NULL,
			   *out = NULL;

	if (!call_begin(c, &call, "rex_json_schema"))
		return;
	if (argc > 0 && sqlite3_value_type(argv[0]) != SQLITE_NULL &&
		!(entity = arg_text(c, &call, argv, 0, "entity", false)))
		return;
	st = rex_api_json_schema(call.ctx, entity, &out);
	call_end(c, &call, st, out);
}

/* rex_graphql_schema(), rex_typescript(): the user data says which. */
static void
schema_text(sqlite3_context *c, bool graphql)
{
	rex_call	call;
	rex_status	st;
	const char *out = NULL;

	if (!call_begin(c, &call, graphql ? "rex_graphql_schema" : "rex_typescript"))
		return;
	st = graphql ? rex_api_graphql_schema(call.ctx, &out) : rex_api_typescript(call.ctx, &out);
	call_end(c, &call, st, out);
}

static void
fn_graphql_schema(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void) argc;
	(void) argv;
	schema_text(c, true);
}

static void
fn_typescript(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void) argc;
	(void) argv;
	schema_text(c, false);
}

static const struct
{
	const char *name;
	int			nargs;
	int			flags;
	void		(*fn) (sqlite3_context *, int, sqlite3_value **);
}			functions[] =
{
	{"rex_version", 0, FLAGS_PURE, fn_version},
	{"rex_define_entity", 2, FLAGS_WRITE, fn_define_entity},
	{"rex_entity", 1, FLAGS_READ, fn_entity},
	{"rex_entities", 0, FLAGS_READ, fn_entities},
	{"rex_drop_entity", 1, FLAGS_WRITE, fn_drop_entity},
	{"rex_plan", 0, FLAGS_READ, fn_plan},
	{"rex_migrate", 0, FLAGS_WRITE, fn_migrate},
	{"rex_migrate", 1, FLAGS_WRITE, fn_migrate},
	{"rex_migration_status", 0, FLAGS_READ, fn_migration_status},
	{"rex_validate", 2, FLAGS_READ, fn_validate},
	{"rex_explain_constraint", 1, FLAGS_READ, fn_explain_constraint},
	{"rex_register_validator", 2, FLAGS_WRITE, fn_register_validator},
	{"rex_register_validator", 3, FLAGS_WRITE, fn_register_validator},
	{"rex_on", 3, FLAGS_WRITE, fn_on},
	{"rex_off", 3, FLAGS_WRITE, fn_off},
	{"rex_add_migration", 2, FLAGS_WRITE, fn_add_migration},
	{"rex_add_migration", 3, FLAGS_WRITE, fn_add_migration},
	{"rex_rollback", 0, FLAGS_WRITE, fn_rollback},
	{"rex_rollback", 1, FLAGS_WRITE, fn_rollback},
	{"rex_repair", 0, FLAGS_WRITE, fn_repair},
	{"rex_repair", 1, FLAGS_WRITE, fn_repair},
	{"rex_baseline", 0, FLAGS_WRITE, fn_baseline},
	{"rex_baseline", 1, FLAGS_WRITE, fn_baseline},
	{"rex_config", 1, FLAGS_WRITE, fn_config},
	{"rex_config", 2, FLAGS_WRITE, fn_config},
	{"rex_json_schema", 0, FLAGS_READ, fn_json_schema},
	{"rex_json_schema", 1, FLAGS_READ, fn_json_schema},
	{"rex_graphql_schema", 0, FLAGS_READ, fn_graphql_schema},
	{"rex_typescript", 0, FLAGS_READ, fn_typescript},
};

/* Drops one reference to the connection state; frees it with the last. */
static void
conn_release(void *p)
{
	rex_sqlite_conn *conn = p;

	if (--conn->refcount == 0)
		sqlite3_free(conn);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
__attribute__((visibility("default"))) int
sqlite3_rexorm_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi)
{
	rex_sqlite_conn *conn;
	size_t		i;
	int			rc = SQLITE_OK;

	SQLITE_EXTENSION_INIT2(pApi);
	conn = sqlite3_malloc(sizeof(*conn));
	if (conn == NULL)
		return SQLITE_NOMEM;
	conn->db = db;
	conn->log_level = 0;
	conn->refcount = 1;			/* held by this function until the end */
	for (i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
	{
		conn->refcount++;
		rc = sqlite3_create_function_v2(db, functions[i].name, functions[i].nargs,
										functions[i].flags, conn, functions[i].fn,
										NULL, NULL, conn_release);
		if (rc != SQLITE_OK)
		{
			/* on failure SQLite has already called conn_release */
			if (pzErrMsg)
				*pzErrMsg = sqlite3_mprintf("rex: cannot register %s: %s",
											functions[i].name, sqlite3_errmsg(db));
			break;
		}
	}
	conn_release(conn);
	/*
	 * Foreign keys rex declares are enforced only with this pragma on; it
	 * is per connection, off by default, and a no-op inside a transaction.
	 */
	if (rc == SQLITE_OK && sqlite3_get_autocommit(db))
		rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK && pzErrMsg && *pzErrMsg == NULL)
		*pzErrMsg = sqlite3_mprintf("rex: cannot turn foreign keys on: %s", sqlite3_errmsg(db));
	if (rc == SQLITE_OK)
		rc = rex_sqlite_changes_init(db, pzErrMsg);
	return rc;
}
