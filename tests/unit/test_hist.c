/*
 * Unit tests for sim/report: the fio/schbench log-linear histogram (hist.c),
 * the report writers (report.c) and atomic result files (file.c).
 */
#define _GNU_SOURCE /* asprintf */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/file.h"
#include "report/hist.h"
#include "report/report.h"
#include "report/tidy.h"

/* A struct hist is ~32 KiB: keep them off the (forked) test's stack. */
static struct hist *new_hist(void)
{
	struct hist *h = malloc(sizeof(*h));

	ck_assert_ptr_nonnull(h);
	hist_init(h);
	return h;
}

/* Deterministic xorshift64 so the "random" tests are reproducible. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ---- bucket mapping --------------------------------------------------- */

START_TEST(test_exact_small_values)
{
	uint64_t v;

	/* fio keeps every bit while msb <= PLAT_BITS: 0..511 are exact. */
	for (v = 0; v < 2 * HIST_PLAT_VAL; v++) {
		ck_assert_uint_eq(hist_val_to_idx(v), v);
		ck_assert_uint_eq(hist_idx_to_val((unsigned)v), v);
	}
}
END_TEST

START_TEST(test_known_fio_buckets)
{
	/* First rounded group: width-2 buckets from 512. */
	ck_assert_uint_eq(hist_val_to_idx(512), 512);
	ck_assert_uint_eq(hist_val_to_idx(513), 512);
	ck_assert_uint_eq(hist_val_to_idx(514), 513);
	ck_assert_uint_eq(hist_val_to_idx(1023), 767);
	ck_assert_uint_eq(hist_val_to_idx(1024), 768);
	/* Midpoints, as plat_idx_to_val() returns base + (k + 0.5) * width. */
	ck_assert_uint_eq(hist_idx_to_val(512), 513);
	ck_assert_uint_eq(hist_idx_to_val(767), 1023);
	ck_assert_uint_eq(hist_idx_to_val(768), 1026);
	/* Last bucket of the last group: [2^39 - 2^30, 2^39). */
	ck_assert_uint_eq(hist_idx_to_val(HIST_PLAT_NR - 1),
			  (UINT64_C(1) << 39) - (UINT64_C(1) << 29));
}
END_TEST

START_TEST(test_idx_val_round_trip)
{
	unsigned i;

	for (i = 0; i < HIST_PLAT_NR; i++)
		ck_assert_uint_eq(hist_val_to_idx(hist_idx_to_val(i)), i);
}
END_TEST

START_TEST(test_monotonic)
{
	unsigned i, prev_idx = 0;
	uint64_t v, step;

	for (i = 1; i < HIST_PLAT_NR; i++)
		ck_assert_uint_gt(hist_idx_to_val(i), hist_idx_to_val(i - 1));

	/* val -> idx never decreases; sample densely low, geometrically high. */
	for (v = 0, step = 1; v < (UINT64_C(1) << 41); v += step) {
		unsigned idx = hist_val_to_idx(v);

		ck_assert_uint_ge(idx, prev_idx);
		ck_assert_uint_lt(idx, HIST_PLAT_NR);
		prev_idx = idx;
		if (v > 4096)
			step = v / 1000 + 1;
	}
}
END_TEST

START_TEST(test_bucket_error_bound)
{
	uint64_t s = 42, v, rep;
	int i;

	/* Below the clamp the midpoint is within half a bucket: < v/256. */
	for (i = 0; i < 200000; i++) {
		v = rnd(&s) >> (25 + i % 39); /* spread over many magnitudes */
		if (v >= (UINT64_C(1) << 39))
			continue;
		rep = hist_idx_to_val(hist_val_to_idx(v));
		ck_assert_msg(fabs((double)rep - (double)v) <= (double)v / 256.0,
			      "v=%llu rep=%llu", (unsigned long long)v,
			      (unsigned long long)rep);
	}
}
END_TEST

/* ---- add / percentile / merge ----------------------------------------- */

