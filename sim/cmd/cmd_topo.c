/*
 * cassim topo SPEC [--json] [--quiet]: show a machine as the scheduler sees
 * it -- packages, NUMA nodes, LLCs, and the sched-domain levels of CPU 0
 * with their sd_init() parameters.
 *
 * cassim topo SPEC --show-model [--profile NAME] [--set NAME=VALUE]...:
 * show the machine model a run would use on it instead -- the profile, every
 * model parameter with its unit and source, the cache-to-cache latency of
 * each CPU relation, DRAM latency by SLIT distance and the idle states.
 */
#include "cmd/cmd.h"
#include "cmd/opt.h"

#include <jansson.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/profile.h"
#include "hw/topo.h"
#include "sched/sd.h"

#define MAX_SETS 64

static void usage(FILE *f)
{
	fputs("usage: cassim topo SPEC [--json] [--quiet]\n"
	      "       cassim topo SPEC --show-model [--json] [--profile NAME] [--set NAME=VALUE]...\n"
	      "\n"
	      "Show a machine topology as Linux's scheduler sees it, or (--show-model)\n"
	      "the machine model a run uses on it.\n"
	      "\n"
	      "SPEC is one of:\n"
	      "  NAME               a shipped topology (topologies/NAME.xml)\n"
	      "  PATH               an hwloc XML file (lstopo --of xml)\n"
	      "  synthetic:STRING   an hwloc synthetic description\n"
	      "  host               this machine\n"
	      "\n"
	      "Options:\n"
	      "  --json                print JSON instead of text\n"
	      "  -q, --quiet           no warnings (e.g. missing NUMA distances)\n"
	      "  --show-model          print the machine profile: every model parameter with\n"
	      "                        its value, unit and source, the latency of each CPU\n"
	      "                        relation and of each NUMA distance, and the idle states\n"
	      "  --profile NAME        use this machine profile instead of the one matching\n"
	      "                        the topology's CPU (implies --show-model)\n"
	      "  -s, --set NAME=VALUE  override a model parameter (implies --show-model;\n"
	      "                        may be repeated)\n"
	      "  -h, --help            this text\n"
	      "\n"
	      "Machine profiles:", f);
	for (int i = 0; profile_names[i]; i++)
		fprintf(f, " %s", profile_names[i]);
	fputs("\n\nModel parameters (--set):\n", f);
	for (int i = 0; i < MP_NR; i++) {
		char range[48];

		snprintf(range, sizeof(range), "%g..%g", model_param_defs[i].min, model_param_defs[i].max);
		fprintf(f, "  %-18s %-5s %-12s %s\n", model_param_defs[i].name, model_param_defs[i].unit, range,
			model_param_defs[i].help);
	}
}

static const char *human_size(uint64_t b, char *buf, size_t len)
{
	if (b == 0)
		snprintf(buf, len, "-");
	else if (b % (1ULL << 30) == 0)
		snprintf(buf, len, "%llu GiB", (unsigned long long)(b >> 30));
	else if (b >= (1ULL << 30))
		snprintf(buf, len, "%.1f GiB", (double)b / (double)(1ULL << 30));
	else if (b % (1ULL << 20) == 0)
		snprintf(buf, len, "%llu MiB", (unsigned long long)(b >> 20));
	else if (b >= (1ULL << 20))
		snprintf(buf, len, "%.2f MiB", (double)b / (double)(1ULL << 20));
	else if (b % 1024 == 0)
		snprintf(buf, len, "%llu KiB", (unsigned long long)(b >> 10));
	else
		snprintf(buf, len, "%llu B", (unsigned long long)b);
	return buf;
}

static void print_flags(unsigned flags)
{
	const char *sep = "";

	for (int b = 0; sd_flag_name(b); b++)
		if (flags & (1u << b)) {
			printf("%s%s", sep, sd_flag_name(b) + 3);
			sep = "|";
		}
}

