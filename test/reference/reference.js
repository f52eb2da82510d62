#!/usr/bin/env node
// test/reference/reference.js -- the reference implementations' side of
// the reference tests (driven by run.py).  Each command prints one JSON
// value on stdout.
//
//   node reference.js graphql SDL_FILE
//       graphql-js: buildSchema + validateSchema; the introspection of the
//       schema rebuilt by buildClientSchema prints the same (what issue 7's
//       introspection must give back).  -> {"errors": [...], "types": N,
//       "roundtrip": true|false}
//   node reference.js ajv SCHEMA_FILE... -- CASES_FILE
//       ajv (draft 2020-12, strict mode, ajv-formats) compiles every
//       schema document and every $defs entry; then validates each case
//       {"entity", "data"} against <Type>CreateInput of the document that
//       holds it, once with formats checked and once without (patterns
//       alone).  -> {"compiled": [...], "warnings": [...], "verdicts":
//       [{"valid", "fields", "valid_no_formats", "fields_no_formats"}]}
'use strict';

const fs = require('fs');
const path = require('path');

function graphqlCheck(file) {
  const g = require('graphql');
  const sdl = fs.readFileSync(file, 'utf8');
  let schema;
  try {
    schema = g.buildSchema(sdl);
  } catch (e) {
    return { errors: ['buildSchema: ' + e.message], types: 0, roundtrip: false };
  }
  const errors = g.validateSchema(schema).map((e) => e.message);
  let roundtrip = false;
  if (errors.length === 0) {
    const intro = g.introspectionFromSchema(schema, { specifiedByUrl: true, descriptions: true });
    const rebuilt = g.buildClientSchema(intro);
    roundtrip = g.printSchema(rebuilt) === g.printSchema(schema);
  }
  const types = Object.keys(schema.getTypeMap()).filter((n) => !n.startsWith('__')).length;
  return { errors, types, roundtrip };
}

// The top-level fields an ajv error is about (as validate() names them).
function fieldsOf(errors) {
  const out = new Set();
  for (const e of errors || []) {
    if (e.instancePath === '') {
      if (e.keyword === 'required') out.add(e.params.missingProperty);
      else if (e.keyword === 'additionalProperties') out.add(e.params.additionalProperty);
      else out.add('');
    } else {
      out.add(e.instancePath.split('/')[1].replace(/~1/g, '/').replace(/~0/g, '~'));
    }
  }
  return [...out].sort();
}

function pascal(name) {
  let out = '';
  for (const part of name.split('_')) {
    if (part) out += part[0].toUpperCase() + part.slice(1);
  }
  return /^[0-9]/.test(out) ? '_' + out : out;
}

function ajvCheck(schemaFiles, casesFile) {
  const Ajv2020 = require('ajv/dist/2020');
  const addFormats = require('ajv-formats');
  const warnings = [];
  const logger = {
    log: (...a) => warnings.push(a.join(' ')),
    warn: (...a) => warnings.push(a.join(' ')),
    error: (...a) => warnings.push(a.join(' ')),
  };
  const withFormats = new Ajv2020({ allErrors: true, logger });
  addFormats(withFormats);
  const noFormats = new Ajv2020({ allErrors: true, logger, validateFormats: false });
  const compiled = [];
  const docs = schemaFiles.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
  for (const doc of docs) {
    for (const ajv of [withFormats, noFormats]) {
      ajv.addSchema(doc);
    }
    const id = doc.$id;
    compiled.push({ id, ok: !!withFormats.getSchema(id) && !!noFormats.getSchema(id) });
    for (const name of Object.keys(doc.$defs || {})) {
      const ref = id + '#/$defs/' + name;
      compiled.push({ id: ref, ok: !!withFormats.getSchema(ref) && !!noFormats.getSchema(ref) });
    }
  }
  const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
  const verdicts = cases.map((c) => {
    const ref = 'urn:rex-orm:schema#/$defs/' + pascal(c.entity) + 'CreateInput';
    const v1 = withFormats.getSchema(ref);
    const v2 = noFormats.getSchema(ref);
    const ok1 = v1(c.data);
    const ok2 = v2(c.data);
    return {
      valid: ok1, fields: fieldsOf(v1.errors),
      valid_no_formats: ok2, fields_no_formats: fieldsOf(v2.errors),
    };
  });
  return { compiled, warnings, verdicts };
}

function main() {
  const [cmd, ...args] = process.argv.slice(2);
  let out;
  if (cmd === 'graphql') {
    out = graphqlCheck(args[0]);
  } else if (cmd === 'ajv') {
    const sep = args.indexOf('--');
    out = ajvCheck(args.slice(0, sep), args[sep + 1]);
  } else {
    process.stderr.write('usage: reference.js graphql FILE | ajv SCHEMA... -- CASES\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

module.paths.unshift(path.join(__dirname, 'node_modules'));
main();
