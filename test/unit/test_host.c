/*
 * test_host.c
 *		Unit tests of the host seam for tests (host_std.c).
 */
#include "unit.h"
#include "rex_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void
test_alloc(void **state)
{
	char	   *p = rex_host_alloc(0);
	char	   *q = rex_host_alloc(100000);

	(void) state;
	assert_non_null(p);
	assert_non_null(q);
	memset(q, 1, 100000);
	rex_host_free(p);
	rex_host_free(q);
	rex_host_free(NULL);
}

/* Calls rex_host_log with stderr sent to a file; returns what it wrote. */
static const char *
logged(rex_ctx *ctx, int level, const char *message)
{
	FILE	   *tmp = tmpfile();
	int			saved;
	char		buf[256];
	size_t		n;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), 2) >= 0);
	rex_host_log(level, message);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	fclose(tmp);
	buf[n] = '\0';
	return rex_strdup(ctx, buf);
}

/* rex_host_log is silent unless REX_UNIT_LOG is set. */
static void
test_log(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	const char *before = getenv("REX_UNIT_LOG");
	char	   *saved = before ? rex_strdup(ctx, before) : NULL;
	const char *quiet;
	const char *info;
	const char *debug;

	unsetenv("REX_UNIT_LOG");
	quiet = logged(ctx, REX_LOG_INFO, "not shown");
	setenv("REX_UNIT_LOG", "1", 1);
	info = logged(ctx, REX_LOG_INFO, "step 1 took 2 ms");
	debug = logged(ctx, REX_LOG_DEBUG, "CREATE TABLE x");
	if (saved)
		setenv("REX_UNIT_LOG", saved, 1);
	else
		unsetenv("REX_UNIT_LOG");
	assert_string_equal(quiet, "");
	assert_string_equal(info, "rex: info: step 1 took 2 ms\n");
	assert_string_equal(debug, "rex: debug: CREATE TABLE x\n");
}

void
unit_register_host(unit_suite *s)
{
	unit_add(s, "host: malloc-backed allocation, size 0 included", test_alloc, NULL);
	unit_add(s, "host: rex_host_log writes to stderr only with REX_UNIT_LOG", test_log, NULL);
}
