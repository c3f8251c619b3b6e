/* The "metrics" array: what a workload reports the way its benchmark does. */
#include <string.h>

#include "base/xalloc.h"
#include "workload/wl_ld.h"

static const char *const kinds[] = { "elapsed", "rate", "total", "latency" };

/* "kind" of metric object @jm (required); *k: its index in kinds[]. */
static int metric_kind(struct ld *ld, json_t *jm, struct wl_metric *mt, size_t *k)
{
	char s[WL_STR_MAX];
	json_t *v;
	size_t m;

	if (!(v = json_object_get(jm, "kind")))
		return err_here(ld, "metric without \"kind\" (expected \"kind\": one of elapsed, "
				"rate, total, latency)");
	m = ld_push_key(ld, "kind");
	if (ld_get_str(ld, v, s, sizeof(s), "a metric kind"))
		return -1;
	for (*k = 0; *k < ARRAY_SIZE(kinds); (*k)++)
		if (!strcmp(s, kinds[*k]))
			break;
	if (*k == ARRAY_SIZE(kinds))
		return err_here(ld, "unknown metric kind \"%s\" (expected one of: elapsed, rate, "
				"total, latency)", s);
	ld_pop(ld, m);
	mt->kind = *k == 0 ? WL_METRIC_ELAPSED : *k == 1 ? WL_METRIC_RATE :
		   *k == 2 ? WL_METRIC_TOTAL : WL_METRIC_LATENCY;
	return 0;
}

/* What metric @mt (of kind kinds[@k]) reads: rate/total: "counter";
 * latency: "hist"; elapsed: optional "since" (a counter: time from its last
 * change to the end). */
static int metric_source(struct ld *ld, json_t *jm, struct wl_metric *mt, size_t k)
{
	bool lat = mt->kind == WL_METRIC_LATENCY;
	const char *key = lat ? "hist" : mt->kind == WL_METRIC_ELAPSED ? "since" : "counter";
	struct names *ns = lat ? &ld->hists : &ld->counters;
	char s[WL_STR_MAX], list[512];
	json_t *v;
	size_t m;

	if (mt->kind == WL_METRIC_ELAPSED && !json_object_get(jm, "since"))
		return 0;
	if (!(v = json_object_get(jm, key)))
		return err_here(ld, "metric \"%s\" of kind %s without \"%s\" (expected "
				"\"%s\": the name of a %s)", mt->name, kinds[k], key, key,
				lat ? "histogram" : "counter");
	m = ld_push_key(ld, key);
	if (ld_get_str(ld, v, s, sizeof(s), lat ? "a histogram name" : "a counter name"))
		return -1;
	if ((mt->src = nmap_get(&ns->map, s)) < 0) {
		names_list(ns, list, sizeof(list));
		if (lat)
			return err_here(ld, "unknown histogram \"%s\" (expected a histogram "
					"filled by a record op or a wait/cond_wait/sem_wait "
					"\"record\"%s%s)", s, ns->n ? ": " : "", list);
		return err_here(ld, "unknown counter \"%s\" (expected a counter of a count "
				"op%s%s)", s, ns->n ? ": " : "", list);
	}
	ld_pop(ld, m);
	return 0;
}

/* The optional "scale", "unit" and "better" of metric @mt. */
static int metric_options(struct ld *ld, json_t *jm, struct wl_metric *mt)
{
	char s[WL_STR_MAX];
	json_t *v;
	size_t m;

	if ((v = ld_enter(ld, jm, "scale", &m))) {
		if (ld_get_num_in(ld, v, &mt->scale, -1e300, 1e300, "a number to multiply by"))
			return -1;
		ld_pop(ld, m);
	}
	if ((v = ld_enter(ld, jm, "unit", &m))) {
		if (ld_get_str(ld, v, s, sizeof(s), "a string"))
			return -1;
		if (strlen(s) >= sizeof(mt->unit))
			return err_here(ld, "unit \"%s\" too long (expected at most %zu characters)",
					s, sizeof(mt->unit) - 1);
		ld_copy_str(mt->unit, sizeof(mt->unit), s);
		ld_pop(ld, m);
	}
	if ((v = ld_enter(ld, jm, "better", &m))) {
		if (ld_get_str(ld, v, s, sizeof(s), "\"higher\" or \"lower\""))
			return -1;
		if (strcmp(s, "higher") && strcmp(s, "lower"))
			return err_here(ld, "unknown \"better\" value \"%s\" (expected \"higher\" or "
					"\"lower\")", s);
		mt->higher_is_better = s[0] == 'h';
		ld_pop(ld, m);
	}
	return 0;
}

/* Metric object @jm at ld->path into the next of w->metrics. */
static int metric_parse(struct ld *ld, json_t *jm)
{
	static const char *const k_elapsed[] = { "name", "kind", "since", "unit", "better", NULL };
	static const char *const k_counter[] = { "name", "kind", "counter", "scale", "unit",
						 "better", NULL };
	static const char *const k_latency[] = { "name", "kind", "hist", "unit", "better", NULL };
	struct workload *w = ld->w;
	struct wl_metric *mt = &w->metrics[w->nr_metrics];
	json_t *v;
	size_t k, m;

	if (!json_is_object(jm))
		return err_here(ld, "got %s (expected a metric object {\"name\": ..., \"kind\": "
				"...})", ld_type_name(jm));
	if (metric_kind(ld, jm, mt, &k))
		return -1;
	if (ld_check_keys(ld, jm, mt->kind == WL_METRIC_ELAPSED ? k_elapsed :
			       mt->kind == WL_METRIC_LATENCY ? k_latency : k_counter))
		return -1;
	if (!(v = json_object_get(jm, "name")))
		return err_here(ld, "metric without \"name\" (expected \"name\": a string)");
	m = ld_push_key(ld, "name");
	if (ld_get_name(ld, v, mt->name, "metric"))
		return -1;
	for (int j = 0; j < w->nr_metrics; j++)
		if (!strcmp(w->metrics[j].name, mt->name))
			return err_here(ld, "duplicate metric name \"%s\", also used by metrics[%d] "
					"(expected unique metric names)", mt->name, j);
	ld_pop(ld, m);
	mt->src = -1;
	mt->scale = 1;
	mt->higher_is_better = mt->kind == WL_METRIC_RATE || mt->kind == WL_METRIC_TOTAL;
	if (metric_source(ld, jm, mt, k) || metric_options(ld, jm, mt))
		return -1;
	w->nr_metrics++;
	return 0;
}

int metrics_parse(struct ld *ld, json_t *arr)
{
	struct workload *w = ld->w;
	json_t *jm;
	size_t i;

	if (!json_is_array(arr))
		return err_here(ld, "got %s (expected an array of metric objects)", ld_type_name(arr));
	w->metrics = xcalloc(json_array_size(arr) ? json_array_size(arr) : 1, sizeof(*w->metrics));
	json_array_foreach(arr, i, jm) {
		size_t mi = ld_push_idx(ld, i);

		if (metric_parse(ld, jm))
			return -1;
		ld_pop(ld, mi);
	}
	return 0;
}
