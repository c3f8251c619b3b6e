/*
 * cas_topo.c: Hygon's topology-aware aggregation as a cassim policy module,
 * on top of the built-in cas-merged (CAS-after-merge.md §1, §4.3, §4.4).
 *
 *   cas-topo-rfc     RFC v1 (Jianyong Wu, June 2026, IU-LKML 2606.3/02002):
 *                    the aggregation scope grows from the LLC to the node
 *                    and up the NUMA levels along sched-domain boundaries
 *                    as the process's utilisation grows, and shrinks back.
 *   cas-topo-rfc-v2  RFC v2 (August 2026, <20260827122816.756234-1-
 *                    wujianyong@hygon.cn>): the smallest prefix of a
 *                    distance-ordered list of LLCs (the affinity sequence)
 *                    whose capacity fits the utilisation estimate, a
 *                    node-then-LLC preference, the affinity-gain score,
 *                    can_migrate_node(), the prefer_sibling bypass.
 *
 * Both wrap cas-merged's hooks (found with policy_find() when the module is
 * loaded): everything cas-merged does still happens (occupancy, gates, the
 * preferred LLC, its llc_balance groups and filter); this module adds the
 * extent -- a per-process set of LLCs -- and changes the decisions where
 * the extent applies:
 *   - group_stats: a group holding a process's tasks outside its extent is
 *     tagged group_llc_balance toward a dst LLC inside it that has room
 *     (binary in v1, the affinity-gain score in v2, 12/23);
 *   - busiest_queue: the rq with most such tasks, when cas-merged has none;
 *   - can_migrate: into the extent: allowed; inside it: free placement
 *     while dst has room (v2 20-22/23); out of it: only once the extent is
 *     saturated (ordered saturation); v2 adds can_migrate_node() (11/23);
 *   - llc_force: also without prefer_sibling (v2 14/23);
 *   - numa_task_veto: NUMA balancing moves pages only (v1 7/8, v2 17/23).
 * A process is eligible when cas-merged gave it a preferred LLC (its gates
 * passed).  The module sees the scheduler through <cassim/policy.h>'s
 * accessors (sched/api.h) and cas-merged through its run state
 * (policies/cas_api.h: its preferred CPU, cas_run_fits(),
 * cas_run_can_migrate_llc()); cas-merged's tunables are its table's,
 * copied in front of this module's.  Every detail the public record leaves open is a tunable
 * (topo_*), marked [U] in docs/policies.md.
 *
 * Build: see the Makefile here (pkg-config cassim); use:
 *	cassim --policy-module ./cas_topo.so run -p cas-topo-rfc-v2 ...
 */
#include <stdlib.h>
#include <string.h>

#include <cassim/policy.h>

#include "topo_rules.h"

/* ------------------------------------------------------------ tunables */

enum { EXT_NONE, EXT_DOMAIN, EXT_PREFIX };
enum { SCORE_BINARY, SCORE_GAIN };

struct topo_params {
	int64_t extent;       /* EXT_*: v1 sched domains, v2 LLC prefix */
	int64_t fit_pct;      /* capacity fit test, % [U] */
	bool ewma;            /* asymmetric EWMA (v2 20/23) of the utilisation */
	bool two_level;       /* node, then LLC preference (v2 07/23) */
	int64_t score;        /* SCORE_*: v2 12/23 */
	bool node_check;      /* can_migrate_node() (v2 11/23) */
	bool force_nosibling; /* group_llc_balance bypasses prefer_sibling (v2 14/23) */
	bool pages_only;      /* NUMA balancing migrates pages only (v1 7/8) */
};

/* The policy's config struct: cas-merged's (its params_size bytes, laid
 * out as its param table says), then this module's struct topo_params at
 * tp_off (set when the module is loaded).  topo_defs[]' offsets are into
 * struct topo_params; the registered tables add tp_off. */
static size_t tp_off;

#define TOFF(f) offsetof(struct topo_params, f)

/* One table of this module's tunables; the two revisions differ in the
 * defaults (set at registration). */
