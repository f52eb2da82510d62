/*
 * json_util.c
 *		JSON text in and out of the context (see json_util.h).
 */
#include "json_util.h"
#include "rex_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
dump_to_buf(const char *chunk, size_t size, void *data)
{
	rex_buf    *b = data;

	rex_buf_append_len(b, chunk, size);
	return rex_buf_ok(b) ? 0 : -1;
}

/*
 * Writes d in positional notation (never an exponent) with the fewest
 * significant digits that read back as exactly d, and always with a
 * fraction ("2.0"), so that it stays a real.  Zero has no sign.  This is
 * the form PostgreSQL's jsonb keeps as it is, so both engines answer the
 * same text.
 */
static void
write_real(rex_buf *b, double d)
{
	char		sci[40];
	char		digits[24];
	int			prec,
				exp10,
				nd = 0,
				i;
	const char *p;

	if (d == 0.0)
	{
		rex_buf_append(b, "0.0");
		return;
	}
	for (prec = 1; prec <= 17; prec++)
	{
		snprintf(sci, sizeof(sci), "%.*e", prec - 1, d);
		if (strtod(sci, NULL) == d)
			break;
	}
	/* sci is [-]D[.DDD]e[+-]XX */
	p = sci;
	if (*p == '-')
	{
		rex_buf_append_char(b, '-');
		p++;
	}
	for (; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	exp10 = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (exp10 < 0)
	{
		rex_buf_append(b, "0.");
		for (i = 0; i < -exp10 - 1; i++)
			rex_buf_append_char(b, '0');
		rex_buf_append_len(b, digits, (size_t) nd);
		return;
	}
	for (i = 0; i <= exp10; i++)
		rex_buf_append_char(b, i < nd ? digits[i] : '0');
	rex_buf_append_char(b, '.');
	if (nd > exp10 + 1)
		rex_buf_append_len(b, digits + exp10 + 1, (size_t) (nd - exp10 - 1));
	else
		rex_buf_append_char(b, '0');
}

/* Length of the JSON string token starting at in[i] (a '"'). */
static size_t
string_token_end(const char *in, size_t len, size_t i)
{
	size_t		j = i + 1;

	while (j < len && in[j] != '"')
		j += in[j] == '\\' ? 2 : 1;
	return j < len ? j + 1 : len;
}

/* Length of the number token starting at in[i]. */
static size_t
number_token_end(const char *in, size_t len, size_t i)
{
	size_t		j = i;

	while (j < len && strchr("0123456789+-.eE", in[j]))
		j++;
	return j;
}

/*
 * Copies JSON text, passing every number token to 'rewrite' and every
 * other character (strings included) through unchanged.
 */
static char *
rewrite_numbers(rex_ctx *ctx, const char *in, size_t len,
				void (*rewrite) (rex_buf *b, const char *tok, size_t n))
{
	rex_buf		b;
	size_t		i = 0;

	rex_buf_init(&b, ctx);
	while (i < len)
	{
		char		c = in[i];
		size_t		j;

		if (c == '"')
		{
			j = string_token_end(in, len, i);
			rex_buf_append_len(&b, in + i, j - i);
		}
		else if (c == '-' || (c >= '0' && c <= '9'))
		{
			j = number_token_end(in, len, i);
			rewrite(&b, in + i, j - i);
		}
		else
		{
			j = i + 1;
			rex_buf_append_char(&b, c);
		}
		i = j;
	}
	return rex_buf_ok(&b) ? b.data : NULL;
}

/* Output: reals in their shortest positional form, integers as they are. */
static void
rewrite_output(rex_buf *b, const char *tok, size_t n)
{
	if (memchr(tok, '.', n) || memchr(tok, 'e', n) || memchr(tok, 'E', n))
		write_real(b, strtod(tok, NULL));
	else
		rex_buf_append_len(b, tok, n);
}

/*
 * True when the integer literal 'tok' (digits with an optional '-') does
 * not fit in 64 bits: jansson would refuse it as "too big integer".
 */
static bool
integer_too_big(const char *tok, size_t n)
{
	const char *max = "9223372036854775807";
	bool		neg = n > 0 && tok[0] == '-';
	const char *d = tok + (neg ? 1 : 0);
	size_t		nd = n - (neg ? 1 : 0);
	int			cmp;

	while (nd > 1 && *d == '0')
	{
		d++;
		nd--;
	}
	if (nd != 19)
		return nd > 19;
	cmp = strncmp(d, max, 19);
	return neg ? cmp > 0 && strncmp(d, "9223372036854775808", 19) != 0 : cmp > 0;
}

/*
 * Input: a number as PostgreSQL's numeric (and so jsonb) writes it -- the
 * exponent applied to the decimal digits exactly (no double in between),
 * as many fraction digits as the literal had after the shift, no leading
 * zeros, no sign on zero.  "1e2" -> "100", "2.0e0" -> "2.0", "-0.0" ->
 * "0.0", "1.5e-2" -> "0.015".  A token that is not a valid JSON number is
 * copied as it is, for the parser to refuse.
 */
static void
numeric_form(rex_buf *b, const char *tok, size_t n)
{
	const char *p = tok;
	const char *end = tok + n;
	bool		neg = false;
	const char *int_s,
			   *frac_s = NULL;
	size_t		int_n,
				frac_n = 0;
	long		exp10 = 0;
	long		point;			/* digits before the point after the shift */
	long		scale;
	long		ndig,
				i,
				first;
	char	   *dig;

	if (p < end && *p == '-')
	{
		neg = true;
		p++;
	}
	int_s = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	int_n = (size_t) (p - int_s);
	if (p < end && *p == '.')
	{
		frac_s = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		frac_n = (size_t) (p - frac_s);
	}
	if (p < end && (*p == 'e' || *p == 'E'))
	{
		char	   *stop;

		exp10 = strtol(p + 1, &stop, 10);
		if (stop != end || exp10 > 100000 || exp10 < -100000)
		{
			rex_buf_append_len(b, tok, n);
			return;
		}
		p = end;
	}
	if (p != end || int_n == 0 || (frac_s && frac_n == 0) ||
		(!frac_s && exp10 == 0))
	{
		/* an integer literal, or not a number: leave it to the parser */
		if (p == end && int_n > 0 && strspn(int_s, "0") >= int_n && neg)
			rex_buf_append_len(b, int_s, int_n);	/* -0 -> 0 */
		else
			rex_buf_append_len(b, tok, n);
		return;
	}
	ndig = (long) (int_n + frac_n);
	dig = rex_alloc(b->ctx, (size_t) ndig + 1);
	if (dig == NULL)
	{
		b->failed = true;
		return;
	}
	memcpy(dig, int_s, int_n);
	if (frac_n)
		memcpy(dig + int_n, frac_s, frac_n);
	point = (long) int_n + exp10;
	scale = (long) frac_n - exp10;
	if (scale < 0)
		scale = 0;
	for (first = 0; first < ndig && dig[first] == '0'; first++)
		;
	if (neg && first < ndig)
		rex_buf_append_char(b, '-');
	/* integer part: digits [first, point), at least "0" */
	if (point <= first)
		rex_buf_append_char(b, '0');
	for (i = first; i < point; i++)
		rex_buf_append_char(b, i < ndig ? dig[i] : '0');
	if (scale > 0)
	{
		rex_buf_append_char(b, '.');
		for (i = point; i < point + scale; i++)
			rex_buf_append_char(b, (i >= 0 && i < ndig) ? dig[i] : '0');
	}
}

/*
 * Input numbers in numeric form; an integer too big for 64 bits becomes a
 * real ("1e30" -> "1000000000000000000000000000000.0"), as jansson could
 * not read it otherwise -- the same on both engines.
 */
static void
rewrite_input(rex_buf *b, const char *tok, size_t n)
{
	rex_buf		t;

	rex_buf_init(&t, b->ctx);
	numeric_form(&t, tok, n);
	if (!rex_buf_ok(&t))
	{
		b->failed = true;
		return;
	}
	rex_buf_append_len(b, t.data, t.len);
	if (strspn(t.data, "-0123456789") == t.len && t.len > 0 && integer_too_big(t.data, t.len))
		rex_buf_append(b, ".0");
}

char *
rex_json_text(rex_ctx *ctx, const json_t *v, size_t flags)
{
	rex_buf		b;
	char	   *out;

	rex_buf_init(&b, ctx);
	if (json_dump_callback(v, dump_to_buf, &b, flags) != 0 || !rex_buf_ok(&b))
	{
		rex_error_nomem(ctx);
		return NULL;
	}
	if (strpbrk(b.data, ".eE") == NULL)
		return b.data;			/* no real anywhere, nothing to rewrite */
	out = rewrite_numbers(ctx, b.data, b.len, rewrite_output);
	if (out == NULL)
		rex_error_nomem(ctx);
	return out;
}

const char *
rex_json_normalize_numbers(rex_ctx *ctx, const char *text)
{
	const char *out = rewrite_numbers(ctx, text, strlen(text), rewrite_input);

	if (out == NULL)
		rex_error_nomem(ctx);
	return out;
}

json_t *
rex_json_parse_canonical(rex_ctx *ctx, const char *text, const char *what)
{
	json_error_t jerr;
	json_t	   *v = json_loads(text, JSON_DECODE_ANY, &jerr);

	if (v == NULL)
	{
		rex_error_set(ctx, REX_ERR_INTERNAL, "invalid JSON in %s", what);
		rex_error_detail(ctx, "%s at line %d, column %d.", jerr.text, jerr.line, jerr.column);
		return NULL;
	}
	return rex_ctx_own_json(ctx, v);
}

json_t *
rex_json_parse(rex_ctx *ctx, const char *text, const char *what)
{
	json_error_t jerr;
	const char *norm = rex_json_normalize_numbers(ctx, text);
	json_t	   *v;

	if (norm == NULL)
		return NULL;
	v = json_loads(norm, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);

	if (v == NULL)
	{
		if (json_error_code(&jerr) == json_error_out_of_memory)
			rex_error_nomem(ctx);
		else
		{
			rex_error_set(ctx, REX_ERR_JSON, "invalid JSON in %s", what);
			rex_error_detail(ctx, "%s at line %d, column %d.", jerr.text,
							 jerr.line, jerr.column);
		}
		return NULL;
	}
	return rex_ctx_own_json(ctx, v);
}

json_t *
rex_json_own(rex_ctx *ctx, json_t *v)
{
	if (v == NULL)
	{
		rex_error_nomem(ctx);
		return NULL;
	}
	return rex_ctx_own_json(ctx, v);
}

json_t *
rex_json_object(void)
{
	return json_pack("{}");
}
