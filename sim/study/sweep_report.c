/*
 * cassim sweep --report: mmtests-style comparison tables from a sweep's job
 * files.  A block per topology, workload and metric; in it, a row per
 * combination of the parameter values and a column per policy, the
 * baseline first: the mean over the seeds, the change against the
 * baseline in % (+ = better, by the metric's direction) and a mark from the
 * p-value of Welch's t-test (or the paired t-test by seed), Holm-adjusted
 * over every comparison of the report.  A policy that an axis does not
 * apply to (cfs in a grid of CAS tunables) has the same runs in every row
 * of that axis.  Hedges' g, the raw and adjusted p go to --report-csv and
 * --json.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"
#include "study/study.h"
#include "study/sweep.h"
#include "study/verdicts.h"
#include "report/file.h"
#include "report/report.h"
#include "report/scalars.h"
#include "report/stats.h"
#include "base/xalloc.h"

#define LEVEL 0.95

struct cell {
	double *v;                  /* [nr_seeds], NaN: no run */
	struct stats_summary sum;
	struct stats_ttest t;       /* vs the baseline */
	double pct, g, p_holm;
	bool exact, compared;
};

struct row {
	const char **vals;          /* [nr_axes] */
	struct cell *cell;          /* [nr_policies], in column order */
};

struct block {
	const char *topology, *workload;
	char metric[128], unit[32];
	enum stats_dir dir;
	bool *shown;                /* [nr_axes]: columns of this block */
	int nr_rows;
	struct row *rows;
};

struct rep {
	const struct sweep_plan *p;
	const struct sweep_report_opts *o;
	struct scalar **sc;         /* [nr_jobs] */
	int *nsc;
	double (*vc)[CAS_VERDICT_NR_COUNTERS]; /* [nr_jobs]: verdict counters, NaN: no run */
	int *col;                   /* column order: policy indices, baseline first */
	int nr_blocks;
	struct block *b;
	int family;                 /* comparisons in the Holm family */
	const struct study_io *io;  /* where the tables and messages go */
};

/* ", did you mean NAME?" for a --metric no job reports: the closest of
 * the metrics the jobs report. */
static char *metric_hint(const struct rep *r, const char *metric, char *buf, size_t len)
{
	int total = 0, n = 0;
	const char **names;

	for (int k = 0; k < r->p->nr_jobs; k++)
		total += r->nsc[k] > 0 ? r->nsc[k] : 0;
	names = xcalloc((size_t)(total ? total : 1), sizeof(*names));
	for (int k = 0; names && k < r->p->nr_jobs; k++)
		for (int m = 0; m < r->nsc[k]; m++)
			names[n++] = r->sc[k][m].name;
	suggest_hint(buf, len, metric, names, n);
	free(names);
	return buf;
}

static const char *dir_word(enum stats_dir d)
{
	return d == STATS_HIGHER ? "higher" : d == STATS_LOWER ? "lower" : "none";
}

static int seed_index(const struct sweep_plan *p, uint64_t seed)
{
	for (int s = 0; s < p->nr_seeds; s++)
		if (p->seeds[s] == seed)
			return s;
	return -1;
}

static int policy_index(const struct sweep_plan *p, const char *pol)
{
	for (int k = 0; k < p->nr_policies; k++)
		if (!strcmp(p->policies[k], pol))
			return k;
	return -1;
}

/* @j's values fit @row: equal where @j has a value (none: every row). */
static bool fits(const struct sweep_plan *p, const struct sweep_job *j, const char **row)
{
	for (int a = 0; a < p->nr_axes; a++)
		if (j->values[a] && j->values[a] != row[a])
			return false;
	return true;
}

/* Rows of (topology, workload): the distinct value tuples of its jobs,
 * without those another tuple refines (cfs's tuple without the CAS axes). */
