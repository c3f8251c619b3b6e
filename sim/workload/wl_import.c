/*
 * Trace import (wl_import.h): perf script text -> per-thread histories ->
 * a cassim workload document.  See workloads/import.md for the mapping.
 */
#include "workload/wl_import.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/file.h"
#include "base/xalloc.h"

#define MAX_CPU (1 << 20)
#define MAX_TID (4 << 20) /* PID_MAX_LIMIT on 64-bit */
#define COMM_MAX 64

/* ---- thread histories ---------------------------------------------------- */

enum { TS_NEW, TS_RUNNING, TS_PREEMPTED, TS_BLOCKED, TS_WOKEN, TS_DEAD };
enum { IT_RUN, IT_SLEEP, IT_WAKE };

struct imp_item {
	uint8_t kind;
	bool wait;       /* SLEEP: modelled as a wait (after model) */
	bool has_wake;   /* SLEEP: the waker's WAKE item is stored */
	int peer;        /* SLEEP: waker thread index (-1 timer/unknown); WAKE: wakee index */
	int ref;         /* WAKE: index of the wakee's SLEEP item */
	simtime_t ns;    /* RUN, SLEEP */
};

struct imp_waker {
	int waker;       /* thread index, -1 = timer, interrupt or not seen */
	int64_t n;
	double sum, sumsq;
};

/* ---- parsed events --------------------------------------------------------- */

enum ev_type { EV_SWITCH, EV_WAKING, EV_WAKEUP, EV_WAKEUP_NEW, EV_FORK, EV_EXIT };
enum { PS_RUNNABLE, PS_BLOCKED, PS_DEAD };

struct ev {
	enum ev_type type;
	simtime_t t;
	int cpu;
	int cur_tid, cur_tgid;     /* leading columns; tgid -1 if not shown */
	char cur_comm[COMM_MAX];
	int a_tid, a_prio;         /* switch: prev; wakeup: wakee; fork: parent; exit: task */
	char a_comm[COMM_MAX];
	int b_tid, b_prio;         /* switch: next; fork: child */
	char b_comm[COMM_MAX];
	int prev_state;
};

static const char *const ev_names[] = {
	[EV_SWITCH] = "sched_switch",
	[EV_WAKING] = "sched_waking",
	[EV_WAKEUP] = "sched_wakeup",
	[EV_WAKEUP_NEW] = "sched_wakeup_new",
	[EV_FORK] = "sched_process_fork",
	[EV_EXIT] = "sched_process_exit",
};

#define SWITCH_EXPECT "prev_comm=COMM prev_pid=TID prev_prio=PRIO prev_state=STATE ==> " \
	"next_comm=COMM next_pid=TID next_prio=PRIO"
#define WAKEUP_EXPECT "comm=COMM pid=TID prio=PRIO target_cpu=CPU"
#define FORK_EXPECT "comm=COMM pid=TID child_comm=COMM child_pid=TID"
#define EXIT_EXPECT "comm=COMM pid=TID prio=PRIO"
#define LINE_EXPECT "a perf script line \"COMM [PID/]TID [CPU] SECONDS.FRACTION: EVENT: FIELDS\", " \
	"e.g. from perf script -F comm,pid,tid,cpu,time,event,trace"

void wl_import_opts_init(struct wl_import_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = WL_IMPORT_REPLAY;
	o->group_by = WL_IMPORT_GROUP_AUTO;
	o->max_ops = WL_IMPORT_MAX_OPS_DEFAULT;
}

const char *wl_import_mode_name(enum wl_import_mode m)
{
	return m == WL_IMPORT_FIT ? "fit" : "replay";
}

const char *wl_import_group_name(enum wl_import_group g)
{
	switch (g) {
	case WL_IMPORT_GROUP_TGID: return "tgid";
	case WL_IMPORT_GROUP_FORK: return "fork";
	case WL_IMPORT_GROUP_COMM: return "comm";
	default: return "auto";
	}
}

int wl_import_parse_keep(const char *list)
{
	static const struct { const char *word; int bits; } words[] = {
		{ "kernel", WL_IMPORT_KEEP_KERNEL }, { "tools", WL_IMPORT_KEEP_TOOLS },
		{ "all", WL_IMPORT_KEEP_ALL }, { "none", 0 },
	};
	int bits = 0;

	for (const char *p = list;; p++) {
		size_t n = strcspn(p, ",");
		int k = 0;

		while (k < (int)ARRAY_SIZE(words) && (strlen(words[k].word) != n || strncmp(p, words[k].word, n)))
			k++;
		if (k == (int)ARRAY_SIZE(words))
			return -1;
		bits |= words[k].bits;
		p += n;
		if (!*p)
			return bits;
	}
}

/* ---- small text helpers ------------------------------------------------------ */

static void copy_trim(char *dst, size_t cap, const char *b, const char *e)
{
	size_t n;

	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - b);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, b, n);
	dst[n] = '\0';
}

