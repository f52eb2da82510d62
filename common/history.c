/*
 * history.c
 *		The migration history read back (see history.h).
 */
#include "history.h"
#include "json_util.h"
#include "rex_buf.h"
#include "rex_engine.h"
#include "scripts.h"
#include "sha256.h"
#include "sqltpl.h"

#include <ctype.h>
#include <string.h>

const char *
rex_history_checksum(rex_ctx *ctx, json_t *content)
{
	const char *text = rex_json_text(ctx, content, REX_JSON_CANONICAL);
	char		hex[65];

	if (text == NULL)
		return NULL;
	if (!rex_sha256_hex(text, strlen(text), hex))
	{
		rex_error_set(ctx, REX_ERR_INTERNAL, "SHA-256 failed");
		return NULL;
	}
	return rex_strdup(ctx, hex);
}

const char *
rex_history_chain(rex_ctx *ctx, const char *prev, const char *checksum)
{
	rex_buf		b;
	char		hex[65];

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, prev ? prev : "");
	rex_buf_append(&b, checksum);
	if (!rex_buf_ok(&b) || !rex_sha256_hex(b.data, b.len, hex))
	{
		rex_error_nomem(ctx);
		return NULL;
	}
	return rex_strdup(ctx, hex);
}

int
rex_version_cmp(const char *a, const char *b)
{
	while (*a && *b)
	{
		if (isdigit((unsigned char) *a) && isdigit((unsigned char) *b))
		{
			const char *ea,
					   *eb;
			size_t		la,
						lb;
			int			c;

			while (*a == '0' && isdigit((unsigned char) a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char) b[1]))
				b++;
			for (ea = a; isdigit((unsigned char) *ea); ea++)
				;
			for (eb = b; isdigit((unsigned char) *eb); eb++)
				;
			la = (size_t) (ea - a);
			lb = (size_t) (eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = strncmp(a, b, la)) != 0)
				return c < 0 ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char) *a < (unsigned char) *b ? -1 : 1;
		a++;
		b++;
	}
	if (*a == *b)
		return 0;
	return *a ? 1 : -1;
}

static json_t *
json_col(rex_ctx *ctx, const rex_result *res, int row, int col)
{
	const char *s = rex_result_text(res, row, col);

	return s ? rex_json_parse(ctx, s, "migration history") : NULL;
}

/* Removes applied[i], keeping the order. */
static void
unapply(rex_history *h, int i)
{
	memmove(&h->applied[i], &h->applied[i + 1],
			sizeof(rex_applied) * (size_t) (h->napplied - i - 1));
	h->napplied--;
}

static int
applied_index(const rex_history *h, const char *version)
{
	int			i;

	for (i = 0; version && i < h->napplied; i++)
		if (strcmp(h->applied[i].version, version) == 0)
			return i;
	return -1;
}

/* Derives the applied migrations from the rows. */
static void
derive(rex_history *h)
{
	int			i;

	h->napplied = 0;
	for (i = 0; i < h->nrows; i++)
	{
		const rex_hist *r = &h->rows[i];
		int			k = applied_index(h, r->version);

		if (strcmp(r->kind, "rollback") == 0 && strcmp(r->state, "rolled_back") == 0)
		{
			if (k >= 0)
				unapply(h, k);
		}
		else if (strcmp(r->state, "applied") != 0 || r->version == NULL)
			continue;
		else if (strcmp(r->kind, "repair") == 0)
		{
			if (k >= 0)
				h->applied[k].checksum = r->checksum;
		}
		else if (k < 0)
		{
			rex_applied *a = &h->applied[h->napplied++];

			a->row = r;
			a->version = r->version;
			a->kind = r->kind;
			a->checksum = r->checksum;
		}
	}
}

rex_status
rex_history_load(rex_ctx *ctx, rex_history *h)
{
	const char *sql = rex_sql(ctx, "SELECT id, version, name, kind, state, checksum, chain_hash, "
							  "plan, ops, sql_up, sql_down, reversible FROM {migrations} ORDER BY id");
	rex_result *res;
	rex_status	st;
	int			i;

	memset(h, 0, sizeof(*h));
	if (sql == NULL)
		return ctx->err.status;
	if ((st = rex_engine_query(ctx, sql, 0, NULL, &res)) != REX_OK)
		return st;
	h->rows = rex_alloc0(ctx, sizeof(rex_hist) * (size_t) (res->nrows + 1));
	h->applied = rex_alloc0(ctx, sizeof(rex_applied) * (size_t) (res->nrows + 1));
	if (h->rows == NULL || h->applied == NULL)
		return ctx->err.status;
	for (i = 0; i < res->nrows; i++)
	{
		rex_hist   *r = &h->rows[i];
		const rex_value *rev = rex_result_cell(res, i, 11);

		r->id = rex_result_int(res, i, 0);
		r->version = rex_result_text(res, i, 1);
		r->name = rex_result_text(res, i, 2);
		r->kind = rex_result_text(res, i, 3);
		r->state = rex_result_text(res, i, 4);
		r->checksum = rex_result_text(res, i, 5);
		r->chain_hash = rex_result_text(res, i, 6);
		r->plan = json_col(ctx, res, i, 7);
		r->ops = json_col(ctx, res, i, 8);
		r->sql_up = rex_result_text(res, i, 9);
		r->sql_down = rex_result_text(res, i, 10);
		/* booleans come back as bool (PostgreSQL), integer or text */
		r->reversible = rev && (rev->type == REX_V_TEXT ? (rev->s[0] == 't' || rev->s[0] == '1')
								: rev->i != 0);
		if (ctx->err.status != REX_OK)
			return ctx->err.status;
		if (r->kind == NULL || r->state == NULL || r->checksum == NULL)
			return rex_error_set(ctx, REX_ERR_INTERNAL, "incomplete migration history row %lld",
								 (long long) r->id);
	}
	h->nrows = res->nrows;
	derive(h);
	return REX_OK;
}

