/*
 * ctx.c
 *		Call contexts: the per-call arena, owned JSON values and errors.
 *
 * The arena is a list of blocks taken from the host allocator.  Small
 * requests are carved from the current block; large ones get a block of
 * their own.  The whole list goes at rex_ctx_free().
 */
#include "rex.h"
#include "rex_host.h"

#include "json_util.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ARENA_BLOCK_SIZE 8192
#define ARENA_ALIGN 16

struct rex_arena_block
{
	rex_arena_block *next;
	size_t		used;
	size_t		size;
	/* payload follows, aligned */
};

#define BLOCK_HEADER (((sizeof(rex_arena_block) + ARENA_ALIGN - 1) / ARENA_ALIGN) * ARENA_ALIGN)

rex_ctx *
rex_ctx_new(rex_engine *engine, const rex_dialect *dialect)
{
	rex_ctx    *ctx = rex_host_alloc(sizeof(rex_ctx));

	if (ctx == NULL)
		return NULL;
	memset(ctx, 0, sizeof(*ctx));
	ctx->engine = engine;
	ctx->dialect = dialect;
	return ctx;
}

void
rex_ctx_free(rex_ctx *ctx)
{
	rex_arena_block *b;
	int			i;

	if (ctx == NULL)
		return;
	for (i = 0; i < ctx->n_owned_json; i++)
		json_decref((json_t *) ctx->owned_json[i]);
	if (ctx->owned_json)
		rex_host_free(ctx->owned_json);
	b = ctx->arena;
	while (b)
	{
		rex_arena_block *next = b->next;

		rex_host_free(b);
		b = next;
	}
	rex_host_free(ctx);
}

/* Allocates a block with room for at least 'payload' bytes. */
static rex_arena_block *
arena_new_block(size_t payload)
{
	rex_arena_block *b;

	if (payload > SIZE_MAX - BLOCK_HEADER)
		return NULL;
	b = rex_host_alloc(BLOCK_HEADER + payload);
	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->used = 0;
	b->size = payload;
	return b;
}

void *
rex_alloc(rex_ctx *ctx, size_t size)
{
	rex_arena_block *b = ctx->arena;
	size_t		aligned;

	if (size == 0)
		size = 1;
	aligned = (size + ARENA_ALIGN - 1) & ~(size_t) (ARENA_ALIGN - 1);
	if (aligned < size)
	{
		rex_error_nomem(ctx);
		return NULL;
	}
	if (aligned > ARENA_BLOCK_SIZE / 4)
	{
		/* a block of its own, linked behind the current one */
		rex_arena_block *big = arena_new_block(aligned);

		if (big == NULL)
		{
			rex_error_nomem(ctx);
			return NULL;
		}
		big->used = aligned;
		if (b)
		{
			big->next = b->next;
			b->next = big;
		}
		else
			ctx->arena = big;
		return (char *) big + BLOCK_HEADER;
	}
	if (b == NULL || b->size - b->used < aligned)
	{
		b = arena_new_block(ARENA_BLOCK_SIZE);
		if (b == NULL)
		{
			rex_error_nomem(ctx);
			return NULL;
		}
		b->next = ctx->arena;
		ctx->arena = b;
	}
	b->used += aligned;
	return (char *) b + BLOCK_HEADER + b->used - aligned;
}

void *
rex_alloc0(rex_ctx *ctx, size_t size)
{
	void	   *p = rex_alloc(ctx, size);

	if (p)
		memset(p, 0, size);
	return p;
}

