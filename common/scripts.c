/*
 * scripts.c
 *		Versioned migration scripts (see scripts.h) and add_migration().
 *
 * SQL function defined here (through rex_api.h):
 *	 add_migration(version text, up text, down text default null) -> jsonb
 *		{"version", "status", "checksum"}; status is "registered",
 *		"unchanged", "updated" (a pending script replaced) or
 *		"changed_after_apply" (an applied script registered with another
 *		text: migrate() refuses until it is restored or repaired).
 */
#include "scripts.h"
#include "catalog.h"
#include "clock.h"
#include "history.h"
#include "json_util.h"
#include "rex_api.h"
#include "rex_engine.h"
#include "sqltpl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VERSION 100

const char *
rex_script_checksum(rex_ctx *ctx, const char *version, const char *up, const char *down)
{
	json_t	   *o = rex_json_own(ctx, json_object());

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "kind", json_string("script"));
	json_object_set_new(o, "version", json_string(version));
	json_object_set_new(o, "up", json_string(up));
	json_object_set_new(o, "down", down ? json_string(down) : json_null());
	return rex_history_checksum(ctx, o);
}

/* Runs an internal template with parameters. */
static rex_status
run_tpl(rex_ctx *ctx, const char *tpl, int n, const rex_value *p, rex_result **res)
{
	const char *sql = rex_sql(ctx, tpl);

	return sql ? rex_engine_query(ctx, sql, n, p, res) : ctx->err.status;
}

static int
cmp_script(const void *a, const void *b)
{
	return rex_version_cmp(((const rex_script *) a)->version, ((const rex_script *) b)->version);
}

