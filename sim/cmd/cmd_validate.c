/*
 * cassim validate: re-run published results and score the agreement (the
 * rule of published.md, study/validate_rule.c).  This verb parses the
 * options, asks the study (study/validate.c) to read, map and plan the rows,
 * runs the planned jobs in the worker pool, has the study score them, and
 * prints or writes the outputs (study/validate_report.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/diag.h"
#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "cmd/progress.h"
#include "report/file.h"
#include "study/jobs.h"
#include "study/sets.h"
#include "study/validate.h"
#include "study/validate_map.h"

#define DEFAULT_SEEDS 5
#define MAX_SEEDS 1000
#define DEFAULT_PREDICT_SEEDS 3


/* An int option 1..@max (cmd_opt_int). */
static int opt_pos_int(const char *opt, const char *arg, int max, int *out)
{
	long long v;

	if (cmd_opt_int(opt, arg, 1, max, "", &v))
		return -1;
	*out = (int)v;
	return 0;
}

/* ---- command ----------------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("usage: cassim validate FILE.csv [--seeds N] [--jobs N] [--duration-scale X]\n"
	      "                       [--out DIR] [--json] [--plot] [--predict]\n"
	      "                       [--predict-seeds N] [--only GLOB[,GLOB]...]\n"
	      "                       [--set KEY=VALUE]... [--ablate KEY=VALUE]...\n"
	      "                       [--ablate-seeds N] [--dry-run] [--quiet]\n"
	      "\n"
	      "Re-run published results and score the agreement.  FILE.csv has a header\n"
	      "id,revision,machine,benchmark,params,metric,change_pct[,source][,baseline] ('#'\n"
	      "lines are comments); change_pct is + when CAS (the revision) was better.  Each\n"
	      "row runs the baseline (cfs, or the revision the baseline column names, e.g.\n"
	      "merged, which gets the row's CAS tunables too) and the revision's policy with\n"
	      "the same seeds on the named topology; the verdict (published.md):\n"
	      "|published| >= 5 %: agree when the change has the same sign, its 95 % CI\n"
	      "excludes 0 and its size is within 10x of the published one, else a miss that\n"
	      "names the clause; |published| < 3 %: agree when within +-5 %; in between: not\n"
	      "scored; an unmapped or failed row is a scored miss.  The last line is\n"
	      "\"agreement: N of M scored rows\".\n"
	      "\n"
	      "  -n, --seeds N           seeds per configuration (default 5)\n"
	      "  -j, --jobs N            parallel runs (default: the online CPUs)\n"
	      "      --duration-scale X  scale every run length (default 1; 0.05 for a smoke test)\n"
	      "  -o, --out DIR           write DIR/report.md, results.csv, results.json\n"
	      "      --json              print results JSON on stdout instead of the table\n"
	      "      --plot              with --out: DIR/scatter.dat, scatter.png, scatter.svg\n"
	      "                          (gnuplot and papers/validation/scatter.gp)\n"
	      "      --predict           add predictions for xeon6-6980p-2s-snc3 and\n"
	      "                          epyc-9965-2s-nps1 (cfs, cas-v3, cas-v4, cas-merged)\n"
	      "      --predict-seeds N   seeds of the predictions (default min(3, --seeds))\n"
	      "      --only GLOB,...     only the rows whose id matches a glob (e.g. 'rfcv3-hb-*');\n"
	      "                          repeatable\n"
	      "  -s, --set KEY=VALUE     what-if: a machine-model value (cassim topo SPEC\n"
	      "                          --show-model) or a scheduler tunable for every run,\n"
	      "                          baseline and revision alike; the report says the\n"
	      "                          result is not the machine profiles'.  Repeatable\n"
	      "      --ablate KEY=VALUE  run every row again with this one value (a mechanism\n"
	      "                          switched off alone, e.g. os_noise=0) and report what\n"
	      "                          it moved: the change without it and the difference.\n"
	      "                          Repeatable (each alone; at most 8); not the predictions\n"
	      "      --ablate-seeds N    seeds of the ablation runs (default --seeds)\n"
	      "      --dry-run           map the rows and list the runs without running them\n"
	      "  -q, --quiet             no progress lines\n"
	      "\n"
	      "Exit status: 0 the validation ran (misses are results), 1 a run failed or an\n"
	      "output could not be written, 2 bad usage or a malformed CSV.\n",
	      f);
}


/* --set KEY=VALUE (a what-if, every run) or --ablate KEY=VALUE (each row
 * again with it), named @optname: KEY must be a machine-model value or a
 * scheduler tunable (a revision's tunables are the row's own), once; the
 * pair goes into @keys/@values (*@nr of at most @max; the key string holds
 * the value too).  -1 after printing the one-line error. */
