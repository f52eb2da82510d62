-- Changing migrated entities on SQLite, on tables with data.  The same
-- scenarios as sql/migrations_alter.sql (same answers but for the SQL),
-- then what only SQLite needs: table rebuilds that keep every row,
-- rowid, AUTOINCREMENT counter, index, trigger, view and child row
-- (the data-loss bugs of other tools, notes/migrations.md section 4).
.load ./rex_orm
.mode list
.headers off
CREATE VIEW plan_steps AS
  SELECT value ->> 'step', value ->> 'kind', value ->> 'destructive', value ->> 'rewrites_table',
         value ->> 'reversible', value -> 'warnings'
  FROM json_each(rex_plan());
CREATE VIEW last_migration AS
  SELECT name, kind, state, error, error_step, total_steps, applied_steps
  FROM rex_migrations ORDER BY id DESC LIMIT 1;

SELECT json_extract(rex_define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 40, "nullable": false},
  "email": {"type": "string", "unique": true},
  "age": {"type": "integer"},
  "status": {"type": "enum", "values": ["new", "old"], "default": "new"},
  "note": {"type": "text"}}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.status');
INSERT INTO members (name, email, age, note) VALUES
  ('ann', 'ann@example.org', 31, 'first'), ('bob', 'bob@example.org', NULL, NULL);

.print '-- 1. NOT NULL without a default on a table with rows: planned as failing, fails, leaves nothing'
SELECT json_extract(rex_define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 40, "nullable": false},
  "email": {"type": "string", "unique": true},
  "age": {"type": "integer"},
  "status": {"type": "enum", "values": ["new", "old"], "default": "new"},
  "note": {"type": "text"},
  "score": {"type": "integer", "nullable": false}}}'), '$.status');
SELECT * FROM plan_steps;
SELECT json_remove(rex_migrate() -> '$.migrations[0]', '$.duration_ms', '$.checksum');
SELECT * FROM last_migration;
SELECT count(*) FROM pragma_table_info('members') WHERE name = 'score';
SELECT name FROM sqlite_schema WHERE name LIKE 'rex_new%';
SELECT rex_migrate('{"strict": true}');
.print '-- with a constant default: a native ADD COLUMN, no rebuild'
SELECT json_extract(rex_define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 40, "nullable": false},
  "email": {"type": "string", "unique": true},
  "age": {"type": "integer"},
  "status": {"type": "enum", "values": ["new", "old"], "default": "new"},
  "note": {"type": "text"},
  "score": {"type": "integer", "nullable": false, "default": 0}}}'), '$.status');
SELECT * FROM plan_steps;
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
SELECT id, name, score FROM members ORDER BY id;

.print '-- 2. type changes: one rebuild for the table, lint from the live rows'
SELECT json_extract(rex_define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 2, "nullable": false},
  "email": {"type": "string", "unique": true},
  "age": {"type": "bigint", "nullable": false},
  "status": {"type": "enum", "values": ["new", "gold"], "default": "new"},
  "note": {"type": "text"},
  "score": {"type": "integer", "nullable": false, "default": 0}}}'), '$.status');
SELECT * FROM plan_steps;
SELECT json_remove(rex_migrate('{"dry_run": true}') -> '$.migrations[0]', '$.duration_ms');
SELECT count(*) FROM rex_migrations;
UPDATE members SET name = substr(name, 1, 2), age = coalesce(age, 0);
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
SELECT name, type, "notnull" FROM pragma_table_info('members') ORDER BY name;
INSERT INTO members (name, email, age, status) VALUES ('cy', 'c@example.org', 5, 'old');
INSERT INTO members (name, email, age, status) VALUES ('cyrus', 'c@example.org', 5, 'gold');
SELECT id, name, age, status FROM members ORDER BY id;
.print '-- changes with no safe conversion are refused when defined'
SELECT rex_define_entity('member', '{"table": "members", "columns": {"id": {"type": "id"}, "name": {"type": "integer"}}}');
SELECT version FROM rex_entities WHERE name = 'member';

