/*
 * alter.c
 *		Planning the alteration of a migrated entity (see alter.h): the
 *		parts both dialects share -- diff, attached objects, lint.
 */
#include "alter.h"
#include "convert.h"
#include "json_util.h"
#include "rules.h"
#include "rex_dialect.h"
#include "rex_engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

rex_status
rex_alter_prepare(rex_ctx *ctx, const char *schema, const rex_entity *from,
				  const rex_entity *to, const rex_renames *renames,
				  const rex_diff_env *env, rex_alter *a)
{
	rex_status	st;
	int			i;

	memset(a, 0, sizeof(*a));
	a->schema = schema;
	if ((st = rex_diff_entity_env(ctx, from, to, renames, env, &a->diff)) != REX_OK ||
		(st = rex_attached_objects(ctx, schema, from, &a->from_objs)) != REX_OK ||
		(st = rex_attached_objects(ctx, schema, to, &a->to_objs)) != REX_OK)
		return st;
	for (i = 0; i < a->diff.n; i++)
		if (a->diff.changes[i].kind == REX_CH_DROP_FK &&
			rex_diff_dropping(&a->diff, a->diff.changes[i].from_fk->ref_entity))
			a->fk_to_dropped = true;
	return REX_OK;
}

/* True when attached object lists x and y are the same. */
static bool same_objs(const rex_attached_list *x, const rex_attached_list *y);

bool
rex_alter_empty(const rex_alter *a)
{
	return a->diff.n == 0 && same_objs(&a->from_objs, &a->to_objs);
}

rex_status
rex_alter_plan(rex_ctx *ctx, rex_alter *a, rex_alter_phase phase, rex_plan *plan)
{
	a->phase = phase;
	return ctx->dialect->alter_entity(ctx, a, plan);
}

rex_status
rex_alter_entity(rex_ctx *ctx, const char *schema, const rex_entity *from,
				 const rex_entity *to, const rex_renames *renames, rex_plan *plan)
{
	rex_alter	a;
	rex_status	st;

	if ((st = rex_alter_prepare(ctx, schema, from, to, renames, NULL, &a)) != REX_OK)
		return st;
	return rex_alter_plan(ctx, &a, REX_ALTER_ALL, plan);
}

rex_step *
rex_alter_step(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const char *kind)
{
	rex_step   *s = rex_plan_add(ctx, plan, a->diff.to->name, kind);

	if (s)
		s->reversible = true;
	return s;
}

static void
warn_v(rex_ctx *ctx, rex_step *s, const char *fmt, va_list ap)
			__attribute__((format(printf, 3, 0)));

static void
warn_v(rex_ctx *ctx, rex_step *s, const char *fmt, va_list ap)
{
	char		msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (json_array_append_new(s->warnings, json_string(msg)) != 0)
		rex_error_nomem(ctx);
}

void
rex_alter_warn(rex_ctx *ctx, rex_step *s, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	warn_v(ctx, s, fmt, ap);
	va_end(ap);
}

void
rex_alter_destructive(rex_ctx *ctx, rex_plan *plan, rex_step *s, const char *fmt,...)
{
	va_list		ap;

	s->destructive = true;
	plan->destructive = true;
	va_start(ap, fmt);
	warn_v(ctx, s, fmt, ap);
	va_end(ap);
}

int64_t
rex_alter_count(rex_ctx *ctx, const char *sql)
{
	rex_result *res = NULL;
	rex_status	st;
	int64_t		n = -1;

	if (sql == NULL || rex_engine_savepoint(ctx) != REX_OK)
		return -1;
	st = rex_engine_query(ctx, sql, 0, NULL, &res);
	if (st == REX_OK && res && res->nrows == 1)
		n = rex_result_int(res, 0, 0);
	if (st == REX_ERR_ENGINE)
		rex_error_clear(ctx);
	if (st == REX_OK)
		rex_engine_release(ctx);
	else
		rex_engine_rollback_to(ctx);
	return n;
}

/* ---------------------------------------------------------------- */
/* lint */

/* SELECT count(*) FROM <live table> WHERE <cond>: cond is printf'd. */
static const char *
count_where(rex_ctx *ctx, const rex_alter *a, const char *cond)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "SELECT count(*) FROM ");
	ctx->dialect->table(&b, a->schema, a->diff.from->table);
	if (cond)
	{
		rex_buf_append(&b, " WHERE ");
		rex_buf_append(&b, cond);
	}
	return rex_buf_ok(&b) ? b.data : NULL;
}

static const char *
quoted(rex_ctx *ctx, const char *ident)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_sql_ident(&b, ident);
	return rex_buf_ok(&b) ? b.data : "";
}