enum { TP_EXTENT, TP_FIT, TP_EWMA, TP_TWO_LEVEL, TP_SCORE, TP_NODE, TP_FORCE, TP_PAGES, TP_NR };
static const struct param_def topo_defs[TP_NR] = {
	[TP_EXTENT] = { "topo_extent", PARAM_INT, TOFF(extent), EXT_PREFIX, 0, 2, "",
			"aggregation extent: 0 one LLC (cas-merged), 1 the smallest sched domain that fits "
			"(RFC v1), 2 the smallest fitting prefix of the affinity sequence (RFC v2)" },
	[TP_FIT] = { "topo_fit_pct", PARAM_INT, TOFF(fit_pct), 50, 1, 1000, "%",
		     "[U] an extent fits when utilisation x 100 < summed capacity x this (llc_overaggr_pct's 50)" },
	[TP_EWMA] = { "topo_ewma", PARAM_BOOL, TOFF(ewma), 1, 0, 1, "",
		      "utilisation estimate: 1 asymmetric EWMA (1/2 up, 1/8 down, RFC v2 20/23), 0 the last sample" },
	[TP_TWO_LEVEL] = { "topo_two_level", PARAM_BOOL, TOFF(two_level), 1, 0, 1, "",
			   "extent anchor: 1 preferred node (2x hysteresis) then LLC in it (RFC v2 07/23), "
			   "0 cas-merged's preferred LLC" },
	[TP_SCORE] = { "topo_score", PARAM_INT, TOFF(score), SCORE_GAIN, 0, 1, "",
		       "group tagging: 0 any task outside its extent that dst would take in, "
		       "1 the affinity-gain score (RFC v2 12/23)" },
	[TP_NODE] = { "topo_node_check", PARAM_BOOL, TOFF(node_check), 1, 0, 1, "",
		      "[U] can_migrate_node(): can_migrate_llc() on node sums for cross-node moves (RFC v2 11/23)" },
	[TP_FORCE] = { "topo_force_nosibling", PARAM_BOOL, TOFF(force_nosibling), 1, 0, 1, "",
		       "group_llc_balance forces a balance without prefer_sibling too (RFC v2 14/23)" },
	[TP_PAGES] = { "topo_numa_pages_only", PARAM_BOOL, TOFF(pages_only), 1, 0, 1, "",
		       "NUMA balancing does not move an eligible process's tasks, only pages "
		       "(override_numa_balance, RFC v1 7/8; RFC v2 17-19/23)" },
};

/* ------------------------------------------------------------ run state */

struct tproc {
	int64_t util;          /* the estimate U (capacity units) */
	uint64_t next_j;       /* next update, jiffies */
	int pref_node, pref_llc, anchor; /* anchor: the LLC the extent grows from, -1 */
	int k;                 /* extent size in LLCs, 0: none */
	unsigned char *in;     /* [nr_llcs] LLC in the extent */
	int64_t *occ;          /* [nr_llcs] decayed runtime (two-level preference) */
	int64_t *node_occ;     /* [nr_nodes] */
	double *llc_ns;        /* [nr_llcs] runtime, for the report */
	uint64_t node_switches, updates;
	double k_sum;          /* sum of k over updates (mean extent) */
};

struct tstate {
	const struct sched_hooks *in; /* cas-merged's hooks */
	void *inner;                  /* and its run state */
	struct topo_params p;
	int nr_llcs, nr_nodes;
	uint64_t period_j;
	int *llc_node, *llc_rank, *ddist, *seq;
	int64_t *cap;                 /* [nr_llcs] capacity */
	struct topo_llcs tl;
	struct tproc *proc;
	int nr_proc;
	int alb_src;                  /* the stopper being run (active_pick -> lb_moved) */
	uint64_t tagged, pulls, outside_denied, node_denied, numa_vetoes;
};

static inline int llc_of(const struct sched *s, int cpu) { return cassim_cpu_llc(s, cpu); }

static struct tproc *tproc(struct tstate *st, int process)
{
	if (process < 0)
		return NULL;
	if (process >= st->nr_proc) {
		int n = process + 8;
		struct tproc *np = realloc(st->proc, (size_t)n * sizeof(*np));

		if (!np)
			return NULL;
		for (int i = st->nr_proc; i < n; i++) {
			memset(&np[i], 0, sizeof(np[i]));
			np[i].pref_node = np[i].pref_llc = np[i].anchor = -1;
			np[i].in = calloc((size_t)st->nr_llcs, 1);
			np[i].occ = calloc((size_t)st->nr_llcs, sizeof(int64_t));
			np[i].node_occ = calloc((size_t)st->nr_nodes, sizeof(int64_t));
			np[i].llc_ns = calloc((size_t)st->nr_llcs, sizeof(double));
		}
		st->proc = np;
		st->nr_proc = n;
	}
	return st->proc[process].in && st->proc[process].occ && st->proc[process].node_occ &&
			       st->proc[process].llc_ns ? &st->proc[process] : NULL;
}

