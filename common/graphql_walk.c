/*
 * graphql_walk.c
 *		The walk of GraphQL validation: one pass over each operation and
 *		fragment (see graphql_validate_int.h).
 *
 * On the way it collects, for the rules of graphql_validate.c, the
 * definition's fragment spreads, variable usages (with the type each place
 * expects), depth and field count, and it checks the rules that look at
 * one place (section 5 of the specification, October 2021):
 *	 without a schema: 5.4.2 argument uniqueness, 5.6.3 input object field
 *	 uniqueness, and for @include and @skip 5.7.1-5.7.3 (defined, in a
 *	 valid location, unique per location), 5.4.2.1 required arguments and
 *	 5.6.1 values of correct type for their "if";
 *	 with a schema, also: 5.3.1 field selections, 5.3.3 leaf field
 *	 selections, 5.4.1 argument names, 5.4.2.1 required arguments, 5.5.1.2
 *	 fragment spread type existence, 5.5.1.3 fragments on composite types,
 *	 5.5.2.3 fragment spread is possible, 5.6.1 values of correct type,
 *	 5.6.2 input object field names, 5.6.4 input object required fields,
 *	 5.7.1-5.7.3 for every directive, 5.8.2 variables are input types, and
 *	 the root operation type exists.
 * The type of each place is followed while the schema knows it; where it
 * does not (no schema, an unknown field), the walk goes on without types,
 * still collecting spreads and variables.  Recursion follows the nesting
 * of the document, which the parser bounds.
 */
#include "graphql_validate_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const rex_gql_type type_boolean = {REX_GQL_TYPE_NAMED, {0, 0}, "Boolean", NULL};
static const rex_gql_type type_boolean_nn = {REX_GQL_TYPE_NON_NULL, {0, 0}, NULL, &type_boolean};
static const rex_gql_type type_string = {REX_GQL_TYPE_NAMED, {0, 0}, "String", NULL};
static const rex_gql_type type_string_nn = {REX_GQL_TYPE_NON_NULL, {0, 0}, NULL, &type_string};

static const rex_gql_input_def if_arg[] = {{"if", &type_boolean_nn, NULL}};

const rex_gql_directive_def rex_gql_directive_include = {
	"include",
	REX_GQL_DL_FIELD | REX_GQL_DL_FRAGMENT_SPREAD | REX_GQL_DL_INLINE_FRAGMENT,
	if_arg, 1, false
};
const rex_gql_directive_def rex_gql_directive_skip = {
	"skip",
	REX_GQL_DL_FIELD | REX_GQL_DL_FRAGMENT_SPREAD | REX_GQL_DL_INLINE_FRAGMENT,
	if_arg, 1, false
};

bool
rex_gql_is_builtin_scalar(const char *name)
{
	return strcmp(name, "Int") == 0 || strcmp(name, "Float") == 0 ||
		strcmp(name, "String") == 0 || strcmp(name, "Boolean") == 0 ||
		strcmp(name, "ID") == 0;
}

rex_gql_kind
rex_gql_kind_of(const rex_gql_schema *schema, const char *name)
{
	if (rex_gql_is_builtin_scalar(name))
		return REX_GQL_KIND_SCALAR;
	if (schema == NULL)
		return REX_GQL_KIND_NONE;
	return schema->type_kind(schema->arg, name);
}

const rex_gql_directive_def *
rex_gql_find_directive(const rex_gql_schema *schema, const char *name)
{
	if (strcmp(name, "include") == 0)
		return &rex_gql_directive_include;
	if (strcmp(name, "skip") == 0)
		return &rex_gql_directive_skip;
	if (schema && schema->directive)
		return schema->directive(schema->arg, name);
	return NULL;
}

static bool
kind_is_composite(rex_gql_kind k)
{
	return k == REX_GQL_KIND_OBJECT || k == REX_GQL_KIND_INTERFACE ||
		k == REX_GQL_KIND_UNION;
}

static bool
kind_is_input(rex_gql_kind k)
{
	return k == REX_GQL_KIND_SCALAR || k == REX_GQL_KIND_ENUM ||
		k == REX_GQL_KIND_INPUT_OBJECT;
}

