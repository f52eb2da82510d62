/*
 * engine_sqlite.c
 *		The engine seam (rex_engine.h) on SQLite.
 *
 * Statements run on the connection that called the rex function, with
 * parameters bound by sqlite3_bind_*.  Errors always come back as a
 * status.  Savepoints are named rex_sp_<depth>.  The migration lock is
 * BEGIN IMMEDIATE, retried with backoff up to the timeout, when no
 * transaction is open; inside the caller's transaction rex uses a
 * SAVEPOINT and never commits what it did not begin.
 */
#include "rex_sqlite.h"
SQLITE_EXTENSION_INIT3

#include "rex_engine.h"
#include "rex_host.h"

#include <string.h>

/* Records the connection's current error. */
static rex_status
engine_error(rex_ctx *ctx, sqlite3 *db, int rc)
{
	rex_status	st;

	if (rc == SQLITE_NOMEM)
		return rex_error_nomem(ctx);
	st = rex_error_set(ctx, REX_ERR_ENGINE, "%s", sqlite3_errmsg(db));
	if (ctx->err.status == REX_ERR_ENGINE)
		ctx->err.engine_code = sqlite3_extended_errcode(db);
	return st;
}

static rex_status
bind_params(rex_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt, int n, const rex_value *p)
{
	int			i;
	int			rc = SQLITE_OK;
	int			count = sqlite3_bind_parameter_count(stmt);

	for (i = 0; i < n && i < count && rc == SQLITE_OK; i++)
	{
		switch (p[i].type)
		{
			case REX_V_NULL:
				rc = sqlite3_bind_null(stmt, i + 1);
				break;
			case REX_V_INT:
			case REX_V_BOOL:
				rc = sqlite3_bind_int64(stmt, i + 1, p[i].i);
				break;
			case REX_V_REAL:
				rc = sqlite3_bind_double(stmt, i + 1, p[i].r);
				break;
			case REX_V_TEXT:
				rc = sqlite3_bind_text64(stmt, i + 1, p[i].s, p[i].len,
										 SQLITE_STATIC, SQLITE_UTF8);
				break;
			case REX_V_BLOB:
				rc = sqlite3_bind_blob64(stmt, i + 1, p[i].s, p[i].len, SQLITE_STATIC);
				break;
		}
	}
	return rc == SQLITE_OK ? REX_OK : engine_error(ctx, db, rc);
}

/* Copies column i of the current row into 'v' (arena memory). */
static rex_status
copy_cell(rex_ctx *ctx, sqlite3_stmt *stmt, int i, rex_value *v)
{
	memset(v, 0, sizeof(*v));
	switch (sqlite3_column_type(stmt, i))
	{
		case SQLITE_NULL:
			v->type = REX_V_NULL;
			break;
		case SQLITE_INTEGER:
			v->type = REX_V_INT;
			v->i = sqlite3_column_int64(stmt, i);
			break;
		case SQLITE_FLOAT:
			v->type = REX_V_REAL;
			v->r = sqlite3_column_double(stmt, i);
			break;
		case SQLITE_BLOB:
			v->type = REX_V_BLOB;
			v->len = (size_t) sqlite3_column_bytes(stmt, i);
			v->s = rex_strndup(ctx, sqlite3_column_blob(stmt, i) ? sqlite3_column_blob(stmt, i) : "",
							   v->len);
			if (v->s == NULL)
				return ctx->err.status;
			break;
		default:
			v->type = REX_V_TEXT;
			v->s = (const char *) sqlite3_column_text(stmt, i);
			v->len = (size_t) sqlite3_column_bytes(stmt, i);
			v->s = rex_strndup(ctx, v->s ? v->s : "", v->len);
			if (v->s == NULL)
				return ctx->err.status;
			break;
	}
	return REX_OK;
}

/* Appends the current row to a growing result. */
static rex_status
collect_row(rex_ctx *ctx, sqlite3_stmt *stmt, rex_result *r, int *cap)
{
	int			i;
	rex_status	st;

	if (r->nrows == *cap)
	{
		int			ncap = *cap ? *cap * 2 : 16;
		rex_value  *cells = rex_alloc(ctx, sizeof(rex_value) * (size_t) ncap * (size_t) r->ncols);

		if (cells == NULL)
			return ctx->err.status;
		if (r->nrows)
			memcpy(cells, r->cells, sizeof(rex_value) * (size_t) r->nrows * (size_t) r->ncols);
		r->cells = cells;
		*cap = ncap;
	}
	for (i = 0; i < r->ncols; i++)
		if ((st = copy_cell(ctx, stmt, i, &r->cells[r->nrows * r->ncols + i])) != REX_OK)
			return st;
	r->nrows++;
	return REX_OK;
}

