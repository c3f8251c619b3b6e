/*
 * Workload files: JSON (jansson) -> struct workload.  The cassim format
 * (version 2) is described in workloads/README.md; keep the two in step.
 * rt-app files are recognised here and handed to wl_rtapp_parse().
 *
 * jansson gives positions only for syntax errors, so the file is read into
 * memory once, parsed with json_loadb(), and every semantic error is located
 * by re-scanning the text for the offending key path (wl_locate()).  Every
 * error is one line: "FILE:LINE:COL: what (expected what)".
 *
 * Loading runs in three steps:
 *  1. parse: each entry of a "threads" array becomes a template (struct ent):
 *     a thread group (its ops, with names left unresolved as struct ref) or a
 *     block (its child entries).  Values are checked here; names of counters,
 *     histograms, stamp and timer slots (global name spaces) get indices.
 *  2. expand (per process, right after parsing it): blocks are instantiated
 *     count times (a scope per instance, prefix "blk.k/"), groups count times
 *     ("name.i"); every thread gets its own copy of the template's ops, and a
 *     process (one per thread in mode "processes").
 *  3. resolve: thread and object names of every group instance are resolved
 *     in its scope (innermost block instance first, then outward, then the
 *     top level), per thread instance (the pairing rule).
 */
#include "workload/wl.h"

#include <assert.h>
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
#include "base/xalloc.h"

#define WL_NAME_MAX 64
#define WL_STR_MAX 1024
#define WL_PATH_MAX 512
#define WL_COUNT_MAX 1000000
#define WL_THREADS_MAX 1000000
#define DUR_EXPECT "expected a non-negative duration: a number of ns or a string with unit ns/us/ms/s, e.g. \"2ms\""
#define BYTES_EXPECT "expected a non-negative number of bytes, or a string with unit B, KB, MB, GB, KiB, MiB, GiB, e.g. \"64KiB\""

/* ---- name maps (open addressing, FNV-1a) ------------------------------- */

struct nmap {
	size_t cap, n; /* cap: 0 or a power of 2 */
	char (*keys)[WL_NAME_MAX];
	int *vals;     /* -1: empty slot */
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int nmap_get(const struct nmap *m, const char *k)
{
	if (!m->cap)
		return -1;
	for (size_t i = hash_str(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->vals[i] < 0)
			return -1;
		if (!strcmp(m->keys[i], k))
			return m->vals[i];
	}
}

static void nmap_ins(struct nmap *m, const char *k, int v)
{
	size_t i = hash_str(k) & (m->cap - 1);

	while (m->vals[i] >= 0)
		i = (i + 1) & (m->cap - 1);
	snprintf(m->keys[i], WL_NAME_MAX, "%s", k);
	m->vals[i] = v;
	m->n++;
}

/* Add @k (not present) -> @v. */
static void nmap_put(struct nmap *m, const char *k, int v)
{
	if (2 * (m->n + 1) > m->cap) {
		struct nmap nm = { .cap = m->cap ? m->cap * 2 : 64 };

		nm.keys = xmalloc(sizeof(*nm.keys) * nm.cap);
		nm.vals = xmalloc(sizeof(*nm.vals) * nm.cap);
		for (size_t i = 0; i < nm.cap; i++)
			nm.vals[i] = -1;
		for (size_t i = 0; i < m->cap; i++)
			if (m->vals[i] >= 0)
				nmap_ins(&nm, m->keys[i], m->vals[i]);
		free(m->keys);
		free(m->vals);
		*m = nm;
	}
	nmap_ins(m, k, v);
}

static void nmap_free(struct nmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* A global name space (counters, histograms, stamp slots, timer slots). */
struct names {
	struct nmap map;
	char (*v)[WL_NAME_MAX];
	bool *flag; /* stamps: stamped by some op */
	int n, cap;
};

/* ---- loader state ------------------------------------------------------ */

enum ref_type {
	REF_THREAD,  /* one thread: exact name, or the pairing rule (wake, send) */
	REF_THREADS, /* a thread or a whole group (wake_all, send with each) */
	REF_OBJ,     /* op.obj: a synchronisation object */
	REF_MUTEX,   /* op.lock: the mutex of a cond_wait */
};

enum ref_role { ROLE_USE, ROLE_LOCK, ROLE_NEEDLOCK, ROLE_WAIT, ROLE_SIGNAL };

/* A name in an op, resolved once all threads exist. */
struct ref {
	int op;                   /* index in the template's ops */
	unsigned char type;       /* enum ref_type */
	unsigned char okind;      /* REF_OBJ/REF_MUTEX: enum wl_obj_kind */
	unsigned char role;       /* enum ref_role */
	signed char percpu, spin; /* LOCK attributes: -1 not given */
	const char *key;          /* the op or modifier key naming it */
	char name[WL_NAME_MAX];
	char path[WL_PATH_MAX];   /* of the op object */
};

/* One entry of a "threads" array: a thread group template or a block. */
struct ent {
	bool block;
	char name[WL_NAME_MAX];
	int count;
	int parent;               /* enclosing block entry, -1 at the top level */
	char path[WL_PATH_MAX];
	/* group */
	struct wl_thread tpl;     /* tpl.ops: the template ops */
	int cap_ops;
	struct ref *refs;
	int nr_refs, cap_refs;
	/* block */
	int *kids;
	int nr_kids;
};

/* A block instance: names inside it are prefixed with "blk.k/". */
struct scope {
	char prefix[WL_NAME_MAX];
	int parent; /* -1 for the top level (scope 0, prefix "") */
};

/* A group instantiated in a scope: threads first .. first+count-1. */
struct ginst {
	int ent, scope, first, count;
	char name[WL_NAME_MAX];
};

/* Loader-side facts about an object, for the consistency checks. */
struct objx {
	const struct ref *first;  /* the first reference (kind conflicts) */
	const struct ref *attr[2];/* the lock op that set percpu / spin */
	const struct ref *wait, *signal, *needlock;
	bool has_lock;
};

struct since {
	int slot;
	char name[WL_NAME_MAX];
	char path[WL_PATH_MAX];
};

struct ld {
	const char *file;
	const char *text;
	struct diag *err;
	int nr_cpus, nr_nodes;
	struct wl_set *sets;
	int nr_sets;
	struct workload *w;
	int cap_threads, cap_procs, cap_objs;
	int *tginst;              /* ginst of each thread */
	struct ent *ents;
	int nr_ents, cap_ents;
	struct scope *scopes;
	int nr_scopes, cap_scopes;
	struct ginst *gi;
	int nr_gi, cap_gi;
	struct objx *ox;
	struct nmap threadmap, groupmap, objmap, procmap;
	struct names counters, hists, stamps, timers;
	struct since *sinces;
	int nr_sinces;
	/* params after --set overrides (declaration order) */
	int nr_params;
	char (*pnames)[WL_NAME_MAX];
	char (*pvals)[WL_NAME_MAX];
	char path[WL_PATH_MAX]; /* key path of the value being parsed */
};

/* A buffer of @need elements of @size holding the *@cap of @a, the new ones
 * zeroed (*@cap updated). */
static void *grow_buf(void *a, int *cap, int need, size_t size)
{
	int ncap = MAX(need, *cap ? *cap * 2 : 16);
	char *n = xrealloc(a, size * (size_t)ncap);

	memset(n + size * (size_t)*cap, 0, size * (size_t)(ncap - *cap));
	*cap = ncap;
	return n;
}

/* Make array @arr (capacity @cap, an int lvalue) hold @need elements. */
#define GROW(arr, cap, need)                                                     \
	do {                                                                     \
		if ((need) > (cap))                                              \
			(arr) = grow_buf((arr), &(cap), (need), sizeof(*(arr))); \
	} while (0)


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
	wl_locate_nearest(ld->text, path, &line, &col);
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
	return wl_path_push_key(ld->path, sizeof(ld->path), key);
}

static size_t push_idx(struct ld *ld, size_t i)
{
	return wl_path_push_idx(ld->path, sizeof(ld->path), i);
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
	ld->pnames = xcalloc(n ? n : 1, sizeof(*ld->pnames));
	ld->pvals = xcalloc(n ? n : 1, sizeof(*ld->pvals));
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
	pv = xmalloc(sizeof(*pv) * (size_t)n);
	w->param_names = xcalloc((size_t)n, sizeof(*w->param_names));
	w->param_values = xcalloc((size_t)n, sizeof(*w->param_values));
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

static int get_bytes(struct ld *ld, json_t *v, double *out);

static int get_dur_d(struct ld *ld, json_t *v, double *out)
{
	simtime_t t;

	if (get_dur(ld, v, &t))
		return -1;
	*out = (double)t;
	return 0;
}

/* What a distribution's values are: durations (ns) or byte sizes. */
struct dist_unit {
	const char *what, *sfx;
	int (*get)(struct ld *ld, json_t *v, double *out);
};
static const struct dist_unit DIST_NS = { "a duration", "ns", get_dur_d };
static const struct dist_unit DIST_BYTES = { "a byte size", "B", get_bytes };

static int get_val_key(struct ld *ld, json_t *obj, const char *key, const struct dist_unit *u,
		       double *out)
{
	json_t *v = json_object_get(obj, key);
	size_t m = push_key(ld, key);

	if (!v) {
		pop(ld, m);
		return err_here(ld, "missing key \"%s\" (expected \"%s\": %s)", key, key, u->what);
	}
	if (u->get(ld, v, out))
		return -1;
	pop(ld, m);
	return 0;
}

/* A value (duration or byte size, by @u) or a distribution object of them. */
static int get_dist(struct ld *ld, json_t *v, const struct dist_unit *u, struct wl_dist *d)
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
					type_name(v), u->what);
		d->kind = WL_DIST_FIXED;
		return u->get(ld, v, &d->a);
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
		return get_val_key(ld, v, "value", u, &d->a);
	case WL_DIST_UNIFORM:
		if (get_val_key(ld, v, "min", u, &d->a) || get_val_key(ld, v, "max", u, &d->b))
			return -1;
		if (d->b < d->a) {
			m = push_key(ld, "max");
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
		/* "all": no affinity, so that a parameter can default to it */
		if (!strcmp(s, "all"))
			return 1;
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


/* ---- more scalar values ------------------------------------------------ */

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
		return err_here(ld, "got %s (expected %s)", type_name(v), expect);
	if (subst(ld, json_string_value(v), s, sizeof(s)))
		return -1;
	double d = strtod(s, &end);
	if (end == s || *end || !isfinite(d) || s[strspn(s, "0123456789+-.eE")])
		return err_here(ld, "%s is not a number (expected %s)",
				show(json_string_value(v), s, sh, sizeof(sh)), expect);
	*out = d;
	return 0;
}

/* A number in [lo, hi] (the value at the current path). */
static int get_num_in(struct ld *ld, json_t *v, double *out, double lo, double hi,
		      const char *expect)
{
	if (get_num(ld, v, out, expect))
		return -1;
	if (!(*out >= lo && *out <= hi))
		return err_here(ld, "%g out of range (expected %s)", *out, expect);
	return 0;
}

static int get_bool(struct ld *ld, json_t *v, bool *out)
{
	char s[WL_STR_MAX], sh[2 * WL_STR_MAX + 16];

	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 0;
	}
	if (!json_is_string(v))
		return err_here(ld, "got %s (expected true or false)", type_name(v));
	if (subst(ld, json_string_value(v), s, sizeof(s)))
		return -1;
	if (!strcmp(s, "true") || !strcmp(s, "false")) {
		*out = s[0] == 't';
		return 0;
	}
	return err_here(ld, "%s is not a boolean (expected true or false)",
			show(json_string_value(v), s, sh, sizeof(sh)));
}

