#!/usr/bin/env bash
# bench/schemas/run.sh -- generation time of the schemas by catalog size (make bench).
#
# Builds and installs rex_orm (PG_CONFIG honoured), starts a throwaway
# PostgreSQL cluster (as the postgres user, private socket directory, port
# REX_BENCH_PGPORT, default 55491), runs bench/schemas/bench.py against it and
# an SQLite file, writes bench/results/schemas.md, and stops the cluster.
# Needs root, as make test does.
set -euo pipefail
cd "$(dirname "$0")/../.."
PG_CONFIG=${PG_CONFIG:-pg_config}
export PG_CONFIG
PGBIN=$($PG_CONFIG --bindir)
PORT=${REX_BENCH_PGPORT:-55491}
make -s all >/dev/null
make -s install >/dev/null
DIR=$(mktemp -d /tmp/rex-bench-pg.XXXXXX)
chown postgres "$DIR"
cleanup() {
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT
runuser -u postgres -- "$PGBIN/initdb" -D "$DIR/data" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/data" -w -l "$DIR/log" \
	-o "-p $PORT -k $DIR -c listen_addresses='' -c synchronous_commit=off" start >/dev/null
bash test/reference/install-tools >/dev/null
/usr/bin/python3 bench/schemas/bench.py --sqlite-module "$(pwd)/rex_orm" \
	--pg "host=$DIR port=$PORT user=postgres" \
	--pg-version "$($PGBIN/postgres --version)" --out bench/results/schemas.md
