/*
 * The policy registry: a policy is a name, a one-line description, a set of
 * hooks (sched/hooks.h) and its tunables.  "cfs" is the stock kernel: no
 * hooks.  The cache-aware revisions register here as entries of one
 * feature/tunable table (cas.c); policy modules (--policy-module x.so)
 * register more at run time (module.c).
 */
#ifndef CASSIM_POLICIES_POLICY_H
#define CASSIM_POLICIES_POLICY_H

#include <stddef.h>

#include "base/param.h"
#include "sched/hooks.h"

struct policy {
	const char *name;
	const char *description;
	const struct sched_hooks *hooks; /* NULL: stock behaviour */
	/* Tunables settable with --set NAME=VALUE: a param table whose offsets
	 * point into a config struct of params_size bytes, initialised from
	 * the table's defaults.  The run passes that struct to hooks->init. */
	const struct param_def *params;
	size_t nr_params;
	size_t params_size;
	/* Revision features for `cassim policies` (NULL-terminated name/value
	 * pairs, e.g. {"occupancy", "sum"}, {"wakeup_redirect", "off"}), or NULL. */
	const char *const (*features)[2];
	/* The policy this one is written as a change of (a revision's
	 * predecessor), or NULL; and what it changes relative to it:
	 * NULL-terminated {name, parent's value, this policy's value} triples
	 * ("knob" names a renamed tunable), or NULL. */
	const char *parent;
	const char *const (*changes)[3];
	const void *data; /* private to the implementation (e.g. the revision row) */
};

const struct policy *policy_find(const char *name);
/* Whether @key is one of @p's tunables (false for NULL or cfs). */
bool policy_has_tunable(const struct policy *p, const char *key);
/* All registered policies, in registration order; sets *nr. */
const struct policy *const *policy_list(int *nr);
/* The registered policy names, comma-separated, into @buf. */
void policy_names(char *buf, size_t len);
/* ", did you mean NAME?" for an unknown policy @name (a registered one a
 * typo away), or "", into @buf; returns @buf. */
char *policy_hint(char *buf, size_t len, const char *name);
/* Register a policy at run time (modules); -1 if the name is taken. */
int policy_register(const struct policy *p);

extern const struct policy policy_cfs;

#endif
