/*
 * hooks.c
 *		Lifecycle hooks: on(entity, event, function), off(...), and the
 *		triggers that call them (an attached-object generator).
 *
 * SQL functions defined: on(entity, event, function), off(entity, event,
 * function).  Catalog: rex.hooks / rex_hooks, one row per (entity, event,
 * function), called in registration order.
 *
 * The contract, the same on both engines: the function takes the row as
 * JSON (an object of every column: booleans true/false, timestamps
 * "YYYY-MM-DDTHH:MM:SS.mmmZ", decimals as strings, bytes as "\\x<hex>",
 * json columns as JSON) and returns JSON or NULL.  A before_insert or
 * before_update hook may return an object of columns to change (other
 * columns keep their values; bytes columns cannot be changed).  Any hook
 * may reject the write by returning {"$error": "message"} or by raising
 * an error.  Delete hooks get the deleted row.
 *
 * PostgreSQL: one row trigger per event, <table>_rex_<event>, running
 * the C function rex.hook_trigger with the functions' signatures as
 * arguments (pg_extension/hooks_pg.c); each function is f(jsonb) and
 * before-hooks return jsonb.
 *
 * SQLite: triggers call the application's SQL function f(json_text) and
 * use built-in SQL otherwise.  SQLite triggers cannot change NEW, so
 * before_insert and before_update hooks run in an AFTER trigger that
 * rewrites the row just written (<table>_rex_hooks_insert / _update; the
 * after-hooks run in the same trigger, after them, so they see the
 * rewritten row); rex_hook_guard marks the rewrite so that it does not
 * fire the update hooks.  A message from {"$error": ...} reaches the
 * writer through a JSON-path error ("... near 'rex: ...'"): SQLite 3.40's
 * RAISE() takes only a constant.  A writer whose connection lacks the
 * function gets "no such function: f" on every write to the table.
 */
#include "attached.h"
#include "catalog.h"
#include "relations.h"
#include "clock.h"
#include "ident.h"
#include "rex_api.h"
#include "rex_dialect.h"
#include "rex_engine.h"
#include "sqltpl.h"

#include <string.h>

static const char *const events[] = {
	"before_insert", "after_insert", "before_update", "after_update",
	"before_delete", "after_delete", NULL
};

#define EVENT_HINT "Events: before_insert, after_insert, before_update, after_update, " \
	"before_delete, after_delete."

static bool
is_pg(rex_ctx *ctx)
{
	return strcmp(ctx->dialect->name, "postgresql") == 0;
}

/* The functions hooked to (entity, event), in order; *n of them. */
static rex_status
hooks_of(rex_ctx *ctx, const char *entity, const char *event, const char ***fns, int *n)
{
	rex_value	p[2];
	rex_result *res;
	const char *sql = rex_sql(ctx, "SELECT function FROM {hooks} WHERE entity = $1 AND event = $2 "
							  "ORDER BY id");
	rex_status	st;
	int			i;

	*n = 0;
	p[0] = rex_val_text(entity);
	p[1] = rex_val_text(event);
	if (sql == NULL)
		return ctx->err.status;
	if ((st = rex_engine_query(ctx, sql, 2, p, &res)) != REX_OK)
		return st;
	*fns = rex_alloc0(ctx, sizeof(char *) * (size_t) (res->nrows + 1));
	if (*fns == NULL)
		return rex_error_nomem(ctx);
	for (i = 0; i < res->nrows; i++)
		(*fns)[i] = rex_result_text(res, i, 0);
	*n = res->nrows;
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* PostgreSQL triggers */

static rex_status
pg_trigger(rex_ctx *ctx, const char *schema, const rex_entity *e, const char *event,
		   const char **fns, int n, rex_attached_list *out)
{
	rex_attached a;
	rex_buf		b;
	const char *name = rex_name_fit(ctx, rex_psprintf(ctx, "%s_rex_%s", e->table, event));
	const char *us = strchr(event, '_');
	int			i;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "CREATE TRIGGER ");
	rex_sql_ident(&b, name);
	rex_buf_printf(&b, " %s %s ON ", strncmp(event, "before", 6) == 0 ? "BEFORE" : "AFTER",
				   strcmp(us + 1, "insert") == 0 ? "INSERT" : strcmp(us + 1, "update") == 0 ? "UPDATE" : "DELETE");
	ctx->dialect->table(&b, schema, e->table);
	rex_buf_append(&b, " FOR EACH ROW EXECUTE FUNCTION rex.hook_trigger(");
	for (i = 0; i < n; i++)
	{
		if (i)
			rex_buf_append(&b, ", ");
		ctx->dialect->quote_literal(&b, fns[i]);
	}
	rex_buf_append(&b, ")");
	memset(&a, 0, sizeof(a));
	a.name = name;
	a.kind = "trigger";
	a.feature = "hooks";
	a.create_sql = b.data;
	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "DROP TRIGGER ");
	rex_sql_ident(&b, name);
	rex_buf_append(&b, " ON ");
	ctx->dialect->table(&b, schema, e->table);
	a.drop_sql = b.data;
	if (name == NULL || a.create_sql == NULL || !rex_buf_ok(&b))
		return rex_error_nomem(ctx);
	return rex_attached_add(ctx, out, &a);
}

