/*
 * Scheduling traces of one run: what the scheduler reports while it runs
 * (struct trace_sink, fed through sched/trace.h), and the Chrome
 * trace-event JSON writer (opens in ui.perfetto.dev and chrome://tracing):
 * one trace "process" per LLC named "node N / LLC L" with one "thread"
 * track per CPU, tasks as complete (X) slices on their CPU's track,
 * wakeups and migrations as flows (s/f) bound so that Perfetto and Chrome
 * DevTools both draw them, policy decisions as instant events, busy CPUs
 * per LLC as a counter.  out/timeline.h is the other sink (the CSV the plot
 * verbs read).
 *
 * Writers stream to an atomic file (out/file.h) and keep only a time window
 * [from, to).  Plain data only: tasks are global ids (tid), and names come
 * from struct trace_layout.
 */
#ifndef CASSIM_REPORT_TRACE_H
#define CASSIM_REPORT_TRACE_H

#include <stdio.h>

#include "base/diag.h"
#include "base/types.h"
#include "report/trace_arg.h"


/* The machine and the workload, for the tracks' and slices' names. */
struct trace_layout {
	int nr_cpus, nr_llcs;
	const int *cpu_llc, *cpu_node;   /* [nr_cpus] dense LLC and node ids */
	int nr_tasks, nr_procs;
	const int *task_proc;            /* [nr_tasks] process index */
	const char *const *task_name;    /* [nr_tasks] */
	const char *const *proc_name;    /* [nr_procs] */
};

/*
 * What happens in a run, in time order (@ts never decreases).  A task is
 * its global id; a missing task or CPU is -1.  Reasons are fixed words:
 * switch-out "preempt", "block", "exit" or "migrate" (a migration stopper
 * took the CPU); migration "wakeup", "lb", "active", "numa" or "hotplug".
 * CPUs start idle.  @begin's layout and its strings stay valid until
 * @end.  A NULL callback is not called.
 */
struct trace_sink {
	int (*begin)(void *ctx, const struct trace_layout *l, struct diag *err);
	void (*switch_in)(void *ctx, simtime_t ts, int cpu, int tid);
	void (*switch_out)(void *ctx, simtime_t ts, int cpu, int tid, const char *why);
	void (*wakeup)(void *ctx, simtime_t ts, int waker, int waker_cpu, int wakee, int target_cpu);
	void (*migrate)(void *ctx, simtime_t ts, int tid, int from, int to, const char *why);
	void (*idle)(void *ctx, simtime_t ts, int cpu, bool enter);
	void (*instant)(void *ctx, simtime_t ts, int cpu, int tid, const char *name,
			const struct trace_arg *args, int nargs);
	/* The run ended at @ts: close what is open. */
	void (*end)(void *ctx, simtime_t ts);
	void *ctx;
};

/* The time window a writer keeps: [from, to), to < 0 = the end of the run. */
struct trace_window {
	simtime_t from, to;
};

/* "ns / 1000" exactly, as the trace's microsecond timestamps: "12.345",
 * "0.007"; returns @buf. */
char *trace_fmt_us(char *buf, size_t len, simtime_t ns);

/* ---- Chrome trace-event JSON */

struct trace_json;
/* Open @path for writing (nothing is written until the run begins). */
struct trace_json *trace_json_open(const char *path, struct trace_window w, struct diag *err);
const struct trace_sink *trace_json_sink(struct trace_json *tj);
/* Finish the file and rename it into place; frees @tj.  -1 on I/O error. */
int trace_json_commit(struct trace_json *tj, struct diag *err);
/* Drop the temporary file; frees @tj (NULL is fine). */
void trace_json_abort(struct trace_json *tj);

#endif
