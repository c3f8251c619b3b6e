/*
 * cassim compare's study (see compare.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/suggest.h"
#include "base/xalloc.h"
#include "policies/cas.h"
#include "policies/policy.h"
#include "report/file.h"
#include "report/gnuplot.h"
#include "report/report.h"
#include "report/scalars.h"
#include "report/tidy.h"
#include "study/compare.h"
#include "study/sets.h"
#include "study/study.h"
#include "study/verdicts.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

double compare_jnum(json_t *j)
{
	return json_is_number(j) ? json_number_value(j) : NAN;
}

static json_t *jreal(double d)
{
	return isfinite(d) ? json_real(d) : json_null();
}

static const char *dir_name(enum stats_dir d)
{
	return d == STATS_HIGHER ? "higher" : d == STATS_LOWER ? "lower" : "none";
}

static int metric_add(struct cmp *c, const struct scalar *sc)
{
	struct metric *m;

	for (int i = 0; i < c->nr_metrics; i++)
		if (!strcmp(c->m[i].name, sc->name))
			return 0;
	m = xrealloc(c->m, (size_t)(c->nr_metrics + 1) * sizeof(*m));
	c->m = m;
	m = &c->m[c->nr_metrics++];
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", sc->name);
	snprintf(m->unit, sizeof(m->unit), "%s", sc->unit);
	m->dir = sc->dir;
	return 0;
}

/* The metric list, from the runs' results in job order (deterministic):
 * the workload's metrics, the generic ones, then the policies' own. */
int compare_discover_metrics(struct cmp *c)
{
	int nr = c->nr_pol * c->nr_seeds;

	c->sc = xcalloc((size_t)nr, sizeof(*c->sc));
	c->nsc = xcalloc((size_t)nr, sizeof(*c->nsc));
	for (int j = 0; j < nr; j++) {
		if (c->jobs[j].status || !c->jobs[j].result)
			continue;
		c->nsc[j] = scalars_of(c->jobs[j].result, &c->sc[j]);
		for (int k = 0; k < c->nsc[j]; k++)
			if (metric_add(c, &c->sc[j][k]))
				return -1;
	}
	return 0;
}

int compare_collect(struct cmp *c)
{
	int P = c->nr_pol, S = c->nr_seeds;

	for (int i = 0; i < c->nr_metrics; i++) {
		struct metric *m = &c->m[i];

		m->v = xcalloc((size_t)(P * S), sizeof(*m->v));
		m->incomplete = xcalloc((size_t)P, sizeof(*m->incomplete));
		m->sum = xcalloc((size_t)P, sizeof(*m->sum));
		m->welch = xcalloc((size_t)P, sizeof(*m->welch));
		m->paired = xcalloc((size_t)P, sizeof(*m->paired));
		m->pct_change = xcalloc((size_t)P, sizeof(double));
		m->hedges_g = xcalloc((size_t)P, sizeof(double));
		m->p_holm = xcalloc((size_t)P, sizeof(double));
		for (int p = 0; p < P; p++)
			for (int s = 0; s < S; s++) {
				int j = p * S + s;

				m->v[j] = NAN;
				for (int k = 0; k < c->nsc[j]; k++)
					if (!strcmp(c->sc[j][k].name, m->name)) {
						m->v[j] = c->sc[j][k].value;
						m->incomplete[p] += c->sc[j][k].incomplete;
						break; /* the first of two same names wins */
					}
			}
	}
	return 0;
}

double compare_test_p(const struct cmp *c, const struct metric *m, int p)
{
	return c->paired ? m->paired[p].p : m->welch[p].p;
}

/* The chosen test's standard error is 0 and the means differ: every seed
 * gave the same value (Welch; the same difference, paired), so the
 * difference is exact and a p-value says nothing about noise.  A
 * simulation can be deterministic in a metric; a "**" on a +0.02% change
 * would mislead, so such a change is reported as exact, without a mark. */
bool compare_exact(const struct cmp *c, const struct metric *m, int p)
{
	const struct stats_ttest *t = c->paired ? &m->paired[p] : &m->welch[p];

	return t->se == 0 && t->diff != 0;
}

const char *compare_mark(const struct cmp *c, const struct metric *m, int p)
{
	return compare_exact(c, m, p) ? "" : stats_mark(compare_test_p(c, m, p));
}

