#!/bin/sh
# t0002-topo: `cassim topo` on every shipped machine, a synthetic string and
# bad input.  Counts are what Linux shows for each machine (topologies/README.md).
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

# name cpus cores packages numa_nodes llcs smt llc_size_bytes first-domain-list
MACHINES='
xeon6-6980p-2s 512 256 2 2 2 2 528482304 SMT:2,MC:256,NUMA:512
xeon6-6980p-2s-snc3 512 256 2 6 6 2 177537024 SMT:2,MC:86,NUMA:172,NUMA:256,NUMA:512
epyc-9755-2s-nps1 512 256 2 2 32 2 33554432 SMT:2,MC:16,PKG:256,NUMA:512
epyc-9755-2s-nps4 512 256 2 8 32 2 33554432 SMT:2,MC:16,NODE:64,NUMA:256,NUMA:512
epyc-9965-2s-nps1 768 384 2 2 24 2 33554432 SMT:2,MC:32,PKG:384,NUMA:768
spr-2s-1node-2llc 120 60 2 1 2 2 58982400 SMT:2,MC:60,PKG:120
emr-2s-1node-2llc 240 120 2 1 2 2 314572800 SMT:2,MC:120,PKG:240
epyc-milan-2s-nps1 256 128 2 2 16 2 33554432 SMT:2,MC:16,PKG:128,NUMA:256
epyc-milan-4node-4llc 128 64 2 4 16 2 33554432 SMT:2,MC:8,NODE:32,NUMA:64,NUMA:128
epyc-milan-2node-8llc 128 64 2 2 16 2 33554432 SMT:2,MC:8,PKG:64,NUMA:128
epyc-genoa-4node-2llc 128 64 2 4 8 2 33554432 SMT:2,MC:16,NODE:32,NUMA:64,NUMA:128
hygon-c86-2s-8node-4llc 256 128 2 8 32 2 8388608 SMT:2,MC:8,NODE:32,NUMA:128,NUMA:160,NUMA:256
ryzen-7950x3d-asym-llc 32 16 1 1 2 2 100663296 SMT:2,MC:16,PKG:32
lnl-258v-hybrid 8 8 1 1 2 1 12582912 MC:4,PKG:8
'

# summary FILE: "cpus cores packages numa_nodes llcs smt llc_size_bytes domains"
summary() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
keys = list(d)[:10]
assert keys == ["cpus", "cores", "packages", "numa_nodes", "llcs", "smt",
                "llc_size_bytes", "domains", "distances", "name"][:len(keys)], keys
print(d["cpus"], d["cores"], d["packages"], d["numa_nodes"], d["llcs"], d["smt"],
      d["llc_size_bytes"], ",".join("%s:%d" % (x["name"], x["span"]) for x in d["domains"]))
' "$1"
}

while read -r name cpus cores pkgs nodes llcs smt llcb doms; do
	[ -n "$name" ] || continue
	expect_exit 0 "topo $name --json exits 0" "$CASSIM" topo "$name" --json
	want="$cpus $cores $pkgs $nodes $llcs $smt $llcb $doms"
	got=$(summary "$OUT" 2>&1)
	if [ "$got" = "$want" ]; then
		ok "topo $name: counts and domains"
	else
		not_ok "topo $name: counts and domains" "want: $want" "got:  $got"
	fi
	if [ -s "$ERR" ]; then
		not_ok "topo $name: no warnings" "$(cat "$ERR")"
	else
		ok "topo $name: no warnings"
	fi
done <<EOF
$MACHINES
EOF

expect_exit 0 "topo synthetic --json" "$CASSIM" topo "synthetic:pack:2 [numa] l3:4 core:4 pu:2" --json --quiet
# (field 7, the LLC size, is hwloc's synthetic default: not checked)
got=$(summary "$OUT" 2>&1 | awk '{ $7 = "-"; print }')
want="64 32 2 2 8 2 - SMT:2,MC:8,PKG:32,NUMA:64"
[ "$got" = "$want" ] && ok "synthetic: counts" || not_ok "synthetic: counts" "want: $want" "got:  $got"
[ -s "$ERR" ] && not_ok "--quiet silences the distance warning" "$(cat "$ERR")" || ok "--quiet silences the distance warning"

