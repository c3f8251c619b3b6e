/* Unit tests for the workload parser (sim/workload/wl.c, wl_locate.c). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workload/wl.h"

static const char *srcdir(void)
{
	const char *d = getenv("CASSIM_SRCDIR");
	return d && *d ? d : ".";
}

static struct workload *load_ok(const char *rel, int nr_cpus, struct wl_set *sets, int nr_sets)
{
	char path[1024];
	struct workload *w = NULL;
	struct diag d = { "" };

	snprintf(path, sizeof(path), "%s/%s", srcdir(), rel);
	int ret = wl_load(path, nr_cpus, sets, nr_sets, &w, &d);
	ck_assert_msg(ret == 0, "loading %s failed: %s", path, d.msg);
	ck_assert_ptr_nonnull(w);
	return w;
}

static int find(const struct workload *w, const char *name)
{
	for (int i = 0; i < w->nr_threads; i++)
		if (!strcmp(w->threads[i].name, name))
			return i;
	return -1;
}

static const char *param(const struct workload *w, const char *name)
{
	for (int i = 0; i < w->nr_params; i++)
		if (!strcmp(w->param_names[i], name))
			return w->param_values[i];
	return NULL;
}

/* Write @text to a temporary .json file; returns its path (static buffer). */
static const char *tmpjson(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/cassim-test-wl-XXXXXX.json");
	fd = mkstemps(path, 5);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Load @text (expecting failure) and check "FILE:LINE:COL: " + @phrase. */
static void expect_err_sets(const char *text, int nr_cpus, struct wl_set *sets, int nr_sets,
			    int line, int col, const char *phrase)
{
	const char *path = tmpjson(text);
	struct workload *w = NULL;
	struct diag d = { "" };
	char pre[128];

	ck_assert_int_eq(wl_load(path, nr_cpus, sets, nr_sets, &w, &d), -1);
	ck_assert_ptr_null(w);
	snprintf(pre, sizeof(pre), "%s:%d:%d: ", path, line, col);
	ck_assert_msg(!strncmp(d.msg, pre, strlen(pre)), "expected prefix \"%s\", got \"%s\"", pre,
		      d.msg);
	ck_assert_msg(strstr(d.msg, phrase), "expected \"%s\" in \"%s\"", phrase, d.msg);
	ck_assert_msg(!strchr(d.msg, '\n'), "multi-line message \"%s\"", d.msg);
	unlink(path);
}

static void expect_err(const char *text, int line, int col, const char *phrase)
{
	expect_err_sets(text, 8, NULL, 0, line, col, phrase);
}

static struct workload *load_text(const char *text, int nr_cpus)
{
	const char *path = tmpjson(text);
	struct workload *w = NULL;
	struct diag d = { "" };

	ck_assert_msg(wl_load(path, nr_cpus, NULL, 0, &w, &d) == 0, "%s", d.msg);
	unlink(path);
	return w;
}

/* ---- shipped workloads -------------------------------------------------- */

START_TEST(test_cpu_mix)
{
	struct workload *w = load_ok("workloads/cpu-mix.json", 8, NULL, 0);

	ck_assert_str_eq(w->name, "cpu-mix");
	ck_assert(strlen(w->description) > 0);
	ck_assert_int_eq(w->duration, 2 * NSEC_PER_SEC);
	ck_assert_int_eq(w->nr_procs, 4);
	ck_assert_int_eq(w->nr_threads, 8 + 4 + 16 + 1);
	ck_assert_str_eq(w->procs[0].name, "hogs");
	ck_assert_int_eq(w->procs[0].first_thread, 0);
	ck_assert_int_eq(w->procs[0].nr_threads, 8);
	ck_assert_str_eq(w->procs[1].name, "batch");
	ck_assert_int_eq(w->procs[1].first_thread, 8);
	ck_assert_int_eq(w->procs[1].nr_threads, 4);
	ck_assert_int_eq(w->procs[2].nr_threads, 16);
	ck_assert_str_eq(w->procs[3].name, "daemon");
	ck_assert_int_eq(w->procs[3].nr_threads, 1);

	ck_assert_str_eq(w->threads[0].name, "hog.0");
	ck_assert_str_eq(w->threads[7].name, "hog.7");
	for (int i = 0; i < 8; i++) {
		const struct wl_thread *t = &w->threads[i];
		ck_assert_int_eq(t->process, 0);
		ck_assert_int_eq(t->nr_ops, 1);
		ck_assert_int_eq(t->ops[0].kind, WL_OP_RUN);
		ck_assert_int_eq(t->ops[0].dist.kind, WL_DIST_FIXED);
		ck_assert(t->ops[0].dist.a == 4e6);
		ck_assert_int_eq(t->loops, -1);
		ck_assert_int_eq(t->nice, 0);
		ck_assert(!t->has_affinity);
	}
	const struct wl_thread *b = &w->threads[find(w, "batch.3")];
	ck_assert_int_eq(b->process, 1);
	ck_assert_int_eq(b->nr_ops, 2);
	ck_assert_int_eq(b->ops[0].dist.kind, WL_DIST_EXPONENTIAL);
	ck_assert(b->ops[0].dist.a == 2e6);
	ck_assert_int_eq(b->ops[1].kind, WL_OP_SLEEP);
	ck_assert(b->ops[1].dist.a == 1e6);
	const struct wl_thread *ui = &w->threads[find(w, "ui.15")];
	ck_assert_int_eq(ui->process, 2);
	ck_assert_int_eq(ui->nice, -5);
	ck_assert(ui->ops[0].dist.a == 1e5);
	int di = find(w, "daemon");
	ck_assert_int_eq(di, 28);
	ck_assert_int_eq(w->threads[di].start_delay, NSEC_PER_MSEC);
	ck_assert_int_eq(w->threads[di].ops[0].dist.kind, WL_DIST_UNIFORM);
	ck_assert(w->threads[di].ops[0].dist.a == 20e3 && w->threads[di].ops[0].dist.b == 80e3);

	/* params echoed sorted by name */
	ck_assert_int_eq(w->nr_params, 4);
	for (int i = 1; i < w->nr_params; i++)
		ck_assert(strcmp(w->param_names[i - 1], w->param_names[i]) < 0);
	ck_assert_str_eq(param(w, "nr_hogs"), "8");
	ck_assert_str_eq(param(w, "hog_burst"), "4ms");
	wl_free(w);
}
END_TEST

START_TEST(test_sets)
{
	struct wl_set sets[] = {
		{ "nr_hogs", "2", false },
		{ "hog_burst", "1500us", false },
		{ "sched_migration_cost", "0", false }, /* not the workload's */
	};
	struct workload *w = load_ok("workloads/cpu-mix.json", 8, sets, 3);

	ck_assert(sets[0].used);
	ck_assert(sets[1].used);
	ck_assert(!sets[2].used);
	ck_assert_int_eq(w->procs[0].nr_threads, 2);
	ck_assert_int_eq(w->nr_threads, 2 + 4 + 16 + 1);
	ck_assert_str_eq(w->threads[1].name, "hog.1");
	ck_assert(w->threads[0].ops[0].dist.a == 1.5e6);
	ck_assert_str_eq(param(w, "nr_hogs"), "2");
	ck_assert_str_eq(param(w, "hog_burst"), "1500us");
	ck_assert_str_eq(param(w, "nr_batch"), "4");
	wl_free(w);

	/* count 1 gives the bare group name */
	struct wl_set one[] = { { "nr_hogs", "1", false } };
	w = load_ok("workloads/cpu-mix.json", 8, one, 1);
	ck_assert_str_eq(w->threads[0].name, "hog");
	ck_assert_str_eq(w->threads[1].name, "batch.0");
	wl_free(w);
}
END_TEST

START_TEST(test_pingpong)
{
	struct workload *w = load_ok("workloads/pingpong.json", 8, NULL, 0);
	char name[64];

	ck_assert_int_eq(w->nr_procs, 1);
	ck_assert_int_eq(w->nr_threads, 16);
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "ping.%d", i);
		int pi = find(w, name);
		snprintf(name, sizeof(name), "pong.%d", i);
		int po = find(w, name);
		ck_assert_int_ge(pi, 0);
		ck_assert_int_ge(po, 0);
		const struct wl_thread *p = &w->threads[pi], *q = &w->threads[po];
		ck_assert_int_eq(p->nr_ops, 3);
		ck_assert_int_eq(p->ops[0].kind, WL_OP_RUN);
		ck_assert(p->ops[0].dist.a == 5000);
		ck_assert_int_eq(p->ops[1].kind, WL_OP_WAKE);
		ck_assert_int_eq(p->ops[1].target, po); /* the pairing rule */
		ck_assert_int_eq(p->ops[2].kind, WL_OP_WAIT);
		ck_assert_int_eq(q->ops[0].kind, WL_OP_WAIT);
		ck_assert_int_eq(q->ops[2].kind, WL_OP_WAKE);
		ck_assert_int_eq(q->ops[2].target, pi);
	}
	wl_free(w);

	struct wl_set sets[] = { { "pairs", "1", false } };
	w = load_ok("workloads/pingpong.json", 8, sets, 1);
	ck_assert_int_eq(w->nr_threads, 2);
	ck_assert_str_eq(w->threads[0].name, "ping");
	ck_assert_str_eq(w->threads[1].name, "pong");
	ck_assert_int_eq(w->threads[0].ops[1].target, 1);
	ck_assert_int_eq(w->threads[1].ops[2].target, 0);
	wl_free(w);
}
END_TEST

