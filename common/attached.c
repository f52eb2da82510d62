/*
 * attached.c
 *		The generators of attached objects (see attached.h).
 */
#include "attached.h"
#include "changes.h"

#include <string.h>

/* One entry per feature that attaches objects to tables. */
static const rex_attached_fn generators[] = {
	rex_hooks_attached,			/* lifecycle hooks (hooks.c) */
	rex_changes_attached,		/* changes.c: capture triggers */
	NULL
};

rex_status
rex_attached_add(rex_ctx *ctx, rex_attached_list *list, const rex_attached *obj)
{
	if (list->n == list->cap)
	{
		int			cap = list->cap ? list->cap * 2 : 4;
		rex_attached *items = rex_alloc(ctx, sizeof(rex_attached) * (size_t) cap);

		if (items == NULL)
			return ctx->err.status;
		if (list->n)
			memcpy(items, list->items, sizeof(rex_attached) * (size_t) list->n);
		list->items = items;
		list->cap = cap;
	}
	list->items[list->n++] = *obj;
	return REX_OK;
}

rex_status
rex_attached_objects(rex_ctx *ctx, const char *schema, const rex_entity *e,
					 rex_attached_list *out)
{
	size_t		i;
	rex_status	st;

	memset(out, 0, sizeof(*out));
	for (i = 0; generators[i]; i++)
		if ((st = generators[i] (ctx, schema, e, out)) != REX_OK)
			return st;
	return REX_OK;
}
