/* Unit tests for hw/topo.c: counts, dense ids and LLC = cache ∩ node for
 * every shipped topology, the reference hwloc XMLs, synthetic strings and
 * the error paths (missing, truncated and non-hwloc files). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/capacity.h"
#include "hw/topo.h"

static const char *srcdir(void)
{
	const char *s = getenv("CASSIM_SRCDIR");
	return s && *s ? s : ".";
}

static struct topo *load_ok(const char *spec)
{
	struct topo *t = NULL;
	struct diag err = { "" };
	int ret = topo_load(spec, NULL, &t, &err);

	ck_assert_msg(ret == 0, "loading %s: %s", spec, err.msg);
	ck_assert_ptr_nonnull(t);
	return t;
}

/* LLC ids dense in order of first CPU, every CPU in exactly its LLC, each
 * LLC inside one node. */
static void check_invariants(const struct topo *t)
{
	int next_llc = 0;

	for (int i = 0; i < t->nr_cpus; i++) {
		const struct topo_cpu *c = &t->cpu[i];

		ck_assert_int_ge(c->llc, 0);
		ck_assert_int_lt(c->llc, t->nr_llcs);
		if (c->llc == next_llc)
			next_llc++;
		ck_assert_int_lt(c->llc, next_llc);
		ck_assert(cpumask_test(&t->llc[c->llc].cpus, i));
		ck_assert(cpumask_test(&t->node[c->node].cpus, i));
		ck_assert(cpumask_subset(&t->llc[c->llc].cpus, &t->node[c->node].cpus));
		ck_assert(cpumask_test(&t->core_cpus[c->core], i));
		if (i)
			ck_assert_int_gt(c->os_index, t->cpu[i - 1].os_index);
	}
	ck_assert_int_eq(next_llc, t->nr_llcs);
	for (int l = 0; l < t->nr_llcs; l++) {
		ck_assert_int_eq(t->llc[l].first_cpu, cpumask_first(&t->llc[l].cpus));
		ck_assert_int_eq(t->llc[l].nr_cpus, cpumask_weight(&t->llc[l].cpus));
	}
	for (int i = 0; i < t->nr_nodes; i++)
		ck_assert_int_eq(topo_distance(t, i, i), 10);
}

struct shipped {
	const char *name;
	int cpus, cores, pkgs, nodes, llcs, smt;
	int llc0_cpus;
	uint64_t llc0_bytes;
	int dist01; /* distance node 0 -> node 1, 0 if single node */
};

#define MiB (1024ULL * 1024)
static const struct shipped shipped[] = {
	{ "xeon6-6980p-2s", 512, 256, 2, 2, 2, 2, 256, 504 * MiB, 21 },
	/* LLC 0 = die 0: 43 cores of 128 share the 504 MiB L3 */
	{ "xeon6-6980p-2s-snc3", 512, 256, 2, 6, 6, 2, 86, 504 * MiB * 86 / 256, 15 },
	{ "epyc-9755-2s-nps1", 512, 256, 2, 2, 32, 2, 16, 32 * MiB, 32 },
	{ "epyc-9755-2s-nps4", 512, 256, 2, 8, 32, 2, 16, 32 * MiB, 12 },
	{ "epyc-9965-2s-nps1", 768, 384, 2, 2, 24, 2, 32, 32 * MiB, 32 },
	{ "spr-2s-1node-2llc", 120, 60, 2, 1, 2, 2, 60, 30 * 1920 * 1024ULL, 0 },
	{ "emr-2s-1node-2llc", 240, 120, 2, 1, 2, 2, 120, 300 * MiB, 0 },
	{ "epyc-milan-2s-nps1", 256, 128, 2, 2, 16, 2, 16, 32 * MiB, 32 },
	{ "epyc-milan-4node-4llc", 128, 64, 2, 4, 16, 2, 8, 32 * MiB, 12 },
	{ "epyc-milan-2node-8llc", 128, 64, 2, 2, 16, 2, 8, 32 * MiB, 32 },
	{ "epyc-genoa-4node-2llc", 128, 64, 2, 4, 8, 2, 16, 32 * MiB, 12 },
	{ "hygon-c86-2s-8node-4llc", 256, 128, 2, 8, 32, 2, 8, 8 * MiB, 16 },
};

