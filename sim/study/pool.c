/*
 * The worker pool: many jobs (run.c) in forked workers (jobs_run).
 *
 * A worker is a fork() of the caller that runs one job and writes
 * {"status": N, "error": "...", "result": {...}} to a pipe, then exits.
 * The parent polls the pipes, parses each answer into its job and starts
 * the next job; a worker that dies (signal, out of memory) loses its job
 * only.  A job's result depends on the job alone, so the batch is
 * deterministic whatever the number of workers or the order they finish
 * in.  jobs_run_cb hands each finished job to a callback in the parent, in
 * completion order (a sweep saves it there); jobs_run is the same loop
 * without one.  SIGINT, SIGTERM and SIGHUP are noted by a flag and acted
 * on between jobs, never inside a callback: the workers are killed and
 * reaped, and the process ends with the same signal.  What callbacks wrote
 * stays; a job in flight leaves nothing.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "study/jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/xalloc.h"
#include "study/study.h"

double jobs_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void jobs_fmt_time(char *buf, size_t len, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%02ld:%02ld", t / 60, t % 60);
}

/* The batch's display, NULL-safe. */
struct progress {
	const struct jobs_display *d;
	int total, done;
};

static void progress_update(struct progress *p, bool tick)
{
	if (p->d && p->d->update)
		p->d->update(p->d->arg, p->done, p->total, tick);
}

static void progress_clear(struct progress *p)
{
	if (p->d && p->d->clear)
		p->d->clear(p->d->arg);
}

/* ---- the worker pool ------------------------------------------------------ */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

