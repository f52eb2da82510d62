/*
 * changes_pg.c
 *		The change feed on PostgreSQL: the gap-free reading horizon,
 *		changes_since and prune_changes.
 *
 * SQL functions (declared in sql/rex_orm--0.1.0.sql):
 *	 rex.changes_since(cursor bigint, entities text[] default null,
 *					   "limit" integer default 1000) -> setof jsonb
 *	 rex.prune_changes(before_id bigint default null) -> jsonb
 *
 * The horizon.  Ids come from a sequence, so a transaction that took its
 * ids early may commit after one that took later ids; a reader that moved
 * its cursor past the later ones would never see the early ones.  So
 * before its first id, each writing transaction registers, in the lock
 * table, a lower bound of the ids it will take (a transaction-level
 * advisory lock in share mode, key = the sequence's last value, objsubid
 * 3), which goes away when it commits or aborts.  A reader reads the
 * sequence (S), then the lock table, and hands out only ids below
 * H = min(S, every registered bound) + 1, reading them with a snapshot
 * taken after the lock table: every id below H belongs to a transaction
 * that has ended, so whatever a later reader can see below H, this one
 * saw too.  A reader that resumes from the last id it got never misses
 * nor repeats a committed change.  A long transaction holds H back (its
 * events and every later one wait for it), never the writers.
 */
#include "rex_pg.h"
#include "changes_pg.h"

#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "common/base64.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
#include "utils/xid8.h"

#include "changes_capture.h"

#include <math.h>

/* objsubid of rex's advisory locks (user advisory locks use 1 and 2). */
#define REX_LOCK_HORIZON 3
#define REX_LOCK_NOTIFIER 4

/* ---------------------------------------------------------------- */
/* the horizon */

/*
 * OIDs of rex.changes and its sequence, looked up once per backend and
 * forgotten on any relcache invalidation of either (DROP EXTENSION and
 * CREATE EXTENSION again give new ones).
 */
static Oid	cached_changes_oid = InvalidOid;
static Oid	cached_seq_oid = InvalidOid;

static void
changes_oid_inval(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == cached_changes_oid || relid == cached_seq_oid)
		cached_changes_oid = cached_seq_oid = InvalidOid;
}

void
rex_pg_changes_oids(Oid *rel, Oid *seq)
{
	if (!OidIsValid(cached_changes_oid) || !OidIsValid(cached_seq_oid))
	{
		Oid			ns = get_namespace_oid("rex", false);

		cached_changes_oid = get_relname_relid("changes", ns);
		cached_seq_oid = get_relname_relid("changes_id_seq", ns);
		if (!OidIsValid(cached_changes_oid) || !OidIsValid(cached_seq_oid))
		{
			cached_changes_oid = cached_seq_oid = InvalidOid;
			elog(ERROR, "rex.changes or rex.changes_id_seq does not exist");
		}
	}
	if (rel)
		*rel = cached_changes_oid;
	if (seq)
		*seq = cached_seq_oid;
}

static Oid
changes_seq_oid(void)
{
	Oid			seq;

	rex_pg_changes_oids(NULL, &seq);
	return seq;
}

/* The sequence's last value (0 before the first id). */
static int64
seq_last_value(Oid seq)
{
	LOCAL_FCINFO(fcinfo, 1);
	Datum		d;

	InitFunctionCallInfoData(*fcinfo, NULL, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = ObjectIdGetDatum(seq);
	fcinfo->args[0].isnull = false;
	d = pg_sequence_last_value(fcinfo);
	return fcinfo->isnull ? 0 : DatumGetInt64(d);
}

static void
horizon_tag(LOCKTAG *tag, int64 bound)
{
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, (uint32) ((uint64) bound >> 32),
						 (uint32) bound, REX_LOCK_HORIZON);
}

/* This backend's registration: the transaction and its lock. */
static FullTransactionId registered_fxid;
static LOCKTAG registered_tag;

/* The last id this backend took, and when (see rex_pg_register_writer). */
static int64 last_id_taken = 0;
static TimestampTz last_id_time = 0;

void
rex_pg_note_id(int64 id)
{
	last_id_taken = id;
	last_id_time = GetCurrentStatementStartTimestamp();
}

/*
 * Makes sure this transaction has registered a lower bound of its ids
 * before it takes one.  A registration made in a subtransaction that
 * rolled back is gone with its lock: register again.
 */
void
rex_pg_register_writer(Oid seq)
{
	FullTransactionId fxid = GetTopFullTransactionId();
	int64		bound;

	if (FullTransactionIdEquals(fxid, registered_fxid) &&
		LockHeldByMe(&registered_tag, ShareLock))
		return;

	/*
	 * Any lower bound is correct; a tight one lets readers go on past the
	 * events of other transactions while this one runs.  The id this
	 * backend took last is one, and tight when it is recent (a busy
	 * writer); otherwise read the sequence.
	 */
	if (last_id_taken > 0 &&
		!TimestampDifferenceExceeds(last_id_time, GetCurrentStatementStartTimestamp(), 100))
		bound = last_id_taken;
	else
		bound = seq_last_value(seq);
	horizon_tag(&registered_tag, bound);
	(void) LockAcquire(&registered_tag, ShareLock, false, false);
	registered_fxid = fxid;
}

