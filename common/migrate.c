/*
 * migrate.c
 *		migrate() and migration_status().
 *
 * migrate() takes the migration lock (runner.c), reads the history after
 * taking it, refuses a history or an applied script that changed since
 * (history.c: 55000, repair() accepts), then applies the pending
 * versioned scripts in version order and the pending entity changes,
 * each one migration: all of its steps or none.  Every migration goes to
 * the append-only history with a SHA-256 checksum of its engine-neutral
 * content and a chained hash, and each step with its SQL and duration
 * to the log.  A failing migration stops the run; the failure is the
 * answer, not an error, so its record survives when the caller commits
 * ({"strict": true} raises instead).
 *
 * Order and versions: scripts carry the versions given to
 * add_migration() and run in natural version order; a pending script
 * older than the newest applied one is refused (give it a later
 * version).  Entity changes run after the scripts as one migration
 * versioned entities_0001, entities_0002...  rollback() undoes
 * migrations in the reverse of the order they were applied, whatever
 * their versions.
 *
 * Options: dry_run (run everything on the real data inside a savepoint,
 * then roll it back and report), allow_data_loss (needed for destructive
 * steps), strict, lock_timeout_ms.
 */
#include "catalog.h"
#include "drift.h"
#include "entity_ops.h"
#include "history.h"
#include "changes.h"
#include "json_util.h"
#include "plan.h"
#include "rex_api.h"
#include "rex_buf.h"
#include "rex_engine.h"
#include "runner.h"
#include "scripts.h"

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

/* One call of migrate(): options and the answer being built. */
typedef struct migrate_call
{
	const migrate_opts *o;
	json_t	   *answer;
	json_t	   *kept;			/* summaries of an attempt that was committed */
	json_t	   *migrations;		/* summaries of this attempt */
	bool		failed;
	bool		ran;
} migrate_call;

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

/* ---------------------------------------------------------------- */
/* versioned scripts */

/* The newest applied script version, or NULL. */
static const char *
newest_applied_script(const rex_history *h)
{
	const char *v = NULL;
	int			i;

	for (i = 0; i < h->napplied; i++)
		if (strcmp(h->applied[i].kind, "script") == 0 &&
			(v == NULL || rex_version_cmp(h->applied[i].version, v) > 0))
			v = h->applied[i].version;
	return v;
}

/* Runs one script as a migration. */
static rex_status
run_script(rex_ctx *ctx, migrate_call *m, const rex_script *sc)
{
	rex_plan	plan;
	rex_step   *s;
	rex_unit	u;
	rex_status	st;

	memset(&plan, 0, sizeof(plan));
	if ((s = rex_plan_add(ctx, &plan, NULL, "script")) == NULL)
		return ctx->err.status;
	s->sql = sc->up;
	s->sql_down = sc->down;
	s->reversible = sc->down != NULL;
	s->user_sql = true;
	memset(&u, 0, sizeof(u));
	u.version = sc->version;
	u.name = rex_psprintf(ctx, "script %s", sc->version);
	u.kind = "script";
	u.plan = &plan;
	u.checksum = sc->checksum;
	u.sql_up = sc->up;
	u.sql_down = sc->down;
	u.state_ok = "applied";
	u.record = !m->o->dry_run;
	u.strict = m->o->strict;
	st = rex_run_unit(ctx, &u, m->migrations, &m->failed);
	m->ran = true;
	return st;
}

