#!/usr/bin/python3
"""Plays the change-feed scenarios (test/conformance/changes/changes_*.json)
on PostgreSQL and SQLite and compares what each engine answers.

    changes_runner.py --sqlite-module PATH --pg "host=... port=... user=..."

A scenario is {"name", "description", "steps": [...]}; each step is one of

    {"define": [entity, definition]}          rex define_entity
    {"migrate": options}                      rex migrate (answer not compared)
    {"sql": text | {"postgresql": text, "sqlite": text}, "conn": "a"}
                                              plain SQL, several statements
                                              allowed; "error": true when it
                                              must fail on both engines
    {"changes_since": [cursor, entities, limit], "conn": "b", "expect": [...]}
                                              ("error": true: refused on both,
                                              with the same message)
    {"prune": before_id}                      prune_changes (answer compared)
    {"error": [entity, definition]}           a definition both must refuse
                                              with the same message

"conn" names a connection (default "main"); the answers of changes_since,
prune and error steps are collected per engine and compared as JSON
values, after removing "tx" and "at" and numbering ids by rank (PostgreSQL
sequences do not give back the ids of rolled-back writes; SQLite's
AUTOINCREMENT does).  "expect" (optional) is a list of events, checked on
both engines, each compared on the keys it gives.  Prints TAP.
"""
import argparse
import glob
import json
import os
import sqlite3
import sys
import tempfile

import psycopg2

HERE = os.path.dirname(os.path.abspath(__file__))
results = []


def ok(cond, name, diag=None):
    results.append(bool(cond))
    print(("ok %d - %s" if cond else "not ok %d - %s") % (len(results), name))
    if not cond and diag is not None:
        for line in json.dumps(diag, indent=1, default=str).splitlines()[:40]:
            print("#   " + line)


class PG:
    engine = "postgresql"

    def __init__(self, dsn, dbname):
        admin = psycopg2.connect(dsn + " dbname=postgres")
        admin.autocommit = True
        with admin.cursor() as c:
            c.execute("DROP DATABASE IF EXISTS " + dbname + " WITH (FORCE)")
            c.execute("CREATE DATABASE " + dbname)
        admin.close()
        self.dsn = dsn + " dbname=" + dbname
        self.conns = {}
        self.run("main", "CREATE EXTENSION rex_orm")

    def conn(self, name):
        if name not in self.conns:
            c = psycopg2.connect(self.dsn)
            c.autocommit = True
            self.conns[name] = c
        return self.conns[name]

    def run(self, name, sql, args=()):
        with self.conn(name).cursor() as c:
            c.execute(sql, args)
            return c.fetchall() if c.description else None

    def define(self, name, entity, definition):
        return self.run(name, "SELECT rex.define_entity(%s, %s)", (entity, json.dumps(definition)))[0][0]

    def migrate(self, name, options):
        return self.run(name, "SELECT rex.migrate(%s)", (json.dumps(options),))[0][0]

    def since(self, name, cursor, entities=None, limit=1000):
        return [r[0] for r in self.run(name, "SELECT e FROM rex.changes_since(%s, %s, %s) AS e",
                                       (cursor, entities, limit))]

    def prune(self, name, before):
        return self.run(name, "SELECT rex.prune_changes(%s)", (before,))[0][0]

    def error_message(self, exc):
        return exc.diag.message_primary if hasattr(exc, "diag") else str(exc)

    def close(self):
        for c in self.conns.values():
            c.close()