static void print_text(const struct topo *t, const struct sd_topology *s)
{
	static char buf[CPUMASK_MAX_CPUS * 6];
	char sz[32], sz2[32];

	printf("topology: %s (%s)\n", t->name, t->source);
	printf("cpus: %d  cores: %d  smt: %d  packages: %d  numa nodes: %d  llcs: %d  clusters: %d\n",
	       t->nr_cpus, t->nr_cores, t->smt, t->nr_pkgs, t->nr_nodes, t->nr_llcs, t->nr_clusters);
	printf("caches (cpu 0): L1d %s", human_size(t->cache_size[1], sz, sizeof(sz)));
	printf("  L2 %s", human_size(t->cache_size[2], sz, sizeof(sz)));
	printf("  L3 %s\n", human_size(t->cache_size[3], sz, sizeof(sz)));
	printf("\npackages:\n");
	for (int p = 0; p < t->nr_pkgs; p++)
		printf("  pkg %d: %d cpus: %s\n", p, t->pkg[p].nr_cpus,
		       cpumask_to_list(&t->pkg[p].cpus, buf, sizeof(buf)));
	printf("\nnuma nodes:\n");
	for (int n = 0; n < t->nr_nodes; n++) {
		const struct topo_node *nd = &t->node[n];
		printf("  node %d (os %d%s%s): %d cpus, memory %s: %s\n", n, nd->os_index,
		       nd->subtype[0] ? ", " : "", nd->subtype, nd->nr_cpus,
		       human_size(nd->mem_bytes, sz, sizeof(sz)),
		       nd->nr_cpus ? cpumask_to_list(&nd->cpus, buf, sizeof(buf)) : "(memory only)");
	}

	/* LLCs: one line when they are all alike, else runs of alike ones */
	/* only machines whose CPUs differ in capacity: the others print as before */
	if (t->asym_capacity) {
		printf("\ncpu capacity (arch_scale_cpu_capacity, from the CPU kinds):\n");
		for (int i = 0; i < t->nr_cpus;) {
			int j = i + 1;

			while (j < t->nr_cpus && t->cpu[j].capacity == t->cpu[i].capacity &&
			       t->cpu[j].kind == t->cpu[i].kind)
				j++;
			printf("  cpus %d-%d: kind %d, capacity %u\n", i, j - 1, t->cpu[i].kind,
			       t->cpu[i].capacity);
			i = j;
		}
	}

	printf("\nllcs (scheduler LLC = cache ∩ NUMA node):\n");
	for (int i = 0; i < t->nr_llcs;) {
		int j = i + 1;

		while (j < t->nr_llcs && t->llc[j].nr_cpus == t->llc[i].nr_cpus &&
		       t->llc[j].size_bytes == t->llc[i].size_bytes)
			j++;
		if (i == 0 && j == t->nr_llcs)
			printf("  %d LLC%s: %d CPUs each (%s)", j, j > 1 ? "s" : "", t->llc[i].nr_cpus,
			       human_size(t->llc[i].size_bytes, sz, sizeof(sz)));
		else if (j - i == 1)
			printf("  LLC %d: %d CPUs (%s)", i, t->llc[i].nr_cpus,
			       human_size(t->llc[i].size_bytes, sz, sizeof(sz)));
		else
			printf("  LLC %d-%d: %d CPUs each (%s)", i, j - 1, t->llc[i].nr_cpus,
			       human_size(t->llc[i].size_bytes, sz, sizeof(sz)));
		if (t->llc[i].hw_cpus != t->llc[i].nr_cpus)
			printf(", L%d object %s shared by %d CPUs", t->llc[i].cache_level,
			       human_size(t->llc[i].hw_size_bytes, sz2, sizeof(sz2)), t->llc[i].hw_cpus);
		printf("\n");
		i = j;
	}

	printf("\nsched domains of cpu 0%s:\n",
	       s->node_distance_used ? " (remote distances averaged, arch_sched_node_distance)" : "");
	if (!s->base[0])
		printf("  none (single CPU)\n");
	for_each_domain_tmpl(sd, s->base[0]) {
		printf("  %-4s span %4d  groups %3d  imbalance_pct %d  cache_nice_tries %d  interval %d-%d ms  busy_factor %d  imb_numa_nr %d",
		       sd->name, sd->span_weight, sd->nr_groups, sd->imbalance_pct, sd->cache_nice_tries,
		       sd->min_interval, sd->max_interval, sd->busy_factor, sd->imb_numa_nr);
		if (sd->numa_distance)
			printf("  distance %d", sd->numa_distance);
		printf("\n       ");
		print_flags(sd->flags);
		printf("\n");
	}

	printf("\nnuma distances%s:\n", t->dist_fallback ? " (none in the input: default 10/20)" : "");
	printf("  node");
	for (int j = 0; j < t->nr_nodes; j++)
		printf(" %4d", j);
	printf("\n");
	for (int i = 0; i < t->nr_nodes; i++) {
		printf("  %4d", i);
		for (int j = 0; j < t->nr_nodes; j++)
			printf(" %4d", topo_distance(t, i, j));
		printf("\n");
	}
	printf("\ninfo pairs: %d\n", t->nr_info);
}

