/*
 * catalog.c
 *		Reading and writing rex's catalog tables (see catalog.h).
 *
 * Every statement is a template (sqltpl.h) with bound parameters; the
 * same text serves both engines.
 */
#include "catalog.h"
#include "clock.h"
#include "json_util.h"
#include "rex_dialect.h"
#include "rex_engine.h"
#include "sqltpl.h"

#include <string.h>

rex_status
rex_catalog_open(rex_ctx *ctx, bool create, bool *exists)
{
	bool		dummy;

	return rex_engine_catalog(ctx, create, exists ? exists : &dummy);
}

/* Runs a template with parameters. */
static rex_status
run(rex_ctx *ctx, const char *tpl, int n, const rex_value *params, rex_result **res)
{
	const char *sql = rex_sql(ctx, tpl);

	if (sql == NULL)
		return ctx->err.status;
	return rex_engine_query(ctx, sql, n, params, res);
}

/*
 * Parses a JSON column of a catalog row (NULL cell -> NULL).  The text is
 * rex's own canonical JSON (or PostgreSQL's jsonb output of it): its
 * numbers need no normalising.  'same_as' is a value parsed from the same
 * row: when the texts are equal (an entity whose definition is applied)
 * it is shared instead of parsed again.
 */
static rex_status
json_cell(rex_ctx *ctx, const rex_result *res, int row, int col, json_t **out,
		  int same_col, json_t *same_as)
{
	const char *s = rex_result_text(res, row, col);
	const char *other = same_as ? rex_result_text(res, row, same_col) : NULL;

	*out = NULL;
	if (s == NULL)
		return REX_OK;
	if (other && strcmp(s, other) == 0)
	{
		*out = same_as;
		return REX_OK;
	}
	*out = rex_json_parse_canonical(ctx, s, "catalog definition");
	return *out ? REX_OK : ctx->err.status;
}

#define ENTITY_COLUMNS \
	"name, table_name, schema_name, definition, applied, dropped, version, " \
	"{ts:created_at}, {ts:updated_at}, {ts:migrated_at}"

/* Fills 'row' from result row i of an ENTITY_COLUMNS query. */
static rex_status
entity_from_result(rex_ctx *ctx, const rex_result *res, int i, rex_entity_row *row)
{
	rex_status	st;

	row->name = rex_result_text(res, i, 0);
	row->table = rex_result_text(res, i, 1);
	row->schema = rex_result_text(res, i, 2);
	if ((st = json_cell(ctx, res, i, 3, &row->definition, 0, NULL)) != REX_OK ||
		(st = json_cell(ctx, res, i, 4, &row->applied, 3, row->definition)) != REX_OK)
		return st;
	row->dropped = rex_result_int(res, i, 5) != 0;
	row->version = (int) rex_result_int(res, i, 6);
	row->created_at = rex_result_text(res, i, 7);
	row->updated_at = rex_result_text(res, i, 8);
	row->migrated_at = rex_result_text(res, i, 9);
	return REX_OK;
}

rex_status
rex_catalog_entities(rex_ctx *ctx, rex_entity_row **rows, int *n)
{
	rex_result *res;
	rex_status	st;
	int			i;

	st = run(ctx, "SELECT " ENTITY_COLUMNS " FROM {entities} ORDER BY name {binary}",
			 0, NULL, &res);
	if (st != REX_OK)
		return st;
	*rows = rex_alloc0(ctx, sizeof(rex_entity_row) * (size_t) (res->nrows + 1));
	if (*rows == NULL)
		return rex_error_nomem(ctx);
	for (i = 0; i < res->nrows; i++)
		if ((st = entity_from_result(ctx, res, i, &(*rows)[i])) != REX_OK)
			return st;
	*n = res->nrows;
	return REX_OK;
}

rex_status
rex_catalog_entity(rex_ctx *ctx, const char *name, rex_entity_row **row)
{
	rex_result *res;
	rex_value	p = rex_val_text(name);
	rex_status	st;

	*row = NULL;
	st = run(ctx, "SELECT " ENTITY_COLUMNS " FROM {entities} WHERE name = $1", 1, &p, &res);
	if (st != REX_OK || res->nrows == 0)
		return st;
	*row = rex_alloc0(ctx, sizeof(rex_entity_row));
	if (*row == NULL)
		return rex_error_nomem(ctx);
	return entity_from_result(ctx, res, 0, *row);
}

