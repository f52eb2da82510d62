/*
 * test_ctx.c
 *		Unit tests of the call context (ctx.c), the arena, errors and
 *		rex_buf (rex_buf.c), including appends far larger than a block.
 */
#include "unit.h"
#include "rex_buf.h"

#include <stdio.h>

/* Small and large allocations are distinct, aligned and writable. */
static void
test_arena_alloc(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	char	   *small[100];
	char	   *big;
	char	   *zero;
	int			i;

	for (i = 0; i < 100; i++)
	{
		small[i] = rex_alloc(ctx, 100);
		assert_non_null(small[i]);
		assert_int_equal((uintptr_t) small[i] % 16, 0);
		memset(small[i], i, 100);
	}
	/* larger than a quarter block: a block of its own */
	big = rex_alloc(ctx, 1 << 20);
	assert_non_null(big);
	assert_int_equal((uintptr_t) big % 16, 0);
	memset(big, 0xAB, 1 << 20);
	for (i = 0; i < 100; i++)
	{
		assert_int_equal((unsigned char) small[i][0], i);
		assert_int_equal((unsigned char) small[i][99], i);
	}
	zero = rex_alloc0(ctx, 5000);
	assert_non_null(zero);
	for (i = 0; i < 5000; i++)
		assert_int_equal(zero[i], 0);
	/* size 0 still gives a distinct pointer */
	assert_non_null(rex_alloc(ctx, 0));
	assert_ptr_not_equal(rex_alloc(ctx, 0), rex_alloc(ctx, 0));
	assert_int_equal(ctx->err.status, REX_OK);
}

/* An impossible size is refused with REX_ERR_NOMEM, not wrapped around. */
static void
test_arena_overflow(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_null(rex_alloc(ctx, SIZE_MAX - 3));
	assert_int_equal(ctx->err.status, REX_ERR_NOMEM);
	assert_string_equal(ctx->err.message, "out of memory");
	assert_string_equal(rex_error_sqlstate(ctx), "53200");
}

static void
test_strings(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	char		fmt_big[70000];
	char	   *s;

	assert_string_equal(rex_strdup(ctx, "abc"), "abc");
	assert_null(rex_strdup(ctx, NULL));
	assert_string_equal(rex_strndup(ctx, "abcdef", 3), "abc");
	assert_string_equal(rex_psprintf(ctx, "%s-%d-%.2f", "x", 42, 1.5), "x-42-1.50");
	memset(fmt_big, 'q', sizeof(fmt_big) - 1);
	fmt_big[sizeof(fmt_big) - 1] = '\0';
	s = rex_psprintf(ctx, "<%s>", fmt_big);
	assert_non_null(s);
	assert_int_equal(strlen(s), sizeof(fmt_big) + 1);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[sizeof(fmt_big)], '>');
}

/* The first error wins; detail and hint go with it; clear resets. */
static void
test_errors(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_int_equal(ctx->err.status, REX_OK);
	assert_string_equal(rex_error_sqlstate(ctx), "00000");
	assert_int_equal(rex_error_set(ctx, REX_ERR_NOT_FOUND, "entity \"%s\" does not exist", "x"),
					 REX_ERR_NOT_FOUND);
	rex_error_detail(ctx, "Detail %d.", 1);
	rex_error_hint(ctx, "Hint %d.", 2);
	/* a later error does not overwrite the first */
	assert_int_equal(rex_error_set(ctx, REX_ERR_JSON, "later"), REX_ERR_NOT_FOUND);
	assert_int_equal(rex_error_nomem(ctx), REX_ERR_NOT_FOUND);
	assert_string_equal(ctx->err.message, "entity \"x\" does not exist");
	assert_string_equal(ctx->err.detail, "Detail 1.");
	assert_string_equal(ctx->err.hint, "Hint 2.");
	assert_string_equal(rex_error_sqlstate(ctx), "42704");
	rex_error_clear(ctx);
	assert_int_equal(ctx->err.status, REX_OK);
	assert_null(ctx->err.message);
	assert_null(ctx->err.detail);
	assert_null(ctx->err.hint);
	assert_int_equal(rex_error_set(ctx, REX_ERR_JSON, "now %s", "this"), REX_ERR_JSON);
	assert_string_equal(ctx->err.message, "now this");
}

