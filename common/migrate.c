/*
 * migrate.c
 *		migrate() and migration_status().
 *
 * migrate() takes the migration lock, plans every pending entity change
 * and applies the plan as one migration inside a savepoint: either every
 * step runs, or none is left behind.  The outcome -- applied or failed,
 * with the error and the failing step -- goes to the append-only history
 * with a SHA-256 checksum of the plan's engine-neutral operations and a
 * chained hash, and each step with its SQL and duration to the log.  A
 * failure is the answer, not an error, so the failure record survives
 * when the caller commits; {"strict": true} raises instead.
 *
 * Options: dry_run (run the plan on the real data, then roll it back),
 * allow_data_loss (needed for destructive steps), strict, lock_timeout_ms.
 */
#include "catalog.h"
#include "changes.h"
#include "clock.h"
#include "json_util.h"
#include "plan.h"
#include "rex_api.h"
#include "rex_buf.h"
#include "rex_engine.h"
#include "sha256.h"

#include <string.h>

#define DEFAULT_LOCK_TIMEOUT_MS 10000
#define MAX_LOCK_TIMEOUT_MS 3600000

typedef struct migrate_opts
{
	bool		dry_run;
	bool		allow_data_loss;
	bool		strict;
	int			lock_timeout_ms;
} migrate_opts;

/* What running a plan's steps did. */
typedef struct run_result
{
	int			applied_steps;
	int			failed_step;	/* 1-based; 0 when every step ran */
	rex_error	error;			/* the engine error of the failed step */
	rex_log_row *log;
	double		duration_ms;
} run_result;

static rex_status
bad_option(rex_ctx *ctx, const char *key, const char *what)
{
	rex_error_set(ctx, REX_ERR_DEFINITION, "invalid migrate option \"%s\": %s",
				  rex_shorten(ctx, key, 64), what);
	rex_error_hint(ctx, "Accepted options: dry_run (boolean), allow_data_loss (boolean), "
				   "strict (boolean), lock_timeout_ms (integer, 0 to 3600000).");
	return REX_ERR_DEFINITION;
}

static rex_status
parse_options(rex_ctx *ctx, const char *text, migrate_opts *o)
{
	json_t	   *j;
	const char *key;
	json_t	   *v;

	memset(o, 0, sizeof(*o));
	o->lock_timeout_ms = DEFAULT_LOCK_TIMEOUT_MS;
	if (text == NULL)
		return REX_OK;
	if ((j = rex_json_parse(ctx, text, "migrate options")) == NULL)
		return ctx->err.status;
	if (!json_is_object(j))
		return bad_option(ctx, "", "options are a JSON object");
	json_object_foreach(j, key, v)
	{
		bool	   *flag = strcmp(key, "dry_run") == 0 ? &o->dry_run :
			strcmp(key, "allow_data_loss") == 0 ? &o->allow_data_loss :
			strcmp(key, "strict") == 0 ? &o->strict : NULL;

		if (flag)
		{
			if (!json_is_boolean(v))
				return bad_option(ctx, key, "expected true or false");
			*flag = json_is_true(v);
		}
		else if (strcmp(key, "lock_timeout_ms") == 0)
		{
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
				json_integer_value(v) > MAX_LOCK_TIMEOUT_MS)
				return bad_option(ctx, key, "expected an integer from 0 to 3600000");
			o->lock_timeout_ms = (int) json_integer_value(v);
		}
		else
			return bad_option(ctx, key, "unknown option");
	}
	return REX_OK;
}

/*
 * Runs the steps in a savepoint.  Keeps the changes when every step
 * succeeded and 'keep' is set; otherwise rolls them back.
 */
static rex_status
run_steps(rex_ctx *ctx, const rex_plan *plan, bool keep, run_result *rr)
{
	double		t0 = rex_clock_ms();
	rex_status	st;
	int			i;

	memset(rr, 0, sizeof(*rr));
	rr->log = rex_alloc0(ctx, sizeof(rex_log_row) * (size_t) (plan->nsteps + 1));
	if (rr->log == NULL)
		return rex_error_nomem(ctx);
	if ((st = rex_engine_savepoint(ctx)) != REX_OK)
		return st;
	for (i = 0; i < plan->nsteps; i++)
	{
		const rex_step *s = &plan->steps[i];
		double		ts = rex_clock_ms();

		st = rex_engine_query(ctx, s->sql, 0, NULL, NULL);
		rr->log[i].step = i + 1;
		rr->log[i].kind = s->kind;
		rr->log[i].sql = s->sql;
		rr->log[i].duration_ms = rex_clock_ms() - ts;
		if (st != REX_OK)
		{
			if (st != REX_ERR_ENGINE)
				return st;		/* out of memory and the like: give up */
			rr->failed_step = i + 1;
			rr->error = ctx->err;
			rr->log[i].message = ctx->err.message;
			rex_error_clear(ctx);
			break;
		}
		rr->log[i].message = "ok";
		rr->applied_steps++;
	}
	if (rr->failed_step == 0 && keep)
		st = rex_engine_release(ctx);
	else
		st = rex_engine_rollback_to(ctx);
	rr->duration_ms = rex_clock_ms() - t0;
	return st;
}

