/*
 * changes_pg.c
 *		The change feed on PostgreSQL: the C capture trigger, the gap-free
 *		reading horizon, live signals (NOTIFY) and the notifier worker.
 *
 * SQL functions (declared in sql/rex_orm--0.1.0.sql):
 *	 rex.capture() -> trigger		statement-level AFTER trigger with
 *									transition tables, made by migrate()
 *	 rex.changes_since(cursor bigint, entities text[] default null,
 *					   "limit" integer default 1000) -> setof jsonb
 *	 rex.prune_changes(before_id bigint default null) -> jsonb
 *	 rex.start_notifier() -> integer, rex.stop_notifier() -> boolean
 *
 * Capture.  rex.capture(entity, config) reads the statement's transition
 * tables and writes one row per change into rex.changes, in the writer's
 * transaction.  It builds each event's JSON as text, directly from the
 * tuple (no jsonb, no SPI, no plan), and inserts the rows with
 * table_tuple_insert + ExecInsertIndexTuples as COPY does: capture costs
 * one heap and one index insert per change.  Writing below SPI also means
 * writers need no privilege on rex.changes, and no role can forge events
 * there through INSERT.  A statement that changes many rows pays the
 * trigger call once.
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
 *
 * Signals.  Per entity: "row" NOTIFYs each event (or a stub with
 * "truncated": true when it is 8000 bytes or more) on channels rex and
 * rex.<entity> from the writer; "doorbell" NOTIFYs once per transaction
 * and entity at pre-commit, with the id range; "worker" never NOTIFYs
 * from writers: a background worker (one per database, started by
 * rex.start_notifier() or by the first captured write) polls the log
 * below the horizon and NOTIFYs doorbells from its own transactions, so
 * writers never take NOTIFY's cluster-wide commit lock.
 */
#include "rex_pg.h"

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

/* NOTIFY refuses payloads of BLCKSZ - NAMEDATALEN - 128 bytes or more. */
#define NOTIFY_MAX_PAYLOAD (BLCKSZ - NAMEDATALEN - 128)

/* objsubid of rex's advisory locks (user advisory locks use 1 and 2). */
#define REX_LOCK_HORIZON 3
#define REX_LOCK_NOTIFIER 4

/* Columns of rex.changes, in order. */
#define CHANGES_NATTS 9

static int	notifier_interval_ms = 20;

/* ---------------------------------------------------------------- */
/* per-trigger cache */

typedef enum value_kind
{
	K_INT,						/* int2, int4, int8 */
	K_FLOAT,
	K_NUMERIC,
	K_BOOL,
	K_TEXT,
	K_UUID,
	K_TIMESTAMPTZ,
	K_DATE,
	K_JSONB,
	K_JSON,
	K_BYTEA,
	K_OTHER						/* output function, as a JSON string */
} value_kind;

typedef struct capture_col
{
	const char *name;
	AttrNumber	attnum;
	Oid			typid;
	int16		typlen;
	bool		typbyval;
	value_kind	kind;
	FmgrInfo	out;			/* K_OTHER */
} capture_col;

typedef struct capture_cfg
{
	Oid			tgoid;			/* hash key */
	char	   *config;			/* the trigger's argument, to notice changes */
	char	   *entity;
	char	   *channel;		/* "rex.<entity>" */
	capture_col *cols;
	int			ncols;
	capture_col *pk;
	int			npk;
	bool		old;
	rex_notify_mode notify;
	bool		valid;
} capture_cfg;

static HTAB *capture_cache = NULL;

/* How a column's values are written as JSON. */
static value_kind
kind_of(Oid typid)
{
	switch (typid)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return K_INT;
		case FLOAT4OID:
		case FLOAT8OID:
			return K_FLOAT;
		case NUMERICOID:
			return K_NUMERIC;
		case BOOLOID:
			return K_BOOL;
		case TEXTOID:
		case VARCHAROID:
			return K_TEXT;
		case UUIDOID:
			return K_UUID;
		case TIMESTAMPTZOID:
			return K_TIMESTAMPTZ;
		case DATEOID:
			return K_DATE;
		case JSONBOID:
			return K_JSONB;
		case JSONOID:
			return K_JSON;
		case BYTEAOID:
			return K_BYTEA;
		default:
			return K_OTHER;
	}
}

