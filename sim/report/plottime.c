/* Reductions of run timelines for cassim plot; see plottime.h. */
#define _GNU_SOURCE /* qsort_r */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "report/plottime.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report/csvread.h"
#include "base/xalloc.h"

#define MAX_CPU (1 << 20)

enum { F_CPU, F_LLC, F_NODE, F_START, F_END, F_PROCESS, F_NR };
static const char *const fname[F_NR] = { "cpu", "llc", "node", "start_ns", "end_ns", "process" };

struct ld {
	struct pt_timeline *t;
	int col[F_NR], nfields;
	int *cpu_llc, *cpu_node;   /* [cpu id]: -1 until seen */
	int ncap;
	int last_proc;
};

static int get_int(const struct csvr_rec *r, int i, const char *name, int64_t max, int64_t *v, struct diag *err)
{
	const char *s = r->f[i];
	char *end;
	long long x;

	errno = 0;
	x = strtoll(s, &end, 10);
	if (!*s || *end || errno || x < 0 || x > max)
		return diag_at(err, r->file, r->line, 0, "field '%s': '%s' is not an integer 0..%" PRId64, name, s,
			       max);
	*v = x;
	return 0;
}

static int header(struct ld *ld, const struct csvr_rec *r, struct diag *err)
{
	for (int k = 0; k < F_NR; k++) {
		ld->col[k] = -1;
		for (int i = 0; i < r->n; i++)
			if (!strcmp(r->f[i], fname[k]))
				ld->col[k] = i;
		if (ld->col[k] < 0)
			return diag_at(err, r->file, r->line, 0, "header has no '%s' column (expected a timeline: "
				       "cpu,llc,node,start_ns,end_ns,pid,tid,process,thread)", fname[k]);
	}
	ld->nfields = r->n;
	return 0;
}

static int proc_index(struct ld *ld, const char *name)
{
	struct pt_timeline *t = ld->t;

	if (ld->last_proc >= 0 && !strcmp(t->proc[ld->last_proc], name))
		return ld->last_proc;
	for (int i = 0; i < t->nproc; i++)
		if (!strcmp(t->proc[i], name))
			return ld->last_proc = i;
	if (t->nproc == t->pcap) {
		int cap = t->pcap ? 2 * t->pcap : 16;
		char **p = xrealloc(t->proc, (size_t)cap * sizeof(*p));
		t->proc = p;
		t->pcap = cap;
	}
	if (!(t->proc[t->nproc] = xstrdup(name)))
		return -1;
	return ld->last_proc = t->nproc++;
}

static int row(void *ctx, const struct csvr_rec *r, struct diag *err)
{
	struct ld *ld = ctx;
	struct pt_timeline *t = ld->t;
	int64_t cpu, llc, node, start, end;
	const char *proc;
	int p;

	if (r->index == 0)
		return header(ld, r, err);
	if (r->n != ld->nfields)
		return diag_at(err, r->file, r->line, 0, "%d fields, expected %d as in the header "
			       "(quote a field that holds a comma)", r->n, ld->nfields);
	if (get_int(r, ld->col[F_CPU], "cpu", MAX_CPU - 1, &cpu, err) ||
	    get_int(r, ld->col[F_LLC], "llc", INT_MAX, &llc, err) ||
	    get_int(r, ld->col[F_NODE], "node", INT_MAX, &node, err) ||
	    get_int(r, ld->col[F_START], "start_ns", INT64_MAX, &start, err) ||
	    get_int(r, ld->col[F_END], "end_ns", INT64_MAX, &end, err))
		return -1;
	if (end < start)
		return diag_at(err, r->file, r->line, 0, "field 'end_ns': %" PRId64 " is before start_ns %" PRId64,
			       end, start);
	proc = r->f[ld->col[F_PROCESS]];
	if (!*proc)
		return diag_at(err, r->file, r->line, 0, "field 'process' is empty (expected the process name)");
	if (cpu >= ld->ncap) {
		int cap = (int)cpu + 64;
		int *a = xrealloc(ld->cpu_llc, (size_t)cap * sizeof(*a));
		int *b = a ? xrealloc(ld->cpu_node, (size_t)cap * sizeof(*b)) : NULL;

		if (a)
			ld->cpu_llc = a;
		if (!b)
			return diag_set(err, "out of memory");
		ld->cpu_node = b;
		for (int i = ld->ncap; i < cap; i++)
			a[i] = b[i] = -1;
		ld->ncap = cap;
	}
	if (ld->cpu_llc[cpu] < 0) {
		ld->cpu_llc[cpu] = (int)llc;
		ld->cpu_node[cpu] = (int)node;
	} else if (ld->cpu_llc[cpu] != llc || ld->cpu_node[cpu] != node) {
		return diag_at(err, r->file, r->line, 0, "cpu %" PRId64 " is on llc %" PRId64 " node %" PRId64
			       " here, on llc %d node %d before (expected one place per CPU)", cpu, llc, node,
			       ld->cpu_llc[cpu], ld->cpu_node[cpu]);
	}
	if (end == start)
		return 0;   /* nothing ran */
	if ((p = proc_index(ld, proc)) < 0)
		return diag_set(err, "out of memory");
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		struct pt_slice *s = xrealloc(t->s, cap * sizeof(*s));
		t->s = s;
		t->cap = cap;
	}
	t->s[t->n++] = (struct pt_slice){ .start = start, .end = end, .row = (int)cpu, .proc = p, .line = r->line };
	return 0;
}

