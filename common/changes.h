/*
 * changes.h
 *		The change feed: per-entity capture options, the capture triggers
 *		generated around a table, and reading and pruning the log.
 *
 * An entity opts in with "changes" in its definition (changes.c parses it
 * with the rex_def_* helpers).  Capture is an attached object
 * (attached.h): on PostgreSQL statement-level triggers calling the C
 * function rex.capture(); on SQLite row triggers in built-in SQL.  Both
 * write the same event, one row per change, to rex.changes /
 * rex_changes in the writer's transaction:
 *
 *	 {"id", "entity", "op", "pk", "new", "old", "changed", "tx", "at"}
 *
 * Everything here lives in ctx's arena; nothing is freed on its own.
 */
#ifndef REX_CHANGES_H
#define REX_CHANGES_H

#include "attached.h"
#include "changes_capture.h"
#include "defparse.h"

/* Operations that can be captured, as bits. */
#define REX_OP_INSERT	0x01
#define REX_OP_UPDATE	0x02
#define REX_OP_DELETE	0x04
#define REX_OP_TRUNCATE 0x08
#define REX_OP_ALL		0x0f

typedef struct rex_changes_opts
{
	unsigned	ops;			/* REX_OP_* bits */
	const char **include;		/* as given, or NULL for every column */
	int			ninclude;
	const char **exclude;		/* as given; may be empty */
	int			nexclude;
	bool		old;			/* keep old images of updates and deletes */
	rex_notify_mode notify;
	int64_t		max_age;		/* retention in seconds, 0 for none */
	int64_t		max_events;		/* retention in events, 0 for none */
} rex_changes_opts;

/*
 * Parses "changes" of a definition (dp->e is parsed already).  Sets
 * dp->e->changes, or leaves it NULL when the member is absent or false.
 */
extern rex_status rex_changes_parse(defparse *dp, json_t *def);

/* The canonical JSON of the options, for the entity's canonical form. */
extern json_t *rex_changes_json(const rex_changes_opts *o);

/* True when column c of e is written to events (include/exclude). */
extern bool rex_changes_captures(const rex_entity *e, const rex_column *c);

/* The attached-object generator (attached.c): capture triggers. */
extern rex_status rex_changes_attached(rex_ctx *ctx, const char *schema,
									   const rex_entity *e, rex_attached_list *out);

/*
 * Applies the retention limits of every applied entity that has some;
 * *pruned counts what went, *any tells whether some entity has a limit.
 */
extern rex_status rex_changes_retention(rex_ctx *ctx, int64_t *pruned, bool *any);

#endif							/* REX_CHANGES_H */
