/*
 * query_ast.h
 *		The JSON query language of rex_orm's CRUD functions (DESIGN section
 *		7): a query in C structures, and the parser that builds it.
 *
 * A query is a JSON object
 *
 *	 {"where": {...}, "order_by": [...], "limit": 10, "offset": 0,
 *	  "select": ["id", "name"], "include": {"posts": {...}}}
 *
 * for one entity, every key optional.  "where" is a filter:
 *
 *	 {"age": {"gte": 18, "lt": 65}, "name": {"like": "A%"},
 *	  "or": [{"role": "admin"}, {"email": {"isNull": true}}],
 *	  "not": {"id": {"in": [1, 2]}}}
 *
 * Keys of a filter are columns (with an object of operators, or a bare
 * value meaning eq, or null meaning isNull) and "and" / "or" (arrays of
 * filters) and "not" (a filter); keys at one level are combined with AND.
 * "and": [] is true, "or": [] is false.  Operators: eq neq gt gte lt lte
 * in nin like ilike isNull, each allowed for the column types where both
 * engines agree on its meaning (rex_query_op_allowed), each value checked
 * against the column's type and put in the canonical form rex stores
 * (lower-case UUIDs, UTC timestamps with milliseconds, decimals without
 * exponent).  "order_by" is a column name, an object {"column":
 * "direction"} with one key, or an array of those; directions are asc,
 * desc, asc_nulls_first, asc_nulls_last, desc_nulls_first and
 * desc_nulls_last (asc puts nulls last and desc first, as PostgreSQL does).
 * "include" maps relation names to true or to a nested query of the
 * related entity.
 *
 * Names are checked against the entity (rex_entity, model.h): columns
 * directly, relations through a resolver the caller provides (relations
 * are not part of the entity model yet; without a resolver, a name that is
 * no column is unknown).  Every error is REX_ERR_DEFINITION (22023) with
 * the message shape of definition errors -- entity "user": where.age.gtt:
 * unknown operator "gtt" -- and a hint listing what is accepted; nothing
 * is kept from a refused query.
 *
 * Memory: the query lives in the context's arena; JSON values in it are
 * owned by the context.
 */
#ifndef REX_QUERY_AST_H
#define REX_QUERY_AST_H

#include "model.h"

typedef enum rex_qop
{
	REX_QOP_EQ,
	REX_QOP_NEQ,
	REX_QOP_GT,
	REX_QOP_GTE,
	REX_QOP_LT,
	REX_QOP_LTE,
	REX_QOP_IN,
	REX_QOP_NIN,
	REX_QOP_LIKE,
	REX_QOP_ILIKE,
	REX_QOP_IS_NULL
} rex_qop;

#define REX_QOP_COUNT (REX_QOP_IS_NULL + 1)

/* Operator names as written in queries, indexed by rex_qop. */
extern const char *const rex_qop_names[REX_QOP_COUNT];

/* True when the operator applies to columns of the type. */
extern bool rex_query_op_allowed(rex_qop op, rex_type type);

typedef enum rex_qfilter_kind
{
	REX_QF_AND,					/* every item (none: true) */
	REX_QF_OR,					/* some item (none: false) */
	REX_QF_NOT,					/* items[0] is false */
	REX_QF_COMPARE				/* column op value */
} rex_qfilter_kind;

typedef struct rex_qfilter
{
	rex_qfilter_kind kind;
	const char *path;			/* JSON path, for messages: where.age.gt */
	struct rex_qfilter **items; /* AND, OR, NOT */
	int			nitems;
	const rex_column *column;	/* COMPARE */
	rex_qop		op;
	json_t	   *value;			/* COMPARE: the checked, canonical value:
								 * an array for in/nin, a boolean for isNull,
								 * a string for like/ilike; never null */
} rex_qfilter;

typedef struct rex_qorder
{
	const rex_column *column;
	bool		descending;
	bool		nulls_first;	/* always set: no engine default is relied on */
	const char *path;
} rex_qorder;

/* A relation as the resolver describes it. */
typedef struct rex_qrelation
{
	const char *name;
	const rex_entity *target;	/* the related entity */
	bool		to_many;		/* has_many, many_to_many */
	const void *data;			/* the resolver's own (the relation) */
} rex_qrelation;

typedef struct rex_query rex_query;

typedef struct rex_qinclude
{
	rex_qrelation relation;
	rex_query  *query;			/* of the related entity */
	const char *path;
} rex_qinclude;

struct rex_query
{
	const rex_entity *entity;
	rex_qfilter *where;			/* NULL: every row */
	rex_qorder *order_by;
	int			norder_by;
	int64_t		limit;			/* -1: none given */
	int64_t		offset;			/* 0 when none given */
	const rex_column **select;	/* the columns, in the order given */
	int			nselect;		/* 0: "select" not given (every column) */
	rex_qinclude *include;
	int			ninclude;
};

/*
 * Finds relations: given the entity and a name that is not one of its
 * columns, sets *out and returns REX_OK with *found true, or *found false
 * when the entity has no such relation.  'names' lists the relation names
 * of an entity for hints (may be NULL).
 */
typedef struct rex_query_resolver
{
	void	   *arg;
	rex_status	(*relation) (void *arg, rex_ctx *ctx, const rex_entity *e,
							 const char *name, rex_qrelation *out, bool *found);
	const char *(*names) (void *arg, rex_ctx *ctx, const rex_entity *e);
} rex_query_resolver;

typedef struct rex_query_limits
{
	int			max_depth;		/* nesting of and/or/not, and of include */
	int			max_list;		/* items of in/nin, and/or, order_by, select */
	int			max_nodes;		/* filter nodes in the whole query */
	int64_t		max_limit;		/* largest "limit" (0: no maximum) */
} rex_query_limits;

#define REX_QUERY_DEFAULT_MAX_DEPTH 16
#define REX_QUERY_DEFAULT_MAX_LIST 1000
#define REX_QUERY_DEFAULT_MAX_NODES 2000

extern rex_query_limits rex_query_limits_default(void);

/*
 * Parses a query for entity 'e'.  'query' is the JSON value (an object,
 * or JSON null for "no query": every row, every column).  'resolver' and
 * 'limits' may be NULL (columns only; the defaults).  REX_OK with *out
 * set, or an error in ctx (REX_ERR_DEFINITION for a bad query).
 */
extern rex_status rex_query_parse(rex_ctx *ctx, const rex_entity *e, json_t *query,
								  const rex_query_resolver *resolver,
								  const rex_query_limits *limits, rex_query **out);

/* The same from JSON text (REX_ERR_JSON when it is not JSON). */
extern rex_status rex_query_parse_text(rex_ctx *ctx, const rex_entity *e,
									   const char *text,
									   const rex_query_resolver *resolver,
									   const rex_query_limits *limits,
									   rex_query **out);

/*
 * Parses a filter alone (the "where" argument of update, delete and
 * count); 'path' names it in messages ("where").  JSON null gives *out
 * NULL (every row).
 */
extern rex_status rex_query_parse_where(rex_ctx *ctx, const rex_entity *e, json_t *where,
										const char *path,
										const rex_query_resolver *resolver,
										const rex_query_limits *limits,
										rex_qfilter **out);

/*
 * The query as canonical JSON (every part explicit: {"where", "order_by",
 * "limit", "offset", "select", "include"}), for tests and logs; owned by
 * ctx.
 */
extern json_t *rex_query_to_json(rex_ctx *ctx, const rex_query *q);
extern json_t *rex_qfilter_to_json(rex_ctx *ctx, const rex_qfilter *f);

#endif							/* REX_QUERY_AST_H */