static json_t *build_json(const struct topo *t, const struct sd_topology *s)
{
	static char buf[CPUMASK_MAX_CPUS * 6];
	json_t *o = json_object(), *doms = json_array(), *dist = json_array();
	json_t *cs = json_object(), *llcs = json_array(), *info = json_object();

	json_object_set_new(o, "cpus", json_integer(t->nr_cpus));
	json_object_set_new(o, "cores", json_integer(t->nr_cores));
	json_object_set_new(o, "packages", json_integer(t->nr_pkgs));
	json_object_set_new(o, "numa_nodes", json_integer(t->nr_nodes));
	json_object_set_new(o, "llcs", json_integer(t->nr_llcs));
	json_object_set_new(o, "smt", json_integer(t->smt));
	json_object_set_new(o, "llc_size_bytes", json_integer((json_int_t)t->llc[0].size_bytes));
	for_each_domain_tmpl(sd, s->base[0]) {
		json_t *d = json_object(), *fl = json_array();

		json_object_set_new(d, "name", json_string(sd->name));
		json_object_set_new(d, "span", json_integer(sd->span_weight));
		for (int b = 0; sd_flag_name(b); b++)
			if (sd->flags & (1u << b))
				json_array_append_new(fl, json_string(sd_flag_name(b)));
		json_object_set_new(d, "flags", fl);
		json_object_set_new(d, "imbalance_pct", json_integer(sd->imbalance_pct));
		json_object_set_new(d, "cache_nice_tries", json_integer(sd->cache_nice_tries));
		json_object_set_new(d, "min_interval", json_integer(sd->min_interval));
		json_object_set_new(d, "max_interval", json_integer(sd->max_interval));
		json_object_set_new(d, "busy_factor", json_integer(sd->busy_factor));
		json_object_set_new(d, "imb_numa_nr", json_integer(sd->imb_numa_nr));
		json_object_set_new(d, "groups", json_integer(sd->nr_groups));
		if (sd->numa_distance)
			json_object_set_new(d, "numa_distance", json_integer(sd->numa_distance));
		json_array_append_new(doms, d);
	}
	json_object_set_new(o, "domains", doms);
	for (int i = 0; i < t->nr_nodes; i++) {
		json_t *row = json_array();
		for (int j = 0; j < t->nr_nodes; j++)
			json_array_append_new(row, json_integer(topo_distance(t, i, j)));
		json_array_append_new(dist, row);
	}
	json_object_set_new(o, "distances", dist);

	/* extra keys, after the fixed ones */
	json_object_set_new(o, "name", json_string(t->name));
	json_object_set_new(o, "source", json_string(t->source));
	json_object_set_new(o, "distances_fallback", json_boolean(t->dist_fallback));
	json_object_set_new(o, "node_distance_used", json_integer(s->node_distance_used));
	json_object_set_new(cs, "l1d", json_integer((json_int_t)t->cache_size[1]));
	json_object_set_new(cs, "l2", json_integer((json_int_t)t->cache_size[2]));
	json_object_set_new(cs, "l3", json_integer((json_int_t)t->cache_size[3]));
	json_object_set_new(o, "cache_sizes", cs);
	for (int i = 0; i < t->nr_llcs; i++)
		json_array_append_new(llcs, json_integer(t->llc[i].nr_cpus));
	json_object_set_new(o, "llc_cpus", llcs);
	json_t *nodes = json_array();
	for (int i = 0; i < t->nr_nodes; i++) {
		json_t *n = json_object();
		json_object_set_new(n, "os_index", json_integer(t->node[i].os_index));
		json_object_set_new(n, "cpus", json_string(cpumask_to_list(&t->node[i].cpus, buf, sizeof(buf))));
		json_object_set_new(n, "mem_bytes", json_integer((json_int_t)t->node[i].mem_bytes));
		if (t->node[i].subtype[0])
			json_object_set_new(n, "subtype", json_string(t->node[i].subtype));
		json_array_append_new(nodes, n);
	}
	json_object_set_new(o, "nodes", nodes);
	for (int i = 0; i < t->nr_info; i++) {
		char key[sizeof(t->info[i].obj) + sizeof(t->info[i].name) + 2];

		snprintf(key, sizeof(key), "%s/%s", t->info[i].obj, t->info[i].name);
		json_object_set_new(info, key, json_string(t->info[i].value));
	}
	json_object_set_new(o, "info", info);
	return o;
}


