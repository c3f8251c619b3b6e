/*
 * Seeded random streams (GSL).  Every consumer of randomness owns a named
 * stream derived from (run seed, stream name, index): adding a new consumer
 * never perturbs the numbers an existing one sees, so results stay
 * comparable across code changes and paired across policies.
 */
#ifndef CASSIM_BASE_RNG_H
#define CASSIM_BASE_RNG_H

#include <gsl/gsl_rng.h>

#include "base/types.h"

struct rng {
	gsl_rng *r;
};

/* Derive the stream's seed from (seed, name, index) with a strong mixer and
 * seed a GSL mt19937 generator.  Returns -1 on allocation failure. */
int rng_init(struct rng *s, uint64_t seed, const char *name, uint64_t index);
void rng_destroy(struct rng *s);

/* Derived seed, exposed for tests and for reproducibility notes. */
uint64_t rng_derive_seed(uint64_t seed, const char *name, uint64_t index);

/* Uniform in [0,1). */
double rng_uniform(struct rng *s);
/* Uniform integer in [0, n). */
uint64_t rng_below(struct rng *s, uint64_t n);

#endif
