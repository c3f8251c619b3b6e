/*
 * Unit tests for the validation's agreement rule (sim/study/validate_rule.c,
 * the rule of ../shared/validation/published.md): each clause on a case
 * at and beyond its edge.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "study/validate_rule.h"
#include "harness.h"

static void expect(double pub, double sim, double ci, enum vr_class cls, bool w2, const char *why)
{
	struct vr_score s = vr_score(pub, sim, ci);

	ck_assert_msg(s.cls == cls, "pub %g sim %g ci %g: class %d, want %d", pub, sim, ci, s.cls, cls);
	ck_assert_msg(s.within_2x == w2, "pub %g sim %g ci %g: within_2x %d", pub, sim, ci, s.within_2x);
	ck_assert_str_eq(s.why, why);
}

START_TEST(test_signed_agree)
{
	expect(20, 15, 2, VR_AGREE, true, "");    /* same sign, CI excludes 0, within 2x */
	expect(20, 10, 2, VR_AGREE, true, "");    /* exactly half: within 2x */
	expect(20, 9.9, 2, VR_AGREE, false, "");  /* within 10x only */
	expect(-30, -60, 5, VR_AGREE, true, "");
	expect(-30, -3, 1, VR_AGREE, false, "");  /* exactly a tenth: still within 10x */
	expect(5, 0.6, 0.5, VR_AGREE, false, ""); /* |published| 5 is signed */
}
END_TEST

START_TEST(test_signed_miss)
{
	expect(20, 15, 15, VR_MISS, false, "CI includes 0");   /* the CI reaches 0 */
	expect(20, 15, 16, VR_MISS, false, "CI includes 0");
	expect(20, 0, 0, VR_MISS, false, "CI includes 0");     /* no change at all */
	expect(20, 15, NAN, VR_MISS, false, "no CI (fewer than 2 seeds)");
	expect(20, -15, 2, VR_MISS, false, "opposite sign");
	expect(-60, -0.8, 0.1, VR_MISS, false, "size off by more than 10x");
	expect(5, 51, 1, VR_MISS, false, "size off by more than 10x");
}
END_TEST

START_TEST(test_neutral_and_between)
{
	expect(1, 4.9, NAN, VR_AGREE, false, "");  /* neutral: no CI asked for */
	expect(-2.9, -5, 1, VR_AGREE, false, "");
	expect(2, 5.1, 0.1, VR_MISS, false, "outside +-5 %");
	expect(0, NAN, NAN, VR_MISS, false, "outside +-5 %");
	expect(3, 40, 1, VR_NOT_SCORED, false, "");
	expect(-4.9, 0, 0, VR_NOT_SCORED, false, "");
	ck_assert(vr_scored(2.99) && !vr_scored(3) && !vr_scored(-4.99) && vr_scored(5) && vr_scored(-60));
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("validate_rule", &tc, 10);

	tcase_add_test(tc, test_signed_agree);
	tcase_add_test(tc, test_signed_miss);
	tcase_add_test(tc, test_neutral_and_between);
	return harness_run(s);
}
