#!/bin/sh
# run-tests.sh: run "make check" and summarise every individual check.
#
# Usage: tools/run-tests.sh [--sanitize] [MAKE-ARGS...]   e.g. tools/run-tests.sh -j2
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
#
# --sanitize: then build cassim a second time with AddressSanitizer and
# UndefinedBehaviorSanitizer and run the whole suite again in that build:
# out of tree, in $SANITIZE_DIR (default build-asan/ in the build
# directory), from a pristine copy of the sources (make distdir: configure
# refuses a second build of a configured source tree).  Later runs rebuild
# only what changed.  Any sanitizer report fails the test that triggered it
# (-fno-sanitize-recover).  LeakSanitizer is off for the commands, which
# exit right after an error without freeing (by design), and on for the
# fuzz targets (t0022: the parsers are library code).
#
# The logs of failing tests are shown (their tail) so CI output explains the
# failure.  The last line is always "N passed, N failed", over both builds
# with --sanitize; the exit status is make's (the first failing one).

SANITIZE_CFLAGS=${SANITIZE_CFLAGS:--O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined}
SANITIZE_LDFLAGS=${SANITIZE_LDFLAGS:--fsanitize=address,undefined}
sanitize=
if [ "${1:-}" = --sanitize ]; then
	sanitize=1
	shift
fi

BUILDDIR=${BUILDDIR:-.}
MAKE=${MAKE:-make}
TAIL_LINES=${TAIL_LINES:-60}

cd "$BUILDDIR" || exit 2
if [ ! -f Makefile ]; then
	echo "run-tests.sh: no Makefile in $(pwd) (run configure, or set BUILDDIR)" >&2
	echo "0 passed, 1 failed"
	exit 2
fi

passed=0
failed=0
failing_logs=
status=0

# suite LABEL [MAKE-ARGS...]: make check in the current directory, add its
# counts to passed/failed and its failing logs (as LABEL/log) to failing_logs.
suite() {
	label=$1
	shift
	# Logs of an earlier run must not be counted if this one stops before the
	# tests (make check would remove them itself only when it gets that far).
	rm -f tests/unit/*.log tests/unit/*.trs tests/e2e/*.log tests/e2e/*.trs

	"$MAKE" check "$@"
	st=$?
	[ "$status" -eq 0 ] && status=$st
	logs_before=$failing_logs

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
			failing_logs="$failing_logs $label/$log"
			;;
		esac
		passed=$((passed + p))
		failed=$((failed + f))
	done

	if [ "$st" -ne 0 ] && [ "$failing_logs" = "$logs_before" ]; then
		echo
		echo "run-tests.sh: make check failed (exit $st) in $label outside the tests; see the output above"
		failed=$((failed + 1))
	fi
}

top=$(pwd)
suite .
if [ -n "$sanitize" ]; then
	sdir=${SANITIZE_DIR:-$top/build-asan}
	case $sdir in /*) ;; *) sdir=$top/$sdir ;; esac
	echo "run-tests.sh: the suite again with AddressSanitizer + UndefinedBehaviorSanitizer in $sdir"
	if ! { mkdir -p "$sdir/build" && "$MAKE" -s distdir distdir="$sdir/src" >/dev/null &&
		cd "$sdir/build" &&
		{ [ -f Makefile ] || ../src/configure -q CFLAGS="$SANITIZE_CFLAGS" LDFLAGS="$SANITIZE_LDFLAGS"; }; }; then
		echo "run-tests.sh: cannot set up the sanitizer build in $sdir"
		failed=$((failed + 1))
		[ "$status" -eq 0 ] && status=2
	else
		ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
		export ASAN_OPTIONS UBSAN_OPTIONS
		suite "$sdir/build" "$@"
	fi
	cd "$top" || exit 2
fi

for log in $failing_logs; do
	echo
	echo "==== $log (last $TAIL_LINES lines) ===="
	if [ -f "$log" ]; then tail -n "$TAIL_LINES" "$log"; else echo "(no log)"; fi
done

echo "$passed passed, $failed failed"
exit "$status"
