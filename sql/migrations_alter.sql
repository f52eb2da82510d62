-- Changing migrated entities on PostgreSQL, on tables with data: every
-- change is planned first, and migrate() then does exactly what plan()
-- said -- including failing where the plan warned that the data would
-- make it fail, with nothing left behind.
\pset format aligned
-- a database of its own, so that versions do not depend on other tests
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS rex_test_alter;
CREATE DATABASE rex_test_alter;
\c rex_test_alter
SET client_min_messages = warning;
CREATE EXTENSION rex_orm;
CREATE VIEW plan_steps AS
  SELECT (s->>'step')::int AS step, s->>'kind' AS kind, s->>'entity' AS entity,
         (s->>'destructive')::boolean AS destructive, (s->>'rewrites_table')::boolean AS rewrites,
         (s->>'reversible')::boolean AS reversible, s->'warnings' AS warnings
  FROM jsonb_array_elements(rex.plan()) AS s;
CREATE VIEW last_migration AS
  SELECT version, name, kind, state, error, error_step, total_steps, applied_steps, reversible
  FROM rex.migrations ORDER BY id DESC LIMIT 1;

SELECT rex.define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 40, "nullable": false},
  "email": {"type": "string", "unique": true},
  "age": {"type": "integer"},
  "status": {"type": "enum", "values": ["new", "old"], "default": "new"},
  "note": {"type": "text"}}}') ->> 'status' AS defined;
SELECT rex.migrate() ->> 'status' AS migrated;
INSERT INTO members (name, email, age, note) VALUES
  ('ann', 'ann@example.org', 31, 'first'), ('bob', 'bob@example.org', NULL, NULL);

-- 1. a NOT NULL column without a default on a table with rows: the plan
--    says it will fail, and it fails without leaving anything behind
SELECT rex.define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 40, "nullable": false},
  "email": {"type": "string", "unique": true},
  "age": {"type": "integer"},
  "status": {"type": "enum", "values": ["new", "old"], "default": "new"},
  "note": {"type": "text"},
  "score": {"type": "integer", "nullable": false}}}') ->> 'status' AS defined;
SELECT * FROM plan_steps;
SELECT (rex.migrate() #> '{migrations,0}') - 'duration_ms' - 'checksum' AS failed;
SELECT * FROM last_migration;
SELECT count(*) AS score_columns FROM information_schema.columns
WHERE table_name = 'members' AND column_name = 'score';
SELECT rex.migrate('{"strict": true}');

-- with a default it is added, existing rows get the default
SELECT rex.define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 40, "nullable": false},
  "email": {"type": "string", "unique": true},
  "age": {"type": "integer"},
  "status": {"type": "enum", "values": ["new", "old"], "default": "new"},
  "note": {"type": "text"},
  "score": {"type": "integer", "nullable": false, "default": 0}}}') ->> 'status' AS defined;
SELECT step, kind, destructive, rewrites, reversible, warnings FROM plan_steps;
SELECT rex.migrate() #>> '{migrations,0,state}' AS state;
SELECT id, name, score FROM members ORDER BY id;

-- 2. type changes: integer -> bigint, a narrower string, enum values, NOT NULL
SELECT rex.define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 2, "nullable": false},
  "email": {"type": "string", "unique": true},
  "age": {"type": "bigint", "nullable": false},
  "status": {"type": "enum", "values": ["new", "gold"], "default": "new"},
  "note": {"type": "text"},
  "score": {"type": "integer", "nullable": false, "default": 0}}}') ->> 'status' AS defined;
SELECT step, kind, rewrites, reversible, warnings FROM plan_steps;
-- a dry run on the real data says the same, and changes nothing
SELECT (rex.migrate('{"dry_run": true}') #> '{migrations,0}') - 'duration_ms' AS dry_run;
SELECT count(*) AS history_rows FROM rex.migrations;
-- fixing the data the lint pointed at makes it pass
UPDATE members SET name = left(name, 2), age = coalesce(age, 0);
SELECT rex.migrate() #>> '{migrations,0,state}' AS state;
SELECT column_name, data_type, character_maximum_length, is_nullable
FROM information_schema.columns WHERE table_name = 'members' ORDER BY column_name;
-- the new values hold for plain SQL: "old" is gone
INSERT INTO members (name, email, age, status) VALUES ('cy', 'c@example.org', 5, 'old');
SELECT id, name, age, status FROM members ORDER BY id;

-- changes with no safe conversion are refused when defined, and nothing is recorded
SELECT rex.define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"}, "name": {"type": "integer"}}}');
SELECT rex.define_entity('member', '{"table": "members", "primary_key": ["email"], "columns": {
  "email": {"type": "string"}}}');
SELECT version FROM rex.entities WHERE name = 'member';

-- 3. float -> integer converts whole numbers and fails on fractions (never rounds)
SELECT rex.define_entity('reading', '{"columns": {"id": {"type": "id"}, "v": {"type": "float"}}}') ->> 'status' AS defined;
SELECT rex.migrate() ->> 'status' AS migrated;
INSERT INTO reading (v) VALUES (1.0), (2.5);
SELECT rex.define_entity('reading', '{"columns": {"id": {"type": "id"}, "v": {"type": "integer"}}}') ->> 'status' AS defined;
SELECT rex.migrate() #>> '{migrations,0,error}' AS error;
UPDATE reading SET v = 3 WHERE v = 2.5;
SELECT rex.migrate() #>> '{migrations,0,state}' AS state;
SELECT v, pg_typeof(v) FROM reading ORDER BY id;

