/*
 * rollback.c
 *		rollback() and repair().
 *
 * SQL functions defined here (through rex_api.h):
 *	 rollback(to_version text default null) -> jsonb
 *		Undoes the last applied migration, or every migration applied
 *		after to_version, last first.  A versioned script runs the "down"
 *		text it was applied with (kept in the history); an entity
 *		migration is planned backwards again from its recorded definitions
 *		(entity_ops.c), with the live schema as it is now -- so a SQLite
 *		rebuild keeps indexes and triggers added since.  Before anything
 *		runs, every migration to undo is checked: one that cannot be
 *		undone (a script without down, a dropped column or entity, a lossy
 *		type change) refuses the whole rollback, naming the step.  Each
 *		undone migration is one atomic unit and one new history row (kind
 *		"rollback", state "rolled_back"); nothing is ever updated.
 *	 repair(version text default null) -> jsonb
 *		Accepts what tamper detection refuses, by appending rows: with a
 *		version, the registered (edited) text of that applied script; with
 *		none, the history as it is (the chain is checked from there on) and
 *		every edited script.
 */
#include "catalog.h"
#include "entity_ops.h"
#include "history.h"
#include "json_util.h"
#include "rex_api.h"
#include "rex_engine.h"
#include "runner.h"
#include "scripts.h"

#include <string.h>

#define ROLLBACK_LOCK_TIMEOUT_MS 10000

typedef struct rollback_call
{
	const char *to_version;
	const char **targets;		/* versions to undo, last applied first */
	int			ntargets;
	json_t	   *done;			/* summaries of committed attempts */
	json_t	   *migrations;
	bool		failed;
} rollback_call;

/* What an irreversible step lost, from its "destructive: ..." warning. */
static const char *
lost_text(rex_ctx *ctx, json_t *warnings)
{
	size_t		i;

	for (i = 0; i < json_array_size(warnings); i++)
	{
		const char *w = json_string_value(json_array_get(warnings, i));

		if (w && strncmp(w, "destructive: ", 13) == 0)
			return rex_psprintf(ctx, "The step %s.", w + 13);
	}
	return "The data it removed is gone.";
}

/* Refuses a migration that cannot be undone, naming why. */
static rex_status
check_reversible(rex_ctx *ctx, const rex_applied *a)
{
	const rex_hist *r = a->row;
	size_t		i;

	if (strcmp(a->kind, "script") == 0)
	{
		if (r->sql_down != NULL)
			return REX_OK;
		rex_error_set(ctx, REX_ERR_STATE, "migration \"%s\" cannot be rolled back: it has no "
					  "down script", a->version);
		rex_error_hint(ctx, "Register a new migration that undoes it instead.");
		return REX_ERR_STATE;
	}
	if (strcmp(a->kind, "baseline") == 0)
		return REX_OK;
	for (i = 0; i < json_array_size(r->plan); i++)
	{
		json_t	   *s = json_array_get(r->plan, i);

		if (json_is_true(json_object_get(s, "reversible")))
			continue;
		rex_error_set(ctx, REX_ERR_STATE, "migration \"%s\" cannot be rolled back: step %d "
					  "(%s of entity \"%s\") is irreversible", a->version, (int) i + 1,
					  json_string_value(json_object_get(s, "kind")),
					  json_string_value(json_object_get(s, "entity")));
		rex_error_detail(ctx, "%s", lost_text(ctx, json_object_get(s, "warnings")));
		rex_error_hint(ctx, "Define the entity again as it should be and migrate forward instead.");
		return REX_ERR_STATE;
	}
	return REX_OK;
}

/* Picks the migrations to undo (first attempt only). */
static rex_status
choose_targets(rex_ctx *ctx, rollback_call *rc, const rex_history *h)
{
	int			from,
				i;

	if (rc->targets)
		return REX_OK;
	if (rc->to_version == NULL)
		from = h->napplied - 1;
	else
	{
		for (i = 0; i < h->napplied; i++)
			if (strcmp(h->applied[i].version, rc->to_version) == 0)
				break;
		if (i == h->napplied)
		{
			rex_error_set(ctx, REX_ERR_NOT_FOUND, "migration \"%s\" is not applied",
						  rex_shorten(ctx, rc->to_version, 100));
			rex_error_hint(ctx, "rollback(to_version) undoes the migrations applied after an "
						   "applied one; migration_status() shows the last one.");
			return REX_ERR_NOT_FOUND;
		}
		from = i + 1;
	}
	rc->targets = rex_alloc0(ctx, sizeof(char *) * (size_t) (h->napplied + 1));
	if (rc->targets == NULL)
		return ctx->err.status;
	for (i = h->napplied - 1; i >= from && i >= 0; i--)
		rc->targets[rc->ntargets++] = h->applied[i].version;
	return REX_OK;
}

