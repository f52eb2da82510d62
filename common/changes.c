/*
 * changes.c
 *		The change feed in the core: "changes" options of a definition, the
 *		capture triggers of both engines, reading, pruning and retention.
 *
 * Capture triggers are attached objects (attached.h), so that migrate()
 * creates them with the table and drops them with it.
 *
 * PostgreSQL: one statement-level AFTER trigger per captured operation,
 * with transition tables, calling the C function rex.capture(entity,
 * config) (pg_extension/capture_pg.c).  The config argument is the JSON
 * of what the function needs: the key columns, the captured columns, old
 * images, the notify mode.  Since it lists the captured columns, a change
 * of the options or of the columns changes the trigger's SQL, and the
 * planner recreates it.
 *
 * SQLite: row triggers in built-in SQL only, so that connections that
 * never loaded rex are captured too.  Each writes the event's parts as
 * JSON text into rex_changes, whose AUTOINCREMENT id never goes back.  An
 * UPDATE that changes the primary key is written as a delete of the old
 * key and an insert of the new one, on both engines.
 *
 * Values in events: numbers for integer and float columns, true/false
 * for booleans, strings for decimals (exact), uuids, dates, text and
 * timestamps (UTC, "YYYY-MM-DDTHH:MM:SS.mmmZ"), bytes as base64, json
 * columns as JSON.
 *
 * SQL functions implemented here for both engines (through the glue):
 * changes_since, prune_changes.
 */
#include "attached.h"
#include "catalog.h"
#include "changes.h"
#include "json_util.h"
#include "rex_buf.h"
#include "rex_dialect.h"
#include "rex_engine.h"
#include "sqltpl.h"

#include <stdlib.h>
#include <string.h>

const char *const rex_notify_names[] = {"off", "row", "doorbell", "worker", NULL};

static const char *const op_names[] = {"insert", "update", "delete", "truncate", NULL};

static const char *const change_keys[] = {
	"operations", "include", "exclude", "old", "notify", "retention", NULL
};

#define CHANGES_KEYS_HINT "Accepted keys: operations, include, exclude, old, notify, retention."
#define OPS_HINT "Accepted operations: insert, update, delete, truncate."
#define NOTIFY_HINT "Accepted modes: off (log only), row, doorbell, worker."
#define RETENTION_HINT "Write {\"max_age\": \"7 days\"} (seconds, minutes, hours or days, " \
	"or a number of seconds) and/or {\"max_events\": 100000}."

/* ---------------------------------------------------------------- */
/* parsing */

static bool
is_pg(const rex_ctx *ctx)
{
	return strcmp(ctx->dialect->name, "postgresql") == 0;
}

/* Reads "operations". */
static rex_status
parse_ops(defparse *dp, json_t *v, unsigned *ops)
{
	const char *path = "changes.operations";
	size_t		i;

	*ops = REX_OP_ALL;
	if (v == NULL)
		return REX_OK;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, OPS_HINT,
							"expected a non-empty array of operations, got %s",
							json_is_array(v) ? "an empty array" : rex_def_json_kind(v));
	*ops = 0;
	for (i = 0; i < json_array_size(v); i++)
	{
		json_t	   *o = json_array_get(v, i);
		int			k;

		if (!json_is_string(o))
			return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i),
								OPS_HINT, "expected an operation name, got %s",
								rex_def_json_kind(o));
		for (k = 0; op_names[k]; k++)
			if (strcmp(json_string_value(o), op_names[k]) == 0)
				break;
		if (op_names[k] == NULL)
			return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i),
								OPS_HINT, "unknown operation \"%s\"",
								rex_def_shown(dp, json_string_value(o)));
		if (*ops & (1u << k))
			return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i),
								NULL, "operation \"%s\" is listed twice", op_names[k]);
		*ops |= 1u << k;
	}
	return REX_OK;
}

/* Reads "include" or "exclude": a list of the entity's columns. */
static rex_status
parse_columns(defparse *dp, json_t *v, const char *key, const char ***out, int *n)
{
	const char *path = rex_psprintf(dp->ctx, "changes.%s", key);
	size_t		i,
				j;

	*out = NULL;
	*n = 0;
	if (v == NULL || json_is_null(v))
		return REX_OK;
	if (!json_is_array(v) || (json_array_size(v) == 0 && strcmp(key, "include") == 0))
		return rex_def_fail(dp, REX_ERR_DEFINITION, path,
							"Write a list of column names such as [\"id\", \"email\"].",
							"expected a non-empty array of column names, got %s",
							json_is_array(v) ? "an empty array" : rex_def_json_kind(v));
	*out = rex_alloc0(dp->ctx, sizeof(char *) * (json_array_size(v) + 1));
	if (*out == NULL)
		return rex_error_nomem(dp->ctx);
	for (i = 0; i < json_array_size(v); i++)
	{
		json_t	   *c = json_array_get(v, i);
		const rex_column *col;

		if (!json_is_string(c))
			return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i), NULL,
								"expected a column name, got %s", rex_def_json_kind(c));
		col = rex_entity_column(dp->e, json_string_value(c));
		if (col == NULL)
			return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i), NULL,
								"unknown column \"%s\"", rex_def_shown(dp, json_string_value(c)));
		for (j = 0; j < i; j++)
			if (strcmp((*out)[j], col->name) == 0)
				return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i),
									NULL, "column \"%s\" is listed twice", col->name);
		(*out)[i] = col->name;
	}
	*n = (int) json_array_size(v);
	return REX_OK;
}

