/*
 * engine_fake.h
 *		A scripted engine for unit tests: the engine seam (rex_engine.h)
 *		with no database behind it.
 *
 * What it does for each rex_engine_* call, in this order:
 *	 1. appends the call to a log (statement text, parameters, status), so
 *		tests can assert which SQL ran and in what order; engine operations
 *		are logged as pseudo-statements: "<savepoint>", "<release>",
 *		"<rollback_to>", "<lock>", "<unlock commit>", "<unlock rollback>",
 *		"<catalog>" and "<catalog create>";
 *	 2. answers from the first scripted rule whose 'match' is a substring of
 *		the statement (or pseudo-statement) and that has uses left: canned
 *		rows (fake_answer) or an error (fake_error, fake_status);
 *	 3. otherwise emulates rex's catalog in memory (entities, migrations,
 *		log), recognising the statements catalog.c writes, and keeps a set
 *		of live relations that CREATE/DROP TABLE/INDEX statements change and
 *		that the dialects' relation_exists_sql / index_exists_sql read;
 *	 4. otherwise answers with no rows.
 * Savepoints snapshot the emulated state; rex_engine_rollback_to restores
 * it, so a failed migration leaves no table behind, as on a real engine.
 *
 * Memory: the fake's own state is malloc'd and freed by fake_free(); rows
 * handed to the core live in the calling context's arena.  Strings
 * returned by the accessors below belong to the fake.
 */
#ifndef REX_ENGINE_FAKE_H
#define REX_ENGINE_FAKE_H

#include "rex.h"
#include "json_util.h"

/* 'times' for a rule that never runs out */
#define FAKE_ALWAYS (-1)

extern rex_engine *fake_new(void);
extern void fake_free(rex_engine *fe);

/*
 * Scripted answers.  'rows_json' is a JSON array of rows, each an array of
 * cells: integers, reals, strings, booleans or null ("[[1, \"a\"]]");
 * columns are named c1, c2...  'times' is the number of uses (FAKE_ALWAYS
 * for every matching statement).
 */
extern void fake_answer(rex_engine *fe, const char *match, const char *rows_json,
						int times);
/* An engine error (REX_ERR_ENGINE) with a SQLSTATE and a message. */
extern void fake_error(rex_engine *fe, const char *match, const char *sqlstate,
					   const char *message, int times);
/* Any status with a message (e.g. REX_ERR_BUSY for "<lock>"). */
extern void fake_status(rex_engine *fe, const char *match, rex_status status,
						const char *message, int times);

/* Engine state the core asks about. */
extern void fake_set_user_txn(rex_engine *fe, bool in_txn);
extern void fake_set_catalog_exists(rex_engine *fe, bool exists);
/* Adds a relation (table, view or index) to the live schema. */
extern void fake_add_relation(rex_engine *fe, const char *name);
extern bool fake_has_relation(rex_engine *fe, const char *name);

/* The log. */
extern int	fake_log_count(rex_engine *fe);
/* Statement i (0-based), or NULL when out of range. */
extern const char *fake_log_sql(rex_engine *fe, int i);
/* Parameters of statement i as a JSON array (owned by the fake). */
extern json_t *fake_log_params(rex_engine *fe, int i);
/* Status the fake returned for statement i. */
extern rex_status fake_log_status(rex_engine *fe, int i);
/* First statement at or after 'from' containing 'needle', or -1. */
extern int	fake_find(rex_engine *fe, const char *needle, int from);
/* Number of statements containing 'needle'. */
extern int	fake_count(rex_engine *fe, const char *needle);
/* Forgets the log (not the state). */
extern void fake_clear_log(rex_engine *fe);
/* Every logged statement, one per line (for failure messages). */
extern const char *fake_log_text(rex_engine *fe);

/* Open savepoints (0 when every savepoint was ended). */
extern int	fake_depth(rex_engine *fe);
/* Statements no rule and no emulation recognised. */
extern int	fake_unhandled(rex_engine *fe);

/*
 * The emulated catalog (owned by the fake): an object of entity name ->
 * {"table", "schema", "definition", "applied", "dropped", "version", ...},
 * with definitions as JSON text as the core wrote them; the history and
 * the log as arrays of objects.
 */
extern json_t *fake_entities(rex_engine *fe);
extern json_t *fake_migrations(rex_engine *fe);
extern json_t *fake_migration_log(rex_engine *fe);

#endif							/* REX_ENGINE_FAKE_H */
