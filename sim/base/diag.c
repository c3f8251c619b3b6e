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

/* The length of the well-formed UTF-8 sequence at @s (2..4), or 0: overlong
 * forms, surrogates and code points above U+10FFFF are not well formed
 * (RFC 3629).  @s is NUL-terminated, so a truncated sequence stops at the NUL. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
	unsigned cp;

	if (!n || s[0] > 0xF4)
		return 0;
	cp = s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp < 0xE000))
		return 0;
	/* C1 controls (U+0080..U+009F, e.g. CSI) act on terminals like ESC */
	if (cp < 0xA0)
		return 0;
	return n;
}

size_t diag_escape(char *dst, size_t cap, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n = 0;

	if (!cap)
		return 0;
	while (*s) {
		char esc[8];
		size_t len = utf8_len(s), w;
		const char *from = (const char *)s;

		if (*s >= 0x20 && *s < 0x7F) {
			len = 1;
		} else if (!len) {
			switch (*s) {
			case '\n': from = "\\n"; break;
			case '\r': from = "\\r"; break;
			case '\t': from = "\\t"; break;
			default:
				snprintf(esc, sizeof(esc), "\\x%02x", *s);
				from = esc;
			}
			len = 1;
		}
		w = from == (const char *)s ? len : strlen(from);
		if (n + w >= cap)
			break;
		memcpy(dst + n, from, w);
		n += w;
		s += len;
	}
	dst[n] = '\0';
	return n;
}

void diag_vline(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	char msg[DIAG_MSG_MAX * 2], out[DIAG_MSG_MAX * 8];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	diag_escape(out, sizeof(out), msg);
	fprintf(f, "%s%s\n", prefix, out);
}

void diag_line(FILE *f, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vline(f, prefix, fmt, ap);
	va_end(ap);
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
	va_start(ap, fmt);
	diag_vline(stderr, "cassim: warning: ", fmt, ap);
	va_end(ap);
}
