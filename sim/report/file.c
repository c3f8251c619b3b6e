/*
 * Result files (see file.h).  The temporary file lives in the target's
 * directory ("DST.tmp.<pid>") so that rename(2) is atomic: a reader sees
 * either the old file or the complete new one, never a prefix.
 */
#include "report/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Symbolic links followed before giving up, as the kernel's MAXSYMLINKS. */
#define AFILE_MAX_LINKS 40

static int fail(struct diag *err, const char *path, const char *what, int errnum)
{
	if (err)
		return diag_set(err, "%s: %s: %s", path, what, strerror(errnum));
	return -1;
}

/*
 * The file that writing @path should replace: @path itself, or the file at
 * the end of its chain of symbolic links (which need not exist yet: a
 * dangling link is written through, as open(2) would).  A relative link is
 * relative to the directory of the link.  Returns 0, or an errno value.
 */
static int follow_links(const char *path, char *dst, size_t cap)
{
	char link[PATH_MAX];
	struct stat st;

	if (strlen(path) >= cap)
		return ENAMETOOLONG;
	memcpy(dst, path, strlen(path) + 1);
	for (int hops = 0; hops <= AFILE_MAX_LINKS; hops++) {
		const char *slash;
		ssize_t n;
		size_t dirlen;

		if (lstat(dst, &st))
			return errno == ENOENT ? 0 : errno;
		if (!S_ISLNK(st.st_mode))
			return 0;
		n = readlink(dst, link, sizeof(link) - 1);
		if (n < 0)
			return errno;
		link[n] = '\0';
		slash = strrchr(dst, '/');
		dirlen = link[0] == '/' || !slash ? 0 : (size_t)(slash - dst) + 1;
		if (dirlen + (size_t)n >= cap)
			return ENAMETOOLONG;
		memcpy(dst + dirlen, link, (size_t)n + 1);
	}
	return ELOOP;
}

/*
 * Set up @a for @path: where it goes and how.  With @probe, only check that
 * it could be opened, and leave nothing behind.
 */
static int open_target(struct afile *a, const char *path, int probe, struct diag *err)
{
	static const char what[] = "cannot open for writing";
	struct stat st;
	int fd, e, n;

	memset(a, 0, sizeof(*a));
	if (!path || !*path)
		return fail(err, "(empty path)", what, EINVAL);
	if (strlen(path) >= sizeof(a->path))
		return fail(err, path, what, ENAMETOOLONG);
	memcpy(a->path, path, strlen(path) + 1);
	if (strcmp(path, "-") == 0) {
		a->kind = AFILE_STDOUT;
		a->f = probe ? NULL : stdout;
		return 0;
	}
	e = follow_links(path, a->dst, sizeof(a->dst));
	if (e)
		return fail(err, path, what, e);

	if (stat(a->dst, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return fail(err, path, what, EISDIR);
		a->kind = AFILE_DIRECT;
		/* a FIFO's open waits for a reader: the probe only asks */
		if (probe && S_ISFIFO(st.st_mode))
			return access(a->dst, W_OK) ? fail(err, path, what, errno) : 0;
		fd = open(a->dst, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	} else {
		a->kind = AFILE_ATOMIC;
		n = snprintf(a->tmp, sizeof(a->tmp), "%s.tmp.%ld", a->dst, (long)getpid());
		if (n < 0 || (size_t)n >= sizeof(a->tmp)) {
			a->tmp[0] = '\0';
			return fail(err, path, what, ENAMETOOLONG);
		}
		fd = open(a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd < 0)
			a->tmp[0] = '\0';
	}
	if (fd < 0)
		return fail(err, path, what, errno);
	if (probe) {
		close(fd);
		if (a->tmp[0])
			unlink(a->tmp);
		return 0;
	}
	a->f = fdopen(fd, "w");
	if (!a->f) {
		e = errno;
		close(fd);
		afile_abort(a);
		return fail(err, path, what, e);
	}
	return 0;
}

int afile_open(struct afile *a, const char *path, struct diag *err)
{
	return open_target(a, path, 0, err);
}

int afile_probe(const char *path, struct diag *err)
{
	struct afile a;

	return open_target(&a, path, 1, err);
}

int afile_fail(struct afile *a, int errnum, struct diag *err)
{
	if (a->kind == AFILE_STDOUT && a->f)
		clearerr(a->f); /* reported here: main() must not say it again */
	afile_abort(a);
	return fail(err, a->kind == AFILE_STDOUT ? "standard output" : a->path, "write error",
		    errnum ? errnum : EIO);
}

int afile_finish(struct afile *a, struct diag *err)
{
	int e = 0;

	if (!a->f)
		return fail(err, a->path[0] ? a->path : "(closed file)",
			    "commit without an open file", EBADF);
	errno = 0;
	if (fflush(a->f) != 0 || ferror(a->f))
		e = errno ? errno : EIO;
	if (e)
		return afile_fail(a, e, err);
	if (a->kind != AFILE_STDOUT && fclose(a->f) != 0) {
		e = errno ? errno : EIO;
		a->f = NULL;
		return afile_fail(a, e, err);
	}
	a->f = NULL;
	return 0;
}

int afile_publish(struct afile *a, struct diag *err)
{
	int e;

	if (a->kind != AFILE_ATOMIC || !a->tmp[0])
		return 0;
	if (rename(a->tmp, a->dst) != 0) {
		e = errno;
		afile_abort(a);
		return fail(err, a->path, "cannot rename temporary file into place", e);
	}
	a->tmp[0] = '\0';
	return 0;
}

int afile_commit(struct afile *a, struct diag *err)
{
	if (afile_finish(a, err))
		return -1;
	return afile_publish(a, err);
}

void afile_abort(struct afile *a)
{
	if (a->f) {
		if (a->kind == AFILE_STDOUT)
			fflush(stdout);
		else
			fclose(a->f);
		a->f = NULL;
	}
	if (a->tmp[0]) {
		unlink(a->tmp);
		a->tmp[0] = '\0';
	}
}

int afile_probe_dir(const char *dir, struct diag *err)
{
	char buf[PATH_MAX], probe[PATH_MAX + 32];
	struct stat st;
	int fd;

	if (!dir || !*dir)
		return fail(err, "(empty path)", "cannot write in the directory", EINVAL);
	if (strlen(dir) >= sizeof(buf))
		return fail(err, dir, "cannot write in the directory", ENAMETOOLONG);
	memcpy(buf, dir, strlen(dir) + 1);
	/* the nearest part of the path that exists: what mkdir -p starts from */
	while (stat(buf, &st)) {
		char *slash;

		if (errno != ENOENT && errno != ENOTDIR)
			return fail(err, dir, "cannot write in the directory", errno);
		while ((slash = strrchr(buf, '/')) && slash[1] == '\0' && slash != buf)
			*slash = '\0';
		slash = strrchr(buf, '/');
		if (!slash)
			memcpy(buf, ".", 2);
		else
			slash[slash == buf] = '\0';
	}
	if (!S_ISDIR(st.st_mode)) {
		if (err)
			return diag_set(err, "%s: cannot write in the directory: %s is not a directory", dir, buf);
		return -1;
	}
	/* access(2) says yes to root on a read-only mount: create a file */
	snprintf(probe, sizeof(probe), "%s/.cassim-probe.%ld", buf, (long)getpid());
	fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (!err)
			return -1;
		if (strcmp(buf, dir))
			return diag_set(err, "%s: cannot create the directory in %s: %s", dir, buf, strerror(errno));
		return fail(err, dir, "cannot write in the directory", errno);
	}
	close(fd);
	unlink(probe);
	return 0;
}
