/*
 * Ops: an op object of a thread's "ops" array ({"run": "1ms", "refs": 20})
 * is one op key and its modifier keys.  opdefs[] lists, per op key, its
 * modifiers, its parser and what it appends; parse_op() finds the op key,
 * checks the other keys against it and calls the op's parser.
 *
 * wl_op_init() is shared with the rt-app reader (wl_rtapp.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "workload/wl_ld.h"

const char *const op_obj_kind_name[] = {
	[WL_OBJ_BARRIER] = "barrier", [WL_OBJ_LOCK] = "lock", [WL_OBJ_COND] = "cond",
	[WL_OBJ_SEM] = "sem",
};

void wl_op_init(struct wl_op *op, enum wl_op_kind kind)
{
	memset(op, 0, sizeof(*op)); /* dist: WL_DIST_FIXED 0 */
	op->kind = kind;
	op->target = -1;
	op->nr_targets = 1;
	op->obj = -1;
	op->stamp = -1;
	op->record = -1;
	op->lock = -1;
	op->end = -1;
	op->cpu = -1;
}

/* Ops that let simulated time pass (a forever loop needs one). */
bool op_lets_time_pass(const struct wl_op *ops, int a, int b)
{
	for (int i = a; i < b; i++)
		switch (ops[i].kind) {
		case WL_OP_RUN: case WL_OP_SPIN: case WL_OP_SLEEP: case WL_OP_WAIT:
		case WL_OP_TIMER: case WL_OP_RECV: case WL_OP_BARRIER: case WL_OP_LOCK:
			return true;
		default:
			break;
		}
	return false;
}

/* Append an op to the template; returns its index. */
int op_new(struct ent *en, enum wl_op_kind kind)
{
	GROW(en->tpl.ops, en->cap_ops, en->tpl.nr_ops + 1);
	wl_op_init(&en->tpl.ops[en->tpl.nr_ops], kind);
	return en->tpl.nr_ops++;
}

static void add_ref(struct ent *en, int op, enum ref_type type, enum wl_obj_kind okind,
		    enum ref_role role, const char *key, const char *name, const char *opath)
{
	struct ref *r;

	GROW(en->refs, en->cap_refs, en->nr_refs + 1);
	r = &en->refs[en->nr_refs++];
	memset(r, 0, sizeof(*r));
	r->op = op;
	r->type = (unsigned char)type;
	r->okind = (unsigned char)okind;
	r->role = (unsigned char)role;
	r->percpu = r->spin = -1;
	r->key = key;
	ld_copy_str(r->name, sizeof(r->name), name);
	ld_copy_str(r->path, sizeof(r->path), opath);
}

/* A modifier naming a histogram ("record"); *out = -1 without it. */
static int get_hist_mod(struct ld *ld, json_t *o, int *out)
{
	json_t *v = json_object_get(o, "record");
	char s[WL_NAME_MAX];
	size_t m;

	*out = -1;
	if (!v)
		return 0;
	m = ld_push_key(ld, "record");
	if (ld_get_name(ld, v, s, "histogram"))
		return -1;
	*out = names_idx(&ld->hists, s);
	ld_pop(ld, m);
	return 0;
}

/* The value of wait / recv: true or {}. */
static int get_true(struct ld *ld, json_t *v)
{
	static const char *const none[] = { NULL };

	if (json_is_object(v))
		return ld_check_keys(ld, v, none);
	if (!json_is_true(v))
		return err_here(ld, "got %s (expected true or {})",
				json_is_false(v) ? "false" : ld_type_name(v));
	return 0;
}

/* The mean of a distribution (normal: before truncation at 0). */
static double dist_mean(const struct wl_dist *d)
{
	return d->kind == WL_DIST_UNIFORM ? (d->a + d->b) / 2 : d->a;
}

/* SEND, RECV "bytes": a message size (>= 1, default 1), or a distribution of
 * sizes whose mean is >= 1 (each send or recv draws one; wl_interp.c).
 * op->bytes is the size or the mean. */
