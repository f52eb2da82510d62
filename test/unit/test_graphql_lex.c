/*
 * test_graphql_lex.c
 *		Unit tests of the GraphQL lexer (graphql_lex.c): tokens and their
 *		locations, ignored tokens, strings and their escapes, block strings,
 *		numbers, UTF-8, and every lexical error with its location.
 */
#include "test_frontend.h"
#include "graphql_lex.h"

#include <stdio.h>

/* Lexes all of 'text'; returns "KIND@line:col KIND@line:col ..." */
static const char *
lex_all(rex_ctx *ctx, const char *text, size_t len)
{
	rex_gql_lexer lx;
	rex_gql_errors errs;
	char	   *out = rex_strdup(ctx, "");

	rex_gql_errors_init(&errs, 0);
	rex_gql_lexer_init(&lx, ctx, &errs, text, len, 0);
	for (;;)
	{
		if (rex_gql_lex_next(&lx) != REX_OK)
			return rex_psprintf(ctx, "%sERROR %s", out, gql_errors_text(ctx, &errs));
		out = rex_psprintf(ctx, "%s%s%s@%d:%d", out, *out ? " " : "",
						   rex_gql_token_desc(ctx, &lx.tok), lx.tok.loc.line,
						   lx.tok.loc.column);
		if (lx.tok.kind == REX_GQL_TK_EOF)
			return out;
	}
}

#define LEX(ctx, s) lex_all((ctx), (s), strlen(s))

/* Every punctuator, with its location. */
static void
test_punctuators(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_string_equal(LEX(ctx, "! $ & ( ) ... : = @ [ ] { | }"),
						"\"!\"@1:1 \"$\"@1:3 \"&\"@1:5 \"(\"@1:7 \")\"@1:9 \"...\"@1:11 "
						"\":\"@1:15 \"=\"@1:17 \"@\"@1:19 \"[\"@1:21 \"]\"@1:23 \"{\"@1:25 "
						"\"|\"@1:27 \"}\"@1:29 <EOF>@1:30");
	/* no space needed between punctuators */
	assert_string_equal(LEX(ctx, "{a}"), "\"{\"@1:1 Name \"a\"@1:2 \"}\"@1:3 <EOF>@1:4");
}

/* Ignored tokens: BOM, tabs, commas, comments, LF, CR and CR LF. */
static void
test_ignored_and_lines(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_string_equal(LEX(ctx, "\xEF\xBB\xBF" "a,,b\t c # comment, { }\nd"),
						"Name \"a\"@1:2 Name \"b\"@1:5 Name \"c\"@1:8 Name \"d\"@2:1 <EOF>@2:2");
	assert_string_equal(LEX(ctx, "a\r\nb\rc\n\nd"),
						"Name \"a\"@1:1 Name \"b\"@2:1 Name \"c\"@3:1 Name \"d\"@5:1 <EOF>@5:2");
	/* a comment at the very end, and a CR that ends it */
	assert_string_equal(LEX(ctx, "a #x\rb #y"),
						"Name \"a\"@1:1 Name \"b\"@2:1 <EOF>@2:5");
	/* columns count code points: two-byte and four-byte characters */
	assert_string_equal(LEX(ctx, "\"\xC3\xA9\xF0\x9F\x98\x80\" x"),
						"String \"\xC3\xA9\xF0\x9F\x98\x80\"@1:1 Name \"x\"@1:6 <EOF>@1:7");
	/* and so do comments */
	assert_string_equal(LEX(ctx, "# \xC3\xA9\xC3\xA9\n  \xEF\xBB\xBFx"),
						"Name \"x\"@2:4 <EOF>@2:5");
	assert_string_equal(LEX(ctx, ""), "<EOF>@1:1");
	assert_string_equal(LEX(ctx, " \n "), "<EOF>@2:2");
}

/* Names: letters, digits, underscores; keywords are names too. */
static void
test_names(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_string_equal(LEX(ctx, "_ a1 __typename query on true"),
						"Name \"_\"@1:1 Name \"a1\"@1:3 Name \"__typename\"@1:6 "
						"Name \"query\"@1:17 Name \"on\"@1:23 Name \"true\"@1:26 <EOF>@1:30");
	/* a name may not start with a digit: 1a is a bad number */
	assert_contains(LEX(ctx, "1a"), "Invalid number, expected digit but got: \\\"a\\\".");
}

