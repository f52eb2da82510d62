/*
 * validators.c
 *		Custom validators (see validators.h).
 *
 * SQL function defined: register_validator(name, function, message).
 * Catalog: rex.validators / rex_validators (name, function, fn_schema,
 * fn_name, arg_type, message, created_at).  On PostgreSQL an unqualified
 * function name is looked up in the schema of rex.schema (default
 * public): rex's functions pin search_path, so the caller's path is not
 * what they see.
 */
#include "validators.h"
#include "catalog.h"
#include "clock.h"
#include "ident.h"
#include "rex_dialect.h"
#include "rex_api.h"
#include "rex_engine.h"
#include "rules.h"
#include "sqltpl.h"

#include <string.h>

static bool
is_pg(rex_ctx *ctx)
{
	return strcmp(ctx->dialect->name, "postgresql") == 0;
}

const char *
rex_pg_base_type_name(rex_ctx *ctx, const rex_column *c)
{
	(void) ctx;
	switch (c->type)
	{
		case REX_T_ID:
		case REX_T_BIGINT:
			return "bigint";
		case REX_T_UUID:
			return "uuid";
		case REX_T_STRING:
			return c->max_length ? "character varying" : "text";
		case REX_T_TEXT:
		case REX_T_ENUM:
			return "text";
		case REX_T_INTEGER:
			return "integer";
		case REX_T_FLOAT:
			return "double precision";
		case REX_T_DECIMAL:
			return "numeric";
		case REX_T_BOOLEAN:
			return "boolean";
		case REX_T_TIMESTAMP:
			return "timestamp with time zone";
		case REX_T_DATE:
			return "date";
		case REX_T_JSON:
			return "jsonb";
		case REX_T_BYTES:
			return "bytea";
	}
	return "text";
}

static rex_status
run(rex_ctx *ctx, const char *tpl, int n, const rex_value *p, rex_result **res)
{
	const char *sql = rex_sql(ctx, tpl);

	return sql ? rex_engine_query(ctx, sql, n, p, res) : ctx->err.status;
}

/* PostgreSQL: the function's signature, schema, name, argument type. */
static rex_status
pg_lookup(rex_ctx *ctx, const char *function, rex_result **res)
{
	rex_value	p[2];

	p[0] = rex_val_text(function);
	p[1] = rex_val_text(ctx->table_schema ? ctx->table_schema : "public");
	return run(ctx,
			   "WITH f AS (SELECT CASE WHEN $1 LIKE '%(%' THEN pg_catalog.to_regprocedure("
			   "CASE WHEN $1 LIKE '%.%(%' THEN $1 ELSE pg_catalog.quote_ident($2) || '.' || $1 END)::oid "
			   "ELSE pg_catalog.to_regproc(CASE WHEN $1 LIKE '%.%' THEN $1 "
			   "ELSE pg_catalog.quote_ident($2) || '.' || pg_catalog.quote_ident($1) END)::oid END AS oid) "
			   "SELECT p.oid::pg_catalog.regprocedure::text, n.nspname::text, p.proname::text, "
			   "pg_catalog.format_type(p.proargtypes[0], NULL), p.pronargs::int, "
			   "p.prorettype OPERATOR(pg_catalog.=) 'pg_catalog.bool'::pg_catalog.regtype, p.proretset, "
			   "p.prokind::text FROM f JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) f.oid "
			   "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace",
			   2, p, res);
}

/* Checks a PostgreSQL function found by pg_lookup; fills p[1..4]. */
static rex_status
pg_check_function(rex_ctx *ctx, const char *function, const rex_result *res)
{
	if (res->nrows == 0)
	{
		rex_error_set(ctx, REX_ERR_NOT_FOUND, "function \"%s\" does not exist",
					  rex_shorten(ctx, function, 128));
		rex_error_hint(ctx, "Give the function as schema.name (an unqualified name is looked up "
					   "in the schema of rex.schema); when it is overloaded, add the argument "
					   "type: name(integer).");
		return REX_ERR_NOT_FOUND;
	}
	if (rex_result_int(res, 0, 4) != 1 || rex_result_int(res, 0, 5) == 0 ||
		rex_result_int(res, 0, 6) != 0 || strcmp(rex_result_text(res, 0, 7), "f") != 0)
	{
		rex_error_set(ctx, REX_ERR_DEFINITION, "function %s cannot be a validator",
					  rex_result_text(res, 0, 0));
		rex_error_detail(ctx, "A validator takes one argument, the value, and returns boolean "
						 "(true when the value is valid).");
		return REX_ERR_DEFINITION;
	}
	return REX_OK;
}

