/*
 * cassim validate: the outputs (see validate.h).  Deterministic: no wall
 * time, rows in CSV order.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "policies/cas.h"
#include "study/study.h"
#include "study/validate.h"
#include "study/validate_rule.h"
#include "report/file.h"
#include "report/gnuplot.h"
#include "report/report.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

const char *const vr_verdict_name[] = {
	[V_AGREE] = "agree",
	[V_MISS] = "miss",
	[V_NOT_SCORED] = "not scored",
	[V_UNMAPPED] = "unmapped",
	[V_NO_POLICY] = "policy not available",
	[V_FAILED] = "failed",
	[V_PLANNED] = "planned",
};

/* The rule of validate_rule.h, as the reports state it. */
#define RULE_TEXT \
	"|published| >= 5 %: the simulated change has the same sign, its 95 % CI excludes 0 and its size is " \
	"within a factor of ten of the published size (\"within 2x\" when within a factor of two); " \
	"|published| < 3 %: the simulated change is within +-5 %; in between: reported, not scored; " \
	"a row that cannot be mapped or run is a miss"

/* ---- output helpers ---------------------------------------------------------------------- */

static void fmt_change(char *buf, size_t len, double v, double ci)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (isfinite(ci))
		snprintf(buf, len, "%+.1f ± %.1f", v, ci);
	else
		snprintf(buf, len, "%+.1f", v);
}

const char *vr_sense_name(enum vm_sense s)
{
	return s == VM_LOWER ? "lower is better" : s == VM_HIGHER ? "higher is better" :
	       "throughput = 1/time";
}

void vr_sets_str(const struct vm_variant *v, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < v->nr_sets && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s=%s", i ? " " : "", v->sets[i].key, v->sets[i].value);
}

void vr_dur_str(simtime_t d, char *buf, size_t len)
{
	if (d >= NSEC_PER_SEC)
		snprintf(buf, len, "%gs", (double)d / NSEC_PER_SEC);
	else
		snprintf(buf, len, "%gms", (double)d / 1e6);
}

bool vr_is_fixed_work(const struct vm_map *m)
{
	/* elapsed-time benchmarks: the duration is only a cap */
	return !strcmp(m->bench, "hackbench") || !strcmp(m->bench, "stream") ||
	       !strcmp(m->bench, "chacha20-verilator");
}

/* The revision column: "v4", or "topo-rfc-v2 vs merged" for a row whose
 * baseline is not cfs. */
static const char *rev_label(const struct row *r, char *buf, size_t len)
{
	if (!strcmp(r->baseline, "cfs"))
		return r->revision;
	snprintf(buf, len, "%s vs %s", r->revision, r->baseline);
	return buf;
}

/* A row that could not be mapped or run counts as a scored miss
 * (published.md), unless its published size is never scored. */
static bool row_missed(const struct row *r)
{
	return (r->verdict == V_UNMAPPED || r->verdict == V_NO_POLICY || r->verdict == V_FAILED) &&
	       vr_scored(r->published);
}

static const char *row_status_text(const struct row *r, char *buf, size_t len)
{
	if (r->verdict == V_AGREE && fabs(r->published) >= 5)
		snprintf(buf, len, "agree (within %s)", r->within_2x ? "2x" : "10x");
	else if (r->verdict == V_MISS)
		snprintf(buf, len, "miss (%s)", r->why);
	else if (row_missed(r))
		snprintf(buf, len, "%s, a miss", vr_verdict_name[r->verdict]);
	else
		snprintf(buf, len, "%s", vr_verdict_name[r->verdict]);
	return buf;
}

struct tally {
	int rows, mapped, unmapped, no_policy, failed, scored, agree, within_2x, not_scored;
	int signed_agree; /* agreeing rows with |published| >= 5 */
};

static struct tally tally_rows(const struct row *rows, int nr)
{
	struct tally t = { 0 };

	t.rows = nr;
	for (int i = 0; i < nr; i++) {
		switch (rows[i].verdict) {
		case V_AGREE:
			t.agree++, t.scored++, t.within_2x += rows[i].within_2x;
			t.signed_agree += fabs(rows[i].published) >= 5;
			break;
		case V_MISS: t.scored++; break;
		case V_NOT_SCORED: t.not_scored++; break;
		case V_UNMAPPED: t.unmapped++; break;
		case V_NO_POLICY: t.no_policy++; break;
		case V_FAILED: t.failed++; break;
		case V_PLANNED: break;
		}
		if (rows[i].mapped)
			t.mapped++;
		t.scored += row_missed(&rows[i]);
	}
	return t;
}

/* A prediction's cell for policy @k: its change ± CI, "n/a" (policy not in
 * this build) or "failed". */
static const char *pred_cell(char *buf, size_t len, const struct pred *p, int k)
{
	const struct cell *c = &p->cells[k];

	if (!p->have_policy[k])
		snprintf(buf, len, "n/a");
	else if (!c->n)
		snprintf(buf, len, "failed");
	else
		fmt_change(buf, len, c->mean, c->ci);
	return buf;
}

