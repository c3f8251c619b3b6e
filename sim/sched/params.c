/* The --set table of the stock scheduler's tunables (params.h); defaults
 * are those of Linux v6.15. */
#include "sched/params.h"

#include <stddef.h>

const struct param_def sched_param_defs[] = {
#define X(name, type, def, lo, hi, unit, help) \
	{ #name, type, offsetof(struct sched_params, name), def, lo, hi, unit, help },
	SCHED_PARAMS(X)
#undef X
};

const size_t sched_nr_param_defs = ARRAY_SIZE(sched_param_defs);

void sched_params_defaults(struct sched_params *p)
{
	param_defaults(sched_param_defs, sched_nr_param_defs, p);
}