static int by_place(const void *a, const void *b)
{
	const struct pt_cpu *x = a, *y = b;

	if (x->node != y->node)
		return x->node - y->node;
	if (x->llc != y->llc)
		return x->llc - y->llc;
	return x->cpu - y->cpu;
}

static int by_row_start(const void *a, const void *b)
{
	const struct pt_slice *x = a, *y = b;

	if (x->row != y->row)
		return x->row - y->row;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->line - y->line;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Rows in (node, LLC, CPU) order, the LLC list, the slices by row. */
static int index_rows(struct ld *ld, struct diag *err)
{
	struct pt_timeline *t = ld->t;
	int *row_of = xmalloc((size_t)ld->ncap * sizeof(*row_of));

	t->cpu = xmalloc((size_t)ld->ncap * sizeof(*t->cpu));
	t->llc = xmalloc((size_t)ld->ncap * sizeof(*t->llc));
	t->llc_node = xmalloc((size_t)ld->ncap * sizeof(*t->llc_node));
	for (int c = 0; c < ld->ncap; c++)
		if (ld->cpu_llc[c] >= 0)
			t->cpu[t->ncpu++] = (struct pt_cpu){ c, ld->cpu_llc[c], ld->cpu_node[c] };
	qsort(t->cpu, (size_t)t->ncpu, sizeof(*t->cpu), by_place);
	for (int r = 0; r < t->ncpu; r++) {
		row_of[t->cpu[r].cpu] = r;
		t->llc[r] = t->cpu[r].llc;
	}
	qsort(t->llc, (size_t)t->ncpu, sizeof(*t->llc), cmp_int);
	for (int r = 0; r < t->ncpu; r++)
		if (!t->nllc || t->llc[t->nllc - 1] != t->llc[r])
			t->llc[t->nllc++] = t->llc[r];
	for (int k = 0; k < t->nllc; k++)
		t->llc_node[k] = -1;
	for (int r = 0; r < t->ncpu; r++) {
		int *k = bsearch(&t->cpu[r].llc, t->llc, (size_t)t->nllc, sizeof(*t->llc), cmp_int);
		int *node = &t->llc_node[k - t->llc];

		if (*node >= 0 && *node != t->cpu[r].node) {
			free(row_of);
			return diag_set(err, "%s: llc %d has CPUs on node %d and on node %d (cpu %d) "
					"(expected each LLC in one node)", t->file, t->cpu[r].llc, *node,
					t->cpu[r].node, t->cpu[r].cpu);
		}
		*node = t->cpu[r].node;
	}
	for (size_t i = 0; i < t->n; i++)
		t->s[i].row = row_of[t->s[i].row];
	free(row_of);
	qsort(t->s, t->n, sizeof(*t->s), by_row_start);
	for (size_t i = 0; i < t->n; i++) {
		if (i && t->s[i].row == t->s[i - 1].row && t->s[i].start < t->s[i - 1].end)
			return diag_at(err, t->file, t->s[i].line, 0, "slice overlaps the one on line %d on cpu %d "
				       "(expected one task at a time per CPU)", t->s[i - 1].line,
				       t->cpu[t->s[i].row].cpu);
		if (!i || t->s[i].start < t->t0)
			t->t0 = t->s[i].start;
		if (!i || t->s[i].end > t->t1)
			t->t1 = t->s[i].end;
	}
	return 0;
}

int pt_load_file(struct pt_timeline *t, FILE *f, const char *name, struct diag *err)
{
	struct ld ld = { .t = t, .last_proc = -1 };
	long n;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	if (!(t->file = xstrdup(name)))
		return diag_set(err, "out of memory");
	n = csvr_read_file(f, name, row, &ld, err);
	if (n < 0)
		goto out;
	if (n == 0) {
		diag_set(err, "%s: empty file (expected a timeline: a header line, then one row per slice)", name);
		goto out;
	}
	if (!t->n) {
		diag_set(err, "%s: no slice with a duration after the header (expected one row per slice)", name);
		goto out;
	}
	rc = index_rows(&ld, err);
out:
	free(ld.cpu_llc);
	free(ld.cpu_node);
	return rc;
}

int pt_load(struct pt_timeline *t, const char *path, struct diag *err)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		memset(t, 0, sizeof(*t));
		return diag_set(err, "%s: cannot open: %s", path, strerror(errno));
	}
	rc = pt_load_file(t, f, path, err);
	fclose(f);
	return rc;
}

