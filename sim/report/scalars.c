/* A run's scalar metrics; see scalars.h. */
#include "report/scalars.h"
#include "base/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct list {
	struct scalar *s;
	int n, cap;
};

static void add(struct list *l, const char *name, const char *unit, enum stats_dir dir, json_t *v,
		bool incomplete)
{
	struct scalar *s;

	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 16;
		s = xrealloc(l->s, (size_t)cap * sizeof(*s));
		l->s = s;
		l->cap = cap;
	}
	s = &l->s[l->n++];
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->unit, sizeof(s->unit), "%s", unit ? unit : "");
	s->dir = dir;
	s->value = json_is_number(v) ? json_number_value(v) : NAN;
	s->incomplete = incomplete;
	s->text[0] = '\0';
}

static const char *const migs[] = { "xllc", "xnode", "xpkg" };

const char *scalars_scope(const char *name)
{
	if (!strcmp(name, "total_wakeup_lat_p99") || !strcmp(name, "cpu_util_mean") ||
	    !strncmp(name, "policy_", 7))
		return "total";
	for (size_t k = 0; k < sizeof(migs) / sizeof(migs[0]); k++)
		if (!strncmp(name, "migrations_", 11) && !strcmp(name + 11, migs[k]))
			return "total";
	return "bench";
}

void scalars_csv(FILE *f, const struct tidy_key *k, const struct scalar *s, int n)
{
	for (int i = 0; i < n; i++)
		tidy_row(f, k, scalars_scope(s[i].name), NULL, s[i].name, "value", s[i].unit, s[i].value,
			 s[i].text[0] ? s[i].text : NULL);
}

int scalars_of(json_t *result, struct scalar **out)
{
	static const char *const lat_pct[] = { "p50", "p99", "p99.9" };
	json_t *r = json_object_get(result, "results"), *total = json_object_get(r, "total"), *v;
	struct list l = { 0 };
	const char *key;
	char name[160];

	json_object_foreach(json_object_get(r, "metrics"), key, v) {
		const char *unit = json_string_value(json_object_get(v, "unit"));
		enum stats_dir dir = json_is_true(json_object_get(v, "higher_is_better")) ? STATS_HIGHER
											  : STATS_LOWER;

		if (json_object_get(v, "p50")) {
			for (size_t k = 0; k < sizeof(lat_pct) / sizeof(lat_pct[0]); k++) {
				snprintf(name, sizeof(name), "%s_%s", key, lat_pct[k]);
				add(&l, name, unit, dir, json_object_get(v, lat_pct[k]), false);
			}
		} else {
			add(&l, key, unit, dir, json_object_get(v, "value"),
			    json_is_true(json_object_get(v, "incomplete")));
		}
	}
	add(&l, "total_wakeup_lat_p99", "us", STATS_LOWER, json_object_get(total, "wakeup_lat_p99_us"), false);
	add(&l, "cpu_util_mean", "fraction", STATS_NEUTRAL,
	    json_object_get(json_object_get(r, "cpu_util"), "mean"), false);
	for (size_t k = 0; k < sizeof(migs) / sizeof(migs[0]); k++) {
		snprintf(name, sizeof(name), "migrations_%s", migs[k]);
		add(&l, name, "", STATS_LOWER,
		    json_object_get(json_object_get(total, "migrations"), migs[k]), false);
	}
	json_object_foreach(json_object_get(json_object_get(r, "policy"), "total"), key, v) {
		snprintf(name, sizeof(name), "policy_%s", key);
		add(&l, name, "", STATS_NEUTRAL, v, false);
	}
	v = json_object_get(json_object_get(r, "verdict"), "code");
	if (v) {
		add(&l, "policy_verdict", "code", STATS_NEUTRAL, v, false);
		snprintf(l.s[l.n - 1].text, sizeof(l.s[l.n - 1].text), "%s",
			 json_string_value(json_object_get(json_object_get(r, "verdict"), "text")) ?: "");
	}
	*out = l.s;
	return l.n;
}
