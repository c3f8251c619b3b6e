/* Did-you-mean suggestions and the names of shipped data files (suggest.h). */
#include "base/suggest.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

int suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int *row = xmalloc((lb + 1) * sizeof(*row)), d;

	if (!row)
		return (int)(la > lb ? la : lb);
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];

		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

const char *suggest_closest(const char *word, const char *const *names, int n)
{
	size_t l = strlen(word);
	int limit = l <= 4 ? 1 : l <= 8 ? 2 : 3, best = limit + 1;
	const char *pick = NULL;

	for (int i = 0; i < n; i++) {
		int d;

		if (!names[i] || !strcmp(names[i], word))
			continue;
		d = suggest_distance(word, names[i]);
		if (d < best) {
			best = d;
			pick = names[i];
		}
	}
	return pick;
}

char *suggest_hint(char *buf, size_t len, const char *word, const char *const *names, int n)
{
	const char *s = suggest_closest(word, names, n);

	if (s)
		snprintf(buf, len, ", did you mean %s?", s);
	else if (len)
		buf[0] = '\0';
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int suggest_files(const char *const *dirs, const char *ext, char ***out)
{
	size_t el = strlen(ext);
	char **v = NULL;
	int n = 0, cap = 0;

	for (; *dirs; dirs++) {
		DIR *d = opendir(*dirs);
		struct dirent *e;

		if (!d)
			continue;
		while ((e = readdir(d))) {
			size_t l = strlen(e->d_name);
			int seen = 0;

			if (l <= el || e->d_name[0] == '.' || strcmp(e->d_name + l - el, ext))
				continue;
			for (int i = 0; i < n && !seen; i++)
				seen = strlen(v[i]) == l - el && !strncmp(v[i], e->d_name, l - el);
			if (seen)
				continue;
			if (n == cap) {
				char **w = xrealloc(v, (size_t)(cap = cap ? 2 * cap : 32) * sizeof(*v));

				if (!w)
					goto oom;
				v = w;
			}
			if (!(v[n] = strndup(e->d_name, l - el)))
				goto oom;
			n++;
			continue;
oom:
			closedir(d);
			suggest_names_free(v, n);
			return -1;
		}
		closedir(d);
	}
	if (n)
		qsort(v, (size_t)n, sizeof(*v), cmp_str);
	*out = v;
	return n;
}

void suggest_names_free(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

char *suggest_join(char *buf, size_t len, const char *const *names, int n)
{
	size_t k = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]) + (i ? 2 : 0);

		if (k + l + 4 >= len) {
			snprintf(buf + k, len - k, "%s...", i ? ", " : "");
			break;
		}
		k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "", names[i]);
	}
	return buf;
}
