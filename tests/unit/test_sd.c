/* Unit tests for sched/sd.c: the domain hierarchy Linux builds on the
 * shipped machines (x86 build_sched_topology + sched_init_numa +
 * cpu_attach_domain), sd_init() defaults, groups and imb_numa_nr. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched/sd.h"

#define F_BASE (SD_BALANCE_NEWIDLE | SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE)
#define F_SMT (F_BASE | SD_SHARE_CPUCAPACITY | SD_SHARE_LLC | SD_PREFER_SIBLING)
#define F_MC (F_BASE | SD_SHARE_LLC | SD_PREFER_SIBLING)
#define F_PKG (F_BASE | SD_PREFER_SIBLING)
#define F_NUMA_NEAR (F_BASE | SD_SERIALIZE | SD_OVERLAP | SD_NUMA)
/* distance > node_reclaim_distance (30): no exec/fork balancing, no wake_affine */
#define F_NUMA_FAR (SD_BALANCE_NEWIDLE | SD_SERIALIZE | SD_OVERLAP | SD_NUMA)

struct exp_dom {
	const char *name;
	int span, groups, imbalance_pct, cache_nice_tries, imb_numa_nr, distance;
	unsigned flags;
};

static const char *srcdir(void)
{
	const char *s = getenv("CASSIM_SRCDIR");
	return s && *s ? s : ".";
}

static struct topo *load_shipped(const char *name)
{
	char dir[1024];
	const char *dirs[] = { dir, NULL };
	struct topo *t = NULL;
	struct diag err = { "" };

	snprintf(dir, sizeof(dir), "%s/topologies", srcdir());
	ck_assert_msg(topo_load(name, dirs, &t, &err) == 0, "%s: %s", name, err.msg);
	return t;
}

static struct sd_topology *build(const struct topo *t)
{
	struct sd_topology *s = NULL;
	struct diag err = { "" };

	ck_assert_msg(sd_build(t, &s, &err) == 0, "%s", err.msg);
	return s;
}

static void check_cpu(const struct sd_topology *s, int cpu, const struct exp_dom *e, int n)
{
	int i = 0;

	for_each_domain_tmpl(sd, s->base[cpu]) {
		ck_assert_msg(i < n, "cpu %d: unexpected extra domain %s", cpu, sd->name);
		ck_assert_str_eq(sd->name, e[i].name);
		ck_assert_msg(sd->span_weight == e[i].span, "cpu %d %s: span %d, want %d", cpu,
			      sd->name, sd->span_weight, e[i].span);
		ck_assert_int_eq(cpumask_weight(&sd->span), e[i].span);
		ck_assert(cpumask_test(&sd->span, cpu));
		ck_assert_msg(sd->nr_groups == e[i].groups, "cpu %d %s: %d groups, want %d", cpu,
			      sd->name, sd->nr_groups, e[i].groups);
		ck_assert_msg(sd->flags == e[i].flags, "cpu %d %s: flags %#x, want %#x", cpu, sd->name,
			      sd->flags, e[i].flags);
		ck_assert_int_eq(sd->imbalance_pct, e[i].imbalance_pct);
		ck_assert_int_eq(sd->cache_nice_tries, e[i].cache_nice_tries);
		ck_assert_msg(sd->imb_numa_nr == e[i].imb_numa_nr, "cpu %d %s: imb_numa_nr %d, want %d",
			      cpu, sd->name, sd->imb_numa_nr, e[i].imb_numa_nr);
		ck_assert_int_eq(sd->numa_distance, e[i].distance);
		ck_assert_int_eq(sd->min_interval, sd->span_weight);
		ck_assert_int_eq(sd->max_interval, 2 * sd->span_weight);
		ck_assert_int_eq(sd->busy_factor, 16);
		/* groups cover the span, exactly once unless SD_OVERLAP (on GNR
		 * SNC3 node 2's child NUMA(15) domain overlaps node 0's, as in
		 * build_overlap_sched_groups()); groups[0] holds the CPU */
		ck_assert(cpumask_test(&sd->groups[0].span, cpu));
		{
			struct cpumask u;
			int w = 0;

			cpumask_clear(&u);
			for (int g = 0; g < sd->nr_groups; g++) {
				cpumask_or(&u, &u, &sd->groups[g].span);
				w += sd->groups[g].weight;
				ck_assert_int_eq(sd->groups[g].first_cpu, cpumask_first(&sd->groups[g].span));
			}
			ck_assert(cpumask_equal(&u, &sd->span));
			if (!(sd->flags & SD_OVERLAP))
				ck_assert_int_eq(w, sd->span_weight);
		}
		if (sd->parent)
			ck_assert(cpumask_subset(&sd->span, &sd->parent->span));
		i++;
	}
	ck_assert_msg(i == n, "cpu %d: %d domains, want %d", cpu, i, n);
}

