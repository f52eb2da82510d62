/*
 * introspect_pg.c
 *		The live schema of a PostgreSQL table, from pg_catalog
 *		(rex_dialect_pg.live_table / live_tables; see introspect.h).
 */
#include "introspect.h"
#include "rex_buf.h"
#include "rex_dialect.h"
#include "rex_engine.h"

#include <string.h>

static const char *const on_delete_names[] = {
	"a", "no_action", "r", "restrict", "c", "cascade", "n", "set_null", "d", "set_default", NULL
};

static const char *
on_delete(const char *code)
{
	int			i;

	for (i = 0; code && on_delete_names[i]; i += 2)
		if (strcmp(code, on_delete_names[i]) == 0)
			return on_delete_names[i + 1];
	return "no_action";
}

static bool
yes(const rex_result *res, int row, int col)
{
	const rex_value *v = rex_result_cell(res, row, col);

	if (v == NULL || v->type == REX_V_NULL)
		return false;
	if (v->type == REX_V_TEXT)
		return v->s[0] == 't';
	return v->i != 0;
}

rex_status
rex_live_list_pg(rex_ctx *ctx, const char *schema, const char ***names, int *n)
{
	rex_value	p = rex_val_text(schema ? schema : "public");
	rex_result *res;
	rex_status	st;
	int			i;

	st = rex_engine_query(ctx,
						  "SELECT c.relname FROM pg_catalog.pg_class c "
						  "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
						  "WHERE n.nspname OPERATOR(pg_catalog.=) $1 AND c.relkind IN ('r', 'p') "
						  "AND NOT c.relispartition AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
						  "WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass "
						  "AND d.objid OPERATOR(pg_catalog.=) c.oid AND d.deptype OPERATOR(pg_catalog.=) 'e') "
						  "ORDER BY c.relname COLLATE \"C\"", 1, &p, &res);
	if (st != REX_OK)
		return st;
	*names = rex_alloc0(ctx, sizeof(char *) * (size_t) (res->nrows + 1));
	if (*names == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
		(*names)[i] = rex_result_text(res, i, 0);
	*n = res->nrows;
	return REX_OK;
}

static rex_status
read_columns(rex_ctx *ctx, const rex_value *oid, rex_live_table *t)
{
	rex_result *res;
	rex_status	st;
	int			i;

	st = rex_engine_query(ctx,
						  "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
						  "pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity OPERATOR(pg_catalog.<>) '', "
						  "a.attgenerated OPERATOR(pg_catalog.<>) '', "
						  "coalesce((SELECT k.ord FROM pg_catalog.pg_index i, "
						  "pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, ord) "
						  "WHERE i.indrelid OPERATOR(pg_catalog.=) a.attrelid AND i.indisprimary "
						  "AND k.attnum OPERATOR(pg_catalog.=) a.attnum), 0) "
						  "FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d "
						  "ON d.adrelid OPERATOR(pg_catalog.=) a.attrelid AND d.adnum OPERATOR(pg_catalog.=) a.attnum "
						  "WHERE a.attrelid OPERATOR(pg_catalog.=) $1::pg_catalog.oid AND a.attnum OPERATOR(pg_catalog.>) 0 "
						  "AND NOT a.attisdropped ORDER BY a.attnum", 1, oid, &res);
	if (st != REX_OK)
		return st;
	t->columns = rex_alloc0(ctx, sizeof(rex_live_column) * (size_t) (res->nrows + 1));
	if (t->columns == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
	{
		rex_live_column *c = &t->columns[i];

		c->name = rex_result_text(res, i, 0);
		c->type = rex_result_text(res, i, 1);
		c->notnull = yes(res, i, 2);
		c->default_sql = rex_result_text(res, i, 3);
		c->identity = yes(res, i, 4);
		c->generated = yes(res, i, 5);
		c->pk = (int) rex_result_int(res, i, 6);
	}
	t->ncolumns = res->nrows;
	return REX_OK;
}

static rex_status
read_indexes(rex_ctx *ctx, const rex_value *oid, rex_live_table *t)
{
	rex_result *res;
	rex_status	st;
	int			i;

	st = rex_engine_query(ctx,
						  "SELECT ic.relname, i.indisunique, i.indisprimary, "
						  "(i.indexprs IS NOT NULL OR i.indpred IS NOT NULL "
						  "OR i.indnkeyatts OPERATOR(pg_catalog.<>) i.indnatts), "
						  "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c "
						  "WHERE c.conindid OPERATOR(pg_catalog.=) i.indexrelid AND c.contype IN ('u', 'p', 'x')), "
						  "(SELECT pg_catalog.json_agg(a.attname ORDER BY k.ord) "
						  "FROM pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, ord) "
						  "JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid "
						  "AND a.attnum OPERATOR(pg_catalog.=) k.attnum)::pg_catalog.text "
						  "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic "
						  "ON ic.oid OPERATOR(pg_catalog.=) i.indexrelid "
						  "WHERE i.indrelid OPERATOR(pg_catalog.=) $1::pg_catalog.oid "
						  "ORDER BY ic.relname COLLATE \"C\"", 1, oid, &res);
	if (st != REX_OK)
		return st;
	t->indexes = rex_alloc0(ctx, sizeof(rex_live_index) * (size_t) (res->nrows + 1));
	if (t->indexes == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
	{
		rex_live_index *x = &t->indexes[i];

		x->name = rex_result_text(res, i, 0);
		x->unique = yes(res, i, 1);
		x->primary = yes(res, i, 2);
		x->expression = yes(res, i, 3);
		x->constraint = yes(res, i, 4) && !x->primary;
		if ((st = rex_live_names(ctx, rex_result_text(res, i, 5), &x->columns, &x->ncolumns)) != REX_OK)
			return st;
	}
	t->nindexes = res->nrows;
	return REX_OK;
}

static rex_status
read_constraints(rex_ctx *ctx, const rex_value *oid, rex_live_table *t)
{
	rex_result *res;
	rex_status	st;
	int			i,
				k;

	st = rex_engine_query(ctx,
						  "SELECT (SELECT pg_catalog.json_agg(a.attname ORDER BY k.ord) "
						  "FROM pg_catalog.unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) "
						  "JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.conrelid "
						  "AND a.attnum OPERATOR(pg_catalog.=) k.attnum)::pg_catalog.text, "
						  "r.relname, c.confdeltype::pg_catalog.text, "
						  "(SELECT pg_catalog.json_agg(a.attname ORDER BY k.ord) "
						  "FROM pg_catalog.unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord) "
						  "JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.confrelid "
						  "AND a.attnum OPERATOR(pg_catalog.=) k.attnum)::pg_catalog.text, "
						  "c.confupdtype::pg_catalog.text, c.conname, n.nspname "
						  "FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_class r "
						  "ON r.oid OPERATOR(pg_catalog.=) c.confrelid "
						  "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) r.relnamespace "
						  "WHERE c.conrelid OPERATOR(pg_catalog.=) $1::pg_catalog.oid "
						  "AND c.contype OPERATOR(pg_catalog.=) 'f' ORDER BY c.conname COLLATE \"C\"",
						  1, oid, &res);
	if (st != REX_OK)
		return st;
	t->fks = rex_alloc0(ctx, sizeof(rex_live_fk) * (size_t) (res->nrows + 1));
	if (t->fks == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
	{
		rex_live_fk *f = &t->fks[i];

		if ((st = rex_live_names(ctx, rex_result_text(res, i, 0), &f->columns, &f->ncolumns)) != REX_OK)
			return st;
		f->ref_table = rex_result_text(res, i, 1);
		f->on_delete = on_delete(rex_result_text(res, i, 2));
		if ((st = rex_live_names(ctx, rex_result_text(res, i, 3), &f->ref_columns, &k)) != REX_OK)
			return st;
		f->on_update = on_delete(rex_result_text(res, i, 4));
		f->name = rex_result_text(res, i, 5);
		f->ref_schema = rex_result_text(res, i, 6);
	}
	t->nfks = res->nrows;
	st = rex_engine_query(ctx, "SELECT count(*) FROM pg_catalog.pg_constraint c "
						  "WHERE c.conrelid OPERATOR(pg_catalog.=) $1::pg_catalog.oid "
						  "AND c.contype OPERATOR(pg_catalog.=) 'c'", 1, oid, &res);
	if (st == REX_OK)
		t->nchecks = (int) rex_result_int(res, 0, 0);
	return st;
}

rex_status
rex_live_read_pg(rex_ctx *ctx, const char *schema, const char *name, rex_live_table *out,
				 bool *exists)
{
	rex_value	p[2];
	rex_value	oid;
	rex_result *res;
	rex_status	st;

	memset(out, 0, sizeof(*out));
	p[0] = rex_val_text(schema ? schema : "public");
	p[1] = rex_val_text(name);
	st = rex_engine_query(ctx,
						  "SELECT c.oid::pg_catalog.text, c.relkind::pg_catalog.text, c.relispartition, "
						  "EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h "
						  "WHERE h.inhrelid OPERATOR(pg_catalog.=) c.oid OR h.inhparent OPERATOR(pg_catalog.=) c.oid) "
						  "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
						  "ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
						  "WHERE n.nspname OPERATOR(pg_catalog.=) $1 AND c.relname OPERATOR(pg_catalog.=) $2 "
						  "AND c.relkind IN ('r', 'p')", 2, p, &res);
	if (st != REX_OK)
		return st;
	*exists = res->nrows == 1;
	if (!*exists)
		return REX_OK;
	out->name = rex_strdup(ctx, name);
	if (strcmp(rex_result_text(res, 0, 1), "p") == 0 || yes(res, 0, 2))
		out->unsupported = "a partitioned table or a partition";
	else if (yes(res, 0, 3))
		out->unsupported = "a table in an inheritance tree";
	oid = rex_val_text(rex_result_text(res, 0, 0));
	if ((st = read_columns(ctx, &oid, out)) != REX_OK ||
		(st = read_indexes(ctx, &oid, out)) != REX_OK)
		return st;
	return read_constraints(ctx, &oid, out);
}

bool
rex_live_type_matches_pg(rex_ctx *ctx, const rex_column *c, const char *live_type,
						 const char **expected)
{
	const char *want;

	switch (c->type)
	{
		case REX_T_ID:
		case REX_T_BIGINT:
			want = "bigint";
			break;
		case REX_T_STRING:
			want = c->max_length ? rex_psprintf(ctx, "character varying(%d)", c->max_length) : "text";
			break;
		case REX_T_FLOAT:
			want = "double precision";
			break;
		case REX_T_DECIMAL:
			want = c->precision ? rex_psprintf(ctx, "numeric(%d,%d)", c->precision, c->scale) : "numeric";
			break;
		case REX_T_TIMESTAMP:
			want = "timestamp with time zone";
			break;
		default:
			{
				rex_buf		b;

				rex_buf_init(&b, ctx);
				rex_pg_type_name(&b, c);
				want = b.data;
				break;
			}
	}
	*expected = want ? want : "";
	return live_type && want && strcmp(live_type, want) == 0;
}
