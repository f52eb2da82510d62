/*
 * schema.c
 *		Resolving relations across every entity of a plan (see relations.h).
 *
 * rex_schema_resolve() turns the relations of all definitions into
 * foreign keys ("links"), each in the table that holds its column:
 *
 *	 1. every belongs_to, has_one and has_many becomes a link (child table,
 *		column) -> (parent entity, key column); two relations describing
 *		the same link (the two ends of one foreign key) are merged, and
 *		must agree (parent, has_one vs has_many, actions, nullability);
 *	 2. a declared "inverse" must name a relation of the target that is
 *		the other end of the same link or join table;
 *	 3. each link's column is checked against the key's type, or created
 *		when the child does not declare it (id keys give bigint columns);
 *		set_null on a NOT NULL column is refused; the column gets an index
 *		(a unique one for has_one) unless one already leads with it;
 *	 4. many_to_many relations give join tables (one per "through"; both
 *		ends may declare it and must then mirror each other);
 *	 5. a cycle of NOT NULL foreign keys is refused (no first row could
 *		ever be inserted); other cycles are fine, and the creation order
 *		puts parents first, marking the foreign keys that close a cycle
 *		to be added after the tables on PostgreSQL.
 *
 * Every error names both ends ("entity \"post\": relations.author: ...
 * entity \"user\" ...").  A link may change an entity already migrated
 * (a new has_many adds a foreign-key column to its table): the planner
 * diffs the resolved applied and desired states (plan.c, alter.c).
 */
#include "relations.h"
#include "rex_dialect.h"
#include "ident.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One foreign key being resolved. */
typedef struct link
{
	rex_entity *child;
	const char *column;
	rex_entity *parent;
	const rex_column *key;		/* parent's referenced column */
	rex_fk_action on_delete;
	rex_fk_action on_update;
	int			unique;			/* -1 unknown (belongs_to only), 0, 1 */
	bool		nullable;
	bool		nullable_given;
	const rex_relation *rel[2];	/* the relations describing it */
	rex_entity *owner[2];		/* the entities declaring them */
	int			nrel;
} link;

/* One join table being resolved. */
typedef struct join
{
	const char *through;
	const rex_relation *rel[2];
	rex_entity *owner[2];
	int			nrel;
} join;

typedef struct resolver
{
	rex_ctx    *ctx;
	rex_schema *s;
	link	   *links;
	int			nlinks;
	join	   *joins;
	int			njoins;
} resolver;

/* "entity \"post\": relations.author: " + message, with hint. */
static rex_status
rel_fail(resolver *rs, rex_status st, const rex_entity *e, const rex_relation *r,
		 const char *hint, const char *fmt,...)
			__attribute__((format(printf, 6, 7)));

static rex_status
rel_fail(resolver *rs, rex_status st, const rex_entity *e, const rex_relation *r,
		 const char *hint, const char *fmt,...)
{
	char		what[600];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rex_error_set(rs->ctx, st, "entity \"%s\": relations.%s: %s", e->name, r->name, what);
	if (hint)
		rex_error_hint(rs->ctx, "%s", hint);
	return st;
}

rex_entity *
rex_schema_entity(const rex_schema *s, const char *name)
{
	int			i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->entities[i]->name, name) == 0)
			return s->entities[i];
	return NULL;
}

rex_entity *
rex_schema_join(const rex_schema *s, const char *table)
{
	int			i;

	for (i = 0; i < s->njoins; i++)
		if (rex_ident_equal(s->joins[i]->table, table))
			return s->joins[i];
	return NULL;
}

static bool
is_applied(const rex_schema *s, const rex_entity *e)
{
	int			i;

	for (i = 0; i < s->n; i++)
		if (s->entities[i] == e)
			return s->applied[i];
	return false;
}

