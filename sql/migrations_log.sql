-- The log: every migration step with its SQL and duration in rex.log;
-- rex.log_level also sends the SQL to the server log (shown here with
-- client_min_messages = log).
\pset format aligned
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS rex_test_log;
CREATE DATABASE rex_test_log;
\c rex_test_log
SET client_min_messages = warning;
CREATE EXTENSION rex_orm;
SHOW rex.log_level;
SET rex.log_level = 'loud';
SELECT rex.define_entity('note', '{"columns": {"id": {"type": "id"}, "body": {"type": "text"}}, "indexes": [{"columns": ["body"]}]}') ->> 'status' AS defined;
SELECT rex.add_migration('1', 'CREATE TABLE seed (x int)', 'DROP TABLE seed') ->> 'status' AS registered;
-- info: the SQL of every migration step
SET client_min_messages = log;
SET rex.log_level = info;
SELECT rex.migrate() ->> 'status' AS migrated;
-- debug: every statement rex runs (here, the one query of entities())
SET rex.log_level = debug;
SELECT jsonb_array_length(rex.entities()) AS entities;
SET rex.log_level = off;
SELECT rex.migrate() ->> 'status' AS quiet;
SET client_min_messages = warning;
-- the log table has every step of every migration, with its SQL and duration
SELECT m.version, l.step, l.kind, l.level, l.message, l.duration_ms >= 0 AS timed, l.sql
FROM rex.log AS l JOIN rex.migrations AS m ON m.id = l.migration_id ORDER BY l.id;
\c :regress_db
SET client_min_messages = warning;
DROP DATABASE rex_test_log;
