/*
 * graphql_parse.c
 *		A recursive-descent parser for executable GraphQL documents (see
 *		graphql_ast.h; section 2 of the specification, October 2021).
 *
 * One token of lookahead (rex_gql_lexer.tok) is enough for this grammar.
 * Every construct that nests -- selection sets, list and object values,
 * list types -- goes through depth_enter(), so recursion stops at
 * limits.max_depth whatever the text.  The first syntax error ends the
 * parse (as in graphql-js); the tree built so far is left in the arena.
 */
#include "graphql_lex.h"
#include "graphql_validate_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct gql_parser
{
	rex_ctx    *ctx;
	rex_gql_errors *errs;
	rex_gql_lexer lx;
	int			depth;
	int			max_depth;
} gql_parser;

/* A new zeroed slot of 'size' bytes at the end of v; NULL on OOM. */
static void *
vec_push(gql_parser *ps, gql_vec *v, size_t size)
{
	return rex_gql_vec_push(ps->ctx, v, size);
}

/* ---------------------------------------------------------------- */
/* tokens and errors */

#define TOK(ps) ((ps)->lx.tok)

/* The status once something failed: the lexer's, or the context's. */
static rex_status
failed(gql_parser *ps)
{
	if (ps->ctx->err.status != REX_OK)
		return ps->ctx->err.status;
	return REX_ERR_DEFINITION;
}

