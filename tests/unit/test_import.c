/*
 * Unit tests for trace import (sim/workload/wl_import.c): reading perf script
 * text of the sched tracepoints, reconstructing run bursts, sleeps and
 * who-wakes-whom, grouping threads into processes, and the workload JSON.
 *
 * The fixtures in tests/fixtures/perf-sched/ hold one scenario in three
 * output forms (pid/tid columns, tid only, libtraceevent's sched plugin):
 *   pp-1000 and pp-1001 (one process, tgid 1000; 1001 forked by 1000 at
 *   t=0) ping-pong on CPUs 0 and 1: each burst is 25 us with the wakeup of
 *   the other 20 us in; pp-1000 has 11 bursts and 10 sleeps ended by
 *   pp-1001, pp-1001 has 12 bursts (the first 10 us) and 11 sleeps ended by
 *   pp-1000, then exits;
 *   tick-2000 (nice -10) is woken by the idle task (a timer) at 100, 1100
 *   and 2100 us and runs 200 us each time, once preempted for 10 us by
 *   kworker/2:1 (tid 77).
 * The trace spans 2302 us.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workload/wl_import.h"

static const char *srcdir(void)
{
	const char *d = getenv("CASSIM_SRCDIR");
	return d && *d ? d : ".";
}

static const char *fixture(const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/tests/fixtures/perf-sched/%s", srcdir(), name);
	return path;
}

static struct wl_trace *load(const char *name, enum wl_import_group g)
{
	struct wl_trace *t = NULL;
	struct wl_import_opts o;
	struct diag d = { "" };

	wl_import_opts_init(&o);
	o.group_by = g;
	o.keep = WL_IMPORT_KEEP_ALL; /* the scenario's kworker too (left out by default: test_left_out) */
	ck_assert_msg(wl_trace_read_path(fixture(name), 0, &t, &d) == 0, "reading %s: %s", name, d.msg);
	ck_assert_ptr_nonnull(t);
	ck_assert_msg(wl_trace_model(t, &o, &d) == 0, "modelling %s: %s", name, d.msg);
	return t;
}

/* Read a trace given as text; returns 0/-1 and the message. */
static int read_text(const char *text, struct wl_trace **t, struct diag *d)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	ck_assert_ptr_nonnull(f);
	ret = wl_trace_read(f, "mem.txt", 0, t, d);
	fclose(f);
	return ret;
}

static const struct wl_imp_thread *th(const struct wl_trace *t, int tid)
{
	const struct wl_imp_thread *x = wl_trace_find(t, tid);

	ck_assert_msg(x != NULL, "thread %d not found", tid);
	return x;
}

static const struct wl_imp_edge *edge(const struct wl_trace *t, int waker, int wakee)
{
	for (int i = 0; i < t->nr_edges; i++)
		if (t->edges[i].waker == waker && t->edges[i].wakee == wakee)
			return &t->edges[i];
	return NULL;
}

/* The reconstruction every form of the fixture must give. */
static void check_scenario(const struct wl_trace *t)
{
	const struct wl_imp_thread *ping = th(t, 1000), *pong = th(t, 1001), *tick = th(t, 2000);
	const struct wl_imp_thread *kw = th(t, 77);

	ck_assert_int_eq(t->nr_order, 4);
	ck_assert_int_eq(t->t1 - t->t0, 2302000);

	ck_assert_int_eq(ping->nr_bursts, 11);
	ck_assert_double_eq_tol(wl_imp_run_mean(ping), 25000, 0.5);
	ck_assert_double_eq_tol(wl_imp_run_sd(ping), 0, 0.5);
	ck_assert_int_eq(ping->nr_sleeps, 10);
	ck_assert_int_eq(ping->dominant_waker, 1001);
	ck_assert_int_eq(ping->nr_waits, 10);
	ck_assert_int_eq(ping->first_seen, 0);
	ck_assert(!ping->exited);

	ck_assert_int_eq(pong->nr_bursts, 12);
	ck_assert_double_eq_tol(wl_imp_run_mean(pong), 23750, 0.5);
	ck_assert_double_eq_tol(wl_imp_run_sd(pong), sqrt(17.1875) * 1000, 0.5);
	ck_assert_int_eq(pong->nr_sleeps, 11);
	ck_assert_int_eq(pong->dominant_waker, 1000);
	ck_assert_int_eq(pong->nr_waits, 11);
	ck_assert_int_eq(pong->first_seen, 5000);
	ck_assert_int_eq(pong->parent, 1000);
	ck_assert(pong->exited);
	ck_assert(!pong->started_blocked);

	/* preemption is not a sleep: 101 + 99 us is one 200 us burst */
	ck_assert_int_eq(tick->nr_bursts, 3);
	ck_assert_double_eq_tol(wl_imp_run_mean(tick), 200000, 0.5);
	ck_assert_int_eq(tick->nr_preempt, 1);
	ck_assert_int_eq(tick->nr_sleeps, 2);
	ck_assert_int_eq(tick->dominant_waker, -1);
	ck_assert_int_eq(tick->nr_waits, 0);
	ck_assert_int_eq(tick->prio, 110);
	ck_assert_int_eq(tick->first_seen, 100000);
	ck_assert(tick->started_blocked);

	ck_assert_int_eq(kw->nr_bursts, 1);
	ck_assert_double_eq_tol(wl_imp_run_mean(kw), 10000, 0.5);
	ck_assert_str_eq(kw->comm, "kworker/2:1");
	ck_assert_str_eq(kw->name, "kworker_2_1-77");

	/* who wakes whom; the idle task and first appearances are no edges */
	ck_assert_int_eq(t->nr_edges, 2);
	ck_assert_ptr_nonnull(edge(t, 1000, 1001));
	ck_assert_int_eq(edge(t, 1000, 1001)->count, 11);
	ck_assert(edge(t, 1000, 1001)->modelled);
	ck_assert_int_eq(edge(t, 1001, 1000)->count, 10);
	ck_assert(edge(t, 1001, 1000)->modelled);
	ck_assert_int_eq(t->edges[0].waker, 1000); /* by count */
	ck_assert_int_eq(t->nr_spurious, 0);

	/* threads in order of first appearance, named comm-tid */
	ck_assert_str_eq(t->threads[t->order[0]].name, "pp-1000");
	ck_assert_str_eq(t->threads[t->order[1]].name, "pp-1001");
	ck_assert_str_eq(t->threads[t->order[2]].name, "tick-2000");
	ck_assert_str_eq(t->threads[t->order[3]].name, "kworker_2_1-77");
}