START_TEST(test_empty)
{
	struct hist *h = new_hist();

	ck_assert_uint_eq(h->n, 0);
	ck_assert_uint_eq(hist_percentile(h, 50), 0);
	ck_assert_uint_eq(hist_percentile(h, 99.9), 0);
	ck_assert(hist_mean(h) == 0.0);
	free(h);
}
END_TEST

START_TEST(test_uniform_1_to_1000)
{
	struct hist *h = new_hist();
	uint64_t v;

	for (v = 1; v <= 1000; v++)
		hist_add(h, v);
	ck_assert_uint_eq(h->n, 1000);
	ck_assert_uint_eq(h->min, 1);
	ck_assert_uint_eq(h->max, 1000);
	ck_assert_double_eq_tol(hist_mean(h), 500.5, 1e-9);

	/* Exact region: the 500th value. */
	ck_assert_uint_eq(hist_percentile(h, 50), 500);
	ck_assert_uint_eq(hist_percentile(h, 20), 200);
	/* 990 is in bucket [990, 991], reported as its midpoint 991. */
	ck_assert_uint_eq(hist_percentile(h, 99), 991);
	ck_assert_uint_le(llabs((long long)hist_percentile(h, 99.9) - 999), 2);
	ck_assert_uint_eq(hist_percentile(h, 100), 1001); /* bucket [1000,1001] */
	/* p0: the lowest occupied bucket. */
	ck_assert_uint_eq(hist_percentile(h, 0), 1);
	free(h);
}
END_TEST

START_TEST(test_uniform_large)
{
	struct hist *h = new_hist();
	uint64_t i;
	static const double ps[] = {20, 50, 90, 99, 99.9};
	unsigned k;

	/* 1 µs .. 100 ms in 1 µs steps. */
	for (i = 1; i <= 100000; i++)
		hist_add(h, i * 1000);
	for (k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
		double want = ps[k] / 100.0 * 100000 * 1000;
		double got = (double)hist_percentile(h, ps[k]);

		ck_assert_msg(fabs(got - want) <= want / 256.0 + 1000,
			      "p%g: got %.0f want %.0f", ps[k], got, want);
	}
	free(h);
}
END_TEST

START_TEST(test_single_value)
{
	struct hist *h = new_hist();
	uint64_t rep = hist_idx_to_val(hist_val_to_idx(123456));

	hist_add(h, 123456);
	ck_assert_uint_eq(hist_percentile(h, 0), rep);
	ck_assert_uint_eq(hist_percentile(h, 50), rep);
	ck_assert_uint_eq(hist_percentile(h, 100), rep);
	ck_assert_double_eq(hist_mean(h), 123456.0);
	free(h);
}
END_TEST

START_TEST(test_percentile_skewed)
{
	struct hist *h = new_hist();
	int i;

	/* 990 fast wakeups and 10 slow ones: p99 is still fast, p99.9 slow. */
	for (i = 0; i < 990; i++)
		hist_add(h, 10);
	for (i = 0; i < 10; i++)
		hist_add(h, 5000000);
	ck_assert_uint_eq(hist_percentile(h, 50), 10);
	ck_assert_uint_eq(hist_percentile(h, 99), 10);
	ck_assert_uint_eq(hist_percentile(h, 99.9),
			  hist_idx_to_val(hist_val_to_idx(5000000)));
	free(h);
}
END_TEST

START_TEST(test_merge_equals_add_all)
{
	struct hist *a = new_hist(), *b = new_hist(), *all = new_hist();
	struct hist *empty = new_hist();
	uint64_t s = 7, v;
	int i;

	for (i = 0; i < 50000; i++) {
		v = rnd(&s) >> (20 + i % 40);
		hist_add(i % 3 ? a : b, v);
		hist_add(all, v);
	}
	hist_merge(a, b);
	ck_assert_uint_eq(a->n, all->n);
	ck_assert_uint_eq(a->min, all->min);
	ck_assert_uint_eq(a->max, all->max);
	ck_assert_double_eq_tol(a->sum, all->sum, all->sum * 1e-12);
	ck_assert_int_eq(memcmp(a->bucket, all->bucket, sizeof(a->bucket)), 0);
	ck_assert_uint_eq(hist_percentile(a, 99), hist_percentile(all, 99));

	/* Merging into an empty histogram copies min/max. */
	hist_merge(empty, b);
	ck_assert_uint_eq(empty->min, b->min);
	ck_assert_uint_eq(empty->max, b->max);
	ck_assert_uint_eq(empty->n, b->n);
	free(a);
	free(b);
	free(all);
	free(empty);
}
END_TEST

