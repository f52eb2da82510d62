-- pgTAP: relations and validation rules of migrated entities -- what the
-- plan says, that a migration broken by the data leaves nothing, that the
-- constraints are enforced and validated, that rollbacks restore them,
-- that hooks keep firing.  Runs in a transaction rolled back.
BEGIN;
SELECT plan(35);

CREATE FUNCTION public.tap_upper(r jsonb) RETURNS jsonb LANGUAGE sql AS
$$ SELECT jsonb_build_object('name', upper(r ->> 'name')) $$;

SELECT lives_ok($$SELECT rex.define_entity('tap_team', '{"columns": {"id": {"type": "id"}, "name": {"type": "text"}}}')$$,
                'define a parent');
SELECT lives_ok($$SELECT rex.define_entity('tap_player', '{"columns": {"id": {"type": "id"}, "name": {"type": "text"},
  "team_id": {"type": "bigint"}, "goals": {"type": "integer"}}}')$$, 'define a child without the relation');
SELECT is(rex.migrate() ->> 'status', 'applied', 'both migrated');
SELECT lives_ok($$SELECT rex.on('tap_player', 'before_insert', 'public.tap_upper')$$, 'a hook on the child');
INSERT INTO tap_team (name) VALUES ('red'), ('blue');
INSERT INTO tap_player (name, team_id, goals) VALUES ('ann', 1, 3), ('bob', 7, -2), ('cy', NULL, 0);

-- a relation and a rule added over rows that break them
SELECT is(rex.define_entity('tap_player', '{"columns": {"id": {"type": "id"}, "name": {"type": "text"},
  "team_id": {"type": "bigint"}, "goals": {"type": "integer", "validate": {"min": 0}}},
  "relations": {"team": {"kind": "belongs_to", "entity": "tap_team", "on_delete": "restrict"}}}') ->> 'status',
  'changed', 'the child gets a relation and a rule: changed');
SELECT is((SELECT array_agg(s ->> 'kind' ORDER BY (s ->> 'step')::int) FROM jsonb_array_elements(rex.plan()) AS s),
          ARRAY['create_index', 'add_check', 'validate_constraint', 'add_foreign_key', 'validate_constraint'],
          'index, CHECK NOT VALID, validation, foreign key NOT VALID, validation');
SELECT ok((SELECT bool_and((s ->> 'reversible')::boolean AND NOT (s ->> 'destructive')::boolean)
           FROM jsonb_array_elements(rex.plan()) AS s), 'every step reversible, none destructive');
SELECT is((SELECT array_agg(w ORDER BY w) FROM jsonb_array_elements(rex.plan()) AS s,
           jsonb_array_elements_text(s -> 'warnings') AS w WHERE w LIKE 'data-dependent:%'),
          ARRAY['data-dependent: 1 row of "tap_player" breaks rule "min" of column "goals": adding CHECK "tap_player_goals_min" fails',
                'data-dependent: 1 row of "tap_player" holds a "team_id" that refers to no row of "tap_team": adding foreign key "tap_player_team_id_fkey" fails'],
          'the plan counts the rows that break each');
SELECT is(rex.migrate() ->> 'status', 'failed', 'migrate fails');
SELECT is((SELECT count(*)::int FROM pg_constraint WHERE conrelid = 'tap_player'::regclass AND contype IN ('c', 'f')), 0,
          'no constraint is left behind');
SELECT is(to_regclass('tap_player_team_id_idx'), NULL, 'nor the index');
SELECT throws_ok($$SELECT rex.migrate('{"strict": true}')$$, '23514', NULL, 'strict: the CHECK validation raises 23514');
UPDATE tap_player SET goals = 0 WHERE goals < 0;
SELECT throws_ok($$SELECT rex.migrate('{"strict": true}')$$, '23503', NULL, 'then the foreign key validation raises 23503');
UPDATE tap_player SET team_id = 2 WHERE team_id = 7;
SELECT is(rex.migrate() ->> 'status', 'applied', 'with the rows fixed it applies');
SELECT is((SELECT array_agg(conname::text ORDER BY conname) FROM pg_constraint
           WHERE conrelid = 'tap_player'::regclass AND contype IN ('c', 'f') AND convalidated),
          ARRAY['tap_player_goals_min', 'tap_player_team_id_fkey'], 'both constraints there and validated');
