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
#include "report/trace_arg.h"

/* The module ABI: the hook interface version (sched/hooks.h). */
#define CASSIM_MODULE_ABI SCHED_HOOKS_VERSION

/*
 * The sizes of the structures a module fills in or builds (its policy,
 * hook set, tunables, trace arguments), as the headers the module was
 * compiled with laid them out.  Everything else a module sees is opaque
 * (sched/api.h), so these are the only layouts in the module ABI.
 * <cassim/policy.h> defines the module's copy, cassim_module_layout (weak:
 * a module of several files has one); cassim refuses a module whose sizes
 * differ from its own, a header changed without an ABI bump.  A module
 * without the symbol (built before it existed) is not checked.
 */
struct cassim_module_layout {
	unsigned policy, sched_hooks, param_def, trace_arg;
};
#define CASSIM_MODULE_LAYOUT                                                                            \
	{ sizeof(struct policy), sizeof(struct sched_hooks), sizeof(struct param_def),                  \
	  sizeof(struct trace_arg) }

/* Load @path and let it register its policies.  -1 with @err set (path,
 * dlerror, missing symbols, ABI mismatch, init failure, name clash). */
int policy_module_load(const char *path, struct diag *err);

#endif
