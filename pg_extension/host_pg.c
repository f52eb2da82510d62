/*
 * host_pg.c
 *		The host seam on PostgreSQL: palloc in the current memory context.
 *
 * Allocation failures return NULL (MCXT_ALLOC_NO_OOM) instead of raising,
 * so the core sees them as REX_ERR_NOMEM.  jansson is pointed at the same
 * allocator: every JSON value the core builds during a call lives in the
 * call's memory context, so an error that jumps over the core leaks
 * nothing.
 */
#include "rex_pg.h"

#include "utils/memutils.h"

#include "json_util.h"

#include "rex_host.h"

void *
rex_host_alloc(size_t size)
{
	return MemoryContextAllocExtended(CurrentMemoryContext, size ? size : 1,
									  MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

void
rex_host_free(void *ptr)
{
	if (ptr)
		pfree(ptr);
}

/*
 * Both levels go to the server log (LOG): rex.log_level chooses what is
 * sent (info: migration steps; debug: every statement rex runs), and
 * log_min_messages should not have to be lowered to see it.
 */
void
rex_host_log(int level, const char *message)
{
	ereport(LOG,
			(errmsg_internal("rex%s: %s", level == REX_LOG_DEBUG ? " (debug)" : "", message),
			 errhidestmt(true)));
}

static void *
json_palloc(size_t size)
{
	return rex_host_alloc(size);
}

static void
json_pfree(void *ptr)
{
	rex_host_free(ptr);
}

void
rex_pg_init_json(void)
{
	json_set_alloc_funcs(json_palloc, json_pfree);
}
