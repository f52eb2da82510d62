/*
 * alter_pg.c
 *		The steps that change a migrated entity's table on PostgreSQL
 *		(rex_dialect_pg.alter_entity; see alter.h).
 *
 * PostgreSQL alters everything in place and transactionally: one step per
 * change, each with its inverse (the same change planned the other way
 * round).  A type change writes "ALTER COLUMN ... TYPE ... USING" with the
 * conversion of convert.c; the enum CHECK (named <table>_<column>_enum)
 * follows renames and value changes; defaults are dropped before a type
 * change and set again after it, so that the old default never has to be
 * cast.  Steps that rewrite or scan the table under an ACCESS EXCLUSIVE
 * lock say so in their warnings.
 *
 * Foreign keys and the CHECKs of validation rules are added NOT VALID
 * (no rows are read under the strong lock) and validated by a step of
 * their own, which scans the table while reads and writes go on; its
 * lint counts the rows that would make it fail.  Foreign keys are
 * dropped before the plan drops tables and added after it creates them
 * (rex_alter_phase); a constraint whose generated name follows a renamed
 * table or column is renamed.
 */
#include "alter.h"
#include "convert.h"
#include "ident.h"
#include "relations.h"
#include "rex_dialect.h"
#include "rules.h"

#include <string.h>

/* ---------------------------------------------------------------- */
/* SQL pieces */

/* ALTER TABLE <schema.table>  */
static void
alter_table(rex_buf *b, const rex_alter *a, const char *table)
{
	rex_buf_append(b, "ALTER TABLE ");
	rex_dialect_pg.table(b, a->schema, table);
	rex_buf_append_char(b, ' ');
}

static const char *
done(rex_buf *b)
{
	return rex_buf_ok(b) ? b->data : NULL;
}

/* The constraint name of an enum column (unquoted). */
static const char *
enum_name(rex_ctx *ctx, const char *table, const char *column)
{
	const char *full = rex_psprintf(ctx, "%s_%s_enum", table, column);

	return full ? rex_name_fit(ctx, full) : NULL;
}

static bool
same_values(const rex_column *x, const rex_column *y)
{
	int			i;

	if (x->n_enum_values != y->n_enum_values)
		return false;
	for (i = 0; i < x->n_enum_values; i++)
		if (strcmp(x->enum_values[i], y->enum_values[i]) != 0)
			return false;
	return true;
}

/* Type name text of a column. */
static const char *
type_text(rex_ctx *ctx, const rex_column *c)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_pg_type_name(&b, c);
	return done(&b);
}

/* True when changing the PostgreSQL type from x to y rewrites the table. */
static bool
rewrites(const rex_column *x, const rex_column *y)
{
	if (x->type == REX_T_STRING && y->type == REX_T_STRING)
		return x->max_length == 0 ? y->max_length > 0
			: (y->max_length > 0 && y->max_length < x->max_length);
	if (x->type == REX_T_STRING && (y->type == REX_T_TEXT || y->type == REX_T_ENUM))
		return false;
	if (x->type == REX_T_DECIMAL && y->type == REX_T_DECIMAL)
		return !(y->precision == 0 || (x->precision && y->precision >= x->precision &&
									   y->scale == x->scale));
	return true;
}

/*
 * The statements changing column 'col' of 'table' from the type (and
 * enum values) of x to those of y; defaults are handled when the type
 * itself changes.  *handles_default tells whether they were.
 */
