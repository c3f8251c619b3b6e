/*
 * wl_locate(): find where a key path ("processes[1].threads[0].ops[2].run")
 * sits in JSON text.  jansson reports positions only for syntax errors, so
 * semantic errors in valid JSON are located by re-scanning the text with this
 * small tokenizer (strings with escapes, numbers, literals, nesting; no
 * comments).  A key's own '.', '[' and '\\' are escaped with a '\\' in a path
 * (wl_path_push_key), so any key can be found.  Lines and columns are 1-based; a column counts characters (UTF-8
 * sequences count once), as jansson does for its own errors.
 */
#include "workload/wl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cur {
	const char *p;
	int line, col;
};

static void adv(struct cur *c)
{
	unsigned char b = (unsigned char)*c->p;

	if (!b)
		return;
	c->p++;
	if (b == '\n') {
		c->line++;
		c->col = 1;
	} else if ((b & 0xC0) != 0x80) {
		/* a lead or ASCII byte starts a character; continuation bytes don't */
		c->col++;
	}
}

static void skip_ws(struct cur *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
		adv(c);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Append code point @u as UTF-8 to buf (bounded); returns the new length. */
static size_t put_utf8(char *buf, size_t len, size_t cap, unsigned u)
{
	char tmp[4];
	size_t n;

	if (u < 0x80) {
		tmp[0] = (char)u;
		n = 1;
	} else if (u < 0x800) {
		tmp[0] = (char)(0xC0 | (u >> 6));
		tmp[1] = (char)(0x80 | (u & 0x3F));
		n = 2;
	} else if (u < 0x10000) {
		tmp[0] = (char)(0xE0 | (u >> 12));
		tmp[1] = (char)(0x80 | ((u >> 6) & 0x3F));
		tmp[2] = (char)(0x80 | (u & 0x3F));
		n = 3;
	} else {
		tmp[0] = (char)(0xF0 | (u >> 18));
		tmp[1] = (char)(0x80 | ((u >> 12) & 0x3F));
		tmp[2] = (char)(0x80 | ((u >> 6) & 0x3F));
		tmp[3] = (char)(0x80 | (u & 0x3F));
		n = 4;
	}
	for (size_t i = 0; i < n; i++) {
		if (len + 1 < cap)
			buf[len] = tmp[i];
		len++;
	}
	return len;
}

static int read_hex4(struct cur *c, unsigned *u)
{
	*u = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(*c->p);
		if (h < 0)
			return -1;
		*u = *u * 16 + (unsigned)h;
		adv(c);
	}
	return 0;
}

/*
 * Scan a string at c (which must point at '"'), decoding it into buf (if not
 * NULL, truncated at cap-1 bytes).  Returns the decoded length (may exceed
 * cap), or -1 if the text is not a well-formed string.
 */
static long scan_string(struct cur *c, char *buf, size_t cap)
{
	size_t len = 0;

	if (*c->p != '"')
		return -1;
	adv(c);
	for (;;) {
		char ch = *c->p;
		unsigned u;

		if (!ch)
			return -1;
		if (ch == '"') {
			adv(c);
			break;
		}
		if (ch != '\\') {
			if (buf && len + 1 < cap)
				buf[len] = ch;
			len++;
			adv(c);
			continue;
		}
		adv(c);
		ch = *c->p;
		switch (ch) {
		case '"': case '\\': case '/': u = (unsigned char)ch; break;
		case 'b': u = '\b'; break;
		case 'f': u = '\f'; break;
		case 'n': u = '\n'; break;
		case 'r': u = '\r'; break;
		case 't': u = '\t'; break;
		case 'u':
			adv(c);
			if (read_hex4(c, &u))
				return -1;
			if (u >= 0xD800 && u < 0xDC00 && c->p[0] == '\\' && c->p[1] == 'u') {
				unsigned lo;
				struct cur save = *c;
				adv(c);
				adv(c);
				if (!read_hex4(c, &lo) && lo >= 0xDC00 && lo < 0xE000)
					u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				else
					*c = save;
			}
			if (buf)
				len = put_utf8(buf, len, cap, u);
			else
				len += u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
			continue;
		default:
			return -1;
		}
		if (buf && len + 1 < cap)
			buf[len] = (char)u;
		len++;
		adv(c);
	}
	if (buf && cap)
		buf[len < cap ? len : cap - 1] = '\0';
	return (long)len;
}

