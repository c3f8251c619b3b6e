/*
 * The workload loader's basics: buffers, errors located by key path, key
 * paths, and the scalar values of the format (durations, byte sizes,
 * distributions, cpu lists, numbers, booleans, names), each with ${}
 * substituted (wl_param.c) and checked.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/param.h"
#include "base/xalloc.h"
#include "workload/wl_ld.h"

#define DUR_EXPECT "expected a non-negative duration: a number of ns or a string with unit ns/us/ms/s, e.g. \"2ms\""
#define BYTES_EXPECT "expected a non-negative number of bytes, or a string with unit B, KB, MB, GB, KiB, MiB, GiB, e.g. \"64KiB\""

/* A buffer of @need elements of @size holding the *@cap of @a, the new ones
 * zeroed (*@cap updated). */
void *ld_grow_buf(void *a, int *cap, int need, size_t size)
{
	int ncap = MAX(need, *cap ? *cap * 2 : 16);
	char *n = xrealloc(a, size * (size_t)ncap);

	memset(n + size * (size_t)*cap, 0, size * (size_t)(ncap - *cap));
	*cap = ncap;
	return n;
}

/* Bounded copy (callers check lengths where truncation matters). */
void ld_copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int ld_err_at(struct ld *ld, const char *path, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	int line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wl_locate_nearest(ld->text, path, &line, &col);
	return diag_at(ld->err, ld->file, line, col, "%s", msg);
}

const char *ld_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

size_t ld_push_key(struct ld *ld, const char *key)
{
	return wl_path_push_key(ld->path, sizeof(ld->path), key);
}

size_t ld_push_idx(struct ld *ld, size_t i)
{
	return wl_path_push_idx(ld->path, sizeof(ld->path), i);
}

void ld_pop(struct ld *ld, size_t mark)
{
	ld->path[mark] = '\0';
}

json_t *ld_enter(struct ld *ld, json_t *obj, const char *key, size_t *mark)
{
	json_t *v = json_object_get(obj, key);

	if (v)
		*mark = ld_push_key(ld, key);
	return v;
}

int ld_check_keys(struct ld *ld, json_t *obj, const char *const *allowed)
{
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v) {
		size_t i;
		for (i = 0; allowed[i]; i++)
			if (!strcmp(k, allowed[i]))
				break;
		if (allowed[i])
			continue;

		char list[512] = "", where[512];
		size_t off = 0;
		for (i = 0; allowed[i] && off < sizeof(list); i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "",
						allowed[i]);
		snprintf(where, sizeof(where), "%s", *ld->path ? ld->path : "the top level");
		size_t m = ld_push_key(ld, k);
		ld_err_at(ld, ld->path, "unknown key \"%s\" in %s (expected one of: %s)", k, where, list);
		ld_pop(ld, m);
		return -1;
	}
	return 0;
}

/* "\"raw\"" or "\"raw\" (= \"substituted\")" for messages. */
static const char *show(const char *raw, const char *val, char *buf, size_t cap)
{
	if (!strcmp(raw, val))
		snprintf(buf, cap, "\"%s\"", raw);
	else
		snprintf(buf, cap, "\"%s\" (= \"%s\")", raw, val);
	return buf;
}

/* A string value with ${} substituted. */
int ld_get_str(struct ld *ld, json_t *v, char *out, size_t cap, const char *expect)
{
	if (!json_is_string(v))
		return err_here(ld, "got %s (expected %s)", ld_type_name(v), expect);
	return param_subst(ld, json_string_value(v), out, cap);
}

int ld_get_int(struct ld *ld, json_t *v, int64_t *out)
{
	char s[WL_STR_MAX], sh[2 * WL_STR_MAX + 16];
	char *end;

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 9e15) {
			*out = (int64_t)d;
			return 0;
		}
		return err_here(ld, "%g is not an integer (expected an integer)", d);
	}
	if (!json_is_string(v))
		return err_here(ld, "got %s (expected an integer or a \"${param}\" string)", ld_type_name(v));
	if (param_subst(ld, json_string_value(v), s, sizeof(s)))
		return -1;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (end == s || *end || errno)
		return err_here(ld, "%s is not an integer (expected an integer)",
				show(json_string_value(v), s, sh, sizeof(sh)));
	*out = x;
	return 0;
}

