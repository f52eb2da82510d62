#!/usr/bin/python3
"""The change feed on PostgreSQL with several connections (psycopg2).

Run by test/run.sh against its throwaway cluster (PGHOST, PGPORT, PGUSER
in the environment); prints TAP.  Covers what one session cannot show:
the out-of-order commit case (a transaction that took its ids early
commits after a later one), concurrent writers followed by a consumer that
resumes from its cursor, REPEATABLE READ readers, and live signals: row
notifications (with the stub for a 1 MB value), doorbells, and the
notifier worker (writers never NOTIFY; signals within 100 ms).
"""
import json
import os
import random
import select
import threading
import time

import psycopg2
import psycopg2.extensions

DB = "rex_changes_feed"
results = []


def ok(cond, name, diag=None):
    results.append(bool(cond))
    print(("ok %d - %s" if cond else "not ok %d - %s") % (len(results), name))
    if not cond and diag is not None:
        for line in str(diag).splitlines()[:20]:
            print("#   " + line)


def connect(autocommit=True, dbname=DB):
    c = psycopg2.connect(dbname=dbname)
    c.autocommit = autocommit
    return c


def q(conn, sql, *args):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        if cur.description is None:
            return None
        return cur.fetchall()


def since(conn, cursor, entities=None, limit=1000):
    return [r[0] for r in q(conn, "SELECT e FROM rex.changes_since(%s, %s, %s) AS e",
                            cursor, entities, limit)]


def wait_notifies(conn, want, timeout=5.0):
    """Collects notifications until 'want' arrived or timeout."""
    got = []
    end = time.time() + timeout
    while len(got) < want and time.time() < end:
        if select.select([conn], [], [], max(0.0, end - time.time())) == ([], [], []):
            break
        conn.poll()
        while conn.notifies:
            n = conn.notifies.pop(0)
            got.append((n.channel, n.payload, n.pid, time.time()))
    return got


def setup():
    admin = connect(dbname="postgres")
    q(admin, "DROP DATABASE IF EXISTS " + DB)
    q(admin, "CREATE DATABASE " + DB)
    admin.close()
    c = connect()
    q(c, "CREATE EXTENSION rex_orm")
    for name, notify, extra in [("acct", "off", ""), ("ping", "row", ""),
                                ("bell", "doorbell", ""), ("quiet", "worker", "")]:
        q(c, "SELECT rex.define_entity(%s, %s)", name, json.dumps({
            "table": name + "s",
            "columns": {"id": {"type": "id"}, "v": {"type": "text"}, "n": {"type": "integer"}},
            "changes": {"notify": notify}}))
    ans = q(c, "SELECT rex.migrate()")[0][0]
    ok(ans["status"] == "applied", "entities with each notify mode are migrated", ans)
    return c


def test_out_of_order(c):
    """A takes an id first and commits last; B takes a later id and commits first."""
    a = connect(autocommit=False)
    b = connect(autocommit=False)
    cursor = max([e["id"] for e in since(c, 0)] or [0])
    q(a, "INSERT INTO accts (v) VALUES ('A: early id, late commit')")
    q(b, "INSERT INTO accts (v) VALUES ('B: later id, commits first')")
    b.commit()
    ids = q(c, "SELECT id, new->>'v' FROM rex.changes WHERE id > %s ORDER BY id", cursor)
    ok(len(ids) == 1 and ids[0][1].startswith("B"),
       "a plain reader of the table sees only B (A is not committed)", ids)
    naive_cursor = ids[-1][0]
    ok(ids[0][0] > cursor + 1, "B's id is above the id A holds", ids)
    got = since(c, cursor)
    ok(got == [], "changes_since holds B back while A, which holds a lower id, is in progress", got)
    a.commit()
    got = since(c, cursor)
    ok([e["new"]["v"][0] for e in got] == ["A", "B"],
       "after A commits, changes_since hands out A then B, in id order", got)
    ok(all(got[i]["id"] < got[i + 1]["id"] for i in range(len(got) - 1)), "ids increase")
    naive = q(c, "SELECT id FROM rex.changes WHERE entity = 'acct' AND id > %s", naive_cursor)
    ok(naive == [], "a reader that moved its cursor to B's id would never see A "
       "(the loss changes_since prevents)", naive)
    ok(since(c, got[-1]["id"]) == [], "resuming from the last id repeats nothing")
    a.close()
    b.close()


