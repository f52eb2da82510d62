/*
 * graphql_coerce.c
 *		Input coercion of GraphQL values (see graphql_validate.h): variables
 *		supplied as JSON (CoerceVariableValues, section 6.1.2), literals
 *		written in the document, and the arguments of a field or directive
 *		(CoerceArgumentValues, section 6.4.1); the input coercion rules of
 *		section 3 for each kind of type.
 *
 * Built-in scalars are coerced here: Int takes a JSON integer (or a real
 * with an integral value) within 32 bits, Float any number (given back as
 * a real), String a string, Boolean a boolean, ID a string or an integer
 * (given back as a string).  Enum values, input objects and custom scalars
 * need the schema.  Messages follow graphql-js: "Variable \"$x\" got
 * invalid value \"a\"; Int cannot represent non-integer value: \"a\"".
 * Recursion follows the nesting of the input: JSON values are bounded by
 * REX_GQL_MAX_JSON_DEPTH, literals by the parser's depth limit.
 */
#include "graphql_validate_int.h"
#include "rex_buf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deepest JSON value accepted for a variable. */
#define REX_GQL_MAX_JSON_DEPTH 64
#define MAX_SHOWN 80

/* Where a coercion is: for messages and the path inside the value. */
typedef struct coerce_state
{
	rex_ctx    *ctx;
	const rex_gql_schema *schema;
	rex_gql_errors *errs;
	const char *prefix;			/* "Variable \"$x\" got invalid value" */
	const char *root;			/* "x": the path starts with it */
	rex_gql_loc loc;
	json_t	   *whole;			/* the value as given, for the message */
	const char *path[REX_GQL_MAX_JSON_DEPTH + 2];	/* ".a", "[0]" */
	int			depth;
} coerce_state;