static void check_processes(const struct wl_trace *t)
{
	ck_assert_int_eq(t->nr_procs, 3);
	ck_assert_str_eq(t->procs[0].name, "pp-1000");
	ck_assert_int_eq(t->procs[0].nr_threads, 2);
	ck_assert_str_eq(t->procs[1].name, "tick-2000");
	ck_assert_int_eq(t->procs[1].nr_threads, 1);
	ck_assert_str_eq(t->procs[2].name, "kworker_2_1-77");
	ck_assert_int_eq(th(t, 1000)->process, th(t, 1001)->process);
	ck_assert_int_ne(th(t, 1000)->process, th(t, 2000)->process);
}

START_TEST(test_tgid_form)
{
	struct wl_trace *t = load("pingpong-tgid.txt", WL_IMPORT_GROUP_AUTO);

	ck_assert(t->has_tgid);
	ck_assert_int_eq(t->grouped_by, WL_IMPORT_GROUP_TGID);
	check_scenario(t);
	check_processes(t);
	ck_assert_int_eq(th(t, 1001)->tgid, 1000);
	ck_assert_int_eq(th(t, 77)->tgid, 77);
	/* its two sched_waking lines are read, each followed by the sched_wakeup
	 * of the same wakeup: one wakeup each (check_scenario: no spurious one) */
	ck_assert_int_eq(t->nr_events, 83);
	ck_assert(t->has_waking);
	ck_assert_int_eq(t->nr_other, 0);
	wl_trace_free(t);
}
END_TEST

START_TEST(test_default_form_fork_grouping)
{
	struct wl_trace *t = load("pingpong.txt", WL_IMPORT_GROUP_AUTO);

	ck_assert(!t->has_tgid);
	ck_assert_int_eq(t->grouped_by, WL_IMPORT_GROUP_FORK);
	ck_assert_int_eq(th(t, 1001)->tgid, -1);
	check_scenario(t);
	check_processes(t);
	wl_trace_free(t);
}
END_TEST

START_TEST(test_plugin_form)
{
	struct wl_trace *t = load("pingpong-plugin.txt", WL_IMPORT_GROUP_AUTO);

	check_scenario(t);
	check_processes(t);
	wl_trace_free(t);
}
END_TEST

START_TEST(test_group_by_comm)
{
	struct wl_trace *t = load("pingpong-tgid.txt", WL_IMPORT_GROUP_COMM);

	ck_assert_int_eq(t->nr_procs, 3);
	ck_assert_str_eq(t->procs[0].name, "pp");
	ck_assert_int_eq(t->procs[0].nr_threads, 2);
	ck_assert_str_eq(t->procs[1].name, "tick");
	ck_assert_str_eq(t->procs[2].name, "kworker_2_1");
	wl_trace_free(t);
}
END_TEST

START_TEST(test_group_by_tgid_needs_pid_column)
{
	struct wl_trace *t = NULL;
	struct wl_import_opts o;
	struct diag d = { "" };

	wl_import_opts_init(&o);
	o.group_by = WL_IMPORT_GROUP_TGID;
	ck_assert_int_eq(wl_trace_read_path(fixture("pingpong.txt"), 0, &t, &d), 0);
	ck_assert_int_eq(wl_trace_model(t, &o, &d), -1);
	ck_assert_msg(strstr(d.msg, "--group-by tgid needs the PID/TID column"), "%s", d.msg);
	wl_trace_free(t);
}
END_TEST

static const char *op_key(json_t *op)
{
	const char *k;
	json_t *v;

	json_object_foreach(op, k, v)
		return k;
	return "";
}

static const char *op_str(json_t *ops, size_t i)
{
	json_t *op = json_array_get(ops, i), *v;

	ck_assert_ptr_nonnull(op);
	v = json_object_get(op, op_key(op));
	return json_is_string(v) ? json_string_value(v) : json_is_true(v) ? "true" : "?";
}

