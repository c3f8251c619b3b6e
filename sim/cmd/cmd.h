/* Command-line verbs.  Each returns the process exit status:
 * 0 success, 1 failure of the run itself, 2 bad usage or bad input. */
#ifndef CASSIM_CMD_CMD_H
#define CASSIM_CMD_CMD_H

#include <stddef.h>

#define EXIT_BADINPUT 2

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

/* Print "cassim: error: MSG" to stderr. */
void cmd_error(const char *msg);

#endif
