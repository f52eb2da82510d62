/*
 * definition.c
 *		Parsing, validating and canonicalising entity definitions.
 *
 * rex_definition_parse() turns definition JSON into a rex_entity and its
 * canonical JSON, or refuses it whole with an error that names the entity,
 * the JSON path of the problem ("columns.email.type") and, in the hint,
 * what is accepted.  Nothing here touches a database.
 *
 * Canonical form: every attribute with its effective value (nullable and
 * unique always present, primary_key and indexes always present, generated
 * index names filled in), keys sorted when dumped.  Parsing a canonical
 * definition gives the same canonical definition again.
 *
 * Column order: when "columns" is an array, its order; when it is an
 * object, primary-key columns first (in key order) and then the others by
 * name.  PostgreSQL's jsonb does not keep the order of object keys, so
 * this rule is what makes both engines create the same table.
 */
#include "changes.h"
#include "defparse.h"
#include "relations.h"
#include "rex_buf.h"
#include "rules.h"
#include "values.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const rex_type_names[REX_T_COUNT] = {
	"id", "uuid", "string", "text", "integer", "bigint", "float", "decimal",
	"boolean", "timestamp", "date", "json", "bytes", "enum"
};

#define TYPE_HINT "Accepted types: id, uuid, string, text, integer, bigint, " \
	"float, decimal, boolean, timestamp, date, json, bytes, enum."
#define TOP_KEYS_HINT "Accepted keys: changes, columns, description, indexes, " \
	"plural, primary_key, relations, table."
#define COLUMN_KEYS_HINT "Accepted keys: type, nullable, default, unique, " \
	"primary_key, max_length (string), precision and scale (decimal), " \
	"values (enum), description, validate, renamed_from."
#define INDEX_KEYS_HINT "Accepted keys: columns, unique, name."

/* Keys that later versions of rex_orm accept; refused as not supported. */

#define MAX_INDEX_COLUMNS 32	/* PostgreSQL's INDEX_MAX_KEYS */
#define MAX_VALUE_IN_MESSAGE REX_DEF_MAX_SHOWN

static int
type_from_name(const char *s)
{
	int			t;

	for (t = 0; t < REX_T_COUNT; t++)
		if (strcmp(s, rex_type_names[t]) == 0)
			return t;
	return -1;
}

/* ---------------------------------------------------------------- */
/* defaults */

/* Canonical default for a string-like column. */
static rex_status
default_string(defparse *dp, rex_column *c, json_t *v, const char *path)
{
	const char *s = json_string_value(v);

	if (c->type == REX_T_STRING && c->max_length > 0 &&
		rex_utf8_length(s) > (size_t) c->max_length)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
						"the default is longer than max_length (%d characters)",
						c->max_length);
	if (c->type == REX_T_ENUM)
	{
		int			i;

		for (i = 0; i < c->n_enum_values; i++)
			if (strcmp(s, c->enum_values[i]) == 0)
				break;
		if (i == c->n_enum_values)
			return rex_def_fail(dp, REX_ERR_DEFINITION, path,
							"The default must be one of \"values\".",
							"\"%s\" is not one of the enum values", rex_def_shown(dp, s));
	}
	c->default_value = json_incref(v);
	rex_ctx_own_json(dp->ctx, c->default_value);
	return REX_OK;
}

/* Sets a canonical string default built from 's'. */
static rex_status
default_set_string(defparse *dp, rex_column *c, const char *s)
{
	c->default_value = json_string(s);
	if (c->default_value == NULL)
		return rex_error_nomem(dp->ctx);
	rex_ctx_own_json(dp->ctx, c->default_value);
	return REX_OK;
}

