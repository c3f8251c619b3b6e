/*
 * NUMA balancing (sched/numa.c) on small machines with the machine model:
 * scan pacing, page migration toward the task, the task moving to its
 * pages when the pages cannot follow, scan-period adaptation,
 * migrate_degrades_locality(), and numa_balancing=0.
 *
 * Timeline of one CPU-bound thread started at t = 0 with default sysctls
 * (scan delay 1 s, period min 1 s, max 60 s, 256 MB per scan): the first
 * scan comes at ~1 s of runtime; the first task_numa_placement() (once per
 * pass over the process's RSS) finds empty buffers and doubles the period;
 * preferred nodes appear from the second pass on.
 */
#include <math.h>

#include "harness.h"
#include "hw/perf.h"

#define MIB (1024.0 * 1024.0)

static struct perf_mem mem_of_test; /* the threads' memory behaviour */

static struct task_action run_next(void *ctx, struct task *t)
{
	(void)ctx;
	(void)t;
	return (struct task_action){ .kind = ACT_RUN, .ns = 1000 * NSEC_PER_SEC, .mem = &mem_of_test };
}

struct rig {
	struct topo *t;
	struct sd_topology *sdt;
	struct eq *eq;
	struct sched *s;
	struct perf *pf;
	struct machine_profile prof;
};

/* A scheduler on @pkgs packages (one node each) x 4 cores with the machine
 * model for @nthreads threads of process 0 with @shared bytes shared. */
static void rig_new(struct rig *r, int pkgs, int numa_balancing, int nthreads, double shared,
		    double scan_mb, double migrate_mbps, simtime_t period_max)
{
	struct diag err;
	struct sched_params p;
	struct sched_ops ops = { .next = run_next };

	memset(r, 0, sizeof(*r));
	r->t = topo_new_simple(pkgs, 1, 4, 1);
	ck_assert_ptr_nonnull(r->t);
	ck_assert_int_eq(r->t->nr_nodes, pkgs);
	ck_assert_int_eq(sd_build(r->t, &r->sdt, &err), 0);
	r->eq = eq_new(1024, NULL);
	sched_params_defaults(&p);
	p.numa_balancing = numa_balancing;
	if (period_max)
		p.numa_scan_period_max_ns = period_max;
	r->s = sched_new(r->t, r->sdt, &p, r->eq, NULL, NULL, ops);
	ck_assert_ptr_nonnull(r->s);
	harness_profile(&r->prof);
	r->prof.v[MP_numa_scan_mb] = scan_mb;
	r->prof.v[MP_numa_migrate_mbps] = migrate_mbps;
	r->pf = perf_new(r->t, &r->prof, nthreads, 1, sched_retime, r->s);
	ck_assert_ptr_nonnull(r->pf);
	perf_set_process(r->pf, 0, shared, 0.1, PERF_MEM_FIRST_TOUCH, -1);
	for (int i = 0; i < nthreads; i++)
		perf_set_thread(r->pf, i, 0);
	sched_set_perf(r->s, r->pf);
	if (r->s->numa_on)
		numa_set_rates(r->s, scan_mb, migrate_mbps);
}

static void rig_free(struct rig *r)
{
	eq_free(r->eq);
	sched_free(r->s);
	perf_free(r->pf);
	sd_free(r->sdt);
	topo_free(r->t);
}

static double frac_on(struct rig *r, struct task *p, bool shared, int node)
{
	double f[8] = { 0 };

	ck_assert_int_le(r->t->nr_nodes, 8);
	perf_mem_dist(r->pf, p->id, shared, f);
	return f[node];
}

/* One CPU-bound thread with @footprint private bytes, started on CPU 0
 * (node 0), its pages moved to node 1 after it touched them. */
static struct task *start_misplaced(struct rig *r, double footprint, const struct cpumask *aff)
{
	struct task *p;

