/*
 * cassim validate: published row -> simulator runs.  See validate_map.h and
 * papers/validation/README.md (which documents every entry of these tables;
 * change both together).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/param.h"
#include "study/validate_map.h"
#include "policies/cas.h"
#include "policies/policy.h"

/* ---- revisions -------------------------------------------------------------------------- */

static const char *const revisions[][2] = {
	{ "rfc", "cas-rfc" },       { "rfc-v1", "cas-rfc" },   { "rfc-v2", "cas-rfc-v2" },
	{ "rfc-v3", "cas-rfc-v3" }, { "rfc-v4", "cas-rfc-v4" }, { "v1", "cas-v1" },
	{ "v2", "cas-v2" },         { "v3", "cas-v3" },         { "v4", "cas-v4" },
	{ "merged", "cas-merged" }, { "7.2-fixes", "cas-7.2-fixes" },
};

const char *vm_policy_for_revision(const char *rev, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(revisions) / sizeof(revisions[0]); i++)
		if (!strcasecmp(rev, revisions[i][0])) {
			snprintf(buf, len, "%s", revisions[i][1]);
			return buf;
		}
	if (!strcmp(rev, "cfs") || !strncmp(rev, "cas-", 4)) {
		snprintf(buf, len, "%s", rev);
		return buf;
	}
	return NULL;
}

/* ---- benchmark tables ------------------------------------------------------------------- */

/* CSV key (|-separated aliases) -> model parameter.  A model name starting
 * with '-' is accepted and not passed on (the mapping sets it itself). */
struct vm_key {
	const char *csv, *model;
};

/* A bare word in params -> model key=value (NULL key: ignored word). */
struct vm_word {
	const char *words, *key, *value;
};

struct vm_metric {
	const char *csv, *metric, *stat;
	enum vm_sense sense;
};

/* Parsed and normalised params of one variant. */
struct kvs {
	int n;
	struct vm_set kv[VM_MAX_SETS];
};

struct vm_bench {
	const char *name;      /* canonical */
	const char *aliases;   /* |-separated */
	const char *workload;  /* shipped workload */
	const struct vm_key *keys;
	const struct vm_word *words;
	const struct vm_metric *metrics;
	/* defaults, derived parameters and the run length */
	int (*finish)(struct kvs *p, const struct vm_machine *m, double scale, struct vm_variant *v,
		      struct vm_map *out);
};

static const char *kv_get(const struct kvs *p, const char *k)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->kv[i].key, k))
			return p->kv[i].value;
	return NULL;
}

static int kv_put(struct kvs *p, const char *k, const char *v)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->kv[i].key, k)) {
			snprintf(p->kv[i].value, sizeof(p->kv[i].value), "%s", v);
			return 0;
		}
	if (p->n == VM_MAX_SETS)
		return -1;
	snprintf(p->kv[p->n].key, sizeof(p->kv[p->n].key), "%s", k);
	snprintf(p->kv[p->n].value, sizeof(p->kv[p->n].value), "%s", v);
	p->n++;
	return 0;
}

static void note(struct vm_map *out, const char *fmt, const char *arg)
{
	char buf[160];
	size_t n = strlen(out->notes);

	snprintf(buf, sizeof(buf), fmt, arg);
	if (strstr(out->notes, buf))
		return;
	snprintf(out->notes + n, sizeof(out->notes) - n, "%s%s", n ? "; " : "", buf);
}

static void put_set(struct vm_variant *v, const char *k, const char *val)
{
	for (int i = 0; i < v->nr_sets; i++)
		if (!strcmp(v->sets[i].key, k)) {
			snprintf(v->sets[i].value, sizeof(v->sets[i].value), "%s", val);
			return;
		}
	if (v->nr_sets < VM_MAX_SETS) {
		snprintf(v->sets[v->nr_sets].key, sizeof(v->sets[0].key), "%s", k);
		snprintf(v->sets[v->nr_sets].value, sizeof(v->sets[0].value), "%s", val);
		v->nr_sets++;
	}
}

static void put_setl(struct vm_variant *v, const char *k, long val)
{
	char b[32];
	snprintf(b, sizeof(b), "%ld", val);
	put_set(v, k, b);
}

/* A positive integer parameter, or -1. */
static long kv_int(const struct kvs *p, const char *k, long def)
{
	const char *s = kv_get(p, k);
	char *end;
	long v;

	if (!s)
		return def;
	v = strtol(s, &end, 10);
	return (*end || end == s || v <= 0) ? -1 : v;
}

static simtime_t secs(double s)
{
	return (simtime_t)llround(s * (double)NSEC_PER_SEC);
}

/* Fixed-work benchmarks run until their threads exit; the duration is only a
 * cap, generous so that a slow policy still finishes (an incomplete run is
 * reported as failed, never scored). */
#define WORK_CAP secs(600)

/* -- hackbench: rt-tests hackbench, thread mode + pipes unless the row says
 * otherwise (MODELS.md: the CAS numbers are -T -p).  The published runs do
 * 10^6 loops (tens of seconds); the model does a fixed message budget per
 * run, HB_MESSAGES x scale messages = groups x fds^2 x loops, which keeps
 * the simulator's cost per run about constant across rows.  A published
 * run is 10-100x longer than that budget, so its time is the steady state:
 * the balancer's aggregation transient (one thread per package-level
 * balance, 60-240 ms apart) is a few per cent of it but most of a
 * budget-sized run.  The model therefore runs the budget twice, as a
 * warm-up and then measured (hackbench.json "warmup", metric
 * time_after_warmup), the same for the baseline and the revision. */
