/*
 * query_parse.c
 *		The parser of the JSON query language (see query_ast.h).
 *
 * It checks a query against an entity and builds a rex_query: every name
 * is a column of the entity (or a relation the resolver knows), every
 * operator applies to its column's type, every value is of that type and
 * is put in canonical form, and the query stays within its limits.  Errors
 * use the machinery of definition errors (defparse.h), so that they read
 * the same: entity "user": where.age.gtt: unknown operator "gtt", with a
 * hint saying what is accepted.  Recursion follows and/or/not and include,
 * both bounded by limits.max_depth.
 *
 * No SQL is written here; the executor compiles the tree.
 */
#include "defparse.h"
#include "query_ast.h"
#include "rex_buf.h"
#include "values.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const rex_qop_names[REX_QOP_COUNT] = {
	"eq", "neq", "gt", "gte", "lt", "lte", "in", "nin", "like", "ilike", "isNull"
};

#define QUERY_KEYS_HINT "Accepted keys: where, order_by, limit, offset, select, include."
#define DIRECTION_HINT "Accepted directions: asc, desc, asc_nulls_first, " \
	"asc_nulls_last, desc_nulls_first, desc_nulls_last."

typedef struct qparser
{
	defparse	dp;				/* ctx, entity name (for messages) */
	const rex_query_resolver *resolver;
	rex_query_limits limits;
	int			nodes;			/* filter nodes so far */
} qparser;

rex_query_limits
rex_query_limits_default(void)
{
	rex_query_limits l;

	l.max_depth = REX_QUERY_DEFAULT_MAX_DEPTH;
	l.max_list = REX_QUERY_DEFAULT_MAX_LIST;
	l.max_nodes = REX_QUERY_DEFAULT_MAX_NODES;
	l.max_limit = 0;
	return l;
}

bool
rex_query_op_allowed(rex_qop op, rex_type type)
{
	switch (op)
	{
		case REX_QOP_IS_NULL:
			return true;
		case REX_QOP_EQ:
		case REX_QOP_NEQ:
		case REX_QOP_IN:
		case REX_QOP_NIN:
			return type != REX_T_JSON;
		case REX_QOP_GT:
		case REX_QOP_GTE:
		case REX_QOP_LT:
		case REX_QOP_LTE:
			return type != REX_T_JSON && type != REX_T_BOOLEAN &&
				type != REX_T_ENUM && type != REX_T_BYTES;
		case REX_QOP_LIKE:
		case REX_QOP_ILIKE:
			return type == REX_T_STRING || type == REX_T_TEXT;
	}
	return false;
}

/* ---------------------------------------------------------------- */
/* messages */

/* Records an error at 'path' with a hint. */
static rex_status qfail(qparser *qp, const char *path, const char *hint,
						const char *fmt,...)
			__attribute__((format(printf, 4, 5)));

static rex_status
qfail(qparser *qp, const char *path, const char *hint, const char *fmt,...)
{
	char		what[400];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return rex_def_fail(&qp->dp, REX_ERR_DEFINITION, path, hint, "%s", what);
}

/* "Accepted operators for integer columns: eq, neq, ..." */
static const char *
ops_hint(qparser *qp, rex_type type)
{
	rex_buf		b;
	int			op;
	bool		first = true;

	rex_buf_init(&b, qp->dp.ctx);
	rex_buf_printf(&b, "Accepted operators for %s columns: ", rex_type_names[type]);
	for (op = 0; op < REX_QOP_COUNT; op++)
		if (rex_query_op_allowed((rex_qop) op, type))
		{
			rex_buf_printf(&b, "%s%s", first ? "" : ", ", rex_qop_names[op]);
			first = false;
		}
	rex_buf_append(&b, "; and, or and not combine filters.");
	return rex_buf_ok(&b) ? b.data : NULL;
}

/* "Columns of user: id, name, email." plus relations when known. */
static const char *
names_hint(qparser *qp, const rex_entity *e, bool relations)
{
	rex_buf		b;
	int			i;
	const char *rels = NULL;

	rex_buf_init(&b, qp->dp.ctx);
	rex_buf_printf(&b, "Columns of %s: ", e->name);
	for (i = 0; i < e->ncolumns; i++)
	{
		if (b.len > 300)
		{
			rex_buf_append(&b, ", ...");
			break;
		}
		rex_buf_printf(&b, "%s%s", i ? ", " : "", e->columns[i].name);
	}
	rex_buf_append_char(&b, '.');
	if (relations && qp->resolver && qp->resolver->names)
		rels = qp->resolver->names(qp->resolver->arg, qp->dp.ctx, e);
	if (rels && *rels)
		rex_buf_printf(&b, " Relations: %s.", rels);
	return rex_buf_ok(&b) ? b.data : NULL;
}

