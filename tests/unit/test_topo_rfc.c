/*
 * Unit tests for the rules of Hygon's topology-aware aggregation
 * (examples/cas-topo-rfc/topo_rules.h, the module cas-topo-rfc /
 * cas-topo-rfc-v2): the deduplicated distance matrix, the affinity
 * sequence and the prefix rule on the Hygon machine's SLIT
 * (topologies/hygon-c86-2s-8node-4llc.xml), the domain-tier rule of v1,
 * the asymmetric EWMA and the affinity gain.  Expected values are worked
 * out by hand in the comments.
 */
#include <check.h>
#include <stdlib.h>

#include "../../examples/cas-topo-rfc/topo_rules.h"
#include "harness.h"

/* hygon-c86-2s-8node-4llc: 8 nodes, 4 LLCs of 8 CPUs per node, LLC ids
 * node-major (LLC l is on node l / 4, position l % 4). */
static const int slit[64] = {
	10, 16, 16, 16, 28, 28, 22, 28,
	16, 10, 16, 16, 28, 28, 28, 22,
	16, 16, 10, 16, 22, 28, 28, 28,
	16, 16, 16, 10, 28, 22, 28, 28,
	28, 28, 22, 28, 10, 16, 16, 16,
	28, 28, 28, 22, 16, 10, 16, 16,
	22, 28, 28, 28, 16, 16, 10, 16,
	28, 22, 28, 28, 16, 16, 16, 10,
};
static int ddist[64], node[32], rank_[32];
static int64_t cap[32];
static struct topo_llcs tl;

static void setup(void)
{
	topo_dedup_dist(8, slit, ddist);
	for (int l = 0; l < 32; l++) {
		node[l] = l / 4;
		rank_[l] = l % 4;
		cap[l] = 8 * 1024; /* 8 CPUs x SCHED_CAPACITY_SCALE */
	}
	tl = (struct topo_llcs){ .nr = 32, .nr_nodes = 8, .node = node, .rank = rank_, .ddist = ddist };
}

START_TEST(test_dedup)
{
	/* pairs in order (0,1) 16 -> colour 0, (0,2) 16 -> 1 (0 taken at node
	 * 0), (0,3) 16 -> 2, (0,4) 28 -> 0, (0,5) 28 -> 1, (0,6) 22 -> 0,
	 * (0,7) 28 -> 2; multiplier 2n = 16 */
	static const int row0[8] = { 160, 256, 257, 258, 448, 449, 352, 450 };

	setup();
	for (int j = 0; j < 8; j++)
		ck_assert_int_eq(ddist[j], row0[j]);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 8; j++) {
			ck_assert_int_eq(ddist[i * 8 + j], ddist[j * 8 + i]); /* symmetric */
			ck_assert_int_eq(ddist[i * 8 + j] / 16, slit[i * 8 + j]); /* order kept */
			for (int k = 0; k < j; k++)
				ck_assert_int_ne(ddist[i * 8 + j], ddist[i * 8 + k]); /* unique in the row */
		}
	/* (1,2) 16: colour 0 is (0,1)'s at node 1, 1 is (0,2)'s at node 2:
	 * the smallest free one is 2 */
	ck_assert_int_eq(ddist[1 * 8 + 2], 16 * 16 + 2);
}
END_TEST

START_TEST(test_affinity_seq)
{
	int seq[32];
	/* from LLC 0: its node by position (0 1 2 3), then node 1 (256),
	 * 2 (257), 3 (258), 6 (352), 4 (448), 5 (449), 7 (450) */
	static const int want0[32] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
				       24, 25, 26, 27, 16, 17, 18, 19, 20, 21, 22, 23, 28, 29, 30, 31 };

	setup();
	topo_affinity_seq(&tl, 0, seq);
	for (int i = 0; i < 32; i++)
		ck_assert_int_eq(seq[i], want0[i]);
	/* from LLC 2: |pos - 2| = 0 (2), 1 (1, 3: by id), 2 (0) */
	topo_affinity_seq(&tl, 2, seq);
	ck_assert_int_eq(seq[0], 2);
	ck_assert_int_eq(seq[1], 1);
	ck_assert_int_eq(seq[2], 3);
	ck_assert_int_eq(seq[3], 0);
	ck_assert_int_eq(seq[4], 4); /* then node 1 */
}
END_TEST

