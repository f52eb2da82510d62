-- rex_orm demo on an embedded SQLite database (run by "make demo").
.bail on
.load ./rex_orm
.mode list
.headers off

.print '== 1. define two entities (nothing is created yet)'
SELECT json_extract(rex_define_entity('author', '{
  "table": "authors",
  "description": "People who write books",
  "columns": {
    "id":         {"type": "id"},
    "name":       {"type": "string", "max_length": 120, "nullable": false},
    "email":      {"type": "string", "unique": true},
    "born":       {"type": "date"},
    "created_at": {"type": "timestamp", "default": "now"}
  }
}'), '$.status');
SELECT json_extract(rex_define_entity('book', '{
  "table": "books",
  "columns": {
    "id":        {"type": "id"},
    "author_id": {"type": "bigint", "nullable": false},
    "title":     {"type": "string", "max_length": 200, "nullable": false},
    "price":     {"type": "decimal", "precision": 8, "scale": 2},
    "genre":     {"type": "enum", "values": ["novel", "poetry", "essay"], "default": "novel"},
    "in_print":  {"type": "boolean", "default": true}
  },
  "indexes": [{"columns": ["author_id", "title"], "unique": true}]
}'), '$.status');

.print ''
.print '== 2. the plan: steps migrate() will run'
SELECT value ->> 'step', value ->> 'kind', value ->> 'entity' FROM json_each(rex_plan());

.print ''
.print '== 3. migrate'
SELECT json_extract(rex_migrate(), '$.status');

.print ''
.print '== 4. the tables, as SQLite sees them'
.schema authors
.schema books

.print ''
.print '== 5. rows written with plain SQL (no rex function involved)'
INSERT INTO authors (name, email, born) VALUES ('Ursula K. Le Guin', 'ursula@example.org', '1929-10-21');
INSERT INTO books (author_id, title, price, genre) VALUES (1, 'The Dispossessed', '12.50', 'novel');
INSERT INTO books (author_id, title, price) VALUES (1, 'The Left Hand of Darkness', '11.00');
.mode box
SELECT a.name, b.title, b.price, b.genre, b.in_print FROM books b JOIN authors a ON a.id = b.author_id;
.mode list