/* ---- ablation ---------------------------------------------------------------------------- */

/* Whether row @r has an ablation result to show. */
static bool abl_done(const struct row *r)
{
	return r->verdict == V_AGREE || r->verdict == V_MISS || r->verdict == V_NOT_SCORED;
}

/* "-3.1 (moved +2.0)": the change with the switch off, and what the
 * mechanism moved the row by (the full model's change minus it). */
static void abl_cell(char *buf, size_t len, const struct row *r, int a)
{
	if (!isfinite(r->abl_sim[a]))
		snprintf(buf, len, "failed");
	else
		snprintf(buf, len, "%+.1f (moved %+.1f)", r->abl_sim[a], r->abl_moved[a]);
}

/* The ablation table: a row per scored row, a column per switch; a
 * Markdown table with @md, aligned text otherwise. */
static void write_ablation(FILE *f, const struct validation *v, bool md)
{
	char sim[64], cell[64], h[96];

	fprintf(f, md ? "| id | published %% | full model |" : "%-26s %9s  %-16s", "id", "published", "full model");
	for (int k = 0; k < v->nr_abl; k++) {
		snprintf(h, sizeof(h), md ? "`%s=%s`" : "%s=%s", v->abl_key[k], v->abl_value[k]);
		fprintf(f, md ? " %s |" : "  %-24s", h);
	}
	if (md) {
		fputs("\n|---|---:|---:|", f);
		for (int k = 0; k < v->nr_abl; k++)
			fputs("---:|", f);
	}
	fputc('\n', f);
	for (int i = 0; i < v->nr; i++) {
		const struct row *r = &v->rows[i];
		if (!abl_done(r))
			continue;
		fmt_change(sim, sizeof(sim), r->sim, r->ci);
		fprintf(f, md ? "| %s | %+.1f | %s |" : "%-26s %+9.1f  %-16s", r->id, r->published, sim);
		for (int k = 0; k < v->nr_abl; k++) {
			abl_cell(cell, sizeof(cell), r, k);
			fprintf(f, md ? " %s |" : "  %-24s", cell);
		}
		fputc('\n', f);
	}
}

/* ---- text -------------------------------------------------------------------------------- */

/* "k=v, k=v" of the what-if --set values ("" when none). */
static void what_if_str(const struct jobset *js, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < js->nr_sets && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s=%s", i ? ", " : "", js->set_keys[i], js->set_values[i]);
}

void vr_print_text(FILE *f, const struct validation *v)
{
	const struct row *rows = v->rows;
	const struct pred *preds = v->preds;
	int nr = v->nr, np = v->np, pseeds = v->pseeds;
	struct tally t = tally_rows(rows, nr);
	char sim[64], vb[64];

	fprintf(f, "%-26s %-8s %-22s %-18s %-12s %9s  %-16s %s\n", "id", "revision", "machine", "benchmark",
		"metric", "published", "simulated ± CI", "verdict");
	for (int i = 0; i < nr; i++) {
		const struct row *r = &rows[i];
		char rev[80];
		if (r->verdict == V_UNMAPPED)
			continue;
		fmt_change(sim, sizeof(sim), (r->verdict == V_AGREE || r->verdict == V_MISS ||
					     r->verdict == V_NOT_SCORED) ? r->sim : NAN, r->ci);
		fprintf(f, "%-26s %-8s %-22s %-18s %-12s %+9.1f  %-16s %s", r->id, rev_label(r, rev, sizeof(rev)), r->machine,
			r->benchmark, r->metric, r->published, sim, row_status_text(r, vb, sizeof(vb)));
		if (r->verdict == V_NO_POLICY || r->verdict == V_FAILED)
			fprintf(f, ": %s", r->reason);
		if (r->activity[0])
			fprintf(f, "\n%-26s %s: %s", "", r->policy, r->activity);
		fputc('\n', f);
	}
	if (v->nr_abl) {
		fprintf(f, "\nABLATION (%d seeds): %% change with each switch alone, and what the mechanism moved "
			"(full model - without it, paired by seed)\n", v->aseeds);
		write_ablation(f, v, false);
	}
	if (t.unmapped) {
		fprintf(f, "\nunmapped rows (each a scored miss, unless 3 %% <= |published| < 5 %%):\n");
		for (int i = 0; i < nr; i++)
			if (rows[i].verdict == V_UNMAPPED)
				fprintf(f, "  %-26s %s %s \"%s\" %s: %s\n", rows[i].id, rows[i].machine,
					rows[i].benchmark, rows[i].params, rows[i].metric, rows[i].reason);
	}
	if (np) {
		fprintf(f, "\nPREDICTIONS (no published data; not scored; %d seeds): %% change vs cfs, + = CAS better\n", pseeds);
		fprintf(f, "%-20s %-18s %-30s %-11s %12s", "machine", "benchmark", "params", "metric", "cfs");
		for (int k = 0; vm_predict_policies[k]; k++)
			fprintf(f, "  %-16s", vm_predict_policies[k]);
		fputc('\n', f);
		for (int i = 0; i < np; i++) {
			const struct pred *p = &preds[i];
			fprintf(f, "%-20s %-18s %-30s %-11s ", p->machine, p->p->benchmark, p->p->params, p->p->metric);
			if (!p->mapped) {
				fprintf(f, "unmapped: %s\n", p->reason);
				continue;
			}
			if (p->cells[0].n)
				fprintf(f, "%12.6g", p->cells[0].base_mean);
			else
				fprintf(f, "%12s", "-");
			for (int k = 0; vm_predict_policies[k]; k++)
				fprintf(f, "  %-16s", pred_cell(sim, sizeof(sim), p, k));
			fputc('\n', f);
		}
	}
	fprintf(f, "\n%d rows: %d mapped, %d unmapped; %d scored (unmapped and failed rows are misses), %d not scored (3 %% <= |published| < 5 %%), "
		"%d policy not available, %d failed; %d of %d agreeing signed rows within 2x\n",
		t.rows, t.mapped, t.unmapped, t.scored, t.not_scored, t.no_policy, t.failed, t.within_2x,
		t.signed_agree);
	if (v->only[0])
		fprintf(f, "rows: only ids matching %s\n", v->only);
	if (v->js.nr_sets) {
		char w[1024];
		what_if_str(&v->js, w, sizeof(w));
		fprintf(f, "what-if: every run also had %s (not the machine profiles)\n", w);
	}
	fprintf(f, "agreement: %d of %d scored rows\n", t.agree, t.scored);
}