static int block_rows(struct rep *r, const char *t, const char *w, struct row **out)
{
	const struct sweep_plan *p = r->p;
	struct row *rows = NULL;
	int n = 0;

	for (int k = 0; k < p->nr_jobs; k++) {
		const struct sweep_job *j = &p->jobs[k];
		bool dup = false;

		if (j->topology != t || strcmp(j->workload, w))
			continue;
		for (int i = 0; i < n && !dup; i++)
			dup = !memcmp(rows[i].vals, j->values, (size_t)p->nr_axes * sizeof(*j->values));
		if (dup)
			continue;
		struct row *nr = xrealloc(rows, (size_t)(n + 1) * sizeof(*rows));
		rows = nr;
		rows[n++] = (struct row){ .vals = j->values };
	}
	for (int i = 0; i < n; i++) {
		bool refined = false;

		for (int k = 0; k < n && !refined; k++) {
			bool more = false, ok = k != i;
			for (int a = 0; a < p->nr_axes && ok; a++) {
				if (rows[i].vals[a] && rows[i].vals[a] != rows[k].vals[a])
					ok = false;
				more |= !rows[i].vals[a] && rows[k].vals[a];
			}
			refined = ok && more;
		}
		if (refined) {
			memmove(&rows[i], &rows[i + 1], (size_t)(n - i - 1) * sizeof(*rows));
			n--, i--;
		}
	}
	*out = rows;
	return n;
}

static double value_of(const struct rep *r, int job, const char *metric, char *unit, enum stats_dir *dir)
{
	for (int m = 0; m < r->nsc[job]; m++)
		if (!strcmp(r->sc[job][m].name, metric)) {
			snprintf(unit, 32, "%s", r->sc[job][m].unit);
			*dir = r->sc[job][m].dir;
			return r->sc[job][m].value;
		}
	return NAN;
}

static int fill_block(struct rep *r, struct block *b, struct row *rows, int nr_rows)
{
	const struct sweep_plan *p = r->p;
	int S = p->nr_seeds, P = p->nr_policies;

	b->shown = xcalloc((size_t)p->nr_axes + 1, sizeof(*b->shown));
	b->rows = xcalloc((size_t)nr_rows, sizeof(*b->rows));
	b->nr_rows = nr_rows;
	for (int i = 0; i < nr_rows; i++) {
		struct row *row = &b->rows[i];

		row->vals = rows[i].vals;
		row->cell = xcalloc((size_t)P, sizeof(*row->cell));
		for (int a = 0; a < p->nr_axes; a++)
			b->shown[a] |= row->vals[a] != NULL;
		for (int c = 0; c < P; c++) {
			struct cell *cl = &row->cell[c];

			cl->v = xmalloc((size_t)S * sizeof(double));
			for (int s = 0; s < S; s++)
				cl->v[s] = NAN;
		}
		for (int k = 0; k < p->nr_jobs; k++) {
			const struct sweep_job *j = &p->jobs[k];
			int c = 0, pi = policy_index(p, j->policy);

			if (j->topology != b->topology || strcmp(j->workload, b->workload) || !fits(p, j, row->vals))
				continue;
			while (r->col[c] != pi)
				c++;
			row->cell[c].v[seed_index(p, j->seed)] = value_of(r, k, b->metric, b->unit, &b->dir);
		}
	}
	return 0;
}

static int build(struct rep *r)
{
	const struct sweep_plan *p = r->p;

	for (int t = 0; t < p->nr_topologies; t++)
		for (int w = 0; w < p->nr_workloads; w++) {
			struct row *rows;
			int nr_rows = block_rows(r, p->topologies[t], p->workloads[w], &rows);
			char **names = NULL;
			int nn = 0;

			if (nr_rows < 0)
				return -1;
			if (!nr_rows)
				continue;
			/* the metrics of this pair, in order of first appearance */
			for (int k = 0; k < p->nr_jobs; k++) {
				if (p->jobs[k].topology != p->topologies[t] || strcmp(p->jobs[k].workload, p->workloads[w]))
					continue;
				for (int m = 0; m < r->nsc[k]; m++) {
					bool seen = false;
					const char *name = r->sc[k][m].name;

					for (int i = 0; i < nn && !seen; i++)
						seen = !strcmp(names[i], name);
					if (seen || (r->o->metric && strcmp(r->o->metric, name)))
						continue;
					char **nv = xrealloc(names, (size_t)(nn + 1) * sizeof(*names));
					names = nv;
					names[nn++] = r->sc[k][m].name;
				}
			}
			for (int i = 0; i < nn; i++) {
				struct block *nb = xrealloc(r->b, (size_t)(r->nr_blocks + 1) * sizeof(*nb));
				r->b = nb;
				nb = &r->b[r->nr_blocks++];
				memset(nb, 0, sizeof(*nb));
				nb->topology = p->topologies[t];
				nb->workload = p->workloads[w];
				snprintf(nb->metric, sizeof(nb->metric), "%s", names[i]);
				if (fill_block(r, nb, rows, nr_rows)) {
					free(names);
					free(rows);
					return -1;
				}
			}
			free(names);
			free(rows);
		}
	return 0;
}

