/*
 * cassim validate's study: read the published results, map every row to a
 * policy, topology and workload (validate_map.c), plan the paired runs as
 * deduplicated jobs (the same (topology, workload, policy, sets, seed) run
 * is done once even when several rows need it), and, once the jobs ran,
 * score every row by the agreement rule (validate_rule.c).  The verb
 * (cmd/cmd_validate.c) parses options, runs the jobs and prints; the
 * outputs are validate_report.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/diag.h"
#include "base/xalloc.h"
#include "hw/topo.h"
#include "policies/policy.h"
#include "report/stats.h"
#include "study/jobs.h"
#include "study/study.h"
#include "study/validate.h"
#include "study/validate_map.h"
#include "study/validate_rule.h"
#include "study/verdicts.h"

/* ---- jobs (deduplicated) ----------------------------------------------------------------- */

/* The job for (topology, workload, policy, variant sets + policy sets, seed);
 * an identical earlier job is reused.  Returns its index. */
static int job_get(struct jobset *js, const char *topology, const struct vm_map *m, int var,
		   const char *policy, bool with_policy_sets, uint64_t seed, const char *xkey, const char *xval)
{
	const struct vm_variant *v = &m->var[var];
	int nps = with_policy_sets ? m->nr_policy_sets : 0, nx = xkey != NULL;
	int ns = v->nr_sets + nps + js->nr_sets + nx;
	char key[4096];
	size_t n;
	struct job *j;
	const char **k, **val;

	n = (size_t)snprintf(key, sizeof(key), "%s|%s|%s|%llu|%lld", topology, m->job_workload, policy,
			     (unsigned long long)seed, (long long)v->duration);
	for (int i = 0; i < v->nr_sets && n < sizeof(key); i++)
		n += (size_t)snprintf(key + n, sizeof(key) - n, "|%s=%s", v->sets[i].key, v->sets[i].value);
	for (int i = 0; i < nps && n < sizeof(key); i++)
		n += (size_t)snprintf(key + n, sizeof(key) - n, "|P%s=%s", m->policy_sets[i].key,
				      m->policy_sets[i].value);
	for (int i = 0; i < js->nr_sets && n < sizeof(key); i++)
		n += (size_t)snprintf(key + n, sizeof(key) - n, "|W%s=%s", js->set_keys[i], js->set_values[i]);
	if (nx && n < sizeof(key))
		n += (size_t)snprintf(key + n, sizeof(key) - n, "|A%s=%s", xkey, xval);
	for (int i = 0; i < js->nr; i++)
		if (!strcmp(js->keys[i], key))
			return i;
	if (js->nr == js->cap) {
		js->cap = js->cap ? 2 * js->cap : 256;
		js->jobs = xrealloc(js->jobs, (size_t)js->cap * sizeof(*js->jobs));
		js->keys = xrealloc(js->keys, (size_t)js->cap * sizeof(*js->keys));
	}
	j = &js->jobs[js->nr];
	memset(j, 0, sizeof(*j));
	js->keys[js->nr] = xstrdup(key);
	j->topology = xstrdup(topology);
	j->workload = xstrdup(m->job_workload);
	j->policy = xstrdup(policy);
	j->seed = seed;
	j->duration = v->duration;
	k = xcalloc((size_t)ns, sizeof(*k));
	val = xcalloc((size_t)ns, sizeof(*val));
	for (int i = 0; i < v->nr_sets; i++)
		k[i] = xstrdup(v->sets[i].key), val[i] = xstrdup(v->sets[i].value);
	for (int i = 0; i < nps; i++)
		k[v->nr_sets + i] = xstrdup(m->policy_sets[i].key),
		val[v->nr_sets + i] = xstrdup(m->policy_sets[i].value);
	/* what-if keys are machine-model values and scheduler tunables, which
	 * no mapping sets (it sets workload parameters and revision tunables) */
	for (int i = 0; i < js->nr_sets; i++)
		k[v->nr_sets + nps + i] = xstrdup(js->set_keys[i]),
		val[v->nr_sets + nps + i] = xstrdup(js->set_values[i]);
	if (nx)
		k[ns - 1] = xstrdup(xkey), val[ns - 1] = xstrdup(xval);
	j->nr_sets = ns;
	j->set_keys = k;
	j->set_values = val;
	return js->nr++;
}

