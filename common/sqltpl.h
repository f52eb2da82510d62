/*
 * sqltpl.h
 *		rex's own internal SQL, written once for both dialects.
 *
 * A template is PostgreSQL-looking SQL with a few markers that the
 * dialect fills in:
 *	 $N or $N::type		bound parameter N (SQLite drops the cast)
 *	 {name}				catalog table: rex.name or rex_name
 *	 {now}				the current time as rex's timestamp text
 *	 {user}				the current user as text (NULL on SQLite)
 *	 {engine}			the engine's name as a string literal
 *	 {binary}			a COLLATE clause for byte-wise ordering
 *	 {ts:column}		a catalog timestamp column as rex's timestamp text
 * Templates are constants of the core; no user text ever goes through
 * this expansion.
 */
#ifndef REX_SQLTPL_H
#define REX_SQLTPL_H

#include "rex.h"

/* Expands a template for ctx's dialect; NULL (and an error) on failure. */
extern const char *rex_sql(rex_ctx *ctx, const char *tpl);

#endif							/* REX_SQLTPL_H */