START_TEST(test_prefix_rule)
{
	int seq[32];

	setup();
	topo_affinity_seq(&tl, 0, seq);
	/* each LLC adds 8192 x 50 % = 4096 of fitting utilisation; the fit
	 * is strict (util x 100 < cap x pct) */
	ck_assert_int_eq(topo_prefix_len(seq, 32, cap, 0, 50), 1);
	ck_assert_int_eq(topo_prefix_len(seq, 32, cap, 4095, 50), 1);
	ck_assert_int_eq(topo_prefix_len(seq, 32, cap, 4096, 50), 2);
	ck_assert_int_eq(topo_prefix_len(seq, 32, cap, 12000, 50), 3);
	ck_assert_int_eq(topo_prefix_len(seq, 32, cap, 16383, 50), 4);  /* the whole node */
	ck_assert_int_eq(topo_prefix_len(seq, 32, cap, 16384, 50), 5);  /* + LLC 4 of node 1 */
	ck_assert_int_eq(topo_prefix_len(seq, 32, cap, 16384, 100), 3); /* 3 x 8192 > 16384 */
	ck_assert_int_eq(topo_prefix_len(seq, 32, cap, 1 << 30, 50), 32); /* nothing fits: all */
}
END_TEST

START_TEST(test_domain_tier)
{
	/* RFC v1 on cpu 0's domains above the LLC: LLC, NODE (4 LLCs), NUMA
	 * 16 (16), 22 (20), 28 (32) */
	static const int64_t caps[5] = { 8192, 32768, 131072, 163840, 262144 };

	ck_assert_int_eq(topo_tier(5, caps, 4095, 50), 0);
	ck_assert_int_eq(topo_tier(5, caps, 4096, 50), 1);   /* 2 LLCs' worth: the whole node */
	ck_assert_int_eq(topo_tier(5, caps, 16384, 50), 2);  /* just over a node: 4 nodes */
	ck_assert_int_eq(topo_tier(5, caps, 1 << 30, 50), 4);
}
END_TEST

START_TEST(test_ewma)
{
	ck_assert_int_eq(topo_ewma(0, 1000), 500);    /* up: half the step */
	ck_assert_int_eq(topo_ewma(500, 1000), 750);
	ck_assert_int_eq(topo_ewma(1000, 0), 875);    /* down: an eighth */
	ck_assert_int_eq(topo_ewma(1000, 993), 1000); /* (7) / 8 truncates to 0 */
	ck_assert_int_eq(topo_ewma(1000, 1000), 1000);
}
END_TEST

START_TEST(test_affinity_gain)
{
	setup();
	/* from node 4 (448) to node 1 (256), anchor LLC 0: 192 */
	ck_assert_int_eq(topo_affinity_gain(&tl, 0, 16, 4), 192);
	/* node 2 (257) to node 1 (256): 1, raised to the NUMA floor 4 */
	ck_assert_int_eq(topo_affinity_gain(&tl, 0, 8, 4), 4);
	/* inside the node: position 3 to 1: 2 */
	ck_assert_int_eq(topo_affinity_gain(&tl, 0, 3, 1), 2);
	/* away from the anchor: no gain */
	ck_assert_int_eq(topo_affinity_gain(&tl, 0, 1, 2), 0);
	ck_assert_int_eq(topo_affinity_gain(&tl, 0, 4, 16), 0);
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("topo_rfc", &tc, 10);

	tcase_add_test(tc, test_dedup);
	tcase_add_test(tc, test_affinity_seq);
	tcase_add_test(tc, test_prefix_rule);
	tcase_add_test(tc, test_domain_tier);
	tcase_add_test(tc, test_ewma);
	tcase_add_test(tc, test_affinity_gain);
	return harness_run(s);
}
