/*
 * scripts.h
 *		Versioned migration scripts: the registry filled by add_migration()
 *		(rex.scripts / rex_scripts) and what migrate() reads from it.
 *
 * A script is identified by its version (text, ordered naturally: digit
 * runs compare as numbers, so "9" < "10" and "1.2.9" < "1.2.10").  Its
 * checksum is the SHA-256 of the canonical JSON
 * {"kind": "script", "version": v, "up": up, "down": down}, the same on
 * both engines.  add_migration() of a version already registered with the
 * same text changes nothing (apps can register every script at start-up);
 * with another text it replaces a pending script, and for an applied one
 * it records the new text and says so -- migrate() then refuses until the
 * original text is back or repair() accepts the new one.
 */
#ifndef REX_SCRIPTS_H
#define REX_SCRIPTS_H

#include "rex.h"

typedef struct rex_script
{
	const char *version;
	const char *up;
	const char *down;			/* NULL: cannot be rolled back */
	const char *checksum;		/* of the registered text, computed when loaded */
} rex_script;

/* Every registered script, in version order. */
extern rex_status rex_scripts_load(rex_ctx *ctx, rex_script **out, int *n);

/* The checksum of a script's content. */
extern const char *rex_script_checksum(rex_ctx *ctx, const char *version, const char *up,
									   const char *down);

/*
 * Names the first transaction-control statement (BEGIN, COMMIT, END,
 * ROLLBACK, SAVEPOINT, RELEASE) at the top level of 'sql', or NULL.  A
 * script must not end the transaction its migration runs in; the bodies
 * of CREATE TRIGGER are skipped.
 */
extern const char *rex_sql_txn_control(const char *sql);

#endif							/* REX_SCRIPTS_H */
