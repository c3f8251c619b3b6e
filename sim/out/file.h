/* Atomic result files: write to a temporary file in the same directory and
 * rename over the target, so a crash or an error never leaves a half-written
 * result. */
#ifndef CASSIM_OUT_FILE_H
#define CASSIM_OUT_FILE_H

#include <stdio.h>

#include "base/diag.h"

struct afile {
	FILE *f;
	char path[1024];
	char tmp[1040];
};

/* Open @path for atomic writing ("-" = stdout, written directly). */
int afile_open(struct afile *a, const char *path, struct diag *err);
/* Flush, fsync-free close and rename into place; -1 on I/O error (temp removed). */
int afile_commit(struct afile *a, struct diag *err);
/* Drop the temporary file. */
void afile_abort(struct afile *a);

#endif
