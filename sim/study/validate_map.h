/*
 * cassim validate: the mapping from a published result (a row of
 * published.csv: revision, machine, benchmark, params, metric) to simulator
 * runs (policy, topology, workload file, --set list, result metric).  One
 * table per benchmark; papers/validation/README.md documents every entry.
 * The run lengths live here too: they are chosen once per benchmark (scaled
 * by --duration-scale), never per row.
 */
#ifndef CASSIM_STUDY_VALIDATE_MAP_H
#define CASSIM_STUDY_VALIDATE_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/types.h"

struct policy;

#define VM_MAX_SETS 16
#define VM_MAX_VARIANTS 8

/* How two metric values become a % change, + = CAS better (the CSV's sign). */
enum vm_sense {
	VM_LOWER,    /* time, latency: (base - cas) / base */
	VM_HIGHER,   /* throughput, bandwidth: (cas - base) / base */
	VM_INV_TIME, /* throughput published for a fixed-work run: base / cas - 1 */
};

struct vm_set {
	char key[48];
	char value[64];
};

/* One simulated configuration; a row with "a/b" alternatives has several. */
struct vm_variant {
	char label[64];  /* "threads=10", "kernel=copy"; "" for a single variant */
	int nr_sets;
	struct vm_set sets[VM_MAX_SETS];  /* workload parameters, both policies */
	simtime_t duration;               /* run length or cap */
};

/* What a machine looks like to the mapping (defaults such as one stream
 * thread per LLC, and "cpus-1" style values in the prediction table). */
struct vm_machine {
	const char *name;
	int nr_cpus;
	int nr_llcs;
};

struct vm_map {
	char bench[32];       /* canonical benchmark name (the table's key) */
	char workload[64];    /* workload name: shipped (workloads/) or papers/validation/workloads/ */
	char job_workload[512]; /* what the job runner gets (name or path; set by cmd_validate.c) */
	int nr_variants;
	struct vm_variant var[VM_MAX_VARIANTS];
	int nr_policy_sets;   /* CAS tunables from the params: the revision's run, and a CAS baseline's */
	struct vm_set policy_sets[VM_MAX_SETS];
	char metric[48];      /* key under results.metrics */
	char stat[16];        /* "value", "p50", "p90", "p99", "p99.9" */
	enum vm_sense sense;
	char notes[256];      /* assumptions applied to this row ("; "-separated) */
	char reason[256];     /* why the row is unmapped */
};

/* Policy name for a CSV revision or baseline ("rfc-v2" -> "cas-rfc-v2",
 * "merged" -> "cas-merged", "7.2-fixes" -> "cas-7.2-fixes", "cfs" and
 * "cas-*" as they are); NULL if unknown. */
const char *vm_policy_for_revision(const char *rev, char *buf, size_t len);

/* The first of @m's policy sets that is not a tunable of @pol, or NULL. */
const char *vm_missing_tunable(const struct vm_map *m, const struct policy *pol);

/* Map benchmark + params + metric on machine @m.  @pol (may be NULL: not
 * registered) decides whether an unknown key=value is a tunable of the
 * revision.  @scale multiplies run lengths.  Returns 0, or -1 with
 * out->reason set (the row is unmapped). */
int vm_map_row(const char *benchmark, const char *params, const char *metric,
	       const struct vm_machine *m, const struct policy *pol, double scale,
	       struct vm_map *out);

/* One sentence: what the model would need to get a missed row right.
 * @pref_frac is the revision's observed share of runtime in the preferred
 * LLC (NAN when unknown): a missed gain reads differently when the revision
 * did aggregate in the model. */
const char *vm_miss_note(const char *bench, double published, double pref_frac);

/* The prediction set: benchmark configurations run on the target machines.
 * Values may be "cpus", "llcs", "cpus-1", "cpus:2" (= cpus / 2) (resolved per machine). */
struct vm_prediction {
	const char *benchmark, *params, *metric, *what;
};
extern const struct vm_prediction vm_predictions[];
extern const int vm_nr_predictions;
extern const char *const vm_predict_machines[];
extern const char *const vm_predict_policies[];

#endif
