/*
 * cassim plot: figures from results tables (cassim sweep, cassim compare)
 * and run timelines (cassim run --timeline), drawn by the gnuplot scripts in
 * plots/.  The reductions are in report/plotdata.c and report/plottime.c; this
 * file checks the options, writes the reduced data to a temporary file, and
 * has report/gnuplot.c render PREFIX.png and PREFIX.svg.  Bad input (exit 2)
 * and a failed render (exit 1) leave no file behind.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/param.h"
#include "base/suggest.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "report/file.h"
#include "report/gnuplot.h"
#include "report/plotdata.h"
#include "report/plottime.h"
#include "base/xalloc.h"

#define MAX_WHERE 32
#define MAX_STYLES 12      /* processes with a style of their own; the rest are "other" */
#define MAX_PANELS 8       /* occupancy panels without --process */
#define OCC_BINS 50        /* occupancy bins without --bin */
#define MAX_BINS 100000

enum ptype { P_LINES, P_HEATMAP, P_TIMELINE, P_OCCUPANCY, P_NR };
static const char *const type_name[P_NR] = { "lines", "heatmap", "timeline", "occupancy" };

/* Which options each type takes (bit per type). */
#define T_RES ((1 << P_LINES) | (1 << P_HEATMAP))
#define T_TL ((1 << P_TIMELINE) | (1 << P_OCCUPANCY))

struct plot {
	enum ptype type;
	const char *input, *out;
	const char *x, *y, *metric, *policy, *baseline, *process, *better;
	const char *where[MAX_WHERE];
	int nwhere;
	simtime_t from, to, bin;
	bool has_from, has_to;
	int width, height;
	bool keep;
};

static void plot_usage(FILE *f)
{
	fputs("usage: cassim plot lines RESULTS.csv --x PARAM --metric NAME [--where COL=VAL]...\n"
	      "       cassim plot heatmap RESULTS.csv --x COL --y COL --metric NAME --policy P\n"
	      "                           --baseline B [--where COL=VAL]...\n"
	      "       cassim plot timeline TIMELINE.csv [--from T] [--to T]\n"
	      "       cassim plot occupancy TIMELINE.csv [--process NAME] [--bin T] [--from T] [--to T]\n"
	      "       (each with --out PREFIX [--size W,H] [--keep-data])\n"
	      "\n"
	      "Draw a figure with gnuplot into PREFIX.png and PREFIX.svg.\n"
	      "\n"
	      "  lines      a metric against a parameter, one line per policy: the mean over\n"
	      "             the seeds and its 95% confidence interval as a band\n"
	      "  heatmap    the change of --policy against --baseline in % (+ is better) over\n"
	      "             two columns (parameters, workload, topology), * p < 0.05,\n"
	      "             ** p < 0.01 (Welch's t-test)\n"
	      "  timeline   one row per CPU grouped by node and LLC, a box per stretch of a\n"
	      "             process (a box per pixel at most: shorter slices merge)\n"
	      "  occupancy  per process, the fraction of its CPU time on each LLC, in bins\n"
	      "\n"
	      "RESULTS.csv is a tidy results table of runs (cassim(1) Tidy CSV: sweep's or\n"
	      "compare's results.csv, run --csv, or several concatenated), its parameters\n"
	      "KEY=VALUE;... a column per KEY;\n"
	      "TIMELINE.csv is cassim run --timeline's (cpu,llc,node,start_ns,end_ns,pid,tid,\n"
	      "process,thread).\n"
	      "\n"
	      "  -x, --x COL           the x axis: a parameter column (heatmap: any column but\n"
	      "                        job, policy, seed, metric, unit)\n"
	      "  -y, --y COL           heatmap: the y axis\n"
	      "  -m, --metric NAME     the metric to plot\n"
	      "      --where COL=VAL   keep the rows where COL is VAL (or empty: the column\n"
	      "                        does not apply to that run); every column that is not\n"
	      "                        an axis must end up with one value\n"
	      "  -p, --policy P        heatmap: the policy to compare\n"
	      "  -b, --baseline B      heatmap: the policy to compare with\n"
	      "      --better higher|lower|none  the metric's direction (default: from its\n"
	      "                        name and unit: times lower, rates higher)\n"
	      "      --from T, --to T  timeline, occupancy: the time range (e.g. 10ms; a bare\n"
	      "                        number is ns; default: the whole timeline)\n"
	      "      --process NAME    occupancy: this process only (default: the 8 with the\n"
	      "                        most CPU time)\n"
	      "      --bin T           occupancy: the bin width (default: the range / 50)\n"
	      "  -o, --out PREFIX      write PREFIX.png and PREFIX.svg (required)\n"
	      "      --size W,H        the figure's size in pixels (default 1200,800)\n"
	      "      --keep-data       keep the data gnuplot drew as PREFIX.dat\n"
	      "\n"
	      "Needs gnuplot (Debian: gnuplot-nox) and the scripts in plots/ (found like\n"
	      "compare's).  Exit status 0, 1 if gnuplot failed or an output cannot be\n"
	      "written, 2 for bad usage or input.\n", f);
}

