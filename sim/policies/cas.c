/*
 * Cache Aware Scheduling: the mechanics (CAS.md §2), driven by struct
 * cas_cfg; the revisions are rows of cas_rev.c.
 *
 * State (§2.1).  Per CPU: the epoch counter and its next boundary (jiffies),
 * the decayed runtime of user tasks, nr_llc_running / nr_pref_llc_running,
 * and llc_counts[] (tasks queued here per preferred LLC id).  Per process
 * (the simulator's "mm"): per-CPU decayed runtime records, the preferred
 * CPU, the epoch stamp of the last queued scan, the scan rate limit,
 * nr_running_avg, the footprints the memory gate reads.  Per task: its
 * preferred LLC id and whether it was counted as queued on it.  Per LLC:
 * the util/capacity snapshot written by periodic balancing one level above
 * the LLC.
 *
 * Work per event: account/enqueue/dequeue/tick O(1); a scan O(CPUs
 * scanned), at most once per epoch per process; the group statistics
 * O(CPUs of the group), like the stock loop they extend.  All arrays are
 * sized at init, except the per-process / per-task ones, which grow at
 * fork (amortised, never on the hot path).
 *
 * The pure rules (can_migrate_llc, gates, EWMA, switch rule, scan set, LLC
 * ids) are in cas_rules.c.
 */
#include "policies/cas.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched/asym.h"
#include "sched/numa.h"
#include "sched/sched.h"
#include "sched/trace.h"
#include "base/xalloc.h"

static bool cas_present(const struct topo *t, int mode);

enum cas_trip { TRIP_THREADS, TRIP_MEMORY, TRIP_SINGLE, TRIP_TIMEOUT, TRIP_NUMA, TRIP_NR };
static const char *const trip_names[TRIP_NR] = {
	"gate_trips_threads", "gate_trips_memory", "gate_trips_single", "gate_trips_timeout",
	"gate_trips_numa_conflict",
};

/* ------------------------------------------------------------ run state */

struct cas_rec {
	int64_t runtime; /* decayed ns */
	int64_t epoch;   /* the CPU epoch it was decayed to */
	int64_t occ;     /* RFC: the LLC mean written by the last scan (task_hot) */
};

struct cas_proc {
	int nr_threads, max_threads;
	int pref_cpu;           /* mm preferred CPU, -1 */
	int last_pref_llc;      /* for counting switches */
	int64_t stamp;          /* epoch of the last queued scan */
	uint64_t next_scan;     /* jiffies (merged rate limit) */
	int64_t nr_avg;
	double footprint;       /* pages: decayed NUMA faults of its threads */
	double rss_priv;        /* bytes: private footprints of its threads */
	struct cas_rec *rec;    /* [nr_cpus], once it has 2 threads (or no single gate) */
	/* observations */
	bool had_pref;
	uint64_t switches, scans, scan_cpus, trips[TRIP_NR];
	double scan_ns, run_ns, pref_ns, in_pref_ns;
	double *llc_ns;         /* [nr_llcs] runtime per topology LLC */
};

struct cas_task {
	int pref;          /* preferred_llc (id), -1 */
	int enq_cpu;       /* the CPU whose counters count it, -1 */
	bool pref_queued;  /* counted in nr_pref_llc_running */
	bool pending;      /* scan queued (task_work) */
	double priv_seen, faults_seen;
};

struct cas_cpu {
	int64_t epoch;
	uint64_t epoch_next; /* jiffies */
	int64_t runtime;     /* decayed user runtime, ns */
	int nr_llc_running, nr_pref_llc_running;
	bool alb_llc;        /* the pending active balance is a migrate_llc_task one */
};

struct cas_llc_stat {
	unsigned long util, cap;
	int64_t nr_avg;  /* RFC v2 sd_share->nr_avg: update_avg() of the group's nr_running */
};

struct cas_state {
	struct cas_cfg c;
	struct sched *s;
	const struct topo *t;
	bool active, lb_on;      /* lb_on: llc_balance groups (and SCHED_CACHE_LB) */
	int nr_cpus, nr_llcs;
	uint64_t period_j;
	struct cas_mig_cfg mig;
	struct cas_cpu *cpu;
	int *counts;             /* [nr_cpus * nr_llcs]: llc_counts of each CPU */
	int *llc_sum;            /* [nr_llcs * nr_llcs]: counts summed over each topology LLC's CPUs */
	/* the topology LLCs of each group span (sd_group_tmpl.id):
	 * gl[gl_off[id] .. gl_off[id + 1] - 1], if the span is made of whole
	 * LLCs (gl_whole[id]), for nr_pref_dst_llc from llc_sum */
	int *gl_off, *gl;
	bool *gl_whole;
	struct cas_llc_stat *llc;/* [nr_llcs] by topology LLC */
	uint64_t *llc_bytes;     /* [nr_llcs] sd->llc_bytes of each topology LLC's CPUs */
	struct cas_ids ids;
	struct cpumask online;
	struct cas_proc *proc;
	int nr_proc, cap_proc;
	struct cas_task *task;
	int cap_task;
	int alb_cpu;             /* stopper being run (active_pick -> lb_moved) */
	/* totals */
	uint64_t llc_moves, active_llc, active_llc_moves, refusals, hot_verdicts, redirects;
	uint64_t rebuilds;
};

static inline int cpu_llc(const struct cas_state *st, int cpu) { return st->t->cpu[cpu].llc; }
static inline bool share_llc(const struct cas_state *st, int a, int b)
{
	return cpu_llc(st, a) == cpu_llc(st, b);
}
/* llc_id(cpu): -1 for an offline CPU under the bitmask allocator. */
static inline int llc_id(const struct cas_state *st, int cpu)
{
	if (cpu < 0)
		return -1;
	if (st->c.llc_ids == CAS_IDS_BITMASK && !cpumask_test(&st->online, cpu))
		return -1;
	return st->ids.id_of[cpu_llc(st, cpu)];
}
static inline int *counts_of(struct cas_state *st, int cpu) { return &st->counts[(size_t)cpu * st->nr_llcs]; }
static inline int llc_cpus(const struct cas_state *st, int cpu) { return st->ids.online[cpu_llc(st, cpu)]; }

/* __update_mm_sched(), the rq part: lazy epoch advance, halving per epoch. */
static void advance_epoch(const struct cas_state *st, struct cas_cpu *c, uint64_t now)
{
	if (now > c->epoch_next) {
		uint64_t n = (now - c->epoch_next + st->period_j - 1) / st->period_j;
		c->epoch += (int64_t)n;
		c->epoch_next += n * st->period_j;
		c->runtime = n >= 63 ? 0 : c->runtime >> n;
	}
}

static void decay_rec(struct cas_rec *r, int64_t epoch)
{
	int64_t n = epoch - r->epoch;

	if (n > 0) {
		r->runtime = n >= 63 ? 0 : r->runtime >> n;
		r->epoch = epoch;
	}
}

/* The process of @p now prefers @cpu's LLC (-1: none); decided on @at. */
static void set_pref(struct cas_state *st, struct cas_proc *pr, int cpu, int at, const struct task *p)
{
	if (cpu == pr->pref_cpu)
		return;
	pr->pref_cpu = cpu;
	if (cpu >= 0) {
		int l = cpu_llc(st, cpu);
		if (l != pr->last_pref_llc) {
			pr->switches++;
			sched_trace_instant(st->s, at, p, "pref_switch", TRACE_NUM("from_llc", pr->last_pref_llc),
					    TRACE_NUM("to_llc", l), TRACE_NUM("pref_cpu", cpu));
		}
		pr->last_pref_llc = l;
		pr->had_pref = true;
	}
}

/* A gate (enum cas_trip) tripped for @p's process, checked on @at. */
static void gate_trip(struct cas_state *st, struct cas_proc *pr, int why, int at, const struct task *p)
{
	pr->trips[why]++;
	sched_trace_instant(st->s, at, p, "gate_trip",
			    TRACE_STR("gate", trip_names[why] + sizeof("gate_trips_") - 1),
			    TRACE_NUM("pref_llc", pr->pref_cpu >= 0 ? cpu_llc(st, pr->pref_cpu) : -1));
}

