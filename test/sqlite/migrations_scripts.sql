-- Versioned migrations on SQLite: the same scenarios as
-- sql/migrations_scripts.sql, with the same answers.
.load ./rex_orm
.mode list
.headers off
CREATE VIEW history AS
  SELECT id, version, kind, state, name, error, reversible FROM rex_migrations ORDER BY id;

.print '-- registering: idempotent for the same text, versions checked'
SELECT json_remove(rex_add_migration('1', 'CREATE TABLE t1 (x INTEGER PRIMARY KEY); INSERT INTO t1 VALUES (1)', 'DROP TABLE t1'), '$.checksum');
SELECT json_remove(rex_add_migration('1', 'CREATE TABLE t1 (x INTEGER PRIMARY KEY); INSERT INTO t1 VALUES (1)', 'DROP TABLE t1'), '$.checksum');
SELECT rex_add_migration('10', 'CREATE TABLE t10 (x int)', 'DROP TABLE t10') ->> 'status';
SELECT rex_add_migration('9', 'CREATE TABLE t9 (x int REFERENCES t1 (x))') ->> 'status';
SELECT rex_add_migration('9', 'CREATE TABLE t9 (x int REFERENCES t1 (x)); CREATE TRIGGER t9_ins AFTER INSERT ON t9 BEGIN UPDATE t1 SET x = x WHERE x = NEW.x; END') ->> 'status';
SELECT rex_add_migration('entities_0001', 'SELECT 1');
SELECT rex_add_migration('1 2', 'SELECT 1');
SELECT rex_add_migration('11', 'CREATE TABLE x (y int); COMMIT');
SELECT rex_add_migration('11', '   ');
SELECT rex_add_migration('11', NULL);
SELECT version FROM rex_scripts ORDER BY version;
SELECT rex_migration_status() -> 'pending_migrations';

.print '-- migrate: scripts in natural version order (9 before 10), then entities'
SELECT json_extract(rex_define_entity('item', '{"columns": {"id": {"type": "id"}, "label": {"type": "text"}}}'), '$.status');
SELECT rex_migrate('{"dry_run": true}') ->> 'status';
SELECT count(*) FROM sqlite_schema WHERE name = 't1';
SELECT json_extract(rex_migrate(), '$.migrations[0].version', '$.migrations[1].version', '$.migrations[2].version', '$.migrations[3].version');
SELECT * FROM history;
SELECT rex_migrate() ->> 'status';

.print '-- a failing script: the ones before it stay applied, it leaves nothing, later ones wait'
SELECT rex_add_migration('13', 'CREATE TABLE t13 (x int)', 'DROP TABLE t13') ->> 'status';
SELECT rex_add_migration('14', 'CREATE TABLE t14 (x INTEGER) STRICT; INSERT INTO t14 VALUES (''nope'')', 'DROP TABLE t14') ->> 'status';
SELECT rex_add_migration('15', 'CREATE TABLE t15 (x int)', 'DROP TABLE t15') ->> 'status';
SELECT json_extract(rex_migrate(), '$.status', '$.migrations[0].state', '$.migrations[1].state', '$.migrations[1].error', '$.migrations[2]');
SELECT name FROM sqlite_schema WHERE name IN ('t13', 't14', 't15');
SELECT version, kind, state, error FROM history WHERE version IN ('13', '14', '15');
SELECT rex_migrate('{"strict": true}');
SELECT rex_add_migration('14', 'CREATE TABLE t14 (x INTEGER) STRICT; INSERT INTO t14 VALUES (14)', 'DROP TABLE t14') ->> 'status';
SELECT json_extract(rex_migrate(), '$.migrations[0].version', '$.migrations[1].version');
SELECT rex_add_migration('2', 'SELECT 1') ->> 'status';
SELECT rex_migrate();
DELETE FROM rex_scripts WHERE version = '2';

.print '-- rollback: the last migration, or every one after a version, last first'
SELECT json_extract(rex_rollback(), '$.migrations[0].name');
SELECT count(*) FROM sqlite_schema WHERE name = 't15';
SELECT rex_migration_status() -> 'pending_migrations';
SELECT rex_rollback('1');
SELECT rex_rollback('nope');
SELECT json_extract(rex_rollback('10'), '$.migrations[0].name', '$.migrations[1].name', '$.migrations[2].name', '$.migrations[3].name');
SELECT name FROM sqlite_schema WHERE name IN ('t13', 't14', 'item') ORDER BY name;
SELECT rex_rollback('10') ->> 'status';
SELECT kind, state, count(*) FROM rex_migrations GROUP BY 1, 2 ORDER BY 1, 2;
SELECT json_extract(rex_migrate(), '$.migrations[0].version', '$.migrations[1].version', '$.migrations[2].version', '$.migrations[3].version');

.print '-- tamper detection: an applied script registered again with other text'
SELECT rex_add_migration('10', 'CREATE TABLE t10 (x bigint)', 'DROP TABLE t10') ->> 'status';
SELECT rex_migrate();
SELECT rex_migration_status() -> 'problems' -> 0 ->> 'kind';
SELECT rex_add_migration('10', 'CREATE TABLE t10 (x int)', 'DROP TABLE t10') ->> 'status';
SELECT rex_migrate() ->> 'status';
.print '-- ... or its stored row changed behind the back of rex: refused until repaired'
UPDATE rex_scripts SET down = 'DROP TABLE IF EXISTS t10' WHERE version = '10';
SELECT rex_migrate();
SELECT rex_rollback();
SELECT json_remove(rex_repair('10') -> '$.migrations[0]', '$.duration_ms', '$.checksum');
SELECT rex_repair('10') ->> 'status';
SELECT rex_migrate() ->> 'status';
SELECT rex_repair('nope');
.print '-- the history itself changed (its guard trigger dropped by someone who could)'
DROP TRIGGER rex_migrations_no_update;
UPDATE rex_migrations SET checksum = 'x' || substr(checksum, 2) WHERE version = '1' AND kind = 'script';
CREATE TRIGGER main.rex_migrations_no_update BEFORE UPDATE ON rex_migrations
BEGIN SELECT RAISE(ABORT, 'rex: the migration history is append-only'); END;
SELECT rex_migrate();
SELECT rex_repair() ->> 'status';
SELECT rex_migrate() ->> 'status';
SELECT rex_migration_status() -> 'problems';
SELECT kind, state, name FROM history WHERE kind = 'repair';
SELECT sum(chain_hash IS NULL), sum(state = 'failed') FROM rex_migrations;
UPDATE rex_migrations SET state = 'failed';
DELETE FROM rex_scripts;
SELECT json_extract(rex_migration_status(), '$.applied_migrations', '$.up_to_date');
.print '-- a script may create triggers: their BEGIN ... END is not transaction control'
SELECT rex_add_migration('20', 'CREATE TABLE t20 (x int); CREATE TRIGGER t20_t AFTER INSERT ON t20 BEGIN INSERT INTO t20 SELECT NEW.x + 1 WHERE NEW.x < 3; END', 'DROP TABLE t20') ->> 'status';
SELECT rex_migrate() ->> 'status';
PRAGMA recursive_triggers = ON;
INSERT INTO t20 VALUES (1);
SELECT x FROM t20 ORDER BY x;
