/*
 * graphql_overlap.c
 *		Validation rule 5.3.2 Field Selection Merging ("overlapping fields can
 *		be merged") of the GraphQL specification (October 2021).
 *
 * Two fields with the same response name in a selection set (directly,
 * through fragments, or in the selection sets they merge into) must be the
 * same field with the same arguments -- unless their parent types are
 * distinct object types, so that they can never both apply -- and must
 * return values of the same shape.  The algorithm is graphql-js's
 * (OverlappingFieldsCanBeMergedRule): fields are gathered per selection
 * set (cached), compared pairwise within a response name, fragments are
 * compared with fields and with each other once per pair (memoized), and a
 * conflict between sub-selections is reported on the fields that enclose
 * them.  The messages are graphql-js's: 'Fields "a" conflict because
 * "name" and "email" are different fields. Use different aliases on the
 * fields to fetch both if this was intentional.'
 *
 * The rule runs only on a document that passed every other rule (so no
 * fragment cycle, no unknown fragment, and chains of fragments and
 * selections within the depth limit: recursion stays bounded), and only
 * with a schema (parent types decide what may differ).
 *
 * Comparing pairs is quadratic in the fields that share a response name,
 * so the work is bounded: identical plain leaf fields (same parent type
 * and name, no argument, no selection) are gathered once -- they cannot
 * conflict with each other and compare alike with the rest -- the pairs
 * compared (fields and fragments) are counted against
 * limits.max_merge_checks, past which the document is refused with an
 * error saying so, and no more conflicts are gathered than can be
 * reported.
 */
#include "graphql_validate_int.h"
#include "rex_buf.h"

#include <stdio.h>
#include <string.h>

/* A field as gathered from a selection set. */
typedef struct ofield
{
	const char *parent;			/* parent type; NULL when not known */
	const rex_gql_selection *node;
	const rex_gql_type *type;	/* the field's type; NULL when not known */
} ofield;

/* The fields of one response name. */
typedef struct ogroup
{
	const char *key;
	gql_vec		fields;			/* ofield */
} ogroup;

/* "Fields and fragment names" of a selection set. */
typedef struct ofields
{
	gql_map		index;			/* response name -> ogroup */
	gql_map		plain;			/* "parent\x1fname" of plain leaf fields */
	gql_vec		groups;			/* ogroup *, in order of appearance */
	gql_vec		frag_names;		/* const char *, each once */
	gql_map		frag_seen;
} ofields;

/* A conflict; 'subs' when it comes from sub-selections. */
typedef struct oconflict
{
	const char *key;
	const char *reason;			/* or NULL with subs */
	gql_vec		subs;			/* oconflict * */
	gql_vec		locs1;			/* rex_gql_loc */
	gql_vec		locs2;
} oconflict;

typedef struct overlap
{
	gql_validator *v;
	gql_map		cache;			/* "%p" of a selection set -> ofields */
	gql_map		pairs;			/* memo of compared pairs -> "0"/"1" */
	long		checks;			/* pairs compared so far */
	long		max_checks;
	int			conflicts;		/* conflicts gathered so far */
	int			max_conflicts;
	bool		failed;			/* out of memory */
	bool		done;			/* a bound was reached: stop comparing */
} overlap;

static const char *const exclusive_yes = "1";
static const char *const exclusive_no = "0";

/* ---------------------------------------------------------------- */
/* gathering fields */

static bool
is_object(overlap *o, const char *type)
{
	return type && rex_gql_kind_of(o->v->schema, type) == REX_GQL_KIND_OBJECT;
}

static bool
is_composite_type(overlap *o, const char *type)
{
	rex_gql_kind k = type ? rex_gql_kind_of(o->v->schema, type) : REX_GQL_KIND_NONE;

	return k == REX_GQL_KIND_OBJECT || k == REX_GQL_KIND_INTERFACE ||
		k == REX_GQL_KIND_UNION;
}

