/*
 * changes_sqlite.c
 *		The change feed on SQLite: reading, pruning and live signals.
 *
 * SQL functions (registered by rex_sqlite_changes_init):
 *	 rex_changes_since(cursor [, entities [, limit]])	read; entities is a
 *			JSON array of names or NULL; answers a JSON array of events
 *	 rex_prune_changes([before_id])		write (SQLITE_DIRECTONLY), atomic
 *	 rex_listen(channel), rex_unlisten([channel]), rex_poll([limit])
 *			per connection (SQLITE_DIRECTONLY)
 *
 * Capture itself needs nothing from this module: it is done by triggers
 * in built-in SQL (common/changes.c), so writers that never loaded rex
 * are captured too.  One writer at a time means ids are taken in commit
 * order: changes_since needs no horizon.
 *
 * Live signals.  rex_listen('rex') or rex_listen('rex.<entity>') starts
 * following the log on this connection from its current end; rex_poll()
 * answers the events committed since the last poll (on any connection)
 * of the listened entities whose notify mode is not "off".  It reads
 * them from the durable log, not from hooks: the log is written in the
 * writer's transaction, so a rolled-back transaction, a savepoint rolled
 * back and a failed statement leave nothing to deliver, and the events
 * of a transaction appear together when it commits.  Called inside an
 * open transaction, rex_poll answers [] (it cannot tell this
 * connection's uncommitted events from committed ones) and keeps them
 * for the next poll after COMMIT.  No commit, rollback or update hook is
 * installed: SQLite has one slot for each per connection and gives back
 * only the previous hook's argument, not its function, so rex could
 * neither chain nor restore a hook the application had set.
 */
#include "rex_sqlite.h"
SQLITE_EXTENSION_INIT3

#include "changes_capture.h"
#include "ident.h"

#include <stdlib.h>
#include <string.h>

#define FLAGS_READ (SQLITE_UTF8)
#define FLAGS_DIRECT (SQLITE_UTF8 | SQLITE_DIRECTONLY)

#define MAX_CHANNELS 256

/* Per-connection state of the change-feed functions. */
typedef struct changes_conn
{
	sqlite3    *db;
	int			refcount;		/* functions holding it */
	char	   *channels[MAX_CHANNELS];
	int			nchannels;
	sqlite3_int64 cursor;		/* last id delivered by rex_poll */
} changes_conn;

static void
changes_conn_release(void *p)
{
	changes_conn *cc = p;
	int			i;

	if (--cc->refcount > 0)
		return;
	for (i = 0; i < cc->nchannels; i++)
		sqlite3_free(cc->channels[i]);
	sqlite3_free(cc);
}

/* A core context for one call on cc's connection. */
static rex_ctx *
call_ctx(sqlite3_context *c, struct rex_engine *eng)
{
	changes_conn *cc = sqlite3_user_data(c);
	rex_ctx    *ctx;

	memset(eng, 0, sizeof(*eng));
	eng->db = cc->db;
	ctx = rex_ctx_new(eng, &rex_dialect_sqlite);
	if (ctx == NULL)
		sqlite3_result_error_nomem(c);
	return ctx;
}

/* Sets an error result from the core's error, as rex_sqlite.c does. */
static void
result_error(sqlite3_context *c, rex_ctx *ctx)
{
	char	   *msg;

	if (ctx->err.status == REX_ERR_NOMEM)
	{
		sqlite3_result_error_nomem(c);
		return;
	}
	msg = sqlite3_mprintf("rex: %s%s%s%s%s", ctx->err.message,
						  ctx->err.detail ? "\nDETAIL: " : "",
						  ctx->err.detail ? ctx->err.detail : "",
						  ctx->err.hint ? "\nHINT: " : "",
						  ctx->err.hint ? ctx->err.hint : "");
	if (msg == NULL)
	{
		sqlite3_result_error_nomem(c);
		return;
	}
	sqlite3_result_error(c, msg, -1);
	sqlite3_result_error_code(c, ctx->err.status == REX_ERR_ENGINE && ctx->err.engine_code
							  ? ctx->err.engine_code : SQLITE_ERROR);
	sqlite3_free(msg);
}