void pt_free(struct pt_timeline *t)
{
	for (int i = 0; i < t->nproc; i++)
		free(t->proc[i]);
	free(t->proc);
	free(t->cpu);
	free(t->llc);
	free(t->llc_node);
	free(t->s);
	free(t->file);
	memset(t, 0, sizeof(*t));
}

int pt_proc_find(const struct pt_timeline *t, const char *name)
{
	for (int i = 0; i < t->nproc; i++)
		if (!strcmp(t->proc[i], name))
			return i;
	return -1;
}

void pt_proc_names(const struct pt_timeline *t, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < t->nproc && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", t->proc[i]);
}

/* ---- reductions ----------------------------------------------------------------- */

static int64_t overlap(int64_t s, int64_t e, int64_t from, int64_t to)
{
	int64_t a = s > from ? s : from, b = e < to ? e : to;

	return b > a ? b - a : 0;
}

static int by_runtime(const void *a, const void *b, void *ctx)
{
	const struct pt_timeline *t = ((void **)ctx)[0];
	const double *ns = ((void **)ctx)[1];
	int i = *(const int *)a, j = *(const int *)b;

	if (ns[i] != ns[j])
		return ns[i] > ns[j] ? -1 : 1;
	return strcmp(t->proc[i], t->proc[j]);
}

void pt_runtime(const struct pt_timeline *t, int64_t from, int64_t to, double *ns, int *order)
{
	void *ctx[2] = { (void *)t, ns };

	for (int p = 0; p < t->nproc; p++) {
		ns[p] = 0;
		order[p] = p;
	}
	for (size_t i = 0; i < t->n; i++)
		ns[t->s[i].proc] += (double)overlap(t->s[i].start, t->s[i].end, from, to);
	qsort_r(order, (size_t)t->nproc, sizeof(*order), by_runtime, ctx);
}

struct boxes {
	struct pt_box *b;
	size_t n, cap;
	int failed;
};

static void emit(struct boxes *bx, const struct pt_box *b)
{
	if (b->style < 0 || bx->failed)
		return;
	if (bx->n == bx->cap) {
		size_t cap = bx->cap ? 2 * bx->cap : 1024;
		struct pt_box *p = xrealloc(bx->b, cap * sizeof(*p));
		bx->b = p;
		bx->cap = cap;
	}
	bx->b[bx->n++] = *b;
}

/* One pixel column's tally: CPU time, first start and last end per style. */
struct col {
	int c;
	double *acc;
	int64_t *first, *last;
};

/* The column is done: extend the open run with its winner, or close the
 * run and open another (or none, when idle won). */