static void jobset_free(struct jobset *js)
{
	for (int i = 0; i < js->nr_sets; i++)
		free((char *)js->set_keys[i]); /* holds the value too: add_model_set */
	jobs_free(js->jobs, js->nr);
	for (int i = 0; i < js->nr; i++) {
		struct job *j = &js->jobs[i];
		for (int s = 0; s < j->nr_sets; s++) {
			free((char *)j->set_keys[s]);
			free((char *)j->set_values[s]);
		}
		free((void *)j->set_keys);
		free((void *)j->set_values);
		free((char *)j->topology);
		free((char *)j->workload);
		free((char *)j->policy);
		free(js->keys[i]);
	}
	free(js->jobs);
	free(js->keys);
}

/* Plan the paired runs of @m's variants into @cells (one per variant):
 * @base (cfs, or a revision that gets the row's CAS tunables too) against
 * @policy; both sides also get @xkey=@xval when @xkey is not NULL (an
 * ablation). */
static void plan_cells(struct jobset *js, const char *topology, const struct vm_map *m, const char *base,
		       const char *policy, int seeds, struct cell *cells, const char *xkey, const char *xval)
{
	for (int v = 0; v < m->nr_variants; v++) {
		struct cell *c = &cells[v];
		c->base_job = xcalloc((size_t)seeds, sizeof(int));
		c->cas_job = xcalloc((size_t)seeds, sizeof(int));
		c->bval = xcalloc((size_t)seeds, sizeof(double));
		c->cval = xcalloc((size_t)seeds, sizeof(double));
		c->chg = xcalloc((size_t)seeds, sizeof(double));
		for (int s = 0; s < seeds; s++) {
			c->base_job[s] = job_get(js, topology, m, v, base, strcmp(base, "cfs") != 0, (uint64_t)s + 1,
						 xkey, xval);
			c->cas_job[s] = job_get(js, topology, m, v, policy, true, (uint64_t)s + 1, xkey, xval);
		}
	}
}

static void cell_free(struct cell *c)
{
	free(c->base_job);
	free(c->cas_job);
	free(c->bval);
	free(c->cval);
	free(c->chg);
}

/* ---- results ----------------------------------------------------------------------------- */

/* results.metrics.<metric>.<stat> of a job, or -1 with a message. */
static int job_metric(const struct job *j, const struct vm_map *m, double *out, char *err, size_t len)
{
	json_t *res, *met, *v;

	if (j->status) {
		snprintf(err, len, "%s run failed: %.400s", j->policy, j->error[0] ? j->error : "(no message)");
		return -1;
	}
	res = json_object_get(j->result, "results");
	met = json_object_get(json_object_get(res, "metrics"), m->metric);
	if (!met) {
		snprintf(err, len, "the %s run reports no metric '%s'", j->policy, m->metric);
		return -1;
	}
	if (json_is_true(json_object_get(met, "incomplete"))) {
		snprintf(err, len, "the %s run hit its duration cap before the benchmark finished", j->policy);
		return -1;
	}
	v = json_object_get(met, m->stat);
	if (!json_is_number(v)) {
		snprintf(err, len, "the %s run's metric '%s' has no '%s'", j->policy, m->metric, m->stat);
		return -1;
	}
	*out = json_number_value(v);
	return 0;
}

/* % change, + = CAS better (stats_pct_change: of |base|, signed by the
 * metric's direction); throughput published for a fixed-work run is the
 * inverse of its time. */
