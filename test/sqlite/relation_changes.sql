-- Relations and validation rules of migrated entities on SQLite: every
-- change of a foreign key or a rule CHECK is a rebuild from the resolved
-- model; the lint counts the rows a rebuild would refuse; a failing
-- rebuild leaves the table as it was; rollbacks rebuild back.
.load ./rex_orm
.mode list
.headers off
SELECT json_extract(rex_define_entity('author', '{"columns": {"id": {"type": "id"}, "name": {"type": "text"}}}'), '$.status');
SELECT json_extract(rex_define_entity('post', '{"columns": {"id": {"type": "id"}, "title": {"type": "text"},
  "author_id": {"type": "bigint"}, "score": {"type": "integer"}}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.status');
INSERT INTO author (id, name) VALUES (1, 'ann'), (2, 'bob');
INSERT INTO post (id, title, author_id, score) VALUES (1, 'aaa', 1, 5), (2, 'bbb', 2, 0), (3, 'c', 99, -1), (4, 'ddd', NULL, 10);

.print '-- a relation over the existing column and two rules: one rebuild'
SELECT json_extract(rex_define_entity('post', '{"columns": {"id": {"type": "id"}, "title": {"type": "text", "validate": {"min_length": 3}},
  "author_id": {"type": "bigint"}, "score": {"type": "integer", "validate": {"min": 0, "max": 10}}},
  "relations": {"author": {"kind": "belongs_to", "entity": "author", "on_delete": "cascade"}}}'), '$.status');
SELECT value ->> 'kind', value ->> 'reversible', value ->> 'destructive' FROM json_each(rex_plan());
SELECT w.value FROM json_each(rex_plan()) AS s, json_each(s.value, '$.warnings') AS w;
SELECT json_extract(value, '$.sql') FROM json_each(rex_plan());
.print '-- it fails on the rows that break them, and leaves the table as it was'
SELECT json_extract(rex_migrate(), '$.status', '$.migrations[0].error');
SELECT sql FROM sqlite_schema WHERE name = 'post';
SELECT count(*) FROM post;
UPDATE post SET score = 0, author_id = NULL, title = 'ccc' WHERE id = 3;
SELECT count(*) FROM json_each(rex_plan()) AS s, json_each(s.value, '$.warnings') AS w WHERE w.value LIKE 'data-dependent:%';
SELECT json_extract(rex_migrate(), '$.status');
SELECT sql FROM sqlite_schema WHERE name = 'post';
SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list('post');
SELECT name FROM pragma_index_list('post') ORDER BY name;
SELECT id, title, author_id, score FROM post ORDER BY id;
INSERT INTO post (title, author_id) VALUES ('eee', 42);
INSERT INTO post (title, score) VALUES ('eee', 11);
INSERT INTO post (title) VALUES ('e');
DELETE FROM author WHERE id = 2;
SELECT id FROM post ORDER BY id;

.print '-- the action changes: a rebuild with the new clause'
SELECT json_extract(rex_define_entity('post', '{"columns": {"id": {"type": "id"}, "title": {"type": "text", "validate": {"min_length": 3}},
  "author_id": {"type": "bigint"}, "score": {"type": "integer", "validate": {"min": 0, "max": 10}}},
  "relations": {"author": {"kind": "belongs_to", "entity": "author", "on_delete": "set_null"}}}'), '$.status');
SELECT value ->> 'kind', json_extract(value, '$.warnings[0]') FROM json_each(rex_plan());
SELECT json_extract(rex_migrate(), '$.status');
SELECT "from", on_delete FROM pragma_foreign_key_list('post');
DELETE FROM author WHERE id = 1;
SELECT id, author_id FROM post ORDER BY id;

.print '-- many_to_many added: its join table; removed: dropped (data loss)'
SELECT json_extract(rex_define_entity('tag', '{"columns": {"id": {"type": "id"}, "label": {"type": "text"}}}'), '$.status');
SELECT json_extract(rex_define_entity('post', '{"columns": {"id": {"type": "id"}, "title": {"type": "text", "validate": {"min_length": 3}},
  "author_id": {"type": "bigint"}, "score": {"type": "integer", "validate": {"min": 0, "max": 10}}},
  "relations": {"author": {"kind": "belongs_to", "entity": "author", "on_delete": "set_null"},
                "tags": {"kind": "many_to_many", "entity": "tag"}}}'), '$.status');
SELECT value ->> 'entity', value ->> 'kind' FROM json_each(rex_plan());
SELECT json_extract(rex_migrate(), '$.status');
INSERT INTO tag (id, label) VALUES (1, 'x');
INSERT INTO post_tag (post_id, tag_id) VALUES (1, 1);
SELECT json_extract(rex_define_entity('post', '{"columns": {"id": {"type": "id"}, "title": {"type": "text", "validate": {"min_length": 3}},
  "author_id": {"type": "bigint"}, "score": {"type": "integer", "validate": {"min": 0, "max": 10}}},
  "relations": {"author": {"kind": "belongs_to", "entity": "author", "on_delete": "set_null"}}}'), '$.status');
SELECT value ->> 'entity', value ->> 'kind', value ->> 'destructive', json_extract(value, '$.warnings[0]') FROM json_each(rex_plan());
SELECT rex_migrate();
SELECT json_extract(rex_migrate('{"allow_data_loss": true}'), '$.status', '$.destructive');
SELECT count(*) FROM sqlite_schema WHERE name = 'post_tag';
SELECT rex_rollback();

.print '-- the relation and the rules removed, then rolled back'
SELECT json_extract(rex_define_entity('post', '{"columns": {"id": {"type": "id"}, "title": {"type": "text"},
  "author_id": {"type": "bigint"}, "score": {"type": "integer"}}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.status', '$.destructive');
SELECT sql FROM sqlite_schema WHERE name = 'post';
SELECT json_extract(rex_rollback(), '$.status');
SELECT sql FROM sqlite_schema WHERE name = 'post';
SELECT id, title, author_id, score FROM post ORDER BY id;
PRAGMA foreign_key_check;
SELECT rex_migration_status() -> '$.drift', rex_migration_status() ->> '$.up_to_date';
