/*
 * cassim bench: fixed scenarios timed on this machine.  Costs are CPU time
 * of the process (not wall time, which a busy machine inflates): per event
 * of the event loop, and as a ratio to a bare event-queue push+pop measured
 * in the same invocation, a figure that holds across machines and loads.
 * Setup (building the scheduler and starting the threads) is reported apart.
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
#include "study/jobs.h"
#include "base/xalloc.h"

struct scenario {
	const char *name;
	const char *topology;
	const char *workload;
	const char *sets[3]; /* workload parameter overrides, NAME=VALUE */
	simtime_t duration;
	const char *policy;  /* NULL: cfs */
};

/* the same wakeup-mix load per CPU (about two threads a CPU) on a 256- and
 * a 2,048-CPU machine of 16-CPU LLCs: the cost of machine size alone */
#define SYN256 "synthetic:pack:2 [numa] l3:8 core:8 pu:2"
#define SYN2048 "synthetic:pack:2 [numa] l3:64 core:8 pu:2"

static const struct scenario scenarios[] = {
	{ "turin-dense-768cpu-wakeup-1500", "epyc-9965-2s-nps1", "wakeup-mix", { NULL, NULL },
	  1 * NSEC_PER_SEC, NULL },
	{ "turin-512cpu-cpu-mix", "epyc-9755-2s-nps1", "cpu-mix", { NULL, NULL }, 2 * NSEC_PER_SEC, NULL },
	{ "spr-120cpu-pingpong", "spr-2s-1node-2llc", "pingpong", { NULL, NULL }, 1 * NSEC_PER_SEC, NULL },
	/* the cache-aware bookkeeping (epochs, scans, llc_counts, LLC
	 * filters) on the largest machine: the same target as cfs */
	{ "turin-dense-768cpu-wakeup-1500-cas-merged", "epyc-9965-2s-nps1", "wakeup-mix",
	  { NULL, NULL }, 1 * NSEC_PER_SEC, "cas-merged" },
	{ "syn-256cpu-wakeup-500", SYN256, "wakeup-mix", { "pairs=133", "chains=33", "sleepers=133" },
	  300 * NSEC_PER_MSEC, NULL },
	{ "syn-2048cpu-wakeup-4000", SYN2048, "wakeup-mix",
	  { "pairs=1067", "chains=267", "sleepers=1067" }, 40 * NSEC_PER_MSEC, NULL },
	/* 100,000 threads: 50,000 request/response, 30,000 pipeline, 20,000 sleepers */
	{ "turin-dense-768cpu-wakeup-100000", "epyc-9965-2s-nps1", "wakeup-mix",
	  { "pairs=25000", "chains=10000", "sleepers=20000" }, 20 * NSEC_PER_MSEC, NULL },
};

static double cpu_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void null_fn(struct eq_event *ev, void *ctx)
{
	(void)ev;
	(void)ctx;
}

/* CPU ns of a bare event-queue push+pop: a heap of @n live events, each
 * popped and re-scheduled at a random future time (the simulator's access
 * pattern). */
static double eq_cost_ns(size_t n, uint64_t ops)
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
	t0 = cpu_now_s();
	for (uint64_t i = 0; i < ops; i++) {
		struct eq_event *ev = eq_pop(q);
		eq_schedule(q, ev, eq_now(q) + 1 + (simtime_t)(i * 2654435761u % 1000000));
	}
	t1 = cpu_now_s();
	rng_destroy(&r);
	eq_free(q);
	free(evs);
	return (t1 - t0) * 1e9 / (double)ops;
}

/* CPU ns per event of a run's event loop. */
static double ns_per_event(const struct results *r)
{
	return r->events ? r->loop_cpu_s * 1e9 / (double)r->events : 0;
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* One scenario through the study layer's run from a spec (the wiring every
 * verb uses), its raw results in @res. */
static int run_scenario(const struct scenario *sc, double scale, bool model, struct results *res,
			struct diag *err)
{
	char keys[3][64];
	const char *kp[3], *vp[3];
	struct job job = { 0 };

	for (int i = 0; i < 3 && sc->sets[i]; i++) {
		const char *eq = strchr(sc->sets[i], '=');
		snprintf(keys[i], sizeof(keys[i]), "%.*s", (int)(eq - sc->sets[i]), sc->sets[i]);
		kp[i] = keys[i];
		vp[i] = eq + 1;
		job.nr_sets++;
	}
	job.topology = sc->topology;
	job.workload = sc->workload;
	job.policy = sc->policy ? sc->policy : "cfs";
	job.seed = 1;
	job.duration = (simtime_t)((double)sc->duration * scale);
	job.set_keys = kp;
	job.set_values = vp;
	job.no_model = !model;
	job_run_results(&job, res);
	json_decref(job.result);
	if (job.status)
		return diag_set(err, "bench scenario %s: %s", sc->name, job.error);
	return 0;
}

