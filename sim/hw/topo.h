/*
 * Machine topology as the scheduler sees it, loaded through hwloc from an XML
 * file, a shipped name, a synthetic string or the host.
 *
 * CPUs are renumbered densely 0..nr_cpus-1 in OS-index order (the order
 * Linux numbers them); os_index keeps the original number for printing.
 *
 * LLC: the scheduler's last-level-cache domain, which is what Linux's
 * cpu_llc_shared_mask gives, not necessarily hwloc's L3 object: on Intel
 * with SNC the L3 spans the package but the kernel's match_llc() splits it
 * by NUMA node, so LLC = L3 cpuset AND NUMA-node cpuset (TOPOLOGIES.md §1).
 * LLC ids are dense 0..nr_llcs-1 in topology order (order of their first
 * CPU).
 */
#ifndef CASSIM_HW_TOPO_H
#define CASSIM_HW_TOPO_H

#include "base/cpumask.h"
#include "base/diag.h"
#include "base/types.h"

struct topo_cpu {
	int os_index; /* Linux CPU number */
	int core;     /* dense core id */
	int smt_index;/* position among the core's hardware threads (0..) */
	int cluster;  /* dense id of the L2 shared by several cores (CLS), or -1 */
	int llc;      /* dense LLC id */
	int node;     /* dense NUMA node id (index into topo.node[]) */
	int pkg;      /* dense package id */
	int kind;     /* hwloc CPU kind index (0 = most energy-efficient), -1 if none */
	unsigned capacity; /* arch_scale_cpu_capacity(): 1024 for the biggest CPUs (hw/capacity.h) */
};

struct topo_llc {
	struct cpumask cpus;
	int nr_cpus;
	int first_cpu;
	int node;          /* NUMA node of the first CPU */
	int pkg;
	uint64_t size_bytes;   /* effective: hw size x nr_cpus / hw_cpus (kernel sd->llc_bytes) */
	uint64_t hw_size_bytes;/* the hardware cache object's size */
	int hw_cpus;           /* CPUs sharing the hardware cache object */
	int cache_level;       /* 3 normally; 2 if the machine has no L3 */
};

struct topo_node {
	struct cpumask cpus; /* empty for memory-only nodes */
	int nr_cpus;
	int os_index;        /* Linux node number */
	int pkg;             /* -1 if it spans packages or has no CPUs */
	uint64_t mem_bytes;  /* 0 if unknown */
	char subtype[16];    /* "", "HBM", "CXL", ... from hwloc subtype */
};

struct topo_pkg {
	struct cpumask cpus;
	int nr_cpus;
};

/* A name=value pair carried by the XML (hwloc info attributes and memory
 * attributes), with the object it was attached to ("Machine", "Package:0",
 * "NUMANode:1", "memattr:Bandwidth:NUMANode:0" ...). */
struct topo_info {
	char obj[48];
	char name[64];
	char value[128];
};

struct topo {
	char name[128];   /* shipped name or file basename or "synthetic" / "host" */
	char source[512]; /* resolved path, synthetic string, or "host" */

	int nr_cpus, nr_cores, nr_pkgs, nr_nodes, nr_llcs, nr_clusters;
	int smt;          /* max hardware threads per core (1 = no SMT) */
	bool asym_capacity; /* CPUs of different capacity (hw/capacity.h) */

	struct topo_cpu *cpu;   /* [nr_cpus] */
	struct topo_llc *llc;   /* [nr_llcs] */
	struct topo_node *node; /* [nr_nodes]: dense ids in OS-index order, including memory-only nodes */
	struct topo_pkg *pkg;   /* [nr_pkgs] */
	struct cpumask *core_cpus;    /* [nr_cores]: SMT siblings of each core */
	struct cpumask *cluster_cpus; /* [nr_clusters] */

	/* NUMA distance matrix, dist[i * nr_nodes + j] from node i to node j,
	 * relative (10 = local) as in the SLIT; may be asymmetric. */
	int *dist;
	bool dist_fallback; /* no distances in the input: 10 local / 20 remote */

	/* Cache sizes per level (bytes) of CPU 0's caches: [1] = L1d, [2] = L2,
	 * [3] = L3; 0 if absent. */
	uint64_t cache_size[5];

	struct topo_info *info;
	int nr_info;
};

/*
 * Load a topology.  @spec is one of:
 *   - a path to an hwloc XML file;
 *   - a shipped name ("epyc-9755-2s-nps1"): looked up as NAME.xml in each of
 *     @search_dirs in order (NULL-terminated);
 *   - synthetic:<hwloc synthetic string> (quotes around the string allowed);
 *   - host: this machine via hwloc, NUMA distances from libnuma when hwloc
 *     has none.
 * On error fills @err (with file name and, where hwloc gives one, the
 * problem) and returns -1.  Warnings (e.g. missing distances) go through
 * diag_warn().
 */
int topo_load(const char *spec, const char *const *search_dirs, struct topo **out, struct diag *err);

/*
 * topo_load() parses XML (files and shipped names) in a forked child, so a
 * file that crashes libhwloc is an error ("FILE: ... hwloc crashed while
 * parsing (signal N, ...)"), never a crash of the caller.
 * topo_load_inproc() is the same load without that isolation, for fuzz
 * targets, which want to see such crashes.
 */
int topo_load_inproc(const char *spec, const char *const *search_dirs, struct topo **out,
		     struct diag *err);
void topo_free(struct topo *t);

/* Build a topology directly (tests): @pkgs x @llcs_per_pkg x @cores_per_llc x @smt,
 * one NUMA node per package. */
struct topo *topo_new_simple(int pkgs, int llcs_per_pkg, int cores_per_llc, int smt);

static inline int topo_distance(const struct topo *t, int from, int to)
{
	return t->dist[from * t->nr_nodes + to];
}

#endif
