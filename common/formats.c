/*
 * formats.c
 *		The "format" rule in C: email, uuid, url, date, date-time.
 *
 * Each format is defined so that built-in SQL of both engines can check
 * it too (rules_sql.c writes those CHECKs, and the tests feed the same
 * values to both): what is accepted here is exactly what the CHECKs
 * accept.
 *
 *	 email		local@domain, at most 254 characters.  local: 1 to 64 of
 *				A-Z a-z 0-9 ! # $ % & ' * + / = ? ^ _ ` { | } ~ - and '.',
 *				no leading, trailing or doubled '.'.  domain: letters,
 *				digits, '-' and '.', at least one '.', labels neither empty
 *				nor starting or ending with '-'.  ASCII only (write an
 *				internationalised domain in its xn-- form).
 *	 uuid		8-4-4-4-12 hexadecimal digits, either case
 *	 url		http:// or https:// (lower case), then a host part that is
 *				not empty (up to the first / ? #), printable ASCII only
 *				(no spaces: percent-encode them)
 *	 date		YYYY-MM-DD, a real calendar date, year 0001 to 9999
 *	 date-time	RFC 3339: date, T, HH:MM:SS (no leap second), optional
 *				fraction, then Z or +HH:MM / -HH:MM; T and Z in either case
 */
#include "rules.h"
#include "values.h"

#include <string.h>

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
email_local_char(char c)
{
	return is_alnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~-.", c) != NULL);
}

static bool
email_valid(const char *s)
{
	const char *at = strchr(s, '@');
	const char *p;
	size_t		nlocal;

	if (at == NULL || strchr(at + 1, '@') != NULL || strlen(s) > 254)
		return false;
	nlocal = (size_t) (at - s);
	if (nlocal < 1 || nlocal > 64 || s[0] == '.' || at[-1] == '.')
		return false;
	for (p = s; p < at; p++)
		if (!email_local_char(*p) || (p[0] == '.' && p[1] == '.'))
			return false;
	p = at + 1;
	if (*p == '\0' || strchr(p, '.') == NULL || *p == '.' || *p == '-')
		return false;
	for (; *p; p++)
	{
		if (!is_alnum(*p) && *p != '-' && *p != '.')
			return false;
		if (*p == '.' && (p[1] == '.' || p[1] == '-' || p[1] == '\0'))
			return false;
		if (*p == '-' && (p[1] == '.' || p[1] == '\0'))
			return false;
	}
	return true;
}

static bool
url_valid(const char *s)
{
	const char *host;
	const char *p;

	if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return false;
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#')
		return false;
	for (p = s; *p; p++)
		if ((unsigned char) *p < 0x21 || (unsigned char) *p > 0x7E)
			return false;
	return true;
}

/* Two digits at s forming a number <= max. */
static bool
two_digits(const char *s, int max)
{
	return is_digit(s[0]) && is_digit(s[1]) && (s[0] - '0') * 10 + (s[1] - '0') <= max;
}

/* Z, z, +HH:MM or -HH:MM, and nothing after. */
static bool
offset_valid(const char *s)
{
	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0')
		return true;
	return (s[0] == '+' || s[0] == '-') && two_digits(s + 1, 23) && s[3] == ':' &&
		two_digits(s + 4, 59) && s[6] == '\0';
}

static bool
date_time_valid(const char *s)
{
	char		date[11];
	const char *p;

	if (strlen(s) < 20)
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!rex_date_valid(date) || (s[10] != 'T' && s[10] != 't'))
		return false;
	if (!two_digits(s + 11, 23) || s[13] != ':' || !two_digits(s + 14, 59) ||
		s[16] != ':' || !two_digits(s + 17, 59))
		return false;
	p = s + 19;
	if (*p == '.')
	{
		if (!is_digit(p[1]))
			return false;
		for (p++; is_digit(*p); p++)
			;
	}
	return offset_valid(p);
}

bool
rex_format_valid(rex_format f, const char *s)
{
	char		u[37];

	switch (f)
	{
		case REX_FORMAT_EMAIL:
			return email_valid(s);
		case REX_FORMAT_UUID:
			return rex_uuid_canonical(s, u);
		case REX_FORMAT_URL:
			return url_valid(s);
		case REX_FORMAT_DATE:
			return rex_date_valid(s);
		case REX_FORMAT_DATE_TIME:
			return date_time_valid(s);
	}
	return false;
}