struct slot {
	pid_t pid;    /* 0: free */
	int fd;       /* read end of the worker's pipe */
	int job;
	char *buf;
	size_t len, cap;
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* In the worker: run the job, send the answer, exit without running the
 * parent's atexit handlers or flushing its stdio buffers. */
static void __attribute__((noreturn)) worker(struct job *job, int fd)
{
	json_t *ans;
	char *text;

	job_run_one(job);
	ans = json_pack("{s:i, s:s, s:O?}", "status", job->status, "error", job->error,
			"result", job->result);
	if (!ans) {
		/* a message that is not UTF-8 (a path, say): keep it readable */
		for (char *c = job->error; *c; c++)
			if ((unsigned char)*c >= 0x80)
				*c = '?';
		ans = json_pack("{s:i, s:s, s:O?}", "status", job->status, "error", job->error,
				"result", job->result);
	}
	text = ans ? json_dumps(ans, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(ans);
	if (!text || write_all(fd, text, strlen(text)))
		_exit(3);
	free(text); /* (the worker's memory goes with it; valgrind reads clean) */
	_exit(0);
}

static int spawn(struct slot *s, struct job *jobs, int j, struct slot *slots, int nr_slots)
{
	int fds[2];
	pid_t pid, parent;

	if (pipe(fds))
		return -1;
	fflush(stdout);
	fflush(stderr);
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		/* a parent killed by SIGKILL cannot stop its workers: the kernel
		 * does; if it died before prctl, we are an orphan already */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(3);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		close(fds[0]);
		for (int i = 0; i < nr_slots; i++)
			if (slots[i].pid)
				close(slots[i].fd);
		worker(&jobs[j], fds[1]);
	}
	close(fds[1]);
	s->pid = pid;
	s->fd = fds[0];
	s->job = j;
	s->len = 0;
	return 0;
}

/* The worker of @s closed its pipe: reap it and turn its answer into the
 * job's status, error and result. */
static void finish(struct slot *s, struct job *job)
{
	int wst = 0;
	json_t *ans = NULL;

	close(s->fd);
	while (waitpid(s->pid, &wst, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
	json_decref(job->result);
	job->result = NULL;
	if (WIFSIGNALED(wst)) {
		snprintf(job->error, sizeof(job->error), "the worker was killed by signal %d (%s)",
			 WTERMSIG(wst), strsignal(WTERMSIG(wst)));
		job->status = 1;
		return;
	}
	if (s->len)
		ans = json_loadb(s->buf, s->len, 0, NULL);
	if (!WIFEXITED(wst) || WEXITSTATUS(wst) || !json_is_object(ans)) {
		snprintf(job->error, sizeof(job->error), "the worker exited (status %d) without a result",
			 WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
		job->status = 1;
		json_decref(ans);
		return;
	}
	job->status = (int)json_integer_value(json_object_get(ans, "status"));
	snprintf(job->error, sizeof(job->error), "%s",
		 json_string_value(json_object_get(ans, "error")) ?: "");
	if (!job->status) {
		job->result = json_incref(json_object_get(ans, "result"));
		if (!json_is_object(job->result)) {
			json_decref(job->result);
			job->result = NULL;
			job->status = 1;
			snprintf(job->error, sizeof(job->error), "the worker sent no result");
		}
	}
	json_decref(ans);
}

/* Read what is available from @s; 1 at end of file, 0 otherwise. */
static int drain(struct slot *s)
{
	for (;;) {
		ssize_t n;

		if (s->cap - s->len < 65536) {
			size_t cap = s->cap ? s->cap * 2 : 262144;
			char *b = xrealloc(s->buf, cap);
			s->buf = b;
			s->cap = cap;
		}
		n = read(s->fd, s->buf + s->len, s->cap - s->len);
		if (n > 0) {
			s->len += (size_t)n;
			continue;
		}
		if (n == 0)
			return 1;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return 1;
	}
}

/* Kill the workers still running and reap them. */
static void stop_workers(struct slot *slots, int nr_slots)
{
	for (int i = 0; i < nr_slots; i++)
		if (slots[i].pid)
			kill(slots[i].pid, SIGKILL);
	for (int i = 0; i < nr_slots; i++)
		if (slots[i].pid) {
			while (waitpid(slots[i].pid, NULL, 0) < 0 && errno == EINTR)
				;
			close(slots[i].fd);
			slots[i].pid = 0;
		}
}

static const char *interrupt_note;
static sigset_t stop_signals; /* SIGINT, SIGTERM, SIGHUP */

void jobs_set_interrupt_note(const char *note)
{
	interrupt_note = note;
}

static void __attribute__((noreturn)) interrupted(struct slot *slots, int nr_slots, struct progress *pg,
						   bool callback, const struct sigaction *old, int sig)
{
	stop_workers(slots, nr_slots);
	progress_clear(pg);
	if (pg->d && pg->d->interrupted)
		pg->d->interrupted(pg->d->arg, pg->done, pg->total,
				   interrupt_note && *interrupt_note ? interrupt_note
				   : callback ? "the runs in flight are lost" : "nothing written");
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	sigaction(SIGHUP, &old[2], NULL);
	signal(sig, SIG_DFL);
	raise(sig);
	sigprocmask(SIG_UNBLOCK, &stop_signals, NULL); /* blocked at the end of jobs_run_cb */
	_exit(128 + sig);
}

static bool cancelled;

void jobs_cancel(void)
{
	cancelled = true;
}

int jobs_run(struct job *jobs, int nr, int workers, const struct jobs_display *display)
{
	return jobs_run_cb(jobs, nr, workers, display, NULL, NULL);
}

int jobs_run_cb(struct job *jobs, int nr, int workers, const struct jobs_display *display,
		void (*done)(struct job *job, int index, void *arg), void *arg)
{
	struct slot *slots;
	struct pollfd *pfd;
	struct sigaction sa, old[3];
	struct progress pg = { 0 };
	sigset_t oldmask;
	int next = 0, running = 0, ret = 0;

	cancelled = false;
	if (nr <= 0)
		goto end;
	if (workers <= 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		workers = c > 0 ? (int)c : 1;
	}
	if (workers > nr)
		workers = nr;
	slots = xcalloc((size_t)workers, sizeof(*slots));
	pfd = xcalloc((size_t)workers, sizeof(*pfd));
	for (int i = 0; i < nr; i++) {
		jobs[i].status = 1;
		snprintf(jobs[i].error, sizeof(jobs[i].error), "not run");
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	got_signal = 0;
	sigaction(SIGINT, &sa, &old[0]);
	sigaction(SIGTERM, &sa, &old[1]);
	sigaction(SIGHUP, &sa, &old[2]);
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGHUP);

	pg.d = display;
	pg.total = nr;
	progress_update(&pg, true);

	while (pg.done < nr) {
		int np = 0, k;

		/* start jobs in order, as long as a worker is free */
		while (running < workers && next < nr && !got_signal && !cancelled) {
			struct slot *s = NULL;
			for (int i = 0; i < workers; i++)
				if (!slots[i].pid) {
					s = &slots[i];
					break;
				}
			if (spawn(s, jobs, next, slots, workers)) {
				if (running)
					break; /* retry when a worker is done */
				snprintf(jobs[next].error, sizeof(jobs[next].error),
					 "cannot start a worker: %s", strerror(errno));
				ret = -1;
				goto out;
			}
			fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
			next++;
			running++;
		}
		if (got_signal)
			interrupted(slots, workers, &pg, done, old, got_signal);
		if (cancelled) {
			stop_workers(slots, workers);
			progress_clear(&pg);
			ret = 1;
			goto out;
		}
		for (int i = 0; i < workers; i++)
			if (slots[i].pid)
				pfd[np++] = (struct pollfd){ .fd = slots[i].fd, .events = POLLIN };
		k = poll(pfd, (nfds_t)np, 250);
		if (got_signal)
			interrupted(slots, workers, &pg, done, old, got_signal);
		if (k <= 0) {
			progress_update(&pg, true);
			continue;
		}
		for (int i = 0; i < workers; i++) {
			struct slot *s = &slots[i];
			bool ready = false;
			int j;

			if (!s->pid)
				continue;
			for (int q = 0; q < np; q++)
				if (pfd[q].fd == s->fd && pfd[q].revents)
					ready = true;
			if (!ready || !drain(s))
				continue;
			j = s->job;
			finish(s, &jobs[j]);
			running--;
			/* the callback first: a job the progress line counts is saved */
			if (done)
				done(&jobs[j], j, arg);
			if (cancelled)
				break; /* not saved: not counted */
			pg.done++;
			progress_update(&pg, false);
		}
	}
out:
	/* a signal after the last job still stops the process: none slips
	 * between this test and the old handlers */
	sigprocmask(SIG_BLOCK, &stop_signals, &oldmask);
	if (got_signal)
		interrupted(slots, workers, &pg, done, old, got_signal);
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	sigaction(SIGHUP, &old[2], NULL);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	for (int i = 0; i < workers; i++)
		free(slots[i].buf);
	free(slots);
	free(pfd);
end:
	interrupt_note = NULL;
	return ret;
}