/* BYTES: a non-negative number, or a string with a unit. */
static int get_bytes(struct ld *ld, json_t *v, double *out)
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
		return err_here(ld, "got %s (" BYTES_EXPECT ")", type_name(v));
	if (subst(ld, json_string_value(v), s, sizeof(s)))
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
static int get_name(struct ld *ld, json_t *v, char *out, const char *what)
{
	char s[WL_STR_MAX], expect[96];

	snprintf(expect, sizeof(expect), "a %s name", what);
	if (get_str(ld, v, s, sizeof(s), expect))
		return -1;
	if (!*s || strlen(s) >= WL_NAME_MAX)
		return err_here(ld, "bad %s name \"%s\" (expected 1..%d characters)", what, s,
				WL_NAME_MAX - 1);
	copy_str(out, WL_NAME_MAX, s);
	return 0;
}

/* Index of @name in a global name space, added if new. */
static int names_idx(struct names *ns, const char *name)
{
	int i = nmap_get(&ns->map, name), cap = ns->cap;

	if (i >= 0)
		return i;
	GROW(ns->v, ns->cap, ns->n + 1);
	if (ns->cap != cap) {
		bool *f = xrealloc(ns->flag, sizeof(*f) * (size_t)ns->cap);
		memset(f + cap, 0, sizeof(*f) * (size_t)(ns->cap - cap));
		ns->flag = f;
	}
	nmap_put(&ns->map, name, ns->n);
	copy_str(ns->v[ns->n], WL_NAME_MAX, name);
	return ns->n++;
}

/* "a, b, c" of a name space (for messages). */
static void names_list(const struct names *ns, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < ns->n && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s", i ? ", " : "", ns->v[i]);
}

/* ---- ops --------------------------------------------------------------- */

enum opk {
	K_RUN, K_SPIN, K_SLEEP, K_WAKE, K_WAKE_ALL, K_WAIT, K_SEND, K_RECV, K_BARRIER, K_LOCK,
	K_UNLOCK, K_SIGNAL, K_BROADCAST, K_COND_WAIT, K_POST, K_SEM_WAIT, K_TIMER, K_LOOP,
	K_COUNT, K_STAMP, K_RECORD, K_HOTPLUG, NR_K
};

/* Op keys and their modifier keys. */
static const struct opdef {
	const char *key;
	const char *mods[5];
} opdefs[NR_K] = {
	[K_RUN] = { "run", { "refs", "footprint", "shared", "mlp" } },
	[K_SPIN] = { "spin", { NULL } },
	[K_SLEEP] = { "sleep", { NULL } },
	[K_WAKE] = { "wake", { NULL } },
	[K_WAKE_ALL] = { "wake_all", { NULL } },
	[K_WAIT] = { "wait", { "record" } },
	[K_SEND] = { "send", { "bytes", "each" } },
	[K_RECV] = { "recv", { "bytes" } },
	[K_BARRIER] = { "barrier", { "spin" } },
	[K_LOCK] = { "lock", { "percpu", "spin" } },
	[K_UNLOCK] = { "unlock", { NULL } },
	[K_SIGNAL] = { "signal", { NULL } },
	[K_BROADCAST] = { "broadcast", { NULL } },
	[K_COND_WAIT] = { "cond_wait", { "mutex", "record" } },
	[K_POST] = { "post", { NULL } },
	[K_SEM_WAIT] = { "sem_wait", { "record" } },
	[K_TIMER] = { "timer", { "name" } },
	[K_LOOP] = { "loop", { "ops" } },
	[K_COUNT] = { "count", { "add" } },
	[K_STAMP] = { "stamp", { NULL } },
	[K_RECORD] = { "record", { "since" } },
	[K_HOTPLUG] = { "hotplug", { "online" } },
};

static const char *const obj_kind_name[] = {
	[WL_OBJ_BARRIER] = "barrier", [WL_OBJ_LOCK] = "lock", [WL_OBJ_COND] = "cond",
	[WL_OBJ_SEM] = "sem",
};

#define TIME_OPS "run, spin, sleep, wait, recv, barrier, lock, cond_wait, sem_wait or timer"

static int opk_of(const char *k)
{
	for (int i = 0; i < NR_K; i++)
		if (!strcmp(opdefs[i].key, k))
			return i;
	return -1;
}

static bool is_mod(int op, const char *k)
{
	for (int i = 0; i < 5 && opdefs[op].mods[i]; i++)
		if (!strcmp(opdefs[op].mods[i], k))
			return true;
	return false;
}

/* All op keys: "run, spin, ...". */
static void op_list(char *buf, size_t cap)
{
	size_t off = 0;

	for (int i = 0; i < NR_K && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s", i ? ", " : "", opdefs[i].key);
}

/* The ops that have modifier @k ("" if none). */
static size_t mod_owners(const char *k, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < NR_K && off < cap; i++)
		if (is_mod(i, k))
			off += (size_t)snprintf(buf + off, cap - off, "%s%s", off ? ", " : "",
						opdefs[i].key);
	return off;
}

/* "run, refs, footprint, shared, mlp": the keys allowed with op @op. */
static void op_allowed(int op, char *buf, size_t cap)
{
	size_t off = (size_t)snprintf(buf, cap, "%s", opdefs[op].key);

	for (int i = 0; i < 5 && opdefs[op].mods[i] && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, ", %s", opdefs[op].mods[i]);
}

/* Ops that let simulated time pass (a forever loop needs one). */
static bool lets_time_pass(const struct wl_op *ops, int a, int b)
{
	for (int i = a; i < b; i++)
		switch (ops[i].kind) {
		case WL_OP_RUN: case WL_OP_SPIN: case WL_OP_SLEEP: case WL_OP_WAIT:
		case WL_OP_TIMER: case WL_OP_RECV: case WL_OP_BARRIER: case WL_OP_LOCK:
			return true;
		default:
			break;
		}
	return false;
}

/* Append an op to the template; returns its index. */
static int new_op(struct ent *en, enum wl_op_kind kind)
{
	struct wl_op *op;

	GROW(en->tpl.ops, en->cap_ops, en->tpl.nr_ops + 1);
	op = &en->tpl.ops[en->tpl.nr_ops];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->target = -1;
	op->obj = -1;
	op->stamp = -1;
	op->record = -1;
	op->lock = -1;
	op->end = -1;
	op->cpu = -1;
	return en->tpl.nr_ops++;
}

static void add_ref(struct ent *en, int op, enum ref_type type, enum wl_obj_kind okind,
		    enum ref_role role, const char *key, const char *name, const char *opath)
{
	struct ref *r;

	GROW(en->refs, en->cap_refs, en->nr_refs + 1);
	r = &en->refs[en->nr_refs++];
	memset(r, 0, sizeof(*r));
	r->op = op;
	r->type = (unsigned char)type;
	r->okind = (unsigned char)okind;
	r->role = (unsigned char)role;
	r->percpu = r->spin = -1;
	r->key = key;
	copy_str(r->name, sizeof(r->name), name);
	copy_str(r->path, sizeof(r->path), opath);
}

/* A modifier naming a histogram ("record"); *out = -1 without it. */
static int get_hist_mod(struct ld *ld, json_t *o, int *out)
{
	json_t *v = json_object_get(o, "record");
	char s[WL_NAME_MAX];
	size_t m;

	*out = -1;
	if (!v)
		return 0;
	m = push_key(ld, "record");
	if (get_name(ld, v, s, "histogram"))
		return -1;
	*out = names_idx(&ld->hists, s);
	pop(ld, m);
	return 0;
}

/* The value of wait / recv: true or {}. */
static int get_true(struct ld *ld, json_t *v)
{
	static const char *const none[] = { NULL };

	if (json_is_object(v))
		return check_keys(ld, v, none);
	if (!json_is_true(v))
		return err_here(ld, "got %s (expected true or {})",
				json_is_false(v) ? "false" : type_name(v));
	return 0;
}

/* The mean of a distribution (normal: before truncation at 0). */
static double dist_mean(const struct wl_dist *d)
{
	return d->kind == WL_DIST_UNIFORM ? (d->a + d->b) / 2 : d->a;
}

/* SEND, RECV "bytes": a message size (>= 1, default 1), or a distribution of
 * sizes whose mean is >= 1 (each send or recv draws one; wl_interp.c).
 * op->bytes is the size or the mean. */
static int get_msg_size(struct ld *ld, json_t *o, struct wl_op *op)
{
	json_t *v = json_object_get(o, "bytes");
	size_t m;

	op->dist.kind = WL_DIST_FIXED;
	op->dist.a = op->bytes = 1;
	if (!v)
		return 0;
	m = push_key(ld, "bytes");
	if (get_dist(ld, v, &DIST_BYTES, &op->dist))
		return -1;
	op->bytes = dist_mean(&op->dist);
	if (op->bytes < 1 && op->dist.kind == WL_DIST_FIXED)
		return err_here(ld, "message of %g bytes (expected at least 1 byte)", op->bytes);
	if (op->bytes < 1)
		return err_here(ld, "message sizes of mean %g bytes (expected a mean of at least 1 byte)",
				op->bytes);
	pop(ld, m);
	return 0;
}

static int parse_mem(struct ld *ld, json_t *o, struct wl_mem *mem)
{
	json_t *v;
	size_t m;

	if ((v = json_object_get(o, "refs"))) {
		m = push_key(ld, "refs");
		if (get_num_in(ld, v, &mem->refs_per_us, 0, 1e12,
			       "a number of LLC references per us of work, >= 0"))
			return -1;
		pop(ld, m);
	}
	if ((v = json_object_get(o, "footprint"))) {
		m = push_key(ld, "footprint");
		if (get_bytes(ld, v, &mem->footprint))
			return -1;
		pop(ld, m);
	}
	if ((v = json_object_get(o, "shared"))) {
		m = push_key(ld, "shared");
		if (get_num_in(ld, v, &mem->shared, 0, 1,
			       "the fraction 0..1 of the references that go to the shared set"))
			return -1;
		pop(ld, m);
	}
	if ((v = json_object_get(o, "mlp"))) {
		m = push_key(ld, "mlp");
		if (get_num_in(ld, v, &mem->mlp, 1, 1e6, "a memory-level parallelism >= 1"))
			return -1;
		pop(ld, m);
	}
	return 0;
}