/* The process's extent, if it has one. */
static struct tproc *extent_of(struct tstate *st, const struct task *t)
{
	int process = cassim_task_process(t);
	struct tproc *pr = process >= 0 && process < st->nr_proc ? &st->proc[process] : NULL;

	return pr && pr->k > 0 ? pr : NULL;
}

/* Utilisation and capacity of LLC @l (capacity units). */
static void llc_load(const struct sched *s, const struct tstate *st, int l, unsigned long *util,
		     unsigned long *cap)
{
	unsigned long u = 0;

	cassim_for_each_llc_cpu(c, s, l)
		u += cassim_cpu_util(s, c);
	*util = u;
	*cap = (unsigned long)st->cap[l];
}

static bool llc_has_room(const struct sched *s, const struct tstate *st, int l)
{
	unsigned long u, c;

	llc_load(s, st, l, &u, &c);
	return cas_run_fits(st->inner, u, c);
}

/* The extent is saturated: its summed utilisation no longer fits. */
static bool extent_saturated(const struct sched *s, const struct tstate *st, const struct tproc *pr)
{
	int64_t u = 0, c = 0;

	for (int l = 0; l < st->nr_llcs; l++)
		if (pr->in[l]) {
			unsigned long lu, lc;
			llc_load(s, st, l, &lu, &lc);
			u += (int64_t)lu;
			c += (int64_t)lc;
		}
	return !topo_fits(u, c, st->p.fit_pct);
}

/* ------------------------------------------------------------ the extent */

/* RFC v2 07/23: preferred node from the group's decayed runtime with 2x
 * hysteresis, then the preferred LLC inside it (the merged 2x rule inside
 * the node [U]). */
static void two_level_pref(struct tstate *st, struct tproc *pr)
{
	int best = -1, bl = -1;

	memset(pr->node_occ, 0, (size_t)st->nr_nodes * sizeof(int64_t));
	for (int l = 0; l < st->nr_llcs; l++)
		pr->node_occ[st->llc_node[l]] += pr->occ[l];
	for (int n = 0; n < st->nr_nodes; n++)
		if (pr->node_occ[n] > 0 && (best < 0 || pr->node_occ[n] > pr->node_occ[best]))
			best = n;
	if (best < 0)
		return;
	if (pr->pref_node < 0 || pr->node_occ[best] > 2 * pr->node_occ[pr->pref_node]) {
		if (pr->pref_node >= 0 && pr->pref_node != best)
			pr->node_switches++;
		pr->pref_node = best;
	}
	for (int l = 0; l < st->nr_llcs; l++)
		if (st->llc_node[l] == pr->pref_node && (bl < 0 || pr->occ[l] > pr->occ[bl]))
			bl = l;
	if (pr->pref_llc < 0 || st->llc_node[pr->pref_llc] != pr->pref_node ||
	    pr->occ[bl] > 2 * pr->occ[pr->pref_llc])
		pr->pref_llc = bl;
}

/* RFC v1: the LLCs of the smallest sched domain above @anchor's LLC
 * domain whose capacity fits U (the LLC itself first). */
static void domain_extent(const struct sched *s, struct tstate *st, struct tproc *pr)
{
	const struct sd_tmpl *sd = cassim_llc_domain(s, cassim_llc_first_cpu(s, pr->anchor));
	const struct sd_tmpl *doms[32];
	int64_t caps[32];
	int n = 0, k;

	for (; sd && n < 32; sd = cassim_domain_parent(sd)) {
		caps[n] = 0;
		for (int l = 0; l < st->nr_llcs; l++)
			if (cassim_domain_has_cpu(sd, cassim_llc_first_cpu(s, l)))
				caps[n] += st->cap[l];
		doms[n++] = sd;
	}
	if (!n)
		return;
	k = topo_tier(n, caps, pr->util, st->p.fit_pct);
	pr->k = 0;
	for (int l = 0; l < st->nr_llcs; l++) {
		pr->in[l] = cassim_domain_has_cpu(doms[k], cassim_llc_first_cpu(s, l));
		pr->k += pr->in[l];
	}
}

/* RFC v2 20-22/23: the smallest fitting prefix of the anchor's affinity
 * sequence. */
static void prefix_extent(struct tstate *st, struct tproc *pr)
{
	topo_affinity_seq(&st->tl, pr->anchor, st->seq);
	pr->k = topo_prefix_len(st->seq, st->nr_llcs, st->cap, pr->util, st->p.fit_pct);
	memset(pr->in, 0, (size_t)st->nr_llcs);
	for (int i = 0; i < pr->k; i++)
		pr->in[st->seq[i]] = 1;
}

