/*
 * Cache Aware Scheduling: every rule of CAS.md §2 in isolation, with values
 * computed by hand, then small full simulations (16 CPUs, 2 LLCs).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/eq.h"
#include "policies/cas.h"
#include "sched/lb.h"
#include "sched/sched.h"

#define MIB (1024.0 * 1024.0)

/* ------------------------------------------------ can_migrate_llc (§2.8) */

/* Utilisations in % of a 1000-unit capacity. */
static enum cas_mig mig(const struct cas_mig_cfg *m, int src_pct, int dst_pct, int task_pct, bool to_pref)
{
	return cas_can_migrate_llc(m, true, (unsigned long)src_pct * 10, 1000, true, (unsigned long)dst_pct * 10,
				   1000, (unsigned long)task_pct * 10, to_pref);
}

static char mig_char(enum cas_mig v)
{
	return v == CAS_MIG_FORBID ? 'N' : v == CAS_MIG_LLC ? 'Y' : 'G';
}

/* rows: src 30, 40, 50, 60 (or @vals); columns: dst likewise */
static void check_matrix(const struct cas_mig_cfg *m, const int *vals, bool to_pref, const char *const want[4],
			 const char *what)
{
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 4; c++) {
			char got = mig_char(mig(m, vals[r], vals[c], 0, to_pref));
			ck_assert_msg(got == want[r][c], "%s: src %d%% dst %d%%: got %c, want %c", what, vals[r],
				      vals[c], got, want[r][c]);
		}
}

static const int pct30_60[4] = { 30, 40, 50, 60 };

/* The decision matrix of the v1 03/19 patch comment, cell by cell: it
 * holds with the imbalance read as percentage points of capacity. */
START_TEST(test_matrix_patch_comment)
{
	struct cas_mig_cfg m = { .overaggr_pct = 50, .imb_pct = 20, .smt = 2, .imb_abs = true };
	static const char *const to_pref[4] = { "YYYN", "YYYY", "YYGG", "YYGG" };
	static const char *const from_pref[4] = { "NNNN", "NNNN", "NNGG", "YNGG" };

	check_matrix(&m, pct30_60, true, to_pref, "towards preferred (points)");
	check_matrix(&m, pct30_60, false, from_pref, "away from preferred (points)");
	/* the order of the both-busy check does not matter without task util */
	m.busy_after_adjust = true;
	check_matrix(&m, pct30_60, true, to_pref, "towards preferred (points, after adjust)");
	check_matrix(&m, pct30_60, false, from_pref, "away from preferred (points, after adjust)");
}
END_TEST

/* The code's ratio form, u1*100 > u2*(100+imb), by hand: six cells differ
 * from the comment ((30,50) 5000 > 3600; (40,50) 5000 > 4800; (40,60); away
 * (50,30), (50,40) and (60,40) 6000 > 4800). */
START_TEST(test_matrix_ratio_smt)
{
	struct cas_mig_cfg m = { .overaggr_pct = 50, .imb_pct = 20, .smt = 2 };
	static const char *const to_pref[4] = { "YYNN", "YYNN", "YYGG", "YYGG" };
	static const char *const from_pref[4] = { "NNNN", "NNNN", "YYGG", "YYGG" };

	check_matrix(&m, pct30_60, true, to_pref, "towards preferred (ratio)");
	check_matrix(&m, pct30_60, false, from_pref, "away from preferred (ratio)");
	/* SMT machines never get the x1.5 */
	m.nonsmt_75 = true;
	check_matrix(&m, pct30_60, true, to_pref, "towards preferred (ratio, SMT, nonsmt_75 on)");
}
END_TEST

/* Non-SMT: the busy threshold is 75 % (merged, §2.14 (3)).  By hand on
 * 50..80 %: towards: forbid iff d >= 75 and d*100 > s*120 (80 vs 50: 8000 >
 * 6000, vs 60: 8000 > 7200, vs 70: 8000 <= 8400); away: allowed iff s >= 75
 * and s*100 > d*120. */
START_TEST(test_matrix_nonsmt_75)
{
	struct cas_mig_cfg m = { .overaggr_pct = 50, .imb_pct = 20, .smt = 1, .nonsmt_75 = true,
				 .busy_after_adjust = true };
	static const int v[4] = { 50, 60, 70, 80 };
	static const char *const to_pref[4] = { "YYYN", "YYYN", "YYYY", "YYYG" };
	static const char *const from_pref[4] = { "NNNN", "NNNN", "NNNN", "YYNG" };
	static const char *const to_pref50[4] = { "GGGG", "GGGG", "GGGG", "GGGG" };

	check_matrix(&m, v, true, to_pref, "towards preferred (non-SMT 75 %)");
	check_matrix(&m, v, false, from_pref, "away from preferred (non-SMT 75 %)");
	/* without the x1.5 every cell of 50..80 % is "both busy" */
	m.nonsmt_75 = false;
	check_matrix(&m, v, true, to_pref50, "towards preferred (non-SMT, 50 %)");
	/* and the SMT 50 % table is unchanged on SMT-1 without x1.5 */
	{
		static const char *const t[4] = { "YYNN", "YYNN", "YYGG", "YYGG" };
		check_matrix(&m, pct30_60, true, t, "towards preferred (non-SMT, 50 %, 30..60)");
	}
}
END_TEST

/* RFC v4 / v1: 50 % / SMT width = 25 % on SMT-2. */
START_TEST(test_matrix_smt_div)
{
	struct cas_mig_cfg m = { .overaggr_pct = 50, .imb_pct = 20, .smt = 2, .smt_div = true };

	ck_assert(cas_fits(&m, 240, 1000));
	ck_assert(!cas_fits(&m, 250, 1000));
	/* 20 % -> 30 %: dst busy at 30 %, 3000 > 2000*1.2 -> forbid */
	ck_assert_int_eq(mig(&m, 20, 30, 0, true), CAS_MIG_FORBID);
	/* 30 % and 30 %: both busy -> generic */
	ck_assert_int_eq(mig(&m, 30, 30, 0, true), CAS_MIG_UNRESTRICTED);
	m.smt_div = false;
	ck_assert_int_eq(mig(&m, 20, 30, 0, true), CAS_MIG_LLC);
}
END_TEST

/* Both-busy check before (v1) or after (merged) the task's utilisation is
 * moved: src 60 %, dst 45 %, task 10 %. */
START_TEST(test_busy_check_order)
{
	struct cas_mig_cfg m = { .overaggr_pct = 50, .imb_pct = 20, .smt = 2 };

	/* before: dst 45 % fits -> towards rule on d = 55, s = 50: 5500 <= 6000 -> LLC */
	ck_assert_int_eq(mig(&m, 60, 45, 10, true), CAS_MIG_LLC);
	/* after: d = 55 % and s = 50 % are both busy -> generic */
	m.busy_after_adjust = true;
	ck_assert_int_eq(mig(&m, 60, 45, 10, true), CAS_MIG_UNRESTRICTED);
	/* the source's utilisation never goes below 0 */
	ck_assert_int_eq(mig(&m, 5, 20, 10, true), CAS_MIG_LLC);
	/* no statistics: unrestricted */
	ck_assert_int_eq(cas_can_migrate_llc(&m, false, 0, 0, true, 100, 1000, 0, true), CAS_MIG_UNRESTRICTED);
	/* imb_pct 0: into the preferred LLC while it is not busier (src 60 %,
	 * dst 40 %, task 15 %: d = 55 busy, s = 45; 5500 > 4500 -> forbid) */
	m.busy_after_adjust = false;
	m.imb_pct = 0;
	ck_assert_int_eq(mig(&m, 60, 40, 15, true), CAS_MIG_FORBID);
	ck_assert_int_eq(mig(&m, 60, 40, 5, true), CAS_MIG_LLC);
}
END_TEST

/* get_llc_stats() false on either side (no sd_llc_shared): mig_unrestricted
 * whatever the utilisations, in every revision's configuration (RFC v4 ..
 * 7.2; RFC v3 answered mig_allow); an LLC whose statistics were never written reads capacity 0, which
 * fits_llc_capacity() calls busy (v1 03/19 code), so that is not "no stats". */
