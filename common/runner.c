/*
 * runner.c
 *		Locked sessions and atomic migration units (see runner.h).
 */
#include "runner.h"
#include "catalog.h"
#include "clock.h"
#include "history.h"
#include "json_util.h"
#include "rex_buf.h"
#include "rex_dialect.h"
#include "rex_engine.h"
#include "rex_host.h"

#include <string.h>

/* ---------------------------------------------------------------- */
/* sessions */

/* PRAGMA foreign_keys = ON|OFF, outside any transaction. */
static rex_status
set_foreign_keys(rex_ctx *ctx, bool on)
{
	const char *sql = rex_psprintf(ctx, "PRAGMA %s = %s", ctx->dialect->foreign_keys_pragma,
								   on ? "ON" : "OFF");

	return sql ? rex_engine_query(ctx, sql, 0, NULL, NULL) : ctx->err.status;
}

rex_status
rex_session_run(rex_ctx *ctx, int timeout_ms, rex_session_fn fn, void *arg)
{
	rex_session s;
	rex_status	st = REX_OK;
	rex_status	st2;

	memset(&s, 0, sizeof(s));
	s.timeout_ms = timeout_ms;
	for (s.attempt = 1; s.attempt <= 2; s.attempt++)
	{
		s.restart = false;
		s.keep = false;
		if ((st = rex_engine_lock(ctx, timeout_ms, &s.own_txn)) != REX_OK)
			break;
		st = fn(ctx, &s, arg);
		st2 = rex_engine_unlock(ctx, s.own_txn, st == REX_OK && (!s.restart || s.keep));
		if (st == REX_OK)
			st = st2;
		if (st != REX_OK || !s.restart)
			break;
		if (s.fk_off || !s.own_txn)
		{
			st = rex_error_set(ctx, REX_ERR_INTERNAL, "migration restarted twice");
			break;
		}
		if ((st = set_foreign_keys(ctx, false)) != REX_OK)
			break;
		s.fk_off = true;
	}
	if (s.fk_off)
	{
		/* restore enforcement even after an error (the first error stays) */
		st2 = set_foreign_keys(ctx, true);
		if (st == REX_OK)
			st = st2;
	}
	return st;
}

/* The value of a one-number query (0 when it returns no row). */
static rex_status
number(rex_ctx *ctx, const char *sql, int n, const rex_value *p, int64_t *out)
{
	rex_result *res;
	rex_status	st = rex_engine_query(ctx, sql, n, p, &res);

	*out = st == REX_OK && res->nrows > 0 ? rex_result_int(res, 0, 0) : 0;
	return st;
}