/* Adds the fields and fragment names of 'set' (parent type 'parent'). */
static void
collect(overlap *o, const char *parent, const rex_gql_selection_set *set, ofields *out)
{
	rex_ctx    *ctx = o->v->ctx;
	int			i;

	for (i = 0; i < set->nitems && !o->failed && !o->done; i++)
	{
		const rex_gql_selection *s = &set->items[i];

		if (s->kind == REX_GQL_FIELD)
		{
			const char *key = s->alias ? s->alias : s->name;
			ogroup	   *g = rex_gql_map_get(&out->index, key);
			ofield	   *f;
			const rex_gql_field_def *def = NULL;

			if (s->nargs == 0 && s->selection_set == NULL)
			{
				/* an identical plain leaf field is already there: skip it */
				char	   *plain = rex_psprintf(ctx, "%s\x1f%s\x1f%s", parent ? parent : "",
												 key, s->name);

				if (plain == NULL)
				{
					o->failed = true;
					return;
				}
				if (rex_gql_map_get(&out->plain, plain))
					continue;
				if (!rex_gql_map_put(ctx, &out->plain, plain, (void *) s))
				{
					o->failed = true;
					return;
				}
			}

			if (g == NULL)
			{
				ogroup	  **slot = rex_gql_vec_push(ctx, &out->groups, sizeof(ogroup *));

				g = rex_alloc0(ctx, sizeof(ogroup));
				if (slot == NULL || g == NULL || !rex_gql_map_put(ctx, &out->index, key, g))
				{
					o->failed = true;
					return;
				}
				g->key = key;
				*slot = g;
			}
			f = rex_gql_vec_push(ctx, &g->fields, sizeof(ofield));
			if (f == NULL)
			{
				o->failed = true;
				return;
			}
			/* __typename is not among the type's fields: its type stays unknown */
			if (is_composite_type(o, parent) && strcmp(s->name, "__typename") != 0)
				def = o->v->schema->field(o->v->schema->arg, parent, s->name);
			f->parent = parent;
			f->node = s;
			f->type = def ? def->type : NULL;
		}
		else if (s->kind == REX_GQL_FRAGMENT_SPREAD)
		{
			const char **slot;

			if (rex_gql_map_get(&out->frag_seen, s->name))
				continue;
			slot = rex_gql_vec_push(ctx, &out->frag_names, sizeof(char *));
			if (slot == NULL || !rex_gql_map_put(ctx, &out->frag_seen, s->name, (void *) s))
			{
				o->failed = true;
				return;
			}
			*slot = s->name;
		}
		else
			collect(o, s->type_condition ?
					(rex_gql_kind_of(o->v->schema, s->type_condition) != REX_GQL_KIND_NONE ?
					 s->type_condition : NULL) : parent,
					s->selection_set, out);
	}
}

/* The fields and fragment names of a selection set, cached per set. */
static ofields *
fields_of(overlap *o, const char *parent, const rex_gql_selection_set *set)
{
	char		key[64];
	char	   *k;
	ofields    *r;

	snprintf(key, sizeof(key), "%p", (const void *) set);
	r = rex_gql_map_get(&o->cache, key);
	if (r)
		return r;
	r = rex_alloc0(o->v->ctx, sizeof(ofields));
	k = rex_strdup(o->v->ctx, key);
	if (r == NULL || k == NULL || !rex_gql_map_put(o->v->ctx, &o->cache, k, r))
	{
		o->failed = true;
		return NULL;
	}
	collect(o, parent, set, r);
	return o->failed ? NULL : r;
}

/* The fields of a fragment's own selection set, typed by its condition. */
static ofields *
fragment_fields(overlap *o, const rex_gql_fragment *f)
{
	const char *type = rex_gql_kind_of(o->v->schema, f->type_condition) != REX_GQL_KIND_NONE ?
		f->type_condition : NULL;

	return fields_of(o, type, f->selection_set);
}

/* ---------------------------------------------------------------- */
/* comparing */

/* Counts one comparison; false once the bound is passed. */
static bool
count_check(overlap *o)
{
	if (o->done || o->failed)
		return false;
	if (o->max_checks > 0 && ++o->checks > o->max_checks)
	{
		rex_gql_error_add(o->v->ctx, o->v->errs, NULL, NULL,
						  "The document has too many fields and fragments to check "
						  "that same-named fields can be merged (more than %ld "
						  "comparisons); split it or give the fields different aliases.",
						  o->max_checks);
		o->done = true;
		return false;
	}
	return true;
}

