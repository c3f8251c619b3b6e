/* Unit tests for the workload parser (sim/workload/wl.c and the files wl_ld.h lists, wl_locate.c). */
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
	struct wl_opts o = { .nr_cpus = nr_cpus, .nr_nodes = 2 };
	int ret = wl_load(path, &o, sets, nr_sets, &w, &d);
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

	snprintf(path, sizeof(path), "%s/cassim-test-wl-XXXXXX.json", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
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
	struct wl_opts o = { .nr_cpus = nr_cpus, .nr_nodes = 2 };
	char pre[128];

	ck_assert_int_eq(wl_load(path, &o, sets, nr_sets, &w, &d), -1);
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
	struct wl_opts o = { .nr_cpus = nr_cpus, .nr_nodes = 2 };

	ck_assert_msg(wl_load(path, &o, NULL, 0, &w, &d) == 0, "%s", d.msg);
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

	struct wl_opts o = { .nr_cpus = 8, .nr_nodes = 2 };

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", srcdir(), rel);
	ck_assert_int_eq(wl_load(path, &o, NULL, 0, &w, &d), -1);
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
		    "count, nice, start_delay, cpus, loops, inbox, ops, phases)");
	fixture_err("wl-negative-duration.json", 9, 15,
		    "processes[0].threads[0].ops[1].sleep: negative duration \"-5ms\"");
	fixture_err("wl-nonnumeric-duration.json", 8, 47,
		    "processes[0].threads[0].ops[0].run.mean: not a duration: \"fast\"");
	fixture_err("wl-unknown-target.json", 7, 40,
		    "processes[0].threads[0].ops[1].wake: unknown wake target \"pnog\"");
	fixture_err("wl-wrong-modifier.json", 8, 29,
		    "processes[0].threads[0].ops[0].bytes: \"bytes\" is not a modifier of run");
	fixture_err("wl-two-kinds.json", 10, 15,
		    "processes[0].threads[0].ops[2].lock: \"sync\" is a barrier "
		    "(processes[0].threads[0].ops[0].barrier) and cannot also be a lock");
	fixture_err("wl-unknown-counter.json", 11, 38,
		    "metrics[0].counter: unknown counter \"request\" (expected a counter of a count "
		    "op: requests)");
	fixture_err("wl-bind-without-node.json", 5, 38,
		    "processes[0].memory.policy: policy \"bind\" without \"node\"");
}
END_TEST

START_TEST(test_missing_file)
{
	struct workload *w = NULL;
	struct diag d = { "" };

	struct wl_opts o = { .nr_cpus = 8 };

	ck_assert_int_eq(wl_load("/nonexistent/wl.json", &o, NULL, 0, &w, &d), -1);
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
		   "duration, params, processes, metrics)");
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
		   "ops[1]: empty op (expected exactly one of: run, spin, sleep, wake, wake_all, "
		   "wait, send, recv, barrier, lock, unlock, signal, broadcast, cond_wait, post, "
		   "sem_wait, timer, loop, count, stamp, record, hotplug)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"jump\": 1}]}" TAIL, 2, 25,
		   "unknown key \"jump\" in processes[0].threads[0].ops[0] (expected one of: run, "
		   "spin, sleep, wake, ");
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

/* ---- version 2: blocks, messages, objects, phases, metrics --------------- */

static int find_obj(const struct workload *w, const char *name)
{
	for (int i = 0; i < w->nr_objs; i++)
		if (!strcmp(w->objs[i].name, name))
			return i;
	return -1;
}

static int find_proc(const struct workload *w, const char *name)
{
	for (int i = 0; i < w->nr_procs; i++)
		if (!strcmp(w->procs[i].name, name))
			return i;
	return -1;
}

static struct workload *load_text_opts(const char *text, const struct wl_opts *o,
				       struct wl_set *sets, int nr_sets)
{
	const char *path = tmpjson(text);
	struct workload *w = NULL;
	struct diag d = { "" };

	ck_assert_msg(wl_load(path, o, sets, nr_sets, &w, &d) == 0, "%s", d.msg);
	unlink(path);
	return w;
}

/* hackbench: "group" blocks of senders and receivers; every sender sends
 * to every receiver of its own group. */
static const char *hackbench =
	"{\"params\": {\"loops\": 10, \"mode\": \"threads\", \"each\": \"true\"},\n"
	" \"processes\": [{\"name\": \"hb\", \"mode\": \"${mode}\",\n"
	"   \"memory\": {\"shared\": \"1MiB\", \"write\": 0.5},\n"
	"   \"threads\": [\n"
	"  {\"block\": \"group\", \"count\": 2, \"threads\": [\n"
	"    {\"name\": \"sender\", \"count\": 3, \"loops\": 1,\n"
	"     \"ops\": [{\"loop\": \"${loops}\", \"ops\": [{\"send\": \"receiver\", \"bytes\": 100,"
	" \"each\": \"${each}\"}]}]},\n"
	"    {\"name\": \"receiver\", \"count\": 3, \"loops\": 1,\n"
	"     \"ops\": [{\"loop\": \"${loops}\", \"ops\": [{\"loop\": 3, \"ops\": [{\"recv\": true,"
	" \"bytes\": 100}]}]}]}]}]}],\n"
	" \"metrics\": [{\"name\": \"time\", \"kind\": \"elapsed\", \"unit\": \"s\"}]}\n";