START_TEST(test_wakeup_mix)
{
	struct workload *w = load_ok("workloads/wakeup-mix.json", 768, NULL, 0);

	ck_assert_int_eq(w->nr_threads, 1500);
	ck_assert_int_eq(w->duration, NSEC_PER_SEC);
	int s1 = find(w, "stage1.42"), s2 = find(w, "stage2.42"), s3 = find(w, "stage3.42");
	ck_assert_int_eq(w->threads[s1].ops[1].target, s2);
	ck_assert_int_eq(w->threads[s2].ops[2].target, s3);
	ck_assert_int_eq(w->threads[s3].ops[3].target, s1);
	ck_assert_int_eq(w->threads[find(w, "client.399")].ops[1].target, find(w, "server.399"));
	for (int i = 0; i < w->nr_threads; i++)
		for (int k = 0; k < w->threads[i].nr_ops; k++)
			if (w->threads[i].ops[k].kind == WL_OP_WAKE)
				ck_assert(w->threads[i].ops[k].target >= 0 &&
					  w->threads[i].ops[k].target < w->nr_threads);
	wl_free(w);
}
END_TEST

/* ---- features on small files -------------------------------------------- */

START_TEST(test_features)
{
	struct workload *w = load_text(
		"{\"processes\": [{\"name\": \"p\", \"threads\": [\n"
		" {\"name\": \"a\", \"cpus\": \"0-3, 6\", \"loops\": 3, \"nice\": \"-20\",\n"
		"  \"ops\": [{\"run\": 1500}, {\"sleep\": 2.6}, {\"wake\": \"b\"}, {\"wait\": {}}]},\n"
		" {\"name\": \"b\", \"cpus\": [7, 0], \"start_delay\": \"1.5ms\",\n"
		"  \"ops\": [{\"wait\": true}, {\"run\": {\"dist\": \"fixed\", \"value\": \"3us\"}},\n"
		"           {\"wake\": \"a\"}]}]}]}\n", 8);

	ck_assert_int_eq(w->duration, 0);
	ck_assert_int_eq(w->nr_params, 0);
	const struct wl_thread *a = &w->threads[0], *b = &w->threads[1];
	ck_assert(a->has_affinity);
	ck_assert_int_eq(cpumask_weight(&a->affinity), 5);
	ck_assert(cpumask_test(&a->affinity, 6) && !cpumask_test(&a->affinity, 4));
	ck_assert_int_eq(a->loops, 3);
	ck_assert_int_eq(a->nice, -20);
	ck_assert(a->ops[0].dist.a == 1500);
	ck_assert(a->ops[1].dist.a == 3);
	ck_assert_int_eq(a->ops[2].target, 1);
	ck_assert_int_eq(a->ops[3].kind, WL_OP_WAIT);
	ck_assert_int_eq(cpumask_weight(&b->affinity), 2);
	ck_assert(cpumask_test(&b->affinity, 7));
	ck_assert_int_eq(b->start_delay, 1500000);
	ck_assert(b->ops[1].dist.a == 3000);
	ck_assert_int_eq(b->ops[2].target, 0);
	wl_free(w);
}
END_TEST

