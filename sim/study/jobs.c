/*
 * The job runner: one run in this process (job_run_one, also the core of
 * `cassim run`), or many in a pool of forked workers (jobs_run).
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
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/param.h"
#include "base/suggest.h"
#include "study/study.h"
#include "report/report.h"
#include "report/timeline.h"
#include "report/trace.h"
#include "simulation.h"
#include "base/xalloc.h"

#define KEY_MAX 64 /* as cassim run: a --set key is shorter than this */

/* ---- one job ------------------------------------------------------------ */

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A workload argument is a path, or a shipped name looked up in the data
 * directories (with or without .json).  A name that is neither: NULL, with
 * the shipped names in @err. */
static const char *resolve_workload(const char *arg, char *buf, size_t len, struct diag *err)
{
	char **names = NULL, hint[160], list[DIAG_MSG_MAX / 2];
	int n;

	if (is_file(arg) || strchr(arg, '/'))
		return arg;
	for (const char *const *d = study_data_dirs("workloads"); *d; d++) {
		snprintf(buf, len, "%s/%s", *d, arg);
		if (is_file(buf))
			return buf;
		snprintf(buf, len, "%s/%s.json", *d, arg);
		if (is_file(buf))
			return buf;
	}
	n = suggest_files(study_data_dirs("workloads"), ".json", &names);
	if (n < 0)
		n = 0;
	suggest_hint(hint, sizeof(hint), arg, (const char *const *)names, n);
	suggest_join(list, sizeof(list), (const char *const *)names, n);
	diag_set(err, "--workload %s: no workload named %s%s (shipped: %s; or give a workload file's path)",
		 arg, arg, hint, n ? list : "none found");
	suggest_names_free(names, n);
	return NULL;
}

/* Add @name to the candidate list @v (of *n, room for @cap). */
static void cand_add(const char **v, int *n, int cap, const char *name)
{
	if (*n < cap)
		v[(*n)++] = name;
}

/* The message for a --set key nothing took: the policies that have it as a
 * tunable when the chosen one does not (a cache-aware tunable with -p cfs),
 * else the closest known key. */
static void unknown_set(struct diag *err, const struct wl_set *s, const struct policy *pol,
			const struct workload *w, const char *wl_path)
{
	int nr, n = 0, cap;
	const struct policy *const *pl = policy_list(&nr);
	char owners[512] = "", hint[160];
	size_t k = 0;
	const char **v;

	for (int i = 0; i < nr; i++)
		if (pl[i] != pol && param_find(pl[i]->params, pl[i]->nr_params, s->name) && k < sizeof(owners))
			k += (size_t)snprintf(owners + k, sizeof(owners) - k, "%s%s", k ? ", " : "", pl[i]->name);
	if (k) {
		diag_set(err, "--set %s=%s: not a tunable of %s but of %s (choose one of those with --policy)",
			 s->name, s->value, pol->name, owners);
		return;
	}
	cap = (int)sched_nr_param_defs + MP_NR + w->nr_params;
	for (int i = 0; i < nr; i++)
		cap += (int)pl[i]->nr_params;
	v = xcalloc((size_t)cap, sizeof(*v));
	if (v) {
		for (size_t i = 0; i < sched_nr_param_defs; i++)
			cand_add(v, &n, cap, sched_param_defs[i].name);
		for (int i = 0; i < MP_NR; i++)
			cand_add(v, &n, cap, model_param_defs[i].name);
		for (int i = 0; i < w->nr_params; i++)
			cand_add(v, &n, cap, w->param_names[i]);
		for (int i = 0; i < nr; i++)
			for (size_t j = 0; j < pl[i]->nr_params; j++)
				cand_add(v, &n, cap, pl[i]->params[j].name);
	}
	suggest_hint(hint, sizeof(hint), s->name, v, n);
	free(v);
	diag_set(err, "--set %s=%s: unknown key%s (not a scheduler tunable, a machine-model value nor a "
		 "parameter of %s; see cassim run --help)", s->name, s->value, hint, wl_path);
}

