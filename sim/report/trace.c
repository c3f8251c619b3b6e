/*
 * Chrome trace-event JSON, streamed: {"displayTimeUnit":"ns","traceEvents":[
 * one event per line ]}.  Nothing is kept per event: the state is the task
 * running on each CPU and since when, the busy CPUs of each LLC and the
 * flows waiting for their task to run, so a long run costs file size, not
 * memory.
 *
 * A task's stay on a CPU is one complete ("X") slice, written when it
 * ends.  B/E pairs are not used: Chrome DevTools' trace engine matches
 * every E against one stack shared by all tracks, so the interleaved B/E
 * of different CPUs come out as "Begin/End events mismatch".
 *
 * Flows are the classic "s"/"f" pairs, bound so that both viewers attach
 * them to the intended slices:
 *  - DevTools binds a flow event to the first slice with the same ts, pid,
 *    tid and cat (FlowsHandler.ts), whatever "bp" says; so every flow
 *    event, slice and marker has the category "sched", and each flow event
 *    sits exactly at the start of a slice on its track;
 *  - Perfetto binds "s" and "f" with "bp":"e" to the topmost slice open on
 *    the track when it parses the event (json_trace_parser_impl.cc), and
 *    sorts events of equal ts as: X slices, longest first, then the rest
 *    in file order (trace_sorter.h).
 * So a flow starts at a zero-length marker slice written just before its
 * "s" (the waker's CPU at the wakeup, the CPU a task left at a migration;
 * the waker's own slice may start earlier or end at that very instant),
 * and ends with an "f" ("bp":"e") at the start of the task's next slice,
 * written right after that slice's X, which is then open in both viewers.
 * Flow v2 ("bind_id" on the slices) is not used: DevTools ignores it, and
 * a slice carries one bind_id while a task may wake several others from
 * one slice.
 *
 * The window [from, to) opens at the first event at or after @from
 * (running tasks' slices start at @from, each LLC gets its busy count)
 * and closes at the first event at or after @to (slices that run end at
 * @to, each flow still waiting ends at a marker on its task's CPU), or at
 * the end of the run.
 *
 * Strings (names from the workload, policy arguments) are encoded by
 * jansson; numbers and timestamps are printed here, deterministically.
 */
#include "report/trace.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/file.h"
#include "base/xalloc.h"

char *trace_fmt_us(char *buf, size_t len, simtime_t ns)
{
	const char *sign = ns < 0 ? "-" : "";
	uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;

	snprintf(buf, len, "%s%" PRIu64 ".%03u", sign, a / 1000, (unsigned)(a % 1000));
	return buf;
}

/* A flow whose "s" is written and whose "f" waits for the task to run. */
struct pending_flow {
	uint64_t id; /* 0: none */
	int cpu;     /* where the task is queued */
};

/* A task has at most one pending flow of each kind. */
enum flow_kind { FLOW_WAKEUP, FLOW_MIGRATE, FLOW_NR };
static const char *const flow_name[FLOW_NR] = { "wakeup", "migrate" };

struct trace_json {
	struct afile af;
	struct trace_window w;
	struct trace_sink sink;
	bool opened, closed, any;
	bool oom;         /* an event could not be encoded: the file would lie */
	int nr_cpus, nr_llcs, nr_tasks, nr_procs;
	int *cpu_llc;     /* [nr_cpus] */
	int *task_proc;   /* [nr_tasks] */
	char **name;      /* [nr_tasks] "process/thread", JSON-encoded */
	char **tname;     /* [nr_tasks] thread name, JSON-encoded */
	char **pname;     /* [nr_procs] process name, JSON-encoded */
	int *cur;         /* [nr_cpus] running task, -1 */
	simtime_t *since; /* [nr_cpus] start of its slice (in the window) */
	uint64_t (*fin)[FLOW_NR]; /* [nr_cpus] flows ending where its slice starts; 0: none */
	int *busy;        /* [nr_llcs] busy CPUs */
	struct pending_flow *flow[FLOW_NR]; /* [nr_tasks] each */
	uint64_t next_flow;
};