/* PREFIX names files (not a directory) that can be written: PREFIX.png,
 * PREFIX.svg and, with --keep-data, PREFIX.dat (nothing is created). */
static int check_prefix(const char *prefix, bool keep)
{
	static const char *const ext[] = { "png", "svg", "dat" };
	char path[PATH_MAX];
	const char *slash = strrchr(prefix, '/');
	struct diag err;

	if (!*prefix || (slash && !slash[1]))
		return cmd_bad("--out %s: expected a file name prefix such as figs/lines (PREFIX.png, PREFIX.svg)",
			   prefix);
	if (strlen(prefix) + 32 >= sizeof(path))
		return cmd_bad("--out %s: path too long", prefix);
	for (int i = 0; i < (keep ? 3 : 2); i++) {
		snprintf(path, sizeof(path), "%s.%s", prefix, ext[i]);
		if (afile_probe(path, &err)) {
			diag_prefix(&err, "--out %s: ", prefix);
			cmd_error(err.msg);
			return EXIT_OUTPUT;
		}
	}
	return 0;
}

/* ---- results tables ---------------------------------------------------------- */

static int find_col(const struct pd_table *t, const char *name, const char *opt, int *c)
{
	char cols[DIAG_MSG_MAX / 2];
	size_t n = 0;

	if ((*c = pd_col_find(t, name)) >= 0)
		return 0;
	cols[0] = '\0';
	for (int i = 0; i < t->ncols; i++)
		n += (size_t)snprintf(cols + n, n < sizeof(cols) ? sizeof(cols) - n : 0, "%s%s", i ? ", " : "",
				      t->cols[i].name);
	return cmd_bad("%s %s: %s has no such column (expected one of: %s)", opt, name, t->file, cols);
}

/* @v in column @c, from option @opt @arg; 0 or exit status 2. */
static int find_val(const struct pd_table *t, int c, const char *v, const char *opt, const char *arg, int *k)
{
	char vals[DIAG_MSG_MAX / 2], hint[160];

	if ((*k = pd_val_find(&t->cols[c], v)) >= 0 && *v)
		return 0;
	pd_col_values(&t->cols[c], vals, sizeof(vals));
	suggest_hint(hint, sizeof(hint), v, (const char *const *)t->cols[c].vals, t->cols[c].nvals);
	return cmd_bad("%s %s: no %s '%s' in %s%s (expected one of: %s)", opt, arg, t->cols[c].name, v, t->file,
		   hint, vals);
}

static int make_query(const struct plot *pl, const struct pd_table *t, struct pd_where *w, struct pd_query *q)
{
	int ret;

	memset(q, 0, sizeof(*q));
	q->y = -1;
	if ((ret = find_val(t, t->c_metric, pl->metric, "--metric", pl->metric, &q->metric)) ||
	    (ret = find_col(t, pl->x, "--x", &q->x)) || (pl->y && (ret = find_col(t, pl->y, "--y", &q->y))))
		return ret;
	for (int i = 0; i < pl->nwhere; i++) {
		const char *eq = strchr(pl->where[i], '=');
		char col[256];

		if (!eq || eq == pl->where[i] || (size_t)(eq - pl->where[i]) >= sizeof(col))
			return cmd_bad("--where %s: expected COLUMN=VALUE", pl->where[i]);
		snprintf(col, sizeof(col), "%.*s", (int)(eq - pl->where[i]), pl->where[i]);
		if ((ret = find_col(t, col, "--where", &w[i].col)))
			return ret;
		if (w[i].col == t->c_metric || w[i].col == t->c_unit)
			return cmd_bad("--where %s: choose the metric with --metric", pl->where[i]);
		if ((ret = find_val(t, w[i].col, eq + 1, "--where", pl->where[i], &w[i].val)))
			return ret;
	}
	q->where = w;
	q->nwhere = pl->nwhere;
	if (pl->type == P_HEATMAP) {
		if ((ret = find_val(t, t->c_policy, pl->policy, "--policy", pl->policy, &q->policy)) ||
		    (ret = find_val(t, t->c_policy, pl->baseline, "--baseline", pl->baseline, &q->baseline)))
			return ret;
		if (q->policy == q->baseline)
			return cmd_bad("--policy and --baseline are both %s (expected two policies)", pl->policy);
	}
	if (pl->better)
		q->dir = !strcmp(pl->better, "higher") ? STATS_HIGHER
			 : !strcmp(pl->better, "lower") ? STATS_LOWER : STATS_NEUTRAL;
	else
		for (size_t r = 0; r < t->nrows; r++)
			if (t->cell[r * (size_t)t->ncols + (size_t)t->c_metric] == q->metric) {
				q->dir = pd_metric_dir(pl->metric, t->cols[t->c_unit].vals[
					t->cell[r * (size_t)t->ncols + (size_t)t->c_unit]]);
				break;
			}
	return 0;
}

