/*
 * The cassim workload loader's internals, shared by its files (wl.c has the
 * overview: parse, expand, resolve).  Not for use outside sim/workload/.
 *
 *   wl.c          the top level: wl_load(), wl_free(), the file's keys
 *   wl_nmap.c     nmap_, names_: the private hash map and the global name spaces
 *   wl_value.c    ld_: buffers, errors, key paths, scalar values
 *   wl_param.c    param_: "params" and ${} substitution, --set
 *   wl_op.c       op_: ops, one parser per op key (opdefs[]); wl_op_init()
 *   wl_entry.c    entry_: thread groups, phases, blocks
 *   wl_proc.c     proc_: processes
 *   wl_expand.c   expand_: blocks and groups instantiated into threads
 *   wl_resolve.c  resolve_: thread and object names
 *   wl_metrics.c  metrics_: the "metrics" array
 *   wl_detect.c   detect_: rt-app or cassim?
 *   wl_sample.c   wl_sample()
 */
#ifndef CASSIM_WL_LD_H
#define CASSIM_WL_LD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "workload/wl.h"

#define WL_NAME_MAX 64
#define WL_STR_MAX 1024
#define WL_PATH_MAX 512
#define WL_COUNT_MAX 1000000
#define WL_THREADS_MAX 1000000

/* ---- name maps (wl_nmap.c) --------------------------------------------- */

/* Open addressing, FNV-1a. */
struct nmap {
	size_t cap, n; /* cap: 0 or a power of 2 */
	char (*keys)[WL_NAME_MAX];
	int *vals;     /* -1: empty slot */
};

/* The value of @k, -1 if absent. */
int nmap_get(const struct nmap *m, const char *k);
/* Add @k (not present) -> @v. */
void nmap_put(struct nmap *m, const char *k, int v);
void nmap_free(struct nmap *m);

/* A global name space (counters, histograms, stamp slots, timer slots). */
struct names {
	struct nmap map;
	char (*v)[WL_NAME_MAX];
	bool *flag; /* stamps: stamped by some op */
	int n, cap;
};

/* Index of @name in a global name space, added if new. */
int names_idx(struct names *ns, const char *name);
/* "a, b, c" of a name space (for messages). */
void names_list(const struct names *ns, char *buf, size_t cap);

/* ---- loader state ------------------------------------------------------ */

enum ref_type {
	REF_THREAD,  /* one thread: exact name, or the pairing rule (wake, send) */
	REF_THREADS, /* a thread or a whole group (wake_all, send with each) */
	REF_OBJ,     /* op.obj: a synchronisation object */
	REF_MUTEX,   /* op.lock: the mutex of a cond_wait */
};

enum ref_role { ROLE_USE, ROLE_LOCK, ROLE_NEEDLOCK, ROLE_WAIT, ROLE_SIGNAL };

/* A name in an op, resolved once all threads exist. */
struct ref {
	int op;                   /* index in the template's ops */
	unsigned char type;       /* enum ref_type */
	unsigned char okind;      /* REF_OBJ/REF_MUTEX: enum wl_obj_kind */
	unsigned char role;       /* enum ref_role */
	signed char percpu, spin; /* LOCK attributes: -1 not given */
	const char *key;          /* the op or modifier key naming it */
	char name[WL_NAME_MAX];
	char path[WL_PATH_MAX];   /* of the op object */
};

/* One entry of a "threads" array: a thread group template or a block. */
struct ent {
	bool block;
	char name[WL_NAME_MAX];
	int count;
	int parent;               /* enclosing block entry, -1 at the top level */
	char path[WL_PATH_MAX];
	/* group */
	struct wl_thread tpl;     /* tpl.ops: the template ops */
	int cap_ops;
	struct ref *refs;
	int nr_refs, cap_refs;
	/* block */
	int *kids;
	int nr_kids;
};

/* A block instance: names inside it are prefixed with "blk.k/". */
struct scope {
	char prefix[WL_NAME_MAX];
	int parent; /* -1 for the top level (scope 0, prefix "") */
};

/* A group instantiated in a scope: threads first .. first+count-1. */
struct ginst {
	int ent, scope, first, count;
	char name[WL_NAME_MAX];
};

/* Loader-side facts about an object, for the consistency checks. */
struct objx {
	const struct ref *first;  /* the first reference (kind conflicts) */
	const struct ref *attr[2];/* the lock op that set percpu / spin */
	const struct ref *wait, *signal, *needlock;
	bool has_lock;
};

struct since {
	int slot;
	char name[WL_NAME_MAX];
	char path[WL_PATH_MAX];
};

struct ld {
	const char *file;
	const char *text;
	struct diag *err;
	int nr_cpus, nr_nodes;
	struct wl_set *sets;
	int nr_sets;
	struct workload *w;
	int cap_threads, cap_procs, cap_objs;
	int *tginst;              /* ginst of each thread */
	struct ent *ents;
	int nr_ents, cap_ents;
	struct scope *scopes;
	int nr_scopes, cap_scopes;
	struct ginst *gi;
	int nr_gi, cap_gi;
	struct objx *ox;
	struct nmap threadmap, groupmap, objmap, procmap;
	struct names counters, hists, stamps, timers;
	struct since *sinces;
	int nr_sinces;
	/* params after --set overrides (declaration order) */
	int nr_params;
	char (*pnames)[WL_NAME_MAX];
	char (*pvals)[WL_NAME_MAX];
	char path[WL_PATH_MAX]; /* key path of the value being parsed */
};

