/*
 * Unit tests for sim/base/param.c: durations, the --set parser and the
 * parameter table, against the real scheduler table (sim/sched/params.h)
 * and a small local one covering every type.
 */
#include <check.h>
#include <string.h>

#include "base/diag.h"
#include "base/param.h"
#include "sched/params.h"

/* ---- parse_duration ----------------------------------------------------- */

/* parse @s, expecting success with value @want */
static void dur_ok(const char *s, double bare, simtime_t want)
{
	simtime_t t = -12345;

	ck_assert_msg(parse_duration(s, bare, &t) == 0, "parse_duration(\"%s\") failed", s);
	ck_assert_msg(t == want, "parse_duration(\"%s\") = %lld, expected %lld", s, (long long)t,
		      (long long)want);
}

/* parse @s, expecting an error and @out left alone */
static void dur_bad(const char *s, double bare)
{
	simtime_t t = -12345;

	ck_assert_msg(parse_duration(s, bare, &t) == -1, "parse_duration(\"%s\") accepted: %lld", s,
		      (long long)t);
	ck_assert_msg(t == -12345, "parse_duration(\"%s\") wrote %lld on error", s, (long long)t);
}

START_TEST(test_duration_units)
{
	dur_ok("2s", 1, 2 * NSEC_PER_SEC);
	dur_ok("1.5ms", 1, 1500000);
	dur_ok("500us", 1, 500000);
	dur_ok("100ns", 1, 100);
	dur_ok("0s", 1, 0);
	dur_ok("0", 1, 0);
	dur_ok("1.5us", 1, 1500);
	dur_ok("0.25s", 1, 250000000);
	dur_ok("2.5ns", 1, 3); /* rounded to a whole ns */
	dur_ok("1e3us", 1, 1000000);
	/* the largest accepted are ~292 years */
	dur_ok("9000000000s", 1, 9000000000LL * NSEC_PER_SEC);
}
END_TEST

START_TEST(test_duration_bare_unit)
{
	dur_ok("5", 1, 5);
	dur_ok("5", NSEC_PER_USEC, 5000);
	dur_ok("5", NSEC_PER_SEC, 5 * NSEC_PER_SEC);
	dur_ok("1.5", NSEC_PER_MSEC, 1500000);
	/* a suffix wins over the bare unit */
	dur_ok("5ms", NSEC_PER_SEC, 5 * NSEC_PER_MSEC);
	dur_ok("5ns", NSEC_PER_SEC, 5);
}
END_TEST

START_TEST(test_duration_rejects)
{
	dur_bad("-1s", 1);
	dur_bad("-1", 1);
	dur_bad("-0.5ms", 1);
	dur_bad("abc", 1);
	dur_bad("1x", 1);
	dur_bad("1msx", 1);
	dur_bad("1 ms", 1);
	dur_bad("1S", 1);
	dur_bad("ms", 1);
	dur_bad("", 1);
	dur_bad("nan", 1);
	dur_bad("nans", 1);
	dur_bad("inf", 1);
	dur_bad("infs", 1);
	dur_bad("1e30s", 1);
	dur_bad("10000000000s", 1);       /* 1e19 ns > INT64_MAX */
	dur_bad("1e300", NSEC_PER_SEC);
	dur_bad("1e999", 1);              /* strtod overflow */
	dur_bad("10000000000", NSEC_PER_SEC);
}
END_TEST

/* ---- the real scheduler table ------------------------------------------ */

/* Every field of two configs equal (compared through the table, so struct
 * padding does not matter). */
static bool same_cfg(const struct param_def *tab, size_t n, const void *a, const void *b)
{
	for (size_t i = 0; i < n; i++)
		if (param_get(&tab[i], a) != param_get(&tab[i], b))
			return false;
	return true;
}

static const struct param_def *sched(const char *name)
{
	const struct param_def *d = param_find(sched_param_defs, sched_nr_param_defs, name);

	ck_assert_msg(d != NULL, "no scheduler tunable %s", name);
	ck_assert_str_eq(d->name, name);
	return d;
}

/* --set NAME=VAL must fail on @p, leave @p unchanged, and say which key */
static void sched_bad(const char *name, const char *val, const char *why)
{
	struct sched_params p, before;
	struct diag err = { { 0 } };

	sched_params_defaults(&p);
	before = p;
	ck_assert_msg(param_set(sched(name), val, &p, &err) == -1, "--set %s=%s accepted", name, val);
	ck_assert_msg(same_cfg(sched_param_defs, sched_nr_param_defs, &p, &before), "--set %s=%s changed the config", name, val);
	ck_assert_msg(strstr(err.msg, name), "message does not name %s: %s", name, err.msg);
	ck_assert_msg(strstr(err.msg, val), "message does not quote %s: %s", val, err.msg);
	ck_assert_msg(strstr(err.msg, why), "message for %s=%s lacks \"%s\": %s", name, val, why,
		      err.msg);
	ck_assert_ptr_null(strchr(err.msg, '\n'));
}