START_TEST(test_hackbench)
{
	struct wl_opts o = { .nr_cpus = 8, .nr_nodes = 1 };
	struct workload *w = load_text_opts(hackbench, &o, NULL, 0);

	ck_assert_str_eq(w->format, "cassim");
	ck_assert_int_eq(w->nr_procs, 1);
	ck_assert_int_eq(w->procs[0].nr_threads, 12);
	ck_assert(w->procs[0].shared_bytes == 1048576 && w->procs[0].write_fraction == 0.5);
	ck_assert_int_eq(w->procs[0].mempolicy, WL_MEM_FIRST_TOUCH);
	ck_assert_int_eq(w->nr_threads, 12);
	ck_assert_str_eq(w->threads[0].name, "group.0/sender.0");
	ck_assert_str_eq(w->threads[3].name, "group.0/receiver.0");
	ck_assert_str_eq(w->threads[6].name, "group.1/sender.0");
	ck_assert_str_eq(w->threads[11].name, "group.1/receiver.2");
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 3; i++) {
			const struct wl_thread *s = &w->threads[6 * k + i], *r = &w->threads[6 * k + 3 + i];

			ck_assert_int_eq(s->loops, 1);
			ck_assert_int_eq(s->process, 0);
			ck_assert_int_eq(s->nr_ops, 3);
			ck_assert_int_eq(s->ops[0].kind, WL_OP_LOOP);
			ck_assert_int_eq(s->ops[0].count, 10);
			ck_assert_int_eq(s->ops[0].end, 2);
			ck_assert_int_eq(s->ops[1].kind, WL_OP_SEND);
			ck_assert_int_eq(s->ops[1].target, 6 * k + 3); /* receivers of its own block */
			ck_assert_int_eq(s->ops[1].nr_targets, 3);
			ck_assert(s->ops[1].each);
			ck_assert(s->ops[1].bytes == 100);
			ck_assert_int_eq(s->ops[2].kind, WL_OP_END);
			ck_assert_int_eq(s->ops[2].end, 0);

			ck_assert_int_eq(r->nr_ops, 5);
			ck_assert_int_eq(r->inbox, WL_INBOX_PIPE);
			ck_assert(r->inbox_capacity == 65536);
			ck_assert_int_eq(r->ops[0].kind, WL_OP_LOOP);
			ck_assert_int_eq(r->ops[0].count, 10);
			ck_assert_int_eq(r->ops[0].end, 4);
			ck_assert_int_eq(r->ops[1].kind, WL_OP_LOOP);
			ck_assert_int_eq(r->ops[1].count, 3);
			ck_assert_int_eq(r->ops[1].end, 3);
			ck_assert_int_eq(r->ops[2].kind, WL_OP_RECV);
			ck_assert(r->ops[2].bytes == 100);
			ck_assert_int_eq(r->ops[3].kind, WL_OP_END);
			ck_assert_int_eq(r->ops[3].end, 1);
			ck_assert_int_eq(r->ops[4].kind, WL_OP_END);
			ck_assert_int_eq(r->ops[4].end, 0);
		}
	ck_assert_int_eq(w->nr_metrics, 1);
	ck_assert_str_eq(w->metrics[0].name, "time");
	ck_assert_int_eq(w->metrics[0].kind, WL_METRIC_ELAPSED);
	ck_assert_str_eq(w->metrics[0].unit, "s");
	ck_assert(!w->metrics[0].higher_is_better);
	ck_assert_int_eq(w->nr_objs, 0);
	wl_free(w);

	/* without each: the pairing rule, sender.i -> receiver.i of the same block */
	struct wl_set pair[] = { { "each", "false", false } };
	w = load_text_opts(hackbench, &o, pair, 1);
	ck_assert(pair[0].used);
	ck_assert_int_eq(w->threads[find(w, "group.1/sender.2")].ops[1].target,
			 find(w, "group.1/receiver.2"));
	ck_assert_int_eq(w->threads[find(w, "group.1/sender.2")].ops[1].nr_targets, 1);
	ck_assert(!w->threads[7].ops[1].each);
	wl_free(w);

	/* mode "processes": every thread its own process, same memory */
	struct wl_set procs[] = { { "mode", "processes", false } };
	w = load_text_opts(hackbench, &o, procs, 1);
	ck_assert_int_eq(w->nr_threads, 12);
	ck_assert_int_eq(w->nr_procs, w->nr_threads);
	for (int i = 0; i < w->nr_threads; i++) {
		ck_assert_str_eq(w->procs[i].name, w->threads[i].name);
		ck_assert_int_eq(w->procs[i].first_thread, i);
		ck_assert_int_eq(w->procs[i].nr_threads, 1);
		ck_assert_int_eq(w->threads[i].process, i);
		ck_assert(w->procs[i].shared_bytes == 1048576 && w->procs[i].write_fraction == 0.5);
	}
	ck_assert_int_eq(w->threads[1].ops[1].target, 3);
	ck_assert_int_eq(find_proc(w, "group.1/receiver.2"), 11);
	wl_free(w);
}
END_TEST