rex_status
rex_catalog_insert_entity(rex_ctx *ctx, const rex_entity_row *row)
{
	const char *def = rex_json_text(ctx, row->definition, REX_JSON_CANONICAL);
	const char *now = rex_clock_text(ctx);
	rex_value	p[6];

	if (def == NULL)
		return ctx->err.status;
	p[0] = rex_val_text(row->name);
	p[1] = rex_val_text(row->table);
	p[2] = row->schema ? rex_val_text(row->schema) : rex_val_null();
	p[3] = rex_val_text(def);
	p[4] = rex_val_int(row->version);
	p[5] = rex_val_text(now);
	return run(ctx,
			   "INSERT INTO {entities} (name, table_name, schema_name, definition, "
			   "applied, dropped, version, created_at, updated_at) "
			   "VALUES ($1, $2, $3, $4::jsonb, NULL, false, $5, $6::timestamptz, $6::timestamptz)",
			   6, p, NULL);
}

rex_status
rex_catalog_update_definition(rex_ctx *ctx, const char *name, const char *table,
							  json_t *definition, bool dropped, int version)
{
	const char *def = rex_json_text(ctx, definition, REX_JSON_CANONICAL);
	rex_value	p[6];

	if (def == NULL)
		return ctx->err.status;
	p[0] = rex_val_text(name);
	p[1] = rex_val_text(table);
	p[2] = rex_val_text(def);
	p[3] = rex_val_bool(dropped);
	p[4] = rex_val_int(version);
	p[5] = rex_val_text(rex_clock_text(ctx));
	return run(ctx,
			   "UPDATE {entities} SET table_name = $2, definition = $3::jsonb, "
			   "dropped = $4, version = $5, updated_at = $6::timestamptz WHERE name = $1",
			   6, p, NULL);
}

rex_status
rex_catalog_set_dropped(rex_ctx *ctx, const char *name, bool dropped)
{
	rex_value	p[3];

	p[0] = rex_val_text(name);
	p[1] = rex_val_bool(dropped);
	p[2] = rex_val_text(rex_clock_text(ctx));
	return run(ctx, "UPDATE {entities} SET dropped = $2, updated_at = $3::timestamptz "
			   "WHERE name = $1", 3, p, NULL);
}

rex_status
rex_catalog_delete_entity(rex_ctx *ctx, const char *name)
{
	rex_value	p = rex_val_text(name);
	rex_status	st = run(ctx, "DELETE FROM {entities} WHERE name = $1", 1, &p, NULL);

	/* its lifecycle hooks go with it (hooks.c) */
	return st == REX_OK ? run(ctx, "DELETE FROM {hooks} WHERE entity = $1", 1, &p, NULL) : st;
}

rex_status
rex_catalog_mark_applied(rex_ctx *ctx, const char *name)
{
	rex_value	p[2];

	p[0] = rex_val_text(name);
	p[1] = rex_val_text(rex_clock_text(ctx));
	return run(ctx, "UPDATE {entities} SET applied = definition, "
			   "migrated_at = $2::timestamptz WHERE name = $1", 2, p, NULL);
}

rex_status
rex_catalog_last_chain(rex_ctx *ctx, const char **chain)
{
	rex_result *res;
	rex_status	st;

	*chain = "";
	st = run(ctx, "SELECT chain_hash FROM {migrations} WHERE chain_hash IS NOT NULL "
			 "ORDER BY id DESC LIMIT 1", 0, NULL, &res);
	if (st == REX_OK && res->nrows == 1 && rex_result_text(res, 0, 0))
		*chain = rex_result_text(res, 0, 0);
	return st;
}

rex_status
rex_catalog_count_history(rex_ctx *ctx, const char *kind, const char *state,
						  int64_t *count)
{
	rex_result *res;
	rex_value	p[2];
	rex_status	st;

	p[0] = kind ? rex_val_text(kind) : rex_val_null();
	p[1] = state ? rex_val_text(state) : rex_val_null();
	st = run(ctx, "SELECT count(*) FROM {migrations} WHERE ($1::text IS NULL OR kind = $1) "
			 "AND ($2::text IS NULL OR state = $2)", 2, p, &res);
	*count = st == REX_OK ? rex_result_int(res, 0, 0) : 0;
	return st;
}

