/*
 * values.h
 *		Checking and canonicalising the text forms of portable values.
 *
 * These are the forms rex_orm stores on SQLite and prints in JSON on both
 * engines: UUIDs in lower case, timestamps as UTC ISO-8601 with
 * milliseconds, dates as YYYY-MM-DD, decimals without exponent, bytes as
 * base64.  Each function writes the canonical form into 'out' (a buffer of
 * at least the stated size) and returns true, or returns false when the
 * input is not of that kind.
 */
#ifndef REX_VALUES_H
#define REX_VALUES_H

#include <stdbool.h>
#include <stddef.h>

#include "rex.h"

/* 36 characters + NUL */
extern bool rex_uuid_canonical(const char *in, char out[37]);
/* "YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z" -> "YYYY-MM-DDTHH:MM:SS.mmmZ" */
extern bool rex_timestamp_canonical(const char *in, char out[25]);
/* "YYYY-MM-DD", a real calendar date */
extern bool rex_date_valid(const char *in);

/*
 * Canonical decimal for numeric(precision, scale): optional '-', digits
 * without leading zeros, and exactly 'scale' digits after a '.'; with
 * precision 0 (unconstrained) the fraction is kept as written.  Returns
 * NULL and sets *why when the value does not fit.
 */
extern char *rex_decimal_canonical(rex_ctx *ctx, const char *in,
								   int precision, int scale,
								   const char **why);

/* Number of characters (code points) in a UTF-8 string. */
extern size_t rex_utf8_length(const char *s);

/* Decodes base64; returns the byte count or -1 when not valid base64. */
extern long rex_base64_decoded_length(const char *in);

#endif							/* REX_VALUES_H */
