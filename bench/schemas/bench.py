#!/usr/bin/python3
"""Benchmark of the generated schemas (bench/schemas/run.sh runs it).

For catalogs of 10, 100 and 1000 entities (8 columns of varied types and
rules, an enum, a belongs_to to the previous entity and its has_many back),
on both engines:

  - define: the time to define the whole catalog (define_entity checks
    each new entity against every defined one, so this grows faster
    than linearly), and the last define_entity alone;
  - graphql_schema(), json_schema(), typescript(): median time of a call;
    the time per entity shows whether growth is linear;
  - the floor: reading the catalog's definitions with plain SQL;
  - the tool a user would otherwise run on the same schema: graphql-js
    buildSchema + printSchema of the SDL (node, in-process timing).

Results go to a Markdown file with the machine, versions and date.
"""
import argparse
import datetime
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import tempfile
import time

import psycopg2

SIZES = (10, 100, 1000)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def entity(i, n):
    cols = {
        "id": {"type": "id"},
        "name": {"type": "string", "max_length": 80, "nullable": False,
                 "validate": {"min_length": 1, "pattern": "^[A-Za-z ]+$"}},
        "email": {"type": "string", "validate": {"format": "email"}},
        "age": {"type": "integer", "validate": {"min": 0, "max": 150}},
        "price": {"type": "decimal", "precision": 10, "scale": 2, "validate": {"min": 0}},
        "status": {"type": "enum", "values": ["new", "in progress", "done"], "default": "new"},
        "created_at": {"type": "timestamp", "default": "now"},
        "meta": {"type": "json"},
    }
    d = {"table": "t%04d" % i, "columns": cols}
    rel = {}
    if i > 0:
        rel["parent"] = {"kind": "belongs_to", "entity": "e%04d" % (i - 1), "foreign_key": "parent_id"}
    if i + 1 < n:
        rel["children"] = {"kind": "has_many", "entity": "e%04d" % (i + 1), "foreign_key": "parent_id"}
    d["relations"] = rel
    return "e%04d" % i, d


def timed(fn, runs):
    times = []
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


class Sqlite:
    name = "SQLite"

    def __init__(self, module, path):
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.enable_load_extension(True)
        self.conn.load_extension(module)

    def call(self, fn, *args):
        return self.conn.execute("SELECT rex_%s(%s)" % (fn, ", ".join("?" * len(args))), args).fetchone()[0]

    def floor(self):
        return self.conn.execute("SELECT definition FROM rex_entities").fetchall()


class Pg:
    name = "PostgreSQL"

    def __init__(self, conninfo, db):
        admin = psycopg2.connect(conninfo + " dbname=postgres")
        admin.autocommit = True
        admin.cursor().execute("DROP DATABASE IF EXISTS " + db)
        admin.cursor().execute("CREATE DATABASE " + db)
        admin.close()
        self.conn = psycopg2.connect(conninfo + " dbname=" + db)
        self.conn.autocommit = True
        self.conn.cursor().execute("CREATE EXTENSION rex_orm")

    def call(self, fn, *args):
        types = {"define_entity": "(%s, %s::jsonb)", "json_schema": "()", "graphql_schema": "()",
                 "typescript": "()"}[fn]
        cur = self.conn.cursor()
        cur.execute("SELECT rex.%s%s::text" % (fn, types), args)
        return cur.fetchone()[0]

    def floor(self):
        cur = self.conn.cursor()
        cur.execute("SELECT definition::text FROM rex.entities")
        return cur.fetchall()


def graphql_js(sdl, runs):
    script = (
        "const g=require('graphql');const fs=require('fs');const s=fs.readFileSync(0,'utf8');"
        "const t=[];for(let i=0;i<%d;i++){const a=process.hrtime.bigint();"
        "g.printSchema(g.buildSchema(s));t.push(Number(process.hrtime.bigint()-a)/1e9);}"
        "t.sort((a,b)=>a-b);console.log(t[Math.floor(t.length/2)]);" % runs)
    env = dict(os.environ, NODE_PATH=os.path.join(ROOT, "test", "reference", "node_modules"))
    r = subprocess.run(["node", "-e", script], input=sdl, capture_output=True, text=True, env=env)
    return float(r.stdout.strip()) if r.returncode == 0 else None


