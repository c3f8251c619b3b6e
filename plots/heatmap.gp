# heatmap.gp: the change of one policy against a baseline over two axes,
# each cell coloured by the change and annotated with it (+ = better;
# * p < 0.05, ** p < 0.01, Welch's t-test).  Drawn by
#   cassim plot heatmap results.csv --x A --y B --metric M --policy P --baseline Q
# which runs gnuplot -e "plotdir='..'; datafile='..'; xlabels='..'; ylabels='..';
#   xtitle='..'; ytitle='..'; maintitle='..'; subtitle='..'; cbmax=X; width=W; height=H;
#   fmt='png'|'svg'; outfile='..'" heatmap.gp
# The data file has one row per cell:
#   xi  yi  change_pct  "label"  mean_policy  mean_baseline  n_policy  n_baseline  p_welch
# (change_pct NaN where a side has no value: the cell stays blank).
# The printed numbers carry the figure in black and white; the colours are
# light enough for black text.

load plotdir . "/term.gp"

nx = words(xlabels)
ny = words(ylabels)
set title maintitle . (exists("subtitle") && subtitle ne "" ? "\n" . subtitle : "")
set xlabel xtitle
set ylabel ytitle
set xtics () scale 0
set ytics () scale 0
do for [i = 1 : nx] {
	set xtics add (word(xlabels, i) i - 1)
}
do for [i = 1 : ny] {
	set ytics add (word(ylabels, i) i - 1)
}
if (nx > 6) set xtics rotate by -30
set xrange [-0.5 : nx - 0.5]
set yrange [-0.5 : ny - 0.5]
set border 15
set palette defined (-1 "#e07b6a", -0.5 "#f4c2b5", 0 "#f7f7f7", 0.5 "#b9d5ea", 1 "#6aa6d4")
set cbrange [-cbmax : cbmax]
set cblabel "change in % (+ = better)"
set cbtics nomirror
unset key

plot datafile using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder fc palette, \
     datafile using 1:2:4 with labels font ",11" tc rgb "black"
set output