/* The unit undoing one applied migration. */
static rex_status
undo_unit(rex_ctx *ctx, const rex_applied *a, rex_plan *plan, rex_unit *u)
{
	json_t	   *content = rex_json_own(ctx, json_object());
	json_t	   *ops = a->row->ops;
	rex_status	st;

	memset(u, 0, sizeof(*u));
	memset(plan, 0, sizeof(*plan));
	if (content == NULL)
		return ctx->err.status;
	if (strcmp(a->kind, "script") == 0)
	{
		rex_step   *s = rex_plan_add(ctx, plan, NULL, "script_down");

		if (s == NULL)
			return ctx->err.status;
		s->sql = a->row->sql_down;
		s->sql_down = a->row->sql_up;
		s->reversible = true;
		s->user_sql = true;
	}
	else
	{
		if ((st = rex_entities_plan_inverse(ctx, ops ? ops : json_array(), plan)) != REX_OK)
			return st;
		u->after = rex_entities_after_rollback;
		u->after_arg = ops;
	}
	json_object_set_new(content, "kind", json_string("rollback"));
	json_object_set_new(content, "version", json_string(a->version));
	json_object_set_new(content, "of", json_string(a->checksum));
	u->version = a->version;
	u->name = rex_psprintf(ctx, "rollback of %s", a->row->name ? a->row->name : a->version);
	u->kind = "rollback";
	u->plan = plan;
	u->checksum = rex_history_checksum(ctx, content);
	u->ops = ops;
	u->sql_up = strcmp(a->kind, "script") == 0 ? a->row->sql_down : NULL;
	u->sql_down = a->row->sql_up;
	u->state_ok = "rolled_back";
	u->record = true;
	return u->checksum && u->name ? REX_OK : ctx->err.status;
}

static rex_status
rollback_body(rex_ctx *ctx, rex_session *s, void *arg)
{
	rollback_call *rc = arg;
	rex_history h;
	rex_status	st;
	int			i;

	if (s->attempt == 2 && rc->migrations)
		json_array_extend(rc->done, rc->migrations);
	if ((rc->migrations = rex_json_own(ctx, json_array())) == NULL)
		return ctx->err.status;
	if ((st = rex_history_load(ctx, &h)) != REX_OK ||
		(st = rex_history_verify(ctx, &h)) != REX_OK ||
		(st = choose_targets(ctx, rc, &h)) != REX_OK)
		return st;
	for (i = 0; i < rc->ntargets; i++)
	{
		const rex_applied *a = rex_history_find(&h, rc->targets[i]);

		if (a && (st = check_reversible(ctx, a)) != REX_OK)
			return st;
	}
	for (i = 0; i < rc->ntargets && !rc->failed; i++)
	{
		const rex_applied *a = rex_history_find(&h, rc->targets[i]);
		rex_plan	plan;
		rex_unit	u;

		if (a == NULL)
			continue;			/* undone by the first attempt */
		if ((st = undo_unit(ctx, a, &plan, &u)) != REX_OK ||
			(st = rex_session_rebuild_check(ctx, s, &plan)) != REX_OK)
			return st;
		if (s->restart)
		{
			s->keep = true;
			return REX_OK;
		}
		if ((st = rex_run_unit(ctx, &u, rc->migrations, &rc->failed)) != REX_OK)
			return st;
	}
	return REX_OK;
}

