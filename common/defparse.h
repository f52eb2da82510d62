/*
 * defparse.h
 *		Shared machinery for parsing definition JSON (internal to common/).
 *
 * definition.c parses the parts of a definition every entity has; the
 * files of other features (relations, rules, change capture...) parse
 * their own keys with the same helpers, so that every error has the same
 * shape: entity "x": json.path: what is wrong, with a hint saying what is
 * accepted.  Paths are built with rex_def_path_join / rex_def_path_index;
 * every function returns a status and leaves the error in dp->ctx.
 */
#ifndef REX_DEFPARSE_H
#define REX_DEFPARSE_H

#include "ident.h"
#include "model.h"

typedef struct defparse
{
	rex_ctx    *ctx;
	const char *entity;
	rex_entity *e;
} defparse;

/* Longest value echoed in an error message. */
#define REX_DEF_MAX_SHOWN 64

/* Records an error at 'path' ("" for the top) and returns its status. */
extern rex_status rex_def_fail(defparse *dp, rex_status status, const char *path,
							   const char *hint, const char *fmt,...)
			__attribute__((format(printf, 5, 6)));
/* A value shortened for messages. */
extern const char *rex_def_shown(defparse *dp, const char *s);
/* "an object", "a string"... for messages. */
extern const char *rex_def_json_kind(const json_t *v);
extern bool rex_def_in_list(const char *s, const char *const *list);
/* "columns" + "email" -> "columns.email"; "indexes" + 2 -> "indexes[2]" */
extern const char *rex_def_path_join(defparse *dp, const char *path, const char *key);
extern const char *rex_def_path_index(defparse *dp, const char *path, size_t i);
extern rex_status rex_def_check_ident(defparse *dp, const char *path, const char *s,
									  rex_ident_kind kind);
/* Optional members of 'obj' with type checks. */
extern rex_status rex_def_get_bool(defparse *dp, json_t *obj, const char *key,
								   const char *path, bool dflt, bool *out);
extern rex_status rex_def_get_int(defparse *dp, json_t *obj, const char *key,
								  const char *path, long lo, long hi, int *out,
								  bool *present);
extern rex_status rex_def_get_string(defparse *dp, json_t *obj, const char *key,
									 const char *path, const char **out);
/*
 * The keys of an object in byte order.  Iterate objects in this order,
 * never in the order of the text: PostgreSQL's jsonb does not keep it,
 * and with two problems both engines must report the same one.
 */
extern const char **rex_def_sorted_keys(defparse *dp, json_t *obj, size_t *n);

/* Refuses keys of 'obj' not in 'allowed'; those in 'future' get 0A000. */
extern rex_status rex_def_check_keys(defparse *dp, json_t *obj, const char *path,
									 const char *const *allowed,
									 const char *const *future, const char *hint);

/* One column definition (definition.c); *col_pk receives "primary_key". */
extern rex_status rex_def_parse_column(defparse *dp, rex_column *c, const char *name,
									   json_t *col, const char *cpath, bool *col_pk);
/* Canonical JSON of one column, without its name (definition.c). */
extern json_t *rex_def_column_json(const rex_column *c);

#endif							/* REX_DEFPARSE_H */
