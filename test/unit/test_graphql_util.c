/*
 * test_graphql_util.c
 *		Helpers shared by the GraphQL unit tests (see test_frontend.h).
 */
#include "test_frontend.h"
#include "gql_test_schema.h"

#include <stdio.h>

const char *
tname(const char *fmt,...)
{
	static char buf[200];
	va_list		ap;
	char	   *p;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; *p; p++)
		if ((unsigned char) *p < 0x20 || (unsigned char) *p >= 0x7F)
			*p = '?';
	return buf;
}

const char *
gql_errors_text(rex_ctx *ctx, const rex_gql_errors *errs)
{
	json_t	   *j = rex_gql_errors_json(ctx, errs);

	assert_non_null(j);
	return rex_json_text(ctx, j, REX_JSON_OUTPUT);
}

rex_gql_document *
gql_parse_ok(rex_ctx *ctx, const char *text, const char *file, int line)
{
	rex_gql_errors errs;
	rex_gql_document *doc = NULL;
	rex_status	st;

	rex_gql_errors_init(&errs, 0);
	st = rex_gql_parse(ctx, text, strlen(text), NULL, &doc, &errs);
	if (st != REX_OK || doc == NULL || errs.count != 0)
	{
		print_error("document refused: %s\n%s\n", gql_errors_text(ctx, &errs), text);
		_fail(file, line);
	}
	return doc;
}

const char *
gql_parse_fail(rex_ctx *ctx, const char *text, const char *file, int line)
{
	rex_gql_errors errs;
	rex_gql_document *doc = NULL;
	rex_status	st;

	rex_gql_errors_init(&errs, 0);
	st = rex_gql_parse(ctx, text, strlen(text), NULL, &doc, &errs);
	if (st != REX_ERR_DEFINITION || doc != NULL || errs.count != 1)
	{
		print_error("expected exactly one syntax error (status %d, %d errors) for\n%s\n",
					(int) st, errs.count, text);
		_fail(file, line);
	}
	/* the context's own error stays clear: request errors are not failures */
	if (ctx->err.status != REX_OK)
	{
		print_error("ctx->err was set: %s\n", ctx->err.message);
		_fail(file, line);
	}
	return gql_errors_text(ctx, &errs);
}

/* The shared test schema (gql_test_schema.c), built in ctx's arena. */
const struct rex_gql_schema *
test_schema(rex_ctx *ctx)
{
	const rex_gql_schema *s = gql_test_schema(ctx);

	assert_non_null(s);
	return s;
}

const char *
gql_validate_text(rex_ctx *ctx, const char *text, const rex_gql_schema *schema,
				  const rex_gql_limits *limits, rex_status *status)
{
	rex_gql_errors errs;
	rex_gql_document *doc = gql_parse_ok(ctx, text, __FILE__, __LINE__);
	rex_status	st;

	rex_gql_errors_init(&errs, 0);
	st = rex_gql_validate(ctx, doc, schema, limits, &errs);
	if (status)
		*status = st;
	assert_true((st == REX_OK) == (errs.count == 0));
	return gql_errors_brief(ctx, &errs);
}

const char *
gql_errors_brief(rex_ctx *ctx, const rex_gql_errors *errs)
{
	const rex_gql_error *e;
	char	   *out = "";
	int			i;

	for (e = errs->first; e; e = e->next)
	{
		out = rex_psprintf(ctx, "%s%s%s", out, *out ? "\n" : "", e->message);
		for (i = 0; i < e->nlocations; i++)
			out = rex_psprintf(ctx, "%s @%d:%d", out, e->locations[i].line,
							   e->locations[i].column);
	}
	return out;
}