START_TEST(test_zeroed_not_initialised)
{
	struct hist *h = calloc(1, sizeof(*h));

	/* calloc'ed histograms (arrays of proc_metrics) work without init. */
	hist_add(h, 700);
	hist_add(h, 300);
	ck_assert_uint_eq(h->min, 300);
	ck_assert_uint_eq(h->max, 700);
	free(h);
}
END_TEST

START_TEST(test_clamp_huge)
{
	struct hist *h = new_hist();
	const unsigned last = HIST_PLAT_NR - 1;

	ck_assert_uint_eq(hist_val_to_idx(UINT64_MAX), last);
	ck_assert_uint_eq(hist_val_to_idx(UINT64_C(1) << 39), last);
	ck_assert_uint_eq(hist_val_to_idx((UINT64_C(1) << 39) - 1), last);
	ck_assert_uint_eq(hist_val_to_idx(UINT64_C(1) << 50), last);
	ck_assert_uint_lt(hist_val_to_idx((UINT64_C(1) << 39) - (UINT64_C(1) << 30) - 1), last);

	hist_add(h, UINT64_MAX);
	hist_add(h, 1);
	ck_assert_uint_eq(h->bucket[last], 1);
	ck_assert_uint_eq(h->max, UINT64_MAX);
	ck_assert_uint_eq(hist_percentile(h, 100), hist_idx_to_val(last));
	ck_assert_uint_eq(hist_percentile(h, 50), 1);
	free(h);
}
END_TEST

START_TEST(test_percentile_out_of_range_p)
{
	struct hist *h = new_hist();
	uint64_t v;

	for (v = 1; v <= 100; v++)
		hist_add(h, v);
	ck_assert_uint_eq(hist_percentile(h, -5), 1);
	ck_assert_uint_eq(hist_percentile(h, 250), 100);
	ck_assert_uint_eq(hist_percentile(h, NAN), 1);
	free(h);
}
END_TEST

/* ---- results fixture -------------------------------------------------- */

struct fixture {
	struct results r;
	struct proc_metrics procs[2];
	double util[4];
	struct lb_level_metrics levels[4];
};

