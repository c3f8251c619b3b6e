/*
 * Scheduling domains as Linux v6.15 builds them on x86: the default topology
 * levels of arch/x86/kernel/smpboot.c build_sched_topology(), the NUMA
 * levels of kernel/sched/topology.c sched_init_numa(), then
 * build_sched_domains() (spans, sd_init() defaults, groups, imb_numa_nr)
 * and cpu_attach_domain() (degenerate-domain removal).
 */
#include "sched/sd.h"
#include "base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCAL_DISTANCE 10
#define REMOTE_DISTANCE 20
#define NODE_RECLAIM_DISTANCE 30 /* node_reclaim_distance default (RECLAIM_DISTANCE) */

/* Flags that mean nothing for a domain with a single group
 * (sd_flags.h SDF_NEEDS_GROUPS: everything but SD_WAKE_AFFINE). */
#define SD_DEGENERATE_GROUPS_MASK (((1u << SD_NR_FLAGS) - 1) & ~(unsigned)SD_WAKE_AFFINE)

static const char *const flag_names[SD_NR_FLAGS] = {
	"SD_BALANCE_NEWIDLE", "SD_BALANCE_EXEC", "SD_BALANCE_FORK", "SD_BALANCE_WAKE",
	"SD_WAKE_AFFINE", "SD_ASYM_CPUCAPACITY", "SD_ASYM_CPUCAPACITY_FULL",
	"SD_SHARE_CPUCAPACITY", "SD_CLUSTER", "SD_SHARE_LLC", "SD_SERIALIZE",
	"SD_ASYM_PACKING", "SD_PREFER_SIBLING", "SD_OVERLAP", "SD_NUMA",
};

const char *sd_flag_name(int bit)
{
	if (bit < 0 || bit >= SD_NR_FLAGS)
		return NULL;
	return flag_names[bit];
}

enum tl_kind { TL_SMT, TL_CLS, TL_MC, TL_PKG, TL_NUMA };

/* One struct sched_domain_topology_level. */
struct tl {
	enum tl_kind kind;
	const char *name;
	unsigned sd_flags;   /* tl->sd_flags() */
	bool overlap;        /* SDTL_OVERLAP */
	int numa_level;      /* index into dists[] for NODE/NUMA */
};

struct build {
	const struct topo *t;
	struct tl tl[8 + 64];
	int nr_tl;
	int dists[64];       /* sched_domains_numa_distance[] */
	int nr_dists;
	int *ndist;          /* distance matrix used for domains (maybe averaged) */
};

static const char *info_value(const struct topo *t, const char *name)
{
	for (int i = 0; i < t->nr_info; i++)
		if (strcmp(t->info[i].name, name) == 0)
			return t->info[i].value;
	return NULL;
}

/* x86 set_cpu_sibling_map(): two CPUs share a package but not a node. */
static bool numa_in_package(const struct topo *t)
{
	for (int i = 0; i < t->nr_cpus; i++) {
		int first = cpumask_first(&t->pkg[t->cpu[i].pkg].cpus);

		if (t->cpu[i].node != t->cpu[first].node)
			return true;
	}
	return false;
}

/*
 * arch_sched_node_distance() (arch/x86/kernel/smpboot.c, "sched/topology:
 * Fix sched domain build error for GNR, CWF in SNC-3 mode", TOPOLOGIES.md
 * §1.5): on Granite Rapids / Clearwater Forest with NUMA in the package and
 * more than one package, every distance >= REMOTE_DISTANCE is replaced by
 * the average of those distances (integer division) for building sched
 * domains only.  We apply it to Intel parts whose model is GNR-X (173) or
 * Darkmont-X (221), or unknown; on other Intel parts all remote values are
 * equal (10/12/21) so averaging would change nothing anyway.
 */
static bool want_avg_remote(const struct topo *t)
{
	const char *v = info_value(t, "CPUVendor");
	const char *m = info_value(t, "CPUModelNumber");

	if (!v || strcmp(v, "GenuineIntel") != 0)
		return false;
	if (m && atoi(m) != 173 && atoi(m) != 221)
		return false;
	return t->nr_pkgs > 1 && numa_in_package(t);
}