.print '-- 3. float -> integer: whole numbers convert, fractions fail (never rounded)'
SELECT json_extract(rex_define_entity('reading', '{"columns": {"id": {"type": "id"}, "v": {"type": "float"}}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.status');
INSERT INTO reading (v) VALUES (1.0), (2.5);
SELECT json_extract(rex_define_entity('reading', '{"columns": {"id": {"type": "id"}, "v": {"type": "integer"}}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.migrations[0].error');
UPDATE reading SET v = 3 WHERE v = 2.5;
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
SELECT v, typeof(v) FROM reading ORDER BY id;

.print '-- 4. renames are never guessed; "renamed_from" keeps the data'
SELECT json_extract(rex_define_entity('member', '{"table": "members", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 2, "nullable": false},
  "mail": {"type": "string", "unique": true},
  "age": {"type": "bigint", "nullable": false},
  "status": {"type": "enum", "values": ["new", "gold"], "default": "new"},
  "note": {"type": "text"},
  "score": {"type": "integer", "nullable": false, "default": 0}}}'), '$.status');
SELECT * FROM plan_steps;
SELECT rex_migrate();
SELECT json_extract(rex_define_entity('member', '{"table": "people", "columns": {
  "id": {"type": "id"},
  "name": {"type": "string", "max_length": 2, "nullable": false},
  "mail": {"type": "string", "unique": true, "renamed_from": "email"},
  "age": {"type": "bigint", "nullable": false},
  "state": {"type": "enum", "values": ["new", "gold"], "default": "new", "renamed_from": "status"},
  "score": {"type": "integer", "nullable": false, "default": 0}}}'), '$.status');
SELECT value ->> 'step', value ->> 'kind', value ->> 'destructive', value ->> 'reversible' FROM json_each(rex_plan());
SELECT rex_migrate();
SELECT json_extract(rex_migrate('{"allow_data_loss": true}'), '$.migrations[0].state');
SELECT id, name, mail, age, state, score FROM people ORDER BY id;
SELECT name FROM pragma_index_list('people') ORDER BY name;

.print '-- 5. rollback: refused for a dropped column, naming the step'
SELECT rex_rollback();
SELECT name, state FROM last_migration;
SELECT json_extract(rex_define_entity('gadget', '{"columns": {"id": {"type": "id"}, "label": {"type": "string", "max_length": 5}}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.status');
INSERT INTO gadget (label) VALUES ('abc');
SELECT json_extract(rex_define_entity('gadget', '{"table": "gadgets", "columns": {"id": {"type": "id"},
  "title": {"type": "text", "renamed_from": "label"}, "added": {"type": "integer", "default": 7}}}'), '$.status');
SELECT value ->> 'step', value ->> 'kind', value ->> 'reversible' FROM json_each(rex_plan());
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
INSERT INTO gadgets (title, added) VALUES ('ok', 1);
SELECT json_remove(rex_rollback() -> '$.migrations[0]', '$.duration_ms', '$.checksum', '$.version');
SELECT * FROM gadget ORDER BY id;
SELECT json_extract(rex_entity('gadget'), '$.table'), json_type(rex_entity('gadget'), '$.columns.label');
SELECT rex_plan();
SELECT json_extract(rex_define_entity('gadget', '{"table": "gadgets", "columns": {"id": {"type": "id"},
  "title": {"type": "text", "renamed_from": "label"}}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
INSERT INTO gadgets (title) VALUES ('far too long');
SELECT json_remove(rex_rollback() -> '$.migrations[0]', '$.duration_ms', '$.checksum', '$.version');
SELECT count(*), (SELECT count(*) FROM sqlite_schema WHERE name = 'gadgets') FROM gadgets;
SELECT kind, state FROM rex_migrations ORDER BY id DESC LIMIT 3;

.print '-- 6. a rebuild keeps child rows (ON DELETE CASCADE never fires), rowids, the counter,'
.print '--    indexes, triggers and views; foreign keys are checked'
PRAGMA foreign_keys = ON;
SELECT json_extract(rex_define_entity('author', '{"table": "authors", "columns": {
  "id": {"type": "id"}, "name": {"type": "string", "max_length": 30}, "born": {"type": "integer"}},
  "indexes": [{"columns": ["name"]}]}'), '$.status');
SELECT json_extract(rex_migrate(), '$.status');
CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors(id) ON DELETE CASCADE, title TEXT);
CREATE TABLE reviews (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors(id) ON DELETE SET NULL);
CREATE INDEX authors_born_mine ON authors (born);
CREATE TABLE audit (what TEXT);
CREATE TRIGGER authors_audit AFTER INSERT ON authors BEGIN INSERT INTO audit VALUES ('new ' || NEW.name); END;
CREATE VIEW author_books AS SELECT a.name, b.title FROM authors a JOIN books b ON b.author_id = a.id;
INSERT INTO authors (name, born) VALUES ('ursula', 1929), ('terry', 1948), ('gone', 1900);
DELETE FROM authors WHERE name = 'gone';
INSERT INTO books (author_id, title) VALUES (1, 'earthsea'), (1, 'lathe'), (2, 'mort');
INSERT INTO reviews (author_id) VALUES (1), (2);
SELECT seq FROM sqlite_sequence WHERE name = 'authors';
SELECT json_extract(rex_define_entity('author', '{"table": "authors", "columns": {
  "id": {"type": "id"}, "name": {"type": "string", "max_length": 60, "nullable": false}, "born": {"type": "bigint"}},
  "indexes": [{"columns": ["name"]}]}'), '$.status');
SELECT * FROM plan_steps;
.print '-- inside a transaction SQLite cannot turn foreign keys off: refused, nothing changed'
BEGIN;
SELECT rex_migrate();
ROLLBACK;
.print '-- outside: rebuilt with foreign keys off around it, and back on after'
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
PRAGMA foreign_keys;
SELECT count(*) FROM books;
SELECT count(*) FROM reviews WHERE author_id IS NOT NULL;
SELECT * FROM author_books ORDER BY title;
SELECT seq FROM sqlite_sequence WHERE name = 'authors';
SELECT name FROM sqlite_schema WHERE tbl_name = 'authors' AND type IN ('index', 'trigger') ORDER BY name;
SELECT sql FROM sqlite_schema WHERE name = 'books';
INSERT INTO authors (name, born) VALUES ('new', 2000);
SELECT id FROM authors WHERE name = 'new';
SELECT * FROM audit;
INSERT INTO books (author_id, title) VALUES (99, 'orphan');
PRAGMA foreign_key_check;
.print '-- with foreign keys off in the transaction of the caller, a rebuild runs there and commits with it'
PRAGMA foreign_keys = OFF;
SELECT json_extract(rex_define_entity('author', '{"table": "authors", "columns": {
  "id": {"type": "id"}, "name": {"type": "string", "max_length": 60, "nullable": false}, "born": {"type": "integer"}},
  "indexes": [{"columns": ["name"]}]}'), '$.status');
BEGIN;
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
COMMIT;
SELECT count(*) FROM books;
PRAGMA foreign_keys = ON;

.print '-- a rebuild that cannot recreate a trigger or an index fails whole: the table and its rows stay'
CREATE TRIGGER authors_born AFTER UPDATE OF born ON authors BEGIN SELECT NEW.born; END;
SELECT json_extract(rex_define_entity('author', '{"table": "authors", "columns": {
  "id": {"type": "id"}, "name": {"type": "string", "max_length": 80, "nullable": false}},
  "indexes": [{"columns": ["name"]}]}'), '$.status');
SELECT json_extract(rex_migrate('{"allow_data_loss": true}'), '$.migrations[0].state', '$.migrations[0].error');
SELECT count(*), (SELECT count(*) FROM pragma_table_info('authors') WHERE name = 'born') FROM authors;
SELECT name FROM sqlite_schema WHERE name LIKE 'rex_new%';
SELECT count(*) FROM books;
DROP TRIGGER authors_born;
SELECT json_extract(rex_migrate('{"allow_data_loss": true}'), '$.migrations[0].state', '$.migrations[0].error');
DROP INDEX authors_born_mine;
SELECT json_extract(rex_migrate('{"allow_data_loss": true}'), '$.migrations[0].state');
SELECT name, type FROM pragma_table_info('authors') ORDER BY cid;

.print '-- a table without INTEGER PRIMARY KEY keeps its rowids'
SELECT json_extract(rex_define_entity('tag', '{"primary_key": ["code"], "columns": {"code": {"type": "string"}, "n": {"type": "integer"}}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.status');
INSERT INTO tag (rowid, code, n) VALUES (100, 'a', 1), (200, 'b', 2);
SELECT json_extract(rex_define_entity('tag', '{"primary_key": ["code"], "columns": {"code": {"type": "string"}, "n": {"type": "decimal", "precision": 8, "scale": 2}}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
SELECT rowid, code, n, typeof(n) FROM tag ORDER BY rowid;

.print '-- history: chained, nothing pending, no problem'
SELECT count(*) FROM rex_migrations WHERE chain_hash IS NOT NULL AND state = 'failed';
SELECT json_extract(rex_migration_status(), '$.up_to_date', '$.problems');
