/*
 * Reading CSV files (RFC 4180: quoted fields, "" inside quotes, CRLF or LF)
 * with libcsv in strict mode, one record at a time, so that a large file
 * (a long run's timeline) is never held whole.  Blank lines are skipped.
 */
#ifndef CASSIM_REPORT_CSVREAD_H
#define CASSIM_REPORT_CSVREAD_H

#include <stdio.h>

#include "base/diag.h"

struct csvr_rec {
	const char *file;  /* as given, for messages */
	int line;          /* line on which the record ends (its line, mostly) */
	long index;        /* 0: the header */
	int n;             /* fields */
	char **f;          /* NUL-terminated fields, valid during the call */
};

/* Called for every record; a nonzero return (with @err set) stops the read. */
typedef int (*csvr_fn)(void *ctx, const struct csvr_rec *r, struct diag *err);

/* Read @path (or the open @f, named @name in messages): the number of
 * records (header included), or -1 with @err set ("file:line: ..."). */
long csvr_read(const char *path, csvr_fn fn, void *ctx, struct diag *err);
long csvr_read_file(FILE *f, const char *name, csvr_fn fn, void *ctx, struct diag *err);

#endif