START_TEST(test_objects)
{
	struct wl_opts o = { .nr_cpus = 8, .nr_nodes = 2 };
	struct workload *w = load_text_opts(
		"{\"processes\": [{\"name\": \"p\",\n"
		"   \"memory\": {\"shared\": \"2MB\", \"policy\": \"bind\", \"node\": 1},\n"
		"   \"threads\": [\n"
		" {\"name\": \"w\", \"count\": 4, \"ops\": [{\"barrier\": \"b\"},\n"
		"   {\"lock\": \"L\", \"percpu\": true},\n"
		"   {\"run\": \"10us\", \"refs\": 20, \"footprint\": \"64KiB\", \"shared\": 0.5, \"mlp\": 2},\n"
		"   {\"unlock\": \"L\"}, {\"count\": \"tx\", \"add\": 2}]},\n"
		" {\"name\": \"m\", \"ops\": [{\"barrier\": \"b\"}, {\"lock\": \"L\", \"spin\": false},\n"
		"   {\"stamp\": \"t0\"}, {\"cond_wait\": \"c\", \"mutex\": \"L\", \"record\": \"wlat\"},\n"
		"   {\"unlock\": \"L\"}, {\"sem_wait\": \"s\"}, {\"record\": \"req\", \"since\": \"t0\"},\n"
		"   {\"timer\": \"1ms\", \"name\": \"tick\"}, {\"barrier\": \"b\", \"spin\": \"30us\"}]},\n"
		" {\"name\": \"n\", \"ops\": [{\"sleep\": \"1ms\"}, {\"signal\": \"c\"},\n"
		"   {\"broadcast\": \"c\"}, {\"post\": \"s\"}, {\"wait\": true, \"record\": \"wlat\"},\n"
		"   {\"hotplug\": 3, \"online\": true}, {\"spin\": \"5us\"}, {\"timer\": \"2ms\"},\n"
		"   {\"wake_all\": \"w\"}, {\"wake\": \"m\"}, {\"send\": \"w.2\"}, {\"hotplug\": \"7\"}]}]}],\n"
		" \"metrics\": [{\"name\": \"tps\", \"kind\": \"rate\", \"counter\": \"tx\", \"scale\": 0.5,"
		" \"unit\": \"tx/s\"},\n"
		"   {\"name\": \"lat\", \"kind\": \"latency\", \"hist\": \"req\"},\n"
		"   {\"name\": \"sum\", \"kind\": \"total\", \"counter\": \"tx\", \"better\": \"lower\"}]}\n",
		&o, NULL, 0);
	int b = find_obj(w, "b"), L = find_obj(w, "L"), c = find_obj(w, "c"), s = find_obj(w, "s");
	const struct wl_thread *tw = &w->threads[find(w, "w.1")], *tm = &w->threads[find(w, "m")],
			       *tn = &w->threads[find(w, "n")];

	ck_assert_int_eq(w->procs[0].mempolicy, WL_MEM_BIND);
	ck_assert_int_eq(w->procs[0].bind_node, 1);
	ck_assert(w->procs[0].shared_bytes == 2e6);
	ck_assert_int_eq(w->nr_objs, 4);
	ck_assert(b >= 0 && L >= 0 && c >= 0 && s >= 0);
	ck_assert_int_eq(w->objs[b].kind, WL_OBJ_BARRIER);
	ck_assert_int_eq(w->objs[b].participants, 5); /* w.0-3 and m (twice: counted once) */
	ck_assert_int_eq(w->objs[L].kind, WL_OBJ_LOCK);
	ck_assert(w->objs[L].percpu && !w->objs[L].spin);
	ck_assert_int_eq(w->objs[c].kind, WL_OBJ_COND);
	ck_assert_int_eq(w->objs[s].kind, WL_OBJ_SEM);

	ck_assert_int_eq(tw->ops[0].kind, WL_OP_BARRIER);
	ck_assert_int_eq(tw->ops[0].obj, b);
	ck_assert(tw->ops[0].dist.a == 0);                 /* no spin: sleeps at once */
	ck_assert_int_eq(tm->ops[8].kind, WL_OP_BARRIER);  /* spins 30 us, then sleeps */
	ck_assert_int_eq(tm->ops[8].obj, b);
	ck_assert_int_eq(tm->ops[8].dist.kind, WL_DIST_FIXED);
	ck_assert(tm->ops[8].dist.a == 30000);
	ck_assert_int_eq(tw->ops[1].kind, WL_OP_LOCK);
	ck_assert_int_eq(tw->ops[1].obj, L);
	ck_assert(tw->ops[2].mem.refs_per_us == 20 && tw->ops[2].mem.footprint == 65536 &&
		  tw->ops[2].mem.shared == 0.5 && tw->ops[2].mem.mlp == 2);
	ck_assert_int_eq(tw->ops[3].kind, WL_OP_UNLOCK);
	ck_assert_int_eq(tw->ops[3].obj, L);
	ck_assert_int_eq(tw->ops[4].kind, WL_OP_COUNT);
	ck_assert_int_eq(tw->ops[4].obj, 0);
	ck_assert(tw->ops[4].bytes == 2);

	ck_assert_int_eq(w->nr_counters, 1);
	ck_assert_str_eq(w->counter_names[0], "tx");
	ck_assert_int_eq(w->nr_hists, 2);
	ck_assert_str_eq(w->hist_names[0], "wlat");
	ck_assert_str_eq(w->hist_names[1], "req");
	ck_assert_int_eq(w->nr_stamps, 1);
	ck_assert_int_eq(w->nr_timers, 2);

	ck_assert_int_eq(tm->ops[2].kind, WL_OP_STAMP);
	ck_assert_int_eq(tm->ops[2].obj, 0);
	ck_assert_int_eq(tm->ops[3].kind, WL_OP_WAIT);
	ck_assert_int_eq(tm->ops[3].obj, c);
	ck_assert_int_eq(tm->ops[3].lock, L);
	ck_assert_int_eq(tm->ops[3].record, 0);
	ck_assert_int_eq(tm->ops[5].kind, WL_OP_WAIT);
	ck_assert_int_eq(tm->ops[5].obj, s);
	ck_assert_int_eq(tm->ops[5].record, -1);
	ck_assert_int_eq(tm->ops[5].lock, -1);
	ck_assert_int_eq(tm->ops[6].kind, WL_OP_RECORD);
	ck_assert_int_eq(tm->ops[6].obj, 1);
	ck_assert_int_eq(tm->ops[6].stamp, 0);
	ck_assert_int_eq(tm->ops[7].kind, WL_OP_TIMER);
	ck_assert_int_eq(tm->ops[7].obj, 0);
	ck_assert(tm->ops[7].dist.a == 1e6);

	ck_assert_int_eq(tn->ops[1].kind, WL_OP_WAKE);
	ck_assert_int_eq(tn->ops[1].obj, c);
	ck_assert_int_eq(tn->ops[2].kind, WL_OP_WAKE_ALL);
	ck_assert_int_eq(tn->ops[2].obj, c);
	ck_assert_int_eq(tn->ops[3].kind, WL_OP_WAKE);
	ck_assert_int_eq(tn->ops[3].obj, s);
	ck_assert_int_eq(tn->ops[4].kind, WL_OP_WAIT);
	ck_assert_int_eq(tn->ops[4].obj, -1);
	ck_assert_int_eq(tn->ops[4].record, 0);
	ck_assert_int_eq(tn->ops[5].kind, WL_OP_HOTPLUG);
	ck_assert_int_eq(tn->ops[5].cpu, 3);
	ck_assert(tn->ops[5].online);
	ck_assert_int_eq(tn->ops[6].kind, WL_OP_SPIN);
	ck_assert(tn->ops[6].dist.a == 5000);
	ck_assert_int_eq(tn->ops[7].obj, 1); /* the default timer slot "timer" */
	ck_assert_int_eq(tn->ops[8].kind, WL_OP_WAKE_ALL);
	ck_assert_int_eq(tn->ops[8].obj, -1);
	ck_assert_int_eq(tn->ops[8].target, find(w, "w.0"));
	ck_assert_int_eq(tn->ops[8].nr_targets, 4);
	ck_assert_int_eq(tn->ops[9].target, find(w, "m"));
	ck_assert_int_eq(tn->ops[9].nr_targets, 1);
	ck_assert_int_eq(tn->ops[10].kind, WL_OP_SEND);
	ck_assert_int_eq(tn->ops[10].target, find(w, "w.2"));
	ck_assert(tn->ops[10].bytes == 1);
	ck_assert_int_eq(tn->ops[11].cpu, 7);
	ck_assert(!tn->ops[11].online);

	ck_assert_int_eq(w->nr_metrics, 3);
	ck_assert_int_eq(w->metrics[0].kind, WL_METRIC_RATE);
	ck_assert_int_eq(w->metrics[0].src, 0);
	ck_assert(w->metrics[0].scale == 0.5);
	ck_assert_str_eq(w->metrics[0].unit, "tx/s");
	ck_assert(w->metrics[0].higher_is_better);
	ck_assert_int_eq(w->metrics[1].kind, WL_METRIC_LATENCY);
	ck_assert_int_eq(w->metrics[1].src, 1);
	ck_assert(!w->metrics[1].higher_is_better);
	ck_assert_int_eq(w->metrics[2].kind, WL_METRIC_TOTAL);
	ck_assert(w->metrics[2].scale == 1);
	ck_assert(!w->metrics[2].higher_is_better);
	wl_free(w);
}
END_TEST

