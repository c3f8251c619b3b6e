# lines.gp: a metric against one parameter, one line per policy (the mean
# over the seeds) with its 95% confidence interval as a band.  Drawn by
#   cassim plot lines results.csv --x PARAM --metric NAME --out PREFIX
# which runs gnuplot -e "plotdir='..'; datafile='..'; nseries=N; names='..';
#   xnumeric=0|1; xlabels='..'; xtitle='..'; ytitle='..'; maintitle='..'; subtitle='..';
#   width=W; height=H; fmt='png'|'svg'; outfile='..'" lines.gp
# The data file has one block per policy (index s), one row per x value:
#   x  mean  ci_lo  ci_hi  n  "x label"
# (x is the value, or the position 0, 1, ... of a non-numeric one).

load plotdir . "/term.gp"

set title maintitle . (exists("subtitle") && subtitle ne "" ? "\n" . subtitle : "")
set xlabel xtitle
set ylabel ytitle
set key outside right top vertical Left reverse samplen 4 spacing 1.3
set grid lc rgb "#dddddd" lw 0.5
set border 3
set tics nomirror
set format y "%g"
if (!xnumeric) {
	set xtics () scale 0
	do for [i = 1 : words(xlabels)] {
		set xtics add (word(xlabels, i) i - 1)
	}
	set xrange [-0.3 : words(xlabels) - 0.7]
} else {
	set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
}

plot for [s = 0 : nseries - 1] datafile index s using 1:3:4 with filledcurves \
		fc rgb col(s) fs transparent pattern pat(s + 1) border lc rgb col(s) lw 0.3 notitle, \
     for [s = 0 : nseries - 1] datafile index s using 1:2 with linespoints \
		lc rgb col(s) dt dash(s) pt ptype(s) ps 1.2 lw 2 title word(names, s + 1)
set output