/* Resolves a column name of the config against the table. */
static void
resolve_col(capture_col *c, const char *name, TupleDesc desc, const char *entity)
{
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (!a->attisdropped && strcmp(NameStr(a->attname), name) == 0)
		{
			c->name = MemoryContextStrdup(TopMemoryContext, name);
			c->attnum = a->attnum;
			c->typid = a->atttypid;
			c->typlen = a->attlen;
			c->typbyval = a->attbyval;
			c->kind = kind_of(a->atttypid);
			if (c->kind == K_OTHER)
			{
				Oid			outfn;
				bool		isvarlena;

				getTypeOutputInfo(a->atttypid, &outfn, &isvarlena);
				fmgr_info_cxt(outfn, &c->out, TopMemoryContext);
			}
			return;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("rex change capture of entity \"%s\": column \"%s\" does not exist",
					entity, name),
			 errhint("Run rex.migrate() to bring the table and its capture triggers in line.")));
}

/* Resolves a list of column names into capture_cols. */
static capture_col *
resolve_list(const char **names, int n, TupleDesc desc, const char *entity)
{
	capture_col *cols = MemoryContextAllocZero(TopMemoryContext, sizeof(capture_col) * (n + 1));
	int			i;

	for (i = 0; i < n; i++)
		resolve_col(&cols[i], names[i], desc, entity);
	return cols;
}

/* Parses the trigger's config argument (in the core) into 'cfg'. */
static void
load_config(capture_cfg *cfg, const char *entity, const char *config, TupleDesc desc)
{
	rex_ctx    *ctx = rex_ctx_new(NULL, &rex_dialect_pg);
	rex_capture_config cc;

	if (ctx == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (rex_changes_capture_config(ctx, config, &cc) != REX_OK)
		elog(ERROR, "rex.capture: malformed trigger argument: %s", ctx->err.message);
	cfg->entity = MemoryContextStrdup(TopMemoryContext, entity);
	cfg->channel = MemoryContextStrdup(TopMemoryContext, psprintf("rex.%s", entity));
	cfg->cols = resolve_list(cc.columns, cc.ncolumns, desc, entity);
	cfg->ncols = cc.ncolumns;
	cfg->pk = resolve_list(cc.pk, cc.npk, desc, entity);
	cfg->npk = cc.npk;
	cfg->old = cc.old;
	cfg->notify = cc.notify;
	cfg->config = MemoryContextStrdup(TopMemoryContext, config);
	rex_ctx_free(ctx);
	cfg->valid = true;
}

/* True when the cached columns still match the table's. */
static bool
cols_match(const capture_col *cols, int n, TupleDesc desc)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		Form_pg_attribute a;

		if (cols[i].attnum > desc->natts)
			return false;
		a = TupleDescAttr(desc, cols[i].attnum - 1);
		if (a->attisdropped || a->atttypid != cols[i].typid ||
			strcmp(NameStr(a->attname), cols[i].name) != 0)
			return false;
	}
	return true;
}

/* The cached config of this trigger, (re)built when needed. */
static capture_cfg *
get_config(TriggerData *td)
{
	Trigger    *tg = td->tg_trigger;
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	capture_cfg *cfg;
	bool		found;

	if (tg->tgnargs != 2)
		elog(ERROR, "rex.capture: expected 2 trigger arguments, got %d", tg->tgnargs);
	if (capture_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(capture_cfg);
		capture_cache = hash_create("rex capture triggers", 64, &ctl,
									HASH_ELEM | HASH_BLOBS);
	}
	cfg = hash_search(capture_cache, &tg->tgoid, HASH_ENTER, &found);
	if (found && cfg->valid && strcmp(cfg->config, tg->tgargs[1]) == 0 &&
		cols_match(cfg->cols, cfg->ncols, desc) && cols_match(cfg->pk, cfg->npk, desc))
		return cfg;
	/* new or stale (a few bytes of TopMemoryContext are left behind) */
	cfg->valid = false;
	load_config(cfg, tg->tgargs[0], tg->tgargs[1], desc);
	return cfg;
}

/* ---------------------------------------------------------------- */
/* JSON of values */

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" (microseconds when they are not whole ms). */
static void
append_timestamptz(StringInfo buf, TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_IS_NOBEGIN(ts))
	{
		appendStringInfoString(buf, "\"-infinity\"");
		return;
	}
	if (TIMESTAMP_IS_NOEND(ts))
	{
		appendStringInfoString(buf, "\"infinity\"");
		return;
	}
	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("timestamp out of range")));
	appendStringInfo(buf, "\"%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year, tm.tm_mon,
					 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (fsec % 1000 == 0)
		appendStringInfo(buf, ".%03dZ\"", (int) (fsec / 1000));
	else
		appendStringInfo(buf, ".%06dZ\"", (int) fsec);
}