class SQLite:
    engine = "sqlite"

    def __init__(self, module, path):
        self.module = module
        self.path = path
        self.conns = {}

    def conn(self, name):
        if name not in self.conns:
            c = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            c.enable_load_extension(True)
            c.load_extension(self.module)
            self.conns[name] = c
        return self.conns[name]

    def run(self, name, sql, args=()):
        if args:
            return self.conn(name).execute(sql, args).fetchall()
        # statement by statement: executescript() would COMMIT an open
        # transaction first, and a scenario may span steps with one
        stmt = ""
        for part in sql.split(";"):
            stmt += part + ";"
            if sqlite3.complete_statement(stmt):
                if stmt.strip(" ;\n"):
                    self.conn(name).execute(stmt)
                stmt = ""
        return None

    def define(self, name, entity, definition):
        return json.loads(self.run(name, "SELECT rex_define_entity(?, ?)", (entity, json.dumps(definition)))[0][0])

    def migrate(self, name, options):
        return json.loads(self.run(name, "SELECT rex_migrate(?)", (json.dumps(options),))[0][0])

    def since(self, name, cursor, entities=None, limit=1000):
        return json.loads(self.run(name, "SELECT rex_changes_since(?, ?, ?)",
                                   (cursor, json.dumps(entities) if entities is not None else None,
                                    limit))[0][0])

    def prune(self, name, before):
        return json.loads(self.run(name, "SELECT rex_prune_changes(?)", (before,))[0][0])

    def error_message(self, exc):
        msg = str(exc).split("\n")[0]
        return msg[5:] if msg.startswith("rex: ") else msg

    def close(self):
        for c in self.conns.values():
            c.close()


def normalise(events, ranks):
    """Drops tx and at; replaces ids by their rank among all ids seen."""
    out = []
    for e in events:
        e = dict(e)
        e.pop("tx", None)
        e.pop("at", None)
        e["id"] = ranks.setdefault(e["id"], len(ranks) + 1)
        out.append(e)
    return out


def matches(event, want):
    return all(event.get(k) == v for k, v in want.items())


def play(db, scenario):
    """Runs the steps on one engine; returns (answers, problems)."""
    answers = []
    problems = []
    ranks = {}
    for i, step in enumerate(scenario["steps"]):
        name = step.get("conn", "main")
        try:
            if "define" in step:
                db.define(name, *step["define"])
            elif "migrate" in step:
                ans = db.migrate(name, step["migrate"])
                if ans.get("status") not in ("applied", "up_to_date"):
                    problems.append("step %d: migrate answered %s" % (i, ans))
            elif "sql" in step:
                sql = step["sql"] if isinstance(step["sql"], str) else step["sql"][db.engine]
                try:
                    db.run(name, sql)
                    if step.get("error"):
                        problems.append("step %d: expected an error" % i)
                except (psycopg2.Error, sqlite3.Error) as e:
                    if not step.get("error"):
                        problems.append("step %d: %s" % (i, e))
            elif "changes_since" in step and step.get("error"):
                try:
                    db.since(name, *step["changes_since"])
                    problems.append("step %d: expected an error" % i)
                except (psycopg2.Error, sqlite3.Error) as e:
                    answers.append(db.error_message(e))
            elif "changes_since" in step:
                got = normalise(db.since(name, *step["changes_since"]), ranks)
                answers.append(got)
                if "expect" in step:
                    want = step["expect"]
                    if len(got) != len(want) or not all(matches(g, w) for g, w in zip(got, want)):
                        problems.append("step %d: expected %s, got %s" % (i, want, got))
            elif "prune" in step:
                answers.append(db.prune(name, step["prune"]))
            elif "error" in step:
                try:
                    db.define(name, *step["error"])
                    problems.append("step %d: definition accepted" % i)
                except (psycopg2.Error, sqlite3.Error) as e:
                    answers.append(db.error_message(e))
        except (psycopg2.Error, sqlite3.Error) as e:
            problems.append("step %d: %s" % (i, e))
    return answers, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sqlite-module", required=True)
    ap.add_argument("--pg", required=True)
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(HERE, "changes", "changes_*.json")))
    tmp = tempfile.mkdtemp(prefix="rex-conformance-")
    for n, path in enumerate(files):
        scenario = json.load(open(path))
        label = "changes: " + scenario["name"]
        pg = PG(args.pg, "rex_conf_changes_%d" % n)
        lite = SQLite(args.sqlite_module, os.path.join(tmp, "%d.db" % n))
        try:
            pa, pp = play(pg, scenario)
            sa, sp = play(lite, scenario)
        finally:
            pg.close()
            lite.close()
        ok(not pp, label + " (postgresql, expected answers)", pp)
        ok(not sp, label + " (sqlite, expected answers)", sp)
        ok(pa == sa and len(pa) > 0, label + " (same answers on both engines)",
           {"postgresql": pa, "sqlite": sa})
    print("1..%d" % len(results))


if __name__ == "__main__":
    main()
