/*
 * plan.c
 *		Planning entity changes (see plan.h).
 *
 * The plan goes from one state to another, both resolved across every
 * entity (relations.h): the applied definitions of the migrated entities
 * (what the live tables are) and the desired definitions of every entity
 * not being dropped.  A migrated table changes when its resolved form
 * does -- its own definition, or another entity's relation that adds or
 * removes a foreign key, a foreign-key column or a join table -- and
 * alter.c plans the difference.
 *
 * Order: foreign keys that go are dropped first (PostgreSQL; SQLite
 * rebuilds a table that loses its key to a dropped table there); then
 * drops (a new entity may reuse a dropped table's name), children before
 * the tables they refer to; then changes of migrated entities (a renamed
 * table frees its old name); then creations, parents before children
 * (plan_create.c); then (PostgreSQL) the new foreign keys of migrated
 * tables, whose parent may be a table just created.
 *
 * A rollback plans with the same code (entity_ops.c): rows whose
 * 'applied' is the state to leave and 'definition' the state to go back
 * to, renames reversed.
 */
#include "plan.h"
#include "alter.h"
#include "ident.h"
#include "json_util.h"
#include "relations.h"
#include "rex_dialect.h"
#include "rex_engine.h"
#include "validators.h"

#include <string.h>

rex_step *
rex_plan_add(rex_ctx *ctx, rex_plan *plan, const char *entity, const char *kind)
{
	rex_step   *s;

	if (plan->nsteps == plan->cap)
	{
		int			cap = plan->cap ? plan->cap * 2 : 8;
		rex_step   *steps = rex_alloc0(ctx, sizeof(rex_step) * (size_t) cap);

		if (steps == NULL)
			return NULL;
		if (plan->nsteps)
			memcpy(steps, plan->steps, sizeof(rex_step) * (size_t) plan->nsteps);
		plan->steps = steps;
		plan->cap = cap;
	}
	s = &plan->steps[plan->nsteps];
	memset(s, 0, sizeof(*s));
	s->entity = entity;
	s->kind = kind;
	s->warnings = rex_json_own(ctx, json_array());
	if (s->warnings == NULL)
		return NULL;
	plan->nsteps++;
	return s;
}

/* True when the live schema has a relation (or index) of that name. */
static rex_status
live_exists(rex_ctx *ctx, const char *sql, const char *schema, const char *name,
			bool *exists)
{
	rex_value	p[2];
	rex_result *res;
	rex_status	st;

	p[0] = schema ? rex_val_text(schema) : rex_val_text("main");
	p[1] = rex_val_text(name);
	st = rex_engine_query(ctx, sql, 2, p, &res);
	*exists = st == REX_OK && res->nrows > 0;
	return st;
}

/* Refuses to create a table or index whose name is taken in the database. */
rex_status
rex_plan_check_live_names(rex_ctx *ctx, const rex_entity_row *row, const rex_entity *e,
				 const char **dropping, int ndropping)
{
	const rex_dialect *d = ctx->dialect;
	bool		exists;
	rex_status	st;
	int			i;

	for (i = 0; i < ndropping; i++)
		if (rex_ident_equal(dropping[i], e->table))
			return REX_OK;		/* the old table goes first */
	if ((st = live_exists(ctx, d->relation_exists_sql, row->schema, e->table, &exists)) != REX_OK)
		return st;
	if (exists)
	{
		rex_error_set(ctx, REX_ERR_DUPLICATE, "entity \"%s\": table \"%s\" already exists",
					  e->name, e->table);
		rex_error_hint(ctx, "Choose another \"table\" for the entity, or drop or rename the existing table.");
		return REX_ERR_DUPLICATE;
	}
	for (i = 0; i < e->nindexes; i++)
	{
		if ((st = live_exists(ctx, d->relation_exists_sql, row->schema,
							  e->indexes[i].name, &exists)) != REX_OK)
			return st;
		if (exists)
		{
			rex_error_set(ctx, REX_ERR_DUPLICATE,
						  "entity \"%s\": index name \"%s\" is already used in the database",
						  e->name, e->indexes[i].name);
			rex_error_hint(ctx, "Give the index another \"name\" in \"indexes\".");
			return REX_ERR_DUPLICATE;
		}
	}
	return REX_OK;
}

