/*
 * The stock wakeup fast path (sched/wakeup.c) against kernel/sched/fair.c
 * of Linux v6.15, one table per function: record_wakee() / wake_wide(),
 * wake_affine_idle(), wake_affine_weight() with the sync rule,
 * wake_affine(), select_idle_core(), select_idle_sibling() (with
 * recent_used_cpu, select_idle_smt() and select_idle_cpu() under
 * SIS_UTIL), and select_task_rq_fair() end to end.  Every expected value
 * is worked out by hand from the fair.c function named in the table's
 * comment.
 *
 * Fixture (tests/unit/harness.h) T16: 1 package, 2 LLCs x 4 cores x SMT2.
 * LLC0 = 0-3,8-11, LLC1 = 4-7,12-15; the SMT sibling of CPU c < 8 is
 * c + 8.  Domains of CPU 0: SMT {0,8} (imbalance_pct 110), MC = LLC0
 * (117), PKG (117).  A "busy" CPU runs one task (nr_running 1) unless a
 * row says otherwise.
 */
#include "harness.h"

#include "sched/wakeup.h"

static void t16(struct hrig *r, const struct sched_params *p)
{
	hrig_new(r, 1, 2, 4, 2, p);
}

/* ------------------------------------------- record_wakee(), wake_wide() */

/*
 * fair.c v6.15 wake_wide(): with factor = the waker's LLC size, a wakeup
 * is "wide" (no affine pull) when the smaller of the two wakee_flips
 * counts is at least factor and the larger at least factor times it.
 */
static const struct wide_case {
	const char *why;
	int llcs, cores, smt; /* one package */
	unsigned waker_flips, wakee_flips;
	bool no_waker;
	int want;
} wide_cases[] = {
	{ "no waker (a timer)", 2, 4, 2, 0, 0, true, 0 },
	{ "1:1 pair", 2, 4, 2, 1, 1, false, 0 },
	{ "slave below the LLC size (8)", 2, 4, 2, 100, 7, false, 0 },
	{ "master below slave * 8", 2, 4, 2, 63, 8, false, 0 },
	{ "master == slave * 8: wide", 2, 4, 2, 64, 8, false, 1 },
	{ "the wakee is the master: wide", 2, 4, 2, 8, 64, false, 1 },
	/* LLC of 4 CPUs: 16 >= 4 * 4 */
	{ "4-CPU LLC, 16 vs 4: wide", 2, 4, 1, 16, 4, false, 1 },
	{ "4-CPU LLC, 15 vs 4", 2, 4, 1, 15, 4, false, 0 },
};

START_TEST(test_wake_wide)
{
	const struct wide_case *c = &wide_cases[_i];
	struct hrig r;
	struct task *waker, *wakee;

	hrig_new(&r, 1, c->llcs, c->cores, c->smt, NULL);
	waker = hrig_task(&r, 0, 1024, 512);
	wakee = hrig_task(&r, 1, 1024, 512);
	waker->wakee_flips = c->waker_flips;
	wakee->wakee_flips = c->wakee_flips;
	ck_assert_msg(wake_wide(r.s, c->no_waker ? NULL : waker, wakee, 0) == c->want, "%s", c->why);
	hrig_free(&r);
}
END_TEST

/*
 * fair.c v6.15 record_wakee(): a new wakee counts one flip, the same one
 * again nothing; once a jiffy more than HZ after the last decay, the count
 * is halved first (a single time).
 */
