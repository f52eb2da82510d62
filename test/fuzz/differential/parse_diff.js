// Differential check of rex_gql_parse against graphql-js parse() (see run.sh).
// Input: lines of dump_graphql parse.  Documents that graphql-js reads as
// type-system definitions (not executable) must be refused.

const { parse, Kind } = require('graphql');
const fs = require('fs');
const lines = fs.readFileSync(0, 'utf8').trim().split('\n').map(JSON.parse);
function esc(s) {
  let o = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"' || ch === '\\') o += '\\' + ch;
    else if (ch === '\n') o += '\\n'; else if (ch === '\r') o += '\\r'; else if (ch === '\t') o += '\\t';
    else if (c < 0x20 || c === 0x7f) o += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else o += ch;
  }
  return o + '"';
}
function val(v) {
  switch (v.kind) {
    case Kind.VARIABLE: return '$' + v.name.value;
    case Kind.INT: case Kind.FLOAT: case Kind.ENUM: return v.value;
    case Kind.STRING: return esc(v.value);
    case Kind.BOOLEAN: return v.value ? 'true' : 'false';
    case Kind.NULL: return 'null';
    case Kind.LIST: return '[' + v.values.map(val).join(' ') + ']';
    case Kind.OBJECT: return '{' + v.fields.map(f => f.name.value + ': ' + val(f.value)).join(' ') + '}';
  }
}
const args = a => a && a.length ? '(' + a.map(x => x.name.value + ': ' + val(x.value)).join(' ') + ')' : '';
const dirs = d => (d || []).map(x => ' @' + x.name.value + args(x.arguments)).join('');
function type(t) { return t.kind === Kind.NAMED_TYPE ? t.name.value : t.kind === Kind.LIST_TYPE ? '[' + type(t.type) + ']' : type(t.type) + '!'; }
function sel(s) {
  let o;
  if (s.kind === Kind.FIELD) o = (s.alias ? s.alias.value + ': ' : '') + s.name.value + args(s.arguments) + dirs(s.directives);
  else if (s.kind === Kind.FRAGMENT_SPREAD) o = '...' + s.name.value + dirs(s.directives);
  else o = '...' + (s.typeCondition ? ' on ' + s.typeCondition.name.value : '') + dirs(s.directives);
  if (s.selectionSet) o += ' ' + set(s.selectionSet);
  return o;
}
const set = ss => '{ ' + ss.selections.map(x => sel(x) + ' ').join('') + '}';
function print(doc) {
  let out = '';
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION) {
    out += d.operation + (d.name ? ' ' + d.name.value : '');
    if (d.variableDefinitions && d.variableDefinitions.length)
      out += (d.name ? '(' : ' (') + d.variableDefinitions.map(v => '$' + v.variable.name.value + ': ' + type(v.type) + (v.defaultValue ? ' = ' + val(v.defaultValue) : '') + dirs(v.directives)).join(' ') + ')';
    out += dirs(d.directives) + ' ' + set(d.selectionSet) + '\n';
  }
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION)
    out += 'fragment ' + d.name.value + ' on ' + d.typeCondition.name.value + dirs(d.directives) + ' ' + set(d.selectionSet) + '\n';
  return out;
}
let n = 0, bad = 0, skipped = 0, known = 0;
// known differences: descriptions (graphql-js 16.15 reads descriptions on
// executable definitions, a later RFC than October 2021) and documents
// with type-system definitions (refused here at the first one)
const knownDiff = r => !r.ok && /(Unexpected|found) (String|BlockString) |Unexpected Name "(type|schema|scalar|interface|union|enum|input|directive|extend)"/.test(r.msg || '');
for (const r of lines) {
  const buf = fs.readFileSync(r.f);
  const nul = buf.indexOf(0);
  const body = nul >= 0 ? buf.subarray(0, nul) : buf;
  let text;
  try { text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body); } catch (e) { skipped++; continue; }
  let want;
  try {
    const doc = parse(text, { noLocation: false });
    const exec = doc.definitions.every(d => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION);
    want = exec ? { ok: true, print: print(doc) } : { ok: false, sdl: true };
  } catch (e) {
    want = { ok: false, msg: e.message, line: e.locations && e.locations[0].line, col: e.locations && e.locations[0].column };
  }
  n++;
  if (want.sdl) { if (r.ok) { bad++; console.log('SDL accepted', r.f); } continue; }
  if (want.ok !== r.ok || (!want.ok && !r.ok && (want.line !== r.line || want.col !== r.col))) {
    if (knownDiff(r)) { known++; continue; }
  }
  if (want.ok !== r.ok) { bad++; console.log('DIFF ok', r.f, JSON.stringify(want).slice(0, 200), JSON.stringify(r).slice(0, 200)); continue; }
  if (want.ok && want.print !== r.print) { bad++; console.log('DIFF print', r.f, '\n js:', JSON.stringify(want.print).slice(0, 300), '\n me:', JSON.stringify(r.print).slice(0, 300)); continue; }
  if (!want.ok) {
    // astral characters make columns differ (UTF-16 units vs code points)
    const astral = /[\u{10000}-\u{10FFFF}]/u.test(text);
    if (want.line !== r.line || (!astral && want.col !== r.col)) { bad++; console.log('DIFF loc', r.f, JSON.stringify(want), JSON.stringify(r)); }
  }
}
console.log(`${n} compared, ${bad} differences, ${known} known differences, ${skipped} skipped (not UTF-8)`);
