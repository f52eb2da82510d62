/*
 * catalog_sqlite.c
 *		rex's catalog tables on SQLite.
 *
 * Created on first use by a rex function that writes (never at load
 * time), in one transaction, with rex's own version stamp in rex_meta
 * (PRAGMA user_version belongs to the application).  The columns match
 * the PostgreSQL catalog in sql/rex_orm--0.1.0.sql; the history is
 * append-only, enforced by triggers in built-in SQL.
 */
#include "rex_sqlite.h"
SQLITE_EXTENSION_INIT3

#include <stdlib.h>

static const char catalog_sql[] =
"CREATE TABLE main.rex_meta (\n"
"  key TEXT PRIMARY KEY,\n"
"  value TEXT NOT NULL\n"
") STRICT;\n"
"INSERT INTO main.rex_meta (key, value) VALUES ('catalog_version', '1');\n"
"INSERT INTO main.rex_meta (key, value) VALUES ('created_by', 'rex_orm " REX_VERSION "');\n"
"CREATE TABLE main.rex_entities (\n"
"  name TEXT PRIMARY KEY,\n"
"  table_name TEXT NOT NULL,\n"
"  schema_name TEXT,\n"
"  definition TEXT NOT NULL CHECK (json_valid(definition)),\n"
"  applied TEXT CHECK (applied IS NULL OR json_valid(applied)),\n"
"  dropped INTEGER NOT NULL DEFAULT 0 CHECK (dropped IN (0, 1)),\n"
"  version INTEGER NOT NULL,\n"
"  created_at TEXT NOT NULL,\n"
"  updated_at TEXT NOT NULL,\n"
"  migrated_at TEXT\n"
") STRICT;\n"
"CREATE TABLE main.rex_migrations (\n"
"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
"  version TEXT,\n"
"  name TEXT NOT NULL,\n"
"  kind TEXT NOT NULL,\n"
"  plan TEXT NOT NULL CHECK (json_valid(plan)),\n"
"  sql_up TEXT,\n"
"  sql_down TEXT,\n"
"  reversible INTEGER NOT NULL CHECK (reversible IN (0, 1)),\n"
"  checksum TEXT NOT NULL,\n"
"  chain_hash TEXT,\n"
"  state TEXT NOT NULL CHECK (state IN ('applied', 'failed', 'rolled_back')),\n"
"  error TEXT,\n"
"  error_step INTEGER,\n"
"  total_steps INTEGER NOT NULL,\n"
"  applied_steps INTEGER NOT NULL,\n"
"  started_at TEXT NOT NULL,\n"
"  finished_at TEXT NOT NULL,\n"
"  duration_ms REAL NOT NULL,\n"
"  applied_by TEXT,\n"
"  rex_version TEXT NOT NULL,\n"
"  engine TEXT NOT NULL,\n"
"  ops TEXT CHECK (ops IS NULL OR json_valid(ops))\n"
") STRICT;\n"
"CREATE TRIGGER main.rex_migrations_no_update BEFORE UPDATE ON rex_migrations\n"
"BEGIN SELECT RAISE(ABORT, 'rex: the migration history is append-only'); END;\n"
"CREATE TRIGGER main.rex_migrations_no_delete BEFORE DELETE ON rex_migrations\n"
"BEGIN SELECT RAISE(ABORT, 'rex: the migration history is append-only'); END;\n"
"CREATE TABLE main.rex_log (\n"
"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
"  at TEXT NOT NULL,\n"
"  level TEXT NOT NULL,\n"
"  migration_id INTEGER,\n"
"  step INTEGER,\n"
"  kind TEXT,\n"
"  sql TEXT,\n"
"  duration_ms REAL,\n"
"  message TEXT\n"
") STRICT;\n"
"CREATE TABLE main.rex_validators (\n"
"  name TEXT PRIMARY KEY,\n"
"  function TEXT NOT NULL,\n"
"  fn_schema TEXT,\n"
"  fn_name TEXT NOT NULL,\n"
"  arg_type TEXT,\n"
"  message TEXT,\n"
"  created_at TEXT NOT NULL\n"
") STRICT;\n"
"CREATE TABLE main.rex_hooks (\n"
"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
"  entity TEXT NOT NULL,\n"
"  event TEXT NOT NULL CHECK (event IN ('before_insert', 'after_insert', 'before_update',\n"
"    'after_update', 'before_delete', 'after_delete')),\n"
"  function TEXT NOT NULL,\n"
"  created_at TEXT NOT NULL,\n"
"  UNIQUE (entity, event, function)\n"
") STRICT;\n"
"CREATE TABLE main.rex_hook_guard (\n"
"  tbl TEXT NOT NULL,\n"
"  rid INTEGER NOT NULL,\n"
"  PRIMARY KEY (tbl, rid)\n"
") STRICT;\n"
"CREATE TABLE main.rex_scripts (\n"
"  version TEXT PRIMARY KEY,\n"
"  up TEXT NOT NULL,\n"
"  down TEXT,\n"
"  checksum TEXT NOT NULL,\n"
"  registered_at TEXT NOT NULL,\n"
"  updated_at TEXT NOT NULL\n"
") STRICT;\n"
/* the change feed: written by capture triggers in built-in SQL; at is a
 * julian day (strftime('%Y-%m-%dT%H:%M:%fZ', at) gives rex's text) */
"CREATE TABLE main.rex_changes (\n"
"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
"  entity TEXT NOT NULL,\n"
"  op TEXT NOT NULL,\n"
"  pk TEXT,\n"
"  new TEXT,\n"
"  old TEXT,\n"
"  changed TEXT,\n"
"  tx INTEGER,\n"
"  at REAL NOT NULL\n"
") STRICT;\n"
"CREATE TABLE main.rex_changes_pruned (\n"
"  entity TEXT PRIMARY KEY,\n"
"  before_id INTEGER NOT NULL\n"
") STRICT;\n";

int
rex_sqlite_create_catalog(sqlite3 *db, char **errmsg)
{
	return sqlite3_exec(db, catalog_sql, NULL, NULL, errmsg);
}

/* Runs a one-value query; *found tells whether it returned a row. */
static int
query_text(sqlite3 *db, const char *sql, char *out, size_t outlen, int *found)
{
	sqlite3_stmt *stmt;
	int			rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);

	*found = 0;
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
	{
		const unsigned char *v = sqlite3_column_text(stmt, 0);

		*found = 1;
		sqlite3_snprintf((int) outlen, out, "%s", v ? (const char *) v : "");
		rc = SQLITE_OK;
	}
	else if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(stmt);
	return rc;
}

int
rex_sqlite_catalog_version(sqlite3 *db, int *version)
{
	char		v[32];
	int			found;
	int			rc;

	*version = 0;
	rc = query_text(db, "SELECT 1 FROM main.sqlite_schema WHERE type = 'table' "
					"AND name = 'rex_meta'", v, sizeof(v), &found);
	if (rc != SQLITE_OK || !found)
		return rc;
	rc = query_text(db, "SELECT value FROM main.rex_meta WHERE key = 'catalog_version'",
					v, sizeof(v), &found);
	if (rc == SQLITE_OK)
		*version = found ? atoi(v) : -1;
	return rc;
}
