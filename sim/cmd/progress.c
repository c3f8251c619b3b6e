/*
 * A batch's progress on standard error (see progress.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <unistd.h>

#include "base/diag.h"
#include "cmd/progress.h"

static void line(struct cmd_progress *p, int done, int total, bool final)
{
	char el[32], eta[32];
	double e = jobs_now_s() - p->t0;

	jobs_fmt_time(el, sizeof(el), e);
	if (done >= total)
		snprintf(eta, sizeof(eta), "done");
	else if (done == 0)
		snprintf(eta, sizeof(eta), "ETA --:--");
	else {
		char t[24];
		jobs_fmt_time(t, sizeof(t), e / done * (total - done));
		snprintf(eta, sizeof(eta), "ETA %s", t);
	}
	fprintf(stderr, "%s%s: %d/%d runs, %s elapsed, %s%s", p->tty ? "\r" : "", p->label,
		done, total, el, eta, p->tty ? "\033[K" : "\n");
	if (p->tty && final)
		fputc('\n', stderr);
	fflush(stderr);
	p->last_draw = jobs_now_s();
}

/* After a job finished (or on a timer tick with @tick): redraw on a
 * terminal at most every second, print a line per 10% otherwise. */
static void update(void *arg, int done, int total, bool tick)
{
	struct cmd_progress *p = arg;

	if (!p->on)
		return;
	if (p->tty) {
		if (done >= total)
			line(p, done, total, true);
		else if (!tick || jobs_now_s() - p->last_draw >= 1.0)
			line(p, done, total, false);
		return;
	}
	if (tick)
		return;
	if (done * 10 / total > p->last_decile || done == total) {
		p->last_decile = done * 10 / total;
		line(p, done, total, false);
	}
}

static void clear(void *arg)
{
	struct cmd_progress *p = arg;

	if (p->on && p->tty) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

static void interrupted(void *arg, int done, int total, const char *note)
{
	(void)arg;
	diag_line(stderr, "cassim: ", "interrupted after %d of %d runs; %s", done, total, note);
	fflush(stderr);
}

const struct jobs_display *cmd_progress(struct cmd_progress *p, const char *label, bool on)
{
	*p = (struct cmd_progress){
		.d = { update, clear, interrupted, p },
		.label = label,
		.on = on,
		.tty = on && isatty(STDERR_FILENO),
		.t0 = jobs_now_s(),
	};
	return &p->d;
}
