/*
 * fuzz_graphql.c
 *		libFuzzer target for the GraphQL front end: parser, printer,
 *		validation (with and without a schema), GetOperation and coercion.
 *
 * Input: a GraphQL document, optionally followed by a NUL byte and the
 * JSON text of the request's variables.  Besides the sanitizers' checks,
 * the target asserts what must hold for any input:
 *	 - every call returns REX_OK or REX_ERR_DEFINITION (a request error,
 *	   with at least one error listed, each with a message and locations
 *	   inside the document), never anything else, and never sets the
 *	   context's own error;
 *	 - a parsed document prints to text that parses again and prints the
 *	   same (the printer and the parser agree).
 * A failed check aborts, which libFuzzer reports as a crash.
 */
#include "gql_test_schema.h"
#include "graphql_validate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern int	LLVMFuzzerInitialize(int *argc, char ***argv);

static rex_ctx *schema_ctx;
static const rex_gql_schema *schema;

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_graphql: %s\n%s\n", what, detail ? detail : "");
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	schema_ctx = rex_ctx_new(NULL, &rex_dialect_pg);
	schema = schema_ctx ? gql_test_schema(schema_ctx) : NULL;
	if (schema == NULL)
		die("cannot build the test schema", NULL);
	return 0;
}

/* Checks the outcome of a front-end call and its errors. */
static void
check(rex_ctx *ctx, const char *what, rex_status st, const rex_gql_errors *errs,
	  int before, int nlines)
{
	const rex_gql_error *e;
	int			i,
				k;

	if (ctx->err.status != REX_OK)
		die(what, ctx->err.message);
	if (st != REX_OK && st != REX_ERR_DEFINITION)
		die(what, "unexpected status");
	if ((st == REX_ERR_DEFINITION) != (errs->count > before))
		die(what, "status and error list disagree");
	for (e = errs->first, k = 0; e; e = e->next, k++)
	{
		if (k < before)
			continue;
		if (e->message == NULL || e->message[0] == '\0')
			die(what, "an error without a message");
		for (i = 0; i < e->nlocations; i++)
			if (e->locations[i].line < 1 || e->locations[i].line > nlines ||
				e->locations[i].column < 1)
				die(what, e->message);
	}
	if (rex_gql_errors_json(ctx, errs) == NULL)
		die(what, "errors_json failed");
}

/* Prints, parses again, prints again: the same text. */
static void
check_round_trip(rex_ctx *ctx, const rex_gql_document *doc)
{
	const char *once = rex_gql_print(ctx, doc);
	const char *twice;
	rex_gql_document *again = NULL;
	rex_gql_errors errs;
	rex_gql_limits lim = rex_gql_limits_default();

	if (once == NULL)
		die("print", NULL);
	/* printing adds a few tokens and bytes; nesting is the same */
	lim.max_bytes = 0;
	lim.max_tokens = 0;
	rex_gql_errors_init(&errs, 0);
	if (rex_gql_parse(ctx, once, strlen(once), &lim, &again, &errs) != REX_OK)
		die("the printed document does not parse", once);
	twice = rex_gql_print(ctx, again);
	if (twice == NULL || strcmp(once, twice) != 0)
		die("printing is not stable", once);
}

/* Coerces variables and the arguments of root fields of each operation. */
static void
coerce_all(rex_ctx *ctx, const rex_gql_document *doc, json_t *vars, int nlines)
{
	int			i,
				k;

	for (i = 0; i < doc->nops; i++)
	{
		const rex_gql_operation *op = &doc->ops[i];
		const char *root = schema->root_type(schema->arg, op->kind);
		rex_gql_errors errs;
		json_t	   *coerced = NULL;
		rex_status	st;

		rex_gql_errors_init(&errs, 0);
		st = rex_gql_coerce_variables(ctx, schema, op, vars, &coerced, &errs);
		check(ctx, "coerce_variables", st, &errs, 0, nlines);
		if (st != REX_OK || root == NULL)
			continue;
		for (k = 0; k < op->selection_set->nitems; k++)
		{
			const rex_gql_selection *s = &op->selection_set->items[k];
			const rex_gql_field_def *f;
			json_t	   *args = NULL;
			int			before = errs.count;

			if (s->kind != REX_GQL_FIELD)
				continue;
			(void) rex_gql_selection_included(s->directives, s->ndirectives, coerced);
			f = schema->field(schema->arg, root, s->name);
			if (f == NULL)
				continue;
			st = rex_gql_coerce_arguments(ctx, schema, f->args, f->nargs, s->args, s->nargs,
										  coerced, s->loc, &args, &errs);
			check(ctx, "coerce_arguments", st, &errs, before, nlines);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rex_ctx    *ctx = rex_ctx_new(NULL, &rex_dialect_pg);
	const char *text = (const char *) data;
	const uint8_t *nul = memchr(data, 0, size);
	size_t		len = nul ? (size_t) (nul - data) : size;
	json_t	   *vars = NULL;
	rex_gql_document *doc = NULL;
	rex_gql_errors errs;
	const rex_gql_operation *op;
	rex_status	st;
	int			nlines = 1;
	size_t		i;

	if (ctx == NULL)
		die("out of memory", NULL);
	for (i = 0; i < len; i++)
		if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
			nlines++;
	if (nul)
	{
		char	   *j = rex_strndup(ctx, (const char *) nul + 1, size - len - 1);

		vars = j ? rex_json_parse(ctx, j, "variables") : NULL;
		rex_error_clear(ctx);
	}
	rex_gql_errors_init(&errs, 0);
	st = rex_gql_parse(ctx, text, len, NULL, &doc, &errs);
	check(ctx, "parse", st, &errs, 0, nlines);
	if (st == REX_OK)
	{
		if (errs.count != 0 || doc == NULL)
			die("parse", "REX_OK with errors or without a document");
		check_round_trip(ctx, doc);
		st = rex_gql_validate(ctx, doc, NULL, NULL, &errs);
		check(ctx, "validate without a schema", st, &errs, 0, nlines);
		rex_gql_errors_init(&errs, 0);
		st = rex_gql_validate(ctx, doc, schema, NULL, &errs);
		check(ctx, "validate with the schema", st, &errs, 0, nlines);
		rex_gql_errors_init(&errs, 0);
		(void) rex_gql_get_operation(ctx, doc, NULL, &op, &errs);
		if (doc->nops > 0 && doc->ops[0].name)
			(void) rex_gql_get_operation(ctx, doc, doc->ops[0].name, &op, &errs);
		if (ctx->err.status != REX_OK)
			die("get_operation", ctx->err.message);
		if (st == REX_OK)
			coerce_all(ctx, doc, vars, nlines);
	}
	else if (doc != NULL || errs.count != 1)
		die("parse", "a refused document must give no tree and one error");
	rex_ctx_free(ctx);
	return 0;
}
