/* Command-line verbs.  Each returns the process exit status:
 * 0 success, 1 failure of the run itself or an output that cannot be
 * written, 2 bad usage or bad input. */
#ifndef CASSIM_CMD_CMD_H
#define CASSIM_CMD_CMD_H

#include <stddef.h>

#define EXIT_BADINPUT 2
/* An output (a file, a directory, standard output) cannot be written: found
 * before the work starts when possible (cmd_probe_outputs), else at the end. */
#define EXIT_OUTPUT 1

/* What run, compare and list metrics simulate unless told otherwise. */
#define CMD_DEFAULT_TOPOLOGY "epyc-9755-2s-nps1"
#define CMD_DEFAULT_WORKLOAD "cpu-mix"

int cmd_run(int argc, char **argv);
int cmd_topo(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_policies(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_list(int argc, char **argv);

/* Directories searched for shipped data of kind @sub ("topologies",
 * "workloads", "plots"), NULL-terminated: $CASSIM_DATADIR/@sub if set,
 * ./@sub, the source tree's @sub (next to the binary, for uninstalled runs),
 * then the installed $(pkgdatadir)/@sub. */
const char *const *cmd_data_dirs(const char *sub);

/* The registered policy names, comma-separated, into @buf. */
void cmd_policy_names(char *buf, size_t len);
/* ", did you mean NAME?" for an unknown policy @name (a registered one a
 * typo away), or "", into @buf; returns @buf. */
char *cmd_policy_hint(char *buf, size_t len, const char *name);

/* Print "cassim: error: MSG" to stderr, escaped by diag_vline() (one line
 * of plain text, whatever the input put in MSG). */
void cmd_error(const char *msg);
void cmd_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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