def test_repeatable_read(c):
    r = connect(autocommit=False)
    r.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ)
    cursor = since(c, 0)[-1]["id"]
    q(r, "SELECT 1")  # the transaction snapshot is taken here
    q(c, "INSERT INTO accts (v) VALUES ('committed after the reader''s snapshot')")
    got = since(r, cursor)
    ok(len(got) == 1, "a REPEATABLE READ reader still gets what committed after its snapshot "
       "(no loss when it later resumes)", got)
    r.rollback()
    r.close()


def writer(name, n, stop_ids, seed):
    rnd = random.Random(seed)
    w = connect(autocommit=False)
    for i in range(n):
        q(w, "INSERT INTO accts (v, n) VALUES (%s, %s)", name, i)
        if rnd.random() < 0.3:
            q(w, "INSERT INTO accts (v, n) VALUES (%s, %s)", name, i)
        time.sleep(rnd.random() * 0.004)
        if rnd.random() < 0.2:
            w.rollback()
        else:
            w.commit()
    w.close()


def test_concurrent(c):
    start = max(e["id"] for e in since(c, 0))
    threads = [threading.Thread(target=writer, args=("w%d" % k, 60, None, k)) for k in range(4)]
    for t in threads:
        t.start()
    seen = []
    cursor = start
    reader = connect()
    restarts = 0
    while any(t.is_alive() for t in threads) or True:
        batch = since(reader, cursor, ["acct"], 7)
        seen.extend(batch)
        if batch:
            cursor = batch[-1]["id"]
        if random.random() < 0.1:
            reader.close()          # a consumer restart: only the cursor survives
            reader = connect()
            restarts += 1
        if not batch and not any(t.is_alive() for t in threads):
            break
        time.sleep(0.002)
    for t in threads:
        t.join()
    truth = [r[0] for r in q(c, "SELECT id FROM rex.changes WHERE entity = 'acct' AND id > %s ORDER BY id", start)]
    ids = [e["id"] for e in seen]
    ok(ids == truth, "4 concurrent writers with rollbacks, a consumer with %d restarts: "
       "every committed event exactly once, in id order" % restarts,
       "missing %s, extra %s" % (sorted(set(truth) - set(ids))[:10], len(ids) - len(set(ids))))
    rows = q(c, "SELECT count(*) FROM accts WHERE id > 0 AND v LIKE 'w%%'")[0][0]
    ok(len(ids) == rows, "one event per committed row (%d rows)" % rows, (len(ids), rows))


def test_row_notify(c):
    lst = connect()
    q(lst, "LISTEN rex")
    q(lst, 'LISTEN "rex.ping"')
    q(c, "INSERT INTO pings (v, n) VALUES ('hello', 1)")
    got = wait_notifies(lst, 2)
    chans = sorted(g[0] for g in got)
    ok(chans == ["rex", "rex.ping"], "row mode notifies channels rex and rex.<entity>", got)
    ev = json.loads(got[0][1])
    logged = since(c, ev["id"] - 1, ["ping"])[0]
    ok(ev == logged, "the payload is the event, as changes_since gives it", (ev, logged))
    big = "x" * (1024 * 1024)
    q(c, "INSERT INTO pings (v, n) VALUES (%s, 2)", big)
    got = wait_notifies(lst, 2)
    stub = json.loads(got[0][1]) if got else {}
    ok(stub.get("truncated") is True and set(stub) == {"id", "entity", "op", "pk", "truncated"},
       "a 1 MB event notifies a stub with \"truncated\": true", got[:1])
    full = since(c, stub.get("id", 1) - 1, ["ping"], 1)
    ok(full and full[0]["new"]["v"] == big, "the full event is in the log under the stub's id")
    # rolled back: nothing
    t = connect(autocommit=False)
    q(t, "INSERT INTO pings (v) VALUES ('rolled back')")
    t.rollback()
    ok(wait_notifies(lst, 1, 0.3) == [], "a rolled-back transaction notifies nothing")
    t.close()
    lst.close()


