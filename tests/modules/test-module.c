/*
 * A policy module for tests/e2e/t0010-module.sh, compiled several ways by
 * Makefile.am to exercise the loader's refusals:
 *	-DTEST_MODULE_ABI=999        built for another policy ABI (bad-abi.so)
 *	-DTEST_MODULE_NAME='"cfs"'   clashes with a built-in policy (clash.so)
 *	-DCASSIM_MODULE_LAYOUT_OWN   structures laid out unlike cassim's, as
 *	                             headers changed without an ABI bump
 *	                             would give (bad-layout.so)
 * Without either it registers "test-noop", a policy with no hooks.
 */
#include <cassim/policy.h>

#ifndef TEST_MODULE_ABI
#define TEST_MODULE_ABI CASSIM_MODULE_ABI
#endif
#ifndef TEST_MODULE_NAME
#define TEST_MODULE_NAME "test-noop"
#endif

static const struct policy test_policy = {
	.name = TEST_MODULE_NAME,
	.description = "test module: stock behaviour under another name",
};

const int cassim_module_abi = TEST_MODULE_ABI;

#ifdef CASSIM_MODULE_LAYOUT_OWN
/* struct sched_hooks one word larger than cassim's */
const struct cassim_module_layout cassim_module_layout = {
	.policy = sizeof(struct policy), .sched_hooks = sizeof(struct sched_hooks) + sizeof(long),
	.param_def = sizeof(struct param_def), .trace_arg = sizeof(struct trace_arg),
};
#endif

int cassim_module_init(int (*register_policy)(const struct policy *))
{
	return register_policy(&test_policy);
}