#define HB_MESSAGES 24e6

static const struct vm_key hb_keys[] = {
	{ "groups|group|g", "groups" }, { "fd|fds|f", "fds" }, { "size|datasize|s", "datasize" },
	{ "loops|l", "-loops" }, { "mode", "mode" }, { "ipc", "ipc" }, { NULL, NULL },
};
static const struct vm_word hb_words[] = {
	{ "thread|threads|-T", "mode", "thread" }, { "process|processes|-P", "mode", "process" },
	{ "pipe|pipes|-p", "ipc", "pipe" },          { "socket|sockets", "ipc", "socket" },
	{ "defaults|x", NULL, NULL },                { NULL, NULL, NULL },
};
static const struct vm_metric hb_metrics[] = {
	{ "time", "time_after_warmup", "value", VM_LOWER },
	{ "throughput", "time_after_warmup", "value", VM_INV_TIME },
	{ NULL, NULL, NULL, 0 },
};

static int hb_finish(struct kvs *p, const struct vm_machine *m, double scale, struct vm_variant *v,
		     struct vm_map *out)
{
	long g = kv_int(p, "groups", 1), f = kv_int(p, "fds", 20), loops;

	if (g < 0 || f < 0) {
		snprintf(out->reason, sizeof(out->reason), "groups and fd must be positive integers");
		return -1;
	}
	if (!kv_get(p, "groups"))
		note(out, "%s", "groups=1 assumed");
	if (!kv_get(p, "mode"))
		kv_put(p, "mode", "thread"), note(out, "%s", "thread mode assumed (-T, as the CAS series ran)");
	if (!kv_get(p, "ipc"))
		kv_put(p, "ipc", "pipe"), note(out, "%s", "pipes assumed (-p, as the CAS series ran)");
	if (kv_get(p, "-loops"))
		note(out, "%s", "published loops replaced by the model's message budget");
	/* in double: groups x fds^2 overflows a long for counts the workload
	 * loader then refuses by name */
	loops = lround(scale * HB_MESSAGES / ((double)g * (double)f * (double)f));
	if (loops < 10)
		loops = 10;
	put_setl(v, "groups", g);
	put_setl(v, "fds", f);
	put_set(v, "mode", kv_get(p, "mode"));
	put_set(v, "ipc", kv_get(p, "ipc"));
	if (kv_get(p, "datasize"))
		put_set(v, "datasize", kv_get(p, "datasize"));
	put_setl(v, "loops", loops);
	put_setl(v, "warmup", loops);
	note(out, "%s", "measured after a warm-up of the same length (the steady state of a long run)");
	v->duration = WORK_CAP;
	return 0;
}

/* -- schbench: -m message threads, -t workers per message thread.  The rows
 * give only the message-thread count ("239" on a 240-CPU box = saturated);
 * the worker count per message thread is not published: 1 [U]. */
#define SB_DURATION 5.0

static const struct vm_key sb_keys[] = {
	{ "message_threads|message-threads|m", "message_threads" },
	{ "workers|worker_threads|threads|t", "workers" },
	{ "sleep|s", "sleep" }, { "operations|n", "operations" },
	{ "runtime|r", "-runtime" }, { NULL, NULL },
};
static const struct vm_word sb_words[] = { { "defaults|x", NULL, NULL }, { NULL, NULL, NULL } };
static const struct vm_metric sb_metrics[] = {
	{ "wakeup_p50", "wakeup_latency", "p50", VM_LOWER },
	{ "wakeup_p90", "wakeup_latency", "p90", VM_LOWER },
	{ "wakeup_p99", "wakeup_latency", "p99", VM_LOWER },
	{ "wakeup_p99.9", "wakeup_latency", "p99.9", VM_LOWER },
	{ "request_p50", "request_latency", "p50", VM_LOWER },
	{ "request_p90", "request_latency", "p90", VM_LOWER },
	{ "request_p99", "request_latency", "p99", VM_LOWER },
	{ "request_p99.9", "request_latency", "p99.9", VM_LOWER },
	{ "rps|throughput", "rps", "value", VM_HIGHER },
	{ NULL, NULL, NULL, 0 },
};

static int sb_finish(struct kvs *p, const struct vm_machine *m, double scale, struct vm_variant *v,
		     struct vm_map *out)
{
	long mt = kv_int(p, "message_threads", 1), w = kv_int(p, "workers", 1);

	if (mt < 0 || w < 0) {
		snprintf(out->reason, sizeof(out->reason), "message_threads and workers must be positive integers");
		return -1;
	}
	if (!kv_get(p, "workers"))
		note(out, "%s", "1 worker per message thread assumed (-t not published) [U]");
	put_setl(v, "message_threads", mt);
	put_setl(v, "workers", w);
	if (kv_get(p, "sleep"))
		put_set(v, "sleep", kv_get(p, "sleep"));
	if (kv_get(p, "operations"))
		put_set(v, "operations", kv_get(p, "operations"));
	v->duration = secs(SB_DURATION * scale);
	if (v->duration < secs(0.02))
		v->duration = secs(0.02);
	return 0;
}

/* -- schbench-old: schbench before its 2023 rework (2eef447 read), the one
 * reviewers' reports call "old schbench": -m message threads (default 2),
 * -t workers per message thread (16), -s message-thread sleep and -c worker
 * spin in usec (30000 each; the sleep gets up to s/4 of jitter), -r seconds.
 * It prints wakeup-latency percentiles only.  -C is parsed but ignored by
 * that source (message_cputime = message_cputime), so it is not a key. */