/* A fixed duration: a string with a unit, or a number of ns. */
int ld_get_dur(struct ld *ld, json_t *v, simtime_t *out)
{
	char s[WL_STR_MAX], sh[2 * WL_STR_MAX + 16];

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return err_here(ld, "negative duration %" JSON_INTEGER_FORMAT " (" DUR_EXPECT ")",
					json_integer_value(v));
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d < 0)
			return err_here(ld, "negative duration %g (" DUR_EXPECT ")", d);
		if (!isfinite(d) || d > 9.2e18)
			return err_here(ld, "duration %g too large (" DUR_EXPECT ")", d);
		*out = (simtime_t)llround(d);
		return 0;
	}
	if (!json_is_string(v))
		return err_here(ld, "got %s (" DUR_EXPECT ")", ld_type_name(v));
	if (param_subst(ld, json_string_value(v), s, sizeof(s)))
		return -1;
	if (parse_duration(s, 1, out)) {
		char *end;
		double d = strtod(s, &end);
		show(json_string_value(v), s, sh, sizeof(sh));
		if (end != s && d < 0)
			return err_here(ld, "negative duration %s (" DUR_EXPECT ")", sh);
		return err_here(ld, "not a duration: %s (" DUR_EXPECT ")", sh);
	}
	return 0;
}

static int get_dur_d(struct ld *ld, json_t *v, double *out)
{
	simtime_t t;

	if (ld_get_dur(ld, v, &t))
		return -1;
	*out = (double)t;
	return 0;
}

const struct dist_unit ld_dist_ns = { "a duration", "ns", get_dur_d };
const struct dist_unit ld_dist_bytes = { "a byte size", "B", ld_get_bytes };

static int get_val_key(struct ld *ld, json_t *obj, const char *key, const struct dist_unit *u,
		       double *out)
{
	json_t *v = json_object_get(obj, key);
	size_t m = ld_push_key(ld, key);

	if (!v) {
		ld_pop(ld, m);
		return err_here(ld, "missing key \"%s\" (expected \"%s\": %s)", key, key, u->what);
	}
	if (u->get(ld, v, out))
		return -1;
	ld_pop(ld, m);
	return 0;
}

/* A value (duration or byte size, by @u) or a distribution object of them. */
int ld_get_dist(struct ld *ld, json_t *v, const struct dist_unit *u, struct wl_dist *d)
{
	static const struct {
		const char *name;
		enum wl_dist_kind kind;
		const char *keys[4];
	} kinds[] = {
		{ "fixed", WL_DIST_FIXED, { "dist", "value", NULL } },
		{ "uniform", WL_DIST_UNIFORM, { "dist", "min", "max", NULL } },
		{ "exponential", WL_DIST_EXPONENTIAL, { "dist", "mean", NULL } },
		{ "normal", WL_DIST_NORMAL, { "dist", "mean", "stddev", NULL } },
		{ "lognormal", WL_DIST_LOGNORMAL, { "dist", "mean", "stddev", NULL } },
	};
	char kind[WL_STR_MAX];
	size_t i, m;
	json_t *k;

	memset(d, 0, sizeof(*d));
	if (!json_is_object(v)) {
		if (!json_is_string(v) && !json_is_number(v))
			return err_here(ld, "got %s (expected %s or a distribution object "
					"{\"dist\": \"fixed|uniform|exponential|normal|lognormal\", ...})",
					ld_type_name(v), u->what);
		d->kind = WL_DIST_FIXED;
		return u->get(ld, v, &d->a);
	}
	k = json_object_get(v, "dist");
	if (!k)
		return err_here(ld, "distribution without \"dist\" (expected \"dist\": one of fixed, "
				"uniform, exponential, normal, lognormal)");
	m = ld_push_key(ld, "dist");
	if (ld_get_str(ld, k, kind, sizeof(kind), "a distribution name"))
		return -1;
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(kind, kinds[i].name))
			break;
	if (i == ARRAY_SIZE(kinds))
		return err_here(ld, "unknown distribution \"%s\" (expected one of: fixed, uniform, "
				"exponential, normal, lognormal)", kind);
	ld_pop(ld, m);
	if (ld_check_keys(ld, v, kinds[i].keys))
		return -1;
	d->kind = kinds[i].kind;
	switch (d->kind) {
	case WL_DIST_FIXED:
		return get_val_key(ld, v, "value", u, &d->a);
	case WL_DIST_UNIFORM:
		if (get_val_key(ld, v, "min", u, &d->a) || get_val_key(ld, v, "max", u, &d->b))
			return -1;
		if (d->b < d->a) {
			m = ld_push_key(ld, "max");
			return err_here(ld, "max %.0f %s is below min %.0f %s (expected min <= max)",
					d->b, u->sfx, d->a, u->sfx);
		}
		return 0;
	case WL_DIST_EXPONENTIAL:
		return get_val_key(ld, v, "mean", u, &d->a);
	case WL_DIST_NORMAL:
		return get_val_key(ld, v, "mean", u, &d->a) ||
		       get_val_key(ld, v, "stddev", u, &d->b) ? -1 : 0;
	case WL_DIST_LOGNORMAL:
		if (get_val_key(ld, v, "mean", u, &d->a) || get_val_key(ld, v, "stddev", u, &d->b))
			return -1;
		if (d->a <= 0) {
			m = ld_push_key(ld, "mean");
			return err_here(ld, "lognormal mean 0 (expected a mean > 0)");
		}
		return 0;
	}
	return 0;
}