START_TEST(test_no_stats_unrestricted)
{
	for (int r = 0; r < cas_nr_revs; r++) {
		const struct cas_cfg *c = &cas_revs[r].def;
		struct cas_mig_cfg m = { .overaggr_pct = (int)c->overaggr_pct, .imb_pct = (int)c->imb_pct, .smt = 2,
					 .smt_div = c->smt_div, .nonsmt_75 = c->nonsmt_75,
					 .busy_after_adjust = c->busy_after_adjust, .imb_abs = c->imb_abs,
					 .no_stats_llc = c->no_stats_llc };
		/* RFC v3 07/20 _get_migrate_hint(): mig_allow; RFC v4 07/28: mig_ignore */
		enum cas_mig none = strcmp(cas_revs[r].name, "cas-rfc-v3") ? CAS_MIG_UNRESTRICTED : CAS_MIG_LLC;

		ck_assert_int_eq(c->no_stats_llc, none == CAS_MIG_LLC);
		for (int to_pref = 0; to_pref < 2; to_pref++) {
			/* src 10 %, dst 90 % of 1000 with a 5 % task: forbidden towards
			 * the preferred LLC with statistics on both sides ... */
			if (to_pref)
				ck_assert_int_eq(cas_can_migrate_llc(&m, true, 100, 1000, true, 900, 1000, 50, true),
						 CAS_MIG_FORBID);
			/* ... unrestricted when either side has none */
			ck_assert_int_eq(cas_can_migrate_llc(&m, false, 100, 1000, true, 900, 1000, 50, to_pref), none);
			ck_assert_int_eq(cas_can_migrate_llc(&m, true, 100, 1000, false, 900, 1000, 50, to_pref), none);
		}
		/* dst never published (util 0, cap 0): busy; src 10 % not busy,
		 * task 200: d = 200 > s = 0 * 1.2 -> forbid (towards pref) */
		ck_assert_int_eq(cas_can_migrate_llc(&m, true, 100, 1000, true, 0, 0, 200, true), CAS_MIG_FORBID);
	}
}
END_TEST

/* RFC v2 04/05 valid_target_cpu(): util * 4 >= llc_weight * 1024 or
 * nr_avg * 3 >= llc_weight refuses, for processes with >= llc_weight threads. */
START_TEST(test_valid_target)
{
	int64_t avg = 0;

	/* 16-CPU LLC: fewer threads than CPUs always valid */
	ck_assert(cas_valid_target(15, 16, 16 * 1024, 16));
	/* util 4095 < 16384 / 4 = 4096 valid, 4096 not */
	ck_assert(cas_valid_target(16, 16, 4095, 0));
	ck_assert(!cas_valid_target(16, 16, 4096, 0));
	/* nr_avg 5: 15 < 16 valid; 6: 18 >= 16 not */
	ck_assert(cas_valid_target(16, 16, 0, 5));
	ck_assert(!cas_valid_target(16, 16, 0, 6));
	/* the average, not the last snapshot: 12 runnable at every publication
	 * after an idle LLC: update_avg() (diff / 8, truncated) goes 1, 2, 3,
	 * 4, 5 and stalls at 5 (7 / 8 = 0), so the LLC stays a valid target
	 * although the snapshot (12 * 3 >= 16) would refuse it */
	for (int i = 0; i < 50; i++) {
		avg = cas_ewma(avg, 12, 8);
		if (i == 0)
			ck_assert_int_eq(avg, 1);
	}
	ck_assert_int_eq(avg, 5);
	ck_assert(cas_valid_target(16, 16, 0, avg));
	ck_assert(!cas_valid_target(16, 16, 0, 12));
}
END_TEST

/* ------------------------------------------------------------ gates (§2.5) */

START_TEST(test_tolerance_scale)
{
	ck_assert_int_eq(cas_tol_scale(0, 1), 0);
	ck_assert_int_eq(cas_tol_scale(1, 1), 1);
	ck_assert_int_eq(cas_tol_scale(2, 1), 2);
	ck_assert_int_eq(cas_tol_scale(99, 1), 99);
	ck_assert(cas_tol_scale(100, 1) == CAS_SCALE_INF);
	ck_assert(cas_tol_scale(250, 256) == CAS_SCALE_INF);
	ck_assert_int_eq(cas_tol_scale(1, 256), 1);
	ck_assert_int_eq(cas_tol_scale(2, 256), 257);
	ck_assert_int_eq(cas_tol_scale(99, 256), 1 + 98 * 256);
}
END_TEST

START_TEST(test_thread_gate)
{
	/* v1 strict: nr * smt > scale * llc.  8 cores / 16 CPUs, tol 1: above 8 threads */
	ck_assert(!cas_thread_gate(CAS_THR_STRICT, 8, 2, 16, 1));
	ck_assert(cas_thread_gate(CAS_THR_STRICT, 9, 2, 16, 1));
	/* tol 99: above 792 (99 * 16 / 2; the commit text's 785 does not follow its formula) */
	ck_assert(!cas_thread_gate(CAS_THR_STRICT, 792, 2, 16, 99));
	ck_assert(cas_thread_gate(CAS_THR_STRICT, 793, 2, 16, 99));
	/* SPR LLC 60 CPUs / 30 cores: strict trips above 30, fits-80 at 24 (80 % of the cores):
	 * 24*2*1280 = 61440 is not < 60*1024 = 61440 */
	ck_assert(!cas_thread_gate(CAS_THR_STRICT, 30, 2, 60, 1));
	ck_assert(cas_thread_gate(CAS_THR_STRICT, 31, 2, 60, 1));
	ck_assert(!cas_thread_gate(CAS_THR_FITS80, 23, 2, 60, 1));
	ck_assert(cas_thread_gate(CAS_THR_FITS80, 24, 2, 60, 1));
	/* tol 0: scale 0 trips as soon as anything runs; unlimited never; mode none never */
	ck_assert(cas_thread_gate(CAS_THR_FITS80, 0, 2, 60, 0));
	ck_assert(cas_thread_gate(CAS_THR_STRICT, 1, 2, 60, 0));
	ck_assert(!cas_thread_gate(CAS_THR_STRICT, 1000, 2, 60, CAS_SCALE_INF));
	ck_assert(!cas_thread_gate(CAS_THR_NONE, 1000, 2, 60, 1));
}
END_TEST

START_TEST(test_mem_gate)
{
	double l3 = 32 * MIB;

	/* v1 text: 32 MB L3, tol 1 -> RSS above 32 MB skips (llc*scale <= RSS) */
	ck_assert(!cas_mem_gate(CAS_MEM_RSS, l3, 1, l3 - 1));
	ck_assert(cas_mem_gate(CAS_MEM_RSS, l3, 1, l3));
	/* tol 99 -> 32 MB * 25089 = 784 GB */
	ck_assert(!cas_mem_gate(CAS_MEM_RSS, l3, cas_tol_scale(99, 256), 784.0 * 1024 * MIB - 1));
	ck_assert(cas_mem_gate(CAS_MEM_RSS, l3, cas_tol_scale(99, 256), 784.1 * 1024 * MIB));
	/* merged: footprint pages * 4 KiB, strict <: 8192 pages = 32 MiB fits, 8193 not */
	ck_assert(!cas_mem_gate(CAS_MEM_NUMA_FOOTPRINT, l3, 1, 8192 * CAS_PAGE_SIZE));
	ck_assert(cas_mem_gate(CAS_MEM_NUMA_FOOTPRINT, l3, 1, 8193 * CAS_PAGE_SIZE));
	/* tol 0: RSS always trips, footprint trips when not empty; tol >= 100 never */
	ck_assert(cas_mem_gate(CAS_MEM_RSS, l3, 0, 0));
	ck_assert(!cas_mem_gate(CAS_MEM_NUMA_FOOTPRINT, l3, 0, 0));
	ck_assert(cas_mem_gate(CAS_MEM_NUMA_FOOTPRINT, l3, 0, 1));
	ck_assert(!cas_mem_gate(CAS_MEM_RSS, l3, CAS_SCALE_INF, 1e18));
	ck_assert(!cas_mem_gate(CAS_MEM_NONE, l3, 1, 1e18));
	/* no LLC size (PowerPC): any footprint trips */
	ck_assert(cas_mem_gate(CAS_MEM_NUMA_FOOTPRINT, 0, 1, 1));
}
END_TEST