/* ---- JSON -------------------------------------------------------------------------------- */

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *map_json(const struct vm_map *m, const struct cell *cells, int seeds, bool ran)
{
	json_t *o = json_object(), *vars = json_array(), *ps = json_object();

	json_object_set_new(o, "workload", json_string(m->workload));
	json_object_set_new(o, "metric", json_string(m->metric));
	json_object_set_new(o, "stat", json_string(m->stat));
	json_object_set_new(o, "sense", json_string(vr_sense_name(m->sense)));
	json_object_set_new(o, "notes", json_string(m->notes));
	for (int i = 0; i < m->nr_policy_sets; i++)
		json_object_set_new(ps, m->policy_sets[i].key, json_string(m->policy_sets[i].value));
	json_object_set_new(o, "policy_sets", ps);
	for (int v = 0; v < m->nr_variants; v++) {
		json_t *jv = json_object(), *sets = json_object(), *per = json_array();
		json_object_set_new(jv, "label", json_string(m->var[v].label));
		for (int i = 0; i < m->var[v].nr_sets; i++)
			json_object_set_new(sets, m->var[v].sets[i].key, json_string(m->var[v].sets[i].value));
		json_object_set_new(jv, "sets", sets);
		json_object_set_new(jv, "duration_ns", json_integer((json_int_t)m->var[v].duration));
		if (ran && cells) {
			const struct cell *c = &cells[v];
			json_object_set_new(jv, "change_pct", jnum(c->mean));
			json_object_set_new(jv, "ci95_pct", jnum(c->ci));
			json_object_set_new(jv, "baseline_mean", c->n ? jnum(c->base_mean) : json_null());
			json_object_set_new(jv, "cas_mean", c->n ? jnum(c->cas_mean) : json_null());
			if (c->err[0])
				json_object_set_new(jv, "error", json_string(c->err));
			for (int s = 0; s < c->n; s++) {
				json_t *ps1 = json_object();
				json_object_set_new(ps1, "seed", json_integer(s + 1));
				json_object_set_new(ps1, "baseline", jnum(c->bval[s]));
				json_object_set_new(ps1, "cas", jnum(c->cval[s]));
				json_object_set_new(ps1, "change_pct", jnum(c->chg[s]));
				json_array_append_new(per, ps1);
			}
			json_object_set_new(jv, "per_seed", per);
		} else {
			json_decref(per);
		}
		json_array_append_new(vars, jv);
	}
	json_object_set_new(o, "variants", vars);
	(void)seeds;
	return o;
}

/* Policy observations of the revision's runs (mean over seeds), so that a
 * miss can be traced to "the revision never aggregated". */
/* The revision's share of runtime in its preferred LLC from policy_obs()'s
 * object, NAN when there is none. */
static double obs_pref_frac(json_t *obs)
{
	json_t *pf = json_object_get(obs, "pref_llc_runtime_frac");

	return json_is_number(pf) ? json_number_value(pf) : NAN;
}

