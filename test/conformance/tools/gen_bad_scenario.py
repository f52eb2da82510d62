"""Writes scenarios/43_bad_relations_rules.json from the cases below: each
case defines what it needs, then makes the call that must fail; the message
expected is the one SQLite gives now (read each before committing), and the
conformance run checks PostgreSQL says the same.  Run as
    /usr/bin/python3 test/conformance/tools/gen_bad_scenario.py [path to rex_orm module]
"""
import json, sqlite3, sys
ID = {"id": {"type": "id"}}
def ent(cols=None, rels=None, **kw):
    d = {"columns": dict(ID, **(cols or {}))}
    if rels: d["relations"] = rels
    d.update(kw)
    return d
BT = lambda e, **k: dict({"kind": "belongs_to", "entity": e}, **k)
# (desc, setup [(name, def)], call, args, sqlstate)
CASES = [
 ("unknown relation kind", [], "define_entity", ["a", ent(rels={"x": {"kind": "has_few", "entity": "b"}})], "22023"),
 ("a relation needs an entity", [], "define_entity", ["a", ent(rels={"x": {"kind": "belongs_to"}})], "22023"),
 ("a relation cannot share a column's name", [], "define_entity", ["a", ent({"owner": {"type": "bigint"}}, {"owner": BT("b")})], "22023"),
 ("unknown on_delete action", [], "define_entity", ["a", ent(rels={"b": BT("b", on_delete="delete")})], "22023"),
 ("set_null with nullable: false", [], "define_entity", ["a", ent(rels={"b": BT("b", on_delete="set_null", nullable=False)})], "22023"),
 ("set_null on a NOT NULL foreign-key column", [], "define_entity", ["a", ent({"b_id": {"type": "bigint", "nullable": False}}, {"b": BT("b", on_delete="set_null")})], "22023"),
 ("nullable on a relation whose column is declared", [], "define_entity", ["a", ent({"b_id": {"type": "bigint"}}, {"b": BT("b", nullable=False)})], "22023"),
 ("two belongs_to over one foreign key", [], "define_entity", ["a", ent(rels={"b": BT("b", foreign_key="ref_id"), "c": BT("c", foreign_key="ref_id")})], "22023"),
 ("on_delete does not apply to many_to_many", [], "define_entity", ["a", ent(rels={"bs": {"kind": "many_to_many", "entity": "b", "on_delete": "cascade"}})], "22023"),
 ("a self many_to_many needs named keys", [], "define_entity", ["a", ent(rels={"friends": {"kind": "many_to_many", "entity": "a"}})], "22023"),
 ("the join table cannot be the entity's table", [], "define_entity", ["a", ent(rels={"bs": {"kind": "many_to_many", "entity": "b", "through": "a"}})], "22023"),
 ("a join-table column cannot be a key", [], "define_entity", ["a", ent(rels={"bs": {"kind": "many_to_many", "entity": "b", "columns": {"k": {"type": "integer", "primary_key": True}}}})], "22023"),
 ("a join-table column cannot be named like a foreign key", [], "define_entity", ["a", ent(rels={"bs": {"kind": "many_to_many", "entity": "b", "columns": {"b_id": {"type": "integer"}}}})], "22023"),
 ("min_length does not apply to integers", [], "define_entity", ["a", ent({"n": {"type": "integer", "validate": {"min_length": 1}}})], "22023"),
 ("unknown rule", [], "define_entity", ["a", ent({"s": {"type": "string", "validate": {"minlength": 1}}})], "22023"),
 ("unknown format", [], "define_entity", ["a", ent({"s": {"type": "string", "validate": {"format": "phone"}}})], "22023"),
 ("back references are not portable", [], "define_entity", ["a", ent({"s": {"type": "string", "validate": {"pattern": "(a)\\1"}}})], "22023"),
 ("\\b means different things", [], "define_entity", ["a", ent({"s": {"type": "string", "validate": {"pattern": "\\bword\\b"}}})], "22023"),
 ("look-ahead is refused", [], "define_entity", ["a", ent({"s": {"type": "string", "validate": {"pattern": "a(?=b)"}}})], "22023"),
 ("POSIX classes depend on the locale", [], "define_entity", ["a", ent({"s": {"type": "string", "validate": {"pattern": "[[:alpha:]]+"}}})], "22023"),
 ("an invalid regular expression", [], "define_entity", ["a", ent({"s": {"type": "string", "validate": {"pattern": "[a-"}}})], "22023"),
 ("min greater than max", [], "define_entity", ["a", ent({"n": {"type": "integer", "validate": {"min": 5, "max": 1}}})], "22023"),
 ("min_length greater than max_length", [], "define_entity", ["a", ent({"s": {"type": "string", "max_length": 3, "validate": {"min_length": 4}}})], "22023"),
 ("max_length twice", [], "define_entity", ["a", ent({"s": {"type": "string", "max_length": 3, "validate": {"max_length": 2}}})], "22023"),
 ("enum rule on an enum column", [], "define_entity", ["a", ent({"e": {"type": "enum", "values": ["x"], "validate": {"enum": ["x"]}}})], "22023"),
 ("enum values listed twice", [], "define_entity", ["a", ent({"s": {"type": "string", "validate": {"enum": ["x", "x"]}}})], "22023"),
 ("a message for a rule the column does not have", [], "define_entity", ["a", ent({"s": {"type": "string", "validate": {"min_length": 1, "messages": {"max_length": "too long"}}}})], "22023"),
 ("rules on an id column", [], "define_entity", ["a", {"columns": {"id": {"type": "id", "validate": {"required": True}}}}], "22023"),
 ("an unregistered custom validator", [], "define_entity", ["a", ent({"n": {"type": "integer", "validate": {"custom": "is_even"}}})], "42704"),
 ("plan: the target is not defined", [("a", ent(rels={"b": BT("ghost")}))], "plan", [], "22023"),
 ("plan: the foreign key column has the wrong type", [("b", ent()), ("a", ent({"b_id": {"type": "integer"}}, {"b": BT("b")}))], "plan", [], "22023"),
 ("plan: set_null on the other end's NOT NULL column", [("a", ent({"b_id": {"type": "bigint", "nullable": False}})), ("b", ent(rels={"as": {"kind": "has_many", "entity": "a", "on_delete": "set_null"}}))], "plan", [], "22023"),
 ("plan: inverse is not the other end", [("b", ent(rels={"x": {"kind": "has_many", "entity": "a", "foreign_key": "other_id"}})), ("a", ent(rels={"b": BT("b", inverse="x")}))], "plan", [], "22023"),
 ("plan: inverse names no relation", [("b", ent()), ("a", ent(rels={"b": BT("b", inverse="as")}))], "plan", [], "22023"),
 ("plan: a cycle of required foreign keys", [("a", ent(rels={"b": BT("b", nullable=False)})), ("b", ent(rels={"a": BT("a", nullable=False)}))], "plan", [], "22023"),
 ("plan: a required reference to its own table", [("a", ent(rels={"parent": BT("a", nullable=False)}))], "plan", [], "22023"),
 ("plan: the two ends disagree on on_delete", [("b", ent(rels={"as": {"kind": "has_many", "entity": "a", "on_delete": "cascade"}})), ("a", ent(rels={"b": BT("b", on_delete="restrict")}))], "plan", [], "22023"),
 ("plan: has_one and has_many over one foreign key", [("b", ent(rels={"as": {"kind": "has_many", "entity": "a"}, "one": {"kind": "has_one", "entity": "a", "foreign_key": "b_id"}})), ("a", ent())], "plan", [], "22023"),
 ("plan: a join table named like an entity's table", [("b", ent()), ("c", ent()), ("a", ent(rels={"bs": {"kind": "many_to_many", "entity": "b", "through": "c"}}))], "plan", [], "22023"),
 ("plan: two ends of a join table that do not mirror", [("b", ent(rels={"as": {"kind": "many_to_many", "entity": "a", "through": "ab"}})), ("a", ent(rels={"bs": {"kind": "many_to_many", "entity": "b", "through": "ab", "foreign_key": "x_id"}}))], "plan", [], "22023"),
 ("plan: references a column that is not unique", [("b", ent({"code": {"type": "string"}})), ("a", ent(rels={"b": BT("b", references="code")}))], "plan", [], "22023"),
 ("plan: a target with a composite key", [("b", {"columns": {"x": {"type": "integer"}, "y": {"type": "integer"}}, "primary_key": ["x", "y"]}), ("a", ent(rels={"b": BT("b")}))], "plan", [], "22023"),
]

