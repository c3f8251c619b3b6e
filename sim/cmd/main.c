/* cassim: command-line entry point and verb dispatch. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gsl/gsl_errno.h>
#include <jansson.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/suggest.h"
#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "report/file.h"
#include "policies/module.h"
#include "policies/policy.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

static const char usage[] =
	"usage: cassim <command> [options]\n"
	"\n"
	"A cache-aware scheduling simulator: the Linux fair class (CFS/EEVDF) on\n"
	"large multi-LLC, multi-node machines, loaded from hwloc topologies.\n"
	"\n"
	"commands:\n"
	"  run       run one simulation and print its summary (cassim run --help)\n"
	"  compare   run policies with paired seeds and compare them with statistics\n"
	"  policies  list the scheduling policies, their features and tunables\n"
	"  list      the names other commands take: topologies, workloads, policies, metrics\n"
	"  validate  re-run published results (a CSV) and score the agreement\n"
	"  observe   print public observables (a CSV) beside the model's figures, not scored\n"
	"  sweep     run a plan of many jobs (grids of parameters), resumable; merge; report\n"
	"  plot      draw figures (gnuplot) from results tables and run timelines\n"
	"  topo      show a topology and the sched domains Linux builds on it\n"
	"  bench     measure the simulator's speed on fixed scenarios\n"
	"  import    turn a trace (perf script of sched events) into a workload file\n"
	"\n"
	"options:\n"
	"  -h, --help     this text\n"
	"  -V, --version  print the version\n"
	"  --policy-module PATH.so\n"
	"                 load policies from a shared object before the command\n"
	"                 (any command; may be given more than once)\n"
	"\n"
	"Exit status: 0 success, 1 the run failed or an output cannot be written,\n"
	"2 bad usage or bad input.\n"
	"See cassim(1).\n";

void cmd_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vline(stderr, "cassim: error: ", fmt, ap);
	va_end(ap);
}

int cmd_bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vline(stderr, "cassim: error: ", fmt, ap);
	va_end(ap);
	return EXIT_BADINPUT;
}

void cmd_error(const char *msg)
{
	cmd_errorf("%s", msg);
}

const struct study_io *cmd_io(void)
{
	static struct study_io io;

	/* stdout and stderr are not constant expressions: filled here */
	io.out = stdout;
	io.error = cmd_error;
	io.note = stderr;
	return &io;
}

int cmd_opt_error(const char *verb, int c, char *const *argv)
{
	/* optind has moved past the word that held the option; for a short
	 * option in a cluster (-qx) optopt names the letter */
	char shortopt[3] = { '-', (char)optopt, '\0' };
	const char *word = argv[optind - 1];
	const char *name = optopt && word[0] == '-' && word[1] != '-' ? shortopt : word;

	if (c == ':')
		cmd_errorf("option %s needs a value (see cassim %s --help)", name, verb);
	else
		cmd_errorf("unknown option %s (see cassim %s --help)", name, verb);
	return EXIT_BADINPUT;
}

int cmd_probe_outputs(const char *const *paths, int nr)
{
	struct diag err;

	for (int i = 0; i < nr; i++)
		if (paths[i] && afile_probe(paths[i], &err)) {
			cmd_error(err.msg);
			return -1;
		}
	return 0;
}

/*
 * The global option --policy-module PATH (or --policy-module=PATH), valid
 * before the command word and anywhere among its options (up to a "--"):
 * load each module in order and remove the arguments, so that every verb
 * sees the module's policies and none has to know the option.  Returns the
 * new argc, or -1 after printing the one-line error.
 */
static int load_policy_modules(int argc, char **argv)
{
	static const char opt[] = "--policy-module";
	const size_t optlen = sizeof(opt) - 1;
	int out = 1, i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *path;
		struct diag err;

		if (!strcmp(a, "--")) /* the rest are operands: keep them as they are */
			break;
		if (strncmp(a, opt, optlen) || (a[optlen] != '\0' && a[optlen] != '=')) {
			argv[out++] = argv[i];
			continue;
		}
		if (a[optlen] == '=') {
			path = a + optlen + 1;
		} else if (i + 1 < argc) {
			path = argv[++i];
		} else {
			cmd_error("--policy-module: missing PATH (a policy module .so)");
			return -1;
		}
		if (!*path) {
			cmd_error("--policy-module: empty PATH (expected a policy module .so)");
			return -1;
		}
		if (policy_module_load(path, &err)) {
			cmd_error(err.msg);
			return -1;
		}
	}
	for (; i < argc; i++)
		argv[out++] = argv[i];
	argv[out] = NULL;
	return out;
}

/* jansson's allocations follow cassim's out-of-memory policy too. */
static void *json_alloc(size_t size)
{
	return xalloc_malloc(size, "the JSON parser");
}

/* GSL's default handler aborts on any error: out of memory follows
 * cassim's policy; anything else is a bug and still aborts, with GSL's
 * default message. */
static void on_gsl_error(const char *reason, const char *file, int line, int gsl_errno)
{
	if (gsl_errno == GSL_ENOMEM)
		xalloc_die(0, "GSL");
	fprintf(stderr, "gsl: %s:%d: ERROR: %s\n", file, line, reason);
	abort();
}

static int dispatch(int argc, char **argv, const char *name);

static int run_verb(int argc, char **argv)
{
	if (xalloc_init() < 0)
		return EXIT_BADINPUT;
	json_set_alloc_funcs(json_alloc, free);
	gsl_set_error_handler(on_gsl_error);
	argc = load_policy_modules(argc, argv);
	if (argc < 0)
		return EXIT_BADINPUT;
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_BADINPUT;
	}
	/* "cassim help VERB" is "cassim VERB --help": one text per verb */
	if (!strcmp(argv[1], "help") && argc >= 3) {
		static char help_opt[] = "--help";
		char *verb_argv[] = { argv[2], help_opt, NULL };
		return dispatch(2, verb_argv, argv[2]);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("cassim %s\n", PACKAGE_VERSION);
		return 0;
	}
	return dispatch(argc - 1, argv + 1, argv[1]);
}

/* The verb @name with its own argv (argv[0] is the verb). */
static int dispatch(int argc, char **argv, const char *name)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} verbs[] = {
		{ "run", cmd_run }, { "compare", cmd_compare }, { "policies", cmd_policies },
		{ "list", cmd_list }, { "validate", cmd_validate }, { "observe", cmd_observe }, { "sweep", cmd_sweep },
		{ "plot", cmd_plot }, { "topo", cmd_topo }, { "bench", cmd_bench }, { "import", cmd_import },
	};

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(name, verbs[i].name))
			return verbs[i].fn(argc, argv);
	cmd_errorf("unknown command '%s' (expected run, compare, policies, list, validate, observe, sweep, plot, topo, bench or import)", name);
	return EXIT_BADINPUT;
}


/*
 * Standard output is an output like any file: what a verb printed there
 * (a summary, --json -, a report) is only delivered if the last flush and
 * close work, so a full disk or a closed pipe is a failure, not a success.
 */
int main(int argc, char **argv)
{
	int ret = run_verb(argc, argv);

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		cmd_errorf("standard output: write error: %s",
			strerror(errno ? errno : EIO));
		return ret ? ret : EXIT_OUTPUT;
	}
	return ret;
}
