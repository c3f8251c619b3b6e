/*
 * cassim validate: reading the CSV of published results (id, revision,
 * machine, benchmark, params, metric, change_pct[, source][, baseline]; '#'
 * lines are comments) into rows (validate.h).  A file of its own so that the fuzz
 * target (tests/fuzz/fuzz_validate.c) runs the reader without the command.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/xalloc.h"
#include "study/validate.h"

/* Split one CSV line into fields (RFC 4180 quotes, no embedded newlines).
 * Returns the number of fields, -1 on an unterminated quote. */
static int csv_split(char *line, char **f, int max)
{
	int n = 0;
	char *s = line;

	for (;;) {
		char *out = s;
		if (n == max)
			return max + 1;
		f[n++] = s;
		if (*s == '"') {
			char *r = s + 1;
			for (;;) {
				if (!*r)
					return -1;
				if (*r == '"') {
					if (r[1] == '"') {
						*out++ = '"';
						r += 2;
						continue;
					}
					r++;
					break;
				}
				*out++ = *r++;
			}
			if (*r && *r != ',')
				return -1;
			*out = '\0';
			if (!*r)
				return n;
			s = r + 1;
			continue;
		}
		while (*s && *s != ',')
			s++;
		if (!*s)
			return n;
		*s++ = '\0';
	}
}

int validate_csv_split(char *line, char **f, int max)
{
	return csv_split(line, f, max);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

enum { C_ID, C_REV, C_MACHINE, C_BENCH, C_PARAMS, C_METRIC, C_CHANGE, C_SOURCE, C_BASELINE, C_NR };
static const char *const col_name[C_NR] = { "id", "revision", "machine", "benchmark",
					    "params", "metric", "change_pct", "source", "baseline" };
/* optional columns */
#define COL_OPTIONAL(c) ((c) == C_SOURCE || (c) == C_BASELINE)

static int copy_field(char *dst, size_t len, const char *src, const char *file, int line,
		      const char *what, struct diag *err)
{
	if (strlen(src) >= len)
		return diag_at(err, file, line, 0, "%s too long (at most %zu characters)", what, len - 1);
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

int validate_read_csv(const char *path, struct row **rows_out, int *nr_out, struct diag *err)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	int col[C_NR], line = 0, nr = 0, cap = 0, nr_cols = 0;
	bool have_header = false;
	struct row *rows = NULL;

	if (!f)
		return diag_set(err, "%s: %s", path, strerror(errno));
	while (fgets(buf, sizeof(buf), f)) {
		char *f_[32], *s;
		int n;

		line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			diag_at(err, path, line, 0, "line too long (at most %zu characters)", sizeof(buf) - 2);
			goto fail;
		}
		s = trim(buf);
		if (!*s || *s == '#')
			continue;
		n = csv_split(s, f_, 32);
		if (n < 0) {
			diag_at(err, path, line, 0, "unterminated quoted field");
			goto fail;
		}
		if (n > 32) {
			diag_at(err, path, line, 0, "too many fields (at most 32)");
			goto fail;
		}
		if (!have_header) {
			for (int c = 0; c < C_NR; c++)
				col[c] = -1;
			for (int i = 0; i < n; i++)
				for (int c = 0; c < C_NR; c++)
					if (!strcmp(trim(f_[i]), col_name[c]))
						col[c] = i;
			for (int c = 0; c < C_NR; c++)
				if (col[c] < 0 && !COL_OPTIONAL(c)) {
					diag_at(err, path, line, 0,
						"header has no '%s' column (expected id,revision,machine,benchmark,params,metric,change_pct[,source][,baseline])",
						col_name[c]);
					goto fail;
				}
			nr_cols = n;
			have_header = true;
			continue;
		}
		if (n != nr_cols) {
			diag_at(err, path, line, 0, "%d fields, expected %d as in the header (quote a field that contains commas)",
				n, nr_cols);
			goto fail;
		}
		if (nr == cap) {
			struct row *r2;
			cap = cap ? 2 * cap : 64;
			r2 = xrealloc(rows, (size_t)cap * sizeof(*rows));
			rows = r2;
		}
		{
			struct row *r = &rows[nr];
			char *end, *v;

			memset(r, 0, sizeof(*r));
			r->line = line;
			r->activity_kind = -1;   /* CAS_VERDICT_NONE until the runs are scored */
			if (copy_field(r->id, sizeof(r->id), trim(f_[col[C_ID]]), path, line, "id", err) ||
			    copy_field(r->revision, sizeof(r->revision), trim(f_[col[C_REV]]), path, line, "revision", err) ||
			    copy_field(r->machine, sizeof(r->machine), trim(f_[col[C_MACHINE]]), path, line, "machine", err) ||
			    copy_field(r->benchmark, sizeof(r->benchmark), trim(f_[col[C_BENCH]]), path, line, "benchmark", err) ||
			    copy_field(r->params, sizeof(r->params), trim(f_[col[C_PARAMS]]), path, line, "params", err) ||
			    copy_field(r->metric, sizeof(r->metric), trim(f_[col[C_METRIC]]), path, line, "metric", err))
				goto fail;
			if (col[C_SOURCE] >= 0)
				snprintf(r->source, sizeof(r->source), "%s", trim(f_[col[C_SOURCE]]));
			snprintf(r->baseline, sizeof(r->baseline), "cfs");
			if (col[C_BASELINE] >= 0 && *trim(f_[col[C_BASELINE]]) &&
			    copy_field(r->baseline, sizeof(r->baseline), trim(f_[col[C_BASELINE]]), path, line, "baseline",
				       err))
				goto fail;
			for (int c = 0; c < C_NR; c++)
				if (c != C_PARAMS && !COL_OPTIONAL(c) && c != C_CHANGE && col[c] >= 0 && !*trim(f_[col[c]])) {
					diag_at(err, path, line, 0, "empty %s", col_name[c]);
					goto fail;
				}
			v = trim(f_[col[C_CHANGE]]);
			errno = 0;
			r->published = strtod(v, &end);
			if (!*v || *end || errno || !isfinite(r->published)) {
				diag_at(err, path, line, 0, "change_pct '%s' is not a number (expected e.g. 24.5 or -8)", v);
				goto fail;
			}
			for (int i = 0; i < nr; i++)
				if (!strcmp(rows[i].id, r->id)) {
					diag_at(err, path, line, 0, "duplicate id '%s' (first on line %d)", r->id, rows[i].line);
					goto fail;
				}
			nr++;
		}
	}
	if (ferror(f)) {
		diag_set(err, "%s: read error", path);
		goto fail;
	}
	if (!have_header) {
		diag_at(err, path, line, 0, "no header line (expected id,revision,machine,benchmark,params,metric,change_pct[,source][,baseline])");
		goto fail;
	}
	fclose(f);
	*rows_out = rows;
	*nr_out = nr;
	return 0;
fail:
	fclose(f);
	free(rows);
	return -1;
}
