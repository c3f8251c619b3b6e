/*
 * Cache Aware Scheduling (CAS.md): one implementation of every revision of
 * the patch series, from Peter Zijlstra's RFC (March 2025) to the code
 * merged for Linux 7.2.  What differs between revisions is data: a row of
 * the revision table (cas_rev.c) gives the revision's tunables (with its
 * own names and defaults) and the value of every behavioural switch of
 * CAS.md §7; the mechanics (cas.c) read only struct cas_cfg.
 *
 * Every switch is also a tunable (--set NAME=VALUE) so that any revision
 * can be ablated towards another; `cassim policies NAME` lists them and
 * docs/policies.md explains them.
 *
 * The pure rules (can_migrate_llc, the gates, the EWMA, the preferred-LLC
 * switch rule, the scan set, the LLC-id allocator) are exported for the
 * unit tests.
 */
#ifndef CASSIM_POLICIES_CAS_H
#define CASSIM_POLICIES_CAS_H

#include "base/cpumask.h"
#include "base/param.h"
#include "hw/topo.h"
#include "policies/cas_api.h"
#include "policies/policy.h"

/* Occupancy scale (NICE_0_LOAD on 64-bit kernels: scale_load(1024)). */
#define CAS_SCALE (1LL << 20)
/* Peter's RFC: no preference below NICE_0_LOAD >> EPOCH_OLD (~3 %). */
#define CAS_RFC_FLOOR (CAS_SCALE >> 5)
/* "unlimited" tolerance scale (aggr_tolerance >= 100). */
#define CAS_SCALE_INF INT64_MAX
#define CAS_PAGE_SIZE 4096.0

/* ---- switches (CAS.md §7); the value names are the feature names ---- */

enum cas_mem_gate { CAS_MEM_NONE, CAS_MEM_RSS, CAS_MEM_NUMA_FOOTPRINT };
enum cas_thread_gate { CAS_THR_NONE, CAS_THR_STRICT, CAS_THR_FITS80 };
enum cas_avg_div { CAS_AVG_DIV8, CAS_AVG_LLC_SCALED };
enum cas_scan_set { CAS_SCAN_ALL, CAS_SCAN_NODES_ALWAYS, CAS_SCAN_NODES_NUMA };
enum cas_filter {
	CAS_FILTER_NONE,      /* stock can_migrate_task */
	CAS_FILTER_HOT_OCC,   /* RFC: task_hot() if occupancy(src CPU) > occupancy(dst CPU) */
	CAS_FILTER_HOT_LEAVE, /* RFC v2: task_hot() when leaving the preferred LLC */
	CAS_FILTER_HOT_LEAVE_VALID, /* RFC v2 patch 4: ... only if dst fails valid_target_cpu */
	CAS_FILTER_LLC,       /* RFC v3+: get_migrate_hint / migrate_degrades_llc */
};
enum cas_escape { CAS_ESC_NONE, CAS_ESC_LLC_BALANCE, CAS_ESC_BOTH };
enum cas_wake { CAS_WAKE_NONE, CAS_WAKE_RFC, CAS_WAKE_RFC_V2, CAS_WAKE_RFC_V3 };
enum cas_ids_mode { CAS_IDS_STATIC, CAS_IDS_BITMASK };
/* CAS_ALB_LLC_ONLY: the 7.2 fix d6013e2465d9 (a stopper kicked by a
 * migrate_llc_task balance moves only a task preferring dst's LLC, or
 * nothing). */
enum cas_alb_victim { CAS_ALB_TAIL, CAS_ALB_PREFER_DST, CAS_ALB_LLC_ONLY };
enum cas_present { CAS_PRESENT_MULTI_LLC, CAS_PRESENT_SOME_NODE, CAS_PRESENT_ALL_NODES, CAS_PRESENT_ALWAYS };
/* alb_break_llc() / break_llc_locality(): off, with the util of src's
 * current task (v1 13/19 ..), with util 0 (RFC v3/v4 _get_migrate_hint(src,
 * dst, 0, false)). */
