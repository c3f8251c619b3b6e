/*
 * Unit tests for cassim plot's data modules: sim/report/csvread.c (RFC 4180
 * records and their lines), sim/report/plotdata.c (results tables: directions,
 * means and CIs per axis value, % change and Welch p per cell, the checks)
 * and sim/report/plottime.c (timelines: boxes at pixel resolution, LLC
 * occupancy).  Tables are made in memory (fmemopen); the expected numbers
 * are worked out in the comments.
 */
#define _GNU_SOURCE /* fmemopen */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/csvread.h"
#include "report/plotdata.h"
#include "report/plottime.h"

#define EPS 1e-12
#define T975_1 12.706204736174705  /* Student's t(0.975, 1) */

static void near(double got, double want)
{
	ck_assert_msg(fabs(got - want) <= EPS * fmax(1.0, fabs(want)), "got %.17g, want %.17g", got, want);
}

static FILE *mem(const char *s)
{
	FILE *f = fmemopen((void *)s, strlen(s), "r");

	ck_assert_ptr_nonnull(f);
	return f;
}

/* ---- csvread ---------------------------------------------------------------------- */

struct seen {
	int n;
	char text[8][128];
	int line[8];
};

static int keep(void *ctx, const struct csvr_rec *r, struct diag *err)
{
	struct seen *s = ctx;
	size_t k = 0;

	for (int i = 0; i < r->n; i++)
		k += (size_t)snprintf(s->text[s->n] + k, sizeof(s->text[0]) - k, "%s[%s]", i ? "," : "", r->f[i]);
	s->line[s->n++] = r->line;
	return 0;
}

START_TEST(test_csv_quoting)
{
	static const char in[] = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\n\"two\nlines\",2,3\nlast,,z";
	struct seen s = { 0 };
	struct diag err;
	FILE *f = mem(in);

	ck_assert_int_eq(csvr_read_file(f, "t.csv", keep, &s, &err), 4);
	fclose(f);
	ck_assert_str_eq(s.text[0], "[a],[b],[c]");
	ck_assert_str_eq(s.text[1], "[x, y],[say \"hi\"],[]");
	ck_assert_str_eq(s.text[2], "[two\nlines],[2],[3]");
	ck_assert_str_eq(s.text[3], "[last],[],[z]");
	/* a record's line is the one it ends on; the blank line 3 is skipped */
	ck_assert_int_eq(s.line[1], 2);
	ck_assert_int_eq(s.line[2], 5);
	ck_assert_int_eq(s.line[3], 6);
}
END_TEST

START_TEST(test_csv_errors)
{
	struct seen s = { 0 };
	struct diag err;
	FILE *f = mem("a,b\n1,x\"y\n");

	ck_assert_int_eq(csvr_read_file(f, "t.csv", keep, &s, &err), -1);
	fclose(f);
	ck_assert_msg(strstr(err.msg, "t.csv:2: malformed CSV"), "%s", err.msg);
	f = mem("a,b\n1,\"open\n");
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(csvr_read_file(f, "t.csv", keep, &s, &err), -1);
	fclose(f);
	ck_assert_msg(strstr(err.msg, "t.csv:2: unterminated quoted field"), "%s", err.msg);
}
END_TEST

/* ---- plotdata ----------------------------------------------------------------------- */

START_TEST(test_metric_dir)
{
	/* as cassim compare's results.json says for these metrics */
	ck_assert_int_eq(pd_metric_dir("rps", "requests/s"), STATS_HIGHER);
	ck_assert_int_eq(pd_metric_dir("throughput", "MB/s"), STATS_HIGHER);
	ck_assert_int_eq(pd_metric_dir("total_events", "events"), STATS_HIGHER);
	ck_assert_int_eq(pd_metric_dir("time", "s"), STATS_LOWER);
	ck_assert_int_eq(pd_metric_dir("request_latency_p99", "us"), STATS_LOWER);
	ck_assert_int_eq(pd_metric_dir("total_wakeup_lat_p99", "us"), STATS_LOWER);
	ck_assert_int_eq(pd_metric_dir("migrations_xllc", ""), STATS_LOWER);
	ck_assert_int_eq(pd_metric_dir("cpu_util_mean", "fraction"), STATS_NEUTRAL);
	ck_assert_int_eq(pd_metric_dir("policy_pref_switches", ""), STATS_NEUTRAL);
}
END_TEST

