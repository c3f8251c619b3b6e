#!/bin/sh
# t0014-plot: `cassim plot` end to end.  Every figure type renders from the
# shipped examples (plots/examples/) into a PNG of the asked size and an SVG
# that parses; the data gnuplot draws (--keep-data) is checked by value
# against Python's own reading of the CSV (means, t confidence intervals,
# % change, Welch p and its marks, the timeline's boxes, the LLC
# fractions); the output is the same on every run; bad input and a missing
# gnuplot exit 2 with one line and write nothing.  A few seconds.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"
command -v gnuplot >/dev/null 2>&1 || bail_out "gnuplot not found (tools/setup.sh installs gnuplot-nox)"

EX=$CASSIM_SRCDIR/plots/examples
SWEEP=$EX/sweep-results.csv
TL=$EX/timeline.csv
# The examples are cassim's own output (plots/examples/Makefile) and change
# with the model: the checks recompute every expected value from the CSV.
# What the figures below draw from them (plots/README.md):
LX=threads
LMETRIC=time
LWHERE1=aggr_tolerance=100
LWHERE2=wake_redirect=3
HY=wake_redirect
HPOLICY=cas-v4
HBASE=cfs

# Python helpers for the checks: Student's t from the regularized incomplete
# beta function (continued fraction), independent of GSL.
PYLIB='
import csv, math, os, struct, sys, xml.etree.ElementTree as ET
def betacf(a, b, x):
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / d
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((a - 1 + m2) * (a + m2)), -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2))):
            d = 1.0 + aa * d
            c = 1.0 + aa / c
            d = 1.0 / d
            h *= d * c
    return h
def ibeta(a, b, x):
    if x <= 0: return 0.0
    if x >= 1: return 1.0
    bt = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2): return bt * betacf(a, b, x) / a
    return 1 - bt * betacf(b, a, 1 - x) / b
def t_p2(t, df):   # two-sided p
    return ibeta(df / 2, 0.5, df / (df + t * t))
def t_crit(df, level=0.95):
    lo, hi = 0.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_p2(mid, df) > 1 - level: lo = mid
        else: hi = mid
    return (lo + hi) / 2
def mean(v): return sum(v) / len(v)
def var(v):
    m = mean(v)
    return sum((x - m) ** 2 for x in v) / (len(v) - 1)
def ci(v):
    if len(v) < 2: return mean(v), mean(v)
    h = t_crit(len(v) - 1) * math.sqrt(var(v) / len(v))
    return mean(v) - h, mean(v) + h
def welch_p(a, b):
    va, vb = var(a) / len(a), var(b) / len(b)
    se = math.sqrt(va + vb)
    d = mean(b) - mean(a)
    if se == 0: return 1.0 if d == 0 else 0.0
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return t_p2(d / se, df)
def close(a, b, rel=1e-9): return abs(a - b) <= rel * max(1.0, abs(a), abs(b))
def blocks(path):
    """The data file as blocks (split at two blank lines) of rows (lists of words)."""
    out, cur, blank = [], [], 0
    for line in open(path):
        s = line.strip()
        if not s:
            blank += 1
            continue
        if blank >= 2 and cur is not None:
            out.append(cur)
            cur = []
        blank = 0
        if not s.startswith("#"):
            cur.append(s.split())
    out.append(cur)
    return out
# the rows of a CSV; a tidy results table (report/tidy.h) gets a key per
# parameter after its columns ("" where a run has none), as cassim plot reads it
def rows(path):
    R = list(csv.DictReader(open(path, newline="")))
    if R and "parameters" in R[0]:
        keys = []
        for r in R:
            for kv in r["parameters"].split(";"):
                if kv and kv.split("=", 1)[0] not in keys: keys.append(kv.split("=", 1)[0])
        for r in R:
            p = dict(kv.split("=", 1) for kv in r["parameters"].split(";") if kv)
            r.update({k: p.get(k, "") for k in keys})
    return R
TIDY = "topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text"
def png_size(path):
    d = open(path, "rb").read(24)
    assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    assert d[12:16] == b"IHDR", "no IHDR chunk first"
    return struct.unpack(">II", d[16:24])
def svg_size(path):
    r = ET.parse(path).getroot()
    assert r.tag.endswith("svg"), r.tag
    return int(r.get("width")), int(r.get("height"))
'