enum cas_alb_break { CAS_ALBB_OFF, CAS_ALBB_CURR, CAS_ALBB_ZERO };
/* The source CPU llc_balance() judges a candidate group by: the group's
 * first CPU (v2 ..), env->src_cpu (not chosen yet: 0, or the last busiest
 * on a redo) with can_migrate_llc() (v1) or _get_migrate_hint(), which
 * allows any move inside one LLC (RFC v3/v4). */
enum cas_lb_src { CAS_LBSRC_GROUP, CAS_LBSRC_ENV, CAS_LBSRC_ENV_HINT };

/*
 * The tunables of every revision, each declared once:
 *   X(id, member, name, type, min, max, unit, feature, values, help)
 * id: its index in cas_fields[]; member: its field of struct cas_cfg (the
 * policy's params struct; bool, int64_t or simtime_t by type); name: its
 * generic --set name (a revision may rename it, cas_rev.c); feature: the
 * name `cassim policies` shows a switch under, values: the names of its
 * values min..max (CAS_VALUES), both NULL for a plain tunable.  The
 * struct, enum cas_field_id and cas_fields[] (cas_rev.c) come from it.
 */
#define CAS_VALUES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define CAS_ON_OFF CAS_VALUES("off", "on")

#define CAS_FIELDS(X) \
	/* the revision's own knobs */ \
	X(CF_ENABLED, enabled, "enabled", PARAM_BOOL, 0, 1, "", NULL, NULL, \
	  "master switch (SCHED_CACHE sched_feat; llc_balancing/enabled)") \
	X(CF_LB_FEAT, lb_feat, "SCHED_CACHE_LB", PARAM_BOOL, 0, 1, "", "SCHED_CACHE_LB", CAS_ON_OFF, \
	  "RFC v3/v4 sched_feat: cache-aware load balancing") \
	X(CF_WAKE_FEAT, wake_feat, "SCHED_CACHE_WAKE", PARAM_BOOL, 0, 1, "", "SCHED_CACHE_WAKE", CAS_ON_OFF, \
	  "RFC v3/v4 sched_feat: wakeup redirection to the preferred LLC") \
	/* used in jiffies (HZ/100 = 10 ms) */ \
	X(CF_EPOCH_PERIOD, epoch_period, "epoch_period", PARAM_TIME, 1e6, 1e9, "ns", NULL, NULL, \
	  "occupancy epoch (decay half-life, scan period), used in whole jiffies (HZ/100)") \
	X(CF_AFFINITY_TIMEOUT, affinity_timeout, "epoch_affinity_timeout", PARAM_INT, 0, 1000, "epochs", NULL, NULL, \
	  "drop the preference when no scan was queued for this many epochs") \
	X(CF_OVERAGGR_PCT, overaggr_pct, "overaggr_pct", PARAM_INT, 0, 1000, "%", NULL, NULL, \
	  "an LLC is busy at this utilisation (% of its capacity)") \
	X(CF_IMB_PCT, imb_pct, "imb_pct", PARAM_INT, 0, 1000, "%", NULL, NULL, \
	  "utilisation imbalance allowed between preferred and other LLC") \
	X(CF_AGGR_TOLERANCE, aggr_tolerance, "aggr_tolerance", PARAM_INT, 0, 1000, "", NULL, NULL, \
	  "gate scale: 0 CAS off, 1 strict, N: threads x N, memory x (1+(N-1)*256), >= 100 unlimited") \
	X(CF_AGGR_TOLERANCE_SIZE, aggr_tolerance_size, "aggr_tolerance_size", PARAM_INT, -1, 1000, "", NULL, NULL, \
	  "memory-gate tolerance (-1: aggr_tolerance); RFC v4 sched_cache_ignore_rss") \
	/* behavioural switches (CAS.md §7) */ \
	/* enum cas_mem_gate */ \
	X(CF_MEM_GATE, mem_gate, "mem_gate", PARAM_INT, 0, 2, "", "mem_gate", \
	  CAS_VALUES("none", "rss", "numa-footprint"), \
	  "memory gate: 0 none, 1 RSS vs LLC size, 2 NUMA-fault footprint vs effective LLC size " \
	  "(only with NUMA balancing)") \
	/* enum cas_thread_gate */ \
	X(CF_THREAD_GATE, thread_gate, "thread_gate", PARAM_INT, 0, 2, "", "thread_gate", \
	  CAS_VALUES("none", "strict-100", "fits-80"), \
	  "thread gate: 0 none, 1 nr_running_avg*smt > scale*llc_cpus, 2 not below 80 % (fits_capacity)") \
	X(CF_SINGLE_GATE, single_gate, "single_thread_gate", PARAM_BOOL, 0, 1, "", "single_thread_gate", CAS_ON_OFF, \
	  "a process with <= 1 thread never gets a preference") \
	/* enum cas_avg_div */ \
	X(CF_AVG_DIV, avg_div, "nr_avg_scale", PARAM_INT, 0, 1, "", "nr_running_avg", \
	  CAS_VALUES("div8", "llc-cpus-div4"), \
	  "nr_running_avg EWMA divisor: 0 stock 8, 1 clamp(llc_cpus/4, 2, 8)") \
	X(CF_AVG_EARLY_EXIT, avg_early_exit, "gate_skips_avg", PARAM_BOOL, 0, 1, "", "gate_skips_avg", CAS_ON_OFF, \
	  "[U] a scan stopped by a gate does not update nr_running_avg") \
	X(CF_OCC_SUM, occ_sum, "occ_sum", PARAM_BOOL, 0, 1, "", "occupancy", CAS_VALUES("mean", "sum"), \
	  "LLC occupancy: 0 mean over its CPUs (RFC), 1 sum") \
	X(CF_SWITCH_2X, switch_2x, "switch_2x", PARAM_BOOL, 0, 1, "", "pref_switch", \
	  CAS_VALUES("best-with-floor", "2x"), \
	  "preferred-LLC switch: 0 best LLC every scan, none below 3 % (RFC), 1 only when > 2x the current") \
	/* enum cas_scan_set */ \
	X(CF_SCAN_SET, scan_set, "scan_set", PARAM_INT, 0, 2, "", "scan_set", \
	  CAS_VALUES("all", "nodes-always", "nodes-with-numa"), \
	  "CPUs scanned: 0 all online, 1 preferred/pref-LLC/current nodes always (v1), " \
	  "2 those nodes only with NUMA balancing and a preferred node (v4)") \
	X(CF_SCAN_RATELIMIT, scan_ratelimit, "scan_ratelimit", PARAM_BOOL, 0, 1, "", "scan_ratelimit", CAS_ON_OFF, \
	  "one scan per process per epoch_period (merged)") \
	X(CF_SCAN_AT_TICK, scan_at_tick, "scan_at_tick", PARAM_BOOL, 0, 1, "", "scan_at_tick", CAS_ON_OFF, \
	  "a scan queued by the tick runs at the tick's return to user (else at the next switch-in)") \
	X(CF_LLC_BALANCE, llc_balance, "llc_balance", PARAM_BOOL, 0, 1, "", "llc_balance", CAS_ON_OFF, \
	  "group_llc_balance groups and migrate_llc_task balancing") \
	/* enum cas_filter */ \
	X(CF_MIGRATE_FILTER, migrate_filter, "migrate_filter", PARAM_INT, 0, 4, "", "migrate_filter", \
	  CAS_VALUES("none", "hot-occupancy", "hot-leave-pref", "hot-leave-pref-valid-target", "llc-filter"), \
	  "can_migrate_task: 0 stock, 1 RFC task_hot by occupancy, 2 RFC v2 task_hot leaving the " \
	  "preferred LLC, 3 ... unless dst is a valid target, 4 LLC filter (migrate_degrades_llc)") \
	/* enum cas_escape */ \
	X(CF_NR_FAIL_ESCAPE, nr_fail_escape, "nr_balance_failed_escape", PARAM_INT, 0, 2, "", "nr_balance_failed_escape", \
	  CAS_VALUES("none", "llc-balance", "llc-balance+filter"), \
	  "after cache_nice_tries+1 failures: 0 CAS keeps restricting, 1 no llc_balance groups (v3), " \
	  "2 no LLC filter either (v4)") \
	X(CF_TASK_ORDER, task_order, "order_tasks_by_llc", PARAM_BOOL, 0, 1, "", "llc_task_selection", \
	  CAS_VALUES("skip", "order"), \
	  "detach tasks preferring dst first (RFC v3 .. v2) instead of skipping others (v3+)") \
	X(CF_LLC_PINNED, llc_pinned, "llc_pinned", PARAM_BOOL, 0, 1, "", "llc_pinned", CAS_ON_OFF, \
	  "LLC refusals do not count as balance failures (LBF_LLC_PINNED)") \
	X(CF_FORCE_BALANCE, force_balance, "llc_force_balance", PARAM_BOOL, 0, 1, "", "llc_force_balance", CAS_ON_OFF, \
	  "low load: prefer_sibling forces a balance toward an llc_balance group (§2.14 1)") \
	/* enum cas_alb_break */ \
	X(CF_ALB_BREAK, alb_break, "alb_break_llc", PARAM_INT, 0, 2, "", "alb_break_llc", \
	  CAS_VALUES("off", "on", "on-util-0"), \
	  "veto active balances that break an LLC whose tasks all prefer it: 0 off, 1 judged with the util " \
	  "of src's current task (v1 13/19 break_llc_locality .. 7.2 alb_break_llc), 2 with util 0 (RFC v3/v4)") \
	X(CF_NONSMT_75, nonsmt_75, "nonsmt_busy_x1_5", PARAM_BOOL, 0, 1, "", "nonsmt_busy_x1_5", CAS_ON_OFF, \
	  "low load: busy threshold x1.5 (75 %) without SMT (§2.14 3)") \
	X(CF_SMT_DIV, smt_div, "busy_div_smt", PARAM_BOOL, 0, 1, "", "busy_div_smt", CAS_ON_OFF, \
	  "busy threshold divided by the SMT width (RFC v4, v1: 25 % on SMT-2)") \
	X(CF_BUSY_AFTER_ADJUST, busy_after_adjust, "busy_check_after_adjust", PARAM_BOOL, 0, 1, "", "both_busy_check", \
	  CAS_VALUES("before-adjust", "after-adjust"), \
	  "both-LLCs-busy check on the utilisations after moving the task (merged) or before (v1)") \
	X(CF_IMB_ABS, imb_abs, "imb_points", PARAM_BOOL, 0, 1, "", "imbalance", CAS_VALUES("ratio", "points"), \
	  "imbalance as percentage points of capacity (reproduces the decision matrix in the patch " \
	  "comment) instead of a ratio (the code)") \
	X(CF_NUMA_WINS, numa_wins, "numa_wins", PARAM_BOOL, 0, 1, "", "numa_wins", CAS_ON_OFF, \
	  "no task preference for an LLC off its NUMA preferred node (v2+)") \
	/* enum cas_wake */ \
	X(CF_WAKE_REDIRECT, wake_redirect, "wake_redirect", PARAM_INT, 0, 3, "", "wake_redirect", \
	  CAS_VALUES("none", "rfc", "rfc-v2", "rfc-v3"), \
	  "wakeup redirection: 0 none, 1 RFC select_cache_cpu, 2 RFC v2 (same LLC, " \
	  "valid_target_cpu), 3 RFC v3 (+ migrate hint)") \
	/* enum cas_ids_mode */ \
	X(CF_LLC_IDS, llc_ids, "llc_ids", PARAM_INT, 0, 1, "", "llc_ids", CAS_VALUES("static", "bitmask"), \
	  "LLC ids: 0 static topology order, 1 bitmask allocator reused after offline/online (v4)") \
	/* enum cas_alb_victim */ \
	X(CF_ALB_VICTIM, alb_victim, "alb_victim", PARAM_INT, 0, 2, "", "alb_victim", \
	  CAS_VALUES("tail", "prefer-dst", "llc-only"), \
	  "active balance for migrate_llc_task pushes: 0 the first movable task from the tail " \
	  "(7.2.0), 1 a task preferring dst's LLC, else the first [S], 2 a task preferring dst's " \
	  "LLC or none (7.2 fix d6013e2465d9, CAS-after-merge.md §2.1(b))") \
	/* enum cas_present */ \
	X(CF_PRESENT, present, "present_rule", PARAM_INT, 0, 3, "", "present_rule", \
	  CAS_VALUES("multi-llc", "some-node", "all-nodes", "always"), \
	  "CAS present when: 0 the machine has several LLCs, one of them of more than one CPU " \
	  "(7.2 sd_in_multi_llcs), 1 some NUMA node has several LLCs (v1 .. v4: the domain above the " \
	  "LLC spans more than one LLC; off with one LLC per node, e.g. Xeon 6 with or without SNC), " \
	  "2 every node has (RFC v4), 3 always (RFC .. RFC v3: no static key)") \
	X(CF_LLC_BYTES_REFRESH, llc_bytes_refresh, "llc_bytes_hotplug", PARAM_BOOL, 0, 1, "", "llc_bytes_hotplug", \
	  CAS_VALUES("stale", "refreshed"), \
	  "llc_bytes after a CPU offline: 0 the new span over the old sharing count (7.2.0), " \
	  "1 refreshed (7.2 fix 3cb0243767fd, CAS-after-merge.md §2.1(f))") \
	/* enum cas_lb_src */ \
	X(CF_LLC_BALANCE_SRC, llc_balance_src, "llc_balance_src", PARAM_INT, 0, 2, "", "llc_balance_src", \
	  CAS_VALUES("group", "env-src", "env-src-hint"), \
	  "llc_balance() judges a group against dst with: 0 the group's first CPU (v2 ..), " \
	  "1 env->src_cpu, not chosen yet (0, or the last busiest on a redo; v1), 2 the same " \
	  "through _get_migrate_hint(), which allows any move inside one LLC (RFC v3/v4)") \
	X(CF_NO_STATS, no_stats_llc, "no_stats_allow", PARAM_BOOL, 0, 1, "", "no_stats", \
	  CAS_VALUES("unrestricted", "allow"), \
	  "an LLC without statistics (no LLC sched domain): 0 mig_unrestricted (RFC v4 .. 7.2), " \
	  "1 mig_allow (RFC v3 07/20)") \
	X(CF_PREF_LLC_RUNNABLE, pref_llc_runnable, "pref_llc_running", PARAM_BOOL, 0, 1, "", "pref_llc_running", \
	  CAS_VALUES("queued", "runnable"), \
	  "nr_pref_llc_running as alb_break_llc() compares it with h_nr_runnable: 0 queued " \
	  "tasks, delayed-dequeue ones included (7.2.0), 1 runnable ones only (7.2 fix " \
	  "0d6526f82c3c, CAS-after-merge.md §2.1(a))") \
	X(CF_ASYM_MISFIT, asym_misfit, "asym_misfit_fix", PARAM_BOOL, 0, 1, "", "asym_misfit_fix", CAS_ON_OFF, \
	  "asymmetric capacity (f0d243a96f26, CAS-after-merge.md §2.2): no LLC-driven move that makes " \
	  "a task misfit, misfit migrations never vetoed by alb_break_llc, no llc_balance for a group " \
	  "with misfit load") \
	X(CF_SCAN_THREAD_GATE, scan_thread_gate, "scan_thread_gate", PARAM_BOOL, 0, 1, "", "scan_thread_gate", \
	  CAS_ON_OFF, \
	  "task_cache_work() stops on the thread gate, before nr_running_avg (merged; v3, v4 [U]); " \
	  "off: the scan goes on, sets the preference and updates nr_running_avg, and " \
	  "account_mm_sched() clears the preference (RFC v4, v1 17/19 and 18/19: \"Do not check " \
	  "exceed_llc_nr() because the active number of threads needs to been updated anyway\"; v2 [U])")

