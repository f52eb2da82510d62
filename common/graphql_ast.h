/*
 * graphql_ast.h
 *		The GraphQL front end: the syntax tree of an executable document,
 *		request errors in the shape the GraphQL specification gives them,
 *		the limits that bound a request, and the parser.
 *
 * Grammar: the executable documents of the GraphQL specification (October
 * 2021, section 2): operations (query, mutation, subscription -- the last
 * is parsed here and refused by the executor), variable definitions with
 * types, default values and directives, selection sets, fields with
 * aliases and arguments, every kind of value, named fragments, inline
 * fragments and directives.  Type-system definitions (SDL) are not part of
 * an executable document and are refused as syntax errors.
 *
 * Memory: every node, string and array of the tree lives in the arena of
 * the rex_ctx that parsed it and goes with it; nothing is freed on its own.
 * The tree is read-only once built, except for the fields marked "set by
 * validation", which rex_gql_validate() fills in.
 *
 * Errors: a document that is refused is not a failure of the call.  The
 * functions of the front end return REX_ERR_DEFINITION and append the
 * reasons to a rex_gql_errors list ({"message", "locations"} each, in the
 * order found), leaving ctx->err untouched so that the caller decides what
 * to do with them (rex.graphql() answers {"errors": [...]}).  Any other
 * status (REX_ERR_NOMEM) is recorded in ctx->err as usual.
 *
 * Locations count lines and columns from 1.  Lines end at LF, CR or CR LF;
 * columns count Unicode code points (graphql-js counts UTF-16 code units:
 * the two differ only after a character outside the Basic Multilingual
 * Plane on the same line).
 *
 * Nothing here touches a database or a schema: see graphql_validate.h for
 * the rules that need one and the interface through which they reach it.
 */
#ifndef REX_GRAPHQL_AST_H
#define REX_GRAPHQL_AST_H

#include "rex.h"

#include "json_util.h"

/* ---------------------------------------------------------------- */
/* limits */

/*
 * Bounds on the work one request may cause.  Every parser and validator of
 * the front end takes them; rex_gql_limits_default() gives safe values.  A
 * request over a limit is refused with a request error naming the limit.
 */
typedef struct rex_gql_limits
{
	size_t		max_bytes;		/* length of the document text */
	int			max_tokens;		/* lexical tokens in the document */
	int			max_depth;		/* nesting of selection sets, list and
								 * object values and list types */
	int			max_fields;		/* fields of one operation once every
								 * fragment is expanded (validation) */
	int			max_errors;		/* errors reported before giving up */
	int			max_merge_checks;	/* pairs compared by the field-merging
									 * rule (validation) */
} rex_gql_limits;

#define REX_GQL_DEFAULT_MAX_BYTES	(256 * 1024)
#define REX_GQL_DEFAULT_MAX_TOKENS	50000
#define REX_GQL_DEFAULT_MAX_DEPTH	64
#define REX_GQL_DEFAULT_MAX_FIELDS	10000
#define REX_GQL_DEFAULT_MAX_ERRORS	100
#define REX_GQL_DEFAULT_MAX_MERGE_CHECKS 200000

extern rex_gql_limits rex_gql_limits_default(void);

/* ---------------------------------------------------------------- */
/* request errors */

typedef struct rex_gql_loc
{
	int			line;			/* from 1; 0 when unknown */
	int			column;			/* from 1, in code points */
} rex_gql_loc;

typedef struct rex_gql_error
{
	const char *message;
	rex_gql_loc *locations;		/* may be empty */
	int			nlocations;
	json_t	   *path;			/* response path (field errors), or NULL */
	struct rex_gql_error *next;
} rex_gql_error;

/*
 * A list of request errors in the order found.  Zero-initialise it, or use
 * rex_gql_errors_init() to set the limit; once 'max' errors are listed, a
 * last error says the limit was reached and further errors are dropped.
 */
typedef struct rex_gql_errors
{
	rex_gql_error *first;
	rex_gql_error *last;
	int			count;
	int			max;			/* 0: no limit */
	bool		full;			/* the limit was reached */
} rex_gql_errors;

extern void rex_gql_errors_init(rex_gql_errors *errs, int max);