static json_t *find_thread(json_t *doc, const char *proc, const char *name)
{
	size_t i, j;
	json_t *p, *x;

	json_array_foreach(json_object_get(doc, "processes"), i, p) {
		if (strcmp(json_string_value(json_object_get(p, "name")), proc))
			continue;
		json_array_foreach(json_object_get(p, "threads"), j, x)
			if (!strcmp(json_string_value(json_object_get(x, "name")), name))
				return x;
	}
	ck_abort_msg("thread %s/%s not in the document", proc, name);
	return NULL;
}

START_TEST(test_replay_json)
{
	struct wl_trace *t = load("pingpong-tgid.txt", WL_IMPORT_GROUP_AUTO);
	struct wl_import_opts o;
	json_t *doc, *ping, *pong, *tick, *ops;

	wl_import_opts_init(&o);
	doc = wl_trace_workload(t, &o);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "name")), "pingpong-tgid");
	ck_assert_str_eq(json_string_value(json_object_get(doc, "duration")), "2302us");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(doc, "description")), "pingpong-tgid.txt"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(doc, "description")), "mode replay"));
	ck_assert_int_eq(json_array_size(json_object_get(doc, "processes")), 3);

	ping = find_thread(doc, "pp-1000", "pp-1000");
	ck_assert_int_eq(json_integer_value(json_object_get(ping, "loops")), 1);
	ck_assert_ptr_null(json_object_get(ping, "start_delay"));
	ops = json_object_get(ping, "ops");
	/* 11 bursts split at their wakeup + 10 waits */
	ck_assert_int_eq(json_array_size(ops), 43);
	ck_assert_str_eq(op_key(json_array_get(ops, 0)), "run");
	ck_assert_str_eq(op_str(ops, 0), "20us");
	ck_assert_str_eq(op_key(json_array_get(ops, 1)), "wake");
	ck_assert_str_eq(op_str(ops, 1), "pp-1001");
	ck_assert_str_eq(op_str(ops, 2), "5us");
	ck_assert_str_eq(op_key(json_array_get(ops, 3)), "wait");
	ck_assert_str_eq(op_str(ops, 42), "5us");

	pong = find_thread(doc, "pp-1000", "pp-1001");
	ck_assert_str_eq(json_string_value(json_object_get(pong, "start_delay")), "5us");
	ops = json_object_get(pong, "ops");
	ck_assert_int_eq(json_array_size(ops), 43);
	ck_assert_str_eq(op_str(ops, 0), "10us");
	ck_assert_str_eq(op_key(json_array_get(ops, 1)), "wait");
	ck_assert_str_eq(op_str(ops, 2), "20us");
	ck_assert_str_eq(op_str(ops, 3), "pp-1000");
	ck_assert_str_eq(op_str(ops, 42), "25us");

	tick = find_thread(doc, "tick-2000", "tick-2000");
	ck_assert_int_eq(json_integer_value(json_object_get(tick, "nice")), -10);
	ck_assert_str_eq(json_string_value(json_object_get(tick, "start_delay")), "100us");
	ops = json_object_get(tick, "ops");
	ck_assert_int_eq(json_array_size(ops), 5);
	ck_assert_str_eq(op_str(ops, 0), "200us");
	ck_assert_str_eq(op_key(json_array_get(ops, 1)), "sleep");
	ck_assert_str_eq(op_str(ops, 1), "798us");
	ck_assert_str_eq(op_str(ops, 2), "200us");
	ck_assert_str_eq(op_str(ops, 3), "788us");
	ck_assert_str_eq(op_str(ops, 4), "200us");
	ck_assert(!th(t, 2000)->truncated);
	json_decref(doc);
	wl_trace_free(t);
}
END_TEST

START_TEST(test_replay_max_ops)
{
	struct wl_trace *t = load("pingpong-tgid.txt", WL_IMPORT_GROUP_AUTO);
	struct wl_import_opts o;
	json_t *doc, *ops;

	wl_import_opts_init(&o);
	o.max_ops = 5;
	doc = wl_trace_workload(t, &o);
	ops = json_object_get(find_thread(doc, "pp-1000", "pp-1000"), "ops");
	ck_assert_int_eq(json_array_size(ops), 5);
	ck_assert(th(t, 1000)->truncated);
	ck_assert(!th(t, 2000)->truncated);
	json_decref(doc);
	wl_trace_free(t);
}
END_TEST