START_TEST(test_record_wakee)
{
	struct hrig r;
	struct task *w, *a, *b;

	t16(&r, NULL);
	w = hrig_task(&r, 0, 1024, 512);
	a = hrig_task(&r, 1, 1024, 512);
	b = hrig_task(&r, 2, 1024, 512);
	record_wakee(r.s, w, a);
	ck_assert_uint_eq(w->wakee_flips, 1);
	ck_assert_ptr_eq(w->last_wakee, a);
	record_wakee(r.s, w, a);
	ck_assert_uint_eq(w->wakee_flips, 1);
	record_wakee(r.s, w, b);
	ck_assert_uint_eq(w->wakee_flips, 2);
	record_wakee(r.s, NULL, b); /* no waker: nothing to record */
	/* 1.5 s later (jiffy 1500 > 0 + HZ): 9 >> 1 = 4, then a new wakee: 5 */
	w->wakee_flips = 9;
	eq_run(r.eq, 1500 * NSEC_PER_MSEC);
	record_wakee(r.s, w, a);
	ck_assert_uint_eq(w->wakee_flips, 5);
	ck_assert_uint_eq(w->wakee_flip_decay_ts, 1500);
	/* within HZ of that decay: no halving */
	record_wakee(r.s, w, b);
	ck_assert_uint_eq(w->wakee_flips, 6);
	hrig_free(&r);
}
END_TEST

/* ---------------------------------------------------- wake_affine_idle() */

/*
 * fair.c v6.15 wake_affine_idle(): an idle this_cpu (an interrupt-context
 * wakeup) pulls only within the cache it shares with prev, and then
 * prefers an idle prev; a sync wakeup from a CPU running only the waker
 * pulls; an idle prev keeps the wakee; else no opinion (nr_cpumask_bits,
 * NO_CPU here).
 */
static const struct wa_idle_case {
	const char *why;
	const char *busy, *busy2; /* CPUs running 1, 2 tasks */
	int this_cpu, prev;
	int sync;
	int want;
} wa_idle_cases[] = {
	{ "both idle, shared LLC: stay on prev", "", "", 0, 1, 0, 1 },
	{ "this idle, prev busy, shared LLC: pull", "1", "", 0, 1, 0, 0 },
	{ "this idle, prev idle in another LLC: prev", "", "", 0, 4, 0, 4 },
	{ "this idle, prev busy in another LLC: no opinion", "4", "", 0, 4, 0, NO_CPU },
	{ "sync from an idle CPU in another LLC: no opinion", "4", "", 0, 4, 1, NO_CPU },
	{ "sync, waker alone on this_cpu: pull", "0,4", "", 0, 4, 1, 0 },
	{ "sync, this_cpu runs two: no opinion", "4", "0", 0, 4, 1, NO_CPU },
	{ "no sync, prev idle: prev", "0", "", 0, 1, 0, 1 },
	{ "sync beats an idle prev", "0", "", 0, 1, 1, 0 },
	/* aa3ee4f0b754 (v6.16, 6.15.3): nr_running - cfs_h_nr_delayed() == 1; this_cpu's
	 * second task is a delayed-dequeue one (set below) */
	{ "sync, the waker and a delayed task: pull", "4", "0", 0, 4, 1, 0 },
};

static void set_busy(struct hrig *r, const char *busy, const char *busy2)
{
	if (*busy)
		hrig_cpus(r, busy, 1, 1024, 1024, 1024);
	if (*busy2)
		hrig_cpus(r, busy2, 2, 2048, 1024, 2048);
}

START_TEST(test_wake_affine_idle)
{
	const struct wa_idle_case *c = &wa_idle_cases[_i];
	struct hrig r;
	int got;

	t16(&r, NULL);
	set_busy(&r, c->busy, c->busy2);
	if (strstr(c->why, "delayed")) {
		r.s->rq[0].h_nr_runnable = 1;
		/* counted as before v6.15 (wa_sync_delayed=0): no opinion */
		r.s->p.wa_sync_delayed = false;
		ck_assert_int_eq(wake_affine_idle(r.s, c->this_cpu, c->prev, c->sync), NO_CPU);
		r.s->p.wa_sync_delayed = true;
	}
	got = wake_affine_idle(r.s, c->this_cpu, c->prev, c->sync);
	ck_assert_msg(got == c->want, "%s: %d, want %d", c->why, got, c->want);
	hrig_free(&r);
}
END_TEST

