#include "sched/osnoise.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "base/xalloc.h"

struct osnoise {
	struct sched *s;
	struct rng r;
	double kthread_hz, kthread_ns, irq_hz, irq_ns, sigma;
	int first_kt, nr_kt;    /* kernel threads: task ids first_kt .. + nr_kt - 1 */
	bool *kt_runs_next;     /* [nr_kt]: the next step is a burst (else a wait) */
	uint64_t kt_wakeups;
	struct eq_event kt_ev, irq_ev;
	uint64_t irqs;
	double irq_total_ns;
};

double osnoise_draw_gap(struct rng *r, double hz)
{
	return gsl_ran_exponential(r->r, 1e9 / hz);
}

double osnoise_draw_len(struct rng *r, double median_ns, double sigma)
{
	return gsl_ran_lognormal(r->r, log(median_ns), sigma);
}

static simtime_t at_least_1ns(double ns)
{
	return ns < 1 ? 1 : (simtime_t)ns;
}

/* A device interrupt or softirq on a CPU drawn uniformly: it takes its
 * duration from the running task, if any (irq_enter()..irq_exit() does not
 * schedule; what it wakes is a separate matter: see the kernel threads). */
static void irq_event(struct eq_event *ev, void *ctx)
{
	struct osnoise *n = container_of(ev, struct osnoise, irq_ev);
	struct sched *s = n->s;
	int cpu = (int)rng_below(&n->r, (uint64_t)s->nr_cpus);
	double ns = osnoise_draw_len(&n->r, n->irq_ns, n->sigma);

	(void)ctx;
	if (!cpu_offline(s, cpu)) {
		n->irqs++;
		n->irq_total_ns += ns;
		sched_irq_steal(s, &s->rq[cpu], ns);
	}
	/* per-CPU Poisson streams merged: one stream of nr_cpus x the rate */
	eq_schedule(s->eq, &n->irq_ev,
		    eq_now(s->eq) + at_least_1ns(osnoise_draw_gap(&n->r, n->irq_hz * s->nr_cpus)));
}

int osnoise_nr_kthreads(const struct machine_profile *p, int nr_cpus)
{
	return p && p->v[MP_os_noise] != 0 && p->v[MP_kthread_hz] > 0 && p->v[MP_kthread_ns] > 0 ? nr_cpus
												     : 0;
}

/* Work for the kernel thread of a CPU drawn uniformly (queue_work_on(),
 * raise_softirq(), an RCU callback batch): it wakes if it waits. */
static void kthread_event(struct eq_event *ev, void *ctx)
{
	struct osnoise *n = container_of(ev, struct osnoise, kt_ev);
	struct sched *s = n->s;
	int cpu = (int)rng_below(&n->r, (uint64_t)s->nr_cpus);

	(void)ctx;
	if (!cpu_offline(s, cpu))
		sched_wake_blocked(s, s->tasks[n->first_kt + cpu]);
	eq_schedule(s->eq, &n->kt_ev,
		    eq_now(s->eq) + at_least_1ns(osnoise_draw_gap(&n->r, n->kthread_hz * s->nr_cpus)));
}

struct osnoise *osnoise_new(struct sched *s, const struct machine_profile *p, uint64_t seed)
{
	struct osnoise *n;

	if (!p || p->v[MP_os_noise] == 0)
		return NULL;
	n = xcalloc(1, sizeof(*n));
	if (rng_init(&n->r, seed, "os-noise", 0)) {
		free(n);
		return NULL;
	}
	n->s = s;
	n->kthread_hz = p->v[MP_kthread_hz] * p->v[MP_os_noise];
	n->kthread_ns = p->v[MP_kthread_ns];
	n->irq_hz = p->v[MP_irq_hz] * p->v[MP_os_noise];
	n->irq_ns = p->v[MP_irq_ns];
	n->sigma = p->v[MP_noise_sigma];
	s->tick_irq_ns = p->v[MP_tick_irq_ns];
	n->nr_kt = osnoise_nr_kthreads(p, s->nr_cpus);
	if (n->nr_kt) {
		n->first_kt = s->nr_tasks;
		n->kt_runs_next = xcalloc((size_t)n->nr_kt, sizeof(*n->kt_runs_next));
		for (int c = 0; c < n->nr_kt; c++)
			n->kt_runs_next[c] = true; /* blocked: woken, they run */
		for (int c = 0; c < s->nr_cpus; c++) {
			struct cpumask m = { 0 };
			struct task *t;

			cpumask_set(&m, c);
			t = sched_create_task(s, -1, 0, &m);
			t->kthread = true;
		}
		for (int c = 0; c < s->nr_cpus; c++)
			sched_start_blocked(s, s->tasks[n->first_kt + c], c);
		eq_event_init(&n->kt_ev, kthread_event);
		eq_schedule(s->eq, &n->kt_ev, at_least_1ns(osnoise_draw_gap(&n->r, n->kthread_hz * s->nr_cpus)));
	}
	if (n->irq_hz > 0 && n->irq_ns > 0) {
		eq_event_init(&n->irq_ev, irq_event);
		eq_schedule(s->eq, &n->irq_ev, at_least_1ns(osnoise_draw_gap(&n->r, n->irq_hz * s->nr_cpus)));
	}
	return n;
}

void osnoise_free(struct osnoise *n)
{
	if (!n)
		return;
	rng_destroy(&n->r);
	free(n->kt_runs_next);
	free(n);
}

struct task_action osnoise_next(struct osnoise *n, struct task *t)
{
	int k = t->id - n->first_kt;
	struct task_action a = { .target = -1 };

	if (n->kt_runs_next[k]) {
		n->kt_wakeups++;
		a.kind = ACT_RUN; /* pure compute: a kernel thread's few lines stay in L1/L2 */
		a.ns = at_least_1ns(osnoise_draw_len(&n->r, n->kthread_ns, n->sigma));
	} else {
		a.kind = ACT_WAIT; /* for the next work item */
	}
	n->kt_runs_next[k] = !n->kt_runs_next[k];
	return a;
}

void osnoise_totals(const struct osnoise *n, struct noise_metrics *m)
{
	if (!n)
		return;
	m->on = true;
	m->tick_irqs = n->s->tick_irqs;
	m->tick_irq_ns = (double)n->s->tick_irqs * n->s->tick_irq_ns;
	m->kthread_wakeups = n->kt_wakeups;
	for (int k = 0; k < n->nr_kt; k++)
		m->kthread_ns += n->s->tasks[n->first_kt + k]->c.cpu_ns;
	m->irqs = n->irqs;
	m->irq_ns = n->irq_total_ns;
}