/* ---------------------------------------------------------------- */
/* SQLite triggers */

/* JSON of the row under alias 'x' (NEW, OLD or p), in rex's value forms. */
static void
row_json(rex_buf *b, const rex_entity *e, const char *x)
{
	int			i;

	rex_buf_append(b, "json_object(");
	for (i = 0; i < e->ncolumns; i++)
	{
		const rex_column *c = &e->columns[i];
		rex_buf		col;

		rex_buf_init(&col, b->ctx);
		rex_buf_printf(&col, "%s.", x);
		rex_sql_ident(&col, c->name);
		if (i)
			rex_buf_append(b, ", ");
		rex_sql_literal(b, c->name);
		rex_buf_append(b, ", ");
		switch (c->type)
		{
			case REX_T_BOOLEAN:
				rex_buf_printf(b, "CASE WHEN %s IS NULL THEN NULL WHEN %s THEN json('true') "
							   "ELSE json('false') END", col.data, col.data);
				break;
			case REX_T_JSON:
				rex_buf_printf(b, "json(%s)", col.data);
				break;
			case REX_T_BYTES:
				rex_buf_printf(b, "CASE WHEN %s IS NULL THEN NULL ELSE '\\x' || lower(hex(%s)) END",
							   col.data, col.data);
				break;
			case REX_T_TIMESTAMP:
				rex_buf_printf(b, "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', %s)", col.data);
				break;
			default:
				rex_buf_append(b, col.data);
				break;
		}
	}
	rex_buf_append(b, ")");
}

/* SQL rejecting with the hook's {"$error": msg} (r is the result). */
static void
error_check(rex_buf *b, const char *r, const char *fn, const char *table)
{
	rex_buf		prefix;

	rex_buf_init(&prefix, b->ctx);
	rex_buf_printf(&prefix, "rex: hook %s on %s rejected the row: ", fn, table);
	rex_buf_printf(b, "(json_type(%s, '$.\"$error\"') IS NULL OR json_extract('{}', ", r);
	rex_sql_literal(b, prefix.data);
	rex_buf_printf(b, " || json_extract(%s, '$.\"$error\"')) IS NULL)", r);
}

/* The new value of column c from hook result h.r in the rewrite. */
static void
column_from_result(rex_buf *b, const rex_column *c, const char *table, const char *fn)
{
	rex_buf		cur,
				path;

	rex_buf_init(&cur, b->ctx);
	rex_sql_ident(&cur, table);
	rex_buf_append_char(&cur, '.');
	rex_sql_ident(&cur, c->name);
	rex_buf_init(&path, b->ctx);
	rex_buf_printf(&path, "'$.%s'", c->name);
	rex_buf_printf(b, "CASE WHEN json_type(h.r, %s) IS NULL THEN %s ", path.data, cur.data);
	switch (c->type)
	{
		case REX_T_BOOLEAN:
			rex_buf_printf(b, "WHEN json_type(h.r, %s) = 'true' THEN 1 WHEN json_type(h.r, %s) = 'false' "
						   "THEN 0 ELSE json_extract(h.r, %s) END", path.data, path.data, path.data);
			break;
		case REX_T_JSON:
			rex_buf_printf(b, "WHEN json_type(h.r, %s) = 'null' THEN NULL "
						   "WHEN json_type(h.r, %s) IN ('object', 'array') THEN json_extract(h.r, %s) "
						   "ELSE json_quote(json_extract(h.r, %s)) END",
						   path.data, path.data, path.data, path.data);
			break;
		case REX_T_BYTES:
			rex_buf_printf(b, "WHEN json_type(h.r, %s) = 'null' AND %s IS NULL THEN NULL "
						   "WHEN json_extract(h.r, %s) IS '\\x' || lower(hex(%s)) THEN %s "
						   "ELSE json_extract('{}', 'rex: hook %s cannot change bytes column %s') END",
						   path.data, cur.data, path.data, cur.data, cur.data, fn, c->name);
			break;
		default:
			rex_buf_printf(b, "ELSE json_extract(h.r, %s) END", path.data);
			break;
	}
}

