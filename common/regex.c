/*
 * regex.c
 *		Portable regular expressions for the "pattern" rule.
 *
 * validate() matches patterns with PCRE2 (UTF mode); PostgreSQL's CHECK
 * matches them with its own engine (the ~ operator, Spencer's ARE).  The
 * two agree only on a subset, so a pattern is accepted only when it stays
 * inside it, and then both engines get the same text:
 *
 *	 literals (any character but \ ^ $ . | ? * + ( ) [ ] { })
 *	 .  ^  $  |  ( )  (?: )
 *	 * + ? {n} {n,} {n,m} (n, m <= 255), each optionally followed by ?
 *	 [abc] [^a-z] classes: characters, ranges, \d \w \s, escaped punctuation
 *	 \d \D \w \W \s \S   -- ASCII only: [0-9], [A-Za-z0-9_], [ \t\n\r\f]
 *	 \n \t \r \f, and \ before any ASCII punctuation
 *
 * \d, \w and \s are written out as ASCII classes in the text both engines
 * get, because PostgreSQL's meaning of them follows the database's locale.
 * Matching is an unanchored search (use ^ and $); '.' matches any
 * character including a newline and '$' only the very end, as with ~.
 * Refused: back references, look-around, \b and other escapes, POSIX
 * [:classes:], flags, possessive quantifiers, a leading ']' in a class
 * (write \]).  Lazy quantifiers are accepted: for a yes/no match they mean
 * the same as greedy ones.
 */
#include "rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <string.h>

#define MAX_BOUND 255			/* PostgreSQL's DUPMAX */

#define CLASS_D "0-9"
#define CLASS_W "A-Za-z0-9_"
#define CLASS_S " \\t\\n\\r\\f"

typedef struct rx
{
	const char *p;
	rex_buf    *out;
	const char *why;
	int			depth;
} rx;

