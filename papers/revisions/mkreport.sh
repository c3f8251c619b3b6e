#!/bin/sh
# mkreport.sh: write report.md (to stdout) from the outputs of the Makefile:
# the plans, tables/*.txt (cassim sweep --report), results/*.csv, the work
# directory's full results.csv (policy counters) and figures/*.png.
# Every number in the report comes from those files; the prose around them
# names what to look for. Run by make from this directory; CASSIM and WORK
# may be set (defaults: ../../cassim, work).
set -eu

CASSIM=${CASSIM:-../../cassim}
WORK=${WORK:-work}

# The CSVs are cassim's tidy layout (cassim(1) CSV); the awk programs read
# the columns by name (c[NAME]) and a run's parameters with param(KEY).
# Only the last field (text) is ever quoted, so -F, splits the others right.
PARAM_AWK='function param(k,    n, i, a) {
	n = split($c["parameters"], a, ";")
	for (i = 1; i <= n; i++)
		if (index(a[i], k "=") == 1) return substr(a[i], length(k) + 2)
	return ""
}'

# a file in a fenced block
block() { # LANG FILE
	printf '```%s\n' "$1"
	cat "$2"
	printf '```\n\n'
}

# the tables of one study's metric, as produced by cassim sweep --report
table() { # STUDY METRIC
	block text "tables/$1-$2.txt"
}

# mean over the seeds of policy counters, per topology, workload and policy,
# as a Markdown table: mean_table RESULTS POLICY-REGEX METRIC...
mean_table() {
	f=$1; pre=$2; shift 2
	awk -F, -v pre="$pre" -v metrics="$*" "$PARAM_AWK"'
	BEGIN { nm = split(metrics, mm, " "); for (i = 1; i <= nm; i++) want[mm[i]] = i }
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["policy"] ~ pre && ($c["metric"] in want) {
		w = $c["workload"]; if (w == "hackbench") w = w " fds=" param("fds")
		k = $c["topology"] SUBSEP w SUBSEP $c["policy"]
		if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		s[k, $c["metric"]] += $c["value"]; cnt[k, $c["metric"]]++
	}
	END {
		printf "| topology | workload | policy |"
		for (i = 1; i <= nm; i++) printf " %s |", mm[i]
		printf "\n|---|---|---|"
		for (i = 1; i <= nm; i++) printf "---:|"
		printf "\n"
		for (j = 1; j <= n; j++) {
			split(order[j], p, SUBSEP)
			printf "| %s | %s | %s |", p[1], p[2], p[3]
			for (i = 1; i <= nm; i++) {
				m = mm[i]
				if (cnt[order[j], m]) printf " %.3g |", s[order[j], m] / cnt[order[j], m]
				else printf " - |"
			}
			printf "\n"
		}
	}' "$f"
	echo
}

# per topology, the policies whose policy_active is 0 in every run
inactive() { # RESULTS
	awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["metric"] == "policy_active" {
		k = $c["topology"] SUBSEP $c["policy"]
		if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		if ($c["value"] != 0) on[k] = 1
	}
	END {
		for (j = 1; j <= n; j++) {
			split(order[j], p, SUBSEP)
			if (!(order[j] in on)) off[p[1]] = off[p[1]] (off[p[1]] == "" ? "" : ", ") "`" p[2] "`"
			if (!(p[1] in tseen)) { tseen[p[1]] = 1; tops[++nt] = p[1] }
		}
		for (j = 1; j <= nt; j++)
			printf "* `%s`: %s\n", tops[j], (tops[j] in off) ? "not present: " off[tops[j]] : "present for every revision"
	}' "$1"
	echo
}