static int get_msg_size(struct ld *ld, json_t *o, struct wl_op *op)
{
	json_t *v = json_object_get(o, "bytes");
	size_t m;

	op->dist.kind = WL_DIST_FIXED;
	op->dist.a = op->bytes = 1;
	if (!v)
		return 0;
	m = ld_push_key(ld, "bytes");
	if (ld_get_dist(ld, v, &ld_dist_bytes, &op->dist))
		return -1;
	op->bytes = dist_mean(&op->dist);
	if (op->bytes < 1 && op->dist.kind == WL_DIST_FIXED)
		return err_here(ld, "message of %g bytes (expected at least 1 byte)", op->bytes);
	if (op->bytes < 1)
		return err_here(ld, "message sizes of mean %g bytes (expected a mean of at least 1 byte)",
				op->bytes);
	ld_pop(ld, m);
	return 0;
}

static int parse_mem(struct ld *ld, json_t *o, struct wl_mem *mem)
{
	json_t *v;
	size_t m;

	if ((v = ld_enter(ld, o, "refs", &m))) {
		if (ld_get_num_in(ld, v, &mem->refs_per_us, 0, 1e12,
				  "a number of LLC references per us of work, >= 0"))
			return -1;
		ld_pop(ld, m);
	}
	if ((v = ld_enter(ld, o, "footprint", &m))) {
		if (ld_get_bytes(ld, v, &mem->footprint))
			return -1;
		ld_pop(ld, m);
	}
	if ((v = ld_enter(ld, o, "shared", &m))) {
		if (ld_get_num_in(ld, v, &mem->shared, 0, 1,
				  "the fraction 0..1 of the references that go to the shared set"))
			return -1;
		ld_pop(ld, m);
	}
	if ((v = ld_enter(ld, o, "mlp", &m))) {
		if (ld_get_num_in(ld, v, &mem->mlp, 1, 1e6, "a memory-level parallelism >= 1"))
			return -1;
		ld_pop(ld, m);
	}
	return 0;
}

struct opdef;

/*
 * An op's parser: @v is the value of its key (at ld->path, pushed at mark
 * @m), @o the op object (its modifiers), @opath the op object's path; it
 * appends to the template of @en.
 */
typedef int op_parse_fn(struct ld *ld, const struct opdef *d, json_t *o, json_t *v,
			struct ent *en, const char *opath, size_t m);

/* Op keys, their modifier keys, their parser and what it appends. */
struct opdef {
	const char *key;
	const char *mods[5];
	op_parse_fn *parse;
	enum wl_op_kind kind;   /* the op appended */
	enum wl_obj_kind okind; /* ops on objects: the object's kind */
	enum ref_role role;     /* ... and what the op does with it */
};

/* An op naming a synchronisation object. */
static int obj_op(struct ld *ld, const struct opdef *d, json_t *v, struct ent *en,
		  const char *opath, int *opi)
{
	char s[WL_NAME_MAX];

	if (ld_get_name(ld, v, s, op_obj_kind_name[d->okind]))
		return -1;
	*opi = op_new(en, d->kind);
	add_ref(en, *opi, REF_OBJ, d->okind, d->role, d->key, s, opath);
	return 0;
}

/* run, spin, sleep: a duration or a distribution; run: its memory behaviour. */
static int op_timed(struct ld *ld, const struct opdef *d, json_t *o, json_t *v, struct ent *en,
		    const char *opath, size_t m)
{
	int i = op_new(en, d->kind);

	if (ld_get_dist(ld, v, &ld_dist_ns, &en->tpl.ops[i].dist))
		return -1;
	ld_pop(ld, m);
	return d->kind == WL_OP_RUN ? parse_mem(ld, o, &en->tpl.ops[i].mem) : 0;
}

