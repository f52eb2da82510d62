-- Versioned migrations on PostgreSQL: add_migration, order, failures,
-- rollback, tamper detection and repair.  The history only ever grows.
\pset format aligned
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS rex_test_scripts;
CREATE DATABASE rex_test_scripts;
\c rex_test_scripts
SET client_min_messages = warning;
CREATE EXTENSION rex_orm;
CREATE VIEW history AS
  SELECT id, version, kind, state, name, error, reversible FROM rex.migrations ORDER BY id;

-- registering: idempotent for the same text, versions checked
SELECT rex.add_migration('1', 'CREATE TABLE t1 (x int); INSERT INTO t1 VALUES (1)', 'DROP TABLE t1') - 'checksum' AS a;
SELECT rex.add_migration('1', 'CREATE TABLE t1 (x int); INSERT INTO t1 VALUES (1)', 'DROP TABLE t1') - 'checksum' AS a;
SELECT rex.add_migration('10', 'CREATE TABLE t10 (x int)', 'DROP TABLE t10') ->> 'status' AS a;
SELECT rex.add_migration('9', 'CREATE TABLE t9 (x int REFERENCES t1 (x))') ->> 'status' AS no_down;
SELECT rex.add_migration('9', 'ALTER TABLE t1 ADD PRIMARY KEY (x); CREATE TABLE t9 (x int REFERENCES t1 (x))') ->> 'status' AS replaced_while_pending;
SELECT rex.add_migration('entities_0001', 'SELECT 1');
SELECT rex.add_migration('1 2', 'SELECT 1');
SELECT rex.add_migration('11', 'CREATE TABLE x (y int); COMMIT');
SELECT rex.add_migration('11', '   ');
SELECT rex.add_migration('11', NULL);
SELECT version FROM rex.scripts ORDER BY version;
SELECT rex.migration_status() -> 'pending_migrations' AS pending;

-- migrate: scripts in natural version order (9 before 10), then entities
SELECT rex.define_entity('item', '{"columns": {"id": {"type": "id"}, "label": {"type": "text"}}}') ->> 'status' AS defined;
SELECT rex.migrate('{"dry_run": true}') ->> 'status' AS dry_run, to_regclass('t1') AS t1_after_dry_run;
SELECT jsonb_path_query_array(rex.migrate(), '$.migrations[*].version') AS applied;
SELECT * FROM history;
SELECT rex.migrate() ->> 'status' AS again;

-- scripts run with the caller's search_path (rex pins its own only for its own SQL)
CREATE SCHEMA app;
SET search_path = app, public;
SELECT rex.add_migration('12', 'CREATE TABLE where_am_i (p text DEFAULT current_setting(''search_path'')); INSERT INTO where_am_i DEFAULT VALUES', 'DROP TABLE where_am_i') ->> 'status' AS a;
SELECT rex.migrate() ->> 'status' AS migrated;
SELECT current_setting('search_path') AS after_migrate;
RESET search_path;
SELECT p FROM app.where_am_i;

-- a failing script: the ones before it stay applied, it leaves nothing, later ones wait
SELECT rex.add_migration('13', 'CREATE TABLE t13 (x int)', 'DROP TABLE t13') ->> 'status' AS a;
SELECT rex.add_migration('14', 'CREATE TABLE t14 (x int); INSERT INTO t14 VALUES (''nope'')', 'DROP TABLE t14') ->> 'status' AS a;
SELECT rex.add_migration('15', 'CREATE TABLE t15 (x int)', 'DROP TABLE t15') ->> 'status' AS a;
SELECT jsonb_path_query_array(rex.migrate(), '$.migrations[*] ? (@.state == "failed").error') AS errors;
SELECT to_regclass('t13') AS t13, to_regclass('t14') AS t14, to_regclass('t15') AS t15;
SELECT version, kind, state, error FROM history WHERE version IN ('13', '14', '15');
SELECT rex.migrate('{"strict": true}');
-- fixing a pending script is allowed; then the rest applies
SELECT rex.add_migration('14', 'CREATE TABLE t14 (x int); INSERT INTO t14 VALUES (14)', 'DROP TABLE t14') ->> 'status' AS fixed;
SELECT jsonb_path_query_array(rex.migrate(), '$.migrations[*].version') AS applied;
-- a version older than the applied ones is refused (rename it)
SELECT rex.add_migration('2', 'SELECT 1') ->> 'status' AS a;
SELECT rex.migrate();
DELETE FROM rex.scripts WHERE version = '2';