static int add_model_set(const char *optname, const char *opt, const char **keys, const char **values, int *nr,
			 int max)
{
	char *arg = xstrdup(opt), *eq = strchr(arg, '=');
	struct diag err = { { 0 } };

	if (!eq || eq == arg) {
		cmd_errorf("%s %s: expected KEY=VALUE", optname, arg);
		goto fail;
	}
	*eq = '\0';
	for (int i = 0; i < *nr; i++)
		if (!strcmp(keys[i], arg)) {
			cmd_errorf("%s %s=%s: %s is set twice", optname, arg, eq + 1, arg);
			goto fail;
		}
	if (*nr == max) {
		cmd_errorf("too many %s options (at most %d)", optname, max);
		goto fail;
	}
	if (set_check_model(arg, eq + 1, &err)) {
		/* the parsers say "--set KEY=VALUE: why": name this option instead */
		char pre[DIAG_MSG_MAX];
		const char *why = err.msg;
		int n = snprintf(pre, sizeof(pre), "--set %s=%s: ", arg, eq + 1);

		if (n > 0 && !strncmp(why, pre, (size_t)n))
			why += n;
		cmd_errorf("%s %s=%s: %s", optname, arg, eq + 1, why);
		goto fail;
	}
	/* a copy: argv stays whole for the report's command line */
	keys[*nr] = arg;
	values[(*nr)++] = eq + 1;
	return 0;
fail:
	free(arg);
	return -1;
}


int cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seeds", required_argument, NULL, 'n' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "duration-scale", required_argument, NULL, 'D' },
		{ "out", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "plot", no_argument, NULL, 'P' },
		{ "predict", no_argument, NULL, 'R' },
		{ "predict-seeds", required_argument, NULL, 'S' },
		{ "only", required_argument, NULL, 'O' },
		{ "set", required_argument, NULL, 's' },
		{ "ablate", required_argument, NULL, 'A' },
		{ "ablate-seeds", required_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct validation V = { .seeds = DEFAULT_SEEDS, .scale = 1.0 };
	int workers = 0, c, ret = 0;
	const char *out_dir = NULL;
	bool json = false, plot = false, predict = false, dry = false, quiet = false, any_failed = false;
	struct diag err = { { 0 } };
	char cmdline[2048], plot_script[4096];
	const char *only[VR_MAX_SETS];
	int nr_only = 0;
	size_t cl = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:j:o:s:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'O':
			if (nr_only == VR_MAX_SETS) {
				cmd_errorf("too many --only options (at most %d)", VR_MAX_SETS);
				return EXIT_BADINPUT;
			}
			only[nr_only++] = optarg;
			break;
		case 's':
			if (add_model_set("--set", optarg, V.js.set_keys, V.js.set_values, &V.js.nr_sets,
					  VR_MAX_SETS))
				goto bad_option;
			break;
		case 'A':
			if (add_model_set("--ablate", optarg, V.abl_key, V.abl_value, &V.nr_abl, VR_MAX_ABLATIONS))
				goto bad_option;
			break;
		case 'a':
			if (opt_pos_int("--ablate-seeds", optarg, MAX_SEEDS, &V.aseeds))
				goto bad_option;
			break;
		case 'n':
			if (opt_pos_int("--seeds", optarg, MAX_SEEDS, &V.seeds))
				return EXIT_BADINPUT;
			break;
		case 'j':
			if (opt_pos_int("--jobs", optarg, 4096, &workers))
				return EXIT_BADINPUT;
			break;
		case 'S':
			if (opt_pos_int("--predict-seeds", optarg, MAX_SEEDS, &V.pseeds))
				return EXIT_BADINPUT;
			break;
		case 'D':
			if (cmd_opt_double("--duration-scale", optarg, 0, 1000, " (e.g. 0.1)", &V.scale))
				return EXIT_BADINPUT;
			break;
		case 'o': out_dir = optarg; break;
		case 'J': json = true; break;
		case 'P': plot = true; break;
		case 'R': predict = true; break;
		case 'N': dry = true; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return 0;
		case ':':
		default:
			return cmd_opt_error("validate", c, argv);
		}
	}
	if (optind + 1 != argc) {
		cmd_errorf("%s (see cassim validate --help)",
			optind == argc ? "expected a CSV file of published results" : "expected exactly one CSV file");
		return EXIT_BADINPUT;
	}
	V.csv = argv[optind];
	if (plot && !out_dir) {
		cmd_error("--plot needs --out DIR (the plot is written there)");
		return EXIT_BADINPUT;
	}
	if (!V.pseeds)
		V.pseeds = V.seeds < DEFAULT_PREDICT_SEEDS ? V.seeds : DEFAULT_PREDICT_SEEDS;
	if (!V.aseeds)
		V.aseeds = V.seeds;
	for (int a = 0; a < V.nr_abl; a++)
		for (int i = 0; i < V.js.nr_sets; i++)
			if (!strcmp(V.abl_key[a], V.js.set_keys[i])) {
				cmd_errorf("--ablate %s=%s: %s is also a what-if --set", V.abl_key[a], V.abl_value[a],
					   V.abl_key[a]);
				goto bad_option;
			}
	if (quiet)
		diag_quiet_warnings(1);
	cl = (size_t)snprintf(cmdline, sizeof(cmdline), "cassim validate");
	for (int i = 1; i < argc && cl < sizeof(cmdline); i++)
		cl += (size_t)snprintf(cmdline + cl, sizeof(cmdline) - cl, " %s", argv[i]);

	V.cmdline = cmdline;
	if (validate_read(&V, only, nr_only, &err)) {
		cmd_error(err.msg);
		return EXIT_BADINPUT;
	}
	if (out_dir && !dry && (afile_probe_dir(out_dir, &err) ||
				(mkdir(out_dir, 0777) && errno != EEXIST &&
				 diag_set(&err, "%s: cannot create the directory: %s", out_dir, strerror(errno))))) {
		diag_prefix(&err, "--out ");
		cmd_error(err.msg);
		free(V.rows);
		return EXIT_OUTPUT;
	}
	validate_plan(&V, predict);

	if (dry) {
		for (int i = 0; i < V.nr; i++) {
			const struct row *r = &V.rows[i];
			printf("%-26s %-22s %s", r->id, r->policy[0] ? r->policy : "-", vr_verdict_name[r->verdict]);
			if (r->reason[0])
				printf(": %s", r->reason);
			if (r->mapped) {
				printf("%s%s on %s, metrics.%s.%s (%s)", r->reason[0] ? "\n    " : ": ", r->map.workload, r->machine, r->map.metric,
				       r->map.stat, vr_sense_name(r->map.sense));
				for (int v = 0; v < r->map.nr_variants; v++) {
					char sets[512], d[32];
					vr_sets_str(&r->map.var[v], sets, sizeof(sets));
					vr_dur_str(r->map.var[v].duration, d, sizeof(d));
					printf("\n    --set %s; %s %s", sets, vr_is_fixed_work(&r->map) ? "cap" : "duration", d);
				}
				if (strcmp(r->base_policy, "cfs"))
					printf("\n    baseline: %s", r->base_policy);
				for (int k = 0; k < r->map.nr_policy_sets; k++)
					printf("\n    %s: --set %s=%s", strcmp(r->base_policy, "cfs") ? "both" : "revision only",
					       r->map.policy_sets[k].key, r->map.policy_sets[k].value);
				if (r->map.notes[0])
					printf("\n    assumed: %s", r->map.notes);
			}
			putchar('\n');
		}
		for (int i = 0; i < V.np; i++) {
			char sets[512];
			const struct pred *p = &V.preds[i];
			if (!p->mapped) {
				printf("predict %-20s %s %s: unmapped: %s\n", p->machine, p->p->benchmark, p->p->params, p->reason);
				continue;
			}
			vr_sets_str(&p->map.var[0], sets, sizeof(sets));
			printf("predict %-20s %s: --set %s\n", p->machine, p->map.workload, sets);
		}
		for (int i = 0; i < V.js.nr_sets; i++)
			printf("what-if, every run: --set %s=%s\n", V.js.set_keys[i], V.js.set_values[i]);
		for (int a = 0; a < V.nr_abl; a++)
			printf("ablation, each row again (%d seeds): --set %s=%s\n", V.aseeds, V.abl_key[a], V.abl_value[a]);
		printf("runs: %d\n", V.js.nr);
		goto out;
	}

	if (plot && vr_plot_check(plot_script, sizeof(plot_script), &err)) {
		cmd_error(err.msg);
		ret = 1;
		goto out;
	}
	if (V.js.nr) {
		if (!quiet)
			fprintf(stderr, "cassim validate: %d rows, %d distinct runs on %d workers\n", V.nr, V.js.nr,
				workers ? workers : (int)sysconf(_SC_NPROCESSORS_ONLN));
		struct cmd_progress pr;

		if (jobs_run(V.js.jobs, V.js.nr, workers, cmd_progress(&pr, "validate", !quiet)) < 0) {
			cmd_error("could not start the worker processes");
			ret = 1;
			goto out;
		}
	}
	any_failed = validate_evaluate(&V);

	if (json) {
		json_t *root = vr_json(&V);
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		putchar('\n');
		json_decref(root);
	} else {
		vr_print_text(stdout, &V);
	}
	if (out_dir && vr_write_files(&V, out_dir, plot ? plot_script : NULL, &err)) {
		cmd_error(err.msg);
		ret = 1;
	}
	if (any_failed && !ret) {
		if (!quiet)
			cmd_errorf("some runs failed (see the rows marked failed)");
		ret = 1;
	}
out:
	validate_free(&V);
	return ret;
bad_option:
	validate_free(&V);
	return EXIT_BADINPUT;
}
