-- Foundation on PostgreSQL: define, plan, migrate, plain-SQL access,
-- history and log.  Volatile values (timestamps, durations) are left out
-- of what is printed.
\pset format aligned
SELECT rex.version();
SELECT rex.plan(), rex.entities();
SELECT rex.migration_status() - 'last_migration' AS status;

-- define: records the desired state, creates no table
SELECT rex.define_entity('author', '{
  "table": "authors",
  "description": "People who write books",
  "columns": {
    "id":    {"type": "id"},
    "name":  {"type": "string", "max_length": 120, "nullable": false, "description": "Full name"},
    "email": {"type": "string", "unique": true},
    "born":  {"type": "date"}
  }
}') - 'steps' AS answer;
SELECT to_regclass('public.authors');
SELECT name, table_name, schema_name, version, applied IS NULL AS pending, dropped FROM rex.entities;
SELECT rex.entity('author');

-- the plan, step by step
SELECT s->>'step' AS step, s->>'kind' AS kind, s->>'entity' AS entity,
       s->'destructive' AS destructive, s->'reversible' AS reversible, s->>'sql' AS sql
FROM jsonb_array_elements(rex.plan()) AS s;

-- migrate
SELECT (rex.migrate() #- '{migrations,0,duration_ms}') - 'steps' AS migrated;
\d authors
SELECT obj_description('public.authors'::regclass, 'pg_class') AS table_comment,
       col_description('public.authors'::regclass,
                       (SELECT attnum FROM pg_attribute
                        WHERE attrelid = 'public.authors'::regclass AND attname = 'name')) AS name_comment;
SELECT rex.plan();
SELECT rex.migrate() - 'steps' AS again;

-- plain SQL reads and writes the table
INSERT INTO authors (name, email, born) VALUES ('Ursula', 'u@example.org', '1929-10-21');
INSERT INTO authors (name, email) VALUES ('Ursula', 'u@example.org');
INSERT INTO authors (name) VALUES (repeat('x', 121));
SELECT id, name, email, born FROM authors;

-- a second entity, then drop the first
SELECT rex.define_entity('book', '{"table": "books", "columns": {"id": {"type": "id"}, "title": {"type": "text"}}}') - 'steps' AS answer;
SELECT rex.drop_entity('author') - 'steps' AS answer;
SELECT s->>'kind' AS kind, s->>'entity' AS entity, s->'destructive' AS destructive, s->'warnings' AS warnings
FROM jsonb_array_elements(rex.plan()) AS s;
SELECT (rex.migrate('{"dry_run": true}') #- '{migrations,0,duration_ms}') - 'steps' AS dry_run;
SELECT to_regclass('public.books') AS books_after_dry_run, to_regclass('public.authors') AS authors_after_dry_run;
SELECT (rex.migrate('{"allow_data_loss": true}') #- '{migrations,0,duration_ms}') - 'steps' AS migrated;
SELECT to_regclass('public.books') AS books, to_regclass('public.authors') AS authors;
SELECT value->>'name' AS name, value->>'status' AS status FROM jsonb_array_elements(rex.entities());

-- history: append-only, chained
SELECT id, version, name, kind, state, total_steps, applied_steps, reversible,
       length(checksum) AS checksum_len,
       chain_hash = encode(sha256(convert_to(coalesce(lag(chain_hash) OVER (ORDER BY id), '') || checksum, 'UTF8')), 'hex') AS chained,
       engine, applied_by = current_user AS by_me
FROM rex.migrations ORDER BY id;
SELECT migration_id, step, kind, message FROM rex.log ORDER BY id;
UPDATE rex.migrations SET state = 'failed';
DELETE FROM rex.migrations;
SELECT rex.migration_status() #- '{last_migration,finished_at}' AS status;