/* Statistics of every cell, then Holm over every comparison. */
static int analyse(struct rep *r)
{
	int S = r->p->nr_seeds, P = r->p->nr_policies, nf = 0, k = 0;
	double *fam;

	for (int i = 0; i < r->nr_blocks; i++)
		nf += r->b[i].nr_rows * (P - 1);
	fam = xmalloc((size_t)(nf ? nf : 1) * sizeof(double));
	for (int i = 0; i < r->nr_blocks; i++)
		for (int w = 0; w < r->b[i].nr_rows; w++) {
			struct cell *base = &r->b[i].rows[w].cell[0];

			for (int c = 0; c < P; c++) {
				struct cell *cl = &r->b[i].rows[w].cell[c];

				stats_summarize(cl->v, (size_t)S, LEVEL, &cl->sum);
				cl->pct = cl->g = cl->p_holm = NAN;
				if (!c)
					continue;
				if (r->o->paired)
					stats_paired(base->v, cl->v, (size_t)S, LEVEL, &cl->t);
				else
					stats_welch(base->v, (size_t)S, cl->v, (size_t)S, LEVEL, &cl->t);
				cl->pct = stats_pct_change(base->sum.mean, cl->sum.mean, r->b[i].dir);
				cl->g = stats_hedges_g(base->v, (size_t)S, cl->v, (size_t)S);
				/* every seed the same (difference): exact, not a test */
				cl->exact = cl->t.se == 0 && cl->t.diff != 0;
				cl->compared = base->sum.n && cl->sum.n;
				fam[k++] = cl->exact ? NAN : cl->t.p;
			}
		}
	stats_holm(fam, (size_t)nf, fam);
	r->family = 0;
	for (int i = 0; i < nf; i++)
		r->family += isfinite(fam[i]);
	k = 0;
	for (int i = 0; i < r->nr_blocks; i++)
		for (int w = 0; w < r->b[i].nr_rows; w++)
			for (int c = 1; c < P; c++)
				r->b[i].rows[w].cell[c].p_holm = fam[k++];
	free(fam);
	return 0;
}

/* Table marks; "exact" where no test applies (see analyse). */
static const char *mark(const struct cell *c)
{
	return c->exact ? "exact" : stats_mark(c->p_holm);
}

/* ---- output ------------------------------------------------------------------------------ */

static void fmt(char *buf, size_t len, const char *f, double v)
{
	if (isfinite(v))
		snprintf(buf, len, f, v);
	else
		snprintf(buf, len, "-");
}

static void print_tables(const struct rep *r)
{
	const struct sweep_plan *p = r->p;
	int P = p->nr_policies;

	fprintf(r->io->out, "cassim sweep report: %s, %d jobs, %d seeds per cell\n", p->file, p->nr_jobs, p->nr_seeds);
	fprintf(r->io->out, "mean over the seeds per policy; (change vs %s in %%, + = better);\n"
	       "%s; * p < 0.05, ** p < 0.01 after Holm's correction over the %d\n"
	       "comparisons of this report; '-': no run; exact: every seed gave the same %s\n"
	       "(no noise, no test).\n",
	       p->policies[r->col[0]], r->o->paired ? "paired t-test by seed" : "Welch's t-test", r->family,
	       r->o->paired ? "difference" : "values");
	for (int i = 0; i < r->nr_blocks; i++) {
		const struct block *b = &r->b[i];
		int w[64], na = 0;

		fprintf(r->io->out, "\n%s on %s: %s (%s%s%s is better)\n", b->workload, b->topology, b->metric, b->unit,
		       b->unit[0] ? ", " : "", b->dir == STATS_HIGHER ? "higher" : b->dir == STATS_LOWER ? "lower" : "neither");
		if (b->dir == STATS_NEUTRAL)
			fprintf(r->io->out, "  (no direction: changes as measured)\n");
		for (int a = 0; a < p->nr_axes && na < 64; a++)
			if (b->shown[a]) {
				int width = (int)strlen(p->axes[a].name);
				for (int k = 0; k < b->nr_rows; k++)
					if (b->rows[k].vals[a] && (int)strlen(b->rows[k].vals[a]) > width)
						width = (int)strlen(b->rows[k].vals[a]);
				w[na++] = width;
				fprintf(r->io->out, "%-*s  ", width, p->axes[a].name);
			}
		for (int c = 0; c < P; c++)
			/* over the means; the last without trailing blanks */
			fprintf(r->io->out, c ? "%12s%s" : "%14s%s", p->policies[r->col[c]], c && c < P - 1 ? "                 " : "");
		fputc('\n', r->io->out);
		for (int k = 0; k < b->nr_rows; k++) {
			const struct row *row = &b->rows[k];
			char line[4096];
			size_t m = 0;

			na = 0;
			for (int a = 0; a < p->nr_axes; a++)
				if (b->shown[a]) {
					m += (size_t)snprintf(line + m, sizeof(line) - m, "%-*s  ", w[na], row->vals[a] ? row->vals[a] : "-");
					na++;
				}
			for (int c = 0; c < P && m < sizeof(line); c++) {
				const struct cell *cl = &row->cell[c];
				char mean[32], pct[32];

				fmt(mean, sizeof(mean), "%.6g", cl->sum.mean);
				if (!c) {
					m += (size_t)snprintf(line + m, sizeof(line) - m, "%14s", mean);
					continue;
				}
				fmt(pct, sizeof(pct), "%+.2f%%", cl->pct);
				m += (size_t)snprintf(line + m, sizeof(line) - m, "%12s (%8s) %-5s", mean, pct, mark(cl));
			}
			while (m && line[m - 1] == ' ')
				line[--m] = '\0';
			fputs(line, r->io->out);
			fputc('\n', r->io->out);
		}
	}
}

