/*
 * Result files, never half-written and never replacing what the path names.
 *
 * A regular file (or a path that does not exist yet) is written to a
 * temporary file beside it and renamed over it, so a crash or an error
 * leaves the previous file whole.  A symbolic link is followed to the file
 * it names (even if that does not exist yet), which is replaced the same
 * way: the link stays a link.  An existing non-regular file (a device such
 * as /dev/null, a FIFO) is opened and written directly.  "-" is standard
 * output.  Every write, flush and close is checked.
 */
#ifndef CASSIM_REPORT_FILE_H
#define CASSIM_REPORT_FILE_H

#include <limits.h>
#include <stdio.h>

#include "base/diag.h"

enum afile_kind {
	AFILE_STDOUT,   /* "-" */
	AFILE_DIRECT,   /* an existing device or FIFO, written in place */
	AFILE_ATOMIC,   /* tmp beside the target, renamed over it */
};

struct afile {
	FILE *f;
	enum afile_kind kind;
	char path[1024];      /* as the user wrote it, for messages */
	char dst[PATH_MAX];   /* the file written: @path with its links followed */
	char tmp[PATH_MAX + 32];  /* AFILE_ATOMIC: "DST.tmp.<pid>" while open */
};

/* Open @path for writing ("-" = stdout). */
int afile_open(struct afile *a, const char *path, struct diag *err);
/* Check, before any work, that afile_open(@path) would work: the target is
 * not a directory, its directory takes a new file, a device opens.  Leaves
 * nothing behind. */
int afile_probe(const char *path, struct diag *err);
/* The same for a directory that results go in: it, or the nearest part of
 * its path that exists (mkdir -p makes the rest), is a directory in which a
 * file can be created. */
int afile_probe_dir(const char *dir, struct diag *err);
/* Flush and close; an atomic file stays in its temporary name until
 * afile_publish().  -1 on a write error (the temporary file is removed). */
int afile_finish(struct afile *a, struct diag *err);
/* A write to @a failed with @errnum (0: unknown): drop it, and set @err to
 * "PATH: write error: REASON".  Returns -1. */
int afile_fail(struct afile *a, int errnum, struct diag *err);
/* Rename a finished atomic file into place (no-op for the others). */
int afile_publish(struct afile *a, struct diag *err);
/* afile_finish() then afile_publish(). */
int afile_commit(struct afile *a, struct diag *err);
/* Drop what was written: close, remove the temporary file. */
void afile_abort(struct afile *a);

#endif
