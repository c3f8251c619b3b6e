/*
 * Workload files: JSON (jansson) -> struct workload.  The format is described
 * in workloads/README.md; keep the two in step.
 *
 * jansson gives positions only for syntax errors, so the file is read into
 * memory once, parsed with json_loadb(), and every semantic error is located
 * by re-scanning the text for the offending key path (wl_locate()).  Every
 * error is one line: "FILE:LINE:COL: what (expected what)".
 */
#include "workload/wl.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "base/param.h"

#define WL_NAME_MAX 64
#define WL_STR_MAX 1024
#define WL_COUNT_MAX 1000000
#define DUR_EXPECT "expected a non-negative duration: a number of ns or a string with unit ns/us/ms/s, e.g. \"2ms\""

/* A wake op of a thread entry, resolved once all threads exist. */
struct gwake {
	int op;
	char target[WL_NAME_MAX];
	char path[256];
};

/* One entry of a "threads" array before expansion by "count". */
struct group {
	char name[WL_NAME_MAX];
	int count;
	int first; /* index of instance 0 in workload.threads */
	char path[128];
	struct gwake *wakes;
	int nr_wakes;
};

struct ld {
	const char *file;
	const char *text;
	struct diag *err;
	int nr_cpus;
	struct wl_set *sets;
	int nr_sets;
	struct workload *w;
	int cap_threads;
	struct group *groups;
	int nr_groups, cap_groups;
	/* params after --set overrides (declaration order) */
	int nr_params;
	char (*pnames)[WL_NAME_MAX];
	char (*pvals)[WL_NAME_MAX];
	char path[512]; /* key path of the value being parsed */
};

/* Bounded copy (callers check lengths where truncation matters). */
static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- errors ------------------------------------------------------------ */

/* Locate @path, falling back to its closest enclosing path that exists. */
static void locate(const char *text, const char *path, int *line, int *col)
{
	char p[512];

	snprintf(p, sizeof(p), "%s", path);
	for (;;) {
		if (!wl_locate(text, p, line, col))
			return;
		if (!*p)
			break;
		char *dot = strrchr(p, '.'), *br = strrchr(p, '[');
		char *cut = dot > br ? dot : br;
		if (!cut)
			cut = p;
		*cut = '\0';
	}
	*line = 1;
	*col = 1;
}

static int err_at(struct ld *ld, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int err_at(struct ld *ld, const char *path, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	int line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	locate(ld->text, path, &line, &col);
	return diag_at(ld->err, ld->file, line, col, "%s", msg);
}

/* Error about the value at the current path: "PATH: what". */
#define err_here(ld, fmt, ...) err_at((ld), (ld)->path, "%s: " fmt, (ld)->path, ##__VA_ARGS__)

static const char *type_name(const json_t *v)
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

/* ---- key paths --------------------------------------------------------- */

static size_t push_key(struct ld *ld, const char *key)
{
	size_t m = strlen(ld->path);

	snprintf(ld->path + m, sizeof(ld->path) - m, "%s%s", m ? "." : "", key);
	return m;
}

static size_t push_idx(struct ld *ld, size_t i)
{
	size_t m = strlen(ld->path);

	snprintf(ld->path + m, sizeof(ld->path) - m, "[%zu]", i);
	return m;
}

static void pop(struct ld *ld, size_t mark)
{
	ld->path[mark] = '\0';
}

static int check_keys(struct ld *ld, json_t *obj, const char *const *allowed)
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
		size_t m = push_key(ld, k);
		err_at(ld, ld->path, "unknown key \"%s\" in %s (expected one of: %s)", k, where, list);
		pop(ld, m);
		return -1;
	}
	return 0;
}

/* ---- parameters -------------------------------------------------------- */

static int find_param(struct ld *ld, const char *name, size_t len)
{
	for (int i = 0; i < ld->nr_params; i++)
		if (strlen(ld->pnames[i]) == len && !strncmp(ld->pnames[i], name, len))
			return i;
	return -1;
}

static void param_list(struct ld *ld, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < ld->nr_params && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s", i ? ", " : "", ld->pnames[i]);
}

