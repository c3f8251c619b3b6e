/*
 * Policy modules (module.h): dlopen a shared object built against the
 * installed <cassim/policy.h>, check that it was built for this hook
 * interface, and let it register its policies.
 *
 * The module resolves cassim's own functions (sched/api.h's accessors,
 * policy_find(), param_get() ...) from the cassim executable, which is
 * linked with --export-dynamic for that purpose.  Every failure is one line naming the
 * module; the caller exits without running anything.  A module that
 * registered a policy is never unloaded: the registry points into it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "policies/module.h"
#include "policies/cas.h"
#include "sched/sched.h"
#include "sched/task.h"
#include "hw/topo.h"
#include "base/xalloc.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODULE_MAX 32

/* What has been loaded: the handle (to notice the same object twice) and
 * the policies each module registered (to name the owner on a clash). */
static struct loaded_module {
	void *handle;
	const char *path;
} modules[MODULE_MAX];
static int nr_modules;

#define OWNED_MAX 64
static struct {
	const char *name;
	const char *path;
} owned[OWNED_MAX];
static int nr_owned;

/* The load in progress: cassim_module_init() calls back into
 * module_register() with no context argument. */
static struct {
	const char *path;
	struct diag *err;
	int failed;
	int registered;
} cur;

static const char *policy_owner(const char *name)
{
	for (int i = 0; i < nr_owned; i++)
		if (!strcmp(owned[i].name, name))
			return owned[i].path;
	return NULL;
}

static size_t param_size(enum param_type t)
{
	switch (t) {
	case PARAM_INT: return sizeof(int64_t);
	case PARAM_BOOL: return sizeof(bool);
	case PARAM_TIME: return sizeof(simtime_t);
	case PARAM_DOUBLE: return sizeof(double);
	}
	return 0;
}

/* A policy must be usable by every verb: a name, hooks of this version, a
 * tunables table that fits its config struct. */
static int check_policy(const struct policy *p)
{
	if (!p)
		return diag_set(cur.err, "%s: registered a NULL policy", cur.path);
	if (!p->name || !*p->name || strpbrk(p->name, " \t\n,=/"))
		return diag_set(cur.err, "%s: registered a policy with an invalid name '%s' (expected a non-empty word without spaces, ',', '=' or '/')",
				cur.path, p->name ? p->name : "(null)");
	if (p->hooks && p->hooks->version != SCHED_HOOKS_VERSION)
		return diag_set(cur.err, "%s: policy '%s' has hooks version %d, this cassim has %d (set .version = SCHED_HOOKS_VERSION and rebuild)",
				cur.path, p->name, p->hooks->version, SCHED_HOOKS_VERSION);
	if (p->nr_params && (!p->params || !p->params_size))
		return diag_set(cur.err, "%s: policy '%s' declares %zu tunables but no param table or config size",
				cur.path, p->name, p->nr_params);
	for (size_t i = 0; i < p->nr_params; i++) {
		const struct param_def *d = &p->params[i];
		size_t sz = param_size(d->type);

		if (!d->name || !*d->name || !sz)
			return diag_set(cur.err, "%s: policy '%s': tunable %zu has no name or an unknown type",
					cur.path, p->name, i);
		if (d->offset + sz > p->params_size)
			return diag_set(cur.err, "%s: policy '%s': tunable '%s' lies outside its %zu-byte config struct",
					cur.path, p->name, d->name, p->params_size);
		if (d->def < d->min || d->def > d->max)
			return diag_set(cur.err, "%s: policy '%s': tunable '%s' default %g outside its range %g..%g",
					cur.path, p->name, d->name, d->def, d->min, d->max);
	}
	return 0;
}

