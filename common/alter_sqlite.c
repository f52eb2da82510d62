/*
 * alter_sqlite.c
 *		The steps that change a migrated entity's table on SQLite
 *		(rex_dialect_sqlite.alter_entity; see alter.h).
 *
 * SQLite's ALTER TABLE renames tables and columns, adds and drops
 * columns; everything else needs a rebuild (rebuild.h).  The planner
 * decides statically, from the definitions, never by trying: native
 * ALTER when its preconditions hold, otherwise one rebuild per table that
 * carries every change of that table at once.
 *
 * Native ADD COLUMN needs a constant default, or none on a nullable
 * column (SQLite refuses NOT NULL without a default, CURRENT_* and
 * expression defaults once the table has rows -- and accepts them on an
 * empty one, so trying on a development database would prove nothing).
 * Native DROP COLUMN needs the column out of every index: rex drops the
 * model's indexes on it first.
 *
 * A rebuild goes first, on the table as it is named now: it builds the
 * new shape with the columns still under their old names, so that the
 * saved SQL of the user's own indexes and triggers still applies; the
 * native renames come after it and let SQLite rewrite indexes, triggers,
 * views and the foreign keys of other tables.  Before planning a rebuild
 * the live table is checked: a column or a foreign key that the entity
 * does not declare would be lost, so the rebuild is refused instead.
 *
 * Foreign keys and the CHECKs of validation rules are part of CREATE
 * TABLE on SQLite, which cannot add, drop or change them: any such change
 * is a rebuild, from the resolved model (relations.h), which declares
 * every foreign key and rule CHECK of the entity.  A rebuild that drops a
 * foreign key to a table the plan drops runs before the drops
 * (rex_alter_phase): dropping a parent first would fire the child's ON
 * DELETE actions when enforcement is on.  A constraint whose generated
 * name follows a renamed table or column keeps its old name: SQLite
 * cannot rename constraints, and a name is all that differs.
 */
#include "alter.h"
#include "convert.h"
#include "ident.h"
#include "rebuild.h"
#include "rex_dialect.h"
#include "rex_engine.h"

#include <string.h>

/* True when SQLite can add the column in place. */
static bool
native_add(const rex_column *c)
{
	if (c->default_kind == REX_DEFAULT_VALUE)
		return true;
	return c->default_kind == REX_DEFAULT_NONE && c->nullable;
}

/*
 * True when the column definitions SQLite would store for x and y (both
 * under y's name in table e) are the same: then nothing physical changes
 * (text to string without max_length, a description...).
 */
static bool
same_column_sql(rex_ctx *ctx, const rex_entity *e, const rex_column *x, const rex_column *y)
{
	rex_column	xx = *x;
	rex_buf		bx,
				by;

	xx.name = y->name;
	rex_buf_init(&bx, ctx);
	rex_buf_init(&by, ctx);
	rex_dialect_sqlite.column_def(&bx, e, &xx, false);
	rex_dialect_sqlite.column_def(&by, e, y, false);
	return rex_buf_ok(&bx) && rex_buf_ok(&by) && strcmp(bx.data, by.data) == 0;
}

/* True when the diff has a change of 'kind' on foreign-key column 'col'. */
static bool
fk_change_on(const rex_alter *a, rex_change_kind kind, const char *col)
{
	int			i;

	for (i = 0; i < a->diff.n; i++)
	{
		const rex_change *c = &a->diff.changes[i];

		if (c->kind == kind && (kind == REX_CH_ADD_FK ?
								strcmp(c->to_fk->column, rex_diff_new_name(&a->diff, col)) == 0 :
								strcmp(c->from_fk->column, col) == 0))
			return true;
	}
	return false;
}

/* What of a foreign-key or CHECK change needs a rebuild. */
static const char *
constraint_reason(rex_ctx *ctx, const rex_alter *a, const rex_change *c)
{
	switch (c->kind)
	{
		case REX_CH_DROP_FK:
			if (fk_change_on(a, REX_CH_ADD_FK, c->from_fk->column))
				return rex_psprintf(ctx, "change foreign key \"%s\"", c->from_fk->name);
			return rex_psprintf(ctx, "drop foreign key \"%s\"", c->from_fk->name);
		case REX_CH_ADD_FK:
			if (fk_change_on(a, REX_CH_DROP_FK, rex_diff_old_name(&a->diff, c->to_fk->column)))
				return "";		/* said by the drop */
			return rex_psprintf(ctx, "add foreign key \"%s\"", c->to_fk->name);
		case REX_CH_DROP_CHECK:
			return rex_psprintf(ctx, "drop CHECK \"%s\"", c->from_name);
		case REX_CH_ADD_CHECK:
			return rex_psprintf(ctx, "add CHECK \"%s\"", c->to_name);
		default:
			return "";
	}
}