typedef struct lex_case
{
	const char *text;
	const char *want;			/* token descriptions, or the error */
} lex_case;

static const lex_case number_cases[] = {
	{"0", "Int \"0\"@1:1 <EOF>@1:2"},
	{"-0", "Int \"-0\"@1:1 <EOF>@1:3"},
	{"123 -45", "Int \"123\"@1:1 Int \"-45\"@1:5 <EOF>@1:8"},
	{"1.5 -0.25", "Float \"1.5\"@1:1 Float \"-0.25\"@1:5 <EOF>@1:10"},
	{"1e10 1E+2 1.5e-3 0e0", "Float \"1e10\"@1:1 Float \"1E+2\"@1:6 Float \"1.5e-3\"@1:11 Float \"0e0\"@1:18 <EOF>@1:21"},
	{"123456789012345678901234567890", "Int \"123456789012345678901234567890\"@1:1 <EOF>@1:31"},
	{"01", "ERROR [{\"message\":\"Syntax Error: Invalid number, unexpected digit after 0: \\\"1\\\".\",\"locations\":[{\"line\":1,\"column\":2}]}]"},
	{"-", "ERROR [{\"message\":\"Syntax Error: Invalid number, expected digit but got: <EOF>.\",\"locations\":[{\"line\":1,\"column\":2}]}]"},
	{"- 1", "ERROR [{\"message\":\"Syntax Error: Invalid number, expected digit but got: \\\" \\\".\",\"locations\":[{\"line\":1,\"column\":2}]}]"},
	{"1.", "ERROR [{\"message\":\"Syntax Error: Invalid number, expected digit but got: <EOF>.\",\"locations\":[{\"line\":1,\"column\":3}]}]"},
	{".5", "ERROR [{\"message\":\"Syntax Error: Unexpected character: \\\".\\\".\",\"locations\":[{\"line\":1,\"column\":1}]}]"},
	{"1.e5", "ERROR [{\"message\":\"Syntax Error: Invalid number, expected digit but got: \\\"e\\\".\",\"locations\":[{\"line\":1,\"column\":3}]}]"},
	{"1e", "ERROR [{\"message\":\"Syntax Error: Invalid number, expected digit but got: <EOF>.\",\"locations\":[{\"line\":1,\"column\":3}]}]"},
	{"1e+", "ERROR [{\"message\":\"Syntax Error: Invalid number, expected digit but got: <EOF>.\",\"locations\":[{\"line\":1,\"column\":4}]}]"},
	{"1.2.3", "ERROR [{\"message\":\"Syntax Error: Invalid number, expected digit but got: \\\".\\\".\",\"locations\":[{\"line\":1,\"column\":4}]}]"},
	{"1_000", "ERROR [{\"message\":\"Syntax Error: Invalid number, expected digit but got: \\\"_\\\".\",\"locations\":[{\"line\":1,\"column\":2}]}]"},
	{"0x10", "ERROR [{\"message\":\"Syntax Error: Invalid number, expected digit but got: \\\"x\\\".\",\"locations\":[{\"line\":1,\"column\":2}]}]"},
	{"1.5e3.1", "ERROR [{\"message\":\"Syntax Error: Invalid number, expected digit but got: \\\".\\\".\",\"locations\":[{\"line\":1,\"column\":6}]}]"},
};

static void
test_number_case(void **state)
{
	const lex_case *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_string_equal(LEX(ctx, c->text), c->want);
}

/* The decoded value of one string token (must lex). */
static const char *
string_value(rex_ctx *ctx, const char *text, size_t *len)
{
	rex_gql_lexer lx;
	rex_gql_errors errs;

	rex_gql_errors_init(&errs, 0);
	rex_gql_lexer_init(&lx, ctx, &errs, text, strlen(text), 0);
	if (rex_gql_lex_next(&lx) != REX_OK)
	{
		print_error("lexing %s: %s\n", text, gql_errors_text(ctx, &errs));
		fail();
	}
	assert_true(lx.tok.kind == REX_GQL_TK_STRING || lx.tok.kind == REX_GQL_TK_BLOCK_STRING);
	if (len)
		*len = lx.tok.value_len;
	return lx.tok.value;
}

