/*
 * test_relations_rules.c
 *		Unit tests of relations (relations.c, schema.c, fkeys.c) and
 *		validation rules (rules.c, rules_check.c, rules_sql.c, regex.c,
 *		formats.c): no database.
 */
#include "unit.h"
#include "relations.h"
#include "rex_dialect.h"
#include "rules.h"

#include <stdio.h>

/* ---------------------------------------------------------------- */
/* portable regular expressions */

typedef struct regex_case
{
	const char *pattern;
	const char *portable;		/* NULL: refused */
	const char *why;			/* part of the reason when refused */
} regex_case;

static const regex_case regex_cases[] = {
	{"^[a-z]+$", "^[a-z]+$", NULL},
	{"\\d{3}", "[0-9]{3}", NULL},
	{"[\\d_]+", "[0-9_]+", NULL},
	{"\\W", "[^A-Za-z0-9_]", NULL},
	{"\\s*x", "[ \\t\\n\\r\\f]*x", NULL},
	{"a.+?b", "a.+?b", NULL},
	{"(?:ab|cd){1,255}", "(?:ab|cd){1,255}", NULL},
	{"\\.\\$\\[", "\\.\\$\\[", NULL},
	{"日本.", "日本.", NULL},
	{"(a)\\1", NULL, "back references"},
	{"\\bx", NULL, "backspace"},
	{"a(?=b)", NULL, "look-around"},
	{"[[:alpha:]]", NULL, "locale"},
	{"[]a]", NULL, "cannot start with ']'"},
	{"a{256}", NULL, "255"},
	{"a{3,2}", NULL, "n <= m"},
	{"a**", NULL, "cannot follow another"},
	{"*a", NULL, "needs something before it"},
	{"a{x}", NULL, "bound"},
	{"(ab", NULL, "unbalanced"},
	{"ab)", NULL, "unbalanced"},
	{"[\\D]", NULL, "inside [...]"},
	{"\\x41", NULL, "not portable"},
	{"a++", NULL, "cannot follow another"},
};

static void
test_regex_portable(void **state)
{
	const regex_case *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	const char *why = NULL;
	const char *got = rex_regex_portable(ctx, c->pattern, &why);

	if (c->portable)
	{
		assert_non_null(got);
		assert_string_equal(got, c->portable);
	}
	else
	{
		assert_null(got);
		assert_non_null(why);
		assert_contains(why, c->why);
	}
}

typedef struct match_case
{
	const char *pattern;
	const char *subject;
	bool		matches;
} match_case;

static const match_case match_cases[] = {
	{"b", "abc", true},				/* unanchored search, as ~ */
	{"^b", "abc", false},
	{"a.c", "a\nc", true},			/* '.' matches a newline, as ~ */
	{"c$", "abc\n", false},			/* '$' only at the very end, as ~ */
	{"^.{3}$", "日本語", true},		/* characters, not bytes */
	{"^.{3}$", "日本", false},
	{"^\\d+$", "١٢٣", false},			/* \d is ASCII */
	{"^\\w+$", "été", false},			/* \w is ASCII */
	{"^[é-ë]$", "ê", true},			/* ranges by code point */
	{"^a+?$", "aaa", true},			/* lazy means the same for yes/no */
};

static void
test_regex_match(void **state)
{
	const match_case *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	const char *why = NULL;
	const char *p = rex_regex_portable(ctx, c->pattern, &why);
	bool		m;

	assert_non_null(p);
	assert_ok(ctx, rex_regex_match(ctx, p, c->subject, &m));
	if (m != c->matches)
		unit_fail("%s on \"%s\": expected %s", c->pattern, c->subject, c->matches ? "a match" : "no match");
}

/* ---------------------------------------------------------------- */
/* formats */

typedef struct format_case
{
	rex_format	format;
	const char *value;
	bool		valid;
} format_case;