/* The rewrite of the row NEW.rowid by before-hook fn. */
static void
rewrite(rex_buf *b, const rex_entity *e, const char *fn)
{
	rex_buf		t,
				call;
	int			i;

	rex_buf_init(&t, b->ctx);
	rex_sql_ident(&t, e->table);
	rex_buf_init(&call, b->ctx);
	rex_sql_ident(&call, fn);
	rex_buf_append(b, "  INSERT OR IGNORE INTO rex_hook_guard (tbl, rid) VALUES (");
	rex_sql_literal(b, e->table);
	rex_buf_append(b, ", NEW.rowid);\n  UPDATE ");
	rex_buf_append(b, t.data);
	rex_buf_append(b, " SET ");
	for (i = 0; i < e->ncolumns; i++)
	{
		if (i)
			rex_buf_append(b, ", ");
		rex_sql_ident(b, e->columns[i].name);
		rex_buf_append(b, " = ");
		column_from_result(b, &e->columns[i], e->table, fn);
	}
	rex_buf_printf(b, " FROM (SELECT %s(", call.data);
	row_json(b, e, "p");
	rex_buf_printf(b, ") AS r FROM %s AS p WHERE p.rowid = NEW.rowid) AS h WHERE %s.rowid = NEW.rowid "
				   "AND h.r IS NOT NULL AND ", t.data, t.data);
	error_check(b, "h.r", fn, e->table);
	rex_buf_append(b, ";\n  DELETE FROM rex_hook_guard WHERE tbl = ");
	rex_sql_literal(b, e->table);
	rex_buf_append(b, " AND rid = NEW.rowid;\n");
}

/* A call of hook fn on the row (current row of NEW.rowid, or OLD). */
static void
call_hook(rex_buf *b, const rex_entity *e, const char *fn, bool old)
{
	rex_buf_append(b, "  SELECT 1 FROM (SELECT ");
	rex_sql_ident(b, fn);
	rex_buf_append(b, "(");
	row_json(b, e, old ? "OLD" : "p");
	rex_buf_append(b, ") AS r");
	if (!old)
	{
		rex_buf_append(b, " FROM ");
		rex_sql_ident(b, e->table);
		rex_buf_append(b, " AS p WHERE p.rowid = NEW.rowid");
	}
	rex_buf_append(b, ") AS h WHERE NOT ");
	error_check(b, "h.r", fn, e->table);
	rex_buf_append(b, ";\n");
}

