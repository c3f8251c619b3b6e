/*
 * --set KEY=VALUE routing (see sets.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "base/param.h"
#include "hw/profile.h"
#include "sched/params.h"
#include "study/sets.h"

enum set_ns set_namespace(const char *key, const struct policy *pol)
{
	if (param_find(sched_param_defs, sched_nr_param_defs, key))
		return SET_SCHED;
	if (policy_has_tunable(pol, key))
		return SET_POLICY;
	if (profile_param_index(key) >= 0)
		return SET_PROFILE;
	return SET_WORKLOAD;
}

bool set_applies(const char *key, const struct policy *pol, const struct policy *const *pols, int nr)
{
	bool some = false;

	if (param_find(sched_param_defs, sched_nr_param_defs, key))
		return true;
	for (int k = 0; k < nr && !some; k++)
		some = policy_has_tunable(pols[k], key);
	return !some || policy_has_tunable(pol, key);
}

int set_check_model(const char *key, const char *value, struct diag *err)
{
	const struct param_def *d;
	int np;
	const struct policy *const *pl;

	if (profile_param_index(key) >= 0) {
		struct machine_profile scratch;

		memset(&scratch, 0, sizeof(scratch));
		return profile_set(&scratch, key, value, err);
	}
	if ((d = param_find(sched_param_defs, sched_nr_param_defs, key))) {
		struct sched_params scratch;

		sched_params_defaults(&scratch);
		return param_set(d, value, &scratch, err);
	}
	pl = policy_list(&np);
	for (int i = 0; i < np; i++)
		if (policy_has_tunable(pl[i], key))
			return diag_set(err, "a revision tunable: each row runs its revision's own values "
				       "(only machine-model values and scheduler tunables are accepted here)");
	return diag_set(err, "not a machine-model value (cassim topo SPEC --show-model) or a "
			"scheduler tunable (cassim run --help)");
}
