/*
 * capture_pg.c
 *		The C capture trigger of the change feed on PostgreSQL.
 *
 * SQL function (declared in sql/rex_orm--0.1.0.sql):
 *	 rex.capture() -> trigger		statement-level AFTER trigger with
 *									transition tables, made by migrate()
 *
 * rex.capture(entity, config) reads the statement's transition tables and
 * writes one row per change into rex.changes, in the writer's
 * transaction.  It builds each event's JSON as text, directly from the
 * tuple (no jsonb, no SPI, no plan), and inserts the rows with
 * table_tuple_insert + ExecInsertIndexTuples as COPY does: capture costs
 * one heap and one index insert per change.  Writing below SPI also means
 * writers need no privilege on rex.changes, and no role can forge events
 * there through INSERT (creating a trigger on rex.capture() needs EXECUTE
 * on it, which PUBLIC does not have).  A statement that changes many rows
 * pays the trigger call once.  The config argument (key and captured
 * columns, old images, notify mode) is parsed by the core
 * (changes_capture.h) once per trigger and backend.
 *
 * Signals from here: "row" NOTIFYs each event (or a stub with
 * "truncated": true when it is 8000 bytes or more) on channels rex and
 * rex.<entity>; "doorbell" and "worker" hand over to notify_pg.c.
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

/* NOTIFY refuses payloads of BLCKSZ - NAMEDATALEN - 128 bytes or more. */
#define NOTIFY_MAX_PAYLOAD (BLCKSZ - NAMEDATALEN - 128)

/* Columns of rex.changes, in order. */
#define CHANGES_NATTS 9

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
	rex_pg_changes_oids(&relid, &cs->seq);
	cs->rel = table_open(relid, RowExclusiveLock);
	if (RelationGetDescr(cs->rel)->natts != CHANGES_NATTS)
		elog(ERROR, "rex.changes has an unexpected shape");
	cs->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(cs->rri, cs->rel, 1, NULL, 0);
	ExecOpenIndices(cs->rri, false);
	cs->estate = CreateExecutorState();
	cs->slot = MakeSingleTupleTableSlot(RelationGetDescr(cs->rel), &TTSOpsVirtual);
	cs->fxid = GetTopFullTransactionId();
	rex_pg_register_writer(cs->seq);
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
		rex_pg_doorbell_add(cs->cfg->entity, cs->first_id, cs->last_id, cs->count);
	if (cs->cfg->notify == REX_NOTIFY_WORKER)
		rex_pg_notifier_ensure(cs->first_id);
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
	rex_pg_note_id(id);
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