static const char *metric_unit(const struct pd_table *t, int metric)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (t->cell[r * (size_t)t->ncols + (size_t)t->c_metric] == metric)
			return t->cols[t->c_unit].vals[t->cell[r * (size_t)t->ncols + (size_t)t->c_unit]];
	return "";
}

static const char *dir_text(enum stats_dir d)
{
	return d == STATS_HIGHER ? "higher is better" : d == STATS_LOWER ? "lower is better" : "no direction";
}

/* The --where filters, "a=1, b=2", as the figure's subtitle. */
static void where_subtitle(FILE *e, const struct plot *pl)
{
	fputs("; subtitle='", e);
	for (int i = 0; i < pl->nwhere; i++) {
		fputs(i ? ", " : "", e);
		for (const char *c = pl->where[i]; *c; c++) {
			if (*c == '\'')
				fputc('\'', e);   /* a gnuplot single-quoted string */
			fputc(*c, e);
		}
	}
	fputc('\'', e);
}

/* "name (unit, lower is better)" */
static void metric_title(char *buf, size_t len, const char *metric, const char *unit, enum stats_dir dir)
{
	snprintf(buf, len, "%s (%s%s%s)", metric, unit, *unit ? ", " : "", dir_text(dir));
}

static void axis_words(FILE *e, const struct pd_table *t, const struct pd_axis *ax)
{
	for (int i = 0; i < ax->n; i++) {
		fputs(i ? " " : "", e);
		gp_word(e, t->cols[ax->col].vals[ax->val[i]]);
	}
}

static int do_lines(const struct plot *pl, FILE *dat, FILE *e)
{
	struct pd_table t;
	struct pd_where w[MAX_WHERE];
	struct pd_query q;
	struct pd_lines l;
	struct diag err;
	char title[1024];
	int ret;

	if (pd_load(&t, pl->input, &err)) {
		pd_free(&t);
		return cmd_bad("%s", err.msg);
	}
	if ((ret = make_query(pl, &t, w, &q)))
		goto out;
	if (pd_lines(&t, &q, &l, &err)) {
		ret = cmd_bad("%s", err.msg);
		goto out;
	}
	fprintf(dat, "# cassim plot lines: %s against %s, per policy: x mean ci95_lo ci95_hi n \"x\"\n",
		pl->metric, pl->x);
	for (int s = 0; s < l.nseries; s++) {
		fprintf(dat, "%s# policy %s\n", s ? "\n\n" : "", t.cols[t.c_policy].vals[l.policy[s]]);
		for (int i = 0; i < l.x.n; i++) {
			const struct stats_summary *m = &l.pt[s * l.x.n + i].s;
			double lo = m->n >= 2 ? m->ci_lo : m->mean, hi = m->n >= 2 ? m->ci_hi : m->mean;

			fprintf(dat, "%.17g %.17g %.17g %.17g %zu ", l.x.pos[i], m->mean, lo, hi, m->n);
			gp_word(dat, t.cols[l.x.col].vals[l.x.val[i]]);
			fputc('\n', dat);
		}
	}
	fprintf(e, "; nseries=%d; names='", l.nseries);
	for (int s = 0; s < l.nseries; s++) {
		fputs(s ? " " : "", e);
		gp_word(e, t.cols[t.c_policy].vals[l.policy[s]]);
	}
	fprintf(e, "'; xnumeric=%d; xlabels='", l.x.numeric);
	axis_words(e, &t, &l.x);
	fputs("'; xtitle=", e);
	gp_str(e, pl->x);
	metric_title(title, sizeof(title), pl->metric, metric_unit(&t, q.metric), q.dir);
	fputs("; ytitle=", e);
	gp_str(e, title);
	snprintf(title, sizeof(title), "%s: mean over the seeds and its 95%% confidence band", pl->input);
	fputs("; maintitle=", e);
	gp_str(e, title);
	where_subtitle(e, pl);
	pd_lines_free(&l);
	ret = 0;
out:
	pd_free(&t);
	return ret;
}