static double change_pct(enum vm_sense s, double base, double cas)
{
	switch (s) {
	case VM_LOWER: return stats_pct_change(base, cas, STATS_LOWER);
	case VM_HIGHER: return stats_pct_change(base, cas, STATS_HIGHER);
	case VM_INV_TIME:
		return base > 0 && cas > 0 ? stats_pct_change(1.0 / base, 1.0 / cas, STATS_HIGHER) : NAN;
	}
	return NAN;
}

static void cell_eval(struct cell *c, const struct jobset *js, const struct vm_map *m, int seeds)
{
	struct stats_summary sb, sc, sd;

	c->n = 0;
	c->err[0] = '\0';
	for (int s = 0; s < seeds; s++) {
		double b, x;
		if (job_metric(&js->jobs[c->base_job[s]], m, &b, c->err, sizeof(c->err)) ||
		    job_metric(&js->jobs[c->cas_job[s]], m, &x, c->err, sizeof(c->err)))
			break;
		c->chg[c->n] = change_pct(m->sense, b, x);
		if (!isfinite(c->chg[c->n])) {
			snprintf(c->err, sizeof(c->err), "metric %s %s is 0: no %% change", m->metric, m->stat);
			break;
		}
		c->bval[c->n] = b;
		c->cval[c->n] = x;
		c->n++;
	}
	if (c->err[0]) {
		c->n = 0;
		c->mean = c->ci = NAN;
		return;
	}
	/* paired: the CI is that of the mean of the per-seed changes */
	stats_summarize(c->chg, (size_t)c->n, 0.95, &sd);
	stats_summarize(c->bval, (size_t)c->n, 0.95, &sb);
	stats_summarize(c->cval, (size_t)c->n, 0.95, &sc);
	c->mean = sd.mean;
	c->ci = sd.ci_half;
	c->base_mean = sb.mean;
	c->cas_mean = sc.mean;
}

/* The row's simulated change from its variants: one variant as it is;
 * several ("threads=10/100"): for a neutral published result the variant
 * furthest from 0 (the row agrees only if every variant is within +-5 %),
 * otherwise the mean of the variants. */
static int combine(const struct cell *cells, int nv, double published, double *sim, double *ci)
{
	int chosen = 0;

	if (nv == 1 || fabs(published) < 3) {
		for (int v = 1; v < nv; v++)
			if (fabs(cells[v].mean) > fabs(cells[chosen].mean))
				chosen = v;
		*sim = cells[chosen].mean;
		*ci = cells[chosen].ci;
		return chosen;
	}
	double s = 0, q = 0;
	for (int v = 0; v < nv; v++) {
		s += cells[v].mean;
		q += cells[v].ci * cells[v].ci;
	}
	*sim = s / nv;
	*ci = sqrt(q) / nv;
	return -1;
}

static void row_result(struct row *r)
{
	r->chosen = combine(r->cells, r->map.nr_variants, r->published, &r->sim, &r->ci);
	r->significant = isfinite(r->ci) && fabs(r->sim) > r->ci;
	{
		struct vr_score sc = vr_score(r->published, r->sim, r->ci);
		r->verdict = sc.cls == VR_AGREE ? V_AGREE : sc.cls == VR_MISS ? V_MISS : V_NOT_SCORED;
		r->within_2x = sc.within_2x;
		r->why = sc.why;
	}
}

/* A workload name from the mapping as the job runner takes it: a shipped
 * name as it is, else the path of papers/validation/workloads/NAME.json
 * (validation-only models); NULL if neither exists. */
static const char *workload_for_job(const char *name, char *buf, size_t len)
{
	static const char *const subs[] = { "workloads", "papers/validation/workloads" };
	struct stat sb;

	for (int k = 0; k < 2; k++)
		for (const char *const *d = study_data_dirs(subs[k]); *d; d++) {
			snprintf(buf, len, "%s/%s.json", *d, name);
			if (stat(buf, &sb) == 0 && S_ISREG(sb.st_mode)) {
				if (k == 0)
					snprintf(buf, len, "%s", name);
				return buf;
			}
		}
	return NULL;
}