/*
 * Appends an error with up to two locations (pass NULL for none); more
 * locations can be added with rex_gql_error_add_loc on the returned error.
 * Returns the error (NULL when the list is full or memory ran out; the
 * latter is recorded in ctx->err).
 */
extern rex_gql_error *rex_gql_error_add(rex_ctx *ctx, rex_gql_errors *errs,
										const rex_gql_loc *loc1,
										const rex_gql_loc *loc2,
										const char *fmt,...)
			__attribute__((format(printf, 5, 6)));
extern void rex_gql_error_add_loc(rex_ctx *ctx, rex_gql_error *err,
								  rex_gql_loc loc);

/*
 * The list as the "errors" member of a GraphQL response: an array of
 * {"message", "locations": [{"line", "column"}], "path"} ("locations" and
 * "path" only when known).  Owned by ctx; NULL when out of memory.
 */
extern json_t *rex_gql_errors_json(rex_ctx *ctx, const rex_gql_errors *errs);

/* ---------------------------------------------------------------- */
/* the syntax tree */

typedef enum rex_gql_value_kind
{
	REX_GQL_VARIABLE,
	REX_GQL_INT,
	REX_GQL_FLOAT,
	REX_GQL_STRING,
	REX_GQL_BOOLEAN,
	REX_GQL_NULL,
	REX_GQL_ENUM,
	REX_GQL_LIST,
	REX_GQL_OBJECT
} rex_gql_value_kind;

typedef struct rex_gql_value rex_gql_value;

typedef struct rex_gql_object_field
{
	const char *name;
	rex_gql_loc loc;			/* of the name */
	rex_gql_value *value;
} rex_gql_object_field;

/*
 * A value as written.  'text' holds: the name of a variable (without '$'),
 * the digits of an Int or Float exactly as written, the decoded contents of
 * a String (UTF-8; 'len' bytes, which may include NUL from "\u0000"), or
 * the name of an enum value.
 */
struct rex_gql_value
{
	rex_gql_value_kind kind;
	rex_gql_loc loc;
	const char *text;			/* NUL-terminated as well */
	size_t		len;			/* bytes in text */
	bool		boolean;		/* REX_GQL_BOOLEAN */
	bool		block;			/* REX_GQL_STRING written as """block""" */
	rex_gql_value **items;		/* REX_GQL_LIST */
	int			nitems;
	rex_gql_object_field *fields;	/* REX_GQL_OBJECT, in document order */
	int			nfields;
};

typedef enum rex_gql_type_kind
{
	REX_GQL_TYPE_NAMED,
	REX_GQL_TYPE_LIST,
	REX_GQL_TYPE_NON_NULL
} rex_gql_type_kind;

/*
 * A type reference: "[Int!]!" is NON_NULL of LIST of NON_NULL of NAMED
 * "Int".  The schema interface (graphql_validate.h) describes the types of
 * fields and arguments with the same structure.
 */
typedef struct rex_gql_type
{
	rex_gql_type_kind kind;
	rex_gql_loc loc;
	const char *name;			/* REX_GQL_TYPE_NAMED */
	const struct rex_gql_type *of;	/* LIST and NON_NULL */
} rex_gql_type;

typedef struct rex_gql_argument
{
	const char *name;
	rex_gql_loc loc;			/* of the name */
	rex_gql_value *value;
} rex_gql_argument;

typedef struct rex_gql_directive
{
	const char *name;			/* without '@' */
	rex_gql_loc loc;			/* of the '@' */
	rex_gql_argument *args;
	int			nargs;
} rex_gql_directive;

typedef enum rex_gql_selection_kind
{
	REX_GQL_FIELD,
	REX_GQL_FRAGMENT_SPREAD,
	REX_GQL_INLINE_FRAGMENT
} rex_gql_selection_kind;

typedef struct rex_gql_selection rex_gql_selection;
typedef struct rex_gql_fragment rex_gql_fragment;

typedef struct rex_gql_selection_set
{
	rex_gql_loc loc;			/* of the '{' */
	rex_gql_selection *items;
	int			nitems;
} rex_gql_selection_set;

