/*
 * json_util.c
 *		JSON text in and out of the context (see json_util.h).
 */
#include "json_util.h"
#include "rex_buf.h"

static int
dump_to_buf(const char *chunk, size_t size, void *data)
{
	rex_buf    *b = data;

	rex_buf_append_len(b, chunk, size);
	return rex_buf_ok(b) ? 0 : -1;
}

char *
rex_json_text(rex_ctx *ctx, const json_t *v, size_t flags)
{
	rex_buf		b;

	rex_buf_init(&b, ctx);
	if (json_dump_callback(v, dump_to_buf, &b, flags) != 0 || !rex_buf_ok(&b))
	{
		rex_error_nomem(ctx);
		return NULL;
	}
	return b.data;
}

json_t *
rex_json_parse(rex_ctx *ctx, const char *text, const char *what)
{
	json_error_t jerr;
	json_t	   *v = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);

	if (v == NULL)
	{
		if (json_error_code(&jerr) == json_error_out_of_memory)
			rex_error_nomem(ctx);
		else
		{
			rex_error_set(ctx, REX_ERR_JSON, "invalid JSON in %s", what);
			rex_error_detail(ctx, "%s at line %d, column %d.", jerr.text,
							 jerr.line, jerr.column);
		}
		return NULL;
	}
	return rex_ctx_own_json(ctx, v);
}

json_t *
rex_json_own(rex_ctx *ctx, json_t *v)
{
	if (v == NULL)
	{
		rex_error_nomem(ctx);
		return NULL;
	}
	return rex_ctx_own_json(ctx, v);
}

json_t *
rex_json_object(void)
{
	return json_pack("{}");
}