/* Validates "default" against the column's type; fills default_*. */
static rex_status
parse_default(defparse *dp, rex_column *c, json_t *v, const char *cpath)
{
	const char *path = rex_def_path_join(dp, cpath, "default");
	const char *want = NULL;

	c->default_kind = REX_DEFAULT_NONE;
	if (v == NULL || json_is_null(v))
		return REX_OK;
	c->default_kind = REX_DEFAULT_VALUE;
	switch (c->type)
	{
		case REX_T_ID:
			return rex_def_fail(dp, REX_ERR_DEFINITION, path,
							"Remove \"default\": id values are generated.",
							"an id column cannot have a default");
		case REX_T_UUID:
			{
				char		u[37];

				if (!json_is_string(v) || !rex_uuid_canonical(json_string_value(v), u))
				{
					want = "a UUID string such as \"123e4567-e89b-12d3-a456-426614174000\"";
					break;
				}
				return default_set_string(dp, c, u);
			}
		case REX_T_STRING:
		case REX_T_TEXT:
		case REX_T_ENUM:
			if (!json_is_string(v))
			{
				want = "a string";
				break;
			}
			return default_string(dp, c, v, path);
		case REX_T_INTEGER:
			if (!json_is_integer(v) || json_integer_value(v) < INT32_MIN ||
				json_integer_value(v) > INT32_MAX)
			{
				want = "an integer from -2147483648 to 2147483647";
				break;
			}
			c->default_value = json_incref(v);
			break;
		case REX_T_BIGINT:
			if (!json_is_integer(v))
			{
				want = "an integer";
				break;
			}
			c->default_value = json_incref(v);
			break;
		case REX_T_FLOAT:
			if (!json_is_number(v))
			{
				want = "a number";
				break;
			}
			c->default_value = json_real(json_number_value(v));
			break;
		case REX_T_DECIMAL:
			{
				const char *why = NULL;
				char	   *canon;
				char		num[64];

				if (json_is_integer(v))
				{
					snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
					canon = rex_decimal_canonical(dp->ctx, num, c->precision, c->scale, &why);
				}
				else if (json_is_string(v))
					canon = rex_decimal_canonical(dp->ctx, json_string_value(v),
												  c->precision, c->scale, &why);
				else
				{
					want = "a decimal written as a string such as \"12.50\", or an integer";
					break;
				}
				if (canon == NULL)
					return rex_def_fail(dp, REX_ERR_DEFINITION, path,
									"Write the decimal as a string such as \"12.50\".",
									"invalid decimal default: %s", why);
				return default_set_string(dp, c, canon);
			}
		case REX_T_BOOLEAN:
			if (!json_is_boolean(v))
			{
				want = "true or false";
				break;
			}
			c->default_value = json_incref(v);
			break;
		case REX_T_TIMESTAMP:
			{
				char		ts[25];

				if (json_is_string(v) && strcmp(json_string_value(v), "now") == 0)
				{
					c->default_kind = REX_DEFAULT_NOW;
					return REX_OK;
				}
				if (!json_is_string(v) || !rex_timestamp_canonical(json_string_value(v), ts))
				{
					want = "\"now\" or a UTC timestamp such as \"2026-01-31T12:00:00Z\"";
					break;
				}
				return default_set_string(dp, c, ts);
			}
		case REX_T_DATE:
			if (json_is_string(v) && strcmp(json_string_value(v), "now") == 0)
			{
				c->default_kind = REX_DEFAULT_NOW;
				return REX_OK;
			}
			if (!json_is_string(v) || !rex_date_valid(json_string_value(v)))
			{
				want = "\"now\" or a date such as \"2026-01-31\"";
				break;
			}
			return default_string(dp, c, v, path);
		case REX_T_JSON:
			c->default_value = json_incref(v);
			break;
		case REX_T_BYTES:
			if (!json_is_string(v) || rex_base64_decoded_length(json_string_value(v)) < 0)
			{
				want = "a base64 string";
				break;
			}
			return default_string(dp, c, v, path);
	}
	if (want)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
						"%s %s column needs %s as default, got %s",
						(c->type != REX_T_UUID && strchr("aeiou", rex_type_names[c->type][0])) ? "an" : "a",
						rex_type_names[c->type], want, rex_def_json_kind(v));
	if (c->default_value == NULL)
		return rex_error_nomem(dp->ctx);
	rex_ctx_own_json(dp->ctx, c->default_value);
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* columns */

static const char *const column_keys[] = {
	"type", "nullable", "default", "unique", "primary_key", "max_length",
	"precision", "scale", "values", "description", "validate", "renamed_from", NULL
};

/* Reads "values" of an enum column. */
static rex_status
parse_enum_values(defparse *dp, rex_column *c, json_t *col, const char *cpath)
{
	json_t	   *vals = json_object_get(col, "values");
	const char *path = rex_def_path_join(dp, cpath, "values");
	size_t		i,
				j;

	if (vals == NULL)
		return rex_def_fail(dp, REX_ERR_DEFINITION, cpath,
						"Add \"values\": [\"a\", \"b\"].",
						"an enum column needs \"values\"");
	if (!json_is_array(vals) || json_array_size(vals) == 0)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
						"expected a non-empty array of strings, got %s",
						json_is_array(vals) ? "an empty array" : rex_def_json_kind(vals));
	c->n_enum_values = (int) json_array_size(vals);
	c->enum_values = rex_alloc(dp->ctx, sizeof(char *) * json_array_size(vals));
	if (c->enum_values == NULL)
		return rex_error_nomem(dp->ctx);
	for (i = 0; i < json_array_size(vals); i++)
	{
		json_t	   *v = json_array_get(vals, i);
		const char *s;

		if (!json_is_string(v) || json_string_length(v) == 0 ||
			json_string_length(v) > 255)
			return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i), NULL,
							"expected a string of 1 to 255 bytes, got %s",
							json_is_string(v) ? "a string of another length" : rex_def_json_kind(v));
		s = json_string_value(v);
		for (j = 0; j < i; j++)
			if (strcmp(s, c->enum_values[j]) == 0)
				return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_index(dp, path, i), NULL,
								"duplicate enum value \"%s\"", rex_def_shown(dp, s));
		c->enum_values[i] = rex_strdup(dp->ctx, s);
	}
	return REX_OK;
}