/* Escapes of quoted strings, including both Unicode forms. */
static void
test_string_escapes(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	size_t		len;
	const char *v;

	assert_string_equal(string_value(ctx, "\"\"", NULL), "");
	assert_string_equal(string_value(ctx, "\"simple\"", NULL), "simple");
	assert_string_equal(string_value(ctx, "\" white space \"", NULL), " white space ");
	assert_string_equal(string_value(ctx, "\"quote \\\"\"", NULL), "quote \"");
	assert_string_equal(string_value(ctx, "\"escaped \\n\\r\\b\\t\\f\\/\\\\\"", NULL),
						"escaped \n\r\b\t\f/\\");
	assert_string_equal(string_value(ctx, "\"unicode \\u1234\\u5678\\u90AB\\uCDEF\"", NULL),
						"unicode \xE1\x88\xB4\xE5\x99\xB8\xE9\x82\xAB\xEC\xB7\xAF");
	assert_string_equal(string_value(ctx, "\"\\u{1F600} \\u{0041} \\u{00000041}\"", NULL),
						"\xF0\x9F\x98\x80 A A");
	assert_string_equal(string_value(ctx, "\"\\u{10FFFF}\"", NULL), "\xF4\x8F\xBF\xBF");
	/* a legacy surrogate pair is one character */
	assert_string_equal(string_value(ctx, "\"\\uD83D\\uDE00\"", NULL), "\xF0\x9F\x98\x80");
	assert_string_equal(string_value(ctx, "\"\\uD800\\uDC00\"", NULL), "\xF0\x90\x80\x80");
	assert_string_equal(string_value(ctx, "\"\\uDBFF\\uDFFF\"", NULL), "\xF4\x8F\xBF\xBF");
	/* raw characters outside the BMP, and control characters, stay as they are */
	assert_string_equal(string_value(ctx, "\"\xF0\x9F\x98\x80\x01\x7F\"", NULL),
						"\xF0\x9F\x98\x80\x01\x7F");
	/* \u0000 is a character: the length says so */
	v = string_value(ctx, "\"a\\u0000b\"", &len);
	assert_int_equal(len, 3);
	assert_memory_equal(v, "a\0b", 3);
	v = string_value(ctx, "\"\\u{0}\"", &len);
	assert_int_equal(len, 1);
	assert_int_equal(v[0], '\0');
}

