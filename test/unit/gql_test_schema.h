/*
 * gql_test_schema.h
 *		The GraphQL test schema shared by the unit tests and the fuzz
 *		targets (gql_test_schema.c).
 *
 * Types: Query (user, users, usersCount, node, search, hello, post),
 * Mutation (createUser, deleteUser), User and Post (implementing the
 * interface Node), the union SearchResult, the enums Role and
 * SortDirection, the custom scalar DateTime (a UTC string checked by
 * coerce_scalar), the input objects UserWhere (recursive through and, or,
 * not), StringFilter, IntFilter, UserOrderBy, UserCreateInput, PostWhere;
 * directives @cached(ttl: Int!) on QUERY | FIELD and the repeatable
 * @tag(name: String) on FIELD | VARIABLE_DEFINITION.
 */
#ifndef REX_GQL_TEST_SCHEMA_H
#define REX_GQL_TEST_SCHEMA_H

#include "graphql_validate.h"

/* The schema, built in ctx's arena; NULL when out of memory. */
extern const rex_gql_schema *gql_test_schema(rex_ctx *ctx);

#endif							/* REX_GQL_TEST_SCHEMA_H */
