/* Processes: their keys and "memory", a check of the thread count before
 * expansion, and the expansion of their entries (wl_expand.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "workload/wl_ld.h"

static int parse_memory(struct ld *ld, json_t *v, struct wl_process *p)
{
	static const char *const keys[] = { "shared", "write", "policy", "node", NULL };
	char s[WL_STR_MAX];
	json_t *x, *node;
	size_t m;

	if (!json_is_object(v))
		return err_here(ld, "got %s (expected an object {\"shared\": BYTES, \"write\": 0..1, "
				"\"policy\": ..., \"node\": N})", ld_type_name(v));
	if (ld_check_keys(ld, v, keys))
		return -1;
	if ((x = ld_enter(ld, v, "shared", &m))) {
		if (ld_get_bytes(ld, x, &p->shared_bytes))
			return -1;
		ld_pop(ld, m);
	}
	if ((x = ld_enter(ld, v, "write", &m))) {
		if (ld_get_num_in(ld, x, &p->write_fraction, 0, 1,
				  "the fraction 0..1 of shared-set references that are writes"))
			return -1;
		ld_pop(ld, m);
	}
	if ((x = ld_enter(ld, v, "policy", &m))) {
		if (ld_get_str(ld, x, s, sizeof(s), "a memory policy: first-touch, interleave or bind"))
			return -1;
		if (!strcmp(s, "first-touch"))
			p->mempolicy = WL_MEM_FIRST_TOUCH;
		else if (!strcmp(s, "interleave"))
			p->mempolicy = WL_MEM_INTERLEAVE;
		else if (!strcmp(s, "bind"))
			p->mempolicy = WL_MEM_BIND;
		else
			return err_here(ld, "unknown memory policy \"%s\" (expected one of: first-touch, "
					"interleave, bind)", s);
		node = json_object_get(v, "node");
		if (p->mempolicy == WL_MEM_BIND && !node)
			return err_here(ld, "policy \"bind\" without \"node\" (expected \"node\": the "
					"NUMA node to bind to)");
		ld_pop(ld, m);
	}
	if ((x = json_object_get(v, "node"))) {
		int64_t n;

		m = ld_push_key(ld, "node");
		if (p->mempolicy != WL_MEM_BIND)
			return err_here(ld, "\"node\" without \"policy\": \"bind\" (expected \"node\" "
					"only with policy bind)");
		if (ld_get_int(ld, x, &n))
			return -1;
		if (n < 0 || (ld->nr_nodes > 0 && n >= ld->nr_nodes))
			return ld->nr_nodes > 0 ?
				err_here(ld, "node %" PRId64 " does not exist (expected nodes 0..%d)",
					 n, ld->nr_nodes - 1) :
				err_here(ld, "node %" PRId64 " (expected a node index >= 0)", n);
		p->bind_node = (int)n;
		ld_pop(ld, m);
	}
	return 0;
}

/* Threads entry @e makes in one instance of its scope: a group's count, a
 * block's count x its children's; saturates at INT64_MAX. */
static int64_t ent_threads(const struct ld *ld, int e)
{
	const struct ent *en = &ld->ents[e];
	int64_t n = 0;

	if (!en->block)
		return en->count;
	for (int i = 0; i < en->nr_kids; i++)
		if (__builtin_add_overflow(n, ent_threads(ld, en->kids[i]), &n))
			return INT64_MAX;
	if (__builtin_mul_overflow(n, (int64_t)en->count, &n))
		return INT64_MAX;
	return n;
}

/*
 * The thread cap, checked on the counts before any thread exists: counts
 * like "${groups}" x "${fds}" set to 10^8 would otherwise allocate up to the
 * cap first (seconds) or overflow.  Names the --set values that fed it.
 */
static int check_thread_count(struct ld *ld, const int *top, int nr_top, const char *path)
{
	int64_t total = ld->w->nr_threads;
	char note[DIAG_MSG_MAX / 2];

	for (int j = 0; j < nr_top; j++)
		if (__builtin_add_overflow(total, ent_threads(ld, top[j]), &total))
			total = INT64_MAX;
	if (total <= WL_THREADS_MAX)
		return 0;
	param_sets_note(ld, NULL, note, sizeof(note));
	return ld_err_at(ld, path, "%s: %s%" PRId64 " threads (expected at most %d in a workload%s)",
			 path, total == INT64_MAX ? "over " : "", total, WL_THREADS_MAX, note);
}

