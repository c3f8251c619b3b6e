/* Command-line verbs.  Each returns the process exit status:
 * 0 success, 1 failure of the run itself, 2 bad usage or bad input. */
#ifndef CASSIM_CMD_CMD_H
#define CASSIM_CMD_CMD_H

#include <stddef.h>

#define EXIT_BADINPUT 2

int cmd_run(int argc, char **argv);
int cmd_topo(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_policies(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_plot(int argc, char **argv);

/* Directories searched for shipped data of kind @sub ("topologies",
 * "workloads", "plots"), NULL-terminated: $CASSIM_DATADIR/@sub if set,
 * ./@sub, the source tree's @sub (next to the binary, for uninstalled runs),
 * then the installed $(pkgdatadir)/@sub. */
const char *const *cmd_data_dirs(const char *sub);

/* The registered policy names, comma-separated, into @buf. */
void cmd_policy_names(char *buf, size_t len);

/* Print "cassim: error: MSG" to stderr. */
void cmd_error(const char *msg);

#endif
