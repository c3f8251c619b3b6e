/*
 * rt-app or cassim?  If jansson parses the file, it is rt-app when the top
 * level is an object with a "tasks" key.  If jansson rejects it, a tolerant
 * scan (comments, trailing commas) looks for a top-level "tasks" key: found,
 * the file goes to wl_rtapp_parse(), whose parser reports its own errors;
 * not found, jansson's error is reported.
 */

#include <string.h>

#include "workload/wl_ld.h"

/* Skip white space and C / C++ comments (rt-app files may have them). */
static const char *skip_blank(const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (!e)
				return p + strlen(p);
			p = e + 2;
		} else {
			return p;
		}
	}
}

/* Does the top-level object of @text have key @key?  A tolerant scan (comments,
 * trailing commas, duplicate keys), for text jansson rejected. */
static bool top_has_key(const char *text, const char *key)
{
	const char *p = skip_blank(text);
	size_t kl = strlen(key);
	int depth = 0;

	if (*p != '{')
		return false;
	while (*p) {
		if (*p == '"') {
			const char *s = ++p;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (!*p)
				return false;
			size_t n = (size_t)(p - s);
			p = skip_blank(p + 1);
			if (depth == 1 && *p == ':' && n == kl && !memcmp(s, key, kl))
				return true;
			continue;
		}
		if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (--depth <= 0)
				return false;
		}
		p = skip_blank(p + 1);
	}
	return false;
}

bool detect_rtapp(const json_t *root, const char *text)
{
	return root ? json_is_object(root) && json_object_get(root, "tasks") :
		      top_has_key(text, "tasks");
}
