/*
 * cassim import perf-sched FILE [-o OUT]: turn the text output of perf script
 * over the sched tracepoints into a workload file (sim/workload/wl_import.c;
 * the mapping is documented in workloads/import.md).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "workload/wl_import.h"

static void import_usage(FILE *f)
{
	fputs("usage: cassim import perf-sched FILE [-o OUT] [--mode replay|fit]\n"
	      "                     [--group-by tgid|fork|comm] [--keep kernel,tools]\n"
	      "                     [--max-ops N] [--name NAME] [--quiet]\n"
	      "\n"
	      "Turn a scheduler trace into a workload file for cassim run --workload.\n"
	      "\n"
	      "FILE is the text output of perf script over the tracepoints sched:sched_switch,\n"
	      "sched:sched_waking (or sched:sched_wakeup), sched:sched_wakeup_new,\n"
	      "sched:sched_process_fork and sched:sched_process_exit, e.g.\n"
	      "  perf sched record -o perf.data -- COMMAND     (or: perf sched record -a sleep 5)\n"
	      "  perf script -i perf.data -F comm,tid,pid,cpu,time,event,trace > trace.txt\n"
	      "The PID column groups threads into processes (plain `perf script` works too:\n"
	      "see --group-by). Threads become comm-tid with their run bursts, sleeps and\n"
	      "who-wakes-whom; kernel threads and perf itself are left out.\n"
	      "\n"
	      "  -o, --output OUT      the workload file (default -: standard output)\n"
	      "      --mode MODE       replay: each thread's exact sequence of runs, sleeps,\n"
	      "                        waits and wakes, once (default); fit: a loop of a\n"
	      "                        lognormal run, its wakes and a wait or fitted sleep\n"
	      "  -g, --group-by RULE   threads -> processes: tgid (the PID column, default\n"
	      "                        when present), fork (a forked child joins its parent's\n"
	      "                        process; default without PID column), comm (same name)\n"
	      "  -k, --keep LIST       import what is left out by default: kernel (kernel\n"
	      "                        threads: kworker/N, ksoftirqd/N, ...), tools (perf,\n"
	      "                        trace-cmd), all (default: none)\n"
	      "      --max-ops N       replay: at most N ops per thread (default 10000)\n"
	      "      --name NAME       the workload's name (default: FILE without extension)\n"
	      "  -q, --quiet           no summary, no warnings\n"
	      "  -h, --help            this text\n"
	      "\n"
	      "Lines of other events and call chains are skipped (with a warning). A line\n"
	      "that does not parse is an error FILE:LINE: what (what was expected), and so\n"
	      "is a trace without wake edges between the imported threads (exit status 2);\n"
	      "nothing is written then. See workloads/import.md for the mapping.\n", f);
}

static void warnings(const struct wl_trace *t)
{
	int rt = 0, trunc = 0;

	if (t->nr_other)
		diag_warn("%s: skipped %lld line%s of other events (%s)", t->file, (long long)t->nr_other,
			  t->nr_other == 1 ? "" : "s", t->other_names);
	if (t->nr_callchain)
		diag_warn("%s: skipped %lld call-chain line%s", t->file, (long long)t->nr_callchain,
			  t->nr_callchain == 1 ? "" : "s");
	if (t->nr_reordered)
		diag_warn("%s: %lld event%s earlier than the line before (taken at the earlier time)", t->file,
			  (long long)t->nr_reordered, t->nr_reordered == 1 ? "" : "s");
	for (int k = 0; k < t->nr_order; k++) {
		const struct wl_imp_thread *th = &t->threads[t->order[k]];

		rt += th->prio >= 0 && th->prio < 100;
		trunc += th->truncated;
	}
	if (rt)
		diag_warn("%s: %d real-time thread%s imported as fair-class threads with nice 0", t->file, rt,
			  rt == 1 ? "" : "s");
	if (trunc)
		diag_warn("%s: %d thread%s cut at --max-ops ops (a wait whose wake was cut blocks for good)",
			  t->file, trunc, trunc == 1 ? "" : "s");
}

/* No wake edge between the imported threads: a workload without who-wakes-
 * whom is not what the trace ran.  Say why from the counts. */
