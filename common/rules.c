/*
 * rules.c
 *		Validation rules of a column ("validate"): parsing, canonical JSON,
 *		constraint names and messages (see rules.h).
 *
 *	 "validate": {"required": true, "min_length": 1, "max_length": 80,
 *				  "min": 0, "max": 150, "pattern": "^[a-z]+$",
 *				  "format": "email", "enum": ["a", "b"], "custom": "is_even",
 *				  "messages": {"min_length": "Please enter a name."}}
 *
 * Which rules apply to which column types:
 *	 required							every type but id
 *	 min_length, max_length, pattern,	string, text
 *	 format
 *	 min, max							integer, bigint, float, decimal
 *	 enum								string, text, integer, bigint
 *	 custom								every type but id
 * A rule that cannot apply, or that contradicts another (min > max, a
 * max_length next to the column's own max_length), is refused with the
 * JSON path of the problem.
 */
#include "rules.h"
#include "ident.h"
#include "rex_dialect.h"
#include "values.h"

#include <stdio.h>
#include <string.h>

const char *const rex_rule_names[REX_RULE_COUNT] = {
	"required", "min_length", "max_length", "min", "max", "pattern", "format",
	"enum", "custom"
};

const char *const rex_format_names[REX_FORMAT_COUNT] = {
	"email", "uuid", "url", "date", "date-time"
};

#define RULE_KEYS_HINT "Accepted rules: required, min_length, max_length, " \
	"min, max, pattern, format, enum, custom, and \"messages\" to word them."
#define FORMAT_HINT "Accepted formats: email, uuid, url, date, date-time."

#define MAX_RULES 64

static bool
is_string_type(rex_type t)
{
	return t == REX_T_STRING || t == REX_T_TEXT;
}

static bool
is_number_type(rex_type t)
{
	return t == REX_T_INTEGER || t == REX_T_BIGINT || t == REX_T_FLOAT ||
		t == REX_T_DECIMAL;
}

/* True when rule 'kind' can apply to a column of type t. */
static bool
rule_applies(rex_rule_kind kind, rex_type t)
{
	switch (kind)
	{
		case REX_RULE_REQUIRED:
		case REX_RULE_CUSTOM:
			return t != REX_T_ID;
		case REX_RULE_MIN_LENGTH:
		case REX_RULE_MAX_LENGTH:
		case REX_RULE_PATTERN:
		case REX_RULE_FORMAT:
			return is_string_type(t);
		case REX_RULE_MIN:
		case REX_RULE_MAX:
			return is_number_type(t);
		case REX_RULE_ENUM:
			return is_string_type(t) || t == REX_T_INTEGER || t == REX_T_BIGINT;
	}
	return false;
}

static const char *
applies_hint(rex_rule_kind kind)
{
	switch (kind)
	{
		case REX_RULE_MIN_LENGTH:
		case REX_RULE_MAX_LENGTH:
		case REX_RULE_PATTERN:
		case REX_RULE_FORMAT:
			return "This rule applies to string and text columns.";
		case REX_RULE_MIN:
		case REX_RULE_MAX:
			return "This rule applies to integer, bigint, float and decimal columns.";
		case REX_RULE_ENUM:
			return "This rule applies to string, text, integer and bigint columns; "
				"an enum column lists its \"values\" instead.";
		default:
			return "An id column is generated; it takes no rules.";
	}
}

static rex_rule *
add_rule(defparse *dp, rex_column *c, rex_rule_kind kind)
{
	rex_rule   *r = &c->rules[c->nrules++];

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	(void) dp;
	return r;
}

/* min_length / max_length: an integer of characters. */
static rex_status
parse_length(defparse *dp, rex_column *c, rex_rule_kind kind, json_t *v,
			 const char *path)
{
	rex_rule   *r;

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		json_integer_value(v) > REX_MAX_VARCHAR)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
							"expected a number of characters from 0 to %d, got %s",
							REX_MAX_VARCHAR,
							json_is_integer(v) ? "a value out of range" : rex_def_json_kind(v));
	if (kind == REX_RULE_MAX_LENGTH && c->max_length)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path,
							"Keep one of them: the column's \"max_length\" already limits the length.",
							"the column has \"max_length\" %d already", c->max_length);
	r = add_rule(dp, c, kind);
	r->length = json_integer_value(v);
	return REX_OK;
}