rex_status
rex_api_rollback(rex_ctx *ctx, const char *to_version, const char **out)
{
	rollback_call rc;
	json_t	   *answer;
	json_t	   *all;
	rex_status	st;

	memset(&rc, 0, sizeof(rc));
	rc.to_version = to_version;
	if ((st = rex_catalog_open(ctx, true, NULL)) != REX_OK)
		return st;
	rc.done = rex_json_own(ctx, json_array());
	answer = rex_json_own(ctx, json_object());
	if (rc.done == NULL || answer == NULL)
		return ctx->err.status;
	if ((st = rex_session_run(ctx, ROLLBACK_LOCK_TIMEOUT_MS, rollback_body, &rc)) != REX_OK)
		return st;
	all = json_array();
	json_array_extend(all, rc.done);
	json_array_extend(all, rc.migrations);
	json_object_set_new(answer, "status", json_string(rc.failed ? "failed" :
													  json_array_size(all) ? "rolled_back" :
													  "nothing_to_do"));
	json_object_set_new(answer, "migrations", all);
	*out = rex_json_text(ctx, answer, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}

/* ---------------------------------------------------------------- */
/* repair */

typedef struct repair_call
{
	const char *version;
	json_t	   *migrations;
} repair_call;

/* Appends one repair row (kind repair, no steps). */
static rex_status
repair_row(rex_ctx *ctx, repair_call *rc, const char *version, const char *checksum,
		   const char *name)
{
	rex_plan	plan;
	rex_unit	u;
	bool		failed;

	memset(&plan, 0, sizeof(plan));
	memset(&u, 0, sizeof(u));
	u.version = version;
	u.name = name;
	u.kind = "repair";
	u.plan = &plan;
	u.checksum = checksum;
	u.sql_down = NULL;
	u.state_ok = "applied";
	u.record = true;
	return rex_run_unit(ctx, &u, rc->migrations, &failed);
}

/* Accepts the registered text of an applied, edited script. */
static rex_status
repair_script(rex_ctx *ctx, repair_call *rc, const rex_history *h, const char *version,
			  bool quiet)
{
	const rex_applied *a = rex_history_find(h, version);
	rex_script *scripts;
	int			n,
				i;
	rex_status	st;

	if (a == NULL || strcmp(a->kind, "script") != 0)
	{
		if (quiet)
			return REX_OK;
		rex_error_set(ctx, REX_ERR_NOT_FOUND, "migration \"%s\" is not an applied script",
					  rex_shorten(ctx, version, 100));
		rex_error_hint(ctx, "repair(version) accepts the edited text of an applied script; "
					   "repair() accepts the whole history.");
		return REX_ERR_NOT_FOUND;
	}
	if ((st = rex_scripts_load(ctx, &scripts, &n)) != REX_OK)
		return st;
	for (i = 0; i < n; i++)
		if (strcmp(scripts[i].version, version) == 0)
			break;
	if (i == n || strcmp(scripts[i].checksum, a->checksum) == 0)
		return REX_OK;
	return repair_row(ctx, rc, version, scripts[i].checksum,
					  rex_psprintf(ctx, "repair: accept the edited text of %s", version));
}

static rex_status
repair_body(rex_ctx *ctx, rex_session *s, void *arg)
{
	repair_call *rc = arg;
	rex_history h;
	json_t	   *problems;
	json_t	   *content;
	rex_status	st;
	size_t		i;
	bool		history = false;

	(void) s;
	if ((rc->migrations = rex_json_own(ctx, json_array())) == NULL)
		return ctx->err.status;
	if ((st = rex_history_load(ctx, &h)) != REX_OK)
		return st;
	if (rc->version)
		return repair_script(ctx, rc, &h, rc->version, false);
	if ((st = rex_history_problems(ctx, &h, &problems)) != REX_OK)
		return st;
	for (i = 0; i < json_array_size(problems); i++)
		history = history || strcmp(json_string_value(json_object_get(json_array_get(problems, i),
																	  "kind")), "history") == 0;
	if (history)
	{
		if ((content = rex_json_own(ctx, json_object())) == NULL)
			return ctx->err.status;
		json_object_set_new(content, "kind", json_string("repair"));
		json_object_set_new(content, "accepts_history_up_to",
							json_integer(h.nrows ? h.rows[h.nrows - 1].id : 0));
		if ((st = repair_row(ctx, rc, NULL, rex_history_checksum(ctx, content),
							 "repair: accept the history as it is")) != REX_OK)
			return st;
	}
	for (i = 0; i < (size_t) h.napplied; i++)
		if ((st = repair_script(ctx, rc, &h, h.applied[i].version, true)) != REX_OK)
			return st;
	return REX_OK;
}

rex_status
rex_api_repair(rex_ctx *ctx, const char *version, const char **out)
{
	repair_call rc;
	json_t	   *answer;
	rex_status	st;

	memset(&rc, 0, sizeof(rc));
	rc.version = version;
	if ((st = rex_catalog_open(ctx, true, NULL)) != REX_OK)
		return st;
	if ((st = rex_session_run(ctx, ROLLBACK_LOCK_TIMEOUT_MS, repair_body, &rc)) != REX_OK)
		return st;
	answer = rex_json_own(ctx, json_object());
	if (answer == NULL)
		return ctx->err.status;
	json_object_set_new(answer, "status", json_string(json_array_size(rc.migrations) ?
													  "repaired" : "nothing_to_repair"));
	json_object_set(answer, "migrations", rc.migrations);
	*out = rex_json_text(ctx, answer, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}