static int load(struct pd_table *t, const char *csv, struct diag *err)
{
	FILE *f = mem(csv);
	int rc = pd_load_file(t, f, "r.csv", err);

	fclose(f);
	return rc;
}

/* the tidy layout (report/tidy.h); parameters x and tol */
#define HEAD "topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text\n"

START_TEST(test_lines)
{
	/* x is numeric (sorted 1, 2, 10); cfs has no x (empty: the same at every
	 * x) and repeats its seed-1 run (counted once); cas has two seeds. */
	static const char csv[] = HEAD
		"m,w,,cfs,1,bench,,lat,value,us,5,\n"
		"m,w,,cfs,2,bench,,lat,value,us,7,\n"
		"m,w,,cfs,1,bench,,lat,value,us,5,\n"
		"m,w,x=10;tol=1,cas,1,bench,,lat,value,us,1,\n"
		"m,w,x=10;tol=1,cas,2,bench,,lat,value,us,3,\n"
		"m,w,x=1;tol=1,cas,1,bench,,lat,value,us,4,\n"
		"m,w,x=1;tol=1,cas,2,bench,,lat,value,us,4,\n"
		"m,w,x=2;tol=1,cas,1,bench,,lat,value,us,8,\n"
		"m,w,x=2;tol=1,cas,1,bench,,ops,value,ops/s,9,\n";
	struct pd_table t;
	struct pd_lines l;
	struct pd_query q = { .y = -1 };
	struct diag err;

	ck_assert_int_eq(load(&t, csv, &err), 0);
	ck_assert_int_eq(t.nparams, 2);
	ck_assert_int_eq(t.ncols, 9 + 2);
	ck_assert_str_eq(t.cols[t.first_param].name, "x");
	ck_assert_str_eq(t.cols[t.first_param + 1].name, "tol");
	q.metric = pd_val_find(&t.cols[t.c_metric], "lat");
	q.x = pd_col_find(&t, "x");
	ck_assert_int_eq(pd_lines(&t, &q, &l, &err), 0);
	ck_assert(l.x.numeric);
	ck_assert_int_eq(l.x.n, 3);
	near(l.x.pos[0], 1);
	near(l.x.pos[1], 2);
	near(l.x.pos[2], 10);
	ck_assert_int_eq(l.nseries, 2);
	ck_assert_str_eq(t.cols[t.c_policy].vals[l.policy[0]], "cfs");
	for (int i = 0; i < 3; i++) {
		/* cfs: {5, 7}: mean 6, sd sqrt(2), half-width t(0.975, 1) * sqrt(2) / sqrt(2) */
		ck_assert_uint_eq(l.pt[i].s.n, 2);
		near(l.pt[i].s.mean, 6);
		near(l.pt[i].s.ci_hi, 6 + T975_1);
	}
	near(l.pt[3 + 0].s.mean, 4);   /* cas at x = 1: {4, 4} */
	near(l.pt[3 + 0].s.ci_half, 0);
	ck_assert_uint_eq(l.pt[3 + 1].s.n, 1);   /* x = 2: one run, no CI */
	ck_assert(isnan(l.pt[3 + 1].s.ci_lo));
	near(l.pt[3 + 2].s.mean, 2);   /* x = 10: {1, 3} */
	near(l.pt[3 + 2].s.ci_lo, 2 - T975_1);
	pd_lines_free(&l);
	pd_free(&t);
}
END_TEST