static void
append_date(StringInfo buf, DateADT d)
{
	int			y,
				m,
				day;

	if (DATE_IS_NOBEGIN(d) || DATE_IS_NOEND(d))
	{
		appendStringInfoString(buf, DATE_IS_NOBEGIN(d) ? "\"-infinity\"" : "\"infinity\"");
		return;
	}
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	appendStringInfo(buf, "\"%04d-%02d-%02d\"", y, m, day);
}

/*
 * A JSON string: the common case (nothing to escape) in one copy, else
 * PostgreSQL's escape_json, which appends character by character.
 */
static void
append_json_text(StringInfo buf, const char *s, int len)
{
	int			i;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c == '"' || c == '\\')
		{
			escape_json(buf, pnstrdup(s, len));
			return;
		}
	}
	enlargeStringInfo(buf, len + 2);
	buf->data[buf->len++] = '"';
	memcpy(buf->data + buf->len, s, len);
	buf->len += len;
	buf->data[buf->len++] = '"';
	buf->data[buf->len] = '\0';
}

static void
append_float(StringInfo buf, double v)
{
	if (isnan(v))
		appendStringInfoString(buf, "\"NaN\"");
	else if (isinf(v))
		appendStringInfoString(buf, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
	else
		appendStringInfoString(buf, float8out_internal(v));
}

static void
append_bytea(StringInfo buf, bytea *b)
{
	int			len = VARSIZE_ANY_EXHDR(b);
	int			cap = pg_b64_enc_len(len) + 1;
	char	   *out = palloc(cap);
	int			n = pg_b64_encode(VARDATA_ANY(b), len, out, cap);

	if (n < 0)
		elog(ERROR, "base64 encoding failed");
	appendStringInfoChar(buf, '"');
	appendBinaryStringInfo(buf, out, n);
	appendStringInfoChar(buf, '"');
	pfree(out);
}

/* Appends the JSON of one value. */
static void
append_value(StringInfo buf, const capture_col *c, Datum d, bool isnull)
{
	if (isnull)
	{
		appendStringInfoString(buf, "null");
		return;
	}
	switch (c->kind)
	{
		case K_INT:
			appendStringInfo(buf, INT64_FORMAT,
							 c->typid == INT8OID ? DatumGetInt64(d) :
							 c->typid == INT4OID ? (int64) DatumGetInt32(d) :
							 (int64) DatumGetInt16(d));
			break;
		case K_FLOAT:
			append_float(buf, c->typid == FLOAT8OID ? DatumGetFloat8(d) :
						 (double) DatumGetFloat4(d));
			break;
		case K_NUMERIC:
			escape_json(buf, DatumGetCString(DirectFunctionCall1(numeric_out, d)));
			break;
		case K_BOOL:
			appendStringInfoString(buf, DatumGetBool(d) ? "true" : "false");
			break;
		case K_TEXT:
			{
				text	   *t = DatumGetTextPP(d);

				append_json_text(buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
				break;
			}
		case K_UUID:
			appendStringInfoChar(buf, '"');
			appendStringInfoString(buf, DatumGetCString(DirectFunctionCall1(uuid_out, d)));
			appendStringInfoChar(buf, '"');
			break;
		case K_TIMESTAMPTZ:
			append_timestamptz(buf, DatumGetTimestampTz(d));
			break;
		case K_DATE:
			append_date(buf, DatumGetDateADT(d));
			break;
		case K_JSONB:
			{
				Jsonb	   *jb = DatumGetJsonbP(d);

				(void) JsonbToCString(buf, &jb->root, VARSIZE(jb));
				break;
			}
		case K_JSON:
			appendStringInfoString(buf, TextDatumGetCString(d));
			break;
		case K_BYTEA:
			append_bytea(buf, DatumGetByteaPP(d));
			break;
		case K_OTHER:
			escape_json(buf, OutputFunctionCall((FmgrInfo *) &c->out, d));
			break;
	}
}

/* {"col": value, ...} of the given columns of slot. */
static void
append_object(StringInfo buf, const capture_col *cols, int n, TupleTableSlot *slot)
{
	int			i;

	appendStringInfoChar(buf, '{');
	for (i = 0; i < n; i++)
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, cols[i].attnum, &isnull);

		if (i)
			appendStringInfoChar(buf, ',');
		appendStringInfo(buf, "\"%s\":", cols[i].name);
		append_value(buf, &cols[i], d, isnull);
	}
	appendStringInfoChar(buf, '}');
}

