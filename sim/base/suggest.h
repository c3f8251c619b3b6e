/*
 * Names that can be found: "did you mean X?" for a mistyped name, and the
 * names of the shipped data files (topologies, workloads) in their
 * directories.
 */
#ifndef CASSIM_BASE_SUGGEST_H
#define CASSIM_BASE_SUGGEST_H

#include <stddef.h>

/* The Levenshtein edit distance of @a and @b (insertions, deletions and
 * substitutions of one byte each). */
int suggest_distance(const char *a, const char *b);

/* The name of @names (@n of them; NULL entries skipped) closest to @word if
 * it is a likely typo: at most 1 edit for words up to 4 characters, 2 up to
 * 8, 3 beyond, and never @word itself; ties go to the first.  NULL if none. */
const char *suggest_closest(const char *word, const char *const *names, int n);

/* ", did you mean NAME?" into @buf for suggest_closest(), or "" (so that a
 * message can always carry it); returns @buf. */
char *suggest_hint(char *buf, size_t len, const char *word, const char *const *names, int n);

/* The names of the files ending in @ext (".xml") in the NULL-terminated
 * directory list @dirs, without @ext, sorted, each once (a name in an
 * earlier directory hides the same name later).  *out is a malloc'd array of
 * malloc'd strings (suggest_names_free).  Returns their number, -1 out of
 * memory; unreadable directories are skipped. */
int suggest_files(const char *const *dirs, const char *ext, char ***out);
void suggest_names_free(char **names, int n);

/* @names joined by ", " into @buf (cut with "..." when it does not fit);
 * returns @buf. */
char *suggest_join(char *buf, size_t len, const char *const *names, int n);

#endif