/* Joins the steps' SQL (or their inverses, last step first). */
static const char *
joined_sql(rex_ctx *ctx, const rex_plan *plan, bool down)
{
	rex_buf		b;
	int			i;

	rex_buf_init(&b, ctx);
	for (i = 0; i < plan->nsteps; i++)
	{
		const rex_step *s = &plan->steps[down ? plan->nsteps - 1 - i : i];
		const char *sql = down ? s->sql_down : s->sql;

		if (sql == NULL)
			return NULL;
		rex_buf_append(&b, sql);
		rex_buf_append(&b, ";\n");
	}
	return rex_buf_ok(&b) ? b.data : NULL;
}

/* "entities: create user, post; drop old" */
static const char *
migration_name(rex_ctx *ctx, const rex_plan *plan)
{
	rex_buf		b;
	const char *verb = NULL;
	size_t		i;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "entities:");
	for (i = 0; i < json_array_size(plan->ops); i++)
	{
		json_t	   *op = json_array_get(plan->ops, i);
		const char *v = strcmp(json_string_value(json_object_get(op, "op")),
							   "drop_entity") == 0 ? "drop" : "create";

		if (verb == NULL || strcmp(verb, v) != 0)
			rex_buf_printf(&b, "%s %s ", verb ? ";" : "", v);
		else
			rex_buf_append(&b, ", ");
		rex_buf_append(&b, json_string_value(json_object_get(op, "entity")));
		verb = v;
	}
	return rex_buf_ok(&b) ? b.data : "entities";
}

/* Checksum of the ops and the chained hash after the previous one. */
static rex_status
checksums(rex_ctx *ctx, const rex_plan *plan, const char **checksum, const char **chain)
{
	json_t	   *content = rex_json_own(ctx, json_object());
	const char *text;
	const char *prev;
	char		hex[65];
	rex_buf		b;
	rex_status	st;

	if (content == NULL)
		return ctx->err.status;
	json_object_set_new(content, "kind", json_string("entities"));
	json_object_set(content, "ops", plan->ops);
	if ((text = rex_json_text(ctx, content, REX_JSON_CANONICAL)) == NULL)
		return ctx->err.status;
	if (!rex_sha256_hex(text, strlen(text), hex))
		return rex_error_set(ctx, REX_ERR_INTERNAL, "SHA-256 failed");
	*checksum = rex_strdup(ctx, hex);
	if ((st = rex_catalog_last_chain(ctx, &prev)) != REX_OK)
		return st;
	rex_buf_init(&b, ctx);
	rex_buf_append(&b, prev);
	rex_buf_append(&b, hex);
	if (!rex_buf_ok(&b) || !rex_sha256_hex(b.data, b.len, hex))
		return rex_error_nomem(ctx);
	*chain = rex_strdup(ctx, hex);
	return REX_OK;
}

/* Marks every planned entity as migrated (or forgets dropped ones). */
static rex_status
update_entities(rex_ctx *ctx, const rex_plan *plan)
{
	size_t		i;
	rex_status	st;

	for (i = 0; i < json_array_size(plan->ops); i++)
	{
		json_t	   *op = json_array_get(plan->ops, i);
		const char *entity = json_string_value(json_object_get(op, "entity"));

		if (strcmp(json_string_value(json_object_get(op, "op")), "drop_entity") == 0)
			st = rex_catalog_delete_entity(ctx, entity);
		else
			st = rex_catalog_mark_applied(ctx, entity);
		if (st != REX_OK)
			return st;
	}
	return REX_OK;
}