/* Parse a decimal integer in [b, e) (optional '-'); the whole range. */
static int parse_int_range(const char *b, const char *e, long long lo, long long hi, int *out)
{
	long long v = 0;
	bool neg = false;

	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	if (b < e && *b == '-')
		neg = true, b++;
	if (b == e)
		return -1;
	for (; b < e; b++) {
		if (!isdigit((unsigned char)*b))
			return -1;
		v = v * 10 + (*b - '0');
		if (v > (long long)INT_MAX + 1)
			return -1;
	}
	if (neg)
		v = -v;
	if (v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* End of the token at @p (next whitespace or end of string). */
static const char *tok_end(const char *p)
{
	while (*p && !isspace((unsigned char)*p))
		p++;
	return p;
}

/* Position of "key=" in @s where it starts a token (at @s or after a blank),
 * or NULL.  @from: where to start looking. */
static const char *kv_pos(const char *s, const char *from, const char *key)
{
	size_t kl = strlen(key);
	const char *p = from;

	while ((p = strstr(p, key))) {
		if ((p == s || isspace((unsigned char)p[-1])) && p[kl] == '=')
			return p;
		p++;
	}
	return NULL;
}

static const char *kv_val(const char *s, const char *key)
{
	const char *p = kv_pos(s, s, key);
	return p ? p + strlen(key) + 1 : NULL;
}

/* An integer field "key=N". 0 ok, -1 missing, -2 malformed. */
static int kv_int(const char *s, const char *key, int *out)
{
	const char *v = kv_val(s, key);

	if (!v)
		return -1;
	return parse_int_range(v, tok_end(v), INT_MIN, INT_MAX, out) ? -2 : 0;
}

/* A thread-id field "key=TID", 0..MAX_TID as in the leading columns (a
 * larger one would size the tid index).  0 ok, -1 missing, -2 malformed or
 * out of range. */
static int kv_tid(const char *s, const char *key, int *out)
{
	const char *v = kv_val(s, key);

	if (!v)
		return -1;
	return parse_int_range(v, tok_end(v), 0, MAX_TID, out) ? -2 : 0;
}

/* A command-name field "key=COMM" ended by " next=" (COMM may hold blanks). */
static int kv_comm(const char *s, const char *key, const char *next, char *out, size_t cap)
{
	const char *v = kv_val(s, key), *e;

	if (!v)
		return -1;
	e = next ? kv_pos(s, v, next) : NULL;
	if (!e)
		e = tok_end(v);
	copy_trim(out, cap, v, e);
	return 0;
}

/* "COMM:TID" in [b, e) (COMM may hold ':' and blanks; TID after the last ':'). */
static int comm_tid(const char *b, const char *e, char *comm, size_t cap, int *tid)
{
	const char *c;

	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	for (c = e; c > b && c[-1] != ':'; c--)
		;
	if (c == b)
		return -1;
	if (parse_int_range(c, e, 0, MAX_TID, tid))
		return -1;
	copy_trim(comm, cap, b, c - 1);
	return 0;
}

/* A trailing " [PRIO]" before @e: returns its start (or @e if absent). */
static const char *bracket_prio(const char *b, const char *e, int *prio)
{
	const char *q = e, *o;

	while (q > b && isspace((unsigned char)q[-1]))
		q--;
	if (q == b || q[-1] != ']')
		return e;
	for (o = q - 1; o > b && o[-1] != '['; o--)
		;
	if (o == b || parse_int_range(o, q - 1, -1000, 1000, prio))
		return e;
	return o - 1;
}

static int parse_state(const char *b, const char *e)
{
	int v;

	if (b == e)
		return -1;
	if (!parse_int_range(b, e, 0, INT_MAX, &v))
		return v == 0 ? PS_RUNNABLE : PS_BLOCKED;
	for (const char *p = b; p < e; p++)
		if (*p == 'X' || *p == 'Z' || *p == 'x')
			return PS_DEAD;
	return *b == 'R' ? PS_RUNNABLE : PS_BLOCKED;
}

/* ---- one line ------------------------------------------------------------------ */

enum line_kind { L_SKIP, L_CALLCHAIN, L_OTHER, L_EVENT, L_ERROR };

static int line_err(struct diag *err, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int line_err(struct diag *err, const char *file, int line, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_at(err, file, line, 0, "%s", msg);
	return L_ERROR;
}

static bool is_callchain(const char *s)
{
	const char *p = s, *q;

	if (!isspace((unsigned char)*p))
		return false;
	while (isspace((unsigned char)*p))
		p++;
	q = p;
	while (isxdigit((unsigned char)*q))
		q++;
	return q > p && (*q == '\0' || isspace((unsigned char)*q));
}

/* The leading columns: COMM [PID/]TID [CPU] TIME: EVENT: */
static int parse_head(const char *s, struct ev *ev, bool *has_tgid, char *evname, size_t evcap,
		      const char **rest, const char *file, int line, struct diag *err)
{
	const char *p, *q, *tb, *te, *slash;
	long long sec = 0;
	int64_t frac = 0;
	int nd = 0;

	/* the " [CPU] " bracket preceded by a [PID/]TID token */
	for (p = strchr(s, '['); p; p = strchr(p + 1, '[')) {
		int cpu;

		if (p == s || !isspace((unsigned char)p[-1]))
			continue;
		for (q = p + 1; isdigit((unsigned char)*q); q++)
			;
		if (q == p + 1 || *q != ']' || (q[1] && !isspace((unsigned char)q[1])))
			continue;
		if (parse_int_range(p + 1, q, 0, MAX_CPU - 1, &cpu))
			continue;
		te = p;
		while (te > s && isspace((unsigned char)te[-1]))
			te--;
		tb = te;
		while (tb > s && !isspace((unsigned char)tb[-1]))
			tb--;
		if (tb == te)
			continue;
		slash = memchr(tb, '/', (size_t)(te - tb));
		if (slash) {
			if (parse_int_range(tb, slash, -1, MAX_TID, &ev->cur_tgid) ||
			    parse_int_range(slash + 1, te, -1, MAX_TID, &ev->cur_tid))
				continue;
			*has_tgid = true;
		} else {
			if (parse_int_range(tb, te, -1, MAX_TID, &ev->cur_tid))
				continue;
			ev->cur_tgid = -1;
			*has_tgid = false;
		}
		ev->cpu = cpu;
		copy_trim(ev->cur_comm, sizeof(ev->cur_comm), s, tb);
		p = q + 1;
		goto cpu_found;
	}
	return 1; /* not an event line */

cpu_found:
	while (isspace((unsigned char)*p))
		p++;
	/* SECONDS.FRACTION: */
	q = p;
	while (isdigit((unsigned char)*q)) {
		sec = sec * 10 + (*q - '0');
		if (sec > 9000000000LL)
			break;
		q++;
	}
	if (q == p || *q != '.' || sec > 9000000000LL)
		return line_err(err, file, line, "bad timestamp \"%.*s\" (expected SECONDS.FRACTION: "
				"after the [CPU] column, e.g. 1000.123456:)", (int)(tok_end(p) - p), p);
	for (q++; isdigit((unsigned char)*q); q++, nd++)
		if (nd < 9)
			frac = frac * 10 + (*q - '0');
	if (nd == 0 || *q != ':')
		return line_err(err, file, line, "bad timestamp \"%.*s\" (expected SECONDS.FRACTION: "
				"after the [CPU] column, e.g. 1000.123456:)", (int)(tok_end(p) - p), p);
	for (int i = nd; i < 9; i++)
		frac *= 10;
	ev->t = (simtime_t)sec * NSEC_PER_SEC + frac;
	p = q + 1;

	/* EVENT: (skipping a period column, -F +period) */
	for (int tries = 0; tries < 2; tries++) {
		while (isspace((unsigned char)*p))
			p++;
		q = tok_end(p);
		if (q > p && q[-1] == ':' && q - p > 1) {
			size_t n = (size_t)(q - p - 1);

			if (n >= evcap)
				n = evcap - 1;
			memcpy(evname, p, n);
			evname[n] = '\0';
			*rest = q;
			while (isspace((unsigned char)**rest))
				(*rest)++;
			return 0;
		}
		if (q == p)
			break;
		for (const char *d = p; d < q; d++)
			if (!isdigit((unsigned char)*d))
				goto no_event;
		p = q;
	}
no_event:
	return line_err(err, file, line, "no event name after the timestamp (expected \"EVENT:\", "
			"e.g. sched:sched_switch:)");
}

static int parse_switch(const char *f, struct ev *ev, const char *file, int line, struct diag *err)
{
	const char *arrow = strstr(f, " ==> "), *r, *v;
	int rc;

	if (!arrow)
		return line_err(err, file, line, "sched:sched_switch: no \" ==> \" in \"%s\" (expected "
				SWITCH_EXPECT ")", f);
	r = arrow + 5;
	ev->a_prio = ev->b_prio = -1;
	if (kv_pos(f, f, "prev_pid")) {
		char left[1024];
		size_t n = (size_t)(arrow - f);

		if (n >= sizeof(left))
			n = sizeof(left) - 1;
		memcpy(left, f, n);
		left[n] = '\0';
		if ((rc = kv_tid(left, "prev_pid", &ev->a_tid)))
			return line_err(err, file, line, "sched:sched_switch: %s prev_pid (expected "
					SWITCH_EXPECT ")", rc == -1 ? "no" : "bad");
		if ((rc = kv_tid(r, "next_pid", &ev->b_tid)))
			return line_err(err, file, line, "sched:sched_switch: %s next_pid (expected "
					SWITCH_EXPECT ")", rc == -1 ? "no" : "bad");
		if (kv_comm(left, "prev_comm", "prev_pid", ev->a_comm, sizeof(ev->a_comm)))
			return line_err(err, file, line, "sched:sched_switch: no prev_comm (expected "
					SWITCH_EXPECT ")");
		if (kv_comm(r, "next_comm", "next_pid", ev->b_comm, sizeof(ev->b_comm)))
			return line_err(err, file, line, "sched:sched_switch: no next_comm (expected "
					SWITCH_EXPECT ")");
		if (kv_int(left, "prev_prio", &ev->a_prio) == -2 || kv_int(r, "next_prio", &ev->b_prio) == -2)
			return line_err(err, file, line, "sched:sched_switch: bad prio (expected "
					SWITCH_EXPECT ")");
		v = kv_val(left, "prev_state");
		if (!v)
			return line_err(err, file, line, "sched:sched_switch: no prev_state (expected "
					SWITCH_EXPECT ")");
		ev->prev_state = parse_state(v, tok_end(v));
		if (ev->prev_state < 0)
			return line_err(err, file, line, "sched:sched_switch: empty prev_state (expected "
					"a task state such as S, D, R, R+, X)");
		return L_EVENT;
	}
	/* libtraceevent's sched plugin: "COMM:TID [PRIO] STATE ==> COMM:TID [PRIO]" */
	{
		const char *le = arrow, *sb, *pe;

		while (le > f && isspace((unsigned char)le[-1]))
			le--;
		sb = le;
		while (sb > f && !isspace((unsigned char)sb[-1]))
			sb--;
		ev->prev_state = parse_state(sb, le);
		pe = bracket_prio(f, sb, &ev->a_prio);
		if (sb == f || ev->prev_state < 0 || comm_tid(f, pe, ev->a_comm, sizeof(ev->a_comm), &ev->a_tid))
			return line_err(err, file, line, "sched:sched_switch: cannot parse \"%.*s\" (expected "
					SWITCH_EXPECT ", or COMM:TID [PRIO] STATE ==> COMM:TID [PRIO])",
					(int)(arrow - f), f);
		pe = bracket_prio(r, r + strlen(r), &ev->b_prio);
		if (comm_tid(r, pe, ev->b_comm, sizeof(ev->b_comm), &ev->b_tid))
			return line_err(err, file, line, "sched:sched_switch: cannot parse \"%s\" (expected "
					"next_comm=COMM next_pid=TID next_prio=PRIO, or COMM:TID [PRIO])", r);
	}
	return L_EVENT;
}

static int parse_wakeup(const char *f, struct ev *ev, const char *evn, const char *file, int line,
			struct diag *err)
{
	int rc;

	ev->a_prio = -1;
	if (kv_pos(f, f, "pid") || kv_pos(f, f, "comm")) {
		if ((rc = kv_tid(f, "pid", &ev->a_tid)))
			return line_err(err, file, line, "sched:%s: %s pid (expected " WAKEUP_EXPECT ")", evn,
					rc == -1 ? "no" : "bad");
		if (kv_comm(f, "comm", "pid", ev->a_comm, sizeof(ev->a_comm)))
			return line_err(err, file, line, "sched:%s: no comm (expected " WAKEUP_EXPECT ")", evn);
		if (kv_int(f, "prio", &ev->a_prio) == -2)
			return line_err(err, file, line, "sched:%s: bad prio (expected " WAKEUP_EXPECT ")", evn);
		return L_EVENT;
	}
	/* plugin: "COMM:TID [PRIO] success=1 CPU:005" */
	{
		const char *e = f + strlen(f), *x;

		for (x = e; x > f; x--)
			if (!strncmp(x - 1, " CPU:", 5)) {
				e = x - 1;
				break;
			}
		for (x = e; x > f; x--)
			if (!strncmp(x - 1, " success=", 9)) {
				e = x - 1;
				break;
			}
		e = bracket_prio(f, e, &ev->a_prio);
		if (comm_tid(f, e, ev->a_comm, sizeof(ev->a_comm), &ev->a_tid))
			return line_err(err, file, line, "sched:%s: cannot parse \"%s\" (expected "
					WAKEUP_EXPECT ", or COMM:TID [PRIO] success=N CPU:NNN)", evn, f);
	}
	return L_EVENT;
}

static int parse_fork(const char *f, struct ev *ev, const char *file, int line, struct diag *err)
{
	int rc;

	if ((rc = kv_tid(f, "pid", &ev->a_tid)))
		return line_err(err, file, line, "sched:sched_process_fork: %s pid (expected " FORK_EXPECT ")",
				rc == -1 ? "no" : "bad");
	if ((rc = kv_tid(f, "child_pid", &ev->b_tid)))
		return line_err(err, file, line, "sched:sched_process_fork: %s child_pid (expected "
				FORK_EXPECT ")", rc == -1 ? "no" : "bad");
	kv_comm(f, "comm", "pid", ev->a_comm, sizeof(ev->a_comm));
	kv_comm(f, "child_comm", "child_pid", ev->b_comm, sizeof(ev->b_comm));
	return L_EVENT;
}

static int parse_exit(const char *f, struct ev *ev, const char *file, int line, struct diag *err)
{
	int rc;

	if ((rc = kv_tid(f, "pid", &ev->a_tid)))
		return line_err(err, file, line, "sched:sched_process_exit: %s pid (expected " EXIT_EXPECT ")",
				rc == -1 ? "no" : "bad");
	kv_comm(f, "comm", "pid", ev->a_comm, sizeof(ev->a_comm));
	ev->a_prio = -1;
	kv_int(f, "prio", &ev->a_prio);
	return L_EVENT;
}

/* Classify and parse one line (no trailing newline). */
static int parse_line(const char *s, struct ev *ev, bool *has_tgid, char *evname, size_t evcap,
		      const char *file, int line, struct diag *err)
{
	const char *p = s, *rest = "", *name;
	int rc;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '#')
		return L_SKIP;
	memset(ev, 0, sizeof(*ev));
	rc = parse_head(s, ev, has_tgid, evname, evcap, &rest, file, line, err);
	if (rc == L_ERROR)
		return L_ERROR;
	if (rc == 1) {
		if (is_callchain(s))
			return L_CALLCHAIN;
		return line_err(err, file, line, "cannot parse \"%.60s%s\" (expected " LINE_EXPECT ")", p,
				strlen(p) > 60 ? "..." : "");
	}
	name = evname;
	if (!strncmp(name, "sched:", 6))
		name += 6;
	for (int i = 0; i < (int)ARRAY_SIZE(ev_names); i++)
		if (!strcmp(name, ev_names[i])) {
			ev->type = (enum ev_type)i;
			switch (ev->type) {
			case EV_SWITCH: return parse_switch(rest, ev, file, line, err);
			case EV_WAKING:
			case EV_WAKEUP:
			case EV_WAKEUP_NEW: return parse_wakeup(rest, ev, ev_names[i], file, line, err);
			case EV_FORK: return parse_fork(rest, ev, file, line, err);
			case EV_EXIT: return parse_exit(rest, ev, file, line, err);
			}
		}
	return L_OTHER;
}

/* ---- building histories --------------------------------------------------------- */

static int grow(void **p, int *cap, int need, size_t elem)
{
	int n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = xrealloc(*p, (size_t)n * elem);
	memset((char *)q + (size_t)*cap * elem, 0, (size_t)(n - *cap) * elem);
	*p = q;
	*cap = n;
	return 0;
}

struct rd {
	struct wl_trace *t;
	int threads_cap;
	bool oom;
};

static int thread_get(struct rd *rd, int tid)
{
	struct wl_trace *t = rd->t;
	struct wl_imp_thread *th;

	if (tid >= t->tid_cap) {
		int cap = t->tid_cap;

		if (grow((void **)&t->tid_index, &cap, tid + 1, sizeof(int))) {
			rd->oom = true;
			return -1;
		}
		t->tid_cap = cap;
	}
	if (t->tid_index[tid])
		return t->tid_index[tid] - 1;
	if (grow((void **)&t->threads, &rd->threads_cap, t->nr_threads + 1, sizeof(*t->threads))) {
		rd->oom = true;
		return -1;
	}
	th = &t->threads[t->nr_threads];
	memset(th, 0, sizeof(*th));
	th->tid = tid;
	th->tgid = -1;
	th->parent = -1;
	th->process = -1;
	th->prio = -1;
	th->dominant_waker = -1;
	th->state = TS_NEW;
	th->cpu = -1;
	t->tid_index[tid] = ++t->nr_threads;
	return t->nr_threads - 1;
}

static void set_comm(struct wl_imp_thread *th, const char *comm)
{
	if (comm && *comm)
		snprintf(th->comm, sizeof(th->comm), "%s", comm);
}

static void first_known(struct wl_imp_thread *th, simtime_t at)
{
	if (!th->first_known) {
		th->first_known = true;
		th->first_seen = at;
	}
}

/* Append an item; returns its index or -1 when the history is full. */
static int push_item(struct rd *rd, struct wl_imp_thread *th, struct imp_item it)
{
	if (th->items_full)
		return -1;
	if (th->nr_items >= rd->t->item_cap) {
		th->items_full = true;
		return -1;
	}
	if (grow((void **)&th->items, &th->cap_items, th->nr_items + 1, sizeof(*th->items))) {
		rd->oom = true;
		return -1;
	}
	th->items[th->nr_items] = it;
	return th->nr_items++;
}

static void end_burst(struct rd *rd, struct wl_imp_thread *th)
{
	simtime_t rest = th->burst_acc - th->burst_emitted;

	push_item(rd, th, (struct imp_item){ .kind = IT_RUN, .ns = rest > 0 ? rest : 0, .peer = -1 });
	th->nr_bursts++;
	th->run_sum_ns += (double)th->burst_acc;
	th->run_sumsq_ns += (double)th->burst_acc * (double)th->burst_acc;
	th->burst_acc = th->burst_emitted = 0;
}

static struct imp_waker *waker_slot(struct rd *rd, struct wl_imp_thread *th, int waker)
{
	for (int i = 0; i < th->nr_wakers; i++)
		if (th->wakers[i].waker == waker)
			return &th->wakers[i];
	if (!(th->nr_wakers & (th->nr_wakers - 1)) || th->nr_wakers == 0) {
		int n = th->nr_wakers ? th->nr_wakers * 2 : 2;
		struct imp_waker *w = xrealloc(th->wakers, (size_t)n * sizeof(*w));

		th->wakers = w;
	}
	th->wakers[th->nr_wakers] = (struct imp_waker){ .waker = waker };
	return &th->wakers[th->nr_wakers++];
}

/* A sleep of @th that ended at @t (its waker: thread index or -1). */
static int end_sleep(struct rd *rd, struct wl_imp_thread *th, simtime_t t, int waker)
{
	simtime_t d = t - th->since;
	struct imp_waker *w;

	if (d < 0)
		d = 0;
	th->nr_sleeps++;
	w = waker_slot(rd, th, waker);
	if (w) {
		w->n++;
		w->sum += (double)d;
		w->sumsq += (double)d * (double)d;
	}
	return push_item(rd, th, (struct imp_item){ .kind = IT_SLEEP, .ns = d, .peer = waker });
}

/* @idx is running on @cpu at @t (it is the current task of an event there). */
static void ensure_running(struct rd *rd, int idx, int cpu, simtime_t t)
{
	struct wl_trace *t_ = rd->t;
	struct wl_imp_thread *th = &t_->threads[idx];
	simtime_t since = t_->cpu_since[cpu];
	int other = t_->cpu_cur[cpu];

	if (th->state == TS_RUNNING && th->cpu == cpu)
		return;
	if (other >= 0 && other != idx) {
		/* a switch-out we did not see: take it as a preemption */
		struct wl_imp_thread *o = &t_->threads[other];

		if (o->state == TS_RUNNING && o->cpu == cpu) {
			o->burst_acc += since - o->since > 0 ? since - o->since : 0;
			o->state = TS_PREEMPTED;
		}
	}
	if (since > t)
		since = t;
	switch (th->state) {
	case TS_NEW:
		first_known(th, since);
		break;
	case TS_BLOCKED:
		end_sleep(rd, th, since > th->since ? since : th->since, -1);
		break;
	case TS_RUNNING: /* on another CPU: a migration we did not see */
		th->burst_acc += t - th->since > 0 ? t - th->since : 0;
		since = t;
		if (th->cpu >= 0 && t_->cpu_cur[th->cpu] == idx)
			t_->cpu_cur[th->cpu] = -1;
		break;
	default:
		break;
	}
	th->state = TS_RUNNING;
	th->ran = true;
	th->since = since;
	th->cpu = cpu;
	t_->cpu_cur[cpu] = idx;
}

static int note_current(struct rd *rd, const struct ev *ev)
{
	int idx;

	if (ev->cur_tid <= 0)
		return -1;
	idx = thread_get(rd, ev->cur_tid);
	if (idx < 0)
		return -1;
	/* perf prints ":TID" when it never learnt the thread's comm: keep the
	 * name the events' own fields give */
	if (ev->cur_comm[0] != ':')
		set_comm(&rd->t->threads[idx], ev->cur_comm);
	if (ev->cur_tgid > 0)
		rd->t->threads[idx].tgid = ev->cur_tgid;
	return idx;
}

static void on_switch(struct rd *rd, const struct ev *ev)
{
	struct wl_trace *t = rd->t;
	simtime_t now = ev->t;
	int c = ev->cpu;

	note_current(rd, ev);
	if (ev->a_tid > 0) {
		int p = thread_get(rd, ev->a_tid);
		struct wl_imp_thread *th;

		if (p < 0)
			return;
		th = &t->threads[p];
		set_comm(th, ev->a_comm);
		if (ev->a_prio >= 0)
			th->prio = ev->a_prio;
		ensure_running(rd, p, c, now);
		th->burst_acc += now - th->since;
		th->since = now;
		switch (ev->prev_state) {
		case PS_RUNNABLE:
			th->state = TS_PREEMPTED;
			th->nr_preempt++;
			break;
		case PS_BLOCKED:
			end_burst(rd, th);
			th->state = TS_BLOCKED;
			th->waking_seen = false;
			break;
		default:
			end_burst(rd, th);
			th->state = TS_DEAD;
			th->exited = true;
			break;
		}
	}
	t->cpu_since[c] = now;
	t->cpu_cur[c] = -1;
	if (ev->b_tid > 0) {
		int n = thread_get(rd, ev->b_tid);
		struct wl_imp_thread *th;

		if (n < 0)
			return;
		th = &t->threads[n];
		set_comm(th, ev->b_comm);
		if (ev->b_prio >= 0)
			th->prio = ev->b_prio;
		switch (th->state) {
		case TS_NEW:
			first_known(th, now);
			break;
		case TS_BLOCKED: /* no wakeup seen: a timer, an interrupt, or a lost event */
			end_sleep(rd, th, now, -1);
			break;
		case TS_RUNNING: /* a switch-out we did not see */
			th->burst_acc += now - th->since > 0 ? now - th->since : 0;
			if (th->cpu >= 0 && th->cpu != c && t->cpu_cur[th->cpu] == n)
				t->cpu_cur[th->cpu] = -1;
			break;
		case TS_DEAD: /* tid reused */
			th->exited = false;
			break;
		default:
			break;
		}
		th->state = TS_RUNNING;
		th->ran = true;
		th->since = now;
		th->cpu = c;
		t->cpu_cur[c] = n;
	}
}

static void on_wakeup(struct rd *rd, const struct ev *ev)
{
	struct wl_trace *t = rd->t;
	int w = note_current(rd, ev), b;
	struct wl_imp_thread *th;

	if (ev->type != EV_WAKEUP_NEW)
		t->nr_wake_events++;
	t->has_waking |= ev->type == EV_WAKING;
	if (w >= 0)
		ensure_running(rd, w, ev->cpu, ev->t);
	if (ev->a_tid <= 0)
		return;
	b = thread_get(rd, ev->a_tid);
	if (b < 0)
		return;
	th = &t->threads[b];
	set_comm(th, ev->a_comm);
	if (ev->a_prio >= 0)
		th->prio = ev->a_prio;
	/* sched_waking is emitted by the waker as try_to_wake_up() starts,
	 * sched_wakeup once the task is queued, possibly from the target CPU
	 * (ttwu_queue_wakelist(), kernel/sched/core.c, Linux 6.x): the waking
	 * names the waker; the wakeup that follows it tells nothing new */
	if (ev->type == EV_WAKEUP && th->waking_seen) {
		th->waking_seen = false;
		return;
	}
	switch (th->state) {
	case TS_NEW:
		first_known(th, ev->t);
		th->started_blocked = ev->type != EV_WAKEUP_NEW;
		th->waking_seen = ev->type == EV_WAKING;
		th->state = TS_WOKEN;
		break;
	case TS_BLOCKED: {
		int waker = w >= 0 && w != b ? w : -1, si;

		si = end_sleep(rd, th, ev->t, waker);
		th->state = TS_WOKEN;
		th->waking_seen = ev->type == EV_WAKING;
		if (waker >= 0 && si >= 0) {
			struct wl_imp_thread *a = &t->threads[waker];
			simtime_t pos = a->burst_acc + (ev->t - a->since);
			int wi;

			/* split the waker's burst at the wakeup */
			if (pos > a->burst_emitted) {
				if (push_item(rd, a, (struct imp_item){ .kind = IT_RUN, .peer = -1,
							.ns = pos - a->burst_emitted }) < 0)
					break;
				a->burst_emitted = pos;
			}
			wi = push_item(rd, a, (struct imp_item){ .kind = IT_WAKE, .peer = b, .ref = si });
			if (wi >= 0)
				th->items[si].has_wake = true;
		}
		break;
	}
	default:
		t->nr_spurious++;
		break;
	}
}

static void on_fork(struct rd *rd, const struct ev *ev)
{
	struct wl_trace *t = rd->t;
	int w = note_current(rd, ev), p = -1, c;

	if (w >= 0)
		ensure_running(rd, w, ev->cpu, ev->t);
	if (ev->a_tid > 0 && (p = thread_get(rd, ev->a_tid)) >= 0)
		set_comm(&t->threads[p], ev->a_comm);
	if (ev->b_tid <= 0 || (c = thread_get(rd, ev->b_tid)) < 0)
		return;
	set_comm(&t->threads[c], ev->b_comm);
	snprintf(t->threads[c].fork_comm, sizeof(t->threads[c].fork_comm), "%s", t->threads[c].comm);
	if (ev->a_tid > 0)
		t->threads[c].parent = ev->a_tid;
}

static void on_exit_ev(struct rd *rd, const struct ev *ev)
{
	struct wl_trace *t = rd->t;
	int w = note_current(rd, ev), x;

	if (w >= 0)
		ensure_running(rd, w, ev->cpu, ev->t);
	if (ev->a_tid > 0 && (x = thread_get(rd, ev->a_tid)) >= 0)
		t->threads[x].exited = true;
}

static int cpu_room(struct rd *rd, int cpu)
{
	struct wl_trace *t = rd->t;

	if (cpu < t->nr_cpus_seen)
		return 0;
	int cap = t->nr_cpus_seen, cap2 = t->nr_cpus_seen;
	if (grow((void **)&t->cpu_cur, &cap, cpu + 1, sizeof(int)) ||
	    grow((void **)&t->cpu_since, &cap2, cpu + 1, sizeof(simtime_t))) {
		rd->oom = true;
		return -1;
	}
	for (int i = t->nr_cpus_seen; i < cap; i++) {
		t->cpu_cur[i] = -1;
		t->cpu_since[i] = t->t0;
	}
	t->nr_cpus_seen = cap < cap2 ? cap : cap2;
	return 0;
}

static void finish(struct rd *rd)
{
	struct wl_trace *t = rd->t;

	for (int i = 0; i < t->nr_threads; i++) {
		struct wl_imp_thread *th = &t->threads[i];

		if (th->state == TS_RUNNING) {
			th->burst_acc += t->t1 - th->since;
			th->since = t->t1;
		}
		if ((th->state == TS_RUNNING || th->state == TS_PREEMPTED) && th->burst_acc > 0)
			end_burst(rd, th);
		if (th->state == TS_BLOCKED && t->t1 > th->since)
			th->tail_sleep = t->t1 - th->since;
		if (th->first_known)
			th->first_seen -= t->t0;
	}
}

static void note_other(struct wl_trace *t, const char *name)
{
	size_t l = strlen(t->other_names), nl = strlen(name);
	const char *p = t->other_names;

	t->nr_other++;
	/* already listed? */
	while ((p = strstr(p, name))) {
		if ((p == t->other_names || p[-1] == ' ') && (p[nl] == ',' || p[nl] == '\0'))
			return;
		p++;
	}
	if (l + nl + 8 >= sizeof(t->other_names))
		return;
	snprintf(t->other_names + l, sizeof(t->other_names) - l, "%s%s", l ? ", " : "", name);
}

int wl_trace_read(FILE *f, const char *file, int max_ops, struct wl_trace **out, struct diag *err)
{
	struct wl_trace *t = xcalloc(1, sizeof(*t));
	struct rd rd = { .t = t };
	char *buf = NULL, evname[128];
	size_t cap = 0;
	ssize_t n;
	int line = 0;
	int tgid_lines = -1; /* 1: pid/tid columns, 0: tid only, -1: no event yet */
	struct ev ev;

	*out = NULL;
	snprintf(t->file, sizeof(t->file), "%s", file);
	if (max_ops <= 0)
		max_ops = WL_IMPORT_MAX_OPS_DEFAULT;
	/* a wake can split a run in two: room for every op plus the splits */
	t->item_cap = max_ops > INT_MAX / 3 - 64 ? INT_MAX / 3 : 2 * max_ops + 64;

	while ((n = getline(&buf, &cap, f)) >= 0) {
		bool has_tgid = false;
		int k;

		line++;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		if ((size_t)n != strlen(buf)) {
			diag_at(err, file, line, 0, "NUL byte in the line (expected the text output of perf script)");
			goto fail;
		}
		k = parse_line(buf, &ev, &has_tgid, evname, sizeof(evname), file, line, err);
		if (k == L_ERROR)
			goto fail;
		if (k == L_SKIP)
			continue;
		if (k == L_CALLCHAIN) {
			t->nr_callchain++;
			continue;
		}
		if (tgid_lines < 0) {
			tgid_lines = has_tgid;
			t->has_tgid = has_tgid;
		} else if (tgid_lines != (int)has_tgid) {
			diag_at(err, file, line, 0, "%s column where earlier lines have %s (expected one "
				"perf script output format throughout)", has_tgid ? "a PID/TID" : "a TID",
				has_tgid ? "a TID" : "PID/TID");
			goto fail;
		}
		if (t->nr_events == 0 && t->nr_other == 0)
			t->t0 = t->t1 = t->last_t = ev.t;
		if (ev.t < t->last_t) {
			t->nr_reordered++;
			ev.t = t->last_t;
		}
		t->last_t = t->t1 = ev.t;
		if (k == L_OTHER) {
			note_other(t, evname);
			continue;
		}
		if (t->nr_events == 0)
			t->t0 = ev.t; /* the trace starts at the first sched event */
		t->nr_events++;
		if (cpu_room(&rd, ev.cpu))
			goto oom;
		switch (ev.type) {
		case EV_SWITCH: on_switch(&rd, &ev); break;
		case EV_WAKING:
		case EV_WAKEUP:
		case EV_WAKEUP_NEW: on_wakeup(&rd, &ev); break;
		case EV_FORK: on_fork(&rd, &ev); break;
		case EV_EXIT: on_exit_ev(&rd, &ev); break;
		}
		if (rd.oom)
			goto oom;
	}
	if (ferror(f)) {
		diag_set(err, "%s: read error: %s", file, strerror(errno));
		goto fail;
	}
	t->nr_lines = line;
	if (t->nr_events == 0) {
		diag_set(err, "%s: no sched events in %d line%s (expected perf script output of "
			 "sched:sched_switch, sched:sched_waking, sched:sched_wakeup, sched:sched_wakeup_new, "
			 "sched:sched_process_fork and sched:sched_process_exit)", file, line, line == 1 ? "" : "s");
		goto fail;
	}
	finish(&rd);
	if (rd.oom)
		goto oom;
	free(buf);
	*out = t;
	return 0;
oom:
	diag_set(err, "%s: out of memory", file);
fail:
	free(buf);
	wl_trace_free(t);
	return -1;
}

int wl_trace_read_path(const char *path, int max_ops, struct wl_trace **out, struct diag *err)
{
	FILE *f = fopen(path, "r");
	int ret;

	*out = NULL;
	if (!f)
		return diag_set(err, "%s: cannot open: %s", path, strerror(errno));
	ret = wl_trace_read(f, path, max_ops, out, err);
	fclose(f);
	return ret;
}

const struct wl_imp_thread *wl_trace_find(const struct wl_trace *t, int tid)
{
	if (tid < 0 || tid >= t->tid_cap || !t->tid_index[tid])
		return NULL;
	return &t->threads[t->tid_index[tid] - 1];
}

double wl_imp_run_mean(const struct wl_imp_thread *th)
{
	return th->nr_bursts ? th->run_sum_ns / (double)th->nr_bursts : 0;
}

double wl_imp_run_sd(const struct wl_imp_thread *th)
{
	double m = wl_imp_run_mean(th), v;

	if (th->nr_bursts < 2)
		return 0;
	v = th->run_sumsq_ns / (double)th->nr_bursts - m * m;
	return v > 0 ? sqrt(v) : 0;
}

void wl_trace_free(struct wl_trace *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nr_threads; i++) {
		free(t->threads[i].items);
		free(t->threads[i].wakers);
	}
	for (int i = 0; i < t->nr_procs; i++)
		free(t->procs[i].threads);
	free(t->threads);
	free(t->order);
	free(t->procs);
	free(t->edges);
	free(t->tid_index);
	free(t->cpu_cur);
	free(t->cpu_since);
	free(t);
}

/* ---- modelling -------------------------------------------------------------------- */

/* Workload names: letters, digits, '_' and '-' only (no '.', which count
 * expansion uses, nor '/', which blocks use). */
static void sanitize(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	for (const char *p = src; *p && n + 1 < cap; p++)
		dst[n++] = isalnum((unsigned char)*p) || *p == '_' || *p == '-' ? *p : '_';
	dst[n] = '\0';
	if (!n)
		snprintf(dst, cap, "task");
}

static void name_with_id(char *dst, size_t cap, const char *comm, int id)
{
	char s[64], num[16];
	size_t room;

	snprintf(num, sizeof(num), "-%d", id);
	sanitize(s, sizeof(s), comm);
	room = cap - 1 - strlen(num);
	if (strlen(s) > room)
		s[room] = '\0';
	snprintf(dst, cap, "%s%s", s, num);
}

struct ord {
	simtime_t first_seen;
	int tid, idx;
};

static int cmp_order(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;

	if (x->first_seen != y->first_seen)
		return x->first_seen < y->first_seen ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static int cmp_edge(const void *a, const void *b)
{
	const struct wl_imp_edge *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->waker != y->waker)
		return x->waker < y->waker ? -1 : 1;
	return x->wakee < y->wakee ? -1 : x->wakee > y->wakee;
}

/* The group key of a thread: a tid whose process it joins (fork/tgid), as an
 * index into the threads array, or for comm grouping the first thread with
 * the same comm.  A forked child whose comm changed since the fork ran
 * exec(): a new process (a shell's commands), not a thread of its parent. */
static int fork_root(const struct wl_trace *t, int i, bool use_tgid)
{
	for (int depth = 0; depth < 4096; depth++) {
		const struct wl_imp_thread *th = &t->threads[i];
		const struct wl_imp_thread *p;

		if (use_tgid && th->tgid > 0)
			return -2 - th->tgid; /* tgid key */
		if (th->parent <= 0 || th->parent == th->tid || strcmp(th->fork_comm, th->comm) ||
		    !(p = wl_trace_find(t, th->parent)))
			return i;
		i = (int)(p - t->threads);
	}
	return i;
}

static bool name_taken(const struct wl_trace *t, int upto, const char *name)
{
	for (int i = 0; i < upto; i++)
		if (!strcmp(t->procs[i].name, name))
			return true;
	return false;
}

/* Kernel threads: kthreadd (tid 2), the threads it forks in the trace, and
 * the names Linux gives its own threads (kthread_create() callers). */
static bool kernel_thread(const struct wl_imp_thread *th)
{
	static const char *const prefix[] = {
		"kworker/", "ksoftirqd/", "migration/", "cpuhp/", "idle_inject/", "irq/", "rcu_", "rcuc/",
		"rcuog/", "rcuop/", "rcuos/", "watchdog", "kthreadd", "kswapd", "kcompactd", "khugepaged",
		"ksmd", "kdamond", "jbd2/", "khungtaskd", "oom_reaper", "kauditd", "kdevtmpfs", "kblockd",
		"writeback", "scsi_eh_", "xfsaild/", "kthrotld", "kintegrityd", "psimon",
	};

	if (th->tid == 2 || th->parent == 2)
		return true;
	for (int k = 0; k < (int)ARRAY_SIZE(prefix); k++)
		if (!strncmp(th->comm, prefix[k], strlen(prefix[k])))
			return true;
	return false;
}

/* The recording tools: perf (perf record, perf sched record and its child
 * before exec, named perf-exec) and trace-cmd. */
static bool tool_thread(const struct wl_imp_thread *th)
{
	return !strcmp(th->comm, "perf") || !strcmp(th->comm, "perf-exec") || !strcmp(th->comm, "trace-cmd");
}

static bool imported(const struct wl_imp_thread *th)
{
	return th->ran && !th->left_out;
}

int wl_trace_model(struct wl_trace *t, const struct wl_import_opts *o, struct diag *err)
{
	enum wl_import_group g = o->group_by;
	int *key = NULL, ne = 0;

	if (g == WL_IMPORT_GROUP_AUTO)
		g = t->has_tgid ? WL_IMPORT_GROUP_TGID : WL_IMPORT_GROUP_FORK;
	if (g == WL_IMPORT_GROUP_TGID && !t->has_tgid)
		return diag_set(err, "%s: --group-by tgid needs the PID/TID column (expected a trace from "
				"perf script -F comm,pid,tid,cpu,time,event,trace; or use --group-by fork or comm)",
				t->file);
	t->grouped_by = g;

	/* emitted threads, in order of first appearance */
	free(t->order);
	t->order = xmalloc((size_t)(t->nr_threads ? t->nr_threads : 1) * sizeof(int));
	t->nr_order = 0;
	t->nr_left_kernel = t->nr_left_tools = 0;
	for (int i = 0; i < t->nr_threads; i++) {
		struct wl_imp_thread *th = &t->threads[i];

		th->left_out = 0;
		if (!th->ran)
			continue;
		if (!(o->keep & WL_IMPORT_KEEP_KERNEL) && kernel_thread(th)) {
			th->left_out = WL_IMPORT_KEEP_KERNEL;
			t->nr_left_kernel++;
		} else if (!(o->keep & WL_IMPORT_KEEP_TOOLS) && tool_thread(th)) {
			th->left_out = WL_IMPORT_KEEP_TOOLS;
			t->nr_left_tools++;
		} else {
			t->order[t->nr_order++] = i;
		}
	}
	if (!t->nr_order && (t->nr_left_kernel || t->nr_left_tools))
		return diag_set(err, "%s: only kernel threads (%d) and recording tools (%d) ran in the trace "
				"(expected the threads of a workload; --keep kernel,tools imports those)", t->file,
				t->nr_left_kernel, t->nr_left_tools);
	if (!t->nr_order)
		return diag_set(err, "%s: no thread ran in the trace (expected sched:sched_switch events "
				"switching in tasks other than the idle task)", t->file);
	{
		struct ord *o2 = xmalloc((size_t)t->nr_order * sizeof(*o2));

		for (int k = 0; k < t->nr_order; k++)
			o2[k] = (struct ord){ t->threads[t->order[k]].first_seen, t->threads[t->order[k]].tid,
					      t->order[k] };
		qsort(o2, (size_t)t->nr_order, sizeof(*o2), cmp_order);
		for (int k = 0; k < t->nr_order; k++)
			t->order[k] = o2[k].idx;
		free(o2);
	}
	for (int k = 0; k < t->nr_order; k++) {
		struct wl_imp_thread *th = &t->threads[t->order[k]];
		name_with_id(th->name, sizeof(th->name), th->comm, th->tid);
	}

	/* dominant wakers, waits and edges, between imported threads */
	t->nr_wakes_idle = t->nr_wakes_left_out = 0;
	for (int i = 0; i < t->nr_threads; i++)
		for (int j = 0; j < t->threads[i].nr_wakers; j++) {
			const struct imp_waker *w = &t->threads[i].wakers[j];

			if (!imported(&t->threads[i]))
				continue;
			if (w->waker < 0)
				t->nr_wakes_idle += w->n;
			else if (!imported(&t->threads[w->waker]))
				t->nr_wakes_left_out += w->n;
			else
				ne++;
		}
	free(t->edges);
	t->edges = xcalloc((size_t)(ne ? ne : 1), sizeof(*t->edges));
	t->nr_edges = 0;
	for (int i = 0; i < t->nr_threads; i++) {
		struct wl_imp_thread *th = &t->threads[i];
		const struct imp_waker *best = NULL;

		th->dominant_waker = -1;
		th->nr_waits = 0;
		for (int j = 0; j < th->nr_wakers; j++) {
			const struct imp_waker *w = &th->wakers[j];

			if (w->waker < 0 || !imported(&t->threads[w->waker]))
				continue;
			if (!best || w->n > best->n ||
			    (w->n == best->n && t->threads[w->waker].tid < t->threads[best->waker].tid))
				best = w;
		}
		if (imported(th) && best && 2 * best->n >= th->nr_sleeps) {
			th->dominant_waker = t->threads[best->waker].tid;
			th->nr_waits = best->n;
		}
		for (int k = 0; k < th->nr_items; k++) {
			struct imp_item *it = &th->items[k];

			if (it->kind == IT_SLEEP)
				it->wait = best && th->dominant_waker >= 0 && it->peer == best->waker && it->has_wake;
		}
		for (int j = 0; j < th->nr_wakers; j++) {
			const struct imp_waker *w = &th->wakers[j];

			if (!imported(th) || w->waker < 0 || !imported(&t->threads[w->waker]))
				continue;
			t->edges[t->nr_edges++] = (struct wl_imp_edge){
				.waker = t->threads[w->waker].tid, .wakee = th->tid, .count = w->n,
				.modelled = th->dominant_waker >= 0 && w == best,
			};
		}
	}
	qsort(t->edges, (size_t)t->nr_edges, sizeof(*t->edges), cmp_edge);

	/* processes */
	for (int i = 0; i < t->nr_procs; i++)
		free(t->procs[i].threads);
	free(t->procs);
	t->nr_procs = 0;
	t->procs = xcalloc((size_t)t->nr_order, sizeof(*t->procs));
	key = xmalloc((size_t)t->nr_order * sizeof(int));
	for (int k = 0; k < t->nr_order; k++) {
		int i = t->order[k], kk, p;
		struct wl_imp_thread *th = &t->threads[i];

		if (g == WL_IMPORT_GROUP_COMM) {
			kk = i;
			for (int m = 0; m < k; m++)
				if (!strcmp(t->threads[t->order[m]].comm, th->comm)) {
					kk = t->order[m];
					break;
				}
		} else {
			kk = fork_root(t, i, g == WL_IMPORT_GROUP_TGID);
		}
		for (p = 0; p < t->nr_procs; p++)
			if (key[p] == kk)
				break;
		if (p == t->nr_procs) {
			struct wl_imp_process *pr = &t->procs[p];
			char nm[64];

			key[p] = kk;
			pr->threads = xmalloc((size_t)t->nr_order * sizeof(int));
			if (g == WL_IMPORT_GROUP_COMM) {
				sanitize(nm, sizeof(nm), th->comm);
			} else if (kk <= -2) {
				/* tgid: named after the main thread (tid == tgid) if it was seen */
				int tgid = -2 - kk;
				const struct wl_imp_thread *m = wl_trace_find(t, tgid);

				name_with_id(nm, sizeof(nm), m && m->comm[0] ? m->comm : th->comm, tgid);
			} else {
				name_with_id(nm, sizeof(nm), t->threads[kk].comm, t->threads[kk].tid);
			}
			snprintf(pr->name, sizeof(pr->name), "%s", nm);
			for (int s = 2; name_taken(t, p, pr->name); s++) {
				char sfx[16];
				size_t room;

				snprintf(sfx, sizeof(sfx), "_%d", s);
				room = sizeof(pr->name) - 1 - strlen(sfx);
				snprintf(pr->name, sizeof(pr->name), "%.*s%s", (int)room, nm, sfx);
			}
			t->nr_procs++;
		}
		th->process = p;
		t->procs[p].threads[t->procs[p].nr_threads++] = i;
	}
	free(key);
	return 0;
}

/* ---- the workload document ---------------------------------------------------- */

static json_t *dur(simtime_t ns)
{
	char b[32];

	if (ns < 0)
		ns = 0;
	if (ns && ns % NSEC_PER_MSEC == 0)
		snprintf(b, sizeof(b), "%lldms", (long long)(ns / NSEC_PER_MSEC));
	else if (ns && ns % NSEC_PER_USEC == 0)
		snprintf(b, sizeof(b), "%lldus", (long long)(ns / NSEC_PER_USEC));
	else
		snprintf(b, sizeof(b), "%lldns", (long long)ns);
	return json_string(b);
}

/* A fitted duration: fixed when there is no spread, else lognormal. */
static json_t *fitted(double mean, double sd, int64_t n)
{
	json_t *d;
	simtime_t m = (simtime_t)llround(mean), s = (simtime_t)llround(sd);

	if (n < 2 || s <= 0 || m <= 0)
		return dur(m);
	d = json_object();
	json_object_set_new(d, "dist", json_string("lognormal"));
	json_object_set_new(d, "mean", dur(m));
	json_object_set_new(d, "stddev", dur(s));
	return d;
}

static json_t *op1(const char *k, json_t *v)
{
	json_t *o = json_object();

	json_object_set_new(o, k, v);
	return o;
}

struct ops {
	json_t *arr;
	int n, max;
	simtime_t run;   /* pending run, merged until the next other op */
	bool full;
};

static void ops_push(struct ops *s, json_t *op)
{
	if (s->n >= s->max) {
		s->full = true;
		json_decref(op);
		return;
	}
	json_array_append_new(s->arr, op);
	s->n++;
}

static void ops_flush(struct ops *s)
{
	if (s->run > 0)
		ops_push(s, op1("run", dur(s->run)));
	s->run = 0;
}

static json_t *replay_ops(struct wl_trace *t, struct wl_imp_thread *th, int max_ops)
{
	struct ops s = { .arr = json_array(), .max = max_ops };

	for (int k = 0; k < th->nr_items && !s.full; k++) {
		const struct imp_item *it = &th->items[k];

		switch (it->kind) {
		case IT_RUN:
			s.run += it->ns;
			break;
		case IT_SLEEP:
			if (!it->wait && it->ns <= 0)
				break;
			ops_flush(&s);
			if (it->wait)
				ops_push(&s, op1("wait", json_true()));
			else
				ops_push(&s, op1("sleep", dur(it->ns)));
			break;
		case IT_WAKE: {
			const struct wl_imp_thread *b = &t->threads[it->peer];

			if (it->ref < b->nr_items && b->items[it->ref].wait) {
				ops_flush(&s);
				ops_push(&s, op1("wake", json_string(b->name)));
			}
			break;
		}
		}
	}
	if (!s.full)
		ops_flush(&s);
	th->truncated = s.full || th->items_full;
	if (s.n == 0)
		json_array_append_new(s.arr, op1("run", dur(0)));
	return s.arr;
}

static json_t *fit_ops(struct wl_trace *t, struct wl_imp_thread *th)
{
	json_t *arr = json_array(), *block = NULL, *run;
	double mean = wl_imp_run_mean(th), sd = wl_imp_run_sd(th);
	int64_t n_timed = 0;
	double sum = 0, sumsq = 0;
	int dom = -1;
	bool wait_first;

	if (th->dominant_waker >= 0)
		dom = t->tid_index[th->dominant_waker] - 1;
	/* at least 1 us per burst: a zero-length loop would never let time advance */
	if (mean < NSEC_PER_USEC)
		mean = NSEC_PER_USEC;
	run = op1("run", fitted(mean, sd, th->nr_bursts));
	for (int j = 0; j < th->nr_wakers; j++) {
		const struct imp_waker *w = &th->wakers[j];

		if (dom >= 0 && w->waker == dom)
			continue;
		n_timed += w->n;
		sum += w->sum;
		sumsq += w->sumsq;
	}
	if (th->nr_waits > 0 && th->nr_waits >= n_timed) {
		block = op1("wait", json_true());
	} else if (n_timed > 0 && sum > 0) {
		double m = sum / (double)n_timed, v = sumsq / (double)n_timed - m * m;

		block = op1("sleep", fitted(m, v > 0 ? sqrt(v) : 0, n_timed));
	} else if (th->nr_waits == 0 && th->tail_sleep > 0) {
		/* blocked once and not woken before the end: at least that long */
		block = op1("sleep", dur(th->tail_sleep));
	}
	/* a thread first seen being woken by its dominant waker starts waiting
	 * (else it would consume a stale wake each round); everything else starts
	 * running at its start_delay, the time it was first seen runnable */
	wait_first = block && th->started_blocked && json_object_get(block, "wait");
	if (wait_first)
		json_array_append(arr, block);
	json_array_append_new(arr, run);
	/* the threads this one is the dominant waker of: woken after each burst */
	for (int k = 0; k < t->nr_order; k++) {
		const struct wl_imp_thread *b = &t->threads[t->order[k]];

		if (b->dominant_waker == th->tid && b->nr_waits > 0 && b->nr_waits >= b->nr_sleeps - b->nr_waits)
			json_array_append_new(arr, op1("wake", json_string(b->name)));
	}
	if (block && !wait_first)
		json_array_append(arr, block);
	json_decref(block);
	th->truncated = false;
	return arr;
}

json_t *wl_trace_workload(struct wl_trace *t, const struct wl_import_opts *o)
{
	json_t *doc = json_object(), *procs = json_array();
	char name[128], desc[512];
	const char *base = strrchr(t->file, '/');
	int max_ops = o->max_ops > 0 ? o->max_ops : WL_IMPORT_MAX_OPS_DEFAULT;
	simtime_t span = t->t1 - t->t0;

	base = base ? base + 1 : t->file;
	if (o->name && *o->name) {
		snprintf(name, sizeof(name), "%s", o->name);
	} else {
		char *dot;

		snprintf(name, sizeof(name), "%.120s", base);
		dot = strrchr(name, '.');
		if (dot && dot != name)
			*dot = '\0';
	}
	snprintf(desc, sizeof(desc), "imported from the perf script trace %.300s (mode %s, processes by %s): "
		 "%d threads in %d processes over %.3f ms", base, wl_import_mode_name(o->mode),
		 wl_import_group_name(t->grouped_by), t->nr_order, t->nr_procs, (double)span / 1e6);
	json_object_set_new(doc, "name", json_string(name));
	json_object_set_new(doc, "description", json_string(desc));
	if (span > 0)
		json_object_set_new(doc, "duration", dur(span));
	for (int p = 0; p < t->nr_procs; p++) {
		const struct wl_imp_process *pr = &t->procs[p];
		json_t *jp = json_object(), *threads = json_array();

		json_object_set_new(jp, "name", json_string(pr->name));
		for (int k = 0; k < pr->nr_threads; k++) {
			struct wl_imp_thread *th = &t->threads[pr->threads[k]];
			json_t *jt = json_object();
			int nice = 0;

			if (th->prio >= 100 && th->prio <= 139)
				nice = th->prio - 120;
			json_object_set_new(jt, "name", json_string(th->name));
			if (nice)
				json_object_set_new(jt, "nice", json_integer(nice));
			if (th->first_seen > 0)
				json_object_set_new(jt, "start_delay", dur(th->first_seen));
			if (o->mode == WL_IMPORT_FIT) {
				json_object_set_new(jt, "loops", json_integer(th->exited ?
					(th->nr_bursts > 0 ? th->nr_bursts : 1) : -1));
				json_object_set_new(jt, "ops", fit_ops(t, th));
			} else {
				json_object_set_new(jt, "loops", json_integer(1));
				json_object_set_new(jt, "ops", replay_ops(t, th, max_ops));
			}
			json_array_append_new(threads, jt);
		}
		json_object_set_new(jp, "threads", threads);
		json_array_append_new(procs, jp);
	}
	json_object_set_new(doc, "processes", procs);
	return doc;
}

/* ---- writing ------------------------------------------------------------------------- */

static bool breaks(const char *key)
{
	return key && (!strcmp(key, "processes") || !strcmp(key, "threads") || !strcmp(key, "ops"));
}

/* One line if short and not a container of processes/threads/ops. */
static char *inline_text(const json_t *v, const char *key)
{
	char *s;
	const char *k;
	json_t *x;
	size_t i;

	if (!json_is_object(v) && !json_is_array(v))
		return json_dumps(v, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
	if (breaks(key) || (json_is_object(v) ? json_object_size(v) : json_array_size(v)) > 8)
		return NULL;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, x)
			if (breaks(k))
				return NULL;
	} else {
		json_array_foreach(v, i, x)
			if (json_is_object(x) && json_object_get(x, "threads"))
				return NULL;
	}
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
	if (s && strlen(s) > 96) {
		free(s);
		return NULL;
	}
	return s;
}

