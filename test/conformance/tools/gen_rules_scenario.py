#!/usr/bin/python3
"""Writes scenarios/42_rules_boundaries.json: every validation rule with
values on both sides of its boundary, inserted by plain SQL (the CHECK) and
given to validate(), on both engines.  Run from the repository root:

    /usr/bin/python3 test/conformance/tools/gen_rules_scenario.py

The expectations are written here by hand (ok or the violated rule); the
conformance run checks that PostgreSQL's CHECK, SQLite's CHECK and
validate() all agree with them.
"""
import json

EMAIL = "must be an email address such as name@example.com"
MSG = {
    "email": EMAIL,
    "uid": "must be a UUID such as 123e4567-e89b-12d3-a456-426614174000",
    "url": "must be an http or https URL such as https://example.com/page",
    "day": "must be a date such as 2026-01-31",
    "at": "must be a date and time such as 2026-01-31T12:00:00Z",
}

COLUMNS = {
    "id": {"type": "id"},
    "s_len": {"type": "string", "validate": {"min_length": 2, "max_length": 4}},
    "n_int": {"type": "integer", "validate": {"min": 0, "max": 10}},
    "n_float": {"type": "float", "validate": {"min": 0.5, "max": 1.5}},
    "n_dec": {"type": "decimal", "precision": 6, "scale": 2, "validate": {"min": 0, "max": 100}},
    "email": {"type": "string", "validate": {"format": "email"}},
    "uid": {"type": "string", "validate": {"format": "uuid"}},
    "url": {"type": "text", "validate": {"format": "url"}},
    "day": {"type": "string", "validate": {"format": "date"}},
    "at": {"type": "string", "validate": {"format": "date-time"}},
    "role": {"type": "string", "validate": {"enum": ["admin", "member"]}},
    "level": {"type": "integer", "validate": {"enum": [1, 2, 3]}},
}

