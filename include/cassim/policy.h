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
 * What this brings in (a few of the simulator's headers, installed under
 * $(includedir)/cassim with their layout, so that their "sched/hooks.h"
 * style includes resolve: pkg-config's Cflags add -I$(includedir)/cassim):
 *
 *   policies/policy.h   struct policy, policy_find()
 *   sched/hooks.h       struct sched_hooks, SCHED_HOOKS_VERSION, verdicts
 *   base/param.h        struct param_def: tunables settable with --set;
 *                       param_find(), param_get()
 *   base/types.h        simtime_t, NSEC_PER_MSEC ...
 *   sched/api.h         the scheduler as modules see it: struct sched,
 *                       struct task, struct lb_env, struct sg_lb_stats and
 *                       the domain templates are opaque; accessors give a
 *                       CPU's util and queue, a task's process, CPU and
 *                       util, the balance's CPUs and migration type, the
 *                       topology (LLC of a CPU, CPUs of an LLC, nodes,
 *                       distances), the clock, and trace instant events
 *                       (cassim_trace_instant(), report/trace_arg.h)
 *   policies/cas_api.h  a built-in CAS revision's rules on its run state
 *                       (cas_run_fits(), cas_run_can_migrate_llc() ...),
 *                       for a module written on top of one
 *                       (examples/cas-topo-rfc/)
 *   policies/module.h   CASSIM_MODULE_ABI, the layout check
 *
 * The simulator's internal headers (sched/sched.h, sched/task.h,
 * hw/topo.h, policies/cas.h ...) are not installed: their layouts change
 * freely between versions, a module never depends on them.  The built-in
 * policies use them directly and pay nothing for the accessors.
 *
 * Functions and tables declared here are resolved from the cassim
 * executable when the module is loaded (cassim exports its symbols), so a
 * module links against nothing.  Keep the module's own functions static:
 * a non-static function named like one of cassim's is bound to cassim's.
 *
 * The ABI is the hook-interface version: a module built against headers of
 * another version is refused with a message naming both; so is one whose
 * public structures (the ones it fills in: struct policy, sched_hooks,
 * param_def, trace_arg) are laid out unlike cassim's.
 */
#ifndef CASSIM_POLICY_H
#define CASSIM_POLICY_H

#include "base/param.h"
#include "base/types.h"
#include "policies/cas_api.h"
#include "policies/module.h"
#include "policies/policy.h"
#include "sched/api.h"
#include "sched/hooks.h"

/* The two symbols a module defines, declared here so that a wrong type is
 * a compile error rather than a load-time surprise, and exported even when
 * the module is compiled with -fvisibility=hidden.  (C only: the headers
 * are not meant for C++.) */
__attribute__((visibility("default"))) extern const int cassim_module_abi;
__attribute__((visibility("default"))) int
cassim_module_init(int (*register_policy)(const struct policy *));

/* The layout of the public structures this module was compiled with,
 * checked at load (policies/module.h).  (A test defines
 * CASSIM_MODULE_LAYOUT_OWN to give a wrong one.) */
#ifndef CASSIM_MODULE_LAYOUT_OWN
__attribute__((visibility("default"), weak)) const struct cassim_module_layout cassim_module_layout =
	CASSIM_MODULE_LAYOUT;
#endif

#endif
