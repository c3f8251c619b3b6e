/*
 * Tunables and run parameters: one definition per fact.  A table of
 * struct param_def (name, type, default, range, unit, help, offset into a
 * config struct) drives --set parsing, --help, the JSON echo of the
 * configuration and the man page section.
 */
#ifndef CASSIM_BASE_PARAM_H
#define CASSIM_BASE_PARAM_H

#include "base/diag.h"
#include "base/types.h"

enum param_type {
	PARAM_INT,    /* int64_t */
	PARAM_BOOL,   /* bool: 0/1/true/false/on/off */
	PARAM_TIME,   /* simtime_t ns; accepts unit suffix ns/us/ms/s */
	PARAM_DOUBLE, /* double */
};

struct param_def {
	const char *name;
	enum param_type type;
	size_t offset;  /* into the config struct */
	double def;     /* default (ns for PARAM_TIME) */
	double min, max;
	const char *unit; /* "ns", "%", "", ... */
	const char *help;
};

/* Look up @name in a table of @n entries; NULL if unknown. */
const struct param_def *param_find(const struct param_def *tab, size_t n, const char *name);
/* Store every default into @cfg. */
void param_defaults(const struct param_def *tab, size_t n, void *cfg);
/* Parse @val for @d and store it into @cfg; range-checked.  On error fills
 * @err ("--set NAME=VAL: ...") and returns -1. */
int param_set(const struct param_def *d, const char *val, void *cfg, struct diag *err);
/* Value as text (for echo and --help); returns buf. */
char *param_format(const struct param_def *d, const void *cfg, char *buf, size_t len);
/* Value as a double (time in ns). */
double param_get(const struct param_def *d, const void *cfg);

/* Parse a duration like "2s", "1.5ms", "500us", "100ns"; a bare number is in
 * @bare_unit_ns nanoseconds.  Rejects negatives, garbage and overflow. */
int parse_duration(const char *s, double bare_unit_ns, simtime_t *out);

#endif