/* Once per epoch per process (at a tick of one of its threads): sample
 * its utilisation (the sum of its tasks' util_avg [U]), update the
 * estimate, the anchor and the extent. */
static void update_extent(struct sched *s, struct tstate *st, struct tproc *pr, int process)
{
	int64_t sample = 0;
	int pref_cpu = cas_debug_proc_pref_cpu(st->inner, process);

	for (int i = 0; i < cassim_nr_tasks(s); i++) {
		const struct task *q = cassim_task(s, i);
		if (q && cassim_task_process(q) == process && cassim_task_alive(q))
			sample += (int64_t)cassim_task_util(q);
	}
	pr->util = st->p.ewma ? topo_ewma(pr->util, sample) : sample;
	if (st->p.two_level)
		two_level_pref(st, pr);
	for (int l = 0; l < st->nr_llcs; l++)
		pr->occ[l] >>= 1; /* half-life one epoch, as CAS's occupancy */
	/* eligible only while cas-merged's gates give it a preferred LLC */
	pr->anchor = pref_cpu < 0 ? -1 : st->p.two_level ? pr->pref_llc : llc_of(s, pref_cpu);
	if (pr->anchor < 0 || st->p.extent == EXT_NONE) {
		pr->k = 0;
		memset(pr->in, 0, (size_t)st->nr_llcs);
		return;
	}
	if (st->p.extent == EXT_DOMAIN)
		domain_extent(s, st, pr);
	else
		prefix_extent(st, pr);
	pr->updates++;
	pr->k_sum += pr->k;
	cassim_trace_instant(s, cassim_llc_first_cpu(s, pr->anchor), NULL, "topo_extent",
			     TRACE_NUM("process", process), TRACE_NUM("util", (double)pr->util),
			     TRACE_NUM("anchor_llc", pr->anchor), TRACE_NUM("llcs", pr->k));
}

/* ------------------------------------------------------------ hooks */

static int topo_init(struct sched *s, const void *data, const void *params, void **state)
{
	const struct policy *parent = data;
	struct tstate *st = calloc(1, sizeof(*st));
	int nn = cassim_nr_nodes(s), nl = cassim_nr_llcs(s);
	int *dist;

	if (!st || !params)
		return free(st), -1;
	st->in = parent->hooks;
	memcpy(&st->p, (const char *)params + tp_off, sizeof(st->p));
	st->nr_llcs = nl;
	st->nr_nodes = nn;
	st->alb_src = -1;
	st->llc_node = calloc((size_t)nl, sizeof(int));
	st->llc_rank = calloc((size_t)nl, sizeof(int));
	st->seq = calloc((size_t)nl, sizeof(int));
	st->cap = calloc((size_t)nl, sizeof(int64_t));
	st->ddist = calloc((size_t)nn * (size_t)nn, sizeof(int));
	dist = calloc((size_t)nn * (size_t)nn, sizeof(int));
	if (!st->llc_node || !st->llc_rank || !st->seq || !st->cap || !st->ddist || !dist)
		goto fail;
	for (int l = 0; l < nl; l++) {
		st->llc_node[l] = cassim_llc_node(s, l);
		st->cap[l] = (int64_t)cassim_llc_nr_cpus(s, l) * CASSIM_CAPACITY_SCALE;
		for (int m = 0; m < l; m++)
			st->llc_rank[l] += cassim_llc_node(s, m) == cassim_llc_node(s, l);
	}
	for (int a = 0; a < nn; a++)
		for (int b = 0; b < nn; b++)
			dist[a * nn + b] = cassim_node_distance(s, a, b);
	topo_dedup_dist(nn, dist, st->ddist);
	st->tl = (struct topo_llcs){ .nr = nl, .nr_nodes = nn, .node = st->llc_node, .rank = st->llc_rank,
				     .ddist = st->ddist };
	/* cas-merged's tunables are the front of the config struct */
	if (st->in->init(s, st->in->data, params, &st->inner))
		goto fail;
	st->period_j = cas_run_epoch_jiffies(st->inner);
	free(dist);
	*state = st;
	return 0;
fail:
	free(dist);
	free(st->llc_node), free(st->llc_rank), free(st->seq), free(st->cap), free(st->ddist), free(st);
	return -1;
}

