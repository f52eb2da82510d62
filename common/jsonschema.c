/*
 * jsonschema.c
 *		JSON Schema (draft 2020-12) of the entities: json_schema().
 *
 * SQL function (both engines, the same JSON value):
 *	 json_schema(entity text default null) -> json
 *
 * For each entity three schemas, under $defs with the names GraphQL and
 * TypeScript use:
 *	 User             a row as rex answers it: every column present;
 *	                  relations as optional properties ($ref to the row
 *	                  schema of the related entity, an array for lists)
 *	 UserCreateInput  what validate() accepts: the same verdict for the
 *	                  same object (required = the columns validate()
 *	                  requires: no default, not nullable or "required")
 *	 UserUpdateInput  a patch: every column but the key, none required
 * With an entity name, the document is that entity's ("$ref" to its row)
 * with its three schemas and the row schemas its relations reach; without
 * one, every entity's three schemas.
 *
 * Types and rules become keywords (type, minimum, maximum, minLength,
 * maxLength, enum, format, pattern); where a keyword alone would accept
 * more than validate() does, a pattern says exactly what validate()
 * accepts (schemagen.h): timestamps, dates, uuids, base64, decimals and
 * their bounds, the formats.  Rule patterns are rewritten for ECMA-262.
 * What JSON Schema cannot say is written in "$comment": custom validators
 * (the database checks them).
 */
#include "rex_api.h"
#include "rules.h"
#include "schemagen.h"

#include <string.h>

#define SCHEMA_DIALECT "https://json-schema.org/draft/2020-12/schema"

typedef enum variant
{
	V_ROW,
	V_CREATE,
	V_UPDATE
} variant;

/* Keywords being gathered for one value. */
typedef struct kw
{
	const char *type;
	const char *format;
	const char *encoding;
	long		min_length;		/* -1: none */
	long		max_length;
	json_t	   *minimum;		/* borrowed */
	json_t	   *maximum;
	json_t	   *enumeration;	/* borrowed array */
	const char *patterns[8];
	int			npatterns;
} kw;

static void
kw_init(kw *k, const char *type)
{
	memset(k, 0, sizeof(*k));
	k->type = type;
	k->min_length = -1;
	k->max_length = -1;
}

static void
kw_pattern(kw *k, const char *p)
{
	if (p && k->npatterns < 8)
		k->patterns[k->npatterns++] = p;
}

/* Keeps the stricter of two lower (or upper) bounds. */
static json_t *
stricter(json_t *cur, json_t *n, bool lower)
{
	if (cur == NULL)
		return n;
	if (lower)
		return json_number_value(n) > json_number_value(cur) ? n : cur;
	return json_number_value(n) < json_number_value(cur) ? n : cur;
}

/* The JSON object of gathered keywords. */
static json_t *
kw_json(rex_ctx *ctx, const kw *k)
{
	json_t	   *o = json_object();
	int			i;

	(void) ctx;
	if (o == NULL)
		return NULL;
	if (k->type)
		json_object_set_new(o, "type", json_string(k->type));
	if (k->enumeration)
		json_object_set(o, "enum", k->enumeration);
	if (k->format)
		json_object_set_new(o, "format", json_string(k->format));
	if (k->encoding)
		json_object_set_new(o, "contentEncoding", json_string(k->encoding));
	if (k->min_length >= 0)
		json_object_set_new(o, "minLength", json_integer(k->min_length));
	if (k->max_length >= 0)
		json_object_set_new(o, "maxLength", json_integer(k->max_length));
	if (k->minimum)
		json_object_set(o, "minimum", k->minimum);
	if (k->maximum)
		json_object_set(o, "maximum", k->maximum);
	if (k->npatterns)
		json_object_set_new(o, "pattern", json_string(k->patterns[0]));
	if (k->npatterns > 1)
	{
		json_t	   *all = json_array();

		for (i = 1; i < k->npatterns; i++)
		{
			json_t	   *p = json_object();

			json_object_set_new(p, "pattern", json_string(k->patterns[i]));
			json_array_append_new(all, p);
		}
		json_object_set_new(o, "allOf", all);
	}
	return o;
}

static bool
has_rule(const rex_column *c, rex_rule_kind kind)
{
	int			i;

	for (i = 0; i < c->nrules; i++)
		if (c->rules[i].kind == kind)
			return true;
	return false;
}