static void clear_pref(struct cas_state *st, struct cas_proc *pr, int why, int at, const struct task *p)
{
	if (pr->pref_cpu >= 0)
		gate_trip(st, pr, why, at, p);
	set_pref(st, pr, -1, at, p);
}

/* The gates (§2.5) against @cpu: the trip kind, or -1; the thread gate
 * only when @threads. */
static int gate_check(struct cas_state *st, struct cas_proc *pr, int proc, int cpu, bool threads)
{
	const struct cas_cfg *c = &st->c;
	struct sched *s = st->s;
	int64_t tol;

	if (c->single_gate && pr->nr_threads <= 1)
		return TRIP_SINGLE;
	if (threads && cas_thread_gate((int)c->thread_gate, pr->nr_avg, st->t->smt, llc_cpus(st, cpu),
			    cas_tol_scale(c->aggr_tolerance, 1)))
		return TRIP_THREADS;
	tol = c->aggr_tolerance_size >= 0 ? c->aggr_tolerance_size : c->aggr_tolerance;
	if (c->mem_gate == CAS_MEM_RSS) {
		double rss = pr->rss_priv + (s->perf ? perf_shared_bytes(s->perf, proc) : 0);
		if (cas_mem_gate(CAS_MEM_RSS, (double)st->t->llc[cpu_llc(st, cpu)].hw_size_bytes,
				 cas_tol_scale(tol, 256), rss))
			return TRIP_MEMORY;
	} else if (c->mem_gate == CAS_MEM_NUMA_FOOTPRINT && s->numa_on) {
		/* merged: only with NUMA balancing; llc_bytes of the bottom domain */
		if (cas_mem_gate(CAS_MEM_NUMA_FOOTPRINT, (double)st->llc_bytes[cpu_llc(st, cpu)],
				 cas_tol_scale(tol, 256), pr->footprint * CAS_PAGE_SIZE))
			return TRIP_MEMORY;
	}
	return -1;
}

/* ---- per-rq counters (§2.6) */

static void llc_enqueue(struct cas_state *st, int cpu, struct cas_task *tp)
{
	struct cas_cpu *c = &st->cpu[cpu];

	tp->enq_cpu = cpu;
	if (tp->pref < 0)
		return;
	c->nr_llc_running++;
	tp->pref_queued = tp->pref == llc_id(st, cpu);
	if (tp->pref_queued)
		c->nr_pref_llc_running++;
	if (tp->pref < st->nr_llcs) {
		counts_of(st, cpu)[tp->pref]++;
		st->llc_sum[(size_t)cpu_llc(st, cpu) * st->nr_llcs + tp->pref]++;
	}
}

/* Underflow-guarded: a domain rebuild (hotplug) resets llc_counts. */
static void llc_dequeue(struct cas_state *st, int cpu, struct cas_task *tp)
{
	struct cas_cpu *c = &st->cpu[cpu];

	tp->enq_cpu = -1;
	if (tp->pref < 0)
		return;
	if (c->nr_llc_running > 0)
		c->nr_llc_running--;
	if (tp->pref_queued && c->nr_pref_llc_running > 0)
		c->nr_pref_llc_running--;
	tp->pref_queued = false;
	if (tp->pref < st->nr_llcs && counts_of(st, cpu)[tp->pref] > 0) {
		counts_of(st, cpu)[tp->pref]--;
		st->llc_sum[(size_t)cpu_llc(st, cpu) * st->nr_llcs + tp->pref]--;
	}
}

/* ---- LLC statistics (§2.7) */

static void llc_stats(const struct cas_state *st, int cpu, unsigned long *util, unsigned long *cap)
{
	const struct cas_llc_stat *l = &st->llc[cpu_llc(st, cpu)];
	*util = l->util;
	*cap = l->cap;
}

/* get_llc_stats() fails only when the CPU has no sd_llc_shared, i.e. no
 * SD_SHARE_LLC domain (an LLC of one CPU without SMT siblings): fair.c
 * get_llc_stats(), v1 03/19 .. 7.2.  An LLC not yet published reads
 * util 0 and capacity 0 (busy for fits_llc_capacity()), not "no stats". */
static bool has_llc_stats(const struct cas_state *st, int cpu)
{
	return st->s->sdt->llc[cpu] != NULL;
}

/* can_migrate_llc() (v1 .. 7.2; RFC v3/v4 _get_migrate_hint()). */
static enum cas_mig can_migrate_llc(const struct cas_state *st, int src, int dst, unsigned long task_util,
				    bool to_pref)
{
	unsigned long su, sc, du, dc;

	llc_stats(st, src, &su, &sc);
	llc_stats(st, dst, &du, &dc);
	return cas_can_migrate_llc(&st->mig, has_llc_stats(st, src), su, sc, has_llc_stats(st, dst), du, dc,
				   task_util, to_pref);
}

/* can_migrate_llc_task(): by the process preference, gates against dst. */
static enum cas_mig can_migrate_llc_task(struct cas_state *st, int src, int dst, struct task *p)
{
	struct cas_proc *pr = &st->proc[p->process];
	int pref = pr->pref_cpu, gate;
	bool to_pref;

	if (pref < 0 || share_llc(st, src, dst))
		return CAS_MIG_UNRESTRICTED;
	gate = gate_check(st, pr, p->process, dst, true);
	if (gate >= 0) {
		clear_pref(st, pr, gate, dst, p);
		return CAS_MIG_UNRESTRICTED;
	}
	if (share_llc(st, dst, pref))
		to_pref = true;
	else if (share_llc(st, src, pref))
		to_pref = false;
	else
		return CAS_MIG_UNRESTRICTED;
	return can_migrate_llc(st, src, dst, p->avg.util_avg, to_pref);
}

/* task_misfits_asym_cpu() (f0d243a96f26, CAS-after-merge.md §2.2): on an
 * SD_ASYM_CPUCAPACITY domain, @p fits src but would not fit dst.  A task
 * that already misfits on src is left to the normal LLC policy, so misfit
 * up-migration still works. */
static bool task_misfits_asym_cpu(const struct sched *s, const struct lb_env *env, const struct task *p)
{
	return (env->sd->t->flags & SD_ASYM_CPUCAPACITY) && p && !task_fits_cpu(s, p, env->dst_cpu) &&
	       task_fits_cpu(s, p, env->src_cpu);
}

/* RFC v2 valid_target_cpu() (RFC v2 04/05, fair.c): no aggregation into an
 * LLC that is already busy for a process with at least an LLC's worth of
 * threads; no target at all without the LLC's statistics. */
static bool valid_target_cpu(const struct cas_state *st, const struct cas_proc *pr, int cpu)
{
	const struct cas_llc_stat *l = &st->llc[cpu_llc(st, cpu)];

	if (!has_llc_stats(st, cpu))
		return false;
	return cas_valid_target(pr->nr_threads, llc_cpus(st, cpu), l->util, l->nr_avg);
}

/* ------------------------------------------------------------ the scan */

