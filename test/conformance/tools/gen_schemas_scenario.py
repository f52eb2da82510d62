#!/usr/bin/python3
"""Writes scenarios/45_generated_schemas.json: the exact texts are taken from
the SQLite module (run from the repository root after make), then read by
hand and checked on both engines by the conformance runner."""
import sqlite3, json
c = sqlite3.connect(':memory:', isolation_level=None)
c.enable_load_extension(True); c.load_extension('./rex_orm')
empty_sdl = c.execute("select rex_graphql_schema()").fetchone()[0]
empty_ts = c.execute("select rex_typescript()").fetchone()[0]
note = {"description": "A short note", "columns": {"id": {"type": "id"}, "body": {"type": "text", "nullable": False, "validate": {"max_length": 280}}, "mood": {"type": "enum", "values": ["happy", "so-so"], "default": "happy"}}}
c.execute("select rex_define_entity('note', ?)", (json.dumps(note),))
note_sdl = c.execute("select rex_graphql_schema()").fetchone()[0]
note_ts = c.execute("select rex_typescript()").fetchone()[0]
note_js = json.loads(c.execute("select rex_json_schema('note')").fetchone()[0])
blog = [
 ["author", {"plural": "people", "columns": {"id": {"type": "id"}, "name": {"type": "string", "max_length": 80, "nullable": False},
   "email": {"type": "string", "validate": {"format": "email", "required": True}}, "joined": {"type": "date", "default": "now"},
   "karma": {"type": "decimal", "precision": 6, "scale": 1, "validate": {"min": -10, "max": 1000.5}}},
   "relations": {"posts": {"kind": "has_many", "entity": "blog_post", "foreign_key": "author_id"}}}],
 ["blog_post", {"columns": {"id": {"type": "uuid", "primary_key": True}, "title": {"type": "text", "nullable": False, "validate": {"pattern": "^\\S.*$"}},
   "meta": {"type": "json"}, "cover": {"type": "bytes"}, "at": {"type": "timestamp", "nullable": False, "default": "now"}},
   "relations": {"author": {"kind": "belongs_to", "entity": "author", "nullable": False}, "tags": {"kind": "many_to_many", "entity": "tag"}}}],
 ["tag", {"columns": {"label": {"type": "string", "max_length": 30, "primary_key": True}}}],
]
steps = [
 {"desc": "an empty catalog: a valid SDL with a placeholder Query field", "call": "graphql_schema", "args": [], "expect": empty_sdl},
 {"desc": "an empty catalog: TypeScript with the shared types only", "call": "typescript", "args": [], "expect": empty_ts},
 {"desc": "an empty catalog: JSON Schema with no $defs", "call": "json_schema", "args": [], "expect": {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:rex-orm:schema", "$defs": {}}},
 {"call": "define_entity", "args": ["note", note], "expect_contains": {"entity": "note", "status": "pending"}},
 {"desc": "SDL of one entity, exactly", "call": "graphql_schema", "args": [], "expect": note_sdl},
 {"desc": "TypeScript of one entity, exactly", "call": "typescript", "args": [], "expect": note_ts},
 {"desc": "JSON Schema of one entity, exactly", "call": "json_schema", "args": ["note"], "expect": note_js},
 {"desc": "json_schema(NULL) is every entity", "call": "json_schema", "args": [None], "expect_contains": {"$id": "urn:rex-orm:schema"}},
 {"call": "json_schema", "args": ["ghost"], "expect_error": {"sqlstate": "42704", "message": "entity \"ghost\" does not exist"}},
]
for name, d in blog:
    steps.append({"call": "define_entity", "args": [name, d], "expect_contains": {"entity": name},
                  "ignore": ["warnings"]})
steps += [
 {"desc": "blog: SDL the same on both engines", "call": "graphql_schema", "args": []},
 {"desc": "blog: TypeScript the same on both engines", "call": "typescript", "args": []},
 {"desc": "blog: JSON Schema of everything the same on both engines", "call": "json_schema", "args": []},
 {"desc": "blog: JSON Schema of blog_post reaches author and tag rows", "call": "json_schema", "args": ["blog_post"],
  "expect_contains": {"$ref": "#/$defs/BlogPost", "$id": "urn:rex-orm:entity:blog_post"}},
 {"desc": "migrate (SQLite warns that it cannot CHECK the pattern)", "call": "migrate", "args": [{}], "expect_contains": {"status": "applied"}, "ignore": ["warnings"]},
 {"desc": "after migrate the schemas are unchanged (they read definitions only)", "call": "graphql_schema", "args": []},
 {"desc": "blogPost collides with blog_post (both BlogPost)", "call": "define_entity", "args": ["blogPost", {"columns": {"id": {"type": "id"}}}],
  "expect_error": {"sqlstate": "22023", "message": "entity \"blogPost\": the type would be the type \"BlogPost\", which is already the type of entity \"blog_post\""}},
 {"desc": "an entity whose name is another's plural", "call": "define_entity", "args": ["people", {"columns": {"id": {"type": "id"}}}],
  "expect_error": {"sqlstate": "22023", "message": "entity \"people\": the query of one row would be the Query field \"people\", which is already the query of a list of entity \"author\""}},
 {"desc": "a plural that is another's plural", "call": "define_entity", "args": ["person", {"plural": "people", "columns": {"id": {"type": "id"}}}],
  "expect_error": {"sqlstate": "22023", "message": "entity \"person\": the query of a list would be the Query field \"people\", which is already the query of a list of entity \"author\""}},
 {"desc": "an entity whose type is an enum type of another entity", "call": "define_entity", "args": ["note_mood", {"columns": {"id": {"type": "id"}}}],
  "expect_error": {"sqlstate": "22023", "message": "entity \"note_mood\": the type would be the type \"NoteMood\", which is already the enum type of column \"mood\" of entity \"note\""}},
 {"desc": "redefining an entity does not collide with itself", "call": "define_entity", "args": ["note", note], "expect_contains": {"entity": "note"}},
 {"desc": "a dropped entity's names are free", "call": "drop_entity", "args": ["note"]},
 {"desc": "... so note_mood may be defined now", "call": "define_entity", "args": ["note_mood", {"columns": {"id": {"type": "id"}}}], "expect_contains": {"entity": "note_mood"}},
]
json.dump({"description": "graphql_schema(), typescript() and json_schema() on both engines: exact text for a small catalog, identical answers for a blog, and the names define_entity refuses because the generated APIs would collide.", "steps": steps},
          open('test/conformance/scenarios/45_generated_schemas.json', 'w'), indent=1, ensure_ascii=False)