static int parse_op_list(struct ld *ld, json_t *arr, struct ent *en, const char *what);

/* An op naming a synchronisation object. */
static int obj_op(struct ld *ld, json_t *v, struct ent *en, int opk, enum wl_op_kind kind,
		  enum wl_obj_kind okind, enum ref_role role, const char *opath, int *opi)
{
	char s[WL_NAME_MAX];

	if (get_name(ld, v, s, obj_kind_name[okind]))
		return -1;
	*opi = new_op(en, kind);
	add_ref(en, *opi, REF_OBJ, okind, role, opdefs[opk].key, s, opath);
	return 0;
}

/* Parse op object @o at ld->path, appending to the template of @en. */
static int parse_op(struct ld *ld, json_t *o, struct ent *en)
{
	char list[512], allowed[256], owners[256], opath[WL_PATH_MAX], s[WL_NAME_MAX];
	const char *k, *keys[16];
	int kinds[16], nk = 0, op = -1, i = -1;
	json_t *v;
	size_t m;

	op_list(list, sizeof(list));
	if (!json_is_object(o))
		return err_here(ld, "got %s (expected an op object, e.g. {\"run\": \"1ms\"}, with one "
				"of: %s)", type_name(o), list);
	if (!json_object_size(o))
		return err_here(ld, "empty op (expected exactly one of: %s)", list);
	json_object_foreach(o, k, v) {
		int x = opk_of(k);
		if (x >= 0 && nk < 16) {
			kinds[nk] = x;
			keys[nk++] = k;
		}
	}
	if (!nk) {
		json_object_foreach(o, k, v)
			break;
		copy_str(opath, sizeof(opath), ld->path);
		push_key(ld, k);
		if (mod_owners(k, owners, sizeof(owners)))
			return err_here(ld, "modifier \"%s\" without its op (it belongs to: %s; expected "
					"exactly one op key: %s)", k, owners, list);
		return err_at(ld, ld->path, "unknown key \"%s\" in %s (expected one of: %s)", k, opath,
			      list);
	}
	/* the op key: the one whose modifiers all other op-named keys are
	 * ({"lock": ..., "spin": true}, {"wait": true, "record": ...}) */
	for (int a = 0; a < nk && op < 0; a++) {
		bool all = true;
		for (int b = 0; b < nk; b++)
			if (b != a && !is_mod(kinds[a], keys[b]))
				all = false;
		if (all)
			op = kinds[a];
	}
	if (op < 0) {
		for (int b = 1; b < nk; b++)
			if (!is_mod(kinds[0], keys[b])) {
				push_key(ld, keys[b]);
				return err_here(ld, "second op key in one op object: \"%s\" after \"%s\" "
						"(expected exactly one op key with its modifiers; write one "
						"op per object)", keys[b], keys[0]);
			}
		return err_here(ld, "ambiguous op (expected exactly one of: %s)", list);
	}
	op_allowed(op, allowed, sizeof(allowed));
	copy_str(opath, sizeof(opath), ld->path);
	json_object_foreach(o, k, v) {
		if (!strcmp(k, opdefs[op].key) || is_mod(op, k))
			continue;
		push_key(ld, k);
		if (opk_of(k) >= 0)
			return err_here(ld, "second op key in one op object: \"%s\" after \"%s\" "
					"(expected exactly one op key with its modifiers; write one op "
					"per object)", k, opdefs[op].key);
		if (mod_owners(k, owners, sizeof(owners)))
			return err_here(ld, "\"%s\" is not a modifier of %s (it belongs to: %s; "
					"expected one of: %s)", k, opdefs[op].key, owners, allowed);
		return err_at(ld, ld->path, "unknown key \"%s\" in %s (expected one of: %s)", k, opath,
			      allowed);
	}

	v = json_object_get(o, opdefs[op].key);
	m = push_key(ld, opdefs[op].key);
	switch (op) {
	case K_RUN:
	case K_SPIN:
	case K_SLEEP:
		i = new_op(en, op == K_RUN ? WL_OP_RUN : op == K_SPIN ? WL_OP_SPIN : WL_OP_SLEEP);
		if (get_dist(ld, v, &DIST_NS, &en->tpl.ops[i].dist))
			return -1;
		pop(ld, m);
		return op == K_RUN ? parse_mem(ld, o, &en->tpl.ops[i].mem) : 0;
	case K_WAKE:
	case K_WAKE_ALL:
		if (get_name(ld, v, s, "thread or group"))
			return -1;
		i = new_op(en, op == K_WAKE ? WL_OP_WAKE : WL_OP_WAKE_ALL);
		add_ref(en, i, op == K_WAKE ? REF_THREAD : REF_THREADS, 0, ROLE_USE, opdefs[op].key, s,
			opath);
		en->tpl.ops[i].nr_targets = 1;
		pop(ld, m);
		return 0;
	case K_WAIT:
		if (get_true(ld, v))
			return -1;
		i = new_op(en, WL_OP_WAIT);
		pop(ld, m);
		return get_hist_mod(ld, o, &en->tpl.ops[i].record);
	case K_SEND: {
		json_t *e = json_object_get(o, "each");
		bool each = false;

		if (get_name(ld, v, s, "thread or group"))
			return -1;
		pop(ld, m);
		if (e) {
			m = push_key(ld, "each");
			if (get_bool(ld, e, &each))
				return -1;
			pop(ld, m);
		}
		i = new_op(en, WL_OP_SEND);
		add_ref(en, i, each ? REF_THREADS : REF_THREAD, 0, ROLE_USE, "send", s, opath);
		en->tpl.ops[i].each = each;
		en->tpl.ops[i].nr_targets = 1;
		return get_msg_size(ld, o, &en->tpl.ops[i]);
	}
	case K_RECV:
		if (get_true(ld, v))
			return -1;
		i = new_op(en, WL_OP_RECV);
		pop(ld, m);
		return get_msg_size(ld, o, &en->tpl.ops[i]);
	case K_BARRIER: {
		json_t *x = json_object_get(o, "spin");

		if (obj_op(ld, v, en, op, WL_OP_BARRIER, WL_OBJ_BARRIER, ROLE_USE, opath, &i))
			return -1;
		pop(ld, m);
		if (!x)
			return 0;
		/* spin-then-sleep waiters: the op's dist is the spin time */
		m = push_key(ld, "spin");
		if (get_dist(ld, x, &DIST_NS, &en->tpl.ops[i].dist))
			return -1;
		pop(ld, m);
		return 0;
	}
	case K_LOCK: {
		static const char *const attr[2] = { "percpu", "spin" };
		if (obj_op(ld, v, en, op, WL_OP_LOCK, WL_OBJ_LOCK, ROLE_LOCK, opath, &i))
			return -1;
		pop(ld, m);
		for (int a = 0; a < 2; a++) {
			json_t *x = json_object_get(o, attr[a]);
			bool b;
			if (!x)
				continue;
			m = push_key(ld, attr[a]);
			if (get_bool(ld, x, &b))
				return -1;
			if (a)
				en->refs[en->nr_refs - 1].spin = b;
			else
				en->refs[en->nr_refs - 1].percpu = b;
			pop(ld, m);
		}
		return 0;
	}
	case K_UNLOCK:
		if (obj_op(ld, v, en, op, WL_OP_UNLOCK, WL_OBJ_LOCK, ROLE_NEEDLOCK, opath, &i))
			return -1;
		pop(ld, m);
		return 0;
	case K_SIGNAL:
	case K_BROADCAST:
		if (obj_op(ld, v, en, op, op == K_SIGNAL ? WL_OP_WAKE : WL_OP_WAKE_ALL, WL_OBJ_COND,
			   ROLE_SIGNAL, opath, &i))
			return -1;
		pop(ld, m);
		return 0;
	case K_COND_WAIT: {
		json_t *x = json_object_get(o, "mutex");
		if (obj_op(ld, v, en, op, WL_OP_WAIT, WL_OBJ_COND, ROLE_WAIT, opath, &i))
			return -1;
		pop(ld, m);
		if (x) {
			m = push_key(ld, "mutex");
			if (get_name(ld, x, s, "lock"))
				return -1;
			add_ref(en, i, REF_MUTEX, WL_OBJ_LOCK, ROLE_NEEDLOCK, "mutex", s, opath);
			pop(ld, m);
		}
		return get_hist_mod(ld, o, &en->tpl.ops[i].record);
	}
	case K_POST:
		if (obj_op(ld, v, en, op, WL_OP_WAKE, WL_OBJ_SEM, ROLE_SIGNAL, opath, &i))
			return -1;
		pop(ld, m);
		return 0;
	case K_SEM_WAIT:
		if (obj_op(ld, v, en, op, WL_OP_WAIT, WL_OBJ_SEM, ROLE_WAIT, opath, &i))
			return -1;
		pop(ld, m);
		return get_hist_mod(ld, o, &en->tpl.ops[i].record);
	case K_TIMER: {
		json_t *x = json_object_get(o, "name");
		struct wl_dist d;

		if (get_dist(ld, v, &DIST_NS, &d))
			return -1;
		if ((d.kind == WL_DIST_FIXED || d.kind == WL_DIST_EXPONENTIAL) ? d.a <= 0 :
		    d.kind == WL_DIST_UNIFORM ? d.b <= 0 : false)
			return err_here(ld, "timer period is always 0 (expected a period > 0)");
		pop(ld, m);
		copy_str(s, sizeof(s), "timer");
		if (x) {
			m = push_key(ld, "name");
			if (get_name(ld, x, s, "timer slot"))
				return -1;
			pop(ld, m);
		}
		i = new_op(en, WL_OP_TIMER);
		en->tpl.ops[i].dist = d;
		en->tpl.ops[i].obj = names_idx(&ld->timers, s);
		return 0;
	}
	case K_LOOP: {
		json_t *body = json_object_get(o, "ops");
		int64_t x;
		int b;

		if (get_int(ld, v, &x))
			return -1;
		if (x < -1)
			return err_here(ld, "loop %" PRId64 " (expected an integer >= 0, or -1 for "
					"forever)", x);
		pop(ld, m);
		if (!body)
			return err_here(ld, "loop without \"ops\" (expected \"ops\": a non-empty array of "
					"ops)");
		i = new_op(en, WL_OP_LOOP);
		en->tpl.ops[i].count = x;
		m = push_key(ld, "ops");
		if (parse_op_list(ld, body, en, "loop"))
			return -1;
		pop(ld, m);
		b = new_op(en, WL_OP_END);
		en->tpl.ops[i].end = b;
		en->tpl.ops[b].end = i;
		if (x == -1 && !lets_time_pass(en->tpl.ops, i + 1, b)) {
			push_key(ld, "loop");
			return err_here(ld, "loop -1 runs forever without a run, sleep or wait op "
					"(expected at least one op that lets time pass: " TIME_OPS
					"; or a finite count)");
		}
		return 0;
	}
	case K_COUNT: {
		json_t *x = json_object_get(o, "add");
		double add = 1;

		if (get_name(ld, v, s, "counter"))
			return -1;
		pop(ld, m);
		if (x) {
			m = push_key(ld, "add");
			if (get_num_in(ld, x, &add, -1e300, 1e300, "a number to add to the counter"))
				return -1;
			pop(ld, m);
		}
		i = new_op(en, WL_OP_COUNT);
		en->tpl.ops[i].bytes = add;
		en->tpl.ops[i].obj = names_idx(&ld->counters, s);
		return 0;
	}
	case K_STAMP: {
		int slot;

		if (get_name(ld, v, s, "stamp slot"))
			return -1;
		i = new_op(en, WL_OP_STAMP);
		slot = names_idx(&ld->stamps, s);
		en->tpl.ops[i].obj = slot;
		ld->stamps.flag[slot] = true;
		pop(ld, m);
		return 0;
	}
	case K_RECORD: {
		json_t *x = json_object_get(o, "since");
		struct since *sc;
		int h;

		if (get_name(ld, v, s, "histogram"))
			return -1;
		h = names_idx(&ld->hists, s);
		pop(ld, m);
		if (!x)
			return err_here(ld, "record without \"since\" (expected \"since\": the stamp "
					"slot to measure from)");
		m = push_key(ld, "since");
		if (get_name(ld, x, s, "stamp slot"))
			return -1;
		i = new_op(en, WL_OP_RECORD);
		en->tpl.ops[i].obj = h;
		en->tpl.ops[i].stamp = names_idx(&ld->stamps, s);
		sc = xrealloc(ld->sinces, sizeof(*sc) * (size_t)(ld->nr_sinces + 1));
		ld->sinces = sc;
		sc += ld->nr_sinces++;
		sc->slot = en->tpl.ops[i].stamp;
		copy_str(sc->name, sizeof(sc->name), s);
		copy_str(sc->path, sizeof(sc->path), ld->path);
		pop(ld, m);
		return 0;
	}
	case K_HOTPLUG: {
		json_t *x = json_object_get(o, "online");
		int bound = ld->nr_cpus > 0 ? ld->nr_cpus : CPUMASK_MAX_CPUS;
		int64_t c;

		if (get_int(ld, v, &c))
			return -1;
		if (c < 0 || c >= bound)
			return err_here(ld, "CPU %" PRId64 " does not exist (expected CPUs 0..%d)", c,
					bound - 1);
		pop(ld, m);
		i = new_op(en, WL_OP_HOTPLUG);
		en->tpl.ops[i].cpu = (int)c;
		if (x) {
			m = push_key(ld, "online");
			if (get_bool(ld, x, &en->tpl.ops[i].online))
				return -1;
			pop(ld, m);
		}
		return 0;
	}
	}
	return 0;
}