START_TEST(test_shipped)
{
	const struct shipped *s = &shipped[_i];
	char dir[1024];
	const char *dirs[] = { dir, NULL };
	struct topo *t = NULL;
	struct diag err = { "" };

	snprintf(dir, sizeof(dir), "%s/topologies", srcdir());
	ck_assert_msg(topo_load(s->name, dirs, &t, &err) == 0, "%s: %s", s->name, err.msg);
	ck_assert_str_eq(t->name, s->name);
	ck_assert_int_eq(t->nr_cpus, s->cpus);
	ck_assert_int_eq(t->nr_cores, s->cores);
	ck_assert_int_eq(t->nr_pkgs, s->pkgs);
	ck_assert_int_eq(t->nr_nodes, s->nodes);
	ck_assert_int_eq(t->nr_llcs, s->llcs);
	ck_assert_int_eq(t->smt, s->smt);
	ck_assert_int_eq(t->llc[0].nr_cpus, s->llc0_cpus);
	ck_assert_uint_eq(t->llc[0].size_bytes, s->llc0_bytes);
	ck_assert(!t->dist_fallback);
	if (s->nodes > 1)
		ck_assert_int_eq(topo_distance(t, 0, 1), s->dist01);
	/* Linux numbering: the SMT sibling of CPU 0 is CPU <total cores> */
	ck_assert(cpumask_test(&t->core_cpus[0], s->cores));
	ck_assert_uint_gt(t->cache_size[1], 0);
	ck_assert_uint_gt(t->cache_size[2], 0);
	ck_assert_uint_gt(t->cache_size[3], 0);
	check_invariants(t);
	topo_free(t);
}
END_TEST

START_TEST(test_snc3_asymmetric)
{
	char path[1024];
	struct topo *t;
	static const int llc_cpus[6] = { 86, 86, 84, 86, 86, 84 };

	snprintf(path, sizeof(path), "%s/topologies/xeon6-6980p-2s-snc3.xml", srcdir());
	t = load_ok(path);
	for (int l = 0; l < 6; l++) {
		ck_assert_int_eq(t->llc[l].nr_cpus, llc_cpus[l]);
		ck_assert_int_eq(t->llc[l].hw_cpus, 256);
		ck_assert_int_eq(t->llc[l].node, l);
		ck_assert_int_eq(t->node[l].nr_cpus, llc_cpus[l]);
	}
	/* the SLIT is asymmetric (0->4 = 28, 4->0 = 23) */
	ck_assert_int_eq(topo_distance(t, 0, 4), 28);
	ck_assert_int_eq(topo_distance(t, 4, 0), 23);
	/* node 0 = 0-42,256-298 */
	ck_assert(cpumask_test(&t->node[0].cpus, 42));
	ck_assert(!cpumask_test(&t->node[0].cpus, 43));
	ck_assert(cpumask_test(&t->node[0].cpus, 298));
	topo_free(t);
}
END_TEST

/* hw/capacity.h rules, values hand-computed from intel_pstate's scaling */
START_TEST(test_capacity_rules)
{
	/* Lunar Lake (model 0xBD): P 4800 MHz / 86.957 MHz per unit -> highest_perf 56
	 * (55 would read back as rounddown(55 * 86957, 100000) = 4700 MHz); E 3700 / 100 = 37;
	 * E capacity = (37 << 10) / 56 = 676 */
	struct cpukind_desc lnl[2] = { { 3700, CORE_TYPE_INTEL_ATOM, 0 }, { 4800, CORE_TYPE_INTEL_CORE, 0 } };
	/* Alder Lake i9-12900K (model 0x97, ADL factor 78741): P 5200 -> 67, E 3900 -> 39,
	 * (39 << 10) / 67 = 596 */
	struct cpukind_desc adl[2] = { { 3900, CORE_TYPE_INTEL_ATOM, 0 }, { 5200, CORE_TYPE_INTEL_CORE, 0 } };
	struct cpukind_desc arm[2] = { { 2000, CORE_TYPE_NONE, 500 }, { 3000, CORE_TYPE_NONE, 1000 } };
	struct cpukind_desc freq_only[2] = { { 3000, CORE_TYPE_NONE, 0 }, { 4000, CORE_TYPE_NONE, 0 } };
	unsigned cap[2];

	ck_assert_uint_eq(intel_hybrid_scaling_factor(0xBD), 86957);
	ck_assert_uint_eq(intel_hybrid_scaling_factor(0xAA), 80000);
	ck_assert_uint_eq(intel_hybrid_scaling_factor(0x97), 78741);
	cpu_capacity_from_kinds(lnl, 2, 0xBD, false, cap);
	ck_assert_uint_eq(cap[0], 676);
	ck_assert_uint_eq(cap[1], 1024);
	/* SMT on: intel_pstate leaves capacity alone (ITMT instead) */
	cpu_capacity_from_kinds(lnl, 2, 0xBD, true, cap);
	ck_assert_uint_eq(cap[0], 1024);
	ck_assert_uint_eq(cap[1], 1024);
	cpu_capacity_from_kinds(adl, 2, 0x97, false, cap);
	ck_assert_uint_eq(cap[0], 596);
	ck_assert_uint_eq(cap[1], 1024);
	/* LinuxCapacity (sysfs cpu_capacity) wins, normalised: 500 * 1024 / 1000 = 512 */
	cpu_capacity_from_kinds(arm, 2, -1, false, cap);
	ck_assert_uint_eq(cap[0], 512);
	ck_assert_uint_eq(cap[1], 1024);
	/* frequency alone (AMD preferred cores, SST-TF): no capacity difference on x86 */
	cpu_capacity_from_kinds(freq_only, 2, -1, false, cap);
	ck_assert_uint_eq(cap[0], 1024);
	ck_assert_uint_eq(cap[1], 1024);
}
END_TEST