static const lex_case string_error_cases[] = {
	{"\"abc", "Syntax Error: Unterminated string.\",\"locations\":[{\"line\":1,\"column\":5}]"},
	{"\"abc\ndef\"", "Syntax Error: Unterminated string.\",\"locations\":[{\"line\":1,\"column\":5}]"},
	{"\"abc\rdef\"", "Syntax Error: Unterminated string.\",\"locations\":[{\"line\":1,\"column\":5}]"},
	{"\"a\\", "Syntax Error: Unterminated string.\",\"locations\":[{\"line\":1,\"column\":3}]"},
	{"\"\\x\"", "Syntax Error: Invalid character escape sequence: \\\"\\\\x\\\".\",\"locations\":[{\"line\":1,\"column\":2}]"},
	{"\"\\u12\"", "Syntax Error: Invalid Unicode escape sequence: \\\"\\\\u12\\\".\",\"locations\":[{\"line\":1,\"column\":2}]"},
	{"\"\\uXYZW\"", "Syntax Error: Invalid Unicode escape sequence: \\\"\\\\uXYZW\\\".\",\"locations\":[{\"line\":1,\"column\":2}]"},
	{"\"\\u{}\"", "Syntax Error: Invalid Unicode escape sequence: \\\"\\\\u{}\\\".\",\"locations\":[{\"line\":1,\"column\":2}]"},
	{"\"\\u{110000}\"", "Syntax Error: Invalid Unicode escape sequence: \\\"\\\\u{110000}\\\".\",\"locations\":[{\"line\":1,\"column\":2}]"},
	{"\"\\u{FFFFFFFFFFFF}\"", "Syntax Error: Invalid Unicode escape sequence:"},
	{"\"\\u{D800}\"", "Syntax Error: Invalid Unicode escape sequence: \\\"\\\\u{D800}\\\".\",\"locations\":[{\"line\":1,\"column\":2}]"},
	{"\"\\u{41\"", "Syntax Error: Invalid Unicode escape sequence:"},
	{"\"\\uD800\"", "Syntax Error: Invalid Unicode escape sequence: \\\"\\\\uD800\\\".\",\"locations\":[{\"line\":1,\"column\":2}]"},
	{"\"\\uD800\\u0041\"", "Syntax Error: Invalid Unicode escape sequence: \\\"\\\\uD800\\\".\""},
	{"\"\\uDC00\"", "Syntax Error: Invalid Unicode escape sequence: \\\"\\\\uDC00\\\".\""},
	{"\"\xFF\"", "Syntax Error: Invalid UTF-8: byte 0xFF cannot start a character here.\",\"locations\":[{\"line\":1,\"column\":2}]"},
	{"\"\xC3\"", "Syntax Error: Invalid UTF-8: byte 0xC3"},
	{"\"\xC0\x80\"", "Syntax Error: Invalid UTF-8: byte 0xC0"},	/* overlong */
	{"\"\xED\xA0\x80\"", "Syntax Error: Invalid UTF-8: byte 0xED"},	/* surrogate */
	{"\"\xF4\x90\x80\x80\"", "Syntax Error: Invalid UTF-8: byte 0xF4"},	/* > U+10FFFF */
	{"\"\"\"abc\"\"", "Syntax Error: Unterminated string.\",\"locations\":[{\"line\":1,\"column\":9}]"},
	{"\"\"\"a\nb", "Syntax Error: Unterminated string.\",\"locations\":[{\"line\":2,\"column\":2}]"},
	{"\"\"\"\xFE\"\"\"", "Syntax Error: Invalid UTF-8: byte 0xFE"},
	{"# \xFF\n", "Syntax Error: Invalid UTF-8: byte 0xFF cannot start a character here.\",\"locations\":[{\"line\":1,\"column\":3}]"},
	{"a \xE2\x82", "Syntax Error: Invalid UTF-8: byte 0xE2 cannot start a character here.\",\"locations\":[{\"line\":1,\"column\":3}]"},
	{"'a'", "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\\\")?\",\"locations\":[{\"line\":1,\"column\":1}]"},
	{"a ?", "Syntax Error: Unexpected character: \\\"?\\\".\",\"locations\":[{\"line\":1,\"column\":3}]"},
	{"a \x01", "Syntax Error: Unexpected character: U+0001.\",\"locations\":[{\"line\":1,\"column\":3}]"},
	{"\xC3\xA9", "Syntax Error: Unexpected character: U+00E9.\",\"locations\":[{\"line\":1,\"column\":1}]"},
	{"\xE2\x80\x8B", "Syntax Error: Unexpected character: U+200B."},	/* zero width space */
	{"..", "Syntax Error: Unexpected character: \\\".\\\".\",\"locations\":[{\"line\":1,\"column\":1}]"},
	{"\n\n   ~", "Syntax Error: Unexpected character: \\\"~\\\".\",\"locations\":[{\"line\":3,\"column\":4}]"},
};

static void
test_string_error_case(void **state)
{
	const lex_case *c = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->pg;
	const char *got = LEX(ctx, c->text);

	assert_contains(got, "ERROR [{\"message\":\"");
	assert_contains(got, c->want);
}