/* "7 days", "12 hours", "30 minutes", "90 seconds", or a number of seconds. */
static bool
parse_age(json_t *v, int64_t *secs)
{
	static const struct
	{
		const char *unit;
		int64_t		mult;
	}			units[] = {
		{"second", 1}, {"seconds", 1}, {"minute", 60}, {"minutes", 60},
		{"hour", 3600}, {"hours", 3600}, {"day", 86400}, {"days", 86400}
	};
	const char *s;
	char	   *end;
	long long	n;
	size_t		i;

	if (json_is_integer(v))
	{
		*secs = json_integer_value(v);
		return *secs > 0;
	}
	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	n = strtoll(s, &end, 10);
	if (end == s || n <= 0 || n > 1000000000LL || *end != ' ')
		return false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end + 1, units[i].unit) == 0)
		{
			*secs = n * units[i].mult;
			return true;
		}
	return false;
}

/* Reads "retention". */
static rex_status
parse_retention(defparse *dp, json_t *v, rex_changes_opts *o)
{
	static const char *const keys[] = {"max_age", "max_events", NULL};
	json_t	   *age,
			   *max;

	if (v == NULL || json_is_null(v))
		return REX_OK;
	if (!json_is_object(v))
		return rex_def_fail(dp, REX_ERR_DEFINITION, "changes.retention", RETENTION_HINT,
							"expected an object, got %s", rex_def_json_kind(v));
	if (rex_def_check_keys(dp, v, "changes.retention", keys, NULL, RETENTION_HINT) != REX_OK)
		return dp->ctx->err.status;
	age = json_object_get(v, "max_age");
	max = json_object_get(v, "max_events");
	if (age && !json_is_null(age) && !parse_age(age, &o->max_age))
		return rex_def_fail(dp, REX_ERR_DEFINITION, "changes.retention.max_age", RETENTION_HINT,
							"expected a positive duration, got %s",
							json_is_string(age) ? rex_psprintf(dp->ctx, "\"%s\"",
															   rex_def_shown(dp, json_string_value(age)))
							: rex_def_json_kind(age));
	if (max && !json_is_null(max))
	{
		if (!json_is_integer(max) || json_integer_value(max) < 1)
			return rex_def_fail(dp, REX_ERR_DEFINITION, "changes.retention.max_events", NULL,
								"expected a positive integer, got %s",
								json_is_integer(max) ? "a value out of range" : rex_def_json_kind(max));
		o->max_events = json_integer_value(max);
	}
	return REX_OK;
}

/* Reads "notify". */
static rex_status
parse_notify(defparse *dp, json_t *v, rex_changes_opts *o)
{
	int			k;

	o->notify = REX_NOTIFY_OFF;
	if (v == NULL)
		return REX_OK;
	if (!json_is_string(v))
		return rex_def_fail(dp, REX_ERR_DEFINITION, "changes.notify", NOTIFY_HINT,
							"expected a mode name, got %s", rex_def_json_kind(v));
	for (k = 0; rex_notify_names[k]; k++)
		if (strcmp(json_string_value(v), rex_notify_names[k]) == 0)
			break;
	if (rex_notify_names[k] == NULL)
		return rex_def_fail(dp, REX_ERR_DEFINITION, "changes.notify", NOTIFY_HINT,
							"unknown notify mode \"%s\"", rex_def_shown(dp, json_string_value(v)));
	o->notify = (rex_notify_mode) k;
	if (o->notify != REX_NOTIFY_OFF && strlen(dp->e->name) > REX_CHANGES_MAX_CHANNEL_ENTITY)
		return rex_def_fail(dp, REX_ERR_DEFINITION, "changes.notify",
							"Use a shorter entity name, or \"notify\": \"off\".",
							"the channel \"rex.%s\" would be longer than 63 bytes, "
							"PostgreSQL's limit for channel names", dp->e->name);
	return REX_OK;
}

