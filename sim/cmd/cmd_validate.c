/*
 * cassim validate: re-run published results and score the agreement.
 *
 * Input: a CSV of published results (id, revision, machine, benchmark,
 * params, metric, change_pct[, source][, baseline]; '#' lines are comments),
 * e.g. papers/validation/published.csv.  Every row is mapped (validate_map.c)
 * to a policy, a topology and a workload with its --set list, then run as
 * the baseline (cfs, or the revision the baseline column names, with the
 * row's CAS tunables too) and as the revision with the same seeds (paired); the
 * simulated change uses the CSV's sign (+ = CAS better) and is scored with
 * the agreement rule of published.md:
 *
 *   |published| >= 5 %   agree if the simulated change has the same sign;
 *   |published| <  3 %   agree if the simulated change is within +-5 %;
 *   otherwise            reported, not scored.
 *
 * All runs go through the job runner (jobs.h); the same (topology,
 * workload, policy, sets, seed) run is done once even when several rows need
 * it (rows sharing a baseline, or two metrics of one run).
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/diag.h"
#include "cmd/cmd.h"
#include "report/file.h"
#include "study/jobs.h"
#include "study/sets.h"
#include "study/validate.h"
#include "study/validate_rule.h"
#include "study/validate_map.h"
#include "base/param.h"
#include "hw/profile.h"
#include "hw/topo.h"
#include "report/stats.h"
#include "policies/policy.h"
#include "sched/params.h"
#include "base/xalloc.h"

#define DEFAULT_SEEDS 5
#define MAX_SEEDS 1000
#define DEFAULT_PREDICT_SEEDS 3

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

/* ---- command ----------------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("usage: cassim validate FILE.csv [--seeds N] [--jobs N] [--duration-scale X]\n"
	      "                       [--out DIR] [--json] [--plot] [--predict]\n"
	      "                       [--predict-seeds N] [--only GLOB[,GLOB]...]\n"
	      "                       [--set KEY=VALUE]... [--ablate KEY=VALUE]...\n"
	      "                       [--ablate-seeds N] [--dry-run] [--quiet]\n"
	      "\n"
	      "Re-run published results and score the agreement.  FILE.csv has a header\n"
	      "id,revision,machine,benchmark,params,metric,change_pct[,source][,baseline] ('#'\n"
	      "lines are comments); change_pct is + when CAS (the revision) was better.  Each\n"
	      "row runs the baseline (cfs, or the revision the baseline column names, e.g.\n"
	      "merged, which gets the row's CAS tunables too) and the revision's policy with\n"
	      "the same seeds on the named topology; the verdict (published.md):\n"
	      "|published| >= 5 %: agree when the change has the same sign, its 95 % CI\n"
	      "excludes 0 and its size is within 10x of the published one, else a miss that\n"
	      "names the clause; |published| < 3 %: agree when within +-5 %; in between: not\n"
	      "scored; an unmapped or failed row is a scored miss.  The last line is\n"
	      "\"agreement: N of M scored rows\".\n"
	      "\n"
	      "  -n, --seeds N           seeds per configuration (default 5)\n"
	      "  -j, --jobs N            parallel runs (default: the online CPUs)\n"
	      "      --duration-scale X  scale every run length (default 1; 0.05 for a smoke test)\n"
	      "  -o, --out DIR           write DIR/report.md, results.csv, results.json\n"
	      "      --json              print results JSON on stdout instead of the table\n"
	      "      --plot              with --out: DIR/scatter.dat, scatter.png, scatter.svg\n"
	      "                          (gnuplot and papers/validation/scatter.gp)\n"
	      "      --predict           add predictions for xeon6-6980p-2s-snc3 and\n"
	      "                          epyc-9965-2s-nps1 (cfs, cas-v3, cas-v4, cas-merged)\n"
	      "      --predict-seeds N   seeds of the predictions (default min(3, --seeds))\n"
	      "      --only GLOB,...     only the rows whose id matches a glob (e.g. 'rfcv3-hb-*');\n"
	      "                          repeatable\n"
	      "  -s, --set KEY=VALUE     what-if: a machine-model value (cassim topo SPEC\n"
	      "                          --show-model) or a scheduler tunable for every run,\n"
	      "                          baseline and revision alike; the report says the\n"
	      "                          result is not the machine profiles'.  Repeatable\n"
	      "      --ablate KEY=VALUE  run every row again with this one value (a mechanism\n"
	      "                          switched off alone, e.g. os_noise=0) and report what\n"
	      "                          it moved: the change without it and the difference.\n"
	      "                          Repeatable (each alone; at most 8); not the predictions\n"
	      "      --ablate-seeds N    seeds of the ablation runs (default --seeds)\n"
	      "      --dry-run           map the rows and list the runs without running them\n"
	      "  -q, --quiet             no progress lines\n"
	      "\n"
	      "Exit status: 0 the validation ran (misses are results), 1 a run failed or an\n"
	      "output could not be written, 2 bad usage or a malformed CSV.\n",
	      f);
}

static int parse_pos_int(const char *opt, const char *s, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 1 || v > max) {
		cmd_errorf("%s %s: expected an integer 1..%d", opt, s, max);
		return -1;
	}
	*out = (int)v;
	return 0;
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

/* --set KEY=VALUE (a what-if, every run) or --ablate KEY=VALUE (each row
 * again with it), named @optname: KEY must be a machine-model value or a
 * scheduler tunable (a revision's tunables are the row's own), once; the
 * pair goes into @keys/@values (*@nr of at most @max; the key string holds
 * the value too).  -1 after printing the one-line error. */