/* May the value be null in this variant (what validate() lets through)? */
static bool
allows_null(const rex_column *c, variant v)
{
	if (v == V_CREATE && c->type == REX_T_ID)
		return true;			/* null asks for a generated id */
	return c->nullable && !has_rule(c, REX_RULE_REQUIRED);
}

/* A JSON integer owned by ctx. */
static json_t *
own_int(rex_ctx *ctx, json_int_t v)
{
	return rex_json_own(ctx, json_integer(v));
}

/* Integer bounds of a decimal(p, s) written as a JSON integer. */
static void
decimal_int_bounds(rex_ctx *ctx, const rex_column *c, kw *k)
{
	json_int_t	m = 0;
	int			i;

	if (c->precision == 0 || c->precision - c->scale > 18)
		return;
	for (i = 0; i < c->precision - c->scale; i++)
		m = m * 10 + 9;
	k->minimum = own_int(ctx, -m);
	k->maximum = own_int(ctx, m);
}

/* The rules of c that apply to strings, into k. */
static void
string_rules(rex_ctx *ctx, const rex_column *c, kw *k, json_t *comment)
{
	int			i;

	for (i = 0; i < c->nrules; i++)
	{
		const rex_rule *r = &c->rules[i];

		switch (r->kind)
		{
			case REX_RULE_REQUIRED:
				if (k->min_length < 1)
					k->min_length = 1;
				break;
			case REX_RULE_MIN_LENGTH:
				if (r->length > k->min_length)
					k->min_length = (long) r->length;
				break;
			case REX_RULE_MAX_LENGTH:
				if (k->max_length < 0 || r->length < k->max_length)
					k->max_length = (long) r->length;
				break;
			case REX_RULE_PATTERN:
				kw_pattern(k, rex_regex_ecma(ctx, r->pattern_sql));
				break;
			case REX_RULE_FORMAT:
				switch (r->format)
				{
					case REX_FORMAT_EMAIL:
						k->format = "email";
						kw_pattern(k, rex_re_email);
						kw_pattern(k, rex_re_email_local);
						if (k->max_length < 0 || k->max_length > 254)
							k->max_length = 254;
						break;
					case REX_FORMAT_UUID:
						k->format = "uuid";
						kw_pattern(k, rex_re_uuid);
						break;
					case REX_FORMAT_URL:
						/* rex's url is looser than RFC 3986's uri: no format */
						kw_pattern(k, rex_re_url);
						break;
					case REX_FORMAT_DATE:
						k->format = "date";
						kw_pattern(k, rex_re_date);
						break;
					case REX_FORMAT_DATE_TIME:
						k->format = "date-time";
						kw_pattern(k, rex_re_date_time);
						break;
				}
				break;
			case REX_RULE_ENUM:
				k->enumeration = r->values;
				break;
			case REX_RULE_CUSTOM:
				json_array_append_new(comment, json_string(r->validator));
				break;
			default:
				break;
		}
	}
}

/* The rules of c that apply to numbers (and enum, custom), into k. */
static void
number_rules(const rex_column *c, kw *k, json_t *comment)
{
	int			i;

	for (i = 0; i < c->nrules; i++)
	{
		const rex_rule *r = &c->rules[i];

		if (r->kind == REX_RULE_MIN)
			k->minimum = stricter(k->minimum, r->number, true);
		else if (r->kind == REX_RULE_MAX)
			k->maximum = stricter(k->maximum, r->number, false);
		else if (r->kind == REX_RULE_ENUM)
			k->enumeration = r->values;
		else if (r->kind == REX_RULE_CUSTOM)
			json_array_append_new(comment, json_string(r->validator));
	}
}

/* A decimal: a string of the right shape, or a JSON integer in range. */
static json_t *
decimal_schema(rex_ctx *ctx, const rex_column *c, json_t *comment)
{
	kw			s,
				n;
	json_t	   *any;
	int			i;

	kw_init(&s, "string");
	kw_init(&n, "integer");
	kw_pattern(&s, rex_decimal_regex(ctx, c->precision, c->scale));
	decimal_int_bounds(ctx, c, &n);
	number_rules(c, &n, comment);
	for (i = 0; i < c->nrules; i++)
		if (c->rules[i].kind == REX_RULE_MIN || c->rules[i].kind == REX_RULE_MAX)
			kw_pattern(&s, rex_decimal_bound_regex(ctx, c->rules[i].number,
												   c->rules[i].kind == REX_RULE_MIN));
	any = json_array();
	json_array_append_new(any, kw_json(ctx, &s));
	json_array_append_new(any, kw_json(ctx, &n));
	return any;
}

