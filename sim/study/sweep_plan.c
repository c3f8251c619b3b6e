/*
 * Sweep plans: parse the JSON plan (jansson), check every field, and expand
 * it into jobs in a fixed order: topology, workload, its parameter grid
 * (first key outermost), policy, the set grid, seed.
 *
 * A --set key that is one of the plan's policies' tunables (and not a
 * scheduler tunable) applies only to the policies that have it: cfs in a
 * grid of CAS tunables runs once per remaining combination, not once per
 * CAS value, and its cells of those columns stay empty (cassim compare
 * routes --set the same way).
 *
 * Job ids hash the canonical spec (sorted keys, values as the --set
 * strings), so reordering the plan or adding values keeps the ids, and the
 * results, of the jobs that stay.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "study/sets.h"
#include "study/sweep.h"
#include "report/tidy.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/param.h"
#include "base/suggest.h"
#include "hw/topo.h"
#include "policies/policy.h"
#include "sched/params.h"
#include "workload/wl.h"
#include "base/xalloc.h"

#define MAX_SEEDS 10000
#define MAX_JOBS 1000000

/* Columns of results.csv that an axis may not be named after. */

struct ps {
	const char *file, *text;
	struct diag *err;
	struct sweep_plan *p;
};

/* "file:line:col: PATH: what", located at PATH (or the closest enclosing
 * key that exists: jansson keeps no positions). */
static int __attribute__((format(printf, 3, 4))) perr(struct ps *s, const char *path, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	int line = 1, col = 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wl_locate_nearest(s->text, path, &line, &col);
	if (!*path)
		return diag_at(s->err, s->file, line, col, "%s", msg);
	return diag_at(s->err, s->file, line, col, "%s: %s", path, msg);
}

static const char *intern(struct sweep_plan *p, const char *str)
{
	char **pool, *c;

	for (int i = 0; i < p->nr_pool; i++)
		if (!strcmp(p->pool[i], str))
			return p->pool[i];
	pool = xrealloc(p->pool, (size_t)(p->nr_pool + 1) * sizeof(*pool));
	p->pool = pool;
	c = xstrdup(str);
	p->pool[p->nr_pool++] = c;
	return c;
}

/* The shortest %g that reads back as @d: 0.1, not 0.10000000000000001. */
static void fmt_real(char *buf, size_t len, double d)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

/* A grid value as the string --set gets; NULL if the type is wrong. */
static const char *scalar_str(json_t *v, char *buf, size_t len)
{
	if (json_is_integer(v))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		fmt_real(buf, len, json_real_value(v));
	else if (json_is_string(v) && json_string_length(v) && json_string_length(v) < len)
		snprintf(buf, len, "%s", json_string_value(v));
	else
		return NULL;
	return buf;
}

/* ---- strides ---------------------------------------------------------------- */

/* mmtests-style strides: thread counts that fill one level of the
 * machine: smt (one core's hardware threads), llc (one LLC's CPUs), node
 * (one NUMA node's), pkg (one package's), machine (all CPUs). */
static int stride_level(const struct topo *t, const char *level)
{
	if (!strcmp(level, "smt"))
		return t->smt;
	if (!strcmp(level, "llc"))
		return t->llc[0].nr_cpus;
	if (!strcmp(level, "node")) {
		for (int n = 0; n < t->nr_nodes; n++)
			if (t->node[n].nr_cpus)
				return t->node[n].nr_cpus;
		return t->nr_cpus;
	}
	if (!strcmp(level, "pkg"))
		return t->pkg[0].nr_cpus;
	if (!strcmp(level, "machine"))
		return t->nr_cpus;
	return -1;
}

static bool is_stride(json_t *v)
{
	return json_is_string(v) && !strncmp(json_string_value(v), "stride:", 7);
}

/* Check the levels of a stride value (t == NULL), or append its counts on
 * @t to @vals. */
