/*
 * Workload description: processes made of threads, each thread running a
 * small program.  Parsed from JSON (jansson) with file:line:col errors.
 *
 * This is the first form of the workload language (issue 2): a thread runs
 * a loop of ops:
 *   run   - consume CPU work (ns on an idle machine), fixed or a distribution
 *   sleep - block for a time, fixed or a distribution
 *   wake  - wake a named thread (like a futex wake / semaphore post: a wake
 *           of a thread that is not waiting is remembered)
 *   wait  - block until woken (consumes one remembered wake)
 * with a loop count (or forever, until the run's duration ends).
 * The op set and struct wl_op are meant to grow (send/recv, barrier, lock,
 * nested loops, phases) without changing the interpreter contract.
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

enum wl_op_kind {
	WL_OP_RUN,
	WL_OP_SLEEP,
	WL_OP_WAKE,
	WL_OP_WAIT,
};

struct wl_op {
	enum wl_op_kind kind;
	struct wl_dist dist; /* RUN, SLEEP */
	int target;          /* WAKE: index into workload.threads */
};

struct wl_thread {
	char name[64];       /* unique; "group.N" for instance N of a counted group */
	int process;         /* index into workload.procs */
	int nice;            /* -20..19 */
	simtime_t start_delay;
	int64_t loops;       /* iterations of the op list; -1 = until the run ends */
	bool has_affinity;
	struct cpumask affinity; /* dense CPU indices; valid if has_affinity */
	struct wl_op *ops;
	int nr_ops;
};

struct wl_process {
	char name[64];
	int first_thread;
	int nr_threads;
};

struct workload {
	char name[128];      /* "name" key, or the file's basename */
	char path[512];
	char description[512];
	simtime_t duration;  /* "duration" key; 0 = not set (run's --duration decides) */
	struct wl_process *procs;
	int nr_procs;
	struct wl_thread *threads;
	int nr_threads;
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

/*
 * Load @path.  @nr_cpus bounds CPU affinity lists.  Errors: missing file,
 * malformed JSON (file:line:col from jansson), unknown keys or bad values
 * (file:line:col of the offending key and its key path, e.g.
 * "processes[1].threads[0].ops[2].run"), unknown wake targets, negative or
 * non-numeric durations.  Returns -1 with @err filled.
 */
int wl_load(const char *path, int nr_cpus, struct wl_set *sets, int nr_sets,
	    struct workload **out, struct diag *err);
void wl_free(struct workload *w);

/* Draw from a distribution; never negative; rounds to whole ns. */
simtime_t wl_sample(const struct wl_dist *d, struct rng *r);

/* Locate @path (a key path like "processes[1].threads[0].ops[2].run") in the
 * JSON text @text; sets *line and *col (1-based) of the key, or of the value for
 * array elements.  Returns 0 if found.  (jansson keeps no positions, so errors
 * in valid JSON are located by re-scanning the text.) */
int wl_locate(const char *text, const char *path, int *line, int *col);

#endif
