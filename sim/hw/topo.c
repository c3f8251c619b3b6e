/*
 * Topology loading through hwloc 2.x (TOPOLOGIES.md §1, §7).
 *
 * Everything the scheduler model needs is extracted once into plain arrays
 * (struct topo) and the hwloc topology is destroyed again: nothing above
 * hw/ ever sees an hwloc object.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "hw/topo.h"
#include "hw/capacity.h"

#include "base/suggest.h"
#include "base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <hwloc.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef HAVE_LIBNUMA
#include <numa.h>
#endif

#define REMOTE_DISTANCE_FALLBACK 20
#define LOCAL_DISTANCE 10
/* Linux CPU numbers are below NR_CPUS, at most 8192 (arch/x86/Kconfig,
 * NR_CPUS_RANGE_END with MAXSMP) */
#define TOPO_MAX_OS_INDEX 8191

/* State of one extraction: the hwloc topology plus the os_index -> dense
 * CPU map used to translate every hwloc cpuset. */
struct ctx {
	hwloc_topology_t h;
	struct topo *t;
	int *os2cpu;      /* [max_os + 1], -1 if not a (kept) PU */
	int max_os;
	const char *what; /* name used in messages */
	int quiet;        /* no warnings (topo_new_simple) */
};

static void to_mask(const struct ctx *c, hwloc_const_cpuset_t set, struct cpumask *m)
{
	unsigned os;

	cpumask_clear(m);
	if (!set)
		return;
	hwloc_bitmap_foreach_begin(os, set) {
		if (os <= (unsigned)c->max_os && c->os2cpu[os] >= 0)
			cpumask_set(m, c->os2cpu[os]);
	} hwloc_bitmap_foreach_end();
}

void topo_free(struct topo *t)
{
	if (!t)
		return;
	free(t->cpu);
	free(t->llc);
	free(t->node);
	free(t->pkg);
	free(t->core_cpus);
	free(t->cluster_cpus);
	free(t->dist);
	free(t->info);
	free(t);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_obj_os(const void *a, const void *b)
{
	const hwloc_obj_t x = *(const hwloc_obj_t *)a, y = *(const hwloc_obj_t *)b;
	return (x->os_index > y->os_index) - (x->os_index < y->os_index);
}

static void add_info(struct topo *t, const char *obj, const char *name, const char *value)
{
	struct topo_info *n = xrealloc(t->info, sizeof(*n) * (size_t)(t->nr_info + 1));

	t->info = n;
	n = &t->info[t->nr_info++];
	memset(n, 0, sizeof(*n));
	snprintf(n->obj, sizeof(n->obj), "%s", obj);
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->value, sizeof(n->value), "%s", value ? value : "");
}

static void add_obj_infos(struct topo *t, hwloc_obj_t o, const char *label)
{
	for (unsigned k = 0; k < o->infos_count; k++)
		add_info(t, label, o->infos[k].name, o->infos[k].value);
}

/* Data or unified cache (instruction caches never form an LLC). */
static bool is_data_cache(hwloc_obj_t o)
{
	return hwloc_obj_type_is_cache(o->type) && !hwloc_obj_type_is_icache(o->type) &&
	       o->type != HWLOC_OBJ_MEMCACHE &&
	       o->attr->cache.type != HWLOC_OBJ_CACHE_INSTRUCTION;
}

/* CPUs: PUs dense-renumbered in os_index order (Linux CPU numbers). */
static int extract_cpus(struct ctx *c, struct diag *err)
{
	struct topo *t = c->t;
	int n = hwloc_get_nbobjs_by_type(c->h, HWLOC_OBJ_PU);
	int *os;

	if (n <= 0)
		return diag_set(err, "%s: topology has no processing units (PU objects)", c->what);
	if (n > CPUMASK_MAX_CPUS)
		return diag_set(err, "%s: %d CPUs, more than the supported %d", c->what, n, CPUMASK_MAX_CPUS);
	os = xmalloc(sizeof(*os) * (size_t)n);
	for (int i = 0; i < n; i++) {
		unsigned o = hwloc_get_obj_by_type(c->h, HWLOC_OBJ_PU, (unsigned)i)->os_index;

		/* os_index sizes the os -> CPU map; a file may omit it (hwloc then
		 * says HWLOC_UNKNOWN_INDEX) or make it huge */
		if (o > TOPO_MAX_OS_INDEX) {
			free(os);
			if (o == HWLOC_UNKNOWN_INDEX)
				return diag_set(err, "%s: a PU without os_index", c->what);
			return diag_set(err, "%s: PU os_index %u out of range (at most %d)", c->what, o,
					TOPO_MAX_OS_INDEX);
		}
		os[i] = (int)o;
	}
	qsort(os, (size_t)n, sizeof(*os), cmp_int);
	c->max_os = os[n - 1];
	c->os2cpu = xmalloc(sizeof(int) * (size_t)(c->max_os + 1));
	t->cpu = xcalloc((size_t)n, sizeof(*t->cpu));
	for (int i = 0; i <= c->max_os; i++)
		c->os2cpu[i] = -1;
	for (int i = 0; i < n; i++) {
		if (i && os[i] == os[i - 1]) {
			diag_set(err, "%s: two PUs with os_index %d", c->what, os[i]);
			free(os);
			return -1;
		}
		c->os2cpu[os[i]] = i;
		t->cpu[i].os_index = os[i];
		t->cpu[i].core = t->cpu[i].cluster = t->cpu[i].llc = -1;
		t->cpu[i].node = t->cpu[i].pkg = -1;
	}
	free(os);
	t->nr_cpus = n;
	return 0;
}

