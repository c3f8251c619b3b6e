/*
 * Diagnostics for bad input.  Library code never prints or exits on an input
 * error: it fills a struct diag and returns -1; cmd/ prints the one-line
 * message and exits with status 2 (git/SQLite habit: errors travel up).
 *
 * Message format: "file:line:col: what is wrong (what was expected)".
 */
#ifndef CASSIM_BASE_DIAG_H
#define CASSIM_BASE_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define DIAG_MSG_MAX 1024

struct diag {
	char msg[DIAG_MSG_MAX];
};

/* Format a message without a location.  Always returns -1. */
int diag_set(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Message located in a file: "file:line:col: ...".  line/col <= 0 are
 * omitted.  Always returns -1. */
int diag_at(struct diag *d, const char *file, int line, int col,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* diag_at() with a va_list, for wrappers that add their own context. */
int diag_vat(struct diag *d, const char *file, int line, int col, const char *fmt, va_list ap);

/* Prepend context ("while loading X: ") to an existing message. */
void diag_prefix(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Every diagnostic is printed through diag_vline(), which keeps it one line
 * of plain text whatever the input put in it: control characters (ESC
 * sequences, CR, a decoded "\n"), C1 controls and bytes that are not
 * well-formed UTF-8 are written as \n, \r, \t or \xNN; well-formed UTF-8
 * text stays as it is.
 */
/* @src escaped into @dst (at most @cap - 1 bytes, NUL-terminated; cut
 * before an escape that does not fit).  Returns the length written. */
size_t diag_escape(char *dst, size_t cap, const char *src);
/* "@prefix" then the formatted message, escaped, and a newline, to @f. */
void diag_line(FILE *f, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_vline(FILE *f, const char *prefix, const char *fmt, va_list ap);

/* Warnings go to stderr immediately ("cassim: warning: ..."), unless
 * diag_quiet_warnings(1) was called (tests, --quiet). */
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_quiet_warnings(int quiet);

#endif