static bool node_has_cpus(const struct topo *t, int n)
{
	return t->node[n].nr_cpus > 0;
}

static void setup_numa(struct build *b, int *avg_used)
{
	const struct topo *t = b->t;
	int n = t->nr_nodes;

	b->ndist = xmalloc(sizeof(int) * (size_t)n * (size_t)n);
	memcpy(b->ndist, t->dist, sizeof(int) * (size_t)n * (size_t)n);
	*avg_used = 0;
	if (want_avg_remote(t)) {
		long sum = 0, nr = 0;

		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				if (node_has_cpus(t, i) && node_has_cpus(t, j) &&
				    b->ndist[i * n + j] >= REMOTE_DISTANCE) {
					sum += b->ndist[i * n + j];
					nr++;
				}
		if (nr) {
			int avg = (int)(sum / nr);
			for (int i = 0; i < n * n; i++)
				if (b->ndist[i] >= REMOTE_DISTANCE)
					b->ndist[i] = avg;
			*avg_used = 1;
		}
	}
	/* sched_init_numa(): the sorted distinct distances between nodes with CPUs */
	b->nr_dists = 0;
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			int d = b->ndist[i * n + j], k;

			if (!node_has_cpus(t, i) || !node_has_cpus(t, j))
				continue;
			for (k = 0; k < b->nr_dists && b->dists[k] != d; k++)
				;
			if (k == b->nr_dists && b->nr_dists < (int)(sizeof(b->dists) / sizeof(b->dists[0])))
				b->dists[b->nr_dists++] = d;
		}
	}
	for (int i = 1; i < b->nr_dists; i++)
		for (int k = i; k > 0 && b->dists[k - 1] > b->dists[k]; k--) {
			int x = b->dists[k];
			b->dists[k] = b->dists[k - 1];
			b->dists[k - 1] = x;
		}
}

static void add_tl(struct build *b, enum tl_kind kind, const char *name, unsigned flags,
		   bool overlap, int numa_level)
{
	struct tl *l = &b->tl[b->nr_tl++];

	l->kind = kind;
	l->name = name;
	l->sd_flags = flags;
	l->overlap = overlap;
	l->numa_level = numa_level;
}

/* x86 build_sched_topology() + sched_init_numa() level list. */
static void setup_levels(struct build *b)
{
	const struct topo *t = b->t;
	int cpu_nodes = 0;

	add_tl(b, TL_SMT, "SMT", SD_SHARE_CPUCAPACITY | SD_SHARE_LLC, false, 0);
	add_tl(b, TL_CLS, "CLS", SD_CLUSTER | SD_SHARE_LLC, false, 0);
	add_tl(b, TL_MC, "MC", SD_SHARE_LLC, false, 0);
	/* "the NUMA domains will auto-magically create the right spanning
	 * domains based on the SLIT" */
	if (!numa_in_package(t))
		add_tl(b, TL_PKG, "PKG", 0, false, 0);
	for (int i = 0; i < t->nr_nodes; i++)
		cpu_nodes += node_has_cpus(t, i);
	if (cpu_nodes <= 1)
		return;
	add_tl(b, TL_NUMA, "NODE", 0, false, 0);
	for (int k = 1; k < b->nr_dists; k++)
		add_tl(b, TL_NUMA, "NUMA", SD_NUMA, true, k);
}

/* tl->mask(cpu) */
static void tl_mask(const struct build *b, const struct tl *l, int cpu, struct cpumask *m)
{
	const struct topo *t = b->t;
	const struct topo_cpu *c = &t->cpu[cpu];

	cpumask_clear(m);
	switch (l->kind) {
	case TL_SMT:
		*m = t->core_cpus[c->core];
		break;
	case TL_CLS:
		/* cpu_clustergroup_mask = cpu_l2c_shared_mask: the SMT
		 * siblings when the L2 is private, so CLS degenerates */
		*m = c->cluster >= 0 ? t->cluster_cpus[c->cluster] : t->core_cpus[c->core];
		break;
	case TL_MC:
		*m = t->llc[c->llc].cpus; /* cpu_coregroup_mask = cpu_llc_shared_mask */
		break;
	case TL_PKG:
		/* x86 cpu_cpu_mask = cpumask_of_node(cpu_to_node(cpu)) */
		*m = t->node[c->node].cpus;
		break;
	case TL_NUMA: {
		int n = t->nr_nodes, d = b->dists[l->numa_level];

		cpumask_clear(m);
		for (int j = 0; j < n; j++)
			if (b->ndist[c->node * n + j] <= d)
				cpumask_or(m, m, &t->node[j].cpus);
		break;
	}
	}
}