# the ablation variants whose mean differs from cas-v4's defaults
ablation_changes() { # HEADLINE-CSV (headline.awk output with defaults=: parameters variant=...)
	awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["policy"] == "cas" { k = $c["workload"] SUBSEP substr($c["parameters"], 9); s[k] += $c["value"]; n[k]++; if (!(k in seen)) { seen[k] = 1; order[++nk] = k } }
	END {
		print "| topology: workload | variant | mean | mean at v4 defaults | change |"
		print "|---|---|---:|---:|---:|"
		for (j = 1; j <= nk; j++) {
			split(order[j], p, SUBSEP)
			if (p[2] == "defaults") continue
			d = p[1] SUBSEP "defaults"
			if (!(d in n)) continue
			a = s[order[j]] / n[order[j]]; b = s[d] / n[d]
			if (a != b) { printf "| %s | %s | %.6g | %.6g | %+.2f %% |\n", p[1], p[2], a, b, (a - b) / b * 100; any = 1 }
		}
		if (!any) print "| (none) | | | | |"
	}' "$1"
	echo
}

# mean over the seeds of policy counters for the Hygon study, one row per
# benchmark configuration and policy: hygon_table RESULTS METRIC...
hygon_table() {
	f=$1; shift
	awk -F, -v metrics="$*" "$PARAM_AWK"'
	BEGIN { nm = split(metrics, mm, " "); for (i = 1; i <= nm; i++) want[mm[i]] = i }
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	($c["metric"] in want) {
		w = $c["workload"] == "hackbench" ? "hackbench -g " param("groups") " -f " param("fds") : "schbench -t " param("workers")
		k = w SUBSEP $c["policy"]
		if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		s[k, $c["metric"]] += $c["value"]; cnt[k, $c["metric"]]++
	}
	END {
		printf "| benchmark | policy |"
		for (i = 1; i <= nm; i++) printf " %s |", mm[i]
		printf "\n|---|---|"
		for (i = 1; i <= nm; i++) printf "---:|"
		printf "\n"
		for (j = 1; j <= n; j++) {
			split(order[j], p, SUBSEP)
			printf "| %s | %s |", p[1], p[2]
			for (i = 1; i <= nm; i++)
				if (cnt[order[j], mm[i]]) printf " %.3g |", s[order[j], mm[i]] / cnt[order[j], mm[i]]
				else printf " - |"
			printf "\n"
		}
	}' "$f"
	echo
}

ver=$("$CASSIM" --version 2>/dev/null | head -n 1)

cat <<EOF
# Cache-aware scheduling from RFC to v4 on Xeon 6 and EPYC Turin