/* @s as a JSON string (jansson); a name that is not UTF-8 keeps its ASCII. */
static char *json_str(const char *s)
{
	json_t *j = json_string(s);
	char *out;

	if (!j) {
		char *c = xstrdup(s);
		for (char *p = c; p && *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		j = c ? json_string(c) : NULL;
		free(c);
	}
	out = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	return out;
}

static int pid_of(const struct trace_json *tj, int cpu) { return tj->cpu_llc[cpu] + 1; }
static int tid_of(int cpu) { return cpu + 1; }

/* Start an event: separator, phase, timestamp and track. */
static FILE *ev(struct trace_json *tj, const char *ph, simtime_t ts, int pid, int tid)
{
	FILE *f = tj->af.f;
	char us[32];

	fputs(tj->any ? ",\n{\"ph\":\"" : "{\"ph\":\"", f);
	tj->any = true;
	fprintf(f, "%s\",\"ts\":%s,\"pid\":%d,\"tid\":%d", ph, trace_fmt_us(us, sizeof(us), ts), pid, tid);
	return f;
}

static void busy_counter(struct trace_json *tj, simtime_t ts, int llc)
{
	fprintf(ev(tj, "C", ts, llc + 1, 0), ",\"name\":\"busy_cpus\",\"args\":{\"busy\":%d}}", tj->busy[llc]);
}

/* The "f" of flow @id, at @ts on @cpu's track: the start of a slice there. */
static void flow_end(struct trace_json *tj, enum flow_kind k, uint64_t id, simtime_t ts, int cpu)
{
	fprintf(ev(tj, "f", ts, pid_of(tj, cpu), tid_of(cpu)),
		",\"bp\":\"e\",\"cat\":\"sched\",\"name\":\"%s\",\"id\":%" PRIu64 "}", flow_name[k], id);
}

/* A zero-length slice @name about task @t at @ts on @cpu's track, for a
 * flow event to bind to; the caller adds arguments and closes it ("}}"). */
static FILE *marker(struct trace_json *tj, simtime_t ts, int cpu, const char *name, int t)
{
	FILE *f = ev(tj, "X", ts, pid_of(tj, cpu), tid_of(cpu));

	fprintf(f, ",\"dur\":0.000,\"cat\":\"sched\",\"name\":\"%s\",\"args\":{\"task\":%s", name, tj->name[t]);
	return f;
}

/* The slice of the task running on @cpu, from its start to @ts, then the
 * ends of the flows into it (after it: see the top of the file). */
static void slice_write(struct trace_json *tj, simtime_t ts, int cpu, const char *why)
{
	int t = tj->cur[cpu];
	simtime_t from = tj->since[cpu];
	char dur[32];

	/* A stay of 0 ns is no slice (as in the timeline): Perfetto would nest
	 * it in the next slice at that instant and bind that slice's flow to
	 * it.  Its flows wait for the task's next slice (a running task has no
	 * pending flow: it is neither woken nor migrated). */
	if (ts == from) {
		for (int k = 0; k < FLOW_NR; k++)
			if (tj->fin[cpu][k])
				tj->flow[k][t] = (struct pending_flow){ tj->fin[cpu][k], cpu };
		memset(tj->fin[cpu], 0, sizeof(tj->fin[cpu]));
		return;
	}
	fprintf(ev(tj, "X", from, pid_of(tj, cpu), tid_of(cpu)),
		",\"dur\":%s,\"cat\":\"sched\",\"name\":%s,\"args\":{\"process\":%s,\"pid\":%d,\"tid\":%d,\"end\":\"%s\"}}",
		trace_fmt_us(dur, sizeof(dur), ts - from), tj->name[t], tj->pname[tj->task_proc[t]],
		tj->task_proc[t], t, why);
	for (int k = 0; k < FLOW_NR; k++)
		if (tj->fin[cpu][k])
			flow_end(tj, k, tj->fin[cpu][k], from, cpu);
	memset(tj->fin[cpu], 0, sizeof(tj->fin[cpu]));
}

/* A new flow of @t from @cpu's track (a marker there, then the "s"),
 * ended when @t next runs; @why: the migration's reason, or NULL. */
static void flow_start(struct trace_json *tj, enum flow_kind k, int t, simtime_t ts, int cpu, int dst,
		       const char *why)
{
	struct pending_flow *q = &tj->flow[k][t];
	FILE *f = marker(tj, ts, cpu, flow_name[k], t);

	if (why)
		fprintf(f, ",\"reason\":\"%s\"", why);
	fprintf(f, ",\"to_cpu\":%d}}", dst);
	/* a second one before the task ran: the first ends at this marker */
	if (q->id)
		flow_end(tj, k, q->id, ts, cpu);
	q->id = ++tj->next_flow;
	q->cpu = dst;
	fprintf(ev(tj, "s", ts, pid_of(tj, cpu), tid_of(cpu)), ",\"cat\":\"sched\",\"name\":\"%s\",\"id\":%" PRIu64 "}",
		flow_name[k], q->id);
}

/* Open or close the window as time reaches its edges; true when events at
 * @ts are kept. */
static bool in_window(struct trace_json *tj, simtime_t ts)
{
	if (!tj->opened && ts >= tj->w.from) {
		tj->opened = true;
		for (int c = 0; c < tj->nr_cpus; c++)
			tj->since[c] = tj->w.from;
		for (int l = 0; l < tj->nr_llcs; l++)
			busy_counter(tj, tj->w.from, l);
	}
	if (tj->opened && !tj->closed && tj->w.to >= 0 && ts >= tj->w.to) {
		for (int c = 0; c < tj->nr_cpus; c++)
			if (tj->cur[c] >= 0)
				slice_write(tj, tj->w.to, c, "window");
		/* flows whose task waits: they end at a marker on its CPU */
		for (int t = 0; t < tj->nr_tasks; t++)
			for (int k = 0; k < FLOW_NR; k++) {
				struct pending_flow *q = &tj->flow[k][t];

				if (!q->id)
					continue;
				fputs("}}", marker(tj, tj->w.to, q->cpu, "window_end", t));
				flow_end(tj, k, q->id, tj->w.to, q->cpu);
				q->id = 0;
			}
		tj->closed = true;
	}
	return tj->opened && !tj->closed;
}

/* ---- the sink */

static int tj_begin(void *ctx, const struct trace_layout *l, struct diag *err)
{
	struct trace_json *tj = ctx;
	FILE *f = tj->af.f;

	tj->nr_cpus = l->nr_cpus;
	tj->nr_llcs = l->nr_llcs;
	tj->nr_tasks = l->nr_tasks;
	tj->nr_procs = l->nr_procs;
	tj->cpu_llc = xmalloc((size_t)l->nr_cpus * sizeof(*tj->cpu_llc));
	tj->cur = xmalloc((size_t)l->nr_cpus * sizeof(*tj->cur));
	tj->since = xcalloc((size_t)l->nr_cpus + 1, sizeof(*tj->since));
	tj->fin = xcalloc((size_t)l->nr_cpus + 1, sizeof(*tj->fin));
	tj->busy = xcalloc((size_t)l->nr_llcs + 1, sizeof(*tj->busy));
	tj->task_proc = xmalloc(((size_t)l->nr_tasks + 1) * sizeof(*tj->task_proc));
	tj->name = xcalloc((size_t)l->nr_tasks + 1, sizeof(*tj->name));
	tj->tname = xcalloc((size_t)l->nr_tasks + 1, sizeof(*tj->tname));
	tj->pname = xcalloc((size_t)l->nr_procs + 1, sizeof(*tj->pname));
	for (int k = 0; k < FLOW_NR; k++)
		if (!(tj->flow[k] = xcalloc((size_t)l->nr_tasks + 1, sizeof(*tj->flow[k]))))
			return diag_set(err, "out of memory");
	for (int c = 0; c < l->nr_cpus; c++) {
		tj->cpu_llc[c] = l->cpu_llc[c];
		tj->cur[c] = -1;
	}
	for (int p = 0; p < l->nr_procs; p++)
		if (!(tj->pname[p] = json_str(l->proc_name[p])))
			return diag_set(err, "out of memory");
	for (int t = 0; t < l->nr_tasks; t++) {
		int p = l->task_proc[t];
		size_t n = strlen(l->proc_name[p]) + strlen(l->task_name[t]) + 2;
		char *full = xmalloc(n);

		snprintf(full, n, "%s/%s", l->proc_name[p], l->task_name[t]);
		tj->task_proc[t] = p;
		tj->name[t] = json_str(full);
		tj->tname[t] = json_str(l->task_name[t]);
		free(full);
		if (!tj->name[t] || !tj->tname[t])
			return diag_set(err, "out of memory");
	}
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
	/* a process per LLC (sorted by LLC id, i.e. by node), a thread per CPU */
	for (int llc = 0; llc < l->nr_llcs; llc++) {
		int node = -1;

		for (int c = 0; c < l->nr_cpus && node < 0; c++)
			if (l->cpu_llc[c] == llc)
				node = l->cpu_node[c];
		fprintf(f, "%s{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":\"node %d / LLC %d\"}}",
			tj->any ? ",\n" : "", llc + 1, node, llc);
		tj->any = true;
		fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_sort_index\",\"args\":{\"sort_index\":%d}}",
			llc + 1, llc);
	}
	for (int c = 0; c < l->nr_cpus; c++) {
		fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\",\"args\":{\"name\":\"CPU %d\"}}",
			pid_of(tj, c), tid_of(c), c);
		fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":%d}}",
			pid_of(tj, c), tid_of(c), c);
	}
	return 0;
}

