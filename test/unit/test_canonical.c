/*
 * test_canonical.c
 *		Unit tests of the canonical form of definitions (definition.c):
 *		its exact content, idempotence, the column order rule and the
 *		irrelevance of key order in the input.
 */
#include "unit.h"
#include "plan.h"

/* Definitions that cover every type, option and form. */
static const char *const samples[] = {
	"{'columns': {'id': {'type': 'id'}}}",
	"{'table': 'people', 'description': 'People we know',"
	" 'columns': {'id': {'type': 'id'},"
	"  'name': {'type': 'string', 'max_length': 120, 'nullable': false, 'description': 'Full name'},"
	"  'email': {'type': 'string', 'unique': true},"
	"  'age': {'type': 'integer'},"
	"  'role': {'type': 'enum', 'values': ['admin', 'member'], 'default': 'member'},"
	"  'created_at': {'type': 'timestamp', 'default': 'now'}},"
	" 'indexes': [{'columns': ['name', 'age']}, {'columns': 'role', 'unique': false, 'name': 'by_role'}]}",
	"{'columns': {'code': {'type': 'uuid', 'primary_key': true},"
	"  'u2': {'type': 'uuid', 'default': '123E4567-E89B-12D3-A456-426614174000'},"
	"  's': {'type': 'string', 'default': 'it\\u0027s'},"
	"  't': {'type': 'text', 'default': 'back\\\\slash'},"
	"  'i': {'type': 'integer', 'default': -5},"
	"  'b': {'type': 'bigint', 'default': 9007199254740993},"
	"  'f': {'type': 'float', 'default': 2},"
	"  'f2': {'type': 'float', 'default': 0.25},"
	"  'd': {'type': 'decimal', 'precision': 10, 'scale': 2, 'default': '12.5'},"
	"  'd2': {'type': 'decimal', 'default': 7},"
	"  'd3': {'type': 'decimal', 'precision': 5, 'default': '-0'},"
	"  'bo': {'type': 'boolean', 'default': false, 'nullable': false},"
	"  'ts': {'type': 'timestamp', 'default': '2026-01-31T12:00:00.5Z'},"
	"  'da': {'type': 'date', 'default': '2024-02-29'},"
	"  'dn': {'type': 'date', 'default': 'now'},"
	"  'j': {'type': 'json', 'default': {'b': [1, 2.5, null], 'a': 'x'}},"
	"  'j2': {'type': 'json', 'default': false},"
	"  'by': {'type': 'bytes', 'default': 'AAEC/w=='},"
	"  'e': {'type': 'enum', 'values': ['z', 'a'], 'default': 'a', 'unique': true}}}",
	"{'columns': [{'name': 'user_id', 'type': 'bigint'}, {'name': 'team_id', 'type': 'bigint'},"
	"  {'name': 'since', 'type': 'date', 'default': 'now'}],"
	" 'primary_key': ['team_id', 'user_id'], 'indexes': [{'columns': ['since'], 'unique': true}]}",
	"{'table': 'a23456789012345678901234567890123456789012345678901234567890123',"
	" 'columns': {'b23456789012345678901234567890123456789012345678901234567890123': {'type': 'text', 'unique': true},"
	"  'k': {'type': 'text'}}, 'primary_key': 'k'}",
	NULL
};

/* Parsing the canonical JSON again gives the same canonical JSON. */
static void
test_idempotent(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	int			i;

	for (i = 0; samples[i]; i++)
	{
		json_t	   *c1;
		json_t	   *c2;
		json_t	   *c3;
		const char *t1;
		const char *t2;
		rex_entity *e;

		parse_ok(ctx, "sample", unit_q(ctx, samples[i]), &c1);
		t1 = unit_canon_text(ctx, c1);
		parse_ok(ctx, "sample", t1, &c2);
		t2 = unit_canon_text(ctx, c2);
		if (strcmp(t1, t2) != 0)
			unit_fail("sample %d is not idempotent:\n  %s\n  %s", i, t1, t2);
		assert_true(json_equal(c1, c2));
		/* the JSON value itself, as the catalog hands it back, too */
		assert_ok(ctx, rex_definition_from_json(ctx, "sample", c2, &e));
		parse_ok(ctx, "sample", rex_json_text(ctx, c1, REX_JSON_OUTPUT), &c3);
		assert_string_equal(unit_canon_text(ctx, c3), t1);
	}
}

