/*
 * graphql_error.c
 *		Request errors of the GraphQL front end, its limits, and the
 *		printing of types and values for messages (see graphql_ast.h).
 */
#include "graphql_ast.h"
#include "rex_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_VALUE_SHOWN 80		/* longest value echoed in a message */

rex_gql_limits
rex_gql_limits_default(void)
{
	rex_gql_limits l;

	l.max_bytes = REX_GQL_DEFAULT_MAX_BYTES;
	l.max_tokens = REX_GQL_DEFAULT_MAX_TOKENS;
	l.max_depth = REX_GQL_DEFAULT_MAX_DEPTH;
	l.max_fields = REX_GQL_DEFAULT_MAX_FIELDS;
	l.max_errors = REX_GQL_DEFAULT_MAX_ERRORS;
	l.max_merge_checks = REX_GQL_DEFAULT_MAX_MERGE_CHECKS;
	return l;
}

void
rex_gql_errors_init(rex_gql_errors *errs, int max)
{
	memset(errs, 0, sizeof(*errs));
	errs->max = max;
}

/* Links a new error with the given message at the end of the list. */
static rex_gql_error *
append(rex_ctx *ctx, rex_gql_errors *errs, const char *message)
{
	rex_gql_error *e = rex_alloc0(ctx, sizeof(rex_gql_error));

	if (e == NULL)
		return NULL;
	e->message = message;
	if (errs->last)
		errs->last->next = e;
	else
		errs->first = e;
	errs->last = e;
	errs->count++;
	return e;
}

rex_gql_error *
rex_gql_error_add(rex_ctx *ctx, rex_gql_errors *errs, const rex_gql_loc *loc1,
				  const rex_gql_loc *loc2, const char *fmt,...)
{
	va_list		ap,
				ap2;
	int			n;
	char	   *msg;
	rex_gql_error *e;

	if (errs->full)
		return NULL;
	if (errs->max > 0 && errs->count >= errs->max)
	{
		/* the way graphql-js ends a list that grew too long */
		errs->full = true;
		append(ctx, errs, "Too many errors, error limit reached. Validation aborted.");
		return NULL;
	}
	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	msg = n >= 0 ? rex_alloc(ctx, (size_t) n + 1) : NULL;
	if (msg)
		vsnprintf(msg, (size_t) n + 1, fmt, ap);
	va_end(ap);
	if (msg == NULL)
	{
		rex_error_nomem(ctx);
		return NULL;
	}
	e = append(ctx, errs, msg);
	if (e == NULL)
		return NULL;
	if (loc1 && loc1->line > 0)
		rex_gql_error_add_loc(ctx, e, *loc1);
	if (loc2 && loc2->line > 0)
		rex_gql_error_add_loc(ctx, e, *loc2);
	return e;
}

void
rex_gql_error_add_loc(rex_ctx *ctx, rex_gql_error *err, rex_gql_loc loc)
{
	rex_gql_loc *locs;

	if (err == NULL)
		return;
	locs = rex_alloc(ctx, sizeof(rex_gql_loc) * (size_t) (err->nlocations + 1));
	if (locs == NULL)
		return;
	if (err->nlocations)
		memcpy(locs, err->locations, sizeof(rex_gql_loc) * (size_t) err->nlocations);
	locs[err->nlocations++] = loc;
	err->locations = locs;
}