rex_status
rex_api_register_validator(rex_ctx *ctx, const char *name, const char *function,
						   const char *message, const char **out)
{
	const char *problem = rex_ident_problem(name, REX_IDENT_ENTITY);
	rex_value	p[7];
	rex_result *res = NULL;
	rex_result *old;
	json_t	   *o;
	rex_status	st;

	if (problem)
	{
		rex_error_set(ctx, REX_ERR_DEFINITION, "invalid validator name \"%s\": %s",
					  rex_shorten(ctx, name, 64), problem);
		rex_error_hint(ctx, "%s", rex_ident_rule());
		return REX_ERR_DEFINITION;
	}
	if (!is_pg(ctx) && (problem = rex_ident_problem(function, REX_IDENT_ENTITY)) != NULL)
	{
		rex_error_set(ctx, REX_ERR_DEFINITION, "invalid function name \"%s\": %s",
					  rex_shorten(ctx, function, 64), problem);
		rex_error_hint(ctx, "On SQLite a validator is the name of a SQL function your application "
					   "registers on its connections.");
		return REX_ERR_DEFINITION;
	}
	if ((st = rex_catalog_open(ctx, true, NULL)) != REX_OK)
		return st;
	if (is_pg(ctx) && ((st = pg_lookup(ctx, function, &res)) != REX_OK ||
					   (st = pg_check_function(ctx, function, res)) != REX_OK))
		return st;
	p[0] = rex_val_text(name);
	p[1] = rex_val_text(res ? rex_result_text(res, 0, 0) : function);
	p[2] = res ? rex_val_text(rex_result_text(res, 0, 1)) : rex_val_null();
	p[3] = rex_val_text(res ? rex_result_text(res, 0, 2) : function);
	p[4] = res ? rex_val_text(rex_result_text(res, 0, 3)) : rex_val_null();
	p[5] = message ? rex_val_text(message) : rex_val_null();
	p[6] = rex_val_text(rex_clock_text(ctx));
	if ((st = run(ctx, "SELECT function, message FROM {validators} WHERE name = $1", 1, p, &old)) != REX_OK)
		return st;
	if (old->nrows && strcmp(rex_result_text(old, 0, 0), p[1].s) != 0)
	{
		rex_error_set(ctx, REX_ERR_DUPLICATE, "validator \"%s\" is already registered for %s",
					  name, rex_result_text(old, 0, 0));
		rex_error_hint(ctx, "Choose another name: definitions and CHECK constraints may use it.");
		return REX_ERR_DUPLICATE;
	}
	st = run(ctx, old->nrows ?
			 "UPDATE {validators} SET message = coalesce($6, message) WHERE name = $1" :
			 "INSERT INTO {validators} (name, function, fn_schema, fn_name, arg_type, message, "
			 "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz)", 7, p, NULL);
	if (st != REX_OK || (o = rex_json_own(ctx, json_object())) == NULL)
		return st != REX_OK ? st : ctx->err.status;
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "function", json_string(p[1].s));
	json_object_set_new(o, "message", message ? json_string(message) :
						old->nrows && rex_result_text(old, 0, 1) ? json_string(rex_result_text(old, 0, 1)) :
						json_null());
	*out = rex_json_text(ctx, o, REX_JSON_OUTPUT);
	return *out ? REX_OK : ctx->err.status;
}

/* The catalog row of validator 'name' (function, schema, fn, arg type, message). */
static rex_status
lookup(rex_ctx *ctx, const char *name, rex_result **res)
{
	rex_value	p = rex_val_text(name);

	return run(ctx, "SELECT function, fn_schema, fn_name, arg_type, message FROM {validators} "
			   "WHERE name = $1", 1, &p, res);
}

/* "entity \"x\": columns.c.validate.custom: " prefix for errors. */
static rex_status
rule_fail(rex_ctx *ctx, rex_status st, const rex_entity *e, const rex_column *c,
		  const char *what, const char *hint)
{
	rex_error_set(ctx, st, "entity \"%s\": columns.%s.validate.custom: %s", e->name, c->name, what);
	if (hint)
		rex_error_hint(ctx, "%s", hint);
	return st;
}

