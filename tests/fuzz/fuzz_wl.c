/* Fuzz target: a workload file as `cassim run --workload FILE` loads it
 * (sim/workload/wl.c; a top-level "tasks" key goes to the rt-app reader). */
#include <stdlib.h>

#include "fuzz.h"
#include "workload/wl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a 2-node machine of 16 CPUs bounds affinities, hotplug and "bind" */
	const struct wl_opts o = { .nr_cpus = 16, .nr_nodes = 2 };
	struct workload *w = NULL;
	struct diag err;

	diag_quiet_warnings(1);
	if (wl_load(fuzz_file(data, size, ".json"), &o, NULL, 0, &w, &err) == 0)
		wl_free(w);
	return 0;
}