START_TEST(test_lines_checks)
{
	static const char csv[] = HEAD
		"m,w,x=1;tol=1,cfs,1,bench,,lat,value,us,5,\n"
		"m,w,x=1;tol=2,cfs,1,bench,,lat,value,us,6,\n"
		"n,w,x=2;tol=1,cfs,1,bench,,lat,value,us,7,\n";
	struct pd_table t;
	struct pd_lines l;
	struct pd_where w[2];
	struct pd_query q = { .y = -1 };
	struct diag err;

	ck_assert_int_eq(load(&t, csv, &err), 0);
	q.metric = 0;
	q.x = pd_col_find(&t, "x");
	/* topology and tol are not fixed: both named, with their values */
	ck_assert_int_eq(pd_lines(&t, &q, &l, &err), -1);
	ck_assert_msg(strstr(err.msg, "topology = m, n; tol = 1, 2"), "%s", err.msg);
	/* tol fixed: topology is left; both fixed: fine (x = 1 only) */
	w[0] = (struct pd_where){ pd_col_find(&t, "tol"), pd_val_find(&t.cols[pd_col_find(&t, "tol")], "1") };
	q.where = w;
	q.nwhere = 1;
	ck_assert_int_eq(pd_lines(&t, &q, &l, &err), -1);
	ck_assert_msg(strstr(err.msg, "(fix them with --where COLUMN=VALUE): topology = m, n") &&
		      !strstr(err.msg, "tol ="), "%s", err.msg);
	w[1] = (struct pd_where){ pd_col_find(&t, "topology"), pd_val_find(&t.cols[pd_col_find(&t, "topology")], "m") };
	q.nwhere = 2;
	ck_assert_int_eq(pd_lines(&t, &q, &l, &err), 0);
	ck_assert_int_eq(l.x.n, 1);
	near(l.pt[0].s.mean, 5);
	pd_lines_free(&l);
	q.x = t.c_policy;
	ck_assert_int_eq(pd_lines(&t, &q, &l, &err), -1);
	ck_assert_msg(strstr(err.msg, "--x policy: not an axis"), "%s", err.msg);
	pd_free(&t);

	/* one run (policy, seed, axes) with two values */
	ck_assert_int_eq(load(&t, HEAD "m,w,x=1,cfs,1,bench,,lat,value,us,5,\nm,w,x=1,cfs,1,bench,,lat,value,us,6,\n", &err), 0);
	q = (struct pd_query){ .metric = 0, .x = pd_col_find(&t, "x"), .y = -1 };
	ck_assert_int_eq(pd_lines(&t, &q, &l, &err), -1);
	ck_assert_msg(strstr(err.msg, "r.csv:3: seed 1 of policy cfs has another value on line 2"), "%s", err.msg);
	pd_free(&t);
}
END_TEST

START_TEST(test_load_errors)
{
	struct pd_table t;
	struct diag err;

	/* a compare table: no parameters, a missing value, a quoted text */
	ck_assert_int_eq(load(&t, HEAD "m,w,,cfs,1,bench,,lat,value,us,,\n"
				   "m,w,,cfs,1,total,,policy_verdict,value,code,3,\"a, b\"\n", &err), 0);
	ck_assert(t.nparams == 0 && t.ncols == 9);
	ck_assert(isnan(t.value[0]));   /* nothing for a missing value */
	ck_assert_int_eq((int)t.value[1], 3);
	pd_free(&t);
	/* the old layouts are refused, naming the header expected */
	ck_assert_int_eq(load(&t, "policy,seed,metric,unit,value\ncfs,1,lat,us,1\n", &err), -1);
	ck_assert_msg(strstr(err.msg, "r.csv:1: not a results table header (expected cassim's tidy CSV header "
			      "topology,workload,parameters,"), "%s", err.msg);
	pd_free(&t);
	ck_assert_int_eq(load(&t, HEAD "m,w,,cfs,x1,bench,,lat,value,us,1,\n", &err), -1);
	ck_assert_msg(strstr(err.msg, "r.csv:2: field 'seed': 'x1' is not a seed"), "%s", err.msg);
	pd_free(&t);
	/* a --report-csv row summarises seeds: not a run */
	ck_assert_int_eq(load(&t, HEAD "m,w,,cfs,,bench,,lat,mean,us,1,\n", &err), -1);
	ck_assert_msg(strstr(err.msg, "r.csv:2: field 'seed' is empty (expected a seed: one run's row"), "%s",
		      err.msg);
	pd_free(&t);
	ck_assert_int_eq(load(&t, HEAD "m,w,,cfs,1,bench,,lat,value,us,1e999,\n", &err), -1);
	ck_assert_msg(strstr(err.msg, "r.csv:2: field 'value': '1e999' is not a number"), "%s", err.msg);
	pd_free(&t);
	ck_assert_int_eq(load(&t, HEAD "m,w,x,cfs,1,bench,,lat,value,us,1,\n", &err), -1);
	ck_assert_msg(strstr(err.msg, "r.csv: parameters 'x': expected KEY=VALUE pairs joined by ';'"), "%s",
		      err.msg);
	pd_free(&t);
	ck_assert_int_eq(load(&t, HEAD "m,w,seed=1,cfs,1,bench,,lat,value,us,1,\n", &err), -1);
	ck_assert_msg(strstr(err.msg, "parameter 'seed' has the name of a column"), "%s", err.msg);
	pd_free(&t);
	ck_assert_int_eq(load(&t, HEAD, &err), -1);
	ck_assert_msg(strstr(err.msg, "no rows after the header"), "%s", err.msg);
	pd_free(&t);
}
END_TEST