START_TEST(test_sched_table)
{
	struct sched_params p;

	ck_assert_uint_gt(sched_nr_param_defs, 10);
	/* names are unique, defaults in range, every entry documented */
	for (size_t i = 0; i < sched_nr_param_defs; i++) {
		const struct param_def *d = &sched_param_defs[i];
		ck_assert_ptr_eq(param_find(sched_param_defs, sched_nr_param_defs, d->name), d);
		ck_assert_msg(d->def >= d->min && d->def <= d->max, "%s: default out of range", d->name);
		ck_assert_msg(d->help && *d->help, "%s: no help", d->name);
		ck_assert_ptr_nonnull(d->unit);
	}
	ck_assert_int_eq(sched("hz")->type, PARAM_INT);
	ck_assert_int_eq(sched("migration_cost_ns")->type, PARAM_TIME);
	ck_assert_int_eq(sched("base_slice_ns")->type, PARAM_TIME);
	ck_assert_int_eq(sched("nohz")->type, PARAM_BOOL);
	ck_assert(sched("hz")->min == 100 && sched("hz")->max == 1000);

	sched_params_defaults(&p);
	ck_assert_int_eq(p.hz, 1000);
	ck_assert_int_eq(p.base_slice_ns, 700000);
	ck_assert_int_eq(p.migration_cost_ns, 500000);
	ck_assert_int_eq(p.nr_migrate, 32);
	ck_assert(p.nohz);
	ck_assert(param_get(sched("hz"), &p) == 1000);
	ck_assert(param_get(sched("migration_cost_ns"), &p) == 500000);
}
END_TEST

START_TEST(test_find_unknown)
{
	ck_assert_ptr_null(param_find(sched_param_defs, sched_nr_param_defs, "nosuchkey"));
	ck_assert_ptr_null(param_find(sched_param_defs, sched_nr_param_defs, ""));
	ck_assert_ptr_null(param_find(sched_param_defs, sched_nr_param_defs, "h"));   /* prefix */
	ck_assert_ptr_null(param_find(sched_param_defs, sched_nr_param_defs, "hzz"));
	ck_assert_ptr_null(param_find(sched_param_defs, sched_nr_param_defs, "HZ"));  /* exact case */
	ck_assert_ptr_null(param_find(sched_param_defs, 0, "hz"));
}
END_TEST

START_TEST(test_set_int)
{
	struct sched_params p;
	struct diag err = { { 0 } };
	char buf[64];

	sched_params_defaults(&p);
	ck_assert_int_eq(param_set(sched("hz"), "250", &p, &err), 0);
	ck_assert_int_eq(p.hz, 250);
	ck_assert_str_eq(param_format(sched("hz"), &p, buf, sizeof(buf)), "250");
	ck_assert_int_eq(param_set(sched("hz"), "100", &p, &err), 0); /* bounds inclusive */
	ck_assert_int_eq(p.hz, 100);
	ck_assert_int_eq(param_set(sched("hz"), "1000", &p, &err), 0);
	ck_assert_int_eq(p.hz, 1000);
	ck_assert_int_eq(param_set(sched("nr_migrate"), "1024", &p, &err), 0);
	ck_assert_int_eq(p.nr_migrate, 1024);
	/* other fields untouched */
	ck_assert_int_eq(p.base_slice_ns, 700000);

	sched_bad("hz", "7", "out of range");
	sched_bad("hz", "99", "out of range");
	sched_bad("hz", "1001", "out of range");
	sched_bad("hz", "-250", "out of range");
	sched_bad("hz", "abc", "not a number");
	sched_bad("hz", "250abc", "not a number");
	sched_bad("hz", "nan", "not a number");
	sched_bad("hz", "inf", "not a number");
	sched_bad("hz", "250.5", "not an integer");
	sched_bad("nr_migrate", "0", "out of range");
	sched_bad("nr_migrate", "1e300", "out of range");

	/* the empty value */
	struct sched_params q;
	sched_params_defaults(&q);
	ck_assert_int_eq(param_set(sched("hz"), "", &q, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "hz"));
	ck_assert_int_eq(q.hz, 1000);

	/* the range in the message is the table's */
	sched_params_defaults(&q);
	param_set(sched("hz"), "7", &q, &err);
	ck_assert_msg(strstr(err.msg, "100..1000"), "%s", err.msg);
}
END_TEST