/* A column of e named exactly 'name', or NULL. */
static const rex_column *
find_column(const rex_entity *e, const char *name)
{
	int			i;

	for (i = 0; i < e->ncolumns; i++)
		if (strcmp(e->columns[i].name, name) == 0)
			return &e->columns[i];
	return NULL;
}

/* A column whose name differs from 'name' only by case, or NULL. */
static const rex_column *
find_column_ci(const rex_entity *e, const char *name)
{
	int			i;

	for (i = 0; i < e->ncolumns; i++)
		if (rex_ident_equal(e->columns[i].name, name))
			return &e->columns[i];
	return NULL;
}

/* Refuses an unknown name at 'path', suggesting a column or listing them. */
static rex_status
unknown_name(qparser *qp, const rex_entity *e, const char *path, const char *name,
			 const char *what)
{
	const rex_column *near = find_column_ci(e, name);

	if (near)
		return qfail(qp, path, rex_psprintf(qp->dp.ctx, "Did you mean \"%s\"?", near->name),
					 "unknown %s \"%s\"", what, rex_def_shown(&qp->dp, name));
	return qfail(qp, path, names_hint(qp, e, true), "unknown %s \"%s\"", what,
				 rex_def_shown(&qp->dp, name));
}

/* Looks a relation up through the resolver; *found false when none. */
static rex_status
find_relation(qparser *qp, const rex_entity *e, const char *name, rex_qrelation *out,
			  bool *found)
{
	*found = false;
	memset(out, 0, sizeof(*out));
	if (qp->resolver == NULL || qp->resolver->relation == NULL)
		return REX_OK;
	return qp->resolver->relation(qp->resolver->arg, qp->dp.ctx, e, name, out, found);
}

/* ---------------------------------------------------------------- */
/* values */

/* What a value of the type looks like, for messages. */
static const char *
type_expects(const rex_column *c)
{
	switch (c->type)
	{
		case REX_T_ID:
		case REX_T_BIGINT:
			return "an integer";
		case REX_T_INTEGER:
			return "an integer from -2147483648 to 2147483647";
		case REX_T_FLOAT:
			return "a number";
		case REX_T_DECIMAL:
			return "a decimal as a string (\"12.50\") or an integer";
		case REX_T_BOOLEAN:
			return "true or false";
		case REX_T_UUID:
			return "a UUID string such as \"123e4567-e89b-12d3-a456-426614174000\"";
		case REX_T_TIMESTAMP:
			return "a UTC timestamp string such as \"2026-01-31T12:00:00Z\"";
		case REX_T_DATE:
			return "a date string such as \"2026-01-31\"";
		case REX_T_BYTES:
			return "a base64 string";
		case REX_T_ENUM:
			return "one of the enum's values";
		case REX_T_STRING:
		case REX_T_TEXT:
		case REX_T_JSON:
			return "a string";
	}
	return "a value";
}

/* The enum values of a column as a hint. */
static const char *
enum_hint(qparser *qp, const rex_column *c)
{
	rex_buf		b;
	int			i;

	rex_buf_init(&b, qp->dp.ctx);
	rex_buf_append(&b, "Accepted values: ");
	for (i = 0; i < c->n_enum_values; i++)
		rex_buf_printf(&b, "%s\"%s\"", i ? ", " : "", c->enum_values[i]);
	rex_buf_append_char(&b, '.');
	return rex_buf_ok(&b) ? b.data : NULL;
}

/* A new JSON string owned by the context. */
static json_t *
own_string(qparser *qp, const char *s)
{
	return rex_json_own(qp->dp.ctx, json_string(s));
}

/*
 * Checks one value to compare with column 'c' and returns it in canonical
 * form (*out, owned by the context).
 */
