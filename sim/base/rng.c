#include "base/rng.h"

/* splitmix64 finaliser: a well-mixed 64-bit hash of a 64-bit value. */
static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t rng_derive_seed(uint64_t seed, const char *name, uint64_t index)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a of the name */

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	return mix64(mix64(mix64(seed) ^ h) ^ index);
}

int rng_init(struct rng *s, uint64_t seed, const char *name, uint64_t index)
{
	uint64_t d = rng_derive_seed(seed, name, index);

	s->r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!s->r)
		return -1;
	/* mt19937 takes an unsigned long seed; 0 selects GSL's default seed, so
	 * fold the high half in and avoid 0. */
	gsl_rng_set(s->r, (unsigned long)(d ^ (d >> 32)) | 1UL);
	return 0;
}

void rng_destroy(struct rng *s)
{
	if (s->r)
		gsl_rng_free(s->r);
	s->r = NULL;
}

double rng_uniform(struct rng *s)
{
	return gsl_rng_uniform(s->r);
}

uint64_t rng_below(struct rng *s, uint64_t n)
{
	if (n <= 1)
		return 0;
	if (n <= gsl_rng_max(s->r))
		return gsl_rng_uniform_int(s->r, (unsigned long)n);
	return (uint64_t)(gsl_rng_uniform(s->r) * (double)n);
}
