/* Workload parameters: "params" (name: default), --set overrides, ${name}
 * substitution in string values, and their final values for the config echo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "workload/wl_ld.h"

static int find_param(struct ld *ld, const char *name, size_t len)
{
	for (int i = 0; i < ld->nr_params; i++)
		if (strlen(ld->pnames[i]) == len && !strncmp(ld->pnames[i], name, len))
			return i;
	return -1;
}

static void param_list(struct ld *ld, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < ld->nr_params && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s", i ? ", " : "", ld->pnames[i]);
}

/* Substitute ${name} in @in into @out. */
int param_subst(struct ld *ld, const char *in, char *out, size_t cap)
{
	size_t o = 0;

	for (const char *p = in; *p;) {
		const char *val;
		size_t vlen;

		if (p[0] == '$' && p[1] == '{') {
			const char *end = strchr(p + 2, '}');
			if (!end)
				return err_here(ld, "unterminated \"${\" in \"%s\" (expected ${name})", in);
			int i = find_param(ld, p + 2, (size_t)(end - p - 2));
			if (i < 0) {
				char list[512];
				param_list(ld, list, sizeof(list));
				return err_here(ld, "undeclared parameter \"%.*s\" in \"%s\" (expected %s%s)",
						(int)(end - p - 2), p + 2, in,
						ld->nr_params ? "one of the declared params: " :
								"a parameter declared under top-level \"params\"",
						list);
			}
			val = ld->pvals[i];
			vlen = strlen(val);
			p = end + 1;
		} else {
			val = p;
			vlen = 1;
			p++;
		}
		if (o + vlen >= cap)
			return err_here(ld, "string too long (expected at most %zu characters)", cap - 1);
		memcpy(out + o, val, vlen);
		o += vlen;
	}
	out[o] = '\0';
	return 0;
}

static bool is_ident(const char *s)
{
	if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (s++; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

int param_parse(struct ld *ld, json_t *params)
{
	const char *k;
	json_t *v;
	size_t m0 = ld_push_key(ld, "params");

	if (!json_is_object(params))
		return err_here(ld, "got %s (expected an object of name: default value)",
				ld_type_name(params));
	size_t n = json_object_size(params);
	ld->pnames = xcalloc(n ? n : 1, sizeof(*ld->pnames));
	ld->pvals = xcalloc(n ? n : 1, sizeof(*ld->pvals));
	json_object_foreach(params, k, v) {
		size_t m = ld_push_key(ld, k);
		char *val = ld->pvals[ld->nr_params];

		if (!is_ident(k) || strlen(k) >= WL_NAME_MAX)
			return err_here(ld, "bad parameter name \"%s\" (expected letters, digits and _, "
					"not starting with a digit, at most %d characters)", k, WL_NAME_MAX - 1);
		if (json_is_integer(v))
			snprintf(val, WL_NAME_MAX, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (json_is_real(v))
			snprintf(val, WL_NAME_MAX, "%.15g", json_real_value(v));
		else if (json_is_string(v) && strlen(json_string_value(v)) < WL_NAME_MAX)
			snprintf(val, WL_NAME_MAX, "%s", json_string_value(v));
		else if (json_is_string(v))
			return err_here(ld, "default too long (expected at most %d characters)",
					WL_NAME_MAX - 1);
		else
			return err_here(ld, "got %s (expected a number or a string as the default)",
					ld_type_name(v));
		snprintf(ld->pnames[ld->nr_params], WL_NAME_MAX, "%s", k);
		ld->nr_params++;
		ld_pop(ld, m);
	}
	ld_pop(ld, m0);
	return 0;
}

int param_apply_sets(struct ld *ld)
{
	for (int s = 0; s < ld->nr_sets; s++) {
		struct wl_set *set = &ld->sets[s];
		int i = find_param(ld, set->name, strlen(set->name));

		if (i < 0)
			continue; /* not ours: the caller decides what it is */
		if (strlen(set->value) >= WL_NAME_MAX)
			return diag_set(ld->err, "--set %s=%s: value too long (expected at most %d characters)",
					set->name, set->value, WL_NAME_MAX - 1);
		snprintf(ld->pvals[i], WL_NAME_MAX, "%s", set->value);
		set->used = true;
	}
	return 0;
}

struct pv {
	const char *name, *val;
};

static int cmp_pv(const void *a, const void *b)
{
	return strcmp(((const struct pv *)a)->name, ((const struct pv *)b)->name);
}

/* Store the final parameter values into the workload, sorted by name. */
int param_store(struct ld *ld)
{
	struct workload *w = ld->w;
	int n = ld->nr_params;
	struct pv *pv;

	if (!n)
		return 0;
	pv = xmalloc(sizeof(*pv) * (size_t)n);
	w->param_names = xcalloc((size_t)n, sizeof(*w->param_names));
	w->param_values = xcalloc((size_t)n, sizeof(*w->param_values));
	for (int i = 0; i < n; i++)
		pv[i] = (struct pv){ ld->pnames[i], ld->pvals[i] };
	qsort(pv, (size_t)n, sizeof(*pv), cmp_pv);
	for (int i = 0; i < n; i++) {
		memcpy(w->param_names[i], pv[i].name, WL_NAME_MAX);
		memcpy(w->param_values[i], pv[i].val, WL_NAME_MAX);
	}
	w->nr_params = n;
	free(pv);
	return 0;
}

/* "; from --set k=v ..." for the --set values the loader used, only those
 * named as ${k} in @ref unless @ref is NULL: what fed a value out of range. */
void param_sets_note(const struct ld *ld, const char *ref, char *buf, size_t len)
{
	size_t off = 0;
	char var[WL_NAME_MAX + 4];

	buf[0] = '\0';
	for (int s = 0; s < ld->nr_sets && off < len; s++) {
		snprintf(var, sizeof(var), "${%s}", ld->sets[s].name);
		if (!ld->sets[s].used || (ref && !strstr(ref, var)))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s %s=%s", off ? "" : "; from --set",
					ld->sets[s].name, ld->sets[s].value);
	}
}
