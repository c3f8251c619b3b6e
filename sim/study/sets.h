/*
 * --set KEY=VALUE routing: which namespace a key belongs to, and to which
 * policies of a study it applies.  One rule for run, compare, sweep and
 * validate (each used to write its own).
 *
 * A key is, in this order: a scheduler tunable (sched/params.h), a tunable
 * of the run's policy, a machine-model value (hw/profile.h), or else a
 * workload parameter (the workload decides; an unknown key is the run's
 * error, with suggestions).
 */
#ifndef CASSIM_STUDY_SETS_H
#define CASSIM_STUDY_SETS_H

#include <stdbool.h>

#include "base/diag.h"
#include "policies/policy.h"

enum set_ns {
	SET_SCHED,    /* sched_param_defs */
	SET_POLICY,   /* the policy's own tunables */
	SET_PROFILE,  /* the machine profile */
	SET_WORKLOAD, /* anything else: a workload parameter, or unknown */
};

/* The namespace of @key in a run under @pol (NULL: cfs). */
enum set_ns set_namespace(const char *key, const struct policy *pol);

/* Whether @key goes to the runs of @pol in a study of the policies @pols
 * (@nr of them): a scheduler tunable and any key no listed policy has go
 * to every policy; a tunable of some listed policies only to those. */
bool set_applies(const char *key, const struct policy *pol, const struct policy *const *pols, int nr);

/* A machine-model value or a scheduler tunable, range-checked without a
 * run (validate's what-if and ablation values): 0, or -1 with @err (a
 * revision tunable or a workload parameter is refused, with why). */
int set_check_model(const char *key, const char *value, struct diag *err);

#endif
