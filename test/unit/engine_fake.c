/*
 * engine_fake.c
 *		The engine seam (rex_engine.h) for unit tests: scripted answers, a
 *		log of every call and an in-memory emulation of rex's catalog.
 *
 * See engine_fake.h for what each call does.  Defines every function of
 * rex_engine.h except the value and result helpers of common/engine_util.c.
 * The emulated state is one JSON object:
 *	 {"catalog": bool, "entities": {name: {...}}, "migrations": [...],
 *	  "log": [...], "relations": [{"name", "kind", "table"}], "next_id": n}
 * so that a savepoint is a deep copy of it and a rollback puts it back.
 */
#include "engine_fake.h"
#include "rex_dialect.h"
#include "rex_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct fake_rule
{
	char	   *match;
	json_t	   *rows;			/* NULL for an error rule */
	rex_status	status;
	char		sqlstate[6];
	char	   *message;
	int			times;			/* uses left; FAKE_ALWAYS for unlimited */
} fake_rule;

typedef struct fake_call
{
	char	   *sql;
	json_t	   *params;
	rex_status	status;
} fake_call;

struct rex_engine
{
	fake_rule  *rules;
	int			nrules;
	int			cap_rules;
	fake_call  *log;
	int			nlog;
	int			cap_log;
	char	   *log_text;		/* last fake_log_text() answer */
	json_t	   *state;			/* the emulated database */
	json_t	   *snapshots;		/* array: state at each open savepoint */
	json_t	   *txn_snapshot;	/* state when the lock began a transaction */
	bool		user_txn;
	int			unhandled;
};

/* Aborts the test binary: the fake cannot go on without memory. */
static void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
	{
		fprintf(stderr, "engine_fake: out of memory\n");
		abort();
	}
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t		n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static json_t *
new_state(void)
{
	return json_pack("{s:b, s:{}, s:[], s:[], s:[], s:I}", "catalog", 1,
					 "entities", "migrations", "log", "relations", "next_id",
					 (json_int_t) 1);
}

rex_engine *
fake_new(void)
{
	rex_engine *fe = xmalloc(sizeof(rex_engine));

	memset(fe, 0, sizeof(*fe));
	fe->state = new_state();
	fe->snapshots = json_array();
	if (fe->state == NULL || fe->snapshots == NULL)
	{
		fprintf(stderr, "engine_fake: out of memory\n");
		abort();
	}
	return fe;
}

void
fake_clear_log(rex_engine *fe)
{
	int			i;

	for (i = 0; i < fe->nlog; i++)
	{
		free(fe->log[i].sql);
		json_decref(fe->log[i].params);
	}
	fe->nlog = 0;
}

void
fake_free(rex_engine *fe)
{
	int			i;

	if (fe == NULL)
		return;
	fake_clear_log(fe);
	free(fe->log);
	for (i = 0; i < fe->nrules; i++)
	{
		free(fe->rules[i].match);
		free(fe->rules[i].message);
		json_decref(fe->rules[i].rows);
	}
	free(fe->rules);
	free(fe->log_text);
	json_decref(fe->state);
	json_decref(fe->snapshots);
	json_decref(fe->txn_snapshot);
	free(fe);
}

/* ---------------------------------------------------------------- */
/* scripting */

static fake_rule *
add_rule(rex_engine *fe, const char *match, int times)
{
	fake_rule  *r;

	if (fe->nrules == fe->cap_rules)
	{
		int			cap = fe->cap_rules ? fe->cap_rules * 2 : 8;
		fake_rule  *rules = xmalloc(sizeof(fake_rule) * (size_t) cap);

		if (fe->nrules)
			memcpy(rules, fe->rules, sizeof(fake_rule) * (size_t) fe->nrules);
		free(fe->rules);
		fe->rules = rules;
		fe->cap_rules = cap;
	}
	r = &fe->rules[fe->nrules++];
	memset(r, 0, sizeof(*r));
	r->match = xstrdup(match);
	r->times = times;
	return r;
}