bool
rex_gql_type_equal(const rex_gql_type *a, const rex_gql_type *b)
{
	while (a->kind == b->kind)
	{
		if (a->kind == REX_GQL_TYPE_NAMED)
			return strcmp(a->name, b->name) == 0;
		a = a->of;
		b = b->of;
	}
	return false;
}

/* AreTypesCompatible (section 5.8.5) */
static bool
types_compatible(const rex_gql_type *var, const rex_gql_type *loc)
{
	for (;;)
	{
		if (loc->kind == REX_GQL_TYPE_NON_NULL)
		{
			if (var->kind != REX_GQL_TYPE_NON_NULL)
				return false;
			var = var->of;
			loc = loc->of;
		}
		else if (var->kind == REX_GQL_TYPE_NON_NULL)
			var = var->of;
		else if (loc->kind == REX_GQL_TYPE_LIST)
		{
			if (var->kind != REX_GQL_TYPE_LIST)
				return false;
			var = var->of;
			loc = loc->of;
		}
		else if (var->kind == REX_GQL_TYPE_LIST)
			return false;
		else
			return strcmp(var->name, loc->name) == 0;
	}
}

bool
rex_gql_variable_usage_allowed(const rex_gql_schema *schema,
							   const rex_gql_variable_def *def,
							   const gql_var_use *use)
{
	const rex_gql_type *loc = use->expected;

	(void) schema;
	if (loc->kind == REX_GQL_TYPE_NON_NULL && def->type->kind != REX_GQL_TYPE_NON_NULL)
	{
		bool		var_default = def->default_value &&
			def->default_value->kind != REX_GQL_NULL;

		if (!var_default && !use->has_default)
			return false;
		loc = loc->of;
	}
	return types_compatible(def->type, loc);
}

/* ---------------------------------------------------------------- */
/* errors */

static void werr(gql_validator *v, const rex_gql_loc *l1, const rex_gql_loc *l2,
				 const char *fmt,...)
			__attribute__((format(printf, 4, 5)));

static void
werr(gql_validator *v, const rex_gql_loc *l1, const rex_gql_loc *l2, const char *fmt,...)
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

