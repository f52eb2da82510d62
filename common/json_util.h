/*
 * json_util.h
 *		JSON text in and out of the context (jansson underneath).
 */
#ifndef REX_JSON_UTIL_H
#define REX_JSON_UTIL_H

#include "rex.h"

#include <jansson.h>

/*
 * The PostgreSQL server exports a json_object() of its own (the SQL
 * function), and the dynamic linker binds a module's call to that name to
 * the server's symbol, not jansson's.  Every file of rex therefore gets
 * jansson through this header, which sends json_object() to a wrapper
 * (jansson's own internal calls are bound inside libjansson and are not
 * affected).  The tests check that the PostgreSQL module does not
 * reference json_object.
 */
extern json_t *rex_json_object(void);
#define json_object() rex_json_object()

/*
 * Canonical text: compact, keys sorted.  Output text: compact, keys in
 * insertion order.  Either way every real is written with the fewest
 * digits that read back as the same double (0.1, not 0.10000000000000001),
 * so values survive a round trip through text exactly.
 */
#define REX_JSON_CANONICAL (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17))
#define REX_JSON_OUTPUT (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17))

/* JSON text of v in ctx's arena; NULL (and REX_ERR_NOMEM) on failure. */
extern char *rex_json_text(rex_ctx *ctx, const json_t *v, size_t flags);

/*
 * JSON text with every number written as PostgreSQL's jsonb writes it
 * (exponents applied exactly: "1e2" -> "100", "-0.0" -> "0.0"), so that
 * input read as text on SQLite means what PostgreSQL's jsonb made of it.
 */
extern const char *rex_json_normalize_numbers(rex_ctx *ctx, const char *text);

/*
 * Parses JSON text owned by the caller (numbers normalised as above); the value is owned by ctx.  On
 * failure records REX_ERR_JSON saying what 'what' was ("options",
 * "definition") and where the text went wrong.
 */
extern json_t *rex_json_parse(rex_ctx *ctx, const char *text, const char *what);

/*
 * Parses JSON text rex wrote itself (canonical definitions read back from
 * the catalog): no number normalising; a failure is an internal error.
 */
extern json_t *rex_json_parse_canonical(rex_ctx *ctx, const char *text, const char *what);

/* New JSON values owned by ctx (NULL + REX_ERR_NOMEM on failure). */
extern json_t *rex_json_own(rex_ctx *ctx, json_t *v);

#endif							/* REX_JSON_UTIL_H */