void
fake_answer(rex_engine *fe, const char *match, const char *rows_json, int times)
{
	json_error_t jerr;
	fake_rule  *r = add_rule(fe, match, times);

	r->status = REX_OK;
	r->rows = json_loads(rows_json, 0, &jerr);
	if (r->rows == NULL || !json_is_array(r->rows))
	{
		fprintf(stderr, "engine_fake: bad rows for \"%s\": %s\n", match, jerr.text);
		abort();
	}
}

void
fake_status(rex_engine *fe, const char *match, rex_status status,
			const char *message, int times)
{
	fake_rule  *r = add_rule(fe, match, times);

	r->status = status;
	r->message = xstrdup(message);
}

void
fake_error(rex_engine *fe, const char *match, const char *sqlstate,
		   const char *message, int times)
{
	fake_rule  *r = add_rule(fe, match, times);

	r->status = REX_ERR_ENGINE;
	r->message = xstrdup(message);
	snprintf(r->sqlstate, sizeof(r->sqlstate), "%s", sqlstate ? sqlstate : "");
}

void
fake_set_user_txn(rex_engine *fe, bool in_txn)
{
	fe->user_txn = in_txn;
}

void
fake_set_catalog_exists(rex_engine *fe, bool exists)
{
	json_object_set_new(fe->state, "catalog", json_boolean(exists));
}

/* ---------------------------------------------------------------- */
/* the log */

static json_t *
value_json(const rex_value *v)
{
	switch (v->type)
	{
		case REX_V_NULL:
			return json_null();
		case REX_V_INT:
			return json_integer(v->i);
		case REX_V_REAL:
			return json_real(v->r);
		case REX_V_BOOL:
			return json_boolean(v->i);
		case REX_V_TEXT:
			return json_stringn(v->s, v->len);
		case REX_V_BLOB:
			return json_stringn_nocheck(v->s, v->len);
	}
	return json_null();
}

/* Appends a call to the log; returns its index. */
static int
log_call(rex_engine *fe, const char *sql, int nparams, const rex_value *params)
{
	fake_call  *c;
	int			i;

	if (fe->nlog == fe->cap_log)
	{
		int			cap = fe->cap_log ? fe->cap_log * 2 : 32;
		fake_call  *log = xmalloc(sizeof(fake_call) * (size_t) cap);

		if (fe->nlog)
			memcpy(log, fe->log, sizeof(fake_call) * (size_t) fe->nlog);
		free(fe->log);
		fe->log = log;
		fe->cap_log = cap;
	}
	c = &fe->log[fe->nlog];
	c->sql = xstrdup(sql);
	c->params = json_array();
	c->status = REX_OK;
	for (i = 0; i < nparams; i++)
		json_array_append_new(c->params, value_json(&params[i]));
	return fe->nlog++;
}

int
fake_log_count(rex_engine *fe)
{
	return fe->nlog;
}

const char *
fake_log_sql(rex_engine *fe, int i)
{
	return i >= 0 && i < fe->nlog ? fe->log[i].sql : NULL;
}

json_t *
fake_log_params(rex_engine *fe, int i)
{
	return i >= 0 && i < fe->nlog ? fe->log[i].params : NULL;
}

rex_status
fake_log_status(rex_engine *fe, int i)
{
	return i >= 0 && i < fe->nlog ? fe->log[i].status : REX_ERR_INTERNAL;
}

int
fake_find(rex_engine *fe, const char *needle, int from)
{
	int			i;

	for (i = from < 0 ? 0 : from; i < fe->nlog; i++)
		if (strstr(fe->log[i].sql, needle))
			return i;
	return -1;
}

int
fake_count(rex_engine *fe, const char *needle)
{
	int			i,
				n = 0;

	for (i = 0; i < fe->nlog; i++)
		if (strstr(fe->log[i].sql, needle))
			n++;
	return n;
}