static rex_status
check_value(qparser *qp, const rex_column *c, json_t *v, const char *path, json_t **out)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	bool		ok = false;
	char		buf[37];
	char		ts[25];
	const char *why = NULL;
	char	   *dec;
	int			i;

	*out = NULL;
	if (json_is_null(v))
		return qfail(qp, path, "Use {\"isNull\": true} to find missing values.",
					 "null cannot be compared with");
	switch (c->type)
	{
		case REX_T_ID:
		case REX_T_BIGINT:
			ok = json_is_integer(v);
			break;
		case REX_T_INTEGER:
			ok = json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
				json_integer_value(v) <= INT32_MAX;
			break;
		case REX_T_FLOAT:
			ok = json_is_number(v);
			break;
		case REX_T_BOOLEAN:
			ok = json_is_boolean(v);
			break;
		case REX_T_STRING:
		case REX_T_TEXT:
			ok = s != NULL;
			break;
		case REX_T_ENUM:
			for (i = 0; s && i < c->n_enum_values; i++)
				if (strcmp(s, c->enum_values[i]) == 0)
					ok = true;
			if (!ok && s)
				return qfail(qp, path, enum_hint(qp, c), "\"%s\" is not a value of %s",
							 rex_def_shown(&qp->dp, s), c->name);
			break;
		case REX_T_UUID:
			if (s && rex_uuid_canonical(s, buf))
				return (*out = own_string(qp, buf)) ? REX_OK : REX_ERR_NOMEM;
			break;
		case REX_T_TIMESTAMP:
			if (s && rex_timestamp_canonical(s, ts))
				return (*out = own_string(qp, ts)) ? REX_OK : REX_ERR_NOMEM;
			break;
		case REX_T_DATE:
			ok = s && rex_date_valid(s);
			break;
		case REX_T_BYTES:
			ok = s && rex_base64_decoded_length(s) >= 0;
			break;
		case REX_T_DECIMAL:
			if (json_is_integer(v))
				s = rex_psprintf(qp->dp.ctx, "%lld", (long long) json_integer_value(v));
			if (s == NULL)
				break;
			/* the column's own form when the value fits it, else as written */
			dec = rex_decimal_canonical(qp->dp.ctx, s, c->precision, c->scale, &why);
			if (dec == NULL)
				dec = rex_decimal_canonical(qp->dp.ctx, s, 0, 0, &why);
			if (dec == NULL)
				return qfail(qp, path, "Write decimals as strings such as \"12.50\".",
							 "invalid decimal \"%s\": %s", rex_def_shown(&qp->dp, s), why);
			return (*out = own_string(qp, dec)) ? REX_OK : REX_ERR_NOMEM;
		case REX_T_JSON:
			break;
	}
	if (!ok)
		return qfail(qp, path, NULL, "expected %s for column %s (%s), got %s%s%s%s",
					 type_expects(c), c->name, rex_type_names[c->type],
					 rex_def_json_kind(v), s ? " \"" : "",
					 s ? rex_def_shown(&qp->dp, s) : "", s ? "\"" : "");
	*out = json_incref(v);
	return rex_json_own(qp->dp.ctx, *out) ? REX_OK : REX_ERR_NOMEM;
}

/* ---------------------------------------------------------------- */
/* filters */

static rex_status parse_filter(qparser *qp, const rex_entity *e, json_t *where,
							   const char *path, int depth, rex_qfilter **out);

/* A new filter node, counted against max_nodes. */
static rex_qfilter *
new_node(qparser *qp, rex_qfilter_kind kind, const char *path)
{
	rex_qfilter *f;

	if (qp->limits.max_nodes > 0 && ++qp->nodes > qp->limits.max_nodes)
	{
		qfail(qp, path, "Split the query, or use in/nin for long lists of values.",
			  "the filter has more than %d conditions", qp->limits.max_nodes);
		return NULL;
	}
	f = rex_alloc0(qp->dp.ctx, sizeof(rex_qfilter));
	if (f == NULL)
		return NULL;
	f->kind = kind;
	f->path = path;
	return f;
}

/* Array items must fit in max_list. */
static rex_status
check_list_size(qparser *qp, json_t *arr, const char *path)
{
	if (qp->limits.max_list > 0 && json_array_size(arr) > (size_t) qp->limits.max_list)
		return qfail(qp, path, NULL, "the list has %zu items; the limit is %d",
					 json_array_size(arr), qp->limits.max_list);
	return REX_OK;
}

/* One comparison: column 'c', operator 'op', its operand 'v'. */
static rex_status
parse_compare(qparser *qp, const rex_column *c, rex_qop op, json_t *v, const char *path,
			  rex_qfilter **out)
{
	rex_qfilter *f;
	json_t	   *arr;
	json_t	   *item;
	json_t	   *canon;
	size_t		i;
	rex_status	st;

	if (!rex_query_op_allowed(op, c->type))
		return qfail(qp, path, ops_hint(qp, c->type),
					 "operator \"%s\" does not apply to column %s (%s)",
					 rex_qop_names[op], c->name, rex_type_names[c->type]);
	f = new_node(qp, REX_QF_COMPARE, path);
	if (f == NULL)
		return qp->dp.ctx->err.status;
	f->column = c;
	f->op = op;
	switch (op)
	{
		case REX_QOP_IS_NULL:
			if (!json_is_boolean(v))
				return qfail(qp, path, "Use true (the value is missing) or false.",
							 "expected true or false, got %s", rex_def_json_kind(v));
			f->value = v;
			break;
		case REX_QOP_LIKE:
		case REX_QOP_ILIKE:
			if (!json_is_string(v))
				return qfail(qp, path, "A pattern is a string: % matches any characters, _ one.",
							 "expected a pattern string, got %s", rex_def_json_kind(v));
			f->value = v;
			break;
		case REX_QOP_IN:
		case REX_QOP_NIN:
			if (!json_is_array(v))
				return qfail(qp, path, "Give a list of values, such as [1, 2, 3].",
							 "expected an array, got %s", rex_def_json_kind(v));
			if ((st = check_list_size(qp, v, path)) != REX_OK)
				return st;
			arr = rex_json_own(qp->dp.ctx, json_array());
			if (arr == NULL)
				return REX_ERR_NOMEM;
			json_array_foreach(v, i, item)
			{
				if ((st = check_value(qp, c, item, rex_def_path_index(&qp->dp, path, i),
									  &canon)) != REX_OK)
					return st;
				if (json_array_append(arr, canon) != 0)
					return rex_error_nomem(qp->dp.ctx);
			}
			f->value = arr;
			break;
		default:
			if ((st = check_value(qp, c, v, path, &f->value)) != REX_OK)
				return st;
			break;
	}
	*out = f;
	return REX_OK;
}