/* task_cache_work() (§2.4): choose the process's preferred LLC. */
static void run_scan(struct cas_state *st, int cpu, struct task *p)
{
	const struct cas_cfg *c = &st->c;
	struct sched *s = st->s;
	struct cas_proc *pr = &st->proc[p->process];
	uint64_t now = sched_jiffies(s);
	struct cpumask set;
	int gate, visited = 0, running = 0, best_cpu = -1, cur_llc;
	int64_t best = 0, curr = 0;

	st->task[p->id].pending = false;
	if (p->state == TASK_DEAD || !pr->rec)
		return;
	if (c->scan_ratelimit) {
		if (now < pr->next_scan)
			return;
		pr->next_scan = now + st->period_j;
	}
	/* RFC v4 and v1 (17/19, 18/19) check only the single-thread and memory
	 * gates here: "Do not check exceed_llc_nr() because the active number
	 * of threads needs to been updated anyway"; the preference this scan
	 * sets is cleared by the next account_mm_sched().  The merged
	 * task_cache_work() returns on invalid_llc_nr() too. */
	gate = gate_check(st, pr, p->process, cpu, c->scan_thread_gate);
	if (gate >= 0) {
		gate_trip(st, pr, gate, cpu, p);
		set_pref(st, pr, -1, cpu, p);
		if (c->avg_early_exit)
			return;
	}
	cas_scan_set(st->t, &st->online, (int)c->scan_set, s->numa_on, p->numa.preferred_nid,
		     pr->pref_cpu, cpu, &set);
	cur_llc = pr->pref_cpu >= 0 ? cpu_llc(st, pr->pref_cpu) : -1;
	for (int first = cpumask_first(&set); first >= 0; first = cpumask_first(&set)) {
		int l = cpu_llc(st, first), m_cpu = -1, n = 0;
		const struct cpumask *span = &st->t->llc[l].cpus;
		int64_t a = 0, m = -1;

		for_each_cpu(i, span) {
			struct cas_cpu *ci = &st->cpu[i];
			struct cas_rec *r = &pr->rec[i];
			const struct task *cur = s->rq[i].curr;
			int64_t occ;

			if (!cpumask_test(&st->online, i))
				continue;
			advance_epoch(st, ci, now);
			decay_rec(r, ci->epoch);
			occ = CAS_SCALE * r->runtime / (ci->runtime + 1);
			a += occ;
			n++;
			if (occ > m) {
				m = occ;
				m_cpu = i;
			}
			if (cur && cur->process == p->process && cur->state != TASK_DEAD)
				running++;
		}
		cpumask_andnot(&set, &set, span);
		visited += n;
		if (!n)
			continue;
		if (!c->occ_sum)
			a /= n;
		if (c->migrate_filter == CAS_FILTER_HOT_OCC)
			for_each_cpu(i, span)
				pr->rec[i].occ = a;
		if (a > best) {
			best = a;
			best_cpu = m_cpu;
		}
		if (l == cur_llc)
			curr = a;
	}
	if (gate < 0)
		set_pref(st, pr, cas_switch_pref(c->switch_2x, pr->pref_cpu, curr, best_cpu, best), cpu, p);
	pr->nr_avg = cas_ewma(pr->nr_avg, running, cas_avg_divisor((int)c->avg_div, llc_cpus(st, cpu)));
	pr->scans++;
	pr->scan_cpus += (uint64_t)visited;
	if (s->perf && visited) {
		double ns = perf_scan_ns(s->perf, visited);
		p->charge_ns += ns;
		pr->scan_ns += ns;
	}
}

/* ------------------------------------------------------------ hooks */

static void cas_account(struct sched *s, void *state, int cpu, struct task *t, int64_t delta)
{
	struct cas_state *st = state;
	const struct cas_cfg *c = &st->c;
	struct cas_cpu *cc;
	struct cas_proc *pr;
	struct cas_task *tp;
	int newp, l;

	if (!st->active || t->process < 0 || t->process >= st->nr_proc || t->id >= st->cap_task)
		return;
	cc = &st->cpu[cpu];
	pr = &st->proc[t->process];
	tp = &st->task[t->id];
	advance_epoch(st, cc, sched_jiffies(s));
	cc->runtime += delta;
	l = cpu_llc(st, cpu);
	pr->run_ns += (double)delta;
	if (pr->llc_ns)
		pr->llc_ns[l] += (double)delta;
	if (pr->pref_cpu >= 0) {
		pr->pref_ns += (double)delta;
		if (cpu_llc(st, pr->pref_cpu) == l)
			pr->in_pref_ns += (double)delta;
	}
	/* footprints, kept as sums updated by each thread when it runs */
	if (c->mem_gate == CAS_MEM_RSS && s->perf) {
		double b = perf_private_bytes(s->perf, t->id);
		pr->rss_priv += b - tp->priv_seen;
		tp->priv_seen = b;
	} else if (c->mem_gate == CAS_MEM_NUMA_FOOTPRINT && s->numa_on) {
		double f = t->numa.total_faults;
		pr->footprint = MAX(0.0, pr->footprint + f - tp->faults_seen);
		tp->faults_seen = f;
	}
	if (pr->rec) {
		struct cas_rec *r = &pr->rec[cpu];
		decay_rec(r, cc->epoch);
		r->runtime += delta;
	}
	if (pr->pref_cpu >= 0) {
		int gate;
		if (cc->epoch - pr->stamp > c->affinity_timeout)
			clear_pref(st, pr, TRIP_TIMEOUT, cpu, t);
		else if ((gate = gate_check(st, pr, t->process, cpu, true)) >= 0)
			clear_pref(st, pr, gate, cpu, t);
	}
	newp = llc_id(st, pr->pref_cpu);
	if (newp >= 0 && c->numa_wins && s->numa_on && t->numa.preferred_nid >= 0 &&
	    st->t->cpu[pr->pref_cpu].node != t->numa.preferred_nid) {
		/* v2+: NUMA balancing wins */
		if (tp->pref >= 0)
			gate_trip(st, pr, TRIP_NUMA, cpu, t);
		newp = -1;
	}
	if (newp != tp->pref) {
		int q = tp->enq_cpu;
		if (q >= 0)
			llc_dequeue(st, q, tp);
		tp->pref = newp;
		if (q >= 0)
			llc_enqueue(st, q, tp);
	}
}

static void cas_tick(struct sched *s, void *state, int cpu, struct task *t)
{
	struct cas_state *st = state;
	struct cas_proc *pr;
	struct cas_cpu *cc;

	if (!st->active || t->process < 0 || t->process >= st->nr_proc || t->id >= st->cap_task)
		return;
	pr = &st->proc[t->process];
	cc = &st->cpu[cpu];
	if (!pr->rec)
		return;
	advance_epoch(st, cc, sched_jiffies(s));
	if (pr->stamp >= cc->epoch || st->task[t->id].pending)
		return;
	st->task[t->id].pending = true;
	pr->stamp = cc->epoch;
	/* the tick interrupt returns to user mode right away unless the task
	 * is in the kernel (an overhead burst): the task_work runs there */
	if (st->c.scan_at_tick && t->burst != BURST_CHARGE)
		run_scan(st, cpu, t);
}

static void cas_return_to_user(struct sched *s, void *state, int cpu, struct task *t)
{
	struct cas_state *st = state;

	(void)s;
	if (st->active && t->id < st->cap_task && st->task[t->id].pending)
		run_scan(st, cpu, t);
}

static void cas_enqueue(struct sched *s, void *state, int cpu, struct task *t)
{
	struct cas_state *st = state;

	(void)s;
	if (st->active && t->id < st->cap_task)
		llc_enqueue(st, cpu, &st->task[t->id]);
}

static void cas_dequeue(struct sched *s, void *state, int cpu, struct task *t)
{
	struct cas_state *st = state;

	(void)s;
	if (st->active && t->id < st->cap_task)
		llc_dequeue(st, cpu, &st->task[t->id]);
}