static void fixture_fill(struct fixture *fx)
{
	int i, k;

	memset(fx, 0, sizeof(*fx));
	snprintf(fx->r.policy, sizeof(fx->r.policy), "cfs");
	snprintf(fx->r.topology, sizeof(fx->r.topology), "synthetic:pack:2 core:2");
	snprintf(fx->r.workload, sizeof(fx->r.workload), "mix.json");
	fx->r.seed = 7;
	fx->r.duration_ns = 2 * NSEC_PER_SEC;

	for (i = 0; i < 2; i++) {
		struct proc_metrics *p = &fx->procs[i];

		snprintf(p->name, sizeof(p->name), i ? "web,\"srv\"" : "hog");
		p->nr_threads = 2 + i;
		p->c.work_ns = 1.5e9 + i;
		p->c.cpu_ns = 1.75e9 + 0.1 * i;
		p->c.wait_ns = 1.0 / 3.0;
		p->c.nr_wakeups = 100 + (uint64_t)i;
		p->c.nr_switches = 150;
		p->c.loops_done = 10;
		for (k = 0; k < MIG_NR; k++)
			p->c.nr_migrations[k] = (uint64_t)(k + 1) * (uint64_t)(i + 1);
		hist_init(&p->wakeup_lat);
		for (k = 1; k <= 1000; k++)
			hist_add(&p->wakeup_lat, (uint64_t)k * 37 * (uint64_t)(i + 1));

		fx->r.total.nr_threads += p->nr_threads;
		fx->r.total.c.work_ns += p->c.work_ns;
		fx->r.total.c.cpu_ns += p->c.cpu_ns;
		fx->r.total.c.wait_ns += p->c.wait_ns;
		fx->r.total.c.nr_wakeups += p->c.nr_wakeups;
		for (k = 0; k < MIG_NR; k++)
			fx->r.total.c.nr_migrations[k] += p->c.nr_migrations[k];
		hist_merge(&fx->r.total.wakeup_lat, &p->wakeup_lat);
	}
	snprintf(fx->r.total.name, sizeof(fx->r.total.name), "total");
	fx->r.nr_procs = 2;
	fx->r.procs = fx->procs;

	fx->r.nr_cpus = 4;
	fx->r.cpu_util = fx->util;
	fx->util[0] = 0.5;
	fx->util[1] = 1.0 / 3.0;
	fx->util[2] = 1.0;
	fx->util[3] = 0.0;
	fx->r.util_mean = (0.5 + 1.0 / 3.0 + 1.0) / 4;
	fx->r.util_min = 0.0;
	fx->r.util_max = 1.0;
	fx->r.util_stddev = 0.37;

	fx->r.nr_levels = 4;
	fx->r.levels = fx->levels;
	snprintf(fx->levels[0].name, sizeof(fx->levels[0].name), "SMT");
	snprintf(fx->levels[1].name, sizeof(fx->levels[1].name), "MC");
	snprintf(fx->levels[2].name, sizeof(fx->levels[2].name), "NUMA");
	snprintf(fx->levels[3].name, sizeof(fx->levels[3].name), "NUMA");
	fx->levels[2].numa_distance = 12;
	fx->levels[3].numa_distance = 32;
	for (i = 0; i < 4; i++) {
		fx->levels[i].attempts = 1000 + (uint64_t)i;
		fx->levels[i].tasks_moved = 3;
		fx->levels[i].newidle_attempts = 17;
	}
	fx->r.nr_forks = 5;
	fx->r.nr_exits = 5;
	fx->r.nohz_kicks = 9;
	fx->r.idle_while_waiting = 2;
	fx->r.idle_while_waiting_ns = 12345.5;
	fx->r.events = 987654;
	fx->r.wall_s = 0.25;
}

static char *dump(json_t *j)
{
	return json_dumps(j, JSON_PRESERVE_ORDER | JSON_INDENT(2));
}

static char *make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *d;

	if (!base || !*base)
		base = "/tmp";
	ck_assert_int_ge(asprintf(&d, "%s/cassim-test-hist.XXXXXX", base), 0);
	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)len + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

static void rm_rf(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *p;

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (asprintf(&p, "%s/%s", dir, e->d_name) >= 0) {
			unlink(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
	rmdir(dir);
	free(dir);
}

/* ---- report ----------------------------------------------------------- */

START_TEST(test_report_json_deterministic)
{
	struct fixture *fx = malloc(sizeof(*fx));
	json_t *config = json_pack("{s:s, s:i}", "policy", "cfs", "seed", 7);
	json_t *a, *b, *procs, *mig, *lb;
	char *sa, *sb;

	fixture_fill(fx);
	a = report_json(&fx->r, config);
	b = report_json(&fx->r, config);
	ck_assert_ptr_nonnull(a);
	sa = dump(a);
	sb = dump(b);
	ck_assert_str_eq(sa, sb);
	/* No wall time in the deterministic output. */
	ck_assert_ptr_null(strstr(sa, "wall"));

	/* A second, separately built identical struct gives the same bytes. */
	{
		struct fixture *fx2 = malloc(sizeof(*fx2));
		json_t *c;
		char *sc;

		fixture_fill(fx2);
		fx2->r.wall_s = 99.0; /* nondeterministic, must not matter */
		c = report_json(&fx2->r, config);
		sc = dump(c);
		ck_assert_str_eq(sa, sc);
		free(sc);
		json_decref(c);
		free(fx2);
	}

	/* Structure spot checks. */
	ck_assert_ptr_nonnull(json_object_get(a, "cassim_version"));
	ck_assert(json_equal(json_object_get(a, "config"), config));
	procs = json_object_get(json_object_get(a, "results"), "processes");
	ck_assert_uint_eq(json_array_size(procs), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(procs, 1), "name")),
			 "web,\"srv\"");
	mig = json_object_get(json_array_get(procs, 1), "migrations");
	ck_assert_int_eq(json_integer_value(json_object_get(mig, "xllc")), 6);
	ck_assert_int_eq(json_integer_value(json_object_get(mig, "total")), 30);
	lb = json_object_get(json_object_get(a, "results"), "load_balance");
	ck_assert_uint_eq(json_array_size(lb), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(lb, 3),
							    "numa_distance")), 32);
	/* Key order is insertion order: cassim_version, config, results. */
	ck_assert_ptr_nonnull(strstr(sa, "\"cassim_version\""));
	ck_assert(strstr(sa, "\"cassim_version\"") < strstr(sa, "\"config\""));
	ck_assert(strstr(sa, "\"config\"") < strstr(sa, "\"results\""));

	/* The config is borrowed: still ours after the report is gone. */
	json_decref(a);
	json_decref(b);
	ck_assert_int_eq(json_integer_value(json_object_get(config, "seed")), 7);
	json_decref(config);
	free(sa);
	free(sb);
	free(fx);
}
END_TEST