# (column, value, None when valid or (rule, message))
CASES = [
    ("s_len", "ab", None), ("s_len", "abcd", None),
    ("s_len", "a", ("min_length", "must be at least 2 characters long")),
    ("s_len", "abcde", ("max_length", "must be at most 4 characters long")),
    ("s_len", "\u00e9\u20ac", None),                         # 2 characters, 5 bytes
    ("s_len", "\u65e5\u672c\u8a9e\u5b57", None),             # 4 characters, 12 bytes
    ("s_len", "\u65e5\u672c\u8a9e\u5b57\u3042", ("max_length", "must be at most 4 characters long")),
    ("s_len", "\U0001F600", ("min_length", "must be at least 2 characters long")),  # 1 character, 4 bytes
    ("s_len", "\U0001F600\U0001F600", None),
    ("n_int", -1, ("min", "must be at least 0")), ("n_int", 0, None), ("n_int", 10, None),
    ("n_int", 11, ("max", "must be at most 10")),
    ("n_float", 0.49, ("min", "must be at least 0.5")), ("n_float", 0.5, None), ("n_float", 1.5, None),
    ("n_float", 1.51, ("max", "must be at most 1.5")),
    ("n_dec", "-0.01", ("min", "must be at least 0")), ("n_dec", "0.00", None), ("n_dec", "100.00", None),
    ("n_dec", "100.01", ("max", "must be at most 100")),
    ("email", "a@b.co", None), ("email", "first.last+tag@sub.example.org", None),
    ("email", "x_y-z@a-b.c", None), ("email", "o'neil@example.com", None),
    ("email", "a" * 64 + "@b.co", None),
    ("email", "a" * 65 + "@b.co", "format"),
    ("email", "a@b", "format"), ("email", "a.@b.co", "format"), ("email", ".a@b.co", "format"),
    ("email", "a..b@c.co", "format"), ("email", "a@-b.co", "format"), ("email", "a@b-.co", "format"),
    ("email", "a@b..co", "format"), ("email", "a b@c.co", "format"), ("email", "a@b.co.", "format"),
    ("email", "@b.co", "format"), ("email", "a@", "format"), ("email", "a@@b.co", "format"),
    ("email", "\u00e9@b.co", "format"), ("email", "a@b_c.co", "format"), ("email", "a@b.c-", "format"),
    ("uid", "123e4567-e89b-12d3-a456-426614174000", None),
    ("uid", "123E4567-E89B-12D3-A456-426614174000", None),
    ("uid", "123e4567e89b-12d3-a456-426614174000", "format"),
    ("uid", "123e4567-e89b-12d3-a456-42661417400", "format"),
    ("uid", "123e4567-e89b-12d3-a456-42661417400g", "format"),
    ("uid", "{123e4567-e89b-12d3-a456-426614174000}", "format"),
    ("url", "http://a", None), ("url", "https://example.com/path?q=1#x", None),
    ("url", "http://localhost:8080", None),
    ("url", "ftp://example.com", "format"), ("url", "http://", "format"), ("url", "https:///path", "format"),
    ("url", "http://exa mple.com", "format"), ("url", "HTTP://example.com", "format"),
    ("url", "http://\u00e9.com", "format"), ("url", "https://?q", "format"),
    ("day", "2024-02-29", None), ("day", "2026-01-31", None), ("day", "0001-01-01", None),
    ("day", "9999-12-31", None),
    ("day", "2023-02-29", "format"), ("day", "2026-13-01", "format"), ("day", "2026-1-5", "format"),
    ("day", "0000-01-01", "format"), ("day", "2026-01-31 ", "format"), ("day", "20260131", "format"),
    ("day", "2026-04-31", "format"),
    ("at", "2026-01-31T12:00:00Z", None), ("at", "2026-01-31t12:00:00z", None),
    ("at", "2026-01-31T23:59:59.123456+05:30", None), ("at", "2024-02-29T00:00:00-23:59", None),
    ("at", "2026-01-31T24:00:00Z", "format"), ("at", "2026-01-31T12:60:00Z", "format"),
    ("at", "2026-01-31T12:00:60Z", "format"), ("at", "2026-01-31 12:00:00Z", "format"),
    ("at", "2026-01-31T12:00:00", "format"), ("at", "2026-01-31T12:00:00.Z", "format"),
    ("at", "2026-02-30T12:00:00Z", "format"), ("at", "2026-01-31T12:00:00+24:00", "format"),
    ("at", "2026-01-31T12:00Z", "format"), ("at", "2026-01-31T12:00:00ZZ", "format"),
    ("role", "admin", None), ("role", "Admin", ("enum", "must be one of: admin, member")),
    ("level", 3, None), ("level", 4, ("enum", "must be one of: 1, 2, 3")),
]


def sql_literal(v):
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    return repr(v)


