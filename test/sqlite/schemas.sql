-- Generated schemas through the sqlite3 shell (also run under valgrind):
-- graphql_schema(), typescript(), json_schema() with and without a name.
.load ./rex_orm
.mode list
.headers off
select rex_define_entity('team', '{"columns": {"id": {"type": "id"}, "name": {"type": "string", "nullable": false}}}') is not null;
select rex_define_entity('member', '{"plural": "crew", "columns": {"id": {"type": "id"}, "role": {"type": "enum", "values": ["lead", "in training"]}}, "relations": {"team": {"kind": "belongs_to", "entity": "team", "nullable": false}}}') is not null;
select instr(rex_graphql_schema(), 'type Member {
  id: ID!
  role: MemberRole
  team_id: ID!
  team: Team!
}') > 0;
select instr(rex_graphql_schema(), '  crew(where: MemberWhere, orderBy: [MemberOrderBy!], limit: Int, offset: Int): [Member!]!') > 0;
select instr(rex_graphql_schema(), '  "The value \"in training\"."
  in_training') > 0;
select instr(rex_typescript(), 'export type MemberRole = "lead" | "in training";') > 0;
select json_extract(rex_json_schema('member'), '$.$ref');
select json_extract(rex_json_schema('member'), '$.$defs.MemberCreateInput.required');
select json_extract(rex_json_schema(), '$.$id'), json_extract(rex_json_schema(null), '$.$id');
select rex_json_schema('ghost');
select rex_define_entity('crew', '{"columns": {"id": {"type": "id"}}}');
