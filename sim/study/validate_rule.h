/*
 * cassim validate: the agreement rule of ../shared/validation/published.md
 * (papers/validation/README.md restates it), as one pure function so that
 * the command, its reports and a unit test share it.
 *
 *   |published| >= 5 %: agree when the simulated change has the same sign
 *       AND its 95 % CI excludes 0 AND its size is within a factor of ten of
 *       the published size either way; "within 2x" when also within a
 *       factor of two;
 *   |published| < 3 % (the authors' "neutral"): agree when the simulated
 *       change is within +-5 %;
 *   in between: reported, not scored;
 *   a row that cannot be mapped or run is a scored miss (see vr_scored).
 */
#ifndef CASSIM_STUDY_VALIDATE_RULE_H
#define CASSIM_STUDY_VALIDATE_RULE_H

#include <stdbool.h>

enum vr_class {
	VR_AGREE,
	VR_MISS,
	VR_NOT_SCORED,  /* 3 % <= |published| < 5 % */
};

struct vr_score {
	enum vr_class cls;
	bool within_2x;   /* VR_AGREE of a signed row with the size within 2x */
	bool within_10x;  /* same sign, CI excludes 0, size within 10x */
	const char *why;  /* VR_MISS: "CI includes 0", "no CI (fewer than 2 seeds)",
			   * "opposite sign", "size off by more than 10x",
			   * "outside +-5 %"; "" otherwise */
};

/* The verdict for a row published at @published % whose simulated change is
 * @sim % +- @ci (the 95 % half-width; NAN with fewer than 2 seeds). */
struct vr_score vr_score(double published, double sim, double ci);

/* Whether a row published at @published % counts in the scored total
 * whatever became of it: an unmapped or failed row is a miss, unless
 * 3 % <= |published| < 5 %, which is never scored. */
bool vr_scored(double published);

#endif