/* wake: a thread (or by the pairing rule); wake_all: a thread or a group. */
static int op_wake(struct ld *ld, const struct opdef *d, json_t *o, json_t *v, struct ent *en,
		   const char *opath, size_t m)
{
	char s[WL_NAME_MAX];
	int i;

	if (ld_get_name(ld, v, s, "thread or group"))
		return -1;
	i = op_new(en, d->kind);
	add_ref(en, i, d->kind == WL_OP_WAKE ? REF_THREAD : REF_THREADS, 0, ROLE_USE, d->key, s,
		opath);
	ld_pop(ld, m);
	return 0;
}

/* wait, recv: true or {}; wait: "record"; recv: "bytes". */
static int op_true(struct ld *ld, const struct opdef *d, json_t *o, json_t *v, struct ent *en,
		   const char *opath, size_t m)
{
	int i;

	if (get_true(ld, v))
		return -1;
	i = op_new(en, d->kind);
	ld_pop(ld, m);
	if (d->kind == WL_OP_WAIT)
		return get_hist_mod(ld, o, &en->tpl.ops[i].record);
	return get_msg_size(ld, o, &en->tpl.ops[i]);
}

static int op_send(struct ld *ld, const struct opdef *d, json_t *o, json_t *v, struct ent *en,
		   const char *opath, size_t m)
{
	json_t *e = json_object_get(o, "each");
	char s[WL_NAME_MAX];
	bool each = false;
	int i;

	if (ld_get_name(ld, v, s, "thread or group"))
		return -1;
	ld_pop(ld, m);
	if (e) {
		m = ld_push_key(ld, "each");
		if (ld_get_bool(ld, e, &each))
			return -1;
		ld_pop(ld, m);
	}
	i = op_new(en, WL_OP_SEND);
	add_ref(en, i, each ? REF_THREADS : REF_THREAD, 0, ROLE_USE, "send", s, opath);
	en->tpl.ops[i].each = each;
	return get_msg_size(ld, o, &en->tpl.ops[i]);
}

static int op_barrier(struct ld *ld, const struct opdef *d, json_t *o, json_t *v,
		      struct ent *en, const char *opath, size_t m)
{
	json_t *x = json_object_get(o, "spin");
	int i;

	if (obj_op(ld, d, v, en, opath, &i))
		return -1;
	ld_pop(ld, m);
	if (!x)
		return 0;
	/* spin-then-sleep waiters: the op's dist is the spin time */
	m = ld_push_key(ld, "spin");
	if (ld_get_dist(ld, x, &ld_dist_ns, &en->tpl.ops[i].dist))
		return -1;
	ld_pop(ld, m);
	return 0;
}

static int op_lock(struct ld *ld, const struct opdef *d, json_t *o, json_t *v, struct ent *en,
		   const char *opath, size_t m)
{
	static const char *const attr[2] = { "percpu", "spin" };
	int i;

	if (obj_op(ld, d, v, en, opath, &i))
		return -1;
	ld_pop(ld, m);
	for (int a = 0; a < 2; a++) {
		json_t *x = json_object_get(o, attr[a]);
		bool b;
		if (!x)
			continue;
		m = ld_push_key(ld, attr[a]);
		if (ld_get_bool(ld, x, &b))
			return -1;
		if (a)
			en->refs[en->nr_refs - 1].spin = b;
		else
			en->refs[en->nr_refs - 1].percpu = b;
		ld_pop(ld, m);
	}
	return 0;
}

/* unlock, signal, broadcast, post, sem_wait: an object; sem_wait: "record"
 * (the others have no such modifier: it is absent, and op.record stays -1). */
static int op_obj(struct ld *ld, const struct opdef *d, json_t *o, json_t *v, struct ent *en,
		  const char *opath, size_t m)
{
	int i;

	if (obj_op(ld, d, v, en, opath, &i))
		return -1;
	ld_pop(ld, m);
	return get_hist_mod(ld, o, &en->tpl.ops[i].record);
}

static int op_cond_wait(struct ld *ld, const struct opdef *d, json_t *o, json_t *v,
			struct ent *en, const char *opath, size_t m)
{
	json_t *x = json_object_get(o, "mutex");
	char s[WL_NAME_MAX];
	int i;

