-- Relations, validation rules, custom validators and lifecycle hooks on
-- PostgreSQL: the DDL, plain SQL writers held to it, and what only
-- PostgreSQL has (pattern CHECKs, validators and hooks as SQL functions).
SET client_min_messages = warning;

-- a cycle of nullable foreign keys: tables first, then the foreign key
SELECT rex.define_entity('team', '{"columns": {"id": {"type": "id"}},
  "relations": {"lead": {"kind": "belongs_to", "entity": "member", "on_delete": "set_null"}}}') ->> 'status';
SELECT rex.define_entity('member', '{"columns": {"id": {"type": "id"}, "nick": {"type": "string",
  "validate": {"pattern": "^[a-z][a-z0-9_]{2,15}$"}}},
  "relations": {"team": {"kind": "belongs_to", "entity": "team", "nullable": false, "on_delete": "cascade"}}}') -> 'steps' -> 0 -> 'warnings';
SELECT s ->> 'step' AS step, s ->> 'entity' AS entity, s ->> 'kind' AS kind, s ->> 'sql' AS sql
  FROM jsonb_array_elements(rex.plan()) s;
SELECT rex.migrate() ->> 'status';
\d member
INSERT INTO team (id) VALUES (1);
INSERT INTO member (nick, team_id) VALUES ('ada_l', 1);
INSERT INTO member (nick, team_id) VALUES ('Ada', 1);
UPDATE team SET lead_id = 2;
UPDATE team SET lead_id = 1 RETURNING id, lead_id;
SELECT rex.explain_constraint('new row for relation "member" violates check constraint "member_nick_pattern"');

-- custom validators: a SQL function value -> boolean
CREATE FUNCTION public.is_even(v integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v % 2 = 0 $$;
CREATE FUNCTION public.two_args(a integer, b integer) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION public.not_bool(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
SELECT rex.register_validator('even', 'is_even', 'must be an even number');
SELECT rex.register_validator('even', 'public.is_even(integer)');
SELECT rex.register_validator('pair', 'two_args');
SELECT rex.register_validator('nb', 'not_bool');
SELECT rex.register_validator('ghost', 'no_such_function');
SELECT rex.register_validator('bad name', 'is_even');
SELECT rex.define_entity('box', '{"columns": {"id": {"type": "id"}, "label": {"type": "text", "validate": {"custom": "even"}}}}');
SELECT rex.define_entity('box', '{"columns": {"id": {"type": "id"}, "n": {"type": "integer", "validate": {"custom": "even"}}}}') ->> 'status';
SELECT rex.migrate() ->> 'status';
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'box_n_custom_even';
INSERT INTO box (n) VALUES (4);
INSERT INTO box (n) VALUES (3);
SELECT rex.validate('box', '{"n": 3}'), rex.validate('box', '{"n": 4}');
SELECT rex.explain_constraint('box_n_custom_even');
DROP FUNCTION public.is_even(integer);

-- hooks: f(row jsonb) returning jsonb
CREATE TABLE hook_log (event text, row jsonb);
CREATE FUNCTION public.slugify(r jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  IF r ->> 'title' = 'forbidden' THEN
    RETURN '{"$error": "this title is not allowed"}';
  END IF;
  IF r ->> 'title' = 'raise' THEN
    RAISE EXCEPTION 'raised by the hook';
  END IF;
  RETURN jsonb_build_object('slug', replace(lower(r ->> 'title'), ' ', '-'), 'flag', true,
                            'meta', jsonb_build_object('words', array_length(string_to_array(r ->> 'title', ' '), 1)));
END $$;
CREATE FUNCTION public.log_it(r jsonb) RETURNS jsonb LANGUAGE sql AS $$
  INSERT INTO hook_log VALUES ('after', r - 'at') RETURNING NULL::jsonb $$;
CREATE FUNCTION public.bad_column(r jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT '{"nope": 1}'::jsonb $$;
CREATE FUNCTION public.change_bytes(r jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT '{"raw": "\\x00"}'::jsonb $$;
CREATE FUNCTION public.no_jsonb(r text) RETURNS jsonb LANGUAGE sql AS $$ SELECT NULL::jsonb $$;
CREATE FUNCTION public.keep_deleted(r jsonb) RETURNS void LANGUAGE sql AS $$ INSERT INTO hook_log VALUES ('delete', r - 'at') $$;
SELECT rex.define_entity('post', '{"table": "posts", "columns": {"id": {"type": "id"},
  "title": {"type": "string", "nullable": false}, "slug": {"type": "string"},
  "flag": {"type": "boolean", "default": false}, "meta": {"type": "json"},
  "at": {"type": "timestamp", "default": "2026-01-31T12:00:00Z"}, "raw": {"type": "bytes"},
  "day": {"type": "date"}, "price": {"type": "decimal", "precision": 6, "scale": 2}}}') ->> 'status';
SELECT rex.on('post', 'before_insert', 'slugify');
SELECT s ->> 'kind' AS kind, s ->> 'sql' AS sql FROM jsonb_array_elements(rex.plan()) s;
SELECT rex.migrate() ->> 'status';
SELECT rex.on('post', 'after_insert', 'log_it') ->> 'active';
SELECT rex.on('post', 'before_update', 'public.slugify') -> 'hooks';
SELECT rex.on('post', 'after_delete', 'keep_deleted') -> 'hooks';
SELECT rex.on('post', 'before_insert', 'no_jsonb');
SELECT rex.on('post', 'before_insert', 'keep_deleted');
SELECT rex.on('post', 'before_save', 'slugify');
INSERT INTO posts (title, raw, day, price) VALUES ('Hello World', '\x0102', '2026-02-28', 12.5);
SELECT id, title, slug, flag, meta FROM posts;
SELECT event, row FROM hook_log;
INSERT INTO posts (title) VALUES ('forbidden');
INSERT INTO posts (title) VALUES ('raise');
UPDATE posts SET title = 'Second Title';
SELECT slug FROM posts;
DELETE FROM posts;
SELECT event, row ->> 'slug' AS slug FROM hook_log ORDER BY event;
SELECT rex.on('post', 'before_insert', 'bad_column') -> 'hooks';
INSERT INTO posts (title) VALUES ('x');
SELECT rex.off('post', 'before_insert', 'bad_column') -> 'hooks';
SELECT rex.on('post', 'before_insert', 'change_bytes') -> 'hooks';
INSERT INTO posts (title) VALUES ('y');
SELECT rex.off('post', 'before_insert', 'public.change_bytes(jsonb)') -> 'hooks';
SELECT rex.off('post', 'after_insert', 'log_it') -> 'hooks';
SELECT rex.off('post', 'after_insert', 'log_it');
SELECT tgname FROM pg_trigger WHERE tgrelid = 'posts'::regclass ORDER BY 1;
-- hooks run with the writer's search_path and rights, like the writer's own code
SET search_path = pg_catalog;
INSERT INTO public.posts (title) VALUES ('Path Test');
RESET search_path;
SELECT slug FROM posts;
SELECT proconfig IS NULL AS no_pinned_path FROM pg_proc WHERE oid = 'rex.hook_trigger'::regproc;
