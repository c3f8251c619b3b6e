/*
 * Shared by the unit tests: the Check boilerplate (a suite of one test
 * case, run, exit status), a machine profile with round numbers, and a
 * scheduler rig: a synthetic topology, its sched domains, an event queue
 * and a struct sched whose runqueues a test sets to known loads without
 * running the simulation.  At simulated time 0 nothing decays (PELT
 * updates of less than 1 us change nothing), so the loads a test writes
 * are the loads the balancer and the wakeup path read.
 */
#ifndef CASSIM_TESTS_UNIT_HARNESS_H
#define CASSIM_TESTS_UNIT_HARNESS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/eq.h"
#include "hw/profile.h"
#include "sched/sched.h"

/* A suite @name of one test case of the same name with @timeout seconds;
 * *@tc receives the test case to add tests to. */
static inline Suite *harness_suite(const char *name, TCase **tc, double timeout)
{
	Suite *s = suite_create(name);

	*tc = tcase_create(name);
	tcase_set_timeout(*tc, timeout);
	suite_add_tcase(s, *tc);
	return s;
}

/* Run every test of @s; the test program's exit status. */
static inline int harness_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* A machine profile with round, plausible values (every field the machine
 * model reads). */
static inline void harness_profile(struct machine_profile *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "test");
	p->v[MP_freq_ghz] = 2.5;
	p->v[MP_line_bytes] = 64;
	p->v[MP_llc_hit_ns] = 10;
	p->v[MP_c2c_smt_ns] = 5;
	p->v[MP_c2c_llc_ns] = 25;
	p->v[MP_c2c_xllc_ns] = 100;
	p->v[MP_c2c_xpkg_ns] = 200;
	p->v[MP_dram_local_ns] = 100;
	p->v[MP_dram_remote_ns] = 200;
	p->v[MP_dram_bw_node_gbs] = 1000;
	p->v[MP_xpkg_bw_gbs] = 1000;
	p->v[MP_mlp] = 2;
	p->v[MP_smt_factor] = 0.8;
	p->v[MP_wake_lines] = 4;
	p->v[MP_msg_lines_fixed] = 2;
	p->v[MP_ipi_ns] = 2000;
	p->v[MP_ipi_send_ns] = 500;
	p->v[MP_wake_local_ns] = 300;
	p->v[MP_switch_ns] = 1500;
	p->v[MP_scan_cpu_ns] = 20;
	p->v[MP_idle1_exit_ns] = 2000;
	p->v[MP_idle1_target_ns] = 4000;
	p->v[MP_llc_bytes] = 8.0 * 1024 * 1024;
	p->v[MP_numa_scan_mb] = 256;
	p->v[MP_numa_migrate_mbps] = 1280;
}

/* Every task is CPU-bound: one long run burst. */
static inline struct task_action harness_hog_next(void *ctx, struct task *t)
{
	(void)ctx;
	(void)t;
	return (struct task_action){ .kind = ACT_RUN, .ns = 100 * NSEC_PER_SEC };
}

struct hrig {
	struct topo *t;
	struct sd_topology *sdt;
	struct eq *eq;
	struct sched *s;
};

/* The stock scheduler (no policy) on topo_new_simple(@pkgs, @llcs, @cores,
 * @smt), with tunables @p (NULL: the defaults) and CPU-bound tasks. */
static inline void hrig_new(struct hrig *r, int pkgs, int llcs, int cores, int smt,
			    const struct sched_params *p)
{
	struct sched_params def;
	struct sched_ops ops = { .next = harness_hog_next };
	struct diag err;

	memset(r, 0, sizeof(*r));
	r->t = topo_new_simple(pkgs, llcs, cores, smt);
	ck_assert_ptr_nonnull(r->t);
	ck_assert_int_eq(sd_build(r->t, &r->sdt, &err), 0);
	r->eq = eq_new(1024, NULL);
	ck_assert_ptr_nonnull(r->eq);
	if (!p) {
		sched_params_defaults(&def);
		p = &def;
	}
	r->s = sched_new(r->t, r->sdt, p, r->eq, NULL, NULL, ops);
	ck_assert_ptr_nonnull(r->s);
}

static inline void hrig_free(struct hrig *r)
{
	eq_free(r->eq);
	sched_free(r->s);
	sd_free(r->sdt);
	topo_free(r->t);
}

/* CPU list "0-3,8,10" -> mask. */
static inline struct cpumask hrig_mask(const char *list)
{
	struct cpumask m;
	const char *q = list;

	cpumask_clear(&m);
	while (*q) {
		char *end;
		long a = strtol(q, &end, 10), b = a;

		ck_assert_msg(end != q, "bad CPU list \"%s\"", list);
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (long c = a; c <= b; c++)
			cpumask_set(&m, (int)c);
		q = *end == ',' ? end + 1 : end;
	}
	return m;
}

/* A task last on @cpu with PELT load and utilisation @load, @util (not
 * queued anywhere: a test places it where it needs it). */
static inline struct task *hrig_task(struct hrig *r, int cpu, unsigned long load, unsigned long util)
{
	struct task *p = sched_create_task(r->s, 0, 0, NULL);

	ck_assert_ptr_nonnull(p);
	p->cpu = cpu;
	p->avg.load_avg = load;
	p->avg.util_avg = util;
	p->avg.runnable_avg = util;
	return p;
}

/* Make each CPU of @cpus run @nr tasks (0: idle) with runqueue PELT
 * averages @load, @util, @runnable; a busy CPU's current task is a new
 * task carrying the whole load. */
static inline void hrig_cpus(struct hrig *r, const char *cpus, int nr, unsigned long load,
			     unsigned long util, unsigned long runnable)
{
	struct cpumask m = hrig_mask(cpus);

	for_each_cpu(c, &m) {
		struct rq *rq = &r->s->rq[c];

		rq->nr_running = nr;
		rq->h_nr_runnable = nr; /* no delayed-dequeue task */
		rq->avg.load_avg = load;
		rq->avg.util_avg = util;
		rq->avg.runnable_avg = runnable;
		rq->curr = nr ? hrig_task(r, c, load, util) : NULL;
		rq_terms_changed(r->s, rq); /* as the scheduler's own writes do */
	}
}

/* The domain of @cpu at level @name ("SMT", "MC", "PKG", "NUMA"). */
static inline struct sched_domain *hrig_sd(struct hrig *r, int cpu, const char *name)
{
	for (struct sched_domain *sd = r->s->rq[cpu].sd; sd; sd = sd->parent)
		if (!strcmp(sd->t->name, name))
			return sd;
	ck_abort_msg("CPU %d has no %s domain", cpu, name);
	return NULL;
}

#endif