	if (obj_op(ld, d, v, en, opath, &i))
		return -1;
	ld_pop(ld, m);
	if (x) {
		m = ld_push_key(ld, "mutex");
		if (ld_get_name(ld, x, s, "lock"))
			return -1;
		add_ref(en, i, REF_MUTEX, WL_OBJ_LOCK, ROLE_NEEDLOCK, "mutex", s, opath);
		ld_pop(ld, m);
	}
	return get_hist_mod(ld, o, &en->tpl.ops[i].record);
}

static int op_timer(struct ld *ld, const struct opdef *d, json_t *o, json_t *v, struct ent *en,
		    const char *opath, size_t m)
{
	json_t *x = json_object_get(o, "name");
	char s[WL_NAME_MAX];
	struct wl_dist per;
	int i;

	if (ld_get_dist(ld, v, &ld_dist_ns, &per))
		return -1;
	if ((per.kind == WL_DIST_FIXED || per.kind == WL_DIST_EXPONENTIAL) ? per.a <= 0 :
	    per.kind == WL_DIST_UNIFORM ? per.b <= 0 : false)
		return err_here(ld, "timer period is always 0 (expected a period > 0)");
	ld_pop(ld, m);
	ld_copy_str(s, sizeof(s), "timer");
	if (x) {
		m = ld_push_key(ld, "name");
		if (ld_get_name(ld, x, s, "timer slot"))
			return -1;
		ld_pop(ld, m);
	}
	i = op_new(en, WL_OP_TIMER);
	en->tpl.ops[i].dist = per;
	en->tpl.ops[i].obj = names_idx(&ld->timers, s);
	return 0;
}

static int op_loop(struct ld *ld, const struct opdef *d, json_t *o, json_t *v, struct ent *en,
		   const char *opath, size_t m)
{
	json_t *body = json_object_get(o, "ops");
	int64_t x;
	int i, b;

	if (ld_get_int(ld, v, &x))
		return -1;
	if (x < -1)
		return err_here(ld, "loop %" PRId64 " (expected an integer >= 0, or -1 for "
				"forever)", x);
	ld_pop(ld, m);
	if (!body)
		return err_here(ld, "loop without \"ops\" (expected \"ops\": a non-empty array of "
				"ops)");
	i = op_new(en, WL_OP_LOOP);
	en->tpl.ops[i].count = x;
	m = ld_push_key(ld, "ops");
	if (op_parse_list(ld, body, en, "loop"))
		return -1;
	ld_pop(ld, m);
	b = op_new(en, WL_OP_END);
	en->tpl.ops[i].end = b;
	en->tpl.ops[b].end = i;
	if (x == -1 && !op_lets_time_pass(en->tpl.ops, i + 1, b)) {
		ld_push_key(ld, "loop");
		return err_here(ld, "loop -1 runs forever without a run, sleep or wait op "
				"(expected at least one op that lets time pass: " TIME_OPS
				"; or a finite count)");
	}
	return 0;
}

static int op_count(struct ld *ld, const struct opdef *d, json_t *o, json_t *v, struct ent *en,
		    const char *opath, size_t m)
{
	json_t *x = json_object_get(o, "add");
	char s[WL_NAME_MAX];
	double add = 1;
	int i;

	if (ld_get_name(ld, v, s, "counter"))
		return -1;
	ld_pop(ld, m);
	if (x) {
		m = ld_push_key(ld, "add");
		if (ld_get_num_in(ld, x, &add, -1e300, 1e300, "a number to add to the counter"))
			return -1;
		ld_pop(ld, m);
	}
	i = op_new(en, WL_OP_COUNT);
	en->tpl.ops[i].bytes = add;
	en->tpl.ops[i].obj = names_idx(&ld->counters, s);
	return 0;
}

static int op_stamp(struct ld *ld, const struct opdef *d, json_t *o, json_t *v, struct ent *en,
		    const char *opath, size_t m)
{
	char s[WL_NAME_MAX];
	int i, slot;

	if (ld_get_name(ld, v, s, "stamp slot"))
		return -1;
	i = op_new(en, WL_OP_STAMP);
	slot = names_idx(&ld->stamps, s);
	en->tpl.ops[i].obj = slot;
	ld->stamps.flag[slot] = true;
	ld_pop(ld, m);
	return 0;
}

