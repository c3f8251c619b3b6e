/*
 * Unit tests for hw/menu.c, the menu cpuidle governor of v6.15, against
 * cases computed by hand from drivers/cpuidle/governors/menu.c on the
 * Sapphire Rapids driver table (intel_idle spr_cstates behind POLL):
 * POLL 0/0, C1 1/1 us, C1E 2/4 us, C6 290/800 us (exit/target), HZ=1000.
 */
#include "harness.h"
#include "hw/menu.h"

#define US 1000ULL
#define MS 1000000ULL
#define TICK MS

static const struct idle_state spr[4] = {
	{ 0, 0, true }, { 1 * US, 1 * US, false }, { 2 * US, 4 * US, false }, { 290 * US, 800 * US, false },
};

static int sel(struct menu_dev *d, uint64_t sleep, uint64_t delta_tick, bool stopped, bool *stop)
{
	*stop = true;
	return menu_select(d, spr, 4, sleep, delta_tick, stopped, TICK, stop);
}

static void fill(struct menu_dev *d, const unsigned v[8])
{
	for (int i = 0; i < 8; i++)
		d->intervals[i] = v[i];
}

/* A fresh CPU (no history: get_typical_interval() has no answer) trusts
 * the next timer, times the correction factor 1. */
START_TEST(timer_pending_picks_the_state)
{
	struct menu_dev d;
	bool stop;

	/* timer in 300 us: timer_us = (4096000 + 300000 * 8192) / 8192000 =
	 * 300; C6's 800 us target exceeds it and 300 us < a tick: the loop
	 * stops at C1E, and the tick is kept (predicted < TICK_NSEC) */
	menu_init(&d);
	ck_assert_int_eq(sel(&d, 300 * US, 300 * US, false, &stop), 2);
	ck_assert(!stop);
	ck_assert_int_eq(d.bucket, 2);
	/* timer in 5 ms: C6, and the tick may stop */
	menu_init(&d);
	ck_assert_int_eq(sel(&d, 5 * MS, 1 * MS, false, &stop), 3);
	ck_assert(stop);
	/* no timer (1 s): C6, stop */
	menu_init(&d);
	ck_assert_int_eq(sel(&d, 1000 * MS, 700 * US, false, &stop), 3);
	ck_assert(stop);
	ck_assert_int_eq(d.bucket, 5);
	/* timer in 0.5 us, before C1's 1 us target: state 0 (POLL) at once,
	 * tick kept because POLL polls */
	menu_init(&d);
	ck_assert_int_eq(sel(&d, 500, 500, false, &stop), 0);
	ck_assert(!stop);
}
END_TEST

/* Short recent idles against a far timer: menu believes the history (the
 * misprediction when the CPU then idles until the timer). */
START_TEST(history_beats_a_far_timer)
{
	static const unsigned fifty[8] = { 50, 50, 50, 50, 50, 50, 50, 50 };
	static const unsigned ten[8] = { 10, 10, 10, 10, 10, 10, 10, 10 };
	struct menu_dev d;
	bool stop;

	/* typical 50 us > 15 us: predicted = min(5000 us, 50 us); latency_req
	 * = 50 us; C6's target is beyond it: C1E, tick kept */
	menu_init(&d);
	fill(&d, fifty);
	ck_assert_uint_eq(menu_typical_interval(&d), 50);
	ck_assert_int_eq(sel(&d, 5 * MS, 1 * MS, false, &stop), 2);
	ck_assert(!stop);
	/* the same with the tick already stopped: predicted < TICK_NSEC is
	 * replaced by the time to the timer, 5 ms: C6 */
	ck_assert_int_eq(sel(&d, 5 * MS, 5 * MS, true, &stop), 3);
	ck_assert(stop);
	/* typical 10 us <= RESIDENCY_THRESHOLD_NS: the timer is not read
	 * (next_timer_ns = KTIME_MAX, bucket 5): C1E, tick kept */
	menu_init(&d);
	fill(&d, ten);
	ck_assert_int_eq(sel(&d, 300 * US, 300 * US, false, &stop), 2);
	ck_assert(!stop);
	ck_assert_int_eq(d.bucket, 5);
}
END_TEST

START_TEST(typical_interval_filters_outliers)
{
	static const unsigned one_out[8] = { 10, 10, 10, 10, 10, 10, 10, 1000 };
	static const unsigned spread[8] = { 10, 10, 10, 10, 1000, 2000, 3000, 4000 };
	static const unsigned five_close[8] = { 1000, 1050, 1000, 1050, 1000, 9000, 9000, 9000 };
	struct menu_dev d;

	menu_init(&d);
	ck_assert_uint_eq(menu_typical_interval(&d), UINT32_MAX); /* no history */
	/* avg 133, variance 125087 - 17689 = 107398: too wide; the outlier
	 * is above the average: max_thresh = 1000; then 7 x 10: 10 */
	fill(&d, one_out);
	ck_assert_uint_eq(menu_typical_interval(&d), 10);
	/* dropping 4000 then 3000 leaves 6 samples (6*4 <= 8*3) still too
	 * wide; at least half remain: the maximum, 2000 (v6.15) */
	fill(&d, spread);
	ck_assert_uint_eq(menu_typical_interval(&d), 2000);
	/* three equal outliers go at once: 5 samples, avg 1020, variance
	 * 1041000 - 1040400 = 600 > 400; avg^2 > 36 variance, but with
	 * 5 * 4 < 8 * 3 samples that test does not count: 5 >= 8 / 2, the
	 * maximum, 1050 */
	fill(&d, five_close);
	ck_assert_uint_eq(menu_typical_interval(&d), 1050);
}
END_TEST