START_TEST(test_fit_json)
{
	struct wl_trace *t = load("pingpong.txt", WL_IMPORT_GROUP_AUTO);
	struct wl_import_opts o;
	json_t *doc, *x, *ops, *d;

	wl_import_opts_init(&o);
	o.mode = WL_IMPORT_FIT;
	doc = wl_trace_workload(t, &o);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(doc, "description")), "mode fit"));

	x = find_thread(doc, "pp-1000", "pp-1000");
	ck_assert_int_eq(json_integer_value(json_object_get(x, "loops")), -1);
	ops = json_object_get(x, "ops");
	ck_assert_int_eq(json_array_size(ops), 3);
	ck_assert_str_eq(op_str(ops, 0), "25us"); /* no spread: fixed */
	ck_assert_str_eq(op_str(ops, 1), "pp-1001");
	ck_assert_str_eq(op_key(json_array_get(ops, 2)), "wait");

	x = find_thread(doc, "pp-1000", "pp-1001");
	ck_assert_int_eq(json_integer_value(json_object_get(x, "loops")), 12); /* exited */
	ops = json_object_get(x, "ops");
	ck_assert_int_eq(json_array_size(ops), 3);
	d = json_object_get(json_array_get(ops, 0), "run");
	ck_assert_str_eq(json_string_value(json_object_get(d, "dist")), "lognormal");
	ck_assert_str_eq(json_string_value(json_object_get(d, "mean")), "23750ns");
	ck_assert_str_eq(json_string_value(json_object_get(d, "stddev")), "4146ns");
	ck_assert_str_eq(op_str(ops, 1), "pp-1000");
	ck_assert_str_eq(op_key(json_array_get(ops, 2)), "wait");

	/* first seen being woken by a timer: runs first, at its start_delay */
	x = find_thread(doc, "tick-2000", "tick-2000");
	ck_assert_str_eq(json_string_value(json_object_get(x, "start_delay")), "100us");
	ops = json_object_get(x, "ops");
	ck_assert_int_eq(json_array_size(ops), 2);
	ck_assert_str_eq(op_str(ops, 0), "200us");
	d = json_object_get(json_array_get(ops, 1), "sleep");
	ck_assert_str_eq(json_string_value(json_object_get(d, "dist")), "lognormal");
	ck_assert_str_eq(json_string_value(json_object_get(d, "mean")), "793us");
	ck_assert_str_eq(json_string_value(json_object_get(d, "stddev")), "5us");

	/* blocked once, never woken again: sleeps at least as long as observed */
	x = find_thread(doc, "kworker_2_1-77", "kworker_2_1-77");
	ops = json_object_get(x, "ops");
	ck_assert_int_eq(json_array_size(ops), 2);
	ck_assert_str_eq(op_str(ops, 0), "10us");
	ck_assert_str_eq(op_key(json_array_get(ops, 1)), "sleep");
	ck_assert_str_eq(op_str(ops, 1), "1089us");
	json_decref(doc);
	wl_trace_free(t);
}
END_TEST

START_TEST(test_write_roundtrip)
{
	struct wl_trace *t = load("pingpong-tgid.txt", WL_IMPORT_GROUP_AUTO);
	struct wl_import_opts o;
	struct diag d = { "" };
	char path[256];
	json_t *doc, *back;
	json_error_t je;
	FILE *f;
	char line[512];
	int lines = 0, one_line_ops = 0;

	wl_import_opts_init(&o);
	doc = wl_trace_workload(t, &o);
	snprintf(path, sizeof(path), "%s/test_import.%ld.json", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid());
	ck_assert_msg(wl_import_write(doc, path, &d) == 0, "%s", d.msg);
	back = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	ck_assert_msg(back != NULL, "%s:%d: %s", path, je.line, je.text);
	ck_assert(json_equal(doc, back));
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		lines++;
		one_line_ops += strstr(line, "{\"run\": \"20us\"}") != NULL;
	}
	fclose(f);
	ck_assert_int_eq(one_line_ops, 21); /* 11 + 10 bursts of the two ping-pong threads */
	ck_assert_int_gt(lines, 86);
	unlink(path);
	/* a path that cannot be written: error, nothing left */
	ck_assert_int_eq(wl_import_write(doc, "/nonexistent-dir/x.json", &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "/nonexistent-dir/x.json"));
	json_decref(back);
	json_decref(doc);
	wl_trace_free(t);
}
END_TEST

/* ---- errors ------------------------------------------------------------------ */

static void expect_error(const char *name, const char *want)
{
	struct wl_trace *t = NULL;
	struct diag d = { "" };
	char full[1100];

	ck_assert_int_eq(wl_trace_read_path(fixture(name), 0, &t, &d), -1);
	ck_assert_ptr_null(t);
	snprintf(full, sizeof(full), "%s%s", fixture(name), want);
	ck_assert_msg(!strncmp(d.msg, full, strlen(full)), "got \"%s\", expected it to start with \"%s\"",
		      d.msg, full);
}

START_TEST(test_error_fixtures)
{
	expect_error("bad-switch.txt", ":4: sched:sched_switch: no next_pid (expected prev_comm=");
	expect_error("bad-line.txt", ":4: cannot parse \"Warning: 3 out of order events recorded.\" (expected");
	expect_error("bad-time.txt", ":3: bad timestamp \"5000,000020:\" (expected SECONDS.FRACTION");
	expect_error("empty.txt", ": no sched events in 5 lines (expected perf script output of sched:sched_switch");
	expect_error("no-such-file.txt", ": cannot open: No such file or directory");
}
END_TEST

