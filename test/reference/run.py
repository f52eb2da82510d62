#!/usr/bin/python3
"""Reference tests of the generated schemas (layer "reference" of make test).

    /usr/bin/python3 test/reference/run.py --sqlite-module ./rex_orm \\
        [--pg "host=... port=... user=postgres"] [--out DIR]

Defines the fixture catalog (fixture.json: 13 entities, every type,
relation kind and rule) on SQLite and, with --pg, on a fresh PostgreSQL
database, and checks what rex generates with the reference tools
(installed by install-tools from package-lock.json):

  - graphql-js: buildSchema + validateSchema accept graphql_schema(), and
    its introspection rebuilt by buildClientSchema prints the same schema;
  - ajv (draft 2020-12, strict, ajv-formats): compiles json_schema() and
    json_schema(entity) of every entity without a warning, and gives the
    same verdict as validate() -- on each engine -- for every object of
    cases.py (also with formats off: the patterns alone decide), the
    same fields named; the documented differences still differ;
  - tsc --strict --noEmit compiles typescript() with ts/use.ts, and each
    ts/fail_*.ts fails with the error its first line names;
  - both engines give the same SDL, TypeScript and JSON Schema.

Output is TAP ("ok N - ...", then "1..N"); exit status 1 on a failure.
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cases as cases_mod  # noqa: E402

try:
    import psycopg2
except ImportError:  # pragma: no cover
    psycopg2 = None


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, desc, ok, diag=None):
        self.n += 1
        if not ok:
            self.failed += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, desc.replace("#", "\\#")))
        if not ok and diag:
            for line in str(diag).splitlines()[:30]:
                print("# " + line)
        sys.stdout.flush()
        return ok

    def finish(self):
        print("1..%d" % self.n)


class Sqlite:
    name = "sqlite"

    def __init__(self, module, tmp):
        self.conn = sqlite3.connect(os.path.join(tmp, "reference.db"), isolation_level=None)
        self.conn.enable_load_extension(True)
        self.conn.load_extension(module)
        # the application's function behind the fixture's custom validator
        self.conn.create_function("is_even", 1, lambda v: None if v is None else v % 2 == 0,
                                  deterministic=True)

    def call(self, fn, *args):
        sql = "SELECT rex_%s(%s)" % (fn, ", ".join("?" * len(args)))
        return self.conn.execute(sql, args).fetchone()[0]

    def close(self):
        self.conn.close()


class Pg:
    name = "pg"
    DB = "rex_reference"

    def __init__(self, conninfo):
        self.conninfo = conninfo
        admin = psycopg2.connect(conninfo + " dbname=postgres")
        admin.autocommit = True
        admin.cursor().execute("DROP DATABASE IF EXISTS " + self.DB)
        admin.cursor().execute("CREATE DATABASE " + self.DB)
        admin.close()
        self.conn = psycopg2.connect(conninfo + " dbname=" + self.DB)
        self.conn.autocommit = True
        self.conn.cursor().execute("CREATE EXTENSION rex_orm")
        self.conn.cursor().execute("CREATE FUNCTION public.is_even(v integer) RETURNS boolean "
                                   "LANGUAGE sql IMMUTABLE AS 'SELECT v % 2 = 0'")

    def call(self, fn, *args):
        types = {"define_entity": ["text", "jsonb"], "validate": ["text", "jsonb"],
                 "register_validator": ["text", "text"],
                 "json_schema": ["text"], "migrate": ["jsonb"]}.get(fn, [])
        params = ", ".join("%%s::%s" % t for t in types[:len(args)])
        cur = self.conn.cursor()
        cur.execute("SELECT rex.%s(%s)::text" % (fn, params), args)
        return cur.fetchone()[0]

    def close(self):
        self.conn.close()
        admin = psycopg2.connect(self.conninfo + " dbname=postgres")
        admin.autocommit = True
        admin.cursor().execute("DROP DATABASE IF EXISTS " + self.DB)
        admin.close()


def node(*args):
    r = subprocess.run(["node", os.path.join(HERE, "reference.js")] + list(args),
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("reference.js %s failed: %s" % (args[0], r.stderr[-2000:]))
    return json.loads(r.stdout)


def generate(tap, engine, fixture, objects):
    """Defines the fixture; answers the generated texts and validate() verdicts."""
    try:
        for name, function in fixture["validators"]:
            engine.call("register_validator", name, function)
        for name, definition in fixture["entities"]:
            engine.call("define_entity", name, json.dumps(definition))
        engine.call("migrate", json.dumps({}))
    except Exception as e:  # noqa: BLE001
        tap.check("%s: the fixture is defined and migrated" % engine.name, False, e)
        return None
    tap.check("%s: the fixture (%d entities) is defined and migrated"
              % (engine.name, len(fixture["entities"])), True)
    out = {
        "sdl": engine.call("graphql_schema"),
        "ts": engine.call("typescript"),
        "all": json.loads(engine.call("json_schema")),
        "each": {name: json.loads(engine.call("json_schema", name))
                 for name, _ in fixture["entities"]},
        "verdicts": [json.loads(engine.call("validate", o["entity"], json.dumps(o["data"])))
                     for o in objects],
    }
    return out


def check_graphql(tap, gen, outdir):
    path = os.path.join(outdir, "schema.graphql")
    with open(path, "w") as f:
        f.write(gen["sdl"])
    r = node("graphql", path)
    tap.check("graphql-js: buildSchema and validateSchema accept the SDL (%d types)" % r["types"],
              not r["errors"], "\n".join(r["errors"]))
    tap.check("graphql-js: the introspection of the schema rebuilds the same schema",
              r["roundtrip"])
    tap.check("graphql-js: the SDL ends with a newline and has no trailing spaces",
              gen["sdl"].endswith("\n") and not any(l != l.rstrip() for l in gen["sdl"].split("\n")))


def check_ajv(tap, gens, objects, outdir):
    """ajv's verdicts against validate() of every engine."""
    gen = gens[0]
    files = [os.path.join(outdir, "all.schema.json")]
    with open(files[0], "w") as f:
        json.dump(gen["all"], f)
    for name, doc in gen["each"].items():
        files.append(os.path.join(outdir, "%s.schema.json" % name))
        with open(files[-1], "w") as f:
            json.dump(doc, f)
    cases_path = os.path.join(outdir, "cases.json")
    with open(cases_path, "w") as f:
        json.dump(objects, f)
    r = node("ajv", *files, "--", cases_path)
    bad = [c["id"] for c in r["compiled"] if not c["ok"]]
    tap.check("ajv compiles every generated schema (%d documents and $defs entries)"
              % len(r["compiled"]), not bad, "\n".join(bad))
    tap.check("ajv (strict mode) prints no warning", not r["warnings"], "\n".join(r["warnings"]))
    valid = 0
    for g in gens:
        for o, mine, theirs in zip(objects, g["verdicts"], r["verdicts"]):
            rex_ok = mine == []
            rex_fields = sorted(set(v["path"] for v in mine))
            desc = "%s: %s: ajv and validate() %s" % (g["engine"], o["note"],
                                                       "differ as documented" if "known" in o
                                                       else "agree (%s)" % ("valid" if rex_ok else "invalid"))
            if "known" in o:
                tap.check(desc, theirs["valid"] != rex_ok, o["known"])
                continue
            valid += rex_ok
            problems = []
            if theirs["valid"] != rex_ok or theirs["fields"] != rex_fields:
                problems.append("validate(): %s\najv: valid=%s fields=%s"
                                % (json.dumps(mine), theirs["valid"], theirs["fields"]))
            if theirs["valid_no_formats"] != rex_ok or theirs["fields_no_formats"] != rex_fields:
                problems.append("ajv without formats: valid=%s fields=%s"
                                % (theirs["valid_no_formats"], theirs["fields_no_formats"]))
            tap.check(desc, not problems, "\n".join(problems))
    n = len(objects) * len(gens)
    tap.check("the objects include both verdicts (%d valid, %d invalid)" % (valid, n - valid),
              valid >= 50 and n - valid >= 100)