START_TEST(test_name_from_file)
{
	struct workload *w = load_text(
		"{\"processes\": [{\"name\": \"p\", \"threads\": [{\"name\": \"a\", "
		"\"ops\": [{\"run\": \"1ms\"}]}]}]}", 0);
	char expect[128];
	const char *base = strrchr(w->path, '/') + 1;

	snprintf(expect, sizeof(expect), "%.*s", (int)(strlen(base) - 5), base);
	ck_assert_str_eq(w->name, expect);
	wl_free(w);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

static void fixture_err(const char *rel, int line, int col, const char *phrase)
{
	char path[1024], pre[1100];
	struct workload *w = NULL;
	struct diag d = { "" };

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", srcdir(), rel);
	ck_assert_int_eq(wl_load(path, 8, NULL, 0, &w, &d), -1);
	ck_assert_ptr_null(w);
	snprintf(pre, sizeof(pre), "%s:%d:%d: ", path, line, col);
	ck_assert_msg(!strncmp(d.msg, pre, strlen(pre)), "expected prefix \"%s\", got \"%s\"", pre,
		      d.msg);
	ck_assert_msg(strstr(d.msg, phrase), "expected \"%s\" in \"%s\"", phrase, d.msg);
}

START_TEST(test_fixtures)
{
	/* jansson's position: the end of the offending token */
	fixture_err("wl-malformed.json", 4, 27, "'}' expected");
	fixture_err("wl-unknown-key.json", 8, 11,
		    "unknown key \"priority\" in processes[0].threads[1] (expected one of: name, "
		    "count, nice, start_delay, cpus, loops, ops)");
	fixture_err("wl-negative-duration.json", 9, 15,
		    "processes[0].threads[0].ops[1].sleep: negative duration \"-5ms\"");
	fixture_err("wl-nonnumeric-duration.json", 8, 47,
		    "processes[0].threads[0].ops[0].run.mean: not a duration: \"fast\"");
	fixture_err("wl-unknown-target.json", 7, 40,
		    "processes[0].threads[0].ops[1].wake: unknown wake target \"pnog\"");
}
END_TEST

START_TEST(test_missing_file)
{
	struct workload *w = NULL;
	struct diag d = { "" };

	ck_assert_int_eq(wl_load("/nonexistent/wl.json", 8, NULL, 0, &w, &d), -1);
	ck_assert_ptr_null(w);
	ck_assert_str_eq(d.msg, "/nonexistent/wl.json: cannot open: No such file or directory");
}
END_TEST

#define HEAD "{\"processes\": [{\"name\": \"p\", \"threads\": [\n"
#define TAIL "]}]}\n"

START_TEST(test_errors)
{
	/* syntax */
	expect_err("", 1, 1, "expected");
	expect_err("{\"name\": \"a\",\n \"name\": \"b\"}", 2, 7, "duplicate object key");
	/* structure */
	expect_err("[1]", 1, 1, "workload is an array (expected an object");
	expect_err("{\"name\": \"x\"}", 1, 1, "no \"processes\"");
	expect_err("{\n \"processes\": []}", 2, 2, "processes: no processes");
	expect_err("{\n \"processes\": [{\"name\": \"p\", \"threads\": []}]}", 2, 30,
		   "process \"p\" has no threads");
	expect_err("{\"foo\": 1,\n \"processes\": []}", 1, 2,
		   "unknown key \"foo\" in the top level (expected one of: name, description, "
		   "duration, params, processes)");
	expect_err(HEAD " {\"name\": \"a\",\n  \"ops\": []}" TAIL, 3, 3,
		   "processes[0].threads[0].ops: thread \"a\" has no ops");
	expect_err(HEAD " {\"name\": \"a\"}" TAIL, 2, 2, "thread \"a\" has no \"ops\"");
	expect_err(HEAD " {\"ops\": [{\"run\": 1}]}" TAIL, 2, 2, "thread without \"name\"");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}]},\n {\"name\": \"a\", \"ops\": "
		   "[{\"run\": 1}]}" TAIL, 3, 3, "duplicate thread name \"a\"");
	expect_err(HEAD " {\"name\": \"a\", \"count\": 2, \"ops\": [{\"run\": 1}]},\n {\"name\": "
		   "\"a.1\", \"ops\": [{\"run\": 1}]}" TAIL, 3, 3, "collides with instance");
	/* values */
	expect_err(HEAD " {\"name\": \"a\",\n  \"nice\": 25, \"ops\": [{\"run\": 1}]}" TAIL, 3, 3,
		   "processes[0].threads[0].nice: nice 25 out of range (expected -20..19)");
	expect_err(HEAD " {\"name\": \"a\", \"nice\": true, \"ops\": [{\"run\": 1}]}" TAIL, 2, 16,
		   "nice: got a boolean (expected an integer");
	expect_err(HEAD " {\"name\": \"a\", \"count\": 0, \"ops\": [{\"run\": 1}]}" TAIL, 2, 16,
		   "count 0 out of range");
	expect_err(HEAD " {\"name\": \"a\", \"loops\": 0, \"ops\": [{\"run\": 1}]}" TAIL, 2, 16,
		   "loops 0 (expected an integer >= 1, or -1 for forever)");
	expect_err(HEAD " {\"name\": \"a\", \"cpus\": \"0-3,9\", \"ops\": [{\"run\": 1}]}" TAIL, 2, 16,
		   "CPU 9 in \"0-3,9\" does not exist (expected CPUs 0..7)");
	expect_err(HEAD " {\"name\": \"a\", \"cpus\": \"4-12\", \"ops\": [{\"run\": 1}]}" TAIL, 2, 16,
		   "CPU 8 in \"4-12\" does not exist");
	expect_err(HEAD " {\"name\": \"a\", \"cpus\": [0,\n 12], \"ops\": [{\"run\": 1}]}" TAIL, 3, 2,
		   "cpus[1]: CPU 12 does not exist (expected CPUs 0..7)");
	expect_err(HEAD " {\"name\": \"a\", \"cpus\": \"0-a\", \"ops\": [{\"run\": 1}]}" TAIL, 2, 16,
		   "bad cpu list \"0-a\"");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": -5}]}" TAIL, 2, 25,
		   "run: negative duration -5");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": \"5 ms\"}]}" TAIL, 2, 25,
		   "not a duration: \"5 ms\"");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": null}]}" TAIL, 2, 25,
		   "run: got null (expected a duration or a distribution object");
	expect_err(HEAD " {\"name\": \"a\", \"start_delay\": {\"dist\": \"fixed\", \"value\": 1},"
		   " \"ops\": [{\"run\": 1}]}" TAIL, 2, 16, "start_delay: got an object");
	/* ops */
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1, \"sleep\": 2}]}" TAIL, 2, 35,
		   "second op key in one op object");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1},\n {}]}" TAIL, 3, 2,
		   "ops[1]: empty op (expected exactly one of: run, sleep, wake, wait)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"spin\": 1}]}" TAIL, 2, 25,
		   "unknown key \"spin\" in processes[0].threads[0].ops[0] (expected one of: run, "
		   "sleep, wake, wait)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}, {\"wait\": false}]}" TAIL, 2, 37,
		   "wait: got false (expected true or {})");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"wake\": \"a\"}]}" TAIL, 2, 16,
		   "loops forever without a run, sleep or wait op");
	/* distributions */
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": {\"dist\": \"pareto\"}}]}" TAIL, 2, 33,
		   "run.dist: unknown distribution \"pareto\"");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": {\"dist\": \"normal\", \"mean\": 1}}]}"
		   TAIL, 2, 25, "ops[0].run: missing key \"stddev\" (expected \"stddev\": a duration)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": {\"dist\": \"exponential\", \"mean\": 1,"
		   " \"max\": 2}}]}" TAIL, 2, 67,
		   "unknown key \"max\" in processes[0].threads[0].ops[0].run (expected one of: dist, "
		   "mean)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": {\"dist\": \"uniform\", \"min\": 5, "
		   "\"max\": 2}}]}" TAIL, 2, 62, "max 2 ns is below min 5 ns");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": {\"mean\": 1}}]}" TAIL, 2, 25,
		   "distribution without \"dist\"");
	/* wake targets and the pairing rule */
	expect_err(HEAD " {\"name\": \"a\", \"count\": 2, \"ops\": [{\"run\": 1}, {\"wake\": \"b\"}]},\n"
		   " {\"name\": \"b\", \"count\": 3, \"ops\": [{\"wait\": true}]}" TAIL, 2, 49,
		   "wake target \"b\" is a group of 3 threads but the waker \"a\" has 2");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}, {\"wake\": \"b\"}]},\n"
		   " {\"name\": \"b\", \"count\": 3, \"ops\": [{\"wait\": true}]}" TAIL, 2, 37,
		   "wake target \"b\" is a group of 3 threads (expected one thread, e.g. \"b.0\"");
}
END_TEST

