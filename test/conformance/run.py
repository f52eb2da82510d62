#!/usr/bin/python3
"""Conformance suite of rex_orm: the same calls on PostgreSQL and SQLite.

Usage (use /usr/bin/python3: some self-built Pythons cannot load SQLite
extensions):

    /usr/bin/python3 test/conformance/run.py --sqlite-module ./rex_orm \\
        --pg "host=/tmp/rexconf port=5531 user=postgres" [--filter NAME]

Every scenario (scenarios/*.json) and every malformed definition
(bad_definitions.json) is played on a fresh PostgreSQL database (created for
it, with CREATE EXTENSION rex_orm, dropped afterwards) and on a fresh SQLite
file with the module loaded.  The answers of both engines are compared as
parsed JSON values: object key order is ignored, array order matters, and
numbers, strings, booleans and nulls must be exactly the same (an integer is
not a float, true is not 1, -0.0 is not 0.0).  Output is TAP: one line per
checked step, `1..N` at the end; exit status 1 when a check failed.

A check marked "todo" in a scenario exposes a known core bug or engine
difference: it prints as `not ok N - ... # TODO reason` (or `ok ... # TODO`
once fixed) and, as TAP says, does not make the run fail.

Normalised fields.  Some fields of rex's answers differ between engines or
between runs by nature.  Wherever they occur in a rex answer (at any depth),
their value is replaced before comparison by a placeholder, which is also
what an "expect" in a scenario must say:

    "sql", "sql_down"        DDL text is each engine's own   -> "<sql>"
    "duration_ms"            a non-negative number           -> "<duration_ms>"
    "created_at", "updated_at", "migrated_at", "finished_at",
    "started_at", "at"       UTC ISO-8601 YYYY-MM-DDTHH:MM:SS.mmmZ -> "<timestamp>"
    "engine"                 the engine's name               -> "<engine>"

A null stays null (so "migrated_at": null on one engine and a timestamp on
the other is a difference), and a value of the wrong shape (a timestamp in
another format, a negative duration) is left as it is, so it shows.
Everything else must match, checksums included: they are computed over
engine-neutral content on purpose.  Results of plain SQL steps are never
normalised.

Errors.  The PostgreSQL error message (errmsg) is compared with the SQLite
message after removing its leading "rex: " and cutting it before
"\\nDETAIL:" / "\\nHINT:"; the hints are compared too.  The PostgreSQL
SQLSTATE must be the expected one, and the SQLite result code (primary code)
the expected one (1, SQLITE_ERROR, unless said otherwise).

See README.md in this directory for the scenario format.
"""

import argparse
import base64
import datetime
import decimal
import glob
import json
import math
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import uuid

try:
    import psycopg2
    import psycopg2.extensions
except ImportError:  # pragma: no cover - reported as a TAP bail out
    psycopg2 = None

HERE = os.path.dirname(os.path.abspath(__file__))

# Fields whose values are replaced by a placeholder before comparison.
SQL_FIELDS = ("sql", "sql_down")
TIMESTAMP_FIELDS = ("created_at", "updated_at", "migrated_at", "finished_at",
                    "started_at", "at")
DURATION_FIELDS = ("duration_ms",)
ENGINE_FIELDS = ("engine",)
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")

# rex functions: argument types (PostgreSQL) and the type of the answer.
SIGNATURES = {
    "version": ([], "text"),
    "define_entity": (["text", "jsonb"], "jsonb"),
    "entity": (["text"], "jsonb"),
    "entities": ([], "jsonb"),
    "drop_entity": (["text"], "jsonb"),
    "plan": ([], "jsonb"),
    "migrate": (["jsonb"], "jsonb"),
    "migration_status": ([], "jsonb"),
    "validate": (["text", "jsonb"], "jsonb"),
    "explain_constraint": (["text"], "jsonb"),
    "register_validator": (["text", "text", "text"], "jsonb"),
    "on": (["text", "text", "text"], "jsonb"),
    "off": (["text", "text", "text"], "jsonb"),
    "add_migration": (["text", "text", "text"], "jsonb"),
    "rollback": (["text"], "jsonb"),
    "repair": (["text"], "jsonb"),
    "baseline": (["jsonb"], "jsonb"),
    "json_schema": (["text"], "jsonb"),
    "graphql_schema": ([], "text"),
    "typescript": ([], "text"),
}