/* select_cache_cpu() (RFC .. RFC v4): wake near the preferred CPU. */
static int cas_wakeup_prev(struct sched *s, void *state, struct task *p, int prev_cpu, int this_cpu)
{
	struct cas_state *st = state;
	const struct cas_cfg *c = &st->c;
	struct cas_proc *pr;
	int cpu;

	if (!st->active || c->wake_redirect == CAS_WAKE_NONE || !c->wake_feat ||
	    p->process < 0 || p->process >= st->nr_proc)
		return prev_cpu;
	pr = &st->proc[p->process];
	cpu = pr->pref_cpu;
	if (cpu < 0 || cpu == prev_cpu || !cpumask_test(&p->affinity, cpu) || cpu_offline(s, cpu))
		return prev_cpu;
	if (s->numa_on && st->t->cpu[cpu].node != st->t->cpu[prev_cpu].node &&
	    numa_migrate_degrades_locality(s, p, prev_cpu, cpu, false) == 1)
		return prev_cpu;
	/* RFC v2: valid_target_cpu(); RFC v3 20/20 replaced it by the migrate hint */
	if (c->wake_redirect >= CAS_WAKE_RFC_V2) {
		if (share_llc(st, prev_cpu, cpu))
			return prev_cpu;
		if (c->wake_redirect == CAS_WAKE_RFC_V2 && !valid_target_cpu(st, pr, cpu))
			return prev_cpu;
		if (c->wake_redirect >= CAS_WAKE_RFC_V3 &&
		    can_migrate_llc(st, prev_cpu, cpu, p->avg.util_avg, true) == CAS_MIG_FORBID)
			return prev_cpu;
	}
	st->redirects++;
	sched_trace_instant(s, this_cpu, p, "wake_redirect", TRACE_NUM("prev_cpu", prev_cpu),
			    TRACE_NUM("to_cpu", cpu));
	return cpu;
}

/* List the LLCs of each group span, noting the spans made of whole LLCs. */
static void group_llcs_init(struct cas_state *st, const struct sd_topology *sdt)
{
	int *seen = xcalloc((size_t)st->nr_llcs, sizeof(*seen)), n = 0;

	st->gl_off = xcalloc((size_t)sdt->nr_gids + 1, sizeof(*st->gl_off));
	st->gl_whole = xcalloc((size_t)sdt->nr_gids + 1, sizeof(*st->gl_whole));
	st->gl = xmalloc(((size_t)sdt->cpu_gids_off[sdt->nr_cpus] + 1) * sizeof(*st->gl));
	for (int id = 0; id < sdt->nr_gids; id++) {
		const struct sd_group_tmpl *g = sdt->gid_group[id];
		bool whole = true;

		st->gl_off[id] = n;
		for_each_group_cpu(i, g)
			if (!seen[cpu_llc(st, i)]++)
				st->gl[n++] = cpu_llc(st, i);
		for (int k = st->gl_off[id]; k < n; k++) {
			whole &= seen[st->gl[k]] == st->t->llc[st->gl[k]].nr_cpus;
			seen[st->gl[k]] = 0;
		}
		st->gl_whole[id] = whole;
	}
	st->gl_off[sdt->nr_gids] = n;
	free(seen);
}

/* The sum of llc_counts[id] over the CPUs of @g outside LLC @dst_llc: per
 * LLC from llc_sum when @g is made of whole LLCs (the same integers). */
static unsigned int group_pref_count(struct cas_state *st, const struct sd_group_tmpl *g, int dst_llc,
				     int id)
{
	unsigned int nr = 0;

	if (st->gl_whole[g->id]) {
		for (int k = st->gl_off[g->id]; k < st->gl_off[g->id + 1]; k++)
			if (st->gl[k] != dst_llc)
				nr += (unsigned)st->llc_sum[(size_t)st->gl[k] * st->nr_llcs + id];
		return nr;
	}
	for_each_cpu(i, &g->span)
		if (cpu_llc(st, i) != dst_llc)
			nr += (unsigned)counts_of(st, i)[id];
	return nr;
}

/* update_sg_lb_stats(): record_sg_llc_stats(), nr_pref_dst_llc, llc_balance(). */
static void cas_group_stats(struct sched *s, void *state, struct lb_env *env,
			    const struct sd_group_tmpl *g, struct sg_lb_stats *sgs, int local)
{
	struct cas_state *st = state;
	const struct sd_tmpl *t = env->sd->t;
	int dst = env->dst_cpu, dst_llc, id, src;
	unsigned int nr = 0;

	if (!st->active)
		return;
	/* periodic (not newidle) balancing one level above dst's LLC publishes
	 * every group's (= LLC's) utilisation */
	if (env->idle != CPU_NEWLY_IDLE && env->sd->child && env->sd->child->t == s->sdt->llc[dst]) {
		struct cas_llc_stat *l = &st->llc[cpu_llc(st, g->first_cpu)];
		l->util = sgs->group_util;
		l->cap = sgs->group_capacity;
		/* RFC v2 update_sg_if_llc(): update_avg(&nr_avg, sum_nr_running) */
		l->nr_avg = cas_ewma(l->nr_avg, (int64_t)sgs->sum_nr_running, 8);
	}
	/* only the candidate groups need nr_pref_dst_llc */
	if (!st->lb_on || local || (t->flags & SD_SHARE_LLC))
		return;
	id = llc_id(st, dst);
	if (id < 0)
		return;
	dst_llc = cpu_llc(st, dst);
	nr = group_pref_count(st, g, dst_llc, id);
	sgs->nr_pref_dst_llc = nr;
	if (!nr)
		return;
	if (st->c.nr_fail_escape != CAS_ESC_NONE &&
	    env->sd->nr_balance_failed >= (unsigned)t->cache_nice_tries + 1)
		return;
	/* llc_balance(): can_migrate_llc(src, dst, 0, true) == mig_llc, src
	 * per llc_balance_src (RFC v3 .. v1 passed env->src_cpu, which
	 * find_busiest_queue() has not set yet; fixed after the v1 review) */
	src = st->c.llc_balance_src == CAS_LBSRC_GROUP ? g->first_cpu : env->src_cpu;
	if (!(st->c.llc_balance_src == CAS_LBSRC_ENV_HINT && share_llc(st, src, dst)) &&
	    can_migrate_llc(st, src, dst, 0, true) != CAS_MIG_LLC)
		return;
	/* f0d243a96f26 llc_balance(): a group with misfit load is never
	 * group_llc_balance, so the misfit migration goes first */
	if (st->c.asym_misfit && (t->flags & SD_ASYM_CPUCAPACITY) && sgs->group_misfit_task_load)
		return;
	if (sgs->group_type < group_llc_balance)
		sgs->group_type = group_llc_balance;
}

/* find_busiest_group(): the merged code forces the balance only under
 * prefer_sibling (CAS.md §2.9(d)). */
static bool cas_llc_force(struct sched *s, void *state, struct lb_env *env, bool prefer_sibling)
{
	(void)s;
	(void)env;
	return prefer_sibling && ((struct cas_state *)state)->c.force_balance;
}

/* find_busiest_queue() for migrate_llc_task: most tasks preferring dst's LLC. */
static int cas_busiest_queue(struct sched *s, void *state, struct lb_env *env,
			     const struct sd_group_tmpl *g)
{
	struct cas_state *st = state;
	int id, best = HOOK_NO_QUEUE, most = 0;

	if (!st->active || env->migration_type != migrate_llc_task)
		return -1;
	id = llc_id(st, env->dst_cpu);
	if (id < 0)
		return HOOK_NO_QUEUE;
	/* as find_busiest_queue(): only the CPUs the pass still considers,
	 * with a runnable task (cfs.h_nr_runnable, v6.15) */
	for_each_cpu(i, &g->span) {
		int n;
		if (!s->rq[i].h_nr_runnable || !cpumask_test(&env->cpus, i))
			continue;
		n = counts_of(st, i)[id];
		if (n > most) {
			most = n;
			best = i;
		}
	}
	return best;
}

/* The LLC filter refused to move @p (counted, traced on the balancing CPU). */
static void llc_refusal(struct cas_state *st, const struct lb_env *env, const struct task *p, const char *why)
{
	st->refusals++;
	sched_trace_instant(st->s, env->dst_cpu, p, "llc_filter_refusal", TRACE_STR("rule", why),
			    TRACE_NUM("src_cpu", env->src_cpu), TRACE_NUM("dst_cpu", env->dst_cpu),
			    TRACE_STR("migration", env->migration_type == migrate_llc_task ? "llc_task" : "other"));
}

/* can_migrate_task(), NUMA-neutral candidates: migrate_degrades_llc() or
 * the RFC task_hot() variants. */