static const struct vm_key sbo_keys[] = {
	{ "message_threads|message-threads|mthreads|m", "message_threads" },
	{ "workers|worker_threads|threads|t", "workers" },
	{ "sleeptime|s", "sleeptime" }, { "cputime|c", "cputime" },
	{ "runtime|r", "-runtime" }, { NULL, NULL },
};
static const struct vm_metric sbo_metrics[] = {
	{ "wakeup_p50", "wakeup_latency", "p50", VM_LOWER },
	{ "wakeup_p90", "wakeup_latency", "p90", VM_LOWER },
	{ "wakeup_p99", "wakeup_latency", "p99", VM_LOWER },
	{ "wakeup_p99.9", "wakeup_latency", "p99.9", VM_LOWER },
	{ NULL, NULL, NULL, 0 },
};

/* A usec count >= 0 (schbench's -s / -c), or -1. */
static long kv_usec(const struct kvs *p, const char *k, long def)
{
	const char *s = kv_get(p, k);
	char *end;
	long v;

	if (!s)
		return def;
	v = strtol(s, &end, 10);
	return (*end || end == s || v < 0) ? -1 : v;
}

static int sbo_finish(struct kvs *p, const struct vm_machine *m, double scale, struct vm_variant *v,
		      struct vm_map *out)
{
	long mt = kv_int(p, "message_threads", 2), w = kv_int(p, "workers", 16);
	long sl = kv_usec(p, "sleeptime", 30000), cpu = kv_usec(p, "cputime", 30000);
	char b[32];

	(void)m;
	if (mt < 0 || w < 0 || sl < 0 || cpu < 0) {
		snprintf(out->reason, sizeof(out->reason),
			 "message_threads and workers must be positive integers, sleeptime and cputime usec >= 0");
		return -1;
	}
	put_setl(v, "message_threads", mt);
	put_setl(v, "workers", w);
	/* run_msg_thread(): usleep(sleeptime + rand % (sleeptime / 4)) */
	snprintf(b, sizeof(b), "%ldus", sl);
	put_set(v, "sleeptime", b);
	snprintf(b, sizeof(b), "%ldus", sl + sl / 4);
	put_set(v, "sleep_max", b);
	snprintf(b, sizeof(b), "%ldus", cpu);
	put_set(v, "cputime", b);
	v->duration = secs(SB_DURATION * scale);
	if (v->duration < secs(0.02))
		v->duration = secs(0.02);
	return 0;
}

/* -- stream: mmtests stream-omp-llcs: one OpenMP thread per LLC unless the
 * row says threads=; 512 MB of arrays unless size=; one run per kernel
 * (MODELS.md: share_mib and refs derived per kernel). */
static const struct vm_key st_keys[] = {
	{ "threads|omp_num_threads", "threads" }, { "size|array_size|stream_size", "size" },
	{ "kernel", "kernel" }, { "ntimes", "-ntimes" }, { NULL, NULL },
};
static const struct vm_word st_words[] = {
	{ "copy", "kernel", "copy" }, { "scale", "kernel", "scale" }, { "add", "kernel", "add" },
	{ "triad", "kernel", "triad" }, { "defaults|x", NULL, NULL }, { NULL, NULL, NULL },
};
static const struct vm_metric st_metrics[] = {
	{ "bandwidth|throughput", "bandwidth", "value", VM_HIGHER },
	{ "time", "time", "value", VM_LOWER },
	{ NULL, NULL, NULL, 0 },
};

/* "512MB", "2GB", "512M", "2G", "512" (MB) -> MiB (mmtests' MB are MiB); -1 if bad */
static long size_mib(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v <= 0)
		return -1;
	if (!*end || !strcasecmp(end, "m") || !strcasecmp(end, "mb") || !strcasecmp(end, "mib"))
		return lround(v);
	if (!strcasecmp(end, "g") || !strcasecmp(end, "gb") || !strcasecmp(end, "gib"))
		return lround(v * 1024);
	return -1;
}

static int st_finish(struct kvs *p, const struct vm_machine *m, double scale, struct vm_variant *v,
		     struct vm_map *out)
{
	long threads = kv_int(p, "threads", m->nr_llcs), size = 512, share, ntimes;
	const char *kernel = kv_get(p, "kernel") ? kv_get(p, "kernel") : "triad";
	bool two_arrays = !strcmp(kernel, "copy") || !strcmp(kernel, "scale");

	if (threads < 0) {
		snprintf(out->reason, sizeof(out->reason), "threads must be a positive integer");
		return -1;
	}
	if (!kv_get(p, "threads"))
		note(out, "%s", "one thread per LLC assumed (mmtests stream-omp-llcs)");
	if (kv_get(p, "size") && (size = size_mib(kv_get(p, "size"))) < 0) {
		snprintf(out->reason, sizeof(out->reason), "size=%s: expected e.g. 512MB or 2GB", kv_get(p, "size"));
		return -1;
	}
	if (!kv_get(p, "size"))
		note(out, "%s", "512 MB of arrays assumed (mmtests STREAM_SIZE)");
	if (!kv_get(p, "kernel"))
		note(out, "%s", "triad kernel assumed");
	/* each thread moves its share of the arrays the kernel touches: 3 of the
	 * 3 arrays for add/triad, 2 for copy/scale */
	share = lround((double)size * (two_arrays ? 2.0 : 3.0) / 3.0 / (double)threads);
	if (share < 1)
		share = 1;
	ntimes = lround(10 * scale);
	if (ntimes < 2)
		ntimes = 2;
	put_setl(v, "threads", threads);
	put_set(v, "kernel", kernel);
	put_setl(v, "share_mib", share);
	put_set(v, "refs", two_arrays ? "2458" : "2185");
	put_setl(v, "ntimes", ntimes);
	v->duration = WORK_CAP;
	return 0;
}

