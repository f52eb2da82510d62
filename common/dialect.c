/*
 * dialect.c
 *		Quoting and naming helpers used by both dialects.
 */
#include "rex_dialect.h"
#include "ident.h"

#include <openssl/evp.h>
#include <string.h>

void
rex_sql_ident(rex_buf *b, const char *ident)
{
	rex_buf_append_char(b, '"');
	for (; *ident; ident++)
	{
		if (*ident == '"')
			rex_buf_append_char(b, '"');
		rex_buf_append_char(b, *ident);
	}
	rex_buf_append_char(b, '"');
}

void
rex_sql_literal(rex_buf *b, const char *s)
{
	rex_buf_append_char(b, '\'');
	for (; *s; s++)
	{
		if (*s == '\'')
			rex_buf_append_char(b, '\'');
		rex_buf_append_char(b, *s);
	}
	rex_buf_append_char(b, '\'');
}

void
rex_sql_constraint_name(rex_buf *b, const char *table, const char *column,
						const char *suffix)
{
	const char *full = rex_psprintf(b->ctx, "%s_%s_%s", table, column, suffix);
	const char *name = full ? rex_name_fit(b->ctx, full) : NULL;

	if (name == NULL)
	{
		b->failed = true;
		return;
	}
	rex_sql_ident(b, name);
}

bool
rex_base64_to_hex(rex_buf *b, const char *base64)
{
	static const char hex[] = "0123456789abcdef";
	size_t		n = strlen(base64);
	unsigned char *out;
	int			len;
	size_t		pad = 0;
	int			i;

	out = rex_alloc(b->ctx, n / 4 * 3 + 3);
	if (out == NULL)
		return false;
	len = n ? EVP_DecodeBlock(out, (const unsigned char *) base64, (int) n) : 0;
	if (len < 0)
		return false;
	/* EVP_DecodeBlock counts padding bytes as data */
	if (n >= 1 && base64[n - 1] == '=')
		pad++;
	if (n >= 2 && base64[n - 2] == '=')
		pad++;
	for (i = 0; i < len - (int) pad; i++)
	{
		rex_buf_append_char(b, hex[out[i] >> 4]);
		rex_buf_append_char(b, hex[out[i] & 0x0F]);
	}
	return true;
}