START_TEST(test_param_errors)
{
	const char *t = "{\"params\": {\"n\": 2},\n \"processes\": [{\"name\": \"p\", \"threads\": [\n"
			" {\"name\": \"a\", \"count\": \"${n}\", \"ops\": [{\"run\": \"${m}us\"}]}]}]}";

	expect_err(t, 3, 42, "processes[0].threads[0].ops[0].run: undeclared parameter \"m\" in "
		   "\"${m}us\" (expected one of the declared params: n)");
	expect_err("{\"params\": {\"n\": [1]}, \"processes\": []}", 1, 13,
		   "params.n: got an array (expected a number or a string");
	expect_err("{\"params\": {\"2n\": 1}, \"processes\": []}", 1, 13, "bad parameter name \"2n\"");

	const char *u = "{\"params\": {\"n\": 2, \"d\": \"1ms\"},\n \"processes\": [{\"name\": \"p\", "
			"\"threads\": [\n {\"name\": \"a\", \"count\": \"${n}\", \"ops\": [{\"run\": "
			"\"${d}\"}]}]}]}";
	struct wl_set s1[] = { { "n", "abc", false } };
	expect_err_sets(u, 8, s1, 1, 3, 16, "count: \"${n}\" (= \"abc\") is not an integer");
	struct wl_set s2[] = { { "d", "-3ms", false } };
	expect_err_sets(u, 8, s2, 1, 3, 42, "run: negative duration \"${d}\" (= \"-3ms\")");
	struct wl_set s3[] = { { "d", "5 parsecs", false } };
	expect_err_sets(u, 8, s3, 1, 3, 42, "not a duration: \"${d}\" (= \"5 parsecs\")");
}
END_TEST

