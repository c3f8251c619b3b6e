/* Reductions of results tables for cassim plot; see plotdata.h. */
#define _GNU_SOURCE /* qsort_r */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "report/plotdata.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/csvread.h"
#include "report/tidy.h"
#include "base/xalloc.h"

/* The string columns kept from the tidy layout (report/tidy.h), in table
 * order; "parameters" is split into a column per key after them, "value"
 * is the number, "text" is not read. */
static const char *const fixed[] = { "topology", "workload", "policy", "seed", "scope",
				     "process", "metric", "stat", "unit" };
#define NFIXED 9
#define F_VALUE 10   /* tidy_columns[F_VALUE]: "value" */
/* the table column of each file column before value (-1: parameters) */
static const int table_col[] = { 0, 1, -1, 2, 3, 4, 5, 6, 7, 8 };

/* ---- loading ------------------------------------------------------------ */

static bool is_number(const char *s, double *v)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*v = strtod(s, &end);
	return !*end && !errno && isfinite(*v);
}

static int intern(struct pd_col *c, const char *v)
{
	if (c->last >= 0 && c->last < c->nvals && !strcmp(c->vals[c->last], v))
		return c->last;
	for (int i = 0; i < c->nvals; i++)
		if (!strcmp(c->vals[i], v))
			return c->last = i;
	if (c->nvals == c->cap) {
		int cap = c->cap ? 2 * c->cap : 16;
		char **vals = xrealloc(c->vals, (size_t)cap * sizeof(*vals));
		c->vals = vals;
		c->cap = cap;
	}
	if (!(c->vals[c->nvals] = xstrdup(v)))
		return -1;
	return c->last = c->nvals++;
}

static int header(struct pd_table *t, const struct csvr_rec *r, struct diag *err)
{
	bool ok = r->n == TIDY_NR_COLS;

	for (int i = 0; ok && i < TIDY_NR_COLS; i++)
		ok = !strcmp(r->f[i], tidy_columns[i]);
	if (!ok)
		return diag_at(err, r->file, r->line, 0, "not a results table header (expected cassim's tidy CSV "
			       "header " TIDY_HEADER ")");
	t->ncols = NFIXED;
	t->cols = xcalloc(NFIXED, sizeof(*t->cols));
	for (int i = 0; i < NFIXED; i++) {
		if (!(t->cols[i].name = xstrdup(fixed[i])))
			return diag_set(err, "out of memory");
		t->cols[i].last = -1;
	}
	t->raw_params.last = -1;
	t->c_policy = 2;
	t->c_seed = 3;
	t->c_metric = 6;
	t->c_stat = 7;
	t->c_unit = 8;
	t->first_param = NFIXED;
	t->nparams = 0;
	return 0;
}

