/* cassim run: one simulation. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/param.h"
#include "cmd/cmd.h"
#include "out/report.h"
#include "simulation.h"

#define DEFAULT_TOPOLOGY "epyc-9755-2s-nps1"
#define DEFAULT_WORKLOAD "cpu-mix"
#define MAX_SETS 256

static void run_usage(FILE *f)
{
	fputs("usage: cassim run [--topology SPEC] [--workload FILE] [--policy NAME]\n"
	      "                  [--set KEY=VALUE]... [--duration TIME] [--seed N]\n"
	      "                  [--profile NAME] [--no-model] [--lenient]\n"
	      "                  [--json FILE] [--csv FILE] [--quiet]\n"
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
	      "      --csv FILE        write results as tidy CSV (scope,metric,value)\n"
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
		cmd_policy_names(names, sizeof(names));
		fprintf(f, "\nPolicies (cassim policies lists their features and tunables): %s.\n", names);
	}
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A workload argument is a path, or a shipped name looked up in the data
 * directories (with or without .json). */
static const char *resolve_workload(const char *arg, char *buf, size_t len)
{
	if (is_file(arg) || strchr(arg, '/'))
		return arg;
	for (const char *const *d = cmd_data_dirs("workloads"); *d; d++) {
		snprintf(buf, len, "%s/%s", *d, arg);
		if (is_file(buf))
			return buf;
		snprintf(buf, len, "%s/%s.json", *d, arg);
		if (is_file(buf))
			return buf;
	}
	return arg; /* wl_load reports it missing */
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
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *topo_spec = DEFAULT_TOPOLOGY, *wl_arg = DEFAULT_WORKLOAD, *policy = "cfs";
	const char *json_path = NULL, *csv_path = NULL, *profile = NULL;
	struct machine_profile prof;
	struct wl_opts wlo = { 0 };
	bool model = true;
	void *polbuf = NULL;
	struct wl_set sets[MAX_SETS];
	char keybuf[MAX_SETS][64], wlbuf[4096];
	int nr_sets = 0, quiet = 0, c, ret = EXIT_BADINPUT;
	struct sim_config cfg;
	struct diag err = { { 0 } };
	struct topo *topo = NULL;
	struct sd_topology *sdt = NULL;
	struct workload *w = NULL;
	struct results res = { 0 };
	json_t *config = NULL;

	sim_config_init(&cfg);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:w:p:s:d:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't': topo_spec = optarg; break;
		case 'w': wl_arg = optarg; break;
		case 'p': policy = optarg; break;
		case 's': {
			const char *eq = strchr(optarg, '=');
			size_t kl = eq ? (size_t)(eq - optarg) : 0;
			if (!eq || !kl || kl >= sizeof(keybuf[0])) {
				fprintf(stderr, "cassim: error: --set %s: expected KEY=VALUE\n", optarg);
				return EXIT_BADINPUT;
			}
			if (nr_sets == MAX_SETS) {
				cmd_error("too many --set options");
				return EXIT_BADINPUT;
			}
			memcpy(keybuf[nr_sets], optarg, kl);
			keybuf[nr_sets][kl] = '\0';
			sets[nr_sets] = (struct wl_set){ keybuf[nr_sets], eq + 1, false };
			nr_sets++;
			break;
		}
		case 'd':
			if (parse_duration(optarg, NSEC_PER_SEC, &cfg.duration) || cfg.duration <= 0) {
				fprintf(stderr, "cassim: error: --duration %s: expected a positive time such as 500ms or 2s\n", optarg);
				return EXIT_BADINPUT;
			}
			break;
		case 'S': {
			char *end;
			unsigned long long v;
			/* digits only, and within int64 so the JSON echo re-runs */
			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (!isdigit((unsigned char)optarg[0]) || *end || errno || v > INT64_MAX) {
				fprintf(stderr, "cassim: error: --seed %s: expected an integer 0..%lld\n", optarg, (long long)INT64_MAX);
				return EXIT_BADINPUT;
			}
			cfg.seed = v;
			break;
		}
		case 'J': json_path = optarg; break;
		case 'C': csv_path = optarg; break;
		case 'q': quiet = 1; break;
		case 'P': profile = optarg; break;
		case 'M': model = false; break;
		case 'L': wlo.lenient = true; break;
		case 'h': run_usage(stdout); return 0;
		case ':':
			fprintf(stderr, "cassim: error: option %s needs a value (see cassim run --help)\n", argv[optind - 1]);
			return EXIT_BADINPUT;
		default:
			fprintf(stderr, "cassim: error: unknown option %s (see cassim run --help)\n", argv[optind - 1]);
			return EXIT_BADINPUT;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cassim: error: unexpected argument '%s' (see cassim run --help)\n", argv[optind]);
		return EXIT_BADINPUT;
	}
	if (quiet)
		diag_quiet_warnings(1);
	cfg.policy = policy_find(policy);
	if (!cfg.policy) {
		char names[1024];
		cmd_policy_names(names, sizeof(names));
		fprintf(stderr, "cassim: error: --policy %s: unknown policy (expected one of: %s)\n", policy, names);
		return EXIT_BADINPUT;
	}
	if (cfg.policy->params_size) {
		polbuf = calloc(1, cfg.policy->params_size);
		if (!polbuf) {
			diag_set(&err, "out of memory");
			goto fail;
		}
		param_defaults(cfg.policy->params, cfg.policy->nr_params, polbuf);
		cfg.policy_params = polbuf;
	}
	/* scheduler tunables first, then the policy's; machine-model values
	 * and workload parameters below */
	for (int i = 0; i < nr_sets; i++) {
		const struct param_def *d = param_find(sched_param_defs, sched_nr_param_defs, sets[i].name);
		void *cfgp = &cfg.sp;

		if (!d && cfg.policy->nr_params) {
			d = param_find(cfg.policy->params, cfg.policy->nr_params, sets[i].name);
			cfgp = polbuf;
		}
		if (d) {
			if (param_set(d, sets[i].value, cfgp, &err))
				goto fail;
			sets[i].used = true;
		}
	}
	cfg.topology_spec = topo_spec;
	if (topo_load(topo_spec, cmd_data_dirs("topologies"), &topo, &err))
		goto fail;
	if (profile_for_topo(topo, profile, &prof, &err))
		goto fail;
	for (int i = 0; i < nr_sets; i++)
		if (!sets[i].used && profile_param_index(sets[i].name) >= 0) {
			if (profile_set(&prof, sets[i].name, sets[i].value, &err))
				goto fail;
			sets[i].used = true;
		}
	if (model)
		cfg.prof = &prof;
	cfg.workload_path = resolve_workload(wl_arg, wlbuf, sizeof(wlbuf));
	wlo.nr_cpus = topo->nr_cpus;
	wlo.nr_nodes = topo->nr_nodes;
	if (wl_load(cfg.workload_path, &wlo, sets, nr_sets, &w, &err))
		goto fail;
	for (int i = 0; i < nr_sets; i++)
		if (!sets[i].used) {
			diag_set(&err, "--set %s=%s: unknown key (not a scheduler tunable, a machine-model value nor a parameter of %s; see cassim run --help)",
				 sets[i].name, sets[i].value, cfg.workload_path);
			goto fail;
		}
	if (sd_build(topo, &sdt, &err))
		goto fail;
	config = sim_config_json(&cfg, topo, w);
	if (sim_run(&cfg, topo, sdt, w, &res, &err)) {
		ret = 1;
		goto fail;
	}
	if (json_path && report_write_json(json_path, &res, config, &err)) {
		ret = 1;
		goto fail;
	}
	if (csv_path && report_write_csv(csv_path, &res, &err)) {
		/* all or nothing: no JSON without its CSV */
		if (json_path && strcmp(json_path, "-"))
			unlink(json_path);
		ret = 1;
		goto fail;
	}
	if (!quiet)
		report_text(stdout, &res);
	ret = 0;
	goto out;
fail:
	cmd_error(err.msg);
out:
	json_decref(config);
	free(polbuf);
	sim_results_free(&res);
	wl_free(w);
	sd_free(sdt);
	topo_free(topo);
	return ret;
}
