/*
 * Unit tests for sim/base: the event queue (eq.c) and the named random
 * streams (rng.c).
 *
 * The event queue's contract (eq.h): events pop in (time, insertion
 * sequence) order; re-timing a queued event counts as a new insertion;
 * cancel is a no-op for an event that is not queued; eq_run() dispatches up
 * to and including @until and leaves the clock at @until unless stopped.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/eq.h"
#include "base/rng.h"

/* An owner embedding its event, as a CPU or a task does. */
struct item {
	int id;
	struct eq_event ev;
};

/* What handlers append to: the order events fired in and when. */
struct log {
	int ids[4096];
	simtime_t times[4096];
	int n;
	struct eq *q;
	int stop_at_id;     /* handler calls eq_stop() for this id (-1: never) */
	int resched_id;     /* handler re-schedules this id once ... */
	simtime_t resched_delta; /* ... at now + delta */
};

static void record(struct eq_event *ev, void *ctx)
{
	struct log *lg = ctx;
	struct item *it = container_of(ev, struct item, ev);

	ck_assert_int_lt(lg->n, (int)ARRAY_SIZE(lg->ids));
	ck_assert(!eq_queued(ev));
	lg->ids[lg->n] = it->id;
	lg->times[lg->n] = eq_now(lg->q);
	lg->n++;
	if (it->id == lg->stop_at_id)
		eq_stop(lg->q);
	if (it->id == lg->resched_id) {
		lg->resched_id = -1;
		eq_schedule(lg->q, ev, eq_now(lg->q) + lg->resched_delta);
	}
}

static struct log *new_log(void)
{
	struct log *lg = calloc(1, sizeof(*lg));

	ck_assert_ptr_nonnull(lg);
	lg->stop_at_id = -1;
	lg->resched_id = -1;
	return lg;
}

static void init_items(struct item *it, int n)
{
	for (int i = 0; i < n; i++) {
		it[i].id = i;
		eq_event_init(&it[i].ev, record);
	}
}

/* Pop everything; return the ids in pop order in @ids (n of them). */
static int drain(struct eq *q, int *ids, int max)
{
	struct eq_event *ev;
	int n = 0;

	while ((ev = eq_pop(q))) {
		ck_assert_int_lt(n, max);
		ck_assert(!eq_queued(ev));
		ids[n++] = container_of(ev, struct item, ev)->id;
	}
	ck_assert_uint_eq(eq_size(q), 0);
	return n;
}

/* Deterministic xorshift64 so the randomized test is reproducible. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ---- ordering ----------------------------------------------------------- */

START_TEST(test_empty)
{
	struct eq *q = eq_new(4, NULL);

	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(eq_size(q), 0);
	ck_assert_ptr_null(eq_peek(q));
	ck_assert_ptr_null(eq_pop(q));
	ck_assert_int_eq(eq_now(q), 0);
	ck_assert_uint_eq(eq_run(q, 100), 0);
	ck_assert_int_eq(eq_now(q), 100);
	eq_free(q);
	eq_free(NULL);
}
END_TEST

START_TEST(test_order_by_time)
{
	static const simtime_t t[] = { 50, 10, 40, 30, 20, 60, 0 };
	struct item it[ARRAY_SIZE(t)];
	struct eq *q = eq_new(16, NULL);
	int ids[16], n;

	init_items(it, ARRAY_SIZE(t));
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		eq_schedule(q, &it[i].ev, t[i]);
		ck_assert(eq_queued(&it[i].ev));
	}
	ck_assert_uint_eq(eq_size(q), ARRAY_SIZE(t));
	ck_assert_ptr_eq(eq_peek(q), &it[6].ev);
	ck_assert_uint_eq(eq_size(q), ARRAY_SIZE(t)); /* peek does not remove */

	/* pop advances the clock to each event's time */
	simtime_t last = -1;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct eq_event *ev = eq_pop(q);
		ck_assert_ptr_nonnull(ev);
		ck_assert_int_gt(ev->time, last);
		ck_assert_int_eq(eq_now(q), ev->time);
		last = ev->time;
	}
	n = drain(q, ids, 16);
	ck_assert_int_eq(n, 0);
	eq_free(q);
}
END_TEST

