/*
 * engine_spi.c
 *		The engine seam (rex_engine.h) on PostgreSQL, through SPI.
 *
 * The SQL-callable wrapper has connected to SPI before the core runs.
 * Statements run with SPI_execute_with_args, every value bound with a
 * type (text, int8, float8, bool, bytea); templates cast where a column
 * needs another type.  SPI leaves its own memory context current after
 * each call, so every function here switches back to the call's context
 * before it allocates anything the core will keep.
 *
 * Savepoints are internal subtransactions, as PL/pgSQL's exception blocks
 * use them.  Inside one, an error raised by a statement is caught, the
 * subtransaction rolled back and the error returned to the core as
 * REX_ERR_ENGINE with its SQLSTATE; outside any, errors propagate as
 * usual and abort the caller's statement.
 */
#include "rex_pg.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "rex_engine.h"
#include "rex_host.h"

/* Maps a core value to an SPI argument. */
static void
to_datum(const rex_value *v, Oid *type, Datum *datum, char *null)
{
	*null = ' ';
	switch (v->type)
	{
		case REX_V_NULL:
			*type = TEXTOID;
			*datum = (Datum) 0;
			*null = 'n';
			break;
		case REX_V_INT:
			*type = INT8OID;
			*datum = Int64GetDatum(v->i);
			break;
		case REX_V_REAL:
			*type = FLOAT8OID;
			*datum = Float8GetDatum(v->r);
			break;
		case REX_V_BOOL:
			*type = BOOLOID;
			*datum = BoolGetDatum(v->i != 0);
			break;
		case REX_V_TEXT:
			*type = TEXTOID;
			*datum = PointerGetDatum(cstring_to_text_with_len(v->s, (int) v->len));
			break;
		case REX_V_BLOB:
			{
				bytea	   *b = palloc(VARHDRSZ + v->len);

				SET_VARSIZE(b, VARHDRSZ + v->len);
				memcpy(VARDATA(b), v->s, v->len);
				*type = BYTEAOID;
				*datum = PointerGetDatum(b);
				break;
			}
	}
}

/* Copies one SPI cell into a core value, in the call's context. */
static void
from_datum(HeapTuple tup, TupleDesc desc, int col, rex_value *v)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);
	Oid			type = SPI_gettypeid(desc, col);

	memset(v, 0, sizeof(*v));
	if (isnull)
	{
		v->type = REX_V_NULL;
		return;
	}
	switch (type)
	{
		case INT2OID:
			v->type = REX_V_INT;
			v->i = DatumGetInt16(d);
			break;
		case INT4OID:
			v->type = REX_V_INT;
			v->i = DatumGetInt32(d);
			break;
		case INT8OID:
			v->type = REX_V_INT;
			v->i = DatumGetInt64(d);
			break;
		case FLOAT4OID:
			v->type = REX_V_REAL;
			v->r = DatumGetFloat4(d);
			break;
		case FLOAT8OID:
			v->type = REX_V_REAL;
			v->r = DatumGetFloat8(d);
			break;
		case BOOLOID:
			v->type = REX_V_BOOL;
			v->i = DatumGetBool(d) ? 1 : 0;
			break;
		case BYTEAOID:
			{
				bytea	   *b = DatumGetByteaPP(d);
				char	   *copy = palloc(VARSIZE_ANY_EXHDR(b) + 1);

				memcpy(copy, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
				copy[VARSIZE_ANY_EXHDR(b)] = '\0';
				v->type = REX_V_BLOB;
				v->s = copy;
				v->len = VARSIZE_ANY_EXHDR(b);
				break;
			}
		default:
			v->type = REX_V_TEXT;
			v->s = SPI_getvalue(tup, desc, col);
			v->len = strlen(v->s);
			break;
	}
}