/* min / max: a number. */
static rex_status
parse_number(defparse *dp, rex_column *c, rex_rule_kind kind, json_t *v,
			 const char *path)
{
	rex_rule   *r;

	if (!json_is_number(v))
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
							"expected a number, got %s", rex_def_json_kind(v));
	r = add_rule(dp, c, kind);
	r->number = json_incref(v);
	rex_ctx_own_json(dp->ctx, r->number);
	return REX_OK;
}

static rex_status
parse_pattern(defparse *dp, rex_column *c, json_t *v, const char *path)
{
	const char *why = NULL;
	const char *portable;
	rex_rule   *r;
	bool		dummy;

	if (!json_is_string(v) || json_string_length(v) == 0 ||
		json_string_length(v) != strlen(json_string_value(v)))
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
							"expected a regular expression as a non-empty string, got %s",
							rex_def_json_kind(v));
	portable = rex_regex_portable(dp->ctx, json_string_value(v), &why);
	if (portable == NULL)
		return dp->ctx->err.status ? dp->ctx->err.status :
			rex_def_fail(dp, REX_ERR_DEFINITION, path,
						 "Patterns use a portable subset of POSIX extended regular expressions: "
						 "literals, ., [...] classes, ^ $, ( ), (?: ), |, * + ? {n,m} (lazy forms too), "
						 "\\d \\w \\s and their negations, and \\ before punctuation.",
						 "unsupported regular expression \"%s\": %s",
						 rex_def_shown(dp, json_string_value(v)), why);
	/* compile it once now, so that a pattern PCRE2 refuses never gets in */
	if (rex_regex_match(dp->ctx, portable, "", &dummy) != REX_OK)
	{
		const char *msg = dp->ctx->err.message;

		rex_error_clear(dp->ctx);
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
							"invalid regular expression \"%s\": %s",
							rex_def_shown(dp, json_string_value(v)), msg);
	}
	r = add_rule(dp, c, REX_RULE_PATTERN);
	r->pattern = rex_strdup(dp->ctx, json_string_value(v));
	r->pattern_sql = portable;
	return REX_OK;
}

static rex_status
parse_format(defparse *dp, rex_column *c, json_t *v, const char *path)
{
	int			f;

	if (json_is_string(v))
		for (f = 0; f < REX_FORMAT_COUNT; f++)
			if (strcmp(json_string_value(v), rex_format_names[f]) == 0)
			{
				add_rule(dp, c, REX_RULE_FORMAT)->format = (rex_format) f;
				return REX_OK;
			}
	return rex_def_fail(dp, REX_ERR_DEFINITION, path, FORMAT_HINT,
						json_is_string(v) ? "unknown format \"%s\"" : "expected a format name, got %s",
						json_is_string(v) ? rex_def_shown(dp, json_string_value(v)) : rex_def_json_kind(v));
}

/* enum: non-empty array of distinct strings (string columns) or integers. */
static rex_status
parse_enum(defparse *dp, rex_column *c, json_t *v, const char *path)
{
	bool		strings = is_string_type(c->type);
	size_t		i,
				j;
	rex_rule   *r;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
							"expected a non-empty array of %s, got %s",
							strings ? "strings" : "integers",
							json_is_array(v) ? "an empty array" : rex_def_json_kind(v));
	for (i = 0; i < json_array_size(v); i++)
	{
		json_t	   *x = json_array_get(v, i);

		if (strings ? (!json_is_string(x) || json_string_length(x) != strlen(json_string_value(x)))
			: !json_is_integer(x))
			return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i), NULL,
								"expected %s, got %s", strings ? "a string" : "an integer",
								rex_def_json_kind(x));
		if (c->type == REX_T_INTEGER &&
			(json_integer_value(x) < INT32_MIN || json_integer_value(x) > INT32_MAX))
			return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i), NULL,
								"%" JSON_INTEGER_FORMAT " is out of range for an integer column",
								json_integer_value(x));
		for (j = 0; j < i; j++)
			if (json_equal(x, json_array_get(v, j)))
				return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i), NULL,
									"the value is listed twice");
	}
	r = add_rule(dp, c, REX_RULE_ENUM);
	r->values = json_incref(v);
	rex_ctx_own_json(dp->ctx, r->values);
	return REX_OK;
}