#define CAS_FIELD_CTYPE_PARAM_BOOL bool
#define CAS_FIELD_CTYPE_PARAM_INT int64_t
#define CAS_FIELD_CTYPE_PARAM_TIME simtime_t

/* The tunables of every revision (the policy's params struct). */
struct cas_cfg {
#define X(id, member, name, type, lo, hi, unit, feature, values, help) CAS_FIELD_CTYPE_##type member;
	CAS_FIELDS(X)
#undef X
};

/* Fields of struct cas_cfg, in table order. */
enum cas_field_id {
#define X(id, member, name, type, lo, hi, unit, feature, values, help) id,
	CAS_FIELDS(X)
#undef X
	CF_NR
};

/* A field: its generic name, type, range, help, and (for switches) the
 * names of its values, which `cassim policies` shows as features. */
struct cas_field {
	const char *name;
	enum param_type type;
	size_t offset;
	double min, max;
	const char *unit;
	const char *help;
	const char *feature;            /* feature key, NULL: a plain tunable */
	const char *const *value_names; /* names of values min..max, NULL: numeric */
};

/* Name of a field that is fixed for a revision (not a tunable there). */
#define CAS_FIXED ((const char *)1)

/* A revision: a row of the table. */
struct cas_rev {
	const char *name;        /* "cas-v3" */
	const char *parent;      /* the row it is written against, or NULL */
	const char *description;
	struct cas_cfg def;      /* its defaults */
	/* its own name of a field; NULL: the generic name; CAS_FIXED: fixed at
	 * the default (not settable) */
	const char *names[CF_NR];
};