static enum hook_migrate cas_can_migrate(struct sched *s, void *state, struct lb_env *env, struct task *p)
{
	struct cas_state *st = state;
	const struct cas_cfg *c = &st->c;
	struct cas_proc *pr;
	int src = env->src_cpu, dst = env->dst_cpu;

	if (!st->active || p->process < 0 || p->process >= st->nr_proc || p->id >= st->cap_task)
		return HOOK_MIGRATE_DEFAULT;
	pr = &st->proc[p->process];
	switch (c->migrate_filter) {
	case CAS_FILTER_HOT_OCC:
	case CAS_FILTER_HOT_LEAVE:
	case CAS_FILTER_HOT_LEAVE_VALID:
		/* task_hot(): SMT siblings share the cache; migration_cost 0 */
		if ((env->sd->t->flags & SD_SHARE_CPUCAPACITY) || s->p.migration_cost_ns == 0)
			return HOOK_MIGRATE_DEFAULT;
		if (c->migrate_filter == CAS_FILTER_HOT_OCC) {
			if (!pr->rec || pr->rec[src].occ <= pr->rec[dst].occ)
				return HOOK_MIGRATE_DEFAULT;
		} else {
			int pref = pr->pref_cpu;
			if (pref < 0 || !share_llc(st, src, pref) || share_llc(st, src, dst))
				return HOOK_MIGRATE_DEFAULT;
			if (c->migrate_filter == CAS_FILTER_HOT_LEAVE_VALID && valid_target_cpu(st, pr, dst))
				return HOOK_MIGRATE_DEFAULT;
		}
		st->hot_verdicts++;
		return HOOK_MIGRATE_HOT;
	case CAS_FILTER_LLC:
		if (!c->lb_feat)
			return HOOK_MIGRATE_DEFAULT;
		if (c->nr_fail_escape == CAS_ESC_BOTH &&
		    env->sd->nr_balance_failed >= (unsigned)env->sd->t->cache_nice_tries + 1)
			return HOOK_MIGRATE_DEFAULT;
		/* an LLC balance pulls only tasks preferring dst's LLC */
		if (env->migration_type == migrate_llc_task && !c->task_order &&
		    st->task[p->id].pref != llc_id(st, dst)) {
			llc_refusal(st, env, p, "not_preferring_dst");
			return HOOK_MIGRATE_DENY;
		}
		/* f0d243a96f26: can_migrate_llc_task(env, p) forbids first a
		 * move that would make @p misfit */
		if (c->asym_misfit && task_misfits_asym_cpu(s, env, p)) {
			llc_refusal(st, env, p, "misfit");
			return env->migration_type != migrate_llc_task && c->llc_pinned ? HOOK_MIGRATE_DENY_PINNED
										       : HOOK_MIGRATE_DENY;
		}
		if (can_migrate_llc_task(st, src, dst, p) != CAS_MIG_FORBID)
			return HOOK_MIGRATE_DEFAULT;
		llc_refusal(st, env, p, "can_migrate_llc");
		return env->migration_type != migrate_llc_task && c->llc_pinned ? HOOK_MIGRATE_DENY_PINNED
									       : HOOK_MIGRATE_DENY;
	default:
		return HOOK_MIGRATE_DEFAULT;
	}
}

/* order_tasks_by_llc() (RFC v3 .. v2): prefers dst, no preference, prefers
 * another LLC, prefers src. */
static int cas_detach_order(struct sched *s, void *state, struct lb_env *env, struct task *t)
{
	struct cas_state *st = state;
	int pref, dst, src;

	(void)s;
	if (!st->active || !st->c.lb_feat || !st->c.task_order || st->c.migrate_filter != CAS_FILTER_LLC)
		return t ? 0 : 1;
	if (!t)
		return 4;
	if (t->id >= st->cap_task)
		return 1;
	pref = st->task[t->id].pref;
	dst = llc_id(st, env->dst_cpu);
	src = llc_id(st, env->src_cpu);
	if (pref < 0)
		return 1;
	if (pref == dst)
		return 0;
	return pref == src ? 3 : 2;
}

/*
 * nr_pref_llc_running of @rq as alb_break_llc() reads it.  7.2.0 counts the
 * queued tasks on their preferred LLC, delayed-dequeue ones included (the
 * enqueue/dequeue hooks); the 7.2 fix 0d6526f82c3c (CAS-after-merge.md
 * §2.1(a)) keeps only runnable ones, adjusting the count in set_delayed()
 * and clear_delayed().  That is the queued count minus the delayed tasks
 * counted in it, which is what this takes, here where it is read (an
 * active balance), instead of two more hooks on the wakeup path.
 */
static int pref_llc_running(const struct cas_state *st, const struct rq *rq)
{
	int n = st->cpu[rq->cpu].nr_pref_llc_running;

	if (st->c.pref_llc_runnable)
		for (const struct task *p = rq->tasks_head; p; p = p->lb_next)
			n -= p->se.sched_delayed && p->id < st->cap_task && st->task[p->id].pref_queued;
	return n;
}

/* alb_break_llc(): no active balance that takes a lone task off its
 * preferred LLC, or breaks an LLC whose tasks all prefer it
 * (nr_pref_llc_running == cfs.h_nr_runnable, CAS.md §2.8). */
static bool cas_active_balance_veto(struct sched *s, void *state, struct lb_env *env)
{
	struct cas_state *st = state;
	const struct rq *rq = env->src_rq;
	unsigned long util;
	int nr_pref;

	if (!st->active || !st->c.lb_feat || st->c.alb_break == CAS_ALBB_OFF || !rq ||
	    share_llc(st, env->src_cpu, env->dst_cpu))
		return false;
	/* f0d243a96f26 alb_break_llc(): LLC preference never blocks a misfit
	 * migration, and vetoes one that would make the running task misfit */
	if (st->c.asym_misfit) {
		if (env->migration_type == migrate_misfit)
			return false;
		if (task_misfits_asym_cpu(s, env, rq->curr))
			return true;
	}
	nr_pref = pref_llc_running(st, rq);
	if (nr_pref <= 0 || nr_pref != rq->h_nr_runnable)
		return false;
	if (rq->nr_running <= 1)
		return true;
	/* RFC v3/v4 break_llc_locality(): _get_migrate_hint(src, dst, 0, false) */
	util = st->c.alb_break == CAS_ALBB_CURR && rq->curr ? rq->curr->avg.util_avg : 0;
	return can_migrate_llc(st, env->src_cpu, env->dst_cpu, util, false) == CAS_MIG_FORBID;
}

static void cas_active_start(struct sched *s, void *state, struct lb_env *env)
{
	struct cas_state *st = state;

	if (!st->active)
		return;
	st->cpu[env->src_cpu].alb_llc = env->migration_type == migrate_llc_task;
	if (env->migration_type == migrate_llc_task) {
		st->active_llc++;
		sched_trace_instant(s, env->dst_cpu, NULL, "active_balance_llc",
				    TRACE_NUM("src_cpu", env->src_cpu), TRACE_NUM("dst_cpu", env->dst_cpu));
	}
}

/* detach_one_task() of a stopper kicked by a migrate_llc_task balance
 * (alb_llc, the kernel's LBF_ACTIVE_LB_LLC): prefer-dst takes a task
 * preferring dst's LLC, else the stock choice; llc-only (7.2 fix
 * d6013e2465d9, can_migrate_task() under LBF_ACTIVE_LB returns
 * !migrate_llc_task_wrong_dst()) takes such a task or none. */
static struct task *cas_active_pick(struct sched *s, void *state, int busiest_cpu, int target_cpu)
{
	struct cas_state *st = state;
	int id;

