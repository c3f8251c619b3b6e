/*
 * The study layer (floor 5, ARCHITECTURE.md): experiments made of runs
 * (a run from a spec, the worker pool, compare, sweeps, the validation),
 * under the verbs of sim/cmd/, which parse options and print.  Nothing here
 * includes a cmd/ header: errors travel as struct diag, and the exit
 * statuses below are what a job's status and the verbs share.
 */
#ifndef CASSIM_STUDY_STUDY_H
#define CASSIM_STUDY_STUDY_H

#include <stdio.h>

/* Exit statuses: 0 success, 1 the run failed, 2 bad usage or input. */
#define EXIT_BADINPUT 2
/* An output (a file, a directory, standard output) cannot be written: found
 * before the work starts when possible, else at the end. */
#define EXIT_OUTPUT 1

/* What run, compare and list metrics simulate unless told otherwise. */
#define STUDY_DEFAULT_TOPOLOGY "epyc-9755-2s-nps1"
#define STUDY_DEFAULT_WORKLOAD "cpu-mix"

/* Directories searched for shipped data of kind @sub ("topologies",
 * "workloads", "plots"), NULL-terminated: $CASSIM_DATADIR/@sub if set,
 * ./@sub, the source tree's @sub (next to the binary, for uninstalled runs),
 * then the installed $(pkgdatadir)/@sub. */
const char *const *study_data_dirs(const char *sub);

/* Where a study that reports as it goes writes: @out its report (a verb's
 * standard output), @error one message per call (a verb prints it as
 * "cassim: error: MSG"), @note plain lines that belong under the last
 * message (a list of jobs, say). */
struct study_io {
	FILE *out;
	void (*error)(const char *msg);
	FILE *note;
};

/* @io->error with a printf-style message. */
void study_errorf(const struct study_io *io, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