static int row(void *ctx, const struct csvr_rec *r, struct diag *err)
{
	struct pd_table *t = ctx;
	const char *v;
	double d;
	int k;

	if (r->index == 0)
		return header(t, r, err);
	if (r->n != TIDY_NR_COLS)
		return diag_at(err, r->file, r->line, 0, "%d fields, expected %d as in the header "
			       "(quote a field that holds a comma)", r->n, TIDY_NR_COLS);
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		int *cell = xrealloc(t->cell, cap * NFIXED * sizeof(*cell));
		int *raw = cell ? xrealloc(t->raw, cap * sizeof(*raw)) : NULL;
		double *value = raw ? xrealloc(t->value, cap * sizeof(*value)) : NULL;
		int *line = value ? xrealloc(t->line, cap * sizeof(*line)) : NULL;

		if (cell)
			t->cell = cell;
		if (raw)
			t->raw = raw;
		if (value)
			t->value = value;
		if (!line)
			return diag_set(err, "out of memory");
		t->line = line;
		t->cap = cap;
	}
	for (int f = 0; f < F_VALUE; f++) {
		int c = table_col[f];

		if (c < 0) {
			if ((k = intern(&t->raw_params, r->f[f])) < 0)
				return diag_set(err, "out of memory");
			t->raw[t->nrows] = k;
			continue;
		}
		if (!*r->f[f] && (c == t->c_policy || c == t->c_seed || c == t->c_metric))
			return diag_at(err, r->file, r->line, 0, "field '%s' is empty (expected a %s%s)",
				       t->cols[c].name, c == t->c_seed ? "seed" : t->cols[c].name,
				       c == t->c_seed ? ": one run's row, not a --report-csv summary" : "");
		if (c == t->c_seed) {
			const char *sd = r->f[f];
			if (strspn(sd, "0123456789") != strlen(sd))
				return diag_at(err, r->file, r->line, 0, "field 'seed': '%s' is not a "
					       "seed (expected an integer >= 0)", sd);
		}
		if ((k = intern(&t->cols[c], r->f[f])) < 0)
			return diag_set(err, "out of memory");
		t->cell[t->nrows * NFIXED + (size_t)c] = k;
	}
	v = r->f[F_VALUE];
	if (!*v)
		d = NAN;
	else if (!is_number(v, &d))
		return diag_at(err, r->file, r->line, 0, "field 'value': '%s' is not a number "
			       "(expected a finite number, or nothing for a missing value)", v);
	t->value[t->nrows] = d;
	t->line[t->nrows++] = r->line;
	return 0;
}

/* One KEY=VALUE of a parameters field: its column (added when new) and the
 * value's index in it, or -1 with @err. */
static int param_cell(struct pd_table *t, const char *pair, size_t len, int *col, struct diag *err)
{
	char *kv = xmalloc(len + 1), *eq;
	int c, k = -1;

	if (!kv)
		return diag_set(err, "out of memory");
	memcpy(kv, pair, len);
	kv[len] = '\0';
	eq = strchr(kv, '=');
	if (!eq || eq == kv) {
		diag_set(err, "%s: parameters '%s': expected KEY=VALUE pairs joined by ';'", t->file, kv);
		free(kv);
		return -1;
	}
	*eq = '\0';
	c = pd_col_find(t, kv);
	if (c >= 0 && c < NFIXED) {
		diag_set(err, "%s: parameter '%s' has the name of a column", t->file, kv);
		free(kv);
		return -1;
	}
	if (c < 0) {
		struct pd_col *cols = xrealloc(t->cols, (size_t)(t->ncols + 1) * sizeof(*cols));

		if (!cols) {
			free(kv);
			return diag_set(err, "out of memory");
		}
		t->cols = cols;
		c = t->ncols++;
		t->nparams++;
		t->cols[c] = (struct pd_col){ .name = xstrdup(kv), .last = -1 };
		if (!t->cols[c].name || intern(&t->cols[c], "") < 0) {
			free(kv);
			return diag_set(err, "out of memory");
		}
	}
	k = intern(&t->cols[c], eq + 1);
	free(kv);
	if (k < 0)
		return diag_set(err, "out of memory");
	*col = c;
	return k;
}

/* Split the parameters fields into a column per key: the cells of a row
 * whose field lacks a key are empty (the axis does not apply to it). */