/* Block strings: the indentation rule of the specification. */
static void
test_block_strings(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_string_equal(string_value(ctx, "\"\"\"\"\"\"", NULL), "");
	assert_string_equal(string_value(ctx, "\"\"\"simple\"\"\"", NULL), "simple");
	assert_string_equal(string_value(ctx, "\"\"\" white space \"\"\"", NULL), " white space ");
	assert_string_equal(string_value(ctx, "\"\"\"contains \" quote\"\"\"", NULL), "contains \" quote");
	assert_string_equal(string_value(ctx, "\"\"\"contains \\\"\"\" triple quote\"\"\"", NULL),
						"contains \"\"\" triple quote");
	assert_string_equal(string_value(ctx, "\"\"\"multi\nline\"\"\"", NULL), "multi\nline");
	assert_string_equal(string_value(ctx, "\"\"\"multi\r\nline\r\nnormalized\"\"\"", NULL),
						"multi\nline\nnormalized");
	/* escapes are not interpreted */
	assert_string_equal(string_value(ctx, "\"\"\"unescaped \\n\\r\\b\\t\\f\\u1234\"\"\"", NULL),
						"unescaped \\n\\r\\b\\t\\f\\u1234");
	/* common indentation goes, blank first and last lines go */
	assert_string_equal(string_value(ctx,
									 "\"\"\"\n\n    spans\n      multiple\n        lines\n\n    \"\"\"",
									 NULL),
						"spans\n  multiple\n    lines");
	/* the first line does not count for the indentation, and keeps its own */
	assert_string_equal(string_value(ctx, "\"\"\"  first\n    second\n      third\"\"\"", NULL),
						"  first\nsecond\n  third");
	/* whitespace-only lines inside are kept (emptied of the indentation) */
	assert_string_equal(string_value(ctx, "\"\"\"\n  a\n   \n  b\n\"\"\"", NULL), "a\n \nb");
	/* tabs count as one character of indentation */
	assert_string_equal(string_value(ctx, "\"\"\"\n\t\ta\n\tb\n\"\"\"", NULL), "\ta\nb");
	/* only blank lines: empty */
	assert_string_equal(string_value(ctx, "\"\"\"\n   \n\t\n\"\"\"", NULL), "");
	/* a lone CR is a line terminator too */
	assert_string_equal(string_value(ctx, "\"\"\"\r  a\r  b\r\"\"\"", NULL), "a\nb");
}

/* Block strings span lines: the next token's location follows. */
static void
test_block_string_location(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;

	assert_string_equal(LEX(ctx, "\"\"\"a\n\xC3\xA9 b\r\n  c\"\"\" x"),
						"BlockString \"a\n\xC3\xA9 b\n  c\"@1:1 Name \"x\"@3:8 <EOF>@3:9");
}

/* rex_gql_block_string_value on its own, with the spec's examples. */
static void
test_block_string_value(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	size_t		len;

	assert_string_equal(rex_gql_block_string_value(ctx, "", 0, &len), "");
	assert_string_equal(rex_gql_block_string_value(ctx, "\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  ", 54, &len),
						"Hello,\n  World!\n\nYours,\n  GraphQL.");
	assert_int_equal(len, strlen("Hello,\n  World!\n\nYours,\n  GraphQL."));
}

/* The token limit stops the lexer with an error. */
static void
test_token_limit(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_gql_lexer lx;
	rex_gql_errors errs;
	int			n = 0;

	rex_gql_errors_init(&errs, 0);
	rex_gql_lexer_init(&lx, ctx, &errs, "a b c d e", 9, 3);
	while (rex_gql_lex_next(&lx) == REX_OK && lx.tok.kind != REX_GQL_TK_EOF)
		n++;
	assert_int_equal(n, 3);
	assert_int_equal(lx.status, REX_ERR_DEFINITION);
	assert_string_equal(gql_errors_text(ctx, &errs),
						"[{\"message\":\"Syntax Error: Document contains more than 3 tokens. "
						"Parsing aborted.\",\"locations\":[{\"line\":1,\"column\":7}]}]");
	/* the lexer stays on its error */
	assert_int_equal(rex_gql_lex_next(&lx), REX_ERR_DEFINITION);
	assert_int_equal(errs.count, 1);
}

