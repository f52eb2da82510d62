/*
 * gql_schema.h
 *		The GraphQL schema of the catalog as a model in the core: built once
 *		from the resolved entities, printed as SDL (gql_print.c), and walked
 *		by whoever executes GraphQL or answers introspection.
 *
 * Shape (DESIGN.md section 7), for entity "user" (plural "users"):
 *
 *	 type User             columns, then relations (list relations with
 *	                       where/orderBy/limit/offset and a <relation>Count)
 *	 input UserWhere       one <Scalar>Filter per column, then and/or/not
 *	 input UserOrderBy     one SortDirection per orderable column
 *	 input UserCreateInput every column; non-null where a value is needed
 *	 input UserUpdateInput every column but the primary key, all optional
 *	 enum UserRole         one per enum column (values mapped to names)
 *	 Query.user(<key>): User, users(where, orderBy, limit, offset): [User!]!,
 *	   usersCount(where): Int!
 *	 Mutation.createUser(data): User!, createUsers(data): [User!]!,
 *	   updateUser(<key>, data): User, deleteUser(<key>): User
 *
 * Everything here lives in the arena of the context that built it and
 * points into the rex_schema it was built from (entities, columns,
 * relations): keep both alive while the model is used.  Nothing is
 * freed on its own.
 *
 * Walking the model (an executor, introspection):
 *	 - rex_gql_schema.types lists every named type in print order; built-in
 *	   scalars are there too (builtin = true; String and Boolean always,
 *	   Int, Float and ID when something uses them) but are not printed.
 *	 - A type's fields are its fields (OBJECT) or its input fields
 *	   (INPUT_OBJECT), in order; an object field's arguments are in args.
 *	 - Every field, argument and input field says what it stands for
 *	   (role) and points at the entity, column or relation concerned, so
 *	   that a query can be compiled to SQL from the model alone.
 *	 - Enum types of enum columns map each GraphQL name to the stored
 *	   value (rex_gql_enum_value.value); coerce through them both ways.
 * Serialisation of the custom scalars (descriptions say it too):
 *	 ID: a string (spec); the JSON number of an id column as text
 *	 BigInt: a JSON number (values beyond 2^53 lose precision in
 *	   JavaScript); Decimal: a string such as "12.50"; DateTime:
 *	   "2026-01-31T12:00:00.000Z"; Date: "2026-01-31"; UUID: lower-case
 *	   text; JSON: any JSON value; Bytes: base64 text.
 * SortDirection: ASC puts nulls last, DESC puts them first (PostgreSQL's
 * default), on both engines.
 */
#ifndef REX_GQL_SCHEMA_H
#define REX_GQL_SCHEMA_H

#include "relations.h"
#include "rex_buf.h"

typedef enum rex_gql_kind
{
	REX_GQL_SCALAR,
	REX_GQL_OBJECT,
	REX_GQL_INPUT_OBJECT,
	REX_GQL_ENUM
} rex_gql_kind;

/* The scalars the schema uses (built-in ones first). */
typedef enum rex_gql_scalar
{
	REX_GQL_ID,
	REX_GQL_STRING,
	REX_GQL_INT,
	REX_GQL_FLOAT,
	REX_GQL_BOOLEAN,
	REX_GQL_BIGINT,
	REX_GQL_DECIMAL,
	REX_GQL_DATETIME,
	REX_GQL_DATE,
	REX_GQL_JSON,
	REX_GQL_UUID,
	REX_GQL_BYTES,
	REX_GQL_NOT_SCALAR			/* an enum column's own enum type */
} rex_gql_scalar;

#define REX_GQL_SCALAR_COUNT REX_GQL_NOT_SCALAR

/* What a named type stands for. */
typedef enum rex_gql_type_role
{
	REX_GQL_T_SCALAR,			/* scalar: see rex_gql_type.scalar */
	REX_GQL_T_ENTITY,			/* object type of an entity's rows */
	REX_GQL_T_WHERE,			/* <Entity>Where */
	REX_GQL_T_ORDER_BY,			/* <Entity>OrderBy */
	REX_GQL_T_CREATE,			/* <Entity>CreateInput */
	REX_GQL_T_UPDATE,			/* <Entity>UpdateInput */
	REX_GQL_T_FILTER,			/* <Scalar>Filter or <Enum>Filter */
	REX_GQL_T_COLUMN_ENUM,		/* enum of an enum column */
	REX_GQL_T_SORT_DIRECTION,	/* enum SortDirection { ASC DESC } */
	REX_GQL_T_QUERY,
	REX_GQL_T_MUTATION
} rex_gql_type_role;

