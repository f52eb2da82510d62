/*
 * drift.h
 *		Out-of-band changes: the live schema of rex-managed tables compared
 *		with what their applied definitions imply (migration_status).
 */
#ifndef REX_DRIFT_H
#define REX_DRIFT_H

#include "catalog.h"

/*
 * A JSON array of differences for the applied entities in 'rows':
 * {"entity", "table", "object", "name", "problem", "expected", "found"}.
 */
extern rex_status rex_drift(rex_ctx *ctx, rex_entity_row *rows, int n, json_t **out);

#endif							/* REX_DRIFT_H */