/* ---- --show-model --------------------------------------------------------- */

/* Relations of CPU 0 to the other CPUs, nearest first (perf.h enum
 * perf_rel, without REL_SAME). */
static const struct {
	const char *key, *label;
	int param;
} relations[] = {
	{ "smt", "SMT sibling", MP_c2c_smt_ns },
	{ "llc", "same LLC", MP_c2c_llc_ns },
	{ "xllc", "other LLC, same package", MP_c2c_xllc_ns },
	{ "xpkg", "other package", MP_c2c_xpkg_ns },
};

static void relation_counts(const struct topo *t, int counts[4])
{
	const struct topo_cpu *c0 = &t->cpu[0];

	memset(counts, 0, 4 * sizeof(*counts));
	for (int c = 1; c < t->nr_cpus; c++) {
		const struct topo_cpu *c1 = &t->cpu[c];

		if (c1->core == c0->core)
			counts[0]++;
		else if (c1->llc == c0->llc)
			counts[1]++;
		else if (c1->pkg == c0->pkg)
			counts[2]++;
		else
			counts[3]++;
	}
}

/* Distinct SLIT distances, ascending; returns how many. */
static int distinct_distances(const struct topo *t, int *out, int max)
{
	int n = 0;

	for (int i = 0; i < t->nr_nodes * t->nr_nodes; i++) {
		int d = t->dist[i], k;

		for (k = 0; k < n && out[k] != d; k++)
			;
		if (k == n && n < max)
			out[n++] = d;
	}
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
			int x = out[j];
			out[j] = out[j - 1];
			out[j - 1] = x;
		}
	return n;
}

/* DRAM latency at SLIT distance @d: dram_local_ns at the local distance
 * (10), dram_remote_ns at the largest one, linear in between. */
static double dram_latency(const struct machine_profile *p, int d, int dmin, int dmax)
{
	if (dmax <= dmin)
		return p->v[MP_dram_local_ns];
	return p->v[MP_dram_local_ns] +
	       (p->v[MP_dram_remote_ns] - p->v[MP_dram_local_ns]) * (d - dmin) / (double)(dmax - dmin);
}

static const struct {
	const char *name, *depth;
	int exit, target;
} idle_states[] = {
	{ "C1", "shallow", MP_idle1_exit_ns, MP_idle1_target_ns },
	{ "C2", "mid", MP_idle2_exit_ns, MP_idle2_target_ns },
	{ "C3", "deep", MP_idle3_exit_ns, MP_idle3_target_ns },
};