static json_t *policy_obs(const struct jobset *js, const struct cell *c, int seeds)
{
	json_t *acc = json_object();
	int n = 0;

	for (int s = 0; s < seeds; s++) {
		const struct job *j = &js->jobs[c->cas_job[s]];
		json_t *pm, *tot;
		const char *k;
		json_t *v;

		if (j->status || !j->result)
			continue;
		pm = json_object_get(json_object_get(j->result, "results"), "policy");
		tot = json_object_get(pm, "total");
		if (!json_is_object(tot))
			continue;
		n++;
		json_object_foreach(tot, k, v) {
			json_t *a = json_object_get(acc, k);
			if (!json_is_number(v))
				continue;
			json_object_set_new(acc, k, json_real((a ? json_number_value(a) : 0) + json_number_value(v)));
		}
	}
	if (!n) {
		json_decref(acc);
		return NULL;
	}
	{
		const char *k;
		json_t *v;
		json_object_foreach(acc, k, v)
			json_real_set(v, json_number_value(v) / n);
	}
	return acc;
}

json_t *vr_json(const struct validation *v)
{
	const struct row *rows = v->rows;
	const struct pred *preds = v->preds;
	const struct jobset *js = &v->js;
	const char *csv = v->csv;
	int nr = v->nr, np = v->np, seeds = v->seeds, pseeds = v->pseeds;
	double scale = v->scale;
	bool ran = true;
	json_t *root = json_object(), *jr = json_array(), *jp = json_array(), *ag = json_object();
	struct tally t = tally_rows(rows, nr);

	json_object_set_new(root, "cassim_version", json_string(PACKAGE_VERSION));
	json_object_set_new(root, "csv", json_string(csv));
	json_object_set_new(root, "seeds", json_integer(seeds));
	json_object_set_new(root, "duration_scale", json_real(scale));
	if (v->only[0])
		json_object_set_new(root, "only", json_string(v->only));
	if (v->js.nr_sets) {
		json_t *w = json_object();
		for (int i = 0; i < v->js.nr_sets; i++)
			json_object_set_new(w, v->js.set_keys[i], json_string(v->js.set_values[i]));
		json_object_set_new(root, "what_if", w);
	}
	if (v->nr_abl) {
		json_t *ab = json_object(), *keys = json_array();
		for (int a = 0; a < v->nr_abl; a++) {
			char kv[256];
			snprintf(kv, sizeof(kv), "%s=%s", v->abl_key[a], v->abl_value[a]);
			json_array_append_new(keys, json_string(kv));
		}
		json_object_set_new(ab, "seeds", json_integer(v->aseeds));
		json_object_set_new(ab, "sets", keys);
		json_object_set_new(root, "ablation", ab);
	}
	json_object_set_new(root, "rule",
			    json_string(RULE_TEXT));
	for (int i = 0; i < nr; i++) {
		const struct row *r = &rows[i];
		json_t *o = json_object();
		double pref_frac = NAN;
		json_object_set_new(o, "id", json_string(r->id));
		json_object_set_new(o, "line", json_integer(r->line));
		json_object_set_new(o, "revision", json_string(r->revision));
		json_object_set_new(o, "machine", json_string(r->machine));
		json_object_set_new(o, "benchmark", json_string(r->benchmark));
		json_object_set_new(o, "params", json_string(r->params));
		json_object_set_new(o, "metric", json_string(r->metric));
		json_object_set_new(o, "published_pct", json_real(r->published));
		json_object_set_new(o, "source", json_string(r->source));
		json_object_set_new(o, "policy", r->policy[0] ? json_string(r->policy) : json_null());
		json_object_set_new(o, "baseline", json_string(r->baseline));
		json_object_set_new(o, "baseline_policy", r->base_policy[0] ? json_string(r->base_policy) : json_null());
		json_object_set_new(o, "verdict", json_string(vr_verdict_name[r->verdict]));
		json_object_set_new(o, "scored", json_boolean(r->verdict == V_AGREE || r->verdict == V_MISS ||
							      row_missed(r)));
		if (r->verdict == V_MISS)
			json_object_set_new(o, "miss_why", json_string(r->why));
		if (r->reason[0])
			json_object_set_new(o, "reason", json_string(r->reason));
		if (r->activity_kind != CAS_VERDICT_NONE)
			json_object_set_new(o, "policy_verdict",
					    json_pack("{s:s, s:i, s:s}", "kind",
						      cas_verdict_name((enum cas_verdict)r->activity_kind), "code",
						      r->activity_kind, "text", r->activity));
		if (r->mapped) {
			bool done = r->verdict == V_AGREE || r->verdict == V_MISS || r->verdict == V_NOT_SCORED;
			json_object_set_new(o, "mapping", map_json(&r->map, r->cells, seeds, ran && r->cells[0].base_job));
			json_object_set_new(o, "simulated_pct", done ? jnum(r->sim) : json_null());
			json_object_set_new(o, "ci95_pct", done ? jnum(r->ci) : json_null());
			if (done) {
				json_object_set_new(o, "within_2x", json_boolean(r->within_2x));
				json_object_set_new(o, "within_10x", json_boolean(r->verdict == V_AGREE &&
										  fabs(r->published) >= 5));
				json_object_set_new(o, "significant", json_boolean(r->significant));
				if (r->chosen >= 0 && r->map.nr_variants > 1)
					json_object_set_new(o, "reported_variant", json_string(r->map.var[r->chosen].label));
				{
					json_t *obs = policy_obs(js, &r->cells[r->chosen >= 0 ? r->chosen : 0], seeds);
					if (obs) {
						pref_frac = obs_pref_frac(obs);
						json_object_set_new(o, "policy_observations", obs);
					}
				}
			}
			if (v->nr_abl && abl_done(r)) {
				json_t *ab = json_array();
				for (int a = 0; a < v->nr_abl; a++) {
					json_t *x = json_object();
					json_object_set_new(x, "key", json_string(v->abl_key[a]));
					json_object_set_new(x, "value", json_string(v->abl_value[a]));
					json_object_set_new(x, "simulated_pct", jnum(r->abl_sim[a]));
					json_object_set_new(x, "ci95_pct", jnum(r->abl_ci[a]));
					json_object_set_new(x, "moved_pct", jnum(r->abl_moved[a]));
					json_array_append_new(ab, x);
				}
				json_object_set_new(o, "ablation", ab);
			}
			if (r->verdict == V_MISS)
				json_object_set_new(o, "model_needs",
						    json_string(vm_miss_note(r->map.bench, r->published, pref_frac)));
		}
		json_array_append_new(jr, o);
	}
	json_object_set_new(root, "rows", jr);
	for (int i = 0; i < np; i++) {
		const struct pred *p = &preds[i];
		json_t *o = json_object(), *pol = json_object();
		json_object_set_new(o, "machine", json_string(p->machine));
		json_object_set_new(o, "benchmark", json_string(p->p->benchmark));
		json_object_set_new(o, "params", json_string(p->p->params));
		json_object_set_new(o, "metric", json_string(p->p->metric));
		json_object_set_new(o, "what", json_string(p->p->what));
		if (!p->mapped) {
			json_object_set_new(o, "reason", json_string(p->reason));
			json_array_append_new(jp, o);
			json_decref(pol);
			continue;
		}
		json_object_set_new(o, "mapping", map_json(&p->map, NULL, pseeds, false));
		json_object_set_new(o, "cfs_mean", p->cells[0].n ? jnum(p->cells[0].base_mean) : json_null());
		for (int k = 0; vm_predict_policies[k]; k++) {
			const struct cell *c = &p->cells[k];
			json_t *x = json_object();
			if (!p->have_policy[k]) {
				json_object_set_new(x, "status", json_string("policy not available"));
			} else if (!c->n) {
				json_object_set_new(x, "status", json_string("failed"));
				json_object_set_new(x, "error", json_string(c->err));
			} else {
				json_object_set_new(x, "status", json_string("ok"));
				json_object_set_new(x, "change_pct", jnum(c->mean));
				json_object_set_new(x, "ci95_pct", jnum(c->ci));
				json_object_set_new(x, "mean", jnum(c->cas_mean));
			}
			json_object_set_new(pol, vm_predict_policies[k], x);
		}
		json_object_set_new(o, "policies", pol);
		json_array_append_new(jp, o);
	}
	json_object_set_new(root, "predictions", jp);
	json_object_set_new(root, "prediction_seeds", json_integer(np ? pseeds : 0));
	json_object_set_new(ag, "agree", json_integer(t.agree));
	json_object_set_new(ag, "scored", json_integer(t.scored));
	json_object_set_new(ag, "within_2x", json_integer(t.within_2x));
	json_object_set_new(ag, "not_scored", json_integer(t.not_scored));
	json_object_set_new(ag, "unmapped", json_integer(t.unmapped));
	json_object_set_new(ag, "policy_not_available", json_integer(t.no_policy));
	json_object_set_new(ag, "failed", json_integer(t.failed));
	json_object_set_new(root, "agreement", ag);
	return root;
}

