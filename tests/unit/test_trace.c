/*
 * Unit tests for the trace writers: the microsecond timestamps, the Chrome
 * trace-event JSON (string escaping, X slices, flows bound to slices, the
 * window) and the
 * timeline CSV's order (sort by start and CPU while slices still run).
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/timeline.h"
#include "report/trace.h"

/* Two LLCs of two CPUs; task 1's process and thread names need escaping. */
static const int cpu_llc[] = { 0, 0, 1, 1 }, cpu_node[] = { 0, 0, 0, 0 };
static const int task_proc[] = { 0, 1, 1 };
static const char *const task_name[] = { "a.0", "b \"quoted\"\\x", "b,2" };
static const char *const proc_name[] = { "A", "caf\xc3\xa9\n" };
static const struct trace_layout layout = {
	.nr_cpus = 4, .nr_llcs = 2, .cpu_llc = cpu_llc, .cpu_node = cpu_node,
	.nr_tasks = 3, .nr_procs = 2, .task_proc = task_proc, .task_name = task_name,
	.proc_name = proc_name,
};

static char *tmp_path(const char *suffix)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/cassim-test-trace-%ld%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid(), suffix);
	return buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(test_fmt_us)
{
	char b[32];

	ck_assert_str_eq(trace_fmt_us(b, sizeof(b), 0), "0.000");
	ck_assert_str_eq(trace_fmt_us(b, sizeof(b), 7), "0.007");
	ck_assert_str_eq(trace_fmt_us(b, sizeof(b), 12345), "12.345");
	ck_assert_str_eq(trace_fmt_us(b, sizeof(b), 1000), "1.000");
	ck_assert_str_eq(trace_fmt_us(b, sizeof(b), 1000000000001LL), "1000000000.001");
	ck_assert_str_eq(trace_fmt_us(b, sizeof(b), INT64_MAX), "9223372036854775.807");
}
END_TEST

/* Drive a sink through a small run: task 0 runs on CPU 0 from 100 to 900
 * and wakes task 1 at 500 (placed on CPU 2, runs 600..700); task 2 is
 * moved 1 -> 3 by the balancer at 650 and runs on 3 from 800 to the end
 * (1000); a policy instant at 550 on CPU 0. */
#define CALL(k, fn, ...) do { if ((k)->fn) (k)->fn((k)->ctx, __VA_ARGS__); } while (0)

static void drive(const struct trace_sink *k)
{
	const struct trace_arg args[] = { TRACE_NUM("from_llc", -1), TRACE_STR("why", "a\"b") };
	struct diag err = { { 0 } };

	ck_assert_int_eq(k->begin(k->ctx, &layout, &err), 0);
	CALL(k, idle, 100, 0, false);
	CALL(k, switch_in, 100, 0, 0);
	CALL(k, wakeup, 500, 0, 0, 1, 2);
	CALL(k, instant, 550, 0, 1, "pref_switch", args, 2);
	CALL(k, idle, 600, 2, false);
	CALL(k, switch_in, 600, 2, 1);
	CALL(k, migrate, 650, 2, 1, 3, "lb");
	CALL(k, switch_out, 700, 2, 1, "block");
	CALL(k, idle, 700, 2, true);
	CALL(k, idle, 800, 3, false);
	CALL(k, switch_in, 800, 3, 2);
	CALL(k, switch_out, 900, 0, 0, "exit");
	CALL(k, idle, 900, 0, true);
	CALL(k, end, 1000);
}

static json_t *events_of(const char *path)
{
	json_error_t e;
	json_t *root = json_load_file(path, 0, &e), *ev;

	ck_assert_msg(root != NULL, "%s:%d: %s", path, e.line, e.text);
	ev = json_incref(json_object_get(root, "traceEvents"));
	json_decref(root);
	ck_assert(json_is_array(ev));
	return ev;
}