static void print_model(const struct topo *t, const struct machine_profile *p)
{
	int counts[4], dists[64], nd, namew = 9, valw = 5, unitw = 4;
	char val[32];

	printf("topology: %s (%s)\n", t->name, t->source);
	printf("machine profile: %s\n", p->name);
	printf("part: %s\n\n", p->cpu);
	for (int i = 0; i < MP_NR; i++) {
		int n = snprintf(val, sizeof(val), "%g", p->v[i]);

		namew = MAX(namew, (int)strlen(model_param_defs[i].name));
		valw = MAX(valw, n);
		unitw = MAX(unitw, (int)strlen(model_param_defs[i].unit));
	}
	printf("%-*s  %*s  %-*s  %s\n", namew, "parameter", valw, "value", unitw, "unit", "source");
	for (int i = 0; i < MP_NR; i++) {
		snprintf(val, sizeof(val), "%g", p->v[i]);
		printf("%-*s  %*s  %-*s  %s\n", namew, model_param_defs[i].name, valw, val, unitw,
		       model_param_defs[i].unit, p->src[i]);
	}

	relation_counts(t, counts);
	printf("\ncache-to-cache latency by relation (cpus counted from cpu 0):\n");
	printf("  %-24s %6s %10s\n", "relation", "cpus", "latency");
	for (int r = 0; r < 4; r++)
		printf("  %-24s %6d %7g ns\n", relations[r].label, counts[r], p->v[relations[r].param]);

	nd = distinct_distances(t, dists, (int)ARRAY_SIZE(dists));
	printf("\nDRAM latency by NUMA distance (local at %d, dram_remote_ns at the largest, linear between):\n",
	       nd ? dists[0] : 10);
	printf("  %8s %10s\n", "distance", "latency");
	for (int k = 0; k < nd; k++)
		printf("  %8d %7.4g ns\n", dists[k], dram_latency(p, dists[k], dists[0], dists[nd - 1]));

	printf("\nidle states (exit latency / target residency):\n");
	for (size_t s = 0; s < ARRAY_SIZE(idle_states); s++) {
		double ex = p->v[idle_states[s].exit], tg = p->v[idle_states[s].target];

		if (ex <= 0 && tg <= 0)
			printf("  %-3s %-8s absent\n", idle_states[s].name, idle_states[s].depth);
		else
			printf("  %-3s %-8s %g us / %g us\n", idle_states[s].name, idle_states[s].depth, ex / 1000,
			       tg / 1000);
	}
}

static json_t *build_model_json(const struct topo *t, const struct machine_profile *p)
{
	json_t *o = json_object(), *params = json_object(), *rels = json_array(), *dram = json_array();
	json_t *idle = json_array();
	int counts[4], dists[64], nd;

	json_object_set_new(o, "topology", json_string(t->name));
	json_object_set_new(o, "source", json_string(t->source));
	json_object_set_new(o, "profile", json_string(p->name));
	json_object_set_new(o, "cpu", json_string(p->cpu));
	for (int i = 0; i < MP_NR; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "value", json_real(p->v[i]));
		json_object_set_new(e, "unit", json_string(model_param_defs[i].unit));
		json_object_set_new(e, "source", json_string(p->src[i]));
		json_object_set_new(params, model_param_defs[i].name, e);
	}
	json_object_set_new(o, "params", params);
	relation_counts(t, counts);
	for (int r = 0; r < 4; r++) {
		json_t *e = json_object();

		json_object_set_new(e, "relation", json_string(relations[r].key));
		json_object_set_new(e, "cpus", json_integer(counts[r]));
		json_object_set_new(e, "c2c_ns", json_real(p->v[relations[r].param]));
		json_array_append_new(rels, e);
	}
	json_object_set_new(o, "relations", rels);
	nd = distinct_distances(t, dists, (int)ARRAY_SIZE(dists));
	for (int k = 0; k < nd; k++) {
		json_t *e = json_object();

		json_object_set_new(e, "distance", json_integer(dists[k]));
		json_object_set_new(e, "latency_ns", json_real(dram_latency(p, dists[k], dists[0], dists[nd - 1])));
		json_array_append_new(dram, e);
	}
	json_object_set_new(o, "dram_latency_by_distance", dram);
	for (size_t s = 0; s < ARRAY_SIZE(idle_states); s++) {
		json_t *e = json_object();
		double ex = p->v[idle_states[s].exit], tg = p->v[idle_states[s].target];

		json_object_set_new(e, "state", json_string(idle_states[s].name));
		json_object_set_new(e, "present", json_boolean(ex > 0 || tg > 0));
		json_object_set_new(e, "exit_ns", json_real(ex));
		json_object_set_new(e, "target_ns", json_real(tg));
		json_array_append_new(idle, e);
	}
	json_object_set_new(o, "idle_states", idle);
	return o;
}