/* Whether the live table has at least one row (-1: unknown). */
static int64_t
has_rows(rex_ctx *ctx, const rex_alter *a)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "SELECT count(*) FROM (SELECT 1 FROM ");
	ctx->dialect->table(&b, a->schema, a->diff.from->table);
	rex_buf_append(&b, " LIMIT 1) AS t");
	return rex_alter_count(ctx, rex_buf_ok(&b) ? b.data : NULL);
}

/* Rows whose value of column c (applied name) would not fit column 'to'. */
static int64_t
misfits(rex_ctx *ctx, const rex_alter *a, const rex_column *from, const rex_column *to)
{
	const char *col = quoted(ctx, from->name);
	rex_buf		cond;
	int			i;

	rex_buf_init(&cond, ctx);
	if (to->type == REX_T_ENUM && (from->type == REX_T_STRING || from->type == REX_T_TEXT ||
								   from->type == REX_T_ENUM))
	{
		rex_buf_printf(&cond, "%s NOT IN (", col);
		for (i = 0; i < to->n_enum_values; i++)
		{
			if (i)
				rex_buf_append(&cond, ", ");
			ctx->dialect->quote_literal(&cond, to->enum_values[i]);
		}
		rex_buf_append(&cond, ")");
	}
	else if (to->type == REX_T_STRING && to->max_length > 0 &&
			 (from->type == REX_T_STRING || from->type == REX_T_TEXT || from->type == REX_T_ENUM))
		rex_buf_printf(&cond, "length(%s) > %d", col, to->max_length);
	else if (to->type == REX_T_INTEGER && from->type == REX_T_BIGINT)
		rex_buf_printf(&cond, "%s NOT BETWEEN -2147483648 AND 2147483647", col);
	else if (to->type == REX_T_BOOLEAN &&
			 (from->type == REX_T_INTEGER || from->type == REX_T_BIGINT))
		rex_buf_printf(&cond, "%s NOT IN (0, 1)", col);
	else
		return -1;
	return rex_buf_ok(&cond) ? rex_alter_count(ctx, count_where(ctx, a, cond.data)) : -1;
}

/* A column's type for messages: string(40), decimal(10,2), enum... */
static const char *
type_text(rex_ctx *ctx, const rex_column *c)
{
	if (c->type == REX_T_STRING && c->max_length)
		return rex_psprintf(ctx, "string(%d)", c->max_length);
	if (c->type == REX_T_DECIMAL && c->precision)
		return rex_psprintf(ctx, "decimal(%d,%d)", c->precision, c->scale);
	return rex_type_names[c->type];
}

static rex_status
lint_type(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c, rex_step *s)
{
	rex_conversion conv = rex_convert_classify(c->from, c->to);
	const char *what = rex_psprintf(ctx, "changes column \"%s\" from %s to %s",
									c->to->name, type_text(ctx, c->from), type_text(ctx, c->to));
	int64_t		n;

	if (what == NULL)
		return ctx->err.status;
	if (conv.lossy)
		rex_alter_destructive(ctx, plan, s, "destructive: %s: %s", what, conv.why);
	if (!conv.can_fail)
		return REX_OK;
	n = misfits(ctx, a, c->from, c->to);
	if (n > 0)
		rex_alter_warn(ctx, s, "data-dependent: %s: %lld row%s hold%s a value that does not "
					   "convert, so the step will fail", what, (long long) n,
					   n == 1 ? "" : "s", n == 1 ? "s" : "");
	else if (n < 0)
		rex_alter_warn(ctx, s, "data-dependent: %s: the cast can fail; a value that does not "
					   "convert makes the step fail (migrate with {\"dry_run\": true} to try it)",
					   what);
	return REX_OK;
}

static rex_status
lint_not_null(rex_ctx *ctx, const rex_alter *a, const rex_change *c, rex_step *s)
{
	const char *cond = rex_psprintf(ctx, "%s IS NULL", quoted(ctx, c->from->name));
	int64_t		n = rex_alter_count(ctx, count_where(ctx, a, cond));

	if (n > 0)
		rex_alter_warn(ctx, s, "data-dependent: column \"%s\" has %lld NULL value%s: "
					   "making it NOT NULL fails", c->to->name, (long long) n,
					   n == 1 ? "" : "s");
	return REX_OK;
}

static rex_status
lint_add_column(rex_ctx *ctx, const rex_alter *a, const rex_change *c, rex_step *s)
{
	int64_t		n;

	if (c->to->nullable || c->to->default_kind != REX_DEFAULT_NONE)
		return REX_OK;
	n = has_rows(ctx, a);
	if (n > 0)
		rex_alter_warn(ctx, s, "data-dependent: table \"%s\" has rows: adding NOT NULL "
					   "column \"%s\" without a default fails", a->diff.from->table, c->to->name);
	else
		rex_alter_warn(ctx, s, "data-dependent: adds NOT NULL column \"%s\" without a "
					   "default: this works only while the table is empty", c->to->name);
	return REX_OK;
}

