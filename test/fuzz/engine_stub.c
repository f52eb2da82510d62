/*
 * engine_stub.c
 *		The engine seam (rex_engine.h) for the fuzz targets: no database.
 *
 * The parsers under test never write; the targets link the whole core
 * so that every parser sees the real definition model.  A query answers
 * no rows (an empty catalog: no hooks, no validators); every other engine
 * call is an internal error, so code that tried to change a database
 * would be noticed.
 */
#include "rex_engine.h"

static rex_status
no_engine(rex_ctx *ctx)
{
	return rex_error_set(ctx, REX_ERR_INTERNAL, "no database in a fuzz target");
}

rex_status
rex_engine_query(rex_ctx *ctx, const char *sql, int nparams, const rex_value *params,
				 rex_result **res)
{
	(void) sql;
	(void) nparams;
	(void) params;
	if (res)
	{
		*res = rex_alloc0(ctx, sizeof(rex_result));
		if (*res == NULL)
			return ctx->err.status;
	}
	return REX_OK;
}

rex_status
rex_engine_savepoint(rex_ctx *ctx)
{
	return no_engine(ctx);
}

rex_status
rex_engine_release(rex_ctx *ctx)
{
	return no_engine(ctx);
}

rex_status
rex_engine_rollback_to(rex_ctx *ctx)
{
	return no_engine(ctx);
}

rex_status
rex_engine_lock(rex_ctx *ctx, int timeout_ms, bool *own_txn)
{
	(void) timeout_ms;
	*own_txn = false;
	return no_engine(ctx);
}

rex_status
rex_engine_unlock(rex_ctx *ctx, bool own_txn, bool ok)
{
	(void) own_txn;
	(void) ok;
	return no_engine(ctx);
}

bool
rex_engine_in_user_txn(rex_ctx *ctx)
{
	(void) ctx;
	return false;
}

rex_status
rex_engine_catalog(rex_ctx *ctx, bool create, bool *exists)
{
	(void) create;
	*exists = false;
	return no_engine(ctx);
}
