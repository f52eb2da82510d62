/*
 * introspect.c
 *		Reading the live schema: dispatch to the dialect, helpers shared by
 *		both readers (see introspect.h).
 */
#include "introspect.h"
#include "json_util.h"
#include "rex_dialect.h"

rex_status
rex_live_read(rex_ctx *ctx, const char *schema, const char *name, rex_live_table *out,
			  bool *exists)
{
	return ctx->dialect->live_table(ctx, schema, name, out, exists);
}

rex_status
rex_live_list(rex_ctx *ctx, const char *schema, const char ***names, int *n)
{
	return ctx->dialect->live_tables(ctx, schema, names, n);
}

rex_status
rex_live_names(rex_ctx *ctx, const char *json, const char ***out, int *n)
{
	json_t	   *a = json ? rex_json_parse(ctx, json, "catalog query") : NULL;
	size_t		i;

	*out = NULL;
	*n = 0;
	if (json && a == NULL)
		return ctx->err.status;
	*out = rex_alloc0(ctx, sizeof(char *) * (json_array_size(a) + 1));
	if (*out == NULL)
		return ctx->err.status;
	for (i = 0; i < json_array_size(a); i++)
		if (json_is_string(json_array_get(a, i)))
			(*out)[(*n)++] = rex_strdup(ctx, json_string_value(json_array_get(a, i)));
	return REX_OK;
}

bool
rex_live_type_matches(rex_ctx *ctx, const rex_column *c, const char *live_type,
					  const char **expected)
{
	return ctx->dialect->live_type_matches(ctx, c, live_type, expected);
}