/* custom: a validator name or an array of names. */
static rex_status
parse_custom(defparse *dp, rex_column *c, json_t *v, const char *path)
{
	size_t		n = json_is_array(v) ? json_array_size(v) : 1;
	size_t		i;

	if (!json_is_string(v) && !(json_is_array(v) && n > 0))
		return rex_def_fail(dp, REX_ERR_DEFINITION, path,
							"Write {\"custom\": \"is_even\"} with a name given to register_validator().",
							"expected a validator name or an array of names, got %s",
							rex_def_json_kind(v));
	if (n > 16)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
							"at most 16 custom validators per column");
	for (i = 0; i < n; i++)
	{
		json_t	   *x = json_is_array(v) ? json_array_get(v, i) : v;
		const char *xpath = json_is_array(v) ? rex_def_path_index(dp, path, i) : path;
		const char *problem;
		int			k;

		if (!json_is_string(x))
			return rex_def_fail(dp, REX_ERR_DEFINITION, xpath, NULL,
								"expected a validator name, got %s", rex_def_json_kind(x));
		if ((problem = rex_ident_problem(json_string_value(x), REX_IDENT_ENTITY)) != NULL)
			return rex_def_fail(dp, REX_ERR_DEFINITION, xpath, rex_ident_rule(),
								"invalid validator name \"%s\": %s",
								rex_def_shown(dp, json_string_value(x)), problem);
		for (k = 0; k < c->nrules; k++)
			if (c->rules[k].kind == REX_RULE_CUSTOM &&
				strcmp(c->rules[k].validator, json_string_value(x)) == 0)
				return rex_def_fail(dp, REX_ERR_DEFINITION, xpath, NULL,
									"validator \"%s\" is listed twice", json_string_value(x));
		add_rule(dp, c, REX_RULE_CUSTOM)->validator = rex_strdup(dp->ctx, json_string_value(x));
	}
	return REX_OK;
}

/* Parses one rule "key": v of a column. */
static rex_status
parse_rule(defparse *dp, rex_column *c, rex_rule_kind kind, json_t *v,
		   const char *path)
{
	if (!rule_applies(kind, c->type))
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, applies_hint(kind),
							"rule \"%s\" does not apply to %s %s column", rex_rule_names[kind],
							strchr("aeiou", rex_type_names[c->type][0]) ? "an" : "a",
							rex_type_names[c->type]);
	switch (kind)
	{
		case REX_RULE_REQUIRED:
			if (!json_is_boolean(v))
				return rex_def_fail(dp, REX_ERR_DEFINITION, path, "Use true or false.",
									"expected a boolean, got %s", rex_def_json_kind(v));
			if (json_is_true(v))
				add_rule(dp, c, kind);
			return REX_OK;
		case REX_RULE_MIN_LENGTH:
		case REX_RULE_MAX_LENGTH:
			return parse_length(dp, c, kind, v, path);
		case REX_RULE_MIN:
		case REX_RULE_MAX:
			return parse_number(dp, c, kind, v, path);
		case REX_RULE_PATTERN:
			return parse_pattern(dp, c, v, path);
		case REX_RULE_FORMAT:
			return parse_format(dp, c, v, path);
		case REX_RULE_ENUM:
			return parse_enum(dp, c, v, path);
		case REX_RULE_CUSTOM:
			return parse_custom(dp, c, v, path);
	}
	return REX_OK;
}

static const rex_rule *
find_rule(const rex_column *c, rex_rule_kind kind)
{
	int			i;

	for (i = 0; i < c->nrules; i++)
		if (c->rules[i].kind == kind)
			return &c->rules[i];
	return NULL;
}

static double
number_of(const json_t *v)
{
	return json_number_value(v);
}

/* Refuses rules that contradict each other. */
static rex_status
check_consistency(defparse *dp, rex_column *c, const char *vpath)
{
	const rex_rule *lo = find_rule(c, REX_RULE_MIN_LENGTH);
	const rex_rule *hi = find_rule(c, REX_RULE_MAX_LENGTH);
	const rex_rule *mn = find_rule(c, REX_RULE_MIN);
	const rex_rule *mx = find_rule(c, REX_RULE_MAX);
	int64_t		limit = hi ? hi->length : c->max_length;

	if (lo && limit && lo->length > limit)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, vpath, "min_length"), NULL,
							"min_length (%lld) is greater than the maximum length (%lld): no value could pass",
							(long long) lo->length, (long long) limit);
	if (mn && mx && number_of(mn->number) > number_of(mx->number))
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, vpath, "min"), NULL,
							"min is greater than max: no value could pass");
	if (find_rule(c, REX_RULE_ENUM) && find_rule(c, REX_RULE_FORMAT))
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, vpath, "format"),
							"The values of \"enum\" are all there is to check.",
							"format and enum together make no sense");
	return REX_OK;
}