/* PostgreSQL: can a value of column c be passed to argument type 'arg'? */
static rex_status
pg_type_fits(rex_ctx *ctx, const rex_column *c, const char *arg, bool *fits)
{
	rex_value	p[2];
	rex_result *res;
	rex_status	st;

	p[0] = rex_val_text(rex_pg_base_type_name(ctx, c));
	p[1] = rex_val_text(arg);
	st = rex_engine_query(ctx,
						  "SELECT $1::pg_catalog.regtype OPERATOR(pg_catalog.=) $2::pg_catalog.regtype "
						  "OR EXISTS (SELECT 1 FROM pg_catalog.pg_cast WHERE castsource "
						  "OPERATOR(pg_catalog.=) $1::pg_catalog.regtype AND casttarget "
						  "OPERATOR(pg_catalog.=) $2::pg_catalog.regtype AND castcontext "
						  "OPERATOR(pg_catalog.=) 'i')", 2, p, &res);
	*fits = st == REX_OK && rex_result_int(res, 0, 0) != 0;
	return st;
}

rex_status
rex_validators_check(rex_ctx *ctx, const rex_entity *e)
{
	int			i,
				k;
	rex_status	st;

	for (i = 0; i < e->ncolumns; i++)
		for (k = 0; k < e->columns[i].nrules; k++)
		{
			const rex_column *c = &e->columns[i];
			const rex_rule *r = &c->rules[k];
			rex_result *res;
			bool		fits;

			if (r->kind != REX_RULE_CUSTOM)
				continue;
			if ((st = lookup(ctx, r->validator, &res)) != REX_OK)
				return st;
			if (res->nrows == 0)
				return rule_fail(ctx, REX_ERR_NOT_FOUND, e, c,
								 rex_psprintf(ctx, "validator \"%s\" is not registered", r->validator),
								 "Register it first with register_validator(name, function).");
			if (!is_pg(ctx))
				continue;
			if ((st = pg_type_fits(ctx, c, rex_result_text(res, 0, 3), &fits)) != REX_OK)
				return st;
			if (!fits)
				return rule_fail(ctx, REX_ERR_DEFINITION, e, c,
								 rex_psprintf(ctx, "validator \"%s\" (%s) takes %s, and a %s column "
											  "(%s) cannot be passed to it", r->validator,
											  rex_result_text(res, 0, 0), rex_result_text(res, 0, 3),
											  rex_type_names[c->type], rex_pg_base_type_name(ctx, c)),
								 "Register a validator whose argument has the column's type.");
		}
	return REX_OK;
}

rex_status
rex_validators_resolve(rex_ctx *ctx, rex_entity *e)
{
	int			i,
				k;
	rex_status	st;

	if (!is_pg(ctx))
		return REX_OK;
	for (i = 0; i < e->ncolumns; i++)
		for (k = 0; k < e->columns[i].nrules; k++)
		{
			rex_rule   *r = &e->columns[i].rules[k];
			rex_result *res;
			rex_buf		b;

			if (r->kind != REX_RULE_CUSTOM)
				continue;
			if ((st = lookup(ctx, r->validator, &res)) != REX_OK)
				return st;
			if (res->nrows == 0)
				return rule_fail(ctx, REX_ERR_NOT_FOUND, e, &e->columns[i],
								 rex_psprintf(ctx, "validator \"%s\" is not registered", r->validator),
								 "Register it with register_validator(name, function).");
			rex_buf_init(&b, ctx);
			rex_sql_ident(&b, rex_result_text(res, 0, 1));
			rex_buf_append_char(&b, '.');
			rex_sql_ident(&b, rex_result_text(res, 0, 2));
			if (!rex_buf_ok(&b))
				return rex_error_nomem(ctx);
			r->validator_sql = b.data;
		}
	return REX_OK;
}

