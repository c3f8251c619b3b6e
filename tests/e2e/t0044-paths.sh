#!/bin/sh
# t0044-paths: committed files name paths relative to the repository (or
# ../shared/... for the project's shared material next to it), never an
# absolute path of a developer's machine or its scratch space: a home
# directory, root's, the project's work tree, or the temporary directory
# spelt out (use ${TMPDIR:-/tmp} or mktemp).  Scans every file git tracks;
# skipped outside a git checkout (a release tarball).  .gitignore files are
# left out: a leading slash there anchors a pattern to its directory.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"

# abs_paths DIR: the "file:line:text" of each tracked text file of the git
# checkout DIR that names such an absolute path (a slash-rooted path at the
# start of a word, not a variable's subdirectory like $TMP/work/x)
abs_paths() {
	git -C "$1" ls-files -z -- ':!:*.gitignore' |
		(cd "$1" && xargs -0 grep -nIE '(^|[^A-Za-z0-9_.$}~-])/(work|root|home|Users|tmp)/')
}

if ! command -v git >/dev/null 2>&1 || ! git -C "$CASSIM_SRCDIR" rev-parse --git-dir >/dev/null 2>&1; then
	skip "committed files name no absolute paths" "not a git checkout"
	skip "the scan finds an absolute path in a committed file" "not a git checkout"
	done_testing
fi

abs_paths "$CASSIM_SRCDIR" >"$TMP/found"
check "committed files name no absolute paths" test ! -s "$TMP/found"
[ -s "$TMP/found" ] && diag "$(head -n 20 "$TMP/found")"

# the scan can fail: a repository with one file naming a home directory,
# one naming a variable's subdirectory (allowed) and an anchored .gitignore
# (the paths are put together here, so that this file names none)
home=/home w=work
mkdir "$TMP/repo" && git -C "$TMP/repo" init -q || bail_out "git init failed"
printf 'data from %s/someone/x.csv\n' "$home" >"$TMP/repo/bad.md"
printf 'ls "$TMP/%s/x"; ls "${TMPDIR:-/tmp}/y"\n' "$w" >"$TMP/repo/good.sh"
printf '/%s/\n' "$w" >"$TMP/repo/.gitignore"
git -C "$TMP/repo" add bad.md good.sh .gitignore || bail_out "git add failed"
abs_paths "$TMP/repo" >"$TMP/found"
check "the scan finds an absolute path in a committed file, and only it" \
	test "$(cat "$TMP/found")" = "bad.md:1:data from $home/someone/x.csv"

done_testing