/* The @n-th event (0-based) of phase @ph, or NULL. */
static json_t *nth(json_t *ev, const char *ph, int n)
{
	size_t i;
	json_t *e;

	json_array_foreach(ev, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "ph")), ph) && n-- == 0)
			return e;
	return NULL;
}

static int count(json_t *ev, const char *ph)
{
	int n = 0;

	while (nth(ev, ph, n))
		n++;
	return n;
}

static double num(json_t *e, const char *key)
{
	return json_number_value(json_object_get(e, key));
}

static const char *str(json_t *e, const char *key)
{
	return json_string_value(json_object_get(e, key));
}

/* The @n-th task slice (an X with a "process" argument; the others are
 * the zero-length markers flows start at), or NULL. */
static json_t *task_slice(json_t *ev, int n)
{
	json_t *e;

	for (int i = 0; (e = nth(ev, "X", i)); i++)
		if (json_object_get(json_object_get(e, "args"), "process") && n-- == 0)
			return e;
	return NULL;
}

/* The event after @e in the file. */
static json_t *next_of(json_t *ev, json_t *e)
{
	size_t i;
	json_t *x;

	json_array_foreach(ev, i, x)
		if (x == e)
			return json_array_get(ev, i + 1);
	return NULL;
}

START_TEST(test_json_whole_run)
{
	struct diag err = { { 0 } };
	const char *path = tmp_path(".json");
	struct trace_json *tj = trace_json_open(path, (struct trace_window){ 0, -1 }, &err);
	json_t *ev, *e, *args;

	ck_assert_ptr_nonnull(tj);
	drive(trace_json_sink(tj));
	ck_assert_int_eq(trace_json_commit(tj, &err), 0);
	ev = events_of(path);
	/* 2 LLC processes and 4 CPU threads, each with a sort index */
	ck_assert_int_eq(count(ev, "M"), 12);
	e = nth(ev, "M", 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(e, "args"), "name")), "node 0 / LLC 0");
	/* slices: one X per stay of a task, written when it ends (task 1,
	 * task 0, task 2), names escaped and round-tripped; two markers */
	ck_assert_int_eq(count(ev, "B") + count(ev, "E"), 0);
	ck_assert_int_eq(count(ev, "X"), 3 + 2);
	e = task_slice(ev, 0);
	ck_assert_str_eq(str(e, "name"), "caf\xc3\xa9\n/b \"quoted\"\\x");
	ck_assert(num(e, "ts") == 0.6 && num(e, "dur") == 0.1 && num(e, "pid") == 2 && num(e, "tid") == 3);
	ck_assert_str_eq(str(e, "cat"), "sched");
	args = json_object_get(e, "args");
	ck_assert_int_eq(json_integer_value(json_object_get(args, "tid")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(args, "pid")), 1);
	ck_assert_str_eq(str(args, "end"), "block");
	/* task 2 still runs at the end of the run: its slice ends at 1000 ns */
	e = task_slice(ev, 2);
	ck_assert(num(e, "ts") == 0.8 && num(e, "dur") == 0.2 && num(e, "tid") == 4);
	ck_assert_str_eq(str(json_object_get(e, "args"), "end"), "window");
	ck_assert_ptr_null(task_slice(ev, 3));
	/* the wakeup flow starts at a marker on CPU 0 at 500 and ends on CPU 2
	 * at 600, right after the slice starting there; the migration flow
	 * starts at a marker on CPU 1 at 650 and ends on CPU 3 at 800 */
	ck_assert_int_eq(count(ev, "s"), 2);
	ck_assert_int_eq(count(ev, "f"), 2);
	e = nth(ev, "X", 0);
	ck_assert(num(e, "ts") == 0.5 && num(e, "dur") == 0 && num(e, "tid") == 1);
	ck_assert_str_eq(str(e, "name"), "wakeup");
	ck_assert_str_eq(str(json_object_get(e, "args"), "task"), "caf\xc3\xa9\n/b \"quoted\"\\x");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(e, "args"), "to_cpu")), 2);
	ck_assert_ptr_eq(next_of(ev, e), nth(ev, "s", 0));
	e = nth(ev, "s", 0);
	ck_assert(num(e, "ts") == 0.5 && num(e, "tid") == 1);
	ck_assert_str_eq(str(e, "cat"), "sched");
	ck_assert_str_eq(str(e, "name"), "wakeup");
	ck_assert_ptr_eq(next_of(ev, task_slice(ev, 0)), nth(ev, "f", 0));
	ck_assert(num(nth(ev, "f", 0), "id") == num(e, "id") && num(nth(ev, "f", 0), "tid") == 3);
	ck_assert(num(nth(ev, "f", 0), "ts") == 0.6);
	ck_assert_str_eq(str(nth(ev, "f", 0), "bp"), "e");
	ck_assert_str_eq(str(nth(ev, "f", 0), "cat"), "sched");
	e = nth(ev, "X", 1);
	ck_assert(num(e, "ts") == 0.65 && num(e, "tid") == 2);
	ck_assert_str_eq(str(e, "name"), "migrate");
	ck_assert_str_eq(str(json_object_get(e, "args"), "reason"), "lb");
	ck_assert_str_eq(str(nth(ev, "s", 1), "name"), "migrate");
	ck_assert(num(nth(ev, "f", 1), "ts") == 0.8 && num(nth(ev, "f", 1), "tid") == 4);
	ck_assert(num(nth(ev, "f", 1), "id") == num(nth(ev, "s", 1), "id"));
	ck_assert_ptr_eq(next_of(ev, task_slice(ev, 2)), nth(ev, "f", 1));
	/* the instant: its arguments, escaped, then the task's names */
	e = nth(ev, "i", 0);
	args = json_object_get(e, "args");
	ck_assert_int_eq(json_integer_value(json_object_get(args, "from_llc")), -1);
	ck_assert_str_eq(json_string_value(json_object_get(args, "why")), "a\"b");
	ck_assert_str_eq(json_string_value(json_object_get(args, "task")), "b \"quoted\"\\x");
	ck_assert_str_eq(json_string_value(json_object_get(e, "s")), "t");
	/* busy CPUs per LLC: both at the start, then one per idle change */
	ck_assert_int_eq(count(ev, "C"), 2 + 5);
	e = nth(ev, "C", 3);
	ck_assert(num(e, "ts") == 0.6 && num(e, "pid") == 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(e, "args"), "busy")), 1);
	json_decref(ev);
	unlink(path);
}
END_TEST