-- 4. renames are never guessed: a column that disappears is dropped (destructive)...
SELECT rex.define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 2, "nullable": false},
  "mail": {"type": "string", "unique": true},
  "age": {"type": "bigint", "nullable": false},
  "status": {"type": "enum", "values": ["new", "gold"], "default": "new"},
  "note": {"type": "text"},
  "score": {"type": "integer", "nullable": false, "default": 0}}}') ->> 'status' AS defined;
SELECT step, kind, destructive, reversible, warnings FROM plan_steps;
SELECT rex.migrate();
-- ... unless the definition says "renamed_from": then the data stays
SELECT rex.define_entity('member', '{"table": "people", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 2, "nullable": false},
  "mail": {"type": "string", "unique": true, "renamed_from": "email"},
  "age": {"type": "bigint", "nullable": false},
  "state": {"type": "enum", "values": ["new", "gold"], "default": "new", "renamed_from": "status"},
  "score": {"type": "integer", "nullable": false, "default": 0}}}') ->> 'status' AS defined;
SELECT step, kind, destructive, reversible FROM plan_steps;
SELECT rex.migrate() ->> 'status' AS refused_without_allow;
SELECT rex.migrate('{"allow_data_loss": true}') #>> '{migrations,0,state}' AS state;
SELECT id, name, mail, age, state, score FROM people ORDER BY id;
SELECT indexname FROM pg_indexes WHERE tablename = 'people' ORDER BY 1;
SELECT conname FROM pg_constraint WHERE conrelid = 'people'::regclass AND contype = 'c';
INSERT INTO people (name, mail, age, state) VALUES ('dd', 'c@example.org', 1, 'new');

-- 5. rollback: a migration that dropped a column cannot be undone, and says which step
SELECT rex.rollback();
SELECT version, name, state FROM last_migration;
-- a migration of renames, an added column and a wider type can be undone
SELECT rex.define_entity('gadget', '{"columns": {"id": {"type": "id"}, "label": {"type": "string", "max_length": 5}}}') ->> 'status' AS defined;
SELECT rex.migrate() ->> 'status' AS migrated;
INSERT INTO gadget (label) VALUES ('abc');
SELECT rex.define_entity('gadget', '{"table": "gadgets", "columns": {"id": {"type": "id"},
  "title": {"type": "text", "renamed_from": "label"}, "added": {"type": "integer", "default": 7}}}') ->> 'status' AS defined;
SELECT step, kind, reversible FROM plan_steps;
SELECT rex.migrate() #>> '{migrations,0,state}' AS state;
INSERT INTO gadgets (title, added) VALUES ('ok', 1);
SELECT (rex.rollback() #> '{migrations,0}') - 'duration_ms' - 'checksum' AS rolled_back;
SELECT * FROM gadget ORDER BY id;
SELECT rex.entity('gadget') -> 'table' AS table, rex.entity('gadget') -> 'columns' ? 'label' AS has_label;
SELECT * FROM plan_steps;
-- a row too long for the old type makes the rollback fail, atomically
SELECT rex.define_entity('gadget', '{"table": "gadgets", "columns": {"id": {"type": "id"},
  "title": {"type": "text", "renamed_from": "label"}}}') ->> 'status' AS defined;
SELECT rex.migrate() #>> '{migrations,0,state}' AS state;
INSERT INTO gadgets (title) VALUES ('far too long');
SELECT (rex.rollback() #> '{migrations,0}') - 'duration_ms' - 'checksum' AS failed_rollback;
SELECT count(*) AS rows_kept, to_regclass('public.gadgets') IS NOT NULL AS still_renamed FROM gadgets;
SELECT version, kind, state FROM rex.migrations ORDER BY id DESC LIMIT 3;

-- 6. what rebuilding tools lose is kept on PostgreSQL too: child rows of
--    an ON DELETE CASCADE key, triggers and views of the altered table
SELECT rex.define_entity('parent', '{"columns": {"id": {"type": "id"}, "v": {"type": "integer"}, "w": {"type": "text"}}}') ->> 'status' AS defined;
SELECT rex.migrate() ->> 'status' AS migrated;
CREATE TABLE kid (id int PRIMARY KEY, parent_id bigint REFERENCES parent (id) ON DELETE CASCADE);
INSERT INTO parent (v, w) VALUES (1, 'a'), (2, 'b');
INSERT INTO kid VALUES (1, 1), (2, 2), (3, 2);
CREATE TABLE audit (what text);
CREATE FUNCTION audit_parent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit VALUES (NEW.w); RETURN NEW; END $$;
CREATE TRIGGER parent_audit AFTER INSERT ON parent FOR EACH ROW EXECUTE FUNCTION audit_parent();
CREATE VIEW parent_kids AS SELECT p.id AS parent, k.id AS kid FROM parent p JOIN kid k ON k.parent_id = p.id;
SELECT rex.define_entity('parent', '{"columns": {"id": {"type": "id"}, "v": {"type": "bigint", "nullable": false, "default": 0},
  "w": {"type": "string", "max_length": 10}}}') ->> 'status' AS defined;
SELECT rex.migrate() #>> '{migrations,0,state}' AS state;
SELECT count(*) AS kids FROM kid;
SELECT * FROM parent_kids ORDER BY kid;
INSERT INTO parent (v, w) VALUES (3, 'c');
SELECT * FROM audit;

-- history stays append-only and chained across alterations and rollbacks
SELECT bool_and(chain_hash = encode(sha256(convert_to(coalesce(prev, '') || checksum, 'UTF8')), 'hex')) AS chained
FROM (SELECT chain_hash, checksum, lag(chain_hash) OVER (ORDER BY id) AS prev
      FROM rex.migrations WHERE chain_hash IS NOT NULL) AS h;
SELECT rex.migration_status() -> 'problems' AS problems, rex.migration_status() -> 'up_to_date' AS up_to_date;
\c :regress_db
SET client_min_messages = warning;
DROP DATABASE rex_test_alter;
