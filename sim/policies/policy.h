/*
 * The policy registry: a policy is a name, a one-line description and a
 * set of hooks (sched/hooks.h).  "cfs" is the stock kernel: no hooks.  The
 * cache-aware revisions register here too, as entries of one feature table.
 */
#ifndef CASSIM_POLICIES_POLICY_H
#define CASSIM_POLICIES_POLICY_H

#include "sched/hooks.h"

struct policy {
	const char *name;
	const char *description;
	const struct sched_hooks *hooks; /* NULL: stock behaviour */
};

const struct policy *policy_find(const char *name);
/* All registered policies, in registration order; sets *nr. */
const struct policy *const *policy_list(int *nr);

extern const struct policy policy_cfs;

#endif