# The longest error message (plus hint) an engine may give: no echo of
# megabytes of input.
MAX_MESSAGE = 2048

# SQLITE_ERROR, the result code of every rex error but busy/constraint.
SQLITE_ERROR = 1


# ---------------------------------------------------------------------------
# TAP output


class Tap:
    """Prints TAP lines and counts the outcome."""

    def __init__(self, out=sys.stdout):
        self.out = out
        self.n = 0
        self.failed = 0
        self.todo_failed = 0
        self.todo_passed = 0

    def check(self, desc, problems, todo=None):
        """One TAP line: ok when 'problems' is empty, else not ok + diagnostics."""
        self.n += 1
        status = "ok" if not problems else "not ok"
        desc = desc.replace("\n", " ").replace("#", "\\#")
        line = "%s %d - %s" % (status, self.n, desc)
        if todo:
            line += " # TODO " + todo.replace("\n", " ")
            if problems:
                self.todo_failed += 1
            else:
                self.todo_passed += 1
        elif problems:
            self.failed += 1
        self.out.write(line + "\n")
        for p in problems:
            for text in str(p).splitlines() or [""]:
                self.out.write("# " + text + "\n")
        self.out.flush()

    def diag(self, text):
        for line in text.splitlines():
            self.out.write("# " + line + "\n")
        self.out.flush()

    def finish(self):
        self.out.write("1..%d\n" % self.n)
        self.diag("%d checks, %d failed, %d known core bugs (TODO) still failing, "
                  "%d TODO passing" % (self.n, self.failed, self.todo_failed,
                                       self.todo_passed))
        self.out.flush()


# ---------------------------------------------------------------------------
# JSON values: comparison and normalisation


def shown(value, limit=300):
    """A value as compact JSON text, shortened for diagnostics."""
    try:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > limit:
        text = text[:limit] + "... (%d characters)" % len(text)
    return text


def json_kind(v):
    """The JSON kind of a parsed value; integers and floats are distinct."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def json_diff(a, b, path="$", names=("pg", "sqlite")):
    """First difference between two parsed JSON values, or None.

    Object key order is ignored; array order matters; an integer differs
    from a float of the same value, and -0.0 from 0.0.
    """
    ka, kb = json_kind(a), json_kind(b)
    if ka != kb:
        return "%s: %s %s vs %s %s" % (path, names[0], shown(a), names[1], shown(b))
    if ka == "object":
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                where = names[1] if key in a else names[0]
                return "%s: key %s missing on %s" % (path, json.dumps(key), where)
            d = json_diff(a[key], b[key], "%s.%s" % (path, key), names)
            if d:
                return d
        return None
    if ka == "array":
        for i, (x, y) in enumerate(zip(a, b)):
            d = json_diff(x, y, "%s[%d]" % (path, i), names)
            if d:
                return d
        if len(a) != len(b):
            return "%s: array of %d items on %s vs %d on %s" % (
                path, len(a), names[0], len(b), names[1])
        return None
    if ka == "float":
        if a != b or math.copysign(1.0, a) != math.copysign(1.0, b):
            return "%s: %s %r vs %s %r" % (path, names[0], a, names[1], b)
        return None
    if a != b:
        return "%s: %s %s vs %s %s" % (path, names[0], shown(a), names[1], shown(b))
    return None


def json_contains(actual, wanted, path="$"):
    """None when every member of 'wanted' is in 'actual' (recursively).

    Objects: each key of 'wanted' must be present with a contained value.
    Arrays: same length, item by item.  Scalars: exactly equal.
    """
    if isinstance(wanted, dict) and isinstance(actual, dict):
        for key, w in wanted.items():
            if key not in actual:
                return "%s: key %s missing" % (path, json.dumps(key))
            d = json_contains(actual[key], w, "%s.%s" % (path, key))
            if d:
                return d
        return None
    if isinstance(wanted, list) and isinstance(actual, list):
        if len(wanted) != len(actual):
            return "%s: expected %d items, got %d: %s" % (path, len(wanted), len(actual),
                                                         shown(actual))
        for i, (x, y) in enumerate(zip(actual, wanted)):
            d = json_contains(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return json_diff(actual, wanted, path, ("got", "expected"))


def normalise(value, ignore=()):
    """A copy of a rex answer with engine-specific and volatile fields replaced.

    'ignore': more keys whose non-null values a step chooses to replace by
    "<ignored>" (a step that tests something else than a known difference).
    """
    if isinstance(value, list):
        return [normalise(v, ignore) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, v in value.items():
        if key in ignore and v is not None:
            out[key] = "<ignored>"
        elif key in SQL_FIELDS and isinstance(v, str):
            out[key] = "<sql>"
        elif key in TIMESTAMP_FIELDS and isinstance(v, str) and TIMESTAMP_RE.match(v):
            out[key] = "<timestamp>"
        elif (key in DURATION_FIELDS and json_kind(v) in ("integer", "float")
              and v >= 0):
            out[key] = "<duration_ms>"
        elif key in ENGINE_FIELDS and isinstance(v, str):
            out[key] = "<engine>"
        else:
            out[key] = normalise(v, ignore)
    return out


def normalised(outcome, ignore=()):
    """The outcome of a rex call with its answer normalised."""
    if outcome.error is None:
        outcome.value = normalise(outcome.value, ignore)
    return outcome


def parse_json(text):
    """Parses JSON text as both engines' answers are parsed."""
    return json.loads(text)