	mem_of_test = (struct perf_mem){ .refs_per_us = 100, .footprint = footprint, .shared = 0 };
	p = sched_create_task(r->s, 0, 0, aff);
	ck_assert_ptr_nonnull(p);
	sched_start_task(r->s, p, 0, 0, 0);
	eq_run(r->eq, NSEC_PER_MSEC);
	ck_assert_ptr_eq(r->s->rq[0].curr, p);
	ck_assert(frac_on(r, p, false, 0) > 0.999);
	ck_assert(perf_mem_migrate(r->pf, p->id, false, 1, footprint) > 0.99 * footprint);
	ck_assert(frac_on(r, p, false, 1) > 0.999);
	return p;
}

/* Private pages follow the task: the first hinting faults (no preferred
 * node yet) migrate every misplaced page to the faulting CPU's node, the
 * faults count there, and the task never moves. */
START_TEST(test_pages_follow_task)
{
	struct rig r;
	struct task *p;
	struct numa_totals nt;

	rig_new(&r, 2, -1, 1, 0, 256, 1280, 0);
	ck_assert(r.s->numa_on);
	p = start_misplaced(&r, 64 * MIB, NULL);
	/* nothing before the scan delay */
	eq_run(r.eq, 900 * NSEC_PER_MSEC);
	ck_assert_uint_eq(p->numa.nr_scans, 0);
	ck_assert(frac_on(&r, p, false, 1) > 0.999);
	/* first scan at ~1 s: all 64 MB move to node 0 (no rate limit hit) */
	eq_run(r.eq, 1100 * NSEC_PER_MSEC);
	ck_assert_uint_eq(p->numa.nr_scans, 1);
	ck_assert(frac_on(&r, p, false, 0) > 0.999);
	ck_assert(fabs(p->numa.pages_migrated_bytes - 64 * MIB) < MIB);
	ck_assert_int_eq(p->numa.preferred_nid, -1);
	/* the first placement found no faults: the period doubled to 2 s */
	ck_assert_int_eq(p->numa.scan_period, 2 * NSEC_PER_SEC);
	/* second scan at ~3 s: the faults counted on node 0 (migrated) */
	eq_run(r.eq, 5 * NSEC_PER_SEC);
	ck_assert_uint_eq(p->numa.nr_scans, 2);
	ck_assert_int_eq(p->numa.preferred_nid, 0);
	ck_assert_uint_eq(p->numa.nr_pref_changes, 1);
	ck_assert_int_eq(r.t->cpu[p->cpu].node, 0);
	ck_assert_uint_eq(p->numa.nr_task_migrations, 0);
	ck_assert(numa_task_faults(r.s, p, 0) > 0);
	ck_assert(numa_task_faults(r.s, p, 1) < 1);
	numa_totals(r.s, &nt);
	ck_assert_uint_eq(nt.scans, 2);
	ck_assert_uint_eq(nt.task_migrations, 0);
	ck_assert_uint_eq(nt.pref_changes, 1);
	ck_assert(fabs(nt.pages_migrated_bytes - 64 * MIB) < MIB);
	rig_free(&r);
}
END_TEST

/* The task follows its pages when they cannot follow it: at 1 MB/s the
 * rate limit keeps 255 of the 256 MB scanned on node 1, the faults say
 * node 1, and task_numa_migrate() moves the task to an idle CPU there. */