/* ---- files ------------------------------------------------------------------------------- */

/* DIR/NAME, written atomically (report/file.c); NULL with @err. */
static FILE *open_out(const char *dir, const char *name, struct afile *a, struct diag *err)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return afile_open(a, path, err) ? NULL : a->f;
}

static void csv_cell_rows(FILE *f, const char *kind, const char *id, const char *rev, const char *machine,
			  const char *bench, const char *params, const char *policy, const struct vm_map *m,
			  const struct cell *c, int v)
{
	const char *label = m->var[v].label;

	for (int s = 0; s < c->n; s++) {
		fprintf(f, "%s,", kind);
		report_csv_field(f, id), fputc(',', f);
		report_csv_field(f, rev), fputc(',', f);
		report_csv_field(f, machine), fputc(',', f);
		report_csv_field(f, bench), fputc(',', f);
		report_csv_field(f, params), fputc(',', f);
		report_csv_field(f, label), fputc(',', f);
		fprintf(f, "%s,%d,%s,%s,%.9g,%.9g,%.6f,ok\n", policy, s + 1, m->metric, m->stat, c->bval[s],
			c->cval[s], c->chg[s]);
	}
	if (!c->n && c->err[0]) {
		fprintf(f, "%s,", kind);
		report_csv_field(f, id), fputc(',', f);
		report_csv_field(f, rev), fputc(',', f);
		report_csv_field(f, machine), fputc(',', f);
		report_csv_field(f, bench), fputc(',', f);
		report_csv_field(f, params), fputc(',', f);
		report_csv_field(f, label), fputc(',', f);
		fprintf(f, "%s,,%s,%s,,,,", policy, m->metric, m->stat);
		report_csv_field(f, c->err);
		fputc('\n', f);
	}
}