const char *
fake_log_text(rex_engine *fe)
{
	size_t		len = 1;
	int			i;
	char	   *p;

	for (i = 0; i < fe->nlog; i++)
		len += strlen(fe->log[i].sql) + 16;
	free(fe->log_text);
	fe->log_text = p = xmalloc(len);
	*p = '\0';
	for (i = 0; i < fe->nlog; i++)
		p += sprintf(p, "%d: %s\n", i, fe->log[i].sql);
	return fe->log_text;
}

int
fake_depth(rex_engine *fe)
{
	return (int) json_array_size(fe->snapshots);
}

int
fake_unhandled(rex_engine *fe)
{
	return fe->unhandled;
}

json_t *
fake_entities(rex_engine *fe)
{
	return json_object_get(fe->state, "entities");
}

json_t *
fake_migrations(rex_engine *fe)
{
	return json_object_get(fe->state, "migrations");
}

json_t *
fake_migration_log(rex_engine *fe)
{
	return json_object_get(fe->state, "log");
}

/* ---------------------------------------------------------------- */
/* results */

/* Converts a JSON array of rows into a result in ctx's arena. */
static rex_result *
result_from_json(rex_ctx *ctx, json_t *rows)
{
	rex_result *r = rex_alloc0(ctx, sizeof(rex_result));
	size_t		i,
				k;

	if (r == NULL)
		return NULL;
	r->nrows = rows ? (int) json_array_size(rows) : 0;
	r->ncols = r->nrows ? (int) json_array_size(json_array_get(rows, 0)) : 0;
	r->colnames = rex_alloc0(ctx, sizeof(char *) * (size_t) (r->ncols + 1));
	r->cells = rex_alloc0(ctx, sizeof(rex_value) * (size_t) (r->nrows * r->ncols + 1));
	if (r->colnames == NULL || r->cells == NULL)
		return NULL;
	for (k = 0; k < (size_t) r->ncols; k++)
		r->colnames[k] = rex_psprintf(ctx, "c%zu", k + 1);
	for (i = 0; i < (size_t) r->nrows; i++)
	{
		json_t	   *row = json_array_get(rows, i);

		for (k = 0; k < (size_t) r->ncols; k++)
		{
			json_t	   *cell = json_array_get(row, k);
			rex_value  *v = &r->cells[i * (size_t) r->ncols + k];

			switch (cell ? json_typeof(cell) : JSON_NULL)
			{
				case JSON_INTEGER:
					v->type = REX_V_INT;
					v->i = json_integer_value(cell);
					break;
				case JSON_REAL:
					v->type = REX_V_REAL;
					v->r = json_real_value(cell);
					break;
				case JSON_STRING:
					v->type = REX_V_TEXT;
					v->len = json_string_length(cell);
					v->s = rex_strndup(ctx, json_string_value(cell), v->len);
					if (v->s == NULL)
						return NULL;
					break;
				case JSON_TRUE:
				case JSON_FALSE:
					v->type = REX_V_BOOL;
					v->i = json_is_true(cell);
					break;
				default:
					v->type = REX_V_NULL;
					break;
			}
		}
	}
	return r;
}

/* ---------------------------------------------------------------- */
/* emulation of the live schema */

/* Reads a "quoted" identifier at *p (doubled quotes inside); NULL if none. */
static char *
read_ident(const char **p)
{
	const char *s = *p;
	char	   *out;
	size_t		n = 0;

	if (*s != '"')
		return NULL;
	out = xmalloc(strlen(s) + 1);
	for (s++; *s; s++)
	{
		if (*s == '"')
		{
			if (s[1] != '"')
				break;
			s++;
		}
		out[n++] = *s;
	}
	out[n] = '\0';
	*p = *s ? s + 1 : s;
	return out;
}

/* Reads "schema"."name" or "name"; returns the name (malloc'd). */
static char *
read_qualified(const char **p)
{
	char	   *name = read_ident(p);

	while (name && **p == '.')
	{
		free(name);
		(*p)++;
		name = read_ident(p);
	}
	return name;
}