static void collect_between(overlap *o, gql_vec *conflicts, bool excl,
							ofields *a, ofields *b);
static void collect_between_fields_and_fragment(overlap *o, gql_vec *conflicts,
												bool excl, ofields *fields,
												const char *frag);
static void collect_between_fragments(overlap *o, gql_vec *conflicts, bool excl,
									  const char *f1, const char *f2);

/*
 * PairSet of graphql-js: whether a pair was compared, where a pair compared
 * as not mutually exclusive also covers the exclusive case.
 */
static bool
pair_seen(overlap *o, const char *a, const char *b, bool excl)
{
	char	   *key = strcmp(a, b) < 0 ? rex_psprintf(o->v->ctx, "%s\x1f%s", a, b)
		: rex_psprintf(o->v->ctx, "%s\x1f%s", b, a);
	const char *was;

	if (key == NULL)
	{
		o->failed = true;
		return true;
	}
	was = rex_gql_map_get(&o->pairs, key);
	if (was)
	{
		if (excl || was == exclusive_no)
			return true;
	}
	if (!rex_gql_map_put(o->v->ctx, &o->pairs, key,
						 (void *) (excl ? exclusive_yes : exclusive_no)))
		o->failed = true;
	return false;
}

/* Values compared structurally; object fields by name. */
static bool
same_value(const rex_gql_value *a, const rex_gql_value *b)
{
	int			i,
				j;

	if (a->kind != b->kind)
		return false;
	switch (a->kind)
	{
		case REX_GQL_BOOLEAN:
			return a->boolean == b->boolean;
		case REX_GQL_NULL:
			return true;
		case REX_GQL_LIST:
			if (a->nitems != b->nitems)
				return false;
			for (i = 0; i < a->nitems; i++)
				if (!same_value(a->items[i], b->items[i]))
					return false;
			return true;
		case REX_GQL_OBJECT:
			if (a->nfields != b->nfields)
				return false;
			for (i = 0; i < a->nfields; i++)
			{
				for (j = 0; j < b->nfields; j++)
					if (strcmp(a->fields[i].name, b->fields[j].name) == 0)
						break;
				if (j == b->nfields || !same_value(a->fields[i].value, b->fields[j].value))
					return false;
			}
			return true;
		default:
			return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
	}
}

static bool
same_arguments(const rex_gql_selection *a, const rex_gql_selection *b)
{
	int			i,
				j;

	if (a->nargs != b->nargs)
		return false;
	for (i = 0; i < a->nargs; i++)
	{
		for (j = 0; j < b->nargs; j++)
			if (strcmp(a->args[i].name, b->args[j].name) == 0)
				break;
		if (j == b->nargs || !same_value(a->args[i].value, b->args[j].value))
			return false;
	}
	return true;
}

/* doTypesConflict: the shapes differ (lists, non-null, leaf types). */
static bool
types_conflict(overlap *o, const rex_gql_type *a, const rex_gql_type *b)
{
	rex_gql_kind ka,
				kb;

	for (;;)
	{
		if (a->kind == REX_GQL_TYPE_LIST || b->kind == REX_GQL_TYPE_LIST)
		{
			if (a->kind != b->kind)
				return true;
		}
		else if (a->kind == REX_GQL_TYPE_NON_NULL || b->kind == REX_GQL_TYPE_NON_NULL)
		{
			if (a->kind != b->kind)
				return true;
		}
		else
			break;
		a = a->of;
		b = b->of;
	}
	ka = rex_gql_kind_of(o->v->schema, a->name);
	kb = rex_gql_kind_of(o->v->schema, b->name);
	if (ka == REX_GQL_KIND_SCALAR || ka == REX_GQL_KIND_ENUM ||
		kb == REX_GQL_KIND_SCALAR || kb == REX_GQL_KIND_ENUM)
		return strcmp(a->name, b->name) != 0;
	return false;
}