/* Copies SPI_tuptable into a core result. */
static rex_status
copy_result(rex_ctx *ctx, rex_result **res)
{
	SPITupleTable *tt = SPI_tuptable;
	rex_result *r = rex_alloc0(ctx, sizeof(rex_result));
	uint64		i;
	int			c;

	if (r == NULL)
		return ctx->err.status;
	if (tt != NULL)
	{
		if (SPI_processed > (uint64) INT_MAX)
			return rex_error_set(ctx, REX_ERR_INTERNAL, "result too large");
		r->ncols = tt->tupdesc->natts;
		r->nrows = (int) SPI_processed;
		r->colnames = rex_alloc(ctx, sizeof(char *) * (size_t) (r->ncols + 1));
		r->cells = rex_alloc(ctx, sizeof(rex_value) * (size_t) (r->nrows * r->ncols + 1));
		if (r->colnames == NULL || r->cells == NULL)
			return ctx->err.status;
		for (c = 0; c < r->ncols; c++)
			r->colnames[c] = SPI_fname(tt->tupdesc, c + 1);
		for (i = 0; i < SPI_processed; i++)
			for (c = 0; c < r->ncols; c++)
				from_datum(tt->vals[i], tt->tupdesc, c + 1, &r->cells[i * r->ncols + c]);
		SPI_freetuptable(tt);
	}
	*res = r;
	return REX_OK;
}

/* Runs one SPI call; raises on error. */
static void
spi_run(const char *sql, int n, Oid *types, Datum *values, char *nulls, bool latest)
{
	int			rc;

	if (latest)
	{
		SPIPlanPtr	plan = SPI_prepare(sql, n, types);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		rc = SPI_execute_snapshot(plan, values, nulls, GetLatestSnapshot(),
								  InvalidSnapshot, false, false, 0);
	}
	else if (n > 0)
		rc = SPI_execute_with_args(sql, n, types, values, nulls, false, 0);
	else
		rc = SPI_execute(sql, false, 0);
	if (rc < 0)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
}

/*
 * Runs SQL a user wrote (a versioned script) with the caller's search_path
 * rather than rex's pinned one; the path is set back afterwards (and by
 * the subtransaction's rollback when the script fails).
 */
static void
spi_run_user(struct rex_engine *eng, const char *sql, int n, Oid *types, Datum *values,
			 char *nulls)
{
	set_config_option("search_path", eng->caller_path, PGC_USERSET, PGC_S_SESSION,
					  GUC_ACTION_LOCAL, true, 0, false);
	spi_run(sql, n, types, values, nulls, false);
	set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
					  GUC_ACTION_LOCAL, true, 0, false);
}

/* Records a caught error in the context. */
static rex_status
caught(rex_ctx *ctx, ErrorData *ed)
{
	const char *state = unpack_sql_state(ed->sqlerrcode);

	rex_error_set(ctx, REX_ERR_ENGINE, "%s", ed->message ? ed->message : "error");
	if (ed->detail)
		rex_error_detail(ctx, "%s", ed->detail);
	if (ed->hint)
		rex_error_hint(ctx, "%s", ed->hint);
	memcpy(ctx->err.sqlstate, state, 5);
	ctx->err.sqlstate[5] = '\0';
	return REX_ERR_ENGINE;
}

rex_status
rex_engine_query(rex_ctx *ctx, const char *sql, int nparams, const rex_value *params,
				 rex_result **res)
{
	struct rex_engine *eng = ctx->engine;
	Oid		   *types = palloc(sizeof(Oid) * (nparams + 1));
	Datum	   *values = palloc(sizeof(Datum) * (nparams + 1));
	char	   *nulls = palloc(nparams + 1);
	int			i;

	for (i = 0; i < nparams; i++)
		to_datum(&params[i], &types[i], &values[i], &nulls[i]);
	if (ctx->log_level >= 2)
		rex_host_log(REX_LOG_DEBUG, sql);
	CHECK_FOR_INTERRUPTS();
	if (eng->depth == 0)
	{
		spi_run(sql, nparams, types, values, nulls, eng->latest_snapshot);
		MemoryContextSwitchTo(eng->call_cxt);
	}
	else
	{
		PG_TRY();
		{
			if (ctx->user_sql && eng->caller_path)
				spi_run_user(eng, sql, nparams, types, values, nulls);
			else
				spi_run(sql, nparams, types, values, nulls, eng->latest_snapshot);
		}
		PG_CATCH();
		{
			ErrorData  *ed;

			MemoryContextSwitchTo(eng->call_cxt);
			ed = CopyErrorData();
			FlushErrorState();
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(eng->call_cxt);
			CurrentResourceOwner = eng->owners[eng->depth];
			eng->aborted[eng->depth] = true;
			return caught(ctx, ed);
		}
		PG_END_TRY();
		MemoryContextSwitchTo(eng->call_cxt);
	}
	if (res)
		return copy_result(ctx, res);
	if (SPI_tuptable)
		SPI_freetuptable(SPI_tuptable);
	return REX_OK;
}