extern const struct cas_field cas_fields[CF_NR];
extern const struct cas_rev cas_revs[];
extern const int cas_nr_revs;

/* Register every revision (registry.c calls it once, after cfs). */
void cas_register_builtin(int (*reg)(const struct policy *));
/* The revision row of a registered cas-* policy, or NULL. */
const struct cas_rev *cas_policy_rev(const struct policy *p);

/* ---- what a revision did in a run (cas_verdict.c) ---- */

enum cas_verdict {
	CAS_VERDICT_NONE = -1,   /* not a cache-aware run (no "active" counter) */
	CAS_VERDICT_OFF,         /* present, switched off */
	CAS_VERDICT_ABSENT,      /* the topology fails the revision's present rule */
	CAS_VERDICT_NO_PREF,     /* present, no process got a preferred LLC */
	CAS_VERDICT_NOT_AGGREGATED, /* preferred LLC set, under half the runtime in it */
	CAS_VERDICT_PARTLY,      /* half to three quarters of the runtime in it */
	CAS_VERDICT_AGGREGATED,  /* three quarters or more */
	CAS_VERDICT_NR
};

/* A counter of the run by name, NaN when it has none: the policy's
 * "total" counters (cas_report), "nohz_kicks", and the tunable
 * "present_rule".  Over several runs, their mean. */