static int do_heatmap(const struct plot *pl, FILE *dat, FILE *e)
{
	struct pd_table t;
	struct pd_where w[MAX_WHERE];
	struct pd_query q;
	struct pd_heatmap h;
	struct diag err;
	char wt[512], title[1024];
	double cbmax = 0;
	int ret;

	if (pd_load(&t, pl->input, &err)) {
		pd_free(&t);
		return cmd_bad("%s", err.msg);
	}
	if ((ret = make_query(pl, &t, w, &q)))
		goto out;
	if (pd_heatmap(&t, &q, &h, &err)) {
		ret = cmd_bad("%s", err.msg);
		goto out;
	}
	fprintf(dat, "# cassim plot heatmap: %s of %s against %s (%s), change in %% (+ = better)\n"
		"# xi yi change_pct \"label\" mean_policy mean_baseline n_policy n_baseline p_welch\n",
		pl->metric, pl->policy, pl->baseline, dir_text(q.dir));
	for (int yi = 0; yi < h.y.n; yi++)
		for (int xi = 0; xi < h.x.n; xi++) {
			const struct pd_cell *c = &h.cell[yi * h.x.n + xi];
			char label[64];

			if (isfinite(c->pct))
				snprintf(label, sizeof(label), "%+.1f%%%s", c->pct, stats_mark(c->p_welch));
			else
				snprintf(label, sizeof(label), "n/a");
			if (isfinite(c->pct) && fabs(c->pct) > cbmax)
				cbmax = fabs(c->pct);
			fprintf(dat, "%d %d %.17g ", xi, yi, c->pct);
			gp_word(dat, label);
			fprintf(dat, " %.17g %.17g %zu %zu %.17g\n", c->p.mean, c->b.mean, c->p.n, c->b.n, c->p_welch);
		}
	fputs("; xlabels='", e);
	axis_words(e, &t, &h.x);
	fputs("'; ylabels='", e);
	axis_words(e, &t, &h.y);
	fputs("'; xtitle=", e);
	gp_str(e, pl->x);
	fputs("; ytitle=", e);
	gp_str(e, pl->y);
	fprintf(e, "; cbmax=%.17g", cbmax > 0 ? cbmax : 1);
	metric_title(wt, sizeof(wt), pl->metric, metric_unit(&t, q.metric), q.dir);
	snprintf(title, sizeof(title), "%s: %s against %s, change of the mean in %% (+ = better), "
		 "* p<0.05, ** p<0.01 (Welch t)", wt, pl->policy, pl->baseline);
	fputs("; maintitle=", e);
	gp_str(e, title);
	where_subtitle(e, pl);
	pd_heatmap_free(&h);
	ret = 0;
out:
	pd_free(&t);
	return ret;
}

/* ---- timelines --------------------------------------------------------------------- */

/* The unit the time axis is labelled in, for a span of @ns. */
static double time_unit(int64_t ns, const char **unit)
{
	if (ns >= 10000000000LL)
		return *unit = "s", 1e9;
	if (ns >= 10000000LL)
		return *unit = "ms", 1e6;
	if (ns >= 10000LL)
		return *unit = "us", 1e3;
	return *unit = "ns", 1;
}

/* [from, to) from the options, within the timeline; 0 or exit status 2. */
static int time_range(const struct plot *pl, const struct pt_timeline *t, int64_t *from, int64_t *to)
{
	*from = pl->has_from ? pl->from : t->t0;
	*to = pl->has_to ? pl->to : t->t1;
	if (*to <= *from)
		return cmd_bad("--from %" PRId64 "ns --to %" PRId64 "ns: an empty range (the timeline spans %" PRId64
			   "..%" PRId64 " ns)", *from, *to, t->t0, t->t1);
	return 0;
}

static void time_vars(FILE *e, int64_t from, int64_t to)
{
	const char *unit;
	double div = time_unit(to - from, &unit);

	fprintf(e, "; tfrom=%.17g; tto=%.17g; tdiv=%.17g; tunit='%s'", (double)from / div, (double)to / div, div,
		unit);
}

static int load_timeline(const struct plot *pl, struct pt_timeline *t)
{
	struct diag err;

	if (pt_load(t, pl->input, &err)) {
		pt_free(t);
		return cmd_bad("%s", err.msg);
	}
	return 0;
}

