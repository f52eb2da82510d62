-- The change feed on SQLite: options, capture by triggers in built-in SQL,
-- rollbacks and savepoints, column filters, listen/poll, pruning and
-- retention.  Run by test/run.sh; output compared with
-- test/sqlite/expected/changes.out.  Volatile parts of events (at) are
-- removed with json_remove before printing.
.load ./rex_orm
.mode list
.headers off
PRAGMA journal_mode = WAL;

.print '-- bad options are refused whole'
SELECT rex_define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": "yes"}');
SELECT rex_define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"operations": ["insert", "upsert"]}}');
SELECT rex_define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"include": ["nope"]}}');
SELECT rex_define_entity('bad', '{"columns": {"id": {"type": "id"}, "a": {"type": "text"}}, "changes": {"include": ["a"], "exclude": ["id"]}}');
SELECT rex_define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"notify": "loud"}}');
SELECT rex_define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"retention": {"max_age": -3}}}');
SELECT count(*) FROM sqlite_schema WHERE name LIKE 'rex%';

.print '-- an entity with capture: triggers in built-in SQL'
SELECT json_extract(rex_define_entity('item', '{
  "table": "items",
  "columns": {
    "id":    {"type": "id"},
    "name":  {"type": "string", "max_length": 50},
    "price": {"type": "decimal", "precision": 8, "scale": 2},
    "ok":    {"type": "boolean"},
    "tags":  {"type": "json"},
    "seen":  {"type": "timestamp"},
    "day":   {"type": "date"},
    "raw":   {"type": "bytes"},
    "score": {"type": "float"}
  },
  "changes": {"old": true, "notify": "row", "retention": {"max_events": 1000}}
}'), '$.status');
SELECT json_extract(rex_entity('item'), '$.changes');
SELECT json_remove(rex_migrate(), '$.migrations', '$.steps');
SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'items' ORDER BY name;
SELECT count(*) AS calls_into_rex FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'items'
  AND instr(replace(replace(sql, 'INSERT INTO rex_changes', ''), '_rex_changes_', ''), 'rex') > 0;

.print '-- listen before writing'
SELECT rex_listen('rex');
SELECT rex_listen('rex.item');
SELECT rex_listen('nope');
SELECT rex_poll();

.print '-- every kind of write, from plain SQL'
INSERT INTO items (name, price, ok, tags, seen, day, raw, score)
VALUES ('pen', '1.50', 1, '{"c": [1, 2]}', '2026-01-02T03:04:05.678Z', '2026-01-31', x'0102ff', 0.25);
UPDATE items SET price = '2.00' WHERE name = 'pen';
UPDATE items SET name = name;
UPDATE items SET id = 100 WHERE name = 'pen';
DELETE FROM items WHERE id = 100;
SELECT json_remove(value, '$.at') FROM json_each(rex_changes_since(0));

.print '-- the same events once on the listening connection'
SELECT json_array_length(rex_poll());
SELECT rex_poll();

.print '-- what is rolled back leaves nothing'
BEGIN;
INSERT INTO items (name) VALUES ('rolled back');
ROLLBACK;
BEGIN;
INSERT INTO items (name) VALUES ('kept 1');
SAVEPOINT s;
INSERT INTO items (name) VALUES ('savepoint rolled back');
ROLLBACK TO s;
INSERT INTO items (name) VALUES ('kept 2');
SELECT 'poll inside a transaction: ' || rex_poll();
COMMIT;
INSERT INTO items (id, name) VALUES (1000, 'a'), (1000, 'duplicate');
SELECT json_extract(value, '$.op'), json_extract(value, '$.new.name') FROM json_each(rex_poll());
SELECT json_extract(value, '$.op'), json_extract(value, '$.new.name') FROM json_each(rex_changes_since(5));

.print '-- DELETE without WHERE fires the row triggers (no TRUNCATE on SQLite)'
INSERT INTO items (name) VALUES ('bulk 1'), ('bulk 2');
DELETE FROM items;
SELECT json_extract(value, '$.op') || ' ' || json_extract(value, '$.pk.id') FROM json_each(rex_poll());

.print '-- INSERT OR REPLACE deletes without firing delete triggers, unless recursive_triggers is on'
INSERT INTO items (id, name) VALUES (50, 'first');
INSERT OR REPLACE INTO items (id, name) VALUES (50, 'replaced');
PRAGMA recursive_triggers = ON;
INSERT OR REPLACE INTO items (id, name) VALUES (50, 'replaced again');
PRAGMA recursive_triggers = OFF;
INSERT INTO items (id, name) VALUES (50, 'upserted') ON CONFLICT (id) DO UPDATE SET name = excluded.name;
SELECT json_extract(value, '$.op') || ' ' || coalesce(json_extract(value, '$.new.name'), json_extract(value, '$.old.name')) FROM json_each(rex_poll());
DELETE FROM items WHERE id = 50;
SELECT json_array_length(rex_poll());

.print '-- tx is null on SQLite; at is stored as a julian day, read as UTC text to the millisecond'
SELECT count(*), count(tx), sum(typeof(at) = 'real') FROM rex_changes;
SELECT count(*), sum(json_extract(value, '$.at') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z') FROM json_each(rex_changes_since(0));

.print '-- column filters and operations; notify off is not polled'
SELECT json_extract(rex_define_entity('memo', '{"table": "memos", "columns": {"id": {"type": "id"},
  "title": {"type": "text"}, "body": {"type": "text"}},
  "changes": {"exclude": ["body"], "operations": ["insert", "update"], "notify": "doorbell"}}'), '$.status');
SELECT json_extract(rex_define_entity('tag', '{"table": "tags", "primary_key": ["a", "b"], "columns": [
  {"name": "a", "type": "string"}, {"name": "b", "type": "integer"}, {"name": "label", "type": "text"}],
  "changes": {"include": ["label"]}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.status');
INSERT INTO memos (title, body) VALUES ('t', 'a long body');
UPDATE memos SET body = 'another body';
DELETE FROM memos;
INSERT INTO tags VALUES ('x', 1, 'one');
UPDATE tags SET label = 'uno';
SELECT json_remove(value, '$.at', '$.id') FROM json_each(rex_changes_since(13));
SELECT json_extract(value, '$.entity') || ' ' || json_extract(value, '$.op') FROM json_each(rex_poll());
SELECT rex_unlisten('rex');
INSERT INTO memos (title) VALUES ('only rex.item is listened');
SELECT rex_poll();
SELECT rex_unlisten();

.print '-- a 1 MB value: the whole event is in the log'
INSERT INTO memos (title) VALUES (printf('%.*c', 1048576, 'x'));
SELECT length(json_extract(value, '$.new.title')) FROM json_each(rex_changes_since(0, '["memo"]')) WHERE json_extract(value, '$.op') = 'insert' ORDER BY json_extract(value, '$.id') DESC LIMIT 1;

.print '-- reading: filters, limit, argument errors'
SELECT json_array_length(rex_changes_since(0, '["memo"]'));
SELECT json_array_length(rex_changes_since(0, NULL, 2));
SELECT json_array_length(rex_changes_since(0, '["ghost"]'));
SELECT rex_changes_since(-1);
SELECT rex_changes_since(NULL);
SELECT rex_changes_since(0, NULL, 0);
SELECT rex_changes_since(0, '{"user": 1}');

.print '-- pruning: by id, and by the retention of each entity at migrate()'
SELECT rex_prune_changes(3);
SELECT min(json_extract(value, '$.id')) FROM json_each(rex_changes_since(0));
SELECT rex_changes_since(1);
SELECT json_array_length(rex_changes_since(2)) > 0;
SELECT rex_prune_changes(-1);
SELECT json_extract(rex_define_entity('log', '{"table": "logs", "columns": {"id": {"type": "id"}, "m": {"type": "text"}},
  "changes": {"retention": {"max_events": 2, "max_age": "1 day"}}}'), '$.status');
SELECT json_extract(rex_migrate(), '$.status');
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 5) INSERT INTO logs (m) SELECT 'm' || n FROM g;
SELECT json_remove(rex_migrate(), '$.migrations', '$.steps');
SELECT json_extract(value, '$.new.m') FROM json_each(rex_changes_since(0, '["log"]'));
SELECT entity, before_id > 3 FROM rex_changes_pruned ORDER BY entity;
SELECT rex_changes_since((SELECT min(id) FROM rex_changes WHERE entity = 'log') - 2, '["log"]');
SELECT json_array_length(rex_changes_since(2, '["item"]')) > 0;
SELECT rex_prune_changes();

.print '-- pruned to empty, ids never go back (AUTOINCREMENT)'
SELECT max(id) FROM rex_changes;
SELECT rex_prune_changes(1000000);
INSERT INTO logs (m) VALUES ('after pruning everything');
SELECT id FROM rex_changes;

.print '-- dropping the entity drops the table and its triggers; the log stays'
SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'logs_rex_changes_%';
SELECT json_extract(rex_drop_entity('log'), '$.status');
SELECT json_extract(rex_migrate('{"allow_data_loss": true}'), '$.status');
SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'logs_rex_changes_%';
SELECT json_array_length(rex_changes_since(0, '["log"]'));

.print '-- functions that triggers may not call'
CREATE TABLE t (x);
CREATE TRIGGER t_poll AFTER INSERT ON t BEGIN SELECT rex_poll(); END;
INSERT INTO t VALUES (1);