static bool
is_punct(char c)
{
	return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) ||
		(c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

static bool
fail(rx *x, const char *why)
{
	if (x->why == NULL)
		x->why = why;
	return false;
}

/* Copies one (possibly multibyte) UTF-8 character. */
static void
copy_char(rx *x)
{
	unsigned char c = (unsigned char) *x->p;
	int			n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

	while (n-- > 0 && *x->p)
		rex_buf_append_char(x->out, *x->p++);
}

/* An escape inside [...]: \d \w \s, \n \t \r \f, or \punct. */
static bool
class_escape(rx *x)
{
	char		c = x->p[1];

	x->p += 2;
	switch (c)
	{
		case 'd':
			rex_buf_append(x->out, CLASS_D);
			return true;
		case 'w':
			rex_buf_append(x->out, CLASS_W);
			return true;
		case 's':
			rex_buf_append(x->out, CLASS_S);
			return true;
		case 'n':
		case 't':
		case 'r':
		case 'f':
			rex_buf_append_char(x->out, '\\');
			rex_buf_append_char(x->out, c);
			return true;
		case 'D':
		case 'W':
		case 'S':
			return fail(x, "\\D, \\W and \\S cannot be used inside [...]");
		default:
			if (c && is_punct(c))
			{
				rex_buf_append_char(x->out, '\\');
				rex_buf_append_char(x->out, c);
				return true;
			}
			return fail(x, "this escape is not portable inside [...]");
	}
}

/* A bracket expression; x->p is at '['. */
static bool
bracket(rx *x)
{
	rex_buf_append_char(x->out, '[');
	x->p++;
	if (*x->p == '^')
	{
		rex_buf_append_char(x->out, '^');
		x->p++;
	}
	if (*x->p == ']')
		return fail(x, "a class cannot start with ']' (write \\])");
	while (*x->p && *x->p != ']')
	{
		if (x->p[0] == '[' && (x->p[1] == ':' || x->p[1] == '=' || x->p[1] == '.'))
			return fail(x, "POSIX [:classes:], [=equivalents=] and [.collating.] elements "
						"depend on the locale");
		if (*x->p == '\\')
		{
			if (!class_escape(x))
				return false;
			continue;
		}
		if (*x->p == '[')
		{
			rex_buf_append(x->out, "\\[");
			x->p++;
			continue;
		}
		copy_char(x);
	}
	if (*x->p != ']')
		return fail(x, "unterminated [...]");
	rex_buf_append_char(x->out, ']');
	x->p++;
	return true;
}

/* Reads up to three digits of a bound; -1 when there are none. */
static int
bound_number(rx *x)
{
	int			n = -1;
	int			k = 0;

	while (*x->p >= '0' && *x->p <= '9' && k < 4)
	{
		n = (n < 0 ? 0 : n * 10) + (*x->p++ - '0');
		k++;
	}
	return n;
}

/* {n}, {n,}, {n,m}; x->p is at '{'. */
static bool
bound(rx *x)
{
	int			lo,
				hi = -1;
	bool		comma = false;

	x->p++;
	lo = bound_number(x);
	if (*x->p == ',')
	{
		comma = true;
		x->p++;
		hi = bound_number(x);
	}
	if (lo < 0 || *x->p != '}')
		return fail(x, "'{' must start a bound such as {2,5} (write \\{ for the character)");
	x->p++;
	if (lo > MAX_BOUND || hi > MAX_BOUND)
		return fail(x, "bounds are limited to 255");
	if (hi >= 0 && hi < lo)
		return fail(x, "a bound {n,m} needs n <= m");
	if (comma && hi >= 0)
		rex_buf_printf(x->out, "{%d,%d}", lo, hi);
	else if (comma)
		rex_buf_printf(x->out, "{%d,}", lo);
	else
		rex_buf_printf(x->out, "{%d}", lo);
	return true;
}

/* An optional quantifier after an atom, with an optional lazy '?'. */
static bool
quantifier(rx *x)
{
	if (*x->p == '*' || *x->p == '+' || *x->p == '?')
		rex_buf_append_char(x->out, *x->p++);
	else if (*x->p == '{')
	{
		if (!bound(x))
			return false;
	}
	else
		return true;
	if (*x->p == '?')
		rex_buf_append_char(x->out, *x->p++);
	if (*x->p == '*' || *x->p == '+' || *x->p == '?' || *x->p == '{')
		return fail(x, "a quantifier cannot follow another (possessive quantifiers are not portable)");
	return true;
}

static bool alternation(rx *x);

/* An escape outside [...]. */
static bool
escape(rx *x)
{
	char		c = x->p[1];

	x->p += 2;
	switch (c)
	{
		case 'd':
			rex_buf_append(x->out, "[" CLASS_D "]");
			return true;
		case 'D':
			rex_buf_append(x->out, "[^" CLASS_D "]");
			return true;
		case 'w':
			rex_buf_append(x->out, "[" CLASS_W "]");
			return true;
		case 'W':
			rex_buf_append(x->out, "[^" CLASS_W "]");
			return true;
		case 's':
			rex_buf_append(x->out, "[" CLASS_S "]");
			return true;
		case 'S':
			rex_buf_append(x->out, "[^" CLASS_S "]");
			return true;
		case 'n':
		case 't':
		case 'r':
		case 'f':
			rex_buf_append_char(x->out, '\\');
			rex_buf_append_char(x->out, c);
			return true;
		default:
			if (c && is_punct(c))
			{
				rex_buf_append_char(x->out, '\\');
				rex_buf_append_char(x->out, c);
				return true;
			}
			if (c >= '0' && c <= '9')
				return fail(x, "back references are not portable");
			if (c == 'b' || c == 'B')
				return fail(x, "\\b means a word boundary to PCRE but a backspace to PostgreSQL");
			return fail(x, "this escape is not portable");
	}
}

/* One atom followed by an optional quantifier. */
static bool
piece(rx *x)
{
	switch (*x->p)
	{
		case '(':
			if (x->p[1] == '?')
			{
				if (x->p[2] != ':')
					return fail(x, "only (?: ) groups are portable: no look-around, flags or named groups");
				rex_buf_append(x->out, "(?:");
				x->p += 3;
			}
			else
			{
				rex_buf_append_char(x->out, '(');
				x->p++;
			}
			if (++x->depth > 32)
				return fail(x, "groups nest too deep");
			if (!alternation(x))
				return false;
			if (*x->p != ')')
				return fail(x, "unbalanced parentheses");
			rex_buf_append_char(x->out, ')');
			x->p++;
			x->depth--;
			break;
		case '[':
			if (!bracket(x))
				return false;
			break;
		case '\\':
			if (!escape(x))
				return false;
			break;
		case '^':
		case '$':
			rex_buf_append_char(x->out, *x->p++);
			return true;		/* anchors take no quantifier */
		case '*':
		case '+':
		case '?':
		case '{':
			return fail(x, "a quantifier needs something before it");
		case ']':
		case '}':
			return fail(x, "write \\] or \\} for the character");
		default:
			copy_char(x);
			break;
	}
	return quantifier(x);
}

/* Branches separated by '|', up to ')' or the end. */
static bool
alternation(rx *x)
{
	while (*x->p && *x->p != ')')
	{
		if (*x->p == '|')
			rex_buf_append_char(x->out, *x->p++);
		else if (!piece(x))
			return false;
	}
	return true;
}

const char *
rex_regex_portable(rex_ctx *ctx, const char *pattern, const char **why)
{
	rex_buf		out;
	rx			x;

	rex_buf_init(&out, ctx);
	memset(&x, 0, sizeof(x));
	x.p = pattern;
	x.out = &out;
	if (!alternation(&x))
	{
		*why = x.why;
		return NULL;
	}
	if (*x.p == ')')
	{
		*why = "unbalanced parentheses";
		return NULL;
	}
	if (!rex_buf_ok(&out))
	{
		*why = "out of memory";
		return NULL;
	}
	return out.data;
}

/* PCRE2 allocates from the context's arena; the arena frees it all. */
static void *
pcre_alloc(size_t size, void *data)
{
	return rex_alloc((rex_ctx *) data, size);
}

static void
pcre_free(void *ptr, void *data)
{
	(void) ptr;
	(void) data;
}

rex_status
rex_regex_match(rex_ctx *ctx, const char *portable, const char *subject, bool *matches)
{
	pcre2_general_context *gc;
	pcre2_compile_context *cc;
	pcre2_code *code;
	pcre2_match_data *md;
	int			err;
	PCRE2_SIZE	off;
	int			rc;

	*matches = false;
	gc = pcre2_general_context_create(pcre_alloc, pcre_free, ctx);
	cc = gc ? pcre2_compile_context_create(gc) : NULL;
	if (cc == NULL)
		return rex_error_nomem(ctx);
	code = pcre2_compile((PCRE2_SPTR) portable, PCRE2_ZERO_TERMINATED,
						 PCRE2_UTF | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_BACKSLASH_C,
						 &err, &off, cc);
	if (code == NULL)
	{
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof(msg));
		return rex_error_set(ctx, REX_ERR_DEFINITION, "%s at offset %zu", (char *) msg, (size_t) off);
	}
	md = pcre2_match_data_create_from_pattern(code, gc);
	if (md == NULL)
		return rex_error_nomem(ctx);
	rc = pcre2_match(code, (PCRE2_SPTR) subject, strlen(subject), 0, 0, md, NULL);
	if (rc >= 0)
		*matches = true;
	else if (rc != PCRE2_ERROR_NOMATCH)
	{
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof(msg));
		return rex_error_set(ctx, REX_ERR_INTERNAL, "regular expression failed: %s", (char *) msg);
	}
	return REX_OK;
}
