/*
 * NUMA balancing: kernel/sched/fair.c task_tick_numa() / task_numa_work() /
 * task_numa_fault() / task_numa_placement() / task_numa_migrate() /
 * migrate_degrades_locality(), mm/memory.c do_numa_page() and
 * should_numa_migrate_memory(), as of v6.6 .. v6.13 (the
 * update_task_scan_period() and task_numa_find_cpu() of that era), with
 * the kernel's time scales and a simplified page model.
 *
 * Model
 *
 * Enabled (sched->numa_on, set in sched_set_perf()) when numa_balancing is 1,
 * or -1 and the machine has more than one node with CPUs; it needs the
 * machine model, which knows where pages are.
 *
 * Scan pacing (task_tick_numa, task_numa_work).  Per task: numa_scan_period
 * starts at the scan delay and node_stamp at 0 (later threads of a process
 * at 2 ticks, the kernel's fork stagger); when the task's *runtime*
 * (sum_exec_runtime) passes node_stamp + scan_period at a tick, node_stamp
 * advances by that period (the first time the period becomes
 * task_scan_start()) and, if the process's numa_next_scan (wall time, set to
 * start + scan delay when its first thread starts) has passed, the task
 * runs task_numa_work() for its process: numa_next_scan = now + its
 * scan_period, node_stamp += 2 ticks.  One scan per process per period: the
 * kernel scans the mm, not the thread.  The scan itself is charged no CPU
 * time (change_prot_numa() and the hinting faults cost real time in the
 * kernel, a few % at most; not modelled).
 *
 * Pages.  A scan covers numa_scan_mb of the process's address space (its
 * RSS = shared set + every live thread's private set, from the machine
 * model), as a fraction f of each set (the address space taken as evenly
 * interleaved).  When the scan offset wraps past the RSS, the process's
 * numa_scan_seq advances (reset_ptenuma_scan); task_numa_placement() runs
 * once per seq.  Task_scan_min/max scale with RSS / scan size as in the
 * kernel (task_nr_scan_windows, MAX_SCAN_WINDOW floor).
 *
 * Hinting faults.  Every thread of the process that ran since its previous
 * faults takes, at the scan (not spread over the following period), faults
 * on f x its private set, and on a disjoint f x the shared set / (threads
 * that ran), per memory node as perf_mem_dist() says (for the shared set:
 * as it was when the scan began), counted in 4 KiB pages.  Faults
 * on the shared set are shared faults when more than one thread of the
 * process ran (the last accessor of a shared page is then mostly another
 * thread), else private; a thread's first shared fault joins its process's
 * numa_group (threads of one mm always join).  Before recording them the
 * thread runs the task_numa_fault() preamble: when numa_migrate_retry has
 * passed, task_numa_placement() and numa_migrate_preferred() (a thread not
 * running at the scan does it at its next tick, its first hinting fault).
 * The kernel checks the retry time on every hinting fault, but a thread's
 * faults on one scan's pages come in a burst much shorter than the retry
 * interval, so one check per scan is the model.
 *
 * Page migration (do_numa_page -> should_numa_migrate_memory).  A page on
 * another node than the faulting CPU's moves to the CPU's node when:
 * private: early in the task's life (no preferred node or seq <= 4), else
 * when the task faulted on the same pages from the same node one pass
 * earlier (two-stage filter on last_cpupid); shared: the filter passes for the
 * fraction of the previous scan's shared faults that came from this CPU's
 * node (P(same node twice)), then the group's CPU/memory fault rules.  Moves
 * are limited per destination node by numa_migrate_mbps (token bucket
 * refilled at that rate, holding at most one second's worth; the kernel
 * had 128 MB per 100 ms per node until 4.19).  A migrated fault counts on
 * the new node (TNF_MIGRATED), one refused by the limit on the old node and
 * as a failed migration (TNF_MIGRATE_FAIL, numa_faults_locality[2]).  The
 * kernel moves only pages under the default (local) policy; perf_mem_migrate()
 * decides whether interleaved / bound sets move.
 *
 * Placement (task_numa_placement).  Per node and fault type, faults =
 * faults / 2 + new; CPU faults weighted by the runtime share; group totals
 * likewise; preferred node = argmax of task faults (group faults in a
 * numa_group, preferred_group_nid() on mesh / backplane topologies), moved
 * to the nearest node with CPUs; update_task_scan_period() as the kernel
 * writes it: ps_ratio = private share, lr_ratio = local share; ps >= 7/10
 * or lr >= 7/10 lengthen the period by (ratio - 7) tenths (at least one),
 * else shorten it by (7 - max ratio) tenths; no faults or any failed
 * migration double it (without clearing the locality counts, as the
 * kernel).  Clamped to [task_scan_min, task_scan_max].
 *
 * Task migration (numa_migrate_preferred, task_numa_migrate).  Tried at a
 * thread's hinting faults once min(1 s, scan_period / 16) has passed since
 * the last try (numa_migrate_retry), i.e. at most once per scan here.  The
 * search is the kernel's: the lowest SD_NUMA domain's imbalance_pct / 2 and
 * imb_numa_nr, update_numa_stats() (idle CPU / idle core), task_numa_find_cpu()
 * (move to an idle CPU when the node has spare capacity and the move keeps
 * the imbalance within adjust_numa_imbalance(), else task_numa_compare()
 * over the node's CPUs: move if load_too_imbalanced() allows it, or swap
 * with the running task there when the fault weights improve by SMALLIMP),
 * then the other nodes when nothing was found: for a task outside a
 * numa_group any node that does not lower its task weight qualifies (the
 * group weight difference is 0), so a task whose preferred node is full
 * can hop between other nodes at each retry, as in the kernel.
 * migrate_task_to() and
 * migrate_swap() run the stopper: an event at the same instant on the
 * task's CPU preempts it (and the swap partner on its CPU) and moves both
 * queued tasks (sched_move_task()); a move that went stale meanwhile (the
 * task blocked or moved) is dropped and counted as failed.
 *
 * Load balancing: can_migrate_task() asks numa_migrate_degrades_locality()
 * (lb.c); the fbq_type runqueue classification of find_busiest_queue() is
 * not modelled.
 */
#include "sched/numa.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sched/sched.h"
#include "sched/hook_call.h"
#include "base/xalloc.h"

#define PAGE_BYTES 4096.0
#define MIB (1024.0 * 1024.0)
#define LOCAL_DISTANCE 10
#define NUMA_PERIOD_SLOTS 10
#define NUMA_PERIOD_THRESHOLD 7
#define ACTIVE_NODE_FRACTION 3
#define SMALLIMP 30
#define MAX_SCAN_WINDOW 2560 /* MB/s: never scan faster (fair.c) */
#define RATE_BURST_NS NSEC_PER_SEC /* token bucket depth: one second at the rate [E] */

enum numa_topology_type { NUMA_DIRECT, NUMA_GLUELESS_MESH, NUMA_BACKPLANE };
enum numa_type { node_has_spare = 0, node_fully_busy, node_overloaded };
/* numa_faults[] sections: averaged memory / CPU faults, and their buffers */
enum { NUMA_MEM, NUMA_CPU, NUMA_MEMBUF, NUMA_CPUBUF, NR_NUMA_STATS };

struct numa_proc {
	int *members;            /* task ids of started threads */
	int nr_members, cap_members;
	simtime_t next_scan;     /* mm->numa_next_scan, 0 = unset */
	double scan_offset;      /* mm->numa_scan_offset, bytes */
	double rss;              /* get_mm_rss(), bytes: as of the last scan or thread start */
	/* proc_rss() memo: its sum over members[0..rss_n-1], exact while no
	 * thread exited and no footprint changed since (a fork adds one term) */
	double rss_sum;
	int rss_n;
	uint64_t rss_exits, rss_fp_gen;
	int scan_seq;            /* mm->numa_scan_seq */
	/* numa_group (one per process: threads of an mm always join) */
	int group_tasks;
	double *gf;              /* [2 * nn * 2]: NUMA_MEM and NUMA_CPU sections */
	double g_total, g_max_faults_cpu;
	int g_active_nodes;
	/* shared-page last_cpupid: shared faults by CPU node, previous / this scan */
	double *sh_prev, *sh_cur;
	double sh_prev_tot;
	bool sh_seen;
};

struct numa_stop {
	struct eq_event ev;
	struct task *p, *swap;   /* pending migrate_task_to() / migrate_swap() */
	int dst;
};

