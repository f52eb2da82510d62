/*
 * notify_pg.c
 *		Live signals of the change feed on PostgreSQL that are not sent
 *		row by row: doorbells and the notifier worker.
 *
 * SQL functions (declared in sql/rex_orm--0.1.0.sql):
 *	 rex.start_notifier() -> integer, rex.stop_notifier() -> boolean
 *
 * "doorbell": one NOTIFY per transaction and entity, sent at pre-commit
 * with the id range; entries of subtransactions that roll back are
 * dropped.  "worker": writers never NOTIFY; a background worker (one per
 * database, started by rex.start_notifier() or by the first captured
 * write, RegisterDynamicBackgroundWorker, no shared_preload_libraries)
 * polls the log below the horizon every rex.notifier_interval_ms and
 * NOTIFYs doorbells from its own transactions, so writers never take
 * NOTIFY's cluster-wide commit lock.  It exits after five idle minutes
 * (so as not to keep the database busy) and writers start it again.
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

static int	notifier_interval_ms = 20;

/* ---------------------------------------------------------------- */
/* doorbells: one NOTIFY per transaction and entity, at pre-commit */

typedef struct doorbell
{
	char	   *entity;
	SubTransactionId subid;
	int64		first;
	int64		last;
	int64		count;
	struct doorbell *next;
} doorbell;

static doorbell *doorbells = NULL;	/* in TopTransactionContext */

void
rex_pg_doorbell_add(const char *entity, int64 first, int64 last, int64 count)
{
	SubTransactionId subid = GetCurrentSubTransactionId();
	doorbell   *d;

	for (d = doorbells; d; d = d->next)
		if (d->subid == subid && strcmp(d->entity, entity) == 0)
			break;
	if (d == NULL)
	{
		d = MemoryContextAllocZero(TopTransactionContext, sizeof(doorbell));
		d->entity = MemoryContextStrdup(TopTransactionContext, entity);
		d->subid = subid;
		d->first = first;
		d->next = doorbells;
		doorbells = d;
	}
	d->last = last;
	d->count += count;
}

/* Sends the doorbells of the committing transaction. */
static void
doorbells_send(void)
{
	doorbell   *d;
	doorbell   *e;

	for (d = doorbells; d; d = d->next)
	{
		StringInfoData buf;
		int64		first = d->first,
					last = d->last,
					count = 0;

		if (d->count < 0)
			continue;			/* merged into an earlier entry */
		for (e = d; e; e = e->next)
			if (e->count >= 0 && strcmp(e->entity, d->entity) == 0)
			{
				first = Min(first, e->first);
				last = Max(last, e->last);
				count += e->count;
				if (e != d)
					e->count = -1;
			}
		initStringInfo(&buf);
		appendStringInfoString(&buf, "{\"entity\":");
		escape_json(&buf, d->entity);
		appendStringInfo(&buf, ",\"tx\":" UINT64_FORMAT ",\"first_id\":" INT64_FORMAT
						 ",\"last_id\":" INT64_FORMAT ",\"count\":" INT64_FORMAT "}",
						 U64FromFullTransactionId(GetTopFullTransactionIdIfAny()),
						 first, last, count);
		Async_Notify("rex", buf.data);
		Async_Notify(psprintf("rex.%s", d->entity), buf.data);
	}
	doorbells = NULL;
}

static void
changes_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			if (doorbells)
				doorbells_send();
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			doorbells = NULL;
			break;
		default:
			break;
	}
}

static void
changes_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						 SubTransactionId parentSubid, void *arg)
{
	doorbell  **p = &doorbells;

	while (*p)
	{
		if ((*p)->subid == mySubid && event == SUBXACT_EVENT_ABORT_SUB)
		{
			*p = (*p)->next;
			continue;
		}
		if ((*p)->subid == mySubid && event == SUBXACT_EVENT_COMMIT_SUB)
			(*p)->subid = parentSubid;
		p = &(*p)->next;
	}
}

/* ---------------------------------------------------------------- */
/* the notifier worker */

static void
notifier_tag(LOCKTAG *tag, Oid db)
{
	SET_LOCKTAG_ADVISORY(*tag, db, 0, 0, REX_LOCK_NOTIFIER);
}

