/*
 * The revisions of Cache Aware Scheduling as data (CAS.md §1, §3, §7).
 *
 * cas_fields: every tunable and switch once, from their declaration
 * (CAS_FIELDS in cas.h).
 *
 * cas_revs: one row per revision: its defaults and its own names for the
 * knobs it had (debugfs / sysctl / constant names of that revision); a
 * field named CAS_FIXED is not settable in that revision, NULL is the
 * generic name.  Each row is written as what it changes relative to its
 * parent (the D_ and N_ macros below: the parent's list, then the
 * overrides; a later designated initialiser wins, C11 6.7.9p19), and names
 * the parent, so that `cassim policies NAME` can show the change.  A new
 * revision is a new pair of macros and a row.  [U] marks a value CAS.md
 * could not verify; docs/policies.md lists them with the reasoning.
 */
#include "policies/cas.h"

#include <stddef.h>

#define OFF(f) offsetof(struct cas_cfg, f)

/* A row starts from BASE and overrides some of it. */
#pragma GCC diagnostic ignored "-Woverride-init"

const struct cas_field cas_fields[CF_NR] = {
#define X(id, member, name, type, lo, hi, unit, feature, values, help) \
	[id] = { name, type, OFF(member), lo, hi, unit, help, feature, values },
	CAS_FIELDS(X)
#undef X
};

/* Defaults shared by all revisions; rows override. */
#define BASE                                                                              \
	.enabled = true, .lb_feat = true, .wake_feat = true, .epoch_period = 10 * NSEC_PER_MSEC, \
	.affinity_timeout = 5, .overaggr_pct = 50, .imb_pct = 20, .aggr_tolerance = 1,           \
	.aggr_tolerance_size = -1, .avg_early_exit = true, .scan_at_tick = true, .scan_thread_gate = true

/* Each revision's defaults (D_) and knob names (N_), as changes of its
 * parent's. */
#define N_FIXED_FEATS [CF_LB_FEAT] = CAS_FIXED, [CF_WAKE_FEAT] = CAS_FIXED

#define D_RFC BASE, .migrate_filter = CAS_FILTER_HOT_OCC, .wake_redirect = CAS_WAKE_RFC, .present = CAS_PRESENT_ALWAYS
#define N_RFC N_FIXED_FEATS, [CF_EPOCH_PERIOD] = "EPOCH_PERIOD", [CF_AFFINITY_TIMEOUT] = "EPOCH_OLD"

#define D_RFC_V2 D_RFC, .migrate_filter = CAS_FILTER_HOT_LEAVE_VALID, .wake_redirect = CAS_WAKE_RFC_V2
#define N_RFC_V2 N_RFC, [CF_ENABLED] = "SCHED_CACHE"

#define D_RFC_V3                                                                                         \
	D_RFC_V2, .wake_feat = false, .occ_sum = true /* [U] */, .switch_2x = true, .llc_balance = true,  \
		.migrate_filter = CAS_FILTER_LLC, .task_order = true, .force_balance = true /* [U] */,    \
		.wake_redirect = CAS_WAKE_RFC_V3, .alb_break = CAS_ALBB_ZERO, .llc_balance_src = CAS_LBSRC_ENV_HINT, \
		.no_stats_llc = true
#define N_RFC_V3                                                                                        \
	N_RFC_V2, [CF_LB_FEAT] = "SCHED_CACHE_LB", [CF_WAKE_FEAT] = "SCHED_CACHE_WAKE",                  \
		[CF_AFFINITY_TIMEOUT] = "EPOCH_LLC_AFFINITY_TIMEOUT", [CF_OVERAGGR_PCT] = "llc_aggr_cap", \
		[CF_IMB_PCT] = "llc_aggr_imb"