struct numa_state {
	struct sched *s;
	int nn;
	enum numa_topology_type topo_type;
	int max_dist;            /* sched_max_numa_distance */
	int dists[64], nr_dists; /* sched_domains_numa_distance[] */
	double scan_bytes;       /* numa_scan_mb */
	double rate;             /* bytes per ns */
	size_t stride;           /* doubles per task fault block */
	double *tf;              /* [cap_tasks * stride] */
	int cap_tasks;
	struct numa_proc *procs;
	int nr_procs;
	double *tokens;          /* [nn] */
	simtime_t *tok_last;     /* [nn] */
	bool *migrate_on;        /* [nr_cpus] rq->numa_migrate_on */
	struct numa_stop *stop;  /* [nr_cpus] */
	double *frac;            /* [nn] scratch */
	double *sh_frac;         /* [nn] the shared set's distribution when the scan began */
	double *cand;            /* [nn] scratch */
	bool *nodes, *max_group, *this_group; /* [nn] scratch (preferred_group_nid) */
	uint64_t nr_swaps;
};

struct numa_stats {
	unsigned long load, runnable, util, compute_capacity;
	unsigned int nr_running, weight;
	enum numa_type node_type;
	int idle_cpu;
};

struct task_numa_env {
	struct task *p;
	int src_cpu, src_nid, dst_cpu, dst_nid;
	struct numa_stats src_stats, dst_stats;
	int imbalance_pct, dist, imb_numa_nr;
	struct task *best_task;
	long best_imp;
	int best_cpu;
};

static void numa_stop_event(struct eq_event *ev, void *ctx);

static inline struct numa_state *ST(const struct sched *s) { return s->numa_state; }
static inline simtime_t now_of(const struct sched *s) { return eq_now(s->eq); }
static inline int cpu_node(const struct sched *s, int cpu) { return s->topo->cpu[cpu].node; }
static inline int task_node(const struct sched *s, const struct task *p) { return cpu_node(s, p->cpu); }
static inline int node_distance(const struct sched *s, int a, int b) { return topo_distance(s->topo, a, b); }
static inline size_t fidx(const struct numa_state *st, int stat, int nid, int priv)
{
	return (size_t)(2 * (stat * st->nn + nid) + priv);
}

/* The task's numa_faults[] block, NULL if it never got one. */
static double *TF(const struct numa_state *st, const struct task *p)
{
	return p->id < st->cap_tasks ? &st->tf[(size_t)p->id * st->stride] : NULL;
}

static inline struct numa_proc *proc_of(const struct numa_state *st, const struct task *p)
{
	return p->process >= 0 && p->process < st->nr_procs ? &st->procs[p->process] : NULL;
}

/* deref_task_numa_group(): the process's group, if @p joined it. */
static inline struct numa_proc *group_of(const struct numa_state *st, const struct task *p)
{
	return p->numa.in_group ? proc_of(st, p) : NULL;
}

static inline bool task_alive(const struct task *t)
{
	return t->numa.started && t->state != TASK_DEAD && t->state != TASK_NEW;
}

/* ------------------------------------------------------------ setup */

static void ensure_task(struct numa_state *st, int id)
{
	int cap = st->cap_tasks;
	double *tf;

	if (id < cap)
		return;
	while (cap <= id)
		cap = cap ? 2 * cap : 64;
	tf = xrealloc(st->tf, (size_t)cap * st->stride * sizeof(*tf));
	memset(tf + (size_t)st->cap_tasks * st->stride, 0,
	       (size_t)(cap - st->cap_tasks) * st->stride * sizeof(*tf));
	st->tf = tf;
	st->cap_tasks = cap;
}

static void ensure_proc(struct numa_state *st, int proc)
{
	struct numa_proc *np;
	int n = st->nr_procs;

	if (proc < n)
		return;
	np = xrealloc(st->procs, (size_t)(proc + 1) * sizeof(*np));
	st->procs = np;
	for (; n <= proc; n++) {
		struct numa_proc *pr = &np[n];
		memset(pr, 0, sizeof(*pr));
		pr->gf = xcalloc((size_t)st->nn * 4, sizeof(double));
		pr->sh_prev = xcalloc((size_t)st->nn, sizeof(double));
		pr->sh_cur = xcalloc((size_t)st->nn, sizeof(double));
		st->nr_procs = n + 1;
	}
}

/* init_numa_topology_type() over the nodes with CPUs. */
static void init_topology_type(struct numa_state *st, const struct topo *t)
{
	int n = st->max_dist;

	st->topo_type = NUMA_DIRECT;
	if (st->nr_dists <= 2)
		return;
	for (int a = 0; a < t->nr_nodes; a++) {
		if (!t->node[a].nr_cpus)
			continue;
		for (int b = 0; b < t->nr_nodes; b++) {
			if (!t->node[b].nr_cpus || topo_distance(t, a, b) < n)
				continue;
			/* two nodes furthest apart: is there one between them? */
			for (int c = 0; c < t->nr_nodes; c++) {
				if (t->node[c].nr_cpus && topo_distance(t, a, c) < n && topo_distance(t, b, c) < n) {
					st->topo_type = NUMA_GLUELESS_MESH;
					return;
				}
			}
			st->topo_type = NUMA_BACKPLANE;
			return;
		}
	}
}

void numa_init(struct sched *s)
{
	const struct topo *t = s->topo;
	struct numa_state *st = xcalloc(1, sizeof(*st));

	st->s = s;
	st->nn = t->nr_nodes;
	st->stride = (size_t)NR_NUMA_STATS * (size_t)st->nn * 2;
	st->scan_bytes = 256 * MIB;
	st->rate = 1280 * MIB / (double)NSEC_PER_SEC;
	st->tokens = xcalloc((size_t)st->nn, sizeof(*st->tokens));
	st->tok_last = xcalloc((size_t)st->nn, sizeof(*st->tok_last));
	st->frac = xcalloc((size_t)st->nn, sizeof(*st->frac));
	st->sh_frac = xcalloc((size_t)st->nn, sizeof(*st->sh_frac));
	st->cand = xcalloc((size_t)st->nn, sizeof(*st->cand));
	st->nodes = xcalloc((size_t)st->nn * 3, sizeof(*st->nodes));
	st->max_group = st->nodes + st->nn;
	st->this_group = st->nodes + 2 * st->nn;
	st->migrate_on = xcalloc((size_t)s->nr_cpus, sizeof(*st->migrate_on));
	st->stop = xcalloc((size_t)s->nr_cpus, sizeof(*st->stop));
	for (int n = 0; n < st->nn; n++)
		st->tokens[n] = st->rate * (double)RATE_BURST_NS;
	for (int c = 0; c < s->nr_cpus; c++)
		eq_event_init(&st->stop[c].ev, numa_stop_event);
	/* sched_init_numa(): the distinct distances between nodes with CPUs */
	for (int a = 0; a < t->nr_nodes; a++)
		for (int b = 0; b < t->nr_nodes; b++) {
			int d = topo_distance(t, a, b), i;
			if (!t->node[a].nr_cpus || !t->node[b].nr_cpus)
				continue;
			for (i = 0; i < st->nr_dists && st->dists[i] != d; i++)
				;
			if (i == st->nr_dists && st->nr_dists < (int)ARRAY_SIZE(st->dists))
				st->dists[st->nr_dists++] = d;
			st->max_dist = MAX(st->max_dist, d);
		}
	init_topology_type(st, t);
	s->numa_state = st;
}

void numa_fini(struct sched *s)
{
	struct numa_state *st = ST(s);

	if (!st)
		return;
	for (int c = 0; st->stop && c < s->nr_cpus; c++)
		eq_cancel(s->eq, &st->stop[c].ev);
	for (int i = 0; i < st->nr_procs; i++) {
		free(st->procs[i].members);
		free(st->procs[i].gf);
		free(st->procs[i].sh_prev);
		free(st->procs[i].sh_cur);
	}
	free(st->procs);
	free(st->tf);
	free(st->tokens);
	free(st->tok_last);
	free(st->frac);
	free(st->sh_frac);
	free(st->cand);
	free(st->nodes);
	free(st->migrate_on);
	free(st->stop);
	free(st);
	s->numa_state = NULL;
}