/* Each status maps to the SQLSTATE of DESIGN section 9. */
static void
test_sqlstates(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	(void) state;
	assert_string_equal(rex_status_sqlstate(REX_OK), "00000");
	assert_string_equal(rex_status_sqlstate(REX_ERR_DEFINITION), "22023");
	assert_string_equal(rex_status_sqlstate(REX_ERR_JSON), "22P02");
	assert_string_equal(rex_status_sqlstate(REX_ERR_NOT_FOUND), "42704");
	assert_string_equal(rex_status_sqlstate(REX_ERR_DUPLICATE), "42P07");
	assert_string_equal(rex_status_sqlstate(REX_ERR_VALIDATION), "23514");
	assert_string_equal(rex_status_sqlstate(REX_ERR_BUSY), "55P03");
	assert_string_equal(rex_status_sqlstate(REX_ERR_STATE), "55000");
	assert_string_equal(rex_status_sqlstate(REX_ERR_UNSUPPORTED), "0A000");
	assert_string_equal(rex_status_sqlstate(REX_ERR_NOMEM), "53200");
	assert_string_equal(rex_status_sqlstate(REX_ERR_ENGINE), "XX000");
	assert_string_equal(rex_status_sqlstate(REX_ERR_INTERNAL), "XX000");
	/* an engine error reports the engine's own SQLSTATE when it has one */
	rex_error_set(ctx, REX_ERR_ENGINE, "relation exists");
	assert_string_equal(rex_error_sqlstate(ctx), "XX000");
	memcpy(ctx->err.sqlstate, "42P07", 6);
	assert_string_equal(rex_error_sqlstate(ctx), "42P07");
}

/* rex_shorten cuts on a UTF-8 boundary and marks the cut. */
static void
test_shorten(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_string_equal(rex_shorten(ctx, "abcdef", 6), "abcdef");
	assert_string_equal(rex_shorten(ctx, "abcdef", 3), "abc...");
	assert_string_equal(rex_shorten(ctx, "", 0), "");
	/* "h\xc3\xa9llo": cutting at 2 would split the e-acute */
	assert_string_equal(rex_shorten(ctx, "h\xc3\xa9llo", 2), "h...");
	assert_string_equal(rex_shorten(ctx, "h\xc3\xa9llo", 3), "h\xc3\xa9...");
	/* a four-byte character is never split */
	assert_string_equal(rex_shorten(ctx, "a\xf0\x9f\x98\x80z", 4), "a...");
	assert_string_equal(rex_shorten(ctx, "a\xf0\x9f\x98\x80z", 5), "a\xf0\x9f\x98\x80...");
}

/* JSON handed to the context is released with it (valgrind checks). */
static void
test_owned_json(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	json_t	   *kept = json_string("kept");
	int			i;

	/* more values than the initial capacity of the owned list */
	for (i = 0; i < 100; i++)
		assert_non_null(rex_ctx_own_json(ctx, json_integer(i)));
	assert_null(rex_ctx_own_json(ctx, NULL));
	assert_int_equal(ctx->n_owned_json, 100);
	/* a reference of our own survives the context */
	rex_ctx_own_json(ctx, json_incref(kept));
	rex_ctx_free(ctx);
	unit_fix(state)->pg = NULL;
	assert_string_equal(json_string_value(kept), "kept");
	json_decref(kept);
}

static void
test_json_parse(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_ctx    *bad = unit_ctx(state, &rex_dialect_pg);
	json_t	   *v;

	v = rex_json_parse(ctx, "{\"b\": 1, \"a\": [true, null]}", "options");
	assert_non_null(v);
	assert_string_equal(rex_json_text(ctx, v, REX_JSON_CANONICAL), "{\"a\":[true,null],\"b\":1}");
	assert_string_equal(rex_json_text(ctx, v, REX_JSON_OUTPUT), "{\"b\":1,\"a\":[true,null]}");
	/* scalars are accepted (JSON_DECODE_ANY) */
	assert_non_null(rex_json_parse(ctx, "42", "options"));
	assert_null(rex_json_parse(bad, "{\"a\": 1,}", "migrate options"));
	assert_int_equal(bad->err.status, REX_ERR_JSON);
	assert_string_equal(bad->err.message, "invalid JSON in migrate options");
	assert_contains(bad->err.detail, "line 1, column");
	/* duplicate keys are refused, not silently merged */
	bad = unit_ctx(state, &rex_dialect_pg);
	assert_null(rex_json_parse(bad, "{\"a\": 1, \"a\": 2}", "options"));
	assert_int_equal(bad->err.status, REX_ERR_JSON);
}

