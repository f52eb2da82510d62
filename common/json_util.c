/*
 * json_util.c
 *		JSON text in and out of the context (see json_util.h).
 */
#include "json_util.h"
#include "rex_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
dump_to_buf(const char *chunk, size_t size, void *data)
{
	rex_buf    *b = data;

	rex_buf_append_len(b, chunk, size);
	return rex_buf_ok(b) ? 0 : -1;
}

/* Writes the shortest text that reads back as exactly d, always a real. */
static void
shortest_real(rex_buf *b, double d)
{
	char		tmp[40];
	int			prec;

	for (prec = 1; prec <= 17; prec++)
	{
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	rex_buf_append(b, tmp);
	if (strpbrk(tmp, ".eEn") == NULL)	/* keep it a real: 2 -> 2.0 */
		rex_buf_append(b, ".0");
}

/*
 * Copies jansson's text, rewriting each real number (jansson writes 17
 * significant digits) in its shortest exact form.  Strings are copied as
 * they are.
 */
static char *
shorten_reals(rex_ctx *ctx, const char *in, size_t len)
{
	rex_buf		b;
	size_t		i = 0;

	rex_buf_init(&b, ctx);
	while (i < len)
	{
		char		c = in[i];

		if (c == '"')
		{
			size_t		j = i + 1;

			while (j < len && in[j] != '"')
				j += in[j] == '\\' ? 2 : 1;
			rex_buf_append_len(&b, in + i, j + 1 - i);
			i = j + 1;
		}
		else if (c == '-' || (c >= '0' && c <= '9'))
		{
			size_t		j = i;
			bool		real = false;

			while (j < len && strchr("0123456789+-.eE", in[j]))
			{
				real = real || in[j] == '.' || in[j] == 'e' || in[j] == 'E';
				j++;
			}
			if (real)
				shortest_real(&b, strtod(in + i, NULL));
			else
				rex_buf_append_len(&b, in + i, j - i);
			i = j;
		}
		else
		{
			rex_buf_append_char(&b, c);
			i++;
		}
	}
	return rex_buf_ok(&b) ? b.data : NULL;
}

char *
rex_json_text(rex_ctx *ctx, const json_t *v, size_t flags)
{
	rex_buf		b;
	char	   *out;

	rex_buf_init(&b, ctx);
	if (json_dump_callback(v, dump_to_buf, &b, flags) != 0 || !rex_buf_ok(&b))
	{
		rex_error_nomem(ctx);
		return NULL;
	}
	if (strpbrk(b.data, ".eE") == NULL)
		return b.data;			/* no real anywhere, nothing to rewrite */
	out = shorten_reals(ctx, b.data, b.len);
	if (out == NULL)
		rex_error_nomem(ctx);
	return out;
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
