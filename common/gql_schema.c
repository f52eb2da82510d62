/*
 * gql_schema.c
 *		Builds the GraphQL model of the catalog (see gql_schema.h).
 *
 * Three passes over the resolved entities: the enum types of enum
 * columns and the scalars the columns use; the shells of every entity's
 * types (so that relations can refer to any of them); their fields, and
 * the Query and Mutation fields.  The types are then listed in print
 * order: scalars, SortDirection, filter inputs, one block per entity
 * (its enums, object type, Where, OrderBy, CreateInput, UpdateInput), and
 * Query and Mutation last -- so that adding an entity adds one block to
 * the SDL and changes nothing else but the root types.
 */
#include "gql_schema.h"

#include <stdlib.h>
#include <string.h>

const char *const rex_gql_op_names[REX_GQL_OP_COUNT] = {
	"eq", "neq", "gt", "gte", "lt", "lte", "in", "nin", "like", "ilike", "isNull"
};

static const char *const scalar_names[REX_GQL_SCALAR_COUNT] = {
	"ID", "String", "Int", "Float", "Boolean", "BigInt", "Decimal", "DateTime",
	"Date", "JSON", "UUID", "Bytes"
};

static const char *const scalar_descriptions[REX_GQL_SCALAR_COUNT] = {
	NULL, NULL, NULL, NULL, NULL,
	"A 64-bit integer, as a JSON number (JavaScript loses precision beyond 2^53).",
	"An exact decimal number, as a string such as \"12.50\".",
	"A UTC date and time, as a string such as \"2026-01-31T12:00:00.000Z\".",
	"A calendar date, as a string such as \"2026-01-31\".",
	"Any JSON value.",
	"A UUID, as lower-case text such as \"123e4567-e89b-12d3-a456-426614174000\".",
	"Binary data, as base64 text."
};

static const char *const scalar_specified_by[REX_GQL_SCALAR_COUNT] = {
	NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	"https://datatracker.ietf.org/doc/html/rfc3339",
	"https://datatracker.ietf.org/doc/html/rfc3339",
	"https://datatracker.ietf.org/doc/html/rfc8259",
	"https://datatracker.ietf.org/doc/html/rfc4122",
	"https://datatracker.ietf.org/doc/html/rfc4648"
};

/* Operators of each scalar's filter input (bit i = rex_gql_op i). */
#define OPS_ORDERED ((1u << REX_GQL_OP_EQ) | (1u << REX_GQL_OP_NEQ) | (1u << REX_GQL_OP_GT) | \
					 (1u << REX_GQL_OP_GTE) | (1u << REX_GQL_OP_LT) | (1u << REX_GQL_OP_LTE) | \
					 (1u << REX_GQL_OP_IN) | (1u << REX_GQL_OP_NIN) | (1u << REX_GQL_OP_IS_NULL))
#define OPS_EQUALITY ((1u << REX_GQL_OP_EQ) | (1u << REX_GQL_OP_NEQ) | (1u << REX_GQL_OP_IN) | \
					  (1u << REX_GQL_OP_NIN) | (1u << REX_GQL_OP_IS_NULL))
#define OPS_TEXT (OPS_ORDERED | (1u << REX_GQL_OP_LIKE) | (1u << REX_GQL_OP_ILIKE))

static unsigned
scalar_ops(rex_gql_scalar s)
{
	switch (s)
	{
		case REX_GQL_STRING:
			return OPS_TEXT;
		case REX_GQL_BOOLEAN:
			return (1u << REX_GQL_OP_EQ) | (1u << REX_GQL_OP_NEQ) | (1u << REX_GQL_OP_IS_NULL);
		case REX_GQL_JSON:
			return 1u << REX_GQL_OP_IS_NULL;
		case REX_GQL_UUID:
		case REX_GQL_BYTES:
		case REX_GQL_NOT_SCALAR:
			return OPS_EQUALITY;
		default:
			return OPS_ORDERED;
	}
}

/* Everything built for one entity. */
typedef struct ent
{
	rex_entity *e;
	rex_gql_names names;
	rex_gql_type *object;
	rex_gql_type *where;
	rex_gql_type *order_by;
	rex_gql_type *create;
	rex_gql_type *update;		/* NULL when every column is in the key */
	rex_gql_type **enums;		/* per column: its own enum type, or NULL */
	rex_gql_type **enum_filters;
} ent;