/* -- netperf TCP_RR and tbench: N client/server pairs of single-threaded
 * processes.  Rates: the run length shrinks with the number of pairs (the
 * rate is an average over many transactions either way). */
static simtime_t pairs_duration(long pairs, double per, double scale)
{
	double d = pairs > per ? per / (double)pairs : 1.0;

	if (d < 0.1)
		d = 0.1;
	d *= scale;
	return secs(d < 0.01 ? 0.01 : d);
}

static const struct vm_key np_keys[] = {
	{ "clients|pairs|instances|n", "pairs" }, { "req", "req" }, { "resp", "resp" },
	{ "l|time", "-time" }, { NULL, NULL },
};
static const struct vm_word np_words[] = {
	{ "tcp_rr|TCP_RR", NULL, NULL }, { "defaults|x", NULL, NULL }, { NULL, NULL, NULL },
};
static const struct vm_metric np_metrics[] = {
	{ "throughput|transactions|trans/s", "throughput", "value", VM_HIGHER },
	{ NULL, NULL, NULL, 0 },
};

static int np_finish(struct kvs *p, const struct vm_machine *m, double scale, struct vm_variant *v,
		     struct vm_map *out)
{
	long pairs = kv_int(p, "pairs", 1);

	if (pairs < 0) {
		snprintf(out->reason, sizeof(out->reason), "clients must be a positive integer");
		return -1;
	}
	put_setl(v, "pairs", pairs);
	if (kv_get(p, "req"))
		put_set(v, "req", kv_get(p, "req"));
	if (kv_get(p, "resp"))
		put_set(v, "resp", kv_get(p, "resp"));
	v->duration = pairs_duration(pairs, 16, scale);
	return 0;
}

static const struct vm_key tb_keys[] = {
	{ "clients|n|procs", "clients" }, { "t|time", "-time" }, { NULL, NULL },
};
static const struct vm_word tb_words[] = { { "defaults|x", NULL, NULL }, { NULL, NULL, NULL } };
static const struct vm_metric tb_metrics[] = {
	{ "throughput|bandwidth", "throughput", "value", VM_HIGHER },
	{ "ops", "ops", "value", VM_HIGHER },
	{ NULL, NULL, NULL, 0 },
};

static int tb_finish(struct kvs *p, const struct vm_machine *m, double scale, struct vm_variant *v,
		     struct vm_map *out)
{
	long c = kv_int(p, "clients", 1);

	if (c < 0) {
		snprintf(out->reason, sizeof(out->reason), "clients must be a positive integer");
		return -1;
	}
	put_setl(v, "clients", c);
	v->duration = pairs_duration(c, 8, scale);
	return 0;
}

/* -- chacha20-verilator: one process of N threads; run time.  "processes=8
 * x threads=128" (eight copies at once, the CAS v1 Genoa rows) runs
 * papers/validation/workloads/chacha20-verilator-8proc.json: the language
 * cannot repeat a process, so that file spells out the eight.  The run does
 * a fixed budget of thread-cycles (CC_THREAD_CYCLES x scale), so that the
 * eight-copy run costs about as much as the single one. */
#define CC_THREAD_CYCLES 1e6

static const struct vm_key cc_keys[] = {
	{ "threads", "threads" }, { "processes|procs|copies", "-processes" },
	{ "cycles", "-cycles" }, { NULL, NULL },
};
static const struct vm_word cc_words[] = { { "defaults|x", NULL, NULL }, { NULL, NULL, NULL } };
static const struct vm_metric cc_metrics[] = {
	{ "time", "time", "value", VM_LOWER },
	{ "throughput", "time", "value", VM_INV_TIME },
	{ NULL, NULL, NULL, 0 },
};

static int cc_finish(struct kvs *p, const struct vm_machine *m, double scale, struct vm_variant *v,
		     struct vm_map *out)
{
	long t = kv_int(p, "threads", 8), procs = kv_int(p, "-processes", 1), cycles;

	if (procs != 1 && procs != 8) {
		snprintf(out->reason, sizeof(out->reason),
			 "processes=%s: only 1 (chacha20-verilator.json) or 8 copies (chacha20-verilator-8proc.json) have a workload file",
			 kv_get(p, "-processes"));
		return -1;
	}
	if (t < 0) {
		snprintf(out->reason, sizeof(out->reason), "threads must be a positive integer");
		return -1;
	}
	if (procs == 8)
		snprintf(out->workload, sizeof(out->workload), "chacha20-verilator-8proc");
	if (kv_get(p, "-cycles"))
		note(out, "%s", "published cycles replaced by the model's thread-cycle budget");
	cycles = lround(CC_THREAD_CYCLES * scale / ((double)procs * (double)t));
	if (cycles < 10)
		cycles = 10;
	put_setl(v, "threads", t);
	put_setl(v, "cycles", cycles);
	v->duration = WORK_CAP;
	return 0;
}

/* -- sysbench cpu and lowload-rr: not in the published rows; mapped so that a
 * CSV of one's own measurements can use them. */
