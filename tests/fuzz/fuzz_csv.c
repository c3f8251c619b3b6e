/* Fuzz target: the CSV reader (sim/report/csvread.c, libcsv strict mode) that
 * `cassim plot` uses for results and timelines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "report/csvread.h"

/* Read every field, as the plot readers do. */
static int visit(void *ctx, const struct csvr_rec *r, struct diag *err)
{
	size_t *total = ctx;

	for (int i = 0; i < r->n; i++)
		*total += strlen(r->f[i]);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fuzz_stream(data, size);
	size_t total = 0;
	struct diag err;

	csvr_read_file(f, "fuzz.csv", visit, &total, &err);
	fclose(f);
	return 0;
}