/*
 * The horizon: every id below it belongs to a transaction that has ended.
 * Read the sequence first, then the lock table; the caller must read the
 * log with a snapshot taken after this.
 */
int64
rex_pg_changes_horizon(void)
{
	int64		h = seq_last_value(changes_seq_oid());
	LockData   *ld = GetLockStatusData();
	int			i;

	for (i = 0; i < ld->nelements; i++)
	{
		LOCKTAG    *t = &ld->locks[i].locktag;
		int64		bound;

		if (t->locktag_type != LOCKTAG_ADVISORY || t->locktag_field4 != REX_LOCK_HORIZON ||
			t->locktag_field1 != MyDatabaseId)
			continue;
		bound = (int64) (((uint64) t->locktag_field2 << 32) | t->locktag_field3);
		if (bound < h)
			h = bound;
	}
	return h + 1;
}

/* ---------------------------------------------------------------- */
/* SQL functions */

/* Raises the core's error with its SQLSTATE. */
static void
changes_raise(rex_ctx *ctx)
{
	const char *s = rex_error_sqlstate(ctx);

	ereport(ERROR,
			(errcode(MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4])),
			 errmsg("%s", ctx->err.message),
			 ctx->err.detail ? errdetail("%s", ctx->err.detail) : 0,
			 ctx->err.hint ? errhint("%s", ctx->err.hint) : 0));
}

/* Connects to SPI and makes a core context in the call's memory. */
static rex_ctx *
changes_call_begin(struct rex_engine *eng)
{
	MemoryContext cxt = CurrentMemoryContext;
	rex_ctx    *ctx;

	memset(eng, 0, sizeof(*eng));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MemoryContextSwitchTo(cxt);
	eng->call_cxt = cxt;
	ctx = rex_ctx_new(eng, &rex_dialect_pg);
	if (ctx == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	ctx->table_schema = rex_pg_table_schema;
	return ctx;
}

/* A text[] as the JSON text of an array of strings; NULL for NULL. */
static char *
names_to_json(ArrayType *arr)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	StringInfoData buf;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
							errmsg("rex.changes_since: entities must not contain null")));
		if (i)
			appendStringInfoChar(&buf, ',');
		escape_json(&buf, TextDatumGetCString(elems[i]));
	}
	appendStringInfoChar(&buf, ']');
	return buf.data;
}

#pragma GCC visibility push(default)

PG_FUNCTION_INFO_V1(rex_pg_changes_since);
Datum
rex_pg_changes_since(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	struct rex_engine eng;
	rex_ctx    *ctx;
	char	   *entities = NULL;
	int64		cursor,
				limit,
				horizon;
	const char **events;
	int			n,
				i;
	rex_status	st;

	if (PG_ARGISNULL(0))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("rex.changes_since: cursor must not be null"),
						errhint("Start with 0, then pass the id of the last event you handled.")));
	cursor = PG_GETARG_INT64(0);
	if (!PG_ARGISNULL(1))
		entities = names_to_json(PG_GETARG_ARRAYTYPE_P(1));
	limit = PG_ARGISNULL(2) ? 1000 : PG_GETARG_INT32(2);
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC | MAT_SRF_BLESS);
	ctx = changes_call_begin(&eng);
	/* the horizon first; then the rows, with a snapshot taken after it */
	horizon = rex_pg_changes_horizon();
	eng.latest_snapshot = true;
	st = rex_changes_since(ctx, cursor, entities, limit, horizon, &events, &n);
	if (st != REX_OK)
		changes_raise(ctx);
	SPI_finish();
	for (i = 0; i < n; i++)
	{
		Datum		v = DirectFunctionCall1(jsonb_in, CStringGetDatum(events[i]));
		bool		isnull = false;

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &v, &isnull);
	}
	rex_ctx_free(ctx);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(rex_pg_prune_changes);
Datum
rex_pg_prune_changes(PG_FUNCTION_ARGS)
{
	struct rex_engine eng;
	rex_ctx    *ctx = changes_call_begin(&eng);
	int64		before = PG_ARGISNULL(0) ? -1 : PG_GETARG_INT64(0);
	const char *text;
	Datum		result;

	if (!PG_ARGISNULL(0) && before < 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("rex.prune_changes: before_id must not be negative")));
	if (rex_changes_prune(ctx, before, &text) != REX_OK)
		changes_raise(ctx);
	SPI_finish();
	result = DirectFunctionCall1(jsonb_in, CStringGetDatum(text));
	rex_ctx_free(ctx);
	PG_RETURN_DATUM(result);
}

#pragma GCC visibility pop

/* Called from _PG_init. */
void
rex_pg_changes_init(void)
{
	CacheRegisterRelcacheCallback(changes_oid_inval, (Datum) 0);
	rex_pg_notify_init();
}
