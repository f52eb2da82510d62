/*
 * values.c
 *		Text forms of portable values (see values.h).
 */
#include "values.h"

#include <string.h>

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool
rex_uuid_canonical(const char *in, char out[37])
{
	int			i;

	if (strlen(in) != 36)
		return false;
	for (i = 0; i < 36; i++)
	{
		char		c = in[i];

		if (i == 8 || i == 13 || i == 18 || i == 23)
		{
			if (c != '-')
				return false;
			out[i] = c;
		}
		else
		{
			if (!is_hex(c))
				return false;
			out[i] = (c >= 'A' && c <= 'F') ? (char) (c - 'A' + 'a') : c;
		}
	}
	out[36] = '\0';
	return true;
}

/* Parses exactly n digits at s into *v. */
static bool
digits(const char *s, int n, int *v)
{
	int			i;

	*v = 0;
	for (i = 0; i < n; i++)
	{
		if (!is_digit(s[i]))
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Checks "YYYY-MM-DD" at the start of s (no terminator check). */
static bool
date_prefix_valid(const char *s)
{
	int			y,
				m,
				d;

	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) ||
		s[7] != '-' || !digits(s + 8, 2, &d))
		return false;
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days_in_month(y, m);
}

bool
rex_date_valid(const char *in)
{
	return strlen(in) == 10 && date_prefix_valid(in);
}

bool
rex_timestamp_canonical(const char *in, char out[25])
{
	size_t		n = strlen(in);
	int			h,
				mi,
				sec;
	size_t		nfrac = 0;
	char		frac[4] = "000";

	if (n < 20 || n > 24 || !date_prefix_valid(in) || in[10] != 'T')
		return false;
	if (!digits(in + 11, 2, &h) || in[13] != ':' || !digits(in + 14, 2, &mi) ||
		in[16] != ':' || !digits(in + 17, 2, &sec))
		return false;
	if (h > 23 || mi > 59 || sec > 59)
		return false;
	if (in[19] == '.')
	{
		nfrac = n - 21;			/* between '.' and 'Z' */
		if (nfrac < 1 || nfrac > 3)
			return false;
		for (size_t i = 0; i < nfrac; i++)
		{
			if (!is_digit(in[20 + i]))
				return false;
			frac[i] = in[20 + i];
		}
	}
	else if (n != 20)
		return false;
	if (in[n - 1] != 'Z')
		return false;
	memcpy(out, in, 19);
	out[19] = '.';
	memcpy(out + 20, frac, 3);
	out[23] = 'Z';
	out[24] = '\0';
	return true;
}

size_t
rex_utf8_length(const char *s)
{
	size_t		n = 0;

	for (; *s; s++)
		if (((unsigned char) *s & 0xC0) != 0x80)
			n++;
	return n;
}

char *
rex_decimal_canonical(rex_ctx *ctx, const char *in, int precision, int scale,
					  const char **why)
{
	const char *p = in;
	bool		neg = false;
	const char *int_start;
	size_t		int_len;
	const char *frac_start = NULL;
	size_t		frac_len = 0;
	char	   *out;
	size_t		o = 0;

	if (*p == '-')
	{
		neg = true;
		p++;
	}
	int_start = p;
	while (is_digit(*p))
		p++;
	int_len = (size_t) (p - int_start);
	if (*p == '.')
	{
		frac_start = ++p;
		while (is_digit(*p))
			p++;
		frac_len = (size_t) (p - frac_start);
		if (frac_len == 0)
		{
			*why = "a decimal point must be followed by digits";
			return NULL;
		}
	}
	if (*p != '\0' || int_len == 0)
	{
		*why = "a decimal is written as digits with an optional sign and fraction, without exponent";
		return NULL;
	}
	/* drop leading zeros of the integer part, keeping one */
	while (int_len > 1 && *int_start == '0')
	{
		int_start++;
		int_len--;
	}
	if (precision > 0)
	{
		if (frac_len > (size_t) scale)
		{
			/* only zeros may be dropped: never round silently */
			size_t		keep = frac_len;

			while (keep > (size_t) scale && frac_start[keep - 1] == '0')
				keep--;
			if (keep > (size_t) scale)
			{
				*why = "the value has more fractional digits than the scale allows";
				return NULL;
			}
			frac_len = keep;
		}
		if (!(int_len == 1 && *int_start == '0') &&
			int_len > (size_t) (precision - scale))
		{
			*why = "the value has more integer digits than precision minus scale allows";
			return NULL;
		}
	}
	out = rex_alloc(ctx, int_len + (size_t) scale + frac_len + 4);
	if (out == NULL)
	{
		*why = "out of memory";
		return NULL;
	}
	if (neg)
		out[o++] = '-';
	memcpy(out + o, int_start, int_len);
	o += int_len;
	if (precision > 0 ? scale > 0 : frac_len > 0)
	{
		size_t		want = precision > 0 ? (size_t) scale : frac_len;
		size_t		i;

		out[o++] = '.';
		for (i = 0; i < want; i++)
			out[o++] = i < frac_len ? frac_start[i] : '0';
	}
	out[o] = '\0';
	/* "-0", "-0.00": zero has no sign */
	if (neg && strspn(out + 1, "0.") == strlen(out + 1))
		memmove(out, out + 1, o);
	return out;
}

long
rex_base64_decoded_length(const char *in)
{
	size_t		n = strlen(in);
	size_t		i;
	size_t		pad = 0;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i++)
	{
		char		c = in[i];

		if (c == '=')
		{
			if (i < n - 2)
				return -1;
			pad++;
			continue;
		}
		if (pad > 0)
			return -1;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			  (c >= '0' && c <= '9') || c == '+' || c == '/'))
			return -1;
	}
	return (long) (n / 4 * 3 - pad);
}
