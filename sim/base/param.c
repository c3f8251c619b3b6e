#include "base/param.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct param_def *param_find(const struct param_def *tab, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tab[i].name, name))
			return &tab[i];
	return NULL;
}

static void store(const struct param_def *d, void *cfg, double v)
{
	char *p = (char *)cfg + d->offset;

	switch (d->type) {
	case PARAM_INT: *(int64_t *)p = (int64_t)llround(v); break;
	case PARAM_BOOL: *(bool *)p = v != 0; break;
	case PARAM_TIME: *(simtime_t *)p = (simtime_t)llround(v); break;
	case PARAM_DOUBLE: *(double *)p = v; break;
	}
}

double param_get(const struct param_def *d, const void *cfg)
{
	const char *p = (const char *)cfg + d->offset;

	switch (d->type) {
	case PARAM_INT: return (double)*(const int64_t *)p;
	case PARAM_BOOL: return *(const bool *)p;
	case PARAM_TIME: return (double)*(const simtime_t *)p;
	case PARAM_DOUBLE: return *(const double *)p;
	}
	return 0;
}

void param_defaults(const struct param_def *tab, size_t n, void *cfg)
{
	for (size_t i = 0; i < n; i++)
		store(&tab[i], cfg, tab[i].def);
}

int parse_duration(const char *s, double bare_unit_ns, simtime_t *out)
{
	static const struct { const char *sfx; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	char *end;
	double v, mul = bare_unit_ns;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v))
		return -1;
	if (*end) {
		size_t i;
		for (i = 0; i < ARRAY_SIZE(units); i++)
			if (!strcmp(end, units[i].sfx))
				break;
		if (i == ARRAY_SIZE(units))
			return -1;
		mul = units[i].ns;
	}
	v *= mul;
	if (v < 0 || v > 9.2e18)
		return -1;
	*out = (simtime_t)llround(v);
	return 0;
}

int param_set(const struct param_def *d, const char *val, void *cfg, struct diag *err)
{
	double v;
	char *end;

	switch (d->type) {
	case PARAM_BOOL:
		if (!strcasecmp(val, "1") || !strcasecmp(val, "true") || !strcasecmp(val, "on") ||
		    !strcasecmp(val, "yes"))
			v = 1;
		else if (!strcasecmp(val, "0") || !strcasecmp(val, "false") ||
			 !strcasecmp(val, "off") || !strcasecmp(val, "no"))
			v = 0;
		else
			return diag_set(err, "--set %s=%s: not a boolean (expected 0/1, true/false, on/off)",
					d->name, val);
		break;
	case PARAM_TIME: {
		simtime_t t;
		if (parse_duration(val, 1, &t))
			return diag_set(err, "--set %s=%s: not a duration (expected a non-negative number with ns/us/ms/s)",
					d->name, val);
		v = (double)t;
		break;
	}
	default:
		errno = 0;
		v = strtod(val, &end);
		if (end == val || *end || errno || !isfinite(v))
			return diag_set(err, "--set %s=%s: not a number", d->name, val);
		if (d->type == PARAM_INT && v != floor(v))
			return diag_set(err, "--set %s=%s: not an integer", d->name, val);
		break;
	}
	if (v < d->min || v > d->max) {
		char lo[64], hi[64];
		snprintf(lo, sizeof(lo), "%g", d->min);
		snprintf(hi, sizeof(hi), "%g", d->max);
		return diag_set(err, "--set %s=%s: out of range (expected %s..%s%s%s)", d->name, val, lo, hi,
				d->unit && *d->unit ? " " : "", d->unit ? d->unit : "");
	}
	store(d, cfg, v);
	return 0;
}

char *param_format(const struct param_def *d, const void *cfg, char *buf, size_t len)
{
	double v = param_get(d, cfg);

	switch (d->type) {
	case PARAM_BOOL: snprintf(buf, len, "%d", v != 0); break;
	case PARAM_INT:
	case PARAM_TIME: snprintf(buf, len, "%lld", (long long)v); break;
	case PARAM_DOUBLE: snprintf(buf, len, "%.17g", v); break;
	}
	return buf;
}