/* ---- distributions ------------------------------------------------------ */

static double sample_mean(const struct wl_dist *d, struct rng *r, int n, simtime_t *min)
{
	double sum = 0;

	*min = SIMTIME_MAX;
	for (int i = 0; i < n; i++) {
		simtime_t x = wl_sample(d, r);
		sum += (double)x;
		if (x < *min)
			*min = x;
	}
	return sum / n;
}

START_TEST(test_sample)
{
	struct rng r;
	simtime_t min;
	const int n = 10000;

	ck_assert_int_eq(rng_init(&r, 42, "test_wl", 0), 0);

	struct wl_dist fixed = { WL_DIST_FIXED, 1234.4, 0 };
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(wl_sample(&fixed, &r), 1234);

	struct wl_dist exp = { WL_DIST_EXPONENTIAL, 1e6, 0 };
	double m = sample_mean(&exp, &r, n, &min);
	ck_assert_msg(fabs(m - 1e6) < 0.04e6, "exponential mean %g", m); /* ~4 sigma */
	ck_assert_int_ge(min, 0);

	struct wl_dist norm = { WL_DIST_NORMAL, 1e6, 1e5 };
	m = sample_mean(&norm, &r, n, &min);
	ck_assert_msg(fabs(m - 1e6) < 0.005e6, "normal mean %g", m);
	ck_assert_int_ge(min, 0);

	struct wl_dist logn = { WL_DIST_LOGNORMAL, 50e3, 30e3 };
	m = sample_mean(&logn, &r, n, &min);
	ck_assert_msg(fabs(m - 50e3) < 0.03 * 50e3, "lognormal mean %g", m);
	ck_assert_int_ge(min, 0);

	struct wl_dist uni = { WL_DIST_UNIFORM, 20e3, 200e3 };
	m = sample_mean(&uni, &r, n, &min);
	ck_assert_msg(fabs(m - 110e3) < 0.02 * 110e3, "uniform mean %g", m);
	ck_assert_int_ge(min, 20000);

	/* a wide normal is clamped at 0, never negative */
	struct wl_dist wide = { WL_DIST_NORMAL, 1e3, 1e4 };
	sample_mean(&wide, &r, n, &min);
	ck_assert_int_eq(min, 0);

	rng_destroy(&r);
}
END_TEST

