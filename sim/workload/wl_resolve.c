/* Name resolution, once every thread exists: the thread and object names of
 * every group instance, resolved in its scope (wl.c has the overview), and
 * the consistency of objects and stamp slots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "workload/wl_ld.h"

/* Resolve thread name @name from @scope: in each scope from the innermost
 * outward, an exact thread name first, then a group name ("/name": only the
 * top level).  Sets *thread or *group; returns -1 if not found. */
static int find_thread_name(struct ld *ld, int scope, const char *name, int *thread, int *group)
{
	char full[3 * WL_NAME_MAX];

	*thread = *group = -1;
	if (name[0] == '/') {
		name++;
		scope = 0;
	}
	for (int s = scope; s >= 0; s = ld->scopes[s].parent) {
		snprintf(full, sizeof(full), "%s%s", ld->scopes[s].prefix, name);
		if (strlen(full) >= WL_NAME_MAX)
			continue;
		if ((*thread = nmap_get(&ld->threadmap, full)) >= 0)
			return 0;
		if ((*group = nmap_get(&ld->groupmap, full)) >= 0)
			return 0;
	}
	return -1;
}

static void scope_where(struct ld *ld, int scope, char *buf, size_t cap)
{
	const char *p = ld->scopes[scope].prefix;

	buf[0] = '\0';
	if (*p)
		snprintf(buf, cap, " from block instance %.*s", (int)strlen(p) - 1, p);
}

/* wake, wake_all, send: the targets of every instance of group @g. */
static int resolve_thread_ref(struct ld *ld, int g, const struct ref *r)
{
	const struct ginst *gi = &ld->gi[g];
	struct workload *w = ld->w;
	char p[WL_PATH_MAX + 16], where[WL_NAME_MAX + 32];
	const char *who = strcmp(r->key, "send") ? "waker" : "sender";
	int t, tg;

	snprintf(p, sizeof(p), "%s.%s", r->path, r->key);
	if (find_thread_name(ld, gi->scope, r->name, &t, &tg)) {
		scope_where(ld, gi->scope, where, sizeof(where));
		if (r->type == REF_THREADS)
			return ld_err_at(ld, p, "%s: unknown %s target \"%s\"%s (expected the name of a "
					 "thread or of a group)", p, r->key, r->name, where);
		return ld_err_at(ld, p, "%s: unknown %s target \"%s\"%s (expected the name of a thread, "
				 "or of a group with the same count as the %s's)", p, r->key, r->name,
				 where, who);
	}
	if (t < 0 && r->type == REF_THREAD && ld->gi[tg].count != gi->count) {
		if (gi->count == 1)
			return ld_err_at(ld, p, "%s: %s target \"%s\" is a group of %d threads (expected "
					 "one thread, e.g. \"%s.0\", or a %s group with the same count%s)",
					 p, r->key, r->name, ld->gi[tg].count, r->name, who,
					 strcmp(r->key, "send") ? "" : ", or \"each\": true");
		return ld_err_at(ld, p, "%s: %s target \"%s\" is a group of %d threads but the %s \"%s\" "
				 "has %d (expected a group with the same count, or one thread, e.g. "
				 "\"%s.0\")", p, r->key, r->name, ld->gi[tg].count, who, gi->name,
				 gi->count, r->name);
	}
	for (int n = 0; n < gi->count; n++) {
		struct wl_op *op = &w->threads[gi->first + n].ops[r->op];

		if (t >= 0) {
			op->target = t;
			op->nr_targets = 1;
		} else if (r->type == REF_THREADS) {
			op->target = ld->gi[tg].first;
			op->nr_targets = ld->gi[tg].count;
		} else {
			op->target = ld->gi[tg].first + n;
			op->nr_targets = 1;
		}
	}
	return 0;
}

struct bpair {
	int obj, g;
};

static int cmp_bpair(const void *a, const void *b)
{
	const struct bpair *x = a, *y = b;

	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return x->g < y->g ? -1 : x->g > y->g;
}