void numa_set_rates(struct sched *s, double scan_mb, double migrate_mbps)
{
	struct numa_state *st = ST(s);

	if (!st)
		return;
	if (scan_mb > 0)
		st->scan_bytes = scan_mb * MIB;
	if (migrate_mbps > 0) {
		st->rate = migrate_mbps * MIB / (double)NSEC_PER_SEC;
		for (int n = 0; n < st->nn; n++)
			st->tokens[n] = MIN(st->tokens[n], st->rate * (double)RATE_BURST_NS);
	}
}

/* -------------------------------------------------- fault statistics */

static double task_faults(const struct numa_state *st, const struct task *p, int nid)
{
	const double *f = TF(st, p);

	if (!f || !p->numa.has_faults)
		return 0;
	return f[fidx(st, NUMA_MEM, nid, 0)] + f[fidx(st, NUMA_MEM, nid, 1)];
}

static double group_faults(const struct numa_state *st, const struct task *p, int nid)
{
	const struct numa_proc *g = group_of(st, p);

	if (!g)
		return 0;
	return g->gf[fidx(st, NUMA_MEM, nid, 0)] + g->gf[fidx(st, NUMA_MEM, nid, 1)];
}

static double group_faults_cpu(const struct numa_state *st, const struct numa_proc *g, int nid)
{
	return g->gf[fidx(st, NUMA_CPU, nid, 0)] + g->gf[fidx(st, NUMA_CPU, nid, 1)];
}

static double group_faults_type(const struct numa_state *st, const struct numa_proc *g, int priv)
{
	double f = 0;

	for (int n = 0; n < st->nn; n++)
		f += g->gf[fidx(st, NUMA_MEM, n, priv)];
	return f;
}

static bool numa_is_active_node(const struct numa_state *st, int nid, const struct numa_proc *g)
{
	return group_faults_cpu(st, g, nid) * ACTIVE_NODE_FRACTION > g->g_max_faults_cpu;
}

/* score_nearby_nodes(): faults on nodes near @nid (mesh / backplane topologies). */
static double score_nearby_nodes(const struct numa_state *st, const struct task *p, int nid, int maxdist,
				 bool task)
{
	double score = 0;

	if (st->topo_type == NUMA_DIRECT)
		return 0;
	for (int node = 0; node < st->nn; node++) {
		int dist = node_distance(st->s, nid, node);
		double faults;

		if (dist >= st->max_dist || node == nid)
			continue;
		if (st->topo_type == NUMA_BACKPLANE && dist >= maxdist)
			continue;
		faults = task ? task_faults(st, p, node) : group_faults(st, p, node);
		if (st->topo_type == NUMA_GLUELESS_MESH) {
			faults *= st->max_dist - dist;
			faults /= st->max_dist - LOCAL_DISTANCE;
		}
		score += faults;
	}
	return score;
}

/* task_weight(): per-mille of @p's faults on (and near) @nid. */
static long task_weight(const struct numa_state *st, const struct task *p, int nid, int dist)
{
	double total = p->numa.total_faults;

	if (!p->numa.has_faults || total <= 0)
		return 0;
	return (long)(1000 * (task_faults(st, p, nid) + score_nearby_nodes(st, p, nid, dist, true)) / total);
}

static long group_weight(const struct numa_state *st, const struct task *p, int nid, int dist)
{
	const struct numa_proc *g = group_of(st, p);

	if (!g || g->g_total <= 0)
		return 0;
	return (long)(1000 * (group_faults(st, p, nid) + score_nearby_nodes(st, p, nid, dist, false)) /
		      g->g_total);
}

/* ---------------------------------------------------- scan period */

static double proc_rss(const struct numa_state *st, struct numa_proc *pr, int proc)
{
	const struct sched *s = st->s;
	uint64_t gen = perf_footprint_gen(s->perf);
	double rss = perf_shared_bytes(s->perf, proc);
	int i = 0;

	/* the same additions in the same order as from scratch */
	if (pr->rss_n > 0 && pr->rss_n <= pr->nr_members && pr->rss_exits == s->nr_exits &&
	    pr->rss_fp_gen == gen) {
		rss = pr->rss_sum;
		i = pr->rss_n;
	}
	for (; i < pr->nr_members; i++) {
		const struct task *t = s->tasks[pr->members[i]];
		if (t->state != TASK_DEAD)
			rss += perf_private_bytes(s->perf, t->id);
	}
	pr->rss_sum = rss;
	pr->rss_n = pr->nr_members;
	pr->rss_exits = s->nr_exits;
	pr->rss_fp_gen = gen;
	return rss;
}

/* task_nr_scan_windows(): RSS in scan-size windows, at least 1. */
static int64_t task_nr_scan_windows(const struct numa_state *st, const struct task *p)
{
	const struct numa_proc *pr = proc_of(st, p);
	double rss = pr ? pr->rss : 0;

	if (rss <= 0)
		return 1;
	return MAX((int64_t)ceil(rss / st->scan_bytes - 1e-9), 1);
}

static simtime_t task_scan_min(const struct numa_state *st, const struct task *p)
{
	const struct sched *s = st->s;
	int64_t scan_mb = MAX((int64_t)(st->scan_bytes / MIB), 1), windows = 1;
	simtime_t floor_ns, scan;

	if (scan_mb < MAX_SCAN_WINDOW)
		windows = MAX_SCAN_WINDOW / scan_mb;
	floor_ns = NSEC_PER_SEC / windows;
	scan = s->p.numa_scan_period_min_ns / task_nr_scan_windows(st, p);
	return MAX(floor_ns, scan);
}

/* Group scaling of task_scan_start/max: x tasks x (shared + 1) / (all + 1). */
static simtime_t group_scaled(const struct numa_state *st, const struct task *p, simtime_t period)
{
	const struct numa_proc *g = group_of(st, p);
	double shared, priv;

	if (!g)
		return period;
	shared = group_faults_type(st, g, 0);
	priv = group_faults_type(st, g, 1);
	return (simtime_t)((double)period * g->group_tasks * (shared + 1) / (priv + shared + 1));
}

static simtime_t task_scan_start(const struct numa_state *st, const struct task *p)
{
	simtime_t smin = task_scan_min(st, p);
	return MAX(smin, group_scaled(st, p, smin));
}

static simtime_t task_scan_max(const struct numa_state *st, const struct task *p)
{
	simtime_t smin = task_scan_min(st, p);
	simtime_t smax = st->s->p.numa_scan_period_max_ns / task_nr_scan_windows(st, p);

	smax = MAX(smax, group_scaled(st, p, smax));
	return MAX(smin, smax);
}

static void set_scan_period(struct task *p, simtime_t period)
{
	p->numa.scan_period = period;
	p->numa.next_scan = p->numa.node_stamp + period;
}

/*
 * update_task_scan_period(), with the kernel's ratios: ps_ratio is the
 * share of *private* faults although its comment speaks of locality, so
 * mostly-private tasks slow their scanning whether their pages are local
 * or not (they also get them moved fastest); shorter periods come from
 * shared faults on remote nodes.
 */
static void update_task_scan_period(struct numa_state *st, struct task *p, double shared, double priv)
{
	struct numa_task *nt = &p->numa;
	double remote = nt->locality[0], local = nt->locality[1];
	simtime_t period_slot, diff;
	int lr_ratio, ps_ratio;

	/* no faults (counted in whole pages), or failed migrations: scan slower */
	if (local + shared < 1 || nt->locality[2] >= 1) {
		struct numa_proc *pr = proc_of(st, p);
		set_scan_period(p, MIN(nt->scan_period_max, nt->scan_period * 2));
		if (pr)
			pr->next_scan = now_of(st->s) + nt->scan_period;
		return;
	}
	period_slot = (nt->scan_period + NUMA_PERIOD_SLOTS - 1) / NUMA_PERIOD_SLOTS;
	lr_ratio = local + remote > 0 ? (int)(local * NUMA_PERIOD_SLOTS / (local + remote)) : 0;
	ps_ratio = priv + shared > 0 ? (int)(priv * NUMA_PERIOD_SLOTS / (priv + shared)) : 0;
	if (ps_ratio >= NUMA_PERIOD_THRESHOLD) {
		int slot = ps_ratio - NUMA_PERIOD_THRESHOLD;
		diff = MAX(slot, 1) * period_slot;
	} else if (lr_ratio >= NUMA_PERIOD_THRESHOLD) {
		int slot = lr_ratio - NUMA_PERIOD_THRESHOLD;
		diff = MAX(slot, 1) * period_slot;
	} else {
		int ratio = MAX(lr_ratio, ps_ratio);
		diff = -(simtime_t)(NUMA_PERIOD_THRESHOLD - ratio) * period_slot;
	}
	set_scan_period(p, CLAMP(nt->scan_period + diff, task_scan_min(st, p), task_scan_max(st, p)));
	memset(nt->locality, 0, sizeof(nt->locality));
}