static int stride_expand(struct ps *s, const char *path, const char *spec, const struct topo *t,
			 const char **vals, int *n)
{
	char buf[256], *save = NULL;

	if (strlen(spec) >= sizeof(buf))
		return perr(s, path, "stride too long");
	snprintf(buf, sizeof(buf), "%s", spec + 7);
	if (!buf[0])
		return perr(s, path, "\"%s\": no level (expected stride:LEVEL[,LEVEL...] with smt, llc, node, pkg, machine)", spec);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		static const char *const levels[] = { "smt", "llc", "node", "pkg", "machine" };
		bool known = false;
		char num[32];

		for (size_t k = 0; k < sizeof(levels) / sizeof(levels[0]); k++)
			known |= !strcmp(tok, levels[k]);
		if (!known)
			return perr(s, path, "\"%s\": unknown level '%s' (expected smt, llc, node, pkg or machine)",
				    spec, tok);
		if (!t)
			continue;
		snprintf(num, sizeof(num), "%d", stride_level(t, tok));
		vals[(*n)++] = intern(s->p, num);
		if (!vals[*n - 1])
			return diag_set(s->err, "out of memory");
	}
	return 0;
}

/* ---- grids ------------------------------------------------------------------- */

struct grid_key {
	int axis;
	json_t *values;   /* the plan's array */
	char path[256];
};

/* A grid object {"key": [values...]}: check it and fill @keys. */
static int parse_grid(struct ps *s, json_t *obj, const char *path, bool is_set, struct grid_key *keys,
		      int *nr)
{
	const char *key;
	json_t *vals;

	*nr = 0;
	if (!json_is_object(obj))
		return perr(s, path, "expected an object {\"NAME\": [VALUE, ...], ...}");
	json_object_foreach(obj, key, vals) {
		struct grid_key *g = &keys[(*nr)++];
		struct sweep_plan *p = s->p;
		size_t i;
		json_t *v;

		snprintf(g->path, sizeof(g->path), "%s.%s", path, key);
		g->values = vals;
		/* cassim plot makes a column of each parameter beside the tidy CSV's */
		for (size_t k = 0; k < TIDY_NR_COLS; k++)
			if (!strcmp(key, tidy_columns[k]))
				return perr(s, g->path, "'%s' is a results.csv column: not a parameter name", key);
		if (strpbrk(key, "=;"))
			return perr(s, g->path, "'%s': a parameter name has no '=' or ';' (results.csv joins "
				    "parameters as KEY=VALUE;...)", key);
		if (!json_is_array(vals) || !json_array_size(vals))
			return perr(s, g->path, "expected a non-empty array of values");
		json_array_foreach(vals, i, v) {
			char buf[256], vp[300];

			snprintf(vp, sizeof(vp), "%s[%zu]", g->path, i);
			if (!scalar_str(v, buf, sizeof(buf)))
				return perr(s, vp, "expected a number or a non-empty string");
			if (is_stride(v) && stride_expand(s, vp, json_string_value(v), NULL, NULL, NULL))
				return -1;
		}
		g->axis = -1;
		for (int a = 0; a < p->nr_axes; a++)
			if (!strcmp(p->axes[a].name, key)) {
				if (p->axes[a].is_set != is_set)
					return perr(s, g->path, "'%s' is both a workload parameter and a set key (give it in one place)", key);
				g->axis = a;
			}
		if (g->axis < 0) {
			struct sweep_axis *ax = xrealloc(p->axes, (size_t)(p->nr_axes + 1) * sizeof(*ax));
			p->axes = ax;
			p->axes[p->nr_axes] = (struct sweep_axis){ .name = key, .is_set = is_set };
			g->axis = p->nr_axes++;
		}
	}
	return 0;
}

/* The values of @g on topology @t (strides expanded), without repeats. */
static int grid_values(struct ps *s, const struct grid_key *g, const struct topo *t, const char ***out, int *n)
{
	size_t cap = 0, i;
	json_t *v;
	const char **vals;

	json_array_foreach(g->values, i, v)
		cap += is_stride(v) ? 8 : 1;
	vals = xcalloc(cap, sizeof(*vals));
	*n = 0;
	json_array_foreach(g->values, i, v) {
		char buf[256], vp[300];
		int first = *n;

		snprintf(vp, sizeof(vp), "%s[%zu]", g->path, i);
		if (is_stride(v)) {
			if (stride_expand(s, vp, json_string_value(v), t, vals, n))
				goto fail;
		} else {
			vals[(*n)++] = intern(s->p, scalar_str(v, buf, sizeof(buf)));
			if (!vals[*n - 1])
				goto oom;
		}
		/* drop repeats: strides of a machine whose LLC is its node */
		for (int k = first; k < *n; k++)
			for (int m = 0; m < k; m++)
				if (vals[m] == vals[k]) {
					memmove(&vals[k], &vals[k + 1], (size_t)(*n - k - 1) * sizeof(*vals));
					(*n)--, k--;
					break;
				}
	}
	*out = vals;
	return 0;
oom:
	diag_set(s->err, "out of memory");
fail:
	free(vals);
	return -1;
}