/* What of change c needs a rebuild ("" when nothing). */
static const char *
rebuild_reason(rex_ctx *ctx, const rex_alter *a, const rex_change *c)
{
	if (c->kind >= REX_CH_DROP_FK)
		return constraint_reason(ctx, a, c);
	if (c->kind == REX_CH_ADD_COLUMN && !native_add(c->to))
		return rex_psprintf(ctx, "add column \"%s\" (%s)", c->to->name,
							c->to->nullable ? "its default is not a constant"
							: "NOT NULL without a constant default");
	if (c->kind != REX_CH_ALTER_COLUMN ||
		same_column_sql(ctx, a->diff.to, c->from, c->to))
		return "";
	if (c->what & REX_ALTER_TYPE)
		return rex_psprintf(ctx, "change the type of \"%s\"", c->to->name);
	if (c->what & REX_ALTER_NULLABLE)
		return rex_psprintf(ctx, "%s NOT NULL on \"%s\"", c->to->nullable ? "drop" : "set",
							c->to->name);
	if (c->what & REX_ALTER_DEFAULT)
		return rex_psprintf(ctx, "change the default of \"%s\"", c->to->name);
	return "";
}

/* ---------------------------------------------------------------- */
/* native steps */

static const char *
alter_sql(rex_ctx *ctx, const char *table, const char *fmt, const char *x, const char *y)
{
	rex_buf		b;
	rex_buf		qx,
				qy;

	rex_buf_init(&b, ctx);
	rex_buf_init(&qx, ctx);
	rex_buf_init(&qy, ctx);
	if (x)
		rex_sql_ident(&qx, x);
	if (y)
		rex_sql_ident(&qy, y);
	rex_buf_append(&b, "ALTER TABLE ");
	rex_sql_ident(&b, table);
	rex_buf_append_char(&b, ' ');
	rex_buf_printf(&b, fmt, x ? qx.data : "", y ? qy.data : "");
	return rex_buf_ok(&b) ? b.data : NULL;
}

static rex_status
rename_steps(rex_ctx *ctx, rex_plan *plan, const rex_alter *a)
{
	const rex_entity *from = a->diff.from;
	const rex_entity *to = a->diff.to;
	rex_step   *s;
	int			i;

	if (strcmp(from->table, to->table) != 0)
	{
		if ((s = rex_alter_step(ctx, plan, a, "rename_table")) == NULL)
			return ctx->err.status;
		s->sql = alter_sql(ctx, from->table, "RENAME TO %s%s", to->table, NULL);
		s->sql_down = alter_sql(ctx, to->table, "RENAME TO %s%s", from->table, NULL);
		if (s->sql == NULL || s->sql_down == NULL)
			return rex_error_nomem(ctx);
	}
	for (i = 0; i < a->diff.n; i++)
	{
		const rex_change *c = &a->diff.changes[i];

		if (c->kind != REX_CH_RENAME_COLUMN)
			continue;
		if ((s = rex_alter_step(ctx, plan, a, "rename_column")) == NULL)
			return ctx->err.status;
		s->sql = alter_sql(ctx, to->table, "RENAME COLUMN %s TO %s", c->from->name, c->to->name);
		s->sql_down = alter_sql(ctx, to->table, "RENAME COLUMN %s TO %s", c->to->name, c->from->name);
		if (s->sql == NULL || s->sql_down == NULL)
			return rex_error_nomem(ctx);
	}
	return REX_OK;
}