/*
 * asym_cpu_capacity_classify() (kernel/sched/topology.c, v6.15): a span that
 * sees two or more distinct CPU capacities is SD_ASYM_CPUCAPACITY, and also
 * SD_ASYM_CPUCAPACITY_FULL when it sees every capacity of the machine.
 */
static unsigned asym_cpu_capacity_classify(const struct topo *t, const struct cpumask *span)
{
	unsigned caps[16];
	int nr_all = 0, count = 0;

	/* asym_cap_list: the distinct capacities (a hybrid part has a few) */
	for (int c = 0; c < t->nr_cpus; c++) {
		int k;

		for (k = 0; k < nr_all && caps[k] != t->cpu[c].capacity; k++)
			;
		if (k == nr_all && nr_all < (int)(sizeof(caps) / sizeof(caps[0])))
			caps[nr_all++] = t->cpu[c].capacity;
	}
	if (nr_all < 2)
		return 0;
	for (int k = 0; k < nr_all; k++)
		for_each_cpu(c, span)
			if (t->cpu[c].capacity == caps[k]) {
				count++;
				break;
			}
	if (count < 2)
		return 0;
	return count < nr_all ? SD_ASYM_CPUCAPACITY : SD_ASYM_CPUCAPACITY | SD_ASYM_CPUCAPACITY_FULL;
}

/* sd_init() defaults (kernel/sched/topology.c). */
static void sd_init(const struct build *b, const struct tl *l, struct sd_tmpl *sd, int sd_weight)
{
	snprintf(sd->name, sizeof(sd->name), "%s", l->name);
	sd->min_interval = sd_weight;
	sd->max_interval = 2 * sd_weight;
	sd->busy_factor = 16;
	sd->imbalance_pct = 117;
	sd->cache_nice_tries = 0;
	sd->flags = SD_BALANCE_NEWIDLE | SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE |
		    SD_PREFER_SIBLING | l->sd_flags;
	sd->numa_distance = l->kind == TL_NUMA ? b->dists[l->numa_level] : 0;

	if (sd->flags & SD_SHARE_CPUCAPACITY) {
		sd->imbalance_pct = 110;
	} else if (sd->flags & SD_SHARE_LLC) {
		sd->imbalance_pct = 117;
		sd->cache_nice_tries = 1;
	} else if (sd->flags & SD_NUMA) {
		sd->cache_nice_tries = 2;
		sd->flags &= ~SD_PREFER_SIBLING;
		sd->flags |= SD_SERIALIZE;
		if (b->dists[l->numa_level] > NODE_RECLAIM_DISTANCE)
			sd->flags &= ~(SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE);
	} else {
		sd->cache_nice_tries = 1;
	}
	/* __build_sched_domains(): SDTL_OVERLAP -> SD_OVERLAP, i.e. on every
	 * NUMA level above NODE, whether or not its groups really overlap */
	if (l->overlap)
		sd->flags |= SD_OVERLAP;
}

/* Domains of each CPU before degenerate removal: full[cpu * nr_tl + level],
 * with depth[cpu] levels (the walk stops at the first level spanning all). */
struct full {
	struct sd_tmpl *d;
	int *depth;
	int nr_tl;
};

static struct sd_tmpl *full_at(const struct full *f, int cpu, int level)
{
	if (level >= f->depth[cpu])
		level = f->depth[cpu] - 1;
	return &f->d[cpu * f->nr_tl + level];
}

/*
 * build_sched_groups() / build_overlap_sched_groups(): walking the span from
 * the owning CPU (for_each_cpu_wrap), each CPU not yet covered contributes
 * the span of its own child domain (its domain one level down) as a group;
 * at the bottom level each CPU is its own group.
 */
