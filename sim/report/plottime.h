/*
 * Reductions of run timelines (`cassim run --timeline`) for cassim plot:
 *   cpu,llc,node,start_ns,end_ns,pid,tid,process,thread
 * one row per contiguous slice of a task on a CPU, in simulated ns.
 *
 * pt_boxes() draws each CPU at the figure's resolution: in every pixel
 * column the process (or idle) that had the CPU longest wins, and runs of
 * columns won by one process become one box whose ends are that process's
 * exact first start and last end in them.  Slices longer than a column keep
 * their exact times; those shorter merge with their neighbours or vanish,
 * and a 768-CPU run stays a few thousand boxes.
 *
 * pt_occupancy() bins a process's runtime by LLC: the fraction of its CPU
 * time in each bin spent on each LLC.
 */
#ifndef CASSIM_REPORT_PLOTTIME_H
#define CASSIM_REPORT_PLOTTIME_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/diag.h"

struct pt_slice {
	int64_t start, end;
	int row;           /* the CPU's row (pt_timeline.cpu order) */
	int proc;          /* process name index */
	int line;
};

struct pt_cpu {
	int cpu, llc, node;
};

struct pt_timeline {
	char *file;
	int nproc, pcap;
	char **proc;       /* process names, in order of first appearance */
	int ncpu;
	struct pt_cpu *cpu;   /* sorted by node, LLC, CPU: the plot's rows */
	int nllc;
	int *llc;          /* the LLC ids, ascending */
	int *llc_node;     /* [i]: the node of llc[i] */
	size_t n, cap;
	struct pt_slice *s;   /* sorted by row, then start */
	int64_t t0, t1;    /* first start, last end */
};

int pt_load(struct pt_timeline *t, const char *path, struct diag *err);
int pt_load_file(struct pt_timeline *t, FILE *f, const char *name, struct diag *err);
void pt_free(struct pt_timeline *t);

int pt_proc_find(const struct pt_timeline *t, const char *name);
/* The process names, "a, b, c", into @buf. */
void pt_proc_names(const struct pt_timeline *t, char *buf, size_t len);

/* Each process's CPU time within [from, to) into @ns (nproc entries), and
 * the processes ordered by it, most first (ties by name) into @order. */
void pt_runtime(const struct pt_timeline *t, int64_t from, int64_t to, double *ns, int *order);

struct pt_box {
	int row;
	int style;
	int64_t start, end;
};

/* Boxes of [from, to) at @ncols pixel columns, processes mapped to styles
 * by @style[proc] (several may share one); sorted by style, row, start.
 * *out is malloc'ed; -1 on out of memory. */
int pt_boxes(const struct pt_timeline *t, int64_t from, int64_t to, int ncols, const int *style, int nstyles,
	     struct pt_box **out, size_t *n);

/* Process @proc's time on each LLC in the bins [from + i*bin, from + (i+1)*bin)
 * of [from, to): ns[bin * nllc + k] (calloc'ed, *nbins bins; the last bin
 * may be shorter).  -1 on out of memory. */
int pt_occupancy(const struct pt_timeline *t, int proc, int64_t from, int64_t to, int64_t bin, double **ns,
		 int *nbins);

#endif