/* The object @r (of group instance @gi; @p: its path) names, added if new. */
static int obj_of_ref(struct ld *ld, const struct ginst *gi, const struct ref *r, const char *p)
{
	struct workload *w = ld->w;
	char full[3 * WL_NAME_MAX];
	int o = -1;

	if (!strchr(r->name, '/')) {
		snprintf(full, sizeof(full), "%s%s", ld->scopes[gi->scope].prefix, r->name);
	} else if (r->name[0] == '/') {
		snprintf(full, sizeof(full), "%s", r->name + 1);
	} else {
		for (int s = gi->scope; s >= 0 && o < 0; s = ld->scopes[s].parent) {
			snprintf(full, sizeof(full), "%s%s", ld->scopes[s].prefix, r->name);
			if (strlen(full) < WL_NAME_MAX)
				o = nmap_get(&ld->objmap, full);
		}
		if (o < 0)
			snprintf(full, sizeof(full), "%s", r->name);
	}
	if (o < 0 && (o = nmap_get(&ld->objmap, full)) < 0) {
		int cap = ld->cap_objs;

		if (!*full || strlen(full) >= WL_NAME_MAX)
			return ld_err_at(ld, p, "%s: bad %s name \"%s\" (expected 1..%d characters, "
					 "including the block prefix)", p, op_obj_kind_name[r->okind], full,
					 WL_NAME_MAX - 1);
		GROW(w->objs, ld->cap_objs, w->nr_objs + 1);
		if (cap != ld->cap_objs) {
			struct objx *nx = xrealloc(ld->ox, sizeof(*nx) * (size_t)ld->cap_objs);
			memset(nx + cap, 0, sizeof(*nx) * (size_t)(ld->cap_objs - cap));
			ld->ox = nx;
		}
		nmap_put(&ld->objmap, full, w->nr_objs);
		o = w->nr_objs++;
		memset(&w->objs[o], 0, sizeof(w->objs[o]));
		ld_copy_str(w->objs[o].name, sizeof(w->objs[o].name), full);
		w->objs[o].kind = r->okind;
	}
	return o;
}

/* What @r does with object @o (@p: the path of @r, for messages): the kind
 * must match; lock attributes and roles kept for check_objs(). */
static int obj_note_ref(struct ld *ld, int o, const struct ref *r, char *p, size_t cap)
{
	struct wl_obj *ob = &ld->w->objs[o];
	struct objx *x = &ld->ox[o];

	if (!x->first)
		x->first = r;
	else if (ob->kind != r->okind)
		return ld_err_at(ld, p, "%s: \"%s\" is a %s (%s.%s) and cannot also be a %s (expected "
				 "one kind of object per name: barrier, lock, cond or sem)", p, ob->name,
				 op_obj_kind_name[ob->kind], x->first->path, x->first->key,
				 op_obj_kind_name[r->okind]);
	switch (r->role) {
	case ROLE_LOCK:
		x->has_lock = true;
		for (int a = 0; a < 2; a++) {
			static const char *const attr[2] = { "percpu", "spin" };
			int val = a ? r->spin : r->percpu;
			bool *dst = a ? &ob->spin : &ob->percpu;

			if (val < 0)
				continue;
			if (x->attr[a] && *dst != (val != 0)) {
				snprintf(p, cap, "%s.%s", r->path, attr[a]);
				return ld_err_at(ld, p, "%s: conflicting \"%s\" for lock \"%s\": %s here but "
						 "%s at %s.%s (expected the same value at every lock op on "
						 "it)", p, attr[a], ob->name, val ? "true" : "false",
						 *dst ? "true" : "false", x->attr[a]->path, attr[a]);
			}
			*dst = val != 0;
			if (!x->attr[a])
				x->attr[a] = r;
		}
		break;
	case ROLE_NEEDLOCK:
		if (!x->needlock)
			x->needlock = r;
		break;
	case ROLE_WAIT:
		if (!x->wait)
			x->wait = r;
		break;
	case ROLE_SIGNAL:
		if (!x->signal)
			x->signal = r;
		break;
	default:
		break;
	}
	return 0;
}

/* Objects named by group @g.  Pass 0: plain names (the object of the
 * innermost block instance, or global); pass 1: names with a '/'
 * ("/name": global; "blk.k/name": an existing object seen from the scope
 * outward, else that full name). */
static int resolve_obj_ref(struct ld *ld, int g, const struct ref *r, int pass,
			   struct bpair **bp, int *nr_bp, int *cap_bp)
{
	const struct ginst *gi = &ld->gi[g];
	struct workload *w = ld->w;
	char p[WL_PATH_MAX + 16];
	bool q = strchr(r->name, '/') != NULL;
	int o;

	if (q != (pass == 1))
		return 0;
	snprintf(p, sizeof(p), "%s.%s", r->path, r->key);
	if ((o = obj_of_ref(ld, gi, r, p)) < 0 || obj_note_ref(ld, o, r, p, sizeof(p)))
		return -1;
	if (w->objs[o].kind == WL_OBJ_BARRIER) {
		GROW(*bp, *cap_bp, *nr_bp + 1);
		(*bp)[(*nr_bp)++] = (struct bpair){ o, g };
	}
	for (int n = 0; n < gi->count; n++) {
		struct wl_op *op = &w->threads[gi->first + n].ops[r->op];
		if (r->type == REF_MUTEX)
			op->lock = o;
		else
			op->obj = o;
	}
	return 0;
}

