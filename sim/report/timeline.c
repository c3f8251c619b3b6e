/*
 * The timeline CSV.  A slice's row is known when it ends but the file is
 * sorted by start, so rows wait in a buffer (in start order: a row is
 * appended when its task switches in) and the prefix that can no longer
 * change order is written out: closed rows that started before now, short
 * of the start instant of the first row still open.  The buffer holds what
 * started since the oldest slice still running, which is short unless a
 * task runs uninterrupted for long while others switch.
 *
 * Then memory stays bounded: once SPILL_ROWS rows wait, those that started
 * before now move out of the buffer, sorted, to a spill file read back in
 * order (a FIFO of fixed-size records; a row spilled while open gets its
 * end written in place when it closes).  Everything spilled starts before
 * anything still in the buffer, so the spill file is written out first, up
 * to its first row still open, then the buffer as before.
 */
#include "report/timeline.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "report/file.h"
#include "report/report.h"
#include "base/xalloc.h"

struct tl_row {
	simtime_t start, end; /* clipped to the window; end -1: still running */
	int cpu, tid;
};

#define SPILL_ROWS ((size_t)1 << 16)
#define SPILL_READ 4096 /* rows read back from the spill file at a time */

struct timeline {
	struct afile af;
	struct trace_window w;
	struct trace_sink sink;
	const struct trace_layout *l;
	struct tl_row *rows;
	size_t head, nr, cap; /* rows[head..nr) are not written yet */
	long *open;           /* [nr_cpus] the CPU's running row: index in rows, -1 none,
			       * -2 - k: record k of the spill file */
	/* spilled rows (all before rows[head]), in (start, cpu) order */
	FILE *spill;                  /* tmpfile() */
	size_t sp_written, sp_read;   /* records written to it / read back */
	struct tl_row rd[SPILL_READ]; /* read back: records sp_read-rd_nr.. sp_read-1;
				       * rd[rd_head..rd_nr) not written out yet */
	size_t rd_head, rd_nr;
	bool io_err;
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

/* The next spilled row not written out, or NULL. */
static struct tl_row *spill_front(struct timeline *tl)
{
	if (tl->rd_head == tl->rd_nr && tl->sp_read < tl->sp_written) {
		size_t n = MIN(tl->sp_written - tl->sp_read, (size_t)SPILL_READ);

		if (fseek(tl->spill, (long)(tl->sp_read * sizeof(struct tl_row)), SEEK_SET) ||
		    fread(tl->rd, sizeof(struct tl_row), n, tl->spill) != n) {
			tl->io_err = true;
			tl->sp_read = tl->sp_written;
			return NULL;
		}
		tl->sp_read += n;
		tl->rd_head = 0;
		tl->rd_nr = n;
	}
	return tl->rd_head < tl->rd_nr ? &tl->rd[tl->rd_head] : NULL;
}

/* Write the spilled rows out up to the first one still open; true when
 * none is left. */
static bool flush_spilled(struct timeline *tl)
{
	struct tl_row *r;

	while ((r = spill_front(tl))) {
		if (r->end < 0)
			return false;
		if (r->end > r->start)
			write_row(tl, r);
		tl->rd_head++;
	}
	/* all written: no row refers to the file, start it over */
	tl->sp_written = tl->sp_read = tl->rd_nr = tl->rd_head = 0;
	return true;
}

/* Move the waiting rows that started before @now (their order is settled)
 * to the spill file. */
static void spill(struct timeline *tl, simtime_t now)
{
	size_t k = tl->head, n;

	while (k < tl->nr && tl->rows[k].start < now)
		k++;
	n = k - tl->head;
	if (!n)
		return;
	if (!tl->spill && !(tl->spill = tmpfile())) {
		tl->io_err = true;
		return;
	}
	qsort(tl->rows + tl->head, n, sizeof(*tl->rows), row_cmp);
	for (size_t i = 0; i < n; i++)
		if (tl->rows[tl->head + i].end < 0)
			tl->open[tl->rows[tl->head + i].cpu] = -2 - (long)(tl->sp_written + i);
	if (fseek(tl->spill, (long)(tl->sp_written * sizeof(*tl->rows)), SEEK_SET) ||
	    fwrite(tl->rows + tl->head, sizeof(*tl->rows), n, tl->spill) != n)
		tl->io_err = true;
	tl->sp_written += n;
	tl->head = k;
}

/* Write the rows whose order is settled at time @now. */
static void flush(struct timeline *tl, simtime_t now)
{
	size_t k = tl->head;

	if (tl->spill && !flush_spilled(tl)) {
		if (tl->nr - tl->head >= SPILL_ROWS)
			spill(tl, now);
		k = tl->head;
		goto compact;
	}

	while (k < tl->nr && tl->rows[k].end >= 0 && tl->rows[k].start < now)
		k++;
	/* a running row may still sort before closed rows of its instant */
	while (k < tl->nr && k > tl->head && tl->rows[k - 1].start == tl->rows[k].start)
		k--;
	if (k > tl->head) {
		qsort(tl->rows + tl->head, k - tl->head, sizeof(*tl->rows), row_cmp);
		for (size_t i = tl->head; i < k; i++)
			if (tl->rows[i].end > tl->rows[i].start)
				write_row(tl, &tl->rows[i]);
		tl->head = k;
	}
	if (tl->nr - tl->head >= SPILL_ROWS)
		spill(tl, now);
compact:
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
	simtime_t end = tl->w.to >= 0 ? MIN(ts, tl->w.to) : ts;

	if (i <= -2) { /* spilled while open: read back already, or in the file */
		size_t k = (size_t)(-2 - i);

		if (k >= tl->sp_read) {
			if (fseek(tl->spill, (long)(k * sizeof(struct tl_row) + offsetof(struct tl_row, end)),
				  SEEK_SET) ||
			    fwrite(&end, sizeof(end), 1, tl->spill) != 1)
				tl->io_err = true;
		} else {
			tl->rd[k - (tl->sp_read - tl->rd_nr)].end = end;
		}
	} else if (i >= 0) {
		tl->rows[i].end = end;
	}
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
	if (tl->spill)
		fclose(tl->spill);
	free(tl->rows);
	free(tl->open);
	free(tl);
}

int timeline_commit(struct timeline *tl, struct diag *err)
{
	int ret;

	if (tl->io_err) {
		diag_set(err, "%s: spill file error while writing the timeline", tl->af.path);
		timeline_abort(tl);
		return -1;
	}
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