START_TEST(test_ties_fire_in_insertion_order)
{
	struct item it[8];
	struct eq *q = eq_new(16, NULL);
	int ids[16], n;

	init_items(it, 8);
	/* all at the same time, inserted 3,1,7,0,5,2,6,4 */
	static const int order[] = { 3, 1, 7, 0, 5, 2, 6, 4 };
	for (int i = 0; i < 8; i++)
		eq_schedule(q, &it[order[i]].ev, 100);
	n = drain(q, ids, 16);
	ck_assert_int_eq(n, 8);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(ids[i], order[i]);
	eq_free(q);
}
END_TEST

START_TEST(test_ties_mixed_with_other_times)
{
	struct item it[6];
	struct eq *q = eq_new(16, NULL);
	int ids[16];

	init_items(it, 6);
	eq_schedule(q, &it[0].ev, 20);
	eq_schedule(q, &it[1].ev, 10);
	eq_schedule(q, &it[2].ev, 20);
	eq_schedule(q, &it[3].ev, 10);
	eq_schedule(q, &it[4].ev, 5);
	eq_schedule(q, &it[5].ev, 20);
	ck_assert_int_eq(drain(q, ids, 16), 6);
	static const int want[] = { 4, 1, 3, 0, 2, 5 };
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(ids[i], want[i]);
	eq_free(q);
}
END_TEST

/* ---- re-timing ---------------------------------------------------------- */

START_TEST(test_retime_earlier)
{
	struct item it[10];
	struct eq *q = eq_new(16, NULL);
	int ids[16];

	init_items(it, 10);
	for (int i = 0; i < 10; i++)
		eq_schedule(q, &it[i].ev, 100 + 10 * i);
	/* the latest event moves to the front */
	eq_schedule(q, &it[9].ev, 50);
	ck_assert_uint_eq(eq_size(q), 10); /* moved, not duplicated */
	ck_assert_ptr_eq(eq_peek(q), &it[9].ev);
	ck_assert_int_eq(it[9].ev.time, 50);
	/* a middle one moves before its neighbours */
	eq_schedule(q, &it[5].ev, 115);
	ck_assert_int_eq(drain(q, ids, 16), 10);
	static const int want[] = { 9, 0, 1, 5, 2, 3, 4, 6, 7, 8 };
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(ids[i], want[i]);
	eq_free(q);
}
END_TEST

START_TEST(test_retime_later)
{
	struct item it[10];
	struct eq *q = eq_new(16, NULL);
	int ids[16];

	init_items(it, 10);
	for (int i = 0; i < 10; i++)
		eq_schedule(q, &it[i].ev, 100 + 10 * i);
	/* the head moves to the back */
	eq_schedule(q, &it[0].ev, 1000);
	ck_assert_uint_eq(eq_size(q), 10);
	ck_assert_ptr_eq(eq_peek(q), &it[1].ev);
	/* a middle one moves between later neighbours */
	eq_schedule(q, &it[3].ev, 165);
	ck_assert_int_eq(drain(q, ids, 16), 10);
	static const int want[] = { 1, 2, 4, 5, 6, 3, 7, 8, 9, 0 };
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(ids[i], want[i]);
	eq_free(q);
}
END_TEST

