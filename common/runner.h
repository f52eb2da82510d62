/*
 * runner.h
 *		Running migrations: the locked session and the atomic unit.
 *
 * A session (rex_session_run) takes the migration lock, runs a body and
 * ends the lock: PostgreSQL polls pg_try_advisory_xact_lock and stays in
 * the caller's transaction; SQLite takes BEGIN IMMEDIATE when no
 * transaction is open (and commits it), otherwise works in a savepoint of
 * the caller's transaction and never commits it.  The body reads the
 * history after the lock is taken, so two migrators never apply the same
 * migration twice.
 *
 * SQLite rebuilds and foreign keys: PRAGMA foreign_keys cannot change
 * inside a transaction, and dropping a parent table with enforcement on
 * fires the ON DELETE actions of its children (or fails at COMMIT).  So a
 * body that is about to rebuild a table asks the session (through
 * rex_session_rebuild_check) whether enforcement is on; when rex owns the
 * transaction the session ends the attempt (keeping or discarding what
 * it did), turns enforcement off outside any transaction, runs the body
 * again, and turns it back on at the end.  Inside the caller's
 * transaction a rebuild of a table that other tables refer to is refused.
 * Every unit that rebuilds compares PRAGMA foreign_key_check before and
 * after and fails on a new violation.
 *
 * A unit (rex_run_unit) is one migration: its steps run in a savepoint,
 * all or nothing; the outcome is written to the history (and each step
 * to the log) unless it is a dry run.  A failure is an answer, not an
 * error -- so that its record survives when the caller commits -- unless
 * the unit is strict.
 */
#ifndef REX_RUNNER_H
#define REX_RUNNER_H

#include "plan.h"

typedef struct rex_session
{
	int			timeout_ms;
	bool		own_txn;		/* rex began the transaction (SQLite) */
	bool		fk_off;			/* rex turned foreign keys off for this attempt */
	bool		restart;		/* body: run again with foreign keys off ... */
	bool		keep;			/* ... committing what this attempt did */
	int			attempt;		/* 1, then 2 after a restart */
} rex_session;

typedef rex_status (*rex_session_fn) (rex_ctx *ctx, rex_session *s, void *arg);

/* Takes the lock, runs fn, ends the lock (see above). */
extern rex_status rex_session_run(rex_ctx *ctx, int timeout_ms, rex_session_fn fn, void *arg);

/*
 * Called by a body before running a plan: when the plan rebuilds a
 * SQLite table and foreign keys are enforced, either sets s->restart (rex
 * owns the transaction: the body should stop, and set s->keep) or
 * refuses the rebuild (the caller's transaction, and the table is
 * referenced).  Does nothing on PostgreSQL.
 */
extern rex_status rex_session_rebuild_check(rex_ctx *ctx, rex_session *s, const rex_plan *plan);

/* One migration to run atomically. */
typedef struct rex_unit
{
	const char *version;
	const char *name;
	const char *kind;			/* script, entities, rollback, baseline, repair */
	const rex_plan *plan;
	const char *checksum;
	json_t	   *ops;			/* stored with the row, or NULL */
	const char *sql_up;			/* NULL: the steps' SQL joined */
	const char *sql_down;		/* NULL with down_from_steps: the inverses joined */
	bool		down_from_steps;
	const char *state_ok;		/* state recorded on success: applied, rolled_back */
	bool		record;			/* write history and log (not in dry runs) */
	bool		strict;			/* a failure is raised, not answered */
	/* catalog changes made inside the unit's savepoint after every step succeeded */
	rex_status	(*after) (rex_ctx *ctx, void *arg);
	void	   *after_arg;
} rex_unit;

/*
 * Runs u; appends its summary to 'migrations' (a JSON array) and tells
 * whether it failed.
 */
extern rex_status rex_run_unit(rex_ctx *ctx, const rex_unit *u, json_t *migrations,
							   bool *failed);

/* The next version for rex's own migrations of a kind: entities_0003... */
extern rex_status rex_next_version(rex_ctx *ctx, const char *kind, const char **version);

#endif							/* REX_RUNNER_H */