/* The register_policy callback handed to cassim_module_init(). */
static int module_register(const struct policy *p)
{
	const char *owner;

	if (!cur.path || cur.failed)
		return -1; /* outside a load, or after an error: keep the first message */
	if (check_policy(p)) {
		cur.failed = 1;
		return -1;
	}
	if (policy_find(p->name)) {
		owner = policy_owner(p->name);
		if (owner)
			diag_set(cur.err, "%s: policy '%s' is already registered by %s", cur.path, p->name, owner);
		else
			diag_set(cur.err, "%s: policy '%s' clashes with the built-in policy of that name (rename it)",
				 cur.path, p->name);
		cur.failed = 1;
		return -1;
	}
	if (nr_owned == OWNED_MAX || policy_register(p)) {
		diag_set(cur.err, "%s: cannot register policy '%s': too many policies", cur.path, p->name);
		cur.failed = 1;
		return -1;
	}
	owned[nr_owned].name = p->name;
	owned[nr_owned].path = cur.path;
	nr_owned++;
	cur.registered++;
	return 0;
}

int policy_module_load(const char *path, struct diag *err)
{
	char buf[PATH_MAX];
	const char *file = path;
	static const struct cassim_module_layout own = CASSIM_MODULE_LAYOUT;
	const struct cassim_module_layout *layout;
	const int *abi;
	int (*init)(int (*)(const struct policy *));
	void *h;
	int rc;

	if (!path || !*path)
		return diag_set(err, "--policy-module: empty path");
	/* dlopen() searches the library path for a bare name: a module is a
	 * file, so "my.so" means ./my.so. */
	if (!strchr(path, '/')) {
		if ((size_t)snprintf(buf, sizeof(buf), "./%s", path) >= sizeof(buf))
			return diag_set(err, "%s: path too long", path);
		file = buf;
	}
	dlerror();
	h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		return diag_set(err, "%s: cannot load: %s", path, e ? e : "unknown error");
	}
	for (int i = 0; i < nr_modules; i++)
		if (modules[i].handle == h) {
			dlclose(h); /* the same object again: already registered */
			return 0;
		}
	if (nr_modules == MODULE_MAX) {
		dlclose(h);
		return diag_set(err, "%s: too many policy modules (at most %d)", path, MODULE_MAX);
	}

	abi = (const int *)dlsym(h, "cassim_module_abi");
	if (!abi) {
		dlclose(h);
		return diag_set(err, "%s: not a cassim policy module (no cassim_module_abi symbol; include <cassim/policy.h> and define it)",
				path);
	}
	if (*abi != CASSIM_MODULE_ABI) {
		int v = *abi;
		dlclose(h);
		return diag_set(err, "%s: built for cassim policy ABI %d, this cassim has %d (rebuild the module against this cassim's headers)",
				path, v, CASSIM_MODULE_ABI);
	}
	layout = (const struct cassim_module_layout *)dlsym(h, "cassim_module_layout");
	if (layout && memcmp(layout, &own, sizeof(own))) {
		dlclose(h);
		return diag_set(err, "%s: built with other structure layouts than this cassim's at policy ABI %d (rebuild the module against this cassim's headers)",
				path, CASSIM_MODULE_ABI);
	}
	init = (int (*)(int (*)(const struct policy *)))dlsym(h, "cassim_module_init");
	if (!init) {
		dlclose(h);
		return diag_set(err, "%s: not a cassim policy module (no cassim_module_init function)", path);
	}

	/* kept for later messages ("already registered by PATH") */
	path = xstrdup(path);
	cur.path = path;
	cur.err = err;
	cur.failed = 0;
	cur.registered = 0;
	rc = init(module_register);
	cur.path = NULL;
	if (!cur.failed && rc)
		cur.failed = 1, diag_set(err, "%s: cassim_module_init failed (returned %d)", path, rc);
	if (!cur.failed && !cur.registered)
		cur.failed = 1, diag_set(err, "%s: cassim_module_init registered no policy", path);
	/* Keep the object mapped once anything points into it. */
	if (cur.failed && !cur.registered) {
		dlclose(h);
		free((char *)path);
	} else {
		modules[nr_modules].handle = h;
		modules[nr_modules].path = path;
		nr_modules++;
	}
	return cur.failed ? -1 : 0;
}