/* An engine-neutral operation for the checksum. */
rex_status
rex_plan_add_op(rex_ctx *ctx, rex_plan *plan, const char *op, const char *entity, json_t *def)
{
	json_t	   *o = json_object();

	if (o == NULL)
		return rex_error_nomem(ctx);
	json_object_set_new(o, "op", json_string(op));
	json_object_set_new(o, "entity", json_string(entity));
	json_object_set(o, "definition", def);
	json_array_append_new(plan->ops, o);
	return REX_OK;
}

/* The engine-neutral operation for a changed entity: both definitions. */
static rex_status
add_alter_op(rex_ctx *ctx, rex_plan *plan, const char *entity, json_t *from, json_t *to)
{
	json_t	   *o = json_object();

	if (o == NULL)
		return rex_error_nomem(ctx);
	json_object_set_new(o, "op", json_string("alter_entity"));
	json_object_set_new(o, "entity", json_string(entity));
	json_object_set(o, "from", from);
	json_object_set(o, "to", to);
	json_array_append_new(plan->ops, o);
	return REX_OK;
}

/* Refuses renaming a table to a name taken in the database. */
static rex_status
check_rename_target(rex_ctx *ctx, const rex_entity_row *row, const rex_entity *from,
					const rex_entity *to, const char **dropping, int ndropping)
{
	bool		exists;
	rex_status	st;
	int			i;

	if (strcmp(from->table, to->table) == 0 || rex_ident_equal(from->table, to->table))
		return REX_OK;
	for (i = 0; i < ndropping; i++)
		if (rex_ident_equal(dropping[i], to->table))
			return REX_OK;
	if ((st = live_exists(ctx, ctx->dialect->relation_exists_sql, row->schema, to->table,
						  &exists)) != REX_OK)
		return st;
	if (!exists)
		return REX_OK;
	rex_error_set(ctx, REX_ERR_DUPLICATE, "entity \"%s\": cannot rename table \"%s\" to \"%s\": "
				  "the name is taken", to->name, from->table, to->table);
	rex_error_hint(ctx, "Choose another \"table\" for the entity.");
	return REX_ERR_DUPLICATE;
}

/* ---------------------------------------------------------------- */
/* the two states */

/* One migrated table that may change: an entity, or a join table. */
typedef struct alteration
{
	rex_entity_row *row;		/* the entity's row; NULL for a join table */
	rex_entity *from;			/* resolved, as applied */
	rex_entity *to;				/* resolved, as desired */
	rex_renames renames;
	rex_alter	a;
	bool		wanted;			/* planned for 'only' */
} alteration;

typedef struct planner
{
	rex_ctx    *ctx;
	rex_entity_row *rows;
	int			nrows;
	const char *only;
	rex_schema	applied;		/* the live tables */
	bool	   *dropped;		/* per applied.entities[] */
	rex_schema	desired;
	rex_diff_env env;
	alteration *alts;
	int			nalts;
} planner;

/* The alteration of entity 'name' (not a join table), or NULL. */
static alteration *
alteration_of(const planner *p, const char *name)
{
	int			i;

	for (i = 0; i < p->nalts; i++)
		if (p->alts[i].row && strcmp(p->alts[i].row->name, name) == 0)
			return &p->alts[i];
	return NULL;
}

/* rex_diff_env.live_column: the live table and column of a desired column. */
static const char *
live_column(const rex_diff_env *env, const char *entity, const char *column,
			const char **schema, const char **table)
{
	const planner *p = env->arg;
	const rex_entity *e = rex_schema_entity(&p->applied, entity);
	const alteration *alt = alteration_of(p, entity);
	int			i;

	if (e == NULL)
		return NULL;
	*schema = e->schema;
	*table = e->table;
	for (i = 0; alt && i < alt->renames.n; i++)
		if (strcmp(alt->renames.items[i].to, column) == 0)
			return alt->renames.items[i].from;
	return column;
}

