/*
 * One run: topology + workload + policy + parameters + seed -> results.
 * The composition root: wires the engine, the scheduler, the policy hooks
 * and the workload interpreter; knows nothing about option parsing or
 * printing.
 */
#ifndef CASSIM_SIMULATION_H
#define CASSIM_SIMULATION_H

#include <jansson.h>

#include "base/diag.h"
#include "hw/profile.h"
#include "hw/topo.h"
#include "report/metrics.h"
#include "report/trace.h"
#include "policies/policy.h"
#include "sched/params.h"
#include "sched/sd.h"
#include "workload/wl.h"

#define SIM_DEFAULT_DURATION (2 * NSEC_PER_SEC)

struct sim_config {
	const char *topology_spec;
	const char *workload_path;
	const struct policy *policy;
	const void *policy_params; /* the policy's tunables (policy->params_size bytes), or NULL */
	uint64_t seed;
	simtime_t duration;      /* 0: the workload's, else SIM_DEFAULT_DURATION */
	struct sched_params sp;
	int fork_cpu;            /* CPU the workload's threads are forked from */
	/* Machine model parameters; NULL runs every CPU at speed 1 with free
	 * wakeups, messages and idle exits (the model off). */
	const struct machine_profile *prof;
	/* Trace sinks fed during the run (report/trace.h), owned by the caller. */
	const struct trace_sink *const *trace_sinks;
	int nr_trace_sinks;
};

void sim_config_init(struct sim_config *c);

/* Resolve the run length: --duration, else the workload's, else 2 s. */
simtime_t sim_duration(const struct sim_config *c, const struct workload *w);

/* Run one simulation.  @r is filled (free with sim_results_free). */
int sim_run(const struct sim_config *c, const struct topo *t, const struct sd_topology *sdt,
	    const struct workload *w, struct results *r, struct diag *err);
void sim_results_free(struct results *r);

/* The full configuration as JSON (every parameter, defaults included), so
 * that a result file can be re-run. */
json_t *sim_config_json(const struct sim_config *c, const struct topo *t, const struct workload *w);

#endif