int compare_analyse(struct cmp *c)
{
	int P = c->nr_pol, S = c->nr_seeds, nf = c->nr_metrics * (P - 1);
	double *fam = xmalloc((size_t)(nf > 0 ? nf : 1) * sizeof(double));

	for (int i = 0; i < c->nr_metrics; i++) {
		struct metric *m = &c->m[i];
		const double *base = m->v;

		for (int p = 0; p < P; p++) {
			const double *x = m->v + p * S;

			stats_summarize(x, (size_t)S, LEVEL, &m->sum[p]);
			m->p_holm[p] = NAN;
			if (!p) {
				memset(&m->welch[p], 0, sizeof(m->welch[p]));
				memset(&m->paired[p], 0, sizeof(m->paired[p]));
				m->pct_change[p] = m->hedges_g[p] = NAN;
				continue;
			}
			stats_welch(base, (size_t)S, x, (size_t)S, LEVEL, &m->welch[p]);
			stats_paired(base, x, (size_t)S, LEVEL, &m->paired[p]);
			m->pct_change[p] = stats_pct_change(m->sum[0].mean, m->sum[p].mean, m->dir);
			m->hedges_g[p] = stats_hedges_g(base, (size_t)S, x, (size_t)S);
			/* an exact difference is no test: out of the family */
			fam[i * (P - 1) + p - 1] = compare_exact(c, m, p) ? NAN : compare_test_p(c, m, p);
		}
	}
	stats_holm(fam, (size_t)nf, fam);
	for (int i = 0; i < c->nr_metrics; i++)
		for (int p = 1; p < P; p++)
			c->m[i].p_holm[p] = fam[i * (P - 1) + p - 1];
	free(fam);
	return 0;
}


/* ---- the table --------------------------------------------------------------- */

json_t *compare_first_config(const struct cmp *c)
{
	for (int j = 0; j < c->nr_pol * c->nr_seeds; j++)
		if (!c->jobs[j].status && c->jobs[j].result)
			return json_object_get(c->jobs[j].result, "config");
	return NULL;
}

const char *compare_model_name(const struct cmp *c)
{
	json_t *cfg = compare_first_config(c);
	const char *p = json_string_value(json_object_get(json_object_get(cfg, "model"), "profile"));

	return c->model ? (p ? p : "on") : "off";
}

/* What each cache-aware policy did, from the mean of its seeds' counters. */
int compare_policy_verdict(const struct cmp *c, int p, char *buf, size_t len)
{
	double (*runs)[CAS_VERDICT_NR_COUNTERS] = xcalloc((size_t)c->nr_seeds, sizeof(*runs));
	int n = 0, k;

	for (int s = 0; s < c->nr_seeds; s++) {
		const struct job *j = &c->jobs[p * c->nr_seeds + s];

		if (!j->status && j->result)
			verdict_counters_of(j->result, runs[n++]);
	}
	k = verdict_of_runs(runs, n, buf, len);
	free(runs);
	return k;
}

/* The text beside scalar @name of job @j (the verdict's), or NULL. */
static const char *scalar_text(const struct cmp *c, int j, const char *name)
{
	for (int k = 0; c->sc && c->sc[j] && k < c->nsc[j]; k++)
		if (!strcmp(c->sc[j][k].name, name))
			return c->sc[j][k].text[0] ? c->sc[j][k].text : NULL;
	return NULL;
}

int compare_write_csv(const struct cmp *c, const char *path, struct diag *err)
{
	struct afile a;
	int S = c->nr_seeds;
	char params[1024];

	if (afile_open(&a, path, err))
		return -1;
	tidy_header(a.f);
	for (int p = 0; p < c->nr_pol; p++) {
		struct tidy_key k = { .topology = c->topology, .workload = c->workload, .parameters = params,
				      .policy = c->label[p], .has_seed = true };

		tidy_parameters(params, sizeof(params), c->pk[p], c->pv[p], c->pn[p]);
		for (int s = 0; s < S; s++) {
			k.seed = c->seed_base + (uint64_t)s;
			for (int i = 0; i < c->nr_metrics; i++)
				tidy_row(a.f, &k, scalars_scope(c->m[i].name), NULL, c->m[i].name, "value",
					 c->m[i].unit, c->m[i].v[p * S + s], scalar_text(c, p * S + s, c->m[i].name));
		}
	}
	return afile_commit(&a, err);
}

static json_t *json_ttest(const struct stats_ttest *t)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:[oo]}", "diff", jreal(t->diff), "t", jreal(t->t), "df",
			 jreal(t->df), "p", jreal(t->p), "ci95", jreal(t->ci_lo), jreal(t->ci_hi));
}