/* Parses and resolves both states. */
static rex_status
load_states(planner *p)
{
	rex_ctx    *ctx = p->ctx;
	rex_schema *a = &p->applied;
	rex_schema *d = &p->desired;
	const char **names = rex_alloc0(ctx, sizeof(char *) * (size_t) (p->nrows + 1));
	int			i;
	rex_status	st;

	a->entities = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) (p->nrows + 1));
	a->applied = rex_alloc0(ctx, sizeof(bool) * (size_t) (p->nrows + 1));
	p->dropped = rex_alloc0(ctx, sizeof(bool) * (size_t) (p->nrows + 1));
	d->entities = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) (p->nrows + 1));
	d->applied = rex_alloc0(ctx, sizeof(bool) * (size_t) (p->nrows + 1));
	if (names == NULL || a->entities == NULL || a->applied == NULL || p->dropped == NULL ||
		d->entities == NULL || d->applied == NULL)
		return rex_error_nomem(ctx);
	a->lenient = true;
	d->lenient = p->only != NULL;
	d->dropping = names;
	d->live = a;
	for (i = 0; i < p->nrows; i++)
	{
		rex_entity_row *r = &p->rows[i];
		rex_entity *e;

		if (r->applied)
		{
			if ((st = rex_definition_from_json(ctx, r->name, r->applied, &e)) != REX_OK)
				return st;
			e->schema = r->schema;
			p->dropped[a->n] = r->dropped;
			a->applied[a->n] = true;
			a->entities[a->n++] = e;
		}
		if (r->dropped)
		{
			names[d->ndropping++] = r->name;
			continue;
		}
		if ((st = rex_definition_from_json(ctx, r->name, r->definition, &e)) != REX_OK)
			return st;
		e->schema = r->schema;
		/* a migrated entity exists: its changes are alterations, never a creation */
		d->applied[d->n] = r->applied != NULL;
		d->entities[d->n++] = e;
	}
	p->env.live_column = live_column;
	p->env.arg = p;
	p->env.dropping = names;
	p->env.ndropping = d->ndropping;
	if ((st = rex_schema_resolve(ctx, a)) != REX_OK)
		return st;
	return rex_schema_resolve(ctx, d);
}

/* The column renames of a migrated entity ("renamed_from"; reversed in a rollback). */
static rex_status
renames_of(rex_ctx *ctx, const rex_entity_row *r, const rex_entity *from, const rex_entity *to,
		   rex_renames *out)
{
	rex_renames fwd;
	rex_status	st;

	if (!r->reverse_renames)
		return rex_diff_renames(ctx, from, to, out);
	/* going back, "renamed_from" of the state we leave names what to undo */
	if ((st = rex_diff_renames(ctx, to, from, &fwd)) != REX_OK)
		return st;
	return rex_diff_renames_reversed(ctx, &fwd, out);
}

/*
 * The candidate alterations: every migrated entity not being dropped (with
 * 'only': that one, and those no definition of their own changes, which
 * another entity's relation may change), and every join table in both
 * states (with 'only': those it declares).
 */
static rex_status
collect_alterations(planner *p)
{
	rex_ctx    *ctx = p->ctx;
	int			i;
	rex_status	st;

	p->alts = rex_alloc0(ctx, sizeof(alteration) * (size_t) (p->nrows + p->applied.njoins + 1));
	if (p->alts == NULL)
		return rex_error_nomem(ctx);
	for (i = 0; i < p->nrows; i++)
	{
		rex_entity_row *r = &p->rows[i];
		alteration *alt = &p->alts[p->nalts];
		bool		other = p->only && strcmp(p->only, r->name) != 0;

		if (r->dropped || r->applied == NULL ||
			(other && !rex_plan_same_definition(r->applied, r->definition)))
			continue;
		alt->row = r;
		alt->from = rex_schema_entity(&p->applied, r->name);
		alt->to = rex_schema_entity(&p->desired, r->name);
		if (alt->from == NULL || alt->to == NULL)
			return rex_error_set(ctx, REX_ERR_INTERNAL, "entity \"%s\" is missing from a state", r->name);
		/*
		 * define_entity's own answer resolves leniently: another entity
		 * whose relation cannot be resolved now (its target missing or
		 * being dropped) is not planned -- migrate() refuses it -- rather
		 * than shown losing that relation's foreign key
		 */
		alt->wanted = !(other && alt->to->warnings);
		if ((st = renames_of(ctx, r, alt->from, alt->to, &alt->renames)) != REX_OK)
			return st;
		p->nalts++;
	}
	for (i = 0; i < p->applied.njoins; i++)
	{
		rex_entity *j = p->applied.joins[i];
		rex_entity *to = rex_schema_join(&p->desired, j->table);
		alteration *alt = &p->alts[p->nalts];

		if (to == NULL)
			continue;			/* dropped (plan_create.c) */
		alt->from = j;
		alt->to = to;
		alt->wanted = p->only == NULL || strcmp(p->only, rex_plan_owner(ctx, to)) == 0;
		if ((alt->renames.items = rex_alloc0(ctx, sizeof(rex_rename))) == NULL)
			return rex_error_nomem(ctx);
		p->nalts++;
	}
	return REX_OK;
}

