/*
 * Option values shared by the verbs (issue 13: one helper instead of a
 * parser per verb): an integer in a range, with the one-line error every
 * verb prints the same way.
 */
#ifndef CASSIM_CMD_OPT_H
#define CASSIM_CMD_OPT_H

/* @arg, the value of option @opt, as a decimal integer in [@min, @max]
 * (digits only: no sign, no spaces): 0 with *@out set, or -1 after printing
 * "OPT ARG: expected an integer MIN..MAX" and @what (e.g. " (runs per
 * policy)", or ""). */
int cmd_opt_int(const char *opt, const char *arg, long long min, long long max, const char *what,
		long long *out);

#endif
