/*
 * tunable-docs: the lists of tunables in the man page and docs/policies.md,
 * from their declarations.
 *
 * usage: tunable-docs FILE    (FILE: sim/cassim.1 or docs/policies.md)
 *
 * Prints FILE with the text between each pair of marker lines
 *	.\" BEGIN GENERATED KEY ...       <!-- BEGIN GENERATED KEY ... -->
 *	.\" END GENERATED KEY             <!-- END GENERATED KEY -->
 * replaced by the list KEY names, generated from the one declaration of
 * each tunable:
 *	sched         the scheduler's parameters (SCHED_PARAMS, sched/params.h)
 *	cas           the cache-aware fields (CAS_FIELDS, policies/cas.h)
 *	model         the machine-model values (MODEL_PARAMS, hw/profile.h)
 *	              (those three as man page entries)
 *	cas-switches  every cache-aware switch's value in every revision
 *	              (cas_revs, policies/cas_rev.c; a Markdown table)
 * t0074 fails when the output differs from FILE (the file has drifted from
 * the declarations); `make update-tunable-docs` writes the output back.
 * The man page stays a file in the tree rather than a build product: it is
 * distributed (dist_man_MANS), installs without running anything built,
 * and in make distcheck the same test checks the tarball's copy.
 *
 * Exit status: 0; 2 for a bad FILE (unreadable, an unknown KEY, a BEGIN
 * without its END) with a one-line error naming the file and line.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/profile.h"
#include "policies/cas.h"
#include "sched/params.h"

/* A marker line: a roff or an HTML comment starting with these words. */
static const char *const comment_openers[] = { ".\\\" ", "<!-- " };

/* Text for a roff text line or a quoted macro argument: backslashes
 * escaped, a minus sign before a digit as \-, non-ASCII characters as
 * \[uXXXX]; a leading control character neutralised by \&. */
static void roff_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == '.' || *p == '\'')
		fputs("\\&", stdout);
	for (; *p; p++) {
		if (*p == '\\') {
			fputs("\\e", stdout);
		} else if (*p == '-' && p[1] >= '0' && p[1] <= '9' &&
			   (p == (const unsigned char *)s || p[-1] == ' ' || p[-1] == '(')) {
			fputs("\\-", stdout);
		} else if (*p >= 0xc0 && *p < 0xe0 && (p[1] & 0xc0) == 0x80) {
			printf("\\[u%04X]", ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu));
			p++;
		} else if (*p >= 0xe0 && *p < 0xf0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
			printf("\\[u%04X]", ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu));
			p += 2;
		} else {
			putchar(*p);
		}
	}
}

/* One entry: ".TP", the name in bold and its facts, the help. */
static void entry(const char *name, const char *facts, const char *help)
{
	fputs(".TP\n.BR ", stdout);
	roff_text(name);
	fputs(" \" (", stdout);
	roff_text(facts);
	fputs(")\"\n", stdout);
	roff_text(help);
	putchar('\n');
}

static const char *type_word(enum param_type t)
{
	switch (t) {
	case PARAM_BOOL: return "boolean";
	case PARAM_TIME: return "time";
	case PARAM_DOUBLE: return "number";
	default: return "integer";
	}
}