static int split_params(struct pd_table *t, struct diag *err)
{
	int nraw = t->raw_params.nvals, *cells, *lay;
	int **pairs = xcalloc((size_t)nraw + 1, sizeof(*pairs));   /* [raw]: col,val,... -1 */

	if (!pairs)
		return diag_set(err, "out of memory");
	for (int i = 0; i < nraw; i++) {
		const char *s = t->raw_params.vals[i];
		int n = 0;

		if (!(pairs[i] = xcalloc(2 * strlen(s) + 2, sizeof(int))))
			goto oom;
		while (*s) {
			size_t len = strcspn(s, ";");
			int c = 0, k = param_cell(t, s, len, &c, err);

			if (k < 0)
				goto fail;
			pairs[i][n++] = c;
			pairs[i][n++] = k;
			s += len + (s[len] == ';');
		}
		pairs[i][n] = -1;
	}
	if (!(cells = xcalloc(t->nrows * (size_t)t->ncols + 1, sizeof(*cells))))
		goto oom;
	for (size_t r = 0; r < t->nrows; r++) {
		lay = &cells[r * (size_t)t->ncols];
		memcpy(lay, &t->cell[r * NFIXED], NFIXED * sizeof(*lay));
		/* index 0 of a parameter column is the empty value */
		for (int *p = pairs[t->raw[r]]; *p >= 0; p += 2)
			lay[p[0]] = p[1];
	}
	free(t->cell);
	t->cell = cells;
	for (int i = 0; i < nraw; i++)
		free(pairs[i]);
	free(pairs);
	return 0;
oom:
	diag_set(err, "out of memory");
fail:
	for (int i = 0; i < nraw; i++)
		free(pairs[i]);
	free(pairs);
	return -1;
}

int pd_load_file(struct pd_table *t, FILE *f, const char *name, struct diag *err)
{
	long n;

	memset(t, 0, sizeof(*t));
	if (!(t->file = xstrdup(name)))
		return diag_set(err, "out of memory");
	n = csvr_read_file(f, name, row, t, err);
	if (n < 0)
		return -1;
	if (n == 0)
		return diag_set(err, "%s: empty file (expected a results table: a header line, then one "
				"row per run and metric)", name);
	if (n == 1)
		return diag_set(err, "%s: no rows after the header (expected one row per run and metric)", name);
	return split_params(t, err);
}

int pd_load(struct pd_table *t, const char *path, struct diag *err)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		memset(t, 0, sizeof(*t));
		return diag_set(err, "%s: cannot open: %s", path, strerror(errno));
	}
	rc = pd_load_file(t, f, path, err);
	fclose(f);
	return rc;
}

void pd_free(struct pd_table *t)
{
	for (int c = 0; c < t->ncols && t->cols; c++) {
		for (int i = 0; i < t->cols[c].nvals; i++)
			free(t->cols[c].vals[i]);
		free(t->cols[c].vals);
		free(t->cols[c].name);
	}
	free(t->cols);
	for (int i = 0; i < t->raw_params.nvals; i++)
		free(t->raw_params.vals[i]);
	free(t->raw_params.vals);
	free(t->raw);
	free(t->cell);
	free(t->value);
	free(t->line);
	free(t->file);
	memset(t, 0, sizeof(*t));
}

int pd_col_find(const struct pd_table *t, const char *name)
{
	for (int c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c].name, name))
			return c;
	return -1;
}

int pd_val_find(const struct pd_col *c, const char *v)
{
	for (int i = 0; i < c->nvals; i++)
		if (!strcmp(c->vals[i], v))
			return i;
	return -1;
}

void pd_col_values(const struct pd_col *c, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < c->nvals && n < len; i++)
		if (*c->vals[i])
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", c->vals[i]);
}

/* ---- directions ------------------------------------------------------------ */

static bool time_unit(const char *u)
{
	static const char *const units[] = { "ns", "us", "\xc2\xb5s", "ms", "s", "sec", "seconds" };

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(u, units[i]))
			return true;
	return false;
}

enum stats_dir pd_metric_dir(const char *metric, const char *unit)
{
	size_t n = strlen(unit);

	if (!strncmp(metric, "migrations_", 11))
		return STATS_LOWER;
	if (!strncmp(metric, "policy_", 7) || !strcmp(metric, "cpu_util_mean"))
		return STATS_NEUTRAL;
	if (time_unit(unit))
		return STATS_LOWER;
	if (n > 2 && !strcmp(unit + n - 2, "/s"))
		return STATS_HIGHER;
	return n ? STATS_HIGHER : STATS_NEUTRAL;
}

/* ---- selecting rows ---------------------------------------------------------- */