/* --------------------------------------------- find_idlest_group_cpu() */

/* CPU @cpu idles from @stamp in the state the governor picks for a timer
 * @sleep_ns away (harness profile + a deep state: POLL, idle1 2/4 us,
 * idle3 100/600 us), or in none when @sleep_ns < 0. */
static void idle_in(struct hrig *r, struct perf *pf, int cpu, simtime_t stamp, simtime_t sleep_ns)
{
	r->s->rq[cpu].idle_stamp = stamp;
	if (sleep_ns < 0)
		return;
	perf_idle_enter(pf, cpu, 0, sleep_ns, MIN(sleep_ns, 1000000), false, 1000000);
	r->s->rq[cpu].in_cstate = true;
}

/* fair.c v6.15 sched_balance_find_dst_group_cpu(): the smallest
 * exit_latency wins, then the latest idle_stamp among equals; a CPU in no
 * state (idle_get_state() NULL) competes on idle_stamp alone. */
START_TEST(test_find_idlest_group_cpu)
{
	struct sd_group_tmpl g = { .span = hrig_mask("0-3"), .weight = 4, .first_cpu = 0, .last_cpu = 3 };
	struct machine_profile prof;
	struct perf *pf;
	struct task *p;
	struct hrig r;

	t16(&r, NULL);
	harness_profile(&prof);
	prof.v[MP_idle3_exit_ns] = 100000;
	prof.v[MP_idle3_target_ns] = 600000;
	pf = perf_new(r.t, &prof, 1, 0, NULL, NULL);
	ck_assert_ptr_nonnull(pf);
	sched_set_perf(r.s, pf);
	p = hrig_task(&r, 8, 512, 256);
	idle_in(&r, pf, 0, 50, 1000000000); /* deep, the latest idle */
	idle_in(&r, pf, 1, 10, 300000);     /* idle1 */
	idle_in(&r, pf, 2, 30, 300000);     /* idle1, later than CPU 1 */
	idle_in(&r, pf, 3, 20, -1);         /* no state, earlier than CPU 2 */
	/* the model before v6.15's rule took the latest idle: CPU 0 */
	ck_assert_int_eq(find_idlest_group_cpu(r.s, &g, p, 8), 2);
	/* CPU 3 idle later than CPU 2: it replaces it (equal or no state) */
	r.s->rq[3].idle_stamp = 40;
	ck_assert_int_eq(find_idlest_group_cpu(r.s, &g, p, 8), 3);
	/* all busy: the least loaded */
	hrig_cpus(&r, "0-3", 1, 1024, 1024, 1024);
	r.s->rq[1].avg.load_avg = 300;
	ck_assert_int_eq(find_idlest_group_cpu(r.s, &g, p, 8), 1);
	sched_set_perf(r.s, NULL);
	perf_free(pf);
	hrig_free(&r);
}
END_TEST

/* -------------------------------------------------- wake_affine_weight() */

/*
 * fair.c v6.15 wake_affine_weight(), equal capacities:
 *   this = (load(this) [- waker's load, sync] + p) * 100 [WA_BIAS]
 *   prev = (load(prev) - p) * (100 + (imbalance_pct - 100) / 2) [WA_BIAS]
 *   sync: prev += 1 (a tie stacks the wakee on the waker's CPU)
 * this_cpu when this < prev; a sync waker heavier than its CPU's load
 * pulls at once.  Bias: 108 at PKG/MC (pct 117), 105 at SMT (pct 110);
 * both sides are also scaled by 1024 (capacity), which leaves the
 * comparison alone except for the +1.
 */
