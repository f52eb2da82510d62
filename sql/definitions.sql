-- Every portable type, with defaults and constraints, as PostgreSQL
-- tables; plain SQL checks them.
SELECT (rex.define_entity('thing', '{
  "table": "things",
  "columns": {
    "id":    {"type": "uuid", "primary_key": true},
    "s":     {"type": "string", "max_length": 5},
    "t":     {"type": "text", "default": "it''s \\ back"},
    "i":     {"type": "integer", "default": 7},
    "b":     {"type": "bigint", "default": 9007199254740993},
    "f":     {"type": "float", "default": 1.5},
    "d":     {"type": "decimal", "precision": 6, "scale": 2, "default": "1.5"},
    "n":     {"type": "decimal"},
    "flag":  {"type": "boolean", "nullable": false, "default": false},
    "at":    {"type": "timestamp", "default": "now"},
    "at2":   {"type": "timestamp", "default": "2026-01-31T12:00:00Z"},
    "day":   {"type": "date", "default": "2026-01-31"},
    "today": {"type": "date", "default": "now"},
    "doc":   {"type": "json", "default": {"k": [1, 2]}},
    "raw":   {"type": "bytes", "default": "AQID"},
    "color": {"type": "enum", "values": ["red", "green"], "default": "red"},
    "email": {"type": "string", "unique": true}
  },
  "indexes": [{"columns": ["s", "i"]}, {"columns": ["day"], "unique": true, "name": "one_per_day"}]
}') -> 'steps') IS NOT NULL AS defined;
SELECT rex.migrate() ->> 'status' AS status;
\d things
INSERT INTO things (s) VALUES ('abc');
SELECT length(id::text) AS uuid_len, s, t, i, b, f, d, n, flag, at IS NOT NULL AS has_at, at2, day,
       today = (now() AT TIME ZONE 'UTC')::date AS today_ok, doc, raw, color, email FROM things;
-- (terse: the failing row holds a random uuid and the current time)
\set VERBOSITY terse
INSERT INTO things (s, day) VALUES ('toolong', '2026-02-01');
INSERT INTO things (color, day) VALUES ('blue', '2026-02-01');
INSERT INTO things (i, day) VALUES (2147483648, '2026-02-01');
INSERT INTO things (d, day) VALUES (10000, '2026-02-01');
INSERT INTO things (day) VALUES ('2026-01-31');
\set VERBOSITY default

-- composite primary key and columns given as an array (order kept)
SELECT rex.define_entity('membership', '{
  "columns": [
    {"name": "team", "type": "bigint"},
    {"name": "member", "type": "bigint"},
    {"name": "role", "type": "enum", "values": ["owner", "member"]}
  ],
  "primary_key": ["team", "member"]
}') -> 'steps' -> 0 ->> 'sql' AS sql;
SELECT rex.migrate() ->> 'status' AS status;
\d membership
INSERT INTO membership VALUES (1, 1, 'owner');
INSERT INTO membership VALUES (1, 1, 'member');

-- long names are shortened to 63 bytes with a hash, the same on every engine
SELECT rex.define_entity('a_rather_long_entity_name_that_goes_on', '{
  "table": "a_rather_long_table_name_that_goes_on_and_on_and_on_and_on_x",
  "columns": {"id": {"type": "id"}, "a_rather_long_column_name_too": {"type": "string", "unique": true}}
}') -> 'steps' -> 1 ->> 'sql' AS sql;
SELECT rex.migrate() ->> 'status' AS status;
SELECT indexname, length(indexname) FROM pg_indexes WHERE tablename LIKE 'a_rather%' ORDER BY 1;

-- rex.schema chooses where new tables go
CREATE SCHEMA app;
SET rex.schema = 'app';
SELECT rex.define_entity('note', '{"columns": {"id": {"type": "id"}, "body": {"type": "text"}}}') -> 'steps' -> 0 ->> 'sql' AS sql;
RESET rex.schema;
SELECT rex.migrate() ->> 'status' AS status;
SELECT to_regclass('app.note') AS in_app, to_regclass('public.note') AS in_public;
