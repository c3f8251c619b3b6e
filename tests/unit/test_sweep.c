/*
 * Unit tests for sweep plans (sim/study/sweep_plan.c): expansion order and
 * counts, --set routing by policy, job ids (stable under reordering, a
 * golden value so that a change of the hash, which would orphan every
 * existing result directory, is deliberate), mmtests strides on a
 * synthetic machine, filters, and bad plans refused with file:line:col
 * and the field.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "study/sweep.h"

static const char *const no_dirs[] = { NULL };

#define SYN "synthetic:pack:2 numa:1 l3:2 core:3 pu:2" /* smt 2, LLC 6, node 12, all 24 CPUs */

static struct sweep_plan *parse_ok(const char *text)
{
	struct sweep_plan *p;
	struct diag err = { { 0 } };

	diag_quiet_warnings(1);
	ck_assert_msg(!sweep_plan_parse("plan.json", text, strlen(text), no_dirs, &p, &err), "%s", err.msg);
	return p;
}

/* The message of a refused plan. */
static const char *parse_bad(const char *text)
{
	static struct diag err;
	struct sweep_plan *p = NULL;

	memset(&err, 0, sizeof(err));
	diag_quiet_warnings(1);
	ck_assert_int_eq(sweep_plan_parse("plan.json", text, strlen(text), no_dirs, &p, &err), -1);
	ck_assert_ptr_null(p);
	return err.msg;
}

static int axis(const struct sweep_plan *p, const char *name)
{
	for (int a = 0; a < p->nr_axes; a++)
		if (!strcmp(p->axes[a].name, name))
			return a;
	ck_abort_msg("no axis %s", name);
	return -1;
}

static const char *const PLAN =
	"{\"topologies\": [\"t1\", \"t2\"],\n"
	" \"workloads\": [{\"workload\": \"schbench\", \"params\": {\"workers\": [2, 4], \"sleep\": [\"100us\"]}},\n"
	"               \"pingpong\"],\n"
	" \"policies\": [\"cfs\", \"cas-v4\"],\n"
	" \"set\": {\"aggr_tolerance\": [1, 4], \"hz\": [250, 1000]},\n"
	" \"seeds\": 2, \"duration\": \"20ms\"}\n";

START_TEST(test_expand_order)
{
	struct sweep_plan *p = parse_ok(PLAN);
	int aw = axis(p, "workers"), as = axis(p, "sleep"), at = axis(p, "aggr_tolerance"), ah = axis(p, "hz");
	const struct sweep_job *j;

	/* per topology: schbench 2 x (cfs 2 hz + cas-v4 2 hz x 2 tol) x 2 seeds = 24,
	 * pingpong (2 + 4) x 2 = 12 */
	ck_assert_int_eq(p->nr_jobs, 2 * (24 + 12));
	ck_assert_int_eq(p->nr_axes, 4);
	ck_assert(aw == 0 && as == 1 && at == 2 && ah == 3); /* parameters first, then set keys */
	ck_assert(!p->axes[aw].is_set && p->axes[at].is_set);
	ck_assert_int_eq(p->duration, 20000000);
	ck_assert_str_eq(p->baseline, "cfs");

	j = &p->jobs[0];
	ck_assert_str_eq(j->topology, "t1");
	ck_assert_str_eq(j->workload, "schbench");
	ck_assert_str_eq(j->policy, "cfs");
	ck_assert_str_eq(j->values[aw], "2");
	ck_assert_str_eq(j->values[as], "100us");
	ck_assert_ptr_null(j->values[at]); /* a cas-v4 tunable: not cfs's */
	ck_assert_str_eq(j->values[ah], "250"); /* a scheduler tunable: every policy's */
	ck_assert_uint_eq(j->seed, 1);
	ck_assert_uint_eq(p->jobs[1].seed, 2);
	ck_assert_str_eq(p->jobs[2].values[ah], "1000");
	/* then cas-v4: tolerance outer, hz inner, seeds innermost */
	j = &p->jobs[4];
	ck_assert_str_eq(j->policy, "cas-v4");
	ck_assert_str_eq(j->values[at], "1");
	ck_assert_str_eq(j->values[ah], "250");
	ck_assert_str_eq(p->jobs[6].values[ah], "1000");
	ck_assert_str_eq(p->jobs[8].values[at], "4");
	/* workers = 4 after every policy of workers = 2 */
	ck_assert_str_eq(p->jobs[12].values[aw], "4");
	ck_assert_str_eq(p->jobs[12].policy, "cfs");
	/* pingpong has no workers */
	j = &p->jobs[24];
	ck_assert_str_eq(j->workload, "pingpong");
	ck_assert_ptr_null(j->values[aw]);
	ck_assert_str_eq(p->jobs[36].topology, "t2");
	for (int k = 0; k < p->nr_jobs; k++)
		ck_assert_int_eq(p->jobs[k].index, k);
	/* distinct values per axis, in order */
	ck_assert_int_eq(p->axes[at].nr_values, 2);
	ck_assert_str_eq(p->axes[ah].values[1], "1000");
	sweep_plan_free(p);
}
END_TEST