START_TEST(test_retime_is_new_insertion_for_ties)
{
	struct item it[4];
	struct eq *q = eq_new(16, NULL);
	int ids[16];

	init_items(it, 4);
	eq_schedule(q, &it[0].ev, 100);
	eq_schedule(q, &it[1].ev, 100);
	eq_schedule(q, &it[2].ev, 100);
	eq_schedule(q, &it[3].ev, 50);
	/* same time again: 0 goes behind 1 and 2 */
	eq_schedule(q, &it[0].ev, 100);
	/* earlier event re-timed onto the tie: behind everything at 100 */
	eq_schedule(q, &it[3].ev, 100);
	ck_assert_int_eq(drain(q, ids, 16), 4);
	static const int want[] = { 1, 2, 0, 3 };
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(ids[i], want[i]);

	/* and from later to a tie: also last among equals */
	eq_schedule(q, &it[0].ev, 200);
	eq_schedule(q, &it[1].ev, 300);
	eq_schedule(q, &it[2].ev, 200);
	eq_schedule(q, &it[1].ev, 200);
	ck_assert_int_eq(drain(q, ids, 16), 3);
	ck_assert_int_eq(ids[0], 0);
	ck_assert_int_eq(ids[1], 2);
	ck_assert_int_eq(ids[2], 1);
	eq_free(q);
}
END_TEST

/* ---- cancel ------------------------------------------------------------- */

START_TEST(test_cancel)
{
	struct item it[7], lone;
	struct eq *q = eq_new(16, NULL);
	int ids[16];

	init_items(it, 7);
	lone.id = 99;
	eq_event_init(&lone.ev, record);
	for (int i = 0; i < 7; i++)
		eq_schedule(q, &it[i].ev, 10 * (i + 1));

	/* head */
	eq_cancel(q, &it[0].ev);
	ck_assert(!eq_queued(&it[0].ev));
	ck_assert_uint_eq(eq_size(q), 6);
	ck_assert_ptr_eq(eq_peek(q), &it[1].ev);
	/* middle */
	eq_cancel(q, &it[3].ev);
	ck_assert(!eq_queued(&it[3].ev));
	ck_assert_uint_eq(eq_size(q), 5);
	/* latest in time */
	eq_cancel(q, &it[6].ev);
	ck_assert_uint_eq(eq_size(q), 4);
	/* not queued: never scheduled, and already cancelled */
	eq_cancel(q, &lone.ev);
	eq_cancel(q, &it[3].ev);
	ck_assert_uint_eq(eq_size(q), 4);
	ck_assert(!eq_queued(&lone.ev));

	ck_assert_int_eq(drain(q, ids, 16), 4);
	static const int want[] = { 1, 2, 4, 5 };
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(ids[i], want[i]);

	/* a popped event is not queued: cancelling it is a no-op */
	eq_schedule(q, &it[0].ev, 100);
	ck_assert_ptr_eq(eq_pop(q), &it[0].ev);
	eq_cancel(q, &it[0].ev);
	ck_assert_uint_eq(eq_size(q), 0);
	eq_free(q);
}
END_TEST

START_TEST(test_cancel_last_slot)
{
	struct item it[5];
	struct eq *q = eq_new(16, NULL);
	int ids[16];

	init_items(it, 5);
	/* ascending times: the last-inserted event sits in the last heap slot */
	for (int i = 0; i < 5; i++)
		eq_schedule(q, &it[i].ev, 10 * (i + 1));
	eq_cancel(q, &it[4].ev);
	ck_assert_uint_eq(eq_size(q), 4);
	/* the only event */
	ck_assert_int_eq(drain(q, ids, 16), 4);
	eq_schedule(q, &it[4].ev, 100);
	eq_cancel(q, &it[4].ev);
	ck_assert_uint_eq(eq_size(q), 0);
	ck_assert_ptr_null(eq_peek(q));
	/* re-scheduling a cancelled event works */
	eq_schedule(q, &it[4].ev, 200);
	ck_assert_ptr_eq(eq_pop(q), &it[4].ev);
	eq_free(q);
}
END_TEST

START_TEST(test_free_unqueues)
{
	struct item it[3];
	struct eq *q = eq_new(2, NULL);

	init_items(it, 3);
	for (int i = 0; i < 3; i++)
		eq_schedule(q, &it[i].ev, i);
	eq_free(q);
	/* the owners outlive the queue and must not look queued */
	for (int i = 0; i < 3; i++)
		ck_assert(!eq_queued(&it[i].ev));
}
END_TEST