static const char *
type_sql(rex_ctx *ctx, const rex_alter *a, const char *table, const char *col,
		 const rex_column *x, const rex_column *y, bool *handles_default, bool *rewrite)
{
	const char *tx = type_text(ctx, x);
	const char *ty = type_text(ctx, y);
	bool		type_changes = tx && ty && strcmp(tx, ty) != 0;
	bool		drop_check = x->type == REX_T_ENUM && (y->type != REX_T_ENUM || !same_values(x, y));
	bool		add_check = y->type == REX_T_ENUM && (x->type != REX_T_ENUM || !same_values(x, y));
	const char *cname = enum_name(ctx, table, col);
	rex_buf		qcol;
	rex_buf		b;
	int			i;

	rex_buf_init(&qcol, ctx);
	rex_sql_ident(&qcol, col);
	rex_buf_init(&b, ctx);
	*handles_default = type_changes;
	*rewrite = type_changes && rewrites(x, y);
	if (type_changes && x->default_kind != REX_DEFAULT_NONE)
	{
		alter_table(&b, a, table);
		rex_buf_printf(&b, "ALTER COLUMN %s DROP DEFAULT;\n", qcol.data);
	}
	if (drop_check)
	{
		alter_table(&b, a, table);
		rex_buf_append(&b, "DROP CONSTRAINT ");
		rex_sql_ident(&b, cname);
		rex_buf_append(&b, ";\n");
	}
	if (type_changes)
	{
		alter_table(&b, a, table);
		rex_buf_printf(&b, "ALTER COLUMN %s TYPE %s", qcol.data, ty);
		if (x->type != y->type || x->type == REX_T_UUID)
		{
			rex_buf		u;

			rex_buf_init(&u, ctx);
			if (rex_convert_pg_using(&u, x, y, qcol.data))
				rex_buf_printf(&b, " USING %s", u.data);
		}
		rex_buf_append(&b, ";\n");
	}
	if (add_check)
	{
		alter_table(&b, a, table);
		rex_buf_append(&b, "ADD CONSTRAINT ");
		rex_sql_ident(&b, cname);
		rex_buf_printf(&b, " CHECK (%s IN (", qcol.data);
		for (i = 0; i < y->n_enum_values; i++)
		{
			if (i)
				rex_buf_append(&b, ", ");
			rex_dialect_pg.quote_literal(&b, y->enum_values[i]);
		}
		rex_buf_append(&b, "));\n");
	}
	if (type_changes && y->default_kind != REX_DEFAULT_NONE)
	{
		alter_table(&b, a, table);
		rex_buf_printf(&b, "ALTER COLUMN %s SET DEFAULT ", qcol.data);
		rex_pg_default_expr(&b, y);
		rex_buf_append(&b, ";\n");
	}
	if (!rex_buf_ok(&b))
		return NULL;
	if (b.len >= 2)
		b.data[b.len - 2] = '\0';	/* no final ";\n" */
	return b.data;
}

/* SET DEFAULT / DROP DEFAULT of column col to the default of y. */
static const char *
default_sql(rex_ctx *ctx, const rex_alter *a, const char *table, const char *col,
			const rex_column *y)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	alter_table(&b, a, table);
	rex_buf_append(&b, "ALTER COLUMN ");
	rex_sql_ident(&b, col);
	if (y->default_kind == REX_DEFAULT_NONE)
		rex_buf_append(&b, " DROP DEFAULT");
	else
	{
		rex_buf_append(&b, " SET DEFAULT ");
		rex_pg_default_expr(&b, y);
	}
	return done(&b);
}

static const char *
null_sql(rex_ctx *ctx, const rex_alter *a, const char *table, const char *col, bool nullable)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	alter_table(&b, a, table);
	rex_buf_append(&b, "ALTER COLUMN ");
	rex_sql_ident(&b, col);
	rex_buf_append(&b, nullable ? " DROP NOT NULL" : " SET NOT NULL");
	return done(&b);
}

/* COMMENT ON COLUMN (column non-NULL) or TABLE ... IS text or NULL. */
static const char *
comment_sql(rex_ctx *ctx, const rex_alter *a, const char *table, const char *col,
			const char *text)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, col ? "COMMENT ON COLUMN " : "COMMENT ON TABLE ");
	rex_dialect_pg.table(&b, a->schema, table);
	if (col)
	{
		rex_buf_append_char(&b, '.');
		rex_sql_ident(&b, col);
	}
	rex_buf_append(&b, " IS ");
	if (text)
		rex_dialect_pg.quote_literal(&b, text);
	else
		rex_buf_append(&b, "NULL");
	return done(&b);
}

