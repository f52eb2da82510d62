/*
 * test_frontend.h
 *		Registration functions of the GraphQL front end and query-language
 *		unit tests, and helpers they share (test_graphql_util.c).
 *
 * With the full unit-test harness, unit_main.c calls
 * REX_UNIT_REGISTER_FRONTEND(&suite) once; so does the stand-in runner in
 * test/unit/frontend/.
 */
#ifndef REX_TEST_FRONTEND_H
#define REX_TEST_FRONTEND_H

#include "unit.h"
#include "graphql_ast.h"

extern void unit_register_graphql_lex(unit_suite *s);
extern void unit_register_graphql_parse(unit_suite *s);
extern void unit_register_graphql_validate(unit_suite *s);
extern void unit_register_graphql_coerce(unit_suite *s);
extern void unit_register_graphql_schema_rules(unit_suite *s);
extern void unit_register_query_parse(unit_suite *s);

#define REX_UNIT_REGISTER_FRONTEND(s) \
	do { \
		unit_register_graphql_lex(s); \
		unit_register_graphql_parse(s); \
		unit_register_graphql_validate(s); \
		unit_register_graphql_coerce(s); \
		unit_register_graphql_schema_rules(s); \
		unit_register_query_parse(s); \
	} while (0)

/*
 * Parses a document that must be accepted (fails the test otherwise,
 * printing the errors).
 */
extern rex_gql_document *gql_parse_ok(rex_ctx *ctx, const char *text,
									  const char *file, int line);
#define parse_gql_ok(ctx, text) gql_parse_ok((ctx), (text), __FILE__, __LINE__)

/*
 * Parses a document that must be refused; returns the JSON text of the
 * errors ([{"message", "locations"}...], compact, keys in order).
 */
extern const char *gql_parse_fail(rex_ctx *ctx, const char *text,
								  const char *file, int line);
#define parse_gql_fail(ctx, text) gql_parse_fail((ctx), (text), __FILE__, __LINE__)

/*
 * A test name made with printf (in a static buffer: unit_add copies it).
 * Control characters are shown as '?'.
 */
extern const char *tname(const char *fmt,...) __attribute__((format(printf, 1, 2)));

/* The errors list as compact JSON text. */
extern const char *gql_errors_text(rex_ctx *ctx, const rex_gql_errors *errs);

/*
 * A blog-like test schema behind the rex_gql_schema callbacks (Query,
 * Mutation, User, Post, interface Node, union SearchResult, enum Role,
 * scalar DateTime, input filters; directives @cached and @tag), built in
 * ctx's arena.
 */
struct rex_gql_schema;
extern const struct rex_gql_schema *test_schema(rex_ctx *ctx);

/*
 * The errors one per line: "message @line:column @line:column"; "" when
 * there is none.
 */
extern const char *gql_errors_brief(rex_ctx *ctx, const rex_gql_errors *errs);

/*
 * Parses (must succeed) and validates a document; returns the errors as
 * gql_errors_brief does ("" when valid) and the status in *status (may be
 * NULL).
 */
extern const char *gql_validate_text(rex_ctx *ctx, const char *text,
									 const struct rex_gql_schema *schema,
									 const rex_gql_limits *limits,
									 rex_status *status);

#endif							/* REX_TEST_FRONTEND_H */