START_TEST(test_report_json_nonfinite_is_null)
{
	struct fixture *fx = malloc(sizeof(*fx));
	json_t *j, *util;

	fixture_fill(fx);
	fx->r.util_stddev = NAN;
	j = report_json(&fx->r, NULL);
	util = json_object_get(json_object_get(j, "results"), "cpu_util");
	ck_assert(json_is_null(json_object_get(util, "stddev")));
	ck_assert(json_is_null(json_object_get(j, "config")));
	ck_assert_uint_eq(json_array_size(json_object_get(util, "per_cpu")), 4);
	json_decref(j);
	free(fx);
}
END_TEST

/* What cassim run does with --json and --csv (cmd_run.c write_results). */
static int report_write_json(const char *path, const struct results *r, json_t *config, struct diag *err)
{
	struct afile a;

	if (afile_open(&a, path, err))
		return -1;
	if (report_dump_json(a.f, r, config)) {
		afile_abort(&a);
		return -1;
	}
	return afile_commit(&a, err);
}

static int report_write_csv(const char *path, const struct results *r, struct diag *err)
{
	struct afile a;

	if (afile_open(&a, path, err))
		return -1;
	static const struct tidy_key k = { .topology = "m", .workload = "w", .parameters = "a=1;b=x",
					   .policy = "cfs", .seed = 7, .has_seed = true };

	report_csv(a.f, r, &k);
	return afile_commit(&a, err);
}

