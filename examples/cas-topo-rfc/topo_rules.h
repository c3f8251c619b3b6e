/*
 * topo_rules.h: the pure rules of Hygon's topology-aware aggregation
 * (CAS-after-merge.md §1), shared by the module cas_topo.c and its unit
 * test (tests/unit/test_topo_rfc.c).  No kernel file mirrors it: the
 * patches (RFC v1 IU-LKML 2606.3/02000-02002; RFC v2
 * <20260827122816.756234-1-wujianyong@hygon.cn>) are known only from the
 * public record; each rule names the patch it restates and the choices
 * marked [U] are listed in docs/policies.md.
 *
 * Header-only (static functions) so that the module stays one object that
 * links against nothing, and the test sees the same code.
 */
#ifndef CAS_TOPO_RULES_H
#define CAS_TOPO_RULES_H

#include <stdint.h>
#include <stdlib.h>

/* RFC v2 02/23: make every row of the NUMA distance matrix @d (@n x @n)
 * unique by greedy edge colouring.  Each node pair {i, j}, i < j, in
 * lexicographic order (lowest node id first [U]), gets the smallest colour
 * c >= 0 that no earlier pair with the same distance uses at i or at j;
 * out[i][j] = out[j][i] = d[i][j] * 2n + c, so the order by distance is
 * kept, equal distances are broken by colour, the matrix stays symmetric
 * and each row has unique values (a node's equal-distance edges have
 * different colours).  Colours stay below 2n - 1 (a greedy colouring of a
 * graph of degree < n).  @out has n*n ints. */
static inline void topo_dedup_dist(int n, const int *d, int *out)
{
	int mul = 2 * n;

	for (int i = 0; i < n; i++)
		out[i * n + i] = d[i * n + i] * mul;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			int c = 0;
			for (;;) {
				int taken = 0;
				/* colours of earlier pairs at i or j with the same distance */
				for (int a = 0; a < n && !taken; a++)
					for (int b = a + 1; b < n && !taken; b++) {
						if (a > i || (a == i && b >= j))
							break; /* not earlier */
						if ((a == i || a == j || b == i || b == j) &&
						    d[a * n + b] == d[i * n + j] &&
						    out[a * n + b] - d[a * n + b] * mul == c)
							taken = 1;
					}
				if (!taken)
					break;
				c++;
			}
			out[i * n + j] = out[j * n + i] = d[i * n + j] * mul + c;
		}
}

/* The LLCs of the machine as the rules need them. */
struct topo_llcs {
	int nr;            /* LLCs */
	int nr_nodes;
	const int *node;   /* [nr] node of each LLC */
	const int *rank;   /* [nr] position of the LLC among its node's LLCs (by id) */
	const int *ddist;  /* [nr_nodes^2] deduplicated NUMA distances */
};

/* RFC v2 02/23, the synthetic intra-node LLC distance (ordering only, no
 * physical meaning): its values are not public [U]; cassim uses the
 * difference of the LLCs' positions in their node (a line). */
static inline int topo_llc_synth(const struct topo_llcs *t, int a, int b)
{
	return abs(t->rank[a] - t->rank[b]);
}

/* The distance of LLC @l from the preferred LLC @p, for ordering and for
 * the affinity gain: the synthetic distance inside p's node, else the
 * deduplicated NUMA distance of the nodes (always larger: a NUMA distance
 * >= 10 times 2n exceeds any position difference). */
static inline int topo_llc_dist(const struct topo_llcs *t, int p, int l)
{
	if (t->node[l] == t->node[p])
		return topo_llc_synth(t, p, l);
	return t->ddist[t->node[p] * t->nr_nodes + t->node[l]];
}

/* RFC v2 02/23, the affinity sequence of preferred LLC @p into @seq[nr]:
 * p's node's LLCs by synthetic distance from p (p first, ties by id), then
 * the other nodes by p's node's deduplicated distance row (unique), each
 * node's LLCs by id.  Both orders are one sort on (distance, id). */
static inline void topo_affinity_seq(const struct topo_llcs *t, int p, int *seq)
{
	for (int i = 0; i < t->nr; i++)
		seq[i] = i;
	/* insertion sort: nr is small (32 on the Hygon machine), done once
	 * per preferred-LLC change */
	for (int i = 1; i < t->nr; i++) {
		int x = seq[i], dx = topo_llc_dist(t, p, x), j = i - 1;
		while (j >= 0 && (topo_llc_dist(t, p, seq[j]) > dx ||
				  (topo_llc_dist(t, p, seq[j]) == dx && seq[j] > x))) {
			seq[j + 1] = seq[j];
			j--;
		}
		seq[j + 1] = x;
	}
}

/* The fit test on summed capacity [U: the fits_llc_capacity() percentage,
 * CAS.md §2.8]: util * 100 < cap * pct. */
static inline int topo_fits(int64_t util, int64_t cap, int64_t pct)
{
	return util * 100 < cap * pct;
}

/* RFC v2 20-22/23, the prefix rule: the length of the smallest prefix of
 * @seq whose summed capacity (@cap[llc]) fits @util; all of it when none
 * does. */
static inline int topo_prefix_len(const int *seq, int nr, const int64_t *cap, int64_t util, int64_t pct)
{
	int64_t sum = 0;

	for (int k = 0; k < nr; k++) {
		sum += cap[seq[k]];
		if (topo_fits(util, sum, pct))
			return k + 1;
	}
	return nr;
}

/* RFC v1: the smallest of @nr_tiers nested sched-domain spans (LLC, node,
 * NUMA levels up) whose capacity @tier_cap[] fits @util: its index, the
 * last when none does (the v2 changelog: v1 "expanded resources along
 * sched-domain boundaries"; the test is get_sd_stats() sums against the
 * LLC threshold [U]). */
static inline int topo_tier(int nr_tiers, const int64_t *tier_cap, int64_t util, int64_t pct)
{
	for (int k = 0; k < nr_tiers; k++)
		if (topo_fits(util, tier_cap[k], pct))
			return k;
	return nr_tiers - 1;
}

/* RFC v2 20/23: asymmetric EWMA of the group's utilisation, weight 1/2
 * rising and 1/8 falling (truncating integer steps). */
static inline int64_t topo_ewma(int64_t avg, int64_t sample)
{
	if (sample > avg)
		return avg + (sample - avg) / 2;
	return avg - (avg - sample) / 8;
}

/* RFC v2 12/23, one LLC's affinity gain when a task moves from LLC @src to
 * LLC @dst, both measured from preferred LLC @p: clamp(dist(src) -
 * dist(dst), lo, 1024), lo = 4 across nodes (NUMA level) else 1; 0 when
 * dst is not closer. */
static inline int topo_affinity_gain(const struct topo_llcs *t, int p, int src, int dst)
{
	int ds = topo_llc_dist(t, p, src), dd = topo_llc_dist(t, p, dst);
	int lo = t->node[src] != t->node[dst] ? 4 : 1, g = ds - dd;

	if (dd >= ds)
		return 0;
	return g < lo ? lo : g > 1024 ? 1024 : g;
}

#endif
