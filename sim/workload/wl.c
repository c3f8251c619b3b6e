/*
 * Workload files: JSON (jansson) -> struct workload.  The cassim format
 * (version 2) is described in workloads/README.md; keep the two in step.
 * rt-app files are recognised (wl_detect.c) and handed to wl_rtapp_parse().
 *
 * jansson gives positions only for syntax errors, so the file is read into
 * memory once, parsed with json_loadb(), and every semantic error is located
 * by re-scanning the text for the offending key path (wl_locate()).  Every
 * error is one line: "FILE:LINE:COL: what (expected what)".
 *
 * Loading runs in three steps:
 *  1. parse: each entry of a "threads" array becomes a template (struct ent):
 *     a thread group (its ops, with names left unresolved as struct ref) or a
 *     block (its child entries).  Values are checked here; names of counters,
 *     histograms, stamp and timer slots (global name spaces) get indices.
 *  2. expand (per process, right after parsing it): blocks are instantiated
 *     count times (a scope per instance, prefix "blk.k/"), groups count times
 *     ("name.i"); every thread gets its own copy of the template's ops, and a
 *     process (one per thread in mode "processes").
 *  3. resolve: thread and object names of every group instance are resolved
 *     in its scope (innermost block instance first, then outward, then the
 *     top level), per thread instance (the pairing rule).
 *
 * The loader's files and their prefixes are listed in wl_ld.h.
 */
#include "workload/wl.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "workload/wl_ld.h"

static int parse_top(struct ld *ld, json_t *root)
{
	static const char *const keys[] = { "name", "description", "duration", "params",
					    "processes", "metrics", NULL };
	struct workload *w = ld->w;
	char s[WL_STR_MAX], (*jnames)[WL_NAME_MAX];
	json_t *v, *e;
	size_t m, i;

	if (!json_is_object(root))
		return ld_err_at(ld, "", "workload is %s (expected an object with \"processes\")",
				 ld_type_name(root));
	if (ld_check_keys(ld, root, keys))
		return -1;
	if ((v = json_object_get(root, "params")) && param_parse(ld, v))
		return -1;
	if (param_apply_sets(ld))
		return -1;
	if ((v = ld_enter(ld, root, "name", &m))) {
		if (ld_get_str(ld, v, s, sizeof(s), "a string"))
			return -1;
		if (!*s || strlen(s) >= sizeof(w->name))
			return err_here(ld, "bad name \"%s\" (expected 1..%zu characters)", s,
					sizeof(w->name) - 1);
		ld_copy_str(w->name, sizeof(w->name), s);
		ld_pop(ld, m);
	}
	if ((v = ld_enter(ld, root, "duration", &m))) {
		if (ld_get_dur(ld, v, &w->duration))
			return -1;
		ld_pop(ld, m);
	}

	v = json_object_get(root, "processes");
	if (!v)
		return ld_err_at(ld, "", "no \"processes\" (expected a non-empty array of processes)");
	m = ld_push_key(ld, "processes");
	if (!json_is_array(v))
		return err_here(ld, "got %s (expected a non-empty array of processes)", ld_type_name(v));
	if (!json_array_size(v))
		return err_here(ld, "no processes (expected at least one process)");
	if (expand_new_scope(ld, "", -1) < 0)
		return -1;
	jnames = xcalloc(json_array_size(v), sizeof(*jnames));
	json_array_foreach(v, i, e) {
		size_t mi = ld_push_idx(ld, i);
		if (proc_parse(ld, e, i, jnames)) {
			free(jnames);
			return -1;
		}
		ld_pop(ld, mi);
	}
	free(jnames);
	ld_pop(ld, m);
	/* after the processes: "${groups}" set huge must fail on the thread
	 * count, not on the description it expands into */
	if ((v = ld_enter(ld, root, "description", &m))) {
		if (ld_get_str(ld, v, s, sizeof(s), "a string"))
			return -1;
		if (strlen(s) >= sizeof(w->description))
			return err_here(ld, "description too long (expected at most %zu characters)",
					sizeof(w->description) - 1);
		ld_copy_str(w->description, sizeof(w->description), s);
		ld_pop(ld, m);
	}
	if (resolve_names(ld))
		return -1;
	if ((v = ld_enter(ld, root, "metrics", &m))) {
		if (metrics_parse(ld, v))
			return -1;
		ld_pop(ld, m);
	}
	w->nr_counters = ld->counters.n;
	w->counter_names = ld->counters.v;
	ld->counters.v = NULL;
	w->nr_hists = ld->hists.n;
	w->hist_names = ld->hists.v;
	ld->hists.v = NULL;
	w->nr_stamps = ld->stamps.n;
	w->nr_timers = ld->timers.n;
	return param_store(ld);
}