/* An array of ops at ld->path; @what names the owner for messages. */
static int parse_op_list(struct ld *ld, json_t *arr, struct ent *en, const char *what)
{
	size_t i, n;
	json_t *v;

	if (!json_is_array(arr))
		return err_here(ld, "got %s (expected a non-empty array of ops)", type_name(arr));
	n = json_array_size(arr);
	if (!n)
		return err_here(ld, "%s has no ops (expected at least one op)", what);
	json_array_foreach(arr, i, v) {
		size_t mi = push_idx(ld, i);
		int first = en->tpl.nr_ops;

		if (parse_op(ld, v, en))
			return -1;
		pop(ld, mi);
		if (i + 1 < n && en->tpl.ops[first].kind == WL_OP_LOOP &&
		    en->tpl.ops[first].count == -1) {
			push_idx(ld, i + 1);
			return err_here(ld, "op after a loop that runs forever would never run "
					"(expected the \"loop\": -1 last in its list)");
		}
	}
	return 0;
}

/* ---- thread entries ---------------------------------------------------- */

static int new_ent(struct ld *ld, int parent)
{
	struct ent *en;

	GROW(ld->ents, ld->cap_ents, ld->nr_ents + 1);
	en = &ld->ents[ld->nr_ents];
	memset(en, 0, sizeof(*en));
	en->parent = parent;
	en->count = 1;
	copy_str(en->path, sizeof(en->path), ld->path);
	return ld->nr_ents++;
}

/* The name of entry @e (the value at ld->path): unique among the entries
 * of its scope (a block's "threads", or the top level of every process). */
static int entry_name(struct ld *ld, json_t *v, int e, const char *what)
{
	struct ent *en = &ld->ents[e];
	char s[WL_STR_MAX];

	if (get_str(ld, v, s, sizeof(s), "a string"))
		return -1;
	if (!*s || strlen(s) >= WL_NAME_MAX)
		return err_here(ld, "bad %s name \"%s\" (expected 1..%d characters)", what, s,
				WL_NAME_MAX - 1);
	if (strchr(s, '/'))
		return err_here(ld, "bad %s name \"%s\" (expected a name without '/', which separates "
				"block instances in thread names)", what, s);
	copy_str(en->name, sizeof(en->name), s);
	for (int j = 0; j < e; j++) {
		const struct ent *o = &ld->ents[j];
		if (o->parent != en->parent || strcmp(o->name, s))
			continue;
		if (!o->block && !en->block)
			return err_here(ld, "duplicate thread name \"%s\", also used at %s (expected "
					"unique thread names)", s, o->path);
		return err_here(ld, "duplicate name \"%s\", also used by the %s at %s (expected "
				"unique thread and block names in a scope)", s,
				o->block ? "block" : "thread", o->path);
	}
	return 0;
}

/* "; from --set k=v ..." for the --set values the loader used, only those
 * named as ${k} in @ref unless @ref is NULL: what fed a value out of range. */
static void sets_note(const struct ld *ld, const char *ref, char *buf, size_t len)
{
	size_t off = 0;
	char var[WL_NAME_MAX + 4];

	buf[0] = '\0';
	for (int s = 0; s < ld->nr_sets && off < len; s++) {
		snprintf(var, sizeof(var), "${%s}", ld->sets[s].name);
		if (!ld->sets[s].used || (ref && !strstr(ref, var)))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s %s=%s", off ? "" : "; from --set",
					ld->sets[s].name, ld->sets[s].value);
	}
}

static int entry_count(struct ld *ld, json_t *jt, struct ent *en)
{
	char note[DIAG_MSG_MAX / 2];
	json_t *v = json_object_get(jt, "count");
	int64_t x;
	size_t m;

	if (!v)
		return 0;
	m = push_key(ld, "count");
	if (get_int(ld, v, &x))
		return -1;
	if (x < 1 || x > WL_COUNT_MAX) {
		sets_note(ld, json_is_string(v) ? json_string_value(v) : "", note, sizeof(note));
		return err_here(ld, "count %" PRId64 " out of range (expected 1..%d threads or block "
				"instances%s)", x, WL_COUNT_MAX, note);
	}
	en->count = (int)x;
	pop(ld, m);
	return 0;
}

static int parse_inbox(struct ld *ld, json_t *v, struct wl_thread *t)
{
	static const char *const keys[] = { "type", "capacity", NULL };
	char s[WL_STR_MAX];
	json_t *x;
	size_t m;

	if (!json_is_object(v))
		return err_here(ld, "got %s (expected an object {\"type\": \"pipe\" or \"socket\", "
				"\"capacity\": BYTES})", type_name(v));
	if (check_keys(ld, v, keys))
		return -1;
	if ((x = json_object_get(v, "type"))) {
		m = push_key(ld, "type");
		if (get_str(ld, x, s, sizeof(s), "\"pipe\" or \"socket\""))
			return -1;
		if (!strcmp(s, "socket"))
			t->inbox = WL_INBOX_SOCKET;
		else if (strcmp(s, "pipe"))
			return err_here(ld, "unknown inbox type \"%s\" (expected \"pipe\" or \"socket\")",
					s);
		pop(ld, m);
	}
	t->inbox_capacity = t->inbox == WL_INBOX_SOCKET ? 212992 : 65536;
	if ((x = json_object_get(v, "capacity"))) {
		m = push_key(ld, "capacity");
		if (get_bytes(ld, x, &t->inbox_capacity))
			return -1;
		if (t->inbox_capacity < 1)
			return err_here(ld, "inbox capacity %g bytes (expected at least 1 byte)",
					t->inbox_capacity);
		/* round_pipe_size() (fs/pipe.c): F_SETPIPE_SZ refuses more than 2^31 */
		if (t->inbox == WL_INBOX_PIPE && t->inbox_capacity > 2147483648.0)
			return err_here(ld, "pipe capacity %g bytes (expected at most 2 GiB, as F_SETPIPE_SZ)",
					t->inbox_capacity);
		pop(ld, m);
	}
	return 0;
}

static int parse_phases(struct ld *ld, json_t *arr, struct ent *en)
{
	static const char *const keys[] = { "name", "loops", "ops", NULL };
	size_t i, n;
	json_t *ph;

	if (!json_is_array(arr))
		return err_here(ld, "got %s (expected a non-empty array of phases)", type_name(arr));
	n = json_array_size(arr);
	if (!n)
		return err_here(ld, "thread \"%s\" has no phases (expected at least one phase)",
				en->name);
	json_array_foreach(arr, i, ph) {
		size_t mi = push_idx(ld, i), m;
		char s[WL_STR_MAX], what[WL_STR_MAX + 32];
		int64_t x = 1;
		int a = -1, b;
		json_t *v;

		if (!json_is_object(ph))
			return err_here(ld, "got %s (expected a phase object {\"name\": ..., \"loops\": "
					"N, \"ops\": [...]})", type_name(ph));
		if (check_keys(ld, ph, keys))
			return -1;
		snprintf(what, sizeof(what), "phase %zu", i);
		if ((v = json_object_get(ph, "name"))) {
			m = push_key(ld, "name");
			if (get_str(ld, v, s, sizeof(s), "a string"))
				return -1;
			snprintf(what, sizeof(what), "phase \"%s\"", s);
			pop(ld, m);
		}
		if ((v = json_object_get(ph, "loops"))) {
			m = push_key(ld, "loops");
			if (get_int(ld, v, &x))
				return -1;
			if (x == -1 && i + 1 < n)
				return err_here(ld, "loops -1 (forever) in a phase that is not the last "
						"(expected an integer >= 1; -1 only in the last phase)");
			if (x != -1 && x < 1)
				return err_here(ld, "loops %" PRId64 " (expected an integer >= 1, or -1 "
						"for forever in the last phase)", x);
			pop(ld, m);
		}
		if (!(v = json_object_get(ph, "ops")))
			return err_here(ld, "%s without \"ops\" (expected \"ops\": a non-empty array of "
					"ops)", what);
		if (x != 1) {
			a = new_op(en, WL_OP_LOOP);
			en->tpl.ops[a].count = x;
		}
		m = push_key(ld, "ops");
		if (parse_op_list(ld, v, en, what))
			return -1;
		pop(ld, m);
		if (a >= 0) {
			b = new_op(en, WL_OP_END);
			en->tpl.ops[a].end = b;
			en->tpl.ops[b].end = a;
			if (x == -1 && !lets_time_pass(en->tpl.ops, a + 1, b)) {
				push_key(ld, "loops");
				return err_here(ld, "%s loops forever without a run, sleep or wait op "
						"(expected at least one op that lets time pass: "
						TIME_OPS "; or finite loops)", what);
			}
		}
		pop(ld, mi);
	}
	return 0;
}

