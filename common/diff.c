/*
 * diff.c
 *		Differences between two versions of an entity (see diff.h).
 */
#include "diff.h"
#include "convert.h"
#include "ident.h"
#include "json_util.h"
#include "rex_buf.h"
#include "rules.h"

#include <string.h>

static const char *const change_names[] = {
	"rename_table", "comment", "rename_column", "drop_column", "add_column",
	"alter_column", "drop_index", "rename_index", "create_index",
	"drop_foreign_key", "rename_constraint", "add_foreign_key",
	"drop_check", "rename_constraint", "add_check"
};

const char *
rex_change_name(rex_change_kind kind)
{
	return change_names[kind];
}

/* Looks a column up by exact name. */
static const rex_column *
column(const rex_entity *e, const char *name)
{
	return rex_entity_column(e, name);
}

rex_status
rex_diff_renames(rex_ctx *ctx, const rex_entity *from, const rex_entity *to,
				 rex_renames *out)
{
	int			i;

	out->n = 0;
	out->items = rex_alloc0(ctx, sizeof(rex_rename) * (size_t) (to->ncolumns + 1));
	if (out->items == NULL)
		return ctx->err.status;
	for (i = 0; i < to->ncolumns; i++)
	{
		const rex_column *c = &to->columns[i];

		if (c->renamed_from == NULL || column(from, c->name) != NULL)
			continue;			/* no rename, or done already */
		if (column(from, c->renamed_from) == NULL)
		{
			rex_error_set(ctx, REX_ERR_DEFINITION,
						  "entity \"%s\": columns.%s.renamed_from: the migrated entity has no column \"%s\"",
						  to->name, c->name, c->renamed_from);
			rex_error_hint(ctx, "Name the column as it is in the migrated entity (entity() shows the "
						   "definition; rex.entities.applied holds the migrated one), or remove \"renamed_from\" "
						   "to add a new column.");
			return REX_ERR_DEFINITION;
		}
		out->items[out->n].from = c->renamed_from;
		out->items[out->n].to = c->name;
		out->n++;
	}
	return REX_OK;
}

rex_status
rex_diff_renames_reversed(rex_ctx *ctx, const rex_renames *in, rex_renames *out)
{
	int			i;

	out->n = in->n;
	out->items = rex_alloc0(ctx, sizeof(rex_rename) * (size_t) (in->n + 1));
	if (out->items == NULL)
		return ctx->err.status;
	for (i = 0; i < in->n; i++)
	{
		out->items[i].from = in->items[i].to;
		out->items[i].to = in->items[i].from;
	}
	return REX_OK;
}

const char *
rex_diff_new_name(const rex_diff *d, const char *name)
{
	int			i;

	for (i = 0; i < d->renames.n; i++)
		if (strcmp(d->renames.items[i].from, name) == 0)
			return d->renames.items[i].to;
	return name;
}

const char *
rex_diff_old_name(const rex_diff *d, const char *name)
{
	int			i;

	for (i = 0; i < d->renames.n; i++)
		if (strcmp(d->renames.items[i].to, name) == 0)
			return d->renames.items[i].from;
	return name;
}

bool
rex_column_same_type(const rex_column *a, const rex_column *b)
{
	int			i;

	if (a->type != b->type || a->max_length != b->max_length ||
		a->precision != b->precision || a->scale != b->scale ||
		a->n_enum_values != b->n_enum_values)
		return false;
	for (i = 0; i < a->n_enum_values; i++)
		if (strcmp(a->enum_values[i], b->enum_values[i]) != 0)
			return false;
	return true;
}

bool
rex_column_same_default(const rex_column *a, const rex_column *b)
{
	if (a->default_kind != b->default_kind)
		return false;
	if (a->default_kind != REX_DEFAULT_VALUE)
		return true;
	return json_equal(a->default_value, b->default_value) != 0 &&
		json_typeof(a->default_value) == json_typeof(b->default_value);
}