/* "ALTER <what> <old> RENAME [COLUMN|CONSTRAINT ]<x> TO <y>" */
static const char *
rename_sql(rex_ctx *ctx, const rex_alter *a, const char *what, const char *object,
		   const char *sub, const char *x, const char *y)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_buf_printf(&b, "ALTER %s ", what);
	rex_dialect_pg.table(&b, a->schema, object);
	rex_buf_append(&b, " RENAME ");
	if (sub)
	{
		rex_buf_append(&b, sub);
		rex_sql_ident(&b, x);
	}
	rex_buf_append(&b, sub ? " TO " : "TO ");
	rex_sql_ident(&b, y);
	return done(&b);
}

static rex_status
nomem_if_null(rex_ctx *ctx, const rex_step *s)
{
	if (s->sql == NULL)
		return rex_error_nomem(ctx);
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* steps per change */

static rex_status
pg_rename_table(rex_ctx *ctx, rex_plan *plan, const rex_alter *a)
{
	const rex_entity *from = a->diff.from;
	const rex_entity *to = a->diff.to;
	rex_step   *s = rex_alter_step(ctx, plan, a, "rename_table");

	if (s == NULL)
		return ctx->err.status;
	s->sql = rename_sql(ctx, a, "TABLE", from->table, NULL, NULL, to->table);
	s->sql_down = rename_sql(ctx, a, "TABLE", to->table, NULL, NULL, from->table);
	return nomem_if_null(ctx, s);
}

static rex_status
pg_rename_column(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	const char *table = a->diff.to->table;
	rex_step   *s = rex_alter_step(ctx, plan, a, "rename_column");

	if (s == NULL)
		return ctx->err.status;
	s->sql = rename_sql(ctx, a, "TABLE", table, "COLUMN ", c->from->name, c->to->name);
	s->sql_down = rename_sql(ctx, a, "TABLE", table, "COLUMN ", c->to->name, c->from->name);
	return nomem_if_null(ctx, s);
}

/* Enum CHECKs whose generated name follows a renamed table or column. */
static rex_status
pg_rename_constraints(rex_ctx *ctx, rex_plan *plan, const rex_alter *a)
{
	const rex_entity *from = a->diff.from;
	const rex_entity *to = a->diff.to;
	int			i;

	for (i = 0; i < from->ncolumns; i++)
	{
		const rex_column *x = &from->columns[i];
		const char *newcol = rex_diff_new_name(&a->diff, x->name);
		const char *oldname,
				   *newname;
		rex_step   *s;

		if (x->type != REX_T_ENUM || rex_entity_column(to, newcol) == NULL)
			continue;
		oldname = enum_name(ctx, from->table, x->name);
		newname = enum_name(ctx, to->table, newcol);
		if (oldname == NULL || newname == NULL)
			return rex_error_nomem(ctx);
		if (strcmp(oldname, newname) == 0)
			continue;
		if ((s = rex_alter_step(ctx, plan, a, "rename_constraint")) == NULL)
			return ctx->err.status;
		s->sql = rename_sql(ctx, a, "TABLE", to->table, "CONSTRAINT ", oldname, newname);
		s->sql_down = rename_sql(ctx, a, "TABLE", to->table, "CONSTRAINT ", newname, oldname);
		if (s->sql == NULL)
			return rex_error_nomem(ctx);
	}
	return REX_OK;
}

static rex_status
pg_drop_column(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	rex_step   *s = rex_alter_step(ctx, plan, a, "drop_column");
	rex_buf		b;

	if (s == NULL)
		return ctx->err.status;
	rex_buf_init(&b, ctx);
	alter_table(&b, a, a->diff.to->table);
	rex_buf_append(&b, "DROP COLUMN ");
	rex_sql_ident(&b, c->from->name);
	s->sql = done(&b);
	s->sql_down = NULL;
	s->reversible = false;
	if (s->sql == NULL)
		return rex_error_nomem(ctx);
	return rex_alter_lint(ctx, plan, a, c, s);
}

static rex_status
pg_add_column(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	const rex_entity *to = a->diff.to;
	rex_step   *s = rex_alter_step(ctx, plan, a, "add_column");
	rex_buf		b;

	if (s == NULL)
		return ctx->err.status;
	rex_buf_init(&b, ctx);
	alter_table(&b, a, to->table);
	rex_buf_append(&b, "ADD COLUMN ");
	rex_dialect_pg.column_def(&b, to, c->to, false);
	if (c->to->description)
		rex_buf_printf(&b, ";\n%s", comment_sql(ctx, a, to->table, c->to->name,
												 c->to->description));
	s->sql = done(&b);
	rex_buf_init(&b, ctx);
	alter_table(&b, a, to->table);
	rex_buf_append(&b, "DROP COLUMN ");
	rex_sql_ident(&b, c->to->name);
	s->sql_down = done(&b);
	if (s->sql == NULL || s->sql_down == NULL)
		return rex_error_nomem(ctx);
	return rex_alter_lint(ctx, plan, a, c, s);
}

/* The type step of an altered column; *dflt says it set the default. */
static rex_status
pg_alter_type(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c,
			  bool *dflt)
{
	const char *table = a->diff.to->table;
	rex_conversion back = rex_convert_classify(c->to, c->from);
	rex_conversion fwd = rex_convert_classify(c->from, c->to);
	rex_change	only = *c;
	const char *sql;
	rex_step   *s;
	bool		rewrite,
				ignored_rewrite,
				ignored;

	sql = type_sql(ctx, a, table, c->to->name, c->from, c->to, dflt, &rewrite);
	if (sql == NULL)
		return rex_error_nomem(ctx);
	if (*sql == '\0')
		return REX_OK;			/* e.g. text to string without max_length */
	if ((s = rex_alter_step(ctx, plan, a, "alter_column_type")) == NULL)
		return ctx->err.status;
	s->sql = sql;
	s->rewrites_table = rewrite;
	s->reversible = back.supported && !fwd.lossy;
	if (s->reversible)
		s->sql_down = type_sql(ctx, a, table, c->to->name, c->to, c->from, &ignored,
							   &ignored_rewrite);
	if (rewrite)
		rex_alter_warn(ctx, s, "lock: rewrites table \"%s\" under an ACCESS EXCLUSIVE lock: "
					   "reads and writes wait until it is done", table);
	else if (c->to->type == REX_T_ENUM)
		rex_alter_warn(ctx, s, "lock: checks every row of \"%s\" against the new values under "
					   "an ACCESS EXCLUSIVE lock", table);
	only.what = REX_ALTER_TYPE;
	return rex_alter_lint(ctx, plan, a, &only, s);
}

static rex_status
pg_alter_column(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	const char *table = a->diff.to->table;
	const char *col = c->to->name;
	bool		dflt = false;
	rex_step   *s;
	rex_status	st;

	if ((c->what & REX_ALTER_TYPE) && (st = pg_alter_type(ctx, plan, a, c, &dflt)) != REX_OK)
		return st;
	if ((c->what & REX_ALTER_DEFAULT) && !dflt)
	{
		if ((s = rex_alter_step(ctx, plan, a,
								c->to->default_kind == REX_DEFAULT_NONE ? "drop_default"
								: "set_default")) == NULL)
			return ctx->err.status;
		s->sql = default_sql(ctx, a, table, col, c->to);
		s->sql_down = default_sql(ctx, a, table, col, c->from);
		if (s->sql == NULL || s->sql_down == NULL)
			return rex_error_nomem(ctx);
	}
	if (c->what & REX_ALTER_NULLABLE)
	{
		rex_change	only = *c;

		if ((s = rex_alter_step(ctx, plan, a, c->to->nullable ? "drop_not_null"
								: "set_not_null")) == NULL)
			return ctx->err.status;
		s->sql = null_sql(ctx, a, table, col, c->to->nullable);
		s->sql_down = null_sql(ctx, a, table, col, c->from->nullable);
		if (s->sql == NULL || s->sql_down == NULL)
			return rex_error_nomem(ctx);
		if (!c->to->nullable)
		{
			rex_alter_warn(ctx, s, "lock: scans every row of \"%s\" under an ACCESS "
						   "EXCLUSIVE lock", table);
			only.what = REX_ALTER_NULLABLE;
			if ((st = rex_alter_lint(ctx, plan, a, &only, s)) != REX_OK)
				return st;
		}
	}
	if (c->what & REX_ALTER_DESCRIPTION)
	{
		if ((s = rex_alter_step(ctx, plan, a, "comment")) == NULL)
			return ctx->err.status;
		s->sql = comment_sql(ctx, a, table, col, c->to->description);
		s->sql_down = comment_sql(ctx, a, table, col, c->from->description);
		if (s->sql == NULL || s->sql_down == NULL)
			return rex_error_nomem(ctx);
	}
	return REX_OK;
}

static rex_status
pg_index(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	const rex_entity *from = a->diff.from;
	const rex_entity *to = a->diff.to;
	rex_step   *s;

	switch (c->kind)
	{
		case REX_CH_DROP_INDEX:
			if ((s = rex_alter_step(ctx, plan, a, "drop_index")) == NULL)
				return ctx->err.status;
			s->sql = rex_ddl_drop_index(ctx, a->schema, c->from_ix);
			s->sql_down = rex_ddl_create_index(ctx, a->schema, from, c->from_ix);
			break;
		case REX_CH_RENAME_INDEX:
			if ((s = rex_alter_step(ctx, plan, a, "rename_index")) == NULL)
				return ctx->err.status;
			s->sql = rename_sql(ctx, a, "INDEX", c->from_ix->name, NULL, NULL, c->to_ix->name);
			s->sql_down = rename_sql(ctx, a, "INDEX", c->to_ix->name, NULL, NULL, c->from_ix->name);
			break;
		default:
			if ((s = rex_alter_step(ctx, plan, a, "create_index")) == NULL)
				return ctx->err.status;
			s->sql = rex_ddl_create_index(ctx, a->schema, to, c->to_ix);
			s->sql_down = rex_ddl_drop_index(ctx, a->schema, c->to_ix);
			rex_alter_warn(ctx, s, "lock: builds the index under a SHARE lock: writes to \"%s\" "
						   "wait until it is done (CREATE INDEX CONCURRENTLY cannot run inside "
						   "migrate())", to->table);
			break;
	}
	if (s->sql == NULL || s->sql_down == NULL)
		return rex_error_nomem(ctx);
	return rex_alter_lint(ctx, plan, a, c, s);
}

/* ---------------------------------------------------------------- */
/* foreign keys and rule CHECKs */

/* ALTER TABLE t VALIDATE CONSTRAINT name: a step of its own. */
static rex_status
pg_validate(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c,
			const char *name)
{
	rex_step   *s = rex_alter_step(ctx, plan, a, "validate_constraint");
	rex_buf		b;

	if (s == NULL)
		return ctx->err.status;
	rex_buf_init(&b, ctx);
	alter_table(&b, a, a->diff.to->table);
	rex_buf_append(&b, "VALIDATE CONSTRAINT ");
	rex_sql_ident(&b, name);
	s->sql = done(&b);
	s->sql_down = NULL;			/* nothing to undo: the constraint goes with the step before */
	if (s->sql == NULL)
		return rex_error_nomem(ctx);
	rex_alter_warn(ctx, s, "lock: checks every row of \"%s\" under a SHARE UPDATE EXCLUSIVE "
				   "lock: reads and writes go on", a->diff.to->table);
	return rex_alter_lint(ctx, plan, a, c, s);
}

static rex_status
pg_drop_fk(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	rex_step   *s = rex_alter_step(ctx, plan, a, "drop_foreign_key");

	if (s == NULL)
		return ctx->err.status;
	s->sql = rex_fk_drop_sql(ctx, a->schema, a->diff.from, c->from_fk);
	s->sql_down = rex_fk_add_sql(ctx, a->schema, a->diff.from, c->from_fk);
	return s->sql && s->sql_down ? REX_OK : rex_error_nomem(ctx);
}

static rex_status
pg_add_fk(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	rex_step   *s = rex_alter_step(ctx, plan, a, "add_foreign_key");
	const char *add;

	if (s == NULL)
		return ctx->err.status;
	add = rex_fk_add_sql(ctx, a->schema, a->diff.to, c->to_fk);
	s->sql = add ? rex_psprintf(ctx, "%s NOT VALID", add) : NULL;
	s->sql_down = rex_fk_drop_sql(ctx, a->schema, a->diff.to, c->to_fk);
	if (s->sql == NULL || s->sql_down == NULL)
		return rex_error_nomem(ctx);
	rex_alter_warn(ctx, s, "lock: takes a SHARE ROW EXCLUSIVE lock on \"%s\" and \"%s\" "
				   "briefly (NOT VALID: no row is read)", a->diff.to->table, c->to_fk->ref_table);
	return pg_validate(ctx, plan, a, c, c->to_fk->name);
}

static rex_status
pg_rename_fk(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	const char *table = a->diff.to->table;
	rex_step   *s = rex_alter_step(ctx, plan, a, "rename_constraint");

	if (s == NULL)
		return ctx->err.status;
	s->sql = rename_sql(ctx, a, "TABLE", table, "CONSTRAINT ", c->from_fk->name, c->to_fk->name);
	s->sql_down = rename_sql(ctx, a, "TABLE", table, "CONSTRAINT ", c->to_fk->name, c->from_fk->name);
	return nomem_if_null(ctx, s);
}

/* ALTER TABLE t ADD CONSTRAINT name CHECK (rule r on column c named 'col') [NOT VALID] */
static const char *
check_sql(rex_ctx *ctx, const rex_alter *a, const char *name, const rex_column *c,
		  const char *col, const rex_rule *r, bool not_valid)
{
	rex_column	cc = *c;
	rex_buf		b,
				expr;

	cc.name = col;
	rex_buf_init(&expr, ctx);
	if (!rex_rule_check_sql(ctx, &expr, &cc, r, r->validator_sql) || !rex_buf_ok(&expr))
		return NULL;
	rex_buf_init(&b, ctx);
	alter_table(&b, a, a->diff.to->table);
	rex_buf_append(&b, "ADD CONSTRAINT ");
	rex_sql_ident(&b, name);
	rex_buf_printf(&b, " CHECK (%s)%s", expr.data, not_valid ? " NOT VALID" : "");
	return done(&b);
}

static const char *
drop_constraint_sql(rex_ctx *ctx, const rex_alter *a, const char *name)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	alter_table(&b, a, a->diff.to->table);
	rex_buf_append(&b, "DROP CONSTRAINT ");
	rex_sql_ident(&b, name);
	return done(&b);
}