START_TEST(test_set_bool)
{
	static const char *const yes[] = { "1", "true", "on", "yes", "TRUE", "On" };
	static const char *const no[] = { "0", "false", "off", "no", "FALSE", "Off" };
	struct sched_params p;
	struct diag err = { { 0 } };
	char buf[16];

	sched_params_defaults(&p);
	for (size_t i = 0; i < ARRAY_SIZE(no); i++) {
		p.nohz = true;
		ck_assert_msg(param_set(sched("nohz"), no[i], &p, &err) == 0, "nohz=%s: %s", no[i],
			      err.msg);
		ck_assert_msg(!p.nohz, "nohz=%s", no[i]);
		ck_assert_str_eq(param_format(sched("nohz"), &p, buf, sizeof(buf)), "0");
	}
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		p.nohz = false;
		ck_assert_msg(param_set(sched("nohz"), yes[i], &p, &err) == 0, "nohz=%s: %s", yes[i],
			      err.msg);
		ck_assert_msg(p.nohz, "nohz=%s", yes[i]);
		ck_assert_str_eq(param_format(sched("nohz"), &p, buf, sizeof(buf)), "1");
	}
	sched_bad("nohz", "2", "not a boolean");
	sched_bad("nohz", "maybe", "not a boolean");
	sched_bad("nohz", "", "not a boolean");
	sched_bad("sis_util", "-1", "not a boolean");
}
END_TEST

START_TEST(test_set_time)
{
	struct sched_params p;
	struct diag err = { { 0 } };
	char buf[64];

	sched_params_defaults(&p);
	ck_assert_int_eq(param_set(sched("migration_cost_ns"), "1ms", &p, &err), 0);
	ck_assert_int_eq(p.migration_cost_ns, 1000000);
	ck_assert_str_eq(param_format(sched("migration_cost_ns"), &p, buf, sizeof(buf)), "1000000");
	/* a bare number is ns for a time tunable */
	ck_assert_int_eq(param_set(sched("migration_cost_ns"), "250", &p, &err), 0);
	ck_assert_int_eq(p.migration_cost_ns, 250);
	ck_assert_int_eq(param_set(sched("migration_cost_ns"), "0", &p, &err), 0); /* min 0 */
	ck_assert_int_eq(p.migration_cost_ns, 0);
	ck_assert_int_eq(param_set(sched("migration_cost_ns"), "100ms", &p, &err), 0); /* max */
	ck_assert_int_eq(p.migration_cost_ns, 100000000);
	ck_assert_int_eq(param_set(sched("base_slice_ns"), "3.5ms", &p, &err), 0);
	ck_assert_int_eq(p.base_slice_ns, 3500000);
	ck_assert_int_eq(param_set(sched("wait_watch_ns"), "10s", &p, &err), 0);
	ck_assert_int_eq(p.wait_watch_ns, 10 * NSEC_PER_SEC);

	sched_bad("migration_cost_ns", "-1", "not a duration");
	sched_bad("migration_cost_ns", "-1ms", "not a duration");
	sched_bad("migration_cost_ns", "abc", "not a duration");
	sched_bad("migration_cost_ns", "1x", "not a duration");
	sched_bad("migration_cost_ns", "nan", "not a duration");
	sched_bad("migration_cost_ns", "200ms", "out of range");
	sched_bad("base_slice_ns", "99us", "out of range");
	sched_bad("wait_watch_ns", "11s", "out of range");
}
END_TEST

/* ---- a local table with every type ------------------------------------- */

struct local_cfg {
	int64_t count;
	bool flag;
	simtime_t period;
	double ratio;
};

static const struct param_def local_defs[] = {
	{ "count", PARAM_INT, offsetof(struct local_cfg, count), 4, -10, 10, "", "an int" },
	{ "flag", PARAM_BOOL, offsetof(struct local_cfg, flag), 0, 0, 1, "", "a bool" },
	{ "period", PARAM_TIME, offsetof(struct local_cfg, period), 1e6, 1e3, 1e9, "ns", "a time" },
	{ "ratio", PARAM_DOUBLE, offsetof(struct local_cfg, ratio), 0.25, 0, 1, "", "a double" },
};

static void local_bad(const char *name, const char *val, const char *why)
{
	const struct param_def *d = param_find(local_defs, ARRAY_SIZE(local_defs), name);
	struct local_cfg c, before;
	struct diag err = { { 0 } };

	ck_assert_ptr_nonnull(d);
	memset(&c, 0, sizeof(c));
	param_defaults(local_defs, ARRAY_SIZE(local_defs), &c);
	before = c;
	ck_assert_msg(param_set(d, val, &c, &err) == -1, "--set %s=%s accepted", name, val);
	ck_assert_msg(same_cfg(local_defs, ARRAY_SIZE(local_defs), &c, &before), "--set %s=%s changed the config", name, val);
	ck_assert_msg(strstr(err.msg, name), "message does not name %s: %s", name, err.msg);
	ck_assert_msg(strstr(err.msg, why), "message for %s=%s lacks \"%s\": %s", name, val, why,
		      err.msg);
}