static int
relation_index(rex_engine *fe, const char *name)
{
	json_t	   *rels = json_object_get(fe->state, "relations");
	size_t		i;

	for (i = 0; i < json_array_size(rels); i++)
		if (strcasecmp(json_string_value(json_object_get(json_array_get(rels, i), "name")),
					   name) == 0)
			return (int) i;
	return -1;
}

bool
fake_has_relation(rex_engine *fe, const char *name)
{
	return relation_index(fe, name) >= 0;
}

static void
add_relation(rex_engine *fe, const char *name, const char *kind, const char *table)
{
	json_array_append_new(json_object_get(fe->state, "relations"),
						  json_pack("{s:s, s:s, s:s}", "name", name, "kind", kind,
									"table", table ? table : name));
}

void
fake_add_relation(rex_engine *fe, const char *name)
{
	add_relation(fe, name, "table", name);
}

static rex_status
engine_fail(rex_ctx *ctx, const char *sqlstate, const char *fmt, const char *arg)
{
	rex_status	st = rex_error_set(ctx, REX_ERR_ENGINE, fmt, arg);

	if (ctx->err.status == REX_ERR_ENGINE && sqlstate)
		snprintf(ctx->err.sqlstate, sizeof(ctx->err.sqlstate), "%s", sqlstate);
	return st;
}

/* CREATE/DROP TABLE/INDEX: keeps the set of live relations. */
static rex_status
emulate_ddl(rex_ctx *ctx, rex_engine *fe, const char *sql, bool *handled)
{
	const char *p = sql;
	char	   *name = NULL;
	char	   *table = NULL;
	const char *kind = NULL;
	bool		create = false;
	rex_status	st = REX_OK;
	json_t	   *rels = json_object_get(fe->state, "relations");

	if (strncmp(p, "CREATE TABLE ", 13) == 0)
	{
		p += 13;
		kind = "table";
		create = true;
	}
	else if (strncmp(p, "CREATE UNIQUE INDEX ", 20) == 0 || strncmp(p, "CREATE INDEX ", 13) == 0)
	{
		p += p[7] == 'U' ? 20 : 13;
		kind = "index";
		create = true;
	}
	else if (strncmp(p, "DROP TABLE ", 11) == 0)
	{
		p += 11;
		kind = "table";
	}
	else if (strncmp(p, "DROP INDEX ", 11) == 0)
	{
		p += 11;
		kind = "index";
	}
	else
		return REX_OK;
	*handled = true;
	name = read_qualified(&p);
	if (name == NULL)
		return engine_fail(ctx, "42601", "syntax error in \"%s\"", sql);
	if (create && strcmp(kind, "index") == 0)
	{
		if (strncmp(p, " ON ", 4) == 0)
		{
			p += 4;
			table = read_qualified(&p);
		}
		if (table == NULL || !fake_has_relation(fe, table))
			st = engine_fail(ctx, "42P01", "relation \"%s\" does not exist", table ? table : "?");
	}
	if (st == REX_OK && create && fake_has_relation(fe, name))
		st = engine_fail(ctx, "42P07", "relation \"%s\" already exists", name);
	else if (st == REX_OK && create)
		add_relation(fe, name, kind, table);
	else if (st == REX_OK && !fake_has_relation(fe, name))
		st = engine_fail(ctx, strcmp(kind, "table") == 0 ? "42P01" : "42704",
						 "relation \"%s\" does not exist", name);
	else if (st == REX_OK)
	{
		size_t		i = json_array_size(rels);

		/* a dropped table takes its indexes along */
		while (i-- > 0)
		{
			json_t	   *r = json_array_get(rels, i);

			if (strcasecmp(json_string_value(json_object_get(r, "name")), name) == 0 ||
				(strcmp(kind, "table") == 0 &&
				 strcasecmp(json_string_value(json_object_get(r, "table")), name) == 0))
				json_array_remove(rels, i);
		}
	}
	free(name);
	free(table);
	return st;
}