static hwloc_obj_t pu_of(const struct ctx *c, int cpu)
{
	return hwloc_get_pu_obj_by_os_index(c->h, (unsigned)c->t->cpu[cpu].os_index);
}

/* Cores (SMT siblings) and packages; dense ids in order of first CPU.  A PU
 * without a Core ancestor is its own core; no Package means one package. */
static int extract_cores_pkgs(struct ctx *c, struct diag *err)
{
	struct topo *t = c->t;

	t->core_cpus = xcalloc((size_t)t->nr_cpus, sizeof(*t->core_cpus));
	t->pkg = xcalloc((size_t)t->nr_cpus, sizeof(*t->pkg));
	for (int i = 0; i < t->nr_cpus; i++) {
		hwloc_obj_t pu = pu_of(c, i);
		if (t->cpu[i].core < 0) {
			hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(c->h, HWLOC_OBJ_CORE, pu);
			struct cpumask m;
			int id = t->nr_cores++;
			int idx = 0;

			if (core)
				to_mask(c, core->cpuset, &m);
			else {
				cpumask_clear(&m);
				cpumask_set(&m, i);
			}
			/* hwloc checks this for the files it writes, not for every
			 * file it reads */
			if (!cpumask_test(&m, i))
				return diag_set(err, "%s: PU os_index %d is not in its core's cpuset", c->what,
						t->cpu[i].os_index);
			t->core_cpus[id] = m;
			for_each_cpu(j, &m) {
				t->cpu[j].core = id;
				t->cpu[j].smt_index = idx++;
			}
			if (idx > t->smt)
				t->smt = idx;
		}
		if (t->cpu[i].pkg < 0) {
			hwloc_obj_t pk = hwloc_get_ancestor_obj_by_type(c->h, HWLOC_OBJ_PACKAGE, pu);
			struct cpumask m;
			int id = t->nr_pkgs++;

			if (pk)
				to_mask(c, pk->cpuset, &m);
			else
				to_mask(c, hwloc_get_root_obj(c->h)->cpuset, &m);
			if (!cpumask_test(&m, i))
				return diag_set(err, "%s: PU os_index %d is not in its package's cpuset", c->what,
						t->cpu[i].os_index);
			t->pkg[id].cpus = m;
			t->pkg[id].nr_cpus = cpumask_weight(&m);
			for_each_cpu(j, &m)
				t->cpu[j].pkg = id;
		}
	}
	return 0;
}

static bool is_special_mem(const struct topo_node *n)
{
	return n->subtype[0] != '\0';
}

/* NUMA nodes, dense in os_index order, memory-only ones included.  The node
 * of a CPU is the node whose cpuset contains it; when several do (DDR plus
 * HBM/CXL on SPR-Max flat mode), the one without a subtype (normal DRAM)
 * wins, as Linux's cpu_to_node() is the DRAM node there. */
static int extract_nodes(struct ctx *c, struct diag *err)
{
	struct topo *t = c->t;
	int n = hwloc_get_nbobjs_by_type(c->h, HWLOC_OBJ_NUMANODE);
	hwloc_obj_t *objs;

	if (n <= 0)
		return diag_set(err, "%s: topology has no NUMA node", c->what);
	objs = xmalloc(sizeof(*objs) * (size_t)n);
	t->node = xcalloc((size_t)n, sizeof(*t->node));
	for (int i = 0; i < n; i++)
		objs[i] = hwloc_get_obj_by_type(c->h, HWLOC_OBJ_NUMANODE, (unsigned)i);
	qsort(objs, (size_t)n, sizeof(*objs), cmp_obj_os);
	t->nr_nodes = n;
	for (int i = 0; i < n; i++) {
		struct topo_node *nd = &t->node[i];

		to_mask(c, objs[i]->cpuset, &nd->cpus);
		nd->nr_cpus = cpumask_weight(&nd->cpus);
		nd->os_index = (int)objs[i]->os_index;
		nd->mem_bytes = objs[i]->attr->numanode.local_memory;
		if (objs[i]->subtype)
			snprintf(nd->subtype, sizeof(nd->subtype), "%s", objs[i]->subtype);
		nd->pkg = -1;
		if (nd->nr_cpus) {
			int p = t->cpu[cpumask_first(&nd->cpus)].pkg;
			if (cpumask_subset(&nd->cpus, &t->pkg[p].cpus))
				nd->pkg = p;
		}
	}
	free(objs);
	for (int i = 0; i < t->nr_cpus; i++) {
		int best = -1;

		for (int k = 0; k < n; k++) {
			if (!cpumask_test(&t->node[k].cpus, i))
				continue;
			if (best < 0 || (is_special_mem(&t->node[best]) && !is_special_mem(&t->node[k])))
				best = k;
		}
		if (best < 0)
			return diag_set(err, "%s: CPU %d is in no NUMA node's cpuset", c->what,
					t->cpu[i].os_index);
		t->cpu[i].node = best;
	}
	return 0;
}