/* The schema of one column's value in a variant. */
static json_t *
column_schema(rex_ctx *ctx, const rex_column *c, variant v)
{
	kw			k;
	json_t	   *o = NULL;
	json_t	   *comment = rex_json_own(ctx, json_array());
	bool		null_ok = allows_null(c, v);

	if (comment == NULL)
		return NULL;
	switch (c->type)
	{
		case REX_T_ID:
		case REX_T_BIGINT:
			kw_init(&k, "integer");
			number_rules(c, &k, comment);
			break;
		case REX_T_INTEGER:
			kw_init(&k, "integer");
			k.minimum = own_int(ctx, INT32_MIN);
			k.maximum = own_int(ctx, INT32_MAX);
			number_rules(c, &k, comment);
			break;
		case REX_T_FLOAT:
			kw_init(&k, "number");
			number_rules(c, &k, comment);
			break;
		case REX_T_DECIMAL:
			kw_init(&k, NULL);
			break;
		case REX_T_UUID:
			kw_init(&k, "string");
			k.format = "uuid";
			kw_pattern(&k, rex_re_uuid);
			string_rules(ctx, c, &k, comment);
			break;
		case REX_T_STRING:
		case REX_T_TEXT:
			kw_init(&k, "string");
			if (c->max_length)
				k.max_length = c->max_length;
			string_rules(ctx, c, &k, comment);
			break;
		case REX_T_BOOLEAN:
			kw_init(&k, "boolean");
			string_rules(ctx, c, &k, comment);
			break;
		case REX_T_TIMESTAMP:
			kw_init(&k, "string");
			k.format = "date-time";
			kw_pattern(&k, rex_re_timestamp);
			string_rules(ctx, c, &k, comment);
			break;
		case REX_T_DATE:
			kw_init(&k, "string");
			k.format = "date";
			kw_pattern(&k, rex_re_date);
			string_rules(ctx, c, &k, comment);
			break;
		case REX_T_JSON:
			kw_init(&k, NULL);
			string_rules(ctx, c, &k, comment);
			break;
		case REX_T_BYTES:
			kw_init(&k, "string");
			k.encoding = "base64";
			kw_pattern(&k, rex_re_base64);
			string_rules(ctx, c, &k, comment);
			break;
		case REX_T_ENUM:
			kw_init(&k, "string");
			k.enumeration = rex_json_own(ctx, json_array());
			{
				int			i;

				for (i = 0; k.enumeration && i < c->n_enum_values; i++)
					json_array_append_new(k.enumeration, json_string(c->enum_values[i]));
			}
			string_rules(ctx, c, &k, comment);
			break;
	}
	if (c->type == REX_T_DECIMAL)
	{
		json_t	   *any = decimal_schema(ctx, c, comment);

		o = json_object();
		if (null_ok)
		{
			json_t	   *n = json_object();

			json_object_set_new(n, "type", json_string("null"));
			json_array_append_new(any, n);
		}
		json_object_set_new(o, "anyOf", any);
	}
	else
	{
		if (k.enumeration && k.type && strcmp(k.type, "string") == 0 && c->type == REX_T_ENUM)
			k.type = NULL;		/* the values say it */
		if (k.enumeration && null_ok && k.type == NULL)
		{
			json_t	   *copy = json_copy(k.enumeration);

			json_array_append_new(copy, json_null());
			k.enumeration = rex_json_own(ctx, copy);
			null_ok = false;
		}
		o = kw_json(ctx, &k);
		if (o && k.type && null_ok)
		{
			/* anyOf rather than "type": [t, "null"]: ajv's strict mode
			 * warns about union types */
			json_t	   *any = json_array();
			json_t	   *n = json_object();

			json_object_set_new(n, "type", json_string("null"));
			json_array_append_new(any, o);
			json_array_append_new(any, n);
			o = json_object();
			json_object_set_new(o, "anyOf", any);
		}
		else if (o && k.type == NULL && !null_ok && !k.enumeration)
		{
			json_t	   *nn = json_object();

			json_object_set_new(nn, "type", json_string("null"));
			json_object_set_new(o, "not", nn);
		}
	}
	if (o == NULL)
	{
		rex_error_nomem(ctx);
		return NULL;
	}
	rex_ctx_own_json(ctx, o);
	if (c->description)
		json_object_set_new(o, "description", json_string(c->description));
	if (c->default_kind == REX_DEFAULT_VALUE && v != V_UPDATE)
		json_object_set(o, "default", c->default_value);
	if (json_array_size(comment))
	{
		rex_buf		b;
		size_t		i;

		rex_buf_init(&b, ctx);
		rex_buf_append(&b, "checked by the database only: custom validator");
		if (json_array_size(comment) > 1)
			rex_buf_append_char(&b, 's');
		for (i = 0; i < json_array_size(comment); i++)
			rex_buf_printf(&b, "%s %s", i ? "," : "", json_string_value(json_array_get(comment, i)));
		json_object_set_new(o, "$comment", json_string(b.data));
	}
	return o;
}