static const format_case format_cases[] = {
	{REX_FORMAT_EMAIL, "a@b.co", true},
	{REX_FORMAT_EMAIL, "o'neil+x@sub.example.org", true},
	{REX_FORMAT_EMAIL, "a@b", false},
	{REX_FORMAT_EMAIL, "a..b@c.co", false},
	{REX_FORMAT_EMAIL, "a@b-.co", false},
	{REX_FORMAT_EMAIL, "a@-b.co", false},
	{REX_FORMAT_EMAIL, "a@b.co.", false},
	{REX_FORMAT_EMAIL, "a@@b.co", false},
	{REX_FORMAT_EMAIL, "é@b.co", false},
	{REX_FORMAT_UUID, "123E4567-e89b-12d3-a456-426614174000", true},
	{REX_FORMAT_UUID, "123e4567e89b12d3a456426614174000", false},
	{REX_FORMAT_URL, "https://example.com/a?b#c", true},
	{REX_FORMAT_URL, "http://", false},
	{REX_FORMAT_URL, "https:///x", false},
	{REX_FORMAT_URL, "http://a b", false},
	{REX_FORMAT_URL, "ftp://a", false},
	{REX_FORMAT_DATE, "2024-02-29", true},
	{REX_FORMAT_DATE, "2023-02-29", false},
	{REX_FORMAT_DATE, "0000-01-01", false},
	{REX_FORMAT_DATE_TIME, "2026-01-31T23:59:59.5+05:30", true},
	{REX_FORMAT_DATE_TIME, "2026-01-31t00:00:00z", true},
	{REX_FORMAT_DATE_TIME, "2026-01-31T24:00:00Z", false},
	{REX_FORMAT_DATE_TIME, "2026-01-31T12:00:00.Z", false},
	{REX_FORMAT_DATE_TIME, "2026-01-31T12:00:00+24:00", false},
	{REX_FORMAT_DATE_TIME, "2026-01-31T12:00:00", false},
};

static void
test_format(void **state)
{
	const format_case *c = unit_param(state);

	if (rex_format_valid(c->format, c->value) != c->valid)
		unit_fail("format %s of \"%s\": expected %s", rex_format_names[c->format], c->value,
				  c->valid ? "valid" : "invalid");
}

/* ---------------------------------------------------------------- */
/* rules: parsing, canonical form, CHECKs, values */

static void
test_rules_canonical(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	json_t	   *canon;
	rex_entity *e = parse_ok(ctx, "u", unit_q(ctx,
		"{'columns': {'id': {'type': 'id'}, 'e': {'type': 'string', 'validate': {"
		"'format': 'email', 'required': true, 'custom': ['a', 'b'], 'messages': {'required': 'Say it.'}}}}}"),
		&canon);
	const rex_column *c = rex_entity_column(e, "e");

	assert_int_equal(c->nrules, 4);
	assert_int_equal(c->rules[0].kind, REX_RULE_REQUIRED);
	assert_string_equal(c->rules[0].message, "Say it.");
	assert_int_equal(c->rules[1].kind, REX_RULE_FORMAT);
	assert_string_equal(unit_canon_text(ctx, json_object_get(json_object_get(json_object_get(canon, "columns"), "e"), "validate")),
						"{\"custom\":[\"a\",\"b\"],\"format\":\"email\",\"messages\":{\"required\":\"Say it.\"},\"required\":true}");
	/* parsing the canonical form again gives it back */
	{
		rex_entity *again;

		assert_ok(ctx, rex_definition_from_json(ctx, "u", canon, &again));
		assert_int_equal(rex_entity_column(again, "e")->nrules, 4);
	}
}

