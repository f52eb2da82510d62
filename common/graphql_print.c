/*
 * graphql_print.c
 *		Prints a parsed GraphQL document back as text (see graphql_ast.h).
 *
 * The output is canonical and on one line: single spaces, no commas
 * between items, no comments, strings always quoted with escapes (block
 * strings become quoted strings with the same value), numbers as written.
 * Parsing the output gives a document that prints the same again, which
 * the fuzz target checks.  Recursion is bounded by the nesting limit the
 * parser enforced.
 */
#include "graphql_ast.h"
#include "rex_buf.h"

static void print_value(rex_buf *b, const rex_gql_value *v);
static void print_selection_set(rex_buf *b, const rex_gql_selection_set *set);

/* A string with the escapes GraphQL reads back. */
static void
print_string(rex_buf *b, const char *s, size_t len)
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
		else if (c == '\r')
			rex_buf_append(b, "\\r");
		else if (c == '\t')
			rex_buf_append(b, "\\t");
		else if (c < 0x20 || c == 0x7F)
			rex_buf_printf(b, "\\u%04X", c);
		else
			rex_buf_append_char(b, (char) c);
	}
	rex_buf_append_char(b, '"');
}

static void
print_value(rex_buf *b, const rex_gql_value *v)
{
	int			i;

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
			print_string(b, v->text, v->len);
			break;
		case REX_GQL_BOOLEAN:
			rex_buf_append(b, v->boolean ? "true" : "false");
			break;
		case REX_GQL_NULL:
			rex_buf_append(b, "null");
			break;
		case REX_GQL_LIST:
			rex_buf_append_char(b, '[');
			for (i = 0; i < v->nitems; i++)
			{
				if (i > 0)
					rex_buf_append_char(b, ' ');
				print_value(b, v->items[i]);
			}
			rex_buf_append_char(b, ']');
			break;
		case REX_GQL_OBJECT:
			rex_buf_append_char(b, '{');
			for (i = 0; i < v->nfields; i++)
			{
				if (i > 0)
					rex_buf_append_char(b, ' ');
				rex_buf_printf(b, "%s: ", v->fields[i].name);
				print_value(b, v->fields[i].value);
			}
			rex_buf_append_char(b, '}');
			break;
	}
}

static void
print_arguments(rex_buf *b, const rex_gql_argument *args, int n)
{
	int			i;

	if (n == 0)
		return;
	rex_buf_append_char(b, '(');
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			rex_buf_append_char(b, ' ');
		rex_buf_printf(b, "%s: ", args[i].name);
		print_value(b, args[i].value);
	}
	rex_buf_append_char(b, ')');
}

/* " @a(x: 1) @b" -- each directive preceded by a space */
static void
print_directives(rex_buf *b, const rex_gql_directive *d, int n)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		rex_buf_printf(b, " @%s", d[i].name);
		print_arguments(b, d[i].args, d[i].nargs);
	}
}

static void
print_selection(rex_buf *b, const rex_gql_selection *s)
{
	switch (s->kind)
	{
		case REX_GQL_FIELD:
			if (s->alias)
				rex_buf_printf(b, "%s: ", s->alias);
			rex_buf_append(b, s->name);
			print_arguments(b, s->args, s->nargs);
			print_directives(b, s->directives, s->ndirectives);
			break;
		case REX_GQL_FRAGMENT_SPREAD:
			rex_buf_printf(b, "...%s", s->name);
			print_directives(b, s->directives, s->ndirectives);
			break;
		case REX_GQL_INLINE_FRAGMENT:
			rex_buf_append(b, "...");
			if (s->type_condition)
				rex_buf_printf(b, " on %s", s->type_condition);
			print_directives(b, s->directives, s->ndirectives);
			break;
	}
	if (s->selection_set)
	{
		rex_buf_append_char(b, ' ');
		print_selection_set(b, s->selection_set);
	}
}

static void
print_selection_set(rex_buf *b, const rex_gql_selection_set *set)
{
	int			i;

	rex_buf_append(b, "{ ");
	for (i = 0; i < set->nitems; i++)
	{
		print_selection(b, &set->items[i]);
		rex_buf_append_char(b, ' ');
	}
	rex_buf_append_char(b, '}');
}

static void
print_operation(rex_buf *b, rex_ctx *ctx, const rex_gql_operation *op)
{
	int			i;

	rex_buf_append(b, rex_gql_op_kind_name(op->kind));
	if (op->name)
		rex_buf_printf(b, " %s", op->name);
	if (op->nvars > 0)
	{
		rex_buf_append(b, op->name ? "(" : " (");
		for (i = 0; i < op->nvars; i++)
		{
			const rex_gql_variable_def *vd = &op->vars[i];

			if (i > 0)
				rex_buf_append_char(b, ' ');
			rex_buf_printf(b, "$%s: %s", vd->name, rex_gql_type_text(ctx, vd->type));
			if (vd->default_value)
			{
				rex_buf_append(b, " = ");
				print_value(b, vd->default_value);
			}
			print_directives(b, vd->directives, vd->ndirectives);
		}
		rex_buf_append_char(b, ')');
	}
	print_directives(b, op->directives, op->ndirectives);
	rex_buf_append_char(b, ' ');
	print_selection_set(b, op->selection_set);
}

/*
 * The document as canonical text: operations first, then fragments, each
 * on its own line.  In ctx's arena; NULL when out of memory.
 */
const char *
rex_gql_print(rex_ctx *ctx, const rex_gql_document *doc)
{
	rex_buf		b;
	int			i;

	rex_buf_init(&b, ctx);
	for (i = 0; i < doc->nops; i++)
	{
		print_operation(&b, ctx, &doc->ops[i]);
		rex_buf_append_char(&b, '\n');
	}
	for (i = 0; i < doc->nfrags; i++)
	{
		const rex_gql_fragment *f = &doc->frags[i];

		rex_buf_printf(&b, "fragment %s on %s", f->name, f->type_condition);
		print_directives(&b, f->directives, f->ndirectives);
		rex_buf_append_char(&b, ' ');
		print_selection_set(&b, f->selection_set);
		rex_buf_append_char(&b, '\n');
	}
	return rex_buf_ok(&b) ? b.data : NULL;
}
