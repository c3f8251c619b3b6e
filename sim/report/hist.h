/*
 * Latency histogram with fio's log-linear buckets, as schbench uses
 * (PLAT_BITS = 8: each power-of-two group split into 256 linear buckets), so
 * that percentiles round the way the real benchmark's do.  Values are in
 * nanoseconds; fixed size, no allocation.
 */
#ifndef CASSIM_REPORT_HIST_H
#define CASSIM_REPORT_HIST_H

#include <stdint.h>

#define HIST_PLAT_BITS 8
#define HIST_PLAT_VAL (1 << HIST_PLAT_BITS)
#define HIST_PLAT_GROUP_NR 32 /* covers values up to ~2^39 ns (~9 min) */
#define HIST_PLAT_NR (HIST_PLAT_GROUP_NR * HIST_PLAT_VAL)

struct hist {
	uint64_t n;
	uint64_t min, max;
	double sum;
	uint32_t bucket[HIST_PLAT_NR];
};

void hist_init(struct hist *h);
void hist_add(struct hist *h, uint64_t v);
void hist_merge(struct hist *dst, const struct hist *src);
/* Percentile @p in [0,100]; returns the bucket's representative value as
 * fio/schbench do (plat_idx_to_val), 0 for an empty histogram. */
uint64_t hist_percentile(const struct hist *h, double p);
double hist_mean(const struct hist *h);

/* Exposed for tests: value -> bucket index and back. */
unsigned hist_val_to_idx(uint64_t v);
uint64_t hist_idx_to_val(unsigned idx);

#endif