/* ---- eq_run / eq_stop --------------------------------------------------- */

START_TEST(test_run_until)
{
	struct item it[5];
	struct log *lg = new_log();
	struct eq *q = eq_new(8, lg);

	lg->q = q;
	init_items(it, 5);
	for (int i = 0; i < 5; i++)
		eq_schedule(q, &it[i].ev, 10 * (i + 1)); /* 10..50 */

	/* events at exactly @until fire */
	ck_assert_uint_eq(eq_run(q, 30), 3);
	ck_assert_int_eq(lg->n, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(lg->ids[i], i);
		ck_assert_int_eq(lg->times[i], 10 * (i + 1));
	}
	ck_assert_int_eq(eq_now(q), 30);
	ck_assert_uint_eq(eq_size(q), 2);

	/* nothing due: the clock still moves to @until */
	ck_assert_uint_eq(eq_run(q, 35), 0);
	ck_assert_int_eq(eq_now(q), 35);

	/* queue runs dry before @until: clock ends at @until */
	ck_assert_uint_eq(eq_run(q, 1000), 2);
	ck_assert_int_eq(lg->times[4], 50);
	ck_assert_int_eq(eq_now(q), 1000);
	ck_assert_uint_eq(eq_size(q), 0);
	eq_free(q);
	free(lg);
}
END_TEST

START_TEST(test_run_handler_schedules)
{
	struct item it[2];
	struct log *lg = new_log();
	struct eq *q = eq_new(8, lg);

	lg->q = q;
	init_items(it, 2);
	eq_schedule(q, &it[0].ev, 10);
	eq_schedule(q, &it[1].ev, 25);
	/* 0 fires at 10 and re-arms itself at 20: before 1, within the run */
	lg->resched_id = 0;
	lg->resched_delta = 10;
	ck_assert_uint_eq(eq_run(q, 100), 3);
	ck_assert_int_eq(lg->ids[0], 0);
	ck_assert_int_eq(lg->ids[1], 0);
	ck_assert_int_eq(lg->times[1], 20);
	ck_assert_int_eq(lg->ids[2], 1);

	/* re-armed beyond @until: stays queued */
	lg->resched_id = 1;
	lg->resched_delta = 500;
	eq_schedule(q, &it[1].ev, 150);
	ck_assert_uint_eq(eq_run(q, 200), 1);
	ck_assert(eq_queued(&it[1].ev));
	ck_assert_int_eq(it[1].ev.time, 650);
	ck_assert_int_eq(eq_now(q), 200);
	eq_free(q);
	free(lg);
}
END_TEST

START_TEST(test_run_stop)
{
	struct item it[5];
	struct log *lg = new_log();
	struct eq *q = eq_new(8, lg);

	lg->q = q;
	init_items(it, 5);
	for (int i = 0; i < 5; i++)
		eq_schedule(q, &it[i].ev, 10 * (i + 1));
	lg->stop_at_id = 1;
	ck_assert_uint_eq(eq_run(q, 1000), 2);
	ck_assert_int_eq(lg->n, 2);
	/* stopped: the clock stays at the stopping event, not @until */
	ck_assert_int_eq(eq_now(q), 20);
	ck_assert_uint_eq(eq_size(q), 3);

	/* the next run starts afresh (stop is not sticky) */
	lg->stop_at_id = -1;
	ck_assert_uint_eq(eq_run(q, 1000), 3);
	ck_assert_int_eq(lg->n, 5);
	ck_assert_int_eq(eq_now(q), 1000);
	eq_free(q);
	free(lg);
}
END_TEST

START_TEST(test_set_ctx)
{
	struct item it[1];
	struct log *a = new_log(), *b = new_log();
	struct eq *q = eq_new(8, a);

	a->q = b->q = q;
	init_items(it, 1);
	eq_schedule(q, &it[0].ev, 1);
	eq_run(q, 1);
	ck_assert_int_eq(a->n, 1);
	eq_set_ctx(q, b);
	eq_schedule(q, &it[0].ev, 2);
	eq_run(q, 2);
	ck_assert_int_eq(a->n, 1);
	ck_assert_int_eq(b->n, 1);
	eq_free(q);
	free(a);
	free(b);
}
END_TEST