/* ["col", ...] of the captured columns whose value differs. */
static void
append_changed(StringInfo buf, const capture_cfg *cfg, TupleTableSlot *o, TupleTableSlot *n)
{
	int			i,
				k = 0;

	appendStringInfoChar(buf, '[');
	for (i = 0; i < cfg->ncols; i++)
	{
		const capture_col *c = &cfg->cols[i];
		bool		onull,
					nnull;
		Datum		od = slot_getattr(o, c->attnum, &onull);
		Datum		nd = slot_getattr(n, c->attnum, &nnull);

		if (onull == nnull && (onull || datum_image_eq(od, nd, c->typbyval, c->typlen)))
			continue;
		appendStringInfo(buf, "%s\"%s\"", k++ ? "," : "", c->name);
	}
	appendStringInfoChar(buf, ']');
}

/* True when the key columns of two rows hold the same values. */
static bool
same_key(const capture_cfg *cfg, TupleTableSlot *o, TupleTableSlot *n)
{
	int			i;

	for (i = 0; i < cfg->npk; i++)
	{
		const capture_col *c = &cfg->pk[i];
		bool		onull,
					nnull;
		Datum		od = slot_getattr(o, c->attnum, &onull);
		Datum		nd = slot_getattr(n, c->attnum, &nnull);

		if (onull != nnull || (!onull && !datum_image_eq(od, nd, c->typbyval, c->typlen)))
			return false;
	}
	return true;
}

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

static void
changes_oids(Oid *rel, Oid *seq)
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

	changes_oids(NULL, &seq);
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

/* The last id this backend took, and when (see register_writer). */
static int64 last_id_taken = 0;
static TimestampTz last_id_time = 0;

/*
 * Makes sure this transaction has registered a lower bound of its ids
 * before it takes one.  A registration made in a subtransaction that
 * rolled back is gone with its lock: register again.
 */
static void
register_writer(Oid seq)
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
static int64
changes_horizon(void)
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

static void
doorbell_add(const char *entity, int64 first, int64 last, int64 count)
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
static void
notifier_ensure(int64 first_id)
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
	int64		h = changes_horizon();
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

/* ---------------------------------------------------------------- */
/* capture */

/* What one trigger call writes: rex.changes opened for inserting. */
typedef struct capture_state
{
	capture_cfg *cfg;
	Relation	rel;
	ResultRelInfo *rri;
	EState	   *estate;
	TupleTableSlot *slot;
	Oid			seq;
	FullTransactionId fxid;
	char		at[32];			/* the statement's time, as JSON */
	MemoryContext rowcxt;
	int64		first_id;
	int64		last_id;
	int64		count;
	StringInfoData pk;
	StringInfoData newj;
	StringInfoData oldj;
	StringInfoData changed;
	StringInfoData event;
} capture_state;

static void
capture_open(capture_state *cs, capture_cfg *cfg)
{
	Oid			relid;

	memset(cs, 0, sizeof(*cs));
	cs->cfg = cfg;
	changes_oids(&relid, &cs->seq);
	cs->rel = table_open(relid, RowExclusiveLock);
	if (RelationGetDescr(cs->rel)->natts != CHANGES_NATTS)
		elog(ERROR, "rex.changes has an unexpected shape");
	cs->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(cs->rri, cs->rel, 1, NULL, 0);
	ExecOpenIndices(cs->rri, false);
	cs->estate = CreateExecutorState();
	cs->slot = MakeSingleTupleTableSlot(RelationGetDescr(cs->rel), &TTSOpsVirtual);
	cs->fxid = GetTopFullTransactionId();
	register_writer(cs->seq);
	if (cfg->notify == REX_NOTIFY_ROW)
	{
		StringInfoData at;

		/* the payload's time, in milliseconds as changes_since shows it */
		initStringInfo(&at);
		append_timestamptz(&at, GetCurrentStatementStartTimestamp());
		if (at.len > 26)
		{
			at.data[24] = 'Z';
			at.data[25] = '"';
			at.data[26] = '\0';
		}
		strlcpy(cs->at, at.data, sizeof(cs->at));
	}
	cs->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "rex capture row",
									   ALLOCSET_DEFAULT_SIZES);
	initStringInfo(&cs->pk);
	initStringInfo(&cs->newj);
	initStringInfo(&cs->oldj);
	initStringInfo(&cs->changed);
	initStringInfo(&cs->event);
}