/* A new conflict between two fields. */
static oconflict *
new_conflict(overlap *o, const char *key, const char *reason,
			 const rex_gql_selection *n1, const rex_gql_selection *n2)
{
	oconflict  *c = rex_alloc0(o->v->ctx, sizeof(oconflict));
	rex_gql_loc *l1,
			   *l2;

	if (c == NULL)
	{
		o->failed = true;
		return NULL;
	}
	c->key = key;
	c->reason = reason;
	l1 = rex_gql_vec_push(o->v->ctx, &c->locs1, sizeof(rex_gql_loc));
	l2 = rex_gql_vec_push(o->v->ctx, &c->locs2, sizeof(rex_gql_loc));
	if (l1 == NULL || l2 == NULL || (reason == NULL && key == NULL))
	{
		o->failed = true;
		return NULL;
	}
	*l1 = n1->loc;
	*l2 = n2->loc;
	return c;
}

/* Appends the locations of 'from' to 'to'. */
static void
append_locs(overlap *o, gql_vec *to, const gql_vec *from)
{
	int			i;

	for (i = 0; i < from->n; i++)
	{
		rex_gql_loc *l = rex_gql_vec_push(o->v->ctx, to, sizeof(rex_gql_loc));

		if (l == NULL)
		{
			o->failed = true;
			return;
		}
		*l = ((rex_gql_loc *) from->data)[i];
	}
}

/* findConflictsBetweenSubSelectionSets */
static gql_vec
conflicts_between_subsets(overlap *o, bool excl, const char *p1,
						  const rex_gql_selection_set *s1, const char *p2,
						  const rex_gql_selection_set *s2)
{
	gql_vec		conflicts = {0};
	ofields    *a = fields_of(o, p1, s1);
	ofields    *b = fields_of(o, p2, s2);
	int			i,
				j;

	if (a == NULL || b == NULL)
		return conflicts;
	collect_between(o, &conflicts, excl, a, b);
	for (j = 0; j < b->frag_names.n && !o->failed && !o->done; j++)
		collect_between_fields_and_fragment(o, &conflicts, excl, a,
											((const char **) b->frag_names.data)[j]);
	for (i = 0; i < a->frag_names.n && !o->failed && !o->done; i++)
		collect_between_fields_and_fragment(o, &conflicts, excl, b,
											((const char **) a->frag_names.data)[i]);
	for (i = 0; i < a->frag_names.n && !o->failed && !o->done; i++)
		for (j = 0; j < b->frag_names.n && !o->failed && !o->done; j++)
			collect_between_fragments(o, &conflicts, excl,
									  ((const char **) a->frag_names.data)[i],
									  ((const char **) b->frag_names.data)[j]);
	return conflicts;
}

/* findConflict: NULL when the two fields can be merged. */
static oconflict *
find_conflict(overlap *o, bool parent_excl, const char *key, const ofield *f1,
			  const ofield *f2)
{
	bool		excl = parent_excl ||
		(f1->parent && f2->parent && strcmp(f1->parent, f2->parent) != 0 &&
		 is_object(o, f1->parent) && is_object(o, f2->parent));
	const rex_gql_selection *n1 = f1->node;
	const rex_gql_selection *n2 = f2->node;
	gql_vec		subs;
	oconflict  *c;
	int			i;

	if (!count_check(o))
		return NULL;
	if (!excl)
	{
		if (strcmp(n1->name, n2->name) != 0)
			return new_conflict(o, key, rex_psprintf(o->v->ctx,
													 "\"%s\" and \"%s\" are different fields",
													 n1->name, n2->name), n1, n2);
		if (!same_arguments(n1, n2))
			return new_conflict(o, key, "they have differing arguments", n1, n2);
	}
	if (f1->type && f2->type && types_conflict(o, f1->type, f2->type))
		return new_conflict(o, key, rex_psprintf(o->v->ctx,
												 "they return conflicting types \"%s\" and \"%s\"",
												 rex_gql_type_text(o->v->ctx, f1->type),
												 rex_gql_type_text(o->v->ctx, f2->type)), n1, n2);
	if (n1->selection_set == NULL || n2->selection_set == NULL)
		return NULL;
	subs = conflicts_between_subsets(o, excl,
									 f1->type ? rex_gql_type_base(f1->type) : NULL,
									 n1->selection_set,
									 f2->type ? rex_gql_type_base(f2->type) : NULL,
									 n2->selection_set);
	if (subs.n == 0 || o->failed)
		return NULL;
	c = new_conflict(o, key, NULL, n1, n2);
	if (c == NULL)
		return NULL;
	c->subs = subs;
	for (i = 0; i < subs.n; i++)
	{
		append_locs(o, &c->locs1, &((oconflict **) subs.data)[i]->locs1);
		append_locs(o, &c->locs2, &((oconflict **) subs.data)[i]->locs2);
	}
	return c;
}