static rex_status
run_scripts(rex_ctx *ctx, migrate_call *m, const rex_history *h)
{
	const char *newest = newest_applied_script(h);
	rex_script *scripts;
	int			n,
				i;
	rex_status	st;

	if ((st = rex_scripts_load(ctx, &scripts, &n)) != REX_OK)
		return st;
	for (i = 0; i < n && !m->failed; i++)
	{
		const rex_script *sc = &scripts[i];

		if (rex_history_find(h, sc->version))
			continue;
		if (newest && rex_version_cmp(sc->version, newest) < 0)
		{
			rex_error_set(ctx, REX_ERR_STATE, "migration \"%s\" is older than the applied "
						  "migration \"%s\"", sc->version, newest);
			rex_error_detail(ctx, "Versioned migrations are applied in version order; \"%s\" "
							 "was registered after newer ones were applied.", sc->version);
			rex_error_hint(ctx, "Register it again under a version after \"%s\", or roll back "
						   "to before it.", newest);
			return REX_ERR_STATE;
		}
		if ((st = run_script(ctx, m, sc)) != REX_OK)
			return st;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* entity changes */

/* The warning that says what a destructive step loses. */
static const char *
destructive_warning(json_t *warnings)
{
	size_t		i;

	for (i = 0; i < json_array_size(warnings); i++)
	{
		const char *w = json_string_value(json_array_get(warnings, i));

		if (w && strncmp(w, "destructive: ", 13) == 0)
			return w + 13;
	}
	return json_string_value(json_array_get(warnings, 0));
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
	rex_error_detail(ctx, "%s.", destructive_warning(plan->steps[i].warnings));
	rex_error_hint(ctx, "Check plan(), then run migrate('{\"allow_data_loss\": true}').");
	return REX_ERR_STATE;
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

static rex_status
run_entities(rex_ctx *ctx, rex_session *s, migrate_call *m)
{
	rex_entity_row *rows;
	rex_plan	plan;
	rex_unit	u;
	json_t	   *steps;
	int			n;
	rex_status	st;

	if ((st = rex_catalog_entities(ctx, &rows, &n)) != REX_OK ||
		(st = rex_plan_entities(ctx, rows, n, NULL, &plan)) != REX_OK)
		return st;
	/* a dry run changes nothing: it reports data loss instead of refusing */
	json_object_set_new(m->answer, "destructive", json_boolean(plan.destructive));
	if (!m->o->dry_run && (st = check_data_loss(ctx, &plan, m->o)) != REX_OK)
		return st;
	if ((steps = rex_plan_steps_json(ctx, &plan)) == NULL)
		return ctx->err.status;
	json_object_set(m->answer, "steps", steps);
	if (json_array_size(plan.ops) == 0)
		return REX_OK;
	if ((st = rex_session_rebuild_check(ctx, s, &plan)) != REX_OK)
		return st;
	if (s->restart)
	{
		s->keep = !m->o->dry_run;
		return REX_OK;
	}
	memset(&u, 0, sizeof(u));
	if ((st = rex_next_version(ctx, "entities", &u.version)) != REX_OK)
		return st;
	u.name = rex_entities_migration_name(ctx, plan.ops);
	u.kind = "entities";
	u.plan = &plan;
	u.checksum = rex_entities_checksum(ctx, plan.ops);
	u.ops = plan.ops;
	u.down_from_steps = true;
	u.state_ok = "applied";
	u.record = !m->o->dry_run;
	u.strict = m->o->strict;
	u.after = rex_entities_after_apply;
	u.after_arg = plan.ops;
	if (u.checksum == NULL || u.name == NULL)
		return ctx->err.status;
	st = rex_run_unit(ctx, &u, m->migrations, &m->failed);
	m->ran = true;
	return st;
}

/* ---------------------------------------------------------------- */

static rex_status
migrate_body(rex_ctx *ctx, rex_session *s, void *arg)
{
	migrate_call *m = arg;
	rex_history h;
	rex_status	st;
	rex_status	st2;

	m->failed = false;
	m->ran = false;
	if ((m->migrations = rex_json_own(ctx, json_array())) == NULL)
		return ctx->err.status;
	if ((st = rex_history_load(ctx, &h)) != REX_OK ||
		(st = rex_history_verify(ctx, &h)) != REX_OK)
		return st;
	if (m->o->dry_run && (st = rex_engine_savepoint(ctx)) != REX_OK)
		return st;
	st = run_scripts(ctx, m, &h);
	if (st == REX_OK && !m->failed)
		st = run_entities(ctx, s, m);
	/* retention of the change feed: after a successful, real migration */
	if (st == REX_OK && !m->failed && !m->o->dry_run && !s->restart)
		st = apply_retention(ctx, m->answer);
	if (m->o->dry_run)
	{
		st2 = rex_engine_rollback_to(ctx);
		if (st == REX_OK)
			st = st2;
	}
	return st;
}

/* Puts the status and the summaries of both attempts into the answer. */
static void
finish_answer(migrate_call *m)
{
	json_t	   *all = json_array();
	const char *status;

	json_array_extend(all, m->kept);
	json_array_extend(all, m->migrations);
	json_object_set_new(m->answer, "migrations", all);
	if (m->failed)
		status = "failed";
	else if (json_array_size(all) == 0)
		status = "up_to_date";
	else
		status = m->o->dry_run ? "ok" : "applied";
	json_object_set_new(m->answer, "status", json_string(status));
}

/* The session body for the second attempt keeps the first one's answers. */
static rex_status
migrate_attempt(rex_ctx *ctx, rex_session *s, void *arg)
{
	migrate_call *m = arg;
	rex_status	st;

	if (s->attempt == 2 && m->migrations && !m->o->dry_run)
		json_array_extend(m->kept, m->migrations);
	st = migrate_body(ctx, s, m);
	return st;
}

rex_status
rex_api_migrate(rex_ctx *ctx, const char *options, const char **out)
{
	migrate_opts o;
	migrate_call m;
	rex_status	st;

	memset(&m, 0, sizeof(m));
	if ((st = parse_options(ctx, options, &o)) != REX_OK ||
		(st = rex_catalog_open(ctx, true, NULL)) != REX_OK)
		return st;
	m.o = &o;
	m.answer = rex_json_own(ctx, json_object());
	m.kept = rex_json_own(ctx, json_array());
	if (m.answer == NULL || m.kept == NULL)
		return ctx->err.status;
	json_object_set_new(m.answer, "status", json_string("up_to_date"));
	json_object_set_new(m.answer, "dry_run", json_boolean(o.dry_run));
	json_object_set_new(m.answer, "destructive", json_false());
	json_object_set_new(m.answer, "migrations", json_array());
	json_object_set_new(m.answer, "steps", json_array());
	if ((st = rex_session_run(ctx, o.lock_timeout_ms, migrate_attempt, &m)) != REX_OK)
		return st;
	finish_answer(&m);
	*out = rex_json_text(ctx, m.answer, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}

/* ---------------------------------------------------------------- */
/* migration_status */

/* Versions of registered scripts not applied, in order. */
static rex_status
pending_scripts(rex_ctx *ctx, const rex_history *h, json_t **out)
{
	rex_script *scripts;
	int			n,
				i;
	rex_status	st;

	if ((*out = rex_json_own(ctx, json_array())) == NULL)
		return ctx->err.status;
	if ((st = rex_scripts_load(ctx, &scripts, &n)) != REX_OK)
		return st;
	for (i = 0; i < n; i++)
		if (rex_history_find(h, scripts[i].version) == NULL)
			json_array_append_new(*out, json_string(scripts[i].version));
	return REX_OK;
}

rex_status
rex_api_migration_status(rex_ctx *ctx, const char **out)
{
	rex_entity_row *rows = NULL;
	rex_plan	plan;
	rex_history h;
	json_t	   *o;
	json_t	   *last = json_null();
	json_t	   *pending = NULL;
	json_t	   *problems = NULL;
	json_t	   *drift = NULL;
	const char *plan_error = NULL;
	int64_t		failed = 0;
	int			n = 0,
				npending = 0,
				i;
	bool		exists = true;
	rex_status	st;

	memset(&plan, 0, sizeof(plan));
	memset(&h, 0, sizeof(h));
	if ((st = rex_catalog_open(ctx, false, &exists)) != REX_OK)
		return st;
	if (exists &&
		((st = rex_catalog_entities(ctx, &rows, &n)) != REX_OK ||
		 (st = rex_history_load(ctx, &h)) != REX_OK ||
		 (st = rex_catalog_count_history(ctx, NULL, "failed", &failed)) != REX_OK ||
		 (st = rex_catalog_last_history(ctx, &last)) != REX_OK ||
		 (st = pending_scripts(ctx, &h, &pending)) != REX_OK ||
		 (st = rex_history_problems(ctx, &h, &problems)) != REX_OK ||
		 (st = rex_drift(ctx, rows, n, &drift)) != REX_OK))
		return st;
	/* a plan that cannot be made now (a table taken, one gone): reported, not raised */
	if (exists && (st = rex_plan_entities(ctx, rows, n, NULL, &plan)) != REX_OK)
	{
		if (st == REX_ERR_ENGINE || st == REX_ERR_NOMEM || st == REX_ERR_INTERNAL)
			return st;
		plan_error = rex_strdup(ctx, ctx->err.message);
		rex_error_clear(ctx);
		memset(&plan, 0, sizeof(plan));
	}
	for (i = 0; i < n; i++)
		if (rows[i].applied == NULL || rows[i].dropped ||
			!json_equal(rows[i].applied, rows[i].definition))
			npending++;
	o = rex_json_own(ctx, json_object());
	if (o == NULL)
		return ctx->err.status;
	json_object_set_new(o, "rex_version", json_string(REX_VERSION));
	json_object_set_new(o, "catalog_version", json_integer(REX_CATALOG_VERSION));
	json_object_set_new(o, "entities", json_integer(n));
	json_object_set_new(o, "pending_entities", json_integer(npending));
	json_object_set_new(o, "pending_steps", plan_error ? json_null() : json_integer(plan.nsteps));
	json_object_set_new(o, "plan_error", plan_error ? json_string(plan_error) : json_null());
	json_object_set_new(o, "destructive_pending", json_boolean(plan.destructive));
	json_object_set_new(o, "applied_migrations", json_integer(h.napplied));
	json_object_set_new(o, "failed_migrations", json_integer(failed));
	json_object_set(o, "last_migration", last);
	json_object_set_new(o, "pending_migrations", pending ? json_incref(pending) : json_array());
	json_object_set_new(o, "problems", problems ? json_incref(problems) : json_array());
	json_object_set_new(o, "drift", drift ? json_incref(drift) : json_array());
	json_object_set_new(o, "up_to_date", json_boolean(plan.nsteps == 0 && npending == 0 &&
													  plan_error == NULL &&
													  (pending == NULL || json_array_size(pending) == 0)));
	*out = rex_json_text(ctx, o, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}