/* {"message", "locations", "path"} for one error; NULL on OOM. */
static json_t *
error_json(const rex_gql_error *e)
{
	json_t	   *o = json_object();
	json_t	   *locs;
	int			i;

	if (o == NULL || json_object_set_new(o, "message", json_string(e->message)) != 0)
	{
		json_decref(o);
		return NULL;
	}
	if (e->nlocations > 0)
	{
		locs = json_array();
		if (json_object_set_new(o, "locations", locs) != 0)
		{
			json_decref(o);
			return NULL;
		}
		for (i = 0; i < e->nlocations; i++)
			if (json_array_append_new(locs, json_pack("{s:i,s:i}",
													  "line", e->locations[i].line,
													  "column", e->locations[i].column)) != 0)
			{
				json_decref(o);
				return NULL;
			}
	}
	if (e->path && json_object_set(o, "path", e->path) != 0)
	{
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
rex_gql_errors_json(rex_ctx *ctx, const rex_gql_errors *errs)
{
	json_t	   *arr = json_array();
	const rex_gql_error *e;

	if (arr == NULL)
	{
		rex_error_nomem(ctx);
		return NULL;
	}
	for (e = errs->first; e; e = e->next)
		if (json_array_append_new(arr, error_json(e)) != 0)
		{
			json_decref(arr);
			rex_error_nomem(ctx);
			return NULL;
		}
	return rex_json_own(ctx, arr);
}

/* ---------------------------------------------------------------- */
/* printing for messages */

const char *
rex_gql_op_kind_name(rex_gql_op_kind kind)
{
	switch (kind)
	{
		case REX_GQL_QUERY:
			return "query";
		case REX_GQL_MUTATION:
			return "mutation";
		case REX_GQL_SUBSCRIPTION:
			return "subscription";
	}
	return "operation";
}

static void
type_to_buf(rex_buf *b, const rex_gql_type *t)
{
	/* iterative on NON_NULL, recursive on LIST (bounded by the parser) */
	switch (t->kind)
	{
		case REX_GQL_TYPE_NAMED:
			rex_buf_append(b, t->name);
			break;
		case REX_GQL_TYPE_LIST:
			rex_buf_append_char(b, '[');
			type_to_buf(b, t->of);
			rex_buf_append_char(b, ']');
			break;
		case REX_GQL_TYPE_NON_NULL:
			type_to_buf(b, t->of);
			rex_buf_append_char(b, '!');
			break;
	}
}

const char *
rex_gql_type_text(rex_ctx *ctx, const rex_gql_type *type)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	type_to_buf(&b, type);
	return rex_buf_ok(&b) ? b.data : "?";
}

const char *
rex_gql_type_base(const rex_gql_type *type)
{
	while (type->kind != REX_GQL_TYPE_NAMED)
		type = type->of;
	return type->name;
}

/* A string value as GraphQL writes it, with escapes. */
static void
string_to_buf(rex_buf *b, const char *s, size_t len)
{
	size_t		i;

	rex_buf_append_char(b, '"');
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '"' || c == '\\')
		{
			rex_buf_append_char(b, '\\');
			rex_buf_append_char(b, (char) c);
		}
		else if (c == '\n')
			rex_buf_append(b, "\\n");
		else if (c == '\t')
			rex_buf_append(b, "\\t");
		else if (c == '\r')
			rex_buf_append(b, "\\r");
		else if (c == '\b')
			rex_buf_append(b, "\\b");
		else if (c == '\f')
			rex_buf_append(b, "\\f");
		else if (c < 0x20 || c == 0x7F)
			rex_buf_printf(b, "\\u%04X", c);
		else
			rex_buf_append_char(b, (char) c);
	}
	rex_buf_append_char(b, '"');
}

/* Prints a value; stops adding once the buffer is past 'limit' bytes. */
static void
value_to_buf(rex_buf *b, const rex_gql_value *v, size_t limit)
{
	int			i;

	if (b->len > limit)
		return;
	switch (v->kind)
	{
		case REX_GQL_VARIABLE:
			rex_buf_append_char(b, '$');
			rex_buf_append(b, v->text);
			break;
		case REX_GQL_INT:
		case REX_GQL_FLOAT:
		case REX_GQL_ENUM:
			rex_buf_append(b, v->text);
			break;
		case REX_GQL_STRING:
			string_to_buf(b, v->text, v->len);
			break;
		case REX_GQL_BOOLEAN:
			rex_buf_append(b, v->boolean ? "true" : "false");
			break;
		case REX_GQL_NULL:
			rex_buf_append(b, "null");
			break;
		case REX_GQL_LIST:
			rex_buf_append_char(b, '[');
			for (i = 0; i < v->nitems && b->len <= limit; i++)
			{
				if (i > 0)
					rex_buf_append(b, ", ");
				value_to_buf(b, v->items[i], limit);
			}
			rex_buf_append_char(b, ']');
			break;
		case REX_GQL_OBJECT:
			rex_buf_append_char(b, '{');
			for (i = 0; i < v->nfields && b->len <= limit; i++)
			{
				if (i > 0)
					rex_buf_append(b, ", ");
				rex_buf_append(b, v->fields[i].name);
				rex_buf_append(b, ": ");
				value_to_buf(b, v->fields[i].value, limit);
			}
			rex_buf_append_char(b, '}');
			break;
	}
}

const char *
rex_gql_value_text(rex_ctx *ctx, const rex_gql_value *v)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	value_to_buf(&b, v, MAX_VALUE_SHOWN);
	if (!rex_buf_ok(&b))
		return "?";
	return rex_shorten(ctx, b.data, MAX_VALUE_SHOWN);
}
