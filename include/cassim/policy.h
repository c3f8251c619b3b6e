/*
 * <cassim/policy.h>: everything a cassim policy module needs.
 *
 * A policy module is a shared object loaded with
 *	cassim --policy-module ./mypolicy.so run --policy my-policy ...
 * that registers policies through the same hook interface as cassim's
 * built-in ones.  It includes this header, compiled with
 *	cc -shared -fPIC $(pkg-config --cflags cassim) -o mypolicy.so mypolicy.c
 * and exports exactly two symbols:
 *
 *	const int cassim_module_abi = CASSIM_MODULE_ABI;
 *	int cassim_module_init(int (*register_policy)(const struct policy *))
 *	{
 *		return register_policy(&my_policy);
 *	}
 *
 * What this brings in (the simulator's own headers, installed under
 * $(includedir)/cassim with their layout, so that their "sched/sched.h"
 * style includes resolve: pkg-config's Cflags add -I$(includedir)/cassim):
 *
 *   policies/policy.h  struct policy, policy_find(), policy_register()
 *   sched/hooks.h      struct sched_hooks, SCHED_HOOKS_VERSION, verdicts
 *   sched/sched.h      struct sched, struct rq, struct lb_env,
 *                      struct sg_lb_stats, struct sched_domain, cpu_util() ...
 *   sched/sd.h         the sched-domain templates (spans, groups, flags)
 *   sched/task.h       struct task (policy_data is the policy's per-task slot)
 *   sched/trace.h      sched_trace_instant(): a decision as an instant event
 *                      of `cassim run --trace` (report/trace.h: its arguments)
 *   hw/topo.h          struct topo: CPUs, LLCs, nodes, packages, distances
 *   hw/perf.h          the machine model's API
 *   base/param.h       struct param_def: tunables settable with --set
 *   policies/module.h  CASSIM_MODULE_ABI
 *   policies/cas.h     the CAS revisions' configuration (struct cas_cfg)
 *                      and rules (cas_fits(), cas_can_migrate_llc() ...),
 *                      for a module written on top of a built-in
 *                      revision (examples/cas-topo-rfc/)
 *
 * Functions and tables declared there are resolved from the cassim
 * executable when the module is loaded (cassim exports its symbols), so a
 * module links against nothing.  Keep the module's own functions static:
 * a non-static function named like one of cassim's is bound to cassim's.
 *
 * The ABI is the hook-interface version: a module built against headers of
 * another version is refused with a message naming both.
 */
#ifndef CASSIM_POLICY_H
#define CASSIM_POLICY_H

#include "base/param.h"
#include "hw/perf.h"
#include "hw/topo.h"
#include "policies/cas.h"
#include "policies/module.h"
#include "policies/policy.h"
#include "sched/hooks.h"
#include "sched/sched.h"
#include "sched/trace.h"

/* The two symbols a module defines, declared here so that a wrong type is
 * a compile error rather than a load-time surprise, and exported even when
 * the module is compiled with -fvisibility=hidden.  (C only: the headers
 * are not meant for C++.) */
__attribute__((visibility("default"))) extern const int cassim_module_abi;
__attribute__((visibility("default"))) int
cassim_module_init(int (*register_policy)(const struct policy *));

/* The layout of the structures this module was compiled with, checked at
 * load (policies/module.h).  (A test defines CASSIM_MODULE_LAYOUT_OWN to
 * give a wrong one.) */
#ifndef CASSIM_MODULE_LAYOUT_OWN
__attribute__((visibility("default"), weak)) const struct cassim_module_layout cassim_module_layout =
	CASSIM_MODULE_LAYOUT;
#endif

#endif