def run(module):
    c = sqlite3.connect(":memory:", isolation_level=None)
    c.enable_load_extension(True); c.load_extension(module)
    out = []
    for desc, setup, call, args, st in CASES:
        c.execute("SAVEPOINT s")
        steps = []
        failed = None
        for n, d in setup:
            try:
                c.execute("select rex_define_entity(?, ?)", (n, json.dumps(d)))
                steps.append({"call": "define_entity", "args": [n, d], "ignore": ["warnings"], "expect_contains": {"status": "pending"}})
            except sqlite3.Error as e:
                failed = ("define_entity", [n, d], str(e)); break
        if failed is None:
            a = [x if isinstance(x, str) else json.dumps(x) for x in args]
            try:
                c.execute("select rex_%s(%s)" % (call, ",".join("?" * len(a))), a).fetchone()
                print("NO ERROR:", desc); 
            except sqlite3.Error as e:
                failed = (call, args, str(e))
        c.execute("ROLLBACK TO s"); c.execute("RELEASE s")
        if failed:
            fn, fargs, msg = failed
            msg = msg[5:] if msg.startswith("rex: ") else msg
            msg = msg.split("\nDETAIL:")[0].split("\nHINT:")[0]
            steps.append({"desc": desc, "call": fn, "args": fargs, "expect_error": {"sqlstate": st, "message": msg}})
            print("%-50s %s" % (desc, msg))
        out.append(steps)
    return out

if __name__ == "__main__":
    groups = run(sys.argv[1] if len(sys.argv) > 1 else "./rex_orm")
    steps = []
    for g in groups:
        steps += g
        names = sorted({s["args"][0] for s in g if s["call"] == "define_entity" and "expect_error" not in s})
        for n in names:
            steps.append({"call": "drop_entity", "args": [n], "ignore": ["warnings"], "expect_contains": {"status": "removed"}})
    steps.append({"desc": "nothing of the refused definitions was recorded", "call": "entities", "expect": []})
    doc = {"description": "Bad definitions of relations and rules, refused whole with the same message on both engines: "
           "what one definition says (at define_entity), what needs every definition (at plan), "
           "cycles that cannot be created, conflicting options.", "steps": steps}
    with open("test/conformance/scenarios/43_bad_relations_rules.json", "w") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1); f.write("\n")
