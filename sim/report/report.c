/*
 * Report writers for one run: a fixed-width text summary for people, JSON
 * and CSV for scripts.  JSON and CSV are deterministic (no wall time, keys
 * and rows in a fixed order, doubles with 17 significant digits), so the
 * same config and seed give byte-identical files.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "report/report.h"
#include "report/tidy.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>


#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

const char *const mig_kind_name[MIG_NR] = {"smt", "llc", "xllc", "xnode", "xpkg"};

/* Percentiles schbench reports (p99 is the one people quote). */
#define LAT_P50 50.0
#define LAT_P99 99.0
#define LAT_P999 99.9

static uint64_t mig_total(const struct task_counters *c)
{
	uint64_t t = 0;
	int k;

	for (k = 0; k < MIG_NR; k++)
		t += c->nr_migrations[k];
	return t;
}

static double lat_us(const struct hist *h, double p)
{
	return (double)hist_percentile(h, p) / (double)NSEC_PER_USEC;
}

static double lat_max_us(const struct hist *h)
{
	return h->n ? (double)h->max / (double)NSEC_PER_USEC : 0.0;
}

/* ---- text ------------------------------------------------------------- */

static void text_rule(FILE *f, int width)
{
	while (width-- > 0)
		fputc('-', f);
	fputc('\n', f);
}

#define PROC_ROW_WIDTH (16 + 4 + 4 * 10 + 3 * 10 + MIG_NR * 9)

static void text_proc_header(FILE *f)
{
	int k;

	fprintf(f, "%-16s%4s%10s%10s%10s%10s%10s%10s%10s", "process", "thr",
		"work_s", "cpu_s", "wait_s", "wakeups", "lat_p50", "lat_p99",
		"lat_p99.9");
	for (k = 0; k < MIG_NR; k++)
		fprintf(f, "%9s", mig_kind_name[k]);
	fputc('\n', f);
	fprintf(f, "%-16s%4s%10s%10s%10s%10s%10s%10s%10s", "", "", "", "", "", "",
		"(us)", "(us)", "(us)");
	/* Units row; the migration columns share one label (no trailing blanks). */
	fprintf(f, "%9s\n", "(migr)");
	text_rule(f, PROC_ROW_WIDTH);
}

static void text_proc_row(FILE *f, const struct proc_metrics *p, const char *name)
{
	int k;

	fprintf(f, "%-16.16s%4d%10.3f%10.3f%10.3f%10" PRIu64 "%10.1f%10.1f%10.1f",
		name, p->nr_threads, p->c.work_ns / NSEC_PER_SEC,
		p->c.cpu_ns / NSEC_PER_SEC, p->c.wait_ns / NSEC_PER_SEC,
		p->c.nr_wakeups, lat_us(&p->wakeup_lat, LAT_P50),
		lat_us(&p->wakeup_lat, LAT_P99), lat_us(&p->wakeup_lat, LAT_P999));
	for (k = 0; k < MIG_NR; k++)
		fprintf(f, "%9" PRIu64, p->c.nr_migrations[k]);
	fputc('\n', f);
}