START_TEST(test_ids)
{
	static const char *const reordered =
		"{\"duration\": \"20ms\", \"seeds\": [1, 2],\n"
		" \"set\": {\"hz\": [1000, 250], \"aggr_tolerance\": [4, 1]},\n"
		" \"policies\": [\"cas-v4\", \"cfs\"],\n"
		" \"workloads\": [\"pingpong\", {\"params\": {\"sleep\": [\"100us\"], \"workers\": [\"4\", 2]}, \"workload\": \"schbench\"}],\n"
		" \"topologies\": [\"t2\", \"t1\"]}\n";
	struct sweep_plan *p = parse_ok(PLAN), *q = parse_ok(reordered);

	ck_assert_int_eq(p->nr_jobs, q->nr_jobs);
	for (int k = 0; k < p->nr_jobs; k++) {
		const struct sweep_job *j = &p->jobs[k], *m = sweep_plan_find(q, j->id);

		ck_assert_int_eq((int)strlen(j->id), SWEEP_ID_LEN);
		ck_assert_int_eq((int)strspn(j->id, "0123456789abcdef"), SWEEP_ID_LEN);
		ck_assert_msg(m != NULL, "job %d (%s) has no twin in the reordered plan", k, j->id);
		ck_assert(json_equal(j->spec, m->spec));
		for (int i = 0; i < k; i++)
			ck_assert_str_ne(p->jobs[i].id, j->id);
	}
	ck_assert_str_ne(p->jobs[0].id, q->jobs[0].id); /* the order did change */
	/* golden: FNV-1a 64 of job 0's canonical spec, top 48 bits, as python3
	 * computes it from {"duration":20000000,"params":{"sleep":"100us",
	 * "workers":"2"},"policy":"cfs","seed":1,"set":{"hz":"250"},
	 * "topology":"t1","workload":"schbench"} */
	ck_assert_str_eq(json_string_value(json_object_get(p->jobs[0].spec, "workload")), "schbench");
	ck_assert_str_eq(p->jobs[0].id, "e4d341dfb5ea");
	sweep_plan_free(p);
	sweep_plan_free(q);
}
END_TEST

START_TEST(test_strides)
{
	struct sweep_plan *p = parse_ok(
		"{\"topologies\": [\"" SYN "\", \"synthetic:pack:1 l3:1 core:4 pu:1\"],\n"
		" \"workloads\": [{\"workload\": \"w\", \"params\": {\"threads\": [\"stride:smt,llc,node,pkg,machine\", 6]}}],\n"
		" \"policies\": [\"cfs\"], \"seeds\": 1}");
	static const char *const want[] = { "2", "6", "12", "24", /* 6 again: dropped */
					    "1", "4" /* llc = node = pkg = machine, 6 */, "6" };

	ck_assert_int_eq(p->nr_jobs, 7);
	for (int k = 0; k < 7; k++)
		ck_assert_str_eq(p->jobs[k].values[0], want[k]);
	ck_assert_str_eq(p->jobs[4].topology, "synthetic:pack:1 l3:1 core:4 pu:1");
	sweep_plan_free(p);
}
END_TEST