START_TEST(test_error_texts)
{
	struct wl_trace *t = NULL;
	struct diag d = { "" };

	ck_assert_int_eq(read_text("", &t, &d), -1);
	ck_assert_msg(strstr(d.msg, "mem.txt: no sched events in 0 lines"), "%s", d.msg);

	ck_assert_int_eq(read_text("  a 1 [000] 1.000001: sched:sched_wakeup: comm=b prio=120\n", &t, &d), -1);
	ck_assert_str_eq(d.msg, "mem.txt:1: sched:sched_wakeup: no pid (expected comm=COMM pid=TID prio=PRIO target_cpu=CPU)");

	ck_assert_int_eq(read_text("  a 1 [000] 1.000001: sched:sched_switch: prev_comm=a prev_pid=x prev_state=S ==> next_comm=b next_pid=2\n",
				   &t, &d), -1);
	ck_assert_msg(!strncmp(d.msg, "mem.txt:1: sched:sched_switch: bad prev_pid (expected", 53), "%s", d.msg);

	ck_assert_int_eq(read_text("  a 1 [000] 1.000001: sched:sched_switch: prev_comm=a prev_pid=1 prev_state= ==> next_comm=b next_pid=2\n",
				   &t, &d), -1);
	ck_assert_msg(strstr(d.msg, "mem.txt:1: sched:sched_switch: empty prev_state"), "%s", d.msg);

	ck_assert_int_eq(read_text("  a 1 [000] 1.000001: sched:sched_switch: a:1 [120] S -> b:2 [120]\n", &t, &d), -1);
	ck_assert_msg(strstr(d.msg, "mem.txt:1: sched:sched_switch: no \" ==> \""), "%s", d.msg);

	ck_assert_int_eq(read_text("  a 1 [000] 1.000001: sched:sched_process_fork: comm=a pid=1 child_comm=a\n", &t, &d), -1);
	ck_assert_msg(strstr(d.msg, "mem.txt:1: sched:sched_process_fork: no child_pid"), "%s", d.msg);

	ck_assert_int_eq(read_text("  a 1 [000] 1.000001:\n", &t, &d), -1);
	ck_assert_msg(strstr(d.msg, "mem.txt:1: no event name after the timestamp"), "%s", d.msg);

	/* one output form throughout */
	ck_assert_int_eq(read_text("  a 1/1 [000] 1.000001: sched:sched_wakeup: comm=b pid=2 prio=120\n"
				   "  a 1 [000] 1.000002: sched:sched_wakeup: comm=b pid=2 prio=120\n", &t, &d), -1);
	ck_assert_msg(strstr(d.msg, "mem.txt:2: a TID column where earlier lines have PID/TID"), "%s", d.msg);

	/* a trace where nothing but the idle task ran */
	ck_assert_int_eq(read_text("  swapper 0 [000] 1.000001: sched:sched_switch: prev_comm=swapper/0 prev_pid=0 "
				   "prev_prio=120 prev_state=R ==> next_comm=swapper/0 next_pid=0 next_prio=120\n",
				   &t, &d), 0);
	{
		struct wl_import_opts o;

		wl_import_opts_init(&o);
		ck_assert_int_eq(wl_trace_model(t, &o, &d), -1);
		ck_assert_msg(strstr(d.msg, "mem.txt: no thread ran in the trace"), "%s", d.msg);
		wl_trace_free(t);
	}
}
END_TEST

/* ---- tolerated oddities --------------------------------------------------------- */

START_TEST(test_oddities)
{
	static const char text[] =
		"# comment\n"
		"\n"
		"     Web Content    4242/4243    [007]  100.000010:       sched:sched_switch: prev_comm=Web Content prev_pid=4243 prev_prio=120 prev_state=S ==> next_comm=kworker/7:0 next_pid=70 next_prio=120\n"
		"\t    ffffffff81234567 __schedule+0x2a5 ([kernel.kallsyms])\n"
		"\t    ffffffff81234999 schedule+0x40 ([kernel.kallsyms])\n"
		"     kworker/7:0      70/70      [007]  100.000020:       sched:sched_wakeup: comm=Web Content pid=4243 prio=120 target_cpu=007\n"
		/* woken again while runnable: spurious, not a sleep */
		"     kworker/7:0      70/70      [007]  100.000021:       sched:sched_wakeup: comm=Web Content pid=4243 prio=120 target_cpu=007\n"
		"     kworker/7:0      70/70      [007]  100.000030:       sched:sched_switch: prev_comm=kworker/7:0 prev_pid=70 prev_prio=120 prev_state=I ==> next_comm=Web Content next_pid=4243 next_prio=120\n"
		/* earlier than the previous line: clamped */
		"     Web Content    4242/4243    [007]  100.000025:        irq:softirq_entry: vec=3 [action=NET_RX]\n"
		"     Web Content    4242/4243    [007]  100.000050:       sched:sched_switch: prev_comm=Web Content prev_pid=4243 prev_prio=120 prev_state=R+ ==> next_comm=swapper/7 next_pid=0 next_prio=120\n"
		"     Web Content    4242/4243    [007]  100.000060:       sched:sched_switch: prev_comm=Web Content prev_pid=4243 prev_prio=120 prev_state=D ==> next_comm=swapper/7 next_pid=0 next_prio=120\n";
	struct wl_trace *t = NULL;
	struct wl_import_opts o;
	struct diag d = { "" };
	const struct wl_imp_thread *w;

	ck_assert_msg(read_text(text, &t, &d) == 0, "%s", d.msg);
	ck_assert_int_eq(t->nr_callchain, 2);
	ck_assert_int_eq(t->nr_other, 1);
	ck_assert_int_eq(t->nr_reordered, 1);
	ck_assert_int_eq(t->nr_spurious, 1);
	ck_assert_str_eq(t->other_names, "irq:softirq_entry");
	wl_import_opts_init(&o);
	o.keep = WL_IMPORT_KEEP_KERNEL; /* its waker is a kworker */
	ck_assert_msg(wl_trace_model(t, &o, &d) == 0, "%s", d.msg);
	w = th(t, 4243);
	ck_assert_str_eq(w->comm, "Web Content");
	ck_assert_str_eq(w->name, "Web_Content-4243");
	ck_assert_int_eq(w->tgid, 4242);
	/* a 0 us burst (seen first switching out), then 30 us: 20 us until the
	 * R+ preemption at 50, and 10 more because the switch-out at 60 has no
	 * switch-in before it: the current task of a CPU is taken as running
	 * since the last switch there */
	ck_assert_int_eq(w->nr_bursts, 2);
	ck_assert_double_eq_tol(wl_imp_run_mean(w), 15000, 0.5);
	ck_assert_int_eq(w->nr_sleeps, 1);
	ck_assert_int_eq(w->dominant_waker, 70);
	ck_assert_int_eq(t->nr_procs, 2);
	ck_assert_str_eq(t->procs[0].name, "kworker_7_0-70"); /* first seen at 0 too, lower tid */
	ck_assert_str_eq(t->procs[1].name, "Web_Content-4242");
	wl_trace_free(t);
}
END_TEST