/* What a field, argument or input field stands for. */
typedef enum rex_gql_field_role
{
	REX_GQL_F_COLUMN,			/* entity/where/order-by/create/update field */
	REX_GQL_F_RELATION,			/* object field of a relation */
	REX_GQL_F_RELATION_COUNT,	/* <relation>Count of a list relation */
	REX_GQL_F_AND,				/* where: and: [Where!] */
	REX_GQL_F_OR,				/* where: or: [Where!] */
	REX_GQL_F_NOT,				/* where: not: Where */
	REX_GQL_F_OP,				/* filter input field: see op */
	REX_GQL_F_GET,				/* Query.user(<key>) */
	REX_GQL_F_LIST,				/* Query.users(...) */
	REX_GQL_F_COUNT,			/* Query.usersCount(where) */
	REX_GQL_F_CREATE,			/* Mutation.createUser(data) */
	REX_GQL_F_CREATE_MANY,		/* Mutation.createUsers(data) */
	REX_GQL_F_UPDATE,			/* Mutation.updateUser(<key>, data) */
	REX_GQL_F_DELETE,			/* Mutation.deleteUser(<key>) */
	REX_GQL_F_ARG_KEY,			/* argument: one primary-key column */
	REX_GQL_F_ARG_WHERE,
	REX_GQL_F_ARG_ORDER_BY,
	REX_GQL_F_ARG_LIMIT,
	REX_GQL_F_ARG_OFFSET,
	REX_GQL_F_ARG_DATA,
	REX_GQL_F_PLACEHOLDER		/* Query._empty: Boolean, only with no entity */
} rex_gql_field_role;

/* Filter operators, in the order they are printed. */
typedef enum rex_gql_op
{
	REX_GQL_OP_EQ,
	REX_GQL_OP_NEQ,
	REX_GQL_OP_GT,
	REX_GQL_OP_GTE,
	REX_GQL_OP_LT,
	REX_GQL_OP_LTE,
	REX_GQL_OP_IN,				/* [T!] */
	REX_GQL_OP_NIN,				/* [T!] */
	REX_GQL_OP_LIKE,			/* String only: SQL LIKE, case-sensitive */
	REX_GQL_OP_ILIKE,			/* String only: LIKE ignoring case */
	REX_GQL_OP_IS_NULL			/* Boolean: true = is null, false = is not */
} rex_gql_op;

#define REX_GQL_OP_COUNT (REX_GQL_OP_IS_NULL + 1)

extern const char *const rex_gql_op_names[REX_GQL_OP_COUNT];

struct rex_gql_type;

/*
 * A reference to a type: named, named!, [named], [named!], [named]! or
 * [named!]! -- every shape the schema uses.
 */
typedef struct rex_gql_typeref
{
	const struct rex_gql_type *type;
	bool		list;
	bool		item_non_null;	/* list items are non-null */
	bool		non_null;		/* the whole value is non-null */
} rex_gql_typeref;

typedef struct rex_gql_field
{
	const char *name;
	const char *description;	/* or NULL */
	rex_gql_typeref type;
	struct rex_gql_field *args; /* object fields: arguments, in order */
	int			nargs;
	rex_gql_field_role role;
	rex_gql_op	op;				/* REX_GQL_F_OP */
	const rex_entity *entity;	/* the entity concerned (its rows, its key) */
	const rex_column *column;	/* COLUMN, ARG_KEY */
	const rex_relation *relation;	/* RELATION, RELATION_COUNT */
	const rex_entity *target;	/* RELATION(_COUNT): the related entity */
} rex_gql_field;

typedef struct rex_gql_enum_value
{
	const char *name;			/* GraphQL name */
	const char *description;	/* or NULL */
	const char *value;			/* column enums: the stored value */
} rex_gql_enum_value;

typedef struct rex_gql_type
{
	rex_gql_kind kind;
	const char *name;
	const char *description;	/* or NULL */
	const char *specified_by;	/* scalars: @specifiedBy(url:), or NULL */
	bool		builtin;		/* Int, Float, String, Boolean, ID */
	rex_gql_field *fields;		/* OBJECT: fields; INPUT_OBJECT: input fields */
	int			nfields;
	rex_gql_enum_value *values; /* ENUM */
	int			nvalues;
	rex_gql_type_role role;
	rex_gql_scalar scalar;		/* SCALAR: which; FILTER: the scalar it
								 * filters (REX_GQL_NOT_SCALAR for an enum) */
	const struct rex_gql_type *operand; /* FILTER: the type its operators take */
	const rex_entity *entity;	/* entity types, column enums */
	const rex_column *column;	/* column enums */
} rex_gql_type;

typedef struct rex_gql_schema
{
	rex_gql_type **types;		/* every named type, in print order */
	int			ntypes;
	const rex_gql_type *query;
	const rex_gql_type *mutation;	/* NULL when there is no entity */
	const rex_schema *source;	/* what the model was built from */
	rex_gql_type **sorted;		/* the same, by name (lookups) */
} rex_gql_schema;