/* Duplicate groups over the columns of a new unique index (live names). */
static rex_status
lint_unique(rex_ctx *ctx, const rex_alter *a, const rex_change *c, rex_step *s)
{
	const rex_index *ix = c->to_ix;
	rex_buf		b;
	int			i;
	int64_t		n;

	if (!ix->unique)
		return REX_OK;
	for (i = 0; i < ix->ncolumns; i++)
		if (rex_entity_column(a->diff.from, rex_diff_old_name(&a->diff, ix->columns[i])) == NULL)
			return REX_OK;		/* a new column: nothing to count yet */
	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "SELECT count(*) FROM (SELECT 1 FROM ");
	ctx->dialect->table(&b, a->schema, a->diff.from->table);
	rex_buf_append(&b, " WHERE ");
	for (i = 0; i < ix->ncolumns; i++)
		rex_buf_printf(&b, "%s%s IS NOT NULL", i ? " AND " : "",
					   quoted(ctx, rex_diff_old_name(&a->diff, ix->columns[i])));
	rex_buf_append(&b, " GROUP BY ");
	for (i = 0; i < ix->ncolumns; i++)
		rex_buf_printf(&b, "%s%s", i ? ", " : "",
					   quoted(ctx, rex_diff_old_name(&a->diff, ix->columns[i])));
	rex_buf_append(&b, " HAVING count(*) > 1) AS d");
	n = rex_alter_count(ctx, rex_buf_ok(&b) ? b.data : NULL);
	if (n > 0)
		rex_alter_warn(ctx, s, "data-dependent: %lld value%s of the unique index \"%s\" occur%s "
					   "more than once: creating it fails", (long long) n, n == 1 ? "" : "s",
					   ix->name, n == 1 ? "s" : "");
	return REX_OK;
}

/* "N rows" */
static const char *
rows_text(rex_ctx *ctx, int64_t n)
{
	return rex_psprintf(ctx, "%lld row%s", (long long) n, n == 1 ? "" : "s");
}

/* Rows of the live table that a new foreign key would refuse. */
static rex_status
lint_fk(rex_ctx *ctx, const rex_alter *a, const rex_change *c, rex_step *s)
{
	const rex_foreign_key *fk = c->to_fk;
	const char *col = rex_diff_old_name(&a->diff, fk->column);
	const char *ref_schema;
	const char *ref_table;
	const char *ref_col;
	rex_buf		q;
	int64_t		n;

	if (rex_entity_column(a->diff.from, col) == NULL)
		return REX_OK;			/* a new column: every value is NULL or its default */
	ref_col = rex_diff_live_ref(&a->diff, fk, &ref_schema, &ref_table);
	rex_buf_init(&q, ctx);
	rex_buf_append(&q, "SELECT count(*) FROM ");
	ctx->dialect->table(&q, a->schema, a->diff.from->table);
	rex_buf_printf(&q, " AS rex_c WHERE rex_c.%s IS NOT NULL", quoted(ctx, col));
	if (ref_col)
	{
		/* the parent as it is now (a parent created by this plan has no rows) */
		rex_buf_append(&q, " AND NOT EXISTS (SELECT 1 FROM ");
		ctx->dialect->table(&q, ref_schema, ref_table);
		rex_buf_printf(&q, " AS rex_p WHERE rex_p.%s = rex_c.%s)", quoted(ctx, ref_col),
					   quoted(ctx, col));
	}
	n = rex_alter_count(ctx, rex_buf_ok(&q) ? q.data : NULL);
	if (n > 0)
		rex_alter_warn(ctx, s, "data-dependent: %s of \"%s\" hold%s a \"%s\" that refers to no "
					   "row of \"%s\": adding foreign key \"%s\" fails", rows_text(ctx, n),
					   a->diff.from->table, n == 1 ? "s" : "", fk->column, fk->ref_table, fk->name);
	else if (n < 0)
		rex_alter_warn(ctx, s, "data-dependent: adding foreign key \"%s\" checks every row of "
					   "\"%s\"; a \"%s\" that refers to no row of \"%s\" makes it fail",
					   fk->name, a->diff.to->table, fk->column, fk->ref_table);
	return REX_OK;
}

