/*
 * rex_buf.c
 *		Growable strings in a context's arena (see rex_buf.h).
 */
#include "rex_buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Makes room for 'extra' more bytes plus the terminating NUL. */
static bool
buf_reserve(rex_buf *buf, size_t extra)
{
	size_t		need;
	size_t		cap;
	char	   *data;

	if (buf->failed)
		return false;
	/* len + extra + 1 must not wrap, nor the doubling below */
	if (extra > SIZE_MAX / 2 - 1 - buf->len)
	{
		buf->failed = true;
		rex_error_nomem(buf->ctx);
		return false;
	}
	need = buf->len + extra + 1;
	if (need <= buf->cap)
		return true;
	cap = buf->cap ? buf->cap : 64;
	while (cap < need)
		cap *= 2;
	data = rex_alloc(buf->ctx, cap);
	if (data == NULL)
	{
		buf->failed = true;
		return false;
	}
	if (buf->len)
		memcpy(data, buf->data, buf->len);
	data[buf->len] = '\0';
	buf->data = data;
	buf->cap = cap;
	return true;
}

void
rex_buf_init(rex_buf *buf, rex_ctx *ctx)
{
	buf->ctx = ctx;
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
	buf->failed = false;
	buf_reserve(buf, 0);
}

void
rex_buf_append_len(rex_buf *buf, const char *s, size_t n)
{
	if (!buf_reserve(buf, n))
		return;
	memcpy(buf->data + buf->len, s, n);
	buf->len += n;
	buf->data[buf->len] = '\0';
}

void
rex_buf_append(rex_buf *buf, const char *s)
{
	rex_buf_append_len(buf, s, strlen(s));
}

void
rex_buf_append_char(rex_buf *buf, char c)
{
	rex_buf_append_len(buf, &c, 1);
}

void
rex_buf_printf(rex_buf *buf, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_reserve(buf, (size_t) n))
		return;
	va_start(ap, fmt);
	vsnprintf(buf->data + buf->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	buf->len += (size_t) n;
}

void
rex_buf_reset(rex_buf *buf)
{
	buf->len = 0;
	if (buf->data)
		buf->data[0] = '\0';
}

bool
rex_buf_ok(const rex_buf *buf)
{
	return !buf->failed;
}
