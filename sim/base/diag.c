#include "base/diag.h"

#include <stdio.h>
#include <string.h>

static int quiet_warnings;

int diag_set(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int diag_vat(struct diag *d, const char *file, int line, int col, const char *fmt, va_list ap)
{
	int n;

	if (line > 0 && col > 0)
		n = snprintf(d->msg, sizeof(d->msg), "%s:%d:%d: ", file, line, col);
	else if (line > 0)
		n = snprintf(d->msg, sizeof(d->msg), "%s:%d: ", file, line);
	else
		n = snprintf(d->msg, sizeof(d->msg), "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof(d->msg))
		return -1;
	vsnprintf(d->msg + n, sizeof(d->msg) - (size_t)n, fmt, ap);
	return -1;
}

int diag_at(struct diag *d, const char *file, int line, int col,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vat(d, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_prefix(struct diag *d, const char *fmt, ...)
{
	char pre[DIAG_MSG_MAX], old[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, d->msg, sizeof(old));
	/* truncation is acceptable: the start of the message matters most */
	size_t n = strlen(pre);
	if (n >= sizeof(d->msg))
		n = sizeof(d->msg) - 1;
	memcpy(d->msg, pre, n);
	snprintf(d->msg + n, sizeof(d->msg) - n, "%.*s", (int)(sizeof(d->msg) - n - 1), old);
}

void diag_quiet_warnings(int quiet)
{
	quiet_warnings = quiet;
}

void diag_warn(const char *fmt, ...)
{
	va_list ap;

	if (quiet_warnings)
		return;
	fputs("cassim: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