START_TEST(test_json_window)
{
	struct diag err = { { 0 } };
	const char *path = tmp_path("-w.json");
	struct trace_json *tj = trace_json_open(path, (struct trace_window){ 550, 750 }, &err);
	json_t *ev, *e;

	ck_assert_ptr_nonnull(tj);
	drive(trace_json_sink(tj));
	ck_assert_int_eq(trace_json_commit(tj, &err), 0);
	ev = events_of(path);
	/* task 0 runs across the window: its slice is [550, 750) */
	e = task_slice(ev, 1);
	ck_assert(num(e, "ts") == 0.55 && num(e, "dur") == 0.2 && num(e, "tid") == 1);
	ck_assert_str_eq(str(json_object_get(e, "args"), "end"), "window");
	ck_assert_ptr_null(task_slice(ev, 2));
	/* the wakeup at 500 is outside; the migration at 650 is inside and its
	 * task does not run before 750: the flow ends at the window's end, at
	 * a marker on the CPU where the task waits */
	ck_assert_int_eq(count(ev, "s"), 1);
	ck_assert_int_eq(count(ev, "f"), 1);
	ck_assert(num(nth(ev, "f", 0), "ts") == 0.75 && num(nth(ev, "f", 0), "tid") == 4);
	e = nth(ev, "X", 3);
	ck_assert_str_eq(str(e, "name"), "window_end");
	ck_assert(num(e, "ts") == 0.75 && num(e, "dur") == 0 && num(e, "tid") == 4);
	ck_assert_ptr_eq(next_of(ev, e), nth(ev, "f", 0));
	ck_assert_int_eq(count(ev, "i"), 1);
	json_decref(ev);
	unlink(path);
}
END_TEST

