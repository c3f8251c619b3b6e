/*
 * cassim topo SPEC [--json] [--quiet]: show a machine as the scheduler sees
 * it -- packages, NUMA nodes, LLCs, and the sched-domain levels of CPU 0
 * with their sd_init() parameters.
 */
#include "cmd/cmd.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/topo.h"
#include "sched/sd.h"

static void usage(FILE *f)
{
	fputs("usage: cassim topo SPEC [--json] [--quiet]\n"
	      "\n"
	      "Show a machine topology as Linux's scheduler sees it.\n"
	      "\n"
	      "SPEC is one of:\n"
	      "  NAME               a shipped topology (topologies/NAME.xml)\n"
	      "  PATH               an hwloc XML file (lstopo --of xml)\n"
	      "  synthetic:STRING   an hwloc synthetic description\n"
	      "  host               this machine\n"
	      "\n"
	      "Options:\n"
	      "  --json    print JSON instead of text\n"
	      "  --quiet   no warnings (e.g. missing NUMA distances)\n"
	      "  --help    this text\n", f);
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

int cmd_topo(int argc, char **argv)
{
	const char *spec = NULL;
	bool json = false, quiet = false;
	struct topo *t;
	struct sd_topology *s;
	struct diag err;
	char msg[DIAG_MSG_MAX + 64];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
			quiet = true;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			snprintf(msg, sizeof(msg), "topo: unknown option '%s' (see cassim topo --help)", argv[i]);
			cmd_error(msg);
			return EXIT_BADINPUT;
		} else if (!spec) {
			spec = argv[i];
		} else {
			snprintf(msg, sizeof(msg), "topo: more than one topology given ('%s' and '%s')", spec, argv[i]);
			cmd_error(msg);
			return EXIT_BADINPUT;
		}
	}
	if (!spec) {
		cmd_error("topo: missing topology (usage: cassim topo SPEC [--json] [--quiet])");
		return EXIT_BADINPUT;
	}
	if (quiet)
		diag_quiet_warnings(1);
	if (topo_load(spec, cmd_data_dirs("topologies"), &t, &err) < 0) {
		cmd_error(err.msg);
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