char *
rex_strndup(rex_ctx *ctx, const char *s, size_t n)
{
	char	   *p = rex_alloc(ctx, n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
rex_strdup(rex_ctx *ctx, const char *s)
{
	return s ? rex_strndup(ctx, s, strlen(s)) : NULL;
}

/* Formats into the arena; NULL when out of memory. */
static char *vpsprintf(rex_ctx *ctx, const char *fmt, va_list ap)
			__attribute__((format(printf, 2, 0)));

static char *
vpsprintf(rex_ctx *ctx, const char *fmt, va_list ap)
{
	va_list		ap2;
	int			n;
	char	   *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	p = rex_alloc(ctx, (size_t) n + 1);
	if (p == NULL)
		return NULL;
	vsnprintf(p, (size_t) n + 1, fmt, ap);
	return p;
}

char *
rex_psprintf(rex_ctx *ctx, const char *fmt,...)
{
	va_list		ap;
	char	   *p;

	va_start(ap, fmt);
	p = vpsprintf(ctx, fmt, ap);
	va_end(ap);
	return p;
}

void *
rex_ctx_own_json(rex_ctx *ctx, void *json)
{
	if (json == NULL)
		return NULL;
	if (ctx->n_owned_json == ctx->cap_owned_json)
	{
		int			cap = ctx->cap_owned_json ? ctx->cap_owned_json * 2 : 16;
		void	  **arr = rex_host_alloc(sizeof(void *) * (size_t) cap);

		if (arr && ctx->n_owned_json)
			memcpy(arr, ctx->owned_json, sizeof(void *) * (size_t) ctx->n_owned_json);
		if (arr && ctx->owned_json)
			rex_host_free(ctx->owned_json);
		if (arr == NULL)
		{
			/* cannot keep track of it: release now, report out of memory */
			json_decref((json_t *) json);
			rex_error_nomem(ctx);
			return NULL;
		}
		ctx->owned_json = arr;
		ctx->cap_owned_json = cap;
	}
	ctx->owned_json[ctx->n_owned_json++] = json;
	return json;
}

rex_status
rex_error_set(rex_ctx *ctx, rex_status status, const char *fmt,...)
{
	va_list		ap;

	if (ctx->err.status != REX_OK)
		return ctx->err.status;
	ctx->err.status = status;
	va_start(ap, fmt);
	ctx->err.message = vpsprintf(ctx, fmt, ap);
	va_end(ap);
	if (ctx->err.message == NULL)
		ctx->err.message = "out of memory";
	return status;
}

void
rex_error_detail(rex_ctx *ctx, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	ctx->err.detail = vpsprintf(ctx, fmt, ap);
	va_end(ap);
}

void
rex_error_hint(rex_ctx *ctx, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	ctx->err.hint = vpsprintf(ctx, fmt, ap);
	va_end(ap);
}

rex_status
rex_error_nomem(rex_ctx *ctx)
{
	if (ctx->err.status == REX_OK)
	{
		ctx->err.status = REX_ERR_NOMEM;
		ctx->err.message = "out of memory";
	}
	return ctx->err.status;
}

void
rex_error_clear(rex_ctx *ctx)
{
	memset(&ctx->err, 0, sizeof(ctx->err));
}

const char *
rex_status_sqlstate(rex_status status)
{
	switch (status)
	{
		case REX_OK:
			return "00000";
		case REX_ERR_DEFINITION:
			return "22023";
		case REX_ERR_JSON:
			return "22P02";
		case REX_ERR_NOT_FOUND:
			return "42704";
		case REX_ERR_DUPLICATE:
			return "42P07";
		case REX_ERR_VALIDATION:
			return "23514";
		case REX_ERR_BUSY:
			return "55P03";
		case REX_ERR_STATE:
			return "55000";
		case REX_ERR_UNSUPPORTED:
			return "0A000";
		case REX_ERR_NOMEM:
			return "53200";
		case REX_ERR_ENGINE:
		case REX_ERR_INTERNAL:
			return "XX000";
	}
	return "XX000";
}

const char *
rex_error_sqlstate(const rex_ctx *ctx)
{
	if (ctx->err.status == REX_ERR_ENGINE && ctx->err.sqlstate[0])
		return ctx->err.sqlstate;
	return rex_status_sqlstate(ctx->err.status);
}

const char *
rex_shorten(rex_ctx *ctx, const char *s, size_t max)
{
	size_t		n = strlen(s);
	char	   *out;

	if (n <= max)
		return s;
	n = max;
	/* do not cut inside a UTF-8 sequence */
	while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
		n--;
	out = rex_alloc(ctx, n + 4);
	if (out == NULL)
		return "...";
	memcpy(out, s, n);
	memcpy(out + n, "...", 4);
	return out;
}