static bool
in_key(const rex_entity *e, const rex_column *c)
{
	int			i;

	for (i = 0; i < e->npk; i++)
		if (strcmp(e->primary_key[i], c->name) == 0)
			return true;
	return false;
}

/* True when a new row needs a value for c (what validate() requires). */
static bool
create_needs(const rex_column *c)
{
	return c->default_kind == REX_DEFAULT_NONE && c->type != REX_T_ID &&
		(!c->nullable || has_rule(c, REX_RULE_REQUIRED));
}

static json_t *
ref_to(rex_ctx *ctx, const char *entity)
{
	json_t	   *o = json_object();

	json_object_set_new(o, "$ref", json_string(rex_psprintf(ctx, "#/$defs/%s",
															rex_gql_pascal(ctx, entity))));
	return o;
}

/* The schema of a relation's value in a row. */
static json_t *
relation_schema(rex_ctx *ctx, const rex_entity *e, const rex_relation *r)
{
	json_t	   *o;

	if (r->kind == REX_REL_HAS_MANY || r->kind == REX_REL_MANY_TO_MANY)
	{
		o = json_object();
		json_object_set_new(o, "type", json_string("array"));
		json_object_set_new(o, "items", ref_to(ctx, r->entity));
	}
	else
	{
		const rex_column *fk = rex_entity_column(e, r->foreign_key);

		if (r->kind == REX_REL_BELONGS_TO && fk && !allows_null(fk, V_ROW))
			o = ref_to(ctx, r->entity);
		else
		{
			json_t	   *any = json_array();
			json_t	   *n = json_object();

			json_object_set_new(n, "type", json_string("null"));
			json_array_append_new(any, ref_to(ctx, r->entity));
			json_array_append_new(any, n);
			o = json_object();
			json_object_set_new(o, "anyOf", any);
		}
	}
	if (o && r->description)
		json_object_set_new(o, "description", json_string(r->description));
	return o;
}

/* One of the three schemas of entity e. */
static json_t *
entity_schema(rex_ctx *ctx, const rex_schema *s, const rex_entity *e, variant v,
			  const char *title)
{
	json_t	   *o = rex_json_own(ctx, json_object());
	json_t	   *props = json_object();
	json_t	   *req = json_array();
	int			i;

	if (o == NULL || props == NULL || req == NULL)
		return NULL;
	json_object_set_new(o, "title", json_string(title));
	if (e->description)
		json_object_set_new(o, "description", json_string(e->description));
	json_object_set_new(o, "type", json_string("object"));
	for (i = 0; i < e->ncolumns; i++)
	{
		const rex_column *c = &e->columns[i];
		json_t	   *cs;

		if (v == V_UPDATE && in_key(e, c))
			continue;
		if ((cs = column_schema(ctx, c, v)) == NULL)
			return NULL;
		json_object_set(props, c->name, cs);
		if (v == V_ROW || (v == V_CREATE && create_needs(c)))
			json_array_append_new(req, json_string(c->name));
	}
	if (v == V_ROW)
		for (i = 0; i < e->nrelations; i++)
			if (rex_schema_entity(s, e->relations[i].entity))
				json_object_set_new(props, e->relations[i].name,
									relation_schema(ctx, e, &e->relations[i]));
	json_object_set_new(o, "properties", props);
	json_object_set_new(o, "required", req);
	json_object_set_new(o, "additionalProperties", json_false());
	return o;
}