typedef double (*cas_counter_fn)(void *ctx, const char *name);

/* The runtime share in the preferred LLC from which cas_verdict() counts a
 * run as aggregated (three quarters) or partly aggregated (more than half:
 * on a two-LLC machine an even spread already gives half).  What a reviewer
 * would call aggregated, not a kernel threshold. */
#define CAS_AGGREGATED_FRAC 0.75
#define CAS_PARTLY_FRAC 0.5

/* The names cas_verdict() asks its getter for. */
#define CAS_VERDICT_NR_COUNTERS 15
extern const char *const cas_verdict_counters[CAS_VERDICT_NR_COUNTERS];

/* One line on what the revision did (into @buf) and its kind. */
enum cas_verdict cas_verdict(cas_counter_fn get, void *ctx, char *buf, size_t len);
/* "aggregated", "no-preference" ... ("none" for CAS_VERDICT_NONE). */
const char *cas_verdict_name(enum cas_verdict v);

/* ---- pure rules (CAS.md §2), exported for the tests ---- */

/* What can_migrate_llc() needs besides the two LLCs' statistics. */
struct cas_mig_cfg {
	int64_t overaggr_pct, imb_pct;
	int smt;                 /* SMT width (cpu_smt_num_threads) */
	bool smt_div, nonsmt_75, busy_after_adjust, imb_abs;
	bool no_stats_llc;       /* RFC v3 _get_migrate_hint(): no statistics -> mig_allow */
};