/* One SQLite trigger: 'timing' op, body from the two lists. */
static rex_status
sqlite_trigger(rex_ctx *ctx, const rex_entity *e, const char *suffix, const char *timing,
			   const char **before, int nbefore, const char **after, int nafter, bool old,
			   rex_attached_list *out)
{
	rex_attached a;
	rex_buf		b;
	const char *name = rex_name_fit(ctx, rex_psprintf(ctx, "%s_rex_hooks_%s", e->table, suffix));
	int			i;

	if (nbefore + nafter == 0)
		return REX_OK;
	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "CREATE TRIGGER ");
	rex_sql_ident(&b, name);
	rex_buf_printf(&b, " %s ON ", timing);
	rex_sql_ident(&b, e->table);
	rex_buf_append(&b, " FOR EACH ROW");
	if (strstr(timing, "UPDATE"))
	{
		rex_buf_append(&b, " WHEN NOT EXISTS (SELECT 1 FROM rex_hook_guard WHERE tbl = ");
		rex_sql_literal(&b, e->table);
		rex_buf_append(&b, " AND rid = NEW.rowid)");
	}
	rex_buf_append(&b, "\nBEGIN\n");
	for (i = 0; i < nbefore; i++)
		rewrite(&b, e, before[i]);
	for (i = 0; i < nafter; i++)
		call_hook(&b, e, after[i], old);
	rex_buf_append(&b, "END");
	memset(&a, 0, sizeof(a));
	a.name = name;
	a.kind = "trigger";
	a.feature = "hooks";
	a.create_sql = b.data;
	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "DROP TRIGGER ");
	rex_sql_ident(&b, name);
	a.drop_sql = b.data;
	if (name == NULL || !rex_buf_ok(&b))
		return rex_error_nomem(ctx);
	return rex_attached_add(ctx, out, &a);
}

/* Every hook of entity 'entity' by event (index into events[]), in order. */
static rex_status
all_hooks_of(rex_ctx *ctx, const char *entity, const char **fns[6], int n[6])
{
	rex_value	p = rex_val_text(entity);
	rex_result *res;
	const char *sql = rex_sql(ctx, "SELECT event, function FROM {hooks} WHERE entity = $1 ORDER BY id");
	rex_status	st;
	int			i,
				k;

	if (sql == NULL)
		return ctx->err.status;
	if ((st = rex_engine_query(ctx, sql, 1, &p, &res)) != REX_OK)
		return st;
	for (k = 0; k < 6; k++)
	{
		n[k] = 0;
		if ((fns[k] = rex_alloc0(ctx, sizeof(char *) * (size_t) (res->nrows + 1))) == NULL)
			return rex_error_nomem(ctx);
	}
	for (i = 0; i < res->nrows; i++)
		for (k = 0; k < 6; k++)
			if (strcmp(rex_result_text(res, i, 0), events[k]) == 0)
				fns[k][n[k]++] = rex_result_text(res, i, 1);
	return REX_OK;
}

