/*
 * Policy modules: `--policy-module PATH.so` loads a shared object that
 * registers one or more policies through the same hook interface as the
 * built-in ones, from the installed header <cassim/policy.h>.
 *
 * A module exports
 *	const int cassim_module_abi = CASSIM_MODULE_ABI;
 *	int cassim_module_init(int (*register_policy)(const struct policy *));
 * cassim refuses a module whose ABI differs (built against another
 * version of the hook interface) with a message naming both versions.
 */
#ifndef CASSIM_POLICIES_MODULE_H
#define CASSIM_POLICIES_MODULE_H

#include "base/diag.h"
#include "policies/policy.h"

/* The module ABI: the hook interface version (sched/hooks.h). */
#define CASSIM_MODULE_ABI SCHED_HOOKS_VERSION

/* Load @path and let it register its policies.  -1 with @err set (path,
 * dlerror, missing symbols, ABI mismatch, init failure, name clash). */
int policy_module_load(const char *path, struct diag *err);

#endif
