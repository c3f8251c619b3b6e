/* The tidy CSV layout; see tidy.h. */
#include "report/tidy.h"
#include "report/report.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const tidy_columns[TIDY_NR_COLS] = { "topology", "workload", "parameters", "policy", "seed", "scope",
						"process", "metric", "stat", "unit", "value", "text" };

void tidy_header(FILE *f)
{
	fputs(TIDY_HEADER "\n", f);
}

void tidy_number(char *buf, size_t len, double v)
{
	/* an integral value below 2^53 (a count, a time in ns) in full: 50000000, not 5e+07 */
	if (v == trunc(v) && fabs(v) < 9007199254740992.0) {
		snprintf(buf, len, "%.0f", v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

void tidy_parameters(char *buf, size_t len, const char **keys, const char **values, int n)
{
	size_t m = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		if (values[i] && m < len)
			m += (size_t)snprintf(buf + m, len - m, "%s%s=%s", m ? ";" : "", keys[i], values[i]);
}

static void field(FILE *f, const char *s, int sep)
{
	report_csv_field(f, s ? s : "");
	fputc(sep, f);
}

/* A topology or workload given as a file: its name (the file name without
 * .xml or .json), so that rows of the same run read alike on every machine. */
static void name_field(FILE *f, const char *s)
{
	const char *base = s ? strrchr(s, '/') : NULL;
	char buf[256];
	size_t n;

	base = base ? base + 1 : s ? s : "";
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".json"))
		n -= 5;
	else if (n > 4 && !strcmp(base + n - 4, ".xml"))
		n -= 4;
	snprintf(buf, sizeof(buf), "%.*s", (int)n, base);
	field(f, buf, ',');
}

void tidy_row(FILE *f, const struct tidy_key *k, const char *scope, const char *process, const char *metric,
	      const char *stat, const char *unit, double v, const char *text)
{
	name_field(f, k->topology);
	name_field(f, k->workload);
	field(f, k->parameters, ',');
	field(f, k->policy, ',');
	if (k->has_seed)
		fprintf(f, "%" PRIu64, k->seed);
	fputc(',', f);
	field(f, scope, ',');
	field(f, process, ',');
	field(f, metric, ',');
	field(f, stat, ',');
	field(f, unit, ',');
	if (isfinite(v)) {
		char num[32];

		tidy_number(num, sizeof(num), v);
		fputs(num, f);
	}
	fputc(',', f);
	field(f, text, '\n');
}
