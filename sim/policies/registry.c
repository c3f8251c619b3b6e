#include "policies/policy.h"

#include <string.h>

static const struct policy *const policies[] = {
	&policy_cfs,
};

const struct policy *policy_find(const char *name)
{
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		if (!strcmp(policies[i]->name, name))
			return policies[i];
	return NULL;
}

const struct policy *const *policy_list(int *nr)
{
	*nr = (int)(sizeof(policies) / sizeof(policies[0]));
	return policies;
}