static json_t *jreal(double d)
{
	return isfinite(d) ? json_real(d) : json_null();
}

/* What policy @pi did in the cell of @t, @w and the axis values @vals:
 * cas_verdict() over the mean of its seeds' counters. */
static enum cas_verdict cell_verdict(const struct rep *r, const char *t, const char *w, const char **vals, int pi,
				     char *buf, size_t len)
{
	const struct sweep_plan *p = r->p;
	double (*runs)[CAS_VERDICT_NR_COUNTERS] = xcalloc((size_t)p->nr_seeds + 1, sizeof(*runs));
	enum cas_verdict k;
	int n = 0;

	for (int j = 0; j < p->nr_jobs && n <= p->nr_seeds; j++) {
		const struct sweep_job *job = &p->jobs[j];

		if (job->topology == t && !strcmp(job->workload, w) && policy_index(p, job->policy) == pi &&
		    fits(p, job, vals) && !isnan(r->vc[j][0]))
			memcpy(runs[n++], r->vc[j], sizeof(*runs));
	}
	k = verdict_of_runs(runs, n, buf, len);
	free(runs);
	return k;
}

/* Every cache-aware verdict of the report, as text lines or JSON objects
 * (@out: NULL for text on stdout). */
static void each_verdict(const struct rep *r, json_t *out)
{
	const struct sweep_plan *p = r->p;
	bool any = false;

	for (int t = 0; t < p->nr_topologies; t++)
		for (int w = 0; w < p->nr_workloads; w++) {
			struct row *rows;
			int n = block_rows((struct rep *)r, p->topologies[t], p->workloads[w], &rows);

			for (int i = 0; i < n; i++)
				for (int c = 0; c < p->nr_policies; c++) {
					char text[256], where[1024];
					size_t m = 0;
					json_t *params = out ? json_object() : NULL;
					enum cas_verdict k = cell_verdict(r, p->topologies[t], p->workloads[w],
									  rows[i].vals, r->col[c], text, sizeof(text));

					if (k == CAS_VERDICT_NONE) {
						json_decref(params);
						continue;
					}
					where[0] = '\0';
					for (int a = 0; a < p->nr_axes; a++) {
						if (!rows[i].vals[a])
							continue;
						if (params)
							json_object_set_new(params, p->axes[a].name, json_string(rows[i].vals[a]));
						else if (m < sizeof(where))
							m += (size_t)snprintf(where + m, sizeof(where) - m, " %s=%s",
									      p->axes[a].name, rows[i].vals[a]);
					}
					if (out) {
						json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:s, s:s, s:i, s:s}",
							"topology", p->topologies[t], "workload", p->workloads[w],
							"params", params, "policy", p->policies[r->col[c]],
							"kind", cas_verdict_name(k), "code", (int)k, "text", text));
						continue;
					}
					if (!any)
						fprintf(r->io->out, "\nwhat each cache-aware policy did (mean over the seeds):\n");
					any = true;
					fprintf(r->io->out, "  %s on %s%s, %s: %s\n", p->workloads[w], p->topologies[t], where,
					       p->policies[r->col[c]], text);
				}
			free(rows);
		}
}