/* The metrics every run has, whatever the workload (scalars_of). */
static bool generic_metric(const char *name)
{
	static const char *const g[] = { "total_wakeup_lat_p99", "cpu_util_mean", "migrations_xllc",
					 "migrations_xnode", "migrations_xpkg" };

	for (size_t k = 0; k < sizeof(g) / sizeof(g[0]); k++)
		if (!strcmp(name, g[k]))
			return true;
	return !strncmp(name, "policy_", 7);
}

/* A panel is drawn only when some policy has a value other than 0. */
static bool has_value(const struct cmp *c, const struct metric *m)
{
	for (int p = 0; p < c->nr_pol; p++)
		if (isfinite(m->sum[p].mean) && m->sum[p].mean != 0)
			return true;
	return false;
}

/* The metrics of the change figure: --metrics, else the workload's own
 * (every headline metric if it has none); only those with a value. */
static bool in_change_figure(const struct cmp *c, const struct metric *m)
{
	if (c->nr_plot_metrics) {
		for (int k = 0; k < c->nr_plot_metrics; k++)
			if (!strcmp(c->plot_metrics[k], m->name))
				return has_value(c, m);
		return false;
	}
	if (!strncmp(m->name, "policy_", 7))
		return false;
	for (int i = 0; i < c->nr_metrics; i++)
		if (!generic_metric(c->m[i].name))
			return !generic_metric(m->name) && has_value(c, m);
	return has_value(c, m);
}

/* The counters figure: what the policies report (not the verdict code,
 * which the table says in words). */
static bool in_counter_figure(const struct cmp *c, const struct metric *m)
{
	return !strncmp(m->name, "policy_", 7) && strcmp(m->name, "policy_verdict") && has_value(c, m);
}

