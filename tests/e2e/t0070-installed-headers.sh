#!/bin/sh
# t0070-installed-headers: the headers `make install` puts under
# include/cassim are the public module interface (docs/modules.md): their
# own include closure, none of the simulator's internal headers (a module
# sees struct sched, struct task ... as opaque handles behind sched/api.h's
# accessors, so their layouts are not the module ABI), and enough to build
# the example modules.  Every `#include "dir/file.h"` of an installed header
# must itself be in Makefile.am's pkginc*_HEADERS lists.  (Stop 21 added
# base/rng.h to hw/perf.h without installing it; modules then failed to
# build from an installed tree.)  Then the installed set is copied as
# `make install` lays it out and the examples are compiled against only it
# (with cassim.pc's -I flags), and loaded.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
command -v python3 >/dev/null 2>&1 || { skip "python3 not installed"; done_testing; exit 0; }
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR

# installed.txt: the installed headers, one source path a line
py "Makefile.am's installed headers are read" '
import os, re, sys
am = open(os.path.join(sys.argv[1], "Makefile.am")).read().replace("\\\n", " ")
inst = []
for m in re.finditer(r"^pkginc\w*_HEADERS\s*=\s*(.*)$", am, re.M):
    inst += m.group(1).split()
assert "include/cassim/policy.h" in inst and "sim/sched/api.h" in inst, inst
open(sys.argv[2], "w").write("\n".join(inst) + "\n")
' "$CASSIM_SRCDIR" "$TMP/installed.txt"

py "every include of an installed header is installed" '
import os, re, sys
src = sys.argv[1]
inst = {f[len("sim/"):] for f in open(sys.argv[2]).read().split() if f.startswith("sim/")}
missing = {}
for h in sorted(inst) + ["../include/cassim/policy.h"]:
    for inc in re.findall(r"#include \"([^\"]+)\"", open(os.path.join(src, "sim", h)).read()):
        if inc not in inst:
            missing.setdefault(inc, []).append(h)
assert not missing, "not installed: " + "; ".join("%s (included by %s)" % (k, ", ".join(v)) for k, v in sorted(missing.items()))
' "$CASSIM_SRCDIR" "$TMP/installed.txt"

py "no internal header is installed (the scheduler is opaque to modules)" '
import sys
inst = set(open(sys.argv[1]).read().split())
internal = {"sim/sched/sched.h", "sim/sched/task.h", "sim/sched/sd.h", "sim/hw/topo.h", "sim/hw/perf.h",
            "sim/policies/cas.h", "sim/base/cpumask.h", "sim/base/eq.h", "sim/report/trace.h", "sim/sched/trace.h"}
assert not inst & internal, sorted(inst & internal)
assert inst == {"include/cassim/policy.h", "sim/base/diag.h", "sim/base/param.h", "sim/base/types.h",
                "sim/report/trace_arg.h", "sim/policies/cas_api.h", "sim/policies/module.h",
                "sim/policies/policy.h", "sim/sched/api.h", "sim/sched/hooks.h"}, sorted(inst)
' "$TMP/installed.txt"

# ---- the examples build against only the installed set ---------------------
CC=${CC:-cc}
if ! command -v "$CC" >/dev/null 2>&1; then
	skip "the examples build against the installed headers only" "no C compiler ($CC)"
	done_testing
	exit 0
fi
INC=$TMP/prefix/include
while read -r h; do
	case $h in
	include/*) dst=$TMP/prefix/$h ;;
	sim/*) dst=$INC/cassim/${h#sim/} ;;
	esac
	mkdir -p "$(dirname "$dst")" && cp "$CASSIM_SRCDIR/$h" "$dst"
done <"$TMP/installed.txt"
# cassim.pc's Cflags; nothing of the source tree on the include path
MODCC="$CC -std=gnu11 -Wall -Wextra -Wno-unused-parameter -fPIC -shared -I$INC/cassim -I$INC"
check "examples/policy-module/my_cas.c builds against the installed headers only" \
	$MODCC -o "$TMP/my_cas.so" "$CASSIM_SRCDIR/examples/policy-module/my_cas.c"
cp "$CASSIM_SRCDIR/examples/cas-topo-rfc/cas_topo.c" "$CASSIM_SRCDIR/examples/cas-topo-rfc/topo_rules.h" "$TMP/"
check "examples/cas-topo-rfc/cas_topo.c builds against the installed headers only" \
	$MODCC -o "$TMP/cas_topo.so" "$TMP/cas_topo.c"
# the walkthrough's variant is the example plus a patch (Makefile.am)
if command -v patch >/dev/null 2>&1; then
	check "papers/walkthrough's variant builds against the installed headers only" sh -c '
		patch -s -o "$1/my_variant.c" "$2/examples/policy-module/my_cas.c" <"$2/papers/walkthrough/my_variant.patch" &&
		$3 -o "$1/my_variant.so" "$1/my_variant.c"' sh "$TMP" "$CASSIM_SRCDIR" "$MODCC"
else
	skip "papers/walkthrough's variant builds against the installed headers only" "patch not installed"
fi
# every accessor they call resolves from the executable (RTLD_NOW)
expect_exit 0 "cassim loads the three and lists their policies" "$CASSIM" --policy-module "$TMP/my_cas.so" \
	--policy-module "$TMP/cas_topo.so" policies --policy-module "$TMP/my_variant.so"
check "... my-llc-pack, cas-topo-rfc-v2, my-llc-wake" sh -c \
	'grep -q "^my-llc-pack " "$1" && grep -q "^cas-topo-rfc-v2 " "$1" && grep -q "^my-llc-wake " "$1"' sh "$OUT"
done_testing
