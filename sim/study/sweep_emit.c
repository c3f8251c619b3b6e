/*
 * cassim sweep --emit-jobs and --emit-slurm: hand a plan's pending jobs to
 * GNU parallel (one self-contained shell line per job) or to a Slurm job
 * array.
 *
 * The array's task g runs the jobs at plan positions g*K .. g*K+K-1 (K =
 * --jobs-per-task), one after another through --only, as listed on line
 * g+1 of DIR/slurm/tasks-K.txt.  That file is written once (plan order is
 * fixed for a directory: another plan is refused) and the script names it
 * with K and its part's first task, and sbatch keeps a copy of the script
 * as it was submitted, so emitting the directory again (after some jobs
 * finished, with other options) never changes what a queued task runs;
 * the new arrays list only the tasks with a pending job.  Arrays past the
 * cluster's MaxArraySize (indices 0..MaxArraySize-1) are split into parts,
 * one script each, part N holding tasks N*M .. N*M+M-1.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "study/sweep.h"
#include "report/file.h"
#include "base/xalloc.h"

/* ---- the command a job line or a task runs ---------------------------------------------- */

/* Where a job runs from: this cassim, this directory (relative workload
 * paths in the plan mean the same), DIR as an absolute path. */
struct emit_ctx {
	char exe[PATH_MAX], cwd[PATH_MAX], adir[PATH_MAX];
};

/* @s as one single-quoted shell word. */
static void sh_word(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

/* @s in a comment line: a control character (a newline would end the
 * comment) as '?'. */
static void comment_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < ' ' || *s == 0x7f ? '?' : *s, f);
}

static int emit_ctx_init(struct emit_ctx *c, const char *dir, struct diag *err)
{
	ssize_t k = readlink("/proc/self/exe", c->exe, sizeof(c->exe) - 1);
	char *r;

	if (k <= 0)
		return diag_set(err, "cannot find the cassim binary (/proc/self/exe): %s", strerror(errno));
	c->exe[k] = '\0';
	if (!getcwd(c->cwd, sizeof(c->cwd)))
		return diag_set(err, "getcwd: %s", strerror(errno));
	r = realpath(dir, NULL);
	if (!r)
		return diag_set(err, "%s: %s", dir, strerror(errno));
	snprintf(c->adir, sizeof(c->adir), "%s", r);
	free(r);
	return 0;
}

/* "cd CWD && CASSIM sweep DIR/plan.json --out DIR --quiet" */
static void emit_command(FILE *f, const struct emit_ctx *c)
{
	char plan[PATH_MAX + 16];

	snprintf(plan, sizeof(plan), "%s/plan.json", c->adir);
	fputs("cd ", f);
	sh_word(f, c->cwd);
	fputs(" && ", f);
	sh_word(f, c->exe);
	fputs(" sweep ", f);
	sh_word(f, plan);
	fputs(" --out ", f);
	sh_word(f, c->adir);
	fputs(" --quiet", f);
}

int sweep_emit_jobs(const char *file, const char *dir, const struct sweep_job **todo, int n, struct diag *err)
{
	struct emit_ctx c;
	struct afile a;

	if (emit_ctx_init(&c, dir, err) || afile_open(&a, file, err))
		return -1;
	for (int i = 0; i < n; i++) {
		emit_command(a.f, &c);
		fprintf(a.f, " --only %s\n", todo[i]->id);
	}
	return afile_commit(&a, err);
}

/* ---- the scripts ---------------------------------------------------------------------------- */

/*
 * --emit-slurm DIR (an existing directory, or a name ending in '/', made
 * here): the script is DIR/cassim-sweep.sbatch.  Parts of a split array:
 * NAME-N.EXT (N from 1).
 */
static void script_name(const char *arg, int part, int nr_parts, char *buf, size_t len)
{
	struct stat st;
	size_t l = strlen(arg);
	const char *base, *dot;

	if (l && arg[l - 1] == '/')
		mkdir(arg, 0777); /* an error shows when the script is opened */
	if ((l && arg[l - 1] == '/') || (!stat(arg, &st) && S_ISDIR(st.st_mode)))
		snprintf(buf, len, "%s%scassim-sweep.sbatch", arg, l && arg[l - 1] == '/' ? "" : "/");
	else
		snprintf(buf, len, "%s", arg);
	if (nr_parts == 1)
		return;
	base = strrchr(buf, '/');
	base = base ? base + 1 : buf;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		dot = buf + strlen(buf);
	{
		char ext[PATH_MAX];
		snprintf(ext, sizeof(ext), "%s", dot);
		snprintf(buf + (dot - buf), len - (size_t)(dot - buf), "-%d%s", part + 1, ext);
	}
}

/* The task list: line g+1, the ids of task g's jobs in plan order,
 * comma-separated (a malloc'd string). */
static char *task_list(const struct sweep_plan *p, int k)
{
	size_t len = (size_t)p->nr_jobs * (SWEEP_ID_LEN + 1) + 1, m = 0;
	char *s = xmalloc(len);

	for (int i = 0; i < p->nr_jobs; i++)
		m += (size_t)snprintf(s + m, len - m, "%s%c", p->jobs[i].id,
				      i % k == k - 1 || i == p->nr_jobs - 1 ? '\n' : ',');
	return s;
}

/* What the script's task runs, and where Slurm writes its output. */
struct script {
	const char *tasks;   /* the task list */
	char output[PATH_MAX + 64];
};

