-- Relations and validation rules of migrated entities on PostgreSQL: the
-- DDL (foreign keys and rule CHECKs added NOT VALID, then validated by a
-- step of their own), the lint that counts the rows a step would refuse,
-- a failing migration that leaves nothing behind, lifecycle hooks kept
-- through the changes, rollbacks, and a custom validator's CHECK.
\pset format aligned
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS rex_test_relation_changes;
CREATE DATABASE rex_test_relation_changes;
\c rex_test_relation_changes
SET client_min_messages = warning;
CREATE EXTENSION rex_orm;

CREATE FUNCTION public.tag_title(r jsonb) RETURNS jsonb LANGUAGE sql AS
$$ SELECT jsonb_build_object('title', '[' || (r ->> 'title') || ']') $$;
CREATE TABLE public.hook_log (n serial, r jsonb);
CREATE FUNCTION public.log_row(r jsonb) RETURNS jsonb LANGUAGE sql AS
$$ INSERT INTO public.hook_log (r) VALUES (r) RETURNING NULL::jsonb $$;

SELECT rex.define_entity('author', '{"columns": {"id": {"type": "id"}, "name": {"type": "text"}}}') ->> 'status' AS status;
SELECT rex.define_entity('post', '{"columns": {"id": {"type": "id"}, "title": {"type": "text"},
  "author_id": {"type": "bigint"}, "score": {"type": "integer"}}}') ->> 'status' AS status;
SELECT rex.migrate() ->> 'status' AS status;
SELECT rex.on('post', 'before_insert', 'tag_title') ->> 'active' AS hook_active;
SELECT rex.on('post', 'after_update', 'log_row') ->> 'active' AS hook_active;
INSERT INTO author (id, name) VALUES (1, 'ann'), (2, 'bob');
INSERT INTO post (id, title, author_id, score) VALUES (1, 'a', 1, 5), (2, 'b', 2, 0), (3, 'c', 99, -1), (4, 'd', NULL, 10);
SELECT id, title FROM post ORDER BY id;

-- a relation over the existing column and two rules: four steps each
-- NOT VALID, then validated; the lint counts the rows that break them
SELECT rex.define_entity('post', '{"columns": {"id": {"type": "id"}, "title": {"type": "text", "validate": {"min_length": 3}},
  "author_id": {"type": "bigint"}, "score": {"type": "integer", "validate": {"min": 0, "max": 10}}},
  "relations": {"author": {"kind": "belongs_to", "entity": "author", "on_delete": "cascade"}}}') ->> 'status' AS status;
SELECT s ->> 'step' AS step, s ->> 'kind' AS kind, s ->> 'sql' AS sql, s ->> 'sql_down' AS sql_down, s ->> 'reversible' AS rev
  FROM jsonb_array_elements(rex.plan()) AS s;
SELECT s ->> 'step' AS step, w AS warning
  FROM jsonb_array_elements(rex.plan()) AS s, jsonb_array_elements_text(s -> 'warnings') AS w;
-- migrate fails at the first validation; nothing is left behind
SELECT m ->> 'state' AS state, m ->> 'error' AS error, m ->> 'error_step' AS step
  FROM jsonb_array_elements(rex.migrate() -> 'migrations') AS m;
SELECT conname FROM pg_constraint WHERE conrelid = 'post'::regclass AND contype IN ('c', 'f') ORDER BY 1;
SELECT to_regclass('post_author_id_idx') AS fk_index;
-- strict raises the engine's error with the failing step
SELECT rex.migrate('{"strict": true}');
-- fix the data: the plan no longer warns, migrate applies
UPDATE post SET author_id = NULL WHERE id = 3;
UPDATE post SET score = 0 WHERE id = 3;
UPDATE post SET title = title || title || title;
SELECT count(*) AS data_dependent
  FROM jsonb_array_elements(rex.plan()) AS s, jsonb_array_elements_text(s -> 'warnings') AS w
  WHERE w LIKE 'data-dependent:%';
SELECT rex.migrate() ->> 'status' AS status;
SELECT conname, pg_get_constraintdef(oid) AS def, convalidated FROM pg_constraint
  WHERE conrelid = 'post'::regclass AND contype IN ('c', 'f') ORDER BY 1;
SELECT tgname FROM pg_trigger WHERE tgrelid = 'post'::regclass AND NOT tgisinternal ORDER BY 1;
-- enforced for every writer, the hooks still run (the before-hook runs
-- before the CHECKs: 'e' becomes '[e]', long enough)
INSERT INTO post (id, title, author_id, score) VALUES (5, 'eee', 42, 1);
INSERT INTO post (id, title, author_id, score) VALUES (5, 'eee', 1, 11);
INSERT INTO post (id, title, author_id, score) VALUES (5, 'e', 1, 10) RETURNING id, title;
UPDATE post SET score = 9 WHERE id = 5;
SELECT r ->> 'title' AS logged, r ->> 'score' AS score FROM hook_log ORDER BY n;
SELECT rex.explain_constraint('new row for relation "post" violates check constraint "post_score_max"') ->> 'message' AS explained;
SELECT rex.migration_status() -> 'drift' AS drift;

