/*
 * unit.h (test/unit/frontend/)
 *		A minimal stand-in for the core unit-test harness (with
 *		test/unit/unit.mk, also a stand-in), so that the
 *		GraphQL and query-language tests (test/unit/test_graphql_*.c,
 *		test/unit/test_query_*.c) build and run in a tree that does not have
 *		the harness yet.
 *
 * It offers the subset of the harness interface those tests use: a fixture
 * with one context per dialect (no engine: the front end never runs SQL),
 * unit_add(), unit_ctx(), and the assertions assert_contains,
 * assert_not_contains, assert_status and assert_ok.  Where the full
 * harness (test/unit/unit.mk, test/unit/unit.h) is present, it is used
 * instead and this directory can go: the registration functions are
 * declared in test/unit/test_frontend.h.
 */
#ifndef REX_UNIT_H
#define REX_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "rex.h"
#include "json_util.h"
#include "model.h"

typedef struct unit_fixture
{
	rex_engine *fake;			/* always NULL here */
	rex_ctx    *pg;
	rex_ctx    *sqlite;
	const void *param;
	rex_ctx    *extra[8];
	int			nextra;
} unit_fixture;

typedef struct unit_suite unit_suite;

extern void unit_add(unit_suite *s, const char *name,
					 void (*fn) (void **state), const void *param);

#define unit_fix(state) ((unit_fixture *) *(state))
#define unit_param(state) (unit_fix(state)->param)

extern rex_ctx *unit_ctx(void **state, const rex_dialect *dialect);

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
#define assert_status(ctx, got, want) \
	unit_assert_status((ctx), (got), (want), __FILE__, __LINE__)
#define assert_ok(ctx, got) assert_status((ctx), (got), REX_OK)

#endif							/* REX_UNIT_H */