START_TEST(test_phases)
{
	struct workload *w = load_text(
		"{\"processes\": [{\"name\": \"p\", \"threads\": [\n"
		" {\"name\": \"a\", \"inbox\": {\"type\": \"socket\"}, \"phases\": [\n"
		"   {\"name\": \"warm\", \"loops\": 3, \"ops\": [{\"run\": \"1ms\"}]},\n"
		"   {\"ops\": [{\"sleep\": \"2ms\"}]},\n"
		"   {\"name\": \"steady\", \"loops\": -1, \"ops\": [{\"run\": \"1ms\"}, {\"sleep\": \"1ms\"}]}]},\n"
		" {\"name\": \"b\", \"inbox\": {\"capacity\": \"1MiB\"}, \"loops\": 2, \"phases\": [\n"
		"   {\"ops\": [{\"recv\": true, \"bytes\": \"4KB\"}]}]}]}]}\n", 8);
	const struct wl_thread *a = &w->threads[0], *b = &w->threads[1];
	static const enum wl_op_kind kinds[] = { WL_OP_LOOP, WL_OP_RUN, WL_OP_END, WL_OP_SLEEP,
						 WL_OP_LOOP, WL_OP_RUN, WL_OP_SLEEP, WL_OP_END };

	ck_assert_int_eq(a->inbox, WL_INBOX_SOCKET);
	ck_assert(a->inbox_capacity == 212992);
	ck_assert_int_eq(a->loops, -1);
	ck_assert_int_eq(a->nr_ops, 8);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(a->ops[i].kind, kinds[i]);
	ck_assert_int_eq(a->ops[0].count, 3);
	ck_assert_int_eq(a->ops[0].end, 2);
	ck_assert_int_eq(a->ops[2].end, 0);
	ck_assert_int_eq(a->ops[4].count, -1);
	ck_assert_int_eq(a->ops[4].end, 7);
	ck_assert_int_eq(a->ops[7].end, 4);
	ck_assert(a->ops[3].dist.a == 2e6);

	ck_assert_int_eq(b->inbox, WL_INBOX_PIPE);
	ck_assert(b->inbox_capacity == 1048576);
	ck_assert_int_eq(b->loops, 2);
	ck_assert_int_eq(b->nr_ops, 1); /* a phase with loops 1 needs no LOOP */
	ck_assert_int_eq(b->ops[0].kind, WL_OP_RECV);
	ck_assert(b->ops[0].bytes == 4000);
	wl_free(w);
}
END_TEST

