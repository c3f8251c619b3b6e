/*
 * A sweep's result directory:
 *
 *   DIR/plan.json         the plan, canonical (sorted keys): the full job list
 *   DIR/jobs/<id>.json    {"id", "spec", "result"}: one finished job
 *   DIR/jobs/<id>.error   the one-line message of a job that failed
 *   DIR/results.csv       tidy rows (job x metric, report/tidy.h) regenerated from the job
 *                         files in job order
 *
 * Every file is written to a temporary name and renamed into place, so a
 * killed sweep leaves whole files or none, and a job file's presence means
 * the job is done.  Job files hold only deterministic data (the run's JSON
 * has no wall time), so results.csv is byte-identical however the jobs ran.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "study/study.h"
#include "study/sweep.h"
#include "report/file.h"
#include "report/report.h"
#include "report/scalars.h"
#include "base/xalloc.h"

static void job_path(char *buf, size_t len, const char *dir, const struct sweep_job *j, const char *ext)
{
	snprintf(buf, len, "%s/jobs/%s.%s", dir, j->id, ext);
}

static int write_text(const char *path, const char *text, size_t len, struct diag *err)
{
	struct afile a;

	if (afile_open(&a, path, err))
		return -1;
	if (fwrite(text, 1, len, a.f) != len) {
		afile_abort(&a);
		return diag_set(err, "%s: write error", path);
	}
	return afile_commit(&a, err);
}

int sweep_store_mkdirs(const char *dir, struct diag *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(dir);

	if (!n || n + 6 >= sizeof(buf))
		return diag_set(err, "--out '%s': expected a directory name", dir);
	snprintf(buf, sizeof(buf), "%s/jobs", dir);
	for (char *s = buf + 1;; s++)
		if (*s == '/' || !*s) {
			char ch = *s;
			*s = '\0';
			if (mkdir(buf, 0777) && errno != EEXIST)
				return diag_set(err, "cannot create %s: %s", buf, strerror(errno));
			*s = ch;
			if (!ch)
				break;
		}
	return 0;
}

/*
 * Create-if-absent, atomically: the text goes to a temporary file that is
 * hard-linked to @path, which fails if a file is there already, so of two
 * sweeps starting together on one new directory only one writes it and the
 * other compares against it.
 */
int sweep_store_once(const char *path, const char *text, struct diag *err)
{
	struct afile a;
	size_t len;
	char *old;
	int rc;

	if (access(path, F_OK)) {
		if (afile_open(&a, path, err))
			return -1;
		fputs(text, a.f);
		if (afile_finish(&a, err))
			return -1;
		rc = a.kind == AFILE_ATOMIC ? link(a.tmp, a.dst) : 0;
		if (rc && errno != EEXIST) {
			rc = errno;
			afile_abort(&a);
			return diag_set(err, "%s: cannot create: %s", path, strerror(rc));
		}
		afile_abort(&a); /* the temporary name */
		if (!rc)
			return 0;
	}
	old = sweep_read_file(path, &len, err);
	if (!old)
		return -1;
	rc = strcmp(old, text) ? 1 : 0;
	free(old);
	return rc;
}

int sweep_store_plan(const struct sweep_plan *p, const char *dir, struct diag *err)
{
	char path[PATH_MAX];
	int rc;

	snprintf(path, sizeof(path), "%s/plan.json", dir);
	rc = sweep_store_once(path, p->canonical, err);
	if (rc > 0)
		return diag_set(err, "%s holds another plan than %s (use another directory)", path, p->file);
	return rc;
}

/* The pid holding a flock(2) on the file @st, from /proc/locks ("1: FLOCK
 * ADVISORY WRITE PID MAJ:MIN:INODE 0 EOF"); 0 if not found. */
static long lock_holder(const struct stat *st)
{
	char line[256];
	long pid = 0;
	FILE *f = fopen("/proc/locks", "re");

	while (f && !pid && fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		unsigned long ino;
		long p;

		if (sscanf(line, "%*d: FLOCK %*s %*s %ld %x:%x:%lu", &p, &maj, &min, &ino) == 4 &&
		    maj == major(st->st_dev) && min == minor(st->st_dev) && ino == st->st_ino)
			pid = p;
	}
	if (f)
		fclose(f);
	return pid;
}

/*
 * flock(2) on the directory itself keeps two sweeps from writing it, and
 * leaves no file behind; the kernel drops the lock however the process
 * ends (forked workers share it and die with their parent).  A whole-plan
 * sweep holds it exclusive; --only jobs, the lines of one job array, share
 * it.  The descriptor stays open until the process exits.
 */
