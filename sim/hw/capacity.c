/* Per-CPU capacity from hwloc CPU kinds: see capacity.h for the rules and
 * the kernel code each one mirrors. */
#include "hw/capacity.h"

#include "base/types.h"

/* SCHED_CAPACITY_SHIFT / _SCALE (sched/pelt.h), restated: hw/ sits below sched/ */
#define CAP_SHIFT 10
#define CAP_SCALE (1u << CAP_SHIFT)

#define INTEL_PSTATE_CORE_SCALING 100000u  /* kHz per perf unit: intel_pstate core_get_scaling() */
#define HYBRID_SCALING_FACTOR_ADL 78741u   /* intel_pstate.c, v6.15 */
#define HYBRID_SCALING_FACTOR_MTL 80000u
#define HYBRID_SCALING_FACTOR_LNL 86957u

unsigned intel_hybrid_scaling_factor(int model)
{
	/* intel_pstate.c intel_hybrid_scaling_factor[] (v6.15) */
	switch (model) {
	case 0xAA: /* INTEL_METEORLAKE_L */
		return HYBRID_SCALING_FACTOR_MTL;
	case 0xBD: /* INTEL_LUNARLAKE_M */
		return HYBRID_SCALING_FACTOR_LNL;
	default:   /* ADL/RPL in the table; others [E] */
		return HYBRID_SCALING_FACTOR_ADL;
	}
}

/* HWP highest_perf that intel_pstate reports as @mhz on a CPU of @type. */
static unsigned long hwp_highest_perf(unsigned mhz, enum core_type type, int model)
{
	unsigned long scaling = type == CORE_TYPE_INTEL_CORE ? intel_hybrid_scaling_factor(model)
							     : INTEL_PSTATE_CORE_SCALING;

	return ((unsigned long)mhz * 1000 + scaling - 1) / scaling;
}

void cpu_capacity_from_kinds(const struct cpukind_desc *k, int nr, int x86_model, bool smt_active,
			     unsigned *cap)
{
	bool all_lc = nr > 0, hybrid = nr > 1;
	unsigned long v[64], max = 0;

	for (int i = 0; i < nr; i++) {
		all_lc = all_lc && k[i].linux_capacity > 0;
		hybrid = hybrid && k[i].core_type != CORE_TYPE_NONE && k[i].freq_max_mhz > 0;
	}
	if (nr > (int)(sizeof(v) / sizeof(v[0])) || (!all_lc && (!hybrid || smt_active))) {
		for (int i = 0; i < nr; i++)
			cap[i] = CAP_SCALE;
		return;
	}
	for (int i = 0; i < nr; i++) {
		v[i] = all_lc ? k[i].linux_capacity
			      : hwp_highest_perf(k[i].freq_max_mhz, k[i].core_type, x86_model);
		max = MAX(max, v[i]);
	}
	/* arch_set_cpu_capacity(): div_u64(cap << SCHED_CAPACITY_SHIFT, max_cap) */
	for (int i = 0; i < nr; i++)
		cap[i] = (unsigned)((v[i] << CAP_SHIFT) / max);
}