static void topo_fini(struct sched *s, void *state)
{
	struct tstate *st = state;

	st->in->fini(s, st->inner);
	for (int i = 0; i < st->nr_proc; i++)
		free(st->proc[i].in), free(st->proc[i].occ), free(st->proc[i].node_occ), free(st->proc[i].llc_ns);
	free(st->proc), free(st->llc_node), free(st->llc_rank), free(st->seq), free(st->cap), free(st->ddist);
	free(st);
}

static void topo_account(struct sched *s, void *state, int cpu, struct task *t, int64_t delta)
{
	struct tstate *st = state;
	struct tproc *pr;

	st->in->account(s, st->inner, cpu, t, delta);
	pr = tproc(st, cassim_task_process(t));
	if (pr && delta > 0) {
		pr->occ[llc_of(s, cpu)] += delta;
		pr->llc_ns[llc_of(s, cpu)] += (double)delta;
	}
}

static void topo_tick(struct sched *s, void *state, int cpu, struct task *t)
{
	struct tstate *st = state;
	struct tproc *pr;
	uint64_t now = cassim_jiffies(s);

	st->in->tick(s, st->inner, cpu, t);
	pr = tproc(st, cassim_task_process(t));
	if (!pr || now < pr->next_j)
		return;
	pr->next_j = now + st->period_j;
	update_extent(s, st, pr, cassim_task_process(t));
}

/* Tasks on @cpu outside their process's extent that moving to @dst_llc
 * would bring in: their count (binary) or summed affinity gain. */
static unsigned int pull_score(struct sched *s, struct tstate *st, int cpu, int dst_llc)
{
	unsigned int score = 0;
	int src_llc = llc_of(s, cpu);

	for (const struct task *q = cassim_cpu_first_task(s, cpu); q; q = cassim_task_next_queued(q)) {
		const struct tproc *pr = extent_of(st, q);
		if (!pr || !pr->in[dst_llc] || pr->in[src_llc])
			continue;
		score += st->p.score == SCORE_GAIN ? (unsigned)topo_affinity_gain(&st->tl, pr->anchor, src_llc, dst_llc)
						   : 1u;
	}
	return score;
}

/* update_sg_lb_stats(): cas-merged's statistics and tagging, then the
 * extent's (RFC v2 12/23: the affinity-gain score replaces
 * nr_pref_dst_llc > 0 for the tasks outside their extent). */
static void topo_group_stats(struct sched *s, void *state, struct lb_env *env, const struct sd_group_tmpl *g,
			     struct sg_lb_stats *sgs, int local)
{
	struct tstate *st = state;
	int dst_llc = llc_of(s, cassim_lb_dst_cpu(env));
	unsigned int score = 0;

	st->in->group_stats(s, st->inner, env, g, sgs, local);
	if (st->p.extent == EXT_NONE || local || cassim_lb_shares_llc(env))
		return;
	/* the merged escape: after cache_nice_tries + 1 failures, no tagging */
	if (cassim_lb_nr_balance_failed(env) >= (unsigned)cassim_lb_cache_nice_tries(env) + 1)
		return;
	cassim_for_each_group_cpu(i, g)
		if (llc_of(s, i) != dst_llc)
			score += pull_score(s, st, i, dst_llc);
	if (!score || !llc_has_room(s, st, dst_llc))
		return;
	if (cassim_group_tag_llc_balance(sgs, score))
		st->tagged++;
}

static bool topo_llc_force(struct sched *s, void *state, struct lb_env *env, bool prefer_sibling)
{
	struct tstate *st = state;

	/* the bypass belongs to the extent: without one (topo_extent=0) this
	 * is exactly cas-merged */
	return st->in->llc_force(s, st->inner, env,
				 prefer_sibling || (st->p.force_nosibling && st->p.extent != EXT_NONE));
}

/* find_busiest_queue() for migrate_llc_task: cas-merged's choice (most
 * tasks preferring dst's LLC), else the rq that would bring most tasks
 * into their extent. */
static int topo_busiest_queue(struct sched *s, void *state, struct lb_env *env, const struct sd_group_tmpl *g)
{
	struct tstate *st = state;
	int r = st->in->busiest_queue(s, st->inner, env, g), best = -1;
	unsigned int most = 0;

	if (r >= 0 || cassim_lb_migration_type(env) != CASSIM_MIGRATE_LLC_TASK || st->p.extent == EXT_NONE)
		return r;
	cassim_for_each_group_cpu(i, g) {
		unsigned int n;
		if (!cassim_cpu_nr_running(s, i) || !cassim_lb_cpu_candidate(env, i))
			continue;
		n = pull_score(s, st, i, llc_of(s, cassim_lb_dst_cpu(env)));
		if (n > most)
			most = n, best = i;
	}
	return best >= 0 ? best : r;
}