/* wl_load failed on @path with the --set values @sets: if the workload
 * loads without them, the error is a --set value's: name the --set (the
 * first that fails alone; the others' keys are tunables the workload
 * ignores, or its parameters) instead of a line of the workload file,
 * which the user did not write. */
static void blame_set(struct diag *err, const char *path, const struct wl_opts *o, const struct wl_set *sets,
		      int nr_sets)
{
	struct workload *w = NULL;
	struct diag e2 = { { 0 } };
	const char *msg = err->msg;
	size_t pl = strlen(path);
	int culprit = -1;

	/* the thread cap already names the --set values it came from (wl.c
	 * check_thread_count); reloading with each --set alone could expand
	 * hundreds of thousands of threads for nothing */
	if (strstr(msg, " in a workload; from --set "))
		return;
	if (wl_load(path, o, NULL, 0, &w, &e2))
		return; /* the file itself is bad */
	wl_free(w);
	for (int i = 0; i < nr_sets && culprit < 0; i++) {
		struct wl_set one = { sets[i].name, sets[i].value, false };

		w = NULL;
		if (wl_load(path, o, &one, 1, &w, &e2))
			culprit = i;
		wl_free(w);
	}
	if (culprit < 0)
		return;
	/* "PATH:LINE:COL: what" -> "what" */
	if (!strncmp(msg, path, pl) && msg[pl] == ':') {
		const char *p = msg + pl + 1;

		p += strspn(p, "0123456789");
		if (*p == ':')
			p += 1 + strspn(p + 1, "0123456789");
		if (*p == ':' && p[1] == ' ')
			msg = p + 2;
	}
	snprintf(e2.msg, sizeof(e2.msg), "%s", msg);
	diag_set(err, "--set %s=%s: rejected by the workload %s: %s", sets[culprit].name, sets[culprit].value,
		 path, e2.msg);
}

static void job_fail(struct job *job, int status, const char *msg)
{
	size_t n = strlen(msg);

	if (n >= sizeof(job->error))
		n = sizeof(job->error) - 1;
	memcpy(job->error, msg, n);
	job->error[n] = '\0';
	job->status = status;
}

/*
 * Everything `cassim run` does between parsing its options and printing:
 * policy and its tunables, --set routing (scheduler tunables, then the
 * policy's, then machine-model values, then workload parameters; anything
 * left is an unknown key), topology, profile, workload, sched domains and,
 * with @simulate, the run itself (filling @res and job->result).
 */
