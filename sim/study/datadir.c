/*
 * Where shipped data (topologies, workloads, plots, papers) is found: a
 * service of the study layer, which loads topologies and workloads by name,
 * and of the verbs that list them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "study/study.h"

#ifndef CASSIM_DATADIR
#define CASSIM_DATADIR "/usr/local/share/cassim"
#endif

void study_errorf(const struct study_io *io, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	io->error(msg);
}

const char *const *study_data_dirs(const char *sub)
{
	static char bufs[4][PATH_MAX];
	static const char *dirs[5];
	const char *env = getenv("CASSIM_DATADIR");
	char exe[PATH_MAX - 32];
	ssize_t n;
	int k = 0;

	if (env && *env)
		snprintf(bufs[k], sizeof(bufs[k]), "%s/%s", env, sub), dirs[k] = bufs[k], k++;
	snprintf(bufs[k], sizeof(bufs[k]), "%s", sub), dirs[k] = bufs[k], k++;
	/* next to the binary: an uninstalled build run from anywhere */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(bufs[k], sizeof(bufs[k]), "%s/%s", exe, sub), dirs[k] = bufs[k], k++;
		}
	}
	snprintf(bufs[k], sizeof(bufs[k]), "%s/%s", CASSIM_DATADIR, sub), dirs[k] = bufs[k], k++;
	dirs[k] = NULL;
	return dirs;
}
