-- Bad input is refused whole, with a message naming the entity, the JSON
-- path and (in the hint) what is accepted; nothing is recorded.
\set VERBOSITY default
CREATE TEMP TABLE before AS SELECT count(*) AS n FROM rex.entities;
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id"}, "email": {"type": "strin"}}}');
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id"}}, "colour": 1}');
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id", "nullable": true}}}');
SELECT rex.define_entity('user', '{"columns": {"name": {"type": "text"}}}');
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id"}, "Name": {"type": "text"}, "name": {"type": "text"}}}');
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id"}, "n": {"type": "integer", "default": "seven"}}}');
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id"}, "n": {"type": "integer", "default": 2147483648}}}');
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id"}, "xmin": {"type": "integer"}}}');
SELECT rex.define_entity('user', '{"table": "rex_users", "columns": {"id": {"type": "id"}}}');
SELECT rex.define_entity('x"; DROP TABLE t; --', '{"columns": {"id": {"type": "id"}}}');
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id"}, "c": {"type": "enum", "values": []}}}');
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id"}, "c": {"type": "decimal", "precision": 2, "scale": 3}}}');
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id"}}, "indexes": [{"columns": ["nope"]}]}');
SELECT rex.define_entity('user', '{"columns": {"id": {"type": "id"}, "t": {"type": "timestamp", "default": "yesterday"}}}');
SELECT rex.define_entity('user', '[1, 2]');
SELECT rex.define_entity('user', '{"columns": {');
SELECT rex.define_entity('user', NULL);
SELECT rex.define_entity(repeat('a', 1000000), '{"columns": {"id": {"type": "id"}}}');
SELECT count(*) - (SELECT n FROM before) AS recorded FROM rex.entities;
SELECT rex.entity('nobody');
SELECT rex.drop_entity('nobody');
SELECT rex.migrate('{"dry": true}');
SELECT rex.migrate('{"lock_timeout_ms": -1}');
-- a table that exists already
CREATE TABLE taken (x int);
SELECT rex.define_entity('taken', '{"columns": {"id": {"type": "id"}}}');
SELECT rex.define_entity('first', '{"table": "shared", "columns": {"id": {"type": "id"}}}') ->> 'status' AS status;
SELECT rex.define_entity('second', '{"table": "Shared", "columns": {"id": {"type": "id"}}}');
SELECT rex.define_entity('First', '{"columns": {"id": {"type": "id"}}}');
SELECT rex.migrate() ->> 'status' AS status;
SELECT rex.define_entity('first', '{"table": "shared", "columns": {"id": {"type": "uuid", "primary_key": true}}}');
SELECT count(*) - (SELECT n FROM before) AS recorded FROM rex.entities;