static void job_exec(struct job *job, bool simulate, struct results *res)
{
	struct sim_config cfg;
	struct machine_profile prof;
	struct wl_opts wlo = { 0 };
	struct diag err = { { 0 } };
	struct topo *topo = NULL;
	struct sd_topology *sdt = NULL;
	struct workload *w = NULL;
	struct wl_set *sets = NULL;
	char (*keys)[KEY_MAX] = NULL;
	char wlbuf[4096];
	void *polbuf = NULL;
	json_t *config = NULL;
	struct trace_json *tj = NULL;
	struct timeline *tl = NULL;
	const struct trace_sink *sinks[2];
	int nr_sinks = 0;
	int status = EXIT_BADINPUT;
	int nr_sets = job->nr_sets > 0 ? job->nr_sets : 0;

	job->status = 0;
	job->error[0] = '\0';
	json_decref(job->result);
	job->result = NULL;
	if (res)
		memset(res, 0, sizeof(*res));

	sim_config_init(&cfg);
	cfg.seed = job->seed;
	cfg.duration = job->duration;
	cfg.policy = policy_find(job->policy ? job->policy : "cfs");
	if (!cfg.policy) {
		char names[1024];
		char hint[160];

		policy_names(names, sizeof(names));
		diag_set(&err, "--policy %s: unknown policy%s (expected one of: %s)", job->policy,
			 policy_hint(hint, sizeof(hint), job->policy), names);
		goto fail;
	}
	if (nr_sets) {
		sets = xcalloc((size_t)nr_sets, sizeof(*sets));
		keys = xcalloc((size_t)nr_sets, sizeof(*keys));
	}
	for (int i = 0; i < nr_sets; i++) {
		size_t kl = strlen(job->set_keys[i]);
		if (!kl || kl >= KEY_MAX) {
			diag_set(&err, "--set %s=%s: expected KEY=VALUE", job->set_keys[i], job->set_values[i]);
			goto fail;
		}
		memcpy(keys[i], job->set_keys[i], kl + 1);
		sets[i] = (struct wl_set){ keys[i], job->set_values[i], false };
	}
	if (cfg.policy->params_size) {
		polbuf = xcalloc(1, cfg.policy->params_size);
		param_defaults(cfg.policy->params, cfg.policy->nr_params, polbuf);
		cfg.policy_params = polbuf;
	}
	/* scheduler tunables first, then the policy's; machine-model values
	 * and workload parameters below */
	for (int i = 0; i < nr_sets; i++) {
		const struct param_def *d = param_find(sched_param_defs, sched_nr_param_defs, sets[i].name);
		void *cfgp = &cfg.sp;

		if (!d && cfg.policy->nr_params) {
			d = param_find(cfg.policy->params, cfg.policy->nr_params, sets[i].name);
			cfgp = polbuf;
		}
		if (d) {
			if (param_set(d, sets[i].value, cfgp, &err))
				goto fail;
			sets[i].used = true;
		}
	}
	cfg.topology_spec = job->topology;
	if (topo_load(job->topology, study_data_dirs("topologies"), &topo, &err))
		goto fail;
	if (profile_for_topo(topo, job->profile, &prof, &err))
		goto fail;
	for (int i = 0; i < nr_sets; i++)
		if (!sets[i].used && profile_param_index(sets[i].name) >= 0) {
			if (profile_set(&prof, sets[i].name, sets[i].value, &err))
				goto fail;
			sets[i].used = true;
		}
	if (!job->no_model)
		cfg.prof = &prof;
	cfg.workload_path = resolve_workload(job->workload, wlbuf, sizeof(wlbuf), &err);
	if (!cfg.workload_path)
		goto fail;
	wlo.nr_cpus = topo->nr_cpus;
	wlo.nr_nodes = topo->nr_nodes;
	wlo.lenient = job->lenient;
	if (wl_load(cfg.workload_path, &wlo, sets, nr_sets, &w, &err)) {
		blame_set(&err, cfg.workload_path, &wlo, sets, nr_sets);
		goto fail;
	}
	for (int i = 0; i < nr_sets; i++)
		if (!sets[i].used) {
			unknown_set(&err, &sets[i], cfg.policy, w, cfg.workload_path);
			goto fail;
		}
	if (sd_build(topo, &sdt, &err))
		goto fail;
	if (simulate) {
		struct results local, *r = res ? res : &local;
		struct trace_window win = { job->trace_from, job->trace_to > 0 ? job->trace_to : -1 };

		/* the trace files, before the run (cmd_run probed them already) */
		status = EXIT_OUTPUT;
		if (job->trace_path && !(tj = trace_json_open(job->trace_path, win, &err)))
			goto fail;
		if (job->timeline_path && !(tl = timeline_open(job->timeline_path, win, &err)))
			goto fail;
		if (tj)
			sinks[nr_sinks++] = trace_json_sink(tj);
		if (tl)
			sinks[nr_sinks++] = timeline_sink(tl);
		cfg.trace_sinks = sinks;
		cfg.nr_trace_sinks = nr_sinks;
		config = sim_config_json(&cfg, topo, w);
		if (sim_run(&cfg, topo, sdt, w, r, &err)) {
			status = 1;
			sim_results_free(r);
			memset(r, 0, sizeof(*r));
			goto fail;
		}
		/* a commit frees its writer, whether it works or not */
		status = 1;
		if (tj) {
			int e = trace_json_commit(tj, &err);
			tj = NULL;
			if (e)
				goto fail_results;
		}
		if (tl) {
			int e = timeline_commit(tl, &err);
			tl = NULL;
			if (e)
				goto fail_results;
		}
		job->result = report_json(r, config);
		if (!job->result) {
			diag_set(&err, "out of memory");
			goto fail_results;
		}
		if (!res)
			sim_results_free(&local);
		goto out;
fail_results:
		if (res)
			sim_results_free(res), memset(res, 0, sizeof(*res));
		else
			sim_results_free(&local);
		goto fail;
	}
	goto out;
fail:
	job_fail(job, status, err.msg);
out:
	trace_json_abort(tj);
	timeline_abort(tl);
	json_decref(config);
	free(polbuf);
	free(sets);
	free(keys);
	wl_free(w);
	sd_free(sdt);
	topo_free(topo);
}

