/*
 * model.h
 *		The entity model: a validated definition in C structures.
 *
 * definition.c builds a rex_entity from definition JSON (refusing a bad
 * definition whole, with the JSON path of the first problem) and writes
 * its canonical JSON; ddl.c turns a rex_entity into DDL for a dialect.
 * Every string and array lives in the arena of the context that built the
 * entity; default values point into JSON owned by that context.
 */
#ifndef REX_MODEL_H
#define REX_MODEL_H

#include "rex.h"

#include "json_util.h"

#define REX_MAX_IDENT 63		/* PostgreSQL's NAMEDATALEN - 1 */
#define REX_MAX_VARCHAR 10485760	/* PostgreSQL's varchar limit */
#define REX_MAX_NUMERIC_PRECISION 1000

typedef enum rex_type
{
	REX_T_ID,
	REX_T_UUID,
	REX_T_STRING,
	REX_T_TEXT,
	REX_T_INTEGER,
	REX_T_BIGINT,
	REX_T_FLOAT,
	REX_T_DECIMAL,
	REX_T_BOOLEAN,
	REX_T_TIMESTAMP,
	REX_T_DATE,
	REX_T_JSON,
	REX_T_BYTES,
	REX_T_ENUM
} rex_type;

#define REX_T_COUNT (REX_T_ENUM + 1)

typedef enum rex_default_kind
{
	REX_DEFAULT_NONE = 0,
	REX_DEFAULT_VALUE,			/* a constant, in default_value */
	REX_DEFAULT_NOW,			/* "now" for timestamp and date */
	REX_DEFAULT_GENERATED		/* id identity, uuid primary key */
} rex_default_kind;

/*
 * Validation rules ("validate" of a column; rules.c).  Each rule of a
 * column is one rex_rule; the value that parameterises it sits in the
 * member named for its kind.  Every rule is checked by validate() (and
 * the CRUD functions); where the engine's built-in SQL can say it, it is
 * also a CHECK constraint named <table>_<column>_<rule> (custom rules:
 * <table>_<column>_custom_<validator>), see rex_rule_constraint_name().
 */
typedef enum rex_rule_kind
{
	REX_RULE_REQUIRED,			/* not null; strings also not empty */
	REX_RULE_MIN_LENGTH,		/* length in characters >= length */
	REX_RULE_MAX_LENGTH,		/* length in characters <= length */
	REX_RULE_MIN,				/* number >= number */
	REX_RULE_MAX,				/* number <= number */
	REX_RULE_PATTERN,			/* string matches pattern (unanchored) */
	REX_RULE_FORMAT,			/* string is a format */
	REX_RULE_ENUM,				/* value is one of values */
	REX_RULE_CUSTOM				/* registered validator returns true */
} rex_rule_kind;

#define REX_RULE_COUNT (REX_RULE_CUSTOM + 1)

typedef enum rex_format
{
	REX_FORMAT_EMAIL,
	REX_FORMAT_UUID,
	REX_FORMAT_URL,
	REX_FORMAT_DATE,
	REX_FORMAT_DATE_TIME
} rex_format;

#define REX_FORMAT_COUNT (REX_FORMAT_DATE_TIME + 1)

typedef struct rex_rule
{
	rex_rule_kind kind;
	int64_t		length;			/* min_length, max_length */
	json_t	   *number;			/* min, max: a JSON integer or real */
	const char *pattern;		/* pattern: the portable regex as written */
	const char *pattern_sql;	/* pattern: the same regex for PostgreSQL's ~ */
	rex_format	format;			/* format */
	json_t	   *values;			/* enum: array of strings or integers */
	const char *validator;		/* custom: registered validator name */
	const char *message;		/* "messages" override, or NULL */
	const char *validator_sql;	/* custom: its SQL function, filled in at plan
								 * time on PostgreSQL (validators.c) */
} rex_rule;

/* Rule and format names as written in definitions, indexed by kind. */
extern const char *const rex_rule_names[REX_RULE_COUNT];
extern const char *const rex_format_names[REX_FORMAT_COUNT];

typedef struct rex_column
{
	const char *name;
	rex_type	type;
	bool		nullable;
	bool		unique;
	bool		primary_key;
	int			max_length;		/* string: 0 means unlimited */
	int			precision;		/* decimal: 0 means unconstrained */
	int			scale;
	const char **enum_values;
	int			n_enum_values;
	rex_default_kind default_kind;
	json_t	   *default_value;	/* canonical constant for REX_DEFAULT_VALUE */
	const char *description;
	rex_rule   *rules;			/* "validate", in rex_rule_kind order */
	int			nrules;
	const struct rex_relation *relation;	/* set on columns a relation added */
	const char *renamed_from;	/* previous name, for a rename (diff.c) */
} rex_column;

typedef struct rex_index
{
	const char *name;
	const char **columns;
	int			ncolumns;
	bool		unique;
	bool		from_column;	/* made for a column's "unique": true */
} rex_index;