/* The value as a bound parameter (text for PostgreSQL, which casts it). */
static rex_value
param_of(rex_ctx *ctx, json_t *v)
{
	switch (json_typeof(v))
	{
		case JSON_STRING:
			return rex_val_text(json_string_value(v));
		case JSON_INTEGER:
			return is_pg(ctx) ? rex_val_text(rex_psprintf(ctx, "%" JSON_INTEGER_FORMAT, json_integer_value(v)))
				: rex_val_int(json_integer_value(v));
		case JSON_REAL:
			return is_pg(ctx) ? rex_val_text(rex_psprintf(ctx, "%.17g", json_real_value(v)))
				: rex_val_real(json_real_value(v));
		case JSON_TRUE:
		case JSON_FALSE:
			return is_pg(ctx) ? rex_val_text(json_is_true(v) ? "true" : "false")
				: rex_val_int(json_is_true(v) ? 1 : 0);
		default:
			return rex_val_text(rex_json_text(ctx, v, REX_JSON_CANONICAL));
	}
}

/* Runs one validator; *ok false when it returned false. */
static rex_status
run_one(rex_ctx *ctx, const rex_column *c, const rex_result *v, json_t *value, bool *ok)
{
	rex_buf		b;
	rex_value	p = param_of(ctx, value);
	rex_result *res;
	rex_status	st;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "SELECT ");
	if (is_pg(ctx))
	{
		rex_sql_ident(&b, rex_result_text(v, 0, 1));
		rex_buf_append_char(&b, '.');
	}
	rex_sql_ident(&b, rex_result_text(v, 0, 2));
	rex_buf_append(&b, "(");
	ctx->dialect->param(&b, 1, NULL);
	if (is_pg(ctx))
		rex_buf_printf(&b, "::%s", rex_pg_base_type_name(ctx, c));
	rex_buf_append(&b, ")");
	if (!rex_buf_ok(&b))
		return rex_error_nomem(ctx);
	st = rex_engine_query(ctx, b.data, 1, &p, &res);
	if (st == REX_ERR_ENGINE && !is_pg(ctx) && ctx->err.message &&
		strstr(ctx->err.message, "no such function"))
	{
		const char *fn = rex_result_text(v, 0, 2);

		rex_error_clear(ctx);
		rex_error_set(ctx, REX_ERR_NOT_FOUND,
					  "validator function \"%s\" is not registered on this connection", fn);
		rex_error_hint(ctx, "Register the SQL function %s(value) in your application "
					   "(sqlite3_create_function, or create_function in Python) on every "
					   "connection that validates or writes through rex.", fn);
		return REX_ERR_NOT_FOUND;
	}
	if (st != REX_OK)
		return st;
	*ok = !(res->nrows == 1 && res->cells[0].type != REX_V_NULL &&
			(res->cells[0].type == REX_V_BOOL || res->cells[0].type == REX_V_INT) &&
			res->cells[0].i == 0);
	return REX_OK;
}

rex_status
rex_validators_run(rex_ctx *ctx, const rex_entity *e, const rex_column *c,
				   json_t *value, json_t *out)
{
	int			k;
	rex_status	st;

	(void) e;
	for (k = 0; k < c->nrules; k++)
	{
		const rex_rule *r = &c->rules[k];
		rex_result *v;
		bool		ok = true;

		if (r->kind != REX_RULE_CUSTOM)
			continue;
		if ((st = lookup(ctx, r->validator, &v)) != REX_OK)
			return st;
		if (v->nrows == 0)
		{
			rex_error_set(ctx, REX_ERR_NOT_FOUND, "validator \"%s\" is not registered", r->validator);
			rex_error_hint(ctx, "Register it with register_validator(name, function).");
			return REX_ERR_NOT_FOUND;
		}
		if ((st = run_one(ctx, c, v, value, &ok)) != REX_OK)
			return st;
		if (!ok && (st = rex_violation(ctx, out, c->name, "custom",
									   r->message ? r->message :
									   rex_result_text(v, 0, 4) ? rex_result_text(v, 0, 4) :
									   rex_rule_message(ctx, c, r))) != REX_OK)
			return st;
	}
	return REX_OK;
}

const char *
rex_validator_message(rex_ctx *ctx, const rex_column *c, const rex_rule *r)
{
	rex_result *v;

	if (r->message == NULL && r->kind == REX_RULE_CUSTOM &&
		lookup(ctx, r->validator, &v) == REX_OK && v->nrows && rex_result_text(v, 0, 4))
		return rex_result_text(v, 0, 4);
	rex_error_clear(ctx);
	return rex_rule_message(ctx, c, r);
}
