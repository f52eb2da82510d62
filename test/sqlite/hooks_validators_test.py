"""SQLite: custom validators, lifecycle hooks, and writers that never
loaded the extension (TAP output).

Run by test/run.sh as:
    /usr/bin/python3 test/sqlite/hooks_validators_test.py /path/to/rex_orm
The application's functions (validators, hooks) are Python functions
registered on the connection, as an application would.
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

MODULE = sys.argv[1] if len(sys.argv) > 1 else "./rex_orm"
results = []


def check(desc, cond, diag=""):
    results.append((bool(cond), desc, diag))


def connect(path, load=True):
    conn = sqlite3.connect(path, isolation_level=None)
    if load:
        conn.enable_load_extension(True)
        conn.load_extension(MODULE)
        conn.enable_load_extension(False)
    return conn


def call(conn, sql, *args):
    return conn.execute(sql, args).fetchone()[0]


def error_of(conn, sql, *args):
    try:
        conn.execute(sql, args).fetchall()
    except sqlite3.Error as e:
        return str(e)
    return None


def is_even(v):
    return None if v is None else int(v % 2 == 0)


def slugify(row):
    r = json.loads(row)
    if r.get("title") == "forbidden":
        return json.dumps({"$error": "this title is not allowed"})
    if r.get("title") is None:
        return None
    return json.dumps({"slug": r["title"].lower().replace(" ", "-"), "flag": True,
                       "meta": {"words": len(r["title"].split())}})


def validators(conn, path):
    check("the module turns foreign keys on", call(conn, "PRAGMA foreign_keys") == 1)
    answer = json.loads(call(conn, "SELECT rex_register_validator('even', 'is_even', 'must be an even number')"))
    check("register_validator answers", answer == {"name": "even", "function": "is_even",
                                                   "message": "must be an even number"}, repr(answer))
    err = error_of(conn, "SELECT rex_register_validator('even', 'other_fn')")
    check("a validator name cannot be rebound", err and "already registered" in err, err)
    err = error_of(conn, "SELECT rex_register_validator('odd', 'not a name')")
    check("a function name must be an identifier", err and err.startswith('rex: invalid function name'), err)
    call(conn, "SELECT rex_define_entity('box', ?)", json.dumps({"columns": {
        "id": {"type": "id"}, "n": {"type": "integer", "validate": {"custom": "even", "min": 0}}}}))
    plan = json.loads(call(conn, "SELECT rex_plan()"))
    check("plan warns that the custom validator has no CHECK on SQLite",
          any("custom validator \"even\" has no CHECK on SQLite" in w for w in plan[0]["warnings"]),
          repr(plan[0]["warnings"]))
    call(conn, "SELECT rex_migrate()")
    err = error_of(conn, "SELECT rex_validate('box', '{\"n\": 3}')")
    check("validate() says clearly when the application did not register the function",
          err and err.startswith('rex: validator function "is_even" is not registered on this connection'), err)
    conn.create_function("is_even", 1, is_even)
    check("validate() runs the application's function",
          json.loads(call(conn, "SELECT rex_validate('box', '{\"n\": 3}')")) ==
          [{"path": "n", "rule": "custom", "message": "must be an even number"}])
    check("and passes what it accepts", call(conn, "SELECT rex_validate('box', '{\"n\": 4}')") == "[]")
    check("a value failing its type is not given to the validator",
          json.loads(call(conn, "SELECT rex_validate('box', '{\"n\": \"x\"}')"))[0]["rule"] == "type")
    err = error_of(conn, "SELECT rex_define_entity('crate', ?)", json.dumps({"columns": {
        "id": {"type": "id"}, "n": {"type": "integer", "validate": {"custom": "unknown_v"}}}}))
    check("an unregistered validator is refused at define time",
          err and 'validator "unknown_v" is not registered' in err, err)


def hooks(conn, path):
    conn.create_function("slugify", 1, slugify)
    log = []
    conn.create_function("audit", 1, lambda row: log.append(json.loads(row)))
    call(conn, "SELECT rex_define_entity('post', ?)", json.dumps({"table": "posts", "columns": {
        "id": {"type": "id"}, "title": {"type": "string", "nullable": False},
        "slug": {"type": "string"}, "flag": {"type": "boolean", "default": False},
        "meta": {"type": "json"}, "at": {"type": "timestamp", "default": "2026-01-31T12:00:00Z"},
        "raw": {"type": "bytes"}}}))
    answer = json.loads(call(conn, "SELECT rex_on('post', 'before_insert', 'slugify')"))
    check("on() before migrate records the hook", answer == {
        "entity": "post", "event": "before_insert", "function": "slugify", "hooks": ["slugify"],
        "active": False}, repr(answer))
    plan = json.loads(call(conn, "SELECT rex_plan()"))
    check("migrate creates the hook triggers with the table",
          [s["kind"] for s in plan] == ["create_table", "create_trigger"], repr([s["kind"] for s in plan]))
    call(conn, "SELECT rex_migrate()")
    call(conn, "SELECT rex_on('post', 'after_insert', 'audit')")
    call(conn, "SELECT rex_on('post', 'before_update', 'slugify')")
    conn.execute("INSERT INTO posts (title, raw) VALUES ('Hello World', x'0102')")
    row = conn.execute("SELECT title, slug, flag, meta FROM posts").fetchone()
    check("a before_insert hook changes the row", row == ("Hello World", "hello-world", 1, '{"words":2}'),
          repr(row))
    check("the after_insert hook sees the row as changed, in rex's JSON forms",
          log == [{"id": 1, "title": "Hello World", "slug": "hello-world", "flag": True,
                   "meta": {"words": 2}, "at": "2026-01-31T12:00:00.000Z", "raw": "\\x0102"}], repr(log))
    check("last_insert_rowid() is the row's", conn.execute("SELECT last_insert_rowid()").fetchone()[0] == 1)
    err = error_of(conn, "INSERT INTO posts (title) VALUES ('forbidden')")
    check("a hook rejects a row with its message", err and "rex: hook slugify on posts rejected the row: "
          "this title is not allowed" in err, err)
    check("and nothing was written", conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 1)
    conn.execute("UPDATE posts SET title = 'Second Title'")
    check("a before_update hook changes the row",
          conn.execute("SELECT slug FROM posts").fetchone()[0] == "second-title")
    check("the rewrite fired no update hook twice, and the guard is empty",
          conn.execute("SELECT count(*) FROM rex_hook_guard").fetchone()[0] == 0)
    conn.execute("PRAGMA recursive_triggers = ON")
    conn.execute("UPDATE posts SET title = 'Third One'")
    check("with recursive_triggers on, the rewrite does not loop",
          conn.execute("SELECT slug FROM posts").fetchone()[0] == "third-one")
    conn.execute("PRAGMA recursive_triggers = OFF")
    answer = json.loads(call(conn, "SELECT rex_off('post', 'after_insert', 'audit')"))
    check("off() removes one hook", answer["hooks"] == [] and answer["active"] is True, repr(answer))
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger' "
                                        "AND tbl_name = 'posts' ORDER BY name")]
    check("one trigger per operation", names == ["posts_rex_hooks_insert", "posts_rex_hooks_update"], repr(names))
    err = error_of(conn, "SELECT rex_off('post', 'after_insert', 'audit')")
    check("off() of a hook that is not there is an error", err and "no after_insert hook audit" in err, err)
    err = error_of(conn, "SELECT rex_on('post', 'before_save', 'slugify')")
    check("an unknown event is refused", err and err.startswith('rex: unknown hook event "before_save"'), err)
    err = error_of(conn, "SELECT rex_on('ghost', 'before_insert', 'slugify')")
    check("an unknown entity is refused", err and 'entity "ghost" does not exist' in err, err)
    # a writer whose connection lacks the hook function cannot bypass it
    other = connect(path, load=False)
    err = error_of(other, "INSERT INTO posts (title) VALUES ('x')")
    check("a writer without the hook function gets 'no such function'", err == "no such function: slugify", err)
    check("on() is DIRECTONLY: a trigger cannot call it",
          error_of(conn, "CREATE TEMP TRIGGER t AFTER INSERT ON posts BEGIN SELECT rex_on('a','b','c'); END")
          is None and error_of(conn, "INSERT INTO posts (title) VALUES ('y')") is not None)
    conn.execute("DROP TRIGGER temp.t")


def plain_writers(conn, path):
    """Rules and relations hold for connections that never loaded rex."""
    call(conn, "SELECT rex_define_entity('author', ?)", json.dumps({"columns": {
        "id": {"type": "id"}, "email": {"type": "string", "validate": {"format": "email"}},
        "name": {"type": "string", "validate": {"min_length": 2, "max_length": 5}}}}))
    call(conn, "SELECT rex_define_entity('book', ?)", json.dumps({"columns": {
        "id": {"type": "id"}, "title": {"type": "text", "validate": {"required": True}}},
        "relations": {"author": {"kind": "belongs_to", "entity": "author", "on_delete": "cascade"}}}))
    call(conn, "SELECT rex_migrate()")
    plain = connect(path, load=False)
    plain.execute("PRAGMA foreign_keys = ON")
    err = error_of(plain, "INSERT INTO author (email, name) VALUES ('nope', 'Al')")
    check("plain writer: a format CHECK holds", err == "CHECK constraint failed: author_email_format", err)
    err = error_of(plain, "INSERT INTO author (email, name) VALUES ('a@b.co', '\u65e5\u672c\u8a9e\u5b57\u3042\u3044')")
    check("plain writer: lengths count characters", err == "CHECK constraint failed: author_name_max_length", err)
    plain.execute("INSERT INTO author (email, name) VALUES ('a@b.co', '\u65e5\u672c\u8a9e')")
    err = error_of(plain, "INSERT INTO book (title, author_id) VALUES ('T', 99)")
    check("plain writer with foreign_keys on: a dangling reference is refused",
          err == "FOREIGN KEY constraint failed", err)
    plain.execute("INSERT INTO book (title, author_id) VALUES ('T', 1)")
    plain.execute("DELETE FROM author WHERE id = 1")
    check("plain writer with foreign_keys on: cascades run",
          plain.execute("SELECT count(*) FROM book").fetchone()[0] == 0)
    # the risk the README states: foreign keys off
    risky = connect(path, load=False)
    risky.execute("PRAGMA foreign_keys = OFF")
    risky.execute("INSERT INTO book (title, author_id) VALUES ('orphan', 42)")
    check("with foreign_keys off a writer can leave a dangling reference (README: the risk)",
          risky.execute("SELECT count(*) FROM book WHERE author_id = 42").fetchone()[0] == 1)
    violations = conn.execute("PRAGMA foreign_key_check(book)").fetchall()
    check("which PRAGMA foreign_key_check finds", len(violations) == 1, repr(violations))
    risky.execute("DELETE FROM book")
    # the sqlite3 shell too
    out = subprocess.run(["sqlite3", path, "INSERT INTO book (title) VALUES ('');"],
                         capture_output=True, text=True)
    check("the sqlite3 shell gets the rule's CHECK", "CHECK constraint failed: book_title_required" in out.stderr,
          out.stderr)
    check("explain_constraint() words it", json.loads(call(conn, "SELECT rex_explain_constraint(?)",
                                                           out.stderr.strip()))["message"] == "is required")


def main():
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "app.db")
    conn = connect(path)
    for part in (validators, hooks, plain_writers):
        try:
            part(conn, path)
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