static int do_timeline(const struct plot *pl, FILE *dat, FILE *e)
{
	struct pt_timeline t;
	struct pt_box *box = NULL;
	size_t nbox = 0, b = 0;
	int64_t from, to;
	double *ns = NULL;
	int *order = NULL, *style = NULL, nstyles, ret;
	char title[1024];

	if ((ret = load_timeline(pl, &t)))
		return ret;
	if ((ret = time_range(pl, &t, &from, &to)))
		goto out;
	ret = EXIT_BADINPUT;
	ns = xmalloc((size_t)t.nproc * sizeof(*ns));
	order = xmalloc((size_t)t.nproc * sizeof(*order));
	style = xmalloc((size_t)t.nproc * sizeof(*style));
	/* the processes with the most CPU time get a style each, the rest share one */
	pt_runtime(&t, from, to, ns, order);
	nstyles = t.nproc <= MAX_STYLES ? t.nproc : MAX_STYLES;
	for (int i = 0; i < t.nproc; i++)
		style[order[i]] = i < nstyles ? i : nstyles - 1;
	if (pt_boxes(&t, from, to, pl->width, style, nstyles, &box, &nbox)) {
		cmd_bad("out of memory");
		goto out;
	}
	fprintf(dat, "# cassim plot timeline: %d CPUs, %" PRId64 "..%" PRId64 " ns at %d columns; "
		"per style: row start_ns end_ns\n", t.ncpu, from, to, pl->width);
	for (int s = 0; s < nstyles; s++) {
		fprintf(dat, "%s# %s\n", s ? "\n\n" : "",
			s < nstyles - 1 || t.nproc == nstyles ? t.proc[order[s]] : "other");
		for (; b < nbox && box[b].style == s; b++)
			fprintf(dat, "%d %" PRId64 " %" PRId64 "\n", box[b].row, box[b].start, box[b].end);
	}
	fprintf(e, "; nstyles=%d; other=%d; names='", nstyles, t.nproc > nstyles);
	for (int s = 0; s < nstyles; s++) {
		char name[300];
		if (s < nstyles - 1 || t.nproc == nstyles)
			snprintf(name, sizeof(name), "%s", t.proc[order[s]]);
		else
			snprintf(name, sizeof(name), "%d other processes", t.nproc - nstyles + 1);
		fputs(s ? " " : "", e);
		gp_word(e, name);
	}
	/* CPU numbers: every row when they fit, else each LLC's first */
	fprintf(e, "'; nrows=%d; ytl='", t.ncpu);
	for (int r = 0, k = 0; r < t.ncpu; r++)
		if (t.ncpu <= 48 || !r || t.cpu[r].llc != t.cpu[r - 1].llc)
			fprintf(e, "%s%d", k++ ? " " : "", t.cpu[r].cpu);
	fputs("'; ytp='", e);
	for (int r = 0, k = 0; r < t.ncpu; r++)
		if (t.ncpu <= 48 || !r || t.cpu[r].llc != t.cpu[r - 1].llc)
			fprintf(e, "%s%d", k++ ? " " : "", r);
	fputs("'; gl='", e);
	for (int r = 0, k = 0; r < t.ncpu; r++)
		if (!r || t.cpu[r].llc != t.cpu[r - 1].llc)
			fprintf(e, "%s\"n%d llc%d\"", k++ ? " " : "", t.cpu[r].node, t.cpu[r].llc);
	fputs("'; gp='", e);
	for (int r = 0, k = 0, first = 0; r <= t.ncpu; r++)
		if (r == t.ncpu || (r && t.cpu[r].llc != t.cpu[r - 1].llc)) {
			fprintf(e, "%s%.1f", k++ ? " " : "", (first + r - 1) / 2.0);
			first = r;
		}
	fputs("'; llcsep='", e);
	for (int r = 1, k = 0; r < t.ncpu; r++)
		if (t.cpu[r].llc != t.cpu[r - 1].llc && t.cpu[r].node == t.cpu[r - 1].node)
			fprintf(e, "%s%.1f", k++ ? " " : "", r - 0.5);
	fputs("'; nodesep='", e);
	for (int r = 1, k = 0; r < t.ncpu; r++)
		if (t.cpu[r].node != t.cpu[r - 1].node)
			fprintf(e, "%s%.1f", k++ ? " " : "", r - 0.5);
	fputc('\'', e);
	time_vars(e, from, to);
	{
		int nnode = 1;
		for (int r = 1; r < t.ncpu; r++)
			nnode += t.cpu[r].node != t.cpu[r - 1].node;
		snprintf(title, sizeof(title), "%s: %d CPU%s in %d LLC%s on %d node%s, %d process%s", pl->input,
			 t.ncpu, t.ncpu > 1 ? "s" : "", t.nllc, t.nllc > 1 ? "s" : "", nnode, nnode > 1 ? "s" : "",
			 t.nproc, t.nproc > 1 ? "es" : "");
	}
	fputs("; maintitle=", e);
	gp_str(e, title);
	ret = 0;
out:
	free(box);
	free(ns);
	free(order);
	free(style);
	pt_free(&t);
	return ret;
}