static int cell(const struct pd_table *t, size_t r, int c)
{
	return t->cell[r * (size_t)t->ncols + (size_t)c];
}

static bool empty(const struct pd_table *t, size_t r, int c)
{
	return !*t->cols[c].vals[cell(t, r, c)];
}

/* @r's cell in @c is @v, or empty (the axis does not apply: any value). */
static bool matches(const struct pd_table *t, size_t r, int c, int v)
{
	return cell(t, r, c) == v || empty(t, r, c);
}

/* The rows of the query's metric that pass every --where (and, with
 * @policies, whose policy is one of q->policy, q->baseline). */
static size_t select_rows(const struct pd_table *t, const struct pd_query *q, bool policies, size_t *sel)
{
	size_t n = 0;

	for (size_t r = 0; r < t->nrows; r++) {
		bool ok = cell(t, r, t->c_metric) == q->metric;

		for (int w = 0; ok && w < q->nwhere; w++)
			ok = matches(t, r, q->where[w].col, q->where[w].val);
		if (ok && policies)
			ok = cell(t, r, t->c_policy) == q->policy || cell(t, r, t->c_policy) == q->baseline;
		if (ok)
			sel[n++] = r;
	}
	return n;
}

static int check_axis(const struct pd_table *t, int c, const char *opt, struct diag *err)
{
	if (c == t->c_policy || c == t->c_seed || c == t->c_metric || c == t->c_unit || c == t->c_stat)
		return diag_set(err, "%s %s: not an axis (expected topology, workload, scope, process or a "
				"parameter column)", opt, t->cols[c].name);
	return 0;
}

/* Every column that is not an axis, a --where, or one of job, seed, policy,
 * metric, unit must hold one value (empty cells aside) among @sel. */
static int check_fixed(const struct pd_table *t, const struct pd_query *q, const size_t *sel, size_t n,
		       struct diag *err)
{
	char msg[DIAG_MSG_MAX] = "";
	size_t len = 0;
	int *seen = NULL;

	for (int c = 0; c < t->ncols; c++) {
		int distinct = 0, nv = t->cols[c].nvals;
		bool skip = c == q->x || c == q->y || c == t->c_seed || c == t->c_policy ||
			    c == t->c_metric || c == t->c_unit;

		for (int w = 0; w < q->nwhere; w++)
			skip |= q->where[w].col == c;
		if (skip)
			continue;
		free(seen);
		if (!(seen = xcalloc((size_t)nv, sizeof(*seen))))
			return diag_set(err, "out of memory");
		for (size_t i = 0; i < n; i++)
			if (!empty(t, sel[i], c) && !seen[cell(t, sel[i], c)]++)
				distinct++;
		if (distinct < 2)
			continue;
		len += (size_t)snprintf(msg + len, len < sizeof(msg) ? sizeof(msg) - len : 0, "%s%s = ",
					len ? "; " : "", t->cols[c].name);
		for (int v = 0, k = 0; v < nv; v++)
			if (seen[v] && len < sizeof(msg))
				len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s%s", k++ ? ", " : "",
							t->cols[c].vals[v]);
	}
	free(seen);
	if (len)
		return diag_set(err, "%s: more than one value in columns that are not on an axis (fix them "
				"with --where COLUMN=VALUE): %s", t->file, msg);
	return 0;
}

/* qsort_r: value indexes of the column @col by their numbers. */
static int by_number(const void *a, const void *b, void *col)
{
	const struct pd_col *c = col;
	int i = *(const int *)a, j = *(const int *)b;
	double x = 0, y = 0;

	is_number(c->vals[i], &x);
	is_number(c->vals[j], &y);
	return x < y ? -1 : x > y ? 1 : i - j;
}

static int make_axis(const struct pd_table *t, int c, const size_t *sel, size_t n, struct pd_axis *ax,
		     struct diag *err)
{
	int nv = t->cols[c].nvals;
	char *seen = xcalloc((size_t)nv, 1);
	double d;

