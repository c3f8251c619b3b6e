#!/bin/sh
# t0048-slurm: `cassim sweep --emit-slurm` as a cluster admin reads it,
# without Slurm: the #SBATCH lines (defaults and options), arrays split at
# --max-array-size into parts whose indices stay below it, the % throttle,
# several jobs per task, and a queued task that keeps its jobs when the
# directory is emitted again after some jobs finished.  The task body runs
# here with SLURM_ARRAY_TASK_ID set.  Bad option values exit 2 with one
# line and write nothing.  About 5 s on 2 cores.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
TMP=$(pwd -P) # the scripts hold absolute, symlink-free paths
PLAN=$CASSIM_SRCDIR/sweeps/example-small.json # 24 jobs

# sbatch_lines FILE: the script's #SBATCH lines, space-separated
sbatch_lines() {
	grep '^#SBATCH ' "$1" | sed 's/^#SBATCH //' | tr '\n' ' '
}

# same DESC GOT WANT: ok if the two strings are equal
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2" "want: $3"; fi
}

# jobs_done DIR: the ids with a result in DIR, sorted, comma-separated
jobs_done() {
	ls "$1/jobs" | sed -n 's/\.json$//p' | sort | paste -sd, -
}

# sorted LIST: a comma-separated list, sorted
sorted() {
	printf '%s\n' "$1" | tr ',' '\n' | sort | paste -sd, -
}

# ---- the defaults --------------------------------------------------------------------
expect_exit 0 "--emit-slurm with the defaults" "$CASSIM" sweep "$PLAN" --out d --emit-slurm d.sbatch
same "#SBATCH lines: name, array of 24 throttled to 100, 1 CPU, 1 hour, 1 GB, output in d/slurm" \
	"$(sbatch_lines d.sbatch)" \
	"--job-name=cassim-sweep --array=0-23%100 --ntasks=1 --cpus-per-task=1 --time=1:00:00 --mem=1G --output=$TMP/d/slurm/%x-%A_%a.out "
check "... the cluster's default partition, said in a comment" grep -qx "# (no --partition: the cluster's default partition)" d.sbatch
check "... the output directory exists (Slurm does not create it)" test -d d/slurm
check "... the #SBATCH lines come before the first command" \
	sh -c "[ \"\$(grep -v '^#' d.sbatch | head -n 1 | cut -c1-6)\" = TASKS= ] && ! sed -n '/^TASKS=/,\$p' d.sbatch | grep -q '^#SBATCH'"
check "... the task list: one plan job per line, in plan order" \
	sh -c "[ \"\$(wc -l <d/slurm/tasks-1.txt)\" -eq 24 ] && ! grep -vqE '^[0-9a-f]{12}$' d/slurm/tasks-1.txt"
check "... the output says how to submit" grep -qx "submit: sbatch d.sbatch" "$OUT"
expect_exit 2 "the task body outside Slurm (no SLURM_ARRAY_TASK_ID): an error" sh d.sbatch
check "... no job ran" sh -c '[ -z "$(ls -A d/jobs)" ]'

# ---- the options ---------------------------------------------------------------------
mkdir logs
expect_exit 0 "--time --mem --partition --output --max-running" \
	"$CASSIM" sweep "$PLAN" --out o --emit-slurm o.sbatch --time 2-12:30 --mem 500M --partition short,long \
	--output logs/%x-%A_%a.log --max-running 4
same "#SBATCH lines as given; a relative --output made absolute" \
	"$(sbatch_lines o.sbatch)" \
	"--job-name=cassim-sweep --array=0-23%4 --ntasks=1 --cpus-per-task=1 --time=2-12:30 --mem=500M --output=$TMP/logs/%x-%A_%a.log --partition=short,long "
expect_exit 0 "--max-running 0: no throttle" "$CASSIM" sweep "$PLAN" --out o --emit-slurm o0.sbatch --max-running 0
check "... --array=0-23" grep -qx '#SBATCH --array=0-23' o0.sbatch

