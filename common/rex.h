/*
 * rex.h
 *		The engine-neutral core of rex_orm: call context, status codes and
 *		per-call memory.
 *
 * Every core function takes a rex_ctx as its first argument (the librttopo
 * habit): the context carries the engine handle, the SQL dialect, the
 * per-call arena and the error that ended the call.  The core keeps no
 * global state, never longjmps and never prints; it returns a rex_status
 * and leaves the message in the context, and the glue of each engine turns
 * that into ereport() or sqlite3_result_error().
 *
 * Memory: rex_alloc() hands out memory from the context's arena, which is
 * released as a whole by rex_ctx_free().  Nothing allocated from the arena
 * is ever freed on its own.  JSON values (jansson) are reference counted;
 * a value handed to rex_ctx_own_json() is released with the context.
 *
 * This header includes no engine header.
 */
#ifndef REX_H
#define REX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REX_VERSION "0.1.0"
#define REX_CATALOG_VERSION 1

/*
 * Outcome of a core call.  Each status maps to one SQLSTATE on PostgreSQL
 * (rex_status_sqlstate) and to a result code on SQLite (in the glue).
 */
typedef enum rex_status
{
	REX_OK = 0,
	REX_ERR_DEFINITION,			/* 22023 bad definition or argument */
	REX_ERR_JSON,				/* 22P02 input is not valid JSON */
	REX_ERR_NOT_FOUND,			/* 42704 unknown entity or object */
	REX_ERR_DUPLICATE,			/* 42P07 object already exists */
	REX_ERR_VALIDATION,			/* 23514 data breaks a rule */
	REX_ERR_BUSY,				/* 55P03 migration lock not available */
	REX_ERR_STATE,				/* 55000 not in the required state */
	REX_ERR_UNSUPPORTED,		/* 0A000 not supported (yet) */
	REX_ERR_NOMEM,				/* 53200 out of memory */
	REX_ERR_ENGINE,				/* the database raised an error */
	REX_ERR_INTERNAL			/* XX000 cannot happen */
} rex_status;

typedef struct rex_dialect rex_dialect;

/* The two dialects (rex_dialect.h); the glue hands its own to rex_ctx_new. */
extern const rex_dialect rex_dialect_pg;
extern const rex_dialect rex_dialect_sqlite;
typedef struct rex_engine rex_engine;
typedef struct rex_arena_block rex_arena_block;

/* The error that ended a call; strings live in the context's arena. */
typedef struct rex_error
{
	rex_status	status;
	char		sqlstate[6];	/* set for REX_ERR_ENGINE when known */
	int			engine_code;	/* SQLite result code for REX_ERR_ENGINE */
	const char *message;		/* short, lower case, no final period */
	const char *detail;			/* whole sentence(s) or NULL */
	const char *hint;			/* whole sentence(s) or NULL */
} rex_error;

typedef struct rex_ctx
{
	rex_engine *engine;			/* owned by the glue */
	const rex_dialect *dialect;
	rex_error	err;
	rex_arena_block *arena;
	void	  **owned_json;		/* json_t * released with the context */
	int			n_owned_json;
	int			cap_owned_json;
	const char *table_schema;	/* PostgreSQL schema for user tables, or NULL */
	int			savepoint_depth;
	int			log_level;		/* 0 off, 1 info (migration SQL), 2 debug (all SQL) */
	bool		user_sql;		/* running SQL a user wrote (a versioned script) */
} rex_ctx;

/* Creates a context; returns NULL when out of memory. */
extern rex_ctx *rex_ctx_new(rex_engine *engine, const rex_dialect *dialect);
/* Releases the context, its arena and every JSON value it owns. */
extern void rex_ctx_free(rex_ctx *ctx);

/* Arena allocation; NULL (and REX_ERR_NOMEM recorded) when out of memory. */
extern void *rex_alloc(rex_ctx *ctx, size_t size);
extern void *rex_alloc0(rex_ctx *ctx, size_t size);
extern char *rex_strdup(rex_ctx *ctx, const char *s);
extern char *rex_strndup(rex_ctx *ctx, const char *s, size_t n);
extern char *rex_psprintf(rex_ctx *ctx, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));

/* Hands a JSON value (json_t *) to the context; returns it. */
extern void *rex_ctx_own_json(rex_ctx *ctx, void *json);

/*
 * Records an error and returns its status, so that callers can write
 * "return rex_error_set(ctx, ...)".  The first error recorded wins: a
 * later call does not overwrite it.
 */
extern rex_status rex_error_set(rex_ctx *ctx, rex_status status,
								const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
extern void rex_error_detail(rex_ctx *ctx, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern void rex_error_hint(rex_ctx *ctx, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern rex_status rex_error_nomem(rex_ctx *ctx);
extern void rex_error_clear(rex_ctx *ctx);

/* The five-character SQLSTATE for the context's current error. */
extern const char *rex_error_sqlstate(const rex_ctx *ctx);
/* The SQLSTATE a status maps to. */
extern const char *rex_status_sqlstate(rex_status status);

/*
 * Shortens a value for an error message: at most 'max' bytes (cut on a
 * UTF-8 boundary) followed by "..." when cut.
 */
extern const char *rex_shorten(rex_ctx *ctx, const char *s, size_t max);

#endif							/* REX_H */