static void
plain_error(sqlite3_context *c, const char *fmt, const char *arg)
{
	char	   *msg = sqlite3_mprintf(fmt, arg);

	sqlite3_result_error(c, msg ? msg : "rex: error", -1);
	sqlite3_free(msg);
}

/* True when rex_changes exists (the catalog may not, on a fresh file). */
static bool
have_log(sqlite3 *db)
{
	sqlite3_stmt *st;
	bool		found = false;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM main.sqlite_schema WHERE type = 'table' "
						   "AND name = 'rex_changes'", -1, &st, NULL) != SQLITE_OK)
		return false;
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Events as a JSON array result; *last_id gets the last one's id. */
static void
events_result(sqlite3_context *c, rex_ctx *ctx, const char **events, int n,
			  sqlite3_int64 *last_id)
{
	const char *arr = rex_changes_join(ctx, events, n);

	if (arr == NULL)
	{
		sqlite3_result_error_nomem(c);
		return;
	}
	if (last_id && n > 0)
		*last_id = strtoll(events[n - 1] + strlen("{\"id\":"), NULL, 10);
	sqlite3_result_text(c, arr, -1, SQLITE_TRANSIENT);
}

static void
fn_changes_since(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	struct rex_engine eng;
	rex_ctx    *ctx;
	const char *entities = NULL;
	sqlite3_int64 limit = 1000;
	const char **events;
	int			n;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
	{
		plain_error(c, "rex: rex_changes_since: cursor must not be null%s",
					"\nHINT: Start with 0, then pass the id of the last event you handled.");
		return;
	}
	if (argc > 1)
		entities = (const char *) sqlite3_value_text(argv[1]);
	if (argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL)
		limit = sqlite3_value_int64(argv[2]);
	if ((ctx = call_ctx(c, &eng)) == NULL)
		return;
	if (!have_log(eng.db))
	{
		/* no catalog yet: nothing was ever captured */
		if (sqlite3_value_int64(argv[0]) < 0 || limit < 1 || limit > REX_CHANGES_MAX_LIMIT)
			rex_changes_since(ctx, sqlite3_value_int64(argv[0]), NULL, limit, 0, &events, &n);
		if (ctx->err.status != REX_OK)
			result_error(c, ctx);
		else
			sqlite3_result_text(c, "[]", -1, SQLITE_STATIC);
	}
	else if (rex_changes_since(ctx, sqlite3_value_int64(argv[0]), entities, limit,
							   INT64_MAX, &events, &n) != REX_OK)
		result_error(c, ctx);
	else
		events_result(c, ctx, events, n, NULL);
	rex_ctx_free(ctx);
}

static void
fn_prune_changes(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	struct rex_engine eng;
	rex_ctx    *ctx;
	sqlite3_int64 before = -1;
	const char *out;
	rex_status	st;

	if (argc > 0 && sqlite3_value_type(argv[0]) != SQLITE_NULL)
	{
		before = sqlite3_value_int64(argv[0]);
		if (before < 0)
		{
			plain_error(c, "rex: rex_prune_changes: before_id must not be negative%s", "");
			return;
		}
	}
	if ((ctx = call_ctx(c, &eng)) == NULL)
		return;
	if (!have_log(eng.db))
	{
		sqlite3_result_text(c, "{\"pruned\":0}", -1, SQLITE_STATIC);
		rex_ctx_free(ctx);
		return;
	}
	if (sqlite3_exec(eng.db, "SAVEPOINT rex_call", NULL, NULL, NULL) != SQLITE_OK)
	{
		sqlite3_result_error(c, sqlite3_errmsg(eng.db), -1);
		rex_ctx_free(ctx);
		return;
	}
	st = rex_changes_prune(ctx, before, &out);
	sqlite3_exec(eng.db, st == REX_OK ? "RELEASE rex_call"
				 : "ROLLBACK TO rex_call; RELEASE rex_call", NULL, NULL, NULL);
	if (st != REX_OK)
		result_error(c, ctx);
	else
		sqlite3_result_text(c, out, -1, SQLITE_TRANSIENT);
	rex_ctx_free(ctx);
}