static const struct vm_key sy_keys[] = { { "threads", "threads" }, { "time", "-time" }, { NULL, NULL } };
static const struct vm_word sy_words[] = { { "defaults|x", NULL, NULL }, { NULL, NULL, NULL } };
static const struct vm_metric sy_metrics[] = {
	{ "events_per_second|throughput", "events_per_second", "value", VM_HIGHER },
	{ "latency_p50", "latency", "p50", VM_LOWER },
	{ "latency_p99", "latency", "p99", VM_LOWER },
	{ NULL, NULL, NULL, 0 },
};

static int sy_finish(struct kvs *p, const struct vm_machine *m, double scale, struct vm_variant *v,
		     struct vm_map *out)
{
	long t = kv_int(p, "threads", 1);

	if (t < 0) {
		snprintf(out->reason, sizeof(out->reason), "threads must be a positive integer");
		return -1;
	}
	put_setl(v, "threads", t);
	v->duration = secs(2.0 * scale);
	return 0;
}

static const struct vm_key ll_keys[] = {
	{ "workers|connections|threads", "workers" }, { "think", "think" }, { NULL, NULL },
};
static const struct vm_metric ll_metrics[] = {
	{ "latency_p50", "latency", "p50", VM_LOWER },
	{ "latency_p99", "latency", "p99", VM_LOWER },
	{ "latency_p99.9", "latency", "p99.9", VM_LOWER },
	{ "rps|throughput", "rps", "value", VM_HIGHER },
	{ NULL, NULL, NULL, 0 },
};

static int ll_finish(struct kvs *p, const struct vm_machine *m, double scale, struct vm_variant *v,
		     struct vm_map *out)
{
	long w = kv_int(p, "workers", 8);

	if (w < 0) {
		snprintf(out->reason, sizeof(out->reason), "workers must be a positive integer");
		return -1;
	}
	put_setl(v, "workers", w);
	if (kv_get(p, "think"))
		put_set(v, "think", kv_get(p, "think"));
	v->duration = secs(2.0 * scale);
	return 0;
}

static const struct vm_bench benches[] = {
	{ "hackbench", "hackbench|perf-bench-messaging", "hackbench", hb_keys, hb_words, hb_metrics, hb_finish },
	{ "schbench", "schbench", "schbench", sb_keys, sb_words, sb_metrics, sb_finish },
	{ "schbench-old", "schbench-old|schbench-2022", "schbench-old", sbo_keys, sb_words, sbo_metrics, sbo_finish },
	{ "stream", "stream|stream-omp", "stream", st_keys, st_words, st_metrics, st_finish },
	{ "netperf", "netperf|netperf-rr|netperf-tcp-rr", "netperf-rr", np_keys, np_words, np_metrics, np_finish },
	{ "tbench", "tbench", "tbench", tb_keys, tb_words, tb_metrics, tb_finish },
	{ "chacha20-verilator", "chacha20-verilator|chacha20|chacha20-xiangshan", "chacha20-verilator",
	  cc_keys, cc_words, cc_metrics, cc_finish },
	{ "sysbench-cpu", "sysbench-cpu|sysbench", "sysbench-cpu", sy_keys, sy_words, sy_metrics, sy_finish },
	{ "lowload-rr", "lowload-rr", "lowload-rr", ll_keys, sy_words, ll_metrics, ll_finish },
};

/* ---- parsing ---------------------------------------------------------------------------- */

/* Is @w one of the |-separated @list? */
static bool in_list(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *s = list; *s;) {
		const char *bar = strchr(s, '|');
		size_t l = bar ? (size_t)(bar - s) : strlen(s);
		if (l == n && !strncasecmp(s, w, n))
			return true;
		s += l + (bar ? 1 : 0);
	}
	return false;
}

/* "cpus", "llcs", "cpus-1", "cpus:2" (= cpus / 2; '/' separates
 * alternatives), "llcs*2" -> the number for @m. */
static void resolve_value(const char *in, const struct vm_machine *m, char *out, size_t len)
{
	long base, k;
	const char *rest;
	char *end;

	if (!strncmp(in, "cpus", 4))
		base = m->nr_cpus, rest = in + 4;
	else if (!strncmp(in, "llcs", 4))
		base = m->nr_llcs, rest = in + 4;
	else {
		snprintf(out, len, "%s", in);
		return;
	}
	if (!*rest) {
		snprintf(out, len, "%ld", base);
		return;
	}
	k = strtol(rest + 1, &end, 10);
	if (*end || k <= 0) {
		snprintf(out, len, "%s", in);
		return;
	}
	switch (*rest) {
	case '-': base -= k; break;
	case '+': base += k; break;
	case ':': base /= k; break;
	case '*': base *= k; break;
	default: snprintf(out, len, "%s", in); return;
	}
	snprintf(out, len, "%ld", base < 1 ? 1 : base);
}

#define MAX_TOKENS 24
#define MAX_ALTS 8

struct token {
	char key[48];   /* "" for a bare word */
	int nr_alts;
	char alt[MAX_ALTS][64];
};