/* Skip one value (string, number, literal, object or array). */
static int skip_value(struct cur *c)
{
	int depth = 0;

	skip_ws(c);
	do {
		char ch = *c->p;

		if (!ch)
			return -1;
		if (ch == '"') {
			if (scan_string(c, NULL, 0) < 0)
				return -1;
		} else if (ch == '{' || ch == '[') {
			depth++;
			adv(c);
		} else if (ch == '}' || ch == ']') {
			if (depth == 0)
				return -1;
			depth--;
			adv(c);
		} else if (depth > 0) {
			adv(c); /* ',', ':', whitespace, scalars inside a container */
		} else {
			/* a scalar at depth 0: number or literal */
			const char *start = c->p;
			while (*c->p && !strchr(",]}: \t\r\n", *c->p))
				adv(c);
			if (c->p == start)
				return -1;
		}
	} while (depth > 0);
	return 0;
}

int wl_locate(const char *text, const char *path, int *line, int *col)
{
	struct cur c = { text, 1, 1 };
	const char *comp = path;

	if (!text || !path)
		return -1;
	skip_ws(&c);
	for (;;) {
		if (*comp == '.')
			comp++;
		if (!*comp) {
			*line = c.line;
			*col = c.col;
			return 0;
		}
		if (*comp == '[') {
			char *end;
			long idx = strtol(comp + 1, &end, 10);

			if (end == comp + 1 || *end != ']' || idx < 0)
				return -1;
			comp = end + 1;
			if (*c.p != '[')
				return -1;
			adv(&c);
			skip_ws(&c);
			if (*c.p == ']')
				return -1;
			for (long i = 0; i < idx; i++) {
				if (skip_value(&c))
					return -1;
				skip_ws(&c);
				if (*c.p != ',')
					return -1;
				adv(&c);
				skip_ws(&c);
			}
			continue; /* at the element's first character */
		}

		/* an object key: comp up to the next unescaped '.' or '[' */
		char want[256];
		size_t klen = 0;
		bool found = false;

		for (; *comp && *comp != '.' && *comp != '['; comp++) {
			if (*comp == '\\' && comp[1])
				comp++;
			if (klen + 1 >= sizeof(want))
				return -1;
			want[klen++] = *comp;
		}

		if (*c.p != '{')
			return -1;
		adv(&c);
		for (;;) {
			char key[256];
			struct cur kpos;
			long n;

			skip_ws(&c);
			if (*c.p != '"')
				return -1; /* '}' (not found) or garbage */
			kpos = c;
			n = scan_string(&c, key, sizeof(key));
			if (n < 0)
				return -1;
			skip_ws(&c);
			if (*c.p != ':')
				return -1;
			adv(&c);
			skip_ws(&c);
			if ((size_t)n == klen && n < (long)sizeof(key) && !memcmp(key, want, klen)) {
				found = true;
				if (!*comp || (*comp == '.' && !comp[1])) {
					*line = kpos.line;
					*col = kpos.col;
					return 0;
				}
				break; /* continue into the value */
			}
			if (skip_value(&c))
				return -1;
			skip_ws(&c);
			if (*c.p != ',')
				return -1;
			adv(&c);
		}
		if (!found)
			return -1;
	}
}

int wl_locate_nearest(const char *text, const char *path, int *line, int *col)
{
	char p[512];
	size_t cut;

	snprintf(p, sizeof(p), "%s", path);
	while (wl_locate(text, p, line, col)) {
		if (!*p) {
			*line = *col = 1;
			return -1;
		}
		/* drop the last component: at the last unescaped '.' or '[' */
		cut = 0;
		for (size_t i = 0; p[i]; i++) {
			if (p[i] == '\\' && p[i + 1])
				i++;
			else if (p[i] == '.' || p[i] == '[')
				cut = i;
		}
		p[cut] = '\0';
	}
	return 0;
}

size_t wl_path_push_key(char *path, size_t cap, const char *key)
{
	size_t m = strlen(path), n = m;

	if (m && n + 1 < cap)
		path[n++] = '.';
	/* a key's own '.', '[' or '\' would read as path syntax: escape it */
	for (; *key && n + 2 < cap; key++) {
		if (*key == '.' || *key == '[' || *key == '\\')
			path[n++] = '\\';
		path[n++] = *key;
	}
	if (n < cap)
		path[n] = '\0';
	return m;
}

size_t wl_path_push_idx(char *path, size_t cap, size_t i)
{
	size_t m = strlen(path);

	snprintf(path + m, cap - m, "[%zu]", i);
	return m;
}
