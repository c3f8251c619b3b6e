#!/bin/bash
# build.sh IN OUT WORKDIR SRC: write OUT (Markdown) from IN, running every
# command block of IN and inserting its real output.
#
# IN is Markdown.  A fenced block opened with "```sh run" is a command
# block: it is copied to OUT as a ```sh block, then run with bash
# (-e -o pipefail: a failing command fails the build) in WORKDIR, and what it
# printed (stdout and stderr) follows as a ```text block (none if it printed
# nothing).  Blocks share one environment: variables a block exports are
# seen by the later ones (the working directory is always WORKDIR).
# Options after "run":
#	head=N   show only the first N lines of the output, and say so
#	tail=N   show only the last N lines, and say so
#	hide     run, but show no output (a note says so)
# In the output, WORKDIR is written $PWD and SRC $SRC, so that OUT does not
# depend on where the tree is.  The environment starts with SRC (the source
# tree, absolute) exported.
set -eu -o pipefail

in=$1 out=$2 work=$3 src=$4
tmp="$out.tmp"
env="$work/.walk-env"
: >"$tmp"
printf 'export SRC=%q\n' "$src" >"$env"

# sanitise: absolute paths of the work and source directories
sanitise() {
	sed -e "s|$work|\$PWD|g" -e "s|$src|\$SRC|g"
}

n=0
run_block() {
	local opts=$1 code=$2 log total
	n=$((n + 1))
	printf '```sh\n%s\n```\n\n' "$(cat "$code")" >>"$tmp"
	log="$work/.walk-out.$n"
	echo "build.sh: block $n: $(head -n 1 "$code")" >&2
	if ! (cd "$work" && bash -e -o pipefail -c '. ./.walk-env; . "$1"; export -p >./.walk-env' sh "$code") \
		>"$log" 2>&1; then
		echo "build.sh: $in: block $n failed:" >&2
		sed 's/^/    /' "$code" >&2
		echo "  output:" >&2
		tail -n 30 "$log" >&2
		exit 1
	fi
	total=$(wc -l <"$log")
	case " $opts " in
	*" hide "*)
		printf '(output not shown: %d lines)\n\n' "$total" >>"$tmp"
		return ;;
	esac
	[ "$total" -gt 0 ] || return 0
	local head= tail=
	for o in $opts; do
		case $o in
		head=*) head=${o#head=} ;;
		tail=*) tail=${o#tail=} ;;
		esac
	done
	{
		printf '```text\n'
		if [ -n "$head" ] && [ "$total" -gt "$head" ]; then
			head -n "$head" "$log" | sanitise
			printf '```\n\n(the first %d of %d lines)\n\n' "$head" "$total"
		elif [ -n "$tail" ] && [ "$total" -gt "$tail" ]; then
			tail -n "$tail" "$log" | sanitise
			printf '```\n\n(the last %d of %d lines)\n\n' "$tail" "$total"
		else
			sanitise <"$log"
			printf '```\n\n'
		fi
	} >>"$tmp"
}

inblock=0 opts= code="$work/.walk-code"
while IFS= read -r line || [ -n "$line" ]; do
	if [ $inblock = 1 ]; then
		if [ "$line" = '```' ]; then
			inblock=0
			run_block "$opts" "$code"
			# swallow the blank line after the block: run_block ends with one
			IFS= read -r line || break
			[ -z "$line" ] && continue
		else
			printf '%s\n' "$line" >>"$code"
			continue
		fi
	fi
	case $line in
	'```sh run'*)
		inblock=1
		opts=${line#'```sh run'}
		: >"$code"
		continue ;;
	esac
	printf '%s\n' "$line" >>"$tmp"
done <"$in"
[ $inblock = 0 ] || { echo "build.sh: $in: unterminated command block" >&2; exit 1; }
mv "$tmp" "$out"