static void
test_rule_checks(void **state)
{
	unit_fixture *f = unit_fix(state);
	rex_entity *e = parse_ok(f->pg, "u", unit_q(f->pg,
		"{'columns': {'id': {'type': 'id'}, 'n': {'type': 'decimal', 'precision': 5, 'scale': 1, "
		"'validate': {'min': 0.5, 'max': 10}}, 's': {'type': 'text', 'validate': {'pattern': '^\\\\d+$', "
		"'enum': ['1', 'it\\u0027s']}}}}"), NULL);
	const rex_column *n = rex_entity_column(e, "n");
	const rex_column *s = rex_entity_column(e, "s");
	rex_buf		b;

	rex_buf_init(&b, f->pg);
	assert_true(rex_rule_check_sql(f->pg, &b, n, &n->rules[0], NULL));
	assert_string_equal(b.data, "\"n\" IS NULL OR (\"n\" >= 0.5)");
	rex_buf_init(&b, f->sqlite);
	assert_true(rex_rule_check_sql(f->sqlite, &b, n, &n->rules[1], NULL));
	assert_string_equal(b.data, "\"n\" IS NULL OR (CAST(\"n\" AS REAL) <= 10)");
	rex_buf_init(&b, f->pg);
	assert_true(rex_rule_check_sql(f->pg, &b, s, &s->rules[0], NULL));
	assert_contains(b.data, "~ '^[0-9]+$'");
	rex_buf_init(&b, f->sqlite);
	assert_false(rex_rule_check_sql(f->sqlite, &b, s, &s->rules[0], NULL));
	assert_string_equal(b.data, "");
	rex_buf_init(&b, f->sqlite);
	assert_true(rex_rule_check_sql(f->sqlite, &b, s, &s->rules[1], NULL));
	assert_string_equal(b.data, "\"s\" IS NULL OR (\"s\" IN ('1', 'it''s'))");
	assert_string_equal(rex_rule_constraint_name(f->pg, "t", s, &s->rules[0]), "t_s_pattern");
}

static void
test_check_value(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	rex_entity *e = parse_ok(ctx, "u", unit_q(ctx,
		"{'columns': {'id': {'type': 'id'}, 'name': {'type': 'string', 'max_length': 3, 'nullable': false}, "
		"'age': {'type': 'integer', 'validate': {'min': 18}}}}"), NULL);
	json_t	   *out = rex_json_own(ctx, json_array());

	assert_ok(ctx, rex_rules_check_value(ctx, e, rex_entity_column(e, "name"), NULL, out));
	assert_ok(ctx, rex_rules_check_value(ctx, e, rex_entity_column(e, "age"), rex_json_own(ctx, json_integer(17)), out));
	assert_string_equal(unit_canon_text(ctx, out),
						"[{\"message\":\"is required\",\"path\":\"name\",\"rule\":\"required\"},"
						"{\"message\":\"must be at least 18\",\"path\":\"age\",\"rule\":\"min\"}]");
	json_array_clear(out);
	assert_ok(ctx, rex_rules_check_value(ctx, e, rex_entity_column(e, "name"), rex_json_own(ctx, json_string("日本語")), out));
	assert_int_equal(json_array_size(out), 0);	/* 3 characters, 9 bytes */
	assert_ok(ctx, rex_rules_check_value(ctx, e, rex_entity_column(e, "id"), NULL, out));
	assert_int_equal(json_array_size(out), 0);	/* generated */
}

/* ---------------------------------------------------------------- */
/* relations resolved across entities */

/* Parses the single-quoted definitions (name, def, name, def, ..., NULL). */
static rex_schema
schema_of(rex_ctx *ctx, const char *const *defs)
{
	rex_schema	s;
	int			n = 0,
				i;

	memset(&s, 0, sizeof(s));
	while (defs[2 * n])
		n++;
	s.entities = rex_alloc0(ctx, sizeof(rex_entity *) * (size_t) (n + 1));
	s.applied = rex_alloc0(ctx, sizeof(bool) * (size_t) (n + 1));
	for (i = 0; i < n; i++)
		s.entities[s.n++] = parse_ok(ctx, defs[2 * i], unit_q(ctx, defs[2 * i + 1]), NULL);
	return s;
}