START_TEST(test_ewma)
{
	int64_t a = 0;

	ck_assert_int_eq(cas_avg_divisor(CAS_AVG_DIV8, 4), 8);
	ck_assert_int_eq(cas_avg_divisor(CAS_AVG_LLC_SCALED, 60), 8);
	ck_assert_int_eq(cas_avg_divisor(CAS_AVG_LLC_SCALED, 16), 4);
	ck_assert_int_eq(cas_avg_divisor(CAS_AVG_LLC_SCALED, 8), 2);
	ck_assert_int_eq(cas_avg_divisor(CAS_AVG_LLC_SCALED, 4), 2);
	/* integer division stalls: a sample of 7 never moves 0 with d = 8 */
	ck_assert_int_eq(cas_ewma(0, 7, 8), 0);
	ck_assert_int_eq(cas_ewma(0, 8, 8), 1);
	/* constant 10 from 0: 1, 2, 3, then stuck at 3 = 10 - (8 - 1) */
	for (int i = 0; i < 20; i++)
		a = cas_ewma(a, 10, 8);
	ck_assert_int_eq(a, 3);
	/* downwards it truncates toward zero: stuck at 10 + 7 */
	a = 20;
	for (int i = 0; i < 20; i++)
		a = cas_ewma(a, 10, 8);
	ck_assert_int_eq(a, 17);
	/* d = 2 (8-CPU LLC): within 1 */
	a = 0;
	for (int i = 0; i < 20; i++)
		a = cas_ewma(a, 10, 2);
	ck_assert_int_eq(a, 9);
	/* hence the merged gate on a 30-core LLC needs 31 running threads to
	 * trip: 30 leave the average at 23 */
	a = 0;
	for (int i = 0; i < 50; i++)
		a = cas_ewma(a, 30, 8);
	ck_assert_int_eq(a, 23);
	ck_assert(!cas_thread_gate(CAS_THR_FITS80, a, 2, 60, 1));
	for (int i = 0; i < 50; i++)
		a = cas_ewma(a, 31, 8);
	ck_assert_int_eq(a, 24);
	ck_assert(cas_thread_gate(CAS_THR_FITS80, a, 2, 60, 1));
}
END_TEST

/* ------------------------------------------------------ switch rule (§2.4) */

START_TEST(test_switch_rule)
{
	/* no preference: any non-zero occupancy wins */
	ck_assert_int_eq(cas_switch_pref(true, -1, 0, 7, 1), 7);
	ck_assert_int_eq(cas_switch_pref(true, -1, 0, -1, 0), -1);
	/* 2x: 200 is not > 2 * 100, 201 is */
	ck_assert_int_eq(cas_switch_pref(true, 3, 100, 40, 200), 3);
	ck_assert_int_eq(cas_switch_pref(true, 3, 100, 40, 201), 40);
	/* Peter's objection: a current LLC at 0.6 cannot be displaced by 0.8 */
	ck_assert_int_eq(cas_switch_pref(true, 3, CAS_SCALE * 6 / 10, 40, CAS_SCALE * 8 / 10), 3);
	/* the current LLC not scanned counts 0: the best wins */
	ck_assert_int_eq(cas_switch_pref(true, 3, 0, 40, 5), 40);
	/* RFC: the best every scan, nothing below 3 % (SCALE >> 5) */
	ck_assert_int_eq(cas_switch_pref(false, 3, CAS_SCALE, 40, CAS_RFC_FLOOR), 40);
	ck_assert_int_eq(cas_switch_pref(false, 3, 0, 40, CAS_RFC_FLOOR - 1), -1);
	ck_assert_int_eq(CAS_RFC_FLOOR, 32768);
}
END_TEST

/* ---------------------------------------------------------- scan set (§2.12) */

static void node_mask(const struct topo *t, int n, struct cpumask *m)
{
	*m = t->node[n].cpus;
}

START_TEST(test_scan_set)
{
	struct topo *t = topo_new_simple(2, 2, 2, 2); /* 2 nodes x 2 LLCs x 2 cores x SMT2 */
	struct cpumask online, out, n0, n1, both;
	int c0, c1;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->nr_nodes, 2);
	cpumask_clear(&online);
	for (int c = 0; c < t->nr_cpus; c++)
		cpumask_set(&online, c);
	node_mask(t, 0, &n0);
	node_mask(t, 1, &n1);
	cpumask_or(&both, &n0, &n1);
	c0 = cpumask_first(&n0);
	c1 = cpumask_first(&n1);

	/* all online CPUs (v2, v3) */
	cas_scan_set(t, &online, CAS_SCAN_ALL, true, 0, -1, c0, &out);
	ck_assert(cpumask_equal(&out, &online));
	/* v4/merged: without NUMA balancing, or without a preferred node: all */
	cas_scan_set(t, &online, CAS_SCAN_NODES_NUMA, false, 0, -1, c0, &out);
	ck_assert(cpumask_equal(&out, &online));
	cas_scan_set(t, &online, CAS_SCAN_NODES_NUMA, true, -1, c1, c0, &out);
	ck_assert(cpumask_equal(&out, &online));
	/* with both: the preferred node ... */
	cas_scan_set(t, &online, CAS_SCAN_NODES_NUMA, true, 0, -1, c0, &out);
	ck_assert(cpumask_equal(&out, &n0));
	/* ... plus the node of the process-preferred CPU ... */
	cas_scan_set(t, &online, CAS_SCAN_NODES_NUMA, true, 0, c1, c0, &out);
	ck_assert(cpumask_equal(&out, &both));
	/* ... plus the node the thread runs on */
	cas_scan_set(t, &online, CAS_SCAN_NODES_NUMA, true, 0, c0, c1, &out);
	ck_assert(cpumask_equal(&out, &both));
	/* v1: node-limited even without NUMA balancing, from an empty mask */
	cas_scan_set(t, &online, CAS_SCAN_NODES_ALWAYS, false, -1, -1, c1, &out);
	ck_assert(cpumask_equal(&out, &n1));
	cas_scan_set(t, &online, CAS_SCAN_NODES_ALWAYS, false, -1, c0, c1, &out);
	ck_assert(cpumask_equal(&out, &both));
	/* offline CPUs are never scanned */
	cpumask_unset(&online, c0);
	cas_scan_set(t, &online, CAS_SCAN_NODES_ALWAYS, false, -1, -1, c0, &out);
	ck_assert(!cpumask_test(&out, c0));
	ck_assert_int_eq(cpumask_weight(&out), cpumask_weight(&n0) - 1);
	topo_free(t);
}
END_TEST

/* ------------------------------------------------------------ LLC ids (§2.13) */

START_TEST(test_llc_ids)
{
	struct topo *t = topo_new_simple(1, 4, 2, 1); /* 4 LLCs x 2 CPUs */
	struct cas_ids ids, st;

	ck_assert_int_eq(cas_ids_init(&ids, t, CAS_IDS_BITMASK), 0);
	ck_assert_int_eq(cas_ids_init(&st, t, CAS_IDS_STATIC), 0);
	for (int l = 0; l < 4; l++)
		ck_assert_int_eq(ids.id_of[l], l);
	ck_assert_int_eq(ids.max_lid, 3);
	/* LLC 1 loses one CPU: keeps its id; loses both: the id is freed */
	cas_ids_cpu(&ids, 1, false);
	ck_assert_int_eq(ids.id_of[1], 1);
	cas_ids_cpu(&ids, 1, false);
	ck_assert_int_eq(ids.id_of[1], -1);
	ck_assert_int_eq(ids.owner[1], -1);
	ck_assert_int_eq(ids.max_lid, 3);
	/* back online: the lowest free id, i.e. its old one */
	cas_ids_cpu(&ids, 1, true);
	ck_assert_int_eq(ids.id_of[1], 1);
	cas_ids_cpu(&ids, 1, true);
	ck_assert_int_eq(ids.id_of[1], 1);
	/* the highest LLC leaves: max_lid shrinks */
	cas_ids_cpu(&ids, 3, false);
	cas_ids_cpu(&ids, 3, false);
	ck_assert_int_eq(ids.max_lid, 2);
	/* LLC 1 leaves too; LLC 3 comes back first and takes id 1 (reuse),
	 * then LLC 1 gets id 3 */
	cas_ids_cpu(&ids, 1, false);
	cas_ids_cpu(&ids, 1, false);
	ck_assert_int_eq(ids.max_lid, 2);
	cas_ids_cpu(&ids, 3, true);
	ck_assert_int_eq(ids.id_of[3], 1);
	ck_assert_int_eq(ids.owner[1], 3);
	cas_ids_cpu(&ids, 1, true);
	ck_assert_int_eq(ids.id_of[1], 3);
	ck_assert_int_eq(ids.max_lid, 3);
	ck_assert_uint_eq(ids.frees, 3);
	ck_assert_uint_eq(ids.allocs, 3);
	/* static ids never change */
	cas_ids_cpu(&st, 1, false);
	cas_ids_cpu(&st, 1, false);
	ck_assert_int_eq(st.id_of[1], 1);
	ck_assert_int_eq(st.online[1], 0);
	cas_ids_free(&ids);
	cas_ids_free(&st);
	topo_free(t);
}
END_TEST

/* --------------------------------------------------- revision table (§1, §3) */

static double def_of(const struct policy *p, const char *name)
{
	const struct param_def *d = param_find(p->params, p->nr_params, name);
	ck_assert_msg(d != NULL, "%s has no tunable %s", p->name, name);
	return d->def;
}

