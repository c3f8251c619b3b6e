/*
 * The run-slice timeline of one run, the data of `cassim plot timeline`
 * and `cassim plot occupancy`: a CSV with the header
 *
 *	cpu,llc,node,start_ns,end_ns,pid,tid,process,thread
 *
 * and one row per contiguous run slice of a task on a CPU: start inclusive,
 * end exclusive, integer ns of simulated time, clipped to the window (empty
 * slices are left out); pid is the process index in the workload, tid the
 * global task id; names quoted per RFC 4180 when needed.  Rows are sorted
 * by (start_ns, cpu); idle time has no rows.  A trace sink (report/trace.h).
 */
#ifndef CASSIM_REPORT_TIMELINE_H
#define CASSIM_REPORT_TIMELINE_H

#include "report/trace.h"

struct timeline;
/* Open @path for writing (the rows are written as the run goes). */
struct timeline *timeline_open(const char *path, struct trace_window w, struct diag *err);
const struct trace_sink *timeline_sink(struct timeline *tl);
/* Write what is left and rename the file into place; frees @tl.  -1 on
 * I/O error. */
int timeline_commit(struct timeline *tl, struct diag *err);
/* Drop the temporary file; frees @tl (NULL is fine). */
void timeline_abort(struct timeline *tl);

#endif
