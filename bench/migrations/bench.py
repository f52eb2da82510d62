"""Migration benchmarks of rex_orm (run by bench/migrations/run.sh).

1. 200 versioned migrations (each: a table of three columns and an
   index) on SQLite and PostgreSQL: rex_orm (register + migrate()) vs
   `sqitch deploy` of the same 200 changes vs the floor (the same DDL as
   one script in one transaction).  Target: rex <= 0.5x sqitch.
2. SQLite: change the type of a column of a 1,000,000-row table with two
   indexes, a trigger and a child table (ON DELETE CASCADE, 100,000 rows):
   rex_orm vs sqlite-utils transform vs the hand-written rebuild, each on
   an identical copy of the database, with foreign keys enforced on the
   connection as an application would have them.  Target: rex <= 1.0x
   sqlite-utils; rows, indexes, triggers and child rows checked after.

Wall time and peak memory (max RSS) of each run come from /usr/bin/time.
Writes a Markdown report to the path given as the first argument.
"""
import datetime
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

REPORT = sys.argv[1]
MODULE = os.path.abspath(sys.argv[2])          # ./rex_orm (SQLite module)
PGENV = json.loads(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
N = int(os.environ.get("BENCH_MIGRATIONS", "200"))
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
CHILDREN = int(os.environ.get("BENCH_CHILDREN", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
TMP = tempfile.mkdtemp(prefix="rex-bench-")
lines = []


def out(s=""):
    print(s, flush=True)
    lines.append(s)


def timed(cmd, env=None, stdin=None):
    """Runs cmd; returns (seconds, max RSS in MiB, stdout)."""
    tf = os.path.join(TMP, "time.txt")
    full = ["/usr/bin/time", "-f", "%M", "-o", tf] + cmd
    t0 = time.monotonic()
    p = subprocess.run(full, env=env, stdin=stdin, capture_output=True, text=True)
    secs = time.monotonic() - t0
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s %s" % (cmd[0], p.stdout[-2000:], p.stderr[-2000:]))
    with open(tf) as f:
        kb = f.read().split()[-1]
    return secs, int(kb) / 1024.0, p.stdout


def best(runs):
    return min(runs, key=lambda r: r[0])


# ---------------------------------------------------------------- versioned

def ddl(i):
    return ("CREATE TABLE m%03d (id integer PRIMARY KEY, a text, b integer);\n"
            "CREATE INDEX m%03d_a ON m%03d (a);\n" % (i, i, i))


def sql_literal(s):
    return "'" + s.replace("'", "''") + "'"


def sqitch_project(path, engine):
    os.makedirs(os.path.join(path, "deploy"))
    os.makedirs(os.path.join(path, "revert"))
    os.makedirs(os.path.join(path, "verify"))
    with open(os.path.join(path, "sqitch.conf"), "w") as f:
        f.write("[core]\n\tengine = %s\n\tplan_file = sqitch.plan\n\ttop_dir = .\n" % engine)
    with open(os.path.join(path, "sqitch.plan"), "w") as f:
        f.write("%syntax-version=1.0.0\n%project=bench\n\n")
        for i in range(1, N + 1):
            f.write("m%03d 2026-01-01T00:00:%02dZ Bench <bench@example.org> # table m%03d\n" % (i, i % 60, i))
    for i in range(1, N + 1):
        with open(os.path.join(path, "deploy", "m%03d.sql" % i), "w") as f:
            f.write("BEGIN;\n" + ddl(i) + "COMMIT;\n")
        with open(os.path.join(path, "revert", "m%03d.sql" % i), "w") as f:
            f.write("BEGIN;\nDROP TABLE m%03d;\nCOMMIT;\n" % i)
        with open(os.path.join(path, "verify", "m%03d.sql" % i), "w") as f:
            f.write("SELECT 1;\n")


def versioned_sqlite():
    out("### %d versioned migrations, SQLite %s" % (N, sqlite3.sqlite_version))
    results = {"rex": [], "rex_migrate": [], "sqitch": [], "floor": []}
    for r in range(REPEAT):
        d = os.path.join(TMP, "v%d" % r)
        os.makedirs(d)
        # rex: register (one transaction), then migrate()
        reg = os.path.join(d, "register.sql")
        with open(reg, "w") as f:
            f.write(".load %s\nBEGIN;\n" % MODULE)
            for i in range(1, N + 1):
                f.write("SELECT count(rex_add_migration('%03d', %s, %s));\n"
                        % (i, sql_literal(ddl(i)), sql_literal("DROP TABLE m%03d" % i)))
            f.write("COMMIT;\n.output /dev/null\nSELECT rex_migrate();\n")
        with open(reg) as stdin:
            results["rex"].append(timed(["sqlite3", os.path.join(d, "rex.db")], stdin=stdin))
        # migrate() alone, on a database where the scripts are registered
        reg2 = os.path.join(d, "register2.sql")
        with open(reg2, "w") as f:
            f.write(open(reg).read().replace("SELECT rex_migrate();\n", ""))
        with open(reg2) as stdin:
            subprocess.run(["sqlite3", os.path.join(d, "rex2.db")], stdin=stdin, check=True,
                           capture_output=True)
        results["rex_migrate"].append(timed(["sqlite3", os.path.join(d, "rex2.db"), ".load " + MODULE,
                                             ".output /dev/null", "SELECT rex_migrate()"]))
        # sqitch
        proj = os.path.join(d, "sqitch")
        sqitch_project(proj, "sqlite")
        env = dict(os.environ)
        results["sqitch"].append(timed(["sqitch", "--chdir", proj, "deploy", "--quiet",
                                        "db:sqlite:" + os.path.join(d, "sqitch.db")], env=env))
        # floor
        floor = os.path.join(d, "floor.sql")
        with open(floor, "w") as f:
            f.write("BEGIN;\n" + "".join(ddl(i) for i in range(1, N + 1)) + "COMMIT;\n")
        with open(floor) as stdin:
            results["floor"].append(timed(["sqlite3", os.path.join(d, "floor.db")], stdin=stdin))
        check = sqlite3.connect(os.path.join(d, "rex.db"))
        n = check.execute("SELECT count(*) FROM rex_migrations WHERE state = 'applied'").fetchone()[0]
        t = check.execute("SELECT count(*) FROM sqlite_schema WHERE name GLOB 'm[0-9]*' AND type = 'table'").fetchone()[0]
        if n != N or t != N:
            raise RuntimeError("rex applied %d migrations, %d tables" % (n, t))
    return report_versioned(results)


def versioned_pg():
    out("### %d versioned migrations, PostgreSQL %s" % (N, PGENV["version"]))
    env = dict(os.environ)
    env.update({"PGHOST": PGENV["host"], "PGPORT": str(PGENV["port"]), "PGUSER": PGENV["user"]})
    results = {"rex": [], "rex_migrate": [], "sqitch": [], "floor": []}

    def psql(db, *args, **kw):
        return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db] + list(args),
                              env=env, check=True, capture_output=True, text=True, **kw)

    for r in range(REPEAT):
        for db in ("b_rex", "b_rex2", "b_sqitch", "b_floor"):
            psql("postgres", "-c", "DROP DATABASE IF EXISTS %s" % db, "-c", "CREATE DATABASE %s" % db)
        psql("b_rex", "-c", "CREATE EXTENSION rex_orm")
        psql("b_rex2", "-c", "CREATE EXTENSION rex_orm")
        d = os.path.join(TMP, "pg%d" % r)
        os.makedirs(d)
        reg = os.path.join(d, "register.sql")
        with open(reg, "w") as f:
            f.write("BEGIN;\n")
            for i in range(1, N + 1):
                f.write("SELECT count(rex.add_migration('%03d', %s, %s));\n"
                        % (i, sql_literal(ddl(i)), sql_literal("DROP TABLE m%03d" % i)))
            f.write("COMMIT;\n")
        mig = os.path.join(d, "migrate.sql")
        with open(mig, "w") as f:
            f.write(open(reg).read() + "SELECT count(rex.migrate());\n")
        results["rex"].append(timed(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "b_rex", "-f", mig], env=env))
        psql("b_rex2", "-f", reg)
        results["rex_migrate"].append(timed(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "b_rex2", "-c",
                                             "SELECT count(rex.migrate())"], env=env))
        proj = os.path.join(d, "sqitch")
        sqitch_project(proj, "pg")
        results["sqitch"].append(timed(["sqitch", "--chdir", proj, "deploy", "--quiet", "db:pg:b_sqitch"], env=env))
        floor = os.path.join(d, "floor.sql")
        with open(floor, "w") as f:
            f.write("".join(ddl(i) for i in range(1, N + 1)))
        results["floor"].append(timed(["psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", "b_floor", "-f", floor], env=env))
        n = psql("b_rex", "-At", "-c", "SELECT count(*) FROM rex.migrations WHERE state = 'applied'").stdout.strip()
        if int(n) != N:
            raise RuntimeError("rex applied %s migrations" % n)
    for db in ("b_rex", "b_rex2", "b_sqitch", "b_floor"):
        psql("postgres", "-c", "DROP DATABASE IF EXISTS %s" % db)
    return report_versioned(results)