/* ---------------------------------------------------------------- */
/* emulation of rex's catalog */

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* True when sql contains "<word><catalog prefix><table>". */
static bool
mentions(rex_ctx *ctx, const char *sql, const char *word, const char *table)
{
	char		pat[128];

	snprintf(pat, sizeof(pat), "%s%s%s", word, ctx->dialect->catalog_prefix, table);
	return strstr(sql, pat) != NULL;
}

/* Parameter i as JSON (a new reference); null when absent. */
static json_t *
param(int n, const rex_value *p, int i)
{
	return i < n ? value_json(&p[i]) : json_null();
}

static const char *
param_text(int n, const rex_value *p, int i)
{
	return i < n && p[i].type == REX_V_TEXT ? p[i].s : NULL;
}

/* Row of an entity in the column order of catalog.c's ENTITY_COLUMNS. */
static json_t *
entity_row(const char *name, json_t *e)
{
	return json_pack("[s, O, O, O, O, i, O, O, O, O]", name,
					 json_object_get(e, "table"), json_object_get(e, "schema"),
					 json_object_get(e, "definition"), json_object_get(e, "applied"),
					 json_is_true(json_object_get(e, "dropped")) ? 1 : 0,
					 json_object_get(e, "version"), json_object_get(e, "created_at"),
					 json_object_get(e, "updated_at"), json_object_get(e, "migrated_at"));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Statements on the entities table. */
static rex_status
emulate_entities(rex_ctx *ctx, rex_engine *fe, const char *sql, int n,
				 const rex_value *p, json_t **rows, bool *handled)
{
	json_t	   *ents = json_object_get(fe->state, "entities");
	const char *name = param_text(n, p, 0);
	json_t	   *e = name ? json_object_get(ents, name) : NULL;

	*handled = true;
	if (starts(sql, "SELECT name, table_name, schema_name, definition, applied, dropped, version"))
	{
		*rows = json_array();
		if (strstr(sql, "WHERE name = "))
		{
			if (e)
				json_array_append_new(*rows, entity_row(name, e));
		}
		else
		{
			size_t		count = json_object_size(ents),
						i = 0;
			const char **names = xmalloc(sizeof(char *) * (count + 1));
			const char *key;
			json_t	   *v;

			json_object_foreach(ents, key, v)
				names[i++] = key;
			qsort(names, count, sizeof(char *), cmp_str);
			for (i = 0; i < count; i++)
				json_array_append_new(*rows, entity_row(names[i], json_object_get(ents, names[i])));
			free(names);
		}
		return REX_OK;
	}
	if (starts(sql, "INSERT INTO"))
	{
		if (e)
			return engine_fail(ctx, "23505", "duplicate key value: entity \"%s\"", name);
		json_object_set_new(ents, name,
							json_pack("{s:o, s:o, s:o, s:n, s:b, s:o, s:o, s:o, s:n}",
									  "table", param(n, p, 1), "schema", param(n, p, 2),
									  "definition", param(n, p, 3), "applied", "dropped", 0,
									  "version", param(n, p, 4), "created_at", param(n, p, 5),
									  "updated_at", param(n, p, 5), "migrated_at"));
		return REX_OK;
	}
	if (e == NULL)
		return REX_OK;			/* UPDATE or DELETE of no row */
	if (starts(sql, "UPDATE") && strstr(sql, "SET table_name = "))
	{
		json_object_set_new(e, "table", param(n, p, 1));
		json_object_set_new(e, "definition", param(n, p, 2));
		json_object_set_new(e, "dropped", param(n, p, 3));
		json_object_set_new(e, "version", param(n, p, 4));
		json_object_set_new(e, "updated_at", param(n, p, 5));
	}
	else if (starts(sql, "UPDATE") && strstr(sql, "SET dropped = "))
	{
		json_object_set_new(e, "dropped", param(n, p, 1));
		json_object_set_new(e, "updated_at", param(n, p, 2));
	}
	else if (starts(sql, "UPDATE") && strstr(sql, "SET applied = definition"))
	{
		json_object_set(e, "applied", json_object_get(e, "definition"));
		json_object_set_new(e, "migrated_at", param(n, p, 1));
	}
	else if (starts(sql, "DELETE FROM"))
		json_object_del(ents, name);
	else
		*handled = false;
	return REX_OK;
}

/* Statements on the migrations and log tables. */
static rex_status
emulate_history(rex_ctx *ctx, rex_engine *fe, const char *sql, int n,
				const rex_value *p, json_t **rows, bool *handled)
{
	json_t	   *migs = json_object_get(fe->state, "migrations");
	size_t		i;

	*handled = true;
	if (mentions(ctx, sql, "INSERT INTO ", "migrations"))
	{
		json_int_t	id = json_integer_value(json_object_get(fe->state, "next_id"));
		static const char *const cols[] = {
			"version", "name", "kind", "plan", "sql_up", "sql_down", "reversible",
			"checksum", "chain_hash", "state", "error", "error_step", "total_steps",
			"applied_steps", "started_at", "finished_at", "duration_ms", "ops"
		};
		json_t	   *m = json_pack("{s:I}", "id", id);

		for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
			json_object_set_new(m, cols[i], param(n, p, (int) i));
		json_array_append_new(migs, m);
		json_object_set_new(fe->state, "next_id", json_integer(id + 1));
		*rows = json_pack("[[I]]", id);
		return REX_OK;
	}
	if (mentions(ctx, sql, "INSERT INTO ", "log"))
	{
		json_array_append_new(json_object_get(fe->state, "log"),
							  json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
										"migration_id", param(n, p, 0), "step", param(n, p, 1),
										"kind", param(n, p, 2), "sql", param(n, p, 3),
										"duration_ms", param(n, p, 4), "message", param(n, p, 5),
										"at", param(n, p, 6)));
		return REX_OK;
	}
	*rows = json_array();
	if (starts(sql, "SELECT id, version, name, kind, state, checksum, chain_hash, plan, ops, "
			   "sql_up, sql_down, reversible FROM"))
	{
		/* the whole history, as migrate() reads it to check and number it */
		for (i = 0; i < json_array_size(migs); i++)
		{
			json_t	   *m = json_array_get(migs, i);

			json_array_append_new(*rows, json_pack("[O,O,O,O,O,O,O,O,O,O,O,O]",
												   json_object_get(m, "id"),
												   json_object_get(m, "version"),
												   json_object_get(m, "name"),
												   json_object_get(m, "kind"),
												   json_object_get(m, "state"),
												   json_object_get(m, "checksum"),
												   json_object_get(m, "chain_hash"),
												   json_object_get(m, "plan"),
												   json_object_get(m, "ops"),
												   json_object_get(m, "sql_up"),
												   json_object_get(m, "sql_down"),
												   json_object_get(m, "reversible")));
		}
		return REX_OK;
	}
	if (starts(sql, "SELECT chain_hash"))
	{
		i = json_array_size(migs);
		while (i-- > 0)
		{
			json_t	   *m = json_array_get(migs, i);

			if (strcmp(json_string_value(json_object_get(m, "state")), "applied") == 0 &&
				json_is_string(json_object_get(m, "chain_hash")))
			{
				json_array_append_new(*rows, json_pack("[O]", json_object_get(m, "chain_hash")));
				break;
			}
		}
		return REX_OK;
	}
	if (starts(sql, "SELECT count(*)"))
	{
		const char *kind = param_text(n, p, 0);
		const char *state = param_text(n, p, 1);
		json_int_t	count = 0;

		for (i = 0; i < json_array_size(migs); i++)
		{
			json_t	   *m = json_array_get(migs, i);

			if ((kind == NULL || strcmp(kind, json_string_value(json_object_get(m, "kind"))) == 0) &&
				(state == NULL || strcmp(state, json_string_value(json_object_get(m, "state"))) == 0))
				count++;
		}
		json_array_append_new(*rows, json_pack("[I]", count));
		return REX_OK;
	}
	if (starts(sql, "SELECT version, name, kind, state, checksum, error"))
	{
		json_t	   *m = json_array_get(migs, json_array_size(migs) - 1);

		if (m)
			json_array_append_new(*rows, json_pack("[O, O, O, O, O, O, O]",
												   json_object_get(m, "version"),
												   json_object_get(m, "name"),
												   json_object_get(m, "kind"),
												   json_object_get(m, "state"),
												   json_object_get(m, "checksum"),
												   json_object_get(m, "error"),
												   json_object_get(m, "finished_at")));
		return REX_OK;
	}
	*handled = false;
	return REX_OK;
}