static int op_record(struct ld *ld, const struct opdef *d, json_t *o, json_t *v,
		     struct ent *en, const char *opath, size_t m)
{
	json_t *x = json_object_get(o, "since");
	char s[WL_NAME_MAX];
	struct since *sc;
	int i, h;

	if (ld_get_name(ld, v, s, "histogram"))
		return -1;
	h = names_idx(&ld->hists, s);
	ld_pop(ld, m);
	if (!x)
		return err_here(ld, "record without \"since\" (expected \"since\": the stamp "
				"slot to measure from)");
	m = ld_push_key(ld, "since");
	if (ld_get_name(ld, x, s, "stamp slot"))
		return -1;
	i = op_new(en, WL_OP_RECORD);
	en->tpl.ops[i].obj = h;
	en->tpl.ops[i].stamp = names_idx(&ld->stamps, s);
	sc = xrealloc(ld->sinces, sizeof(*sc) * (size_t)(ld->nr_sinces + 1));
	ld->sinces = sc;
	sc += ld->nr_sinces++;
	sc->slot = en->tpl.ops[i].stamp;
	ld_copy_str(sc->name, sizeof(sc->name), s);
	ld_copy_str(sc->path, sizeof(sc->path), ld->path);
	ld_pop(ld, m);
	return 0;
}

static int op_hotplug(struct ld *ld, const struct opdef *d, json_t *o, json_t *v,
		      struct ent *en, const char *opath, size_t m)
{
	json_t *x = json_object_get(o, "online");
	int bound = ld->nr_cpus > 0 ? ld->nr_cpus : CPUMASK_MAX_CPUS;
	int64_t c;
	int i;

	if (ld_get_int(ld, v, &c))
		return -1;
	if (c < 0 || c >= bound)
		return err_here(ld, "CPU %" PRId64 " does not exist (expected CPUs 0..%d)", c,
				bound - 1);
	ld_pop(ld, m);
	i = op_new(en, WL_OP_HOTPLUG);
	en->tpl.ops[i].cpu = (int)c;
	if (x) {
		m = ld_push_key(ld, "online");
		if (ld_get_bool(ld, x, &en->tpl.ops[i].online))
			return -1;
		ld_pop(ld, m);
	}
	return 0;
}

enum opk {
	K_RUN, K_SPIN, K_SLEEP, K_WAKE, K_WAKE_ALL, K_WAIT, K_SEND, K_RECV, K_BARRIER, K_LOCK,
	K_UNLOCK, K_SIGNAL, K_BROADCAST, K_COND_WAIT, K_POST, K_SEM_WAIT, K_TIMER, K_LOOP,
	K_COUNT, K_STAMP, K_RECORD, K_HOTPLUG, NR_K
};

