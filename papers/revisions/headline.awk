# headline.awk: reduce a cassim sweep results.csv to each workload's headline
# metric, for one heatmap of every policy (or policy variant) against the
# baseline on every machine and workload.
#
#   awk -v baseline=cfs -v class=lower  -f headline.awk results.csv > lower.csv
#   awk -v baseline=cfs -v class=higher -f headline.awk results.csv > higher.csv
#   awk -v baseline=cfs -v class=lower -v defaults="scan_set=2 alb_break_llc=1" \
#       -f headline.awk results.csv > variants.csv
#
# class=lower keeps the metrics where lower is better (hackbench and
# chacha20-verilator time; schbench wakeup_latency_p99 and lowload-rr
# latency_p99, converted from us to s) as metric "time" in s; class=higher
# those where higher is better (stream bandwidth, netperf-rr and tbench
# throughput) as metric "rate" with unit "various" (draw it with --better
# higher). A change in % does not depend on the unit; cassim plot takes one
# direction per figure, hence two classes.
#
# Input and output are cassim's tidy CSV (cassim(1) CSV: topology,workload,
# parameters,policy,seed,scope,process,metric,stat,unit,value,text). In the
# output "parameters" is revision=NAME (variant=... with defaults=),
# "workload" is "TOPOLOGY: WORKLOAD METRIC" (hackbench with its fds) and
# "topology" is "all": the machines are rows of the figure. The baseline's
# rows keep their policy and no revision (a run without the parameter counts
# for every value of that axis in cassim plot); every other row becomes
# policy "cas" with its policy name as revision, so that
#   cassim plot heatmap F --x revision --y workload --policy cas --baseline cfs
# draws one column per revision. With defaults="KEY=VALUE ...", "revision" is
# instead the policy's --set values that differ from those defaults ("defaults"
# when none does), in a column named "variant": one column per ablation variant.
# Only the last field (text) of results.csv is ever quoted, so -F, splits the
# fields before it right.
BEGIN {
	FS = OFS = ","
	nd = split(defaults, dpair, " ")
	for (i = 1; i <= nd; i++) {
		split(dpair[i], kv, "=")
		dkey[i] = kv[1]; dval[i] = kv[2]
	}
}
# the value of parameter K of this row ("" when the run has none)
function param(k,    n, i, a) {
	n = split($col["parameters"], a, ";")
	for (i = 1; i <= n; i++)
		if (index(a[i], k "=") == 1) return substr(a[i], length(k) + 2)
	return ""
}
NR == 1 {
	for (i = 1; i <= NF; i++) col[$i] = i
	print "topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text"
	next
}
$col["stat"] == "value" {
	w = $col["workload"]; m = $col["metric"]; v = $col["value"]
	if (class == "lower") {
		if (w == "hackbench" && m == "time") label = "hackbench fds=" param("fds") " time"
		else if (w == "chacha20-verilator" && m == "time") label = w " time"
		else if (w == "schbench" && m == "wakeup_latency_p99") { label = "schbench wakeup p99"; v = v / 1e6 }
		else if (w == "lowload-rr" && m == "latency_p99") { label = "lowload-rr latency p99"; v = v / 1e6 }
		else next
		name = "time"; unit = "s"
	} else {
		if ((w == "stream" && m == "bandwidth") || (w == "netperf-rr" && m == "throughput") ||
		    (w == "tbench" && m == "throughput"))
			label = w " " m
		else next
		name = "rate"; unit = "various"
	}
	p = $col["policy"]; r = ""
	if (p != baseline) {
		if (nd == 0) r = p
		else {
			for (i = 1; i <= nd; i++)
				if (param(dkey[i]) != "" && param(dkey[i]) != dval[i])
					r = r (r == "" ? "" : " ") dkey[i] "=" param(dkey[i])
			if (r == "") r = "defaults"
		}
		p = "cas"
		r = (nd ? "variant=" : "revision=") r
	}
	print "all", $col["topology"] ": " label, r, p, $col["seed"], $col["scope"], "", name, "value", unit, v, ""
}
