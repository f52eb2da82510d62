/*
 * rules_check.c
 *		Checking one JSON value against its column's type and rules, in C
 *		(rex_rules_check_value, see rules.h).
 *
 * The type check comes first and speaks for the JSON a client sends:
 * integers as JSON integers, decimals as strings (or numbers), timestamps
 * as UTC ISO-8601 text, bytes as base64.  When the type is wrong the
 * column's rules are not checked (their messages would not make sense).
 * Custom validators need the engine; validate.c runs them.
 */
#include "rules.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A violation of rule "type" (or of the type's own limit) for column c. */
static rex_status
type_violation(rex_ctx *ctx, json_t *out, const rex_column *c, const char *rule,
			   const char *message)
{
	return rex_violation(ctx, out, c->name, rule, message);
}

/* Message for a wrong JSON type or form; NULL when the value fits. */
static const char *
type_problem(rex_ctx *ctx, const rex_column *c, json_t *v, const char **rule)
{
	char		buf[37];
	const char *why = NULL;

	*rule = "type";
	switch (c->type)
	{
		case REX_T_ID:
		case REX_T_BIGINT:
			return json_is_integer(v) ? NULL : "must be a whole number";
		case REX_T_INTEGER:
			if (json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
				json_integer_value(v) <= INT32_MAX)
				return NULL;
			return "must be a whole number from -2147483648 to 2147483647";
		case REX_T_FLOAT:
			return json_is_number(v) ? NULL : "must be a number";
		case REX_T_UUID:
			if (json_is_string(v) && rex_uuid_canonical(json_string_value(v), buf))
				return NULL;
			return "must be a UUID such as 123e4567-e89b-12d3-a456-426614174000";
		case REX_T_STRING:
		case REX_T_TEXT:
			if (!json_is_string(v))
				return "must be a string";
			if (c->max_length && rex_utf8_length(json_string_value(v)) > (size_t) c->max_length)
			{
				*rule = "max_length";
				return rex_psprintf(ctx, "must be at most %d character%s long",
									c->max_length, c->max_length == 1 ? "" : "s");
			}
			return NULL;
		case REX_T_DECIMAL:
			{
				char		num[64];
				const char *s = NULL;

				if (json_is_string(v))
					s = json_string_value(v);
				else if (json_is_integer(v))
				{
					snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
					s = num;
				}
				else if (json_is_real(v))
				{
					snprintf(num, sizeof(num), "%.15g", json_real_value(v));
					s = num;
				}
				if (s == NULL)
					return "must be a decimal number such as \"12.50\"";
				if (rex_decimal_canonical(ctx, s, c->precision, c->scale, &why) == NULL)
					return rex_psprintf(ctx, "must be a decimal number such as \"12.50\" (%s)",
										why ? why : "not a decimal");
				return NULL;
			}
		case REX_T_BOOLEAN:
			return json_is_boolean(v) ? NULL : "must be true or false";
		case REX_T_TIMESTAMP:
			{
				char		ts[25];

				if (json_is_string(v) && rex_timestamp_canonical(json_string_value(v), ts))
					return NULL;
				return "must be a UTC date and time such as 2026-01-31T12:00:00Z";
			}
		case REX_T_DATE:
			if (json_is_string(v) && rex_date_valid(json_string_value(v)))
				return NULL;
			return "must be a date such as 2026-01-31";
		case REX_T_JSON:
			return NULL;
		case REX_T_BYTES:
			if (json_is_string(v) && rex_base64_decoded_length(json_string_value(v)) >= 0)
				return NULL;
			return "must be base64 text";
		case REX_T_ENUM:
			{
				int			i;

				if (json_is_string(v))
					for (i = 0; i < c->n_enum_values; i++)
						if (strcmp(json_string_value(v), c->enum_values[i]) == 0)
							return NULL;
				*rule = "enum";
				{
					rex_buf		b;

					rex_buf_init(&b, ctx);
					rex_buf_append(&b, "must be one of: ");
					for (i = 0; i < c->n_enum_values; i++)
					{
						if (i)
							rex_buf_append(&b, ", ");
						rex_buf_append(&b, c->enum_values[i]);
					}
					return b.data;
				}
			}
	}
	return NULL;
}

