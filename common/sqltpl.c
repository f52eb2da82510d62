/*
 * sqltpl.c
 *		Expansion of internal SQL templates (see sqltpl.h).
 */
#include "sqltpl.h"
#include "rex_dialect.h"

#include <ctype.h>
#include <string.h>

static bool
is_word(char c)
{
	return isalnum((unsigned char) c) || c == '_';
}

const char *
rex_sql(rex_ctx *ctx, const char *tpl)
{
	const rex_dialect *d = ctx->dialect;
	rex_buf		b;
	const char *p = tpl;

	rex_buf_init(&b, ctx);
	while (*p)
	{
		if (*p == '$' && isdigit((unsigned char) p[1]))
		{
			int			n = 0;
			char		type[32] = "";

			p++;
			while (isdigit((unsigned char) *p))
				n = n * 10 + (*p++ - '0');
			if (p[0] == ':' && p[1] == ':')
			{
				size_t		k = 0;

				p += 2;
				while (is_word(*p) && k < sizeof(type) - 1)
					type[k++] = *p++;
				type[k] = '\0';
			}
			d->param(&b, n, type[0] ? type : NULL);
		}
		else if (*p == '{')
		{
			const char *end = strchr(p, '}');
			size_t		len;

			if (end == NULL)
				break;
			len = (size_t) (end - p - 1);
			if (len == 3 && strncmp(p + 1, "now", 3) == 0)
				rex_buf_append(&b, d->now_text);
			else if (len == 4 && strncmp(p + 1, "user", 4) == 0)
				rex_buf_append(&b, d->current_user);
			else if (len == 6 && strncmp(p + 1, "engine", 6) == 0)
				rex_sql_literal(&b, d->name);
			else if (len == 6 && strncmp(p + 1, "binary", 6) == 0)
				rex_buf_append(&b, d->collate_binary);
			else if (len > 3 && strncmp(p + 1, "ts:", 3) == 0)
			{
				char	   *col = rex_strndup(ctx, p + 4, len - 3);

				if (col)
					rex_buf_printf(&b, d->ts_text, col);
			}
			else
			{
				rex_buf_append(&b, d->catalog_prefix);
				rex_buf_append_len(&b, p + 1, len);
			}
			p = end + 1;
		}
		else
			rex_buf_append_char(&b, *p++);
	}
	if (*p || !rex_buf_ok(&b))
	{
		rex_error_set(ctx, REX_ERR_INTERNAL, "malformed internal SQL template");
		return NULL;
	}
	return b.data;
}