static rex_status
pg_drop_check(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	rex_step   *s = rex_alter_step(ctx, plan, a, "drop_check");
	const rex_column *y = rex_entity_column(a->diff.to, rex_diff_new_name(&a->diff, c->from->name));

	if (s == NULL)
		return ctx->err.status;
	s->sql = drop_constraint_sql(ctx, a, c->from_name);
	/* undone after the columns are renamed back, before they are */
	s->sql_down = check_sql(ctx, a, c->from_name, c->from, y ? y->name : c->from->name,
							c->from_rule, false);
	return s->sql && s->sql_down ? REX_OK : rex_error_nomem(ctx);
}

static rex_status
pg_add_check(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	rex_step   *s = rex_alter_step(ctx, plan, a, "add_check");

	if (s == NULL)
		return ctx->err.status;
	s->sql = check_sql(ctx, a, c->to_name, c->to, c->to->name, c->to_rule, true);
	s->sql_down = drop_constraint_sql(ctx, a, c->to_name);
	if (s->sql == NULL || s->sql_down == NULL)
		return rex_error_nomem(ctx);
	rex_alter_warn(ctx, s, "lock: takes an ACCESS EXCLUSIVE lock on \"%s\" briefly (NOT "
				   "VALID: no row is read)", a->diff.to->table);
	return pg_validate(ctx, plan, a, c, c->to_name);
}