	memset(ax, 0, sizeof(*ax));
	ax->col = c;
	ax->val = xmalloc((size_t)nv * sizeof(*ax->val));
	ax->pos = xmalloc((size_t)nv * sizeof(*ax->pos));
	for (size_t i = 0; i < n; i++)
		if (!empty(t, sel[i], c))
			seen[cell(t, sel[i], c)] = 1;
	ax->numeric = true;
	for (int v = 0; v < nv; v++)
		if (seen[v]) {
			ax->val[ax->n++] = v;
			ax->numeric &= is_number(t->cols[c].vals[v], &d);
		}
	free(seen);
	if (!ax->n)
		return diag_set(err, "%s: column %s is empty in every selected row: nothing to put on the axis",
				t->file, t->cols[c].name);
	if (ax->numeric)
		qsort_r(ax->val, (size_t)ax->n, sizeof(*ax->val), by_number, &t->cols[c]);
	for (int i = 0; i < ax->n; i++)
		if (!ax->numeric || !is_number(t->cols[c].vals[ax->val[i]], &ax->pos[i]))
			ax->pos[i] = i;
	return 0;
}

static void axis_free(struct pd_axis *ax)
{
	free(ax->val);
	free(ax->pos);
}

/* ---- one group of runs ------------------------------------------------------- */

struct run {
	int seed;
	double v;
	int line;
};

static int by_seed(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	return x->seed != y->seed ? x->seed - y->seed : x->line - y->line;
}

/* The values of the runs of @policy among @sel whose cells match @xv on
 * @xc (and @yv on @yc, if >= 0), one per seed, summarised into @s; their
 * values left in @vals (@nv).  A run listed twice (an axis that does not
 * apply repeats it) counts once; with two different values it is an error. */
static int group(const struct pd_table *t, const size_t *sel, size_t n, int policy, int xc, int xv, int yc,
		 int yv, struct run *runs, double *vals, size_t *nv, struct stats_summary *s, struct diag *err)
{
	size_t k = 0, m = 0;

	for (size_t i = 0; i < n; i++) {
		size_t r = sel[i];

		if (cell(t, r, t->c_policy) != policy || !matches(t, r, xc, xv) || (yc >= 0 && !matches(t, r, yc, yv)))
			continue;
		runs[k++] = (struct run){ cell(t, r, t->c_seed), t->value[r], t->line[r] };
	}
	qsort(runs, k, sizeof(*runs), by_seed);
	for (size_t i = 0; i < k; i++) {
		if (i && runs[i].seed == runs[i - 1].seed) {
			double a = runs[i - 1].v, b = runs[i].v;
			if (a == b || (isnan(a) && isnan(b)))
				continue;
			return diag_at(err, t->file, runs[i].line, 0, "seed %s of policy %s has another value on "
				       "line %d (%.17g, here %.17g) for the same axes: fix the column that "
				       "tells them apart with --where", t->cols[t->c_seed].vals[runs[i].seed],
				       t->cols[t->c_policy].vals[policy], runs[i - 1].line, a, b);
		}
		vals[m++] = runs[i].v;
	}
	stats_summarize(vals, m, PD_LEVEL, s);
	*nv = m;
	return 0;
}

/* ---- lines and heatmaps ---------------------------------------------------------- */

