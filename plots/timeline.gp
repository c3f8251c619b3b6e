# timeline.gp: which process ran on which CPU when.  One row per CPU, grouped
# by node and LLC (thin lines between LLCs, thick between nodes, the groups
# named on the right), time across; a box per stretch of one process, its
# style (colour + fill pattern, see term.gp) named in the key.  Drawn by
#   cassim plot timeline timeline.csv [--from T] [--to T] --out PREFIX
# which runs gnuplot -e "plotdir='..'; datafile='..'; nstyles=N; names='..';
#   other=0|1; nrows=R; ytl='..'; ytp='..'; gl='..'; gp='..'; llcsep='..'; nodesep='..';
#   tfrom=A; tto=B; tdiv=D; tunit='ms'; maintitle='..'; width=W; height=H;
#   fmt='png'|'svg'; outfile='..'" timeline.gp
# The data file has one block per style (index s), one row per box:
#   row  start_ns  end_ns
# With other=1 the last style gathers the processes with the least CPU time,
# in light grey.  Rows count from 0 at the top; ytl/ytp label some rows (CPU numbers), gl/gp
# the LLC groups; llcsep/nodesep are the row boundaries (r - 0.5).

load plotdir . "/term.gp"

set title maintitle
set xlabel "time (" . tunit . ")"
set ylabel "CPU"
set xrange [tfrom : tto]
set yrange [nrows - 0.5 : -0.5]
set y2range [nrows - 0.5 : -0.5]
set ytics () scale 0 font ",8"
do for [i = 1 : words(ytl)] {
	set ytics add (word(ytl, i) word(ytp, i) + 0)
}
set y2tics () scale 0 font ",9"
do for [i = 1 : words(gl)] {
	set y2tics add (word(gl, i) word(gp, i) + 0)
}
set xtics nomirror
set border 15
set grid xtics lc rgb "#e0e0e0" lw 0.5
do for [i = 1 : words(llcsep)] {
	set arrow from graph 0, first word(llcsep, i) + 0 to graph 1, first word(llcsep, i) + 0 \
		nohead lc rgb "#888888" lw 0.6 front
}
do for [i = 1 : words(nodesep)] {
	set arrow from graph 0, first word(nodesep, i) + 0 to graph 1, first word(nodesep, i) + 0 \
		nohead lc rgb "black" lw 2 front
}
set key outside below horizontal Left reverse samplen 2 spacing 1.2 maxrows 3
# a box fills 90% of its row, at least the line width where rows are thin
h = nrows > 200 ? 0.5 : 0.45
scol(s) = other && s == nstyles - 1 ? "#d0d0d0" : col(s)
spat(s) = other && s == nstyles - 1 ? 3 : pat(s)

plot for [s = 0 : nstyles - 1] datafile index s \
	using (($2 + $3) / 2 / tdiv):1:(($3 - $2) / 2 / tdiv):(h) with boxxyerror \
	fs pattern spat(s) border lc rgb scol(s) lw 0.5 lc rgb scol(s) title word(names, s + 1)
set output
