/*
 * The scheduler's trace observer: the places in sched.c, lb.c, numa.c and
 * the policies that tell a trace what happens (context switches, wakeups,
 * migrations, idle, policy decisions), delivered to the sinks of
 * report/trace.h.  Off (no sink attached), every site costs one predictable
 * branch on s->trace: the calls below test it inline and do the work out
 * of line.  No kernel file mirrored: the events play the part of the
 * kernel's sched tracepoints.
 */
#ifndef CASSIM_SCHED_TRACE_H
#define CASSIM_SCHED_TRACE_H

#include "report/trace.h"
#include "sched/sched.h"

#define SCHED_TRACE_MAX_SINKS 4

struct sched_trace {
	const struct trace_sink *sink[SCHED_TRACE_MAX_SINKS];
	int nr;
};

/* Attach @nr sinks (at most SCHED_TRACE_MAX_SINKS), before the run starts;
 * @nr == 0 detaches.  Returns -1 for too many. */
int sched_set_trace(struct sched *s, const struct trace_sink *const *sinks, int nr);

#define sched_traced(s) __builtin_expect((s)->trace != NULL, 0)

void __sched_trace_switch_in(struct sched *s, int cpu, const struct task *t);
void __sched_trace_switch_out(struct sched *s, int cpu, const struct task *t, enum sched_switch_why why);
void __sched_trace_wakeup(struct sched *s, const struct task *waker, int waker_cpu,
			  const struct task *wakee, int target_cpu);
void __sched_trace_migrate(struct sched *s, const struct task *t, int from, int to, enum sched_mig_why why);
void __sched_trace_idle(struct sched *s, int cpu, bool enter);
void __sched_trace_instant(struct sched *s, int cpu, const struct task *t, const char *name,
			   const struct trace_arg *args, int nargs);

static inline void sched_trace_switch_in(struct sched *s, int cpu, const struct task *t)
{
	if (sched_traced(s))
		__sched_trace_switch_in(s, cpu, t);
}

static inline void sched_trace_switch_out(struct sched *s, int cpu, const struct task *t,
					  enum sched_switch_why why)
{
	if (sched_traced(s))
		__sched_trace_switch_out(s, cpu, t, why);
}

/* try_to_wake_up() of @wakee onto @target_cpu by @waker (NULL: a timer). */
static inline void sched_trace_wakeup(struct sched *s, const struct task *waker, int waker_cpu,
				      const struct task *wakee, int target_cpu)
{
	if (sched_traced(s))
		__sched_trace_wakeup(s, waker, waker_cpu, wakee, target_cpu);
}

static inline void sched_trace_migrate(struct sched *s, const struct task *t, int from, int to,
				       enum sched_mig_why why)
{
	if (sched_traced(s))
		__sched_trace_migrate(s, t, from, to, why);
}

/* @cpu goes idle (@enter) or leaves idle, when @changed: the test stays
 * behind the one on s->trace. */
static inline void sched_trace_idle(struct sched *s, int cpu, bool enter, bool changed)
{
	if (sched_traced(s) && changed)
		__sched_trace_idle(s, cpu, enter);
}

/*
 * A policy decision as an instant event on @cpu's track (-1: global) about
 * task @t (NULL: none), with arguments TRACE_NUM(key, value) /
 * TRACE_STR(key, string), e.g.
 *	sched_trace_instant(s, cpu, p, "pref_switch", TRACE_NUM("from_llc", a),
 *			    TRACE_NUM("to_llc", b));
 * The arguments are not evaluated when tracing is off.
 */
#define sched_trace_instant(s, cpu, t, name, ...)                                          \
	do {                                                                               \
		if (sched_traced(s)) {                                                     \
			const struct trace_arg trace_args_[] = { __VA_ARGS__ };            \
			__sched_trace_instant((s), (cpu), (t), (name), trace_args_,        \
					      (int)ARRAY_SIZE(trace_args_));               \
		}                                                                          \
	} while (0)

#endif