/* update_scan_period(): a task that changed node outside NUMA balancing. */
static void update_scan_period(struct numa_state *st, struct task *p, int src_nid, int dst_nid)
{
	struct numa_task *nt = &p->numa;

	if (!nt->has_faults || src_nid == dst_nid)
		return;
	if (nt->scan_seq) {
		/* moving to the preferred node, or not leaving it: keep the period */
		if (dst_nid == nt->preferred_nid || (nt->preferred_nid != -1 && src_nid != nt->preferred_nid))
			return;
	}
	set_scan_period(p, task_scan_start(st, p));
}

/* ------------------------------------------------------- placement */

static void sched_setnuma(struct task *p, int nid)
{
	if (p->numa.preferred_nid == nid)
		return;
	p->numa.preferred_nid = nid;
	p->numa.nr_pref_changes++;
}

/* numa_get_avg_runtime(): runtime since the last placement and the period it spans. */
static double numa_get_avg_runtime(struct task *p, double *period)
{
	struct numa_task *nt = &p->numa;
	simtime_t now = p->exec_start;
	int64_t runtime = p->sum_exec_runtime;
	double delta;

	if (nt->last_placement) {
		delta = (double)(runtime - nt->last_sum_exec);
		*period = (double)MAX(now - nt->last_placement, 0);
	} else {
		delta = (double)p->avg.load_sum;
		*period = LOAD_AVG_MAX;
	}
	nt->last_sum_exec = runtime;
	nt->last_placement = now;
	return delta;
}

static void numa_group_count_active_nodes(const struct numa_state *st, struct numa_proc *g)
{
	double max_faults = 0;
	int active = 0;

	for (int n = 0; n < st->nn; n++)
		max_faults = MAX(max_faults, group_faults_cpu(st, g, n));
	for (int n = 0; n < st->nn; n++)
		if (group_faults_cpu(st, g, n) * ACTIVE_NODE_FRACTION > max_faults)
			active++;
	g->g_max_faults_cpu = max_faults;
	g->g_active_nodes = active;
}

static bool find_numa_distance(const struct numa_state *st, int dist)
{
	if (dist == LOCAL_DISTANCE)
		return true;
	for (int i = 0; i < st->nr_dists; i++)
		if (st->dists[i] == dist)
			return true;
	return false;
}

/* preferred_group_nid(): group placement on mesh / backplane topologies. */
static int preferred_group_nid(const struct numa_state *st, const struct task *p, int nid)
{
	bool *nodes = st->nodes, *max_group = st->max_group, *this_group = st->this_group;
	size_t sz = (size_t)st->nn * sizeof(bool);

	if (st->topo_type == NUMA_DIRECT)
		return nid;
	if (st->topo_type == NUMA_GLUELESS_MESH) {
		long max_score = 0;
		int max_node = nid;

		for (int node = 0; node < st->nn; node++) {
			long score = group_weight(st, p, node, st->max_dist);
			if (score > max_score) {
				max_score = score;
				max_node = node;
			}
		}
		return max_node;
	}
	/* NUMA_BACKPLANE: descend into the group of nodes with the most faults */
	for (int n = 0; n < st->nn; n++)
		nodes[n] = true;
	for (int dist = st->max_dist; dist > LOCAL_DISTANCE; dist--) {
		double max_faults = 0;

		if (!find_numa_distance(st, dist))
			continue;
		memset(max_group, 0, sz);
		for (int a = 0; a < st->nn; a++) {
			double faults = 0;

			if (!nodes[a])
				continue;
			memset(this_group, 0, sz);
			for (int b = 0; b < st->nn; b++) {
				if (nodes[b] && node_distance(st->s, a, b) < dist) {
					faults += group_faults(st, p, b);
					this_group[b] = true;
					nodes[b] = false;
				}
			}
			if (faults > max_faults) {
				max_faults = faults;
				memcpy(max_group, this_group, sz);
				nid = a;
			}
		}
		if (max_faults <= 0)
			break;
		memcpy(nodes, max_group, sz);
	}
	return nid;
}

/* numa_nearest_node(nid, N_CPU): tasks cannot go to a memory-only node. */
static int nearest_cpu_node(const struct sched *s, int nid)
{
	int best = -1, bd = 0;

	if (s->topo->node[nid].nr_cpus)
		return nid;
	for (int n = 0; n < s->topo->nr_nodes; n++) {
		int d = node_distance(s, nid, n);
		if (s->topo->node[n].nr_cpus && (best < 0 || d < bd)) {
			best = n;
			bd = d;
		}
	}
	return best >= 0 ? best : nid;
}

/* task_numa_placement(): once per mm scan sequence. */
static void task_numa_placement(struct numa_state *st, struct task *p)
{
	struct numa_task *nt = &p->numa;
	struct numa_proc *pr = proc_of(st, p), *ng = group_of(st, p);
	double *f = TF(st, p), max_faults = 0, fault_types[2] = { 0, 0 }, total_faults, runtime, period;
	int max_nid = -1;

	if (!pr || !f || nt->scan_seq == pr->scan_seq)
		return;
	nt->scan_seq = pr->scan_seq;
	nt->scan_period_max = task_scan_max(st, p);
	total_faults = nt->locality[0] + nt->locality[1];
	runtime = numa_get_avg_runtime(p, &period);
	for (int nid = 0; nid < st->nn; nid++) {
		double faults = 0, gfaults = 0;

		for (int priv = 0; priv < 2; priv++) {
			size_t mem = fidx(st, NUMA_MEM, nid, priv), membuf = fidx(st, NUMA_MEMBUF, nid, priv);
			size_t cpu = fidx(st, NUMA_CPU, nid, priv), cpubuf = fidx(st, NUMA_CPUBUF, nid, priv);
			double diff, f_weight, f_diff;

			/* decay the window, add the faults since the last scan */
			diff = f[membuf] - f[mem] / 2;
			fault_types[priv] += f[membuf];
			f[membuf] = 0;
			/* CPU faults weighted by the share of time it ran */
			f_weight = runtime * 65536 / (period + 1);
			f_weight = f_weight * f[cpubuf] / (total_faults + 1);
			f_diff = f_weight - f[cpu] / 2;
			f[cpubuf] = 0;
			f[mem] += diff;
			f[cpu] += f_diff;
			faults += f[mem];
			nt->total_faults += diff;
			if (ng) {
				ng->gf[mem] += diff;
				ng->gf[cpu] += f_diff;
				ng->g_total += diff;
				gfaults += ng->gf[mem];
			}
		}
		if (!ng) {
			if (faults > max_faults) {
				max_faults = faults;
				max_nid = nid;
			}
		} else if (gfaults > max_faults) {
			max_faults = gfaults;
			max_nid = nid;
		}
	}
	if (ng) {
		numa_group_count_active_nodes(st, ng);
		max_nid = preferred_group_nid(st, p, max_nid);
	}
	if (max_faults > 0 && max_nid >= 0)
		sched_setnuma(p, nearest_cpu_node(st->s, max_nid));
	update_task_scan_period(st, p, fault_types[0], fault_types[1]);
}

/* ------------------------------------------------- task migration */

static bool is_core_idle(const struct sched *s, int cpu)
{
	for_each_cpu(c, &s->topo->core_cpus[s->topo->cpu[cpu].core])
		if (c != cpu && !idle_cpu(&s->rq[c]))
			return false;
	return true;
}

static int numa_idle_core(const struct sched *s, int idle_core, int cpu)
{
	if (!s->smt_active || idle_core >= 0 || !s->rq[cpu].llc_shared->has_idle_cores)
		return idle_core;
	return is_core_idle(s, cpu) ? cpu : idle_core;
}

static enum numa_type numa_classify(unsigned int imbalance_pct, const struct numa_stats *ns)
{
	if (ns->nr_running > ns->weight &&
	    (ns->compute_capacity * 100 < ns->util * imbalance_pct ||
	     ns->compute_capacity * imbalance_pct < ns->runnable * 100))
		return node_overloaded;
	if (ns->nr_running < ns->weight ||
	    (ns->compute_capacity * 100 > ns->util * imbalance_pct &&
	     ns->compute_capacity * imbalance_pct > ns->runnable * 100))
		return node_has_spare;
	return node_fully_busy;
}