/*
 * The keys of an object in byte order (the order of keys is not kept by
 * PostgreSQL's jsonb; sorting makes the tree the same on both engines).
 */
static const char **
sorted_keys(qparser *qp, json_t *obj, size_t *n)
{
	const char **keys = rex_alloc(qp->dp.ctx, sizeof(char *) * (json_object_size(obj) + 1));
	const char *key;
	json_t	   *v;
	size_t		i;

	*n = 0;
	if (keys == NULL)
		return NULL;
	json_object_foreach(obj, key, v)
	{
		for (i = *n; i > 0 && strcmp(keys[i - 1], key) > 0; i--)
			keys[i] = keys[i - 1];
		keys[i] = key;
		(*n)++;
	}
	return keys;
}

/* The operator named 'name', or -1. */
static int
op_from_name(const char *name)
{
	int			op;

	for (op = 0; op < REX_QOP_COUNT; op++)
		if (strcmp(name, rex_qop_names[op]) == 0)
			return op;
	return -1;
}

/* Appends a node to a growing array of nodes. */
static rex_status
push_node(qparser *qp, rex_qfilter ***items, int *n, int *cap, rex_qfilter *f)
{
	if (*n == *cap)
	{
		int			newcap = *cap ? *cap * 2 : 4;
		rex_qfilter **grown = rex_alloc(qp->dp.ctx, sizeof(rex_qfilter *) * (size_t) newcap);

		if (grown == NULL)
			return REX_ERR_NOMEM;
		if (*n)
			memcpy(grown, *items, sizeof(rex_qfilter *) * (size_t) *n);
		*items = grown;
		*cap = newcap;
	}
	(*items)[(*n)++] = f;
	return REX_OK;
}

/*
 * The condition on column 'c': an object of operators (ANDed), a bare
 * value (eq) or null (isNull: true).
 */
static rex_status
parse_column_filter(qparser *qp, const rex_column *c, json_t *v, const char *path,
					rex_qfilter **out)
{
	rex_qfilter *and;
	rex_qfilter *f;
	const char *key;
	const char **keys;
	json_t	   *operand;
	size_t		n,
				i;
	int			cap = 0;
	int			op;
	rex_status	st;

	if (json_is_null(v))
		return parse_compare(qp, c, REX_QOP_IS_NULL, json_true(), path, out);
	if (json_is_array(v))
		return qfail(qp, path, "Use {\"in\": [...]} to match any of several values.",
					 "expected a value or an object of operators, got an array");
	if (!json_is_object(v))
		return parse_compare(qp, c, REX_QOP_EQ, v, path, out);
	if (json_object_size(v) == 0)
		return qfail(qp, path, ops_hint(qp, c->type), "expected at least one operator");
	if (json_object_size(v) == 1)
	{
		key = json_object_iter_key(json_object_iter(v));
		operand = json_object_iter_value(json_object_iter(v));
		op = op_from_name(key);
		if (op < 0)
			return qfail(qp, rex_def_path_join(&qp->dp, path, key), ops_hint(qp, c->type),
						 "unknown operator \"%s\"", rex_def_shown(&qp->dp, key));
		return parse_compare(qp, c, (rex_qop) op, operand,
							 rex_def_path_join(&qp->dp, path, key), out);
	}
	and = new_node(qp, REX_QF_AND, path);
	if (and == NULL)
		return qp->dp.ctx->err.status;
	keys = sorted_keys(qp, v, &n);
	if (keys == NULL)
		return REX_ERR_NOMEM;
	for (i = 0; i < n; i++)
	{
		const char *opath = rex_def_path_join(&qp->dp, path, keys[i]);

		operand = json_object_get(v, keys[i]);
		op = op_from_name(keys[i]);
		if (op < 0)
			return qfail(qp, opath, ops_hint(qp, c->type), "unknown operator \"%s\"",
						 rex_def_shown(&qp->dp, keys[i]));
		if ((st = parse_compare(qp, c, (rex_qop) op, operand, opath, &f)) != REX_OK ||
			(st = push_node(qp, &and->items, &and->nitems, &cap, f)) != REX_OK)
			return st;
	}
	*out = and;
	return REX_OK;
}