# ---- several jobs per task: the body runs the task's jobs, and only them ---------------
expect_exit 0 "--jobs-per-task 5 --emit-jobs" "$CASSIM" sweep "$PLAN" --out b --emit-slurm b.sbatch --jobs-per-task 5 \
	--emit-jobs b.txt
sed 's/.*--only //' b.txt >order.txt # the pending jobs in plan order: all of them
check "24 jobs in 5 tasks: --array=0-4%100" grep -qx '#SBATCH --array=0-4%100' b.sbatch
same "tasks-5.txt: the plan's jobs five by five, in plan order" \
	"$(tr ',' '\n' <b/slurm/tasks-5.txt | paste -sd' ' -) / $(awk -F, '{ print NF }' b/slurm/tasks-5.txt | paste -sd' ' -)" \
	"$(paste -sd' ' order.txt) / 5 5 5 5 4"
cp b/slurm/tasks-5.txt tasks-5.first
cp b.sbatch b.first # what sbatch would have kept of the first submission
expect_exit 0 "task 1 runs" env SLURM_ARRAY_TASK_ID=1 sh b.sbatch
same "... jobs 6-10 of the plan, one after another" "$(jobs_done b)" "$(sed -n 6,10p order.txt | sort | paste -sd, -)"
check "... and says which task and jobs in its output" grep -qx "cassim sweep task 1: $(sed -n 2p tasks-5.first)" "$OUT"
expect_exit 0 "task 4 (the last, 4 jobs) runs" env SLURM_ARRAY_TASK_ID=4 sh b.sbatch
same "... jobs 21-24 besides" "$(jobs_done b)" "$(sed -n '6,10p;21,24p' order.txt | sort | paste -sd, -)"
# one job of task 2 done by other means (a --emit-jobs line)
sed -n 12p b.txt | sh >/dev/null 2>&1

# ---- emitted again after some jobs finished ----------------------------------------------
expect_exit 0 "emitted again (tasks 1 and 4 done, task 2 partly)" \
	"$CASSIM" sweep "$PLAN" --out b --emit-slurm b.sbatch --jobs-per-task 5
check "... the array lists the tasks with a pending job: 0,2-3" grep -qx '#SBATCH --array=0,2-3%100' b.sbatch
check "... the task list is unchanged" cmp tasks-5.first b/slurm/tasks-5.txt
check "... the script differs from the first only in its --array line" \
	sh -c "grep -v '^#SBATCH --array' b.first >x1 && grep -v '^#SBATCH --array' b.sbatch | cmp - x1"
expect_exit 0 "task 2 of the FIRST submission, still queued, runs now" env SLURM_ARRAY_TASK_ID=2 sh b.first
check "... its own jobs, 11-15 (12 was done: skipped)" grep -qx "cassim sweep task 2: $(sed -n 3p tasks-5.first)" "$OUT"
same "... which are done now, and nothing else" "$(jobs_done b)" "$(sed -n '6,15p;21,24p' order.txt | sort | paste -sd, -)"
expect_exit 0 "emitted with another --jobs-per-task: a list of its own" \
	"$CASSIM" sweep "$PLAN" --out b --emit-slurm b3.sbatch --jobs-per-task 3
check "... tasks-3.txt beside tasks-5.txt (left as it was)" \
	sh -c "cmp tasks-5.first b/slurm/tasks-5.txt && [ \"\$(awk -F, '{ print NF }' b/slurm/tasks-3.txt | paste -sd' ' -)\" = '3 3 3 3 3 3 3 3' ]"
# pending: jobs 1-5 and 16-20 -> tasks of 3: 0 (1-3), 1 (4-6), 5 (16-18), 6 (19-21)
check "... --array=0-1,5-6%100" grep -qx '#SBATCH --array=0-1,5-6%100' b3.sbatch
expect_exit 0 "the first submission's task 0 and the new one's task 6 run" \
	sh -c "SLURM_ARRAY_TASK_ID=0 sh b.first && SLURM_ARRAY_TASK_ID=6 sh b3.sbatch"
