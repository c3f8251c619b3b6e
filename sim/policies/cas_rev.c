/*
 * The revisions of Cache Aware Scheduling as data (CAS.md §1, §3, §7).
 *
 * cas_fields: every tunable and switch once (generic name, type, range,
 * help, and for switches the names of their values, which `cassim
 * policies` prints as the revision's features).
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


static const char *const v_bool[] = { "off", "on", NULL };
static const char *const v_mem[] = { "none", "rss", "numa-footprint", NULL };
static const char *const v_thr[] = { "none", "strict-100", "fits-80", NULL };
static const char *const v_avg[] = { "div8", "llc-cpus-div4", NULL };
static const char *const v_occ[] = { "mean", "sum", NULL };
static const char *const v_switch[] = { "best-with-floor", "2x", NULL };
static const char *const v_scan[] = { "all", "nodes-always", "nodes-with-numa", NULL };
static const char *const v_filter[] = { "none", "hot-occupancy", "hot-leave-pref", "hot-leave-pref-valid-target",
					"llc-filter", NULL };
static const char *const v_esc[] = { "none", "llc-balance", "llc-balance+filter", NULL };
static const char *const v_order[] = { "skip", "order", NULL };
static const char *const v_adjust[] = { "before-adjust", "after-adjust", NULL };
static const char *const v_imb[] = { "ratio", "points", NULL };
static const char *const v_wake[] = { "none", "rfc", "rfc-v2", "rfc-v3", NULL };
static const char *const v_ids[] = { "static", "bitmask", NULL };
static const char *const v_alb[] = { "tail", "prefer-dst", "llc-only", NULL };
static const char *const v_llc_bytes[] = { "stale", "refreshed", NULL };
static const char *const v_present[] = { "multi-llc", "some-node", "all-nodes", "always", NULL };
static const char *const v_albb[] = { "off", "on", "on-util-0", NULL };
static const char *const v_lbsrc[] = { "group", "env-src", "env-src-hint", NULL };
static const char *const v_nostats[] = { "unrestricted", "allow", NULL };
static const char *const v_pref_run[] = { "queued", "runnable", NULL };

const struct cas_field cas_fields[CF_NR] = {
	[CF_ENABLED] = { "enabled", PARAM_BOOL, OFF(enabled), 0, 1, "",
			 "master switch (SCHED_CACHE sched_feat; llc_balancing/enabled)" },
	[CF_LB_FEAT] = { "SCHED_CACHE_LB", PARAM_BOOL, OFF(lb_feat), 0, 1, "",
			 "RFC v3/v4 sched_feat: cache-aware load balancing", "SCHED_CACHE_LB", v_bool },
	[CF_WAKE_FEAT] = { "SCHED_CACHE_WAKE", PARAM_BOOL, OFF(wake_feat), 0, 1, "",
			   "RFC v3/v4 sched_feat: wakeup redirection to the preferred LLC", "SCHED_CACHE_WAKE",
			   v_bool },
	[CF_EPOCH_PERIOD] = { "epoch_period", PARAM_TIME, OFF(epoch_period), 1e6, 1e9, "ns",
			      "occupancy epoch (decay half-life, scan period), used in whole jiffies (HZ/100)" },
	[CF_AFFINITY_TIMEOUT] = { "epoch_affinity_timeout", PARAM_INT, OFF(affinity_timeout), 0, 1000, "epochs",
				  "drop the preference when no scan was queued for this many epochs" },
	[CF_OVERAGGR_PCT] = { "overaggr_pct", PARAM_INT, OFF(overaggr_pct), 0, 1000, "%",
			      "an LLC is busy at this utilisation (% of its capacity)" },
	[CF_IMB_PCT] = { "imb_pct", PARAM_INT, OFF(imb_pct), 0, 1000, "%",
			 "utilisation imbalance allowed between preferred and other LLC" },
	[CF_AGGR_TOLERANCE] = { "aggr_tolerance", PARAM_INT, OFF(aggr_tolerance), 0, 1000, "",
				"gate scale: 0 CAS off, 1 strict, N: threads x N, memory x (1+(N-1)*256), >= 100 unlimited" },
	[CF_AGGR_TOLERANCE_SIZE] = { "aggr_tolerance_size", PARAM_INT, OFF(aggr_tolerance_size), -1, 1000, "",
				     "memory-gate tolerance (-1: aggr_tolerance); RFC v4 sched_cache_ignore_rss" },
	[CF_MEM_GATE] = { "mem_gate", PARAM_INT, OFF(mem_gate), 0, 2, "",
			  "memory gate: 0 none, 1 RSS vs LLC size, 2 NUMA-fault footprint vs effective LLC size "
			  "(only with NUMA balancing)", "mem_gate", v_mem },
	[CF_THREAD_GATE] = { "thread_gate", PARAM_INT, OFF(thread_gate), 0, 2, "",
			     "thread gate: 0 none, 1 nr_running_avg*smt > scale*llc_cpus, 2 not below 80 % (fits_capacity)",
			     "thread_gate", v_thr },
	[CF_SINGLE_GATE] = { "single_thread_gate", PARAM_BOOL, OFF(single_gate), 0, 1, "",
			     "a process with <= 1 thread never gets a preference", "single_thread_gate", v_bool },
	[CF_AVG_DIV] = { "nr_avg_scale", PARAM_INT, OFF(avg_div), 0, 1, "",
			 "nr_running_avg EWMA divisor: 0 stock 8, 1 clamp(llc_cpus/4, 2, 8)", "nr_running_avg", v_avg },
	[CF_AVG_EARLY_EXIT] = { "gate_skips_avg", PARAM_BOOL, OFF(avg_early_exit), 0, 1, "",
				"[U] a scan stopped by a gate does not update nr_running_avg", "gate_skips_avg", v_bool },
	[CF_OCC_SUM] = { "occ_sum", PARAM_BOOL, OFF(occ_sum), 0, 1, "",
			 "LLC occupancy: 0 mean over its CPUs (RFC), 1 sum", "occupancy", v_occ },
	[CF_SWITCH_2X] = { "switch_2x", PARAM_BOOL, OFF(switch_2x), 0, 1, "",
			   "preferred-LLC switch: 0 best LLC every scan, none below 3 % (RFC), 1 only when > 2x the current",
			   "pref_switch", v_switch },
	[CF_SCAN_SET] = { "scan_set", PARAM_INT, OFF(scan_set), 0, 2, "",
			  "CPUs scanned: 0 all online, 1 preferred/pref-LLC/current nodes always (v1), "
			  "2 those nodes only with NUMA balancing and a preferred node (v4)", "scan_set", v_scan },
	[CF_SCAN_RATELIMIT] = { "scan_ratelimit", PARAM_BOOL, OFF(scan_ratelimit), 0, 1, "",
				"one scan per process per epoch_period (merged)", "scan_ratelimit", v_bool },
	[CF_SCAN_AT_TICK] = { "scan_at_tick", PARAM_BOOL, OFF(scan_at_tick), 0, 1, "",
			      "a scan queued by the tick runs at the tick's return to user (else at the next switch-in)",
			      "scan_at_tick", v_bool },
	[CF_LLC_BALANCE] = { "llc_balance", PARAM_BOOL, OFF(llc_balance), 0, 1, "",
			     "group_llc_balance groups and migrate_llc_task balancing", "llc_balance", v_bool },
	[CF_MIGRATE_FILTER] = { "migrate_filter", PARAM_INT, OFF(migrate_filter), 0, 4, "",
				"can_migrate_task: 0 stock, 1 RFC task_hot by occupancy, 2 RFC v2 task_hot leaving the "
				"preferred LLC, 3 ... unless dst is a valid target, 4 LLC filter (migrate_degrades_llc)",
				"migrate_filter", v_filter },
	[CF_NR_FAIL_ESCAPE] = { "nr_balance_failed_escape", PARAM_INT, OFF(nr_fail_escape), 0, 2, "",
				"after cache_nice_tries+1 failures: 0 CAS keeps restricting, 1 no llc_balance groups (v3), "
				"2 no LLC filter either (v4)", "nr_balance_failed_escape", v_esc },
	[CF_TASK_ORDER] = { "order_tasks_by_llc", PARAM_BOOL, OFF(task_order), 0, 1, "",
			    "detach tasks preferring dst first (RFC v3 .. v2) instead of skipping others (v3+)",
			    "llc_task_selection", v_order },
	[CF_LLC_PINNED] = { "llc_pinned", PARAM_BOOL, OFF(llc_pinned), 0, 1, "",
			    "LLC refusals do not count as balance failures (LBF_LLC_PINNED)", "llc_pinned", v_bool },
	[CF_FORCE_BALANCE] = { "llc_force_balance", PARAM_BOOL, OFF(force_balance), 0, 1, "",
			       "low load: prefer_sibling forces a balance toward an llc_balance group (§2.14 1)",
			       "llc_force_balance", v_bool },
	[CF_ALB_BREAK] = { "alb_break_llc", PARAM_INT, OFF(alb_break), 0, 2, "",
			   "veto active balances that break an LLC whose tasks all prefer it: 0 off, 1 judged with the util of src's current task (v1 13/19 break_llc_locality .. 7.2 alb_break_llc), 2 with util 0 (RFC v3/v4)",
			   "alb_break_llc", v_albb },
	[CF_NONSMT_75] = { "nonsmt_busy_x1_5", PARAM_BOOL, OFF(nonsmt_75), 0, 1, "",
			   "low load: busy threshold x1.5 (75 %) without SMT (§2.14 3)", "nonsmt_busy_x1_5", v_bool },
	[CF_SMT_DIV] = { "busy_div_smt", PARAM_BOOL, OFF(smt_div), 0, 1, "",
			 "busy threshold divided by the SMT width (RFC v4, v1: 25 % on SMT-2)", "busy_div_smt", v_bool },
	[CF_BUSY_AFTER_ADJUST] = { "busy_check_after_adjust", PARAM_BOOL, OFF(busy_after_adjust), 0, 1, "",
				   "both-LLCs-busy check on the utilisations after moving the task (merged) "
				   "or before (v1)", "both_busy_check", v_adjust },
	[CF_IMB_ABS] = { "imb_points", PARAM_BOOL, OFF(imb_abs), 0, 1, "",
			 "imbalance as percentage points of capacity (reproduces the decision matrix in the patch "
			 "comment) instead of a ratio (the code)", "imbalance", v_imb },
	[CF_NUMA_WINS] = { "numa_wins", PARAM_BOOL, OFF(numa_wins), 0, 1, "",
			   "no task preference for an LLC off its NUMA preferred node (v2+)", "numa_wins", v_bool },
	[CF_WAKE_REDIRECT] = { "wake_redirect", PARAM_INT, OFF(wake_redirect), 0, 3, "",
			       "wakeup redirection: 0 none, 1 RFC select_cache_cpu, 2 RFC v2 (same LLC, "
			       "valid_target_cpu), 3 RFC v3 (+ migrate hint)", "wake_redirect", v_wake },
	[CF_LLC_IDS] = { "llc_ids", PARAM_INT, OFF(llc_ids), 0, 1, "",
			 "LLC ids: 0 static topology order, 1 bitmask allocator reused after offline/online (v4)",
			 "llc_ids", v_ids },
	[CF_ALB_VICTIM] = { "alb_victim", PARAM_INT, OFF(alb_victim), 0, 2, "",
			    "active balance for migrate_llc_task pushes: 0 the first movable task from the tail "
			    "(7.2.0), 1 a task preferring dst's LLC, else the first [S], 2 a task preferring dst's "
			    "LLC or none (7.2 fix d6013e2465d9, CAS-after-merge.md §2.1(b))", "alb_victim", v_alb },
	[CF_PRESENT] = { "present_rule", PARAM_INT, OFF(present), 0, 3, "",
			 "CAS present when: 0 the machine has several LLCs, one of them of more than one CPU "
			 "(7.2 sd_in_multi_llcs), 1 some NUMA node has several LLCs (v1 .. v4: the domain above the "
			 "LLC spans more than one LLC; off with one LLC per node, e.g. Xeon 6 with or without SNC), "
			 "2 every node has (RFC v4), 3 always (RFC .. RFC v3: no static key)",
			 "present_rule", v_present },
	[CF_LLC_BYTES_REFRESH] = { "llc_bytes_hotplug", PARAM_BOOL, OFF(llc_bytes_refresh), 0, 1, "",
				   "llc_bytes after a CPU offline: 0 the new span over the old sharing count (7.2.0), "
				   "1 refreshed (7.2 fix 3cb0243767fd, CAS-after-merge.md §2.1(f))",
				   "llc_bytes_hotplug", v_llc_bytes },
	[CF_LLC_BALANCE_SRC] = { "llc_balance_src", PARAM_INT, OFF(llc_balance_src), 0, 2, "",
				 "llc_balance() judges a group against dst with: 0 the group's first CPU (v2 ..), "
				 "1 env->src_cpu, not chosen yet (0, or the last busiest on a redo; v1), 2 the same "
				 "through _get_migrate_hint(), which allows any move inside one LLC (RFC v3/v4)",
				 "llc_balance_src", v_lbsrc },
	[CF_NO_STATS] = { "no_stats_allow", PARAM_BOOL, OFF(no_stats_llc), 0, 1, "",
			  "an LLC without statistics (no LLC sched domain): 0 mig_unrestricted (RFC v4 .. 7.2), "
			  "1 mig_allow (RFC v3 07/20)", "no_stats", v_nostats },
	[CF_PREF_LLC_RUNNABLE] = { "pref_llc_running", PARAM_BOOL, OFF(pref_llc_runnable), 0, 1, "",
				   "nr_pref_llc_running as alb_break_llc() compares it with h_nr_runnable: 0 queued "
				   "tasks, delayed-dequeue ones included (7.2.0), 1 runnable ones only (7.2 fix "
				   "0d6526f82c3c, CAS-after-merge.md §2.1(a))",
				   "pref_llc_running", v_pref_run },
	[CF_ASYM_MISFIT] = { "asym_misfit_fix", PARAM_BOOL, OFF(asym_misfit), 0, 1, "",
			     "asymmetric capacity (f0d243a96f26, CAS-after-merge.md §2.2): no LLC-driven move that makes "
			     "a task misfit, misfit migrations never vetoed by alb_break_llc, no llc_balance for a group "
			     "with misfit load", "asym_misfit_fix", v_bool },
	[CF_SCAN_THREAD_GATE] = { "scan_thread_gate", PARAM_BOOL, OFF(scan_thread_gate), 0, 1, "",
				  "task_cache_work() stops on the thread gate, before nr_running_avg (merged; v3, v4 [U]); "
				  "off: the scan goes on, sets the preference and updates nr_running_avg, and "
				  "account_mm_sched() clears the preference (RFC v4, v1 17/19 and 18/19: \"Do not check "
				  "exceed_llc_nr() because the active number of threads needs to been updated anyway\"; v2 [U])",
				  "scan_thread_gate", v_bool },
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