/* Nested blocks, name lookup from the innermost instance outward, and
 * per-instance versus global ("/name") objects. */
START_TEST(test_scopes)
{
	struct workload *w = load_text(
		"{\"processes\": [{\"name\": \"p\", \"threads\": [\n"
		" {\"block\": \"outer\", \"count\": 2, \"threads\": [\n"
		"   {\"block\": \"inner\", \"count\": 2, \"threads\": [\n"
		"     {\"name\": \"t\", \"count\": 2, \"ops\": [{\"barrier\": \"b\"}, {\"wake\": \"u\"},\n"
		"       {\"lock\": \"/G\"}, {\"unlock\": \"/G\"}]},\n"
		"     {\"name\": \"u\", \"count\": 2, \"ops\": [{\"wait\": true}]}]},\n"
		"   {\"name\": \"boss\", \"ops\": [{\"sleep\": \"1ms\"}, {\"wake_all\": \"inner.1/t\"},\n"
		"     {\"wake\": \"top\"}, {\"barrier\": \"inner.0/b\"}]}]},\n"
		" {\"name\": \"top\", \"ops\": [{\"wait\": true}, {\"wake\": \"outer.1/boss\"},\n"
		"   {\"lock\": \"G\", \"spin\": true}, {\"unlock\": \"G\"}]}]}]}\n", 8);
	int t = find(w, "outer.1/inner.0/t.1"), u = find(w, "outer.1/inner.0/u.1");
	int boss = find(w, "outer.1/boss"), top = find(w, "top");
	int b = find_obj(w, "outer.1/inner.0/b"), G = find_obj(w, "G");

	ck_assert_int_eq(w->nr_threads, 2 * (2 * 4 + 1) + 1);
	ck_assert_str_eq(w->threads[0].name, "outer.0/inner.0/t.0");
	ck_assert(t >= 0 && u >= 0 && boss >= 0 && top >= 0);
	ck_assert_int_eq(w->threads[t].ops[1].target, u); /* pairing inside the instance */
	ck_assert_int_eq(w->threads[t].ops[0].obj, b);
	ck_assert_int_eq(w->objs[b].participants, 3); /* t.0, t.1 and outer.1/boss */
	ck_assert_int_eq(w->objs[find_obj(w, "outer.0/inner.1/b")].participants, 2);
	ck_assert_int_eq(w->nr_objs, 4 + 1);
	ck_assert_int_eq(w->threads[t].ops[2].obj, G);
	ck_assert_int_eq(w->threads[top].ops[2].obj, G);
	ck_assert(w->objs[G].spin);
	ck_assert_int_eq(w->threads[boss].ops[1].target, find(w, "outer.1/inner.1/t.0"));
	ck_assert_int_eq(w->threads[boss].ops[1].nr_targets, 2);
	ck_assert_int_eq(w->threads[boss].ops[2].target, top);
	ck_assert_int_eq(w->threads[boss].ops[3].obj, b);
	ck_assert_int_eq(w->threads[top].ops[1].target, boss);
	wl_free(w);
}
END_TEST

/* A file with a top-level "tasks" key is rt-app, even when jansson rejects it
 * (comments, trailing commas). */
START_TEST(test_rtapp_detect)
{
	static const char *const rtapp[] = {
		/* jansson rejects this one (comments, trailing commas) */
		"/* rt-app */\n{\n \"global\": {\"duration\": 1,},\n"
		" \"tasks\": {\"t\": {\"run\": 1000, \"sleep\": 1000,},}, // x\n}\n",
		/* plain JSON */
		"{\"global\": {\"duration\": 1}, \"tasks\": {\"t\": {\"run\": 1000, \"sleep\": 1000}}}",
	};
	struct wl_opts o = { .nr_cpus = 8, .nr_nodes = 1 };

	for (size_t i = 0; i < sizeof(rtapp) / sizeof(rtapp[0]); i++) {
		const char *path = tmpjson(rtapp[i]);
		struct workload *w = NULL;
		struct diag d = { "" };
		int ret = wl_load(path, &o, NULL, 0, &w, &d);

		/* whatever wl_rtapp_parse says, it was asked: not a jansson or cassim error */
		ck_assert_msg(ret == 0 || (!strstr(d.msg, " near ") && !strstr(d.msg, "unknown key")),
			      "%s", d.msg);
		if (!ret) {
			ck_assert_str_eq(w->format, "rt-app");
			ck_assert_int_ge(w->nr_threads, 1);
			wl_free(w);
		}
		unlink(path);
	}

	/* a cassim file with a syntax error keeps jansson's message, even with
	 * a nested "tasks" key */
	expect_err("{\"processes\": [],\n \"x\": {\"tasks\": 1},,}", 2, 20, "expected near");
}
END_TEST