same "... jobs 1-5 and 19-21 more" "$(jobs_done b)" "$(sed -n '1,15p;19,24p' order.txt | sort | paste -sd, -)"
cp b/slurm/tasks-5.txt tasks-5.saved
sed '1s/^\(.\)/0/' tasks-5.saved >b/slurm/tasks-5.txt
expect_exit 2 "a task list that is not the plan's (edited): refused" \
	"$CASSIM" sweep "$PLAN" --out b --emit-slurm b.sbatch --jobs-per-task 5
expect_one_line_stderr "... one line naming it" "b/slurm/tasks-5\.txt does not list this plan's jobs in plan order"
check "... left as it was" sh -c 'sed "1s/^\(.\)/0/" tasks-5.saved | cmp - b/slurm/tasks-5.txt'
cp tasks-5.saved b/slurm/tasks-5.txt
if command -v flock >/dev/null 2>&1; then
	# a running array task holds a shared lock on the directory
	expect_exit 0 "emitted again while array tasks run (the directory share-locked)" \
		flock -s b "$CASSIM" sweep "$PLAN" --out b --emit-slurm b.sbatch --jobs-per-task 5
	check "... only task 3 is left (jobs 16-18 pending)" grep -qx '#SBATCH --array=3%100' b.sbatch
else
	skip "emitted again while array tasks run" "flock(1) not installed"
	skip "... only task 3 is left" "flock(1) not installed"
fi

# ---- arrays past MaxArraySize -------------------------------------------------------------
expect_exit 0 "--max-array-size 10 --jobs-per-task 1: 24 tasks in 3 parts" \
	"$CASSIM" sweep "$PLAN" --out s --emit-slurm parts/ --max-array-size 10
same "... parts/cassim-sweep-{1,2,3}.sbatch" "$(ls parts | paste -sd' ' -)" \
	"cassim-sweep-1.sbatch cassim-sweep-2.sbatch cassim-sweep-3.sbatch"
same "... indices below 10; bases 0, 10, 20" \
	"$(for i in 1 2 3; do grep -h '^#SBATCH --array=\|^BASE=' parts/cassim-sweep-$i.sbatch; done | paste -sd' ' -)" \
	"#SBATCH --array=0-9%100 BASE=0 #SBATCH --array=0-9%100 BASE=10 #SBATCH --array=0-3%100 BASE=20"
check "... the submit line names the three" \
	grep -qx "submit: sbatch parts/cassim-sweep-1.sbatch && sbatch parts/cassim-sweep-2.sbatch && sbatch parts/cassim-sweep-3.sbatch" "$OUT"