static char *read_file(const char *path, size_t *len, struct diag *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		diag_set(err, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 4096 + 1 > cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nb = xrealloc(buf, ncap);
			buf = nb;
			cap = ncap;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		free(buf);
		fclose(f);
		diag_set(err, "%s: cannot open: %s", path, strerror(e));
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void ld_free(struct ld *ld)
{
	for (int e = 0; e < ld->nr_ents; e++) {
		free(ld->ents[e].tpl.ops);
		free(ld->ents[e].refs);
		free(ld->ents[e].kids);
	}
	free(ld->ents);
	free(ld->scopes);
	free(ld->gi);
	free(ld->ox);
	free(ld->tginst);
	free(ld->sinces);
	nmap_free(&ld->threadmap);
	nmap_free(&ld->groupmap);
	nmap_free(&ld->objmap);
	nmap_free(&ld->procmap);
	struct names *ns[] = { &ld->counters, &ld->hists, &ld->stamps, &ld->timers };
	for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
		nmap_free(&ns[i]->map);
		free(ns[i]->v);
		free(ns[i]->flag);
	}
	free(ld->pnames);
	free(ld->pvals);
}

/* rt-app or cassim: detect_rtapp() (wl_detect.c). */
int wl_load(const char *path, const struct wl_opts *o, struct wl_set *sets, int nr_sets,
	    struct workload **out, struct diag *err)
{
	static const struct wl_opts defaults;
	struct ld ld = { .file = path, .err = err, .sets = sets, .nr_sets = nr_sets };
	json_error_t jerr;
	json_t *root;
	bool rtapp;
	size_t len;
	char *text;
	int ret;

	*out = NULL;
	if (!o)
		o = &defaults;
	ld.nr_cpus = o->nr_cpus;
	ld.nr_nodes = o->nr_nodes;
	text = read_file(path, &len, err);
	if (!text)
		return -1;
	ld.text = text;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	rtapp = detect_rtapp(root, text);
	if (!root && !rtapp) {
		diag_at(err, path, MAX(jerr.line, 1), MAX(jerr.column, 1), "%s", jerr.text);
		free(text);
		return -1;
	}
	ld.w = xcalloc(1, sizeof(*ld.w));
	snprintf(ld.w->path, sizeof(ld.w->path), "%s", path);
	{
		const char *b = strrchr(path, '/');
		b = b ? b + 1 : path;
		size_t n = strlen(b);
		if (n > 5 && !strcmp(b + n - 5, ".json"))
			n -= 5;
		snprintf(ld.w->name, sizeof(ld.w->name), "%.*s", (int)n, b);
	}

	if (rtapp) {
		snprintf(ld.w->format, sizeof(ld.w->format), "rt-app");
		ret = wl_rtapp_parse(path, text, len, o, ld.w, err);
		if (!ld.w->format[0])
			snprintf(ld.w->format, sizeof(ld.w->format), "rt-app");
	} else {
		snprintf(ld.w->format, sizeof(ld.w->format), "cassim");
		ret = parse_top(&ld, root);
	}

	ld_free(&ld);
	json_decref(root);
	free(text);
	if (ret) {
		wl_free(ld.w);
		return -1;
	}
	*out = ld.w;
	return 0;
}

void wl_free(struct workload *w)
{
	if (!w)
		return;
	for (int i = 0; i < w->nr_threads; i++)
		free(w->threads[i].ops);
	free(w->threads);
	free(w->procs);
	free(w->objs);
	free(w->counter_names);
	free(w->hist_names);
	free(w->metrics);
	free(w->param_names);
	free(w->param_values);
	free(w);
}
