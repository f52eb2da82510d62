"""SQLite: relations and rules of migrated entities, and table rebuilds of
parent and child tables that keep every row, rowid, child row, foreign
key, CHECK, index and lifecycle hook (TAP output).

Run by test/run.sh as:
    /usr/bin/python3 test/sqlite/relation_changes_test.py /path/to/rex_orm
The hook functions are Python functions registered on the connection, as
an application would.
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


def rows(conn, sql, *args):
    return conn.execute(sql, args).fetchall()


def error_of(conn, sql, *args):
    try:
        conn.execute(sql, args).fetchall()
    except sqlite3.Error as e:
        return str(e)
    return None


def define(conn, name, definition):
    return json.loads(call(conn, "SELECT rex_define_entity(?, ?)", name, json.dumps(definition)))


def migrate(conn, options=None):
    return json.loads(call(conn, "SELECT rex_migrate(?)", json.dumps(options or {})))


def kinds(conn):
    return [s["kind"] for s in json.loads(call(conn, "SELECT rex_plan()"))]


def triggers(conn, table):
    return [r[0] for r in rows(conn, "SELECT name FROM sqlite_schema WHERE type = 'trigger' "
                                     "AND tbl_name = ? ORDER BY name", table)]


def fks(conn, table):
    return [tuple(r) for r in rows(conn, 'SELECT "from", "table", "to", on_delete '
                                         "FROM pragma_foreign_key_list(?) ORDER BY \"from\"", table)]


def indexes(conn, table):
    return [r[0] for r in rows(conn, "SELECT name FROM pragma_index_list(?) ORDER BY name", table)]


AUTHOR = {"columns": {"id": {"type": "id"},
                      "name": {"type": "string", "max_length": 40, "validate": {"min_length": 1}},
                      "email": {"type": "text"}},
          "indexes": [{"columns": ["email"]}]}
BOOK = {"columns": {"id": {"type": "id"}, "title": {"type": "text", "validate": {"min_length": 2}}},
        "relations": {"author": {"kind": "belongs_to", "entity": "author", "on_delete": "cascade"}}}
NOTE = {"primary_key": ["code"], "columns": {"code": {"type": "string"}, "body": {"type": "text"}}}


def setup(conn, seen):
    """Three entities with rows and hooks on two of them."""
    def lower_email(row):
        r = json.loads(row)
        return json.dumps({"email": r["email"].lower()}) if r.get("email") else None

    def audit(row):
        seen.append(json.loads(row))
        return None

    conn.create_function("lower_email", 1, lower_email)
    conn.create_function("audit", 1, audit)
    define(conn, "author", AUTHOR)
    define(conn, "book", BOOK)
    define(conn, "note", NOTE)
    call(conn, "SELECT rex_on('author', 'before_insert', 'lower_email')")
    call(conn, "SELECT rex_on('book', 'after_insert', 'audit')")
    m = migrate(conn)
    check("entities, relations and hooks are created", m["status"] == "applied", repr(m))
    conn.execute("INSERT INTO author (name, email) VALUES ('Ann', 'ANN@X.ORG'), ('Bob', 'Bob@X.org'), ('Cy', NULL)")
    conn.execute("INSERT INTO book (title, author_id) VALUES ('One', 1), ('Two', 1), ('Three', 2), ('Four', 3)")
    conn.execute("INSERT INTO note (code, body) VALUES ('a', 'x'), ('b', 'y'), ('c', 'z')")
    conn.execute("DELETE FROM note WHERE code = 'b'")
    check("the hooks fire", rows(conn, "SELECT email FROM author ORDER BY id") ==
          [("ann@x.org",), ("bob@x.org",), (None,)] and len(seen) == 4, repr(seen))


def parent_rebuild(conn, seen):
    """The parent table changes in a way SQLite cannot ALTER: a rebuild."""
    before = rows(conn, "SELECT rowid, * FROM author ORDER BY id")
    books = rows(conn, "SELECT id, title, author_id FROM book ORDER BY id")
    a = dict(AUTHOR)
    a["columns"] = dict(AUTHOR["columns"], name={"type": "string", "max_length": 80, "nullable": False,
                                                  "validate": {"min_length": 1}})
    define(conn, "author", a)
    check("changing the parent is a rebuild, its hook trigger dropped before and created after",
          kinds(conn) == ["drop_trigger", "rebuild_table", "create_trigger"], repr(kinds(conn)))
    m = migrate(conn)
    check("the parent is rebuilt", m["status"] == "applied", repr(m))
    check("every parent row and rowid kept", rows(conn, "SELECT rowid, * FROM author ORDER BY id") == before)
    check("no child row lost (no ON DELETE CASCADE fired)",
          rows(conn, "SELECT id, title, author_id FROM book ORDER BY id") == books)
    check("the child's foreign key still refers to the parent",
          fks(conn, "book") == [("author_id", "author", "id", "CASCADE")], repr(fks(conn, "book")))
    check("the parent's index is kept", indexes(conn, "author") == ["author_email_idx"], repr(indexes(conn, "author")))
    check("its rule CHECK is kept", "CHECK constraint failed: author_name_min_length" in
          (error_of(conn, "INSERT INTO author (name) VALUES ('')") or ""))
    check("its hook trigger is back", triggers(conn, "author") == ["author_rex_hooks_insert"],
          repr(triggers(conn, "author")))
    conn.execute("INSERT INTO author (name, email) VALUES ('Dee', 'DEE@X.ORG')")
    check("and the hook fires after the rebuild",
          call(conn, "SELECT email FROM author WHERE name = 'Dee'") == "dee@x.org")
    check("new ids go on (AUTOINCREMENT counter kept)", call(conn, "SELECT max(id) FROM author") == 4)
    conn.execute("DELETE FROM author WHERE id = 3")
    check("the cascade works after the rebuild", call(conn, "SELECT count(*) FROM book WHERE author_id = 3") == 0)
    check("no foreign key violation", rows(conn, "PRAGMA foreign_key_check") == [])


def child_rebuild(conn, seen):
    """The child table gets a rule and a relation of a new entity: one rebuild."""
    before = rows(conn, "SELECT rowid, * FROM book ORDER BY id")
    define(conn, "shelf", {"columns": {"id": {"type": "id"}, "label": {"type": "text"}},
                           "relations": {"books": {"kind": "has_many", "entity": "book", "on_delete": "set_null"}}})
    b = dict(BOOK)
    b["columns"] = dict(BOOK["columns"], title={"type": "text", "validate": {"min_length": 4}})
    define(conn, "book", b)
    plan = json.loads(call(conn, "SELECT rex_plan()"))
    check("one rebuild of book carries the new foreign key and the changed rule, then shelf is created",
          [(s["entity"], s["kind"]) for s in plan] == [("book", "drop_trigger"), ("book", "rebuild_table"),
                                                      ("book", "create_trigger"), ("shelf", "create_table")],
          repr([(s["entity"], s["kind"]) for s in plan]))
    warn = [w for s in plan for w in s["warnings"] if w.startswith("data-dependent")]
    check("the plan counts the rows the changed rule refuses",
          warn == ['data-dependent: 2 rows of "book" break rule "min_length" of column "title": '
                   'adding CHECK "book_title_min_length" fails'], repr(warn))
    m = migrate(conn)
    check("migrate fails on them", m["status"] == "failed" and
          "CHECK constraint failed: book_title_min_length" in m["migrations"][0]["error"], repr(m))
    check("and changes nothing", rows(conn, "SELECT rowid, * FROM book ORDER BY id") == before and
          call(conn, "SELECT count(*) FROM sqlite_schema WHERE name = 'shelf'") == 0 and
          triggers(conn, "book") == ["book_rex_hooks_insert"])
    conn.execute("UPDATE book SET title = 'One!' WHERE title = 'One'")
    conn.execute("UPDATE book SET title = 'Two!' WHERE title = 'Two'")
    before = rows(conn, "SELECT rowid, * FROM book ORDER BY id")
    m = migrate(conn)
    check("then it applies", m["status"] == "applied", repr(m))
    check("every child row and rowid kept, the new column empty",
          rows(conn, "SELECT rowid, id, title, author_id FROM book ORDER BY id") == before and
          call(conn, "SELECT count(*) FROM book WHERE shelf_id IS NOT NULL") == 0)
    check("both foreign keys declared", fks(conn, "book") == [("author_id", "author", "id", "CASCADE"),
                                                              ("shelf_id", "shelf", "id", "SET NULL")],
          repr(fks(conn, "book")))
    check("both foreign-key indexes there", indexes(conn, "book") == ["book_author_id_idx", "book_shelf_id_idx"],
          repr(indexes(conn, "book")))
    seen.clear()
    conn.execute("INSERT INTO shelf (label) VALUES ('top')")
    conn.execute("INSERT INTO book (title, author_id, shelf_id) VALUES ('Five', 1, 1)")
    check("the hook fires after the rebuild, and sees the new column",
          len(seen) == 1 and seen[0].get("shelf_id") == 1 and seen[0]["title"] == "Five", repr(seen))
    conn.execute("DELETE FROM shelf")
    check("the new foreign key acts (set_null)", call(conn, "SELECT count(*) FROM book WHERE shelf_id IS NOT NULL") == 0)
    check("the new rule holds", "book_title_min_length" in (error_of(conn, "INSERT INTO book (title) VALUES ('ab')") or ""))


def rowid_table(conn, seen):
    """A table without INTEGER PRIMARY KEY keeps its rowids through a rebuild."""
    before = rows(conn, "SELECT rowid, code, body FROM note ORDER BY rowid")
    n = dict(NOTE)
    n["columns"] = dict(NOTE["columns"], body={"type": "text", "nullable": False, "default": ""})
    define(conn, "note", n)
    m = migrate(conn)
    check("a table keyed by a string is rebuilt", m["status"] == "applied" and
          m["steps"][0]["kind"] == "rebuild_table", repr(m))
    check("its rowids are kept", rows(conn, "SELECT rowid, code, body FROM note ORDER BY rowid") == before,
          repr(rows(conn, "SELECT rowid, code, body FROM note ORDER BY rowid")))


def in_transaction(conn, seen):
    """Inside the caller's transaction: a child may be rebuilt, a parent may not."""
    b = dict(BOOK)
    b["columns"] = dict(BOOK["columns"], title={"type": "text", "validate": {"min_length": 3}},
                        pages={"type": "integer", "nullable": False, "default": 0})
    b["relations"] = dict(BOOK["relations"])
    define(conn, "book", b)
    conn.execute("BEGIN")
    m = migrate(conn)
    check("a table no other refers to is rebuilt inside the caller's transaction", m["status"] == "applied", repr(m))
    check("and the transaction is still the caller's", conn.in_transaction)
    conn.execute("COMMIT")
    check("the hook still fires", (conn.execute("INSERT INTO book (title, author_id) VALUES ('Sixx', 1)") and
                                   seen[-1]["title"] == "Sixx"), repr(seen[-1:]))
    a = dict(AUTHOR)
    a["columns"] = dict(AUTHOR["columns"], email={"type": "string", "max_length": 200})
    define(conn, "author", a)
    conn.execute("BEGIN")
    err = error_of(conn, "SELECT rex_migrate()")
    check("a parent is not rebuilt inside a transaction with foreign keys enforced",
          err and 'cannot rebuild table "author" inside a transaction while foreign keys are enforced' in err, err)
    conn.execute("ROLLBACK")
    m = migrate(conn)
    check("outside one it is", m["status"] == "applied", repr(m))
    check("no foreign key violation, nothing broken", rows(conn, "PRAGMA foreign_key_check") == [] and
          call(conn, "PRAGMA integrity_check") == "ok")
    status = json.loads(call(conn, "SELECT rex_migration_status()"))
    check("no drift", status["drift"] == [] and status["up_to_date"], repr(status["drift"]))


