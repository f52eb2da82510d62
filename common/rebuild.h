/*
 * rebuild.h
 *		SQLite table rebuilds: the SQL that turns a table into a new shape
 *		when ALTER TABLE cannot (type, nullability, default changes...).
 *
 * The procedure is SQLite's own "generalized ALTER TABLE", in the order
 * that keeps everything (lang_altertable.html section 7, and the pitfalls
 * in notes/migrations.md section 2):
 *
 *	 CREATE TABLE "rex_new_<t>" (full definition from the entity model)
 *	 INSERT INTO "rex_new_<t>" (rowid?, columns) SELECT rowid?, conversions FROM "<t>"
 *	 carry the sqlite_sequence value over (AUTOINCREMENT keys keep counting)
 *	 DROP TABLE "<t>"
 *	 PRAGMA legacy_alter_table = ON	(views on <t> are not re-parsed)
 *	 ALTER TABLE "rex_new_<t>" RENAME TO "<t>"
 *	 PRAGMA legacy_alter_table = <as it was>
 *	 CREATE INDEX ... for the model's indexes, then the user's own indexes
 *	 and triggers on <t>, from their saved SQL
 *	 SELECT * FROM <view> LIMIT 0 for each view naming <t> (fails the step
 *	 when a view no longer works)
 *
 * The old table is never renamed first (that would rewrite the foreign
 * keys of child tables to the temporary name).  Foreign keys are not
 * this file's business: the runner turns enforcement off around the
 * rebuild (only possible outside a transaction), compares PRAGMA
 * foreign_key_check before and after, and refuses to rebuild a parent
 * table inside the caller's transaction while enforcement is on
 * (runner.c).  rex's attached objects (triggers) are dropped before and
 * created after the rebuild by the alter planner.
 *
 * Columns are matched by name between the old and the new model: a
 * column in both is copied (converted by convert.c when its type
 * changes), a new column gets its default, a column only in the old
 * model is dropped.  The old rowid is copied when the new table has no
 * INTEGER PRIMARY KEY.  Pure: the live facts are passed in.
 */
#ifndef REX_REBUILD_H
#define REX_REBUILD_H

#include "model.h"

/* A schema object saved from sqlite_schema. */
typedef struct rex_sqlite_object
{
	const char *name;
	const char *sql;
} rex_sqlite_object;

/* What the live database says about the table being rebuilt. */
typedef struct rex_rebuild_facts
{
	rex_sqlite_object *indexes;	/* user indexes on the table (not rex's) */
	int			nindexes;
	rex_sqlite_object *triggers;	/* user triggers on the table (not rex's) */
	int			ntriggers;
	const char **views;			/* views whose SQL names the table */
	int			nviews;
	bool		legacy_alter_table; /* the connection's setting, restored */
} rex_rebuild_facts;

/*
 * The SQL rebuilding table old_e->table (which has the shape of old_e)
 * into the shape of new_e (same table name).  *sql is one string of
 * statements separated by ";\n".
 */
extern rex_status rex_rebuild_sql(rex_ctx *ctx, const rex_entity *old_e,
								  const rex_entity *new_e,
								  const rex_rebuild_facts *facts, const char **sql);

/* The name of the temporary table of a rebuild: rex_new_<table>. */
extern const char *rex_rebuild_temp_name(rex_ctx *ctx, const char *table);

#endif							/* REX_REBUILD_H */