START_TEST(test_v2_errors)
{
	/* op keys and modifiers */
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1,\n \"bytes\": 10}]}" TAIL, 3, 2,
		   "processes[0].threads[0].ops[0].bytes: \"bytes\" is not a modifier of run (it "
		   "belongs to: send, recv; expected one of: run, refs, footprint, shared, mlp)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"sleep\": 1, \"each\": true}]}" TAIL, 2, 37,
		   "ops[0].each: \"each\" is not a modifier of sleep");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"bytes\": 1}]}" TAIL, 2, 25,
		   "ops[0].bytes: modifier \"bytes\" without its op");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1, \"colour\": 1}]}" TAIL, 2, 35,
		   "unknown key \"colour\" in processes[0].threads[0].ops[0] (expected one of: run, "
		   "refs, footprint, shared, mlp)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"lock\": \"l\", \"spin\": 2}]}" TAIL, 2, 38,
		   "ops[0].spin: got an integer (expected true or false)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1, \"shared\": 1.5}]}" TAIL, 2, 35,
		   "ops[0].shared: 1.5 out of range (expected the fraction 0..1");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1, \"mlp\": 0.5}]}" TAIL, 2, 35,
		   "ops[0].mlp: 0.5 out of range");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"record\": \"h\"}, {\"run\": 1}]}" TAIL, 2, 24,
		   "ops[0]: record without \"since\"");
	/* unknown names */
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1},\n {\"send\": \"nobody\"}]}" TAIL,
		   3, 3, "processes[0].threads[0].ops[1].send: unknown send target \"nobody\"");
	expect_err(HEAD " {\"block\": \"g\", \"threads\": [\n {\"name\": \"a\", \"ops\": [{\"run\": 1},"
		   " {\"wake_all\": \"x\"}]}]}" TAIL, 3, 37,
		   "processes[0].threads[0].threads[0].ops[1].wake_all: unknown wake_all target \"x\" "
		   "from block instance g.0");
	expect_err(HEAD " {\"name\": \"a\", \"count\": 2, \"ops\": [{\"run\": 1}, {\"send\": \"b\"}]},\n"
		   " {\"name\": \"b\", \"count\": 3, \"ops\": [{\"recv\": true}]}" TAIL, 2, 49,
		   "send target \"b\" is a group of 3 threads but the sender \"a\" has 2");
	/* objects */
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"barrier\": \"x\", \"spin\": \"fast\"}]}" TAIL,
		   2, 41, "processes[0].threads[0].ops[0].spin: not a duration: \"fast\"");
	/* objects */
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"barrier\": \"x\"},\n {\"lock\": \"x\"}]}" TAIL,
		   3, 3, "processes[0].threads[0].ops[1].lock: \"x\" is a barrier "
		   "(processes[0].threads[0].ops[0].barrier) and cannot also be a lock");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"cond_wait\": \"c\", \"mutex\": \"c\"}]}" TAIL,
		   2, 43, "ops[0].mutex: \"c\" is a cond");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"lock\": \"l\", \"percpu\": true}, {\"unlock\": "
		   "\"l\"}]},\n {\"name\": \"b\", \"ops\": [{\"lock\": \"l\",\n \"percpu\": false}, "
		   "{\"unlock\": \"l\"}]}" TAIL, 4, 2,
		   "processes[0].threads[1].ops[0].percpu: conflicting \"percpu\" for lock \"l\": false "
		   "here but true at processes[0].threads[0].ops[0].percpu");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}, {\"unlock\": \"l\"}]}" TAIL, 2, 37,
		   "ops[1].unlock: lock \"l\" is released but never taken");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"cond_wait\": \"c\"}]}" TAIL, 2, 25,
		   "ops[0].cond_wait: cond \"c\" is waited on but never signalled");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}, {\"post\": \"s\"}]}" TAIL, 2, 37,
		   "ops[1].post: sem \"s\" is posted but nobody waits on it");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}, {\"record\": \"h\", \"since\": "
		   "\"t\"}]}" TAIL, 2, 52, "ops[1].since: stamp slot \"t\" is never stamped");
	/* BYTES */
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"recv\": true, \"bytes\": \"12 KB\"}]}" TAIL,
		   2, 39, "ops[0].bytes: not a byte size: \"12 KB\" (expected a non-negative number of "
		   "bytes, or a string with unit B, KB, MB, GB, KiB, MiB, GiB");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1, \"footprint\": \"-4KiB\"}]}" TAIL,
		   2, 35, "ops[0].footprint: negative byte size \"-4KiB\"");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1, \"footprint\": \"4kb\"}]}" TAIL,
		   2, 35, "not a byte size: \"4kb\"");
	expect_err(HEAD " {\"name\": \"a\", \"inbox\": {\"capacity\": 0}, \"ops\": [{\"recv\": true}]}"
		   TAIL, 2, 26, "inbox.capacity: inbox capacity 0 bytes (expected at least 1 byte)");
	expect_err(HEAD " {\"name\": \"a\", \"inbox\": {\"capacity\": \"4GiB\"}, \"ops\": [{\"recv\": true}]}"
		   TAIL, 2, 26, "inbox.capacity: pipe capacity 4.29497e+09 bytes (expected at most 2 GiB");
	expect_err(HEAD " {\"name\": \"a\", \"inbox\": {\"type\": \"fifo\"}, \"ops\": [{\"run\": 1}]}"
		   TAIL, 2, 26, "inbox.type: unknown inbox type \"fifo\"");
	/* memory */
	expect_err("{\"processes\": [{\"name\": \"p\",\n \"memory\": {\"policy\": \"bind\"},"
		   " \"threads\": [{\"name\": \"a\", \"ops\": [{\"run\": 1}]}]}]}", 2, 13,
		   "processes[0].memory.policy: policy \"bind\" without \"node\"");
	expect_err("{\"processes\": [{\"name\": \"p\",\n \"memory\": {\"policy\": \"bind\", \"node\": 2},"
		   " \"threads\": [{\"name\": \"a\", \"ops\": [{\"run\": 1}]}]}]}", 2, 31,
		   "processes[0].memory.node: node 2 does not exist (expected nodes 0..1)");
	expect_err("{\"processes\": [{\"name\": \"p\",\n \"memory\": {\"node\": 0},"
		   " \"threads\": [{\"name\": \"a\", \"ops\": [{\"run\": 1}]}]}]}", 2, 13,
		   "processes[0].memory.node: \"node\" without \"policy\": \"bind\"");
	expect_err("{\"processes\": [{\"name\": \"p\",\n \"memory\": {\"write\": 2},"
		   " \"threads\": [{\"name\": \"a\", \"ops\": [{\"run\": 1}]}]}]}", 2, 13,
		   "processes[0].memory.write: 2 out of range");
	/* processes mode */
	expect_err("{\"processes\": [{\"name\": \"p\",\n \"mode\": \"fork\","
		   " \"threads\": [{\"name\": \"a\", \"ops\": [{\"run\": 1}]}]}]}", 2, 2,
		   "processes[0].mode: unknown mode \"fork\"");
	expect_err("{\"processes\": [{\"name\": \"a\", \"threads\": [{\"name\": \"x\", \"ops\": [{\"run\": 1}]}]},\n"
		   " {\"name\": \"q\", \"mode\": \"process\", \"threads\": [{\"name\": \"a\", \"ops\": "
		   "[{\"run\": 1}]}]}]}", 2, 48,
		   "processes[1].threads[0].name: duplicate process name \"a\"");
	/* hotplug */
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}, {\"hotplug\": 8}]}" TAIL, 2, 37,
		   "ops[1].hotplug: CPU 8 does not exist (expected CPUs 0..7)");
	/* loops and phases */
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"loop\": -1, \"ops\": [{\"run\": 1}]},\n "
		   "{\"run\": 1}]}" TAIL, 3, 2, "ops[1]: op after a loop that runs forever");
	expect_err(HEAD " {\"name\": \"a\", \"loops\": 1, \"ops\": [{\"loop\": -1, \"ops\": [{\"wake\": "
		   "\"a\"}]}]}" TAIL, 2, 37, "ops[0].loop: loop -1 runs forever without a run");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"loop\": -2, \"ops\": [{\"run\": 1}]}]}" TAIL, 2,
		   25, "ops[0].loop: loop -2 (expected an integer >= 0, or -1");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"loop\": 2, \"ops\": []}]}" TAIL, 2, 36,
		   "ops[0].ops: loop has no ops");
	expect_err(HEAD " {\"name\": \"a\", \"phases\": [{\"loops\": -1, \"ops\": [{\"run\": 1}]},\n"
		   " {\"ops\": [{\"run\": 1}]}]}" TAIL, 2, 28,
		   "phases[0].loops: loops -1 (forever) in a phase that is not the last");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}],\n \"phases\": []}" TAIL, 3, 2,
		   "thread \"a\" has both \"ops\" and \"phases\"");
	/* blocks */
	expect_err(HEAD " {\"block\": \"g\", \"threads\": []}" TAIL, 2, 17,
		   "threads[0].threads: block \"g\" has no threads");
	expect_err(HEAD " {\"block\": \"g\", \"threads\": [{\"name\": \"a\", \"ops\": [{\"run\": 1}]}]},\n"
		   " {\"name\": \"g\", \"ops\": [{\"run\": 1}]}" TAIL, 3, 3,
		   "duplicate name \"g\", also used by the block at processes[0].threads[0]");
	expect_err(HEAD " {\"name\": \"a/b\", \"ops\": [{\"run\": 1}]}" TAIL, 2, 3,
		   "bad thread name \"a/b\" (expected a name without '/'");
	/* metrics */
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}, {\"count\": \"tx\"}]}]}],\n"
		   " \"metrics\": [{\"name\": \"r\", \"kind\": \"rate\",\n \"counter\": \"rx\"}]}", 4, 2,
		   "metrics[0].counter: unknown counter \"rx\" (expected a counter of a count op: tx)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}]}]}],\n"
		   " \"metrics\": [{\"name\": \"r\", \"kind\": \"latency\", \"hist\": \"h\"}]}", 3, 47,
		   "metrics[0].hist: unknown histogram \"h\"");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}]}]}],\n"
		   " \"metrics\": [{\"name\": \"t\", \"kind\": \"elapsed\", \"counter\": \"c\"}]}", 3, 47,
		   "unknown key \"counter\" in metrics[0] (expected one of: name, kind, since, unit, better)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}, {\"count\": \"warm\"}]}]}],\n"
		   " \"metrics\": [{\"name\": \"t\", \"kind\": \"elapsed\", \"since\": \"cold\"}]}", 3, 47,
		   "metrics[0].since: unknown counter \"cold\" (expected a counter of a count op: warm)");
	expect_err(HEAD " {\"name\": \"a\", \"ops\": [{\"run\": 1}]}]}],\n"
		   " \"metrics\": [{\"name\": \"t\", \"kind\": \"p99\"}]}", 3, 28,
		   "metrics[0].kind: unknown metric kind \"p99\"");
}
END_TEST