/* Type-specific options: max_length, precision/scale, values. */
static rex_status
parse_type_options(defparse *dp, rex_column *c, json_t *col, const char *cpath)
{
	bool		has_len,
				has_prec,
				has_scale;
	rex_status	st;

	if ((st = rex_def_get_int(dp, col, "max_length", cpath, 1, REX_MAX_VARCHAR,
					  &c->max_length, &has_len)) != REX_OK)
		return st;
	if (has_len && c->type != REX_T_STRING)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, cpath, "max_length"),
						"Use max_length with type \"string\".",
						"max_length does not apply to type \"%s\"", rex_type_names[c->type]);
	if ((st = rex_def_get_int(dp, col, "precision", cpath, 1, REX_MAX_NUMERIC_PRECISION,
					  &c->precision, &has_prec)) != REX_OK)
		return st;
	if ((st = rex_def_get_int(dp, col, "scale", cpath, 0, REX_MAX_NUMERIC_PRECISION,
					  &c->scale, &has_scale)) != REX_OK)
		return st;
	if ((has_prec || has_scale) && c->type != REX_T_DECIMAL)
		return rex_def_fail(dp, REX_ERR_DEFINITION,
						rex_def_path_join(dp, cpath, has_prec ? "precision" : "scale"),
						"Use precision and scale with type \"decimal\".",
						"%s does not apply to type \"%s\"",
						has_prec ? "precision" : "scale", rex_type_names[c->type]);
	if (has_scale && !has_prec)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, cpath, "scale"),
						"Give \"precision\" too, e.g. {\"precision\": 10, \"scale\": 2}.",
						"scale needs precision");
	if (has_prec && c->scale > c->precision)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, cpath, "scale"), NULL,
						"scale (%d) is greater than precision (%d)", c->scale, c->precision);
	if (c->type == REX_T_ENUM)
		return parse_enum_values(dp, c, col, cpath);
	if (json_object_get(col, "values"))
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, cpath, "values"),
						"Use values with type \"enum\".",
						"values does not apply to type \"%s\"", rex_type_names[c->type]);
	return REX_OK;
}

/* Parses one column definition 'col' named 'name' into 'c'. */
rex_status
rex_def_parse_column(defparse *dp, rex_column *c, const char *name, json_t *col,
			 const char *cpath, bool *col_pk)
{
	rex_status	st;
	json_t	   *type;
	int			t;
	bool		nullable_given;

	if ((st = rex_def_check_ident(dp, cpath, name, REX_IDENT_COLUMN)) != REX_OK)
		return st;
	if (!json_is_object(col))
		return rex_def_fail(dp, REX_ERR_DEFINITION, cpath,
						"Write a column as {\"type\": \"string\"}.",
						"expected an object, got %s", rex_def_json_kind(col));
	if ((st = rex_def_check_keys(dp, col, cpath, column_keys, NULL,
						 COLUMN_KEYS_HINT)) != REX_OK)
		return st;
	c->name = rex_strdup(dp->ctx, name);
	type = json_object_get(col, "type");
	if (type == NULL)
		return rex_def_fail(dp, REX_ERR_DEFINITION, cpath, TYPE_HINT,
						"the column has no \"type\"");
	if (!json_is_string(type) || (t = type_from_name(json_string_value(type))) < 0)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, cpath, "type"), TYPE_HINT,
						json_is_string(type) ? "unknown type \"%s\"" : "expected a type name, got %s",
						json_is_string(type) ? rex_def_shown(dp, json_string_value(type)) : rex_def_json_kind(type));
	c->type = (rex_type) t;
	nullable_given = json_object_get(col, "nullable") != NULL;
	if ((st = rex_def_get_bool(dp, col, "nullable", cpath, true, &c->nullable)) != REX_OK ||
		(st = rex_def_get_bool(dp, col, "unique", cpath, false, &c->unique)) != REX_OK ||
		(st = rex_def_get_bool(dp, col, "primary_key", cpath, false, col_pk)) != REX_OK ||
		(st = rex_def_get_string(dp, col, "description", cpath, &c->description)) != REX_OK ||
		(st = rex_def_get_string(dp, col, "renamed_from", cpath, &c->renamed_from)) != REX_OK ||
		(st = parse_type_options(dp, c, col, cpath)) != REX_OK ||
		(st = rex_rules_parse(dp, c, json_object_get(col, "validate"), cpath)) != REX_OK)
		return st;
	if (c->renamed_from &&
		(st = rex_def_check_ident(dp, rex_def_path_join(dp, cpath, "renamed_from"),
								  c->renamed_from, REX_IDENT_COLUMN)) != REX_OK)
		return st;
	if (c->type == REX_T_ID)
	{
		if (nullable_given && c->nullable)
			return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, cpath, "nullable"),
							"Remove \"nullable\": an id column is the primary key.",
							"an id column cannot be nullable");
		c->nullable = false;
		/* "default": null means no default, which an id has anyway */
		if (json_object_get(col, "default") && !json_is_null(json_object_get(col, "default")))
			return parse_default(dp, c, json_object_get(col, "default"), cpath);
		c->default_kind = REX_DEFAULT_GENERATED;
		return REX_OK;
	}
	return parse_default(dp, c, json_object_get(col, "default"), cpath);
}

/* Sorts column pointers by name for the object form. */
static int
cmp_column_name(const void *a, const void *b)
{
	return strcmp(((const rex_column *) a)->name, ((const rex_column *) b)->name);
}

/*
 * Checks "renamed_from": it names a column that is no longer in the
 * definition (renaming a to b while keeping a is ambiguous), and no two
 * columns claim the same old name.  Whether the old column exists is
 * known only when planning against the applied definition (diff.c).
 */
static rex_status
check_renames(defparse *dp, const rex_entity *e)
{
	int			i,
				j;

	for (i = 0; i < e->ncolumns; i++)
	{
		const char *old = e->columns[i].renamed_from;
		const char *path;

		if (old == NULL)
			continue;
		path = rex_def_path_join(dp, rex_def_path_join(dp, "columns", e->columns[i].name),
								 "renamed_from");
		for (j = 0; j < e->ncolumns; j++)
		{
			if (rex_ident_equal(old, e->columns[j].name))
				return rex_def_fail(dp, REX_ERR_DEFINITION, path,
									"\"renamed_from\" names the column's previous name, which the definition no longer has.",
									"column \"%s\" is still in the definition", e->columns[j].name);
			if (j < i && e->columns[j].renamed_from &&
				rex_ident_equal(old, e->columns[j].renamed_from))
				return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
									"column \"%s\" is already renamed from \"%s\"",
									e->columns[j].name, old);
		}
	}
	return REX_OK;
}

