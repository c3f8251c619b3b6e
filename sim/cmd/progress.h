/*
 * A batch's progress on standard error (struct jobs_display for the worker
 * pool): "LABEL: D/N runs, MM:SS elapsed, ETA MM:SS", redrawn in place at
 * most every second on a terminal, a line per 10 % otherwise; and the
 * "interrupted after D of N runs; NOTE" line when a signal ends the batch.
 */
#ifndef CASSIM_CMD_PROGRESS_H
#define CASSIM_CMD_PROGRESS_H

#include <stdbool.h>

#include "study/jobs.h"

struct cmd_progress {
	struct jobs_display d;
	const char *label;
	bool on, tty;
	int last_decile;
	double t0, last_draw;
};

/* @p set up for a batch that starts now, labelled @label ("compare", ...);
 * with @on false only the interruption line is printed.  Returns &p->d. */
const struct jobs_display *cmd_progress(struct cmd_progress *p, const char *label, bool on);

#endif