/* menu_update(): the correction factor of the bucket and the interval. */
START_TEST(update_corrects)
{
	struct menu_dev d;
	bool stop;

	/* chose C1E for a 300 us timer, slept 100 us (exit included):
	 * measured 100 - 2 = 98 us; factor 8192 - 1024 + 1024 * 98000 / 300000
	 * = 7168 + 334 */
	menu_init(&d);
	ck_assert_int_eq(sel(&d, 300 * US, 300 * US, false, &stop), 2);
	menu_update(&d, spr, 2, 100 * US, false, false, TICK);
	ck_assert_uint_eq(d.correction[2], 7502);
	ck_assert_uint_eq(d.intervals[0], 98);
	ck_assert_int_eq(d.interval_ptr, 1);
	/* the tick woke a CPU whose next timer was 1 s away: measured is 9/10
	 * of MAX_INTERESTING (45 ms): 7168 + 1024 * 45e6 / 1e9 = 7168 + 46 */
	menu_init(&d);
	sel(&d, 1000 * MS, 1 * MS, false, &stop);
	menu_update(&d, spr, 3, 1 * MS, true, false, TICK);
	ck_assert_uint_eq(d.correction[5], 7214);
	ck_assert_uint_eq(d.intervals[0], 45000);
	/* a residency under twice the exit latency is halved: C6 left after
	 * 400 us: 200 us */
	menu_init(&d);
	sel(&d, 1000 * MS, 1 * MS, false, &stop);
	menu_update(&d, spr, 3, 400 * US, false, false, TICK);
	ck_assert_uint_eq(d.intervals[0], 200);
}
END_TEST

/* v6.15's polling-state exception needs the deeper state's exit latency
 * within latency_req, which is predicted_ns with the tick running. */
START_TEST(poll_exception_respects_latency)
{
	static const unsigned hundred[8] = { 100, 100, 100, 100, 100, 100, 100, 100 };
	struct menu_dev d;
	bool stop;

	/* typical 100 us; timer in 2 us (bucket 0) with correction 819:
	 * timer_us = (4096000 + 2000 * 819) / 8192000 = 0, predicted 0,
	 * latency_req 0.  C1's 1 us target exceeds it and fits before the
	 * timer, but its 1 us exit latency exceeds latency_req: no
	 * exception, predicted < TICK_NSEC: POLL, tick kept */
	menu_init(&d);
	fill(&d, hundred);
	d.correction[0] = 819;
	ck_assert_int_eq(sel(&d, 2 * US, 2 * US, false, &stop), 0);
	ck_assert(!stop);
	/* with the tick stopped latency_req is not capped (predicted 0 <
	 * TICK_NSEC becomes the 2 us to the timer): C1 */
	ck_assert_int_eq(sel(&d, 2 * US, 2 * US, true, &stop), 1);
}
END_TEST

/* POLL left at its time limit (dev->poll_time_limit): menu_update() takes
 * the time to the next timer as the idle (5f26bdceb9c0). */
START_TEST(poll_time_limit_counts_the_timer)
{
	static const unsigned hundred[8] = { 100, 100, 100, 100, 100, 100, 100, 100 };
	struct menu_dev d;
	bool stop;

	/* timer in 1 ms (bucket 3) with correction 4: timer_us = (4096000 +
	 * 1000000 * 4) / 8192000 = 0: POLL */
	menu_init(&d);
	fill(&d, hundred);
	d.correction[3] = 4;
	ck_assert_int_eq(sel(&d, 1 * MS, 1 * MS, false, &stop), 0);
	/* gave up after 62.5 us: measured = next_timer_ns = 1 ms: factor 4 -
	 * 0 + 1024 * 1e6 / 1e6 = 1028, interval 1000 us */
	menu_update(&d, spr, 0, 62500, false, true, TICK);
	ck_assert_uint_eq(d.correction[3], 1028);
	ck_assert_uint_eq(d.intervals[0], 1000);
	/* woken by a wakeup at 62.5 us instead: 4 + 1024 * 62500 / 1e6 = 68 */
	d.correction[3] = 4;
	sel(&d, 1 * MS, 1 * MS, false, &stop);
	menu_update(&d, spr, 0, 62500, false, false, TICK);
	ck_assert_uint_eq(d.correction[3], 68);
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("menu", &tc, 60);

	tcase_add_test(tc, timer_pending_picks_the_state);
	tcase_add_test(tc, history_beats_a_far_timer);
	tcase_add_test(tc, typical_interval_filters_outliers);
	tcase_add_test(tc, update_corrects);
	tcase_add_test(tc, poll_exception_respects_latency);
	tcase_add_test(tc, poll_time_limit_counts_the_timer);
	return harness_run(s);
}