	st->alb_cpu = busiest_cpu;
	if (!st->active || st->c.alb_victim == CAS_ALB_TAIL || !st->cpu[busiest_cpu].alb_llc)
		return NULL;
	id = llc_id(st, target_cpu);
	for (struct task *q = s->rq[busiest_cpu].tasks_tail; q && id >= 0; q = q->lb_prev)
		if (cpumask_test(&q->affinity, target_cpu) && q->id < st->cap_task && st->task[q->id].pref == id)
			return q;
	return st->c.alb_victim == CAS_ALB_LLC_ONLY ? HOOK_NO_TASK : NULL;
}

static void cas_lb_moved(struct sched *s, void *state, struct lb_env *env, struct task *t)
{
	struct cas_state *st = state;

	if (!st->active)
		return;
	if (env) {
		if (env->migration_type == migrate_llc_task)
			st->llc_moves++;
	} else if (st->alb_cpu >= 0 && st->cpu[st->alb_cpu].alb_llc) {
		st->active_llc_moves++;
		st->cpu[st->alb_cpu].alb_llc = false;
	}
}

/* Per-task / per-process arrays grow at fork. */
static int grow(void **arr, int *cap, int need, size_t size)
{
	int n = *cap ? *cap : 16;
	void *p;

	if (need < *cap)
		return 0;
	while (n <= need)
		n *= 2;
	p = xrealloc(*arr, (size_t)n * size);
	memset((char *)p + (size_t)*cap * size, 0, (size_t)(n - *cap) * size);
	*arr = p;
	*cap = n;
	return 0;
}

static void cas_fork(struct sched *s, void *state, struct task *t)
{
	struct cas_state *st = state;
	struct cas_proc *pr;
	struct cas_task *tp;

	(void)s;
	if (t->process < 0 || grow((void **)&st->task, &st->cap_task, t->id, sizeof(*st->task)) ||
	    grow((void **)&st->proc, &st->cap_proc, t->process, sizeof(*st->proc)))
		return;
	while (st->nr_proc <= t->process) {
		pr = &st->proc[st->nr_proc++];
		pr->pref_cpu = -1;
		pr->last_pref_llc = -1;
		pr->llc_ns = xcalloc((size_t)st->nr_llcs, sizeof(double));
	}
	tp = &st->task[t->id];
	memset(tp, 0, sizeof(*tp));
	tp->pref = -1; /* "stale preferred_llc for a new task" fix */
	tp->enq_cpu = -1;
	pr = &st->proc[t->process];
	pr->nr_threads++;
	pr->max_threads = MAX(pr->max_threads, pr->nr_threads);
	/* the per-CPU records (mm->sc_stat.pcpu_sched); a single-threaded
	 * process never needs them when the single-thread gate is on */
	if (!pr->rec && (pr->nr_threads >= 2 || !st->c.single_gate)) {
		pr->rec = xcalloc((size_t)st->nr_cpus, sizeof(*pr->rec));
		if (pr->rec && t->cpu >= 0 && t->cpu < st->nr_cpus) {
			advance_epoch(st, &st->cpu[t->cpu], sched_jiffies(st->s));
			pr->stamp = st->cpu[t->cpu].epoch;
		}
	}
}

static void cas_exit(struct sched *s, void *state, struct task *t)
{
	struct cas_state *st = state;
	struct cas_proc *pr;
	struct cas_task *tp;

	(void)s;
	if (t->process < 0 || t->process >= st->nr_proc || t->id >= st->cap_task)
		return;
	pr = &st->proc[t->process];
	tp = &st->task[t->id];
	if (pr->nr_threads > 0)
		pr->nr_threads--;
	/* an exiting thread takes its faults / private set out of the sums */
	pr->footprint = MAX(0.0, pr->footprint - tp->faults_seen);
	pr->rss_priv = MAX(0.0, pr->rss_priv - tp->priv_seen);
	tp->faults_seen = tp->priv_seen = 0;
	tp->pending = false;
}

/* sd->llc_bytes of LLC @l's CPUs (sched_update_llc_bytes(), CAS.md §2.5):
 * the cache's size x the online CPUs of the LLC's domain span / the online
 * CPUs sharing the cache, @sharing of them inside the span (CPUs of the
 * cache outside the span, on another node, count as online). */
static uint64_t llc_bytes(const struct topo_llc *l, int span, int sharing)
{
	uint64_t share = (uint64_t)sharing + (uint64_t)(l->hw_cpus - l->nr_cpus);

	return share ? l->hw_size_bytes * (uint64_t)span / share : 0;
}

/* Hotplug: the LLC ids follow (v4 allocator), and the domain rebuild
 * reallocates llc_counts (all counts reset, hence the underflow guards).
 * llc_bytes (CAS-after-merge.md §2.1(f), §4.1): on an offline the kernel
 * rebuilds the domains before cacheinfo drops the CPU from shared_cpu_map,
 * so 7.2.0 gives the survivors the new span over the old sharing count
 * (16 MiB x 11/12 on a 12-CPU LLC); fix 3cb0243767fd refreshes them with
 * the new sharing count.  On an online cacheinfo is already updated: the
 * value is right either way [U]. */
static void cas_hotplug(struct cas_state *st, int cpu, bool online)
{
	int l = cpu_llc(st, cpu), before = st->ids.online[l];

	if (online == cpumask_test(&st->online, cpu))
		return;
	if (online)
		cpumask_set(&st->online, cpu);
	else
		cpumask_unset(&st->online, cpu);
	cas_ids_cpu(&st->ids, l, online);
	st->llc_bytes[l] = llc_bytes(&st->t->llc[l], st->ids.online[l],
				     online || st->c.llc_bytes_refresh ? st->ids.online[l] : before);
	memset(st->counts, 0, (size_t)st->nr_cpus * (size_t)st->nr_llcs * sizeof(*st->counts));
	memset(st->llc_sum, 0, (size_t)st->nr_llcs * (size_t)st->nr_llcs * sizeof(*st->llc_sum));
	st->rebuilds++;
}

static void cas_cpu_online(struct sched *s, void *state, int cpu)
{
	(void)s;
	cas_hotplug(state, cpu, true);
}

static void cas_cpu_offline(struct sched *s, void *state, int cpu)
{
	(void)s;
	cas_hotplug(state, cpu, false);
}

static void emit_proc(hook_emit_fn emit, void *ctx, const char *scope, const struct cas_proc *pr,
		      int nr_llcs)
{
	double top = 0;

	for (int l = 0; l < nr_llcs && pr->llc_ns; l++)
		top = MAX(top, pr->llc_ns[l]);
	emit(ctx, scope, "pref_switches", (double)pr->switches);
	emit(ctx, scope, "pref_time_ns", pr->pref_ns);
	emit(ctx, scope, "pref_llc_runtime_frac", pr->run_ns > 0 ? pr->in_pref_ns / pr->run_ns : 0);
	emit(ctx, scope, "top_llc_runtime_frac", pr->run_ns > 0 ? top / pr->run_ns : 0);
	emit(ctx, scope, "scans", (double)pr->scans);
	emit(ctx, scope, "scan_cpu_ns", pr->scan_ns);
	emit(ctx, scope, "scan_cpus_visited", (double)pr->scan_cpus);
	if (strcmp(scope, "total"))
		emit(ctx, scope, "nr_running_avg", (double)pr->nr_avg);
	for (int k = 0; k < TRIP_NR; k++)
		emit(ctx, scope, trip_names[k], (double)pr->trips[k]);
}

