-- pgTAP: labels, rights and SQLSTATEs of the relations, rules, validators
-- and hooks functions.  Runs in a transaction that is rolled back.
BEGIN;
SELECT plan(16);

SELECT volatility_is('rex', 'validate', ARRAY['text', 'jsonb'], 'stable', 'validate() is stable');
SELECT volatility_is('rex', 'explain_constraint', ARRAY['text'], 'stable', 'explain_constraint() is stable');
SELECT volatility_is('rex', 'register_validator', ARRAY['text', 'text', 'text'], 'volatile', 'register_validator() is volatile');
SELECT volatility_is('rex', 'on', ARRAY['text', 'text', 'text'], 'volatile', 'on() is volatile');
SELECT function_returns('rex', 'hook_trigger', ARRAY[]::text[], 'trigger', 'hook_trigger() is a trigger function');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'rex.hook_trigger'::regproc), NULL,
          'hook_trigger() pins no search_path: hooks run as the writer');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'rex' AND p.proname IN ('validate', 'explain_constraint', 'register_validator', 'on', 'off')
             AND p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp']), 5,
          'the new functions pin search_path');
SELECT has_table('rex', 'validators', 'rex.validators exists');
SELECT has_table('rex', 'hooks', 'rex.hooks exists');

SELECT throws_ok($$SELECT rex.validate('nobody', '{}')$$, '42704', NULL, 'validate() of an unknown entity: 42704');
SELECT throws_ok($$SELECT rex.explain_constraint('nothing_here')$$, '42704', NULL, 'unknown constraint: 42704');
SELECT throws_ok($$SELECT rex.define_entity('r1', '{"columns": {"id": {"type": "id"}}, "relations": {"x": {"kind": "owns", "entity": "y"}}}')$$,
                 '22023', NULL, 'a bad relation: 22023');
SELECT throws_ok($$SELECT rex.register_validator('v', 'no_such_fn')$$, '42704', NULL, 'an unknown validator function: 42704');

SELECT rex.define_entity('hooked', '{"columns": {"id": {"type": "id"}, "n": {"type": "integer"}}}');
SELECT rex.migrate();
CREATE FUNCTION pg_temp.reject(r jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT '{"$error": "no"}'::jsonb $$;
SELECT lives_ok($$SELECT rex.on('hooked', 'before_insert', 'pg_temp.reject')$$, 'on() with a qualified function');
SELECT throws_ok($$INSERT INTO public.hooked (n) VALUES (1)$$, '09000', 'no', 'a rejecting hook: 09000 with its message');

CREATE ROLE rex_reader_t3;
SET LOCAL ROLE rex_reader_t3;
SELECT is(rex.validate('hooked', '{"n": "x"}') -> 0 ->> 'rule', 'type', 'a role without rights can validate');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
