/*
 * rt-app workloads (scheduler-tools/rt-app: doc/tutorial.txt,
 * src/rt-app_parse_config.c, src/rt-app.c) loaded into struct workload.
 *
 * rt-app files are "JSON-like": json-c and workgen accept C comments,
 * trailing commas and duplicate keys (several "run" in one phase, executed in
 * file order), and rt-app recognises an event by the prefix of its key
 * (strncmp(key, "run", 3): "run0", "sleep_a" are events).  jansson keeps
 * neither duplicates nor positions, so this file reads the text with its own
 * small reader into an ordered tree that keeps every key with its line:col,
 * then maps the tree onto cassim ops.  The supported subset and the mapping
 * are documented in workloads/rt-app.md; keep the two in step.
 */
#include "workload/wl.h"
#include "base/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RT_NAME_MAX 64
#define RT_MAX_DEPTH 200
#define RT_MAX_INSTANCES (1 << 20)
#define RT_MAX_THREADS (1 << 22)
#define RT_MAX_US (INT64_MAX / NSEC_PER_USEC)

/* ------------------------------------------------------------ reader */

enum jtype { J_NULL, J_BOOL, J_INT, J_REAL, J_STR, J_OBJ, J_ARR, J_MISSING };

struct jkv;

struct jv {
	enum jtype t;
	int line, col;      /* of the value's first character */
	bool b;
	int64_t i;
	double d;
	char *s;
	int n;              /* J_OBJ: members, J_ARR: elements */
	struct jkv *kv;     /* J_OBJ: members in file order, duplicates kept */
	struct jv **el;     /* J_ARR */
};

struct jkv {
	char *key;
	int line, col;      /* of the key's opening quote */
	struct jv *v;
};

struct rd {
	const char *file;
	const char *p, *end;
	int line, col;
	int depth;
	struct diag *err;
};

static void jv_free(struct jv *v)
{
	if (!v)
		return;
	for (int i = 0; i < v->n; i++) {
		if (v->t == J_OBJ) {
			free(v->kv[i].key);
			jv_free(v->kv[i].v);
		} else if (v->t == J_ARR) {
			jv_free(v->el[i]);
		}
	}
	free(v->kv);
	free(v->el);
	free(v->s);
	free(v);
}

static int peek(const struct rd *r)
{
	return r->p < r->end ? (unsigned char)*r->p : -1;
}

static int peek2(const struct rd *r)
{
	return r->p + 1 < r->end ? (unsigned char)r->p[1] : -1;
}

/* Columns count characters (a UTF-8 sequence counts once), as jansson and
 * wl_locate() do. */
static void adv(struct rd *r)
{
	unsigned char b;

	if (r->p >= r->end)
		return;
	b = (unsigned char)*r->p++;
	if (b == '\n') {
		r->line++;
		r->col = 1;
	} else if ((b & 0xC0) != 0x80) {
		r->col++;
	}
}

