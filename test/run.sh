#!/usr/bin/env bash
# test/run.sh -- every test layer of rex_orm (run by "make test").
#
#   1. build checks: exported symbols of both modules
#   2. core unit tests in plain C (cmocka), and the same binary under valgrind
#   3. SQLite: scripts through the sqlite3 shell compared with expected
#      output, the same scripts under valgrind, Python's sqlite3 loading the
#      module
#   4. PostgreSQL: a throwaway cluster (started here as the postgres user on
#      a private port and socket directory, stopped at exit), make install,
#      pg_regress (sql/, expected/) and pgTAP through pg_prove
#   5. conformance: the same scenarios on both engines, JSON compared
#   6. reference: graphql-js, ajv and tsc check the generated schemas
#      (test/reference/run.py; tools from test/reference/install-tools)
#   7. fuzz: the libFuzzer targets of the parsers of untrusted text replay
#      their seed corpora, then run REX_FUZZ_SECONDS (default 15) each
#
# Each check counts once; the run ends with the line "N passed, N failed"
# and exits non-zero when anything failed.  Needs root (make install, and
# initdb through runuser) -- as in CI.  Set REX_TEST_ONLY to a
# space-separated list of layers (build unit sqlite pg conformance reference
# fuzz) to run
# only those.

set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/build/test
mkdir -p "$OUT"
PASSED=0
FAILED=0
FAILURES=()
PYTHON=/usr/bin/python3
PG_CONFIG=${PG_CONFIG:-pg_config}
export PG_CONFIG
PGBIN=$($PG_CONFIG --bindir)
PGPORT_TEST=${REX_TEST_PGPORT:-55432}

# pass|fail NAME [DETAIL]
pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() {
	FAILED=$((FAILED + 1)); FAILURES+=("$1"); echo "not ok - $1"
	[ -n "${2:-}" ] && sed 's/^/#   /' <<<"$2" | head -40
	return 0
}
check() { local name=$1; shift; if "$@" >"$OUT/last.log" 2>&1; then pass "$name"; else fail "$name" "$(cat "$OUT/last.log")"; fi; }

# Counts the TAP lines of a file: "ok" and "not ok" (subtests included).
count_tap() {
	local file=$1 prefix=$2 line
	while IFS= read -r line; do
		case "$line" in
			*"# TODO"*) echo "todo - $prefix: $line" ;;	# TAP: a known problem, neither pass nor fail
			"not ok "[0-9]*) FAILED=$((FAILED + 1)); FAILURES+=("$prefix: ${line#not ok }"); echo "not ok - $prefix: ${line#not ok }" ;;
			"ok "[0-9]*) PASSED=$((PASSED + 1)) ;;
		esac
	done < <(sed -E 's/^[[:space:]]+//' "$file")
}

want() { [ -z "${REX_TEST_ONLY:-}" ] || [[ " $REX_TEST_ONLY " == *" $1 "* ]]; }

echo "# 1. build checks"
if want build; then
	check "SQLite module exports sqlite3_rexorm_init" \
		bash -c "nm -D --defined-only rex_orm.so | grep -q ' T sqlite3_rexorm_init$'"
	check "SQLite module exports nothing else" \
		bash -c "[ \"\$(nm -D --defined-only rex_orm.so | grep -c ' T ')\" = 1 ]"
	check "PostgreSQL module exports its magic block" \
		bash -c "nm -D --defined-only build/pg/rex_orm.so | grep -q ' T Pg_magic_func$'"
	check "PostgreSQL module exports no core symbol" \
		bash -c "! nm -D --defined-only build/pg/rex_orm.so | grep ' T ' | grep -v -E ' (Pg_magic_func|_PG_init|pg_finfo_rex_pg_[a-z_]+|rex_pg_[a-z_]+)$'"
	check "PostgreSQL module does not bind json_object (the server has one)" \
		bash -c "! nm -D build/pg/rex_orm.so | grep -qw json_object"
fi

echo "# 2. core unit tests"
if want unit; then
	if make -s -f test/unit/unit.mk >"$OUT/unit-build.log" 2>&1; then
		CMOCKA_MESSAGE_OUTPUT=TAP build/unit/rex_unit >"$OUT/unit.tap" 2>&1
		count_tap "$OUT/unit.tap" "unit"
		check "unit tests are clean under valgrind" \
			valgrind -q --leak-check=full --error-exitcode=99 build/unit/rex_unit
	else
		fail "unit tests build" "$(cat "$OUT/unit-build.log")"
	fi
	# the migration core's own unit tests (differ, rebuild planner, lexer)
	if make -s -f test/unit/migrations/unit.mk >"$OUT/unit-mig-build.log" 2>&1; then
		CMOCKA_MESSAGE_OUTPUT=TAP build/unit-migrations/rex_unit_migrations >"$OUT/unit-mig.tap" 2>&1
		count_tap "$OUT/unit-mig.tap" "unit migrations"
		check "migration unit tests are clean under valgrind" \
			valgrind -q --leak-check=full --error-exitcode=99 build/unit-migrations/rex_unit_migrations
	else
		fail "migration unit tests build" "$(cat "$OUT/unit-mig-build.log")"
	fi
