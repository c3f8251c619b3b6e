/*
 * Scheduling-domain hierarchy built from a topology the way Linux v6.15's
 * kernel/sched/topology.c / arch/x86 smpboot.c build it (CAS.md §6, TOPOLOGIES.md §1):
 *
 *   SMT (SD_SHARE_CPUCAPACITY|SD_SHARE_LLC)  -> CLS (SD_CLUSTER|SD_SHARE_LLC,
 *   when an L2 is shared by several cores)   -> MC (SD_SHARE_LLC: the LLC)
 *   -> PKG (x86 cpu_cpu_mask = the CPU's NUMA node; dropped when a package
 *   holds several nodes: x86_has_numa_in_package) -> NODE (distance 10)
 *   -> NUMA (one level per further distinct distance, SD_NUMA|SD_SERIALIZE).
 *
 * Degenerate levels (same span as the child, or a single CPU) are removed
 * per CPU as sd_degenerate()/sd_parent_degenerate() do.
 *
 * This is the immutable template: spans, groups, flags and sd_init()
 * defaults.  The scheduler keeps the mutable per-CPU balancing state
 * (balance_interval, nr_balance_failed, ...) in its own struct.
 */
#ifndef CASSIM_SCHED_SD_H
#define CASSIM_SCHED_SD_H

#include "base/cpumask.h"
#include "base/diag.h"
#include "hw/topo.h"

/* Kernel SD_* flags (include/linux/sched/sd_flags.h), same meaning. */
enum {
	SD_BALANCE_NEWIDLE = 1 << 0,
	SD_BALANCE_EXEC = 1 << 1,
	SD_BALANCE_FORK = 1 << 2,
	SD_BALANCE_WAKE = 1 << 3,
	SD_WAKE_AFFINE = 1 << 4,
	SD_ASYM_CPUCAPACITY = 1 << 5,
	SD_ASYM_CPUCAPACITY_FULL = 1 << 6,
	SD_SHARE_CPUCAPACITY = 1 << 7,
	SD_CLUSTER = 1 << 8,
	SD_SHARE_LLC = 1 << 9,
	SD_SERIALIZE = 1 << 10,
	SD_ASYM_PACKING = 1 << 11,
	SD_PREFER_SIBLING = 1 << 12,
	SD_OVERLAP = 1 << 13,
	SD_NUMA = 1 << 14,
	SD_NR_FLAGS = 15,
};

/* Name of flag bit @bit ("SD_SHARE_LLC"); NULL past the last. */
const char *sd_flag_name(int bit);

/* A group of a domain: a set of CPUs balanced as one unit. */
struct sd_group_tmpl {
	struct cpumask span;
	int weight;
	int first_cpu;      /* group_balance_cpu(): first CPU of the span */
	int last_cpu;       /* last CPU of the span */
	int id;             /* the span's number among the distinct group spans */
};

/* Every CPU of group @g, in increasing order. */
#define for_each_group_cpu(cpu, g) for_each_cpu_span(cpu, &(g)->span, (g)->first_cpu, (g)->last_cpu)

struct sd_tmpl {
	char name[8];       /* "SMT", "CLS", "MC", "PKG", "NODE", "NUMA" */
	int level;          /* index of the topology level (0 = bottom) */
	int numa_distance;  /* NODE/NUMA levels: the distance this level spans; else 0 */
	unsigned flags;
	struct cpumask span;
	int span_weight;
	/* sd_init() defaults (times in ms as in the kernel) */
	int min_interval, max_interval, busy_factor, imbalance_pct, cache_nice_tries;
	int imb_numa_nr;    /* allowed NUMA idle imbalance (0 below the first level above the LLC) */
	int nr_groups;
	struct sd_group_tmpl *groups; /* groups[0] contains the owning CPU */
	int *gids;          /* [nr_groups]: groups[i].id, in one cache line or a few */
	bool groups_in_span;/* every group lies inside span (overlapping NUMA groups may not) */
	struct sd_tmpl *parent, *child;
};

struct sd_topology {
	int nr_cpus;
	int nr_levels;            /* distinct non-degenerate level names over all CPUs */
	struct sd_tmpl **base;    /* [nr_cpus]: bottom domain of each CPU (NULL for a 1-CPU machine) */
	struct sd_tmpl **llc;     /* [nr_cpus]: highest SD_SHARE_LLC domain (kernel sd_llc), or NULL */
	int node_distance_used;   /* 1 if distances were averaged for domain building (GNR/CWF SNC3) */
	/* the distinct group spans of all domains (sd_group_tmpl.id numbers
	 * them) and, for each CPU, the ids of those containing it:
	 * cpu_gids[cpu_gids_off[c] .. cpu_gids_off[c + 1] - 1] */
	int nr_gids;
	/* [nr_gids]: one group of each span; every CPU's domains read the same
	 * copy through it (sd_tmpl.gids), which stays in the cache */
	const struct sd_group_tmpl **gid_group;
	int *cpu_gids_off;        /* [nr_cpus + 1] */
	int *cpu_gids;
	/* storage */
	struct sd_tmpl *doms;
	int nr_doms;
};

int sd_build(const struct topo *t, struct sd_topology **out, struct diag *err);
void sd_free(struct sd_topology *s);

#define for_each_domain_tmpl(sd, base) for (struct sd_tmpl *sd = (base); sd; sd = sd->parent)

#endif
