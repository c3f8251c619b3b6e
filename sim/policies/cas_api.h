/*
 * What a policy module written on top of a built-in CAS revision
 * (examples/cas-topo-rfc/) may ask of that revision's run state, installed
 * with <cassim/policy.h>.  @state is what the revision's init hook stored
 * (the module wraps the revision's hooks: policy_find("cas-merged")->hooks);
 * its layout, struct cas_cfg and struct cas_mig_cfg stay internal
 * (policies/cas.h).  The revision's tunables are read by name from its
 * param table (param_find(), param_get()).
 */
#ifndef CASSIM_POLICIES_CAS_API_H
#define CASSIM_POLICIES_CAS_API_H

#include "base/types.h"

/* can_migrate_llc()'s verdict (CAS.md §2.8). */
enum cas_mig { CAS_MIG_FORBID = 0, CAS_MIG_LLC, CAS_MIG_UNRESTRICTED };

/* The preferred CPU of @proc (mm->sc_stat.cpu), -1 without one. */
int cas_debug_proc_pref_cpu(const void *state, int proc);
/* The revision's epoch (epoch_period) in whole jiffies, at least 1. */
uint64_t cas_run_epoch_jiffies(const void *state);
/* fits_llc_capacity(@util, @cap) with the revision's busy threshold. */
bool cas_run_fits(const void *state, unsigned long util, unsigned long cap);
/* can_migrate_llc() on two LLCs' statistics (src, dst: utilisation and
 * capacity; @src_ok / @dst_ok: the LLC has statistics) for a task of
 * @task_util, with the revision's thresholds; @to_pref: dst is the
 * preferred LLC. */
enum cas_mig cas_run_can_migrate_llc(const void *state, bool src_ok, unsigned long src_util,
				     unsigned long src_cap, bool dst_ok, unsigned long dst_util,
				     unsigned long dst_cap, unsigned long task_util, bool to_pref);

#endif
