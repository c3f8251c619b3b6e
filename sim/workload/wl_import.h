/*
 * Trace import: turn what ran on a real machine into a cassim workload.
 *
 * The input is the text printed by `perf script` for the tracepoints
 * sched:sched_switch, sched:sched_waking, sched:sched_wakeup,
 * sched:sched_wakeup_new, sched:sched_process_fork and
 * sched:sched_process_exit (what `perf sched record` records), in the default form
 * ("COMM TID [CPU] TIME: EVENT: FIELDS") or with the thread-group id
 * (`perf script -F comm,pid,tid,cpu,time,event,trace`: "COMM PID/TID [CPU]
 * ..."), with the events' own key=value text or the one of libtraceevent's
 * sched plugin ("prev:12 [120] S ==> next:34 [120]").
 *
 * Reading (wl_trace_read*) reconstructs, per thread, its run bursts (switch-in
 * to the switch-out that blocks it; preemptions are not sleeps and are merged
 * into the burst), its sleeps and who ended them: the waker of a sched_waking
 * (or, without it, a sched_wakeup) is the task current on the CPU that
 * emitted it (perf script's leading columns).  Modelling (wl_trace_model)
 * leaves out kernel threads and the recording tools (unless asked), groups
 * threads into processes and decides which sleeps are waits on a dominant
 * waker.  wl_trace_workload()
 * builds the workload JSON; wl_import_write() writes it atomically.  The
 * mapping is documented for users in workloads/import.md.
 *
 * Scheduler-agnostic: nothing here depends on the simulator.
 */
#ifndef CASSIM_WORKLOAD_WL_IMPORT_H
#define CASSIM_WORKLOAD_WL_IMPORT_H

#include <jansson.h>
#include <stdio.h>

#include "base/diag.h"
#include "base/types.h"

enum wl_import_mode {
	WL_IMPORT_REPLAY, /* the exact sequence of runs, sleeps, waits and wakes, once */
	WL_IMPORT_FIT,    /* a loop: lognormal run, wakes, then a wait or a fitted sleep */
};

enum wl_import_group {
	WL_IMPORT_GROUP_AUTO, /* tgid when the trace has pid/tid columns, else fork */
	WL_IMPORT_GROUP_TGID, /* the thread-group id column (needs -F ...,pid,tid,...) */
	WL_IMPORT_GROUP_FORK, /* a forked child joins its parent's process */
	WL_IMPORT_GROUP_COMM, /* threads with the same command name form one process */
};

#define WL_IMPORT_MAX_OPS_DEFAULT 10000

/* Tasks an import leaves out unless kept (struct wl_import_opts.keep). */
enum wl_import_keep {
	WL_IMPORT_KEEP_KERNEL = 1, /* kernel threads (kworker/N:M, ksoftirqd/N, ...) */
	WL_IMPORT_KEEP_TOOLS = 2,  /* the recording tools (perf, trace-cmd) */
	WL_IMPORT_KEEP_ALL = 3,
};

struct wl_import_opts {
	enum wl_import_mode mode;
	enum wl_import_group group_by;
	int max_ops;      /* replay: at most this many ops per thread (>= 1) */
	const char *name; /* workload "name"; NULL = the trace file's base name */
	unsigned keep;    /* enum wl_import_keep bits: 0 leaves out kernel threads and tools */
};

void wl_import_opts_init(struct wl_import_opts *o);
const char *wl_import_mode_name(enum wl_import_mode m);
const char *wl_import_group_name(enum wl_import_group g);
/* Parse a --keep list "kernel,tools" (or "all", "none") into enum
 * wl_import_keep bits; -1 on an unknown word. */
int wl_import_parse_keep(const char *list);

struct imp_item;   /* private: one run / sleep / wake of a thread's history */
struct imp_waker;  /* private: sleeps of a thread ended by one waker */

/* One thread (tid) seen in the trace.  The fields up to `private` are the
 * public summary (filled by reading, completed by wl_trace_model). */
struct wl_imp_thread {
	int tid;
	int tgid;              /* thread-group id, -1 if the trace does not show it */
	int parent;            /* tid that forked it in the trace, -1 if not seen */
	char comm[64];         /* last command name seen */
	char name[64];         /* workload thread name: comm-tid, sanitised (after model) */
	int process;           /* index into trace->procs, -1 if not emitted (after model) */
	int prio;              /* last kernel prio seen (120 = nice 0), -1 if none */
	simtime_t first_seen;  /* ns since the trace start: first known runnable or running */
	bool started_blocked;  /* first seen being woken (sched_wakeup) */
	bool exited;           /* sched_process_exit or a switch-out in state X/Z */
	bool ran;              /* was on a CPU at some point: emitted in the workload */
	int64_t nr_bursts;     /* run bursts, preemptions merged */
	double run_sum_ns, run_sumsq_ns;
	int64_t nr_preempt;    /* switch-outs in state R/R+ */
	int64_t nr_sleeps;     /* sleeps that ended in the trace */
	int64_t nr_waits;      /* of which ended by the dominant waker (after model) */
	int dominant_waker;    /* tid, or -1: sleeps are timed (after model) */
	bool truncated;        /* history longer than the op budget (replay) */
	int left_out;          /* enum wl_import_keep bit that would keep it, 0 = imported (after model) */

