/* The trace observer's out-of-line half: fan each event out to the sinks.
 * No kernel file mirrored (the events follow the sched_switch, sched_wakeup
 * and sched_migrate_task tracepoints).  The noise model's kernel threads
 * (osnoise.h) are left out: a trace shows the workload, and a CPU running a
 * kernel thread shows its workload task switched out. */
#include "sched/trace.h"
#include "base/xalloc.h"

#include <stdlib.h>

static const char *const switch_why[] = {
	[SW_PREEMPT] = "preempt", [SW_BLOCK] = "block", [SW_EXIT] = "exit", [SW_MIGRATE] = "migrate",
};
static const char *const mig_why[] = {
	[MIGR_WAKEUP] = "wakeup", [MIGR_LB] = "lb", [MIGR_ACTIVE] = "active",
	[MIGR_NUMA] = "numa", [MIGR_HOTPLUG] = "hotplug",
};

#define for_each_sink(s, k, fn) \
	for (int i_ = 0; i_ < (s)->trace->nr; i_++) \
		if (((k) = (s)->trace->sink[i_])->fn)

int sched_set_trace(struct sched *s, const struct trace_sink *const *sinks, int nr)
{
	if (nr > SCHED_TRACE_MAX_SINKS)
		return -1;
	free(s->trace);
	s->trace = NULL;
	if (!nr)
		return 0;
	s->trace = xcalloc(1, sizeof(*s->trace));
	s->trace->nr = nr;
	for (int i = 0; i < nr; i++)
		s->trace->sink[i] = sinks[i];
	return 0;
}

void __sched_trace_switch_in(struct sched *s, int cpu, const struct task *t)
{
	const struct trace_sink *k;

	if (t->kthread)
		return;
	for_each_sink(s, k, switch_in)
		k->switch_in(k->ctx, eq_now(s->eq), cpu, t->id);
}

void __sched_trace_switch_out(struct sched *s, int cpu, const struct task *t, enum sched_switch_why why)
{
	const struct trace_sink *k;

	if (t->kthread)
		return;
	for_each_sink(s, k, switch_out)
		k->switch_out(k->ctx, eq_now(s->eq), cpu, t->id, switch_why[why]);
}

void __sched_trace_wakeup(struct sched *s, const struct task *waker, int waker_cpu,
			  const struct task *wakee, int target_cpu)
{
	const struct trace_sink *k;

	if (wakee->kthread)
		return;
	for_each_sink(s, k, wakeup)
		k->wakeup(k->ctx, eq_now(s->eq), waker ? waker->id : -1, waker ? waker_cpu : -1,
			  wakee->id, target_cpu);
}

void __sched_trace_migrate(struct sched *s, const struct task *t, int from, int to, enum sched_mig_why why)
{
	const struct trace_sink *k;

	if (t->kthread)
		return;
	for_each_sink(s, k, migrate)
		k->migrate(k->ctx, eq_now(s->eq), t->id, from, to, mig_why[why]);
}

void __sched_trace_idle(struct sched *s, int cpu, bool enter)
{
	const struct trace_sink *k;

	for_each_sink(s, k, idle)
		k->idle(k->ctx, eq_now(s->eq), cpu, enter);
}

void __sched_trace_instant(struct sched *s, int cpu, const struct task *t, const char *name,
			   const struct trace_arg *args, int nargs)
{
	const struct trace_sink *k;

	if (t && t->kthread)
		return;
	for_each_sink(s, k, instant)
		k->instant(k->ctx, eq_now(s->eq), cpu, t ? t->id : -1, name, args, nargs);
}