/* ---- filters ------------------------------------------------------------------ */

struct filter {
	json_t *pat;
	char path[64];
	int matches;
};

static int parse_filters(struct ps *s, json_t *f, struct filter **out, int *nr_inc, int *nr_exc)
{
	static const char *const kinds[] = { "include", "exclude" };
	const char *key;
	json_t *v;
	int n = 0;

	*out = NULL;
	*nr_inc = *nr_exc = 0;
	if (!f)
		return 0;
	if (!json_is_object(f))
		return perr(s, "filters", "expected an object {\"include\": [...], \"exclude\": [...]}");
	json_object_foreach(f, key, v)
		if (strcmp(key, "include") && strcmp(key, "exclude"))
			return perr(s, "filters", "unknown key '%s' (expected include or exclude)", key);
	*out = xcalloc(json_array_size(json_object_get(f, "include")) +
			      json_array_size(json_object_get(f, "exclude")) + 1,
		      sizeof(**out));
	for (int k = 0; k < 2; k++) {
		json_t *list = json_object_get(f, kinds[k]), *pat;
		size_t i;

		if (!list)
			continue;
		if (!json_is_array(list)) {
			char path[64];
			snprintf(path, sizeof(path), "filters.%s", kinds[k]);
			return perr(s, path, "expected an array of patterns ({\"COLUMN\": VALUE or [VALUES], ...})");
		}
		json_array_foreach(list, i, pat) {
			struct filter *fl = &(*out)[n++];
			const char *col;
			json_t *cv;

			snprintf(fl->path, sizeof(fl->path), "filters.%s[%zu]", kinds[k], i);
			fl->pat = pat;
			if (!json_is_object(pat) || !json_object_size(pat))
				return perr(s, fl->path, "expected a non-empty object {\"COLUMN\": VALUE or [VALUES], ...}");
			json_object_foreach(pat, col, cv) {
				char cp[128], buf[256];
				bool known = !strcmp(col, "topology") || !strcmp(col, "workload") ||
					     !strcmp(col, "policy") || !strcmp(col, "seed");
				json_t *x;
				size_t j;

				snprintf(cp, sizeof(cp), "%s.%s", fl->path, col);
				for (int a = 0; a < s->p->nr_axes; a++)
					known |= !strcmp(s->p->axes[a].name, col);
				if (!known)
					return perr(s, cp, "unknown column '%s' (expected topology, workload, policy, seed or a parameter of the plan)", col);
				if (json_is_array(cv) && !json_array_size(cv))
					return perr(s, cp, "empty list of values");
				if (!json_is_array(cv) && !scalar_str(cv, buf, sizeof(buf)))
					return perr(s, cp, "expected a value or a list of values");
				json_array_foreach(cv, j, x)
					if (!scalar_str(x, buf, sizeof(buf)))
						return perr(s, cp, "expected a value or a list of values");
			}
		}
		if (k == 0)
			*nr_inc = n;
		else
			*nr_exc = n - *nr_inc;
	}
	return 0;
}

static bool value_matches(json_t *cv, const char *val)
{
	char buf[256];
	size_t j;
	json_t *x;

	if (!val)
		return false;
	if (!json_is_array(cv))
		return !strcmp(scalar_str(cv, buf, sizeof(buf)), val);
	json_array_foreach(cv, j, x)
		if (!strcmp(scalar_str(x, buf, sizeof(buf)), val))
			return true;
	return false;
}

static bool pattern_matches(const struct sweep_plan *p, json_t *pat, const struct sweep_job *j)
{
	const char *col;
	json_t *cv;
	char seed[32];

	snprintf(seed, sizeof(seed), "%" PRIu64, j->seed);
	json_object_foreach(pat, col, cv) {
		const char *val = NULL;

		if (!strcmp(col, "topology"))
			val = j->topology;
		else if (!strcmp(col, "workload"))
			val = j->workload;
		else if (!strcmp(col, "policy"))
			val = j->policy;
		else if (!strcmp(col, "seed"))
			val = seed;
		else
			for (int a = 0; a < p->nr_axes; a++)
				if (!strcmp(p->axes[a].name, col))
					val = j->values[a];
		if (!value_matches(cv, val))
			return false;
	}
	return true;
}

/* ---- the plan -------------------------------------------------------------------- */

