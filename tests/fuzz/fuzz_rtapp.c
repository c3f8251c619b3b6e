/* Fuzz target: the rt-app reader (sim/workload/wl_rtapp.c) on its own,
 * leniently (unsupported events skipped) so that more of it runs. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "workload/wl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct wl_opts o = { .nr_cpus = 16, .nr_nodes = 2, .lenient = true };
	struct workload *w = calloc(1, sizeof(*w));
	char *text = fuzz_text(data, size);
	struct diag err;

	if (!w)
		abort();
	diag_quiet_warnings(1);
	snprintf(w->path, sizeof(w->path), "fuzz.json");
	snprintf(w->name, sizeof(w->name), "fuzz");
	wl_rtapp_parse("fuzz.json", text, size, &o, w, &err);
	wl_free(w);
	free(text);
	return 0;
}