static void write_value(FILE *f, const json_t *v, const char *key, int depth)
{
	char *s = inline_text(v, key);
	const char *k;
	json_t *x;
	size_t i, n;

	if (s) {
		fputs(s, f);
		free(s);
		return;
	}
	if (json_is_object(v)) {
		n = json_object_size(v);
		i = 0;
		fputs("{\n", f);
		json_object_foreach((json_t *)v, k, x) {
			json_t *js = json_string(k);
			char *ks = json_dumps(js, JSON_ENCODE_ANY);

			fprintf(f, "%*s%s: ", 2 * (depth + 1), "", ks ? ks : "\"\"");
			free(ks);
			json_decref(js);
			write_value(f, x, k, depth + 1);
			fputs(++i < n ? ",\n" : "\n", f);
		}
		fprintf(f, "%*s}", 2 * depth, "");
	} else {
		n = json_array_size(v);
		fputs("[\n", f);
		json_array_foreach(v, i, x) {
			fprintf(f, "%*s", 2 * (depth + 1), "");
			write_value(f, x, NULL, depth + 1);
			fputs(i + 1 < n ? ",\n" : "\n", f);
		}
		fprintf(f, "%*s]", 2 * depth, "");
	}
}

int wl_import_write(const json_t *doc, const char *path, struct diag *err)
{
	struct afile a;

	if (afile_open(&a, path, err))
		return -1;
	write_value(a.f, doc, NULL, 0);
	fputc('\n', a.f);
	return afile_commit(&a, err);
}
