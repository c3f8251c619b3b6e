/*
 * fio's log-linear latency histogram, as schbench.c carries it
 * (plat_val_to_idx / plat_idx_to_val / calc_percentiles), so that cassim's
 * percentiles round exactly the way the real benchmark's do.
 *
 * Layout (PLAT_BITS = 8, PLAT_VAL = 256): a value whose most significant bit
 * is at position msb <= PLAT_BITS is its own index, so 0..511 are exact
 * (groups 0 and 1).  Above that, group g = msb - PLAT_BITS + 1 covers
 * [2^msb, 2^(msb+1)) with 256 linear buckets of width 2^(msb - PLAT_BITS):
 * the relative error is below 1/256 everywhere.
 */
#include "report/hist.h"

#include <string.h>

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

/* schbench plat_val_to_idx() */
unsigned hist_val_to_idx(uint64_t v)
{
	unsigned msb, error_bits, base, offset, idx;

	msb = v ? 63u - (unsigned)__builtin_clzll(v) : 0;

	/* Below 2^(PLAT_BITS+1) no bits need to be discarded: exact. */
	if (msb <= HIST_PLAT_BITS)
		return (unsigned)v;

	/* Number of low bits that fall inside one bucket. */
	error_bits = msb - HIST_PLAT_BITS;
	/* Buckets before this group. */
	base = (error_bits + 1) << HIST_PLAT_BITS;
	/* Linear position inside the group (drops the implicit msb). */
	offset = (unsigned)((HIST_PLAT_VAL - 1) & (v >> error_bits));

	/* Beyond the last group: clamp to the last bucket, as fio does. */
	idx = base + offset;
	return idx < HIST_PLAT_NR - 1 ? idx : HIST_PLAT_NR - 1;
}

/* schbench plat_idx_to_val(): the bucket's midpoint (its own value when the
 * bucket is exact). */
uint64_t hist_idx_to_val(unsigned idx)
{
	unsigned error_bits;
	uint64_t base, k;

	if (idx >= HIST_PLAT_NR)
		idx = HIST_PLAT_NR - 1;
	if (idx < (HIST_PLAT_VAL << 1))
		return idx;

	error_bits = (idx >> HIST_PLAT_BITS) - 1;
	base = UINT64_C(1) << (error_bits + HIST_PLAT_BITS);
	k = idx % HIST_PLAT_VAL;
	/* fio: base + (k + 0.5) * 2^error_bits; error_bits >= 1 here, so the
	 * integer form is exact. */
	return base + (k << error_bits) + (UINT64_C(1) << (error_bits - 1));
}

void hist_add(struct hist *h, uint64_t v)
{
	if (h->n == 0 || v < h->min)
		h->min = v;
	if (h->n == 0 || v > h->max)
		h->max = v;
	h->n++;
	h->sum += (double)v;
	h->bucket[hist_val_to_idx(v)]++;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	unsigned i;

	if (src->n == 0)
		return;
	if (dst->n == 0 || src->min < dst->min)
		dst->min = src->min;
	if (dst->n == 0 || src->max > dst->max)
		dst->max = src->max;
	dst->n += src->n;
	dst->sum += src->sum;
	for (i = 0; i < HIST_PLAT_NR; i++)
		dst->bucket[i] += src->bucket[i];
}

/*
 * schbench calc_percentiles() for one percentile: walk the buckets until the
 * cumulative count reaches p% of the samples.  One deviation: the walk also
 * requires a non-empty prefix, so p = 0 gives the lowest occupied bucket
 * rather than bucket 0 (schbench never asks for p0).
 */
uint64_t hist_percentile(const struct hist *h, double p)
{
	double want;
	uint64_t sum = 0;
	unsigned i;

	if (h->n == 0)
		return 0;
	if (!(p >= 0.0)) /* also catches NaN */
		p = 0.0;
	if (p > 100.0)
		p = 100.0;
	want = p / 100.0 * (double)h->n;

	for (i = 0; i < HIST_PLAT_NR; i++) {
		sum += h->bucket[i];
		if (sum > 0 && (double)sum >= want)
			return hist_idx_to_val(i);
	}
	/* Unreachable when the buckets add up to n; stay defined anyway. */
	return hist_idx_to_val(HIST_PLAT_NR - 1);
}

double hist_mean(const struct hist *h)
{
	return h->n ? h->sum / (double)h->n : 0.0;
}
