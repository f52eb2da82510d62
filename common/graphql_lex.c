/*
 * graphql_lex.c
 *		The GraphQL lexer (see graphql_lex.h); section 2.1 of the
 *		specification (October 2021).
 *
 * The text is UTF-8.  Outside strings and comments only ASCII tokens are
 * valid; strings and comments take any Unicode scalar value except line
 * terminators (block strings take those too).  Bytes that are not valid
 * UTF-8 are refused wherever they appear.  Messages follow the wording of
 * graphql-js, the reference implementation, so that clients see familiar
 * errors: "Syntax Error: Unterminated string.".
 */
#include "graphql_lex.h"
#include "rex_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_SHOWN 40			/* longest token value echoed in a message */

void
rex_gql_lexer_init(rex_gql_lexer *lx, rex_ctx *ctx, rex_gql_errors *errs,
				   const char *text, size_t len, int max_tokens)
{
	memset(lx, 0, sizeof(*lx));
	lx->ctx = ctx;
	lx->errs = errs;
	lx->p = (const unsigned char *) text;
	lx->end = lx->p + len;
	lx->line = 1;
	lx->col = 1;
	lx->max_tokens = max_tokens;
	lx->tok.kind = REX_GQL_TK_EOF;
}

int
rex_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t	c;
	int			len,
				i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
	{
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
	{
		len = 2;
		c = s[0] & 0x1F;
	}
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
	{
		len = 3;
		c = s[0] & 0x0F;
	}
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
	{
		len = 4;
		c = s[0] & 0x07;
	}
	else
		return 0;
	if (n < (size_t) len)
		return 0;
	for (i = 1; i < len; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
		(c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return len;
}

/* ---------------------------------------------------------------- */
/* errors */

/* Records a syntax error at the lexer's position. */
static rex_status lex_error(rex_gql_lexer *lx, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));

static rex_status
lex_error(rex_gql_lexer *lx, const char *fmt,...)
{
	char		msg[256];
	va_list		ap;
	rex_gql_loc loc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	loc.line = lx->line;
	loc.column = lx->col;
	if (lx->ctx->err.status == REX_OK)
		rex_gql_error_add(lx->ctx, lx->errs, &loc, NULL, "Syntax Error: %s", msg);
	lx->status = lx->ctx->err.status != REX_OK ? lx->ctx->err.status : REX_ERR_DEFINITION;
	return lx->status;
}

/*
 * How a message shows the character at p: "x" for printable ASCII,
 * U+XXXX otherwise, <EOF> at the end; 'out' has room for 16 bytes.
 */
static const char *
char_desc(rex_gql_lexer *lx, const unsigned char *p, char *out)
{
	uint32_t	cp;

	if (p >= lx->end)
		return "<EOF>";
	if (*p >= 0x20 && *p < 0x7F)
	{
		if (*p == '"')
			return "'\"'";
		snprintf(out, 16, "\"%c\"", *p);
		return out;
	}
	if (rex_utf8_decode(p, (size_t) (lx->end - p), &cp) == 0)
		snprintf(out, 16, "byte 0x%02X", *p);
	else
		snprintf(out, 16, "U+%04X", (unsigned) cp);
	return out;
}

/* Refuses the byte at lx->p when it does not start valid UTF-8. */
static rex_status
invalid_utf8(rex_gql_lexer *lx)
{
	return lex_error(lx, "Invalid UTF-8: byte 0x%02X cannot start a character here.",
					 *lx->p);
}

/* ---------------------------------------------------------------- */
/* moving through the text */

/* Consumes one line terminator (LF, CR or CR LF) at lx->p. */
static void
eat_newline(rex_gql_lexer *lx)
{
	if (*lx->p == '\r' && lx->p + 1 < lx->end && lx->p[1] == '\n')
		lx->p++;
	lx->p++;
	lx->line++;
	lx->col = 1;
}

/*
 * Consumes one character that is not a line terminator; returns false
 * (with the error recorded) when the bytes are not valid UTF-8.
 */
static bool
eat_char(rex_gql_lexer *lx, uint32_t *cp)
{
	int			n = rex_utf8_decode(lx->p, (size_t) (lx->end - lx->p), cp);

	if (n == 0)
	{
		invalid_utf8(lx);
		return false;
	}
	lx->p += n;
	lx->col++;
	return true;
}

static bool
is_name_start(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* The byte at p + i, or -1 past the end. */
static int
peek_at(rex_gql_lexer *lx, size_t i)
{
	return lx->p + i < lx->end ? lx->p[i] : -1;
}

/* Skips a comment: '#' up to (not including) the line terminator. */
static rex_status
skip_comment(rex_gql_lexer *lx)
{
	uint32_t	cp;

	lx->p++;
	lx->col++;
	while (lx->p < lx->end && *lx->p != '\n' && *lx->p != '\r')
	{
		if (*lx->p < 0x80)
		{
			lx->p++;
			lx->col++;
		}
		else if (!eat_char(lx, &cp))
			return lx->status;
	}
	return REX_OK;
}

/* Skips ignored tokens; stops at the first byte of a token or the end. */
static rex_status
skip_ignored(rex_gql_lexer *lx)
{
	while (lx->p < lx->end)
	{
		unsigned char c = *lx->p;

		if (c == ' ' || c == '\t' || c == ',')
		{
			lx->p++;
			lx->col++;
		}
		else if (c == '\n' || c == '\r')
			eat_newline(lx);
		else if (c == '#')
		{
			if (skip_comment(lx) != REX_OK)
				return lx->status;
		}
		else if (c == 0xEF && peek_at(lx, 1) == 0xBB && peek_at(lx, 2) == 0xBF)
		{
			/* U+FEFF, the byte order mark */
			lx->p += 3;
			lx->col++;
		}
		else
			break;
	}
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* numbers */

/* Reads one or more digits; an error when there is none. */
static rex_status
read_digits(rex_gql_lexer *lx)
{
	char		d[16];

	if (lx->p >= lx->end || !is_digit(*lx->p))
		return lex_error(lx, "Invalid number, expected digit but got: %s.",
						 char_desc(lx, lx->p, d));
	while (lx->p < lx->end && is_digit(*lx->p))
	{
		lx->p++;
		lx->col++;
	}
	return REX_OK;
}

/*
 * IntValue and FloatValue: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 * and neither may be followed by a digit, '.' or a name start.
 */
static rex_status
read_number(rex_gql_lexer *lx)
{
	bool		is_float = false;
	char		d[16];

	if (*lx->p == '-')
	{
		lx->p++;
		lx->col++;
	}
	if (lx->p < lx->end && *lx->p == '0')
	{
		lx->p++;
		lx->col++;
		if (lx->p < lx->end && is_digit(*lx->p))
			return lex_error(lx, "Invalid number, unexpected digit after 0: %s.",
							 char_desc(lx, lx->p, d));
	}
	else if (read_digits(lx) != REX_OK)
		return lx->status;
	if (lx->p < lx->end && *lx->p == '.')
	{
		is_float = true;
		lx->p++;
		lx->col++;
		if (read_digits(lx) != REX_OK)
			return lx->status;
	}
	if (lx->p < lx->end && (*lx->p == 'e' || *lx->p == 'E'))
	{
		is_float = true;
		lx->p++;
		lx->col++;
		if (lx->p < lx->end && (*lx->p == '+' || *lx->p == '-'))
		{
			lx->p++;
			lx->col++;
		}
		if (read_digits(lx) != REX_OK)
			return lx->status;
	}
	if (lx->p < lx->end && (*lx->p == '.' || is_name_start(*lx->p)))
		return lex_error(lx, "Invalid number, expected digit but got: %s.",
						 char_desc(lx, lx->p, d));
	lx->tok.kind = is_float ? REX_GQL_TK_FLOAT : REX_GQL_TK_INT;
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* strings */

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends a code point to the buffer as UTF-8. */
static void
buf_append_cp(rex_buf *b, uint32_t cp)
{
	char		u[4];

	if (cp < 0x80)
		rex_buf_append_char(b, (char) cp);
	else if (cp < 0x800)
	{
		u[0] = (char) (0xC0 | (cp >> 6));
		u[1] = (char) (0x80 | (cp & 0x3F));
		rex_buf_append_len(b, u, 2);
	}
	else if (cp < 0x10000)
	{
		u[0] = (char) (0xE0 | (cp >> 12));
		u[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char) (0x80 | (cp & 0x3F));
		rex_buf_append_len(b, u, 3);
	}
	else
	{
		u[0] = (char) (0xF0 | (cp >> 18));
		u[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char) (0x80 | (cp & 0x3F));
		rex_buf_append_len(b, u, 4);
	}
}

/* Four hex digits at p + i as a number, or -1. */
static long
hex4(rex_gql_lexer *lx, size_t i)
{
	long		v = 0;
	int			k,
				h;

	for (k = 0; k < 4; k++)
	{
		h = hex_value(peek_at(lx, i + (size_t) k));
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/*
 * The escape sequence as written, from the backslash at lx->p, for a
 * message: \u{...} up to the closing brace, or \uXXXX (up to 12 bytes for
 * a pair), cut at anything that is not printable ASCII.
 */
static const char *
escape_shown(rex_gql_lexer *lx, size_t max)
{
	size_t		n = 0;
	char	   *s;

	while (n < max && lx->p + n < lx->end && lx->p[n] >= 0x20 && lx->p[n] < 0x7F &&
		   !(n > 0 && lx->p[n] == '"'))
	{
		n++;
		if (n > 2 && lx->p[2] == '{' && lx->p[n - 1] == '}')
			break;
	}
	s = rex_strndup(lx->ctx, (const char *) lx->p, n);
	return s ? s : "\\u";
}

/*
 * \u{X...} (any number of hex digits up to U+10FFFF, not a surrogate)
 * or \uXXXX (a surrogate pair written as two such escapes is one
 * character); lx->p is at the backslash.
 */
static rex_status
read_unicode_escape(rex_gql_lexer *lx, rex_buf *b)
{
	uint32_t	cp = 0;
	size_t		i;
	long		v,
				w;

	if (peek_at(lx, 2) == '{')
	{
		i = 3;
		if (hex_value(peek_at(lx, i)) < 0)
			return lex_error(lx, "Invalid Unicode escape sequence: \"%s\".", escape_shown(lx, 16));
		while (hex_value(peek_at(lx, i)) >= 0)
		{
			cp = cp * 16 + (uint32_t) hex_value(peek_at(lx, i));
			if (cp > 0x10FFFF)
				return lex_error(lx, "Invalid Unicode escape sequence: \"%s\".", escape_shown(lx, 16));
			i++;
		}
		if (peek_at(lx, i) != '}' || (cp >= 0xD800 && cp <= 0xDFFF))
			return lex_error(lx, "Invalid Unicode escape sequence: \"%s\".", escape_shown(lx, 16));
		i++;
	}
	else
	{
		v = hex4(lx, 2);
		if (v < 0)
			return lex_error(lx, "Invalid Unicode escape sequence: \"%s\".", escape_shown(lx, 6));
		i = 6;
		cp = (uint32_t) v;
		if (v >= 0xD800 && v <= 0xDBFF)
		{
			/* a leading surrogate needs a trailing one right after it */
			w = (peek_at(lx, 6) == '\\' && peek_at(lx, 7) == 'u') ? hex4(lx, 8) : -1;
			if (w < 0xDC00 || w > 0xDFFF)
				return lex_error(lx, "Invalid Unicode escape sequence: \"%s\".", escape_shown(lx, 6));
			cp = 0x10000 + (((uint32_t) v - 0xD800) << 10) + ((uint32_t) w - 0xDC00);
			i = 12;
		}
		else if (v >= 0xDC00 && v <= 0xDFFF)
			return lex_error(lx, "Invalid Unicode escape sequence: \"%s\".", escape_shown(lx, 6));
	}
	buf_append_cp(b, cp);
	lx->p += i;
	lx->col += (int) i;
	return REX_OK;
}

/* One escape sequence of a quoted string; lx->p is at the backslash. */
static rex_status
read_escape(rex_gql_lexer *lx, rex_buf *b)
{
	int			c = peek_at(lx, 1);
	char		d[16];

	switch (c)
	{
		case '"':
		case '\\':
		case '/':
			rex_buf_append_char(b, (char) c);
			break;
		case 'b':
			rex_buf_append_char(b, '\b');
			break;
		case 'f':
			rex_buf_append_char(b, '\f');
			break;
		case 'n':
			rex_buf_append_char(b, '\n');
			break;
		case 'r':
			rex_buf_append_char(b, '\r');
			break;
		case 't':
			rex_buf_append_char(b, '\t');
			break;
		case 'u':
			return read_unicode_escape(lx, b);
		default:
			if (c < 0)
				return lex_error(lx, "Unterminated string.");
			if (c >= 0x20 && c < 0x7F)
				return lex_error(lx, "Invalid character escape sequence: \"\\%c\".", c);
			return lex_error(lx, "Invalid character escape sequence: \\ followed by %s.",
							 char_desc(lx, lx->p + 1, d));
	}
	lx->p += 2;
	lx->col += 2;
	return REX_OK;
}

/* "..." with escapes; lx->p is at the opening quote. */
static rex_status
read_string(rex_gql_lexer *lx)
{
	rex_buf		b;
	uint32_t	cp;
	const unsigned char *run;

	rex_buf_init(&b, lx->ctx);
	lx->p++;
	lx->col++;
	for (;;)
	{
		/* copy a run of plain ASCII at once */
		run = lx->p;
		while (lx->p < lx->end && *lx->p >= 0x20 && *lx->p < 0x80 &&
			   *lx->p != '"' && *lx->p != '\\')
			lx->p++;
		lx->col += (int) (lx->p - run);
		rex_buf_append_len(&b, (const char *) run, (size_t) (lx->p - run));
		if (lx->p >= lx->end || *lx->p == '\n' || *lx->p == '\r')
			return lex_error(lx, "Unterminated string.");
		if (*lx->p == '"')
			break;
		if (*lx->p == '\\')
		{
			if (read_escape(lx, &b) != REX_OK)
				return lx->status;
			continue;
		}
		/* a control character or a multi-byte character */
		run = lx->p;
		if (!eat_char(lx, &cp))
			return lx->status;
		rex_buf_append_len(&b, (const char *) run, (size_t) (lx->p - run));
	}
	lx->p++;
	lx->col++;
	if (!rex_buf_ok(&b))
		return lx->status = lx->ctx->err.status;
	lx->tok.kind = REX_GQL_TK_STRING;
	lx->tok.value = b.data;
	lx->tok.value_len = b.len;
	return REX_OK;
}

/* True when the text at p + i starts with three double quotes. */
static bool
triple_quote_at(rex_gql_lexer *lx, size_t i)
{
	return peek_at(lx, i) == '"' && peek_at(lx, i + 1) == '"' && peek_at(lx, i + 2) == '"';
}

/* """...""" with \""" as the only escape; lx->p is at the first quote. */
static rex_status
read_block_string(rex_gql_lexer *lx)
{
	rex_buf		raw;
	uint32_t	cp;
	const unsigned char *run;

	rex_buf_init(&raw, lx->ctx);
	lx->p += 3;
	lx->col += 3;
	for (;;)
	{
		if (lx->p >= lx->end)
			return lex_error(lx, "Unterminated string.");
		if (triple_quote_at(lx, 0))
			break;
		run = lx->p;
		if (*lx->p == '\\' && triple_quote_at(lx, 1))
		{
			rex_buf_append(&raw, "\"\"\"");
			lx->p += 4;
			lx->col += 4;
		}
		else if (*lx->p == '\n' || *lx->p == '\r')
		{
			eat_newline(lx);
			rex_buf_append_len(&raw, (const char *) run, (size_t) (lx->p - run));
		}
		else
		{
			if (!eat_char(lx, &cp))
				return lx->status;
			rex_buf_append_len(&raw, (const char *) run, (size_t) (lx->p - run));
		}
	}
	lx->p += 3;
	lx->col += 3;
	if (!rex_buf_ok(&raw))
		return lx->status = lx->ctx->err.status;
	lx->tok.kind = REX_GQL_TK_BLOCK_STRING;
	lx->tok.value = rex_gql_block_string_value(lx->ctx, raw.data, raw.len,
											   &lx->tok.value_len);
	if (lx->tok.value == NULL)
		return lx->status = rex_error_nomem(lx->ctx);
	return REX_OK;
}

/* Length of the line terminator at s (0 when none). */
static size_t
newline_len(const char *s, const char *end)
{
	if (s < end && *s == '\n')
		return 1;
	if (s < end && *s == '\r')
		return (s + 1 < end && s[1] == '\n') ? 2 : 1;
	return 0;
}

/* Leading spaces and tabs of the line [s, e). */
static size_t
line_indent(const char *s, const char *e)
{
	size_t		n = 0;

	while (s + n < e && (s[n] == ' ' || s[n] == '\t'))
		n++;
	return n;
}

typedef struct line_span
{
	const char *s;
	size_t		len;
} line_span;

/* True when the span holds only spaces and tabs (or nothing). */
static bool
line_blank(const line_span *l)
{
	return line_indent(l->s, l->s + l->len) == l->len;
}

char *
rex_gql_block_string_value(rex_ctx *ctx, const char *raw, size_t len, size_t *out_len)
{
	const char *end = raw + len;
	const char *s;
	const char *e;
	line_span  *lines;
	size_t		nlines = 0;
	size_t		common = SIZE_MAX;
	size_t		i,
				first,
				last;
	rex_buf		b;

	/* 1. split into lines */
	for (s = raw;; s = e + newline_len(e, end))
	{
		for (e = s; e < end && *e != '\n' && *e != '\r'; e++)
			;
		nlines++;
		if (e >= end)
			break;
	}
	lines = rex_alloc(ctx, sizeof(line_span) * nlines);
	if (lines == NULL)
		return NULL;
	i = 0;
	for (s = raw;; s = e + newline_len(e, end))
	{
		for (e = s; e < end && *e != '\n' && *e != '\r'; e++)
			;
		lines[i].s = s;
		lines[i].len = (size_t) (e - s);
		i++;
		if (e >= end)
			break;
	}
	/* 2-3. the common indentation of the non-blank lines after the first */
	for (i = 1; i < nlines; i++)
	{
		size_t		ind = line_indent(lines[i].s, lines[i].s + lines[i].len);

		if (ind < lines[i].len && ind < common)
			common = ind;
	}
	/* 4. removed from every line after the first */
	if (common != SIZE_MAX)
		for (i = 1; i < nlines; i++)
		{
			size_t		cut = lines[i].len < common ? lines[i].len : common;

			lines[i].s += cut;
			lines[i].len -= cut;
		}
	/* 5-6. blank lines at the start and at the end go */
	first = 0;
	while (first < nlines && line_blank(&lines[first]))
		first++;
	last = nlines;
	while (last > first && line_blank(&lines[last - 1]))
		last--;
	/* 7. joined with line feeds */
	rex_buf_init(&b, ctx);
	for (i = first; i < last; i++)
	{
		if (i > first)
			rex_buf_append_char(&b, '\n');
		rex_buf_append_len(&b, lines[i].s, lines[i].len);
	}
	if (!rex_buf_ok(&b))
		return NULL;
	*out_len = b.len;
	return b.data;
}

/* ---------------------------------------------------------------- */
/* tokens */

/* Refuses the character at lx->p, which cannot start a token. */
static rex_status
unexpected_char(rex_gql_lexer *lx)
{
	char		d[16];
	uint32_t	cp;

	if (*lx->p == '\'')
		return lex_error(lx, "Unexpected single quote character ('), did you "
						 "mean to use a double quote (\")?");
	if (*lx->p >= 0x80 && rex_utf8_decode(lx->p, (size_t) (lx->end - lx->p), &cp) == 0)
		return invalid_utf8(lx);
	return lex_error(lx, "Unexpected character: %s.", char_desc(lx, lx->p, d));
}

/* A punctuator, or -1 when the byte is not one. */
static int
punctuator(int c)
{
	switch (c)
	{
		case '!':
			return REX_GQL_TK_BANG;
		case '$':
			return REX_GQL_TK_DOLLAR;
		case '&':
			return REX_GQL_TK_AMP;
		case '(':
			return REX_GQL_TK_PAREN_L;
		case ')':
			return REX_GQL_TK_PAREN_R;
		case ':':
			return REX_GQL_TK_COLON;
		case '=':
			return REX_GQL_TK_EQUALS;
		case '@':
			return REX_GQL_TK_AT;
		case '[':
			return REX_GQL_TK_BRACKET_L;
		case ']':
			return REX_GQL_TK_BRACKET_R;
		case '{':
			return REX_GQL_TK_BRACE_L;
		case '|':
			return REX_GQL_TK_PIPE;
		case '}':
			return REX_GQL_TK_BRACE_R;
	}
	return -1;
}

/* Reads the token that starts at lx->p (not at the end). */
static rex_status
read_token(rex_gql_lexer *lx)
{
	int			c = *lx->p;
	int			punct = punctuator(c);

	if (punct >= 0)
	{
		lx->tok.kind = (rex_gql_token_kind) punct;
		lx->p++;
		lx->col++;
		return REX_OK;
	}
	if (c == '.')
	{
		if (peek_at(lx, 1) != '.' || peek_at(lx, 2) != '.')
			return unexpected_char(lx);
		lx->tok.kind = REX_GQL_TK_SPREAD;
		lx->p += 3;
		lx->col += 3;
		return REX_OK;
	}
	if (is_name_start(c))
	{
		while (lx->p < lx->end && (is_name_start(*lx->p) || is_digit(*lx->p)))
		{
			lx->p++;
			lx->col++;
		}
		lx->tok.kind = REX_GQL_TK_NAME;
		return REX_OK;
	}
	if (c == '-' || is_digit(c))
		return read_number(lx);
	if (c == '"')
		return triple_quote_at(lx, 0) ? read_block_string(lx) : read_string(lx);
	return unexpected_char(lx);
}

rex_status
rex_gql_lex_next(rex_gql_lexer *lx)
{
	if (lx->status != REX_OK)
		return lx->status;
	if (skip_ignored(lx) != REX_OK)
		return lx->status;
	lx->tok.loc.line = lx->line;
	lx->tok.loc.column = lx->col;
	lx->tok.start = (const char *) lx->p;
	lx->tok.value = NULL;
	lx->tok.value_len = 0;
	if (lx->p >= lx->end)
	{
		lx->tok.kind = REX_GQL_TK_EOF;
		lx->tok.len = 0;
		return REX_OK;
	}
	if (lx->max_tokens > 0 && lx->ntokens >= lx->max_tokens)
		return lex_error(lx, "Document contains more than %d tokens. Parsing aborted.",
						 lx->max_tokens);
	lx->ntokens++;
	if (read_token(lx) != REX_OK)
		return lx->status;
	lx->tok.len = (size_t) ((const char *) lx->p - lx->tok.start);
	return REX_OK;
}

const char *
rex_gql_token_kind_desc(rex_gql_token_kind kind)
{
	static const char *const names[] = {
		"<EOF>", "\"!\"", "\"$\"", "\"&\"", "\"(\"", "\")\"", "\"...\"",
		"\":\"", "\"=\"", "\"@\"", "\"[\"", "\"]\"", "\"{\"", "\"|\"", "\"}\"",
		"Name", "Int", "Float", "String", "BlockString"
	};

	if ((int) kind < 0 || (size_t) kind >= sizeof(names) / sizeof(names[0]))
		return "token";
	return names[kind];
}

const char *
rex_gql_token_desc(rex_ctx *ctx, const rex_gql_token *tok)
{
	const char *text;
	size_t		len;
	char	   *s;
	const char *d;

	switch (tok->kind)
	{
		case REX_GQL_TK_NAME:
		case REX_GQL_TK_INT:
		case REX_GQL_TK_FLOAT:
			text = tok->start;
			len = tok->len;
			break;
		case REX_GQL_TK_STRING:
		case REX_GQL_TK_BLOCK_STRING:
			text = tok->value ? tok->value : "";
			len = tok->value ? strlen(tok->value) : 0;
			break;
		default:
			return rex_gql_token_kind_desc(tok->kind);
	}
	s = rex_strndup(ctx, text, len);
	if (s == NULL)
		return rex_gql_token_kind_desc(tok->kind);
	d = rex_psprintf(ctx, "%s \"%s\"", rex_gql_token_kind_desc(tok->kind),
					 rex_shorten(ctx, s, MAX_SHOWN));
	return d ? d : rex_gql_token_kind_desc(tok->kind);
}
