/*
 * attached.h
 *		Objects rex generates around an entity's table: triggers and
 *		functions (change capture, lifecycle hooks...).
 *
 * They are "repeatable" objects: derived wholly from the entity's
 * definition, identified by name, and recreated whenever their SQL
 * changes -- never altered in place.  Planning compares the list for the
 * applied definition with the list for the desired one: a new name is
 * created, a missing name dropped, a changed one dropped and created
 * again.  A SQLite table rebuild recreates every one of them.
 *
 * Each feature adds one generator to the table in attached.c; a generator
 * appends the objects the entity needs (none when the feature is off).
 */
#ifndef REX_ATTACHED_H
#define REX_ATTACHED_H

#include "model.h"

typedef struct rex_attached
{
	const char *name;			/* unique per database, e.g. users_rex_capture */
	const char *kind;			/* "trigger", "function", ... */
	const char *feature;		/* which generator made it, e.g. "changes" */
	const char *create_sql;		/* one or more statements */
	const char *drop_sql;
} rex_attached;

typedef struct rex_attached_list
{
	rex_attached *items;
	int			n;
	int			cap;
} rex_attached_list;

/* A generator: appends e's objects of one feature to 'out'. */
typedef rex_status (*rex_attached_fn) (rex_ctx *ctx, const char *schema,
									   const rex_entity *e, rex_attached_list *out);

/* Every attached object of entity e (table in 'schema'), in a stable order. */
extern rex_status rex_attached_objects(rex_ctx *ctx, const char *schema,
									   const rex_entity *e, rex_attached_list *out);

/* Appends one object; strings must live in ctx's arena. */
extern rex_status rex_attached_add(rex_ctx *ctx, rex_attached_list *list,
								   const rex_attached *obj);

/* The generators (one per feature). */
extern rex_status rex_hooks_attached(rex_ctx *ctx, const char *schema,
									 const rex_entity *e, rex_attached_list *out);

#endif							/* REX_ATTACHED_H */