/* ---- growth ------------------------------------------------------------- */

START_TEST(test_growth)
{
	enum { N = 5000 };
	struct item *it = calloc(N, sizeof(*it));
	int *ids = calloc(N, sizeof(*ids));
	struct eq *q = eq_new(1, NULL);

	ck_assert_ptr_nonnull(it);
	ck_assert_ptr_nonnull(q);
	init_items(it, N);
	/* descending times: every insertion sifts to the top */
	for (int i = 0; i < N; i++)
		eq_schedule(q, &it[i].ev, N - i);
	ck_assert_uint_eq(eq_size(q), N);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(it[i].ev.heap_idx >= 0 &&
				 (size_t)it[i].ev.heap_idx < eq_size(q), 1);
	ck_assert_int_eq(drain(q, ids, N), N);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(ids[i], N - 1 - i);
	eq_free(q);

	/* capacity 0 means "a default", and still grows */
	q = eq_new(0, NULL);
	ck_assert_ptr_nonnull(q);
	for (int i = 0; i < N; i++)
		eq_schedule(q, &it[i].ev, i % 7);
	ck_assert_uint_eq(eq_size(q), N);
	ck_assert_int_eq(drain(q, ids, N), N);
	/* time % 7 then insertion order */
	int k = 0;
	for (int t = 0; t < 7; t++)
		for (int i = t; i < N; i += 7)
			ck_assert_int_eq(ids[k++], i);
	eq_free(q);
	free(ids);
	free(it);
}
END_TEST

/* ---- randomized against a reference model ------------------------------ */

struct ref {
	bool queued;
	simtime_t time;
	uint64_t seq;
};

/* Index of the reference model's earliest event, or -1. */
static int ref_min(const struct ref *r, int n)
{
	int best = -1;

	for (int i = 0; i < n; i++) {
		if (!r[i].queued)
			continue;
		if (best < 0 || r[i].time < r[best].time ||
		    (r[i].time == r[best].time && r[i].seq < r[best].seq))
			best = i;
	}
	return best;
}

static void random_ops(uint64_t seed, int nr_events, int nr_ops, size_t cap, simtime_t spread)
{
	struct item *it = calloc((size_t)nr_events, sizeof(*it));
	struct ref *r = calloc((size_t)nr_events, sizeof(*r));
	struct eq *q = eq_new(cap, NULL);
	uint64_t s = seed, seq = 0;
	size_t size = 0;
	int pops = 0, cancels = 0, retimes = 0, inserts = 0;

	ck_assert_ptr_nonnull(it);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(q);
	init_items(it, nr_events);
	for (int op = 0; op < nr_ops; op++) {
		uint64_t x = rnd(&s);
		int i = (int)((x >> 8) % (uint64_t)nr_events);
		unsigned kind = (unsigned)(x & 0xff);

		if (kind < 128) { /* schedule or re-time */
			/* small spread: many ties */
			simtime_t t = eq_now(q) + (simtime_t)((x >> 40) % (uint64_t)spread);
			if (r[i].queued)
				retimes++;
			else
				inserts++, size++;
			eq_schedule(q, &it[i].ev, t);
			r[i] = (struct ref){ true, t, seq++ };
		} else if (kind < 176) { /* cancel, queued or not */
			if (r[i].queued)
				cancels++, size--;
			eq_cancel(q, &it[i].ev);
			r[i].queued = false;
		} else { /* pop */
			int want = ref_min(r, nr_events);
			struct eq_event *ev = eq_pop(q);
			if (want < 0) {
				ck_assert_ptr_null(ev);
				continue;
			}
			ck_assert_ptr_nonnull(ev);
			ck_assert_msg(ev == &it[want].ev, "op %d: popped %d, expected %d (t=%lld seq=%llu)",
				      op, container_of(ev, struct item, ev)->id, want,
				      (long long)r[want].time, (unsigned long long)r[want].seq);
			ck_assert_int_eq(eq_now(q), r[want].time);
			r[want].queued = false;
			size--;
			pops++;
		}
		ck_assert_uint_eq(eq_size(q), size);
		ck_assert_int_eq(eq_queued(&it[i].ev), r[i].queued);
		int head = ref_min(r, nr_events);
		ck_assert_ptr_eq(eq_peek(q), head < 0 ? NULL : &it[head].ev);
	}
	/* drain: the rest comes out in reference order too */
	for (int want; (want = ref_min(r, nr_events)) >= 0;) {
		ck_assert_ptr_eq(eq_pop(q), &it[want].ev);
		r[want].queued = false;
	}
	ck_assert_ptr_null(eq_pop(q));
	/* the mix really exercised every operation */
	ck_assert_int_gt(pops, nr_ops / 10);
	ck_assert_int_gt(cancels, nr_ops / 50);
	ck_assert_int_gt(retimes, nr_ops / 50);
	ck_assert_int_gt(inserts, nr_ops / 50);
	eq_free(q);
	free(r);
	free(it);
}

