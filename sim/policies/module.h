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

/*
 * The sizes of the structures hooks read and write, as the headers a
 * module was compiled with laid them out.  <cassim/policy.h> defines the
 * module's copy, cassim_module_layout (weak: a module of several files has
 * one); cassim refuses a module whose sizes differ from its own, a header
 * changed without an ABI bump.  A module without the symbol (built before
 * it existed) is not checked.
 */
struct cassim_module_layout {
	unsigned sched, rq, task, lb_env, sg_lb_stats, sched_domain, sd_tmpl, sd_group_tmpl, topo, policy,
		sched_hooks, cas_cfg;
};
#define CASSIM_MODULE_LAYOUT                                                                            \
	{ sizeof(struct sched), sizeof(struct rq), sizeof(struct task), sizeof(struct lb_env),          \
	  sizeof(struct sg_lb_stats), sizeof(struct sched_domain), sizeof(struct sd_tmpl),             \
	  sizeof(struct sd_group_tmpl), sizeof(struct topo), sizeof(struct policy),                    \
	  sizeof(struct sched_hooks), sizeof(struct cas_cfg) }

/* Load @path and let it register its policies.  -1 with @err set (path,
 * dlerror, missing symbols, ABI mismatch, init failure, name clash). */
int policy_module_load(const char *path, struct diag *err);

#endif