static rex_status
pg_rename_check(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, const rex_change *c)
{
	const char *table = a->diff.to->table;
	rex_step   *s = rex_alter_step(ctx, plan, a, "rename_constraint");

	if (s == NULL)
		return ctx->err.status;
	s->sql = rename_sql(ctx, a, "TABLE", table, "CONSTRAINT ", c->from_name, c->to_name);
	s->sql_down = rename_sql(ctx, a, "TABLE", table, "CONSTRAINT ", c->to_name, c->from_name);
	return nomem_if_null(ctx, s);
}

/* ---------------------------------------------------------------- */

/* Runs 'fn' on every change of one kind, in order. */
static rex_status
each(rex_ctx *ctx, rex_plan *plan, const rex_alter *a, rex_change_kind kind,
	 rex_status (*fn) (rex_ctx *, rex_plan *, const rex_alter *, const rex_change *))
{
	int			i;
	rex_status	st;

	for (i = 0; i < a->diff.n; i++)
		if (a->diff.changes[i].kind == kind &&
			(st = fn(ctx, plan, a, &a->diff.changes[i])) != REX_OK)
			return st;
	return REX_OK;
}

static bool
has(const rex_alter *a, rex_change_kind kind)
{
	int			i;

	for (i = 0; i < a->diff.n; i++)
		if (a->diff.changes[i].kind == kind)
			return true;
	return false;
}