#define D_RFC_V4                                                                                           \
	D_RFC_V3, .aggr_tolerance_size = 1, .mem_gate = CAS_MEM_RSS, .thread_gate = CAS_THR_STRICT,         \
		.scan_set = CAS_SCAN_NODES_ALWAYS /* [U] */, .smt_div = true, .present = CAS_PRESENT_ALL_NODES, \
		.no_stats_llc = false, .scan_thread_gate = false
#define N_RFC_V4                                                                        \
	N_RFC_V3, [CF_EPOCH_PERIOD] = "llc_period", [CF_AFFINITY_TIMEOUT] = "llc_old", \
		[CF_AGGR_TOLERANCE_SIZE] = "sched_cache_ignore_rss"

#define D_V1                                                                                          \
	D_RFC_V4, .wake_feat = true, .aggr_tolerance_size = -1, .single_gate = true,                   \
		.wake_redirect = CAS_WAKE_NONE, .present = CAS_PRESENT_SOME_NODE, .alb_break = CAS_ALBB_CURR, \
		.llc_balance_src = CAS_LBSRC_ENV
#define N_V1                                                                                                 \
	N_RFC_V4, N_FIXED_FEATS, [CF_EPOCH_PERIOD] = "llc_epoch_period",                                       \
		[CF_AFFINITY_TIMEOUT] = "llc_epoch_affinity_timeout", [CF_OVERAGGR_PCT] = "llc_overload_pct", \
		[CF_IMB_PCT] = "llc_imb_pct", [CF_AGGR_TOLERANCE] = "llc_aggr_tolerance",                     \
		[CF_AGGR_TOLERANCE_SIZE] = NULL

#define D_V2 D_V1, .scan_set = CAS_SCAN_ALL, .smt_div = false, .numa_wins = true, .llc_balance_src = CAS_LBSRC_GROUP /* [U] */
#define N_V2 N_V1 /* [U] SCHED_CACHE still the switch's name */

#define D_V3                                                                                             \
	D_V2, .avg_div = CAS_AVG_LLC_SCALED, .nr_fail_escape = CAS_ESC_LLC_BALANCE, .task_order = false, \
		.llc_pinned = true /* [U] */, .scan_thread_gate = true /* [U] */
#define N_V3 N_V2, [CF_ENABLED] = NULL

#define D_V4                                                                                         \
	D_V3, .scan_set = CAS_SCAN_NODES_NUMA, .nr_fail_escape = CAS_ESC_BOTH, .nonsmt_75 = true /* [U] */, \
		.busy_after_adjust = true /* [U] */, .llc_ids = CAS_IDS_BITMASK
#define N_V4                                                                                      \
	N_V3, [CF_EPOCH_PERIOD] = NULL, [CF_AFFINITY_TIMEOUT] = NULL, [CF_OVERAGGR_PCT] = NULL, \
		[CF_IMB_PCT] = NULL, [CF_AGGR_TOLERANCE] = NULL

#define D_MERGED                                                                             \
	D_V4, .mem_gate = CAS_MEM_NUMA_FOOTPRINT, .thread_gate = CAS_THR_FITS80, .scan_ratelimit = true, \
		.present = CAS_PRESENT_MULTI_LLC
#define N_MERGED N_V4

/* The sched/cache fixes merged on 2026-09-27 (CAS-after-merge.md §2.1, §4.1);
 * (a), (c), (d), (e) change nothing cassim models (docs/policies.md). */
#define D_7_2_FIXES D_MERGED, .alb_victim = CAS_ALB_LLC_ONLY, .llc_bytes_refresh = true, \
	.pref_llc_runnable = true
#define N_7_2_FIXES N_MERGED

/* "sched/fair: Avoid creating misfits during cache-aware balancing"
 * (f0d243a96f26, tip sched/urgent 2026-09; CAS-after-merge.md §2.2, §4.2):
 * whether it is the unnamed seventh fix of the 2026-09-27 pull is not
 * established, so it is its own row on cas-merged. */
#define D_ASYM_FIX D_MERGED, .asym_misfit = true
#define N_ASYM_FIX N_MERGED

