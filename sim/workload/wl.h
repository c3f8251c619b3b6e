/*
 * Workload description: processes made of threads, each thread running a
 * small program.  Parsed from JSON (jansson) with file:line:col errors
 * (wl.c, the cassim format documented in workloads/README.md) or from rt-app
 * JSON (wl_rtapp.c).  Both produce this structure; the interpreter
 * (wl_interp.c) runs it.
 *
 * A thread's program is a flat array of ops.  Loops are LOOP ... END pairs
 * (op.end / op.count); phases are parsed into loops.  Names are resolved at
 * load time: every reference to a thread, object, counter or histogram is an
 * index.
 */
#ifndef CASSIM_WORKLOAD_WL_H
#define CASSIM_WORKLOAD_WL_H

#include "base/cpumask.h"
#include "base/diag.h"
#include "base/rng.h"
#include "base/types.h"

enum wl_dist_kind {
	WL_DIST_FIXED,       /* a */
	WL_DIST_UNIFORM,     /* [a, b) */
	WL_DIST_EXPONENTIAL, /* mean a */
	WL_DIST_NORMAL,      /* mean a, stddev b, truncated at 0 */
	WL_DIST_LOGNORMAL,   /* mean a, stddev b of the resulting distribution */
};

struct wl_dist {
	enum wl_dist_kind kind;
	double a, b; /* ns */
};

/* Memory behaviour of a run op (the machine model's input).  All zero = a
 * pure compute burst whose data lives in L2 (speed 1 on an idle core). */
struct wl_mem {
	double refs_per_us;  /* LLC references per us of work */
	double footprint;    /* bytes of the thread's private working set */
	double shared;       /* fraction 0..1 of the refs that go to the process's shared set */
	double mlp;          /* memory-level parallelism (overlapping misses); 0 = machine default */
};

enum wl_op_kind {
	WL_OP_RUN,      /* dist: work ns; mem */
	WL_OP_SPIN,     /* dist: busy-wait ns of wall time, not slowed by the machine (rt-app "runtime") */
	WL_OP_SLEEP,    /* dist: ns */
	/* WAKE / WAKE_ALL / WAIT address either threads (obj < 0) or an object
	 * (obj >= 0: a condition variable or a semaphore, see struct wl_obj). */
	WL_OP_WAKE,     /* obj < 0: wake thread target; a wake of a thread not waiting is remembered
			 * (futex word / rt-app resume).  COND: wake the longest waiter (lost if none).
			 * SEM: post (remembered as a count). */
	WL_OP_WAKE_ALL, /* obj < 0: wake each of target..target+nr_targets-1 blocked in WAIT (not
			 * remembered).  COND: wake every waiter (rt-app "broad"). */
	WL_OP_WAIT,     /* obj < 0: block until woken (consumes a remembered wake).  COND: release
			 * mutex `lock` if >= 0, wait, re-take it.  SEM: take a count or block.
			 * record >= 0: histogram of the wakeup latency (now - time of the wake) */
	WL_OP_TIMER,    /* sleep until the thread's timer slot obj next expires; the timer is
			 * periodic (dist = period) from its first use (rt-app "timer") */
	WL_OP_SEND,     /* message of bytes to the inbox of target (each: to target..target+nr_targets-1 in turn) */
	WL_OP_RECV,     /* read bytes from the own inbox, sleeping while it is empty (pipe_read) */
	WL_OP_BARRIER,  /* obj: wait until all participants arrived: spin for dist (0: none), then sleep */
	WL_OP_LOCK,     /* obj: take a mutex (per-CPU instance when objs[obj].percpu); spin or block while held */
	WL_OP_UNLOCK,   /* obj: release the instance this thread holds */
	WL_OP_LOOP,     /* count iterations (-1 = forever) of ops (pc+1 .. end-1) */
	WL_OP_END,      /* end of the loop body that starts at op `end` */
	WL_OP_COUNT,    /* counter obj += bytes (e.g. transactions, bytes moved) */
	WL_OP_STAMP,    /* remember now in stamp slot obj of this thread */
	WL_OP_RECORD,   /* histogram obj += now - stamp slot `stamp` of this thread */
	WL_OP_HOTPLUG,  /* cpu: take CPU offline (online = false) or bring it online */
};

