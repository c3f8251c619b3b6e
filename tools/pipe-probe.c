/*
 * pipe-probe: measure, on a real machine, the pipe facts cassim's hackbench
 * model depends on (workloads/MODELS.md, "When a blocked writer is woken").
 *
 *   cc -O2 -pthread -o pipe-probe tools/pipe-probe.c -lm
 *   ./pipe-probe costs                  one thread: 100-B write() and read()
 *   ./pipe-probe hackbench F LOOPS [CPUS]
 *                                       F senders x F receivers (hackbench -g 1
 *                                       -f F -T -p -l LOOPS -s 100); CPUS
 *                                       "S,R" pins the senders to CPU S and the
 *                                       receivers to CPU R (F = 1 shows which
 *                                       end of a pipe is the bottleneck)
 *
 * Output is one "key=value ..." line per measurement, for a person and a
 * script.  Compare with the model's prediction of the same run (cassim run
 * -w hackbench --set groups=1 --set fds=F --set mode=thread --set ipc=pipe
 * --timeline FILE, per-thread CPU time from the slices).  The numbers that
 * matter: each end's busy fraction (CPU time / wall time), and voluntary
 * context switches per message (how often each end sleeps).
 *
 * Measure on an idle machine; a VM's wakeups cost more than bare metal's.
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MSG 100

static double now(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Per-call cost of 100-B writes and reads, one thread, the pipe never full
 * or empty: median, p10, p90, p99 and the coefficient of variation of the
 * calls under 5x the median (the rest are interrupts). */
static int costs(void)
{
	enum { N = 600, R = 300 };
	double *t = malloc(sizeof(*t) * N * R * 2), ovh = 0;
	char d[MSG] = { 0 };
	int p[2];

	if (!t || pipe(p))
		return 1;
	/* the clock's own cost: the median of 100000 reads, not the mean, which
	 * a preemption in the loop inflated past a call's cost on a loaded
	 * machine (medians of -94 ns with 2 busy loops per CPU) */
	for (int i = 0; i < 100000; i++) {
		double a = now(CLOCK_MONOTONIC);
		t[i] = now(CLOCK_MONOTONIC) - a;
	}
	qsort(t, 100000, sizeof(*t), cmp);
	ovh = t[50000];
	for (int it = 0; it < R; it++)
		for (int dir = 0; dir < 2; dir++)
			for (int i = 0; i < N; i++) {
				double a = now(CLOCK_MONOTONIC);
				if ((dir ? read(p[0], d, MSG) : write(p[1], d, MSG)) != MSG)
					return 1;
				t[dir * N * R + it * N + i] = (now(CLOCK_MONOTONIC) - a - ovh) * 1e9;
			}
	for (int dir = 0; dir < 2; dir++) {
		double *v = t + dir * N * R, med, s = 0, s2 = 0;
		int n = 0, k = N * R;

		qsort(v, (size_t)k, sizeof(*v), cmp);
		med = v[k / 2];
		for (int i = 0; i < k; i++)
			if (v[i] < 5 * med)
				s += v[i], s2 += v[i] * v[i], n++;
		printf("call=%s median_ns=%.0f p10_ns=%.0f p90_ns=%.0f p99_ns=%.0f cv=%.2f\n", dir ? "read" : "write",
		       med, v[k / 10], v[k * 9 / 10], v[k * 99 / 100], sqrt(s2 / n - (s / n) * (s / n)) / (s / n));
	}
	free(t);
	return 0;
}

struct side {
	pthread_t th;
	int idx, cpu;
	double cpu_s, vcsw;
	double t0, t1; /* CLOCK_MONOTONIC when it left the barrier / finished */
};

static int F, L;
static int (*fds)[2];
static pthread_barrier_t start;

static void pin(int cpu)
{
	cpu_set_t s;

	if (cpu < 0)
		return;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	pthread_setaffinity_np(pthread_self(), sizeof(s), &s);
}

static void finish(struct side *me)
{
	struct rusage u;

	getrusage(RUSAGE_THREAD, &u);
	me->cpu_s = now(CLOCK_THREAD_CPUTIME_ID) - me->cpu_s;
	me->vcsw = (double)u.ru_nvcsw;
	me->t1 = now(CLOCK_MONOTONIC);
}