/* "and" or "or": an array of filters. */
static rex_status
parse_logical(qparser *qp, const rex_entity *e, rex_qfilter_kind kind, json_t *v,
			  const char *path, int depth, rex_qfilter **out)
{
	rex_qfilter *node;
	rex_qfilter *f;
	json_t	   *item;
	size_t		i;
	int			cap = 0;
	rex_status	st;

	if (!json_is_array(v))
		return qfail(qp, path, "Give a list of filters, such as [{\"a\": 1}, {\"b\": 2}].",
					 "expected an array of filters, got %s", rex_def_json_kind(v));
	if ((st = check_list_size(qp, v, path)) != REX_OK)
		return st;
	node = new_node(qp, kind, path);
	if (node == NULL)
		return qp->dp.ctx->err.status;
	json_array_foreach(v, i, item)
	{
		if ((st = parse_filter(qp, e, item, rex_def_path_index(&qp->dp, path, i),
							   depth + 1, &f)) != REX_OK)
			return st;
		if (f == NULL)
		{
			/* an empty filter {} is true */
			f = new_node(qp, REX_QF_AND, rex_def_path_index(&qp->dp, path, i));
			if (f == NULL)
				return qp->dp.ctx->err.status;
		}
		if ((st = push_node(qp, &node->items, &node->nitems, &cap, f)) != REX_OK)
			return st;
	}
	*out = node;
	return REX_OK;
}

/* One key of a filter object: and, or, not, or a column. */
static rex_status
parse_filter_key(qparser *qp, const rex_entity *e, const char *key, json_t *v,
				 const char *path, int depth, rex_qfilter **out)
{
	const rex_column *c;
	rex_qrelation rel;
	bool		found;
	rex_qfilter *inner;
	rex_status	st;

	if (strcmp(key, "and") == 0)
		return parse_logical(qp, e, REX_QF_AND, v, path, depth, out);
	if (strcmp(key, "or") == 0)
		return parse_logical(qp, e, REX_QF_OR, v, path, depth, out);
	if (strcmp(key, "not") == 0)
	{
		if ((st = parse_filter(qp, e, v, path, depth + 1, &inner)) != REX_OK)
			return st;
		*out = new_node(qp, REX_QF_NOT, path);
		if (*out == NULL)
			return qp->dp.ctx->err.status;
		if (inner == NULL)
		{
			/* not {} is false: an empty OR */
			(*out)->kind = REX_QF_OR;
			return REX_OK;
		}
		(*out)->items = rex_alloc(qp->dp.ctx, sizeof(rex_qfilter *));
		if ((*out)->items == NULL)
			return REX_ERR_NOMEM;
		(*out)->items[0] = inner;
		(*out)->nitems = 1;
		return REX_OK;
	}
	c = find_column(e, key);
	if (c)
		return parse_column_filter(qp, c, v, path, out);
	if ((st = find_relation(qp, e, key, &rel, &found)) != REX_OK)
		return st;
	if (found)
		return rex_def_fail(&qp->dp, REX_ERR_UNSUPPORTED, path,
							"Filter on the related entity's own query instead.",
							"filtering on relation \"%s\" is not supported yet",
							rex_def_shown(&qp->dp, key));
	return unknown_name(qp, e, path, key, "column");
}

/*
 * A filter object; *out NULL for an empty object (every row).  'depth'
 * counts the and/or/not levels above it.
 */