rex_status
rex_session_rebuild_check(rex_ctx *ctx, rex_session *s, const rex_plan *plan)
{
	const char *pragma = ctx->dialect->foreign_keys_pragma;
	int64_t		on;
	rex_status	st;
	int			i;

	if (pragma == NULL)
		return REX_OK;
	for (i = 0; i < plan->nsteps; i++)
		if (plan->steps[i].rebuild_table)
			break;
	if (i == plan->nsteps)
		return REX_OK;
	if ((st = number(ctx, rex_psprintf(ctx, "PRAGMA %s", pragma), 0, NULL, &on)) != REX_OK)
		return st;
	if (!on)
		return REX_OK;
	if (s->own_txn)
	{
		s->restart = true;
		return REX_OK;
	}
	for (i = 0; i < plan->nsteps; i++)
	{
		const char *table = plan->steps[i].rebuild_table;
		rex_value	p;
		rex_result *res;

		if (table == NULL)
			continue;
		p = rex_val_text(table);
		if ((st = rex_engine_query(ctx, "SELECT m.name, f.on_delete FROM main.sqlite_schema AS m, "
								   "pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' "
								   "AND f.\"table\" = ?1 COLLATE NOCASE ORDER BY m.name LIMIT 1",
								   1, &p, &res)) != REX_OK)
			return st;
		if (res->nrows == 0)
			continue;
		rex_error_set(ctx, REX_ERR_STATE, "cannot rebuild table \"%s\" inside a transaction "
					  "while foreign keys are enforced", table);
		rex_error_detail(ctx, "Table \"%s\" refers to it (ON DELETE %s).  Inside a transaction "
						 "SQLite cannot turn foreign_keys off, so dropping the old table would "
						 "fire the child table's ON DELETE actions or fail at COMMIT.",
						 rex_result_text(res, 0, 0),
						 rex_result_text(res, 0, 1) ? rex_result_text(res, 0, 1) : "NO ACTION");
		rex_error_hint(ctx, "Call rex_migrate() outside a transaction: rex then turns foreign "
					   "keys off around the rebuild and checks them before it commits.");
		return REX_ERR_STATE;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* units */

typedef struct run_result
{
	int			applied_steps;
	int			failed_step;	/* 1-based; 0 when every step ran */
	rex_error	error;
	rex_log_row *log;
	double		duration_ms;
} run_result;

static bool
rebuilds(const rex_plan *plan)
{
	int			i;

	for (i = 0; i < plan->nsteps; i++)
		if (plan->steps[i].rebuild_table)
			return true;
	return false;
}

/* PRAGMA foreign_key_check as a JSON array of "table|rowid|parent|fk" strings. */
static rex_status
fk_violations(rex_ctx *ctx, json_t **out)
{
	rex_result *res;
	rex_status	st = rex_engine_query(ctx, "PRAGMA foreign_key_check", 0, NULL, &res);
	int			i;

	*out = NULL;
	if (st != REX_OK)
		return st;
	if ((*out = rex_json_own(ctx, json_array())) == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
	{
		const char *t = rex_result_text(res, i, 0);
		const char *parent = rex_result_text(res, i, 2);

		json_array_append_new(*out, json_string(rex_psprintf(ctx, "%s|%lld|%s|%lld",
															 t ? t : "", (long long) rex_result_int(res, i, 1),
															 parent ? parent : "",
															 (long long) rex_result_int(res, i, 3))));
	}
	return REX_OK;
}

/* The first violation in 'after' that is not in 'before', or NULL. */
static const char *
new_violation(json_t *before, json_t *after)
{
	size_t		i,
				k;

	for (i = 0; i < json_array_size(after); i++)
	{
		const char *v = json_string_value(json_array_get(after, i));
		bool		seen = false;

		for (k = 0; !seen && k < json_array_size(before); k++)
			seen = strcmp(v, json_string_value(json_array_get(before, k))) == 0;
		if (!seen)
			return v;
	}
	return NULL;
}

/* Sends a step's SQL to the server log / sqlite3_log when asked to. */
static void
log_step(rex_ctx *ctx, const rex_unit *u, int i, const rex_step *s)
{
	char	   *msg;

	if (ctx->log_level < 1)		/* info and debug */
		return;
	msg = rex_psprintf(ctx, "migration %s step %d (%s): %s", u->version ? u->version : u->kind,
					   i + 1, s->kind, s->sql);
	if (msg)
		rex_host_log(REX_LOG_INFO, msg);
}

/* Records a failed step (or check) in rr; clears the context's error. */
static void
fail_at(rex_ctx *ctx, run_result *rr, int step)
{
	rr->failed_step = step;
	rr->error = ctx->err;
	if (step > 0 && rr->log[step - 1].step)
		rr->log[step - 1].message = ctx->err.message;
	rex_error_clear(ctx);
}

/* Runs the steps, the foreign-key comparison and 'after' in a savepoint. */
static rex_status
run_steps(rex_ctx *ctx, const rex_unit *u, run_result *rr)
{
	const rex_plan *plan = u->plan;
	double		t0 = rex_clock_ms();
	json_t	   *fk_before = NULL;
	rex_status	st;
	int			i;

	memset(rr, 0, sizeof(*rr));
	rr->log = rex_alloc0(ctx, sizeof(rex_log_row) * (size_t) (plan->nsteps + 1));
	if (rr->log == NULL)
		return rex_error_nomem(ctx);
	if (ctx->dialect->foreign_keys_pragma && rebuilds(plan) &&
		(st = fk_violations(ctx, &fk_before)) != REX_OK)
		return st;
	if ((st = rex_engine_savepoint(ctx)) != REX_OK)
		return st;
	for (i = 0; i < plan->nsteps; i++)
	{
		const rex_step *s = &plan->steps[i];
		double		ts = rex_clock_ms();

		log_step(ctx, u, i, s);
		ctx->user_sql = s->user_sql;
		st = rex_engine_query(ctx, s->sql, 0, NULL, NULL);
		ctx->user_sql = false;
		rr->log[i].step = i + 1;
		rr->log[i].kind = s->kind;
		rr->log[i].sql = s->sql;
		rr->log[i].duration_ms = rex_clock_ms() - ts;
		rr->log[i].message = "ok";
		if (st != REX_OK)
		{
			if (st != REX_ERR_ENGINE)
				return st;		/* out of memory and the like: give up */
			fail_at(ctx, rr, i + 1);
			break;
		}
		rr->applied_steps++;
	}
	if (rr->failed_step == 0 && fk_before)
	{
		json_t	   *fk_after;
		const char *v;

		if ((st = fk_violations(ctx, &fk_after)) != REX_OK)
		{
			if (st != REX_ERR_ENGINE)
				return st;
			fail_at(ctx, rr, plan->nsteps);
		}
		else if ((v = new_violation(fk_before, fk_after)) != NULL)
		{
			rex_error_set(ctx, REX_ERR_ENGINE, "foreign key violation after the rebuild: %s "
						  "(table|rowid|parent|constraint)", v);
			fail_at(ctx, rr, plan->nsteps);
		}
	}
	if (rr->failed_step == 0 && u->after && (st = u->after(ctx, u->after_arg)) != REX_OK)
	{
		if (st != REX_ERR_ENGINE)
			return st;
		fail_at(ctx, rr, plan->nsteps ? plan->nsteps : 1);
	}
	st = rr->failed_step == 0 ? rex_engine_release(ctx) : rex_engine_rollback_to(ctx);
	rr->duration_ms = rex_clock_ms() - t0;
	return st;
}

/*
 * Joins the steps' SQL, or their inverses last step first (NULL if one is
 * missing; a reversible step without an inverse has nothing to undo, as a
 * VALIDATE CONSTRAINT).
 */
static const char *
joined_sql(rex_ctx *ctx, const rex_plan *plan, bool down)
{
	rex_buf		b;
	int			i;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "");
	for (i = 0; i < plan->nsteps; i++)
	{
		const rex_step *s = &plan->steps[down ? plan->nsteps - 1 - i : i];
		const char *sql = down ? s->sql_down : s->sql;

		if (sql == NULL && down && s->reversible)
			continue;
		if (sql == NULL)
			return NULL;
		rex_buf_append(&b, sql);
		rex_buf_append(&b, ";\n");
	}
	return rex_buf_ok(&b) ? b.data : NULL;
}

rex_status
rex_next_version(rex_ctx *ctx, const char *kind, const char **version)
{
	int64_t		n = 0;
	rex_status	st = rex_catalog_count_history(ctx, kind, "applied", &n);

	if (st != REX_OK)
		return st;
	*version = rex_psprintf(ctx, "%s_%04lld", kind, (long long) n + 1);
	return *version ? REX_OK : ctx->err.status;
}

/* Writes the history row and the log rows of a finished unit. */
static rex_status
record(rex_ctx *ctx, const rex_unit *u, const run_result *rr, const char *started)
{
	rex_history_row h;
	json_t	   *steps = rex_plan_steps_json(ctx, u->plan);
	const char *prev;
	int64_t		id;
	rex_status	st;
	int			i;

	memset(&h, 0, sizeof(h));
	if (steps == NULL)
		return ctx->err.status;
	h.version = u->version;
	h.name = u->name;
	h.kind = u->kind;
	h.plan = rex_json_text(ctx, steps, REX_JSON_CANONICAL);
	h.sql_up = u->sql_up ? u->sql_up : joined_sql(ctx, u->plan, false);
	h.sql_down = u->down_from_steps ? joined_sql(ctx, u->plan, true) : u->sql_down;
	h.reversible = h.sql_down != NULL;
	h.checksum = u->checksum;
	h.state = rr->failed_step ? "failed" : u->state_ok;
	h.ops = u->ops ? rex_json_text(ctx, u->ops, REX_JSON_CANONICAL) : NULL;
	if (rr->failed_step)
	{
		h.error = rr->error.message;
		h.error_step = rr->failed_step;
	}
	else
	{
		if ((st = rex_catalog_last_chain(ctx, &prev)) != REX_OK)
			return st;
		if ((h.chain_hash = rex_history_chain(ctx, prev, u->checksum)) == NULL)
			return ctx->err.status;
	}
	h.total_steps = u->plan->nsteps;
	h.applied_steps = rr->failed_step ? 0 : rr->applied_steps;
	h.duration_ms = rr->duration_ms;
	h.started_at = started;
	if (h.plan == NULL)
		return rex_error_nomem(ctx);
	if ((st = rex_catalog_insert_history(ctx, &h, &id)) != REX_OK)
		return st;
	for (i = 0; i < u->plan->nsteps && rr->log[i].step; i++)
		if ((st = rex_catalog_insert_log(ctx, id, &rr->log[i])) != REX_OK)
			return st;
	return REX_OK;
}

/* The answer for one unit. */
static json_t *
summary_json(const rex_unit *u, const run_result *rr)
{
	json_t	   *s = json_object();

	if (s == NULL)
		return NULL;
	json_object_set_new(s, "steps", json_integer(u->plan->nsteps));
	json_object_set_new(s, "applied_steps", json_integer(rr->failed_step ? 0 : rr->applied_steps));
	/* to the microsecond: more digits are noise */
	json_object_set_new(s, "duration_ms", json_real((double) (int64_t) (rr->duration_ms * 1000.0) / 1000.0));
	json_object_set_new(s, "error", rr->failed_step ? json_string(rr->error.message) : json_null());
	json_object_set_new(s, "error_step", rr->failed_step ? json_integer(rr->failed_step) : json_null());
	if (u->record)
	{
		json_object_set_new(s, "version", u->version ? json_string(u->version) : json_null());
		json_object_set_new(s, "name", json_string(u->name));
		json_object_set_new(s, "kind", json_string(u->kind));
		json_object_set_new(s, "state", json_string(rr->failed_step ? "failed" : u->state_ok));
		json_object_set_new(s, "checksum", json_string(u->checksum));
	}
	else
	{
		json_object_set_new(s, "version", u->version ? json_string(u->version) : json_null());
		json_object_set_new(s, "name", json_string(u->name));
		json_object_set_new(s, "state", json_string(rr->failed_step ? "failed" : "ok"));
	}
	return s;
}

rex_status
rex_run_unit(rex_ctx *ctx, const rex_unit *u, json_t *migrations, bool *failed)
{
	const char *started = rex_clock_text(ctx);
	run_result	rr;
	json_t	   *summary;
	rex_status	st;

	*failed = false;
	if ((st = run_steps(ctx, u, &rr)) != REX_OK)
		return st;
	*failed = rr.failed_step != 0;
	if (*failed && u->strict)
	{
		const rex_step *s = rr.failed_step <= u->plan->nsteps ? &u->plan->steps[rr.failed_step - 1] : NULL;

		ctx->err = rr.error;
		ctx->err.detail = rex_psprintf(ctx, "Migration %s, step %d (%s%s%s%s) failed; nothing "
									   "was changed.", u->version ? u->version : u->name,
									   rr.failed_step, s ? s->kind : "check",
									   s && s->entity ? " of entity \"" : "",
									   s && s->entity ? s->entity : "",
									   s && s->entity ? "\"" : "");
		return ctx->err.status;
	}
	if (u->record && (st = record(ctx, u, &rr, started)) != REX_OK)
		return st;
	if ((summary = summary_json(u, &rr)) == NULL)
		return rex_error_nomem(ctx);
	json_array_append_new(migrations, summary);
	return REX_OK;
}