/* Past the start barrier: the thread's own clocks start here, so that a
 * main thread that runs late on a busy machine cannot shorten the window
 * (busy fractions over 1). */
static void started(struct side *me)
{
	pthread_barrier_wait(&start);
	me->t0 = now(CLOCK_MONOTONIC);
	me->cpu_s = now(CLOCK_THREAD_CPUTIME_ID);
}

/* hackbench's sender: one message to every receiver in turn, LOOPS times */
static void *sender(void *arg)
{
	struct side *me = arg;
	char d[MSG];

	memset(d, 'S', sizeof(d));
	pin(me->cpu);
	started(me);
	for (int l = 0; l < L; l++)
		for (int j = 0; j < F; j++)
			for (ssize_t done = 0, r; done < MSG; done += r)
				if ((r = write(fds[j][1], d + done, (size_t)(MSG - done))) < 0)
					exit(1);
	finish(me);
	return NULL;
}

/* hackbench's receiver: F x LOOPS reads of one message */
static void *receiver(void *arg)
{
	struct side *me = arg;
	char d[MSG];

	pin(me->cpu);
	started(me);
	for (long k = 0; k < (long)F * L; k++)
		for (ssize_t done = 0, r; done < MSG; done += r)
			if ((r = read(fds[me->idx][0], d + done, (size_t)(MSG - done))) <= 0)
				exit(1);
	finish(me);
	return NULL;
}

static int hackbench(int argc, char **argv)
{
	int scpu = -1, rcpu = -1;
	struct side *s;
	double t0, wall, msgs, busy[2] = { 0 }, vc[2] = { 0 };

	if (argc < 4 || (F = atoi(argv[2])) < 1 || (L = atoi(argv[3])) < 1 ||
	    (argc > 4 && sscanf(argv[4], "%d,%d", &scpu, &rcpu) != 2)) {
		fprintf(stderr, "usage: pipe-probe hackbench F LOOPS [SENDER_CPU,RECEIVER_CPU]\n");
		return 2;
	}
	fds = calloc((size_t)F, sizeof(*fds));
	s = calloc((size_t)(2 * F), sizeof(*s));
	if (!fds || !s || pthread_barrier_init(&start, NULL, (unsigned)(2 * F + 1)))
		return 1;
	for (int j = 0; j < F; j++)
		if (pipe(fds[j]))
			return 1;
	for (int i = 0; i < 2 * F; i++) {
		s[i].idx = i % F;
		s[i].cpu = i < F ? scpu : rcpu;
		if (pthread_create(&s[i].th, NULL, i < F ? sender : receiver, &s[i]))
			return 1;
	}
	pthread_barrier_wait(&start);
	for (int i = 0; i < 2 * F; i++)
		pthread_join(s[i].th, NULL);
	/* the window: from the first thread's start to the last one's end */
	t0 = s[0].t0;
	wall = s[0].t1;
	for (int i = 1; i < 2 * F; i++) {
		t0 = s[i].t0 < t0 ? s[i].t0 : t0;
		wall = s[i].t1 > wall ? s[i].t1 : wall;
	}
	wall -= t0;
	msgs = (double)F * F * L;
	for (int i = 0; i < 2 * F; i++) {
		busy[i >= F] += s[i].cpu_s / wall / F;
		vc[i >= F] += s[i].vcsw / msgs;
	}
	printf("fds=%d loops=%d wall_s=%.3f ns_per_msg=%.0f sender_busy=%.2f receiver_busy=%.2f "
	       "sender_sleeps_per_msg=%.4f receiver_sleeps_per_msg=%.4f\n",
	       F, L, wall, wall / msgs * 1e9, busy[0], busy[1], vc[0], vc[1]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "costs"))
		return costs();
	if (argc >= 2 && !strcmp(argv[1], "hackbench"))
		return hackbench(argc, argv);
	fprintf(stderr, "usage: pipe-probe costs | pipe-probe hackbench F LOOPS [SENDER_CPU,RECEIVER_CPU]\n");
	return 2;
}
