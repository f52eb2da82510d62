/*
 * clock.h
 *		Wall-clock text and elapsed time for history and log rows.
 */
#ifndef REX_CLOCK_H
#define REX_CLOCK_H

#include "rex.h"

/* Now as "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC) in ctx's arena. */
extern const char *rex_clock_text(rex_ctx *ctx);
/* A monotonic time in milliseconds, for durations. */
extern double rex_clock_ms(void);

#endif							/* REX_CLOCK_H */