SELECT throws_ok($$INSERT INTO tap_player (name, team_id) VALUES ('x', 99)$$, '23503', NULL, 'the foreign key is enforced');
SELECT throws_ok($$INSERT INTO tap_player (name, goals) VALUES ('x', -1)$$, '23514', NULL, 'the rule is enforced');
SELECT throws_ok($$DELETE FROM tap_team WHERE id = 1$$, '23503', NULL, 'on_delete restrict');
SELECT is((SELECT name FROM tap_player WHERE id = (SELECT max(id) FROM tap_player)), 'CY', 'the hook ran before');
INSERT INTO tap_player (name, team_id) VALUES ('dee', 1);
SELECT is((SELECT name FROM tap_player WHERE id = (SELECT max(id) FROM tap_player)), 'DEE', 'the hook fires after the change');
SELECT is(rex.migration_status() -> 'drift', '[]'::jsonb, 'no drift');

-- the action changes; a many_to_many comes and goes
SELECT lives_ok($$SELECT rex.define_entity('tap_player', '{"columns": {"id": {"type": "id"}, "name": {"type": "text"},
  "team_id": {"type": "bigint"}, "goals": {"type": "integer", "validate": {"min": 0}}},
  "relations": {"team": {"kind": "belongs_to", "entity": "tap_team", "on_delete": "cascade"},
                "rivals": {"kind": "many_to_many", "entity": "tap_team", "through": "tap_rivalry"}}}')$$,
  'cascade instead, and a many_to_many');
SELECT is((SELECT array_agg(s ->> 'kind' ORDER BY (s ->> 'step')::int) FROM jsonb_array_elements(rex.plan()) AS s),
          ARRAY['drop_foreign_key', 'create_table', 'create_index', 'add_foreign_key', 'validate_constraint'],
          'the key dropped first, the join table created, the key added after');
SELECT is(rex.migrate() ->> 'status', 'applied', 'applied');
INSERT INTO tap_rivalry (tap_player_id, tap_team_id) VALUES (1, 2);
SELECT lives_ok($$DELETE FROM tap_team WHERE id = 1$$, 'deleting a team now cascades');
SELECT is((SELECT count(*)::int FROM tap_player), 2, 'its players went with it');
SELECT is((SELECT count(*)::int FROM tap_rivalry), 0, 'and their join rows');
SELECT is(rex.rollback() ->> 'status', 'rolled_back', 'rolled back');
SELECT is(to_regclass('tap_rivalry'), NULL, 'the join table is gone');
SELECT throws_ok($$DELETE FROM tap_team WHERE id = 2$$, '23503', NULL, 'restrict again');

-- the relation and the rule removed, then that rolled back
SELECT lives_ok($$SELECT rex.define_entity('tap_player', '{"columns": {"id": {"type": "id"}, "name": {"type": "text"},
  "team_id": {"type": "bigint"}, "goals": {"type": "integer"}}}')$$, 'relation and rule removed');
SELECT is(rex.migrate() -> 'destructive', 'false'::jsonb, 'migrated, nothing lost (the column was declared)');
SELECT is((SELECT count(*)::int FROM pg_constraint WHERE conrelid = 'tap_player'::regclass AND contype IN ('c', 'f')), 0,
          'no constraint left');
SELECT is(rex.rollback() ->> 'status', 'rolled_back', 'rolled back');
SELECT is((SELECT count(*)::int FROM pg_constraint WHERE conrelid = 'tap_player'::regclass AND contype IN ('c', 'f')
           AND convalidated), 2, 'both constraints back');

SELECT * FROM finish();
ROLLBACK;