/* Clusters: an L2 shared by more than one core (Sierra Forest modules), what
 * the kernel's cpu_l2c_shared_mask / CLS level describes. */
static int extract_clusters(struct ctx *c, struct diag *err)
{
	struct topo *t = c->t;

	t->cluster_cpus = xcalloc((size_t)t->nr_cpus, sizeof(*t->cluster_cpus));
	for (int i = 0; i < t->nr_cpus; i++) {
		hwloc_obj_t l2;
		struct cpumask m;
		int id;

		if (t->cpu[i].cluster >= 0)
			continue;
		l2 = hwloc_get_ancestor_obj_by_type(c->h, HWLOC_OBJ_L2CACHE, pu_of(c, i));
		if (!l2 || !is_data_cache(l2))
			continue;
		if (hwloc_get_nbobjs_inside_cpuset_by_type(c->h, l2->cpuset, HWLOC_OBJ_CORE) <= 1)
			continue;
		to_mask(c, l2->cpuset, &m);
		id = t->nr_clusters++;
		t->cluster_cpus[id] = m;
		for_each_cpu(j, &m)
			t->cpu[j].cluster = id;
	}
	return 0;
}

static hwloc_obj_t llc_obj_of(const struct ctx *c, int cpu)
{
	hwloc_obj_t best = NULL;

	for (hwloc_obj_t o = pu_of(c, cpu)->parent; o; o = o->parent)
		if (is_data_cache(o) && (!best || o->attr->cache.depth > best->attr->cache.depth))
			best = o;
	return best;
}

/*
 * LLC = the highest data/unified cache containing the CPU, intersected with
 * the CPU's NUMA node.  This is what the kernel's cpu_llc_shared_mask ends up
 * as: match_llc() (arch/x86/kernel/smpboot.c) refuses to put two CPUs of
 * different NUMA nodes in one LLC on Intel SNC, where CPUID (and so hwloc)
 * reports one L3 per package (TOPOLOGIES.md §1.1).  On AMD the L3 (CCX) never
 * spans nodes, including "L3 as NUMA" where L3 == node, so the intersection
 * is a no-op there.  A machine with no cache at all gets one LLC per core.
 */
static int extract_llcs(struct ctx *c, struct diag *err)
{
	struct topo *t = c->t;

	t->llc = xcalloc((size_t)t->nr_cpus, sizeof(*t->llc));
	for (int i = 0; i < t->nr_cpus; i++) {
		hwloc_obj_t o;
		struct topo_llc *l;
		struct cpumask hw;
		int id;

		if (t->cpu[i].llc >= 0)
			continue;
		o = llc_obj_of(c, i);
		id = t->nr_llcs++;
		l = &t->llc[id];
		if (o) {
			to_mask(c, o->cpuset, &hw);
			l->hw_size_bytes = o->attr->cache.size;
			l->cache_level = (int)o->attr->cache.depth;
		} else {
			hw = t->core_cpus[t->cpu[i].core];
			l->hw_size_bytes = 0;
			l->cache_level = 0;
		}
		cpumask_and(&l->cpus, &hw, &t->node[t->cpu[i].node].cpus);
		cpumask_set(&l->cpus, i);
		/* only CPUs not yet placed (a CPU's own node decides its LLC) */
		for_each_cpu(j, &l->cpus) {
			if (t->cpu[j].llc >= 0 || t->cpu[j].node != t->cpu[i].node)
				cpumask_unset(&l->cpus, j);
			else
				t->cpu[j].llc = id;
		}
		l->nr_cpus = cpumask_weight(&l->cpus);
		l->first_cpu = i;
		l->node = t->cpu[i].node;
		l->pkg = t->cpu[i].pkg;
		l->hw_cpus = cpumask_weight(&hw);
		l->size_bytes = l->hw_cpus ? l->hw_size_bytes * (uint64_t)l->nr_cpus / (uint64_t)l->hw_cpus : 0;
	}
	return 0;
}

static int node_of_os(const struct topo *t, unsigned os)
{
	for (int i = 0; i < t->nr_nodes; i++)
		if (t->node[i].os_index == (int)os)
			return i;
	return -1;
}

/* SLIT from hwloc's "NUMALatency" (the Linux backend's name for the ACPI
 * SLIT), else any NUMANode latency matrix, else (host) libnuma, else the
 * kernel's defaults 10 local / 20 remote with a warning. */