static void tj_switch_in(void *ctx, simtime_t ts, int cpu, int t)
{
	struct trace_json *tj = ctx;

	tj->cur[cpu] = t;
	if (!in_window(tj, ts))
		return;
	tj->since[cpu] = ts;
	/* the flows into @t end where this slice starts, written after it */
	for (int k = 0; k < FLOW_NR; k++) {
		tj->fin[cpu][k] = tj->flow[k][t].id;
		tj->flow[k][t].id = 0;
	}
}

static void tj_switch_out(void *ctx, simtime_t ts, int cpu, int t, const char *why)
{
	struct trace_json *tj = ctx;

	(void)t;
	if (in_window(tj, ts))
		slice_write(tj, ts, cpu, why);
	tj->cur[cpu] = -1;
}

static void tj_wakeup(void *ctx, simtime_t ts, int waker, int waker_cpu, int wakee, int target_cpu)
{
	struct trace_json *tj = ctx;

	/* a timer wakeup has no slice to start from */
	if (in_window(tj, ts) && waker >= 0)
		flow_start(tj, FLOW_WAKEUP, wakee, ts, waker_cpu, target_cpu, NULL);
}

static void tj_migrate(void *ctx, simtime_t ts, int t, int from, int to, const char *why)
{
	struct trace_json *tj = ctx;

	if (in_window(tj, ts))
		flow_start(tj, FLOW_MIGRATE, t, ts, from, to, why);
}