/* True when a relation of entity 'name' adds or drops a foreign key of a. */
static bool
caused_by(const rex_alter *a, const char *name)
{
	size_t		len = strlen(name);
	int			i;

	for (i = 0; i < a->diff.n; i++)
	{
		const rex_change *c = &a->diff.changes[i];
		const rex_foreign_key *fk = c->kind == REX_CH_ADD_FK ? c->to_fk :
			c->kind == REX_CH_DROP_FK ? c->from_fk : NULL;

		if (fk && fk->declared_by && strncmp(fk->declared_by, name, len) == 0 &&
			fk->declared_by[len] == '.')
			return true;
	}
	return false;
}

/*
 * Diffs the candidates; those whose resolved form and definition do not
 * change are not planned, nor (with 'only') those another entity's
 * pending definition changes.
 */
static rex_status
prepare_alterations(planner *p)
{
	rex_ctx    *ctx = p->ctx;
	int			i;
	rex_status	st;

	if ((st = collect_alterations(p)) != REX_OK)
		return st;
	for (i = 0; i < p->nalts; i++)
	{
		alteration *alt = &p->alts[i];
		bool		same_def = alt->row == NULL ||
			rex_plan_same_definition(alt->row->applied, alt->row->definition);
		rex_diff	d;

		if (!alt->wanted)
			continue;
		/*
		 * most tables do not change: the diff says so without reading the
		 * attached objects (the same definition and resolved form make the
		 * same objects; custom rules are equal as their definitions are)
		 */
		if (same_def && (st = rex_diff_entity_env(ctx, alt->from, alt->to, &alt->renames,
												  &p->env, &d)) != REX_OK)
			return st;
		if (same_def && d.n == 0)
		{
			alt->wanted = false;
			continue;
		}
		if ((st = rex_validators_resolve(ctx, alt->from)) != REX_OK ||
			(st = rex_validators_resolve(ctx, alt->to)) != REX_OK ||
			(st = rex_alter_prepare(ctx, alt->row ? alt->row->schema : alt->to->schema,
									alt->from, alt->to, &alt->renames, &p->env,
									&alt->a)) != REX_OK)
			return st;
		if (same_def && rex_alter_empty(&alt->a))
			alt->wanted = false;	/* nothing changes */
		else if (p->only && alt->row && strcmp(p->only, alt->row->name) != 0 &&
				 !caused_by(&alt->a, p->only))
			alt->wanted = false;	/* another pending definition changes it */
	}
	return REX_OK;
}

/* Plans one phase of every alteration; the steps of a join table go to its owner. */
static rex_status
plan_phase(planner *p, rex_alter_phase phase, rex_plan *plan)
{
	int			i,
				k;
	rex_status	st;

	for (i = 0; i < p->nalts; i++)
	{
		alteration *alt = &p->alts[i];
		int			from = plan->nsteps;

		if (!alt->wanted)
			continue;
		if ((st = rex_alter_plan(p->ctx, &alt->a, phase, plan)) != REX_OK)
			return st;
		for (k = from; alt->row == NULL && k < plan->nsteps; k++)
			plan->steps[k].entity = rex_plan_owner(p->ctx, alt->to);
	}
	return REX_OK;
}

/* The main phase, with the table renames checked and the ops recorded. */
static rex_status
plan_main(planner *p, const char **dropping, int ndropping, rex_plan *plan)
{
	int			i;
	rex_status	st;

	for (i = 0; i < p->nalts; i++)
	{
		alteration *alt = &p->alts[i];

		if (!alt->wanted || alt->row == NULL)
			continue;
		if ((st = check_rename_target(p->ctx, alt->row, alt->from, alt->to, dropping,
									  ndropping)) != REX_OK)
			return st;
	}
	if ((st = plan_phase(p, REX_ALTER_MAIN, plan)) != REX_OK)
		return st;
	for (i = 0; i < p->nalts; i++)
	{
		alteration *alt = &p->alts[i];

		if (alt->wanted && alt->row &&
			!rex_plan_same_definition(alt->row->applied, alt->row->definition) &&
			(st = add_alter_op(p->ctx, plan, alt->row->name, alt->row->applied,
							   alt->row->definition)) != REX_OK)
			return st;
	}
	return REX_OK;
}

