/*
 * Unit tests for hw/perf.c, the machine model: warming in closed form and
 * its inversion, shared data written from other LLCs, DRAM bandwidth and
 * loaded latency, communication costs, the idle governor, SMT, cache warmth
 * across migrations, NUMA placement, and a randomized run on a 768-CPU
 * machine checking invariants.
 *
 * Every expected value is computed by hand from the profile below (see the
 * comments); the formulas are the ones of perf.h / perf.c:
 *   slowdown at occupancy x = smt (1 + [hits t_llc + misses t_miss + rm t_c2c] / mlp)
 *   per ns of work, refs r = refs_per_us / 1000.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_cdf.h>

#include "hw/perf.h"

#define MB (1024.0 * 1024.0)

/* line 64 B, LLC hit 10 ns, DRAM 100 ns local / 200 ns at the largest
 * distance, mlp 2, SMT factor 0.8, LLC capacity 8 MiB. */
static void prof_basic(struct machine_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->v[MP_line_bytes] = 64;
	p->v[MP_llc_hit_ns] = 10;
	p->v[MP_c2c_smt_ns] = 5;
	p->v[MP_c2c_llc_ns] = 25;
	p->v[MP_c2c_xllc_ns] = 100;
	p->v[MP_c2c_xpkg_ns] = 200;
	p->v[MP_dram_local_ns] = 100;
	p->v[MP_dram_remote_ns] = 200;
	p->v[MP_dram_bw_node_gbs] = 1000;
	p->v[MP_llc_link_bw_gbs] = 0;
	p->v[MP_lat_load_k] = 0;
	p->v[MP_mlp] = 2;
	p->v[MP_smt_factor] = 0.8;
	p->v[MP_wake_lines] = 4;
	p->v[MP_msg_lines_fixed] = 2;
	p->v[MP_ipi_ns] = 2000;
	p->v[MP_ipi_send_ns] = 500;
	p->v[MP_wake_local_ns] = 300;
	p->v[MP_switch_ns] = 1500;
	p->v[MP_scan_cpu_ns] = 20;
	p->v[MP_idle1_exit_ns] = 2000;
	p->v[MP_idle1_target_ns] = 4000;
	p->v[MP_idle2_exit_ns] = 0;
	p->v[MP_idle2_target_ns] = 0;
	p->v[MP_idle3_exit_ns] = 100000;
	p->v[MP_idle3_target_ns] = 600000;
	p->v[MP_llc_bytes] = 8 * MB;
}

/* First CPU with the given llc / pkg / smt index and not equal to @not. */
static int find_cpu(const struct topo *t, int llc, int smt_index, int not_core)
{
	for (int c = 0; c < t->nr_cpus; c++)
		if (t->cpu[c].llc == llc && t->cpu[c].smt_index == smt_index && t->cpu[c].core != not_core)
			return c;
	ck_abort_msg("no cpu in llc %d", llc);
	return -1;
}

static int sibling_of(const struct topo *t, int cpu)
{
	for (int c = 0; c < t->nr_cpus; c++)
		if (c != cpu && t->cpu[c].core == t->cpu[cpu].core)
			return c;
	ck_abort_msg("no sibling of cpu %d", cpu);
	return -1;
}