def main():
    steps = [
        {"call": "define_entity", "args": ["probe", {"table": "probes", "columns": COLUMNS}],
         "expect_contains": {"status": "pending"}},
        {"call": "define_entity", "args": ["note", {"columns": {
            "id": {"type": "id"}, "body": {"type": "text", "validate": {"required": True}}}}],
         "expect_contains": {"status": "pending"}},
        {"call": "migrate", "expect_contains": {"status": "applied"}},
    ]
    for col, value, outcome in CASES:
        if outcome == "format":
            outcome = ("format", MSG[col])
        shown = json.dumps(value, ensure_ascii=False)
        insert = "INSERT INTO probes (%s) VALUES (%s)" % (col, sql_literal(value))
        if outcome is None:
            steps.append({"desc": "%s = %s passes the CHECK" % (col, shown), "sql": insert,
                          "expect": {"rowcount": 1}})
            steps.append({"desc": "%s = %s passes validate()" % (col, shown),
                          "call": "validate", "args": ["probe", {col: value}], "expect": []})
        else:
            rule, message = outcome
            steps.append({"desc": "%s = %s fails CHECK probes_%s_%s" % (col, shown, col, rule),
                          "sql": insert,
                          "expect_error": {"sqlstate": "23514", "sqlite_code": 19,
                                           "message_contains": "probes_%s_%s" % (col, rule)}})
            steps.append({"desc": "%s = %s fails validate(): %s" % (col, shown, rule),
                          "call": "validate", "args": ["probe", {col: value}],
                          "expect": [{"path": col, "rule": rule, "message": message}]})
    steps += [
        {"desc": "required: NULL is refused", "sql": "INSERT INTO note (body) VALUES (NULL)",
         "expect_error": {"sqlstate": "23514", "sqlite_code": 19, "message_contains": "note_body_required"}},
        {"desc": "required: '' is refused", "sql": "INSERT INTO note (body) VALUES ('')",
         "expect_error": {"sqlstate": "23514", "sqlite_code": 19, "message_contains": "note_body_required"}},
        {"desc": "required: ' ' passes", "sql": "INSERT INTO note (body) VALUES (' ')", "expect": {"rowcount": 1}},
        {"call": "validate", "args": ["note", {}], "expect": [{"path": "body", "rule": "required", "message": "is required"}]},
        {"call": "validate", "args": ["note", {"body": None}], "expect": [{"path": "body", "rule": "required", "message": "is required"}]},
        {"call": "validate", "args": ["note", {"body": ""}], "expect": [{"path": "body", "rule": "required", "message": "is required"}]},
        {"call": "validate", "args": ["note", {"body": " "}], "expect": []},
        {"desc": "validate(): wrong JSON types are violations, rules of that field are skipped",
         "call": "validate", "args": ["probe", {"s_len": 5, "n_int": "7", "n_float": True, "n_dec": [], "level": 2.0}],
         "expect": [{"path": "level", "rule": "type", "message": "must be a whole number from -2147483648 to 2147483647"},
                    {"path": "n_dec", "rule": "type", "message": "must be a decimal number such as \"12.50\""},
                    {"path": "n_float", "rule": "type", "message": "must be a number"},
                    {"path": "n_int", "rule": "type", "message": "must be a whole number from -2147483648 to 2147483647"},
                    {"path": "s_len", "rule": "type", "message": "must be a string"}]},
        {"desc": "validate(): several rules of one field fail together",
         "call": "define_entity", "args": ["word", {"columns": {"id": {"type": "id"}, "w": {"type": "string",
            "validate": {"min_length": 5, "pattern": "^[a-z]+$", "enum": ["apple", "berry"]}}}}],
         "ignore": ["warnings"], "expect_contains": {"status": "pending"}},
        {"call": "validate", "args": ["word", {"w": "Ab1"}], "expect": [
            {"path": "w", "rule": "min_length", "message": "must be at least 5 characters long"},
            {"path": "w", "rule": "pattern", "message": "must match the pattern ^[a-z]+$"},
            {"path": "w", "rule": "enum", "message": "must be one of: apple, berry"}]},
    ]
    # pattern: validate() only (SQLite has no REGEXP; PostgreSQL's CHECK is tested in pg_regress)
    steps.append({"call": "define_entity", "args": ["code", {"columns": {"id": {"type": "id"},
        "c": {"type": "string", "validate": {"pattern": "^[A-Z]{2}-\\d{3}$"}},
        "k": {"type": "text", "validate": {"pattern": "^.{3}$"}},
        "m": {"type": "text", "validate": {"pattern": "a.c"}}}}],
        "ignore": ["warnings"], "expect_contains": {"status": "pending"}})
    for col, value, ok in [("c", "AB-123", True), ("c", "ab-123", False), ("c", "AB-12", False),
                           ("c", "AB-1234", False), ("c", "AB-\u0661\u0662\u0663", False),
                           ("k", "\u65e5\u672c\u8a9e", True), ("k", "abcd", False),
                           ("m", "xxa\ncxx", True), ("m", "ac", False)]:
        pattern = {"c": "^[A-Z]{2}-\\d{3}$", "k": "^.{3}$", "m": "a.c"}[col]
        steps.append({"desc": "pattern %s on %s" % (pattern, json.dumps(value, ensure_ascii=False)),
                      "call": "validate", "args": ["code", {col: value}],
                      "expect": [] if ok else [{"path": col, "rule": "pattern",
                                                "message": "must match the pattern " + pattern}]})
    doc = {"description": "Every validation rule at its boundaries: the CHECK constraints of both engines "
                          "and validate() accept and refuse the same values (generated by "
                          "tools/gen_rules_scenario.py).", "steps": steps}
    with open("test/conformance/scenarios/42_rules_boundaries.json", "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