static void print_json(json_t *o)
{
	char *txt = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));

	if (txt) {
		fputs(txt, stdout);
		fputc('\n', stdout);
		free(txt);
	}
	json_decref(o);
}

int cmd_topo(int argc, char **argv)
{
	const char *spec = NULL, *profile = NULL, *set_values[MAX_SETS];
	char set_keys[MAX_SETS][128];
	bool json = false, quiet = false, model = false;
	int nr_sets = 0;
	struct topo *t;
	struct sd_topology *s;
	struct diag err;
	char msg[DIAG_MSG_MAX + 64];

	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'P' },
		{ "set", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'J' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "show-model", no_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'P': profile = optarg; model = true; break;
		case 's':
			if (nr_sets == MAX_SETS) {
				cmd_error("topo: too many --set options");
				return EXIT_BADINPUT;
			}
			if (cmd_opt_keyvalue("--set", optarg, set_keys[nr_sets], sizeof(set_keys[0]), &set_values[nr_sets]))
				return EXIT_BADINPUT;
			nr_sets++;
			model = true;
			break;
		case 'J': json = true; break;
		case 'q': quiet = true; break;
		case 'M': model = true; break;
		case 'h': usage(stdout); return 0;
		case ':':
		default: return cmd_opt_error("topo", c, argv);
		}
	}
	if (optind < argc)
		spec = argv[optind++];
	if (optind < argc) {
		snprintf(msg, sizeof(msg), "topo: more than one topology given ('%s' and '%s')", spec, argv[optind]);
		cmd_error(msg);
		return EXIT_BADINPUT;
	}
	if (!spec) {
		cmd_error("topo: missing topology (usage: cassim topo SPEC [--json] [--quiet] [--show-model])");
		return EXIT_BADINPUT;
	}
	if (quiet)
		diag_quiet_warnings(1);
	if (topo_load(spec, study_data_dirs("topologies"), &t, &err) < 0) {
		cmd_error(err.msg);
		return EXIT_BADINPUT;
	}
	if (model) {
		struct machine_profile p;

		if (profile_for_topo(t, profile, &p, &err) < 0)
			goto bad_model;
		for (int i = 0; i < nr_sets; i++)
			if (profile_set(&p, set_keys[i], set_values[i], &err) < 0)
				goto bad_model;
		if (json)
			print_json(build_model_json(t, &p));
		else
			print_model(t, &p);
		topo_free(t);
		return 0;
bad_model:
		cmd_error(err.msg);
		topo_free(t);
		return EXIT_BADINPUT;
	}
	if (sd_build(t, &s, &err) < 0) {
		cmd_error(err.msg);
		topo_free(t);
		return 1;
	}
	if (json) {
		json_t *o = build_json(t, s);
		char *txt = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		if (txt) {
			fputs(txt, stdout);
			fputc('\n', stdout);
			free(txt);
		}
		json_decref(o);
	} else {
		print_text(t, s);
	}
	sd_free(s);
	topo_free(t);
	return 0;
}