/* A stay of 0 ns is no slice; the flow into it ends at the task's next
 * slice: task 0 wakes task 1 at 200, which runs 0 ns on CPU 1 at 300
 * (task 2 runs 300..400), then 400..500. */
START_TEST(test_json_empty_stay)
{
	struct diag err = { { 0 } };
	const char *path = tmp_path("-0.json");
	struct trace_json *tj = trace_json_open(path, (struct trace_window){ 0, -1 }, &err);
	const struct trace_sink *k;
	json_t *ev, *f;

	ck_assert_ptr_nonnull(tj);
	k = trace_json_sink(tj);
	ck_assert_int_eq(k->begin(k->ctx, &layout, &err), 0);
	k->switch_in(k->ctx, 100, 0, 0);
	k->wakeup(k->ctx, 200, 0, 0, 1, 1);
	k->switch_in(k->ctx, 300, 1, 1);
	k->switch_out(k->ctx, 300, 1, 1, "preempt");
	k->switch_in(k->ctx, 300, 1, 2);
	k->switch_out(k->ctx, 400, 1, 2, "block");
	k->switch_in(k->ctx, 400, 1, 1);
	k->switch_out(k->ctx, 500, 1, 1, "block");
	k->end(k->ctx, 600);
	ck_assert_int_eq(trace_json_commit(tj, &err), 0);
	ev = events_of(path);
	/* the marker, task 2, task 1 (400..500), task 0 */
	ck_assert_int_eq(count(ev, "X"), 4);
	ck_assert(num(task_slice(ev, 0), "ts") == 0.3 && num(task_slice(ev, 0), "dur") == 0.1);
	ck_assert(num(task_slice(ev, 1), "ts") == 0.4 && num(task_slice(ev, 1), "dur") == 0.1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(task_slice(ev, 1), "args"), "tid")), 1);
	ck_assert_int_eq(count(ev, "f"), 1);
	f = nth(ev, "f", 0);
	ck_assert(num(f, "ts") == 0.4 && num(f, "tid") == 2 && num(f, "id") == num(nth(ev, "s", 0), "id"));
	ck_assert_ptr_eq(next_of(ev, task_slice(ev, 1)), f);
	json_decref(ev);
	unlink(path);
}
END_TEST

START_TEST(test_json_unwritable)
{
	struct diag err = { { 0 } };

	ck_assert_ptr_null(trace_json_open("/nonexistent-dir/t.json", (struct trace_window){ 0, -1 }, &err));
	ck_assert(strstr(err.msg, "/nonexistent-dir/t.json") != NULL);
	trace_json_abort(NULL);
}
END_TEST

START_TEST(test_timeline_rows)
{
	struct diag err = { { 0 } };
	const char *path = tmp_path(".csv");
	struct timeline *tl = timeline_open(path, (struct trace_window){ 0, -1 }, &err);
	char *text;

	ck_assert_ptr_nonnull(tl);
	drive(timeline_sink(tl));
	ck_assert_int_eq(timeline_commit(tl, &err), 0);
	text = slurp(path);
	ck_assert_str_eq(text, "cpu,llc,node,start_ns,end_ns,pid,tid,process,thread\n"
			       "0,0,0,100,900,0,0,A,a.0\n"
			       "2,1,0,600,700,1,1,\"caf\xc3\xa9\n\",\"b \"\"quoted\"\"\\x\"\n"
			       "3,1,0,800,1000,1,2,\"caf\xc3\xa9\n\",\"b,2\"\n");
	free(text);
	unlink(path);
}
END_TEST

/* Rows wait while an earlier slice runs, and slices of one instant come
 * out by CPU whatever order they started in. */