static const char *feat_of(const struct policy *p, const char *key)
{
	for (int i = 0; p->features && p->features[i][0]; i++)
		if (!strcmp(p->features[i][0], key))
			return p->features[i][1];
	return NULL;
}

START_TEST(test_revision_defaults)
{
	static const char *const names[] = { "cfs", "cas-rfc", "cas-rfc-v2", "cas-rfc-v3", "cas-rfc-v4", "cas-v1",
					     "cas-v2", "cas-v3", "cas-v4", "cas-merged" };
	const struct policy *const *pl;
	const struct policy *p;
	int nr;

	pl = policy_list(&nr);
	ck_assert_int_ge(nr, 10);
	for (int i = 0; i < 10; i++)
		ck_assert_str_eq(pl[i]->name, names[i]);
	ck_assert_ptr_null(policy_find("cfs")->hooks);

	/* RFC: constants EPOCH_PERIOD / EPOCH_OLD, wakeups redirected, occupancy task_hot */
	p = policy_find("cas-rfc");
	ck_assert(def_of(p, "EPOCH_PERIOD") == 10e6);
	ck_assert(def_of(p, "EPOCH_OLD") == 5);
	ck_assert_str_eq(feat_of(p, "occupancy"), "mean");
	ck_assert_str_eq(feat_of(p, "pref_switch"), "best-with-floor");
	ck_assert_str_eq(feat_of(p, "wake_redirect"), "rfc");
	ck_assert_str_eq(feat_of(p, "migrate_filter"), "hot-occupancy");
	ck_assert_str_eq(feat_of(p, "llc_balance"), "off");
	ck_assert_ptr_null(param_find(p->params, p->nr_params, "SCHED_CACHE_LB"));
	p = policy_find("cas-rfc-v2");
	ck_assert(def_of(p, "SCHED_CACHE") == 1);
	ck_assert_str_eq(feat_of(p, "wake_redirect"), "rfc-v2");
	ck_assert_str_eq(feat_of(p, "migrate_filter"), "hot-leave-pref-valid-target");
	/* RFC v3/v4: llc_aggr_cap/imb, SCHED_CACHE_LB on, SCHED_CACHE_WAKE off */
	for (int i = 0; i < 2; i++) {
		p = policy_find(i ? "cas-rfc-v4" : "cas-rfc-v3");
		ck_assert(def_of(p, "llc_aggr_cap") == 50);
		ck_assert(def_of(p, "llc_aggr_imb") == 20);
		ck_assert(def_of(p, "SCHED_CACHE_LB") == 1);
		ck_assert(def_of(p, "SCHED_CACHE_WAKE") == 0);
		ck_assert_str_eq(feat_of(p, "pref_switch"), "2x");
		ck_assert_str_eq(feat_of(p, "llc_task_selection"), "order");
		ck_assert_str_eq(feat_of(p, "nr_balance_failed_escape"), "none");
	}
	ck_assert(def_of(p, "sched_cache_ignore_rss") == 1);
	ck_assert(def_of(p, "llc_period") == 10e6);
	ck_assert(def_of(p, "llc_old") == 5);
	ck_assert_str_eq(feat_of(p, "busy_div_smt"), "on");
	ck_assert_str_eq(feat_of(p, "mem_gate"), "rss");
	/* v1 .. v3: llc_* debugfs knobs */
	for (int i = 0; i < 3; i++) {
		p = policy_find(i == 0 ? "cas-v1" : i == 1 ? "cas-v2" : "cas-v3");
		ck_assert(def_of(p, "llc_overload_pct") == 50);
		ck_assert(def_of(p, "llc_imb_pct") == 20);
		ck_assert(def_of(p, "llc_aggr_tolerance") == 1);
		ck_assert(def_of(p, "llc_epoch_period") == 10e6);
		ck_assert(def_of(p, "llc_epoch_affinity_timeout") == 5);
		ck_assert_str_eq(feat_of(p, "thread_gate"), "strict-100");
		ck_assert_str_eq(feat_of(p, "wake_redirect"), "none");
		ck_assert_str_eq(feat_of(p, "single_thread_gate"), "on");
	}
	ck_assert_str_eq(feat_of(policy_find("cas-v1"), "scan_set"), "nodes-always");
	ck_assert_str_eq(feat_of(policy_find("cas-v1"), "busy_div_smt"), "on");
	ck_assert_str_eq(feat_of(policy_find("cas-v1"), "numa_wins"), "off");
	/* v1 17/19, 18/19: the scan does not stop on exceed_llc_nr(); merged does */
	ck_assert_str_eq(feat_of(policy_find("cas-rfc-v4"), "scan_thread_gate"), "off");
	ck_assert_str_eq(feat_of(policy_find("cas-v1"), "scan_thread_gate"), "off");
	ck_assert_str_eq(feat_of(policy_find("cas-v3"), "scan_thread_gate"), "on");
	ck_assert_str_eq(feat_of(policy_find("cas-merged"), "scan_thread_gate"), "on");
	ck_assert_str_eq(feat_of(policy_find("cas-v2"), "numa_wins"), "on");
	ck_assert_str_eq(feat_of(policy_find("cas-v2"), "scan_set"), "all");
	ck_assert_str_eq(feat_of(p, "nr_balance_failed_escape"), "llc-balance");
	ck_assert_str_eq(feat_of(p, "llc_task_selection"), "skip");
	ck_assert_str_eq(feat_of(p, "alb_break_llc"), "on");
	ck_assert(def_of(p, "enabled") == 1);
	/* the rules read in each revision's code (docs/policies.md): no static
	 * key before RFC v4; break_llc_locality() from RFC v3 (util 0 through
	 * _get_migrate_hint()) and v1 13/19 (util of src's current task);
	 * llc_balance() on env->src_cpu in RFC v3 .. v1; RFC v3's mig_allow
	 * without statistics */
	for (int i = 0; i < 3; i++)
		ck_assert_str_eq(feat_of(policy_find(names[1 + i]), "present_rule"), "always");
	ck_assert_str_eq(feat_of(policy_find("cas-rfc-v4"), "present_rule"), "all-nodes");
	ck_assert_str_eq(feat_of(policy_find("cas-v1"), "present_rule"), "some-node");
	ck_assert_str_eq(feat_of(policy_find("cas-v4"), "present_rule"), "some-node");
	ck_assert_str_eq(feat_of(policy_find("cas-merged"), "present_rule"), "multi-llc");
	ck_assert_str_eq(feat_of(policy_find("cas-rfc-v2"), "alb_break_llc"), "off");
	ck_assert_str_eq(feat_of(policy_find("cas-rfc-v3"), "alb_break_llc"), "on-util-0");
	ck_assert_str_eq(feat_of(policy_find("cas-rfc-v4"), "alb_break_llc"), "on-util-0");
	ck_assert_str_eq(feat_of(policy_find("cas-v1"), "alb_break_llc"), "on");
	ck_assert_str_eq(feat_of(policy_find("cas-rfc-v3"), "llc_balance_src"), "env-src-hint");
	ck_assert_str_eq(feat_of(policy_find("cas-rfc-v4"), "llc_balance_src"), "env-src-hint");
	ck_assert_str_eq(feat_of(policy_find("cas-v1"), "llc_balance_src"), "env-src");
	ck_assert_str_eq(feat_of(policy_find("cas-v2"), "llc_balance_src"), "group");
	ck_assert_str_eq(feat_of(policy_find("cas-merged"), "llc_balance_src"), "group");
	ck_assert_str_eq(feat_of(policy_find("cas-rfc-v3"), "no_stats"), "allow");
	ck_assert_str_eq(feat_of(policy_find("cas-rfc-v4"), "no_stats"), "unrestricted");
	ck_assert_str_eq(feat_of(policy_find("cas-merged"), "no_stats"), "unrestricted");
	/* v4 / merged: llc_balancing/ names */
	for (int i = 0; i < 2; i++) {
		p = policy_find(i ? "cas-merged" : "cas-v4");
		ck_assert(def_of(p, "overaggr_pct") == 50);
		ck_assert(def_of(p, "imb_pct") == 20);
		ck_assert(def_of(p, "aggr_tolerance") == 1);
		ck_assert(def_of(p, "epoch_period") == 10e6);
		ck_assert(def_of(p, "epoch_affinity_timeout") == 5);
		ck_assert(def_of(p, "enabled") == 1);
		ck_assert_ptr_null(param_find(p->params, p->nr_params, "llc_overload_pct"));
		ck_assert_str_eq(feat_of(p, "scan_set"), "nodes-with-numa");
		ck_assert_str_eq(feat_of(p, "nr_balance_failed_escape"), "llc-balance+filter");
		ck_assert_str_eq(feat_of(p, "llc_ids"), "bitmask");
		ck_assert_str_eq(feat_of(p, "nonsmt_busy_x1_5"), "on");
		ck_assert_str_eq(feat_of(p, "both_busy_check"), "after-adjust");
	}
	ck_assert_str_eq(feat_of(p, "thread_gate"), "fits-80");
	ck_assert_str_eq(feat_of(p, "mem_gate"), "numa-footprint");
	ck_assert_str_eq(feat_of(p, "scan_ratelimit"), "on");
	ck_assert_str_eq(feat_of(policy_find("cas-v4"), "mem_gate"), "rss");
	ck_assert_str_eq(feat_of(policy_find("cas-v4"), "scan_ratelimit"), "off");
	/* every revision: the switches are tunables too */
	for (int i = 1; i < 10; i++) {
		p = policy_find(names[i]);
		ck_assert_ptr_nonnull(cas_policy_rev(p));
		ck_assert_uint_eq(p->params_size, sizeof(struct cas_cfg));
		ck_assert_ptr_nonnull(param_find(p->params, p->nr_params, "switch_2x"));
		ck_assert_ptr_nonnull(param_find(p->params, p->nr_params, "migrate_filter"));
		ck_assert_ptr_nonnull(param_find(p->params, p->nr_params, "llc_force_balance"));
	}
}
END_TEST

