/* The workload loader's private hash map (open addressing, FNV-1a) and its
 * global name spaces: counters, histograms, stamp and timer slots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "workload/wl_ld.h"

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int nmap_get(const struct nmap *m, const char *k)
{
	if (!m->cap)
		return -1;
	for (size_t i = hash_str(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->vals[i] < 0)
			return -1;
		if (!strcmp(m->keys[i], k))
			return m->vals[i];
	}
}

static void nmap_ins(struct nmap *m, const char *k, int v)
{
	size_t i = hash_str(k) & (m->cap - 1);

	while (m->vals[i] >= 0)
		i = (i + 1) & (m->cap - 1);
	snprintf(m->keys[i], WL_NAME_MAX, "%s", k);
	m->vals[i] = v;
	m->n++;
}

void nmap_put(struct nmap *m, const char *k, int v)
{
	if (2 * (m->n + 1) > m->cap) {
		struct nmap nm = { .cap = m->cap ? m->cap * 2 : 64 };

		nm.keys = xmalloc(sizeof(*nm.keys) * nm.cap);
		nm.vals = xmalloc(sizeof(*nm.vals) * nm.cap);
		for (size_t i = 0; i < nm.cap; i++)
			nm.vals[i] = -1;
		for (size_t i = 0; i < m->cap; i++)
			if (m->vals[i] >= 0)
				nmap_ins(&nm, m->keys[i], m->vals[i]);
		free(m->keys);
		free(m->vals);
		*m = nm;
	}
	nmap_ins(m, k, v);
}

void nmap_free(struct nmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

int names_idx(struct names *ns, const char *name)
{
	int i = nmap_get(&ns->map, name), cap = ns->cap;

	if (i >= 0)
		return i;
	GROW(ns->v, ns->cap, ns->n + 1);
	if (ns->cap != cap) {
		bool *f = xrealloc(ns->flag, sizeof(*f) * (size_t)ns->cap);
		memset(f + cap, 0, sizeof(*f) * (size_t)(ns->cap - cap));
		ns->flag = f;
	}
	nmap_put(&ns->map, name, ns->n);
	ld_copy_str(ns->v[ns->n], WL_NAME_MAX, name);
	return ns->n++;
}

void names_list(const struct names *ns, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < ns->n && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s", i ? ", " : "", ns->v[i]);
}
