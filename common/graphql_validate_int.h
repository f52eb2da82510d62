/*
 * graphql_validate_int.h
 *		Internals shared by the files of GraphQL validation and coercion
 *		(graphql_validate.c, graphql_walk.c, graphql_coerce.c).
 *
 * Validation walks each operation and each fragment once (graphql_walk.c),
 * collecting per definition what the document-level rules need -- its
 * fragment spreads, its variable usages with the type expected where each
 * appears, its selection depth and field count -- and checking on the way
 * the rules that look at one place at a time.  graphql_validate.c then
 * applies the rules that span definitions (fragments, variables, limits)
 * to those lists, with explicit stacks instead of recursion where a chain
 * of fragments could be long.
 */
#ifndef REX_GRAPHQL_VALIDATE_INT_H
#define REX_GRAPHQL_VALIDATE_INT_H

#include "graphql_validate.h"

/* A growable array in the arena (copied into a block twice the size). */
typedef struct gql_vec
{
	void	   *data;
	int			n;
	int			cap;
} gql_vec;

extern void *rex_gql_vec_push(rex_ctx *ctx, gql_vec *v, size_t size);

/* A string-keyed hash map in the arena; keys are not copied. */
typedef struct gql_map
{
	const char **keys;
	void	  **vals;
	size_t		cap;			/* a power of two, or 0 */
	size_t		n;
} gql_map;

/* The value stored under 'key', or NULL. */
extern void *rex_gql_map_get(const gql_map *m, const char *key);
/* Stores 'val' under 'key' (replacing); false when out of memory. */
extern bool rex_gql_map_put(rex_ctx *ctx, gql_map *m, const char *key, void *val);

/* A fragment spread as found by the walk. */
typedef struct gql_spread
{
	rex_gql_selection *sel;
	int			level;			/* fields enclosing it in its definition */
} gql_spread;

/* A variable used in a definition, and the type its place expects. */
typedef struct gql_var_use
{
	const rex_gql_value *value; /* the REX_GQL_VARIABLE node */
	const rex_gql_type *expected;	/* NULL when not known */
	bool		has_default;	/* the place has a default value */
} gql_var_use;

/* What the walk found in one operation or fragment. */
typedef struct gql_def_info
{
	gql_vec		spreads;		/* gql_spread */
	gql_vec		var_uses;		/* gql_var_use */
	int			depth;			/* deepest field, fragments not followed */
	int			nfields;		/* fields, fragments not followed */
	/* document-level passes */
	int			state;			/* 0 new, 1 on the stack, 2 done */
	int			trans_depth;	/* through fragments */
	long		trans_fields;
	int			stamp;			/* last operation that reached it */
} gql_def_info;

/* A selection set the walk entered, with its parent type (or NULL). */
typedef struct gql_set_seen
{
	const rex_gql_selection_set *set;
	const char *parent;
} gql_set_seen;

typedef struct gql_validator
{
	rex_ctx    *ctx;
	rex_gql_errors *errs;
	const rex_gql_schema *schema;	/* NULL: schema-free rules only */
	const rex_gql_limits *limits;
	rex_gql_document *doc;
	gql_map		frags;			/* name -> rex_gql_fragment (the last
								 * defined, as graphql-js resolves) */
	gql_def_info *op_info;		/* per operation */
	gql_def_info *frag_info;	/* per fragment */
	gql_def_info *cur;			/* the definition being walked */
	int			level;			/* fields enclosing the walk's position */
	int			quiet;			/* > 0: collect, but report no value error */
	gql_vec		sets;			/* gql_set_seen, with a schema only */
	bool		stop;			/* out of memory, or the error list is full */
} gql_validator;

/*
 * Reports names given more than once, as graphql-js does for arguments
 * and variables: one error per name, located at every occurrence.
 * 'what' completes "There can be only one %s named \"%s%s\"." ("argument",
 * "variable"), 'prefix' goes before the name ("$" or "").  names[i] is at
 * locs[i].
 */
extern void rex_gql_report_duplicates(gql_validator *v, const char *const *names,
									  const rex_gql_loc *locs, int n,
									  const char *what, const char *prefix);

/* The kind of a named type: built-in scalars, then the schema. */
extern rex_gql_kind rex_gql_kind_of(const rex_gql_schema *schema, const char *name);

/* Walks one operation or fragment (graphql_walk.c). */
extern void rex_gql_walk_operation(gql_validator *v, rex_gql_operation *op);
extern void rex_gql_walk_fragment(gql_validator *v, rex_gql_fragment *f);

/*
 * 5.3.2 Field Selection Merging over the selection sets the walk entered
 * (graphql_overlap.c); for a document that passed every other rule.
 */
extern void rex_gql_check_overlaps(gql_validator *v, const gql_vec *sets);

/* The directive definition for a name: @include, @skip, or the schema's. */
extern const rex_gql_directive_def *rex_gql_find_directive(const rex_gql_schema *schema,
														   const char *name);

/*
 * IsVariableUsageAllowed (section 5.8.5) given the variable's definition
 * and the place it is used.
 */
extern bool rex_gql_variable_usage_allowed(const rex_gql_schema *schema,
										   const rex_gql_variable_def *def,
										   const gql_var_use *use);

/* True when both references are the same type (kind by kind, names). */
extern bool rex_gql_type_equal(const rex_gql_type *a, const rex_gql_type *b);

#endif							/* REX_GRAPHQL_VALIDATE_INT_H */