# ---------------------------------------------------------------------------
# Outcomes of one call on one engine


class EngineError:
    """An error raised by an engine, reduced to what is compared."""

    def __init__(self, message, sqlstate=None, code=None, hint=None, detail=None,
                 raw=None):
        self.message = message
        self.sqlstate = sqlstate
        self.code = code
        self.hint = hint
        self.detail = detail
        self.raw = raw if raw is not None else message

    def __repr__(self):
        bits = []
        if self.sqlstate:
            bits.append("SQLSTATE " + self.sqlstate)
        if self.code is not None:
            bits.append("code %d" % self.code)
        return "error (%s) %s" % (", ".join(bits), shown(self.message, 400))


class Outcome:
    """What one engine answered: a value or an EngineError."""

    def __init__(self, value=None, error=None):
        self.value = value
        self.error = error

    def __repr__(self):
        return repr(self.error) if self.error else shown(self.value, 400)


def split_sqlite_message(text):
    """(message, detail, hint) of a SQLite error text written by rex."""
    if text.startswith("rex: "):
        text = text[len("rex: "):]
    message, detail, hint = text, None, None
    m = re.search(r"\nHINT: ", message)
    if m:
        hint = message[m.end():]
        message = message[:m.start()]
    m = re.search(r"\nDETAIL: ", message)
    if m:
        detail = message[m.end():]
        message = message[:m.start()]
    return message, detail, hint


# ---------------------------------------------------------------------------
# Engines