/* fits(u, cap) with the revision's busy threshold. */
bool cas_fits(const struct cas_mig_cfg *m, unsigned long util, unsigned long cap);
/* greater(u1, u2): u1 exceeds u2 by more than imb_pct (of u2, or of @cap
 * in percentage points with imb_abs). */
bool cas_greater(const struct cas_mig_cfg *m, unsigned long u1, unsigned long u2, unsigned long cap);
/* can_migrate_llc() (§2.8) on LLC statistics; @src_ok / @dst_ok: the LLC
 * has statistics. */
enum cas_mig cas_can_migrate_llc(const struct cas_mig_cfg *m, bool src_ok, unsigned long src_util,
				 unsigned long src_cap, bool dst_ok, unsigned long dst_util,
				 unsigned long dst_cap, unsigned long task_util, bool to_pref);

/* scale(mul) of the tolerance: 0 for tol <= 0, CAS_SCALE_INF for tol >= 100. */
int64_t cas_tol_scale(int64_t tol, int64_t mul);
/* Thread-count gate (invalid_llc_nr / exceed_llc_nr, without the
 * single-thread part): true = too many running threads. */
bool cas_thread_gate(int mode, int64_t nr_running_avg, int smt, int llc_cpus, int64_t scale);
/* Memory gate: true = footprint too large for the LLC.  RSS: llc*scale <=
 * bytes; NUMA footprint: llc*scale < bytes. */