const struct cas_rev cas_revs[] = {
	{ "cas-rfc", NULL,
	  "Peter Zijlstra's RFC (2025-03): per-process decayed occupancy, wakeups steered to the "
	  "busiest LLC's hottest CPU, task_hot() by occupancy",
	  { D_RFC }, { N_RFC } },
	{ "cas-rfc-v2", "cas-rfc",
	  "RFC v2 (2025-04, Chen Yu): SCHED_CACHE feat, no in-LLC redirect, wakeup aggregation "
	  "inhibited into busy LLCs, task_hot() when leaving the preferred LLC",
	  { D_RFC_V2 }, { N_RFC_V2 } },
	{ "cas-rfc-v3", "cas-rfc-v2",
	  "RFC v3 (2025-06): aggregation by load balancing (group_llc_balance, migrate_llc_task), "
	  "2x switch rule, _get_migrate_hint 50 %/20 %, wakeup redirection behind SCHED_CACHE_WAKE (off)",
	  { D_RFC_V3 }, { N_RFC_V3 } },
	{ "cas-rfc-v4", "cas-rfc-v3",
	  "RFC v4 (2025-08): RFC v3 plus over-aggregation guards: RSS vs LLC size "
	  "(sched_cache_ignore_rss), running threads vs LLC cores, node-limited scan, "
	  "busy threshold divided by SMT width",
	  { D_RFC_V4 }, { N_RFC_V4 } },
	{ "cas-v1", "cas-rfc-v4",
	  "PATCH v1 (2025-10): no wakeup aggregation; llc_overload_pct/llc_imb_pct/llc_aggr_tolerance "
	  "knobs; summed occupancy; threshold divided by SMT width; node-limited scan",
	  { D_V1 }, { N_V1 } },
	{ "cas-v2", "cas-v1",
	  "PATCH v2 (2025-12): NUMA balancing wins over the preferred LLC, dense LLC ids, "
	  "all online CPUs scanned, undivided busy threshold",
	  { D_V2 }, { N_V2 } },
	{ "cas-v3", "cas-v2",
	  "PATCH v3 (2026-02): llc_balance skipped after cache_nice_tries+1 failures, tasks not "
	  "preferring dst skipped (no sorting), per-LLC counts in the bottom domain",
	  { D_V3 }, { N_V3 } },
	{ "cas-v4", "cas-v3",
	  "PATCH v4 (2026-04): node-limited scan only with NUMA balancing, bitmask LLC ids reused "
	  "after hotplug, nr_balance_failed overrides the LLC filter, knobs in llc_balancing/",
	  { D_V4 }, { N_V4 } },
	{ "cas-merged", "cas-v4",
	  "as merged for 7.2 (2026-05): v4 plus the thread gate at 80 %, NUMA-fault footprint "
	  "vs effective LLC size, one scan per process per epoch, multi-LLC detection per partition",
	  { D_MERGED }, { N_MERGED } },
	{ "cas-7.2-fixes", "cas-merged",
	  "merged plus the sched/cache fixes pulled into mainline on 2026-09-27: the active-balance "
	  "stopper honours migrate_llc_task (d6013e2465d9), llc_bytes refreshed after CPU hotplug "
	  "(3cb0243767fd), nr_pref_llc_running counts runnable tasks only (0d6526f82c3c)",
	  { D_7_2_FIXES }, { N_7_2_FIXES } },
	{ "cas-asym-fix", "cas-merged",
	  "merged plus \"Avoid creating misfits during cache-aware balancing\" (f0d243a96f26): on "
	  "SD_ASYM_CPUCAPACITY domains no LLC-driven move from a CPU the task fits to one it does not, "
	  "misfit migrations ahead of LLC preference",
	  { D_ASYM_FIX }, { N_ASYM_FIX } },
};

const int cas_nr_revs = (int)(sizeof(cas_revs) / sizeof(cas_revs[0]));
