/* The entries of a "threads" array: thread groups (their keys, inbox,
 * phases and ops) and blocks of entries (wl.c has the overview). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "workload/wl_ld.h"

static int new_ent(struct ld *ld, int parent)
{
	struct ent *en;

	GROW(ld->ents, ld->cap_ents, ld->nr_ents + 1);
	en = &ld->ents[ld->nr_ents];
	memset(en, 0, sizeof(*en));
	en->parent = parent;
	en->count = 1;
	ld_copy_str(en->path, sizeof(en->path), ld->path);
	return ld->nr_ents++;
}

/* The name of entry @e (the value at ld->path): unique among the entries
 * of its scope (a block's "threads", or the top level of every process). */
static int entry_name(struct ld *ld, json_t *v, int e, const char *what)
{
	struct ent *en = &ld->ents[e];
	char s[WL_STR_MAX];

	if (ld_get_str(ld, v, s, sizeof(s), "a string"))
		return -1;
	if (!*s || strlen(s) >= WL_NAME_MAX)
		return err_here(ld, "bad %s name \"%s\" (expected 1..%d characters)", what, s,
				WL_NAME_MAX - 1);
	if (strchr(s, '/'))
		return err_here(ld, "bad %s name \"%s\" (expected a name without '/', which separates "
				"block instances in thread names)", what, s);
	ld_copy_str(en->name, sizeof(en->name), s);
	for (int j = 0; j < e; j++) {
		const struct ent *o = &ld->ents[j];
		if (o->parent != en->parent || strcmp(o->name, s))
			continue;
		if (!o->block && !en->block)
			return err_here(ld, "duplicate thread name \"%s\", also used at %s (expected "
					"unique thread names)", s, o->path);
		return err_here(ld, "duplicate name \"%s\", also used by the %s at %s (expected "
				"unique thread and block names in a scope)", s,
				o->block ? "block" : "thread", o->path);
	}
	return 0;
}

static int entry_count(struct ld *ld, json_t *jt, struct ent *en)
{
	char note[DIAG_MSG_MAX / 2];
	json_t *v = json_object_get(jt, "count");
	int64_t x;
	size_t m;

	if (!v)
		return 0;
	m = ld_push_key(ld, "count");
	if (ld_get_int(ld, v, &x))
		return -1;
	if (x < 1 || x > WL_COUNT_MAX) {
		param_sets_note(ld, json_is_string(v) ? json_string_value(v) : "", note, sizeof(note));
		return err_here(ld, "count %" PRId64 " out of range (expected 1..%d threads or block "
				"instances%s)", x, WL_COUNT_MAX, note);
	}
	en->count = (int)x;
	ld_pop(ld, m);
	return 0;
}

static int parse_inbox(struct ld *ld, json_t *v, struct wl_thread *t)
{
	static const char *const keys[] = { "type", "capacity", NULL };
	char s[WL_STR_MAX];
	json_t *x;
	size_t m;

	if (!json_is_object(v))
		return err_here(ld, "got %s (expected an object {\"type\": \"pipe\" or \"socket\", "
				"\"capacity\": BYTES})", ld_type_name(v));
	if (ld_check_keys(ld, v, keys))
		return -1;
	if ((x = ld_enter(ld, v, "type", &m))) {
		if (ld_get_str(ld, x, s, sizeof(s), "\"pipe\" or \"socket\""))
			return -1;
		if (!strcmp(s, "socket"))
			t->inbox = WL_INBOX_SOCKET;
		else if (strcmp(s, "pipe"))
			return err_here(ld, "unknown inbox type \"%s\" (expected \"pipe\" or \"socket\")",
					s);
		ld_pop(ld, m);
	}
	t->inbox_capacity = t->inbox == WL_INBOX_SOCKET ? 212992 : 65536;
	if ((x = ld_enter(ld, v, "capacity", &m))) {
		if (ld_get_bytes(ld, x, &t->inbox_capacity))
			return -1;
		if (t->inbox_capacity < 1)
			return err_here(ld, "inbox capacity %g bytes (expected at least 1 byte)",
					t->inbox_capacity);
		/* round_pipe_size() (fs/pipe.c): F_SETPIPE_SZ refuses more than 2^31 */
		if (t->inbox == WL_INBOX_PIPE && t->inbox_capacity > 2147483648.0)
			return err_here(ld, "pipe capacity %g bytes (expected at most 2 GiB, as F_SETPIPE_SZ)",
					t->inbox_capacity);
		ld_pop(ld, m);
	}
	return 0;
}