static void cas_report(struct sched *s, void *state, hook_emit_fn emit, void *ctx)
{
	struct cas_state *st = state;
	struct cas_proc tot;
	double *llc_ns = xcalloc((size_t)st->nr_llcs, sizeof(double));

	memset(&tot, 0, sizeof(tot));
	for (int i = 0; i < st->nr_proc; i++) {
		const struct cas_proc *pr = &st->proc[i];
		tot.switches += pr->switches;
		tot.scans += pr->scans;
		tot.scan_cpus += pr->scan_cpus;
		tot.scan_ns += pr->scan_ns;
		tot.run_ns += pr->run_ns;
		tot.pref_ns += pr->pref_ns;
		tot.in_pref_ns += pr->in_pref_ns;
		tot.nr_avg += pr->nr_avg;
		for (int k = 0; k < TRIP_NR; k++)
			tot.trips[k] += pr->trips[k];
		for (int l = 0; l < st->nr_llcs && llc_ns && pr->llc_ns; l++)
			llc_ns[l] += pr->llc_ns[l];
	}
	tot.llc_ns = llc_ns;
	emit(ctx, "total", "active", st->active);
	emit(ctx, "total", "present", cas_present(st->t, (int)st->c.present));
	emit_proc(emit, ctx, "total", &tot, llc_ns ? st->nr_llcs : 0);
	emit(ctx, "total", "llc_balance_migrations", (double)st->llc_moves);
	emit(ctx, "total", "llc_active_balances", (double)st->active_llc);
	emit(ctx, "total", "llc_active_migrations", (double)st->active_llc_moves);
	emit(ctx, "total", "llc_filter_refusals", (double)st->refusals);
	emit(ctx, "total", "llc_hot_verdicts", (double)st->hot_verdicts);
	emit(ctx, "total", "wake_redirects", (double)st->redirects);
	emit(ctx, "total", "llc_id_max", (double)st->ids.max_lid);
	emit(ctx, "total", "llc_id_allocs", (double)st->ids.allocs);
	emit(ctx, "total", "llc_id_frees", (double)st->ids.frees);
	emit(ctx, "total", "domain_rebuilds", (double)st->rebuilds);
	free(llc_ns);
	/* per process: the multi-threaded ones, and any that had a preference */
	for (int i = 0; i < st->nr_proc; i++) {
		const struct cas_proc *pr = &st->proc[i];
		const char *name = s->ops.proc_name ? s->ops.proc_name(s->ops.ctx, i) : NULL;
		char buf[32];

		if (pr->max_threads < 2 && !pr->had_pref)
			continue;
		if (!name) {
			snprintf(buf, sizeof(buf), "proc%d", i);
			name = buf;
		}
		emit_proc(emit, ctx, name, pr, st->nr_llcs);
	}
}

/*
 * sched_cache_present (CAS.md §2.11), each revision's own rule, checked
 * against its topology.c:
 *  multi-llc (7.2, sd_in_multi_llcs() after the May 2026 fixes a7660ce1590f,
 *    5beff4f08727): some LLC of more than one CPU has a parent domain with a
 *    larger span, i.e. the machine (one partition) has several LLCs;
 *  some-node (v1 04/19 sched_cache_allowed, v2/v3 17/21 "no change", tip
 *    d59f4fd1d303): in build_sched_domains()'s imb_numa_nr loop, the first
 *    domain above the LLC (PKG = the node's CPUs on x86, or NODE with SNC;
 *    before degeneration) spans more than one LLC (nr_llcs > 1) for some CPU;
 *  all-nodes (RFC v4 21/28): that holds for every CPU (and no asymmetric
 *    capacity, which cassim's topologies do not have);
 *  always (RFC .. RFC v3): no static key; SCHED_CACHE runs on any machine
 *    (scans cost CPU time on one LLC too; the RFC's wakeup redirect even
 *    steers wakeups inside the LLC).
 * So v1 .. v4 are off on every machine with one LLC per node (Xeon 6 with
 * or without SNC, Genoa NPS4 with one CCD per node...).
 */
static bool cas_present(const struct topo *t, int mode)
{
	int some = 0, all = 1;

	if (mode == CAS_PRESENT_ALWAYS)
		return true;
	if (t->nr_llcs < 2)
		return false;
	if (mode == CAS_PRESENT_MULTI_LLC) {
		/* "it does not make sense to aggregate to 1 CPU" */
		for (int l = 0; l < t->nr_llcs; l++)
			if (t->llc[l].nr_cpus > 1)
				return true;
		return false;
	}
	for (int n = 0; n < t->nr_nodes; n++) {
		int k = 0;
		if (!t->node[n].nr_cpus)
			continue;
		for (int l = 0; l < t->nr_llcs; l++)
			k += t->llc[l].node == n;
		some |= k > 1;
		all &= k > 1;
	}
	return mode == CAS_PRESENT_SOME_NODE ? some : all;
}

static void cas_fini(struct sched *s, void *state)
{
	struct cas_state *st = state;

	(void)s;
	if (!st)
		return;
	for (int i = 0; i < st->nr_proc; i++) {
		free(st->proc[i].rec);
		free(st->proc[i].llc_ns);
	}
	free(st->proc);
	free(st->task);
	free(st->cpu);
	free(st->counts);
	free(st->llc_sum);
	free(st->gl_off);
	free(st->gl);
	free(st->gl_whole);
	free(st->llc);
	free(st->llc_bytes);
	cas_ids_free(&st->ids);
	free(st);
}

static size_t field_size(enum param_type type)
{
	switch (type) {
	case PARAM_BOOL: return sizeof(bool);
	case PARAM_DOUBLE: return sizeof(double);
	default: return sizeof(int64_t);
	}
}

/* hooks->init: @data is the revision's table row (see cas_register_builtin). */
static int cas_init(struct sched *s, const void *data, const void *params, void **state)
{
	const struct cas_rev *rev = data;
	struct cas_state *st = xcalloc(1, sizeof(*st));
	const struct topo *t = s->topo;

	st->c = rev->def;
	/* the settable fields come from the run's params, the fixed ones
	 * from the revision row */
	for (int f = 0; params && f < CF_NR; f++)
		if (rev->names[f] != CAS_FIXED)
			memcpy((char *)&st->c + cas_fields[f].offset, (const char *)params + cas_fields[f].offset,
			       field_size(cas_fields[f].type));
	st->s = s;
	st->t = t;
	st->nr_cpus = t->nr_cpus;
	st->nr_llcs = t->nr_llcs;
	st->alb_cpu = -1;
	st->active = st->c.enabled && cas_present(t, (int)st->c.present);
	st->lb_on = st->c.llc_balance && st->c.lb_feat;
	st->period_j = (uint64_t)MAX(1, st->c.epoch_period / s->tick_ns);
	st->mig = (struct cas_mig_cfg){ .overaggr_pct = st->c.overaggr_pct, .imb_pct = st->c.imb_pct,
					.smt = t->smt, .smt_div = st->c.smt_div,
					.nonsmt_75 = st->c.nonsmt_75,
					.busy_after_adjust = st->c.busy_after_adjust,
					.imb_abs = st->c.imb_abs, .no_stats_llc = st->c.no_stats_llc };
	st->cpu = xcalloc((size_t)st->nr_cpus, sizeof(*st->cpu));
	st->counts = xcalloc((size_t)st->nr_cpus * (size_t)st->nr_llcs, sizeof(*st->counts));
	st->llc_sum = xcalloc((size_t)st->nr_llcs * (size_t)st->nr_llcs, sizeof(*st->llc_sum));
	group_llcs_init(st, s->sdt);
	st->llc = xcalloc((size_t)st->nr_llcs, sizeof(*st->llc));
	st->llc_bytes = xcalloc((size_t)st->nr_llcs, sizeof(*st->llc_bytes));
	if (cas_ids_init(&st->ids, t, (int)st->c.llc_ids)) {
		cas_fini(s, st);
		return -1;
	}
	for (int l = 0; l < st->nr_llcs; l++)
		st->llc_bytes[l] = t->llc[l].size_bytes;
	for (int c = 0; c < st->nr_cpus; c++)
		if (!cpu_offline(s, c))
			cpumask_set(&st->online, c);
	*state = st;
	return 0;
}

/* ------------------------------------------------------------ registration */