static int write_results_csv(const char *dir, const struct row *rows, int nr, const struct pred *preds,
			     int np, struct diag *err)
{
	struct afile a;
	FILE *f = open_out(dir, "results.csv", &a, err);

	if (!f)
		return -1;
	fprintf(f, "kind,id,revision,machine,benchmark,params,variant,policy,seed,metric,stat,baseline,cas,change_pct,status\n");
	for (int i = 0; i < nr; i++) {
		const struct row *r = &rows[i];
		if (!r->mapped || !r->cells[0].base_job)
			continue;
		for (int v = 0; v < r->map.nr_variants; v++)
			csv_cell_rows(f, "validation", r->id, r->revision, r->machine, r->benchmark, r->params,
				      r->policy, &r->map, &r->cells[v], v);
	}
	for (int i = 0; i < np; i++) {
		const struct pred *p = &preds[i];
		char id[64];
		if (!p->mapped)
			continue;
		snprintf(id, sizeof(id), "predict-%d", i + 1);
		for (int k = 0; vm_predict_policies[k]; k++)
			if (p->have_policy[k])
				csv_cell_rows(f, "prediction", id, "", p->machine, p->p->benchmark, p->p->params,
					      vm_predict_policies[k], &p->map, &p->cells[k], 0);
	}
	return afile_commit(&a, err);
}

static void md_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
	}
}

/* What the revision's policy reported in the row's runs, in one sentence
 * (empty when it reported nothing): whether it aggregated at all is the
 * first question a miss raises. */
/* The revision's counters in one sentence; returns its share of runtime in
 * the preferred LLC (NAN when the runs have no such counter). */
static double obs_sentence(const struct jobset *js, const struct row *r, int seeds, char *buf, size_t len)
{
	json_t *o = policy_obs(js, &r->cells[r->chosen >= 0 ? r->chosen : 0], seeds);
	json_t *pf, *lb, *ab, *gt, *gm;
	double frac = NAN;

	buf[0] = '\0';
	if (!o)
		return frac;
	pf = json_object_get(o, "pref_llc_runtime_frac");
	lb = json_object_get(o, "llc_balance_migrations");
	ab = json_object_get(o, "llc_active_migrations");
	gt = json_object_get(o, "gate_trips_threads");
	gm = json_object_get(o, "gate_trips_memory");
	if (pf && lb && ab && gt && gm)
		snprintf(buf, len,
			 " Observed in the %s runs (mean over seeds): %.0f %% of the runtime on the preferred LLC, "
			 "%.0f LLC-balance and %.0f active LLC migrations, %.0f thread-gate and %.0f memory-gate trips.",
			 r->policy, 100 * json_number_value(pf), json_number_value(lb), json_number_value(ab),
			 json_number_value(gt), json_number_value(gm));
	frac = obs_pref_frac(o);
	json_decref(o);
	return frac;
}

