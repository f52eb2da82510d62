/*
 * jsonschema_regex.c
 *		The regular expressions of the generated JSON Schema: the portable
 *		"pattern" rule rewritten for ECMA-262, the types' and formats'
 *		patterns, and decimal bounds as patterns (see schemagen.h).
 *
 * JSON Schema's "pattern" is an ECMA-262 regular expression, unanchored;
 * ajv compiles it with the "u" flag.  Each pattern here accepts exactly
 * what the C of validate() accepts (values.c, formats.c, rules_check.c),
 * so that ajv and validate() give the same verdict; the reference tests
 * (test/reference) feed both the same values.
 */
#include "schemagen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RE_YEAR "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
#define RE_LEAP "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
#define RE_DATE "(?:" RE_YEAR "-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|" \
	"(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|" RE_LEAP "-02-29)"
#define RE_TIME "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
#define RE_LABEL "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
#define RE_LOCAL_CHAR "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"

const char *const rex_re_uuid =
"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";
const char *const rex_re_timestamp = "^" RE_DATE "T" RE_TIME "(?:\\.[0-9]{1,3})?Z$";
const char *const rex_re_date = "^" RE_DATE "$";
const char *const rex_re_date_time =
"^" RE_DATE "[Tt]" RE_TIME "(?:\\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$";
const char *const rex_re_base64 =
"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";
const char *const rex_re_email =
"^" RE_LOCAL_CHAR "+(?:\\." RE_LOCAL_CHAR "+)*@" RE_LABEL "(?:\\." RE_LABEL ")+$";
const char *const rex_re_email_local = "^[^@]{1,64}@";
const char *const rex_re_url = "^https?://[!\"$-.0->@-~][!-~]*$";

/* Characters that ECMA-262's "u" flag lets one escape with a backslash. */
static bool
ecma_escapable(char c, bool in_class)
{
	return (c && strchr("^$\\.*+?()[]{}|/", c) != NULL) || (in_class && c == '-');
}

/* An escape of the portable text, at p ("\x"), written for ECMA. */
static void
ecma_escape(rex_buf *b, const char *p, bool in_class)
{
	char		c = p[1];

	if (c == 'n' || c == 't' || c == 'r' || c == 'f' || ecma_escapable(c, in_class))
	{
		rex_buf_append_char(b, '\\');
		rex_buf_append_char(b, c);
	}
	else
		rex_buf_printf(b, "\\x%02X", (unsigned char) c);
}

const char *
rex_regex_ecma(rex_ctx *ctx, const char *portable)
{
	rex_buf		b;
	const char *p = portable;
	bool		in_class = false;

	rex_buf_init(&b, ctx);
	while (*p)
	{
		if (*p == '\\' && p[1])
		{
			ecma_escape(&b, p, in_class);
			p += 2;
			continue;
		}
		if (in_class)
		{
			if (*p == ']')
				in_class = false;
		}
		else if (*p == '[')
		{
			in_class = true;
			rex_buf_append_char(&b, *p++);
			if (*p == '^')
				rex_buf_append_char(&b, *p++);
			continue;
		}
		else if (*p == '.')
		{
			rex_buf_append(&b, "[\\s\\S]");
			p++;
			continue;
		}
		rex_buf_append_char(&b, *p++);
	}
	return rex_buf_ok(&b) ? b.data : NULL;
}

const char *
rex_decimal_regex(rex_ctx *ctx, int precision, int scale)
{
	const char *ipart;
	const char *fpart;

	if (precision == 0)
		return "^-?[0-9]+(?:\\.[0-9]+)?$";
	ipart = precision - scale == 0 ? "0+" :
		rex_psprintf(ctx, "0*[0-9]{1,%d}", precision - scale);
	fpart = scale == 0 ? "0+" : rex_psprintf(ctx, "[0-9]{1,%d}0*", scale);
	return rex_psprintf(ctx, "^-?%s(?:\\.%s)?$", ipart, fpart);
}

