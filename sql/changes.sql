-- The change feed on PostgreSQL: options, capture of every kind of write,
-- rollbacks and savepoints, column filters, pruning and retention.  The
-- volatile parts of events (tx, at) are left out of what is printed.
\pset format aligned

-- bad options are refused whole, with the path and what is accepted
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": "yes"}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"operations": ["insert", "upsert"]}}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"operations": []}}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"operations": ["insert", "insert"]}}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"include": ["nope"]}}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}, "a": {"type": "text"}}, "changes": {"include": ["a"], "exclude": ["id"]}}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"exclude": ["id"]}}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"notify": "loud"}}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"old": "yes"}}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"retention": {"max_age": "3 fortnights"}}}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"retention": {"max_events": 0}}}');
SELECT rex.define_entity('bad', '{"columns": {"id": {"type": "id"}}, "changes": {"colour": "red"}}');
SELECT rex.define_entity('a_very_long_entity_name_that_is_too_long_for_a_notify_channel', '{"columns": {"id": {"type": "id"}}, "changes": {"notify": "row"}}');
SELECT count(*) AS recorded FROM rex.entities WHERE name IN ('bad', 'a_very_long_entity_name_that_is_too_long_for_a_notify_channel');

-- an entity with capture: the triggers are attached objects of its table
SELECT rex.define_entity('item', '{
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
  "changes": {"old": true, "retention": {"max_events": 1000}}
}') -> 'steps' @? '$[*] ? (@.kind == "create_trigger")' AS has_triggers;
SELECT rex.entity('item') -> 'changes' AS canonical_options;
SELECT (rex.migrate() - 'migrations' - 'steps') AS migrated;
SELECT tgname, tgtype FROM pg_trigger WHERE tgrelid = 'public.items'::regclass ORDER BY tgname;

-- every kind of write, from plain SQL
INSERT INTO items (name, price, ok, tags, seen, day, raw, score)
VALUES ('pen', 1.5, true, '{"c": [1, 2]}', '2026-01-02T03:04:05.678Z', '2026-01-31', '\x0102ff', 0.25);
UPDATE items SET price = 2 WHERE name = 'pen';
UPDATE items SET name = name;                          -- no value changes
UPDATE items SET id = 100 WHERE name = 'pen';          -- a new key: delete + insert
DELETE FROM items WHERE id = 100;
SELECT e - 'tx' - 'at' AS event FROM rex.changes_since(0) AS e;

-- what is rolled back leaves nothing
BEGIN;
INSERT INTO items (name) VALUES ('rolled back');
ROLLBACK;
BEGIN;
INSERT INTO items (name) VALUES ('kept 1');
SAVEPOINT s;
INSERT INTO items (name) VALUES ('savepoint rolled back');
ROLLBACK TO SAVEPOINT s;
INSERT INTO items (name) VALUES ('kept 2');
COMMIT;
INSERT INTO items (id, name) VALUES (1000, 'a'), (1000, 'duplicate');   -- fails whole
SELECT e ->> 'op' AS op, e -> 'new' ->> 'name' AS name FROM rex.changes_since(5) AS e;

-- multi-row statements: one event per row, one trigger call
INSERT INTO items (name) SELECT 'bulk ' || g FROM generate_series(1, 3) g;
SELECT e ->> 'op' AS op, e -> 'new' ->> 'name' AS name, (e ->> 'tx') = (SELECT max(tx)::text FROM rex.changes) AS same_tx
FROM rex.changes_since(7) AS e;

-- TRUNCATE is one event
TRUNCATE items;
SELECT e - 'tx' - 'at' AS event FROM rex.changes_since(10) AS e;

-- events carry a transaction id and a UTC time to the millisecond
SELECT bool_and((e ->> 'tx')::bigint > 0) AS tx_set,
       bool_and(e ->> 'at' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$') AS at_format
FROM rex.changes_since(0) AS e;

-- column filters and operations
SELECT rex.define_entity('memo', '{"table": "memos", "columns": {"id": {"type": "id"},
  "title": {"type": "text"}, "body": {"type": "text"}},
  "changes": {"exclude": ["body"], "operations": ["insert", "update"]}}') ->> 'status' AS status;
SELECT rex.define_entity('tag', '{"table": "tags", "primary_key": ["a", "b"], "columns": [
  {"name": "a", "type": "string"}, {"name": "b", "type": "integer"}, {"name": "label", "type": "text"}],
  "changes": {"include": ["label"]}}') ->> 'status' AS status;