/* --only: keep the rows whose id matches one of the comma-separated globs. */
static bool row_selected(const char *id, const char *const *only, int nr_only)
{
	char buf[512];

	if (!nr_only)
		return true;
	for (int i = 0; i < nr_only; i++) {
		const char *s = only[i];
		while (*s) {
			size_t n = strcspn(s, ",");
			if (n && n < sizeof(buf)) {
				memcpy(buf, s, n);
				buf[n] = '\0';
				if (!fnmatch(buf, id, 0))
					return true;
			}
			s += n + (s[n] == ',');
		}
	}
	return false;
}

struct validate_machine {
	char name[64];
	struct vm_machine m;
	bool ok;
	char err[DIAG_MSG_MAX];
};

static const struct validate_machine *machine_get(struct validate_machine *mc, int *nr, const char *name)
{
	struct topo *t = NULL;
	struct diag err = { { 0 } };
	struct validate_machine *e;

	for (int i = 0; i < *nr; i++)
		if (!strcmp(mc[i].name, name))
			return &mc[i];
	e = &mc[(*nr)++];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->m.name = e->name;
	if (topo_load(name, study_data_dirs("topologies"), &t, &err)) {
		snprintf(e->err, sizeof(e->err), "%s", err.msg);
		return e;
	}
	e->m.nr_cpus = t->nr_cpus;
	e->m.nr_llcs = t->nr_llcs;
	e->ok = true;
	topo_free(t);
	return e;
}

int validate_read(struct validation *V, const char *const *only, int nr_only, struct diag *err)
{
	if (validate_read_csv(V->csv, &V->rows, &V->nr, err))
		return -1;
	if (nr_only) {
		int kept = 0;
		for (int i = 0; i < V->nr; i++)
			if (row_selected(V->rows[i].id, only, nr_only))
				V->rows[kept++] = V->rows[i];
		if (!kept) {
			free(V->rows);
			V->rows = NULL;
			V->nr = 0;
			return diag_set(err, "--only: no row of %s has a matching id", V->csv);
		}
		V->nr = kept;
		for (int i = 0, n = 0; i < nr_only && n < (int)sizeof(V->only); i++)
			n += snprintf(V->only + n, sizeof(V->only) - (size_t)n, "%s%s", i ? "," : "", only[i]);
	}
	return 0;
}