static int write_report(const char *dir, const struct validation *v, struct diag *err)
{
	const char *csv = v->csv, *cmdline = v->cmdline;
	int seeds = v->seeds, nr = v->nr, np = v->np, pseeds = v->pseeds;
	double scale = v->scale;
	const struct row *rows = v->rows;
	const struct pred *preds = v->preds;
	const struct jobset *js = &v->js;
	char sim[64], vb[64], w[1024];
	struct afile a;
	FILE *f = open_out(dir, "report.md", &a, err);
	struct tally t = tally_rows(rows, nr);
	int nmiss = 0;

	if (!f)
		return -1;
	fprintf(f, "# cassim validation: published Cache Aware Scheduling results vs the simulator\n\n");
	fprintf(f, "Generated by `%s` (cassim %s) from `%s`: %d seeds per configuration, paired "
		"(the baseline, `cfs` unless a row names a revision, and the revision run with the same seeds), run lengths x %g "
		"(papers/validation/README.md gives the mapping of every row and the run lengths). ",
		cmdline, PACKAGE_VERSION, csv, seeds, scale);
	what_if_str(js, w, sizeof(w));
	if (w[0])
		fprintf(f, "**What-if run:** every run, baseline and revision alike, also had `%s`. These are not "
			"the machine profiles, so the agreement below is not the validation's; it shows how the "
			"rows depend on those values.\n\n", w);
	else
		fprintf(f, "One parameter set per machine profile: no row is tuned.\n\n");
	if (v->only[0])
		fprintf(f, "Rows: only the ids matching `%s`.\n\n", v->only);
	fprintf(f, "Change in %%, + = CAS better (less time or latency, more throughput), as the authors report it; "
		"simulated = mean of the per-seed changes ± the 95 %% confidence half-width (Student t).\n\n"
		"Agreement rule (published.md): %s.\n\n", RULE_TEXT);
	fprintf(f, "## Published vs simulated\n\n");
	fprintf(f, "| id | revision | machine | benchmark | params | metric | published %% | simulated %% (95%% CI) | verdict | "
		"what the policy did |\n");
	fprintf(f, "|---|---|---|---|---|---|---:|---:|---|---|\n");
	for (int i = 0; i < nr; i++) {
		const struct row *r = &rows[i];
		bool done = r->verdict == V_AGREE || r->verdict == V_MISS || r->verdict == V_NOT_SCORED;
		char rev[80];
		if (r->verdict == V_UNMAPPED)
			continue;
		fmt_change(sim, sizeof(sim), done ? r->sim : NAN, r->ci);
		fprintf(f, "| %s | %s | %s | %s | ", r->id, rev_label(r, rev, sizeof(rev)), r->machine, r->benchmark);
		md_escape(f, r->params);
		fprintf(f, " | %s | %+.1f | %s | %s", r->metric, r->published, sim, row_status_text(r, vb, sizeof(vb)));
		if (r->verdict == V_NO_POLICY || r->verdict == V_FAILED) {
			fputs(": ", f);
			md_escape(f, r->reason);
		}
		fputs(" | ", f);
		md_escape(f, r->activity);
		fputs(" |\n", f);
	}
	fprintf(f, "\n");
	for (int i = 0; i < nr; i++)
		nmiss += rows[i].verdict == V_MISS;
	if (nmiss) {
		fprintf(f, "## Misses: what the model would need\n\n");
		for (int i = 0; i < nr; i++) {
			const struct row *r = &rows[i];
			if (r->verdict != V_MISS)
				continue;
			char obs[512];
			double frac;
			fmt_change(sim, sizeof(sim), r->sim, r->ci);
			frac = obs_sentence(js, r, seeds, obs, sizeof(obs));
			fprintf(f, "- **%s** (published %+.1f %%, simulated %s %%: %s): %s.%s\n", r->id, r->published,
				sim, r->why, vm_miss_note(r->map.bench, r->published, frac), obs);
		}
		fprintf(f, "\n");
	}
	if (v->nr_abl) {
		fprintf(f, "## Ablation: what each mechanism moved\n\n"
			"Every row run again with one switch at a time (%d seeds, the same seeds as the first of the "
			"full model's): the simulated %% change without the mechanism, and in brackets what the mechanism "
			"moved the row by (the full model's change minus the ablated one, paired by seed over those "
			"seeds).\n\n", v->aseeds);
		write_ablation(f, v, true);
		fputc('\n', f);
	}
	if (t.unmapped) {
		fprintf(f, "## Unmapped rows\n\nEach counts as a scored miss (unless 3 %% <= |published| < 5 %%).\n\n");
		for (int i = 0; i < nr; i++)
			if (rows[i].verdict == V_UNMAPPED) {
				fprintf(f, "- **%s** (%s, %s, %s `", rows[i].id, rows[i].revision, rows[i].machine,
					rows[i].benchmark);
				md_escape(f, rows[i].params);
				fprintf(f, "`, %s, published %+.1f %%): %s.\n", rows[i].metric, rows[i].published,
					rows[i].reason);
			}
		fprintf(f, "\n");
	}
	{
		bool any = false;
		for (int i = 0; i < nr; i++)
			any |= rows[i].mapped && rows[i].map.notes[0];
		if (any) {
			fprintf(f, "## Assumptions applied to rows\n\n");
			for (int i = 0; i < nr; i++)
				if (rows[i].mapped && rows[i].map.notes[0]) {
					char sets[512];
					vr_sets_str(&rows[i].map.var[0], sets, sizeof(sets));
					fprintf(f, "- %s: %s (runs: `%s`", rows[i].id, rows[i].map.notes, sets);
					if (rows[i].map.nr_variants > 1)
						fprintf(f, ", %d variants", rows[i].map.nr_variants);
					fprintf(f, ")\n");
				}
			fprintf(f, "\n");
		}
	}
	if (np) {
		fprintf(f, "## PREDICTIONS (no published data; not scored)\n\n");
		fprintf(f, "The same benchmarks on the mission's target machines, for which the authors published no "
			"per-test numbers. These are cassim's predictions with the same machine-profile rules and run "
			"lengths as above, %d seeds: %% change vs `cfs` (+ = CAS better) ± 95 %% CI; `n/a` = policy not in "
			"this build.\n\n", pseeds);
		fprintf(f, "| machine | benchmark | params | metric | cfs (mean) |");
		for (int k = 0; vm_predict_policies[k]; k++)
			fprintf(f, " %s |", vm_predict_policies[k]);
		fprintf(f, "\n|---|---|---|---|---:|");
		for (int k = 0; vm_predict_policies[k]; k++)
			fprintf(f, "---:|");
		fputc('\n', f);
		for (int i = 0; i < np; i++) {
			const struct pred *p = &preds[i];
			char sets[512] = "";
			if (p->mapped)
				vr_sets_str(&p->map.var[0], sets, sizeof(sets));
			fprintf(f, "| %s | %s | `%s` | %s | ", p->machine, p->p->benchmark, p->mapped ? sets : p->p->params,
				p->p->metric);
			if (!p->mapped) {
				fprintf(f, "unmapped: %s |", p->reason);
				for (int k = 0; vm_predict_policies[k]; k++)
					fprintf(f, " |");
				fputc('\n', f);
				continue;
			}
			if (p->cells[0].n)
				fprintf(f, "%.6g |", p->cells[0].base_mean);
			else
				fprintf(f, "- |");
			for (int k = 0; vm_predict_policies[k]; k++)
				fprintf(f, " %s |", pred_cell(sim, sizeof(sim), p, k));
			fputc('\n', f);
		}
		fprintf(f, "\n");
	}
	fprintf(f, "## Summary\n\n");
	fprintf(f, "%d rows: %d mapped, %d unmapped; %d scored (%d agree; of the %d agreeing rows with "
		"|published| >= 5 %%, %d are within 2x), %d not scored (3 %% <= |published| < 5 %%), %d with the "
		"policy not available in this build, %d failed.\n\n",
		t.rows, t.mapped, t.unmapped, t.scored, t.agree, t.signed_agree, t.within_2x, t.not_scored,
		t.no_policy, t.failed);
	fprintf(f, "agreement: %d of %d scored rows\n", t.agree, t.scored);
	return afile_commit(&a, err);
}

