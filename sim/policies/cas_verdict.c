/*
 * What a cache-aware revision did in a run, in one line, from its own
 * counters (cas_report) and the run's: whether it was present, which gate
 * kept it from choosing a preferred LLC, whether a balance pass ever moved
 * a task toward it, and how much of the runtime ended up there.  A
 * reviewer reads this before any number: a +0.00 % means something else
 * when the revision never acted.
 */
#include "policies/cas.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[CAS_VERDICT_NR] = {
	[CAS_VERDICT_OFF] = "off",
	[CAS_VERDICT_ABSENT] = "absent",
	[CAS_VERDICT_NO_PREF] = "no-preference",
	[CAS_VERDICT_NOT_AGGREGATED] = "not-aggregated",
	[CAS_VERDICT_PARTLY] = "partly-aggregated",
	[CAS_VERDICT_AGGREGATED] = "aggregated",
};

/* The CAS.md §2.11 rules, as enum cas_present orders them: when a
 * revision is present, and what the topology lacks when it is not. */
static const char *const present_rules[][2] = {
	{ "multi-llc", "the machine has a single LLC" },
	{ "some-node", "no NUMA node has more than one LLC" },
	{ "all-nodes", "some NUMA node has only one LLC" },
};

static const char *const gates[][2] = {
	{ "gate_trips_threads", "threads" },
	{ "gate_trips_memory", "memory" },
	{ "gate_trips_single", "single thread" },
	{ "gate_trips_timeout", "affinity timeout" },
	{ "gate_trips_numa_conflict", "NUMA preferred node" },
};

const char *const cas_verdict_counters[CAS_VERDICT_NR_COUNTERS] = {
	"active", "present", "present_rule", "pref_switches", "pref_llc_runtime_frac", "scans",
	"gate_trips_threads", "gate_trips_memory", "gate_trips_single", "gate_trips_timeout",
	"gate_trips_numa_conflict", "llc_balance_migrations", "llc_active_migrations", "nohz_kicks",
	"llc_filter_refusals",
};

const char *cas_verdict_name(enum cas_verdict v)
{
	return v >= 0 && v < CAS_VERDICT_NR ? kind_names[v] : "none";
}

enum cas_verdict cas_verdict(cas_counter_fn get, void *ctx, char *buf, size_t len)
{
	double active = get(ctx, "active"), present = get(ctx, "present");
	double frac = get(ctx, "pref_llc_runtime_frac");
	double moved = get(ctx, "llc_balance_migrations") + get(ctx, "llc_active_migrations");
	double kicks = get(ctx, "nohz_kicks");
	int rule = (int)get(ctx, "present_rule");

	if (isnan(active)) {
		snprintf(buf, len, "no cache-aware counters");
		return CAS_VERDICT_NONE;
	}
	if (present == 0) {
		/* "always" (RFC .. RFC v3) is never absent */
		if (rule < 0 || rule >= (int)(sizeof(present_rules) / sizeof(present_rules[0])))
			rule = CAS_PRESENT_MULTI_LLC;
		snprintf(buf, len, "not present on this topology (present_rule=%s: %s)", present_rules[rule][0],
			 present_rules[rule][1]);
		return CAS_VERDICT_ABSENT;
	}
	if (active == 0) {
		snprintf(buf, len, "switched off (enabled=0)");
		return CAS_VERDICT_OFF;
	}
	if (!(get(ctx, "pref_switches") > 0)) {
		double most = 0;
		int g = -1;

		for (size_t k = 0; k < sizeof(gates) / sizeof(gates[0]); k++) {
			double n = get(ctx, gates[k][0]);
			if (n > most) {
				most = n;
				g = (int)k;
			}
		}
		if (g >= 0)
			snprintf(buf, len, "present, no preference (gate: %s, %.0f trips)", gates[g][1], most);
		else if (!(get(ctx, "scans") > 0))
			snprintf(buf, len, "present, no preference (no occupancy scan ran)");
		else
			snprintf(buf, len, "present, no preference (no LLC's occupancy qualified in %.0f scans)",
				 get(ctx, "scans"));
		return CAS_VERDICT_NO_PREF;
	}
	if (frac >= CAS_AGGREGATED_FRAC) {
		snprintf(buf, len, "aggregated: %.0f %% of runtime in the preferred LLC", 100 * frac);
		return CAS_VERDICT_AGGREGATED;
	}
	if (frac >= CAS_PARTLY_FRAC) {
		snprintf(buf, len, "partly aggregated: %.0f %% of runtime in the preferred LLC", 100 * frac);
		return CAS_VERDICT_PARTLY;
	}
	if (!(moved > 0) && !(kicks > 0))
		snprintf(buf, len,
			 "preferred LLC set, not aggregated (%.0f %% of runtime in it; no balance pass reached it: "
			 "0 nohz kicks)", 100 * frac);
	else if (!(moved > 0))
		snprintf(buf, len,
			 "preferred LLC set, not aggregated (%.0f %% of runtime in it; balancing moved no task "
			 "toward it: %.0f nohz kicks, %.0f LLC-filter refusals)",
			 100 * frac, kicks, get(ctx, "llc_filter_refusals"));
	else
		snprintf(buf, len,
			 "preferred LLC set, not aggregated (%.0f %% of runtime in it after %.0f LLC migrations)",
			 100 * frac, moved);
	return CAS_VERDICT_NOT_AGGREGATED;
}