/* Objects must be used consistently: released locks taken somewhere, conds
 * and sems both waited on and signalled/posted. */
static int check_objs(struct ld *ld)
{
	struct workload *w = ld->w;
	char p[WL_PATH_MAX + 16];

	for (int o = 0; o < w->nr_objs; o++) {
		const struct objx *x = &ld->ox[o];
		const char *n = w->objs[o].name;
		const struct ref *r = NULL;
		const char *what = NULL;

		switch (w->objs[o].kind) {
		case WL_OBJ_LOCK:
			if (x->needlock && !x->has_lock) {
				r = x->needlock;
				what = "is released but never taken (expected a lock op on it)";
			}
			break;
		case WL_OBJ_COND:
			if (x->wait && !x->signal) {
				r = x->wait;
				what = "is waited on but never signalled (expected a signal or broadcast "
				       "op on it)";
			} else if (x->signal && !x->wait) {
				r = x->signal;
				what = "is signalled but nobody waits on it (expected a cond_wait op on it)";
			}
			break;
		case WL_OBJ_SEM:
			if (x->wait && !x->signal) {
				r = x->wait;
				what = "is waited on but never posted (expected a post op on it)";
			} else if (x->signal && !x->wait) {
				r = x->signal;
				what = "is posted but nobody waits on it (expected a sem_wait op on it)";
			}
			break;
		default:
			break;
		}
		if (r) {
			snprintf(p, sizeof(p), "%s.%s", r->path, r->key);
			return ld_err_at(ld, p, "%s: %s \"%s\" %s", p, op_obj_kind_name[w->objs[o].kind], n,
					 what);
		}
	}
	for (int i = 0; i < ld->nr_sinces; i++)
		if (!ld->stamps.flag[ld->sinces[i].slot])
			return ld_err_at(ld, ld->sinces[i].path, "%s: stamp slot \"%s\" is never stamped "
					 "(expected a {\"stamp\": \"%s\"} op)", ld->sinces[i].path,
					 ld->sinces[i].name, ld->sinces[i].name);
	return 0;
}

int resolve_names(struct ld *ld)
{
	struct workload *w = ld->w;
	struct bpair *bp = NULL;
	int nr_bp = 0, cap_bp = 0;

	for (int i = 0; i < w->nr_threads; i++) {
		int j = nmap_get(&ld->threadmap, w->threads[i].name);
		if (j >= 0) {
			const struct ginst *gl = &ld->gi[ld->tginst[i]], *ge = &ld->gi[ld->tginst[j]];
			char p[WL_PATH_MAX + 8];
			snprintf(p, sizeof(p), "%s.name", ld->ents[gl->ent].path);
			return ld_err_at(ld, p, "%s: thread name \"%s\" collides with instance \"%s\" of %s "
					 "(expected unique thread names)", p, w->threads[i].name,
					 w->threads[j].name, ld->ents[ge->ent].path);
		}
		nmap_put(&ld->threadmap, w->threads[i].name, i);
	}
	for (int g = 0; g < ld->nr_gi; g++)
		if (nmap_get(&ld->groupmap, ld->gi[g].name) < 0)
			nmap_put(&ld->groupmap, ld->gi[g].name, g);

	for (int pass = 0; pass < 2; pass++)
		for (int g = 0; g < ld->nr_gi; g++) {
			const struct ent *en = &ld->ents[ld->gi[g].ent];
			for (int k = 0; k < en->nr_refs; k++) {
				const struct ref *r = &en->refs[k];
				int ret;
				if (r->type == REF_THREAD || r->type == REF_THREADS)
					ret = pass ? 0 : resolve_thread_ref(ld, g, r);
				else
					ret = resolve_obj_ref(ld, g, r, pass, &bp, &nr_bp, &cap_bp);
				if (ret) {
					free(bp);
					return -1;
				}
			}
		}

	/* barrier participants: distinct threads naming it */
	if (nr_bp)
		qsort(bp, (size_t)nr_bp, sizeof(*bp), cmp_bpair);
	for (int i = 0; i < nr_bp; i++)
		if (!i || bp[i].obj != bp[i - 1].obj || bp[i].g != bp[i - 1].g)
			w->objs[bp[i].obj].participants += ld->gi[bp[i].g].count;
	free(bp);
	return check_objs(ld);
}
