/*
 * unit_main.c
 *		main() of rex_orm's core unit tests, the fixture and the helpers
 *		shared by the test files (see unit.h).
 *
 *	 build/unit/rex_unit [PATTERN]
 * runs every test (or those whose name matches the cmocka filter PATTERN,
 * also taken from REX_UNIT_FILTER) as one cmocka group.  With
 * CMOCKA_MESSAGE_OUTPUT=TAP the output is TAP: one "1..N" plan, then one
 * "ok N - name" or "not ok N - name" line per test.  The exit status is
 * non-zero when a test failed.
 */
#include "unit.h"
#include "test_frontend.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

/* True when the output is TAP (diagnostics become comments). */
static bool unit_tap = false;

struct unit_suite
{
	struct CMUnitTest *tests;
	int			n;
	int			cap;
};

/* Allocates or aborts: the test binary cannot go on without memory. */
static void *
unit_xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
	{
		fprintf(stderr, "rex_unit: out of memory\n");
		abort();
	}
	return p;
}

/* Fresh fake engine and one context per dialect for each test. */
static int
unit_setup(void **state)
{
	unit_fixture *f = unit_xmalloc(sizeof(unit_fixture));

	memset(f, 0, sizeof(*f));
	f->param = *state;
	f->fake = fake_new();
	f->pg = rex_ctx_new(f->fake, &rex_dialect_pg);
	f->sqlite = rex_ctx_new(f->fake, &rex_dialect_sqlite);
	if (f->pg == NULL || f->sqlite == NULL)
		return -1;
	*state = f;
	return 0;
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
	for (i = 0; i < f->nfakes; i++)
		fake_free(f->fakes[i]);
	rex_ctx_free(f->pg);
	rex_ctx_free(f->sqlite);
	fake_free(f->fake);
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
			fprintf(stderr, "rex_unit: two tests are named \"%s\"\n", name);
			abort();
		}
	if (s->n == s->cap)
	{
		int			cap = s->cap ? s->cap * 2 : 64;
		struct CMUnitTest *tests = unit_xmalloc(sizeof(struct CMUnitTest) * (size_t) cap);

		if (s->n)
			memcpy(tests, s->tests, sizeof(struct CMUnitTest) * (size_t) s->n);
		free(s->tests);
		s->tests = tests;
		s->cap = cap;
	}
	copy = unit_xmalloc(strlen(name) + 1);
	strcpy(copy, name);
	/* '#' would start a TAP directive */
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
	ctx = rex_ctx_new(f->fake, dialect);
	assert_non_null(ctx);
	f->extra[f->nextra++] = ctx;
	return ctx;
}

rex_ctx *
unit_ctx_engine(void **state, const rex_dialect *dialect, rex_engine **fake)
{
	unit_fixture *f = unit_fix(state);
	rex_ctx    *ctx;

	assert_true(f->nfakes < (int) (sizeof(f->fakes) / sizeof(f->fakes[0])));
	*fake = f->fakes[f->nfakes++] = fake_new();
	ctx = unit_ctx(state, dialect);
	ctx->engine = *fake;
	return ctx;
}

/* ---------------------------------------------------------------- */
/* assertions */

void
unit_diag(const char *fmt,...)
{
	va_list		ap;
	char	   *text;
	char	   *line;
	char	   *next;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	text = unit_xmalloc((size_t) n + 1);
	va_start(ap, fmt);
	vsnprintf(text, (size_t) n + 1, fmt, ap);
	va_end(ap);
	for (line = text; *line; line = next)
	{
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (unit_tap)
			printf("# %s\n", line);
		else
			fprintf(stderr, "%s\n", line);
	}
	fflush(unit_tap ? stdout : stderr);
	free(text);
}

void
unit_assert_contains(const char *hay, const char *needle, const char *file, int line)
{
	if (hay && strstr(hay, needle))
		return;
	unit_diag("expected to find\n  %s\nin\n  %s\n", needle, hay ? hay : "(null)");
	_fail(file, line);
}

void
unit_assert_not_contains(const char *hay, const char *needle, const char *file, int line)
{
	if (hay && strstr(hay, needle) == NULL)
		return;
	unit_diag("did not expect to find\n  %s\nin\n  %s\n", needle, hay ? hay : "(null)");
	_fail(file, line);
}

static const char *
status_name(rex_status st)
{
	static const char *const names[] = {
		"REX_OK", "REX_ERR_DEFINITION", "REX_ERR_JSON", "REX_ERR_NOT_FOUND",
		"REX_ERR_DUPLICATE", "REX_ERR_VALIDATION", "REX_ERR_BUSY", "REX_ERR_STATE",
		"REX_ERR_UNSUPPORTED", "REX_ERR_NOMEM", "REX_ERR_ENGINE", "REX_ERR_INTERNAL"
	};

	if ((int) st < 0 || (size_t) st >= sizeof(names) / sizeof(names[0]))
		return "(unknown status)";
	return names[st];
}

void
unit_assert_status(rex_ctx *ctx, rex_status got, rex_status want, const char *file,
				   int line)
{
	if (got == want)
		return;
	unit_diag("status %s, expected %s\n  message: %s\n  detail: %s\n  hint: %s\n",
				status_name(got), status_name(want),
				ctx->err.message ? ctx->err.message : "(none)",
				ctx->err.detail ? ctx->err.detail : "(none)",
				ctx->err.hint ? ctx->err.hint : "(none)");
	_fail(file, line);
}

rex_entity *
unit_parse_ok(rex_ctx *ctx, const char *name, const char *definition,
			  json_t **canonical, const char *file, int line)
{
	rex_entity *e = NULL;
	rex_status	st = rex_definition_parse(ctx, name, definition, &e, canonical);

	unit_assert_status(ctx, st, REX_OK, file, line);
	if (e == NULL)
	{
		unit_diag("rex_definition_parse gave REX_OK without an entity\n");
		_fail(file, line);
	}
	return e;
}

const char *
unit_q(rex_ctx *ctx, const char *text)
{
	char	   *s = rex_strdup(ctx, text);
	char	   *p;

	assert_non_null(s);
	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

const char *
unit_canon_text(rex_ctx *ctx, const json_t *v)
{
	const char *s = rex_json_text(ctx, v, REX_JSON_CANONICAL);

	assert_non_null(s);
	return s;
}

int
unit_count(const char *hay, const char *needle)
{
	int			n = 0;
	size_t		len = strlen(needle);

	while (len && (hay = strstr(hay, needle)) != NULL)
	{
		n++;
		hay += len;
	}
	return n;
}

long
unit_pos(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	return p ? (long) (p - hay) : -1;
}

/* ---------------------------------------------------------------- */

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
	{
		cmocka_set_message_output(CM_OUTPUT_TAP);
		unit_tap = true;
	}
	if (filter && *filter)
		cmocka_set_test_filter(filter);
	unit_register_host(&s);
	unit_register_fake(&s);
	unit_register_ctx(&s);
	unit_register_values(&s);
	unit_register_ident(&s);
	unit_register_sqltpl(&s);
	unit_register_definition(&s);
	unit_register_canonical(&s);
	unit_register_ddl(&s);
	unit_register_api(&s);
	unit_register_regressions(&s);
	unit_register_relations_rules(&s);
	REX_UNIT_REGISTER_FRONTEND(&s);
	unit_register_schemas(&s);
	rc = _cmocka_run_group_tests("rex_unit", s.tests, (size_t) s.n, NULL, NULL);
	for (i = 0; i < s.n; i++)
		free((char *) s.tests[i].name);
	free(s.tests);
	return rc;
}