/* The notifier exits after this long without an event (writers restart it). */
#define NOTIFIER_IDLE_EXIT_MS (5 * 60 * 1000)

/*
 * Starts the notifier of this database, signalling the events after id
 * 'from' (-1: from the end of the log); its pid, or 0 when it could not.
 */
static int
notifier_start(bool wait, int64 from)
{
	BackgroundWorker w;
	BackgroundWorkerHandle *handle;
	pid_t		pid = 0;

	memset(&w, 0, sizeof(w));
	w.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	w.bgw_start_time = BgWorkerStart_RecoveryFinished;
	w.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(w.bgw_library_name, BGW_MAXLEN, "rex_orm");
	snprintf(w.bgw_function_name, BGW_MAXLEN, "rex_pg_notifier_main");
	snprintf(w.bgw_name, BGW_MAXLEN, "rex_orm notifier for database %u", MyDatabaseId);
	snprintf(w.bgw_type, BGW_MAXLEN, "rex_orm notifier");
	w.bgw_main_arg = ObjectIdGetDatum(MyDatabaseId);
	memcpy(w.bgw_extra, &from, sizeof(from));
	w.bgw_notify_pid = wait ? MyProcPid : 0;
	if (!RegisterDynamicBackgroundWorker(&w, &handle))
		return 0;
	if (wait && WaitForBackgroundWorkerStartup(handle, &pid) != BGWH_STARTED)
		return 0;
	return (int) pid;
}

/* True when this database's notifier holds its lock. */
static bool
notifier_running(void)
{
	LOCKTAG		tag;

	notifier_tag(&tag, MyDatabaseId);
	if (LockAcquire(&tag, ExclusiveLock, true, true) == LOCKACQUIRE_NOT_AVAIL)
		return true;
	LockRelease(&tag, ExclusiveLock, true);
	return false;
}

/* From writers of "worker" entities: (re)starts the notifier, every 10 s at most. */
void
rex_pg_notifier_ensure(int64 first_id)
{
	static TimestampTz last_check = 0;
	TimestampTz now = GetCurrentTimestamp();

	if (last_check && !TimestampDifferenceExceeds(last_check, now, 10000))
		return;
	last_check = now;
	/* from this transaction's bound: its own events are signalled too */
	if (!notifier_running())
		(void) notifier_start(false, first_id > 0 ? first_id - 1 : -1);
}

/* SPI query with a snapshot taken now (after the horizon was read). */
static void
query_latest(const char *sql, int nargs, Oid *types, Datum *values)
{
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, types);
	int			rc;

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	rc = SPI_execute_snapshot(plan, values, NULL, GetLatestSnapshot(), InvalidSnapshot,
							  true, false, 0);
	if (rc < 0)
		elog(ERROR, "SPI_execute_snapshot failed: %s", SPI_result_code_string(rc));
}

/* An int8 cell of the current SPI result. */
static int64
spi_int8(uint64 row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

/*
 * One round of the notifier: the events committed below the horizon since
 * 'last', summed per entity of notify mode "worker", as doorbells sent
 * when this transaction commits.  Returns the new 'last'.
 */
static int64
notifier_round(int64 last)
{
	int64		h = rex_pg_changes_horizon();
	Oid			types[2] = {INT8OID, INT8OID};
	Datum		values[2];
	uint64		i;
	int64		next = last;

	values[0] = Int64GetDatum(last);
	values[1] = Int64GetDatum(h);
	if (last < 0)
	{
		/* start at the head: signal what commits from now on */
		query_latest("SELECT coalesce(max(id), 0) FROM rex.changes WHERE id < $2 AND $1 < 0",
					 2, types, values);
		return spi_int8(0, 1);
	}
	query_latest("SELECT c.entity, min(c.id), max(c.id), count(*),"
				 " bool_or(e.applied->'changes'->>'notify' = 'worker')"
				 " FROM rex.changes c LEFT JOIN rex.entities e ON e.name = c.entity"
				 " WHERE c.id > $1 AND c.id < $2 GROUP BY c.entity ORDER BY c.entity",
				 2, types, values);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		char	   *entity = SPI_getvalue(t, d, 1);
		char	   *worker = SPI_getvalue(t, d, 5);
		StringInfoData buf;

		next = Max(next, spi_int8(i, 3));
		if (worker == NULL || strcmp(worker, "t") != 0)
			continue;
		initStringInfo(&buf);
		appendStringInfoString(&buf, "{\"entity\":");
		escape_json(&buf, entity);
		appendStringInfo(&buf, ",\"first_id\":" INT64_FORMAT ",\"last_id\":" INT64_FORMAT
						 ",\"count\":" INT64_FORMAT "}", spi_int8(i, 2), spi_int8(i, 3),
						 spi_int8(i, 4));
		Async_Notify("rex", buf.data);
		Async_Notify(psprintf("rex.%s", entity), buf.data);
	}
	return next;
}