const rex_applied *
rex_history_find(const rex_history *h, const char *version)
{
	int			k = applied_index(h, version);

	return k >= 0 ? &h->applied[k] : NULL;
}

/* Index of the first row whose chain is checked: after the last repair of the whole history. */
static int
chain_start(const rex_history *h)
{
	int			i;

	for (i = h->nrows - 1; i >= 0; i--)
		if (strcmp(h->rows[i].kind, "repair") == 0 && h->rows[i].version == NULL &&
			strcmp(h->rows[i].state, "applied") == 0)
			return i + 1;
	return 0;
}

/*
 * Walks the checks; for each problem calls 'report' (which returns false
 * to stop).  A problem is the row or script and what is wrong.
 */
typedef bool (*problem_fn) (rex_ctx *ctx, void *arg, const char *what, const char *version,
							const char *detail);

static rex_status
walk(rex_ctx *ctx, const rex_history *h, problem_fn report, void *arg)
{
	const char *prev = "";
	rex_script *scripts;
	int			nscripts;
	int			start = chain_start(h);
	int			i;
	rex_status	st;

	if (start > 0)
		prev = h->rows[start - 1].chain_hash ? h->rows[start - 1].chain_hash : "";
	for (i = start; i < h->nrows; i++)
	{
		const rex_hist *r = &h->rows[i];
		const char *want;

		if (r->chain_hash == NULL)
			continue;
		if ((want = rex_history_chain(ctx, prev, r->checksum)) == NULL)
			return ctx->err.status;
		if (strcmp(want, r->chain_hash) != 0 &&
			!report(ctx, arg, "history", r->version,
					rex_psprintf(ctx, "Row %lld (%s%s%s) does not continue the chained hash of "
								 "the rows before it: a row was changed or removed.",
								 (long long) r->id, r->kind, r->version ? " " : "",
								 r->version ? r->version : "")))
			return REX_OK;
		prev = r->chain_hash;
	}
	if ((st = rex_scripts_load(ctx, &scripts, &nscripts)) != REX_OK)
		return st;
	for (i = 0; i < h->napplied; i++)
	{
		const rex_applied *a = &h->applied[i];
		int			k;

		if (strcmp(a->kind, "script") != 0)
			continue;
		for (k = 0; k < nscripts; k++)
			if (strcmp(scripts[k].version, a->version) == 0)
				break;
		if (k == nscripts)
			continue;			/* no longer registered: rollback uses the history */
		if (strcmp(scripts[k].checksum, a->checksum) != 0 &&
			!report(ctx, arg, "script", a->version,
					rex_psprintf(ctx, "It was applied with checksum %.12s..., its registered "
								 "text now has checksum %.12s....", a->checksum,
								 scripts[k].checksum)))
			return REX_OK;
	}
	return REX_OK;
}

static bool
refuse(rex_ctx *ctx, void *arg, const char *what, const char *version, const char *detail)
{
	(void) arg;
	if (strcmp(what, "script") == 0)
	{
		rex_error_set(ctx, REX_ERR_STATE, "migration \"%s\" was changed after it was applied",
					  version);
		rex_error_detail(ctx, "%s", detail);
		rex_error_hint(ctx, "Register its original text again with add_migration(), or accept "
					   "the new text with repair('%s'), which records that in the history.",
					   version);
	}
	else
	{
		rex_error_set(ctx, REX_ERR_STATE, "the migration history was changed");
		rex_error_detail(ctx, "%s", detail);
		rex_error_hint(ctx, "If the change is known and wanted, accept the history as it is "
					   "with repair(), which adds a row recording that.");
	}
	return false;
}

rex_status
rex_history_verify(rex_ctx *ctx, const rex_history *h)
{
	rex_status	st = walk(ctx, h, refuse, NULL);

	return st != REX_OK ? st : ctx->err.status;
}

static bool
collect(rex_ctx *ctx, void *arg, const char *what, const char *version, const char *detail)
{
	json_t	   *o = json_object();

	(void) ctx;
	json_object_set_new(o, "kind", json_string(what));
	json_object_set_new(o, "version", version ? json_string(version) : json_null());
	json_object_set_new(o, "detail", json_string(detail ? detail : ""));
	json_array_append_new((json_t *) arg, o);
	return true;
}

rex_status
rex_history_problems(rex_ctx *ctx, const rex_history *h, json_t **out)
{
	*out = rex_json_own(ctx, json_array());
	if (*out == NULL)
		return ctx->err.status;
	return walk(ctx, h, collect, *out);
}