static const struct opdef opdefs[NR_K] = {
	[K_RUN] = { "run", { "refs", "footprint", "shared", "mlp" }, op_timed, WL_OP_RUN },
	[K_SPIN] = { "spin", { NULL }, op_timed, WL_OP_SPIN },
	[K_SLEEP] = { "sleep", { NULL }, op_timed, WL_OP_SLEEP },
	[K_WAKE] = { "wake", { NULL }, op_wake, WL_OP_WAKE },
	[K_WAKE_ALL] = { "wake_all", { NULL }, op_wake, WL_OP_WAKE_ALL },
	[K_WAIT] = { "wait", { "record" }, op_true, WL_OP_WAIT },
	[K_SEND] = { "send", { "bytes", "each" }, op_send, WL_OP_SEND },
	[K_RECV] = { "recv", { "bytes" }, op_true, WL_OP_RECV },
	[K_BARRIER] = { "barrier", { "spin" }, op_barrier, WL_OP_BARRIER, WL_OBJ_BARRIER,
			ROLE_USE },
	[K_LOCK] = { "lock", { "percpu", "spin" }, op_lock, WL_OP_LOCK, WL_OBJ_LOCK, ROLE_LOCK },
	[K_UNLOCK] = { "unlock", { NULL }, op_obj, WL_OP_UNLOCK, WL_OBJ_LOCK, ROLE_NEEDLOCK },
	[K_SIGNAL] = { "signal", { NULL }, op_obj, WL_OP_WAKE, WL_OBJ_COND, ROLE_SIGNAL },
	[K_BROADCAST] = { "broadcast", { NULL }, op_obj, WL_OP_WAKE_ALL, WL_OBJ_COND,
			  ROLE_SIGNAL },
	[K_COND_WAIT] = { "cond_wait", { "mutex", "record" }, op_cond_wait, WL_OP_WAIT,
			  WL_OBJ_COND, ROLE_WAIT },
	[K_POST] = { "post", { NULL }, op_obj, WL_OP_WAKE, WL_OBJ_SEM, ROLE_SIGNAL },
	[K_SEM_WAIT] = { "sem_wait", { "record" }, op_obj, WL_OP_WAIT, WL_OBJ_SEM, ROLE_WAIT },
	[K_TIMER] = { "timer", { "name" }, op_timer, WL_OP_TIMER },
	[K_LOOP] = { "loop", { "ops" }, op_loop, WL_OP_LOOP },
	[K_COUNT] = { "count", { "add" }, op_count, WL_OP_COUNT },
	[K_STAMP] = { "stamp", { NULL }, op_stamp, WL_OP_STAMP },
	[K_RECORD] = { "record", { "since" }, op_record, WL_OP_RECORD },
	[K_HOTPLUG] = { "hotplug", { "online" }, op_hotplug, WL_OP_HOTPLUG },
};

static int opk_of(const char *k)
{
	for (int i = 0; i < NR_K; i++)
		if (!strcmp(opdefs[i].key, k))
			return i;
	return -1;
}

static bool is_mod(int op, const char *k)
{
	for (int i = 0; i < 5 && opdefs[op].mods[i]; i++)
		if (!strcmp(opdefs[op].mods[i], k))
			return true;
	return false;
}

/* All op keys: "run, spin, ...". */
static void op_list(char *buf, size_t cap)
{
	size_t off = 0;

	for (int i = 0; i < NR_K && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s", i ? ", " : "", opdefs[i].key);
}

/* The ops that have modifier @k ("" if none). */
static size_t mod_owners(const char *k, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < NR_K && off < cap; i++)
		if (is_mod(i, k))
			off += (size_t)snprintf(buf + off, cap - off, "%s%s", off ? ", " : "",
						opdefs[i].key);
	return off;
}

/* "run, refs, footprint, shared, mlp": the keys allowed with op @op. */
static void op_allowed(int op, char *buf, size_t cap)
{
	size_t off = (size_t)snprintf(buf, cap, "%s", opdefs[op].key);

	for (int i = 0; i < 5 && opdefs[op].mods[i] && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, ", %s", opdefs[op].mods[i]);
}

/*
 * The op key of op object @o (at ld->path; @list: all op keys, for
 * messages): the one whose modifiers all other op-named keys are
 * ({"lock": ..., "spin": true}, {"wait": true, "record": ...}).
 */