static json_t *to_json(const struct rep *r)
{
	const struct sweep_plan *p = r->p;
	json_t *root = json_object(), *blocks = json_array();

	json_object_set_new(root, "plan", json_string(p->file));
	json_object_set_new(root, "baseline", json_string(p->policies[r->col[0]]));
	json_object_set_new(root, "test", json_string(r->o->paired ? "paired" : "welch"));
	json_object_set_new(root, "comparisons", json_integer(r->family));
	for (int i = 0; i < r->nr_blocks; i++) {
		const struct block *b = &r->b[i];

		for (int k = 0; k < b->nr_rows; k++) {
			json_t *o = json_object(), *params = json_object(), *pols = json_array();

			json_object_set_new(o, "topology", json_string(b->topology));
			json_object_set_new(o, "workload", json_string(b->workload));
			for (int a = 0; a < p->nr_axes; a++)
				if (b->rows[k].vals[a])
					json_object_set_new(params, p->axes[a].name, json_string(b->rows[k].vals[a]));
			json_object_set_new(o, "params", params);
			json_object_set_new(o, "metric", json_string(b->metric));
			json_object_set_new(o, "unit", json_string(b->unit));
			json_object_set_new(o, "better", json_string(dir_word(b->dir)));
			for (int c = 0; c < p->nr_policies; c++) {
				const struct cell *cl = &b->rows[k].cell[c];
				json_t *q = json_object(), *vals = json_array();

				json_object_set_new(q, "policy", json_string(p->policies[r->col[c]]));
				json_object_set_new(q, "n", json_integer((json_int_t)cl->sum.n));
				json_object_set_new(q, "mean", jreal(cl->sum.mean));
				json_object_set_new(q, "sd", jreal(cl->sum.sd));
				if (c) {
					json_object_set_new(q, "change_pct", jreal(cl->pct));
					json_object_set_new(q, "p", jreal(cl->exact ? NAN : cl->t.p));
					json_object_set_new(q, "p_holm", jreal(cl->p_holm));
					json_object_set_new(q, "hedges_g", jreal(cl->g));
					json_object_set_new(q, "exact", json_boolean(cl->exact));
					json_object_set_new(q, "mark", json_string(mark(cl)));
				}
				for (int s = 0; s < p->nr_seeds; s++)
					json_array_append_new(vals, jreal(cl->v[s]));
				json_object_set_new(q, "values", vals);
				json_array_append_new(pols, q);
			}
			json_object_set_new(o, "policies", pols);
			json_array_append_new(blocks, o);
		}
	}
	json_object_set_new(root, "rows", blocks);
	{
		json_t *v = json_array();

		each_verdict(r, v);
		json_object_set_new(root, "verdicts", v);
	}
	return root;
}

/* The report as tidy CSV (report/tidy.h): per cell (topology, workload,
 * parameters, policy) a row per statistic over its seeds, the seed left
 * empty; the comparisons against the baseline (change_pct, p, p_holm,
 * hedges_g, mark) for every other policy; the policy's verdict
 * (cell_verdict) where it has one. */
static int write_csv(const struct rep *r, const char *path, struct diag *err)
{
	const struct sweep_plan *p = r->p;
	const char **names = xcalloc((size_t)p->nr_axes + 1, sizeof(*names));
	char params[2048];
	struct afile a;

	if (afile_open(&a, path, err)) {
		free(names);
		return -1;
	}
	for (int x = 0; x < p->nr_axes; x++)
		names[x] = p->axes[x].name;
	tidy_header(a.f);
	for (int i = 0; i < r->nr_blocks; i++) {
		const struct block *b = &r->b[i];
		const char *scope = scalars_scope(b->metric);

		for (int k = 0; k < b->nr_rows; k++) {
			tidy_parameters(params, sizeof(params), names, b->rows[k].vals, p->nr_axes);
			for (int c = 0; c < p->nr_policies; c++) {
				const struct cell *cl = &b->rows[k].cell[c];
				struct tidy_key key = { .topology = b->topology, .workload = b->workload,
							.parameters = params, .policy = p->policies[r->col[c]] };
				char text[256];
				enum cas_verdict v;
#define ROW(stat, unit, val, txt) tidy_row(a.f, &key, scope, NULL, b->metric, stat, unit, val, txt)
				ROW("n", "", (double)cl->sum.n, NULL);
				ROW("mean", b->unit, cl->sum.mean, NULL);
				ROW("sd", b->unit, cl->sum.sd, NULL);
				ROW("better", "", NAN, dir_word(b->dir));
				if (c) {
					ROW("change_pct", "%", cl->pct, NULL);
					ROW("p", "", cl->exact ? NAN : cl->t.p, NULL);
					ROW("p_holm", "", cl->p_holm, NULL);
					ROW("hedges_g", "", cl->g, NULL);
					ROW("mark", "", NAN, mark(cl));
				}
#undef ROW
				v = cell_verdict(r, b->topology, b->workload, b->rows[k].vals, r->col[c], text,
						 sizeof(text));
				if (v != CAS_VERDICT_NONE)
					tidy_row(a.f, &key, "total", NULL, "policy_verdict", "verdict", "code", (double)v,
						 text);
			}
		}
	}
	free(names);
	return afile_commit(&a, err);
}