/* A Linux cpu list, "0-3,8". */
static int parse_cpulist(struct ld *ld, const char *raw, const char *s, struct cpumask *m)
{
	int bound = ld->nr_cpus > 0 ? MIN(ld->nr_cpus, CPUMASK_MAX_CPUS) : CPUMASK_MAX_CPUS;
	char sh[2 * WL_STR_MAX + 16];
	const char *p = s;

	show(raw, s, sh, sizeof(sh));
	cpumask_clear(m);
	for (;;) {
		char *end;
		long lo, hi;

		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			return err_here(ld, "bad cpu list %s (expected a Linux cpu list like \"0-3,8\")", sh);
		lo = hi = strtol(p, &end, 10);
		p = end;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				return err_here(ld, "bad cpu list %s (expected a Linux cpu list like \"0-3,8\")", sh);
			hi = strtol(p, &end, 10);
			p = end;
			if (hi < lo)
				return err_here(ld, "bad cpu range %ld-%ld in %s (expected LOW-HIGH with LOW <= HIGH)",
						lo, hi, sh);
		}
		if (hi >= bound)
			return err_here(ld, "CPU %ld in %s does not exist (expected CPUs 0..%d)",
					lo >= bound ? lo : (long)bound, sh, bound - 1);
		for (long c = lo; c <= hi; c++)
			cpumask_set(m, (int)c);
		while (*p == ' ')
			p++;
		if (!*p)
			return 0;
		if (*p != ',')
			return err_here(ld, "bad cpu list %s (expected a Linux cpu list like \"0-3,8\")", sh);
		p++;
	}
}

int ld_get_cpus(struct ld *ld, json_t *v, struct cpumask *m)
{
	int bound = ld->nr_cpus > 0 ? MIN(ld->nr_cpus, CPUMASK_MAX_CPUS) : CPUMASK_MAX_CPUS;
	char s[WL_STR_MAX];
	size_t i;
	json_t *e;

	if (json_is_string(v)) {
		if (param_subst(ld, json_string_value(v), s, sizeof(s)))
			return -1;
		/* "all": no affinity, so that a parameter can default to it */
		if (!strcmp(s, "all"))
			return 1;
		return parse_cpulist(ld, json_string_value(v), s, m);
	}
	if (!json_is_array(v))
		return err_here(ld, "got %s (expected a cpu list string like \"0-3,8\" or an array of "
				"CPU numbers)", ld_type_name(v));
	if (!json_array_size(v))
		return err_here(ld, "empty cpu array (expected at least one CPU)");
	cpumask_clear(m);
	json_array_foreach(v, i, e) {
		size_t mk = ld_push_idx(ld, i);
		int64_t c;
		if (ld_get_int(ld, e, &c))
			return -1;
		if (c < 0 || c >= bound)
			return err_here(ld, "CPU %" PRId64 " does not exist (expected CPUs 0..%d)", c,
					bound - 1);
		cpumask_set(m, (int)c);
		ld_pop(ld, mk);
	}
	return 0;
}

