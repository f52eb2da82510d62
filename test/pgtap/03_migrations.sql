-- pgTAP: migrations -- SQLSTATEs, function labels, search_path, and what
-- rex refuses rather than risk data.  Runs in a transaction rolled back.
BEGIN;
SELECT plan(24);

-- labels
SELECT volatility_is('rex', 'add_migration', ARRAY['text', 'text', 'text'], 'volatile', 'add_migration() is volatile');
SELECT volatility_is('rex', 'rollback', ARRAY['text'], 'volatile', 'rollback() is volatile');
SELECT volatility_is('rex', 'repair', ARRAY['text'], 'volatile', 'repair() is volatile');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'rex.repair(text)'::regprocedure),
          ARRAY['search_path=pg_catalog, pg_temp'], 'repair() pins search_path');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'rex.migrate(jsonb)'::regprocedure), NULL,
          'migrate() pins search_path in C (its scripts see the caller''s)');
SELECT is((SELECT count(*)::int FROM pg_extension e, unnest(e.extconfig) AS c(oid)
           WHERE e.extname = 'rex_orm' AND c.oid = 'rex.scripts'::regclass), 1,
          'registered scripts are kept by pg_dump');

-- SQLSTATEs
SELECT throws_ok($$SELECT rex.add_migration('rex_1', 'SELECT 1')$$, '22023', NULL, 'reserved version: 22023');
SELECT throws_ok($$SELECT rex.add_migration('1', 'SELECT 1; ROLLBACK')$$, '22023', NULL, 'transaction control: 22023');
SELECT throws_ok($$SELECT rex.add_migration('1', NULL)$$, '22004', NULL, 'NULL script: 22004');
SELECT throws_ok($$SELECT rex.rollback('nope')$$, '42704', 'migration "nope" is not applied', 'unknown version: 42704');
SELECT throws_ok($$SELECT rex.repair('nope')$$, '42704', NULL, 'repair of an unknown script: 42704');

SELECT lives_ok($$SELECT rex.add_migration('1', 'CREATE TABLE tap_one (x int)')$$, 'register a script without down');
SELECT is(rex.migrate() ->> 'status', 'applied', 'migrate applies it');
SELECT throws_ok($$SELECT rex.rollback()$$, '55000', 'migration "1" cannot be rolled back: it has no down script',
                 'irreversible: 55000');
SELECT lives_ok($$SELECT rex.add_migration('1', 'CREATE TABLE tap_one (x bigint)')$$, 'register other text for it');
SELECT throws_ok($$SELECT rex.migrate()$$, '55000', 'migration "1" was changed after it was applied',
                 'edited after it was applied: 55000');
SELECT is(rex.repair('1') ->> 'status', 'repaired', 'repair accepts it');
SELECT is(rex.migrate() ->> 'status', 'up_to_date', 'and migrate goes on');

-- changes rex refuses rather than risk data
SELECT lives_ok($$SELECT rex.define_entity('tap_e', '{"columns": {"id": {"type": "id"}, "doc": {"type": "json"}}}')$$,
                'define an entity');
SELECT is(rex.migrate() ->> 'status', 'applied', 'migrate it');
SELECT throws_ok($$SELECT rex.define_entity('tap_e', '{"columns": {"id": {"type": "id"}, "doc": {"type": "text"}}}')$$,
                 '0A000', NULL, 'a type change without a same-on-both-engines conversion: 0A000');
SELECT throws_ok($$SELECT rex.define_entity('tap_e', '{"columns": {"id": {"type": "id"}, "docs": {"type": "json", "renamed_from": "dok"}}}')$$,
                 '22023', NULL, 'renamed_from naming no column: 22023');

-- rex's own SQL ignores a hostile search_path even in migrate() (pinned in C)
CREATE SCHEMA evil;
CREATE FUNCTION evil.boom(bigint) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hijacked'; END $$;
CREATE AGGREGATE evil.count(*) (sfunc = evil.boom, stype = bigint, initcond = '0');
SET LOCAL search_path = evil, pg_catalog, public;
SELECT lives_ok($$SELECT rex.define_entity('tap_f', '{"columns": {"id": {"type": "id"}}}')$$, 'define under a hostile search_path');
SELECT is(rex.migrate() ->> 'status', 'applied', 'migrate under a hostile search_path (internal count(*) is pg_catalog''s)');

SELECT * FROM finish();
ROLLBACK;