/* can_migrate_node() [U]: can_migrate_llc() on the sums of the two nodes. */
static enum cas_mig node_check(struct sched *s, struct tstate *st, int src, int dst, const struct task *p,
			       bool to_pref)
{
	unsigned long su = 0, sc = 0, du = 0, dc = 0;
	int sn = cassim_cpu_node(s, src), dn = cassim_cpu_node(s, dst);

	for (int l = 0; l < st->nr_llcs; l++) {
		unsigned long u, c;
		if (st->llc_node[l] != sn && st->llc_node[l] != dn)
			continue;
		llc_load(s, st, l, &u, &c);
		if (st->llc_node[l] == sn)
			su += u, sc += c;
		else
			du += u, dc += c;
	}
	return cas_run_can_migrate_llc(st->inner, true, su, sc, true, du, dc, cassim_task_util(p), to_pref);
}

/* can_migrate_task(): the extent's rules first, cas-merged's filter for
 * everything they leave open. */
static enum hook_migrate topo_can_migrate(struct sched *s, void *state, struct lb_env *env, struct task *p)
{
	struct tstate *st = state;
	const struct tproc *pr = extent_of(st, p);
	int src = cassim_lb_src_cpu(env), dst = cassim_lb_dst_cpu(env), sl = llc_of(s, src), dl = llc_of(s, dst);
	int sn = cassim_cpu_node(s, src), dn = cassim_cpu_node(s, dst);

	if (!pr || sl == dl)
		return st->in->can_migrate(s, st->inner, env, p);
	if (st->p.node_check && sn != dn && pr->pref_node >= 0 && (sn == pr->pref_node || dn == pr->pref_node) &&
	    node_check(s, st, src, dst, p, dn == pr->pref_node) == CAS_MIG_FORBID) {
		st->node_denied++;
		return HOOK_MIGRATE_DENY;
	}
	if (pr->in[dl] && llc_has_room(s, st, dl))
		return HOOK_MIGRATE_DEFAULT; /* into the extent, or free placement inside it */
	if (pr->in[sl] && !pr->in[dl] && !extent_saturated(s, st, pr)) {
		st->outside_denied++; /* ordered saturation: not out while the extent has room */
		return HOOK_MIGRATE_DENY_PINNED;
	}
	return st->in->can_migrate(s, st->inner, env, p);
}

static bool topo_numa_task_veto(struct sched *s, void *state, struct task *t)
{
	struct tstate *st = state;

	(void)s;
	if (!st->p.pages_only || !extent_of(st, t))
		return false;
	st->numa_vetoes++;
	return true;
}

/* The hooks cas-merged's set has and this module passes through. */
#define PASS(name, ...) \
	do { struct tstate *st = state; st->in->name(s, st->inner, __VA_ARGS__); } while (0)
static void topo_return_to_user(struct sched *s, void *state, int cpu, struct task *t) { PASS(return_to_user, cpu, t); }
static void topo_enqueue(struct sched *s, void *state, int cpu, struct task *t) { PASS(enqueue, cpu, t); }
static void topo_dequeue(struct sched *s, void *state, int cpu, struct task *t) { PASS(dequeue, cpu, t); }
static void topo_fork(struct sched *s, void *state, struct task *t) { PASS(fork, t); }
static void topo_exit(struct sched *s, void *state, struct task *t) { PASS(exit, t); }
static void topo_cpu_online(struct sched *s, void *state, int cpu) { PASS(cpu_online, cpu); }
static void topo_cpu_offline(struct sched *s, void *state, int cpu) { PASS(cpu_offline, cpu); }
static void topo_active_start(struct sched *s, void *state, struct lb_env *env) { PASS(active_start, env); }
/* A balance (or, @env NULL, the stopper of alb_src) moved @t: count the
 * moves into its extent. */
