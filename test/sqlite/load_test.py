"""Python's standard sqlite3 module loads rex_orm and uses it (TAP output).

Run by test/run.sh as: /usr/bin/python3 test/sqlite/load_test.py /path/to/rex_orm
(/usr/bin/python3: a pyenv-built python may lack enable_load_extension).
"""
import json
import os
import sqlite3
import sys
import tempfile

MODULE = sys.argv[1] if len(sys.argv) > 1 else "./rex_orm"
results = []


def check(desc, cond, diag=""):
    results.append((bool(cond), desc, diag))


def connect(path):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.enable_load_extension(True)
    conn.load_extension(MODULE)
    conn.enable_load_extension(False)
    return conn


def call(conn, sql, *args):
    return conn.execute(sql, args).fetchone()[0]


def main():
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "app.db")
    conn = connect(db)
    check("rex_version() answers", call(conn, "SELECT rex_version()") == "0.1.0")
    answer = json.loads(call(conn, "SELECT rex_define_entity(?, ?)", "user", json.dumps({
        "table": "users",
        "columns": {"id": {"type": "id"}, "email": {"type": "string", "unique": True},
                    "age": {"type": "integer"}}})))
    check("define_entity answers a plan", answer["status"] == "pending" and len(answer["steps"]) == 2,
          repr(answer))
    migrated = json.loads(call(conn, "SELECT rex_migrate()"))
    check("migrate applies", migrated["status"] == "applied", repr(migrated))
    conn.execute("INSERT INTO users (email, age) VALUES (?, ?)", ("a@example.org", 41))
    check("plain inserts through Python", conn.execute("SELECT count(*) FROM users").fetchone()[0] == 1)

    # errors come back as exceptions with the rex message and SQLite code
    try:
        call(conn, "SELECT rex_define_entity('bad', '{\"columns\": {\"id\": {\"type\": \"nope\"}}}')")
        check("a bad definition raises", False)
    except sqlite3.OperationalError as e:
        check("a bad definition raises", str(e).startswith('rex: entity "bad": columns.id.type: unknown type'),
              str(e))
        check("with SQLITE_ERROR", getattr(e, "sqlite_errorcode", 1) == sqlite3.SQLITE_ERROR,
              str(getattr(e, "sqlite_errorcode", None)))
    try:
        call(conn, "SELECT rex_entity('nobody')")
        check("unknown entity raises", False)
    except sqlite3.OperationalError as e:
        check("unknown entity raises", str(e).startswith('rex: entity "nobody" does not exist'), str(e))

    # inside the caller's transaction rex never commits
    conn.execute("BEGIN")
    call(conn, "SELECT rex_define_entity('tag', '{\"columns\": {\"id\": {\"type\": \"id\"}}}')")
    migrated = json.loads(call(conn, "SELECT rex_migrate()"))
    check("migrate inside a transaction applies", migrated["status"] == "applied", repr(migrated))
    check("and leaves the transaction open", conn.in_transaction)
    conn.execute("ROLLBACK")
    check("the caller's rollback undoes it",
          conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'tag'").fetchone()[0] == 0)
    check("entity gone too", json.loads(call(conn, "SELECT rex_entities()"))[0]["name"] == "user")
    conn.close()

    # a second connection without the extension uses the tables
    plain = sqlite3.connect(db, isolation_level=None)
    plain.execute("INSERT INTO users (email, age) VALUES ('b@example.org', 7)")
    check("a connection without the extension writes",
          plain.execute("SELECT count(*) FROM users").fetchone()[0] == 2)
    try:
        plain.execute("INSERT INTO users (email, age) VALUES ('c@example.org', 3000000000)")
        check("and the integer range CHECK holds for it", False)
    except sqlite3.IntegrityError as e:
        check("and the integer range CHECK holds for it", "users_age_type" in str(e), str(e))
    plain.close()

    for i, (ok, desc, diag) in enumerate(results, 1):
        print(("ok" if ok else "not ok") + " %d - %s" % (i, desc))
        if not ok and diag:
            print("# " + diag.replace("\n", "\n# "))
    print("1..%d" % len(results))
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