/* ---------------------------------------------------------------- */
/* decimal bounds */

/* A non-negative decimal: integer digits (no leading zero, "" for 0) and
 * fraction digits (no trailing zero). */
typedef struct decimal
{
	bool		neg;
	char	   *ipart;
	char	   *fpart;
} decimal;

/* The plain decimal of a JSON number's shortest text ("1e-07" too). */
static bool
decimal_of(rex_ctx *ctx, const json_t *n, decimal *d)
{
	const char *text = rex_json_text(ctx, n, REX_JSON_OUTPUT);
	char		digits[1100];
	size_t		nd = 0;
	long		point = -1;		/* digits before the point */
	long		exp = 0;
	const char *p;
	char	   *all;
	long		len,
				i,
				start;

	if (text == NULL)
		return false;
	d->neg = text[0] == '-';
	for (p = text + (d->neg ? 1 : 0); *p && *p != 'e' && *p != 'E'; p++)
	{
		if (*p == '.')
			point = (long) nd;
		else if (nd < sizeof(digits) - 1)
			digits[nd++] = *p;
	}
	if (*p)
		exp = strtol(p + 1, NULL, 10);
	if (point < 0)
		point = (long) nd;
	point += exp;
	if (exp > 400 || exp < -400)
		return false;
	/* all digits with the point at 'point', padded with zeros */
	len = (point > (long) nd ? point : (long) nd) + (point < 0 ? -point : 0);
	all = rex_alloc0(ctx, (size_t) len + 2);
	if (all == NULL)
		return false;
	start = point < 0 ? -point : 0;
	memset(all, '0', (size_t) len);
	memcpy(all + start, digits, nd);
	point += start;
	d->ipart = rex_strndup(ctx, all, (size_t) point);
	d->fpart = rex_strdup(ctx, all + point);
	if (d->ipart == NULL || d->fpart == NULL)
		return false;
	for (i = 0; d->ipart[i] == '0'; i++)
		;
	d->ipart += i;
	for (i = (long) strlen(d->fpart); i > 0 && d->fpart[i - 1] == '0'; i--)
		d->fpart[i - 1] = '\0';
	if (*d->ipart == '\0' && *d->fpart == '\0')
		d->neg = false;
	return true;
}

/* A class of the digits from lo to hi, or nothing when lo > hi. */
static bool
digit_class(rex_buf *b, int lo, int hi)
{
	if (lo > hi)
		return false;
	if (lo == hi)
		rex_buf_printf(b, "%d", lo);
	else
		rex_buf_printf(b, "[%d-%d]", lo, hi);
	return true;
}

/* "|" between alternatives (not before the first). */
static void
alt(rex_buf *b, bool *first)
{
	if (!*first)
		rex_buf_append_char(b, '|');
	*first = false;
}

#define ANY_FRACTION "(?:\\.[0-9]+)?"

/* Unsigned decimals >= d (d not zero). */
static void
at_least(rex_buf *b, const decimal *d)
{
	int			L = (int) strlen(d->ipart);
	int			nf = (int) strlen(d->fpart);
	bool		first = true;
	int			i;

	rex_buf_append(b, "(?:");
	alt(b, &first);
	rex_buf_printf(b, "0*[1-9][0-9]{%d,}" ANY_FRACTION, L);
	for (i = 0; i < L; i++)
	{
		rex_buf		t;

		rex_buf_init(&t, b->ctx);
		rex_buf_printf(&t, "0*%.*s", i, d->ipart);
		if (digit_class(&t, d->ipart[i] - '0' + 1, 9))
		{
			alt(b, &first);
			rex_buf_printf(b, "%s[0-9]{%d}" ANY_FRACTION, t.data, L - i - 1);
		}
	}
	alt(b, &first);
	rex_buf_append(b, L ? rex_psprintf(b->ctx, "0*%s", d->ipart) : "0+");
	if (nf == 0)
		rex_buf_append(b, ANY_FRACTION);
	else
	{
		rex_buf_printf(b, "\\.(?:%s[0-9]*", d->fpart);
		for (i = 0; i < nf; i++)
		{
			rex_buf		t;

			rex_buf_init(&t, b->ctx);
			rex_buf_printf(&t, "%.*s", i, d->fpart);
			if (digit_class(&t, d->fpart[i] - '0' + 1, 9))
				rex_buf_printf(b, "|%s[0-9]*", t.data);
		}
		rex_buf_append_char(b, ')');
	}
	rex_buf_append_char(b, ')');
}

