/*
 * diff.h
 *		The difference between two versions of one entity, engine-neutral.
 *
 * rex_diff_entity() compares the applied entity ("from") with the desired
 * one ("to") and lists the changes as data: table rename, column add /
 * drop / rename / alter, index create / drop / rename, descriptions,
 * foreign keys and the CHECKs of validation rules added / dropped /
 * renamed.  Both entities are resolved (relations.h: rex_schema_resolve)
 * so that the foreign-key columns, indexes and constraints that relations
 * imply are part of them.  It writes no SQL: the dialects turn the list
 * into steps (alter_pg.c, alter_sqlite.c); a rule's CHECK is compared by
 * the text the dialect gives it, so only rules that the dialect enforces
 * with a CHECK, and that change it, make a change.  Renames are never guessed: a column is renamed only
 * when the rename map says so (built from "renamed_from" by
 * rex_diff_renames, or reversed for a rollback), otherwise a column that
 * disappears is dropped and a new one added.
 *
 * Changes this version cannot carry out safely are refused here, before
 * any SQL exists, with REX_ERR_UNSUPPORTED and a message naming the
 * entity and column: a primary-key change, an id column added or changed,
 * a type change outside the table in convert.h.
 *
 * Everything lives in the context's arena; the change list points into
 * the two entities.
 */
#ifndef REX_DIFF_H
#define REX_DIFF_H

#include "model.h"

typedef enum rex_change_kind
{
	REX_CH_RENAME_TABLE,
	REX_CH_TABLE_DESCRIPTION,
	REX_CH_RENAME_COLUMN,
	REX_CH_DROP_COLUMN,
	REX_CH_ADD_COLUMN,
	REX_CH_ALTER_COLUMN,
	REX_CH_DROP_INDEX,
	REX_CH_RENAME_INDEX,
	REX_CH_CREATE_INDEX,
	REX_CH_DROP_FK,				/* a foreign key that goes (or changes) */
	REX_CH_RENAME_FK,			/* the same key; its name follows a rename */
	REX_CH_ADD_FK,				/* a new foreign key (or a changed one) */
	REX_CH_DROP_CHECK,			/* the CHECK of a rule that goes (or changes) */
	REX_CH_RENAME_CHECK,		/* the same CHECK; its name follows a rename */
	REX_CH_ADD_CHECK			/* the CHECK of a new (or changed) rule */
} rex_change_kind;

/* What an REX_CH_ALTER_COLUMN changes (bit set). */
#define REX_ALTER_TYPE			0x01	/* type, max_length, precision, scale, values */
#define REX_ALTER_NULLABLE		0x02
#define REX_ALTER_DEFAULT		0x04
#define REX_ALTER_DESCRIPTION	0x08

typedef struct rex_change
{
	rex_change_kind kind;
	const rex_column *from;		/* the column in the applied entity */
	const rex_column *to;		/* the column in the desired entity */
	const rex_index *from_ix;	/* the index in the applied entity */
	const rex_index *to_ix;		/* the index in the desired entity */
	int			what;			/* REX_ALTER_* for REX_CH_ALTER_COLUMN */
	const rex_foreign_key *from_fk; /* foreign-key changes: the applied key */
	const rex_foreign_key *to_fk;	/* ... the desired key */
	const rex_rule *from_rule;	/* CHECK changes: the applied rule (of 'from') */
	const rex_rule *to_rule;	/* ... the desired rule (of 'to') */
	const char *from_name;		/* CHECK changes: constraint names */
	const char *to_name;
} rex_change;

/* One column rename: applied name -> desired name. */
typedef struct rex_rename
{
	const char *from;
	const char *to;
} rex_rename;

typedef struct rex_renames
{
	rex_rename *items;
	int			n;
} rex_renames;

/*
 * What the differ (and the alter planners) need to know about other
 * entities of the plan; every member may be absent (NULL / 0), and a
 * NULL env means "nothing else changes".
 */
typedef struct rex_diff_env
{
	/*
	 * The live name (before this plan) of the column that desired entity
	 * 'entity' calls 'column', or NULL when that entity has no table yet;
	 * *table gets its live table, *schema its schema.
	 */
	const char *(*live_column) (const struct rex_diff_env *env, const char *entity,
								const char *column, const char **schema,
								const char **table);
	void	   *arg;
	const char **dropping;		/* entities whose tables this plan drops */
	int			ndropping;
} rex_diff_env;

typedef struct rex_diff
{
	const rex_entity *from;
	const rex_entity *to;
	rex_renames renames;
	const rex_diff_env *env;
	rex_change *changes;		/* in the order listed in rex_change_kind */
	int			n;
} rex_diff;

/*
 * The column renames that "renamed_from" asks for: column c of 'to' with
 * renamed_from r is renamed when 'from' has r and not c.  A renamed_from
 * that names no column of 'from' while 'from' also lacks c is refused
 * (a mistyped old name would otherwise drop and re-add the column).
 */
extern rex_status rex_diff_renames(rex_ctx *ctx, const rex_entity *from,
								   const rex_entity *to, rex_renames *out);

/* The same renames, the other way round (for rollbacks). */
extern rex_status rex_diff_renames_reversed(rex_ctx *ctx, const rex_renames *in,
											rex_renames *out);

/*
 * Lists the changes from 'from' to 'to' with the given column renames.
 * Fails with REX_ERR_UNSUPPORTED for changes this version refuses.
 */
extern rex_status rex_diff_entity(rex_ctx *ctx, const rex_entity *from,
								  const rex_entity *to, const rex_renames *renames,
								  rex_diff *out);
/* The same, knowing the rest of the plan (env may be NULL). */
extern rex_status rex_diff_entity_env(rex_ctx *ctx, const rex_entity *from,
									  const rex_entity *to, const rex_renames *renames,
									  const rex_diff_env *env, rex_diff *out);

/* The live column (and table) that a desired foreign key refers to. */
extern const char *rex_diff_live_ref(const rex_diff *d, const rex_foreign_key *fk,
									 const char **schema, const char **table);

/* True when the plan drops the table of entity 'name'. */
extern bool rex_diff_dropping(const rex_diff *d, const char *name);

/* The desired name of applied column 'name' (itself when not renamed). */
extern const char *rex_diff_new_name(const rex_diff *d, const char *name);
/* The applied name of desired column 'name' (itself when not renamed). */
extern const char *rex_diff_old_name(const rex_diff *d, const char *name);

/* True when two columns have the same type and type options. */
extern bool rex_column_same_type(const rex_column *a, const rex_column *b);
/* True when two columns have the same default. */
extern bool rex_column_same_default(const rex_column *a, const rex_column *b);

/* Step kind names for the changes ("add_column", ...). */
extern const char *rex_change_name(rex_change_kind kind);

#endif							/* REX_DIFF_H */
