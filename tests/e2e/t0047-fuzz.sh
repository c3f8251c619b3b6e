#!/bin/sh
# t0047-fuzz: the short deterministic fuzz pass.  Every fuzz target
# (tests/fuzz/, one per input parser) replays its committed corpus
# (tests/fuzz/corpus/TARGET/) plus a fixed number of seeded mutations of
# each file; a crash, an abort, a sanitizer report (the ASan+UBSan build of
# tools/run-tests.sh --sanitize) or an input taking over 20 s of CPU time
# fails the target's test, and the input is saved and named.
# A few seconds in all on the plain build.  FUZZ_MUTATIONS=N overrides the
# per-target counts (a longer pass); tests/fuzz/README.md has real campaigns.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_BUILDDIR:=$(dirname "$CASSIM")}"
FUZZ=$CASSIM_BUILDDIR/tests/fuzz
CORPUS=$CASSIM_SRCDIR/tests/fuzz/corpus
# strides in sweep plans name shipped topologies
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR

if [ -n "${FUZZ_ENGINE:-}" ]; then
	skip "fuzz pass" "targets built for a fuzzing engine ($FUZZ_ENGINE); see tests/fuzz/README.md"
	done_testing
	exit 0
fi

# The parsers are library code that a command may call many times: unlike
# the commands (which exit right after an error), they must not leak, so
# LeakSanitizer stays on here in sanitizer builds.
# Reports go to files ($TMP/san.PID), shown when a target fails: topo.c
# silences stderr while libhwloc loads a file.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:log_path=$TMP/san"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TMP/san"
export ASAN_OPTIONS UBSAN_OPTIONS

# fuzz TARGET MUTATIONS: replay the corpus of TARGET plus MUTATIONS
# mutations of each file (seed 1).
fuzz() {
	t=$1
	n=${FUZZ_MUTATIONS:-$2}
	rm -f "$TMP"/san.*
	nfiles=$(find "$CORPUS/$t" -type f | wc -l)
	if [ ! -x "$FUZZ/fuzz_$t" ]; then
		not_ok "fuzz_$t: corpus and $n mutations each" "no $FUZZ/fuzz_$t (make check builds it)"
		return
	fi
	if [ "$nfiles" -lt 3 ]; then
		not_ok "fuzz_$t: corpus and $n mutations each" "corpus $CORPUS/$t has $nfiles files"
		return
	fi
	(cd "$TMP" && FUZZ_ARTIFACT_DIR=$TMP "$FUZZ/fuzz_$t" -n "$n" -s 1 -t 20 "$CORPUS/$t") \
		>"$TMP/$t.out" 2>"$TMP/$t.err"
	rc=$?
	runs=$((nfiles * (n + 1)))
	if [ "$rc" -ne 0 ]; then
		not_ok "fuzz_$t: corpus and $n mutations each" "exit status $rc" \
			"$(tail -n 40 "$TMP/$t.err")" "$(cat "$TMP"/san.* 2>/dev/null | head -n 60)" \
			"saved inputs: $(ls "$TMP" | grep -E '^(crash|timeout)-' | tr '\n' ' ')"
		# keep what reproduces it
		for f in "$TMP"/crash-* "$TMP"/timeout-*; do
			[ -f "$f" ] && cp "$f" "$CASSIM_BUILDDIR/" 2>/dev/null && diag "copied to $CASSIM_BUILDDIR/${f##*/}"
		done
	elif ! grep -q "^.*fuzz_$t: $nfiles inputs, $runs runs " "$TMP/$t.out"; then
		not_ok "fuzz_$t: corpus and $n mutations each" "expected $nfiles inputs and $runs runs, got:" \
			"$(cat "$TMP/$t.out")"
	else
		ok "fuzz_$t: $nfiles corpus files and $n mutations each ($runs runs)"
	fi
}

fuzz wl 20
fuzz rtapp 100
fuzz topo 20
fuzz sweep 50
fuzz validate 30
fuzz import 100
fuzz csv 100

# Files on which fuzz_topo found libhwloc 2.9 itself crashing (lstopo too):
# libxml-bitmap-set.xml in its libxml2 import, minimal-bitmap-or.xml in its
# own XML reader (HWLOC_LIBXML_IMPORT=0).  cassim parses XML in a child
# process (sim/hw/topo.c), so it answers with exit 2 and one line whatever
# libhwloc does.
for f in "$CASSIM_SRCDIR"/tests/fuzz/hwloc-crashes/*.xml; do
	for libxml in 1 0; do
		expect_exit 2 "cassim topo ${f##*/} (HWLOC_LIBXML_IMPORT=$libxml): exit 2, not a crash" \
			env HWLOC_LIBXML_IMPORT=$libxml "$CASSIM" topo "$f"
		expect_one_line_stderr "... one line" "${f##*/}"
	done
done

# Found by fuzz_topo with libhwloc's own reader, which accepts what its
# libxml2 import refuses: a PU without os_index (os2cpu[-1]) and a PU outside
# its core's cpuset (core_cpus[-1]).  Bad input, exit 2, one line.
for case in "pu-without-os-index:a PU without os_index" \
	"pu-outside-its-core:PU os_index 3 is not in its core's cpuset"; do
	f=$CASSIM_SRCDIR/tests/fuzz/corpus/topo/${case%%:*}.xml
	expect_exit 2 "cassim topo ${f##*/} (HWLOC_LIBXML_IMPORT=0): exit 2" \
		env HWLOC_LIBXML_IMPORT=0 "$CASSIM" topo "$f"
	expect_one_line_stderr "${f##*/}: one line naming the problem" "${case#*:}\$"
done

# the driver's own contract: a crash or a hang fails with the input saved,
# a missing input is an error, not a pass
mkdir "$TMP/self" "$TMP/art" && printf 'fine\n' >"$TMP/self/a" && printf 'crash here\n' >"$TMP/self/b"
if (cd "$TMP/art" && FUZZ_ARTIFACT_DIR= "$FUZZ/fuzz_selftest" "$TMP/self") >"$TMP/self.out" 2>"$TMP/self.err"; then
	not_ok "replay driver: a crashing input fails the pass" "exit status 0"
else
	ok "replay driver: a crashing input fails the pass"
fi
check "replay driver: names the input and saves it" \
	sh -c "grep -q 'crash on $TMP/self/b (saved as ./crash-fuzz_selftest-' '$TMP/self.err' && cmp -s '$TMP/self/b' '$TMP'/art/crash-fuzz_selftest-*"
printf 'spin\n' >"$TMP/spin"
expect_exit 70 "replay driver: an input over the CPU-time limit fails the pass" \
	env FUZZ_ARTIFACT_DIR="$TMP" "$FUZZ/fuzz_selftest" -t 1 "$TMP/spin"
check "replay driver: names the hanging input" grep -q "timeout on $TMP/spin (saved as " "$ERR"
expect_exit 2 "replay driver: a missing input path is an error" "$FUZZ/fuzz_csv" "$TMP/no-such-file"
expect_exit 2 "replay driver: no input is a usage error" "$FUZZ/fuzz_csv"

done_testing