json_t *compare_json(const struct cmp *c)
{
	int P = c->nr_pol, S = c->nr_seeds;
	json_t *root = json_object(), *cfg = json_object(), *pols = json_array(), *seeds = json_array();
	json_t *sets = json_object(), *runs = json_object(), *metrics = json_array(), *failed = json_array();
	json_t *verdicts = json_object(), *fig_change = json_array(), *fig_counters = json_array();

	json_object_set_new(root, "cassim_version", json_string(PACKAGE_VERSION));
	json_object_set_new(cfg, "topology", json_string(c->topology));
	json_object_set_new(cfg, "workload", json_string(c->workload));
	for (int p = 0; p < P; p++)
		json_array_append_new(pols, json_string(c->pol[p]));
	json_object_set_new(cfg, "policies", pols);
	json_object_set_new(cfg, "baseline", json_string(c->label[0]));
	for (int s = 0; s < S; s++)
		json_array_append_new(seeds, json_integer((json_int_t)(c->seed_base + (uint64_t)s)));
	json_object_set_new(cfg, "seeds", seeds);
	json_object_set_new(cfg, "duration_ns", c->duration ? json_integer(c->duration) : json_null());
	for (int i = 0; i < c->nr_sets; i++)
		json_object_set_new(sets, c->set_keys[i], json_string(c->set_values[i]));
	json_object_set_new(cfg, "set", sets);
	json_object_set_new(cfg, "model", json_boolean(c->model));
	json_object_set_new(cfg, "profile", c->profile ? json_string(c->profile) : json_null());
	json_object_set_new(cfg, "test", json_string(c->paired ? "paired" : "welch"));
	json_object_set_new(cfg, "confidence", json_real(LEVEL));
	/* each policy's full run configuration (its first seed's), to re-run */
	for (int p = 0; p < P; p++)
		for (int s = 0; s < S; s++) {
			const struct job *j = &c->jobs[p * S + s];
			if (!j->status && j->result) {
				json_object_set(runs, c->label[p], json_object_get(j->result, "config"));
				break;
			}
		}
	json_object_set_new(cfg, "runs", runs);
	json_object_set_new(root, "config", cfg);

	for (int i = 0; i < c->nr_metrics; i++) {
		const struct metric *m = &c->m[i];
		json_t *o = json_object(), *pa = json_array();
		int inc = 0;

		json_object_set_new(o, "name", json_string(m->name));
		json_object_set_new(o, "unit", json_string(m->unit));
		json_object_set_new(o, "better", json_string(dir_name(m->dir)));
		for (int p = 0; p < P; p++) {
			const struct stats_summary *s = &m->sum[p];
			json_t *q = json_object(), *vals = json_array();

			inc += m->incomplete[p];
			json_object_set_new(q, "policy", json_string(c->label[p]));
			json_object_set_new(q, "n", json_integer((json_int_t)s->n));
			json_object_set_new(q, "mean", jreal(s->mean));
			json_object_set_new(q, "sd", jreal(s->sd));
			json_object_set_new(q, "ci95", json_pack("[oo]", jreal(s->ci_lo), jreal(s->ci_hi)));
			json_object_set_new(q, "min", jreal(s->min));
			json_object_set_new(q, "max", jreal(s->max));
			if (p) {
				json_t *vs = json_object();
				json_object_set_new(vs, "change_pct", jreal(m->pct_change[p]));
				json_object_set_new(vs, "welch", json_ttest(&m->welch[p]));
				json_object_set_new(vs, "paired", json_ttest(&m->paired[p]));
				json_object_set_new(vs, "hedges_g", jreal(m->hedges_g[p]));
				json_object_set_new(vs, "p_holm", jreal(m->p_holm[p]));
				json_object_set_new(vs, "exact", json_boolean(compare_exact(c, m, p)));
				json_object_set_new(vs, "mark", json_string(compare_mark(c, m, p)));
				json_object_set_new(q, "vs_baseline", vs);
			}
			for (int s2 = 0; s2 < S; s2++)
				json_array_append_new(vals, jreal(m->v[p * S + s2]));
			json_object_set_new(q, "values", vals);
			json_array_append_new(pa, q);
		}
		json_object_set_new(o, "incomplete_runs", json_integer(inc));
		json_object_set_new(o, "policies", pa);
		json_array_append_new(metrics, o);
	}
	json_object_set_new(root, "metrics", metrics);
	for (int p = 0; p < P; p++) {
		char text[256];
		enum cas_verdict k = compare_policy_verdict(c, p, text, sizeof(text));

		if (k != CAS_VERDICT_NONE)
			json_object_set_new(verdicts, c->label[p],
					    json_pack("{s:s, s:i, s:s}", "kind", cas_verdict_name(k), "code", (int)k,
						      "text", text));
	}
	json_object_set_new(root, "verdicts", verdicts);
	/* the panels --plot draws (or would draw) */
	for (int i = 0; i < c->nr_metrics; i++) {
		if (in_change_figure(c, &c->m[i]))
			json_array_append_new(fig_change, json_string(c->m[i].name));
		if (in_counter_figure(c, &c->m[i]))
			json_array_append_new(fig_counters, json_string(c->m[i].name));
	}
	json_object_set_new(root, "figures", json_pack("{s:o, s:o}", "compare", fig_change, "compare-counters",
						       fig_counters));
	for (int p = 0; p < P; p++)
		for (int s = 0; s < S; s++) {
			const struct job *j = &c->jobs[p * S + s];
			if (j->status)
				json_array_append_new(failed, json_pack("{s:s, s:I, s:s}", "policy", c->label[p],
									"seed", (json_int_t)j->seed, "error", j->error));
		}
	json_object_set_new(root, "failed_runs", failed);
	return root;
}

int compare_write_json(json_t *j, const char *path, struct diag *err)
{
	struct afile a;

	if (afile_open(&a, path, err))
		return -1;
	if (json_dumpf(j, a.f, JSON_PRESERVE_ORDER | JSON_INDENT(2)) || fputc('\n', a.f) == EOF) {
		afile_abort(&a);
		return diag_set(err, "%s: cannot write JSON", path);
	}
	return afile_commit(&a, err);
}

/* mkdir -p */
int compare_make_dirs(const char *dir, struct diag *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(dir);

	if (n >= sizeof(buf))
		return diag_set(err, "--out %s: path too long", dir);
	memcpy(buf, dir, n + 1);
	for (char *s = buf + 1; ; s++) {
		if (*s == '/' || !*s) {
			char ch = *s;
			*s = '\0';
			if (mkdir(buf, 0777) && errno != EEXIST)
				return diag_set(err, "--out %s: cannot create %s: %s", dir, buf, strerror(errno));
			*s = ch;
			if (!ch)
				break;
		}
	}
	return 0;
}

/* ---- plots ------------------------------------------------------------------------ */

/* The 95 % CI of a policy's change against the baseline, in % and signed
 * like the change (+ is better): the chosen test's CI of the difference
 * over |baseline mean|; NaN where the baseline mean is 0. */