expect_exit 0 "topo text output" "$CASSIM" topo epyc-9755-2s-nps1
check "text output lists the LLCs" grep -q "32 LLCs: 16 CPUs each (32 MiB)" "$OUT"

# The hybrid part: per-CPU capacity from its CPU kinds (P 1024, E (37 << 10) / 56 = 676), the
# E-cores' LLC is their 4 MB L2, and the PKG domain sees both capacities
expect_exit 0 "topo lnl-258v-hybrid text output" "$CASSIM" topo lnl-258v-hybrid
check "lnl: P-cores at 1024" grep -q "cpus 0-3: kind 1, capacity 1024" "$OUT"
check "lnl: E-cores at 676" grep -q "cpus 4-7: kind 0, capacity 676" "$OUT"
check "lnl: LLC 1 is the E-cluster's L2" grep -q "LLC 1: 4 CPUs (4 MiB)" "$OUT"
check "lnl: PKG is SD_ASYM_CPUCAPACITY(_FULL)" grep -q "ASYM_CPUCAPACITY|ASYM_CPUCAPACITY_FULL" "$OUT"
expect_exit 0 "topo ryzen-7950x3d-asym-llc text output" "$CASSIM" topo ryzen-7950x3d-asym-llc
check "7950x3d: 96 MiB and 32 MiB LLCs" sh -c 'grep -q "LLC 0: 16 CPUs (96 MiB)" "$1" && grep -q "LLC 1: 16 CPUs (32 MiB)" "$1"' sh "$OUT"
check "7950x3d: no capacity lines (symmetric)" sh -c '! grep -q "cpu capacity" "$1"' sh "$OUT"

# The Hygon machine (CAS-after-merge.md §1.7): 8 nodes, 4 LLCs each, its own profile, and a SLIT
# whose inter-socket distance is not one constant (each die one hop from one die of the other socket)
expect_exit 0 "topo hygon text output" "$CASSIM" topo hygon-c86-2s-8node-4llc
check "hygon: 8 nodes, 32 LLCs" grep -q "packages: 2  numa nodes: 8  llcs: 32" "$OUT"
check "hygon: 32 LLCs of 8 CPUs, 8 MiB" grep -q "32 LLCs: 8 CPUs each (8 MiB)" "$OUT"
expect_exit 0 "topo hygon --show-model" "$CASSIM" topo hygon-c86-2s-8node-4llc --show-model
check "hygon: profile hygon-c86" grep -q "^machine profile: hygon-c86$" "$OUT"
expect_exit 0 "topo hygon --json" "$CASSIM" topo hygon-c86-2s-8node-4llc --json
check "hygon: SLIT 10/16 in a socket, 22 to the partner die, 28 else, symmetric" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["distances"]
for i in range(8):
    for j in range(8):
        w = 10 if i == j else 16 if i // 4 == j // 4 else 22 if j % 4 == (i % 4 + 2) % 4 else 28
        assert d[i][j] == w == d[j][i], (i, j, d[i][j])
' "$OUT"

expect_exit 0 "topo of a 1-CPU machine" "$CASSIM" topo synthetic:pu:1 --json
check "1-CPU machine has no domains" grep -q '"domains": \[\]' "$OUT"

expect_exit 2 "missing file exits 2" "$CASSIM" topo "$TMP/no-such.xml"
expect_one_line_stderr "missing file: one line naming it" "no-such.xml"
expect_exit 2 "truncated XML exits 2" "$CASSIM" topo "$CASSIM_SRCDIR/tests/fixtures/truncated.xml"
expect_one_line_stderr "truncated XML: one line naming it" "truncated.xml"
expect_exit 2 "non-hwloc XML exits 2" "$CASSIM" topo "$CASSIM_SRCDIR/tests/fixtures/not-hwloc.xml"
expect_one_line_stderr "non-hwloc XML: one line naming it" "not-hwloc.xml"
expect_exit 2 "unknown name exits 2" "$CASSIM" topo no-such-machine
expect_one_line_stderr "unknown name: one line" "no-such-machine"
expect_exit 2 "unknown option exits 2" "$CASSIM" topo epyc-9755-2s-nps1 --bogus
expect_exit 0 "topo --help" "$CASSIM" topo --help

done_testing