/* The resolver's warnings about a changed entity go to its first step. */
static rex_status
alteration_warnings(planner *p, rex_plan *plan)
{
	int			i,
				k;
	size_t		w;

	for (i = 0; i < p->nalts; i++)
	{
		const alteration *alt = &p->alts[i];

		if (!alt->wanted || alt->row == NULL || alt->to->warnings == NULL)
			continue;
		for (k = 0; k < plan->nsteps; k++)
			if (plan->steps[k].entity && strcmp(plan->steps[k].entity, alt->row->name) == 0)
				break;
		for (w = 0; k < plan->nsteps && w < json_array_size(alt->to->warnings); w++)
			if (json_array_append(plan->steps[k].warnings, json_array_get(alt->to->warnings, w)) != 0)
				return rex_error_nomem(p->ctx);
	}
	return REX_OK;
}

/* True when two canonical definitions are the same. */
bool
rex_plan_same_definition(const json_t *a, const json_t *b)
{
	return json_equal((json_t *) a, (json_t *) b) != 0;
}

rex_status
rex_plan_entities(rex_ctx *ctx, rex_entity_row *rows, int nrows, const char *only,
				  rex_plan *plan)
{
	planner		p;
	const char **dropping = NULL;
	int			ndropping = 0;
	rex_status	st;

	memset(plan, 0, sizeof(*plan));
	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	p.rows = rows;
	p.nrows = nrows;
	p.only = only;
	plan->ops = rex_json_own(ctx, json_array());
	if (plan->ops == NULL)
		return rex_error_nomem(ctx);
	if ((st = load_states(&p)) != REX_OK ||
		(st = prepare_alterations(&p)) != REX_OK)
		return st;
	/* 1: foreign keys that go (and SQLite rebuilds of children of dropped tables) */
	if ((st = plan_phase(&p, REX_ALTER_BEFORE_DROPS, plan)) != REX_OK)
		return st;
	/* 2: drops, children before the tables they refer to */
	if ((st = rex_plan_drops(ctx, rows, nrows, only, &p.applied, p.dropped, &p.desired,
							 plan, &dropping, &ndropping)) != REX_OK)
		return st;
	/* 3: changes of migrated tables */
	if ((st = plan_main(&p, dropping, ndropping, plan)) != REX_OK)
		return st;
	/* 4: creations, parents before children (plan_create.c) */
	if ((st = rex_plan_creates(ctx, rows, nrows, only, &p.desired, dropping, ndropping,
							   plan)) != REX_OK)
		return st;
	/* 5: new foreign keys of migrated tables */
	if ((st = plan_phase(&p, REX_ALTER_AFTER_CREATES, plan)) != REX_OK)
		return st;
	return alteration_warnings(&p, plan);
}

json_t *
rex_plan_steps_json(rex_ctx *ctx, const rex_plan *plan)
{
	json_t	   *arr = rex_json_own(ctx, json_array());
	int			i;

	if (arr == NULL)
		return NULL;
	for (i = 0; i < plan->nsteps; i++)
	{
		const rex_step *s = &plan->steps[i];
		json_t	   *o = json_object();

		if (o == NULL)
		{
			rex_error_nomem(ctx);
			return NULL;
		}
		json_object_set_new(o, "step", json_integer(i + 1));
		json_object_set_new(o, "entity", s->entity ? json_string(s->entity) : json_null());
		json_object_set_new(o, "kind", json_string(s->kind));
		json_object_set_new(o, "sql", json_string(s->sql));
		json_object_set_new(o, "sql_down", s->sql_down ? json_string(s->sql_down) : json_null());
		json_object_set_new(o, "destructive", json_boolean(s->destructive));
		json_object_set_new(o, "rewrites_table", json_boolean(s->rewrites_table));
		json_object_set_new(o, "reversible", json_boolean(s->reversible));
		json_object_set(o, "warnings", s->warnings);
		json_array_append_new(arr, o);
	}
	return arr;
}