def check_ts(tap, gen, outdir):
    tsc = os.path.join(HERE, "node_modules", ".bin", "tsc")
    schema = os.path.join(outdir, "schema.ts")
    with open(schema, "w") as f:
        f.write(gen["ts"])
    tsdir = os.path.join(HERE, "ts")
    for extra in ([], ["--exactOptionalPropertyTypes", "--noUncheckedIndexedAccess",
                       "--noImplicitReturns", "--noUnusedLocals"]):
        use = os.path.join(outdir, "use.ts")
        with open(os.path.join(tsdir, "use.ts")) as src, open(use, "w") as dst:
            dst.write(src.read())
        r = subprocess.run([tsc, "--strict", "--noEmit", "--target", "es2020", "--module",
                            "commonjs"] + extra + [schema, use],
                           capture_output=True, text=True, timeout=300)
        tap.check("tsc --strict %scompiles typescript() and a file using it"
                  % (" ".join(extra) + " " if extra else ""),
                  r.returncode == 0, r.stdout + r.stderr)
    for name in sorted(os.listdir(tsdir)):
        if not name.startswith("fail_"):
            continue
        with open(os.path.join(tsdir, name)) as src:
            text = src.read()
        want = text.splitlines()[0].split("expect:")[1].strip()
        path = os.path.join(outdir, name)
        with open(path, "w") as dst:
            dst.write(text)
        r = subprocess.run([tsc, "--strict", "--noEmit", "--target", "es2020", "--module",
                            "commonjs", schema, path], capture_output=True, text=True, timeout=300)
        tap.check("tsc refuses %s (%s)" % (name, want),
                  r.returncode != 0 and want in r.stdout, r.stdout + r.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sqlite-module", required=True)
    ap.add_argument("--pg")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    tap = Tap()
    with open(os.path.join(HERE, "fixture.json")) as f:
        fixture = json.load(f)
    objects = cases_mod.cases()
    tmp = tempfile.mkdtemp(prefix="rex-reference-")
    outdir = args.out or tmp
    os.makedirs(outdir, exist_ok=True)
    engines = [Sqlite(args.sqlite_module, tmp)]
    if args.pg:
        if psycopg2 is None:
            tap.check("psycopg2 is installed", False)
        else:
            engines.append(Pg(args.pg))
    gens = []
    for engine in engines:
        g = generate(tap, engine, fixture, objects)
        engine.close()
        if g:
            g["engine"] = engine.name
            gens.append(g)
    if not gens:
        tap.finish()
        return 1
    if len(gens) == 2:
        a, b = gens
        tap.check("both engines give the same graphql_schema() text", a["sdl"] == b["sdl"])
        tap.check("both engines give the same typescript() text", a["ts"] == b["ts"])
        tap.check("both engines give the same json_schema() value", a["all"] == b["all"])
        tap.check("both engines give the same json_schema(entity) values", a["each"] == b["each"])
    tap.check("the fixture has at least 10 entities", len(fixture["entities"]) >= 10)
    check_graphql(tap, gens[0], outdir)
    check_ajv(tap, gens, objects, outdir)
    check_ts(tap, gens[0], outdir)
    tap.finish()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