static int rd_err_at(struct rd *r, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int rd_err_at(struct rd *r, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vat(r->err, r->file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

#define rd_err(r, ...) rd_err_at((r), (r)->line, (r)->col, __VA_ARGS__)

static int rd_oom(struct rd *r)
{
	return diag_set(r->err, "%s: out of memory", r->file);
}

/* Whitespace and comments, which json-c (rt-app's parser) accepts. */
static int skip_ws(struct rd *r)
{
	for (;;) {
		int c = peek(r);

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			adv(r);
		} else if (c == '/' && peek2(r) == '/') {
			while (peek(r) >= 0 && peek(r) != '\n')
				adv(r);
		} else if (c == '/' && peek2(r) == '*') {
			int l = r->line, cl = r->col;

			adv(r);
			adv(r);
			while (!(peek(r) == '*' && peek2(r) == '/')) {
				if (peek(r) < 0)
					return rd_err_at(r, l, cl, "unterminated comment (expected */)");
				adv(r);
			}
			adv(r);
			adv(r);
		} else {
			return 0;
		}
	}
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

struct sbuf {
	char *s;
	size_t len, cap;
};

static int sb_put(struct sbuf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		char *s = xrealloc(b->s, cap);

		b->s = s;
		b->cap = cap;
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
	return 0;
}

static int sb_utf8(struct sbuf *b, unsigned u)
{
	if (u < 0x80)
		return sb_put(b, (char)u);
	if (u < 0x800)
		return sb_put(b, (char)(0xC0 | (u >> 6))) || sb_put(b, (char)(0x80 | (u & 0x3F)));
	if (u < 0x10000)
		return sb_put(b, (char)(0xE0 | (u >> 12))) ||
		       sb_put(b, (char)(0x80 | ((u >> 6) & 0x3F))) ||
		       sb_put(b, (char)(0x80 | (u & 0x3F)));
	return sb_put(b, (char)(0xF0 | (u >> 18))) || sb_put(b, (char)(0x80 | ((u >> 12) & 0x3F))) ||
	       sb_put(b, (char)(0x80 | ((u >> 6) & 0x3F))) || sb_put(b, (char)(0x80 | (u & 0x3F)));
}

static int read_u4(struct rd *r, unsigned *u)
{
	*u = 0;
	for (int k = 0; k < 4; k++) {
		int h = hexval(peek(r));

		if (h < 0)
			return rd_err(r, "bad \\u escape (expected 4 hex digits)");
		*u = *u * 16 + (unsigned)h;
		adv(r);
	}
	return 0;
}

/* A string at the opening quote; *out is malloc'ed, NUL-terminated. */
static int read_string(struct rd *r, char **out)
{
	int l = r->line, cl = r->col;
	struct sbuf b = { NULL, 0, 0 };

	adv(r); /* " */
	if (sb_put(&b, '\0'))
		return rd_oom(r);
	b.len = 0;
	for (;;) {
		int c = peek(r);

		if (c < 0) {
			free(b.s);
			return rd_err_at(r, l, cl, "unterminated string (expected a closing '\"')");
		}
		if (c == '"') {
			adv(r);
			break;
		}
		if (c < 0x20) {
			free(b.s);
			return rd_err(r, "control character in a string (expected \\n, \\t ... escapes)");
		}
		if (c != '\\') {
			if (sb_put(&b, (char)c))
				goto oom;
			adv(r);
			continue;
		}
		adv(r);
		c = peek(r);
		static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
		const char *e = c > 0 ? strchr(esc_in, c) : NULL;
		if (e) {
			if (sb_put(&b, esc_out[e - esc_in]))
				goto oom;
			adv(r);
			continue;
		}
		if (c != 'u') {
			free(b.s);
			return rd_err(r, "bad escape in a string (expected one of \\\" \\\\ \\/ \\b \\f "
				      "\\n \\r \\t \\uXXXX)");
		}
		adv(r);
		unsigned u, lo;
		if (read_u4(r, &u)) {
			free(b.s);
			return -1;
		}
		if (u >= 0xD800 && u < 0xDC00 && peek(r) == '\\' && peek2(r) == 'u') {
			adv(r);
			adv(r);
			if (read_u4(r, &lo)) {
				free(b.s);
				return -1;
			}
			if (lo >= 0xDC00 && lo < 0xE000)
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			else
				u = 0xFFFD;
		} else if (u >= 0xD800 && u < 0xE000) {
			u = 0xFFFD;
		}
		if (u == 0) {
			free(b.s);
			return rd_err(r, "\\u0000 in a string (expected no NUL characters)");
		}
		if (sb_utf8(&b, u))
			goto oom;
	}
	*out = b.s;
	return 0;
oom:
	free(b.s);
	return rd_oom(r);
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int read_number(struct rd *r, struct jv *v)
{
	const char *s = r->p;
	bool real = false;
	char buf[128];

	if (peek(r) == '-')
		adv(r);
	if (peek(r) == '0') {
		adv(r);
	} else if (is_digit(peek(r))) {
		while (is_digit(peek(r)))
			adv(r);
	} else {
		return rd_err(r, "bad number (expected a digit)");
	}
	if (peek(r) == '.') {
		real = true;
		adv(r);
		if (!is_digit(peek(r)))
			return rd_err(r, "bad number (expected a digit after '.')");
		while (is_digit(peek(r)))
			adv(r);
	}
	if (peek(r) == 'e' || peek(r) == 'E') {
		real = true;
		adv(r);
		if (peek(r) == '+' || peek(r) == '-')
			adv(r);
		if (!is_digit(peek(r)))
			return rd_err(r, "bad number (expected a digit in the exponent)");
		while (is_digit(peek(r)))
			adv(r);
	}
	size_t n = (size_t)(r->p - s);
	if (n >= sizeof(buf))
		return rd_err_at(r, v->line, v->col, "number too long (expected at most %zu characters)",
				 sizeof(buf) - 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	if (real) {
		v->t = J_REAL;
		v->d = strtod(buf, NULL);
	} else {
		v->t = J_INT;
		v->i = strtoll(buf, NULL, 10);
		v->d = (double)v->i;
	}
	if (errno == ERANGE)
		return rd_err_at(r, v->line, v->col, "number %s out of range", buf);
	return 0;
}

static int read_value(struct rd *r, struct jv **out);

static int read_object(struct rd *r, struct jv *v)
{
	int cap = 0;

	adv(r); /* { */
	for (;;) {
		struct jkv m = { NULL, 0, 0, NULL };

		if (skip_ws(r))
			return -1;
		if (peek(r) == '}') {
			adv(r);
			return 0;
		}
		if (peek(r) != '"')
			return rd_err(r, "expected a key string or '}'");
		m.line = r->line;
		m.col = r->col;
		if (read_string(r, &m.key))
			return -1;
		if (v->n == cap) {
			int nc = cap ? 2 * cap : 8;
			struct jkv *kv = xrealloc(v->kv, (size_t)nc * sizeof(*kv));

			v->kv = kv;
			cap = nc;
		}
		v->kv[v->n++] = m; /* owned by v from here on */
		if (skip_ws(r))
			return -1;
		if (peek(r) == ':') {
			adv(r);
			if (skip_ws(r) || read_value(r, &v->kv[v->n - 1].v))
				return -1;
		} else if ((peek(r) == ',' || peek(r) == '}') && !strncmp(m.key, "suspend", 7)) {
			/* workgen's bare "suspend" (it fills in the task's name) */
			struct jv *x = xcalloc(1, sizeof(*x));

			x->t = J_MISSING;
			x->line = m.line;
			x->col = m.col;
			v->kv[v->n - 1].v = x;
		} else {
			return rd_err(r, "expected ':' after the key \"%s\"", m.key);
		}
		if (skip_ws(r))
			return -1;
		if (peek(r) == ',') {
			adv(r);
			continue; /* a trailing comma before '}' is fine */
		}
		if (peek(r) == '}') {
			adv(r);
			return 0;
		}
		return rd_err(r, "expected ',' or '}'");
	}
}

static int read_array(struct rd *r, struct jv *v)
{
	int cap = 0;

	adv(r); /* [ */
	for (;;) {
		if (skip_ws(r))
			return -1;
		if (peek(r) == ']') {
			adv(r);
			return 0;
		}
		if (v->n == cap) {
			int nc = cap ? 2 * cap : 8;
			struct jv **el = xrealloc(v->el, (size_t)nc * sizeof(*el));

			v->el = el;
			cap = nc;
		}
		v->el[v->n] = NULL;
		int ret = read_value(r, &v->el[v->n]);
		v->n++; /* a partial element is freed with the array */
		if (ret)
			return -1;
		if (skip_ws(r))
			return -1;
		if (peek(r) == ',') {
			adv(r);
			continue;
		}
		if (peek(r) == ']') {
			adv(r);
			return 0;
		}
		return rd_err(r, "expected ',' or ']'");
	}
}

static bool match_word(struct rd *r, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n))
		return false;
	for (size_t k = 0; k < n; k++)
		adv(r);
	return true;
}

/* On error *out may hold a partial tree; the caller frees it. */
static int read_value(struct rd *r, struct jv **out)
{
	struct jv *v = xcalloc(1, sizeof(*v));
	int c = peek(r), ret = 0;

	*out = v;
	v->line = r->line;
	v->col = r->col;
	if (++r->depth > RT_MAX_DEPTH)
		return rd_err(r, "nesting too deep (expected at most %d levels)", RT_MAX_DEPTH);
	if (c == '{') {
		v->t = J_OBJ;
		ret = read_object(r, v);
	} else if (c == '[') {
		v->t = J_ARR;
		ret = read_array(r, v);
	} else if (c == '"') {
		v->t = J_STR;
		ret = read_string(r, &v->s);
	} else if (c == '-' || is_digit(c)) {
		ret = read_number(r, v);
	} else if (match_word(r, "true")) {
		v->t = J_BOOL;
		v->b = true;
	} else if (match_word(r, "false")) {
		v->t = J_BOOL;
	} else if (match_word(r, "null")) {
		v->t = J_NULL;
	} else if (c < 0) {
		ret = rd_err(r, "unexpected end of file (expected a JSON value)");
	} else if (c >= 0x20 && c < 0x7F) {
		ret = rd_err(r, "unexpected character '%c' (expected a JSON value)", c);
	} else {
		ret = rd_err(r, "unexpected byte 0x%02x (expected a JSON value)", c);
	}
	r->depth--;
	return ret;
}

static int read_document(struct rd *r, struct jv **root)
{
	*root = NULL;
	if (r->end - r->p >= 3 && !memcmp(r->p, "\xEF\xBB\xBF", 3))
		r->p += 3; /* UTF-8 byte order mark */
	if (skip_ws(r) || read_value(r, root) || skip_ws(r))
		return -1;
	if (r->p < r->end)
		return rd_err(r, "trailing characters after the JSON document (expected the end of the "
			      "file)");
	return 0;
}

/* ------------------------------------------------------------ rt-app */

/* Events, matched by key prefix in rt-app's order (parse_task_event_data());
 * a longer prefix comes before the shorter one it extends. */
enum ev {
	EV_NONE = -1,
	EV_RUNTIME, EV_RUN, EV_SLEEP, EV_MEMRUN, EV_MEM, EV_IORUN, EV_LOCK, EV_UNLOCK,
	EV_SIGNAL, EV_BROAD, EV_WAIT, EV_SYNC, EV_BARRIER, EV_TIMER, EV_RESUME, EV_SUSPEND,
	EV_YIELD, EV_FORK, EV_SEM_POST, EV_SEM_WAIT,
};

static const struct {
	const char *prefix;
	bool supported;
} evtab[] = {
	[EV_RUNTIME] = { "runtime", true },   [EV_RUN] = { "run", true },
	[EV_SLEEP] = { "sleep", true },       [EV_MEMRUN] = { "memrun", false },
	[EV_MEM] = { "mem", false },          [EV_IORUN] = { "iorun", false },
	[EV_LOCK] = { "lock", true },         [EV_UNLOCK] = { "unlock", true },
	[EV_SIGNAL] = { "signal", true },     [EV_BROAD] = { "broad", true },
	[EV_WAIT] = { "wait", true },         [EV_SYNC] = { "sync", true },
	[EV_BARRIER] = { "barrier", true },   [EV_TIMER] = { "timer", true },
	[EV_RESUME] = { "resume", true },     [EV_SUSPEND] = { "suspend", true },
	[EV_YIELD] = { "yield", true },       [EV_FORK] = { "fork", false },
	[EV_SEM_POST] = { "sem_post", true }, [EV_SEM_WAIT] = { "sem_wait", true },
};

#define SUPPORTED_EVENTS "run, runtime, sleep, timer, lock, unlock, wait, signal, broad, sync, " \
			 "barrier, suspend, resume, sem_post, sem_wait, yield"

static enum ev event_of(const char *key)
{
	for (size_t k = 0; k < ARRAY_SIZE(evtab); k++)
		if (!strncmp(key, evtab[k].prefix, strlen(evtab[k].prefix)))
			return (enum ev)k;
	return EV_NONE;
}

enum pol { POL_OTHER, POL_IDLE, POL_RR, POL_FIFO, POL_DEADLINE, POL_BATCH };
static const char *const pol_names[] = { "SCHED_OTHER", "SCHED_IDLE", "SCHED_RR", "SCHED_FIFO",
					 "SCHED_DEADLINE", "SCHED_BATCH" };

/* Thread and phase properties (tutorial.txt "thread and phase object
 * properties"), plus cassim's "process" extension. */
enum prop {
	P_INSTANCE, P_DELAY, P_PHASES, P_PROCESS, /* task level only */
	P_LOOP, P_CPUS, P_POLICY, P_PRIORITY, P_DL_RUNTIME, P_DL_PERIOD, P_DL_DEADLINE,
	P_UTIL_MIN, P_UTIL_MAX, P_NODES_MEMBIND, P_TASKGROUP, NR_PROPS
};
#define FIRST_PHASE_PROP P_LOOP
static const char *const prop_names[NR_PROPS] = {
	"instance", "delay", "phases", "process", "loop", "cpus", "policy", "priority",
	"dl-runtime", "dl-period", "dl-deadline", "util_min", "util_max", "nodes_membind",
	"taskgroup",
};

struct task {
	const struct jkv *kv;   /* tasks.NAME */
	int instances;
	int64_t loops;
	simtime_t delay;
	int nice;
	bool has_aff;
	struct cpumask aff;
	const char *proc;       /* "process" extension, NULL = the default process */
	struct wl_op *ops;
	int nr_ops, cap_ops;
	int nr_skipped;         /* events dropped under --lenient */
	bool prio_is_nice;      /* "priority" is a nice value (SCHED_OTHER) */
};

/* Per-object bookkeeping for participants and warnings. */
struct objinfo {
	int last_task;      /* BARRIER: last task that added its instances */
	int waits, wakes;   /* COND/SEM: references */
	const struct jkv *first;
};

struct skip {
	char what[96];
	char path[256];
	int line, col, count;
};

struct rt {
	const char *file;
	struct diag *err;
	bool lenient;
	int nr_cpus;
	char path[1024];
	enum pol default_policy;
	struct task *tasks;
	int nr_tasks;
	struct wl_obj *objs;
	struct objinfo *oi;
	int nr_objs, cap_objs;
	char (*timers)[RT_NAME_MAX];
	int *timer_users, *timer_last;
	int nr_timers, cap_timers;
	struct skip *skips;
	int nr_skips;
	int nr_yields;
};

static size_t push(struct rt *r, const char *key)
{
	return wl_path_push_key(r->path, sizeof(r->path), key);
}

static size_t push_idx(struct rt *r, int i)
{
	return wl_path_push_idx(r->path, sizeof(r->path), (size_t)i);
}

static void pop(struct rt *r, size_t m)
{
	r->path[m] = '\0';
}

static int fail(struct rt *r, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct rt *r, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vat(r->err, r->file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* An error at a key, prefixed with the current key path. */
#define fail_kv(r, kv, fmt, ...) fail((r), (kv)->line, (kv)->col, "%s: " fmt, (r)->path, ##__VA_ARGS__)

static int oom(struct rt *r)
{
	return diag_set(r->err, "%s: out of memory", r->file);
}

static const char *type_name(const struct jv *v)
{
	switch (v->t) {
	case J_NULL: return "null";
	case J_BOOL: return "a boolean";
	case J_INT: return "an integer";
	case J_REAL: return "a fractional number";
	case J_STR: return "a string";
	case J_OBJ: return "an object";
	case J_ARR: return "an array";
	case J_MISSING: return "no value";
	}
	return "?";
}

static void warn_kv(struct rt *r, const struct jkv *kv, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warn_kv(struct rt *r, const struct jkv *kv, const char *fmt, ...)
{
	char buf[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_warn("%s:%d:%d: %s", r->file, kv->line, kv->col, buf);
}

static void unknown_key(struct rt *r, const struct jkv *kv, const char *where)
{
	warn_kv(r, kv, "unknown rt-app key \"%s\" in %s ignored (as rt-app does)", kv->key,
		where[0] ? where : "the top level");
}

/* Something rt-app does that cassim does not model: an error, or under
 * --lenient a warning, summarised per kind when the file is loaded. */
static int unsupported(struct rt *r, const struct jkv *kv, const char *what, const char *why)
{
	if (!r->lenient)
		return fail_kv(r, kv, "unsupported rt-app %s (%s; use --lenient to ignore it)", what,
			       why);
	for (int k = 0; k < r->nr_skips; k++) {
		if (!strcmp(r->skips[k].what, what)) {
			r->skips[k].count++;
			return 0;
		}
	}
	struct skip *s = xrealloc(r->skips, (size_t)(r->nr_skips + 1) * sizeof(*s));
	r->skips = s;
	s = &s[r->nr_skips++];
	snprintf(s->what, sizeof(s->what), "%s", what);
	snprintf(s->path, sizeof(s->path), "%.255s", r->path);
	s->line = kv->line;
	s->col = kv->col;
	s->count = 1;
	return 0;
}

/* ---- values ------------------------------------------------------ */

static int get_int(struct rt *r, const struct jkv *kv, int64_t lo, int64_t hi, const char *expect,
		   int64_t *out)
{
	const struct jv *v = kv->v;

	if (v->t != J_INT)
		return fail_kv(r, kv, "got %s (expected %s)", type_name(v), expect);
	if (v->i < lo || v->i > hi)
		return fail_kv(r, kv, "%" PRId64 " out of range (expected %s)", v->i, expect);
	*out = v->i;
	return 0;
}

/* Microseconds, rt-app's unit for durations, as ns. */
static int get_us(struct rt *r, const struct jkv *kv, double *ns)
{
	const struct jv *v = kv->v;

	if (v->t != J_INT)
		return fail_kv(r, kv, "got %s (expected an integer number of microseconds)",
			       type_name(v));
	if (v->i < 0)
		return fail_kv(r, kv, "negative duration %" PRId64 " (expected microseconds >= 0)", v->i);
	if (v->i > RT_MAX_US)
		return fail_kv(r, kv, "duration %" PRId64 " too large (expected at most %" PRId64
			       " microseconds)", v->i, (int64_t)RT_MAX_US);
	*ns = (double)v->i * NSEC_PER_USEC;
	return 0;
}

static int get_str(struct rt *r, const struct jkv *kv, const char *expect, const char **out)
{
	if (kv->v->t != J_STR)
		return fail_kv(r, kv, "got %s (expected %s)", type_name(kv->v), expect);
	*out = kv->v->s;
	return 0;
}

static int get_name(struct rt *r, const struct jkv *kv, const char *expect, const char **out)
{
	if (get_str(r, kv, expect, out))
		return -1;
	if (strlen(*out) >= RT_NAME_MAX)
		return fail_kv(r, kv, "name \"%.20s...\" too long (expected at most %d characters)",
			       *out, RT_NAME_MAX - 1);
	return 0;
}

static int get_policy(struct rt *r, const struct jkv *kv, enum pol *out)
{
	const char *s = NULL;

	if (get_str(r, kv, "a policy name such as \"SCHED_OTHER\"", &s))
		return -1;
	for (size_t k = 0; k < ARRAY_SIZE(pol_names); k++) {
		if (!strcmp(s, pol_names[k])) {
			*out = (enum pol)k;
			return 0;
		}
	}
	return fail_kv(r, kv, "invalid policy \"%s\" (expected SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, "
		       "SCHED_RR, SCHED_FIFO or SCHED_DEADLINE)", s);
}

static int get_cpus(struct rt *r, const struct jkv *kv, struct cpumask *m)
{
	const struct jv *v = kv->v;
	int max = r->nr_cpus > 0 ? MIN(r->nr_cpus, CPUMASK_MAX_CPUS) : CPUMASK_MAX_CPUS;

	if (v->t != J_ARR || v->n == 0)
		return fail_kv(r, kv, "got %s (expected a non-empty array of CPU numbers)",
			       v->t == J_ARR ? "an empty array" : type_name(v));
	cpumask_clear(m);
	for (int i = 0; i < v->n; i++) {
		const struct jv *e = v->el[i];
		size_t mk = push_idx(r, i);

		if (e->t != J_INT) {
			fail(r, e->line, e->col, "%s: got %s (expected a CPU number)", r->path,
			     type_name(e));
			return -1;
		}
		if (e->i < 0 || e->i >= max) {
			fail(r, e->line, e->col, "%s: cpu %" PRId64 " does not exist (expected 0..%d)",
			     r->path, e->i, max - 1);
			return -1;
		}
		cpumask_set(m, (int)e->i);
		pop(r, mk);
	}
	return 0;
}

/* ---- objects and timers ----------------------------------------- */

static const char *const obj_kind_names[] = { "barrier", "mutex", "condition", "semaphore" };

/* rt-app creates resources on first use, keyed by (name, type). */
static int obj_get(struct rt *r, const struct jkv *kv, enum wl_obj_kind kind, const char *name)
{
	for (int k = 0; k < r->nr_objs; k++)
		if (r->objs[k].kind == kind && !strcmp(r->objs[k].name, name))
			return k;
	if (strlen(name) >= RT_NAME_MAX) {
		fail_kv(r, kv, "%s name \"%.20s...\" too long (expected at most %d characters)",
			obj_kind_names[kind], name, RT_NAME_MAX - 1);
		return -1;
	}
	if (r->nr_objs == r->cap_objs) {
		int nc = r->cap_objs ? 2 * r->cap_objs : 16;
		struct wl_obj *o = xrealloc(r->objs, (size_t)nc * sizeof(*o));

		r->objs = o;
		struct objinfo *oi = xrealloc(r->oi, (size_t)nc * sizeof(*oi));
		r->oi = oi;
		r->cap_objs = nc;
	}
	struct wl_obj *o = &r->objs[r->nr_objs];
	memset(o, 0, sizeof(*o));
	snprintf(o->name, sizeof(o->name), "%s", name);
	o->kind = kind;
	r->oi[r->nr_objs] = (struct objinfo){ .last_task = -1, .first = kv };
	return r->nr_objs++;
}

static int timer_get(struct rt *r, const struct jkv *kv, const char *name, int ti)
{
	int k;

	for (k = 0; k < r->nr_timers; k++)
		if (!strcmp(r->timers[k], name))
			break;
	if (k == r->nr_timers) {
		if (strlen(name) >= RT_NAME_MAX) {
			fail_kv(r, kv, "timer name \"%.20s...\" too long (expected at most %d characters)",
				name, RT_NAME_MAX - 1);
			return -1;
		}
		if (r->nr_timers == r->cap_timers) {
			int nc = r->cap_timers ? 2 * r->cap_timers : 8;
			char (*t)[RT_NAME_MAX] = xrealloc(r->timers, (size_t)nc * sizeof(*t));
			int *u = t ? xrealloc(r->timer_users, (size_t)nc * sizeof(*u)) : NULL;
			int *l = u ? xrealloc(r->timer_last, (size_t)nc * sizeof(*l)) : NULL;

			if (t)
				r->timers = t;
			if (u)
				r->timer_users = u;
			if (!l) {
				oom(r);
				return -1;
			}
			r->timer_last = l;
			r->cap_timers = nc;
		}
		snprintf(r->timers[k], RT_NAME_MAX, "%s", name);
		r->timer_users[k] = 0;
		r->timer_last[k] = -1;
		r->nr_timers++;
	}
	if (r->timer_last[k] != ti) {
		r->timer_last[k] = ti;
		r->timer_users[k] += r->tasks[ti].instances;
	}
	return k;
}

/* ---- ops ---------------------------------------------------------- */

static struct wl_op *emit(struct rt *r, struct task *t, enum wl_op_kind kind)
{
	if (t->nr_ops == t->cap_ops) {
		int nc = t->cap_ops ? 2 * t->cap_ops : 16;
		struct wl_op *ops = xrealloc(t->ops, (size_t)nc * sizeof(*ops));

		t->ops = ops;
		t->cap_ops = nc;
	}
	struct wl_op *op = &t->ops[t->nr_ops++];
	wl_op_init(op, kind);
	return op;
}

/* One op on object (kind, name); counts condition/semaphore users. */
static int emit_obj(struct rt *r, struct task *t, const struct jkv *kv, enum wl_op_kind k,
		    enum wl_obj_kind ok, const char *name)
{
	int o = obj_get(r, kv, ok, name);
	struct wl_op *op;

	if (o < 0 || !(op = emit(r, t, k)))
		return -1;
	op->obj = o;
	if (t->instances > 0 && (ok == WL_OBJ_COND || ok == WL_OBJ_SEM)) {
		if (k == WL_OP_WAIT)
			r->oi[o].waits++;
		else
			r->oi[o].wakes++;
	}
	return 0;
}

/* "wait" / "sync": { "ref": condition, "mutex": mutex } */
static int parse_wait(struct rt *r, struct task *t, const struct jkv *kv, bool sync)
{
	const struct jv *v = kv->v;
	const char *ref = NULL, *mutex = NULL;

	if (v->t != J_OBJ)
		return fail_kv(r, kv, "got %s (expected {\"ref\": condition, \"mutex\": mutex})",
			       type_name(v));
	for (int i = 0; i < v->n; i++) {
		const struct jkv *m = &v->kv[i];
		size_t mk = push(r, m->key);
		int ret = 0;

		if (!strcmp(m->key, "ref"))
			ret = get_name(r, m, "a condition name", &ref);
		else if (!strcmp(m->key, "mutex"))
			ret = get_name(r, m, "a mutex name", &mutex);
		else
			unknown_key(r, m, r->path);
		pop(r, mk);
		if (ret)
			return -1;
	}
	if (!ref)
		return fail_kv(r, kv, "no \"ref\" (expected {\"ref\": condition, \"mutex\": mutex})");
	if (sync && emit_obj(r, t, kv, WL_OP_WAKE, WL_OBJ_COND, ref))
		return -1;
	if (emit_obj(r, t, kv, WL_OP_WAIT, WL_OBJ_COND, ref))
		return -1;
	if (mutex) {
		int l = obj_get(r, kv, WL_OBJ_LOCK, mutex);

		if (l < 0)
			return -1;
		t->ops[t->nr_ops - 1].lock = l;
	}
	return 0;
}

/* "timer": { "ref": name, "period": us, "mode": "relative" | "absolute" } */
static int parse_timer(struct rt *r, struct task *t, int ti, const struct jkv *kv)
{
	const struct jv *v = kv->v;
	const char *ref = "unknown", *mode = NULL; /* rt-app's default ref */
	double period = 0;
	struct wl_op *op;

	if (v->t != J_OBJ)
		return fail_kv(r, kv, "got %s (expected {\"ref\": name, \"period\": microseconds})",
			       type_name(v));
	for (int i = 0; i < v->n; i++) {
		const struct jkv *m = &v->kv[i];
		size_t mk = push(r, m->key);
		int ret = 0;

		if (!strcmp(m->key, "ref")) {
			ret = get_name(r, m, "a timer name", &ref);
		} else if (!strcmp(m->key, "period")) {
			ret = get_us(r, m, &period);
		} else if (!strcmp(m->key, "mode")) {
			ret = get_str(r, m, "\"relative\" or \"absolute\"", &mode);
			if (!ret && strcmp(mode, "relative") && strcmp(mode, "absolute"))
				ret = fail_kv(r, m, "unknown timer mode \"%s\" (expected \"relative\" or "
					      "\"absolute\")", mode);
		} else {
			unknown_key(r, m, r->path);
		}
		pop(r, mk);
		if (ret)
			return -1;
	}
	int slot = timer_get(r, kv, ref, ti);
	if (slot < 0 || !(op = emit(r, t, WL_OP_TIMER)))
		return -1;
	op->obj = slot;
	op->dist.a = period;
	return 0;
}

/* One event; r->path ends with its key. */
static int parse_event(struct rt *r, struct task *t, int ti, const struct jkv *kv, enum ev ev,
		       const char *container)
{
	const char *name;
	struct wl_op *op;
	double ns;

	if (!evtab[ev].supported) {
		if (!r->lenient) {
			return fail(r, kv->line, kv->col,
				    "unsupported rt-app event \"%s\"%s%s%s in %s (supported: "
				    SUPPORTED_EVENTS "; use --lenient to skip)", kv->key,
				    strcmp(kv->key, evtab[ev].prefix) ? " (" : "",
				    strcmp(kv->key, evtab[ev].prefix) ? evtab[ev].prefix : "",
				    strcmp(kv->key, evtab[ev].prefix) ? ")" : "", container);
		}
		char what[64];
		snprintf(what, sizeof(what), "event \"%s\"", evtab[ev].prefix);
		t->nr_skipped++;
		return unsupported(r, kv, what, "");
	}
	switch (ev) {
	case EV_RUN:
	case EV_RUNTIME:
	case EV_SLEEP:
		if (get_us(r, kv, &ns))
			return -1;
		op = emit(r, t, ev == EV_RUN ? WL_OP_RUN : ev == EV_RUNTIME ? WL_OP_SPIN : WL_OP_SLEEP);
		if (!op)
			return -1;
		op->dist.a = ns;
		return 0;
	case EV_LOCK:
	case EV_UNLOCK:
		if (get_name(r, kv, "a mutex name", &name))
			return -1;
		return emit_obj(r, t, kv, ev == EV_LOCK ? WL_OP_LOCK : WL_OP_UNLOCK, WL_OBJ_LOCK, name);
	case EV_SIGNAL:
	case EV_BROAD:
		if (get_name(r, kv, "a condition name", &name))
			return -1;
		return emit_obj(r, t, kv, ev == EV_SIGNAL ? WL_OP_WAKE : WL_OP_WAKE_ALL, WL_OBJ_COND,
				name);
	case EV_WAIT:
	case EV_SYNC:
		return parse_wait(r, t, kv, ev == EV_SYNC);
	case EV_BARRIER: {
		if (get_name(r, kv, "a barrier name", &name))
			return -1;
		int o = obj_get(r, kv, WL_OBJ_BARRIER, name);
		if (o < 0 || !(op = emit(r, t, WL_OP_BARRIER)))
			return -1;
		op->obj = o;
		/* rt-app adds the task's instances for every reference
		 * (init_barrier_resource()); a thread that meets the same
		 * barrier twice would then wait for itself forever, so cassim
		 * counts each thread once. */
		if (r->oi[o].last_task != ti) {
			r->oi[o].last_task = ti;
			r->objs[o].participants += t->instances;
		} else {
			warn_kv(r, kv, "%s: barrier \"%s\" used twice by task \"%s\": rt-app would "
				"count it twice and deadlock; cassim counts each thread once", r->path,
				name, t->kv->key);
		}
		return 0;
	}
	case EV_TIMER:
		return parse_timer(r, t, ti, kv);
	case EV_RESUME:
		/* rt-app: broadcast on the condition named like the target
		 * (rtapp_resume), so every instance suspended on it wakes */
		if (get_name(r, kv, "the name a task suspends on", &name))
			return -1;
		return emit_obj(r, t, kv, WL_OP_WAKE_ALL, WL_OBJ_COND, name);
	case EV_SUSPEND:
		/* an empty or missing name is the task's own (workgen fills it in) */
		if (kv->v->t == J_MISSING || kv->v->t == J_NULL ||
		    (kv->v->t == J_STR && !kv->v->s[0]))
			name = t->kv->key;
		else if (get_name(r, kv, "the name to suspend on", &name))
			return -1;
		return emit_obj(r, t, kv, WL_OP_WAIT, WL_OBJ_COND, name);
	case EV_SEM_POST:
	case EV_SEM_WAIT:
		if (get_name(r, kv, "a semaphore name", &name))
			return -1;
		return emit_obj(r, t, kv, ev == EV_SEM_POST ? WL_OP_WAKE : WL_OP_WAIT, WL_OBJ_SEM,
				name);
	case EV_YIELD:
		r->nr_yields++;
		return 0;
	default:
		return fail_kv(r, kv, "internal error: event %d", (int)ev);
	}
}

/* The events of a phase (or of a task without "phases") in file order;
 * *nr counts the events seen, including skipped ones. */
static int parse_events(struct rt *r, struct task *t, int ti, const struct jv *obj, int *nr)
{
	*nr = 0;
	for (int i = 0; i < obj->n; i++) {
		const struct jkv *m = &obj->kv[i];
		enum ev ev = event_of(m->key);

		if (ev == EV_NONE)
			continue;
		(*nr)++;
		char container[sizeof(r->path)];
		memcpy(container, r->path, sizeof(container));
		size_t mk = push(r, m->key);
		int ret = parse_event(r, t, ti, m, ev, container);
		pop(r, mk);
		if (ret)
			return -1;
	}
	return 0;
}

/* Sort the non-event keys of @obj into @prop (first..NR_PROPS-1); unknown
 * keys are warned about and ignored, as rt-app ignores them. */
static int collect_props(struct rt *r, const struct jv *obj, int first, const struct jkv **prop)
{
	for (int k = 0; k < NR_PROPS; k++)
		prop[k] = NULL;
	for (int i = 0; i < obj->n; i++) {
		const struct jkv *m = &obj->kv[i];
		int k;

		if (event_of(m->key) != EV_NONE)
			continue;
		for (k = first; k < NR_PROPS; k++)
			if (!strcmp(m->key, prop_names[k]))
				break;
		if (k == NR_PROPS) {
			unknown_key(r, m, r->path);
			continue;
		}
		if (prop[k]) {
			size_t mk = push(r, m->key);
			int ret = fail_kv(r, m, "duplicate key \"%s\" (first at line %d, column %d)",
					  m->key, prop[k]->line, prop[k]->col);
			pop(r, mk);
			return ret;
		}
		prop[k] = m;
	}
	return 0;
}

/* Scheduling properties of a task or a phase, and the rt-app features
 * cassim does not model. */
struct sched {
	bool has_policy;
	bool substituted;       /* an unsupported policy --lenient replaced */
	enum pol policy;
	bool has_prio;
	int64_t prio;
	const struct jkv *prio_kv;
	bool has_cpus;
	struct cpumask cpus;
	const struct jkv *cpus_kv;
};

static int parse_sched(struct rt *r, const struct jkv **prop, struct sched *s)
{
	const struct jkv *kv;
	int64_t x;
	int ret = 0;
	size_t mk;

	memset(s, 0, sizeof(*s));
	for (int k = P_LOOP; k < NR_PROPS && !ret; k++) {
		if (!(kv = prop[k]) || k == P_LOOP)
			continue;
		mk = push(r, kv->key);
		switch (k) {
		case P_CPUS:
			s->has_cpus = true;
			s->cpus_kv = kv;
			ret = get_cpus(r, kv, &s->cpus);
			break;
		case P_POLICY:
			s->has_policy = true;
			ret = get_policy(r, kv, &s->policy);
			if (!ret && s->policy != POL_OTHER) {
				char what[64];

				snprintf(what, sizeof(what), "policy %s", pol_names[s->policy]);
				ret = unsupported(r, kv, what, "cassim models the fair class only: use "
						  "SCHED_OTHER and a nice value in \"priority\"");
				s->policy = POL_OTHER; /* --lenient */
				s->substituted = true;
				s->has_prio = false;
				prop[P_PRIORITY] = NULL;
			}
			break;
		case P_PRIORITY:
			s->has_prio = true;
			s->prio_kv = kv;
			ret = get_int(r, kv, INT32_MIN, INT32_MAX, "an integer", &s->prio);
			break;
		case P_DL_RUNTIME:
		case P_DL_PERIOD:
		case P_DL_DEADLINE:
			ret = get_int(r, kv, 0, INT32_MAX, "microseconds >= 0", &x);
			if (!ret && x != 0) {
				char what[64];

				snprintf(what, sizeof(what), "key \"%s\"", kv->key);
				ret = unsupported(r, kv, what, "SCHED_DEADLINE and custom slices are not "
						  "modelled");
			}
			break;
		case P_UTIL_MIN:
		case P_UTIL_MAX:
			ret = get_int(r, kv, -1, 1024, "-1..1024", &x);
			if (!ret && x != -1) {
				char what[64];

				snprintf(what, sizeof(what), "key \"%s\"", kv->key);
				ret = unsupported(r, kv, what, "utilization clamping is not modelled");
			}
			break;
		case P_NODES_MEMBIND:
			ret = unsupported(r, kv, "key \"nodes_membind\"", "per-thread NUMA memory "
					  "binding is not modelled");
			break;
		case P_TASKGROUP: {
			const char *g = NULL;

			ret = get_str(r, kv, "a cgroup path", &g);
			if (!ret && g[0])
				ret = unsupported(r, kv, "key \"taskgroup\"", "cgroups are not modelled");
			break;
		}
		default:
			break;
		}
		pop(r, mk);
	}
	return ret;
}

/* A nice value from a SCHED_OTHER priority (rt-app: setpriority()). */
static int check_nice(struct rt *r, const struct sched *s)
{
	if (s->has_prio && (s->prio < -20 || s->prio > 19)) {
		size_t mk = push(r, "priority");
		int ret = fail_kv(r, s->prio_kv, "nice %" PRId64 " out of range (expected -20..19 for "
				  "SCHED_OTHER)", s->prio);
		pop(r, mk);
		return ret;
	}
	return 0;
}

static int task_loop_end(struct rt *r, struct task *t, int start)
{
	struct wl_op *op = emit(r, t, WL_OP_END);

	if (!op)
		return -1;
	op->end = start;
	t->ops[start].end = t->nr_ops - 1;
	return 0;
}

/* One phase: LOOP (unless its loop is 1), its events, END. */
static int parse_phase(struct rt *r, struct task *t, int ti, const struct jkv *pkv,
		       struct sched *ps)
{
	const struct jv *v = pkv->v;
	const struct jkv *prop[NR_PROPS];
	int64_t loop = 1;
	int nr, start = t->nr_ops;

	if (v->t != J_OBJ)
		return fail_kv(r, pkv, "got %s (expected a phase object of events)", type_name(v));
	if (collect_props(r, v, FIRST_PHASE_PROP, prop) || parse_sched(r, prop, ps))
		return -1;
	if (!ps->has_policy && !t->prio_is_nice)
		ps->has_prio = false; /* an RT priority of a task --lenient made SCHED_OTHER */
	if (check_nice(r, ps))
		return -1;
	if (prop[P_LOOP]) {
		size_t mk = push(r, "loop");
		int ret = get_int(r, prop[P_LOOP], INT32_MIN, INT32_MAX, "an integer", &loop);

		if (!ret && loop == 0)
			warn_kv(r, prop[P_LOOP], "%s: loop 0 in a phase repeats it forever in rt-app "
				"(thread_body() stops a phase when its count reaches \"loop\")", r->path);
		pop(r, mk);
		if (ret)
			return -1;
		if (loop <= 0)
			loop = -1;
	}
	if (loop != 1) {
		struct wl_op *op = emit(r, t, WL_OP_LOOP);

		if (!op)
			return -1;
		op->count = loop;
	}
	if (parse_events(r, t, ti, v, &nr))
		return -1;
	if (nr == 0)
		return fail_kv(r, pkv, "phase without events (expected at least one event such as "
			       "\"run\")");
	if (t->nr_ops == start + (loop != 1))
		t->nr_ops = start; /* every event skipped (--lenient) */
	else if (loop != 1 && task_loop_end(r, t, start))
		return -1;
	return 0;
}

static bool same_aff(bool ha, const struct cpumask *a, bool hb, const struct cpumask *b)
{
	return ha == hb && (!ha || cpumask_equal(a, b));
}

static int parse_task(struct rt *r, int ti)
{
	struct task *t = &r->tasks[ti];
	const struct jkv *kv = t->kv, *prop[NR_PROPS];
	const struct jv *v = kv->v;
	struct sched ts;
	int64_t x;
	size_t mk;

	if (v->t != J_OBJ)
		return fail_kv(r, kv, "got %s (expected a task object)", type_name(v));
	if (collect_props(r, v, 0, prop))
		return -1;
	t->instances = 1;
	t->loops = -1;
	if (prop[P_INSTANCE]) {
		mk = push(r, "instance");
		if (get_int(r, prop[P_INSTANCE], 0, RT_MAX_INSTANCES, "a number of threads 0..1048576",
			    &x))
			return -1;
		t->instances = (int)x;
		pop(r, mk);
	}
	if (prop[P_DELAY]) {
		double ns;

		mk = push(r, "delay");
		if (get_us(r, prop[P_DELAY], &ns))
			return -1;
		t->delay = (simtime_t)ns;
		pop(r, mk);
	}
	if (prop[P_PROCESS]) {
		mk = push(r, "process");
		if (get_name(r, prop[P_PROCESS], "a process name", &t->proc))
			return -1;
		if (!t->proc[0])
			return fail_kv(r, prop[P_PROCESS], "empty process name (expected a name)");
		pop(r, mk);
	}
	if (parse_sched(r, prop, &ts))
		return -1;
	/* the policy: the task's, else global "default_policy" (already
	 * refused, or replaced by SCHED_OTHER under --lenient) */
	t->prio_is_nice = ts.has_policy ? !ts.substituted : r->default_policy == POL_OTHER;
	if (!t->prio_is_nice)
		ts.has_prio = false; /* an RT priority, meaningless as a nice value */
	if (check_nice(r, &ts))
		return -1;
	t->nice = ts.has_prio ? (int)ts.prio : 0;
	t->has_aff = ts.has_cpus;
	t->aff = ts.cpus;

	const struct jkv *phases = prop[P_PHASES];
	int nr;
	if (!phases) {
		/* a single phase: the task object itself; its "loop" counts
		 * the phase, and the thread stops after it (parse_task_data()) */
		if (prop[P_LOOP]) {
			mk = push(r, "loop");
			if (get_int(r, prop[P_LOOP], INT32_MIN, INT32_MAX, "an integer", &x))
				return -1;
			pop(r, mk);
			t->loops = x > 0 ? x : -1;
		}
		if (parse_events(r, t, ti, v, &nr))
			return -1;
		if (nr == 0)
			return fail_kv(r, kv, "task without events (expected \"phases\" or events such "
				       "as \"run\")");
		return 0;
	}

	/* phases: the task's "loop" repeats the list (default forever) */
	if (prop[P_LOOP]) {
		mk = push(r, "loop");
		if (get_int(r, prop[P_LOOP], INT32_MIN, INT32_MAX, "an integer", &x))
			return -1;
		pop(r, mk);
		t->loops = x < 0 ? -1 : x;
	}
	for (int i = 0; i < v->n; i++) {
		if (event_of(v->kv[i].key) != EV_NONE) {
			warn_kv(r, &v->kv[i], "%s: event \"%s\" next to \"phases\" ignored (as rt-app "
				"does)", r->path, v->kv[i].key);
		}
	}
	mk = push(r, "phases");
	if (phases->v->t != J_OBJ)
		return fail_kv(r, phases, "got %s (expected an object of named phases)",
			       type_name(phases->v));
	if (phases->v->n == 0)
		return fail_kv(r, phases, "no phases (expected at least one phase)");

	/* cassim gives a thread one affinity and one nice value: phases may
	 * set them only to what they are for the whole run */
	bool aff0 = false, prio_set = false, prio_varies = false;
	struct cpumask m0;
	int64_t prio = t->nice;
	const struct jkv *prio_kv = NULL;
	for (int i = 0; i < phases->v->n; i++) {
		const struct jkv *pkv = &phases->v->kv[i];
		struct sched ps;
		size_t pm = push(r, pkv->key);

		if (parse_phase(r, t, ti, pkv, &ps))
			return -1;
		/* affinity: the phase's "cpus", else the task's, else all CPUs
		 * (set_thread_affinity()), checked for every phase */
		bool ha = ps.has_cpus || t->has_aff;
		const struct cpumask *pm_mask = ps.has_cpus ? &ps.cpus : &t->aff;
		if (i == 0) {
			aff0 = ha;
			m0 = *pm_mask;
		} else if (!same_aff(aff0, &m0, ha, pm_mask)) {
			const struct jkv *at = ps.has_cpus ? ps.cpus_kv : pkv;
			size_t cm = ps.has_cpus ? push(r, "cpus") : strlen(r->path);

			int ret = unsupported(r, at, "affinity that changes between phases",
					      "a cassim thread keeps one affinity");
			pop(r, cm);
			if (ret)
				return -1;
		}
		/* nice: a phase's priority persists until the next one sets
		 * it (set_thread_param()) */
		if (ps.has_prio) {
			if (!prio_set && i > 0 && ps.prio != t->nice)
				prio_varies = true;
			if (prio_set && ps.prio != prio)
				prio_varies = true;
			if (!prio_set)
				prio_kv = ps.prio_kv;
			prio_set = true;
			prio = ps.prio;
		}
		pop(r, pm);
	}
	if (prio_varies) {
		int ret = unsupported(r, prio_kv, "priority that changes between phases",
				      "a cassim thread keeps one nice value");
		if (ret)
			return -1;
	} else if (prio_set) {
		t->nice = (int)prio;
	}
	t->has_aff = aff0;
	t->aff = m0;
	pop(r, mk);
	return 0;
}

/* A time-consuming or blocking op: a loop without one would spin forever
 * at one instant of simulated time. */
static bool advances(const struct rt *r, const struct wl_op *op)
{
	switch (op->kind) {
	case WL_OP_RUN:
	case WL_OP_SPIN:
	case WL_OP_SLEEP:
	case WL_OP_TIMER:
		return op->dist.a > 0;
	case WL_OP_WAIT:
		return true;
	case WL_OP_BARRIER:
		return r->objs[op->obj].participants > 1;
	default:
		return false;
	}
}

static bool range_advances(const struct rt *r, const struct task *t, int from, int to)
{
	for (int i = from; i < to; i++)
		if (advances(r, &t->ops[i]))
			return true;
	return false;
}

static int check_task(struct rt *r, struct task *t)
{
	size_t mk = push(r, t->kv->key);

	if (t->loops == 0 && t->nr_ops > 0) {
		warn_kv(r, t->kv, "%s: loop 0: the task's threads exit at once (as in rt-app)", r->path);
		t->nr_ops = 0;
	}
	if (t->nr_ops == 0) {
		if (t->nr_skipped)
			warn_kv(r, t->kv, "%s: no supported event left (--lenient): the task's threads "
				"exit at once", r->path);
		t->loops = 0;
		pop(r, mk);
		return 0;
	}
	for (int i = 0; i < t->nr_ops; i++) {
		const struct wl_op *op = &t->ops[i];

		if ((op->kind == WL_OP_LOOP && op->count < 0 && !range_advances(r, t, i + 1, op->end)) ||
		    (i == 0 && t->loops < 0 && !range_advances(r, t, 0, t->nr_ops))) {
			int ret = fail_kv(r, t->kv, "task \"%s\" repeats forever without a run, runtime, "
					  "sleep, timer or blocking event (expected one, or a finite "
					  "\"loop\": simulated time would never advance)", t->kv->key);
			pop(r, mk);
			return ret;
		}
	}
	pop(r, mk);
	return 0;
}

static int parse_global(struct rt *r, const struct jkv *gkv, simtime_t *duration)
{
	const struct jv *g = gkv->v;
	static const char *const ignored[] = {
		"calibration", "pi_enabled", "lock_pages", "logdir", "log_basename", "log_size",
		"ftrace", "gnuplot", "io_device", "mem_buffer_size", "cumulative_slack", NULL
	};

	if (g->t != J_OBJ)
		return fail_kv(r, gkv, "got %s (expected an object)", type_name(g));
	for (int i = 0; i < g->n; i++) {
		const struct jkv *m = &g->kv[i];
		size_t mk = push(r, m->key);
		int ret = 0, k;
		int64_t x;

		if (!strcmp(m->key, "duration")) {
			/* seconds; -1 (or 0) = until the threads end */
			ret = get_int(r, m, INT32_MIN, 9000000000LL, "seconds, or -1", &x);
			*duration = !ret && x > 0 ? x * NSEC_PER_SEC : 0;
		} else if (!strcmp(m->key, "default_policy")) {
			ret = get_policy(r, m, &r->default_policy);
			if (!ret && r->default_policy != POL_OTHER) {
				char what[64];

				snprintf(what, sizeof(what), "policy %s", pol_names[r->default_policy]);
				ret = unsupported(r, m, what, "cassim models the fair class only");
			}
		} else {
			for (k = 0; ignored[k]; k++)
				if (!strcmp(m->key, ignored[k]))
					break;
			if (!ignored[k])
				unknown_key(r, m, "global");
		}
		pop(r, mk);
		if (ret)
			return -1;
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	const struct wl_thread *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* Processes (the "process" extension, else one process named after the
 * file), threads grouped by process, "task.i" names for instances. */
static int build(struct rt *r, struct workload *w)
{
	const char *def = w->name[0] ? w->name : "rt-app";
	const char **pn = xcalloc((size_t)r->nr_tasks + 1, sizeof(*pn));
	int nr_procs = 0;
	int64_t total = 0;

	for (int i = 0; i < r->nr_tasks; i++) {
		const char *p = r->tasks[i].proc ? r->tasks[i].proc : def;
		int k;

		total += r->tasks[i].instances;
		if (r->tasks[i].instances == 0)
			continue;
		for (k = 0; k < nr_procs; k++)
			if (!strcmp(pn[k], p))
				break;
		if (k == nr_procs)
			pn[nr_procs++] = p;
	}
	if (total == 0) {
		free(pn);
		return diag_set(r->err, "%s: no threads to run (every task has \"instance\": 0)", r->file);
	}
	if (total > RT_MAX_THREADS) {
		free(pn);
		return diag_set(r->err, "%s: %" PRId64 " threads (expected at most %d)", r->file, total,
				RT_MAX_THREADS);
	}
	w->procs = xcalloc((size_t)nr_procs, sizeof(*w->procs));
	w->threads = xcalloc((size_t)total, sizeof(*w->threads));
	w->nr_procs = nr_procs;
	for (int p = 0; p < nr_procs; p++) {
		struct wl_process *pr = &w->procs[p];

		snprintf(pr->name, sizeof(pr->name), "%s", pn[p]);
		pr->first_thread = w->nr_threads;
		pr->mempolicy = WL_MEM_FIRST_TOUCH;
		for (int i = 0; i < r->nr_tasks; i++) {
			struct task *t = &r->tasks[i];

			if (strcmp(t->proc ? t->proc : def, pn[p]))
				continue;
			for (int n = 0; n < t->instances; n++) {
				struct wl_thread *th = &w->threads[w->nr_threads++];

				if (t->instances == 1)
					snprintf(th->name, sizeof(th->name), "%s", t->kv->key);
				else
					snprintf(th->name, sizeof(th->name), "%s.%d", t->kv->key, n);
				th->process = p;
				th->nice = t->nice;
				th->start_delay = t->delay;
				th->loops = t->loops;
				th->has_affinity = t->has_aff;
				th->affinity = t->aff;
				th->inbox = WL_INBOX_PIPE;
				th->inbox_capacity = 65536;
				th->nr_ops = t->nr_ops;
				if (t->nr_ops) {
					th->ops = xmalloc((size_t)t->nr_ops * sizeof(*th->ops));
					memcpy(th->ops, t->ops, (size_t)t->nr_ops * sizeof(*th->ops));
				}
			}
		}
		pr->nr_threads = w->nr_threads - pr->first_thread;
	}
	free(pn);

	/* unique thread names ("a" with 2 instances and a task "a.1" collide) */
	const struct wl_thread **sorted = xmalloc((size_t)w->nr_threads * sizeof(*sorted));
	for (int i = 0; i < w->nr_threads; i++)
		sorted[i] = &w->threads[i];
	qsort(sorted, (size_t)w->nr_threads, sizeof(*sorted), cmp_names);
	for (int i = 1; i < w->nr_threads; i++) {
		if (!strcmp(sorted[i - 1]->name, sorted[i]->name)) {
			char name[64];

			snprintf(name, sizeof(name), "%s", sorted[i]->name);
			free(sorted);
			for (int k = 0; k < r->nr_tasks; k++) {
				const struct task *t = &r->tasks[k];
				size_t l = strlen(t->kv->key);

				if (t->instances > 1 ? !strncmp(name, t->kv->key, l) && name[l] == '.'
						     : !strcmp(name, t->kv->key))
					return fail(r, t->kv->line, t->kv->col, "tasks.%s: thread name "
						    "\"%s\" used twice (expected unique names; a task "
						    "with \"instance\": N makes NAME.0 .. NAME.N-1)",
						    t->kv->key, name);
			}
			return diag_set(r->err, "%s: thread name \"%s\" used twice", r->file, name);
		}
	}
	free(sorted);
	return 0;
}

static void warnings_at_end(struct rt *r)
{
	for (int k = 0; k < r->nr_skips; k++) {
		const struct skip *s = &r->skips[k];

		diag_warn("%s:%d:%d: --lenient: ignored %d unsupported rt-app %s (first in %s)", r->file,
			  s->line, s->col, s->count, s->what, s->path);
	}
	if (r->nr_yields)
		diag_warn("%s: ignored %d \"yield\" event(s): cassim does not model sched_yield()",
			  r->file, r->nr_yields);
	for (int k = 0; k < r->nr_timers; k++)
		if (strncmp(r->timers[k], "unique", 6) && r->timer_users[k] > 1)
			diag_warn("%s: timer \"%s\" is shared by %d threads in rt-app (each use advances "
				  "it); cassim gives every thread its own (use a \"unique...\" ref to "
				  "say so)", r->file, r->timers[k], r->timer_users[k]);
	for (int k = 0; k < r->nr_objs; k++) {
		const struct wl_obj *o = &r->objs[k];
		const struct objinfo *oi = &r->oi[k];

		if (o->kind != WL_OBJ_COND && o->kind != WL_OBJ_SEM)
			continue;
		if (oi->waits && !oi->wakes)
			diag_warn("%s:%d:%d: nothing signals or resumes %s \"%s\": its waiters block "
				  "forever", r->file, oi->first->line, oi->first->col,
				  obj_kind_names[o->kind], o->name);
		else if (oi->wakes && !oi->waits)
			diag_warn("%s:%d:%d: nothing waits or suspends on %s \"%s\": its wakes are lost",
				  r->file, oi->first->line, oi->first->col, obj_kind_names[o->kind],
				  o->name);
	}
}

static int parse_root(struct rt *r, const struct jv *root, struct workload *w)
{
	const struct jkv *tasks = NULL, *global = NULL;

	if (root->t != J_OBJ)
		return fail(r, root->line, root->col, "got %s (expected an rt-app object with "
			    "\"tasks\")", type_name(root));
	for (int i = 0; i < root->n; i++) {
		const struct jkv *m = &root->kv[i];
		const struct jkv **slot = !strcmp(m->key, "tasks") ? &tasks
					: !strcmp(m->key, "global") ? &global : NULL;

		if (slot) {
			if (*slot)
				return fail(r, m->line, m->col, "%s: duplicate key \"%s\" (first at line %d, "
					    "column %d)", m->key, m->key, (*slot)->line, (*slot)->col);
			*slot = m;
		} else if (strcmp(m->key, "resources")) { /* legacy, ignored by rt-app */
			unknown_key(r, m, "");
		}
	}
	if (!tasks)
		return fail(r, root->line, root->col, "no \"tasks\" (expected an rt-app file with a "
			    "\"tasks\" object)");
	if (global) {
		size_t mk = push(r, "global");

		if (parse_global(r, global, &w->duration))
			return -1;
		pop(r, mk);
	}

	size_t mk = push(r, "tasks");
	const struct jv *tv = tasks->v;
	if (tv->t != J_OBJ)
		return fail_kv(r, tasks, "got %s (expected an object of named tasks)", type_name(tv));
	if (tv->n == 0)
		return fail_kv(r, tasks, "no tasks (expected at least one)");
	r->tasks = xcalloc((size_t)tv->n, sizeof(*r->tasks));
	for (int i = 0; i < tv->n; i++) {
		const struct jkv *kv = &tv->kv[i];

		for (int k = 0; k < i; k++)
			if (!strcmp(tv->kv[k].key, kv->key))
				return fail(r, kv->line, kv->col, "tasks: duplicate task name \"%s\" (first at "
					    "line %d, column %d; expected unique names)", kv->key,
					    tv->kv[k].line, tv->kv[k].col);
		r->tasks[i].kv = kv;
		r->nr_tasks++;
		size_t tm = push(r, kv->key);
		if (!kv->key[0])
			return fail_kv(r, kv, "empty task name (expected a name)");
		if (parse_task(r, i))
			return -1;
		/* room for ".N" */
		int sfx = r->tasks[i].instances > 1
				  ? snprintf(NULL, 0, ".%d", r->tasks[i].instances - 1) : 0;
		if (strlen(kv->key) + (size_t)sfx >= RT_NAME_MAX)
			return fail_kv(r, kv, "task name too long (expected at most %d characters%s)",
				       RT_NAME_MAX - 1 - sfx, sfx ? " with its \".N\" instance suffix" : "");
		pop(r, tm);
	}
	for (int i = 0; i < r->nr_tasks; i++)
		if (check_task(r, &r->tasks[i]))
			return -1;
	pop(r, mk);
	return build(r, w);
}

int wl_rtapp_parse(const char *file, const char *text, size_t len, const struct wl_opts *o,
		   struct workload *w, struct diag *err)
{
	struct rd rd = { .file = file, .p = text, .end = text + len, .line = 1, .col = 1, .err = err };
	struct rt r = { .file = file, .err = err, .lenient = o && o->lenient,
			.nr_cpus = o ? o->nr_cpus : 0, .default_policy = POL_OTHER };
	struct jv *root = NULL;
	int ret;

	snprintf(w->format, sizeof(w->format), "rt-app");
	ret = read_document(&rd, &root);
	if (!ret)
		ret = parse_root(&r, root, w);
	if (!ret) {
		warnings_at_end(&r);
		w->objs = r.objs;
		w->nr_objs = r.nr_objs;
		w->nr_timers = r.nr_timers;
		r.objs = NULL;
	} else {
		for (int i = 0; i < w->nr_threads; i++)
			free(w->threads[i].ops);
		free(w->threads);
		free(w->procs);
		w->threads = NULL;
		w->procs = NULL;
		w->nr_threads = w->nr_procs = 0;
		w->duration = 0;
	}
	for (int i = 0; i < r.nr_tasks; i++)
		free(r.tasks[i].ops);
	free(r.tasks);
	free(r.objs);
	free(r.oi);
	free(r.timers);
	free(r.timer_users);
	free(r.timer_last);
	free(r.skips);
	jv_free(root);
	return ret ? -1 : 0;
}
