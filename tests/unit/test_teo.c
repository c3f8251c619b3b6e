/*
 * Unit tests for hw/teo.c, the teo cpuidle governor of v6.15, against
 * sequences computed by hand from drivers/cpuidle/governors/teo.c on the
 * Sapphire Rapids driver table (intel_idle spr_cstates behind POLL):
 * POLL 0/0, C1 1/1 us, C1E 2/4 us, C6 290/800 us (exit/target), HZ=1000.
 */
#include "harness.h"
#include "hw/teo.h"

#define US 1000ULL
#define MS 1000000ULL
#define TICK MS
#define FAR (1000 * MS) /* no timer: the model's 1 s */

static const struct idle_state spr[4] = {
	{ 0, 0, true }, { 1 * US, 1 * US, false }, { 2 * US, 4 * US, false }, { 290 * US, 800 * US, false },
};

static int sel(struct teo_dev *t, uint64_t sleep, uint64_t delta_tick, bool stopped, bool *stop)
{
	*stop = true;
	return teo_select(t, spr, 4, sleep, delta_tick, stopped, TICK, stop);
}

/* No history: the deepest state whose target residency fits before the
 * next timer; the tick stops when that timer is a tick or more away. */
START_TEST(fresh_cpu_follows_the_timer)
{
	struct teo_dev t;
	bool stop;

	/* total 0: 2 * 0 > 0 - 0 is false, candidate C6; its 800 us fits in
	 * 5 ms; 5 ms >= TICK_NSEC: stop */
	teo_init(&t);
	ck_assert_int_eq(sel(&t, 5 * MS, 1 * MS, false, &stop), 3);
	ck_assert(stop);
	ck_assert_int_eq(t.sleep_length_ns, (int64_t)(5 * MS));
	/* timer in 300 us: C6 does not fit, teo_find_shallower_state() gives
	 * C1E (4 us <= 300 us); 300 us < a tick: the tick is kept */
	teo_init(&t);
	ck_assert_int_eq(sel(&t, 300 * US, 300 * US, false, &stop), 2);
	ck_assert(!stop);
	/* the same with the tick already stopped: C1E's 4 us is below a
	 * tick, teo_state_ok() refuses it, C6 stays, and stop_tick with it */
	teo_init(&t);
	ck_assert_int_eq(sel(&t, 300 * US, 300 * US, true, &stop), 3);
	ck_assert(stop);
}
END_TEST

/* teo_update(): a timer wakeup in the sleep length's bin is a hit. */
START_TEST(timer_wakeup_is_a_hit)
{
	struct teo_dev t;
	bool stop;

	/* C1E for a 300 us timer, left after 300 us: measured 300 - 2/2 = 299
	 * us; sleep length and idle both fall in C1E's bin [4 us, 800 us) */
	teo_init(&t);
	ck_assert_int_eq(sel(&t, 300 * US, 300 * US, false, &stop), 2);
	teo_update(&t, spr, 4, 2, 300 * US, false, false, TICK);
	ck_assert_uint_eq(t.bins[2].hits, 1024);
	ck_assert_uint_eq(t.bins[2].intercepts, 0);
	ck_assert_uint_eq(t.total, 1024);
	ck_assert_uint_eq(t.short_idles, 0);
	/* a tick that wakes a CPU whose timer is 1 s away is a safety net
	 * (teo_reflect()'s artificial_wakeup): measured is U64_MAX, a hit in
	 * the sleep length's bin, C6, whatever the residency */
	teo_init(&t);
	ck_assert_int_eq(sel(&t, FAR, 1 * MS, false, &stop), 3);
	teo_update(&t, spr, 4, 3, 500 * US, true, false, TICK);
	ck_assert_uint_eq(t.bins[3].hits, 1024);
	ck_assert_uint_eq(t.bins[2].intercepts, 0);
	ck_assert_uint_eq(t.short_idles, 0);
}
END_TEST

/* Wakeups 50 us into the idle with no timer pending: intercepts in C1E's
 * bin pull the choice down to C1E; and the v6.15 tick_intercepts test
 * (counting intercepts at or beyond a tick) then lets the tick stop. */