START_TEST(test_report_write_json_csv)
{
	struct fixture *fx = malloc(sizeof(*fx));
	char *dir = make_tmpdir(), *jpath, *cpath, *s, *expect;
	struct diag err;
	json_t *back, *mem;
	json_error_t jerr;

	fixture_fill(fx);
	ck_assert_int_ge(asprintf(&jpath, "%s/r.json", dir), 0);
	ck_assert_int_ge(asprintf(&cpath, "%s/r.csv", dir), 0);

	ck_assert_int_eq(report_write_json(jpath, &fx->r, NULL, &err), 0);
	ck_assert_int_eq(report_write_csv(cpath, &fx->r, &err), 0);
	ck_assert_int_eq(dir_entries(dir), 2); /* no temp files left */

	/* The file is exactly the deterministic dump plus a newline. */
	back = json_load_file(jpath, 0, &jerr);
	ck_assert_ptr_nonnull(back);
	mem = report_json(&fx->r, NULL);
	ck_assert(json_equal(back, mem));
	s = slurp(jpath);
	expect = dump(mem);
	ck_assert_uint_eq(strlen(s), strlen(expect) + 1);
	ck_assert_int_eq(strncmp(s, expect, strlen(expect)), 0);
	free(s);
	free(expect);
	json_decref(back);
	json_decref(mem);

	s = slurp(cpath);
	ck_assert_int_eq(strncmp(s, TIDY_HEADER "\n", strlen(TIDY_HEADER) + 1), 0);
#define ROW(scope, proc, metric, unit, value) \
	"\nm,w,a=1;b=x,cfs,7," scope "," proc "," metric ",value," unit "," value ",\n"
	ck_assert_ptr_nonnull(strstr(s, ROW("total", "", "duration", "ns", "2000000000")));
	ck_assert_ptr_nonnull(strstr(s, ROW("total", "", "migrations_xllc", "", "9")));
	ck_assert_ptr_nonnull(strstr(s, "\nm,w,a=1;b=x,cfs,7,total,,wakeup_lat_p99,value,us,"));
	/* shortest round trip: 1/3 in 16 digits, not 0.33333333333333331 */
	ck_assert_ptr_nonnull(strstr(s, ROW("total", "", "cpu_util_cpu1", "fraction", "0.3333333333333333")));
	ck_assert_ptr_nonnull(strstr(s, ROW("total", "", "lb_MC_attempts", "", "1001")));
	ck_assert_ptr_nonnull(strstr(s, ROW("total", "", "lb_NUMA32_tasks_moved", "", "3")));
	ck_assert_ptr_nonnull(strstr(s, ROW("process", "hog", "work", "ns", "1500000000")));
	ck_assert_ptr_nonnull(strstr(s, ROW("process", "\"web,\"\"srv\"\"\"", "migrations_total", "", "30")));
	/* no unit in a metric's name */
	ck_assert_ptr_null(strstr(s, "_ns,"));
	ck_assert_ptr_null(strstr(s, "_us,"));
#undef ROW
	ck_assert_ptr_null(strstr(s, "wall"));
	free(s);

	free(jpath);
	free(cpath);
	rm_rf(dir);
	free(fx);
}
END_TEST

START_TEST(test_report_text)
{
	struct fixture *fx = malloc(sizeof(*fx));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fixture_fill(fx);
	report_text(f, &fx->r);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "policy     cfs\n"));
	ck_assert_ptr_nonnull(strstr(buf, "simulated  2.000 s\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nhog "));
	ck_assert_ptr_nonnull(strstr(buf, "\ntotal "));
	ck_assert_ptr_nonnull(strstr(buf, "lat_p99.9"));
	ck_assert_ptr_nonnull(strstr(buf, "xpkg"));
	ck_assert_ptr_nonnull(strstr(buf, "\nNUMA "));
	ck_assert_ptr_nonnull(strstr(buf, "nohz kicks 9"));
	ck_assert_ptr_nonnull(strstr(buf, "events 987654 in 0.250 s wall (3950616 events/s)\n"));
	free(buf);
	free(fx);
}
END_TEST

/* ---- atomic files ----------------------------------------------------- */

START_TEST(test_afile_commit_abort)
{
	char *dir = make_tmpdir(), *path, *s;
	struct afile a;
	struct diag err;
	struct stat st;

	ck_assert_int_ge(asprintf(&path, "%s/out.txt", dir), 0);

	/* Abort: neither target nor temp file remains. */
	ck_assert_int_eq(afile_open(&a, path, &err), 0);
	fputs("half", a.f);
	ck_assert_int_eq(dir_entries(dir), 1); /* the temp file */
	afile_abort(&a);
	ck_assert_int_eq(stat(path, &st), -1);
	ck_assert_int_eq(dir_entries(dir), 0);
	afile_abort(&a); /* idempotent */

	/* Commit: the target appears, complete, and nothing else. */
	ck_assert_int_eq(afile_open(&a, path, &err), 0);
	ck_assert_int_eq(stat(path, &st), -1); /* not visible before commit */
	fputs("first\n", a.f);
	ck_assert_int_eq(afile_commit(&a, &err), 0);
	ck_assert_int_eq(dir_entries(dir), 1);
	s = slurp(path);
	ck_assert_str_eq(s, "first\n");
	free(s);

	/* Commit over an existing file replaces it; abort keeps the old one. */
	ck_assert_int_eq(afile_open(&a, path, &err), 0);
	fputs("second\n", a.f);
	ck_assert_int_eq(afile_commit(&a, &err), 0);
	ck_assert_int_eq(afile_open(&a, path, &err), 0);
	fputs("third\n", a.f);
	afile_abort(&a);
	s = slurp(path);
	ck_assert_str_eq(s, "second\n");
	free(s);
	ck_assert_int_eq(dir_entries(dir), 1);

	free(path);
	rm_rf(dir);
}
END_TEST