/* The value of a number column as a double (decimals come as text). */
static double
numeric_value(const json_t *v)
{
	if (json_is_string(v))
		return strtod(json_string_value(v), NULL);
	return json_number_value(v);
}

/* Compares a JSON number value with a rule's number: <0, 0, >0. */
static int
compare_number(const json_t *v, const json_t *limit)
{
	if (json_is_integer(v) && json_is_integer(limit))
	{
		json_int_t	a = json_integer_value(v),
					b = json_integer_value(limit);

		return a < b ? -1 : a > b;
	}
	{
		double		a = numeric_value(v),
					b = json_number_value(limit);

		return a < b ? -1 : a > b;
	}
}

/* True when value v passes rule r (custom rules always pass here). */
static rex_status
rule_passes(rex_ctx *ctx, const rex_column *c, const rex_rule *r, json_t *v, bool *ok)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	size_t		i;

	*ok = true;
	switch (r->kind)
	{
		case REX_RULE_REQUIRED:
			*ok = !(s && *s == '\0' && (c->type == REX_T_STRING || c->type == REX_T_TEXT));
			break;
		case REX_RULE_MIN_LENGTH:
			*ok = rex_utf8_length(s) >= (size_t) r->length;
			break;
		case REX_RULE_MAX_LENGTH:
			*ok = rex_utf8_length(s) <= (size_t) r->length;
			break;
		case REX_RULE_MIN:
			*ok = compare_number(v, r->number) >= 0;
			break;
		case REX_RULE_MAX:
			*ok = compare_number(v, r->number) <= 0;
			break;
		case REX_RULE_PATTERN:
			return rex_regex_match(ctx, r->pattern_sql, s, ok);
		case REX_RULE_FORMAT:
			*ok = rex_format_valid(r->format, s);
			break;
		case REX_RULE_ENUM:
			*ok = false;
			for (i = 0; i < json_array_size(r->values); i++)
				if (json_equal(v, json_array_get(r->values, i)))
					*ok = true;
			break;
		case REX_RULE_CUSTOM:
			break;
	}
	return REX_OK;
}

/* True when column c needs a value in an inserted row. */
static bool
column_needs_value(const rex_column *c)
{
	return !c->nullable && c->default_kind == REX_DEFAULT_NONE;
}

rex_status
rex_rules_check_value(rex_ctx *ctx, const rex_entity *e, const rex_column *c,
					  json_t *value, json_t *out)
{
	const char *rule;
	const char *problem;
	rex_status	st;
	int			i;

	(void) e;
	if (value == NULL && c->default_kind != REX_DEFAULT_NONE)
		return REX_OK;			/* the database fills it in */
	if (value == NULL || json_is_null(value))
	{
		const rex_rule *req = NULL;

		for (i = 0; i < c->nrules; i++)
			if (c->rules[i].kind == REX_RULE_REQUIRED)
				req = &c->rules[i];
		if (req)
			return type_violation(ctx, out, c, "required", rex_rule_message(ctx, c, req));
		if (value == NULL ? column_needs_value(c) : (!c->nullable && c->type != REX_T_ID))
			return type_violation(ctx, out, c, "required", "is required");
		return REX_OK;
	}
	if ((problem = type_problem(ctx, c, value, &rule)) != NULL)
		return type_violation(ctx, out, c, rule, problem);
	for (i = 0; i < c->nrules; i++)
	{
		bool		ok;

		if ((st = rule_passes(ctx, c, &c->rules[i], value, &ok)) != REX_OK)
			return st;
		if (!ok && (st = type_violation(ctx, out, c, rex_rule_names[c->rules[i].kind],
										rex_rule_message(ctx, c, &c->rules[i]))) != REX_OK)
			return st;
	}
	return REX_OK;
}