void report_text(FILE *f, const struct results *r)
{
	int i;

	fprintf(f, "policy     %s\n", r->policy);
	if (r->verdict_kind >= 0)
		fprintf(f, "verdict    %s\n", r->verdict);
	fprintf(f, "topology   %s\n", r->topology);
	fprintf(f, "workload   %s\n", r->workload);
	fprintf(f, "seed       %" PRIu64 "\n", r->seed);
	fprintf(f, "simulated  %.3f s\n", (double)r->duration_ns / NSEC_PER_SEC);
	fprintf(f, "model      %s\n\n", r->model.on ? r->model.profile : "off");

	/* the benchmark's own metrics first, the way it prints them */
	for (i = 0; i < r->nr_metrics; i++) {
		const struct bench_metric *m = &r->metrics[i];

		if (m->latency)
			fprintf(f, "%-20s p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f us  (%" PRIu64
				" samples)\n", m->name, lat_us(&m->h, LAT_P50), lat_us(&m->h, 90.0),
				lat_us(&m->h, LAT_P99), lat_us(&m->h, LAT_P999), lat_max_us(&m->h), m->h.n);
		else
			fprintf(f, "%-20s %.6g %s%s\n", m->name, m->value, m->unit,
				m->incomplete ? "  (incomplete: not every thread finished; raise --duration)" : "");
	}
	if (r->nr_metrics)
		fputc('\n', f);

	text_proc_header(f);
	for (i = 0; i < r->nr_procs; i++)
		text_proc_row(f, &r->procs[i], r->procs[i].name);
	text_rule(f, PROC_ROW_WIDTH);
	text_proc_row(f, &r->total, "total");

	fprintf(f, "\ncpu utilisation (%d cpus): mean %.1f%%  min %.1f%%  max %.1f%%  stddev %.1f%%\n",
		r->nr_cpus, 100.0 * r->util_mean, 100.0 * r->util_min,
		100.0 * r->util_max, 100.0 * r->util_stddev);

	if (r->nr_levels > 0) {
		fprintf(f, "\nload balance\n");
		fprintf(f, "%-6s%6s%11s%11s%11s%11s%11s%11s%11s%11s\n", "level", "dist",
			"attempts", "balanced", "successes", "failed", "moved",
			"active", "newidle", "cutoff");
		text_rule(f, 6 + 6 + 8 * 11);
		for (i = 0; i < r->nr_levels; i++) {
			const struct lb_level_metrics *l = &r->levels[i];

			fprintf(f, "%-6.6s%6d%11" PRIu64 "%11" PRIu64 "%11" PRIu64
				"%11" PRIu64 "%11" PRIu64 "%11" PRIu64 "%11" PRIu64 "%11" PRIu64 "\n",
				l->name, l->numa_distance, l->attempts, l->balanced,
				l->successes, l->failed, l->tasks_moved, l->active,
				l->newidle_attempts, l->newidle_cutoffs);
		}
	}

	fprintf(f, "\nforks %" PRIu64 ", exits %" PRIu64 ", nohz kicks %" PRIu64 "\n",
		r->nr_forks, r->nr_exits, r->nohz_kicks);
	if (r->nr_hotplug)
		fprintf(f, "cpu hotplug: %" PRIu64 " offline/online transitions, %" PRIu64
			" tasks lost their affinity\n", r->nr_hotplug, r->affinity_broken);
	fprintf(f, "idle while waiting: %" PRIu64 " times, %.3f ms\n",
		r->idle_while_waiting, r->idle_while_waiting_ns / NSEC_PER_MSEC);
	if (r->model.on)
		fprintf(f, "overhead %.3f s cpu, spinning %.3f s cpu, idle-state exits %" PRIu64
			" (%.3f ms of exit latency)\n", r->total.c.overhead_ns / NSEC_PER_SEC,
			r->total.c.spin_ns / NSEC_PER_SEC, r->model.idle_exits,
			r->model.idle_exit_ns / NSEC_PER_MSEC);
	if (r->model.on)
		fprintf(f, "idle: %" PRIu64 " ticks woke an idle CPU, %" PRIu64 " wakeup IPIs to idle CPUs, %" PRIu64
			" saved by polling, %" PRIu64 " poll time limits\n", r->model.idle_ticks, r->model.ipis,
			r->model.ipis_saved, r->model.poll_timeouts);
	if (r->noise.on)
		fprintf(f, "os noise: %" PRIu64 " busy ticks (%.3f ms), %" PRIu64 " kernel-thread wakeups (%.3f ms), %" PRIu64
			" interrupts (%.3f ms)\n", r->noise.tick_irqs, r->noise.tick_irq_ns / NSEC_PER_MSEC,
			r->noise.kthread_wakeups, r->noise.kthread_ns / NSEC_PER_MSEC, r->noise.irqs,
			r->noise.irq_ns / NSEC_PER_MSEC);
	else if (r->model.on)
		fprintf(f, "os noise: off\n");
	if (r->nr_policy_metrics) {
		fprintf(f, "\npolicy %s\n", r->policy);
		for (int k = 0; k < r->nr_policy_metrics; k++)
			fprintf(f, "  %-16.16s %-32s %.6g\n", r->policy_metrics[k].scope,
				r->policy_metrics[k].name, r->policy_metrics[k].value);
	}
	if (r->numa_scans)
		fprintf(f, "numa balancing: %" PRIu64 " scans, %" PRIu64 " task moves, %" PRIu64
			" preferred-node changes, %.1f MB of pages migrated\n", r->numa_scans,
			r->numa_task_migrations, r->numa_pref_changes, r->numa_pages_migrated_bytes / 1e6);
	if (r->wall_s > 0)
		fprintf(f, "events %" PRIu64 " in %.3f s wall (%.0f events/s)\n",
			r->events, r->wall_s, (double)r->events / r->wall_s);
	else
		fprintf(f, "events %" PRIu64 " in %.3f s wall\n", r->events, r->wall_s);
}

