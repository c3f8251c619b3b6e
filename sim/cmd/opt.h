/*
 * Option values shared by the verbs (issue 13: one helper instead of a
 * parser per verb): an integer in a range, a list of them, a number, a
 * time, a KEY=VALUE pair, each with the one-line error every verb prints
 * the same way, "OPT ARG: expected ...".
 */
#ifndef CASSIM_CMD_OPT_H
#define CASSIM_CMD_OPT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/types.h"

/* @arg, the value of option @opt, as a decimal integer in [@min, @max]
 * (digits only: no sign, no spaces): 0 with *@out set, or -1 after printing
 * "OPT ARG: expected an integer MIN..MAX" and @what (e.g. " (runs per
 * policy)", or ""). */
int cmd_opt_int(const char *opt, const char *arg, long long min, long long max, const char *what,
		long long *out);

/* @arg as @n integers separated by commas, each in [@min, @max], into
 * @out[0..n-1]: 0, or -1 after "OPT ARG: expected WHAT, each MIN..MAX"
 * (@what e.g. "WIDTH,HEIGHT in pixels"). */
int cmd_opt_ints(const char *opt, const char *arg, int n, long long min, long long max, const char *what,
		 long long *out);

/* @arg as a finite number in (@min, @max]: 0 with *@out set, or -1 after
 * "OPT ARG: expected a number > MIN%s" and @what (e.g. " (e.g. 0.1)"). */
int cmd_opt_double(const char *opt, const char *arg, double min, double max, const char *what, double *out);

/* @arg as a time (parse_duration: "500ms", "2s"; a bare number counts in
 * @bare_unit_ns), > 0 if @positive: 0 with *@out set, or -1 after
 * "OPT ARG: expected a [positive ]time such as 500ms or 2s" and @what
 * (e.g. " (a bare number is ns)"). */
int cmd_opt_time(const char *opt, const char *arg, double bare_unit_ns, bool positive, const char *what,
		 simtime_t *out);

/* @arg as KEY=VALUE (--set): the key (non-empty, shorter than @cap) copied
 * into @key, *@value pointing into @arg after the '=': 0, or -1 after
 * "OPT ARG: expected KEY=VALUE". */
int cmd_opt_keyvalue(const char *opt, const char *arg, char *key, size_t cap, const char **value);

#endif