def report_versioned(results):
    b = {k: best(v) for k, v in results.items()}
    out("")
    out("| run (best of %d) | wall time | peak RSS | vs sqitch | vs floor |" % REPEAT)
    out("|---|---:|---:|---:|---:|")
    for key, label in (("rex", "rex_orm: add_migration x%d + migrate()" % N),
                       ("rex_migrate", "rex_orm: migrate() alone (scripts registered)"),
                       ("sqitch", "sqitch deploy"), ("floor", "floor: the same DDL, one script")):
        s, m, _ = b[key]
        out("| %s | %.3f s | %.1f MiB | %.2fx | %.2fx |" % (label, s, m, s / b["sqitch"][0], s / b["floor"][0]))
    ratio = b["rex"][0] / b["sqitch"][0]
    out("")
    out("Target rex <= 0.5x sqitch: **%s** (%.2fx)." % ("met" if ratio <= 0.5 else "missed", ratio))
    out("")
    return ratio


# ---------------------------------------------------------------- rebuild

ITEM = {"table": "items", "columns": [
    {"name": "id", "type": "id"},
    {"name": "name", "type": "string", "max_length": 40},
    {"name": "n", "type": "integer"},
    {"name": "cat", "type": "integer"},
    {"name": "note", "type": "text"}],
    "indexes": [{"columns": ["name"]}, {"columns": ["cat"]}]}