/* ---- JSON ------------------------------------------------------------- */

/* json_real() refuses NaN and infinities; write null instead so one odd
 * statistic does not lose the whole result. */
static json_t *jreal(double d)
{
	return isfinite(d) ? json_real(d) : json_null();
}

static json_t *juint(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v);
}

static json_t *json_proc(const struct proc_metrics *p, const char *name)
{
	json_t *o = json_object(), *m = json_object();
	int k;

	set(o, "name", json_string(name));
	set(o, "nr_threads", json_integer(p->nr_threads));
	set(o, "work_ns", jreal(p->c.work_ns));
	set(o, "cpu_ns", jreal(p->c.cpu_ns));
	set(o, "overhead_ns", jreal(p->c.overhead_ns));
	set(o, "spin_ns", jreal(p->c.spin_ns));
	set(o, "wait_ns", jreal(p->c.wait_ns));
	set(o, "nr_wakeups", juint(p->c.nr_wakeups));
	set(o, "nr_switches", juint(p->c.nr_switches));
	set(o, "loops_done", juint(p->c.loops_done));
	set(o, "wakeup_lat_p50_us", jreal(lat_us(&p->wakeup_lat, LAT_P50)));
	set(o, "wakeup_lat_p99_us", jreal(lat_us(&p->wakeup_lat, LAT_P99)));
	set(o, "wakeup_lat_p999_us", jreal(lat_us(&p->wakeup_lat, LAT_P999)));
	set(o, "wakeup_lat_mean_us",
	    jreal(hist_mean(&p->wakeup_lat) / (double)NSEC_PER_USEC));
	set(o, "wakeup_lat_max_us", jreal(lat_max_us(&p->wakeup_lat)));
	for (k = 0; k < MIG_NR; k++)
		set(m, mig_kind_name[k], juint(p->c.nr_migrations[k]));
	set(m, "total", juint(mig_total(&p->c)));
	set(o, "migrations", m);
	return o;
}

/* The workload's benchmark metrics: {"time": {"value": .., "unit": "s"}, ...}. */
static json_t *json_bench(const struct results *r)
{
	json_t *o = json_object();

	for (int i = 0; i < r->nr_metrics; i++) {
		const struct bench_metric *m = &r->metrics[i];
		json_t *v = json_object();

		set(v, "unit", json_string(m->latency ? "us" : m->unit));
		set(v, "higher_is_better", json_boolean(m->higher_is_better));
		if (m->latency) {
			set(v, "samples", juint(m->h.n));
			set(v, "mean", jreal(m->value / (double)NSEC_PER_USEC));
			set(v, "p50", jreal(lat_us(&m->h, LAT_P50)));
			set(v, "p90", jreal(lat_us(&m->h, 90.0)));
			set(v, "p99", jreal(lat_us(&m->h, LAT_P99)));
			set(v, "p99.9", jreal(lat_us(&m->h, LAT_P999)));
			set(v, "max", jreal(lat_max_us(&m->h)));
		} else {
			set(v, "value", jreal(m->value));
			set(v, "incomplete", json_boolean(m->incomplete));
		}
		set(o, m->name, v);
	}
	return o;
}

