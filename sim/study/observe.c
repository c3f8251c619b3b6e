/*
 * Public observables beside the model's figures (observe.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/param.h"
#include "base/xalloc.h"
#include "study/observe.h"
#include "study/validate.h"

enum { F_ID, F_TOPO, F_WL, F_PARAMS, F_POLICY, F_DUR, F_OBS, F_PUB, F_SRC, NR_F };

static const char *const header[NR_F] = {
	"id", "topology", "workload", "params", "policy", "duration", "observable", "published", "source",
};

/* What each observable reads from the run's results.total (a rate divides
 * the counter by the simulated run length, results.duration_ns). */
struct obs_def {
	const char *name;
	const char *key;    /* in results.total; "migrations" reads .total */
	bool rate;
};

static const struct obs_def defs[] = {
	{ "migrations_per_s", "migrations", true },
	{ "switches_per_s", "nr_switches", true },
	{ "wakeups_per_s", "nr_wakeups", true },
	{ "wakeup_lat_p50_us", "wakeup_lat_p50_us", false },
	{ "wakeup_lat_p99_us", "wakeup_lat_p99_us", false },
	{ "wakeup_lat_p999_us", "wakeup_lat_p999_us", false },
};
#define NR_DEFS (sizeof(defs) / sizeof(defs[0]))

const char *const obs_names[] = {
	"migrations_per_s", "switches_per_s", "wakeups_per_s",
	"wakeup_lat_p50_us", "wakeup_lat_p99_us", "wakeup_lat_p999_us", NULL,
};

static const struct obs_def *def_of(const char *name)
{
	for (size_t i = 0; i < NR_DEFS; i++)
		if (!strcmp(defs[i].name, name))
			return &defs[i];
	return NULL;
}

void obs_free(struct obs_row *rows, int nr)
{
	for (int i = 0; rows && i < nr; i++) {
		struct obs_row *r = &rows[i];

		free(r->id);
		free(r->topology);
		free(r->workload);
		free(r->params);
		free(r->policy);
		free(r->observable);
		free(r->source);
		for (int k = 0; k < r->nr_sets; k++) {
			free(r->keys[k]);
			free(r->values[k]);
		}
	}
	free(rows);
}

/* "KEY=VALUE KEY=VALUE" into @r's --set pairs. */
static int split_params(struct obs_row *r, struct diag *err)
{
	char *s = xstrdup(r->params), *save = NULL;
	int ret = 0;

	for (char *tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq || eq == tok) {
			ret = diag_set(err, "params: '%s' is not KEY=VALUE", tok);
			break;
		}
		if (r->nr_sets == OBS_MAX_SETS) {
			ret = diag_set(err, "params: more than %d KEY=VALUE pairs", OBS_MAX_SETS);
			break;
		}
		*eq = '\0';
		r->keys[r->nr_sets] = xstrdup(tok);
		r->values[r->nr_sets++] = xstrdup(eq + 1);
	}
	free(s);
	return ret;
}

static int parse_row(struct obs_row *r, char **f, struct diag *err)
{
	char *end;

	r->id = xstrdup(f[F_ID]);
	r->topology = xstrdup(f[F_TOPO]);
	r->workload = xstrdup(f[F_WL]);
	r->params = xstrdup(f[F_PARAMS]);
	r->policy = xstrdup(*f[F_POLICY] ? f[F_POLICY] : "cfs");
	r->observable = xstrdup(f[F_OBS]);
	r->source = xstrdup(f[F_SRC]);
	if (!*r->id || !*r->topology || !*r->workload || !*r->source)
		return diag_set(err, "id, topology, workload and source must not be empty");
	if (!def_of(r->observable))
		return diag_set(err, "observable '%s': expected one of migrations_per_s, switches_per_s, "
				"wakeups_per_s, wakeup_lat_p50_us, wakeup_lat_p99_us, wakeup_lat_p999_us",
				r->observable);
	errno = 0;
	r->published = strtod(f[F_PUB], &end);
	if (!*f[F_PUB] || *end || errno || !isfinite(r->published) || r->published <= 0)
		return diag_set(err, "published '%s': expected a number > 0", f[F_PUB]);
	if (*f[F_DUR] && parse_duration(f[F_DUR], 1e9, &r->duration))
		return diag_set(err, "duration '%s': expected a time such as 500ms or 2s", f[F_DUR]);
	return split_params(r, err);
}

