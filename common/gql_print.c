/*
 * gql_print.c
 *		The GraphQL model as SDL text, and graphql_schema().
 *
 * SQL function (both engines, the same text):
 *	 graphql_schema() -> text
 *
 * Types come in the model's order (see gql_schema.c); built-in scalars are
 * not printed.  Descriptions are printed as one-line GraphQL strings
 * ("..."), escaped, before what they describe.  The output ends with a
 * newline and has no trailing spaces.
 */
#include "gql_schema.h"
#include "rex_api.h"

#include <stdio.h>
#include <string.h>

/* A GraphQL string literal: " \ and control characters escaped. */
static void
print_string(rex_buf *b, const char *s)
{
	const unsigned char *p;

	rex_buf_append_char(b, '"');
	for (p = (const unsigned char *) s; *p; p++)
	{
		if (*p == '"' || *p == '\\')
		{
			rex_buf_append_char(b, '\\');
			rex_buf_append_char(b, (char) *p);
		}
		else if (*p == '\n')
			rex_buf_append(b, "\\n");
		else if (*p == '\r')
			rex_buf_append(b, "\\r");
		else if (*p == '\t')
			rex_buf_append(b, "\\t");
		else if (*p < 0x20 || *p == 0x7F)
			rex_buf_printf(b, "\\u%04X", *p);
		else
			rex_buf_append_char(b, (char) *p);
	}
	rex_buf_append_char(b, '"');
}

static void
print_description(rex_buf *b, const char *indent, const char *description)
{
	if (description == NULL)
		return;
	rex_buf_append(b, indent);
	print_string(b, description);
	rex_buf_append_char(b, '\n');
}

static void
print_typeref(rex_buf *b, const rex_gql_typeref *r)
{
	if (r->list)
		rex_buf_printf(b, "[%s%s]%s", r->type->name, r->item_non_null ? "!" : "",
					   r->non_null ? "!" : "");
	else
		rex_buf_printf(b, "%s%s", r->type->name, r->non_null ? "!" : "");
}

/* Arguments on one line, or one per line when any has a description. */
static void
print_args(rex_buf *b, const rex_gql_field *f)
{
	bool		block = false;
	int			i;

	if (f->nargs == 0)
		return;
	for (i = 0; i < f->nargs; i++)
		block = block || f->args[i].description != NULL;
	rex_buf_append_char(b, '(');
	for (i = 0; i < f->nargs; i++)
	{
		if (block)
		{
			rex_buf_append_char(b, '\n');
			print_description(b, "    ", f->args[i].description);
			rex_buf_append(b, "    ");
		}
		else if (i)
			rex_buf_append(b, ", ");
		rex_buf_printf(b, "%s: ", f->args[i].name);
		print_typeref(b, &f->args[i].type);
	}
	rex_buf_append(b, block ? "\n  )" : ")");
}

static void
print_type(rex_buf *b, const rex_gql_type *t)
{
	int			i;

	print_description(b, "", t->description);
	switch (t->kind)
	{
		case REX_GQL_SCALAR:
			rex_buf_printf(b, "scalar %s", t->name);
			if (t->specified_by)
			{
				rex_buf_append(b, " @specifiedBy(url: ");
				print_string(b, t->specified_by);
				rex_buf_append_char(b, ')');
			}
			rex_buf_append(b, "\n");
			return;
		case REX_GQL_ENUM:
			rex_buf_printf(b, "enum %s {\n", t->name);
			for (i = 0; i < t->nvalues; i++)
			{
				print_description(b, "  ", t->values[i].description);
				rex_buf_printf(b, "  %s\n", t->values[i].name);
			}
			rex_buf_append(b, "}\n");
			return;
		case REX_GQL_OBJECT:
		case REX_GQL_INPUT_OBJECT:
			rex_buf_printf(b, "%s %s {\n", t->kind == REX_GQL_OBJECT ? "type" : "input", t->name);
			for (i = 0; i < t->nfields; i++)
			{
				const rex_gql_field *f = &t->fields[i];

				print_description(b, "  ", f->description);
				rex_buf_printf(b, "  %s", f->name);
				print_args(b, f);
				rex_buf_append(b, ": ");
				print_typeref(b, &f->type);
				rex_buf_append_char(b, '\n');
			}
			rex_buf_append(b, "}\n");
			return;
	}
}

rex_status
rex_gql_print_sdl(rex_ctx *ctx, const rex_gql_schema *g, const char **out)
{
	rex_buf		b;
	int			i;
	bool		first = true;

	rex_buf_init(&b, ctx);
	for (i = 0; i < g->ntypes; i++)
	{
		if (g->types[i]->builtin)
			continue;
		if (!first)
			rex_buf_append_char(&b, '\n');
		first = false;
		print_type(&b, g->types[i]);
	}
	if (!rex_buf_ok(&b))
		return ctx->err.status;
	*out = b.data;
	return REX_OK;
}

rex_status
rex_api_graphql_schema(rex_ctx *ctx, const char **out)
{
	rex_gql_schema *g;
	rex_status	st;

	if ((st = rex_gql_schema_load(ctx, &g)) != REX_OK)
		return st;
	return rex_gql_print_sdl(ctx, g, out);
}
