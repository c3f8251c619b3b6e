/*
 * The values of cassim sweep --emit-slurm's options, checked as sbatch(1)
 * reads them (a bad value is refused here, not by sbatch on the cluster),
 * and Slurm's --array ranges.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "study/sweep.h"

#define SLURM_ARRAY_LIMIT 4000001 /* Slurm's largest MaxArraySize */

void sweep_slurm_defaults(struct sweep_slurm_opts *o)
{
	*o = (struct sweep_slurm_opts){
		.time = SWEEP_SLURM_TIME,
		.mem = SWEEP_SLURM_MEM,
		.max_array_size = SWEEP_SLURM_MAX_ARRAY,
		.max_running = SWEEP_SLURM_MAX_RUNNING,
		.jobs_per_task = 1,
	};
}

/* A decimal integer lo..hi into *out. */
static bool count_ok(const char *s, long lo, long hi, int *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* Up to @max colon-separated decimal fields into @f; the count, or -1.
 * Fields after the first are below 60 (minutes, seconds). */
static int clock_fields(const char *s, long *f, int max)
{
	int n = 0;

	for (;;) {
		char *end;

		if (n == max || !isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		f[n] = strtol(s, &end, 10);
		if (errno || f[n] > 1000000 || (n && f[n] >= 60))
			return -1;
		n++;
		if (!*end)
			return n;
		if (*end != ':')
			return -1;
		s = end + 1;
	}
}

/*
 * Slurm's --time forms (sbatch(1)): M, M:S, H:M:S, D-H, D-H:M, D-H:M:S;
 * not 0 or UNLIMITED (no limit: a job that cannot be scheduled around).
 */
bool sweep_slurm_time_ok(const char *s)
{
	long f[3], days = 0, secs;
	const char *dash = strchr(s, '-');
	int n;

	if (dash) {
		char *end;
		if (!isdigit((unsigned char)*s))
			return false;
		days = strtol(s, &end, 10);
		if (end != dash || days > 100000)
			return false;
		n = clock_fields(dash + 1, f, 3);
		if (n < 1 || f[0] >= 24)
			return false;
		secs = days * 86400 + f[0] * 3600 + (n > 1 ? f[1] * 60 : 0) + (n > 2 ? f[2] : 0);
	} else {
		n = clock_fields(s, f, 3);
		if (n < 1)
			return false;
		secs = n == 3 ? f[0] * 3600 + f[1] * 60 + f[2] : f[0] * 60 + (n > 1 ? f[1] : 0);
	}
	return secs > 0;
}

/* Slurm's --mem: a positive integer, megabytes or with a K, M, G or T
 * suffix; not 0 (every node's whole memory). */
bool sweep_slurm_mem_ok(const char *s)
{
	size_t d = strspn(s, "0123456789");

	return d && d <= 12 && strspn(s, "0") < d && (!s[d] || (strchr("KMGT", s[d]) && !s[d + 1]));
}

/* One partition name or a comma-separated list of them. */
static bool partition_ok(const char *s)
{
	static const char name[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

	for (;;) {
		size_t n = strspn(s, name);
		if (!n)
			return false;
		s += n;
		if (!*s)
			return true;
		if (*s++ != ',')
			return false;
	}
}

bool sweep_slurm_word_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '\'' || *s == '\\' || *s == 0x7f)
			return false;
	return true;
}

/* --output: an sbatch filename pattern whose directory exists (Slurm does
 * not create it, and a task that cannot open its output fails unseen). */
static int output_check(const char *s, struct diag *err)
{
	const char *slash = strrchr(s, '/');
	char dir[PATH_MAX];
	struct stat st;

	if (!*s || !sweep_slurm_word_ok(s) || (slash && !slash[1]))
		return diag_set(err, "--output %s: expected a file name pattern (%%A job, %%a task, %%x name; "
				"no blanks or quotes)", s);
	if (!slash || memchr(s, '%', (size_t)(slash - s)))
		return 0;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - s + 1), s);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return diag_set(err, "--output %s: no directory %s (Slurm does not create it)", s, dir);
	return 0;
}

int sweep_slurm_option(struct sweep_slurm_opts *o, const char *name, const char *value, struct diag *err)
{
	if (!strcmp(name, "time")) {
		if (!sweep_slurm_time_ok(value))
			return diag_set(err, "--time %s: expected a positive Slurm time limit "
					"(MINUTES, H:MM:SS or DAYS-HH[:MM[:SS]], e.g. 30 or 2:00:00)", value);
		o->time = value;
	} else if (!strcmp(name, "mem")) {
		if (!sweep_slurm_mem_ok(value))
			return diag_set(err, "--mem %s: expected a positive size in MB or with K, M, G or T (e.g. 500M, 2G)",
					value);
		o->mem = value;
	} else if (!strcmp(name, "partition")) {
		if (!partition_ok(value))
			return diag_set(err, "--partition %s: expected a partition name or a comma-separated list of them",
					value);
		o->partition = value;
	} else if (!strcmp(name, "output")) {
		if (output_check(value, err))
			return -1;
		o->output = value;
	} else if (!strcmp(name, "max-array-size")) {
		if (!count_ok(value, 1, SLURM_ARRAY_LIMIT, &o->max_array_size))
			return diag_set(err, "--max-array-size %s: expected an integer 1..%d (the cluster's MaxArraySize, "
					"scontrol show config)", value, SLURM_ARRAY_LIMIT);
	} else if (!strcmp(name, "max-running")) {
		if (!count_ok(value, 0, SLURM_ARRAY_LIMIT, &o->max_running))
			return diag_set(err, "--max-running %s: expected an integer 0..%d (0: no throttle)", value,
					SLURM_ARRAY_LIMIT);
	} else if (!strcmp(name, "jobs-per-task")) {
		if (!count_ok(value, 1, 1000000, &o->jobs_per_task))
			return diag_set(err, "--jobs-per-task %s: expected an integer 1..1000000", value);
	} else {
		return diag_set(err, "--%s: not a Slurm option", name);
	}
	return 0;
}

size_t sweep_slurm_ranges(const bool *set, int n, char *buf, size_t len)
{
	size_t m = 0;

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		char one[32];
		int j = i;

		if (!set[i])
			continue;
		while (j + 1 < n && set[j + 1])
			j++;
		if (j == i)
			snprintf(one, sizeof(one), "%s%d", m ? "," : "", i);
		else
			snprintf(one, sizeof(one), "%s%d-%d", m ? "," : "", i, j);
		if (m + strlen(one) < len)
			memcpy(buf + m, one, strlen(one) + 1);
		m += strlen(one);
		i = j;
	}
	return m;
}