/* "messages": {"rule": "text"} for rules of this column. */
static rex_status
parse_messages(defparse *dp, rex_column *c, json_t *m, const char *path)
{
	const char **keys;
	size_t		nkeys,
				k;

	if (!json_is_object(m))
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
							"expected an object of messages by rule, got %s", rex_def_json_kind(m));
	keys = rex_def_sorted_keys(dp, m, &nkeys);
	if (keys == NULL)
		return rex_error_nomem(dp->ctx);
	for (k = 0; k < nkeys; k++)
	{
		const char *key = keys[k];
		json_t	   *v = json_object_get(m, key);
		const char *kpath = rex_def_path_join(dp, path, key);
		bool		found = false;
		int			i;

		if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 500)
			return rex_def_fail(dp, REX_ERR_DEFINITION, kpath, NULL,
								"expected a message of 1 to 500 bytes");
		for (i = 0; i < c->nrules; i++)
			if (strcmp(rex_rule_names[c->rules[i].kind], key) == 0)
			{
				c->rules[i].message = rex_strdup(dp->ctx, json_string_value(v));
				found = true;
			}
		if (!found)
			return rex_def_fail(dp, REX_ERR_DEFINITION, kpath,
								"Give messages for the rules of this column only.",
								"the column has no rule \"%s\"", rex_def_shown(dp, key));
	}
	return REX_OK;
}

rex_status
rex_rules_parse(defparse *dp, rex_column *c, json_t *validate, const char *cpath)
{
	const char *vpath = rex_def_path_join(dp, cpath, "validate");
	rex_status	st;
	int			k;

	c->rules = NULL;
	c->nrules = 0;
	if (validate == NULL)
		return REX_OK;
	if (!json_is_object(validate))
		return rex_def_fail(dp, REX_ERR_DEFINITION, vpath,
							"Write rules as {\"min_length\": 1, \"format\": \"email\"}.",
							"expected an object of rules, got %s", rex_def_json_kind(validate));
	c->rules = rex_alloc0(dp->ctx, sizeof(rex_rule) * MAX_RULES);
	if (c->rules == NULL)
		return rex_error_nomem(dp->ctx);
	{
		size_t		nkeys,
					j;
		const char **keys = rex_def_sorted_keys(dp, validate, &nkeys);

		if (keys == NULL)
			return rex_error_nomem(dp->ctx);
		for (j = 0; j < nkeys; j++)
		{
			const char *key = keys[j];

			for (k = 0; k < REX_RULE_COUNT; k++)
				if (strcmp(key, rex_rule_names[k]) == 0)
					break;
			if (k == REX_RULE_COUNT && strcmp(key, "messages") != 0)
				return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, vpath, key),
									RULE_KEYS_HINT, "unknown rule \"%s\"", rex_def_shown(dp, key));
		}
	}
	/* in kind order, so that the canonical form and the CHECKs are stable */
	for (k = 0; k < REX_RULE_COUNT; k++)
	{
		json_t	   *v = json_object_get(validate, rex_rule_names[k]);

		if (v && (st = parse_rule(dp, c, (rex_rule_kind) k, v,
								  rex_def_path_join(dp, vpath, rex_rule_names[k]))) != REX_OK)
			return st;
	}
	if ((st = check_consistency(dp, c, vpath)) != REX_OK)
		return st;
	if (json_object_get(validate, "messages"))
		return parse_messages(dp, c, json_object_get(validate, "messages"),
							  rex_def_path_join(dp, vpath, "messages"));
	return REX_OK;
}

json_t *
rex_rules_json(const rex_column *c)
{
	json_t	   *o;
	json_t	   *msgs;
	json_t	   *custom = NULL;
	int			i,
				ncustom = 0;

	if (c->nrules == 0)
		return NULL;
	o = json_object();
	msgs = json_object();
	for (i = 0; i < c->nrules; i++)
		if (c->rules[i].kind == REX_RULE_CUSTOM)
			ncustom++;
	if (ncustom > 1)
		custom = json_array();
	for (i = 0; o && msgs && i < c->nrules; i++)
	{
		const rex_rule *r = &c->rules[i];
		const char *key = rex_rule_names[r->kind];

		switch (r->kind)
		{
			case REX_RULE_REQUIRED:
				json_object_set_new(o, key, json_true());
				break;
			case REX_RULE_MIN_LENGTH:
			case REX_RULE_MAX_LENGTH:
				json_object_set_new(o, key, json_integer(r->length));
				break;
			case REX_RULE_MIN:
			case REX_RULE_MAX:
				json_object_set(o, key, r->number);
				break;
			case REX_RULE_PATTERN:
				json_object_set_new(o, key, json_string(r->pattern));
				break;
			case REX_RULE_FORMAT:
				json_object_set_new(o, key, json_string(rex_format_names[r->format]));
				break;
			case REX_RULE_ENUM:
				json_object_set(o, key, r->values);
				break;
			case REX_RULE_CUSTOM:
				if (custom)
					json_array_append_new(custom, json_string(r->validator));
				else
					json_object_set_new(o, key, json_string(r->validator));
				break;
		}
		if (r->message)
			json_object_set_new(msgs, key, json_string(r->message));
	}
	if (custom)
		json_object_set_new(o, "custom", custom);
	if (json_object_size(msgs))
		json_object_set(o, "messages", msgs);
	json_decref(msgs);
	return o;
}

