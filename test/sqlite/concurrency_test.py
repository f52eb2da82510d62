"""Concurrent migrators on SQLite (TAP output).

Eight processes call rex_migrate() on the same database file at once:
every versioned script and the entity migration must be applied exactly
once, and every process must answer "applied" or "up_to_date".  A
migrator that cannot take the write lock in time gets SQLITE_BUSY; a
migrator that dies holding it leaves no stale lock behind.

Run by test/run.sh as: /usr/bin/python3 test/sqlite/concurrency_test.py /path/to/rex_orm
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

MODULE = sys.argv[1] if len(sys.argv) > 1 else "./rex_orm"
WORKERS = 8
SCRIPTS = 12
results = []


def check(desc, cond, diag=""):
    results.append((bool(cond), desc, diag))


def connect(path, timeout=5.0):
    conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
    conn.enable_load_extension(True)
    conn.load_extension(MODULE)
    conn.enable_load_extension(False)
    return conn


WORKER = r"""
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5.0)
conn.enable_load_extension(True)
conn.load_extension(sys.argv[2])
sys.stdin.readline()                      # start together
try:
    answer = json.loads(conn.execute("SELECT rex_migrate('{\"lock_timeout_ms\": 60000}')").fetchone()[0])
    print(json.dumps({"status": answer["status"],
                      "versions": [m.get("version") for m in answer["migrations"]]}))
except sqlite3.Error as e:
    print(json.dumps({"error": str(e)}))
"""


def setup(db):
    conn = connect(db)
    for i in range(1, SCRIPTS + 1):
        # each script does some work, so that the migrators overlap
        conn.execute("SELECT rex_add_migration(?, ?, ?)", (
            "%03d" % i,
            "CREATE TABLE s%d (x INTEGER); "
            "INSERT INTO s%d WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 20000) "
            "SELECT v FROM n" % (i, i),
            "DROP TABLE s%d" % i))
    conn.execute("SELECT rex_define_entity('job', ?)", (json.dumps(
        {"columns": {"id": {"type": "id"}, "name": {"type": "text"}}}),))
    conn.close()


def run_workers(db):
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, db, MODULE], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(WORKERS)]
    time.sleep(0.3)
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        try:
            out.append(json.loads(stdout.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            out.append({"error": stdout + stderr})
    return out


def test_exactly_once(tmp):
    db = os.path.join(tmp, "race.db")
    setup(db)
    answers = run_workers(db)
    errors = [a for a in answers if "error" in a]
    check("8 concurrent migrators all answer without error", not errors, json.dumps(errors))
    statuses = sorted(a.get("status", "?") for a in answers)
    check("every migrator answers applied or up_to_date",
          all(s in ("applied", "up_to_date") for s in statuses), json.dumps(statuses))
    applied = [v for a in answers for v in a.get("versions", [])]
    check("the migrators applied each migration once between them",
          sorted(applied) == sorted(["%03d" % i for i in range(1, SCRIPTS + 1)] + ["entities_0001"]),
          json.dumps(applied))
    conn = connect(db)
    rows = conn.execute("SELECT version, count(*) FROM rex_migrations WHERE state = 'applied' "
                        "GROUP BY version HAVING count(*) <> 1").fetchall()
    check("the history has exactly one applied row per version", rows == [], repr(rows))
    total = conn.execute("SELECT count(*) FROM rex_migrations").fetchone()[0]
    check("and no other row (no failure, no duplicate)", total == SCRIPTS + 1, "rows: %d" % total)
    tables = conn.execute("SELECT count(*) FROM sqlite_schema WHERE name GLOB 's[0-9]*'").fetchone()[0]
    check("every script's table exists", tables == SCRIPTS, "tables: %d" % tables)
    status = json.loads(conn.execute("SELECT rex_migration_status()").fetchone()[0])
    check("migration_status is up to date", status["up_to_date"] and status["problems"] == [],
          json.dumps(status))
    conn.close()


def test_busy(tmp):
    db = os.path.join(tmp, "busy.db")
    setup(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    conn = connect(db, timeout=5.0)   # a busy timeout of its own: lock_timeout_ms still rules
    t0 = time.monotonic()
    try:
        conn.execute("SELECT rex_migrate('{\"lock_timeout_ms\": 200}')").fetchone()
        check("a migrator that cannot get the lock in time is refused", False, "it migrated")
    except sqlite3.OperationalError as e:
        waited = time.monotonic() - t0
        check("a migrator that cannot get the lock in time is refused", "migration lock not available" in str(e), str(e))
        check("with SQLITE_BUSY", getattr(e, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY,
              repr(getattr(e, "sqlite_errorcode", None)))
        check("after about lock_timeout_ms, not the connection's busy timeout", 0.15 < waited < 2.0,
              "waited %.3f s" % waited)
    busy = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    check("the connection's busy timeout is restored", busy == 5000, "busy_timeout %d" % busy)
    holder.execute("ROLLBACK")
    answer = json.loads(conn.execute("SELECT rex_migrate()").fetchone()[0])
    check("once the lock is free, it migrates", answer["status"] == "applied", json.dumps(answer)[:300])
    holder.close()
    conn.close()


def test_crashed_holder(tmp):
    db = os.path.join(tmp, "crash.db")
    setup(db)
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sqlite3, sys, time\n"
                               "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                               "c.execute('BEGIN IMMEDIATE')\n"
                               "print('locked', flush=True)\n"
                               "time.sleep(60)\n", db], stdout=subprocess.PIPE, text=True)
    holder.stdout.readline()
    conn = connect(db, timeout=0)
    try:
        conn.execute("SELECT rex_migrate('{\"lock_timeout_ms\": 100}')").fetchone()
        check("while a writer holds the lock, migrate waits and gives up", False)
    except sqlite3.OperationalError as e:
        check("while a writer holds the lock, migrate waits and gives up", "lock not available" in str(e), str(e))
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    answer = json.loads(conn.execute("SELECT rex_migrate('{\"lock_timeout_ms\": 2000}')").fetchone()[0])
    check("a migrator that died holding the lock leaves no stale lock", answer["status"] == "applied",
          json.dumps(answer)[:300])
    conn.close()


def main():
    tmp = tempfile.mkdtemp()
    test_exactly_once(tmp)
    test_busy(tmp)
    test_crashed_holder(tmp)
    print("1..%d" % len(results))
    for i, (ok, desc, diag) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, desc))
        if not ok and diag:
            for line in str(diag).splitlines()[:20]:
                print("#   " + line)


if __name__ == "__main__":
    main()
