#!/bin/sh
# run-tests.sh: run "make check" and summarise every individual check.
#
# Usage: tools/run-tests.sh [MAKE-ARGS...]      e.g. tools/run-tests.sh -j2
#
# Runs in the build directory (the current directory, or $BUILDDIR).  After
# make check it counts individual results, not test programs:
#   - Check unit tests: the "NN%: Checks: C, Failures: F, Errors: E" lines
#     of tests/unit/*.log (passed = C - F - E, failed = F + E);
#   - TAP scripts (tests/e2e/*.log): "ok" / "not ok" lines (SKIP counts as
#     passed, a "not ok ... # TODO" is not a failure);
#   - a test that automake marked FAIL/ERROR/XPASS with no failing check in
#     its log (crash, bad plan) counts as one failure, and so does a make
#     failure outside the tests (a build error).
# The logs of failing tests are shown (their tail) so CI output explains the
# failure.  The last line is always "N passed, N failed"; the exit status is
# make's.

BUILDDIR=${BUILDDIR:-.}
MAKE=${MAKE:-make}
TAIL_LINES=${TAIL_LINES:-60}

cd "$BUILDDIR" || exit 2
if [ ! -f Makefile ]; then
	echo "run-tests.sh: no Makefile in $(pwd) (run configure, or set BUILDDIR)" >&2
	echo "0 passed, 1 failed"
	exit 2
fi

# Logs of an earlier run must not be counted if this one stops before the
# tests (make check would remove them itself only when it gets that far).
rm -f tests/unit/*.log tests/unit/*.trs tests/e2e/*.log tests/e2e/*.trs

"$MAKE" check "$@"
status=$?

passed=0
failed=0
failing_logs=

for trs in tests/unit/*.trs tests/e2e/*.trs; do
	[ -f "$trs" ] || continue
	log=${trs%.trs}.log
	result=$(sed -n 's/^:test-result: *//p' "$trs" | head -n 1)

	# "P F" for this log: Check summary lines if any, else TAP lines.
	counts=$(awk '
		/^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
			gsub(/,/, "")
			c += $3; f += $5; e += $7; check = 1
			next
		}
		/^not ok/ {
			if ($0 ~ /#[ \t]*[Tt][Oo][Dd][Oo]/) tp++; else tf++
			next
		}
		/^ok/ { tp++ }
		END {
			if (check) print c - f - e, f + e
			else print tp + 0, tf + 0
		}' "$log" 2>/dev/null)
	[ -n "$counts" ] || counts="0 0"
	p=${counts% *}
	f=${counts#* }

	case $result in
	FAIL | ERROR | XPASS)
		[ "$f" -eq 0 ] && f=1
		failing_logs="$failing_logs $log"
		;;
	esac
	passed=$((passed + p))
	failed=$((failed + f))
done

for log in $failing_logs; do
	echo
	echo "==== $log (last $TAIL_LINES lines) ===="
	if [ -f "$log" ]; then tail -n "$TAIL_LINES" "$log"; else echo "(no log)"; fi
done

if [ "$status" -ne 0 ] && [ -z "$failing_logs" ]; then
	echo
	echo "run-tests.sh: make check failed (exit $status) outside the tests; see the output above"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
exit "$status"
