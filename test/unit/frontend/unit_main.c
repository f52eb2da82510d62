/*
 * unit_main.c (test/unit/frontend/)
 *		main() of the stand-in runner for the GraphQL and query-language
 *		unit tests (see unit.h in this directory).
 *
 *	 build/unit/rex_unit [PATTERN]   (make -f test/unit/unit.mk)
 * runs every test (or those matching the cmocka filter PATTERN) as one
 * cmocka group; CMOCKA_MESSAGE_OUTPUT=TAP gives TAP output.
 */
#include "unit.h"
#include "test_frontend.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

struct unit_suite
{
	struct CMUnitTest *tests;
	int			n;
	int			cap;
};

static int
unit_setup(void **state)
{
	unit_fixture *f = calloc(1, sizeof(unit_fixture));

	if (f == NULL)
		return -1;
	f->param = *state;
	f->pg = rex_ctx_new(NULL, &rex_dialect_pg);
	f->sqlite = rex_ctx_new(NULL, &rex_dialect_sqlite);
	*state = f;
	return (f->pg && f->sqlite) ? 0 : -1;
}

static int
unit_teardown(void **state)
{
	unit_fixture *f = *state;
	int			i;

	if (f == NULL)
		return 0;
	for (i = 0; i < f->nextra; i++)
		rex_ctx_free(f->extra[i]);
	rex_ctx_free(f->pg);
	rex_ctx_free(f->sqlite);
	free(f);
	*state = NULL;
	return 0;
}

void
unit_add(unit_suite *s, const char *name, void (*fn) (void **state), const void *param)
{
	struct CMUnitTest *t;
	char	   *copy;
	int			i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->tests[i].name, name) == 0)
		{
			fprintf(stderr, "two tests are named \"%s\"\n", name);
			abort();
		}
	if (s->n == s->cap)
	{
		s->cap = s->cap ? s->cap * 2 : 64;
		s->tests = realloc(s->tests, sizeof(struct CMUnitTest) * (size_t) s->cap);
		if (s->tests == NULL)
			abort();
	}
	copy = strdup(name);
	if (copy == NULL)
		abort();
	for (i = 0; copy[i]; i++)
		if (copy[i] == '#')
			copy[i] = '_';
	t = &s->tests[s->n++];
	t->name = copy;
	t->test_func = fn;
	t->setup_func = unit_setup;
	t->teardown_func = unit_teardown;
	t->initial_state = (void *) param;
}

rex_ctx *
unit_ctx(void **state, const rex_dialect *dialect)
{
	unit_fixture *f = unit_fix(state);
	rex_ctx    *ctx;

	assert_true(f->nextra < (int) (sizeof(f->extra) / sizeof(f->extra[0])));
	ctx = rex_ctx_new(NULL, dialect);
	assert_non_null(ctx);
	f->extra[f->nextra++] = ctx;
	return ctx;
}

void
unit_assert_contains(const char *hay, const char *needle, const char *file, int line)
{
	if (hay && strstr(hay, needle))
		return;
	print_error("expected to find\n  %s\nin\n  %s\n", needle, hay ? hay : "(null)");
	_fail(file, line);
}

void
unit_assert_not_contains(const char *hay, const char *needle, const char *file, int line)
{
	if (hay && strstr(hay, needle) == NULL)
		return;
	print_error("did not expect to find\n  %s\nin\n  %s\n", needle, hay ? hay : "(null)");
	_fail(file, line);
}

void
unit_assert_status(rex_ctx *ctx, rex_status got, rex_status want, const char *file,
				   int line)
{
	if (got == want)
		return;
	print_error("status %d, expected %d\n  message: %s\n", (int) got, (int) want,
				ctx->err.message ? ctx->err.message : "(none)");
	_fail(file, line);
}

int
main(int argc, char **argv)
{
	unit_suite	s;
	const char *out = getenv("CMOCKA_MESSAGE_OUTPUT");
	const char *filter = argc > 1 ? argv[1] : getenv("REX_UNIT_FILTER");
	int			rc;
	int			i;

	memset(&s, 0, sizeof(s));
	if (out && strcasecmp(out, "TAP") == 0)
		cmocka_set_message_output(CM_OUTPUT_TAP);
	if (filter && *filter)
		cmocka_set_test_filter(filter);
	REX_UNIT_REGISTER_FRONTEND(&s);
	rc = _cmocka_run_group_tests("rex_unit_frontend", s.tests, (size_t) s.n, NULL, NULL);
	for (i = 0; i < s.n; i++)
		free((char *) s.tests[i].name);
	free(s.tests);
	return rc;
}