static int find_op_key(struct ld *ld, json_t *o, const char *list)
{
	char owners[256], opath[WL_PATH_MAX];
	const char *k, *keys[16];
	int kinds[16], nk = 0, op = -1;
	json_t *v;

	json_object_foreach(o, k, v) {
		int x = opk_of(k);
		if (x >= 0 && nk < 16) {
			kinds[nk] = x;
			keys[nk++] = k;
		}
	}
	if (!nk) {
		json_object_foreach(o, k, v)
			break;
		ld_copy_str(opath, sizeof(opath), ld->path);
		ld_push_key(ld, k);
		if (mod_owners(k, owners, sizeof(owners)))
			return err_here(ld, "modifier \"%s\" without its op (it belongs to: %s; expected "
					"exactly one op key: %s)", k, owners, list);
		return ld_err_at(ld, ld->path, "unknown key \"%s\" in %s (expected one of: %s)", k,
				 opath, list);
	}
	for (int a = 0; a < nk && op < 0; a++) {
		bool all = true;
		for (int b = 0; b < nk; b++)
			if (b != a && !is_mod(kinds[a], keys[b]))
				all = false;
		if (all)
			op = kinds[a];
	}
	if (op < 0) {
		for (int b = 1; b < nk; b++)
			if (!is_mod(kinds[0], keys[b])) {
				ld_push_key(ld, keys[b]);
				return err_here(ld, "second op key in one op object: \"%s\" after \"%s\" "
						"(expected exactly one op key with its modifiers; write one "
						"op per object)", keys[b], keys[0]);
			}
		return err_here(ld, "ambiguous op (expected exactly one of: %s)", list);
	}
	return op;
}

/* Every key of @o other than op key @op must be one of its modifiers. */
static int check_mods(struct ld *ld, json_t *o, int op)
{
	char allowed[256], owners[256], opath[WL_PATH_MAX];
	const char *k;
	json_t *v;

	op_allowed(op, allowed, sizeof(allowed));
	ld_copy_str(opath, sizeof(opath), ld->path);
	json_object_foreach(o, k, v) {
		if (!strcmp(k, opdefs[op].key) || is_mod(op, k))
			continue;
		ld_push_key(ld, k);
		if (opk_of(k) >= 0)
			return err_here(ld, "second op key in one op object: \"%s\" after \"%s\" "
					"(expected exactly one op key with its modifiers; write one op "
					"per object)", k, opdefs[op].key);
		if (mod_owners(k, owners, sizeof(owners)))
			return err_here(ld, "\"%s\" is not a modifier of %s (it belongs to: %s; "
					"expected one of: %s)", k, opdefs[op].key, owners, allowed);
		return ld_err_at(ld, ld->path, "unknown key \"%s\" in %s (expected one of: %s)", k,
				 opath, allowed);
	}
	return 0;
}

/* Parse op object @o at ld->path, appending to the template of @en. */
static int parse_op(struct ld *ld, json_t *o, struct ent *en)
{
	char list[512], opath[WL_PATH_MAX];
	const struct opdef *d;
	int op;
	size_t m;

	op_list(list, sizeof(list));
	if (!json_is_object(o))
		return err_here(ld, "got %s (expected an op object, e.g. {\"run\": \"1ms\"}, with one "
				"of: %s)", ld_type_name(o), list);
	if (!json_object_size(o))
		return err_here(ld, "empty op (expected exactly one of: %s)", list);
	if ((op = find_op_key(ld, o, list)) < 0 || check_mods(ld, o, op))
		return -1;
	d = &opdefs[op];
	ld_copy_str(opath, sizeof(opath), ld->path);
	m = ld_push_key(ld, d->key);
	return d->parse(ld, d, o, json_object_get(o, d->key), en, opath, m);
}

/* An array of ops at ld->path; @what names the owner for messages. */
int op_parse_list(struct ld *ld, json_t *arr, struct ent *en, const char *what)
{
	size_t i, n;
	json_t *v;

	if (!json_is_array(arr))
		return err_here(ld, "got %s (expected a non-empty array of ops)", ld_type_name(arr));
	n = json_array_size(arr);
	if (!n)
		return err_here(ld, "%s has no ops (expected at least one op)", what);
	json_array_foreach(arr, i, v) {
		size_t mi = ld_push_idx(ld, i);
		int first = en->tpl.nr_ops;

		if (parse_op(ld, v, en))
			return -1;
		ld_pop(ld, mi);
		if (i + 1 < n && en->tpl.ops[first].kind == WL_OP_LOOP &&
		    en->tpl.ops[first].count == -1) {
			ld_push_idx(ld, i + 1);
			return err_here(ld, "op after a loop that runs forever would never run "
					"(expected the \"loop\": -1 last in its list)");
		}
	}
	return 0;
}
