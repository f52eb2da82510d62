/*
 * stub.h
 *		A scripted engine for the migration unit tests: each query is
 *		answered by the first rule whose 'match' is a substring of it (rows
 *		given as JSON), otherwise with no rows.  Every statement is logged.
 */
#ifndef REX_MIG_STUB_H
#define REX_MIG_STUB_H

#include "rex.h"

extern rex_engine *stub_new(void);
extern void stub_free(rex_engine *e);
/* rows: a JSON array of arrays of cells, e.g. [[1, "a"], [2, null]] */
extern void stub_answer(rex_engine *e, const char *match, const char *rows);
/* the same, answering only once (later statements fall through) */
extern void stub_answer_once(rex_engine *e, const char *match, const char *rows);
/* an engine error for statements containing 'match' */
extern void stub_fail(rex_engine *e, const char *match, const char *message);
extern int	stub_count(rex_engine *e, const char *needle);
extern const char *stub_log(rex_engine *e);

#endif