def sql_value_pg(v):
    """A PostgreSQL cell as a JSON value (for plain SQL results)."""
    if isinstance(v, (memoryview, bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode("ascii")
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, uuid.UUID):
        return str(v)
    return v


def sql_value_sqlite(v):
    """A SQLite cell as a JSON value (for plain SQL results)."""
    if isinstance(v, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(v)).decode("ascii")
    return v


class PgEngine:
    """A fresh PostgreSQL database per scenario, with rex_orm installed."""

    name = "pg"

    def __init__(self, conninfo, keep=False):
        self.conninfo = conninfo
        self.keep = keep
        self.conn = None
        self.dbname = None
        self.serial = 0

    def _connect(self, dbname):
        conn = psycopg2.connect(psycopg2.extensions.make_dsn(self.conninfo, dbname=dbname))
        conn.autocommit = True
        return conn

    def open(self, label):
        """Creates a new database and CREATE EXTENSION rex_orm in it."""
        self.serial += 1
        self.dbname = "rexconf_%d_%d" % (os.getpid(), self.serial)
        admin = self._connect("postgres")
        try:
            admin.cursor().execute('CREATE DATABASE "%s"' % self.dbname)
        finally:
            admin.close()
        self.conn = self._connect(self.dbname)
        self.conn.cursor().execute("CREATE EXTENSION rex_orm")

    def close(self):
        """Closes the connection and drops the scenario's database."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.dbname and not self.keep:
            admin = self._connect("postgres")
            try:
                admin.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.dbname)
            finally:
                admin.close()
        self.dbname = None

    @staticmethod
    def _error(e):
        diag = getattr(e, "diag", None)
        message = diag.message_primary if diag and diag.message_primary else str(e).strip()
        return EngineError(message, sqlstate=getattr(e, "pgcode", None),
                           hint=diag.message_hint if diag else None,
                           detail=diag.message_detail if diag else None,
                           raw=str(e))

    def call(self, fn, args):
        """rex.<fn>(args); args are Python strings or None."""
        types, ret = SIGNATURES[fn]
        params = ", ".join("%%s::%s" % t for t in types[:len(args)])
        sql = "SELECT rex.%s(%s)::text" % (fn, params)
        try:
            cur = self.conn.cursor()
            cur.execute(sql, list(args))
            text = cur.fetchone()[0]
        except (psycopg2.Error, ValueError) as e:
            if isinstance(e, ValueError):  # e.g. a NUL character psycopg2 refuses
                return Outcome(error=EngineError(str(e), sqlstate="client", raw=str(e)))
            return Outcome(error=self._error(e))
        if text is None or ret == "text":
            return Outcome(value=text)
        return Outcome(value=parse_json(text))

    def jsonb_error(self, text):
        """The error PostgreSQL's own jsonb input raises for 'text', or None."""
        try:
            self.conn.cursor().execute("SELECT %s::jsonb IS NULL", [text])
            return None
        except psycopg2.Error as e:
            return self._error(e)

    def sql(self, statements, as_json=False):
        """Runs plain SQL statements; the result of the last one."""
        try:
            cur = self.conn.cursor()
            for stmt in statements:
                cur.execute(stmt)
            return Outcome(value=rows_result(cur, sql_value_pg, as_json))
        except psycopg2.Error as e:
            return Outcome(error=self._error(e))

    def user_relations(self):
        """Names of every relation outside pg_catalog, information_schema and rex."""
        cur = self.conn.cursor()
        cur.execute("SELECT lower(c.relname) FROM pg_catalog.pg_class c "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'rex', 'pg_toast') "
                    "AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%' "
                    "ORDER BY 1")
        return [r[0] for r in cur.fetchall()]

    def user_tables(self):
        """Names (lower case) of the ordinary tables outside rex's schema."""
        cur = self.conn.cursor()
        cur.execute("SELECT lower(c.relname) FROM pg_catalog.pg_class c "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind IN ('r', 'p') "
                    "AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'rex') "
                    "AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1")
        return [r[0] for r in cur.fetchall()]


