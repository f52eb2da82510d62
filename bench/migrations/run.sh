#!/usr/bin/env bash
# bench/migrations/run.sh -- migration benchmarks (see bench.py), called by
# bench/run.sh ("make bench").  Installs the tools it compares with from
# Debian (sqitch, sqlite-utils, the Perl drivers sqitch needs) when they
# are missing, builds rex_orm, starts a throwaway PostgreSQL cluster as the
# postgres user (as test/run.sh does; needs root), and writes
# bench/results/migrations.md.  BENCH_MIGRATIONS, BENCH_ROWS,
# BENCH_CHILDREN and BENCH_REPEAT scale it down for a quick look.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PG_CONFIG=${PG_CONFIG:-pg_config}
export PG_CONFIG
PGBIN=$($PG_CONFIG --bindir)
PORT=${REX_BENCH_PGPORT:-$(( ${REX_TEST_PGPORT:-55432} + 200 ))}

need=()
for p in sqitch libdbd-pg-perl libdbd-sqlite3-perl sqlite-utils sqlite3 postgresql-client time; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "bench/migrations: installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

make -s all >/dev/null
make -s install >/dev/null

PGDIR=$(mktemp -d /tmp/rex-bench-pg.XXXXXX)
chown postgres "$PGDIR"
cleanup() {
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$PGDIR"
}
trap cleanup EXIT
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/log" \
	-o "-p $PORT -k $PGDIR -c listen_addresses='' -c fsync=off" start >/dev/null
VERSION=$("$PGBIN/postgres" --version | awk '{print $3}')
export PATH="$PGBIN:$PATH"
mkdir -p bench/results
/usr/bin/python3 bench/migrations/bench.py "$ROOT/bench/results/migrations.md" "$ROOT/rex_orm" \
	"{\"host\": \"$PGDIR\", \"port\": $PORT, \"user\": \"postgres\", \"version\": \"$VERSION\"}"