/* A round bin near @span / OCC_BINS: 1, 2 or 5 times a power of ten (ns). */
static int64_t nice_bin(int64_t span)
{
	double raw = (double)span / OCC_BINS, p = pow(10, floor(log10(raw > 1 ? raw : 1)));
	double m = raw / p;

	return (int64_t)(p * (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10));
}

static int do_occupancy(const struct plot *pl, FILE *dat, FILE *e)
{
	struct pt_timeline t;
	int64_t from, to, bin;
	double *ns = NULL, *rt = NULL;
	int *order = NULL, npanels, ret;
	char title[1024];

	if ((ret = load_timeline(pl, &t)))
		return ret;
	if ((ret = time_range(pl, &t, &from, &to)))
		goto out;
	ret = EXIT_BADINPUT;
	rt = xmalloc((size_t)t.nproc * sizeof(*rt));
	order = xmalloc((size_t)t.nproc * sizeof(*order));
	pt_runtime(&t, from, to, rt, order);
	if (pl->process) {
		char names[DIAG_MSG_MAX / 2];
		if ((order[0] = pt_proc_find(&t, pl->process)) < 0) {
			pt_proc_names(&t, names, sizeof(names));
			cmd_bad("--process %s: no such process in %s (expected one of: %s)", pl->process, pl->input, names);
			goto out;
		}
		npanels = 1;
	} else {
		npanels = t.nproc < MAX_PANELS ? t.nproc : MAX_PANELS;
	}
	bin = pl->bin ? pl->bin : nice_bin(to - from);
	if ((to - from) / bin >= MAX_BINS) {
		cmd_bad("--bin %" PRId64 "ns: %" PRId64 " ns would make more than %d bins", bin, to - from, MAX_BINS);
		goto out;
	}
	fprintf(dat, "# cassim plot occupancy: %" PRId64 "..%" PRId64 " ns in bins of %" PRId64 " ns; per process: "
		"bin_start_ns bin_end_ns cpu_ns then the fraction on each LLC:", from, to, bin);
	for (int k = 0; k < t.nllc; k++)
		fprintf(dat, " llc%d", t.llc[k]);
	fputc('\n', dat);
	for (int p = 0; p < npanels; p++) {
		int nbins;

		if (pt_occupancy(&t, order[p], from, to, bin, &ns, &nbins)) {
			cmd_bad("out of memory");
			goto out;
		}
		fprintf(dat, "%s# %s\n", p ? "\n\n" : "", t.proc[order[p]]);
		for (int b = 0; b < nbins; b++) {
			double sum = 0;
			int64_t b0 = from + b * bin, b1 = b0 + bin < to ? b0 + bin : to;

			for (int k = 0; k < t.nllc; k++)
				sum += ns[b * t.nllc + k];
			fprintf(dat, "%" PRId64 " %" PRId64 " %.17g", b0, b1, sum);
			for (int k = 0; k < t.nllc; k++)
				fprintf(dat, " %.17g", sum > 0 ? ns[b * t.nllc + k] / sum : 0);
			fputc('\n', dat);
		}
		free(ns);
		ns = NULL;
	}
	fprintf(e, "; npanels=%d; titles='", npanels);
	for (int p = 0; p < npanels; p++) {
		snprintf(title, sizeof(title), "%s: %.3g%% of the CPU time", t.proc[order[p]],
			 100 * rt[order[p]] / ((double)(to - from) * t.ncpu));
		fputs(p ? " " : "", e);
		gp_word(e, title);
	}
	fprintf(e, "'; nllc=%d; llcnames='", t.nllc);
	for (int k = 0; k < t.nllc; k++)
		fprintf(e, "%s\"LLC %d (node %d)\"", k ? " " : "", t.llc[k], t.llc_node[k]);
	fputc('\'', e);
	time_vars(e, from, to);
	{
		const char *unit;
		double div = time_unit(bin, &unit);
		snprintf(title, sizeof(title), "%s: where each process ran, fraction of its CPU time per LLC "
			 "in bins of %g %s%s", pl->input, (double)bin / div, unit,
			 !pl->process && t.nproc > npanels ? " (the processes with the most CPU time)" : "");
	}
	fputs("; maintitle=", e);
	gp_str(e, title);
	ret = 0;
out:
	free(ns);
	free(rt);
	free(order);
	pt_free(&t);
	return ret;
}

