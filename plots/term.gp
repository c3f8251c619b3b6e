# term.gp: the terminal and the styles shared by cassim plot's scripts
# (lines.gp, heatmap.gp, timeline.gp, occupancy.gp load it).
#   fmt     'png' (pngcairo, else the libgd png terminal) or 'svg'
#   outfile the file to write; width, height: its size in pixels
# Style i (cycled) pairs a colour with a fill pattern, a dash type and a
# point type, so that a figure reads in black and white: the colours differ
# in lightness as well as hue (Okabe-Ito), the patterns and dashes in shape.

if (!exists("fmt")) fmt = "png"
if (!exists("width")) width = 1200
if (!exists("height")) height = 800
if (!exists("outfile")) outfile = "figure." . fmt

set encoding utf8
if (fmt eq "svg") {
	set terminal svg size width, height fixed noenhanced font "Sans,11" background rgb "white"
} else {
	if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
		set terminal pngcairo size width, height noenhanced font "Sans,10" background rgb "white"
	} else {
		set terminal png size width, height noenhanced background rgb "white"
	}
}
set output outfile

colors = "#000000 #e69f00 #0072b2 #009e73 #cc79a7 #56b4e9 #d55e00 #999999 #f0e442 #6a3d9a #b15928 #1f78b4"
# gnuplot's fill patterns: 3 solid, 1 and 2 cross-hatched, 4 to 7 diagonals
patterns = "3 4 1 5 6 2 7 0"
col(i) = word(colors, i % 12 + 1)
pat(i) = word(patterns, i % 8 + 1) + 0
dash(i) = i % 5 + 1
ptype(i) = word("7 5 9 11 13 4 6 8 10 12 14 1", i % 12 + 1) + 0