/* DROP INDEX of indexes that go, and of renamed ones (no RENAME INDEX). */
static rex_status
drop_indexes(rex_ctx *ctx, rex_plan *plan, const rex_alter *a)
{
	int			i;

	for (i = 0; i < a->diff.n; i++)
	{
		const rex_change *c = &a->diff.changes[i];
		rex_step   *s;

		if (c->kind != REX_CH_DROP_INDEX && c->kind != REX_CH_RENAME_INDEX)
			continue;
		if ((s = rex_alter_step(ctx, plan, a, "drop_index")) == NULL)
			return ctx->err.status;
		s->sql = rex_ddl_drop_index(ctx, NULL, c->from_ix);
		s->sql_down = rex_ddl_create_index(ctx, NULL, a->diff.from, c->from_ix);
		if (s->sql == NULL || s->sql_down == NULL)
			return rex_error_nomem(ctx);
	}
	return REX_OK;
}

static rex_status
create_indexes(rex_ctx *ctx, rex_plan *plan, const rex_alter *a)
{
	int			i;
	rex_status	st;

	for (i = 0; i < a->diff.n; i++)
	{
		const rex_change *c = &a->diff.changes[i];
		rex_step   *s;

		if (c->kind != REX_CH_CREATE_INDEX && c->kind != REX_CH_RENAME_INDEX)
			continue;
		if ((s = rex_alter_step(ctx, plan, a, "create_index")) == NULL)
			return ctx->err.status;
		s->sql = rex_ddl_create_index(ctx, NULL, a->diff.to, c->to_ix);
		s->sql_down = rex_ddl_drop_index(ctx, NULL, c->to_ix);
		if (s->sql == NULL || s->sql_down == NULL)
			return rex_error_nomem(ctx);
		if (c->kind == REX_CH_CREATE_INDEX && (st = rex_alter_lint(ctx, plan, a, c, s)) != REX_OK)
			return st;
	}
	return REX_OK;
}