static void topo_lb_moved(struct sched *s, void *state, struct lb_env *env, struct task *t)
{
	struct tstate *st = state;
	const struct tproc *pr = extent_of(st, t);
	int src = env ? cassim_lb_src_cpu(env) : st->alb_src;

	st->in->lb_moved(s, st->inner, env, t);
	if (pr && src >= 0 && !pr->in[llc_of(s, src)] && pr->in[llc_of(s, cassim_task_cpu(t))])
		st->pulls++;
}
#define CALL(name, ...) (((struct tstate *)state)->in->name(s, ((struct tstate *)state)->inner, __VA_ARGS__))
static int topo_wakeup_prev(struct sched *s, void *state, struct task *t, int prev, int this_cpu)
{
	return CALL(wakeup_prev, t, prev, this_cpu);
}
static bool topo_alb_veto(struct sched *s, void *state, struct lb_env *env) { return CALL(active_balance_veto, env); }
static int topo_detach_order(struct sched *s, void *state, struct lb_env *env, struct task *t)
{
	return CALL(detach_order, env, t);
}
static struct task *topo_active_pick(struct sched *s, void *state, int busiest, int target)
{
	((struct tstate *)state)->alb_src = busiest;
	return CALL(active_pick, busiest, target);
}

static void topo_report(struct sched *s, void *state, hook_emit_fn emit, void *ctx)
{
	struct tstate *st = state;

	double k_mean = 0;
	int with_extent = 0;

	st->in->report(s, st->inner, emit, ctx);
	for (int i = 0; i < st->nr_proc; i++)
		if (st->proc[i].updates) {
			k_mean += st->proc[i].k_sum / (double)st->proc[i].updates;
			with_extent++;
		}
	/* the mean extent (LLCs) of the processes that had one */
	emit(ctx, "total", "topo_extent_llcs_mean", with_extent ? k_mean / with_extent : 0);
	emit(ctx, "total", "topo_llc_balance_groups", (double)st->tagged);
	emit(ctx, "total", "topo_pulls_into_extent", (double)st->pulls);
	emit(ctx, "total", "topo_outside_denials", (double)st->outside_denied);
	emit(ctx, "total", "topo_node_denials", (double)st->node_denied);
	emit(ctx, "total", "topo_numa_task_vetoes", (double)st->numa_vetoes);
	for (int i = 0; i < st->nr_proc; i++) {
		const struct tproc *pr = &st->proc[i];
		const char *name = cassim_process_name(s, i);
		double run = 0, top_node = 0, *node_ns;
		int used = 0;

		if (!pr->updates || !name || !(node_ns = calloc((size_t)st->nr_nodes, sizeof(double))))
			continue;
		for (int l = 0; l < st->nr_llcs; l++) {
			run += pr->llc_ns[l];
			node_ns[st->llc_node[l]] += pr->llc_ns[l];
		}
		for (int n = 0; n < st->nr_nodes; n++)
			top_node = node_ns[n] > top_node ? node_ns[n] : top_node;
		for (int l = 0; l < st->nr_llcs; l++)
			used += run > 0 && pr->llc_ns[l] >= 0.05 * run; /* LLCs with >= 5 % of its runtime */
		free(node_ns);
		emit(ctx, name, "topo_util_estimate", (double)pr->util);
		emit(ctx, name, "topo_extent_llcs", (double)pr->k);
		emit(ctx, name, "topo_extent_llcs_mean", pr->k_sum / (double)pr->updates);
		emit(ctx, name, "topo_anchor_llc", (double)pr->anchor);
		emit(ctx, name, "topo_pref_node", (double)pr->pref_node);
		emit(ctx, name, "topo_node_switches", (double)pr->node_switches);
		emit(ctx, name, "topo_top_node_runtime_frac", run > 0 ? top_node / run : 0);
		emit(ctx, name, "topo_llcs_used", (double)used);
	}
}

static const struct sched_hooks topo_hooks_template = {
	.version = SCHED_HOOKS_VERSION,
	.init = topo_init,
	.fini = topo_fini,
	.account = topo_account,
	.tick = topo_tick,
	.return_to_user = topo_return_to_user,
	.enqueue = topo_enqueue,
	.dequeue = topo_dequeue,
	.wakeup_prev = topo_wakeup_prev,
	.group_stats = topo_group_stats,
	.busiest_queue = topo_busiest_queue,
	.can_migrate = topo_can_migrate,
	.active_balance_veto = topo_alb_veto,
	.fork = topo_fork,
	.exit = topo_exit,
	.cpu_online = topo_cpu_online,
	.cpu_offline = topo_cpu_offline,
	.llc_force = topo_llc_force,
	.detach_order = topo_detach_order,
	.active_start = topo_active_start,
	.active_pick = topo_active_pick,
	.lb_moved = topo_lb_moved,
	.numa_task_veto = topo_numa_task_veto,
	.report = topo_report,
};

/* ------------------------------------------------------------ registration */

/* One revision of the module: its defaults and what it changes relative
 * to its parent. */
struct topo_rev {
	const char *name, *parent, *description;
	struct topo_params def;
	const char *const (*changes)[3];
};