/* scatter.dat for papers/validation/scatter.gp: one line per run row. */
static int write_scatter(const char *dir, const struct row *rows, int nr, struct diag *err)
{
	struct afile a;
	FILE *f = open_out(dir, "scatter.dat", &a, err);

	if (!f)
		return -1;
	fprintf(f, "# id published simulated ci95 class (0 agree, 1 miss, 2 not scored) revision\n");
	for (int i = 0; i < nr; i++) {
		const struct row *r = &rows[i];
		int cls;
		if (r->verdict == V_AGREE)
			cls = 0;
		else if (r->verdict == V_MISS)
			cls = 1;
		else if (r->verdict == V_NOT_SCORED)
			cls = 2;
		else
			continue;
		fprintf(f, "%s %.4f %.4f %.4f %d %s\n", r->id, r->published, r->sim, isfinite(r->ci) ? r->ci : 0.0,
			cls, r->revision);
	}
	return afile_commit(&a, err);
}

int vr_plot_check(char *script, size_t len, struct diag *err)
{
	if (!gp_available())
		return diag_set(err, "--plot needs gnuplot, which was not found on PATH (install the Debian package gnuplot-nox, or leave out --plot)");
	if (!gp_find_script(study_data_dirs("papers/validation"), "scatter.gp", script, len))
		return diag_set(err, "--plot: papers/validation/scatter.gp not found in the data directories (set CASSIM_DATADIR to the source tree)");
	return 0;
}

/* scatter.gp with dir='DIR': DIR/scatter.dat -> DIR/scatter.png and .svg */
static int plot_scatter(const char *dir, const char *script, struct diag *err)
{
	char prefix[4096], *vars = NULL;
	size_t n = 0;
	FILE *e = open_memstream(&vars, &n);
	int rc;

	if (!e)
		return diag_set(err, "out of memory");
	fputs("dir=", e);
	gp_str(e, dir);
	if (fclose(e)) {
		free(vars);
		return diag_set(err, "out of memory");
	}
	snprintf(prefix, sizeof(prefix), "%s/scatter", dir);
	rc = gp_render(script, vars, prefix, err);
	if (rc)
		diag_prefix(err, "--plot: ");
	free(vars);
	return rc;
}

int vr_write_files(const struct validation *v, const char *dir, const char *plot_script, struct diag *err)
{
	json_t *root = vr_json(v);
	struct afile a;
	FILE *f = open_out(dir, "results.json", &a, err);
	int bad = !f;

	if (f) {
		bad = json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0;
		fputc('\n', f);
		if (bad) {
			afile_abort(&a);
			diag_set(err, "%s: write error", a.path);
		} else {
			bad = afile_commit(&a, err) != 0;
		}
	}
	json_decref(root);
	if (bad || write_results_csv(dir, v->rows, v->nr, v->preds, v->np, err) ||
	    write_report(dir, v, err))
		return -1;
	if (plot_script && (write_scatter(dir, v->rows, v->nr, err) || plot_scatter(dir, plot_script, err)))
		return -1;
	return 0;
}
