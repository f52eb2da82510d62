/*
 * sqlite_bench.c
 *		SQLite insert throughput with and without change capture.
 *
 *	 sqlite_bench MODULE DIR [REPS]
 *
 * Modes, each on a fresh database in DIR (WAL, synchronous = NORMAL):
 *	 plain	a table and nothing else
 *	 rex	the same table defined through rex_orm with "changes": {} (row
 *			triggers in built-in SQL writing rex_changes)
 *	 naive	a hand-written AFTER INSERT trigger writing json_object(...) of
 *			the row into a change-log table (AUTOINCREMENT, as rex's)
 * Workloads: 200,000 inserts in transactions of 1000 rows, and 20,000
 * single-row transactions; a prepared INSERT of (integer, 200-byte text).
 * Prints one line per mode, workload and repetition, then medians.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this process (user + system): less sensitive to other load. */
static double
cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
check(int rc, sqlite3 *db, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
	{
		fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static void
exec(sqlite3 *db, const char *sql)
{
	char	   *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
	{
		fprintf(stderr, "%s\n  in: %.200s\n", err, sql);
		exit(1);
	}
}

static sqlite3 *
open_db(const char *dir, const char *mode, const char *module)
{
	char		path[512];
	sqlite3    *db;

	snprintf(path, sizeof(path), "%s/%s.db", dir, mode);
	remove(path);
	snprintf(path, sizeof(path), "%s/%s.db-wal", dir, mode);
	remove(path);
	snprintf(path, sizeof(path), "%s/%s.db-shm", dir, mode);
	remove(path);
	snprintf(path, sizeof(path), "%s/%s.db", dir, mode);
	check(sqlite3_open(path, &db), db, "open");
	exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
	if (strcmp(mode, "plain") == 0)
		exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a INTEGER, b TEXT) STRICT");
	else if (strcmp(mode, "naive") == 0)
	{
		exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a INTEGER, b TEXT) STRICT;"
			 "CREATE TABLE changelog (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT, op TEXT,"
			 " row TEXT, at TEXT);"
			 "CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO changelog (tbl, op, row, at)"
			 " VALUES ('t', 'insert', json_object('id', NEW.id, 'a', NEW.a, 'b', NEW.b),"
			 " strftime('%Y-%m-%dT%H:%M:%fZ', 'now')); END");
	}
	else
	{
		char	   *err = NULL;

		sqlite3_enable_load_extension(db, 1);
		if (sqlite3_load_extension(db, module, NULL, &err) != SQLITE_OK)
		{
			fprintf(stderr, "load %s: %s\n", module, err);
			exit(1);
		}
		exec(db, "SELECT rex_define_entity('t', '{\"columns\": [{\"name\": \"id\", \"type\": \"id\"},"
			 " {\"name\": \"a\", \"type\": \"bigint\"}, {\"name\": \"b\", \"type\": \"text\"}],"
			 " \"changes\": {}}')");
		exec(db, "SELECT rex_migrate()");
	}
	return db;
}

/*
 * Inserts n rows, 'per' rows per transaction; rows per second of wall
 * time, and in *cpu_rate rows per second of CPU time.
 */
static double
run(sqlite3 *db, int n, int per, double *cpu_rate)
{
	sqlite3_stmt *ins;
	char		text[201];
	double		t0,
				c0;
	int			i;

	memset(text, 'x', 200);
	text[200] = '\0';
	check(sqlite3_prepare_v2(db, "INSERT INTO t (a, b) VALUES (?1, ?2)", -1, &ins, NULL), db, "prepare");
	t0 = now();
	c0 = cpu();
	for (i = 0; i < n; i++)
	{
		if (i % per == 0)
			exec(db, "BEGIN");
		sqlite3_bind_int(ins, 1, i);
		sqlite3_bind_text(ins, 2, text, 200, SQLITE_STATIC);
		check(sqlite3_step(ins), db, "insert");
		sqlite3_reset(ins);
		if (i % per == per - 1)
			exec(db, "COMMIT");
	}
	sqlite3_finalize(ins);
	*cpu_rate = n / (cpu() - c0);
	return n / (now() - t0);
}

static int
cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static const char *modes[] = {"plain", "rex", "naive"};
	static const struct
	{
		const char *name;
		int			n;
		int			per;
	}			loads[] = {{"bulk_1000_per_tx", 200000, 1000}, {"single_row_tx", 20000, 1}};
	int			reps = argc > 3 ? atoi(argv[3]) : 3;
	double		med[3][2],
				cmed[3][2];
	int			m,
				l,
				r;

	if (argc < 3)
	{
		fprintf(stderr, "usage: %s MODULE DIR [REPS]\n", argv[0]);
		return 2;
	}
	printf("sqlite %s\n", sqlite3_libversion());
	for (l = 0; l < 2; l++)
		for (m = 0; m < 3; m++)
		{
			double		v[16],
						c[16];

			for (r = 0; r < reps && r < 16; r++)
			{
				sqlite3    *db = open_db(argv[2], modes[m], argv[1]);

				v[r] = run(db, loads[l].n, loads[l].per, &c[r]);
				printf("%s %s rep %d: %.0f rows/s wall, %.0f rows/s of CPU\n",
					   loads[l].name, modes[m], r + 1, v[r], c[r]);
				fflush(stdout);
				sqlite3_close(db);
			}
			qsort(v, r, sizeof(double), cmp);
			qsort(c, r, sizeof(double), cmp);
			med[m][l] = v[r / 2];
			cmed[m][l] = c[r / 2];
		}
	printf("\nmedians: workload mode wall_rows_per_s ratio_to_plain cpu_rows_per_s ratio_to_plain\n");
	for (l = 0; l < 2; l++)
		for (m = 0; m < 3; m++)
			printf("RESULT sqlite %s %s %.0f %.2f %.0f %.2f\n", loads[l].name, modes[m],
				   med[m][l], med[m][l] / med[0][l], cmed[m][l], cmed[m][l] / cmed[0][l]);
	return 0;
}
