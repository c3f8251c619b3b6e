/*
 * Background OS activity ("OS noise", Documentation/trace/osnoise-tracer.rst):
 * what a real machine runs besides the workload, and what lets the balancer
 * act on it (a per-CPU kernel thread queued behind a busy task is what makes
 * nr_running >= 2 at a tick, hence nohz_balancer_kick(), fair.c v6.15).
 *
 *   - the tick's own cost: each tick that runs on a busy CPU takes
 *     tick_irq_ns from its running task (irq time, see osnoise_steal());
 *   - per-CPU kernel threads (kworker/N, ksoftirqd/N, rcu): one fair task
 *     per CPU, nice 0, pinned (nr_cpus_allowed = 1), no process (no mm:
 *     invisible to cache-aware statistics and NUMA balancing), blocked
 *     until work for it arrives (a Poisson stream of rate kthread_hz per
 *     CPU; work arriving while it is awake joins the pending run, as
 *     queue_work() on a pending item does), then running a lognormal burst
 *     (median kthread_ns, log-sd noise_sigma);
 *   - device interrupts and softirqs: a Poisson stream per CPU (rate irq_hz)
 *     of lognormal durations (median irq_ns) stolen from whatever runs there;
 *     they schedule nothing.
 *
 * The per-CPU streams are merged into one of nr_cpus x the rate landing on
 * a CPU drawn uniformly (the same process, memoryless), so the event queue
 * holds two noise events, not one per CPU.
 *
 * Rates and durations come from the machine profile (hw/profile.c; the
 * os_noise value scales both rates, 0 turns everything off); every
 * draw comes from the run's "os-noise" RNG stream, so the workload's own
 * streams see the same numbers with noise on or off.
 */
#ifndef CASSIM_SCHED_OSNOISE_H
#define CASSIM_SCHED_OSNOISE_H

#include "base/rng.h"
#include "hw/profile.h"
#include "sched/sched.h"

struct osnoise;

/* Noise of one run on @s from profile @p (NULL when p says os_noise = 0 or
 * p is NULL: nothing to add).  Creates the per-CPU kernel threads (task ids
 * after every task created so far) and starts the interrupt stream. */
struct osnoise *osnoise_new(struct sched *s, const struct machine_profile *p, uint64_t seed);
void osnoise_free(struct osnoise *n);
/* How many kernel threads osnoise_new() will create (the machine model
 * sizes its per-thread state before). */
int osnoise_nr_kthreads(const struct machine_profile *p, int nr_cpus);

/* sched_ops.next for a kernel thread: alternately run a burst and wait. */
struct task_action osnoise_next(struct osnoise *n, struct task *t);

/* The counters of struct noise_metrics (report/metrics.h). */
void osnoise_totals(const struct osnoise *n, struct noise_metrics *m);

/* The draws, exposed for the distribution tests: an exponential gap (ns)
 * of rate @hz and a lognormal duration (ns) of median @median_ns and
 * log-standard deviation @sigma. */
double osnoise_draw_gap(struct rng *r, double hz);
double osnoise_draw_len(struct rng *r, double median_ns, double sigma);

#endif