/* Adds e's three schemas (or its row only) to defs. */
static rex_status
add_entity(rex_ctx *ctx, const rex_schema *s, const rex_entity *e, json_t *defs, bool all)
{
	rex_gql_names nm;
	json_t	   *row,
			   *cr = NULL,
			   *up = NULL;
	rex_status	st;

	if ((st = rex_gql_entity_names(ctx, e->name, e->plural, &nm)) != REX_OK)
		return st;
	if ((row = entity_schema(ctx, s, e, V_ROW, nm.type)) == NULL ||
		(all && ((cr = entity_schema(ctx, s, e, V_CREATE, nm.create_input)) == NULL ||
				 (up = entity_schema(ctx, s, e, V_UPDATE, nm.update_input)) == NULL)))
		return ctx->err.status ? ctx->err.status : rex_error_nomem(ctx);
	json_object_set(defs, nm.type, row);
	if (all)
	{
		json_object_set(defs, nm.create_input, cr);
		json_object_set(defs, nm.update_input, up);
	}
	return REX_OK;
}

/* e's schemas and the rows its relations reach, transitively. */
static rex_status
add_reachable(rex_ctx *ctx, const rex_schema *s, const rex_entity *e, json_t *defs)
{
	const rex_entity **queue = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) (s->n + 1));
	bool	   *seen = rex_alloc0(ctx, sizeof(bool) * (size_t) (s->n + 1));
	int			head = 0,
				tail = 0,
				i,
				k;
	rex_status	st;

	if (queue == NULL || seen == NULL)
		return ctx->err.status;
	queue[tail++] = e;
	for (i = 0; i < s->n; i++)
		seen[i] = s->entities[i] == e;
	while (head < tail)
	{
		const rex_entity *x = queue[head++];

		for (k = 0; k < x->nrelations; k++)
			for (i = 0; i < s->n; i++)
				if (!seen[i] && strcmp(s->entities[i]->name, x->relations[k].entity) == 0)
				{
					seen[i] = true;
					queue[tail++] = s->entities[i];
				}
	}
	if ((st = add_entity(ctx, s, e, defs, true)) != REX_OK)
		return st;
	/* the others by name, as in the catalog */
	for (i = 0; i < s->n; i++)
		if (seen[i] && s->entities[i] != e &&
			(st = add_entity(ctx, s, s->entities[i], defs, false)) != REX_OK)
			return st;
	return REX_OK;
}

rex_status
rex_api_json_schema(rex_ctx *ctx, const char *entity, const char **out)
{
	rex_schema	s;
	json_t	   *doc = rex_json_own(ctx, json_object());
	json_t	   *defs = json_object();
	rex_status	st;
	int			i;

	if (doc == NULL || defs == NULL)
		return rex_error_nomem(ctx);
	if ((st = rex_schema_load(ctx, &s)) != REX_OK)
		return st;
	json_object_set_new(doc, "$schema", json_string(SCHEMA_DIALECT));
	if (entity)
	{
		rex_entity *e = rex_schema_entity(&s, entity);

		if (e == NULL)
		{
			json_decref(defs);
			rex_error_set(ctx, REX_ERR_NOT_FOUND, "entity \"%s\" does not exist",
						  rex_shorten(ctx, entity, 64));
			rex_error_hint(ctx, "Define it first with define_entity(); entities() lists the "
						   "defined ones, and json_schema() without a name gives them all.");
			return REX_ERR_NOT_FOUND;
		}
		json_object_set_new(doc, "$id", json_string(rex_psprintf(ctx, "urn:rex-orm:entity:%s", entity)));
		json_object_set_new(doc, "$ref", json_string(rex_psprintf(ctx, "#/$defs/%s",
																  rex_gql_pascal(ctx, entity))));
		st = add_reachable(ctx, &s, e, defs);
	}
	else
	{
		json_object_set_new(doc, "$id", json_string("urn:rex-orm:schema"));
		for (i = 0; i < s.n && st == REX_OK; i++)
			st = add_entity(ctx, &s, s.entities[i], defs, true);
	}
	json_object_set_new(doc, "$defs", defs);
	if (st != REX_OK)
		return st;
	*out = rex_json_text(ctx, doc, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}