/* ---- distributions ------------------------------------------------------ */

/* Message sizes as distributions: values in bytes (units as BYTES), the
 * mean kept in op.bytes; errors name the field. */
START_TEST(test_msg_size_dists)
{
	struct workload *w = load_text(
		HEAD " {\"name\": \"tx\", \"loops\": 1, \"ops\": [{\"send\": \"rx\", \"bytes\": {\"dist\": \"uniform\", "
		"\"min\": \"1KiB\", \"max\": 3072}}, {\"send\": \"rx\", \"bytes\": \"2KB\"}]},\n"
		" {\"name\": \"rx\", \"ops\": [{\"recv\": true, \"bytes\": {\"dist\": \"lognormal\", "
		"\"mean\": \"1KB\", \"stddev\": \"500B\"}}, {\"recv\": true}]}" TAIL, 8);
	const struct wl_op *s = w->threads[0].ops, *r = w->threads[1].ops;

	ck_assert_int_eq(s[0].dist.kind, WL_DIST_UNIFORM);
	ck_assert(s[0].dist.a == 1024 && s[0].dist.b == 3072 && s[0].bytes == 2048);
	ck_assert_int_eq(s[1].dist.kind, WL_DIST_FIXED);
	ck_assert(s[1].bytes == 2000);
	ck_assert_int_eq(r[0].dist.kind, WL_DIST_LOGNORMAL);
	ck_assert(r[0].dist.a == 1000 && r[0].dist.b == 500 && r[0].bytes == 1000);
	ck_assert_int_eq(r[1].dist.kind, WL_DIST_FIXED);
	ck_assert(r[1].bytes == 1);
	wl_free(w);

#define RX " {\"name\": \"rx\", \"ops\": [{\"recv\": true}]}"
	expect_err(HEAD " {\"name\": \"tx\", \"loops\": 1, \"ops\": [{\"send\": \"rx\", \"bytes\": {\"dist\": "
		   "\"exponential\", \"mean\": \"0.5B\"}}]},\n" RX TAIL, 2, 52,
		   "ops[0].bytes: message sizes of mean 0.5 bytes (expected a mean of at least 1 byte)");
	expect_err(HEAD " {\"name\": \"tx\", \"loops\": 1, \"ops\": [{\"send\": \"rx\", \"bytes\": {\"dist\": "
		   "\"uniform\", \"min\": \"2KiB\", \"max\": \"1KiB\"}}]},\n" RX TAIL, 2, 96,
		   "ops[0].bytes.max: max 1024 B is below min 2048 B");
	expect_err(HEAD " {\"name\": \"tx\", \"loops\": 1, \"ops\": [{\"send\": \"rx\", \"bytes\": {\"dist\": "
		   "\"normal\", \"mean\": \"1 KB\", \"stddev\": 1}}]},\n" RX TAIL, 2, 80,
		   "ops[0].bytes.mean: not a byte size: \"1 KB\"");
	expect_err(HEAD " {\"name\": \"tx\", \"loops\": 1, \"ops\": [{\"send\": \"rx\", \"bytes\": {\"dist\": "
		   "\"normal\", \"mean\": \"1KB\"}}]},\n" RX TAIL, 2, 52,
		   "ops[0].bytes: missing key \"stddev\" (expected \"stddev\": a byte size)");
	expect_err(HEAD " {\"name\": \"tx\", \"loops\": 1, \"ops\": [{\"send\": \"rx\", \"bytes\": null}]},\n" RX TAIL,
		   2, 52, "ops[0].bytes: got null (expected a byte size or a distribution object");
	expect_err(HEAD " {\"name\": \"tx\", \"loops\": 1, \"ops\": [{\"send\": \"rx\", \"bytes\": 0}]},\n" RX TAIL,
		   2, 52, "ops[0].bytes: message of 0 bytes (expected at least 1 byte)");
#undef RX
}
END_TEST


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