static void
capture_close(capture_state *cs)
{
	ExecCloseIndices(cs->rri);
	ExecDropSingleTupleTableSlot(cs->slot);
	FreeExecutorState(cs->estate);
	table_close(cs->rel, NoLock);
	MemoryContextDelete(cs->rowcxt);
	if (cs->count > 0 && cs->cfg->notify == REX_NOTIFY_DOORBELL)
		doorbell_add(cs->cfg->entity, cs->first_id, cs->last_id, cs->count);
	if (cs->cfg->notify == REX_NOTIFY_WORKER)
		notifier_ensure(cs->first_id);
}

/* NOTIFY of one event (row mode): the event, or a stub when too long. */
static void
notify_row(capture_state *cs, int64 id, const char *op, const char *pk)
{
	const char *payload = cs->event.data;
	StringInfoData stub;

	if (cs->event.len >= NOTIFY_MAX_PAYLOAD)
	{
		initStringInfo(&stub);
		appendStringInfo(&stub, "{\"id\":" INT64_FORMAT ",\"entity\":", id);
		escape_json(&stub, cs->cfg->entity);
		appendStringInfo(&stub, ",\"op\":\"%s\"", op);
		if (pk && strlen(pk) < NOTIFY_MAX_PAYLOAD - 200)
			appendStringInfo(&stub, ",\"pk\":%s", pk);
		appendStringInfoString(&stub, ",\"truncated\":true}");
		payload = stub.data;
	}
	Async_Notify("rex", payload);
	Async_Notify(cs->cfg->channel, payload);
}

/* Writes one event; NULL parts are JSON null. */
static void
capture_emit(capture_state *cs, const char *op, const char *pk, const char *newj,
			 const char *oldj, const char *changed)
{
	TupleTableSlot *slot = cs->slot;
	Datum	   *v = slot->tts_values;
	bool	   *n = slot->tts_isnull;
	int64		id = nextval_internal(cs->seq, false);
	uint64		tx = U64FromFullTransactionId(cs->fxid);

	ExecClearTuple(slot);
	v[0] = Int64GetDatum(id);
	v[1] = CStringGetTextDatum(cs->cfg->entity);
	v[2] = CStringGetTextDatum(op);
	v[3] = pk ? CStringGetTextDatum(pk) : (Datum) 0;
	v[4] = newj ? CStringGetTextDatum(newj) : (Datum) 0;
	v[5] = oldj ? CStringGetTextDatum(oldj) : (Datum) 0;
	v[6] = changed ? CStringGetTextDatum(changed) : (Datum) 0;
	v[7] = FullTransactionIdGetDatum(cs->fxid);
	v[8] = TimestampTzGetDatum(GetCurrentStatementStartTimestamp());
	memset(n, 0, sizeof(bool) * CHANGES_NATTS);
	n[3] = pk == NULL;
	n[4] = newj == NULL;
	n[5] = oldj == NULL;
	n[6] = changed == NULL;
	ExecStoreVirtualTuple(slot);
	table_tuple_insert(cs->rel, slot, GetCurrentCommandId(true), 0, NULL);
	ExecInsertIndexTuples(cs->rri, slot, cs->estate, false, false, NULL, NIL);
	ResetPerTupleExprContext(cs->estate);
	if (cs->count++ == 0)
		cs->first_id = id;
	cs->last_id = id;
	last_id_taken = id;
	last_id_time = GetCurrentStatementStartTimestamp();
	if (cs->cfg->notify == REX_NOTIFY_ROW)
	{
		resetStringInfo(&cs->event);
		appendStringInfo(&cs->event, "{\"id\":" INT64_FORMAT ",\"entity\":", id);
		escape_json(&cs->event, cs->cfg->entity);
		appendStringInfo(&cs->event, ",\"op\":\"%s\",\"pk\":%s,\"new\":%s,\"old\":%s,"
						 "\"changed\":%s,\"tx\":" UINT64_FORMAT ",\"at\":%s}",
						 op, pk ? pk : "null", newj ? newj : "null", oldj ? oldj : "null",
						 changed ? changed : "null", tx, cs->at);
		notify_row(cs, id, op, pk);
	}
}

