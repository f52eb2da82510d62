/*
 * rebuild.c
 *		The SQL of a SQLite table rebuild (see rebuild.h).
 */
#include "rebuild.h"
#include "convert.h"
#include "ident.h"
#include "plan.h"
#include "rex_buf.h"
#include "rex_dialect.h"

#include <string.h>

const char *
rex_rebuild_temp_name(rex_ctx *ctx, const char *table)
{
	const char *full = rex_psprintf(ctx, "rex_new_%s", table);

	return full ? rex_name_fit(ctx, full) : NULL;
}

static bool
has_id_column(const rex_entity *e)
{
	int			i;

	for (i = 0; i < e->ncolumns; i++)
		if (e->columns[i].type == REX_T_ID)
			return true;
	return false;
}

/* CREATE TABLE "temp" (...) for new_e: its own DDL with the name swapped. */
static rex_status
create_temp(rex_ctx *ctx, rex_buf *b, const rex_entity *new_e, const char *temp)
{
	const char *sql = rex_ddl_create_table(ctx, NULL, new_e);
	rex_buf		prefix;

	if (sql == NULL)
		return ctx->err.status;
	rex_buf_init(&prefix, ctx);
	rex_buf_append(&prefix, "CREATE TABLE ");
	rex_sql_ident(&prefix, new_e->table);
	if (!rex_buf_ok(&prefix) || strncmp(sql, prefix.data, prefix.len) != 0)
		return rex_error_set(ctx, REX_ERR_INTERNAL, "unexpected CREATE TABLE text for a rebuild");
	rex_buf_append(b, "CREATE TABLE ");
	rex_sql_ident(b, temp);
	rex_buf_append(b, sql + prefix.len);
	rex_buf_append(b, ";\n");
	return REX_OK;
}

/* INSERT INTO temp (cols) SELECT exprs FROM old: the rows, converted. */
static void
copy_rows(rex_ctx *ctx, rex_buf *b, const rex_entity *old_e, const rex_entity *new_e,
		  const char *temp)
{
	bool		rowid = !has_id_column(new_e);
	rex_buf		cols;
	rex_buf		exprs;
	int			i;
	int			n = 0;

	rex_buf_init(&cols, ctx);
	rex_buf_init(&exprs, ctx);
	if (rowid)
	{
		rex_buf_append(&cols, "rowid");
		rex_buf_append(&exprs, "rowid");
		n++;
	}
	for (i = 0; i < new_e->ncolumns; i++)
	{
		const rex_column *to = &new_e->columns[i];
		const rex_column *from = rex_entity_column(old_e, to->name);
		rex_buf		q;

		if (from == NULL)
			continue;			/* a new column: its default fills it */
		rex_buf_init(&q, ctx);
		rex_sql_ident(&q, to->name);
		if (n++)
		{
			rex_buf_append(&cols, ", ");
			rex_buf_append(&exprs, ", ");
		}
		rex_buf_append(&cols, q.data);
		rex_convert_sqlite_expr(&exprs, from, to, q.data);
	}
	rex_buf_append(b, "INSERT INTO ");
	rex_sql_ident(b, temp);
	rex_buf_printf(b, " (%s) SELECT %s FROM ", cols.data ? cols.data : "",
				   exprs.data ? exprs.data : "");
	rex_sql_ident(b, old_e->table);
	rex_buf_append(b, ";\n");
	if (!rex_buf_ok(&cols) || !rex_buf_ok(&exprs))
		b->failed = true;
}

/* The old table's AUTOINCREMENT counter goes to the new table. */
static void
carry_sequence(rex_buf *b, const char *table, const char *temp)
{
	rex_buf_append(b, "DELETE FROM sqlite_sequence WHERE name = ");
	rex_sql_literal(b, temp);
	rex_buf_append(b, " AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ");
	rex_sql_literal(b, table);
	rex_buf_append(b, ");\nINSERT INTO sqlite_sequence (name, seq) SELECT ");
	rex_sql_literal(b, temp);
	rex_buf_append(b, ", seq FROM sqlite_sequence WHERE name = ");
	rex_sql_literal(b, table);
	rex_buf_append(b, ";\n");
}

rex_status
rex_rebuild_sql(rex_ctx *ctx, const rex_entity *old_e, const rex_entity *new_e,
				const rex_rebuild_facts *facts, const char **sql)
{
	const char *temp = rex_rebuild_temp_name(ctx, new_e->table);
	rex_buf		b;
	rex_status	st;
	int			i;

	if (temp == NULL)
		return ctx->err.status;
	rex_buf_init(&b, ctx);
	if ((st = create_temp(ctx, &b, new_e, temp)) != REX_OK)
		return st;
	copy_rows(ctx, &b, old_e, new_e, temp);
	if (has_id_column(new_e))
		carry_sequence(&b, old_e->table, temp);
	rex_buf_append(&b, "DROP TABLE ");
	rex_sql_ident(&b, old_e->table);
	rex_buf_append(&b, ";\nPRAGMA legacy_alter_table = ON;\nALTER TABLE ");
	rex_sql_ident(&b, temp);
	rex_buf_append(&b, " RENAME TO ");
	rex_sql_ident(&b, new_e->table);
	rex_buf_printf(&b, ";\nPRAGMA legacy_alter_table = %s",
				   facts->legacy_alter_table ? "ON" : "OFF");
	for (i = 0; i < new_e->nindexes; i++)
	{
		const char *ix = rex_ddl_create_index(ctx, NULL, new_e, &new_e->indexes[i]);

		if (ix == NULL)
			return ctx->err.status;
		rex_buf_printf(&b, ";\n%s", ix);
	}
	for (i = 0; i < facts->nindexes; i++)
		rex_buf_printf(&b, ";\n%s", facts->indexes[i].sql);
	for (i = 0; i < facts->ntriggers; i++)
		rex_buf_printf(&b, ";\n%s", facts->triggers[i].sql);
	for (i = 0; i < facts->nviews; i++)
	{
		rex_buf_append(&b, ";\nSELECT * FROM ");
		rex_sql_ident(&b, facts->views[i]);
		rex_buf_append(&b, " LIMIT 0");
	}
	if (!rex_buf_ok(&b))
		return rex_error_nomem(ctx);
	*sql = b.data;
	return REX_OK;
}
