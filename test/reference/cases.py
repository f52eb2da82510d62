"""Objects checked by both validate() and ajv (test/reference/run.py).

Each case is {"entity", "data", "note"}: a base object that validate()
accepts, with one field changed (or the whole object replaced), at the
boundaries of every type, format and rule of the fixture.  A case may say
"known": the reason the two verdicts differ by design (README, "JSON
Schema"); run.py checks that they do differ, so the documentation stays
true.
"""

BASE = {
    "person": {"name": "Ann Lee", "external_id": "123e4567-e89b-12d3-a456-426614174000"},
    "team": {"name": "Core"},
    "post": {"title": "Hello", "status": "draft", "author_id": 1},
    "comment": {"body": "Nice", "post_id": 1},
    "profile": {"person_id": 1},
    "tag": {"name": "red"},
    "category": {"slug": "news", "title": "News"},
    "invoice": {"year": 2026, "number": 1},
    "event_log": {"payload": {"a": 1}, "blob": "AQID", "happened_at": "2026-01-31T12:00:00Z"},
    "class": {},
    "box": {"width": 1.5, "label": "abc"},
    "currency_rate": {"currency": "EUR", "rate": "0.5"},
    "payment": {"amount": "12.50"},
}

MISSING = object()

# (entity, field, [values])
VALUES = [
    ("person", "age", [0, 150, -1, 151, 1.5, "5", True, None, 2147483648, -2147483649]),
    ("person", "score", [-1.5, 1000, 1000.0001, -1.6, -2, "1", 0, 0.5, None]),
    ("person", "big", [-5, -6, 9007199254740991, 12, 1.5, "7"]),
    ("person", "external_id", ["123E4567-E89B-12D3-A456-426614174000",
                               "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
                               "123e4567e89b12d3a456426614174000", "", None, MISSING,
                               "123e4567-e89b-12d3-a456-42661417400g"]),
    ("person", "name", ["Ann", "ann", "", "Ann\nLee", "Ann Lee Smith", "A" + "a" * 119,
                        "A" + "a" * 120, None, MISSING, "Ann Lee\n", 5]),
    ("person", "nickname", ["a", "", "abcdefghijkl", "abcdefghijklm", "\u65e5\u672c", "x.1",
                            "\u00e9", "..", "_", "a b", None]),
    ("person", "email", ["a@b.co", "a@b", "a..b@c.de", ".a@b.co", "a.@b.co", "a@-b.co",
                         "a@b-.co", "a@b..co", "a@b.co.", "A@B.CO", "a" * 64 + "@b.co",
                         "a" * 65 + "@b.co", "a@" + "b" * 248 + ".co", "a@" + "b" * 249 + ".co",
                         "a b@c.de", "\u00fc@b.co", "a@b_c.de", "a@1.2", "a@@b.co",
                         "!#$%&'*+/=?^_`{|}~-@x.io", "a@b-c.d-e.fg", "@b.co", "a@", None]),
    ("person", "homepage", ["http://x", "https://a.b/c?d#e", "ftp://x", "http://", "http:///x",
                            "http://a b", "HTTP://x", "http://\u00e9", "http://?x", "http://#",
                            "https://[::1]:80/", "http://a\"b", None]),
    ("person", "last_seen", ["2026-01-31T12:00:00Z", "2026-01-31t12:00:00z",
                             "2026-01-31T12:00:00.123456+05:30", "2026-01-31 12:00:00Z",
                             "2026-02-30T00:00:00Z", "2026-01-31T24:00:00Z",
                             "2026-01-31T23:59:60Z", "2026-01-31T12:00:00+24:00",
                             "2026-01-31T12:00:00+23:59", "2026-01-31T12:00:00",
                             "2024-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
                             "2000-02-29T00:00:00Z", "0000-01-01T00:00:00Z",
                             "2026-01-31T12:00:00.Z", "2026-01-31T12:00:00+0530"]),
    ("person", "signup_day", ["2024-02-29", "2023-02-29", "0001-01-01", "0000-01-01",
                              "9999-12-31", "2026-1-1", "2026-13-01", "1900-02-29",
                              "2000-02-29", "2026-04-31", "2026-04-30", "20260101"]),
    ("person", "token", ["123e4567-e89b-12d3-a456-426614174000", "not-a-uuid",
                         "123E4567-E89B-12D3-A456-426614174000"]),
    ("person", "created_at", ["2026-01-31T12:00:00Z", "2026-01-31T12:00:00.1Z",
                              "2026-01-31T12:00:00.123Z", "2026-01-31T12:00:00.1234Z",
                              "2026-01-31T12:00:00+00:00", "2026-01-31t12:00:00Z",
                              "2026-02-29T12:00:00Z", None, MISSING]),
    ("person", "birthday", ["2024-02-29", "2023-02-29", None, 20240229]),
    ("person", "settings", [{"a": 1}, [1], "x", 1, None, False]),
    ("person", "avatar", ["", "AQID", "AQI=", "AQ==", "A===", "AQI", "AQ=I", "!!!!",
                          "AQID\n", None]),
    ("person", "active", [True, False, 0, "true", None]),
    ("person", "role", ["admin", "in review", "2fa-pending", "in_review", "ADMIN", None, 1]),
    ("person", "level", [1, 3, 4, "1", None]),
    ("person", "tier", ["gold", "silver", "bronze", "Gold", None]),
    ("person", "id", [5, None, "5", 1.5]),
    ("person", "team_id", [5, "x", None]),
    ("person", "manager_id", [7, 7.5]),
    ("person", "nope", [1]),
    ("person", "team", [{"id": 1}]),
    ("person", "posts", [[]]),
    ("team", "budget", ["0", "0.00", "12.5", "12.345", "12.340", "-0.01", "-0", "-0.00",
                        "99999999.50", "99999999.51", "99999999.5", "100000000", "99999999",
                        5, -1, 0, "1e5", "abc", "", "00012.30", ".5", "5.", "+5", " 5",
                        99999999, 100000000, None]),
    ("team", "name", ["ab", "a", "x" * 80, "x" * 81, None, MISSING]),
    ("team", "founded", ["2026-01-01", None, MISSING, "2026-02-29"]),
    ("post", "rating", ["-2.5", "-2.50000", "-2.51", "-2.4999", "10", "10.0", "10.000001",
                        "9.999", "-0", "0", "-3", "11", 11, 10, -2, -3,
                        "1234567890123456789.5", "0.000000000000000000001", "-2.500000001",
                        None]),
    ("post", "status", ["draft", "archived", "deleted", None, MISSING]),
    ("post", "author_id", [1, None, MISSING, "1"]),
    ("post", "published", [True, None, MISSING]),
    ("comment", "body", ["x", "", None, MISSING, "x" * 1000, "x" * 1001]),
    ("comment", "parent_id", [1, None]),
    ("comment", "created_at", [None, MISSING, "2026-01-31T12:00:00Z"]),
    ("profile", "id", ["123e4567-e89b-12d3-a456-426614174000", None, MISSING, "x"]),
    ("profile", "bio", ["x" * 500, "x" * 501, "\u65e5" * 500, "\u65e5" * 501]),
    ("tag", "name", ["x" * 40, "x" * 41, "", None, MISSING]),
    ("tag", "color", ["#00ff00", "#00FF00", "00ff00", "#00ff0", None]),
    ("category", "slug", ["a-b-c", "a--b", "-a", "a-", "abc9", "A", MISSING]),
    ("category", "parent_slug", ["news", None, 5]),
    ("invoice", "year", [2026, None, MISSING, "2026"]),
    ("invoice", "total", ["0", "1234567890.12", "12345678901.12", "1.234", None, MISSING]),
    ("invoice", "currency", ["EUR", "GBP", None, MISSING]),
    ("invoice", "issued_on", ["2026-01-31", None, MISSING]),
    ("invoice", "lines", [[], None, MISSING, {"x": 1}]),
    ("invoice", "customer", [None, "123e4567-e89b-12d3-a456-426614174000", "x"]),
    ("event_log", "payload", [0, None, MISSING, "x", [], {}]),
    ("event_log", "kind", ["true", "false", "null", "a.b", "a_b", True, None]),
    ("event_log", "blob", ["", None, MISSING]),
    ("event_log", "happened_at", [None, MISSING, "2026-01-31T12:00:00.5Z"]),
    ("class", "default", ["x", None, 1]),
    ("class", "function", [3, "3"]),
    ("class", "interface", [True, "yes"]),
    ("class", "new", ["x"]),
    ("class", "type", ["x"]),
    ("box", "width", [0, -0.1, 0.1, None, MISSING, "1"]),
    ("box", "label", ["abc", "abcd", "", None, MISSING, "\u65e5\u672c\u8a9e"]),
    ("box", "code", ["AB-123", "AB-12", "ab-123", "AB-123\n", "xAB-123", "AB-1234", None]),
    ("box", "note", ["a\nb", "ab", "axb", "xx a.b yy", "a\u65e5b"]),
    ("box", "dash", ["x-y@z", "+x-y@z", "-x-y@z", "xy@z", "*x-y@z"]),
    ("box", "pairs", [0, 2, -2, None, "2"]),
    ("currency_rate", "currency", ["JPY", "GBP", None, MISSING]),
    ("currency_rate", "rate", ["0.00001", "0.00000", "0.1", "1", "0.123456", "0.000010",
                               "0.000009", "0.00001000", "00.00001", 0, 1, None]),
    ("currency_rate", "whole", ["-100", "-101", "100", "100.0", "100.5", "0", "999", "1000",
                                "-99", 100, 101, -100, -101, "1.0", "1.5"]),
    ("payment", "amount", ["123456.78", "1234567.00", "1234567", "0.001", 999999, 1000000,
                           "-999999.99"]),
]