void validate_plan(struct validation *V, bool predict)
{
	char wlpath[512];

	V->mc = xcalloc((size_t)V->nr + 8, sizeof(*V->mc));

	/* map every row */
	for (int i = 0; i < V->nr; i++) {
		struct row *r = &V->rows[i];
		const struct validate_machine *m;
		const char *missing;

		if (!vm_policy_for_revision(r->revision, r->policy, sizeof(r->policy))) {
			r->verdict = V_UNMAPPED;
			snprintf(r->reason, sizeof(r->reason),
				 "revision '%s' unknown (expected rfc, rfc-v2..rfc-v4, v1..v4, merged or a policy name)",
				 r->revision);
			continue;
		}
		if (!vm_policy_for_revision(r->baseline, r->base_policy, sizeof(r->base_policy))) {
			r->verdict = V_UNMAPPED;
			snprintf(r->reason, sizeof(r->reason),
				 "baseline '%s' unknown (expected cfs, rfc, rfc-v2..rfc-v4, v1..v4, merged, 7.2-fixes or a policy name)",
				 r->baseline);
			continue;
		}
		r->pol = policy_find(r->policy);
		m = machine_get(V->mc, &V->nr_mc, r->machine);
		if (!m->ok) {
			r->verdict = V_UNMAPPED;
			snprintf(r->reason, sizeof(r->reason), "machine '%s' is not a loadable topology: %.400s", r->machine, m->err);
			continue;
		}
		if (vm_map_row(r->benchmark, r->params, r->metric, &m->m, r->pol, V->scale, &r->map)) {
			r->verdict = V_UNMAPPED;
			snprintf(r->reason, sizeof(r->reason), "%s", r->map.reason);
			continue;
		}
		if (!workload_for_job(r->map.workload, wlpath, sizeof(wlpath))) {
			r->verdict = V_UNMAPPED;
			snprintf(r->reason, sizeof(r->reason), "workload %s.json not found in the data directories",
				 r->map.workload);
			continue;
		}
		snprintf(r->map.job_workload, sizeof(r->map.job_workload), "%s", wlpath);
		r->mapped = true;
		if (!r->pol || !policy_find(r->base_policy)) {
			r->verdict = V_NO_POLICY;
			snprintf(r->reason, sizeof(r->reason), "%s is not registered in this build",
				 r->pol ? r->base_policy : r->policy);
			continue;
		}
		/* the row's CAS tunables are settings of both sides */
		if (strcmp(r->base_policy, "cfs") &&
		    (missing = vm_missing_tunable(&r->map, policy_find(r->base_policy)))) {
			r->mapped = false;
			r->verdict = V_UNMAPPED;
			snprintf(r->reason, sizeof(r->reason), "'%s' is not a tunable of the baseline %s", missing,
				 r->base_policy);
			continue;
		}
		r->verdict = V_PLANNED;
		plan_cells(&V->js, r->machine, &r->map, r->base_policy, r->policy, V->seeds, r->cells, NULL, NULL);
		for (int a = 0; a < V->nr_abl; a++)
			plan_cells(&V->js, r->machine, &r->map, r->base_policy, r->policy, V->aseeds, r->abl[a],
				   V->abl_key[a], V->abl_value[a]);
	}
	if (predict) {
		int nm = 0;
		while (vm_predict_machines[nm])
			nm++;
		V->preds = xcalloc((size_t)(nm * vm_nr_predictions), sizeof(*V->preds));
		for (int mi = 0; mi < nm; mi++)
			for (int k = 0; k < vm_nr_predictions; k++) {
				struct pred *p = &V->preds[V->np++];
				const struct validate_machine *m = machine_get(V->mc, &V->nr_mc, vm_predict_machines[mi]);
				p->p = &vm_predictions[k];
				p->machine = vm_predict_machines[mi];
				if (!m->ok) {
					snprintf(p->reason, sizeof(p->reason), "%.200s", m->err);
					continue;
				}
				if (vm_map_row(p->p->benchmark, p->p->params, p->p->metric, &m->m, NULL, V->scale, &p->map)) {
					snprintf(p->reason, sizeof(p->reason), "%s", p->map.reason);
					continue;
				}
				if (!workload_for_job(p->map.workload, wlpath, sizeof(wlpath))) {
					snprintf(p->reason, sizeof(p->reason), "workload %s.json not found", p->map.workload);
					continue;
				}
				snprintf(p->map.job_workload, sizeof(p->map.job_workload), "%s", wlpath);
				p->mapped = true;
				for (int q = 0; vm_predict_policies[q]; q++) {
					p->have_policy[q] = policy_find(vm_predict_policies[q]) != NULL;
					if (p->have_policy[q])
						plan_cells(&V->js, p->machine, &p->map, "cfs", vm_predict_policies[q], V->pseeds,
							   &p->cells[q], NULL, NULL);
				}
				/* the cfs mean is shown even when no CAS policy exists */
				if (!p->have_policy[0])
					plan_cells(&V->js, p->machine, &p->map, "cfs", "cfs", V->pseeds, &p->cells[0], NULL, NULL);
			}
	}
}

/* What ablation @a moved row @r by, paired by seed: per variant the mean
 * over the ablation's seeds (the first of the full model's) of the full
 * change minus the ablated change; the row's variant rule (row_result) over
 * the variants.  Paired, so that the seed-to-seed spread of the change does
 * not enter a one- or two-seed ablation. */
static double paired_moved(const struct row *r, int a)
{
	double sum = 0;
	int nv = 0;

	for (int v = 0; v < r->map.nr_variants; v++) {
		const struct cell *f = &r->cells[v], *x = &r->abl[a][v];
		int n = f->n < x->n ? f->n : x->n;
		double d = 0;

		if (r->chosen >= 0 && v != r->chosen)
			continue;
		if (n == 0)
			return NAN;
		for (int s = 0; s < n; s++)
			d += f->chg[s] - x->chg[s];
		sum += d / n;
		nv++;
	}
	return nv ? sum / nv : NAN;
}