#define assert_close(x, want, rel)                                                               \
	do {                                                                                       \
		double x_ = (x), w_ = (want);                                                      \
		ck_assert_msg(fabs(x_ - w_) <= (rel) * fabs(w_) + 1e-9, "%s = %.9g, expected %.9g", \
			      #x, x_, w_);                                                         \
	} while (0)

/* ---- 1. a lone thread warming its private set ----------------------------- */

START_TEST(test_lone_thread_warms)
{
	struct topo *t = topo_new_simple(1, 1, 2, 1);
	struct machine_profile p;
	struct perf *pf;
	struct perf_mem m = { .refs_per_us = 100, .footprint = 1 * MB, .shared = 0, .mlp = 0 };
	const double W = 50e6; /* 50 ms of work */

	prof_basic(&p);
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	ck_assert_ptr_nonnull(pf);
	perf_run_begin(pf, 0, 0, &m, 0);

	/* cold: every reference misses, r = 0.1 / ns:
	 *   1 + 0.1 x 100 / 2 = 6 */
	assert_close(perf_slowdown(pf, 0), 6.0, 1e-12);

	/* T(W) = A W + B (F/line)(1 - exp(-r line W / F)),
	 *   A = 1 + 0.1 x 10 / 2 = 1.5, B = (100 - 10) / 2 = 45, F/line = 16384,
	 *   r line W / F = 0.1 x 64 x 5e7 / 1048576 = 305 (exp ~ 0):
	 *   T = 75e6 + 45 x 16384 = 75 737 280 ns */
	double T = perf_time_for(pf, 0, W);
	assert_close(T, 75737280.0, 1e-9);
	/* extra over the warm case = (F/line)(t_miss - t_llc)/mlp within 1% */
	assert_close(T - W * 1.5, 16384.0 * 90 / 2, 0.01);

	/* the inversion: advancing in ten steps to T gives W back (< 0.01 ns
	 * per step, plus the rounding of T to an integer time) */
	double work = 0;
	simtime_t end = (simtime_t)llround(T);
	for (int i = 1; i <= 10; i++)
		work += perf_advance(pf, 0, end * i / 10);
	ck_assert_msg(fabs(work - W) < 0.2 + 1.0, "work %.4f vs %.4f", work, W);

	/* warm: occupancy F and slowdown 1 + r t_llc / mlp = 1.5 */
	assert_close(perf_occupancy(pf, 0, 0, -1), 1 * MB, 1e-9);
	assert_close(perf_slowdown(pf, 0), 1.5, 1e-9);
	ck_assert_double_eq(perf_private_bytes(pf, 0), 1 * MB);

	/* 1 ms of wall from cold (no closed form for the work w, but T(w) must
	 * give back 1e6), then the state it leaves: occupancy
	 * F (1 - exp(-k w)) with k = r line / F = 0.1 x 64 / 1048576, and the
	 * next segment starts at slowdown 1.5 + 45 x 0.1 x exp(-k w) */
	perf_run_end(pf, 0, end);
	perf_free(pf);
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	perf_run_begin(pf, 0, 1, &m, 1000);
	assert_close(perf_time_for(pf, 0, 1), 6.0, 1e-3); /* the first ns: cold */
	double w = perf_run_end(pf, 0, 1000 + 1000000), k = 0.1 * 64 / MB;
	ck_assert(w > 1e6 / 6 && w < 1e6 / 1.5);
	assert_close(perf_occupancy(pf, 0, 0, -1), MB * -expm1(-k * w), 1e-9);
	perf_run_begin(pf, 0, 1, &m, 5000000);
	assert_close(perf_slowdown(pf, 0), 1.5 + 4.5 * exp(-k * w), 1e-9);
	perf_free(pf);
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	perf_run_begin(pf, 0, 1, &m, 0);
	assert_close(perf_time_for(pf, 0, w), 1e6, 1e-10);
	/* a pure compute burst: T(w) = w exactly, no occupancy change */
	struct perf_mem cpu = { 0 };
	perf_run_end(pf, 0, 0);
	perf_run_begin(pf, 0, 1, &cpu, 0);
	ck_assert_double_eq(perf_time_for(pf, 0, 12345.0), 12345.0);
	ck_assert_double_eq(perf_run_end(pf, 0, 777), 777.0);
	ck_assert_double_eq(perf_node_demand(pf, 0), 0);
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* ---- 2. shared data written from another LLC ------------------------------ */

/* Two threads of one process, all references to a 1 MiB shared set with
 * write fraction 0.4, on @cpu_a and @cpu_b; returns thread 0's slowdown once
 * warm (60 ms, advanced every ms: over 6 ms of work even at slowdown 9.4,
 * 30 times the 1 MiB set's warming time constant of 205 us of work at 0.08
 * warming refs per ns). */
static double shared_pair_p(const struct topo *t, const struct machine_profile *p, int cpu_a, int cpu_b,
			    double *occ_a)
{
	struct perf *pf;
	struct perf_mem m = { .refs_per_us = 100, .footprint = 0, .shared = 1.0 };
	double s0, s1;

	pf = perf_new(t, p, 2, 1, NULL, NULL);
	perf_set_process(pf, 0, 1 * MB, 0.4, PERF_MEM_FIRST_TOUCH, -1);
	perf_set_thread(pf, 0, 0);
	perf_set_thread(pf, 1, 0);
	perf_run_begin(pf, 0, cpu_a, &m, 0);
	perf_run_begin(pf, 1, cpu_b, &m, 0);
	for (simtime_t now = 1000000; now <= 60000000; now += 1000000) {
		perf_advance(pf, 0, now);
		perf_advance(pf, 1, now);
	}
	s0 = perf_slowdown(pf, 0);
	s1 = perf_slowdown(pf, 1);
	assert_close(s0, s1, 1e-9);
	*occ_a = perf_occupancy(pf, t->cpu[cpu_a].llc, -1, 0);
	perf_run_end(pf, 0, 60000000);
	perf_run_end(pf, 1, 60000000);
	perf_free(pf);
	return s0;
}

/* shared_pair_p() under prof_basic() (no limit on c2c bandwidth) */
static double shared_pair(const struct topo *t, int cpu_a, int cpu_b, double *occ_a)
{
	struct machine_profile p;

	prof_basic(&p);
	return shared_pair_p(t, &p, cpu_a, cpu_b, occ_a);
}

START_TEST(test_shared_remote_modified)
{
	struct topo *t = topo_new_simple(2, 2, 2, 1);
	int a = find_cpu(t, 0, 0, -1);
	int same_llc = find_cpu(t, 0, 0, t->cpu[a].core);
	int other_llc = find_cpu(t, 1, 0, -1);
	int other_pkg = find_cpu(t, 2, 0, -1);
	double occ, s_llc, s_xllc, s_xpkg;

	ck_assert_int_eq(t->cpu[other_llc].pkg, t->cpu[a].pkg);
	ck_assert_int_ne(t->cpu[other_pkg].pkg, t->cpu[a].pkg);

	/* same LLC: no remote-modified misses; warm slowdown
	 *   1 + 0.1 x 10 / 2 = 1.5; both threads fill the one shared set,
	 *   capped at S */
	s_llc = shared_pair(t, a, same_llc, &occ);
	assert_close(s_llc, 1.5, 1e-6);
	assert_close(occ, 1 * MB, 1e-6);

	/* two LLCs of one package: p_rm = wf x (1 of 2 running threads
	 * elsewhere) = 0.4 x 1/2 = 0.2 at c2c_xllc = 100:
	 *   1 + [0.1 x 0.8 x 10 + 0.1 x 0.2 x 100] / 2 = 1 + (0.8 + 2) / 2 = 2.4
	 * ratio 2.4 / 1.5 = 1.6; each LLC holds its own copy of S */
	s_xllc = shared_pair(t, a, other_llc, &occ);
	assert_close(s_xllc, 2.4, 1e-6);
	assert_close(s_xllc / s_llc, 1.6, 1e-6);
	assert_close(occ, 1 * MB, 1e-6);

	/* other package: c2c_xpkg = 200: 1 + (0.8 + 4) / 2 = 3.4 */
	s_xpkg = shared_pair(t, a, other_pkg, &occ);
	assert_close(s_xpkg, 3.4, 1e-6);
	assert_close(s_xpkg / s_llc, 3.4 / 1.5, 1e-6);
	topo_free(t);
}
END_TEST

/* The bandwidth of cache-to-cache transfers (MODEL.md; perf.c "Cache-to-cache
 * bandwidth").  Warm, each thread of shared_pair() misses rm = 0.1 x 0.2 =
 * 0.02 lines per ns of work on lines written in the other LLC, at an
 * unloaded slowdown s0 = 2.4 (above) from another LLC of its package, 3.4
 * from another package: it pulls D = 64 x 0.02 / s0 = 0.5333 GB/s into its
 * own LLC, or 0.3765 GB/s into its package; each LLC and package holds one
 * of the two threads. */
#define C2C_D (64 * 0.02 / 2.4)
#define C2C_DK (64 * 0.02 / 3.4)

START_TEST(test_c2c_bandwidth)
{
	struct topo *t = topo_new_simple(2, 2, 2, 1);
	int a = find_cpu(t, 0, 0, -1);
	int other_llc = find_cpu(t, 1, 0, -1);
	int other_pkg = find_cpu(t, 2, 0, -1);
	struct machine_profile p;
	double occ;

	/* demand twice the LLC's inbound c2c bandwidth, k = 0: t_xllc stretched
	 * 2x to 200: 1 + [0.1 x 0.8 x 10 + 0.02 x 200] / 2 = 3.4 */
	prof_basic(&p);
	p.v[MP_c2c_xllc_bw_gbs] = C2C_D / 2;
	assert_close(shared_pair_p(t, &p, a, other_llc, &occ), 3.4, 1e-6);
	/* the package link is not the limit between two LLCs of one package */
	p.v[MP_xpkg_bw_gbs] = C2C_DK / 4;
	assert_close(shared_pair_p(t, &p, a, other_llc, &occ), 3.4, 1e-6);
	/* other package: 4x its bandwidth, t_xpkg 200 x 4 = 800:
	 * 1 + [0.8 + 0.02 x 800] / 2 = 9.4; the LLC's own limit does not apply */
	assert_close(shared_pair_p(t, &p, a, other_pkg, &occ), 9.4, 1e-6);

	/* below saturation the transfer queues: u = 0.5, k = 1:
	 * t_xllc = 100 (1 + 0.25 / 0.5) = 150: 1 + [0.8 + 0.02 x 150] / 2 = 2.9 */
	prof_basic(&p);
	p.v[MP_lat_load_k] = 1;
	p.v[MP_c2c_xllc_bw_gbs] = 2 * C2C_D;
	assert_close(shared_pair_p(t, &p, a, other_llc, &occ), 2.9, 1e-6);
	topo_free(t);
}
END_TEST

/* ---- 3. DRAM bandwidth and loaded latency --------------------------------- */

/* A streaming burst: footprint far beyond the LLC (occupancy ~ 0, every ref
 * misses at the segment start), r = 0.1 / ns, mlp 4:
 *   unloaded slowdown s0 = 1 + 0.1 x 100 / 4 = 3.5
 *   demand d = line x r / s0 = 6.4 / 3.5 = 1.828571 GB/s */
static const struct perf_mem stream = { .refs_per_us = 100, .footprint = 1e12, .shared = 0, .mlp = 4 };
#define STREAM_D (6.4 / 3.5)

START_TEST(test_bandwidth_stretch)
{
	struct topo *t = topo_new_simple(1, 1, 8, 1);
	struct machine_profile p;
	struct perf *pf;
	enum { N = 4 };

	prof_basic(&p);
	/* 4 streams demand twice the node's bandwidth */
	p.v[MP_dram_bw_node_gbs] = N * STREAM_D / 2;
	pf = perf_new(t, &p, N, 0, NULL, NULL);

	/* alone: u = 0.5, k = 0, no stretch: 3.5; memory part 0.1 x 100 / 4 = 2.5 */
	perf_run_begin(pf, 0, 0, &stream, 0);
	assert_close(perf_node_demand(pf, 0), STREAM_D, 1e-12);
	assert_close(perf_slowdown(pf, 0), 3.5, 1e-12);
	double mem_alone = perf_slowdown(pf, 0) - 1; /* 2.5: every ref misses */

	for (int i = 1; i < N; i++)
		perf_run_begin(pf, i, i, &stream, 0);
	for (int i = 0; i < N; i++)
		perf_advance(pf, i, 0); /* re-evaluate under the new demand */
	assert_close(perf_node_demand(pf, 0), N * STREAM_D, 1e-12);
	/* stretch 2: t_miss 200: 1 + [0.1 x 10 + 0.1 x (200 - 10)] / 4 = 6.0,
	 * memory part 0.1 x 200 / 4 = 5.0 = 2 x alone */
	for (int i = 0; i < N; i++)
		assert_close(perf_slowdown(pf, i), 6.0, 1e-12);
	double mem_loaded = perf_slowdown(pf, 0) - 1;
	assert_close(mem_loaded / mem_alone, 2.0, 1e-12);

	/* everyone leaves: no demand left */
	for (int i = 0; i < N; i++)
		perf_run_end(pf, i, 1000);
	ck_assert(fabs(perf_node_demand(pf, 0)) < 1e-12);
	perf_free(pf);

	/* loaded latency below saturation: k = 0.5 at u = 0.5:
	 *   t_miss = 100 (1 + 0.5 x 0.25 / 0.5) = 125,
	 *   slowdown = 1 + [1 + 0.1 x 115] / 4 = 4.125 */
	p.v[MP_lat_load_k] = 0.5;
	p.v[MP_dram_bw_node_gbs] = 2 * STREAM_D;
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	perf_run_begin(pf, 0, 0, &stream, 0);
	assert_close(perf_slowdown(pf, 0), 4.125, 1e-12);
	perf_free(pf);

	/* the LLC link: one stream's worth of link bandwidth, two streams in
	 * the LLC: stretch 2 from the link although the node has plenty:
	 * 6.0 as above */
	p.v[MP_lat_load_k] = 0;
	p.v[MP_dram_bw_node_gbs] = 1000;
	p.v[MP_llc_link_bw_gbs] = STREAM_D;
	pf = perf_new(t, &p, 2, 0, NULL, NULL);
	perf_run_begin(pf, 0, 0, &stream, 0);
	assert_close(perf_slowdown(pf, 0), 3.5, 1e-12);
	perf_run_begin(pf, 1, 1, &stream, 0);
	assert_close(perf_slowdown(pf, 1), 6.0, 1e-12);
	/* thread 0 keeps its conditions until advanced */
	assert_close(perf_slowdown(pf, 0), 3.5, 1e-12);
	perf_advance(pf, 0, 0);
	assert_close(perf_slowdown(pf, 0), 6.0, 1e-12);
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* ---- 4. communication ----------------------------------------------------- */

START_TEST(test_xfer_and_wake)
{
	struct topo *t = topo_new_simple(2, 2, 2, 2);
	struct machine_profile p;
	struct perf *pf;
	int a = find_cpu(t, 0, 0, -1);
	int smt = sibling_of(t, a);
	int llc = find_cpu(t, 0, 0, t->cpu[a].core);
	int xllc = find_cpu(t, 1, 0, -1);
	int xpkg = find_cpu(t, 2, 0, -1);
	double wk, dl, we;

	prof_basic(&p);
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	ck_assert_int_eq(perf_relation(pf, a, a), REL_SAME);
	ck_assert_int_eq(perf_relation(pf, a, smt), REL_SMT);
	ck_assert_int_eq(perf_relation(pf, a, llc), REL_LLC);
	ck_assert_int_eq(perf_relation(pf, a, xllc), REL_XLLC);
	ck_assert_int_eq(perf_relation(pf, a, xpkg), REL_XPKG);
	ck_assert_int_eq(perf_relation(pf, xpkg, a), REL_XPKG);

	/* 200 bytes: the first line at the relation latency, the other 136 B
	 * streamed at c2c_bw (default 20 B/ns: 6.8 ns), + 2 fixed kernel lines */
	ck_assert_double_eq_tol(perf_xfer_ns(pf, a, smt, 200), 3 * 5.0 + 6.8, 1e-9);
	ck_assert_double_eq_tol(perf_xfer_ns(pf, a, llc, 200), 3 * 25.0 + 6.8, 1e-9);
	ck_assert_double_eq_tol(perf_xfer_ns(pf, a, xllc, 200), 3 * 100.0 + 6.8, 1e-9);
	ck_assert_double_eq_tol(perf_xfer_ns(pf, a, xpkg, 200), 3 * 200.0 + 6.8, 1e-9);
	ck_assert(perf_xfer_ns(pf, a, xpkg, 200) > perf_xfer_ns(pf, a, llc, 200));
	/* a 16 KiB message streams: 16320 B / 20 B/ns after the first line */
	ck_assert_double_eq_tol(perf_xfer_ns(pf, a, xpkg, 16384), 3 * 200.0 + 816.0, 1e-9);
	/* same CPU: the payload is in its own L2, only the 2 kernel lines at
	 * the LLC hit latency */
	ck_assert_double_eq(perf_xfer_ns(pf, a, a, 200), 2 * 10.0);
	/* exactly one line, and an empty message */
	ck_assert_double_eq(perf_xfer_ns(pf, a, llc, 64), 3 * 25.0);
	ck_assert_double_eq(perf_xfer_ns(pf, a, llc, 0), 2 * 25.0);

	/* wakeups: within the LLC the waker pays wake_local, no IPI delay,
	 * the wakee 4 lines at c2c_llc */
	perf_wake_cost(pf, a, llc, &wk, &dl, &we);
	ck_assert_double_eq(wk, 300);
	ck_assert_double_eq(dl, 0);
	ck_assert_double_eq(we, 4 * 25.0);
	perf_wake_cost(pf, a, smt, &wk, &dl, &we);
	ck_assert_double_eq(wk, 300);
	ck_assert_double_eq(we, 4 * 5.0);
	/* across LLCs: IPI send, IPI delivery, lines at the relation */
	perf_wake_cost(pf, a, xllc, &wk, &dl, &we);
	ck_assert_double_eq(wk, 500);
	ck_assert_double_eq(dl, 2000);
	ck_assert_double_eq(we, 4 * 100.0);
	perf_wake_cost(pf, a, xpkg, &wk, &dl, &we);
	ck_assert_double_eq(wk, 500);
	ck_assert_double_eq(dl, 2000);
	ck_assert_double_eq(we, 4 * 200.0);

	ck_assert_double_eq(perf_switch_ns(pf), 1500);
	ck_assert_double_eq(perf_scan_ns(pf, 10), 200);
	ck_assert_double_eq(perf_scan_ns(pf, 0), 0);
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* ---- 5. idle states (the governor itself: test_menu) ---------------------- */

#define TICK 1000000

/* one idle period of @len with the next timer @sleep away; returns the
 * exit latency, *@stop the governor's stop_tick */
static simtime_t idle_for(struct perf *pf, int cpu, simtime_t *now, simtime_t len, simtime_t sleep,
			  bool *stop)
{
	*stop = perf_idle_enter(pf, cpu, *now, sleep, MIN(sleep, TICK), false, TICK);
	*now += len;
	return perf_idle_exit(pf, cpu, *now, false, false, TICK);
}

START_TEST(test_idle_governor)
{
	struct topo *t = topo_new_simple(1, 1, 2, 1);
	struct machine_profile p;
	struct perf *pf;
	simtime_t now = 0;
	bool stop;

	/* table: POLL, idle1 2/4 us, idle3 100/600 us (exit/target) */
	prof_basic(&p);
	p.v[MP_idle_mwait_max] = 1;
	pf = perf_new(t, &p, 1, 0, NULL, NULL);

	/* fresh CPU, no timer (1 s): the deep state, the tick may stop */
	ck_assert_int_eq(idle_for(pf, 0, &now, 5000, 1000000000, &stop), 100000);
	ck_assert(stop);
	/* fresh CPU 1, timer in 300 us: idle3's 600 us target is beyond it:
	 * idle1, tick kept */
	ck_assert_int_eq(idle_for(pf, 1, &now, 300000, 300000, &stop), 2000);
	ck_assert(!stop);

	/* while idle: the state's nominal exit latency, and whether it polls
	 * (idle1 is MWAIT with idle_mwait_max=1; idle3 is not) */
	ck_assert_int_eq(perf_idle_exit_latency(pf, 1), -1);
	perf_idle_enter(pf, 1, now, 300000, 300000, false, TICK); /* again idle1 */
	ck_assert_int_eq(perf_idle_exit_latency(pf, 1), 2000);
	ck_assert(perf_idle_polling(pf, 1));
	now += 1000;
	perf_idle_exit(pf, 1, now, false, false, TICK);
	ck_assert(!perf_idle_polling(pf, 1));
	perf_free(pf);

	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	perf_idle_enter(pf, 0, now, 1000000000, TICK, false, TICK);
	ck_assert_int_eq(perf_idle_exit_latency(pf, 0), 100000);
	ck_assert(!perf_idle_polling(pf, 0));
	/* woken at the very instant it went idle: never entered the state */
	ck_assert_int_eq(perf_idle_exit(pf, 0, now, false, false, TICK), 0);
	/* exit without enter: 0 */
	ck_assert_int_eq(perf_idle_exit(pf, 0, now, false, false, TICK), 0);
	/* a timer in 1 us, before idle1's 4 us target: POLL, which polls */
	perf_idle_enter(pf, 1, now, 1000, 1000, false, TICK);
	ck_assert_int_eq(perf_idle_exit_latency(pf, 1), 0);
	ck_assert(perf_idle_polling(pf, 1));
	/* cpuidle_poll_time(): idle1's 4 us is under CPUIDLE_POLL_MIN, idle3's
	 * 600 us over CPUIDLE_POLL_MAX: TICK_NSEC / 16 = 62.5 us; CPU 0, not
	 * idle, has none */
	ck_assert_int_eq(perf_idle_poll_limit(pf, 1, TICK), 62500);
	ck_assert_int_eq(perf_idle_poll_limit(pf, 0, TICK), 0);
	perf_free(pf);

	/* a middle state (exit 10 us, target 50 us): a timer in 100 us picks it */
	p.v[MP_idle2_exit_ns] = 10000;
	p.v[MP_idle2_target_ns] = 50000;
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	ck_assert_int_eq(idle_for(pf, 0, &now, 100000, 100000, &stop), 10000);
	ck_assert(!stop);
	/* in POLL the limit is now the middle state's 50 us target */
	perf_idle_enter(pf, 1, now, 1000, 1000, false, TICK);
	ck_assert_int_eq(perf_idle_poll_limit(pf, 1, TICK), 50000);
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* ---- 6. SMT --------------------------------------------------------------- */

struct retimes {
	int cpus[16];
	int n;
};

static void on_retime(void *ctx, int cpu)
{
	struct retimes *r = ctx;

	ck_assert_int_lt(r->n, 16);
	r->cpus[r->n++] = cpu;
}

START_TEST(test_smt)
{
	struct topo *t = topo_new_simple(1, 1, 2, 2);
	struct machine_profile p;
	struct retimes rt = { .n = 0 };
	struct perf *pf;
	struct perf_mem cpu = { 0 };
	int a = 0, b = sibling_of(t, 0), other = find_cpu(t, 0, 0, t->cpu[0].core);

	prof_basic(&p);
	pf = perf_new(t, &p, 3, 0, on_retime, &rt);

	perf_run_begin(pf, 0, a, &cpu, 0);
	ck_assert_int_eq(rt.n, 0);
	ck_assert_double_eq(perf_time_for(pf, 0, 1000), 1000);
	/* a thread on another core changes nothing */
	perf_run_begin(pf, 2, other, &cpu, 500);
	ck_assert_int_eq(rt.n, 0);

	/* the sibling starts at 1000: A is retimed; the 1000 ns before ran at
	 * full speed, from now on at 0.8 */
	perf_run_begin(pf, 1, b, &cpu, 1000);
	ck_assert_int_eq(rt.n, 1);
	ck_assert_int_eq(rt.cpus[0], a);
	assert_close(perf_time_for(pf, 1, 1000), 1250, 1e-12);
	assert_close(perf_time_for(pf, 0, 1000), 1250, 1e-12);
	assert_close(perf_slowdown(pf, 0), 1.25, 1e-12);
	assert_close(perf_advance(pf, 0, 1000), 1000, 1e-12);
	assert_close(perf_advance(pf, 0, 2000), 800, 1e-12);

	/* the sibling stops at 3000: retimed again; 1000 ns at 0.8 */
	perf_run_end(pf, 1, 3000);
	ck_assert_int_eq(rt.n, 2);
	ck_assert_int_eq(rt.cpus[1], a);
	assert_close(perf_time_for(pf, 0, 1000), 1000, 1e-12);
	assert_close(perf_advance(pf, 0, 3000), 800, 1e-12);
	assert_close(perf_advance(pf, 0, 4000), 1000, 1e-12);
	/* nothing done on the other core was disturbed */
	assert_close(perf_advance(pf, 2, 4000), 3500, 1e-12);
	perf_run_end(pf, 0, 4000);
	ck_assert_int_eq(rt.n, 2); /* no sibling running: nobody to retime */
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* In a batch (one instant): a burst that ends and the next that starts on
 * the sibling re-time nobody; a sibling that only stops re-times A once,
 * at the batch's end, with the 1000 ns before at 0.8. */
START_TEST(test_smt_batch)
{
	struct topo *t = topo_new_simple(1, 1, 2, 2);
	struct machine_profile p;
	struct retimes rt = { .n = 0 };
	struct perf *pf;
	struct perf_mem cpu = { 0 };
	int a = 0, b = sibling_of(t, 0);

	prof_basic(&p);
	pf = perf_new(t, &p, 3, 0, on_retime, &rt);
	perf_run_begin(pf, 0, a, &cpu, 0);
	perf_run_begin(pf, 1, b, &cpu, 0);
	ck_assert_int_eq(rt.n, 1);

	/* 1 ends and 2 begins on B at 1000: A keeps 0.8, no re-time */
	perf_batch_begin(pf);
	perf_run_end(pf, 1, 1000);
	perf_run_begin(pf, 2, b, &cpu, 1000);
	perf_batch_end(pf, 1000);
	ck_assert_int_eq(rt.n, 1);
	assert_close(perf_time_for(pf, 0, 1000), 1250, 1e-12);

	/* 2 ends at 2000 and nothing follows: A re-timed once, at the end */
	perf_batch_begin(pf);
	perf_run_end(pf, 2, 2000);
	ck_assert_int_eq(rt.n, 1);
	perf_batch_end(pf, 2000);
	ck_assert_int_eq(rt.n, 2);
	ck_assert_int_eq(rt.cpus[1], a);
	assert_close(perf_advance(pf, 0, 2000), 1600, 1e-12); /* 2000 ns at 0.8 */
	assert_close(perf_time_for(pf, 0, 1000), 1000, 1e-12);
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* ---- 7. warmth across migrations ------------------------------------------ */

START_TEST(test_migration_warmth)
{
	struct topo *t = topo_new_simple(1, 2, 2, 1);
	struct machine_profile p;
	struct perf *pf;
	struct perf_mem m = { .refs_per_us = 100, .footprint = 2 * MB };
	struct perf_mem small = { .refs_per_us = 100, .footprint = 1 * MB };
	struct perf_mem big = { .refs_per_us = 100, .footprint = 16 * MB };
	int ca = find_cpu(t, 0, 0, -1), cb = find_cpu(t, 1, 0, -1);
	int la = t->cpu[ca].llc, lb = t->cpu[cb].llc;
	simtime_t now = 0;
	double T;

	prof_basic(&p); /* 8 MiB LLCs */
	pf = perf_new(t, &p, 3, 0, NULL, NULL);

	/* warm in A: 50 ms of work */
	perf_run_begin(pf, 0, ca, &m, now);
	now += (simtime_t)ceil(perf_time_for(pf, 0, 50e6));
	perf_run_end(pf, 0, now);
	assert_close(perf_occupancy(pf, la, 0, -1), 2 * MB, 1e-9);
	ck_assert_double_eq(perf_occupancy(pf, lb, 0, -1), 0);

	/* in B: cold again, slowdown 6; 20 ms of work cost the refill:
	 * (F/line)(t_miss - t_llc)/mlp = 32768 x 45 = 1 474 560 ns extra */
	perf_run_begin(pf, 0, cb, &m, now);
	assert_close(perf_slowdown(pf, 0), 6.0, 1e-12);
	T = perf_time_for(pf, 0, 20e6);
	assert_close(T - 1.5 * 20e6, 32768.0 * 45, 0.01);
	now += (simtime_t)ceil(T);
	perf_run_end(pf, 0, now);
	assert_close(perf_occupancy(pf, lb, 0, -1), 2 * MB, 1e-9);
	/* what it left in A is still there */
	assert_close(perf_occupancy(pf, la, 0, -1), 2 * MB, 1e-9);

	/* back in A: warm at once */
	perf_run_begin(pf, 0, ca, &m, now);
	assert_close(perf_slowdown(pf, 0), 1.5, 1e-9);
	perf_run_end(pf, 0, now);

	/* another owner with 1 MiB runs in A: 3 MiB < 8 MiB, nothing evicted */
	perf_run_begin(pf, 1, ca, &small, now);
	now += (simtime_t)ceil(perf_time_for(pf, 1, 20e6));
	perf_run_end(pf, 1, now);
	assert_close(perf_occupancy(pf, la, 1, -1), 1 * MB, 1e-9);
	assert_close(perf_occupancy(pf, la, 0, -1), 2 * MB, 1e-9);

	/* a 16 MiB owner runs 20 ms in A (one segment).  It can reach L = 8 MiB
	 * (C minus active others = 8 MiB: the others are not running) after
	 * w* = ln(16/8) F / (r line) = 1.82 ms, then misses at 0.05 / ns:
	 * 131072 + 0.05 x 18.2e6 lines = 1.04e6 lines >> 16 MiB / 64, so its
	 * fill is capped at 16 MiB.  Total 2 + 1 + 16 = 19 MiB > 8 MiB:
	 * everyone scaled by 8/19: thread 0 keeps 2 x 8/19 MiB */
	perf_run_begin(pf, 2, ca, &big, now);
	now += (simtime_t)ceil(perf_time_for(pf, 2, 20e6));
	perf_run_end(pf, 2, now);
	assert_close(perf_occupancy(pf, la, 0, -1), 2 * MB * 8 / 19, 1e-9);
	assert_close(perf_occupancy(pf, la, 1, -1), 1 * MB * 8 / 19, 1e-9);
	assert_close(perf_occupancy(pf, la, 2, -1), 16 * MB * 8 / 19, 1e-9);
	/* B untouched */
	assert_close(perf_occupancy(pf, lb, 0, -1), 2 * MB, 1e-9);

	/* thread 0 back in A: its hit ratio is 8/19, so its slowdown is
	 *   1 + [0.1 x 10 + 0.1 x (1 - 8/19) x 90] / 2 */
	perf_run_begin(pf, 0, ca, &m, now);
	assert_close(perf_slowdown(pf, 0), 1 + (1 + 0.1 * (11.0 / 19) * 90) / 2, 1e-9);
	perf_run_end(pf, 0, now);
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* ---- 7b. sets larger than the cache --------------------------------------- */

START_TEST(test_capacity_limit)
{
	struct topo *t = topo_new_simple(1, 1, 2, 1);
	struct machine_profile p;
	struct perf *pf;
	struct perf_mem m16 = { .refs_per_us = 100, .footprint = 16 * MB };
	struct perf_mem m8 = { .refs_per_us = 100, .footprint = 8 * MB };
	simtime_t now;

	prof_basic(&p); /* 8 MiB LLC */
	pf = perf_new(t, &p, 2, 0, NULL, NULL);

	/* a lone 16 MiB set fills the 8 MiB LLC and no more; from then on it
	 * hits with probability 8/16: r (1 - C/F) = 0.05 misses / ns:
	 *   slowdown 1 + [0.1 x 10 + 0.05 x 90] / 2 = 3.75, and it stays so:
	 *   T(W) = 3.75 W for any W (it cannot warm beyond the cache) */
	perf_run_begin(pf, 0, 0, &m16, 0);
	now = (simtime_t)ceil(perf_time_for(pf, 0, 20e6));
	perf_advance(pf, 0, now);
	assert_close(perf_occupancy(pf, 0, 0, -1), 8 * MB, 1e-9);
	assert_close(perf_slowdown(pf, 0), 3.75, 1e-9);
	assert_close(perf_time_for(pf, 0, 10e6), 3.75 * 10e6, 1e-9);
	perf_run_end(pf, 0, now);
	perf_free(pf);

	/* two 8 MiB sets running together in the 8 MiB LLC settle at 4 MiB
	 * each, hit ratio 1/2: slowdown 3.75 again, and a long burst costs
	 * 3.75 per ns of work (every miss evicts, the sets do not warm) */
	pf = perf_new(t, &p, 2, 0, NULL, NULL);
	perf_run_begin(pf, 0, 0, &m8, 0);
	perf_run_begin(pf, 1, 1, &m8, 0);
	for (now = 100000; now <= 50000000; now += 100000) {
		perf_advance(pf, 0, now);
		perf_advance(pf, 1, now);
	}
	/* (the fills are applied one thread after the other, so the two
	 * shares differ by a fraction of one step's fill: 1%) */
	assert_close(perf_occupancy(pf, 0, 0, -1) + perf_occupancy(pf, 0, 1, -1), 8 * MB, 1e-9);
	assert_close(perf_occupancy(pf, 0, 0, -1), 4 * MB, 0.01);
	assert_close(perf_occupancy(pf, 0, 1, -1), 4 * MB, 0.01);
	assert_close(perf_slowdown(pf, 0), 3.75, 0.01);
	assert_close(perf_time_for(pf, 1, 10e6), 3.75 * 10e6, 0.01);
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* ---- 8. NUMA placement ---------------------------------------------------- */

START_TEST(test_numa_placement)
{
	struct topo *t = topo_new_simple(2, 1, 2, 1);
	struct machine_profile p;
	struct perf *pf;
	struct perf_mem m = { .refs_per_us = 100, .footprint = 1 * MB };
	struct perf_mem ms = { .refs_per_us = 100, .footprint = 1 * MB, .shared = 0.5 };
	int c0 = find_cpu(t, 0, 0, -1), c1 = find_cpu(t, 1, 0, -1);
	double f[2];

	ck_assert_int_eq(t->nr_nodes, 2);
	ck_assert_int_eq(t->cpu[c0].node, 0);
	ck_assert_int_eq(t->cpu[c1].node, 1);
	prof_basic(&p);
	pf = perf_new(t, &p, 4, 3, NULL, NULL);
	perf_set_process(pf, 0, 1 * MB, 0, PERF_MEM_FIRST_TOUCH, -1);
	perf_set_process(pf, 1, 1 * MB, 0, PERF_MEM_INTERLEAVE, -1);
	perf_set_process(pf, 2, 1 * MB, 0, PERF_MEM_BIND, 1);
	perf_set_thread(pf, 0, 0);
	perf_set_thread(pf, 1, 0);
	perf_set_thread(pf, 2, 1);
	perf_set_thread(pf, 3, 2);

	/* nothing touched yet */
	perf_mem_dist(pf, 0, false, f);
	ck_assert(f[0] == 0 && f[1] == 0);

	/* thread 0 first runs on node 1: its pages and its process's there */
	perf_run_begin(pf, 0, c1, &m, 0);
	/* cold, local: 1 + 0.1 x 100 / 2 = 6 */
	assert_close(perf_slowdown(pf, 0), 6.0, 1e-12);
	perf_run_end(pf, 0, 0);
	perf_mem_dist(pf, 0, false, f);
	ck_assert(f[0] == 0 && f[1] == 1);
	perf_mem_dist(pf, 0, true, f);
	ck_assert(f[0] == 0 && f[1] == 1);
	/* thread 1 of the same process: its private pages on its own first
	 * node, the shared ones stay where the process put them */
	perf_run_begin(pf, 1, c0, &ms, 0);
	perf_run_end(pf, 1, 0);
	perf_mem_dist(pf, 1, false, f);
	ck_assert(f[0] == 1 && f[1] == 0);
	perf_mem_dist(pf, 1, true, f);
	ck_assert(f[0] == 0 && f[1] == 1);

	/* thread 0 on node 0: remote at the largest distance: t_miss 200:
	 * 1 + 0.1 x 200 / 2 = 11 (cold in this LLC) */
	perf_run_begin(pf, 0, c0, &m, 0);
	assert_close(perf_slowdown(pf, 0), 11.0, 1e-12);
	perf_run_end(pf, 0, 0);

	/* NUMA balancing moves half of it: t_miss 150: 1 + 0.1 x 150 / 2 = 8.5 */
	assert_close(perf_mem_migrate(pf, 0, false, 0, 0.5 * MB), 0.5 * MB, 1e-12);
	perf_mem_dist(pf, 0, false, f);
	assert_close(f[0], 0.5, 1e-12);
	assert_close(f[1], 0.5, 1e-12);
	perf_run_begin(pf, 0, c0, &m, 0);
	assert_close(perf_slowdown(pf, 0), 8.5, 1e-12);
	perf_run_end(pf, 0, 0);
	/* the rest, asking for more than is left */
	assert_close(perf_mem_migrate(pf, 0, false, 0, 4 * MB), 0.5 * MB, 1e-12);
	perf_mem_dist(pf, 0, false, f);
	ck_assert(f[0] == 1 && f[1] == 0);
	ck_assert_double_eq(perf_mem_migrate(pf, 0, false, 0, 4 * MB), 0);

	/* interleave: half on each node, wherever it runs */
	perf_run_begin(pf, 2, c0, &ms, 0);
	perf_run_end(pf, 2, 0);
	perf_mem_dist(pf, 2, false, f);
	assert_close(f[0], 0.5, 1e-12);
	assert_close(f[1], 0.5, 1e-12);
	perf_mem_dist(pf, 2, true, f);
	assert_close(f[0], 0.5, 1e-12);
	/* bind to node 1 though it runs on node 0 */
	perf_run_begin(pf, 3, c0, &m, 0);
	assert_close(perf_slowdown(pf, 3), 11.0, 1e-12);
	perf_run_end(pf, 3, 0);
	perf_mem_dist(pf, 3, true, f);
	ck_assert(f[0] == 0 && f[1] == 1);
	ck_assert_double_eq(perf_shared_bytes(pf, 2), 1 * MB);
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* ---- 9. inversion under every effect at once ------------------------------ */

START_TEST(test_inversion_mixed)
{
	struct topo *t = topo_new_simple(2, 2, 2, 2);
	struct machine_profile p;
	struct perf *pf;
	struct perf_mem m0 = { .refs_per_us = 80, .footprint = 3 * MB, .shared = 0.3, .mlp = 3 };
	struct perf_mem m1 = { .refs_per_us = 150, .footprint = 12 * MB, .shared = 0.6 };
	int a = find_cpu(t, 0, 0, -1), b = sibling_of(t, a), c = find_cpu(t, 2, 0, -1);

	prof_basic(&p);
	p.v[MP_lat_load_k] = 0.3;
	p.v[MP_dram_bw_node_gbs] = 2;
	pf = perf_new(t, &p, 3, 1, NULL, NULL);
	perf_set_process(pf, 0, 6 * MB, 0.5, PERF_MEM_FIRST_TOUCH, -1);
	for (int i = 0; i < 3; i++)
		perf_set_thread(pf, i, 0);
	perf_run_begin(pf, 0, a, &m0, 0);
	perf_run_begin(pf, 1, b, &m1, 0);
	perf_run_begin(pf, 2, c, &m1, 0);
	simtime_t now = 0;
	for (int step = 0; step < 50; step++) {
		for (int i = 0; i < 3; i++) {
			double want = 1000.0 * (step + 1) * (i + 1);
			double T = perf_time_for(pf, i, want);
			simtime_t end = now + (simtime_t)floor(T);
			double w;

			ck_assert(T >= want * 1.25 - 1e-9); /* SMT and memory slow it */
			/* one more ns of wall is worth at most 1/1.25 ns of work */
			w = perf_advance(pf, i, end);
			ck_assert_msg(w <= want + 0.01 && w >= want - 1 / 1.25 - 0.01,
				      "step %d thread %d: %.4f of %.4f", step, i, w, want);
			now = end;
			/* conditions re-evaluated: the other threads advance to now */
			for (int j = 0; j < 3; j++)
				if (j != i)
					perf_advance(pf, j, now);
		}
	}
	for (int i = 0; i < 3; i++)
		perf_run_end(pf, i, now);
	for (int n = 0; n < t->nr_nodes; n++)
		ck_assert(fabs(perf_node_demand(pf, n)) < 1e-9);
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* ---- 10. randomized, benchmark-sized ------------------------------------- */

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

START_TEST(test_random_large)
{
	/* 2 packages x 12 LLCs x 16 cores x 2 threads = 768 CPUs, 1500 threads */
	struct topo *t = topo_new_simple(2, 12, 16, 2);
	struct machine_profile p;
	struct perf *pf;
	enum { NT = 1500, NP = 30, OPS = 300000 };
	int *on = calloc(NT, sizeof(int)), *tcpu = calloc(t->nr_cpus, sizeof(int));
	uint64_t s = 0x1234567;
	simtime_t now = 0;
	struct timespec t0, t1;
	long n_work = 0;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->nr_cpus, 768);
	prof_basic(&p);
	p.v[MP_llc_bytes] = 32 * MB;
	p.v[MP_lat_load_k] = 0.2;
	p.v[MP_dram_bw_node_gbs] = 100;
	p.v[MP_llc_link_bw_gbs] = 30;
	pf = perf_new(t, &p, NT, NP, NULL, NULL);
	for (int i = 0; i < NP; i++)
		perf_set_process(pf, i, (double)(rnd(&s) % 64) * MB, 0.3, i % 3, i % 2);
	for (int i = 0; i < NT; i++) {
		perf_set_thread(pf, i, i % NP);
		on[i] = -1;
	}
	for (int c = 0; c < t->nr_cpus; c++)
		tcpu[c] = -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int op = 0; op < OPS; op++) {
		uint64_t x = rnd(&s);
		int tid = (int)((x >> 8) % NT);

		now += (simtime_t)(x >> 50) % 20000;
		if (on[tid] >= 0) {
			simtime_t since = now; /* any positive wall: work <= wall */
			double w = (x & 3) ? perf_advance(pf, tid, since) : perf_run_end(pf, tid, since);
			ck_assert(w >= 0);
			n_work++;
			if (!(x & 3)) {
				tcpu[on[tid]] = -1;
				on[tid] = -1;
			}
		} else {
			int cpu = (int)((x >> 32) % (uint64_t)t->nr_cpus);
			struct perf_mem m = { 0 };

			if (tcpu[cpu] >= 0)
				continue; /* one thread per CPU */
			if (x & 16) { /* half of the bursts touch memory */
				m.refs_per_us = (double)((x >> 20) % 200);
				m.footprint = (double)((x >> 12) % 40) * MB / 4;
				m.shared = (double)((x >> 24) % 5) / 4;
			}
			perf_run_begin(pf, tid, cpu, &m, now);
			on[tid] = cpu;
			tcpu[cpu] = tid;
			ck_assert(perf_slowdown(pf, tid) >= 1.0);
			ck_assert(perf_time_for(pf, tid, 1000) >= 1000);
		}
		if (op % 50000 == 0) {
			/* LLC totals within capacity; demand never negative */
			for (int l = 0; l < t->nr_llcs; l++) {
				double tot = 0;
				for (int i = 0; i < NT; i++)
					tot += perf_occupancy(pf, l, i, -1);
				for (int i = 0; i < NP; i++) {
					double o = perf_occupancy(pf, l, -1, i);
					ck_assert(o <= perf_shared_bytes(pf, i) * (1 + 1e-9));
					tot += o;
				}
				ck_assert_msg(tot <= 32 * MB * (1 + 1e-9), "llc %d holds %g", l, tot);
			}
			for (int n = 0; n < t->nr_nodes; n++)
				ck_assert(perf_node_demand(pf, n) >= 0);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "test_perf: %d random ops (%ld advances) in %.3f s\n", OPS, n_work,
		(double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
	for (int i = 0; i < NT; i++)
		if (on[i] >= 0)
			perf_run_end(pf, i, now);
	for (int n = 0; n < t->nr_nodes; n++)
		ck_assert_msg(fabs(perf_node_demand(pf, n)) < 1e-6, "node %d demand %g", n,
			      perf_node_demand(pf, n));
	perf_free(pf);
	free(on);
	free(tcpu);
	topo_free(t);
}
END_TEST

/* ---- 5b. latency distributions ------------------------------------------- */

#define NDRAW 10000

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Kolmogorov-Smirnov statistic of the sample @x[n] (sorted here) against
 * the lognormal (zeta, sigma) capped at @cap (the mass above it at @cap). */
static double ks_lognormal(double *x, int n, double zeta, double sigma, double cap)
{
	double d = 0;

	qsort(x, (size_t)n, sizeof(*x), cmp_double);
	for (int i = 0; i < n; i++) {
		double f = x[i] >= cap ? 1 : gsl_cdf_lognormal_P(x[i], zeta, sigma);
		d = fmax(d, fmax(fabs((i + 1.0) / n - f), fabs(f - (double)i / n)));
	}
	return d;
}

static void prof_jitter(struct machine_profile *p)
{
	prof_basic(p);
	p->v[MP_latency_jitter] = 1;
	p->v[MP_idle_exit_median] = 0.3;
	p->v[MP_ipi_cv] = 0.5;
	p->v[MP_wake_lines_cv] = 0.3;
}

START_TEST(test_idle_exit_draw)
{
	struct topo *t = topo_new_simple(1, 1, 2, 1);
	struct machine_profile p;
	struct perf *pf;
	static double x[NDRAW];
	simtime_t now = 0;
	bool stop; /* no timer: the deep state, the tick stopped */
	/* deep state 100 us = the 99.99th percentile, median 0.3 x 100 us:
	 * sigma = ln(1/0.3) / z(0.9999) = 1.20397 / 3.71902 = 0.32373 */
	const double W = 100000, med = 30000, sigma = log(1 / 0.3) / 3.719016485;
	double sum = 0;

	prof_jitter(&p);
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	perf_seed(pf, 42);
	for (int i = 0; i < NDRAW; i++) {
		x[i] = (double)idle_for(pf, 0, &now, 10000000, 1000000000, &stop); /* 10 ms idles: deep */
		sum += x[i];
		ck_assert_msg(x[i] > 0 && x[i] <= W, "draw %d: %g", i, x[i]);
	}
	/* mean exp(sigma^2/2) x median = 1.05378 x 30 us = 31.613 us */
	assert_close(sum / NDRAW, med * exp(sigma * sigma / 2), 0.01);
	/* KS at alpha = 0.001: D < 1.95 / sqrt(n) = 0.0195 */
	ck_assert_double_lt(ks_lognormal(x, NDRAW, log(med), sigma, W), 1.95 / sqrt(NDRAW));
	/* quantiles (x is sorted now): median 30 us; p99 = 30 us x
	 * exp(2.32635 sigma) = 63.60 us */
	assert_close(x[NDRAW / 2], med, 0.02);
	assert_close(x[NDRAW * 99 / 100], med * exp(2.326348 * sigma), 0.04);
	perf_free(pf);

	/* latency_jitter=0: every exit pays the mean, 31.613 us */
	p.v[MP_latency_jitter] = 0;
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	perf_seed(pf, 42);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(idle_for(pf, 0, &now, 10000000, 1000000000, &stop), llround(med * exp(sigma * sigma / 2)));
	perf_free(pf);
	topo_free(t);
}
END_TEST

/* IPI delivery and the wakeup's line transfers: lognormal around their
 * means with the configured coefficients of variation; the same seed draws
 * the same sequence. */
START_TEST(test_wake_draws)
{
	struct topo *t = topo_new_simple(1, 2, 2, 1);
	struct machine_profile p;
	struct perf *pf, *pf2;
	static double dl[NDRAW], we[NDRAW];
	int a = find_cpu(t, 0, 0, -1), llc = find_cpu(t, 0, 0, t->cpu[a].core);
	int xllc = find_cpu(t, 1, 0, -1);
	double s1 = 0, s2 = 0, wsum = 0, wk, d, e, d2, e2;
	const double si = sqrt(log(1 + 0.25)), sw = sqrt(log(1 + 0.09));

	prof_jitter(&p);
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	pf2 = perf_new(t, &p, 1, 0, NULL, NULL);
	perf_seed(pf, 7);
	perf_seed(pf2, 7);
	for (int i = 0; i < NDRAW; i++) {
		perf_wake_cost(pf, a, xllc, &wk, &dl[i], &we[i]);
		perf_wake_cost(pf2, a, xllc, &wk, &d2, &e2);
		ck_assert_double_eq(dl[i], d2);
		ck_assert_double_eq(we[i], e2);
		ck_assert_double_eq(wk, 500); /* the waker's cost is not drawn */
		s1 += dl[i];
		s2 += dl[i] * dl[i];
		wsum += we[i];
	}
	/* IPI: mean 2000 ns, cv 0.5 */
	assert_close(s1 / NDRAW, 2000, 0.02);
	assert_close(sqrt(s2 / NDRAW - (s1 / NDRAW) * (s1 / NDRAW)) / (s1 / NDRAW), 0.5, 0.08);
	ck_assert_double_lt(ks_lognormal(dl, NDRAW, log(2000) - si * si / 2, si, INFINITY),
			    1.95 / sqrt(NDRAW));
	/* lines: 4 x 100 ns across LLCs, cv 0.3 */
	assert_close(wsum / NDRAW, 400, 0.01);
	ck_assert_double_lt(ks_lognormal(we, NDRAW, log(400) - sw * sw / 2, sw, INFINITY),
			    1.95 / sqrt(NDRAW));
	/* within the LLC there is no IPI delay to draw */
	perf_wake_cost(pf, a, llc, &wk, &d, &e);
	ck_assert_double_eq(d, 0);
	/* another seed draws another sequence */
	perf_seed(pf2, 8);
	perf_wake_cost(pf, a, xllc, &wk, &d, &e);
	perf_wake_cost(pf2, a, xllc, &wk, &d2, &e2);
	ck_assert(d != d2);
	perf_free(pf);
	perf_free(pf2);
	topo_free(t);
}
END_TEST

/* Runqueue serialisation: a FIFO queue per CPU, service rq_lock_hold_ns
 * (250 ns), hand-computed below; 0 turns it off. */
START_TEST(test_rq_wait)
{
	struct topo *t = topo_new_simple(1, 1, 2, 1);
	struct machine_profile p;
	struct perf *pf;

	prof_basic(&p);
	p.v[MP_rq_lock_hold_ns] = 250;
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	/* wake-list wakeups from CPU 0 to CPU 1 at t = 0 */
	ck_assert_double_eq(perf_rq_wait(pf, 1, 0, 0, true), 0);
	ck_assert_double_eq(perf_rq_wait(pf, 1, 0, 0, true), 250);
	ck_assert_double_eq(perf_rq_wait(pf, 1, 0, 0, true), 500);
	/* rq-lock wakeup by CPU 0 behind its own activation: paid already */
	ck_assert_double_eq(perf_rq_wait(pf, 1, 0, 0, false), 0);
	/* CPU 0's queue is its own */
	ck_assert_double_eq(perf_rq_wait(pf, 0, 1, 0, false), 0);
	/* CPU 1's lock is held until 1000 by CPU 0's activations: another
	 * waker (CPU 2's index is only a label here) spins 400 at t = 600 */
	ck_assert_double_eq(perf_rq_wait(pf, 1, 2, 600, false), 400);
	/* drained: no wait */
	ck_assert_double_eq(perf_rq_wait(pf, 1, 0, 2000, false), 0);
	perf_free(pf);
	p.v[MP_rq_lock_hold_ns] = 0;
	pf = perf_new(t, &p, 1, 0, NULL, NULL);
	ck_assert_double_eq(perf_rq_wait(pf, 1, 0, 0, true), 0);
	ck_assert_double_eq(perf_rq_wait(pf, 1, 1, 0, false), 0);
	perf_free(pf);
	topo_free(t);
}
END_TEST

static Suite *perf_suite(void)
{
	Suite *s = suite_create("perf");
	TCase *tc;

	tc = tcase_create("speed");
	tcase_add_test(tc, test_lone_thread_warms);
	tcase_add_test(tc, test_shared_remote_modified);
	tcase_add_test(tc, test_c2c_bandwidth);
	tcase_add_test(tc, test_bandwidth_stretch);
	tcase_add_test(tc, test_smt);
	tcase_add_test(tc, test_smt_batch);
	tcase_add_test(tc, test_migration_warmth);
	tcase_add_test(tc, test_capacity_limit);
	tcase_add_test(tc, test_numa_placement);
	tcase_add_test(tc, test_inversion_mixed);
	suite_add_tcase(s, tc);

	tc = tcase_create("costs");
	tcase_add_test(tc, test_xfer_and_wake);
	tcase_add_test(tc, test_idle_governor);
	tcase_add_test(tc, test_idle_exit_draw);
	tcase_add_test(tc, test_wake_draws);
	tcase_add_test(tc, test_rq_wait);
	suite_add_tcase(s, tc);

	tc = tcase_create("stress");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_random_large);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(perf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