/* Events of one row: insert (n only), delete (o only), update (both). */
static void
capture_row(capture_state *cs, TupleTableSlot *o, TupleTableSlot *n)
{
	capture_cfg *cfg = cs->cfg;
	MemoryContext old = MemoryContextSwitchTo(cs->rowcxt);

	resetStringInfo(&cs->pk);
	resetStringInfo(&cs->newj);
	resetStringInfo(&cs->oldj);
	resetStringInfo(&cs->changed);
	if (o && n && !same_key(cfg, o, n))
	{
		/* a new key: the old row goes, the new one comes */
		capture_row(cs, o, NULL);
		capture_row(cs, NULL, n);
	}
	else
	{
		append_object(&cs->pk, cfg->pk, cfg->npk, n ? n : o);
		if (n)
			append_object(&cs->newj, cfg->cols, cfg->ncols, n);
		if (o && cfg->old)
			append_object(&cs->oldj, cfg->cols, cfg->ncols, o);
		if (o && n)
			append_changed(&cs->changed, cfg, o, n);
		capture_emit(cs, o && n ? "update" : n ? "insert" : "delete", cs->pk.data,
					 n ? cs->newj.data : NULL, o && cfg->old ? cs->oldj.data : NULL,
					 o && n ? cs->changed.data : NULL);
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(cs->rowcxt);
}

/* A read pointer of our own on a transition table, at its start. */
static int
transition_reader(Tuplestorestate *ts)
{
	int			p = tuplestore_alloc_read_pointer(ts, EXEC_FLAG_REWIND);

	tuplestore_select_read_pointer(ts, p);
	tuplestore_rescan(ts);
	return p;
}

#pragma GCC visibility push(default)
PG_FUNCTION_INFO_V1(rex_pg_capture);
#pragma GCC visibility pop
Datum
rex_pg_capture(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TriggerEvent ev;
	capture_state cs;
	TupleDesc	desc;
	TupleTableSlot *os = NULL,
			   *ns = NULL;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("rex.capture() must be called as a trigger")));
	ev = td->tg_event;
	if (!TRIGGER_FIRED_AFTER(ev) || !TRIGGER_FIRED_FOR_STATEMENT(ev))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("rex.capture() must be an AFTER ... FOR EACH STATEMENT trigger")));
	desc = RelationGetDescr(td->tg_relation);
	capture_open(&cs, get_config(td));
	if (TRIGGER_FIRED_BY_TRUNCATE(ev))
		capture_emit(&cs, "truncate", NULL, NULL, NULL, NULL);
	else
	{
		int			op = -1,
					np = -1;

		if (td->tg_oldtable)
		{
			os = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
			op = transition_reader(td->tg_oldtable);
		}
		if (td->tg_newtable)
		{
			ns = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
			np = transition_reader(td->tg_newtable);
		}
		for (;;)
		{
			bool		have_o = false,
						have_n = false;

			if (os)
			{
				tuplestore_select_read_pointer(td->tg_oldtable, op);
				have_o = tuplestore_gettupleslot(td->tg_oldtable, true, false, os);
			}
			if (ns)
			{
				tuplestore_select_read_pointer(td->tg_newtable, np);
				have_n = tuplestore_gettupleslot(td->tg_newtable, true, false, ns);
			}
			if (!have_o && !have_n)
				break;
			/* the old and new tables of an UPDATE hold the rows in the same order */
			if ((os && ns) && have_o != have_n)
				elog(ERROR, "rex.capture: transition tables of different lengths");
			capture_row(&cs, have_o ? os : NULL, have_n ? ns : NULL);
		}
		if (os)
		{
			tuplestore_select_read_pointer(td->tg_oldtable, 0);
			ExecDropSingleTupleTableSlot(os);
		}
		if (ns)
		{
			tuplestore_select_read_pointer(td->tg_newtable, 0);
			ExecDropSingleTupleTableSlot(ns);
		}
	}
	capture_close(&cs);
	return PointerGetDatum(NULL);
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
	horizon = changes_horizon();
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

/* Called from _PG_init. */
void
rex_pg_changes_init(void)
{
	DefineCustomIntVariable("rex.notifier_interval_ms",
							"How often the rex_orm notifier looks for new events.",
							"Signals of entities with \"notify\": \"worker\" arrive within this "
							"time after their transaction commits.",
							&notifier_interval_ms, 20, 1, 10000, PGC_SIGHUP,
							GUC_UNIT_MS, NULL, NULL, NULL);
	RegisterXactCallback(changes_xact_callback, NULL);
	CacheRegisterRelcacheCallback(changes_oid_inval, (Datum) 0);
	RegisterSubXactCallback(changes_subxact_callback, NULL);
}