struct rex_gql_selection
{
	rex_gql_selection_kind kind;
	rex_gql_loc loc;			/* first token: the alias, the name or '...' */
	const char *alias;			/* FIELD: NULL when none */
	const char *name;			/* FIELD: the field; SPREAD: the fragment */
	rex_gql_loc name_loc;		/* FIELD and SPREAD: of the name */
	rex_gql_argument *args;		/* FIELD */
	int			nargs;
	rex_gql_directive *directives;
	int			ndirectives;
	const char *type_condition; /* INLINE_FRAGMENT: NULL when none */
	rex_gql_loc type_condition_loc;
	rex_gql_selection_set *selection_set;	/* NULL for a leaf field and a
											 * spread */
	rex_gql_fragment *fragment; /* SPREAD: set by validation */
};

typedef enum rex_gql_op_kind
{
	REX_GQL_QUERY,
	REX_GQL_MUTATION,
	REX_GQL_SUBSCRIPTION
} rex_gql_op_kind;

typedef struct rex_gql_variable_def
{
	const char *name;			/* without '$' */
	rex_gql_loc loc;			/* of the '$' */
	rex_gql_loc name_loc;		/* of the name */
	rex_gql_type *type;
	rex_gql_value *default_value;	/* NULL when none */
	rex_gql_directive *directives;
	int			ndirectives;
} rex_gql_variable_def;

typedef struct rex_gql_operation
{
	rex_gql_op_kind kind;
	const char *name;			/* NULL for an anonymous operation */
	rex_gql_loc loc;			/* of the keyword, or the '{' of a
								 * shorthand query */
	rex_gql_loc name_loc;
	rex_gql_variable_def *vars;
	int			nvars;
	rex_gql_directive *directives;
	int			ndirectives;
	rex_gql_selection_set *selection_set;
} rex_gql_operation;

struct rex_gql_fragment
{
	const char *name;
	rex_gql_loc loc;			/* of the keyword "fragment" */
	rex_gql_loc name_loc;
	const char *type_condition;
	rex_gql_loc type_condition_loc;
	rex_gql_directive *directives;
	int			ndirectives;
	rex_gql_selection_set *selection_set;
	int			index;			/* position among the fragments */
};

/* A whole document: its operations and fragments in document order. */
typedef struct rex_gql_document
{
	rex_gql_operation *ops;
	int			nops;
	rex_gql_fragment *frags;
	int			nfrags;
	int			ntokens;		/* tokens read, comments excluded */
} rex_gql_document;

/*
 * Parses 'text' ('len' bytes of UTF-8; it need not be NUL-terminated).
 * REX_OK with *out set, or REX_ERR_DEFINITION with one syntax error in
 * 'errs' (a message starting "Syntax Error: " and its location), or
 * REX_ERR_NOMEM.  Depth, size and token limits come from 'limits' (NULL:
 * the defaults); recursion never goes deeper than limits->max_depth.
 */
extern rex_status rex_gql_parse(rex_ctx *ctx, const char *text, size_t len,
								const rex_gql_limits *limits,
								rex_gql_document **out, rex_gql_errors *errs);

/*
 * The document as canonical one-line-per-definition GraphQL text
 * (graphql_print.c): operations, then fragments; no comments, strings
 * quoted.  Parsing it again gives the same text.  NULL on OOM.
 */
extern const char *rex_gql_print(rex_ctx *ctx, const rex_gql_document *doc);

/* "query", "mutation", "subscription" */
extern const char *rex_gql_op_kind_name(rex_gql_op_kind kind);

/* A type reference as GraphQL writes it ("[Int!]!"), in ctx's arena. */
extern const char *rex_gql_type_text(rex_ctx *ctx, const rex_gql_type *type);

/* The innermost named type of a reference ("Int" for "[Int!]!"). */
extern const char *rex_gql_type_base(const rex_gql_type *type);

/*
 * A value as GraphQL would print it (compact: [1, "a"], {a: $x}), in ctx's
 * arena, for messages; long values are shortened.
 */
extern const char *rex_gql_value_text(rex_ctx *ctx, const rex_gql_value *v);

#endif							/* REX_GRAPHQL_AST_H */