/* Best of three alternating runs with the model off and on, per event of
 * the event loop (the model changes how many events a run has): the ratio
 * is what the model costs each event, with machine noise shared by both. */
static int model_cost(double scale, int json)
{
	struct diag err = { { 0 } };

	if (json)
		printf("{\"scenarios\":[");
	else
		printf("%-42s %12s %10s %12s %10s %8s\n", "scenario", "off_events", "off_ns/ev",
		       "on_events", "on_ns/ev", "on/off");
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
				best[m] = MIN(best[m], ns_per_event(&r));
				events[m] = r.events;
				sim_results_free(&r);
			}
		if (json)
			printf("%s{\"name\":\"%s\",\"off_events\":%llu,\"off_ns_per_event\":%.1f,"
			       "\"on_events\":%llu,\"on_ns_per_event\":%.1f,\"ratio\":%.3f}",
			       i ? "," : "", scenarios[i].name, (unsigned long long)events[0], best[0],
			       (unsigned long long)events[1], best[1], best[1] / best[0]);
		else
			printf("%-42s %12llu %10.1f %12llu %10.1f %8.2f\n", scenarios[i].name,
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
	double scale, eq_ns, lo = 1e300, hi = 0;
	struct diag err = { { 0 } };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'Q': quick = 1; break;
		case 'J': json = 1; break;
		case 'M': model = 0; break;
		case 'R': ratio = 1; break;
		case 'h':
			puts("usage: cassim bench [--quick] [--json] [--no-model | --model-cost]\n\n"
			     "Time fixed scenarios in CPU time of the process: per event of the event\n"
			     "loop (ns/event) and as a multiple of a bare event-queue push+pop measured\n"
			     "in the same run (x_queue), events per simulated second, the setup's CPU\n"
			     "seconds and peak RSS.  --quick runs a tenth of each; --no-model turns the\n"
			     "machine model off; --model-cost runs every scenario with the model off and\n"
			     "on, alternately, three times each, and prints the ratio of the best costs\n"
			     "per event (the model's cost, measured in one run).");
			return 0;
		default:
			return cmd_opt_error("bench", c, argv);
		}
	}
	diag_quiet_warnings(1);
	scale = quick ? 0.1 : 1.0;
	if (ratio)
		return model_cost(scale, json);
	eq_ns = eq_cost_ns(4 * 768 + 1500, quick ? 2000000 : 20000000);
	if (json)
		printf("{\"eq_ns_per_push_pop\":%.1f,\"scenarios\":[", eq_ns);
	else
		printf("%-42s %10s %12s %8s %8s %8s %8s\n", "scenario", "events", "events/sim_s",
		       "setup_s", "loop_s", "ns/event", "x_queue");
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		struct results r;
		double ns, sim_s;

		if (run_scenario(&scenarios[i], scale, model, &r, &err)) {
			cmd_error(err.msg);
			return 1;
		}
		ns = ns_per_event(&r);
		sim_s = (double)r.duration_ns / 1e9;
		lo = MIN(lo, ns);
		hi = MAX(hi, ns);
		if (json)
			printf("%s{\"name\":\"%s\",\"events\":%llu,\"events_per_sim_s\":%.0f,"
			       "\"setup_cpu_s\":%.3f,\"loop_cpu_s\":%.3f,\"ns_per_event\":%.1f,"
			       "\"queue_ratio\":%.2f,\"wall_s\":%.3f}",
			       i ? "," : "", scenarios[i].name, (unsigned long long)r.events,
			       (double)r.events / sim_s, r.setup_cpu_s, r.loop_cpu_s, ns, ns / eq_ns,
			       r.wall_s);
		else
			printf("%-42s %10llu %12.0f %8.3f %8.3f %8.1f %8.2f\n", scenarios[i].name,
			       (unsigned long long)r.events, (double)r.events / sim_s, r.setup_cpu_s,
			       r.loop_cpu_s, ns, ns / eq_ns);
		fflush(stdout);
		sim_results_free(&r);
	}
	if (json)
		printf("],\"worst_over_best\":%.2f,\"peak_rss_kib\":%ld}\n", hi / lo, peak_rss_kib());
	else
		printf("bare event queue: %.1f ns per push+pop; worst/best ns/event %.2f; peak RSS %ld KiB\n",
		       eq_ns, hi / lo, peak_rss_kib());
	return 0;
}