static void update_numa_stats(struct numa_state *st, struct task_numa_env *env, struct numa_stats *ns,
			      int nid, bool find_idle)
{
	struct sched *s = st->s;
	int idle_core = -1;

	memset(ns, 0, sizeof(*ns));
	ns->idle_cpu = -1;
	for_each_cpu(cpu, &s->topo->node[nid].cpus) {
		struct rq *rq = &s->rq[cpu];

		if (cpu_offline(s, cpu))
			continue;
		update_rq_load(s, rq);
		ns->load += cpu_load(rq);
		ns->runnable += cpu_runnable(rq);
		ns->util += cpu_util(rq);
		ns->nr_running += (unsigned)rq->h_nr_runnable; /* v6.15 update_numa_stats() */
		ns->compute_capacity += SCHED_CAPACITY_SCALE;
		ns->weight++;
		if (find_idle && !rq->nr_running && idle_cpu(rq)) {
			if (st->migrate_on[cpu] || !cpumask_test(&env->p->affinity, cpu))
				continue;
			if (ns->idle_cpu == -1)
				ns->idle_cpu = cpu;
			idle_core = numa_idle_core(s, idle_core, cpu);
		}
	}
	ns->node_type = numa_classify((unsigned)env->imbalance_pct, ns);
	if (idle_core >= 0)
		ns->idle_cpu = idle_core;
}

static bool numa_cpu_ok(const struct sched *s, const struct task *p, int cpu)
{
	return cpumask_test(&p->affinity, cpu) && !cpu_offline(s, cpu);
}

static void task_numa_assign(struct numa_state *st, struct task_numa_env *env, struct task *p, long imp)
{
	const struct sched *s = st->s;

	/* the CPU is the target of another NUMA move: find another idle one */
	if (env->best_cpu != env->dst_cpu && st->migrate_on[env->dst_cpu]) {
		const struct cpumask *m = &s->topo->node[env->dst_nid].cpus;
		int start = env->dst_cpu, found = -1;

		for (int pass = 0; pass < 2 && found < 0; pass++) {
			for (int cpu = cpumask_next(m, pass ? 0 : start); cpu >= 0; cpu = cpumask_next(m, cpu + 1)) {
				if (pass && cpu >= start)
					break;
				if (cpu == env->best_cpu || !idle_cpu(&s->rq[cpu]) || !numa_cpu_ok(s, env->p, cpu) ||
				    st->migrate_on[cpu])
					continue;
				found = cpu;
				break;
			}
		}
		if (found < 0)
			return;
		env->dst_cpu = found;
	}
	st->migrate_on[env->dst_cpu] = true;
	if (env->best_cpu != -1 && env->best_cpu != env->dst_cpu)
		st->migrate_on[env->best_cpu] = false;
	env->best_task = p;
	env->best_imp = imp;
	env->best_cpu = env->dst_cpu;
}

static bool load_too_imbalanced(long src_load, long dst_load, const struct task_numa_env *env)
{
	long src_capacity = (long)env->src_stats.compute_capacity;
	long dst_capacity = (long)env->dst_stats.compute_capacity;
	long imb = labs(dst_load * src_capacity - src_load * dst_capacity);
	long old_imb = labs((long)env->dst_stats.load * src_capacity - (long)env->src_stats.load * dst_capacity);

	return imb > old_imb;
}

static long task_h_load(const struct task *p) { return (long)p->avg.load_avg; }

/* task_numa_compare(): move @p to env->dst_cpu, or swap it with the task
 * running there?  Returns true to stop the search. */
static bool task_numa_compare(struct numa_state *st, struct task_numa_env *env, long taskimp,
			      long groupimp, bool maymove)
{
	struct sched *s = st->s;
	const struct numa_proc *p_ng = group_of(st, env->p), *cur_ng;
	struct rq *dst_rq = &s->rq[env->dst_cpu];
	long imp = p_ng ? groupimp : taskimp, moveimp = imp, load, src_load, dst_load;
	struct task *cur;
	bool stopsearch = false;
	int dist = env->dist;

	if (st->migrate_on[env->dst_cpu])
		return false;
	cur = dst_rq->curr;
	if (cur == env->p)
		return true;
	if (!cur) {
		if (maymove && moveimp >= env->best_imp)
			goto assign;
		return false;
	}
	/* a swap candidate must be able to run on the source CPU */
	if (!numa_cpu_ok(s, cur, env->src_cpu))
		return false;
	/* skip it if it is not moving to its preferred node and the best task is */
	if (env->best_task && env->best_task->numa.preferred_nid == env->src_nid &&
	    cur->numa.preferred_nid != env->src_nid)
		return false;
	cur_ng = group_of(st, cur);
	if (cur_ng == p_ng) {
		/* no swapping within a group (or between ungrouped tasks) while the
		 * node has spare capacity: it only punishes one to help the other */
		if (env->dst_stats.node_type == node_has_spare)
			return false;
		imp = taskimp + task_weight(st, cur, env->src_nid, dist) - task_weight(st, cur, env->dst_nid, dist);
		if (cur_ng)
			imp -= imp / 16;
	} else {
		if (cur_ng && p_ng)
			imp += group_weight(st, cur, env->src_nid, dist) - group_weight(st, cur, env->dst_nid, dist);
		else
			imp += task_weight(st, cur, env->src_nid, dist) - task_weight(st, cur, env->dst_nid, dist);
	}
	/* discourage picking a task already on its preferred node, encourage
	 * one that moves to it */
	if (cur->numa.preferred_nid == env->dst_nid)
		imp -= imp / 16;
	if (cur->numa.preferred_nid == env->src_nid)
		imp += imp / 8;
	if (maymove && moveimp > imp && moveimp > env->best_imp) {
		imp = moveimp;
		cur = NULL;
		goto assign;
	}
	if (env->best_task && cur->numa.preferred_nid == env->src_nid &&
	    env->best_task->numa.preferred_nid != env->src_nid)
		goto assign;
	/* below SMALLIMP a swap is ping-pong */
	if (imp < SMALLIMP || imp <= env->best_imp + SMALLIMP / 2)
		return false;
	load = task_h_load(env->p) - task_h_load(cur);
	if (!load)
		goto assign;
	dst_load = (long)env->dst_stats.load + load;
	src_load = (long)env->src_stats.load - load;
	if (load_too_imbalanced(src_load, dst_load, env))
		return false;
assign:
	if (!cur) {
		int cpu = env->dst_stats.idle_cpu;

		if (cpu < 0)
			cpu = env->dst_cpu;
		if (!idle_cpu(&s->rq[cpu]) && env->best_cpu >= 0 && idle_cpu(&s->rq[env->best_cpu]))
			cpu = env->best_cpu;
		env->dst_cpu = cpu;
	}
	task_numa_assign(st, env, cur, imp);
	if (maymove && !cur && env->best_cpu >= 0 && idle_cpu(&s->rq[env->best_cpu]))
		stopsearch = true;
	if (!maymove && env->best_task && env->best_task->numa.preferred_nid == env->src_nid)
		stopsearch = true;
	return stopsearch;
}

static void task_numa_find_cpu(struct numa_state *st, struct task_numa_env *env, long taskimp, long groupimp)
{
	struct sched *s = st->s;
	bool maymove = false;

	if (env->dst_stats.node_type == node_has_spare) {
		/* would the move create an imbalance the load balancer undoes? */
		int src_running = (int)env->src_stats.nr_running - 1;
		int dst_running = (int)env->dst_stats.nr_running + 1;
		long imbalance = MAX(0, dst_running - src_running);

		imbalance = adjust_numa_imbalance(imbalance, dst_running, env->imb_numa_nr);
		if (!imbalance) {
			maymove = true;
			if (env->dst_stats.idle_cpu >= 0) {
				env->dst_cpu = env->dst_stats.idle_cpu;
				task_numa_assign(st, env, NULL, 0);
				return;
			}
		}
	} else {
		long load = task_h_load(env->p);
		long dst_load = (long)env->dst_stats.load + load;
		long src_load = (long)env->src_stats.load - load;
		maymove = !load_too_imbalanced(src_load, dst_load, env);
	}
	for_each_cpu(cpu, &s->topo->node[env->dst_nid].cpus) {
		if (!numa_cpu_ok(s, env->p, cpu))
			continue;
		env->dst_cpu = cpu;
		if (task_numa_compare(st, env, taskimp, groupimp, maymove))
			break;
	}
}

