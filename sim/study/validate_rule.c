/*
 * cassim validate: the agreement rule (see validate_rule.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "study/validate_rule.h"

bool vr_scored(double published)
{
	return fabs(published) < 3 || fabs(published) >= 5;
}

struct vr_score vr_score(double published, double sim, double ci)
{
	struct vr_score s = { VR_NOT_SCORED, false, false, "" };
	double p = fabs(published), m = fabs(sim);

	if (!vr_scored(published))
		return s;
	s.cls = VR_MISS;
	if (p < 3) {
		/* neutral rows: the size of the change is the claim; a CI is not asked for */
		if (isfinite(sim) && m <= 5)
			s.cls = VR_AGREE;
		else
			s.why = "outside +-5 %";
		return s;
	}
	/* The order is the order a reviewer asks in: did it predict a direction
	 * at all, the right one, and of a sensible size? */
	if (!isfinite(sim) || !isfinite(ci))
		s.why = "no CI (fewer than 2 seeds)";
	else if (m <= ci)
		s.why = "CI includes 0";
	else if ((sim > 0) != (published > 0))
		s.why = "opposite sign";
	else if (m * 10 < p || m > p * 10)
		s.why = "size off by more than 10x";
	else {
		s.cls = VR_AGREE;
		s.within_10x = true;
		s.within_2x = m * 2 >= p && m <= p * 2;
	}
	return s;
}