static int string_list(struct ps *s, json_t *root, const char *key, bool policies, const char ***out, int *n)
{
	json_t *a = json_object_get(root, key), *v;
	size_t i;

	if (!a)
		return perr(s, key, "missing (expected a non-empty array of names)");
	if (!json_is_array(a) || !json_array_size(a))
		return perr(s, key, "expected a non-empty array of names");
	*out = xcalloc(json_array_size(a), sizeof(**out));
	*n = 0;
	json_array_foreach(a, i, v) {
		char path[64];

		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		if (!json_is_string(v) || !json_string_length(v))
			return perr(s, path, "expected a non-empty string");
		for (int k = 0; k < *n; k++)
			if (!strcmp((*out)[k], json_string_value(v)))
				return perr(s, path, "'%s' is listed twice", json_string_value(v));
		if (policies && !policy_find(json_string_value(v))) {
			char names[1024] = "", hint[160];
			int nr;
			const struct policy *const *pl = policy_list(&nr);
			const char *nv[64];
			size_t m = 0;

			for (int k = 0; k < nr && m < sizeof(names); k++)
				m += (size_t)snprintf(names + m, sizeof(names) - m, "%s%s", k ? ", " : "", pl[k]->name);
			for (int k = 0; k < nr && k < 64; k++)
				nv[k] = pl[k]->name;
			suggest_hint(hint, sizeof(hint), json_string_value(v), nv, nr < 64 ? nr : 64);
			/* the plan's expansion routes --set keys by the policies'
			 * tunables, so --report and --merge need a module's policies
			 * loaded too */
			return perr(s, path, "unknown policy '%s'%s (expected one of: %s; a policy from a module needs --policy-module PATH.so, also for --report and --merge)",
				    json_string_value(v), hint, names);
		}
		(*out)[(*n)++] = json_string_value(v);
	}
	return 0;
}

static int parse_seeds(struct ps *s, json_t *v)
{
	struct sweep_plan *p = s->p;
	size_t i;
	json_t *x;

	if (!v)
		return perr(s, "seeds", "missing (expected a count or a list of seeds)");
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 1 || json_integer_value(v) > MAX_SEEDS)
			return perr(s, "seeds", "%" JSON_INTEGER_FORMAT ": expected a count 1..%d", json_integer_value(v), MAX_SEEDS);
		p->nr_seeds = (int)json_integer_value(v);
		p->seeds = xcalloc((size_t)p->nr_seeds, sizeof(*p->seeds));
		for (int k = 0; k < p->nr_seeds; k++)
			p->seeds[k] = (uint64_t)k + 1;
		return 0;
	}
	if (!json_is_array(v) || !json_array_size(v) || json_array_size(v) > MAX_SEEDS)
		return perr(s, "seeds", "expected a count 1..%d or a non-empty list of seeds", MAX_SEEDS);
	p->seeds = xcalloc(json_array_size(v), sizeof(*p->seeds));
	json_array_foreach(v, i, x) {
		char path[32];

		snprintf(path, sizeof(path), "seeds[%zu]", i);
		if (!json_is_integer(x) || json_integer_value(x) < 0)
			return perr(s, path, "expected a non-negative integer");
		for (int k = 0; k < p->nr_seeds; k++)
			if (p->seeds[k] == (uint64_t)json_integer_value(x))
				return perr(s, path, "seed %" JSON_INTEGER_FORMAT " is listed twice", json_integer_value(x));
		p->seeds[p->nr_seeds++] = (uint64_t)json_integer_value(x);
	}
	return 0;
}

/* Does set key @key apply to the jobs of @pol?  sets.h's rule over the
 * plan's policies. */
static bool plan_set_applies(const struct sweep_plan *p, const char *key, const char *pol)
{
	const struct policy **pols = xcalloc((size_t)p->nr_policies + 1, sizeof(*pols));
	bool r;

	for (int k = 0; k < p->nr_policies; k++)
		pols[k] = policy_find(p->policies[k]);
	r = set_applies(key, policy_find(pol), pols, p->nr_policies);
	free(pols);
	return r;
}