/* Each revision row names its parent (an earlier row) and differs from it;
 * `cassim policies` lists those differences. */
START_TEST(test_revision_lineage)
{
	const struct policy *p;
	int seen_rows = 0;

	for (int r = 0; r < cas_nr_revs; r++) {
		const struct cas_rev *rev = &cas_revs[r];
		int parent = -1, n = 0;

		for (int q = 0; rev->parent && q < r; q++)
			if (!strcmp(cas_revs[q].name, rev->parent))
				parent = q;
		if (r == 0) {
			ck_assert_ptr_null(rev->parent);
			continue;
		}
		ck_assert_msg(parent >= 0, "%s: parent %s is not an earlier row", rev->name,
			      rev->parent ? rev->parent : "(none)");
		p = policy_find(rev->name);
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(p->parent, rev->parent);
		for (; p->changes && p->changes[n][0]; n++)
			;
		ck_assert_msg(n > 0, "%s: no change from %s", rev->name, rev->parent);
		seen_rows++;
	}
	ck_assert_int_eq(seen_rows, cas_nr_revs - 1);
	/* merged vs v4: exactly the four changes of CAS.md §2 (gates, rate limit, present rule) */
	p = policy_find("cas-merged");
	ck_assert_str_eq(p->changes[0][0], "mem_gate");
	ck_assert_str_eq(p->changes[0][1], "rss");
	ck_assert_str_eq(p->changes[0][2], "numa-footprint");
	ck_assert_str_eq(p->changes[1][0], "thread_gate");
	ck_assert_str_eq(p->changes[1][2], "fits-80");
	ck_assert_str_eq(p->changes[2][0], "scan_ratelimit");
	ck_assert_str_eq(p->changes[3][0], "present_rule");
	ck_assert_ptr_null(p->changes[4][0]);
	/* 7.2 fixes vs merged: the three fixes cassim can express (CAS-after-merge.md §4.1) */
	p = policy_find("cas-7.2-fixes");
	ck_assert_str_eq(p->parent, "cas-merged");
	ck_assert_str_eq(p->changes[0][0], "alb_victim");
	ck_assert_str_eq(p->changes[0][1], "tail");
	ck_assert_str_eq(p->changes[0][2], "llc-only");
	ck_assert_str_eq(p->changes[1][0], "llc_bytes_hotplug");
	ck_assert_str_eq(p->changes[1][1], "stale");
	ck_assert_str_eq(p->changes[1][2], "refreshed");
	ck_assert_str_eq(p->changes[2][0], "pref_llc_running");
	ck_assert_str_eq(p->changes[2][1], "queued");
	ck_assert_str_eq(p->changes[2][2], "runnable");
	ck_assert_ptr_null(p->changes[3][0]);
	/* a knob renamed: v1 calls overaggr_pct llc_overload_pct, rfc-v4 llc_aggr_cap */
	p = policy_find("cas-v1");
	for (int i = 0; p->changes[i][0]; i++)
		if (!strcmp(p->changes[i][1], "llc_aggr_cap")) {
			ck_assert_str_eq(p->changes[i][0], "knob");
			ck_assert_str_eq(p->changes[i][2], "llc_overload_pct");
			seen_rows = -1;
		}
	ck_assert_int_eq(seen_rows, -1);
}
END_TEST

/* The registry has no cap: 100 more policies register and are found. */
/* cas_verdict over a table of counters. */
struct counters {
	const char *const *names;
	const double *values;
	int n;
};

static double counter(void *ctx, const char *name)
{
	const struct counters *c = ctx;

	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->names[i], name))
			return c->values[i];
	return NAN;
}

static enum cas_verdict verdict_of(const double *v, char *buf, size_t len)
{
	static const char *const names[] = { "active", "present", "present_rule", "pref_switches",
					     "pref_llc_runtime_frac", "scans", "gate_trips_threads",
					     "gate_trips_memory", "llc_balance_migrations",
					     "llc_active_migrations", "nohz_kicks", "llc_filter_refusals" };
	struct counters c = { names, v, (int)(sizeof(names) / sizeof(names[0])) };

	return cas_verdict(counter, &c, buf, len);
}