/* A thread group: the template of its threads. */
static int parse_group(struct ld *ld, json_t *jt, int e)
{
	static const char *const keys[] = { "name", "count", "nice", "start_delay", "cpus", "loops",
					    "inbox", "ops", "phases", NULL };
	struct ent *en = &ld->ents[e]; /* no entry is added while parsing a group */
	struct wl_thread *tpl = &en->tpl;
	json_t *v, *ops, *phases;
	char what[WL_NAME_MAX + 16];
	int64_t x;
	size_t m;

	if (check_keys(ld, jt, keys))
		return -1;
	tpl->loops = -1;
	tpl->inbox = WL_INBOX_PIPE;
	tpl->inbox_capacity = 65536;
	if (!(v = json_object_get(jt, "name")))
		return err_here(ld, "thread without \"name\" (expected \"name\": a string)");
	m = push_key(ld, "name");
	if (entry_name(ld, v, e, "thread"))
		return -1;
	pop(ld, m);
	if (entry_count(ld, jt, en))
		return -1;
	if ((v = json_object_get(jt, "nice"))) {
		m = push_key(ld, "nice");
		if (get_int(ld, v, &x))
			return -1;
		if (x < -20 || x > 19)
			return err_here(ld, "nice %" PRId64 " out of range (expected -20..19)", x);
		tpl->nice = (int)x;
		pop(ld, m);
	}
	if ((v = json_object_get(jt, "start_delay"))) {
		m = push_key(ld, "start_delay");
		if (get_dur(ld, v, &tpl->start_delay))
			return -1;
		pop(ld, m);
	}
	if ((v = json_object_get(jt, "cpus"))) {
		m = push_key(ld, "cpus");
		int rc = get_cpus(ld, v, &tpl->affinity);
		if (rc < 0)
			return -1;
		tpl->has_affinity = rc == 0;
		pop(ld, m);
	}
	if ((v = json_object_get(jt, "loops"))) {
		m = push_key(ld, "loops");
		if (get_int(ld, v, &x))
			return -1;
		if (x != -1 && x < 1)
			return err_here(ld, "loops %" PRId64 " (expected an integer >= 1, or -1 for "
					"forever)", x);
		tpl->loops = x;
		pop(ld, m);
	}
	if ((v = json_object_get(jt, "inbox"))) {
		m = push_key(ld, "inbox");
		if (parse_inbox(ld, v, tpl))
			return -1;
		pop(ld, m);
	}

	ops = json_object_get(jt, "ops");
	phases = json_object_get(jt, "phases");
	if (ops && phases) {
		push_key(ld, "phases");
		return err_here(ld, "thread \"%s\" has both \"ops\" and \"phases\" (expected exactly one "
				"of them)", en->name);
	}
	if (!ops && !phases)
		return err_here(ld, "thread \"%s\" has no \"ops\" (expected a non-empty array of ops, "
				"or \"phases\")", en->name);
	m = push_key(ld, ops ? "ops" : "phases");
	snprintf(what, sizeof(what), "thread \"%s\"", en->name);
	if (ops ? parse_op_list(ld, ops, en, what) : parse_phases(ld, phases, en))
		return -1;
	if (tpl->loops == -1 && !lets_time_pass(tpl->ops, 0, tpl->nr_ops))
		return err_here(ld, "thread \"%s\" loops forever without a run, sleep or wait op "
				"(expected at least one op that lets time pass: " TIME_OPS "; or a "
				"finite \"loops\")", en->name);
	pop(ld, m);
	return 0;
}

static int parse_entry(struct ld *ld, json_t *jt, int parent, int *out);

static int parse_block(struct ld *ld, json_t *jb, int e)
{
	static const char *const keys[] = { "block", "count", "threads", NULL };
	json_t *v, *jt;
	size_t m, i;

	if (check_keys(ld, jb, keys))
		return -1;
	m = push_key(ld, "block");
	if (entry_name(ld, json_object_get(jb, "block"), e, "block"))
		return -1;
	pop(ld, m);
	if (entry_count(ld, jb, &ld->ents[e]))
		return -1;
	if (!(v = json_object_get(jb, "threads")))
		return err_here(ld, "block \"%s\" has no \"threads\" (expected a non-empty array of "
				"threads and blocks)", ld->ents[e].name);
	m = push_key(ld, "threads");
	if (!json_is_array(v))
		return err_here(ld, "got %s (expected a non-empty array of threads and blocks)",
				type_name(v));
	if (!json_array_size(v))
		return err_here(ld, "block \"%s\" has no threads (expected at least one thread)",
				ld->ents[e].name);
	ld->ents[e].kids = xcalloc(json_array_size(v), sizeof(int));
	json_array_foreach(v, i, jt) {
		size_t mi = push_idx(ld, i);
		int kid;

		if (parse_entry(ld, jt, e, &kid))
			return -1;
		ld->ents[e].kids[ld->ents[e].nr_kids++] = kid;
		pop(ld, mi);
	}
	pop(ld, m);
	return 0;
}

/* A "threads" element at ld->path: a thread group, or a block. */
static int parse_entry(struct ld *ld, json_t *jt, int parent, int *out)
{
	int e;

	if (!json_is_object(jt))
		return err_here(ld, "got %s (expected a thread object, or a block {\"block\": NAME, "
				"\"threads\": [...]})", type_name(jt));
	if ((e = new_ent(ld, parent)) < 0)
		return -1;
	*out = e;
	if (json_object_get(jt, "block")) {
		ld->ents[e].block = true;
		return parse_block(ld, jt, e);
	}
	return parse_group(ld, jt, e);
}

/* ---- expansion --------------------------------------------------------- */

static int add_proc(struct ld *ld, const char *name, const struct wl_process *tp,
		    const char *path)
{
	struct workload *w = ld->w;
	struct wl_process *p;

	if (nmap_get(&ld->procmap, name) >= 0)
		return err_at(ld, path, "%s: duplicate process name \"%s\" (expected unique process "
			      "names; in mode \"processes\" every thread is a process named after "
			      "it)", path, name);
	GROW(w->procs, ld->cap_procs, w->nr_procs + 1);
	nmap_put(&ld->procmap, name, w->nr_procs);
	p = &w->procs[w->nr_procs];
	*p = *tp;
	copy_str(p->name, sizeof(p->name), name);
	p->first_thread = w->nr_threads;
	p->nr_threads = 0;
	return w->nr_procs++;
}

static int add_threads(struct ld *ld, int n)
{
	struct workload *w = ld->w;

	assert(w->nr_threads + (int64_t)n <= WL_THREADS_MAX); /* check_thread_count() */
	if (w->nr_threads + n <= ld->cap_threads)
		return 0;
	int cap = MAX(ld->cap_threads * 2, w->nr_threads + n);
	struct wl_thread *t = xrealloc(w->threads, sizeof(*t) * (size_t)cap);
	memset(t + ld->cap_threads, 0, sizeof(*t) * (size_t)(cap - ld->cap_threads));
	w->threads = t;
	int *g = xrealloc(ld->tginst, sizeof(*g) * (size_t)cap);
	ld->tginst = g;
	ld->cap_threads = cap;
	return 0;
}

static int new_scope(struct ld *ld, const char *prefix, int parent)
{
	GROW(ld->scopes, ld->cap_scopes, ld->nr_scopes + 1);
	copy_str(ld->scopes[ld->nr_scopes].prefix, WL_NAME_MAX, prefix);
	ld->scopes[ld->nr_scopes].parent = parent;
	return ld->nr_scopes++;
}

/* The process a thread goes to: @proc, or (-1) a new one per thread. */
struct pctx {
	int proc;
	const struct wl_process *tp;
};

/* Instantiate entry @e in @scope. */
static int expand(struct ld *ld, int e, int scope, const struct pctx *pc)
{
	const struct ent *en = &ld->ents[e]; /* all entries of the process exist */
	struct workload *w = ld->w;
	char prefix[WL_NAME_MAX], full[3 * WL_NAME_MAX], path[WL_PATH_MAX + 8];
	struct ginst *gi;
	int g;

	copy_str(prefix, sizeof(prefix), ld->scopes[scope].prefix);
	if (en->block) {
		snprintf(path, sizeof(path), "%s.block", en->path);
		for (int k = 0; k < en->count; k++) {
			snprintf(full, sizeof(full), "%s%s.%d/", prefix, en->name, k);
			if (strlen(full) >= WL_NAME_MAX - 1)
				return err_at(ld, path, "%s: block instance \"%.*s\" makes thread names "
					      "too long (expected at most %d characters per thread name, "
					      "including block prefixes and \".N\")", path,
					      (int)strlen(full) - 1, full, WL_NAME_MAX - 1);
			int s = new_scope(ld, full, scope);
			if (s < 0)
				return -1;
			for (int i = 0; i < en->nr_kids; i++)
				if (expand(ld, en->kids[i], s, pc))
					return -1;
		}
		return 0;
	}

	snprintf(path, sizeof(path), "%s.name", en->path);
	snprintf(full, sizeof(full), "%s%s", prefix, en->name);
	if (strlen(full) + (en->count > 1 ? (size_t)snprintf(NULL, 0, ".%d", en->count - 1) : 0) >=
	    WL_NAME_MAX) {
		if (!*prefix)
			return err_at(ld, path, "%s: name \"%s\" too long for %d instances (expected at "
				      "most %d characters including \".N\")", path, en->name,
				      en->count, WL_NAME_MAX - 1);
		return err_at(ld, path, "%s: thread name \"%s\" too long for %d instances (expected "
			      "at most %d characters including block prefixes and \".N\")", path,
			      full, en->count, WL_NAME_MAX - 1);
	}
	GROW(ld->gi, ld->cap_gi, ld->nr_gi + 1);
	g = ld->nr_gi++;
	gi = &ld->gi[g];
	gi->ent = e;
	gi->scope = scope;
	gi->first = w->nr_threads;
	gi->count = en->count;
	copy_str(gi->name, sizeof(gi->name), full);
	if (add_threads(ld, en->count))
		return -1;
	for (int n = 0; n < en->count; n++) {
		struct wl_thread *t = &w->threads[w->nr_threads];
		int proc = pc->proc;

		*t = en->tpl;
		t->ops = NULL;
		copy_str(t->name, sizeof(t->name), full); /* fits: checked above */
		if (en->count > 1) {
			size_t l = strlen(t->name);
			snprintf(t->name + l, sizeof(t->name) - l, ".%d", n);
		}
		if (proc < 0) {
			if ((proc = add_proc(ld, t->name, pc->tp, path)) < 0)
				return -1;
			w->procs[proc].nr_threads = 1;
		}
		t->process = proc;
		t->ops = xmalloc(sizeof(*t->ops) * (size_t)en->tpl.nr_ops);
		memcpy(t->ops, en->tpl.ops, sizeof(*t->ops) * (size_t)en->tpl.nr_ops);
		ld->tginst[w->nr_threads] = g;
		w->nr_threads++;
	}
	return 0;
}