/* Substitute ${name} in @in into @out. */
static int subst(struct ld *ld, const char *in, char *out, size_t cap)
{
	size_t o = 0;

	for (const char *p = in; *p;) {
		const char *val;
		size_t vlen;

		if (p[0] == '$' && p[1] == '{') {
			const char *end = strchr(p + 2, '}');
			if (!end)
				return err_here(ld, "unterminated \"${\" in \"%s\" (expected ${name})", in);
			int i = find_param(ld, p + 2, (size_t)(end - p - 2));
			if (i < 0) {
				char list[512];
				param_list(ld, list, sizeof(list));
				return err_here(ld, "undeclared parameter \"%.*s\" in \"%s\" (expected %s%s)",
						(int)(end - p - 2), p + 2, in,
						ld->nr_params ? "one of the declared params: " :
								"a parameter declared under top-level \"params\"",
						list);
			}
			val = ld->pvals[i];
			vlen = strlen(val);
			p = end + 1;
		} else {
			val = p;
			vlen = 1;
			p++;
		}
		if (o + vlen >= cap)
			return err_here(ld, "string too long (expected at most %zu characters)", cap - 1);
		memcpy(out + o, val, vlen);
		o += vlen;
	}
	out[o] = '\0';
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

static bool is_ident(const char *s)
{
	if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (s++; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static int parse_params(struct ld *ld, json_t *params)
{
	const char *k;
	json_t *v;
	size_t m0 = push_key(ld, "params");

	if (!json_is_object(params))
		return err_here(ld, "got %s (expected an object of name: default value)",
				type_name(params));
	size_t n = json_object_size(params);
	ld->pnames = calloc(n ? n : 1, sizeof(*ld->pnames));
	ld->pvals = calloc(n ? n : 1, sizeof(*ld->pvals));
	if (!ld->pnames || !ld->pvals)
		return diag_set(ld->err, "%s: out of memory", ld->file);
	json_object_foreach(params, k, v) {
		size_t m = push_key(ld, k);
		char *val = ld->pvals[ld->nr_params];

		if (!is_ident(k) || strlen(k) >= WL_NAME_MAX)
			return err_here(ld, "bad parameter name \"%s\" (expected letters, digits and _, "
					"not starting with a digit, at most %d characters)", k, WL_NAME_MAX - 1);
		if (json_is_integer(v))
			snprintf(val, WL_NAME_MAX, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (json_is_real(v))
			snprintf(val, WL_NAME_MAX, "%.15g", json_real_value(v));
		else if (json_is_string(v) && strlen(json_string_value(v)) < WL_NAME_MAX)
			snprintf(val, WL_NAME_MAX, "%s", json_string_value(v));
		else if (json_is_string(v))
			return err_here(ld, "default too long (expected at most %d characters)",
					WL_NAME_MAX - 1);
		else
			return err_here(ld, "got %s (expected a number or a string as the default)",
					type_name(v));
		snprintf(ld->pnames[ld->nr_params], WL_NAME_MAX, "%s", k);
		ld->nr_params++;
		pop(ld, m);
	}
	pop(ld, m0);
	return 0;
}

static int apply_sets(struct ld *ld)
{
	for (int s = 0; s < ld->nr_sets; s++) {
		struct wl_set *set = &ld->sets[s];
		int i = find_param(ld, set->name, strlen(set->name));

		if (i < 0)
			continue; /* not ours: the caller decides what it is */
		if (strlen(set->value) >= WL_NAME_MAX)
			return diag_set(ld->err, "--set %s=%s: value too long (expected at most %d characters)",
					set->name, set->value, WL_NAME_MAX - 1);
		snprintf(ld->pvals[i], WL_NAME_MAX, "%s", set->value);
		set->used = true;
	}
	return 0;
}

struct pv {
	const char *name, *val;
};

static int cmp_pv(const void *a, const void *b)
{
	return strcmp(((const struct pv *)a)->name, ((const struct pv *)b)->name);
}

/* Store the final parameter values into the workload, sorted by name. */
static int store_params(struct ld *ld)
{
	struct workload *w = ld->w;
	int n = ld->nr_params;
	struct pv *pv;

	if (!n)
		return 0;
	pv = malloc(sizeof(*pv) * (size_t)n);
	w->param_names = calloc((size_t)n, sizeof(*w->param_names));
	w->param_values = calloc((size_t)n, sizeof(*w->param_values));
	if (!pv || !w->param_names || !w->param_values) {
		free(pv);
		return diag_set(ld->err, "%s: out of memory", ld->file);
	}
	for (int i = 0; i < n; i++)
		pv[i] = (struct pv){ ld->pnames[i], ld->pvals[i] };
	qsort(pv, (size_t)n, sizeof(*pv), cmp_pv);
	for (int i = 0; i < n; i++) {
		memcpy(w->param_names[i], pv[i].name, WL_NAME_MAX);
		memcpy(w->param_values[i], pv[i].val, WL_NAME_MAX);
	}
	w->nr_params = n;
	free(pv);
	return 0;
}

/* ---- scalar values ----------------------------------------------------- */

/* A string value with ${} substituted. */
static int get_str(struct ld *ld, json_t *v, char *out, size_t cap, const char *expect)
{
	if (!json_is_string(v))
		return err_here(ld, "got %s (expected %s)", type_name(v), expect);
	return subst(ld, json_string_value(v), out, cap);
}

static int get_int(struct ld *ld, json_t *v, int64_t *out)
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
		return err_here(ld, "got %s (expected an integer or a \"${param}\" string)", type_name(v));
	if (subst(ld, json_string_value(v), s, sizeof(s)))
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
static int get_dur(struct ld *ld, json_t *v, simtime_t *out)
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
		return err_here(ld, "got %s (" DUR_EXPECT ")", type_name(v));
	if (subst(ld, json_string_value(v), s, sizeof(s)))
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

static int get_dur_key(struct ld *ld, json_t *obj, const char *key, double *out)
{
	json_t *v = json_object_get(obj, key);
	size_t m = push_key(ld, key);
	simtime_t t;

	if (!v) {
		pop(ld, m);
		return err_here(ld, "missing key \"%s\" (expected \"%s\": a duration)", key, key);
	}
	if (get_dur(ld, v, &t))
		return -1;
	*out = (double)t;
	pop(ld, m);
	return 0;
}

/* A duration or a distribution object. */
static int get_dist(struct ld *ld, json_t *v, struct wl_dist *d)
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
		simtime_t t;
		if (!json_is_string(v) && !json_is_number(v))
			return err_here(ld, "got %s (expected a duration or a distribution object "
					"{\"dist\": \"fixed|uniform|exponential|normal|lognormal\", ...})",
					type_name(v));
		if (get_dur(ld, v, &t))
			return -1;
		d->kind = WL_DIST_FIXED;
		d->a = (double)t;
		return 0;
	}
	k = json_object_get(v, "dist");
	if (!k)
		return err_here(ld, "distribution without \"dist\" (expected \"dist\": one of fixed, "
				"uniform, exponential, normal, lognormal)");
	m = push_key(ld, "dist");
	if (get_str(ld, k, kind, sizeof(kind), "a distribution name"))
		return -1;
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(kind, kinds[i].name))
			break;
	if (i == ARRAY_SIZE(kinds))
		return err_here(ld, "unknown distribution \"%s\" (expected one of: fixed, uniform, "
				"exponential, normal, lognormal)", kind);
	pop(ld, m);
	if (check_keys(ld, v, kinds[i].keys))
		return -1;
	d->kind = kinds[i].kind;
	switch (d->kind) {
	case WL_DIST_FIXED:
		return get_dur_key(ld, v, "value", &d->a);
	case WL_DIST_UNIFORM:
		if (get_dur_key(ld, v, "min", &d->a) || get_dur_key(ld, v, "max", &d->b))
			return -1;
		if (d->b < d->a) {
			m = push_key(ld, "max");
			return err_here(ld, "max %.0f ns is below min %.0f ns (expected min <= max)",
					d->b, d->a);
		}
		return 0;
	case WL_DIST_EXPONENTIAL:
		return get_dur_key(ld, v, "mean", &d->a);
	case WL_DIST_NORMAL:
		return get_dur_key(ld, v, "mean", &d->a) || get_dur_key(ld, v, "stddev", &d->b) ? -1 : 0;
	case WL_DIST_LOGNORMAL:
		if (get_dur_key(ld, v, "mean", &d->a) || get_dur_key(ld, v, "stddev", &d->b))
			return -1;
		if (d->a <= 0) {
			m = push_key(ld, "mean");
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

static int get_cpus(struct ld *ld, json_t *v, struct cpumask *m)
{
	int bound = ld->nr_cpus > 0 ? MIN(ld->nr_cpus, CPUMASK_MAX_CPUS) : CPUMASK_MAX_CPUS;
	char s[WL_STR_MAX];
	size_t i;
	json_t *e;

	if (json_is_string(v)) {
		if (subst(ld, json_string_value(v), s, sizeof(s)))
			return -1;
		return parse_cpulist(ld, json_string_value(v), s, m);
	}
	if (!json_is_array(v))
		return err_here(ld, "got %s (expected a cpu list string like \"0-3,8\" or an array of "
				"CPU numbers)", type_name(v));
	if (!json_array_size(v))
		return err_here(ld, "empty cpu array (expected at least one CPU)");
	cpumask_clear(m);
	json_array_foreach(v, i, e) {
		size_t mk = push_idx(ld, i);
		int64_t c;
		if (get_int(ld, e, &c))
			return -1;
		if (c < 0 || c >= bound)
			return err_here(ld, "CPU %" PRId64 " does not exist (expected CPUs 0..%d)", c,
					bound - 1);
		cpumask_set(m, (int)c);
		pop(ld, mk);
	}
	return 0;
}

/* ---- structure --------------------------------------------------------- */

static int parse_op(struct ld *ld, json_t *o, struct wl_op *op, struct group *g, int opi)
{
	static const char *const keys[] = { "run", "sleep", "wake", "wait", NULL };
	const char *k = NULL;
	json_t *v = NULL;
	size_t m;

	if (!json_is_object(o))
		return err_here(ld, "got %s (expected an op object: {\"run\": D}, {\"sleep\": D}, "
				"{\"wake\": \"thread\"} or {\"wait\": true})", type_name(o));
	if (check_keys(ld, o, keys))
		return -1;
	if (json_object_size(o) != 1) {
		if (!json_object_size(o))
			return err_here(ld, "empty op (expected exactly one of: run, sleep, wake, wait)");
		const char *k2;
		json_t *v2;
		int n = 0;
		json_object_foreach(o, k2, v2) {
			if (n++ == 1) {
				m = push_key(ld, k2);
				return err_here(ld, "second op key in one op object (expected exactly one of: "
						"run, sleep, wake, wait; write one op per object)");
			}
		}
	}
	json_object_foreach(o, k, v)
		break;
	m = push_key(ld, k);
	memset(op, 0, sizeof(*op));
	op->target = -1;
	if (!strcmp(k, "run") || !strcmp(k, "sleep")) {
		op->kind = k[0] == 'r' ? WL_OP_RUN : WL_OP_SLEEP;
		if (get_dist(ld, v, &op->dist))
			return -1;
	} else if (!strcmp(k, "wake")) {
		char t[WL_STR_MAX];
		struct gwake *gw;

		op->kind = WL_OP_WAKE;
		if (get_str(ld, v, t, sizeof(t), "a thread or group name"))
			return -1;
		if (strlen(t) >= WL_NAME_MAX)
			return err_here(ld, "unknown wake target \"%s\" (expected a thread or group name "
					"of at most %d characters)", t, WL_NAME_MAX - 1);
		gw = realloc(g->wakes, sizeof(*gw) * (size_t)(g->nr_wakes + 1));
		if (!gw)
			return diag_set(ld->err, "%s: out of memory", ld->file);
		g->wakes = gw;
		gw = &gw[g->nr_wakes++];
		gw->op = opi;
		copy_str(gw->target, sizeof(gw->target), t);
		copy_str(gw->path, sizeof(gw->path), ld->path);
	} else {
		op->kind = WL_OP_WAIT;
		if (json_is_object(v)) {
			static const char *const none[] = { NULL };
			if (check_keys(ld, v, none))
				return -1;
		} else if (!json_is_true(v)) {
			return err_here(ld, "got %s (expected true or {})",
					json_is_false(v) ? "false" : type_name(v));
		}
	}
	pop(ld, m);
	return 0;
}

static int add_threads(struct ld *ld, int n)
{
	struct workload *w = ld->w;

	if (w->nr_threads + n <= ld->cap_threads)
		return 0;
	int cap = MAX(ld->cap_threads * 2, w->nr_threads + n);
	struct wl_thread *t = realloc(w->threads, sizeof(*t) * (size_t)cap);
	if (!t)
		return diag_set(ld->err, "%s: out of memory", ld->file);
	memset(t + ld->cap_threads, 0, sizeof(*t) * (size_t)(cap - ld->cap_threads));
	w->threads = t;
	ld->cap_threads = cap;
	return 0;
}

static int parse_thread(struct ld *ld, json_t *jt, int proc)
{
	static const char *const keys[] = { "name", "count", "nice", "start_delay", "cpus", "loops",
					    "ops", NULL };
	struct wl_thread tpl;
	struct group *g;
	json_t *v, *ops;
	int64_t x;
	size_t m, i;
	char s[WL_STR_MAX];

	if (!json_is_object(jt))
		return err_here(ld, "got %s (expected a thread object)", type_name(jt));
	if (check_keys(ld, jt, keys))
		return -1;
	if (ld->nr_groups == ld->cap_groups) {
		int cap = ld->cap_groups ? ld->cap_groups * 2 : 16;
		g = realloc(ld->groups, sizeof(*g) * (size_t)cap);
		if (!g)
			return diag_set(ld->err, "%s: out of memory", ld->file);
		ld->groups = g;
		ld->cap_groups = cap;
	}
	g = &ld->groups[ld->nr_groups++];
	memset(g, 0, sizeof(*g));
	copy_str(g->path, sizeof(g->path), ld->path);
	g->count = 1;
	memset(&tpl, 0, sizeof(tpl));
	tpl.process = proc;
	tpl.loops = -1;

	if (!(v = json_object_get(jt, "name")))
		return err_here(ld, "thread without \"name\" (expected \"name\": a string)");
	m = push_key(ld, "name");
	if (get_str(ld, v, s, sizeof(s), "a string"))
		return -1;
	if (!*s || strlen(s) >= WL_NAME_MAX)
		return err_here(ld, "bad thread name \"%s\" (expected 1..%d characters)", s, WL_NAME_MAX - 1);
	copy_str(g->name, sizeof(g->name), s);
	for (int j = 0; j < ld->nr_groups - 1; j++)
		if (!strcmp(ld->groups[j].name, g->name))
			return err_here(ld, "duplicate thread name \"%s\", also used at %s (expected "
					"unique thread names)", s, ld->groups[j].path);
	pop(ld, m);

	if ((v = json_object_get(jt, "count"))) {
		m = push_key(ld, "count");
		if (get_int(ld, v, &x))
			return -1;
		if (x < 1 || x > WL_COUNT_MAX)
			return err_here(ld, "count %" PRId64 " out of range (expected 1..%d)", x,
					WL_COUNT_MAX);
		g->count = (int)x;
		pop(ld, m);
	}
	if (g->count > 1 && strlen(g->name) + 1 + (size_t)snprintf(NULL, 0, "%d", g->count - 1) >=
				    WL_NAME_MAX) {
		m = push_key(ld, "name");
		return err_here(ld, "name \"%s\" too long for %d instances (expected at most %d "
				"characters including \".N\")", g->name, g->count, WL_NAME_MAX - 1);
	}
	if ((v = json_object_get(jt, "nice"))) {
		m = push_key(ld, "nice");
		if (get_int(ld, v, &x))
			return -1;
		if (x < -20 || x > 19)
			return err_here(ld, "nice %" PRId64 " out of range (expected -20..19)", x);
		tpl.nice = (int)x;
		pop(ld, m);
	}
	if ((v = json_object_get(jt, "start_delay"))) {
		m = push_key(ld, "start_delay");
		if (get_dur(ld, v, &tpl.start_delay))
			return -1;
		pop(ld, m);
	}
	if ((v = json_object_get(jt, "cpus"))) {
		m = push_key(ld, "cpus");
		if (get_cpus(ld, v, &tpl.affinity))
			return -1;
		tpl.has_affinity = true;
		pop(ld, m);
	}
	if ((v = json_object_get(jt, "loops"))) {
		m = push_key(ld, "loops");
		if (get_int(ld, v, &x))
			return -1;
		if (x != -1 && x < 1)
			return err_here(ld, "loops %" PRId64 " (expected an integer >= 1, or -1 for "
					"forever)", x);
		tpl.loops = x;
		pop(ld, m);
	}

	ops = json_object_get(jt, "ops");
	if (!ops)
		return err_here(ld, "thread \"%s\" has no \"ops\" (expected a non-empty array of ops)",
				g->name);
	m = push_key(ld, "ops");
	if (!json_is_array(ops))
		return err_here(ld, "got %s (expected a non-empty array of ops)", type_name(ops));
	if (!json_array_size(ops))
		return err_here(ld, "thread \"%s\" has no ops (expected at least one op)", g->name);
	tpl.nr_ops = (int)json_array_size(ops);
	tpl.ops = calloc((size_t)tpl.nr_ops, sizeof(*tpl.ops));
	if (!tpl.ops)
		return diag_set(ld->err, "%s: out of memory", ld->file);
	bool timed = false;
	json_array_foreach(ops, i, v) {
		size_t mi = push_idx(ld, i);
		if (parse_op(ld, v, &tpl.ops[i], g, (int)i)) {
			free(tpl.ops);
			return -1;
		}
		timed |= tpl.ops[i].kind != WL_OP_WAKE;
		pop(ld, mi);
	}
	if (!timed && tpl.loops == -1) {
		free(tpl.ops);
		return err_here(ld, "thread \"%s\" loops forever without a run, sleep or wait op "
				"(expected at least one of them, or a finite \"loops\")", g->name);
	}
	pop(ld, m);

	/* expand "count" */
	if (add_threads(ld, g->count)) {
		free(tpl.ops);
		return -1;
	}
	g->first = ld->w->nr_threads;
	for (int n = 0; n < g->count; n++) {
		struct wl_thread *t = &ld->w->threads[ld->w->nr_threads];

		*t = tpl;
		if (g->count == 1)
			snprintf(t->name, sizeof(t->name), "%s", g->name);
		else
			{
			char sfx[16];
			size_t l = strlen(g->name);
			snprintf(sfx, sizeof(sfx), ".%d", n);
			memcpy(t->name, g->name, l);
			copy_str(t->name + l, sizeof(t->name) - l, sfx);
		}
		if (n + 1 < g->count) {
			t->ops = malloc(sizeof(*t->ops) * (size_t)tpl.nr_ops);
			if (!t->ops) {
				free(tpl.ops);
				return diag_set(ld->err, "%s: out of memory", ld->file);
			}
			memcpy(t->ops, tpl.ops, sizeof(*t->ops) * (size_t)tpl.nr_ops);
		}
		ld->w->nr_threads++;
	}
	return 0;
}

static int parse_process(struct ld *ld, json_t *jp, int proc)
{
	static const char *const keys[] = { "name", "threads", NULL };
	struct wl_process *p = &ld->w->procs[proc];
	json_t *v, *e;
	size_t m, i;
	char s[WL_STR_MAX];

	if (!json_is_object(jp))
		return err_here(ld, "got %s (expected a process object {\"name\": ..., \"threads\": "
				"[...]})", type_name(jp));
	if (check_keys(ld, jp, keys))
		return -1;
	if (!(v = json_object_get(jp, "name")))
		return err_here(ld, "process without \"name\" (expected \"name\": a string)");
	m = push_key(ld, "name");
	if (get_str(ld, v, s, sizeof(s), "a string"))
		return -1;
	if (!*s || strlen(s) >= sizeof(p->name))
		return err_here(ld, "bad process name \"%s\" (expected 1..%zu characters)", s,
				sizeof(p->name) - 1);
	for (int j = 0; j < proc; j++)
		if (!strcmp(ld->w->procs[j].name, s))
			return err_here(ld, "duplicate process name \"%s\", also used by processes[%d] "
					"(expected unique process names)", s, j);
	copy_str(p->name, sizeof(p->name), s);
	pop(ld, m);

	v = json_object_get(jp, "threads");
	if (!v)
		return err_here(ld, "process \"%s\" has no \"threads\" (expected a non-empty array of "
				"threads)", p->name);
	m = push_key(ld, "threads");
	if (!json_is_array(v))
		return err_here(ld, "got %s (expected a non-empty array of threads)", type_name(v));
	if (!json_array_size(v))
		return err_here(ld, "process \"%s\" has no threads (expected at least one thread)",
				p->name);
	p->first_thread = ld->w->nr_threads;
	json_array_foreach(v, i, e) {
		size_t mi = push_idx(ld, i);
		if (parse_thread(ld, e, proc))
			return -1;
		pop(ld, mi);
	}
	p->nr_threads = ld->w->nr_threads - p->first_thread;
	pop(ld, m);
	return 0;
}

static int cmp_thread_name(const void *a, const void *b)
{
	return strcmp((*(struct wl_thread *const *)a)->name, (*(struct wl_thread *const *)b)->name);
}

/* Index of the thread called @name, by binary search in @sorted. */
static int find_thread(struct workload *w, struct wl_thread **sorted, const char *name)
{
	int lo = 0, hi = w->nr_threads - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = strcmp(sorted[mid]->name, name);
		if (!c)
			return (int)(sorted[mid] - w->threads);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static struct group *group_of(struct ld *ld, int thread)
{
	for (int g = 0; g < ld->nr_groups; g++)
		if (thread >= ld->groups[g].first && thread < ld->groups[g].first + ld->groups[g].count)
			return &ld->groups[g];
	return NULL;
}

/*
 * Check that expanded names are unique and resolve wake targets: an exact
 * thread name first; else, if the waker is instance i of a counted group and
 * the target names a group with the same count, instance i of that group.
 */
static int resolve(struct ld *ld)
{
	struct workload *w = ld->w;
	struct wl_thread **sorted = malloc(sizeof(*sorted) * (size_t)w->nr_threads);

	if (!sorted)
		return diag_set(ld->err, "%s: out of memory", ld->file);
	for (int i = 0; i < w->nr_threads; i++)
		sorted[i] = &w->threads[i];
	qsort(sorted, (size_t)w->nr_threads, sizeof(*sorted), cmp_thread_name);
	for (int i = 1; i < w->nr_threads; i++) {
		struct wl_thread *a = sorted[i - 1], *b = sorted[i];
		if (strcmp(a->name, b->name))
			continue;
		int ia = (int)(a - w->threads), ib = (int)(b - w->threads);
		int later = MAX(ia, ib), earlier = MIN(ia, ib);
		if (later == ib) {
			struct wl_thread *t = a;
			a = b;
			b = t;
		}
		struct group *gl = group_of(ld, later), *ge = group_of(ld, earlier);
		char p[300];
		snprintf(p, sizeof(p), "%s.name", gl->path);
		free(sorted);
		return err_at(ld, p, "%s: thread name \"%s\" collides with instance \"%s\" of %s "
			      "(expected unique thread names)", p, b->name, a->name, ge->path);
	}

	for (int gi = 0; gi < ld->nr_groups; gi++) {
		struct group *g = &ld->groups[gi];

		for (int k = 0; k < g->nr_wakes; k++) {
			struct gwake *gw = &g->wakes[k];
			int exact = find_thread(w, sorted, gw->target);
			struct group *tg = NULL;

			if (exact < 0)
				for (int j = 0; j < ld->nr_groups; j++)
					if (!strcmp(ld->groups[j].name, gw->target))
						tg = &ld->groups[j];
			if (exact < 0 && !tg) {
				free(sorted);
				return err_at(ld, gw->path, "%s: unknown wake target \"%s\" (expected the "
					      "name of a thread, or of a group with the same count as "
					      "the waker's)", gw->path, gw->target);
			}
			if (exact < 0 && tg->count != g->count) {
				free(sorted);
				if (g->count == 1)
					return err_at(ld, gw->path, "%s: wake target \"%s\" is a group of "
						      "%d threads (expected one thread, e.g. \"%s.0\", or a "
						      "waker group with the same count)", gw->path,
						      gw->target, tg->count, tg->name);
				return err_at(ld, gw->path, "%s: wake target \"%s\" is a group of %d "
					      "threads but the waker \"%s\" has %d (expected a group "
					      "with the same count, or one thread, e.g. \"%s.0\")",
					      gw->path, gw->target, tg->count, g->name, g->count,
					      tg->name);
			}
			for (int n = 0; n < g->count; n++)
				w->threads[g->first + n].ops[gw->op].target =
					exact >= 0 ? exact : tg->first + n;
		}
	}
	free(sorted);
	return 0;
}

static int parse_top(struct ld *ld, json_t *root)
{
	static const char *const keys[] = { "name", "description", "duration", "params",
					    "processes", NULL };
	struct workload *w = ld->w;
	char s[WL_STR_MAX];
	json_t *v, *e;
	size_t m, i;

	if (!json_is_object(root))
		return err_at(ld, "", "workload is %s (expected an object with \"processes\")",
			      type_name(root));
	if (check_keys(ld, root, keys))
		return -1;
	if ((v = json_object_get(root, "params")) && parse_params(ld, v))
		return -1;
	if (apply_sets(ld))
		return -1;
	if ((v = json_object_get(root, "name"))) {
		m = push_key(ld, "name");
		if (get_str(ld, v, s, sizeof(s), "a string"))
			return -1;
		if (!*s || strlen(s) >= sizeof(w->name))
			return err_here(ld, "bad name \"%s\" (expected 1..%zu characters)", s,
					sizeof(w->name) - 1);
		copy_str(w->name, sizeof(w->name), s);
		pop(ld, m);
	}
	if ((v = json_object_get(root, "description"))) {
		m = push_key(ld, "description");
		if (get_str(ld, v, s, sizeof(s), "a string"))
			return -1;
		if (strlen(s) >= sizeof(w->description))
			return err_here(ld, "description too long (expected at most %zu characters)",
					sizeof(w->description) - 1);
		copy_str(w->description, sizeof(w->description), s);
		pop(ld, m);
	}
	if ((v = json_object_get(root, "duration"))) {
		m = push_key(ld, "duration");
		if (get_dur(ld, v, &w->duration))
			return -1;
		pop(ld, m);
	}

	v = json_object_get(root, "processes");
	if (!v)
		return err_at(ld, "", "no \"processes\" (expected a non-empty array of processes)");
	m = push_key(ld, "processes");
	if (!json_is_array(v))
		return err_here(ld, "got %s (expected a non-empty array of processes)", type_name(v));
	if (!json_array_size(v))
		return err_here(ld, "no processes (expected at least one process)");
	w->procs = calloc(json_array_size(v), sizeof(*w->procs));
	if (!w->procs)
		return diag_set(ld->err, "%s: out of memory", ld->file);
	json_array_foreach(v, i, e) {
		size_t mi = push_idx(ld, i);
		if (parse_process(ld, e, (int)i))
			return -1;
		w->nr_procs++;
		pop(ld, mi);
	}
	pop(ld, m);
	if (resolve(ld))
		return -1;
	return store_params(ld);
}

static char *read_file(const char *path, size_t *len, struct diag *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		diag_set(err, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 4096 + 1 > cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				fclose(f);
				diag_set(err, "%s: out of memory", path);
				return NULL;
			}
			buf = nb;
			cap = ncap;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		free(buf);
		fclose(f);
		diag_set(err, "%s: cannot open: %s", path, strerror(e));
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

int wl_load(const char *path, int nr_cpus, struct wl_set *sets, int nr_sets,
	    struct workload **out, struct diag *err)
{
	struct ld ld = { .file = path, .err = err, .nr_cpus = nr_cpus, .sets = sets,
			 .nr_sets = nr_sets };
	json_error_t jerr;
	json_t *root;
	size_t len;
	char *text;
	int ret;

	*out = NULL;
	text = read_file(path, &len, err);
	if (!text)
		return -1;
	ld.text = text;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		diag_at(err, path, MAX(jerr.line, 1), MAX(jerr.column, 1), "%s", jerr.text);
		free(text);
		return -1;
	}
	ld.w = calloc(1, sizeof(*ld.w));
	if (!ld.w) {
		json_decref(root);
		free(text);
		return diag_set(err, "%s: out of memory", path);
	}
	snprintf(ld.w->path, sizeof(ld.w->path), "%s", path);
	{
		const char *b = strrchr(path, '/');
		b = b ? b + 1 : path;
		size_t n = strlen(b);
		if (n > 5 && !strcmp(b + n - 5, ".json"))
			n -= 5;
		snprintf(ld.w->name, sizeof(ld.w->name), "%.*s", (int)n, b);
	}

	ret = parse_top(&ld, root);

	for (int g = 0; g < ld.nr_groups; g++)
		free(ld.groups[g].wakes);
	free(ld.groups);
	free(ld.pnames);
	free(ld.pvals);
	json_decref(root);
	free(text);
	if (ret) {
		wl_free(ld.w);
		return -1;
	}
	*out = ld.w;
	return 0;
}

void wl_free(struct workload *w)
{
	if (!w)
		return;
	for (int i = 0; i < w->nr_threads; i++)
		free(w->threads[i].ops);
	free(w->threads);
	free(w->procs);
	free(w->param_names);
	free(w->param_values);
	free(w);
}

/* ---- sampling ---------------------------------------------------------- */

simtime_t wl_sample(const struct wl_dist *d, struct rng *r)
{
	double x;

	switch (d->kind) {
	case WL_DIST_UNIFORM:
		x = d->a + (d->b - d->a) * gsl_rng_uniform(r->r);
		break;
	case WL_DIST_EXPONENTIAL:
		x = d->a > 0 ? gsl_ran_exponential(r->r, d->a) : 0;
		break;
	case WL_DIST_NORMAL:
		x = d->a + (d->b > 0 ? gsl_ran_gaussian(r->r, d->b) : 0);
		break;
	case WL_DIST_LOGNORMAL:
		if (d->a <= 0) {
			x = 0;
		} else if (d->b <= 0) {
			x = d->a;
		} else {
			/* mean m, stddev s of the result: sigma^2 = ln(1 + s^2/m^2),
			 * mu = ln(m) - sigma^2/2 */
			double s2 = log1p((d->b * d->b) / (d->a * d->a));
			x = gsl_ran_lognormal(r->r, log(d->a) - s2 / 2, sqrt(s2));
		}
		break;
	case WL_DIST_FIXED:
	default:
		x = d->a;
		break;
	}
	if (!(x > 0))
		return 0;
	if (x > 9.2e18)
		return (simtime_t)9.2e18;
	return (simtime_t)llround(x);
}
