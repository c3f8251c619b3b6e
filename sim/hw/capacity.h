/*
 * Per-CPU capacity (the kernel's arch_scale_cpu_capacity()) derived from the
 * CPU kinds hwloc reports (hwloc_cpukinds_get_info(): efficiency rank and
 * the infos FrequencyMaxMHz, CoreType, LinuxCapacity), the way Linux sets it:
 *
 *  1. Every kind carries LinuxCapacity (hwloc read sysfs cpu_capacity, i.e.
 *     arm64/riscv arch_topology.c topology_normalize_cpu_scale()): use it,
 *     normalised to 1024 for the biggest kind.
 *  2. Intel hybrid (several kinds, each with CoreType IntelCore / IntelAtom)
 *     and no SMT: drivers/cpufreq/intel_pstate.c hybrid_init_cpu_capacity_scaling()
 *     (v6.12+, unchanged in v6.15) enables asymmetric capacity only when
 *     !sched_smt_active(); hybrid_set_cpu_capacity() then calls
 *     arch_set_cpu_capacity() (arch/x86/kernel/cpu/aperfmperf.c), which stores
 *     capacity = (highest_perf << SCHED_CAPACITY_SHIFT) / max highest_perf.
 *     highest_perf is HWP's highest performance level; intel_pstate turns it
 *     into cpuinfo_max_freq (FrequencyMaxMHz) as rounddown(perf * scaling,
 *     100 MHz), with scaling = core_get_scaling() = 100000 kHz per unit on
 *     E-cores (IntelAtom) and the per-model hybrid_scaling_factor on P-cores
 *     (IntelCore): HYBRID_SCALING_FACTOR_ADL 78741 (Alder/Raptor Lake, and
 *     the fallback here for models not in the table [E]), _MTL 80000 (Meteor
 *     Lake), _LNL 86957 (Lunar Lake).  The inverse used here:
 *     perf = ceil(kHz / scaling), exact whenever the maximum frequency is a
 *     multiple of 100 MHz.
 *  3. Otherwise every CPU has SCHED_CAPACITY_SCALE (1024): x86 without hybrid
 *     capacity scaling, which includes AMD (its hybrid parts use
 *     SD_ASYM_PACKING, not asymmetric capacity: CAS-after-merge.md §2.2) and
 *     Intel hybrid with SMT on (ITMT asym packing instead, not modelled).
 */
#ifndef CASSIM_HW_CAPACITY_H
#define CASSIM_HW_CAPACITY_H

#include <stdbool.h>

enum core_type { CORE_TYPE_NONE = 0, CORE_TYPE_INTEL_CORE, CORE_TYPE_INTEL_ATOM };

struct cpukind_desc {
	unsigned freq_max_mhz;     /* FrequencyMaxMHz, 0 if absent */
	enum core_type core_type;  /* CoreType */
	unsigned linux_capacity;   /* LinuxCapacity, 0 if absent */
};

/* intel_pstate's P-core kHz per HWP performance unit for x86 model @model
 * (family 6). */
unsigned intel_hybrid_scaling_factor(int model);

/* Capacity of each of @nr kinds into @cap (1..1024) by the rules above;
 * @x86_model is the package's CPUModelNumber (-1 unknown), @smt_active
 * whether any core has several hardware threads. */
void cpu_capacity_from_kinds(const struct cpukind_desc *k, int nr, int x86_model, bool smt_active,
			     unsigned *cap);

#endif
