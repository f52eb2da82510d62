/*
 * graphql_lex.h
 *		The GraphQL lexer (internal to the front end; graphql_parse.c and
 *		the unit tests use it).
 *
 * The lexer reads UTF-8 text one token at a time, skipping ignored tokens
 * (byte order mark, spaces, tabs, line terminators, commas, comments), and
 * keeps the line and column (in code points) of its position.  String
 * tokens are decoded here: escapes (including \u{...} and surrogate pairs)
 * for quoted strings, the indentation rule of the specification for block
 * strings.  A lexical error is appended to the error list with its
 * location; the lexer then stays on that error.
 */
#ifndef REX_GRAPHQL_LEX_H
#define REX_GRAPHQL_LEX_H

#include "graphql_ast.h"

typedef enum rex_gql_token_kind
{
	REX_GQL_TK_EOF,
	REX_GQL_TK_BANG,			/* ! */
	REX_GQL_TK_DOLLAR,			/* $ */
	REX_GQL_TK_AMP,				/* & */
	REX_GQL_TK_PAREN_L,			/* ( */
	REX_GQL_TK_PAREN_R,			/* ) */
	REX_GQL_TK_SPREAD,			/* ... */
	REX_GQL_TK_COLON,			/* : */
	REX_GQL_TK_EQUALS,			/* = */
	REX_GQL_TK_AT,				/* @ */
	REX_GQL_TK_BRACKET_L,		/* [ */
	REX_GQL_TK_BRACKET_R,		/* ] */
	REX_GQL_TK_BRACE_L,			/* { */
	REX_GQL_TK_PIPE,			/* | */
	REX_GQL_TK_BRACE_R,			/* } */
	REX_GQL_TK_NAME,
	REX_GQL_TK_INT,
	REX_GQL_TK_FLOAT,
	REX_GQL_TK_STRING,
	REX_GQL_TK_BLOCK_STRING
} rex_gql_token_kind;

typedef struct rex_gql_token
{
	rex_gql_token_kind kind;
	rex_gql_loc loc;
	const char *start;			/* the token as written */
	size_t		len;
	const char *value;			/* STRING and BLOCK_STRING: decoded, in
								 * the arena, NUL-terminated */
	size_t		value_len;
} rex_gql_token;

typedef struct rex_gql_lexer
{
	rex_ctx    *ctx;
	rex_gql_errors *errs;
	const unsigned char *p;		/* next byte to read */
	const unsigned char *end;
	int			line;			/* of p */
	int			col;			/* of p, in code points */
	int			ntokens;
	int			max_tokens;		/* 0: no limit */
	rex_gql_token tok;			/* the current token */
	rex_status	status;			/* REX_OK until an error */
} rex_gql_lexer;

/* Prepares to read 'len' bytes of 'text'; call rex_gql_lex_next next. */
extern void rex_gql_lexer_init(rex_gql_lexer *lx, rex_ctx *ctx,
							   rex_gql_errors *errs, const char *text,
							   size_t len, int max_tokens);

/*
 * Reads the next token into lx->tok.  REX_OK, or the error status (also
 * kept in lx->status; the error is in the list).  At the end of the text
 * the token is REX_GQL_TK_EOF, again and again.
 */
extern rex_status rex_gql_lex_next(rex_gql_lexer *lx);

/* How a message names a token: Name "foo", "{", <EOF>. */
extern const char *rex_gql_token_desc(rex_ctx *ctx, const rex_gql_token *tok);

/* How a message names a token kind: Name, "{", <EOF>. */
extern const char *rex_gql_token_kind_desc(rex_gql_token_kind kind);

/*
 * The value of a block string: the raw text between the triple quotes
 * (with \""" already replaced) with the common indentation of its lines
 * after the first removed and its blank first and last lines dropped
 * (BlockStringValue() of the specification).  In ctx's arena.
 */
extern char *rex_gql_block_string_value(rex_ctx *ctx, const char *raw,
										size_t len, size_t *out_len);

/*
 * Decodes one UTF-8 character at 's' (at most 'n' bytes available).
 * Returns its length in bytes and sets *cp, or returns 0 when the bytes
 * are not a valid encoding of a Unicode scalar value (overlong forms,
 * surrogates and values past U+10FFFF are invalid).
 */
extern int	rex_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif							/* REX_GRAPHQL_LEX_H */
