/*
 * history.h
 *		Reading the migration history back: which migrations are applied,
 *		and whether the history and the applied scripts are as recorded.
 *
 * The history (rex.migrations / rex_migrations) is append-only; the state
 * of a version is derived from its rows in id order:
 *	 - a row of kind script, entities or baseline in state "applied"
 *	   applies the version (its id is the version's place in the order
 *	   migrations were applied);
 *	 - a row of kind "repair" in state "applied" accepts a new checksum for
 *	   an applied version (an edited script), or, with no version, accepts
 *	   the whole history up to that row;
 *	 - a row of kind "rollback" in state "rolled_back" un-applies it;
 *	 - rows in state "failed" change nothing.
 *
 * Every row that is not a failure carries chain_hash = SHA-256(previous
 * chain hash || checksum); rex_history_verify recomputes the chain from
 * the last repair of the whole history and compares every script that is
 * applied with its registered text.  Either mismatch is REX_ERR_STATE
 * (55000) with a hint naming repair().
 */
#ifndef REX_HISTORY_H
#define REX_HISTORY_H

#include "catalog.h"

/* One row of the history, as read back. */
typedef struct rex_hist
{
	int64_t		id;
	const char *version;
	const char *name;
	const char *kind;
	const char *state;
	const char *checksum;
	const char *chain_hash;
	json_t	   *plan;			/* the steps, as planned */
	json_t	   *ops;			/* engine-neutral ops, or NULL */
	const char *sql_up;
	const char *sql_down;
	bool		reversible;
} rex_hist;

/* An applied migration, in the order migrations were applied. */
typedef struct rex_applied
{
	const rex_hist *row;		/* the row that applied it */
	const char *version;
	const char *kind;
	const char *checksum;		/* as applied, or as accepted by a repair */
} rex_applied;

typedef struct rex_history
{
	rex_hist   *rows;
	int			nrows;
	rex_applied *applied;
	int			napplied;
} rex_history;

/* Reads the whole history and derives the applied migrations. */
extern rex_status rex_history_load(rex_ctx *ctx, rex_history *h);

/* The applied migration of a version, or NULL. */
extern const rex_applied *rex_history_find(const rex_history *h, const char *version);

/*
 * Refuses (55000) a history whose chain does not hold, or an applied
 * script whose registered text differs from what was applied.
 */
extern rex_status rex_history_verify(rex_ctx *ctx, const rex_history *h);

/* The mismatches rex_history_verify would refuse, as JSON (status). */
extern rex_status rex_history_problems(rex_ctx *ctx, const rex_history *h, json_t **out);

/* SHA-256 (hex) of the canonical text of a JSON value. */
extern const char *rex_history_checksum(rex_ctx *ctx, json_t *content);

/* SHA-256(prev || checksum), hex. */
extern const char *rex_history_chain(rex_ctx *ctx, const char *prev, const char *checksum);

/* Natural order of versions: digit runs compare as numbers ("9" < "10"). */
extern int	rex_version_cmp(const char *a, const char *b);

#endif							/* REX_HISTORY_H */
