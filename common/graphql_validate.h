/*
 * graphql_validate.h
 *		The GraphQL front end after parsing: document validation (section 5
 *		of the specification, October 2021), the choice of the operation to
 *		run, and the coercion of variable and argument values (section 6.1.2
 *		and 6.4.1) -- and the interface through which all of these reach a
 *		schema.
 *
 * The schema is not the front end's: the executor describes the GraphQL
 * types it serves (generated from rex's entities) through rex_gql_schema, a
 * struct of lookup callbacks.  Every rule that needs no schema runs
 * without one (schema == NULL); given a schema, the rules that need one
 * run too.  Built-in scalars (Int, Float, String, Boolean, ID), the
 * directives @include and @skip and the meta field __typename are known to
 * the front end itself: a schema need not describe them.  __schema and
 * __type are ordinary fields of the query root type for the front end; the
 * schema lists them when it serves introspection.
 *
 * Errors follow the conventions of graphql_ast.h: REX_ERR_DEFINITION and
 * the reasons in a rex_gql_errors list, messages worded as graphql-js
 * words them.
 */
#ifndef REX_GRAPHQL_VALIDATE_H
#define REX_GRAPHQL_VALIDATE_H

#include "graphql_ast.h"

/* ---------------------------------------------------------------- */
/* the schema interface */

typedef enum rex_gql_kind
{
	REX_GQL_KIND_NONE = 0,		/* no type of that name */
	REX_GQL_KIND_SCALAR,
	REX_GQL_KIND_OBJECT,
	REX_GQL_KIND_INTERFACE,
	REX_GQL_KIND_UNION,
	REX_GQL_KIND_ENUM,
	REX_GQL_KIND_INPUT_OBJECT
} rex_gql_kind;

/* An argument of a field or a directive, or a field of an input object. */
typedef struct rex_gql_input_def
{
	const char *name;
	const rex_gql_type *type;
	const json_t *default_value;	/* the coerced default; NULL when none
									 * (JSON null is a default of null) */
} rex_gql_input_def;

/* A field of an object or interface type. */
typedef struct rex_gql_field_def
{
	const char *name;
	const rex_gql_type *type;
	const rex_gql_input_def *args;
	int			nargs;
	const void *data;			/* the schema's own (a column, a relation) */
} rex_gql_field_def;

/* Where a directive may appear (rex_gql_directive_def.locations). */
#define REX_GQL_DL_QUERY				(1u << 0)
#define REX_GQL_DL_MUTATION				(1u << 1)
#define REX_GQL_DL_SUBSCRIPTION			(1u << 2)
#define REX_GQL_DL_FIELD				(1u << 3)
#define REX_GQL_DL_FRAGMENT_DEFINITION	(1u << 4)
#define REX_GQL_DL_FRAGMENT_SPREAD		(1u << 5)
#define REX_GQL_DL_INLINE_FRAGMENT		(1u << 6)
#define REX_GQL_DL_VARIABLE_DEFINITION	(1u << 7)

typedef struct rex_gql_directive_def
{
	const char *name;			/* without '@' */
	unsigned	locations;		/* REX_GQL_DL_* */
	const rex_gql_input_def *args;
	int			nargs;
	bool		repeatable;
} rex_gql_directive_def;

/*
 * The lookups the front end makes; 'arg' is passed back to each.  Names
 * are compared exactly (GraphQL names are case-sensitive).  Returned
 * pointers must stay valid for the whole request.  Every callback is
 * required except 'directive' (NULL: no directive beyond @include and
 * @skip) and 'coerce_scalar' (NULL: custom scalars take any JSON value as
 * it is).
 */
typedef struct rex_gql_schema
{
	void	   *arg;

	/* The kind of the named type; REX_GQL_KIND_NONE when there is none. */
	rex_gql_kind (*type_kind) (void *arg, const char *type);

	/* The root type of an operation kind; NULL when the schema has none. */
	const char *(*root_type) (void *arg, rex_gql_op_kind kind);

	/* Field 'name' of an object or interface type; NULL when none. */
	const rex_gql_field_def *(*field) (void *arg, const char *type,
									   const char *name);

	/* The fields of an input object type, in their defined order. */
	int			(*input_fields) (void *arg, const char *type,
								 const rex_gql_input_def **out);

	/* True when 'value' is a value of the enum type. */
	bool		(*enum_value) (void *arg, const char *type, const char *value);

	/*
	 * The object types a type stands for: itself for an object type, the
	 * implementations or members for an interface or a union.
	 */
	int			(*possible_types) (void *arg, const char *type,
								   const char *const **out);

	/*
	 * Input coercion of a custom scalar: checks 'in' and sets *out to the
	 * value to use (may be 'in' itself); on refusal returns false and sets
	 * *why to a sentence for the message ("Expected a UUID.").
	 */
	bool		(*coerce_scalar) (void *arg, rex_ctx *ctx, const char *type,
								  json_t *in, json_t **out, const char **why);

	/* A directive other than @include and @skip; NULL when unknown. */
	const rex_gql_directive_def *(*directive) (void *arg, const char *name);
} rex_gql_schema;