/* The lowest SD_NUMA domain of @cpu (sd_numa). */
static const struct sd_tmpl *sd_numa(const struct sched *s, int cpu)
{
	for (struct sched_domain *sd = s->rq[cpu].sd; sd; sd = sd->parent)
		if (sd->t->flags & SD_NUMA)
			return sd->t;
	return NULL;
}

/* migrate_task_to() / migrate_swap(): queue the stopper on @p's CPU. */
static bool queue_stopper(struct numa_state *st, struct task *p, struct task *swap, int dst)
{
	struct numa_stop *stop = &st->stop[p->cpu];

	if (stop->p || !numa_cpu_ok(st->s, p, dst) || (swap && !numa_cpu_ok(st->s, swap, p->cpu)))
		return false;
	stop->p = p;
	stop->swap = swap;
	stop->dst = dst;
	eq_schedule(st->s->eq, &stop->ev, now_of(st->s));
	return true;
}

static void task_numa_migrate(struct numa_state *st, struct task *p)
{
	struct sched *s = st->s;
	struct task_numa_env env = {
		.p = p, .src_cpu = p->cpu, .src_nid = task_node(s, p),
		.imbalance_pct = 112, .best_task = NULL, .best_imp = 0, .best_cpu = -1,
	};
	const struct sd_tmpl *sd = sd_numa(s, env.src_cpu);
	const struct numa_proc *ng = group_of(st, p);
	long taskweight, groupweight, taskimp, groupimp;
	int dist;

	/* no NUMA domain (e.g. cpusets): stay, and stop trying */
	if (!sd) {
		sched_setnuma(p, env.src_nid);
		return;
	}
	env.imbalance_pct = 100 + (sd->imbalance_pct - 100) / 2;
	env.imb_numa_nr = sd->imb_numa_nr;
	env.dst_nid = p->numa.preferred_nid;
	dist = env.dist = node_distance(s, env.src_nid, env.dst_nid);
	taskweight = task_weight(st, p, env.src_nid, dist);
	groupweight = group_weight(st, p, env.src_nid, dist);
	update_numa_stats(st, &env, &env.src_stats, env.src_nid, false);
	taskimp = task_weight(st, p, env.dst_nid, dist) - taskweight;
	groupimp = group_weight(st, p, env.dst_nid, dist) - groupweight;
	update_numa_stats(st, &env, &env.dst_stats, env.dst_nid, true);
	task_numa_find_cpu(st, &env, taskimp, groupimp);

	/* no room on the preferred node, or a group spread over several
	 * nodes: look at the others */
	if (env.best_cpu == -1 || (ng && ng->g_active_nodes > 1)) {
		for (int nid = 0; nid < st->nn; nid++) {
			if (nid == env.src_nid || nid == p->numa.preferred_nid)
				continue;
			dist = node_distance(s, env.src_nid, env.dst_nid); /* sic (fair.c) */
			if (st->topo_type == NUMA_BACKPLANE && dist != env.dist) {
				taskweight = task_weight(st, p, env.src_nid, dist);
				groupweight = group_weight(st, p, env.src_nid, dist);
			}
			taskimp = task_weight(st, p, nid, dist) - taskweight;
			groupimp = group_weight(st, p, nid, dist) - groupweight;
			if (taskimp < 0 && groupimp < 0)
				continue;
			env.dist = dist;
			env.dst_nid = nid;
			update_numa_stats(st, &env, &env.dst_stats, env.dst_nid, true);
			task_numa_find_cpu(st, &env, taskimp, groupimp);
		}
	}
	/* a group settles where its task goes */
	if (ng) {
		int nid = env.best_cpu == -1 ? env.src_nid : cpu_node(s, env.best_cpu);
		if (nid != p->numa.preferred_nid)
			sched_setnuma(p, nid);
	}
	if (env.best_cpu == -1) {
		p->numa.nr_migrate_failed++;
		return;
	}
	if (!queue_stopper(st, p, env.best_task, env.best_cpu)) {
		st->migrate_on[env.best_cpu] = false;
		p->numa.nr_migrate_failed++;
	}
}

/* numa_migrate_preferred(): try to run on the preferred node; retry later. */
static void numa_migrate_preferred(struct numa_state *st, struct task *p)
{
	struct sched *s = st->s;
	struct numa_task *nt = &p->numa;
	simtime_t interval = NSEC_PER_SEC;
	int64_t jiffies_period;

	if (nt->preferred_nid == -1 || !nt->has_faults)
		return;
	/* min(HZ, msecs_to_jiffies(numa_scan_period) / 16) jiffies */
	jiffies_period = (nt->scan_period + s->tick_ns - 1) / s->tick_ns;
	interval = MIN(interval, jiffies_period / 16 * s->tick_ns);
	nt->migrate_retry = now_of(s) + interval;
	if (task_node(s, p) == nt->preferred_nid)
		return;
	/* a policy that owns task placement leaves NUMA balancing the pages */
	if (HOOK_OR(s, numa_task_veto, false, p))
		return;
	task_numa_migrate(st, p);
}

/* migration_cpu_stop() / migrate_swap_stop(). */
static void numa_stop_event(struct eq_event *ev, void *ctx)
{
	struct numa_stop *stop = container_of(ev, struct numa_stop, ev);
	struct sched *s = ctx;
	struct numa_state *st = ST(s);
	struct task *p = stop->p, *q = stop->swap;
	int dst = stop->dst, src = (int)(stop - st->stop);

	stop->p = stop->swap = NULL;
	st->migrate_on[dst] = false;
	if (!p)
		return;
	/* stale: it blocked, or something else moved it */
	if (p->state != TASK_RUNNABLE || p->cpu != src || !numa_cpu_ok(s, p, dst) ||
	    (q && (q->cpu != dst || !numa_cpu_ok(s, q, src)))) {
		p->numa.nr_migrate_failed++;
		return;
	}
	if (q && q->state != TASK_RUNNABLE)
		q = NULL; /* asleep: the kernel only retargets its wakeup (wake_cpu) */
	if (s->rq[src].curr == p)
		sched_put_curr(s, &s->rq[src]);
	if (q && s->rq[dst].curr == q)
		sched_put_curr(s, &s->rq[dst]);
	sched_move_task(s, p, dst, MIGR_NUMA);
	p->numa.nr_task_migrations++;
	if (q) {
		sched_move_task(s, q, src, MIGR_NUMA);
		q->numa.nr_task_migrations++;
		p->numa.nr_swaps++;
		q->numa.nr_swaps++;
		st->nr_swaps++;
	}
	sched_resched(s, src);
	sched_resched(s, dst);
}

/* ------------------------------------------------ hinting faults */

static void group_join(struct numa_state *st, struct task *p)
{
	struct numa_proc *pr = proc_of(st, p);
	const double *f = TF(st, p);

	if (!pr || !f || p->numa.in_group)
		return;
	for (int n = 0; n < st->nn; n++)
		for (int priv = 0; priv < 2; priv++) {
			pr->gf[fidx(st, NUMA_MEM, n, priv)] += f[fidx(st, NUMA_MEM, n, priv)];
			pr->gf[fidx(st, NUMA_CPU, n, priv)] += f[fidx(st, NUMA_CPU, n, priv)];
		}
	pr->g_total += p->numa.total_faults;
	pr->group_tasks++;
	p->numa.in_group = true;
}

/* task_numa_free(): an exited thread leaves the group. */
static void group_leave(struct numa_state *st, struct task *p)
{
	struct numa_proc *pr = proc_of(st, p);
	const double *f = TF(st, p);

	if (!pr || !f || !p->numa.in_group)
		return;
	for (int n = 0; n < st->nn; n++)
		for (int priv = 0; priv < 2; priv++) {
			pr->gf[fidx(st, NUMA_MEM, n, priv)] -= f[fidx(st, NUMA_MEM, n, priv)];
			pr->gf[fidx(st, NUMA_CPU, n, priv)] -= f[fidx(st, NUMA_CPU, n, priv)];
		}
	pr->g_total -= p->numa.total_faults;
	pr->group_tasks--;
	p->numa.in_group = false;
}

