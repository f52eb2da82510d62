/*
 * fuzz_definition.c
 *		libFuzzer target for entity definitions (definition.c, defparse.c,
 *		relations.c, rules.c, regex.c, values.c) and the DDL written from
 *		them (ddl.c and both dialects).
 *
 * Input: JSON text, parsed as the definition of entity "e".  Besides the
 * sanitizers' checks, the target asserts:
 *	 - the outcome is REX_OK or a refusal (definition, JSON, not supported)
 *	   with a message of bounded length;
 *	 - an accepted definition's canonical JSON parses again to the same
 *	   canonical JSON (parse -> canonical is idempotent);
 *	 - an accepted definition gives CREATE TABLE DDL for both dialects,
 *	   with every generated identifier double-quoted (no input reaches the
 *	   SQL unquoted).
 */
#include "json_util.h"
#include "model.h"
#include "plan.h"
#include "rex_dialect.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_definition: %s\n%s\n", what, detail ? detail : "");
	abort();
}

/* The DDL of the entity for one dialect must be produced. */
static void
ddl_for(const rex_dialect *d, const char *canon_text)
{
	rex_ctx    *ctx = rex_ctx_new(NULL, d);
	rex_entity *e;
	json_t	   *canon;
	rex_plan	plan;

	if (ctx == NULL)
		return;
	canon = rex_json_parse(ctx, canon_text, "canonical definition");
	if (canon == NULL || rex_definition_from_json(ctx, "e", canon, &e) != REX_OK)
		die("canonical definition does not parse again", ctx->err.message);
	memset(&plan, 0, sizeof(plan));
	plan.ops = rex_json_own(ctx, json_array());
	if (rex_ddl_create_entity(ctx, "public", e, &plan) != REX_OK &&
		ctx->err.status != REX_ERR_NOMEM)
		die("no DDL for an accepted definition", ctx->err.message);
	if (plan.nsteps > 0 && strncmp(plan.steps[0].sql, "CREATE TABLE \"", 14) != 0 &&
		strncmp(plan.steps[0].sql, "CREATE TABLE \"public\".\"", 23) != 0)
		die("CREATE TABLE does not start with a quoted name", plan.steps[0].sql);
	rex_ctx_free(ctx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rex_ctx    *ctx = rex_ctx_new(NULL, &rex_dialect_pg);
	char	   *text = malloc(size + 1);
	rex_entity *e;
	json_t	   *canon = NULL;
	rex_status	st;

	if (ctx == NULL || text == NULL)
	{
		free(text);
		rex_ctx_free(ctx);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	st = rex_definition_parse(ctx, "e", text, &e, &canon);
	if (st == REX_OK)
	{
		const char *c1 = rex_json_text(ctx, canon, REX_JSON_CANONICAL);
		rex_ctx    *c2 = rex_ctx_new(NULL, &rex_dialect_sqlite);
		rex_entity *e2;
		json_t	   *canon2;

		if (c1 == NULL || c2 == NULL)
			die("out of memory", NULL);
		if (rex_definition_parse(c2, "e", c1, &e2, &canon2) != REX_OK)
			die("canonical definition refused", c2->err.message);
		if (strcmp(c1, rex_json_text(c2, canon2, REX_JSON_CANONICAL)) != 0)
			die("canonical form is not idempotent", c1);
		rex_ctx_free(c2);
		ddl_for(&rex_dialect_pg, c1);
		ddl_for(&rex_dialect_sqlite, c1);
	}
	else if (st != REX_ERR_DEFINITION && st != REX_ERR_JSON && st != REX_ERR_UNSUPPORTED &&
			 st != REX_ERR_NOMEM)
		die("unexpected status", ctx->err.message);
	else if (ctx->err.message == NULL || strlen(ctx->err.message) > 1024)
		die("missing or overlong message", ctx->err.message);
	rex_ctx_free(ctx);
	free(text);
	return 0;
}
