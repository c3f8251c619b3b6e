/*
 * Atomic result files.  The temporary file lives in the target's directory
 * ("PATH.tmp.<pid>") so that rename(2) is atomic: a reader sees either the
 * old file or the complete new one, never a prefix.
 */
#include "out/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int is_stdout(const struct afile *a)
{
	return a->tmp[0] == '\0';
}

static int fail(struct diag *err, const char *path, const char *what, int errnum)
{
	if (err)
		return diag_set(err, "%s: %s: %s", path, what, strerror(errnum));
	return -1;
}

int afile_open(struct afile *a, const char *path, struct diag *err)
{
	int fd, n;

	memset(a, 0, sizeof(*a));
	if (!path || !*path)
		return fail(err, "(empty path)", "cannot open for writing", EINVAL);

	if (strcmp(path, "-") == 0) {
		snprintf(a->path, sizeof(a->path), "-");
		a->f = stdout;
		return 0;
	}

	if (strlen(path) >= sizeof(a->path))
		return fail(err, path, "cannot open for writing", ENAMETOOLONG);
	memcpy(a->path, path, strlen(path) + 1);
	n = snprintf(a->tmp, sizeof(a->tmp), "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(a->tmp)) {
		a->tmp[0] = '\0';
		return fail(err, path, "cannot open for writing", ENAMETOOLONG);
	}

	fd = open(a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		int e = errno;

		a->tmp[0] = '\0';
		return fail(err, path, "cannot open for writing", e);
	}
	a->f = fdopen(fd, "w");
	if (!a->f) {
		int e = errno;

		close(fd);
		unlink(a->tmp);
		a->tmp[0] = '\0';
		return fail(err, path, "cannot open for writing", e);
	}
	return 0;
}

int afile_commit(struct afile *a, struct diag *err)
{
	int e;

	if (!a->f)
		return fail(err, a->path[0] ? a->path : "(closed file)",
			    "commit without an open file", EBADF);

	if (is_stdout(a)) {
		a->f = NULL;
		errno = 0;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			e = errno ? errno : EIO;
			return fail(err, "standard output", "write error", e);
		}
		return 0;
	}

	errno = 0;
	if (fflush(a->f) != 0 || ferror(a->f)) {
		e = errno ? errno : EIO;
		fclose(a->f);
		goto fail_unlink;
	}
	if (fclose(a->f) != 0) {
		e = errno ? errno : EIO;
		goto fail_unlink;
	}
	a->f = NULL;
	if (rename(a->tmp, a->path) != 0) {
		e = errno;
		unlink(a->tmp);
		a->tmp[0] = '\0';
		return fail(err, a->path, "cannot rename temporary file into place", e);
	}
	a->tmp[0] = '\0';
	return 0;

fail_unlink:
	a->f = NULL;
	unlink(a->tmp);
	a->tmp[0] = '\0';
	return fail(err, a->path, "write error", e);
}

void afile_abort(struct afile *a)
{
	if (!a->f)
		return;
	if (is_stdout(a)) {
		fflush(stdout);
	} else {
		fclose(a->f);
		unlink(a->tmp);
		a->tmp[0] = '\0';
	}
	a->f = NULL;
}
