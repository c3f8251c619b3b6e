/*
 * man-tunables: the man page's lists of tunables, from their declarations.
 *
 * usage: man-tunables FILE    (FILE: the man page, sim/cassim.1)
 *
 * Prints FILE with the text between each pair of lines
 *	.\" BEGIN GENERATED KEY ...
 *	.\" END GENERATED KEY
 * replaced by the list KEY names, generated from the one declaration of
 * each tunable:
 *	sched  the scheduler's parameters (SCHED_PARAMS, sched/params.h)
 *	cas    the cache-aware fields (CAS_FIELDS, policies/cas.h)
 *	model  the machine-model values (MODEL_PARAMS, hw/profile.h)
 * t0074 fails when the output differs from FILE (the page has drifted from
 * the declarations); `make man-update` writes the output back.  The page
 * stays a file in the tree rather than a build product: it is distributed
 * (dist_man_MANS), installs without running anything built, and in make
 * distcheck the same test checks the tarball's copy.
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

#define BEGIN ".\\\" BEGIN GENERATED "
#define END ".\\\" END GENERATED "

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

/* "0..1000 ns": the range and the unit. */
static int range(char *buf, size_t len, double lo, double hi, const char *unit)
{
	return snprintf(buf, len, "%.15g..%.15g%s%s", lo, hi, *unit ? " " : "", unit);
}

static void list_sched(void)
{
	for (size_t i = 0; i < sched_nr_param_defs; i++) {
		const struct param_def *d = &sched_param_defs[i];
		char facts[256];
		int n = snprintf(facts, sizeof(facts), "%s, default %.15g", type_word(d->type), d->def);

		if (d->type != PARAM_BOOL) {
			n += snprintf(facts + n, sizeof(facts) - (size_t)n, ", ");
			range(facts + n, sizeof(facts) - (size_t)n, d->min, d->max, d->unit);
		}
		entry(d->name, facts, d->help);
	}
}

/* A switch's values as "0 none, 1 rss, ..." unless they are off/on. */
static bool plain_on_off(const struct cas_field *f)
{
	return f->type == PARAM_BOOL && f->value_names && !strcmp(f->value_names[0], "off") && !strcmp(f->value_names[1], "on");
}

static void list_cas(void)
{
	for (int i = 0; i < CF_NR; i++) {
		const struct cas_field *f = &cas_fields[i];
		char facts[512];
		int n = snprintf(facts, sizeof(facts), "%s", type_word(f->type));

		if (f->type != PARAM_BOOL) {
			n += snprintf(facts + n, sizeof(facts) - (size_t)n, ", ");
			n += range(facts + n, sizeof(facts) - (size_t)n, f->min, f->max, f->unit);
		}
		if (f->feature) {
			n += snprintf(facts + n, sizeof(facts) - (size_t)n, "; feature %s", f->feature);
			for (int v = 0; f->value_names && !plain_on_off(f) && f->value_names[v]; v++)
				n += snprintf(facts + n, sizeof(facts) - (size_t)n, "%s%d %s", v ? ", " : ": ",
					      (int)f->min + v, f->value_names[v]);
		}
		entry(f->name, facts, f->help);
	}
}

static void list_model(void)
{
	for (int i = 0; i < MP_NR; i++) {
		const struct model_param_def *d = &model_param_defs[i];
		char facts[128];

		range(facts, sizeof(facts), d->min, d->max, d->unit);
		entry(d->name, facts, d->help);
	}
}

static const struct {
	const char *key;
	void (*print)(void);
} lists[] = {
	{ "sched", list_sched },
	{ "cas", list_cas },
	{ "model", list_model },
};

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("man-tunables: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* The list a BEGIN line names (its key is the word after BEGIN). */
static void (*list_of(const char *line, const char *path, int lineno))(void)
{
	const char *key = line + strlen(BEGIN);
	size_t len = strcspn(key, ": \n");

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (strlen(lists[i].key) == len && !strncmp(lists[i].key, key, len))
			return lists[i].print;
	die("%s:%d: unknown generated list '%.*s' (expected sched, cas or model)", path, lineno, (int)len, key);
	return NULL;
}

int main(int argc, char **argv)
{
	char line[4096];
	int lineno = 0, begun = 0;
	FILE *f;

	if (argc != 2)
		die("usage: man-tunables FILE");
	f = fopen(argv[1], "r");
	if (!f)
		die("%s: cannot open", argv[1]);
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (strncmp(line, BEGIN, strlen(BEGIN))) {
			fputs(line, stdout);
			continue;
		}
		void (*print)(void) = list_of(line, argv[1], lineno);
		begun = lineno;
		fputs(line, stdout);
		print();
		while (fgets(line, sizeof(line), f)) {
			lineno++;
			if (!strncmp(line, END, strlen(END))) {
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
