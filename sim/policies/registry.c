#include "policies/policy.h"

#include <string.h>

/* Built-in policies first, then the ones modules register. */
#define POLICY_MAX 64

static const struct policy *policies[POLICY_MAX] = {
	&policy_cfs,
};
static int nr_policies = 1;

const struct policy *policy_find(const char *name)
{
	for (int i = 0; i < nr_policies; i++)
		if (!strcmp(policies[i]->name, name))
			return policies[i];
	return NULL;
}

const struct policy *const *policy_list(int *nr)
{
	*nr = nr_policies;
	return policies;
}

int policy_register(const struct policy *p)
{
	if (!p || !p->name || policy_find(p->name) || nr_policies == POLICY_MAX)
		return -1;
	policies[nr_policies++] = p;
	return 0;
}
