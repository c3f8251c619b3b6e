#!/usr/bin/env python3
"""Write cassim's shipped topologies/*.xml reproducibly.

Each machine below is described by its layout (packages > NUMA groups >
LLCs > cores), cache sizes, memory, SLIT and identification strings, each
number with its tag and source (design/TOPOLOGIES.md, validation/published.md;
see topologies/README.md).  The script writes an hwloc 2.x XML directly --
synthetic strings cannot express the 43/43/42-core dies of the Xeon 6980P --
and then normalises it with hwloc's own exporter (`lstopo -i in.xml out.xml`),
so the committed files are exactly what hwloc 2.9 writes.

hwloc-utils (lstopo) are needed only to run this script, not to build cassim.

usage: tools/gen-topologies.py [OUTDIR]     (default: topologies/ next to tools/)
"""

import os
import shutil
import subprocess
import sys
import tempfile

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB

# Per-microarchitecture caches: (L1d, L1i, L2 per core, L1d assoc, L2 assoc)
ZEN1 = dict(l1d=32 * KiB, l1i=64 * KiB, l2=512 * KiB)       # [S] AMD Zen 1 (Naples), which Hygon Dhyana/C86 licenses
ZEN3 = dict(l1d=32 * KiB, l1i=32 * KiB, l2=512 * KiB)       # [S] AMD Milan
ZEN4 = dict(l1d=32 * KiB, l1i=32 * KiB, l2=1 * MiB)         # [K] TOPOLOGIES.md §4.4
ZEN5 = dict(l1d=48 * KiB, l1i=32 * KiB, l2=1 * MiB)         # [K/S] TOPOLOGIES.md §4.1
GOLDEN_COVE = dict(l1d=48 * KiB, l1i=32 * KiB, l2=2 * MiB)  # [K] SPR/EMR, TOPOLOGIES.md §5
REDWOOD_COVE = dict(l1d=48 * KiB, l1i=64 * KiB, l2=2 * MiB)  # [S/K] GNR, TOPOLOGIES.md §2.1
LION_COVE_LNL = dict(l1d=48 * KiB, l1i=64 * KiB, l2=2560 * KiB)  # [S] Intel Lunar Lake P-core (Hot Chips 2024 / Intel Tech Tour)
SKYMONT_LNL = dict(l1d=32 * KiB, l1i=64 * KiB, l2=4 * MiB)   # [S] Lunar Lake LP E-cluster: 4 MB L2 shared by 4 cores