static void change_ci(const struct cmp *c, const struct metric *m, int p, double *lo, double *hi)
{
	const struct stats_ttest *t = c->paired ? &m->paired[p] : &m->welch[p];
	double base = fabs(m->sum[0].mean), a, b;

	*lo = *hi = NAN;
	if (!(base > 0) || !isfinite(t->ci_lo) || !isfinite(t->ci_hi))
		return;
	a = t->ci_lo / base * 100;
	b = t->ci_hi / base * 100;
	if (m->dir == STATS_LOWER) {
		*lo = -b;
		*hi = -a;
	} else {
		*lo = a;
		*hi = b;
	}
}

static void panel_title(FILE *e, const struct metric *m)
{
	char t[256];

	snprintf(t, sizeof(t), "%s%s%s%s%s", m->name, m->unit[0] || m->dir ? " (" : "", m->unit,
		 m->unit[0] && m->dir ? ", " : "",
		 m->dir == STATS_HIGHER ? "higher is better)" : m->dir == STATS_LOWER ? "lower is better)"
		 : m->unit[0] ? ")" : "");
	gp_word(e, t);
}

/* One figure: @change 1 draws each selected metric's change against the
 * baseline with its 95 % CI around 0 (one point per other policy);
 * 0 draws the policies' counters as bars from 0 with the CI of the mean,
 * never below 0 for counts.  Nothing is drawn when no panel has a value;
 * *nr_panels says how many were. */
static int write_figure(const struct cmp *c, const char *script, const char *name, int change, int *nr_panels,
			struct diag *err)
{
	int P = c->nr_pol, S = c->nr_seeds, n = 0, rc = -1;
	char dat[PATH_MAX + 64], prefix[PATH_MAX];
	char *vars = NULL;
	size_t varslen = 0;
	FILE *f, *e = NULL;

	snprintf(dat, sizeof(dat), "%s/.%s.dat.%ld", c->out, name, (long)getpid());
	snprintf(prefix, sizeof(prefix), "%s/%s", c->out, name);
	f = fopen(dat, "w");
	if (!f)
		return diag_set(err, "%s: cannot write: %s", dat, strerror(errno));
	e = open_memstream(&vars, &varslen);
	if (!e) {
		fclose(f);
		unlink(dat);
		return diag_set(err, "out of memory");
	}
	fputs("titles='", e);
	for (int i = 0; i < c->nr_metrics; i++) {
		const struct metric *m = &c->m[i];
		bool count = true;

		if (change ? !in_change_figure(c, m) : !in_counter_figure(c, m))
			continue;
		fprintf(f, "%s# %s\n", n ? "\n\n" : "", m->name);
		fputs(n ? " " : "", e);
		panel_title(e, m);
		n++;
		for (int k = 0; k < P * S; k++)
			count &= !isfinite(m->v[k]) || m->v[k] >= 0;
		for (int p = change ? 1 : 0; p < P; p++) {
			const struct stats_summary *sm = &m->sum[p];
			double y, lo, hi;
			char label[64] = "";

			if (change) {
				y = m->pct_change[p];
				change_ci(c, m, p, &lo, &hi);
				if (isfinite(y))
					snprintf(label, sizeof(label), "%+.2f%%%s", y, compare_mark(c, m, p));
			} else {
				y = sm->mean;
				lo = sm->ci_lo;
				hi = sm->ci_hi;
				if (count && isfinite(lo) && lo < 0)
					lo = 0; /* a count is never negative */
				if (p && isfinite(m->pct_change[p]))
					snprintf(label, sizeof(label), "%+.1f%%%s", m->pct_change[p], compare_mark(c, m, p));
			}
			if (!isfinite(y)) {
				y = lo = hi = NAN;
				snprintf(label, sizeof(label), "n/a");
			} else if (!isfinite(lo) || !isfinite(hi)) {
				lo = hi = y;
			}
			fprintf(f, "%d ", change ? p - 1 : p);
			gp_word(f, c->label[p]);
			fprintf(f, " %.17g %.17g %.17g ", y, lo, hi);
			gp_word(f, label);
			fputc('\n', f);
		}
	}
	*nr_panels = n;
	if (fclose(f) | fclose(e)) {
		diag_set(err, "%s: cannot write", dat);
		goto out;
	}
	if (!n) {
		rc = 0;
		goto out;
	}
	{
		char t[512], *all = NULL;
		size_t alllen = 0;

		snprintf(t, sizeof(t),
			 change ? "%s on %s, %d seeds: change against %s in %%, + = better, with its 95%% CI (%s); * p<0.05, ** p<0.01"
				: "%s on %s, %d seeds: the policies' counters, mean and 95%% CI (vs %s, %s)",
			 c->workload, c->topology, S, c->label[0], c->paired ? "paired t" : "Welch t");
		e = open_memstream(&all, &alllen);
		if (!e) {
			diag_set(err, "out of memory");
			goto out;
		}
		fputs("datafile=", e);
		gp_str(e, dat);
		/* vars holds "titles='t1 t2 ..." */
		fprintf(e, "; nmetrics=%d; npolicies=%d; %s'; maintitle=", n, change ? P - 1 : P, vars);
		gp_str(e, t);
		if (fclose(e)) {
			free(all);
			diag_set(err, "out of memory");
			goto out;
		}
		free(vars);
		vars = all;
	}
	if (gp_render(script, vars, prefix, err)) {
		diag_prefix(err, "--plot: ");
		goto out;
	}
	rc = 0;
out:
	free(vars);
	unlink(dat);
	return rc;
}

