/*
 * stub.c
 *		The scripted engine of the migration unit tests (see stub.h) and
 *		the host seam on malloc.
 */
#include "stub.h"
#include "json_util.h"
#include "rex_engine.h"
#include "rex_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RULES 32

typedef struct rule
{
	char	   *match;
	char	   *rows;			/* NULL: fail */
	char	   *message;
	int			uses;			/* -1: always; else uses left */
} rule;

struct rex_engine
{
	rule		rules[MAX_RULES];
	int			nrules;
	char	   *log;
	size_t		loglen;
	int			depth;
};

void *
rex_host_alloc(size_t size)
{
	return malloc(size ? size : 1);
}

void
rex_host_free(void *ptr)
{
	free(ptr);
}

void
rex_host_log(int level, const char *message)
{
	(void) level;
	(void) message;
}

rex_engine *
stub_new(void)
{
	rex_engine *e = calloc(1, sizeof(rex_engine));

	e->log = calloc(1, 1);
	return e;
}

void
stub_free(rex_engine *e)
{
	int			i;

	for (i = 0; i < e->nrules; i++)
	{
		free(e->rules[i].match);
		free(e->rules[i].rows);
		free(e->rules[i].message);
	}
	free(e->log);
	free(e);
}

static char *
dup(const char *s)
{
	return s ? strcpy(malloc(strlen(s) + 1), s) : NULL;
}

void
stub_answer(rex_engine *e, const char *match, const char *rows)
{
	e->rules[e->nrules].match = dup(match);
	e->rules[e->nrules].rows = dup(rows);
	e->rules[e->nrules].uses = -1;
	e->nrules++;
}

void
stub_answer_once(rex_engine *e, const char *match, const char *rows)
{
	stub_answer(e, match, rows);
	e->rules[e->nrules - 1].uses = 1;
}

void
stub_fail(rex_engine *e, const char *match, const char *message)
{
	e->rules[e->nrules].match = dup(match);
	e->rules[e->nrules].message = dup(message);
	e->rules[e->nrules].uses = -1;
	e->nrules++;
}

int
stub_count(rex_engine *e, const char *needle)
{
	int			n = 0;
	const char *p = e->log;

	while ((p = strstr(p, needle)) != NULL)
	{
		n++;
		p += strlen(needle);
	}
	return n;
}

const char *
stub_log(rex_engine *e)
{
	return e->log;
}

static void
log_sql(rex_engine *e, const char *sql)
{
	size_t		n = strlen(sql);

	e->log = realloc(e->log, e->loglen + n + 2);
	memcpy(e->log + e->loglen, sql, n);
	e->loglen += n;
	e->log[e->loglen++] = '\n';
	e->log[e->loglen] = '\0';
}

/* Converts a JSON rows array into a result in the arena. */
static rex_status
rows_result(rex_ctx *ctx, const char *rows, rex_result **out)
{
	json_t	   *j = json_loads(rows, 0, NULL);
	rex_result *r = rex_alloc0(ctx, sizeof(rex_result));
	size_t		i,
				k;

	if (j == NULL || r == NULL)
		return rex_error_set(ctx, REX_ERR_INTERNAL, "bad stub rows %s", rows);
	r->nrows = (int) json_array_size(j);
	r->ncols = r->nrows ? (int) json_array_size(json_array_get(j, 0)) : 0;
	r->cells = rex_alloc0(ctx, sizeof(rex_value) * (size_t) (r->nrows * r->ncols + 1));
	for (i = 0; i < (size_t) r->nrows; i++)
		for (k = 0; k < (size_t) r->ncols; k++)
		{
			json_t	   *c = json_array_get(json_array_get(j, i), k);
			rex_value  *v = &r->cells[i * (size_t) r->ncols + k];

			if (json_is_integer(c))
				*v = rex_val_int(json_integer_value(c));
			else if (json_is_string(c))
				*v = rex_val_text(rex_strdup(ctx, json_string_value(c)));
			else
				*v = rex_val_null();
		}
	json_decref(j);
	*out = r;
	return REX_OK;
}

rex_status
rex_engine_query(rex_ctx *ctx, const char *sql, int nparams, const rex_value *params,
				 rex_result **res)
{
	rex_engine *e = ctx->engine;
	int			i;

	(void) nparams;
	(void) params;
	log_sql(e, sql);
	for (i = 0; i < e->nrules; i++)
		if (e->rules[i].uses != 0 && strstr(sql, e->rules[i].match))
		{
			if (e->rules[i].uses > 0)
				e->rules[i].uses--;
			if (e->rules[i].rows == NULL)
				return rex_error_set(ctx, REX_ERR_ENGINE, "%s", e->rules[i].message);
			return res ? rows_result(ctx, e->rules[i].rows, res) : REX_OK;
		}
	return res ? rows_result(ctx, "[]", res) : REX_OK;
}

rex_status
rex_engine_savepoint(rex_ctx *ctx)
{
	ctx->engine->depth++;
	log_sql(ctx->engine, "<savepoint>");
	return REX_OK;
}

rex_status
rex_engine_release(rex_ctx *ctx)
{
	ctx->engine->depth--;
	log_sql(ctx->engine, "<release>");
	return REX_OK;
}

rex_status
rex_engine_rollback_to(rex_ctx *ctx)
{
	ctx->engine->depth--;
	log_sql(ctx->engine, "<rollback_to>");
	return REX_OK;
}

rex_status
rex_engine_lock(rex_ctx *ctx, int timeout_ms, bool *own_txn)
{
	(void) timeout_ms;
	*own_txn = true;
	log_sql(ctx->engine, "<lock>");
	return REX_OK;
}

rex_status
rex_engine_unlock(rex_ctx *ctx, bool own_txn, bool ok)
{
	(void) own_txn;
	log_sql(ctx->engine, ok ? "<commit>" : "<rollback>");
	return REX_OK;
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
	(void) ctx;
	(void) create;
	*exists = true;
	return REX_OK;
}