/* Writes the history row and the log rows of a finished migration. */
static rex_status
record(rex_ctx *ctx, const rex_plan *plan, const run_result *rr, const char *started,
	   json_t *steps_json, json_t *summary)
{
	rex_history_row h;
	int64_t		n_entity = 0;
	int64_t		id;
	rex_status	st;
	int			i;

	memset(&h, 0, sizeof(h));
	if ((st = rex_catalog_count_history(ctx, "entities", "applied", &n_entity)) != REX_OK ||
		(st = checksums(ctx, plan, &h.checksum, &h.chain_hash)) != REX_OK)
		return st;
	h.version = rex_psprintf(ctx, "entities_%04lld", (long long) n_entity + 1);
	h.name = migration_name(ctx, plan);
	h.kind = "entities";
	h.plan = rex_json_text(ctx, steps_json, REX_JSON_CANONICAL);
	h.sql_up = joined_sql(ctx, plan, false);
	h.sql_down = joined_sql(ctx, plan, true);
	h.reversible = h.sql_down != NULL;
	h.state = rr->failed_step ? "failed" : "applied";
	if (rr->failed_step)
	{
		h.chain_hash = NULL;
		h.error = rr->error.message;
		h.error_step = rr->failed_step;
	}
	h.total_steps = plan->nsteps;
	h.applied_steps = rr->failed_step ? 0 : rr->applied_steps;
	h.duration_ms = rr->duration_ms;
	h.started_at = started;
	if (h.version == NULL || h.plan == NULL || h.sql_up == NULL)
		return rex_error_nomem(ctx);
	if (rr->failed_step == 0 && (st = update_entities(ctx, plan)) != REX_OK)
		return st;
	if ((st = rex_catalog_insert_history(ctx, &h, &id)) != REX_OK)
		return st;
	for (i = 0; i < plan->nsteps && rr->log[i].step; i++)
		if ((st = rex_catalog_insert_log(ctx, id, &rr->log[i])) != REX_OK)
			return st;
	json_object_set_new(summary, "version", json_string(h.version));
	json_object_set_new(summary, "name", json_string(h.name));
	json_object_set_new(summary, "kind", json_string(h.kind));
	json_object_set_new(summary, "state", json_string(h.state));
	json_object_set_new(summary, "checksum", json_string(h.checksum));
	return REX_OK;
}

/* Refuses destructive steps unless allowed; names the first one. */
static rex_status
check_data_loss(rex_ctx *ctx, const rex_plan *plan, const migrate_opts *o)
{
	int			i;

	if (!plan->destructive || o->allow_data_loss)
		return REX_OK;
	for (i = 0; i < plan->nsteps; i++)
		if (plan->steps[i].destructive)
			break;
	rex_error_set(ctx, REX_ERR_STATE, "migration would lose data: step %d (%s of entity \"%s\")",
				  i + 1, plan->steps[i].kind, plan->steps[i].entity);
	rex_error_detail(ctx, "%s.", json_string_value(json_array_get(plan->steps[i].warnings, 0)));
	rex_error_hint(ctx, "Check plan(), then run migrate('{\"allow_data_loss\": true}').");
	return REX_ERR_STATE;
}

/* The JSON answer for one migration attempt. */
static json_t *
summary_json(rex_ctx *ctx, const rex_plan *plan, const run_result *rr)
{
	json_t	   *s = rex_json_own(ctx, json_object());

	if (s == NULL)
		return NULL;
	json_object_set_new(s, "steps", json_integer(plan->nsteps));
	json_object_set_new(s, "applied_steps", json_integer(rr->failed_step ? 0 : rr->applied_steps));
	/* to the microsecond: more digits are noise */
	json_object_set_new(s, "duration_ms", json_real((double) (int64_t) (rr->duration_ms * 1000.0) / 1000.0));
	json_object_set_new(s, "error", rr->failed_step ? json_string(rr->error.message) : json_null());
	json_object_set_new(s, "error_step", rr->failed_step ? json_integer(rr->failed_step) : json_null());
	return s;
}

/* Raises a failed step's error (strict mode). */
static rex_status
raise_step_error(rex_ctx *ctx, const rex_plan *plan, const run_result *rr)
{
	ctx->err = rr->error;
	ctx->err.detail = rex_psprintf(ctx, "Step %d (%s of entity \"%s\") failed; nothing was changed.",
								   rr->failed_step, plan->steps[rr->failed_step - 1].kind,
								   plan->steps[rr->failed_step - 1].entity);
	return ctx->err.status;
}

/*
 * Applies the change-feed retention limits of the entities that have
 * some; "pruned_changes" is in the answer only when one does.
 */
static rex_status
apply_retention(rex_ctx *ctx, json_t *answer)
{
	int64_t		pruned;
	bool		any;
	rex_status	st = rex_changes_retention(ctx, &pruned, &any);

	if (st == REX_OK && any)
		json_object_set_new(answer, "pruned_changes", json_integer(pruned));
	return st;
}

