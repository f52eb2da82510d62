#!/usr/bin/env bash
# bench/changes/run.sh -- change-capture benchmarks (run by "make bench").
#
#   SQLite: 200,000 inserts in 1000-row transactions and 20,000 single-row
#   transactions (WAL, synchronous NORMAL): plain table, rex capture, and a
#   hand-written json_object() trigger (sqlite_bench.c).
#   PostgreSQL: pgbench matrix (pg_bench.py): no capture, PL/pgSQL log
#   trigger, PL/pgSQL pg_notify trigger, rex with each notify mode;
#   single-row and 10-row INSERTs; 1, 2, 8 clients; synchronous_commit on
#   and off; delivery latency of the signals.
#
# Results go to bench/results/changes-<UTC time>.txt with the machine,
# versions and date.  Needs root (it installs the extension into
# PG_CONFIG's PostgreSQL and runs a throwaway cluster as postgres).
# Settings: BENCH_SECONDS (5), BENCH_REPS (3), BENCH_CLIENTS ("1 2 8"),
# BENCH_PG_PORT (55635), BENCH_SQLITE_REPS (5).
set -euo pipefail
cd "$(dirname "$0")/../.."
PG_CONFIG=${PG_CONFIG:-pg_config}
export PG_CONFIG
BINDIR=$($PG_CONFIG --bindir)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/changes-$STAMP.txt
TMP=$(mktemp -d /tmp/rex-bench-changes.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p bench/results

make -s install >/dev/null
gcc -O2 -Wall -Werror -o "$TMP/sqlite_bench" bench/changes/sqlite_bench.c -lsqlite3

{
	echo "# rex_orm change-capture benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "# commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "# machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs),"\
		"$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr)"
	echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share these CPUs)"
	echo "# PostgreSQL $($BINDIR/postgres --version | awk '{print $3}'), SQLite $(sqlite3 --version | cut -d' ' -f1)"
	echo
	echo "## SQLite"
} | tee "$OUT"
"$TMP/sqlite_bench" "$PWD/rex_orm" "$TMP" "${BENCH_SQLITE_REPS:-5}" | tee -a "$OUT"
echo | tee -a "$OUT"
echo "## PostgreSQL" | tee -a "$OUT"
/usr/bin/python3 bench/changes/pg_bench.py --bindir "$BINDIR" --port "${BENCH_PG_PORT:-55635}" \
	--out "$TMP/pg.txt" --seconds "${BENCH_SECONDS:-5}" --reps "${BENCH_REPS:-3}" \
	--clients "${BENCH_CLIENTS:-1 2 8}" >/dev/null
cat "$TMP/pg.txt" | tee -a "$OUT"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
echo "results in $OUT"
