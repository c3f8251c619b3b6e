/*
 * Unit tests for --set routing (sim/study/sets.c): the namespace of a key
 * (scheduler tunable before the policy's, the machine model, else the
 * workload), which policies of a study a key goes to, and the what-if check
 * validate applies.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "policies/policy.h"
#include "study/sets.h"
#include "harness.h"

START_TEST(test_namespace)
{
	const struct policy *cfs = policy_find("cfs"), *merged = policy_find("cas-merged");

	ck_assert_ptr_nonnull(merged);
	ck_assert_int_eq(set_namespace("hz", cfs), SET_SCHED);
	ck_assert_int_eq(set_namespace("hz", merged), SET_SCHED);
	ck_assert_int_eq(set_namespace("aggr_tolerance", merged), SET_POLICY);
	/* cfs has no such tunable: it falls to the workload (the run reports it) */
	ck_assert_int_eq(set_namespace("aggr_tolerance", cfs), SET_WORKLOAD);
	ck_assert_int_eq(set_namespace("aggr_tolerance", NULL), SET_WORKLOAD);
	ck_assert_int_eq(set_namespace("ipi_ns", merged), SET_PROFILE);
	ck_assert_int_eq(set_namespace("threads", merged), SET_WORKLOAD);
}
END_TEST

START_TEST(test_applies)
{
	const struct policy *cfs = policy_find("cfs"), *merged = policy_find("cas-merged");
	const struct policy *both[] = { cfs, merged }, *only_cfs[] = { cfs };

	/* a tunable some listed policy has goes to those only */
	ck_assert(!set_applies("aggr_tolerance", cfs, both, 2));
	ck_assert(set_applies("aggr_tolerance", merged, both, 2));
	/* ... and to every policy when none of them has it (the run says it is unknown) */
	ck_assert(set_applies("aggr_tolerance", cfs, only_cfs, 1));
	/* scheduler tunables, machine-model values and workload parameters go to all */
	ck_assert(set_applies("hz", cfs, both, 2) && set_applies("hz", merged, both, 2));
	ck_assert(set_applies("ipi_ns", cfs, both, 2));
	ck_assert(set_applies("threads", cfs, both, 2));
}
END_TEST

START_TEST(test_check_model)
{
	struct diag err = { { 0 } };

	ck_assert_int_eq(set_check_model("ipi_ns", "500", &err), 0);
	ck_assert_int_eq(set_check_model("hz", "250", &err), 0);
	ck_assert_int_eq(set_check_model("ipi_ns", "-1", &err), -1);
	ck_assert_msg(strstr(err.msg, "out of range"), "%s", err.msg);
	ck_assert_int_eq(set_check_model("llc_overload_pct", "1", &err), -1);
	ck_assert_msg(strstr(err.msg, "a revision tunable"), "%s", err.msg);
	ck_assert_int_eq(set_check_model("threads", "2", &err), -1);
	ck_assert_msg(strstr(err.msg, "not a machine-model value"), "%s", err.msg);
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("sets", &tc, 10);

	tcase_add_test(tc, test_namespace);
	tcase_add_test(tc, test_applies);
	tcase_add_test(tc, test_check_model);
	return harness_run(s);
}
