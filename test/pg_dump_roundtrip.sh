#!/usr/bin/env bash
# pg_dump keeps rex's catalog: a database restored from a dump carries on
# migrating (ids continue, the hash chain continues).  Uses the server that
# PGHOST/PGPORT/PGUSER point at.
set -euo pipefail
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "DROP DATABASE IF EXISTS rex_dump_src" -c "DROP DATABASE IF EXISTS rex_dump_dst" \
	-c "CREATE DATABASE rex_dump_src" -c "CREATE DATABASE rex_dump_dst" 2>/dev/null
q -d rex_dump_src -c "CREATE EXTENSION rex_orm" \
	-c "SELECT rex.define_entity('a', '{\"columns\": {\"id\": {\"type\": \"id\"}}}')" \
	-c "SELECT rex.migrate()" >/dev/null
pg_dump rex_dump_src | q -d rex_dump_dst >/dev/null
q -d rex_dump_dst -c "SELECT rex.define_entity('b', '{\"columns\": {\"id\": {\"type\": \"id\"}}}')" >/dev/null
status=$(q -d rex_dump_dst -c "SELECT rex.migrate() ->> 'status'")
[ "$status" = applied ] || { echo "migrate after restore: $status"; exit 1; }
rows=$(q -d rex_dump_dst -c "SELECT string_agg(id || ':' || version, ',' ORDER BY id) FROM rex.migrations")
[ "$rows" = "1:entities_0001,2:entities_0002" ] || { echo "history after restore: $rows"; exit 1; }
q -d postgres -c "DROP DATABASE rex_dump_src" -c "DROP DATABASE rex_dump_dst"