static void build_groups(const struct full *f, const struct topo *t, int cpu, int level)
{
	struct sd_tmpl *sd = full_at(f, cpu, level);
	struct cpumask covered;
	struct sd_group_tmpl *g;
	int n = 0, cap = 8;

	g = xmalloc(sizeof(*g) * (size_t)cap);
	cpumask_clear(&covered);
	for (int k = 0; k < t->nr_cpus; k++) {
		int i = (cpu + k) % t->nr_cpus;
		struct cpumask span;

		if (!cpumask_test(&sd->span, i) || cpumask_test(&covered, i))
			continue;
		if (level == 0) {
			cpumask_clear(&span);
			cpumask_set(&span, i);
		} else {
			span = full_at(f, i, level - 1)->span;
		}
		if (n == cap) {
			struct sd_group_tmpl *ng = xrealloc(g, sizeof(*g) * (size_t)(cap *= 2));
			g = ng;
		}
		g[n].span = span;
		g[n].weight = cpumask_weight(&span);
		g[n].first_cpu = cpumask_first(&span);
		for (int c = g[n].first_cpu; c >= 0; c = cpumask_next(&span, c + 1))
			g[n].last_cpu = c;
		cpumask_or(&covered, &covered, &span);
		n++;
	}
	sd->groups = g;
	sd->nr_groups = n;
}

/* The imb_numa_nr loop of build_sched_domains(): it runs on the full
 * hierarchy, before cpu_attach_domain() drops degenerate levels. */
static void set_imb_numa_nr(const struct full *f, int cpu)
{
	unsigned imb = 0, imb_span = 1;

	for (int l = 0; l < f->depth[cpu]; l++) {
		struct sd_tmpl *sd = &f->d[cpu * f->nr_tl + l];
		struct sd_tmpl *child = l ? sd - 1 : NULL;

		if (!(sd->flags & SD_SHARE_LLC) && child && (child->flags & SD_SHARE_LLC)) {
			unsigned nr_llcs = (unsigned)(sd->span_weight / child->span_weight);
			int top;

			/* one LLC per node: allow 12.5% of the node */
			imb = nr_llcs == 1 ? (unsigned)sd->span_weight >> 3 : nr_llcs;
			if (imb < 1)
				imb = 1;
			sd->imb_numa_nr = (int)imb;
			/* span of the first NUMA domain above */
			for (top = l + 1; top < f->depth[cpu] && !(f->d[cpu * f->nr_tl + top].flags & SD_NUMA); top++)
				;
			imb_span = (unsigned)(top < f->depth[cpu] ? f->d[cpu * f->nr_tl + top].span_weight
								 : sd->span_weight);
		} else {
			unsigned factor = (unsigned)sd->span_weight / imb_span;
			if (factor < 1)
				factor = 1;
			sd->imb_numa_nr = (int)(imb * factor);
		}
	}
}

static bool sd_degenerate(const struct sd_tmpl *sd)
{
	if (sd->span_weight == 1)
		return true;
	if ((sd->flags & SD_DEGENERATE_GROUPS_MASK) && sd->nr_groups > 1)
		return false;
	if (sd->flags & SD_WAKE_AFFINE)
		return false;
	return true;
}

static bool sd_parent_degenerate(const struct sd_tmpl *sd, const struct sd_tmpl *parent)
{
	unsigned pflags = parent->flags;

	if (sd_degenerate(parent))
		return true;
	if (!cpumask_equal(&sd->span, &parent->span))
		return false;
	if (parent->nr_groups == 1)
		pflags &= ~SD_DEGENERATE_GROUPS_MASK;
	return !(~sd->flags & pflags);
}

void sd_free(struct sd_topology *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nr_doms; i++) {
		free(s->doms[i].groups);
		free(s->doms[i].gids);
	}
	free(s->doms);
	free(s->base);
	free(s->llc);
	free(s->gid_group);
	free(s->cpu_gids_off);
	free(s->cpu_gids);
	free(s);
}

static bool same_span(const struct sd_group_tmpl *a, const struct sd_group_tmpl *b)
{
	if (a->first_cpu != b->first_cpu || a->last_cpu != b->last_cpu || a->weight != b->weight)
		return false;
	for (int i = a->first_cpu >> 6; i <= a->last_cpu >> 6; i++)
		if (a->span.w[i] != b->span.w[i])
			return false;
	return true;
}

