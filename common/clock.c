/*
 * clock.c
 *		Wall-clock text and elapsed time (see clock.h).
 */
#include "clock.h"

#include <time.h>

const char *
rex_clock_text(rex_ctx *ctx)
{
	struct timespec ts;
	struct tm	tm;
	char		s[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	return rex_psprintf(ctx, "%s.%03ldZ", s, ts.tv_nsec / 1000000);
}

double
rex_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}