def test_doorbell(c):
    lst = connect()
    q(lst, 'LISTEN "rex.bell"')
    t = connect(autocommit=False)
    q(t, "INSERT INTO bells (v) VALUES ('one'), ('two')")
    q(t, "SAVEPOINT s")
    q(t, "INSERT INTO bells (v) VALUES ('rolled back')")
    q(t, "ROLLBACK TO SAVEPOINT s")
    q(t, "INSERT INTO bells (v) VALUES ('three')")
    tx = q(t, "SELECT pg_current_xact_id()::text")[0][0]
    t.commit()
    got = wait_notifies(lst, 2, 1.0)
    ok(len(got) == 1, "doorbell: one notification per transaction", got)
    bell = json.loads(got[0][1]) if got else {}
    evs = since(c, bell.get("first_id", 1) - 1, ["bell"])
    ok(bell.get("count") == 3 and str(bell.get("tx")) == tx and bell.get("last_id") == evs[-1]["id"],
       "it carries the transaction, the id range and the count (savepoint rolled back excluded)",
       (bell, [e["id"] for e in evs]))
    t.close()
    lst.close()


def test_worker(c):
    pid = q(c, "SELECT rex.start_notifier()")[0][0]
    ok(pid is not None and pid > 0, "start_notifier starts a background worker", pid)
    ok(q(c, "SELECT rex.start_notifier()")[0][0] is None, "a second start finds it running")
    time.sleep(0.3)
    lst = connect()
    q(lst, "LISTEN rex")
    lat = []
    for i in range(20):
        t0 = time.time()
        q(c, "INSERT INTO quiets (v, n) VALUES ('w', %s)", i)
        got = wait_notifies(lst, 1, 2.0)
        if got:
            lat.append(got[0][3] - t0)
            bell = json.loads(got[0][1])
            if bell.get("entity") != "quiet" or got[0][2] != pid:
                lat.append(99)
        time.sleep(0.01)
    lat.sort()
    ok(len(lat) == 20 and lat[-1] < 0.1,
       "worker mode: every signal arrives within 100 ms, sent by the worker, not the writer "
       "(median %.1f ms, max %.1f ms)" % (1000 * lat[len(lat) // 2], 1000 * lat[-1]) if lat else "",
       lat)
    ok(q(c, "SELECT rex.stop_notifier()")[0][0] is True, "stop_notifier stops it")
    time.sleep(0.5)
    w = connect()
    q(w, "INSERT INTO quiets (v, n) VALUES ('restarts the worker', 0)")
    eid = q(c, "SELECT max(id) FROM rex.changes WHERE entity = 'quiet'")[0][0]
    got = wait_notifies(lst, 1, 3.0)
    bell = json.loads(got[0][1]) if got else {}
    ok(got and got[0][2] != pid and bell.get("first_id", 0) <= eid <= bell.get("last_id", 0),
       "a writer restarts the worker, which signals that very write", (got, eid))
    w.close()
    q(c, "SELECT rex.stop_notifier()")
    lst.close()


def main():
    c = setup()
    test_out_of_order(c)
    test_repeatable_read(c)
    test_concurrent(c)
    test_row_notify(c)
    test_doorbell(c)
    test_worker(c)
    c.close()
    admin = connect(dbname="postgres")
    time.sleep(0.2)
    q(admin, "DROP DATABASE " + DB + " WITH (FORCE)")
    print("1..%d" % len(results))


if __name__ == "__main__":
    main()