rex_status
rex_engine_savepoint(rex_ctx *ctx)
{
	struct rex_engine *eng = ctx->engine;

	if (eng->depth >= REX_PG_MAX_SAVEPOINTS)
		return rex_error_set(ctx, REX_ERR_INTERNAL, "too many nested rex savepoints");
	eng->depth++;
	eng->owners[eng->depth] = CurrentResourceOwner;
	eng->aborted[eng->depth] = false;
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(eng->call_cxt);
	return REX_OK;
}

rex_status
rex_engine_release(rex_ctx *ctx)
{
	struct rex_engine *eng = ctx->engine;

	if (eng->depth == 0 || eng->aborted[eng->depth])
		return rex_error_set(ctx, REX_ERR_INTERNAL, "no rex savepoint to release");
	ReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(eng->call_cxt);
	CurrentResourceOwner = eng->owners[eng->depth];
	eng->depth--;
	return REX_OK;
}

rex_status
rex_engine_rollback_to(rex_ctx *ctx)
{
	struct rex_engine *eng = ctx->engine;

	if (eng->depth == 0)
		return rex_error_set(ctx, REX_ERR_INTERNAL, "no rex savepoint to roll back");
	if (!eng->aborted[eng->depth])
	{
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(eng->call_cxt);
		CurrentResourceOwner = eng->owners[eng->depth];
	}
	eng->depth--;
	return REX_OK;
}

/*
 * Polls pg_try_advisory_xact_lock with backoff (1 ms doubling to 100 ms)
 * until timeout_ms; never waits in the blocking pg_advisory_lock, which
 * can be chosen as a deadlock victim.  The lock lasts until the end of
 * the caller's transaction.
 */
rex_status
rex_engine_lock(rex_ctx *ctx, int timeout_ms, bool *own_txn)
{
	long		waited = 0;
	long		pause = 1;

	*own_txn = false;
	for (;;)
	{
		rex_result *res;
		rex_status	st = rex_engine_query(ctx,
										  "SELECT pg_catalog.pg_try_advisory_xact_lock("
										  "pg_catalog.hashtextextended('rex_orm.migrate', 0))",
										  0, NULL, &res);

		if (st != REX_OK)
			return st;
		if (rex_result_int(res, 0, 0))
			return REX_OK;
		if (waited >= timeout_ms)
			break;
		if (pause > timeout_ms - waited)
			pause = timeout_ms - waited;
		pg_usleep(pause * 1000L);
		CHECK_FOR_INTERRUPTS();
		waited += pause;
		pause = pause < 64 ? pause * 2 : 100;
	}
	rex_error_set(ctx, REX_ERR_BUSY, "migration lock not available: another migration is running");
	rex_error_detail(ctx, "Waited %d ms for the advisory lock.", timeout_ms);
	rex_error_hint(ctx, "Retry later, or raise {\"lock_timeout_ms\": ...}.");
	return REX_ERR_BUSY;
}

rex_status
rex_engine_unlock(rex_ctx *ctx, bool own_txn, bool ok)
{
	/* the transaction-level lock goes with the caller's transaction */
	(void) ctx;
	(void) own_txn;
	(void) ok;
	return REX_OK;
}

bool
rex_engine_in_user_txn(rex_ctx *ctx)
{
	(void) ctx;
	return true;
}

/* The catalog is created by CREATE EXTENSION; nothing to do here. */
rex_status
rex_engine_catalog(rex_ctx *ctx, bool create, bool *exists)
{
	(void) ctx;
	(void) create;
	*exists = true;
	return REX_OK;
}