static int extract_distances(struct ctx *c, bool host, struct diag *err)
{
	struct topo *t = c->t;
	int n = t->nr_nodes;
	struct hwloc_distances_s *d = NULL;
	unsigned nr = 1;
	bool have = false;

	t->dist = xcalloc((size_t)n * (size_t)n, sizeof(*t->dist));
	if (hwloc_distances_get_by_name(c->h, "NUMALatency", &nr, &d, 0) < 0 || nr == 0) {
		nr = 1;
		if (hwloc_distances_get_by_type(c->h, HWLOC_OBJ_NUMANODE, &nr, &d,
						HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) < 0)
			nr = 0;
	}
	if (nr > 0 && d) {
		int filled = 0;

		for (unsigned i = 0; i < d->nbobjs; i++) {
			int a = node_of_os(t, d->objs[i]->os_index);
			for (unsigned j = 0; j < d->nbobjs && a >= 0; j++) {
				int b = node_of_os(t, d->objs[j]->os_index);
				if (b < 0)
					continue;
				t->dist[a * n + b] = (int)d->values[i * d->nbobjs + j];
				filled++;
			}
		}
		hwloc_distances_release(c->h, d);
		have = filled == n * n;
	}
#ifdef HAVE_LIBNUMA
	if (!have && host && numa_available() >= 0) {
		have = true;
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				int v = numa_distance(t->node[i].os_index, t->node[j].os_index);
				if (v <= 0)
					have = false;
				t->dist[i * n + j] = v;
			}
	}
#else
	(void)host;
#endif
	if (!have) {
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				t->dist[i * n + j] = i == j ? LOCAL_DISTANCE : REMOTE_DISTANCE_FALLBACK;
		if (n > 1) {
			t->dist_fallback = true;
			if (!c->quiet)
				diag_warn("%s: no NUMA distances (hwloc NUMALatency%s); using 10 local / 20 remote",
					  c->what, host ? " or libnuma" : "");
		}
	}
	return 0;
}

static void extract_info(struct ctx *c)
{
	struct topo *t = c->t;
	hwloc_obj_t root = hwloc_get_root_obj(c->h);
	char label[48];
	hwloc_memattr_id_t id;
	static const char *const attrs[] = { "Bandwidth", "Latency" };

	add_obj_infos(t, root, "Machine");
	for (int i = 0; i < hwloc_get_nbobjs_by_type(c->h, HWLOC_OBJ_PACKAGE); i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(c->h, HWLOC_OBJ_PACKAGE, (unsigned)i);
		snprintf(label, sizeof(label), "Package:%d", i);
		add_obj_infos(t, o, label);
	}
	for (int i = 0; i < hwloc_get_nbobjs_by_type(c->h, HWLOC_OBJ_NUMANODE); i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(c->h, HWLOC_OBJ_NUMANODE, (unsigned)i);
		snprintf(label, sizeof(label), "NUMANode:%u", o->os_index);
		add_obj_infos(t, o, label);
	}
	/* HMAT-style memory attributes, with the node's own CPUs as initiator */
	for (size_t a = 0; a < sizeof(attrs) / sizeof(attrs[0]); a++) {
		if (hwloc_memattr_get_by_name(c->h, attrs[a], &id) < 0)
			continue;
		for (int i = 0; i < hwloc_get_nbobjs_by_type(c->h, HWLOC_OBJ_NUMANODE); i++) {
			hwloc_obj_t o = hwloc_get_obj_by_type(c->h, HWLOC_OBJ_NUMANODE, (unsigned)i);
			struct hwloc_location loc;
			hwloc_uint64_t v;
			char val[32];

			if (!o->cpuset || hwloc_bitmap_iszero(o->cpuset))
				continue;
			loc.type = HWLOC_LOCATION_TYPE_CPUSET;
			loc.location.cpuset = o->cpuset;
			if (hwloc_memattr_get_value(c->h, id, o, &loc, 0, &v) < 0)
				continue;
			snprintf(label, sizeof(label), "memattr:%s:NUMANode:%u", attrs[a], o->os_index);
			snprintf(val, sizeof(val), "%llu", (unsigned long long)v);
			add_info(t, label, attrs[a], val);
		}
	}
	/* CPU kinds carry the frequencies (FrequencyMaxMHz, FrequencyBaseMHz) */
	for (int k = 0; k < hwloc_cpukinds_get_nr(c->h, 0); k++) {
		unsigned nr_infos = 0;
		struct hwloc_info_s *infos = NULL;

		if (hwloc_cpukinds_get_info(c->h, (unsigned)k, NULL, NULL, &nr_infos, &infos, 0) < 0)
			continue;
		snprintf(label, sizeof(label), "cpukind:%d", k);
		for (unsigned j = 0; j < nr_infos; j++)
			add_info(t, label, infos[j].name, infos[j].value);
	}
}

/* Per-CPU kind and capacity from hwloc's CPU kinds (hw/capacity.h); a CPU
 * in no kind (or a topology without kinds) has capacity 1024. */