void job_run_one(struct job *job)
{
	job_exec(job, true, NULL);
}

void job_run_results(struct job *job, struct results *res)
{
	job_exec(job, true, res);
}

int job_check(struct job *job)
{
	job_exec(job, false, NULL);
	return job->status ? -1 : 0;
}

void jobs_free(struct job *jobs, int nr)
{
	for (int i = 0; i < nr; i++) {
		json_decref(jobs[i].result);
		jobs[i].result = NULL;
	}
}

/* ---- progress ------------------------------------------------------------ */

static const char *progress_label = "cassim";

void jobs_set_label(const char *label)
{
	progress_label = label && *label ? label : "cassim";
}

static double now_s(void)
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

struct progress {
	bool on, tty;
	int total, done, last_decile;
	double t0, last_draw;
};

static void progress_line(struct progress *p, bool final)
{
	char el[32], eta[32];
	double e = now_s() - p->t0;

	jobs_fmt_time(el, sizeof(el), e);
	if (p->done >= p->total)
		snprintf(eta, sizeof(eta), "done");
	else if (p->done == 0)
		snprintf(eta, sizeof(eta), "ETA --:--");
	else {
		char t[24];
		jobs_fmt_time(t, sizeof(t), e / p->done * (p->total - p->done));
		snprintf(eta, sizeof(eta), "ETA %s", t);
	}
	fprintf(stderr, "%s%s: %d/%d runs, %s elapsed, %s%s", p->tty ? "\r" : "", progress_label,
		p->done, p->total, el, eta, p->tty ? "\033[K" : "\n");
	if (p->tty && final)
		fputc('\n', stderr);
	fflush(stderr);
	p->last_draw = now_s();
}

/* After a job finished (or on a timer tick with @tick): redraw on a
 * terminal at most every second, print a line per 10% otherwise. */
static void progress_update(struct progress *p, bool tick)
{
	if (!p->on)
		return;
	if (p->tty) {
		if (p->done >= p->total)
			progress_line(p, true);
		else if (!tick || now_s() - p->last_draw >= 1.0)
			progress_line(p, false);
		return;
	}
	if (tick)
		return;
	if (p->done * 10 / p->total > p->last_decile || p->done == p->total) {
		p->last_decile = p->done * 10 / p->total;
		progress_line(p, false);
	}
}

static void progress_clear(struct progress *p)
{
	if (p->on && p->tty) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
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
	diag_line(stderr, "cassim: ", "interrupted after %d of %d runs; %s", pg->done, pg->total,
		interrupt_note && *interrupt_note ? interrupt_note
		: callback ? "the runs in flight are lost" : "nothing written");
	fflush(stderr);
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

int jobs_run(struct job *jobs, int nr, int workers, bool progress)
{
	return jobs_run_cb(jobs, nr, workers, progress, NULL, NULL);
}

int jobs_run_cb(struct job *jobs, int nr, int workers, bool progress,
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

	pg.on = progress;
	pg.tty = progress && isatty(STDERR_FILENO);
	pg.total = nr;
	pg.t0 = now_s();
	if (pg.tty)
		progress_line(&pg, false);

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