static const char *const v1_changes[][3] = {
	{ "topo_extent", "one LLC", "smallest fitting sched domain (LLC, node, NUMA levels)" },
	{ "topo_numa_pages_only", "off", "on (override_numa_balance)" },
	{ NULL, NULL, NULL },
};
static const char *const v2_changes[][3] = {
	{ "topo_extent", "smallest fitting sched domain", "smallest fitting prefix of the affinity sequence" },
	{ "topo_two_level", "off", "on" },
	{ "topo_score", "binary", "affinity-gain" },
	{ "topo_node_check", "off", "on (can_migrate_node)" },
	{ "topo_force_nosibling", "off", "on" },
	{ NULL, NULL, NULL },
};

static const struct topo_rev revs[] = {
	{ "cas-topo-rfc", "cas-merged",
	  "Hygon RFC v1 (2026-06, module): cas-merged plus aggregation over the smallest sched domain "
	  "(LLC, node, NUMA levels) that fits the process's utilisation; NUMA balancing moves pages only",
	  { .extent = EXT_DOMAIN, .fit_pct = 50, .ewma = true, .two_level = false, .score = SCORE_BINARY,
	    .node_check = false, .force_nosibling = false, .pages_only = true },
	  v1_changes },
	{ "cas-topo-rfc-v2", "cas-topo-rfc",
	  "Hygon RFC v2 (2026-08, module): cas-merged plus aggregation over the smallest prefix of a "
	  "distance-ordered LLC list that fits the utilisation EWMA; node-then-LLC preference, "
	  "affinity-gain score, can_migrate_node(), prefer_sibling bypass",
	  { .extent = EXT_PREFIX, .fit_pct = 50, .ewma = true, .two_level = true, .score = SCORE_GAIN,
	    .node_check = true, .force_nosibling = true, .pages_only = true },
	  v2_changes },
};
#define NR_REVS ((int)(sizeof(revs) / sizeof(revs[0])))
#define MAX_PARAMS 96

/* Built at load time from the parent's tables: static storage, as cassim
 * keeps pointers into it. */
static struct {
	struct param_def params[MAX_PARAMS];
	const char *feats[MAX_PARAMS][2];
	struct sched_hooks hooks;
	struct policy pol;
} regs[NR_REVS];

static double param_value(const struct param_def *d, const struct topo_params *p)
{
	const char *v = (const char *)p + d->offset;

	return d->type == PARAM_BOOL ? *(const bool *)v : (double)*(const int64_t *)v;
}

const int cassim_module_abi = CASSIM_MODULE_ABI;

int cassim_module_init(int (*register_policy)(const struct policy *))
{
	const struct policy *parent = policy_find("cas-merged");

	if (!parent || !parent->hooks || parent->nr_params + TP_NR > MAX_PARAMS)
		return -1;
	/* this module's tunables after cas-merged's, aligned */
	tp_off = (parent->params_size + _Alignof(struct topo_params) - 1) / _Alignof(struct topo_params) *
		 _Alignof(struct topo_params);
	for (int r = 0; r < NR_REVS; r++) {
		size_t np = 0, nf = 0;

		for (size_t i = 0; i < parent->nr_params; i++)
			regs[r].params[np++] = parent->params[i]; /* offsets into cas_cfg, at offset 0 */
		for (int i = 0; i < TP_NR; i++) {
			regs[r].params[np] = topo_defs[i];
			regs[r].params[np].offset += tp_off;
			regs[r].params[np++].def = param_value(&topo_defs[i], &revs[r].def);
		}
		for (size_t i = 0; parent->features && parent->features[i][0] && nf < MAX_PARAMS - 2; i++)
			regs[r].feats[nf][0] = parent->features[i][0], regs[r].feats[nf++][1] = parent->features[i][1];
		regs[r].feats[nf][0] = "aggregation_extent";
		regs[r].feats[nf++][1] = revs[r].def.extent == EXT_DOMAIN ? "sched-domain" : "llc-prefix";
		regs[r].hooks = topo_hooks_template;
		regs[r].hooks.data = parent;
		regs[r].pol = (struct policy){
			.name = revs[r].name, .description = revs[r].description, .hooks = &regs[r].hooks,
			.params = regs[r].params, .nr_params = np, .params_size = tp_off + sizeof(struct topo_params),
			.features = (const char *const (*)[2])regs[r].feats, .parent = revs[r].parent,
			.changes = revs[r].changes,
		};
		if (register_policy(&regs[r].pol))
			return -1;
	}
	return 0;
}
