#include "policies/policy.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"
#include "base/xalloc.h"
#include "policies/cas.h"

/* Built-in policies first (cfs, then the cache-aware revisions of the
 * revision table, in table order), then the ones modules register.  The
 * table grows as policies register: no cap. */
static const struct policy *cfs_only[1] = { &policy_cfs };
static const struct policy **policies = cfs_only;
static int nr_policies = 1, cap_policies;

static int add(const struct policy *p)
{
	if (!p || !p->name)
		return -1;
	for (int i = 0; i < nr_policies; i++)
		if (!strcmp(policies[i]->name, p->name))
			return -1;
	if (nr_policies >= cap_policies) {
		int cap = cap_policies ? 2 * cap_policies : 32;
		const struct policy **t = xmalloc((size_t)cap * sizeof(*t));

		memcpy(t, policies, (size_t)nr_policies * sizeof(*t));
		if (policies != cfs_only)
			free(policies);
		policies = t;
		cap_policies = cap;
	}
	policies[nr_policies++] = p;
	return 0;
}

static void builtin(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	cas_register_builtin(add);
}

const struct policy *policy_find(const char *name)
{
	builtin();
	for (int i = 0; i < nr_policies; i++)
		if (!strcmp(policies[i]->name, name))
			return policies[i];
	return NULL;
}

bool policy_has_tunable(const struct policy *p, const char *key)
{
	return p && p->nr_params && param_find(p->params, p->nr_params, key);
}

const struct policy *const *policy_list(int *nr)
{
	builtin();
	*nr = nr_policies;
	return policies;
}

int policy_register(const struct policy *p)
{
	builtin();
	return add(p);
}

void policy_names(char *buf, size_t len)
{
	int nr;
	const struct policy *const *pl = policy_list(&nr);
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < nr && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", pl[i]->name);
}

char *policy_hint(char *buf, size_t len, const char *name)
{
	int nr;
	const struct policy *const *pl = policy_list(&nr);
	const char **names = xcalloc((size_t)(nr > 0 ? nr : 1), sizeof(*names));

	for (int i = 0; names && i < nr; i++)
		names[i] = pl[i]->name;
	suggest_hint(buf, len, name, names, names ? nr : 0);
	free(names);
	return buf;
}