static const struct wa_weight_case {
	const char *why;
	const char *level;
	unsigned long this_load, prev_load, p_load;
	long waker_load; /* -1: no waker */
	int sync, bias;
	int want;        /* 0 (this_cpu) or NO_CPU */
} wa_weight_cases[] = {
	/* (1024+512)*100 = 153600 < (2048-512)*108 = 165888 */
	{ "prev heavier", "PKG", 1024, 2048, 512, -1, 0, 1, 0 },
	/* 153600 vs (1536-512)*108 = 110592 */
	{ "prev lighter", "PKG", 1024, 1536, 512, -1, 0, 1, NO_CPU },
	/* no bias: 1536 vs 1536, not strictly lower */
	{ "WA_BIAS off, equal", "PKG", 1024, 2048, 512, -1, 0, 0, NO_CPU },
	/* (1132-1024+0)*100 = 10800 == (100-0)*108 = 10800; sync +1 breaks the tie */
	{ "sync: a tie goes to this_cpu", "PKG", 1132, 100, 0, 1024, 1, 1, 0 },
	/* same loads, no sync: 1132*100 > 10800 */
	{ "same loads without sync", "PKG", 1132, 100, 0, 1024, 0, 1, NO_CPU },
	{ "sync waker heavier than its CPU: pull", "PKG", 512, 0, 512, 1024, 1, 1, 0 },
	/* (1000+60)*100 = 106000 < (1060-60)*108 = 108000 */
	{ "bias 108 at PKG", "PKG", 1000, 1060, 60, -1, 0, 1, 0 },
	/* 106000 vs 1000*105 = 105000 */
	{ "bias 105 at SMT", "SMT", 1000, 1060, 60, -1, 0, 1, NO_CPU },
	/* prev goes negative: (100-512)*108 < 0 < this */
	{ "wakee heavier than prev's load", "PKG", 0, 100, 512, -1, 0, 1, NO_CPU },
};

START_TEST(test_wake_affine_weight)
{
	const struct wa_weight_case *c = &wa_weight_cases[_i];
	struct sched_params p;
	struct hrig r;
	struct task *wakee, *waker = NULL;
	int prev, got;

	sched_params_defaults(&p);
	p.wa_bias = c->bias;
	t16(&r, &p);
	prev = strcmp(c->level, "SMT") ? 4 : 8;
	hrig_cpus(&r, "0", 1, c->this_load, 512, c->this_load);
	r.s->rq[prev].avg.load_avg = c->prev_load;
	wakee = hrig_task(&r, prev, c->p_load, 256);
	if (c->waker_load >= 0)
		waker = hrig_task(&r, 0, (unsigned long)c->waker_load, 512);
	got = wake_affine_weight(r.s, hrig_sd(&r, 0, c->level)->t, wakee, waker, 0, prev, c->sync);
	ck_assert_msg(got == c->want, "%s: %d, want %d", c->why, got, c->want);
	hrig_free(&r);
}
END_TEST

/* --------------------------------------------------------- wake_affine() */

/*
 * fair.c v6.15 wake_affine(): WA_IDLE's answer, else WA_WEIGHT's; the
 * wakee goes to this_cpu only when that answer is this_cpu, else it stays
 * on prev.  this_cpu 0 (load 1024), prev 4 in LLC1, wakee load 512,
 * domain PKG.
 */
static const struct wa_case {
	const char *why;
	bool wa_idle, wa_weight;
	bool this_idle, prev_idle;
	unsigned long this_load, prev_load;
	int want;
} wa_cases[] = {
	{ "prev idle (WA_IDLE): stay", true, true, false, true, 1024, 0, 4 },
	/* WA_IDLE: no opinion; WA_WEIGHT: 153600 < (2048-512)*108 */
	{ "both busy, prev heavier: pull", true, true, false, false, 1024, 2048, 0 },
	{ "both busy, prev heavier, WA_WEIGHT off: stay", true, false, false, false, 1024, 2048, 4 },
	{ "both busy, prev lighter: stay", true, true, false, false, 2048, 1024, 4 },
	/* WA_IDLE off: prev being idle does not matter, the weights do */
	{ "WA_IDLE off, idle prev with blocked load: weights pull", false, true, false, true, 1024, 2048, 0 },
};