START_TEST(test_heatmap)
{
	/* words keep file order (y: b before a); base has no tol (empty) */
	static const char csv[] = HEAD
		"m,b,x=1,base,1,bench,,lat,value,us,10,\n"
		"m,b,x=1,base,2,bench,,lat,value,us,12,\n"
		"m,b,x=1;tol=5,new,1,bench,,lat,value,us,8,\n"
		"m,b,x=1;tol=5,new,2,bench,,lat,value,us,10,\n"
		"m,a,x=1,base,1,bench,,lat,value,us,10,\n"
		"m,a,x=1,base,2,bench,,lat,value,us,10,\n"
		"m,a,x=1;tol=5,new,1,bench,,lat,value,us,10,\n"
		"m,a,x=1;tol=5,new,2,bench,,lat,value,us,10,\n";
	struct pd_table t;
	struct pd_heatmap h;
	struct pd_query q = { 0 };
	struct diag err;

	ck_assert_int_eq(load(&t, csv, &err), 0);
	q.metric = 0;
	q.x = pd_col_find(&t, "x");
	q.y = pd_col_find(&t, "workload");
	q.policy = pd_val_find(&t.cols[t.c_policy], "new");
	q.baseline = pd_val_find(&t.cols[t.c_policy], "base");
	q.dir = STATS_LOWER;
	ck_assert_int_eq(pd_heatmap(&t, &q, &h, &err), 0);
	ck_assert_int_eq(h.x.n, 1);
	ck_assert_int_eq(h.y.n, 2);
	ck_assert_str_eq(t.cols[q.y].vals[h.y.val[0]], "b");
	/* b: base 11, new 9: 2/11 = 18.18 % better; both sd sqrt(2): Welch t =
	 * -2 / sqrt(2/2 + 2/2) = -sqrt(2), df = 2: p = 1 - sqrt(2) / sqrt(2 + 2) */
	near(h.cell[0].pct, 200.0 / 11);
	near(h.cell[0].p_welch, 1 - sqrt(2) / 2);
	/* a: every run 10: 0 %, p = 1 (no variance, no difference) */
	near(h.cell[1].pct, 0);
	near(h.cell[1].p_welch, 1);
	pd_heatmap_free(&h);
	q.dir = STATS_HIGHER;
	ck_assert_int_eq(pd_heatmap(&t, &q, &h, &err), 0);
	near(h.cell[0].pct, -200.0 / 11);
	pd_heatmap_free(&h);
	pd_free(&t);
}
END_TEST

/* ---- plottime ---------------------------------------------------------------------- */

static int tl(struct pt_timeline *t, const char *csv, struct diag *err)
{
	FILE *f = mem(csv);
	int rc = pt_load_file(t, f, "t.csv", err);

	fclose(f);
	return rc;
}

#define TLHEAD "cpu,llc,node,start_ns,end_ns,pid,tid,process,thread\n"

