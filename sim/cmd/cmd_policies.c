/* cassim policies: the registered policies, their features and tunables. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/param.h"
#include "cmd/cmd.h"
#include "policies/policy.h"

static void policies_usage(FILE *f)
{
	fputs("usage: cassim policies [--json] [NAME]\n"
	      "\n"
	      "List the scheduling policies: cfs (the stock kernel) and every revision of\n"
	      "Cache Aware Scheduling, with their features and their tunables (settable\n"
	      "with cassim run --set NAME=VALUE), defaults and ranges.  Without NAME, one\n"
	      "line per policy; with NAME, everything about that policy.\n"
	      "\n"
	      "  --json      everything, as JSON (all policies, or NAME)\n"
	      "  -h, --help  this text\n", f);
}

static void fmt_num(char *buf, size_t len, const struct param_def *d, double v)
{
	if (d->type == PARAM_TIME) {
		if (v != 0 && (long long)v % NSEC_PER_MSEC == 0)
			snprintf(buf, len, "%gms", v / 1e6);
		else if (v != 0 && (long long)v % NSEC_PER_USEC == 0)
			snprintf(buf, len, "%gus", v / 1e3);
		else
			snprintf(buf, len, "%gns", v);
	} else {
		snprintf(buf, len, "%g", v);
	}
}

static int nr_tunables(const struct policy *p)
{
	return (int)p->nr_params;
}

static void print_policy(const struct policy *p)
{
	printf("%s\n  %s\n", p->name, p->description ? p->description : "");
	if (p->parent) {
		printf("  changes from %s:\n", p->parent);
		if (!p->changes || !p->changes[0][0])
			printf("    none\n");
		for (int i = 0; p->changes && p->changes[i][0]; i++)
			printf("    %-28s %s -> %s\n", p->changes[i][0], p->changes[i][1], p->changes[i][2]);
	}
	if (p->features && p->features[0][0]) {
		printf("  features:\n");
		for (int i = 0; p->features[i][0]; i++)
			printf("    %-28s %s\n", p->features[i][0], p->features[i][1]);
	}
	if (!p->nr_params) {
		printf("  tunables: none\n");
		return;
	}
	printf("  tunables (--set NAME=VALUE):\n");
	for (size_t i = 0; i < p->nr_params; i++) {
		const struct param_def *d = &p->params[i];
		char def[48], lo[32], hi[32];

		if (d->type == PARAM_BOOL)
			snprintf(def, sizeof(def), "%s", d->def != 0 ? "1" : "0");
		else
			fmt_num(def, sizeof(def), d, d->def);
		fmt_num(lo, sizeof(lo), d, d->min);
		fmt_num(hi, sizeof(hi), d, d->max);
		printf("    %-28s default %s, range %s..%s%s%s\n      %s\n", d->name, def, lo, hi,
		       d->type != PARAM_TIME && d->unit && *d->unit ? " " : "",
		       d->type != PARAM_TIME && d->unit ? d->unit : "", d->help ? d->help : "");
	}
}

static const char *type_name(enum param_type t)
{
	switch (t) {
	case PARAM_INT: return "int";
	case PARAM_BOOL: return "bool";
	case PARAM_TIME: return "time";
	case PARAM_DOUBLE: return "double";
	}
	return "?";
}

static json_t *policy_json(const struct policy *p)
{
	json_t *o = json_object(), *feats = json_object(), *chg = json_array(), *tun = json_array();

	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "description", json_string(p->description ? p->description : ""));
	for (int i = 0; p->features && p->features[i][0]; i++)
		json_object_set_new(feats, p->features[i][0], json_string(p->features[i][1]));
	json_object_set_new(o, "features", feats);
	json_object_set_new(o, "parent", p->parent ? json_string(p->parent) : json_null());
	for (int i = 0; p->changes && p->changes[i][0]; i++) {
		json_t *c = json_object();

		json_object_set_new(c, "name", json_string(p->changes[i][0]));
		json_object_set_new(c, "from", json_string(p->changes[i][1]));
		json_object_set_new(c, "to", json_string(p->changes[i][2]));
		json_array_append_new(chg, c);
	}
	json_object_set_new(o, "changes", chg);
	for (size_t i = 0; i < p->nr_params; i++) {
		const struct param_def *d = &p->params[i];
		json_t *t = json_object();
		json_object_set_new(t, "name", json_string(d->name));
		json_object_set_new(t, "type", json_string(type_name(d->type)));
		if (d->type == PARAM_BOOL)
			json_object_set_new(t, "default", json_boolean(d->def != 0));
		else if (d->type == PARAM_DOUBLE)
			json_object_set_new(t, "default", json_real(d->def));
		else
			json_object_set_new(t, "default", json_integer((json_int_t)d->def));
		json_object_set_new(t, "min", json_real(d->min));
		json_object_set_new(t, "max", json_real(d->max));
		json_object_set_new(t, "unit", json_string(d->unit ? d->unit : ""));
		json_object_set_new(t, "help", json_string(d->help ? d->help : ""));
		json_array_append_new(tun, t);
	}
	json_object_set_new(o, "tunables", tun);
	return o;
}

int cmd_policies(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const struct policy *const *pl;
	const struct policy *one = NULL;
	int nr, c, json = 0, w = 12;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': policies_usage(stdout); return 0;
		default: return cmd_opt_error("policies", c, argv);
		}
	}
	if (argc - optind > 1) {
		policies_usage(stderr);
		return EXIT_BADINPUT;
	}
	pl = policy_list(&nr);
	if (optind < argc) {
		one = policy_find(argv[optind]);
		if (!one) {
			char names[1024], hint[160];
			policy_names(names, sizeof(names));
			cmd_errorf("%s: unknown policy%s (expected one of: %s)", argv[optind],
				   policy_hint(hint, sizeof(hint), argv[optind]), names);
			return EXIT_BADINPUT;
		}
	}
	if (json) {
		json_t *out;
		char *s;
		if (one) {
			out = policy_json(one);
		} else {
			out = json_array();
			for (int i = 0; i < nr; i++)
				json_array_append_new(out, policy_json(pl[i]));
		}
		s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(out);
		if (!s)
			return 1;
		puts(s);
		free(s);
		return 0;
	}
	if (one) {
		print_policy(one);
		return 0;
	}
	for (int i = 0; i < nr; i++)
		if ((int)strlen(pl[i]->name) > w)
			w = (int)strlen(pl[i]->name);
	for (int i = 0; i < nr; i++)
		printf("%-*s %3d tunables  %s\n", w, pl[i]->name, nr_tunables(pl[i]),
		       pl[i]->description ? pl[i]->description : "");
	printf("\ncassim policies NAME shows a policy's features and tunables.\n");
	return 0;
}