static int tokenize(const char *params, struct token *tok, int *nr, struct vm_map *out)
{
	const char *s = params;

	*nr = 0;
	while (*s) {
		char word[160], *eq, *val;
		size_t l;

		while (*s && (isspace((unsigned char)*s) || *s == ',' || *s == ';'))
			s++;
		if (!*s)
			break;
		l = strcspn(s, " \t,;");
		if (l >= sizeof(word) || *nr == MAX_TOKENS) {
			snprintf(out->reason, sizeof(out->reason), "params too long");
			return -1;
		}
		memcpy(word, s, l);
		word[l] = '\0';
		s += l;
		eq = strchr(word, '=');
		if (eq) {
			*eq = '\0';
			val = eq + 1;
			snprintf(tok[*nr].key, sizeof(tok[*nr].key), "%.47s", word);
		} else {
			val = word;
			tok[*nr].key[0] = '\0';
		}
		tok[*nr].nr_alts = 0;
		for (char *a = strtok(val, "/"); a; a = strtok(NULL, "/")) {
			if (tok[*nr].nr_alts == MAX_ALTS) {
				snprintf(out->reason, sizeof(out->reason), "too many alternatives in '%s'", val);
				return -1;
			}
			snprintf(tok[*nr].alt[tok[*nr].nr_alts++], sizeof(tok[0].alt[0]), "%s", a);
		}
		if (!tok[*nr].nr_alts) {
			snprintf(out->reason, sizeof(out->reason), "empty value for '%s'", word);
			return -1;
		}
		(*nr)++;
	}
	return 0;
}

/* Apply one token alternative to @p.  Returns 0, 1 if it is not a parameter
 * of the benchmark (a CAS tunable, maybe), -1 on error. */
static int apply(const struct vm_bench *b, const struct token *t, const char *val,
		 const struct vm_machine *m, struct kvs *p, struct vm_map *out)
{
	char rv[64];

	if (!t->key[0]) {
		for (const struct vm_word *w = b->words; w->words; w++)
			if (in_list(w->words, val)) {
				if (w->key)
					kv_put(p, w->key, w->value);
				return 0;
			}
		snprintf(out->reason, sizeof(out->reason), "'%s' is not understood for %s", val, b->name);
		return -1;
	}
	for (const struct vm_key *k = b->keys; k->csv; k++)
		if (in_list(k->csv, t->key)) {
			resolve_value(val, m, rv, sizeof(rv));
			if (kv_put(p, k->model, rv)) {
				snprintf(out->reason, sizeof(out->reason), "too many params");
				return -1;
			}
			return 0;
		}
	return 1;
}

