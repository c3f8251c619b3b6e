/* x86 frequency invariance, Linux v6.15 (freq.h). */
#include "hw/freq.h"

#include <math.h>

#include "sched/pelt.h"

unsigned long x86_max_freq_ratio(enum fi_rule rule, unsigned long base_mhz, unsigned long turbo_mhz)
{
	unsigned long base, turbo;

	if (!base_mhz || !turbo_mhz)
		return 0;
	switch (rule) {
	case FI_INTEL:
		/* intel_set_max_freq_ratio(): base_freq = MSR_PLATFORM_INFO[15:8],
		 * turbo_freq = core_set_max_freq_ratio()'s byte 3 of
		 * MSR_TURBO_RATIO_LIMIT ("4C turbo"), both in 100 MHz bins;
		 * turbo_ratio = turbo_freq * SCHED_CAPACITY_SCALE / base_freq */
		base = (base_mhz + 50) / 100;
		turbo = (turbo_mhz + 50) / 100;
		return base ? turbo * SCHED_CAPACITY_SCALE / base : 0;
	case FI_AMD:
		/* amd_set_max_freq_ratio(): "midpoint between max_boost and
		 * max_P": (numerator * 1024 / nominal_perf + 1024) >> 1, the
		 * numerator highest_perf (amd_get_boost_ratio_numerator() on a
		 * part without preferred cores) */
		return (turbo_mhz * SCHED_CAPACITY_SCALE / base_mhz + SCHED_CAPACITY_SCALE) >> 1;
	case FI_NONE:
	default:
		return 0;
	}
}

unsigned long x86_freq_scale(unsigned long run_mhz, unsigned long base_mhz, unsigned long max_ratio)
{
	uint64_t acnt = (uint64_t)run_mhz << (2 * SCHED_CAPACITY_SHIFT);
	uint64_t mcnt = (uint64_t)base_mhz * max_ratio, scale;

	if (!mcnt) /* scale_freq_tick()'s error path: invariance off */
		return SCHED_CAPACITY_SCALE;
	scale = acnt / mcnt;
	if (!scale)
		return SCHED_CAPACITY_SCALE;
	return scale > SCHED_CAPACITY_SCALE ? SCHED_CAPACITY_SCALE : (unsigned long)scale;
}

static unsigned long mhz(double ghz)
{
	return ghz > 0 ? (unsigned long)lround(ghz * 1000) : 0;
}

unsigned long profile_freq_scale(const struct machine_profile *p)
{
	unsigned long base = mhz(p->v[MP_base_ghz]);
	unsigned long ratio = x86_max_freq_ratio((enum fi_rule)lround(p->v[MP_fi_rule]), base,
						 mhz(p->v[MP_turbo_ghz]));

	return x86_freq_scale(mhz(p->v[MP_freq_ghz]), base, ratio);
}
