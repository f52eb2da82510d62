/*
 * ident.h
 *		Rules for the SQL identifiers rex_orm accepts.
 *
 * One set of rules for both engines, the stricter of the two wherever they
 * differ, so that a definition accepted on one engine is accepted on the
 * other: ASCII letters, digits and underscores, not starting with a digit,
 * at most 63 bytes (PostgreSQL would silently truncate a longer name).
 * Names are compared without regard to case, as SQLite does.
 */
#ifndef REX_IDENT_H
#define REX_IDENT_H

#include <stdbool.h>

typedef enum rex_ident_kind
{
	REX_IDENT_ENTITY,
	REX_IDENT_TABLE,
	REX_IDENT_COLUMN,
	REX_IDENT_INDEX
} rex_ident_kind;

/*
 * Returns NULL when 's' is acceptable as an identifier of the given kind,
 * otherwise a sentence saying what is wrong (a static string).
 */
extern const char *rex_ident_problem(const char *s, rex_ident_kind kind);

/* The sentence describing what is accepted, for hints. */
extern const char *rex_ident_rule(void);

/* Case-insensitive ASCII comparison of identifiers. */
extern bool rex_ident_equal(const char *a, const char *b);

/*
 * A generated name that fits in 63 bytes: 'full' itself when short enough,
 * otherwise its first 54 bytes, '_' and 8 hex digits of its SHA-256, so
 * that long names stay distinct and are the same on every engine.  The
 * result lives in ctx's arena; NULL when out of memory.
 */
struct rex_ctx;
extern const char *rex_name_fit(struct rex_ctx *ctx, const char *full);

#endif							/* REX_IDENT_H */
