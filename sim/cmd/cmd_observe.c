/*
 * cassim observe: public observables (migrations per second, wakeup-latency
 * percentiles, ... measured on a stated machine, with their sources) beside
 * the model's figures for the same runs; not scored (study/observe.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/diag.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "cmd/progress.h"
#include "report/file.h"
#include "study/observe.h"

#define DEFAULT_SEEDS 2
#define MAX_SEEDS 100

static void usage(FILE *f)
{
	fputs("usage: cassim observe FILE.csv [--seeds N] [--jobs N] [--out FILE.md] [--quiet]\n"
	      "\n"
	      "Print public observables beside the model's figures, not scored: FILE.csv has\n"
	      "the header id,topology,workload,params,policy,duration,observable,published,source\n"
	      "('#' lines are comments; params are space-separated KEY=VALUE --set pairs; policy\n"
	      "empty = cfs; duration empty = the workload's).  Observables: migrations_per_s,\n"
	      "switches_per_s, wakeups_per_s (counters over the simulated run length),\n"
	      "wakeup_lat_p50_us, wakeup_lat_p99_us, wakeup_lat_p999_us.  Each row runs with\n"
	      "seeds 1..N; the table gives the mean, the range and model / published.\n"
	      "\n"
	      "  -n, --seeds N     seeds per row (default 2)\n"
	      "  -j, --jobs N      parallel runs (default: the online CPUs)\n"
	      "  -o, --out FILE    write the Markdown table to FILE instead of standard output\n"
	      "  -q, --quiet       no progress line\n",
	      f);
}

int cmd_observe(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seeds", required_argument, NULL, 'n' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int seeds = DEFAULT_SEEDS, workers = 0, c, nr = 0, ret = 0;
	long long v;
	const char *out = "-";
	bool quiet = false;
	struct obs_row *rows = NULL;
	struct job *jobs = NULL;
	struct diag err = { { 0 } };
	struct afile af;
	struct cmd_progress pr;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:j:o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (cmd_opt_int("--seeds", optarg, 1, MAX_SEEDS, "", &v))
				return EXIT_BADINPUT;
			seeds = (int)v;
			break;
		case 'j':
			if (cmd_opt_int("--jobs", optarg, 1, 4096, "", &v))
				return EXIT_BADINPUT;
			workers = (int)v;
			break;
		case 'o': out = optarg; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return 0;
		default:
			return cmd_opt_error("observe", c, argv);
		}
	}
	if (optind + 1 != argc)
		return cmd_bad("%s (see cassim observe --help)",
			       optind == argc ? "expected a CSV file of observables" : "expected exactly one CSV file");
	if (obs_read_csv(argv[optind], &rows, &nr, &err)) {
		cmd_error(err.msg);
		return EXIT_BADINPUT;
	}
	if (cmd_probe_outputs(&out, 1)) {
		obs_free(rows, nr);
		return EXIT_OUTPUT;
	}
	jobs = obs_plan(rows, nr, seeds);
	for (int i = 0; i < nr * seeds; i += seeds)
		if (job_check(&jobs[i])) {
			cmd_errorf("%s:%d: %s", argv[optind], rows[i / seeds].line, jobs[i].error);
			ret = EXIT_BADINPUT;
			goto out;
		}
	if (jobs_run(jobs, nr * seeds, workers, cmd_progress(&pr, "observe", !quiet)) < 0) {
		cmd_error("could not start the worker processes");
		ret = 1;
		goto out;
	}
	if (afile_open(&af, out, &err)) {
		cmd_error(err.msg);
		ret = EXIT_OUTPUT;
		goto out;
	}
	fputs("Public observables beside the model (not scored; sanity checks, not fitting targets)\n\n", af.f);
	if (obs_report(af.f, rows, nr, jobs, seeds))
		ret = 1;
	if (afile_commit(&af, &err)) {
		cmd_error(err.msg);
		ret = EXIT_OUTPUT;
	}
out:
	jobs_free(jobs, nr * seeds);
	free(jobs);
	obs_free(rows, nr);
	return ret;
}