/* Keys with path syntax or control characters in them: wl_path_push_key
 * escapes, wl_locate finds them; wl_locate_nearest falls back to the
 * closest enclosing path that exists. */
START_TEST(test_locate_odd_keys)
{
	const char *t = "{\"name\": \"x\", \"a.b[0]\": {\"c\\\\d\": 1}, \"\\u001b[2J\\n\": 2}";
	char path[128] = "";
	int line = 0, col = 0;

	wl_path_push_key(path, sizeof(path), "a.b[0]");
	ck_assert_str_eq(path, "a\\.b\\[0]");
	wl_path_push_key(path, sizeof(path), "c\\d");
	ck_assert_str_eq(path, "a\\.b\\[0].c\\\\d");
	ck_assert_int_eq(wl_locate(t, path, &line, &col), 0);
	ck_assert_msg(line == 1 && col == 26, "at %d:%d", line, col);
	path[0] = '\0';
	wl_path_push_key(path, sizeof(path), "\033[2J\n");
	ck_assert_int_eq(wl_locate(t, path, &line, &col), 0);
	ck_assert_msg(line == 1 && col == 38, "at %d:%d", line, col);
	/* nearest: a missing key under a.b[0] is located at a.b[0] */
	ck_assert_int_eq(wl_locate_nearest(t, "a\\.b\\[0].zz", &line, &col), 0);
	ck_assert_msg(line == 1 && col == 15, "at %d:%d", line, col);
	ck_assert_int_eq(wl_locate_nearest(t, "nope.x", &line, &col), 0);
	ck_assert(line == 1 && col == 1);
	ck_assert_int_eq(wl_locate_nearest(NULL, "a", &line, &col), -1);
	ck_assert(line == 1 && col == 1);
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
	tcase_add_test(tc, test_hackbench);
	tcase_add_test(tc, test_objects);
	tcase_add_test(tc, test_phases);
	tcase_add_test(tc, test_scopes);
	tcase_add_test(tc, test_rtapp_detect);
	tcase_add_test(tc, test_v2_errors);
	tcase_add_test(tc, test_sample);
	tcase_add_test(tc, test_msg_size_dists);
	tcase_add_test(tc, test_locate);
	tcase_add_test(tc, test_locate_odd_keys);
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