/* "rex" or "rex.<entity name>"; NULL when acceptable, else what is wrong. */
static const char *
channel_problem(const char *ch)
{
	if (ch == NULL)
		return "the channel must not be null";
	if (strcmp(ch, "rex") == 0)
		return NULL;
	if (strncmp(ch, "rex.", 4) != 0 || rex_ident_problem(ch + 4, REX_IDENT_ENTITY) != NULL)
		return "unknown channel";
	return NULL;
}

/* The listened channels as a JSON array. */
static void
channels_result(sqlite3_context *c, changes_conn *cc)
{
	sqlite3_str *s = sqlite3_str_new(cc->db);
	int			i;

	sqlite3_str_appendchar(s, 1, '[');
	for (i = 0; i < cc->nchannels; i++)
		sqlite3_str_appendf(s, "%s\"%s\"", i ? "," : "", cc->channels[i]);
	sqlite3_str_appendchar(s, 1, ']');
	sqlite3_result_text(c, sqlite3_str_finish(s), -1, sqlite3_free);
}

/* The end of the log: the largest id ever given (AUTOINCREMENT). */
static sqlite3_int64
log_end(sqlite3 *db)
{
	sqlite3_stmt *st;
	sqlite3_int64 end = 0;

	if (!have_log(db))
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT coalesce((SELECT seq FROM main.sqlite_sequence "
						   "WHERE name = 'rex_changes'), 0)", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		end = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return end;
}

static void
fn_listen(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	changes_conn *cc = sqlite3_user_data(c);
	const char *ch = (const char *) sqlite3_value_text(argv[0]);
	const char *problem = channel_problem(ch);
	int			i;

	(void) argc;
	if (problem)
	{
		char	   *msg = sqlite3_mprintf("rex: rex_listen: %s \"%s\"\nHINT: Listen to \"rex\" "
										  "(every entity) or \"rex.<entity>\".", problem,
										  ch ? ch : "");

		sqlite3_result_error(c, msg, -1);
		sqlite3_free(msg);
		return;
	}
	for (i = 0; i < cc->nchannels; i++)
		if (strcmp(cc->channels[i], ch) == 0)
			break;
	if (i == cc->nchannels)
	{
		if (cc->nchannels == MAX_CHANNELS)
		{
			sqlite3_result_error(c, "rex: rex_listen: too many channels", -1);
			return;
		}
		if (cc->nchannels == 0)
			cc->cursor = log_end(cc->db);
		if ((cc->channels[cc->nchannels] = sqlite3_mprintf("%s", ch)) == NULL)
		{
			sqlite3_result_error_nomem(c);
			return;
		}
		cc->nchannels++;
	}
	channels_result(c, cc);
}

static void
fn_unlisten(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	changes_conn *cc = sqlite3_user_data(c);
	const char *ch = argc > 0 ? (const char *) sqlite3_value_text(argv[0]) : NULL;
	int			i,
				k = 0;

	for (i = 0; i < cc->nchannels; i++)
	{
		if (ch == NULL || strcmp(cc->channels[i], ch) == 0)
			sqlite3_free(cc->channels[i]);
		else
			cc->channels[k++] = cc->channels[i];
	}
	cc->nchannels = k;
	channels_result(c, cc);
}

/* The entities rex_poll delivers: listened, captured, notify not "off". */
static char *
poll_entities(changes_conn *cc)
{
	sqlite3_stmt *st;
	sqlite3_str *list = sqlite3_str_new(cc->db);
	bool		all = false;
	int			i,
				k = 0;

	for (i = 0; i < cc->nchannels; i++)
		all = all || strcmp(cc->channels[i], "rex") == 0;
	sqlite3_str_appendchar(list, 1, '[');
	for (i = 0; i < cc->nchannels; i++)
		if (strcmp(cc->channels[i], "rex") != 0)
			sqlite3_str_appendf(list, "%s\"%s\"", k++ ? "," : "", cc->channels[i] + 4);
	sqlite3_str_appendchar(list, 1, ']');
	if (sqlite3_prepare_v2(cc->db,
						   "SELECT json_group_array(name) FROM main.rex_entities"
						   " WHERE applied IS NOT NULL"
						   " AND coalesce(json_extract(applied, '$.changes.notify'), 'off') <> 'off'"
						   " AND (?1 OR name IN (SELECT value FROM json_each(?2)))",
						   -1, &st, NULL) != SQLITE_OK)
	{
		sqlite3_free(sqlite3_str_finish(list));
		return NULL;
	}
	sqlite3_bind_int(st, 1, all);
	sqlite3_bind_text(st, 2, sqlite3_str_value(list), -1, SQLITE_TRANSIENT);
	{
		char	   *out = NULL;

		if (sqlite3_step(st) == SQLITE_ROW)
			out = sqlite3_mprintf("%s", (const char *) sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		sqlite3_free(sqlite3_str_finish(list));
		return out;
	}
}

static void
fn_poll(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	changes_conn *cc = sqlite3_user_data(c);
	struct rex_engine eng;
	rex_ctx    *ctx;
	sqlite3_int64 limit = 1000;
	const char **events;
	char	   *entities;
	int			n;

	if (argc > 0 && sqlite3_value_type(argv[0]) != SQLITE_NULL)
		limit = sqlite3_value_int64(argv[0]);
	/* nothing listened, no log yet, or inside a transaction: nothing to say */
	if (cc->nchannels == 0 || !sqlite3_get_autocommit(cc->db) || !have_log(cc->db))
	{
		sqlite3_result_text(c, "[]", -1, SQLITE_STATIC);
		return;
	}
	if ((entities = poll_entities(cc)) == NULL)
	{
		sqlite3_result_error(c, sqlite3_errmsg(cc->db), -1);
		return;
	}
	if ((ctx = call_ctx(c, &eng)) == NULL)
	{
		sqlite3_free(entities);
		return;
	}
	if (rex_changes_since(ctx, cc->cursor, entities, limit, INT64_MAX, &events, &n) != REX_OK)
		result_error(c, ctx);
	else
		events_result(c, ctx, events, n, &cc->cursor);
	sqlite3_free(entities);
	rex_ctx_free(ctx);
}

static const struct
{
	const char *name;
	int			nargs;
	int			flags;
	void		(*fn) (sqlite3_context *, int, sqlite3_value **);
}			functions[] =
{
	{"rex_changes_since", 1, FLAGS_READ, fn_changes_since},
	{"rex_changes_since", 2, FLAGS_READ, fn_changes_since},
	{"rex_changes_since", 3, FLAGS_READ, fn_changes_since},
	{"rex_prune_changes", 0, FLAGS_DIRECT, fn_prune_changes},
	{"rex_prune_changes", 1, FLAGS_DIRECT, fn_prune_changes},
	{"rex_listen", 1, FLAGS_DIRECT, fn_listen},
	{"rex_unlisten", 0, FLAGS_DIRECT, fn_unlisten},
	{"rex_unlisten", 1, FLAGS_DIRECT, fn_unlisten},
	{"rex_poll", 0, FLAGS_DIRECT, fn_poll},
	{"rex_poll", 1, FLAGS_DIRECT, fn_poll},
};

int
rex_sqlite_changes_init(sqlite3 *db, char **pzErrMsg)
{
	changes_conn *cc = sqlite3_malloc(sizeof(*cc));
	size_t		i;
	int			rc = SQLITE_OK;

	if (cc == NULL)
		return SQLITE_NOMEM;
	memset(cc, 0, sizeof(*cc));
	cc->db = db;
	cc->refcount = 1;			/* held by this function until the end */
	for (i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
	{
		cc->refcount++;
		rc = sqlite3_create_function_v2(db, functions[i].name, functions[i].nargs,
										functions[i].flags, cc, functions[i].fn,
										NULL, NULL, changes_conn_release);
		if (rc != SQLITE_OK)
		{
			if (pzErrMsg)
				*pzErrMsg = sqlite3_mprintf("rex: cannot register %s: %s",
											functions[i].name, sqlite3_errmsg(db));
			break;
		}
	}
	changes_conn_release(cc);
	return rc;
}
