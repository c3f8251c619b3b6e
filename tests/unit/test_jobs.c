/*
 * Unit tests for the worker pool (sim/study/pool.c): jobs_run_cb calls its
 * callback once per job, in the parent, with the finished job at its
 * index; results handed over by the callback equal jobs_run's (on another
 * number of workers, so in another completion order); a job failing in its
 * worker reaches the callback with its message; jobs_cancel from a
 * callback starts nothing more.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "study/study.h"
#include "study/jobs.h"

#define TOPO "synthetic:pack:1 numa:1 l3:1 core:2 pu:1"
#define NR 8

/* A workload whose thread count is its parameter n: "x" fails in the run. */
static char wl_path[64];

static void write_workload(void)
{
	static const char text[] =
		"{ \"name\": \"t\", \"params\": { \"n\": 2 },\n"
		"  \"processes\": [ { \"name\": \"p\", \"threads\": [ { \"name\": \"t\", \"count\": \"${n}\",\n"
		"    \"ops\": [ { \"run\": \"200us\" }, { \"sleep\": \"100us\" } ] } ] } ] }\n";
	int fd;

	snprintf(wl_path, sizeof(wl_path), "%s/test_jobs_XXXXXX.json", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemps(wl_path, 5);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
}

static const char *const set_keys[] = { "n" };
static const char *const set_n[] = { "1", "2", "3", "x" };

/* Job i: seed i + 1, n from set_n[i % @nr_n], 5 ms. */
static void make_jobs(struct job *jobs, int nr_n)
{
	for (int i = 0; i < NR; i++)
		jobs[i] = (struct job){
			.topology = TOPO,
			.workload = wl_path,
			.policy = i % 2 ? "cas-v4" : "cfs",
			.seed = (uint64_t)i + 1,
			.duration = 5000000,
			.nr_sets = 1,
			.set_keys = set_keys,
			.set_values = &set_n[i % nr_n],
		};
}

struct seen {
	struct job *jobs;
	int calls[NR];
	int order[NR], nr;
	json_t *result[NR];
	int status[NR];
	char error[NR][1024];
	int cancel_after; /* 0: never */
};

static void on_done(struct job *job, int index, void *arg)
{
	struct seen *s = arg;

	ck_assert_int_ge(index, 0);
	ck_assert_int_lt(index, NR);
	ck_assert_ptr_eq(job, &s->jobs[index]);
	s->calls[index]++;
	s->order[s->nr++] = index;
	s->status[index] = job->status;
	snprintf(s->error[index], sizeof(s->error[0]), "%s", job->error);
	/* take the result, as a sweep does */
	s->result[index] = job->result;
	job->result = NULL;
	if (s->cancel_after && s->nr == s->cancel_after)
		jobs_cancel();
}

START_TEST(test_callback_per_job)
{
	struct job cb[NR], ref[NR];
	struct seen s = { .jobs = cb };

	write_workload();
	make_jobs(cb, 3);
	make_jobs(ref, 3);
	ck_assert_int_eq(jobs_run_cb(cb, NR, 3, NULL, on_done, &s), 0);
	ck_assert_int_eq(s.nr, NR);
	for (int i = 0; i < NR; i++) {
		ck_assert_int_eq(s.calls[i], 1);
		ck_assert_msg(s.status[i] == 0, "job %d: %s", i, s.error[i]);
		ck_assert_ptr_nonnull(s.result[i]);
		ck_assert_ptr_null(cb[i].result); /* taken */
	}
	/* one worker: in job order; the results are the same */
	ck_assert_int_eq(jobs_run(ref, NR, 1, NULL), 0);
	for (int i = 0; i < NR; i++) {
		json_t *seed = json_object_get(json_object_get(s.result[i], "config"), "seed");
		ck_assert_int_eq(ref[i].status, 0);
		ck_assert_msg(json_equal(s.result[i], ref[i].result), "job %d differs from jobs_run's", i);
		ck_assert_int_eq(json_integer_value(seed), i + 1);
		json_decref(s.result[i]);
	}
	jobs_free(ref, NR);
	unlink(wl_path);
}
END_TEST

START_TEST(test_failing_job)
{
	struct job jobs[NR];
	struct seen s = { .jobs = jobs };

	write_workload();
	make_jobs(jobs, 4); /* jobs 3 and 7: n=x */
	ck_assert_int_eq(jobs_run_cb(jobs, NR, 2, NULL, on_done, &s), 0);
	ck_assert_int_eq(s.nr, NR);
	for (int i = 0; i < NR; i++) {
		ck_assert_int_eq(s.calls[i], 1);
		if (i % 4 == 3) {
			ck_assert_int_ne(s.status[i], 0);
			ck_assert_ptr_null(s.result[i]);
			ck_assert_msg(strstr(s.error[i], "not an integer"), "job %d: %s", i, s.error[i]);
		} else {
			ck_assert_msg(s.status[i] == 0, "job %d: %s", i, s.error[i]);
			ck_assert_ptr_nonnull(s.result[i]);
		}
		json_decref(s.result[i]);
	}
	unlink(wl_path);
}
END_TEST

START_TEST(test_cancel)
{
	struct job jobs[NR];
	struct seen s = { .jobs = jobs, .cancel_after = 2 };

	write_workload();
	make_jobs(jobs, 3);
	/* one worker: jobs finish in order, the cancel comes after job 1 */
	ck_assert_int_eq(jobs_run_cb(jobs, NR, 1, NULL, on_done, &s), 1);
	ck_assert_int_eq(s.nr, 2);
	ck_assert_int_eq(s.order[0], 0);
	ck_assert_int_eq(s.order[1], 1);
	for (int i = 2; i < NR; i++) {
		ck_assert_int_eq(s.calls[i], 0);
		ck_assert_int_eq(jobs[i].status, 1);
		ck_assert_str_eq(jobs[i].error, "not run");
	}
	json_decref(s.result[0]);
	json_decref(s.result[1]);
	/* the next call starts afresh */
	memset(&s, 0, sizeof(s));
	s.jobs = jobs;
	ck_assert_int_eq(jobs_run_cb(jobs, 2, 1, NULL, on_done, &s), 0);
	ck_assert_int_eq(s.nr, 2);
	json_decref(s.result[0]);
	json_decref(s.result[1]);
	unlink(wl_path);
}
END_TEST

START_TEST(test_nothing_to_run)
{
	struct seen s = { 0 };

	ck_assert_int_eq(jobs_run_cb(NULL, 0, 2, NULL, on_done, &s), 0);
	ck_assert_int_eq(s.nr, 0);
}
END_TEST

static Suite *jobs_suite(void)
{
	Suite *s = suite_create("jobs");
	TCase *tc = tcase_create("pool");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_callback_per_job);
	tcase_add_test(tc, test_failing_job);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_nothing_to_run);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(jobs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