START_TEST(test_names)
{
	static const char text[] =
		"  a 5 [000] 1.000000: sched:sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=a.b/c:d next_pid=5 next_prio=120\n"
		"  a 5 [000] 1.000010: sched:sched_switch: prev_comm=a.b/c:d prev_pid=5 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120\n"
		"  x 6 [001] 1.000010: sched:sched_switch: prev_comm=a_b_c_d prev_pid=6 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120\n";
	struct wl_trace *t = NULL;
	struct wl_import_opts o;
	struct diag d = { "" };

	ck_assert_msg(read_text(text, &t, &d) == 0, "%s", d.msg);
	wl_import_opts_init(&o);
	o.group_by = WL_IMPORT_GROUP_COMM;
	ck_assert_msg(wl_trace_model(t, &o, &d) == 0, "%s", d.msg);
	ck_assert_str_eq(th(t, 5)->name, "a_b_c_d-5");
	/* the leading comm column names the current task: x for tid 6 */
	ck_assert_str_eq(th(t, 6)->comm, "a_b_c_d");
	ck_assert_int_eq(t->nr_procs, 2);
	ck_assert_str_eq(t->procs[0].name, "a_b_c_d");
	ck_assert_str_eq(t->procs[1].name, "a_b_c_d_2"); /* unique */
	wl_trace_free(t);
}
END_TEST

/* Both ends existed before the trace: b is first seen being woken by a.  In
 * fit mode b must start by waiting, or each of its waits would consume a
 * stale wake and the pair would stop alternating. */
START_TEST(test_fit_wait_first)
{
	static const char text[] =
		"  a 10 [000] 1.000000: sched:sched_wakeup: comm=b pid=11 prio=120 target_cpu=001\n"
		"  a 10 [000] 1.000005: sched:sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120\n"
		"  swapper 0 [001] 1.000006: sched:sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=b next_pid=11 next_prio=120\n"
		"  b 11 [001] 1.000010: sched:sched_wakeup: comm=a pid=10 prio=120 target_cpu=000\n"
		"  b 11 [001] 1.000012: sched:sched_switch: prev_comm=b prev_pid=11 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120\n"
		"  swapper 0 [000] 1.000013: sched:sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=a next_pid=10 next_prio=120\n"
		"  a 10 [000] 1.000020: sched:sched_wakeup: comm=b pid=11 prio=120 target_cpu=001\n"
		"  a 10 [000] 1.000025: sched:sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120\n"
		"  swapper 0 [001] 1.000026: sched:sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=b next_pid=11 next_prio=120\n"
		"  b 11 [001] 1.000030: sched:sched_wakeup: comm=a pid=10 prio=120 target_cpu=000\n"
		"  b 11 [001] 1.000032: sched:sched_switch: prev_comm=b prev_pid=11 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120\n";
	struct wl_trace *t = NULL;
	struct wl_import_opts o;
	struct diag d = { "" };
	json_t *doc, *ops;

	ck_assert_msg(read_text(text, &t, &d) == 0, "%s", d.msg);
	wl_import_opts_init(&o);
	o.mode = WL_IMPORT_FIT;
	ck_assert_msg(wl_trace_model(t, &o, &d) == 0, "%s", d.msg);
	ck_assert(th(t, 11)->started_blocked);
	ck_assert_int_eq(th(t, 11)->dominant_waker, 10);
	ck_assert_int_eq(th(t, 10)->dominant_waker, 11);
	/* no fork seen, no tgid: a process each */
	ck_assert_int_eq(t->nr_procs, 2);
	doc = wl_trace_workload(t, &o);
	ops = json_object_get(find_thread(doc, "b-11", "b-11"), "ops");
	ck_assert_int_eq(json_array_size(ops), 3);
	ck_assert_str_eq(op_key(json_array_get(ops, 0)), "wait");
	ck_assert_str_eq(op_key(json_array_get(ops, 1)), "run");
	ck_assert_str_eq(op_str(ops, 2), "a-10");
	ck_assert_ptr_null(json_object_get(find_thread(doc, "b-11", "b-11"), "start_delay"));
	ops = json_object_get(find_thread(doc, "a-10", "a-10"), "ops");
	ck_assert_str_eq(op_key(json_array_get(ops, 0)), "run");
	ck_assert_str_eq(op_str(ops, 1), "b-11");
	ck_assert_str_eq(op_key(json_array_get(ops, 2)), "wait");
	json_decref(doc);
	wl_trace_free(t);
}
END_TEST

