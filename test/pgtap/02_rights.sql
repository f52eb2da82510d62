-- pgTAP: the catalog is readable by every role; changing it needs the
-- owner's rights; rex's SQL runs with the caller's rights.
BEGIN;
SELECT plan(7);

CREATE ROLE rex_reader NOLOGIN;
SELECT lives_ok($$SELECT rex.define_entity('secret', '{"columns": {"id": {"type": "id"}, "v": {"type": "text"}}}')$$,
                'owner defines an entity');
SELECT is(rex.migrate() ->> 'status', 'applied', 'owner migrates');

SET LOCAL ROLE rex_reader;
SELECT is(jsonb_array_length(rex.entities()), 1, 'any role reads the catalog');
SELECT is(rex.entity('secret') ->> 'table', 'secret', 'any role reads a definition');
SELECT throws_ok($$SELECT rex.define_entity('mine', '{"columns": {"id": {"type": "id"}}}')$$,
                 '42501', NULL, 'a role without rights cannot change the catalog');
SELECT throws_ok($$SELECT * FROM public.secret$$, '42501', NULL,
                 'and reads no user table it was not granted');
RESET ROLE;

-- search_path of the caller does not change what rex runs
CREATE SCHEMA evil;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '1999-01-01'::timestamptz $$;
SET LOCAL search_path = evil, public, pg_catalog;
SELECT lives_ok($$SELECT rex.define_entity('clock', '{"columns": {"id": {"type": "id"}, "t": {"type": "timestamp", "default": "now"}}}')$$,
                'define under a hostile search_path');

SELECT * FROM finish();
ROLLBACK;