START_TEST(test_afile_errors)
{
	char *dir = make_tmpdir(), *path;
	struct afile a;
	struct diag err;

	ck_assert_int_ge(asprintf(&path, "%s/no/such/dir/out.json", dir), 0);
	ck_assert_int_eq(afile_open(&a, path, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_ptr_nonnull(strstr(err.msg, strerror(ENOENT)));
	ck_assert_int_eq(dir_entries(dir), 0);
	free(path);

	/* report writers pass the error up, naming the path. */
	{
		struct fixture *fx = malloc(sizeof(*fx));

		fixture_fill(fx);
		ck_assert_int_eq(report_write_csv("/nonexistent-dir-cassim/x.csv",
						  &fx->r, &err), -1);
		ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent-dir-cassim/x.csv"));
		free(fx);
	}
	rm_rf(dir);
}
END_TEST

/* @path holds exactly @want. */
static void ck_file(const char *path, const char *want)
{
	char *s = slurp(path);

	ck_assert_str_eq(s, want);
	free(s);
}

/* A symbolic link is written through (its target replaced, atomically,
 * beside the target), also a dangling one and a chain of relative ones. */
START_TEST(test_afile_symlink)
{
	char *dir = make_tmpdir(), *real, *link1, *link2, buf[PATH_MAX];
	struct afile a;
	struct diag err;
	struct stat st;

	ck_assert_int_ge(asprintf(&real, "%s/real.txt", dir), 0);
	ck_assert_int_ge(asprintf(&link1, "%s/l1", dir), 0);
	ck_assert_int_ge(asprintf(&link2, "%s/l2", dir), 0);
	ck_assert_int_eq(symlink("real.txt", link1), 0); /* dangling */
	ck_assert_int_eq(symlink("l1", link2), 0);
	ck_assert_int_eq(afile_open(&a, link2, &err), 0);
	ck_assert_int_eq(a.kind, AFILE_ATOMIC);
	ck_assert_str_eq(a.dst, real);
	fputs("through\n", a.f);
	ck_assert_int_eq(afile_commit(&a, &err), 0);
	ck_assert_int_eq(lstat(link2, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(lstat(link1, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq((int)readlink(link1, buf, sizeof(buf)), 8);
	ck_file(real, "through\n");
	ck_assert_int_eq(dir_entries(dir), 3);

	/* a loop is an error, naming the path */
	ck_assert_int_eq(unlink(link1), 0);
	ck_assert_int_eq(symlink("l2", link1), 0);
	ck_assert_int_eq(afile_open(&a, link2, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, strerror(ELOOP)));
	free(real);
	free(link1);
	free(link2);
	rm_rf(dir);
}
END_TEST

/* afile_finish() keeps the previous file until afile_publish(); an abort
 * in between leaves it whole (cassim run's JSON when its CSV fails). */
START_TEST(test_afile_finish_publish)
{
	char *dir = make_tmpdir(), *path;
	struct afile a;
	struct diag err;

	ck_assert_int_ge(asprintf(&path, "%s/r.json", dir), 0);
	ck_assert_int_eq(afile_open(&a, path, &err), 0);
	fputs("good\n", a.f);
	ck_assert_int_eq(afile_commit(&a, &err), 0);
	ck_assert_int_eq(afile_open(&a, path, &err), 0);
	fputs("new\n", a.f);
	ck_assert_int_eq(afile_finish(&a, &err), 0);
	ck_assert_int_eq(dir_entries(dir), 2);
	ck_file(path, "good\n");
	afile_abort(&a);
	ck_assert_int_eq(dir_entries(dir), 1);
	ck_file(path, "good\n");
	ck_assert_int_eq(afile_open(&a, path, &err), 0);
	fputs("new\n", a.f);
	ck_assert_int_eq(afile_finish(&a, &err), 0);
	ck_assert_int_eq(afile_publish(&a, &err), 0);
	ck_file(path, "new\n");
	ck_assert_int_eq(dir_entries(dir), 1);
	free(path);
	rm_rf(dir);
}
END_TEST

/* Probes leave nothing behind and say no to what afile_open would refuse. */
START_TEST(test_afile_probe)
{
	char *dir = make_tmpdir(), *path;
	struct diag err;

	ck_assert_int_eq(afile_probe(dir, &err), -1); /* a directory */
	ck_assert_ptr_nonnull(strstr(err.msg, strerror(EISDIR)));
	ck_assert_int_ge(asprintf(&path, "%s/new.json", dir), 0);
	ck_assert_int_eq(afile_probe(path, &err), 0);
	ck_assert_int_eq(afile_probe("-", &err), 0);
	ck_assert_int_eq(dir_entries(dir), 0);
	free(path);
	ck_assert_int_ge(asprintf(&path, "%s/a/b/c", dir), 0);
	ck_assert_int_eq(afile_probe_dir(path, &err), 0); /* made by mkdir -p later */
	ck_assert_int_eq(afile_probe_dir(dir, &err), 0);
	ck_assert_int_eq(dir_entries(dir), 0);
	free(path);
	ck_assert_int_ge(asprintf(&path, "%s/file", dir), 0);
	fclose(fopen(path, "w"));
	free(path);
	ck_assert_int_ge(asprintf(&path, "%s/file/sub", dir), 0);
	ck_assert_int_eq(afile_probe_dir(path, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "is not a directory"));
	free(path);
	rm_rf(dir);
}
END_TEST

START_TEST(test_afile_stdout)
{
	struct afile a;
	struct diag err;

	ck_assert_int_eq(afile_open(&a, "-", &err), 0);
	ck_assert_ptr_eq(a.f, stdout);
	ck_assert_int_eq(afile_commit(&a, &err), 0);
	ck_assert_int_eq(afile_open(&a, "-", &err), 0);
	afile_abort(&a); /* must not close stdout */
	ck_assert_int_eq(fflush(stdout), 0);
}
END_TEST

static Suite *out_suite(void)
{
	Suite *s = suite_create("out");
	TCase *tc;

	tc = tcase_create("hist");
	tcase_add_test(tc, test_exact_small_values);
	tcase_add_test(tc, test_known_fio_buckets);
	tcase_add_test(tc, test_idx_val_round_trip);
	tcase_add_test(tc, test_monotonic);
	tcase_add_test(tc, test_bucket_error_bound);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_uniform_1_to_1000);
	tcase_add_test(tc, test_uniform_large);
	tcase_add_test(tc, test_single_value);
	tcase_add_test(tc, test_percentile_skewed);
	tcase_add_test(tc, test_merge_equals_add_all);
	tcase_add_test(tc, test_zeroed_not_initialised);
	tcase_add_test(tc, test_clamp_huge);
	tcase_add_test(tc, test_percentile_out_of_range_p);
	suite_add_tcase(s, tc);

	tc = tcase_create("report");
	tcase_add_test(tc, test_report_json_deterministic);
	tcase_add_test(tc, test_report_json_nonfinite_is_null);
	tcase_add_test(tc, test_report_write_json_csv);
	tcase_add_test(tc, test_report_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_test(tc, test_afile_commit_abort);
	tcase_add_test(tc, test_afile_errors);
	tcase_add_test(tc, test_afile_stdout);
	tcase_add_test(tc, test_afile_symlink);
	tcase_add_test(tc, test_afile_finish_publish);
	tcase_add_test(tc, test_afile_probe);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(out_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