static rex_status
native_columns(rex_ctx *ctx, rex_plan *plan, const rex_alter *a)
{
	const rex_entity *to = a->diff.to;
	int			i;
	rex_status	st;

	for (i = 0; i < a->diff.n; i++)
	{
		const rex_change *c = &a->diff.changes[i];
		rex_step   *s;

		if (c->kind == REX_CH_DROP_COLUMN)
		{
			if ((s = rex_alter_step(ctx, plan, a, "drop_column")) == NULL)
				return ctx->err.status;
			s->sql = alter_sql(ctx, to->table, "DROP COLUMN %s%s", c->from->name, NULL);
			s->reversible = false;
		}
		else if (c->kind == REX_CH_ADD_COLUMN)
		{
			rex_buf		b;

			if ((s = rex_alter_step(ctx, plan, a, "add_column")) == NULL)
				return ctx->err.status;
			rex_buf_init(&b, ctx);
			rex_buf_append(&b, "ALTER TABLE ");
			rex_sql_ident(&b, to->table);
			rex_buf_append(&b, " ADD COLUMN ");
			rex_dialect_sqlite.column_def(&b, to, c->to, false);
			s->sql = rex_buf_ok(&b) ? b.data : NULL;
			s->sql_down = alter_sql(ctx, to->table, "DROP COLUMN %s%s", c->to->name, NULL);
		}
		else
			continue;
		if (s->sql == NULL)
			return rex_error_nomem(ctx);
		if ((st = rex_alter_lint(ctx, plan, a, c, s)) != REX_OK)
			return st;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* rebuild */

/* Runs a query with the table name as ?1. */
static rex_status
query_table(rex_ctx *ctx, const char *sql, const char *table, rex_result **res)
{
	rex_value	p = rex_val_text(table);

	return rex_engine_query(ctx, sql, 1, &p, res);
}

static bool
model_has_index(const rex_entity *e, const char *name)
{
	int			i;

	for (i = 0; i < e->nindexes; i++)
		if (rex_ident_equal(e->indexes[i].name, name))
			return true;
	return false;
}

static bool
attached_has(const rex_attached_list *l, const char *name)
{
	int			i;

	for (i = 0; i < l->n; i++)
		if (rex_ident_equal(l->items[i].name, name))
			return true;
	return false;
}

/* True when applied entity e declares live foreign key col -> table(ref). */
static bool
declares_fk(const rex_entity *e, const char *col, const char *table, const char *ref)
{
	int			i;

	for (i = 0; i < e->nfkeys; i++)
		if (rex_ident_equal(e->fkeys[i].column, col) &&
			rex_ident_equal(e->fkeys[i].ref_table, table) &&
			(ref == NULL || rex_ident_equal(e->fkeys[i].ref_column, ref)))
			return true;
	return false;
}

/* True when the rebuilt table declares live foreign key col -> table(ref) again. */
static bool
keeps_fk(const rex_alter *a, const char *col, const char *table, const char *ref)
{
	const rex_entity *to = a->diff.to;
	int			i;

	for (i = 0; i < to->nfkeys; i++)
	{
		const char *schema;
		const char *live_table;
		const char *live_ref = rex_diff_live_ref(&a->diff, &to->fkeys[i], &schema, &live_table);

		if (rex_ident_equal(rex_diff_old_name(&a->diff, to->fkeys[i].column), col) &&
			live_ref && rex_ident_equal(live_table, table) &&
			(ref == NULL || rex_ident_equal(live_ref, ref)))
			return true;
	}
	return false;
}

/*
 * Refuses a rebuild that would lose a foreign key of the live table that
 * the applied entity (resolved: relations give its foreign keys) does not
 * declare and the desired one does not declare again: the rebuilt table
 * has the foreign keys of the desired entity.
 */
static rex_status
check_live_fkeys(rex_ctx *ctx, const rex_alter *a)
{
	const rex_entity *from = a->diff.from;
	rex_result *res;
	rex_status	st;
	int			i;

	if ((st = query_table(ctx, "SELECT group_concat(\"from\", ', '), max(\"table\"), max(\"to\"), count(*) "
						  "FROM (SELECT * FROM pragma_foreign_key_list(?1) ORDER BY id, seq) "
						  "GROUP BY id ORDER BY id", from->table, &res)) != REX_OK)
		return st;
	for (i = 0; i < res->nrows; i++)
	{
		const char *col = rex_result_text(res, i, 0);
		const char *table = rex_result_text(res, i, 1);

		if (rex_result_int(res, i, 3) == 1 && col && table &&
			(declares_fk(from, col, table, rex_result_text(res, i, 2)) ||
			 keeps_fk(a, col, table, rex_result_text(res, i, 2))))
			continue;
		rex_error_set(ctx, REX_ERR_UNSUPPORTED,
					  "entity \"%s\": table \"%s\" has a foreign key (%s to \"%s\") that the "
					  "entity does not declare", from->name, from->table, col ? col : "?",
					  table ? table : "?");
		rex_error_detail(ctx, "Changing this table needs a rebuild, which would lose it.");
		rex_error_hint(ctx, "A foreign key of one column can be declared as a belongs_to relation "
					   "of the entity (in a migration of its own first); otherwise rebuild the "
					   "table by hand with a versioned migration (add_migration).");
		return REX_ERR_UNSUPPORTED;
	}
	return REX_OK;
}

/*
 * Refuses a rebuild that would lose what the entity does not declare: a
 * live column missing from the applied definition, or a foreign key.
 */
static rex_status
check_live_table(rex_ctx *ctx, const rex_alter *a)
{
	const rex_entity *from = a->diff.from;
	rex_result *res;
	rex_status	st;
	int			i;

	if ((st = query_table(ctx, "SELECT name FROM pragma_table_xinfo(?1)", from->table, &res)) != REX_OK)
		return st;
	if (res->nrows == 0)
	{
		rex_error_set(ctx, REX_ERR_STATE, "entity \"%s\": table \"%s\" does not exist",
					  from->name, from->table);
		rex_error_hint(ctx, "migration_status() reports changes made outside rex.");
		return REX_ERR_STATE;
	}
	for (i = 0; i < res->nrows; i++)
	{
		const char *col = rex_result_text(res, i, 0);
		int			k;
		bool		known = false;

		for (k = 0; k < from->ncolumns; k++)
			known = known || rex_ident_equal(from->columns[k].name, col);
		if (known)
			continue;
		rex_error_set(ctx, REX_ERR_STATE,
					  "entity \"%s\": table \"%s\" has a column \"%s\" that the entity does not define",
					  from->name, from->table, col ? col : "");
		rex_error_detail(ctx, "Changing this table needs a rebuild, which would drop the column.");
		rex_error_hint(ctx, "Add the column to the definition in a separate migration first, "
					   "or drop it with a versioned migration.");
		return REX_ERR_STATE;
	}
	return check_live_fkeys(ctx, a);
}

/* The user's own indexes and triggers, views on the table, the pragma. */
static rex_status
load_facts(rex_ctx *ctx, const rex_alter *a, rex_rebuild_facts *f)
{
	const rex_entity *from = a->diff.from;
	rex_result *res;
	rex_status	st;
	int			i;

	memset(f, 0, sizeof(*f));
	if ((st = query_table(ctx, "SELECT type, name, sql FROM main.sqlite_schema "
						  "WHERE type IN ('index', 'trigger') AND tbl_name = ?1 COLLATE NOCASE "
						  "AND sql IS NOT NULL ORDER BY rowid", from->table, &res)) != REX_OK)
		return st;
	f->indexes = rex_alloc0(ctx, sizeof(rex_sqlite_object) * (size_t) (res->nrows + 1));
	f->triggers = rex_alloc0(ctx, sizeof(rex_sqlite_object) * (size_t) (res->nrows + 1));
	if (f->indexes == NULL || f->triggers == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
	{
		const char *type = rex_result_text(res, i, 0);
		rex_sqlite_object o;

		o.name = rex_result_text(res, i, 1);
		o.sql = rex_result_text(res, i, 2);
		if (type == NULL || o.name == NULL || o.sql == NULL)
			continue;
		if (strcmp(type, "index") == 0 && !model_has_index(from, o.name))
			f->indexes[f->nindexes++] = o;
		else if (strcmp(type, "trigger") == 0 && !attached_has(&a->from_objs, o.name))
			f->triggers[f->ntriggers++] = o;
	}
	if ((st = query_table(ctx, "SELECT name FROM main.sqlite_schema WHERE type = 'view' "
						  "AND instr(lower(sql), lower(?1)) > 0 ORDER BY name",
						  from->table, &res)) != REX_OK)
		return st;
	f->views = rex_alloc0(ctx, sizeof(char *) * (size_t) (res->nrows + 1));
	if (f->views == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
		if (rex_result_text(res, i, 0))
			f->views[f->nviews++] = rex_result_text(res, i, 0);
	if ((st = rex_engine_query(ctx, "PRAGMA legacy_alter_table", 0, NULL, &res)) != REX_OK)
		return st;
	f->legacy_alter_table = res->nrows == 1 && rex_result_int(res, 0, 0) != 0;
	return REX_OK;
}

/*
 * The shape the rebuild gives the table: the desired entity under the
 * current table name, with renamed columns still under their old names
 * (the native renames follow the rebuild).
 */
static rex_status
intermediate(rex_ctx *ctx, const rex_alter *a, rex_entity **out)
{
	const rex_diff *d = &a->diff;
	const rex_entity *to = d->to;
	rex_entity *m = rex_alloc(ctx, sizeof(rex_entity));
	int			i,
				k;

	if (m == NULL)
		return ctx->err.status;
	*m = *to;
	m->table = d->from->table;
	m->columns = rex_alloc(ctx, sizeof(rex_column) * (size_t) (to->ncolumns + 1));
	m->primary_key = rex_alloc(ctx, sizeof(char *) * (size_t) (to->npk + 1));
	m->indexes = rex_alloc(ctx, sizeof(rex_index) * (size_t) (to->nindexes + 1));
	if (m->columns == NULL || m->primary_key == NULL || m->indexes == NULL)
		return ctx->err.status;
	for (i = 0; i < to->ncolumns; i++)
	{
		m->columns[i] = to->columns[i];
		m->columns[i].name = rex_diff_old_name(d, to->columns[i].name);
		m->columns[i].renamed_from = NULL;
	}
	for (i = 0; i < to->npk; i++)
		m->primary_key[i] = rex_diff_old_name(d, to->primary_key[i]);
	/* foreign keys from the columns as named now; the targets by their new names
	 * (SQLite rewrites the references when their table or column is renamed) */
	m->fkeys = rex_alloc(ctx, sizeof(rex_foreign_key) * (size_t) (to->nfkeys + 1));
	if (m->fkeys == NULL)
		return ctx->err.status;
	for (i = 0; i < to->nfkeys; i++)
	{
		m->fkeys[i] = to->fkeys[i];
		m->fkeys[i].column = rex_diff_old_name(d, to->fkeys[i].column);
	}
	for (i = 0; i < to->nindexes; i++)
	{
		m->indexes[i] = to->indexes[i];
		m->indexes[i].columns = rex_alloc(ctx, sizeof(char *) * (size_t) (to->indexes[i].ncolumns + 1));
		if (m->indexes[i].columns == NULL)
			return ctx->err.status;
		for (k = 0; k < to->indexes[i].ncolumns; k++)
			m->indexes[i].columns[k] = rex_diff_old_name(d, to->indexes[i].columns[k]);
	}
	*out = m;
	return REX_OK;
}

/* True when every change of the rebuild can be undone. */
static bool
rebuild_reversible(const rex_alter *a)
{
	int			i;

	for (i = 0; i < a->diff.n; i++)
	{
		const rex_change *c = &a->diff.changes[i];

		if (c->kind == REX_CH_DROP_COLUMN)
			return false;
		if (c->kind == REX_CH_ALTER_COLUMN && (c->what & REX_ALTER_TYPE) &&
			(!rex_convert_classify(c->to, c->from).supported ||
			 rex_convert_classify(c->from, c->to).lossy))
			return false;
	}
	return true;
}

static rex_status
rebuild_step(rex_ctx *ctx, rex_plan *plan, const rex_alter *a)
{
	rex_rebuild_facts facts;
	rex_entity *mid = NULL;
	rex_step   *s;
	rex_buf		why;
	int			i,
				n = 0;
	rex_status	st;

	if ((st = check_live_table(ctx, a)) != REX_OK ||
		(st = load_facts(ctx, a, &facts)) != REX_OK ||
		(st = intermediate(ctx, a, &mid)) != REX_OK)
		return st;
	if ((s = rex_alter_step(ctx, plan, a, "rebuild_table")) == NULL)
		return ctx->err.status;
	if ((st = rex_rebuild_sql(ctx, a->diff.from, mid, &facts, &s->sql)) != REX_OK)
		return st;
	s->rewrites_table = true;
	s->rebuild_table = a->diff.from->table;
	s->reversible = rebuild_reversible(a);
	if (s->reversible && (st = rex_rebuild_sql(ctx, mid, a->diff.from, &facts, &s->sql_down)) != REX_OK)
		return st;
	rex_buf_init(&why, ctx);
	for (i = 0; i < a->diff.n; i++)
	{
		const char *r = rebuild_reason(ctx, a, &a->diff.changes[i]);

		if (r && *r)
			rex_buf_printf(&why, "%s%s", n++ ? ", " : "", r);
	}
	rex_alter_warn(ctx, s, "rebuild: SQLite cannot %s in place: table \"%s\" is rebuilt "
				   "(every row copied, indexes and triggers recreated)",
				   why.data ? why.data : "make this change", a->diff.from->table);
	for (i = 0; i < a->diff.n; i++)
		if ((st = rex_alter_lint(ctx, plan, a, &a->diff.changes[i], s)) != REX_OK)
			return st;
	return REX_OK;
}

/* ---------------------------------------------------------------- */

static bool
needs_rebuild(rex_ctx *ctx, const rex_alter *a)
{
	int			i;

	for (i = 0; i < a->diff.n; i++)
	{
		const char *r = rebuild_reason(ctx, a, &a->diff.changes[i]);

		if (r == NULL || *r)
			return true;
	}
	return false;
}

rex_status
rex_alter_sqlite(rex_ctx *ctx, const rex_alter *a, rex_plan *plan)
{
	rex_status	st;

	/* everything in one place: before the drops when a parent goes (see above) */
	if (a->phase == REX_ALTER_AFTER_CREATES ||
		(a->phase == REX_ALTER_BEFORE_DROPS && !a->fk_to_dropped) ||
		(a->phase == REX_ALTER_MAIN && a->fk_to_dropped))
		return REX_OK;
	if (needs_rebuild(ctx, a))
	{
		if ((st = rex_alter_attached_drop(ctx, plan, a, true)) != REX_OK ||
			(st = rebuild_step(ctx, plan, a)) != REX_OK ||
			(st = rename_steps(ctx, plan, a)) != REX_OK)
			return st;
		return rex_alter_attached_create(ctx, plan, a, true);
	}
	if ((st = rex_alter_attached_drop(ctx, plan, a, false)) != REX_OK ||
		(st = drop_indexes(ctx, plan, a)) != REX_OK ||
		(st = rename_steps(ctx, plan, a)) != REX_OK ||
		(st = native_columns(ctx, plan, a)) != REX_OK ||
		(st = create_indexes(ctx, plan, a)) != REX_OK)
		return st;
	return rex_alter_attached_create(ctx, plan, a, false);
}