START_TEST(test_task_follows_pages)
{
	struct rig r;
	struct task *p;
	struct numa_totals nt;

	rig_new(&r, 2, 1, 1, 0, 256, 1, 0);
	p = start_misplaced(&r, 512 * MIB, NULL);
	eq_run(r.eq, 1100 * NSEC_PER_MSEC);
	ck_assert_uint_eq(p->numa.nr_scans, 1);
	ck_assert(p->numa.migrate_fail_bytes > 250 * MIB);
	ck_assert(p->numa.pages_migrated_bytes < 2 * MIB);
	ck_assert_int_eq(r.t->cpu[p->cpu].node, 0);
	/* the second scan (500 ms later: 512 MB = two scan windows) ends the
	 * first pass: preferred node 1, and the move */
	eq_run(r.eq, 3 * NSEC_PER_SEC);
	ck_assert_int_eq(p->numa.preferred_nid, 1);
	ck_assert_int_eq(r.t->cpu[p->cpu].node, 1);
	ck_assert_uint_eq(p->numa.nr_task_migrations, 1);
	ck_assert_ptr_eq(r.s->rq[p->cpu].curr, p);
	ck_assert(frac_on(&r, p, false, 1) > 0.99);
	/* and it stays there: the balancer sees it leaving its preferred node */
	eq_run(r.eq, 10 * NSEC_PER_SEC);
	ck_assert_int_eq(r.t->cpu[p->cpu].node, 1);
	ck_assert_uint_eq(p->numa.nr_task_migrations, 1);
	numa_totals(r.s, &nt);
	ck_assert_uint_eq(nt.task_migrations, 1);
	ck_assert_uint_eq(nt.swaps, 0);
	/* a failed migration doubles the period on every pass (the kernel never
	 * clears numa_faults_locality[2] on that path) */
	ck_assert(p->numa.scan_period >= 2 * NSEC_PER_SEC);
	ck_assert(p->numa.scan_period <= p->numa.scan_period_max);
	rig_free(&r);
}
END_TEST

/* A policy that owns task placement (hook numa_task_veto, Hygon RFC v1 7/8
 * override_numa_balance) vetoes the move of test_task_follows_pages: the
 * faults still make node 1 preferred, the task stays on node 0, and the
 * hook was asked (at the first pass's end and at each retry). */
static int vetoes;
static bool veto_all(struct sched *s, void *state, struct task *t)
{
	(void)s;
	(void)state;
	(void)t;
	vetoes++;
	return true;
}
static const struct sched_hooks veto_hooks = { .version = SCHED_HOOKS_VERSION, .numa_task_veto = veto_all };

START_TEST(test_task_veto)
{
	struct rig r;
	struct task *p;
	struct numa_totals nt;

	rig_new(&r, 2, 1, 1, 0, 256, 1, 0);
	r.s->hooks = &veto_hooks;
	vetoes = 0;
	p = start_misplaced(&r, 512 * MIB, NULL);
	eq_run(r.eq, 4100 * NSEC_PER_MSEC);
	ck_assert_int_eq(p->numa.preferred_nid, 1);
	ck_assert_int_eq(r.t->cpu[p->cpu].node, 0);
	ck_assert_uint_eq(p->numa.nr_task_migrations, 0);
	ck_assert_int_ge(vetoes, 1);
	numa_totals(r.s, &nt);
	ck_assert_uint_eq(nt.task_migrations, 0);
	rig_free(&r);
}
END_TEST

/* All faults local and private: the period grows by 3 tenths per pass up
 * to the maximum (update_task_scan_period). */
START_TEST(test_period_grows_when_local)
{
	struct rig r;
	struct task *p;
	simtime_t last = 0;

	rig_new(&r, 2, 1, 1, 0, 256, 1280, 20 * NSEC_PER_SEC);
	mem_of_test = (struct perf_mem){ .refs_per_us = 100, .footprint = 64 * MIB, .shared = 0 };
	p = sched_create_task(r.s, 0, 0, NULL);
	sched_start_task(r.s, p, 0, 0, 0);
	for (simtime_t t = NSEC_PER_SEC / 2; t <= 120 * NSEC_PER_SEC; t += NSEC_PER_SEC / 2) {
		eq_run(r.eq, t);
		ck_assert(p->numa.scan_period >= last);
		last = p->numa.scan_period;
	}
	ck_assert_int_eq(p->numa.preferred_nid, 0);
	ck_assert_int_eq(r.t->cpu[p->cpu].node, 0);
	ck_assert(frac_on(&r, p, false, 0) > 0.999);
	ck_assert_uint_eq(p->numa.nr_task_migrations, 0);
	ck_assert(p->numa.pages_migrated_bytes < 1);
	ck_assert_int_eq(p->numa.scan_period_max, 20 * NSEC_PER_SEC);
	ck_assert_int_eq(p->numa.scan_period, 20 * NSEC_PER_SEC);
	/* 1 s of delay, 2 s, then x1.3 per pass to 20 s: about ten scans */
	ck_assert_uint_ge(p->numa.nr_scans, 9);
	ck_assert_uint_le(p->numa.nr_scans, 14);
	rig_free(&r);
}
END_TEST