/* ---- processes --------------------------------------------------------- */

static int parse_memory(struct ld *ld, json_t *v, struct wl_process *p)
{
	static const char *const keys[] = { "shared", "write", "policy", "node", NULL };
	char s[WL_STR_MAX];
	json_t *x, *node;
	size_t m;

	if (!json_is_object(v))
		return err_here(ld, "got %s (expected an object {\"shared\": BYTES, \"write\": 0..1, "
				"\"policy\": ..., \"node\": N})", type_name(v));
	if (check_keys(ld, v, keys))
		return -1;
	if ((x = json_object_get(v, "shared"))) {
		m = push_key(ld, "shared");
		if (get_bytes(ld, x, &p->shared_bytes))
			return -1;
		pop(ld, m);
	}
	if ((x = json_object_get(v, "write"))) {
		m = push_key(ld, "write");
		if (get_num_in(ld, x, &p->write_fraction, 0, 1,
			       "the fraction 0..1 of shared-set references that are writes"))
			return -1;
		pop(ld, m);
	}
	if ((x = json_object_get(v, "policy"))) {
		m = push_key(ld, "policy");
		if (get_str(ld, x, s, sizeof(s), "a memory policy: first-touch, interleave or bind"))
			return -1;
		if (!strcmp(s, "first-touch"))
			p->mempolicy = WL_MEM_FIRST_TOUCH;
		else if (!strcmp(s, "interleave"))
			p->mempolicy = WL_MEM_INTERLEAVE;
		else if (!strcmp(s, "bind"))
			p->mempolicy = WL_MEM_BIND;
		else
			return err_here(ld, "unknown memory policy \"%s\" (expected one of: first-touch, "
					"interleave, bind)", s);
		node = json_object_get(v, "node");
		if (p->mempolicy == WL_MEM_BIND && !node)
			return err_here(ld, "policy \"bind\" without \"node\" (expected \"node\": the "
					"NUMA node to bind to)");
		pop(ld, m);
	}
	if ((x = json_object_get(v, "node"))) {
		int64_t n;

		m = push_key(ld, "node");
		if (p->mempolicy != WL_MEM_BIND)
			return err_here(ld, "\"node\" without \"policy\": \"bind\" (expected \"node\" "
					"only with policy bind)");
		if (get_int(ld, x, &n))
			return -1;
		if (n < 0 || (ld->nr_nodes > 0 && n >= ld->nr_nodes))
			return ld->nr_nodes > 0 ?
				err_here(ld, "node %" PRId64 " does not exist (expected nodes 0..%d)",
					 n, ld->nr_nodes - 1) :
				err_here(ld, "node %" PRId64 " (expected a node index >= 0)", n);
		p->bind_node = (int)n;
		pop(ld, m);
	}
	return 0;
}

/* Parse process @pj and expand its threads. */
/* Threads entry @e makes in one instance of its scope: a group's count, a
 * block's count x its children's; saturates at INT64_MAX. */
static int64_t ent_threads(const struct ld *ld, int e)
{
	const struct ent *en = &ld->ents[e];
	int64_t n = 0;

	if (!en->block)
		return en->count;
	for (int i = 0; i < en->nr_kids; i++)
		if (__builtin_add_overflow(n, ent_threads(ld, en->kids[i]), &n))
			return INT64_MAX;
	if (__builtin_mul_overflow(n, (int64_t)en->count, &n))
		return INT64_MAX;
	return n;
}

/*
 * The thread cap, checked on the counts before any thread exists: counts
 * like "${groups}" x "${fds}" set to 10^8 would otherwise allocate up to the
 * cap first (seconds) or overflow.  Names the --set values that fed it.
 */
static int check_thread_count(struct ld *ld, const int *top, int nr_top, const char *path)
{
	int64_t total = ld->w->nr_threads;
	char note[DIAG_MSG_MAX / 2];

	for (int j = 0; j < nr_top; j++)
		if (__builtin_add_overflow(total, ent_threads(ld, top[j]), &total))
			total = INT64_MAX;
	if (total <= WL_THREADS_MAX)
		return 0;
	sets_note(ld, NULL, note, sizeof(note));
	return err_at(ld, path, "%s: %s%" PRId64 " threads (expected at most %d in a workload%s)",
		      path, total == INT64_MAX ? "over " : "", total, WL_THREADS_MAX, note);
}

static int parse_process(struct ld *ld, json_t *jp, size_t pj, char (*jnames)[WL_NAME_MAX])
{
	static const char *const keys[] = { "name", "mode", "memory", "threads", NULL };
	struct workload *w = ld->w;
	struct wl_process tp;
	struct pctx pc = { .proc = -1, .tp = &tp };
	char s[WL_STR_MAX], path[WL_PATH_MAX + 8];
	int first_ent, nr_top = 0, *top;
	json_t *v, *e;
	size_t m, i;

	memset(&tp, 0, sizeof(tp));
	if (!json_is_object(jp))
		return err_here(ld, "got %s (expected a process object {\"name\": ..., \"threads\": "
				"[...]})", type_name(jp));
	if (check_keys(ld, jp, keys))
		return -1;
	if (!(v = json_object_get(jp, "name")))
		return err_here(ld, "process without \"name\" (expected \"name\": a string)");
	m = push_key(ld, "name");
	snprintf(path, sizeof(path), "%s", ld->path);
	if (get_str(ld, v, s, sizeof(s), "a string"))
		return -1;
	if (!*s || strlen(s) >= WL_NAME_MAX)
		return err_here(ld, "bad process name \"%s\" (expected 1..%d characters)", s,
				WL_NAME_MAX - 1);
	for (size_t j = 0; j < pj; j++)
		if (!strcmp(jnames[j], s))
			return err_here(ld, "duplicate process name \"%s\", also used by processes[%zu] "
					"(expected unique process names)", s, j);
	copy_str(jnames[pj], WL_NAME_MAX, s);
	pop(ld, m);
	if ((v = json_object_get(jp, "mode"))) {
		m = push_key(ld, "mode");
		if (get_str(ld, v, s, sizeof(s), "\"threads\" or \"processes\""))
			return -1;
		if (!strcmp(s, "processes") || !strcmp(s, "process"))
			pc.proc = -1;
		else if (!strcmp(s, "threads") || !strcmp(s, "thread"))
			pc.proc = 0;
		else
			return err_here(ld, "unknown mode \"%s\" (expected \"threads\" or \"processes\")",
					s);
		pop(ld, m);
	} else {
		pc.proc = 0;
	}
	if ((v = json_object_get(jp, "memory"))) {
		m = push_key(ld, "memory");
		if (parse_memory(ld, v, &tp))
			return -1;
		pop(ld, m);
	}

	v = json_object_get(jp, "threads");
	if (!v)
		return err_here(ld, "process \"%s\" has no \"threads\" (expected a non-empty array of "
				"threads)", jnames[pj]);
	m = push_key(ld, "threads");
	if (!json_is_array(v))
		return err_here(ld, "got %s (expected a non-empty array of threads)", type_name(v));
	if (!json_array_size(v))
		return err_here(ld, "process \"%s\" has no threads (expected at least one thread)",
				jnames[pj]);
	first_ent = ld->nr_ents;
	json_array_foreach(v, i, e) {
		size_t mi = push_idx(ld, i);
		int x;

		if (parse_entry(ld, e, -1, &x))
			return -1;
		pop(ld, mi);
	}
	pop(ld, m);

	top = xmalloc(sizeof(*top) * json_array_size(v));
	for (int j = first_ent; j < ld->nr_ents; j++)
		if (ld->ents[j].parent < 0)
			top[nr_top++] = j;
	snprintf(path, sizeof(path), "%s.threads", ld->path);
	if (check_thread_count(ld, top, nr_top, path)) {
		free(top);
		return -1;
	}
	snprintf(path, sizeof(path), "%s.name", ld->path);
	if (pc.proc >= 0 && (pc.proc = add_proc(ld, jnames[pj], &tp, path)) < 0) {
		free(top);
		return -1;
	}
	for (int j = 0; j < nr_top; j++)
		if (expand(ld, top[j], 0, &pc)) {
			free(top);
			return -1;
		}
	free(top);
	if (pc.proc >= 0)
		w->procs[pc.proc].nr_threads = w->nr_threads - w->procs[pc.proc].first_thread;
	return 0;
}

/* ---- name resolution --------------------------------------------------- */

/* Resolve thread name @name from @scope: in each scope from the innermost
 * outward, an exact thread name first, then a group name ("/name": only the
 * top level).  Sets *thread or *group; returns -1 if not found. */
static int find_thread_name(struct ld *ld, int scope, const char *name, int *thread, int *group)
{
	char full[3 * WL_NAME_MAX];

	*thread = *group = -1;
	if (name[0] == '/') {
		name++;
		scope = 0;
	}
	for (int s = scope; s >= 0; s = ld->scopes[s].parent) {
		snprintf(full, sizeof(full), "%s%s", ld->scopes[s].prefix, name);
		if (strlen(full) >= WL_NAME_MAX)
			continue;
		if ((*thread = nmap_get(&ld->threadmap, full)) >= 0)
			return 0;
		if ((*group = nmap_get(&ld->groupmap, full)) >= 0)
			return 0;
	}
	return -1;
}

static void scope_where(struct ld *ld, int scope, char *buf, size_t cap)
{
	const char *p = ld->scopes[scope].prefix;

	buf[0] = '\0';
	if (*p)
		snprintf(buf, cap, " from block instance %.*s", (int)strlen(p) - 1, p);
}