/* "name" of process @pj (required, unique) into jnames[@pj]. */
static int proc_name(struct ld *ld, json_t *jp, size_t pj, char (*jnames)[WL_NAME_MAX])
{
	json_t *v = json_object_get(jp, "name");
	char s[WL_STR_MAX];
	size_t m;

	if (!v)
		return err_here(ld, "process without \"name\" (expected \"name\": a string)");
	m = ld_push_key(ld, "name");
	if (ld_get_str(ld, v, s, sizeof(s), "a string"))
		return -1;
	if (!*s || strlen(s) >= WL_NAME_MAX)
		return err_here(ld, "bad process name \"%s\" (expected 1..%d characters)", s,
				WL_NAME_MAX - 1);
	for (size_t j = 0; j < pj; j++)
		if (!strcmp(jnames[j], s))
			return err_here(ld, "duplicate process name \"%s\", also used by processes[%zu] "
					"(expected unique process names)", s, j);
	ld_copy_str(jnames[pj], WL_NAME_MAX, s);
	ld_pop(ld, m);
	return 0;
}

/* Expand the entries from @first_ent (the process's, @n of them at its top
 * level or fewer) into the threads of process @name (at ld->path). */
static int proc_expand(struct ld *ld, int first_ent, size_t n, const char *name,
		       struct pctx *pc)
{
	struct workload *w = ld->w;
	char path[WL_PATH_MAX + 8];
	int nr_top = 0, *top;

	top = xmalloc(sizeof(*top) * n);
	for (int j = first_ent; j < ld->nr_ents; j++)
		if (ld->ents[j].parent < 0)
			top[nr_top++] = j;
	snprintf(path, sizeof(path), "%s.threads", ld->path);
	if (check_thread_count(ld, top, nr_top, path)) {
		free(top);
		return -1;
	}
	snprintf(path, sizeof(path), "%s.name", ld->path);
	if (pc->proc >= 0 && (pc->proc = expand_add_proc(ld, name, pc->tp, path)) < 0) {
		free(top);
		return -1;
	}
	for (int j = 0; j < nr_top; j++)
		if (expand_entry(ld, top[j], 0, pc)) {
			free(top);
			return -1;
		}
	free(top);
	if (pc->proc >= 0)
		w->procs[pc->proc].nr_threads = w->nr_threads - w->procs[pc->proc].first_thread;
	return 0;
}

/* Parse process @pj (at ld->path) and expand its threads. */
int proc_parse(struct ld *ld, json_t *jp, size_t pj, char (*jnames)[WL_NAME_MAX])
{
	static const char *const keys[] = { "name", "mode", "memory", "threads", NULL };
	struct wl_process tp;
	struct pctx pc = { .proc = -1, .tp = &tp };
	char s[WL_STR_MAX];
	int first_ent;
	json_t *v, *e;
	size_t m, i;

	memset(&tp, 0, sizeof(tp));
	if (!json_is_object(jp))
		return err_here(ld, "got %s (expected a process object {\"name\": ..., \"threads\": "
				"[...]})", ld_type_name(jp));
	if (ld_check_keys(ld, jp, keys) || proc_name(ld, jp, pj, jnames))
		return -1;
	if ((v = ld_enter(ld, jp, "mode", &m))) {
		if (ld_get_str(ld, v, s, sizeof(s), "\"threads\" or \"processes\""))
			return -1;
		if (!strcmp(s, "processes") || !strcmp(s, "process"))
			pc.proc = -1;
		else if (!strcmp(s, "threads") || !strcmp(s, "thread"))
			pc.proc = 0;
		else
			return err_here(ld, "unknown mode \"%s\" (expected \"threads\" or \"processes\")",
					s);
		ld_pop(ld, m);
	} else {
		pc.proc = 0;
	}
	if ((v = ld_enter(ld, jp, "memory", &m))) {
		if (parse_memory(ld, v, &tp))
			return -1;
		ld_pop(ld, m);
	}

	v = json_object_get(jp, "threads");
	if (!v)
		return err_here(ld, "process \"%s\" has no \"threads\" (expected a non-empty array of "
				"threads)", jnames[pj]);
	m = ld_push_key(ld, "threads");
	if (!json_is_array(v))
		return err_here(ld, "got %s (expected a non-empty array of threads)", ld_type_name(v));
	if (!json_array_size(v))
		return err_here(ld, "process \"%s\" has no threads (expected at least one thread)",
				jnames[pj]);
	first_ent = ld->nr_ents;
	json_array_foreach(v, i, e) {
		size_t mi = ld_push_idx(ld, i);
		int x;

		if (entry_parse(ld, e, -1, &x))
			return -1;
		ld_pop(ld, mi);
	}
	ld_pop(ld, m);
	return proc_expand(ld, first_ent, json_array_size(v), jnames[pj], &pc);
}
