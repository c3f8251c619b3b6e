/*
 * Fixed-size CPU bitmaps indexed by cassim's dense CPU index (0..nr_cpus-1,
 * in OS-index order).  Like the kernel's struct cpumask, but with a fixed
 * upper bound so masks can live inside other structs without allocation.
 */
#ifndef CASSIM_BASE_CPUMASK_H
#define CASSIM_BASE_CPUMASK_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define CPUMASK_MAX_CPUS 2048
#define CPUMASK_WORDS (CPUMASK_MAX_CPUS / 64)

struct cpumask {
	uint64_t w[CPUMASK_WORDS];
};

/*
 * Words that can hold a set bit: the queries (next, weight, empty, ...) stop
 * there, as the kernel's walk to nr_cpumask_bits (nr_cpu_ids) rather than
 * NR_CPUS.  Writers (clear, and, or, andnot) keep the whole mask, so a mask
 * is valid whatever the bound.  CPUMASK_WORDS unless a run narrows it to its
 * machine with cpumask_bound_cpus().
 */
extern int cpumask_nr_words;

/* Bound the queries to CPUs 0..@nr_cpus-1 (every mask in use must have no
 * bit at or above it); returns the previous bound, for restoring. */
int cpumask_bound_cpus(int nr_cpus);

static inline void cpumask_clear(struct cpumask *m) { memset(m, 0, sizeof(*m)); }
static inline void cpumask_set(struct cpumask *m, int cpu) { m->w[cpu >> 6] |= 1ULL << (cpu & 63); }
static inline void cpumask_unset(struct cpumask *m, int cpu) { m->w[cpu >> 6] &= ~(1ULL << (cpu & 63)); }
static inline bool cpumask_test(const struct cpumask *m, int cpu) { return (m->w[cpu >> 6] >> (cpu & 63)) & 1; }

/* Add CPUs 0..@n-1 to @m, a word at a time. */
static inline void cpumask_set_first(struct cpumask *m, int n)
{
	int i = 0;

	for (; i < n >> 6; i++)
		m->w[i] = ~0ULL;
	if (n & 63)
		m->w[i] |= (1ULL << (n & 63)) - 1;
}

static inline int cpumask_weight(const struct cpumask *m)
{
	int n = 0;
	for (int i = 0; i < cpumask_nr_words; i++)
		n += __builtin_popcountll(m->w[i]);
	return n;
}

/* First set bit at or after @cpu, or -1. */
static inline int cpumask_next(const struct cpumask *m, int cpu)
{
	int i;
	uint64_t w;

	if (cpu < 0)
		cpu = 0;
	i = cpu >> 6;
	if (i >= cpumask_nr_words)
		return -1;
	w = m->w[i] & (~0ULL << (cpu & 63));
	while (!w) {
		if (++i >= cpumask_nr_words)
			return -1;
		w = m->w[i];
	}
	return i * 64 + __builtin_ctzll(w);
}

static inline int cpumask_first(const struct cpumask *m) { return cpumask_next(m, 0); }

/* A walk over a mask a word at a time (for_each_cpu). */
struct cpumask_iter {
	const struct cpumask *m;
	int word, end; /* the word being walked; the walk stops before word end */
	uint64_t bits; /* bits of m->w[word] not yet visited */
};

/* A walk over the CPUs of @m from @first to @last (@m has none outside). */
static inline struct cpumask_iter cpumask_iter_span(const struct cpumask *m, int first, int last)
{
	return (struct cpumask_iter){ m, first >> 6, (last >> 6) + 1,
				      m->w[first >> 6] & (~0ULL << (first & 63)) };
}

static inline struct cpumask_iter cpumask_iter_start(const struct cpumask *m)
{
	return cpumask_iter_span(m, 0, cpumask_nr_words * 64 - 1);
}

static inline bool cpumask_iter_next(struct cpumask_iter *it, int *cpu)
{
	while (!it->bits) {
		if (++it->word >= it->end)
			return false;
		it->bits = it->m->w[it->word];
	}
	*cpu = it->word * 64 + __builtin_ctzll(it->bits);
	it->bits &= it->bits - 1;
	return true;
}

/* Every CPU of @m in increasing order.  The mask is read a word at a time:
 * the body may clear the CPU it visits, but must not change bits it has yet
 * to visit.  The outer loop runs once and only holds the iterator, so
 * `break` in the body ends the walk. */
#define for_each_cpu_iter(cpu, start)                                                 \
	for (struct cpumask_iter cpu##_it = (start), *cpu##_once = &cpu##_it; cpu##_once; \
	     cpu##_once = NULL)                                                           \
		for (int cpu; cpumask_iter_next(&cpu##_it, &cpu);)
#define for_each_cpu(cpu, m) for_each_cpu_iter(cpu, cpumask_iter_start(m))
/* for_each_cpu() over a mask known to hold only CPUs @first..@last: the
 * walk skips the words outside (a small group of a large machine). */
#define for_each_cpu_span(cpu, m, first, last) for_each_cpu_iter(cpu, cpumask_iter_span((m), (first), (last)))

static inline void cpumask_and(struct cpumask *d, const struct cpumask *a, const struct cpumask *b)
{
	for (int i = 0; i < CPUMASK_WORDS; i++)
		d->w[i] = a->w[i] & b->w[i];
}

static inline void cpumask_or(struct cpumask *d, const struct cpumask *a, const struct cpumask *b)
{
	for (int i = 0; i < CPUMASK_WORDS; i++)
		d->w[i] = a->w[i] | b->w[i];
}

static inline void cpumask_andnot(struct cpumask *d, const struct cpumask *a, const struct cpumask *b)
{
	for (int i = 0; i < CPUMASK_WORDS; i++)
		d->w[i] = a->w[i] & ~b->w[i];
}

static inline bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	return memcmp(a, b, (size_t)cpumask_nr_words * sizeof(a->w[0])) == 0;
}

static inline bool cpumask_intersects(const struct cpumask *a, const struct cpumask *b)
{
	for (int i = 0; i < cpumask_nr_words; i++)
		if (a->w[i] & b->w[i])
			return true;
	return false;
}

/* a is a subset of b */
static inline bool cpumask_subset(const struct cpumask *a, const struct cpumask *b)
{
	for (int i = 0; i < cpumask_nr_words; i++)
		if (a->w[i] & ~b->w[i])
			return false;
	return true;
}

static inline bool cpumask_empty(const struct cpumask *m)
{
	for (int i = 0; i < cpumask_nr_words; i++)
		if (m->w[i])
			return false;
	return true;
}

/* Format as a Linux cpu list ("0-7,16-23") into buf; returns buf. */
char *cpumask_to_list(const struct cpumask *m, char *buf, size_t len);

#endif