static void
push_conflict(overlap *o, gql_vec *conflicts, oconflict *c)
{
	oconflict **slot;

	if (c == NULL)
		return;
	slot = rex_gql_vec_push(o->v->ctx, conflicts, sizeof(oconflict *));
	if (slot == NULL)
		o->failed = true;
	else
		*slot = c;
	/* no more than can be reported */
	if (o->max_conflicts > 0 && ++o->conflicts >= o->max_conflicts)
		o->done = true;
}

/* collectConflictsWithin: pairs inside each response name. */
static void
collect_within(overlap *o, gql_vec *conflicts, ofields *fs)
{
	int			g,
				i,
				j;

	for (g = 0; g < fs->groups.n && !o->failed && !o->done; g++)
	{
		ogroup	   *grp = ((ogroup **) fs->groups.data)[g];
		ofield	   *f = grp->fields.data;

		for (i = 0; i < grp->fields.n && !o->failed && !o->done; i++)
			for (j = i + 1; j < grp->fields.n && !o->failed && !o->done; j++)
				push_conflict(o, conflicts, find_conflict(o, false, grp->key, &f[i], &f[j]));
	}
}

/* collectConflictsBetween: pairs across two sets, name by name. */
static void
collect_between(overlap *o, gql_vec *conflicts, bool excl, ofields *a, ofields *b)
{
	int			g,
				i,
				j;

	for (g = 0; g < a->groups.n && !o->failed && !o->done; g++)
	{
		ogroup	   *ga = ((ogroup **) a->groups.data)[g];
		ogroup	   *gb = rex_gql_map_get(&b->index, ga->key);

		if (gb == NULL)
			continue;
		for (i = 0; i < ga->fields.n && !o->failed && !o->done; i++)
			for (j = 0; j < gb->fields.n && !o->failed && !o->done; j++)
				push_conflict(o, conflicts,
							  find_conflict(o, excl, ga->key,
											&((ofield *) ga->fields.data)[i],
											&((ofield *) gb->fields.data)[j]));
	}
}

/* collectConflictsBetweenFieldsAndFragment, memoized per pair. */
static void
collect_between_fields_and_fragment(overlap *o, gql_vec *conflicts, bool excl,
									ofields *fields, const char *frag)
{
	rex_gql_fragment *f = rex_gql_map_get(&o->v->frags, frag);
	ofields    *ff;
	char		key[64];
	int			i;

	if (f == NULL)
		return;
	snprintf(key, sizeof(key), "%p", (void *) fields);
	if (!count_check(o) || pair_seen(o, key, frag, excl))
		return;
	ff = fragment_fields(o, f);
	if (ff == NULL || ff == fields)
		return;
	collect_between(o, conflicts, excl, fields, ff);
	for (i = 0; i < ff->frag_names.n && !o->failed && !o->done; i++)
		collect_between_fields_and_fragment(o, conflicts, excl, fields,
											((const char **) ff->frag_names.data)[i]);
}