static void extract_capacity(struct ctx *c)
{
	struct topo *t = c->t;
	int nr = hwloc_cpukinds_get_nr(c->h, 0), model = -1;
	struct cpukind_desc *k = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*k));
	unsigned *cap = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*cap));
	hwloc_obj_t pkg = hwloc_get_obj_by_type(c->h, HWLOC_OBJ_PACKAGE, 0);
	const char *mv = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModelNumber") : NULL;
	hwloc_bitmap_t set = hwloc_bitmap_alloc();

	if (mv)
		model = atoi(mv);
	for (int i = 0; i < nr; i++) {
		unsigned nr_infos = 0;
		struct hwloc_info_s *infos = NULL;

		if (hwloc_cpukinds_get_info(c->h, (unsigned)i, NULL, NULL, &nr_infos, &infos, 0) < 0)
			continue;
		for (unsigned j = 0; j < nr_infos; j++) {
			const char *n = infos[j].name, *v = infos[j].value;

			if (!strcmp(n, "FrequencyMaxMHz"))
				k[i].freq_max_mhz = (unsigned)strtoul(v, NULL, 10);
			else if (!strcmp(n, "LinuxCapacity"))
				k[i].linux_capacity = (unsigned)strtoul(v, NULL, 10);
			else if (!strcmp(n, "CoreType"))
				k[i].core_type = !strcmp(v, "IntelCore") ? CORE_TYPE_INTEL_CORE
					       : !strcmp(v, "IntelAtom") ? CORE_TYPE_INTEL_ATOM : CORE_TYPE_NONE;
		}
	}
	cpu_capacity_from_kinds(k, nr, model, t->smt > 1, cap);
	for (int i = 0; i < t->nr_cpus; i++) {
		int kind;

		hwloc_bitmap_only(set, (unsigned)t->cpu[i].os_index);
		kind = nr > 0 ? hwloc_cpukinds_get_by_cpuset(c->h, set, 0) : -1;
		t->cpu[i].kind = kind >= 0 ? kind : -1;
		t->cpu[i].capacity = kind >= 0 ? cap[kind] : 1024;
		if (t->cpu[i].capacity != t->cpu[0].capacity)
			t->asym_capacity = true;
	}
	hwloc_bitmap_free(set);
	free(k);
	free(cap);
}

/* L1d/L2/L3 sizes from CPU 0's ancestors. */
static void extract_cache_sizes(struct ctx *c)
{
	for (hwloc_obj_t o = pu_of(c, 0)->parent; o; o = o->parent)
		if (is_data_cache(o) && o->attr->cache.depth < 5)
			c->t->cache_size[o->attr->cache.depth] = o->attr->cache.size;
}

/* Load into an hwloc topology; returns -1 with a one-line message. */
static int hw_load(hwloc_topology_t h, const char *xml, const char *synth, const char *what,
		   struct diag *err)
{
	/* KEEP_ALL on caches: with KEEP_STRUCTURE hwloc merges the Intel L3
	 * into its identical Package and the LLC is lost (TOPOLOGIES.md §7.1). */
	hwloc_topology_set_cache_types_filter(h, HWLOC_TYPE_FILTER_KEEP_ALL);
	hwloc_topology_set_type_filter(h, HWLOC_OBJ_GROUP, HWLOC_TYPE_FILTER_KEEP_STRUCTURE);
	if (xml && hwloc_topology_set_xml(h, xml) < 0)
		return diag_set(err, "%s: not a valid hwloc XML topology (malformed or truncated XML, or no <topology> root)",
				what);
	if (synth && hwloc_topology_set_synthetic(h, synth) < 0)
		return diag_set(err, "synthetic:%s: invalid hwloc synthetic description", synth);
	if (hwloc_topology_load(h) < 0) {
		if (xml)
			return diag_set(err, "%s: not a valid hwloc XML topology (hwloc refused to import it: %s)",
					what, errno ? strerror(errno) : "invalid content");
		return diag_set(err, "%s: hwloc could not build a topology (%s)", what,
				errno ? strerror(errno) : "invalid content");
	}
	return 0;
}

/*
 * hwloc's XML importers may print parser noise to stderr (libxml2 errors,
 * "hwloc/xml: ..." lines) even when HWLOC_XML_VERBOSE is unset; the user
 * must only see our own one-line message, so stderr is parked on /dev/null
 * around the import.
 */
static int hw_load_quiet(hwloc_topology_t h, const char *xml, const char *synth, const char *what,
			 struct diag *err)
{
	int saved, devnull, ret;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	devnull = open("/dev/null", O_WRONLY);
	if (saved >= 0 && devnull >= 0)
		dup2(devnull, STDERR_FILENO);
	errno = 0;
	ret = hw_load(h, xml, synth, what, err);
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (devnull >= 0)
		close(devnull);
	return ret;
}

/* Bounded copy that always terminates (truncates silently). */
static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool looks_like_path(const char *s)
{
	size_t n = strlen(s);
	return strchr(s, '/') || (n > 4 && strcmp(s + n - 4, ".xml") == 0);
}

static void basename_noext(const char *path, char *out, size_t len)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	snprintf(out, len, "%s", b);
	n = strlen(out);
	if (n > 4 && strcmp(out + n - 4, ".xml") == 0)
		out[n - 4] = '\0';
}