static bool
in_list(const char *const *list, int n, const char *name)
{
	int			i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* Appends a plan warning to e. */
static rex_status
warn(rex_ctx *ctx, rex_entity *e, const char *text)
{
	if (e->warnings == NULL && (e->warnings = rex_json_own(ctx, json_array())) == NULL)
		return ctx->err.status;
	if (text == NULL || json_array_append_new(e->warnings, json_string(text)) != 0)
		return rex_error_nomem(ctx);
	return REX_OK;
}

/*
 * The target of relation r of e; NULL with *st = REX_OK when the target
 * is missing and the schema is lenient (a warning is added instead).
 */
static rex_entity *
target_of(resolver *rs, rex_entity *e, const rex_relation *r, rex_status *st)
{
	rex_entity *t = rex_schema_entity(rs->s, r->entity);

	*st = REX_OK;
	if (t)
		return t;
	if (in_list(rs->s->dropping, rs->s->ndropping, r->entity))
	{
		if (rs->s->lenient)
			*st = warn(rs->ctx, e, rex_psprintf(rs->ctx, "relation \"%s\": entity \"%s\" is being "
												"dropped; drop this entity too before migrating",
												r->name, r->entity));
		else
			*st = rel_fail(rs, REX_ERR_DEFINITION, e, r,
						   "Drop both entities before migrating, or remove the relation first.",
						   "entity \"%s\" is being dropped, but this relation refers to it", r->entity);
	}
	else if (rs->s->lenient)
		*st = warn(rs->ctx, e, rex_psprintf(rs->ctx, "relation \"%s\": entity \"%s\" is not defined "
											"yet; its foreign key is planned once it is",
											r->name, r->entity));
	else
		*st = rel_fail(rs, REX_ERR_DEFINITION, e, r,
					   "Define it with define_entity(): definitions may come in any order, "
					   "but every target must exist when you plan or migrate.",
					   "refers to entity \"%s\", which is not defined", r->entity);
	return NULL;
}

/* True when e has a unique index (or unique column) on exactly 'col'. */
static bool
unique_on(const rex_entity *e, const char *col)
{
	int			i;

	if (e->npk == 1 && rex_ident_equal(e->primary_key[0], col))
		return true;
	for (i = 0; i < e->nindexes; i++)
		if (e->indexes[i].unique && e->indexes[i].ncolumns == 1 &&
			rex_ident_equal(e->indexes[i].columns[0], col))
			return true;
	return false;
}

/* The parent's referenced column ("references", or its one-column key). */
static const rex_column *
key_of(resolver *rs, rex_entity *e, const rex_relation *r, rex_entity *parent,
	   const char *references)
{
	const rex_column *k;

	if (references == NULL)
	{
		if (parent->npk != 1)
		{
			rel_fail(rs, REX_ERR_DEFINITION, e, r,
					 "Name a unique column of it with \"references\".",
					 "entity \"%s\" has a composite primary key, which a relation cannot refer to",
					 parent->name);
			return NULL;
		}
		return rex_entity_column(parent, parent->primary_key[0]);
	}
	k = rex_entity_column(parent, references);
	if (k == NULL && rs->s->lenient)
	{
		/* like a target defined later: both ends may be redefined one at a time */
		if (warn(rs->ctx, e, rex_psprintf(rs->ctx, "relation \"%s\": entity \"%s\" has no column "
										  "\"%s\" yet; its foreign key is planned once it has",
										  r->name, parent->name, references)) == REX_OK)
			rex_error_clear(rs->ctx);
		return NULL;
	}
	if (k == NULL)
		rel_fail(rs, REX_ERR_DEFINITION, e, r, NULL,
				 "references column \"%s\", which entity \"%s\" does not have",
				 references, parent->name);
	else if (!unique_on(parent, k->name))
	{
		rel_fail(rs, REX_ERR_DEFINITION, e, r,
				 "A foreign key refers to a primary key or to a column with \"unique\": true.",
				 "column \"%s.%s\" is neither the primary key nor unique", parent->name, k->name);
		return NULL;
	}
	return k;
}

/* Finds the link (child, column); NULL when new. */
static link *
find_link(resolver *rs, const rex_entity *child, const char *column)
{
	int			i;

	for (i = 0; i < rs->nlinks; i++)
		if (rs->links[i].child == child && rex_ident_equal(rs->links[i].column, column))
			return &rs->links[i];
	return NULL;
}

/* Merges an action: no_action yields to the other; two others must agree. */
static bool
merge_action(rex_fk_action *into, rex_fk_action a)
{
	if (a == REX_FK_NO_ACTION || a == *into)
		return true;
	if (*into == REX_FK_NO_ACTION)
	{
		*into = a;
		return true;
	}
	return false;
}

/* Adds (or merges into) the link described by relation r of e. */
static rex_status
add_link(resolver *rs, rex_entity *e, const rex_relation *r, rex_entity *child,
		 rex_entity *parent, const rex_column *key)
{
	link	   *l = find_link(rs, child, r->foreign_key);
	int			unique = r->kind == REX_REL_HAS_ONE ? 1 : r->kind == REX_REL_HAS_MANY ? 0 : -1;

	if (l == NULL)
	{
		l = &rs->links[rs->nlinks++];
		memset(l, 0, sizeof(*l));
		l->child = child;
		l->column = r->foreign_key;
		l->parent = parent;
		l->key = key;
		l->on_delete = r->on_delete;
		l->on_update = r->on_update;
		l->unique = unique;
		l->nullable = r->nullable;
		l->nullable_given = r->nullable_given;
	}
	else
	{
		const char *other = rex_psprintf(rs->ctx, "%s.%s", l->owner[0]->name, l->rel[0]->name);

		if (l->nrel == 2)
			return rel_fail(rs, REX_ERR_DEFINITION, e, r, NULL,
							"foreign key %s.%s is described by more than two relations",
							child->name, r->foreign_key);
		if (l->parent != parent || l->key != key)
			return rel_fail(rs, REX_ERR_DEFINITION, e, r,
							"Give the relations different foreign keys.",
							"foreign key %s.%s would refer to entity \"%s\", but %s uses it for entity \"%s\"",
							child->name, r->foreign_key, parent->name, other, l->parent->name);
		if (l->unique >= 0 && unique >= 0 && l->unique != unique)
			return rel_fail(rs, REX_ERR_DEFINITION, e, r,
							"Make both has_one or both has_many.",
							"%s says %s for the same foreign key %s.%s",
							other, rex_relation_kind_names[l->rel[0]->kind], child->name, r->foreign_key);
		if (l->rel[0]->kind == REX_REL_BELONGS_TO && r->kind == REX_REL_BELONGS_TO)
			return rel_fail(rs, REX_ERR_DEFINITION, e, r, NULL,
							"%s is a belongs_to over the same foreign key", other);
		if (!merge_action(&l->on_delete, r->on_delete) || !merge_action(&l->on_update, r->on_update))
			return rel_fail(rs, REX_ERR_DEFINITION, e, r,
							"Give on_delete and on_update on one end only, or the same on both.",
							"its on_delete/on_update disagree with those of %s, the other end of "
							"foreign key %s.%s", other, child->name, r->foreign_key);
		if (r->nullable_given && l->nullable_given && r->nullable != l->nullable)
			return rel_fail(rs, REX_ERR_DEFINITION, e, r, NULL,
							"\"nullable\" disagrees with %s, the other end of foreign key %s.%s",
							other, child->name, r->foreign_key);
		if (r->nullable_given)
		{
			l->nullable = r->nullable;
			l->nullable_given = true;
		}
		if (unique >= 0)
			l->unique = unique;
	}
	l->rel[l->nrel] = r;
	l->owner[l->nrel] = e;
	l->nrel++;
	return REX_OK;
}

/* Adds (or pairs) the join table of many_to_many relation r of e. */
static rex_status
add_join(resolver *rs, rex_entity *e, const rex_relation *r)
{
	int			i;

	for (i = 0; i < rs->njoins; i++)
	{
		join	   *j = &rs->joins[i];
		const rex_relation *o;
		json_t	   *a,
				   *b;
		bool		same;

		if (!rex_ident_equal(j->through, r->through))
			continue;
		o = j->rel[0];
		if (j->nrel == 2 || strcmp(o->entity, e->name) != 0 ||
			strcmp(r->entity, j->owner[0]->name) != 0 ||
			!rex_ident_equal(o->foreign_key, r->target_foreign_key) ||
			!rex_ident_equal(o->target_foreign_key, r->foreign_key))
			return rel_fail(rs, REX_ERR_DEFINITION, e, r,
							"Both ends of a many_to_many may name the same join table only "
							"with swapped foreign_key and target_foreign_key.",
							"join table \"%s\" is also declared by %s.%s, which is not the other "
							"end of this relation", r->through, j->owner[0]->name, o->name);
		/* extra columns must be the same */
		{
			rex_relation ra = *r,
						rb = *o;
			rex_entity	tmp;

			memset(&tmp, 0, sizeof(tmp));
			ra.name = rb.name = "x";
			ra.foreign_key = rb.foreign_key = "x";
			ra.target_foreign_key = rb.target_foreign_key = "y";
			ra.inverse = rb.inverse = NULL;
			ra.description = rb.description = NULL;
			ra.entity = rb.entity = "x";
			tmp.relations = &ra;
			tmp.nrelations = 1;
			a = rex_relations_json(&tmp);
			tmp.relations = &rb;
			b = rex_relations_json(&tmp);
			same = a && b && json_equal(a, b);
			json_decref(a);
			json_decref(b);
			if (!same)
				return rel_fail(rs, REX_ERR_DEFINITION, e, r,
								"Give the join table's extra \"columns\" on one end only, or the same on both.",
								"its join-table columns differ from those of %s.%s",
								j->owner[0]->name, o->name);
		}
		j->rel[1] = r;
		j->owner[1] = e;
		j->nrel = 2;
		return REX_OK;
	}
	rs->joins[rs->njoins].through = r->through;
	rs->joins[rs->njoins].rel[0] = r;
	rs->joins[rs->njoins].owner[0] = e;
	rs->joins[rs->njoins].nrel = 1;
	rs->njoins++;
	return REX_OK;
}

/* Pass 1: every relation becomes a link or a join table. */
static rex_status
collect(resolver *rs)
{
	rex_schema *s = rs->s;
	int			i,
				k;
	rex_status	st;

	for (i = 0; i < s->n; i++)
	{
		rex_entity *e = s->entities[i];

		for (k = 0; k < e->nrelations; k++)
		{
			const rex_relation *r = &e->relations[k];
			rex_entity *t = target_of(rs, e, r, &st);
			const rex_column *key;

			if (t == NULL)
			{
				if (st != REX_OK)
					return st;
				continue;
			}
			if (r->kind == REX_REL_MANY_TO_MANY)
				st = add_join(rs, e, r);
			else if (r->kind == REX_REL_BELONGS_TO)
				st = (key = key_of(rs, e, r, t, r->references)) == NULL ? rs->ctx->err.status :
					add_link(rs, e, r, e, t, key);
			else
				st = (key = key_of(rs, e, r, e, r->references)) == NULL ? rs->ctx->err.status :
					add_link(rs, e, r, t, e, key);
			if (st != REX_OK)
				return st;
		}
	}
	return REX_OK;
}

/* True when relations a (of ea) and b (of eb) are two ends of one thing. */
static bool
are_ends(resolver *rs, const rex_entity *ea, const rex_relation *a,
		 const rex_entity *eb, const rex_relation *b)
{
	int			i,
				k;

	for (i = 0; i < rs->nlinks; i++)
	{
		const link *l = &rs->links[i];
		bool		has_a = false,
					has_b = false;

		for (k = 0; k < l->nrel; k++)
		{
			has_a = has_a || (l->rel[k] == a && l->owner[k] == ea);
			has_b = has_b || (l->rel[k] == b && l->owner[k] == eb);
		}
		if (has_a && has_b)
			return true;
	}
	for (i = 0; i < rs->njoins; i++)
	{
		const join *j = &rs->joins[i];

		if (j->nrel == 2 && ((j->rel[0] == a && j->rel[1] == b) || (j->rel[0] == b && j->rel[1] == a)))
			return true;
	}
	return false;
}

/* Pass 2: declared inverses must be the other end. */
static rex_status
check_inverses(resolver *rs)
{
	rex_schema *s = rs->s;
	int			i,
				k;

	for (i = 0; i < s->n; i++)
	{
		rex_entity *e = s->entities[i];

		for (k = 0; k < e->nrelations; k++)
		{
			const rex_relation *r = &e->relations[k];
			rex_entity *t = rex_schema_entity(s, r->entity);
			const rex_relation *inv;

			if (r->inverse == NULL || t == NULL)
				continue;
			inv = rex_entity_relation(t, r->inverse);
			if (inv == NULL)
				return rel_fail(rs, REX_ERR_DEFINITION, e, r,
								"\"inverse\" names the relation of the target that leads back here.",
								"inverse \"%s\" is not a relation of entity \"%s\"", r->inverse, t->name);
			if (inv == r && t == e)
				return rel_fail(rs, REX_ERR_DEFINITION, e, r, NULL, "a relation cannot be its own inverse");
			if (!are_ends(rs, e, r, t, inv))
				return rel_fail(rs, REX_ERR_DEFINITION, e, r,
								"The two ends must be belongs_to and has_one/has_many over the same "
								"foreign key, or two many_to_many over the same join table.",
								"inverse %s.%s is not the other end of this relation (it is a %s to "
								"\"%s\" over \"%s\")", t->name, inv->name,
								rex_relation_kind_names[inv->kind], inv->entity,
								inv->kind == REX_REL_MANY_TO_MANY ? inv->through : inv->foreign_key);
			if (inv->inverse && (strcmp(inv->inverse, r->name) != 0))
				return rel_fail(rs, REX_ERR_DEFINITION, e, r, NULL,
								"inverse %s.%s names \"%s\" as its own inverse, not \"%s\"",
								t->name, inv->name, inv->inverse, r->name);
		}
	}
	return REX_OK;
}

/* The column type a foreign key to 'key' has. */
static rex_type
fk_type(const rex_column *key)
{
	return key->type == REX_T_ID ? REX_T_BIGINT : key->type;
}

/* Appends a column to e (its array is reallocated in the arena). */
static rex_column *
append_column(rex_ctx *ctx, rex_entity *e)
{
	rex_column *cols = rex_alloc0(ctx, sizeof(rex_column) * (size_t) (e->ncolumns + 1));

	if (cols == NULL)
		return NULL;
	if (e->ncolumns)
		memcpy(cols, e->columns, sizeof(rex_column) * (size_t) e->ncolumns);
	e->columns = cols;
	return &e->columns[e->ncolumns++];
}

static rex_index *
append_index(rex_ctx *ctx, rex_entity *e)
{
	rex_index  *ix = rex_alloc0(ctx, sizeof(rex_index) * (size_t) (e->nindexes + 1));

	if (ix == NULL)
		return NULL;
	if (e->nindexes)
		memcpy(ix, e->indexes, sizeof(rex_index) * (size_t) e->nindexes);
	e->indexes = ix;
	return &e->indexes[e->nindexes++];
}

/* The first relation describing link l, for messages. */
static rex_status
link_fail(resolver *rs, const link *l, const char *hint, const char *what)
{
	return rel_fail(rs, REX_ERR_DEFINITION, l->owner[0], l->rel[0], hint, "%s", what);
}

/* Makes sure column l->column of the child exists with the key's type. */
static rex_status
link_column(resolver *rs, link *l)
{
	rex_ctx    *ctx = rs->ctx;
	const rex_column *own = rex_entity_column(l->child, l->column);
	rex_column *c;

	if (own)
	{
		if (own->relation == NULL && own->type != fk_type(l->key))
			return link_fail(rs, l, own->type == REX_T_INTEGER && l->key->type == REX_T_ID ?
							 "A column that refers to an id is a bigint." : NULL,
							 rex_psprintf(ctx, "foreign key column \"%s.%s\" is %s, but the key it refers "
										  "to, \"%s.%s\", is %s (expected a %s column)",
										  l->child->name, own->name, rex_type_names[own->type],
										  l->parent->name, l->key->name, rex_type_names[l->key->type],
										  rex_type_names[fk_type(l->key)]));
		if (!own->nullable && (l->on_delete == REX_FK_SET_NULL || l->on_update == REX_FK_SET_NULL))
			return link_fail(rs, l, "Use cascade or restrict, or make the column nullable.",
							 rex_psprintf(ctx, "set_null needs a nullable foreign key, but column "
										  "\"%s.%s\" is not nullable", l->child->name, own->name));
		if (l->nullable_given && own->relation == NULL)
			return link_fail(rs, l, "Say \"nullable\" on the column itself.",
							 rex_psprintf(ctx, "column \"%s.%s\" is declared in \"columns\"; "
										  "\"nullable\" belongs there", l->child->name, own->name));
		return REX_OK;
	}
	if (rex_entity_relation(l->child, l->column))
		return link_fail(rs, l, "Name the foreign key with \"foreign_key\".",
						 rex_psprintf(ctx, "the foreign key column \"%s\" would have the name of a "
									  "relation of entity \"%s\"", l->column, l->child->name));
	if ((c = append_column(ctx, l->child)) == NULL)
		return ctx->err.status;
	c->name = l->column;
	c->type = fk_type(l->key);
	c->nullable = l->nullable;
	c->max_length = l->key->max_length;
	c->precision = l->key->precision;
	c->scale = l->key->scale;
	c->enum_values = l->key->enum_values;
	c->n_enum_values = l->key->n_enum_values;
	c->relation = l->rel[0];
	return REX_OK;
}

/* True when some index of e (or its key) leads with 'col'. */
static bool
indexed(const rex_entity *e, const char *col, bool need_unique)
{
	int			i;

	if (need_unique)
		return unique_on(e, col);
	if (e->npk >= 1 && rex_ident_equal(e->primary_key[0], col))
		return true;
	for (i = 0; i < e->nindexes; i++)
		if (rex_ident_equal(e->indexes[i].columns[0], col))
			return true;
	return false;
}

/* Adds the index of a foreign-key column, unless one already serves. */
static rex_status
link_index(rex_ctx *ctx, rex_entity *e, const char *col, bool unique)
{
	rex_index  *ix;
	const char *name;
	int			i;

	if (indexed(e, col, unique))
		return REX_OK;
	name = rex_name_fit(ctx, rex_psprintf(ctx, "%s_%s_%s", e->table, col, unique ? "key" : "idx"));
	if (name == NULL)
		return rex_error_nomem(ctx);
	for (i = 0; i < e->nindexes; i++)
		if (rex_ident_equal(e->indexes[i].name, name))
		{
			rex_error_set(ctx, REX_ERR_DEFINITION,
						  "entity \"%s\": index name \"%s\" is needed for foreign key \"%s\" but "
						  "is already used", e->name, name, col);
			rex_error_hint(ctx, "Give the other index another \"name\".");
			return REX_ERR_DEFINITION;
		}
	if ((ix = append_index(ctx, e)) == NULL || (ix->columns = rex_alloc(ctx, sizeof(char *))) == NULL)
		return ctx->err.status;
	ix->name = name;
	ix->columns[0] = rex_entity_column(e, col)->name;
	ix->ncolumns = 1;
	ix->unique = unique;
	ix->from_column = true;		/* not part of the canonical definition */
	return REX_OK;
}

static rex_foreign_key *
append_fk(rex_ctx *ctx, rex_entity *e)
{
	rex_foreign_key *fk = rex_alloc0(ctx, sizeof(rex_foreign_key) * (size_t) (e->nfkeys + 1));

	if (fk == NULL)
		return NULL;
	if (e->nfkeys)
		memcpy(fk, e->fkeys, sizeof(rex_foreign_key) * (size_t) e->nfkeys);
	e->fkeys = fk;
	return &e->fkeys[e->nfkeys++];
}

/* Adds foreign key child.column -> parent.key to the child. */
static rex_status
add_fk(rex_ctx *ctx, rex_entity *child, const char *column, rex_entity *parent,
	   const rex_column *key, rex_fk_action on_delete, rex_fk_action on_update,
	   const char *declared_by)
{
	rex_foreign_key *fk = append_fk(ctx, child);

	if (fk == NULL)
		return ctx->err.status;
	fk->column = rex_entity_column(child, column)->name;
	fk->name = rex_name_fit(ctx, rex_psprintf(ctx, "%s_%s_fkey", child->table, fk->column));
	fk->ref_entity = parent->name;
	fk->ref_table = parent->table;
	fk->ref_schema = parent->schema;
	fk->ref_column = key->name;
	fk->on_delete = on_delete;
	fk->on_update = on_update;
	fk->declared_by = declared_by;
	return fk->name ? REX_OK : rex_error_nomem(ctx);
}

/* Pass 3: columns, indexes and foreign keys of every link. */
static rex_status
build_links(resolver *rs)
{
	int			i;
	rex_status	st;

	for (i = 0; i < rs->nlinks; i++)
	{
		link	   *l = &rs->links[i];

		if ((st = link_column(rs, l)) != REX_OK ||
			(st = link_index(rs->ctx, l->child, l->column, l->unique == 1)) != REX_OK ||
			(st = add_fk(rs->ctx, l->child, l->column, l->parent, l->key, l->on_delete,
						 l->on_update, rex_psprintf(rs->ctx, "%s.%s", l->owner[0]->name,
													 l->rel[0]->name))) != REX_OK)
			return st;
	}
	return REX_OK;
}

/* A NOT NULL column of a join table referring to 'key'. */
static void
join_key_column(rex_column *c, const char *name, const rex_column *key)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->type = fk_type(key);
	c->nullable = false;
	c->max_length = key->max_length;
	c->precision = key->precision;
	c->scale = key->scale;
	c->enum_values = key->enum_values;
	c->n_enum_values = key->n_enum_values;
}