static int write_script(const char *file, const struct sweep_plan *p, const struct emit_ctx *c,
			const struct sweep_slurm_opts *o, const struct script *sc, const char *array, int base,
			int part, int nr_parts, struct diag *err)
{
	struct afile a;

	if (afile_open(&a, file, err))
		return -1;
	fputs("#!/bin/sh\n# cassim sweep ", a.f);
	comment_text(a.f, p->file);
	fputs(", results in ", a.f);
	comment_text(a.f, c->adir);
	if (nr_parts > 1)
		fprintf(a.f, ": job array part %d of %d", part + 1, nr_parts);
	fprintf(a.f, ".\n"
		     "# Array task i runs the %d job%s on line i+%d of the task list, one after\n"
		     "# another; the list never changes, so a queued task keeps its jobs when the\n"
		     "# directory is emitted again.  Submit with: sbatch ",
		o->jobs_per_task, o->jobs_per_task > 1 ? "s" : "", base + 1);
	comment_text(a.f, file);
	fprintf(a.f, "\n"
		     "#SBATCH --job-name=cassim-sweep\n"
		     "#SBATCH --array=%s", array);
	if (o->max_running)
		fprintf(a.f, "%%%d", o->max_running);
	fprintf(a.f, "\n"
		     "#SBATCH --ntasks=1\n"
		     "#SBATCH --cpus-per-task=1\n"
		     "#SBATCH --time=%s\n"
		     "#SBATCH --mem=%s\n"
		     "#SBATCH --output=%s\n", o->time, o->mem, sc->output);
	if (o->partition)
		fprintf(a.f, "#SBATCH --partition=%s\n", o->partition);
	else
		fputs("# (no --partition: the cluster's default partition)\n", a.f);
	fputs("TASKS=", a.f);
	sh_word(a.f, sc->tasks);
	fprintf(a.f, "\nBASE=%d\n"
		     ": \"${SLURM_ARRAY_TASK_ID:?not set: submit this script with sbatch}\"\n"
		     "task=$((BASE + SLURM_ARRAY_TASK_ID))\n"
		     "ids=$(sed -n \"$((task + 1))p\" \"$TASKS\")\n"
		     "[ -n \"$ids\" ] || { echo \"cassim sweep: no task $task in $TASKS\" >&2; exit 2; }\n"
		     "echo \"cassim sweep task $task: $ids\"\n", base);
	emit_command(a.f, c);
	fputs(" --jobs 1 --only \"$ids\"\n", a.f);
	return afile_commit(&a, err);
}

int sweep_emit_slurm(const struct sweep_plan *p, const char *dir, const char *arg, const struct sweep_slurm_opts *o,
		     const struct sweep_job **todo, int n, struct diag *err)
{
	int k = o->jobs_per_task, m = o->max_array_size;
	int nr_tasks = (p->nr_jobs + k - 1) / k, nr_parts = (nr_tasks + m - 1) / m, rc = -1, written = 0;
	bool *pending = xcalloc((size_t)nr_tasks, sizeof(*pending));
	char tasks[PATH_MAX + 64], file[PATH_MAX + 32], *list = NULL, *array = NULL, *submit = NULL;
	size_t submit_len = 0, len;
	struct script sc = { .tasks = tasks };
	struct emit_ctx c;

	for (int i = 0; i < n; i++)
		pending[todo[i]->index / k] = true;
	if (emit_ctx_init(&c, dir, err))
		goto out;
	snprintf(tasks, sizeof(tasks), "%s/slurm", c.adir);
	if (mkdir(tasks, 0777) && errno != EEXIST) {
		diag_set(err, "cannot create %s: %s", tasks, strerror(errno));
		goto out;
	}
	if (o->output && o->output[0] == '/')
		snprintf(sc.output, sizeof(sc.output), "%s", o->output);
	else if (o->output)
		snprintf(sc.output, sizeof(sc.output), "%s/%s", c.cwd, o->output);
	else
		snprintf(sc.output, sizeof(sc.output), "%s/slurm/%%x-%%A_%%a.out", c.adir);
	if (!sweep_slurm_word_ok(sc.output)) {
		diag_set(err, "--output %s: a blank, quote or backslash in the path (sbatch would cut it there)%s", sc.output,
			 o->output ? "" : "; give --output");
		rc = 1;
		goto out;
	}
	snprintf(tasks, sizeof(tasks), "%s/slurm/tasks-%d.txt", c.adir, k);
	list = task_list(p, k);
	switch (sweep_store_once(tasks, list, err)) {
	case 0: break;
	case 1:
		diag_set(err, "%s does not list this plan's jobs in plan order (another cassim version?): "
			 "it stays, for the array tasks that use it; emit into another directory", tasks);
		rc = 1;
		/* fall through */
	default: goto out;
	}
	for (int part = 0; part < nr_parts; part++) {
		int base = part * m, size = nr_tasks - base < m ? nr_tasks - base : m;
		int count = 0;

		for (int t = 0; t < size; t++)
			count += pending[base + t];
		if (!count)
			continue;
		len = sweep_slurm_ranges(pending + base, size, NULL, 0) + 1;
		free(array);
		array = xmalloc(len);
		sweep_slurm_ranges(pending + base, size, array, len);
		script_name(arg, part, nr_parts, file, sizeof(file));
		if (write_script(file, p, &c, o, &sc, array, base, part, nr_parts, err))
			goto out;
		printf("wrote %s: --array=%s, %d task%s of %d job%s (the sweep's tasks %d..%d of %d)\n", file, array,
		       count, count > 1 ? "s" : "", k, k > 1 ? "s" : "", base, base + size - 1, nr_tasks);
		submit = xrealloc(submit, submit_len + strlen(file) + 16);
		submit_len += (size_t)sprintf(submit + submit_len, "%ssbatch %s", written++ ? " && " : "", file);
	}
	printf("submit: %s\n", submit);
	rc = 0;
out:
	free(submit);
	free(array);
	free(list);
	free(pending);
	return rc;
}
