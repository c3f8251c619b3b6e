/*
 * Option values shared by the verbs (see opt.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/param.h"
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

int cmd_opt_ints(const char *opt, const char *arg, int n, long long min, long long max, const char *what,
		 long long *out)
{
	const char *p = arg;

	for (int i = 0; i < n; i++) {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(p, &end, 10);
		if (!isdigit((unsigned char)p[0]) || errno || v > (unsigned long long)max || (long long)v < min ||
		    *end != (i + 1 < n ? ',' : '\0')) {
			cmd_errorf("%s %s: expected %s, each %lld..%lld", opt, arg, what, min, max);
			return -1;
		}
		out[i] = (long long)v;
		p = end + 1;
	}
	return 0;
}

int cmd_opt_double(const char *opt, const char *arg, double min, double max, const char *what, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (!*arg || *end || errno || !(v > min) || v > max) {
		cmd_errorf("%s %s: expected a number > %g%s", opt, arg, min, what);
		return -1;
	}
	*out = v;
	return 0;
}

int cmd_opt_time(const char *opt, const char *arg, double bare_unit_ns, bool positive, const char *what,
		 simtime_t *out)
{
	simtime_t v;

	if (parse_duration(arg, bare_unit_ns, &v) || (positive && v <= 0)) {
		cmd_errorf("%s %s: expected a %stime such as 500ms or 2s%s", opt, arg, positive ? "positive " : "", what);
		return -1;
	}
	*out = v;
	return 0;
}

int cmd_opt_keyvalue(const char *opt, const char *arg, char *key, size_t cap, const char **value)
{
	const char *eq = strchr(arg, '=');
	size_t kl = eq ? (size_t)(eq - arg) : 0;

	if (!eq || !kl || kl >= cap) {
		cmd_errorf("%s %s: expected KEY=VALUE", opt, arg);
		return -1;
	}
	memcpy(key, arg, kl);
	key[kl] = '\0';
	*value = eq + 1;
	return 0;
}
