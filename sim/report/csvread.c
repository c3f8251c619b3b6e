/* CSV records through libcsv; see csvread.h.
 *
 * libcsv reports a field (cb1) when it ends and a record (cb2) at its line
 * terminator.  The input goes in one physical line at a time, so the line
 * number is known when a callback runs.  A record's fields are packed into
 * one growing buffer (offsets, turned into pointers at the end of the record)
 * to keep a million-line file cheap. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "report/csvread.h"
#include "base/xalloc.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct rd {
	const char *file;
	int line;
	long index;
	csvr_fn fn;
	void *ctx;
	struct diag *err;
	int failed;        /* fn or memory failed: ignore further callbacks */
	char *buf;         /* the record's fields, NUL-separated */
	size_t len, cap;
	size_t *off;       /* start of each field in buf */
	char **f;
	int n, fcap;
};

static void on_field(void *s, size_t len, void *data)
{
	struct rd *rd = data;

	if (rd->failed)
		return;
	if (rd->n == rd->fcap) {
		int cap = rd->fcap ? 2 * rd->fcap : 16;
		size_t *off = xrealloc(rd->off, (size_t)cap * sizeof(*off));
		char **f = off ? xrealloc(rd->f, (size_t)cap * sizeof(*f)) : NULL;

		if (off)
			rd->off = off;
		if (!f) {
			rd->failed = diag_set(rd->err, "out of memory");
			return;
		}
		rd->f = f;
		rd->fcap = cap;
	}
	if (rd->len + len + 1 > rd->cap) {
		size_t cap = (rd->len + len + 1) * 2;
		char *b = xrealloc(rd->buf, cap);

		rd->buf = b;
		rd->cap = cap;
	}
	rd->off[rd->n++] = rd->len;
	if (len)
		memcpy(rd->buf + rd->len, s, len);
	rd->len += len;
	rd->buf[rd->len++] = '\0';
}

static void on_record(int c, void *data)
{
	struct rd *rd = data;
	struct csvr_rec r;

	(void)c;
	if (rd->failed)
		return;
	for (int i = 0; i < rd->n; i++)
		rd->f[i] = rd->buf + rd->off[i];
	r = (struct csvr_rec){ .file = rd->file, .line = rd->line, .index = rd->index++, .n = rd->n, .f = rd->f };
	rd->n = 0;
	rd->len = 0;
	if (rd->fn(rd->ctx, &r, rd->err))
		rd->failed = -1;
}

long csvr_read_file(FILE *f, const char *name, csvr_fn fn, void *ctx, struct diag *err)
{
	struct csv_parser p;
	struct rd rd = { .file = name, .fn = fn, .ctx = ctx, .err = err };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long ret = -1;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI))
		return diag_set(err, "out of memory");
	while (!rd.failed && (n = getline(&line, &cap, f)) > 0) {
		rd.line++;
		if ((size_t)n != csv_parse(&p, line, (size_t)n, on_field, on_record, &rd) && !rd.failed) {
			if (csv_error(&p) == CSV_EPARSE)
				diag_at(err, name, rd.line, 0, "malformed CSV: a quote inside an unquoted field, "
					"or text after a closing quote (expected RFC 4180 quoting: \"a \"\"b\"\"\")");
			else
				diag_at(err, name, rd.line, 0, "%s", csv_strerror(csv_error(&p)));
			goto out;
		}
	}
	if (rd.failed)
		goto out;
	if (ferror(f)) {
		diag_set(err, "%s: read error: %s", name, strerror(errno));
		goto out;
	}
	if (csv_fini(&p, on_field, on_record, &rd)) {
		diag_at(err, name, rd.line, 0, "unterminated quoted field at the end of the file "
			"(expected a closing \")");
		goto out;
	}
	if (!rd.failed)
		ret = rd.index;
out:
	csv_free(&p);
	free(line);
	free(rd.buf);
	free(rd.off);
	free(rd.f);
	return ret;
}

long csvr_read(const char *path, csvr_fn fn, void *ctx, struct diag *err)
{
	FILE *f = fopen(path, "r");
	long n;

	if (!f)
		return diag_set(err, "%s: cannot open: %s", path, strerror(errno));
	n = csvr_read_file(f, path, fn, ctx, err);
	fclose(f);
	return n;
}