START_TEST(test_filters)
{
	struct sweep_plan *p = parse_ok(
		"{\"topologies\": [\"t\"], \"workloads\": [{\"workload\": \"w\", \"params\": {\"n\": [1, 2, 3]}}],\n"
		" \"policies\": [\"cfs\", \"cas-v4\"], \"set\": {\"aggr_tolerance\": [1, 4]}, \"seeds\": [7, 9],\n"
		" \"filters\": {\"include\": [{\"n\": [1, 3]}],\n"
		"             \"exclude\": [{\"policy\": \"cas-v4\", \"aggr_tolerance\": 4, \"n\": 3}, {\"seed\": 9, \"policy\": \"cfs\"}]}}");
	int an = axis(p, "n"), at = axis(p, "aggr_tolerance");

	/* n in {1, 3}: cfs 1 seed (7) + cas-v4 2 tol x 2 seeds, minus tol 4 at n 3 */
	ck_assert_int_eq(p->nr_jobs, (1 + 4) + (1 + 2));
	for (int k = 0; k < p->nr_jobs; k++) {
		const struct sweep_job *j = &p->jobs[k];
		ck_assert_str_ne(j->values[an], "2");
		ck_assert(!(!strcmp(j->policy, "cfs") && j->seed == 9));
		ck_assert(!(!strcmp(j->values[an], "3") && j->values[at] && !strcmp(j->values[at], "4")));
	}
	ck_assert_int_eq(p->nr_filtered, 3 * 6 - 8);
	sweep_plan_free(p);
}
END_TEST

static void bad_has(const char *plan, const char *want)
{
	const char *msg = parse_bad(plan);
	ck_assert_msg(strstr(msg, want) != NULL, "message '%s' lacks '%s'", msg, want);
}

START_TEST(test_bad_plans)
{
	bad_has("{\"topologies\": [\"t\"],\n \"workloads\": [\"w\"], \"policies\": [\"cfs\"], \"seeds\": 1,\n \"sed\": 2}",
		"plan.json:3:2: sed: unknown key");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\"], \"policies\": [\"cfs\"], \"seeds\": 1,", "plan.json:1:");
	bad_has("{\"topologies\": [], \"workloads\": [\"w\"], \"policies\": [\"cfs\"], \"seeds\": 1}",
		"topologies: expected a non-empty array");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\"], \"policies\": [\"cfs\", \"cfx\"], \"seeds\": 1}",
		"policies[1]: unknown policy 'cfx'");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\"], \"policies\": [\"cfs\"], \"seeds\": 0}", "seeds: 0");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\"], \"policies\": [\"cfs\"]}", "seeds: missing");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [{\"workload\": \"w\", \"params\": {\"n\": []}}], \"policies\": [\"cfs\"], \"seeds\": 1}",
		"workloads[0].params.n: expected a non-empty array");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [{\"workload\": \"w\", \"params\": {\"n\": [{}]}}], \"policies\": [\"cfs\"], \"seeds\": 1}",
		"workloads[0].params.n[0]: expected a number or a non-empty string");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [{\"workload\": \"w\", \"parms\": {}}], \"policies\": [\"cfs\"], \"seeds\": 1}",
		"workloads[0].parms: unknown key");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [{\"workload\": \"w\", \"params\": {\"n\": [\"stride:llc,cache\"]}}], \"policies\": [\"cfs\"], \"seeds\": 1}",
		"unknown level 'cache'");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [{\"workload\": \"w\", \"params\": {\"n\": [1]}}], \"policies\": [\"cfs\"], \"seeds\": 1, \"set\": {\"n\": [2]}}",
		"set.n: 'n' is both a workload parameter and a set key");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\"], \"policies\": [\"cfs\"], \"seeds\": 1, \"set\": {\"seed\": [2]}}",
		"set.seed: 'seed' is a results.csv column");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\"], \"policies\": [\"cfs\"], \"seeds\": 1, \"filters\": {\"exclude\": [{\"policy\": \"cas-v4\"}]}}",
		"filters.exclude[0]: matches no job");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\"], \"policies\": [\"cfs\"], \"seeds\": 1, \"filters\": {\"exclude\": [{\"polcy\": \"cfs\"}]}}",
		"filters.exclude[0].polcy: unknown column");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\"], \"policies\": [\"cfs\"], \"seeds\": 1, \"filters\": {\"exclude\": [{\"policy\": \"cfs\"}]}}",
		"no job is left");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\", \"w\"], \"policies\": [\"cfs\"], \"seeds\": 1}",
		"the plan lists one job twice");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\"], \"policies\": [\"cfs\"], \"seeds\": 1, \"duration\": \"soon\"}",
		"duration: expected a positive time");
	bad_has("{\"topologies\": [\"t\"], \"workloads\": [\"w\"], \"policies\": [\"cfs\"], \"seeds\": 1, \"baseline\": \"cas-v4\"}",
		"baseline: expected one of the plan's policies");
}
END_TEST