/* Page-migration token bucket of destination node @nid: take up to @want bytes. */
static double rate_take(struct numa_state *st, int nid, double want)
{
	simtime_t now = now_of(st->s);
	double cap = st->rate * (double)RATE_BURST_NS;

	st->tokens[nid] = MIN(cap, st->tokens[nid] + st->rate * (double)(now - st->tok_last[nid]));
	st->tok_last[nid] = now;
	return MIN(want, MAX(st->tokens[nid], 0));
}

/*
 * The node @p faulted from when it last touched the pages it faults on now:
 * one pass over the process ago, i.e. task_nr_scan_windows() scans back
 * (the page's last_cpupid); -1 if it has no such fault yet.
 */
static int last_fault_node(const struct numa_state *st, const struct task *p)
{
	const struct numa_task *nt = &p->numa;
	int n = (int)ARRAY_SIZE(nt->fault_nodes);
	int back = (int)MIN(task_nr_scan_windows(st, p), (int64_t)n);

	if (nt->nr_fault_nodes < back)
		return -1;
	return nt->fault_nodes[(nt->fault_pos - back + n) % n];
}

/*
 * should_numa_migrate_memory(): the fraction of @p's faulting pages on
 * @src_nid that may move to the faulting CPU's node @dst_nid.
 */
static double should_numa_migrate_memory(const struct numa_state *st, const struct task *p,
					 const struct numa_proc *pr, int priv, int src_nid, int dst_nid)
{
	const struct numa_task *nt = &p->numa;
	const struct numa_proc *ng = group_of(st, p);
	bool early = nt->preferred_nid == -1 || nt->scan_seq <= 4;
	double pass;

	/* first faults, or private ones early in the task's life, move at once */
	if (early && (priv || !pr->sh_seen))
		return 1;
	/* two-stage filter: the page's previous fault came from this node */
	if (priv) {
		int last = last_fault_node(st, p);
		return last == -1 || last == dst_nid ? 1 : 0;
	}
	pass = !pr->sh_seen ? 1 : pr->sh_prev_tot > 0 ? pr->sh_prev[dst_nid] / pr->sh_prev_tot : 0;
	if (pass <= 0 || !ng)
		return pass;
	/* the destination runs much more of the group than the source */
	if (group_faults_cpu(st, ng, dst_nid) > group_faults_cpu(st, ng, src_nid) * ACTIVE_NODE_FRACTION)
		return pass;
	/* memory follows CPU use and memory faults, with 3/4 hysteresis */
	return group_faults_cpu(st, ng, dst_nid) * group_faults(st, p, src_nid) * 3 >
			       group_faults_cpu(st, ng, src_nid) * group_faults(st, p, dst_nid) * 4
		       ? pass
		       : 0;
}

/* task_numa_fault()'s accounting of @pages faults on memory node @mem_nid. */
static void record_fault(struct numa_state *st, struct task *p, int mem_nid, int cpu_nid, int priv,
			 int local, double pages)
{
	double *f = TF(st, p);
	const struct numa_proc *ng = group_of(st, p);

	if (pages <= 0)
		return;
	/* a shared fault within the nodes the group runs on counts as local */
	if (!priv && !local && ng && ng->g_active_nodes > 1 && numa_is_active_node(st, cpu_nid, ng) &&
	    numa_is_active_node(st, mem_nid, ng))
		local = 1;
	f[fidx(st, NUMA_MEMBUF, mem_nid, priv)] += pages;
	f[fidx(st, NUMA_CPUBUF, cpu_nid, priv)] += pages;
	p->numa.locality[local] += pages;
	p->numa.faults += pages;
}

/*
 * Faults of @p on @bytes of one page set (private or the process's shared
 * set) distributed as @frac over the nodes, from a CPU on @cpu_nid: the
 * misplaced pages that pass should_numa_migrate_memory() and the rate limit
 * move (do_numa_page -> migrate_misplaced_folio), then every fault is counted.
 */
static void fault_set(struct numa_state *st, struct task *p, bool shared, double bytes, int priv, int cpu_nid)
{
	struct sched *s = st->s;
	const struct numa_proc *pr = proc_of(st, p);
	double *frac = shared ? st->sh_frac : st->frac, *cand_n = st->cand;
	double cand = 0, sum = 0, allowed, moved = 0, failed;

	if (!shared)
		perf_mem_dist(s->perf, p->id, false, frac);
	for (int n = 0; n < st->nn; n++)
		sum += frac[n];
	if (sum <= 0)
		return;
	for (int n = 0; n < st->nn; n++) {
		cand_n[n] = 0;
		if (n != cpu_nid && frac[n] > 0)
			cand_n[n] = bytes * frac[n] / sum *
				    should_numa_migrate_memory(st, p, pr, priv, n, cpu_nid);
		cand += cand_n[n];
	}
	allowed = cand > 0 ? rate_take(st, cpu_nid, cand) : 0;
	if (allowed > 0)
		moved = perf_mem_migrate(s->perf, p->id, shared, cpu_nid, allowed);
	st->tokens[cpu_nid] -= moved;
	failed = cand - allowed;
	p->numa.pages_migrated_bytes += moved;
	p->numa.migrate_fail_bytes += failed;
	for (int n = 0; n < st->nn; n++) {
		double b = bytes * frac[n] / sum, share, m, fl;

		if (n == cpu_nid) {
			record_fault(st, p, n, cpu_nid, priv, 1, b / PAGE_BYTES);
			continue;
		}
		share = cand > 0 ? cand_n[n] / cand : 0;
		m = moved * share;
		fl = failed * share;
		/* migrated: counted on the new node, but the fault was remote */
		record_fault(st, p, cpu_nid, cpu_nid, priv, 0, m / PAGE_BYTES);
		record_fault(st, p, n, cpu_nid, priv, 0, MAX(b - m, 0) / PAGE_BYTES);
		p->numa.locality[2] += fl / PAGE_BYTES;
	}
}

/* The faults @p takes on the part @f of its process's address space a scan
 * unmapped; @n_active threads of the process share the shared set. */
static void numa_fault_batch(struct numa_state *st, struct task *p, double f, int n_active)
{
	struct sched *s = st->s;
	struct numa_task *nt = &p->numa;
	struct numa_proc *pr = proc_of(st, p);
	int nid = task_node(s, p);
	double bytes;

	/* task_numa_fault(): periodically re-place and retry the preferred
	 * node; a thread not running now takes its first fault when it runs */
	if (s->rq[p->cpu].curr != p)
		nt->fault_pending = true;
	else if (now_of(s) > nt->migrate_retry) {
		task_numa_placement(st, p);
		numa_migrate_preferred(st, p);
	}
	nt->has_faults = true;
	bytes = perf_private_bytes(s->perf, p->id) * f;
	if (bytes > 0)
		fault_set(st, p, false, bytes, 1, nid);
	bytes = perf_shared_bytes(s->perf, p->process) * f / MAX(n_active, 1);
	if (bytes > 0) {
		int priv = n_active > 1 ? 0 : 1;

		if (!priv)
			group_join(st, p);
		fault_set(st, p, true, bytes, priv, nid);
		if (!priv)
			pr->sh_cur[nid] += bytes / PAGE_BYTES;
	}
	nt->fault_nodes[nt->fault_pos] = (int8_t)nid;
	nt->fault_pos = (nt->fault_pos + 1) % (int)ARRAY_SIZE(nt->fault_nodes);
	nt->nr_fault_nodes = MIN(nt->nr_fault_nodes + 1, (int)ARRAY_SIZE(nt->fault_nodes));
	nt->fault_runtime = p->sum_exec_runtime;
}

