/*
 * The timeline CSV.  A slice's row is known when it ends but the file is
 * sorted by start, so rows wait in a buffer (in start order: a row is
 * appended when its task switches in) and the prefix that can no longer
 * change order is written out: closed rows that started before now, short
 * of the start instant of the first row still open.  The buffer holds what
 * started since the oldest slice still running, which is short unless a
 * task runs uninterrupted for long while others switch.
 */
#include "out/timeline.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "out/file.h"
#include "out/report.h"
#include "base/xalloc.h"

struct tl_row {
	simtime_t start, end; /* clipped to the window; end -1: still running */
	int cpu, tid;
};

struct timeline {
	struct afile af;
	struct trace_window w;
	struct trace_sink sink;
	const struct trace_layout *l;
	struct tl_row *rows;
	size_t head, nr, cap; /* rows[head..nr) are not written yet */
	long *open;           /* [nr_cpus] index of the CPU's running row, -1 */
};

static int row_cmp(const void *a, const void *b)
{
	const struct tl_row *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

static void write_row(struct timeline *tl, const struct tl_row *r)
{
	const struct trace_layout *l = tl->l;
	FILE *f = tl->af.f;
	int p = l->task_proc[r->tid];

	fprintf(f, "%d,%d,%d,%" PRId64 ",%" PRId64 ",%d,%d,", r->cpu, l->cpu_llc[r->cpu],
		l->cpu_node[r->cpu], r->start, r->end, p, r->tid);
	report_csv_field(f, l->proc_name[p]);
	fputc(',', f);
	report_csv_field(f, l->task_name[r->tid]);
	fputc('\n', f);
}

/* Write the rows whose order is settled at time @now. */
static void flush(struct timeline *tl, simtime_t now)
{
	size_t k = tl->head;

	while (k < tl->nr && tl->rows[k].end >= 0 && tl->rows[k].start < now)
		k++;
	/* a running row may still sort before closed rows of its instant */
	while (k < tl->nr && k > tl->head && tl->rows[k - 1].start == tl->rows[k].start)
		k--;
	if (k == tl->head)
		return;
	qsort(tl->rows + tl->head, k - tl->head, sizeof(*tl->rows), row_cmp);
	for (size_t i = tl->head; i < k; i++)
		if (tl->rows[i].end > tl->rows[i].start)
			write_row(tl, &tl->rows[i]);
	tl->head = k;
	/* reuse the buffer once most of it is written */
	if (tl->head > 1024 && tl->head * 2 > tl->nr) {
		memmove(tl->rows, tl->rows + tl->head, (tl->nr - tl->head) * sizeof(*tl->rows));
		for (int c = 0; c < tl->l->nr_cpus; c++)
			if (tl->open[c] >= 0)
				tl->open[c] -= (long)tl->head;
		tl->nr -= tl->head;
		tl->head = 0;
	}
}

static int tl_begin(void *ctx, const struct trace_layout *l, struct diag *err)
{
	struct timeline *tl = ctx;

	tl->l = l;
	tl->open = xmalloc((size_t)l->nr_cpus * sizeof(*tl->open));
	for (int c = 0; c < l->nr_cpus; c++)
		tl->open[c] = -1;
	fputs("cpu,llc,node,start_ns,end_ns,pid,tid,process,thread\n", tl->af.f);
	return 0;
}

static void tl_switch_in(void *ctx, simtime_t ts, int cpu, int tid)
{
	struct timeline *tl = ctx;

	if (tl->w.to >= 0 && ts >= tl->w.to)
		return;
	if (tl->nr == tl->cap) {
		size_t cap = tl->cap ? 2 * tl->cap : 4096;
		struct tl_row *r = xrealloc(tl->rows, cap * sizeof(*r));

		tl->rows = r;
		tl->cap = cap;
	}
	tl->rows[tl->nr] = (struct tl_row){ .start = MAX(ts, tl->w.from), .end = -1, .cpu = cpu, .tid = tid };
	tl->open[cpu] = (long)tl->nr++;
}

static void close_row(struct timeline *tl, simtime_t ts, int cpu)
{
	long i = tl->open[cpu];

	if (i < 0)
		return;
	tl->rows[i].end = tl->w.to >= 0 ? MIN(ts, tl->w.to) : ts;
	tl->open[cpu] = -1;
}

static void tl_switch_out(void *ctx, simtime_t ts, int cpu, int tid, const char *why)
{
	struct timeline *tl = ctx;

	(void)tid;
	(void)why;
	close_row(tl, ts, cpu);
	flush(tl, ts);
}

static void tl_end(void *ctx, simtime_t ts)
{
	struct timeline *tl = ctx;

	for (int c = 0; c < tl->l->nr_cpus; c++)
		close_row(tl, ts, c);
	flush(tl, SIMTIME_MAX);
}

struct timeline *timeline_open(const char *path, struct trace_window w, struct diag *err)
{
	struct timeline *tl = xcalloc(1, sizeof(*tl));

	if (afile_open(&tl->af, path, err)) {
		free(tl);
		return NULL;
	}
	tl->w = w;
	tl->sink = (struct trace_sink){ .begin = tl_begin, .switch_in = tl_switch_in,
					.switch_out = tl_switch_out, .end = tl_end, .ctx = tl };
	return tl;
}

const struct trace_sink *timeline_sink(struct timeline *tl)
{
	return &tl->sink;
}

static void tl_free(struct timeline *tl)
{
	free(tl->rows);
	free(tl->open);
	free(tl);
}

int timeline_commit(struct timeline *tl, struct diag *err)
{
	int ret;

	ret = afile_commit(&tl->af, err);
	tl_free(tl);
	return ret;
}

void timeline_abort(struct timeline *tl)
{
	if (!tl)
		return;
	afile_abort(&tl->af);
	tl_free(tl);
}