def rollbacks(conn, seen):
    """Every change above undone, last first: rows, keys and hooks stay."""
    books = rows(conn, "SELECT id, title, author_id FROM book ORDER BY id")
    r = json.loads(call(conn, "SELECT rex_rollback('entities_0001')"))
    check("every migration after the first is undone", r["status"] == "rolled_back" and
          len(r["migrations"]) == 5 and all(m["state"] == "rolled_back" for m in r["migrations"]), repr(r))
    check("the child rows are all there", rows(conn, "SELECT id, title, author_id FROM book ORDER BY id") == books)
    check("shelf is gone and book has its first shape",
          call(conn, "SELECT count(*) FROM sqlite_schema WHERE name = 'shelf'") == 0 and
          fks(conn, "book") == [("author_id", "author", "id", "CASCADE")] and
          indexes(conn, "book") == ["book_author_id_idx"], repr(fks(conn, "book")))
    check("the hooks are still there", triggers(conn, "author") == ["author_rex_hooks_insert"] and
          triggers(conn, "book") == ["book_rex_hooks_insert"])
    conn.execute("INSERT INTO author (name, email) VALUES ('Eve', 'EVE@X.ORG')")
    check("and fire", call(conn, "SELECT email FROM author WHERE name = 'Eve'") == "eve@x.org")
    check("no foreign key violation, no drift", rows(conn, "PRAGMA foreign_key_check") == [] and
          json.loads(call(conn, "SELECT rex_migration_status()"))["drift"] == [])


def main():
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "app.db")
    conn = connect(path)
    seen = []
    for part in (setup, parent_rebuild, child_rebuild, rowid_table, in_transaction, rollbacks):
        try:
            part(conn, seen)
        except Exception as e:  # a crash of one part is a failure, not a stop
            check("%s ran" % part.__name__, False, repr(e))
    for i, (ok, desc, diag) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, desc))
        if not ok and diag:
            for line in str(diag).splitlines():
                print("#   " + line)
    print("1..%d" % len(results))
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