/* ---------------------------------------------------------------- */
/* rex_buf */

static void
test_buf_basics(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_buf		b;

	rex_buf_init(&b, ctx);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	rex_buf_append(&b, "abc");
	rex_buf_append_char(&b, '-');
	rex_buf_append_len(&b, "xyz123", 3);
	rex_buf_printf(&b, "%05d|%s", 42, "ok");
	assert_string_equal(b.data, "abc-xyz00042|ok");
	assert_int_equal(b.len, strlen(b.data));
	rex_buf_reset(&b);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	rex_buf_append(&b, "again");
	assert_string_equal(b.data, "again");
	assert_true(rex_buf_ok(&b));
}

/* Appends that grow the buffer far past one arena block. */
static void
test_buf_large(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_buf		b;
	char		chunk[1000];
	char	   *big;
	size_t		i;

	memset(chunk, 'x', sizeof(chunk));
	rex_buf_init(&b, ctx);
	for (i = 0; i < 3000; i++)
	{
		chunk[0] = (char) ('a' + i % 26);
		rex_buf_append_len(&b, chunk, sizeof(chunk));
	}
	assert_true(rex_buf_ok(&b));
	assert_int_equal(b.len, 3000 * sizeof(chunk));
	assert_int_equal(strlen(b.data), b.len);
	for (i = 0; i < 3000; i++)
	{
		assert_int_equal(b.data[i * sizeof(chunk)], 'a' + i % 26);
		assert_int_equal(b.data[i * sizeof(chunk) + 999], 'x');
	}
	/* one printf of 2 MB */
	big = malloc(2 << 20);
	assert_non_null(big);
	memset(big, 'y', (2 << 20) - 1);
	big[(2 << 20) - 1] = '\0';
	rex_buf_reset(&b);
	rex_buf_printf(&b, "[%s]", big);
	free(big);
	assert_true(rex_buf_ok(&b));
	assert_int_equal(b.len, (2 << 20) + 1);
	assert_int_equal(b.data[0], '[');
	assert_int_equal(b.data[1], 'y');
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(b.data[b.len], '\0');
}

/* A buffer that cannot grow says so, and stays failed. */
static void
test_buf_failure(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_buf		b;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "abc");
	/* 4 EiB: the host allocator refuses it (the bytes are never read) */
	rex_buf_append_len(&b, "x", ((size_t) 1 << 62) - 100);
	assert_false(rex_buf_ok(&b));
	assert_int_equal(ctx->err.status, REX_ERR_NOMEM);
	rex_buf_append(&b, "more");
	assert_false(rex_buf_ok(&b));
	assert_string_equal(b.data, "abc");
}

void
unit_register_ctx(unit_suite *s)
{
	unit_add(s, "ctx: arena hands out aligned, distinct memory, small and large", test_arena_alloc, NULL);
	unit_add(s, "ctx: an impossible allocation is REX_ERR_NOMEM", test_arena_overflow, NULL);
	unit_add(s, "ctx: strdup, strndup and psprintf (70 KB)", test_strings, NULL);
	unit_add(s, "ctx: first error wins; detail, hint, clear", test_errors, NULL);
	unit_add(s, "ctx: every status maps to its SQLSTATE", test_sqlstates, NULL);
	unit_add(s, "ctx: rex_shorten cuts on UTF-8 boundaries", test_shorten, NULL);
	unit_add(s, "ctx: owned JSON is released with the context", test_owned_json, NULL);
	unit_add(s, "json_util: parse, canonical and output text, errors", test_json_parse, NULL);
	unit_add(s, "rex_buf: append, printf, reset", test_buf_basics, NULL);
	unit_add(s, "rex_buf: 3 MB of appends and a 2 MB printf", test_buf_large, NULL);
	unit_add(s, "rex_buf: a failed buffer stays failed and records NOMEM", test_buf_failure, NULL);
}
