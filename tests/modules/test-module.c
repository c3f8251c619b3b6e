/*
 * A policy module for tests/e2e/t0010-module.sh, compiled several ways by
 * Makefile.am to exercise the loader's refusals:
 *	-DTEST_MODULE_ABI=999        built for another policy ABI (bad-abi.so)
 *	-DTEST_MODULE_NAME='"cfs"'   clashes with a built-in policy (clash.so)
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

int cassim_module_init(int (*register_policy)(const struct policy *))
{
	return register_policy(&test_policy);
}