struct wl_op {
	/* the fields every step reads first share one cache line */
	enum wl_op_kind kind;
	int target;           /* WAKE, WAKE_ALL, SEND: thread index */
	int nr_targets;       /* WAKE_ALL, SEND: consecutive threads from target (1 = one thread) */
	int obj;              /* BARRIER, LOCK, UNLOCK, and WAKE/WAKE_ALL/WAIT on objects: index in
			       * workload.objs (-1 = thread-targeted); COUNT: counter; STAMP: stamp
			       * slot; RECORD: histogram; TIMER: timer slot */
	int end;              /* LOOP: index of its END; END: index of its LOOP */
	struct wl_dist dist;  /* RUN, SPIN, SLEEP, TIMER; BARRIER: spin before sleeping;
			       * SEND, RECV: message size in bytes (FIXED: use bytes) */
	int64_t count;        /* LOOP: iterations, -1 = forever */
	double bytes;         /* SEND, RECV: message size (mean of dist); COUNT: amount added */
	int stamp;            /* RECORD: stamp slot */
	int record;           /* WAIT: histogram for the wakeup latency (now - time of the wake), -1 none */
	int lock;             /* WAIT on a COND: mutex object released while waiting, -1 none */
	int cpu;              /* HOTPLUG: dense CPU index */
	bool each;            /* SEND: one message to every target in turn (hackbench's inner loop) */
	bool online;          /* HOTPLUG */
	struct wl_mem mem;    /* RUN */
};

enum wl_inbox_kind { WL_INBOX_PIPE, WL_INBOX_SOCKET };

struct wl_thread {
	/* what the interpreter reads on every step first */
	struct wl_op *ops;
	int nr_ops;
	int process;         /* index into workload.procs */
	int64_t loops;       /* iterations of the whole op list; -1 = until the run ends */
	enum wl_inbox_kind inbox;
	double inbox_capacity;   /* bytes (pipe 65536, socket 212992 by default) */
	char name[64];       /* unique; "group.N" for instance N of a counted group;
			      * "block.K/name.N" inside a block instance */
	int nice;            /* -20..19 */
	simtime_t start_delay;
	bool has_affinity;
	struct cpumask affinity; /* dense CPU indices; valid if has_affinity */
};

enum wl_mempolicy { WL_MEM_FIRST_TOUCH, WL_MEM_INTERLEAVE, WL_MEM_BIND };

struct wl_process {
	char name[64];
	int first_thread;
	int nr_threads;
	double shared_bytes;     /* the process's shared working set */
	double write_fraction;   /* fraction 0..1 of shared-set references that are writes */
	enum wl_mempolicy mempolicy;
	int bind_node;           /* WL_MEM_BIND: dense NUMA node */
};

enum wl_obj_kind { WL_OBJ_BARRIER, WL_OBJ_LOCK, WL_OBJ_COND, WL_OBJ_SEM };

/* A synchronisation object (one per name and block instance). */
struct wl_obj {
	char name[64];
	enum wl_obj_kind kind;
	int participants;   /* BARRIER: number of threads that reference it */
	bool percpu;        /* LOCK: one instance per CPU, taken on the CPU the thread runs on */
	bool spin;          /* LOCK: waiters busy-wait (schbench's trylock loop) instead of sleeping */
};

enum wl_metric_kind {
	WL_METRIC_ELAPSED, /* seconds from the start until every thread exited ("Time:") */
	WL_METRIC_RATE,    /* counter x scale / seconds (run length, or elapsed when all exited) */
	WL_METRIC_TOTAL,   /* counter x scale */
	WL_METRIC_LATENCY, /* percentiles of a histogram (ns, printed in us) */
};