/* ---- wl_locate ---------------------------------------------------------- */

START_TEST(test_locate)
{
	const char *t =
		"{\n"
		"  \"a\": {\"b\": [10, {\"c\": 1}, [2, 3]]},\n"
		"  \"s\": \"x,}]\\\"{\", \"k\\u00e9y\": 0,\n"
		"  \"\u00e9\u00e9\": 1, \"z\": {\"q\": null}\n"
		"}\n";
	int line = 0, col = 0;

	ck_assert_int_eq(wl_locate(t, "", &line, &col), 0);
	ck_assert(line == 1 && col == 1);
	ck_assert_int_eq(wl_locate(t, "a", &line, &col), 0);
	ck_assert(line == 2 && col == 3);
	ck_assert_int_eq(wl_locate(t, "a.b", &line, &col), 0);
	ck_assert(line == 2 && col == 9);
	ck_assert_int_eq(wl_locate(t, "a.b[0]", &line, &col), 0);
	ck_assert(line == 2 && col == 15);
	ck_assert_int_eq(wl_locate(t, "a.b[1]", &line, &col), 0);
	ck_assert(line == 2 && col == 19);
	ck_assert_int_eq(wl_locate(t, "a.b[1].c", &line, &col), 0);
	ck_assert(line == 2 && col == 20);
	ck_assert_int_eq(wl_locate(t, "a.b[2][1]", &line, &col), 0);
	ck_assert(line == 2 && col == 33);
	/* strings with escapes and brackets are skipped correctly */
	ck_assert_int_eq(wl_locate(t, "k\u00e9y", &line, &col), 0);
	ck_assert(line == 3 && col == 19);
	/* columns count characters, not bytes */
	ck_assert_int_eq(wl_locate(t, "z.q", &line, &col), 0);
	ck_assert_msg(line == 4 && col == 18, "z.q at %d:%d", line, col);
	/* not found */
	ck_assert_int_eq(wl_locate(t, "a.x", &line, &col), -1);
	ck_assert_int_eq(wl_locate(t, "a.b[3]", &line, &col), -1);
	ck_assert_int_eq(wl_locate(t, "a[0]", &line, &col), -1);
	ck_assert_int_eq(wl_locate(t, "s.x", &line, &col), -1);
	ck_assert_int_eq(wl_locate("{\"a\": [", "a[0]", &line, &col), 0); /* truncated text */
	ck_assert_int_eq(wl_locate("{\"a\": [1", "a[1]", &line, &col), -1);
	ck_assert_int_eq(wl_locate("  [1, 2]", "[1]", &line, &col), 0);
	ck_assert(line == 1 && col == 7);
}
END_TEST

static Suite *wl_suite(void)
{
	Suite *s = suite_create("wl");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_cpu_mix);
	tcase_add_test(tc, test_sets);
	tcase_add_test(tc, test_pingpong);
	tcase_add_test(tc, test_wakeup_mix);
	tcase_add_test(tc, test_features);
	tcase_add_test(tc, test_name_from_file);
	tcase_add_test(tc, test_fixtures);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_param_errors);
	tcase_add_test(tc, test_sample);
	tcase_add_test(tc, test_locate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(wl_suite());
	int failed;

	diag_quiet_warnings(1);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