START_TEST(test_wake_affine)
{
	const struct wa_case *c = &wa_cases[_i];
	struct sched_params p;
	struct hrig r;
	struct task *wakee;
	int got;

	sched_params_defaults(&p);
	p.wa_idle = c->wa_idle;
	p.wa_weight = c->wa_weight;
	t16(&r, &p);
	if (!c->this_idle)
		hrig_cpus(&r, "0", 1, c->this_load, 1024, c->this_load);
	if (!c->prev_idle)
		hrig_cpus(&r, "4", 1, c->prev_load, 1024, c->prev_load);
	else
		r.s->rq[4].avg.load_avg = c->prev_load; /* blocked load of an idle CPU */
	wakee = hrig_task(&r, 4, 512, 256);
	got = wake_affine(r.s, hrig_sd(&r, 0, "PKG")->t, wakee, NULL, 0, 4, 0);
	ck_assert_msg(got == c->want, "%s: %d, want %d", c->why, got, c->want);
	hrig_free(&r);
}
END_TEST

/* ---------------------------------------------------- select_idle_core() */

/*
 * fair.c v6.15 select_idle_core(): the core (its SMT mask) of @core is
 * returned when every sibling is idle; otherwise its siblings leave
 * @cpus, and the first idle sibling still in @cpus is remembered in
 * *idle if nothing was remembered yet (a busy sibling then ends the walk).
 */
static const struct core_case {
	const char *why;
	const char *busy, *cpus;
	int core, idle_in;
	int want, want_idle;
	const char *want_cpus;
} core_cases[] = {
	{ "whole core idle", "", "0-3,8-11", 2, -1, 2, 2, "0-3,8-11" },
	{ "sibling busy: remember the idle one", "10", "0-3,8-11", 2, -1, -1, 2, "0-1,3,8-9,11" },
	{ "first busy, second idle", "2", "0-3,8-11", 2, -1, -1, 10, "0-1,3,8-9,11" },
	{ "the idle sibling is not a candidate", "2", "0-3,8-9,11", 2, -1, -1, -1, "0-1,3,8-9,11" },
	{ "an idle CPU is already known: kept", "2", "0-3,8-11", 2, 5, -1, 5, "0-1,3,8-9,11" },
	{ "whole core idle, known idle CPU kept", "", "0-3,8-11", 2, 5, 2, 5, "0-3,8-11" },
};

START_TEST(test_select_idle_core)
{
	const struct core_case *c = &core_cases[_i];
	struct hrig r;
	struct cpumask cpus, want_cpus;
	int idle = c->idle_in, got;

	t16(&r, NULL);
	set_busy(&r, c->busy, "");
	cpus = hrig_mask(c->cpus);
	want_cpus = hrig_mask(c->want_cpus);
	got = select_idle_core(r.s, c->core, &cpus, &idle);
	ck_assert_msg(got == c->want, "%s: %d, want %d", c->why, got, c->want);
	ck_assert_msg(idle == c->want_idle, "%s: idle %d, want %d", c->why, idle, c->want_idle);
	ck_assert_msg(cpumask_equal(&cpus, &want_cpus), "%s: candidate CPUs changed wrongly", c->why);
	hrig_free(&r);
}
END_TEST

/* ------------------------------------------------- select_idle_sibling() */

/*
 * fair.c v6.15 select_idle_sibling() (no asymmetric capacity, no
 * clusters), in order: an idle target; an idle prev sharing the target's
 * LLC; an idle, allowed recent_used_cpu in the target's LLC (other than
 * prev and target; p->recent_used_cpu becomes prev either way); with SMT
 * and no idle core known, an idle allowed SMT sibling of a cache-affine
 * prev (select_idle_smt()); then select_idle_cpu() over the target's LLC
 * and p's CPUs, wrapping from target + 1: with an idle core known, the
 * first whole idle core, else the first idle CPU met on the way (and the
 * LLC is marked as having no idle core); without, at most nr_idle_scan
 * CPUs (SIS_UTIL: "if (--nr <= 0) fail", nr = nr_idle_scan + 1, 1 fails at
 * once); finally the target itself.
 */
