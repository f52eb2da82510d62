-- Relations and rules on SQLite through the sqlite3 shell: a blog defined
-- in any order, the plan, plain SQL held to it (with and without rex on
-- the connection), validate() and explain_constraint().
.load ./rex_orm
.mode list
.headers off
SELECT json_extract(rex_define_entity('comment', '{"columns": {"id": {"type": "id"},
  "body": {"type": "text", "validate": {"required": true, "max_length": 280}}},
  "relations": {"post": {"kind": "belongs_to", "entity": "post", "nullable": false, "on_delete": "cascade"}}}'),
  '$.status', '$.steps[0].warnings[0]');
SELECT json_extract(rex_define_entity('post', '{"columns": {"id": {"type": "id"},
  "title": {"type": "string", "validate": {"min_length": 3, "max_length": 80}},
  "slug": {"type": "string", "validate": {"pattern": "^[a-z0-9-]+$"}}},
  "relations": {"tags": {"kind": "many_to_many", "entity": "tag"}}}'), '$.status');
SELECT json_extract(rex_define_entity('tag', '{"columns": {"id": {"type": "id"}, "name": {"type": "string", "unique": true,
  "validate": {"enum": ["c", "sql", "orm"]}}}}'), '$.status');
.print '-- plan: parents first, the join table last; SQLite warns about pattern'
SELECT value ->> 'step', value ->> 'entity', value ->> 'kind', json_array_length(value -> 'warnings') FROM json_each(rex_plan());
SELECT w.value FROM json_each(rex_plan()) AS s, json_each(s.value -> 'warnings') AS w;
SELECT json_extract(rex_migrate(), '$.status');
SELECT sql FROM sqlite_schema WHERE name IN ('comment', 'post_tag') ORDER BY name;
.print '-- data'
INSERT INTO post (title, slug) VALUES ('Hello', 'hello'), ('Second', 'second');
INSERT INTO tag (name) VALUES ('c'), ('sql');
INSERT INTO post_tag (post_id, tag_id) VALUES (1, 1), (1, 2), (2, 2);
INSERT INTO comment (body, post_id) VALUES ('first', 1), ('second', 2);
INSERT INTO comment (body, post_id) VALUES ('lost', 9);
INSERT INTO tag (name) VALUES ('rust');
INSERT INTO post (title) VALUES ('Hi');
SELECT t.name, count(*) FROM tag t JOIN post_tag pt ON pt.tag_id = t.id GROUP BY t.name ORDER BY t.name;
DELETE FROM post WHERE id = 1;
SELECT (SELECT count(*) FROM comment), (SELECT count(*) FROM post_tag);
.print '-- validate and explain'
SELECT rex_validate('post', '{"title": "Hi", "slug": "Not a slug!", "tags": ["c"]}');
SELECT rex_validate('comment', '{"body": "", "post_id": "one"}');
SELECT rex_validate('tag', '{"name": "go"}');
SELECT rex_explain_constraint('CHECK constraint failed: tag_name_enum');
SELECT rex_explain_constraint('comment_post_id_fkey');
.print '-- a connection that never loaded rex'
.open build/test-sqlite/relations.db
PRAGMA foreign_keys;
INSERT INTO comment (body, post_id) VALUES ('', 2);
INSERT INTO tag (name) VALUES ('go');
PRAGMA foreign_keys = ON;
INSERT INTO comment (body, post_id) VALUES ('dangling', 9);
SELECT count(*) FROM comment;