/* Resolve @spec to an XML path (stat'ed) or fail with the places looked at. */
static int resolve_xml(const char *spec, const char *const *dirs, char *path, size_t len,
		       struct diag *err)
{
	struct stat st;
	char looked[DIAG_MSG_MAX / 2] = "";
	size_t off = 0;

	if (looks_like_path(spec) || !dirs || !dirs[0]) {
		if (stat(spec, &st) < 0)
			return diag_set(err, "%s: cannot open topology file: %s", spec, strerror(errno));
		if (!S_ISREG(st.st_mode))
			return diag_set(err, "%s: not a regular file", spec);
		snprintf(path, len, "%s", spec);
		return 0;
	}
	for (int i = 0; dirs[i]; i++) {
		snprintf(path, len, "%s/%s.xml", dirs[i], spec);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
		if (off < sizeof(looked))
			off += (size_t)snprintf(looked + off, sizeof(looked) - off, "%s%s",
						i ? ", " : "", dirs[i]);
	}
	/* a plain file name in the current directory still works */
	if (stat(spec, &st) == 0 && S_ISREG(st.st_mode)) {
		snprintf(path, len, "%s", spec);
		return 0;
	}
	{
		char **names = NULL, hint[160];
		int n = suggest_files(dirs, ".xml", &names);

		suggest_hint(hint, sizeof(hint), spec, (const char *const *)names, n > 0 ? n : 0);
		suggest_names_free(names, n > 0 ? n : 0);
		return diag_set(err, "%s: unknown topology%s (no %s.xml in %s; give a path, synthetic:STRING "
				"or host; cassim list topologies shows the shipped ones)", spec, hint, spec, looked);
	}
}

/*
 * Number of PUs an hwloc synthetic description makes: the product of the
 * level counts ("pack:2 l3:2 core:4 pu:2" is 32; the type may be omitted,
 * "2 2"), memory children in [...] and attributes in (...) skipped.
 * Saturates at LONG_MAX.  This lets the CPU cap be enforced before hwloc
 * spends seconds building a topology of millions of objects.  Malformed
 * strings give what they give: hwloc judges them.
 */