	/* private */
	int state;
	int cpu;
	simtime_t since;         /* RUNNING: switch-in; BLOCKED: block start */
	simtime_t burst_acc;     /* run time of the current burst so far */
	simtime_t burst_emitted; /* part of it already in RUN items (split at wakes) */
	simtime_t tail_sleep;    /* blocked at the end of the trace: for how long */
	bool first_known;
	bool waking_seen;        /* its current wakeup was read from sched_waking */
	char fork_comm[64];      /* the comm it was forked with (fork grouping: an exec changes it) */
	struct imp_item *items;
	int nr_items, cap_items;
	bool items_full;
	struct imp_waker *wakers;
	int nr_wakers;
};

/* A process of the workload (after model). */
struct wl_imp_process {
	char name[64];
	int nr_threads;
	int *threads;          /* indices into trace->threads, in emission order */
};

/* Who wakes whom: sleeps of wakee ended by a wakeup issued while waker ran. */
struct wl_imp_edge {
	int waker, wakee;      /* tids */
	int64_t count;
	bool modelled;         /* waker is the wakee's dominant waker: wait/wake ops */
};

struct wl_trace {
	char file[512];
	simtime_t t0, t1;            /* first and last event time (ns, trace clock) */
	bool has_tgid;               /* pid/tid columns present */
	int64_t nr_lines, nr_events;
	int64_t nr_other;            /* lines of other events, skipped */
	int64_t nr_callchain;        /* call-chain lines (perf record -g), skipped */
	int64_t nr_reordered;        /* events earlier than the previous one (time clamped) */
	int64_t nr_spurious;         /* wakeups of a task that was not sleeping */
	int64_t nr_wake_events;      /* sched_waking / sched_wakeup lines read */
	bool has_waking;             /* sched_waking lines present */
	int nr_left_kernel, nr_left_tools; /* threads left out (after model) */
	int64_t nr_wakes_idle;       /* ended sleeps woken from the idle task or an interrupt (after model) */
	int64_t nr_wakes_left_out;   /* ended sleeps woken by a left-out task (after model) */
	char other_names[160];       /* the first few skipped event names */
	struct wl_imp_thread *threads; /* in order of first mention */
	int nr_threads;
	int *order;                  /* emitted threads (ran), by first_seen then tid (after model) */
	int nr_order;
	struct wl_imp_process *procs; /* after model */
	int nr_procs;
	struct wl_imp_edge *edges;   /* after model: by count, descending */
	int nr_edges;
	enum wl_import_group grouped_by; /* the rule used (after model) */

	/* private */
	int *tid_index;              /* tid -> index + 1 (0 = none) */
	int tid_cap;
	int *cpu_cur;                /* thread index current on the CPU, -1 idle/unknown */
	simtime_t *cpu_since;        /* last switch on the CPU */
	int nr_cpus_seen;
	int item_cap;                /* per-thread history bound */
	simtime_t last_t;
};

/*
 * Read a perf script text trace from @f (named @file in messages) or from the
 * file @path.  @max_ops bounds the per-thread history kept for replay (<= 0:
 * the default).  Errors (exit status 2 material): unreadable file, a line
 * that does not parse ("FILE:LINE: what (expected what)"), a trace without
 * any of the five sched events.  Lines of other events and call-chain lines
 * are counted (nr_other, nr_callchain) and skipped.
 */
int wl_trace_read(FILE *f, const char *file, int max_ops, struct wl_trace **out, struct diag *err);
int wl_trace_read_path(const char *path, int max_ops, struct wl_trace **out, struct diag *err);

/* Leave out kernel threads and tools (o->keep), group threads into
 * processes, name them, find dominant wakers and the who-wakes-whom edges
 * between imported threads.  Errors: --group-by tgid without pid/tid
 * columns, no thread that ran (or none left). */
int wl_trace_model(struct wl_trace *t, const struct wl_import_opts *o, struct diag *err);

/* The workload document (cassim workload language, see workloads/import.md).
 * Needs wl_trace_model() first.  Sets trace threads' truncated flags. */
json_t *wl_trace_workload(struct wl_trace *t, const struct wl_import_opts *o);

/* Find a thread by tid (NULL if never seen). */
const struct wl_imp_thread *wl_trace_find(const struct wl_trace *t, int tid);

/* Mean and standard deviation (population) of a thread's run bursts, ns. */
double wl_imp_run_mean(const struct wl_imp_thread *th);
double wl_imp_run_sd(const struct wl_imp_thread *th);

void wl_trace_free(struct wl_trace *t);

/* Write @doc to @path ("-" = stdout) atomically, indented, short objects
 * (ops) on one line.  Nothing is left behind on error. */
int wl_import_write(const json_t *doc, const char *path, struct diag *err);

#endif
