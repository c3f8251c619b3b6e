/*
 * Option values shared by the verbs (see opt.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"

int cmd_opt_int(const char *opt, const char *arg, long long min, long long max, const char *what,
		long long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (!isdigit((unsigned char)arg[0]) || *end || errno || v > (unsigned long long)max ||
	    (long long)v < min) {
		cmd_errorf("%s %s: expected an integer %lld..%lld%s", opt, arg, min, max, what);
		return -1;
	}
	*out = (long long)v;
	return 0;
}