/* A number, or a string that is one after ${} substitution. */
static int get_num(struct ld *ld, json_t *v, double *out, const char *expect)
{
	char s[WL_STR_MAX], sh[2 * WL_STR_MAX + 16];
	char *end;

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return err_here(ld, "got %s (expected %s)", ld_type_name(v), expect);
	if (param_subst(ld, json_string_value(v), s, sizeof(s)))
		return -1;
	double d = strtod(s, &end);
	if (end == s || *end || !isfinite(d) || s[strspn(s, "0123456789+-.eE")])
		return err_here(ld, "%s is not a number (expected %s)",
				show(json_string_value(v), s, sh, sizeof(sh)), expect);
	*out = d;
	return 0;
}

/* A number in [lo, hi] (the value at the current path). */
int ld_get_num_in(struct ld *ld, json_t *v, double *out, double lo, double hi,
		      const char *expect)
{
	if (get_num(ld, v, out, expect))
		return -1;
	if (!(*out >= lo && *out <= hi))
		return err_here(ld, "%g out of range (expected %s)", *out, expect);
	return 0;
}

int ld_get_bool(struct ld *ld, json_t *v, bool *out)
{
	char s[WL_STR_MAX], sh[2 * WL_STR_MAX + 16];

	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 0;
	}
	if (!json_is_string(v))
		return err_here(ld, "got %s (expected true or false)", ld_type_name(v));
	if (param_subst(ld, json_string_value(v), s, sizeof(s)))
		return -1;
	if (!strcmp(s, "true") || !strcmp(s, "false")) {
		*out = s[0] == 't';
		return 0;
	}
	return err_here(ld, "%s is not a boolean (expected true or false)",
			show(json_string_value(v), s, sh, sizeof(sh)));
}

/* BYTES: a non-negative number, or a string with a unit. */
int ld_get_bytes(struct ld *ld, json_t *v, double *out)
{
	static const struct {
		const char *sfx;
		double mul;
	} units[] = {
		{ "", 1 }, { "B", 1 }, { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 },
		{ "KiB", 1024.0 }, { "MiB", 1048576.0 }, { "GiB", 1073741824.0 },
	};
	char s[WL_STR_MAX], sh[2 * WL_STR_MAX + 16];
	char *end;
	double d;

	if (json_is_number(v)) {
		d = json_number_value(v);
		if (d < 0)
			return err_here(ld, "negative byte size %g (" BYTES_EXPECT ")", d);
		if (!isfinite(d) || d > 1e18)
			return err_here(ld, "byte size %g too large (" BYTES_EXPECT ")", d);
		*out = d;
		return 0;
	}
	if (!json_is_string(v))
		return err_here(ld, "got %s (" BYTES_EXPECT ")", ld_type_name(v));
	if (param_subst(ld, json_string_value(v), s, sizeof(s)))
		return -1;
	show(json_string_value(v), s, sh, sizeof(sh));
	if (s[0] == '-')
		return err_here(ld, "negative byte size %s (" BYTES_EXPECT ")", sh);
	if (!((s[0] >= '0' && s[0] <= '9') || s[0] == '.') || strchr(s, 'x') || strchr(s, 'X'))
		return err_here(ld, "not a byte size: %s (" BYTES_EXPECT ")", sh);
	d = strtod(s, &end);
	if (end == s)
		return err_here(ld, "not a byte size: %s (" BYTES_EXPECT ")", sh);
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].sfx))
			continue;
		d *= units[i].mul;
		if (!isfinite(d) || d > 1e18)
			return err_here(ld, "byte size %s too large (" BYTES_EXPECT ")", sh);
		*out = d;
		return 0;
	}
	return err_here(ld, "not a byte size: %s (" BYTES_EXPECT ")", sh);
}

/* A name (thread, object, counter ...): 1..63 characters after ${}. */
int ld_get_name(struct ld *ld, json_t *v, char *out, const char *what)
{
	char s[WL_STR_MAX], expect[96];

	snprintf(expect, sizeof(expect), "a %s name", what);
	if (ld_get_str(ld, v, s, sizeof(s), expect))
		return -1;
	if (!*s || strlen(s) >= WL_NAME_MAX)
		return err_here(ld, "bad %s name \"%s\" (expected 1..%d characters)", what, s,
				WL_NAME_MAX - 1);
	ld_copy_str(out, WL_NAME_MAX, s);
	return 0;
}