/* Reads "columns" (object or array) into e->columns. */
static rex_status
parse_columns(defparse *dp, json_t *def, bool **col_pk_out)
{
	json_t	   *cols = json_object_get(def, "columns");
	rex_entity *e = dp->e;
	bool	   *col_pk;
	size_t		n,
				i;
	int			j;
	rex_status	st;

	if (cols == NULL)
		return rex_def_fail(dp, REX_ERR_DEFINITION, "", "Add \"columns\": {\"id\": {\"type\": \"id\"}, ...}.",
						"the definition has no \"columns\"");
	if (!json_is_object(cols) && !json_is_array(cols))
		return rex_def_fail(dp, REX_ERR_DEFINITION, "columns", NULL,
						"expected an object of columns, got %s", rex_def_json_kind(cols));
	n = json_is_object(cols) ? json_object_size(cols) : json_array_size(cols);
	if (n == 0)
		return rex_def_fail(dp, REX_ERR_DEFINITION, "columns", NULL,
						"an entity needs at least one column");
	if (n > 1600)				/* PostgreSQL's MaxHeapAttributeNumber */
		return rex_def_fail(dp, REX_ERR_DEFINITION, "columns", NULL,
						"an entity can have at most 1600 columns");
	e->columns = rex_alloc0(dp->ctx, sizeof(rex_column) * n);
	col_pk = rex_alloc0(dp->ctx, sizeof(bool) * n);
	if (e->columns == NULL || col_pk == NULL)
		return rex_error_nomem(dp->ctx);
	e->columns_as_array = json_is_array(cols);
	if (json_is_object(cols))
	{
		size_t		nkeys;
		const char **keys = rex_def_sorted_keys(dp, cols, &nkeys);

		if (keys == NULL)
			return rex_error_nomem(dp->ctx);
		for (i = 0; i < nkeys; i++)
			if ((st = rex_def_parse_column(dp, &e->columns[i], keys[i], json_object_get(cols, keys[i]),
										   rex_def_path_join(dp, "columns", keys[i]), &col_pk[i])) != REX_OK)
				return st;
	}
	else
	{
		for (i = 0; i < n; i++)
		{
			json_t	   *v = json_array_get(cols, i);
			json_t	   *nm = json_is_object(v) ? json_object_get(v, "name") : NULL;
			json_t	   *copy;
			const char *path = rex_def_path_index(dp, "columns", i);

			if (nm == NULL || !json_is_string(nm))
				return rex_def_fail(dp, REX_ERR_DEFINITION, path,
								"Write each column as {\"name\": \"email\", \"type\": \"string\"}.",
								"expected a column object with a \"name\" string");
			copy = rex_ctx_own_json(dp->ctx, json_copy(v));
			if (copy == NULL)
				return rex_error_nomem(dp->ctx);
			json_object_del(copy, "name");
			if ((st = rex_def_parse_column(dp, &e->columns[i], json_string_value(nm), copy,
								   path, &col_pk[i])) != REX_OK)
				return st;
		}
	}
	e->ncolumns = (int) n;
	for (i = 0; i < n; i++)
		for (j = 0; j < (int) i; j++)
			if (rex_ident_equal(e->columns[i].name, e->columns[j].name))
				return rex_def_fail(dp, REX_ERR_DEFINITION,
								rex_def_path_join(dp, "columns", e->columns[i].name),
								"Column names are compared without regard to case.",
								"duplicate column \"%s\"", e->columns[i].name);
	if ((st = check_renames(dp, e)) != REX_OK)
		return st;
	*col_pk_out = col_pk;
	return REX_OK;
}

static rex_column *
find_column(rex_entity *e, const char *name)
{
	int			i;

	for (i = 0; i < e->ncolumns; i++)
		if (strcmp(e->columns[i].name, name) == 0)
			return &e->columns[i];
	return NULL;
}

const rex_column *
rex_entity_column(const rex_entity *e, const char *name)
{
	return find_column((rex_entity *) e, name);
}

/* Reads a list of column names (string or array) at 'path'. */
static rex_status
parse_column_list(defparse *dp, json_t *v, const char *path, int max,
				  const char ***out, int *nout)
{
	size_t		n,
				i;
	int			j;
	const char **names;

	if (json_is_string(v))
		n = 1;
	else if (json_is_array(v))
		n = json_array_size(v);
	else
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
						"expected a column name or an array of column names, got %s",
						rex_def_json_kind(v));
	if (n == 0 || n > (size_t) max)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
						"expected 1 to %d column names", max);
	names = rex_alloc(dp->ctx, sizeof(char *) * n);
	if (names == NULL)
		return rex_error_nomem(dp->ctx);
	for (i = 0; i < n; i++)
	{
		json_t	   *s = json_is_string(v) ? v : json_array_get(v, i);
		const char *ipath = json_is_string(v) ? path : rex_def_path_index(dp, path, i);

		if (!json_is_string(s))
			return rex_def_fail(dp, REX_ERR_DEFINITION, ipath, NULL,
							"expected a column name, got %s", rex_def_json_kind(s));
		if (find_column(dp->e, json_string_value(s)) == NULL)
			return rex_def_fail(dp, REX_ERR_DEFINITION, ipath, NULL,
							"unknown column \"%s\"", rex_def_shown(dp, json_string_value(s)));
		names[i] = find_column(dp->e, json_string_value(s))->name;
		for (j = 0; j < (int) i; j++)
			if (strcmp(names[j], names[i]) == 0)
				return rex_def_fail(dp, REX_ERR_DEFINITION, ipath, NULL,
								"column \"%s\" is listed twice", names[i]);
	}
	*out = names;
	*nout = (int) n;
	return REX_OK;
}