def prepare_rebuild_db(path):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.enable_load_extension(True)
    conn.load_extension(MODULE)
    conn.execute("SELECT rex_define_entity('item', ?)", (json.dumps(ITEM),))
    conn.execute("SELECT rex_migrate()")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO items (name, n, cat, note) "
                 "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) "
                 "SELECT 'name ' || i, i % 100000, i % 97, 'note ' || i FROM s", (ROWS,))
    conn.execute("CREATE TABLE children (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES items (id) "
                 "ON DELETE CASCADE, v TEXT)")
    conn.execute("INSERT INTO children (item_id, v) "
                 "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) "
                 "SELECT i * 7, 'child ' || i FROM s", (CHILDREN,))
    conn.execute("CREATE TABLE audit (item_id INTEGER, at TEXT)")
    conn.execute("CREATE TRIGGER items_audit AFTER UPDATE ON items BEGIN "
                 "INSERT INTO audit VALUES (NEW.id, 'x'); END")
    conn.execute("COMMIT")
    conn.close()


def census(path):
    c = sqlite3.connect(path)
    r = {
        "rows": c.execute("SELECT count(*) FROM items").fetchone()[0],
        "indexes": c.execute("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'items' AND sql IS NOT NULL").fetchone()[0],
        "triggers": c.execute("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'items'").fetchone()[0],
        "children": c.execute("SELECT count(*) FROM children").fetchone()[0],
        "children_linked": c.execute("SELECT count(*) FROM children WHERE item_id IS NOT NULL").fetchone()[0],
        "fk_violations": len(c.execute("PRAGMA foreign_key_check").fetchall()),
        "n_type": c.execute("SELECT type FROM pragma_table_info('items') WHERE name = 'n'").fetchone()[0],
        "strict": c.execute("SELECT strict FROM pragma_table_list WHERE name = 'items'").fetchone()[0],
        "checks": c.execute("SELECT sql FROM sqlite_schema WHERE name = 'items'").fetchone()[0].count("CHECK"),
    }
    c.close()
    return r