START_TEST(test_local_table)
{
	const size_t n = ARRAY_SIZE(local_defs);
	struct local_cfg c;
	struct diag err = { { 0 } };
	char buf[64];

	memset(&c, 0, sizeof(c));
	param_defaults(local_defs, n, &c);
	ck_assert_int_eq(c.count, 4);
	ck_assert(!c.flag);
	ck_assert_int_eq(c.period, 1000000);
	ck_assert(c.ratio == 0.25);
	ck_assert_ptr_eq(param_find(local_defs, n, "ratio"), &local_defs[3]);
	ck_assert_ptr_null(param_find(local_defs, n, "hz"));

	ck_assert_int_eq(param_set(&local_defs[0], "-10", &c, &err), 0); /* negative min */
	ck_assert_int_eq(c.count, -10);
	ck_assert_str_eq(param_format(&local_defs[0], &c, buf, sizeof(buf)), "-10");
	ck_assert_int_eq(param_set(&local_defs[1], "yes", &c, &err), 0);
	ck_assert(c.flag);
	ck_assert_int_eq(param_set(&local_defs[2], "2us", &c, &err), 0);
	ck_assert_int_eq(c.period, 2000);
	ck_assert_int_eq(param_set(&local_defs[3], "0.5", &c, &err), 0);
	ck_assert(c.ratio == 0.5);
	ck_assert(param_get(&local_defs[3], &c) == 0.5);
	ck_assert_str_eq(param_format(&local_defs[3], &c, buf, sizeof(buf)), "0.5");
	ck_assert_int_eq(param_set(&local_defs[3], "1", &c, &err), 0);
	ck_assert(c.ratio == 1.0);
	ck_assert_int_eq(param_set(&local_defs[3], "1e-3", &c, &err), 0);
	ck_assert(c.ratio == 1e-3);

	local_bad("count", "11", "out of range");
	local_bad("count", "-11", "out of range");
	local_bad("count", "1.5", "not an integer");
	local_bad("count", "x", "not a number");
	local_bad("flag", "2", "not a boolean");
	local_bad("period", "999ns", "out of range");
	local_bad("period", "2s", "out of range");
	local_bad("period", "fast", "not a duration");
	local_bad("ratio", "1.5", "out of range");
	local_bad("ratio", "-0.1", "out of range");
	local_bad("ratio", "half", "not a number");
	local_bad("ratio", "0.5x", "not a number");
	local_bad("ratio", "nan", "not a number");
	local_bad("ratio", "inf", "not a number");
	local_bad("ratio", "1e999", "not a number");
	local_bad("ratio", "", "not a number");
}
END_TEST

/* Diagnostics stay one line of plain text (base/diag.c). */
START_TEST(test_diag_escape)
{
	char out[64];

	diag_escape(out, sizeof(out), "a\033[31mb\r\n\t\x1c\x7f");
	ck_assert_str_eq(out, "a\\x1b[31mb\\r\\n\\t\\x1c\\x7f");
	/* well-formed UTF-8 stays; C1 controls, stray and overlong bytes do not */
	diag_escape(out, sizeof(out), "caf\xc3\xa9 \xc2\x9b \xff \xc0\xaf \xe2\x82");
	ck_assert_str_eq(out, "caf\xc3\xa9 \\xc2\\x9b \\xff \\xc0\\xaf \\xe2\\x82");
	diag_escape(out, sizeof(out), "\xed\xa0\x80\xf4\x90\x80\x80");  /* a surrogate, > U+10FFFF */
	ck_assert_str_eq(out, "\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80");
	/* cut before an escape that does not fit, never inside it */
	ck_assert_uint_eq(diag_escape(out, 6, "abc\033"), 3);
	ck_assert_str_eq(out, "abc");
}
END_TEST

static Suite *param_suite(void)
{
	Suite *s = suite_create("param");
	TCase *tc;

	tc = tcase_create("duration");
	tcase_add_test(tc, test_duration_units);
	tcase_add_test(tc, test_duration_bare_unit);
	tcase_add_test(tc, test_duration_rejects);
	suite_add_tcase(s, tc);

	tc = tcase_create("set");
	tcase_add_test(tc, test_sched_table);
	tcase_add_test(tc, test_find_unknown);
	tcase_add_test(tc, test_set_int);
	tcase_add_test(tc, test_set_bool);
	tcase_add_test(tc, test_set_time);
	tcase_add_test(tc, test_local_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("diag");
	tcase_add_test(tc, test_diag_escape);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(param_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