const char *
rex_rule_constraint_name(rex_ctx *ctx, const char *table, const rex_column *c,
						 const rex_rule *r)
{
	const char *suffix = r->kind == REX_RULE_CUSTOM ?
		rex_psprintf(ctx, "custom_%s", r->validator) : rex_rule_names[r->kind];
	const char *full = suffix ? rex_psprintf(ctx, "%s_%s_%s", table, c->name, suffix) : NULL;

	return full ? rex_name_fit(ctx, full) : NULL;
}

/* A JSON number as text for messages: 150, 0.5. */
static const char *
number_text(rex_ctx *ctx, const json_t *v)
{
	if (json_is_integer(v))
		return rex_psprintf(ctx, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return rex_psprintf(ctx, "%.15g", json_real_value(v));
}

/* "admin, member" */
static const char *
values_text(rex_ctx *ctx, const json_t *values)
{
	rex_buf		b;
	size_t		i;

	rex_buf_init(&b, ctx);
	for (i = 0; i < json_array_size(values); i++)
	{
		json_t	   *x = json_array_get(values, i);

		if (i)
			rex_buf_append(&b, ", ");
		if (json_is_string(x))
			rex_buf_append(&b, json_string_value(x));
		else
			rex_buf_append(&b, number_text(ctx, x));
	}
	return b.data;
}

static const char *
format_message(rex_format f)
{
	switch (f)
	{
		case REX_FORMAT_EMAIL:
			return "must be an email address such as name@example.com";
		case REX_FORMAT_UUID:
			return "must be a UUID such as 123e4567-e89b-12d3-a456-426614174000";
		case REX_FORMAT_URL:
			return "must be an http or https URL such as https://example.com/page";
		case REX_FORMAT_DATE:
			return "must be a date such as 2026-01-31";
		case REX_FORMAT_DATE_TIME:
			return "must be a date and time such as 2026-01-31T12:00:00Z";
	}
	return "has the wrong format";
}

const char *
rex_rule_message(rex_ctx *ctx, const rex_column *c, const rex_rule *r)
{
	(void) c;
	if (r->message)
		return r->message;
	switch (r->kind)
	{
		case REX_RULE_REQUIRED:
			return "is required";
		case REX_RULE_MIN_LENGTH:
			return rex_psprintf(ctx, "must be at least %lld character%s long",
								(long long) r->length, r->length == 1 ? "" : "s");
		case REX_RULE_MAX_LENGTH:
			return rex_psprintf(ctx, "must be at most %lld character%s long",
								(long long) r->length, r->length == 1 ? "" : "s");
		case REX_RULE_MIN:
			return rex_psprintf(ctx, "must be at least %s", number_text(ctx, r->number));
		case REX_RULE_MAX:
			return rex_psprintf(ctx, "must be at most %s", number_text(ctx, r->number));
		case REX_RULE_PATTERN:
			return rex_psprintf(ctx, "must match the pattern %s", r->pattern);
		case REX_RULE_FORMAT:
			return format_message(r->format);
		case REX_RULE_ENUM:
			return rex_psprintf(ctx, "must be one of: %s", values_text(ctx, r->values));
		case REX_RULE_CUSTOM:
			return rex_psprintf(ctx, "is not valid (validator \"%s\")", r->validator);
	}
	return "is not valid";
}

rex_status
rex_violation(rex_ctx *ctx, json_t *out, const char *path, const char *rule,
			  const char *message)
{
	json_t	   *o = json_object();

	if (o == NULL || message == NULL)
		return rex_error_nomem(ctx);
	json_object_set_new(o, "path", json_string(path));
	json_object_set_new(o, "rule", json_string(rule));
	json_object_set_new(o, "message", json_string(message));
	json_array_append_new(out, o);
	return REX_OK;
}