/* published.md SPR box: 2 x 30 cores SMT2, DRAM interleaved -> 1 node.  PKG
 * = cpu_cpu_mask = the node = all 120 CPUs; no NUMA levels. */
START_TEST(test_spr_1node)
{
	struct topo *t = load_shipped("spr-2s-1node-2llc");
	struct sd_topology *s = build(t);
	static const struct exp_dom e[] = {
		{ "SMT", 2, 2, 110, 0, 0, 0, F_SMT },
		{ "MC", 60, 30, 117, 1, 0, 0, F_MC },
		{ "PKG", 120, 2, 117, 1, 2, 0, F_PKG },
	};

	check_cpu(s, 0, e, 3);
	check_cpu(s, 119, e, 3);
	ck_assert_int_eq(s->nr_levels, 3);
	ck_assert_ptr_eq(s->llc[0], s->base[0]->parent);
	ck_assert_int_eq(s->node_distance_used, 0);
	sd_free(s);
	topo_free(t);
}
END_TEST

/* 2 x EPYC 9755 NPS4: 4 nodes per package -> x86_has_numa_in_package, no
 * PKG.  NODE = 4 CCX (64 CPUs), NUMA(12) = socket, NUMA(32) = machine. */
START_TEST(test_turin_nps4)
{
	struct topo *t = load_shipped("epyc-9755-2s-nps4");
	struct sd_topology *s = build(t);
	static const struct exp_dom e[] = {
		{ "SMT", 2, 2, 110, 0, 0, 0, F_SMT },
		{ "MC", 16, 8, 117, 1, 0, 0, F_MC },
		{ "NODE", 64, 4, 117, 1, 4, 10, F_PKG },
		{ "NUMA", 256, 4, 117, 2, 4, 12, F_NUMA_NEAR },
		{ "NUMA", 512, 2, 117, 2, 8, 32, F_NUMA_FAR },
	};

	for (int cpu = 0; cpu < t->nr_cpus; cpu += 37)
		check_cpu(s, cpu, e, 5);
	ck_assert_int_eq(s->llc[0]->span_weight, 16);
	ck_assert_int_eq(s->nr_levels, 5);
	sd_free(s);
	topo_free(t);
}
END_TEST

/*
 * 2 x Xeon 6980P SNC3 (43/43/42 cores per die).  MC = the SNC node (L3 ∩
 * node).  arch_sched_node_distance() replaces the remote SLIT values (21..28)
 * by their average, 434 / 18 = 24, so the levels are 10, 15, 17, 24.  NODE
 * (the die) equals MC and is removed.  From node 0 (a die at the end of the
 * row): NUMA(15) = dies 0+1, NUMA(17) = the socket, NUMA(24) = all.  From
 * node 1 (the middle die) 15 already reaches the socket, so NUMA(17) is
 * degenerate there.
 */
START_TEST(test_gnr_snc3)
{
	struct topo *t = load_shipped("xeon6-6980p-2s-snc3");
	struct sd_topology *s = build(t);
	static const struct exp_dom e0[] = {
		{ "SMT", 2, 2, 110, 0, 0, 0, F_SMT },
		{ "MC", 86, 43, 117, 1, 0, 0, F_MC | SD_PREFER_SIBLING },
		{ "NUMA", 172, 2, 117, 2, 10, 15, F_NUMA_NEAR },
		{ "NUMA", 256, 2, 117, 2, 10, 17, F_NUMA_NEAR },
		{ "NUMA", 512, 2, 117, 2, 20, 24, F_NUMA_NEAR },
	};
	static const struct exp_dom e43[] = {
		{ "SMT", 2, 2, 110, 0, 0, 0, F_SMT },
		{ "MC", 86, 43, 117, 1, 0, 0, F_MC },
		{ "NUMA", 256, 3, 117, 2, 10, 15, F_NUMA_NEAR },
		{ "NUMA", 512, 2, 117, 2, 20, 24, F_NUMA_NEAR },
	};
	static const struct exp_dom e86[] = {
		{ "SMT", 2, 2, 110, 0, 0, 0, F_SMT },
		{ "MC", 84, 42, 117, 1, 0, 0, F_MC },
		{ "NUMA", 170, 2, 117, 2, 10, 15, F_NUMA_NEAR },
		{ "NUMA", 256, 2, 117, 2, 10, 17, F_NUMA_NEAR },
		/* 10 x (512 / 170 = 3): the kernel's integer factor */
		{ "NUMA", 512, 2, 117, 2, 30, 24, F_NUMA_NEAR },
	};

	ck_assert_int_eq(s->node_distance_used, 1);
	check_cpu(s, 0, e0, 5);
	check_cpu(s, 256, e0, 5);
	check_cpu(s, 43, e43, 4);
	check_cpu(s, 86, e86, 5);
	ck_assert_int_eq(s->llc[0]->span_weight, 86);
	ck_assert_int_eq(s->llc[86]->span_weight, 84);
	sd_free(s);
	topo_free(t);
}
END_TEST

