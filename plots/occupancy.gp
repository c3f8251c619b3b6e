# occupancy.gp: where a process ran.  One panel per process; in each time
# bin, the fraction of the process's CPU time spent on each LLC, stacked
# (each LLC a colour + fill pattern, see term.gp, named in the key).  Drawn by
#   cassim plot occupancy timeline.csv [--process NAME] [--bin T] --out PREFIX
# which runs gnuplot -e "plotdir='..'; datafile='..'; npanels=P; titles='..';
#   nllc=L; llcnames='..'; tfrom=A; tto=B; tdiv=D; tunit='ms'; maintitle='..';
#   width=W; height=H; fmt='png'|'svg'; outfile='..'" occupancy.gp
# The data file has one block per process (index p), one row per bin:
#   bin_start_ns  bin_end_ns  cpu_ns  fraction_llc_0 ... fraction_llc_L-1
# (fractions of cpu_ns; all 0 where the process did not run).

load plotdir . "/term.gp"

cols = npanels > 3 ? 2 : 1
rows = (npanels + cols - 1) / cols
set xrange [tfrom : tto]
set yrange [0 : 1.0]
set ytics 0.25 nomirror
set xtics nomirror
set border 3
set grid ytics lc rgb "#dddddd" lw 0.5
set xlabel "time (" . tunit . ")"
set ylabel "fraction of CPU time"
set key outside right top vertical Left reverse samplen 2 spacing 1.2

lo(k) = sum [j = 0 : k - 1] column(4 + j)
hi(k) = sum [j = 0 : k] column(4 + j)
set multiplot layout rows, cols title maintitle
do for [p = 0 : npanels - 1] {
	set title word(titles, p + 1)
	plot for [k = 0 : nllc - 1] datafile index p \
		using (($1 + $2) / 2 / tdiv):((lo(k) + hi(k)) / 2):(($2 - $1) / 2 / tdiv):((hi(k) - lo(k)) / 2) \
		with boxxyerror fs pattern pat(k) border lc rgb col(k) lw 0.5 lc rgb col(k) \
		title (p == 0 ? word(llcnames, k + 1) : "")
}
unset multiplot
set output