int sweep_store_lock(const char *dir, bool shared, struct diag *err)
{
	struct stat st;
	long pid;
	int fd, e;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return diag_set(err, "%s: cannot open: %s", dir, strerror(errno));
	if (!flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB))
		return 0;
	e = errno;
	pid = fstat(fd, &st) ? 0 : lock_holder(&st);
	close(fd);
	if (e != EWOULDBLOCK)
		return diag_set(err, "%s: cannot lock: %s", dir, strerror(e));
	if (pid > 0)
		return diag_set(err, "%s: another cassim sweep is writing there (pid %ld holds its lock)", dir, pid);
	return diag_set(err, "%s: another cassim sweep is writing there (it holds its lock)", dir);
}

bool sweep_store_done(const char *dir, const struct sweep_job *j)
{
	char path[PATH_MAX];

	job_path(path, sizeof(path), dir, j, "json");
	return access(path, F_OK) == 0;
}

int sweep_store_load(const char *dir, const struct sweep_job *j, json_t **result, struct diag *err)
{
	char path[PATH_MAX];
	json_error_t jerr;
	json_t *root;

	*result = NULL;
	job_path(path, sizeof(path), dir, j, "json");
	if (access(path, F_OK))
		return 1;
	root = json_load_file(path, 0, &jerr);
	if (!root)
		return diag_at(err, path, jerr.line, jerr.column, "%s", jerr.text);
	if (!json_equal(json_object_get(root, "spec"), j->spec) ||
	    strcmp(json_string_value(json_object_get(root, "id")) ?: "", j->id) ||
	    !json_is_object(json_object_get(root, "result"))) {
		json_decref(root);
		return diag_set(err, "%s: not the result of job %s of this plan (another spec)", path, j->id);
	}
	*result = json_incref(json_object_get(root, "result"));
	json_decref(root);
	return 0;
}

int sweep_store_save(const char *dir, const struct sweep_job *j, int status, const char *error, json_t *result,
		     struct diag *err)
{
	char path[PATH_MAX], epath[PATH_MAX];
	json_t *doc;
	char *text;
	int rc;

	job_path(epath, sizeof(epath), dir, j, "error");
	if (status) {
		char line[1100];
		int n = snprintf(line, sizeof(line), "%s\n", error && *error ? error : "failed");
		return write_text(epath, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1, err);
	}
	doc = json_pack("{s:s, s:O, s:O}", "id", j->id, "spec", j->spec, "result", result);
	text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	if (!text)
		return diag_set(err, "out of memory");
	job_path(path, sizeof(path), dir, j, "json");
	rc = write_text(path, text, strlen(text), err);
	free(text);
	if (!rc)
		unlink(epath); /* an earlier attempt's failure */
	return rc;
}