/* Runs one prepared statement to completion. */
static rex_status
run_statement(rex_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt, rex_result *r)
{
	int			cap = 0;
	int			rc;
	int			i;
	rex_status	st;

	r->ncols = sqlite3_column_count(stmt);
	r->nrows = 0;
	r->cells = NULL;
	r->colnames = rex_alloc(ctx, sizeof(char *) * (size_t) (r->ncols + 1));
	if (r->colnames == NULL)
		return ctx->err.status;
	for (i = 0; i < r->ncols; i++)
		r->colnames[i] = rex_strdup(ctx, sqlite3_column_name(stmt, i));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (r->ncols > 0 && (st = collect_row(ctx, stmt, r, &cap)) != REX_OK)
			return st;
	return rc == SQLITE_DONE ? REX_OK : engine_error(ctx, db, rc);
}

rex_status
rex_engine_query(rex_ctx *ctx, const char *sql, int nparams, const rex_value *params,
				 rex_result **res)
{
	sqlite3    *db = ctx->engine->db;
	const char *tail = sql;
	rex_result *r = rex_alloc0(ctx, sizeof(rex_result));
	rex_status	st = REX_OK;

	if (r == NULL)
		return ctx->err.status;
	if (ctx->log_level >= 2)
		rex_host_log(REX_LOG_DEBUG, sql);
	while (tail && *tail && st == REX_OK)
	{
		sqlite3_stmt *stmt = NULL;
		const char *next = NULL;
		int			rc = sqlite3_prepare_v2(db, tail, -1, &stmt, &next);

		if (rc != SQLITE_OK)
			return engine_error(ctx, db, rc);
		tail = next;
		if (stmt == NULL)		/* only whitespace or a comment */
			continue;
		st = bind_params(ctx, db, stmt, nparams, params);
		if (st == REX_OK)
			st = run_statement(ctx, db, stmt, r);
		sqlite3_finalize(stmt);
	}
	if (st == REX_OK && res)
		*res = r;
	return st;
}

/* Runs SQL without parameters or results. */
static rex_status
exec(rex_ctx *ctx, const char *sql)
{
	return rex_engine_query(ctx, sql, 0, NULL, NULL);
}

rex_status
rex_engine_savepoint(rex_ctx *ctx)
{
	char		sql[64];
	rex_status	st;

	sqlite3_snprintf(sizeof(sql), sql, "SAVEPOINT rex_sp_%d", ctx->engine->savepoint_depth + 1);
	if ((st = exec(ctx, sql)) == REX_OK)
		ctx->engine->savepoint_depth++;
	return st;
}

rex_status
rex_engine_release(rex_ctx *ctx)
{
	char		sql[64];

	sqlite3_snprintf(sizeof(sql), sql, "RELEASE rex_sp_%d", ctx->engine->savepoint_depth);
	ctx->engine->savepoint_depth--;
	return exec(ctx, sql);
}

rex_status
rex_engine_rollback_to(rex_ctx *ctx)
{
	char		sql[96];
	int			d = ctx->engine->savepoint_depth;

	ctx->engine->savepoint_depth--;
	sqlite3_snprintf(sizeof(sql), sql, "ROLLBACK TO rex_sp_%d; RELEASE rex_sp_%d", d, d);
	return exec(ctx, sql);
}

/* Retries a statement while the database is busy, up to timeout_ms. */
static int
exec_retrying(sqlite3 *db, const char *sql, int timeout_ms)
{
	int			waited = 0;
	int			pause = 1;
	int			rc;

	while ((rc = sqlite3_exec(db, sql, NULL, NULL, NULL)) == SQLITE_BUSY &&
		   waited < timeout_ms)
	{
		if (pause > timeout_ms - waited)
			pause = timeout_ms - waited;
		sqlite3_sleep(pause);
		waited += pause;
		pause = pause < 64 ? pause * 2 : 100;
	}
	return rc;
}

static rex_status
busy_error(rex_ctx *ctx, int timeout_ms)
{
	rex_error_set(ctx, REX_ERR_BUSY, "migration lock not available: another connection "
				  "is writing to the database");
	rex_error_detail(ctx, "Waited %d ms for BEGIN IMMEDIATE.", timeout_ms);
	rex_error_hint(ctx, "Retry later, or raise {\"lock_timeout_ms\": ...}.");
	return REX_ERR_BUSY;
}