/*
 * Remote shared faults speed scanning up.  Two threads of one process on
 * node 0 share 128 MB: once settled (all faults local) their period has
 * grown.  The shared pages are then moved to node 1: the next scan's
 * faults are shared and remote (the pages migrate back, but a migrated
 * fault counts as remote), so the following placement cuts the period by
 * (7 - 0) tenths; then it grows again.
 */
START_TEST(test_period_shrinks_when_shared_remote)
{
	struct rig r;
	struct cpumask n0;
	struct task *p, *q;
	simtime_t before, low = 0, last;
	int drops = 0;

	rig_new(&r, 2, 1, 2, 128 * MIB, 256, 1280, 0);
	mem_of_test = (struct perf_mem){ .refs_per_us = 100, .footprint = 1 * MIB, .shared = 0.9 };
	cpumask_clear(&n0);
	for (int c = 0; c < 4; c++)
		cpumask_set(&n0, c);
	p = sched_create_task(r.s, 0, 0, &n0);
	q = sched_create_task(r.s, 0, 0, &n0);
	sched_start_task(r.s, p, 0, 0, 0);
	sched_start_task(r.s, q, 0, 1, 1);
	eq_run(r.eq, 30 * NSEC_PER_SEC);
	ck_assert(p->numa.in_group && q->numa.in_group);
	ck_assert(frac_on(&r, p, true, 0) > 0.999);
	ck_assert_int_eq(p->numa.preferred_nid, 0);
	before = p->numa.scan_period;
	ck_assert(before >= 2 * NSEC_PER_SEC);
	ck_assert(perf_mem_migrate(r.pf, p->id, true, 1, 128 * MIB) > 127 * MIB);
	/* the first placement after the move still sees the local faults
	 * (x1.3); the next one only remote shared faults (and a few local
	 * private ones): lr = ps = 0, so 7 tenths off, once */
	last = before;
	for (simtime_t t = 30 * NSEC_PER_SEC; t <= 120 * NSEC_PER_SEC; t += NSEC_PER_SEC / 10) {
		eq_run(r.eq, t);
		if (p->numa.scan_period < last) {
			ck_assert_int_eq(drops, 0);
			drops++;
			ck_assert(last > before);
			ck_assert_int_eq(p->numa.scan_period, last - 7 * ((last + 9) / 10));
			low = p->numa.scan_period;
		}
		last = p->numa.scan_period;
	}
	ck_assert_int_eq(drops, 1);
	ck_assert(frac_on(&r, p, true, 0) > 0.999);
	ck_assert(p->numa.scan_period > low);
	ck_assert_int_eq(r.t->cpu[p->cpu].node, 0);
	ck_assert_int_eq(r.t->cpu[q->cpu].node, 0);
	rig_free(&r);
}
END_TEST

/*
 * Swaps (migrate_swap): a full machine, 2 nodes x 4 CPUs, two processes of
 * four CPU-bound threads, process 0 on node 0 with its pages on node 1 and
 * process 1 the other way round; at 1 MB/s the pages cannot move.  Moving
 * one thread would unbalance the nodes (load_too_imbalanced), but swapping
 * a thread of each helps both: each swap improves the fault weights by
 * ~2 x 1000 (> SMALLIMP).  Every thread ends on its pages' node.
 */
