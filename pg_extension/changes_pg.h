/*
 * changes_pg.h
 *		Internal interface between the PostgreSQL files of the change feed:
 *		capture_pg.c (the C trigger), changes_pg.c (reading horizon,
 *		changes_since, prune) and notify_pg.c (doorbells, notifier worker).
 */
#ifndef REX_CHANGES_PG_H
#define REX_CHANGES_PG_H

#include "postgres.h"

#include "lib/stringinfo.h"

/* OIDs of rex.changes and rex.changes_id_seq (cached per backend). */
extern void rex_pg_changes_oids(Oid *rel, Oid *seq);

/*
 * Registers the current transaction as a writer of the log, with a lower
 * bound of the ids it will take, before it takes the first (see
 * changes_pg.c); rex_pg_note_id records each id it took.
 */
extern void rex_pg_register_writer(Oid seq);
extern void rex_pg_note_id(int64 id);

/* Every id below the horizon belongs to a transaction that has ended. */
extern int64 rex_pg_changes_horizon(void);

/* A doorbell for this transaction (sent at pre-commit, notify_pg.c). */
extern void rex_pg_doorbell_add(const char *entity, int64 first, int64 last, int64 count);

/* From writers of "worker" entities: (re)starts the notifier when gone. */
extern void rex_pg_notifier_ensure(int64 first_id);

/* Settings and callbacks of notify_pg.c, from rex_pg_changes_init. */
extern void rex_pg_notify_init(void);

#endif							/* REX_CHANGES_PG_H */