/* A metric the workload reports the way its benchmark does. */
struct wl_metric {
	char name[64];      /* "time", "rps", "MB/s", "request_latency" ... */
	enum wl_metric_kind kind;
	int src;            /* RATE/TOTAL: counter index; LATENCY: histogram index */
	double scale;       /* RATE/TOTAL multiplier (e.g. 1e-6 for MB) */
	char unit[16];
	bool higher_is_better;
};

struct workload {
	char name[128];      /* "name" key, or the file's basename */
	char path[512];
	char description[512];
	char format[16];     /* "cassim" or "rt-app" */
	simtime_t duration;  /* "duration" key; 0 = not set (run's --duration decides) */
	struct wl_process *procs;
	int nr_procs;
	struct wl_thread *threads;
	int nr_threads;
	struct wl_obj *objs;
	int nr_objs;
	int nr_counters;
	char (*counter_names)[64];
	int nr_hists;
	char (*hist_names)[64];
	int nr_stamps;       /* stamp slots per thread */
	int nr_timers;       /* timer slots per thread */
	struct wl_metric *metrics;
	int nr_metrics;
	/* Parameters declared under "params" after --set overrides, for the
	 * config echo: names[i] = values[i] (as text). */
	int nr_params;
	char (*param_names)[64];
	char (*param_values)[64];
};

/* A "--set name=value" override offered to the workload.  wl_load marks
 * each one it consumed (a declared ${name} parameter) in @used. */
struct wl_set {
	const char *name;
	const char *value;
	bool used;
};

/* Loader options. */
struct wl_opts {
	int nr_cpus;      /* bounds CPU affinity lists and hotplug CPUs */
	int nr_nodes;     /* bounds "bind" nodes */
	bool lenient;     /* rt-app: skip unsupported events with a warning instead of refusing */
};

/*
 * Load @path: rt-app JSON when the top level has "tasks", else the cassim
 * format.  Errors: missing file, malformed JSON (file:line:col), unknown keys
 * or bad values (file:line:col of the offending key and its key path, e.g.
 * "processes[1].threads[0].ops[2].run"), unknown names, negative or
 * non-numeric durations.  Returns -1 with @err filled.
 */
int wl_load(const char *path, const struct wl_opts *o, struct wl_set *sets, int nr_sets,
	    struct workload **out, struct diag *err);
void wl_free(struct workload *w);

/* A fresh op of @kind: zeroed, one target, every index -1 (none).  The
 * cassim reader (wl_op.c) and the rt-app reader (wl_rtapp.c) both start from
 * it. */
void wl_op_init(struct wl_op *op, enum wl_op_kind kind);

/* Draw from a distribution; never negative; rounds to whole ns. */
simtime_t wl_sample(const struct wl_dist *d, struct rng *r);

/* Locate @path (a key path like "processes[1].threads[0].ops[2].run") in the
 * JSON text @text; sets *line and *col (1-based) of the key, or of the value for
 * array elements.  Returns 0 if found.  (jansson keeps no positions, so errors
 * in valid JSON are located by re-scanning the text.) */
int wl_locate(const char *text, const char *path, int *line, int *col);
/* wl_locate(), else the position of the nearest enclosing path that is
 * found (1:1 for none: -1). */
int wl_locate_nearest(const char *text, const char *path, int *line, int *col);

/* Key paths for error messages ("processes[1].threads[0].ops[2].run"):
 * append ".key" (its '.', '[' and '\\' escaped as "\\.", "\\[", "\\\\") or
 * "[i]" to @path; return the length to pop back to. */
size_t wl_path_push_key(char *path, size_t cap, const char *key);
size_t wl_path_push_idx(char *path, size_t cap, size_t i);

/* rt-app: parse the text of an rt-app file (wl_rtapp.c).  @w is allocated
 * and zeroed by the caller with path/name set. */
int wl_rtapp_parse(const char *file, const char *text, size_t len, const struct wl_opts *o,
		   struct workload *w, struct diag *err);

#endif
