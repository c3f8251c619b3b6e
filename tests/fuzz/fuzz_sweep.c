/* Fuzz target: a sweep plan (sim/study/sweep_plan.c) parsed and expanded into
 * jobs.  Topologies (for strides) are looked up in $CASSIM_DATADIR/topologies
 * when it is set, as the installed cassim does. */
#include <stdio.h>
#include <stdlib.h>

#include "study/sweep.h"
#include "fuzz.h"

static char topo_dir[4096];
static const char *topo_dirs[2];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *d = getenv("CASSIM_DATADIR");

	if (d && *d) {
		snprintf(topo_dir, sizeof(topo_dir), "%s/topologies", d);
		topo_dirs[0] = topo_dir;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct sweep_plan *p = NULL;
	struct diag err;

	diag_quiet_warnings(1);
	if (sweep_plan_parse("plan.json", text, size, topo_dirs, &p, &err) == 0)
		sweep_plan_free(p);
	free(text);
	return 0;
}