static int
cmp_column_name(const void *a, const void *b)
{
	return strcmp(((const rex_column *) a)->name, ((const rex_column *) b)->name);
}

/* The entity of one join table. */
static rex_status
build_join(resolver *rs, join *j, rex_entity **out)
{
	rex_ctx    *ctx = rs->ctx;
	const rex_relation *r = j->rel[0];
	rex_entity *a = j->owner[0];
	rex_entity *b = rex_schema_entity(rs->s, r->entity);
	const rex_column *ka = key_of(rs, a, r, a, NULL);
	const rex_column *kb = ka ? key_of(rs, a, r, b, NULL) : NULL;
	rex_entity *e;
	int			i;
	rex_status	st;

	if (kb == NULL)
		return ctx->err.status;
	e = rex_alloc0(ctx, sizeof(rex_entity));
	if (e == NULL || (e->columns = rex_alloc0(ctx, sizeof(rex_column) * (size_t) (r->n_through_columns + 2))) == NULL ||
		(e->primary_key = rex_alloc(ctx, sizeof(char *) * 2)) == NULL)
		return rex_error_nomem(ctx);
	e->name = r->through;
	e->table = r->through;
	e->schema = a->schema;
	e->join_of = rex_psprintf(ctx, "%s.%s", a->name, r->name);
	join_key_column(&e->columns[0], r->foreign_key, ka);
	join_key_column(&e->columns[1], r->target_foreign_key, kb);
	for (i = 0; i < r->n_through_columns; i++)
		e->columns[2 + i] = r->through_columns[i];
	if (!r->through_columns_as_array)
		qsort(e->columns + 2, (size_t) r->n_through_columns, sizeof(rex_column), cmp_column_name);
	e->ncolumns = 2 + r->n_through_columns;
	e->primary_key[0] = r->foreign_key;
	e->primary_key[1] = r->target_foreign_key;
	e->npk = 2;
	e->columns_as_array = true;
	if ((st = add_fk(ctx, e, r->foreign_key, a, ka, REX_FK_CASCADE, REX_FK_NO_ACTION, e->join_of)) != REX_OK ||
		(st = add_fk(ctx, e, r->target_foreign_key, b, kb, REX_FK_CASCADE, REX_FK_NO_ACTION, e->join_of)) != REX_OK ||
		(st = link_index(ctx, e, r->target_foreign_key, false)) != REX_OK)
		return st;
	*out = e;
	return REX_OK;
}

