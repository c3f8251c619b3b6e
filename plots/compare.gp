# compare.gp: what `cassim compare` found, as a reviewer reads it: one panel
# per headline metric (the workload's own by default, or --metrics), one
# point per policy other than the baseline at its change against the
# baseline in % (signed so that + is better), with the 95% confidence
# interval of that change as an error bar, around a line at 0: an interval
# that crosses the line is no evidence of a change.  The label gives the
# change and its mark (* p < 0.05, ** p < 0.01).  Points differ by shape as
# well as colour, so the chart reads in black and white.
#
# cassim compare --plot runs it as
#   gnuplot -e "datafile='D'; outfile='O'; fmt='png'; nmetrics=M; npolicies=P; \
#               titles='\"t1\" \"t2\" ...'; maintitle='...'" compare.gp
# with fmt 'png' or 'svg' (P: the policies after the baseline).  The data
# file holds one block per metric (blocks separated by two blank lines,
# selected with `index`), one row per policy after the baseline:
#   x  "policy"  change_pct  ci_lo_pct  ci_hi_pct  "label"
# (n/a is NaN: gnuplot leaves it out).
#
# By hand, on the files compare writes:  see plots/README.md.

if (!exists("datafile")) datafile = "compare.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "compare." . fmt
if (!exists("nmetrics")) nmetrics = 1
if (!exists("npolicies")) npolicies = 1
if (!exists("titles")) titles = ""
if (!exists("maintitle")) maintitle = ""

cols = nmetrics < 3 ? nmetrics : 3
rows = (nmetrics + cols - 1) / cols
width = 420 * cols < 720 ? 720 : 420 * cols
height = 300 * rows + 50

set encoding utf8
if (fmt eq "svg") {
	set terminal svg size width, height dynamic noenhanced font "Sans,10" background rgb "white"
} else {
	if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
		set terminal pngcairo size width, height noenhanced font "Sans,9" background rgb "white"
	} else {
		set terminal png size width, height noenhanced background rgb "white"
	}
}
set output outfile

# Point type and colour per policy (cycled); the colours are also distinct
# in grey.
ptypes = "7 5 9 11 13 15 4 6"
colors = "#1b6ca8 #d1495b #2e8540 #7a4ea3 #e08a00 #555555 #00838f #000000"
ptype(p) = word(ptypes, p % 8 + 1) + 0
col(p) = word(colors, p % 8 + 1)

set grid ytics lc rgb "#cccccc" lw 0.5
set border 3
set xtics nomirror scale 0
set ytics nomirror
set xrange [-0.6 : npolicies - 0.4]
if (npolicies > 3) set xtics rotate by -30
set format y "%g%%"
set offsets 0, 0, graph 0.15, graph 0.15
set xzeroaxis lt -1 lw 1.5

set multiplot layout rows, cols title maintitle
do for [i = 0 : nmetrics - 1] {
	set title word(titles, i + 1)
	# 0 is always in range, so that the line shows how far the change is from it
	set yrange [* < 0 : 0 < *]
	plot for [p = 0 : npolicies - 1] datafile index i every ::p::p \
		using 1:3:4:5:xtic(2) with yerrorbars pt ptype(p) ps 1.3 lw 1.5 lc rgb col(p) notitle, \
	     datafile index i using 1:5:6 with labels offset 0, 0.8 font ",8" notitle
}
unset multiplot
set output
