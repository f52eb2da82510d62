-- pgTAP: the change feed's functions, rights and errors.  Runs in a
-- transaction that is rolled back.
BEGIN;
SELECT plan(20);

SELECT function_returns('rex', 'changes_since', ARRAY['bigint', 'text[]', 'integer'], 'setof jsonb',
                        'changes_since(bigint, text[], integer) returns setof jsonb');
SELECT function_returns('rex', 'prune_changes', ARRAY['bigint'], 'jsonb', 'prune_changes(bigint) returns jsonb');
SELECT function_returns('rex', 'capture', ARRAY[]::text[], 'trigger', 'capture() is a trigger function');
SELECT function_lang_is('rex', 'capture', ARRAY[]::text[], 'c', 'capture() is written in C');
SELECT volatility_is('rex', 'changes_since', ARRAY['bigint', 'text[]', 'integer'], 'volatile',
                     'changes_since() is volatile (its answer moves with commits)');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'rex.capture()'::regprocedure), NULL,
          'capture() has no SET clause (it runs no SQL; a SET would cost every write)');
SELECT is((SELECT seqcache FROM pg_sequence WHERE seqrelid = 'rex.changes_id_seq'::regclass), 1::bigint,
          'the id sequence hands out one id at a time (the horizon relies on it)');
SELECT ok(NOT has_table_privilege('public', 'rex.changes', 'SELECT'),
          'PUBLIC cannot read the change log');
SELECT ok(NOT has_table_privilege('public', 'rex.changes', 'INSERT'),
          'PUBLIC cannot write events');

SELECT throws_ok($$SELECT rex.define_entity('x', '{"columns": {"id": {"type": "id"}}, "changes": {"notify": "loud"}}')$$,
                 '22023', 'entity "x": changes.notify: unknown notify mode "loud"', 'bad notify mode: 22023');
SELECT throws_ok($$SELECT rex.define_entity('x', '{"columns": {"id": {"type": "id"}}, "changes": []}')$$,
                 '22023', NULL, 'changes must be an object: 22023');
SELECT throws_ok($$SELECT * FROM rex.changes_since(-5)$$, '22023', NULL, 'negative cursor: 22023');
SELECT throws_ok($$SELECT * FROM rex.changes_since(NULL)$$, '22004', NULL, 'null cursor: 22004');
SELECT throws_ok($$SELECT * FROM rex.changes_since(0, NULL, 100001)$$, '22023', NULL, 'limit too large: 22023');
SELECT throws_ok($$SELECT rex.capture()$$, '39P01', 'rex.capture() must be called as a trigger',
                 'capture() cannot be called directly');

-- a role that may write the table but not read the log is still captured
CREATE ROLE rex_tap_writer NOLOGIN;
SELECT lives_ok($$SELECT rex.define_entity('tap_thing', '{"table": "tap_things", "columns": {"id": {"type": "id"}, "v": {"type": "text"}}, "changes": {}}')$$,
                'define an entity with "changes": {}');
SELECT is(rex.migrate() ->> 'status', 'applied', 'migrate creates its table and capture triggers');
GRANT INSERT ON tap_things TO rex_tap_writer;
SET LOCAL ROLE rex_tap_writer;
INSERT INTO tap_things (v) VALUES ('written by a role with no right on rex.changes');
RESET ROLE;
CREATE TABLE tap_forge (id int);
ALTER TABLE tap_forge OWNER TO rex_tap_writer;
SET LOCAL ROLE rex_tap_writer;
SELECT throws_ok($$CREATE TRIGGER forge AFTER INSERT ON tap_forge REFERENCING NEW TABLE AS n
                   FOR EACH STATEMENT EXECUTE FUNCTION rex.capture('tap_thing', '{"pk":["id"],"columns":["id"],"old":false,"notify":"off"}')$$,
                 '42501', NULL, 'a role cannot attach rex.capture() to its own table to forge events');
RESET ROLE;
SELECT is((SELECT new ->> 'v' FROM rex.changes WHERE entity = 'tap_thing'),
          'written by a role with no right on rex.changes', 'captured without rights on the log');
SELECT is((SELECT count(*)::int FROM rex.changes_since(0, ARRAY['tap_thing'])), 0,
          'changes_since() hands out no event of a transaction in progress, not even its own');

SELECT * FROM finish();
ROLLBACK;
