/* Fuzz target: a published-results CSV as `cassim validate` reads it
 * (sim/cmd/cmd_validate.c), every row then mapped to simulator runs
 * (vm_map_row, sim/study/validate_map.c) on a fixed machine. */
#include <stdlib.h>

#include "study/validate.h"
#include "fuzz.h"
#include "policies/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* spr-2s-1node-2llc's size: what the "cpus"/"llcs" values resolve to */
	const struct vm_machine m = { .name = "fuzz", .nr_cpus = 224, .nr_llcs = 2 };
	struct row *rows = NULL;
	struct diag err;
	int nr = 0;

	diag_quiet_warnings(1);
	if (validate_read_csv(fuzz_file(data, size, ".csv"), &rows, &nr, &err) < 0)
		return 0;
	for (int i = 0; i < nr; i++) {
		struct row *r = &rows[i];

		if (vm_policy_for_revision(r->revision, r->policy, sizeof(r->policy)))
			r->pol = policy_find(r->policy);
		vm_map_row(r->benchmark, r->params, r->metric, &m, r->pol, 1.0, &r->map);
	}
	free(rows);
	return 0;
}