bool cas_mem_gate(int mode, double llc_bytes, int64_t scale, double bytes);
/* Divisor of the nr_running_avg EWMA for an LLC of @llc_cpus CPUs. */
int64_t cas_avg_divisor(int mode, int llc_cpus);
/* One EWMA step with integer (truncating) division. */
int64_t cas_ewma(int64_t avg, int64_t sample, int64_t div);
/* RFC v2 valid_target_cpu() on an LLC's statistics: util (group util),
 * nr_avg (update_avg() of its nr_running at each publication). */
bool cas_valid_target(int nr_threads, int llc_weight, unsigned long util, int64_t nr_avg);
/* Preferred-LLC choice after a scan: the new preferred CPU (or -1, or
 * @cur_cpu unchanged).  2x rule: switch when best > 2*curr; RFC: best
 * every scan, none below CAS_RFC_FLOOR. */
int cas_switch_pref(bool rule_2x, int cur_cpu, int64_t curr_occ, int best_cpu, int64_t best_occ);
/* The scan set (§2.12) into @out (online CPUs only). */
void cas_scan_set(const struct topo *t, const struct cpumask *online, int mode, bool numa_on,
		  int preferred_nid, int pref_cpu, int cur_cpu, struct cpumask *out);

/* LLC ids (§2.13): dense ids for llc_counts[]; static (topology order) or
 * the v4 bitmask allocator (lowest free id, freed when the LLC's last CPU
 * goes offline, reused). */
struct cas_ids {
	int mode, nr;
	int *id_of;    /* [nr] topology LLC -> id, -1 */
	int *owner;    /* [nr] id -> topology LLC, -1 */
	int *online;   /* [nr] online CPUs per LLC */
	int max_lid;   /* highest id in use, -1 */
	unsigned long allocs, frees; /* bitmask allocator activity after boot */
};
int cas_ids_init(struct cas_ids *ids, const struct topo *t, int mode);
void cas_ids_free(struct cas_ids *ids);
/* A CPU of topology LLC @llc went online / offline. */
void cas_ids_cpu(struct cas_ids *ids, int llc, bool online);

/* Inspection for tests: @state is a cas-* policy's run state
 * (sched->hook_state). */
int cas_debug_llc_count(const void *state, int cpu, int id); /* llc_counts[id] of @cpu */
int cas_debug_task_pref(const void *state, int task);       /* preferred_llc id, -1 */
/* cas_debug_proc_pref_cpu(): policies/cas_api.h */
int cas_debug_llc_id(const void *state, int cpu);           /* llc_id(cpu), -1 */
int64_t cas_debug_nr_running_avg(const void *state, int proc);
/* llc_bytes the memory gate reads for @cpu (the bottom domain's). */
uint64_t cas_debug_llc_bytes(const void *state, int cpu);
/* Make task @task prefer LLC id @id (-1: none), its counters kept right,
 * until the next accounting of it rederives it from its process. */
void cas_debug_set_task_pref(void *state, int task, int id);

#endif
