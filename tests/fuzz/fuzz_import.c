/* Fuzz target: a `perf script` text trace through `cassim import
 * perf-sched` (sim/workload/wl_import.c): read, model, workload JSON, in
 * both modes. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "workload/wl_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wl_import_opts o;
	struct diag err;

	diag_quiet_warnings(1);
	wl_import_opts_init(&o);
	o.max_ops = 64; /* small, so that truncation is exercised too */
	for (int mode = 0; mode < 2; mode++) {
		FILE *f = fuzz_stream(data, size);
		struct wl_trace *t = NULL;

		o.mode = mode ? WL_IMPORT_FIT : WL_IMPORT_REPLAY;
		if (wl_trace_read(f, "trace.txt", o.max_ops, &t, &err) == 0 &&
		    wl_trace_model(t, &o, &err) == 0)
			json_decref(wl_trace_workload(t, &o));
		wl_trace_free(t);
		fclose(f);
	}
	return 0;
}