SELECT (rex.migrate() ->> 'status') AS migrated;
INSERT INTO memos (title, body) VALUES ('t', 'a long body');
UPDATE memos SET body = 'another body';               -- only an excluded column changed
DELETE FROM memos;                                    -- delete is not captured
INSERT INTO tags VALUES ('x', 1, 'one');
UPDATE tags SET label = 'uno';
SELECT e - 'tx' - 'at' - 'id' AS event FROM rex.changes_since(11) AS e;

-- a 1 MB value: the whole event is in the log
INSERT INTO memos (title) VALUES (repeat('x', 1048576));
SELECT length(e -> 'new' ->> 'title') AS title_length FROM rex.changes_since(0, ARRAY['memo']) AS e
WHERE e ->> 'op' = 'insert' ORDER BY (e ->> 'id')::bigint DESC LIMIT 1;

-- reading: filters, limit, argument errors
SELECT count(*) AS memos FROM rex.changes_since(0, ARRAY['memo']);
SELECT count(*) AS limited FROM rex.changes_since(0, NULL, 2);
SELECT count(*) AS none FROM rex.changes_since(0, ARRAY['ghost']);
SELECT * FROM rex.changes_since(-1);
SELECT * FROM rex.changes_since(NULL);
SELECT * FROM rex.changes_since(0, NULL, 0);
SELECT * FROM rex.changes_since(0, ARRAY[NULL]);

-- writers need no right on rex.changes; readers need SELECT
CREATE ROLE rex_writer;
GRANT INSERT, SELECT ON memos TO rex_writer;
SET ROLE rex_writer;
INSERT INTO memos (title) VALUES ('by a role without rights on the log');
INSERT INTO rex.changes VALUES (999, 'memo', 'insert', '{}', '{}', null, null, '1', now());
SELECT count(*) FROM rex.changes_since(0);
RESET ROLE;
SELECT e -> 'new' ->> 'title' AS title FROM rex.changes_since(0, ARRAY['memo']) AS e
ORDER BY (e ->> 'id')::bigint DESC LIMIT 1;
DROP OWNED BY rex_writer;
DROP ROLE rex_writer;

-- pruning: by id, and by each entity's retention at migrate()
SELECT rex.prune_changes(3) AS pruned;
SELECT min((e ->> 'id')::bigint) AS first_left FROM rex.changes_since(0) AS e;
SELECT count(*) FROM rex.changes_since(1);              -- would skip event 2: refused
SELECT count(*) > 0 AS resumes FROM rex.changes_since(2);
SELECT rex.prune_changes(-1);
SELECT rex.define_entity('log', '{"table": "logs", "columns": {"id": {"type": "id"}, "m": {"type": "text"}},
  "changes": {"retention": {"max_events": 2, "max_age": "1 day"}}}') ->> 'status' AS status;
SELECT rex.migrate() ->> 'status' AS status;
INSERT INTO logs (m) SELECT 'm' || g FROM generate_series(1, 5) g;
SELECT rex.migrate() - 'migrations' - 'steps' AS migrate_prunes;
SELECT e -> 'new' ->> 'm' AS kept FROM rex.changes_since(0, ARRAY['log']) AS e;
SELECT entity, before_id > 3 AS above_global FROM rex.changes_pruned ORDER BY entity;
SELECT count(*) FROM rex.changes_since((SELECT min(id) FROM rex.changes WHERE entity = 'log') - 2, ARRAY['log']);
SELECT count(*) > 0 AS other_entities_unaffected FROM rex.changes_since(2, ARRAY['item']);
SELECT rex.prune_changes() AS nothing_more;

-- dropping the entity drops the table and its triggers; the log stays
SELECT count(*) AS capture_triggers FROM pg_trigger WHERE tgname LIKE 'rex_changes_%';
SELECT rex.drop_entity('log') ->> 'status' AS status;
SELECT rex.migrate('{"allow_data_loss": true}') ->> 'status' AS status;
SELECT count(*) AS capture_triggers, to_regclass('logs') AS logs FROM pg_trigger WHERE tgname LIKE 'rex_changes_%';
SELECT count(*) AS log_events_kept FROM rex.changes_since(0, ARRAY['log']);

-- INSERT ... ON CONFLICT DO UPDATE gives an update event
SELECT rex.define_entity('kv', '{"table": "kvs", "primary_key": ["k"], "columns": {"k": {"type": "string"}, "v": {"type": "text"}}, "changes": {}}') ->> 'status' AS status;
SELECT rex.migrate() ->> 'status' AS status;
INSERT INTO kvs VALUES ('a', '1');
INSERT INTO kvs VALUES ('a', '2') ON CONFLICT (k) DO UPDATE SET v = excluded.v;
SELECT e ->> 'op' AS op, e -> 'new' ->> 'v' AS v, e -> 'changed' AS changed FROM rex.changes_since(0, ARRAY['kv']) AS e;
