"""Concurrent migrators on PostgreSQL (TAP output).

Eight processes call rex.migrate() on the same database at once: every
versioned script and the entity migration must be applied exactly once.
A migrator that cannot take the advisory lock in time gets 55P03, and
while it waits it polls (no ungranted advisory lock appears in pg_locks:
a blocking pg_advisory_lock() waiter is what deadlocks with CREATE INDEX
CONCURRENTLY, flyway#1654).  A migrator killed while holding the lock
leaves no stale lock (it was a transaction-level lock).

Run by test/run.sh as: /usr/bin/python3 test/pg_concurrency.py "host=... port=... user=..."
"""
import json
import subprocess
import sys
import threading
import time

import psycopg2

DSN = sys.argv[1]
DB = "rex_test_concurrency"
WORKERS = 8
SCRIPTS = 12
results = []


def check(desc, cond, diag=""):
    results.append((bool(cond), desc, diag))


def connect(dbname=DB):
    conn = psycopg2.connect(DSN + " dbname=" + dbname)
    conn.autocommit = True
    return conn


WORKER = r"""
import json, sys, psycopg2
conn = psycopg2.connect(sys.argv[1] + " dbname=" + sys.argv[2])
conn.autocommit = True
sys.stdin.readline()
try:
    cur = conn.cursor()
    cur.execute("SELECT rex.migrate('{\"lock_timeout_ms\": 60000}')")
    answer = cur.fetchone()[0]
    print(json.dumps({"status": answer["status"],
                      "versions": [m.get("version") for m in answer["migrations"]]}))
except psycopg2.Error as e:
    print(json.dumps({"error": str(e), "code": e.pgcode}))
"""


def setup():
    admin = connect("postgres")
    admin.cursor().execute("DROP DATABASE IF EXISTS " + DB)
    admin.cursor().execute("CREATE DATABASE " + DB)
    admin.close()
    conn = connect()
    cur = conn.cursor()
    cur.execute("CREATE EXTENSION rex_orm")
    for i in range(1, SCRIPTS + 1):
        cur.execute("SELECT rex.add_migration(%s, %s, %s)", (
            "%03d" % i,
            "CREATE TABLE s%d (x int); INSERT INTO s%d SELECT generate_series(1, 20000); "
            "SELECT pg_sleep(0.02)" % (i, i),
            "DROP TABLE s%d" % i))
    cur.execute("SELECT rex.define_entity('job', %s)",
                (json.dumps({"columns": {"id": {"type": "id"}, "name": {"type": "text"}}}),))
    conn.close()


def test_exactly_once():
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, DSN, DB], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(WORKERS)]
    time.sleep(0.5)
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    answers = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        try:
            answers.append(json.loads(out.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            answers.append({"error": out + err})
    errors = [a for a in answers if "error" in a]
    check("8 concurrent migrators all answer without error", not errors, json.dumps(errors))
    check("every migrator answers applied or up_to_date",
          all(a.get("status") in ("applied", "up_to_date") for a in answers), json.dumps(answers))
    applied = [v for a in answers for v in a.get("versions", [])]
    check("the migrators applied each migration once between them",
          sorted(applied) == sorted(["%03d" % i for i in range(1, SCRIPTS + 1)] + ["entities_0001"]),
          json.dumps(applied))
    cur = connect().cursor()
    cur.execute("SELECT version, count(*) FROM rex.migrations WHERE state = 'applied' "
                "GROUP BY version HAVING count(*) <> 1")
    check("the history has exactly one applied row per version", cur.fetchall() == [])
    cur.execute("SELECT count(*) FROM rex.migrations")
    total = cur.fetchone()[0]
    check("and no other row (no failure, no duplicate)", total == SCRIPTS + 1, "rows: %d" % total)
    cur.execute("SELECT rex.migration_status()")
    status = cur.fetchone()[0]
    check("migration_status is up to date", status["up_to_date"] and status["problems"] == [],
          json.dumps(status))


def test_busy_and_polling():
    holder = connect()
    holder.autocommit = False
    hcur = holder.cursor()
    hcur.execute("SELECT rex.migrate()")          # holds the transaction-level lock
    waiter = connect()
    outcome = {}

    def wait_for_lock():
        t0 = time.monotonic()
        try:
            waiter.cursor().execute("SELECT rex.migrate('{\"lock_timeout_ms\": 1500}')")
            outcome["error"] = None
        except psycopg2.Error as e:
            outcome["error"] = e
        outcome["waited"] = time.monotonic() - t0

    t = threading.Thread(target=wait_for_lock)
    t.start()
    watcher = connect().cursor()
    ungranted = 0
    for _ in range(10):
        time.sleep(0.1)
        watcher.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        ungranted += watcher.fetchone()[0]
    t.join()
    e = outcome["error"]
    check("a migrator that cannot get the lock in time is refused with 55P03",
          e is not None and e.pgcode == "55P03", repr(e))
    check("its message says so", e is not None and "migration lock not available" in str(e), str(e))
    check("after about lock_timeout_ms", 1.4 < outcome["waited"] < 5, "waited %.3f" % outcome["waited"])
    check("while waiting it polls: no ungranted advisory lock is ever queued", ungranted == 0,
          "ungranted seen: %d" % ungranted)
    holder.rollback()
    cur = waiter.cursor()
    cur.execute("SELECT rex.migrate('{\"lock_timeout_ms\": 100}') ->> 'status'")
    check("once the holder's transaction ends, the lock is free", cur.fetchone()[0] == "up_to_date")


def test_killed_holder():
    holder = connect()
    holder.autocommit = False
    hcur = holder.cursor()
    hcur.execute("SELECT pg_backend_pid()")
    pid = hcur.fetchone()[0]
    hcur.execute("SELECT rex.migrate()")
    cur = connect().cursor()
    try:
        cur.execute("SELECT rex.migrate('{\"lock_timeout_ms\": 100}')")
        check("while held, others are refused", False)
    except psycopg2.Error as e:
        check("while held, others are refused", e.pgcode == "55P03", str(e))
    cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    time.sleep(0.3)
    cur.execute("SELECT rex.migrate('{\"lock_timeout_ms\": 2000}') ->> 'status'")
    check("a migrator killed while holding the lock leaves no stale lock", cur.fetchone()[0] == "up_to_date")


def main():
    setup()
    test_exactly_once()
    test_busy_and_polling()
    test_killed_holder()
    admin = connect("postgres")
    admin.cursor().execute("DROP DATABASE " + DB + " WITH (FORCE)")
    print("1..%d" % len(results))
    for i, (ok, desc, diag) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, desc))
        if not ok and diag:
            for line in str(diag).splitlines()[:20]:
                print("#   " + line)


if __name__ == "__main__":
    main()