/* Records a syntax error at 'loc' and returns the failure status. */
static rex_status parse_error(gql_parser *ps, rex_gql_loc loc, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

static rex_status
parse_error(gql_parser *ps, rex_gql_loc loc, const char *fmt,...)
{
	char		msg[300];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rex_gql_error_add(ps->ctx, ps->errs, &loc, NULL, "Syntax Error: %s", msg);
	ps->lx.status = failed(ps);
	return ps->lx.status;
}

static rex_status
advance(gql_parser *ps)
{
	return rex_gql_lex_next(&ps->lx);
}

static bool
peek(gql_parser *ps, rex_gql_token_kind kind)
{
	return TOK(ps).kind == kind;
}

/* True when the current token is the name 'word'. */
static bool
peek_keyword(gql_parser *ps, const char *word)
{
	size_t		n = strlen(word);

	return TOK(ps).kind == REX_GQL_TK_NAME && TOK(ps).len == n &&
		memcmp(TOK(ps).start, word, n) == 0;
}

/* "Unexpected <token>." at the current token. */
static rex_status
unexpected(gql_parser *ps)
{
	return parse_error(ps, TOK(ps).loc, "Unexpected %s.",
					   rex_gql_token_desc(ps->ctx, &TOK(ps)));
}

/* Consumes a token of the given kind, or fails with "Expected ...". */
static rex_status
expect(gql_parser *ps, rex_gql_token_kind kind)
{
	if (TOK(ps).kind != kind)
		return parse_error(ps, TOK(ps).loc, "Expected %s, found %s.",
						   rex_gql_token_kind_desc(kind),
						   rex_gql_token_desc(ps->ctx, &TOK(ps)));
	return advance(ps);
}

/* Consumes the keyword 'word', or fails. */
static rex_status
expect_keyword(gql_parser *ps, const char *word)
{
	if (!peek_keyword(ps, word))
		return parse_error(ps, TOK(ps).loc, "Expected \"%s\", found %s.", word,
						   rex_gql_token_desc(ps->ctx, &TOK(ps)));
	return advance(ps);
}

/* Consumes a name; *out is a copy in the arena, *loc its location. */
static rex_status
parse_name(gql_parser *ps, const char **out, rex_gql_loc *loc)
{
	if (TOK(ps).kind != REX_GQL_TK_NAME)
		return expect(ps, REX_GQL_TK_NAME);
	*out = rex_strndup(ps->ctx, TOK(ps).start, TOK(ps).len);
	if (*out == NULL)
		return REX_ERR_NOMEM;
	if (loc)
		*loc = TOK(ps).loc;
	return advance(ps);
}

/* Enters one level of nesting at the current token. */
static rex_status
depth_enter(gql_parser *ps)
{
	if (++ps->depth > ps->max_depth)
		return parse_error(ps, TOK(ps).loc,
						   "Document is nested too deeply (the limit is %d levels).",
						   ps->max_depth);
	return REX_OK;
}

static void
depth_leave(gql_parser *ps)
{
	ps->depth--;
}

/* ---------------------------------------------------------------- */
/* values */

static rex_status parse_value(gql_parser *ps, bool is_const, rex_gql_value **out);

/* [ Value* ] */
static rex_status
parse_list_value(gql_parser *ps, bool is_const, rex_gql_value *v)
{
	gql_vec		items = {0};
	rex_gql_value **slot;

	v->kind = REX_GQL_LIST;
	if (depth_enter(ps) != REX_OK || advance(ps) != REX_OK)
		return failed(ps);
	while (!peek(ps, REX_GQL_TK_BRACKET_R))
	{
		slot = vec_push(ps, &items, sizeof(rex_gql_value *));
		if (slot == NULL || parse_value(ps, is_const, slot) != REX_OK)
			return failed(ps);
	}
	depth_leave(ps);
	v->items = items.data;
	v->nitems = items.n;
	return advance(ps);
}

/* { (Name : Value)* } */
static rex_status
parse_object_value(gql_parser *ps, bool is_const, rex_gql_value *v)
{
	gql_vec		fields = {0};
	rex_gql_object_field *f;

	v->kind = REX_GQL_OBJECT;
	if (depth_enter(ps) != REX_OK || advance(ps) != REX_OK)
		return failed(ps);
	while (!peek(ps, REX_GQL_TK_BRACE_R))
	{
		f = vec_push(ps, &fields, sizeof(rex_gql_object_field));
		if (f == NULL ||
			parse_name(ps, &f->name, &f->loc) != REX_OK ||
			expect(ps, REX_GQL_TK_COLON) != REX_OK ||
			parse_value(ps, is_const, &f->value) != REX_OK)
			return failed(ps);
	}
	depth_leave(ps);
	v->fields = fields.data;
	v->nfields = fields.n;
	return advance(ps);
}

/* $name; in a constant value, a variable is an error. */
static rex_status
parse_variable_value(gql_parser *ps, bool is_const, rex_gql_value *v)
{
	rex_gql_loc loc = TOK(ps).loc;

	v->kind = REX_GQL_VARIABLE;
	if (advance(ps) != REX_OK)
		return failed(ps);
	if (is_const)
	{
		if (peek(ps, REX_GQL_TK_NAME))
			return parse_error(ps, loc, "Unexpected variable \"$%.*s\" in constant value.",
							   (int) (TOK(ps).len > 64 ? 64 : TOK(ps).len), TOK(ps).start);
		return parse_error(ps, loc, "Unexpected \"$\" in constant value.");
	}
	if (parse_name(ps, &v->text, NULL) != REX_OK)
		return failed(ps);
	v->len = strlen(v->text);
	return REX_OK;
}

/* A scalar token as a value: its text copied into the arena. */
static rex_status
scalar_value(gql_parser *ps, rex_gql_value *v, rex_gql_value_kind kind)
{
	v->kind = kind;
	if (kind == REX_GQL_STRING)
	{
		v->text = TOK(ps).value;
		v->len = TOK(ps).value_len;
		v->block = TOK(ps).kind == REX_GQL_TK_BLOCK_STRING;
	}
	else
	{
		v->text = rex_strndup(ps->ctx, TOK(ps).start, TOK(ps).len);
		if (v->text == NULL)
			return REX_ERR_NOMEM;
		v->len = TOK(ps).len;
	}
	return advance(ps);
}

/* Value[Const] of section 2.9. */
static rex_status
parse_value(gql_parser *ps, bool is_const, rex_gql_value **out)
{
	rex_gql_value *v = rex_alloc0(ps->ctx, sizeof(rex_gql_value));

	if (v == NULL)
		return REX_ERR_NOMEM;
	*out = v;
	v->loc = TOK(ps).loc;
	switch (TOK(ps).kind)
	{
		case REX_GQL_TK_BRACKET_L:
			return parse_list_value(ps, is_const, v);
		case REX_GQL_TK_BRACE_L:
			return parse_object_value(ps, is_const, v);
		case REX_GQL_TK_DOLLAR:
			return parse_variable_value(ps, is_const, v);
		case REX_GQL_TK_INT:
			return scalar_value(ps, v, REX_GQL_INT);
		case REX_GQL_TK_FLOAT:
			return scalar_value(ps, v, REX_GQL_FLOAT);
		case REX_GQL_TK_STRING:
		case REX_GQL_TK_BLOCK_STRING:
			return scalar_value(ps, v, REX_GQL_STRING);
		case REX_GQL_TK_NAME:
			if (peek_keyword(ps, "true") || peek_keyword(ps, "false"))
			{
				v->boolean = peek_keyword(ps, "true");
				return scalar_value(ps, v, REX_GQL_BOOLEAN);
			}
			if (peek_keyword(ps, "null"))
				return scalar_value(ps, v, REX_GQL_NULL);
			return scalar_value(ps, v, REX_GQL_ENUM);
		default:
			return unexpected(ps);
	}
}

/* ---------------------------------------------------------------- */
/* arguments and directives */

/* ( Argument+ ), when the current token is '(' */
static rex_status
parse_arguments(gql_parser *ps, bool is_const, rex_gql_argument **out, int *n)
{
	gql_vec		args = {0};
	rex_gql_argument *a;

	*out = NULL;
	*n = 0;
	if (!peek(ps, REX_GQL_TK_PAREN_L))
		return REX_OK;
	if (advance(ps) != REX_OK)
		return failed(ps);
	do
	{
		a = vec_push(ps, &args, sizeof(rex_gql_argument));
		if (a == NULL ||
			parse_name(ps, &a->name, &a->loc) != REX_OK ||
			expect(ps, REX_GQL_TK_COLON) != REX_OK ||
			parse_value(ps, is_const, &a->value) != REX_OK)
			return failed(ps);
	} while (!peek(ps, REX_GQL_TK_PAREN_R));
	*out = args.data;
	*n = args.n;
	return advance(ps);
}

/* Directive* : ( @ Name Arguments? )* */
static rex_status
parse_directives(gql_parser *ps, bool is_const, rex_gql_directive **out, int *n)
{
	gql_vec		dirs = {0};
	rex_gql_directive *d;

	while (peek(ps, REX_GQL_TK_AT))
	{
		d = vec_push(ps, &dirs, sizeof(rex_gql_directive));
		if (d == NULL)
			return REX_ERR_NOMEM;
		d->loc = TOK(ps).loc;
		if (advance(ps) != REX_OK ||
			parse_name(ps, &d->name, NULL) != REX_OK ||
			parse_arguments(ps, is_const, &d->args, &d->nargs) != REX_OK)
			return failed(ps);
	}
	*out = dirs.data;
	*n = dirs.n;
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* types and variable definitions */

/* Type: Name | [ Type ], then an optional '!' */
static rex_status
parse_type(gql_parser *ps, rex_gql_type **out)
{
	rex_gql_type *t = rex_alloc0(ps->ctx, sizeof(rex_gql_type));
	rex_gql_type *nn;
	rex_gql_type *inner;

	if (t == NULL)
		return REX_ERR_NOMEM;
	t->loc = TOK(ps).loc;
	if (peek(ps, REX_GQL_TK_BRACKET_L))
	{
		t->kind = REX_GQL_TYPE_LIST;
		if (depth_enter(ps) != REX_OK || advance(ps) != REX_OK ||
			parse_type(ps, &inner) != REX_OK ||
			expect(ps, REX_GQL_TK_BRACKET_R) != REX_OK)
			return failed(ps);
		depth_leave(ps);
		t->of = inner;
	}
	else
	{
		t->kind = REX_GQL_TYPE_NAMED;
		if (parse_name(ps, &t->name, NULL) != REX_OK)
			return failed(ps);
	}
	if (peek(ps, REX_GQL_TK_BANG))
	{
		nn = rex_alloc0(ps->ctx, sizeof(rex_gql_type));
		if (nn == NULL)
			return REX_ERR_NOMEM;
		nn->kind = REX_GQL_TYPE_NON_NULL;
		nn->loc = t->loc;
		nn->of = t;
		t = nn;
		if (advance(ps) != REX_OK)
			return failed(ps);
	}
	*out = t;
	return REX_OK;
}

/* ( VariableDefinition+ ), when the current token is '(' */
static rex_status
parse_variable_defs(gql_parser *ps, rex_gql_operation *op)
{
	gql_vec		vars = {0};
	rex_gql_variable_def *vd;

	if (!peek(ps, REX_GQL_TK_PAREN_L))
		return REX_OK;
	if (advance(ps) != REX_OK)
		return failed(ps);
	do
	{
		vd = vec_push(ps, &vars, sizeof(rex_gql_variable_def));
		if (vd == NULL)
			return REX_ERR_NOMEM;
		vd->loc = TOK(ps).loc;
		if (expect(ps, REX_GQL_TK_DOLLAR) != REX_OK ||
			parse_name(ps, &vd->name, &vd->name_loc) != REX_OK ||
			expect(ps, REX_GQL_TK_COLON) != REX_OK ||
			parse_type(ps, &vd->type) != REX_OK)
			return failed(ps);
		if (peek(ps, REX_GQL_TK_EQUALS))
		{
			if (advance(ps) != REX_OK ||
				parse_value(ps, true, &vd->default_value) != REX_OK)
				return failed(ps);
		}
		if (parse_directives(ps, true, &vd->directives, &vd->ndirectives) != REX_OK)
			return failed(ps);
	} while (!peek(ps, REX_GQL_TK_PAREN_R));
	op->vars = vars.data;
	op->nvars = vars.n;
	return advance(ps);
}

/* ---------------------------------------------------------------- */
/* selections */

static rex_status parse_selection_set(gql_parser *ps, rex_gql_selection_set **out);

/* Alias? Name Arguments? Directives? SelectionSet? */
static rex_status
parse_field(gql_parser *ps, rex_gql_selection *s)
{
	const char *first;
	rex_gql_loc first_loc;

	s->kind = REX_GQL_FIELD;
	if (parse_name(ps, &first, &first_loc) != REX_OK)
		return failed(ps);
	if (peek(ps, REX_GQL_TK_COLON))
	{
		s->alias = first;
		if (advance(ps) != REX_OK || parse_name(ps, &s->name, &s->name_loc) != REX_OK)
			return failed(ps);
	}
	else
	{
		s->name = first;
		s->name_loc = first_loc;
	}
	if (parse_arguments(ps, false, &s->args, &s->nargs) != REX_OK ||
		parse_directives(ps, false, &s->directives, &s->ndirectives) != REX_OK)
		return failed(ps);
	if (peek(ps, REX_GQL_TK_BRACE_L))
		return parse_selection_set(ps, &s->selection_set);
	return REX_OK;
}

/*
 * After '...': a fragment spread (a name other than "on") or an inline
 * fragment (an optional type condition, directives, a selection set).
 */
static rex_status
parse_fragment_selection(gql_parser *ps, rex_gql_selection *s)
{
	if (advance(ps) != REX_OK)
		return failed(ps);
	if (peek(ps, REX_GQL_TK_NAME) && !peek_keyword(ps, "on"))
	{
		s->kind = REX_GQL_FRAGMENT_SPREAD;
		if (parse_name(ps, &s->name, &s->name_loc) != REX_OK)
			return failed(ps);
		return parse_directives(ps, false, &s->directives, &s->ndirectives);
	}
	s->kind = REX_GQL_INLINE_FRAGMENT;
	if (peek_keyword(ps, "on"))
	{
		if (advance(ps) != REX_OK ||
			parse_name(ps, &s->type_condition, &s->type_condition_loc) != REX_OK)
			return failed(ps);
	}
	if (parse_directives(ps, false, &s->directives, &s->ndirectives) != REX_OK)
		return failed(ps);
	return parse_selection_set(ps, &s->selection_set);
}

/* { Selection+ } */
static rex_status
parse_selection_set(gql_parser *ps, rex_gql_selection_set **out)
{
	rex_gql_selection_set *set = rex_alloc0(ps->ctx, sizeof(rex_gql_selection_set));
	gql_vec		items = {0};
	rex_gql_selection *s;

	if (set == NULL)
		return REX_ERR_NOMEM;
	set->loc = TOK(ps).loc;
	if (depth_enter(ps) != REX_OK || expect(ps, REX_GQL_TK_BRACE_L) != REX_OK)
		return failed(ps);
	do
	{
		s = vec_push(ps, &items, sizeof(rex_gql_selection));
		if (s == NULL)
			return REX_ERR_NOMEM;
		s->loc = TOK(ps).loc;
		if (peek(ps, REX_GQL_TK_SPREAD))
		{
			if (parse_fragment_selection(ps, s) != REX_OK)
				return failed(ps);
		}
		else if (parse_field(ps, s) != REX_OK)
			return failed(ps);
	} while (!peek(ps, REX_GQL_TK_BRACE_R));
	depth_leave(ps);
	set->items = items.data;
	set->nitems = items.n;
	*out = set;
	return advance(ps);
}

/* ---------------------------------------------------------------- */
/* definitions */

/* OperationDefinition, or the shorthand { ... } of a query. */
static rex_status
parse_operation(gql_parser *ps, rex_gql_operation *op)
{
	op->loc = TOK(ps).loc;
	if (peek(ps, REX_GQL_TK_BRACE_L))
	{
		op->kind = REX_GQL_QUERY;
		return parse_selection_set(ps, &op->selection_set);
	}
	if (peek_keyword(ps, "query"))
		op->kind = REX_GQL_QUERY;
	else if (peek_keyword(ps, "mutation"))
		op->kind = REX_GQL_MUTATION;
	else
		op->kind = REX_GQL_SUBSCRIPTION;
	if (advance(ps) != REX_OK)
		return failed(ps);
	if (peek(ps, REX_GQL_TK_NAME) && parse_name(ps, &op->name, &op->name_loc) != REX_OK)
		return failed(ps);
	if (parse_variable_defs(ps, op) != REX_OK ||
		parse_directives(ps, false, &op->directives, &op->ndirectives) != REX_OK)
		return failed(ps);
	return parse_selection_set(ps, &op->selection_set);
}

/* fragment Name on Type Directives? SelectionSet */
static rex_status
parse_fragment(gql_parser *ps, rex_gql_fragment *f)
{
	f->loc = TOK(ps).loc;
	if (advance(ps) != REX_OK)
		return failed(ps);
	if (peek_keyword(ps, "on"))
		return unexpected(ps);
	if (parse_name(ps, &f->name, &f->name_loc) != REX_OK ||
		expect_keyword(ps, "on") != REX_OK ||
		parse_name(ps, &f->type_condition, &f->type_condition_loc) != REX_OK ||
		parse_directives(ps, false, &f->directives, &f->ndirectives) != REX_OK)
		return failed(ps);
	return parse_selection_set(ps, &f->selection_set);
}

/* Definition+ up to the end of the text. */
static rex_status
parse_document(gql_parser *ps, rex_gql_document *doc)
{
	gql_vec		ops = {0};
	gql_vec		frags = {0};
	rex_gql_operation *op;
	rex_gql_fragment *f;

	if (advance(ps) != REX_OK)
		return failed(ps);
	do
	{
		if (peek(ps, REX_GQL_TK_BRACE_L) || peek_keyword(ps, "query") ||
			peek_keyword(ps, "mutation") || peek_keyword(ps, "subscription"))
		{
			op = vec_push(ps, &ops, sizeof(rex_gql_operation));
			if (op == NULL || parse_operation(ps, op) != REX_OK)
				return failed(ps);
		}
		else if (peek_keyword(ps, "fragment"))
		{
			f = vec_push(ps, &frags, sizeof(rex_gql_fragment));
			if (f == NULL || parse_fragment(ps, f) != REX_OK)
				return failed(ps);
			f->index = frags.n - 1;
		}
		else
			return unexpected(ps);
	} while (!peek(ps, REX_GQL_TK_EOF));
	doc->ops = ops.data;
	doc->nops = ops.n;
	doc->frags = frags.data;
	doc->nfrags = frags.n;
	doc->ntokens = ps->lx.ntokens;
	return REX_OK;
}

rex_status
rex_gql_parse(rex_ctx *ctx, const char *text, size_t len,
			  const rex_gql_limits *limits, rex_gql_document **out,
			  rex_gql_errors *errs)
{
	rex_gql_limits dflt = rex_gql_limits_default();
	gql_parser	ps;
	rex_gql_document *doc;
	rex_status	st;

	if (limits == NULL)
		limits = &dflt;
	*out = NULL;
	if (limits->max_bytes > 0 && len > limits->max_bytes)
	{
		rex_gql_error_add(ctx, errs, NULL, NULL,
						  "Syntax Error: Document is %zu bytes long; the limit is %zu bytes.",
						  len, limits->max_bytes);
		return ctx->err.status != REX_OK ? ctx->err.status : REX_ERR_DEFINITION;
	}
	memset(&ps, 0, sizeof(ps));
	ps.ctx = ctx;
	ps.errs = errs;
	ps.max_depth = limits->max_depth > 0 ? limits->max_depth : REX_GQL_DEFAULT_MAX_DEPTH;
	rex_gql_lexer_init(&ps.lx, ctx, errs, text, len, limits->max_tokens);
	doc = rex_alloc0(ctx, sizeof(rex_gql_document));
	if (doc == NULL)
		return REX_ERR_NOMEM;
	st = parse_document(&ps, doc);
	if (st != REX_OK)
		return failed(&ps);
	*out = doc;
	return REX_OK;
}
