/*
 * Unit tests for the rt-app loader (sim/workload/wl_rtapp.c).
 *
 * The contract (wl.h, workloads/rt-app.md): wl_rtapp_parse() turns rt-app
 * JSON (comments, trailing commas, duplicate and prefix-matched event keys)
 * into struct workload; unsupported events and keys are errors with
 * "file:line:col: key path: what (expected what)", or are skipped with a
 * warning under --lenient.  Fixtures in tests/fixtures/rtapp/ are real rt-app
 * examples (see SOURCES.md) and bad inputs.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload/wl.h"

static const char *srcdir(void)
{
	const char *d = getenv("CASSIM_SRCDIR");
	return d && *d ? d : ".";
}

/* wl.c's wl_free() frees what the loaders allocate; the test does the same
 * so that it links without wl.c. */
static void rt_free(struct workload *w)
{
	if (!w)
		return;
	for (int i = 0; i < w->nr_threads; i++)
		free(w->threads[i].ops);
	free(w->threads);
	free(w->procs);
	free(w->objs);
	free(w);
}

/* Parse @text as file @name (the workload's name is @name without .json). */
static int parse_text(const char *name, const char *text, int nr_cpus, bool lenient,
		      struct workload **out, struct diag *d)
{
	struct wl_opts o = { .nr_cpus = nr_cpus, .nr_nodes = 1, .lenient = lenient };
	struct workload *w = calloc(1, sizeof(*w));
	const char *b = strrchr(name, '/');
	size_t n;

	ck_assert_ptr_nonnull(w);
	b = b ? b + 1 : name;
	n = strlen(b);
	if (n > 5 && !strcmp(b + n - 5, ".json"))
		n -= 5;
	snprintf(w->path, sizeof(w->path), "%s", name);
	snprintf(w->name, sizeof(w->name), "%.*s", (int)n, b);
	int ret = wl_rtapp_parse(name, text, strlen(text), &o, w, d);
	if (ret) {
		/* nothing is left allocated on failure */
		ck_assert_ptr_null(w->threads);
		ck_assert_ptr_null(w->procs);
		ck_assert_ptr_null(w->objs);
		rt_free(w);
		w = NULL;
	}
	*out = w;
	return ret;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *buf;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void fixture_path(char *path, size_t len, const char *rel)
{
	snprintf(path, len, "%s/tests/fixtures/rtapp/%s", srcdir(), rel);
}

static int parse_fixture(const char *rel, int nr_cpus, bool lenient, struct workload **w,
			 struct diag *d)
{
	char path[1024];

	fixture_path(path, sizeof(path), rel);
	char *text = slurp(path);
	int ret = parse_text(path, text, nr_cpus, lenient, w, d);
	free(text);
	return ret;
}

static struct workload *load_ok(const char *rel, int nr_cpus, bool lenient)
{
	struct workload *w = NULL;
	struct diag d = { "" };

	ck_assert_msg(parse_fixture(rel, nr_cpus, lenient, &w, &d) == 0, "%s: %s", rel, d.msg);
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(w->format, "rt-app");
	return w;
}

static struct workload *text_ok(const char *text, int nr_cpus, bool lenient)
{
	struct workload *w = NULL;
	struct diag d = { "" };