static void rep_free(struct rep *r)
{
	for (int i = 0; i < r->nr_blocks; i++) {
		for (int k = 0; k < r->b[i].nr_rows; k++) {
			for (int c = 0; r->b[i].rows[k].cell && c < r->p->nr_policies; c++)
				free(r->b[i].rows[k].cell[c].v);
			free(r->b[i].rows[k].cell);
		}
		free(r->b[i].rows);
		free(r->b[i].shown);
	}
	free(r->b);
	for (int k = 0; r->sc && k < r->p->nr_jobs; k++)
		free(r->sc[k]);
	free(r->sc);
	free(r->nsc);
	free(r->vc);
	free(r->col);
}

int sweep_report(const struct sweep_plan *p, const char *dir, const struct sweep_report_opts *o,
		 const struct study_io *io)
{
	struct rep r = { .p = p, .o = o, .io = io };
	struct diag err = { { 0 } };
	int missing = 0, ret = EXIT_BADINPUT, base = policy_index(p, o->baseline ? o->baseline : p->baseline);

	if (base < 0) {
		study_errorf(r.io, "--baseline %s: not a policy of %s", o->baseline, p->file);
		return EXIT_BADINPUT;
	}
	r.sc = xcalloc((size_t)p->nr_jobs, sizeof(*r.sc));
	r.nsc = xcalloc((size_t)p->nr_jobs, sizeof(*r.nsc));
	r.vc = xcalloc((size_t)p->nr_jobs, sizeof(*r.vc));
	for (int k = 0; k < p->nr_jobs; k++)
		for (int v = 0; v < CAS_VERDICT_NR_COUNTERS; v++)
			r.vc[k][v] = NAN;
	r.col = xcalloc((size_t)p->nr_policies, sizeof(*r.col));
	r.col[0] = base;
	for (int k = 0, c = 1; k < p->nr_policies; k++)
		if (k != base)
			r.col[c++] = k;
	for (int k = 0; k < p->nr_jobs; k++) {
		json_t *res;
		int rc = sweep_store_load(dir, &p->jobs[k], &res, &err);

		if (rc < 0) {
			r.io->error(err.msg);
			goto out;
		}
		if (rc) {
			missing++;
			continue;
		}
		r.nsc[k] = scalars_of(res, &r.sc[k]);
		verdict_counters_of(res, r.vc[k]);
		json_decref(res);
	}
	if (missing == p->nr_jobs) {
		study_errorf(r.io, "%s: no job has a result yet (run cassim sweep %s/plan.json --out %s)",
			dir, dir, dir);
		ret = 1;
		goto out;
	}
	if (build(&r) || analyse(&r))
		goto oom;
	if (o->metric && !r.nr_blocks) {
		char hint[160];

		study_errorf(r.io, "--metric %s: no job of %s reports it%s (results.csv lists the metrics)", o->metric,
			   p->file, metric_hint(&r, o->metric, hint, sizeof(hint)));
		goto out;
	}
	if (o->csv && write_csv(&r, o->csv, &err)) {
		r.io->error(err.msg);
		ret = 1;
		goto out;
	}
	if (o->json) {
		json_t *j = to_json(&r);
		if (!j)
			goto oom;
		json_dumpf(j, io->out, JSON_PRESERVE_ORDER | JSON_INDENT(2));
		fputc('\n', io->out);
		json_decref(j);
	} else {
		print_tables(&r);
		each_verdict(&r, NULL);
	}
	if (missing)
		study_errorf(r.io, "%d of %d jobs have no result (failed or not run): the report leaves them out",
			missing, p->nr_jobs);
	ret = missing ? 1 : 0;
	goto out;
oom:
	r.io->error("out of memory");
	ret = 1;
out:
	rep_free(&r);
	return ret;
}