/* Records "<prefix> <value>[ at \"path\"]; <reason>" and fails. */
static rex_status coerce_fail(coerce_state *cs, json_t *value, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

static rex_status
coerce_fail(coerce_state *cs, json_t *value, const char *fmt,...)
{
	va_list		ap;
	char		reason[400];
	rex_buf		b;
	const char *shown;
	int			i;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	shown = rex_json_text(cs->ctx, value, REX_JSON_OUTPUT);
	if (shown == NULL)
		return REX_ERR_NOMEM;
	rex_buf_init(&b, cs->ctx);
	rex_buf_printf(&b, "%s %s", cs->prefix, rex_shorten(cs->ctx, shown, MAX_SHOWN));
	if (cs->depth > 0)
	{
		rex_buf_printf(&b, " at \"%s", cs->root);
		for (i = 0; i < cs->depth; i++)
			rex_buf_append(&b, cs->path[i]);
		rex_buf_append_char(&b, '"');
	}
	rex_buf_printf(&b, "; %s", reason);
	if (!rex_buf_ok(&b))
		return REX_ERR_NOMEM;
	rex_gql_error_add(cs->ctx, cs->errs, &cs->loc, NULL, "%s", b.data);
	return cs->ctx->err.status != REX_OK ? cs->ctx->err.status : REX_ERR_DEFINITION;
}

/* A JSON value as compact text for a reason, shortened. */
static const char *
jtext(coerce_state *cs, const json_t *v)
{
	const char *s = rex_json_text(cs->ctx, v, REX_JSON_OUTPUT);

	return s ? rex_shorten(cs->ctx, s, MAX_SHOWN) : "?";
}

/* Takes ownership of a new JSON value; NULL on OOM. */
static json_t *
own(coerce_state *cs, json_t *v)
{
	return rex_json_own(cs->ctx, v);
}

/* ---------------------------------------------------------------- */
/* JSON values */

static rex_status coerce_json(coerce_state *cs, const rex_gql_type *type, json_t *in,
							  json_t **out);

/* Built-in scalar input coercion. */
static rex_status
coerce_builtin(coerce_state *cs, const char *name, json_t *in, json_t **out)
{
	if (strcmp(name, "Int") == 0)
	{
		double		d;

		if (json_is_integer(in))
		{
			if (json_integer_value(in) < -2147483648LL || json_integer_value(in) > 2147483647LL)
				return coerce_fail(cs, cs->whole,
								   "Int cannot represent non 32-bit signed integer value: %s",
								   jtext(cs, in));
			*out = in;
			return REX_OK;
		}
		d = json_is_real(in) ? json_real_value(in) : 0.5;
		if (!json_is_real(in) || floor(d) != d)
			return coerce_fail(cs, cs->whole, "Int cannot represent non-integer value: %s",
							   jtext(cs, in));
		if (d < -2147483648.0 || d > 2147483647.0)
			return coerce_fail(cs, cs->whole,
							   "Int cannot represent non 32-bit signed integer value: %s",
							   jtext(cs, in));
		*out = own(cs, json_integer((json_int_t) d));
	}
	else if (strcmp(name, "Float") == 0)
	{
		if (!json_is_number(in))
			return coerce_fail(cs, cs->whole, "Float cannot represent non numeric value: %s",
							   jtext(cs, in));
		*out = json_is_real(in) ? in : own(cs, json_real(json_number_value(in)));
	}
	else if (strcmp(name, "String") == 0)
	{
		if (!json_is_string(in))
			return coerce_fail(cs, cs->whole, "String cannot represent a non string value: %s",
							   jtext(cs, in));
		*out = in;
	}
	else if (strcmp(name, "Boolean") == 0)
	{
		if (!json_is_boolean(in))
			return coerce_fail(cs, cs->whole,
							   "Boolean cannot represent a non boolean value: %s",
							   jtext(cs, in));
		*out = in;
	}
	else
	{
		/* ID */
		if (json_is_string(in))
			*out = in;
		else if (json_is_integer(in))
			*out = own(cs, json_string(rex_psprintf(cs->ctx, "%lld",
													(long long) json_integer_value(in))));
		else
			return coerce_fail(cs, cs->whole, "ID cannot represent value: %s", jtext(cs, in));
	}
	return *out ? REX_OK : rex_error_nomem(cs->ctx);
}

/* An input object: known fields, required ones, defaults. */
static rex_status
coerce_object(coerce_state *cs, const char *name, json_t *in, json_t **out)
{
	const rex_gql_input_def *defs = NULL;
	int			ndefs,
				j;
	const char *key;
	json_t	   *val;
	json_t	   *obj;
	rex_status	st;

	if (!json_is_object(in))
		return coerce_fail(cs, cs->whole, "Expected type \"%s\" to be an object.", name);
	ndefs = cs->schema->input_fields(cs->schema->arg, name, &defs);
	json_object_foreach(in, key, val)
	{
		for (j = 0; j < ndefs; j++)
			if (strcmp(defs[j].name, key) == 0)
				break;
		if (j == ndefs)
			return coerce_fail(cs, cs->whole, "Field \"%s\" is not defined by type \"%s\".",
							   rex_shorten(cs->ctx, key, 64), name);
	}
	obj = own(cs, json_object());
	if (obj == NULL)
		return REX_ERR_NOMEM;
	for (j = 0; j < ndefs; j++)
	{
		json_t	   *field = json_object_get(in, defs[j].name);
		json_t	   *coerced = NULL;

		if (field == NULL)
		{
			if (defs[j].default_value)
				coerced = (json_t *) defs[j].default_value;
			else if (defs[j].type->kind == REX_GQL_TYPE_NON_NULL)
				return coerce_fail(cs, cs->whole,
								   "Field \"%s\" of required type \"%s\" was not provided.",
								   defs[j].name, rex_gql_type_text(cs->ctx, defs[j].type));
			else
				continue;
		}
		else
		{
			if ((cs->path[cs->depth] = rex_psprintf(cs->ctx, ".%s", defs[j].name)) == NULL)
				return REX_ERR_NOMEM;
			cs->depth++;
			st = coerce_json(cs, defs[j].type, field, &coerced);
			cs->depth--;
			if (st != REX_OK)
				return st;
		}
		if (json_object_set(obj, defs[j].name, coerced) != 0)
			return rex_error_nomem(cs->ctx);
	}
	*out = obj;
	return REX_OK;
}

/* A value of a named type. */
static rex_status
coerce_named(coerce_state *cs, const char *name, json_t *in, json_t **out)
{
	rex_gql_kind kind = rex_gql_kind_of(cs->schema, name);
	const char *why = NULL;

	if (rex_gql_is_builtin_scalar(name))
		return coerce_builtin(cs, name, in, out);
	switch (kind)
	{
		case REX_GQL_KIND_ENUM:
			if (!json_is_string(in))
				return coerce_fail(cs, cs->whole,
								   "Enum \"%s\" cannot represent non-string value: %s.",
								   name, jtext(cs, in));
			if (!cs->schema->enum_value(cs->schema->arg, name, json_string_value(in)))
				return coerce_fail(cs, cs->whole, "Value %s does not exist in \"%s\" enum.",
								   jtext(cs, in), name);
			*out = in;
			return REX_OK;
		case REX_GQL_KIND_INPUT_OBJECT:
			return coerce_object(cs, name, in, out);
		case REX_GQL_KIND_SCALAR:
			if (cs->schema->coerce_scalar == NULL)
			{
				*out = in;
				return REX_OK;
			}
			if (!cs->schema->coerce_scalar(cs->schema->arg, cs->ctx, name, in, out, &why))
			{
				if (cs->ctx->err.status != REX_OK)
					return cs->ctx->err.status;
				return coerce_fail(cs, cs->whole, "Expected type \"%s\". %s", name,
								   why ? why : "");
			}
			return REX_OK;
		default:
			return coerce_fail(cs, cs->whole, "Type \"%s\" is not an input type.", name);
	}
}

/* Input coercion of a JSON value to 'type' (section 3). */
static rex_status
coerce_json(coerce_state *cs, const rex_gql_type *type, json_t *in, json_t **out)
{
	json_t	   *arr;
	json_t	   *item;
	size_t		i;
	rex_status	st;

	if (cs->depth >= REX_GQL_MAX_JSON_DEPTH)
		return coerce_fail(cs, cs->whole, "The value is nested more than %d levels deep.",
						   REX_GQL_MAX_JSON_DEPTH);
	if (type->kind == REX_GQL_TYPE_NON_NULL)
	{
		if (json_is_null(in))
			return coerce_fail(cs, cs->whole,
							   "Expected non-nullable type \"%s\" not to be null.",
							   rex_gql_type_text(cs->ctx, type));
		type = type->of;
	}
	if (json_is_null(in))
	{
		*out = in;
		return REX_OK;
	}
	if (type->kind == REX_GQL_TYPE_LIST)
	{
		if (!json_is_array(in))
		{
			/* a single value stands for a list of one */
			st = coerce_json(cs, type->of, in, &item);
			if (st != REX_OK)
				return st;
			arr = own(cs, json_array());
			if (arr == NULL || json_array_append(arr, item) != 0)
				return rex_error_nomem(cs->ctx);
			*out = arr;
			return REX_OK;
		}
		arr = own(cs, json_array());
		if (arr == NULL)
			return REX_ERR_NOMEM;
		json_array_foreach(in, i, item)
		{
			json_t	   *c = NULL;

			if ((cs->path[cs->depth] = rex_psprintf(cs->ctx, "[%zu]", i)) == NULL)
				return REX_ERR_NOMEM;
			cs->depth++;
			st = coerce_json(cs, type->of, item, &c);
			cs->depth--;
			if (st != REX_OK)
				return st;
			if (json_array_append(arr, c) != 0)
				return rex_error_nomem(cs->ctx);
		}
		*out = arr;
		return REX_OK;
	}
	return coerce_named(cs, type->name, in, out);
}

rex_status
rex_gql_coerce_input(rex_ctx *ctx, const rex_gql_schema *schema, const rex_gql_type *type,
					 json_t *value, const char *prefix, rex_gql_loc loc, json_t **out,
					 rex_gql_errors *errs)
{
	coerce_state cs;

	memset(&cs, 0, sizeof(cs));
	cs.ctx = ctx;
	cs.schema = schema;
	cs.errs = errs;
	cs.prefix = prefix;
	cs.root = "value";
	cs.loc = loc;
	cs.whole = value;
	*out = NULL;
	return coerce_json(&cs, type, value, out);
}

/* ---------------------------------------------------------------- */
/* variables */

/* The status for a refused request. */
static rex_status
refused(rex_ctx *ctx)
{
	return ctx->err.status != REX_OK ? ctx->err.status : REX_ERR_DEFINITION;
}

rex_status
rex_gql_coerce_variables(rex_ctx *ctx, const rex_gql_schema *schema,
						 const rex_gql_operation *op, json_t *values, json_t **out,
						 rex_gql_errors *errs)
{
	json_t	   *coerced = rex_json_own(ctx, json_object());
	int			before = errs->count;
	int			i;

	*out = NULL;
	if (coerced == NULL)
		return REX_ERR_NOMEM;
	if (values && !json_is_object(values))
	{
		rex_gql_error_add(ctx, errs, NULL, NULL,
						  "Variables must be provided as a JSON object, not %s.",
						  json_is_array(values) ? "an array" : "a scalar");
		return refused(ctx);
	}
	for (i = 0; i < op->nvars; i++)
	{
		const rex_gql_variable_def *vd = &op->vars[i];
		json_t	   *given = values ? json_object_get(values, vd->name) : NULL;
		json_t	   *val = NULL;
		coerce_state cs;

		if (given == NULL && vd->default_value)
		{
			/* the default, as a literal of the variable's type */
			if (rex_gql_coerce_literal(ctx, schema, vd->type, vd->default_value, NULL,
									   &val, errs) != REX_OK)
			{
				if (ctx->err.status != REX_OK)
					return ctx->err.status;
				continue;
			}
		}
		else if (vd->type->kind == REX_GQL_TYPE_NON_NULL && (given == NULL || json_is_null(given)))
		{
			if (given == NULL)
				rex_gql_error_add(ctx, errs, &vd->loc, NULL,
								  "Variable \"$%s\" of required type \"%s\" was not provided.",
								  vd->name, rex_gql_type_text(ctx, vd->type));
			else
				rex_gql_error_add(ctx, errs, &vd->loc, NULL,
								  "Variable \"$%s\" of non-null type \"%s\" must not be null.",
								  vd->name, rex_gql_type_text(ctx, vd->type));
			if (ctx->err.status != REX_OK)
				return ctx->err.status;
			continue;
		}
		else if (given == NULL)
			continue;
		else
		{
			memset(&cs, 0, sizeof(cs));
			cs.ctx = ctx;
			cs.schema = schema;
			cs.errs = errs;
			cs.prefix = rex_psprintf(ctx, "Variable \"$%s\" got invalid value", vd->name);
			cs.root = vd->name;
			cs.loc = vd->loc;
			cs.whole = given;
			if (cs.prefix == NULL)
				return REX_ERR_NOMEM;
			if (schema == NULL &&
				!rex_gql_is_builtin_scalar(rex_gql_type_base(vd->type)))
			{
				rex_gql_error_add(ctx, errs, &vd->loc, NULL,
								  "Variable \"$%s\" expected value of type \"%s\" which cannot be used as an input type.",
								  vd->name, rex_gql_type_text(ctx, vd->type));
				continue;
			}
			if (coerce_json(&cs, vd->type, given, &val) != REX_OK)
			{
				if (ctx->err.status != REX_OK)
					return ctx->err.status;
				continue;
			}
		}
		if (val && json_object_set(coerced, vd->name, val) != 0)
			return rex_error_nomem(ctx);
	}
	if (ctx->err.status != REX_OK)
		return ctx->err.status;
	if (errs->count > before)
		return REX_ERR_DEFINITION;
	*out = coerced;
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* literals */

typedef struct literal_state
{
	rex_ctx    *ctx;
	const rex_gql_schema *schema;
	rex_gql_errors *errs;
	json_t	   *variables;
} literal_state;

static rex_status coerce_lit(literal_state *ls, const rex_gql_type *type,
							 const rex_gql_value *val, json_t **out);

/* Records "Expected value of type ..., found ...[; reason]" and fails. */
static rex_status
literal_fail(literal_state *ls, const rex_gql_type *type, const rex_gql_value *val,
			 const char *reason)
{
	if (type)
		rex_gql_error_add(ls->ctx, ls->errs, &val->loc, NULL,
						  "Expected value of type \"%s\", found %s%s%s",
						  rex_gql_type_text(ls->ctx, type),
						  rex_gql_value_text(ls->ctx, val),
						  reason ? "; " : ".", reason ? reason : "");
	else
		rex_gql_error_add(ls->ctx, ls->errs, &val->loc, NULL, "Invalid value %s%s%s",
						  rex_gql_value_text(ls->ctx, val),
						  reason ? "; " : ".", reason ? reason : "");
	return refused(ls->ctx);
}

/* The JSON of an Int literal: an integer, or a real when too large. */
static json_t *
int_literal_json(const char *text)
{
	long long	n;
	char	   *end;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno == 0 && *end == '\0')
		return json_integer((json_int_t) n);
	return json_real(strtod(text, NULL));
}

/* A literal without a type (custom scalars, unknown places). */
static rex_status
untyped_lit(literal_state *ls, const rex_gql_value *val, json_t **out)
{
	json_t	   *j = NULL;
	json_t	   *item;
	int			i;
	rex_status	st;

	switch (val->kind)
	{
		case REX_GQL_VARIABLE:
			item = ls->variables ? json_object_get(ls->variables, val->text) : NULL;
			j = item ? json_incref(item) : json_null();
			break;
		case REX_GQL_INT:
			j = int_literal_json(val->text);
			break;
		case REX_GQL_FLOAT:
			j = json_real(strtod(val->text, NULL));
			break;
		case REX_GQL_STRING:
		case REX_GQL_ENUM:
			j = json_stringn(val->text, val->len);
			break;
		case REX_GQL_BOOLEAN:
			j = json_boolean(val->boolean);
			break;
		case REX_GQL_NULL:
			j = json_null();
			break;
		case REX_GQL_LIST:
			j = rex_json_own(ls->ctx, json_array());
			if (j == NULL)
				return REX_ERR_NOMEM;
			for (i = 0; i < val->nitems; i++)
			{
				if ((st = untyped_lit(ls, val->items[i], &item)) != REX_OK)
					return st;
				if (json_array_append(j, item) != 0)
					return rex_error_nomem(ls->ctx);
			}
			*out = j;
			return REX_OK;
		case REX_GQL_OBJECT:
			j = rex_json_own(ls->ctx, json_object());
			if (j == NULL)
				return REX_ERR_NOMEM;
			for (i = 0; i < val->nfields; i++)
			{
				if ((st = untyped_lit(ls, val->fields[i].value, &item)) != REX_OK)
					return st;
				if (json_object_set(j, val->fields[i].name, item) != 0)
					return rex_error_nomem(ls->ctx);
			}
			*out = j;
			return REX_OK;
	}
	*out = rex_json_own(ls->ctx, j);
	return *out ? REX_OK : REX_ERR_NOMEM;
}

/* A built-in scalar literal. */
static rex_status
builtin_lit(literal_state *ls, const rex_gql_type *type, const char *name,
			const rex_gql_value *val, json_t **out)
{
	rex_gql_value_kind k = val->kind;
	json_t	   *j;

	if (strcmp(name, "Int") == 0)
	{
		long long	n;
		char	   *end;

		if (k != REX_GQL_INT)
			return literal_fail(ls, type, val, NULL);
		errno = 0;
		n = strtoll(val->text, &end, 10);
		if (errno != 0 || *end != '\0' || n < -2147483648LL || n > 2147483647LL)
			return literal_fail(ls, type, val,
								"Int cannot represent non 32-bit signed integer value.");
		j = json_integer((json_int_t) n);
	}
	else if (strcmp(name, "Float") == 0)
	{
		double		d;

		if (k != REX_GQL_INT && k != REX_GQL_FLOAT)
			return literal_fail(ls, type, val, NULL);
		d = strtod(val->text, NULL);
		if (!isfinite(d))
			return literal_fail(ls, type, val, "Float cannot represent this value.");
		j = json_real(d);
	}
	else if (strcmp(name, "String") == 0)
	{
		if (k != REX_GQL_STRING)
			return literal_fail(ls, type, val, NULL);
		j = json_stringn(val->text, val->len);
	}
	else if (strcmp(name, "Boolean") == 0)
	{
		if (k != REX_GQL_BOOLEAN)
			return literal_fail(ls, type, val, NULL);
		j = json_boolean(val->boolean);
	}
	else
	{
		if (k != REX_GQL_STRING && k != REX_GQL_INT)
			return literal_fail(ls, type, val, NULL);
		j = json_stringn(val->text, val->len);
	}
	*out = rex_json_own(ls->ctx, j);
	return *out ? REX_OK : REX_ERR_NOMEM;
}

/* An object literal of an input object type. */
static rex_status
object_lit(literal_state *ls, const rex_gql_type *type, const char *name,
		   const rex_gql_value *val, json_t **out)
{
	const rex_gql_input_def *defs = NULL;
	int			ndefs,
				i,
				j;
	json_t	   *obj;

	if (val->kind != REX_GQL_OBJECT)
		return literal_fail(ls, type, val, NULL);
	ndefs = ls->schema->input_fields(ls->schema->arg, name, &defs);
	for (i = 0; i < val->nfields; i++)
	{
		for (j = 0; j < ndefs; j++)
			if (strcmp(defs[j].name, val->fields[i].name) == 0)
				break;
		if (j == ndefs)
			return literal_fail(ls, type, val,
								rex_psprintf(ls->ctx, "Field \"%s\" is not defined by type \"%s\".",
											 val->fields[i].name, name));
	}
	obj = rex_json_own(ls->ctx, json_object());
	if (obj == NULL)
		return REX_ERR_NOMEM;
	for (j = 0; j < ndefs; j++)
	{
		const rex_gql_value *fv = NULL;
		json_t	   *c = NULL;
		rex_status	st;

		for (i = 0; i < val->nfields; i++)
			if (strcmp(defs[j].name, val->fields[i].name) == 0)
				fv = val->fields[i].value;
		if (fv)
		{
			st = coerce_lit(ls, defs[j].type, fv, &c);
			if (st != REX_OK)
				return st;
		}
		if (c == NULL)
		{
			/* absent, or a variable without a value */
			if (defs[j].default_value)
				c = (json_t *) defs[j].default_value;
			else if (defs[j].type->kind == REX_GQL_TYPE_NON_NULL)
				return literal_fail(ls, type, val,
									rex_psprintf(ls->ctx, "Field \"%s.%s\" of required type \"%s\" was not provided.",
												 name, defs[j].name,
												 rex_gql_type_text(ls->ctx, defs[j].type)));
			else
				continue;
		}
		if (json_object_set(obj, defs[j].name, c) != 0)
			return rex_error_nomem(ls->ctx);
	}
	*out = obj;
	return REX_OK;
}

/* A literal of a named type. */
static rex_status
named_lit(literal_state *ls, const rex_gql_type *type, const char *name,
		  const rex_gql_value *val, json_t **out)
{
	rex_gql_kind kind = rex_gql_kind_of(ls->schema, name);
	json_t	   *in;
	const char *why = NULL;
	rex_status	st;

	if (rex_gql_is_builtin_scalar(name))
		return builtin_lit(ls, type, name, val, out);
	switch (kind)
	{
		case REX_GQL_KIND_ENUM:
			if (val->kind != REX_GQL_ENUM ||
				!ls->schema->enum_value(ls->schema->arg, name, val->text))
				return literal_fail(ls, type, val, NULL);
			*out = rex_json_own(ls->ctx, json_string(val->text));
			return *out ? REX_OK : REX_ERR_NOMEM;
		case REX_GQL_KIND_INPUT_OBJECT:
			return object_lit(ls, type, name, val, out);
		case REX_GQL_KIND_SCALAR:
			if ((st = untyped_lit(ls, val, &in)) != REX_OK)
				return st;
			if (ls->schema->coerce_scalar == NULL)
			{
				*out = in;
				return REX_OK;
			}
			if (!ls->schema->coerce_scalar(ls->schema->arg, ls->ctx, name, in, out, &why))
			{
				if (ls->ctx->err.status != REX_OK)
					return ls->ctx->err.status;
				return literal_fail(ls, type, val, why);
			}
			return REX_OK;
		default:
			return literal_fail(ls, type, val, "The type is not an input type.");
	}
}

/*
 * valueFromAST: a literal as the JSON value of 'type' (NULL: untyped);
 * *out NULL when the literal is a variable without a value.
 */
static rex_status
coerce_lit(literal_state *ls, const rex_gql_type *type, const rex_gql_value *val,
		   json_t **out)
{
	const rex_gql_type *nullable;
	json_t	   *arr;
	json_t	   *item;
	int			i;
	rex_status	st;

	*out = NULL;
	if (val->kind == REX_GQL_VARIABLE)
	{
		item = ls->variables ? json_object_get(ls->variables, val->text) : NULL;
		if (item && type && type->kind == REX_GQL_TYPE_NON_NULL && json_is_null(item))
			return literal_fail(ls, type, val, "The variable is null.");
		*out = item;
		return REX_OK;
	}
	if (type == NULL)
		return untyped_lit(ls, val, out);
	nullable = type;
	if (type->kind == REX_GQL_TYPE_NON_NULL)
	{
		if (val->kind == REX_GQL_NULL)
			return literal_fail(ls, type, val, NULL);
		nullable = type->of;
	}
	if (val->kind == REX_GQL_NULL)
		return untyped_lit(ls, val, out);
	if (nullable->kind == REX_GQL_TYPE_LIST)
	{
		arr = rex_json_own(ls->ctx, json_array());
		if (arr == NULL)
			return REX_ERR_NOMEM;
		if (val->kind != REX_GQL_LIST)
		{
			if ((st = coerce_lit(ls, nullable->of, val, &item)) != REX_OK)
				return st;
			if (item == NULL)
				return REX_OK;	/* a lone variable without a value */
			if (json_array_append(arr, item) != 0)
				return rex_error_nomem(ls->ctx);
			*out = arr;
			return REX_OK;
		}
		for (i = 0; i < val->nitems; i++)
		{
			if ((st = coerce_lit(ls, nullable->of, val->items[i], &item)) != REX_OK)
				return st;
			if (item == NULL)
			{
				/* an item that is a variable without a value is null */
				if (nullable->of->kind == REX_GQL_TYPE_NON_NULL)
					return literal_fail(ls, type, val->items[i], "The variable has no value.");
				item = json_null();
			}
			if (json_array_append(arr, item) != 0)
				return rex_error_nomem(ls->ctx);
		}
		*out = arr;
		return REX_OK;
	}
	if (ls->schema == NULL && !rex_gql_is_builtin_scalar(nullable->name))
		return literal_fail(ls, type, val, "The type is not known.");
	return named_lit(ls, type, nullable->name, val, out);
}

rex_status
rex_gql_coerce_literal(rex_ctx *ctx, const rex_gql_schema *schema,
					   const rex_gql_type *type, const rex_gql_value *value,
					   json_t *variables, json_t **out, rex_gql_errors *errs)
{
	literal_state ls;

	ls.ctx = ctx;
	ls.schema = schema;
	ls.errs = errs;
	ls.variables = variables;
	return coerce_lit(&ls, type, value, out);
}

/* ---------------------------------------------------------------- */
/* arguments and directives */

rex_status
rex_gql_coerce_arguments(rex_ctx *ctx, const rex_gql_schema *schema,
						 const rex_gql_input_def *defs, int ndefs,
						 const rex_gql_argument *args, int nargs,
						 json_t *variables, rex_gql_loc loc, json_t **out,
						 rex_gql_errors *errs)
{
	json_t	   *obj = rex_json_own(ctx, json_object());
	int			before = errs->count;
	int			i,
				j;

	*out = NULL;
	if (obj == NULL)
		return REX_ERR_NOMEM;
	for (j = 0; j < ndefs; j++)
	{
		const rex_gql_input_def *d = &defs[j];
		const rex_gql_argument *a = NULL;
		json_t	   *val = NULL;
		bool		has_value = false;

		for (i = 0; i < nargs; i++)
			if (strcmp(args[i].name, d->name) == 0)
				a = &args[i];
		if (a && a->value->kind == REX_GQL_VARIABLE)
		{
			val = variables ? json_object_get(variables, a->value->text) : NULL;
			has_value = val != NULL;
		}
		else if (a)
			has_value = true;
		if (!has_value && d->default_value)
			val = (json_t *) d->default_value;
		else if (d->type->kind == REX_GQL_TYPE_NON_NULL &&
				 (!has_value || (val && json_is_null(val)) ||
				  (a && a->value->kind == REX_GQL_NULL)))
		{
			if (a == NULL)
				rex_gql_error_add(ctx, errs, &loc, NULL,
								  "Argument \"%s\" of required type \"%s\" was not provided.",
								  d->name, rex_gql_type_text(ctx, d->type));
			else if (a->value->kind == REX_GQL_VARIABLE && !has_value)
				rex_gql_error_add(ctx, errs, &a->loc, NULL,
								  "Argument \"%s\" of required type \"%s\" was provided the variable \"$%s\" which was not provided a runtime value.",
								  d->name, rex_gql_type_text(ctx, d->type), a->value->text);
			else
				rex_gql_error_add(ctx, errs, &a->loc, NULL,
								  "Argument \"%s\" of non-null type \"%s\" must not be null.",
								  d->name, rex_gql_type_text(ctx, d->type));
			continue;
		}
		else if (!has_value)
			continue;
		else if (a->value->kind != REX_GQL_VARIABLE)
		{
			if (rex_gql_coerce_literal(ctx, schema, d->type, a->value, variables, &val,
									   errs) != REX_OK)
			{
				if (ctx->err.status != REX_OK)
					return ctx->err.status;
				continue;
			}
			if (val == NULL)
				continue;
		}
		if (json_object_set(obj, d->name, val) != 0)
			return rex_error_nomem(ctx);
	}
	if (ctx->err.status != REX_OK)
		return ctx->err.status;
	if (errs->count > before)
		return REX_ERR_DEFINITION;
	*out = obj;
	return REX_OK;
}

/* The value of the "if" argument of one directive: -1 when not known. */
static int
if_value(const rex_gql_directive *d, json_t *variables)
{
	int			i;

	for (i = 0; i < d->nargs; i++)
	{
		const rex_gql_value *v = d->args[i].value;
		json_t	   *j;

		if (strcmp(d->args[i].name, "if") != 0)
			continue;
		if (v->kind == REX_GQL_BOOLEAN)
			return v->boolean ? 1 : 0;
		if (v->kind == REX_GQL_VARIABLE && variables)
		{
			j = json_object_get(variables, v->text);
			if (j && json_is_boolean(j))
				return json_is_true(j) ? 1 : 0;
		}
	}
	return -1;
}

bool
rex_gql_selection_included(const rex_gql_directive *dirs, int ndirs, json_t *variables)
{
	int			i;

	for (i = 0; i < ndirs; i++)
	{
		if (strcmp(dirs[i].name, "skip") == 0 && if_value(&dirs[i], variables) == 1)
			return false;
		if (strcmp(dirs[i].name, "include") == 0 && if_value(&dirs[i], variables) != 1)
			return false;
	}
	return true;
}