START_TEST(test_verdict)
{
	char b[256];
	/* active present rule switches frac scans thr mem llcmig actmig kicks refusals */
	const double absent[] = { 0, 0, CAS_PRESENT_SOME_NODE, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	const double off[] = { 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	const double gated[] = { 1, 1, 0, 0, 0, 40, 3, 138, 0, 0, 5, 0 };
	const double noscan[] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	const double nokick[] = { 1, 1, 0, 2, 0.166, 29, 0, 0, 0, 0, 0, 0 };
	const double refused[] = { 1, 1, 0, 2, 0.30, 29, 0, 0, 0, 0, 12, 7 };
	const double half[] = { 1, 1, 0, 2, 0.45, 29, 0, 0, 4, 1, 12, 0 };
	const double partly[] = { 1, 1, 0, 2, 0.66, 29, 0, 0, 4, 1, 12, 0 };
	const double aggr[] = { 1, 1, 0, 2, 0.834, 29, 0, 0, 4, 1, 12, 0 };

	ck_assert_int_eq(cas_verdict(counter, &(struct counters){ 0 }, b, sizeof(b)), CAS_VERDICT_NONE);
	ck_assert_int_eq(verdict_of(absent, b, sizeof(b)), CAS_VERDICT_ABSENT);
	ck_assert_str_eq(b, "not present on this topology (present_rule=some-node: no NUMA node has more than one LLC)");
	ck_assert_int_eq(verdict_of(off, b, sizeof(b)), CAS_VERDICT_OFF);
	ck_assert_int_eq(verdict_of(gated, b, sizeof(b)), CAS_VERDICT_NO_PREF);
	ck_assert_str_eq(b, "present, no preference (gate: memory, 138 trips)");
	ck_assert_int_eq(verdict_of(noscan, b, sizeof(b)), CAS_VERDICT_NO_PREF);
	ck_assert_str_eq(b, "present, no preference (no occupancy scan ran)");
	ck_assert_int_eq(verdict_of(nokick, b, sizeof(b)), CAS_VERDICT_NOT_AGGREGATED);
	ck_assert_str_eq(b, "preferred LLC set, not aggregated (17 % of runtime in it; no balance pass reached it: "
			    "0 nohz kicks)");
	ck_assert_int_eq(verdict_of(refused, b, sizeof(b)), CAS_VERDICT_NOT_AGGREGATED);
	ck_assert_ptr_nonnull(strstr(b, "12 nohz kicks, 7 LLC-filter refusals"));
	ck_assert_int_eq(verdict_of(half, b, sizeof(b)), CAS_VERDICT_NOT_AGGREGATED);
	ck_assert_ptr_nonnull(strstr(b, "45 % of runtime in it after 5 LLC migrations"));
	ck_assert_int_eq(verdict_of(partly, b, sizeof(b)), CAS_VERDICT_PARTLY);
	ck_assert_str_eq(b, "partly aggregated: 66 % of runtime in the preferred LLC");
	ck_assert_int_eq(verdict_of(aggr, b, sizeof(b)), CAS_VERDICT_AGGREGATED);
	ck_assert_str_eq(b, "aggregated: 83 % of runtime in the preferred LLC");
	ck_assert_str_eq(cas_verdict_name(CAS_VERDICT_AGGREGATED), "aggregated");
	ck_assert_str_eq(cas_verdict_name(CAS_VERDICT_NONE), "none");
}
END_TEST

START_TEST(test_registry_no_cap)
{
	static char names[100][16];
	static struct policy pols[100];
	int before, after;

	policy_list(&before);
	for (int i = 0; i < 100; i++) {
		snprintf(names[i], sizeof(names[i]), "extra-%d", i);
		pols[i] = (struct policy){ .name = names[i], .description = "test" };
		ck_assert_int_eq(policy_register(&pols[i]), 0);
	}
	ck_assert_int_eq(policy_register(&pols[7]), -1); /* the name is taken */
	policy_list(&after);
	ck_assert_int_eq(after, before + 100);
	ck_assert_ptr_eq(policy_find("extra-99"), &pols[99]);
	ck_assert_ptr_nonnull(policy_find("cas-merged"));
}
END_TEST


/* ------------------------------------------------------ full simulations */

static struct task_action hog_next(void *ctx, struct task *t)
{
	(void)ctx;
	(void)t;
	return (struct task_action){ .kind = ACT_RUN, .ns = 100 * NSEC_PER_SEC };
}

struct rig {
	struct topo *t;
	struct sd_topology *sdt;
	struct eq *eq;
	struct sched *s;
	void *cfg;
	const struct policy *pol;
};

/* 16 CPUs: 1 package (node), 2 LLCs x 4 cores x SMT2. */
static void rig_new(struct rig *r, const char *policy, const char *set_name, double set_val)
{
	struct diag err;
	struct sched_params p;
	struct sched_ops ops = { .next = hog_next };

	memset(r, 0, sizeof(*r));
	r->t = topo_new_simple(1, 2, 4, 2);
	ck_assert_ptr_nonnull(r->t);
	ck_assert_int_eq(sd_build(r->t, &r->sdt, &err), 0);
	r->eq = eq_new(1024, NULL);
	sched_params_defaults(&p);
	r->pol = policy_find(policy);
	ck_assert_ptr_nonnull(r->pol);
	r->cfg = calloc(1, r->pol->params_size);
	param_defaults(r->pol->params, r->pol->nr_params, r->cfg);
	if (set_name) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%g", set_val);
		ck_assert_int_eq(param_set(param_find(r->pol->params, r->pol->nr_params, set_name), buf, r->cfg,
					   &err), 0);
	}
	r->s = sched_new(r->t, r->sdt, &p, r->eq, r->pol->hooks, r->cfg, ops);
	ck_assert_ptr_nonnull(r->s);
}

static void rig_free(struct rig *r)
{
	eq_free(r->eq);
	sched_free(r->s);
	free(r->cfg);
	sd_free(r->sdt);
	topo_free(r->t);
}

/* llc_counts[id] of every CPU == its queued tasks (incl. curr) preferring id. */
static void check_counts(struct rig *r)
{
	for (int c = 0; c < r->s->nr_cpus; c++)
		for (int id = 0; id < r->t->nr_llcs; id++) {
			int n = 0;
			for (struct task *p = r->s->rq[c].tasks_head; p; p = p->lb_next)
				n += cas_debug_task_pref(r->s->hook_state, p->id) == id;
			ck_assert_msg(cas_debug_llc_count(r->s->hook_state, c, id) == n,
				      "cpu %d llc %d: count %d, queued %d", c, id,
				      cas_debug_llc_count(r->s->hook_state, c, id), n);
		}
}

struct collected {
	double pref_switches, single, scans, active;
};

static void collect(void *ctx, const char *scope, const char *name, double v)
{
	struct collected *c = ctx;
	if (strcmp(scope, "total"))
		return;
	if (!strcmp(name, "pref_switches"))
		c->pref_switches = v;
	else if (!strcmp(name, "scans"))
		c->scans = v;
	else if (!strcmp(name, "active"))
		c->active = v;
}

/* Three CPU hogs of one process start on CPU 0: cfs spreads them over both
 * LLCs; cas-v3 keeps them all in one LLC (37.5 % of its capacity). */
static int hogs_llcs(const char *policy, const char *set_name, double set_val, bool check)
{
	struct rig r;
	int llc0 = 0, llc1 = 0;

	rig_new(&r, policy, set_name, set_val);
	for (int i = 0; i < 3; i++)
		sched_start_task(r.s, sched_create_task(r.s, 0, 0, NULL), 0, 0, 0);
	eq_run(r.eq, 2 * NSEC_PER_SEC);
	for (int i = 0; i < 3; i++) {
		if (r.t->cpu[r.s->tasks[i]->cpu].llc)
			llc1++;
		else
			llc0++;
	}
	if (check) {
		int pref = cas_debug_proc_pref_cpu(r.s->hook_state, 0);
		ck_assert_int_ge(pref, 0);
		for (int i = 0; i < 3; i++)
			ck_assert_int_eq(cas_debug_task_pref(r.s->hook_state, i),
					 cas_debug_llc_id(r.s->hook_state, pref));
		check_counts(&r);
	}
	rig_free(&r);
	return llc0 && llc1 ? 2 : 1;
}

START_TEST(test_sim_aggregates)
{
	ck_assert_int_eq(hogs_llcs("cfs", NULL, 0, false), 2);
	ck_assert_int_eq(hogs_llcs("cas-v3", NULL, 0, true), 1);
	ck_assert_int_eq(hogs_llcs("cas-merged", NULL, 0, true), 1);
	/* the master switch off: stock behaviour */
	ck_assert_int_eq(hogs_llcs("cas-v3", "enabled", 0, false), 2);
	/* aggr_tolerance 0: the gates always trip, no preference */
	ck_assert_int_eq(hogs_llcs("cas-merged", "aggr_tolerance", 0, false), 2);
}
END_TEST

/* Single-threaded processes never get a preference, and their scans never run. */
START_TEST(test_sim_single_thread)
{
	struct rig r;
	struct collected c = { 0 };

	rig_new(&r, "cas-v3", NULL, 0);
	for (int i = 0; i < 3; i++)
		sched_start_task(r.s, sched_create_task(r.s, i, 0, NULL), 0, 0, 0);
	for (int ms = 10; ms <= 500; ms += 10) {
		eq_run(r.eq, ms * NSEC_PER_MSEC);
		for (int i = 0; i < 3; i++) {
			ck_assert_int_eq(cas_debug_proc_pref_cpu(r.s->hook_state, i), -1);
			ck_assert_int_eq(cas_debug_task_pref(r.s->hook_state, i), -1);
		}
	}
	r.s->hooks->report(r.s, r.s->hook_state, collect, &c);
	ck_assert(c.active == 1);
	ck_assert(c.pref_switches == 0);
	ck_assert(c.scans == 0);
	rig_free(&r);
	/* without the gate (RFC v3) a single-threaded process does get one */
	rig_new(&r, "cas-rfc-v3", NULL, 0);
	sched_start_task(r.s, sched_create_task(r.s, 0, 0, NULL), 0, 0, 0);
	eq_run(r.eq, 100 * NSEC_PER_MSEC);
	ck_assert_int_ge(cas_debug_proc_pref_cpu(r.s->hook_state, 0), 0);
	rig_free(&r);
}
END_TEST

/* CPU offline/online through the scheduler: the v4 allocator frees LLC 1's
 * id when its last CPU goes and gives it back; static ids stay. */
START_TEST(test_sim_hotplug_ids)
{
	for (int v = 0; v < 2; v++) {
		struct rig r;
		const struct cpumask *l1;

		rig_new(&r, v ? "cas-v4" : "cas-v3", NULL, 0);
		l1 = &r.t->llc[1].cpus;
		for (int i = 0; i < 4; i++)
			sched_start_task(r.s, sched_create_task(r.s, 0, 0, NULL), 0, 0, 0);
		eq_run(r.eq, 300 * NSEC_PER_MSEC);
		check_counts(&r);
		for_each_cpu(c, l1)
			sched_cpu_hotplug(r.s, c, false);
		eq_run(r.eq, 400 * NSEC_PER_MSEC);
		for_each_cpu(c, l1)
			ck_assert_int_eq(cas_debug_llc_id(r.s->hook_state, c), v ? -1 : 1);
		ck_assert_int_eq(cas_debug_llc_id(r.s->hook_state, 0), 0);
		/* nothing runs on the offline LLC; tasks prefer LLC 0 or nothing */
		for (int i = 0; i < 4; i++) {
			ck_assert(!cpumask_test(l1, r.s->tasks[i]->cpu));
			ck_assert_int_le(cas_debug_task_pref(r.s->hook_state, i), v ? 0 : 1);
		}
		for_each_cpu(c, l1)
			sched_cpu_hotplug(r.s, c, true);
		eq_run(r.eq, 800 * NSEC_PER_MSEC);
		for_each_cpu(c, l1)
			ck_assert_int_eq(cas_debug_llc_id(r.s->hook_state, c), 1);
		rig_free(&r);
	}
}
END_TEST

/* 7.2 fix d6013e2465d9 (CAS-after-merge.md §2.1(b)): the stopper of an
 * active balance kicked by a migrate_llc_task balance from CPU 0 (LLC 0) to
 * the first CPU of LLC 1; a preference is 0 (src's LLC), 1 (dst's), -1.  CPU 0 queues t0 (preferring @pref0, the tail: enqueue adds at
 * the head, as list_add() onto cfs_tasks) and t1 (@pref1).
 * Returns the hook's choice: NULL (the stock tail task), a task, or
 * HOOK_NO_TASK. */
static struct task *alb_pick(const char *policy, const char *set_name, double set_val, int pref0, int pref1,
			     enum migration_type type)
{
	struct rig r;
	struct cpumask cpus;
	struct lb_env env = { .src_cpu = 0, .migration_type = type };
	struct task *p, *t[2];
	int id[2];

	rig_new(&r, policy, set_name, set_val);
	env.dst_cpu = r.t->llc[1].first_cpu;
	id[0] = cas_debug_llc_id(r.s->hook_state, 0);
	id[1] = cas_debug_llc_id(r.s->hook_state, env.dst_cpu);
	ck_assert_int_ne(id[0], id[1]);
	cpumask_clear(&cpus);
	cpumask_set(&cpus, 0);
	cpumask_set(&cpus, env.dst_cpu);
	for (int i = 0; i < 2; i++) {
		t[i] = sched_create_task(r.s, i, 0, &cpus);
		sched_start_task(r.s, t[i], 0, 0, 0);
	}
	ck_assert_ptr_eq(r.s->rq[0].tasks_tail, t[0]);
	cas_debug_set_task_pref(r.s->hook_state, 0, pref0 < 0 ? -1 : id[pref0]);
	cas_debug_set_task_pref(r.s->hook_state, 1, pref1 < 0 ? -1 : id[pref1]);
	check_counts(&r);
	env.src_rq = &r.s->rq[0];
	env.dst_rq = &r.s->rq[env.dst_cpu];
	r.s->hooks->active_start(r.s, r.s->hook_state, &env);
	p = r.s->hooks->active_pick(r.s, r.s->hook_state, 0, env.dst_cpu);
	/* a task as its index + 1, for comparison after the rig is gone */
	if (p && p != HOOK_NO_TASK)
		p = p == t[0] ? (struct task *)1 : (struct task *)2;
	rig_free(&r);
	return p;
}

START_TEST(test_alb_llc_only)
{
	struct task *const t1 = (struct task *)2;

	/* t0 (the tail) prefers src's LLC, t1 dst's: 7.2.0 pushes t0, the fix t1 */
	ck_assert_ptr_null(alb_pick("cas-merged", NULL, 0, 0, 1, migrate_llc_task));
	ck_assert_ptr_eq(alb_pick("cas-7.2-fixes", NULL, 0, 0, 1, migrate_llc_task), t1);
	ck_assert_ptr_eq(alb_pick("cas-merged", "alb_victim", CAS_ALB_LLC_ONLY, 0, 1, migrate_llc_task), t1);
	ck_assert_ptr_eq(alb_pick("cas-merged", "alb_victim", CAS_ALB_PREFER_DST, 0, 1, migrate_llc_task), t1);
	/* none prefers dst: the fix moves nothing; prefer-dst falls back to the tail */
	ck_assert_ptr_eq(alb_pick("cas-7.2-fixes", NULL, 0, 0, 0, migrate_llc_task), HOOK_NO_TASK);
	ck_assert_ptr_eq(alb_pick("cas-7.2-fixes", NULL, 0, -1, 0, migrate_llc_task), HOOK_NO_TASK);
	ck_assert_ptr_null(alb_pick("cas-merged", "alb_victim", CAS_ALB_PREFER_DST, 0, 0, migrate_llc_task));
	ck_assert_ptr_null(alb_pick("cas-merged", NULL, 0, 0, 0, migrate_llc_task));
	/* an active balance of another kind (no LBF_ACTIVE_LB_LLC): stock choice */
	ck_assert_ptr_null(alb_pick("cas-7.2-fixes", NULL, 0, 0, 0, migrate_task));
	ck_assert_ptr_null(alb_pick("cas-7.2-fixes", NULL, 0, 0, 1, migrate_load));
}
END_TEST

/* The same through the stopper (active_balance_event): CPU 0 runs one task
 * and queues the other, both pinned to CPU 0 until the stopper is kicked;
 * the queued one prefers @queued_pref (0 src's LLC, 1 dst's), the running
 * one src's.  Returns how many tasks the stopper moved to dst, and in
 * *@moved_pref the preference of the one it moved. */
static int alb_stopper(const char *policy, int queued_pref, int *moved_pref)
{
	struct rig r;
	struct cpumask cpus;
	struct lb_env env = { .src_cpu = 0, .migration_type = migrate_llc_task };
	int id[2], dst, n = 0;

	rig_new(&r, policy, NULL, 0);
	dst = env.dst_cpu = r.t->llc[1].first_cpu;
	id[0] = cas_debug_llc_id(r.s->hook_state, 0);
	id[1] = cas_debug_llc_id(r.s->hook_state, dst);
	cpumask_clear(&cpus);
	cpumask_set(&cpus, 0);
	for (int i = 0; i < 2; i++)
		sched_start_task(r.s, sched_create_task(r.s, i, 0, &cpus), 0, 0, 0);
	eq_run(r.eq, 5 * NSEC_PER_MSEC);
	ck_assert_ptr_nonnull(r.s->rq[0].curr);
	for (int i = 0; i < 2; i++) {
		struct task *t = r.s->tasks[i];
		cpumask_set(&t->affinity, dst);
		cas_debug_set_task_pref(r.s->hook_state, i, t == r.s->rq[0].curr ? id[0] : id[queued_pref]);
	}
	r.s->hooks->active_start(r.s, r.s->hook_state, &env);
	r.s->rq[0].push_cpu = dst;
	r.s->rq[0].active_balance = 1;
	active_balance_event(&r.s->rq[0].active_ev, r.s);
	for (int i = 0; i < 2; i++)
		if (r.s->tasks[i]->cpu == dst) {
			n++;
			*moved_pref = cas_debug_task_pref(r.s->hook_state, i) == id[1];
		}
	ck_assert_int_eq(r.s->rq[0].active_balance, 0);
	rig_free(&r);
	return n;
}

START_TEST(test_alb_stopper)
{
	int pref = -1;

	/* nothing prefers dst: 7.2.0 pushes one anyway, the fix none */
	ck_assert_int_eq(alb_stopper("cas-merged", 0, &pref), 1);
	ck_assert_int_eq(pref, 0);
	ck_assert_int_eq(alb_stopper("cas-7.2-fixes", 0, &pref), 0);
	/* the queued task prefers dst: the fix pushes that one */
	ck_assert_int_eq(alb_stopper("cas-7.2-fixes", 1, &pref), 1);
	ck_assert_int_eq(pref, 1);
}
END_TEST

/* Task 0 runs 30.3 ms of work, then waits for good; the others are hogs. */
static struct task_action sleeper_next(void *ctx, struct task *t)
{
	int *step = ctx;

	if (t->id == 0 && *step < 2)
		return (*step)++ == 0 ? (struct task_action){ .kind = ACT_RUN, .ns = 30300 * NSEC_PER_USEC }
				      : (struct task_action){ .kind = ACT_WAIT };
	return hog_next(NULL, t);
}

/* alb_break_llc() from CPU 0 to LLC 1 under @policy (@set_name = @val), once
 * CPU 0 queues a running task and a delayed-dequeue one, both pinned to
 * it and preferring its LLC. */
static bool alb_veto_with_delayed(const char *policy, const char *set_name, double val)
{
	struct rig r;
	struct cpumask cpu0;
	struct lb_env env = { .src_cpu = 0, .migration_type = migrate_llc_task };
	int step = 0;
	bool veto;

	rig_new(&r, policy, set_name, val);
	r.s->ops = (struct sched_ops){ .next = sleeper_next, .ctx = &step };
	env.dst_cpu = r.t->llc[1].first_cpu;
	env.dst_rq = &r.s->rq[env.dst_cpu];
	env.src_rq = &r.s->rq[0];
	cpumask_clear(&cpu0);
	cpumask_set(&cpu0, 0);
	for (int i = 0; i < 2; i++)
		sched_start_task(r.s, sched_create_task(r.s, 0, 0, &cpu0), 0, 0, 0);
	for (simtime_t now = 0; now < NSEC_PER_SEC && !r.s->tasks[0]->se.sched_delayed; now += 10 * NSEC_PER_USEC)
		eq_run(r.eq, now);
	ck_assert_int_eq(r.s->tasks[0]->se.sched_delayed, 1);
	ck_assert_ptr_eq(r.s->rq[0].curr, r.s->tasks[1]);
	ck_assert_int_eq(r.s->rq[0].nr_running, 2);
	ck_assert_int_eq(r.s->rq[0].h_nr_runnable, 1);
	for (int i = 0; i < 2; i++)
		cas_debug_set_task_pref(r.s->hook_state, i, cas_debug_llc_id(r.s->hook_state, 0));
	veto = r.s->hooks->active_balance_veto(r.s, r.s->hook_state, &env);
	rig_free(&r);
	return veto;
}

/*
 * 7.2 fix 0d6526f82c3c (CAS-after-merge.md §2.1(a), §4.1): alb_break_llc()
 * compares nr_pref_llc_running with h_nr_runnable.  With a running and a
 * delayed task on src, both preferring src's LLC, 7.2.0 counts 2 against
 * 1: no veto, an active balance may pull the runnable task off its
 * preferred LLC.  The fix counts 1 and goes on to can_migrate_llc(), which
 * forbids leaving the preferred LLC (one busy CPU of 8) for an idle one.
 */
START_TEST(test_pref_llc_runnable)
{
	ck_assert(!alb_veto_with_delayed("cas-merged", NULL, 0));
	ck_assert(alb_veto_with_delayed("cas-7.2-fixes", NULL, 0));
	/* the fix alone, on the merged revision, and undone on the fixes */
	ck_assert(alb_veto_with_delayed("cas-merged", "pref_llc_running", 1));
	ck_assert(!alb_veto_with_delayed("cas-7.2-fixes", "pref_llc_running", 0));
}
END_TEST

/* 7.2 fix 3cb0243767fd (CAS-after-merge.md §2.1(f), §4.1): LLC 1 (32 MiB,
 * 8 CPUs a..h) loses a then b and gets b back. */
START_TEST(test_llc_bytes_hotplug)
{
	static const uint64_t stale[] = { 29360128 /* 32 MiB x 7/8 */, 28760941 /* x 6/7, floor */,
					  33554432 /* x 7/7 */ };
	const uint64_t mib32 = 33554432;

	for (int v = 0; v < 2; v++) {
		struct rig r;
		int c[3], n = 0;

		rig_new(&r, v ? "cas-7.2-fixes" : "cas-merged", NULL, 0);
		for_each_cpu(i, &r.t->llc[1].cpus)
			if (n < 3)
				c[n++] = i;
		ck_assert_int_eq(r.t->llc[1].nr_cpus, 8);
		ck_assert_uint_eq(cas_debug_llc_bytes(r.s->hook_state, c[0]), mib32);
		sched_cpu_hotplug(r.s, c[0], false);
		ck_assert_uint_eq(cas_debug_llc_bytes(r.s->hook_state, c[1]), v ? mib32 : stale[0]);
		sched_cpu_hotplug(r.s, c[1], false);
		ck_assert_uint_eq(cas_debug_llc_bytes(r.s->hook_state, c[2]), v ? mib32 : stale[1]);
		sched_cpu_hotplug(r.s, c[1], true);
		ck_assert_uint_eq(cas_debug_llc_bytes(r.s->hook_state, c[1]), v ? mib32 : stale[2]);
		/* the other LLC is untouched */
		ck_assert_uint_eq(cas_debug_llc_bytes(r.s->hook_state, 0), mib32);
		rig_free(&r);
	}
}
END_TEST

/* The scan's nr_running sample feeds the EWMA: 3 hogs on an 8-CPU LLC
 * (d = 2) settle at 2 or 3 (truncation), never above. */
START_TEST(test_sim_nr_running_avg)
{
	struct rig r;
	int64_t a;

	rig_new(&r, "cas-merged", NULL, 0);
	for (int i = 0; i < 3; i++)
		sched_start_task(r.s, sched_create_task(r.s, 0, 0, NULL), 0, 0, 0);
	eq_run(r.eq, 500 * NSEC_PER_MSEC);
	a = cas_debug_nr_running_avg(r.s->hook_state, 0);
	ck_assert_int_ge(a, 2);
	ck_assert_int_le(a, 3);
	rig_free(&r);
}
END_TEST

/*
 * RFC v4 and v1's task_cache_work() does not stop on the thread gate (v1
 * 17/19, 18/19: "Do not check exceed_llc_nr() because the active number of
 * threads needs to been updated anyway"): 16 hogs on the 16 CPUs keep
 * sampling 16, so update_avg() (diff / 8, truncating) climbs by 1 or 2 to
 * the fixed point 9 (7 / 8 = 0), although exceed_llc_nr() (avg x 2 > 8)
 * trips from 5 on.  A scan that stops on the gate (the merged
 * task_cache_work() on invalid_llc_nr(), and v1 with scan_thread_gate=1,
 * the model before) freezes the average at the first value that trips:
 * >= 5 (strict) or >= 4 (merged: avg x 2 x 1280 >= 8 x 1024), unchanged
 * from 200 to 500 ms.  Either way the next account_mm_sched() clears the
 * preference a scan sets, so no task keeps one.
 */
START_TEST(test_sim_scan_thread_gate)
{
	static const struct {
		const char *policy, *set;
		int64_t min, max; /* nr_running_avg at 200 ms */
		bool frozen;
	} cases[] = { { "cas-v1", NULL, 9, 9, false }, { "cas-rfc-v4", NULL, 9, 9, false },
		      { "cas-v1", "scan_thread_gate", 5, 6, true }, { "cas-merged", NULL, 4, 8, true } };

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct rig r;
		int64_t a;

		rig_new(&r, cases[k].policy, cases[k].set, 1);
		for (int i = 0; i < 16; i++)
			sched_start_task(r.s, sched_create_task(r.s, 0, 0, NULL), 0, 0, 0);
		eq_run(r.eq, 200 * NSEC_PER_MSEC);
		a = cas_debug_nr_running_avg(r.s->hook_state, 0);
		ck_assert_msg(a >= cases[k].min && a <= cases[k].max, "%s %s: nr_running_avg %lld", cases[k].policy,
			      cases[k].set ? cases[k].set : "", (long long)a);
		eq_run(r.eq, 500 * NSEC_PER_MSEC);
		if (cases[k].frozen)
			ck_assert_int_eq(cas_debug_nr_running_avg(r.s->hook_state, 0), a);
		else
			ck_assert_int_eq(cas_debug_nr_running_avg(r.s->hook_state, 0), 9);
		for (int i = 0; i < 16; i++)
			ck_assert_int_eq(cas_debug_task_pref(r.s->hook_state, i), -1);
		check_counts(&r);
		rig_free(&r);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cas");
	TCase *rules = tcase_create("rules"), *sim = tcase_create("simulation");
	SRunner *sr;
	int nf;

	tcase_add_test(rules, test_matrix_patch_comment);
	tcase_add_test(rules, test_matrix_ratio_smt);
	tcase_add_test(rules, test_matrix_nonsmt_75);
	tcase_add_test(rules, test_matrix_smt_div);
	tcase_add_test(rules, test_busy_check_order);
	tcase_add_test(rules, test_no_stats_unrestricted);
	tcase_add_test(rules, test_valid_target);
	tcase_add_test(rules, test_tolerance_scale);
	tcase_add_test(rules, test_thread_gate);
	tcase_add_test(rules, test_mem_gate);
	tcase_add_test(rules, test_ewma);
	tcase_add_test(rules, test_switch_rule);
	tcase_add_test(rules, test_scan_set);
	tcase_add_test(rules, test_llc_ids);
	tcase_add_test(rules, test_revision_defaults);
	tcase_add_test(rules, test_revision_lineage);
	tcase_add_test(rules, test_registry_no_cap);
	tcase_add_test(rules, test_verdict);
	suite_add_tcase(s, rules);
	tcase_set_timeout(sim, 60);
	tcase_add_test(sim, test_sim_aggregates);
	tcase_add_test(sim, test_sim_single_thread);
	tcase_add_test(sim, test_sim_hotplug_ids);
	tcase_add_test(sim, test_sim_nr_running_avg);
	tcase_add_test(sim, test_sim_scan_thread_gate);
	tcase_add_test(sim, test_alb_llc_only);
	tcase_add_test(sim, test_alb_stopper);
	tcase_add_test(sim, test_llc_bytes_hotplug);
	tcase_add_test(sim, test_pref_llc_runnable);
	suite_add_tcase(s, sim);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
