/*
 * my_cas.c: an example cassim policy module, "my-llc-pack".
 *
 * A small illustration in the spirit of the cache-aware scheduling (CAS)
 * patches, not a copy of cassim's built-in cas-v* policies: it keeps a
 * process's threads on the LLC where the process ran most, using only the
 * public hooks and accessors of <cassim/policy.h> (the scheduler's
 * structures are opaque to a module: cassim_cpu_llc(), cassim_task_process()
 * ... read them).
 *
 *   - account hook (update_curr): charge each thread's runtime to its
 *     process and the LLC it ran on.  Every pack_epoch_ns the LLC with the
 *     most runtime in the epoch becomes the process's preferred LLC (the
 *     counters then restart), like account_mm_sched() / the mm's
 *     preferred LLC in CAS.
 *   - can_migrate hook (can_migrate_task): the load balancer may not move
 *     a thread out of its process's preferred LLC to another LLC, unless
 *     the domain has failed to balance more than cache_nice_tries +
 *     pack_extra_tries times (the stock escape hatch for cache-hot tasks),
 *     or the preferred LLC is already busier than pack_max_util_pct.
 *   - enqueue hook: count how many enqueues land in the preferred LLC.
 *   - report hook: preference switches, refused migrations, share of
 *     enqueues in the preferred LLC, reported in the run's results
 *     ("policy" in the JSON, "policy_*" rows in the CSV).
 *
 * Build (see README.md and the Makefile next to this file):
 *	cc -std=gnu11 -O2 -fPIC -shared $(pkg-config --cflags cassim) \
 *		-o my_cas.so my_cas.c
 * Use:
 *	cassim --policy-module ./my_cas.so run --policy my-llc-pack \
 *		--set pack_epoch_ns=5ms --topology spr-2s-1node-2llc --workload pingpong
 */
#include <stdlib.h>
#include <string.h>

#include <cassim/policy.h>

/* Tunables: --set NAME=VALUE, echoed under "policy_params" in the JSON. */
struct pack_params {
	simtime_t epoch_ns;   /* how often the preferred LLC is re-chosen */
	int64_t extra_tries;  /* balance failures tolerated beyond cache_nice_tries */
	int64_t max_util_pct; /* stop packing when the preferred LLC is this busy */
};

static const struct param_def pack_param_defs[] = {
	{ "pack_epoch_ns", PARAM_TIME, offsetof(struct pack_params, epoch_ns),
	  10 * NSEC_PER_MSEC, NSEC_PER_MSEC, 10 * NSEC_PER_SEC, "ns",
	  "my-llc-pack: epoch after which a process's preferred LLC is re-chosen" },
	{ "pack_extra_tries", PARAM_INT, offsetof(struct pack_params, extra_tries),
	  0, 0, 100, "",
	  "my-llc-pack: load-balance failures tolerated beyond the domain's cache_nice_tries" },
	{ "pack_max_util_pct", PARAM_INT, offsetof(struct pack_params, max_util_pct),
	  80, 0, 100, "%",
	  "my-llc-pack: do not hold tasks in a preferred LLC more utilised than this" },
};

/* Per process (the "mm"): runtime per LLC in the current epoch. */
struct pack_proc {
	int pref_llc;        /* -1: none yet */
	simtime_t epoch_start;
	int64_t *runtime;    /* [nr_llcs] ns this epoch */
	uint64_t switches;
};

struct pack_state {
	struct pack_params p;
	int nr_llcs;
	int nr_procs;
	struct pack_proc *procs;
	uint64_t switches, denied, enq, enq_pref;
};

/* The process slot of @process, growing the table on first sight. */
static struct pack_proc *pack_proc(struct pack_state *st, int process)
{
	if (process < 0)
		return NULL;
	if (process >= st->nr_procs) {
		int n = process + 8;
		struct pack_proc *np = realloc(st->procs, (size_t)n * sizeof(*np));

		if (!np)
			return NULL;
		for (int i = st->nr_procs; i < n; i++) {
			np[i].pref_llc = -1;
			np[i].epoch_start = 0;
			np[i].switches = 0;
			np[i].runtime = calloc((size_t)st->nr_llcs, sizeof(int64_t));
		}
		st->procs = np;
		st->nr_procs = n;
	}
	return st->procs[process].runtime ? &st->procs[process] : NULL;
}

static int pack_init(struct sched *s, const void *data, const void *params, void **state)
{
	struct pack_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -1;
	/* cassim passes the tunables struct filled from the defaults and --set */
	if (params)
		memcpy(&st->p, params, sizeof(st->p));
	st->nr_llcs = cassim_nr_llcs(s);
	*state = st;
	return 0;
}

static void pack_fini(struct sched *s, void *state)
{
	struct pack_state *st = state;

	for (int i = 0; i < st->nr_procs; i++)
		free(st->procs[i].runtime);
	free(st->procs);
	free(st);
}