PGDLLEXPORT void rex_pg_notifier_main(Datum arg) __attribute__((visibility("default")));

void
rex_pg_notifier_main(Datum arg)
{
	Oid			db = DatumGetObjectId(arg);
	LOCKTAG		tag;
	int64		last;
	TimestampTz last_event = GetCurrentTimestamp();

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(db, InvalidOid, 0);
	pgstat_report_appname("rex_orm notifier");
	notifier_tag(&tag, db);
	if (LockAcquire(&tag, ExclusiveLock, true, true) == LOCKACQUIRE_NOT_AVAIL)
		proc_exit(0);			/* another one runs */
	memcpy(&last, MyBgworkerEntry->bgw_extra, sizeof(last));
	for (;;)
	{
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 notifier_interval_ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		PushActiveSnapshot(GetTransactionSnapshot());
		if (!OidIsValid(get_namespace_oid("rex", true)) ||
			!OidIsValid(get_relname_relid("changes", get_namespace_oid("rex", true))))
			proc_exit(0);		/* the extension is gone */
		{
			int64		next = notifier_round(last);

			if (next != last)
				last_event = GetCurrentTimestamp();
			last = next;
		}
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
		pgstat_report_stat(false);
		/* idle: go, so as not to keep the database busy (DROP DATABASE) */
		if (TimestampDifferenceExceeds(last_event, GetCurrentTimestamp(), NOTIFIER_IDLE_EXIT_MS))
			proc_exit(0);
	}
}

#pragma GCC visibility push(default)

PG_FUNCTION_INFO_V1(rex_pg_start_notifier);
Datum
rex_pg_start_notifier(PG_FUNCTION_ARGS)
{
	int			pid;
	int			i;

	if (notifier_running())
		PG_RETURN_NULL();
	pid = notifier_start(true, -1);
	/* until it holds its lock, so that a second start finds it running */
	for (i = 0; pid != 0 && i < 200 && !notifier_running(); i++)
		pg_usleep(10000L);
	if (pid == 0)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("could not start the rex_orm notifier"),
				 errhint("Raise max_worker_processes: every background worker slot is taken.")));
	PG_RETURN_INT32(pid);
}

PG_FUNCTION_INFO_V1(rex_pg_stop_notifier);
Datum
rex_pg_stop_notifier(PG_FUNCTION_ARGS)
{
	LockData   *ld = GetLockStatusData();
	bool		stopped = false;
	int			i;

	for (i = 0; i < ld->nelements; i++)
	{
		LOCKTAG    *t = &ld->locks[i].locktag;

		if (t->locktag_type == LOCKTAG_ADVISORY && t->locktag_field4 == REX_LOCK_NOTIFIER &&
			t->locktag_field1 == MyDatabaseId && ld->locks[i].pid != 0 &&
			(ld->locks[i].holdMask & LOCKBIT_ON(ExclusiveLock)))
			stopped = DatumGetBool(DirectFunctionCall2(pg_terminate_backend,
													   Int32GetDatum(ld->locks[i].pid),
													   Int64GetDatum(0))) || stopped;
	}
	PG_RETURN_BOOL(stopped);
}

#pragma GCC visibility pop

void
rex_pg_notify_init(void)
{
	DefineCustomIntVariable("rex.notifier_interval_ms",
							"How often the rex_orm notifier looks for new events.",
							"Signals of entities with \"notify\": \"worker\" arrive within this "
							"time after their transaction commits.",
							&notifier_interval_ms, 20, 1, 10000, PGC_SIGHUP,
							GUC_UNIT_MS, NULL, NULL, NULL);
	RegisterXactCallback(changes_xact_callback, NULL);
	RegisterSubXactCallback(changes_subxact_callback, NULL);
}