expect_exit 0 "part 2's task 3 runs" env SLURM_ARRAY_TASK_ID=3 sh parts/cassim-sweep-2.sbatch
same "... the plan's job 14" "$(jobs_done s)" "$(sed -n 14p order.txt)"
rm parts/*
expect_exit 0 "emitted again: part 2 lists the rest" "$CASSIM" sweep "$PLAN" --out s --emit-slurm parts/ --max-array-size 10
check "... --array=0-2,4-9%100 with BASE=10, parts 1 and 3 as before" \
	sh -c "grep -qx '#SBATCH --array=0-2,4-9%100' parts/cassim-sweep-2.sbatch && grep -qx 'BASE=10' parts/cassim-sweep-2.sbatch && grep -qx '#SBATCH --array=0-3%100' parts/cassim-sweep-3.sbatch"
# a part with nothing pending is not written
for i in 0 1 2 3; do SLURM_ARRAY_TASK_ID=$i sh parts/cassim-sweep-3.sbatch >/dev/null 2>&1; done
rm parts/*
expect_exit 0 "part 3 done: emitted again" "$CASSIM" sweep "$PLAN" --out s --emit-slurm parts/ --max-array-size 10
same "... parts 1 and 2 only" "$(ls parts | paste -sd' ' -)" "cassim-sweep-1.sbatch cassim-sweep-2.sbatch"

# Slurm's default MaxArraySize, 1001: a plan of 2,500 jobs
cat >big.json <<EOF
{ "topologies": ["spr-2s-1node-2llc"], "workloads": ["pingpong"], "policies": ["cfs"], "seeds": 2500, "duration": "1ms" }
EOF
expect_exit 0 "2,500 jobs with the default --max-array-size" "$CASSIM" sweep big.json --out big --emit-slurm big.sbatch
same "... big-1, big-2, big-3: 0-1000, 0-1000, 0-497 from 0, 1001, 2002" \
	"$(for i in 1 2 3; do grep -h '^#SBATCH --array=\|^BASE=' big-$i.sbatch; done | paste -sd' ' -)" \
	"#SBATCH --array=0-1000%100 BASE=0 #SBATCH --array=0-1000%100 BASE=1001 #SBATCH --array=0-497%100 BASE=2002"
check "... and no big.sbatch" test ! -e big.sbatch
expect_exit 0 "--jobs-per-task 3: 834 tasks, one array" "$CASSIM" sweep big.json --out big --emit-slurm big3.sbatch --jobs-per-task 3
check "... --array=0-833%100" grep -qx '#SBATCH --array=0-833%100' big3.sbatch

# ---- bad values: exit 2, one line naming the option, nothing written ----------------------
bad_value() {
	expect_exit 2 "$1 $2: exit 2" "$CASSIM" sweep "$PLAN" --out bad --emit-slurm bad.sbatch "$1" "$2"
	expect_one_line_stderr "$1 $2: one line naming it" "^cassim: error: $1 $3: expected"
	check "$1 $2: nothing written" sh -c '[ ! -e bad.sbatch ] && [ ! -e bad ]'
}
bad_value --time 0 0
bad_value --time 1:60:00 1:60:00
bad_value --time 1-24 1-24
bad_value --time 1h 1h
bad_value --mem 0 0
bad_value --mem 2GB 2GB
bad_value --mem -1 -1
bad_value --partition 'a b' 'a b'
bad_value --partition short, short,
bad_value --output 'my logs/%a' 'my logs/%a'
bad_value --max-array-size 0 0
bad_value --max-array-size 4000002 4000002
bad_value --max-running -1 -1
bad_value --max-running x x
bad_value --jobs-per-task 0 0
bad_value --jobs-per-task 2.5 '2\.5'
expect_exit 2 "--output in a directory that does not exist: exit 2" \
	"$CASSIM" sweep "$PLAN" --out bad --emit-slurm bad.sbatch --output nodir/%a.out
expect_one_line_stderr "... one line" "^cassim: error: --output nodir/%a\.out: no directory nodir/ \(Slurm does not create it\)$"
expect_exit 2 "a result directory with a blank, default --output: exit 2" \
	"$CASSIM" sweep "$PLAN" --out 'my sweep' --emit-slurm blank.sbatch
expect_one_line_stderr "... one line asking for --output" "^cassim: error: --output $TMP/my sweep/slurm/%x-%A_%a\.out: a blank, .*; give --output$"
check "... no script" test ! -e blank.sbatch
expect_exit 0 "... with --output logs/%A_%a.out" \
	"$CASSIM" sweep "$PLAN" --out 'my sweep' --emit-slurm blank.sbatch --output logs/%A_%a.out
check "... the task list's path quoted for sh" grep -qx "TASKS='$TMP/my sweep/slurm/tasks-1.txt'" blank.sbatch
expect_exit 0 "... and its task 0 runs" env SLURM_ARRAY_TASK_ID=0 sh blank.sbatch
same "... the plan's first job" "$(jobs_done 'my sweep')" "$(sed -n 1p order.txt)"
expect_exit 2 "--time without --emit-slurm: exit 2" "$CASSIM" sweep "$PLAN" --out bad --time 10
expect_one_line_stderr "... one line" "^cassim: error: --time goes with --emit-slurm"
check "... nothing written" test ! -e bad

# ---- documented ----------------------------------------------------------------------------
expect_exit 0 "cassim sweep --help" "$CASSIM" sweep --help
for o in time mem partition output max-array-size max-running jobs-per-task; do
	check "--help documents --$o" grep -q "^ *--$o " "$OUT"
done

done_testing
