/*
 * schemagen.h
 *		Internals of the generated JSON Schema and TypeScript (jsonschema.c,
 *		jsonschema_regex.c, typescript.c); internal to common/.
 */
#ifndef REX_SCHEMAGEN_H
#define REX_SCHEMAGEN_H

#include "gql_schema.h"

/*
 * The portable pattern of a "pattern" rule (rex_rule.pattern_sql, the
 * text PCRE2 and PostgreSQL get) rewritten for ECMA-262 with the "u" flag
 * (what ajv compiles): '.' becomes [\s\S] (rex's '.' matches a newline),
 * escaped punctuation that the "u" flag refuses becomes \xHH.  The rest
 * of the portable subset means the same in both.  NULL when out of memory.
 */
extern const char *rex_regex_ecma(rex_ctx *ctx, const char *portable);

/*
 * A pattern matching the decimal strings (optional '-', digits, optional
 * '.' and digits: what validate() reads for a decimal column) whose value
 * is >= 'bound' (at_least) or <= 'bound', 'bound' being a JSON number.
 * Compared exactly in decimal, against the shortest text of the bound;
 * validate() compares doubles, so the two differ only for values of more
 * than 15 significant digits within a rounding of the bound.
 */
extern const char *rex_decimal_bound_regex(rex_ctx *ctx, const json_t *bound, bool at_least);

/* The pattern of a decimal(precision, scale) string (precision 0: any). */
extern const char *rex_decimal_regex(rex_ctx *ctx, int precision, int scale);

/* Patterns of the types and formats, exactly what values.c and formats.c
 * accept (ECMA-262 syntax, no look-around). */
extern const char *const rex_re_uuid;
extern const char *const rex_re_timestamp;
extern const char *const rex_re_date;
extern const char *const rex_re_date_time;
extern const char *const rex_re_base64;
extern const char *const rex_re_email;
extern const char *const rex_re_email_local;
extern const char *const rex_re_url;

#endif							/* REX_SCHEMAGEN_H */
