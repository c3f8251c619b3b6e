/* cassim run: one simulation. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/param.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "study/jobs.h"
#include "report/file.h"
#include "report/report.h"
#include "report/tidy.h"
#include "simulation.h"

#define DEFAULT_TOPOLOGY STUDY_DEFAULT_TOPOLOGY
#define DEFAULT_WORKLOAD STUDY_DEFAULT_WORKLOAD
#define MAX_SETS 256

static void run_usage(FILE *f)
{
	fputs("usage: cassim run [--topology SPEC] [--workload FILE] [--policy NAME]\n"
	      "                  [--set KEY=VALUE]... [--duration TIME] [--seed N]\n"
	      "                  [--profile NAME] [--no-model] [--lenient]\n"
	      "                  [--json FILE] [--csv FILE] [--quiet]\n"
	      "                  [--trace FILE] [--timeline FILE] [--trace-from TIME] [--trace-to TIME]\n"
	      "\n"
	      "Run one simulation and print a summary.\n"
	      "\n"
	      "  -t, --topology SPEC   hwloc XML path, shipped name, synthetic:\"...\" or host\n"
	      "                        (default " DEFAULT_TOPOLOGY ")\n"
	      "  -w, --workload FILE   workload JSON path or shipped name (default " DEFAULT_WORKLOAD ")\n"
	      "  -p, --policy NAME     scheduling policy (default cfs)\n"
	      "  -s, --set KEY=VALUE   set a scheduler tunable, a machine-model value or a\n"
	      "                        workload ${parameter}\n"
	      "  -d, --duration TIME   simulated time, e.g. 500ms, 2s (default: the workload's, else 2s)\n"
	      "      --seed N          random seed (default 1); same inputs + seed = same results\n"
	      "      --json FILE       write results and the full configuration as JSON\n"
	      "      --csv FILE        write results as tidy CSV (the layout of cassim(1) CSV)\n"
	      "      --trace FILE      write a Chrome trace-event JSON of the run (ui.perfetto.dev,\n"
	      "                        chrome://tracing): a track per CPU, grouped by NUMA node\n"
	      "                        and LLC; tasks as slices, wakeups and migrations as flows,\n"
	      "                        policy decisions as instant events\n"
	      "      --timeline FILE   write the run slices as CSV, one row per slice of a task on\n"
	      "                        a CPU: cpu,llc,node,start_ns,end_ns,pid,tid,process,thread\n"
	      "                        (for cassim plot timeline / occupancy)\n"
	      "      --trace-from TIME, --trace-to TIME\n"
	      "                        keep only [from, to) of the run in --trace and --timeline\n"
	      "                        (default: the whole run)\n"
	      "      --profile NAME    machine profile (default: chosen from the topology;\n"
	      "                        cassim topo SPEC --show-model lists every value)\n"
	      "      --no-model        turn the machine model off: every CPU runs work at\n"
	      "                        speed 1; wakeups, messages and idle exits cost nothing\n"
	      "      --lenient         rt-app files: skip unsupported events with a warning\n"
	      "  -q, --quiet           no summary on stdout, no warnings\n"
	      "\n"
	      "Scheduler tunables (--set):\n", f);
	for (size_t i = 0; i < sched_nr_param_defs; i++) {
		const struct param_def *d = &sched_param_defs[i];
		char def[64], lo[32], hi[32];
		struct sched_params p;
		sched_params_defaults(&p);
		param_format(d, &p, def, sizeof(def));
		snprintf(lo, sizeof(lo), "%g", d->min);
		snprintf(hi, sizeof(hi), "%g", d->max);
		fprintf(f, "  %-24s default %s, range %s..%s %s\n      %s\n", d->name, def, lo, hi,
			d->unit, d->help);
	}
	fputs("\nMachine-model values (--set; see cassim topo SPEC --show-model for each\n"
	      "value a run uses and its source):\n", f);
	for (int i = 0; i < MP_NR; i++)
		fprintf(f, "  %-24s %s, range %g..%g\n      %s\n", model_param_defs[i].name,
			model_param_defs[i].unit, model_param_defs[i].min, model_param_defs[i].max,
			model_param_defs[i].help);
	{
		char names[1024];
		policy_names(names, sizeof(names));
		fprintf(f, "\nPolicies (cassim policies lists their features and tunables): %s.\n", names);
	}
}

/*
 * The --json and --csv files, all or nothing: both are written and closed
 * under temporary names, then renamed into place; if either fails, neither
 * replaces what was at its path.  Returns 0 or EXIT_OUTPUT.
 */
