-- baseline() on SQLite: existing tables become entities, read from the
-- pragmas; what a definition cannot express is refused, named.  Drift:
-- migration_status() reports out-of-band changes.
.load ./rex_orm
.mode list
.headers off
CREATE TABLE authors (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL, email TEXT UNIQUE,
  score REAL DEFAULT 1.5, n INTEGER DEFAULT -1, tag TEXT DEFAULT 'x', photo BLOB);
CREATE INDEX authors_name_idx ON authors (name);
CREATE INDEX authors_lower ON authors (lower(name));
CREATE TABLE books (id INTEGER PRIMARY KEY AUTOINCREMENT, author_id INTEGER REFERENCES authors (id) ON DELETE CASCADE, title TEXT);
CREATE TABLE checked (id INTEGER PRIMARY KEY, v TEXT CHECK (v <> ''));
CREATE TABLE numbers (id INTEGER PRIMARY KEY, d NUMERIC);
CREATE TABLE nokey (x INTEGER);
CREATE TABLE stamps (id INTEGER PRIMARY KEY, at TEXT DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE bare (id INTEGER PRIMARY KEY, v);
CREATE TABLE norowid (id TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
INSERT INTO authors (id, name, email) VALUES (7, 'ann', 'ann@example.org'), (9, 'bob', NULL);
INSERT INTO books (author_id, title) VALUES (7, 'one'), (9, 'two');

SELECT rex_baseline('{"tables": 3}');
SELECT rex_baseline('{"schema": "x"}');
SELECT json_extract(rex_baseline(), '$.status', '$.skipped', '$.entities[0].entity', '$.entities[0].relations',
  '$.entities[0].warnings', '$.entities[1].entity', '$.entities[1].relations', '$.entities[1].warnings');
SELECT json_extract(rex_entity('authors'), '$.columns');
SELECT json_extract(rex_entity('authors'), '$.indexes');
SELECT name, table_name, definition = applied FROM rex_entities ORDER BY name;
SELECT version, kind, state, name, total_steps FROM rex_migrations;
SELECT rex_plan(), rex_migration_status() -> 'drift', rex_migration_status() ->> 'up_to_date';

.print '-- later changes go through plan() and migrate(); a native change works on the table with foreign keys'
SELECT rex_define_entity('books', json_insert(rex_entity('books'), '$.columns[#]', json('{"name": "pages", "type": "integer", "default": 0}'))) IS NOT NULL;
SELECT value ->> 'kind' FROM json_each(rex_plan());
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
.print '-- its foreign key is a relation now: a change that needs a rebuild keeps it, and every row'
SELECT json_extract(rex_entity('books'), '$.relations');
SELECT name FROM pragma_index_list('books') ORDER BY name;
SELECT json_extract(rex_define_entity('books', json_set(rex_entity('books'), '$.columns[2].type', 'string', '$.columns[2].max_length', 50)), '$.steps[0].kind');
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list('books');
SELECT id, author_id, title FROM books ORDER BY id;
BEGIN;
DELETE FROM authors WHERE id = 9;
SELECT count(*) FROM books;
ROLLBACK;
.print '-- a table without foreign keys is rebuilt: rows, rowids and the expression index of the user kept'
SELECT rex_define_entity('authors', json_set(rex_entity('authors'), '$.columns[1].type', 'string', '$.columns[1].max_length', 120)) IS NOT NULL;
SELECT value ->> 'kind', value ->> 'rewrites_table' FROM json_each(rex_plan());
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
SELECT id, name, email FROM authors ORDER BY id;
SELECT name FROM pragma_index_list('authors') ORDER BY name;
SELECT strict FROM pragma_table_list WHERE name = 'authors';
SELECT count(*) FROM books;
SELECT "from", "table", on_delete FROM pragma_foreign_key_list('books');
SELECT rex_migration_status() -> 'drift';

.print '-- a has_many of a new entity adds a foreign key to the baselined table (a rebuild), keeping the other'
SELECT rex_define_entity('shelf', '{"columns": {"id": {"type": "id"}, "label": {"type": "text"}},
  "relations": {"books": {"kind": "has_many", "entity": "books", "on_delete": "set_null"}}}') -> '$.steps[#-1].kind';
SELECT value ->> 'entity', value ->> 'kind' FROM json_each(rex_plan());
SELECT json_extract(rex_migrate(), '$.migrations[0].state');
SELECT "from", "table", on_delete FROM pragma_foreign_key_list('books') ORDER BY "from";
INSERT INTO shelf (label) VALUES ('top');
UPDATE books SET shelf_id = 1;
DELETE FROM shelf;
SELECT id, author_id, shelf_id FROM books ORDER BY id;
SELECT rex_migration_status() -> 'drift';

.print '-- rolled back like any other migration; rolling the baseline back forgets the entities, keeps the tables'
SELECT json_extract(rex_rollback('baseline_0001'), '$.status', '$.migrations[0].name', '$.migrations[#-1].name');
SELECT "from", "table", on_delete FROM pragma_foreign_key_list('books');
SELECT count(*) FROM sqlite_schema WHERE name = 'shelf';
SELECT json_extract(rex_rollback(), '$.migrations[0].name');
SELECT count(*) FROM rex_entities;
SELECT count(*) FROM sqlite_schema WHERE name IN ('authors', 'books');
SELECT name FROM pragma_index_list('books') ORDER BY name;
SELECT json_extract(rex_baseline('{"tables": ["books", "authors", "ghost"]}'), '$.entities[0].entity', '$.entities[1].entity', '$.skipped');

.print '-- drift: changes made outside rex are reported, nothing is changed'
ALTER TABLE books ADD COLUMN extra INT;
DROP INDEX authors_name_idx;
CREATE INDEX authors_score ON authors (score);
SELECT value ->> 'entity', value ->> 'object', value ->> 'name', value ->> 'problem', value ->> 'expected', value ->> 'found'
FROM json_each(rex_migration_status() -> '$.drift');
DROP TABLE books;
SELECT rex_migration_status() -> '$.drift[#-1]';

.print '-- no false drift on rex tables after creating, renaming, retyping, rebuilding'
SELECT json_extract(rex_define_entity('gizmo', '{"columns": {"id": {"type": "id"}, "a": {"type": "string", "max_length": 9, "unique": true},
  "b": {"type": "enum", "values": ["x", "y"]}, "c": {"type": "decimal", "precision": 8, "scale": 2}, "d": {"type": "timestamp"},
  "e": {"type": "json"}, "f": {"type": "bytes"}, "g": {"type": "uuid"}, "h": {"type": "boolean"}, "i": {"type": "float"}},
  "indexes": [{"columns": ["b", "c"]}]}'), '$.status');
SELECT json_extract(rex_migrate(), '$.status');
SELECT count(*) FROM json_each(rex_migration_status() -> '$.drift') WHERE value ->> 'entity' = 'gizmo';
SELECT json_extract(rex_define_entity('gizmo', '{"table": "gizmos", "columns": {"id": {"type": "id"}, "aa": {"type": "text", "unique": true, "renamed_from": "a"},
  "b": {"type": "enum", "values": ["x", "y", "z"]}, "c": {"type": "decimal", "precision": 10, "scale": 2, "nullable": false, "default": 0},
  "d": {"type": "date"}, "e": {"type": "json"}, "f": {"type": "bytes"}, "g": {"type": "uuid"}, "h": {"type": "integer"}, "i": {"type": "float"}},
  "indexes": [{"columns": ["b", "c"]}]}'), '$.status');
SELECT json_extract(rex_migrate('{"allow_data_loss": true}'), '$.status');
SELECT count(*) FROM json_each(rex_migration_status() -> '$.drift') WHERE value ->> 'entity' = 'gizmo';