REX_CHANGE = dict(ITEM, columns=[dict(c, type="float") if c["name"] == "n" else c for c in ITEM["columns"]])

HAND = """PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE new_items (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "name" TEXT CONSTRAINT "items_name_max_length" CHECK (length("name") <= 40),
  "n" REAL,
  "cat" INTEGER CONSTRAINT "items_cat_type" CHECK ("cat" BETWEEN -2147483648 AND 2147483647),
  "note" TEXT
) STRICT;
INSERT INTO new_items (id, name, n, cat, note) SELECT id, name, CAST(n AS REAL), cat, note FROM items;
DROP TABLE items;
ALTER TABLE new_items RENAME TO items;
CREATE INDEX "items_name_idx" ON "items" ("name");
CREATE INDEX "items_cat_idx" ON "items" ("cat");
CREATE TRIGGER items_audit AFTER UPDATE ON items BEGIN INSERT INTO audit VALUES (NEW.id, 'x'); END;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
"""

SQLITE_UTILS = """import sys, sqlite_utils
db = sqlite_utils.Database(sys.argv[1])
db.execute("PRAGMA foreign_keys = ON")
db["items"].transform(types={"n": float})
if len(sys.argv) > 2:
    # like for like: recreate what transform dropped (indexes, trigger)
    with db.conn:
        db.execute('CREATE INDEX "items_name_idx" ON "items" ("name")')
        db.execute('CREATE INDEX "items_cat_idx" ON "items" ("cat")')
        db.execute("CREATE TRIGGER items_audit AFTER UPDATE ON items BEGIN INSERT INTO audit VALUES (NEW.id, 'x'); END")
"""