/* SNC off (HEX): MC = package = node, PKG is degenerate, one NUMA level. */
START_TEST(test_gnr_hex)
{
	struct topo *t = load_shipped("xeon6-6980p-2s");
	struct sd_topology *s = build(t);
	static const struct exp_dom e[] = {
		{ "SMT", 2, 2, 110, 0, 0, 0, F_SMT },
		{ "MC", 256, 128, 117, 1, 0, 0, F_MC },
		/* imb_numa_nr from the (removed) PKG level: one LLC per node -> 256 >> 3 */
		{ "NUMA", 512, 2, 117, 2, 32, 21, F_NUMA_NEAR },
	};

	check_cpu(s, 0, e, 3);
	ck_assert_int_eq(s->node_distance_used, 0);
	sd_free(s);
	topo_free(t);
}
END_TEST

/* Turin NPS1: PKG = the node, NODE degenerate, NUMA(32) far. */
START_TEST(test_turin_nps1)
{
	struct topo *t = load_shipped("epyc-9755-2s-nps1");
	struct sd_topology *s = build(t);
	static const struct exp_dom e[] = {
		{ "SMT", 2, 2, 110, 0, 0, 0, F_SMT },
		{ "MC", 16, 8, 117, 1, 0, 0, F_MC },
		{ "PKG", 256, 16, 117, 1, 16, 0, F_PKG },
		{ "NUMA", 512, 2, 117, 2, 16, 32, F_NUMA_FAR },
	};

	check_cpu(s, 0, e, 4);
	check_cpu(s, 511, e, 4);
	sd_free(s);
	topo_free(t);
}
END_TEST

START_TEST(test_one_cpu)
{
	struct topo *t = NULL;
	struct diag err;
	struct sd_topology *s;

	ck_assert_int_eq(topo_load("synthetic:pu:1", NULL, &t, &err), 0);
	s = build(t);
	ck_assert_ptr_null(s->base[0]);
	ck_assert_ptr_null(s->llc[0]);
	ck_assert_int_eq(s->nr_levels, 0);
	sd_free(s);
	topo_free(t);
}
END_TEST

/* No SMT, L2 shared by 4 cores: CLS is the bottom level. */
START_TEST(test_cluster_nosmt)
{
	struct topo *t = NULL;
	struct diag err = { "" };
	struct sd_topology *s;

	diag_quiet_warnings(1);
	ck_assert_msg(topo_load("synthetic:pack:1 [numa] l3:2(size=16MiB) l2:2(size=4MiB) core:4 pu:1",
				NULL, &t, &err) == 0, "%s", err.msg);
	s = build(t);
	ck_assert_str_eq(s->base[0]->name, "CLS");
	ck_assert_int_eq(s->base[0]->span_weight, 4);
	ck_assert_int_eq(s->base[0]->nr_groups, 4);
	ck_assert_uint_eq(s->base[0]->flags, F_MC | SD_CLUSTER);
	ck_assert_str_eq(s->base[0]->parent->name, "MC");
	ck_assert_int_eq(s->base[0]->parent->span_weight, 8);
	ck_assert_int_eq(s->base[0]->parent->nr_groups, 2);
	ck_assert_str_eq(s->base[0]->parent->parent->name, "PKG");
	ck_assert_ptr_eq(s->llc[0], s->base[0]->parent);
	sd_free(s);
	topo_free(t);
}
END_TEST

static Suite *sd_suite(void)
{
	Suite *s = suite_create("sd");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_spr_1node);
	tcase_add_test(tc, test_turin_nps4);
	tcase_add_test(tc, test_gnr_snc3);
	tcase_add_test(tc, test_gnr_hex);
	tcase_add_test(tc, test_turin_nps1);
	tcase_add_test(tc, test_one_cpu);
	tcase_add_test(tc, test_cluster_nosmt);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
