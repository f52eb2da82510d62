/*
 * fkeys.c
 *		DDL of foreign keys and rule CHECKs inside CREATE TABLE, and of one
 *		foreign key on its own (see relations.h).
 *
 * Foreign keys are table constraints named <table>_<column>_fkey, with
 * ON DELETE / ON UPDATE spelled out (NO ACTION included, so that the DDL
 * says what it does).  On SQLite they are always declared in CREATE TABLE
 * -- SQLite cannot add one later, and accepts a reference to a table
 * created afterwards; PRAGMA foreign_keys=ON enforces them.  On
 * PostgreSQL a foreign key that closes a cycle of tables is added by
 * ALTER TABLE once the tables exist (deferred_on_pg).
 */
#include "relations.h"
#include "rules.h"
#include "rex_dialect.h"

#include <string.h>

static const char *const action_sql[4] = {
	"NO ACTION", "RESTRICT", "CASCADE", "SET NULL"
};

/* CONSTRAINT "n" FOREIGN KEY ("c") REFERENCES t ("k") ON DELETE .. ON UPDATE .. */
static void
fk_body(rex_ctx *ctx, rex_buf *b, const rex_foreign_key *fk)
{
	const rex_dialect *d = ctx->dialect;

	rex_buf_append(b, "CONSTRAINT ");
	d->quote_ident(b, fk->name);
	rex_buf_append(b, " FOREIGN KEY (");
	d->quote_ident(b, fk->column);
	rex_buf_append(b, ") REFERENCES ");
	d->table(b, fk->ref_schema, fk->ref_table);
	rex_buf_append(b, " (");
	d->quote_ident(b, fk->ref_column);
	rex_buf_printf(b, ") ON DELETE %s ON UPDATE %s", action_sql[fk->on_delete],
				   action_sql[fk->on_update]);
}

void
rex_fk_clause(rex_ctx *ctx, rex_buf *b, const rex_foreign_key *fk)
{
	rex_buf_append(b, ",\n  ");
	fk_body(ctx, b, fk);
}

const char *
rex_fk_add_sql(rex_ctx *ctx, const char *schema, const rex_entity *e,
			   const rex_foreign_key *fk)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "ALTER TABLE ");
	ctx->dialect->table(&b, schema, e->table);
	rex_buf_append(&b, " ADD ");
	fk_body(ctx, &b, fk);
	return rex_buf_ok(&b) ? b.data : NULL;
}

const char *
rex_fk_drop_sql(rex_ctx *ctx, const char *schema, const rex_entity *e,
				const rex_foreign_key *fk)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "ALTER TABLE ");
	ctx->dialect->table(&b, schema, e->table);
	rex_buf_append(&b, " DROP CONSTRAINT ");
	ctx->dialect->quote_ident(&b, fk->name);
	return rex_buf_ok(&b) ? b.data : NULL;
}

/* True when foreign keys that close a cycle wait for ALTER TABLE. */
static bool
defers_fks(rex_ctx *ctx)
{
	return strcmp(ctx->dialect->name, "postgresql") == 0;
}

rex_status
rex_table_constraints(rex_ctx *ctx, rex_buf *b, const rex_entity *e)
{
	int			i,
				k;

	for (i = 0; i < e->nfkeys; i++)
		if (!(e->fkeys[i].deferred_on_pg && defers_fks(ctx)))
			rex_fk_clause(ctx, b, &e->fkeys[i]);
	for (i = 0; i < e->ncolumns; i++)
	{
		const rex_column *c = &e->columns[i];

		for (k = 0; k < c->nrules; k++)
		{
			const rex_rule *r = &c->rules[k];
			rex_buf		expr;
			const char *name;

			rex_buf_init(&expr, ctx);
			if (!rex_rule_check_sql(ctx, &expr, c, r, r->validator_sql))
				continue;
			if ((name = rex_rule_constraint_name(ctx, e->table, c, r)) == NULL || !rex_buf_ok(&expr))
				return rex_error_nomem(ctx);
			rex_buf_append(b, ",\n  CONSTRAINT ");
			ctx->dialect->quote_ident(b, name);
			rex_buf_printf(b, " CHECK (%s)", expr.data);
		}
	}
	return rex_buf_ok(b) ? REX_OK : rex_error_nomem(ctx);
}

rex_status
rex_rules_warnings(rex_ctx *ctx, const rex_entity *e, json_t *warnings)
{
	int			i,
				k;

	for (i = 0; i < e->ncolumns; i++)
		for (k = 0; k < e->columns[i].nrules; k++)
		{
			const char *w = rex_rule_unchecked_reason(ctx, e, &e->columns[i], &e->columns[i].rules[k]);

			if (w && json_array_append_new(warnings, json_string(w)) != 0)
				return rex_error_nomem(ctx);
		}
	return REX_OK;
}

const char *
rex_rule_add_sql(rex_ctx *ctx, const char *schema, const rex_entity *e,
				 const rex_column *c, const rex_rule *r)
{
	rex_buf		b,
				expr;
	const char *name = rex_rule_constraint_name(ctx, e->table, c, r);

	rex_buf_init(&expr, ctx);
	if (name == NULL || !rex_rule_check_sql(ctx, &expr, c, r, r->validator_sql))
		return NULL;
	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "ALTER TABLE ");
	ctx->dialect->table(&b, schema, e->table);
	rex_buf_append(&b, " ADD CONSTRAINT ");
	ctx->dialect->quote_ident(&b, name);
	rex_buf_printf(&b, " CHECK (%s)", expr.data);
	return rex_buf_ok(&b) && rex_buf_ok(&expr) ? b.data : NULL;
}

const char *
rex_rule_drop_sql(rex_ctx *ctx, const char *schema, const rex_entity *e,
				  const rex_column *c, const rex_rule *r)
{
	rex_buf		b;
	const char *name = rex_rule_constraint_name(ctx, e->table, c, r);

	if (name == NULL)
		return NULL;
	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "ALTER TABLE ");
	ctx->dialect->table(&b, schema, e->table);
	rex_buf_append(&b, " DROP CONSTRAINT ");
	ctx->dialect->quote_ident(&b, name);
	return rex_buf_ok(&b) ? b.data : NULL;
}