static void settle(struct boxes *bx, struct pt_box *run, int *run_col, struct col *k, int nstyles, double px,
		   int row)
{
	int d = 0;
	double busy = 0;

	for (int s = 0; s < nstyles; s++) {
		busy += k->acc[s];
		if (k->acc[s] > k->acc[d])
			d = s;
	}
	if (k->acc[d] > 0 && k->acc[d] >= px - busy) {
		if (run->style == d && *run_col == k->c - 1) {
			run->end = k->last[d];
		} else {
			emit(bx, run);
			*run = (struct pt_box){ .row = row, .style = d, .start = k->first[d], .end = k->last[d] };
		}
		*run_col = k->c;
	} else {
		emit(bx, run);
		run->style = -1;
	}
	for (int s = 0; s < nstyles; s++)
		k->acc[s] = 0;
}

static int by_style(const void *a, const void *b)
{
	const struct pt_box *x = a, *y = b;

	if (x->style != y->style)
		return x->style - y->style;
	if (x->row != y->row)
		return x->row - y->row;
	return x->start < y->start ? -1 : x->start > y->start;
}

int pt_boxes(const struct pt_timeline *t, int64_t from, int64_t to, int ncols, const int *style, int nstyles,
	     struct pt_box **out, size_t *n)
{
	double px = (double)(to - from) / ncols;
	struct boxes bx = { 0 };
	struct col k = { .acc = xcalloc((size_t)nstyles, sizeof(double)),
			 .first = xcalloc((size_t)nstyles, sizeof(int64_t)),
			 .last = xcalloc((size_t)nstyles, sizeof(int64_t)) };
	size_t i = 0;

	if (!k.acc || !k.first || !k.last)
		bx.failed = 1;
	for (int row = 0; row < t->ncpu && !bx.failed; row++) {
		struct pt_box run = { .style = -1 };
		int run_col = -2;

		k.c = -1;
		for (; i < t->n && t->s[i].row == row; i++) {
			const struct pt_slice *s = &t->s[i];
			int st = style[s->proc], c0, c1;

			if (s->end <= from || s->start >= to)
				continue;
			c0 = s->start <= from ? 0 : (int)floor((double)(s->start - from) / px);
			c1 = s->end >= to ? ncols - 1 : (int)floor((double)(s->end - 1 - from) / px);
			if (c1 >= ncols)
				c1 = ncols - 1;
			if (c0 > c1)
				c0 = c1;
			for (int c = c0; c <= c1; c++) {
				int64_t cs = from + (int64_t)llround(c * px), ce = from + (int64_t)llround((c + 1) * px);

				if (c != k.c) {
					if (k.c >= 0)
						settle(&bx, &run, &run_col, &k, nstyles, px, row);
					k.c = c;
				}
				if (k.acc[st] == 0)
					k.first[st] = s->start > from ? s->start : from;
				k.acc[st] += (double)overlap(s->start, s->end, cs, ce);
				k.last[st] = s->end < to ? s->end : to;
			}
		}
		if (k.c >= 0)
			settle(&bx, &run, &run_col, &k, nstyles, px, row);
		emit(&bx, &run);
	}
	free(k.acc);
	free(k.first);
	free(k.last);
	if (bx.failed) {
		free(bx.b);
		return -1;
	}
	qsort(bx.b, bx.n, sizeof(*bx.b), by_style);
	*out = bx.b;
	*n = bx.n;
	return 0;
}

int pt_occupancy(const struct pt_timeline *t, int proc, int64_t from, int64_t to, int64_t bin, double **ns,
		 int *nbins)
{
	int nb = (int)((to - from + bin - 1) / bin), *li = xmalloc((size_t)t->ncpu * sizeof(*li));
	double *a = xcalloc((size_t)nb * (size_t)t->nllc, sizeof(*a));

	if (!li || !a) {
		free(li);
		free(a);
		return -1;
	}
	for (int r = 0; r < t->ncpu; r++)
		for (int k = 0; k < t->nllc; k++)
			if (t->llc[k] == t->cpu[r].llc)
				li[r] = k;
	for (size_t i = 0; i < t->n; i++) {
		const struct pt_slice *s = &t->s[i];

		if (s->proc != proc || s->end <= from || s->start >= to)
			continue;
		for (int64_t b = (s->start > from ? s->start - from : 0) / bin; b < nb && from + b * bin < s->end; b++)
			a[b * t->nllc + li[s->row]] += (double)overlap(s->start, s->end, from + b * bin,
								      from + (b + 1) * bin < to ? from + (b + 1) * bin : to);
	}
	free(li);
	*ns = a;
	*nbins = nb;
	return 0;
}