/* A value error: as werr, except while the walk is quiet. */
static void vwerr(gql_validator *v, const rex_gql_loc *loc, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

static void
vwerr(gql_validator *v, const rex_gql_loc *loc, const char *fmt,...)
{
	va_list		ap;
	char		msg[512];

	if (v->quiet > 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	werr(v, loc, NULL, "%s", msg);
}

/* A type as text, for messages. */
static const char *
ttext(gql_validator *v, const rex_gql_type *t)
{
	return rex_gql_type_text(v->ctx, t);
}

/* A value as text, for messages. */
static const char *
vtext(gql_validator *v, const rex_gql_value *val)
{
	return rex_gql_value_text(v->ctx, val);
}

/* ---------------------------------------------------------------- */
/* values */

static void walk_value(gql_validator *v, const rex_gql_value *val,
					   const rex_gql_type *type, bool has_default);

/* True when an Int literal fits in 32 bits. */
static bool
int_literal_fits(const char *text)
{
	long long	n;
	char	   *end;

	errno = 0;
	n = strtoll(text, &end, 10);
	return errno == 0 && *end == '\0' && n >= -2147483648LL && n <= 2147483647LL;
}

/* Checks a literal against a built-in scalar type. */
static void
check_builtin_literal(gql_validator *v, const rex_gql_value *val, const char *name)
{
	rex_gql_value_kind k = val->kind;

	if (strcmp(name, "Int") == 0)
	{
		if (k != REX_GQL_INT)
			vwerr(v, &val->loc, "Int cannot represent non-integer value: %s",
				 vtext(v, val));
		else if (!int_literal_fits(val->text))
			vwerr(v, &val->loc,
				  "Int cannot represent non 32-bit signed integer value: %s", val->text);
	}
	else if (strcmp(name, "Float") == 0)
	{
		if (k != REX_GQL_INT && k != REX_GQL_FLOAT)
			vwerr(v, &val->loc, "Float cannot represent non numeric value: %s",
				 vtext(v, val));
	}
	else if (strcmp(name, "String") == 0)
	{
		if (k != REX_GQL_STRING)
			vwerr(v, &val->loc, "String cannot represent a non string value: %s",
				 vtext(v, val));
	}
	else if (strcmp(name, "Boolean") == 0)
	{
		if (k != REX_GQL_BOOLEAN)
			vwerr(v, &val->loc, "Boolean cannot represent a non boolean value: %s",
				 vtext(v, val));
	}
	else if (k != REX_GQL_STRING && k != REX_GQL_INT)
		vwerr(v, &val->loc,
			  "ID cannot represent a non-string and non-integer value: %s", vtext(v, val));
}

/* True when a literal holds no variable (so it has a value now). */
static bool
literal_is_constant(const rex_gql_value *val)
{
	int			i;

	switch (val->kind)
	{
		case REX_GQL_VARIABLE:
			return false;
		case REX_GQL_LIST:
			for (i = 0; i < val->nitems; i++)
				if (!literal_is_constant(val->items[i]))
					return false;
			return true;
		case REX_GQL_OBJECT:
			for (i = 0; i < val->nfields; i++)
				if (!literal_is_constant(val->fields[i].value))
					return false;
			return true;
		default:
			return true;
	}
}

/* A custom scalar's literal goes through the schema's coercion. */
static void
check_custom_literal(gql_validator *v, const rex_gql_value *val, const char *name,
					 const rex_gql_type *loc_type)
{
	json_t	   *in = NULL;
	json_t	   *out = NULL;
	const char *why = NULL;
	rex_gql_errors scratch;

	if (v->schema->coerce_scalar == NULL || !literal_is_constant(val))
		return;
	rex_gql_errors_init(&scratch, 0);
	if (rex_gql_coerce_literal(v->ctx, NULL, NULL, val, NULL, &in, &scratch) != REX_OK ||
		in == NULL)
	{
		if (v->ctx->err.status != REX_OK)
			v->stop = true;
		return;
	}
	if (!v->schema->coerce_scalar(v->schema->arg, v->ctx, name, in, &out, &why))
		vwerr(v, &val->loc, "Expected value of type \"%s\", found %s; %s",
			 ttext(v, loc_type), vtext(v, val), why ? why : "it is not valid.");
}

/* Unique field names in an object value (5.6.3) */
static void
check_object_field_names(gql_validator *v, const rex_gql_value *val)
{
	gql_map		seen = {0};
	int			i;

	for (i = 0; i < val->nfields && !v->stop; i++)
	{
		const rex_gql_object_field *first = rex_gql_map_get(&seen, val->fields[i].name);

		if (first)
			werr(v, &first->loc, &val->fields[i].loc,
				 "There can be only one input field named \"%s\".", val->fields[i].name);
		else if (!rex_gql_map_put(v->ctx, &seen, val->fields[i].name,
								  (void *) &val->fields[i]))
			v->stop = true;
	}
}

/* Walks the parts of a value whose type is not known. */
static void
walk_untyped(gql_validator *v, const rex_gql_value *val)
{
	int			i;

	if (val->kind == REX_GQL_LIST)
		for (i = 0; i < val->nitems && !v->stop; i++)
			walk_value(v, val->items[i], NULL, false);
	else if (val->kind == REX_GQL_OBJECT)
	{
		check_object_field_names(v, val);
		for (i = 0; i < val->nfields && !v->stop; i++)
			walk_value(v, val->fields[i].value, NULL, false);
	}
}

/* An object value for input object type 'name' (5.6.2, 5.6.4) */
static void
walk_input_object(gql_validator *v, const rex_gql_value *val, const char *name)
{
	const rex_gql_input_def *defs = NULL;
	int			ndefs = v->schema->input_fields(v->schema->arg, name, &defs);
	int			i,
				j;

	check_object_field_names(v, val);
	for (i = 0; i < val->nfields && !v->stop; i++)
	{
		const rex_gql_object_field *f = &val->fields[i];

		for (j = 0; j < ndefs; j++)
			if (strcmp(defs[j].name, f->name) == 0)
				break;
		if (j == ndefs)
		{
			vwerr(v, &f->loc, "Field \"%s\" is not defined by type \"%s\".",
				 f->name, name);
			walk_value(v, f->value, NULL, false);
		}
		else
			walk_value(v, f->value, defs[j].type, defs[j].default_value != NULL);
	}
	for (j = 0; j < ndefs && !v->stop; j++)
	{
		if (defs[j].type->kind != REX_GQL_TYPE_NON_NULL || defs[j].default_value)
			continue;
		for (i = 0; i < val->nfields; i++)
			if (strcmp(defs[j].name, val->fields[i].name) == 0)
				break;
		if (i == val->nfields)
			vwerr(v, &val->loc,
				  "Field \"%s.%s\" of required type \"%s\" was not provided.",
				 name, defs[j].name, ttext(v, defs[j].type));
	}
}

/*
 * A list or object literal where a leaf type is expected: the message the
 * type gives for any wrong literal.
 */
static void
check_leaf_literal(gql_validator *v, const rex_gql_value *val, const rex_gql_type *loc_type,
				   const char *name, rex_gql_kind kind)
{
	if (kind == REX_GQL_KIND_ENUM)
		vwerr(v, &val->loc, "Enum \"%s\" cannot represent non-enum value: %s.",
			  name, vtext(v, val));
	else if (rex_gql_is_builtin_scalar(name))
		check_builtin_literal(v, val, name);
	else
		vwerr(v, &val->loc, "Expected value of type \"%s\", found %s.",
			  ttext(v, loc_type), vtext(v, val));
}

/*
 * A value whose place expects the named type nullable->name; 'loc_type'
 * is the place's whole type (for messages).
 */
static void
walk_named_value(gql_validator *v, const rex_gql_value *val, const rex_gql_type *loc_type,
				 const rex_gql_type *nullable)
{
	const char *name = nullable->name;
	rex_gql_kind kind = rex_gql_kind_of(v->schema, name);
	int			i;

	if (kind == REX_GQL_KIND_INPUT_OBJECT && val->kind == REX_GQL_OBJECT)
	{
		walk_input_object(v, val, name);
		return;
	}
	if (kind == REX_GQL_KIND_NONE || !kind_is_input(kind))
	{
		/* reported where the type was declared; keep collecting */
		walk_untyped(v, val);
		return;
	}
	if (kind == REX_GQL_KIND_SCALAR && !rex_gql_is_builtin_scalar(name))
	{
		/* a custom scalar decides for itself, whatever the literal */
		check_custom_literal(v, val, name, loc_type);
		walk_untyped(v, val);
		return;
	}
	if (val->kind == REX_GQL_LIST)
	{
		/*
		 * A list where no list is expected: an error; its items still take
		 * the type (as graphql-js's TypeInfo gives it) for the variables in
		 * them, but their values are not checked again.
		 */
		check_leaf_literal(v, val, loc_type, name, kind);
		v->quiet++;
		for (i = 0; i < val->nitems && !v->stop; i++)
			walk_value(v, val->items[i], nullable, false);
		v->quiet--;
		return;
	}
	if (val->kind == REX_GQL_OBJECT)
	{
		check_leaf_literal(v, val, loc_type, name, kind);
		walk_untyped(v, val);
		return;
	}
	if (kind == REX_GQL_KIND_INPUT_OBJECT)
		vwerr(v, &val->loc, "Expected value of type \"%s\", found %s.",
			  ttext(v, loc_type), vtext(v, val));
	else if (kind == REX_GQL_KIND_ENUM)
	{
		if (val->kind != REX_GQL_ENUM)
			vwerr(v, &val->loc, "Enum \"%s\" cannot represent non-enum value: %s.",
				  name, vtext(v, val));
		else if (!v->schema->enum_value(v->schema->arg, name, val->text))
			vwerr(v, &val->loc, "Value \"%s\" does not exist in \"%s\" enum.",
				  val->text, name);
	}
	else
		check_builtin_literal(v, val, name);
}

/*
 * Walks a value at a place that expects 'type' (NULL: not known);
 * 'has_default' says the place has a default value (for 5.8.5).
 */
static void
walk_value(gql_validator *v, const rex_gql_value *val, const rex_gql_type *type,
		   bool has_default)
{
	const rex_gql_type *nullable;
	gql_var_use *use;
	int			i;

	if (v->stop)
		return;
	if (val->kind == REX_GQL_VARIABLE)
	{
		use = rex_gql_vec_push(v->ctx, &v->cur->var_uses, sizeof(gql_var_use));
		if (use == NULL)
		{
			v->stop = true;
			return;
		}
		use->value = val;
		use->expected = type;
		use->has_default = has_default;
		return;
	}
	if (type == NULL)
	{
		walk_untyped(v, val);
		return;
	}
	nullable = type;
	if (type->kind == REX_GQL_TYPE_NON_NULL)
	{
		if (val->kind == REX_GQL_NULL)
		{
			vwerr(v, &val->loc, "Expected value of type \"%s\", found null.",
				 ttext(v, type));
			return;
		}
		nullable = type->of;
	}
	if (val->kind == REX_GQL_NULL)
		return;
	if (nullable->kind == REX_GQL_TYPE_LIST && val->kind == REX_GQL_LIST)
	{
		for (i = 0; i < val->nitems && !v->stop; i++)
			walk_value(v, val->items[i], nullable->of, false);
		return;
	}
	/*
	 * A single value where a list is expected stands for a list of one: it
	 * is checked against the named type inside, and messages name the
	 * place's whole type, as graphql-js does.
	 */
	while (nullable->kind != REX_GQL_TYPE_NAMED)
		nullable = nullable->of;
	walk_named_value(v, val, type, nullable);
}

/* ---------------------------------------------------------------- */
/* arguments and directives */

/*
 * Arguments of a field or a directive: unique names (5.4.2); with the
 * definitions, known names (5.4.1), values (5.6.1) and required ones
 * (5.4.2.1).  'defs' NULL: the definitions are not known.  'owner' is
 * "field \"T.f\"" or "directive \"@d\"", 'req_owner' the start of the
 * required-argument message ("Field \"f\"", "Directive \"@d\"").
 */
static void
walk_arguments(gql_validator *v, const rex_gql_argument *args, int nargs,
			   const rex_gql_input_def *defs, int ndefs, bool known,
			   const char *owner, const char *req_owner, rex_gql_loc loc)
{
	const char **names;
	rex_gql_loc *locs;
	int			i,
				j;

	if (nargs > 1)
	{
		names = rex_alloc(v->ctx, sizeof(char *) * (size_t) nargs);
		locs = rex_alloc(v->ctx, sizeof(rex_gql_loc) * (size_t) nargs);
		if (names == NULL || locs == NULL)
		{
			v->stop = true;
			return;
		}
		for (i = 0; i < nargs; i++)
		{
			names[i] = args[i].name;
			locs[i] = args[i].loc;
		}
		rex_gql_report_duplicates(v, names, locs, nargs, "argument", "");
	}
	for (i = 0; i < nargs && !v->stop; i++)
	{
		for (j = 0; j < ndefs; j++)
			if (strcmp(defs[j].name, args[i].name) == 0)
				break;
		if (j < ndefs)
			walk_value(v, args[i].value, defs[j].type, defs[j].default_value != NULL);
		else
		{
			if (known)
				werr(v, &args[i].loc, NULL, "Unknown argument \"%s\" on %s.",
					 args[i].name, owner);
			walk_value(v, args[i].value, NULL, false);
		}
	}
	for (j = 0; j < ndefs && !v->stop; j++)
	{
		if (defs[j].type->kind != REX_GQL_TYPE_NON_NULL || defs[j].default_value)
			continue;
		for (i = 0; i < nargs; i++)
			if (strcmp(args[i].name, defs[j].name) == 0)
				break;
		if (i == nargs)
			werr(v, &loc, NULL,
				 "%s argument \"%s\" of type \"%s\" is required, but it was not provided.",
				 req_owner, defs[j].name, ttext(v, defs[j].type));
	}
}

static const char *
location_name(unsigned location)
{
	switch (location)
	{
		case REX_GQL_DL_QUERY:
			return "QUERY";
		case REX_GQL_DL_MUTATION:
			return "MUTATION";
		case REX_GQL_DL_SUBSCRIPTION:
			return "SUBSCRIPTION";
		case REX_GQL_DL_FIELD:
			return "FIELD";
		case REX_GQL_DL_FRAGMENT_DEFINITION:
			return "FRAGMENT_DEFINITION";
		case REX_GQL_DL_FRAGMENT_SPREAD:
			return "FRAGMENT_SPREAD";
		case REX_GQL_DL_INLINE_FRAGMENT:
			return "INLINE_FRAGMENT";
		case REX_GQL_DL_VARIABLE_DEFINITION:
			return "VARIABLE_DEFINITION";
	}
	return "?";
}

/* Directives at one location (5.7.1-5.7.3) and their arguments. */
static void
walk_directives(gql_validator *v, const rex_gql_directive *dirs, int n, unsigned location)
{
	int			i,
				k;

	for (i = 0; i < n && !v->stop; i++)
	{
		const rex_gql_directive *d = &dirs[i];
		const rex_gql_directive_def *def = rex_gql_find_directive(v->schema, d->name);
		const char *owner;
		const char *req_owner;

		if (def == NULL)
		{
			if (v->schema)
				werr(v, &d->loc, NULL, "Unknown directive \"@%s\".", d->name);
			walk_arguments(v, d->args, d->nargs, NULL, 0, false, NULL, NULL, d->loc);
			continue;
		}
		if ((def->locations & location) == 0)
			werr(v, &d->loc, NULL, "Directive \"@%s\" may not be used on %s.",
				 d->name, location_name(location));
		if (!def->repeatable)
			for (k = 0; k < i; k++)
				if (strcmp(dirs[k].name, d->name) == 0)
				{
					werr(v, &dirs[k].loc, &d->loc,
						 "The directive \"@%s\" can only be used once at this location.",
						 d->name);
					break;
				}
		owner = rex_psprintf(v->ctx, "directive \"@%s\"", d->name);
		req_owner = rex_psprintf(v->ctx, "Directive \"@%s\"", d->name);
		if (owner == NULL || req_owner == NULL)
		{
			v->stop = true;
			return;
		}
		walk_arguments(v, d->args, d->nargs, def->args, def->nargs, true, owner,
					   req_owner, d->loc);
	}
}

/* ---------------------------------------------------------------- */
/* types of fragments */

/* True when 'name' is among the possible types of 'type'. */
static bool
is_possible(gql_validator *v, const char *type, const char *name)
{
	const char *const *list = NULL;
	int			n = v->schema->possible_types(v->schema->arg, type, &list);
	int			i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* DoTypesOverlap: some object type can be of both composite types. */
static bool
types_overlap(gql_validator *v, const char *a, const char *b)
{
	const char *const *list = NULL;
	int			n,
				i;

	if (strcmp(a, b) == 0)
		return true;
	n = v->schema->possible_types(v->schema->arg, a, &list);
	for (i = 0; i < n; i++)
		if (is_possible(v, b, list[i]))
			return true;
	return false;
}

/*
 * A type condition: it must name a type (5.5.1.2) that is composite
 * (5.5.1.3).  Returns the type when usable for the walk, else NULL.
 */
static const char *
check_type_condition(gql_validator *v, const char *tc, rex_gql_loc loc,
					 const char *fragment)
{
	rex_gql_kind kind = rex_gql_kind_of(v->schema, tc);

	if (kind == REX_GQL_KIND_NONE)
	{
		werr(v, &loc, NULL, "Unknown type \"%s\".", tc);
		return NULL;
	}
	if (!kind_is_composite(kind))
	{
		if (fragment)
			werr(v, &loc, NULL, "Fragment \"%s\" cannot condition on non composite type \"%s\".",
				 fragment, tc);
		else
			werr(v, &loc, NULL, "Fragment cannot condition on non composite type \"%s\".", tc);
		return NULL;
	}
	return tc;
}

/* ---------------------------------------------------------------- */
/* selections */

static void walk_selection_set(gql_validator *v, const rex_gql_selection_set *set,
							   const char *parent);

/* 5.3.3 Leaf Field Selections, for a field of type 'type'. */
static void
check_leaf(gql_validator *v, const rex_gql_selection *s, const rex_gql_type *type,
		   const char **sub_parent)
{
	const char *base = rex_gql_type_base(type);
	rex_gql_kind kind = rex_gql_kind_of(v->schema, base);

	*sub_parent = NULL;
	if (kind_is_composite(kind))
	{
		*sub_parent = base;
		if (s->selection_set == NULL)
			werr(v, &s->loc, NULL,
				 "Field \"%s\" of type \"%s\" must have a selection of subfields. "
				 "Did you mean \"%s { ... }\"?", s->name, ttext(v, type), s->name);
	}
	else if (kind != REX_GQL_KIND_NONE && s->selection_set)
		werr(v, &s->selection_set->loc, NULL,
			 "Field \"%s\" must not have a selection since type \"%s\" has no subfields.",
			 s->name, ttext(v, type));
}

/* A field: 5.3.1, its arguments and directives, 5.3.3, its selections. */
static void
walk_field(gql_validator *v, const rex_gql_selection *s, const char *parent)
{
	const rex_gql_field_def *fdef = NULL;
	const rex_gql_type *ftype = NULL;
	const char *sub_parent = NULL;
	const char *owner;
	const char *req_owner;

	v->cur->nfields++;
	if (v->level + 1 > v->cur->depth)
		v->cur->depth = v->level + 1;
	if (v->schema && parent)
	{
		if (strcmp(s->name, "__typename") == 0)
			ftype = &type_string_nn;
		else
		{
			fdef = v->schema->field(v->schema->arg, parent, s->name);
			if (fdef == NULL)
				werr(v, &s->loc, NULL, "Cannot query field \"%s\" on type \"%s\".",
					 s->name, parent);
			else
				ftype = fdef->type;
		}
	}
	walk_directives(v, s->directives, s->ndirectives, REX_GQL_DL_FIELD);
	if (fdef)
	{
		owner = rex_psprintf(v->ctx, "field \"%s.%s\"", parent, s->name);
		req_owner = rex_psprintf(v->ctx, "Field \"%s\"", s->name);
		if (owner == NULL || req_owner == NULL)
		{
			v->stop = true;
			return;
		}
		walk_arguments(v, s->args, s->nargs, fdef->args, fdef->nargs, true, owner,
					   req_owner, s->loc);
	}
	else if (ftype)
	{
		/* __typename takes no argument */
		owner = rex_psprintf(v->ctx, "field \"%s.__typename\"", parent);
		if (owner == NULL)
		{
			v->stop = true;
			return;
		}
		walk_arguments(v, s->args, s->nargs, NULL, 0, true, owner, NULL, s->loc);
	}
	else
		walk_arguments(v, s->args, s->nargs, NULL, 0, false, NULL, NULL, s->loc);
	if (ftype)
		check_leaf(v, s, ftype, &sub_parent);
	if (s->selection_set && !v->stop)
	{
		v->level++;
		walk_selection_set(v, s->selection_set, sub_parent);
		v->level--;
	}
}

/* A fragment spread: recorded; 5.5.2.3 when both types are known. */
static void
walk_spread(gql_validator *v, rex_gql_selection *s, const char *parent)
{
	gql_spread *sp = rex_gql_vec_push(v->ctx, &v->cur->spreads, sizeof(gql_spread));
	const rex_gql_fragment *f;

	if (sp == NULL)
	{
		v->stop = true;
		return;
	}
	sp->sel = s;
	sp->level = v->level;
	walk_directives(v, s->directives, s->ndirectives, REX_GQL_DL_FRAGMENT_SPREAD);
	f = rex_gql_map_get(&v->frags, s->name);
	if (v->schema && parent && f &&
		kind_is_composite(rex_gql_kind_of(v->schema, f->type_condition)) &&
		!types_overlap(v, f->type_condition, parent))
		werr(v, &s->loc, NULL,
			 "Fragment \"%s\" cannot be spread here as objects of type \"%s\" "
			 "can never be of type \"%s\".", s->name, parent, f->type_condition);
}

/* An inline fragment: its type condition, directives and selections. */
static void
walk_inline(gql_validator *v, const rex_gql_selection *s, const char *parent)
{
	const char *type = parent;

	walk_directives(v, s->directives, s->ndirectives, REX_GQL_DL_INLINE_FRAGMENT);
	if (v->schema && s->type_condition)
	{
		type = check_type_condition(v, s->type_condition, s->type_condition_loc, NULL);
		if (type && parent && !types_overlap(v, type, parent))
			werr(v, &s->loc, NULL,
				 "Fragment cannot be spread here as objects of type \"%s\" "
				 "can never be of type \"%s\".", parent, type);
	}
	walk_selection_set(v, s->selection_set, type);
}

/* 'parent' is the composite type of the set, or NULL when not known. */
static void
walk_selection_set(gql_validator *v, const rex_gql_selection_set *set, const char *parent)
{
	int			i;

	if (v->schema)
	{
		gql_set_seen *seen = rex_gql_vec_push(v->ctx, &v->sets, sizeof(gql_set_seen));

		if (seen == NULL)
		{
			v->stop = true;
			return;
		}
		seen->set = set;
		seen->parent = parent;
	}

	for (i = 0; i < set->nitems && !v->stop; i++)
	{
		rex_gql_selection *s = &set->items[i];

		switch (s->kind)
		{
			case REX_GQL_FIELD:
				walk_field(v, s, parent);
				break;
			case REX_GQL_FRAGMENT_SPREAD:
				walk_spread(v, s, parent);
				break;
			case REX_GQL_INLINE_FRAGMENT:
				walk_inline(v, s, parent);
				break;
		}
	}
}

/* ---------------------------------------------------------------- */
/* definitions */

/* A variable definition: 5.5.1.2 for its type, 5.8.2, its default. */
static void
walk_variable_def(gql_validator *v, const rex_gql_variable_def *vd)
{
	const char *base = rex_gql_type_base(vd->type);
	const rex_gql_type *named = vd->type;
	rex_gql_kind kind = rex_gql_kind_of(v->schema, base);
	bool		known = true;

	while (named->kind != REX_GQL_TYPE_NAMED)
		named = named->of;
	if (v->schema)
	{
		if (kind == REX_GQL_KIND_NONE)
		{
			werr(v, &named->loc, NULL, "Unknown type \"%s\".", base);
			known = false;
		}
		else if (!kind_is_input(kind))
		{
			werr(v, &vd->type->loc, NULL, "Variable \"$%s\" cannot be non-input type \"%s\".",
				 vd->name, ttext(v, vd->type));
			known = false;
		}
	}
	else
		known = kind != REX_GQL_KIND_NONE;
	if (vd->default_value)
		walk_value(v, vd->default_value, known ? vd->type : NULL, false);
	walk_directives(v, vd->directives, vd->ndirectives, REX_GQL_DL_VARIABLE_DEFINITION);
}

void
rex_gql_walk_operation(gql_validator *v, rex_gql_operation *op)
{
	static const unsigned locations[] = {
		REX_GQL_DL_QUERY, REX_GQL_DL_MUTATION, REX_GQL_DL_SUBSCRIPTION
	};
	const char *root = NULL;
	int			i;

	v->level = 0;
	for (i = 0; i < op->nvars && !v->stop; i++)
		walk_variable_def(v, &op->vars[i]);
	walk_directives(v, op->directives, op->ndirectives, locations[op->kind]);
	if (v->schema)
	{
		root = v->schema->root_type(v->schema->arg, op->kind);
		if (root == NULL)
			werr(v, &op->loc, NULL, "Schema is not configured to execute %s operation.",
				 rex_gql_op_kind_name(op->kind));
	}
	if (!v->stop)
		walk_selection_set(v, op->selection_set, root);
}

void
rex_gql_walk_fragment(gql_validator *v, rex_gql_fragment *f)
{
	const char *type = NULL;

	v->level = 0;
	if (v->schema)
		type = check_type_condition(v, f->type_condition, f->type_condition_loc, f->name);
	walk_directives(v, f->directives, f->ndirectives, REX_GQL_DL_FRAGMENT_DEFINITION);
	if (!v->stop)
		walk_selection_set(v, f->selection_set, type);
}