def run(engine, n, runs):
    defs = [entity(i, n) for i in range(n)]
    t0 = time.perf_counter()
    for name, d in defs[:-1]:
        engine.call("define_entity", name, json.dumps(d))
    t_last = time.perf_counter()
    engine.call("define_entity", defs[-1][0], json.dumps(defs[-1][1]))
    t1 = time.perf_counter()
    row = {"define_all": t1 - t0, "define_last": t1 - t_last}
    row["floor"], _ = timed(engine.floor, runs)
    row["graphql"], sdl = timed(lambda: engine.call("graphql_schema"), runs)
    row["json"], js = timed(lambda: engine.call("json_schema"), runs)
    row["ts"], ts = timed(lambda: engine.call("typescript"), runs)
    row["sizes"] = (len(sdl), len(js), len(ts))
    row["sdl"] = sdl
    return row


def fmt_ms(s):
    return "%.1f" % (s * 1000) if s is not None else "n/a"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sqlite-module", required=True)
    ap.add_argument("--pg", required=True)
    ap.add_argument("--pg-version", default="")
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="rex-bench-schemas-")
    rows = []
    for n in SIZES:
        for make in (lambda: Sqlite(args.sqlite_module, os.path.join(tmp, "s%d.db" % n)),
                     lambda: Pg(args.pg, "rex_bench_schemas_%d" % n)):
            e = make()
            r = run(e, n, args.runs)
            r["engine"], r["n"] = e.name, n
            r["graphql_js"] = graphql_js(r.pop("sdl"), args.runs)
            rows.append(r)
            print("%-10s %5d entities: define all %.2fs (last %.1f ms), graphql %.1f ms, json %.1f ms, "
                  "ts %.1f ms, floor %.1f ms, graphql-js %s ms" % (
                      e.name, n, r["define_all"], r["define_last"] * 1000, r["graphql"] * 1000,
                      r["json"] * 1000, r["ts"] * 1000, r["floor"] * 1000, fmt_ms(r["graphql_js"])),
                  flush=True)
    write(args, rows)


def write(args, rows):
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Generated schemas: generation time by catalog size",
        "",
        "`make bench` (bench/schemas/run.sh); %s; %s, %d CPUs; %s; SQLite %s; node %s; "
        "graphql-js 16 (test/reference/package-lock.json). Median of %d calls." % (
            datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            platform.platform(), os.cpu_count(), args.pg_version.strip(), sqlite3.sqlite_version,
            node, args.runs),
        "",
        "Each entity: 8 columns (string with pattern, email, integer range, decimal, enum, "
        "timestamp, json), a belongs_to to the previous entity and a has_many to the next. "
        "Times in milliseconds; *per entity* is the call's time divided by the number of "
        "entities (flat = linear growth).",
        "",
        "| engine | entities | graphql_schema() | per entity | json_schema() | per entity | "
        "typescript() | per entity | plain SQL read of the catalog | graphql-js buildSchema+printSchema "
        "of the same SDL | SDL / JSON / TS size (kB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        n = r["n"]
        lines.append("| %s | %d | %s | %.3f | %s | %.3f | %s | %.3f | %s | %s | %d / %d / %d |" % (
            r["engine"], n, fmt_ms(r["graphql"]), r["graphql"] * 1000 / n, fmt_ms(r["json"]),
            r["json"] * 1000 / n, fmt_ms(r["ts"]), r["ts"] * 1000 / n, fmt_ms(r["floor"]),
            fmt_ms(r["graphql_js"]), r["sizes"][0] // 1024, r["sizes"][1] // 1024, r["sizes"][2] // 1024))
    lines += [
        "",
        "Defining the catalog (define_entity checks each new entity's table, index and generated "
        "API names against every defined entity, and plans it with all of them):",
        "",
        "| engine | entities | define all (s) | last define_entity (ms) |",
        "|---|---:|---:|---:|",
    ]
    for r in rows:
        lines.append("| %s | %d | %.2f | %s |" % (r["engine"], r["n"], r["define_all"],
                                                  fmt_ms(r["define_last"])))
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