/*
 * PostgreSQL's makeObjectName(): name1_name2_label, the longer of the two
 * names cut until the whole fits in 63 bytes.
 */
static const char *
pg_object_name(rex_ctx *ctx, const char *name1, const char *name2, const char *label)
{
	size_t		n1 = strlen(name1);
	size_t		n2 = name2 ? strlen(name2) : 0;
	size_t		overhead = strlen(label) + 1 + (name2 ? 1 : 0);

	while (n1 + n2 + overhead > REX_MAX_IDENT)
	{
		if (n1 >= n2)
			n1--;
		else
			n2--;
	}
	if (name2)
		return rex_psprintf(ctx, "%.*s_%.*s_%s", (int) n1, name1, (int) n2, name2, label);
	return rex_psprintf(ctx, "%.*s_%s", (int) n1, name1, label);
}

const char **
rex_entity_relation_names(rex_ctx *ctx, const rex_entity *e, int *n)
{
	const char **names = rex_alloc(ctx, sizeof(char *) * (size_t) (e->nindexes + e->ncolumns + 2));
	int			i,
				k = 0;

	*n = 0;
	if (names == NULL)
		return NULL;
	names[k++] = e->table;
	names[k++] = pg_object_name(ctx, e->table, NULL, "pkey");
	for (i = 0; i < e->ncolumns; i++)
		if (e->columns[i].type == REX_T_ID)
			names[k++] = pg_object_name(ctx, e->table, e->columns[i].name, "seq");
	for (i = 0; i < e->nindexes; i++)
		names[k++] = e->indexes[i].name;
	for (i = 0; i < k; i++)
		if (names[i] == NULL)
			return NULL;
	*n = k;
	return names;
}

/* How many of e's indexes come from columns' "unique" (they come first). */
static int
n_from_column(const rex_entity *e)
{
	int			i,
				n = 0;

	for (i = 0; i < e->nindexes; i++)
		if (e->indexes[i].from_column)
			n++;
	return n;
}

/* Refuses an index whose name the entity's own table or key already takes. */
static rex_status
check_index_names(defparse *dp)
{
	rex_entity *e = dp->e;
	const char **names;
	int			n,
				i,
				k;

	if ((names = rex_entity_relation_names(dp->ctx, e, &n)) == NULL)
		return rex_error_nomem(dp->ctx);
	for (i = 0; i < e->nindexes; i++)
		for (k = 0; k < n - e->nindexes; k++)
			if (rex_ident_equal(e->indexes[i].name, names[k]))
				return rex_def_fail(dp, REX_ERR_DEFINITION,
									e->indexes[i].from_column ?
									rex_def_path_join(dp, rex_def_path_join(dp, "columns", e->indexes[i].columns[0]), "unique") :
									rex_def_path_join(dp, rex_def_path_index(dp, "indexes", (size_t) (i - n_from_column(e))), "name"),
									"Tables, indexes and sequences share one namespace; give the index another \"name\".",
									"index name \"%s\" is taken by the table, its primary key or its sequence",
									e->indexes[i].name);
	return REX_OK;
}

/* Types that cannot be (part of) a primary key. */
static bool
type_keyable(rex_type t)
{
	return t != REX_T_FLOAT && t != REX_T_JSON && t != REX_T_BYTES &&
		t != REX_T_BOOLEAN;
}

/* Works out the primary key from "primary_key", column flags and id. */
static rex_status
parse_primary_key(defparse *dp, json_t *def, const bool *col_pk)
{
	rex_entity *e = dp->e;
	json_t	   *pk = json_object_get(def, "primary_key");
	const rex_column *id_col = NULL;
	int			n_col_pk = 0;
	int			i;
	rex_status	st;

	for (i = 0; i < e->ncolumns; i++)
	{
		if (e->columns[i].type == REX_T_ID)
		{
			if (id_col)
				return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, "columns", e->columns[i].name),
								"Use \"bigint\" for columns that refer to an id.",
								"an entity can have only one id column (\"%s\" is one already)",
								id_col->name);
			id_col = &e->columns[i];
		}
		if (col_pk[i])
			n_col_pk++;
	}
	if (pk && n_col_pk)
		return rex_def_fail(dp, REX_ERR_DEFINITION, "primary_key",
						"Use either the top-level \"primary_key\" or one column's \"primary_key\": true.",
						"the primary key is given twice");
	if (n_col_pk > 1)
		return rex_def_fail(dp, REX_ERR_DEFINITION, "columns",
						"For a composite key write \"primary_key\": [\"a\", \"b\"] at the top level.",
						"more than one column says \"primary_key\": true");
	if (pk)
	{
		if ((st = parse_column_list(dp, pk, "primary_key", MAX_INDEX_COLUMNS,
									&e->primary_key, &e->npk)) != REX_OK)
			return st;
	}
	else if (n_col_pk == 1 || id_col)
	{
		e->primary_key = rex_alloc(dp->ctx, sizeof(char *));
		if (e->primary_key == NULL)
			return rex_error_nomem(dp->ctx);
		for (i = 0; i < e->ncolumns; i++)
			if (col_pk[i])
				e->primary_key[0] = e->columns[i].name;
		if (n_col_pk == 0)
			e->primary_key[0] = id_col->name;
		e->npk = 1;
	}
	else
		return rex_def_fail(dp, REX_ERR_DEFINITION, "",
						"Add a column {\"type\": \"id\"} or name the key with \"primary_key\": [\"col\"].",
						"the entity has no primary key");
	if (id_col && (e->npk != 1 || strcmp(e->primary_key[0], id_col->name) != 0))
		return rex_def_fail(dp, REX_ERR_DEFINITION, "primary_key",
						"An id column is always the whole primary key; use \"bigint\" otherwise.",
						"the primary key must be the id column \"%s\"", id_col->name);
	for (i = 0; i < e->npk; i++)
	{
		rex_column *c = find_column(e, e->primary_key[i]);
		const char *cpath = rex_def_path_join(dp, "columns", c->name);

		if (!type_keyable(c->type))
			return rex_def_fail(dp, REX_ERR_DEFINITION, cpath,
							"Key columns can be id, uuid, string, text, integer, bigint, decimal, timestamp, date or enum.",
							"a %s column cannot be part of the primary key",
							rex_type_names[c->type]);
		c->nullable = false;
		if (c->type == REX_T_UUID && e->npk == 1 && c->default_kind == REX_DEFAULT_NONE)
			c->default_kind = REX_DEFAULT_GENERATED;
	}
	return REX_OK;
}