static long synthetic_pus(const char *s)
{
	long pus = 1;
	int depth = 0;

	while (*s) {
		const char *tok, *colon;
		char *end;
		unsigned long long n;

		if (*s == '(' || *s == '[') {
			depth++, s++;
			continue;
		}
		if (*s == ')' || *s == ']') {
			depth -= depth > 0, s++;
			continue;
		}
		if (depth || *s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		/* a level: [type:]count, the type may hold digits ("l3") */
		tok = s;
		while (*s && !strchr(" \t([)]", *s))
			s++;
		colon = memchr(tok, ':', (size_t)(s - tok));
		if (colon)
			tok = colon + 1;
		if (*tok < '0' || *tok > '9')
			continue;
		n = strtoull(tok, &end, 10);
		if (n > LONG_MAX || __builtin_mul_overflow(pus, (long)n, &pus))
			return LONG_MAX;
	}
	return pus;
}

static int topo_load_internal(const char *spec, const char *const *search_dirs, struct topo **out,
			      struct diag *err, int quiet)
{
	struct ctx c = { 0 };
	struct topo *t;
	char path[1024];
	char synth[1024];
	const char *xml = NULL, *syn = NULL;
	bool host = false;
	int ret = -1;

	*out = NULL;
	if (!spec || !*spec)
		return diag_set(err, "empty topology (expected a file, a name, synthetic:STRING or host)");
	t = xcalloc(1, sizeof(*t));
	if (strcmp(spec, "host") == 0) {
		host = true;
		snprintf(t->name, sizeof(t->name), "host");
		snprintf(t->source, sizeof(t->source), "host");
	} else if (strncmp(spec, "synthetic:", 10) == 0) {
		size_t n;
		long pus;

		snprintf(synth, sizeof(synth), "%s", spec + 10);
		n = strlen(synth);
		if (n >= 2 && (synth[0] == '"' || synth[0] == '\'') && synth[n - 1] == synth[0]) {
			synth[n - 1] = '\0';
			memmove(synth, synth + 1, n - 1);
		}
		syn = synth;
		/* the cap before the work: hwloc would build the whole tree first */
		pus = synthetic_pus(synth);
		if (pus > CPUMASK_MAX_CPUS) {
			diag_set(err, "synthetic:%s: %s%ld CPUs (the product of the level counts), more than the supported %d",
				 synth, pus == LONG_MAX ? "over " : "", pus, CPUMASK_MAX_CPUS);
			goto out_free;
		}
		snprintf(t->name, sizeof(t->name), "synthetic");
		copy_str(t->source, sizeof(t->source), "synthetic:");
		copy_str(t->source + 10, sizeof(t->source) - 10, synth);
	} else {
		if (resolve_xml(spec, search_dirs, path, sizeof(path), err) < 0)
			goto out_free;
		xml = path;
		if (looks_like_path(spec))
			basename_noext(spec, t->name, sizeof(t->name));
		else
			snprintf(t->name, sizeof(t->name), "%s", spec);
		copy_str(t->source, sizeof(t->source), path);
	}
	c.t = t;
	c.what = xml ? xml : t->source;
	c.quiet = quiet;
	if (hwloc_topology_init(&c.h) < 0) {
		diag_set(err, "%s: hwloc_topology_init failed", c.what);
		goto out_free;
	}
	if (host ? hw_load(c.h, NULL, NULL, c.what, err) : hw_load_quiet(c.h, xml, syn, c.what, err))
		goto out;
	if (extract_cpus(&c, err) || extract_cores_pkgs(&c, err) || extract_nodes(&c, err) ||
	    extract_clusters(&c, err) || extract_llcs(&c, err) || extract_distances(&c, host, err))
		goto out;
	extract_cache_sizes(&c);
	extract_info(&c);
	extract_capacity(&c);
	ret = 0;
out:
	hwloc_topology_destroy(c.h);
	free(c.os2cpu);
	if (ret == 0) {
		*out = t;
		return 0;
	}
out_free:
	topo_free(t);
	return -1;
}

int topo_load_inproc(const char *spec, const char *const *search_dirs, struct topo **out,
		     struct diag *err)
{
	return topo_load_internal(spec, search_dirs, out, err, 0);
}

/*
 * Isolation of XML parsing.  libhwloc's XML importers trust their input: a
 * cpuset attribute starting with a comma trips an assertion in
 * hwloc_bitmap_sscanf() (hwloc 2.9, tests/fixtures/hwloc-crash-bitmap.xml),
 * and a build without assertions reads out of bounds.  Rather than guess
 * which inputs upset it, an XML topology is loaded and extracted in a
 * forked child; the child sends back the plain arrays of struct topo over a
 * pipe, so no hwloc object ever exists in the caller, and a child killed by
 * a signal is an input error naming the file.  Cost: one fork of a young
 * process, well under a millisecond next to the parse itself.
 */

/* The arrays of @t in a fixed order, with their element counts; the
 * capacities topo_load_internal() gives them (nr_cpus for the per-CPU-sized
 * ones) so a received topology is laid out like a loaded one. */
struct topo_part {
	void **ptr;
	size_t size, used, cap;
};

static int topo_parts(struct topo *t, struct topo_part *p)
{
	size_t cpus = (size_t)t->nr_cpus, nodes = (size_t)t->nr_nodes;
	int n = 0;

	p[n++] = (struct topo_part){ (void **)&t->cpu, sizeof(*t->cpu), cpus, cpus };
	p[n++] = (struct topo_part){ (void **)&t->llc, sizeof(*t->llc), (size_t)t->nr_llcs, cpus };
	p[n++] = (struct topo_part){ (void **)&t->node, sizeof(*t->node), nodes, nodes };
	p[n++] = (struct topo_part){ (void **)&t->pkg, sizeof(*t->pkg), (size_t)t->nr_pkgs, cpus };
	p[n++] = (struct topo_part){ (void **)&t->core_cpus, sizeof(*t->core_cpus),
				     (size_t)t->nr_cores, cpus };
	p[n++] = (struct topo_part){ (void **)&t->cluster_cpus, sizeof(*t->cluster_cpus),
				     (size_t)t->nr_clusters, cpus };
	p[n++] = (struct topo_part){ (void **)&t->dist, sizeof(*t->dist), nodes * nodes,
				     nodes * nodes };
	p[n++] = (struct topo_part){ (void **)&t->info, sizeof(*t->info), (size_t)t->nr_info,
				     (size_t)t->nr_info };
	return n;
}

#define TOPO_PARTS 8

static int write_all(int fd, const void *buf, size_t len)
{
	const char *b = buf;

	while (len) {
		ssize_t w = write(fd, b, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		len -= (size_t)w;
	}
	return 0;
}

/* The child's side: 'T' + struct topo + its arrays, or 'E' + the message. */
static void send_topo(int fd, const char *spec, const char *const *search_dirs)
{
	struct topo *t;
	struct diag err;
	struct topo_part p[TOPO_PARTS];
	int rc = topo_load_internal(spec, search_dirs, &t, &err, 0);

	if (rc < 0) {
		if (write_all(fd, "E", 1) || write_all(fd, err.msg, strlen(err.msg) + 1))
			_exit(1);
		return;
	}
	if (write_all(fd, "T", 1) || write_all(fd, t, sizeof(*t)))
		_exit(1);
	for (int i = 0, n = topo_parts(t, p); i < n; i++)
		if (write_all(fd, *p[i].ptr, p[i].size * p[i].used))
			_exit(1);
}

/* Everything the child wrote, until EOF, into *@buf (of *@cap bytes, grown).
 * The first buffer comes from before the fork, so that the parent allocates
 * nothing while the child does (one count for CASSIM_FAIL_ALLOC_AFTER). */
static size_t read_all(int fd, char **buf, size_t *cap)
{
	size_t n = 0;

	for (;;) {
		ssize_t r;

		if (n == *cap)
			*buf = xrealloc(*buf, *cap *= 2);
		r = read(fd, *buf + n, *cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return n;
		n += (size_t)r;
	}
}

/* The parent's side: rebuild the topology from what send_topo() wrote; -1
 * if it is incomplete (the child died while writing). */
static int recv_topo(const char *buf, size_t len, struct topo **out, struct diag *err)
{
	struct topo_part p[TOPO_PARTS];
	struct topo *t;
	size_t off = 1 + sizeof(*t);
	int n;

	if (len && buf[0] == 'E' && memchr(buf, '\0', len)) {
		diag_set(err, "%s", buf + 1);
		return 1;
	}
	if (len < off || buf[0] != 'T')
		return -1;
	t = xmalloc(sizeof(*t));
	memcpy(t, buf + 1, sizeof(*t));
	n = topo_parts(t, p);
	for (int i = 0; i < n; i++)
		*p[i].ptr = NULL;
	for (int i = 0; i < n; i++) {
		size_t bytes = p[i].size * p[i].used;

		*p[i].ptr = xcalloc(p[i].cap ? p[i].cap : 1, p[i].size);
		if (p[i].used > p[i].cap || len - off < bytes) {
			topo_free(t);
			return -1;
		}
		memcpy(*p[i].ptr, buf + off, bytes);
		off += bytes;
	}
	if (off != len) {
		topo_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

int topo_load(const char *spec, const char *const *search_dirs, struct topo **out, struct diag *err)
{
	char path[1024], *buf;
	int fds[2], status = 0, rc;
	size_t len, cap = 1 << 16;
	pid_t pid;

	if (!spec || !*spec || !strcmp(spec, "host") || !strncmp(spec, "synthetic:", 10))
		return topo_load_internal(spec, search_dirs, out, err, 0);
	*out = NULL;
	if (resolve_xml(spec, search_dirs, path, sizeof(path), err) < 0)
		return -1;
	if (pipe(fds) < 0)
		return diag_set(err, "%s: cannot load the topology: pipe: %s", path, strerror(errno));
	buf = xmalloc(cap);
	fflush(NULL); /* nothing buffered is written twice */
	pid = fork();
	if (pid < 0) {
		free(buf);
		close(fds[0]);
		close(fds[1]);
		return diag_set(err, "%s: cannot load the topology: fork: %s", path, strerror(errno));
	}
	if (pid == 0) {
		/* a crash must not leave a core file (or wait for a core handler) */
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		close(fds[0]);
		send_topo(fds[1], spec, search_dirs);
		_exit(0);
	}
	close(fds[1]);
	len = read_all(fds[0], &buf, &cap);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		free(buf);
		/* ^C or a kill of the process group, not the file: the caller
		 * had the signal too and handles it as it does */
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
			return diag_set(err, "%s: topology load interrupted (signal %d, %s)", path, sig,
					strsignal(sig));
		return diag_set(err, "%s: not a valid hwloc XML topology: hwloc crashed while parsing (signal %d, %s)",
				path, sig, strsignal(sig));
	}
	/* the child said "out of memory": this process ends the same way */
	if (WIFEXITED(status) && WEXITSTATUS(status) == XALLOC_EXIT_NOMEM)
		_exit(XALLOC_EXIT_NOMEM);
	rc = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? recv_topo(buf, len, out, err) : -1;
	free(buf);
	if (rc < 0)
		return diag_set(err, "%s: cannot load the topology (the loader process exited with status %d)",
				path, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return rc ? -1 : 0;
}

/*
 * Tests' machine: built through an hwloc synthetic description so it goes
 * through exactly the same extraction as real files.  Linux numbering (SMT
 * sibling of CPU n at n + total cores), one NUMA node per package, 32 MiB
 * per LLC, 10/20 distances without a warning.
 */
struct topo *topo_new_simple(int pkgs, int llcs_per_pkg, int cores_per_llc, int smt)
{
	char spec[256];
	struct topo *t = NULL;
	struct diag err;
	int cores = pkgs * llcs_per_pkg * cores_per_llc;

	if (pkgs < 1 || llcs_per_pkg < 1 || cores_per_llc < 1 || smt < 1 ||
	    cores * smt > CPUMASK_MAX_CPUS)
		return NULL;
	if (smt > 1)
		snprintf(spec, sizeof(spec),
			 "synthetic:pack:%d [numa] l3:%d(size=32MiB) l2:%d(size=1MiB) l1d:1(size=32KiB) core:1 pu:%d(indexes=%d*%d:1*%d)",
			 pkgs, llcs_per_pkg, cores_per_llc, smt, smt, cores, smt);
	else
		snprintf(spec, sizeof(spec),
			 "synthetic:pack:%d [numa] l3:%d(size=32MiB) l2:%d(size=1MiB) l1d:1(size=32KiB) core:1 pu:1",
			 pkgs, llcs_per_pkg, cores_per_llc);
	if (topo_load_internal(spec, NULL, &t, &err, 1) < 0)
		return NULL;
	return t;
}