class SqliteEngine:
    """A fresh SQLite file per scenario, with the rex_orm module loaded."""

    name = "sqlite"

    def __init__(self, module, tmpdir):
        self.module = module
        self.tmpdir = tmpdir
        self.conn = None
        self.serial = 0

    def open(self, label):
        self.serial += 1
        path = os.path.join(self.tmpdir, "scenario_%d.db" % self.serial)
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.enable_load_extension(True)
        self.conn.load_extension(self.module)
        self.conn.enable_load_extension(False)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    @staticmethod
    def _error(e):
        code = getattr(e, "sqlite_errorcode", None)
        text = str(e)
        message, detail, hint = split_sqlite_message(text)
        return EngineError(message, code=(code & 0xff) if code is not None else None,
                           hint=hint, detail=detail, raw=text)

    def call(self, fn, args):
        """rex_<fn>(args); args are Python strings or None."""
        _, ret = SIGNATURES[fn]
        sql = "SELECT rex_%s(%s)" % (fn, ", ".join("?" * len(args)))
        try:
            text = self.conn.execute(sql, list(args)).fetchone()[0]
        except sqlite3.Error as e:
            return Outcome(error=self._error(e))
        if text is None or ret == "text":
            return Outcome(value=text)
        return Outcome(value=parse_json(text))

    def sql(self, statements, as_json=False):
        try:
            cur = None
            for stmt in statements:
                cur = self.conn.execute(stmt)
            return Outcome(value=rows_result(cur, sql_value_sqlite, as_json))
        except sqlite3.Error as e:
            return Outcome(error=self._error(e))

    def user_relations(self):
        """Every schema object that belongs neither to SQLite nor to rex."""
        return [r[0] for r in self.conn.execute(
            "SELECT lower(name) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "AND name NOT LIKE 'rex\\_%' ESCAPE '\\' ORDER BY 1")]

    def user_tables(self):
        return [r[0] for r in self.conn.execute(
            "SELECT lower(name) FROM sqlite_schema WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "AND name NOT LIKE 'rex\\_%' ESCAPE '\\' ORDER BY 1")]


def rows_result(cur, convert, as_json):
    """Rows as a list of lists, {"rowcount": n} without a result set, or
    (as_json) the single cell parsed as JSON and normalised."""
    if cur is None or cur.description is None:
        return {"rowcount": cur.rowcount if cur is not None else -1}
    rows = [[convert(v) for v in row] for row in cur.fetchall()]
    if not as_json:
        return rows
    if len(rows) != 1 or len(rows[0]) != 1:
        raise ValueError("a \"json\" SQL step must give one row of one column")
    cell = rows[0][0]
    if isinstance(cell, str):
        cell = parse_json(cell)
    return normalise(cell)


# ---------------------------------------------------------------------------
# Building arguments


def expand_text(text, expand):
    """Replaces each placeholder of 'expand' in 'text' by its expansion.

    expand: {"@@NAME@@": {"repeat": "a", "times": 1048576}, ...}
    """
    if text is None or not expand:
        return text
    for placeholder, spec in expand.items():
        if placeholder in text:
            text = text.replace(placeholder, spec["repeat"] * int(spec["times"]))
    return text


def is_raw(v):
    """{"raw": "text"}: JSON text given as it is (may be invalid JSON)."""
    return isinstance(v, dict) and list(v) == ["raw"] and isinstance(v["raw"], str)


def call_args(fn, args, expand=None):
    """Turns a step's JSON args into the strings passed to the engines.

    text parameters take a JSON string (or null for SQL NULL); jsonb
    parameters take any JSON value, serialised, or {"raw": "text"}; null is
    SQL NULL (write {"raw": "null"} for JSON null).
    """
    if fn not in SIGNATURES:
        raise ValueError("unknown rex function %r" % fn)
    types, _ = SIGNATURES[fn]
    if len(args) > len(types):
        raise ValueError("%s takes at most %d arguments" % (fn, len(types)))
    out = []
    for t, a in zip(types, args):
        if a is None:
            out.append(None)
        elif t == "text":
            if not isinstance(a, str):
                raise ValueError("argument of %s must be a string" % fn)
            out.append(expand_text(a, expand))
        elif is_raw(a):
            out.append(expand_text(a["raw"], expand))
        else:
            out.append(expand_text(json.dumps(a, ensure_ascii=False), expand))
    return out


def describe_call(fn, args):
    """rex call as a short readable text for TAP descriptions."""
    parts = []
    for a in args:
        text = a["raw"] if is_raw(a) else json.dumps(a, ensure_ascii=False)
        if len(text) > 40:
            text = text[:37] + "..."
        parts.append(text)
    return "%s(%s)" % (fn, ", ".join(parts))


# ---------------------------------------------------------------------------
# Checks


def compare_errors(pg, sq, expected, problems, mode="rex"):
    """Checks two errors against each other and against the expectation.

    expected: {"sqlstate", "sqlite_code", "message", "message_contains",
    "pg_sqlstate"}.
    mode "rex": both errors are rex's: the messages (and hints) must be the
    same, the SQLite code defaults to 1.  Mode "json": the argument is text
    that PostgreSQL's own jsonb input refuses before rex sees it (invalid
    JSON): only the SQLSTATE class of the PostgreSQL error is compared (or
    the exact "pg_sqlstate" when PostgreSQL raises one of another class,
    e.g. 54001 for too deep a nesting), and the message on SQLite.  Mode
    "sql": errors of plain SQL, worded by each engine: only what 'expected'
    names is checked.
    """
    if not isinstance(pg, EngineError) or not isinstance(sq, EngineError):
        if not isinstance(pg, EngineError):
            problems.append("pg did not fail: %r" % pg)
        if not isinstance(sq, EngineError):
            problems.append("sqlite did not fail: %r" % sq)
        return
    want_state = expected.get("sqlstate")
    want_code = expected.get("sqlite_code", None if mode == "sql" else SQLITE_ERROR)
    want_msg = expected.get("message")
    rex_pg = mode == "rex"
    if mode == "json" and not rex_pg and expected.get("pg_sqlstate"):
        if pg.sqlstate != expected["pg_sqlstate"]:
            problems.append("pg SQLSTATE %s, expected %s" % (pg.sqlstate, expected["pg_sqlstate"]))
    elif want_state:
        if mode == "json" and not rex_pg:
            if (pg.sqlstate or "")[:2] != want_state[:2]:
                problems.append("pg SQLSTATE %s, expected class %s"
                                % (pg.sqlstate, want_state[:2]))
        elif pg.sqlstate != want_state:
            problems.append("pg SQLSTATE %s, expected %s" % (pg.sqlstate, want_state))
    if want_code is not None and sq.code != want_code:
        problems.append("sqlite result code %s, expected %s" % (sq.code, want_code))
    if rex_pg:
        if pg.message != sq.message:
            problems.append("messages differ:\n  pg:     %s\n  sqlite: %s"
                            % (shown(pg.message, 600), shown(sq.message, 600)))
        elif (pg.hint or None) != (sq.hint or None):
            problems.append("hints differ:\n  pg:     %s\n  sqlite: %s"
                            % (shown(pg.hint), shown(sq.hint)))
    if want_msg is not None:
        engines = [("sqlite", sq)] if mode == "json" and not rex_pg else [("pg", pg), ("sqlite", sq)]
        for name, err in engines:
            if err.message != want_msg:
                problems.append("%s message %s, expected %s"
                                % (name, shown(err.message, 600), shown(want_msg, 600)))
    if expected.get("message_contains"):
        for name, err in (("pg", pg), ("sqlite", sq)):
            if expected["message_contains"] not in err.raw:
                problems.append("%s error %s does not contain %s"
                                % (name, shown(err.raw), shown(expected["message_contains"])))
    for name, err in (("pg", pg), ("sqlite", sq)):
        if mode == "sql" or (name == "pg" and not rex_pg):
            continue
        size = len(err.message or "") + len(err.hint or "")
        if size > MAX_MESSAGE:
            problems.append("%s error message is %d characters long" % (name, size))


def compare_values(pg, sq, step, problems):
    """Checks two answers against each other and against the expectation."""
    for name, o in (("pg", pg), ("sqlite", sq)):
        if o.error:
            problems.append("%s failed: %r" % (name, o.error))
            if o.error.hint:
                problems.append("  hint: " + o.error.hint)
    if problems:
        return
    d = json_diff(pg.value, sq.value)
    if d:
        problems.append("engines differ at " + d)
    if "expect" in step:
        d = json_diff(pg.value, step["expect"], names=("got", "expected"))
        if d:
            problems.append("unexpected answer at " + d)
    if "expect_contains" in step:
        d = json_contains(pg.value, step["expect_contains"])
        if d:
            problems.append("unexpected answer at " + d)


def check_step(pg, sq, step, problems, mode="rex"):
    """Compares the outcomes of one step on both engines (see compare_errors
    for 'mode')."""
    if "expect_error" in step:
        compare_errors(pg.error or pg, sq.error or sq, step["expect_error"], problems, mode)
    else:
        compare_values(pg, sq, step, problems)


# ---------------------------------------------------------------------------
# Scenarios


def step_sql(step):
    """(pg statements, sqlite statements) of a "sql" step."""
    spec = step["sql"]
    if isinstance(spec, dict):
        pg, sq = spec["pg"], spec["sqlite"]
    else:
        pg = sq = spec
    return as_list(pg), as_list(sq)


def as_list(statements):
    """One statement or a list of them, as a list."""
    return [statements] if isinstance(statements, str) else list(statements)


STEP_KEYS = {"call", "args", "sql", "json", "tables", "desc", "expect", "expect_contains",
             "expect_error", "todo", "expand", "ignore", "engine_error"}
EXPECT_ERROR_KEYS = {"sqlstate", "sqlite_code", "message", "message_contains", "pg_sqlstate"}
BAD_DEFINITION_KEYS = {"desc", "entity", "definition", "sqlstate", "message", "sqlite_code",
                       "pg_sqlstate", "expand", "todo"}


def check_keys(what, obj, allowed):
    """Refuses a misspelt key in a scenario step or a bad definition."""
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise ValueError("unknown key%s in %s: %s" % ("s" if len(unknown) > 1 else "", what,
                                                     ", ".join(unknown)))


def run_step(engines, step):
    """Runs one step on both engines.

    Returns (description, pg outcome, sqlite outcome, mode), mode telling
    compare_errors() how to compare errors.
    """
    check_keys("step", step, STEP_KEYS)
    check_keys("expect_error", step.get("expect_error", {}), EXPECT_ERROR_KEYS)
    pg, sq = engines
    expand = step.get("expand")
    if "call" in step:
        fn = step["call"]
        args = step.get("args", [])
        texts = call_args(fn, args, expand)
        desc = describe_call(fn, args)
        mode = "rex"
        if any(is_raw(a) and pg.jsonb_error(t) for a, t in zip(args, texts)):
            mode = "json"       # PostgreSQL refuses the text before rex sees it
        elif step.get("engine_error"):
            mode = "sql"        # an error raised by the engine, in its own words
        ignore = tuple(step.get("ignore", ()))
        return (desc, normalised(pg.call(fn, texts), ignore),
                normalised(sq.call(fn, texts), ignore), mode)
    if "sql" in step:
        pg_sql, sq_sql = step_sql(step)
        as_json = bool(step.get("json"))
        pg_sql = [expand_text(s, expand) for s in pg_sql]
        sq_sql = [expand_text(s, expand) for s in sq_sql]
        text = pg_sql[-1] if pg_sql == sq_sql else "(per engine) " + sq_sql[-1]
        desc = "sql: " + (text if len(text) <= 60 else text[:57] + "...")
        return desc, pg.sql(pg_sql, as_json), sq.sql(sq_sql, as_json), "sql"
    if "tables" in step:
        return ("user tables", Outcome(value=pg.user_tables()),
                Outcome(value=sq.user_tables()), "sql")
    raise ValueError("a step needs \"call\", \"sql\" or \"tables\": %s" % shown(step))


def load_steps(path):
    """The steps of a scenario file (a list, or {"description", "steps"})."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, dict):
        return data.get("description", ""), data["steps"]
    return "", data


def run_scenario(name, steps, engines, tap):
    """Plays one scenario on fresh databases; one TAP line per step."""
    try:
        for e in engines:
            e.open(name)
        for i, step in enumerate(steps, 1):
            problems = []
            try:
                desc, pg, sq, mode = run_step(engines, step)
                check_step(pg, sq, step, problems, mode)
            except (ValueError, KeyError, TypeError) as e:
                desc = "step %d" % i
                problems.append("bad step: %s" % e)
            except RecursionError as e:
                desc = "step %d" % i
                problems.append("runner: %s" % e)
            desc = step.get("desc", desc)
            tap.check("%s: %d. %s" % (name, i, desc), problems, step.get("todo"))
    finally:
        for e in engines:
            e.close()


# ---------------------------------------------------------------------------
# Malformed definitions


CANARY_SQL = ["CREATE TABLE canary (v text)", "INSERT INTO canary VALUES ('alive')"]


def check_nothing_recorded(engines, problems):
    """After a refused definition: no entity, no plan, no user relation but
    the canary, and the canary still holds its row."""
    for e in engines:
        o = e.call("entities", [])
        if o.error or o.value != []:
            problems.append("%s: entities() is %r" % (e.name, o))
        o = e.call("plan", [])
        if o.error or o.value != []:
            problems.append("%s: plan() is %r" % (e.name, o))
        rels = e.user_relations()
        if rels != ["canary"]:
            problems.append("%s: relations other than the canary: %s" % (e.name, rels))
        o = e.sql(["SELECT v FROM canary"])
        if o.error or o.value != [["alive"]]:
            problems.append("%s: canary table damaged: %r" % (e.name, o))


def run_bad_definition(label, entry, engines, tap):
    """See play_bad_definition(); a malformed entry is one failed check."""
    try:
        check_keys(label, entry, BAD_DEFINITION_KEYS)
        call_args("define_entity", [entry["entity"], entry["definition"]], entry.get("expand"))
    except (ValueError, KeyError, TypeError) as e:
        tap.check("%s: refused alike" % label, ["bad entry: %s" % e])
        return
    play_bad_definition(label, entry, engines, tap)


def play_bad_definition(label, entry, engines, tap):
    """Defines one malformed entity on both engines: two TAP lines (refused
    alike; nothing recorded)."""
    try:
        for e in engines:
            e.open(label)
        problems = []
        for e in engines:
            o = e.sql(CANARY_SQL)
            if o.error:
                problems.append("%s: cannot create the canary: %r" % (e.name, o.error))
        expand = entry.get("expand")
        definition = entry["definition"]
        raw = is_raw(definition)
        texts = call_args("define_entity", [entry["entity"], definition], expand)
        pg, sq = (e.call("define_entity", texts) for e in engines)
        mode = "json" if raw and engines[0].jsonb_error(texts[1]) else "rex"
        expected = {"sqlstate": entry["sqlstate"], "message": entry["message"],
                    "sqlite_code": entry.get("sqlite_code", SQLITE_ERROR)}
        if entry.get("pg_sqlstate"):
            expected["pg_sqlstate"] = entry["pg_sqlstate"]
        check_step(pg, sq, {"expect_error": expected}, problems, mode)
        tap.check("%s: refused alike" % label, problems, entry.get("todo"))
        problems = []
        check_nothing_recorded(engines, problems)
        tap.check("%s: nothing recorded, canary intact" % label, problems)
    finally:
        for e in engines:
            e.close()


# ---------------------------------------------------------------------------
# Main


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sqlite-module", required=True,
                   help="path of the SQLite module (rex_orm or rex_orm.so)")
    p.add_argument("--pg", required=True,
                   help="libpq connection string without dbname, e.g. "
                        "\"host=/tmp/rexconf port=5531 user=postgres\"")
    p.add_argument("--filter", default=None,
                   help="run only tests whose name contains this text "
                        "(scenario file name, or bad_definitions/NN: description)")
    p.add_argument("--keep", action="store_true",
                   help="keep the PostgreSQL databases and SQLite files (debugging)")
    return p.parse_args(argv)


def collect(filt):
    """[(name, kind, payload)] of every scenario and bad definition to run."""
    tests = []
    for path in sorted(glob.glob(os.path.join(HERE, "scenarios", "*.json"))):
        name = os.path.splitext(os.path.basename(path))[0]
        tests.append((name, "scenario", path))
    bad = os.path.join(HERE, "bad_definitions.json")
    if os.path.exists(bad):
        with open(bad, encoding="utf-8") as f:
            entries = json.load(f)
        for i, entry in enumerate(entries, 1):
            tests.append(("bad_definitions/%02d: %s" % (i, entry["desc"]), "bad", entry))
    if filt:
        tests = [t for t in tests if filt in t[0]]
    return tests


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    # deeply nested JSON answers (scenario 21) are parsed and compared recursively
    sys.setrecursionlimit(20000)
    tap = Tap()
    if psycopg2 is None:
        print("Bail out! psycopg2 is not installed (apt-get install python3-psycopg2)")
        return 1
    tmpdir = tempfile.mkdtemp(prefix="rexconf_")
    pg = PgEngine(args.pg, keep=args.keep)
    sq = SqliteEngine(os.path.abspath(args.sqlite_module), tmpdir)
    engines = (pg, sq)
    try:
        tests = collect(args.filter)
        if not tests:
            print("Bail out! no test matches %r" % args.filter)
            return 1
        for name, kind, payload in tests:
            try:
                if kind == "scenario":
                    description, steps = load_steps(payload)
                    if description:
                        tap.diag("%s: %s" % (name, description))
                    run_scenario(name, steps, engines, tap)
                else:
                    run_bad_definition(name, payload, engines, tap)
            except (psycopg2.Error, sqlite3.Error) as e:
                print("Bail out! %s: cannot set up the engines: %s"
                      % (name, str(e).strip().replace("\n", " ")))
                return 1
        tap.finish()
    finally:
        if not args.keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
        else:
            tap.diag("kept SQLite files in %s and PostgreSQL databases rexconf_%d_*"
                     % (tmpdir, os.getpid()))
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