fi

echo "# 3. SQLite"
if want sqlite; then
	mkdir -p build/test-sqlite
	for script in test/sqlite/*.sql; do
		name=$(basename "$script" .sql)
		rm -f "build/test-sqlite/$name".db*
		sqlite3 "build/test-sqlite/$name.db" <"$script" >"$OUT/sqlite-$name.out" 2>&1
		if diff -u "test/sqlite/expected/$name.out" "$OUT/sqlite-$name.out" >"$OUT/sqlite-$name.diff"; then
			pass "sqlite script $name"
		else
			fail "sqlite script $name" "$(cat "$OUT/sqlite-$name.diff")"
		fi
		rm -f "build/test-sqlite/$name".db*
		if command -v valgrind >/dev/null; then
			check "sqlite script $name under valgrind" \
				bash -c "valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite sqlite3 build/test-sqlite/$name.db <$script >/dev/null 2>$OUT/vg-$name.log; rc=\$?; cat $OUT/vg-$name.log; [ \$rc != 99 ]"
		fi
	done
	# a C host with its own sqlite3_log callback: rex_config('log_level', ...)
	if ${CC:-cc} -Wall -Wextra -Werror -o "$OUT/log_harness" test/sqlite/log_harness.c -lsqlite3 >"$OUT/log_harness-build.log" 2>&1; then
		"$OUT/log_harness" "$ROOT/rex_orm" >"$OUT/log_harness.tap" 2>&1
		count_tap "$OUT/log_harness.tap" "sqlite log harness"
		grep -q -E '^1\.\.[1-9]' "$OUT/log_harness.tap" || fail "sqlite log harness ran" "$(cat "$OUT/log_harness.tap")"
	else
		fail "sqlite log harness builds" "$(cat "$OUT/log_harness-build.log")"
	fi
	for py in test/sqlite/*.py; do
		[ -e "$py" ] || continue
		$PYTHON "$py" "$ROOT/rex_orm" >"$OUT/$(basename "$py").tap" 2>&1
		count_tap "$OUT/$(basename "$py").tap" "python $(basename "$py")"
	done
fi

# ---------------------------------------------------------------- PostgreSQL
PGDIR=""
stop_cluster() {
	if [ -n "$PGDIR" ] && [ -f "$PGDIR/data/postmaster.pid" ]; then
		runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1
	fi
	[ -n "$PGDIR" ] && rm -rf "$PGDIR"
}
trap stop_cluster EXIT

start_cluster() {
	PGDIR=$(mktemp -d /tmp/rex-test-pg.XXXXXX)
	chown postgres "$PGDIR"
	runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -A trust -E UTF8 --locale=C.UTF-8 \
		>"$OUT/initdb.log" 2>&1 || return 1
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/log" \
		-o "-p $PGPORT_TEST -k $PGDIR -c listen_addresses='' -c fsync=off" start \
		>"$OUT/pg_ctl.log" 2>&1 || return 1
	export PGHOST=$PGDIR PGPORT=$PGPORT_TEST PGUSER=postgres PGDATABASE=postgres
}

if want pg || want conformance || want reference; then
	echo "# 4. PostgreSQL"
	if ! make -s install >"$OUT/install.log" 2>&1; then
		fail "make install" "$(tail -20 "$OUT/install.log")"
	elif ! start_cluster; then
		fail "start a throwaway PostgreSQL cluster" "$(cat "$OUT"/initdb.log "$OUT"/pg_ctl.log "$PGDIR/log" 2>/dev/null | tail -20)"
	else
		if want pg; then
			make -s installcheck >"$OUT/regress.log" 2>&1
			while read -r line; do
				case "$line" in
					*" ... ok"*) PASSED=$((PASSED + 1)) ;;
					*" ... FAILED"*) fail "pg_regress: $line" ;;
				esac
			done < <(grep -E '^(ok|not ok|test|     |    ) .*\.\.\. ' "$OUT/regress.log" || true)
			grep -q -E '\.\.\. (ok|FAILED)' "$OUT/regress.log" || fail "pg_regress ran" "$(tail -20 "$OUT/regress.log")"
			[ -f build/pg/regression.diffs ] && head -100 build/pg/regression.diffs
			psql -X -q -c "CREATE EXTENSION IF NOT EXISTS pgtap" -c "CREATE EXTENSION IF NOT EXISTS rex_orm" >"$OUT/pgtap-setup.log" 2>&1 || fail "pgTAP setup" "$(cat "$OUT/pgtap-setup.log")"
			pg_prove --verbose test/pgtap/*.sql >"$OUT/pgtap.log" 2>&1
			count_tap "$OUT/pgtap.log" "pgtap"
			grep -q "^Result: PASS" "$OUT/pgtap.log" || fail "pg_prove result" "$(tail -20 "$OUT/pgtap.log")"
			check "pg_dump keeps the catalog (restore, then migrate again)" bash test/pg_dump_roundtrip.sh
			# concurrent migrators, lock timeouts, a killed lock holder
			$PYTHON test/pg_concurrency.py "host=$PGDIR port=$PGPORT_TEST user=postgres" >"$OUT/pg_concurrency.tap" 2>&1
			count_tap "$OUT/pg_concurrency.tap" "pg concurrency"
			grep -q -E '^1\.\.[1-9]' "$OUT/pg_concurrency.tap" || fail "pg concurrency ran" "$(tail -20 "$OUT/pg_concurrency.tap")"
			for py in test/pg_python/*.py; do
				[ -e "$py" ] || continue
				timeout 300 $PYTHON "$py" >"$OUT/$(basename "$py").tap" 2>&1
				count_tap "$OUT/$(basename "$py").tap" "python $(basename "$py")"
				grep -q -E '^1\.\.[1-9]' "$OUT/$(basename "$py").tap" || fail "python $(basename "$py") ran" "$(tail -20 "$OUT/$(basename "$py").tap")"
			done
		fi
		if want conformance; then
			echo "# 5. conformance"
			$PYTHON test/conformance/run.py --sqlite-module "$ROOT/rex_orm" \
				--pg "host=$PGDIR port=$PGPORT_TEST user=postgres" >"$OUT/conformance.tap" 2>&1
			count_tap "$OUT/conformance.tap" "conformance"
			grep -q -E '^1\.\.[1-9]' "$OUT/conformance.tap" || fail "conformance ran" "$(tail -20 "$OUT/conformance.tap")"
			$PYTHON test/conformance/changes_runner.py --sqlite-module "$ROOT/rex_orm" \
				--pg "host=$PGDIR port=$PGPORT_TEST user=postgres" >"$OUT/conformance-changes.tap" 2>&1
			count_tap "$OUT/conformance-changes.tap" "conformance"
			grep -q -E '^1\.\.[1-9]' "$OUT/conformance-changes.tap" || fail "change-feed conformance ran" "$(tail -20 "$OUT/conformance-changes.tap")"
		fi
	fi
fi

echo "# 6. reference"
if want reference; then
	if [ ! -d test/reference/node_modules ] && ! bash test/reference/install-tools >"$OUT/reference-install.log" 2>&1; then
		fail "reference tools installed (test/reference/install-tools)" "$(tail -20 "$OUT/reference-install.log")"
	else
		REF_PG=()
		[ -n "$PGDIR" ] && [ -f "$PGDIR/data/postmaster.pid" ] && REF_PG=(--pg "host=$PGDIR port=$PGPORT_TEST user=postgres")
		$PYTHON test/reference/run.py --sqlite-module "$ROOT/rex_orm" "${REF_PG[@]}" \
			--out "$OUT/reference" >"$OUT/reference.tap" 2>&1
		count_tap "$OUT/reference.tap" "reference"
		grep -q -E '^1\.\.[1-9]' "$OUT/reference.tap" || fail "reference tests ran" "$(tail -20 "$OUT/reference.tap")"
	fi
fi

# ---------------------------------------------------------------- fuzz
if want fuzz; then
	echo "# 7. fuzz"
	if make -s -f test/fuzz/fuzz.mk >"$OUT/fuzz-build.log" 2>&1; then
		for t in graphql query definition; do
			mkdir -p "build/fuzz/work_$t"
			check "fuzz_$t replays its seed corpus clean" \
				"build/fuzz/fuzz_$t" -runs=0 "test/fuzz/corpus_$t"
			check "fuzz_$t runs ${REX_FUZZ_SECONDS:-15} s clean (ASan, UBSan)" \
				"build/fuzz/fuzz_$t" "build/fuzz/work_$t" "test/fuzz/corpus_$t" \
				-dict="test/fuzz/$t.dict" -max_total_time="${REX_FUZZ_SECONDS:-15}" \
				-artifact_prefix="build/fuzz/$t-" -print_final_stats=1
		done
	else
		fail "fuzz targets build" "$(tail -20 "$OUT/fuzz-build.log")"
	fi
fi

echo
if [ "$FAILED" -gt 0 ]; then
	echo "Failed:"
	printf '  %s\n' "${FAILURES[@]}"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