/* Rows of the live table that the CHECK of a new or changed rule would refuse. */
static rex_status
lint_check(rex_ctx *ctx, const rex_alter *a, const rex_change *c, rex_step *s)
{
	const rex_column *x = c->from ? c->from :
		rex_entity_column(a->diff.from, rex_diff_old_name(&a->diff, c->to->name));
	const char *rule = rex_rule_names[c->to_rule->kind];
	rex_column	live;
	rex_buf		expr;
	int64_t		n = -1;

	if (x == NULL)
		return REX_OK;			/* a new column */
	if (rex_column_same_type(x, c->to))
	{
		live = *c->to;
		live.name = x->name;
		rex_buf_init(&expr, ctx);
		if (rex_rule_check_sql(ctx, &expr, &live, c->to_rule, c->to_rule->validator_sql) &&
			rex_buf_ok(&expr))
			n = rex_alter_count(ctx, count_where(ctx, a, rex_psprintf(ctx, "NOT (%s)", expr.data)));
	}
	if (n > 0)
		rex_alter_warn(ctx, s, "data-dependent: %s of \"%s\" break%s rule \"%s\" of column "
					   "\"%s\": adding CHECK \"%s\" fails", rows_text(ctx, n),
					   a->diff.from->table, n == 1 ? "s" : "", rule, c->to->name, c->to_name);
	else if (n < 0)
		rex_alter_warn(ctx, s, "data-dependent: adding CHECK \"%s\" checks every row of \"%s\"; "
					   "a row that breaks rule \"%s\" of column \"%s\" makes it fail",
					   c->to_name, a->diff.to->table, rule, c->to->name);
	return REX_OK;
}

rex_status
rex_alter_lint(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c,
			   rex_step *s)
{
	rex_status	st = REX_OK;

	switch (c->kind)
	{
		case REX_CH_DROP_COLUMN:
			rex_alter_destructive(ctx, plan, s, "destructive: drops column \"%s\" and the data in it",
								  c->from->name);
			break;
		case REX_CH_ADD_COLUMN:
			st = lint_add_column(ctx, a, c, s);
			break;
		case REX_CH_ALTER_COLUMN:
			if (c->what & REX_ALTER_TYPE)
				st = lint_type(ctx, plan, a, c, s);
			if (st == REX_OK && (c->what & REX_ALTER_NULLABLE) && !c->to->nullable)
				st = lint_not_null(ctx, a, c, s);
			break;
		case REX_CH_CREATE_INDEX:
			st = lint_unique(ctx, a, c, s);
			break;
		case REX_CH_ADD_FK:
			st = lint_fk(ctx, a, c, s);
			break;
		case REX_CH_ADD_CHECK:
			st = lint_check(ctx, a, c, s);
			break;
		default:
			break;
	}
	return st;
}

/* ---------------------------------------------------------------- */
/* attached objects */

static const rex_attached *
find_obj(const rex_attached_list *l, const char *name)
{
	int			i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	return NULL;
}

static bool
same_obj(const rex_attached *x, const rex_attached *y)
{
	return x && y && strcmp(x->create_sql, y->create_sql) == 0 &&
		strcmp(x->drop_sql, y->drop_sql) == 0;
}

static bool
same_objs(const rex_attached_list *x, const rex_attached_list *y)
{
	int			i;

	if (x->n != y->n)
		return false;
	for (i = 0; i < x->n; i++)
		if (!same_obj(&x->items[i], find_obj(y, x->items[i].name)))
			return false;
	return true;
}

rex_status
rex_alter_attached_drop(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, bool triggers_too)
{
	int			i;

	for (i = 0; i < a->from_objs.n; i++)
	{
		const rex_attached *o = &a->from_objs.items[i];
		rex_step   *s;

		if (same_obj(o, find_obj(&a->to_objs, o->name)) &&
			!(triggers_too && strcmp(o->kind, "trigger") == 0))
			continue;
		if ((s = rex_alter_step(ctx, plan, a, rex_psprintf(ctx, "drop_%s", o->kind))) == NULL)
			return ctx->err.status;
		s->sql = o->drop_sql;
		s->sql_down = o->create_sql;
	}
	return REX_OK;
}

rex_status
rex_alter_attached_create(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, bool triggers_too)
{
	int			i;

	for (i = 0; i < a->to_objs.n; i++)
	{
		const rex_attached *o = &a->to_objs.items[i];
		rex_step   *s;

		if (same_obj(o, find_obj(&a->from_objs, o->name)) &&
			!(triggers_too && strcmp(o->kind, "trigger") == 0))
			continue;
		if ((s = rex_alter_step(ctx, plan, a, rex_psprintf(ctx, "create_%s", o->kind))) == NULL)
			return ctx->err.status;
		s->sql = o->create_sql;
		s->sql_down = o->drop_sql;
	}
	return REX_OK;
}
