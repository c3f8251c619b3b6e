/*
 * cassim validate, shared between the command (cmd_validate.c: CSV, mapping,
 * runs, statistics) and its outputs (validate_report.c: table, JSON, CSV,
 * report.md, scatter plot).  Internal to sim/cmd.
 */
#ifndef CASSIM_STUDY_VALIDATE_H
#define CASSIM_STUDY_VALIDATE_H

#include <stdbool.h>
#include <stdio.h>

#include "base/diag.h"
#include "study/jobs.h"
#include "study/validate_map.h"

enum verdict {
	V_AGREE,
	V_MISS,
	V_NOT_SCORED,   /* 3 % <= |published| < 5 % */
	V_UNMAPPED,
	V_NO_POLICY,    /* the revision's policy is not registered in this build */
	V_FAILED,       /* a run failed or its metric is missing */
	V_PLANNED,      /* --dry-run */
};

extern const char *const vr_verdict_name[];

/* Paired runs of one variant: per seed, the job index of the baseline (cfs
 * or the row's baseline revision) and of the revision, the two metric
 * values and the change. */
struct cell {
	int *base_job, *cas_job;
	double *bval, *cval, *chg;
	int n;                 /* seeds with both values */
	double mean, ci;       /* % change and its 95 % half-width (NAN: n < 2) */
	double base_mean, cas_mean;
	char err[512];
};

#define VR_MAX_ABLATIONS 8

struct row {
	int line;
	char id[64], revision[32], machine[64], benchmark[64], params[256], metric[48], source[256];
	char baseline[32];     /* the CSV's baseline column, "cfs" without one */
	double published;
	char policy[48], base_policy[48];
	const struct policy *pol;
	struct vm_map map;
	bool mapped;
	struct cell cells[VM_MAX_VARIANTS];
	int chosen;            /* variant reported (several: see row_result) */
	double sim, ci;
	enum verdict verdict;
	bool within_2x, significant;
	/* --ablate: the same pairs with one switch each (struct validation's
	 * abl_*), and the change they give; NAN when a run failed */
	struct cell abl[VR_MAX_ABLATIONS][VM_MAX_VARIANTS];
	double abl_sim[VR_MAX_ABLATIONS], abl_ci[VR_MAX_ABLATIONS];
	/* what the mechanism moved the row by: the full model's change minus
	 * the ablated one, paired by seed over the ablation's seeds */
	double abl_moved[VR_MAX_ABLATIONS];
	const char *why;       /* V_MISS: which part of the rule failed (validate_rule.h) */
	char reason[512];
	/* what the revision's policy did in the reported variant's runs: the
	 * verdict run and compare print (study/verdicts.h); kind -1 (none) for
	 * a policy that is not cache-aware */
	int activity_kind;
	char activity[256];
};

/* A prediction: one configuration on one machine, cfs + the CAS policies. */
#define VR_MAX_POLICIES 8 /* entries of vm_predict_policies */
struct pred {
	const struct vm_prediction *p;
	const char *machine;
	struct vm_map map;
	bool mapped;
	char reason[256];
	struct cell cells[VR_MAX_POLICIES];  /* per policy of vm_predict_policies */
	bool have_policy[VR_MAX_POLICIES];
};

/* The runs, each distinct (topology, workload, policy, sets, seed) once.
 * --set: what-if values added to every run, baseline and revision alike
 * (machine-model values and scheduler tunables only). */
#define VR_MAX_SETS 16
struct jobset {
	struct job *jobs;
	char **keys;
	int nr, cap;
	int nr_sets;
	const char *set_keys[VR_MAX_SETS], *set_values[VR_MAX_SETS];
};

struct validate_machine;

/* One validation: the rows, the predictions and their runs. */
struct validation {
	const char *csv;      /* as given on the command line */
	const char *cmdline;  /* for the report */
	int seeds, pseeds;    /* seeds of the rows and of the predictions */
	double scale;         /* --duration-scale */
	struct row *rows;
	int nr;
	struct pred *preds;
	int np;
	struct jobset js;
	char only[512];       /* --only globs, comma-joined ("" = every row) */
	/* --ablate KEY=VALUE: each row's pairs again with that one value (a
	 * mechanism switched off alone), aseeds seeds */
	int nr_abl, aseeds;
	const char *abl_key[VR_MAX_ABLATIONS], *abl_value[VR_MAX_ABLATIONS];
	struct validate_machine *mc;  /* the machines loaded for the mapping */
	int nr_mc;
};

/* validate.c: the study.  validate_read reads V->csv and keeps the rows
 * whose id matches one of the globs @only (all when @nr_only is 0): 0, or
 * -1 with @err (bad input).  validate_plan maps every row (a row that cannot
 * be mapped or run gets its verdict and reason) and plans its paired runs,
 * and the predictions' with @predict, as V->js's jobs; validate_evaluate,
 * after the jobs ran, scores the rows and predictions (true if a run
 * failed); validate_free frees everything, V->js's jobs included. */
int validate_read(struct validation *V, const char *const *only, int nr_only, struct diag *err);
void validate_plan(struct validation *V, bool predict);
bool validate_evaluate(struct validation *V);
void validate_free(struct validation *V);

/* validate_csv.c: the published-results CSV @path into *rows_out (free
 * it), *nr_out rows; -1 with "file:line: ..." in @err (bad input). */
int validate_read_csv(const char *path, struct row **rows_out, int *nr_out, struct diag *err);
/* Split one CSV line in place into at most @max fields @f (RFC 4180 quotes,
 * no embedded newlines): the number of fields, max + 1 if there are more,
 * -1 on an unterminated quote.  Also the observables table's reader. */
int validate_csv_split(char *line, char **f, int max);

/* validate_report.c */
const char *vr_sense_name(enum vm_sense s);
void vr_sets_str(const struct vm_variant *v, char *buf, size_t len);
void vr_dur_str(simtime_t d, char *buf, size_t len);
bool vr_is_fixed_work(const struct vm_map *m);
/* The table, unmapped rows, predictions and the agreement line. */
void vr_print_text(FILE *f, const struct validation *v);
/* The whole result as one JSON document (new reference). */
json_t *vr_json(const struct validation *v);
/* --plot: gnuplot and papers/validation/scatter.gp (into @script), checked
 * before any run. */
int vr_plot_check(char *script, size_t len, struct diag *err);
/* DIR/results.json, results.csv, report.md and, with @plot_script,
 * scatter.dat, scatter.png and scatter.svg (gnuplot).  Each file is
 * written atomically. */
int vr_write_files(const struct validation *v, const char *dir, const char *plot_script,
		   struct diag *err);

#endif
