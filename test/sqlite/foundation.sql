-- Foundation on SQLite: catalog on first write, every type, migrate,
-- plain-SQL access, history.  Run from the repository root by test/run.sh
-- with the database build/test-sqlite/foundation.db; output compared with
-- test/sqlite/expected/foundation.out.
.load ./rex_orm
.mode list
.headers off

.print '-- read-only calls on a fresh database create no catalog'
SELECT rex_version();
SELECT rex_plan();
SELECT rex_entities();
SELECT json_extract(rex_migration_status(), '$.entities', '$.up_to_date');
SELECT count(*) FROM sqlite_schema WHERE name LIKE 'rex%';

.print '-- define: the catalog appears, with the version stamp of rex'
SELECT json_extract(rex_define_entity('thing', '{
  "table": "things",
  "description": "one of everything",
  "columns": {
    "id":      {"type": "id"},
    "u":       {"type": "uuid"},
    "s":       {"type": "string", "max_length": 5},
    "t":       {"type": "text", "default": "it''s"},
    "i":       {"type": "integer", "default": 7},
    "b":       {"type": "bigint"},
    "f":       {"type": "float", "default": 1.5},
    "d":       {"type": "decimal", "precision": 6, "scale": 2, "default": "1.5"},
    "flag":    {"type": "boolean", "nullable": false, "default": false},
    "at":      {"type": "timestamp", "default": "now"},
    "day":     {"type": "date", "default": "2026-01-31"},
    "doc":     {"type": "json", "default": {"k": [1, 2]}},
    "raw":     {"type": "bytes", "default": "AQID"},
    "color":   {"type": "enum", "values": ["red", "green"], "default": "red"},
    "email":   {"type": "string", "unique": true}
  },
  "indexes": [{"columns": ["s", "i"]}]
}'), '$.status', '$.version', '$.steps[0].kind', '$.steps[1].kind', '$.steps[2].kind');
SELECT name FROM sqlite_schema WHERE name LIKE 'rex%' AND type = 'table' ORDER BY name;
SELECT key, value FROM rex_meta WHERE key = 'catalog_version';
SELECT count(*) FROM sqlite_schema WHERE name = 'things';

.print '-- plan, then migrate'
SELECT value ->> 'step', value ->> 'kind', value ->> 'destructive', value ->> 'reversible' FROM json_each(rex_plan());
SELECT json_extract(rex_migrate(), '$.status', '$.migrations[0].state', '$.migrations[0].version', '$.migrations[0].applied_steps');
SELECT rex_plan();
SELECT json_extract(rex_migrate(), '$.status');

.print '-- the table: STRICT, one storage class per column'
SELECT strict FROM pragma_table_list WHERE name = 'things';
SELECT name, type, "notnull", pk FROM pragma_table_info('things') ORDER BY cid;
SELECT name, "unique" FROM pragma_index_list('things') ORDER BY name;

.print '-- defaults'
INSERT INTO things (u, s, email) VALUES ('123e4567-e89b-12d3-a456-426614174000', 'abc', 'a@x');
SELECT id, u, s, t, i, b, f, d, flag, at GLOB '2*T*Z', day, doc, hex(raw), color FROM things;

.print '-- every type check holds for plain SQL'
INSERT INTO things (u) VALUES ('123E4567-E89B-12D3-A456-426614174000');
INSERT INTO things (s) VALUES ('toolong');
INSERT INTO things (s) VALUES ('ääääá');
INSERT INTO things (i) VALUES (2147483648);
INSERT INTO things (i) VALUES (-2147483648);
INSERT INTO things (d) VALUES ('1.5');
INSERT INTO things (d) VALUES ('10000.00');
INSERT INTO things (d) VALUES ('-9999.99');
INSERT INTO things (d) VALUES ('01.00');
INSERT INTO things (flag) VALUES (2);
INSERT INTO things (at) VALUES ('2026-02-30T00:00:00Z');
INSERT INTO things (at) VALUES ('2026-02-28T23:59:59Z');
INSERT INTO things (at) VALUES ('2026-02-28 23:59:59');
INSERT INTO things (day) VALUES ('2026-13-01');
INSERT INTO things (day) VALUES ('2024-02-29');
INSERT INTO things (day) VALUES ('2026-02-29');
INSERT INTO things (day) VALUES ('2026-04-31');
INSERT INTO things (doc) VALUES ('{not json');
INSERT INTO things (doc) VALUES (NULL);
INSERT INTO things (color) VALUES ('blue');
INSERT INTO things (email) VALUES ('a@x');
INSERT INTO things (b) VALUES ('not a number');
SELECT count(*) FROM things;

.print '-- entities and status'
SELECT value ->> 'name', value ->> 'table', value ->> 'status', value ->> 'version' FROM json_each(rex_entities());
SELECT json_extract(rex_migration_status(), '$.entities', '$.applied_migrations', '$.failed_migrations', '$.pending_steps', '$.last_migration.name');
SELECT version, name, kind, state, total_steps, applied_steps, reversible, length(checksum), length(chain_hash), engine FROM rex_migrations;
SELECT step, kind, message FROM rex_log ORDER BY id;

.print '-- the history is append-only'
UPDATE rex_migrations SET state = 'failed';
DELETE FROM rex_migrations;
SELECT count(*) FROM rex_migrations WHERE state = 'applied';

.print '-- functions that write cannot run from triggers or views'
CREATE VIEW sneaky AS SELECT rex_migrate() AS m;
SELECT * FROM sneaky;
DROP VIEW sneaky;

.print '-- a plain connection (extension not loaded) reads and writes the table'
.open build/test-sqlite/foundation.db
INSERT INTO things (s, color) VALUES ('plain', 'green');
INSERT INTO things (color) VALUES ('purple');
SELECT s, color FROM things WHERE s = 'plain';
SELECT rex_plan();
