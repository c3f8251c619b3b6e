/* Fuzz target: a topology XML file through cassim's loader in this process
 * (topo_load_inproc in sim/hw/topo.c, which hands the file to libhwloc and
 * extracts the CPUs, caches, nodes and distances; topo_load runs the same in
 * a child, which would hide a crash from the fuzzer). */
#include <hwloc.h>

#include "fuzz.h"
#include "hw/topo.h"

/* libhwloc loads its XML plugin (and libxml2 with it) for the first
 * topology and unloads it when the last one is destroyed; libxml2's global
 * state is then reported as leaked on every load.  One topology kept for
 * the whole run keeps the plugin loaded, so only leaks of a load remain. */
static hwloc_topology_t keep_plugins;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return hwloc_topology_init(&keep_plugins);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo *t = NULL;
	struct diag err;

	diag_quiet_warnings(1);
	if (topo_load_inproc(fuzz_file(data, size, ".xml"), NULL, &t, &err) == 0)
		topo_free(t);
	return 0;
}