/* collectConflictsBetweenFragments, memoized per pair. */
static void
collect_between_fragments(overlap *o, gql_vec *conflicts, bool excl, const char *f1,
						  const char *f2)
{
	rex_gql_fragment *a;
	rex_gql_fragment *b;
	ofields    *fa;
	ofields    *fb;
	int			i;

	if (strcmp(f1, f2) == 0 || !count_check(o) || pair_seen(o, f1, f2, excl))
		return;
	a = rex_gql_map_get(&o->v->frags, f1);
	b = rex_gql_map_get(&o->v->frags, f2);
	if (a == NULL || b == NULL)
		return;
	fa = fragment_fields(o, a);
	fb = fragment_fields(o, b);
	if (fa == NULL || fb == NULL)
		return;
	collect_between(o, conflicts, excl, fa, fb);
	for (i = 0; i < fb->frag_names.n && !o->failed && !o->done; i++)
		collect_between_fragments(o, conflicts, excl, f1,
								  ((const char **) fb->frag_names.data)[i]);
	for (i = 0; i < fa->frag_names.n && !o->failed && !o->done; i++)
		collect_between_fragments(o, conflicts, excl,
								  ((const char **) fa->frag_names.data)[i], f2);
}

/* ---------------------------------------------------------------- */
/* reporting */

/* The reason of a conflict, with the reasons of its sub-conflicts. */
static void
reason_text(rex_buf *b, const oconflict *c)
{
	int			i;

	if (c->reason)
	{
		rex_buf_append(b, c->reason);
		return;
	}
	for (i = 0; i < c->subs.n; i++)
	{
		const oconflict *s = ((oconflict **) c->subs.data)[i];

		if (i > 0)
			rex_buf_append(b, " and ");
		rex_buf_printf(b, "subfields \"%s\" conflict because ", s->key);
		reason_text(b, s);
	}
}

static void
report(overlap *o, const oconflict *c)
{
	gql_validator *v = o->v;
	rex_buf		b;
	rex_gql_error *e;
	int			i;

	rex_buf_init(&b, v->ctx);
	rex_buf_printf(&b, "Fields \"%s\" conflict because ", c->key);
	reason_text(&b, c);
	rex_buf_append(&b, ". Use different aliases on the fields to fetch both if this was intentional.");
	if (!rex_buf_ok(&b))
	{
		o->failed = true;
		return;
	}
	e = rex_gql_error_add(v->ctx, v->errs, NULL, NULL, "%s", b.data);
	for (i = 0; e && i < c->locs1.n; i++)
		rex_gql_error_add_loc(v->ctx, e, ((rex_gql_loc *) c->locs1.data)[i]);
	for (i = 0; e && i < c->locs2.n; i++)
		rex_gql_error_add_loc(v->ctx, e, ((rex_gql_loc *) c->locs2.data)[i]);
	if (v->errs->full || v->ctx->err.status != REX_OK)
		v->stop = true;
}

/* findConflictsWithinSelectionSet, for one set of the document. */
static void
check_set(overlap *o, const rex_gql_selection_set *set, const char *parent)
{
	gql_vec		conflicts = {0};
	ofields    *fs = fields_of(o, parent, set);
	const char **names;
	int			i,
				j;

	if (fs == NULL)
		return;
	collect_within(o, &conflicts, fs);
	names = fs->frag_names.data;
	for (i = 0; i < fs->frag_names.n && !o->failed && !o->done; i++)
	{
		collect_between_fields_and_fragment(o, &conflicts, false, fs, names[i]);
		for (j = i + 1; j < fs->frag_names.n && !o->failed && !o->done; j++)
			collect_between_fragments(o, &conflicts, false, names[i], names[j]);
	}
	/* what was gathered is reported, even when a bound stopped the search */
	for (i = 0; i < conflicts.n && !o->failed && !o->v->stop; i++)
		report(o, ((oconflict **) conflicts.data)[i]);
}

void
rex_gql_check_overlaps(gql_validator *v, const gql_vec *sets)
{
	overlap		o;
	int			i;

	memset(&o, 0, sizeof(o));
	o.v = v;
	o.max_checks = v->limits->max_merge_checks;
	o.max_conflicts = v->errs->max > 0 ? v->errs->max - v->errs->count + 1 : 0;
	for (i = 0; i < sets->n && !o.failed && !o.done && !v->stop; i++)
	{
		const gql_set_seen *s = &((const gql_set_seen *) sets->data)[i];

		check_set(&o, s->set, s->parent);
	}
	if (o.failed)
	{
		rex_error_nomem(v->ctx);
		v->stop = true;
	}
}