START_TEST(test_random_vs_reference)
{
	random_ops(0x9e3779b97f4a7c15ULL, 200, 10000, 4, 50);
}
END_TEST

START_TEST(test_random_vs_reference_many_ties)
{
	random_ops(12345, 64, 10000, 1, 3);
}
END_TEST

START_TEST(test_random_vs_reference_large)
{
	random_ops(777, 1500, 10000, 16, 1000000);
}
END_TEST

/* Inside eq_run() the dispatched event's slot is vacant while its handler
 * runs (eq.c: a replace-top when the handler queues an event): handlers
 * that schedule, re-time, cancel and peek at random must still see every
 * event fire in the reference model's (time, sequence) order, with the
 * reference's size and head at every step. */
struct in_run {
	struct eq *q;
	struct item *it;
	struct ref *r;
	int nr_events, fired, budget, schedules, cancels, retimes;
	uint64_t s, seq;
};

static void in_run_handler(struct eq_event *ev, void *ctx)
{
	struct in_run *x = ctx;
	int id = container_of(ev, struct item, ev)->id;
	int want = ref_min(x->r, x->nr_events), head;
	size_t size = 0;

	ck_assert_int_eq(id, want);
	ck_assert_int_eq(eq_now(x->q), x->r[id].time);
	ck_assert(!eq_queued(ev));
	x->r[id].queued = false;
	x->fired++;
	/* 0..3 operations, so that the hole is filled by a schedule, a cancel,
	 * a peek or nothing */
	for (int k = (int)(rnd(&x->s) % 4); k > 0 && x->budget > 0; k--, x->budget--) {
		uint64_t v = rnd(&x->s);
		int i = (int)((v >> 8) % (uint64_t)x->nr_events);
		if ((v & 0xff) < 200) {
			simtime_t t = eq_now(x->q) + (simtime_t)((v >> 40) % 40);
			if (x->r[i].queued)
				x->retimes++;
			x->schedules++;
			eq_schedule(x->q, &x->it[i].ev, t);
			x->r[i] = (struct ref){ true, t, x->seq++ };
		} else if ((v & 0xff) < 232) {
			x->cancels += x->r[i].queued;
			eq_cancel(x->q, &x->it[i].ev);
			x->r[i].queued = false;
		}
		head = ref_min(x->r, x->nr_events);
		ck_assert_ptr_eq(eq_peek(x->q), head < 0 ? NULL : &x->it[head].ev);
	}
	for (int i = 0; i < x->nr_events; i++)
		size += x->r[i].queued;
	ck_assert_uint_eq(eq_size(x->q), size);
}