/* Append to the string in @buf (of @len bytes), cut at its end. */
static void add(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* ", 0..1000 ns": the range and the unit. */
static void add_range(char *buf, size_t len, double lo, double hi, const char *unit)
{
	add(buf, len, ", %.15g..%.15g%s%s", lo, hi, *unit ? " " : "", unit);
}

static void list_sched(void)
{
	for (size_t i = 0; i < sched_nr_param_defs; i++) {
		const struct param_def *d = &sched_param_defs[i];
		char facts[256] = "";

		add(facts, sizeof(facts), "%s, default %.15g", type_word(d->type), d->def);
		if (d->type != PARAM_BOOL)
			add_range(facts, sizeof(facts), d->min, d->max, d->unit);
		entry(d->name, facts, d->help);
	}
}

/* Does @f need no list of values (a plain off/on switch, or unnamed)? */
static bool plain_on_off(const struct cas_field *f)
{
	return !f->value_names || (f->type == PARAM_BOOL && !strcmp(f->value_names[0], "off") &&
				   !strcmp(f->value_names[1], "on"));
}

/* Type, range, unit; for a switch its feature name and (unless off/on)
 * its values, "0 none, 1 rss, ...". */
static void list_cas(void)
{
	for (int i = 0; i < CF_NR; i++) {
		const struct cas_field *f = &cas_fields[i];
		char facts[512] = "";

		add(facts, sizeof(facts), "%s", type_word(f->type));
		if (f->type != PARAM_BOOL)
			add_range(facts, sizeof(facts), f->min, f->max, f->unit);
		if (f->feature) {
			add(facts, sizeof(facts), "; feature %s", f->feature);
			for (int v = 0; !plain_on_off(f) && f->value_names[v]; v++)
				add(facts, sizeof(facts), "%s%d %s", v ? ", " : ": ", (int)f->min + v,
				    f->value_names[v]);
		}
		entry(f->name, facts, f->help);
	}
}

static void list_model(void)
{
	for (int i = 0; i < MP_NR; i++) {
		const struct model_param_def *d = &model_param_defs[i];
		char facts[128] = "";

		add_range(facts, sizeof(facts), d->min, d->max, d->unit);
		entry(d->name, facts + 2, d->help); /* without the ", " */
	}
}

/* A field's value in a revision's defaults, as a feature value name. */
static const char *feature_value(const struct cas_field *f, const struct cas_rev *r)
{
	const char *p = (const char *)&r->def + f->offset;
	double v = f->type == PARAM_BOOL ? *(const bool *)p : (double)*(const int64_t *)p;

	return f->value_names ? f->value_names[(int)(v - f->min)] : "?"; /* as cas.c */
}

#define EM_DASH "\xe2\x80\x94"

/* Does some revision fix @f (CAS_FIXED: not a knob there)? */
static bool fixed_somewhere(int f)
{
	for (int r = 0; r < cas_nr_revs; r++)
		if (cas_revs[r].names[f] == CAS_FIXED)
			return true;
	return false;
}

/* The switches (fields with a feature name) by revision: those every
 * revision has first, then those only some have ("—" where fixed). */
static void list_cas_switches(void)
{
	fputs("| feature (tunable) |", stdout);
	for (int r = 0; r < cas_nr_revs; r++)
		printf(" %s |", cas_revs[r].name + (strncmp(cas_revs[r].name, "cas-", 4) ? 0 : 4));
	fputs("\n|---|", stdout);
	for (int r = 0; r < cas_nr_revs; r++)
		fputs("---|", stdout);
	putchar('\n');
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < CF_NR; i++) {
			const struct cas_field *f = &cas_fields[i];

			if (!f->feature || fixed_somewhere(i) != (pass == 1))
				continue;
			printf("| %s (`%s`) |", f->feature, f->name);
			for (int r = 0; r < cas_nr_revs; r++)
				printf(" %s |", cas_revs[r].names[i] == CAS_FIXED ? EM_DASH
									  : feature_value(f, &cas_revs[r]));
			putchar('\n');
		}
}

static const struct {
	const char *key;
	void (*print)(void);
} lists[] = {
	{ "sched", list_sched },
	{ "cas", list_cas },
	{ "model", list_model },
	{ "cas-switches", list_cas_switches },
};

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("tunable-docs: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* If @line is a marker "BEGIN GENERATED KEY" or "END GENERATED KEY"
 * (@word: "BEGIN" or "END"), its KEY (up to ':', ' ' or the line's end)
 * and its length; else NULL. */
static const char *marker(const char *line, const char *word, size_t *len)
{
	for (size_t i = 0; i < sizeof(comment_openers) / sizeof(comment_openers[0]); i++) {
		const char *p = comment_openers[i];

		if (strncmp(line, p, strlen(p)))
			continue;
		p = line + strlen(p);
		if (strncmp(p, word, strlen(word)) || strncmp(p + strlen(word), " GENERATED ", 11))
			return NULL;
		p += strlen(word) + 11;
		*len = strcspn(p, ": \n");
		return p;
	}
	return NULL;
}

/* The list a BEGIN marker names. */
static void (*list_of(const char *key, size_t len, const char *path, int lineno))(void)
{
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (strlen(lists[i].key) == len && !strncmp(lists[i].key, key, len))
			return lists[i].print;
	die("%s:%d: unknown generated list '%.*s' (expected sched, cas, model or cas-switches)", path, lineno,
	    (int)len, key);
	return NULL;
}

int main(int argc, char **argv)
{
	char line[4096];
	int lineno = 0, begun = 0;
	FILE *f;

	if (argc != 2)
		die("usage: tunable-docs FILE");
	f = fopen(argv[1], "r");
	if (!f)
		die("%s: cannot open", argv[1]);
	while (fgets(line, sizeof(line), f)) {
		size_t len, end_len;
		const char *begin = marker(line, "BEGIN", &len), *end;
		char key[64];

		lineno++;
		fputs(line, stdout);
		if (!begin)
			continue;
		void (*print)(void) = list_of(begin, len, argv[1], lineno);
		memcpy(key, begin, len); /* a known key: shorter than key[] */
		print();
		begun = lineno;
		while (fgets(line, sizeof(line), f)) {
			lineno++;
			end = marker(line, "END", &end_len);
			if (end && end_len == len && !strncmp(end, key, len)) {
				fputs(line, stdout);
				begun = 0;
				break;
			}
		}
		if (begun)
			die("%s:%d: generated list without its END line", argv[1], begun);
	}
	if (ferror(f))
		die("%s: read error", argv[1]);
	fclose(f);
	return 0;
}