/* The activity verdict of the revision's runs in the reported variant (the
 * first when the variants are combined), over the seeds that ran. */
static void row_activity(struct row *r, const struct jobset *js, int seeds)
{
	const struct cell *c = &r->cells[r->chosen >= 0 ? r->chosen : 0];
	double (*runs)[CAS_VERDICT_NR_COUNTERS] = xcalloc((size_t)seeds + 1, sizeof(*runs));
	int n = 0;

	for (int s = 0; s < seeds; s++) {
		const struct job *j = &js->jobs[c->cas_job[s]];

		if (!j->status && j->result)
			verdict_counters_of(j->result, runs[n++]);
	}
	r->activity[0] = '\0';
	r->activity_kind = n ? (int)verdict_of_runs(runs, n, r->activity, sizeof(r->activity)) : CAS_VERDICT_NONE;
	if (r->activity_kind == CAS_VERDICT_NONE)
		r->activity[0] = '\0';
	free(runs);
}

bool validate_evaluate(struct validation *V)
{
	bool any_failed = false;

	for (int i = 0; i < V->nr; i++) {
		struct row *r = &V->rows[i];
		if (r->verdict != V_PLANNED)
			continue;
		for (int v = 0; v < r->map.nr_variants; v++) {
			cell_eval(&r->cells[v], &V->js, &r->map, V->seeds);
			if (r->cells[v].err[0] && r->verdict != V_FAILED) {
				r->verdict = V_FAILED;
				snprintf(r->reason, sizeof(r->reason), "%s%s%s", r->map.var[v].label,
					 r->map.var[v].label[0] ? ": " : "", r->cells[v].err);
			}
		}
		if (r->verdict == V_FAILED) {
			any_failed = true;
			continue;
		}
		row_result(r);
		row_activity(r, &V->js, V->seeds);
		for (int a = 0; a < V->nr_abl; a++) {
			bool ok = true;
			for (int v = 0; v < r->map.nr_variants; v++) {
				cell_eval(&r->abl[a][v], &V->js, &r->map, V->aseeds);
				ok &= !r->abl[a][v].err[0];
			}
			if (ok)
				combine(r->abl[a], r->map.nr_variants, r->published, &r->abl_sim[a], &r->abl_ci[a]),
				r->abl_moved[a] = paired_moved(r, a);
			else
				r->abl_sim[a] = r->abl_ci[a] = r->abl_moved[a] = NAN, any_failed = true;
		}
	}
	for (int i = 0; i < V->np; i++)
		for (int q = 0; vm_predict_policies[q]; q++)
			if (V->preds[i].mapped && (V->preds[i].have_policy[q] || (q == 0 && V->preds[i].cells[0].base_job))) {
				cell_eval(&V->preds[i].cells[q], &V->js, &V->preds[i].map, V->pseeds);
				if (V->preds[i].cells[q].err[0] && V->preds[i].have_policy[q])
					any_failed = true;
			}
	return any_failed;
}

void validate_free(struct validation *V)
{
	for (int i = 0; i < V->nr; i++)
		for (int v = 0; v < VM_MAX_VARIANTS; v++) {
			cell_free(&V->rows[i].cells[v]);
			for (int a = 0; a < V->nr_abl; a++)
				cell_free(&V->rows[i].abl[a][v]);
		}
	for (int i = 0; i < V->np; i++)
		for (int q = 0; q < VR_MAX_POLICIES; q++)
			cell_free(&V->preds[i].cells[q]);
	for (int a = 0; a < V->nr_abl; a++)
		free((char *)V->abl_key[a]); /* holds the value too: add_model_set */
	jobset_free(&V->js);
	free(V->preds);
	free(V->rows);
	free(V->mc);
}