rex_status
rex_catalog_insert_history(rex_ctx *ctx, const rex_history_row *h, int64_t *id)
{
	rex_result *res;
	rex_value	p[18];
	rex_status	st;

	p[0] = h->version ? rex_val_text(h->version) : rex_val_null();
	p[1] = rex_val_text(h->name);
	p[2] = rex_val_text(h->kind);
	p[3] = rex_val_text(h->plan);
	p[4] = h->sql_up ? rex_val_text(h->sql_up) : rex_val_null();
	p[5] = h->sql_down ? rex_val_text(h->sql_down) : rex_val_null();
	p[6] = rex_val_bool(h->reversible);
	p[7] = rex_val_text(h->checksum);
	p[8] = h->chain_hash ? rex_val_text(h->chain_hash) : rex_val_null();
	p[9] = rex_val_text(h->state);
	p[10] = h->error ? rex_val_text(h->error) : rex_val_null();
	p[11] = h->error_step ? rex_val_int(h->error_step) : rex_val_null();
	p[12] = rex_val_int(h->total_steps);
	p[13] = rex_val_int(h->applied_steps);
	p[14] = rex_val_text(h->started_at);
	p[15] = rex_val_text(rex_clock_text(ctx));
	p[16] = rex_val_real(h->duration_ms);
	p[17] = h->ops ? rex_val_text(h->ops) : rex_val_null();
	st = run(ctx,
			 "INSERT INTO {migrations} (version, name, kind, plan, sql_up, sql_down, "
			 "reversible, checksum, chain_hash, state, error, error_step, total_steps, "
			 "applied_steps, started_at, finished_at, duration_ms, applied_by, "
			 "rex_version, engine, ops) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, "
			 "$10, $11, $12::int4, $13, $14, $15::timestamptz, $16::timestamptz, $17, {user}, "
			 "'" REX_VERSION "', {engine}, $18::jsonb) RETURNING id",
			 18, p, &res);
	if (st != REX_OK)
		return st;
	*id = rex_result_int(res, 0, 0);
	return REX_OK;
}

rex_status
rex_catalog_insert_log(rex_ctx *ctx, int64_t migration_id, const rex_log_row *log)
{
	rex_value	p[7];

	p[0] = rex_val_int(migration_id);
	p[1] = rex_val_int(log->step);
	p[2] = log->kind ? rex_val_text(log->kind) : rex_val_null();
	p[3] = log->sql ? rex_val_text(log->sql) : rex_val_null();
	p[4] = rex_val_real(log->duration_ms);
	p[5] = log->message ? rex_val_text(log->message) : rex_val_null();
	p[6] = rex_val_text(rex_clock_text(ctx));
	return run(ctx,
			   "INSERT INTO {log} (at, level, migration_id, step, kind, sql, duration_ms, "
			   "message) VALUES ($7::timestamptz, 'info', $1, $2, $3, $4, $5, $6)",
			   7, p, NULL);
}

rex_status
rex_catalog_last_history(rex_ctx *ctx, json_t **out)
{
	rex_result *res;
	rex_status	st;
	json_t	   *o;

	*out = json_null();
	st = run(ctx, "SELECT version, name, kind, state, checksum, error, {ts:finished_at} "
			 "FROM {migrations} ORDER BY id DESC LIMIT 1", 0, NULL, &res);
	if (st != REX_OK || res->nrows == 0)
		return st;
	o = rex_json_own(ctx, json_object());
	if (o == NULL)
		return ctx->err.status;
	json_object_set_new(o, "version", rex_result_text(res, 0, 0) ?
						json_string(rex_result_text(res, 0, 0)) : json_null());
	json_object_set_new(o, "name", json_string(rex_result_text(res, 0, 1)));
	json_object_set_new(o, "kind", json_string(rex_result_text(res, 0, 2)));
	json_object_set_new(o, "state", json_string(rex_result_text(res, 0, 3)));
	json_object_set_new(o, "checksum", json_string(rex_result_text(res, 0, 4)));
	json_object_set_new(o, "error", rex_result_text(res, 0, 5) ?
						json_string(rex_result_text(res, 0, 5)) : json_null());
	json_object_set_new(o, "finished_at", json_string(rex_result_text(res, 0, 6)));
	*out = o;
	return REX_OK;
}