typedef struct builder
{
	rex_ctx    *ctx;
	const rex_schema *s;
	rex_gql_schema *g;
	ent		   *ents;
	int			n;
	ent		  **by_name;		/* ents sorted by entity name (ent_of) */
	rex_gql_type *scalars[REX_GQL_SCALAR_COUNT];
	rex_gql_type *filters[REX_GQL_SCALAR_COUNT];
	rex_gql_type *sort_direction;
	rex_gql_type *query;
	rex_gql_type *mutation;
} builder;

static rex_gql_type *
new_type(builder *b, rex_gql_kind kind, rex_gql_type_role role, const char *name)
{
	rex_gql_type *t = rex_alloc0(b->ctx, sizeof(rex_gql_type));

	if (t == NULL)
		return NULL;
	t->kind = kind;
	t->role = role;
	t->name = name;
	t->scalar = REX_GQL_NOT_SCALAR;
	return t;
}

/* Room for 'n' fields in t (set once). */
static rex_gql_field *
alloc_fields(builder *b, rex_gql_type *t, int n)
{
	t->fields = rex_alloc0(b->ctx, sizeof(rex_gql_field) * (size_t) (n + 1));
	t->nfields = 0;
	return t->fields;
}

static rex_gql_field *
add_field(rex_gql_type *t, const char *name, rex_gql_field_role role)
{
	rex_gql_field *f = &t->fields[t->nfields++];

	f->name = name;
	f->role = role;
	return f;
}

static rex_gql_typeref
ref(const rex_gql_type *t, bool non_null)
{
	rex_gql_typeref r;

	memset(&r, 0, sizeof(r));
	r.type = t;
	r.non_null = non_null;
	return r;
}

static rex_gql_typeref
list_ref(const rex_gql_type *t, bool non_null)
{
	rex_gql_typeref r = ref(t, non_null);

	r.list = true;
	r.item_non_null = true;
	return r;
}

static rex_gql_type *
scalar(builder *b, rex_gql_scalar s)
{
	rex_gql_type *t = b->scalars[s];

	if (t)
		return t;
	t = new_type(b, REX_GQL_SCALAR, REX_GQL_T_SCALAR, scalar_names[s]);
	if (t == NULL)
		return NULL;
	t->scalar = s;
	t->builtin = s <= REX_GQL_BOOLEAN;
	t->description = scalar_descriptions[s];
	t->specified_by = scalar_specified_by[s];
	b->scalars[s] = t;
	return t;
}

static int
cmp_ent_name(const void *a, const void *b)
{
	return strcmp((*(ent *const *) a)->e->name, (*(ent *const *) b)->e->name);
}

