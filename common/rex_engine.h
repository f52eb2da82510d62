/*
 * rex_engine.h
 *		The engine seam: the few things the core asks of a database.
 *
 * Implemented once per engine and chosen at link time:
 *	 pg_extension/engine_spi.c			SPI, internal subtransactions
 *	 sqlite_extension/engine_sqlite.c	prepared statements, SAVEPOINT
 *	 test/unit/engine_fake.c			scripted answers for unit tests
 *
 * Statements are written in the dialect of ctx->dialect, with every value
 * bound as a parameter (rex_dialect.param).  Without parameters a
 * statement string may hold several statements separated by semicolons
 * (used for DDL steps); the result is then that of the last one.
 *
 * Errors: inside a savepoint opened with rex_engine_savepoint() an engine
 * error is returned as REX_ERR_ENGINE with the message (and on PostgreSQL
 * the SQLSTATE) in ctx->err; the savepoint has then been undone, and the
 * caller must still end it with rex_engine_rollback_to().  Outside any
 * savepoint PostgreSQL raises the error as usual (it jumps over the core,
 * whose memory lives in the current memory context); SQLite returns it.
 */
#ifndef REX_ENGINE_H
#define REX_ENGINE_H

#include "rex.h"

typedef enum rex_vtype
{
	REX_V_NULL = 0,
	REX_V_INT,
	REX_V_REAL,
	REX_V_TEXT,
	REX_V_BOOL,
	REX_V_BLOB
} rex_vtype;

/* A bound parameter or a result cell.  Strings are NUL-terminated. */
typedef struct rex_value
{
	rex_vtype	type;
	int64_t		i;				/* REX_V_INT, REX_V_BOOL (0/1) */
	double		r;				/* REX_V_REAL */
	const char *s;				/* REX_V_TEXT, REX_V_BLOB */
	size_t		len;			/* bytes in s */
} rex_value;

/* All rows of a result, copied into the context's arena. */
typedef struct rex_result
{
	int			ncols;
	int			nrows;
	const char **colnames;
	rex_value  *cells;			/* nrows * ncols, row-major */
} rex_result;

/* Runs sql with params; *res (when res is not NULL) receives the rows. */
extern rex_status rex_engine_query(rex_ctx *ctx, const char *sql,
								   int nparams, const rex_value *params,
								   rex_result **res);

/* Nested atomic units (PostgreSQL subtransaction, SQLite SAVEPOINT). */
extern rex_status rex_engine_savepoint(rex_ctx *ctx);
extern rex_status rex_engine_release(rex_ctx *ctx);
extern rex_status rex_engine_rollback_to(rex_ctx *ctx);

/*
 * Takes the migration lock, polling with backoff for at most timeout_ms:
 * PostgreSQL pg_try_advisory_xact_lock (held to the end of the caller's
 * transaction); SQLite BEGIN IMMEDIATE when no transaction is open, else a
 * SAVEPOINT in the caller's transaction.  REX_ERR_BUSY on timeout.
 * *own_txn tells whether rex_engine_unlock must commit a transaction that
 * this call began.
 */
extern rex_status rex_engine_lock(rex_ctx *ctx, int timeout_ms, bool *own_txn);
/* Ends what rex_engine_lock began: commit (ok) or roll back (!ok). */
extern rex_status rex_engine_unlock(rex_ctx *ctx, bool own_txn, bool ok);

/* True when the caller has an explicit transaction open (SQLite). */
extern bool rex_engine_in_user_txn(rex_ctx *ctx);

/*
 * Makes sure rex's catalog exists.  With create=false a missing catalog
 * is reported through *exists=false and nothing is written (read-only
 * calls on SQLite); with create=true it is created.  Refuses a catalog
 * written by a newer rex_orm.
 */
extern rex_status rex_engine_catalog(rex_ctx *ctx, bool create, bool *exists);

/* Convenience accessors for results. */
extern const rex_value *rex_result_cell(const rex_result *res, int row, int col);
extern const char *rex_result_text(const rex_result *res, int row, int col);
extern int64_t rex_result_int(const rex_result *res, int row, int col);

/* Parameter constructors. */
extern rex_value rex_val_text(const char *s);
extern rex_value rex_val_int(int64_t i);
extern rex_value rex_val_real(double r);
extern rex_value rex_val_bool(bool b);
extern rex_value rex_val_null(void);

#endif							/* REX_ENGINE_H */
