/*
 * gnuplot at run time: find the binary and a script, quote values for its
 * -e expressions, and render a script into PREFIX.png and PREFIX.svg.
 * Shared by cassim compare --plot and cassim plot.
 */
#ifndef CASSIM_REPORT_GNUPLOT_H
#define CASSIM_REPORT_GNUPLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/diag.h"

/* $CASSIM_GNUPLOT if set (tests point it at a missing program), else "gnuplot". */
const char *gp_bin(void);

/* Is gp_bin() executable, directly or on $PATH? */
bool gp_available(void);

/* The first readable @dirs[i]/@name (NULL-terminated @dirs, e.g.
 * study_data_dirs("plots")) into @buf; NULL if none. */
const char *gp_find_script(const char *const *dirs, const char *name, char *buf, size_t len);

/* A gnuplot single-quoted string literal: ' doubles, nothing else is special. */
void gp_str(FILE *f, const char *s);

/* A double-quoted word of a gnuplot word list (word(), words()): characters
 * that would end or escape it (" ' \ and controls) become '_'. */
void gp_word(FILE *f, const char *s);

/*
 * Run `gnuplot -e "@vars; fmt='png'; outfile='T1'" @script`, then the same
 * with fmt='svg', each into a temporary file next to @prefix.png and
 * @prefix.svg (out/file.h: links followed, a device written in place); only
 * when both succeeded are they renamed into place, so a failure leaves the
 * previous files.  gnuplot's stderr goes to a temporary log whose last line
 * makes the error message.  -1 with @err set on failure.
 */
int gp_render(const char *script, const char *vars, const char *prefix, struct diag *err);

#endif