/* Emulates the statement; *handled tells whether it was recognised. */
static rex_status
emulate(rex_ctx *ctx, rex_engine *fe, const char *sql, int n, const rex_value *p,
		json_t **rows, bool *handled)
{
	const rex_dialect *d = ctx->dialect;

	*handled = false;
	if (strcmp(sql, d->relation_exists_sql) == 0 || strcmp(sql, d->index_exists_sql) == 0)
	{
		const char *name = param_text(n, p, 1);
		int			k = name ? relation_index(fe, name) : -1;
		bool		index_only = strcmp(sql, d->index_exists_sql) == 0;
		json_t	   *r = k >= 0 ? json_array_get(json_object_get(fe->state, "relations"), (size_t) k) : NULL;

		*handled = true;
		*rows = json_array();
		if (r && (!index_only || strcmp(json_string_value(json_object_get(r, "kind")), "index") == 0))
			json_array_append_new(*rows, json_pack("[i]", 1));
		return REX_OK;
	}
	if (mentions(ctx, sql, " ", "entities"))
		return emulate_entities(ctx, fe, sql, n, p, rows, handled);
	if (mentions(ctx, sql, " ", "migrations") || mentions(ctx, sql, " ", "log"))
		return emulate_history(ctx, fe, sql, n, p, rows, handled);
	if (mentions(ctx, sql, " ", "hooks") || mentions(ctx, sql, " ", "validators") ||
		mentions(ctx, sql, " ", "scripts"))
	{
		/* no hooks, no validators, no versioned scripts registered */
		*handled = true;
		*rows = json_array();
		return REX_OK;
	}
	if (n == 0)
		return emulate_ddl(ctx, fe, sql, handled);
	return REX_OK;
}