/* True for Int, Float, String, Boolean and ID. */
extern bool rex_gql_is_builtin_scalar(const char *name);

/* The definitions of @include and @skip. */
extern const rex_gql_directive_def rex_gql_directive_include;
extern const rex_gql_directive_def rex_gql_directive_skip;

/* ---------------------------------------------------------------- */
/* validation */

/*
 * Validates a parsed document (section 5).  Without a schema, the rules
 * that need none:
 *	 operation name uniqueness, lone anonymous operation, fragment name
 *	 uniqueness, fragment spreads resolve (and selection->fragment is set),
 *	 fragments used, no fragment cycles, variable uniqueness, variables
 *	 defined and used (per operation, through fragments), argument and
 *	 input field name uniqueness, @include/@skip: locations, uniqueness,
 *	 their "if" argument and the type of variables given to it;
 *	 and the limits: selection depth through fragments (max_depth) and
 *	 fields once fragments are expanded (max_fields).
 * With a schema, also the rules that need one (graphql_schema_rules.c):
 *	 known type names, fragments on composite types, variables of input
 *	 types, fields on correct type, leaf field selections, known argument
 *	 names, required arguments, values of correct type, variables in
 *	 allowed positions, possible fragment spreads, known directives and
 *	 their locations, overlapping fields can be merged.
 * REX_OK, or REX_ERR_DEFINITION with every error found (up to
 * limits->max_errors: when errs->max is 0 it is set to allow that many
 * more), or REX_ERR_NOMEM.  Fragment spreads are resolved on the way
 * (rex_gql_selection.fragment), to the last definition of a name as
 * graphql-js does.
 */
extern rex_status rex_gql_validate(rex_ctx *ctx, rex_gql_document *doc,
								   const rex_gql_schema *schema,
								   const rex_gql_limits *limits,
								   rex_gql_errors *errs);

/*
 * GetOperation (section 6.1): the operation named 'name', or the only one
 * when 'name' is NULL.  REX_ERR_DEFINITION with one error when there is
 * no such operation or the choice is ambiguous.
 */
extern rex_status rex_gql_get_operation(rex_ctx *ctx, const rex_gql_document *doc,
										const char *name,
										const rex_gql_operation **out,
										rex_gql_errors *errs);

/* ---------------------------------------------------------------- */
/* coercion */

/*
 * CoerceVariableValues (section 6.1.2): checks the variables a request
 * supplies ('values': a JSON object, or NULL for none) against the
 * operation's definitions and returns *out, a new JSON object (owned by
 * ctx) holding a value for every variable that has one -- supplied and
 * coerced, or its default -- and nothing for the others.  Built-in
 * scalars, lists and non-null types are checked here; enum, input object
 * and custom scalar types through the schema (NULL: only built-in types
 * can be checked, others are refused).  Unknown supplied variables are
 * ignored, as the specification says.
 */
extern rex_status rex_gql_coerce_variables(rex_ctx *ctx,
										   const rex_gql_schema *schema,
										   const rex_gql_operation *op,
										   json_t *values, json_t **out,
										   rex_gql_errors *errs);

/*
 * Input coercion of a JSON value to a type (the rules of section 3 for
 * each kind of type); on success *out is the coerced value (owned by
 * ctx).  On failure, an error "<prefix> got invalid value <v>; <reason>"
 * at 'loc' (with " at \"path\"" for a value inside a list or object).
 */
extern rex_status rex_gql_coerce_input(rex_ctx *ctx, const rex_gql_schema *schema,
									   const rex_gql_type *type, json_t *value,
									   const char *prefix, rex_gql_loc loc,
									   json_t **out, rex_gql_errors *errs);

/*
 * Coerces a literal written in the document (variables resolved from the
 * coerced 'variables' object) to a type; *out is its JSON value, owned by
 * ctx, or NULL when the literal is a variable that has no value (so the
 * caller uses the argument's default or leaves it out).
 */
extern rex_status rex_gql_coerce_literal(rex_ctx *ctx, const rex_gql_schema *schema,
										 const rex_gql_type *type,
										 const rex_gql_value *value,
										 json_t *variables, json_t **out,
										 rex_gql_errors *errs);

/*
 * CoerceArgumentValues (section 6.4.1): the arguments given to a field or
 * a directive, as a JSON object of name -> coerced value (defaults
 * applied, absent optional arguments left out).  'where' names the field
 * or directive in messages ("Argument \"id\" of required type \"ID!\" was
 * not provided." is located at 'loc').
 */
extern rex_status rex_gql_coerce_arguments(rex_ctx *ctx, const rex_gql_schema *schema,
										   const rex_gql_input_def *defs, int ndefs,
										   const rex_gql_argument *args, int nargs,
										   json_t *variables, rex_gql_loc loc,
										   json_t **out, rex_gql_errors *errs);

/*
 * Whether a selection is to be included: false when @skip(if: true) or
 * @include(if: false) is on it ('variables' as coerced).
 */
extern bool rex_gql_selection_included(const rex_gql_directive *dirs, int ndirs,
									   json_t *variables);

#endif							/* REX_GRAPHQL_VALIDATE_H */
