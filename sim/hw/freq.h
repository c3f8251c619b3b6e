/*
 * x86 frequency invariance as Linux v6.15 computes it: the capacity a CPU's
 * clock gives PELT, arch_scale_freq_capacity() (arch/x86/kernel/cpu/
 * aperfmperf.c scale_freq_tick()): the tick's APERF/MPERF delta ratio (the
 * running clock over the base clock) divided by arch_max_freq_ratio (set
 * at boot: intel_set_max_freq_ratio() for Intel, amd_set_max_freq_ratio()
 * in arch/x86/kernel/acpi/cppc.c for AMD), capped at 1024.  The machine
 * model runs each family at one clock (profile freq_ghz, no DVFS), so the
 * scale is one number per machine.
 */
#ifndef CASSIM_HW_FREQ_H
#define CASSIM_HW_FREQ_H

#include "hw/profile.h"

/* profile fi_rule: how the kernel sets arch_max_freq_ratio */
enum fi_rule {
	FI_NONE = 0,  /* the kernel leaves frequency invariance off (scale 1024) */
	FI_INTEL = 1, /* turbo ratio / base ratio (intel_set_max_freq_ratio) */
	FI_AMD = 2,   /* midpoint of highest/nominal perf and 1 (amd_set_max_freq_ratio) */
};

/* arch_max_freq_ratio (<< SCHED_CAPACITY_SHIFT) from the base and turbo
 * clocks in MHz (Intel: ratios in 100 MHz bins; AMD: CPPC perf taken as
 * proportional to MHz); 0 if either is unknown. */
unsigned long x86_max_freq_ratio(enum fi_rule rule, unsigned long base_mhz, unsigned long turbo_mhz);

/* scale_freq_tick(): (acnt << 2*SCHED_CAPACITY_SHIFT) / (mcnt * max_ratio),
 * capped at 1024, for a CPU at @run_mhz (acnt) over base @base_mhz (mcnt). */
unsigned long x86_freq_scale(unsigned long run_mhz, unsigned long base_mhz, unsigned long max_ratio);

/* The scale a CPU of @p running at freq_ghz gets; 1024 when the profile
 * has no rule or no base/turbo clock (the kernel then keeps 1024). */
unsigned long profile_freq_scale(const struct machine_profile *p);

#endif