def rebuild():
    out("### SQLite: type change of a column, %d rows, 2 indexes, a trigger, a child table of %d rows (ON DELETE CASCADE)" % (ROWS, CHILDREN))
    base = os.path.join(TMP, "base.db")
    prepare_rebuild_db(base)
    before = census(base)
    out("")
    out("before: %s" % json.dumps(before))
    results = {"rex": [], "sqlite_utils": [], "sqlite_utils_whole": [], "hand": []}
    after = {}
    for r in range(REPEAT):
        for key in results:
            path = os.path.join(TMP, "%s%d.db" % (key, r))
            shutil.copy(base, path)
            if key == "rex":
                cmd = ["sqlite3", path, ".load " + MODULE, "PRAGMA foreign_keys = ON",
                       ".output /dev/null", "SELECT rex_define_entity('item', '%s')" % json.dumps(REX_CHANGE),
                       ".output stdout", "SELECT rex_migrate() ->> 'status'"]
            elif key == "sqlite_utils":
                cmd = [sys.executable, "-c", SQLITE_UTILS, path]
            elif key == "sqlite_utils_whole":
                cmd = [sys.executable, "-c", SQLITE_UTILS, path, "recreate"]
            else:
                cmd = ["sqlite3", path]
            if key == "hand":
                hp = os.path.join(TMP, "hand.sql")
                with open(hp, "w") as f:
                    f.write(HAND)
                with open(hp) as stdin:
                    res = timed(cmd, stdin=stdin)
            else:
                res = timed(cmd)
            if key == "rex" and res[2].strip() != "applied":
                raise RuntimeError("rex did not apply: %s" % res[2])
            results[key].append(res)
            after[key] = census(path)
            os.remove(path)
    b = {k: best(v) for k, v in results.items()}
    out("")
    out("| run (best of %d) | wall time | peak RSS | vs sqlite-utils | vs hand-written | rows | indexes | triggers | child rows | children still linked | FK violations | n type | STRICT | CHECKs |" % REPEAT)
    out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for key, label in (("rex", "rex_orm migrate()"), ("sqlite_utils", "sqlite-utils transform (Python API, foreign keys on)"),
                       ("sqlite_utils_whole", "sqlite-utils transform, then recreating the indexes and trigger it dropped"),
                       ("hand", "hand-written 12-step rebuild")):
        s, m, _ = b[key]
        a = after[key]
        out("| %s | %.3f s | %.1f MiB | %.2fx | %.2fx | %d | %d | %d | %d | %d | %d | %s | %d | %d |" % (
            label, s, m, s / b["sqlite_utils"][0], s / b["hand"][0], a["rows"], a["indexes"], a["triggers"],
            a["children"], a["children_linked"], a["fk_violations"], a["n_type"], a["strict"], a["checks"]))
    lost = {k: {f: before[f] - after[k][f] for f in ("rows", "indexes", "triggers", "children", "children_linked")}
            for k in after}
    out("")
    out("Lost compared with before (rows, indexes, triggers, child rows, child links): " + json.dumps(lost))
    ratio = b["rex"][0] / b["sqlite_utils"][0]
    out("")
    out("Target rex <= 1.0x sqlite-utils: **%s** (%.2fx); rex lost nothing: **%s**." % (
        "met" if ratio <= 1.0 else "missed", ratio, "yes" if not any(lost["rex"].values()) else "NO"))
    out("")
    out("What limits it: rex does the whole rebuild -- the STRICT table with its CHECKs (checked for "
        "every copied row), both indexes built again, the trigger, foreign keys checked before and "
        "after -- and runs as fast as the hand-written rebuild (%.2fx).  sqlite-utils %s transform "
        "copies into a plain table without the CHECKs or STRICT and drops the indexes and the trigger "
        "(sqlite-utils#611), so it does less work; made whole again it takes %.2fx of rex's time."
        % (b["rex"][0] / b["hand"][0], "3.30 (Debian 12)", b["sqlite_utils_whole"][0] / b["rex"][0]))
    out("")
    return ratio, lost


def main():
    out("# Migration benchmarks")
    out("")
    out("- date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    out("- machine: %s, %s, %d CPUs, %s" % (platform.node(), cpu, os.cpu_count(), platform.platform()))
    out("- versions: rex_orm %s; SQLite %s; %s; %s; %s; PostgreSQL %s" % (
        subprocess.run(["sqlite3", ":memory:", ".load " + MODULE, "SELECT rex_version()"], capture_output=True, text=True).stdout.strip(),
        sqlite3.sqlite_version,
        subprocess.run(["sqitch", "--version"], capture_output=True, text=True).stdout.strip(),
        "sqlite-utils " + __import__("sqlite_utils").__version__ if hasattr(__import__("sqlite_utils"), "__version__") else
        subprocess.run(["sqlite-utils", "--version"], capture_output=True, text=True).stdout.strip(),
        "Python " + platform.python_version(),
        PGENV["version"] if PGENV else "not run"))
    out("- settings: SQLite defaults (rollback journal, synchronous FULL); PostgreSQL throwaway cluster, fsync off (as in make test); best of %d runs each" % REPEAT)
    out("")
    versioned_sqlite()
    if PGENV:
        versioned_pg()
    rebuild()
    with open(REPORT, "w") as f:
        f.write("\n".join(lines) + "\n")
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