json_t *report_json(const struct results *r, json_t *config)
{
	json_t *root = json_object(), *res = json_object();
	json_t *procs = json_array(), *util = json_object(), *per_cpu = json_array();
	json_t *lb = json_array();
	int i;

	set(root, "cassim_version", json_string(PACKAGE_VERSION));
	set(root, "config", config ? json_incref(config) : json_null());

	set(res, "duration_ns", json_integer((json_int_t)r->duration_ns));
	set(res, "metrics", json_bench(r));
	set(res, "total", json_proc(&r->total, "total"));
	for (i = 0; i < r->nr_procs; i++)
		json_array_append_new(procs, json_proc(&r->procs[i], r->procs[i].name));
	set(res, "processes", procs);

	set(util, "mean", jreal(r->util_mean));
	set(util, "min", jreal(r->util_min));
	set(util, "max", jreal(r->util_max));
	set(util, "stddev", jreal(r->util_stddev));
	for (i = 0; i < r->nr_cpus && r->cpu_util; i++)
		json_array_append_new(per_cpu, jreal(r->cpu_util[i]));
	set(util, "per_cpu", per_cpu);
	set(res, "cpu_util", util);

	for (i = 0; i < r->nr_levels; i++) {
		const struct lb_level_metrics *l = &r->levels[i];
		json_t *o = json_object();

		set(o, "level", json_string(l->name));
		set(o, "numa_distance", json_integer(l->numa_distance));
		set(o, "attempts", juint(l->attempts));
		set(o, "balanced", juint(l->balanced));
		set(o, "successes", juint(l->successes));
		set(o, "failed", juint(l->failed));
		set(o, "tasks_moved", juint(l->tasks_moved));
		set(o, "active", juint(l->active));
		set(o, "newidle_attempts", juint(l->newidle_attempts));
		set(o, "newidle_cutoffs", juint(l->newidle_cutoffs));
		set(o, "serialize_skips", juint(l->serialize_skips));
		json_array_append_new(lb, o);
	}
	set(res, "load_balance", lb);

	set(res, "forks", juint(r->nr_forks));
	set(res, "exits", juint(r->nr_exits));
	set(res, "nohz_kicks", juint(r->nohz_kicks));
	set(res, "nohz_stats_kicks", juint(r->nohz_stats_kicks));
	set(res, "blocked_updates", juint(r->blocked_updates));
	set(res, "pipe_mutex_spins", juint(r->pipe_mutex_spins));
	set(res, "pipe_mutex_sleeps", juint(r->pipe_mutex_sleeps));
	set(res, "pipe_mutex_handoffs", juint(r->pipe_mutex_handoffs));
	set(res, "futex_ops", juint(r->futex_ops));
	set(res, "futex_bucket_spins", juint(r->futex_bucket_spins));
	set(res, "futex_bucket_spin_ns", jreal(r->futex_bucket_spin_ns));
	set(res, "sock_lock_ops", juint(r->sock_lock_ops));
	set(res, "sock_lock_spins", juint(r->sock_lock_spins));
	set(res, "sock_lock_spin_ns", jreal(r->sock_lock_spin_ns));
	set(res, "idle_while_waiting", juint(r->idle_while_waiting));
	set(res, "idle_while_waiting_ns", jreal(r->idle_while_waiting_ns));
	{
		json_t *pm = json_object();
		for (int k = 0; k < r->nr_policy_metrics; k++) {
			const struct policy_metric *m = &r->policy_metrics[k];
			json_t *sc = json_object_get(pm, m->scope);
			if (!sc) {
				sc = json_object();
				json_object_set_new(pm, m->scope, sc);
			}
			set(sc, m->name, jreal(m->value));
		}
		set(res, "policy", pm);
	}
	if (r->verdict_kind >= 0) {
		json_t *v = json_object();

		set(v, "kind", json_string(r->verdict_name));
		set(v, "code", json_integer(r->verdict_kind));
		set(v, "text", json_string(r->verdict));
		set(res, "verdict", v);
	}
	set(res, "hotplug_transitions", juint(r->nr_hotplug));
	set(res, "affinity_broken", juint(r->affinity_broken));
	set(res, "idle_state_exits", juint(r->model.idle_exits));
	set(res, "idle_exit_latency_ns", jreal(r->model.idle_exit_ns));
	set(res, "idle_ticks", juint(r->model.idle_ticks));
	set(res, "idle_poll_timeouts", juint(r->model.poll_timeouts));
	set(res, "idle_ipis", juint(r->model.ipis));
	set(res, "idle_ipis_saved", juint(r->model.ipis_saved));
	{
		json_t *n = json_object();

		set(n, "on", json_boolean(r->noise.on));
		set(n, "tick_irqs", juint(r->noise.tick_irqs));
		set(n, "tick_irq_ns", jreal(r->noise.tick_irq_ns));
		set(n, "kthread_wakeups", juint(r->noise.kthread_wakeups));
		set(n, "kthread_ns", jreal(r->noise.kthread_ns));
		set(n, "irqs", juint(r->noise.irqs));
		set(n, "irq_ns", jreal(r->noise.irq_ns));
		set(res, "os_noise", n);
	}
	set(res, "numa_scans", juint(r->numa_scans));
	set(res, "numa_task_migrations", juint(r->numa_task_migrations));
	set(res, "numa_preferred_changes", juint(r->numa_pref_changes));
	set(res, "numa_pages_migrated_bytes", jreal(r->numa_pages_migrated_bytes));
	set(res, "events", juint(r->events));

	set(root, "results", res);
	return root;
}