static rex_status
parse_filter(qparser *qp, const rex_entity *e, json_t *where, const char *path,
			 int depth, rex_qfilter **out)
{
	rex_qfilter *and;
	rex_qfilter *f;
	const char *key;
	const char **keys;
	json_t	   *v;
	size_t		n,
				i;
	int			cap = 0;
	rex_status	st;

	*out = NULL;
	if (!json_is_object(where))
		return qfail(qp, path, "A filter is an object such as {\"age\": {\"gte\": 18}}.",
					 "expected an object, got %s", rex_def_json_kind(where));
	if (depth > qp->limits.max_depth)
		return qfail(qp, path, NULL, "the filter is nested more than %d levels deep",
					 qp->limits.max_depth);
	if (json_object_size(where) == 0)
		return REX_OK;
	if (json_object_size(where) == 1)
	{
		key = json_object_iter_key(json_object_iter(where));
		v = json_object_iter_value(json_object_iter(where));
		return parse_filter_key(qp, e, key, v, rex_def_path_join(&qp->dp, path, key),
								depth, out);
	}
	and = new_node(qp, REX_QF_AND, path);
	if (and == NULL)
		return qp->dp.ctx->err.status;
	keys = sorted_keys(qp, where, &n);
	if (keys == NULL)
		return REX_ERR_NOMEM;
	for (i = 0; i < n; i++)
	{
		v = json_object_get(where, keys[i]);
		if ((st = parse_filter_key(qp, e, keys[i], v,
								   rex_def_path_join(&qp->dp, path, keys[i]),
								   depth, &f)) != REX_OK ||
			(st = push_node(qp, &and->items, &and->nitems, &cap, f)) != REX_OK)
			return st;
	}
	*out = and;
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* order_by, select */

/* One ordering term: "column" or {"column": "direction"}. */
static rex_status
parse_order_term(qparser *qp, const rex_entity *e, json_t *t, const char *path,
				 rex_qorder *o)
{
	const char *name;
	const char *dir = "asc";
	const char *cpath = path;
	rex_qrelation rel;
	bool		found;
	rex_status	st;

	if (json_is_string(t))
		name = json_string_value(t);
	else if (json_is_object(t) && json_object_size(t) == 1)
	{
		name = json_object_iter_key(json_object_iter(t));
		cpath = rex_def_path_join(&qp->dp, path, name);
		if (!json_is_string(json_object_iter_value(json_object_iter(t))))
			return qfail(qp, cpath, DIRECTION_HINT, "expected a direction string, got %s",
						 rex_def_json_kind(json_object_iter_value(json_object_iter(t))));
		dir = json_string_value(json_object_iter_value(json_object_iter(t)));
	}
	else if (json_is_object(t))
		return qfail(qp, path, "Give one column per object, in an array to order by several: [{\"a\": \"asc\"}, {\"b\": \"desc\"}].",
					 "expected an object with one column, got %zu keys",
					 json_object_size(t));
	else
		return qfail(qp, path, "Order by \"column\" or {\"column\": \"desc\"}.",
					 "expected a column name or an object, got %s", rex_def_json_kind(t));
	o->path = cpath;
	o->column = find_column(e, name);
	if (o->column == NULL)
	{
		if ((st = find_relation(qp, e, name, &rel, &found)) != REX_OK)
			return st;
		if (found)
			return rex_def_fail(&qp->dp, REX_ERR_UNSUPPORTED, cpath, NULL,
								"ordering by relation \"%s\" is not supported yet",
								rex_def_shown(&qp->dp, name));
		return unknown_name(qp, e, cpath, name, "column");
	}
	if (o->column->type == REX_T_JSON)
		return qfail(qp, cpath, NULL, "cannot order by column %s: json values have no order",
					 o->column->name);
	if (strcmp(dir, "asc") == 0 || strcmp(dir, "asc_nulls_last") == 0)
		o->nulls_first = false;
	else if (strcmp(dir, "asc_nulls_first") == 0)
		o->nulls_first = true;
	else if (strcmp(dir, "desc") == 0 || strcmp(dir, "desc_nulls_first") == 0)
		o->descending = o->nulls_first = true;
	else if (strcmp(dir, "desc_nulls_last") == 0)
		o->descending = true;
	else
		return qfail(qp, cpath, DIRECTION_HINT, "unknown direction \"%s\"",
					 rex_def_shown(&qp->dp, dir));
	return REX_OK;
}

/* "order_by": a term or an array of terms; each column once. */
static rex_status
parse_order_by(qparser *qp, const rex_entity *e, json_t *v, const char *path, rex_query *q)
{
	size_t		n = json_is_array(v) ? json_array_size(v) : 1;
	size_t		i;
	int			k;
	rex_status	st;

	if (json_is_array(v) && (st = check_list_size(qp, v, path)) != REX_OK)
		return st;
	q->order_by = rex_alloc0(qp->dp.ctx, sizeof(rex_qorder) * (n ? n : 1));
	if (q->order_by == NULL)
		return REX_ERR_NOMEM;
	for (i = 0; i < n; i++)
	{
		rex_qorder *o = &q->order_by[i];

		st = parse_order_term(qp, e, json_is_array(v) ? json_array_get(v, i) : v,
							  json_is_array(v) ? rex_def_path_index(&qp->dp, path, i) : path, o);
		if (st != REX_OK)
			return st;
		for (k = 0; k < (int) i; k++)
			if (q->order_by[k].column == o->column)
				return qfail(qp, o->path, NULL, "column %s is already in order_by",
							 o->column->name);
	}
	q->norder_by = (int) n;
	return REX_OK;
}

/* "select": a non-empty array of distinct column names. */
static rex_status
parse_select(qparser *qp, const rex_entity *e, json_t *v, const char *path, rex_query *q)
{
	size_t		i;
	int			k;
	json_t	   *item;
	rex_qrelation rel;
	bool		found;
	rex_status	st;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return qfail(qp, path, "Give the columns to return, such as [\"id\", \"name\"].",
					 "expected a non-empty array of column names, got %s%s",
					 json_is_array(v) ? "an empty " : "",
					 json_is_array(v) ? "array" : rex_def_json_kind(v));
	if ((st = check_list_size(qp, v, path)) != REX_OK)
		return st;
	q->select = rex_alloc(qp->dp.ctx, sizeof(rex_column *) * json_array_size(v));
	if (q->select == NULL)
		return REX_ERR_NOMEM;
	json_array_foreach(v, i, item)
	{
		const char *ipath = rex_def_path_index(&qp->dp, path, i);
		const rex_column *c;

		if (!json_is_string(item))
			return qfail(qp, ipath, NULL, "expected a column name, got %s",
						 rex_def_json_kind(item));
		c = find_column(e, json_string_value(item));
		if (c == NULL)
		{
			if ((st = find_relation(qp, e, json_string_value(item), &rel, &found)) != REX_OK)
				return st;
			if (found)
				return qfail(qp, ipath, "Use \"include\" to return related rows.",
							 "\"%s\" is a relation, not a column",
							 rex_def_shown(&qp->dp, json_string_value(item)));
			return unknown_name(qp, e, ipath, json_string_value(item), "column");
		}
		for (k = 0; k < q->nselect; k++)
			if (q->select[k] == c)
				return qfail(qp, ipath, NULL, "column %s is selected twice", c->name);
		q->select[q->nselect++] = c;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* queries and includes */

static rex_status parse_query_at(qparser *qp, const rex_entity *e, json_t *v,
								 const char *path, int depth, bool to_one,
								 rex_query **out);

/* "include": relation name -> true, false or a nested query. */
static rex_status
parse_include(qparser *qp, const rex_entity *e, json_t *v, const char *path, int depth,
			  rex_query *q)
{
	const char **keys;
	size_t		nkeys,
				k;
	json_t	   *sub;
	bool		found;
	rex_status	st;
	int			n = 0;

	if (!json_is_object(v))
		return qfail(qp, path, "Map relation names to true or to a query: {\"posts\": true}.",
					 "expected an object, got %s", rex_def_json_kind(v));
	if (depth + 1 > qp->limits.max_depth)
		return qfail(qp, path, NULL, "includes are nested more than %d levels deep",
					 qp->limits.max_depth);
	q->include = rex_alloc0(qp->dp.ctx, sizeof(rex_qinclude) * (json_object_size(v) + 1));
	if (q->include == NULL)
		return REX_ERR_NOMEM;
	keys = sorted_keys(qp, v, &nkeys);
	if (keys == NULL)
		return REX_ERR_NOMEM;
	for (k = 0; k < nkeys; k++)
	{
		const char *key = keys[k];
		rex_qinclude *inc = &q->include[n];
		const char *ipath = rex_def_path_join(&qp->dp, path, key);

		sub = json_object_get(v, key);

		if ((st = find_relation(qp, e, key, &inc->relation, &found)) != REX_OK)
			return st;
		if (!found)
		{
			if (find_column(e, key))
				return qfail(qp, ipath, "Columns are returned by \"select\"; include takes relations.",
							 "\"%s\" is a column, not a relation", rex_def_shown(&qp->dp, key));
			return unknown_name(qp, e, ipath, key, "relation");
		}
		if (json_is_false(sub))
			continue;
		inc->path = ipath;
		if (json_is_true(sub))
			st = parse_query_at(qp, inc->relation.target, json_null(), ipath, depth + 1,
								!inc->relation.to_many, &inc->query);
		else
			st = parse_query_at(qp, inc->relation.target, sub, ipath, depth + 1,
								!inc->relation.to_many, &inc->query);
		if (st != REX_OK)
			return st;
		n++;
	}
	q->ninclude = n;
	return REX_OK;
}

/* "limit" and "offset": integers from 0. */
static rex_status
parse_count(qparser *qp, json_t *v, const char *path, int64_t max, int64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return qfail(qp, path, NULL, "expected an integer from 0, got %s",
					 json_is_integer(v) ? "a negative number" : rex_def_json_kind(v));
	if (max > 0 && json_integer_value(v) > max)
		return qfail(qp, path, NULL, "%lld is more than the maximum of %lld",
					 (long long) json_integer_value(v), (long long) max);
	*out = json_integer_value(v);
	return REX_OK;
}

/*
 * A query object for entity e at 'path' (JSON null: an empty query).  A
 * to-one include takes only select and include.
 */
static rex_status
parse_query_at(qparser *qp, const rex_entity *e, json_t *v, const char *path, int depth,
			   bool to_one, rex_query **out)
{
	static const char *const keys[] = {
		"where", "order_by", "limit", "offset", "select", "include", NULL
	};
	static const char *const to_one_keys[] = {"select", "include", NULL};
	rex_query  *q = rex_alloc0(qp->dp.ctx, sizeof(rex_query));
	json_t	   *m;
	rex_status	st;

	if (q == NULL)
		return REX_ERR_NOMEM;
	q->entity = e;
	q->limit = -1;
	*out = q;
	if (json_is_null(v))
		return REX_OK;
	if (!json_is_object(v))
		return qfail(qp, path, QUERY_KEYS_HINT, "expected a query object, got %s",
					 rex_def_json_kind(v));
	if ((st = rex_def_check_keys(&qp->dp, v, path, to_one ? to_one_keys : keys, NULL,
								 to_one ? "A relation to one row takes select and include." :
								 QUERY_KEYS_HINT)) != REX_OK)
		return st;
	if ((m = json_object_get(v, "where")) != NULL && !json_is_null(m) &&
		(st = parse_filter(qp, e, m, rex_def_path_join(&qp->dp, path, "where"), 0,
						   &q->where)) != REX_OK)
		return st;
	if ((m = json_object_get(v, "order_by")) != NULL && !json_is_null(m) &&
		(st = parse_order_by(qp, e, m, rex_def_path_join(&qp->dp, path, "order_by"), q)) != REX_OK)
		return st;
	if ((m = json_object_get(v, "limit")) != NULL && !json_is_null(m) &&
		(st = parse_count(qp, m, rex_def_path_join(&qp->dp, path, "limit"),
						  qp->limits.max_limit, &q->limit)) != REX_OK)
		return st;
	if ((m = json_object_get(v, "offset")) != NULL && !json_is_null(m) &&
		(st = parse_count(qp, m, rex_def_path_join(&qp->dp, path, "offset"), 0,
						  &q->offset)) != REX_OK)
		return st;
	if ((m = json_object_get(v, "select")) != NULL && !json_is_null(m) &&
		(st = parse_select(qp, e, m, rex_def_path_join(&qp->dp, path, "select"), q)) != REX_OK)
		return st;
	if ((m = json_object_get(v, "include")) != NULL && !json_is_null(m) &&
		(st = parse_include(qp, e, m, rex_def_path_join(&qp->dp, path, "include"),
							depth, q)) != REX_OK)
		return st;
	return REX_OK;
}

/* Sets up a parser for entity e. */
static void
qparser_init(qparser *qp, rex_ctx *ctx, const rex_entity *e,
			 const rex_query_resolver *resolver, const rex_query_limits *limits)
{
	memset(qp, 0, sizeof(*qp));
	qp->dp.ctx = ctx;
	qp->dp.entity = e->name;
	qp->dp.e = (rex_entity *) e;
	qp->resolver = resolver;
	qp->limits = limits ? *limits : rex_query_limits_default();
	if (qp->limits.max_depth <= 0)
		qp->limits.max_depth = REX_QUERY_DEFAULT_MAX_DEPTH;
}

rex_status
rex_query_parse(rex_ctx *ctx, const rex_entity *e, json_t *query,
				const rex_query_resolver *resolver, const rex_query_limits *limits,
				rex_query **out)
{
	qparser		qp;
	rex_status	st;

	*out = NULL;
	qparser_init(&qp, ctx, e, resolver, limits);
	st = parse_query_at(&qp, e, query, "", 0, false, out);
	if (st != REX_OK)
		*out = NULL;
	return st;
}

rex_status
rex_query_parse_text(rex_ctx *ctx, const rex_entity *e, const char *text,
					 const rex_query_resolver *resolver, const rex_query_limits *limits,
					 rex_query **out)
{
	json_t	   *v = rex_json_parse(ctx, text, "query");

	*out = NULL;
	if (v == NULL)
		return ctx->err.status;
	return rex_query_parse(ctx, e, v, resolver, limits, out);
}

rex_status
rex_query_parse_where(rex_ctx *ctx, const rex_entity *e, json_t *where, const char *path,
					  const rex_query_resolver *resolver, const rex_query_limits *limits,
					  rex_qfilter **out)
{
	qparser		qp;
	rex_status	st;

	*out = NULL;
	if (where == NULL || json_is_null(where))
		return REX_OK;
	qparser_init(&qp, ctx, e, resolver, limits);
	st = parse_filter(&qp, e, where, path ? path : "where", 0, out);
	if (st != REX_OK)
		*out = NULL;
	return st;
}
