/*
 * log_harness.c
 *		rex_config('log_level', ...) sends the SQL rex runs to sqlite3_log
 *		(TAP output).  A host program installs its log callback with
 *		sqlite3_config(SQLITE_CONFIG_LOG) before SQLite starts, which the
 *		sqlite3 shell and Python cannot do; so this is a small C program.
 *
 *	 log_harness /path/to/rex_orm
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char logbuf[1 << 20];
static size_t loglen;
static int	ntests;
static int	nfailed;

static void
on_log(void *arg, int code, const char *msg)
{
	size_t		n = strlen(msg);

	(void) arg;
	(void) code;
	if (loglen + n + 2 < sizeof(logbuf))
	{
		memcpy(logbuf + loglen, msg, n);
		loglen += n;
		logbuf[loglen++] = '\n';
		logbuf[loglen] = '\0';
	}
}

static void
ok(int cond, const char *what)
{
	ntests++;
	if (!cond)
		nfailed++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", ntests, what);
	if (!cond)
		printf("#   log so far:\n#   %.400s\n", logbuf);
}

/* Runs one statement returning text; NULL and the error in *err on failure. */
static char *
one(sqlite3 *db, const char *sql, char **err)
{
	sqlite3_stmt *stmt;
	char	   *out = NULL;

	*err = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
	{
		*err = strdup(sqlite3_errmsg(db));
		return NULL;
	}
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		out = strdup((const char *) sqlite3_column_text(stmt, 0));
	else if (sqlite3_errcode(db) != SQLITE_OK && sqlite3_errcode(db) != SQLITE_DONE)
		*err = strdup(sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
	return out;
}

int
main(int argc, char **argv)
{
	sqlite3    *db;
	char	   *err = NULL;
	char	   *v;

	if (argc < 2)
		return 2;
	sqlite3_config(SQLITE_CONFIG_LOG, on_log, NULL);
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return 2;
	sqlite3_enable_load_extension(db, 1);
	if (sqlite3_load_extension(db, argv[1], NULL, &err) != SQLITE_OK)
	{
		printf("Bail out! cannot load %s: %s\n", argv[1], err ? err : "?");
		return 1;
	}
	printf("1..9\n");
	v = one(db, "SELECT rex_config('log_level')", &err);
	ok(v && strcmp(v, "off") == 0, "log_level is off by default");
	free(v);
	free(one(db, "SELECT rex_define_entity('a', '{\"columns\": {\"id\": {\"type\": \"id\"}}}')", &err));
	free(one(db, "SELECT rex_migrate()", &err));
	ok(strstr(logbuf, "rex:") == NULL, "off: nothing is logged");

	v = one(db, "SELECT rex_config('log_level', 'info')", &err);
	ok(v && strcmp(v, "info") == 0, "rex_config sets info");
	free(v);
	free(one(db, "SELECT rex_define_entity('b', '{\"columns\": {\"id\": {\"type\": \"id\"}}}')", &err));
	free(one(db, "SELECT rex_migrate()", &err));
	ok(strstr(logbuf, "rex: migration entities_0002 step 1 (create_table): CREATE TABLE \"b\"") != NULL,
	   "info: each migration step's SQL goes to sqlite3_log");
	ok(strstr(logbuf, "rex_migrations") == NULL, "info: rex's own catalog SQL does not");

	loglen = 0;
	logbuf[0] = '\0';
	free(one(db, "SELECT rex_config('log_level', 'DEBUG')", &err));
	free(one(db, "SELECT rex_entities()", &err));
	ok(strstr(logbuf, "FROM rex_entities") != NULL, "debug: every statement rex runs is logged");

	free(one(db, "SELECT rex_config('log_level', 'loud')", &err));
	ok(err && strstr(err, "invalid value for log_level: \"loud\""), "a bad value is refused");
	free(err);
	free(one(db, "SELECT rex_config('colour', 'red')", &err));
	ok(err && strstr(err, "unknown setting \"colour\""), "an unknown setting is refused");
	free(err);
	v = one(db, "SELECT rex_config('log_level', 'off')", &err);
	loglen = 0;
	logbuf[0] = '\0';
	free(one(db, "SELECT rex_entities()", &err));
	ok(v && strcmp(v, "off") == 0 && loglen == 0, "and off again");
	free(v);
	sqlite3_close(db);
	return nfailed ? 1 : 0;
}
