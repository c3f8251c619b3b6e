/* Expansion: a process's entries instantiated into threads (blocks count
 * times, each a scope "blk.k/"; groups count times, "name.i"), each thread
 * with its own copy of its template's ops (wl.c has the overview). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "workload/wl_ld.h"

int expand_add_proc(struct ld *ld, const char *name, const struct wl_process *tp,
		    const char *path)
{
	struct workload *w = ld->w;
	struct wl_process *p;

	if (nmap_get(&ld->procmap, name) >= 0)
		return ld_err_at(ld, path, "%s: duplicate process name \"%s\" (expected unique process "
				 "names; in mode \"processes\" every thread is a process named after "
				 "it)", path, name);
	GROW(w->procs, ld->cap_procs, w->nr_procs + 1);
	nmap_put(&ld->procmap, name, w->nr_procs);
	p = &w->procs[w->nr_procs];
	*p = *tp;
	ld_copy_str(p->name, sizeof(p->name), name);
	p->first_thread = w->nr_threads;
	p->nr_threads = 0;
	return w->nr_procs++;
}

static int add_threads(struct ld *ld, int n)
{
	struct workload *w = ld->w;

	assert(w->nr_threads + (int64_t)n <= WL_THREADS_MAX); /* check_thread_count() */
	if (w->nr_threads + n <= ld->cap_threads)
		return 0;
	int cap = MAX(ld->cap_threads * 2, w->nr_threads + n);
	struct wl_thread *t = xrealloc(w->threads, sizeof(*t) * (size_t)cap);
	memset(t + ld->cap_threads, 0, sizeof(*t) * (size_t)(cap - ld->cap_threads));
	w->threads = t;
	int *g = xrealloc(ld->tginst, sizeof(*g) * (size_t)cap);
	ld->tginst = g;
	ld->cap_threads = cap;
	return 0;
}

int expand_new_scope(struct ld *ld, const char *prefix, int parent)
{
	GROW(ld->scopes, ld->cap_scopes, ld->nr_scopes + 1);
	ld_copy_str(ld->scopes[ld->nr_scopes].prefix, WL_NAME_MAX, prefix);
	ld->scopes[ld->nr_scopes].parent = parent;
	return ld->nr_scopes++;
}

/* Instantiate entry @e in @scope. */
int expand_entry(struct ld *ld, int e, int scope, const struct pctx *pc)
{
	const struct ent *en = &ld->ents[e]; /* all entries of the process exist */
	struct workload *w = ld->w;
	char prefix[WL_NAME_MAX], full[3 * WL_NAME_MAX], path[WL_PATH_MAX + 8];
	struct ginst *gi;
	int g;

	ld_copy_str(prefix, sizeof(prefix), ld->scopes[scope].prefix);
	if (en->block) {
		snprintf(path, sizeof(path), "%s.block", en->path);
		for (int k = 0; k < en->count; k++) {
			snprintf(full, sizeof(full), "%s%s.%d/", prefix, en->name, k);
			if (strlen(full) >= WL_NAME_MAX - 1)
				return ld_err_at(ld, path, "%s: block instance \"%.*s\" makes thread names "
						 "too long (expected at most %d characters per thread name, "
						 "including block prefixes and \".N\")", path,
						 (int)strlen(full) - 1, full, WL_NAME_MAX - 1);
			int s = expand_new_scope(ld, full, scope);
			if (s < 0)
				return -1;
			for (int i = 0; i < en->nr_kids; i++)
				if (expand_entry(ld, en->kids[i], s, pc))
					return -1;
		}
		return 0;
	}

	snprintf(path, sizeof(path), "%s.name", en->path);
	snprintf(full, sizeof(full), "%s%s", prefix, en->name);
	if (strlen(full) + (en->count > 1 ? (size_t)snprintf(NULL, 0, ".%d", en->count - 1) : 0) >=
	    WL_NAME_MAX) {
		if (!*prefix)
			return ld_err_at(ld, path, "%s: name \"%s\" too long for %d instances (expected at "
					 "most %d characters including \".N\")", path, en->name,
					 en->count, WL_NAME_MAX - 1);
		return ld_err_at(ld, path, "%s: thread name \"%s\" too long for %d instances (expected "
				 "at most %d characters including block prefixes and \".N\")", path,
				 full, en->count, WL_NAME_MAX - 1);
	}
	GROW(ld->gi, ld->cap_gi, ld->nr_gi + 1);
	g = ld->nr_gi++;
	gi = &ld->gi[g];
	gi->ent = e;
	gi->scope = scope;
	gi->first = w->nr_threads;
	gi->count = en->count;
	ld_copy_str(gi->name, sizeof(gi->name), full);
	if (add_threads(ld, en->count))
		return -1;
	for (int n = 0; n < en->count; n++) {
		struct wl_thread *t = &w->threads[w->nr_threads];
		int proc = pc->proc;

		*t = en->tpl;
		t->ops = NULL;
		ld_copy_str(t->name, sizeof(t->name), full); /* fits: checked above */
		if (en->count > 1) {
			size_t l = strlen(t->name);
			snprintf(t->name + l, sizeof(t->name) - l, ".%d", n);
		}
		if (proc < 0) {
			if ((proc = expand_add_proc(ld, t->name, pc->tp, path)) < 0)
				return -1;
			w->procs[proc].nr_threads = 1;
		}
		t->process = proc;
		t->ops = xmalloc(sizeof(*t->ops) * (size_t)en->tpl.nr_ops);
		memcpy(t->ops, en->tpl.ops, sizeof(*t->ops) * (size_t)en->tpl.nr_ops);
		ld->tginst[w->nr_threads] = g;
		w->nr_threads++;
	}
	return 0;
}