/* Refuses "nullable": true on key columns (checked on the raw column JSON). */
static rex_status
check_pk_not_nullable(defparse *dp, json_t *def)
{
	json_t	   *cols = json_object_get(def, "columns");
	rex_entity *e = dp->e;
	int			i,
				k;

	for (k = 0; k < e->npk; k++)
	{
		json_t	   *col = NULL;

		if (json_is_object(cols))
			col = json_object_get(cols, e->primary_key[k]);
		else
			for (i = 0; i < (int) json_array_size(cols); i++)
			{
				json_t	   *c = json_array_get(cols, (size_t) i);

				if (strcmp(json_string_value(json_object_get(c, "name")), e->primary_key[k]) == 0)
					col = c;
			}
		if (col && json_is_true(json_object_get(col, "nullable")))
			return rex_def_fail(dp, REX_ERR_DEFINITION,
							rex_def_path_join(dp, rex_def_path_join(dp, "columns", e->primary_key[k]), "nullable"),
							"Primary-key columns are never null; remove \"nullable\".",
							"a primary-key column cannot be nullable");
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* indexes */

/* Name for an index over 'cols' of 'table': table_c1_c2_idx (or _key). */
static const char *
index_name(defparse *dp, const char *table, const char **cols, int ncols,
		   bool unique)
{
	rex_buf		b;
	int			i;

	rex_buf_init(&b, dp->ctx);
	rex_buf_append(&b, table);
	for (i = 0; i < ncols; i++)
	{
		rex_buf_append_char(&b, '_');
		rex_buf_append(&b, cols[i]);
	}
	rex_buf_append(&b, unique ? "_key" : "_idx");
	if (!rex_buf_ok(&b))
		return NULL;
	return rex_name_fit(dp->ctx, b.data);
}

static const char *const index_keys[] = {"columns", "unique", "name", NULL};

/* Reads "indexes" and adds an index for every unique column. */
static rex_status
parse_indexes(defparse *dp, json_t *def)
{
	rex_entity *e = dp->e;
	json_t	   *idx = json_object_get(def, "indexes");
	size_t		n = 0,
				i;
	int			nu = 0,
				k,
				j;
	rex_status	st;

	if (idx && !json_is_array(idx))
		return rex_def_fail(dp, REX_ERR_DEFINITION, "indexes", NULL,
						"expected an array of indexes, got %s", rex_def_json_kind(idx));
	if (idx)
		n = json_array_size(idx);
	for (k = 0; k < e->ncolumns; k++)
		if (e->columns[k].unique)
			nu++;
	e->indexes = rex_alloc0(dp->ctx, sizeof(rex_index) * (n + (size_t) nu + 1));
	if (e->indexes == NULL)
		return rex_error_nomem(dp->ctx);
	for (k = 0; k < e->ncolumns; k++)
	{
		rex_index  *ix;

		if (!e->columns[k].unique)
			continue;
		ix = &e->indexes[e->nindexes++];
		ix->columns = rex_alloc(dp->ctx, sizeof(char *));
		if (ix->columns == NULL)
			return rex_error_nomem(dp->ctx);
		ix->columns[0] = e->columns[k].name;
		ix->ncolumns = 1;
		ix->unique = true;
		ix->from_column = true;
		if ((ix->name = index_name(dp, e->table, ix->columns, 1, true)) == NULL)
			return rex_error_nomem(dp->ctx);
	}
	for (i = 0; i < n; i++)
	{
		json_t	   *v = json_array_get(idx, i);
		const char *path = rex_def_path_index(dp, "indexes", i);
		rex_index  *ix = &e->indexes[e->nindexes];

		if (!json_is_object(v))
			return rex_def_fail(dp, REX_ERR_DEFINITION, path,
							"Write an index as {\"columns\": [\"a\", \"b\"]}.",
							"expected an object, got %s", rex_def_json_kind(v));
		if ((st = rex_def_check_keys(dp, v, path, index_keys, NULL, INDEX_KEYS_HINT)) != REX_OK)
			return st;
		if (json_object_get(v, "columns") == NULL)
			return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
							"the index has no \"columns\"");
		if ((st = parse_column_list(dp, json_object_get(v, "columns"),
									rex_def_path_join(dp, path, "columns"), MAX_INDEX_COLUMNS,
									&ix->columns, &ix->ncolumns)) != REX_OK ||
			(st = rex_def_get_bool(dp, v, "unique", path, false, &ix->unique)) != REX_OK ||
			(st = rex_def_get_string(dp, v, "name", path, &ix->name)) != REX_OK)
			return st;
		if (ix->name)
		{
			if ((st = rex_def_check_ident(dp, rex_def_path_join(dp, path, "name"), ix->name,
								  REX_IDENT_INDEX)) != REX_OK)
				return st;
		}
		else if ((ix->name = index_name(dp, e->table, ix->columns, ix->ncolumns,
										 ix->unique)) == NULL)
			return rex_error_nomem(dp->ctx);
		for (j = 0; j < e->nindexes; j++)
		{
			rex_index  *o = &e->indexes[j];
			bool		same = o->ncolumns == ix->ncolumns;

			for (k = 0; same && k < ix->ncolumns; k++)
				same = strcmp(o->columns[k], ix->columns[k]) == 0;
			if (same)
				return rex_def_fail(dp, REX_ERR_DEFINITION, path,
								o->from_column ? "The column's \"unique\": true already makes this index." : NULL,
								"duplicate index on the same columns as \"%s\"", o->name);
			if (rex_ident_equal(o->name, ix->name))
				return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
								"duplicate index name \"%s\"", ix->name);
		}
		e->nindexes++;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* ordering and canonical JSON */

/* Puts primary-key columns first, then the others by name (object form). */
static rex_status
order_columns(defparse *dp, rex_entity *e)
{
	rex_column *sorted;
	int			i,
				k,
				n = 0;

	if (e->columns_as_array)
		return REX_OK;
	qsort(e->columns, (size_t) e->ncolumns, sizeof(rex_column), cmp_column_name);
	sorted = rex_alloc(dp->ctx, sizeof(rex_column) * (size_t) e->ncolumns);
	if (sorted == NULL)
		return rex_error_nomem(dp->ctx);
	for (k = 0; k < e->npk; k++)
		for (i = 0; i < e->ncolumns; i++)
			if (strcmp(e->columns[i].name, e->primary_key[k]) == 0)
				sorted[n++] = e->columns[i];
	for (i = 0; i < e->ncolumns; i++)
	{
		bool		in_pk = false;

		for (k = 0; k < e->npk; k++)
			in_pk = in_pk || strcmp(e->columns[i].name, e->primary_key[k]) == 0;
		if (!in_pk)
			sorted[n++] = e->columns[i];
	}
	e->columns = sorted;
	return REX_OK;
}

static json_t *
string_array(const char **items, int n)
{
	json_t	   *a = json_array();
	int			i;

	for (i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(items[i])) != 0)
		{
			json_decref(a);
			return NULL;
		}
	return a;
}

/* Canonical JSON for one column (without its name). */
json_t *
rex_def_column_json(const rex_column *c)
{
	json_t	   *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "type", json_string(rex_type_names[c->type]));
	json_object_set_new(o, "nullable", json_boolean(c->nullable));
	json_object_set_new(o, "unique", json_boolean(c->unique));
	if (c->max_length)
		json_object_set_new(o, "max_length", json_integer(c->max_length));
	if (c->precision)
	{
		json_object_set_new(o, "precision", json_integer(c->precision));
		json_object_set_new(o, "scale", json_integer(c->scale));
	}
	if (c->type == REX_T_ENUM)
		json_object_set_new(o, "values", string_array(c->enum_values, c->n_enum_values));
	if (c->default_kind == REX_DEFAULT_NOW)
		json_object_set_new(o, "default", json_string("now"));
	else if (c->default_kind == REX_DEFAULT_VALUE)
		json_object_set(o, "default", c->default_value);
	if (c->description)
		json_object_set_new(o, "description", json_string(c->description));
	if (c->nrules)
		json_object_set_new(o, "validate", rex_rules_json(c));
	if (c->renamed_from)
		json_object_set_new(o, "renamed_from", json_string(c->renamed_from));
	return o;
}