static int parse_phases(struct ld *ld, json_t *arr, struct ent *en)
{
	static const char *const keys[] = { "name", "loops", "ops", NULL };
	size_t i, n;
	json_t *ph;

	if (!json_is_array(arr))
		return err_here(ld, "got %s (expected a non-empty array of phases)", ld_type_name(arr));
	n = json_array_size(arr);
	if (!n)
		return err_here(ld, "thread \"%s\" has no phases (expected at least one phase)",
				en->name);
	json_array_foreach(arr, i, ph) {
		size_t mi = ld_push_idx(ld, i), m;
		char s[WL_STR_MAX], what[WL_STR_MAX + 32];
		int64_t x = 1;
		int a = -1, b;
		json_t *v;

		if (!json_is_object(ph))
			return err_here(ld, "got %s (expected a phase object {\"name\": ..., \"loops\": "
					"N, \"ops\": [...]})", ld_type_name(ph));
		if (ld_check_keys(ld, ph, keys))
			return -1;
		snprintf(what, sizeof(what), "phase %zu", i);
		if ((v = ld_enter(ld, ph, "name", &m))) {
			if (ld_get_str(ld, v, s, sizeof(s), "a string"))
				return -1;
			snprintf(what, sizeof(what), "phase \"%s\"", s);
			ld_pop(ld, m);
		}
		if ((v = ld_enter(ld, ph, "loops", &m))) {
			if (ld_get_int(ld, v, &x))
				return -1;
			if (x == -1 && i + 1 < n)
				return err_here(ld, "loops -1 (forever) in a phase that is not the last "
						"(expected an integer >= 1; -1 only in the last phase)");
			if (x != -1 && x < 1)
				return err_here(ld, "loops %" PRId64 " (expected an integer >= 1, or -1 "
						"for forever in the last phase)", x);
			ld_pop(ld, m);
		}
		if (!(v = json_object_get(ph, "ops")))
			return err_here(ld, "%s without \"ops\" (expected \"ops\": a non-empty array of "
					"ops)", what);
		if (x != 1) {
			a = op_new(en, WL_OP_LOOP);
			en->tpl.ops[a].count = x;
		}
		m = ld_push_key(ld, "ops");
		if (op_parse_list(ld, v, en, what))
			return -1;
		ld_pop(ld, m);
		if (a >= 0) {
			b = op_new(en, WL_OP_END);
			en->tpl.ops[a].end = b;
			en->tpl.ops[b].end = a;
			if (x == -1 && !op_lets_time_pass(en->tpl.ops, a + 1, b)) {
				ld_push_key(ld, "loops");
				return err_here(ld, "%s loops forever without a run, sleep or wait op "
						"(expected at least one op that lets time pass: "
						TIME_OPS "; or finite loops)", what);
			}
		}
		ld_pop(ld, mi);
	}
	return 0;
}