/* wake, wake_all, send: the targets of every instance of group @g. */
static int resolve_thread_ref(struct ld *ld, int g, const struct ref *r)
{
	const struct ginst *gi = &ld->gi[g];
	struct workload *w = ld->w;
	char p[WL_PATH_MAX + 16], where[WL_NAME_MAX + 32];
	const char *who = strcmp(r->key, "send") ? "waker" : "sender";
	int t, tg;

	snprintf(p, sizeof(p), "%s.%s", r->path, r->key);
	if (find_thread_name(ld, gi->scope, r->name, &t, &tg)) {
		scope_where(ld, gi->scope, where, sizeof(where));
		if (r->type == REF_THREADS)
			return err_at(ld, p, "%s: unknown %s target \"%s\"%s (expected the name of a "
				      "thread or of a group)", p, r->key, r->name, where);
		return err_at(ld, p, "%s: unknown %s target \"%s\"%s (expected the name of a thread, "
			      "or of a group with the same count as the %s's)", p, r->key, r->name,
			      where, who);
	}
	if (t < 0 && r->type == REF_THREAD && ld->gi[tg].count != gi->count) {
		if (gi->count == 1)
			return err_at(ld, p, "%s: %s target \"%s\" is a group of %d threads (expected "
				      "one thread, e.g. \"%s.0\", or a %s group with the same count%s)",
				      p, r->key, r->name, ld->gi[tg].count, r->name, who,
				      strcmp(r->key, "send") ? "" : ", or \"each\": true");
		return err_at(ld, p, "%s: %s target \"%s\" is a group of %d threads but the %s \"%s\" "
			      "has %d (expected a group with the same count, or one thread, e.g. "
			      "\"%s.0\")", p, r->key, r->name, ld->gi[tg].count, who, gi->name,
			      gi->count, r->name);
	}
	for (int n = 0; n < gi->count; n++) {
		struct wl_op *op = &w->threads[gi->first + n].ops[r->op];

		if (t >= 0) {
			op->target = t;
			op->nr_targets = 1;
		} else if (r->type == REF_THREADS) {
			op->target = ld->gi[tg].first;
			op->nr_targets = ld->gi[tg].count;
		} else {
			op->target = ld->gi[tg].first + n;
			op->nr_targets = 1;
		}
	}
	return 0;
}

struct bpair {
	int obj, g;
};

static int cmp_bpair(const void *a, const void *b)
{
	const struct bpair *x = a, *y = b;

	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return x->g < y->g ? -1 : x->g > y->g;
}

/* Objects named by group @g.  Pass 0: plain names (the object of the
 * innermost block instance, or global); pass 1: names with a '/'
 * ("/name": global; "blk.k/name": an existing object seen from the scope
 * outward, else that full name). */
static int resolve_obj_ref(struct ld *ld, int g, const struct ref *r, int pass,
			   struct bpair **bp, int *nr_bp, int *cap_bp)
{
	const struct ginst *gi = &ld->gi[g];
	struct workload *w = ld->w;
	char p[WL_PATH_MAX + 16], full[3 * WL_NAME_MAX];
	bool q = strchr(r->name, '/') != NULL;
	struct wl_obj *ob;
	struct objx *x;
	int o = -1;

	if (q != (pass == 1))
		return 0;
	snprintf(p, sizeof(p), "%s.%s", r->path, r->key);
	if (!q) {
		snprintf(full, sizeof(full), "%s%s", ld->scopes[gi->scope].prefix, r->name);
	} else if (r->name[0] == '/') {
		snprintf(full, sizeof(full), "%s", r->name + 1);
	} else {
		for (int s = gi->scope; s >= 0 && o < 0; s = ld->scopes[s].parent) {
			snprintf(full, sizeof(full), "%s%s", ld->scopes[s].prefix, r->name);
			if (strlen(full) < WL_NAME_MAX)
				o = nmap_get(&ld->objmap, full);
		}
		if (o < 0)
			snprintf(full, sizeof(full), "%s", r->name);
	}
	if (o < 0 && (o = nmap_get(&ld->objmap, full)) < 0) {
		int cap = ld->cap_objs;

		if (!*full || strlen(full) >= WL_NAME_MAX)
			return err_at(ld, p, "%s: bad %s name \"%s\" (expected 1..%d characters, "
				      "including the block prefix)", p, obj_kind_name[r->okind], full,
				      WL_NAME_MAX - 1);
		GROW(w->objs, ld->cap_objs, w->nr_objs + 1);
		if (cap != ld->cap_objs) {
			struct objx *nx = xrealloc(ld->ox, sizeof(*nx) * (size_t)ld->cap_objs);
			memset(nx + cap, 0, sizeof(*nx) * (size_t)(ld->cap_objs - cap));
			ld->ox = nx;
		}
		nmap_put(&ld->objmap, full, w->nr_objs);
		o = w->nr_objs++;
		memset(&w->objs[o], 0, sizeof(w->objs[o]));
		copy_str(w->objs[o].name, sizeof(w->objs[o].name), full);
		w->objs[o].kind = r->okind;
	}
	ob = &w->objs[o];
	x = &ld->ox[o];
	if (!x->first)
		x->first = r;
	else if (ob->kind != r->okind)
		return err_at(ld, p, "%s: \"%s\" is a %s (%s.%s) and cannot also be a %s (expected "
			      "one kind of object per name: barrier, lock, cond or sem)", p, ob->name,
			      obj_kind_name[ob->kind], x->first->path, x->first->key,
			      obj_kind_name[r->okind]);
	switch (r->role) {
	case ROLE_LOCK:
		x->has_lock = true;
		for (int a = 0; a < 2; a++) {
			static const char *const attr[2] = { "percpu", "spin" };
			int val = a ? r->spin : r->percpu;
			bool *dst = a ? &ob->spin : &ob->percpu;

			if (val < 0)
				continue;
			if (x->attr[a] && *dst != (val != 0)) {
				snprintf(p, sizeof(p), "%s.%s", r->path, attr[a]);
				return err_at(ld, p, "%s: conflicting \"%s\" for lock \"%s\": %s here but "
					      "%s at %s.%s (expected the same value at every lock op on "
					      "it)", p, attr[a], ob->name, val ? "true" : "false",
					      *dst ? "true" : "false", x->attr[a]->path, attr[a]);
			}
			*dst = val != 0;
			if (!x->attr[a])
				x->attr[a] = r;
		}
		break;
	case ROLE_NEEDLOCK:
		if (!x->needlock)
			x->needlock = r;
		break;
	case ROLE_WAIT:
		if (!x->wait)
			x->wait = r;
		break;
	case ROLE_SIGNAL:
		if (!x->signal)
			x->signal = r;
		break;
	default:
		break;
	}
	if (ob->kind == WL_OBJ_BARRIER) {
		GROW(*bp, *cap_bp, *nr_bp + 1);
		(*bp)[(*nr_bp)++] = (struct bpair){ o, g };
	}
	for (int n = 0; n < gi->count; n++) {
		struct wl_op *op = &w->threads[gi->first + n].ops[r->op];
		if (r->type == REF_MUTEX)
			op->lock = o;
		else
			op->obj = o;
	}
	return 0;
}

/* Objects must be used consistently: released locks taken somewhere, conds
 * and sems both waited on and signalled/posted. */
static int check_objs(struct ld *ld)
{
	struct workload *w = ld->w;
	char p[WL_PATH_MAX + 16];

	for (int o = 0; o < w->nr_objs; o++) {
		const struct objx *x = &ld->ox[o];
		const char *n = w->objs[o].name;
		const struct ref *r = NULL;
		const char *what = NULL;

		switch (w->objs[o].kind) {
		case WL_OBJ_LOCK:
			if (x->needlock && !x->has_lock) {
				r = x->needlock;
				what = "is released but never taken (expected a lock op on it)";
			}
			break;
		case WL_OBJ_COND:
			if (x->wait && !x->signal) {
				r = x->wait;
				what = "is waited on but never signalled (expected a signal or broadcast "
				       "op on it)";
			} else if (x->signal && !x->wait) {
				r = x->signal;
				what = "is signalled but nobody waits on it (expected a cond_wait op on it)";
			}
			break;
		case WL_OBJ_SEM:
			if (x->wait && !x->signal) {
				r = x->wait;
				what = "is waited on but never posted (expected a post op on it)";
			} else if (x->signal && !x->wait) {
				r = x->signal;
				what = "is posted but nobody waits on it (expected a sem_wait op on it)";
			}
			break;
		default:
			break;
		}
		if (r) {
			snprintf(p, sizeof(p), "%s.%s", r->path, r->key);
			return err_at(ld, p, "%s: %s \"%s\" %s", p, obj_kind_name[w->objs[o].kind], n,
				      what);
		}
	}
	for (int i = 0; i < ld->nr_sinces; i++)
		if (!ld->stamps.flag[ld->sinces[i].slot])
			return err_at(ld, ld->sinces[i].path, "%s: stamp slot \"%s\" is never stamped "
				      "(expected a {\"stamp\": \"%s\"} op)", ld->sinces[i].path,
				      ld->sinces[i].name, ld->sinces[i].name);
	return 0;
}

static int resolve(struct ld *ld)
{
	struct workload *w = ld->w;
	struct bpair *bp = NULL;
	int nr_bp = 0, cap_bp = 0;

	for (int i = 0; i < w->nr_threads; i++) {
		int j = nmap_get(&ld->threadmap, w->threads[i].name);
		if (j >= 0) {
			const struct ginst *gl = &ld->gi[ld->tginst[i]], *ge = &ld->gi[ld->tginst[j]];
			char p[WL_PATH_MAX + 8];
			snprintf(p, sizeof(p), "%s.name", ld->ents[gl->ent].path);
			return err_at(ld, p, "%s: thread name \"%s\" collides with instance \"%s\" of %s "
				      "(expected unique thread names)", p, w->threads[i].name,
				      w->threads[j].name, ld->ents[ge->ent].path);
		}
		nmap_put(&ld->threadmap, w->threads[i].name, i);
	}
	for (int g = 0; g < ld->nr_gi; g++)
		if (nmap_get(&ld->groupmap, ld->gi[g].name) < 0)
			nmap_put(&ld->groupmap, ld->gi[g].name, g);

	for (int pass = 0; pass < 2; pass++)
		for (int g = 0; g < ld->nr_gi; g++) {
			const struct ent *en = &ld->ents[ld->gi[g].ent];
			for (int k = 0; k < en->nr_refs; k++) {
				const struct ref *r = &en->refs[k];
				int ret;
				if (r->type == REF_THREAD || r->type == REF_THREADS)
					ret = pass ? 0 : resolve_thread_ref(ld, g, r);
				else
					ret = resolve_obj_ref(ld, g, r, pass, &bp, &nr_bp, &cap_bp);
				if (ret) {
					free(bp);
					return -1;
				}
			}
		}

	/* barrier participants: distinct threads naming it */
	if (nr_bp)
		qsort(bp, (size_t)nr_bp, sizeof(*bp), cmp_bpair);
	for (int i = 0; i < nr_bp; i++)
		if (!i || bp[i].obj != bp[i - 1].obj || bp[i].g != bp[i - 1].g)
			w->objs[bp[i].obj].participants += ld->gi[bp[i].g].count;
	free(bp);
	return check_objs(ld);
}

/* ---- metrics ----------------------------------------------------------- */