/*
 * Builds the model from a resolved schema (rex_schema_load).  Entities
 * are taken in the order of s->entities (the catalog's: by name).  A
 * relation whose target is not defined is left out.  Fails with
 * REX_ERR_DEFINITION when two things would get the same GraphQL name
 * (define_entity refuses that before it can happen, see
 * rex_gql_check_names).
 */
extern rex_status rex_gql_schema_build(rex_ctx *ctx, const rex_schema *s,
									   rex_gql_schema **out);
/* Loads the catalog (rex_schema_load) and builds the model from it. */
extern rex_status rex_gql_schema_load(rex_ctx *ctx, rex_gql_schema **out);

/* Lookups; NULL when absent. */
extern const rex_gql_type *rex_gql_type_find(const rex_gql_schema *g, const char *name);
/* A field (OBJECT) or input field (INPUT_OBJECT) of t by name. */
extern const rex_gql_field *rex_gql_field_find(const rex_gql_type *t, const char *name);
extern const rex_gql_field *rex_gql_arg_find(const rex_gql_field *f, const char *name);
extern const rex_gql_enum_value *rex_gql_enum_by_name(const rex_gql_type *t, const char *name);
extern const rex_gql_enum_value *rex_gql_enum_by_value(const rex_gql_type *t, const char *value);
/* The object type of an entity's rows. */
extern const rex_gql_type *rex_gql_entity_type(const rex_gql_schema *g, const char *entity);

/* "[User!]!" */
extern const char *rex_gql_typeref_text(rex_ctx *ctx, const rex_gql_typeref *r);

/* The SDL text of the model (gql_print.c). */
extern rex_status rex_gql_print_sdl(rex_ctx *ctx, const rex_gql_schema *g, const char **out);

/* ---------------------------------------------------------------- */
/* Names (gql_names.c), shared by GraphQL, JSON Schema and TypeScript */

/*
 * The names an entity gives the generated APIs.  Types: User, UserWhere,
 * UserOrderBy, UserCreateInput, UserUpdateInput (GraphQL and JSON
 * Schema), UserRelations, UserWith, UserKey, UserChangeEvent
 * (TypeScript).  Query fields: user, users, usersCount.  Mutation
 * fields: createUser, createUsers, updateUser, deleteUser.
 */
typedef struct rex_gql_names
{
	const char *type;
	const char *where;
	const char *order_by;
	const char *create_input;
	const char *update_input;
	const char *ts_relations;
	const char *ts_with;
	const char *ts_key;
	const char *ts_change;
	const char *get;
	const char *list;
	const char *count;
	const char *create;
	const char *create_many;
	const char *update;
	const char *delete;
} rex_gql_names;

/*
 * PascalCase of an identifier: split at '_', each part's first letter
 * upper-cased, the rest kept ("blog_post" -> "BlogPost"); a leading digit
 * gets a '_'.  NULL when the name has nothing but underscores.
 */
extern const char *rex_gql_pascal(rex_ctx *ctx, const char *ident);
/* The same with the first letter lower-cased ("blog_post" -> "blogPost"). */
extern const char *rex_gql_camel(rex_ctx *ctx, const char *ident);
/* English plural of an identifier: +es after s x z ch sh, y -> ies after
 * a consonant, +s otherwise. */
extern const char *rex_gql_english_plural(rex_ctx *ctx, const char *ident);
/* The names of an entity named 'name' with "plural" 'plural' (or NULL). */
extern rex_status rex_gql_entity_names(rex_ctx *ctx, const char *name, const char *plural,
									   rex_gql_names *out);
/* Enum type of column c of entity 'entity': UserRole. */
extern const char *rex_gql_enum_type_name(rex_ctx *ctx, const char *entity,
										  const char *column);
/*
 * GraphQL name of an enum value: the value itself when it is a GraphQL
 * name; otherwise every character other than a letter, digit or '_'
 * becomes '_', a leading digit gets a '_', and true, false and null get a
 * trailing '_'.  NULL when the result would start with "__".
 */
extern const char *rex_gql_enum_value_name(rex_ctx *ctx, const char *value);

/*
 * define_entity's check of the names the generated APIs would give entity
 * e: its columns and relations (no "__" prefix, no column named and, or,
 * not; no <relation>Count that is also a field), and its type and field
 * names against reserved names and every other defined entity's
 * ('rows'/'n' from the catalog).  Refuses with REX_ERR_DEFINITION naming
 * both entities.
 */
struct rex_entity_row;
extern rex_status rex_gql_check_names(rex_ctx *ctx, const struct rex_entity_row *rows,
									  int n, const rex_entity *e);

#endif							/* REX_GQL_SCHEMA_H */