int obs_read_csv(const char *path, struct obs_row **rows_out, int *nr_out, struct diag *err)
{
	FILE *fp = fopen(path, "r");
	char line[4096];
	struct obs_row *rows = NULL;
	int nr = 0, cap = 0, ln = 0;
	bool have_header = false;

	*rows_out = NULL;
	*nr_out = 0;
	if (!fp)
		return diag_set(err, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp)) {
		char *f[NR_F + 1];
		size_t len = strlen(line);
		int n;

		ln++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		n = validate_csv_split(line, f, NR_F);
		if (n != NR_F) {
			diag_set(err, "%s:%d: expected %d fields (%s,...,%s), got %s", path, ln, NR_F,
				 header[0], header[NR_F - 1], n < 0 ? "an unterminated quote" : n > NR_F ? "more" : "fewer");
			goto fail;
		}
		if (!have_header) {
			for (int i = 0; i < NR_F; i++)
				if (strcmp(f[i], header[i])) {
					diag_set(err, "%s:%d: header field %d is '%s', expected '%s'", path, ln, i + 1,
						 f[i], header[i]);
					goto fail;
				}
			have_header = true;
			continue;
		}
		if (nr == cap) {
			cap = cap ? 2 * cap : 8;
			rows = xrealloc(rows, (size_t)cap * sizeof(*rows));
		}
		memset(&rows[nr], 0, sizeof(rows[nr]));
		rows[nr].line = ln;
		if (parse_row(&rows[nr++], f, err)) {
			diag_prefix(err, "%s:%d: ", path, ln);
			goto fail;
		}
	}
	fclose(fp);
	if (!have_header)
		return obs_free(rows, nr), diag_set(err, "%s: no header line", path);
	*rows_out = rows;
	*nr_out = nr;
	return 0;
fail:
	fclose(fp);
	obs_free(rows, nr);
	return -1;
}

int obs_value(const char *observable, const json_t *result, double *out)
{
	const struct obs_def *d = def_of(observable);
	json_t *res = json_object_get(result, "results");
	json_t *tot = json_object_get(res, "total");
	json_t *v;
	double dur;

	if (!d || !tot)
		return -1;
	v = json_object_get(tot, d->key);
	if (json_is_object(v))
		v = json_object_get(v, "total");
	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	if (!d->rate)
		return 0;
	dur = json_number_value(json_object_get(res, "duration_ns")) / 1e9;
	if (!(dur > 0))
		return -1;
	*out /= dur;
	return 0;
}

struct job *obs_plan(const struct obs_row *rows, int nr, int seeds)
{
	struct job *jobs = xcalloc((size_t)(nr * seeds > 0 ? nr * seeds : 1), sizeof(*jobs));

	for (int r = 0; r < nr; r++)
		for (int s = 0; s < seeds; s++) {
			struct job *j = &jobs[r * seeds + s];

			j->topology = rows[r].topology;
			j->workload = rows[r].workload;
			j->policy = rows[r].policy;
			j->seed = (uint64_t)s + 1;
			j->duration = rows[r].duration;
			j->nr_sets = rows[r].nr_sets;
			j->set_keys = (const char *const *)rows[r].keys;
			j->set_values = (const char *const *)rows[r].values;
		}
	return jobs;
}

/* "|" would end a Markdown table cell */
static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

int obs_report(FILE *f, const struct obs_row *rows, int nr, const struct job *jobs, int seeds)
{
	int failed = 0;

	fprintf(f, "| id | machine | run | observable | published | model (%d seed%s) | model / published | source |\n",
		seeds, seeds == 1 ? "" : "s");
	fputs("|---|---|---|---|---:|---:|---:|---|\n", f);
	for (int r = 0; r < nr; r++) {
		const struct obs_row *o = &rows[r];
		double sum = 0, lo = INFINITY, hi = -INFINITY;
		int ok = 0;

		for (int s = 0; s < seeds; s++) {
			const struct job *j = &jobs[r * seeds + s];
			double v;

			if (j->status || obs_value(o->observable, j->result, &v))
				continue;
			sum += v;
			lo = fmin(lo, v);
			hi = fmax(hi, v);
			ok++;
		}
		fprintf(f, "| %s | %s | %s %s%s%s | %s | %.4g | ", o->id, o->topology, o->workload, o->policy,
			*o->params ? " " : "", o->params, o->observable, o->published);
		if (ok < seeds) {
			failed++;
			fputs("failed | - | ", f);
		} else if (seeds > 1) {
			fprintf(f, "%.4g (%.4g-%.4g) | %.2f | ", sum / ok, lo, hi, sum / ok / o->published);
		} else {
			fprintf(f, "%.4g | %.2f | ", sum, sum / o->published);
		}
		md_cell(f, o->source);
		fputs(" |\n", f);
	}
	return failed;
}