/* ---- the command ---------------------------------------------------------------------- */

static int render(const struct plot *pl, const char *script)
{
	static int (*const draw[P_NR])(const struct plot *, FILE *, FILE *) = { do_lines, do_heatmap, do_timeline,
										 do_occupancy };
	char dat[PATH_MAX + 64], dst[PATH_MAX + 8], plotdir[PATH_MAX];
	char *vars = NULL;
	size_t len = 0;
	struct diag err;
	FILE *d, *e;
	int ret = EXIT_BADINPUT;

	/* the script's directory, where it finds term.gp (gp_find_script gave DIR/NAME) */
	snprintf(plotdir, sizeof(plotdir), "%.*s", (int)(strrchr(script, '/') - script), script);
	snprintf(dat, sizeof(dat), "%s.dat.tmp.%ld", pl->out, (long)getpid());
	if (!(d = fopen(dat, "w"))) {
		cmd_errorf("%s: cannot write: %s", dat, strerror(errno));
		return EXIT_OUTPUT;
	}
	if (!(e = open_memstream(&vars, &len))) {
		fclose(d);
		unlink(dat);
		return cmd_bad("out of memory");
	}
	fputs("plotdir=", e);
	gp_str(e, plotdir);
	fputs("; datafile=", e);
	gp_str(e, dat);
	fprintf(e, "; width=%d; height=%d", pl->width, pl->height);
	ret = draw[pl->type](pl, d, e);
	if (fclose(e) && !ret)
		ret = cmd_bad("out of memory");
	if (fclose(d) && !ret) {
		cmd_errorf("%s: cannot write: %s", dat, strerror(errno));
		ret = EXIT_OUTPUT;
	}
	if (ret)
		goto out;
	if (gp_render(script, vars, pl->out, &err)) {
		cmd_error(err.msg);
		ret = 1;
		goto out;
	}
	if (pl->keep) {
		snprintf(dst, sizeof(dst), "%s.dat", pl->out);
		if (rename(dat, dst)) {
			cmd_errorf("%s: cannot rename into place: %s", dst, strerror(errno));
			ret = EXIT_OUTPUT;
			goto out;
		}
	}
	printf("wrote %s.png and %s.svg%s%s%s\n", pl->out, pl->out, pl->keep ? " and " : "",
	       pl->keep ? pl->out : "", pl->keep ? ".dat" : "");
out:
	free(vars);
	unlink(dat);
	return ret;
}