static void no_edges(const struct wl_trace *t, struct diag *err)
{
	if (!t->nr_wake_events)
		diag_set(err, "%s: no wake edges: the trace has no sched:sched_waking or sched:sched_wakeup "
			 "events (record them: perf sched record, or perf record -e sched:sched_waking)", t->file);
	else
		diag_set(err, "%s: no wake edges between the imported threads (%lld wakeup%s read: %lld from "
			 "the idle task or interrupts, %lld from left-out kernel threads or tools; "
			 "expected threads of a workload waking each other, --keep kernel,tools imports those)",
			 t->file, (long long)t->nr_wake_events, t->nr_wake_events == 1 ? "" : "s",
			 (long long)t->nr_wakes_idle, (long long)t->nr_wakes_left_out);
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "mode", required_argument, NULL, 'm' },
		{ "group-by", required_argument, NULL, 'g' },
		{ "keep", required_argument, NULL, 'k' },
		{ "max-ops", required_argument, NULL, 'M' },
		{ "name", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *out = "-", *format = NULL, *path = NULL;
	struct wl_import_opts o;
	struct wl_trace *t = NULL;
	struct diag err = { { 0 } };
	json_t *doc = NULL;
	int c, quiet = 0, ret = EXIT_BADINPUT, nr_modelled = 0;

	wl_import_opts_init(&o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:g:k:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'm':
			if (!strcmp(optarg, "replay"))
				o.mode = WL_IMPORT_REPLAY;
			else if (!strcmp(optarg, "fit"))
				o.mode = WL_IMPORT_FIT;
			else
				return cmd_bad("--mode %s: unknown mode (expected replay or fit)", optarg);
			break;
		case 'g':
			if (!strcmp(optarg, "tgid"))
				o.group_by = WL_IMPORT_GROUP_TGID;
			else if (!strcmp(optarg, "fork"))
				o.group_by = WL_IMPORT_GROUP_FORK;
			else if (!strcmp(optarg, "comm"))
				o.group_by = WL_IMPORT_GROUP_COMM;
			else
				return cmd_bad("--group-by %s: unknown rule (expected tgid, fork or comm)", optarg);
			break;
		case 'k': {
			int keep = wl_import_parse_keep(optarg);

			if (keep < 0)
				return cmd_bad("--keep %s: unknown word (expected a list of kernel, tools, all, none)",
					   optarg);
			o.keep = (unsigned)keep;
			break;
		}
		case 'M': {
			long long v;

			if (cmd_opt_int("--max-ops", optarg, 1, INT_MAX / 4, "", &v))
				return EXIT_BADINPUT;
			o.max_ops = (int)v;
			break;
		}
		case 'n':
			if (!*optarg || strlen(optarg) > 127)
				return cmd_bad("--name '%s': expected 1..127 characters", optarg);
			o.name = optarg;
			break;
		case 'q': quiet = 1; break;
		case 'h': import_usage(stdout); return 0;
		case ':':
		default:
			return cmd_opt_error("import", c, argv);
		}
	}
	for (int i = optind; i < argc; i++) {
		if (!format)
			format = argv[i];
		else if (!path)
			path = argv[i];
		else
			return cmd_bad("import: unexpected argument '%s' (see cassim import --help)", argv[i]);
	}
	if (!format)
		return cmd_bad("%s", "import: missing trace format (usage: cassim import perf-sched FILE [-o OUT])");
	if (strcmp(format, "perf-sched"))
		return cmd_bad("import: unknown trace format '%s' (expected perf-sched)", format);
	if (!path)
		return cmd_bad("%s", "import perf-sched: missing trace file (usage: cassim import perf-sched FILE [-o OUT])");
	if (quiet)
		diag_quiet_warnings(1);
	if (cmd_probe_outputs(&out, 1))
		return EXIT_OUTPUT;

	if (wl_trace_read_path(path, o.max_ops, &t, &err) || wl_trace_model(t, &o, &err))
		goto fail;
	if (!t->nr_edges) {
		no_edges(t, &err);
		goto fail;
	}
	doc = wl_trace_workload(t, &o);
	if (!doc) {
		diag_set(&err, "%s: out of memory", path);
		goto fail;
	}
	if (wl_import_write(doc, out, &err)) {
		ret = 1;
		goto fail;
	}
	warnings(t);
	for (int i = 0; i < t->nr_edges; i++)
		nr_modelled += t->edges[i].modelled;
	if (!quiet) {
		FILE *f = strcmp(out, "-") ? stdout : stderr;

		char left[128] = "";

		if (t->nr_left_kernel || t->nr_left_tools)
			snprintf(left, sizeof(left), " (left out: %d kernel thread%s, %d thread%s of recording tools)",
				 t->nr_left_kernel, t->nr_left_kernel == 1 ? "" : "s", t->nr_left_tools,
				 t->nr_left_tools == 1 ? "" : "s");
		fprintf(f, "imported %s: %d thread%s in %d process%s%s over %.3f ms, %d wake edge%s "
			"(%d modelled as wake/wait), mode %s, processes by %s -> %s\n", path, t->nr_order,
			t->nr_order == 1 ? "" : "s", t->nr_procs, t->nr_procs == 1 ? "" : "es", left,
			(double)(t->t1 - t->t0) / 1e6, t->nr_edges, t->nr_edges == 1 ? "" : "s", nr_modelled,
			wl_import_mode_name(o.mode), wl_import_group_name(t->grouped_by),
			strcmp(out, "-") ? out : "standard output");
	}
	ret = 0;
	goto out;
fail:
	cmd_error(err.msg);
out:
	json_decref(doc);
	wl_trace_free(t);
	return ret;
}
