/*
 * defparse.c
 *		Helpers for parsing definition JSON (see defparse.h).
 */
#include "defparse.h"
#include "rex_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Records a definition error at 'path' and returns its status.  The
 * message reads: entity "x": path: what is wrong.
 */
rex_status
rex_def_fail(defparse *dp, rex_status status, const char *path, const char *hint,
		 const char *fmt,...)
{
	rex_ctx    *ctx = dp->ctx;
	rex_buf		b;
	va_list		ap;
	char		what[512];

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rex_buf_init(&b, ctx);
	rex_buf_printf(&b, "entity \"%s\": ", rex_shorten(ctx, dp->entity, REX_DEF_MAX_SHOWN));
	if (path && *path)
		rex_buf_printf(&b, "%s: ", path);
	rex_buf_append(&b, what);
	rex_error_set(ctx, status, "%s", b.data ? b.data : what);
	if (hint)
		rex_error_hint(ctx, "%s", hint);
	return status;
}

const char *
rex_def_shown(defparse *dp, const char *s)
{
	return rex_shorten(dp->ctx, s, REX_DEF_MAX_SHOWN);
}

const char *
rex_def_json_kind(const json_t *v)
{
	switch (json_typeof(v))
	{
		case JSON_OBJECT:
			return "an object";
		case JSON_ARRAY:
			return "an array";
		case JSON_STRING:
			return "a string";
		case JSON_INTEGER:
		case JSON_REAL:
			return "a number";
		case JSON_TRUE:
		case JSON_FALSE:
			return "a boolean";
		case JSON_NULL:
			return "null";
	}
	return "a value";
}

bool
rex_def_in_list(const char *s, const char *const *list)
{
	int			i;

	for (i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* Joins a path and a key: "columns" + "email" -> "columns.email". */
const char *
rex_def_path_join(defparse *dp, const char *path, const char *key)
{
	const char *k = rex_def_shown(dp, key);

	if (path == NULL || *path == '\0')
		return rex_strdup(dp->ctx, k);
	return rex_psprintf(dp->ctx, "%s.%s", path, k);
}

const char *
rex_def_path_index(defparse *dp, const char *path, size_t i)
{
	return rex_psprintf(dp->ctx, "%s[%zu]", path, i);
}

/* An identifier of the given kind at 'path', or an error. */
rex_status
rex_def_check_ident(defparse *dp, const char *path, const char *s, rex_ident_kind kind)
{
	const char *problem = rex_ident_problem(s, kind);

	if (problem)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, rex_ident_rule(),
						"invalid name \"%s\": %s", rex_def_shown(dp, s), problem);
	return REX_OK;
}

/* Reads an optional boolean member. */
rex_status
rex_def_get_bool(defparse *dp, json_t *obj, const char *key, const char *path,
		 bool dflt, bool *out)
{
	json_t	   *v = json_object_get(obj, key);

	*out = dflt;
	if (v == NULL)
		return REX_OK;
	if (!json_is_boolean(v))
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, path, key),
						"Use true or false.", "expected a boolean, got %s",
						rex_def_json_kind(v));
	*out = json_is_true(v);
	return REX_OK;
}

/* Reads an optional integer member within [lo, hi]; 0 when absent. */
rex_status
rex_def_get_int(defparse *dp, json_t *obj, const char *key, const char *path,
		long lo, long hi, int *out, bool *present)
{
	json_t	   *v = json_object_get(obj, key);

	*out = 0;
	*present = v != NULL;
	if (v == NULL)
		return REX_OK;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
		json_integer_value(v) > hi)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, path, key), NULL,
						"expected an integer from %ld to %ld, got %s",
						lo, hi, json_is_integer(v) ? "a value out of range" : rex_def_json_kind(v));
	*out = (int) json_integer_value(v);
	return REX_OK;
}

/* Reads an optional string member. */
rex_status
rex_def_get_string(defparse *dp, json_t *obj, const char *key, const char *path,
		   const char **out)
{
	json_t	   *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL)
		return REX_OK;
	if (!json_is_string(v))
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, path, key), NULL,
						"expected a string, got %s", rex_def_json_kind(v));
	*out = rex_strdup(dp->ctx, json_string_value(v));
	return *out ? REX_OK : rex_error_nomem(dp->ctx);
}

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

const char **
rex_def_sorted_keys(defparse *dp, json_t *obj, size_t *n)
{
	const char **keys = rex_alloc(dp->ctx, sizeof(char *) * (json_object_size(obj) + 1));
	const char *key;
	json_t	   *v;
	size_t		k = 0;

	*n = 0;
	if (keys == NULL)
		return NULL;
	json_object_foreach(obj, key, v)
		keys[k++] = key;
	qsort(keys, k, sizeof(char *), cmp_key);
	*n = k;
	return keys;
}

/* Refuses keys not in 'allowed'; keys in 'future' are "not supported yet". */
rex_status
rex_def_check_keys(defparse *dp, json_t *obj, const char *path,
		   const char *const *allowed, const char *const *future,
		   const char *hint)
{
	size_t		n,
				i;
	const char **keys = rex_def_sorted_keys(dp, obj, &n);

	if (keys == NULL)
		return rex_error_nomem(dp->ctx);
	for (i = 0; i < n; i++)
	{
		const char *key = keys[i];

		if (rex_def_in_list(key, allowed))
			continue;
		if (future && rex_def_in_list(key, future))
			return rex_def_fail(dp, REX_ERR_UNSUPPORTED, rex_def_path_join(dp, path, key),
							"This version of rex_orm does not implement it.",
							"\"%s\" is not supported yet", key);
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, path, key), hint,
						"unknown key \"%s\"", rex_def_shown(dp, key));
	}
	return REX_OK;
}
