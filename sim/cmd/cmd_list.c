/*
 * cassim list topologies|workloads|policies|metrics: the names the other
 * verbs accept, one per line (or a JSON array), so that they can be found
 * rather than guessed.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "base/param.h"
#include "base/suggest.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "study/jobs.h"
#include "report/scalars.h"
#include "policies/policy.h"

#define METRICS_DURATION "10ms"

static void list_usage(FILE *f)
{
	fputs("usage: cassim list topologies|workloads|policies [--json]\n"
	      "       cassim list metrics [-t TOPOLOGY] [-w WORKLOAD] [-p POLICY] [-d TIME] [--json]\n"
	      "\n"
	      "The names the other commands accept, one per line:\n"
	      "  topologies  the shipped machines (topologies/*.xml), for --topology\n"
	      "  workloads   the shipped workloads (workloads/*.json), for --workload\n"
	      "  policies    the scheduling policies, with those of a --policy-module\n"
	      "  metrics     the metrics a run of WORKLOAD under POLICY on TOPOLOGY reports\n"
	      "              (what compare, sweep --report and plot --metric take): found\n"
	      "              by a short run (-d, default " METRICS_DURATION ")\n"
	      "\n"
	      "  -t, --topology SPEC   metrics: as cassim run (default " STUDY_DEFAULT_TOPOLOGY ")\n"
	      "  -w, --workload FILE   metrics: as cassim run (default " STUDY_DEFAULT_WORKLOAD ")\n"
	      "  -p, --policy NAME     metrics: as cassim run (default cfs)\n"
	      "  -d, --duration TIME   metrics: simulated time of the run (default " METRICS_DURATION ")\n"
	      "      --json            a JSON array: names; for metrics objects with name,\n"
	      "                        unit and better (higher, lower or none)\n"
	      "  -h, --help            this text\n"
	      "\n"
	      "Exit status 0, 1 if the run of list metrics failed, 2 for bad usage or input.\n", f);
}

/* @a on one line of stdout; takes the reference. */
static void dump_json(json_t *a)
{
	json_dumpf(a, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(a);
}

/* One name per line, or a JSON array of them. */
static int print_names(const char *const *names, int n, bool json)
{
	if (json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++)
			json_array_append_new(a, json_string(names[i]));
		dump_json(a);
	} else {
		for (int i = 0; i < n; i++)
			puts(names[i]);
	}
	return fflush(stdout) ? 1 : 0;
}

static int list_files(const char *sub, const char *ext, bool json)
{
	char **names = NULL;
	int n = suggest_files(study_data_dirs(sub), ext, &names), ret;

	if (n < 0) {
		cmd_error("out of memory");
		return 1;
	}
	ret = print_names((const char *const *)names, n, json);
	suggest_names_free(names, n);
	return ret;
}

static int list_policies(bool json)
{
	int nr, ret;
	const struct policy *const *pl = policy_list(&nr);
	const char **names = xcalloc((size_t)(nr ? nr : 1), sizeof(*names));

	if (!names) {
		cmd_error("out of memory");
		return 1;
	}
	for (int i = 0; i < nr; i++)
		names[i] = pl[i]->name;
	ret = print_names(names, nr, json);
	free(names);
	return ret;
}

static int list_metrics(struct job *job, bool json)
{
	struct scalar *sc = NULL;
	int n, ret = 0;

	job_run_one(job);
	if (job->status) {
		cmd_error(job->error);
		return job->status;
	}
	n = scalars_of(job->result, &sc);
	if (n < 0) {
		cmd_error("out of memory");
		return 1;
	}
	if (json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name", sc[i].name, "unit", sc[i].unit,
							   "better", sc[i].dir == STATS_HIGHER ? "higher" :
							   sc[i].dir == STATS_LOWER ? "lower" : "none"));
		dump_json(a);
	} else {
		for (int i = 0; i < n; i++)
			puts(sc[i].name);
	}
	if (fflush(stdout))
		ret = 1;
	free(sc);
	return ret;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "topology", required_argument, NULL, 't' },
		{ "workload", required_argument, NULL, 'w' },
		{ "policy", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static const char *const kinds[] = { "topologies", "workloads", "policies", "metrics" };
	struct job job = { .topology = STUDY_DEFAULT_TOPOLOGY, .workload = STUDY_DEFAULT_WORKLOAD, .policy = "cfs",
			   .seed = 1 };
	bool json = false, run_opts = false;
	const char *what;
	char hint[160];
	int c, ret;

	parse_duration(METRICS_DURATION, NSEC_PER_SEC, &job.duration);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:w:p:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': job.topology = optarg; run_opts = true; break;
		case 'w': job.workload = optarg; run_opts = true; break;
		case 'p': job.policy = optarg; run_opts = true; break;
		case 'd':
			if (cmd_opt_time("--duration", optarg, NSEC_PER_SEC, true, " (see cassim list --help)", &job.duration))
				return EXIT_BADINPUT;
			run_opts = true;
			break;
		case 'J': json = true; break;
		case 'h': list_usage(stdout); return 0;
		case ':':
		default: return cmd_opt_error("list", c, argv);
		}
	}
	if (optind >= argc)
		return cmd_bad("list: what? (expected topologies, workloads, policies or metrics) (see cassim list --help)");
	if (optind + 1 < argc)
		return cmd_bad("list: unexpected argument %s (see cassim list --help)", argv[optind + 1]);
	what = argv[optind];
	if (run_opts && strcmp(what, "metrics"))
		return cmd_bad("-t, -w, -p and -d go with list metrics, not list %s (see cassim list --help)", what);
	if (!strcmp(what, "topologies"))
		return list_files("topologies", ".xml", json);
	if (!strcmp(what, "workloads"))
		return list_files("workloads", ".json", json);
	if (!strcmp(what, "policies"))
		return list_policies(json);
	if (!strcmp(what, "metrics")) {
		ret = list_metrics(&job, json);
		json_decref(job.result);
		return ret;
	}
	suggest_hint(hint, sizeof(hint), what, kinds, 4);
	cmd_errorf("list %s: unknown list%s (expected topologies, workloads, policies or metrics)", what, hint);
	return EXIT_BADINPUT;
}