static int parse_metrics(struct ld *ld, json_t *arr)
{
	static const char *const k_elapsed[] = { "name", "kind", "since", "unit", "better", NULL };
	static const char *const k_counter[] = { "name", "kind", "counter", "scale", "unit",
						 "better", NULL };
	static const char *const k_latency[] = { "name", "kind", "hist", "unit", "better", NULL };
	static const char *const kinds[] = { "elapsed", "rate", "total", "latency" };
	struct workload *w = ld->w;
	char s[WL_STR_MAX], list[512];
	json_t *jm, *v;
	size_t i, m;

	if (!json_is_array(arr))
		return err_here(ld, "got %s (expected an array of metric objects)", type_name(arr));
	w->metrics = xcalloc(json_array_size(arr) ? json_array_size(arr) : 1, sizeof(*w->metrics));
	json_array_foreach(arr, i, jm) {
		size_t mi = push_idx(ld, i);
		struct wl_metric *mt = &w->metrics[w->nr_metrics];
		size_t k;

		if (!json_is_object(jm))
			return err_here(ld, "got %s (expected a metric object {\"name\": ..., \"kind\": "
					"...})", type_name(jm));
		if (!(v = json_object_get(jm, "kind")))
			return err_here(ld, "metric without \"kind\" (expected \"kind\": one of elapsed, "
					"rate, total, latency)");
		m = push_key(ld, "kind");
		if (get_str(ld, v, s, sizeof(s), "a metric kind"))
			return -1;
		for (k = 0; k < ARRAY_SIZE(kinds); k++)
			if (!strcmp(s, kinds[k]))
				break;
		if (k == ARRAY_SIZE(kinds))
			return err_here(ld, "unknown metric kind \"%s\" (expected one of: elapsed, rate, "
					"total, latency)", s);
		pop(ld, m);
		mt->kind = k == 0 ? WL_METRIC_ELAPSED : k == 1 ? WL_METRIC_RATE :
			   k == 2 ? WL_METRIC_TOTAL : WL_METRIC_LATENCY;
		if (check_keys(ld, jm, mt->kind == WL_METRIC_ELAPSED ? k_elapsed :
				       mt->kind == WL_METRIC_LATENCY ? k_latency : k_counter))
			return -1;
		if (!(v = json_object_get(jm, "name")))
			return err_here(ld, "metric without \"name\" (expected \"name\": a string)");
		m = push_key(ld, "name");
		if (get_name(ld, v, mt->name, "metric"))
			return -1;
		for (int j = 0; j < w->nr_metrics; j++)
			if (!strcmp(w->metrics[j].name, mt->name))
				return err_here(ld, "duplicate metric name \"%s\", also used by metrics[%d] "
						"(expected unique metric names)", mt->name, j);
		pop(ld, m);
		mt->src = -1;
		mt->scale = 1;
		mt->higher_is_better = mt->kind == WL_METRIC_RATE || mt->kind == WL_METRIC_TOTAL;
		/* rate/total: "counter"; latency: "hist"; elapsed: optional
		 * "since" (a counter: time from its last change to the end) */
		if (mt->kind != WL_METRIC_ELAPSED || json_object_get(jm, "since")) {
			bool lat = mt->kind == WL_METRIC_LATENCY;
			const char *key = lat ? "hist" : mt->kind == WL_METRIC_ELAPSED ? "since" : "counter";
			struct names *ns = lat ? &ld->hists : &ld->counters;

			if (!(v = json_object_get(jm, key)))
				return err_here(ld, "metric \"%s\" of kind %s without \"%s\" (expected "
						"\"%s\": the name of a %s)", mt->name, kinds[k], key, key,
						lat ? "histogram" : "counter");
			m = push_key(ld, key);
			if (get_str(ld, v, s, sizeof(s), lat ? "a histogram name" : "a counter name"))
				return -1;
			if ((mt->src = nmap_get(&ns->map, s)) < 0) {
				names_list(ns, list, sizeof(list));
				if (lat)
					return err_here(ld, "unknown histogram \"%s\" (expected a histogram "
							"filled by a record op or a wait/cond_wait/sem_wait "
							"\"record\"%s%s)", s, ns->n ? ": " : "", list);
				return err_here(ld, "unknown counter \"%s\" (expected a counter of a count "
						"op%s%s)", s, ns->n ? ": " : "", list);
			}
			pop(ld, m);
		}
		if ((v = json_object_get(jm, "scale"))) {
			m = push_key(ld, "scale");
			if (get_num_in(ld, v, &mt->scale, -1e300, 1e300, "a number to multiply by"))
				return -1;
			pop(ld, m);
		}
		if ((v = json_object_get(jm, "unit"))) {
			m = push_key(ld, "unit");
			if (get_str(ld, v, s, sizeof(s), "a string"))
				return -1;
			if (strlen(s) >= sizeof(mt->unit))
				return err_here(ld, "unit \"%s\" too long (expected at most %zu characters)",
						s, sizeof(mt->unit) - 1);
			copy_str(mt->unit, sizeof(mt->unit), s);
			pop(ld, m);
		}
		if ((v = json_object_get(jm, "better"))) {
			m = push_key(ld, "better");
			if (get_str(ld, v, s, sizeof(s), "\"higher\" or \"lower\""))
				return -1;
			if (strcmp(s, "higher") && strcmp(s, "lower"))
				return err_here(ld, "unknown \"better\" value \"%s\" (expected \"higher\" or "
						"\"lower\")", s);
			mt->higher_is_better = s[0] == 'h';
			pop(ld, m);
		}
		w->nr_metrics++;
		pop(ld, mi);
	}
	return 0;
}

/* ---- top level --------------------------------------------------------- */

static int parse_top(struct ld *ld, json_t *root)
{
	static const char *const keys[] = { "name", "description", "duration", "params",
					    "processes", "metrics", NULL };
	struct workload *w = ld->w;
	char s[WL_STR_MAX], (*jnames)[WL_NAME_MAX];
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
	if (new_scope(ld, "", -1) < 0)
		return -1;
	jnames = xcalloc(json_array_size(v), sizeof(*jnames));
	json_array_foreach(v, i, e) {
		size_t mi = push_idx(ld, i);
		if (parse_process(ld, e, i, jnames)) {
			free(jnames);
			return -1;
		}
		pop(ld, mi);
	}
	free(jnames);
	pop(ld, m);
	/* after the processes: "${groups}" set huge must fail on the thread
	 * count, not on the description it expands into */
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
	if (resolve(ld))
		return -1;
	if ((v = json_object_get(root, "metrics"))) {
		m = push_key(ld, "metrics");
		if (parse_metrics(ld, v))
			return -1;
		pop(ld, m);
	}
	w->nr_counters = ld->counters.n;
	w->counter_names = ld->counters.v;
	ld->counters.v = NULL;
	w->nr_hists = ld->hists.n;
	w->hist_names = ld->hists.v;
	ld->hists.v = NULL;
	w->nr_stamps = ld->stamps.n;
	w->nr_timers = ld->timers.n;
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
			char *nb = xrealloc(buf, ncap);
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

/* ---- rt-app detection -------------------------------------------------- */

/* Skip white space and C / C++ comments (rt-app files may have them). */
static const char *skip_blank(const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (!e)
				return p + strlen(p);
			p = e + 2;
		} else {
			return p;
		}
	}
}

/* Does the top-level object of @text have key @key?  A tolerant scan (comments,
 * trailing commas, duplicate keys), for text jansson rejected. */
static bool top_has_key(const char *text, const char *key)
{
	const char *p = skip_blank(text);
	size_t kl = strlen(key);
	int depth = 0;

	if (*p != '{')
		return false;
	while (*p) {
		if (*p == '"') {
			const char *s = ++p;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (!*p)
				return false;
			size_t n = (size_t)(p - s);
			p = skip_blank(p + 1);
			if (depth == 1 && *p == ':' && n == kl && !memcmp(s, key, kl))
				return true;
			continue;
		}
		if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (--depth <= 0)
				return false;
		}
		p = skip_blank(p + 1);
	}
	return false;
}

static void ld_free(struct ld *ld)
{
	for (int e = 0; e < ld->nr_ents; e++) {
		free(ld->ents[e].tpl.ops);
		free(ld->ents[e].refs);
		free(ld->ents[e].kids);
	}
	free(ld->ents);
	free(ld->scopes);
	free(ld->gi);
	free(ld->ox);
	free(ld->tginst);
	free(ld->sinces);
	nmap_free(&ld->threadmap);
	nmap_free(&ld->groupmap);
	nmap_free(&ld->objmap);
	nmap_free(&ld->procmap);
	struct names *ns[] = { &ld->counters, &ld->hists, &ld->stamps, &ld->timers };
	for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
		nmap_free(&ns[i]->map);
		free(ns[i]->v);
		free(ns[i]->flag);
	}
	free(ld->pnames);
	free(ld->pvals);
}

/*
 * rt-app or cassim?  If jansson parses the file, it is rt-app when the top
 * level is an object with a "tasks" key.  If jansson rejects it, a tolerant
 * scan (comments, trailing commas) looks for a top-level "tasks" key: found,
 * the file goes to wl_rtapp_parse(), whose parser reports its own errors;
 * not found, jansson's error is reported.
 */
int wl_load(const char *path, const struct wl_opts *o, struct wl_set *sets, int nr_sets,
	    struct workload **out, struct diag *err)
{
	static const struct wl_opts defaults;
	struct ld ld = { .file = path, .err = err, .sets = sets, .nr_sets = nr_sets };
	json_error_t jerr;
	json_t *root;
	bool rtapp;
	size_t len;
	char *text;
	int ret;

	*out = NULL;
	if (!o)
		o = &defaults;
	ld.nr_cpus = o->nr_cpus;
	ld.nr_nodes = o->nr_nodes;
	text = read_file(path, &len, err);
	if (!text)
		return -1;
	ld.text = text;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	rtapp = root ? json_is_object(root) && json_object_get(root, "tasks") :
		       top_has_key(text, "tasks");
	if (!root && !rtapp) {
		diag_at(err, path, MAX(jerr.line, 1), MAX(jerr.column, 1), "%s", jerr.text);
		free(text);
		return -1;
	}
	ld.w = xcalloc(1, sizeof(*ld.w));
	snprintf(ld.w->path, sizeof(ld.w->path), "%s", path);
	{
		const char *b = strrchr(path, '/');
		b = b ? b + 1 : path;
		size_t n = strlen(b);
		if (n > 5 && !strcmp(b + n - 5, ".json"))
			n -= 5;
		snprintf(ld.w->name, sizeof(ld.w->name), "%.*s", (int)n, b);
	}

	if (rtapp) {
		snprintf(ld.w->format, sizeof(ld.w->format), "rt-app");
		ret = wl_rtapp_parse(path, text, len, o, ld.w, err);
		if (!ld.w->format[0])
			snprintf(ld.w->format, sizeof(ld.w->format), "rt-app");
	} else {
		snprintf(ld.w->format, sizeof(ld.w->format), "cassim");
		ret = parse_top(&ld, root);
	}

	ld_free(&ld);
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
	free(w->objs);
	free(w->counter_names);
	free(w->hist_names);
	free(w->metrics);
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