static int add_model_set(const char *optname, const char *opt, const char **keys, const char **values, int *nr,
			 int max)
{
	char *arg = xstrdup(opt), *eq = strchr(arg, '=');
	struct diag err = { { 0 } };

	if (!eq || eq == arg) {
		cmd_errorf("%s %s: expected KEY=VALUE", optname, arg);
		goto fail;
	}
	*eq = '\0';
	for (int i = 0; i < *nr; i++)
		if (!strcmp(keys[i], arg)) {
			cmd_errorf("%s %s=%s: %s is set twice", optname, arg, eq + 1, arg);
			goto fail;
		}
	if (*nr == max) {
		cmd_errorf("too many %s options (at most %d)", optname, max);
		goto fail;
	}
	if (set_check_model(arg, eq + 1, &err)) {
		/* the parsers say "--set KEY=VALUE: why": name this option instead */
		char pre[DIAG_MSG_MAX];
		const char *why = err.msg;
		int n = snprintf(pre, sizeof(pre), "--set %s=%s: ", arg, eq + 1);

		if (n > 0 && !strncmp(why, pre, (size_t)n))
			why += n;
		cmd_errorf("%s %s=%s: %s", optname, arg, eq + 1, why);
		goto fail;
	}
	/* a copy: argv stays whole for the report's command line */
	keys[*nr] = arg;
	values[(*nr)++] = eq + 1;
	return 0;
fail:
	free(arg);
	return -1;
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

struct machine_cache {
	char name[64];
	struct vm_machine m;
	bool ok;
	char err[DIAG_MSG_MAX];
};

static const struct machine_cache *machine_get(struct machine_cache *mc, int *nr, const char *name)
{
	struct topo *t = NULL;
	struct diag err = { { 0 } };
	struct machine_cache *e;

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

int cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seeds", required_argument, NULL, 'n' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "duration-scale", required_argument, NULL, 'D' },
		{ "out", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "plot", no_argument, NULL, 'P' },
		{ "predict", no_argument, NULL, 'R' },
		{ "predict-seeds", required_argument, NULL, 'S' },
		{ "only", required_argument, NULL, 'O' },
		{ "set", required_argument, NULL, 's' },
		{ "ablate", required_argument, NULL, 'A' },
		{ "ablate-seeds", required_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct validation V = { .seeds = DEFAULT_SEEDS, .scale = 1.0 };
	int workers = 0, c, ret = 0, nr_mc = 0;
	const char *out_dir = NULL;
	bool json = false, plot = false, predict = false, dry = false, quiet = false, any_failed = false;
	struct diag err = { { 0 } };
	struct machine_cache *mc;
	char cmdline[2048], wlpath[512], plot_script[4096];
	const char *only[VR_MAX_SETS];
	int nr_only = 0;
	size_t cl = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:j:o:s:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'O':
			if (nr_only == VR_MAX_SETS) {
				cmd_errorf("too many --only options (at most %d)", VR_MAX_SETS);
				return EXIT_BADINPUT;
			}
			only[nr_only++] = optarg;
			break;
		case 's':
			if (add_model_set("--set", optarg, V.js.set_keys, V.js.set_values, &V.js.nr_sets,
					  VR_MAX_SETS))
				goto bad_option;
			break;
		case 'A':
			if (add_model_set("--ablate", optarg, V.abl_key, V.abl_value, &V.nr_abl, VR_MAX_ABLATIONS))
				goto bad_option;
			break;
		case 'a':
			if (parse_pos_int("--ablate-seeds", optarg, MAX_SEEDS, &V.aseeds))
				goto bad_option;
			break;
		case 'n':
			if (parse_pos_int("--seeds", optarg, MAX_SEEDS, &V.seeds))
				return EXIT_BADINPUT;
			break;
		case 'j':
			if (parse_pos_int("--jobs", optarg, 4096, &workers))
				return EXIT_BADINPUT;
			break;
		case 'S':
			if (parse_pos_int("--predict-seeds", optarg, MAX_SEEDS, &V.pseeds))
				return EXIT_BADINPUT;
			break;
		case 'D': {
			char *end;
			errno = 0;
			V.scale = strtod(optarg, &end);
			if (!*optarg || *end || errno || !(V.scale > 0) || V.scale > 1000) {
				cmd_errorf("--duration-scale %s: expected a number > 0 (e.g. 0.1)", optarg);
				return EXIT_BADINPUT;
			}
			break;
		}
		case 'o': out_dir = optarg; break;
		case 'J': json = true; break;
		case 'P': plot = true; break;
		case 'R': predict = true; break;
		case 'N': dry = true; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return 0;
		case ':':
		default:
			return cmd_opt_error("validate", c, argv);
		}
	}
	if (optind + 1 != argc) {
		cmd_errorf("%s (see cassim validate --help)",
			optind == argc ? "expected a CSV file of published results" : "expected exactly one CSV file");
		return EXIT_BADINPUT;
	}
	V.csv = argv[optind];
	if (plot && !out_dir) {
		cmd_error("--plot needs --out DIR (the plot is written there)");
		return EXIT_BADINPUT;
	}
	if (!V.pseeds)
		V.pseeds = V.seeds < DEFAULT_PREDICT_SEEDS ? V.seeds : DEFAULT_PREDICT_SEEDS;
	if (!V.aseeds)
		V.aseeds = V.seeds;
	for (int a = 0; a < V.nr_abl; a++)
		for (int i = 0; i < V.js.nr_sets; i++)
			if (!strcmp(V.abl_key[a], V.js.set_keys[i])) {
				cmd_errorf("--ablate %s=%s: %s is also a what-if --set", V.abl_key[a], V.abl_value[a],
					   V.abl_key[a]);
				goto bad_option;
			}
	if (quiet)
		diag_quiet_warnings(1);
	cl = (size_t)snprintf(cmdline, sizeof(cmdline), "cassim validate");
	for (int i = 1; i < argc && cl < sizeof(cmdline); i++)
		cl += (size_t)snprintf(cmdline + cl, sizeof(cmdline) - cl, " %s", argv[i]);

	V.cmdline = cmdline;
	if (validate_read_csv(V.csv, &V.rows, &V.nr, &err)) {
		cmd_error(err.msg);
		return EXIT_BADINPUT;
	}
	if (nr_only) {
		int kept = 0;
		for (int i = 0; i < V.nr; i++)
			if (row_selected(V.rows[i].id, only, nr_only))
				V.rows[kept++] = V.rows[i];
		if (!kept) {
			cmd_errorf("--only: no row of %s has a matching id", V.csv);
			free(V.rows);
			return EXIT_BADINPUT;
		}
		V.nr = kept;
		for (int i = 0, n = 0; i < nr_only && n < (int)sizeof(V.only); i++)
			n += snprintf(V.only + n, sizeof(V.only) - (size_t)n, "%s%s", i ? "," : "", only[i]);
	}
	if (out_dir && !dry && (afile_probe_dir(out_dir, &err) ||
				(mkdir(out_dir, 0777) && errno != EEXIST &&
				 diag_set(&err, "%s: cannot create the directory: %s", out_dir, strerror(errno))))) {
		diag_prefix(&err, "--out ");
		cmd_error(err.msg);
		free(V.rows);
		return EXIT_OUTPUT;
	}
	mc = xcalloc((size_t)V.nr + 8, sizeof(*mc));

	/* map every row */
	for (int i = 0; i < V.nr; i++) {
		struct row *r = &V.rows[i];
		const struct machine_cache *m;
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
		m = machine_get(mc, &nr_mc, r->machine);
		if (!m->ok) {
			r->verdict = V_UNMAPPED;
			snprintf(r->reason, sizeof(r->reason), "machine '%s' is not a loadable topology: %.400s", r->machine, m->err);
			continue;
		}
		if (vm_map_row(r->benchmark, r->params, r->metric, &m->m, r->pol, V.scale, &r->map)) {
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
		plan_cells(&V.js, r->machine, &r->map, r->base_policy, r->policy, V.seeds, r->cells, NULL, NULL);
		for (int a = 0; a < V.nr_abl; a++)
			plan_cells(&V.js, r->machine, &r->map, r->base_policy, r->policy, V.aseeds, r->abl[a],
				   V.abl_key[a], V.abl_value[a]);
	}
	if (predict) {
		int nm = 0;
		while (vm_predict_machines[nm])
			nm++;
		V.preds = xcalloc((size_t)(nm * vm_nr_predictions), sizeof(*V.preds));
		for (int mi = 0; mi < nm; mi++)
			for (int k = 0; k < vm_nr_predictions; k++) {
				struct pred *p = &V.preds[V.np++];
				const struct machine_cache *m = machine_get(mc, &nr_mc, vm_predict_machines[mi]);
				p->p = &vm_predictions[k];
				p->machine = vm_predict_machines[mi];
				if (!m->ok) {
					snprintf(p->reason, sizeof(p->reason), "%.200s", m->err);
					continue;
				}
				if (vm_map_row(p->p->benchmark, p->p->params, p->p->metric, &m->m, NULL, V.scale, &p->map)) {
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
						plan_cells(&V.js, p->machine, &p->map, "cfs", vm_predict_policies[q], V.pseeds,
							   &p->cells[q], NULL, NULL);
				}
				/* the cfs mean is shown even when no CAS policy exists */
				if (!p->have_policy[0])
					plan_cells(&V.js, p->machine, &p->map, "cfs", "cfs", V.pseeds, &p->cells[0], NULL, NULL);
			}
	}

	if (dry) {
		for (int i = 0; i < V.nr; i++) {
			const struct row *r = &V.rows[i];
			printf("%-26s %-22s %s", r->id, r->policy[0] ? r->policy : "-", vr_verdict_name[r->verdict]);
			if (r->reason[0])
				printf(": %s", r->reason);
			if (r->mapped) {
				printf("%s%s on %s, metrics.%s.%s (%s)", r->reason[0] ? "\n    " : ": ", r->map.workload, r->machine, r->map.metric,
				       r->map.stat, vr_sense_name(r->map.sense));
				for (int v = 0; v < r->map.nr_variants; v++) {
					char sets[512], d[32];
					vr_sets_str(&r->map.var[v], sets, sizeof(sets));
					vr_dur_str(r->map.var[v].duration, d, sizeof(d));
					printf("\n    --set %s; %s %s", sets, vr_is_fixed_work(&r->map) ? "cap" : "duration", d);
				}
				if (strcmp(r->base_policy, "cfs"))
					printf("\n    baseline: %s", r->base_policy);
				for (int k = 0; k < r->map.nr_policy_sets; k++)
					printf("\n    %s: --set %s=%s", strcmp(r->base_policy, "cfs") ? "both" : "revision only",
					       r->map.policy_sets[k].key, r->map.policy_sets[k].value);
				if (r->map.notes[0])
					printf("\n    assumed: %s", r->map.notes);
			}
			putchar('\n');
		}
		for (int i = 0; i < V.np; i++) {
			char sets[512];
			const struct pred *p = &V.preds[i];
			if (!p->mapped) {
				printf("predict %-20s %s %s: unmapped: %s\n", p->machine, p->p->benchmark, p->p->params, p->reason);
				continue;
			}
			vr_sets_str(&p->map.var[0], sets, sizeof(sets));
			printf("predict %-20s %s: --set %s\n", p->machine, p->map.workload, sets);
		}
		for (int i = 0; i < V.js.nr_sets; i++)
			printf("what-if, every run: --set %s=%s\n", V.js.set_keys[i], V.js.set_values[i]);
		for (int a = 0; a < V.nr_abl; a++)
			printf("ablation, each row again (%d seeds): --set %s=%s\n", V.aseeds, V.abl_key[a], V.abl_value[a]);
		printf("runs: %d\n", V.js.nr);
		goto out;
	}

	if (plot && vr_plot_check(plot_script, sizeof(plot_script), &err)) {
		cmd_error(err.msg);
		ret = 1;
		goto out;
	}
	if (V.js.nr) {
		if (!quiet)
			fprintf(stderr, "cassim validate: %d rows, %d distinct runs on %d workers\n", V.nr, V.js.nr,
				workers ? workers : (int)sysconf(_SC_NPROCESSORS_ONLN));
		jobs_set_label("validate");
		if (jobs_run(V.js.jobs, V.js.nr, workers, !quiet) < 0) {
			cmd_error("could not start the worker processes");
			ret = 1;
			goto out;
		}
	}
	for (int i = 0; i < V.nr; i++) {
		struct row *r = &V.rows[i];
		if (r->verdict != V_PLANNED)
			continue;
		for (int v = 0; v < r->map.nr_variants; v++) {
			cell_eval(&r->cells[v], &V.js, &r->map, V.seeds);
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
		for (int a = 0; a < V.nr_abl; a++) {
			bool ok = true;
			for (int v = 0; v < r->map.nr_variants; v++) {
				cell_eval(&r->abl[a][v], &V.js, &r->map, V.aseeds);
				ok &= !r->abl[a][v].err[0];
			}
			if (ok)
				combine(r->abl[a], r->map.nr_variants, r->published, &r->abl_sim[a], &r->abl_ci[a]);
			else
				r->abl_sim[a] = r->abl_ci[a] = NAN, any_failed = true;
		}
	}
	for (int i = 0; i < V.np; i++)
		for (int q = 0; vm_predict_policies[q]; q++)
			if (V.preds[i].mapped && (V.preds[i].have_policy[q] || (q == 0 && V.preds[i].cells[0].base_job))) {
				cell_eval(&V.preds[i].cells[q], &V.js, &V.preds[i].map, V.pseeds);
				if (V.preds[i].cells[q].err[0] && V.preds[i].have_policy[q])
					any_failed = true;
			}

	if (json) {
		json_t *root = vr_json(&V);
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		putchar('\n');
		json_decref(root);
	} else {
		vr_print_text(stdout, &V);
	}
	if (out_dir && vr_write_files(&V, out_dir, plot ? plot_script : NULL, &err)) {
		cmd_error(err.msg);
		ret = 1;
	}
	if (any_failed && !ret) {
		if (!quiet)
			cmd_errorf("some runs failed (see the rows marked failed)");
		ret = 1;
	}
out:
	for (int i = 0; i < V.nr; i++)
		for (int v = 0; v < VM_MAX_VARIANTS; v++) {
			cell_free(&V.rows[i].cells[v]);
			for (int a = 0; a < V.nr_abl; a++)
				cell_free(&V.rows[i].abl[a][v]);
		}
	for (int i = 0; i < V.np; i++)
		for (int q = 0; q < VR_MAX_POLICIES; q++)
			cell_free(&V.preds[i].cells[q]);
	for (int a = 0; a < V.nr_abl; a++)
		free((char *)V.abl_key[a]); /* holds the value too: add_model_set */
	jobset_free(&V.js);
	free(V.preds);
	free(V.rows);
	free(mc);
	return ret;
bad_option:
	for (int a = 0; a < V.nr_abl; a++)
		free((char *)V.abl_key[a]);
	jobset_free(&V.js);
	return EXIT_BADINPUT;
}