static const struct sis_case {
	const char *why;
	const char *busy;
	const char *affinity; /* NULL: every CPU */
	int target, prev, recent;
	int has_idle_cores, nr_idle_scan;
	int want;
	int want_recent;     /* p->recent_used_cpu afterwards */
	int want_idle_cores; /* LLC0's flag afterwards; -1: not checked */
} sis_cases[] = {
	{ "idle target", "", NULL, 0, 0, -1, 1, 8, 0, -1, -1 },
	{ "idle cache-affine prev", "0", NULL, 0, 1, -1, 1, 8, 1, -1, -1 },
	/* prev in LLC1 is not considered; idle-core scan from 1: {1,9} idle */
	{ "prev in another LLC: scan the target's", "0", NULL, 0, 4, -1, 1, 8, 1, 4, -1 },
	{ "recent_used_cpu idle in the LLC", "0,1", NULL, 0, 1, 2, 0, 8, 2, 1, -1 },
	/* recent 2 not allowed; no idle core known: prev 1's sibling 9 */
	{ "recent_used_cpu not allowed: prev's SMT sibling", "0,1", "0-1,3-15", 0, 1, 2, 0, 8, 9, 1, -1 },
	{ "recent_used_cpu in another LLC: prev's SMT sibling", "0,1", NULL, 0, 1, 5, 0, 8, 9, 1, -1 },
	/* idle core known: the SMT shortcut is skipped; scan 1 ({1,9} busy), 2 ({2,10} idle) */
	{ "idle core known: first whole idle core", "0-1,8-9", NULL, 0, 1, -1, 1, 8, 2, 1, 1 },
	/* scan finds no idle core but passes idle 9 first: 9, and no idle core any more */
	{ "no idle core after all: first idle CPU", "0-3,8,10-11", NULL, 0, 0, -1, 1, 8, 9, 0, 0 },
	/* nr = 2 + 1: CPU 1 (nr 2), 2 (nr 1), 3 (nr 0: fail) although 3 is idle */
	{ "SIS_UTIL depth 2 stops before the idle CPU", "0-2,8", NULL, 0, 0, -1, 0, 2, 0, 0, -1 },
	{ "SIS_UTIL depth 3 reaches it", "0-2,8", NULL, 0, 0, -1, 0, 3, 3, 0, -1 },
	{ "SIS_UTIL depth 0: no scan at all", "0,8", NULL, 0, 0, -1, 0, 0, 0, 0, -1 },
	{ "LLC all busy: target", "0-3,8-11", NULL, 0, 0, -1, 0, 8, 0, 0, -1 },
	/* scan limited to LLC0 & {0,5} = {0}; the sibling 8 is idle but not allowed */
	{ "affinity outside the target's LLC: target", "0", "0,5", 0, 0, -1, 0, 8, 0, 0, -1 },
};

START_TEST(test_select_idle_sibling)
{
	const struct sis_case *c = &sis_cases[_i];
	struct hrig r;
	struct task *p;
	struct sd_shared *llc0;
	int got;

	t16(&r, NULL);
	set_busy(&r, c->busy, "");
	llc0 = &r.s->llc_shared[0];
	llc0->has_idle_cores = c->has_idle_cores;
	llc0->nr_idle_scan = c->nr_idle_scan;
	p = hrig_task(&r, c->prev, 1024, 512);
	p->recent_used_cpu = c->recent;
	if (c->affinity) {
		p->affinity = hrig_mask(c->affinity);
		p->has_affinity = true;
		p->nr_cpus_allowed = cpumask_weight(&p->affinity);
	}
	got = select_idle_sibling(r.s, p, c->prev, c->target);
	ck_assert_msg(got == c->want, "%s: %d, want %d", c->why, got, c->want);
	ck_assert_msg(p->recent_used_cpu == c->want_recent, "%s: recent_used_cpu %d, want %d", c->why,
		      p->recent_used_cpu, c->want_recent);
	if (c->want_idle_cores >= 0)
		ck_assert_int_eq(llc0->has_idle_cores, c->want_idle_cores);
	hrig_free(&r);
}
END_TEST