rex_status
rex_changes_parse(defparse *dp, json_t *def)
{
	json_t	   *v = json_object_get(def, "changes");
	rex_changes_opts *o;
	int			i,
				n = 0;
	rex_status	st;

	dp->e->changes = NULL;
	if (v == NULL || json_is_false(v) || json_is_null(v))
		return REX_OK;
	if (!json_is_object(v) && !json_is_true(v))
		return rex_def_fail(dp, REX_ERR_DEFINITION, "changes",
							"Write \"changes\": {} (or true) to capture every change; " CHANGES_KEYS_HINT,
							"expected an object or true, got %s", rex_def_json_kind(v));
	o = rex_alloc0(dp->ctx, sizeof(*o));
	if (o == NULL)
		return rex_error_nomem(dp->ctx);
	if (json_is_true(v))
	{
		o->ops = REX_OP_ALL;
		dp->e->changes = o;
		return REX_OK;
	}
	if ((st = rex_def_check_keys(dp, v, "changes", change_keys, NULL, CHANGES_KEYS_HINT)) != REX_OK ||
		(st = parse_ops(dp, json_object_get(v, "operations"), &o->ops)) != REX_OK ||
		(st = parse_columns(dp, json_object_get(v, "include"), "include",
							&o->include, &o->ninclude)) != REX_OK ||
		(st = parse_columns(dp, json_object_get(v, "exclude"), "exclude",
							&o->exclude, &o->nexclude)) != REX_OK ||
		(st = rex_def_get_bool(dp, v, "old", "changes", false, &o->old)) != REX_OK ||
		(st = parse_notify(dp, json_object_get(v, "notify"), o)) != REX_OK ||
		(st = parse_retention(dp, json_object_get(v, "retention"), o)) != REX_OK)
		return st;
	if (o->include && o->nexclude > 0)
		return rex_def_fail(dp, REX_ERR_DEFINITION, "changes",
							"List the columns to keep in \"include\" or those to leave out in "
							"\"exclude\", not both.", "both \"include\" and \"exclude\" are given");
	dp->e->changes = o;
	for (i = 0; i < dp->e->ncolumns; i++)
		if (rex_changes_captures(dp->e, &dp->e->columns[i]))
			n++;
	if (n == 0)
		return rex_def_fail(dp, REX_ERR_DEFINITION, "changes.exclude",
							"Keep at least one column, or remove \"changes\".",
							"every column is excluded");
	return REX_OK;
}

static json_t *
names_json(const char **names, int n)
{
	json_t	   *a = json_array();
	int			i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(names[i]));
	return a;
}

json_t *
rex_changes_json(const rex_changes_opts *o)
{
	json_t	   *j = json_object();
	json_t	   *ops = json_array();
	json_t	   *ret = json_object();
	int			k;

	if (j == NULL || ops == NULL || ret == NULL)
	{
		json_decref(j);
		json_decref(ops);
		json_decref(ret);
		return NULL;
	}
	for (k = 0; op_names[k]; k++)
		if (o->ops & (1u << k))
			json_array_append_new(ops, json_string(op_names[k]));
	json_object_set_new(j, "operations", ops);
	json_object_set_new(j, "include", o->include ? names_json(o->include, o->ninclude) : json_null());
	json_object_set_new(j, "exclude", names_json(o->exclude, o->nexclude));
	json_object_set_new(j, "old", json_boolean(o->old));
	json_object_set_new(j, "notify", json_string(rex_notify_names[o->notify]));
	json_object_set_new(ret, "max_age", o->max_age ? json_integer(o->max_age) : json_null());
	json_object_set_new(ret, "max_events", o->max_events ? json_integer(o->max_events) : json_null());
	json_object_set_new(j, "retention", ret);
	return j;
}

bool
rex_changes_captures(const rex_entity *e, const rex_column *c)
{
	const rex_changes_opts *o = e->changes;
	int			i;

	if (o == NULL)
		return false;
	if (o->include)
	{
		for (i = 0; i < o->ninclude; i++)
			if (strcmp(o->include[i], c->name) == 0)
				return true;
		return false;
	}
	for (i = 0; i < o->nexclude; i++)
		if (strcmp(o->exclude[i], c->name) == 0)
			return false;
	return true;
}

/* ---------------------------------------------------------------- */
/* PostgreSQL capture triggers */

/* The config argument of rex.capture(): what the C trigger needs. */
static const char *
pg_config(rex_ctx *ctx, const rex_entity *e)
{
	json_t	   *j = rex_json_own(ctx, json_object());
	json_t	   *cols;
	int			i;

	if (j == NULL)
		return NULL;
	cols = json_array();
	for (i = 0; cols && i < e->ncolumns; i++)
		if (rex_changes_captures(e, &e->columns[i]))
			json_array_append_new(cols, json_string(e->columns[i].name));
	json_object_set_new(j, "pk", names_json(e->primary_key, e->npk));
	json_object_set_new(j, "columns", cols);
	json_object_set_new(j, "old", json_boolean(e->changes->old));
	json_object_set_new(j, "notify", json_string(rex_notify_names[e->changes->notify]));
	return rex_json_text(ctx, j, REX_JSON_CANONICAL);
}

/* A JSON array of names into an arena array. */
static bool
names_from_json(rex_ctx *ctx, json_t *a, const char ***out, int *n)
{
	size_t		i;

	if (!json_is_array(a))
		return false;
	*n = (int) json_array_size(a);
	*out = rex_alloc0(ctx, sizeof(char *) * (json_array_size(a) + 1));
	if (*out == NULL)
		return false;
	for (i = 0; i < json_array_size(a); i++)
	{
		if (!json_is_string(json_array_get(a, i)))
			return false;
		(*out)[i] = rex_strdup(ctx, json_string_value(json_array_get(a, i)));
	}
	return true;
}