# only DESC DIR FILE...: ok if DIR holds exactly FILE... (no temporary files).
only() {
	_d=$1
	_dir=$2
	shift 2
	_want=
	[ $# -gt 0 ] && _want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	_got=$(ls -A "$_dir" | sort | tr '\n' ' ')
	if [ "$_got" = "$_want" ]; then ok "$_d"; else not_ok "$_d" "want: $_want" "got:  $_got"; fi
}

# figure DESC PREFIX W H: the PNG and SVG exist with that size.
figure() {
	py "$1: PNG ${3}x$4 and SVG ${3}x$4 (XML)" '
assert png_size(sys.argv[1] + ".png") == (int(sys.argv[2]), int(sys.argv[3])), png_size(sys.argv[1] + ".png")
assert svg_size(sys.argv[1] + ".svg") == (int(sys.argv[2]), int(sys.argv[3])), svg_size(sys.argv[1] + ".svg")
' "$2" "$3" "$4"
}

expect_exit 0 "plot --help" "$CASSIM" plot --help
check "--help names the four figure types" sh -c 'for t in lines heatmap timeline occupancy; do grep -q "^  $t " "$1" || exit 1; done' sh "$OUT"

# ---- lines ------------------------------------------------------------------
mkdir lines
expect_exit 0 "lines: $LMETRIC against $LX (the other axes fixed)" "$CASSIM" plot lines "$SWEEP" \
	--x $LX --metric $LMETRIC --where $LWHERE1 --where $LWHERE2 \
	--out lines/rps --keep-data
only "lines: PNG, SVG and the kept data, nothing else" lines rps.png rps.svg rps.dat
figure "lines" lines/rps 1200 800
py "lines: per policy and x, the mean and 95% CI over the seeds (an empty cell counts for every value)" '
X, M = sys.argv[3], sys.argv[4]
W = [w.split("=", 1) for w in sys.argv[5:]]
R = [r for r in rows(sys.argv[1]) if r["metric"] == M and all(r[k] in ("", v) for k, v in W)]
B = blocks(sys.argv[2])
pols = []
for r in R:
    if r["policy"] not in pols: pols.append(r["policy"])
assert len(B) == len(pols) >= 2, (len(B), pols)
xs = sorted({int(r[X]) for r in R})
assert len(xs) >= 2, xs
for p, blk in zip(pols, B):
    assert [int(float(row[0])) for row in blk] == xs, (p, blk)
    for x, row in zip(xs, blk):
        v = [float(r["value"]) for r in R if r["policy"] == p and int(r[X]) == x]
        assert len(v) >= 2 and int(row[4]) == len(v), (p, x, v, row)
        lo, hi = ci(v)
        assert close(float(row[1]), mean(v)) and close(float(row[2]), lo) and close(float(row[3]), hi), (p, x, row, mean(v), lo, hi)
        assert row[5] == "\"%d\"" % x
' "$SWEEP" lines/rps.dat $LX $LMETRIC $LWHERE1 $LWHERE2
expect_exit 0 "lines: the same data on a second run" "$CASSIM" plot lines "$SWEEP" \
	--x $LX --metric $LMETRIC --where $LWHERE1 --where $LWHERE2 \
	--out lines/again --keep-data --size 900,600
check "lines: the data file is byte-identical" cmp lines/rps.dat lines/again.dat
figure "lines --size 900,600" lines/again 900 600

# ---- heatmap ----------------------------------------------------------------
# A made-up table with known answers: policy new against base over a (numeric)
# and b (words); base has no value for the tunable t (empty cells: counts for
# every t); cell a=2,b=y misses new's runs.
cat >hm.csv <<'CSV'
topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text
CSV
python3 - >>hm.csv <<'PY'
import random
rng = random.Random(3)
j = 0
for a in (10, 2):
    for b in ("y", "x"):
        for pol, t in (("base", ""), ("new", "7")):
            if pol == "new" and (a, b) == (2, "y"):
                continue
            for seed in (1, 2, 3, 4):
                j += 1
                lat = 100 + seed + rng.random()
                if pol == "new":
                    lat *= {(10, "y"): 0.8, (10, "x"): 1.001, (2, "x"): 1.2}[(a, b)]
                par = "a=%d;b=%s" % (a, b) + (";t=" + t if t else "")
                print("m,w,%s,%s,%d,bench,,latency,value,us,%r," % (par, pol, seed, lat))
                print("m,w,%s,%s,%d,bench,,ops,value,ops/s,%r," % (par, pol, seed, 1000 / lat))
PY
mkdir hm
expect_exit 0 "heatmap: latency of new against base over a and b" "$CASSIM" plot heatmap hm.csv \
	--x a --y b --metric latency --policy new --baseline base --out hm/lat --keep-data
figure "heatmap" hm/lat 1200 800
py "heatmap: % change (+ = better), Welch p and marks by value; numeric axis sorted, words in file order" '
R = [r for r in rows(sys.argv[1]) if r["metric"] == sys.argv[3]]
sign = -1 if sys.argv[4] == "lower" else 1
xs, ys = ["2", "10"], ["y", "x"]
cells = blocks(sys.argv[2])[0]
assert len(cells) == 4, cells
for row in cells:
    x, y = xs[int(row[0])], ys[int(row[1])]
    p = [float(r["value"]) for r in R if r["policy"] == "new" and r["a"] == x and r["b"] == y]
    b = [float(r["value"]) for r in R if r["policy"] == "base" and r["a"] == x and r["b"] == y]
    assert int(row[7]) == len(b) == 4 and int(row[6]) == len(p), row
    if not p:
        assert row[2] in ("nan", "-nan") and row[3] == "\"n/a\"", row
        continue
    pct = sign * (mean(p) - mean(b)) / abs(mean(b)) * 100
    pw = welch_p(b, p)
    mark = "**" if pw < 0.01 else "*" if pw < 0.05 else ""
    assert close(float(row[2]), pct) and close(float(row[4]), mean(p)) and close(float(row[5]), mean(b)), (row, pct)
    assert close(float(row[8]), pw, 1e-6), (row, pw)
    assert row[3] == "\"%+.1f%%%s\"" % (pct, mark), (row, pct, mark)
marks = sorted(r[3] for r in cells)
assert any(m.endswith("**\"") for m in marks) and any(m.endswith("%\"") for m in marks), marks
' hm.csv hm/lat.dat latency lower
expect_exit 0 "heatmap: ops (a rate: higher is better)" "$CASSIM" plot heatmap hm.csv \
	--x a --y b --metric ops --policy new --baseline base --out hm/ops --keep-data
py "heatmap: the sign follows the direction (ops/s higher is better)" '
cells = blocks(sys.argv[1])[0]
d = {(r[0], r[1]): float(r[2]) for r in cells if r[3] != "\"n/a\""}
assert d[("1", "0")] > 20 and d[("0", "1")] < -15, d
' hm/ops.dat
expect_exit 0 "heatmap: --x $LX --y $HY on the example" "$CASSIM" plot heatmap "$SWEEP" \
	--x $LX --y $HY --metric $LMETRIC --policy $HPOLICY --baseline $HBASE \
	--where $LWHERE1 --out hm/wt --keep-data
py "heatmap: a cell per x and y of the example, means, % change and Welch p by value" '
X, Y, M, P, BASE = sys.argv[3:8]
k, v = sys.argv[8].split("=", 1)
R = [r for r in rows(sys.argv[1]) if r["metric"] == M and r[k] in ("", v)]
xs = sorted({int(r[X]) for r in R if r[X]})
ys = sorted({int(r[Y]) for r in R if r[Y]})
cells = blocks(sys.argv[2])[0]
assert len(cells) == len(xs) * len(ys) >= 4, (cells, xs, ys)
unit = [r["unit"] for r in R][0]
sign = -1 if unit in ("ns", "us", "ms", "s") else 1
for row in cells:
    x, y = xs[int(row[0])], ys[int(row[1])]
    sel = lambda pol: [float(r["value"]) for r in R if r["policy"] == pol and r[X] in ("", str(x)) and r[Y] in ("", str(y))]
    p, b = sel(P), sel(BASE)
    assert len(p) >= 2 and len(b) >= 2 and int(row[6]) == len(p) and int(row[7]) == len(b), row
    assert close(float(row[4]), mean(p)) and close(float(row[5]), mean(b)), row
    pct = sign * (mean(p) - mean(b)) / abs(mean(b)) * 100
    assert close(float(row[2]), pct), (row, pct)
    if var(p) + var(b) > 0:
        assert close(float(row[8]), welch_p(b, p), 1e-6), (row, welch_p(b, p))
' "$SWEEP" hm/wt.dat $LX $HY $LMETRIC $HPOLICY $HBASE $LWHERE1

# ---- timeline ---------------------------------------------------------------
mkdir tl
expect_exit 0 "timeline: the example" "$CASSIM" plot timeline "$TL" --out tl/all --keep-data --size 1000,700
only "timeline: PNG, SVG and data only" tl all.png all.svg all.dat
figure "timeline" tl/all 1000 700
py "timeline: every box starts at a slice start and ends at a slice end of its process on its CPU, no overlaps" '
R = rows(sys.argv[1])
cpus = sorted({(int(r["node"]), int(r["llc"]), int(r["cpu"])) for r in R})
row_cpu = [c for _, _, c in cpus]
B = blocks(sys.argv[2])
names = [l[2:].strip() for l in open(sys.argv[2]) if l.startswith("# ") and not l.startswith("# cassim")]
procs = {r["process"] for r in R}
assert len(B) == len(names) == min(len(procs), 12) and (set(names) == procs or len(procs) > 12), (names, procs)
byrow = {}
for name, blk in zip(names, B):
    starts = {(int(r["cpu"]), int(r["start_ns"])) for r in R if r["process"] == name}
    ends = {(int(r["cpu"]), int(r["end_ns"])) for r in R if r["process"] == name}
    for row, s, e in ((int(a), int(b), int(c)) for a, b, c in blk):
        cpu = row_cpu[row]
        assert (cpu, s) in starts and (cpu, e) in ends, (name, cpu, s, e)
        byrow.setdefault(row, []).append((s, e))
for row, bx in byrow.items():
    bx.sort()
    assert all(a[1] <= b[0] for a, b in zip(bx, bx[1:])), (row, bx)
' "$TL" tl/all.dat
# slices far longer than a pixel: the boxes are the slices, same-process neighbours merged
cat >small.csv <<'CSV'
cpu,llc,node,start_ns,end_ns,pid,tid,process,thread
3,1,0,0,100000,1,1,a,a1
0,0,0,0,300000,2,2,"b, the ""second""",b1
0,0,0,300000,500000,1,1,a,a1
3,1,0,100000,250000,1,3,a,a2
3,1,0,600000,1000000,2,2,"b, the ""second""",b1
0,0,0,700000,1000000,1,1,a,a1
CSV
expect_exit 0 "timeline: a hand-made file (quoted names)" "$CASSIM" plot timeline small.csv --out tl/small --keep-data
py "timeline: boxes = slices, merged where one process runs on" '
B = blocks(sys.argv[1])
names = [l[2:].strip() for l in open(sys.argv[1]) if l.startswith("# ") and not l.startswith("# cassim")]
got = {n: sorted(tuple(map(int, r)) for r in b) for n, b in zip(names, B)}
assert got == {"a": [(0, 300000, 500000), (0, 700000, 1000000), (1, 0, 250000)],
               "b, the \"second\"": [(0, 0, 300000), (1, 600000, 1000000)]}, got
' tl/small.dat
expect_exit 0 "timeline: --from/--to" "$CASSIM" plot timeline small.csv --from 200us --to 800us --out tl/zoom --keep-data
py "timeline: a range clips the boxes" '
got = sorted(tuple(map(int, r)) for b in blocks(sys.argv[1]) for r in b)
assert got == [(0, 200000, 300000), (0, 300000, 500000), (0, 700000, 800000), (1, 200000, 250000), (1, 600000, 800000)], got
' tl/zoom.dat
# 16 CPUs of 5 us slices over 40 ms (hot, hot, hot, cold, ...): far more
# slices than pixels (33 us); hot has most of every pixel column
python3 - >big.csv <<'PY'
import csv, sys
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["cpu", "llc", "node", "start_ns", "end_ns", "pid", "tid", "process", "thread"])
for t in range(0, 40000000, 5000):
    for cpu in range(16):
        p = "hot" if (t // 5000 + cpu) % 4 else "cold"
        w.writerow([cpu, cpu // 8, 0, t, t + 5000, 1, cpu, p, p])
PY
expect_exit 0 "timeline: 128000 slices" "$CASSIM" plot timeline big.csv --out tl/big --keep-data
py "timeline: one box per CPU, hot from its first to its last slice (cold never wins a column)" '
B = blocks(sys.argv[1])
names = [l[2:].strip() for l in open(sys.argv[1]) if l.startswith("# ") and not l.startswith("# cassim")]
assert names == ["hot", "cold"] and len(B[1]) == 0, (names, [len(b) for b in B])
# from the first start of hot to its last end: (k + cpu) % 4 == 0 is cold, k = t / 5 us
first = lambda c: 5000 * min(k for k in range(4) if (k + c) % 4)
last = lambda c: 5000 * (max(k for k in range(7996, 8000) if (k + c) % 4) + 1)
assert sorted(tuple(map(int, r)) for r in B[0]) == [(c, first(c), last(c)) for c in range(16)], B[0][:3]
' tl/big.dat

# 14 processes: the 11 with the most CPU time get a style each, the other 3 share one
python3 - >many.csv <<'PY'
print("cpu,llc,node,start_ns,end_ns,pid,tid,process,thread")
for i in range(14):
    print("%d,0,0,0,%d,%d,%d,p%02d,t" % (i, 1000000 * (i + 1), i, i, i))
PY
expect_exit 0 "timeline: 14 processes" "$CASSIM" plot timeline many.csv --out tl/many --keep-data
py "timeline: 11 styles by CPU time, then one for the other 3" '
B = blocks(sys.argv[1])
names = [l[2:].strip() for l in open(sys.argv[1]) if l.startswith("# ") and not l.startswith("# cassim")]
assert names == ["p%02d" % i for i in range(13, 2, -1)] + ["other"], names
assert [len(b) for b in B] == [1] * 11 + [3], [len(b) for b in B]
assert sorted(int(r[2]) for r in B[11]) == [1000000, 2000000, 3000000], B[11]
' tl/many.dat

# ---- occupancy --------------------------------------------------------------
mkdir occ
expect_exit 0 "occupancy: the example, 5 ms bins" "$CASSIM" plot occupancy "$TL" --bin 5ms --out occ/all --keep-data
figure "occupancy" occ/all 1200 800
py "occupancy: per process and bin, the CPU time and its fraction per LLC by value" '
R = rows(sys.argv[1])
B = blocks(sys.argv[2])
names = [l[2:].strip() for l in open(sys.argv[2]) if l.startswith("# ") and not l.startswith("# cassim")]
tot = {}
for r in R: tot[r["process"]] = tot.get(r["process"], 0) + int(r["end_ns"]) - int(r["start_ns"])
assert names == sorted(tot, key=lambda p: (-tot[p], p))[:8], names
# the range: first start to last end; the LLCs: the header names their columns
t0, t1 = min(int(r["start_ns"]) for r in R), max(int(r["end_ns"]) for r in R)
head = [l for l in open(sys.argv[2]) if l.startswith("# cassim plot occupancy")][0]
llcs = [int(w[3:]) for w in head.split() if w.startswith("llc") and w[3:].isdigit()]
assert llcs == sorted({int(r["llc"]) for r in R}), (llcs, head)
nb = -(-(t1 - t0) // 5000000)
for name, blk in zip(names, B):
    assert len(blk) == nb, (len(blk), nb)
    for b, row in enumerate(blk):
        lo, hi = t0 + b * 5000000, min(t1, t0 + (b + 1) * 5000000)
        assert (int(row[0]), int(row[1])) == (lo, hi), row
        per = dict.fromkeys(llcs, 0)
        for r in R:
            if r["process"] == name:
                per[int(r["llc"])] += max(0, min(hi, int(r["end_ns"])) - max(lo, int(r["start_ns"])))
        tot_b = sum(per.values())
        assert close(float(row[2]), tot_b), (name, b, row, per)
        for k, l in enumerate(llcs):
            assert close(float(row[3 + k]), per[l] / tot_b if tot_b else 0), (name, b, row, per)
' "$TL" occ/all.dat
# the example's processes in file order (as the tool lists them), and its range
TLPROCS=$(python3 -c "$PYLIB
seen = []
for r in rows(sys.argv[1]):
    if r['process'] not in seen: seen.append(r['process'])
print(', '.join(seen))" "$TL")
TLPROC=${TLPROCS%%,*}
TLSPAN=$(python3 -c "$PYLIB
R = rows(sys.argv[1])
print(max(int(r['end_ns']) for r in R) - min(int(r['start_ns']) for r in R))" "$TL")
expect_exit 0 "occupancy: --process $TLPROC" "$CASSIM" plot occupancy "$TL" --process "$TLPROC" --out occ/db --keep-data
py "occupancy: one panel; default bins: range / 50 rounded to 1, 2 or 5 x 10^k" '
B = blocks(sys.argv[1])
span = int(sys.argv[2])
raw = span / 50
p = 10 ** math.floor(math.log10(raw))
m = raw / p
bin = int(p * (1 if m < 1.5 else 2 if m < 3.5 else 5 if m < 7.5 else 10))
width = int(B[0][0][1]) - int(B[0][0][0])
assert len(B) == 1 and width == bin and len(B[0]) == -(-span // bin), (len(B), len(B[0]), B[0][0], bin)
' occ/db.dat "$TLSPAN"
expect_exit 0 "occupancy: again" "$CASSIM" plot occupancy "$TL" --process "$TLPROC" --out occ/db2 --keep-data
check "occupancy: the data file is byte-identical" cmp occ/db.dat occ/db2.dat

# ---- bad input: exit 2, one line, nothing written ------------------------------
mkdir bad
TIDYH="topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text"
printf '%s\nt,w,p=2,cfs,1,bench,,lat,value,us,3,"x\n' "$TIDYH" >unterminated.csv
printf '%s\nt,w,p=2,cfs,1,bench,,lat,value,us,3,\nt,w,p=2,cfs,2,bench,,lat,value,us,fast,\n' "$TIDYH" >badvalue.csv
printf '%s\nt,w,p=2,cfs,1,bench,,lat,value,us,3\n' "$TIDYH" >fields.csv
printf 'policy,seed,metric,unit,value\ncfs,1,lat,us,3\n' >header.csv
printf '%s\nt,w,,cfs,1,bench,,lat,value,us,3,\nt,w,,cas,1,bench,,lat,value,us,2,\n' "$TIDYH" >compare.csv
printf 'cpu,llc,node,start_ns,end_ns,pid,tid,process,thread\n0,0,0,10,5,1,1,a,a\n' >backwards.csv
printf 'cpu,llc,node,start_ns,end_ns,pid,tid,process,thread\n0,0,0,0,50,1,1,a,a\n0,0,0,40,60,1,2,b,b\n' >overlap.csv
printf 'cpu,llc,node,start_ns,end_ns,pid,tid,process,thread\n0,0,0,0,x,1,1,a,a\n' >badtime.csv
LINES="--x $LX --metric $LMETRIC --out bad/f"
# what the messages about the example list, from the example itself
SW=$(python3 -c "$PYLIB
R = rows(sys.argv[1])
keys = list(R[0].keys())
params = keys[keys.index('text') + 1:]
hdr = ['topology', 'workload', 'policy', 'seed', 'scope', 'process', 'metric', 'stat', 'unit'] + params
def order(c):
    out = []
    for r in R:
        if r[c] and r[c] not in out: out.append(r[c])
    return out
free = [c for c in params + ['topology', 'workload'] if c != sys.argv[2]]
free = [c for c in hdr if c in free and len(order(c)) > 1]
print(order('metric')[0])
print(', '.join(hdr))
print('; '.join('%s = %s' % (c, ', '.join(order(c))) for c in free))
print(', '.join(order('topology')))
print(', '.join(order('policy')))
" "$SWEEP" "$LX")
SW_METRIC=$(echo "$SW" | sed -n 1p)
SW_COLUMNS=$(echo "$SW" | sed -n 2p)
SW_FREE=$(echo "$SW" | sed -n 3p)
SW_TOPOS=$(echo "$SW" | sed -n 4p)
SW_POLICIES=$(echo "$SW" | sed -n 5p)
bad() {
	_desc=$1
	_re=$2
	shift 2
	expect_exit 2 "$_desc: exit 2" "$@"
	expect_one_line_stderr "$_desc: says so" "$_re"
}
bad "missing file" "nothere.csv: cannot open" "$CASSIM" plot lines nothere.csv $LINES
bad "unterminated quote" "unterminated.csv:2: unterminated quoted field" "$CASSIM" plot lines unterminated.csv $LINES
bad "a value that is not a number" "badvalue.csv:3: field 'value': 'fast' is not a number" \
	"$CASSIM" plot lines badvalue.csv --x p --metric lat --out bad/f
bad "a short row" "fields.csv:2: 11 fields, expected 12" "$CASSIM" plot lines fields.csv --x p --metric lat --out bad/f
bad "not a results header" "header.csv:1: not a results table header" "$CASSIM" plot lines header.csv --x p --metric lat --out bad/f
bad "compare's table has no parameter axis" "--x policy: not an axis \(expected topology, workload, scope, process or a parameter column\)" \
	"$CASSIM" plot lines compare.csv --x policy --metric lat --out bad/f
bad "unknown metric" "--metric nosuch: no metric 'nosuch' .*expected one of: $SW_METRIC" \
	"$CASSIM" plot lines "$SWEEP" --x $LX --metric nosuch --out bad/f
bad "unknown column" "--x nosuch: .* has no such column \(expected one of: $SW_COLUMNS\)" \
	"$CASSIM" plot lines "$SWEEP" --x nosuch --metric $LMETRIC --out bad/f
bad "axes left free" "more than one value .*: $SW_FREE\$" \
	"$CASSIM" plot lines "$SWEEP" --x $LX --metric $LMETRIC --out bad/f
bad "--where with an unknown value" "--where topology=mars: no topology 'mars' .*expected one of: $SW_TOPOS\)" \
	"$CASSIM" plot lines "$SWEEP" --x $LX --metric $LMETRIC --where topology=mars --out bad/f
bad "unknown policy" "--policy cas-v9: no policy 'cas-v9' .*expected one of: $SW_POLICIES\)" \
	"$CASSIM" plot heatmap "$SWEEP" --x $LX --y $HY --metric $LMETRIC --policy cas-v9 --baseline $HBASE --out bad/f
bad "the policy as an axis" "--x policy: not an axis" \
	"$CASSIM" plot heatmap "$SWEEP" --x policy --y topology --metric $LMETRIC --policy $HPOLICY --baseline $HBASE --out bad/f
bad "an option of another type" "--bin does not apply to plot lines" \
	"$CASSIM" plot lines "$SWEEP" --x $LX --metric $LMETRIC --bin 1ms --out bad/f
bad "unknown type" "unknown figure type 'pie'" "$CASSIM" plot pie "$SWEEP" --out bad/f
bad "no --out" "--out PREFIX is required" "$CASSIM" plot timeline "$TL"
# an output that cannot be written is exit status 1, as in every verb (cassim(1))
expect_exit 1 "--out in a missing directory: exit 1" "$CASSIM" plot timeline "$TL" --out nodir/f
expect_one_line_stderr "--out in a missing directory: says so" \
	"--out nodir/f: nodir/f\.png: cannot open for writing: No such file or directory"
bad "--size too small" "--size 10,10: expected WIDTH,HEIGHT" "$CASSIM" plot timeline "$TL" --size 10,10 --out bad/f
bad "timeline: end before start" "backwards.csv:2: field 'end_ns': 5 is before start_ns 10" "$CASSIM" plot timeline backwards.csv --out bad/f
bad "timeline: overlapping slices" "overlap.csv:3: slice overlaps the one on line 2 on cpu 0" "$CASSIM" plot timeline overlap.csv --out bad/f
bad "timeline: a time that is not a number" "badtime.csv:2: field 'end_ns': 'x' is not an integer" "$CASSIM" plot timeline badtime.csv --out bad/f
bad "timeline: a results table" "sweep-results.csv:1: header has no 'cpu' column" "$CASSIM" plot timeline "$SWEEP" --out bad/f
bad "timeline: an empty range" "an empty range" "$CASSIM" plot timeline "$TL" --from 50ms --to 50ms --out bad/f
bad "occupancy: unknown process" "--process nosuch: no such process .*expected one of: $TLPROCS\)" \
	"$CASSIM" plot occupancy "$TL" --process nosuch --out bad/f
bad "occupancy: too many bins" "--bin 1ns: $TLSPAN ns would make more than 100000 bins" \
	"$CASSIM" plot occupancy "$TL" --bin 1 --out bad/f
CASSIM_GNUPLOT=/nonexistent/gnuplot bad "gnuplot missing" "needs gnuplot.*gnuplot-nox" \
	"$CASSIM" plot timeline "$TL" --out bad/f
only "bad input wrote nothing" bad
expect_exit 1 "gnuplot failing: exit 1" env CASSIM_GNUPLOT=false "$CASSIM" plot timeline "$TL" --out bad/f --keep-data
expect_one_line_stderr "gnuplot failing: says so" "gnuplot failed"
only "a failed render wrote nothing" bad

done_testing