START_TEST(test_hybrid_lnl)
{
	char path[1024];
	struct topo *t;

	snprintf(path, sizeof(path), "%s/topologies/lnl-258v-hybrid.xml", srcdir());
	t = load_ok(path);
	ck_assert_int_eq(t->nr_cpus, 8);
	ck_assert_int_eq(t->smt, 1);
	ck_assert_int_eq(t->nr_llcs, 2);
	/* P-cores share the 12 MB L3; the LP E-cluster's LLC is its 4 MB L2 */
	ck_assert_int_eq(t->llc[0].nr_cpus, 4);
	ck_assert_uint_eq(t->llc[0].size_bytes, 12 * MiB);
	ck_assert_int_eq(t->llc[1].nr_cpus, 4);
	ck_assert_uint_eq(t->llc[1].size_bytes, 4 * MiB);
	ck_assert_int_eq(t->llc[1].cache_level, 2);
	ck_assert(t->asym_capacity);
	for (int c = 0; c < 8; c++) {
		ck_assert_int_eq(t->cpu[c].kind, c < 4 ? 1 : 0); /* kind 0 = most efficient */
		ck_assert_uint_eq(t->cpu[c].capacity, c < 4 ? 1024 : 676);
	}
	check_invariants(t);
	topo_free(t);
}
END_TEST

START_TEST(test_asym_llc_7950x3d)
{
	char path[1024];
	struct topo *t;

	snprintf(path, sizeof(path), "%s/topologies/ryzen-7950x3d-asym-llc.xml", srcdir());
	t = load_ok(path);
	ck_assert_int_eq(t->nr_cpus, 32);
	ck_assert_int_eq(t->nr_cores, 16);
	ck_assert_int_eq(t->nr_nodes, 1);
	ck_assert_int_eq(t->nr_llcs, 2);
	ck_assert_uint_eq(t->llc[0].size_bytes, 96 * MiB);
	ck_assert_uint_eq(t->llc[1].size_bytes, 32 * MiB);
	ck_assert_int_eq(t->llc[0].nr_cpus, 16);
	ck_assert(cpumask_test(&t->llc[0].cpus, 16)); /* SMT sibling of CPU 0 */
	ck_assert(cpumask_test(&t->llc[1].cpus, 8));
	/* capacity is symmetric in Linux's eyes */
	ck_assert(!t->asym_capacity);
	for (int c = 0; c < 32; c++)
		ck_assert_uint_eq(t->cpu[c].capacity, 1024);
	check_invariants(t);
	topo_free(t);
}
END_TEST

START_TEST(test_synthetic)
{
	struct topo *t;

	diag_quiet_warnings(1);
	t = load_ok("synthetic:pack:2 [numa] l3:4 core:4 pu:2");
	ck_assert_int_eq(t->nr_cpus, 64);
	ck_assert_int_eq(t->nr_pkgs, 2);
	ck_assert_int_eq(t->nr_nodes, 2);
	ck_assert_int_eq(t->nr_llcs, 8);
	ck_assert_int_eq(t->smt, 2);
	ck_assert(t->dist_fallback);
	ck_assert_int_eq(topo_distance(t, 0, 1), 20);
	check_invariants(t);
	topo_free(t);

	/* quotes around the string are stripped */
	t = load_ok("synthetic:\"pack:1 l3:2 core:2 pu:1\"");
	ck_assert_int_eq(t->nr_cpus, 4);
	ck_assert_int_eq(t->nr_llcs, 2);
	ck_assert_int_eq(t->smt, 1);
	topo_free(t);
}
END_TEST

START_TEST(test_one_cpu)
{
	struct topo *t = load_ok("synthetic:pu:1");

	ck_assert_int_eq(t->nr_cpus, 1);
	ck_assert_int_eq(t->nr_cores, 1);
	ck_assert_int_eq(t->nr_pkgs, 1);
	ck_assert_int_eq(t->nr_nodes, 1);
	/* no cache at all: one LLC per core */
	ck_assert_int_eq(t->nr_llcs, 1);
	ck_assert_int_eq(t->llc[0].cache_level, 0);
	ck_assert(!t->dist_fallback);
	topo_free(t);
}
END_TEST