START_TEST(test_boxes)
{
	/* rows: cpu 4 (node 0) before cpu 1 (node 1).  100 columns over 0..1000:
	 * 10 ns each.  cpu 4: a 0-300, 3 ns of b (lost in a's column), a again
	 * 305-600 (merged: the gap is inside a column a wins), idle, b 700-1000.
	 * cpu 1: b 0-95 then a 95-1000 */
	static const char csv[] = TLHEAD
		"4,0,0,0,300,1,1,a,a\n"
		"1,1,1,0,95,2,2,b,b\n"
		"4,0,0,301,304,2,2,b,b\n"
		"4,0,0,305,600,1,1,a,a\n"
		"1,1,1,95,1000,1,1,a,a\n"
		"4,0,0,700,1000,2,2,b,b\n";
	static const int style[] = { 0, 1 };
	struct pt_timeline t;
	struct pt_box *b;
	size_t n;
	struct diag err;
	double ns[2];
	int order[2];

	ck_assert_int_eq(tl(&t, csv, &err), 0);
	ck_assert_int_eq(t.ncpu, 2);
	ck_assert_int_eq(t.cpu[0].cpu, 4);
	ck_assert_int_eq(t.nllc, 2);
	ck_assert_int_eq(t.llc_node[1], 1);
	ck_assert_int_eq(pt_boxes(&t, 0, 1000, 100, style, 2, &b, &n), 0);
	ck_assert_uint_eq(n, 4);
	/* sorted by style (a = 0), row, start */
	ck_assert(b[0].style == 0 && b[0].row == 0 && b[0].start == 0 && b[0].end == 600);
	ck_assert(b[1].style == 0 && b[1].row == 1 && b[1].start == 95 && b[1].end == 1000);
	ck_assert(b[2].style == 1 && b[2].row == 0 && b[2].start == 700 && b[2].end == 1000);
	ck_assert(b[3].style == 1 && b[3].row == 1 && b[3].start == 0 && b[3].end == 95);
	free(b);
	pt_runtime(&t, 0, 1000, ns, order);
	near(ns[0], 300 + 295 + 905);
	near(ns[1], 3 + 95 + 300);
	ck_assert_int_eq(order[0], 0);
	pt_free(&t);
}
END_TEST

START_TEST(test_occupancy)
{
	/* a: 0-150 on llc 0, 150-250 on llc 1; bins of 100 */
	static const char csv[] = TLHEAD
		"0,0,0,0,150,1,1,a,a\n"
		"2,1,0,150,250,1,1,a,a\n"
		"0,0,0,150,200,2,2,b,b\n";
	struct pt_timeline t;
	struct diag err;
	double *ns;
	int nb;

	ck_assert_int_eq(tl(&t, csv, &err), 0);
	ck_assert_int_eq(pt_occupancy(&t, pt_proc_find(&t, "a"), 0, 250, 100, &ns, &nb), 0);
	ck_assert_int_eq(nb, 3);
	near(ns[0], 100);
	near(ns[1], 0);
	near(ns[2], 50);
	near(ns[3], 50);
	near(ns[4], 0);
	near(ns[5], 50);   /* the last bin is 200-250 */
	free(ns);
	pt_free(&t);
}
END_TEST

START_TEST(test_timeline_errors)
{
	struct pt_timeline t;
	struct diag err;

	ck_assert_int_eq(tl(&t, TLHEAD "0,0,0,0,10,1,1,a,a\n0,1,0,10,20,1,1,a,a\n", &err), -1);
	ck_assert_msg(strstr(err.msg, "t.csv:3: cpu 0 is on llc 1 node 0 here, on llc 0 node 0 before"), "%s",
		      err.msg);
	pt_free(&t);
	ck_assert_int_eq(tl(&t, TLHEAD "0,0,0,0,10,1,1,a,a\n0,0,0,5,20,1,1,b,b\n", &err), -1);
	ck_assert_msg(strstr(err.msg, "t.csv:3: slice overlaps the one on line 2 on cpu 0"), "%s", err.msg);
	pt_free(&t);
	ck_assert_int_eq(tl(&t, "cpu,llc,start_ns,end_ns,process\n", &err), -1);
	ck_assert_msg(strstr(err.msg, "t.csv:1: header has no 'node' column"), "%s", err.msg);
	pt_free(&t);
	ck_assert_int_eq(tl(&t, TLHEAD "0,0,0,-1,10,1,1,a,a\n", &err), -1);
	ck_assert_msg(strstr(err.msg, "t.csv:2: field 'start_ns': '-1' is not an integer"), "%s", err.msg);
	pt_free(&t);
}
END_TEST

static Suite *plotdata_suite(void)
{
	Suite *s = suite_create("plotdata");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_csv_quoting);
	tcase_add_test(tc, test_csv_errors);
	tcase_add_test(tc, test_metric_dir);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_lines_checks);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_heatmap);
	tcase_add_test(tc, test_boxes);
	tcase_add_test(tc, test_occupancy);
	tcase_add_test(tc, test_timeline_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plotdata_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
