/*
 * introspect_sqlite.c
 *		The live schema of a SQLite table, from its pragmas and
 *		sqlite_schema (rex_dialect_sqlite.live_table / live_tables; see
 *		introspect.h).
 */
#include "introspect.h"
#include "rex_buf.h"
#include "rex_dialect.h"
#include "rex_engine.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static rex_status
query(rex_ctx *ctx, const char *sql, const char *name, rex_result **res)
{
	rex_value	p = rex_val_text(name);

	return rex_engine_query(ctx, sql, 1, &p, res);
}

rex_status
rex_live_list_sqlite(rex_ctx *ctx, const char *schema, const char ***names, int *n)
{
	rex_result *res;
	rex_status	st;
	int			i;

	(void) schema;
	st = rex_engine_query(ctx, "SELECT name FROM main.sqlite_schema WHERE type = 'table' "
						  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
						  "AND name NOT LIKE 'rex\\_%' ESCAPE '\\' ORDER BY name", 0, NULL, &res);
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

/* Occurrences of a keyword in SQL text, outside quotes (a close enough scan). */
static int
keyword_count(const char *sql, const char *word)
{
	size_t		len = strlen(word);
	int			n = 0;
	char		quote = 0;
	const char *p;

	for (p = sql; *p; p++)
	{
		if (quote)
		{
			if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '\'' || *p == '"' || *p == '`' || *p == '[')
		{
			quote = *p == '[' ? ']' : *p;
			continue;
		}
		if (strncasecmp(p, word, len) == 0 &&
			(p == sql || !(isalnum((unsigned char) p[-1]) || p[-1] == '_')) &&
			!(isalnum((unsigned char) p[len]) || p[len] == '_'))
			n++;
	}
	return n;
}

static rex_status
read_columns(rex_ctx *ctx, const char *name, rex_live_table *t)
{
	rex_result *res;
	rex_status	st;
	int			i;

	if ((st = query(ctx, "SELECT name, type, \"notnull\", dflt_value, pk, hidden "
					"FROM pragma_table_xinfo(?1) ORDER BY cid", name, &res)) != REX_OK)
		return st;
	t->columns = rex_alloc0(ctx, sizeof(rex_live_column) * (size_t) (res->nrows + 1));
	if (t->columns == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
	{
		rex_live_column *c = &t->columns[i];
		int64_t		hidden = rex_result_int(res, i, 5);

		c->name = rex_result_text(res, i, 0);
		c->type = rex_result_text(res, i, 1);
		c->notnull = rex_result_int(res, i, 2) != 0;
		c->default_sql = rex_result_text(res, i, 3);
		c->pk = (int) rex_result_int(res, i, 4);
		c->generated = hidden == 2 || hidden == 3;
		if (hidden == 1)
			t->unsupported = "a virtual table";
	}
	t->ncolumns = res->nrows;
	return REX_OK;
}

static rex_status
read_indexes(rex_ctx *ctx, const char *name, rex_live_table *t)
{
	rex_result *res;
	rex_status	st;
	int			i;

	if ((st = query(ctx, "SELECT il.name, il.\"unique\", il.origin, il.partial, "
					"(SELECT json_group_array(x.name) FROM (SELECT name FROM pragma_index_xinfo(il.name) "
					"WHERE key = 1 ORDER BY seqno) AS x), "
					"(SELECT count(*) FROM pragma_index_xinfo(il.name) WHERE key = 1 AND cid < 0) "
					"FROM pragma_index_list(?1) AS il ORDER BY il.name", name, &res)) != REX_OK)
		return st;
	t->indexes = rex_alloc0(ctx, sizeof(rex_live_index) * (size_t) (res->nrows + 1));
	if (t->indexes == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
	{
		rex_live_index *x = &t->indexes[i];
		const char *origin = rex_result_text(res, i, 2);

		x->name = rex_result_text(res, i, 0);
		x->unique = rex_result_int(res, i, 1) != 0;
		x->primary = origin && strcmp(origin, "pk") == 0;
		x->constraint = origin && strcmp(origin, "u") == 0;
		x->expression = rex_result_int(res, i, 3) != 0 || rex_result_int(res, i, 5) > 0;
		if ((st = rex_live_names(ctx, rex_result_text(res, i, 4), &x->columns, &x->ncolumns)) != REX_OK)
			return st;
	}
	t->nindexes = res->nrows;
	return REX_OK;
}

/* rex's name of a foreign-key action as pragma_foreign_key_list writes it */
static const char *
action(const char *act)
{
	return act == NULL || strcmp(act, "NO ACTION") == 0 ? "no_action" :
		strcmp(act, "RESTRICT") == 0 ? "restrict" :
		strcmp(act, "CASCADE") == 0 ? "cascade" :
		strcmp(act, "SET NULL") == 0 ? "set_null" : "set_default";
}

static rex_status
read_foreign_keys(rex_ctx *ctx, const char *name, rex_live_table *t)
{
	rex_result *res;
	rex_status	st;
	int			i;
	int64_t		id = -1;

	if ((st = query(ctx, "SELECT id, \"table\", \"from\", on_delete, \"to\", on_update "
					"FROM pragma_foreign_key_list(?1) ORDER BY id, seq", name, &res)) != REX_OK)
		return st;
	t->fks = rex_alloc0(ctx, sizeof(rex_live_fk) * (size_t) (res->nrows + 1));
	if (t->fks == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
	{
		rex_live_fk *f;
		const char *act = rex_result_text(res, i, 3);

		if (rex_result_int(res, i, 0) != id)
		{
			id = rex_result_int(res, i, 0);
			f = &t->fks[t->nfks++];
			f->ref_table = rex_result_text(res, i, 1);
			f->columns = rex_alloc0(ctx, sizeof(char *) * (size_t) (res->nrows + 1));
			f->ref_columns = rex_alloc0(ctx, sizeof(char *) * (size_t) (res->nrows + 1));
			if (f->columns == NULL || f->ref_columns == NULL)
				return ctx->err.status;
			f->on_delete = action(act);
			f->on_update = action(rex_result_text(res, i, 5));
		}
		f = &t->fks[t->nfks - 1];
		f->ref_columns[f->ncolumns] = rex_result_text(res, i, 4);
		f->columns[f->ncolumns++] = rex_result_text(res, i, 2);
	}
	return REX_OK;
}

rex_status
rex_live_read_sqlite(rex_ctx *ctx, const char *schema, const char *name, rex_live_table *out,
					 bool *exists)
{
	rex_result *res;
	rex_status	st;
	const char *sql;

	(void) schema;
	memset(out, 0, sizeof(*out));
	if ((st = query(ctx, "SELECT name, sql FROM main.sqlite_schema WHERE type = 'table' "
					"AND name = ?1", name, &res)) != REX_OK)
		return st;
	*exists = res->nrows == 1;
	if (!*exists)
		return REX_OK;
	out->name = rex_result_text(res, 0, 0);
	sql = rex_result_text(res, 0, 1) ? rex_result_text(res, 0, 1) : "";
	if (strncasecmp(sql, "CREATE VIRTUAL", 14) == 0)
	{
		out->unsupported = "a virtual table";
		return REX_OK;
	}
	out->nchecks = keyword_count(sql, "CHECK");
	out->autoincrement = keyword_count(sql, "AUTOINCREMENT") > 0;
	if (keyword_count(sql, "WITHOUT") > 0 && keyword_count(sql, "ROWID") > 0)
		out->unsupported = "a WITHOUT ROWID table";
	if ((st = read_columns(ctx, out->name, out)) != REX_OK ||
		(st = read_indexes(ctx, out->name, out)) != REX_OK)
		return st;
	return read_foreign_keys(ctx, out->name, out);
}

/* True when 'hay' contains 'needle', ignoring case. */
static bool
contains(const char *hay, const char *needle)
{
	size_t		n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

char
rex_sqlite_affinity(const char *d)
{
	if (d == NULL || *d == '\0')
		return 'B';
	if (contains(d, "INT"))
		return 'I';
	if (contains(d, "CHAR") || contains(d, "CLOB") || contains(d, "TEXT"))
		return 'T';
	if (contains(d, "BLOB"))
		return 'B';
	if (contains(d, "REAL") || contains(d, "FLOA") || contains(d, "DOUB"))
		return 'R';
	return 'N';
}

bool
rex_live_type_matches_sqlite(rex_ctx *ctx, const rex_column *c, const char *live_type,
							 const char **expected)
{
	rex_column	probe = *c;
	rex_entity	e;
	rex_buf		b;
	const char *sp;

	/* the storage class rex declares: the first word of its column definition */
	memset(&e, 0, sizeof(e));
	e.name = e.table = "t";
	probe.name = "x";
	probe.default_kind = REX_DEFAULT_NONE;
	rex_buf_init(&b, ctx);
	rex_dialect_sqlite.column_def(&b, &e, &probe, false);
	if (!rex_buf_ok(&b) || (sp = strchr(b.data, ' ')) == NULL)
		return false;
	*expected = rex_strndup(ctx, sp + 1, strcspn(sp + 1, " "));
	return rex_sqlite_affinity(*expected) == rex_sqlite_affinity(live_type);
}