rex_status
rex_scripts_load(rex_ctx *ctx, rex_script **out, int *n)
{
	rex_result *res;
	rex_status	st;
	int			i;

	if ((st = run_tpl(ctx, "SELECT version, up, down, checksum FROM {scripts}", 0, NULL, &res)) != REX_OK)
		return st;
	*out = rex_alloc0(ctx, sizeof(rex_script) * (size_t) (res->nrows + 1));
	if (*out == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
	{
		rex_script *sc = &(*out)[i];

		sc->version = rex_result_text(res, i, 0);
		sc->up = rex_result_text(res, i, 1);
		sc->down = rex_result_text(res, i, 2);
		if (sc->version == NULL || sc->up == NULL)
			return rex_error_set(ctx, REX_ERR_INTERNAL, "incomplete migration script row");
		/* from the text itself: a row changed behind rex's back shows */
		if ((sc->checksum = rex_script_checksum(ctx, sc->version, sc->up, sc->down)) == NULL)
			return ctx->err.status;
	}
	*n = res->nrows;
	qsort(*out, (size_t) *n, sizeof(rex_script), cmp_script);
	return REX_OK;
}

/* ---------------------------------------------------------------- */
/* a small SQL lexer: only what finding statement starts needs */

/*
 * Skips a comment, literal or quoted name at p; returns the next position.
 * 'e_string' is set when the literal is PostgreSQL's E'...' (backslash
 * escapes).
 */
static const char *
skip_token(const char *p, bool e_string)
{
	if (p[0] == '-' && p[1] == '-')
	{
		while (*p && *p != '\n')
			p++;
		return p;
	}
	if (p[0] == '/' && p[1] == '*')
	{
		const char *e = strstr(p + 2, "*/");

		return e ? e + 2 : p + strlen(p);
	}
	if (*p == '\'' || *p == '"' || *p == '`' || *p == '[')
	{
		char		close = *p == '[' ? ']' : *p;
		bool		backslash = *p == '\'' && e_string;

		for (p++; *p; p++)
		{
			if (backslash && *p == '\\' && p[1])
				p++;
			else if (*p == close)
			{
				if (close != ']' && p[1] == close)
					p++;
				else
					return p + 1;
			}
		}
		return p;
	}
	if (*p == '$')
	{
		/* PostgreSQL dollar quoting: $tag$ ... $tag$ */
		const char *t = p + 1;
		size_t		len;
		char		tag[64];

		while (isalnum((unsigned char) *t) || *t == '_')
			t++;
		if (*t != '$' || (size_t) (t - p + 1) >= sizeof(tag) ||
			(t > p + 1 && isdigit((unsigned char) p[1])))
			return p + 1;
		len = (size_t) (t - p + 1);
		memcpy(tag, p, len);
		tag[len] = '\0';
		t = strstr(t + 1, tag);
		return t ? t + len : p + strlen(p);
	}
	return p + 1;
}

/* Reads a word at p into w (upper case); returns the position after it. */
static const char *
read_word(const char *p, char *w, size_t size)
{
	size_t		n = 0;

	while (isalnum((unsigned char) *p) || *p == '_')
	{
		if (n + 1 < size)
			w[n++] = (char) toupper((unsigned char) *p);
		p++;
	}
	w[n] = '\0';
	return p;
}

static const char *const txn_words[] = {
	"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "ABORT", "START", NULL
};

const char *
rex_sql_txn_control(const char *sql)
{
	const char *p = sql;
	bool		at_start = true;	/* next word starts a statement */
	bool		in_create = false;	/* a CREATE statement */
	bool		saw_trigger = false;	/* ... of a trigger */
	bool		in_body = false;	/* inside BEGIN ... END of a SQLite trigger */
	bool		e_string = false;	/* the word before was E (E'...') */
	char		w[32];
	int			i;

	while (*p)
	{
		if (isspace((unsigned char) *p))
		{
			p++;
			continue;
		}
		if (*p == ';')
		{
			at_start = true;
			if (!in_body)
				in_create = saw_trigger = false;
			p++;
			continue;
		}
		if (isalpha((unsigned char) *p) || *p == '_')
		{
			bool		first = at_start;

			p = read_word(p, w, sizeof(w));
			at_start = false;
			e_string = *p == '\'' && strcmp(w, "E") == 0;
			if (e_string)
				continue;		/* E'...' literal: the quote comes next */
			if (in_body)
			{
				if (first && strcmp(w, "END") == 0)
					in_body = false;
				continue;
			}
			if (first)
			{
				in_create = strcmp(w, "CREATE") == 0;
				for (i = 0; txn_words[i]; i++)
					if (strcmp(w, txn_words[i]) == 0)
						return txn_words[i];
			}
			else if (in_create && strcmp(w, "TRIGGER") == 0)
				saw_trigger = true;
			else if (in_create && saw_trigger && strcmp(w, "BEGIN") == 0)
			{
				in_body = true;
				at_start = true;
			}
			continue;
		}
		at_start = false;
		p = skip_token(p, e_string);
		e_string = false;
	}
	return NULL;
}

/* ---------------------------------------------------------------- */
/* add_migration */

static rex_status
bad_argument(rex_ctx *ctx, const char *what, const char *hint)
{
	rex_error_set(ctx, REX_ERR_DEFINITION, "add_migration: %s", what);
	if (hint)
		rex_error_hint(ctx, "%s", hint);
	return REX_ERR_DEFINITION;
}

static rex_status
check_version(rex_ctx *ctx, const char *v)
{
	const char *hint = "A version has 1 to 100 ASCII letters, digits, '.', '_' or '-', "
		"and does not start with \"entities_\", \"baseline_\" or \"rex_\" "
		"(names rex gives its own migrations).  Versions sort naturally: \"9\" before \"10\".";
	size_t		i,
				n = strlen(v);

	if (n == 0 || n > MAX_VERSION)
		return bad_argument(ctx, rex_psprintf(ctx, "invalid version \"%s\": expected 1 to 100 characters",
											  rex_shorten(ctx, v, 64)), hint);
	for (i = 0; i < n; i++)
		if (!(isalnum((unsigned char) v[i]) || v[i] == '.' || v[i] == '_' || v[i] == '-') ||
			(v[i] & 0x80))
			return bad_argument(ctx, rex_psprintf(ctx, "invalid version \"%s\": character '%c' is not accepted",
												  rex_shorten(ctx, v, 64), v[i]), hint);
	if (strncmp(v, "entities_", 9) == 0 || strncmp(v, "baseline_", 9) == 0 ||
		strncmp(v, "rex_", 4) == 0)
		return bad_argument(ctx, rex_psprintf(ctx, "invalid version \"%s\": the prefix is reserved",
											  v), hint);
	return REX_OK;
}

static rex_status
check_sql(rex_ctx *ctx, const char *what, const char *sql)
{
	const char *word;
	const char *p = sql;

	while (*p && isspace((unsigned char) *p))
		p++;
	if (*p == '\0')
		return bad_argument(ctx, rex_psprintf(ctx, "%s is empty", what), NULL);
	if ((word = rex_sql_txn_control(sql)) != NULL)
		return bad_argument(ctx, rex_psprintf(ctx, "%s contains %s: a migration runs inside "
											  "a transaction that rex manages", what, word),
							"Remove transaction control; each migration is atomic already.");
	return REX_OK;
}

rex_status
rex_api_add_migration(rex_ctx *ctx, const char *version, const char *up, const char *down,
					  const char **out)
{
	const char *checksum;
	const char *now = rex_clock_text(ctx);
	const char *status;
	rex_history h;
	rex_result *res;
	rex_value	p[6];
	json_t	   *o;
	rex_status	st;

	if ((st = check_version(ctx, version)) != REX_OK ||
		(st = check_sql(ctx, "up", up)) != REX_OK ||
		(down && (st = check_sql(ctx, "down", down)) != REX_OK) ||
		(st = rex_catalog_open(ctx, true, NULL)) != REX_OK)
		return st;
	if ((checksum = rex_script_checksum(ctx, version, up, down)) == NULL)
		return ctx->err.status;
	p[0] = rex_val_text(version);
	p[1] = rex_val_text(up);
	p[2] = down ? rex_val_text(down) : rex_val_null();
	p[3] = rex_val_text(checksum);
	p[4] = rex_val_text(now);
	if ((st = run_tpl(ctx, "SELECT checksum FROM {scripts} WHERE version = $1", 1, p, &res)) != REX_OK)
		return st;
	if (res->nrows == 0)
	{
		status = "registered";
		st = run_tpl(ctx, "INSERT INTO {scripts} (version, up, down, checksum, registered_at, "
					 "updated_at) VALUES ($1, $2, $3, $4, $5::timestamptz, $5::timestamptz) "
					 "ON CONFLICT (version) DO NOTHING", 5, p, NULL);
	}
	else if (strcmp(rex_result_text(res, 0, 0), checksum) == 0)
		status = "unchanged";
	else
	{
		const rex_applied *a;

		if ((st = rex_history_load(ctx, &h)) != REX_OK)
			return st;
		a = rex_history_find(&h, version);
		status = a == NULL ? "updated"
			: strcmp(a->checksum, checksum) == 0 ? "restored" : "changed_after_apply";
		st = run_tpl(ctx, "UPDATE {scripts} SET up = $2, down = $3, checksum = $4, "
					 "updated_at = $5::timestamptz WHERE version = $1", 5, p, NULL);
	}
	if (st != REX_OK)
		return st;
	o = rex_json_own(ctx, json_object());
	if (o == NULL)
		return ctx->err.status;
	json_object_set_new(o, "version", json_string(version));
	json_object_set_new(o, "status", json_string(status));
	json_object_set_new(o, "checksum", json_string(checksum));
	*out = rex_json_text(ctx, o, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}
