/*
 * Memory allocation, one policy for all of cassim: running out of memory
 * ends the process cleanly, with one line on stderr,
 *     cassim: out of memory (N bytes in FUNCTION)
 * and exit status XALLOC_EXIT_NOMEM, never an abort, a crash or a NULL for
 * the caller to forget.  A simulation cannot do anything useful with half
 * its state, so no caller handles the failure itself.
 *
 * Fault injection for tests: with CASSIM_FAIL_ALLOC_AFTER=N in the
 * environment (read by xalloc_init()), allocation N+1 and all after it fail
 * (counted per process from the call; a forked child continues its parent's
 * count).  The cost when unset is one predictable branch per allocation.
 */
#ifndef CASSIM_BASE_XALLOC_H
#define CASSIM_BASE_XALLOC_H

#include <stddef.h>

#define XALLOC_EXIT_NOMEM 4

void *xalloc_malloc(size_t size, const char *where);
void *xalloc_calloc(size_t nmemb, size_t size, const char *where);
void *xalloc_realloc(void *ptr, size_t size, const char *where);
char *xalloc_strdup(const char *s, const char *where);

#define xmalloc(size) xalloc_malloc((size), __func__)
#define xcalloc(nmemb, size) xalloc_calloc((nmemb), (size), __func__)
#define xrealloc(ptr, size) xalloc_realloc((ptr), (size), __func__)
#define xstrdup(s) xalloc_strdup((s), __func__)

/* Read CASSIM_FAIL_ALLOC_AFTER; 0, or -1 (with a message on stderr) if it
 * is not a non-negative integer. */
int xalloc_init(void);

/* The end of the process on out of memory, also for libraries' allocation
 * hooks and error handlers: prints the line (without the byte count when
 * @size is 0: not known) and exits. */
void xalloc_die(size_t size, const char *where) __attribute__((noreturn));

#endif