static uint64_t span_hash(const struct sd_group_tmpl *g)
{
	uint64_t h = (uint64_t)g->first_cpu * 0x9e3779b97f4a7c15ULL ^ (uint64_t)g->weight;

	for (int i = g->first_cpu >> 6; i <= g->last_cpu >> 6; i++)
		h = (h ^ g->span.w[i]) * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 29);
}

/* Number the distinct group spans of all domains and list the ones holding
 * each CPU: the scheduler keeps update_sg_lb_stats()'s sums per span
 * (sched/grpsum.h), which many CPUs' domains share. */
static void number_groups(struct sd_topology *s)
{
	size_t total = 0, cap = 16;
	const struct sd_group_tmpl **rep; /* becomes s->gid_group */
	int *slot, n = 0, *fill;

	for (int d = 0; d < s->nr_doms; d++)
		total += (size_t)s->doms[d].nr_groups;
	while (cap < 2 * total)
		cap *= 2;
	slot = xmalloc(cap * sizeof(*slot));
	memset(slot, -1, cap * sizeof(*slot));
	rep = xmalloc((total ? total : 1) * sizeof(*rep));
	for (int d = 0; d < s->nr_doms; d++) {
		s->doms[d].gids = xmalloc(((size_t)s->doms[d].nr_groups + 1) * sizeof(*s->doms[d].gids));
		s->doms[d].groups_in_span = true;
		for (int gi = 0; gi < s->doms[d].nr_groups; gi++) {
			struct sd_group_tmpl *g = &s->doms[d].groups[gi];
			size_t h = (size_t)span_hash(g) & (cap - 1);

			while (slot[h] >= 0 && !same_span(rep[slot[h]], g))
				h = (h + 1) & (cap - 1);
			if (slot[h] < 0) {
				slot[h] = n;
				rep[n++] = g;
			}
			g->id = slot[h];
			s->doms[d].gids[gi] = g->id;
			if (!cpumask_subset(&g->span, &s->doms[d].span))
				s->doms[d].groups_in_span = false;
		}
	}
	s->nr_gids = n;
	s->cpu_gids_off = xcalloc((size_t)s->nr_cpus + 1, sizeof(*s->cpu_gids_off));
	for (int i = 0; i < n; i++)
		for_each_group_cpu(c, rep[i])
			s->cpu_gids_off[c + 1]++;
	for (int c = 0; c < s->nr_cpus; c++)
		s->cpu_gids_off[c + 1] += s->cpu_gids_off[c];
	s->cpu_gids = xmalloc(((size_t)s->cpu_gids_off[s->nr_cpus] + 1) * sizeof(*s->cpu_gids));
	fill = xmalloc((size_t)s->nr_cpus * sizeof(*fill));
	memcpy(fill, s->cpu_gids_off, (size_t)s->nr_cpus * sizeof(*fill));
	for (int i = 0; i < n; i++)
		for_each_group_cpu(c, rep[i])
			s->cpu_gids[fill[c]++] = i;
	free(fill);
	free(slot);
	s->gid_group = rep;
}

