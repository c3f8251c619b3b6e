/* Command-line verbs.  Each returns the process exit status:
 * 0 success, 1 failure of the run itself or an output that cannot be
 * written, 2 bad usage or bad input. */
#ifndef CASSIM_CMD_CMD_H
#define CASSIM_CMD_CMD_H

#include <stddef.h>

#include "study/study.h"

int cmd_run(int argc, char **argv);
int cmd_topo(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_policies(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_observe(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_list(int argc, char **argv);

/* Print "cassim: error: MSG" to stderr, escaped by diag_vline() (one line
 * of plain text, whatever the input put in MSG). */
void cmd_error(const char *msg);
/* A study's output for a verb: standard output, cmd_error, standard error. */
const struct study_io *cmd_io(void);
void cmd_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cmd_errorf, then EXIT_BADINPUT: "return cmd_bad(...)" for bad usage or input. */
int cmd_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* getopt_long's error for @verb, in the one style every verb uses:
 * "option X needs a value" (@c ':') or "unknown option X", each followed
 * by "(see cassim VERB --help)"; returns EXIT_BADINPUT.  Call it for
 * getopt's ':' and '?' with opterr = 0 and an optstring starting with ':'. */
int cmd_opt_error(const char *verb, int c, char *const *argv);

/* Probe the output files @paths (NULL entries skipped; "-" is standard
 * output) with afile_probe() before any work; on the first that cannot be
 * written, print its one-line error and return -1. */
int cmd_probe_outputs(const char *const *paths, int nr);

#endif
