/*
 * cassim bench: fixed scenarios timed on this machine.  Prints events/s,
 * simulated seconds per wall second and peak RSS, plus the raw event-queue
 * rate measured in the same invocation, so the scheduler's cost per event
 * reads as a ratio that holds across machines.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/eq.h"
#include "base/param.h"
#include "base/rng.h"
#include "cmd/cmd.h"
#include "simulation.h"
#include "base/xalloc.h"

struct scenario {
	const char *name;
	const char *topology;
	const char *workload;
	const char *sets[2]; /* workload parameter overrides, NAME=VALUE */
	simtime_t duration;
	const char *policy;  /* NULL: cfs */
};

static const struct scenario scenarios[] = {
	{ "turin-dense-768cpu-wakeup-1500", "epyc-9965-2s-nps1", "wakeup-mix", { NULL, NULL },
	  1 * NSEC_PER_SEC, NULL },
	{ "turin-512cpu-cpu-mix", "epyc-9755-2s-nps1", "cpu-mix", { NULL, NULL }, 2 * NSEC_PER_SEC, NULL },
	{ "spr-120cpu-pingpong", "spr-2s-1node-2llc", "pingpong", { NULL, NULL }, 1 * NSEC_PER_SEC, NULL },
	/* the cache-aware bookkeeping (epochs, scans, llc_counts, LLC
	 * filters) on the largest machine: the same target as cfs */
	{ "turin-dense-768cpu-wakeup-1500-cas-merged", "epyc-9965-2s-nps1", "wakeup-mix",
	  { NULL, NULL }, 1 * NSEC_PER_SEC, "cas-merged" },
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void null_fn(struct eq_event *ev, void *ctx)
{
	(void)ev;
	(void)ctx;
}

/* Raw event-queue rate: a heap of @n live events, each popped and
 * re-scheduled at a random future time (the simulator's access pattern). */
static double eq_rate(size_t n, uint64_t ops)
{
	struct eq *q = eq_new(n, NULL);
	struct eq_event *evs = xcalloc(n, sizeof(*evs));
	struct rng r;
	double t0, t1;

	rng_init(&r, 1, "bench", 0);
	for (size_t i = 0; i < n; i++) {
		eq_event_init(&evs[i], null_fn);
		eq_schedule(q, &evs[i], (simtime_t)rng_below(&r, 1000000));
	}
	t0 = now_s();
	for (uint64_t i = 0; i < ops; i++) {
		struct eq_event *ev = eq_pop(q);
		eq_schedule(q, ev, eq_now(q) + 1 + (simtime_t)(i * 2654435761u % 1000000));
	}
	t1 = now_s();
	rng_destroy(&r);
	eq_free(q);
	free(evs);
	return (double)ops / (t1 - t0);
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int run_scenario(const struct scenario *sc, double scale, bool model, struct results *res,
			struct diag *err)
{
	struct sim_config cfg;
	struct machine_profile prof;
	struct wl_opts wlo = { 0 };
	struct topo *topo = NULL;
	struct sd_topology *sdt = NULL;
	struct workload *w = NULL;
	struct wl_set sets[2];
	char names[2][64], path[4096];
	int nr = 0, ret = -1;
	void *polbuf = NULL;

	sim_config_init(&cfg);
	if (sc->policy) {
		cfg.policy = policy_find(sc->policy);
		if (!cfg.policy)
			return diag_set(err, "bench scenario %s: policy %s is not registered", sc->name,
					sc->policy);
		if (cfg.policy->params_size) {
			polbuf = xcalloc(1, cfg.policy->params_size);
			param_defaults(cfg.policy->params, cfg.policy->nr_params, polbuf);
			cfg.policy_params = polbuf;
		}
	}
	cfg.duration = (simtime_t)((double)sc->duration * scale);
	for (int i = 0; i < 2 && sc->sets[i]; i++) {
		const char *eq = strchr(sc->sets[i], '=');
		snprintf(names[nr], sizeof(names[nr]), "%.*s", (int)(eq - sc->sets[i]), sc->sets[i]);
		sets[nr] = (struct wl_set){ names[nr], eq + 1, false };
		nr++;
	}
	if (topo_load(sc->topology, cmd_data_dirs("topologies"), &topo, err) ||
	    profile_for_topo(topo, NULL, &prof, err))
		goto out;
	if (model)
		cfg.prof = &prof;
	wlo.nr_cpus = topo->nr_cpus;
	wlo.nr_nodes = topo->nr_nodes;
	snprintf(path, sizeof(path), "%s.json", sc->workload);
	for (const char *const *d = cmd_data_dirs("workloads"); *d; d++) {
		FILE *f;
		snprintf(path, sizeof(path), "%s/%s.json", *d, sc->workload);
		if ((f = fopen(path, "r"))) {
			fclose(f);
			break;
		}
	}
	if (wl_load(path, &wlo, sets, nr, &w, err) || sd_build(topo, &sdt, err))
		goto out;
	ret = sim_run(&cfg, topo, sdt, w, res, err);
out:
	wl_free(w);
	sd_free(sdt);
	topo_free(topo);
	free(polbuf);
	return ret;
}

/* Best of three alternating runs with the model off and on: the ratio is
 * what the model costs, with machine noise shared by both sides. */
static int model_cost(double scale, int json)
{
	struct diag err = { { 0 } };

	if (json)
		printf("{\"scenarios\":[");
	else
		printf("%-34s %12s %12s %12s %12s %8s\n", "scenario", "off_events", "off_wall_s",
		       "on_events", "on_wall_s", "on/off");
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		double best[2] = { 1e300, 1e300 };
		uint64_t events[2] = { 0, 0 };

		for (int rep = 0; rep < 3; rep++)
			for (int m = 0; m < 2; m++) {
				struct results r;
				if (run_scenario(&scenarios[i], scale, m, &r, &err)) {
					cmd_error(err.msg);
					return 1;
				}
				best[m] = MIN(best[m], r.wall_s);
				events[m] = r.events;
				sim_results_free(&r);
			}
		if (json)
			printf("%s{\"name\":\"%s\",\"off_events\":%llu,\"off_wall_s\":%.3f,"
			       "\"on_events\":%llu,\"on_wall_s\":%.3f,\"ratio\":%.3f}",
			       i ? "," : "", scenarios[i].name, (unsigned long long)events[0], best[0],
			       (unsigned long long)events[1], best[1], best[1] / best[0]);
		else
			printf("%-34s %12llu %12.3f %12llu %12.3f %8.2f\n", scenarios[i].name,
			       (unsigned long long)events[0], best[0], (unsigned long long)events[1],
			       best[1], best[1] / best[0]);
		fflush(stdout);
	}
	if (json)
		printf("],\"peak_rss_kib\":%ld}\n", peak_rss_kib());
	return 0;
}

int cmd_bench(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quick", no_argument, NULL, 'Q' },
		{ "json", no_argument, NULL, 'J' },
		{ "no-model", no_argument, NULL, 'M' },
		{ "model-cost", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, quick = 0, json = 0, model = 1, ratio = 0;
	double scale, rate;
	struct diag err = { { 0 } };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'Q': quick = 1; break;
		case 'J': json = 1; break;
		case 'M': model = 0; break;
		case 'R': ratio = 1; break;
		case 'h':
			puts("usage: cassim bench [--quick] [--json] [--no-model | --model-cost]\n\n"
			     "Time fixed scenarios: events/s, simulated s per wall s, peak RSS, and the\n"
			     "raw event-queue rate for comparison.  --quick runs a tenth of each;\n"
			     "--no-model turns the machine model off; --model-cost runs every scenario\n"
			     "with the model off and on, alternately, three times each, and prints the\n"
			     "ratio of the best wall times (the model's cost, measured in one run).");
			return 0;
		default:
			cmd_errorf("unknown option %s (see cassim bench --help)", argv[optind - 1]);
			return EXIT_BADINPUT;
		}
	}
	diag_quiet_warnings(1);
	scale = quick ? 0.1 : 1.0;
	if (ratio)
		return model_cost(scale, json);
	rate = eq_rate(4 * 768 + 1500, quick ? 2000000 : 20000000);
	if (json)
		printf("{\"eq_raw_events_per_s\":%.0f,\"scenarios\":[", rate);
	else
		printf("%-34s %12s %10s %12s %10s %10s\n", "scenario", "events", "wall_s", "events/s",
		       "sim_s/s", "raw_ratio");
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		struct results r;
		double eps;

		if (run_scenario(&scenarios[i], scale, model, &r, &err)) {
			cmd_error(err.msg);
			return 1;
		}
		eps = (double)r.events / r.wall_s;
		if (json)
			printf("%s{\"name\":\"%s\",\"events\":%llu,\"wall_s\":%.3f,\"events_per_s\":%.0f,"
			       "\"sim_s_per_wall_s\":%.4f,\"raw_eq_ratio\":%.1f}",
			       i ? "," : "", scenarios[i].name, (unsigned long long)r.events, r.wall_s, eps,
			       (double)r.duration_ns / 1e9 / r.wall_s, rate / eps);
		else
			printf("%-34s %12llu %10.3f %12.0f %10.4f %10.1f\n", scenarios[i].name,
			       (unsigned long long)r.events, r.wall_s, eps, (double)r.duration_ns / 1e9 / r.wall_s,
			       rate / eps);
		fflush(stdout);
		sim_results_free(&r);
	}
	if (json)
		printf("],\"peak_rss_kib\":%ld}\n", peak_rss_kib());
	else
		printf("raw event queue: %.0f events/s (schedule + pop); peak RSS %ld KiB\n", rate,
		       peak_rss_kib());
	return 0;
}