/* Advance an odometer over @n digits of ranges @len; false when done. */
static bool next_combo(int *idx, const int *len, int n)
{
	for (int k = n - 1; k >= 0; k--) {
		if (++idx[k] < len[k])
			return true;
		idx[k] = 0;
	}
	return false;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static int add_job(struct ps *s, struct sweep_job *proto, const char **values, int *cap)
{
	struct sweep_plan *p = s->p;
	struct sweep_job *j;
	json_t *params = json_object(), *set = json_object();
	char *text;

	if (p->nr_jobs == MAX_JOBS)
		return perr(s, "", "more than %d jobs", MAX_JOBS);
	if (p->nr_jobs == *cap) {
		int c = *cap ? 2 * *cap : 64;
		j = xrealloc(p->jobs, (size_t)c * sizeof(*j));
		p->jobs = j;
		*cap = c;
	}
	j = &p->jobs[p->nr_jobs];
	*j = *proto;
	j->index = p->nr_jobs;
	j->values = xmalloc((size_t)(p->nr_axes ? p->nr_axes : 1) * sizeof(*j->values));
	if (!j->values || !params || !set)
		goto oom;
	memcpy(j->values, values, (size_t)p->nr_axes * sizeof(*values));
	for (int a = 0; a < p->nr_axes; a++)
		if (values[a])
			json_object_set_new(p->axes[a].is_set ? set : params, p->axes[a].name, json_string(values[a]));
	j->spec = json_pack("{s:s, s:s, s:O, s:s, s:O, s:I, s:o}", "topology", j->topology, "workload",
			    j->workload, "params", params, "policy", j->policy, "set", set, "seed",
			    (json_int_t)j->seed, "duration", p->duration ? json_integer(p->duration) : json_null());
	if (!j->spec)
		goto oom;
	text = json_dumps(j->spec, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		goto oom;
	snprintf(j->id, sizeof(j->id), "%012" PRIx64, fnv1a(text) >> (64 - 4 * SWEEP_ID_LEN));
	free(text);
	json_decref(params);
	json_decref(set);
	p->nr_jobs++;
	return 0;
oom:
	free(j->values);
	json_decref(params);
	json_decref(set);
	return diag_set(s->err, "out of memory");
}

struct wl_grid {
	const char *name;
	int nr_keys;
	struct grid_key *keys;
};

static bool keep_job(struct ps *s, const struct sweep_job *j, struct filter *f, int nr_inc, int nr_exc)
{
	bool in = !nr_inc;

	for (int k = 0; k < nr_inc; k++)
		if (pattern_matches(s->p, f[k].pat, j)) {
			f[k].matches++;
			in = true;
		}
	for (int k = nr_inc; k < nr_inc + nr_exc; k++)
		if (pattern_matches(s->p, f[k].pat, j)) {
			f[k].matches++;
			in = false;
		}
	return in;
}

/* Every job of topology @t (NULL: no stride to expand). */
static int expand_topology(struct ps *s, const char *tname, const struct topo *t, struct wl_grid *wls,
			   struct grid_key *sets, int nr_sets, struct filter *f, int nr_inc, int nr_exc, int *cap)
{
	struct sweep_plan *p = s->p;
	int na = p->nr_axes, rc = -1;
	const char ***vals = xcalloc((size_t)(na ? na : 1), sizeof(*vals));
	int *len = xcalloc((size_t)(na ? na : 1), sizeof(int)), *idx = xcalloc((size_t)(na ? na : 1), sizeof(int));
	const char **cur = xcalloc((size_t)(na ? na : 1), sizeof(*cur));
	int *set_keys = xcalloc((size_t)(nr_sets ? nr_sets : 1), sizeof(int));

	if (!vals || !len || !idx || !cur || !set_keys) {
		diag_set(s->err, "out of memory");
		goto out;
	}
	for (int k = 0; k < nr_sets; k++)
		if (grid_values(s, &sets[k], t, &vals[sets[k].axis], &len[sets[k].axis]))
			goto out;
	for (int w = 0; w < p->nr_workloads; w++) {
		struct wl_grid *g = &wls[w];
		int pidx[64] = { 0 }, plen[64];

		for (int k = 0; k < g->nr_keys; k++) {
			free(vals[g->keys[k].axis]);
			vals[g->keys[k].axis] = NULL;
			if (grid_values(s, &g->keys[k], t, &vals[g->keys[k].axis], &plen[k]))
				goto out;
		}
		do {
			for (int a = 0; a < na; a++)
				cur[a] = NULL;
			for (int k = 0; k < g->nr_keys; k++)
				cur[g->keys[k].axis] = vals[g->keys[k].axis][pidx[k]];
			for (int pol = 0; pol < p->nr_policies; pol++) {
				int ns = 0, sidx[64] = { 0 }, slen[64];

				for (int k = 0; k < nr_sets; k++)
					if (plan_set_applies(p, p->axes[sets[k].axis].name, p->policies[pol])) {
						set_keys[ns] = sets[k].axis;
						slen[ns++] = len[sets[k].axis];
					}
				do {
					for (int k = 0; k < nr_sets; k++)
						cur[sets[k].axis] = NULL;
					for (int k = 0; k < ns; k++)
						cur[set_keys[k]] = vals[set_keys[k]][sidx[k]];
					for (int sd = 0; sd < p->nr_seeds; sd++) {
						struct sweep_job proto = { .topology = tname, .workload = g->name,
									   .policy = p->policies[pol],
									   .seed = p->seeds[sd] };

						proto.values = cur;
						if (!keep_job(s, &proto, f, nr_inc, nr_exc)) {
							p->nr_filtered++;
							continue;
						}
						if (add_job(s, &proto, cur, cap))
							goto out;
					}
				} while (ns && next_combo(sidx, slen, ns));
			}
		} while (g->nr_keys && next_combo(pidx, plen, g->nr_keys));
	}
	rc = 0;
out:
	for (int a = 0; vals && a < na; a++)
		free(vals[a]);
	free(vals);
	free(len);
	free(idx);
	free(cur);
	free(set_keys);
	return rc;
}

/* Each axis's distinct values, in order of first appearance. */
static int collect_axis_values(struct sweep_plan *p)
{
	for (int a = 0; a < p->nr_axes; a++) {
		struct sweep_axis *ax = &p->axes[a];

		ax->values = xcalloc((size_t)p->nr_pool + 1, sizeof(*ax->values));
		for (int j = 0; j < p->nr_jobs; j++) {
			const char *v = p->jobs[j].values[a];
			bool seen = !v;

			for (int k = 0; k < ax->nr_values && !seen; k++)
				seen = ax->values[k] == v;
			if (!seen)
				ax->values[ax->nr_values++] = v;
		}
	}
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	const struct sweep_job *const *x = a, *const *y = b;
	return strcmp((*x)->id, (*y)->id);
}

static int check_ids(struct ps *s)
{
	struct sweep_plan *p = s->p;
	const struct sweep_job **v = xmalloc((size_t)p->nr_jobs * sizeof(*v));

	for (int j = 0; j < p->nr_jobs; j++)
		v[j] = &p->jobs[j];
	qsort(v, (size_t)p->nr_jobs, sizeof(*v), cmp_id);
	for (int j = 1; j < p->nr_jobs; j++)
		if (!strcmp(v[j - 1]->id, v[j]->id)) {
			char a[512], id[SWEEP_ID_LEN + 1];
			bool same = json_equal(v[j - 1]->spec, v[j]->spec);

			sweep_job_label(p, v[j], a, sizeof(a));
			memcpy(id, v[j]->id, sizeof(id));
			free(v);
			if (same)
				return perr(s, "workloads", "the plan lists one job twice (%s): a workload entry repeats another's values", a);
			return perr(s, "", "two different jobs hash to id %s (%s): please report this", id, a);
		}
	free(v);
	return 0;
}

static int parse(struct ps *s, json_t *root, const char *const *topo_dirs)
{
	static const char *const keys[] = { "name", "description", "topologies", "workloads", "policies",
					    "set", "seeds", "duration", "filters", "baseline" };
	struct sweep_plan *p = s->p;
	struct wl_grid *wls = NULL;
	struct grid_key *sets = NULL;
	struct filter *f = NULL;
	int nr_sets = 0, nr_inc = 0, nr_exc = 0, cap = 0, rc = -1;
	const char *key;
	json_t *v, *wl;
	size_t i;

	if (!json_is_object(root))
		return perr(s, "", "expected an object (a sweep plan)");
	json_object_foreach(root, key, v) {
		bool known = false;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			known |= !strcmp(key, keys[k]);
		if (!known) {
			char kp[512] = "";

			wl_path_push_key(kp, sizeof(kp), key);
			return perr(s, kp, "unknown key (expected name, description, topologies, workloads, policies, set, seeds, duration, filters or baseline)");
		}
	}
	for (size_t k = 0; k < 2; k++)
		if ((v = json_object_get(root, keys[k])) && !json_is_string(v))
			return perr(s, keys[k], "expected a string");
	if (string_list(s, root, "topologies", false, &p->topologies, &p->nr_topologies) ||
	    string_list(s, root, "policies", true, &p->policies, &p->nr_policies) ||
	    parse_seeds(s, json_object_get(root, "seeds")))
		return -1;
	if ((v = json_object_get(root, "duration"))) {
		if (!json_is_string(v) || parse_duration(json_string_value(v), NSEC_PER_SEC, &p->duration) ||
		    p->duration <= 0)
			return perr(s, "duration", "expected a positive time such as \"500ms\" or \"2s\"");
	}
	p->baseline = p->policies[0];
	if ((v = json_object_get(root, "baseline"))) {
		bool found = false;
		for (int k = 0; k < p->nr_policies && json_is_string(v); k++)
			if (!strcmp(p->policies[k], json_string_value(v)))
				found = true, p->baseline = p->policies[k];
		if (!found)
			return perr(s, "baseline", "expected one of the plan's policies");
	}

	wl = json_object_get(root, "workloads");
	if (!wl)
		return perr(s, "workloads", "missing (expected a non-empty array of workloads)");
	if (!json_is_array(wl) || !json_array_size(wl))
		return perr(s, "workloads", "expected a non-empty array of {\"workload\": NAME, \"params\": {...}} or names");
	p->nr_workloads = (int)json_array_size(wl);
	wls = xcalloc((size_t)p->nr_workloads, sizeof(*wls));
	p->workloads = xcalloc((size_t)p->nr_workloads, sizeof(*p->workloads));
	json_array_foreach(wl, i, v) {
		char path[64], pp[80];
		json_t *name = v, *params = NULL;

		snprintf(path, sizeof(path), "workloads[%zu]", i);
		if (json_is_object(v)) {
			const char *k;
			json_t *x;
			json_object_foreach(v, k, x)
				if (strcmp(k, "workload") && strcmp(k, "params")) {
					snprintf(pp, sizeof(pp), "%s.%s", path, k);
					perr(s, pp, "unknown key (expected workload or params)");
					goto out;
				}
			name = json_object_get(v, "workload");
			params = json_object_get(v, "params");
			snprintf(path + strlen(path), sizeof(path) - strlen(path), ".workload");
		}
		if (!json_is_string(name) || !json_string_length(name)) {
			perr(s, path, "expected a workload name or path");
			goto out;
		}
		wls[i].name = p->workloads[i] = json_string_value(name);
		if (params) {
			snprintf(pp, sizeof(pp), "workloads[%zu].params", i);
			wls[i].keys = xcalloc(json_object_size(params) + 1, sizeof(*wls[i].keys));
			if (json_object_size(params) > 64) {
				perr(s, pp, "more than 64 parameters");
				goto out;
			}
			if (parse_grid(s, params, pp, false, wls[i].keys, &wls[i].nr_keys))
				goto out;
		}
	}
	if ((v = json_object_get(root, "set"))) {
		sets = xcalloc(json_object_size(v) + 1, sizeof(*sets));
		if (json_object_size(v) > 64) {
			perr(s, "set", "more than 64 keys");
			goto out;
		}
		if (parse_grid(s, v, "set", true, sets, &nr_sets))
			goto out;
	}
	if (parse_filters(s, json_object_get(root, "filters"), &f, &nr_inc, &nr_exc))
		goto out;

	for (int t = 0; t < p->nr_topologies; t++) {
		struct topo *topo = NULL;
		bool strides = false;
		json_t *x;
		size_t k;

		for (int w = 0; w < p->nr_workloads; w++)
			for (int g = 0; g < wls[w].nr_keys; g++)
				json_array_foreach(wls[w].keys[g].values, k, x)
					strides |= is_stride(x);
		for (int g = 0; g < nr_sets; g++)
			json_array_foreach(sets[g].values, k, x)
				strides |= is_stride(x);
		if (strides && topo_load(p->topologies[t], topo_dirs, &topo, s->err)) {
			char path[64], msg[DIAG_MSG_MAX];
			snprintf(path, sizeof(path), "topologies[%d]", t);
			snprintf(msg, sizeof(msg), "%s", s->err->msg);
			perr(s, path, "%s (needed to expand the strides)", msg);
			goto out;
		}
		rc = expand_topology(s, p->topologies[t], topo, wls, sets, nr_sets, f, nr_inc, nr_exc, &cap);
		topo_free(topo);
		if (rc)
			goto out;
		rc = -1;
	}
	for (int k = 0; k < nr_inc + nr_exc; k++)
		if (!f[k].matches) {
			perr(s, f[k].path, "matches no job of the plan (a misspelt value?)");
			goto out;
		}
	if (!p->nr_jobs) {
		perr(s, "filters", "no job is left after the filters");
		goto out;
	}
	if (check_ids(s))
		goto out;
	if (collect_axis_values(p)) {
		diag_set(s->err, "out of memory");
		goto out;
	}
	{
		char *text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
		size_t n = text ? strlen(text) : 0;

		p->canonical = text ? xrealloc(text, n + 2) : NULL;
		if (!p->canonical) {
			free(text);
			diag_set(s->err, "out of memory");
			goto out;
		}
		memcpy(p->canonical + n, "\n", 2);
	}
	rc = 0;
out:
	for (int w = 0; wls && w < p->nr_workloads; w++)
		free(wls[w].keys);
	free(wls);
	free(sets);
	free(f);
	return rc;
}

int sweep_plan_parse(const char *file, const char *text, size_t len, const char *const *topo_dirs,
		     struct sweep_plan **out, struct diag *err)
{
	struct sweep_plan *p = xcalloc(1, sizeof(*p));
	struct ps s = { .file = file, .text = text, .err = err, .p = p };
	json_error_t jerr;

	*out = NULL;
	snprintf(p->file, sizeof(p->file), "%s", file);
	p->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!p->root) {
		sweep_plan_free(p);
		return diag_at(err, file, jerr.line > 0 ? jerr.line : 1, jerr.column > 0 ? jerr.column : 1, "%s",
			       jerr.text);
	}
	if (parse(&s, p->root, topo_dirs)) {
		sweep_plan_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

char *sweep_read_file(const char *path, size_t *len, struct diag *err)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t cap = 0;

	*len = 0;
	if (!f) {
		diag_set(err, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t n;

		if (cap - *len < 4096) {
			char *t = xrealloc(text, cap = cap ? 2 * cap : 65536);
			text = t;
		}
		n = fread(text + *len, 1, cap - *len - 1, f);
		*len += n;
		if (!n)
			break;
	}
	if (ferror(f)) {
		diag_set(err, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	text[*len] = '\0';
	return text;
fail:
	free(text);
	fclose(f);
	return NULL;
}

int sweep_plan_load(const char *path, const char *const *topo_dirs, struct sweep_plan **out, struct diag *err)
{
	size_t len;
	char *text = sweep_read_file(path, &len, err);
	int rc;

	*out = NULL;
	if (!text)
		return -1;
	rc = sweep_plan_parse(path, text, len, topo_dirs, out, err);
	free(text);
	return rc;
}

void sweep_plan_free(struct sweep_plan *p)
{
	if (!p)
		return;
	for (int j = 0; j < p->nr_jobs; j++) {
		free(p->jobs[j].values);
		json_decref(p->jobs[j].spec);
	}
	free(p->jobs);
	for (int a = 0; a < p->nr_axes; a++)
		free(p->axes[a].values);
	free(p->axes);
	for (int k = 0; k < p->nr_pool; k++)
		free(p->pool[k]);
	free(p->pool);
	free(p->topologies);
	free(p->workloads);
	free(p->policies);
	free(p->seeds);
	free(p->canonical);
	json_decref(p->root);
	free(p);
}

const struct sweep_job *sweep_plan_find(const struct sweep_plan *p, const char *id)
{
	for (int j = 0; j < p->nr_jobs; j++)
		if (!strcmp(p->jobs[j].id, id))
			return &p->jobs[j];
	return NULL;
}

int sweep_job_sets(const struct sweep_plan *p, const struct sweep_job *j, const char **keys, const char **values)
{
	int n = 0;

	for (int a = 0; a < p->nr_axes; a++)
		if (j->values[a]) {
			keys[n] = p->axes[a].name;
			values[n++] = j->values[a];
		}
	return n;
}

void sweep_job_label(const struct sweep_plan *p, const struct sweep_job *j, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s", j->workload);

	for (int a = 0; a < p->nr_axes && n < len; a++)
		if (j->values[a] && !p->axes[a].is_set)
			n += (size_t)snprintf(buf + n, len - n, " %s=%s", p->axes[a].name, j->values[a]);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s", j->policy);
	for (int a = 0; a < p->nr_axes && n < len; a++)
		if (j->values[a] && p->axes[a].is_set)
			n += (size_t)snprintf(buf + n, len - n, " %s=%s", p->axes[a].name, j->values[a]);
	if (n < len)
		snprintf(buf + n, len - n, " seed %" PRIu64 " on %s", j->seed, j->topology);
}