int vm_map_row(const char *benchmark, const char *params, const char *metric,
	       const struct vm_machine *m, const struct policy *pol, double scale,
	       struct vm_map *out)
{
	const struct vm_bench *b = NULL;
	const struct vm_metric *mt = NULL;
	struct token tok[MAX_TOKENS];
	int nr_tok, nr_comb = 1, idx[MAX_TOKENS] = { 0 };
	const char *missing;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		if (in_list(benches[i].aliases, benchmark))
			b = &benches[i];
	if (!b) {
		snprintf(out->reason, sizeof(out->reason), "benchmark '%s' has no workload model", benchmark);
		return -1;
	}
	snprintf(out->bench, sizeof(out->bench), "%s", b->name);
	snprintf(out->workload, sizeof(out->workload), "%s", b->workload);
	for (const struct vm_metric *x = b->metrics; x->csv; x++)
		if (in_list(x->csv, metric))
			mt = x;
	if (!mt) {
		char list[256] = "";
		size_t n = 0;
		for (const struct vm_metric *x = b->metrics; x->csv && n < sizeof(list); x++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", x->csv);
		snprintf(out->reason, sizeof(out->reason), "metric '%s' is not reported by the %s model (known: %s)",
			 metric, b->name, list);
		return -1;
	}
	snprintf(out->metric, sizeof(out->metric), "%s", mt->metric);
	snprintf(out->stat, sizeof(out->stat), "%s", mt->stat);
	out->sense = mt->sense;
	if (tokenize(params, tok, &nr_tok, out))
		return -1;

	/* CAS tunables (key=value that the benchmark does not know) go to the
	 * revision's run only; they take a single value.  Whether the revision
	 * has them is checked at the end. */
	for (int i = 0; i < nr_tok; i++) {
		struct kvs probe = { 0 };
		int r;

		if (!tok[i].key[0])
			continue;
		r = apply(b, &tok[i], tok[i].alt[0], m, &probe, out);
		if (r < 0)
			return -1;
		if (r == 0) {
			nr_comb *= tok[i].nr_alts;
			continue;
		}
		if (tok[i].nr_alts != 1 || out->nr_policy_sets == VM_MAX_SETS) {
			snprintf(out->reason, sizeof(out->reason), "tunable '%.47s' takes one value", tok[i].key);
			return -1;
		}
		snprintf(out->policy_sets[out->nr_policy_sets].key, sizeof(out->policy_sets[0].key), "%.47s", tok[i].key);
		snprintf(out->policy_sets[out->nr_policy_sets].value, sizeof(out->policy_sets[0].value), "%s", tok[i].alt[0]);
		out->nr_policy_sets++;
		tok[i].nr_alts = 0; /* consumed */
	}
	for (int i = 0; i < nr_tok; i++)
		if (!tok[i].key[0])
			nr_comb *= tok[i].nr_alts;
	if (nr_comb > VM_MAX_VARIANTS) {
		snprintf(out->reason, sizeof(out->reason), "%d combinations of alternatives (at most %d)",
			 nr_comb, VM_MAX_VARIANTS);
		return -1;
	}

	/* every combination of alternatives is one variant */
	for (int c = 0; c < nr_comb; c++) {
		struct kvs p = { 0 };
		struct vm_variant *v = &out->var[out->nr_variants];
		size_t ln = 0;

		memset(v, 0, sizeof(*v));
		for (int i = 0; i < nr_tok; i++) {
			if (!tok[i].nr_alts)
				continue;
			if (apply(b, &tok[i], tok[i].alt[idx[i]], m, &p, out))
				return -1;
			if (tok[i].nr_alts > 1 && ln < sizeof(v->label))
				ln += (size_t)snprintf(v->label + ln, sizeof(v->label) - ln, "%s%s%s%s",
						       ln ? " " : "", tok[i].key, tok[i].key[0] ? "=" : "",
						       tok[i].alt[idx[i]]);
		}
		if (b->finish(&p, m, scale, v, out))
			return -1;
		out->nr_variants++;
		/* next combination (odometer over the tokens with alternatives) */
		for (int i = 0; i < nr_tok; i++) {
			if (tok[i].nr_alts <= 1)
				continue;
			if (++idx[i] < tok[i].nr_alts)
				break;
			idx[i] = 0;
		}
	}
	/* checked last, so that a row the model cannot run says why first */
	if (pol && (missing = vm_missing_tunable(out, pol))) {
		snprintf(out->reason, sizeof(out->reason), "'%s' is neither a parameter of the %s model nor a tunable of %s",
			 missing, b->name, pol->name);
		return -1;
	}
	return 0;
}

const char *vm_missing_tunable(const struct vm_map *m, const struct policy *pol)
{
	for (int i = 0; i < m->nr_policy_sets; i++)
		if (!(pol->nr_params && param_find(pol->params, pol->nr_params, m->policy_sets[i].key)))
			return m->policy_sets[i].key;
	return NULL;
}

/* ---- explanations of misses ------------------------------------------------------------- */

/* What the model would need, per benchmark and per kind of miss.  The texts
 * state mechanisms only: the figures of a miss are in its row and in the
 * counters the report prints after the note, so no sentence here goes stale
 * when the model changes.  A missed gain reads differently when the revision
 * did aggregate in the model (then the baseline, not the revision, is where
 * the model and the machine differ). */
struct vm_why {
	const char *bench;
	const char *gain_unaggregated; /* published: CAS better; model: the revision did not aggregate */
	const char *gain_partly;       /* ...: it aggregated part of the process */
	const char *gain_aggregated;   /* ...: it aggregated, and still gained less than published */
	const char *loss_missed;       /* published: CAS worse; simulated: not */
	const char *neutral_missed;    /* published: no change; simulated: a change */
};

#define VM_GATES "the counters below say which gate held it (the thread gate compares the process's average of running threads with the LLC's CPUs, the memory gate its footprint with the LLC; the utilisation caps are 50 % of the LLC's capacity)"
#define VM_PARTLY "some threads moved to the preferred LLC until a cap or gate stopped the rest, and a partly aggregated process writes across LLCs from both sides, which the model charges more than cfs's even spread"
#define VM_MMTESTS "Note: RFC v2's schbench numbers come from mmtests (config-scheduler-schbench: -m NUMNODES -t N, its qrtle-N columns), so N is the worker count with one message thread on this one-node machine; a row that says message_threads=N is mapped as written"

static const struct vm_why whys[] = {
	{ "hackbench",
	  "the revision did not keep this process in one LLC in the model; " VM_GATES ". The real run aggregated, so the model's threads are busier than the real ones (per-message costs, pipe or socket blocking), which sets what the gates see",
	  VM_PARTLY "; the real run aggregated the whole process, so the real gates saw less utilisation than the model's, or the real cost of the two-sided spread is smaller",
	  "the revision aggregated the process in the model too, but the baseline already gains most of it: with WF_SYNC (Linux's default) cfs's wake_affine() stacks each pipe or socket wakee on its waker's LLC, so a small group stays in one LLC under cfs (`cassim validate --ablate wake_sync=0` shows the difference; the stop-21 report had it as a column). What the model probably lacks is how briefly a real sync wakee stays next to a sender that keeps writing, which leaves real cfs more spread; a perf sched trace of hackbench on the published machine would settle it",
	  "the model would need the over-aggregation penalty of real hardware when a process has more threads than one LLC has cores: SMT-sibling and runqueue contention, and the extra migrations the balancer fights with",
	  "the model shows a placement effect the real machine did not: " VM_PARTLY " more than the hardware seems to" },
	{ "schbench",
	  "the revision did not give the process a preferred LLC in the model (" VM_GATES "; with one worker the process's mean occupancy is below every revision's threshold). " VM_MMTESTS,
	  "the model would need a larger wakeup-latency benefit of keeping the message thread and its workers in one LLC than its wakeup path gives (an IPI, an idle-state exit drawn per wakeup, and queueing on the remote runqueue differ little inside and across LLCs). " VM_MMTESTS,
	  "the model would need a larger wakeup-latency benefit of keeping the message thread and its workers in one LLC than its wakeup path gives (an IPI, an idle-state exit drawn per wakeup, and queueing on the remote runqueue differ little inside and across LLCs). " VM_MMTESTS,
	  "the model would need the tail-latency cost of stacking a saturated process into one LLC at the real size: it has the wakeups queued behind runnable workers and schbench's per-CPU spin lock held by preempted workers, both growing with aggregation; where the model's tail is far longer than the published one, what bounds a real machine's tail under stacking is missing. " VM_MMTESTS,
	  "the model shows a latency change the real machine did not: its wakeup costs or idle-exit latencies differ between LLCs more than the hardware's" },
	{ "stream",
	  "the model would need a bandwidth benefit of co-location that STREAM does not have on real hardware; check the memory model",
	  "the model would need a bandwidth benefit of co-location that STREAM does not have on real hardware; check the memory model",
	  "the model would need a bandwidth benefit of co-location that STREAM does not have on real hardware; check the memory model",
	  "the model would need per-node memory-bandwidth sharing that penalises packing streaming threads into fewer LLCs the way real memory controllers and the per-CCD fabric links do",
	  "the model gives a streaming process a change from placement that the real machine did not show: with arrays far larger than the LLC, co-location should neither help nor hurt until a per-LLC link or the node's DRAM bandwidth saturates; the memory model needs checking against a STREAM thread sweep on this machine, and the revision's footprint gate (where it has one) should keep CAS out" },
	{ "netperf",
	  "both ends are single-threaded processes, which CAS never gives an LLC preference: the model would need the indirect effect (other processes' aggregation changing where the pairs run)",
	  "both ends are single-threaded processes, which CAS never gives an LLC preference: the model would need the indirect effect (other processes' aggregation changing where the pairs run)",
	  "both ends are single-threaded processes, which CAS never gives an LLC preference: the model would need the indirect effect (other processes' aggregation changing where the pairs run)",
	  "the model would need the interaction that the authors blamed for the loss: client and server are separate processes that CAS may pull to different LLCs, turning same-LLC wakeups into cross-LLC ones, plus the softirq and network-stack work on the waker's CPU that the socket model does not charge",
	  "the model shows an effect on single-threaded processes that CAS leaves alone; the difference comes from the revision's load-balancer changes and would need a closer model of those paths" },
	{ "tbench",
	  "both ends are single-threaded processes, which CAS never gives an LLC preference: the model would need the indirect effect (other processes' aggregation changing where the pairs run)",
	  "both ends are single-threaded processes, which CAS never gives an LLC preference: the model would need the indirect effect (other processes' aggregation changing where the pairs run)",
	  "both ends are single-threaded processes, which CAS never gives an LLC preference: the model would need the indirect effect (other processes' aggregation changing where the pairs run)",
	  "the model would need the interaction that the authors blamed for the loss: client and server are separate processes that CAS may pull to different LLCs, turning same-LLC wakeups into cross-LLC ones, plus the network-stack work per message that the socket model does not charge",
	  "the model shows an effect on single-threaded processes that CAS leaves alone; the difference comes from the revision's load-balancer changes and would need a closer model of those paths" },
	{ "chacha20-verilator",
	  "the revision would have to pull each process's threads into one LLC as on the real machine; " VM_GATES,
	  VM_PARTLY "; the real run aggregated the whole process",
	  "the revision aggregated in the model too, so the model's cost of spreading threads that write shared state every cycle (cross-LLC transfers of modified lines) is smaller than the real one, or its shared footprint and write fraction (estimates [E] in chacha20-verilator.json) are too mild",
	  "the model would need the cost of over-aggregation for this workload (the threads barrier every cycle, so one slow thread slows all)",
	  "the model shows a gain the real machine did not have with default tunables: the revision's thread-count and footprint gates would need to keep this process out, as they did on the real machine" },
	{ NULL,
	  "the model would need a benefit of LLC co-location for this workload that its machine profile does not give",
	  "the model would need a benefit of LLC co-location for this workload that its machine profile does not give",
	  "the model would need a benefit of LLC co-location for this workload that its machine profile does not give",
	  "the model would need a cost of LLC aggregation for this workload that its machine profile does not give",
	  "the model shows an effect the real machine did not" },
};

const char *vm_miss_note(const char *bench, double published, double pref_frac)
{
	const struct vm_why *w = whys;

	while (w->bench && strcmp(w->bench, bench))
		w++;
	if (fabs(published) < 3)
		return w->neutral_missed;
	if (published < 0)
		return w->loss_missed;
	/* the bands of the activity verdict (cas_verdict()) */
	if (isnan(pref_frac) || pref_frac < CAS_PARTLY_FRAC)
		return w->gain_unaggregated;
	return pref_frac < CAS_AGGREGATED_FRAC ? w->gain_partly : w->gain_aggregated;
}

/* ---- predictions ------------------------------------------------------------------------ */

const struct vm_prediction vm_predictions[] = {
	{ "hackbench", "groups=1 threads pipe fd=8", "time", "one group below LLC capacity" },
	{ "hackbench", "groups=1 threads pipe fd=20", "time", "one group of 40 threads" },
	{ "hackbench", "groups=16 threads pipe fd=20", "time", "16 groups: more threads than CPUs" },
	{ "schbench", "message_threads=1", "wakeup_p99", "light load" },
	{ "schbench", "message_threads=cpus:2", "wakeup_p99", "one worker per two CPUs" },
	{ "stream", "triad", "bandwidth", "one thread per LLC, 512 MB" },
	{ "netperf", "clients=1", "throughput", "one pair" },
	{ "netperf", "clients=cpus:2", "throughput", "one pair per two CPUs" },
	{ "tbench", "clients=1", "throughput", "one client" },
	{ "chacha20-verilator", "threads=8", "time", "8 threads" },
};
const int vm_nr_predictions = (int)(sizeof(vm_predictions) / sizeof(vm_predictions[0]));

const char *const vm_predict_machines[] = { "xeon6-6980p-2s-snc3", "epyc-9965-2s-nps1", NULL };
const char *const vm_predict_policies[] = { "cas-v3", "cas-v4", "cas-merged", NULL };