/* Answers from the first matching rule; false when none matches. */
static bool
apply_rule(rex_ctx *ctx, rex_engine *fe, const char *sql, rex_status *st, json_t **rows)
{
	int			i;

	for (i = 0; i < fe->nrules; i++)
	{
		fake_rule  *r = &fe->rules[i];

		if (r->times == 0 || strstr(sql, r->match) == NULL)
			continue;
		if (r->times > 0)
			r->times--;
		if (r->status == REX_OK)
		{
			*rows = json_incref(r->rows);
			*st = REX_OK;
		}
		else
		{
			*st = rex_error_set(ctx, r->status, "%s", r->message);
			if (ctx->err.status == REX_ERR_ENGINE && r->sqlstate[0])
				memcpy(ctx->err.sqlstate, r->sqlstate, sizeof(r->sqlstate));
		}
		return true;
	}
	return false;
}

/* Logs a pseudo-statement and applies the rules to it. */
static rex_status
engine_op(rex_ctx *ctx, rex_engine *fe, const char *op)
{
	int			k = log_call(fe, op, 0, NULL);
	rex_status	st = REX_OK;
	json_t	   *rows = NULL;

	apply_rule(ctx, fe, op, &st, &rows);
	json_decref(rows);
	fe->log[k].status = st;
	return st;
}