/* compare.png/svg: the change figure; compare-counters.png/svg: the
 * policies' counters (when any has a value). */
int compare_write_plots(const struct cmp *c, const char *const scripts[2], int nr_panels[2], struct diag *err)
{
	if (write_figure(c, scripts[0], "compare", 1, &nr_panels[0], err))
		return -1;
	return write_figure(c, scripts[1], "compare-counters", 0, &nr_panels[1], err);
}

/* ---- the command ---------------------------------------------------------------------- */

/* Every --metrics name must be one of the runs' metrics. */
int compare_check_plot_metrics(const struct cmp *c, struct diag *err)
{
	for (int k = 0; k < c->nr_plot_metrics; k++) {
		const char *names[1024];
		char hint[160], all[2048];
		int n = 0, found = 0;

		for (int i = 0; i < c->nr_metrics && n < 1024; i++) {
			names[n++] = c->m[i].name;
			found |= !strcmp(c->m[i].name, c->plot_metrics[k]);
		}
		if (!found)
			return diag_set(err, "--metrics %s: no such metric in these runs%s (metrics: %s)", c->plot_metrics[k],
				   suggest_hint(hint, sizeof(hint), c->plot_metrics[k], names, n),
				   suggest_join(all, sizeof(all), names, n));
	}
	return 0;
}

/* Which --set pairs go to which policy: a tunable that some listed policy
 * has (and no scheduler tunable of that name) goes only to the policies that
 * have it; every other key goes to all (and the run says if it is unknown). */
int compare_route_sets(struct cmp *c)
{
	const struct policy **pols = xcalloc((size_t)c->nr_pol, sizeof(*pols));

	for (int p = 0; p < c->nr_pol; p++)
		pols[p] = policy_find(c->pol[p]);
	for (int p = 0; p < c->nr_pol; p++) {
		c->pk[p] = xcalloc((size_t)(c->nr_sets + 1), sizeof(char *));
		c->pv[p] = xcalloc((size_t)(c->nr_sets + 1), sizeof(char *));
		for (int i = 0; i < c->nr_sets; i++) {
			const char *k = c->set_keys[i];

			if (!set_applies(k, pols[p], pols, c->nr_pol))
				continue;
			c->pk[p][c->pn[p]] = k;
			c->pv[p][c->pn[p]] = c->set_values[i];
			c->pn[p]++;
		}
	}
	free(pols);
	return 0;
}

void compare_free(struct cmp *c)
{
	if (c->jobs) {
		jobs_free(c->jobs, c->nr_pol * c->nr_seeds);
		free(c->jobs);
	}
	for (int i = 0; i < c->nr_metrics; i++) {
		struct metric *m = &c->m[i];
		free(m->v);
		free(m->incomplete);
		free(m->sum);
		free(m->welch);
		free(m->paired);
		free(m->pct_change);
		free(m->hedges_g);
		free(m->p_holm);
	}
	free(c->m);
	for (int j = 0; c->sc && j < c->nr_pol * c->nr_seeds; j++)
		free(c->sc[j]);
	free(c->sc);
	free(c->nsc);
	for (int p = 0; p < c->nr_pol; p++) {
		free(c->pk[p]);
		free(c->pv[p]);
	}
}

