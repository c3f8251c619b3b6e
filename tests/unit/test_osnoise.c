/*
 * Unit tests for sched/osnoise.c: the gap and duration draws follow their
 * configured distributions (Kolmogorov-Smirnov, 10,000 draws, and the same
 * test rejects a distribution 10 % off), the kernel threads are pinned
 * process-less fair tasks waking at their rate, and interrupts and the
 * tick take exactly their time from the running task.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "sched/osnoise.h"

#define N_DRAWS 10000
/* KS critical value at alpha = 0.001: 1.95 / sqrt(n) (Smirnov's
 * asymptotic quantile K(0.999) = 1.9495) */
#define KS_CRIT (1.9495 / sqrt((double)N_DRAWS))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* sup |F_n - F| of sorted @x against @cdf. */
static double ks_stat(const double *x, int n, double (*cdf)(double, const double *), const double *par)
{
	double d = 0;

	for (int i = 0; i < n; i++) {
		double f = cdf(x[i], par);
		d = fmax(d, fmax((double)(i + 1) / n - f, f - (double)i / n));
	}
	return d;
}

static double cdf_exp(double x, const double *par)
{
	return gsl_cdf_exponential_P(x, par[0]);
}

static double cdf_lognormal(double x, const double *par)
{
	return gsl_cdf_lognormal_P(x, par[0], par[1]);
}

static double *draws(bool gap, double a, double b)
{
	struct rng r;
	double *x = malloc(N_DRAWS * sizeof(*x));

	ck_assert_int_eq(rng_init(&r, 7, "os-noise", 0), 0);
	for (int i = 0; i < N_DRAWS; i++)
		x[i] = gap ? osnoise_draw_gap(&r, a) : osnoise_draw_len(&r, a, b);
	rng_destroy(&r);
	qsort(x, N_DRAWS, sizeof(*x), cmp_double);
	return x;
}

START_TEST(gap_is_exponential)
{
	double *x = draws(true, 11, 0);
	double mu = 1e9 / 11, off = 1e9 / 12.1;

	ck_assert_double_lt(ks_stat(x, N_DRAWS, cdf_exp, &mu), KS_CRIT);
	/* the test can tell: a rate 10 % higher is rejected */
	ck_assert_double_gt(ks_stat(x, N_DRAWS, cdf_exp, &off), KS_CRIT);
	free(x);
}
END_TEST

START_TEST(duration_is_lognormal)
{
	double *x = draws(false, 5000, 1);
	double par[2] = { log(5000), 1 }, median_off[2] = { log(5500), 1 }, sigma_off[2] = { log(5000), 1.1 };

	ck_assert_double_lt(ks_stat(x, N_DRAWS, cdf_lognormal, par), KS_CRIT);
	ck_assert_double_gt(ks_stat(x, N_DRAWS, cdf_lognormal, median_off), KS_CRIT);
	ck_assert_double_gt(ks_stat(x, N_DRAWS, cdf_lognormal, sigma_off), KS_CRIT);
	free(x);
}
END_TEST

/* ---- in a scheduler */

static struct osnoise *the_noise;

static struct task_action next(void *ctx, struct task *t)
{
	return t->kthread ? osnoise_next(the_noise, t) : harness_hog_next(ctx, t);
}

static void noise_profile(struct machine_profile *p, double kt_hz, double irq_hz, double tick_ns)
{
	harness_profile(p);
	p->v[MP_os_noise] = 1;
	p->v[MP_kthread_hz] = kt_hz;
	p->v[MP_kthread_ns] = 10000;
	p->v[MP_irq_hz] = irq_hz;
	p->v[MP_irq_ns] = 10000;
	p->v[MP_tick_irq_ns] = tick_ns;
	p->v[MP_noise_sigma] = 0; /* every duration exactly its median */
}

START_TEST(off_adds_nothing)
{
	struct machine_profile p;
	struct hrig r;

	hrig_new(&r, 1, 2, 2, 1, NULL);
	noise_profile(&p, 1000, 1000, 2000);
	p.v[MP_os_noise] = 0;
	ck_assert_ptr_null(osnoise_new(r.s, &p, 1));
	ck_assert_int_eq(osnoise_nr_kthreads(&p, 4), 0);
	ck_assert_int_eq(r.s->nr_tasks, 0);
	ck_assert_double_eq(r.s->tick_irq_ns, 0);
	hrig_free(&r);
}
END_TEST