static bool
same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Appends a change; NULL when out of memory. */
static rex_change *
add(rex_ctx *ctx, rex_diff *d, int *cap, rex_change_kind kind)
{
	rex_change *c;

	if (d->n == *cap)
	{
		int			ncap = *cap ? *cap * 2 : 16;
		rex_change *items = rex_alloc0(ctx, sizeof(rex_change) * (size_t) ncap);

		if (items == NULL)
			return NULL;
		if (d->n)
			memcpy(items, d->changes, sizeof(rex_change) * (size_t) d->n);
		d->changes = items;
		*cap = ncap;
	}
	c = &d->changes[d->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	return c;
}

/* Refuses a change of the primary key (after renames). */
static rex_status
check_primary_key(rex_ctx *ctx, const rex_diff *d)
{
	const rex_entity *from = d->from;
	const rex_entity *to = d->to;
	bool		same = from->npk == to->npk;
	int			i;

	for (i = 0; same && i < from->npk; i++)
		same = strcmp(rex_diff_new_name(d, from->primary_key[i]), to->primary_key[i]) == 0;
	if (same)
		return REX_OK;
	if (to->join_of)
	{
		rex_error_set(ctx, REX_ERR_UNSUPPORTED,
					  "relation %s: changing the foreign keys of migrated join table \"%s\" is not supported",
					  to->join_of, to->table);
		rex_error_detail(ctx, "They are the join table's primary key.");
		rex_error_hint(ctx, "Keep \"foreign_key\" and \"target_foreign_key\" as migrated, or give the "
					   "relation another \"through\": a new join table is created and the old one "
					   "dropped with its rows.");
		return REX_ERR_UNSUPPORTED;
	}
	rex_error_set(ctx, REX_ERR_UNSUPPORTED,
				  "entity \"%s\": changing the primary key of a migrated entity is not supported",
				  to->name);
	rex_error_hint(ctx, "Keep \"primary_key\" (and the id column) as migrated; to change the key, "
				   "create a new entity and copy the rows with a versioned migration (add_migration).");
	return REX_ERR_UNSUPPORTED;
}

/* Refuses a type change that convert.c does not support. */
static rex_status
check_conversion(rex_ctx *ctx, const rex_entity *to, const rex_column *a, const rex_column *b)
{
	rex_conversion conv;

	if (rex_column_same_type(a, b))
		return REX_OK;
	conv = rex_convert_classify(a, b);
	if (conv.supported)
		return REX_OK;
	rex_error_set(ctx, REX_ERR_UNSUPPORTED,
				  "entity \"%s\": column \"%s\": changing the type from %s to %s is not supported",
				  to->name, b->name, rex_type_names[a->type], rex_type_names[b->type]);
	if (conv.why)
		rex_error_detail(ctx, "Not supported because %s.", conv.why);
	rex_error_hint(ctx, "Supported: among string, text, enum and uuid; among integer, bigint, "
				   "float, decimal and boolean (whole numbers only, no rounding); date and "
				   "timestamp; and most types to text.  Otherwise add a new column, copy the data "
				   "with a versioned migration (add_migration), then drop the old column.");
	return REX_ERR_UNSUPPORTED;
}

/* The column changes: renames, drops, adds and alterations. */
static rex_status
diff_columns(rex_ctx *ctx, rex_diff *d, int *cap)
{
	const rex_entity *from = d->from;
	const rex_entity *to = d->to;
	rex_change *c;
	int			i;
	rex_status	st;

	for (i = 0; i < d->renames.n; i++)
	{
		if ((c = add(ctx, d, cap, REX_CH_RENAME_COLUMN)) == NULL)
			return ctx->err.status;
		c->from = column(from, d->renames.items[i].from);
		c->to = column(to, d->renames.items[i].to);
		if (c->from == NULL || c->to == NULL)
			return rex_error_set(ctx, REX_ERR_INTERNAL, "rename of an unknown column");
	}
	for (i = 0; i < from->ncolumns; i++)
		if (column(to, rex_diff_new_name(d, from->columns[i].name)) == NULL)
		{
			if ((c = add(ctx, d, cap, REX_CH_DROP_COLUMN)) == NULL)
				return ctx->err.status;
			c->from = &from->columns[i];
		}
	for (i = 0; i < to->ncolumns; i++)
	{
		const rex_column *b = &to->columns[i];
		const rex_column *a = column(from, rex_diff_old_name(d, b->name));
		int			what = 0;

		if (a == NULL)
		{
			if (b->type == REX_T_ID)
				return rex_error_set(ctx, REX_ERR_UNSUPPORTED,
									 "entity \"%s\": adding an id column to a migrated entity is not supported",
									 to->name);
			if ((c = add(ctx, d, cap, REX_CH_ADD_COLUMN)) == NULL)
				return ctx->err.status;
			c->to = b;
			continue;
		}
		if ((st = check_conversion(ctx, to, a, b)) != REX_OK)
			return st;
		if (!rex_column_same_type(a, b))
			what |= REX_ALTER_TYPE;
		if (a->nullable != b->nullable)
			what |= REX_ALTER_NULLABLE;
		if (!rex_column_same_default(a, b))
			what |= REX_ALTER_DEFAULT;
		if (!same_text(a->description, b->description))
			what |= REX_ALTER_DESCRIPTION;
		if (what == 0)
			continue;
		if ((c = add(ctx, d, cap, REX_CH_ALTER_COLUMN)) == NULL)
			return ctx->err.status;
		c->from = a;
		c->to = b;
		c->what = what;
	}
	return REX_OK;
}

/* True when applied index a (columns renamed) covers the same columns as b. */
static bool
index_same_shape(const rex_diff *d, const rex_index *a, const rex_index *b)
{
	int			i;

	if (a->ncolumns != b->ncolumns || a->unique != b->unique)
		return false;
	for (i = 0; i < a->ncolumns; i++)
		if (strcmp(rex_diff_new_name(d, a->columns[i]), b->columns[i]) != 0)
			return false;
	return true;
}

/* True when an applied index names a column that is dropped. */
static bool
index_loses_column(const rex_diff *d, const rex_index *a)
{
	int			i;

	for (i = 0; i < a->ncolumns; i++)
		if (column(d->to, rex_diff_new_name(d, a->columns[i])) == NULL)
			return true;
	return false;
}

/*
 * Index changes.  Matched by name: same shape is unchanged, another shape
 * is dropped and created again.  Unmatched by name but of the same shape
 * (a generated name that follows a renamed table or column): renamed.
 */
static rex_status
diff_indexes(rex_ctx *ctx, rex_diff *d, int *cap)
{
	const rex_entity *from = d->from;
	const rex_entity *to = d->to;
	bool	   *to_done = rex_alloc0(ctx, sizeof(bool) * (size_t) (to->nindexes + 1));
	const rex_index **renamed_to = rex_alloc0(ctx, sizeof(rex_index *) * (size_t) (from->nindexes + 1));
	rex_change *c;
	int			i,
				j;

	if (to_done == NULL || renamed_to == NULL)
		return ctx->err.status;
	/* pass 1: decide, for each applied index, what becomes of it */
	for (i = 0; i < from->nindexes; i++)
	{
		const rex_index *a = &from->indexes[i];

		for (j = 0; j < to->nindexes; j++)
			if (!to_done[j] && strcmp(a->name, to->indexes[j].name) == 0)
				break;
		if (j < to->nindexes && !index_loses_column(d, a) && index_same_shape(d, a, &to->indexes[j]))
		{
			to_done[j] = true;	/* unchanged */
			renamed_to[i] = &to->indexes[j];
			continue;
		}
		if (index_loses_column(d, a))
			continue;
		for (j = 0; j < to->nindexes; j++)
			if (!to_done[j] && index_same_shape(d, a, &to->indexes[j]) &&
				strcmp(a->name, to->indexes[j].name) != 0)
			{
				bool		taken = false;
				int			k;

				/* not if another applied index has that name already */
				for (k = 0; k < from->nindexes; k++)
					taken = taken || rex_ident_equal(from->indexes[k].name, to->indexes[j].name);
				if (taken)
					continue;
				to_done[j] = true;
				renamed_to[i] = &to->indexes[j];
				if ((c = add(ctx, d, cap, REX_CH_RENAME_INDEX)) == NULL)
					return ctx->err.status;
				c->from_ix = a;
				c->to_ix = &to->indexes[j];
				break;
			}
	}
	/* drops come before renames and creations in the plan (see alter.c) */
	for (i = 0; i < from->nindexes; i++)
		if (renamed_to[i] == NULL)
		{
			if ((c = add(ctx, d, cap, REX_CH_DROP_INDEX)) == NULL)
				return ctx->err.status;
			c->from_ix = &from->indexes[i];
		}
	for (j = 0; j < to->nindexes; j++)
		if (!to_done[j])
		{
			if ((c = add(ctx, d, cap, REX_CH_CREATE_INDEX)) == NULL)
				return ctx->err.status;
			c->to_ix = &to->indexes[j];
		}
	return REX_OK;
}

/* Sorts changes by kind, keeping the order within a kind. */
static void
sort_changes(rex_diff *d)
{
	int			i,
				j;

	for (i = 1; i < d->n; i++)
	{
		rex_change	c = d->changes[i];

		for (j = i - 1; j >= 0 && d->changes[j].kind > c.kind; j--)
			d->changes[j + 1] = d->changes[j];
		d->changes[j + 1] = c;
	}
}

/* ---------------------------------------------------------------- */
/* foreign keys */

bool
rex_diff_dropping(const rex_diff *d, const char *name)
{
	int			i;

	for (i = 0; d->env && i < d->env->ndropping; i++)
		if (strcmp(d->env->dropping[i], name) == 0)
			return true;
	return false;
}

const char *
rex_diff_live_ref(const rex_diff *d, const rex_foreign_key *fk, const char **schema,
				  const char **table)
{
	*schema = fk->ref_schema;
	*table = fk->ref_table;
	if (strcmp(fk->ref_entity, d->to->name) == 0 && d->to->join_of == NULL)
	{
		/* refers to itself: the table as it is now */
		*table = d->from->table;
		return rex_diff_old_name(d, fk->ref_column);
	}
	if (d->env && d->env->live_column)
		return d->env->live_column(d->env, fk->ref_entity, fk->ref_column, schema, table);
	return fk->ref_column;
}

/* True when applied key a and desired key b are the same constraint. */
static bool
same_fk(const rex_diff *d, const rex_foreign_key *a, const rex_foreign_key *b)
{
	const char *schema;
	const char *table;
	const char *ref;

	if (strcmp(rex_diff_new_name(d, a->column), b->column) != 0 ||
		strcmp(a->ref_entity, b->ref_entity) != 0 ||
		a->on_delete != b->on_delete || a->on_update != b->on_update)
		return false;
	ref = rex_diff_live_ref(d, b, &schema, &table);
	return ref && strcmp(ref, a->ref_column) == 0;
}

/*
 * Foreign-key changes, matched by column: the same key under another
 * name (a renamed table or column) is renamed; a key that differs in its
 * target or actions is dropped and added again.
 */
static rex_status
diff_fkeys(rex_ctx *ctx, rex_diff *d, int *cap)
{
	const rex_entity *from = d->from;
	const rex_entity *to = d->to;
	bool	   *done = rex_alloc0(ctx, sizeof(bool) * (size_t) (to->nfkeys + 1));
	rex_change *c;
	int			i,
				j;

	if (done == NULL)
		return ctx->err.status;
	for (i = 0; i < from->nfkeys; i++)
	{
		const rex_foreign_key *a = &from->fkeys[i];

		for (j = 0; j < to->nfkeys; j++)
			if (!done[j] && same_fk(d, a, &to->fkeys[j]))
				break;
		if (j < to->nfkeys)
		{
			done[j] = true;
			if (strcmp(a->name, to->fkeys[j].name) == 0)
				continue;
			if ((c = add(ctx, d, cap, REX_CH_RENAME_FK)) == NULL)
				return ctx->err.status;
			c->to_fk = &to->fkeys[j];
		}
		else if ((c = add(ctx, d, cap, REX_CH_DROP_FK)) == NULL)
			return ctx->err.status;
		c->from_fk = a;
	}
	for (j = 0; j < to->nfkeys; j++)
		if (!done[j])
		{
			if ((c = add(ctx, d, cap, REX_CH_ADD_FK)) == NULL)
				return ctx->err.status;
			c->to_fk = &to->fkeys[j];
		}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* the CHECKs of validation rules */

/* The CHECK text of rule r on column c (named 'name'), or NULL when none. */
static const char *
check_text(rex_ctx *ctx, const rex_column *c, const char *name, const rex_rule *r)
{
	rex_column	cc = *c;
	rex_buf		b;

	cc.name = name;
	rex_buf_init(&b, ctx);
	if (!rex_rule_check_sql(ctx, &b, &cc, r, r->validator_sql))
		return NULL;
	return rex_buf_ok(&b) ? b.data : NULL;
}

/* The rule of column c matching r (same kind, same validator), or NULL. */
static const rex_rule *
matching_rule(const rex_column *c, const rex_rule *r)
{
	int			k;

	for (k = 0; c && k < c->nrules; k++)
		if (c->rules[k].kind == r->kind &&
			(r->kind != REX_RULE_CUSTOM || strcmp(c->rules[k].validator, r->validator) == 0))
			return &c->rules[k];
	return NULL;
}

static rex_change *
add_check(rex_ctx *ctx, rex_diff *d, int *cap, rex_change_kind kind, const rex_column *x,
		  const rex_rule *rx, const rex_column *y, const rex_rule *ry)
{
	rex_change *c = add(ctx, d, cap, kind);

	if (c == NULL)
		return NULL;
	c->from = x;
	c->to = y;
	c->from_rule = rx;
	c->to_rule = ry;
	c->from_name = rx ? rex_rule_constraint_name(ctx, d->from->table, x, rx) : NULL;
	c->to_name = ry ? rex_rule_constraint_name(ctx, d->to->table, y, ry) : NULL;
	if ((rx && c->from_name == NULL) || (ry && c->to_name == NULL))
		return NULL;
	return c;
}

/*
 * CHECK changes, column by column (a renamed column keeps its CHECKs,
 * renamed when their generated names follow): a rule whose CHECK text
 * changes is dropped and added again.  The CHECKs of a dropped column are
 * dropped (SQLite cannot drop a column a table constraint names).
 */
static rex_status
diff_checks(rex_ctx *ctx, rex_diff *d, int *cap)
{
	const rex_entity *from = d->from;
	const rex_entity *to = d->to;
	int			i,
				k;

	for (i = 0; i < from->ncolumns; i++)
	{
		const rex_column *x = &from->columns[i];
		const rex_column *y = column(to, rex_diff_new_name(d, x->name));

		for (k = 0; k < x->nrules; k++)
		{
			const rex_rule *rx = &x->rules[k];
			const rex_rule *ry = matching_rule(y, rx);
			const char *sx = check_text(ctx, x, y ? y->name : x->name, rx);
			const char *sy = ry ? check_text(ctx, y, y->name, ry) : NULL;

			if (sx == NULL)
				continue;		/* no CHECK on this dialect */
			if (sy && strcmp(sx, sy) == 0)
			{
				const char *nx = rex_rule_constraint_name(ctx, from->table, x, rx);
				const char *ny = rex_rule_constraint_name(ctx, to->table, y, ry);

				if (nx == NULL || ny == NULL)
					return rex_error_nomem(ctx);
				if (strcmp(nx, ny) != 0 &&
					add_check(ctx, d, cap, REX_CH_RENAME_CHECK, x, rx, y, ry) == NULL)
					return ctx->err.status;
				continue;
			}
			if (add_check(ctx, d, cap, REX_CH_DROP_CHECK, x, rx, NULL, NULL) == NULL)
				return ctx->err.status;
		}
	}
	for (i = 0; i < to->ncolumns; i++)
	{
		const rex_column *y = &to->columns[i];
		const rex_column *x = column(from, rex_diff_old_name(d, y->name));

		for (k = 0; k < y->nrules; k++)
		{
			const rex_rule *ry = &y->rules[k];
			const rex_rule *rx = matching_rule(x, ry);
			const char *sy = check_text(ctx, y, y->name, ry);
			const char *sx = rx ? check_text(ctx, x, y->name, rx) : NULL;

			if (sy == NULL || (sx && strcmp(sx, sy) == 0))
				continue;
			if (add_check(ctx, d, cap, REX_CH_ADD_CHECK, x, NULL, y, ry) == NULL)
				return ctx->err.status;
		}
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */

rex_status
rex_diff_entity(rex_ctx *ctx, const rex_entity *from, const rex_entity *to,
				const rex_renames *renames, rex_diff *out)
{
	return rex_diff_entity_env(ctx, from, to, renames, NULL, out);
}

rex_status
rex_diff_entity_env(rex_ctx *ctx, const rex_entity *from, const rex_entity *to,
					const rex_renames *renames, const rex_diff_env *env, rex_diff *out)
{
	int			cap = 0;
	rex_change *c;
	rex_status	st;

	memset(out, 0, sizeof(*out));
	out->from = from;
	out->to = to;
	out->renames = *renames;
	out->env = env;
	if ((st = check_primary_key(ctx, out)) != REX_OK)
		return st;
	if (strcmp(from->table, to->table) != 0)
	{
		if ((c = add(ctx, out, &cap, REX_CH_RENAME_TABLE)) == NULL)
			return ctx->err.status;
	}
	if (!same_text(from->description, to->description))
	{
		if ((c = add(ctx, out, &cap, REX_CH_TABLE_DESCRIPTION)) == NULL)
			return ctx->err.status;
	}
	if ((st = diff_columns(ctx, out, &cap)) != REX_OK ||
		(st = diff_indexes(ctx, out, &cap)) != REX_OK ||
		(st = diff_fkeys(ctx, out, &cap)) != REX_OK ||
		(st = diff_checks(ctx, out, &cap)) != REX_OK)
		return st;
	sort_changes(out);
	return REX_OK;
}