/*
 * Relations ("relations" of an entity; relations.c).
 *
 * As written, a relation names its kind, the target entity and the
 * foreign-key column; which table holds that column depends on the kind:
 *	 belongs_to		here: foreign_key refers to target.references
 *	 has_one		on the target: target.foreign_key refers to
 *					this.references, and is unique
 *	 has_many		on the target, like has_one but not unique
 *	 many_to_many	on the join table "through": foreign_key refers to this
 *					entity's key, target_foreign_key to the target's key
 * references is the referenced key column (a primary key of one column or
 * a unique column); NULL means the primary key.  The two ends of one
 * foreign key may both be declared (user.posts has_many and post.author
 * belongs_to); they must then agree, and inverse names the other end.
 */
typedef enum rex_relation_kind
{
	REX_REL_BELONGS_TO,
	REX_REL_HAS_ONE,
	REX_REL_HAS_MANY,
	REX_REL_MANY_TO_MANY
} rex_relation_kind;

typedef enum rex_fk_action
{
	REX_FK_NO_ACTION,
	REX_FK_RESTRICT,
	REX_FK_CASCADE,
	REX_FK_SET_NULL
} rex_fk_action;

extern const char *const rex_relation_kind_names[4];
extern const char *const rex_fk_action_names[4];

typedef struct rex_relation
{
	const char *name;			/* key in "relations" */
	rex_relation_kind kind;
	const char *entity;			/* target entity */
	const char *foreign_key;	/* see above; always filled in */
	const char *references;		/* referenced key column, NULL = primary key */
	const char *target_foreign_key; /* many_to_many: join column to target */
	const char *through;		/* many_to_many: join table */
	const char *inverse;		/* the relation on the target, or NULL */
	rex_fk_action on_delete;	/* many_to_many: always cascade */
	rex_fk_action on_update;
	bool		nullable;		/* belongs_to: the generated column's */
	bool		nullable_given;
	struct rex_column *through_columns; /* many_to_many: extra columns */
	int			n_through_columns;
	bool		through_columns_as_array;
	const char *description;
} rex_relation;

/*
 * A foreign key as planned, after relations have been resolved across
 * entities (relations.c: rex_schema_resolve).  It lives in the entity
 * whose table holds 'column'.
 */
typedef struct rex_foreign_key
{
	const char *name;			/* constraint: <table>_<column>_fkey */
	const char *column;
	const char *ref_entity;
	const char *ref_table;
	const char *ref_schema;
	const char *ref_column;
	rex_fk_action on_delete;
	rex_fk_action on_update;
	const char *declared_by;	/* "user.posts", for messages */
	bool		deferred_on_pg; /* added by ALTER TABLE after the tables (a cycle) */
} rex_foreign_key;

typedef struct rex_entity
{
	const char *name;
	const char *table;
	const char *description;
	const char *plural;			/* "plural": plural name for the generated
								 * APIs (gql_names.c), or NULL */
	rex_column *columns;		/* in table order */
	int			ncolumns;
	const char **primary_key;	/* column names, in key order */
	int			npk;
	rex_index  *indexes;		/* unique columns first, then "indexes" */
	int			nindexes;
	bool		columns_as_array;	/* definition gave "columns" as an array */
	rex_relation *relations;	/* "relations", by name */
	int			nrelations;
	/* filled in by rex_schema_resolve (relations.c), not by parsing: */
	rex_foreign_key *fkeys;		/* foreign keys of this table */
	int			nfkeys;
	const char *schema;			/* PostgreSQL schema of the table, or NULL */
	const char *join_of;		/* join table: "entity.relation" that made it */
	json_t	   *warnings;		/* plan warnings about this entity, or NULL */
	struct rex_changes_opts *changes;	/* change capture (changes.h), or NULL */
} rex_entity;

/* Portable type names, indexed by rex_type. */
extern const char *const rex_type_names[REX_T_COUNT];

/*
 * Parses and validates a definition.  'name' is the entity name,
 * 'definition' the JSON text.  On success *out is the entity and
 * *canonical its canonical JSON (owned by ctx).  On failure the error
 * names the entity and the JSON path of the problem; nothing is kept.
 */
extern rex_status rex_definition_parse(rex_ctx *ctx, const char *name,
									   const char *definition,
									   rex_entity **out, json_t **canonical);

/* Rebuilds an entity from canonical JSON read back from the catalog. */
extern rex_status rex_definition_from_json(rex_ctx *ctx, const char *name,
										   json_t *canonical,
										   rex_entity **out);

/*
 * Every name the entity takes in the database's one namespace of
 * relations (tables, indexes, sequences): its table, its indexes, and the
 * names PostgreSQL gives its primary-key index and identity sequence.
 * In ctx's arena; *n receives the count.
 */
extern const char **rex_entity_relation_names(rex_ctx *ctx, const rex_entity *e, int *n);

/* Looks up a column by name; NULL when absent. */
extern const rex_column *rex_entity_column(const rex_entity *e, const char *name);

/* Looks up a relation by name; NULL when absent. */
extern const rex_relation *rex_entity_relation(const rex_entity *e, const char *name);

#endif							/* REX_MODEL_H */
