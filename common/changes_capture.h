/*
 * changes_capture.h
 *		What the capture glue needs from the change feed's core, without
 *		jansson (the PostgreSQL glue cannot include it next to the
 *		server's own json_object()).
 *
 * The capture config is the JSON argument that the generated PostgreSQL
 * triggers pass to rex.capture(): key columns, captured columns, old
 * images, notify mode.  changes.c writes it and parses it.
 */
#ifndef REX_CHANGES_CAPTURE_H
#define REX_CHANGES_CAPTURE_H

#include "rex.h"

typedef enum rex_notify_mode
{
	REX_NOTIFY_OFF = 0,			/* log only */
	REX_NOTIFY_ROW,				/* one NOTIFY per event from the writer */
	REX_NOTIFY_DOORBELL,		/* one NOTIFY per transaction and entity */
	REX_NOTIFY_WORKER			/* a background worker notifies; writers never do */
} rex_notify_mode;

/* "off", "row", "doorbell", "worker", NULL */
extern const char *const rex_notify_names[];

/* Most events one changes_since call returns. */
#define REX_CHANGES_MAX_LIMIT 100000

/* Longest entity name that fits a per-entity NOTIFY channel "rex.<name>". */
#define REX_CHANGES_MAX_CHANNEL_ENTITY 59

typedef struct rex_capture_config
{
	const char **pk;			/* key columns, in key order */
	int			npk;
	const char **columns;		/* captured columns, in table order */
	int			ncolumns;
	bool		old;
	rex_notify_mode notify;
} rex_capture_config;

/* Parses a capture config; strings live in ctx's arena. */
extern rex_status rex_changes_capture_config(rex_ctx *ctx, const char *text,
											 rex_capture_config *out);

/*
 * changes_since: the events with id > cursor and id < horizon, in id
 * order, at most 'limit', of the entities named in 'entities' (JSON text
 * of an array of names, or NULL for all).  *events receives the JSON text
 * of each event.  The glue gives the horizon: on SQLite INT64_MAX (one
 * writer at a time: ids are taken in commit order); on PostgreSQL the
 * lowest id that a transaction still in progress may hold (changes_pg.c).
 */
extern rex_status rex_changes_since(rex_ctx *ctx, int64_t cursor, const char *entities,
									int64_t limit, int64_t horizon,
									const char ***events, int *nevents);

/* "[e1,e2,...]" from event texts. */
extern const char *rex_changes_join(rex_ctx *ctx, const char **events, int n);

/*
 * prune_changes: with before_id >= 0, deletes the events with id <
 * before_id; otherwise applies every entity's retention limits.  *out is
 * the JSON text {"pruned": n}.
 */
extern rex_status rex_changes_prune(rex_ctx *ctx, int64_t before_id, const char **out);

#endif							/* REX_CHANGES_CAPTURE_H */