# Objects replaced as a whole.
WHOLE = [
    ("person", []),
    ("person", "x"),
    ("person", 1),
    ("person", {}),
    ("class", {"default": "x", "function": 1, "type": "t", "interface": False, "new": "n"}),
    ("box", {"width": 1, "label": "x", "extra": 1, "more": 2}),
]

# Known differences between validate() and the JSON Schema (README).
KNOWN = [
    ("box", "pairs", 3,
     "a custom validator is a SQL function: JSON Schema only names it in $comment"),
    ("person", "manager_id", 7.0,
     "JavaScript cannot tell 7.0 from 7: validate() refuses a JSON real for an integer column"),
    ("team", "budget", 12.5,
     "a decimal with a fraction is a string in JSON Schema; validate() also takes the number 12.5"),
]


def cases():
    out = []
    for entity, obj in WHOLE:
        out.append({"entity": entity, "data": obj, "note": "whole object %s" % _short(obj)})
    for entity, field, values in VALUES:
        for v in values:
            data = dict(BASE[entity])
            if v is MISSING:
                data.pop(field, None)
                note = "%s.%s missing" % (entity, field)
            else:
                data[field] = v
                note = "%s.%s = %s" % (entity, field, _short(v))
            out.append({"entity": entity, "data": data, "note": note})
    for entity, field, v, why in KNOWN:
        data = dict(BASE[entity])
        data[field] = v
        out.append({"entity": entity, "data": data, "note": "%s.%s = %s" % (entity, field, v),
                    "known": why})
    return out


def _short(v):
    import json
    text = json.dumps(v, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."