/* What perf sched record records: sched_waking, no sched_wakeup.  The waker
 * is the current task of the waking's CPU; a sched_wakeup that follows the
 * waking (here from the target CPU, as ttwu_queue_wakelist() does, with
 * another task current there) adds no wakeup and names no waker. */
START_TEST(test_waking)
{
	static const char text[] =
		"  a 10/10 [000] 1.000000: sched:sched_waking: comm=b pid=11 prio=120 target_cpu=001\n"
		"  a 10/10 [000] 1.000005: sched:sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120\n"
		"  swapper 0/0 [001] 1.000006: sched:sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=b next_pid=11 next_prio=120\n"
		"  b 10/11 [001] 1.000010: sched:sched_waking: comm=a pid=10 prio=120 target_cpu=000\n"
		"  c 12/12 [000] 1.000011: sched:sched_wakeup: comm=a pid=10 prio=120 target_cpu=000\n"
		"  b 10/11 [001] 1.000012: sched:sched_switch: prev_comm=b prev_pid=11 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120\n"
		"  swapper 0/0 [000] 1.000013: sched:sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=a next_pid=10 next_prio=120\n"
		"  a 10/10 [000] 1.000020: sched:sched_waking: comm=b pid=11 prio=120 target_cpu=001\n"
		"  a 10/10 [000] 1.000025: sched:sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120\n"
		"  swapper 0/0 [001] 1.000026: sched:sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=b next_pid=11 next_prio=120\n"
		"  b 10/11 [001] 1.000030: sched:sched_waking: comm=a pid=10 prio=120 target_cpu=000\n"
		"  b 10/11 [001] 1.000032: sched:sched_switch: prev_comm=b prev_pid=11 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120\n";
	struct wl_trace *t = NULL;
	struct wl_import_opts o;
	struct diag d = { "" };

	ck_assert_msg(read_text(text, &t, &d) == 0, "%s", d.msg);
	ck_assert(t->has_waking);
	ck_assert_int_eq(t->nr_other, 0);
	ck_assert_int_eq(t->nr_wake_events, 5);
	ck_assert_int_eq(t->nr_spurious, 0);
	wl_import_opts_init(&o);
	ck_assert_msg(wl_trace_model(t, &o, &d) == 0, "%s", d.msg);
	ck_assert_int_eq(th(t, 10)->nr_sleeps, 2);
	ck_assert_int_eq(th(t, 10)->dominant_waker, 11);
	ck_assert_int_eq(th(t, 10)->nr_waits, 2);
	ck_assert_int_eq(th(t, 11)->nr_sleeps, 1); /* its first waking is its first appearance */
	ck_assert_int_eq(th(t, 11)->dominant_waker, 10);
	ck_assert_int_eq(t->nr_edges, 2);
	ck_assert_ptr_null(edge(t, 12, 10));
	/* a and b one process by tgid; c (seen current) another */
	ck_assert_int_eq(t->nr_procs, 2);
	ck_assert_str_eq(t->procs[0].name, "a-10");
	ck_assert_int_eq(t->procs[0].nr_threads, 2);
	wl_trace_free(t);
}
END_TEST

/* Kernel threads and the recording tools are left out unless kept; their
 * wakeups end sleeps as timed ones and make no edge. */
