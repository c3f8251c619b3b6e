/* EEVDF pick order and placement on hand-made queues. */
#include <check.h>
#include <stdlib.h>

#include "sched/eevdf.h"

static struct sched_entity mk(uint64_t id, unsigned long w, int64_t v, int64_t d)
{
	struct sched_entity se = { .weight = w, .vruntime = v, .deadline = d, .slice = 3000000,
				   .queue_idx = -1, .id = id };
	return se;
}

/* Queue of three: V = (0*1024 + 3000*1024 + 6000*2048) / 4096 = 3750.
 * Eligible: v <= V -> A (0) and B (3000); C (6000) is not, although its
 * deadline is the earliest. Pick = earliest deadline among A, B = B. */
START_TEST(test_pick_eligible_earliest_deadline)
{
	struct cfs_rq cfs;
	struct sched_entity a = mk(1, 1024, 0, 9000), b = mk(2, 1024, 3000, 8000),
			    c = mk(3, 2048, 6000, 7000);

	cfs_init(&cfs, 2);
	struct sched_entity *all[] = { &a, &b, &c };
	for (int i = 0; i < 3; i++) {
		cfs_account_enqueue(&cfs, all[i]);
		cfs_queue_add(&cfs, all[i]);
	}
	ck_assert_int_eq(avg_vruntime(&cfs), 3750);
	ck_assert(entity_eligible(&cfs, &a));
	ck_assert(entity_eligible(&cfs, &b));
	ck_assert(!entity_eligible(&cfs, &c));
	ck_assert_ptr_eq(pick_eevdf(&cfs, 1), &b);
	/* B runs and leaves: A is next although C's deadline is earlier */
	cfs_queue_del(&cfs, &b);
	cfs_account_dequeue(&cfs, &b);
	ck_assert_ptr_eq(pick_eevdf(&cfs, 1), &a);
	cfs_destroy(&cfs);
}
END_TEST

/* RUN_TO_PARITY: an eligible current keeps the CPU within its slice even if
 * a queued entity has an earlier deadline; without it, the other wins. */
START_TEST(test_run_to_parity)
{
	struct cfs_rq cfs;
	struct sched_entity cur = mk(1, 1024, 1000, 9000), o = mk(2, 1024, 1000, 5000);

	cfs_init(&cfs, 2);
	cfs_account_enqueue(&cfs, &cur);
	cfs_account_enqueue(&cfs, &o);
	cfs_queue_add(&cfs, &o);
	cfs.curr = &cur;
	cur.vlag = cur.deadline; /* protected slice */
	ck_assert_ptr_eq(pick_eevdf(&cfs, 1), &cur);
	ck_assert_ptr_eq(pick_eevdf(&cfs, 0), &o);
	cfs_destroy(&cfs);
}
END_TEST

/* Weights: a nice -5 task's vruntime advances 1024/3121 as fast. */
START_TEST(test_weights)
{
	ck_assert_int_eq(nice_to_weight(0), 1024);
	ck_assert_int_eq(nice_to_weight(-20), 88761);
	ck_assert_int_eq(nice_to_weight(19), 15);
	ck_assert_int_eq(calc_delta_fair(3121000, 3121), 1024000);
	ck_assert_int_eq(calc_delta_fair(5000, 1024), 5000);
}
END_TEST

/* place_entity(): lag is kept across sleep; a new task gets half a slice. */
START_TEST(test_place_lag)
{
	struct cfs_rq cfs;
	struct sched_entity a = mk(1, 1024, 10000, 20000), p = mk(2, 1024, 0, 0);

	cfs_init(&cfs, 2);
	cfs_account_enqueue(&cfs, &a);
	cfs_queue_add(&cfs, &a);
	/* V = 10000; p comes back with lag +2000 (it was owed service) */
	p.vlag = 2000;
	place_entity(&cfs, &p, 0, 1, 1);
	/* lag scaled by (W + w) / W = 2: v = V - 4000, so V' = 8000 and lag = 2000 */
	ck_assert_int_eq(p.vruntime, 6000);
	ck_assert_int_eq(p.deadline, 6000 + 3000000);
	cfs_account_enqueue(&cfs, &p);
	cfs_queue_add(&cfs, &p);
	ck_assert_int_eq(avg_vruntime(&cfs) - p.vruntime, 2000);
	/* new task, no lag: vruntime = V, deadline = V + slice/2 */
	struct sched_entity n = mk(3, 1024, 0, 0);
	place_entity(&cfs, &n, 1, 1, 1);
	ck_assert_int_eq(n.vruntime, avg_vruntime(&cfs));
	ck_assert_int_eq(n.deadline - n.vruntime, 1500000);
	/* update_entity_lag() clamps to 2 slices */
	p.vruntime -= 100000000;
	update_entity_lag(&cfs, &p, 1000000);
	ck_assert_int_eq(p.vlag, 6000000);
	cfs_destroy(&cfs);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("eevdf");
	TCase *tc = tcase_create("eevdf");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_pick_eligible_earliest_deadline);
	tcase_add_test(tc, test_run_to_parity);
	tcase_add_test(tc, test_weights);
	tcase_add_test(tc, test_place_lag);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