/* 4 idle CPUs, kernel threads at 1 kHz for 1 s: each wakes ~1000 times on
 * its own CPU.  A cycle is an exponential gap of mean 1 ms plus a 10 us
 * burst (plus its wakeup's and switch's costs, zero without a machine
 * model): 4 x 1 s / 1.01 ms = 3960 wakeups, Poisson sd ~63. */
START_TEST(kthreads_pinned_at_rate)
{
	struct machine_profile p;
	struct noise_metrics m = { 0 };
	struct hrig r;

	hrig_new(&r, 1, 2, 2, 1, NULL);
	r.s->ops.next = next;
	noise_profile(&p, 1000, 0, 0);
	the_noise = osnoise_new(r.s, &p, 1);
	ck_assert_ptr_nonnull(the_noise);
	ck_assert_int_eq(r.s->nr_tasks, 4);
	for (int c = 0; c < 4; c++) {
		struct task *t = r.s->tasks[c];
		ck_assert(t->kthread);
		ck_assert_int_eq(t->process, -1);
		ck_assert_int_eq(t->nr_cpus_allowed, 1);
		ck_assert(cpumask_test(&t->affinity, c));
	}
	ck_assert_uint_eq(r.s->nr_forks, 0); /* kthreadd's children, not forks */
	eq_run(r.eq, NSEC_PER_SEC);
	sched_finish(r.s);
	osnoise_totals(the_noise, &m);
	ck_assert(m.on);
	ck_assert_uint_gt(m.kthread_wakeups, 3960 - 4 * 63);
	ck_assert_uint_lt(m.kthread_wakeups, 3960 + 4 * 63);
	/* CPU time: 10 us per burst */
	ck_assert_double_eq_tol(m.kthread_ns, 10000.0 * (double)m.kthread_wakeups, 10000.0 * 4);
	for (int c = 0; c < 4; c++) {
		struct task *t = r.s->tasks[c];
		ck_assert_int_eq(t->cpu, c);
		for (int k = 0; k < MIG_NR; k++)
			ck_assert_uint_eq(t->c.nr_migrations[k], 0);
	}
	hrig_free(&r); /* the event queue first: the noise's events are queued in it */
	osnoise_free(the_noise);
}
END_TEST

/* One CPU, one hog, interrupts at 1 kHz of 10 us and a 2 us tick at
 * HZ=1000, for 1 s: the hog's work is the second minus exactly what the
 * interrupts and ticks took (every tick finds the hog running). */
START_TEST(irqs_and_ticks_steal_their_time)
{
	struct machine_profile p;
	struct noise_metrics m = { 0 };
	struct hrig r;
	struct task *hog;

	hrig_new(&r, 1, 1, 1, 1, NULL);
	r.s->ops.next = next;
	noise_profile(&p, 0, 1000, 2000);
	hog = sched_create_task(r.s, 0, 0, NULL);
	the_noise = osnoise_new(r.s, &p, 1);
	sched_start_task(r.s, hog, 0, 0, 0);
	eq_run(r.eq, NSEC_PER_SEC);
	sched_finish(r.s);
	osnoise_totals(the_noise, &m);
	ck_assert_int_eq(r.s->nr_tasks, 1); /* no kernel threads at rate 0 */
	ck_assert_uint_ge(m.tick_irqs, 999);
	ck_assert_uint_le(m.tick_irqs, 1001);
	ck_assert_double_eq_tol(m.tick_irq_ns, 2000.0 * (double)m.tick_irqs, 1e-6);
	ck_assert_uint_gt(m.irqs, 1000 - 4 * 32);
	ck_assert_uint_lt(m.irqs, 1000 + 4 * 32);
	ck_assert_double_eq_tol(m.irq_ns, 10000.0 * (double)m.irqs, 1e-3 * (double)m.irqs);
	ck_assert_double_eq_tol(hog->c.work_ns, 1e9 - m.irq_ns - m.tick_irq_ns, 10);
	ck_assert_double_eq_tol(hog->c.cpu_ns, 1e9, 10);
	hrig_free(&r); /* the event queue first: the noise's events are queued in it */
	osnoise_free(the_noise);
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("osnoise", &tc, 60);

	tcase_add_test(tc, gap_is_exponential);
	tcase_add_test(tc, duration_is_lognormal);
	tcase_add_test(tc, off_adds_nothing);
	tcase_add_test(tc, kthreads_pinned_at_rate);
	tcase_add_test(tc, irqs_and_ticks_steal_their_time);
	return harness_run(s);
}
