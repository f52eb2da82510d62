/*
 * fuzz_query.c
 *		libFuzzer target for the JSON query language (query_parse.c,
 *		query_json.c).
 *
 * Input: JSON text, parsed as a query of the entity "user" (every column
 * type) with a resolver for the relations user.posts and post.author.
 * Besides the sanitizers' checks, the target asserts:
 *	 - the outcome is REX_OK or a clear refusal (REX_ERR_DEFINITION,
 *	   REX_ERR_UNSUPPORTED, REX_ERR_JSON) with a message, and a refused
 *	   query gives no tree;
 *	 - an accepted query, written as canonical JSON, parses again to the
 *	   same canonical JSON (the parser and the writer agree).
 */
#include "query_ast.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern int	LLVMFuzzerInitialize(int *argc, char ***argv);

static const char user_def[] =
	"{\"columns\": {\"id\": {\"type\": \"id\"},"
	"\"name\": {\"type\": \"string\", \"max_length\": 120, \"nullable\": false},"
	"\"email\": {\"type\": \"string\"}, \"age\": {\"type\": \"integer\"},"
	"\"big\": {\"type\": \"bigint\"}, \"score\": {\"type\": \"float\"},"
	"\"balance\": {\"type\": \"decimal\", \"precision\": 10, \"scale\": 2},"
	"\"active\": {\"type\": \"boolean\"}, \"uid\": {\"type\": \"uuid\"},"
	"\"bio\": {\"type\": \"text\"}, \"created_at\": {\"type\": \"timestamp\"},"
	"\"birthday\": {\"type\": \"date\"}, \"meta\": {\"type\": \"json\"},"
	"\"avatar\": {\"type\": \"bytes\"},"
	"\"role\": {\"type\": \"enum\", \"values\": [\"admin\", \"member\"]}}}";
static const char post_def[] =
	"{\"columns\": {\"id\": {\"type\": \"id\"}, \"title\": {\"type\": \"string\"},"
	"\"author_id\": {\"type\": \"bigint\"}}}";

static rex_ctx *model_ctx;
static rex_entity *user;
static rex_entity *post;

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_query: %s\n%s\n", what, detail ? detail : "");
	abort();
}

static rex_status
relation(void *arg, rex_ctx *ctx, const rex_entity *e, const char *name,
		 rex_qrelation *out, bool *found)
{
	(void) arg;
	(void) ctx;
	*found = false;
	if (e == user && strcmp(name, "posts") == 0)
	{
		out->name = "posts";
		out->target = post;
		out->to_many = true;
		*found = true;
	}
	else if (e == post && strcmp(name, "author") == 0)
	{
		out->name = "author";
		out->target = user;
		*found = true;
	}
	return REX_OK;
}

static const char *
relation_names(void *arg, rex_ctx *ctx, const rex_entity *e)
{
	(void) arg;
	(void) ctx;
	return e == user ? "posts" : "author";
}

static const rex_query_resolver resolver = {NULL, relation, relation_names};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	json_t	   *canon;

	(void) argc;
	(void) argv;
	model_ctx = rex_ctx_new(NULL, &rex_dialect_pg);
	if (model_ctx == NULL ||
		rex_definition_parse(model_ctx, "user", user_def, &user, &canon) != REX_OK ||
		rex_definition_parse(model_ctx, "post", post_def, &post, &canon) != REX_OK)
		die("cannot build the test entities", model_ctx ? model_ctx->err.message : NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rex_ctx    *ctx = rex_ctx_new(NULL, &rex_dialect_pg);
	char	   *text;
	rex_query  *q = NULL;
	rex_query  *q2 = NULL;
	rex_query_limits lim = rex_query_limits_default();
	rex_query_limits relaxed = lim;
	rex_qfilter *f = NULL;
	const char *once;
	const char *twice;
	json_t	   *v;
	rex_status	st;

	if (ctx == NULL)
		die("out of memory", NULL);
	text = rex_strndup(ctx, (const char *) data, size);
	lim.max_limit = 100000;
	st = rex_query_parse_text(ctx, user, text, &resolver, &lim, &q);
	if (st == REX_OK)
	{
		if (q == NULL || ctx->err.status != REX_OK)
			die("REX_OK without a query, or with an error", text);
		once = rex_json_text(ctx, rex_query_to_json(ctx, q), REX_JSON_CANONICAL);
		if (once == NULL)
			die("to_json", text);
		/* the canonical form may nest a little deeper and hold more nodes */
		relaxed.max_depth = lim.max_depth * 3;
		relaxed.max_nodes = lim.max_nodes * 3;
		relaxed.max_limit = lim.max_limit;
		if (rex_query_parse_text(ctx, user, once, &resolver, &relaxed, &q2) != REX_OK)
			die("the canonical form does not parse", ctx->err.message);
		twice = rex_json_text(ctx, rex_query_to_json(ctx, q2), REX_JSON_CANONICAL);
		if (twice == NULL || strcmp(once, twice) != 0)
			die("the canonical form is not stable", once);
		/* the filter alone, as update, delete and count take it */
		v = rex_json_parse(ctx, text, "query");
		if (v && json_is_object(v) &&
			rex_query_parse_where(ctx, user, json_object_get(v, "where"), "where",
								  &resolver, &lim, &f) != REX_OK)
			die("the where of an accepted query is refused", ctx->err.message);
	}
	else
	{
		if (st != REX_ERR_DEFINITION && st != REX_ERR_UNSUPPORTED && st != REX_ERR_JSON)
			die("unexpected status", ctx->err.message);
		if (q != NULL || ctx->err.message == NULL || ctx->err.message[0] == '\0')
			die("a refusal without a message, or with a tree", text);
	}
	rex_ctx_free(ctx);
	return 0;
}