rex_status
rex_hooks_attached(rex_ctx *ctx, const char *schema, const rex_entity *e,
				   rex_attached_list *out)
{
	const char **fns[6];
	int			n[6];
	int			i;
	rex_status	st;

	if (e->join_of)
		return REX_OK;
	if ((st = all_hooks_of(ctx, e->name, fns, n)) != REX_OK)
		return st;
	if (is_pg(ctx))
	{
		for (i = 0; i < 6; i++)
			if (n[i] && (st = pg_trigger(ctx, schema, e, events[i], fns[i], n[i], out)) != REX_OK)
				return st;
		return REX_OK;
	}
	if ((st = sqlite_trigger(ctx, e, "insert", "AFTER INSERT", fns[0], n[0], fns[1], n[1], false, out)) != REX_OK ||
		(st = sqlite_trigger(ctx, e, "update", "AFTER UPDATE", fns[2], n[2], fns[3], n[3], false, out)) != REX_OK ||
		(st = sqlite_trigger(ctx, e, "before_delete", "BEFORE DELETE", NULL, 0, fns[4], n[4], true, out)) != REX_OK ||
		(st = sqlite_trigger(ctx, e, "after_delete", "AFTER DELETE", NULL, 0, fns[5], n[5], true, out)) != REX_OK)
		return st;
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* on() and off() */

/* PostgreSQL: the signature of hook function 'fn' taking jsonb. */
static rex_status
pg_hook_function(rex_ctx *ctx, const char *fn, bool before, const char **sig)
{
	rex_value	p[2];
	rex_result *res;
	rex_status	st;

	p[0] = rex_val_text(fn);
	p[1] = rex_val_text(ctx->table_schema ? ctx->table_schema : "public");
	st = rex_engine_query(ctx,
						  "WITH f AS (SELECT pg_catalog.to_regprocedure(CASE WHEN $1 LIKE '%.%' THEN $1 "
						  "ELSE pg_catalog.quote_ident($2) || '.' || $1 END || "
						  "CASE WHEN $1 LIKE '%(%' THEN '' ELSE '(jsonb)' END)::oid AS oid) "
						  "SELECT p.oid::pg_catalog.regprocedure::text, "
						  "p.prorettype OPERATOR(pg_catalog.=) 'pg_catalog.jsonb'::pg_catalog.regtype, "
						  "p.pronargs::int, p.proargtypes[0] OPERATOR(pg_catalog.=) 'pg_catalog.jsonb'::pg_catalog.regtype "
						  "FROM f JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) f.oid", 2, p, &res);
	if (st != REX_OK)
		return st;
	if (res->nrows == 0)
	{
		rex_error_set(ctx, REX_ERR_NOT_FOUND, "function %s(jsonb) does not exist", rex_shorten(ctx, fn, 128));
		rex_error_hint(ctx, "A hook is a function f(row jsonb) returning jsonb; give it as schema.name "
					   "(an unqualified name is looked up in the schema of rex.schema).");
		return REX_ERR_NOT_FOUND;
	}
	if (rex_result_int(res, 0, 2) != 1 || rex_result_int(res, 0, 3) == 0 ||
		(before && rex_result_int(res, 0, 1) == 0))
	{
		rex_error_set(ctx, REX_ERR_DEFINITION, "function %s cannot be a %s hook",
					  rex_result_text(res, 0, 0), before ? "before" : "after");
		rex_error_detail(ctx, "A hook takes one argument, the row as jsonb; a before-hook returns "
						 "jsonb (the columns to change, {\"$error\": \"...\"} to reject, or NULL).");
		return REX_ERR_DEFINITION;
	}
	*sig = rex_result_text(res, 0, 0);
	return REX_OK;
}

/*
 * Every hook object of entity 'name' as the database should have them:
 * made from the live table, the entity as applied (a pending definition
 * may name columns the table does not have yet; migrate() recreates the
 * triggers when it changes the table).
 */
static rex_status
hook_objects(rex_ctx *ctx, const char *name, rex_attached_list *out, bool *live)
{
	rex_schema	s;
	rex_entity *e;
	rex_entity_row *row;
	rex_status	st;

	memset(out, 0, sizeof(*out));
	if ((st = rex_catalog_entity(ctx, name, &row)) != REX_OK)
		return st;
	*live = row && row->applied && !row->dropped;
	if (!*live)
		return REX_OK;
	if ((st = rex_schema_load_applied(ctx, &s)) != REX_OK)
		return st;
	if ((e = rex_schema_entity(&s, name)) == NULL)
		return REX_OK;
	return rex_hooks_attached(ctx, row->schema, e, out);
}

/* Brings the live triggers from 'before' to 'after'. */
static rex_status
apply_objects(rex_ctx *ctx, const rex_attached_list *before, const rex_attached_list *after)
{
	int			i,
				k;
	rex_status	st;

	for (i = 0; i < before->n; i++)
		if ((st = rex_engine_query(ctx, before->items[i].drop_sql, 0, NULL, NULL)) != REX_OK)
			return st;
	for (k = 0; k < after->n; k++)
		if ((st = rex_engine_query(ctx, after->items[k].create_sql, 0, NULL, NULL)) != REX_OK)
			return st;
	return REX_OK;
}

/* The answer: {"entity", "event", "function", "hooks", "active"}. */
static rex_status
answer(rex_ctx *ctx, const char *entity, const char *event, const char *fn, bool live,
	   const char **out)
{
	const char **fns;
	json_t	   *o = rex_json_own(ctx, json_object());
	json_t	   *arr = json_array();
	int			n,
				i;
	rex_status	st;

	if ((st = hooks_of(ctx, entity, event, &fns, &n)) != REX_OK)
		return st;
	if (o == NULL || arr == NULL)
		return rex_error_nomem(ctx);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_string(fns[i]));
	json_object_set_new(o, "entity", json_string(entity));
	json_object_set_new(o, "event", json_string(event));
	json_object_set_new(o, "function", json_string(fn));
	json_object_set_new(o, "hooks", arr);
	json_object_set_new(o, "active", json_boolean(live));
	*out = rex_json_text(ctx, o, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}

/* Checks the arguments of on()/off(); *fn becomes the stored form. */
static rex_status
check_args(rex_ctx *ctx, const char *entity, const char *event, const char **fn, bool on)
{
	rex_entity_row *row;
	const char *problem;
	rex_status	st;
	int			i;

	for (i = 0; events[i]; i++)
		if (strcmp(event, events[i]) == 0)
			break;
	if (events[i] == NULL)
	{
		rex_error_set(ctx, REX_ERR_DEFINITION, "unknown hook event \"%s\"", rex_shorten(ctx, event, 64));
		rex_error_hint(ctx, EVENT_HINT);
		return REX_ERR_DEFINITION;
	}
	if ((st = rex_catalog_open(ctx, true, NULL)) != REX_OK ||
		(st = rex_catalog_entity(ctx, entity, &row)) != REX_OK)
		return st;
	if (row == NULL)
	{
		rex_error_set(ctx, REX_ERR_NOT_FOUND, "entity \"%s\" does not exist", rex_shorten(ctx, entity, 64));
		rex_error_hint(ctx, "Define it first with define_entity().");
		return REX_ERR_NOT_FOUND;
	}
	if (is_pg(ctx) && on)
		return pg_hook_function(ctx, *fn, strncmp(event, "before", 6) == 0, fn);
	if (is_pg(ctx))
	{
		/* off(): the stored signature when the function still exists */
		if (pg_hook_function(ctx, *fn, false, fn) != REX_OK)
			rex_error_clear(ctx);
		return REX_OK;
	}
	if ((problem = rex_ident_problem(*fn, REX_IDENT_ENTITY)) != NULL)
	{
		rex_error_set(ctx, REX_ERR_DEFINITION, "invalid function name \"%s\": %s",
					  rex_shorten(ctx, *fn, 64), problem);
		rex_error_hint(ctx, "On SQLite a hook is the name of a SQL function your application registers.");
		return REX_ERR_DEFINITION;
	}
	return REX_OK;
}

/* on() and off(): change the catalog and the live triggers together. */
static rex_status
change_hook(rex_ctx *ctx, const char *entity, const char *event, const char *function,
			bool on, const char **out)
{
	rex_attached_list before,
				after;
	rex_value	p[4];
	rex_result *res;
	const char *fn = function;
	const char *sql;
	bool		live;
	rex_status	st;

	if ((st = check_args(ctx, entity, event, &fn, on)) != REX_OK ||
		(st = hook_objects(ctx, entity, &before, &live)) != REX_OK)
		return st;
	p[0] = rex_val_text(entity);
	p[1] = rex_val_text(event);
	p[2] = rex_val_text(fn);
	p[3] = rex_val_text(rex_clock_text(ctx));
	sql = rex_sql(ctx, on ?
				  "INSERT INTO {hooks} (entity, event, function, created_at) SELECT $1, $2, $3, "
				  "$4::timestamptz WHERE NOT EXISTS (SELECT 1 FROM {hooks} WHERE entity = $1 AND "
				  "event = $2 AND function = $3) RETURNING id" :
				  "DELETE FROM {hooks} WHERE entity = $1 AND event = $2 AND function = $3 RETURNING id");
	if (sql == NULL || (st = rex_engine_query(ctx, sql, 4, p, &res)) != REX_OK)
		return sql ? st : ctx->err.status;
	if (!on && res->nrows == 0)
	{
		rex_error_set(ctx, REX_ERR_NOT_FOUND, "no %s hook %s on entity \"%s\"", event,
					  rex_shorten(ctx, function, 128), entity);
		rex_error_hint(ctx, "The hooks are listed in rex.hooks (rex_hooks on SQLite).");
		return REX_ERR_NOT_FOUND;
	}
	if (live && ((st = hook_objects(ctx, entity, &after, &live)) != REX_OK ||
				 (st = apply_objects(ctx, &before, &after)) != REX_OK))
		return st;
	return answer(ctx, entity, event, fn, live, out);
}

rex_status
rex_api_on(rex_ctx *ctx, const char *entity, const char *event, const char *function,
		   const char **out)
{
	return change_hook(ctx, entity, event, function, true, out);
}

rex_status
rex_api_off(rex_ctx *ctx, const char *entity, const char *event, const char *function,
			const char **out)
{
	return change_hook(ctx, entity, event, function, false, out);
}
