// Differential check of rex_gql_validate against graphql-js validate() (see run.sh).
// Input: lines of dump_graphql validate.  The SDL below is test/unit/gql_test_schema.c.

const { parse, buildSchema, validate, Kind, specifiedRules } = require('graphql');
const fs = require('fs');
const sdl = `
schema { query: Query mutation: Mutation }
directive @cached(ttl: Int!) on QUERY | FIELD
directive @tag(name: String) repeatable on FIELD | VARIABLE_DEFINITION
scalar DateTime
type Query { user(id: ID!): User users(where: UserWhere, orderBy: [UserOrderBy!], limit: Int, offset: Int = 0): [User!]! usersCount(where: UserWhere): Int! node(id: ID!): Node search(text: String!): [SearchResult!]! hello(name: String = "world"): String post(id: ID!): Post }
type Mutation { createUser(data: UserCreateInput!): User! deleteUser(id: ID!): User }
interface Node { id: ID! }
type User implements Node { id: ID! name: String! email: String age: Int role: Role! createdAt: DateTime score: Float posts(where: PostWhere, limit: Int = 10): [Post!]! }
type Post implements Node { id: ID! title: String! author: User! }
union SearchResult = User | Post
enum Role { ADMIN MEMBER }
enum SortDirection { ASC DESC }
input UserWhere { name: StringFilter age: IntFilter role: Role createdAt: DateTime and: [UserWhere!] or: [UserWhere!] not: UserWhere }
input StringFilter { eq: String like: String in: [String!] }
input IntFilter { eq: Int gt: Int gte: Int lt: Int in: [Int!] isNull: Boolean }
input UserOrderBy { name: SortDirection age: SortDirection }
input UserCreateInput { name: String! email: String age: Int role: Role = MEMBER createdAt: DateTime }
input PostWhere { title: StringFilter }
`;
const noschema = !!process.env.NOSCHEMA;
const schema = buildSchema(sdl);
// without a schema only the document rules apply
const docRules = ['UniqueOperationNamesRule','LoneAnonymousOperationRule','UniqueFragmentNamesRule','KnownFragmentNamesRule','NoUnusedFragmentsRule','NoFragmentCyclesRule','UniqueVariableNamesRule','NoUndefinedVariablesRule','NoUnusedVariablesRule','UniqueArgumentNamesRule','UniqueInputFieldNamesRule'];
const rules = noschema ? specifiedRules.filter(r => docRules.includes(r.name)) : specifiedRules;
const skip0 = m => (process.env.NOSCHEMA && /@include|@skip|cannot represent|Expected value|used in position/.test(m)) || /must select only one top level field|Schema is not configured|levels deep; the limit|fields once its fragments|Too many|DateTime/.test(m);
const norm = m => m.replace(/ Did you mean .*\?( @|$)/, '$1').replace(/^(\w+ cannot represent [^:]*): [\s\S]*?( @[0-9:]+)$/, '$1: <v>$2').replace(/^(Expected value of type "[^"]*", found )[\s\S]*?( @[0-9:]+)$/, '$1<v>$2');
let n = 0, bad = 0;
for (const line of fs.readFileSync(0, 'utf8').trim().split('\n')) {
  const r = JSON.parse(line);
  const buf = fs.readFileSync(r.f); const nul = buf.indexOf(0);
  const text = (nul >= 0 ? buf.subarray(0, nul) : buf).toString('utf8');
  if (/[\u{10000}-\u{10FFFF}]/u.test(text)) continue;
  let doc; try { doc = parse(text); } catch (e) { continue; }
  if (!doc.definitions.every(d => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION)) continue;
  // known differences: introspection types are the executor's schema's,
  // DateTime is checked by the test schema's coerce_scalar, and arguments
  // are compared by value when fields are merged ("a" and """a""")
  if (/__schema|__type\b|__[A-Z]|DateTime|"""/.test(text)) continue;
  n++;
  const want = validate(schema, doc, rules, { maxErrors: 1000 }).map(e => norm(e.message) + ' ' + (e.locations || []).map(l => '@' + l.line + ':' + l.column).join(' '));
  const got = r.errors.map(e => e.message + ' ' + (e.locations || []).map(l => '@' + l.line + ':' + l.column).join(' '));
  if (want.length >= 100 || got.length >= 100) continue;
  const ran = !process.env.NOSCHEMA && got.every(m => /conflict because/.test(m));
  const skip = m => skip0(m) || (!ran && /conflict because/.test(m));
  const w = want.filter(m => !skip(m)).map(norm).sort(), g = got.filter(m => !skip(m)).map(norm).sort();
  if (JSON.stringify(w) !== JSON.stringify(g)) {
    bad++;
    if (bad <= 15) {
      console.log('DIFF', r.f, '\n' + text.slice(0, 300));
      console.log('  js only:', w.filter(x => !g.includes(x)).slice(0, 5));
      console.log('  me only:', g.filter(x => !w.includes(x)).slice(0, 5));
    }
  }
}
console.log(`${n} compared, ${bad} differences`);
