#!/bin/sh
# t0070-installed-headers: the headers `make install` puts under
# include/cassim are their own include closure, so that a policy module
# builds against an installed cassim (docs/modules.md; make installcheck
# and papers/walkthrough do it, make check does not).  Every `#include
# "dir/file.h"` of an installed header must itself be in Makefile.am's
# pkginc*_HEADERS lists.  (Stop 21 added base/rng.h to hw/perf.h without
# installing it; modules then failed to build from an installed tree.)
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
command -v python3 >/dev/null 2>&1 || { skip "python3 not installed"; done_testing; exit 0; }

py "every include of an installed header is installed" '
import os, re, sys
src = sys.argv[1]
am = open(os.path.join(src, "Makefile.am")).read().replace("\\\n", " ")
inst = set()
for m in re.finditer(r"^pkginc\w*_HEADERS\s*=\s*(.*)$", am, re.M):
    for f in m.group(1).split():
        if f.startswith("sim/"):
            inst.add(f[len("sim/"):])
assert "hw/perf.h" in inst and "sched/sched.h" in inst, sorted(inst)
missing = {}
for h in sorted(inst) + ["../include/cassim/policy.h"]:
    for inc in re.findall(r"#include \"([^\"]+)\"", open(os.path.join(src, "sim", h)).read()):
        if inc not in inst:
            missing.setdefault(inc, []).append(h)
assert not missing, "not installed: " + "; ".join("%s (included by %s)" % (k, ", ".join(v)) for k, v in sorted(missing.items()))
' "$CASSIM_SRCDIR"
done_testing