START_TEST(test_swap)
{
	struct rig r;
	struct diag err;
	struct sched_params sp;
	struct sched_ops ops = { .next = run_next };
	struct task *t[8];
	struct numa_totals nt;

	memset(&r, 0, sizeof(r));
	r.t = topo_new_simple(2, 1, 4, 1);
	ck_assert_int_eq(sd_build(r.t, &r.sdt, &err), 0);
	r.eq = eq_new(1024, NULL);
	sched_params_defaults(&sp);
	sp.numa_balancing = 1;
	r.s = sched_new(r.t, r.sdt, &sp, r.eq, NULL, NULL, ops);
	harness_profile(&r.prof);
	r.pf = perf_new(r.t, &r.prof, 8, 2, sched_retime, r.s);
	ck_assert_ptr_nonnull(r.pf);
	for (int proc = 0; proc < 2; proc++)
		perf_set_process(r.pf, proc, 0, 0, PERF_MEM_FIRST_TOUCH, -1);
	for (int i = 0; i < 8; i++)
		perf_set_thread(r.pf, i, i / 4);
	sched_set_perf(r.s, r.pf);
	numa_set_rates(r.s, 256, 1);
	mem_of_test = (struct perf_mem){ .refs_per_us = 100, .footprint = 64 * MIB, .shared = 0 };
	for (int i = 0; i < 8; i++) {
		t[i] = sched_create_task(r.s, i / 4, 0, NULL);
		sched_start_task(r.s, t[i], 0, i, i);
	}
	eq_run(r.eq, NSEC_PER_MSEC);
	for (int i = 0; i < 8; i++) {
		ck_assert_ptr_eq(r.s->rq[i].curr, t[i]);
		ck_assert(perf_mem_migrate(r.pf, t[i]->id, false, i < 4 ? 1 : 0, 64 * MIB) > 63 * MIB);
	}
	eq_run(r.eq, 10 * NSEC_PER_SEC);
	for (int i = 0; i < 8; i++) {
		int want = i < 4 ? 1 : 0;
		ck_assert_int_eq(t[i]->numa.preferred_nid, want);
		ck_assert_int_eq(r.t->cpu[t[i]->cpu].node, want);
		ck_assert(frac_on(&r, t[i], false, want) > 0.9);
		ck_assert_uint_ge(t[i]->numa.nr_swaps, 1);
	}
	numa_totals(r.s, &nt);
	ck_assert_uint_ge(nt.swaps, 4);
	ck_assert_uint_eq(nt.task_migrations, 2 * nt.swaps);
	for (int c = 0; c < 8; c++)
		ck_assert_int_eq(r.s->rq[c].nr_running, 1);
	rig_free(&r);
}
END_TEST

/* migrate_degrades_locality() on hand-set faults: 3 nodes (0: CPUs 0-3,
 * 1: 4-7, 2: 8-11), all 20 apart. */
