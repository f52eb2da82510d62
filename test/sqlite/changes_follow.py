#!/usr/bin/python3
"""Follows the change feed of a SQLite database written by the plain sqlite3
shell, with Python's standard sqlite3 module only (no rex loaded).

Run by test/run.sh as: changes_follow.py <path of the rex_orm module>.
Prints TAP.  The rex module is used once, by the shell, to define and
migrate the entity; after that the writer is the plain sqlite3 shell
(which never loads rex) and the follower reads rex_changes, waking on
PRAGMA data_version, keeping its cursor in a file, and restarting from it
several times while the writer runs.  Checks: every committed change
exactly once, in order; nothing from rolled-back transactions, rolled-back
savepoints or a failed statement.
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

results = []


def ok(cond, name, diag=None):
    results.append(bool(cond))
    print(("ok %d - %s" if cond else "not ok %d - %s") % (len(results), name))
    if not cond and diag is not None:
        for line in str(diag).splitlines()[:20]:
            print("#   " + line)


class Follower:
    """A consumer that keeps its cursor in a file (what survives a restart)."""

    def __init__(self, db, cursor_file):
        self.conn = sqlite3.connect(db, isolation_level=None, timeout=10)
        self.cursor_file = cursor_file
        self.cursor = int(open(cursor_file).read()) if os.path.exists(cursor_file) else 0
        self.version = None

    def poll(self, handle, limit=50):
        """Handles the events committed since the cursor; returns how many."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version == self.version:
            return 0                # nothing committed by another connection
        rows = self.conn.execute(
            "SELECT id, entity, op, pk, new, old, changed,"
            " strftime('%Y-%m-%dT%H:%M:%fZ', at) FROM rex_changes"
            " WHERE id > ? ORDER BY id LIMIT ?", (self.cursor, limit)).fetchall()
        for r in rows:
            handle({"id": r[0], "entity": r[1], "op": r[2], "pk": json.loads(r[3]),
                    "new": json.loads(r[4]) if r[4] else None, "at": r[7]})
            self.cursor = r[0]
        with open(self.cursor_file + ".tmp", "w") as f:
            f.write(str(self.cursor))
        os.replace(self.cursor_file + ".tmp", self.cursor_file)
        if len(rows) < limit:
            self.version = version  # caught up with this version
        return len(rows)

    def close(self):
        self.conn.close()


def writer_script(n):
    """Small transactions, some rolled back, savepoints, a failed statement."""
    lines = [".timeout 10000"]
    expected = []
    for i in range(n):
        if i % 10 == 3:
            lines.append("BEGIN; INSERT INTO notes (body) VALUES ('rolled back %d'); ROLLBACK;" % i)
        elif i % 10 == 5:
            lines.append("BEGIN; INSERT INTO notes (body) VALUES ('kept %d'); SAVEPOINT s;"
                         " INSERT INTO notes (body) VALUES ('savepoint %d'); ROLLBACK TO s; COMMIT;" % (i, i))
            expected.append("kept %d" % i)
        elif i % 10 == 7:
            # a statement that fails on its second row leaves nothing
            lines.append("INSERT INTO notes (id, body) VALUES (1000000 + %d, 'failed a'),"
                         " (1000000 + %d, 'failed b');" % (i, i))
        else:
            lines.append("INSERT INTO notes (body) VALUES ('kept %d');" % i)
            expected.append("kept %d" % i)
    lines.append("UPDATE notes SET body = body || ' (edited)' WHERE body = 'kept 0';")
    lines.append("DELETE FROM notes WHERE body = 'kept 1';")
    return "\n".join(lines) + "\n", expected


def main():
    module = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="rex-follow-")
    db = os.path.join(tmp, "app.db")
    cursor_file = os.path.join(tmp, "cursor")
    setup = subprocess.run(
        ["sqlite3", db, ".load " + module, "PRAGMA journal_mode = WAL",
         "SELECT json_extract(rex_define_entity('note', '{\"table\": \"notes\", \"columns\": "
         "{\"id\": {\"type\": \"id\"}, \"body\": {\"type\": \"text\"}}, \"changes\": {}}'), '$.status')",
         "SELECT json_extract(rex_migrate(), '$.status')"],
        capture_output=True, text=True)
    ok(setup.returncode == 0 and setup.stdout.split()[-1] == "applied",
       "the entity is defined and migrated (the only time rex is loaded)", setup.stdout + setup.stderr)

    script, expected = writer_script(300)
    writer = subprocess.Popen(["sqlite3", db], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    seen = []
    restarts = 0
    f = Follower(db, cursor_file)
    writer_in = writer.stdin
    # feed the writer in chunks so that it runs while we follow
    chunks = script.splitlines(True)
    fed = 0
    deadline = time.time() + 60
    while time.time() < deadline:
        if fed < len(chunks):
            writer_in.write("".join(chunks[fed:fed + 25]))
            writer_in.flush()
            fed += 25
            if fed >= len(chunks):
                writer_in.close()
        n = f.poll(seen.append)
        if n and len(seen) % 3 == 0:
            f.close()               # restart: a new process would read the cursor file
            f = Follower(db, cursor_file)
            restarts += 1
        if fed >= len(chunks) and writer.poll() is not None and n == 0 and f.version is not None:
            # one more look after the writer is gone
            if f.poll(seen.append) == 0:
                break
        time.sleep(0.002)
    err = writer.stderr.read()
    writer.wait()
    f.close()
    ok(writer.returncode == 0 or "UNIQUE constraint failed" in err,
       "the plain sqlite3 shell wrote (its only errors are the failing statements)", err[:500])
    ok(restarts >= 3, "the follower restarted from its cursor file %d times" % restarts)

    conn = sqlite3.connect(db)
    truth = [r[0] for r in conn.execute("SELECT id FROM rex_changes ORDER BY id")]
    ids = [e["id"] for e in seen]
    ok(ids == truth, "every committed event once, in id order, across restarts (%d events)" % len(ids),
       "missing %s; repeated %d" % (sorted(set(truth) - set(ids))[:10], len(ids) - len(set(ids))))
    inserted = [e["new"]["body"] for e in seen if e["op"] == "insert"]
    ok(inserted == expected, "the inserts are exactly the committed rows, in commit order",
       [x for x in inserted if x not in expected][:5])
    ok(not any("rolled back" in b or "savepoint" in b or "failed" in b for b in inserted),
       "nothing from rolled-back transactions, savepoints or failed statements")
    ops = [(e["op"], e["pk"]["id"]) for e in seen if e["op"] != "insert"]
    ok(len(ops) == 2 and ops[0][0] == "update" and ops[1][0] == "delete",
       "the update and the delete of the plain shell are captured", ops)
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    subprocess.run(["sqlite3", db, "INSERT INTO notes (body) VALUES ('one more')"], check=True)
    ok(conn.execute("PRAGMA data_version").fetchone()[0] != version,
       "PRAGMA data_version moves when another process commits")
    conn.close()
    print("1..%d" % len(results))


if __name__ == "__main__":
    main()