static void tj_idle(void *ctx, simtime_t ts, int cpu, bool enter)
{
	struct trace_json *tj = ctx;
	int llc = tj->cpu_llc[cpu];

	tj->busy[llc] += enter ? -1 : 1;
	if (in_window(tj, ts))
		busy_counter(tj, ts, llc);
}

static void tj_instant(void *ctx, simtime_t ts, int cpu, int t, const char *name,
		       const struct trace_arg *args, int nargs)
{
	struct trace_json *tj = ctx;
	char *n;
	FILE *f;

	if (!in_window(tj, ts))
		return;
	n = json_str(name);
	if (!n) {
		tj->oom = true;
		return;
	}
	f = cpu >= 0 ? ev(tj, "i", ts, pid_of(tj, cpu), tid_of(cpu)) : ev(tj, "i", ts, 0, 0);
	fprintf(f, ",\"s\":\"%s\",\"cat\":\"policy\",\"name\":%s,\"args\":{", cpu >= 0 ? "t" : "g", n);
	free(n);
	for (int i = 0; i < nargs; i++) {
		char *k = json_str(args[i].key), *v = args[i].str ? json_str(args[i].str) : NULL;

		if (!k || (args[i].str && !v))
			tj->oom = true;
		else if (v)
			fprintf(f, "%s%s:%s", i ? "," : "", k, v);
		else
			fprintf(f, "%s%s:%" PRId64, i ? "," : "", k, args[i].num);
		free(k);
		free(v);
	}
	if (t >= 0)
		fprintf(f, "%s\"task\":%s,\"process\":%s", nargs ? "," : "", tj->tname[t],
			tj->pname[tj->task_proc[t]]);
	fputs("}}", f);
}

static void tj_end(void *ctx, simtime_t ts)
{
	struct trace_json *tj = ctx;

	/* the window closes at the end of the run at the latest */
	in_window(tj, ts);
	if (tj->opened && !tj->closed) {
		tj->w.to = ts;
		in_window(tj, ts);
	}
}

struct trace_json *trace_json_open(const char *path, struct trace_window w, struct diag *err)
{
	struct trace_json *tj = xcalloc(1, sizeof(*tj));

	if (afile_open(&tj->af, path, err)) {
		free(tj);
		return NULL;
	}
	tj->w = w;
	tj->sink = (struct trace_sink){ .begin = tj_begin, .switch_in = tj_switch_in,
					.switch_out = tj_switch_out, .wakeup = tj_wakeup,
					.migrate = tj_migrate, .idle = tj_idle, .instant = tj_instant,
					.end = tj_end, .ctx = tj };
	return tj;
}

const struct trace_sink *trace_json_sink(struct trace_json *tj)
{
	return &tj->sink;
}

static void tj_free(struct trace_json *tj)
{
	for (int t = 0; t < tj->nr_tasks; t++) {
		free(tj->name ? tj->name[t] : NULL);
		free(tj->tname ? tj->tname[t] : NULL);
	}
	for (int p = 0; p < tj->nr_procs; p++)
		free(tj->pname ? tj->pname[p] : NULL);
	free(tj->name);
	free(tj->tname);
	free(tj->pname);
	free(tj->task_proc);
	free(tj->cpu_llc);
	free(tj->cur);
	free(tj->since);
	free(tj->fin);
	free(tj->busy);
	for (int k = 0; k < FLOW_NR; k++)
		free(tj->flow[k]);
	free(tj);
}

int trace_json_commit(struct trace_json *tj, struct diag *err)
{
	int ret;

	if (tj->oom) {
		diag_set(err, "%s: out of memory while writing the trace", tj->af.path);
		trace_json_abort(tj);
		return -1;
	}
	fputs(tj->any ? "\n]}\n" : "]}\n", tj->af.f);
	ret = afile_commit(&tj->af, err);
	tj_free(tj);
	return ret;
}

void trace_json_abort(struct trace_json *tj)
{
	if (!tj)
		return;
	afile_abort(&tj->af);
	tj_free(tj);
}
