-- pgTAP: SQLSTATEs, function labels, security, the tables rex creates.
-- Runs in a transaction that is rolled back.
BEGIN;
SELECT plan(40);

-- functions: SECURITY INVOKER, pinned search_path, labels
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'rex' AND p.prosecdef), 0, 'no rex function is SECURITY DEFINER');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'rex' AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
             AND p.proname NOT IN ('version', 'migrate', 'rollback', 'capture')
             AND NOT (p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'])), 0,
          'every catalog-reading C function pins search_path');
SELECT volatility_is('rex', 'version', ARRAY[]::text[], 'immutable', 'version() is immutable');
SELECT volatility_is('rex', 'define_entity', ARRAY['text', 'jsonb'], 'volatile', 'define_entity() is volatile');
SELECT volatility_is('rex', 'plan', ARRAY[]::text[], 'stable', 'plan() is stable');
SELECT function_returns('rex', 'migrate', ARRAY['jsonb'], 'jsonb', 'migrate(jsonb) returns jsonb');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'rex_orm'), false, 'not relocatable');
SELECT is((SELECT count(*)::int FROM pg_extension e, unnest(e.extconfig) AS c(oid)
           WHERE e.extname = 'rex_orm'), 12, 'catalog tables and their sequences are marked for pg_dump');

-- SQLSTATEs of the documented errors
SELECT throws_ok($$SELECT rex.define_entity('u', '{"columns": {"id": {"type": "nope"}}}')$$,
                 '22023', 'entity "u": columns.id.type: unknown type "nope"', 'bad definition: 22023');
SELECT throws_ok($$SELECT rex.define_entity('u0a', '{"columns": {"id": {"type": "id"}, "s": {"type": "string"}}}'),
                          rex.migrate(),
                          rex.define_entity('u0a', '{"columns": {"id": {"type": "id"}, "s": {"type": "integer"}}}')$$,
                 '0A000', NULL, 'not supported: a type change without an exact conversion, 0A000');
SELECT throws_ok($$SELECT rex.define_entity('u', '{oops')$$, '22P02', NULL, 'bad JSON: 22P02');
SELECT throws_ok($$SELECT rex.entity('ghost')$$, '42704', 'entity "ghost" does not exist', 'unknown entity: 42704');
SELECT throws_ok($$SELECT rex.drop_entity('ghost')$$, '42704', NULL, 'drop unknown entity: 42704');
SELECT throws_ok($$SELECT rex.migrate('{"nope": 1}')$$, '22023', NULL, 'bad option: 22023');
SELECT throws_ok($$SELECT rex.migrate('[]')$$, '22023', NULL, 'options must be an object');
SELECT throws_ok($$SELECT rex.define_entity('u', NULL)$$, '22004', NULL, 'NULL definition: 22004');
SELECT throws_ok($$SELECT rex.define_entity(NULL, '{}')$$, '22004', NULL, 'NULL name: 22004');

-- a table that exists already
CREATE TABLE public.occupied (x int);
SELECT throws_ok($$SELECT rex.define_entity('occupied', '{"columns": {"id": {"type": "id"}}}')$$,
                 '42P07', NULL, 'existing table: 42P07');
SELECT is((SELECT count(*)::int FROM rex.entities WHERE name = 'occupied'), 0, 'and nothing recorded');

-- the tables rex creates
SELECT lives_ok($$SELECT rex.define_entity('post', '{"table": "posts", "columns": {
    "id": {"type": "id"},
    "slug": {"type": "string", "max_length": 80, "nullable": false, "unique": true},
    "body": {"type": "text"},
    "score": {"type": "float", "default": 0},
    "published_at": {"type": "timestamp"},
    "state": {"type": "enum", "values": ["draft", "live"], "default": "draft"}},
  "indexes": [{"columns": ["state", "published_at"]}]}')$$, 'define post');
SELECT hasnt_table('public', 'posts', 'define_entity creates no table');
SELECT is(rex.migrate() ->> 'status', 'applied', 'migrate applies');
SELECT has_table('public', 'posts', 'migrate creates the table');
SELECT col_type_is('public', 'posts', 'id', 'bigint', 'id is bigint');
SELECT col_is_pk('public', 'posts', 'id', 'id is the primary key');
SELECT col_type_is('public', 'posts', 'slug', 'character varying(80)', 'string(80) is varchar(80)');
SELECT col_not_null('public', 'posts', 'slug', 'slug is NOT NULL');
SELECT col_is_null('public', 'posts', 'body', 'body is nullable');
SELECT col_type_is('public', 'posts', 'published_at', 'timestamp with time zone', 'timestamp is timestamptz');
SELECT col_default_is('public', 'posts', 'state', 'draft', 'enum default');
SELECT has_index('public', 'posts', 'posts_slug_key', ARRAY['slug'], 'unique column has an index');
SELECT index_is_unique('public', 'posts', 'posts_slug_key', 'and it is unique');
SELECT has_index('public', 'posts', 'posts_state_published_at_idx', ARRAY['state', 'published_at'], 'declared index');
SELECT throws_ok($$INSERT INTO public.posts (slug, state) VALUES ('a', 'gone')$$, '23514', NULL,
                 'enum CHECK holds for plain SQL');
SELECT lives_ok($$INSERT INTO public.posts (slug) VALUES ('hello')$$, 'plain insert works');
SELECT is((SELECT state FROM public.posts WHERE slug = 'hello'), 'draft', 'and gets its default');

-- destructive steps need allow_data_loss; history is append-only
SELECT lives_ok($$SELECT rex.drop_entity('post')$$, 'drop_entity records the removal');
SELECT throws_ok($$SELECT rex.migrate()$$, '55000', NULL, 'dropping a table needs allow_data_loss (55000)');
SELECT is(rex.migrate('{"allow_data_loss": true}') ->> 'status', 'applied', 'allowed, it drops');
SELECT throws_ok($$UPDATE rex.migrations SET state = 'failed'$$, '55000', NULL, 'history rows cannot be changed');

SELECT * FROM finish();
ROLLBACK;
