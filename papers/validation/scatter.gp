# scatter.gp: simulated vs published change of the validation rows.
#
#   gnuplot -e "dir='OUT'; fmt='png'; outfile='OUT/scatter.png'" scatter.gp
#
# reads OUT/scatter.dat (written by `cassim validate --out OUT --plot`; columns:
# id published simulated ci95 class revision, class 0 agree / 1 miss / 2 not
# scored) and writes outfile as a PNG or (fmt='svg') an SVG; cassim renders
# both through its gnuplot helper (sim/report/gnuplot.h).  Black and white:
# the verdict is told by the marker shape, not by colour; misses carry their
# id (slanted, so that ids of neighbouring points do not overlap).  Values
# beyond +-L are drawn on the border (open triangles) with id and value.

if (!exists("dir")) dir = "."
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = dir."/scatter.".fmt
dat = dir."/scatter.dat"
L = 100.0

clamp(x) = x < -L ? -L : (x > L ? L : x)
out(x) = abs(x) > L
# a row's point in the plot: NaN when it belongs to another series
sel(c, want) = (c == want) ? 1 : NaN
# a label that is not drawn goes off the plot, not to NaN: gnuplot 5.4
# crashes on a labels series whose every point is NaN (a --only run
# without misses)
OFF = 10 * L

set title "cassim vs published: % change with Cache Aware Scheduling (+ = CAS better)"
set xlabel "published change (%)"
set ylabel "simulated change (%), mean ± 95% CI over seeds"
set xrange [-L*1.08:L*1.08]
set yrange [-L*1.08:L*1.08]
set size square
set grid lt 0 lw 0.5 lc "black"
set xzeroaxis lt 1 lw 1 lc "black"
set yzeroaxis lt 1 lw 1 lc "black"
set key outside below center horizontal maxcols 3 box samplen 2 font ",9"
set tics nomirror out

# |published| < 3 %: agreement means |simulated| <= 5 % (the box)
set object 1 rect from -3,-5 to 3,5 fs empty border lc "black" lw 1 dt 3
set label 10 "neutral: |sim| <= 5" at 4,-9 font ",8"
# same sign agrees: quadrants I and III; the y = x/2 .. 2x band is "within 2x"
set label 11 "agree" at  L*0.8,  L*0.95 font ",8"
set label 12 "agree" at -L*0.95, -L*0.8 font ",8"

set style line 1 lc "black" pt 7 ps 1.1    # agree: filled circle
set style line 2 lc "black" pt 2 ps 1.4    # miss: cross
set style line 3 lc "black" pt 4 ps 1.1    # not scored: open square
set style line 4 lc "black" pt 8 ps 1.5    # clipped: open triangle
set style line 5 lc "black" dt 2 lw 1      # y = x
set style line 6 lc "black" dt 3 lw 0.7    # y = 2x, y = x/2

set samples 200
if (fmt eq "svg") {
	set terminal svg size 1000,1080 font "sans,10" background "white"
} else {
	set terminal pngcairo size 1000,1080 font ",10"
}
set output outfile
plot \
	x       ls 5 title "simulated = published", \
	2*x     ls 6 title "factor 2", \
	x/2     ls 6 notitle, \
	dat using (clamp($2)):(clamp($3)*sel($5,0)):(abs($4) < L ? $4 : 0) with yerrorbars ls 1 title "agree", \
	dat using (clamp($2)):(clamp($3)*sel($5,1)):(abs($4) < L ? $4 : 0) with yerrorbars ls 2 title "miss", \
	dat using (clamp($2)):(clamp($3)*sel($5,2)):(abs($4) < L ? $4 : 0) with yerrorbars ls 3 title "not scored (3-5 %)", \
	dat using (clamp($2)):((out($2) || out($3)) ? clamp($3) : NaN) with points ls 4 title "beyond ±100 % (on the border)", \
	dat using (clamp($2)):((out($2) || out($3)) ? clamp($3) : OFF):(sprintf("%s (%+.0f, %+.0f)", stringcolumn(1), $2, $3)) \
		with labels left offset 1,-0.6 font ",7" notitle, \
	dat using (clamp($2)):(($5 == 1 && !out($2) && !out($3)) ? $3 : OFF):1 \
		with labels left rotate by 70 offset 0,0.8 font ",7" notitle

set output
