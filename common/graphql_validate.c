/*
 * graphql_validate.c
 *		Validation of GraphQL documents: the driver and the rules that span
 *		definitions (see graphql_validate.h and graphql_validate_int.h), and
 *		GetOperation.
 *
 * Rules here (section 5 of the specification, October 2021): 5.2.1.1
 * operation name uniqueness, 5.2.2.1 lone anonymous operation, 5.5.1.1
 * fragment name uniqueness, 5.5.1.4 fragments must be used, 5.5.2.1
 * fragment spread target defined, 5.5.2.2 fragment spreads must not form
 * cycles, 5.8.1 variable uniqueness, 5.8.3 all variable uses defined,
 * 5.8.4 all variables used, and the variable half of 5.8.5 (usages
 * allowed); plus the request limits on depth and expanded field count.
 * The walk (graphql_walk.c) checks the rules that look at one place;
 * graphql_overlap.c checks 5.3.2 on what passed everything else.
 *
 * Chains of fragments can be as long as the document allows, so every pass
 * that follows spreads uses an explicit stack, never recursion.
 */
#include "graphql_validate_int.h"
#include "rex_buf.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- */
/* arena arrays and maps */

void *
rex_gql_vec_push(rex_ctx *ctx, gql_vec *v, size_t size)
{
	if (v->n == v->cap)
	{
		int			cap = v->cap ? v->cap * 2 : 4;
		void	   *data;

		if (v->cap > INT_MAX / 2)
		{
			rex_error_nomem(ctx);
			return NULL;
		}
		data = rex_alloc(ctx, size * (size_t) cap);
		if (data == NULL)
			return NULL;
		if (v->n)
			memcpy(data, v->data, size * (size_t) v->n);
		v->data = data;
		v->cap = cap;
	}
	memset((char *) v->data + size * (size_t) v->n, 0, size);
	return (char *) v->data + size * (size_t) v->n++;
}

/* FNV-1a */
static size_t
hash_str(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	while (*s)
	{
		h ^= (unsigned char) *s++;
		h *= 1099511628211ULL;
	}
	return (size_t) h;
}