/* Builds the canonical JSON of a validated entity. */
static json_t *
entity_json(const rex_entity *e)
{
	json_t	   *o = json_object();
	json_t	   *cols = e->columns_as_array ? json_array() : json_object();
	json_t	   *idx = json_array();
	int			i;

	if (o == NULL || cols == NULL || idx == NULL)
		goto fail;
	json_object_set_new(o, "table", json_string(e->table));
	if (e->description)
		json_object_set_new(o, "description", json_string(e->description));
	json_object_set_new(o, "primary_key", string_array(e->primary_key, e->npk));
	for (i = 0; i < e->ncolumns; i++)
	{
		json_t	   *c = rex_def_column_json(&e->columns[i]);

		if (c == NULL)
			goto fail;
		if (e->columns_as_array)
		{
			json_object_set_new(c, "name", json_string(e->columns[i].name));
			json_array_append_new(cols, c);
		}
		else
			json_object_set_new(cols, e->columns[i].name, c);
	}
	json_object_set_new(o, "columns", cols);
	cols = NULL;
	for (i = 0; i < e->nindexes; i++)
	{
		const rex_index *ix = &e->indexes[i];
		json_t	   *j;

		if (ix->from_column)
			continue;
		j = json_object();
		if (j == NULL)
			goto fail;
		json_object_set_new(j, "name", json_string(ix->name));
		json_object_set_new(j, "columns", string_array(ix->columns, ix->ncolumns));
		json_object_set_new(j, "unique", json_boolean(ix->unique));
		json_array_append_new(idx, j);
	}
	json_object_set_new(o, "indexes", idx);
	if (e->nrelations)
		json_object_set_new(o, "relations", rex_relations_json(e));
	if (e->changes && json_object_set_new(o, "changes", rex_changes_json(e->changes)) != 0)
		goto fail_changes;
	if (e->plural)
		json_object_set_new(o, "plural", json_string(e->plural));
	return o;
fail_changes:
	json_decref(o);
	return NULL;
fail:
	json_decref(o);
	json_decref(cols);
	json_decref(idx);
	return NULL;
}