/* Pass 4: one entity per join table; its name must be free. */
static rex_status
build_joins(resolver *rs)
{
	rex_schema *s = rs->s;
	int			i,
				k;
	rex_status	st;

	s->joins = rex_alloc0(rs->ctx, sizeof(rex_entity *) * (size_t) (rs->njoins + 1));
	s->join_exists = rex_alloc0(rs->ctx, sizeof(bool) * (size_t) (rs->njoins + 1));
	if (s->joins == NULL || s->join_exists == NULL)
		return rex_error_nomem(rs->ctx);
	for (i = 0; i < rs->njoins; i++)
	{
		join	   *j = &rs->joins[i];

		for (k = 0; k < s->n; k++)
			if (rex_ident_equal(s->entities[k]->table, j->through))
				return rel_fail(rs, REX_ERR_DEFINITION, j->owner[0], j->rel[0],
								"Name the join table with \"through\".",
								"join table \"%s\" would have the name of the table of entity \"%s\"",
								j->through, s->entities[k]->name);
		if ((st = build_join(rs, j, &s->joins[i])) != REX_OK)
			return st;
		if (s->live)
			s->join_exists[i] = rex_schema_join(s->live, j->through) != NULL;
		else
			s->join_exists[i] = is_applied(s, j->owner[0]) ||
				(j->nrel == 2 && is_applied(s, j->owner[1]));
		s->njoins++;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* cycles and order */

typedef struct graph
{
	rex_entity **nodes;			/* entities, then join tables */
	int			n;
	char	   *mark;			/* 0 new, 1 on the stack, 2 done */
	int		   *stack;
	int			depth;
} graph;

static int
node_of(const graph *g, const char *entity)
{
	int			i;

	for (i = 0; i < g->n; i++)
		if (g->nodes[i]->join_of == NULL && strcmp(g->nodes[i]->name, entity) == 0)
			return i;
	return -1;
}

/* Describes the cycle on the stack from node 'from': a.x -> b, b.y -> a. */
static const char *
cycle_text(rex_ctx *ctx, const graph *g, int from)
{
	rex_buf		b;
	int			i,
				k;

	rex_buf_init(&b, ctx);
	for (i = 0; i < g->depth; i++)
		if (g->stack[i] == from)
			break;
	for (; i < g->depth; i++)
	{
		const rex_entity *e = g->nodes[g->stack[i]];
		const rex_entity *next = g->nodes[i + 1 < g->depth ? g->stack[i + 1] : from];

		for (k = 0; k < e->nfkeys; k++)
			if (strcmp(e->fkeys[k].ref_entity, next->name) == 0 &&
				!rex_entity_column(e, e->fkeys[k].column)->nullable)
				break;
		rex_buf_printf(&b, "%s%s.%s -> %s", b.len ? ", " : "", e->name,
					   k < e->nfkeys ? e->fkeys[k].column : "?", next->name);
	}
	return b.data;
}

/* Depth-first search over NOT NULL foreign keys; a cycle is an error. */
static rex_status
required_cycle(rex_ctx *ctx, graph *g, int v)
{
	rex_entity *e = g->nodes[v];
	int			k;
	rex_status	st;

	g->mark[v] = 1;
	g->stack[g->depth++] = v;
	for (k = 0; k < e->nfkeys; k++)
	{
		int			p = node_of(g, e->fkeys[k].ref_entity);

		if (p < 0 || rex_entity_column(e, e->fkeys[k].column)->nullable)
			continue;
		if (g->mark[p] == 1)
		{
			rex_error_set(ctx, REX_ERR_DEFINITION,
						  "entity \"%s\": foreign keys form a cycle of required values: %s",
						  g->nodes[p]->name, cycle_text(ctx, g, p));
			rex_error_detail(ctx, "No row could ever be inserted: each needs a row of the next to exist first.");
			rex_error_hint(ctx, "Make one of these foreign keys nullable (\"nullable\": true).");
			return REX_ERR_DEFINITION;
		}
		if (g->mark[p] == 0 && (st = required_cycle(ctx, g, p)) != REX_OK)
			return st;
	}
	g->mark[v] = 2;
	g->depth--;
	return REX_OK;
}

/* Topological order, parents first; foreign keys closing a cycle are deferred. */
static void
order_visit(graph *g, rex_schema *s, int v, const bool *create)
{
	rex_entity *e = g->nodes[v];
	int			k;

	g->mark[v] = 1;
	for (k = 0; k < e->nfkeys; k++)
	{
		int			p = node_of(g, e->fkeys[k].ref_entity);

		if (p < 0 || p == v || !create[p])
			continue;
		if (g->mark[p] == 1)
			e->fkeys[k].deferred_on_pg = true;
		else if (g->mark[p] == 0)
			order_visit(g, s, p, create);
	}
	g->mark[v] = 2;
	if (create[v])
		s->order[s->norder++] = e;
}

static rex_status
order_and_cycles(rex_ctx *ctx, rex_schema *s)
{
	graph		g;
	bool	   *create;
	int			i;
	rex_status	st;

	memset(&g, 0, sizeof(g));
	g.n = s->n + s->njoins;
	g.nodes = rex_alloc(ctx, sizeof(rex_entity *) * (size_t) (g.n + 1));
	g.mark = rex_alloc0(ctx, (size_t) g.n + 1);
	g.stack = rex_alloc(ctx, sizeof(int) * (size_t) (g.n + 1));
	create = rex_alloc0(ctx, sizeof(bool) * (size_t) (g.n + 1));
	s->order = rex_alloc(ctx, sizeof(rex_entity *) * (size_t) (g.n + 1));
	if (g.nodes == NULL || g.mark == NULL || g.stack == NULL || create == NULL || s->order == NULL)
		return rex_error_nomem(ctx);
	for (i = 0; i < s->n; i++)
	{
		g.nodes[i] = s->entities[i];
		create[i] = !s->applied[i];
	}
	for (i = 0; i < s->njoins; i++)
	{
		g.nodes[s->n + i] = s->joins[i];
		create[s->n + i] = !s->join_exists[i];
	}
	for (i = 0; i < g.n; i++)
		if (g.mark[i] == 0 && (st = required_cycle(ctx, &g, i)) != REX_OK)
			return st;
	memset(g.mark, 0, (size_t) g.n);
	for (i = 0; i < g.n; i++)
		if (g.mark[i] == 0)
			order_visit(&g, s, i, create);
	return REX_OK;
}

rex_status
rex_schema_resolve(rex_ctx *ctx, rex_schema *s)
{
	resolver	rs;
	int			nrel = 0;
	int			i;
	rex_status	st;

	memset(&rs, 0, sizeof(rs));
	rs.ctx = ctx;
	rs.s = s;
	for (i = 0; i < s->n; i++)
		nrel += s->entities[i]->nrelations;
	rs.links = rex_alloc0(ctx, sizeof(link) * (size_t) (nrel + 1));
	rs.joins = rex_alloc0(ctx, sizeof(join) * (size_t) (nrel + 1));
	if (rs.links == NULL || rs.joins == NULL)
		return rex_error_nomem(ctx);
	s->njoins = 0;
	s->norder = 0;
	if ((st = collect(&rs)) != REX_OK ||
		(st = check_inverses(&rs)) != REX_OK ||
		(st = build_links(&rs)) != REX_OK ||
		(st = build_joins(&rs)) != REX_OK)
		return st;
	return order_and_cycles(ctx, s);
}