START_TEST(intercepts_pull_shallower)
{
	struct teo_dev t;
	bool stop;

	teo_init(&t);
	/* 1: C6, tick stopped; woken after 50 us, under C6's 290 us exit
	 * latency: measured 50 / 2 = 25 us, a short idle; sleep length in
	 * C6's bin, the idle in C1E's: an intercept in bin 2 */
	ck_assert_int_eq(sel(&t, FAR, 1 * MS, false, &stop), 3);
	ck_assert(stop);
	teo_update(&t, spr, 4, 3, 50 * US, false, false, TICK);
	ck_assert_uint_eq(t.bins[2].intercepts, 1024);
	ck_assert_uint_eq(t.short_idles, 1024);
	ck_assert_uint_eq(t.tick_intercepts, 0);
	ck_assert_uint_eq(t.total, 1024);
	/* with the tick already stopped a shallower state is refused: the
	 * first suitable one, C6 */
	ck_assert_int_eq(sel(&t, FAR, FAR, true, &stop), 3);
	ck_assert(stop);
	/* 2: 2 x 1024 > 1024 - 0: look shallower; at C1E the intercepts
	 * (1024) exceed half of 1024: C1E.  Its 4 us is below 15 us and
	 * 2 x short_idles >= total: the sleep length is not read (stays
	 * KTIME_MAX) and the tick is kept */
	ck_assert_int_eq(sel(&t, FAR, 1 * MS, false, &stop), 2);
	ck_assert(!stop);
	ck_assert_int_eq(t.sleep_length_ns, INT64_MAX);
	/* woken after 50 us again: short_idles 1024 - 128 = 896; measured
	 * 50 - 1 = 49 us, no short idle; intercept again: 896 + 1024 */
	teo_update(&t, spr, 4, 2, 50 * US, false, false, TICK);
	ck_assert_uint_eq(t.short_idles, 896);
	ck_assert_uint_eq(t.bins[2].intercepts, 1920);
	ck_assert_uint_eq(t.total, 1920);
	ck_assert_uint_eq(t.tick_intercepts, 0);
	/* 3: C1E again; 2 x 896 < 1920: the sleep length is read (1 s); no
	 * tick_intercepts, so the expected idle stays 1 s >= a tick: the
	 * tick stops with C1E (v6.15; with the v6.19 fix the two intercepts
	 * under a tick, 1920 > 1920 x 5/8, would keep it) */
	ck_assert_int_eq(sel(&t, FAR, 1 * MS, false, &stop), 2);
	ck_assert(stop);
	ck_assert_int_eq(t.sleep_length_ns, (int64_t)FAR);
}
END_TEST

/* Idles shorter than C1's target: POLL, the tick kept, no sleep length. */
START_TEST(very_short_idles_poll)
{
	struct teo_dev t;
	bool stop;

	/* C6 left after 400 ns: measured 200 ns, bin 0: an intercept there */
	teo_init(&t);
	sel(&t, FAR, 1 * MS, false, &stop);
	teo_update(&t, spr, 4, 3, 400, false, false, TICK);
	ck_assert_uint_eq(t.bins[0].intercepts, 1024);
	/* sums 1024 at C6; going down, C1E and C1 add nothing, POLL 1024 >
	 * 1024 / 2: POLL; state 0 with 2 x 1024 >= 1024 short: out at once */
	ck_assert_int_eq(sel(&t, FAR, 1 * MS, false, &stop), 0);
	ck_assert(!stop);
	ck_assert_int_eq(t.sleep_length_ns, INT64_MAX);
	/* POLL gives up at its time limit: teo_reflect() calls it artificial,
	 * measured U64_MAX: a hit in the sleep length's bin, C6's (the sleep
	 * length is KTIME_MAX); no short idle */
	teo_update(&t, spr, 4, 0, 62500, false, true, TICK);
	ck_assert_uint_eq(t.bins[3].hits, 1024);
	ck_assert_uint_eq(t.bins[0].intercepts, 896);
	ck_assert_uint_eq(t.short_idles, 896);
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("teo", &tc, 60);

	tcase_add_test(tc, fresh_cpu_follows_the_timer);
	tcase_add_test(tc, timer_wakeup_is_a_hit);
	tcase_add_test(tc, intercepts_pull_shallower);
	tcase_add_test(tc, very_short_idles_poll);
	return harness_run(s);
}
