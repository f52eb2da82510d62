#!/usr/bin/env bash
# make bench: runs every benchmark suite (bench/<suite>/run.sh) in turn.
# Each suite compares rex_orm with plain SQL and with the tool a user would
# otherwise choose, side by side in one run, and writes its results to
# bench/results/.  Never part of "make test".  BENCH_ONLY="suite ..." runs
# some suites only.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
status=0
for suite in bench/*/run.sh; do
	[ -e "$suite" ] || continue
	name=$(basename "$(dirname "$suite")")
	[ "$name" = results ] && continue
	if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]; then
		continue
	fi
	echo "== bench: $name"
	bash "$suite" || { echo "bench $name failed"; status=1; }
done
exit $status