rex_status
rex_changes_capture_config(rex_ctx *ctx, const char *text, rex_capture_config *out)
{
	json_t	   *j = rex_json_parse(ctx, text, "capture config");
	const char *notify;
	int			k;

	memset(out, 0, sizeof(*out));
	if (j == NULL)
		return ctx->err.status;
	if (!names_from_json(ctx, json_object_get(j, "pk"), &out->pk, &out->npk) ||
		!names_from_json(ctx, json_object_get(j, "columns"), &out->columns, &out->ncolumns) ||
		!json_is_string(json_object_get(j, "notify")))
		return rex_error_set(ctx, REX_ERR_INTERNAL, "malformed capture config");
	out->old = json_is_true(json_object_get(j, "old"));
	notify = json_string_value(json_object_get(j, "notify"));
	for (k = 0; rex_notify_names[k]; k++)
		if (strcmp(notify, rex_notify_names[k]) == 0)
			out->notify = (rex_notify_mode) k;
	return REX_OK;
}

static rex_status
pg_triggers(rex_ctx *ctx, const char *schema, const rex_entity *e, rex_attached_list *out)
{
	static const char *const referencing[] = {
		" REFERENCING NEW TABLE AS rex_new",
		" REFERENCING OLD TABLE AS rex_old NEW TABLE AS rex_new",
		" REFERENCING OLD TABLE AS rex_old",
		""
	};
	const rex_dialect *d = ctx->dialect;
	const char *config = pg_config(ctx, e);
	int			k;

	if (config == NULL)
		return rex_error_nomem(ctx);
	for (k = 0; op_names[k]; k++)
	{
		rex_attached obj;
		rex_buf		b,
					drop;
		const char *tname = rex_psprintf(ctx, "rex_changes_%s", op_names[k]);

		if (!(e->changes->ops & (1u << k)))
			continue;
		rex_buf_init(&b, ctx);
		rex_buf_init(&drop, ctx);
		rex_buf_append(&b, "CREATE TRIGGER ");
		d->quote_ident(&b, tname);
		rex_buf_printf(&b, " AFTER %s ON ", k == 0 ? "INSERT" : k == 1 ? "UPDATE" :
					   k == 2 ? "DELETE" : "TRUNCATE");
		d->table(&b, schema, e->table);
		rex_buf_append(&b, referencing[k]);
		rex_buf_append(&b, " FOR EACH STATEMENT EXECUTE FUNCTION rex.capture(");
		d->quote_literal(&b, e->name);
		rex_buf_append(&b, ", ");
		d->quote_literal(&b, config);
		rex_buf_append(&b, ")");
		rex_buf_append(&drop, "DROP TRIGGER ");
		d->quote_ident(&drop, tname);
		rex_buf_append(&drop, " ON ");
		d->table(&drop, schema, e->table);
		if (!rex_buf_ok(&b) || !rex_buf_ok(&drop))
			return rex_error_nomem(ctx);
		obj.name = rex_psprintf(ctx, "%s.%s", e->table, tname);
		obj.kind = "trigger";
		obj.feature = "changes";
		obj.create_sql = b.data;
		obj.drop_sql = drop.data;
		if (rex_attached_add(ctx, out, &obj) != REX_OK)
			return ctx->err.status;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* SQLite capture triggers: built-in SQL only */

#define B64_ALPHABET "'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'"

/*
 * Base64 of a BLOB in built-in SQL: a recursive CTE over 3-byte groups,
 * each turned into a number through its hex digits.
 */
static void
sqlite_base64(rex_buf *b, const char *x)
{
	int			k;

	rex_buf_printf(b, "(WITH RECURSIVE b64(i, o) AS (SELECT 0, '' UNION ALL "
				   "SELECT i + 3, o || (SELECT substr(" B64_ALPHABET ", (v >> 18) %% 64 + 1, 1)"
				   " || substr(" B64_ALPHABET ", (v >> 12) %% 64 + 1, 1)"
				   " || CASE WHEN n > 1 THEN substr(" B64_ALPHABET ", (v >> 6) %% 64 + 1, 1) ELSE '=' END"
				   " || CASE WHEN n > 2 THEN substr(" B64_ALPHABET ", v %% 64 + 1, 1) ELSE '=' END"
				   " FROM (SELECT length(g) AS n, (");
	/* the six hex digits of the group, most significant first */
	for (k = 1; k <= 6; k++)
		rex_buf_printf(b, "%s((instr('0123456789ABCDEF', substr(hex(g), %d, 1)) - 1) << %d)",
					   k > 1 ? " | " : "", k, (6 - k) * 4);
	rex_buf_printf(b, ") AS v FROM (SELECT substr(%s, i + 1, 3) AS g)))"
				   " FROM b64 WHERE i < length(%s))"
				   " SELECT o FROM b64 ORDER BY i DESC LIMIT 1)", x, x);
}

/*
 * JSON text of column c of row 'which' (NEW or OLD), never NULL.  Plain
 * concatenation, measured cheaper than json_object() (which also takes at
 * most 63 pairs): integers as SQLite writes them (STRICT tables hold only
 * integers there), booleans as literals, everything else json_quote()d.
 */
static void
sqlite_value(rex_buf *b, const rex_column *c, const char *which)
{
	rex_buf		x;

	rex_buf_init(&x, b->ctx);
	rex_buf_append(&x, which);
	rex_buf_append_char(&x, '.');
	rex_sql_ident(&x, c->name);
	switch (c->type)
	{
		case REX_T_ID:
		case REX_T_INTEGER:
		case REX_T_BIGINT:
			rex_buf_printf(b, "coalesce(%s, 'null')", x.data);
			break;
		case REX_T_BOOLEAN:
			rex_buf_printf(b, "CASE %s WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE 'null' END", x.data);
			break;
		case REX_T_JSON:
			rex_buf_printf(b, "coalesce(json(%s), 'null')", x.data);
			break;
		case REX_T_TIMESTAMP:
			/* one form for the two the column accepts (with or without .mmm) */
			rex_buf_printf(b, "json_quote(strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', %s))", x.data);
			break;
		case REX_T_BYTES:
			rex_buf_printf(b, "CASE WHEN %s IS NULL THEN 'null' ELSE '\"' || ", x.data);
			sqlite_base64(b, x.data);
			rex_buf_append(b, " || '\"' END");
			break;
		default:
			rex_buf_printf(b, "json_quote(%s)", x.data);
			break;
	}
}

/* A JSON object of row 'which': its key columns (pk_only) or its captured columns. */
static void
sqlite_object(rex_buf *b, const rex_entity *e, const char *which, bool pk_only)
{
	int			i,
				n = 0;

	for (i = 0; i < (pk_only ? e->npk : e->ncolumns); i++)
	{
		const rex_column *c = pk_only ? rex_entity_column(e, e->primary_key[i]) : &e->columns[i];

		if (!pk_only && !rex_changes_captures(e, c))
			continue;
		rex_buf_printf(b, "%s'%s\"%s\":' || ", n ? " || " : "", n ? "," : "{", c->name);
		sqlite_value(b, c, which);
		n++;
	}
	rex_buf_append(b, " || '}'");
}

/* The JSON array of captured columns whose value changed. */
static void
sqlite_changed(rex_buf *b, const rex_entity *e)
{
	int			i;

	rex_buf_append(b, "'[' || substr(''");
	for (i = 0; i < e->ncolumns; i++)
	{
		const rex_column *c = &e->columns[i];

		if (!rex_changes_captures(e, c))
			continue;
		rex_buf_append(b, " || CASE WHEN OLD.");
		rex_sql_ident(b, c->name);
		rex_buf_append(b, " IS NOT NEW.");
		rex_sql_ident(b, c->name);
		rex_buf_printf(b, " THEN ',\"%s\"' ELSE '' END", c->name);
	}
	rex_buf_append(b, ", 2) || ']'");
}

/* "OLD."k1" IS NEW."k1" AND ..." */
static void
sqlite_same_key(rex_buf *b, const rex_entity *e)
{
	int			k;

	for (k = 0; k < e->npk; k++)
	{
		rex_buf_append(b, k ? " AND OLD." : "OLD.");
		rex_sql_ident(b, e->primary_key[k]);
		rex_buf_append(b, " IS NEW.");
		rex_sql_ident(b, e->primary_key[k]);
	}
}

/* One INSERT INTO rex_changes of an event. */
static void
sqlite_event(rex_buf *b, const rex_entity *e, const char *op, const char *keyrow,
			 const char *newrow, const char *oldrow, bool changed)
{
	rex_buf_append(b, "\n  INSERT INTO rex_changes (entity, op, pk, new, old, changed, tx, at) VALUES (");
	rex_sql_literal(b, e->name);
	rex_buf_printf(b, ", '%s', ", op);
	sqlite_object(b, e, keyrow, true);
	rex_buf_append(b, ", ");
	if (newrow)
		sqlite_object(b, e, newrow, false);
	else
		rex_buf_append(b, "NULL");
	rex_buf_append(b, ", ");
	if (oldrow && e->changes->old)
		sqlite_object(b, e, oldrow, false);
	else
		rex_buf_append(b, "NULL");
	rex_buf_append(b, ", ");
	if (changed)
		sqlite_changed(b, e);
	else
		rex_buf_append(b, "NULL");
	/* a julian day number: measured four times cheaper than strftime() */
	rex_buf_append(b, ", NULL, julianday('now'));");
}

/* Adds one SQLite trigger: name suffix, event clause, WHEN, body. */
static rex_status
sqlite_trigger(rex_ctx *ctx, const rex_entity *e, const char *suffix, const char *event,
			   const char *when, const char *body, rex_attached_list *out)
{
	const char *name = rex_name_fit(ctx, rex_psprintf(ctx, "%s_rex_changes_%s", e->table, suffix));
	rex_attached obj;
	rex_buf		b,
				drop;

	if (name == NULL)
		return rex_error_nomem(ctx);
	rex_buf_init(&b, ctx);
	rex_buf_init(&drop, ctx);
	rex_buf_append(&b, "CREATE TRIGGER ");
	rex_sql_ident(&b, name);
	rex_buf_printf(&b, " AFTER %s ON ", event);
	rex_sql_ident(&b, e->table);
	rex_buf_append(&b, " FOR EACH ROW");
	if (when)
		rex_buf_printf(&b, " WHEN %s", when);
	rex_buf_printf(&b, " BEGIN%s\nEND", body);
	rex_buf_append(&drop, "DROP TRIGGER ");
	rex_sql_ident(&drop, name);
	if (!rex_buf_ok(&b) || !rex_buf_ok(&drop))
		return rex_error_nomem(ctx);
	obj.name = name;
	obj.kind = "trigger";
	obj.feature = "changes";
	obj.create_sql = b.data;
	obj.drop_sql = drop.data;
	return rex_attached_add(ctx, out, &obj);
}

static rex_status
sqlite_triggers(rex_ctx *ctx, const rex_entity *e, rex_attached_list *out)
{
	unsigned	ops = e->changes->ops;
	rex_buf		b,
				same;
	rex_status	st;

	rex_buf_init(&same, ctx);
	sqlite_same_key(&same, e);
	if (!rex_buf_ok(&same))
		return rex_error_nomem(ctx);
	if (ops & REX_OP_INSERT)
	{
		rex_buf_init(&b, ctx);
		sqlite_event(&b, e, "insert", "NEW", "NEW", NULL, false);
		if (!rex_buf_ok(&b) ||
			(st = sqlite_trigger(ctx, e, "insert", "INSERT", NULL, b.data, out)) != REX_OK)
			return ctx->err.status;
	}
	if (ops & REX_OP_UPDATE)
	{
		rex_buf_init(&b, ctx);
		sqlite_event(&b, e, "update", "NEW", "NEW", "OLD", true);
		if (!rex_buf_ok(&b) ||
			(st = sqlite_trigger(ctx, e, "update", "UPDATE", same.data, b.data, out)) != REX_OK)
			return ctx->err.status;
		/* a new primary key: the old row goes, the new one comes */
		rex_buf_init(&b, ctx);
		sqlite_event(&b, e, "delete", "OLD", NULL, "OLD", false);
		sqlite_event(&b, e, "insert", "NEW", "NEW", NULL, false);
		if (!rex_buf_ok(&b) ||
			(st = sqlite_trigger(ctx, e, "update_key", "UPDATE",
								 rex_psprintf(ctx, "NOT (%s)", same.data), b.data, out)) != REX_OK)
			return ctx->err.status;
	}
	if (ops & REX_OP_DELETE)
	{
		rex_buf_init(&b, ctx);
		sqlite_event(&b, e, "delete", "OLD", NULL, "OLD", false);
		if (!rex_buf_ok(&b) ||
			(st = sqlite_trigger(ctx, e, "delete", "DELETE", NULL, b.data, out)) != REX_OK)
			return ctx->err.status;
	}
	/* SQLite has no TRUNCATE: DELETE without WHERE fires the delete trigger */
	return REX_OK;
}

rex_status
rex_changes_attached(rex_ctx *ctx, const char *schema, const rex_entity *e,
					 rex_attached_list *out)
{
	if (e->changes == NULL)
		return REX_OK;
	return is_pg(ctx) ? pg_triggers(ctx, schema, e, out) : sqlite_triggers(ctx, e, out);
}

/* ---------------------------------------------------------------- */
/* reading */

static const char since_pg[] =
"SELECT id, entity, op, pk::text, new::text, old::text, changed::text, tx::text, {ts:at}"
" FROM {changes} WHERE id > $1::int8 AND id < $2::int8"
" AND ($3::text IS NULL OR entity IN (SELECT pg_catalog.jsonb_array_elements_text($3::text::jsonb)))"
" ORDER BY id LIMIT $4::int8";

static const char since_sqlite[] =
"SELECT id, entity, op, pk, new, old, changed, tx, strftime('%Y-%m-%dT%H:%M:%fZ', at)"
" FROM {changes} WHERE id > $1 AND id < $2"
" AND ($3 IS NULL OR entity IN (SELECT value FROM json_each($3)))"
" ORDER BY id LIMIT $4";

/* Appends s as a JSON string. */
static void
append_json_string(rex_buf *b, const char *s)
{
	rex_buf_append_char(b, '"');
	for (; s && *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
		{
			rex_buf_append_char(b, '\\');
			rex_buf_append_char(b, (char) c);
		}
		else if (c < 0x20)
			rex_buf_printf(b, "\\u%04x", c);
		else
			rex_buf_append_char(b, (char) c);
	}
	rex_buf_append_char(b, '"');
}

/* The event JSON text of result row i, from the stored parts. */
static const char *
event_text(rex_ctx *ctx, const rex_result *res, int i)
{
	static const char *const parts[] = {"pk", "new", "old", "changed"};
	rex_buf		b;
	int			k;

	rex_buf_init(&b, ctx);
	rex_buf_printf(&b, "{\"id\":%lld,\"entity\":", (long long) rex_result_int(res, i, 0));
	append_json_string(&b, rex_result_text(res, i, 1));
	rex_buf_printf(&b, ",\"op\":\"%s\"", rex_result_text(res, i, 2));
	for (k = 0; k < 4; k++)
	{
		const char *v = rex_result_text(res, i, 3 + k);

		rex_buf_printf(&b, ",\"%s\":%s", parts[k], v ? v : "null");
	}
	if (rex_result_text(res, i, 7))
		rex_buf_printf(&b, ",\"tx\":%s", rex_result_text(res, i, 7));
	else
		rex_buf_append(&b, ",\"tx\":null");
	rex_buf_append(&b, ",\"at\":");
	append_json_string(&b, rex_result_text(res, i, 8));
	rex_buf_append_char(&b, '}');
	return rex_buf_ok(&b) ? b.data : NULL;
}

/* Checks that 'entities' is a JSON array of strings. */
static rex_status
check_entities(rex_ctx *ctx, const char *entities)
{
	json_t	   *j;
	size_t		i;

	if (entities == NULL)
		return REX_OK;
	if ((j = rex_json_parse(ctx, entities, "entities")) == NULL)
		return ctx->err.status;
	if (!json_is_array(j))
		goto bad;
	for (i = 0; i < json_array_size(j); i++)
		if (!json_is_string(json_array_get(j, i)))
			goto bad;
	return REX_OK;
bad:
	rex_error_set(ctx, REX_ERR_DEFINITION, "changes_since: entities must be a list of entity names");
	rex_error_hint(ctx, "Pass NULL for every entity, or a list such as [\"user\", \"post\"].");
	return REX_ERR_DEFINITION;
}

/*
 * Refuses a cursor below events that were pruned: resuming from it would
 * skip them without a word.
 */
static rex_status
check_pruned(rex_ctx *ctx, int64_t cursor, const char *entities)
{
	const char *sql = rex_sql(ctx, is_pg(ctx)
							  ? "SELECT coalesce(max(before_id), 0) FROM {changes_pruned} WHERE entity = ''"
							  " OR $1::text IS NULL OR entity IN (SELECT pg_catalog.jsonb_array_elements_text($1::text::jsonb))"
							  : "SELECT coalesce(max(before_id), 0) FROM {changes_pruned} WHERE entity = ''"
							  " OR $1 IS NULL OR entity IN (SELECT value FROM json_each($1))");
	rex_value	p[1];
	rex_result *res;
	rex_status	st;
	int64_t		gone;

	if (sql == NULL)
		return ctx->err.status;
	p[0] = entities ? rex_val_text(entities) : rex_val_null();
	if ((st = rex_engine_query(ctx, sql, 1, p, &res)) != REX_OK)
		return st;
	gone = rex_result_int(res, 0, 0);
	if (cursor + 1 >= gone)
		return REX_OK;
	rex_error_set(ctx, REX_ERR_STATE, "changes_since: events after cursor %lld were pruned",
				  (long long) cursor);
	rex_error_detail(ctx, "Events with ids up to %lld are no longer in the log.", (long long) gone - 1);
	rex_error_hint(ctx, "Read the current state again, then follow the feed from cursor %lld "
				   "(or from 0 for whatever the log still holds).", (long long) gone - 1);
	return REX_ERR_STATE;
}

rex_status
rex_changes_since(rex_ctx *ctx, int64_t cursor, const char *entities, int64_t limit,
				  int64_t horizon, const char ***events, int *nevents)
{
	const char *sql;
	rex_value	p[4];
	rex_result *res;
	rex_status	st;
	int			i;

	*events = NULL;
	*nevents = 0;
	if (cursor < 0)
	{
		rex_error_set(ctx, REX_ERR_DEFINITION, "changes_since: cursor must not be negative");
		rex_error_hint(ctx, "Start with 0, then pass the id of the last event you handled.");
		return REX_ERR_DEFINITION;
	}
	if (limit < 1 || limit > REX_CHANGES_MAX_LIMIT)
	{
		rex_error_set(ctx, REX_ERR_DEFINITION, "changes_since: limit must be from 1 to %d, got %lld",
					  REX_CHANGES_MAX_LIMIT, (long long) limit);
		return REX_ERR_DEFINITION;
	}
	if ((st = check_entities(ctx, entities)) != REX_OK ||
		(cursor > 0 && (st = check_pruned(ctx, cursor, entities)) != REX_OK))
		return st;
	if ((sql = rex_sql(ctx, is_pg(ctx) ? since_pg : since_sqlite)) == NULL)
		return ctx->err.status;
	p[0] = rex_val_int(cursor);
	p[1] = rex_val_int(horizon);
	p[2] = entities ? rex_val_text(entities) : rex_val_null();
	p[3] = rex_val_int(limit);
	if ((st = rex_engine_query(ctx, sql, 4, p, &res)) != REX_OK)
		return st;
	*events = rex_alloc(ctx, sizeof(char *) * (size_t) (res->nrows + 1));
	if (*events == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
		if (((*events)[i] = event_text(ctx, res, i)) == NULL)
			return rex_error_nomem(ctx);
	*nevents = res->nrows;
	return REX_OK;
}

const char *
rex_changes_join(rex_ctx *ctx, const char **events, int n)
{
	rex_buf		b;
	int			i;

	rex_buf_init(&b, ctx);
	rex_buf_append_char(&b, '[');
	for (i = 0; i < n; i++)
	{
		if (i)
			rex_buf_append_char(&b, ',');
		rex_buf_append(&b, events[i]);
	}
	rex_buf_append_char(&b, ']');
	return rex_buf_ok(&b) ? b.data : NULL;
}

/* ---------------------------------------------------------------- */
/* pruning and retention */

/*
 * Records that the events of 'entity' ("" for every entity) below
 * 'before_id' are gone, so that changes_since can refuse a cursor that
 * would silently skip them.
 */
static rex_status
record_pruned(rex_ctx *ctx, const char *entity, int64_t before_id)
{
	const char *sql = rex_sql(ctx, is_pg(ctx)
							  ? "INSERT INTO {changes_pruned} AS p (entity, before_id) VALUES ($1::text, $2::int8)"
							  " ON CONFLICT (entity) DO UPDATE SET before_id = greatest(p.before_id, excluded.before_id)"
							  : "INSERT INTO {changes_pruned} AS p (entity, before_id) VALUES ($1, $2)"
							  " ON CONFLICT (entity) DO UPDATE SET before_id = max(p.before_id, excluded.before_id)");
	rex_value	p[2];

	if (sql == NULL)
		return ctx->err.status;
	p[0] = rex_val_text(entity);
	p[1] = rex_val_int(before_id);
	return rex_engine_query(ctx, sql, 2, p, NULL);
}

/*
 * Runs a DELETE of the events matching 'where' (params p), adds the number
 * of rows it removed to *count, and records the pruned range for 'entity'.
 */
static rex_status
delete_counting(rex_ctx *ctx, const char *where, int n, const rex_value *p,
				const char *entity, int64_t *count)
{
	rex_result *res;
	rex_status	st;
	const char *sql;

	if (is_pg(ctx))
		sql = rex_sql(ctx, rex_psprintf(ctx, "WITH d AS (DELETE FROM {changes} WHERE %s RETURNING id)"
										" SELECT count(*), max(id) FROM d", where));
	else
		sql = rex_sql(ctx, rex_psprintf(ctx, "SELECT count(*), max(id) FROM {changes} WHERE %s", where));
	if (sql == NULL)
		return ctx->err.status;
	if ((st = rex_engine_query(ctx, sql, n, p, &res)) != REX_OK)
		return st;
	if (rex_result_int(res, 0, 0) == 0)
		return REX_OK;
	*count += rex_result_int(res, 0, 0);
	if (!is_pg(ctx) &&
		((sql = rex_sql(ctx, rex_psprintf(ctx, "DELETE FROM {changes} WHERE %s", where))) == NULL ||
		 (st = rex_engine_query(ctx, sql, n, p, NULL)) != REX_OK))
		return sql ? st : ctx->err.status;
	return record_pruned(ctx, entity, rex_result_int(res, 0, 1) + 1);
}

rex_status
rex_changes_retention(rex_ctx *ctx, int64_t *pruned, bool *any)
{
	rex_entity_row *rows;
	int			n,
				i;
	rex_status	st;

	*pruned = 0;
	*any = false;
	if ((st = rex_catalog_entities(ctx, &rows, &n)) != REX_OK)
		return st;
	for (i = 0; i < n; i++)
	{
		rex_entity *e;
		rex_value	p[2];

		if (rows[i].applied == NULL || rows[i].dropped)
			continue;
		if ((st = rex_definition_from_json(ctx, rows[i].name, rows[i].applied, &e)) != REX_OK)
			return st;
		if (e->changes == NULL || (!e->changes->max_age && !e->changes->max_events))
			continue;
		*any = true;
		p[0] = rex_val_text(e->name);
		if (e->changes->max_events)
		{
			p[1] = rex_val_int(e->changes->max_events - 1);
			if ((st = delete_counting(ctx, is_pg(ctx)
									  ? "entity = $1::text AND id < (SELECT id FROM {changes} WHERE entity = $1::text ORDER BY id DESC LIMIT 1 OFFSET $2::int8)"
									  : "entity = $1 AND id < (SELECT id FROM {changes} WHERE entity = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
									  2, p, e->name, pruned)) != REX_OK)
				return st;
		}
		if (e->changes->max_age)
		{
			p[1] = rex_val_int(e->changes->max_age);
			if ((st = delete_counting(ctx, is_pg(ctx)
									  ? "entity = $1::text AND at < pg_catalog.now() - pg_catalog.make_interval(secs => $2::int8)"
									  : "entity = $1 AND at < julianday('now') - $2 / 86400.0",
									  2, p, e->name, pruned)) != REX_OK)
				return st;
		}
	}
	return REX_OK;
}

rex_status
rex_changes_prune(rex_ctx *ctx, int64_t before_id, const char **out)
{
	json_t	   *o;
	int64_t		pruned = 0;
	bool		any;
	rex_value	p[1];
	rex_status	st;

	if (before_id < 0)
		st = rex_changes_retention(ctx, &pruned, &any);
	else
	{
		p[0] = rex_val_int(before_id);
		st = delete_counting(ctx, is_pg(ctx) ? "id < $1::int8" : "id < $1", 1, p, "", &pruned);
	}
	if (st != REX_OK)
		return st;
	o = rex_json_own(ctx, json_object());
	if (o == NULL)
		return ctx->err.status;
	json_object_set_new(o, "pruned", json_integer(pruned));
	*out = rex_json_text(ctx, o, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}