def slit_2pkg(nodes_per_pkg, near, remote):
    """10 local, `near` inside a package, `remote` across packages."""
    n = 2 * nodes_per_pkg
    return [[10 if i == j else (near if i // nodes_per_pkg == j // nodes_per_pkg else remote)
             for j in range(n)] for i in range(n)]


GNR_SNC3_SLIT = [  # [K] LKML, Tim Chen 2025-09-11 (TOPOLOGIES.md §2.2, S3); asymmetric
    [10, 15, 17, 21, 28, 26],
    [15, 10, 15, 23, 26, 23],
    [17, 15, 10, 26, 23, 21],
    [21, 28, 26, 10, 15, 17],
    [23, 26, 23, 15, 10, 15],
    [26, 23, 21, 17, 15, 10],
]

def slit_hygon_2s4n():
    """Hygon C86 2S, 4 dies (nodes) per socket: 16 between dies of a socket; across sockets 22
    to the one die an inter-socket link joins directly (die i <-> die (i+2) % 4 of the other
    socket), 28 to the others.  [E]: recollection of `numactl -H` on 2-socket Hygon Dhyana servers
    (10 16 16 16 28 28 22 28); the Hygon RFC v2 only says the inter-node distance is not one
    constant (CAS-after-merge.md §1.7).  Symmetric."""
    def d(i, j):
        if i == j:
            return 10
        if i // 4 == j // 4:
            return 16
        return 22 if j % 4 == (i % 4 + 2) % 4 else 28
    return [[d(i, j) for j in range(8)] for i in range(8)]


INTEL = "GenuineIntel"
AMD = "AuthenticAMD"
HYGON = "HygonGenuine"

# layout: per package, list of NUMA groups; each group a list of LLC core counts.
# numa: "package" (node on the Package), "group" (Group0 per node inside the
# package), "machine" (one node for all packages, DRAM interleaved).
# l3: "llc" (one L3 per LLC list entry) or "package" (one L3 per package, as
# CPUID reports on Intel even with SNC).
MACHINES = [
    dict(name="xeon6-6980p-2s",
         desc="2 x Intel Xeon 6980P (Granite Rapids-AP), SNC disabled (HEX mode)",
         vendor=INTEL, family=6, model=173, cpumodel="Intel(R) Xeon(R) 6980P",
         caches=REDWOOD_COVE, l3_size=504 * MiB, l3="package", numa="package",
         layout=[[[128]], [[128]]], mem=768 * GiB, slit=slit_2pkg(1, 0, 21),
         fmax=3900, fbase=2000),
    dict(name="xeon6-6980p-2s-snc3",
         desc="2 x Intel Xeon 6980P (Granite Rapids-AP), SNC3: one node per compute die, 43/43/42 cores",
         vendor=INTEL, family=6, model=173, cpumodel="Intel(R) Xeon(R) 6980P",
         caches=REDWOOD_COVE, l3_size=504 * MiB, l3="package", numa="group",
         layout=[[[43], [43], [42]], [[43], [43], [42]]], mem=256 * GiB, slit=GNR_SNC3_SLIT,
         fmax=3900, fbase=2000),
    dict(name="epyc-9755-2s-nps1",
         desc="2 x AMD EPYC 9755 (Turin, Zen 5), NPS1: 16 CCX x 8 cores per socket",
         vendor=AMD, family=26, model=2, cpumodel="AMD EPYC 9755 128-Core Processor",
         caches=ZEN5, l3_size=32 * MiB, l3="llc", numa="package",
         layout=[[[8] * 16], [[8] * 16]], mem=768 * GiB, slit=slit_2pkg(1, 0, 32),
         fmax=4100, fbase=2700),
    dict(name="epyc-9755-2s-nps4",
         desc="2 x AMD EPYC 9755 (Turin, Zen 5), NPS4: 4 nodes x 4 CCX x 8 cores per socket",
         vendor=AMD, family=26, model=2, cpumodel="AMD EPYC 9755 128-Core Processor",
         caches=ZEN5, l3_size=32 * MiB, l3="llc", numa="group",
         layout=[[[8] * 4] * 4, [[8] * 4] * 4], mem=192 * GiB, slit=slit_2pkg(4, 12, 32),
         fmax=4100, fbase=2700),
    dict(name="epyc-9965-2s-nps1",
         desc="2 x AMD EPYC 9965 (Turin dense, Zen 5c), NPS1: 12 CCX x 16 cores per socket",
         vendor=AMD, family=26, model=17, cpumodel="AMD EPYC 9965 192-Core Processor",
         caches=ZEN5, l3_size=32 * MiB, l3="llc", numa="package",
         layout=[[[16] * 12], [[16] * 12]], mem=768 * GiB, slit=slit_2pkg(1, 0, 32),
         fmax=3700, fbase=2250),
    dict(name="spr-2s-1node-2llc",
         desc="2 x 30-core Intel Sapphire Rapids, DRAM interleaved across sockets: 1 node, L3 per socket",
         vendor=INTEL, family=6, model=143, cpumodel="Intel(R) Xeon(R) Sapphire Rapids 30-core",
         caches=GOLDEN_COVE, l3_size=30 * 1920 * KiB, l3="package", numa="machine",
         layout=[[[30]], [[30]]], mem=512 * GiB, slit=[[10]],
         fmax=3800, fbase=2000),
    dict(name="emr-2s-1node-2llc",
         desc="2 x 60-core Intel Emerald Rapids (Xeon Platinum 8580 class), DRAM interleaved: 1 node, L3 per socket",
         vendor=INTEL, family=6, model=207, cpumodel="Intel(R) Xeon(R) Platinum 8580",
         caches=GOLDEN_COVE, l3_size=300 * MiB, l3="package", numa="machine",
         layout=[[[60]], [[60]]], mem=1024 * GiB, slit=[[10]],
         fmax=4000, fbase=2000),
    dict(name="epyc-milan-2s-nps1",
         desc="2 x 64-core AMD EPYC Milan (7763 class), NPS1: 8 CCX x 8 cores per socket",
         vendor=AMD, family=25, model=1, cpumodel="AMD EPYC 7763 64-Core Processor",
         caches=ZEN3, l3_size=32 * MiB, l3="llc", numa="package",
         layout=[[[8] * 8], [[8] * 8]], mem=512 * GiB, slit=slit_2pkg(1, 0, 32),
         fmax=3500, fbase=2450,
         # the authors ran this box with C2 disabled (validation/published.md):
         # a fact about the machine, carried as machine-model overrides
         model_info={"cassim.idle2_exit_ns": "0", "cassim.idle2_target_ns": "0"}),
    dict(name="epyc-milan-4node-4llc",
         desc="2 x AMD EPYC 7543 (Milan, 8 CCD x 4 cores), NPS2: 4 nodes x 4 CCX x 4 cores",
         vendor=AMD, family=25, model=1, cpumodel="AMD EPYC 7543 32-Core Processor",
         caches=ZEN3, l3_size=32 * MiB, l3="llc", numa="group",
         layout=[[[4] * 4] * 2, [[4] * 4] * 2], mem=128 * GiB, slit=slit_2pkg(2, 12, 32),
         fmax=3700, fbase=2800),
    dict(name="epyc-milan-2node-8llc",
         desc="2 x AMD EPYC 7543 (Milan, 8 CCD x 4 cores), NPS1: 2 nodes x 8 CCX x 4 cores",
         vendor=AMD, family=25, model=1, cpumodel="AMD EPYC 7543 32-Core Processor",
         caches=ZEN3, l3_size=32 * MiB, l3="llc", numa="package",
         layout=[[[4] * 8], [[4] * 8]], mem=256 * GiB, slit=slit_2pkg(1, 0, 32),
         fmax=3700, fbase=2800),
    dict(name="epyc-genoa-4node-2llc",
         desc="2 x AMD EPYC 9334 class (Genoa, 4 CCD x 8 cores), NPS2: 4 nodes x 2 CCX x 8 cores",
         vendor=AMD, family=25, model=17, cpumodel="AMD EPYC 9334 32-Core Processor",
         caches=ZEN4, l3_size=32 * MiB, l3="llc", numa="group",
         layout=[[[8] * 2] * 2, [[8] * 2] * 2], mem=192 * GiB, slit=slit_2pkg(2, 12, 32),
         fmax=3900, fbase=2700),
    dict(name="hygon-c86-2s-8node-4llc",
         desc="2 x Hygon C86 (C86-7490 class, 4 dies x 4 CCX x 4 cores per socket): 8 nodes x 4 LLCs x 8 CPUs",
         vendor=HYGON, family=24, model=4, cpumodel="Hygon C86 7490 64-core Processor",
         caches=ZEN1, l3_size=8 * MiB, l3="llc", numa="group",
         layout=[[[4] * 4] * 4, [[4] * 4] * 4], mem=64 * GiB, slit=slit_hygon_2s4n(),
         fmax=3500, fbase=2700),
    # Asymmetric LLC size, symmetric capacity: CCD0 carries the 64 MB 3D V-Cache (96 MB L3),
    # CCD1 32 MB.  x86 Linux gives every CPU capacity 1024 here (no hybrid capacity scaling on
    # AMD; amd-pstate preferred cores feed ITMT asym packing, not modelled).
    dict(name="ryzen-7950x3d-asym-llc",
         desc="AMD Ryzen 9 7950X3D (Raphael, Zen 4): 2 CCD x 8 cores SMT2, CCD0 96 MB L3 (3D V-Cache), CCD1 32 MB",
         vendor=AMD, family=25, model=97, cpumodel="AMD Ryzen 9 7950X3D 16-Core Processor",
         caches=ZEN4, l3_size=32 * MiB, l3="llc", numa="package",
         layout=[[[dict(cores=8, l3=96 * MiB), dict(cores=8, l3=32 * MiB)]]], mem=64 * GiB,
         slit=[[10]], fmax=5700, fbase=4200),
    # Intel hybrid without SMT: Linux >= 6.12 gives it asymmetric capacity (hw/capacity.h).
    # The 4 LP E-cores sit outside the ring and do not share the P-cores' 12 MB L3: their
    # last-level cache is the cluster's 4 MB L2, so the machine has two LLCs.
    dict(name="lnl-258v-hybrid",
         desc="Intel Core Ultra 7 258V (Lunar Lake): 4 P-cores (Lion Cove, 12 MB L3) + 4 LP E-cores (Skymont, 4 MB L2), no SMT",
         vendor=INTEL, family=6, model=189, cpumodel="Intel(R) Core(TM) Ultra 7 258V",
         caches=LION_COVE_LNL, l3_size=12 * MiB, l3="llc", numa="package", smt=1,
         layout=[[[dict(cores=4, l3=12 * MiB),
                   dict(cores=4, l3=0, caches=SKYMONT_LNL, l2_shared=True)]]],
         mem=32 * GiB, slit=[[10]],
         kinds=[dict(cores=[4, 5, 6, 7], eff=0,
                     infos=[("CoreType", "IntelAtom"), ("FrequencyMaxMHz", 3700), ("FrequencyBaseMHz", 2200)]),
                dict(cores=[0, 1, 2, 3], eff=1,
                     infos=[("CoreType", "IntelCore"), ("FrequencyMaxMHz", 4800), ("FrequencyBaseMHz", 2200)])]),
]


def bitmap(bits):
    """hwloc bitmap text: 32-bit hex words, most significant first."""
    if not bits:
        return "0x0"
    words = [0] * (max(bits) // 32 + 1)
    for b in bits:
        words[b // 32] |= 1 << (b % 32)
    return ",".join("0x%08x" % w for w in reversed(words))


class Writer:
    def __init__(self):
        self.lines = []

    def open(self, depth, typ, pus, nodes, extra="", close=False):
        a = 'type="%s" %scpuset="%s" complete_cpuset="%s" nodeset="%s" complete_nodeset="%s"%s' % (
            typ, "", bitmap(pus), bitmap(pus), bitmap(nodes), bitmap(nodes), extra)
        self.lines.append("  " * depth + "<object %s%s>" % (a, "/" if close else ""))

    def close(self, depth):
        self.lines.append("  " * depth + "</object>")

    def info(self, depth, name, value):
        self.lines.append("  " * depth + '<info name="%s" value="%s"/>' % (name, value))


def cache_attr(size, depth, ctype, assoc=0):
    return ' cache_size="%d" depth="%d" cache_linesize="64" cache_associativity="%d" cache_type="%d"' % (
        size, depth, assoc, ctype)


def gen_xml(m):
    def llc_n(e):
        return e["cores"] if isinstance(e, dict) else e

    cores_total = sum(llc_n(c) for pkg in m["layout"] for grp in pkg for c in grp)
    smt = m.get("smt", 2)
    c = m["caches"]
    w = Writer()
    # number cores and nodes
    core = 0
    node = 0
    plan = []  # per package: list of (node, [llc core lists])
    for pkg in m["layout"]:
        groups = []
        for grp in pkg:
            llcs = []
            for e in grp:
                n = llc_n(e)
                llcs.append((list(range(core, core + n)), e if isinstance(e, dict) else {}))
                core += n
            groups.append((node, llcs))
            node += 1
        plan.append(groups)
    nr_nodes = 1 if m["numa"] == "machine" else (len(plan) if m["numa"] == "package" else node)

    def pus_of(cores):
        return sorted(x + t * cores_total for x in cores for t in range(smt))

    all_cores = list(range(cores_total))
    w.lines.append('<?xml version="1.0" encoding="UTF-8"?>')
    w.lines.append('<!DOCTYPE topology SYSTEM "hwloc2.dtd">')
    w.lines.append('<topology version="2.0">')
    w.open(1, "Machine", pus_of(all_cores), list(range(nr_nodes)), ' os_index="0"')
    w.info(2, "cassim.machine", m["name"])
    w.info(2, "cassim.description", m["desc"])
    w.info(2, "cassim.generator", "tools/gen-topologies.py (see topologies/README.md for sources)")
    w.info(2, "Architecture", "x86_64")
    for k, v in sorted(m.get("model_info", {}).items()):
        w.info(2, k, v)
    if m["numa"] == "machine":
        w.open(2, "NUMANode", pus_of(all_cores), [0],
               ' os_index="0" local_memory="%d"' % m["mem"], close=True)

    def emit_llc(depth, llc, nodes):
        # llc = (cores, overrides): l3 (size, 0 = none), caches, l2_shared (one L2 for all)
        cores, o = llc
        cc = o.get("caches", c)
        l3 = o.get("l3", m["l3_size"]) if m["l3"] == "llc" else 0
        shared = o.get("l2_shared", False)
        top = depth
        if l3:
            w.open(depth, "L3Cache", pus_of(cores), nodes, cache_attr(l3, 3, 0, 16))
            depth += 1
        if shared:
            w.open(depth, "L2Cache", pus_of(cores), nodes, cache_attr(cc["l2"], 2, 0, 16))
            depth += 1
        for cr in cores:
            pus = pus_of([cr])
            d = depth
            if not shared:
                w.open(d, "L2Cache", pus, nodes, cache_attr(cc["l2"], 2, 0, 16))
                d += 1
            w.open(d, "L1Cache", pus, nodes, cache_attr(cc["l1d"], 1, 1, 12))
            w.open(d + 1, "L1iCache", pus, nodes, cache_attr(cc["l1i"], 1, 2, 8))
            w.open(d + 2, "Core", pus, nodes, ' os_index="%d"' % cr)
            for p in pus:
                w.open(d + 3, "PU", [p], nodes, ' os_index="%d"' % p, close=True)
            for x in range(d + 2, depth - 1, -1):
                w.close(x)
        for x in range(depth - 1, top - 1, -1):
            w.close(x)

    for p, groups in enumerate(plan):
        pcores = [x for _, llcs in groups for l, _ in llcs for x in l]
        if m["numa"] == "machine":
            pnodes = [0]
        elif m["numa"] == "package":
            pnodes = [p]
        else:
            pnodes = [n for n, _ in groups]
        w.open(2, "Package", pus_of(pcores), pnodes, ' os_index="%d"' % p)
        w.info(3, "CPUVendor", m["vendor"])
        w.info(3, "CPUFamilyNumber", str(m["family"]))
        w.info(3, "CPUModelNumber", str(m["model"]))
        w.info(3, "CPUModel", m["cpumodel"])
        depth = 3
        if m["numa"] == "package":
            w.open(3, "NUMANode", pus_of(pcores), [p],
                   ' os_index="%d" local_memory="%d"' % (p, m["mem"]), close=True)
        if m["l3"] == "package":
            w.open(3, "L3Cache", pus_of(pcores), pnodes, cache_attr(m["l3_size"], 3, 0, 16))
            depth = 4
        for n, llcs in groups:
            gcores = [x for l, _ in llcs for x in l]
            nodes = [n] if m["numa"] == "group" else pnodes
            if m["numa"] == "group":
                w.open(depth, "Group", pus_of(gcores), nodes, ' kind="0" subkind="0"')
                w.open(depth + 1, "NUMANode", pus_of(gcores), [n],
                       ' os_index="%d" local_memory="%d"' % (n, m["mem"]), close=True)
                for l in llcs:
                    emit_llc(depth + 1, l, nodes)
                w.close(depth)
            else:
                for l in llcs:
                    emit_llc(depth, l, nodes)
        if m["l3"] == "package":
            w.close(3)
        w.close(2)
    w.close(1)

    slit = m["slit"]
    n = len(slit)
    assert n == nr_nodes, m["name"]
    idx = "".join("%d " % i for i in range(n))
    vals = "".join("%d " % v for row in slit for v in row)
    if n > 1:  # hwloc ignores a 1x1 matrix
        w.lines.append('  <distances2 type="NUMANode" nbobjs="%d" kind="5" name="NUMALatency" indexing="os">' % n)
        w.lines.append('    <indexes length="%d">%s</indexes>' % (len(idx), idx))
        w.lines.append('    <u64values length="%d">%s</u64values>' % (len(vals), vals))
        w.lines.append('  </distances2>')
    kinds = m.get("kinds") or [dict(cores=all_cores, eff=None,
                                    infos=[("FrequencyMaxMHz", m["fmax"]), ("FrequencyBaseMHz", m["fbase"])])]
    for k in kinds:
        eff = '' if k["eff"] is None else ' forced_efficiency="%d"' % k["eff"]
        w.lines.append('  <cpukind cpuset="%s"%s>' % (bitmap(pus_of(k["cores"])), eff))
        for name, value in k["infos"]:
            w.lines.append('    <info name="%s" value="%s"/>' % (name, value))
        w.lines.append('  </cpukind>')
    w.lines.append('</topology>')
    return "\n".join(w.lines) + "\n"


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "topologies")
    lstopo = shutil.which("lstopo-no-graphics") or shutil.which("lstopo")
    if not lstopo:
        sys.exit("gen-topologies: lstopo (hwloc-utils) is needed to normalise the XML")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HWLOC_")}
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for m in MACHINES:
            raw = os.path.join(tmp, m["name"] + ".raw.xml")
            dst = os.path.join(out, m["name"] + ".xml")
            with open(raw, "w") as f:
                f.write(gen_xml(m))
            # hwloc's own exporter normalises (gp_index, memory attrs, order)
            subprocess.run([lstopo, "-f", "-i", raw, "--of", "xml", dst], check=True, env=env)
            print("wrote", dst)


if __name__ == "__main__":
    main()