void *
rex_gql_map_get(const gql_map *m, const char *key)
{
	size_t		i;

	if (m->cap == 0)
		return NULL;
	for (i = hash_str(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0)
			return m->vals[i];
	return NULL;
}

/* Inserts without growing; the map has a free slot. */
static void
map_insert(gql_map *m, const char *key, void *val)
{
	size_t		i;

	for (i = hash_str(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0)
		{
			m->vals[i] = val;
			return;
		}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
}

bool
rex_gql_map_put(rex_ctx *ctx, gql_map *m, const char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap)
	{
		gql_map		grown;
		size_t		i;

		grown.cap = m->cap ? m->cap * 2 : 16;
		grown.n = 0;
		grown.keys = rex_alloc0(ctx, sizeof(char *) * grown.cap);
		grown.vals = rex_alloc0(ctx, sizeof(void *) * grown.cap);
		if (grown.keys == NULL || grown.vals == NULL)
			return false;
		for (i = 0; i < m->cap; i++)
			if (m->keys[i])
				map_insert(&grown, m->keys[i], m->vals[i]);
		*m = grown;
	}
	map_insert(m, key, val);
	return true;
}

/* ---------------------------------------------------------------- */
/* errors */

/* Records an error; stops the validation when the list is full. */
static void verr(gql_validator *v, const rex_gql_loc *l1, const rex_gql_loc *l2,
				 const char *fmt,...)
			__attribute__((format(printf, 4, 5)));

static void
verr(gql_validator *v, const rex_gql_loc *l1, const rex_gql_loc *l2, const char *fmt,...)
{
	va_list		ap;
	char		msg[512];

	if (v->stop)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rex_gql_error_add(v->ctx, v->errs, l1, l2, "%s", msg);
	if (v->errs->full || v->ctx->err.status != REX_OK)
		v->stop = true;
}

void
rex_gql_report_duplicates(gql_validator *v, const char *const *names,
						  const rex_gql_loc *locs, int n, const char *what,
						  const char *prefix)
{
	gql_map		seen = {0};
	bool		dup = false;
	int			i,
				k;

	for (i = 0; i < n && !dup; i++)
	{
		if (rex_gql_map_get(&seen, names[i]))
			dup = true;
		else if (!rex_gql_map_put(v->ctx, &seen, names[i], (void *) &locs[i]))
		{
			v->stop = true;
			return;
		}
	}
	if (!dup)
		return;
	/* each name once, at its first occurrence, with all its locations */
	for (i = 0; i < n && !v->stop; i++)
	{
		rex_gql_error *e;
		int			count = 0;
		bool		earlier = false;

		for (k = 0; k < i && !earlier; k++)
			earlier = strcmp(names[k], names[i]) == 0;
		for (k = i; k < n; k++)
			count += strcmp(names[k], names[i]) == 0;
		if (earlier || count < 2)
			continue;
		e = rex_gql_error_add(v->ctx, v->errs, NULL, NULL,
							  "There can be only one %s named \"%s%s\".", what, prefix,
							  names[i]);
		if (e)
		{
			e->locations = rex_alloc(v->ctx, sizeof(rex_gql_loc) * (size_t) count);
			for (k = i; e->locations && k < n; k++)
				if (strcmp(names[k], names[i]) == 0)
					e->locations[e->nlocations++] = locs[k];
		}
		if (v->errs->full || v->ctx->err.status != REX_OK)
			v->stop = true;
	}
}

/* ---------------------------------------------------------------- */
/* operations */

/* 5.2.1.1 Operation Name Uniqueness, 5.2.2.1 Lone Anonymous Operation */
static void
check_operations(gql_validator *v)
{
	rex_gql_document *doc = v->doc;
	gql_map		names = {0};
	rex_gql_operation *first;
	int			i;

	for (i = 0; i < doc->nops && !v->stop; i++)
	{
		rex_gql_operation *op = &doc->ops[i];

		if (op->name == NULL)
		{
			if (doc->nops > 1)
				verr(v, &op->loc, NULL,
					 "This anonymous operation must be the only defined operation.");
			continue;
		}
		first = rex_gql_map_get(&names, op->name);
		if (first)
			verr(v, &first->name_loc, &op->name_loc,
				 "There can be only one operation named \"%s\".", op->name);
		else if (!rex_gql_map_put(v->ctx, &names, op->name, op))
			v->stop = true;
	}
}

/* ---------------------------------------------------------------- */
/* fragments */

/*
 * 5.5.1.1 Fragment Name Uniqueness.  Then fills the name map; where a name
 * is defined twice (an error already), spreads resolve to the last
 * definition, as in graphql-js.
 */
static void
check_fragment_names(gql_validator *v)
{
	rex_gql_document *doc = v->doc;
	gql_map		first_by_name = {0};
	rex_gql_fragment *first;
	int			i;

	for (i = 0; i < doc->nfrags && !v->stop; i++)
	{
		rex_gql_fragment *f = &doc->frags[i];

		first = rex_gql_map_get(&first_by_name, f->name);
		if (first)
			verr(v, &first->name_loc, &f->name_loc,
				 "There can be only one fragment named \"%s\".", f->name);
		else if (!rex_gql_map_put(v->ctx, &first_by_name, f->name, f))
			v->stop = true;
	}
	for (i = 0; i < doc->nfrags && !v->stop; i++)
		if (!rex_gql_map_put(v->ctx, &v->frags, doc->frags[i].name, &doc->frags[i]))
			v->stop = true;
}

/* The index of the definition fragment i's name resolves to. */
static int
resolved_index(gql_validator *v, int i)
{
	rex_gql_fragment *f = rex_gql_map_get(&v->frags, v->doc->frags[i].name);

	return f ? f->index : i;
}

/* 5.5.2.1 Fragment spread target defined; resolves every spread. */
static void
resolve_spreads(gql_validator *v, gql_def_info *info)
{
	int			i;

	for (i = 0; i < info->spreads.n && !v->stop; i++)
	{
		gql_spread *sp = &((gql_spread *) info->spreads.data)[i];

		sp->sel->fragment = rex_gql_map_get(&v->frags, sp->sel->name);
		if (sp->sel->fragment == NULL)
			verr(v, &sp->sel->name_loc, NULL, "Unknown fragment \"%s\".", sp->sel->name);
	}
}

/* The info of the fragment a spread resolved to, or NULL. */
static gql_def_info *
spread_target(gql_validator *v, const gql_spread *sp)
{
	return sp->sel->fragment ? &v->frag_info[sp->sel->fragment->index] : NULL;
}

/* 5.5.1.4 Fragments Must Be Used: marks what operations reach. */
static void
check_fragments_used(gql_validator *v)
{
	rex_gql_document *doc = v->doc;
	bool	   *used;
	int		   *stack;
	int			top = 0;
	int			i,
				j;

	if (doc->nfrags == 0)
		return;
	used = rex_alloc0(v->ctx, sizeof(bool) * (size_t) doc->nfrags);
	stack = rex_alloc(v->ctx, sizeof(int) * (size_t) doc->nfrags);
	if (used == NULL || stack == NULL)
	{
		v->stop = true;
		return;
	}
	for (i = 0; i < doc->nops; i++)
	{
		gql_def_info *info = &v->op_info[i];

		for (j = 0; j < info->spreads.n; j++)
		{
			rex_gql_fragment *f = ((gql_spread *) info->spreads.data)[j].sel->fragment;

			if (f && !used[f->index])
			{
				used[f->index] = true;
				stack[top++] = f->index;
			}
		}
	}
	while (top > 0)
	{
		gql_def_info *info = &v->frag_info[stack[--top]];

		for (j = 0; j < info->spreads.n; j++)
		{
			rex_gql_fragment *f = ((gql_spread *) info->spreads.data)[j].sel->fragment;

			if (f && !used[f->index])
			{
				used[f->index] = true;
				stack[top++] = f->index;
			}
		}
	}
	/* by name, as graphql-js does: a duplicate of a used fragment is used */
	for (i = 0; i < doc->nfrags && !v->stop; i++)
	{
		if (!used[resolved_index(v, i)])
			verr(v, &doc->frags[i].loc, NULL, "Fragment \"%s\" is never used.",
				 doc->frags[i].name);
	}
}

/* Fragments named in a cycle's message; the rest are counted. */
#define MAX_CYCLE_NAMES 10

/*
 * Reports the cycle made by the spreads path[from..n-1]: "Cannot spread
 * fragment "A" within itself via "B", "C"." located at every spread.
 */
static void
report_cycle(gql_validator *v, rex_gql_selection **path, int from, int n)
{
	rex_buf		via;
	rex_gql_error *e;
	int			k;

	rex_buf_init(&via, v->ctx);
	for (k = from; k < n - 1 && k < from + MAX_CYCLE_NAMES; k++)
		rex_buf_printf(&via, "%s\"%s\"", k > from ? ", " : "", path[k]->name);
	if (n - 1 - from > MAX_CYCLE_NAMES)
		rex_buf_printf(&via, " and %d more", n - 1 - from - MAX_CYCLE_NAMES);
	if (!rex_buf_ok(&via))
	{
		v->stop = true;
		return;
	}
	if (via.len > 0)
		e = rex_gql_error_add(v->ctx, v->errs, NULL, NULL,
							  "Cannot spread fragment \"%s\" within itself via %s.",
							  path[n - 1]->name, via.data);
	else
		e = rex_gql_error_add(v->ctx, v->errs, NULL, NULL,
							  "Cannot spread fragment \"%s\" within itself.",
							  path[n - 1]->name);
	if (e)
	{
		/* every spread of the cycle, in one allocation */
		e->locations = rex_alloc(v->ctx, sizeof(rex_gql_loc) * (size_t) (n - from));
		if (e->locations)
		{
			for (k = from; k < n; k++)
				e->locations[k - from] = path[k]->loc;
			e->nlocations = n - from;
		}
	}
	if (v->errs->full || v->ctx->err.status != REX_OK)
		v->stop = true;
}

/*
 * The fragment spreads of a fragment's selection set in the order
 * graphql-js's getFragmentSpreads lists them (a stack of selection sets:
 * the spreads of a set in order, then the nested sets last first), so
 * that the cycles found, and the spreads that locate them, are the same.
 */
static bool
spreads_in_js_order(gql_validator *v, const rex_gql_fragment *f, gql_vec *out)
{
	gql_vec		stack = {0};
	const rex_gql_selection_set **slot;
	int			i;

	slot = rex_gql_vec_push(v->ctx, &stack, sizeof(*slot));
	if (slot == NULL)
		return false;
	*slot = f->selection_set;
	while (stack.n > 0)
	{
		const rex_gql_selection_set *set = ((const rex_gql_selection_set **) stack.data)[--stack.n];

		for (i = 0; i < set->nitems; i++)
		{
			rex_gql_selection *sel = &set->items[i];

			if (sel->kind == REX_GQL_FRAGMENT_SPREAD)
			{
				rex_gql_selection **sp = rex_gql_vec_push(v->ctx, out, sizeof(*sp));

				if (sp == NULL)
					return false;
				*sp = sel;
			}
			else if (sel->selection_set)
			{
				slot = rex_gql_vec_push(v->ctx, &stack, sizeof(*slot));
				if (slot == NULL)
					return false;
				*slot = sel->selection_set;
			}
		}
	}
	return true;
}

/*
 * 5.5.2.2 Fragment spreads must not form cycles: a depth-first search from
 * each fragment definition, as graphql-js does it (fragments marked by
 * name; each cycle reported once, with the spreads that form it), with an
 * explicit stack.  Frames hold the definition whose spreads are followed;
 * 'visited' and 'path_index' are indexed by the definition a name
 * resolves to.
 */
static void
check_fragment_cycles(gql_validator *v)
{
	rex_gql_document *doc = v->doc;
	int			nf = doc->nfrags;
	bool	   *visited;
	int		   *path_index;		/* per fragment: its place in the path, or
								 * -1 */
	int		   *frame_frag;		/* the DFS stack: fragment, next spread */
	int		   *frame_next;
	rex_gql_selection **path;	/* spreads followed from the root */
	gql_vec    *order;			/* per fragment: its spreads, js order */
	int			top,
				npath,
				i;

	if (nf == 0)
		return;
	visited = rex_alloc0(v->ctx, sizeof(bool) * (size_t) nf);
	path_index = rex_alloc(v->ctx, sizeof(int) * (size_t) nf);
	frame_frag = rex_alloc(v->ctx, sizeof(int) * (size_t) (nf + 1));
	frame_next = rex_alloc(v->ctx, sizeof(int) * (size_t) (nf + 1));
	path = rex_alloc(v->ctx, sizeof(rex_gql_selection *) * (size_t) (nf + 1));
	order = rex_alloc0(v->ctx, sizeof(gql_vec) * (size_t) nf);
	if (!visited || !path_index || !frame_frag || !frame_next || !path || !order)
	{
		v->stop = true;
		return;
	}
	for (i = 0; i < nf; i++)
		if (!spreads_in_js_order(v, &doc->frags[i], &order[i]))
		{
			v->stop = true;
			return;
		}
	for (i = 0; i < nf; i++)
		path_index[i] = -1;
	for (i = 0; i < nf && !v->stop; i++)
	{
		int			root = resolved_index(v, i);

		if (visited[root])
			continue;
		/* enter definition i */
		visited[root] = true;
		top = 0;
		npath = 0;
		frame_frag[0] = i;
		frame_next[0] = 0;
		path_index[root] = 0;
		while (top >= 0 && !v->stop)
		{
			int			f = frame_frag[top];
			rex_gql_selection *sp;
			int			target;

			if (frame_next[top] >= order[f].n)
			{
				/* leave it */
				path_index[top == 0 ? root : f] = -1;
				top--;
				if (top >= 0)
					npath--;
				continue;
			}
			sp = ((rex_gql_selection **) order[f].data)[frame_next[top]++];
			if (sp->fragment == NULL)
				continue;
			target = sp->fragment->index;
			path[npath++] = sp;
			if (path_index[target] >= 0)
			{
				report_cycle(v, path, path_index[target], npath);
				npath--;
			}
			else if (!visited[target])
			{
				visited[target] = true;
				top++;
				frame_frag[top] = target;
				frame_next[top] = 0;
				path_index[target] = npath;
			}
			else
				npath--;
		}
	}
}

/*
 * Depth and field count of each fragment through the fragments it
 * spreads, in post-order with an explicit stack.  A spread that closes a
 * cycle counts as nothing (the cycle is an error of its own).
 */
static void
measure_fragments(gql_validator *v)
{
	int			nf = v->doc->nfrags;
	int		   *frame_frag;
	int		   *frame_next;
	int			top,
				i;

	if (nf == 0)
		return;
	frame_frag = rex_alloc(v->ctx, sizeof(int) * (size_t) (nf + 1));
	frame_next = rex_alloc(v->ctx, sizeof(int) * (size_t) (nf + 1));
	if (!frame_frag || !frame_next)
	{
		v->stop = true;
		return;
	}
	for (i = 0; i < nf; i++)
		v->frag_info[i].state = 0;
	for (i = 0; i < nf; i++)
	{
		if (v->frag_info[i].state != 0)
			continue;
		top = 0;
		frame_frag[0] = i;
		frame_next[0] = 0;
		v->frag_info[i].state = 1;
		v->frag_info[i].trans_depth = v->frag_info[i].depth;
		v->frag_info[i].trans_fields = v->frag_info[i].nfields;
		while (top >= 0)
		{
			gql_def_info *info = &v->frag_info[frame_frag[top]];
			gql_spread *sp;
			gql_def_info *t;

			if (frame_next[top] >= info->spreads.n)
			{
				info->state = 2;
				top--;
				continue;
			}
			sp = &((gql_spread *) info->spreads.data)[frame_next[top]];
			t = spread_target(v, sp);
			if (t && t->state == 0)
			{
				/* measure the target first, then come back to this spread */
				t->state = 1;
				t->trans_depth = t->depth;
				t->trans_fields = t->nfields;
				top++;
				frame_frag[top] = sp->sel->fragment->index;
				frame_next[top] = 0;
				continue;
			}
			frame_next[top]++;
			if (t && t->state == 2)
			{
				if (sp->level + t->trans_depth > info->trans_depth)
					info->trans_depth = sp->level + t->trans_depth;
				info->trans_fields += t->trans_fields;
				if (info->trans_fields > INT_MAX)
					info->trans_fields = INT_MAX;
			}
		}
	}
}

/* ---------------------------------------------------------------- */
/* variables and limits, per operation */

/*
 * The definition of variable 'name' in 'op', or NULL; the last one when
 * the name is defined twice (an error already), as graphql-js takes it.
 */
static const rex_gql_variable_def *
find_var(const rex_gql_operation *op, const char *name)
{
	int			i;

	for (i = op->nvars - 1; i >= 0; i--)
		if (strcmp(op->vars[i].name, name) == 0)
			return &op->vars[i];
	return NULL;
}

/* 5.8.1 Variable Uniqueness */
static void
check_variable_names(gql_validator *v, const rex_gql_operation *op)
{
	const char **names;
	rex_gql_loc *locs;
	int			i;

	if (op->nvars < 2)
		return;
	names = rex_alloc(v->ctx, sizeof(char *) * (size_t) op->nvars);
	locs = rex_alloc(v->ctx, sizeof(rex_gql_loc) * (size_t) op->nvars);
	if (names == NULL || locs == NULL)
	{
		v->stop = true;
		return;
	}
	for (i = 0; i < op->nvars; i++)
	{
		names[i] = op->vars[i].name;
		locs[i] = op->vars[i].name_loc;
	}
	rex_gql_report_duplicates(v, names, locs, op->nvars, "variable", "$");
}

/* Checks one usage of a variable inside operation 'op'. */
static void
check_var_use(gql_validator *v, const rex_gql_operation *op, const gql_var_use *use,
			  gql_map *used)
{
	const char *name = use->value->text;
	const rex_gql_variable_def *def = find_var(op, name);

	if (def == NULL)
	{
		if (op->name)
			verr(v, &use->value->loc, &op->loc,
				 "Variable \"$%s\" is not defined by operation \"%s\".", name, op->name);
		else
			verr(v, &use->value->loc, &op->loc, "Variable \"$%s\" is not defined.", name);
		return;
	}
	if (!rex_gql_map_put(v->ctx, used, def->name, (void *) def))
	{
		v->stop = true;
		return;
	}
	/* a variable of an unknown type is an error of its own */
	if (use->expected &&
		rex_gql_kind_of(v->schema, rex_gql_type_base(def->type)) != REX_GQL_KIND_NONE &&
		!rex_gql_variable_usage_allowed(v->schema, def, use))
		verr(v, &def->loc, &use->value->loc,
			 "Variable \"$%s\" of type \"%s\" used in position expecting type \"%s\".",
			 name, rex_gql_type_text(v->ctx, def->type),
			 rex_gql_type_text(v->ctx, use->expected));
}

/* Checks the usages in one definition's info for operation 'op'. */
static void
check_var_uses(gql_validator *v, const rex_gql_operation *op, gql_def_info *info,
			   gql_map *used)
{
	int			i;

	for (i = 0; i < info->var_uses.n && !v->stop; i++)
		check_var_use(v, op, &((gql_var_use *) info->var_uses.data)[i], used);
}

/*
 * 5.8.3 All Variable Uses Defined, 5.8.4 All Variables Used, 5.8.5 (the
 * variable half): the operation's own usages and those of every fragment
 * it reaches, each fragment once.
 */
static void
check_variables(gql_validator *v, int opi, int *stack)
{
	const rex_gql_operation *op = &v->doc->ops[opi];
	gql_def_info *info = &v->op_info[opi];
	gql_map		used = {0};
	int			top = 0;
	int			i;

	check_var_uses(v, op, info, &used);
	for (i = 0; i < info->spreads.n; i++)
	{
		gql_def_info *t = spread_target(v, &((gql_spread *) info->spreads.data)[i]);

		if (t && t->stamp != opi + 1)
		{
			t->stamp = opi + 1;
			stack[top++] = (int) (t - v->frag_info);
		}
	}
	while (top > 0 && !v->stop)
	{
		gql_def_info *fi = &v->frag_info[stack[--top]];

		check_var_uses(v, op, fi, &used);
		for (i = 0; i < fi->spreads.n; i++)
		{
			gql_def_info *t = spread_target(v, &((gql_spread *) fi->spreads.data)[i]);

			if (t && t->stamp != opi + 1)
			{
				t->stamp = opi + 1;
				stack[top++] = (int) (t - v->frag_info);
			}
		}
	}
	for (i = 0; i < op->nvars && !v->stop; i++)
	{
		if (rex_gql_map_get(&used, op->vars[i].name))
			continue;
		if (op->name)
			verr(v, &op->vars[i].loc, NULL,
				 "Variable \"$%s\" is never used in operation \"%s\".",
				 op->vars[i].name, op->name);
		else
			verr(v, &op->vars[i].loc, NULL, "Variable \"$%s\" is never used.",
				 op->vars[i].name);
	}
}

/* The request limits: depth and fields with fragments expanded. */
static void
check_limits(gql_validator *v, int opi)
{
	const rex_gql_operation *op = &v->doc->ops[opi];
	gql_def_info *info = &v->op_info[opi];
	long		fields = info->nfields;
	int			depth = info->depth;
	int			i;
	const char *what = op->name ? rex_psprintf(v->ctx, "Operation \"%s\"", op->name)
		: "The operation";

	for (i = 0; i < info->spreads.n; i++)
	{
		gql_spread *sp = &((gql_spread *) info->spreads.data)[i];
		gql_def_info *t = spread_target(v, sp);

		if (t == NULL)
			continue;
		if (sp->level + t->trans_depth > depth)
			depth = sp->level + t->trans_depth;
		fields += t->trans_fields;
		if (fields > INT_MAX)
			fields = INT_MAX;
	}
	if (what == NULL)
	{
		v->stop = true;
		return;
	}
	if (v->limits->max_depth > 0 && depth > v->limits->max_depth)
		verr(v, &op->loc, NULL,
			 "%s is nested %d levels deep; the limit is %d.", what, depth,
			 v->limits->max_depth);
	if (v->limits->max_fields > 0 && fields > v->limits->max_fields)
		verr(v, &op->loc, NULL,
			 "%s selects %s%ld fields once its fragments are expanded; the limit is %d.",
			 what, fields == INT_MAX ? "more than " : "", fields,
			 v->limits->max_fields);
}

/* ---------------------------------------------------------------- */

rex_status
rex_gql_validate(rex_ctx *ctx, rex_gql_document *doc, const rex_gql_schema *schema,
				 const rex_gql_limits *limits, rex_gql_errors *errs)
{
	rex_gql_limits dflt = rex_gql_limits_default();
	gql_validator v;
	int		   *stack = NULL;
	int			before = errs->count;
	int			i;

	memset(&v, 0, sizeof(v));
	v.ctx = ctx;
	v.errs = errs;
	v.schema = schema;
	v.limits = limits ? limits : &dflt;
	v.doc = doc;
	if (errs->max == 0 && v.limits->max_errors > 0)
		errs->max = errs->count + v.limits->max_errors;
	v.op_info = rex_alloc0(ctx, sizeof(gql_def_info) * (size_t) (doc->nops + 1));
	v.frag_info = rex_alloc0(ctx, sizeof(gql_def_info) * (size_t) (doc->nfrags + 1));
	stack = rex_alloc(ctx, sizeof(int) * (size_t) (doc->nfrags + 1));
	if (!v.op_info || !v.frag_info || !stack)
		return REX_ERR_NOMEM;

	check_operations(&v);
	check_fragment_names(&v);
	/* the walk: one pass over every definition */
	for (i = 0; i < doc->nops && !v.stop; i++)
	{
		v.cur = &v.op_info[i];
		rex_gql_walk_operation(&v, &doc->ops[i]);
	}
	for (i = 0; i < doc->nfrags && !v.stop; i++)
	{
		v.cur = &v.frag_info[i];
		rex_gql_walk_fragment(&v, &doc->frags[i]);
	}
	for (i = 0; i < doc->nops && !v.stop; i++)
		resolve_spreads(&v, &v.op_info[i]);
	for (i = 0; i < doc->nfrags && !v.stop; i++)
		resolve_spreads(&v, &v.frag_info[i]);
	if (!v.stop)
		check_fragments_used(&v);
	if (!v.stop)
		check_fragment_cycles(&v);
	if (!v.stop)
		measure_fragments(&v);
	for (i = 0; i < doc->nops && !v.stop; i++)
	{
		check_variable_names(&v, &doc->ops[i]);
		check_variables(&v, i, stack);
		check_limits(&v, i);
	}
	/* 5.3.2, on a document that passed everything else (see graphql_overlap.c) */
	if (schema && !v.stop && errs->count == before && ctx->err.status == REX_OK)
		rex_gql_check_overlaps(&v, &v.sets);
	if (ctx->err.status != REX_OK)
		return ctx->err.status;
	return errs->count > before ? REX_ERR_DEFINITION : REX_OK;
}

rex_status
rex_gql_get_operation(rex_ctx *ctx, const rex_gql_document *doc, const char *name,
					  const rex_gql_operation **out, rex_gql_errors *errs)
{
	int			i;

	*out = NULL;
	if (name == NULL)
	{
		if (doc->nops == 1)
		{
			*out = &doc->ops[0];
			return REX_OK;
		}
		rex_gql_error_add(ctx, errs, NULL, NULL, doc->nops == 0 ?
						  "Must provide an operation." :
						  "Must provide operation name if query contains multiple operations.");
		return ctx->err.status != REX_OK ? ctx->err.status : REX_ERR_DEFINITION;
	}
	for (i = 0; i < doc->nops; i++)
		if (doc->ops[i].name && strcmp(doc->ops[i].name, name) == 0)
		{
			*out = &doc->ops[i];
			return REX_OK;
		}
	rex_gql_error_add(ctx, errs, NULL, NULL, "Unknown operation named \"%s\".",
					  rex_shorten(ctx, name, 64));
	return ctx->err.status != REX_OK ? ctx->err.status : REX_ERR_DEFINITION;
}
