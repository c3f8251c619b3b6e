/* The stock fair class: every hook empty. */
#include "policies/policy.h"

const struct policy policy_cfs = {
	.name = "cfs",
	.description = "stock CFS/EEVDF fair class (no cache-aware scheduling)",
	.hooks = NULL,
};