static const struct sched_hooks cas_hooks_template = {
	.version = SCHED_HOOKS_VERSION,
	.init = cas_init,
	.fini = cas_fini,
	.account = cas_account,
	.tick = cas_tick,
	.return_to_user = cas_return_to_user,
	.enqueue = cas_enqueue,
	.dequeue = cas_dequeue,
	.wakeup_prev = cas_wakeup_prev,
	.group_stats = cas_group_stats,
	.busiest_queue = cas_busiest_queue,
	.can_migrate = cas_can_migrate,
	.active_balance_veto = cas_active_balance_veto,
	.fork = cas_fork,
	.exit = cas_exit,
	.cpu_online = cas_cpu_online,
	.cpu_offline = cas_cpu_offline,
	.llc_force = cas_llc_force,
	.detach_order = cas_detach_order,
	.active_start = cas_active_start,
	.active_pick = cas_active_pick,
	.lb_moved = cas_lb_moved,
	.report = cas_report,
};

/* What registration builds for one revision: its tunables, its features,
 * what it changes relative to its parent row, and its policy. */
struct cas_reg {
	struct param_def params[CF_NR];
	const char *feats[CF_NR + 1][2];
	const char *changes[2 * CF_NR + 1][3];
	char num[2 * CF_NR][2][32];
	struct sched_hooks hooks;
	struct policy pol;
};

/* One per row of cas_revs[], allocated at registration (no cap on the
 * number of revisions). */
static struct cas_reg *regs;
static double field_value(const struct cas_field *f, const struct cas_cfg *c)
{
	const char *p = (const char *)c + f->offset;

	switch (f->type) {
	case PARAM_BOOL: return *(const bool *)p;
	case PARAM_DOUBLE: return *(const double *)p;
	default: return (double)*(const int64_t *)p;
	}
}

/* A field's value in a revision's defaults, as `cassim policies` shows it:
 * the feature's value name, else the number in the field's own format. */
static const char *value_text(const struct cas_field *fd, const struct cas_cfg *c, char *buf, size_t len)
{
	double v = field_value(fd, c);
	struct param_def d = { .name = fd->name, .type = fd->type, .offset = fd->offset };

	if (fd->value_names)
		return fd->value_names[(int)(v - fd->min)];
	return param_format(&d, c, buf, len);
}

static const char *knob_name(const struct cas_rev *rev, int f)
{
	const char *n = rev->names[f];

	return n == CAS_FIXED ? "(fixed)" : n ? n : cas_fields[f].name;
}

/* What @rev changes relative to its parent row: each default that differs
 * and each knob that was renamed or made fixed/settable, as
 * {name, parent's, this revision's}. */
static void list_changes(struct cas_reg *g, const struct cas_rev *rev, const struct cas_rev *parent)
{
	int n = 0;

	for (int f = 0; parent && f < CF_NR; f++) {
		const struct cas_field *fd = &cas_fields[f];
		const char *was = knob_name(parent, f), *is = knob_name(rev, f);

		if (field_value(fd, &rev->def) != field_value(fd, &parent->def)) {
			g->changes[n][0] = fd->feature ? fd->feature : fd->name;
			g->changes[n][1] = value_text(fd, &parent->def, g->num[n][0], sizeof(g->num[n][0]));
			g->changes[n][2] = value_text(fd, &rev->def, g->num[n][1], sizeof(g->num[n][1]));
			n++;
		}
		if (strcmp(was, is)) {
			g->changes[n][0] = "knob";
			g->changes[n][1] = was;
			g->changes[n][2] = is;
			n++;
		}
	}
	g->changes[n][0] = g->changes[n][1] = g->changes[n][2] = NULL;
}

static const struct cas_rev *rev_named(const char *name)
{
	for (int r = 0; name && r < cas_nr_revs; r++)
		if (!strcmp(cas_revs[r].name, name))
			return &cas_revs[r];
	return NULL;
}

void cas_register_builtin(int (*reg)(const struct policy *))
{
	regs = xcalloc((size_t)cas_nr_revs, sizeof(*regs));
	for (int r = 0; r < cas_nr_revs; r++) {
		const struct cas_rev *rev = &cas_revs[r];
		struct cas_reg *g = &regs[r];
		size_t np = 0;
		int nf = 0;

		for (int f = 0; f < CF_NR; f++) {
			const struct cas_field *fd = &cas_fields[f];
			double v = field_value(fd, &rev->def);

			if (fd->feature && rev->names[f] != CAS_FIXED) {
				int k = (int)(v - fd->min);
				g->feats[nf][0] = fd->feature;
				g->feats[nf][1] = fd->value_names ? fd->value_names[k] : "?";
				nf++;
			}
			if (rev->names[f] == CAS_FIXED)
				continue;
			g->params[np++] = (struct param_def){
				.name = rev->names[f] ? rev->names[f] : fd->name, .type = fd->type,
				.offset = fd->offset, .def = v, .min = fd->min, .max = fd->max,
				.unit = fd->unit, .help = fd->help,
			};
		}
		g->feats[nf][0] = g->feats[nf][1] = NULL;
		list_changes(g, rev, rev_named(rev->parent));
		g->hooks = cas_hooks_template;
		g->hooks.data = rev;
		g->pol = (struct policy){
			.name = rev->name, .description = rev->description, .hooks = &g->hooks,
			.params = g->params, .nr_params = np, .params_size = sizeof(struct cas_cfg),
			.features = (const char *const (*)[2])g->feats, .parent = rev->parent,
			.changes = (const char *const (*)[3])g->changes, .data = rev,
		};
		reg(&g->pol);
	}
}

const struct cas_rev *cas_policy_rev(const struct policy *p)
{
	for (int r = 0; p && regs && r < cas_nr_revs; r++)
		if (p == &regs[r].pol || (p->data == &cas_revs[r] && p->hooks == &regs[r].hooks))
			return &cas_revs[r];
	return NULL;
}

/* ------------------------------------------------------------ inspection */

int cas_debug_llc_count(const void *state, int cpu, int id)
{
	const struct cas_state *st = state;
	return cpu >= 0 && cpu < st->nr_cpus && id >= 0 && id < st->nr_llcs
		       ? st->counts[(size_t)cpu * st->nr_llcs + id] : 0;
}

int cas_debug_task_pref(const void *state, int task)
{
	const struct cas_state *st = state;
	return task >= 0 && task < st->cap_task ? st->task[task].pref : -1;
}

int cas_debug_proc_pref_cpu(const void *state, int proc)
{
	const struct cas_state *st = state;
	return proc >= 0 && proc < st->nr_proc ? st->proc[proc].pref_cpu : -1;
}

uint64_t cas_run_epoch_jiffies(const void *state)
{
	return ((const struct cas_state *)state)->period_j;
}

bool cas_run_fits(const void *state, unsigned long util, unsigned long cap)
{
	return cas_fits(&((const struct cas_state *)state)->mig, util, cap);
}

enum cas_mig cas_run_can_migrate_llc(const void *state, bool src_ok, unsigned long src_util,
				     unsigned long src_cap, bool dst_ok, unsigned long dst_util,
				     unsigned long dst_cap, unsigned long task_util, bool to_pref)
{
	return cas_can_migrate_llc(&((const struct cas_state *)state)->mig, src_ok, src_util, src_cap, dst_ok,
				   dst_util, dst_cap, task_util, to_pref);
}

int cas_debug_llc_id(const void *state, int cpu)
{
	return llc_id(state, cpu);
}

int64_t cas_debug_nr_running_avg(const void *state, int proc)
{
	const struct cas_state *st = state;
	return proc >= 0 && proc < st->nr_proc ? st->proc[proc].nr_avg : 0;
}

uint64_t cas_debug_llc_bytes(const void *state, int cpu)
{
	const struct cas_state *st = state;
	return cpu >= 0 && cpu < st->nr_cpus ? st->llc_bytes[cpu_llc(st, cpu)] : 0;
}

void cas_debug_set_task_pref(void *state, int task, int id)
{
	struct cas_state *st = state;
	struct cas_task *tp;
	int q;

	if (task < 0 || task >= st->cap_task)
		return;
	tp = &st->task[task];
	q = tp->enq_cpu;
	if (q >= 0)
		llc_dequeue(st, q, tp);
	tp->pref = id;
	if (q >= 0)
		llc_enqueue(st, q, tp);
}