START_TEST(test_random_ops_inside_run)
{
	enum { N = 300 };
	struct in_run x = { .nr_events = N, .budget = 20000, .s = 4242 };
	int head;

	x.it = calloc(N, sizeof(*x.it));
	x.r = calloc(N, sizeof(*x.r));
	ck_assert_ptr_nonnull(x.it);
	ck_assert_ptr_nonnull(x.r);
	x.q = eq_new(2, &x);
	for (int i = 0; i < N; i++) {
		x.it[i].id = i;
		eq_event_init(&x.it[i].ev, in_run_handler);
		eq_schedule(x.q, &x.it[i].ev, (simtime_t)(i % 17));
		x.r[i] = (struct ref){ true, (simtime_t)(i % 17), x.seq++ };
	}
	/* in slices: eq_run returns with the hole filled, the clock at @until */
	for (simtime_t until = 50; eq_size(x.q) && until < 1000000; until += 50) {
		eq_run(x.q, until);
		ck_assert_int_eq(eq_now(x.q), until);
		head = ref_min(x.r, N);
		ck_assert_ptr_eq(eq_peek(x.q), head < 0 ? NULL : &x.it[head].ev);
		ck_assert(head < 0 || x.r[head].time > until);
	}
	ck_assert_uint_eq(eq_size(x.q), 0);
	ck_assert_int_gt(x.fired, 10000);
	ck_assert_int_eq(x.budget, 0);
	ck_assert_int_gt(x.retimes, 500);
	ck_assert_int_gt(x.cancels, 200);
	eq_free(x.q);
	free(x.r);
	free(x.it);
}
END_TEST

/* ---- rng ---------------------------------------------------------------- */

START_TEST(test_rng_derive_seed)
{
	uint64_t a = rng_derive_seed(1, "wl", 0);

	ck_assert_uint_eq(a, rng_derive_seed(1, "wl", 0)); /* a pure function */
	ck_assert_uint_ne(a, rng_derive_seed(1, "wm", 0)); /* name */
	ck_assert_uint_ne(a, rng_derive_seed(1, "wl", 1)); /* index */
	ck_assert_uint_ne(a, rng_derive_seed(2, "wl", 0)); /* seed */
	ck_assert_uint_ne(a, rng_derive_seed(1, "", 0));
	ck_assert_uint_ne(rng_derive_seed(1, "ab", 0), rng_derive_seed(1, "ba", 0));
	ck_assert_uint_ne(rng_derive_seed(0, "x", 0), rng_derive_seed(0, "x", 1));

	/* no collisions over a small grid of (seed, name, index) */
	static const char *const names[] = { "wl", "task", "lb", "wake", "a", "b" };
	enum { NS = 4, NN = ARRAY_SIZE(names), NI = 16 };
	uint64_t seen[NS * NN * NI];
	int k = 0;
	for (uint64_t sd = 0; sd < NS; sd++)
		for (size_t n = 0; n < NN; n++)
			for (uint64_t i = 0; i < NI; i++)
				seen[k++] = rng_derive_seed(sd, names[n], i);
	for (int x = 0; x < k; x++)
		for (int y = x + 1; y < k; y++)
			ck_assert_msg(seen[x] != seen[y], "derived seeds %d and %d collide", x, y);
}
END_TEST

START_TEST(test_rng_same_triple_same_sequence)
{
	struct rng a, b;

	ck_assert_int_eq(rng_init(&a, 7, "task", 3), 0);
	ck_assert_int_eq(rng_init(&b, 7, "task", 3), 0);
	for (int i = 0; i < 2000; i++) {
		double u = rng_uniform(&a);
		ck_assert(u == rng_uniform(&b));
		ck_assert(u >= 0.0 && u < 1.0);
		uint64_t x = rng_below(&a, 1000);
		ck_assert_uint_eq(x, rng_below(&b, 1000));
		ck_assert_uint_lt(x, 1000);
	}
	rng_destroy(&a);
	rng_destroy(&b);
}
END_TEST