START_TEST(test_timeline_order)
{
	struct diag err = { { 0 } };
	const char *path = tmp_path("-o.csv");
	struct timeline *tl = timeline_open(path, (struct trace_window){ 150, -1 }, &err);
	const struct trace_sink *k;
	char *text;

	ck_assert_ptr_nonnull(tl);
	k = timeline_sink(tl);
	ck_assert_int_eq(k->begin(k->ctx, &layout, &err), 0);
	k->switch_in(k->ctx, 100, 3, 0);  /* runs to the end, clipped to 150 */
	k->switch_in(k->ctx, 200, 2, 1);
	k->switch_in(k->ctx, 200, 0, 2);
	k->switch_out(k->ctx, 250, 0, 2, "block");
	k->switch_out(k->ctx, 300, 2, 1, "block");
	k->switch_in(k->ctx, 300, 2, 2);
	k->switch_out(k->ctx, 300, 2, 2, "block"); /* empty: left out */
	k->switch_in(k->ctx, 400, 1, 1);
	k->switch_out(k->ctx, 500, 1, 1, "exit");
	k->end(k->ctx, 600);
	ck_assert_int_eq(timeline_commit(tl, &err), 0);
	text = slurp(path);
	ck_assert_str_eq(text, "cpu,llc,node,start_ns,end_ns,pid,tid,process,thread\n"
			       "3,1,0,150,600,0,0,A,a.0\n"
			       "0,0,0,200,250,1,2,\"caf\xc3\xa9\n\",\"b,2\"\n"
			       "2,1,0,200,300,1,1,\"caf\xc3\xa9\n\",\"b \"\"quoted\"\"\\x\"\n"
			       "1,0,0,400,500,1,1,\"caf\xc3\xa9\n\",\"b \"\"quoted\"\"\\x\"\n");
	free(text);
	unlink(path);
}
END_TEST

/* A slice that ends first waits for a running one that started at the
 * same instant on a lower CPU. */
START_TEST(test_timeline_ties)
{
	struct diag err = { { 0 } };
	const char *path = tmp_path("-t.csv");
	struct timeline *tl = timeline_open(path, (struct trace_window){ 0, 1000 }, &err);
	const struct trace_sink *k;
	char *text;

	ck_assert_ptr_nonnull(tl);
	k = timeline_sink(tl);
	ck_assert_int_eq(k->begin(k->ctx, &layout, &err), 0);
	k->switch_in(k->ctx, 200, 2, 1);
	k->switch_in(k->ctx, 200, 0, 0);
	k->switch_out(k->ctx, 250, 2, 1, "block");
	k->switch_out(k->ctx, 260, 0, 0, "block");
	k->switch_in(k->ctx, 900, 1, 2);
	k->switch_in(k->ctx, 1000, 2, 1); /* after the window */
	k->end(k->ctx, 1200);
	ck_assert_int_eq(timeline_commit(tl, &err), 0);
	text = slurp(path);
	ck_assert_str_eq(text, "cpu,llc,node,start_ns,end_ns,pid,tid,process,thread\n"
			       "0,0,0,200,260,0,0,A,a.0\n"
			       "2,1,0,200,250,1,1,\"caf\xc3\xa9\n\",\"b \"\"quoted\"\"\\x\"\n"
			       "1,0,0,900,1000,1,2,\"caf\xc3\xa9\n\",\"b,2\"\n");
	free(text);
	unlink(path);
}
END_TEST

static Suite *trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, test_fmt_us);
	tcase_add_test(tc, test_json_whole_run);
	tcase_add_test(tc, test_json_window);
	tcase_add_test(tc, test_json_empty_stay);
	tcase_add_test(tc, test_json_unwritable);
	suite_add_tcase(s, tc);
	tc = tcase_create("timeline");
	tcase_add_test(tc, test_timeline_rows);
	tcase_add_test(tc, test_timeline_order);
	tcase_add_test(tc, test_timeline_ties);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(trace_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
