#!/usr/bin/env bash
# test/fuzz/differential/run.sh -- a manual check of the GraphQL front end
# against graphql-js, the reference implementation (not part of make test:
# it needs graphql-js from npm, which the project's setup does not install
# yet).
#
#   npm install --prefix build/gjs graphql@16
#   bash test/fuzz/differential/run.sh [FILES...]
#
# FILES default to the seed corpus and the inputs the fuzzer has grown
# (build/fuzz/work_graphql).  It reports, per document:
#   parse_diff.js     accept/refuse, the first error's location, and the
#                     canonical print (strings decoded) of accepted ones;
#   validate_diff.js  the validation errors (messages and locations) with
#                     an SDL equivalent of test/unit/gql_test_schema.c, and
#                     (NOSCHEMA=1) the document rules alone.
# Known differences are filtered or listed in the README ("Differences
# from graphql-js worth knowing"); the scripts print the rest.
set -eu
cd "$(dirname "$0")/../../.."
W=build/gjs
mkdir -p "$W"
export NODE_PATH=$W/node_modules
node -e 'require("graphql")' 2>/dev/null || { echo "graphql-js not found: npm install --prefix $W graphql@16" >&2; exit 1; }
gcc -std=gnu99 -O1 -g -Icommon -Itest/unit -o "$W/dump_graphql" test/fuzz/differential/dump_graphql.c \
	test/unit/gql_test_schema.c test/fuzz/host_fuzz.c common/graphql_*.c common/ctx.c \
	common/rex_buf.c common/json_util.c common/dialect.c common/dialect_pg.c \
	common/dialect_sqlite.c common/ident.c common/sha256.c common/values.c -ljansson -lcrypto
if [ $# -eq 0 ]; then set -- test/fuzz/corpus_graphql/* build/fuzz/work_graphql/*; fi
"$W/dump_graphql" parse "$@" >"$W/parse.jsonl"
node test/fuzz/differential/parse_diff.js <"$W/parse.jsonl" | tail -20
"$W/dump_graphql" validate "$@" >"$W/validate.jsonl"
node test/fuzz/differential/validate_diff.js <"$W/validate.jsonl" | tail -20
NOSCHEMA=1 "$W/dump_graphql" validate "$@" >"$W/validate0.jsonl"
NOSCHEMA=1 node test/fuzz/differential/validate_diff.js <"$W/validate0.jsonl" | tail -20