int cmd_plot(int argc, char **argv)
{
	enum { O_BETTER = 256, O_FROM, O_TO, O_PROCESS, O_BIN, O_SIZE, O_KEEP };
	static const struct option opts[] = {
		{ "x", required_argument, NULL, 'x' },
		{ "y", required_argument, NULL, 'y' },
		{ "metric", required_argument, NULL, 'm' },
		{ "where", required_argument, NULL, 'w' },
		{ "policy", required_argument, NULL, 'p' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "better", required_argument, NULL, O_BETTER },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "process", required_argument, NULL, O_PROCESS },
		{ "bin", required_argument, NULL, O_BIN },
		{ "out", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, O_SIZE },
		{ "keep-data", no_argument, NULL, O_KEEP },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	/* the types each option applies to */
	static const struct { int opt; const char *name; int types; } scope[] = {
		{ 'x', "--x", T_RES }, { 'y', "--y", 1 << P_HEATMAP }, { 'm', "--metric", T_RES },
		{ 'w', "--where", T_RES }, { 'p', "--policy", 1 << P_HEATMAP }, { 'b', "--baseline", 1 << P_HEATMAP },
		{ O_BETTER, "--better", T_RES }, { O_FROM, "--from", T_TL }, { O_TO, "--to", T_TL },
		{ O_PROCESS, "--process", 1 << P_OCCUPANCY }, { O_BIN, "--bin", 1 << P_OCCUPANCY },
	};
	struct plot pl = { .width = 1200, .height = 800 };
	const char *type = NULL;
	char script_buf[PATH_MAX], name[32];
	const char *script;
	int opt, seen = 0, ret;

	optind = 1;
	opterr = 0;
	/* "+": stop at TYPE and INPUT, take options after them too (below) */
	while (optind < argc) {
		if ((opt = getopt_long(argc, argv, "+:x:y:m:p:b:o:h", opts, NULL)) == -1) {
			if (!type)
				type = argv[optind];
			else if (!pl.input)
				pl.input = argv[optind];
			else
				return cmd_bad("unexpected argument '%s' (see cassim plot --help)", argv[optind]);
			optind++;
			continue;
		}
		for (size_t i = 0; i < sizeof(scope) / sizeof(scope[0]); i++)
			if (scope[i].opt == opt)
				seen |= 1 << i;
		switch (opt) {
		case 'x': pl.x = optarg; break;
		case 'y': pl.y = optarg; break;
		case 'm': pl.metric = optarg; break;
		case 'w':
			if (pl.nwhere == MAX_WHERE)
				return cmd_bad("too many --where options (at most %d)", MAX_WHERE);
			pl.where[pl.nwhere++] = optarg;
			break;
		case 'p': pl.policy = optarg; break;
		case 'b': pl.baseline = optarg; break;
		case O_BETTER:
			if (strcmp(optarg, "higher") && strcmp(optarg, "lower") && strcmp(optarg, "none"))
				return cmd_bad("--better %s: expected higher, lower or none", optarg);
			pl.better = optarg;
			break;
		case O_FROM:
			if (cmd_opt_time("--from", optarg, 1, false, " (a bare number is ns)", &pl.from))
				return EXIT_BADINPUT;
			pl.has_from = true;
			break;
		case O_TO:
			if (cmd_opt_time("--to", optarg, 1, false, " (a bare number is ns)", &pl.to))
				return EXIT_BADINPUT;
			pl.has_to = true;
			break;
		case O_PROCESS: pl.process = optarg; break;
		case O_BIN:
			if (cmd_opt_time("--bin", optarg, 1, true, " (a bare number is ns)", &pl.bin))
				return EXIT_BADINPUT;
			break;
		case 'o': pl.out = optarg; break;
		case O_SIZE: {
			long long wh[2];
			if (cmd_opt_ints("--size", optarg, 2, 200, 10000, "WIDTH,HEIGHT in pixels", wh))
				return EXIT_BADINPUT;
			pl.width = (int)wh[0];
			pl.height = (int)wh[1];
			break;
		}
		case O_KEEP: pl.keep = true; break;
		case 'h': plot_usage(stdout); return 0;
		case ':':
		default:
			return cmd_opt_error("plot", opt, argv);
		}
	}
	if (!type)
		return cmd_bad("expected a figure type: lines, heatmap, timeline or occupancy (see cassim plot --help)");
	for (pl.type = 0; pl.type < P_NR && strcmp(type, type_name[pl.type]); pl.type++)
		;
	if (pl.type == P_NR)
		return cmd_bad("unknown figure type '%s' (expected lines, heatmap, timeline or occupancy)", type);
	if (!pl.input)
		return cmd_bad("plot %s: expected the input file (%s)", type,
			   pl.type == P_LINES || pl.type == P_HEATMAP ? "a results.csv" : "a timeline CSV");
	for (size_t i = 0; i < sizeof(scope) / sizeof(scope[0]); i++)
		if ((seen & (1 << i)) && !(scope[i].types & (1 << pl.type)))
			return cmd_bad("%s does not apply to plot %s (see cassim plot --help)", scope[i].name, type);
	if ((pl.type == P_LINES || pl.type == P_HEATMAP) && (!pl.x || !pl.metric))
		return cmd_bad("plot %s needs --x and --metric", type);
	if (pl.type == P_HEATMAP && (!pl.y || !pl.policy || !pl.baseline))
		return cmd_bad("plot heatmap needs --y, --policy and --baseline");
	if (!pl.out)
		return cmd_bad("--out PREFIX is required (the figure goes to PREFIX.png and PREFIX.svg)");
	if ((ret = check_prefix(pl.out, pl.keep)))
		return ret;
	if (access(pl.input, R_OK))
		return cmd_bad("%s: cannot open: %s", pl.input, strerror(errno));
	if (!gp_available())
		return cmd_bad("cassim plot needs gnuplot, which was not found on PATH (install the Debian "
			   "package gnuplot-nox)");
	snprintf(name, sizeof(name), "%s.gp", type_name[pl.type]);
	script = gp_find_script(study_data_dirs("plots"), name, script_buf, sizeof(script_buf));
	if (!script)
		return cmd_bad("plots/%s not found in the data directories (set CASSIM_DATADIR)", name);
	return render(&pl, script);
}