/* The process a thread goes to: @proc, or (-1) a new one per thread. */
struct pctx {
	int proc;
	const struct wl_process *tp;
};

/* ---- buffers, errors, key paths, scalar values (wl_value.c) ------------ */

/* A buffer of @need elements of @size holding the *@cap of @a, the new ones
 * zeroed (*@cap updated). */
void *ld_grow_buf(void *a, int *cap, int need, size_t size);

/* Make array @arr (capacity @cap, an int lvalue) hold @need elements. */
#define GROW(arr, cap, need)                                                        \
	do {                                                                        \
		if ((need) > (cap))                                                 \
			(arr) = ld_grow_buf((arr), &(cap), (need), sizeof(*(arr))); \
	} while (0)

/* Bounded copy (callers check lengths where truncation matters). */
void ld_copy_str(char *dst, size_t cap, const char *src);

/* An error located at key path @path ("FILE:LINE:COL: msg"); returns -1. */
int ld_err_at(struct ld *ld, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Error about the value at the current path: "PATH: what". */
#define err_here(ld, fmt, ...) ld_err_at((ld), (ld)->path, "%s: " fmt, (ld)->path, ##__VA_ARGS__)
/* "an object", "a string" ... (for messages). */
const char *ld_type_name(const json_t *v);

/* Key paths: push a key or an index onto ld->path; pop back to a mark. */
size_t ld_push_key(struct ld *ld, const char *key);
size_t ld_push_idx(struct ld *ld, size_t i);
void ld_pop(struct ld *ld, size_t mark);
/* An optional key: the value of @key in @obj with @key pushed (*@mark to pop
 * back to), or NULL without it (nothing pushed), so the key is named once. */
json_t *ld_enter(struct ld *ld, json_t *obj, const char *key, size_t *mark);
/* An error for the first key of @obj not in the NULL-terminated @allowed. */
int ld_check_keys(struct ld *ld, json_t *obj, const char *const *allowed);

/* What a distribution's values are: durations (ns) or byte sizes. */
struct dist_unit {
	const char *what, *sfx;
	int (*get)(struct ld *ld, json_t *v, double *out);
};
extern const struct dist_unit ld_dist_ns, ld_dist_bytes;

/* Values at ld->path with ${} substituted: 0, or -1 with the error set. */
int ld_get_str(struct ld *ld, json_t *v, char *out, size_t cap, const char *expect);
int ld_get_int(struct ld *ld, json_t *v, int64_t *out);
int ld_get_dur(struct ld *ld, json_t *v, simtime_t *out);
int ld_get_dist(struct ld *ld, json_t *v, const struct dist_unit *u, struct wl_dist *d);
int ld_get_cpus(struct ld *ld, json_t *v, struct cpumask *m); /* 1: "all" */
int ld_get_num_in(struct ld *ld, json_t *v, double *out, double lo, double hi,
		  const char *expect);
int ld_get_bool(struct ld *ld, json_t *v, bool *out);
int ld_get_bytes(struct ld *ld, json_t *v, double *out);
int ld_get_name(struct ld *ld, json_t *v, char *out, const char *what);

/* ---- parameters (wl_param.c) ------------------------------------------- */

int param_parse(struct ld *ld, json_t *params);
int param_apply_sets(struct ld *ld);
int param_store(struct ld *ld);
int param_subst(struct ld *ld, const char *in, char *out, size_t cap);
void param_sets_note(const struct ld *ld, const char *ref, char *buf, size_t len);

/* ---- ops (wl_op.c) ----------------------------------------------------- */

#define TIME_OPS "run, spin, sleep, wait, recv, barrier, lock, cond_wait, sem_wait or timer"

extern const char *const op_obj_kind_name[];

int op_new(struct ent *en, enum wl_op_kind kind);
bool op_lets_time_pass(const struct wl_op *ops, int a, int b);
int op_parse_list(struct ld *ld, json_t *arr, struct ent *en, const char *what);

/* ---- entries, processes, expansion, names, metrics, detection ---------- */

int entry_parse(struct ld *ld, json_t *jt, int parent, int *out);
int proc_parse(struct ld *ld, json_t *jp, size_t pj, char (*jnames)[WL_NAME_MAX]);
int expand_add_proc(struct ld *ld, const char *name, const struct wl_process *tp,
		    const char *path);
int expand_new_scope(struct ld *ld, const char *prefix, int parent);
int expand_entry(struct ld *ld, int e, int scope, const struct pctx *pc);
int resolve_names(struct ld *ld);
int metrics_parse(struct ld *ld, json_t *arr);
bool detect_rtapp(const json_t *root, const char *text);

#endif