int sd_build(const struct topo *t, struct sd_topology **out, struct diag *err)
{
	struct build b = { .t = t };
	struct full f = { 0 };
	struct sd_topology *s;
	struct sd_tmpl **kept = NULL;
	int *nkept = NULL, total = 0, avg_used = 0;
	bool seen[72] = { false };

	*out = NULL;
	if (!t || t->nr_cpus < 1)
		return diag_set(err, "sd_build: empty topology");
	s = xcalloc(1, sizeof(*s));
	setup_numa(&b, &avg_used);
	setup_levels(&b);
	s->nr_cpus = t->nr_cpus;
	s->node_distance_used = avg_used;
	f.nr_tl = b.nr_tl;
	f.d = xcalloc((size_t)t->nr_cpus * (size_t)b.nr_tl, sizeof(*f.d));
	f.depth = xcalloc((size_t)t->nr_cpus, sizeof(*f.depth));
	s->base = xcalloc((size_t)t->nr_cpus, sizeof(*s->base));
	s->llc = xcalloc((size_t)t->nr_cpus, sizeof(*s->llc));
	kept = xcalloc((size_t)t->nr_cpus * (size_t)b.nr_tl, sizeof(*kept));
	nkept = xcalloc((size_t)t->nr_cpus, sizeof(*nkept));

	/* build_sched_domain() for each CPU and level */
	for (int cpu = 0; cpu < t->nr_cpus; cpu++) {
		for (int l = 0; l < b.nr_tl; l++) {
			struct sd_tmpl *sd = &f.d[cpu * b.nr_tl + l];
			struct cpumask m;

			tl_mask(&b, &b.tl[l], cpu, &m);
			sd_init(&b, &b.tl[l], sd, cpumask_weight(&m));
			if (t->asym_capacity) {
				sd->flags |= asym_cpu_capacity_classify(t, &m);
				/* "Don't attempt to spread across CPUs of different capacities." */
				if ((sd->flags & SD_ASYM_CPUCAPACITY) && l)
					(sd - 1)->flags &= ~SD_PREFER_SIBLING;
			}
			sd->level = l;
			sd->span = m;
			/* "BUG: arch topology borken": the kernel widens the
			 * parent to contain its child; so do we */
			if (l)
				cpumask_or(&sd->span, &sd->span, &(sd - 1)->span);
			sd->span_weight = cpumask_weight(&sd->span);
			f.depth[cpu] = l + 1;
			if (sd->span_weight == t->nr_cpus)
				break;
		}
	}
	for (int cpu = 0; cpu < t->nr_cpus; cpu++) {
		for (int l = 0; l < f.depth[cpu]; l++)
			build_groups(&f, t, cpu, l);
		set_imb_numa_nr(&f, cpu);
	}

	/* cpu_attach_domain(): drop degenerate parents, then a degenerate base */
	for (int cpu = 0; cpu < t->nr_cpus; cpu++) {
		struct sd_tmpl **k = &kept[cpu * b.nr_tl];
		int n = 0;

		k[n++] = &f.d[cpu * b.nr_tl];
		for (int l = 1; l < f.depth[cpu]; l++) {
			struct sd_tmpl *p = &f.d[cpu * b.nr_tl + l];

			if (sd_parent_degenerate(k[n - 1], p)) {
				/* the spans match, so the property transfers */
				if (p->flags & SD_PREFER_SIBLING)
					k[n - 1]->flags |= SD_PREFER_SIBLING;
				continue;
			}
			k[n++] = p;
		}
		if (sd_degenerate(k[0])) {
			memmove(k, k + 1, sizeof(*k) * (size_t)(n - 1));
			n--;
		}
		nkept[cpu] = n;
		total += n;
	}

	/* compact the kept domains into s->doms and link them */
	s->doms = xcalloc((size_t)(total ? total : 1), sizeof(*s->doms));
	s->nr_doms = total;
	for (int cpu = 0, pos = 0; cpu < t->nr_cpus; cpu++) {
		struct sd_tmpl **k = &kept[cpu * b.nr_tl];
		struct sd_tmpl *first = &s->doms[pos];

		for (int j = 0; j < nkept[cpu]; j++) {
			struct sd_tmpl *d = &s->doms[pos++];

			*d = *k[j];
			k[j]->groups = NULL; /* ownership moves */
			d->child = j ? d - 1 : NULL;
			d->parent = j + 1 < nkept[cpu] ? d + 1 : NULL;
			if (d->level < (int)(sizeof(seen) / sizeof(seen[0])))
				seen[d->level] = true;
		}
		s->base[cpu] = nkept[cpu] ? first : NULL;
		/* highest_flag_domain(cpu, SD_SHARE_LLC): sd_llc */
		s->llc[cpu] = NULL;
		for_each_domain_tmpl(sd, s->base[cpu]) {
			if (!(sd->flags & SD_SHARE_LLC))
				break;
			s->llc[cpu] = sd;
		}
	}
	for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
		s->nr_levels += seen[i];
	number_groups(s);

	for (int i = 0; i < t->nr_cpus * b.nr_tl; i++)
		free(f.d[i].groups);
	free(f.d);
	free(f.depth);
	free(kept);
	free(nkept);
	free(b.ndist);
	*out = s;
	return 0;
}
