/*
 * relations.h
 *		Relations between entities: parsing "relations" (relations.c),
 *		resolving them across every defined entity (schema.c) and the DDL
 *		of foreign keys (fkeys.c).  Internal to common/.
 *
 * The model (rex_relation, rex_foreign_key) is in model.h.  Parsing
 * checks what one definition can say about itself; everything that needs
 * the target entity (does it exist, its key and that key's type, the
 * other end of the relation, join tables, cycles) is resolved at plan
 * time, when every definition is known, so that a definition may refer
 * to an entity defined later.
 */
#ifndef REX_RELATIONS_H
#define REX_RELATIONS_H

#include "defparse.h"
#include "rex_buf.h"

/* Parses "relations" (may be NULL) into dp->e->relations. */
extern rex_status rex_relations_parse(defparse *dp, json_t *relations);
/* Canonical JSON of e's relations. */
extern json_t *rex_relations_json(const rex_entity *e);

/*
 * The entities of one plan, resolved together.  The caller fills
 * entities[] (desired definitions of every entity not being dropped) and
 * applied[] (true for an entity whose table exists and does not change);
 * rex_schema_resolve() adds generated foreign-key columns, foreign keys
 * and their indexes to the entities, adds one entity per join table of
 * many-to-many relations (joins[]), and computes 'order': the entities to
 * create, parents before children.
 */
typedef struct rex_schema
{
	rex_entity **entities;
	bool	   *applied;
	int			n;
	const char **dropping;		/* entities being dropped (for messages) */
	int			ndropping;
	bool		lenient;		/* define_entity's own answer: a missing target
								 * is a warning, not an error */
	const struct rex_schema *live;	/* the applied state, resolved: a join table
									 * exists when it has one of that name (NULL:
									 * when one end is applied) */
	rex_entity **joins;			/* join tables, created after their ends */
	bool	   *join_exists;
	int			njoins;
	rex_entity **order;			/* to create: entities then join tables */
	int			norder;
} rex_schema;

extern rex_status rex_schema_resolve(rex_ctx *ctx, rex_schema *s);

/* Every defined entity not being dropped (desired definitions), resolved
 * leniently: what validate(), explain_constraint() and on() work from. */
extern rex_status rex_schema_load(rex_ctx *ctx, rex_schema *s);

/* Every migrated entity as applied (the live tables), resolved together:
 * what the attached objects of a live table are made from. */
extern rex_status rex_schema_load_applied(rex_ctx *ctx, rex_schema *s);

/* The join table of that table name in s, or NULL. */
extern rex_entity *rex_schema_join(const rex_schema *s, const char *table);

/* The entity of that name in s (join tables excluded), or NULL. */
extern rex_entity *rex_schema_entity(const rex_schema *s, const char *name);

/*
 * DDL of foreign keys (fkeys.c), each usable on its own so that schema
 * diffs can add and drop one: the clause inside CREATE TABLE
 * (",\n  CONSTRAINT ... FOREIGN KEY ..."), and on PostgreSQL the ALTER
 * TABLE statements that add and drop one.
 */
extern void rex_fk_clause(rex_ctx *ctx, rex_buf *b, const rex_foreign_key *fk);
extern const char *rex_fk_add_sql(rex_ctx *ctx, const char *schema,
								  const rex_entity *e, const rex_foreign_key *fk);
extern const char *rex_fk_drop_sql(rex_ctx *ctx, const char *schema,
								   const rex_entity *e, const rex_foreign_key *fk);

/*
 * Table constraints rex adds inside CREATE TABLE after the columns and
 * the primary key: foreign keys (those not deferred on PostgreSQL) and
 * the CHECKs of validation rules (custom ones once resolved, see
 * rex_rule.validator_sql).
 */
extern rex_status rex_table_constraints(rex_ctx *ctx, rex_buf *b, const rex_entity *e);

/*
 * PostgreSQL: ALTER TABLE statements adding and dropping the CHECK of one
 * rule (SQLite cannot alter constraints: its diffs rebuild the table).
 * rex_rule_add_sql() returns NULL when the dialect cannot express the rule.
 */
extern const char *rex_rule_add_sql(rex_ctx *ctx, const char *schema, const rex_entity *e,
									const rex_column *c, const rex_rule *r);
extern const char *rex_rule_drop_sql(rex_ctx *ctx, const char *schema, const rex_entity *e,
									 const rex_column *c, const rex_rule *r);

/* Plan warnings for e's rules that this dialect cannot CHECK. */
extern rex_status rex_rules_warnings(rex_ctx *ctx, const rex_entity *e, json_t *warnings);

#endif							/* REX_RELATIONS_H */