static int write_results(const char *json_path, const char *csv_path, const struct results *res,
			 json_t *config, const struct tidy_key *key, struct diag *err)
{
	struct afile json = { .f = NULL }, csv = { .f = NULL };

	if (json_path) {
		if (afile_open(&json, json_path, err))
			return EXIT_OUTPUT;
		errno = 0;
		if (report_dump_json(json.f, res, config)) {
			int e = errno;

			if (ferror(json.f)) {
				afile_fail(&json, e, err);
				return EXIT_OUTPUT;
			}
			afile_abort(&json);
			diag_set(err, "%s: cannot write JSON results: out of memory", json_path);
			return EXIT_OUTPUT;
		}
		if (afile_finish(&json, err))
			return EXIT_OUTPUT;
	}
	if (csv_path) {
		if (afile_open(&csv, csv_path, err))
			goto fail;
		report_csv(csv.f, res, key);
		if (afile_finish(&csv, err))
			goto fail;
	}
	if ((json_path && afile_publish(&json, err)) || (csv_path && afile_publish(&csv, err)))
		goto fail;
	return 0;
fail:
	afile_abort(&json);
	afile_abort(&csv);
	return EXIT_OUTPUT;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "topology", required_argument, NULL, 't' },
		{ "workload", required_argument, NULL, 'w' },
		{ "policy", required_argument, NULL, 'p' },
		{ "set", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 'S' },
		{ "json", required_argument, NULL, 'J' },
		{ "csv", required_argument, NULL, 'C' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "profile", required_argument, NULL, 'P' },
		{ "no-model", no_argument, NULL, 'M' },
		{ "lenient", no_argument, NULL, 'L' },
		{ "trace", required_argument, NULL, 'T' },
		{ "timeline", required_argument, NULL, 'l' },
		{ "trace-from", required_argument, NULL, 'F' },
		{ "trace-to", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *topo_spec = DEFAULT_TOPOLOGY, *wl_arg = DEFAULT_WORKLOAD, *policy = "cfs";
	const char *json_path = NULL, *csv_path = NULL, *profile = NULL;
	const char *trace_path = NULL, *timeline_path = NULL;
	simtime_t trace_from = 0, trace_to = 0;
	bool model = true, lenient = false;
	const char *set_keys[MAX_SETS], *set_values[MAX_SETS];
	char params[1024];
	struct tidy_key key;
	char keybuf[MAX_SETS][64];
	int nr_sets = 0, quiet = 0, c, ret;
	struct sim_config cfg;
	struct diag err = { { 0 } };
	struct results res = { 0 };
	struct job job = { 0 };

	sim_config_init(&cfg);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:w:p:s:d:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't': topo_spec = optarg; break;
		case 'w': wl_arg = optarg; break;
		case 'p': policy = optarg; break;
		case 's':
			if (nr_sets == MAX_SETS) {
				cmd_error("too many --set options");
				return EXIT_BADINPUT;
			}
			if (cmd_opt_keyvalue("--set", optarg, keybuf[nr_sets], sizeof(keybuf[0]), &set_values[nr_sets]))
				return EXIT_BADINPUT;
			set_keys[nr_sets] = keybuf[nr_sets];
			nr_sets++;
			break;
		case 'd':
			if (cmd_opt_time("--duration", optarg, NSEC_PER_SEC, true, "", &cfg.duration))
				return EXIT_BADINPUT;
			break;
		case 'S': {
			long long v;
			/* within int64 so that the JSON echo re-runs */
			if (cmd_opt_int("--seed", optarg, 0, INT64_MAX, "", &v))
				return EXIT_BADINPUT;
			cfg.seed = (uint64_t)v;
			break;
		}
		case 'J': json_path = optarg; break;
		case 'C': csv_path = optarg; break;
		case 'q': quiet = 1; break;
		case 'P': profile = optarg; break;
		case 'M': model = false; break;
		case 'L': lenient = true; break;
		case 'T': trace_path = optarg; break;
		case 'l': timeline_path = optarg; break;
		case 'F':
		case 'U':
			if (cmd_opt_time(c == 'F' ? "--trace-from" : "--trace-to", optarg, NSEC_PER_SEC, c == 'U', "",
					 c == 'F' ? &trace_from : &trace_to))
				return EXIT_BADINPUT;
			break;
		case 'h': run_usage(stdout); return 0;
		case ':':
		default:
			return cmd_opt_error("run", c, argv);
		}
	}
	if (optind < argc) {
		cmd_errorf("unexpected argument '%s' (see cassim run --help)", argv[optind]);
		return EXIT_BADINPUT;
	}
	if (trace_to && trace_to <= trace_from) {
		cmd_error("--trace-to must be later than --trace-from");
		return EXIT_BADINPUT;
	}
	if ((trace_from || trace_to) && !trace_path && !timeline_path) {
		cmd_error("--trace-from/--trace-to need --trace or --timeline");
		return EXIT_BADINPUT;
	}
	if (quiet)
		diag_quiet_warnings(1);
	/* every output, before the run: an unwritable one costs no simulation */
	if (cmd_probe_outputs((const char *[]){ json_path, csv_path, trace_path, timeline_path }, 4))
		return EXIT_OUTPUT;
	job = (struct job){
		.topology = topo_spec,
		.workload = wl_arg,
		.policy = policy,
		.seed = cfg.seed,
		.duration = cfg.duration,
		.nr_sets = nr_sets,
		.set_keys = set_keys,
		.set_values = set_values,
		.no_model = !model,
		.profile = profile,
		.lenient = lenient,
		.trace_path = trace_path,
		.timeline_path = timeline_path,
		.trace_from = trace_from,
		.trace_to = trace_to,
	};
	job_run_results(&job, &res);
	if (job.status) {
		cmd_error(job.error);
		return job.status;
	}
	tidy_parameters(params, sizeof(params), set_keys, set_values, nr_sets);
	key = (struct tidy_key){ .topology = topo_spec, .workload = wl_arg, .parameters = params, .policy = policy,
				 .seed = cfg.seed, .has_seed = true };
	ret = write_results(json_path, csv_path, &res, json_object_get(job.result, "config"), &key, &err);
	if (ret)
		cmd_error(err.msg);
	else if (!quiet)
		report_text(stdout, &res);
	jobs_free(&job, 1);
	sim_results_free(&res);
	return ret;
}
