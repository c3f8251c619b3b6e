# compare-counters.gp: bar charts of the policies' own counters in a
# `cassim compare` (policy_NAME metrics), one panel per counter that some
# policy reports with a value, one bar per policy (mean) with its 95%
# confidence interval as an error bar (never below 0 for a count) and the
# change against the baseline written above it.  Bars differ by fill pattern
# as well as colour, so the chart reads in black and white.
#
# cassim compare --plot runs it (into DIR/compare-counters.png/svg) as
#   gnuplot -e "datafile='D'; outfile='O'; fmt='png'; nmetrics=M; npolicies=P; \
#               titles='\"t1\" \"t2\" ...'; maintitle='...'" compare-counters.gp
# with fmt 'png' or 'svg'.  The data file holds one block per metric (blocks
# separated by two blank lines, selected with `index`), one row per policy:
#   x  "policy"  mean  ci_lo  ci_hi  "label"
# (A value that is n/a is NaN: gnuplot leaves it out.)
#
# By hand, on the files compare writes:  see plots/README.md.

if (!exists("datafile")) datafile = "compare.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "compare." . fmt
if (!exists("nmetrics")) nmetrics = 1
if (!exists("npolicies")) npolicies = 2
if (!exists("titles")) titles = ""
if (!exists("maintitle")) maintitle = ""

cols = nmetrics < 3 ? nmetrics : 3
rows = (nmetrics + cols - 1) / cols
width = 420 * cols
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

# Fill pattern and colour per policy (cycled): the baseline is an empty box,
# the others hatched (solid last, where an error bar reads worst); the
# colours are also distinct in grey.
patterns = "0 2 4 1 5 6 7 3"
colors = "#000000 #1b6ca8 #d1495b #2e8540 #7a4ea3 #e08a00 #555555 #00838f"
pat(p) = word(patterns, p % 8 + 1) + 0
col(p) = word(colors, p % 8 + 1)

set style fill pattern border rgb "black"
set boxwidth 0.7
set errorbars 3
set grid ytics lc rgb "#cccccc" lw 0.5
set border 3
set xtics nomirror scale 0
set ytics nomirror
set xrange [-0.6 : npolicies - 0.4]
if (npolicies > 3) set xtics rotate by -30
set format y "%g"

set multiplot layout rows, cols title maintitle
do for [i = 0 : nmetrics - 1] {
	set title word(titles, i + 1)
	set yrange [0 : *]
	set offsets 0, 0, graph 0.15, 0
	plot for [p = 0 : npolicies - 1] datafile index i every ::p::p \
		using 1:3:xtic(2) with boxes fs pattern pat(p) border rgb "black" lc rgb col(p) notitle, \
	     datafile index i using 1:3:4:5 with yerrorbars lc rgb "black" lw 1.5 pt 0 notitle, \
	     datafile index i using 1:5:6 with labels offset 0, 0.8 font ",8" notitle
}
unset multiplot
set output