/* Plans and runs the pending entity changes under the lock. */
static rex_status
migrate_locked(rex_ctx *ctx, const migrate_opts *o, json_t *answer)
{
	rex_entity_row *rows;
	rex_plan	plan;
	run_result	rr;
	json_t	   *steps;
	json_t	   *migrations = json_object_get(answer, "migrations");
	json_t	   *summary;
	const char *started = rex_clock_text(ctx);
	int			n;
	rex_status	st;

	if ((st = rex_catalog_entities(ctx, &rows, &n)) != REX_OK ||
		(st = rex_plan_entities(ctx, rows, n, NULL, &plan)) != REX_OK)
		return st;
	/* a dry run changes nothing: it reports data loss instead of refusing */
	json_object_set_new(answer, "destructive", json_boolean(plan.destructive));
	if (!o->dry_run && (st = check_data_loss(ctx, &plan, o)) != REX_OK)
		return st;
	if ((steps = rex_plan_steps_json(ctx, &plan)) == NULL)
		return ctx->err.status;
	json_object_set(answer, "steps", steps);
	if (plan.nsteps == 0)
	{
		json_object_set_new(answer, "status", json_string("up_to_date"));
		return o->dry_run ? REX_OK : apply_retention(ctx, answer);
	}
	if ((st = run_steps(ctx, &plan, !o->dry_run, &rr)) != REX_OK)
		return st;
	if (rr.failed_step && o->strict)
		return raise_step_error(ctx, &plan, &rr);
	if ((summary = summary_json(ctx, &plan, &rr)) == NULL)
		return ctx->err.status;
	if (o->dry_run)
	{
		json_object_set_new(summary, "state", json_string(rr.failed_step ? "failed" : "ok"));
		json_object_set_new(answer, "status", json_string(rr.failed_step ? "failed" : "ok"));
	}
	else
	{
		if ((st = record(ctx, &plan, &rr, started, steps, summary)) != REX_OK)
			return st;
		json_object_set_new(answer, "status", json_string(rr.failed_step ? "failed" : "applied"));
	}
	json_array_append(migrations, summary);
	return o->dry_run || rr.failed_step ? REX_OK : apply_retention(ctx, answer);
}

rex_status
rex_api_migrate(rex_ctx *ctx, const char *options, const char **out)
{
	migrate_opts o;
	json_t	   *answer;
	bool		own_txn = false;
	rex_status	st;
	rex_status	st2;

	if ((st = parse_options(ctx, options, &o)) != REX_OK ||
		(st = rex_catalog_open(ctx, true, NULL)) != REX_OK)
		return st;
	answer = rex_json_own(ctx, json_object());
	if (answer == NULL)
		return ctx->err.status;
	json_object_set_new(answer, "status", json_string("up_to_date"));
	json_object_set_new(answer, "dry_run", json_boolean(o.dry_run));
	json_object_set_new(answer, "destructive", json_false());
	json_object_set_new(answer, "migrations", json_array());
	if ((st = rex_engine_lock(ctx, o.lock_timeout_ms, &own_txn)) != REX_OK)
		return st;
	st = migrate_locked(ctx, &o, answer);
	st2 = rex_engine_unlock(ctx, own_txn, st == REX_OK);
	if (st != REX_OK)
		return st;
	if (st2 != REX_OK)
		return st2;
	*out = rex_json_text(ctx, answer, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}

rex_status
rex_api_migration_status(rex_ctx *ctx, const char **out)
{
	rex_entity_row *rows = NULL;
	rex_plan	plan;
	json_t	   *o;
	json_t	   *last = json_null();
	int64_t		applied = 0,
				failed = 0;
	int			n = 0,
				pending = 0,
				i;
	bool		exists = true;
	rex_status	st;

	memset(&plan, 0, sizeof(plan));
	if ((st = rex_catalog_open(ctx, false, &exists)) != REX_OK)
		return st;
	if (exists &&
		((st = rex_catalog_entities(ctx, &rows, &n)) != REX_OK ||
		 (st = rex_plan_entities(ctx, rows, n, NULL, &plan)) != REX_OK ||
		 (st = rex_catalog_count_history(ctx, NULL, "applied", &applied)) != REX_OK ||
		 (st = rex_catalog_count_history(ctx, NULL, "failed", &failed)) != REX_OK ||
		 (st = rex_catalog_last_history(ctx, &last)) != REX_OK))
		return st;
	for (i = 0; i < n; i++)
		if (rows[i].applied == NULL || rows[i].dropped)
			pending++;
	o = rex_json_own(ctx, json_object());
	if (o == NULL)
		return ctx->err.status;
	json_object_set_new(o, "rex_version", json_string(REX_VERSION));
	json_object_set_new(o, "catalog_version", json_integer(REX_CATALOG_VERSION));
	json_object_set_new(o, "entities", json_integer(n));
	json_object_set_new(o, "pending_entities", json_integer(pending));
	json_object_set_new(o, "pending_steps", json_integer(plan.nsteps));
	json_object_set_new(o, "destructive_pending", json_boolean(plan.destructive));
	json_object_set_new(o, "applied_migrations", json_integer(applied));
	json_object_set_new(o, "failed_migrations", json_integer(failed));
	json_object_set(o, "last_migration", last);
	json_object_set_new(o, "up_to_date", json_boolean(plan.nsteps == 0));
	*out = rex_json_text(ctx, o, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}