/* The connection's busy timeout (0 when none, or a custom busy handler). */
static int
busy_timeout(sqlite3 *db)
{
	sqlite3_stmt *stmt;
	int			ms = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA busy_timeout", -1, &stmt, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		ms = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return ms;
}

/*
 * BEGIN IMMEDIATE, polled with backoff for at most timeout_ms.  A busy
 * timeout of the connection would make each attempt wait that long on
 * its own, so it is set aside while polling (a custom busy handler is
 * left alone).
 */
static int
begin_immediate(sqlite3 *db, int timeout_ms)
{
	int			saved = busy_timeout(db);
	int			rc;

	if (saved > 0)
		sqlite3_busy_timeout(db, 0);
	rc = exec_retrying(db, "BEGIN IMMEDIATE", timeout_ms);
	if (saved > 0)
		sqlite3_busy_timeout(db, saved);
	return rc;
}

rex_status
rex_engine_lock(rex_ctx *ctx, int timeout_ms, bool *own_txn)
{
	sqlite3    *db = ctx->engine->db;
	int			rc;

	*own_txn = sqlite3_get_autocommit(db) != 0;
	if (!*own_txn)
		return exec(ctx, "SAVEPOINT rex_migrate");
	rc = begin_immediate(db, timeout_ms);
	if (rc == SQLITE_BUSY)
		return busy_error(ctx, timeout_ms);
	return rc == SQLITE_OK ? REX_OK : engine_error(ctx, db, rc);
}

rex_status
rex_engine_unlock(rex_ctx *ctx, bool own_txn, bool ok)
{
	sqlite3    *db = ctx->engine->db;
	int			rc;

	if (!own_txn)
		return exec(ctx, ok ? "RELEASE rex_migrate"
					: "ROLLBACK TO rex_migrate; RELEASE rex_migrate");
	if (!ok)
	{
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return REX_OK;
	}
	rc = exec_retrying(db, "COMMIT", 10000);
	if (rc == SQLITE_OK)
		return REX_OK;
	engine_error(ctx, db, rc);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return ctx->err.status;
}

bool
rex_engine_in_user_txn(rex_ctx *ctx)
{
	return sqlite3_get_autocommit(ctx->engine->db) == 0;
}

rex_status
rex_engine_catalog(rex_ctx *ctx, bool create, bool *exists)
{
	sqlite3    *db = ctx->engine->db;
	int			version;
	int			rc = rex_sqlite_catalog_version(db, &version);
	char	   *errmsg = NULL;
	bool		own;

	if (rc != SQLITE_OK)
		return engine_error(ctx, db, rc);
	if (version > REX_CATALOG_VERSION || version < 0)
	{
		rex_error_set(ctx, REX_ERR_STATE, "rex catalog version %d is not supported by rex_orm %s",
					  version, REX_VERSION);
		rex_error_detail(ctx, "This module reads catalog version %d; the database was written "
						 "by a newer rex_orm.", REX_CATALOG_VERSION);
		rex_error_hint(ctx, "Load the rex_orm version that created the database, or a newer one.");
		return REX_ERR_STATE;
	}
	*exists = version > 0;
	if (*exists || !create)
		return REX_OK;
	own = sqlite3_get_autocommit(db) != 0;
	rc = own ? exec_retrying(db, "BEGIN IMMEDIATE", 10000)
		: sqlite3_exec(db, "SAVEPOINT rex_catalog", NULL, NULL, NULL);
	/* another connection may have created it while we waited */
	if (rc == SQLITE_OK)
		rc = rex_sqlite_catalog_version(db, &version);
	if (rc == SQLITE_OK && version == 0)
		rc = rex_sqlite_create_catalog(db, &errmsg);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, own ? "COMMIT" : "RELEASE rex_catalog", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
	{
		rex_error_set(ctx, REX_ERR_ENGINE, "cannot create the rex catalog: %s",
					  errmsg ? errmsg : sqlite3_errmsg(db));
		ctx->err.engine_code = rc;
		sqlite3_free(errmsg);
		sqlite3_exec(db, own ? "ROLLBACK" : "ROLLBACK TO rex_catalog; RELEASE rex_catalog",
					 NULL, NULL, NULL);
		return REX_ERR_ENGINE;
	}
	*exists = true;
	return REX_OK;
}
