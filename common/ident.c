/*
 * ident.c
 *		Identifier validation shared by both engines (see ident.h).
 */
#include "ident.h"
#include "model.h"
#include "sha256.h"

#include <string.h>

/* Column names that name a system column on one of the engines. */
static const char *const reserved_columns[] = {
	"rowid", "oid", "_rowid_",	/* SQLite */
	"ctid", "xmin", "xmax", "cmin", "cmax", "tableoid",	/* PostgreSQL */
	NULL
};

/* Prefixes of table and index names that belong to an engine or to rex. */
static const char *const reserved_prefixes[] = {
	"rex_", "sqlite_", "pg_", NULL
};

static char
ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

bool
rex_ident_equal(const char *a, const char *b)
{
	while (*a && *b)
	{
		if (ascii_lower(*a) != ascii_lower(*b))
			return false;
		a++;
		b++;
	}
	return *a == *b;
}

/* True when 's' starts with 'prefix', ignoring case. */
static bool
has_prefix_ci(const char *s, const char *prefix)
{
	while (*prefix)
	{
		if (ascii_lower(*s) != *prefix)
			return false;
		s++;
		prefix++;
	}
	return true;
}

const char *
rex_ident_rule(void)
{
	return "Names use ASCII letters, digits and underscores, do not start "
		"with a digit, and have at most 63 characters.";
}

const char *
rex_ident_problem(const char *s, rex_ident_kind kind)
{
	size_t		n = strlen(s);
	size_t		i;

	if (n == 0)
		return "the name is empty";
	if (n > REX_MAX_IDENT)
		return "the name is longer than 63 characters";
	if (s[0] >= '0' && s[0] <= '9')
		return "the name starts with a digit";
	for (i = 0; i < n; i++)
	{
		char		c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_'))
			return "the name contains a character other than an ASCII letter, digit or underscore";
	}
	if (kind == REX_IDENT_COLUMN)
	{
		for (i = 0; reserved_columns[i]; i++)
			if (rex_ident_equal(s, reserved_columns[i]))
				return "the name is reserved for a system column";
	}
	else
	{
		for (i = 0; reserved_prefixes[i]; i++)
			if (has_prefix_ci(s, reserved_prefixes[i]))
				return "names starting with \"rex_\", \"sqlite_\" or \"pg_\" are reserved";
	}
	return NULL;
}

const char *
rex_name_fit(rex_ctx *ctx, const char *full)
{
	char		hash[65];
	size_t		n = strlen(full);

	if (n <= REX_MAX_IDENT)
		return full;
	if (!rex_sha256_hex(full, n, hash))
		return NULL;
	return rex_psprintf(ctx, "%.54s_%.8s", full, hash);
}