int sweep_store_error(const char *dir, const struct sweep_job *j, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	job_path(path, sizeof(path), dir, j, "error");
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int sweep_store_csv(const struct sweep_plan *p, const char *dir, int *missing, struct diag *err)
{
	char path[PATH_MAX], params[2048];
	const char **names = xcalloc((size_t)p->nr_axes + 1, sizeof(*names));
	struct afile a;

	*missing = 0;
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	if (afile_open(&a, path, err)) {
		free(names);
		return -1;
	}
	for (int x = 0; x < p->nr_axes; x++)
		names[x] = p->axes[x].name;
	tidy_header(a.f);
	for (int k = 0; k < p->nr_jobs; k++) {
		const struct sweep_job *j = &p->jobs[k];
		struct tidy_key key = { .topology = j->topology, .workload = j->workload, .parameters = params,
					.policy = j->policy, .seed = j->seed, .has_seed = true };
		struct scalar *sc;
		json_t *res;
		int n, rc = sweep_store_load(dir, j, &res, err);

		if (rc < 0) {
			afile_abort(&a);
			free(names);
			return -1;
		}
		if (rc) {
			(*missing)++;
			continue;
		}
		n = scalars_of(res, &sc);
		json_decref(res);
		tidy_parameters(params, sizeof(params), names, j->values, p->nr_axes);
		scalars_csv(a.f, &key, sc, n);
		free(sc);
	}
	free(names);
	return afile_commit(&a, err);
}

/* ---- merging ------------------------------------------------------------------------ */

int sweep_store_merge(const char *out, const char *const *srcs, int nr_srcs, const char *const *topo_dirs,
		      const struct study_io *io)
{
	struct sweep_plan *p = NULL;
	struct diag err = { { 0 } };
	char path[PATH_MAX];
	const char **dirs = xcalloc((size_t)nr_srcs + 1, sizeof(*dirs));
	int *holder = NULL, missing = 0, rc = EXIT_BADINPUT, nr_dirs = nr_srcs;
	bool out_is_src = false;

	for (int d = 0; d < nr_srcs; d++) {
		dirs[d] = srcs[d];
		out_is_src |= !strcmp(srcs[d], out);
	}
	if (afile_probe_dir(out, &err)) {
		rc = EXIT_OUTPUT;
		goto fail;
	}
	/* what @out holds already must agree too */
	snprintf(path, sizeof(path), "%s/plan.json", out);
	if (!out_is_src && !access(path, F_OK))
		dirs[nr_dirs++] = out;
	snprintf(path, sizeof(path), "%s/plan.json", dirs[0]);
	if (sweep_plan_load(path, topo_dirs, &p, &err))
		goto fail;
	for (int d = 1; d < nr_dirs; d++)
		if (sweep_store_plan(p, dirs[d], &err)) {
			/* a directory without a plan is not a sweep directory */
			snprintf(path, sizeof(path), "%s/plan.json", dirs[d]);
			if (access(path, F_OK))
				diag_set(&err, "%s: no plan.json (not a sweep directory)", dirs[d]);
			goto fail;
		}
	holder = xcalloc((size_t)p->nr_jobs, sizeof(*holder));
	/* check everything before writing anything */
	for (int k = 0; k < p->nr_jobs; k++) {
		const struct sweep_job *j = &p->jobs[k];
		json_t *first = NULL;

		holder[k] = -1;
		for (int d = 0; d < nr_dirs; d++) {
			json_t *res;
			int r = sweep_store_load(dirs[d], j, &res, &err);

			if (r < 0) {
				json_decref(first);
				goto fail;
			}
			if (r)
				continue;
			if (!first) {
				first = res;
				holder[k] = d;
				continue;
			}
			if (!json_equal(first, res)) {
				char label[512];
				sweep_job_label(p, j, label, sizeof(label));
				diag_set(&err, "job %s (%s): %s and %s hold different results (not the same cassim, or not the same inputs?)",
					 j->id, label, dirs[holder[k]], dirs[d]);
				json_decref(first);
				json_decref(res);
				goto fail;
			}
			json_decref(res);
		}
		json_decref(first);
	}
	/* from here on, what fails is writing @out */
	rc = EXIT_OUTPUT;
	if (sweep_store_mkdirs(out, &err) || sweep_store_lock(out, false, &err) ||
	    sweep_store_plan(p, out, &err))
		goto fail;
	for (int k = 0; k < p->nr_jobs; k++) {
		char src[PATH_MAX], dst[PATH_MAX];
		char *text;
		size_t len;

		if (holder[k] < 0) {
			char label[512], msg[1100];

			sweep_job_label(p, &p->jobs[k], label, sizeof(label));
			if (missing++ == 0)
				study_errorf(io, "missing jobs (in none of the directories):");
			msg[0] = '\0';
			for (int d = 0; d < nr_dirs && !msg[0]; d++)
				sweep_store_error(dirs[d], &p->jobs[k], msg, sizeof(msg));
			diag_line(io->note, "  ", "%s  #%d  %s%s%s", p->jobs[k].id, k + 1, label, msg[0] ? ": failed: " : "", msg);
			continue;
		}
		job_path(src, sizeof(src), dirs[holder[k]], &p->jobs[k], "json");
		job_path(dst, sizeof(dst), out, &p->jobs[k], "json");
		if (!access(dst, F_OK))
			continue; /* @out's own, checked equal above */
		text = sweep_read_file(src, &len, &err);
		if (!text || write_text(dst, text, len, &err)) {
			free(text);
			goto fail;
		}
		free(text);
	}
	if (sweep_store_csv(p, out, &missing, &err))
		goto fail;
	fprintf(io->out, "merged %d directories into %s: %d of %d jobs, results.csv written\n", nr_dirs, out,
	       p->nr_jobs - missing, p->nr_jobs);
	if (missing)
		study_errorf(io, "%d of %d jobs missing (listed above)", missing, p->nr_jobs);
	rc = missing ? 1 : 0;
	goto out;
fail:
	io->error(err.msg);
out:
	free(holder);
	free(dirs);
	sweep_plan_free(p);
	return rc;
}