	ck_assert_msg(parse_text("inline.json", text, nr_cpus, lenient, &w, &d) == 0, "%s", d.msg);
	return w;
}

/* The error message must be exactly @expect. */
static void text_err(const char *text, int nr_cpus, bool lenient, const char *expect)
{
	struct workload *w = NULL;
	struct diag d = { "" };

	ck_assert_int_eq(parse_text("inline.json", text, nr_cpus, lenient, &w, &d), -1);
	ck_assert_ptr_null(w);
	ck_assert_str_eq(d.msg, expect);
}

/* The error must start with "PATH:line:col: " and contain @phrase. */
static void fixture_err(const char *rel, int nr_cpus, bool lenient, int line, int col,
			const char *phrase)
{
	char path[1024], pre[1100];
	struct workload *w = NULL;
	struct diag d = { "" };

	fixture_path(path, sizeof(path), rel);
	ck_assert_int_eq(parse_fixture(rel, nr_cpus, lenient, &w, &d), -1);
	ck_assert_ptr_null(w);
	snprintf(pre, sizeof(pre), "%s:%d:%d: ", path, line, col);
	ck_assert_msg(!strncmp(d.msg, pre, strlen(pre)), "expected prefix \"%s\", got \"%s\"", pre,
		      d.msg);
	ck_assert_msg(strstr(d.msg, phrase), "expected \"%s\" in \"%s\"", phrase, d.msg);
	ck_assert_msg(!strchr(d.msg, '\n'), "multi-line message \"%s\"", d.msg);
}

static int find(const struct workload *w, const char *name)
{
	for (int i = 0; i < w->nr_threads; i++)
		if (!strcmp(w->threads[i].name, name))
			return i;
	ck_abort_msg("no thread \"%s\"", name);
	return -1;
}

/* Check a thread's op kinds against a string: R run, P spin (runtime),
 * S sleep, T timer, W wait, K wake, A wake-all, B barrier, L lock, U unlock,
 * ( loop, ) end. */
static void expect_ops(const struct wl_thread *t, const char *kinds)
{
	static const char map[] = {
		[WL_OP_RUN] = 'R', [WL_OP_SPIN] = 'P', [WL_OP_SLEEP] = 'S', [WL_OP_WAKE] = 'K',
		[WL_OP_WAKE_ALL] = 'A', [WL_OP_WAIT] = 'W', [WL_OP_TIMER] = 'T', [WL_OP_SEND] = '>',
		[WL_OP_RECV] = '<', [WL_OP_BARRIER] = 'B', [WL_OP_LOCK] = 'L', [WL_OP_UNLOCK] = 'U',
		[WL_OP_LOOP] = '(', [WL_OP_END] = ')', [WL_OP_COUNT] = '+', [WL_OP_STAMP] = '@',
		[WL_OP_RECORD] = '#', [WL_OP_HOTPLUG] = 'H',
	};
	char got[256];
	int n = 0;

	for (int i = 0; i < t->nr_ops && n < (int)sizeof(got) - 1; i++)
		got[n++] = map[t->ops[i].kind];
	got[n] = '\0';
	ck_assert_msg(!strcmp(got, kinds), "thread %s: ops \"%s\", expected \"%s\"", t->name, got,
		      kinds);
	/* every LOOP and END point at each other */
	for (int i = 0; i < t->nr_ops; i++) {
		const struct wl_op *op = &t->ops[i];

		if (op->kind == WL_OP_LOOP) {
			ck_assert_int_gt(op->end, i);
			ck_assert_int_eq(t->ops[op->end].kind, WL_OP_END);
			ck_assert_int_eq(t->ops[op->end].end, i);
		}
	}
}

static double us(double x)
{
	return x * 1000.0;
}

static int obj(const struct workload *w, enum wl_obj_kind k, const char *name)
{
	for (int i = 0; i < w->nr_objs; i++)
		if (w->objs[i].kind == k && !strcmp(w->objs[i].name, name))
			return i;
	ck_abort_msg("no object \"%s\" of kind %d", name, (int)k);
	return -1;
}

/* ---- real rt-app examples ------------------------------------------ */

START_TEST(test_template)
{
	/* C comments (also after values and across lines), a timer, global */
	struct workload *w = load_ok("template.json", 8, false);

	ck_assert_int_eq(w->nr_procs, 1);
	ck_assert_str_eq(w->procs[0].name, "template");
	ck_assert_int_eq(w->nr_threads, 1);
	ck_assert_int_eq(w->duration, 6 * NSEC_PER_SEC);
	const struct wl_thread *t = &w->threads[0];
	ck_assert_str_eq(t->name, "thread0");
	ck_assert_int_eq(t->loops, -1);
	ck_assert_int_eq(t->nice, 0);
	ck_assert(!t->has_affinity);
	expect_ops(t, "RST");
	ck_assert_double_eq(t->ops[0].dist.a, us(10000));
	ck_assert_int_eq(t->ops[0].dist.kind, WL_DIST_FIXED);
	ck_assert_double_eq(t->ops[1].dist.a, 0);
	ck_assert_double_eq(t->ops[2].dist.a, us(100000)); /* timer period */
	ck_assert_int_eq(t->ops[2].obj, 0);
	ck_assert_int_eq(w->nr_timers, 1);
	rt_free(w);
}
END_TEST

START_TEST(test_browser)
{
	/* duplicate keys in order, phases with loops, suspend/resume, sync,
	 * nice from "priority", a trailing comma after the last task */
	struct workload *w = load_ok("browser-short.json", 8, false);

	ck_assert_int_eq(w->nr_threads, 9);
	ck_assert_int_eq(w->nr_procs, 1);
	ck_assert_str_eq(w->procs[0].name, "browser-short");
	ck_assert_int_eq(w->procs[0].first_thread, 0);
	ck_assert_int_eq(w->procs[0].nr_threads, 9);
	ck_assert_int_eq(w->duration, 6 * NSEC_PER_SEC);

	const struct wl_thread *m = &w->threads[find(w, "BrowserMain")];
	ck_assert_int_eq(m->loops, 3);
	/* start | render1 x50 | render2 | render3 x20 | stop | scroll x4 | stop2 */
	expect_ops(m, "SRARS" "(AR)" "WRAR" "(AR)" "RSWS" "(AWR)" "WRS");
	ck_assert_int_eq(m->ops[5].count, 50);
	ck_assert_int_eq(m->ops[13].count, 20);
	ck_assert_int_eq(m->ops[21].count, 4);
	ck_assert_double_eq(m->ops[0].dist.a, us(400000));
	ck_assert_double_eq(m->ops[1].dist.a, us(15000)); /* first "run" */
	ck_assert_double_eq(m->ops[3].dist.a, us(7000));  /* second "run" of the phase */
	int browser = obj(w, WL_OBJ_COND, "Browser");
	ck_assert_int_eq(m->ops[2].obj, browser);   /* resume: wake-all on the condition */
	ck_assert_int_eq(m->ops[9].obj, browser);   /* suspend: wait on it */
	ck_assert_int_eq(m->ops[9].lock, -1);

	const struct wl_thread *d = &w->threads[find(w, "BrowserDisplay")];
	expect_ops(d, "WRARLKWURAR");
	ck_assert_int_eq(d->nice, -6);
	int q = obj(w, WL_OBJ_COND, "queue11"), mx = obj(w, WL_OBJ_LOCK, "mutex11");
	ck_assert_int_eq(d->ops[4].obj, mx);
	ck_assert_int_eq(d->ops[5].obj, q);   /* sync = signal ... */
	ck_assert_int_eq(d->ops[6].obj, q);   /* ... then wait, releasing the mutex */
	ck_assert_int_eq(d->ops[6].lock, mx);
	ck_assert_int_eq(d->ops[7].obj, mx);

	ck_assert_int_eq(w->threads[find(w, "Event-Browser")].nice, -9);
	ck_assert_int_eq(w->threads[find(w, "Display")].nice, -8);
	expect_ops(&w->threads[find(w, "Binder-display")], "WRAA");
	rt_free(w);
}
END_TEST

START_TEST(test_mp3)
{
	/* a timer shared by two phases of one thread, cpus, lock/signal/wait */
	struct workload *w = load_ok("mp3-short.json", 8, false);

	ck_assert_int_eq(w->nr_threads, 5);
	const struct wl_thread *t = &w->threads[find(w, "AudioTick")];
	expect_ops(t, "AT(T)");
	ck_assert_int_eq(t->loops, -1);
	ck_assert_int_eq(t->nice, -19);
	ck_assert(t->has_affinity);
	ck_assert_int_eq(cpumask_weight(&t->affinity), 1);
	ck_assert(cpumask_test(&t->affinity, 0));
	ck_assert_int_eq(t->ops[2].count, 4);
	ck_assert_int_eq(t->ops[1].obj, t->ops[3].obj); /* one timer "tick" */
	ck_assert_double_eq(t->ops[3].dist.a, us(6000));
	ck_assert_int_eq(w->nr_timers, 1);

	const struct wl_thread *dec = &w->threads[find(w, "mp3.decoder")];
	expect_ops(dec, "WRLKWUR");
	ck_assert_int_eq(dec->ops[0].obj, obj(w, WL_OBJ_COND, "mp3.decoder"));
	ck_assert_int_eq(dec->ops[4].obj, obj(w, WL_OBJ_COND, "queue"));
	ck_assert_int_eq(dec->ops[4].lock, obj(w, WL_OBJ_LOCK, "mutex"));
	expect_ops(&w->threads[find(w, "OMXCall")], "LWURLKU");
	ck_assert(!w->threads[find(w, "OMXCall")].has_affinity);
	rt_free(w);
}
END_TEST

START_TEST(test_example5)
{
	/* phases with a thread loop of 1, a phase loop of 8, duplicate "run"
	 * and "suspend", trailing comma inside a phase; events in the task */
	struct workload *w = load_ok("tutorial-example5.json", 2, false);

	ck_assert_int_eq(w->nr_threads, 2);
	const struct wl_thread *t0 = &w->threads[0], *t1 = &w->threads[1];
	ck_assert_str_eq(t0->name, "thread0");
	ck_assert_int_eq(t0->loops, 1);
	expect_ops(t0, "S(LRKRURAT)");
	ck_assert_int_eq(t0->ops[1].count, 8);
	ck_assert_double_eq(t0->ops[9].dist.a, us(200000));
	ck_assert(cpumask_test(&t0->affinity, 0) && cpumask_weight(&t0->affinity) == 1);
	ck_assert_int_eq(t0->nice, -19);
	/* no phases: "loop" counts the events, then the thread ends */
	ck_assert_int_eq(t1->loops, 3);
	expect_ops(t1, "LWURWRWR");
	ck_assert(cpumask_test(&t1->affinity, 1) && cpumask_weight(&t1->affinity) == 1);
	ck_assert_int_eq(t0->ops[8].obj, obj(w, WL_OBJ_COND, "thread1")); /* resume thread1 */
	ck_assert_int_eq(t1->ops[4].obj, t0->ops[8].obj);                  /* suspend thread1 */
	ck_assert_int_eq(t1->ops[6].obj, t0->ops[8].obj);
	ck_assert_int_eq(w->duration, 0); /* no global: until the threads end */
	rt_free(w);
}
END_TEST

START_TEST(test_example7_barriers)
{
	/* "runtime1", "sleep1", "barrier1": prefix matching; barrier
	 * participants = the threads that reference it */
	struct workload *w = load_ok("tutorial-example7.json", 8, false);

	ck_assert_int_eq(w->nr_threads, 2);
	expect_ops(&w->threads[0], "PSBPBPSB");
	expect_ops(&w->threads[1], "PBPSBPB");
	ck_assert_double_eq(w->threads[0].ops[0].dist.a, us(1000));
	ck_assert_int_eq(w->nr_objs, 3);
	for (int i = 0; i < w->nr_objs; i++) {
		ck_assert_int_eq(w->objs[i].kind, WL_OBJ_BARRIER);
		ck_assert_int_eq(w->objs[i].participants, 2);
	}
	ck_assert_int_eq(w->threads[0].ops[2].obj, obj(w, WL_OBJ_BARRIER, "FIRST"));
	ck_assert_int_eq(w->threads[1].ops[6].obj, obj(w, WL_OBJ_BARRIER, "THIRD"));
	rt_free(w);
}
END_TEST

START_TEST(test_example4_pingpong)
{
	struct workload *w = load_ok("tutorial-example4.json", 8, false);

	ck_assert_int_eq(w->nr_threads, 2);
	expect_ops(&w->threads[0], "RAW");
	expect_ops(&w->threads[1], "RAW");
	ck_assert_int_eq(w->threads[0].ops[1].obj, w->threads[1].ops[2].obj);
	ck_assert_int_eq(w->threads[1].ops[1].obj, w->threads[0].ops[2].obj);
	rt_free(w);
}
END_TEST

START_TEST(test_example6_unsupported)
{
	/* "mem" and "iorun" are refused, or skipped under --lenient */
	fixture_err("tutorial-example6.json", 8, false, 11, 4,
		    "unsupported rt-app event \"mem\" in tasks.thread0 (supported: run, runtime, "
		    "sleep, timer, lock, unlock, wait, signal, broad, sync, barrier, suspend, resume, "
		    "sem_post, sem_wait, yield; use --lenient to skip)");
	struct workload *w = load_ok("tutorial-example6.json", 8, true);
	expect_ops(&w->threads[0], "RS");
	rt_free(w);
}
END_TEST

START_TEST(test_example8_phase_cpus)
{
	/* phase-level cpus that differ between phases: one affinity per thread */
	fixture_err("tutorial-example8.json", 8, false, 18, 6,
		    "tasks.thread0.phases.phase2.cpus: unsupported rt-app affinity that changes "
		    "between phases (a cassim thread keeps one affinity; use --lenient to ignore it)");
	struct workload *w = load_ok("tutorial-example8.json", 8, true);
	const struct wl_thread *t = &w->threads[0];
	expect_ops(t, "RRR");
	ck_assert(t->has_affinity && cpumask_test(&t->affinity, 0));
	ck_assert_int_eq(cpumask_weight(&t->affinity), 1);
	ck_assert_int_eq(t->loops, -1);
	rt_free(w);
}
END_TEST

/* ---- bad inputs ---------------------------------------------------- */

START_TEST(test_bad_fixtures)
{
	fixture_err("bad-memrun.json", 8, false, 7, 6,
		    "unsupported rt-app event \"memrun\" in tasks.t.phases.p (supported: ");
	fixture_err("bad-negative-run.json", 8, false, 5, 4,
		    "tasks.t.run: negative duration -5 (expected microseconds >= 0)");
	fixture_err("bad-unknown-cpu.json", 8, false, 4, 16,
		    "tasks.t.cpus[1]: cpu 9 does not exist (expected 0..7)");
	fixture_err("bad-missing-comma.json", 8, false, 5, 4, "expected ',' or '}'");
	fixture_err("bad-comment.json", 8, false, 5, 2, "unterminated comment (expected */)");
	fixture_err("bad-no-progress.json", 8, false, 4, 3,
		    "tasks.t: task \"t\" repeats forever without a run, runtime, sleep, timer or "
		    "blocking event");

	/* --lenient skips the memrun: the phase keeps run and sleep */
	struct workload *w = load_ok("bad-memrun.json", 8, true);
	expect_ops(&w->threads[0], "RS");
	rt_free(w);
	/* a value error stays an error under --lenient */
	fixture_err("bad-negative-run.json", 8, true, 5, 4, "negative duration");
	/* with more CPUs the cpu exists */
	w = load_ok("bad-unknown-cpu.json", 16, false);
	ck_assert(cpumask_test(&w->threads[0].affinity, 9));
	ck_assert_int_eq(cpumask_weight(&w->threads[0].affinity), 2);
	rt_free(w);
}
END_TEST

START_TEST(test_syntax_errors)
{
	text_err("", 8, false, "inline.json:1:1: unexpected end of file (expected a JSON value)");
	text_err("[1, 2]", 8, false,
		 "inline.json:1:1: got an array (expected an rt-app object with \"tasks\")");
	text_err("{ \"global\": {} }", 8, false,
		 "inline.json:1:1: no \"tasks\" (expected an rt-app file with a \"tasks\" object)");
	text_err("{ \"tasks\": { \"t\": { \"run\": 1 } } } x", 8, false,
		 "inline.json:1:36: trailing characters after the JSON document (expected the end "
		 "of the file)");
	text_err("{ \"tasks\": { \"t\": { \"run\": 1.5 } } }", 8, false,
		 "inline.json:1:21: tasks.t.run: got a fractional number (expected an integer "
		 "number of microseconds)");
	text_err("{ \"tasks\": { \"t\": { \"run\" 1 } } }", 8, false,
		 "inline.json:1:27: expected ':' after the key \"run\"");
	text_err("{ \"tasks\": { \"t\": { \"run\": 1 }, \"t\": { \"run\": 2 } } }", 8, false,
		 "inline.json:1:33: tasks: duplicate task name \"t\" (first at line 1, column 14; "
		 "expected unique names)");
	text_err("{ \"tasks\": { \"t\": { \"run\": \"10ms\" } } }", 8, false,
		 "inline.json:1:21: tasks.t.run: got a string (expected an integer number of "
		 "microseconds)");
	/* columns count characters, not bytes */
	text_err("{ \"tasks\": { \"\xC3\xA9t\xC3\xA9\": { \"run\": -1 } } }", 8, false,
		 "inline.json:1:23: tasks.\xC3\xA9t\xC3\xA9.run: negative duration -1 (expected "
		 "microseconds >= 0)");
	text_err("{ \"tasks\": {} }", 8, false,
		 "inline.json:1:3: tasks: no tasks (expected at least one)");
	text_err("{ \"tasks\": { \"t\": { \"loop\": 3 } } }", 8, false,
		 "inline.json:1:14: tasks.t: task without events (expected \"phases\" or events "
		 "such as \"run\")");
	text_err("{ \"tasks\": { \"t\": { \"phases\": { \"p\": { \"loop\": 2 } } } } }", 8, false,
		 "inline.json:1:33: tasks.t.phases.p: phase without events (expected at least one "
		 "event such as \"run\")");
}
END_TEST

START_TEST(test_value_errors)
{
	text_err("{ \"tasks\": { \"t\": { \"loop\": 1, \"loop\": 2, \"run\": 1 } } }", 8, false,
		 "inline.json:1:32: tasks.t.loop: duplicate key \"loop\" (first at line 1, column "
		 "21)");
	text_err("{ \"tasks\": { \"t\": { \"priority\": -25, \"run\": 1 } } }", 8, false,
		 "inline.json:1:21: tasks.t.priority: nice -25 out of range (expected -20..19 for "
		 "SCHED_OTHER)");
	text_err("{ \"tasks\": { \"t\": { \"instance\": -1, \"run\": 1 } } }", 8, false,
		 "inline.json:1:21: tasks.t.instance: -1 out of range (expected a number of threads "
		 "0..1048576)");
	text_err("{ \"tasks\": { \"t\": { \"policy\": \"SCHED_FOO\", \"run\": 1 } } }", 8, false,
		 "inline.json:1:21: tasks.t.policy: invalid policy \"SCHED_FOO\" (expected "
		 "SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_RR, SCHED_FIFO or SCHED_DEADLINE)");
	text_err("{ \"tasks\": { \"t\": { \"policy\": \"SCHED_FIFO\", \"priority\": 50, \"run\": 1 } } }",
		 8, false,
		 "inline.json:1:21: tasks.t.policy: unsupported rt-app policy SCHED_FIFO (cassim "
		 "models the fair class only: use SCHED_OTHER and a nice value in \"priority\"; use "
		 "--lenient to ignore it)");
	text_err("{ \"tasks\": { \"t\": { \"cpus\": [], \"run\": 1 } } }", 8, false,
		 "inline.json:1:21: tasks.t.cpus: got an empty array (expected a non-empty array of "
		 "CPU numbers)");
	text_err("{ \"tasks\": { \"t\": { \"cpus\": [-1], \"run\": 1 } } }", 8, false,
		 "inline.json:1:30: tasks.t.cpus[0]: cpu -1 does not exist (expected 0..7)");
	text_err("{ \"tasks\": { \"t\": { \"wait\": { \"mutex\": \"m\" } } } }", 8, false,
		 "inline.json:1:21: tasks.t.wait: no \"ref\" (expected {\"ref\": condition, "
		 "\"mutex\": mutex})");
	text_err("{ \"tasks\": { \"t\": { \"timer\": { \"ref\": \"x\", \"period\": 10, \"mode\": "
		 "\"sometimes\" } } } }", 8, false,
		 "inline.json:1:58: tasks.t.timer.mode: unknown timer mode \"sometimes\" (expected "
		 "\"relative\" or \"absolute\")");
	text_err("{ \"tasks\": { \"t\": { \"lock\": 3, \"run\": 1 } } }", 8, false,
		 "inline.json:1:21: tasks.t.lock: got an integer (expected a mutex name)");
	text_err("{ \"tasks\": { \"t\": { \"taskgroup\": \"/tg1\", \"run\": 1 } } }", 8, false,
		 "inline.json:1:21: tasks.t.taskgroup: unsupported rt-app key \"taskgroup\" (cgroups "
		 "are not modelled; use --lenient to ignore it)");
	text_err("{ \"tasks\": { \"t\": { \"fork\": \"u\", \"run\": 1 }, \"u\": { \"run\": 1 } } }", 8,
		 false,
		 "inline.json:1:21: unsupported rt-app event \"fork\" in tasks.t (supported: " 
		 "run, runtime, sleep, timer, lock, unlock, wait, signal, broad, sync, barrier, "
		 "suspend, resume, sem_post, sem_wait, yield; use --lenient to skip)");
	text_err("{ \"tasks\": { \"t\": { \"iorun2\": 10, \"run\": 1 } } }", 8, false,
		 "inline.json:1:21: unsupported rt-app event \"iorun2\" (iorun) in tasks.t "
		 "(supported: run, runtime, sleep, timer, lock, unlock, wait, signal, broad, sync, "
		 "barrier, suspend, resume, sem_post, sem_wait, yield; use --lenient to skip)");
	text_err("{ \"tasks\": { \"t\": { \"instance\": 0, \"run\": 1 } } }", 8, false,
		 "inline.json: no threads to run (every task has \"instance\": 0)");
	text_err("{ \"tasks\": { \"a\": { \"instance\": 2, \"run\": 1 }, \"a.1\": { \"run\": 1 } } }",
		 8, false,
		 "inline.json:1:14: tasks.a: thread name \"a.1\" used twice (expected unique names; "
		 "a task with \"instance\": N makes NAME.0 .. NAME.N-1)");
	text_err("{ \"tasks\": { \"t\": { \"phases\": { \"p\": { \"loop\": -1, \"resume\": \"x\" }, "
		 "\"q\": { \"run\": 5 } } } } }", 8, false,
		 "inline.json:1:14: tasks.t: task \"t\" repeats forever without a run, runtime, "
		 "sleep, timer or blocking event (expected one, or a finite \"loop\": simulated "
		 "time would never advance)");
}
END_TEST

/* ---- grammar -------------------------------------------------------- */

START_TEST(test_comments_and_trailing_commas)
{
	struct workload *w = text_ok(
		"// line comment\n"
		"{ /* block */ \"tasks\": {\n"
		"  \"t\": { \"lock\": \"a//b\", /* not in strings */ \"unlock\": \"a/*b*/\",\n"
		"         \"run\": 10, // trailing\n"
		"         \"cpus\": [1, 2,],\n"
		"  },\n"
		"}, }\n", 8, false);

	expect_ops(&w->threads[0], "LUR");
	ck_assert_str_eq(w->objs[w->threads[0].ops[0].obj].name, "a//b");
	ck_assert_str_eq(w->objs[w->threads[0].ops[1].obj].name, "a/*b*/");
	ck_assert_int_eq(cpumask_weight(&w->threads[0].affinity), 2);
	rt_free(w);
}
END_TEST

START_TEST(test_duplicates_and_prefixes)
{
	struct workload *w = text_ok(
		"{ \"tasks\": { \"t\": {\n"
		"  \"run\": 1, \"run\": 2, \"run0\": 3, \"sleep_a\": 4, \"runtime\": 5, \"run\": 6,\n"
		"  \"runtime_x\": 7, \"sleep\": 8, \"yield\": \"\", \"signal1\": \"c\", \"broad\": \"c\",\n"
		"  \"sem_post\": \"s\", \"sem_wait2\": \"s\", \"wait0\": { \"ref\": \"c\" },\n"
		"  \"loop\": 2, \"delay\": 250, \"cpus\": [3]\n"
		"} } }\n", 8, false);
	const struct wl_thread *t = &w->threads[0];

	/* yield is dropped; everything else in file order */
	expect_ops(t, "RRRSPRPSKAKWW");
	static const double v[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	for (int i = 0; i < 8; i++)
		ck_assert_double_eq(t->ops[i].dist.a, us(v[i]));
	ck_assert_int_eq(w->objs[t->ops[8].obj].kind, WL_OBJ_COND);
	ck_assert_int_eq(t->ops[8].obj, t->ops[9].obj);
	ck_assert_int_eq(w->objs[t->ops[10].obj].kind, WL_OBJ_SEM);
	ck_assert_int_eq(t->ops[10].obj, t->ops[11].obj);
	ck_assert_int_eq(t->ops[12].obj, t->ops[8].obj);
	ck_assert_int_eq(t->ops[12].lock, -1);
	ck_assert_int_eq(t->loops, 2);
	ck_assert_int_eq(t->start_delay, 250 * NSEC_PER_USEC);
	ck_assert(cpumask_test(&t->affinity, 3));
	rt_free(w);
}
END_TEST

START_TEST(test_lenient)
{
	static const char *text =
		"{ \"tasks\": {\n"
		"  \"t\": { \"policy\": \"SCHED_FIFO\", \"priority\": 50, \"util_min\": 512,\n"
		"         \"run\": 100, \"mem\": 4096, \"iorun\": 10, \"fork\": \"u\", \"sleep\": 100 },\n"
		"  \"u\": { \"instance\": 0, \"run\": 1 },\n"
		"  \"v\": { \"taskgroup\": \"/a\", \"nodes_membind\": [0], \"mem\": 1 }\n"
		"} }\n";
	struct workload *w = text_ok(text, 8, true);

	ck_assert_int_eq(w->nr_threads, 2); /* u has no instance */
	expect_ops(&w->threads[0], "RS");
	ck_assert_int_eq(w->threads[0].nice, 0);  /* RT priority 50 ignored */
	ck_assert_str_eq(w->threads[1].name, "v");
	ck_assert_int_eq(w->threads[1].nr_ops, 0); /* nothing left: exits at once */
	ck_assert_int_eq(w->threads[1].loops, 0);
	rt_free(w);
	text_err(text, 8, false,
		 "inline.json:2:10: tasks.t.policy: unsupported rt-app policy SCHED_FIFO (cassim "
		 "models the fair class only: use SCHED_OTHER and a nice value in \"priority\"; use "
		 "--lenient to ignore it)");
}
END_TEST

START_TEST(test_instances_and_barriers)
{
	struct workload *w = text_ok(
		"{ \"tasks\": {\n"
		"  \"w\": { \"instance\": 3, \"run\": 10, \"barrier\": \"B\", \"timer\": { \"ref\": "
		"\"unique\", \"period\": 1000 } },\n"
		"  \"m\": { \"run\": 5, \"barrier\": \"B\" },\n"
		"  \"z\": { \"instance\": 0, \"barrier\": \"B\" }\n"
		"} }\n", 8, false);

	ck_assert_int_eq(w->nr_threads, 4);
	ck_assert_str_eq(w->threads[0].name, "w.0");
	ck_assert_str_eq(w->threads[2].name, "w.2");
	ck_assert_str_eq(w->threads[3].name, "m");
	int b = obj(w, WL_OBJ_BARRIER, "B");
	ck_assert_int_eq(w->objs[b].participants, 4);
	for (int i = 0; i < 3; i++) {
		expect_ops(&w->threads[i], "RBT");
		ck_assert_int_eq(w->threads[i].ops[1].obj, b);
		if (i)
			ck_assert_ptr_ne(w->threads[i].ops, w->threads[0].ops);
	}
	ck_assert_int_eq(w->nr_timers, 1);
	rt_free(w);
}
END_TEST

START_TEST(test_processes)
{
	/* the "process" extension: same name = one process; the rest share
	 * the default process named after the file */
	struct workload *w = text_ok(
		"{ \"tasks\": {\n"
		"  \"a\": { \"run\": 1, \"sleep\": 1 },\n"
		"  \"db\": { \"process\": \"server\", \"instance\": 2, \"run\": 1, \"sleep\": 1 },\n"
		"  \"b\": { \"run\": 1, \"sleep\": 1 },\n"
		"  \"log\": { \"process\": \"server\", \"run\": 1, \"sleep\": 1 },\n"
		"  \"c\": { \"process\": \"client\", \"run\": 1, \"sleep\": 1 }\n"
		"} }\n", 8, false);

	ck_assert_int_eq(w->nr_procs, 3);
	ck_assert_str_eq(w->procs[0].name, "inline");
	ck_assert_str_eq(w->procs[1].name, "server");
	ck_assert_str_eq(w->procs[2].name, "client");
	ck_assert_int_eq(w->procs[0].first_thread, 0);
	ck_assert_int_eq(w->procs[0].nr_threads, 2);
	ck_assert_int_eq(w->procs[1].first_thread, 2);
	ck_assert_int_eq(w->procs[1].nr_threads, 3);
	ck_assert_int_eq(w->procs[2].first_thread, 5);
	ck_assert_int_eq(w->procs[2].nr_threads, 1);
	static const char *const names[] = { "a", "b", "db.0", "db.1", "log", "c" };
	for (int i = 0; i < 6; i++) {
		ck_assert_str_eq(w->threads[i].name, names[i]);
		ck_assert_int_eq(w->threads[i].process, i < 2 ? 0 : i < 5 ? 1 : 2);
	}
	rt_free(w);
}
END_TEST

START_TEST(test_loops_and_phases)
{
	struct workload *w = text_ok(
		"{ \"global\": { \"duration\": -1, \"default_policy\": \"SCHED_OTHER\", \"frag\": 1 },\n"
		"  \"tasks\": {\n"
		"  \"a\": { \"loop\": 0, \"run\": 1 },\n"
		"  \"b\": { \"loop\": 5, \"phases\": { \"p\": { \"loop\": -1, \"run\": 1 } } },\n"
		"  \"c\": { \"phases\": { \"p\": { \"loop\": 0, \"run\": 1 },\n"
		"                         \"p\": { \"loop\": 2, \"sleep\": 1 } } },\n"
		"  \"d\": { \"loop\": 0, \"phases\": { \"p\": { \"run\": 1 } } },\n"
		"  \"e\": { \"priority\": 4, \"cpus\": [1], \"phases\": { \"p\": { \"priority\": 4, \"cpus\": [1], "
		"\"run\": 1 }, \"q\": { \"sleep\": 1 } } },\n"
		"  \"f\": { \"suspend\", \"run\": 1 }\n"
		"} }\n", 8, false);

	ck_assert_int_eq(w->duration, 0);
	/* no phases: a task "loop" <= 0 repeats forever (phase semantics) */
	ck_assert_int_eq(w->threads[find(w, "a")].loops, -1);
	expect_ops(&w->threads[find(w, "a")], "R");
	/* phases: the task loop counts the phase list; phase loop -1 */
	ck_assert_int_eq(w->threads[find(w, "b")].loops, 5);
	expect_ops(&w->threads[find(w, "b")], "(R)");
	ck_assert_int_eq(w->threads[find(w, "b")].ops[0].count, -1);
	/* phase loop 0 repeats forever in rt-app; duplicate phase names run
	 * in order (workgen would rename the second "p1") */
	const struct wl_thread *c = &w->threads[find(w, "c")];
	expect_ops(c, "(R)(S)");
	ck_assert_int_eq(c->ops[0].count, -1);
	ck_assert_int_eq(c->ops[3].count, 2);
	ck_assert_int_eq(c->loops, -1);
	/* task loop 0 with phases: the thread never runs */
	ck_assert_int_eq(w->threads[find(w, "d")].nr_ops, 0);
	ck_assert_int_eq(w->threads[find(w, "d")].loops, 0);
	/* phases may repeat the task's own priority and cpus */
	const struct wl_thread *e = &w->threads[find(w, "e")];
	ck_assert_int_eq(e->nice, 4);
	ck_assert(e->has_affinity && cpumask_test(&e->affinity, 1));
	/* workgen's bare "suspend": the task's own name */
	const struct wl_thread *f = &w->threads[find(w, "f")];
	expect_ops(f, "WR");
	ck_assert_int_eq(f->ops[0].obj, obj(w, WL_OBJ_COND, "f"));
	rt_free(w);
}
END_TEST

START_TEST(test_priority_change_between_phases)
{
	static const char *text =
		"{ \"tasks\": { \"t\": { \"phases\": {\n"
		"  \"p\": { \"run\": 1 },\n"
		"  \"q\": { \"priority\": 5, \"run\": 1 } } } } }\n";

	text_err(text, 8, false,
		 "inline.json:3:10: tasks.t.phases: unsupported rt-app priority that changes between "
		 "phases (a cassim thread keeps one nice value; use --lenient to ignore it)");
	struct workload *w = text_ok(text, 8, true);
	ck_assert_int_eq(w->threads[0].nice, 0);
	rt_free(w);
	/* set in the first phase and never changed: that is the nice value */
	w = text_ok("{ \"tasks\": { \"t\": { \"phases\": { \"p\": { \"priority\": -3, \"run\": 1 }, "
		    "\"q\": { \"run\": 1 } } } } }", 8, false);
	ck_assert_int_eq(w->threads[0].nice, -3);
	rt_free(w);
}
END_TEST

static Suite *rtapp_suite(void)
{
	Suite *s = suite_create("rtapp");
	TCase *tc = tcase_create("examples");

	tcase_add_test(tc, test_template);
	tcase_add_test(tc, test_browser);
	tcase_add_test(tc, test_mp3);
	tcase_add_test(tc, test_example5);
	tcase_add_test(tc, test_example7_barriers);
	tcase_add_test(tc, test_example4_pingpong);
	tcase_add_test(tc, test_example6_unsupported);
	tcase_add_test(tc, test_example8_phase_cpus);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_bad_fixtures);
	tcase_add_test(tc, test_syntax_errors);
	tcase_add_test(tc, test_value_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("grammar");
	tcase_add_test(tc, test_comments_and_trailing_commas);
	tcase_add_test(tc, test_duplicates_and_prefixes);
	tcase_add_test(tc, test_lenient);
	tcase_add_test(tc, test_instances_and_barriers);
	tcase_add_test(tc, test_processes);
	tcase_add_test(tc, test_loops_and_phases);
	tcase_add_test(tc, test_priority_change_between_phases);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rtapp_suite());
	int failed;

	diag_quiet_warnings(1);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