int report_dump_json(FILE *f, const struct results *r, json_t *config)
{
	json_t *j = report_json(r, config);
	int rc = j ? json_dumpf(j, f, JSON_PRESERVE_ORDER | JSON_INDENT(2)) : -1;

	json_decref(j);
	if (rc != 0 || fputc('\n', f) == EOF)
		return -1;
	return 0;
}

/* ---- CSV -------------------------------------------------------------- */

/* RFC 4180 quoting, only when needed (process names are user input). */
void report_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Where the rows of report_csv() go: the run's key, and the scope and
 * process of the rows being written. */
struct csv_out {
	FILE *f;
	const struct tidy_key *k;
	const char *scope, *process;
};

static void csv_d(const struct csv_out *o, const char *metric, const char *unit, double v)
{
	tidy_row(o->f, o->k, o->scope, o->process, metric, "value", unit, v, NULL);
}

static void csv_u(const struct csv_out *o, const char *metric, uint64_t v)
{
	csv_d(o, metric, "", (double)v);
}

static void csv_proc(const struct csv_out *o, const struct proc_metrics *p)
{
	char metric[64];
	int k;

	csv_u(o, "nr_threads", (uint64_t)(p->nr_threads > 0 ? p->nr_threads : 0));
	csv_d(o, "work", "ns", p->c.work_ns);
	csv_d(o, "cpu", "ns", p->c.cpu_ns);
	csv_d(o, "overhead", "ns", p->c.overhead_ns);
	csv_d(o, "spin", "ns", p->c.spin_ns);
	csv_d(o, "wait", "ns", p->c.wait_ns);
	csv_u(o, "nr_wakeups", p->c.nr_wakeups);
	csv_u(o, "nr_switches", p->c.nr_switches);
	csv_u(o, "loops_done", p->c.loops_done);
	csv_d(o, "wakeup_lat_p50", "us", lat_us(&p->wakeup_lat, LAT_P50));
	csv_d(o, "wakeup_lat_p99", "us", lat_us(&p->wakeup_lat, LAT_P99));
	csv_d(o, "wakeup_lat_p99.9", "us", lat_us(&p->wakeup_lat, LAT_P999));
	csv_d(o, "wakeup_lat_mean", "us", hist_mean(&p->wakeup_lat) / (double)NSEC_PER_USEC);
	csv_d(o, "wakeup_lat_max", "us", lat_max_us(&p->wakeup_lat));
	for (k = 0; k < MIG_NR; k++) {
		snprintf(metric, sizeof(metric), "migrations_%s", mig_kind_name[k]);
		csv_u(o, metric, p->c.nr_migrations[k]);
	}
	csv_u(o, "migrations_total", mig_total(&p->c));
}