/* The text need not be NUL-terminated; a NUL byte is not a token. */
static void
test_length_bounds(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	char		buf[4] = {'a', 'b', 'c', 'd'};

	assert_string_equal(lex_all(ctx, buf, 2), "Name \"ab\"@1:1 <EOF>@1:3");
	assert_string_equal(lex_all(ctx, "\"ab\"", 3),
						"ERROR [{\"message\":\"Syntax Error: Unterminated string.\",\"locations\":[{\"line\":1,\"column\":4}]}]");
	assert_contains(lex_all(ctx, "a\0b", 3), "Unexpected character: U+0000.");
	assert_string_equal(lex_all(ctx, "\"\"\"", 3),
						"ERROR [{\"message\":\"Syntax Error: Unterminated string.\",\"locations\":[{\"line\":1,\"column\":4}]}]");
	assert_contains(lex_all(ctx, "...", 2), "Unexpected character: \\\".\\\".");
	assert_contains(lex_all(ctx, "1.5", 2), "expected digit but got: <EOF>.");
}

/* UTF-8 decoding of one character. */
static void
test_utf8_decode(void **state)
{
	uint32_t	cp;

	(void) state;
	assert_int_equal(rex_utf8_decode((const unsigned char *) "A", 1, &cp), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\xC3\xA9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\xEF\xBF\xBF", 3, &cp), 3);
	assert_int_equal(cp, 0xFFFF);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\xF4\x8F\xBF\xBF", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\xC3\xA9", 1, &cp), 0);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\x80", 1, &cp), 0);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\xC1\xBF", 2, &cp), 0);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\xE0\x9F\xBF", 3, &cp), 0);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\xF0\x8F\xBF\xBF", 4, &cp), 0);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\xED\xBF\xBF", 3, &cp), 0);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\xF5\x80\x80\x80", 4, &cp), 0);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "\xE2\x28\xA1", 3, &cp), 0);
	assert_int_equal(rex_utf8_decode((const unsigned char *) "", 0, &cp), 0);
}

/* How messages name tokens; long values are shortened. */
static void
test_token_desc(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	char		big[200];

	memset(big, 'x', sizeof(big));
	big[0] = '"';
	big[sizeof(big) - 1] = '"';
	assert_string_equal(rex_gql_token_kind_desc(REX_GQL_TK_NAME), "Name");
	assert_string_equal(rex_gql_token_kind_desc(REX_GQL_TK_SPREAD), "\"...\"");
	assert_string_equal(rex_gql_token_kind_desc(REX_GQL_TK_EOF), "<EOF>");
	assert_contains(lex_all(ctx, big, sizeof(big)), "String \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\"@1:1 <EOF>@1:201");
	assert_string_equal(LEX(ctx, "\"\"\"  x  \"\"\" 1.5"),
						"BlockString \"  x  \"@1:1 Float \"1.5\"@1:13 <EOF>@1:16");
}

void
unit_register_graphql_lex(unit_suite *s)
{
	size_t		i;

	unit_add(s, "graphql lex: punctuators and their locations", test_punctuators, NULL);
	unit_add(s, "graphql lex: ignored tokens, line terminators, columns in code points",
			 test_ignored_and_lines, NULL);
	unit_add(s, "graphql lex: names and keywords", test_names, NULL);
	for (i = 0; i < sizeof(number_cases) / sizeof(number_cases[0]); i++)
		unit_add(s, tname("graphql lex: number %s", number_cases[i].text),
				 test_number_case, &number_cases[i]);
	unit_add(s, "graphql lex: string escapes, \\u{...}, surrogate pairs, \\u0000",
			 test_string_escapes, NULL);
	for (i = 0; i < sizeof(string_error_cases) / sizeof(string_error_cases[0]); i++)
		unit_add(s, tname("graphql lex: error %zu", i),
				 test_string_error_case, &string_error_cases[i]);
	unit_add(s, "graphql lex: block strings and their indentation", test_block_strings, NULL);
	unit_add(s, "graphql lex: locations after a multi-line block string",
			 test_block_string_location, NULL);
	unit_add(s, "graphql lex: BlockStringValue on the spec's example", test_block_string_value, NULL);
	unit_add(s, "graphql lex: token limit", test_token_limit, NULL);
	unit_add(s, "graphql lex: text bounded by length, NUL bytes", test_length_bounds, NULL);
	unit_add(s, "graphql lex: UTF-8 decoding refuses overlong, surrogates, > U+10FFFF",
			 test_utf8_decode, NULL);
	unit_add(s, "graphql lex: token descriptions in messages", test_token_desc, NULL);
}