static const char *const blog[] = {
	"comment", "{'columns': {'id': {'type': 'id'}}, 'relations': {"
	"'post': {'kind': 'belongs_to', 'entity': 'post', 'nullable': false, 'on_delete': 'cascade'}}}",
	"post", "{'columns': {'id': {'type': 'id'}}, 'relations': {"
	"'author': {'kind': 'belongs_to', 'entity': 'user'},"
	"'comments': {'kind': 'has_many', 'entity': 'comment', 'foreign_key': 'post_id'},"
	"'tags': {'kind': 'many_to_many', 'entity': 'tag'}}}",
	"tag", "{'columns': {'id': {'type': 'id'}}}",
	"user", "{'columns': {'id': {'type': 'uuid', 'primary_key': true}}}",
	NULL
};

static void
test_resolve_blog(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_schema	s = schema_of(ctx, blog);
	rex_entity *post,
			   *comment;
	int			i;
	const char *order[] = {"user", "post", "comment", "tag", "post_tag"};

	assert_ok(ctx, rex_schema_resolve(ctx, &s));
	assert_int_equal(s.norder, 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(s.order[i]->name, order[i]);
	post = rex_schema_entity(&s, "post");
	comment = rex_schema_entity(&s, "comment");
	/* generated column typed like the key, with its index and foreign key */
	assert_int_equal(rex_entity_column(post, "author_id")->type, REX_T_UUID);
	assert_int_equal(post->nfkeys, 1);
	assert_string_equal(post->fkeys[0].name, "post_author_id_fkey");
	assert_string_equal(post->fkeys[0].ref_column, "id");
	/* the two ends of post_id are one foreign key */
	assert_int_equal(comment->nfkeys, 1);
	assert_int_equal(comment->fkeys[0].on_delete, REX_FK_CASCADE);
	assert_false(rex_entity_column(comment, "post_id")->nullable);
	/* the join table */
	assert_int_equal(s.njoins, 1);
	assert_string_equal(s.joins[0]->join_of, "post.tags");
	assert_int_equal(s.joins[0]->npk, 2);
	assert_int_equal(s.joins[0]->nfkeys, 2);
	assert_int_equal(s.joins[0]->fkeys[1].on_delete, REX_FK_CASCADE);
}

static void
test_resolve_cycle_deferred(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	static const char *const defs[] = {
		"a", "{'columns': {'id': {'type': 'id'}}, 'relations': {'b': {'kind': 'belongs_to', 'entity': 'b'}}}",
		"b", "{'columns': {'id': {'type': 'id'}}, 'relations': {'a': {'kind': 'belongs_to', 'entity': 'a'}}}",
		NULL
	};
	rex_schema	s = schema_of(ctx, defs);
	int			deferred = 0,
				i;

	assert_ok(ctx, rex_schema_resolve(ctx, &s));
	for (i = 0; i < s.n; i++)
		deferred += s.entities[i]->nfkeys == 1 && s.entities[i]->fkeys[0].deferred_on_pg;
	assert_int_equal(deferred, 1);
}

typedef struct resolve_error
{
	const char *a_def;
	const char *b_def;
	const char *message;
} resolve_error;

static const resolve_error resolve_errors[] = {
	{"{'columns': {'id': {'type': 'id'}}, 'relations': {'x': {'kind': 'belongs_to', 'entity': 'nobody'}}}",
	 "{'columns': {'id': {'type': 'id'}}}",
	 "entity \"a\": relations.x: refers to entity \"nobody\", which is not defined"},
	{"{'columns': {'id': {'type': 'id'}}, 'relations': {'b': {'kind': 'belongs_to', 'entity': 'b', 'nullable': false}}}",
	 "{'columns': {'id': {'type': 'id'}}, 'relations': {'a': {'kind': 'belongs_to', 'entity': 'a', 'nullable': false}}}",
	 "foreign keys form a cycle of required values"},
	{"{'columns': {'id': {'type': 'id'}, 'b_id': {'type': 'text'}}, 'relations': {'b': {'kind': 'belongs_to', 'entity': 'b'}}}",
	 "{'columns': {'id': {'type': 'id'}}}",
	 "foreign key column \"a.b_id\" is text, but the key it refers to, \"b.id\", is id"},
	{"{'columns': {'id': {'type': 'id'}}, 'relations': {'b': {'kind': 'belongs_to', 'entity': 'b', 'inverse': 'zz'}}}",
	 "{'columns': {'id': {'type': 'id'}}}",
	 "inverse \"zz\" is not a relation of entity \"b\""},
};

static void
test_resolve_error(void **state)
{
	const resolve_error *c = unit_param(state);
	rex_ctx    *ctx = unit_ctx(state, &rex_dialect_sqlite);
	const char *defs[] = {"a", c->a_def, "b", c->b_def, NULL};
	rex_schema	s = schema_of(ctx, defs);

	assert_status(ctx, rex_schema_resolve(ctx, &s), REX_ERR_DEFINITION);
	assert_contains(ctx->err.message, c->message);
}

static void
test_fk_ddl(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->sqlite;
	rex_schema	s = schema_of(ctx, blog);
	rex_buf		b;

	assert_ok(ctx, rex_schema_resolve(ctx, &s));
	rex_buf_init(&b, ctx);
	rex_fk_clause(ctx, &b, &rex_schema_entity(&s, "comment")->fkeys[0]);
	assert_string_equal(b.data, ",\n  CONSTRAINT \"comment_post_id_fkey\" FOREIGN KEY (\"post_id\") "
						"REFERENCES \"post\" (\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
	assert_string_equal(rex_fk_drop_sql(unit_fix(state)->pg, "public", rex_schema_entity(&s, "comment"),
										&rex_schema_entity(&s, "comment")->fkeys[0]),
						"ALTER TABLE \"public\".\"comment\" DROP CONSTRAINT \"comment_post_id_fkey\"");
}

/* Declared in unit.h once it lists this file's registration function. */

/* A test name (unit_add copies it). */
static const char *
name_of(char *buf, size_t size, const char *fmt, const char *a, const char *b)
{
	snprintf(buf, size, fmt, a, b);
	return buf;
}

void
unit_register_relations_rules(unit_suite *s)
{
	char		name[256];
	size_t		i;

	for (i = 0; i < sizeof(regex_cases) / sizeof(regex_cases[0]); i++)
		unit_add(s, name_of(name, sizeof(name), "regex portable: %s%s", regex_cases[i].pattern, ""),
				 test_regex_portable, &regex_cases[i]);
	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++)
		unit_add(s, name_of(name, sizeof(name), "regex match: %s on %s", match_cases[i].pattern,
						 match_cases[i].subject),
				 test_regex_match, &match_cases[i]);
	for (i = 0; i < sizeof(format_cases) / sizeof(format_cases[0]); i++)
		unit_add(s, name_of(name, sizeof(name), "format %s: %s", rex_format_names[format_cases[i].format],
						 format_cases[i].value),
				 test_format, &format_cases[i]);
	unit_add(s, "rules: canonical form and messages", test_rules_canonical, NULL);
	unit_add(s, "rules: CHECK text on each dialect", test_rule_checks, NULL);
	unit_add(s, "rules: values checked in C", test_check_value, NULL);
	unit_add(s, "relations: a blog resolved", test_resolve_blog, NULL);
	unit_add(s, "relations: a cycle of nullable keys defers one", test_resolve_cycle_deferred, NULL);
	for (i = 0; i < sizeof(resolve_errors) / sizeof(resolve_errors[0]); i++)
		unit_add(s, name_of(name, sizeof(name), "relations: refused: %s%s", resolve_errors[i].message, ""),
				 test_resolve_error, &resolve_errors[i]);
	unit_add(s, "relations: foreign-key DDL", test_fk_ddl, NULL);
}