/* Metric prefix for a domain level: "lb_MC".  Kernel NUMA levels all share
 * the name "NUMA", so a repeated name gets its distance appended
 * ("lb_NUMA32") to keep (scope, metric) unique. */
static void lb_prefix(char *buf, size_t len, const struct results *r, int i)
{
	int j, dup = 0;

	for (j = 0; j < r->nr_levels; j++)
		if (j != i && strcmp(r->levels[j].name, r->levels[i].name) == 0)
			dup = 1;
	if (dup)
		snprintf(buf, len, "lb_%.8s%d", r->levels[i].name,
			 r->levels[i].numa_distance);
	else
		snprintf(buf, len, "lb_%.8s", r->levels[i].name);
}

void report_csv(FILE *f, const struct results *r, const struct tidy_key *k)
{
	struct csv_out o = { f, k, "bench", NULL };
	char pre[32], metric[96];
	int i;

	tidy_header(f);
	/* the workload's metrics: a latency as NAME_p50 ... NAME_mean, in us */
	for (i = 0; i < r->nr_metrics; i++) {
		const struct bench_metric *m = &r->metrics[i];
		static const struct { const char *sfx; double p; } pct[] = {
			{ "p50", LAT_P50 }, { "p90", 90.0 }, { "p99", LAT_P99 }, { "p99.9", LAT_P999 } };

		if (!m->latency) {
			csv_d(&o, m->name, m->unit, m->value);
			continue;
		}
		for (size_t q = 0; q < sizeof(pct) / sizeof(pct[0]); q++) {
			snprintf(metric, sizeof(metric), "%s_%s", m->name, pct[q].sfx);
			csv_d(&o, metric, "us", lat_us(&m->h, pct[q].p));
		}
		snprintf(metric, sizeof(metric), "%s_mean", m->name);
		csv_d(&o, metric, "us", m->value / (double)NSEC_PER_USEC);
	}
	o.scope = "total";
	csv_d(&o, "duration", "ns", (double)(r->duration_ns > 0 ? r->duration_ns : 0));
	csv_proc(&o, &r->total);

	csv_d(&o, "cpu_util_mean", "fraction", r->util_mean);
	csv_d(&o, "cpu_util_min", "fraction", r->util_min);
	csv_d(&o, "cpu_util_max", "fraction", r->util_max);
	csv_d(&o, "cpu_util_stddev", "fraction", r->util_stddev);
	for (i = 0; i < r->nr_cpus && r->cpu_util; i++) {
		snprintf(metric, sizeof(metric), "cpu_util_cpu%d", i);
		csv_d(&o, metric, "fraction", r->cpu_util[i]);
	}

	for (i = 0; i < r->nr_levels; i++) {
		const struct lb_level_metrics *l = &r->levels[i];

		lb_prefix(pre, sizeof(pre), r, i);
#define LB_ROW(field)                                                 \
	do {                                                          \
		snprintf(metric, sizeof(metric), "%s_" #field, pre);  \
		csv_u(&o, metric, l->field);                          \
	} while (0)
		LB_ROW(attempts);
		LB_ROW(balanced);
		LB_ROW(successes);
		LB_ROW(failed);
		LB_ROW(tasks_moved);
		LB_ROW(active);
		LB_ROW(newidle_attempts);
		LB_ROW(newidle_cutoffs);
		LB_ROW(serialize_skips);
#undef LB_ROW
	}

	csv_u(&o, "forks", r->nr_forks);
	csv_u(&o, "exits", r->nr_exits);
	csv_u(&o, "nohz_kicks", r->nohz_kicks);
	csv_u(&o, "nohz_stats_kicks", r->nohz_stats_kicks);
	csv_u(&o, "blocked_updates", r->blocked_updates);
	csv_u(&o, "pipe_mutex_spins", r->pipe_mutex_spins);
	csv_u(&o, "pipe_mutex_sleeps", r->pipe_mutex_sleeps);
	csv_u(&o, "pipe_mutex_handoffs", r->pipe_mutex_handoffs);
	csv_u(&o, "futex_ops", r->futex_ops);
	csv_u(&o, "futex_bucket_spins", r->futex_bucket_spins);
	csv_d(&o, "futex_bucket_spin_time", "ns", r->futex_bucket_spin_ns);
	csv_u(&o, "sock_lock_ops", r->sock_lock_ops);
	csv_u(&o, "sock_lock_spins", r->sock_lock_spins);
	csv_d(&o, "sock_lock_spin_time", "ns", r->sock_lock_spin_ns);
	csv_u(&o, "idle_while_waiting", r->idle_while_waiting);
	csv_d(&o, "idle_while_waiting_time", "ns", r->idle_while_waiting_ns);
	csv_u(&o, "hotplug_transitions", r->nr_hotplug);
	csv_u(&o, "idle_state_exits", r->model.idle_exits);
	csv_d(&o, "idle_exit_latency", "ns", r->model.idle_exit_ns);
	csv_u(&o, "idle_ticks", r->model.idle_ticks);
	csv_u(&o, "idle_poll_timeouts", r->model.poll_timeouts);
	csv_u(&o, "idle_ipis", r->model.ipis);
	csv_u(&o, "idle_ipis_saved", r->model.ipis_saved);
	csv_u(&o, "noise_tick_irqs", r->noise.tick_irqs);
	csv_d(&o, "noise_tick_irq_time", "ns", r->noise.tick_irq_ns);
	csv_u(&o, "noise_kthread_wakeups", r->noise.kthread_wakeups);
	csv_d(&o, "noise_kthread_time", "ns", r->noise.kthread_ns);
	csv_u(&o, "noise_irqs", r->noise.irqs);
	csv_d(&o, "noise_irq_time", "ns", r->noise.irq_ns);
	csv_u(&o, "numa_scans", r->numa_scans);
	csv_u(&o, "numa_task_migrations", r->numa_task_migrations);
	csv_u(&o, "events", r->events);

	o.scope = "process";
	for (i = 0; i < r->nr_procs; i++) {
		o.process = r->procs[i].name;
		csv_proc(&o, &r->procs[i]);
	}
	/* a policy reports a metric for "total" or for a process by name */
	for (i = 0; i < r->nr_policy_metrics; i++) {
		bool total = !strcmp(r->policy_metrics[i].scope, "total");

		snprintf(metric, sizeof(metric), "policy_%s", r->policy_metrics[i].name);
		o.scope = total ? "total" : "process";
		o.process = total ? NULL : r->policy_metrics[i].scope;
		csv_d(&o, metric, "", r->policy_metrics[i].value);
	}
	if (r->verdict_kind >= 0)
		tidy_row(f, k, "total", NULL, "policy_verdict", "value", "code", (double)r->verdict_kind,
			 r->verdict);
}