START_TEST(test_new_simple)
{
	struct topo *t = topo_new_simple(2, 4, 8, 2);

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->nr_cpus, 128);
	ck_assert_int_eq(t->nr_llcs, 8);
	ck_assert_int_eq(t->nr_nodes, 2);
	ck_assert_int_eq(t->smt, 2);
	/* SMT sibling of CPU n is n + 64 */
	ck_assert(cpumask_test(&t->core_cpus[t->cpu[0].core], 64));
	ck_assert_int_eq(t->cpu[64].smt_index, 1);
	check_invariants(t);
	topo_free(t);
	t = topo_new_simple(1, 1, 4, 1);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->nr_cpus, 4);
	topo_free(t);
	ck_assert_ptr_null(topo_new_simple(0, 1, 1, 1));
}
END_TEST

START_TEST(test_real_genoa)
{
	char path[1024];
	struct topo *t;

	diag_quiet_warnings(1);
	snprintf(path, sizeof(path), "%s/tests/fixtures/AMD-19h-Zen4-2xEpyc-9654.xml", srcdir());
	t = load_ok(path);
	ck_assert_int_eq(t->nr_cpus, 384);
	ck_assert_int_eq(t->nr_nodes, 2);
	ck_assert_int_eq(t->nr_llcs, 24);
	for (int l = 0; l < t->nr_llcs; l++)
		ck_assert_int_eq(t->llc[l].nr_cpus, 16);
	ck_assert_uint_eq(t->llc[0].size_bytes, 32 * MiB);
	/* no distances in the file: 10/20 fallback */
	ck_assert(t->dist_fallback);
	check_invariants(t);
	topo_free(t);
}
END_TEST

START_TEST(test_real_spr_max)
{
	char path[1024];
	struct topo *t;

	snprintf(path, sizeof(path), "%s/tests/fixtures/Intel-SapphireRapids-2xXeonMax9460.xml", srcdir());
	t = load_ok(path);
	ck_assert_int_eq(t->nr_cpus, 160);
	ck_assert_int_eq(t->nr_pkgs, 2);
	ck_assert_int_eq(t->nr_nodes, 1);
	/* one node spanning both packages: the LLC is still the package's L3 */
	ck_assert_int_eq(t->nr_llcs, 2);
	ck_assert(cpumask_equal(&t->llc[0].cpus, &t->pkg[0].cpus));
	ck_assert(cpumask_equal(&t->llc[1].cpus, &t->pkg[1].cpus));
	check_invariants(t);
	topo_free(t);
}
END_TEST

static void expect_error(const char *file, const char *word)
{
	char path[1024];
	struct topo *t = (struct topo *)1;
	struct diag err = { "" };

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", srcdir(), file);
	ck_assert_int_eq(topo_load(path, NULL, &t, &err), -1);
	ck_assert_ptr_null(t);
	ck_assert_msg(strstr(err.msg, file) != NULL, "message '%s' does not name %s", err.msg, file);
	ck_assert_msg(strstr(err.msg, word) != NULL, "message '%s' lacks '%s'", err.msg, word);
	ck_assert(strchr(err.msg, '\n') == NULL);
}

START_TEST(test_errors)
{
	const char *dirs[] = { "/nonexistent-dir", NULL };
	struct topo *t;
	struct diag err;

	expect_error("no-such-file.xml", "No such file");
	expect_error("truncated.xml", "hwloc XML");
	expect_error("not-hwloc.xml", "hwloc XML");
	ck_assert_int_eq(topo_load("no-such-machine", dirs, &t, &err), -1);
	ck_assert(strstr(err.msg, "no-such-machine") != NULL);
	ck_assert_int_eq(topo_load("synthetic:pack:2 bogus:3", NULL, &t, &err), -1);
	ck_assert(strstr(err.msg, "bogus") != NULL);
	ck_assert_int_eq(topo_load("", NULL, &t, &err), -1);
}
END_TEST

static Suite *topo_suite(void)
{
	Suite *s = suite_create("topo");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_shipped, 0, (int)(sizeof(shipped) / sizeof(shipped[0])));
	tcase_add_test(tc, test_snc3_asymmetric);
	tcase_add_test(tc, test_capacity_rules);
	tcase_add_test(tc, test_hybrid_lnl);
	tcase_add_test(tc, test_asym_llc_7950x3d);
	tcase_add_test(tc, test_synthetic);
	tcase_add_test(tc, test_one_cpu);
	tcase_add_test(tc, test_new_simple);
	tcase_add_test(tc, test_real_genoa);
	tcase_add_test(tc, test_real_spr_max);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(topo_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