/* A thread group: the template of its threads. */
static int parse_group(struct ld *ld, json_t *jt, int e)
{
	static const char *const keys[] = { "name", "count", "nice", "start_delay", "cpus", "loops",
					    "inbox", "ops", "phases", NULL };
	struct ent *en = &ld->ents[e]; /* no entry is added while parsing a group */
	struct wl_thread *tpl = &en->tpl;
	json_t *v, *ops, *phases;
	char what[WL_NAME_MAX + 16];
	int64_t x;
	size_t m;

	if (ld_check_keys(ld, jt, keys))
		return -1;
	tpl->loops = -1;
	tpl->inbox = WL_INBOX_PIPE;
	tpl->inbox_capacity = 65536;
	if (!(v = json_object_get(jt, "name")))
		return err_here(ld, "thread without \"name\" (expected \"name\": a string)");
	m = ld_push_key(ld, "name");
	if (entry_name(ld, v, e, "thread"))
		return -1;
	ld_pop(ld, m);
	if (entry_count(ld, jt, en))
		return -1;
	if ((v = ld_enter(ld, jt, "nice", &m))) {
		if (ld_get_int(ld, v, &x))
			return -1;
		if (x < -20 || x > 19)
			return err_here(ld, "nice %" PRId64 " out of range (expected -20..19)", x);
		tpl->nice = (int)x;
		ld_pop(ld, m);
	}
	if ((v = ld_enter(ld, jt, "start_delay", &m))) {
		if (ld_get_dur(ld, v, &tpl->start_delay))
			return -1;
		ld_pop(ld, m);
	}
	if ((v = ld_enter(ld, jt, "cpus", &m))) {
		int rc = ld_get_cpus(ld, v, &tpl->affinity);
		if (rc < 0)
			return -1;
		tpl->has_affinity = rc == 0;
		ld_pop(ld, m);
	}
	if ((v = ld_enter(ld, jt, "loops", &m))) {
		if (ld_get_int(ld, v, &x))
			return -1;
		if (x != -1 && x < 1)
			return err_here(ld, "loops %" PRId64 " (expected an integer >= 1, or -1 for "
					"forever)", x);
		tpl->loops = x;
		ld_pop(ld, m);
	}
	if ((v = ld_enter(ld, jt, "inbox", &m))) {
		if (parse_inbox(ld, v, tpl))
			return -1;
		ld_pop(ld, m);
	}

	ops = json_object_get(jt, "ops");
	phases = json_object_get(jt, "phases");
	if (ops && phases) {
		ld_push_key(ld, "phases");
		return err_here(ld, "thread \"%s\" has both \"ops\" and \"phases\" (expected exactly one "
				"of them)", en->name);
	}
	if (!ops && !phases)
		return err_here(ld, "thread \"%s\" has no \"ops\" (expected a non-empty array of ops, "
				"or \"phases\")", en->name);
	m = ld_push_key(ld, ops ? "ops" : "phases");
	snprintf(what, sizeof(what), "thread \"%s\"", en->name);
	if (ops ? op_parse_list(ld, ops, en, what) : parse_phases(ld, phases, en))
		return -1;
	if (tpl->loops == -1 && !op_lets_time_pass(tpl->ops, 0, tpl->nr_ops))
		return err_here(ld, "thread \"%s\" loops forever without a run, sleep or wait op "
				"(expected at least one op that lets time pass: " TIME_OPS "; or a "
				"finite \"loops\")", en->name);
	ld_pop(ld, m);
	return 0;
}

static int parse_block(struct ld *ld, json_t *jb, int e)
{
	static const char *const keys[] = { "block", "count", "threads", NULL };
	json_t *v, *jt;
	size_t m, i;

	if (ld_check_keys(ld, jb, keys))
		return -1;
	m = ld_push_key(ld, "block");
	if (entry_name(ld, json_object_get(jb, "block"), e, "block"))
		return -1;
	ld_pop(ld, m);
	if (entry_count(ld, jb, &ld->ents[e]))
		return -1;
	if (!(v = json_object_get(jb, "threads")))
		return err_here(ld, "block \"%s\" has no \"threads\" (expected a non-empty array of "
				"threads and blocks)", ld->ents[e].name);
	m = ld_push_key(ld, "threads");
	if (!json_is_array(v))
		return err_here(ld, "got %s (expected a non-empty array of threads and blocks)",
				ld_type_name(v));
	if (!json_array_size(v))
		return err_here(ld, "block \"%s\" has no threads (expected at least one thread)",
				ld->ents[e].name);
	ld->ents[e].kids = xcalloc(json_array_size(v), sizeof(int));
	json_array_foreach(v, i, jt) {
		size_t mi = ld_push_idx(ld, i);
		int kid;

		if (entry_parse(ld, jt, e, &kid))
			return -1;
		ld->ents[e].kids[ld->ents[e].nr_kids++] = kid;
		ld_pop(ld, mi);
	}
	ld_pop(ld, m);
	return 0;
}

/* A "threads" element at ld->path: a thread group, or a block. */
int entry_parse(struct ld *ld, json_t *jt, int parent, int *out)
{
	int e;

	if (!json_is_object(jt))
		return err_here(ld, "got %s (expected a thread object, or a block {\"block\": NAME, "
				"\"threads\": [...]})", ld_type_name(jt));
	if ((e = new_ent(ld, parent)) < 0)
		return -1;
	*out = e;
	if (json_object_get(jt, "block")) {
		ld->ents[e].block = true;
		return parse_block(ld, jt, e);
	}
	return parse_group(ld, jt, e);
}