/* The entity of that name (binary search), or NULL. */
static ent *
ent_of(builder *b, const char *entity)
{
	int			lo = 0,
				hi = b->n - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = strcmp(b->by_name[mid]->e->name, entity);

		if (c == 0)
			return b->by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* The foreign key of e whose column is c, or NULL. */
static const rex_foreign_key *
fk_of(const rex_entity *e, const rex_column *c)
{
	int			i;

	for (i = 0; i < e->nfkeys; i++)
		if (strcmp(e->fkeys[i].column, c->name) == 0)
			return &e->fkeys[i];
	return NULL;
}

/*
 * The GraphQL type of column c of entity x: its scalar, or its enum type
 * (a foreign key to an enum column shares the enum of that column).
 */
static rex_gql_type *
column_type(builder *b, ent *x, int col)
{
	const rex_column *c = &x->e->columns[col];
	const rex_foreign_key *fk = fk_of(x->e, c);
	ent		   *parent = fk ? ent_of(b, fk->ref_entity) : NULL;
	const rex_column *key = parent ? rex_entity_column(parent->e, fk->ref_column) : NULL;

	switch (c->type)
	{
		case REX_T_ID:
			return scalar(b, REX_GQL_ID);
		case REX_T_UUID:
			return scalar(b, REX_GQL_UUID);
		case REX_T_STRING:
		case REX_T_TEXT:
			return scalar(b, REX_GQL_STRING);
		case REX_T_INTEGER:
			return scalar(b, REX_GQL_INT);
		case REX_T_BIGINT:
			return scalar(b, key && key->type == REX_T_ID ? REX_GQL_ID : REX_GQL_BIGINT);
		case REX_T_FLOAT:
			return scalar(b, REX_GQL_FLOAT);
		case REX_T_DECIMAL:
			return scalar(b, REX_GQL_DECIMAL);
		case REX_T_BOOLEAN:
			return scalar(b, REX_GQL_BOOLEAN);
		case REX_T_TIMESTAMP:
			return scalar(b, REX_GQL_DATETIME);
		case REX_T_DATE:
			return scalar(b, REX_GQL_DATE);
		case REX_T_JSON:
			return scalar(b, REX_GQL_JSON);
		case REX_T_BYTES:
			return scalar(b, REX_GQL_BYTES);
		case REX_T_ENUM:
			if (x->enums[col])
				return x->enums[col];
			if (key && c->relation)
			{
				int			k = (int) (key - parent->e->columns);

				if (parent->enums[k])
					return parent->enums[k];
			}
			return scalar(b, REX_GQL_STRING);
	}
	return NULL;
}

/* The filter input of a column's type (created on first use). */
static rex_gql_type *
filter_of(builder *b, rex_gql_type *operand)
{
	rex_gql_type *t;
	rex_gql_scalar s = operand->kind == REX_GQL_SCALAR ? operand->scalar : REX_GQL_NOT_SCALAR;
	unsigned	ops = scalar_ops(s);
	int			op;

	if (s != REX_GQL_NOT_SCALAR && b->filters[s])
		return b->filters[s];
	t = new_type(b, REX_GQL_INPUT_OBJECT, REX_GQL_T_FILTER,
				 rex_psprintf(b->ctx, "%sFilter", operand->name));
	if (t == NULL || alloc_fields(b, t, REX_GQL_OP_COUNT) == NULL)
		return NULL;
	t->scalar = s;
	t->operand = operand;
	t->description = rex_psprintf(b->ctx, "Conditions on a value of type %s; every one given must hold. "
								  "in/nin: one of / none of the list; isNull: true for null, false "
								  "for not null.%s", operand->name,
								  s == REX_GQL_STRING ? " like/ilike: SQL LIKE patterns (% and _), "
								  "ilike ignoring case." : "");
	for (op = 0; op < REX_GQL_OP_COUNT; op++)
	{
		rex_gql_field *f;

		if (!(ops & (1u << op)))
			continue;
		f = add_field(t, rex_gql_op_names[op], REX_GQL_F_OP);
		f->op = (rex_gql_op) op;
		if (op == REX_GQL_OP_IN || op == REX_GQL_OP_NIN)
			f->type = list_ref(operand, false);
		else if (op == REX_GQL_OP_IS_NULL)
			f->type = ref(scalar(b, REX_GQL_BOOLEAN), false);
		else
			f->type = ref(operand, false);
	}
	if (s != REX_GQL_NOT_SCALAR)
		b->filters[s] = t;
	return t;
}

/* ---------------------------------------------------------------- */
/* pass 1: enum types of enum columns */

/* The enum type of enum column c of x, or NULL when its values cannot all
 * be told apart as GraphQL names (the column is then a String). */
static rex_status
column_enum(builder *b, ent *x, int col)
{
	const rex_column *c = &x->e->columns[col];
	rex_gql_type *t;
	int			i,
				k;

	t = new_type(b, REX_GQL_ENUM, REX_GQL_T_COLUMN_ENUM,
				 rex_gql_enum_type_name(b->ctx, x->e->name, c->name));
	if (t == NULL || (t->values = rex_alloc0(b->ctx, sizeof(rex_gql_enum_value) *
											 (size_t) c->n_enum_values)) == NULL)
		return b->ctx->err.status;
	t->entity = x->e;
	t->column = c;
	t->description = c->description;
	for (i = 0; i < c->n_enum_values; i++)
	{
		const char *name = rex_gql_enum_value_name(b->ctx, c->enum_values[i]);

		if (name == NULL)
			return REX_OK;
		for (k = 0; k < i; k++)
			if (strcmp(t->values[k].name, name) == 0)
				return REX_OK;
		t->values[i].name = name;
		t->values[i].value = c->enum_values[i];
		if (strcmp(name, c->enum_values[i]) != 0)
			t->values[i].description = rex_psprintf(b->ctx, "The value \"%s\".", c->enum_values[i]);
	}
	t->nvalues = c->n_enum_values;
	x->enums[col] = t;
	return REX_OK;
}

static rex_status
pass_enums(builder *b)
{
	int			i,
				k;
	rex_status	st;

	for (i = 0; i < b->n; i++)
	{
		ent		   *x = &b->ents[i];

		x->enums = rex_alloc0(b->ctx, sizeof(rex_gql_type *) * (size_t) (x->e->ncolumns + 1));
		x->enum_filters = rex_alloc0(b->ctx, sizeof(rex_gql_type *) * (size_t) (x->e->ncolumns + 1));
		if (x->enums == NULL || x->enum_filters == NULL)
			return b->ctx->err.status;
		if ((st = rex_gql_entity_names(b->ctx, x->e->name, x->e->plural, &x->names)) != REX_OK)
			return st;
		for (k = 0; k < x->e->ncolumns; k++)
			if (x->e->columns[k].type == REX_T_ENUM && x->e->columns[k].relation == NULL &&
				(st = column_enum(b, x, k)) != REX_OK)
				return st;
		for (k = 0; k < x->e->ncolumns; k++)
			if (x->enums[k] && (x->enum_filters[k] = filter_of(b, x->enums[k])) == NULL)
				return b->ctx->err.status;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* pass 2: shells */

static bool
in_key(const rex_entity *e, const rex_column *c)
{
	int			i;

	for (i = 0; i < e->npk; i++)
		if (strcmp(e->primary_key[i], c->name) == 0)
			return true;
	return false;
}

static rex_status
pass_shells(builder *b)
{
	int			i;

	for (i = 0; i < b->n; i++)
	{
		ent		   *x = &b->ents[i];
		const char *en = x->e->name;
		int			k,
					nupdate = 0;

		for (k = 0; k < x->e->ncolumns; k++)
			if (!in_key(x->e, &x->e->columns[k]))
				nupdate++;
		x->object = new_type(b, REX_GQL_OBJECT, REX_GQL_T_ENTITY, x->names.type);
		x->where = new_type(b, REX_GQL_INPUT_OBJECT, REX_GQL_T_WHERE, x->names.where);
		x->order_by = new_type(b, REX_GQL_INPUT_OBJECT, REX_GQL_T_ORDER_BY, x->names.order_by);
		x->create = new_type(b, REX_GQL_INPUT_OBJECT, REX_GQL_T_CREATE, x->names.create_input);
		if (nupdate)
			x->update = new_type(b, REX_GQL_INPUT_OBJECT, REX_GQL_T_UPDATE, x->names.update_input);
		if (x->object == NULL || x->where == NULL || x->order_by == NULL || x->create == NULL ||
			(nupdate && x->update == NULL))
			return b->ctx->err.status;
		x->object->entity = x->where->entity = x->order_by->entity = x->create->entity = x->e;
		x->object->description = x->e->description;
		x->where->description = rex_psprintf(b->ctx, "Conditions on %s rows: every field given "
											 "must hold.", en);
		x->order_by->description = rex_psprintf(b->ctx, "A column to sort %s rows by; give one "
												"field per list item, the first item sorts first.", en);
		x->create->description = rex_psprintf(b->ctx, "A new %s: non-null fields are required; "
											  "the others have a default or may be null.", en);
		if (x->update)
		{
			x->update->entity = x->e;
			x->update->description = rex_psprintf(b->ctx, "Changes to a %s: only the fields given "
												  "change.", en);
		}
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* pass 3: fields */

static bool
has_rule(const rex_column *c, rex_rule_kind kind)
{
	int			i;

	for (i = 0; i < c->nrules; i++)
		if (c->rules[i].kind == kind)
			return true;
	return false;
}

/* True when a new row needs a value for c (what validate() requires). */
static bool
create_needs(const rex_column *c)
{
	return c->default_kind == REX_DEFAULT_NONE && c->type != REX_T_ID &&
		(!c->nullable || has_rule(c, REX_RULE_REQUIRED));
}

/* Arguments where, orderBy, limit, offset of a list of x. */
static rex_gql_field *
list_args(builder *b, ent *x, int *nargs, bool full)
{
	rex_gql_field *a = rex_alloc0(b->ctx, sizeof(rex_gql_field) * 4);

	if (a == NULL)
		return NULL;
	a[0].name = "where";
	a[0].role = REX_GQL_F_ARG_WHERE;
	a[0].type = ref(x->where, false);
	a[0].entity = x->e;
	*nargs = 1;
	if (!full)
		return a;
	a[1].name = "orderBy";
	a[1].role = REX_GQL_F_ARG_ORDER_BY;
	a[1].type = list_ref(x->order_by, false);
	a[1].entity = x->e;
	a[2].name = "limit";
	a[2].role = REX_GQL_F_ARG_LIMIT;
	a[2].type = ref(scalar(b, REX_GQL_INT), false);
	a[3].name = "offset";
	a[3].role = REX_GQL_F_ARG_OFFSET;
	a[3].type = ref(scalar(b, REX_GQL_INT), false);
	*nargs = 4;
	return a;
}

static rex_status
relation_fields(builder *b, ent *x)
{
	int			k;

	for (k = 0; k < x->e->nrelations; k++)
	{
		const rex_relation *r = &x->e->relations[k];
		ent		   *t = ent_of(b, r->entity);
		rex_gql_field *f;

		if (t == NULL)
			continue;			/* target not defined yet */
		f = add_field(x->object, r->name, REX_GQL_F_RELATION);
		f->description = r->description;
		f->entity = x->e;
		f->relation = r;
		f->target = t->e;
		if (r->kind == REX_REL_BELONGS_TO)
		{
			const rex_column *fkc = rex_entity_column(x->e, r->foreign_key);

			f->type = ref(t->object, fkc && (!fkc->nullable || has_rule(fkc, REX_RULE_REQUIRED)));
		}
		else if (r->kind == REX_REL_HAS_ONE)
			f->type = ref(t->object, false);
		else
		{
			f->type = list_ref(t->object, true);
			if ((f->args = list_args(b, t, &f->nargs, true)) == NULL)
				return b->ctx->err.status;
			f = add_field(x->object, rex_psprintf(b->ctx, "%sCount", r->name),
						  REX_GQL_F_RELATION_COUNT);
			f->description = rex_psprintf(b->ctx, "Number of %s rows in %s matching where.",
										  t->e->name, r->name);
			f->type = ref(scalar(b, REX_GQL_INT), true);
			f->entity = x->e;
			f->relation = r;
			f->target = t->e;
			if ((f->args = list_args(b, t, &f->nargs, false)) == NULL)
				return b->ctx->err.status;
		}
	}
	return REX_OK;
}

static rex_status
entity_fields(builder *b, ent *x)
{
	const rex_entity *e = x->e;
	int			k;

	if (alloc_fields(b, x->object, e->ncolumns + 2 * e->nrelations) == NULL ||
		alloc_fields(b, x->where, e->ncolumns + 3) == NULL ||
		alloc_fields(b, x->order_by, e->ncolumns) == NULL ||
		alloc_fields(b, x->create, e->ncolumns) == NULL ||
		(x->update && alloc_fields(b, x->update, e->ncolumns) == NULL))
		return b->ctx->err.status;
	for (k = 0; k < e->ncolumns; k++)
	{
		const rex_column *c = &e->columns[k];
		rex_gql_type *t = column_type(b, x, k);
		rex_gql_type *flt = t ? filter_of(b, t) : NULL;
		rex_gql_field *f;

		if (flt == NULL)
			return b->ctx->err.status;
		f = add_field(x->object, c->name, REX_GQL_F_COLUMN);
		f->type = ref(t, !c->nullable || has_rule(c, REX_RULE_REQUIRED));
		f->description = c->description;
		f->entity = e;
		f->column = c;
		f = add_field(x->where, c->name, REX_GQL_F_COLUMN);
		f->type = ref(flt, false);
		f->entity = e;
		f->column = c;
		if (c->type != REX_T_JSON)
		{
			f = add_field(x->order_by, c->name, REX_GQL_F_COLUMN);
			f->type = ref(b->sort_direction, false);
			f->entity = e;
			f->column = c;
		}
		f = add_field(x->create, c->name, REX_GQL_F_COLUMN);
		f->type = ref(t, create_needs(c));
		f->description = c->description;
		f->entity = e;
		f->column = c;
		if (x->update && !in_key(e, c))
		{
			f = add_field(x->update, c->name, REX_GQL_F_COLUMN);
			f->type = ref(t, false);
			f->description = c->description;
			f->entity = e;
			f->column = c;
		}
	}
	add_field(x->where, "and", REX_GQL_F_AND)->type = list_ref(x->where, false);
	add_field(x->where, "or", REX_GQL_F_OR)->type = list_ref(x->where, false);
	add_field(x->where, "not", REX_GQL_F_NOT)->type = ref(x->where, false);
	x->where->fields[x->where->nfields - 3].description = "Every condition of the list holds.";
	x->where->fields[x->where->nfields - 2].description = "At least one condition of the list holds.";
	x->where->fields[x->where->nfields - 1].description = "The condition does not hold.";
	return relation_fields(b, x);
}

/* Key arguments of x (one per primary-key column), then 'extra' more. */
static rex_gql_field *
key_args(builder *b, ent *x, int extra, int *nargs)
{
	rex_gql_field *a = rex_alloc0(b->ctx, sizeof(rex_gql_field) * (size_t) (x->e->npk + extra + 1));
	int			k;

	if (a == NULL)
		return NULL;
	for (k = 0; k < x->e->npk; k++)
	{
		const rex_column *c = rex_entity_column(x->e, x->e->primary_key[k]);

		a[k].name = c->name;
		a[k].role = REX_GQL_F_ARG_KEY;
		a[k].type = ref(column_type(b, x, (int) (c - x->e->columns)), true);
		a[k].entity = x->e;
		a[k].column = c;
	}
	*nargs = x->e->npk;
	return a;
}

static rex_gql_field *
root_field(builder *b, rex_gql_type *root, ent *x, const char *name, rex_gql_field_role role,
		   const char *description)
{
	rex_gql_field *f = add_field(root, name, role);

	f->entity = x->e;
	f->description = description;
	(void) b;
	return f;
}

static rex_status
root_fields(builder *b, ent *x)
{
	const char *en = x->e->name;
	rex_gql_field *f;
	rex_gql_field *a;

	f = root_field(b, b->query, x, x->names.get, REX_GQL_F_GET,
				   rex_psprintf(b->ctx, "The %s with this key, or null.", en));
	f->type = ref(x->object, false);
	if ((f->args = key_args(b, x, 0, &f->nargs)) == NULL)
		return b->ctx->err.status;
	f = root_field(b, b->query, x, x->names.list, REX_GQL_F_LIST,
				   rex_psprintf(b->ctx, "The %s rows matching where, sorted by orderBy; at most "
								"limit rows, after skipping offset rows.", en));
	f->type = list_ref(x->object, true);
	if ((f->args = list_args(b, x, &f->nargs, true)) == NULL)
		return b->ctx->err.status;
	f = root_field(b, b->query, x, x->names.count, REX_GQL_F_COUNT,
				   rex_psprintf(b->ctx, "The number of %s rows matching where.", en));
	f->type = ref(scalar(b, REX_GQL_INT), true);
	if ((f->args = list_args(b, x, &f->nargs, false)) == NULL)
		return b->ctx->err.status;

	f = root_field(b, b->mutation, x, x->names.create, REX_GQL_F_CREATE,
				   rex_psprintf(b->ctx, "Inserts one %s and returns it.", en));
	f->type = ref(x->object, true);
	if ((f->args = a = rex_alloc0(b->ctx, sizeof(rex_gql_field))) == NULL)
		return b->ctx->err.status;
	a->name = "data";
	a->role = REX_GQL_F_ARG_DATA;
	a->type = ref(x->create, true);
	a->entity = x->e;
	f->nargs = 1;
	f = root_field(b, b->mutation, x, x->names.create_many, REX_GQL_F_CREATE_MANY,
				   rex_psprintf(b->ctx, "Inserts %s rows in one statement and returns them "
								"in the order given.", en));
	f->type = list_ref(x->object, true);
	if ((f->args = a = rex_alloc0(b->ctx, sizeof(rex_gql_field))) == NULL)
		return b->ctx->err.status;
	a->name = "data";
	a->role = REX_GQL_F_ARG_DATA;
	a->type = list_ref(x->create, true);
	a->entity = x->e;
	f->nargs = 1;
	if (x->update)
	{
		f = root_field(b, b->mutation, x, x->names.update, REX_GQL_F_UPDATE,
					   rex_psprintf(b->ctx, "Changes the %s with this key and returns it; "
									"null when there is none.", en));
		f->type = ref(x->object, false);
		if ((f->args = key_args(b, x, 1, &f->nargs)) == NULL)
			return b->ctx->err.status;
		a = &f->args[f->nargs++];
		a->name = "data";
		a->role = REX_GQL_F_ARG_DATA;
		a->type = ref(x->update, true);
		a->entity = x->e;
	}
	f = root_field(b, b->mutation, x, x->names.delete, REX_GQL_F_DELETE,
				   rex_psprintf(b->ctx, "Deletes the %s with this key and returns it; null "
								"when there is none.", en));
	f->type = ref(x->object, false);
	if ((f->args = key_args(b, x, 0, &f->nargs)) == NULL)
		return b->ctx->err.status;
	return REX_OK;
}

static rex_status
pass_fields(builder *b)
{
	int			i;
	rex_status	st;

	b->query = new_type(b, REX_GQL_OBJECT, REX_GQL_T_QUERY, "Query");
	if (b->query == NULL || alloc_fields(b, b->query, 3 * b->n + 1) == NULL)
		return b->ctx->err.status;
	if (b->n == 0)
	{
		rex_gql_field *f = add_field(b->query, "_empty", REX_GQL_F_PLACEHOLDER);

		f->type = ref(scalar(b, REX_GQL_BOOLEAN), false);
		f->description = "No entity is defined yet; this field always answers null.";
		return REX_OK;
	}
	b->mutation = new_type(b, REX_GQL_OBJECT, REX_GQL_T_MUTATION, "Mutation");
	b->sort_direction = new_type(b, REX_GQL_ENUM, REX_GQL_T_SORT_DIRECTION, "SortDirection");
	if (b->mutation == NULL || alloc_fields(b, b->mutation, 4 * b->n) == NULL ||
		b->sort_direction == NULL ||
		(b->sort_direction->values = rex_alloc0(b->ctx, sizeof(rex_gql_enum_value) * 2)) == NULL)
		return b->ctx->err.status;
	b->sort_direction->description = "Sort order.";
	b->sort_direction->values[0].name = "ASC";
	b->sort_direction->values[0].description = "Ascending, nulls last.";
	b->sort_direction->values[1].name = "DESC";
	b->sort_direction->values[1].description = "Descending, nulls first.";
	b->sort_direction->nvalues = 2;
	for (i = 0; i < b->n; i++)
		if ((st = entity_fields(b, &b->ents[i])) != REX_OK ||
			(st = root_fields(b, &b->ents[i])) != REX_OK)
			return st;
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* listing and lookups */

static int
cmp_type_name(const void *a, const void *b)
{
	return strcmp((*(rex_gql_type *const *) a)->name, (*(rex_gql_type *const *) b)->name);
}

static void
push(rex_gql_schema *g, rex_gql_type *t)
{
	if (t)
		g->types[g->ntypes++] = t;
}

static rex_status
list_types(builder *b)
{
	rex_gql_schema *g = b->g;
	int			cap = REX_GQL_SCALAR_COUNT * 2 + 3;
	int			i,
				k;

	for (i = 0; i < b->n; i++)
		cap += 5 + 2 * b->ents[i].e->ncolumns;
	g->types = rex_alloc0(b->ctx, sizeof(rex_gql_type *) * (size_t) cap);
	g->sorted = rex_alloc0(b->ctx, sizeof(rex_gql_type *) * (size_t) cap);
	if (g->types == NULL || g->sorted == NULL)
		return b->ctx->err.status;
	scalar(b, REX_GQL_STRING);	/* introspection needs these two */
	scalar(b, REX_GQL_BOOLEAN);
	for (i = 0; i < REX_GQL_SCALAR_COUNT; i++)
		push(g, b->scalars[i]);
	push(g, b->sort_direction);
	for (i = 0; i < REX_GQL_SCALAR_COUNT; i++)
		push(g, b->filters[i]);
	for (i = 0; i < b->n; i++)
	{
		ent		   *x = &b->ents[i];

		for (k = 0; k < x->e->ncolumns; k++)
		{
			push(g, x->enums[k]);
			push(g, x->enum_filters[k]);
		}
		push(g, x->object);
		push(g, x->where);
		push(g, x->order_by);
		push(g, x->create);
		push(g, x->update);
	}
	push(g, b->query);
	push(g, b->mutation);
	memcpy(g->sorted, g->types, sizeof(rex_gql_type *) * (size_t) g->ntypes);
	qsort(g->sorted, (size_t) g->ntypes, sizeof(rex_gql_type *), cmp_type_name);
	for (i = 1; i < g->ntypes; i++)
		if (strcmp(g->sorted[i - 1]->name, g->sorted[i]->name) == 0)
		{
			rex_error_set(b->ctx, REX_ERR_DEFINITION,
						  "the GraphQL schema would have two types named \"%s\"", g->sorted[i]->name);
			rex_error_hint(b->ctx, "Rename one of the entities or enum columns that give this name.");
			return REX_ERR_DEFINITION;
		}
	return REX_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Refuses two fields of one type with the same name (define_entity
 * checks this too; foreign-key columns added by other entities' relations
 * could still meet a <relation>Count field).  Sorts the names: Query and
 * Mutation have thousands of fields in a large catalog. */
static rex_status
check_field_names(builder *b)
{
	int			i,
				j;

	for (i = 0; i < b->g->ntypes; i++)
	{
		const rex_gql_type *t = b->g->types[i];
		const char **names = rex_alloc(b->ctx, sizeof(char *) * (size_t) (t->nfields + 1));

		if (names == NULL)
			return b->ctx->err.status;
		for (j = 0; j < t->nfields; j++)
			names[j] = t->fields[j].name;
		qsort(names, (size_t) t->nfields, sizeof(char *), cmp_str);
		for (j = 1; j < t->nfields; j++)
			if (strcmp(names[j - 1], names[j]) == 0)
			{
				rex_error_set(b->ctx, REX_ERR_DEFINITION,
							  "the GraphQL type \"%s\" would have two fields named \"%s\"",
							  t->name, names[j]);
				rex_error_hint(b->ctx, "Rename the column or relation that gives this name.");
				return REX_ERR_DEFINITION;
			}
	}
	return REX_OK;
}

rex_status
rex_gql_schema_build(rex_ctx *ctx, const rex_schema *s, rex_gql_schema **out)
{
	builder		b;
	int			i;
	rex_status	st;

	memset(&b, 0, sizeof(b));
	b.ctx = ctx;
	b.s = s;
	b.g = rex_alloc0(ctx, sizeof(rex_gql_schema));
	b.ents = rex_alloc0(ctx, sizeof(ent) * (size_t) (s->n + 1));
	if (b.g == NULL || b.ents == NULL)
		return ctx->err.status;
	b.g->source = s;
	b.by_name = rex_alloc0(ctx, sizeof(ent *) * (size_t) (s->n + 1));
	if (b.by_name == NULL)
		return ctx->err.status;
	for (i = 0; i < s->n; i++)
	{
		b.ents[b.n].e = s->entities[i];
		b.by_name[b.n] = &b.ents[b.n];
		b.n++;
	}
	qsort(b.by_name, (size_t) b.n, sizeof(ent *), cmp_ent_name);
	if ((st = pass_enums(&b)) != REX_OK ||
		(st = pass_shells(&b)) != REX_OK ||
		(st = pass_fields(&b)) != REX_OK ||
		(st = list_types(&b)) != REX_OK ||
		(st = check_field_names(&b)) != REX_OK)
		return st;
	b.g->query = b.query;
	b.g->mutation = b.mutation;
	*out = b.g;
	return REX_OK;
}

rex_status
rex_gql_schema_load(rex_ctx *ctx, rex_gql_schema **out)
{
	rex_schema *s = rex_alloc0(ctx, sizeof(rex_schema));
	rex_status	st;

	if (s == NULL)
		return ctx->err.status;
	if ((st = rex_schema_load(ctx, s)) != REX_OK)
		return st;
	return rex_gql_schema_build(ctx, s, out);
}

const rex_gql_type *
rex_gql_type_find(const rex_gql_schema *g, const char *name)
{
	int			lo = 0,
				hi = g->ntypes - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = strcmp(g->sorted[mid]->name, name);

		if (c == 0)
			return g->sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

const rex_gql_field *
rex_gql_field_find(const rex_gql_type *t, const char *name)
{
	int			i;

	for (i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

const rex_gql_field *
rex_gql_arg_find(const rex_gql_field *f, const char *name)
{
	int			i;

	for (i = 0; i < f->nargs; i++)
		if (strcmp(f->args[i].name, name) == 0)
			return &f->args[i];
	return NULL;
}

const rex_gql_enum_value *
rex_gql_enum_by_name(const rex_gql_type *t, const char *name)
{
	int			i;

	for (i = 0; i < t->nvalues; i++)
		if (strcmp(t->values[i].name, name) == 0)
			return &t->values[i];
	return NULL;
}

const rex_gql_enum_value *
rex_gql_enum_by_value(const rex_gql_type *t, const char *value)
{
	int			i;

	for (i = 0; i < t->nvalues; i++)
		if (t->values[i].value && strcmp(t->values[i].value, value) == 0)
			return &t->values[i];
	return NULL;
}

const rex_gql_type *
rex_gql_entity_type(const rex_gql_schema *g, const char *entity)
{
	int			i;

	for (i = 0; i < g->ntypes; i++)
		if (g->types[i]->role == REX_GQL_T_ENTITY && strcmp(g->types[i]->entity->name, entity) == 0)
			return g->types[i];
	return NULL;
}

const char *
rex_gql_typeref_text(rex_ctx *ctx, const rex_gql_typeref *r)
{
	if (r->list)
		return rex_psprintf(ctx, "[%s%s]%s", r->type->name, r->item_non_null ? "!" : "",
							r->non_null ? "!" : "");
	return rex_psprintf(ctx, "%s%s", r->type->name, r->non_null ? "!" : "");
}