/* ---------------------------------------------------------------- */
/* rex_engine.h */

rex_status
rex_engine_query(rex_ctx *ctx, const char *sql, int nparams, const rex_value *params,
				 rex_result **res)
{
	rex_engine *fe = ctx->engine;
	int			k = log_call(fe, sql, nparams, params);
	json_t	   *rows = NULL;
	rex_status	st = REX_OK;
	bool		handled = true;

	if (!apply_rule(ctx, fe, sql, &st, &rows))
		st = emulate(ctx, fe, sql, nparams, params, &rows, &handled);
	if (!handled)
	{
		fe->unhandled++;
		if (getenv("REX_UNIT_LOG"))
			fprintf(stderr, "fake engine: unhandled: %s\n", sql);
	}
	if (st == REX_OK && res)
	{
		*res = result_from_json(ctx, rows);
		if (*res == NULL)
			st = rex_error_nomem(ctx);
	}
	json_decref(rows);
	fe->log[k].status = st;
	return st;
}

rex_status
rex_engine_savepoint(rex_ctx *ctx)
{
	rex_engine *fe = ctx->engine;
	rex_status	st = engine_op(ctx, fe, "<savepoint>");

	if (st == REX_OK)
		json_array_append_new(fe->snapshots, json_deep_copy(fe->state));
	return st;
}

rex_status
rex_engine_release(rex_ctx *ctx)
{
	rex_engine *fe = ctx->engine;
	rex_status	st = engine_op(ctx, fe, "<release>");
	size_t		n = json_array_size(fe->snapshots);

	if (n > 0)
		json_array_remove(fe->snapshots, n - 1);
	return st;
}

rex_status
rex_engine_rollback_to(rex_ctx *ctx)
{
	rex_engine *fe = ctx->engine;
	rex_status	st = engine_op(ctx, fe, "<rollback_to>");
	size_t		n = json_array_size(fe->snapshots);

	if (n > 0)
	{
		json_decref(fe->state);
		fe->state = json_incref(json_array_get(fe->snapshots, n - 1));
		json_array_remove(fe->snapshots, n - 1);
	}
	return st;
}

rex_status
rex_engine_lock(rex_ctx *ctx, int timeout_ms, bool *own_txn)
{
	rex_engine *fe = ctx->engine;
	rex_status	st = engine_op(ctx, fe, "<lock>");

	(void) timeout_ms;
	*own_txn = false;
	if (st != REX_OK)
		return st;
	*own_txn = !fe->user_txn;
	if (*own_txn)
	{
		json_decref(fe->txn_snapshot);
		fe->txn_snapshot = json_deep_copy(fe->state);
	}
	return REX_OK;
}

rex_status
rex_engine_unlock(rex_ctx *ctx, bool own_txn, bool ok)
{
	rex_engine *fe = ctx->engine;
	rex_status	st = engine_op(ctx, fe, ok ? "<unlock commit>" : "<unlock rollback>");

	if (own_txn && fe->txn_snapshot)
	{
		if (!ok)
		{
			json_decref(fe->state);
			fe->state = json_incref(fe->txn_snapshot);
		}
		json_decref(fe->txn_snapshot);
		fe->txn_snapshot = NULL;
	}
	return st;
}

bool
rex_engine_in_user_txn(rex_ctx *ctx)
{
	return ctx->engine->user_txn;
}

rex_status
rex_engine_catalog(rex_ctx *ctx, bool create, bool *exists)
{
	rex_engine *fe = ctx->engine;
	rex_status	st = engine_op(ctx, fe, create ? "<catalog create>" : "<catalog>");

	if (st != REX_OK)
		return st;
	if (create)
		json_object_set_new(fe->state, "catalog", json_true());
	*exists = json_is_true(json_object_get(fe->state, "catalog"));
	return REX_OK;
}