/* Unsigned decimals <= d. */
static void
at_most(rex_buf *b, const decimal *d)
{
	int			L = (int) strlen(d->ipart);
	int			nf = (int) strlen(d->fpart);
	bool		first = true;
	int			i;

	rex_buf_append(b, "(?:");
	if (L == 1)
	{
		alt(b, &first);
		rex_buf_append(b, "0+" ANY_FRACTION);
	}
	else if (L > 1)
	{
		alt(b, &first);
		rex_buf_printf(b, "(?:0*[1-9][0-9]{0,%d}|0+)" ANY_FRACTION, L - 2);
	}
	for (i = 0; i < L; i++)
	{
		rex_buf		t;

		rex_buf_init(&t, b->ctx);
		rex_buf_printf(&t, "0*%.*s", i, d->ipart);
		if (digit_class(&t, i == 0 ? 1 : 0, d->ipart[i] - '0' - 1))
		{
			alt(b, &first);
			rex_buf_printf(b, "%s[0-9]{%d}" ANY_FRACTION, t.data, L - i - 1);
		}
	}
	alt(b, &first);
	rex_buf_append(b, L ? rex_psprintf(b->ctx, "0*%s", d->ipart) : "0+");
	if (nf == 0)
		rex_buf_append(b, "(?:\\.0+)?");
	else
	{
		bool		f2 = true;

		rex_buf_append(b, "(?:\\.(?:");
		for (i = 0; i < nf; i++)
		{
			rex_buf		t;

			rex_buf_init(&t, b->ctx);
			rex_buf_printf(&t, "%.*s", i, d->fpart);
			if (digit_class(&t, 0, d->fpart[i] - '0' - 1))
			{
				alt(b, &f2);
				rex_buf_printf(b, "%s[0-9]*", t.data);
			}
		}
		alt(b, &f2);
		/* a prefix of the fraction, or all of it followed by zeros */
		for (i = 0; i < nf; i++)
			rex_buf_printf(b, "%c%s", d->fpart[i], i < nf - 1 ? "(?:" : "0*");
		for (i = 0; i < nf - 1; i++)
			rex_buf_append(b, ")?");
		rex_buf_append(b, "))?");
	}
	rex_buf_append_char(b, ')');
}

const char *
rex_decimal_bound_regex(rex_ctx *ctx, const json_t *bound, bool ge)
{
	decimal		d;
	rex_buf		b;
	bool		zero;

	if (!decimal_of(ctx, bound, &d))
		return NULL;
	zero = *d.ipart == '\0' && *d.fpart == '\0';
	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "^(?:");
	if (ge && !d.neg)
	{
		if (zero)
			rex_buf_append(&b, "[0-9]+" ANY_FRACTION "|-0+(?:\\.0+)?");
		else
			at_least(&b, &d);
	}
	else if (ge)
	{
		rex_buf_append(&b, "[0-9]+" ANY_FRACTION "|-");
		at_most(&b, &d);
	}
	else if (!d.neg)
	{
		if (zero)
			rex_buf_append(&b, "0+(?:\\.0+)?");
		else
			at_most(&b, &d);
		rex_buf_append(&b, "|-[0-9]+" ANY_FRACTION);
	}
	else
	{
		rex_buf_append(&b, "-");
		at_least(&b, &d);
	}
	rex_buf_append(&b, ")$");
	return rex_buf_ok(&b) ? b.data : NULL;
}