START_TEST(test_left_out)
{
	static const char text[] =
		"  perf 50/50 [000] 1.000000: sched:sched_switch: prev_comm=perf prev_pid=50 prev_prio=120 prev_state=S ==> next_comm=a next_pid=10 next_prio=120\n"
		"  a 10/10 [000] 1.000010: sched:sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=kworker/0:1 next_pid=77 next_prio=120\n"
		"  kworker/0:1 77/77 [000] 1.000012: sched:sched_waking: comm=a pid=10 prio=120 target_cpu=000\n"
		"  kworker/0:1 77/77 [000] 1.000013: sched:sched_switch: prev_comm=kworker/0:1 prev_pid=77 prev_prio=120 prev_state=I ==> next_comm=a next_pid=10 next_prio=120\n"
		"  a 10/10 [000] 1.000020: sched:sched_waking: comm=perf pid=50 prio=120 target_cpu=000\n"
		"  a 10/10 [000] 1.000030: sched:sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=perf next_pid=50 next_prio=120\n";
	struct wl_trace *t = NULL;
	struct wl_import_opts o;
	struct diag d = { "" };

	ck_assert_int_eq(wl_import_parse_keep("kernel"), WL_IMPORT_KEEP_KERNEL);
	ck_assert_int_eq(wl_import_parse_keep("tools,kernel"), WL_IMPORT_KEEP_ALL);
	ck_assert_int_eq(wl_import_parse_keep("all"), WL_IMPORT_KEEP_ALL);
	ck_assert_int_eq(wl_import_parse_keep("none"), 0);
	ck_assert_int_eq(wl_import_parse_keep("kernel,"), -1);
	ck_assert_int_eq(wl_import_parse_keep("kern"), -1);

	ck_assert_msg(read_text(text, &t, &d) == 0, "%s", d.msg);
	wl_import_opts_init(&o);
	ck_assert_msg(wl_trace_model(t, &o, &d) == 0, "%s", d.msg);
	ck_assert_int_eq(t->nr_order, 1);
	ck_assert_int_eq(t->nr_left_kernel, 1);
	ck_assert_int_eq(t->nr_left_tools, 1);
	ck_assert_int_eq(th(t, 77)->left_out, WL_IMPORT_KEEP_KERNEL);
	ck_assert_int_eq(th(t, 50)->left_out, WL_IMPORT_KEEP_TOOLS);
	ck_assert_int_eq(th(t, 10)->dominant_waker, -1);
	ck_assert_int_eq(t->nr_edges, 0);
	ck_assert_int_eq(t->nr_wakes_left_out, 1);
	ck_assert_int_eq(t->nr_procs, 1);

	o.keep = WL_IMPORT_KEEP_ALL;
	ck_assert_msg(wl_trace_model(t, &o, &d) == 0, "%s", d.msg);
	ck_assert_int_eq(t->nr_order, 3);
	ck_assert_int_eq(t->nr_left_kernel + t->nr_left_tools, 0);
	ck_assert_int_eq(th(t, 10)->dominant_waker, 77);
	ck_assert_int_eq(t->nr_edges, 2);
	wl_trace_free(t);

	/* nothing but left-out tasks: an error that says so */
	ck_assert_msg(read_text("  perf 50/50 [000] 1.000000: sched:sched_switch: prev_comm=perf prev_pid=50 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120\n",
				&t, &d) == 0, "%s", d.msg);
	wl_import_opts_init(&o);
	ck_assert_int_eq(wl_trace_model(t, &o, &d), -1);
	ck_assert_str_eq(d.msg, "mem.txt: only kernel threads (0) and recording tools (1) ran in the trace "
			 "(expected the threads of a workload; --keep kernel,tools imports those)");
	wl_trace_free(t);
}
END_TEST

/* Without the PID column: a forked child joins its parent's process unless
 * its comm changed since the fork (it ran exec()); perf's ":TID" stand-in
 * for an unknown comm never names a thread. */
START_TEST(test_fork_exec)
{
	static const char text[] =
		"  sh 100 [000] 1.000000: sched:sched_process_fork: comm=sh pid=100 child_comm=sh child_pid=101\n"
		"  sh 100 [000] 1.000001: sched:sched_process_fork: comm=sh pid=100 child_comm=sh child_pid=102\n"
		"  sh 100 [000] 1.000002: sched:sched_switch: prev_comm=sh prev_pid=100 prev_prio=120 prev_state=S ==> next_comm=ls next_pid=101 next_prio=120\n"
		"  ls 101 [000] 1.000010: sched:sched_switch: prev_comm=ls prev_pid=101 prev_prio=120 prev_state=S ==> next_comm=sh next_pid=102 next_prio=120\n"
		"  :102 102 [000] 1.000020: sched:sched_waking: comm=sh pid=100 prio=120 target_cpu=000\n"
		"  :102 102 [000] 1.000021: sched:sched_switch: prev_comm=sh prev_pid=102 prev_prio=120 prev_state=S ==> next_comm=sh next_pid=100 next_prio=120\n";
	struct wl_trace *t = NULL;
	struct wl_import_opts o;
	struct diag d = { "" };

	ck_assert_msg(read_text(text, &t, &d) == 0, "%s", d.msg);
	wl_import_opts_init(&o);
	ck_assert_msg(wl_trace_model(t, &o, &d) == 0, "%s", d.msg);
	ck_assert_int_eq(t->grouped_by, WL_IMPORT_GROUP_FORK);
	ck_assert_str_eq(th(t, 102)->comm, "sh");
	ck_assert_int_eq(t->nr_procs, 2);
	ck_assert_int_eq(th(t, 100)->process, th(t, 102)->process);
	ck_assert_int_ne(th(t, 100)->process, th(t, 101)->process);
	ck_assert_str_eq(t->procs[th(t, 101)->process].name, "ls-101");
	wl_trace_free(t);
}
END_TEST

static Suite *import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc;

	tc = tcase_create("read");
	tcase_add_test(tc, test_tgid_form);
	tcase_add_test(tc, test_default_form_fork_grouping);
	tcase_add_test(tc, test_plugin_form);
	tcase_add_test(tc, test_group_by_comm);
	tcase_add_test(tc, test_group_by_tgid_needs_pid_column);
	tcase_add_test(tc, test_oddities);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_waking);
	tcase_add_test(tc, test_left_out);
	tcase_add_test(tc, test_fork_exec);
	suite_add_tcase(s, tc);

	tc = tcase_create("workload");
	tcase_add_test(tc, test_replay_json);
	tcase_add_test(tc, test_replay_max_ops);
	tcase_add_test(tc, test_fit_json);
	tcase_add_test(tc, test_fit_wait_first);
	tcase_add_test(tc, test_write_roundtrip);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_error_fixtures);
	tcase_add_test(tc, test_error_texts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(import_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