/* Slurm's --array ranges, and the --time and --mem forms sbatch takes. */
START_TEST(test_slurm_values)
{
	static const bool set[] = { 1, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 1, 0 };
	static const bool none[3], one[] = { 0, 0, 1 };
	struct sweep_slurm_opts o;
	struct diag err = { { 0 } };
	char buf[64];

	ck_assert_uint_eq(sweep_slurm_ranges(set, 14, buf, sizeof(buf)), strlen("0-3,7,9-12"));
	ck_assert_str_eq(buf, "0-3,7,9-12");
	ck_assert_uint_eq(sweep_slurm_ranges(set, 14, buf, 5), 10); /* truncated, the length in full */
	ck_assert_str_eq(buf, "0-3");
	ck_assert_uint_eq(sweep_slurm_ranges(set, 14, NULL, 0), 10);
	ck_assert_uint_eq(sweep_slurm_ranges(none, 3, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	sweep_slurm_ranges(one, 3, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2");

	for (const char *const *t = (const char *const[]){ "30", "90", "1:30", "2:00:00", "1-0", "1-12", "2-3:04",
							   "10-00:00:01", NULL }; *t; t++)
		ck_assert_msg(sweep_slurm_time_ok(*t), "%s", *t);
	for (const char *const *t = (const char *const[]){ "0", "0:00", "0:0:0", "0-0", "", "1h", "1:60", "1:00:60",
							   "1-24", "1:2:3:4", "-1", "1-", "UNLIMITED", " 5", "5 ", NULL }; *t; t++)
		ck_assert_msg(!sweep_slurm_time_ok(*t), "%s", *t);
	for (const char *const *m = (const char *const[]){ "1", "500M", "2G", "1T", "4096K", "010M", NULL }; *m; m++)
		ck_assert_msg(sweep_slurm_mem_ok(*m), "%s", *m);
	for (const char *const *m = (const char *const[]){ "0", "0G", "", "G", "1g", "1GB", "-1G", "1.5G", NULL }; *m; m++)
		ck_assert_msg(!sweep_slurm_mem_ok(*m), "%s", *m);

	sweep_slurm_defaults(&o);
	ck_assert_int_eq(o.max_array_size, 1001);
	ck_assert_int_eq(sweep_slurm_option(&o, "max-running", "0", &err), 0);
	ck_assert_int_eq(o.max_running, 0);
	ck_assert_int_eq(sweep_slurm_option(&o, "jobs-per-task", "+3", &err), -1);
	ck_assert_str_eq(err.msg, "--jobs-per-task +3: expected an integer 1..1000000");
	ck_assert_int_eq(sweep_slurm_option(&o, "partition", "short,gpu-a100", &err), 0);
	ck_assert_int_eq(sweep_slurm_option(&o, "partition", "short,", &err), -1);
	ck_assert_int_eq(sweep_slurm_option(&o, "output", "no-such-dir.x/%A_%a.out", &err), -1);
	ck_assert_str_eq(err.msg, "--output no-such-dir.x/%A_%a.out: no directory no-such-dir.x/ (Slurm does not create it)");
	ck_assert_int_eq(sweep_slurm_option(&o, "output", "%x/%a.out", &err), 0); /* a pattern in the directory: left to Slurm */
	ck_assert_int_eq(sweep_slurm_option(&o, "output", "/srv/a b/%a", &err), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sweep");
	TCase *tc = tcase_create("plan");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_expand_order);
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_strides);
	tcase_add_test(tc, test_filters);
	tcase_add_test(tc, test_bad_plans);
	tcase_add_test(tc, test_slurm_values);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