Generated by \`make -C papers/revisions\` (\`mkreport.sh\`) with $ver. Every table below is
\`cassim sweep --report\` output pasted as is; every figure is \`cassim plot\`; the short
Markdown tables are means over seeds computed by \`mkreport.sh\` from the runs' \`results.csv\`.
The commands are in \`Makefile\`; how long the build takes is in \`README.md\`.

How to read the tables: one block per topology, workload and metric; a cell is the mean over
the seeds and the change against \`cfs\` in % with **+ = better** (by the metric's direction);
\`*\` p < 0.05, \`**\` p < 0.01 from Welch's t-test, Holm-adjusted over every comparison of that
one table file (one \`--report --metric\` call); \`exact\`: every seed gave the same value. The
heatmaps mark p-values of Welch's t-test per cell, *not* Holm-adjusted, so a heatmap star is
weaker evidence than a table star. Seeds are few (3, 2 on the 768-CPU EPYC 9965) and runs short
(below one simulated second): the studies are sized to build in minutes on two shared cores.
Policy counters (\`policy_*\`, \`docs/policies.md\`) tell whether CAS acted at all; read them
before reading a percentage.

## 1. Every revision against cfs

**What was run.** \`cassim sweep plans/revisions.json --out $WORK/revisions --jobs 2\`: the nine
revisions (\`cassim policies\`) and \`cfs\` on Xeon 6 6980P with SNC3 and on both Turin parts, six
benchmark models (\`workloads/MODELS.md\`) sized to sit below one LLC: hackbench in thread mode with
pipes (1 group, 4 and 8 fds: 8 and 16 threads), schbench (1 message thread, 4 workers), STREAM
(4 threads, 32 MiB per thread), netperf TCP_RR and tbench (4 pairs / clients), chacha20-verilator
(8 threads).

EOF
block json plans/revisions.json

cat <<'EOF'
**Where CAS is present.** A revision that is not present on a machine runs the stock code, so
every one of its cells is `cfs` exactly (`policy_active` = 0 in every run):

EOF
inactive "$WORK/revisions/results.csv"

cat <<'EOF'
The Xeon 6 6980P with SNC3 has one LLC per NUMA node (`cassim topo xeon6-6980p-2s-snc3`). The
present rule of RFC v4 .. v4 (`present_rule` = 1: "some node has several LLCs") does not hold there,
so those revisions are off; the RFCs (more than one LLC in the machine) and the merged code (several
LLCs in the machine's partition) are on.

**Headline metrics.** One heatmap per direction (the plot takes one direction per figure);
columns are revisions, rows machine and workload. Cells are the change of the mean against `cfs`,
+ = better. In the titles `cas` stands for the revision under each column (`headline.awk` folds
the revisions into one policy and a `revision` column, see `README.md`); schbench's p99 is drawn in
s so that one unit covers the figure.

![every revision against cfs, metrics where lower is better](figures/revisions-lower.png)

![every revision against cfs, metrics where higher is better](figures/revisions-higher.png)

The same data as mmtests-style tables:

EOF
for m in time wakeup_latency_p99 bandwidth throughput; do table revisions $m; done

cat <<'EOF'
**Did CAS aggregate?** `policy_top_llc_runtime_frac` is the share of the process's CPU time in
the LLC where it ran most: 1/threads or so when each thread sits in its own LLC, near 1 when CAS
pulled the process together.

EOF
table revisions policy_top_llc_runtime_frac

cat <<'EOF'
The counters behind it for the load-balancing revisions, v4 and merged (mean per run; gates are
`gate_trips_*`, CAS-started moves `llc_balance_migrations` and `llc_active_migrations`, the RFC's
wakeup steering `wake_redirects`, which only the RFCs have; cas-rfc shown for contrast):

EOF
mean_table "$WORK/revisions/results.csv" '^(cas-rfc|cas-v4|cas-merged)$' \
	policy_active policy_scans policy_gate_trips_threads policy_gate_trips_memory \
	policy_gate_trips_single policy_llc_balance_migrations policy_llc_active_migrations \
	policy_wake_redirects policy_top_llc_runtime_frac

cat <<'EOF'
**What the simulator shows.** Read against the model of stop 23 (2026-12-08: util_est and
frequency invariance, the menu governor with tick stop and POLL's time limit, the pipe mutex, the
AF_UNIX socket lock and futex buckets, the spinning chacha20 barrier). The tables above are
rebuilt on every build and take precedence if a later model moves them. With 3 seeds (2 on the
EPYC 9965) and Holm's correction over 108 comparisons, **no cell of this section is significant**.
Read the counters first and the percentages second.

* **Only the RFC and RFC v2 move threads on wakeup.** Their wakeup path steers wakees to the
  process's preferred LLC (`wake_redirects`, hundreds to about 12,600 per run), and
  `top_llc_runtime_frac` reaches 0.8-1.0 for hackbench and schbench. What that does depends on
  the machine:
  * On Xeon 6 SNC3, hackbench with 4 fds gains about 11-13 % and schbench's p99 wakeup latency is
    several times worse (RFC: 85 us against 17). The wakees queue behind each other in one LLC.
* **The load-balancing revisions (RFC v3 onwards) start no migration in hackbench.**
  `llc_balance_migrations` and `llc_active_migrations` are 0 in every hackbench run. Yet their
  hackbench times spread from -33 % to +14 % against `cfs` on the Turin parts, with revisions
  whose counters are identical differing by 20 points (9755, 8 fds: RFC v4 and v1 -9.7 %, v3 and
  v4 +11.9 %). That is the hackbench model's sensitivity to small timing changes: a scan charged
  to a sender shifts when threads block and wake. It is not a CAS effect.
  * The diagnosis of the validation row `v1-hb-g12` found the same per-seed sensitivity: a change
    adding 5 us of scan every 10 ms swung single seeds by 8-27 points.
  * The high `top_llc_runtime_frac` of these runs (0.6-0.9) is what wake_affine() does with
    WF_SYNC pipe wakeups under `cfs` too: it puts a small group in one LLC without CAS.
* **schbench on Turin:** v2 .. merged move schbench's threads by active balance (2-4 per run) and
  end partly aggregated (0.54-0.64). On the EPYC 9755 the request latency p99 and p99.9 are then
  about 20 % worse for v2, v3, v4 and merged. On the 9965 the wakeup latency of RFC v4 and v1 is
  worse: p50 by 88 % (from 0.8 us), p99 by 31 %.
* **chacha20-verilator:** on Turin v4 and the patches before it trip the memory gate 42 times per
  run (`gate_trips_memory`): the model's process (32 MiB shared plus 2 MiB per thread) is larger
  than a CCD's 32 MiB L3, so they never set a preference and run as `cfs` does. RFC v3, with no
  memory gate, partly aggregates (0.48-0.57) and is 4-6 % slower. The merged code's NUMA-footprint
  gate applies only with NUMA balancing and a preferred node, which 3,000-cycle runs do not reach:
  it scans, moves about 2 threads per run and changes little (-0.6 and -1.6 %).
* **STREAM:** the memory gate stops RFC v4 .. v4 on Turin (they equal `cfs`). The RFCs up to RFC v3
  and the merged code cost 0.4-2.3 % of bandwidth; RFC v3 costs 29 % on the 9965.
* **netperf-rr and tbench:** their pairs are single-threaded processes, which v1 .. merged never
  scan (`scans` 0). The RFCs, which do scan them, change them by well under 1 %.
* **Xeon 6 SNC3:** only the RFCs and the merged code are present there (see above). The merged
  code moves threads between the SNC nodes' LLCs (`llc_active_migrations`), which is a cross-node
  move on that machine:
  * hackbench: +6.1 % with 4 fds, -2.6 % with 8;
  * schbench's p99 wakeup latency: -180 %.

## 2. v4 ablations

**What was run.** `cassim sweep plans/ablations.json`: cas-v4 with one switch at a time changed
from its defaults: the occupancy-scan set `scan_set` (0 all online CPUs, 1 v1's node-limited scan,
2 v4's) and each low-load candidate of CAS.md §2.14 (`llc_force_balance`, `alb_break_llc`,
`nonsmt_busy_x1_5`, `nr_balance_failed_escape` 0/1), against `cfs`. NUMA balancing's first scan is
brought forward to 100 ms for every policy, so that threads get a preferred node within a 1 s run.

EOF
block json plans/ablations.json

cat <<'EOF'
![cas-v4 ablations against cfs](figures/ablations-lower.png)

Every variant whose headline mean differs at all from cas-v4 with its defaults (same seeds; rows
not listed are identical to the defaults, run for run):

EOF
ablation_changes "$WORK/ablations-lower.csv"

cat <<'EOF'
Where CAS pulled the process together, and how (the control is `cas-spin` on
`spr-2s-1node-2llc`):

EOF
table ablations policy_top_llc_runtime_frac

cat <<'EOF'
The other tables of this study (not pasted here, same format): `tables/ablations-time.txt`,
`tables/ablations-latency_p99.txt`, `tables/ablations-wakeup_latency_p99.txt` (the heatmap's
data with Holm-adjusted marks), `tables/ablations-policy_llc_active_migrations.txt`,
`tables/ablations-policy_llc_balance_migrations.txt` and
`tables/ablations-policy_scan_cpus_visited.txt` (CPUs visited by the occupancy scans, the cost
`scan_set` is about).

EOF

cat <<'EOF'
**What the simulator shows.** On the Turin parts the low-load candidates are inert for these
workloads: there is no CAS balance for them to force, veto or release (`top_llc_runtime_frac`
stays at one thread's share; the `llc_*_migrations` tables are 0 there except a few active
migrations of lowload-rr on the 9965). `nonsmt_busy_x1_5` can act only without SMT, i.e. on the
synthetic machine, and changes nothing there either. On the two-LLC control (`spr-2s-1node-2llc`)
cas-v4 does pull the 4 spinning threads of `cas-spin` into one LLC, and §2.14's first candidate,
`llc_force_balance`, is the switch it depends on: with it off the process stays spread over both
LLCs (see `policy_top_llc_runtime_frac`), and hackbench with 4 fds runs faster on that machine
(the variants table). `scan_set` = 1 (v1's scan) changes the headline by well under 1 %.

### NO_HZ idle

**What was run.** `cassim sweep plans/nohz.json`: cfs, cas-v4 and cas-merged with the scheduler
tunable `nohz` 1 (the default, NO_HZ idle: an idle CPU stops its tick and balances only when
kicked) and 0 (every idle CPU keeps its tick and its periodic balance), for 4 spinning threads
(`cas-spin`) and hackbench (8 threads).

EOF
block json plans/nohz.json
table nohz policy_top_llc_runtime_frac
table nohz time

cat <<'EOF'
**What the simulator shows.** On both Turin parts the 4 spinning threads stay one per LLC with
NO_HZ idle and gather partly without it; on the two-LLC control they gather either way. hackbench's
placement does not change with `nohz` on any machine. Its threads block on a pipe and wake for
every message, so (our reading, not traced) the wakeup path, which v4 leaves stock, places them
rather than the periodic balance.
Also in `tables/`: `nohz-policy_llc_active_migrations.txt`.

## 3. LLC ids under CPU hotplug

**What was run.** `cassim sweep plans/hotplug.json`: `workloads/cas-hotplug.json` (the second
LLC's four CPUs go offline at 100 ms and come back at 200 ms) and `workloads/hotplug-demo.json`
(one CPU) on a machine of two 4-CPU LLCs; cas-v3, cas-v4 with `llc_ids` 0 (static ids) and 1
(v4's bitmask allocator), and the merged code.

EOF
block json plans/hotplug.json
for m in policy_llc_id_allocs policy_llc_id_frees policy_llc_id_max policy_domain_rebuilds \
	policy_pref_llc_runtime_frac bursts migrations_xllc; do table hotplug $m; done

cat <<'EOF'
**What the simulator shows.** With `llc_ids=1` taking a whole LLC offline frees its id and
bringing it back allocates one (`llc_id_frees`, `llc_id_allocs`); one CPU of a still-populated LLC
(hotplug-demo) frees nothing. `llc_id_max` ends where it started. Apart from the counters the runs
with `llc_ids` 0 and 1 are identical: in the model, id management is bookkeeping that changes no
placement decision (the kernel's transient undercount after a rebuild, CAS.md §2.13, is not
modelled as a behaviour change). The `llc_ids` value applies to cas-v3 as well, since every CAS
policy has the tunable.

## 4. Tunables

**What was run.** `cassim sweep plans/tunables.json`: cas-v4 and cas-merged, `aggr_tolerance` x
`overaggr_pct` as a full grid, `imb_pct` and `epoch_period` one at a time (others at their
defaults), hackbench (8 threads) and chacha20-verilator (8 threads) on the EPYC 9755 and on Xeon 6
with SNC3, where v4 is not present (its lines equal `cfs`).

EOF
block json plans/tunables.json

cat <<'EOF'
hackbench time against each tunable (mean and 95 % confidence band per policy; the others at
their defaults):

EOF
for t in epyc-9755-2s-nps1 xeon6-6980p-2s-snc3; do
	for k in aggr_tolerance overaggr_pct imb_pct epoch_period; do
		printf '![%s, %s](figures/tunables-%s-%s.png)\n' "$t" "$k" "$t" "$k"
	done
	echo
done

cat <<'EOF'
`aggr_tolerance` x `overaggr_pct` (change against cfs, + = better):

![cas-v4 on EPYC 9755, hackbench](figures/tunables-epyc-9755-2s-nps1-cas-v4-hackbench.png)
![cas-v4 on EPYC 9755, chacha20-verilator](figures/tunables-epyc-9755-2s-nps1-cas-v4-chacha20-verilator.png)

![cas-merged on Xeon 6 SNC3, hackbench](figures/tunables-xeon6-6980p-2s-snc3-cas-merged-hackbench.png)
![cas-merged on Xeon 6 SNC3, chacha20-verilator](figures/tunables-xeon6-6980p-2s-snc3-cas-merged-chacha20-verilator.png)

EOF
table tunables time
table tunables policy_gate_trips_memory

cat <<'EOF'
Also in `tables/`: `tunables-policy_top_llc_runtime_frac.txt`.

EOF

cat <<'EOF'
**What the simulator shows.** `aggr_tolerance` above 1 lifts chacha20-verilator's memory gate
(`gate_trips_memory` drops to 0), yet the time barely moves: with the gate open there is still no
balance that aggregates (section 1). `overaggr_pct` and `imb_pct` are inert here because they only
matter when a balance considers moving a task into or out of the preferred LLC, which does not
happen in these runs. `epoch_period` is the one tunable with an effect on hackbench on Turin, and
it goes the way of the scan-count effect described in section 1.

## 5. Timeline and LLC occupancy

**What was run.** `cassim run` of hackbench (1 group, 4 fds: 8 threads, pipes, thread mode,
30000 loops, seed 1) on the EPYC 9755 under `cfs`, `cas-v4` and `cas-rfc`, keeping the first 40 ms
(`--timeline --trace-from 0ms --trace-to 40ms`), then `cassim plot timeline` and `cassim plot
occupancy --bin 1ms`. Only CPUs that ran something get a row.

EOF
for p in cfs cas-v4 cas-rfc; do
	printf '![timeline, %s](figures/timeline-%s.png)\n\n' "$p" "$p"
done
for p in cfs cas-v4 cas-rfc; do
	printf '![LLC occupancy, %s](figures/occupancy-%s.png)\n\n' "$p" "$p"
done

cat <<'EOF'
The runs' summaries (`cassim run` output; the whole run, not only the window):

EOF
for p in cfs cas-v4 cas-rfc; do block text "tables/timeline-$p.txt"; done

cat <<'EOF'
**What the simulator shows.** Under `cfs` and `cas-v4` the eight threads sit one per LLC for the
whole window (the same CPUs, the same layout): v4 has a preference for the process but places
nothing differently. The RFC's wakeup steering gathers most of the process's CPU time into one LLC
within the first epochs (the occupancy figure).
Which of the two is faster for this workload is in the summaries above and in section 1.

EOF

cat <<'EOF'
## 6. Predictions: Hygon's topology-aware aggregation on the Hygon machine

These numbers are cassim's predictions, written down before anyone compares them with the tables
published in the Hygon cover letters (which `CAS-after-merge.md` deliberately does not give).
`cas-topo-rfc` (RFC v1, June 2026) and `cas-topo-rfc-v2` (RFC v2, August 2026) are the policy
module `examples/cas-topo-rfc` (`docs/policies.md`, "Hygon's topology-aware aggregation"), run
against `cas-merged` on `hygon-c86-2s-8node-4llc` (2 sockets, 8 nodes, 32 LLCs of 8 CPUs; machine
profile `hygon-c86`, every value an estimate) with `numa_balancing=0` and `aggr_tolerance=90` on
both sides, as in the RFC v2 runs. The benchmark grids follow the v2 cover as far as the public
record gives it: hackbench in thread mode over pipes (`-T -p`), `-g` 1 and 2, `-f` from 8 to 48
(the values in between and `-l 1000` are ours), and schbench's p99 wakeup latency over 11 worker
counts from 16 to 128 (the list, one message thread and the 1 s runtime are ours). Plan:
`plans/hygon.json`; the change column is against `cas-merged`, the baseline of the Hygon runs.

How to read them: where the counters below show no extent (`policy_topo_extent_llcs_mean` 0) or
no balance that reached the process, the three policies place every task alike and the tables say
`+0.00%`: that is the prediction, not a missing run. The module's behaviour test
(`tests/e2e/t0061-topo-rfc.sh`: a process of about 12 CPUs' utilisation kept in one node over four
LLCs by `cas-topo-rfc-v2`, spread over all nodes by `cas-merged`) shows what the extent does once
load balancing reaches the process.

EOF
table hygon time
table hygon wakeup_latency_p99
table hygon policy_top_llc_runtime_frac
table hygon policy_topo_extent_llcs_mean

cat <<'EOF'
Means over the seeds of the counters that say whether the extent acted (`docs/policies.md`):
the mean extent in LLCs, the groups tagged `group_llc_balance` for it, migrations into it, refusals
to leave it while it has room, and `can_migrate_node()` refusals.

EOF
hygon_table "$WORK/hygon/results.csv" policy_top_llc_runtime_frac policy_topo_extent_llcs_mean \
	policy_topo_llc_balance_groups policy_topo_pulls_into_extent policy_topo_outside_denials \
	policy_topo_node_denials

cat <<'EOF'
## 7. After the merge, on Xeon 6 and Turin

The revisions that came after the merge (`CAS-after-merge.md`, `docs/policies.md`) against
`cas-merged`, their common parent, on the two machines of section 1 at the same benchmark sizes
(plan `plans/aftermerge.json`, 3 seeds; `cfs` is in the tables for scale). The change column is
against `cas-merged` here, not `cfs`.

* `cas-7.2-fixes`: the sched/cache fixes pulled into mainline on 2026-09-27. Of its switches, only
  the runnable-only `nr_pref_llc_running` (with DELAY_DEQUEUE) and the active-balance destination
  check can act in these runs: there is no CPU hotplug here, and the model's kernel threads have
  no mm.
* `cas-asym-fix`: the misfit veto acts only on `SD_ASYM_CPUCAPACITY` domains. Both machines are
  symmetric, so it must equal `cas-merged` seed for seed: a control for the extension path.
* `cas-topo-rfc`, `cas-topo-rfc-v2`: Hygon's extent grows beyond one LLC only when a process's
  utilisation exceeds it, and at these sizes (below one LLC's cores) it stays one LLC. Where they
  still differ from `cas-merged`, it is through the module's other rules: the node-then-LLC
  preference, the `prefer_sibling` bypass inside the extent and `can_migrate_node()`
  (`docs/policies.md`). The verdict lines under the tables say how much of each run ended in the
  preferred LLC. Section 6 has them on the machine they were written for.

EOF
table aftermerge time
table aftermerge wakeup_latency_p99
table aftermerge bandwidth
table aftermerge throughput
table aftermerge policy_top_llc_runtime_frac

cat <<'EOF'
## Limits

* Short runs and few seeds: effects below a few percent are within what a different seed set or
  run length can change; the tables' stars are the guide.
* The machine profiles are estimates (`MODEL.md`), the workloads are models (`workloads/MODELS.md`),
  and several behaviours above (no aggregation on many-LLC nodes, the scan-count effect on
  hackbench) are findings about the model that have not been checked against the kernel.
* Sizes were chosen so that CAS's gates could pass (threads below an LLC's cores), not tuned to
  produce a result; chacha20-verilator's memory footprint is the model's (`workloads/MODELS.md`).
EOF