START_TEST(test_degrades_locality)
{
	struct rig r;
	struct task *p, *q;
	struct cpumask only4;

	rig_new(&r, 3, 1, 2, 0, 256, 1280, 0);
	ck_assert(r.s->numa_on);
	mem_of_test = (struct perf_mem){ .refs_per_us = 100, .footprint = MIB };
	cpumask_clear(&only4);
	cpumask_set(&only4, 4);
	p = sched_create_task(r.s, 0, 0, &only4);
	q = sched_create_task(r.s, 0, 0, &only4);
	sched_start_task(r.s, p, 0, 4, 4);
	eq_run(r.eq, NSEC_PER_MSEC);
	ck_assert_ptr_eq(r.s->rq[4].curr, p);
	/* no faults: no opinion */
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 0, 4, false), -1);
	numa_test_set_faults(r.s, p, 0, 100, 0, 1);
	numa_test_set_faults(r.s, p, 1, 600, 0, 1);
	numa_test_set_faults(r.s, p, 2, 300, 0, 1);
	ck_assert(fabs(numa_task_faults(r.s, p, 1) - 600) < 1e-9);
	/* same node */
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 4, 5, false), -1);
	/* to the preferred node: improves */
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 0, 4, false), 0);
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 8, 4, true), 0);
	/* neither preferred: compare faults (node 2: 300 > node 0: 100) */
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 8, 0, false), 1);
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 0, 8, false), 0);
	/* ... unless the destination is idle */
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 8, 0, true), -1);
	/* away from the preferred node: degrades while the source runs tasks
	 * that do not prefer it, else no opinion */
	ck_assert_int_eq(r.s->rq[4].nr_running, 1);
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 4, 0, false), -1);
	sched_start_task(r.s, q, eq_now(r.eq), 4, 4);
	eq_run(r.eq, 2 * NSEC_PER_MSEC);
	ck_assert_int_eq(r.s->rq[4].nr_running, 2);
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 4, 0, false), 1);
	numa_test_set_faults(r.s, q, 1, 10, 0, 1);
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 4, 0, false), -1);
	rig_free(&r);

	/* NUMA balancing off: never an opinion */
	rig_new(&r, 2, 0, 1, 0, 256, 1280, 0);
	ck_assert(!r.s->numa_on);
	p = sched_create_task(r.s, 0, 0, NULL);
	ck_assert_int_eq(numa_migrate_degrades_locality(r.s, p, 0, 4, false), -1);
	rig_free(&r);
}
END_TEST

/* numa_balancing=0: no scans, the pages stay remote, the task stays put. */
START_TEST(test_off)
{
	struct rig r;
	struct task *p;
	struct numa_totals nt;

	rig_new(&r, 2, 0, 1, 0, 256, 1280, 0);
	ck_assert(!r.s->numa_on);
	ck_assert_ptr_null(r.s->numa_state);
	p = start_misplaced(&r, 64 * MIB, NULL);
	eq_run(r.eq, 10 * NSEC_PER_SEC);
	ck_assert_uint_eq(p->numa.nr_scans, 0);
	ck_assert(!p->numa.has_faults);
	ck_assert(frac_on(&r, p, false, 1) > 0.999);
	ck_assert_int_eq(r.t->cpu[p->cpu].node, 0);
	numa_totals(r.s, &nt);
	ck_assert_uint_eq(nt.scans, 0);
	ck_assert_uint_eq(nt.task_migrations, 0);
	ck_assert(nt.pages_migrated_bytes == 0);
	rig_free(&r);

	/* auto (-1) on a single-node machine: off */
	rig_new(&r, 1, -1, 1, 0, 256, 1280, 0);
	ck_assert(!r.s->numa_on);
	rig_free(&r);

	/* forced on with a single node: it scans, prefers node 0, never moves */
	rig_new(&r, 1, 1, 1, 0, 256, 1280, 0);
	ck_assert(r.s->numa_on);
	mem_of_test = (struct perf_mem){ .refs_per_us = 100, .footprint = 64 * MIB, .shared = 0 };
	p = sched_create_task(r.s, 0, 0, NULL);
	sched_start_task(r.s, p, 0, 0, 0);
	eq_run(r.eq, 10 * NSEC_PER_SEC);
	ck_assert_uint_ge(p->numa.nr_scans, 2);
	ck_assert_int_eq(p->numa.preferred_nid, 0);
	ck_assert_uint_eq(p->numa.nr_task_migrations, 0);
	ck_assert(p->numa.pages_migrated_bytes == 0);
	rig_free(&r);
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("numa", &tc, 120);

	tcase_add_test(tc, test_degrades_locality);
	tcase_add_test(tc, test_off);
	tcase_add_test(tc, test_pages_follow_task);
	tcase_add_test(tc, test_task_follows_pages);
	tcase_add_test(tc, test_task_veto);
	tcase_add_test(tc, test_swap);
	tcase_add_test(tc, test_period_grows_when_local);
	tcase_add_test(tc, test_period_shrinks_when_shared_remote);
	return harness_run(s);
}