-- rollback: the last migration, or every one after a version, last first
SELECT jsonb_path_query_array(rex.rollback(), '$.migrations[*].name') AS undone;
SELECT to_regclass('t15') AS t15;
SELECT rex.migration_status() -> 'pending_migrations' AS pending_again;
-- a script without down cannot be undone: nothing runs, the refusal names it
SELECT rex.rollback('1');
SELECT rex.rollback('nope');
-- each undone migration is atomic: 14 and 13 are undone, 12's down fails
-- (it needs the search_path it was applied with) and the run stops there
SELECT jsonb_path_query_array(rex.rollback('10'), '$.migrations[*].state') AS states;
SELECT to_regclass('t13') AS t13, to_regclass('t14') AS t14, to_regclass('app.where_am_i') AS kept;
SET search_path = app, public;
SELECT jsonb_path_query_array(rex.rollback('10'), '$.migrations[*].name') AS undone;
RESET search_path;
SELECT to_regclass('app.where_am_i') AS gone, to_regclass('item') AS item;
SELECT rex.rollback('10') ->> 'status' AS nothing;
SELECT kind, state, count(*) FROM rex.migrations GROUP BY 1, 2 ORDER BY 1, 2;
SELECT jsonb_path_query_array(rex.migrate(), '$.migrations[*].version') AS applied_again;
SELECT to_regclass('public.where_am_i') AS reapplied_here;

-- tamper detection: an applied script registered again with other text
SELECT rex.add_migration('10', 'CREATE TABLE t10 (x bigint)', 'DROP TABLE t10') ->> 'status' AS status;
SELECT rex.migrate();
SELECT rex.migration_status() -> 'problems' -> 0 -> 'kind' AS problem;
SELECT rex.add_migration('10', 'CREATE TABLE t10 (x int)', 'DROP TABLE t10') ->> 'status' AS status;
SELECT rex.migrate() ->> 'status' AS status;
-- ... or its stored row changed behind rex's back: refused until repaired
UPDATE rex.scripts SET down = 'DROP TABLE t10 CASCADE' WHERE version = '10';
SELECT rex.migrate();
SELECT rex.rollback();
SELECT (rex.repair('10') #> '{migrations,0}') - 'duration_ms' - 'checksum' AS repaired;
SELECT rex.repair('10') ->> 'status' AS again;
SELECT rex.migrate() ->> 'status' AS status;
SELECT rex.repair('nope');
-- the history itself changed (triggers disabled by someone with the rights)
ALTER TABLE rex.migrations DISABLE TRIGGER migrations_append_only;
UPDATE rex.migrations SET checksum = 'x' || substr(checksum, 2) WHERE version = '1' AND kind = 'script';
ALTER TABLE rex.migrations ENABLE TRIGGER migrations_append_only;
SELECT rex.migrate();
SELECT rex.repair() ->> 'status' AS repaired;
SELECT rex.migrate() ->> 'status' AS status;
SELECT rex.migration_status() -> 'problems' AS problems;
SELECT kind, state, name FROM history WHERE kind = 'repair';
-- no row was ever updated by rex: every row is still chained or a failure
SELECT count(*) FILTER (WHERE chain_hash IS NULL) AS unchained, count(*) FILTER (WHERE state = 'failed') AS failed
FROM rex.migrations;
UPDATE rex.migrations SET state = 'failed';
DELETE FROM rex.scripts;
SELECT rex.migration_status() -> 'applied_migrations' AS applied, rex.migration_status() -> 'up_to_date' AS up_to_date;
-- CREATE INDEX CONCURRENTLY cannot run inside migrate(): a clean failure, no hang
SELECT rex.add_migration('30', 'CREATE INDEX CONCURRENTLY t1_x ON t1 (x)', 'DROP INDEX t1_x') ->> 'status' AS a;
SELECT rex.migrate() #>> '{migrations,0,error}' AS error;
SELECT rex.migration_status() -> 'pending_migrations' AS pending;

\c :regress_db
SET client_min_messages = warning;
DROP DATABASE rex_test_scripts;