int pd_lines(const struct pd_table *t, const struct pd_query *q, struct pd_lines *out, struct diag *err)
{
	size_t *sel = xmalloc(t->nrows * sizeof(*sel)), n, nv;
	struct run *runs = xmalloc(t->nrows * sizeof(*runs));
	double *vals = xmalloc(t->nrows * sizeof(*vals));
	int rc = -1, np = t->cols[t->c_policy].nvals;

	memset(out, 0, sizeof(*out));
	if (check_axis(t, q->x, "--x", err))
		goto out;
	n = select_rows(t, q, false, sel);
	if (!n) {
		diag_set(err, "%s: no row of metric %s passes the --where filters", t->file,
			 t->cols[t->c_metric].vals[q->metric]);
		goto out;
	}
	if (check_fixed(t, q, sel, n, err) || make_axis(t, q->x, sel, n, &out->x, err))
		goto out;
	out->policy = xmalloc((size_t)np * sizeof(*out->policy));
	out->pt = xmalloc((size_t)np * (size_t)out->x.n * sizeof(*out->pt));
	for (int p = 0; p < np; p++) {
		bool any = false;
		for (size_t i = 0; i < n && !any; i++)
			any = cell(t, sel[i], t->c_policy) == p;
		if (!any)
			continue;
		for (int i = 0; i < out->x.n; i++)
			if (group(t, sel, n, p, q->x, out->x.val[i], -1, -1, runs, vals, &nv,
				  &out->pt[out->nseries * out->x.n + i].s, err))
				goto out;
		out->policy[out->nseries++] = p;
	}
	rc = 0;
out:
	free(sel);
	free(runs);
	free(vals);
	if (rc)
		pd_lines_free(out);
	return rc;
}

void pd_lines_free(struct pd_lines *l)
{
	axis_free(&l->x);
	free(l->policy);
	free(l->pt);
	memset(l, 0, sizeof(*l));
}

int pd_heatmap(const struct pd_table *t, const struct pd_query *q, struct pd_heatmap *out, struct diag *err)
{
	size_t *sel = xmalloc(t->nrows * sizeof(*sel)), n, np, nb;
	struct run *runs = xmalloc(t->nrows * sizeof(*runs));
	double *pv = xmalloc(t->nrows * sizeof(*pv)), *bv = xmalloc(t->nrows * sizeof(*bv));
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!sel || !runs || !pv || !bv) {
		diag_set(err, "out of memory");
		goto out;
	}
	if (check_axis(t, q->x, "--x", err) || check_axis(t, q->y, "--y", err))
		goto out;
	if (q->x == q->y) {
		diag_set(err, "--x and --y are both %s (expected two different columns)", t->cols[q->x].name);
		goto out;
	}
	n = select_rows(t, q, true, sel);
	if (!n) {
		diag_set(err, "%s: no row of metric %s for policy %s or %s passes the --where filters", t->file,
			 t->cols[t->c_metric].vals[q->metric], t->cols[t->c_policy].vals[q->policy],
			 t->cols[t->c_policy].vals[q->baseline]);
		goto out;
	}
	if (check_fixed(t, q, sel, n, err) || make_axis(t, q->x, sel, n, &out->x, err) ||
	    make_axis(t, q->y, sel, n, &out->y, err))
		goto out;
	if (!(out->cell = xcalloc((size_t)out->x.n * (size_t)out->y.n, sizeof(*out->cell)))) {
		diag_set(err, "out of memory");
		goto out;
	}
	for (int yi = 0; yi < out->y.n; yi++)
		for (int xi = 0; xi < out->x.n; xi++) {
			struct pd_cell *c = &out->cell[yi * out->x.n + xi];
			struct stats_ttest w;

			if (group(t, sel, n, q->policy, q->x, out->x.val[xi], q->y, out->y.val[yi], runs, pv, &np,
				  &c->p, err) ||
			    group(t, sel, n, q->baseline, q->x, out->x.val[xi], q->y, out->y.val[yi], runs, bv, &nb,
				  &c->b, err))
				goto out;
			c->pct = stats_pct_change(c->b.mean, c->p.mean, q->dir);
			stats_welch(bv, nb, pv, np, PD_LEVEL, &w);
			c->p_welch = w.p;
		}
	rc = 0;
out:
	free(sel);
	free(runs);
	free(pv);
	free(bv);
	if (rc)
		pd_heatmap_free(out);
	return rc;
}

void pd_heatmap_free(struct pd_heatmap *h)
{
	axis_free(&h->x);
	axis_free(&h->y);
	free(h->cell);
	memset(h, 0, sizeof(*h));
}