/* The steps between the drops and the creations of the plan. */
static rex_status
pg_main(rex_ctx *ctx, const rex_alter *a, rex_plan *plan)
{
	rex_status	st;
	rex_step   *s;

	if ((st = rex_alter_attached_drop(ctx, plan, a, false)) != REX_OK ||
		(st = each(ctx, plan, a, REX_CH_DROP_INDEX, pg_index)) != REX_OK)
		return st;
	if (has(a, REX_CH_RENAME_TABLE) && (st = pg_rename_table(ctx, plan, a)) != REX_OK)
		return st;
	if ((st = each(ctx, plan, a, REX_CH_RENAME_COLUMN, pg_rename_column)) != REX_OK ||
		(st = pg_rename_constraints(ctx, plan, a)) != REX_OK ||
		(st = each(ctx, plan, a, REX_CH_RENAME_FK, pg_rename_fk)) != REX_OK ||
		(st = each(ctx, plan, a, REX_CH_RENAME_CHECK, pg_rename_check)) != REX_OK ||
		(st = each(ctx, plan, a, REX_CH_RENAME_INDEX, pg_index)) != REX_OK ||
		(st = each(ctx, plan, a, REX_CH_DROP_CHECK, pg_drop_check)) != REX_OK ||
		(st = each(ctx, plan, a, REX_CH_DROP_COLUMN, pg_drop_column)) != REX_OK ||
		(st = each(ctx, plan, a, REX_CH_ADD_COLUMN, pg_add_column)) != REX_OK ||
		(st = each(ctx, plan, a, REX_CH_ALTER_COLUMN, pg_alter_column)) != REX_OK ||
		(st = each(ctx, plan, a, REX_CH_CREATE_INDEX, pg_index)) != REX_OK ||
		(st = each(ctx, plan, a, REX_CH_ADD_CHECK, pg_add_check)) != REX_OK)
		return st;
	if (has(a, REX_CH_TABLE_DESCRIPTION))
	{
		if ((s = rex_alter_step(ctx, plan, a, "comment")) == NULL)
			return ctx->err.status;
		s->sql = comment_sql(ctx, a, a->diff.to->table, NULL, a->diff.to->description);
		s->sql_down = comment_sql(ctx, a, a->diff.to->table, NULL, a->diff.from->description);
		if (s->sql == NULL || s->sql_down == NULL)
			return rex_error_nomem(ctx);
	}
	return rex_alter_attached_create(ctx, plan, a, false);
}

rex_status
rex_alter_pg(rex_ctx *ctx, const rex_alter *a, rex_plan *plan)
{
	rex_status	st;

	if ((a->phase == REX_ALTER_ALL || a->phase == REX_ALTER_BEFORE_DROPS) &&
		(st = each(ctx, plan, a, REX_CH_DROP_FK, pg_drop_fk)) != REX_OK)
		return st;
	if ((a->phase == REX_ALTER_ALL || a->phase == REX_ALTER_MAIN) &&
		(st = pg_main(ctx, a, plan)) != REX_OK)
		return st;
	if (a->phase == REX_ALTER_ALL || a->phase == REX_ALTER_AFTER_CREATES)
		return each(ctx, plan, a, REX_CH_ADD_FK, pg_add_fk);
	return REX_OK;
}