/* ------------------------------------------------- select_task_rq_fair() */

/*
 * fair.c v6.15 select_task_rq_fair(), WF_TTWU: record_wakee(); want_affine
 * unless wake_wide(); the lowest SD_WAKE_AFFINE domain of this_cpu that
 * spans prev runs wake_affine() (PKG here: prev 4 is in the other LLC);
 * then select_idle_sibling(p, prev, that answer).  The waker runs alone
 * on CPU 0 (load 1024), every other CPU is busy with load 1024, no idle
 * core; the wakee (load 512) last ran on CPU 4.
 */
static const struct ttwu_case {
	const char *why;
	bool sync;
	unsigned waker_flips, wakee_flips;
	int want;
} ttwu_cases[] = {
	/* wake_affine_idle: sync and this_cpu runs only the waker -> 0 */
	{ "sync wakeup pulls to the waker's CPU", true, 0, 0, 0 },
	/* wake_affine_idle: no opinion; weight: 153600 vs (1024-512)*108 = 55296 -> prev */
	{ "plain wakeup stays on prev", false, 0, 0, 4 },
	/* wake_wide(): flips 64+1 vs 8 on an 8-CPU LLC -> no affine pull even if sync */
	{ "1:N waker: no pull even if sync", true, 64, 8, 4 },
};

START_TEST(test_select_task_rq_fair)
{
	const struct ttwu_case *c = &ttwu_cases[_i];
	struct hrig r;
	struct task *waker, *wakee;
	int got;

	t16(&r, NULL);
	hrig_cpus(&r, "0-15", 1, 1024, 1024, 1024);
	r.s->llc_shared[0].has_idle_cores = 0;
	r.s->llc_shared[1].has_idle_cores = 0;
	waker = r.s->rq[0].curr;
	waker->wakee_flips = c->waker_flips;
	wakee = hrig_task(&r, 4, 512, 256);
	wakee->wakee_flips = c->wakee_flips;
	got = select_task_rq_fair(r.s, wakee, 4, 0, waker, WF_TTWU | (c->sync ? WF_SYNC : 0));
	ck_assert_msg(got == c->want, "%s: %d, want %d", c->why, got, c->want);
	ck_assert_ptr_eq(waker->last_wakee, wakee);
	hrig_free(&r);
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("wakeup", &tc, 60);

	tcase_add_loop_test(tc, test_wake_wide, 0, (int)ARRAY_SIZE(wide_cases));
	tcase_add_test(tc, test_record_wakee);
	tcase_add_loop_test(tc, test_wake_affine_idle, 0, (int)ARRAY_SIZE(wa_idle_cases));
	tcase_add_loop_test(tc, test_wake_affine_weight, 0, (int)ARRAY_SIZE(wa_weight_cases));
	tcase_add_loop_test(tc, test_wake_affine, 0, (int)ARRAY_SIZE(wa_cases));
	tcase_add_loop_test(tc, test_select_idle_core, 0, (int)ARRAY_SIZE(core_cases));
	tcase_add_loop_test(tc, test_select_idle_sibling, 0, (int)ARRAY_SIZE(sis_cases));
	tcase_add_loop_test(tc, test_select_task_rq_fair, 0, (int)ARRAY_SIZE(ttwu_cases));
	tcase_add_test(tc, test_find_idlest_group_cpu);
	return harness_run(s);
}