/* ---------------------------------------------------------------- */
/* entry points */

static const char *const top_keys[] = {
	"table", "columns", "primary_key", "indexes", "description", "relations", "changes",
	"plural", NULL
};

static rex_status
parse_entity(defparse *dp, json_t *def)
{
	rex_entity *e = dp->e;
	bool	   *col_pk = NULL;
	rex_status	st;

	if (!json_is_object(def))
		return rex_def_fail(dp, REX_ERR_DEFINITION, "",
						"A definition is an object such as {\"columns\": {\"id\": {\"type\": \"id\"}}}.",
						"expected a JSON object, got %s", rex_def_json_kind(def));
	if ((st = rex_def_check_keys(dp, def, "", top_keys, NULL, TOP_KEYS_HINT)) != REX_OK ||
		(st = rex_def_get_string(dp, def, "table", "", &e->table)) != REX_OK ||
		(st = rex_def_get_string(dp, def, "description", "", &e->description)) != REX_OK ||
		(st = rex_def_get_string(dp, def, "plural", "", &e->plural)) != REX_OK)
		return st;
	if (e->plural && (st = rex_def_check_ident(dp, "plural", e->plural, REX_IDENT_ENTITY)) != REX_OK)
		return st;
	if (e->table == NULL)
		e->table = e->name;
	else if ((st = rex_def_check_ident(dp, "table", e->table, REX_IDENT_TABLE)) != REX_OK)
		return st;
	if ((st = parse_columns(dp, def, &col_pk)) != REX_OK ||
		(st = parse_primary_key(dp, def, col_pk)) != REX_OK ||
		(st = check_pk_not_nullable(dp, def)) != REX_OK ||
		(st = parse_indexes(dp, def)) != REX_OK ||
		(st = check_index_names(dp)) != REX_OK ||
		(st = rex_relations_parse(dp, json_object_get(def, "relations"))) != REX_OK ||
		(st = order_columns(dp, e)) != REX_OK)
		return st;
	return rex_changes_parse(dp, def);
}

/* Validates the entity name given as an argument. */
static rex_status
check_entity_name(rex_ctx *ctx, const char *name)
{
	const char *problem = rex_ident_problem(name, REX_IDENT_ENTITY);

	if (problem == NULL)
		return REX_OK;
	rex_error_set(ctx, REX_ERR_DEFINITION, "invalid entity name \"%s\": %s",
				  rex_shorten(ctx, name, MAX_VALUE_IN_MESSAGE), problem);
	rex_error_hint(ctx, "%s", rex_ident_rule());
	return REX_ERR_DEFINITION;
}

/* Parses a definition already read as JSON. */
static rex_status
parse_json(rex_ctx *ctx, const char *name, json_t *def, rex_entity **out,
		   json_t **canonical)
{
	defparse	dp;
	rex_status	st;
	json_t	   *canon;

	if ((st = check_entity_name(ctx, name)) != REX_OK)
		return st;
	dp.ctx = ctx;
	dp.entity = name;
	dp.e = rex_alloc0(ctx, sizeof(rex_entity));
	if (dp.e == NULL)
		return rex_error_nomem(ctx);
	dp.e->name = rex_strdup(ctx, name);
	if ((st = parse_entity(&dp, def)) != REX_OK)
		return st;
	if (canonical)
	{
		canon = rex_ctx_own_json(ctx, entity_json(dp.e));
		if (canon == NULL)
			return rex_error_nomem(ctx);
		*canonical = canon;
	}
	*out = dp.e;
	return REX_OK;
}

rex_status
rex_definition_parse(rex_ctx *ctx, const char *name, const char *definition,
					 rex_entity **out, json_t **canonical)
{
	json_error_t jerr;
	json_t	   *def;
	rex_status	st;

	if ((st = check_entity_name(ctx, name)) != REX_OK)
		return st;
	if ((definition = rex_json_normalize_numbers(ctx, definition)) == NULL)
		return ctx->err.status;
	def = json_loads(definition, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (def == NULL)
	{
		rex_error_set(ctx, REX_ERR_JSON, "entity \"%s\": definition is not valid JSON",
					  rex_shorten(ctx, name, MAX_VALUE_IN_MESSAGE));
		rex_error_detail(ctx, "%s at line %d, column %d.", jerr.text,
						 jerr.line, jerr.column);
		return REX_ERR_JSON;
	}
	rex_ctx_own_json(ctx, def);
	return parse_json(ctx, name, def, out, canonical);
}

rex_status
rex_definition_from_json(rex_ctx *ctx, const char *name, json_t *canonical,
						 rex_entity **out)
{
	return parse_json(ctx, name, canonical, out, NULL);
}
