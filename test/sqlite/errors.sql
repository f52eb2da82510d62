-- Bad input is refused whole on SQLite with the same messages as on
-- PostgreSQL (prefixed "rex: "); nothing is recorded.
.load ./rex_orm
.mode list
SELECT rex_define_entity('user', '{"columns": {"id": {"type": "id"}, "email": {"type": "strin"}}}');
SELECT rex_define_entity('user', '{"columns": {"id": {"type": "id"}}, "colour": 1}');
SELECT rex_define_entity('user', '{"columns": {"id": {"type": "id", "nullable": true}}}');
SELECT rex_define_entity('user', '{"columns": {"name": {"type": "text"}}}');
SELECT rex_define_entity('user', '{"columns": {"id": {"type": "id"}, "Name": {"type": "text"}, "name": {"type": "text"}}}');
SELECT rex_define_entity('user', '{"columns": {"id": {"type": "id"}, "n": {"type": "integer", "default": "seven"}}}');
SELECT rex_define_entity('user', '{"columns": {"id": {"type": "id"}, "xmin": {"type": "integer"}}}');
SELECT rex_define_entity('user', '{"table": "rex_users", "columns": {"id": {"type": "id"}}}');
SELECT rex_define_entity('x"; DROP TABLE t; --', '{"columns": {"id": {"type": "id"}}}');
SELECT rex_define_entity('user', '{"columns": {');
SELECT rex_define_entity('user', '{"columns": {"id": {"type": "id"}, "id": {"type": "id"}}}');
SELECT rex_define_entity('user', NULL);
SELECT rex_define_entity(printf('%.*c', 1000000, 'a'), '{"columns": {"id": {"type": "id"}}}');
SELECT rex_entities();
SELECT rex_entity('nobody');
SELECT rex_drop_entity('nobody');
SELECT rex_migrate('{"dry": true}');
SELECT rex_migrate('not json');
-- a table that exists already, names that collide
CREATE TABLE taken (x INTEGER);
SELECT rex_define_entity('taken', '{"columns": {"id": {"type": "id"}}}');
SELECT json_extract(rex_define_entity('first', '{"table": "shared", "columns": {"id": {"type": "id"}}}'), '$.status');
SELECT rex_define_entity('second', '{"table": "Shared", "columns": {"id": {"type": "id"}}}');
SELECT rex_define_entity('First', '{"columns": {"id": {"type": "id"}}}');
SELECT json_extract(rex_migrate(), '$.status');
SELECT rex_define_entity('first', '{"table": "shared", "columns": {"id": {"type": "uuid", "primary_key": true}}}');
SELECT value ->> 'name' FROM json_each(rex_entities());
-- destructive steps need allow_data_loss
SELECT json_extract(rex_drop_entity('first'), '$.status');
SELECT rex_migrate();
SELECT json_extract(rex_migrate('{"dry_run": true}'), '$.status', '$.destructive');
SELECT count(*) FROM sqlite_schema WHERE name = 'shared';
SELECT json_extract(rex_migrate('{"allow_data_loss": true}'), '$.status');
SELECT count(*) FROM sqlite_schema WHERE name = 'shared';