/* update_curr(): charge @delta_ns to @t's process on @cpu's LLC; at the end
 * of the epoch, the LLC with the most runtime becomes the preferred one. */
static void pack_account(struct sched *s, void *state, int cpu, struct task *t, int64_t delta_ns)
{
	struct pack_state *st = state;
	struct pack_proc *pp = pack_proc(st, cassim_task_process(t));
	simtime_t now = cassim_now(s); /* a cassim function, resolved at load time */
	int best = -1;

	if (!pp || delta_ns <= 0)
		return;
	pp->runtime[cassim_cpu_llc(s, cpu)] += delta_ns;
	if (now - pp->epoch_start < st->p.epoch_ns)
		return;
	for (int l = 0; l < st->nr_llcs; l++)
		if (pp->runtime[l] > 0 && (best < 0 || pp->runtime[l] > pp->runtime[best]))
			best = l;
	if (best >= 0 && best != pp->pref_llc) {
		if (pp->pref_llc >= 0)
			pp->switches++, st->switches++;
		pp->pref_llc = best;
	}
	memset(pp->runtime, 0, (size_t)st->nr_llcs * sizeof(int64_t));
	pp->epoch_start = now;
}

static void pack_enqueue(struct sched *s, void *state, int cpu, struct task *t)
{
	struct pack_state *st = state;
	struct pack_proc *pp = pack_proc(st, cassim_task_process(t));

	if (!pp || pp->pref_llc < 0)
		return;
	st->enq++;
	if (cassim_cpu_llc(s, cpu) == pp->pref_llc)
		st->enq_pref++;
}

/* Average utilisation of LLC @llc in percent of its capacity. */
static long llc_util_pct(struct sched *s, int llc)
{
	unsigned long sum = 0;

	cassim_for_each_llc_cpu(cpu, s, llc)
		sum += cassim_cpu_util(s, cpu); /* cpu_util_cfs(), in CASSIM_CAPACITY_SCALE units */
	return (long)(100 * sum / ((unsigned long)cassim_llc_nr_cpus(s, llc) * CASSIM_CAPACITY_SCALE));
}

/* can_migrate_task(): keep @t in its process's preferred LLC. */
static enum hook_migrate pack_can_migrate(struct sched *s, void *state, struct lb_env *env, struct task *t)
{
	struct pack_state *st = state;
	struct pack_proc *pp = pack_proc(st, cassim_task_process(t));
	int src_llc = cassim_cpu_llc(s, cassim_lb_src_cpu(env)), dst_llc = cassim_cpu_llc(s, cassim_lb_dst_cpu(env));

	if (!pp || pp->pref_llc < 0 || src_llc == dst_llc || src_llc != pp->pref_llc)
		return HOOK_MIGRATE_DEFAULT;
	if (cassim_lb_nr_balance_failed(env) >
	    (unsigned)(cassim_lb_cache_nice_tries(env) + st->p.extra_tries))
		return HOOK_MIGRATE_DEFAULT; /* balancing keeps failing: let it go */
	if (llc_util_pct(s, src_llc) > st->p.max_util_pct)
		return HOOK_MIGRATE_DEFAULT; /* the preferred LLC is overloaded */
	st->denied++;
	return HOOK_MIGRATE_DENY;
}

static void pack_report(struct sched *s, void *state, hook_emit_fn emit, void *ctx)
{
	struct pack_state *st = state;

	emit(ctx, "total", "pref_llc_switches", (double)st->switches);
	emit(ctx, "total", "migrations_denied", (double)st->denied);
	emit(ctx, "total", "enqueue_in_pref_llc_pct",
	     st->enq ? 100.0 * (double)st->enq_pref / (double)st->enq : 0.0);
}

static const struct sched_hooks pack_hooks = {
	.version = SCHED_HOOKS_VERSION,
	.init = pack_init,
	.fini = pack_fini,
	.account = pack_account,
	.enqueue = pack_enqueue,
	.can_migrate = pack_can_migrate,
	.report = pack_report,
};

static const char *const pack_features[][2] = {
	{ "preferred_llc", "most runtime in the last epoch (per process)" },
	{ "lb_pinning", "can_migrate: deny leaving the preferred LLC" },
	{ "overload_gate", "pack_max_util_pct" },
	{ NULL, NULL },
};

static const struct policy my_llc_pack = {
	.name = "my-llc-pack",
	.description = "example module: keep a process in the LLC where it ran most (in the spirit of cas-v4)",
	.hooks = &pack_hooks,
	.params = pack_param_defs,
	.nr_params = sizeof(pack_param_defs) / sizeof(pack_param_defs[0]),
	.params_size = sizeof(struct pack_params),
	.features = pack_features,
};

/* The two symbols cassim looks for. */
const int cassim_module_abi = CASSIM_MODULE_ABI;

int cassim_module_init(int (*register_policy)(const struct policy *))
{
	return register_policy(&my_llc_pack);
}