/* task_numa_work(): scan the next numa_scan_mb of @p's process. */
static void task_numa_work(struct numa_state *st, struct task *p)
{
	struct sched *s = st->s;
	struct numa_proc *pr = proc_of(st, p);
	simtime_t now = now_of(s);
	double total, chunk, f;
	int n_active = 0, k = 0;

	if (!pr)
		return;
	if (!pr->next_scan)
		pr->next_scan = now + s->p.numa_scan_delay_ns;
	if (now < pr->next_scan)
		return;
	pr->next_scan = now + p->numa.scan_period;
	/* let another thread of the mm win the next time around */
	p->numa.node_stamp += 2 * s->tick_ns;
	p->numa.next_scan = p->numa.node_stamp + p->numa.scan_period;
	p->numa.nr_scans++;

	/* exited threads leave the mm (and its group) */
	for (int i = 0; i < pr->nr_members; i++) {
		struct task *t = s->tasks[pr->members[i]];
		if (t->state == TASK_DEAD)
			group_leave(st, t);
		else
			pr->members[k++] = pr->members[i];
	}
	pr->nr_members = k;
	pr->rss_n = 0; /* the members moved */

	total = pr->rss = proc_rss(st, pr, p->process);
	if (total <= 0) {
		pr->scan_offset = 0;
		pr->scan_seq++;
		return;
	}
	chunk = MIN(st->scan_bytes, MAX(total - pr->scan_offset, 0));
	f = chunk / total;
	pr->scan_offset += chunk;
	if (pr->scan_offset >= total * (1 - 1e-9)) { /* reset_ptenuma_scan() */
		pr->scan_offset = 0;
		pr->scan_seq++;
	}
	if (f <= 0)
		return;
	for (int i = 0; i < pr->nr_members; i++) {
		struct task *t = s->tasks[pr->members[i]];
		if (task_alive(t) && (t == p || t->sum_exec_runtime > t->numa.fault_runtime))
			n_active++;
	}
	memset(pr->sh_cur, 0, (size_t)st->nn * sizeof(*pr->sh_cur));
	/* the threads fault on disjoint parts of the shared set: all see
	 * where its pages were when the scan unmapped them */
	perf_mem_dist(s->perf, p->id, true, st->sh_frac);
	for (int i = 0; i < pr->nr_members; i++) {
		struct task *t = s->tasks[pr->members[i]];
		if (task_alive(t) && (t == p || t->sum_exec_runtime > t->numa.fault_runtime))
			numa_fault_batch(st, t, f, n_active);
	}
	/* the shared pages' last_cpupid for the next pass */
	pr->sh_prev_tot = 0;
	for (int n = 0; n < st->nn; n++) {
		pr->sh_prev[n] = pr->sh_cur[n];
		pr->sh_prev_tot += pr->sh_cur[n];
	}
	if (pr->sh_prev_tot > 0)
		pr->sh_seen = true;
}

/* ------------------------------------------------------ entry points */

void numa_task_init(struct sched *s, struct task *p)
{
	struct numa_state *st = ST(s);
	struct numa_task *nt = &p->numa;
	struct numa_proc *pr;
	double *f;
	bool alive = false;

	if (!st || p->process < 0)
		return;
	ensure_task(st, p->id);
	ensure_proc(st, p->process);
	pr = &st->procs[p->process];
	for (int i = 0; i < pr->nr_members && !alive; i++) {
		const struct task *t = s->tasks[pr->members[i]];
		alive = t != p && t->state != TASK_DEAD;
	}
	if (pr->nr_members == pr->cap_members) {
		int cap = pr->cap_members ? 2 * pr->cap_members : 8;
		int *m = xrealloc(pr->members, (size_t)cap * sizeof(*m));
		pr->members = m;
		pr->cap_members = cap;
	}
	pr->members[pr->nr_members++] = p->id;
	pr->rss = proc_rss(st, pr, p->process);
	f = TF(st, p);
	memset(f, 0, st->stride * sizeof(*f));
	memset(nt, 0, sizeof(*nt));
	nt->preferred_nid = -1;
	nt->last_node = -1;
	nt->started = true;
	nt->fault_runtime = p->sum_exec_runtime;
	nt->scan_period_max = task_scan_max(st, p);
	if (!alive) { /* a new mm: first scan after the delay */
		pr->next_scan = now_of(s) + s->p.numa_scan_delay_ns;
		pr->scan_seq = 0;
		pr->scan_offset = 0;
	} else { /* a further thread: stagger its scans (init_numa_balancing) */
		nt->node_stamp = 2 * s->tick_ns;
	}
	nt->scan_seq = pr->scan_seq;
	set_scan_period(p, s->p.numa_scan_delay_ns);
}

void numa_task_tick(struct sched *s, struct rq *rq, struct task *curr)
{
	struct numa_state *st = ST(s);
	struct numa_task *nt = &curr->numa;
	struct numa_proc *pr;
	int node = cpu_node(s, rq->cpu);

	if (!st || !nt->started || !(pr = proc_of(st, curr)))
		return;
	/* migrate_task_rq_fair() -> update_scan_period(), seen at the next tick */
	if (nt->last_node >= 0 && nt->last_node != node)
		update_scan_period(st, curr, nt->last_node, node);
	nt->last_node = node;

	/* task_tick_numa(): runtime-driven */
	if (curr->sum_exec_runtime > nt->node_stamp + nt->scan_period) {
		simtime_t period = nt->scan_period;

		if (!nt->node_stamp)
			set_scan_period(curr, task_scan_start(st, curr));
		nt->node_stamp += period;
		nt->next_scan = nt->node_stamp + nt->scan_period;
		if (now_of(s) >= pr->next_scan)
			task_numa_work(st, curr);
	}
	/* the first hinting fault of a thread that was not running at the scan */
	if (nt->fault_pending) {
		nt->fault_pending = false;
		if (now_of(s) > nt->migrate_retry) {
			task_numa_placement(st, curr);
			numa_migrate_preferred(st, curr);
		}
	}
}

/* Tasks on @rq whose preferred node is the rq's node (rq->nr_preferred_running). */
static int nr_preferred_running(const struct sched *s, const struct rq *rq)
{
	int nid = cpu_node(s, rq->cpu), n = 0;

	for (const struct task *t = rq->tasks_head; t; t = t->lb_next)
		n += t->numa.preferred_nid == nid;
	return n;
}

int numa_migrate_degrades_locality(struct sched *s, struct task *p, int src_cpu, int dst_cpu, bool idle)
{
	const struct numa_state *st = ST(s);
	int src_nid, dst_nid, dist;
	long src_weight, dst_weight;

	if (!s->numa_on || !st || !p->numa.has_faults)
		return -1;
	src_nid = cpu_node(s, src_cpu);
	dst_nid = cpu_node(s, dst_cpu);
	if (src_nid == dst_nid)
		return -1;
	/* migrating away from the preferred node is always bad */
	if (src_nid == p->numa.preferred_nid)
		return s->rq[src_cpu].nr_running > nr_preferred_running(s, &s->rq[src_cpu]) ? 1 : -1;
	/* encourage migration to the preferred node */
	if (dst_nid == p->numa.preferred_nid)
		return 0;
	/* leaving a core idle is often worse than degrading locality */
	if (idle)
		return -1;
	dist = node_distance(s, src_nid, dst_nid);
	if (group_of(st, p)) {
		src_weight = group_weight(st, p, src_nid, dist);
		dst_weight = group_weight(st, p, dst_nid, dist);
	} else {
		src_weight = task_weight(st, p, src_nid, dist);
		dst_weight = task_weight(st, p, dst_nid, dist);
	}
	return dst_weight < src_weight;
}

void numa_totals(const struct sched *s, struct numa_totals *out)
{
	const struct numa_state *st = ST(s);

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < s->nr_tasks; i++) {
		const struct numa_task *nt = &s->tasks[i]->numa;
		out->scans += nt->nr_scans;
		out->task_migrations += nt->nr_task_migrations;
		out->migrate_failed += nt->nr_migrate_failed;
		out->pref_changes += nt->nr_pref_changes;
		out->faults += nt->faults;
		out->pages_migrated_bytes += nt->pages_migrated_bytes;
		out->migrate_fail_bytes += nt->migrate_fail_bytes;
	}
	out->swaps = st ? st->nr_swaps : 0;
}

double numa_task_faults(const struct sched *s, const struct task *p, int nid)
{
	const struct numa_state *st = ST(s);
	return st && nid >= 0 && nid < st->nn ? task_faults(st, p, nid) : 0;
}

void numa_test_set_faults(struct sched *s, struct task *p, int nid, double priv, double shared,
			  int preferred_nid)
{
	struct numa_state *st = ST(s);
	double *f;

	if (!st || nid < 0 || nid >= st->nn)
		return;
	ensure_task(st, p->id);
	f = TF(st, p);
	p->numa.total_faults += priv + shared - f[fidx(st, NUMA_MEM, nid, 1)] - f[fidx(st, NUMA_MEM, nid, 0)];
	f[fidx(st, NUMA_MEM, nid, 1)] = priv;
	f[fidx(st, NUMA_MEM, nid, 0)] = shared;
	p->numa.has_faults = true;
	p->numa.preferred_nid = preferred_nid;
}
