#include "base/xalloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Allocations left before injected failures, in a page shared with forked
 * children: a topology loaded in a child (topo_load()) and its parent draw
 * from one count, so a given N fails one allocation in one process.  NULL:
 * no injection. */
static long *fail_budget;

int xalloc_init(void)
{
	const char *s = getenv("CASSIM_FAIL_ALLOC_AFTER");
	char *end;
	long n;

	if (!s)
		return 0;
	errno = 0;
	n = strtol(s, &end, 10);
	if (!*s || *end || n < 0 || errno) {
		fprintf(stderr, "cassim: error: CASSIM_FAIL_ALLOC_AFTER=%s: expected a non-negative integer\n", s);
		return -1;
	}
	fail_budget = mmap(NULL, sizeof(*fail_budget), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fail_budget == MAP_FAILED) {
		fail_budget = NULL;
		fprintf(stderr, "cassim: error: CASSIM_FAIL_ALLOC_AFTER: mmap: %s\n", strerror(errno));
		return -1;
	}
	*fail_budget = n;
	return 0;
}

void xalloc_die(size_t size, const char *where)
{
	char line[160];
	int n = size ? snprintf(line, sizeof(line), "cassim: out of memory (%zu bytes in %s)\n", size, where)
		     : snprintf(line, sizeof(line), "cassim: out of memory (in %s)\n", where);

	/* write(2), not stdio: stdio may need the memory there is none of */
	if (n > 0)
		(void)!write(STDERR_FILENO, line, (size_t)n);
	_exit(XALLOC_EXIT_NOMEM);
}

/* An injected failure is due (tests): the allocation counts as failed. */
static inline int injected(void)
{
	if (__builtin_expect(!fail_budget, 1))
		return 0;
	return __atomic_fetch_sub(fail_budget, 1, __ATOMIC_RELAXED) <= 0;
}

/* Zero-size requests may legitimately return NULL. */
void *xalloc_malloc(size_t size, const char *where)
{
	void *p;

	if (injected() || (!(p = malloc(size)) && size))
		xalloc_die(size, where);
	return p;
}

void *xalloc_calloc(size_t nmemb, size_t size, const char *where)
{
	void *p;

	if (injected() || (!(p = calloc(nmemb, size)) && nmemb && size))
		xalloc_die(size && nmemb > SIZE_MAX / size ? SIZE_MAX : nmemb * size, where);
	return p;
}

void *xalloc_realloc(void *ptr, size_t size, const char *where)
{
	void *p;

	if (injected() || (!(p = realloc(ptr, size)) && size))
		xalloc_die(size, where);
	return p;
}

char *xalloc_strdup(const char *s, const char *where)
{
	size_t n = strlen(s) + 1;

	return memcpy(xalloc_malloc(n, where), s, n);
}