-- the foreign key changes: dropped before, added after, no column touched
SELECT rex.define_entity('post', '{"columns": {"id": {"type": "id"}, "title": {"type": "text", "validate": {"min_length": 3}},
  "author_id": {"type": "bigint"}, "score": {"type": "integer", "validate": {"min": 0, "max": 10}}},
  "relations": {"author": {"kind": "belongs_to", "entity": "author", "on_delete": "set_null"}}}') ->> 'status' AS status;
SELECT s ->> 'kind' AS kind, s ->> 'sql' AS sql FROM jsonb_array_elements(rex.plan()) AS s;
SELECT rex.migrate() ->> 'status' AS status;
DELETE FROM author WHERE id = 2;
SELECT id, author_id FROM post ORDER BY id;

-- a renamed table and column: the constraints and the hooks follow
SELECT rex.define_entity('post', '{"table": "article", "columns": {"id": {"type": "id"}, "title": {"type": "text", "validate": {"min_length": 3}},
  "writer_id": {"type": "bigint", "renamed_from": "author_id"}, "score": {"type": "integer", "validate": {"min": 0, "max": 10}}},
  "relations": {"author": {"kind": "belongs_to", "entity": "author", "foreign_key": "writer_id", "on_delete": "set_null"}}}') ->> 'status' AS status;
SELECT s ->> 'kind' AS kind, s ->> 'sql' AS sql FROM jsonb_array_elements(rex.plan()) AS s;
SELECT rex.migrate() ->> 'status' AS status;
SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'article'::regclass AND contype IN ('c', 'f') ORDER BY 1;
SELECT tgname FROM pg_trigger WHERE tgrelid = 'article'::regclass AND NOT tgisinternal ORDER BY 1;
INSERT INTO article (id, title, writer_id, score) VALUES (6, 'fff', 1, 3) RETURNING title;
SELECT rex.migration_status() -> 'drift' AS drift;

-- a custom validator as a rule of a migrated column: its CHECK calls the function
CREATE FUNCTION public.is_even(v integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v % 2 = 0 $$;
SELECT rex.register_validator('even', 'is_even', 'must be even') ->> 'name' AS validator;
SELECT rex.define_entity('post', '{"table": "article", "columns": {"id": {"type": "id"}, "title": {"type": "text", "validate": {"min_length": 3}},
  "writer_id": {"type": "bigint", "renamed_from": "author_id"}, "score": {"type": "integer", "validate": {"min": 0, "max": 10, "custom": "even"}}},
  "relations": {"author": {"kind": "belongs_to", "entity": "author", "foreign_key": "writer_id", "on_delete": "set_null"}}}') ->> 'status' AS status;
SELECT s ->> 'kind' AS kind, s ->> 'sql' AS sql FROM jsonb_array_elements(rex.plan()) AS s;
SELECT w AS warning FROM jsonb_array_elements(rex.plan()) AS s, jsonb_array_elements_text(s -> 'warnings') AS w
  WHERE w LIKE 'data-dependent:%';
UPDATE article SET score = score - 1 WHERE score % 2 = 1;
SELECT rex.migrate() ->> 'status' AS status;
INSERT INTO article (id, title, score) VALUES (7, 'ggg', 3);

-- every change undone, last first; the hooks stay and fire
SELECT m ->> 'name' AS undone, m ->> 'state' AS state
  FROM jsonb_array_elements(rex.rollback('entities_0001') -> 'migrations') AS m;
SELECT conname FROM pg_constraint WHERE conrelid = 'post'::regclass AND contype IN ('c', 'f') ORDER BY 1;
SELECT tgname FROM pg_trigger WHERE tgrelid = 'post'::regclass AND NOT tgisinternal ORDER BY 1;
SELECT id, title, author_id, score FROM post ORDER BY id;
INSERT INTO post (id, title, author_id) VALUES (8, 'h', 99) RETURNING title, author_id;
UPDATE post SET score = 1 WHERE id = 8;
SELECT r ->> 'title' AS logged, r ->> 'score' AS score FROM hook_log ORDER BY n;
SELECT rex.migration_status() -> 'drift' AS drift;

\c :regress_db
SET client_min_messages = warning;
DROP DATABASE rex_test_relation_changes;
