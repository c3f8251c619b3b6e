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

/* The tunables of every revision (the policy's params struct). */
struct cas_cfg {
	/* the revision's own knobs */
	bool enabled;             /* SCHED_CACHE feat / llc_balancing/enabled */
	bool lb_feat;             /* RFC v3/v4 SCHED_CACHE_LB */
	bool wake_feat;           /* RFC v3/v4 SCHED_CACHE_WAKE */
	simtime_t epoch_period;   /* ns; used in jiffies (HZ/100 = 10 ms) */
	int64_t affinity_timeout; /* epochs */
	int64_t overaggr_pct;     /* busy threshold, % of LLC capacity */
	int64_t imb_pct;          /* allowed imbalance, % */
	int64_t aggr_tolerance;   /* 0 off, 1 strict, >= 100 unlimited */
	int64_t aggr_tolerance_size; /* memory gate tolerance, -1 = aggr_tolerance */
	/* behavioural switches */
	int64_t mem_gate;         /* enum cas_mem_gate */
	int64_t thread_gate;      /* enum cas_thread_gate */
	bool single_gate;         /* processes with <= 1 thread never get a preference */
	int64_t avg_div;          /* enum cas_avg_div */
	bool avg_early_exit;      /* [U] a tripped gate skips the nr_running_avg update */
	bool occ_sum;             /* LLC occupancy = sum (else mean) */
	bool switch_2x;           /* 2x rule (else RFC: best LLC every scan, floor) */
	int64_t scan_set;         /* enum cas_scan_set */
	bool scan_ratelimit;      /* merged: one scan per process per epoch_period */
	bool scan_at_tick;        /* run a queued scan at the tick's return to user */
	bool llc_balance;         /* group_llc_balance / migrate_llc_task */
	int64_t migrate_filter;   /* enum cas_filter */
	int64_t nr_fail_escape;   /* enum cas_escape */
	bool task_order;          /* order_tasks_by_llc (RFC v3 .. v2) instead of skipping */
	bool llc_pinned;          /* LLC refusals do not count as balance failures */
	bool force_balance;       /* §2.14 (1): prefer_sibling forces llc_balance */
	int64_t alb_break;        /* enum cas_alb_break: §2.14 (2) alb_break_llc veto */
	bool nonsmt_75;           /* §2.14 (3): non-SMT threshold x1.5 */
	bool smt_div;             /* busy threshold divided by SMT width (RFC v4, v1) */
	bool busy_after_adjust;   /* both-busy check after the task-util adjustment */
	bool imb_abs;             /* imbalance in percentage points (the patch's matrix) */
	bool numa_wins;           /* v2+: no task preference against the NUMA preferred node */
	int64_t wake_redirect;    /* enum cas_wake */
	int64_t llc_ids;          /* enum cas_ids_mode */
	int64_t alb_victim;       /* enum cas_alb_victim */
	int64_t present;          /* enum cas_present */
	bool llc_bytes_refresh;   /* 7.2 fix 3cb0243767fd: llc_bytes right after a CPU offline */
	int64_t llc_balance_src;  /* enum cas_lb_src */
	bool no_stats_llc;        /* RFC v3: an LLC without statistics allows (mig_allow) */
	bool pref_llc_runnable;   /* 7.2 fix 0d6526f82c3c: nr_pref_llc_running without delayed tasks */
	bool asym_misfit;         /* f0d243a96f26: no LLC move that creates a misfit (CAS-after-merge.md §2.2) */
	bool scan_thread_gate;    /* task_cache_work() stops on the thread gate (else only account_mm_sched() clears) */
};

/* Fields of struct cas_cfg, in table order. */
enum cas_field_id {
	CF_ENABLED, CF_LB_FEAT, CF_WAKE_FEAT, CF_EPOCH_PERIOD, CF_AFFINITY_TIMEOUT,
	CF_OVERAGGR_PCT, CF_IMB_PCT, CF_AGGR_TOLERANCE, CF_AGGR_TOLERANCE_SIZE,
	CF_MEM_GATE, CF_THREAD_GATE, CF_SINGLE_GATE, CF_AVG_DIV, CF_AVG_EARLY_EXIT,
	CF_OCC_SUM, CF_SWITCH_2X, CF_SCAN_SET, CF_SCAN_RATELIMIT, CF_SCAN_AT_TICK,
	CF_LLC_BALANCE, CF_MIGRATE_FILTER, CF_NR_FAIL_ESCAPE, CF_TASK_ORDER, CF_LLC_PINNED,
	CF_FORCE_BALANCE, CF_ALB_BREAK, CF_NONSMT_75, CF_SMT_DIV, CF_BUSY_AFTER_ADJUST,
	CF_IMB_ABS, CF_NUMA_WINS, CF_WAKE_REDIRECT, CF_LLC_IDS, CF_ALB_VICTIM, CF_PRESENT,
	CF_LLC_BYTES_REFRESH, CF_LLC_BALANCE_SRC, CF_NO_STATS, CF_PREF_LLC_RUNNABLE, CF_ASYM_MISFIT,
	CF_SCAN_THREAD_GATE, CF_NR
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

enum cas_mig { CAS_MIG_FORBID = 0, CAS_MIG_LLC, CAS_MIG_UNRESTRICTED };

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
int cas_debug_proc_pref_cpu(const void *state, int proc);   /* process preferred CPU, -1 */
int cas_debug_llc_id(const void *state, int cpu);           /* llc_id(cpu), -1 */
int64_t cas_debug_nr_running_avg(const void *state, int proc);
/* llc_bytes the memory gate reads for @cpu (the bottom domain's). */
uint64_t cas_debug_llc_bytes(const void *state, int cpu);
/* Make task @task prefer LLC id @id (-1: none), its counters kept right,
 * until the next accounting of it rederives it from its process. */
void cas_debug_set_task_pref(void *state, int task, int id);

#endif
