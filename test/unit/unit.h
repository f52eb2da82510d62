/*
 * unit.h
 *		Shared machinery of rex_orm's core unit tests (cmocka, no database).
 *
 * Every test file registers its tests with unit_add() from one
 * registration function listed in unit_main.c; main() runs them all as one
 * cmocka group, so that with CMOCKA_MESSAGE_OUTPUT=TAP the binary prints a
 * single TAP stream ("1..N", then "ok N - name" / "not ok N - name").
 *
 * Each test gets a fresh fixture (unit_fixture): a fake engine and one
 * context per dialect on it, freed by the teardown even when an assertion
 * fails, so that a passing run is clean under valgrind.  A test may also
 * carry a parameter (a table row of cases), read with unit_param().
 */
#ifndef REX_UNIT_H
#define REX_UNIT_H

/* cmocka needs these before its own header */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "rex.h"
#include "engine_fake.h"
#include "json_util.h"
#include "model.h"
#include "rex_buf.h"

/* What every test receives through its state pointer. */
typedef struct unit_fixture
{
	rex_engine *fake;			/* one fake engine shared by both contexts */
	rex_ctx    *pg;				/* context with rex_dialect_pg */
	rex_ctx    *sqlite;			/* context with rex_dialect_sqlite */
	const void *param;			/* the case given to unit_add, or NULL */
	rex_ctx    *extra[8];		/* contexts made by unit_ctx() */
	int			nextra;
	rex_engine *fakes[4];		/* engines made by unit_ctx_engine() */
	int			nfakes;
} unit_fixture;

/* A list of tests being built (unit_main.c). */
typedef struct unit_suite unit_suite;

/*
 * Registers a test.  'name' is copied; 'param' must outlive the run (a
 * static table row) and reaches the test as unit_param(state).
 */
extern void unit_add(unit_suite *s, const char *name,
					 void (*fn) (void **state), const void *param);

/* Registration functions, one per test file. */
extern void unit_register_ctx(unit_suite *s);
extern void unit_register_values(unit_suite *s);
extern void unit_register_ident(unit_suite *s);
extern void unit_register_sqltpl(unit_suite *s);
extern void unit_register_definition(unit_suite *s);
extern void unit_register_canonical(unit_suite *s);
extern void unit_register_ddl(unit_suite *s);
extern void unit_register_api(unit_suite *s);
extern void unit_register_host(unit_suite *s);
extern void unit_register_fake(unit_suite *s);
extern void unit_register_regressions(unit_suite *s);
extern void unit_register_relations_rules(unit_suite *s);
extern void unit_register_schemas(unit_suite *s);

/* The fixture and the parameter of the running test. */
#define unit_fix(state) ((unit_fixture *) *(state))
#define unit_param(state) (unit_fix(state)->param)

/*
 * A new context of its own (for tests that need several errors, since the
 * first error recorded in a context wins); freed with the fixture.
 */
extern rex_ctx *unit_ctx(void **state, const rex_dialect *dialect);
/* The same on a new fake engine of its own (*fake receives it). */
extern rex_ctx *unit_ctx_engine(void **state, const rex_dialect *dialect,
								rex_engine **fake);

/*
 * Diagnostics of a failing test: to stderr, or in TAP mode to stdout as
 * "# " comment lines, so that no line of a message can pass for a result.
 */
extern void unit_diag(const char *fmt,...) __attribute__((format(printf, 1, 2)));
/* Prints a diagnostic and fails the running test. */
#define unit_fail(...) \
	do { unit_diag(__VA_ARGS__); _fail(__FILE__, __LINE__); } while (0)

/* Assertions with readable failure messages. */
extern void unit_assert_contains(const char *hay, const char *needle,
								 const char *file, int line);
extern void unit_assert_not_contains(const char *hay, const char *needle,
									 const char *file, int line);
extern void unit_assert_status(rex_ctx *ctx, rex_status got, rex_status want,
							   const char *file, int line);

#define assert_contains(hay, needle) \
	unit_assert_contains((hay), (needle), __FILE__, __LINE__)
#define assert_not_contains(hay, needle) \
	unit_assert_not_contains((hay), (needle), __FILE__, __LINE__)
/* Asserts a status; on mismatch prints the context's error message. */
#define assert_status(ctx, got, want) \
	unit_assert_status((ctx), (got), (want), __FILE__, __LINE__)
#define assert_ok(ctx, got) assert_status((ctx), (got), REX_OK)

/* Parses a definition that must be accepted; returns the entity. */
extern rex_entity *unit_parse_ok(rex_ctx *ctx, const char *name,
								 const char *definition, json_t **canonical,
								 const char *file, int line);
#define parse_ok(ctx, name, def, canon) \
	unit_parse_ok((ctx), (name), (def), (canon), __FILE__, __LINE__)

/*
 * JSON written with single quotes for readability: returns a copy in
 * ctx's arena with every ' turned into ".  (Write \u0027 for a real
 * apostrophe inside the JSON.)
 */
extern const char *unit_q(rex_ctx *ctx, const char *text);

/* Canonical JSON text (sorted keys, compact) of a value, in ctx's arena. */
extern const char *unit_canon_text(rex_ctx *ctx, const json_t *v);

/* Number of times 'needle' occurs in 'hay'. */
extern int	unit_count(const char *hay, const char *needle);

/* Position of 'needle' in 'hay', or -1. */
extern long unit_pos(const char *hay, const char *needle);

#endif							/* REX_UNIT_H */