START_TEST(test_rng_different_triples_differ)
{
	struct rng a, b, c;
	int same_b = 0, same_c = 0;

	rng_init(&a, 7, "task", 3);
	rng_init(&b, 7, "task", 4);
	rng_init(&c, 7, "tasks", 3);
	for (int i = 0; i < 100; i++) {
		double u = rng_uniform(&a);
		same_b += u == rng_uniform(&b);
		same_c += u == rng_uniform(&c);
	}
	ck_assert_int_lt(same_b, 3);
	ck_assert_int_lt(same_c, 3);
	rng_destroy(&a);
	rng_destroy(&b);
	rng_destroy(&c);
}
END_TEST

START_TEST(test_rng_new_stream_does_not_perturb)
{
	enum { N = 500 };
	double alone[N];
	struct rng a, b, c;

	/* stream A on its own */
	rng_init(&a, 42, "wl", 0);
	for (int i = 0; i < N; i++)
		alone[i] = rng_uniform(&a);
	rng_destroy(&a);

	/* the same stream with other consumers created before it and drawing
	 * in between */
	rng_init(&b, 42, "wl", 1);
	rng_init(&c, 42, "lb", 0);
	rng_init(&a, 42, "wl", 0);
	for (int i = 0; i < N; i++) {
		rng_uniform(&b);
		rng_below(&c, 17);
		ck_assert(alone[i] == rng_uniform(&a));
		rng_uniform(&c);
	}
	rng_destroy(&a);
	rng_destroy(&b);
	rng_destroy(&c);
}
END_TEST

START_TEST(test_rng_below_edges)
{
	struct rng a;
	int hit[10] = { 0 };

	rng_init(&a, 1, "below", 0);
	ck_assert_uint_eq(rng_below(&a, 0), 0);
	ck_assert_uint_eq(rng_below(&a, 1), 0);
	for (int i = 0; i < 10000; i++)
		hit[rng_below(&a, 10)]++;
	for (int i = 0; i < 10; i++)
		ck_assert_int_gt(hit[i], 800); /* ~1000 each */
	/* beyond the generator's 32-bit range */
	for (int i = 0; i < 1000; i++)
		ck_assert_uint_lt(rng_below(&a, 1ULL << 40), 1ULL << 40);
	rng_destroy(&a);
	rng_destroy(&a); /* safe twice */
}
END_TEST

static Suite *eq_suite(void)
{
	Suite *s = suite_create("eq");
	TCase *tc;

	tc = tcase_create("order");
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_order_by_time);
	tcase_add_test(tc, test_ties_fire_in_insertion_order);
	tcase_add_test(tc, test_ties_mixed_with_other_times);
	suite_add_tcase(s, tc);

	tc = tcase_create("retime");
	tcase_add_test(tc, test_retime_earlier);
	tcase_add_test(tc, test_retime_later);
	tcase_add_test(tc, test_retime_is_new_insertion_for_ties);
	suite_add_tcase(s, tc);

	tc = tcase_create("cancel");
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_cancel_last_slot);
	tcase_add_test(tc, test_free_unqueues);
	suite_add_tcase(s, tc);

	tc = tcase_create("run");
	tcase_add_test(tc, test_run_until);
	tcase_add_test(tc, test_run_handler_schedules);
	tcase_add_test(tc, test_run_stop);
	tcase_add_test(tc, test_set_ctx);
	suite_add_tcase(s, tc);

	tc = tcase_create("stress");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_random_vs_reference);
	tcase_add_test(tc, test_random_vs_reference_many_ties);
	tcase_add_test(tc, test_random_vs_reference_large);
	tcase_add_test(tc, test_random_ops_inside_run);
	suite_add_tcase(s, tc);

	tc = tcase_create("rng");
	tcase_add_test(tc, test_rng_derive_seed);
	tcase_add_test(tc, test_rng_same_triple_same_sequence);
	tcase_add_test(tc, test_rng_different_triples_differ);
	tcase_add_test(tc, test_rng_new_stream_does_not_perturb);
	tcase_add_test(tc, test_rng_below_edges);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(eq_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
