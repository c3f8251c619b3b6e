/*
 * An argument of a trace's instant event (report/trace.h): its own header
 * because policy modules build them too (sched/api.h's
 * cassim_trace_instant()), and so it is installed with <cassim/policy.h>
 * while the rest of the trace machinery is not.
 */
#ifndef CASSIM_REPORT_TRACE_ARG_H
#define CASSIM_REPORT_TRACE_ARG_H

#include "base/types.h"

/* A number, or a string when @str is set. */
struct trace_arg {
	const char *key;
	const char *str;
	int64_t num;
};
#define TRACE_NUM(k, v) ((struct trace_arg){ .key = (k), .num = (int64_t)(v) })
#define TRACE_STR(k, v) ((struct trace_arg){ .key = (k), .str = (v) })

#endif