/* The canonical form of a typical entity, in full. */
static void
test_canonical_content(void **state)
{
	static const char def[] =
	"{'table': 'users', 'columns': {"
	"'id': {'type': 'id'},"
	"'name': {'type': 'string', 'max_length': 120, 'nullable': false},"
	"'email': {'type': 'string', 'unique': true},"
	"'age': {'type': 'integer'},"
	"'role': {'type': 'enum', 'values': ['admin', 'member'], 'default': 'member'},"
	"'created_at': {'type': 'timestamp', 'default': 'now'}},"
	"'indexes': [{'columns': ['name', 'age']}]}";
	static const char want[] =
	"{'columns':{"
	"'age':{'nullable':true,'type':'integer','unique':false},"
	"'created_at':{'default':'now','nullable':true,'type':'timestamp','unique':false},"
	"'email':{'nullable':true,'type':'string','unique':true},"
	"'id':{'nullable':false,'type':'id','unique':false},"
	"'name':{'max_length':120,'nullable':false,'type':'string','unique':false},"
	"'role':{'default':'member','nullable':true,'type':'enum','unique':false,"
	"'values':['admin','member']}},"
	"'indexes':[{'columns':['name','age'],'name':'users_name_age_idx','unique':false}],"
	"'primary_key':['id'],'table':'users'}";
	rex_ctx    *ctx = unit_fix(state)->pg;
	json_t	   *canon;

	parse_ok(ctx, "users", unit_q(ctx, def), &canon);
	assert_string_equal(unit_canon_text(ctx, canon), unit_q(ctx, want));
}

/* Defaults in canonical form; column keys move to the top level. */
static void
test_canonical_defaults(void **state)
{
	static const char def[] =
	"{'description': 'x', 'columns': {'code': {'type': 'uuid', 'primary_key': true},"
	"'u': {'type': 'uuid', 'default': '123E4567-E89B-12D3-A456-42661417400F'},"
	"'f': {'type': 'float', 'default': 2},"
	"'d': {'type': 'decimal', 'precision': 6, 'scale': 2, 'default': 12},"
	"'d0': {'type': 'decimal', 'precision': 4, 'default': '0012'},"
	"'du': {'type': 'decimal', 'default': '-000.10'},"
	"'ts': {'type': 'timestamp', 'default': '2026-01-31T12:00:00.5Z'},"
	"'j': {'type': 'json', 'default': {'z': 1, 'a': [true]}}}}";
	static const char want[] =
	"{'columns':{"
	"'code':{'nullable':false,'type':'uuid','unique':false},"
	"'d':{'default':'12.00','nullable':true,'precision':6,'scale':2,'type':'decimal','unique':false},"
	"'d0':{'default':'12','nullable':true,'precision':4,'scale':0,'type':'decimal','unique':false},"
	"'du':{'default':'-0.10','nullable':true,'type':'decimal','unique':false},"
	"'f':{'default':2.0,'nullable':true,'type':'float','unique':false},"
	"'j':{'default':{'a':[true],'z':1},'nullable':true,'type':'json','unique':false},"
	"'ts':{'default':'2026-01-31T12:00:00.500Z','nullable':true,'type':'timestamp','unique':false},"
	"'u':{'default':'123e4567-e89b-12d3-a456-42661417400f','nullable':true,'type':'uuid',"
	"'unique':false}},"
	"'description':'x','indexes':[],'primary_key':['code'],'table':'thing'}";
	rex_ctx    *ctx = unit_fix(state)->pg;
	json_t	   *canon;

	parse_ok(ctx, "thing", unit_q(ctx, def), &canon);
	assert_string_equal(unit_canon_text(ctx, canon), unit_q(ctx, want));
}

/* The array form keeps its order and writes each column's name. */
static void
test_canonical_array(void **state)
{
	static const char def[] =
	"{'table': 'members', 'columns': [{'name': 'user_id', 'type': 'bigint'},"
	"{'name': 'team_id', 'type': 'bigint'}, {'name': 'role', 'type': 'text'}],"
	"'primary_key': ['team_id', 'user_id']}";
	static const char want[] =
	"{'columns':["
	"{'name':'user_id','nullable':false,'type':'bigint','unique':false},"
	"{'name':'team_id','nullable':false,'type':'bigint','unique':false},"
	"{'name':'role','nullable':true,'type':'text','unique':false}],"
	"'indexes':[],'primary_key':['team_id','user_id'],'table':'members'}";
	rex_ctx    *ctx = unit_fix(state)->pg;
	json_t	   *canon;
	rex_entity *e = parse_ok(ctx, "membership", unit_q(ctx, def), &canon);

	assert_true(e->columns_as_array);
	assert_string_equal(e->columns[0].name, "user_id");
	assert_string_equal(e->columns[1].name, "team_id");
	assert_string_equal(e->columns[2].name, "role");
	assert_string_equal(unit_canon_text(ctx, canon), unit_q(ctx, want));
}

/* Object form: key columns first in key order, then the rest by name. */
static void
test_column_order(void **state)
{
	static const char by_name[] =
	"{'columns': {'zeta': {'type': 'text'}, 'alpha': {'type': 'text'},"
	"'id': {'type': 'id'}, 'Mid': {'type': 'text'}, 'mid2': {'type': 'text'}}}";
	static const char composite[] =
	"{'columns': {'c': {'type': 'text'}, 'a': {'type': 'text'}, 'z': {'type': 'text'},"
	"'b': {'type': 'text'}}, 'primary_key': ['z', 'b']}";
	static const char array[] =
	"{'columns': [{'name': 'zeta', 'type': 'text'}, {'name': 'alpha', 'type': 'text'},"
	"{'name': 'id', 'type': 'id'}]}";
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_entity *e;

	e = parse_ok(ctx, "t", unit_q(ctx, by_name), NULL);
	assert_int_equal(e->ncolumns, 5);
	assert_string_equal(e->columns[0].name, "id");
	/* byte order: upper case sorts before lower case */
	assert_string_equal(e->columns[1].name, "Mid");
	assert_string_equal(e->columns[2].name, "alpha");
	assert_string_equal(e->columns[3].name, "mid2");
	assert_string_equal(e->columns[4].name, "zeta");

	e = parse_ok(ctx, "t", unit_q(ctx, composite), NULL);
	assert_string_equal(e->columns[0].name, "z");
	assert_string_equal(e->columns[1].name, "b");
	assert_string_equal(e->columns[2].name, "a");
	assert_string_equal(e->columns[3].name, "c");

	/* the array form keeps its own order, key last included */
	e = parse_ok(ctx, "t", unit_q(ctx, array), NULL);
	assert_string_equal(e->columns[0].name, "zeta");
	assert_string_equal(e->columns[1].name, "alpha");
	assert_string_equal(e->columns[2].name, "id");
}

/* The DDL of a definition for both dialects, joined. */
static const char *
ddl_text(rex_ctx *ctx, const rex_entity *e)
{
	rex_plan	plan;
	rex_buf		b;
	int			i;

	memset(&plan, 0, sizeof(plan));
	assert_ok(ctx, rex_ddl_create_entity(ctx, "public", e, &plan));
	rex_buf_init(&b, ctx);
	for (i = 0; i < plan.nsteps; i++)
	{
		rex_buf_append(&b, plan.steps[i].sql);
		rex_buf_append(&b, ";\n");
	}
	return b.data;
}

/* The same definition with its keys in another order. */
static void
test_key_order(void **state)
{
	unit_fixture *f = unit_fix(state);
	const char *one =
	"{'table': 'users', 'description': 'd', 'columns': {"
	"'id': {'type': 'id'},"
	"'name': {'type': 'string', 'max_length': 12, 'nullable': false, 'unique': true},"
	"'role': {'type': 'enum', 'values': ['b', 'a'], 'default': 'a'},"
	"'price': {'type': 'decimal', 'precision': 8, 'scale': 2}},"
	"'indexes': [{'columns': ['role', 'price'], 'unique': true}]}";
	const char *two =
	"{'indexes': [{'unique': true, 'columns': ['role', 'price']}],"
	"'columns': {"
	"'price': {'scale': 2, 'precision': 8, 'type': 'decimal'},"
	"'role': {'default': 'a', 'values': ['b', 'a'], 'type': 'enum'},"
	"'name': {'unique': true, 'nullable': false, 'max_length': 12, 'type': 'string'},"
	"'id': {'type': 'id'}},"
	"'description': 'd', 'table': 'users'}";
	rex_ctx    *ctxs[2];
	int			k;

	ctxs[0] = f->pg;
	ctxs[1] = f->sqlite;
	for (k = 0; k < 2; k++)
	{
		rex_ctx    *ctx = ctxs[k];
		json_t	   *c1;
		json_t	   *c2;
		rex_entity *e1 = parse_ok(ctx, "users", unit_q(ctx, one), &c1);
		rex_entity *e2 = parse_ok(ctx, "users", unit_q(ctx, two), &c2);

		assert_string_equal(unit_canon_text(ctx, c1), unit_canon_text(ctx, c2));
		assert_string_equal(ddl_text(ctx, e1), ddl_text(ctx, e2));
	}
	/* and the enum values keep their own order: they are a list */
	assert_contains(ddl_text(f->pg, parse_ok(f->pg, "users", unit_q(f->pg, one), NULL)),
					"IN ('b', 'a')");
}

void
unit_register_canonical(unit_suite *s)
{
	unit_add(s, "canonical: parsing canonical JSON again gives it back unchanged", test_idempotent, NULL);
	unit_add(s, "canonical: every attribute filled in, generated index names", test_canonical_content, NULL);
	unit_add(s, "canonical: defaults normalised, column primary_key moved to the top",
			 test_canonical_defaults, NULL);
	unit_add(s, "canonical: array form keeps array order and names", test_canonical_array, NULL);
	unit_add(s, "canonical: object form orders key columns first, then by name", test_column_order, NULL);
	unit_add(s, "canonical: key order of the input changes neither JSON nor DDL", test_key_order, NULL);
}
